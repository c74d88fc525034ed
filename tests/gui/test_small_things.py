"""Small things an admin notices: words that say what happened, controls that keep still."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QLocale, QPoint, Qt
from PySide6.QtGui import QFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QToolButton,
)
from pytestqt.qtbot import QtBot

from tests.gui.conftest import NewDraft
from tests.gui.helpers import child, click, click_named, show_details, shown_text, wait_dialog
from tests.gui.teamwork_steps import CampaignWithContacts
from thrudesk.services.clock import ManualClock, ScaledClock
from thrudesk.services.container import Services
from thrudesk.services.rows import NumberMode
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount
from thrudesk.services.store import Store
from thrudesk.views import formatting
from thrudesk.views.area_code_picker import AreaCodePicker
from thrudesk.views.badges import TagStrip
from thrudesk.views.inputs import date_time_edit, set_local_date_time
from thrudesk.views.main_window import PHONE_NUMBERS, MainWindow
from thrudesk.views.theme import ThemeManager
from thrudesk.views.widgets import MessageBar


def _first_shown_character(picker: AreaCodePicker) -> int:
    """The position in the text of the character at the field's left edge, as last painted
    (a line edit scrolls its text when it paints).
    """
    picker.repaint()
    left = picker.contentsRect().left() + picker.textMargins().left() + 4
    return picker.cursorPositionAt(QPoint(left, picker.height() // 2))


def test_a_second_area_code_chosen_shows_its_code_not_the_end_of_its_place(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.tabs.setCurrentIndex(PHONE_NUMBERS)
    click_named(qtbot, window.phone_numbers_tab, "add_number_button")
    dialog = wait_dialog(qtbot, window, "add_number_dialog")
    picker = child(dialog, AreaCodePicker, "area_code_picker_2")
    font = QFont(picker.font())
    font.setPointSize(font.pointSize() * 2)  # a desktop's font, wider than the field's room
    picker.setFont(font)
    dialog.activateWindow()
    picker.setFocus()
    qtbot.waitUntil(picker.hasFocus)
    QTest.keyClicks(picker, "Sea")
    popup = picker.completer().popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)

    assert picker.text() == "206 · Seattle, WA (hard to get)"
    assert picker.fontMetrics().horizontalAdvance(picker.text()) > picker.contentsRect().width()
    qtbot.waitUntil(lambda: _first_shown_character(picker) == 0)  # "206 · Seattle, W…"
    assert picker.toolTip() == picker.text()
    assert picker.area_code() == "206"

    # Set from a saved choice, as a draft's area codes are: its code shows too.
    picker.set_area_code("212")
    assert _first_shown_character(picker) == 0


@pytest.fixture
def german_desktop() -> Iterator[None]:
    """A desktop whose language is German: the window still writes dates in English."""
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    yield
    QLocale.setDefault(before)


@pytest.mark.usefixtures("german_desktop")
def test_date_editors_write_a_date_as_every_label_does(qtbot: QtBot) -> None:
    moment = datetime(2026, 12, 7, 11, 30, tzinfo=UTC)  # 06:30 in New York
    edit = date_time_edit("start_date_edit")
    qtbot.addWidget(edit)
    set_local_date_time(edit, moment, formatting.EASTERN)
    assert edit.text() == "Mon 7 Dec 2026, 06:30"
    assert edit.text() == formatting.date_time(moment, formatting.EASTERN, year=True)


def test_pausing_the_clock_keeps_its_button_and_the_toolbar_still(
    qtbot: QtBot, thrudesk_store: Store, thrudesk_account: StarterAccount, themed: ThemeManager
) -> None:
    clock = ScaledClock(ManualClock().now(), speed=60.0)
    window = MainWindow(Services(thrudesk_store, clock), None, thrudesk_account.actor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    pause = child(window, QToolButton, "clock_pause_button")
    jump = child(window, QToolButton, "clock_jump_button")
    assert pause.text() == "Pause"
    width, jump_at = pause.width(), jump.mapTo(window, QPoint(0, 0))

    click(qtbot, pause)
    assert pause.text() == "Resume"
    QApplication.processEvents()  # the toolbar lays itself out again, were it to
    assert pause.width() == width
    assert jump.mapTo(window, QPoint(0, 0)) == jump_at
    # As wide as the wider of its texts: "Resume" is not cut.
    assert pause.width() >= pause.sizeHint().width()
    assert pause.fontMetrics().horizontalAdvance("Resume") < pause.width()

    click(qtbot, pause)
    QApplication.processEvents()
    assert (pause.text(), pause.width()) == ("Pause", width)
    window.shutdown()


@pytest.mark.usefixtures("quiet")
def test_c15_copied_to_the_clipboard_leaves_the_invite_link_its_room(
    qtbot: QtBot, window: MainWindow, campaign_with_contacts: CampaignWithContacts
) -> None:
    campaign = campaign_with_contacts(1)
    details = show_details(window, campaign.id)
    click(qtbot, child(details, QCheckBox, "self_assign_check"))
    copy = child(details, QPushButton, "copy_link_button")
    qtbot.waitUntil(copy.isVisible)
    link = child(details, QLabel, "invite_link_value")
    QApplication.processEvents()

    def placed() -> tuple[int, QPoint, QPoint]:
        return link.width(), link.mapTo(details, QPoint(0, 0)), copy.mapTo(details, QPoint(0, 0))

    before = placed()

    click(qtbot, copy)
    copied = child(details, QLabel, "link_copied_label")
    assert shown_text(copied) == "Copied to the clipboard"
    QApplication.processEvents()  # the card lays itself out again, were it to
    assert placed() == before
    assert copied.width() >= copied.fontMetrics().horizontalAdvance(copied.text())  # not cut


def test_c9_clone_and_archive_names_the_copy_it_makes(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    new_draft: NewDraft,
) -> None:
    # A second try whose provisioning failed again: the third is numbered, not "Copy of Copy".
    thrudesk_simulator.force_next("fail", reason="Number not linked to the brand")
    campaign = new_draft("Copy of Cleanup day")
    thrudesk_services.campaigns.launch(thrudesk_account.actor, campaign, NumberMode.SINGLE_USE)
    sim_clock.advance(minutes=10)
    details = show_details(window, campaign)
    clone_and_archive = child(details, QPushButton, "clone_and_archive_button")
    qtbot.waitUntil(clone_and_archive.isVisible)
    click(qtbot, clone_and_archive)

    box = wait_dialog(qtbot, window, "confirm_dialog")
    assert isinstance(box, QMessageBox)
    assert box.text() == "Clone “Copy of Cleanup day” and archive it?"
    assert box.informativeText().startswith("A new Draft, “Copy of Cleanup day (2)”, gets")
    click_named(qtbot, box, "confirm_accept_button")

    qtbot.waitUntil(lambda: details.campaign_id not in (None, campaign))
    title = child(details, QLabel, "details_title_label")
    assert title.text() == "Copy of Cleanup day (2)"
    assert child(details, MessageBar, "details_message_bar").text() == (
        "“Copy of Cleanup day” is archived; “Copy of Cleanup day (2)” is a Draft, ready to "
        "launch again."
    )


def test_c2_a_draft_is_launched_from_campaign_details(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_simulator: Simulator,
    sim_clock: ManualClock,
    new_draft: NewDraft,
) -> None:
    thrudesk_simulator.force_next("complete", after=timedelta(minutes=30))
    campaign = new_draft("Block party")
    details = show_details(window, campaign)
    launch = child(details, QPushButton, "details_launch_button")
    assert launch.isVisible()
    click(qtbot, launch)

    dialog = wait_dialog(qtbot, window, "launch_dialog")
    assert dialog.windowTitle() == "Launch Block party"
    single_use = child(dialog, QRadioButton, "number_mode_single_use")
    assert single_use.isChecked()  # no complete dedicated number yet (C2)
    click_named(qtbot, dialog, "accept_button")
    qtbot.waitUntil(lambda: not dialog.isVisible())

    tags = child(details, TagStrip, "details_status_tags")
    assert next(t.text for t in tags.tags()) == "Launching"
    assert not launch.isVisible()  # only a Draft launches
    bar = child(details, MessageBar, "details_message_bar")
    assert bar.text().startswith("“Block party” is Launching on (512) ")
    sim_clock.advance(minutes=31)
    qtbot.waitUntil(lambda: next(t.text for t in tags.tags()) == "Active")
