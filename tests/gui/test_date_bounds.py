"""The date editors and the clock's Jump dialog offer only the dates the services accept: from
1 January 2000 to 31 December 2099 (DOMAIN.md "Errors"), in the time zone they are shown in.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QDateTimeEdit, QLabel, QPlainTextEdit, QToolButton
from pytestqt.qtbot import QtBot

from tests.gui.helpers import (
    child,
    click_named,
    show_details,
    shown_text,
    type_text,
    wait_dialog,
)
from tests.gui.teamwork_steps import CampaignWithContacts
from thrudesk.services.clock import ManualClock, ScaledClock
from thrudesk.services.container import Services
from thrudesk.services.starter import StarterAccount
from thrudesk.services.store import Store
from thrudesk.services.validation import LATEST
from thrudesk.views.main_window import MainWindow
from thrudesk.views.theme import ThemeManager

FIRST = QDate(2000, 1, 1)
LAST = QDate(2099, 12, 31)
YEAR_9999 = QDateTime(QDate(9999, 12, 31), QTime(23, 59))
YEAR_1900 = QDateTime(QDate(1900, 1, 1), QTime(0, 0))


def _offers_only_2000_to_2099(edit: QDateTimeEdit) -> None:
    assert edit.minimumDate() == FIRST
    assert edit.maximumDate() == LAST
    edit.setDateTime(YEAR_9999)
    assert edit.date() == LAST
    assert edit.text().startswith("Thu 31 Dec 2099")
    edit.setDateTime(YEAR_1900)
    assert edit.date() == FIRST


@pytest.mark.usefixtures("quiet")
def test_c11_the_start_and_end_date_editors_offer_nothing_after_2099(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    campaign = campaign_with_contacts(1)
    details = show_details(window, campaign.id)
    click_named(qtbot, details, "start_date_change_button")
    _offers_only_2000_to_2099(child(details, QDateTimeEdit, "start_date_edit"))
    click_named(qtbot, details, "start_date_cancel_button")

    click_named(qtbot, details, "end_date_change_button")
    edit = child(details, QDateTimeEdit, "end_date_edit")
    _offers_only_2000_to_2099(edit)
    edit.setDateTime(YEAR_9999)  # the latest the editor offers is saved without a refusal
    click_named(qtbot, details, "end_date_save_button")
    value = child(details, QLabel, "end_date_value")
    qtbot.waitUntil(value.isVisible)
    assert value.text() == "Thu 31 Dec 2099, 04:59"  # 23:59 at UTC+14, in New York
    assert shown_text(child(details, QLabel, "end_at_error")) == ""
    window_row = thrudesk_services.sending_window.window(thrudesk_account.actor, campaign.id)
    assert window_row.end_at == LATEST


@pytest.mark.usefixtures("quiet")
def test_c8_the_followup_expiry_editor_offers_nothing_after_2099(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    campaign = campaign_with_contacts(1)
    details = show_details(window, campaign.id)
    click_named(qtbot, details, "create_followup_button")
    dialog = wait_dialog(qtbot, window, "followup_dialog")
    edit = child(dialog, QDateTimeEdit, "expires_edit")
    _offers_only_2000_to_2099(edit)
    edit.setDateTime(YEAR_9999)
    type_text(child(dialog, QPlainTextEdit, "message_edit"), "Last call!")
    click_named(qtbot, dialog, "accept_button")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    actor = thrudesk_account.actor
    [followup] = [row for row in thrudesk_services.campaigns.index(actor).rows if row.parent_id]
    assert thrudesk_services.campaigns.details(actor, followup.id).end_at == LATEST


def test_s1_the_jump_dialog_offers_nothing_after_2099(
    qtbot: QtBot, window: MainWindow, sim_clock: ManualClock
) -> None:
    start = sim_clock.now()
    click_named(qtbot, window, "clock_jump_button")
    dialog = wait_dialog(qtbot, window, "jump_dialog")
    edit = child(dialog, QDateTimeEdit, "jump_datetime_edit")
    _offers_only_2000_to_2099(edit)
    click_named(qtbot, dialog, "accept_button")  # 1 January 2000: the clock only moves forward
    assert "only moves forward" in shown_text(child(dialog, QLabel, "clock_error"))
    assert sim_clock.now() == start
    dialog.close()


def test_s1_the_pause_button_shows_a_clock_stopped_at_the_end_of_2099(
    qtbot: QtBot,
    thrudesk_store: Store,
    thrudesk_account: StarterAccount,
    themed: ThemeManager,
    qasync_loop: asyncio.AbstractEventLoop,
) -> None:
    """S1: a scaled clock running into the last moment of 2099 pauses there by itself; the
    speed and pause controls show it paused, and Resume leaves it there.
    """
    clock = ScaledClock(LATEST - timedelta(hours=5), speed=3600)  # 5 s of wall time
    window = MainWindow(Services(thrudesk_store, clock), None, thrudesk_account.actor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    clock.attach(qasync_loop)
    pause = child(window, QToolButton, "clock_pause_button")
    speed = child(window, QLabel, "status_speed_label")
    assert (pause.text(), speed.text()) == ("Pause", "Speed 3600×")

    qtbot.waitUntil(lambda: pause.text() == "Resume", timeout=20_000)
    assert pause.isChecked()
    assert speed.text() == "Paused"
    assert clock.now() == LATEST

    click_named(qtbot, window, "clock_pause_button")  # Resume: the clock stays at the bound
    assert (pause.text(), speed.text()) == ("Resume", "Paused")
    assert clock.now() == LATEST
    clock.detach()
    window.shutdown()
