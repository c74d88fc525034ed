"""Tags as tables paint them: drawn once and reused, always in the colours of the theme in use
(UI.md: light and dark themes follow the system).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from pytestqt.qtbot import QtBot

from thrudesk.services.rows import CampaignStatus, ProvisioningStatus
from thrudesk.views import badges, theme
from thrudesk.views.badges import TAG_PADDING, paint_tags, provisioning_tag
from thrudesk.views.theme import Scheme, Tone


def _painted(tag: badges.Tag, *, text_colour: QColor | None = None) -> QImage:
    image = QImage(240, 32, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    paint_tags(painter, QRect(0, 0, 240, 32), [tag], QFont(), text_colour=text_colour)
    painter.end()
    return image


def test_ui_a_tag_painted_again_is_painted_in_the_colours_of_the_theme_now_in_use(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    complete = provisioning_tag(ProvisioningStatus.COMPLETE)
    # Inside the pill, left of its words: the pill's own background.
    inside = (TAG_PADDING // 2, 16)
    for scheme in (Scheme.LIGHT, Scheme.DARK, Scheme.LIGHT):
        colours = theme.load_theme(scheme)
        monkeypatch.setattr(theme, "_current", colours)
        first, again = _painted(complete), _painted(complete)
        assert first.pixelColor(*inside) == colours.tone(Tone.SUCCESS).background
        assert again == first


def test_ui_a_status_word_takes_the_text_colour_it_is_given_on_a_selected_row(
    qtbot: QtBot,
) -> None:
    active = badges.status_tags(CampaignStatus.ACTIVE, ())[0]
    plain = _painted(active)
    white = _painted(active, text_colour=QColor("white"))
    # The dot is the same; the words are drawn in the colour given (white on white here).
    assert plain != white
    background = QColor("white")
    words = [
        (x, y) for x in range(20, 80) for y in range(32) if plain.pixelColor(x, y) != background
    ]
    assert words
    assert all(white.pixelColor(x, y) == background for x, y in words)
