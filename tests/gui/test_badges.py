"""Tags as tables paint them: drawn once and reused, always in the colours of the theme in use
(UI.md: light and dark themes follow the system); badges, tags and the provisioning chart
repainted only when what they show changes (QUALITY.md P5).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from thrudesk.models.enums import Carrier, CarrierCheckStatus
from thrudesk.services.rows import CampaignStatus, CarrierState, ProvisioningStatus
from thrudesk.views import badges, theme
from thrudesk.views.badges import (
    TAG_PADDING,
    ProvisioningBadge,
    TagStrip,
    paint_tags,
    provisioning_tag,
    status_tags,
)
from thrudesk.views.theme import Scheme, Tone
from thrudesk.views.timeline_chart import ProvisioningTimeline


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


class _Paints(QObject):
    """How many times each watched widget was painted."""

    def __init__(self, *widgets: QWidget) -> None:
        super().__init__()
        self.count: dict[str, int] = {w.objectName(): 0 for w in widgets}
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count[watched.objectName()] += 1
        return False


def test_p5_a_campaign_shown_again_unchanged_repaints_neither_badge_tags_nor_chart(
    qtbot: QtBot,
) -> None:
    page = QWidget()
    layout = QVBoxLayout(page)
    strip, badge, chart = TagStrip("status_tags"), ProvisioningBadge(), ProvisioningTimeline()
    for widget in (strip, badge, chart):
        layout.addWidget(widget)
    qtbot.addWidget(page)
    started = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    answered = (
        CarrierState(Carrier.ATT, CarrierCheckStatus.CONFIRMED, started, None),
        CarrierState(Carrier.VERIZON, CarrierCheckStatus.CONFIRMED, started, None),
        CarrierState(Carrier.TMOBILE, CarrierCheckStatus.CONFIRMED, started, None),
    )
    tags = status_tags(CampaignStatus.ACTIVE, ())

    def show(status: ProvisioningStatus, now: datetime) -> None:
        strip.set_tags(tags)
        badge.set_status(status, "The carriers' answers")
        chart.set_provisioning(
            started_at=started, carriers=answered, status=status, now=now, timezone="UTC"
        )

    show(ProvisioningStatus.COMPLETE, started)
    page.show()
    qtbot.waitExposed(page)
    qtbot.wait(50)
    paints = _Paints(strip, badge, chart)

    show(ProvisioningStatus.COMPLETE, started + timedelta(minutes=5))  # only the clock moved
    qtbot.wait(50)
    assert paints.count == {"status_tags": 0, "provisioning_badge": 0, "provisioning_timeline": 0}

    show(ProvisioningStatus.FAILED, started + timedelta(minutes=6))  # the badge and chart change
    qtbot.waitUntil(lambda: paints.count["provisioning_badge"] > 0)
    qtbot.waitUntil(lambda: paints.count["provisioning_timeline"] > 0)
    assert badge.status() is ProvisioningStatus.FAILED
    assert paints.count["status_tags"] == 0
