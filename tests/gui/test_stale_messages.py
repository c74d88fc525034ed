"""A message about a value goes as soon as the value changes (UI.md "Everywhere": an error label
goes away as soon as its cause is fixed).
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from tests.gui.helpers import (
    child,
    click,
    click_named,
    select_campaign,
    shown_text,
    type_area_code,
    type_text,
    wait_dialog,
)
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.rows import NumberMode
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount
from thrudesk.views.area_code_picker import AreaCodePicker
from thrudesk.views.main_window import MainWindow
from thrudesk.views.widgets import MessageBar


def test_the_blank_title_refusal_goes_once_a_title_is_typed(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.tabs.setCurrentIndex(1)
    click_named(qtbot, window, "new_campaign_button")
    dialog = wait_dialog(qtbot, window, "new_campaign_dialog")
    click_named(qtbot, dialog, "accept_button")
    title_error = child(dialog, QLabel, "title_error")
    assert shown_text(title_error) == "The title cannot be blank."
    title = child(dialog, QLineEdit, "title_edit")
    assert title.property("invalid") is True
    type_text(title, "Spring canvass")
    assert shown_text(title_error) == ""
    assert not title.property("invalid")


def test_a_use_case_refusal_goes_once_another_use_case_is_chosen(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
) -> None:
    actor, use_case = thrudesk_account.actor, thrudesk_account.use_case_id
    for position in range(49):
        campaign = thrudesk_services.campaigns.create(
            actor, f"Single {position}", area_codes=["512"], use_case_id=use_case
        )
        thrudesk_services.campaigns.launch(actor, campaign, NumberMode.SINGLE_USE)
    click_named(qtbot, window.phone_numbers_tab, "add_number_button")
    dialog = wait_dialog(qtbot, window, "add_number_dialog")
    type_area_code(child(dialog, AreaCodePicker, "area_code_picker"), "415")
    combo = child(dialog, QComboBox, "use_case_combo")
    combo.setCurrentIndex(combo.findData(use_case))
    click_named(qtbot, dialog, "accept_button")
    error = child(dialog, QLabel, "use_case_error")
    assert "already has 49 of its 49 numbers" in shown_text(error)
    other = next(
        index for index in range(combo.count()) if combo.itemData(index) not in (use_case, None)
    )
    combo.setCurrentIndex(other)
    assert shown_text(error) == ""
    assert not combo.property("invalid")


def _bar_text(tab: QWidget) -> str:
    return child(tab, MessageBar, "message_bar").text()


def test_provisioning_has_started_goes_once_the_number_is_complete(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_simulator: Simulator,
    sim_clock: ManualClock,
) -> None:
    thrudesk_simulator.force_next("complete", after=timedelta(minutes=20))
    tab = window.phone_numbers_tab
    click_named(qtbot, tab, "add_number_button")
    dialog = wait_dialog(qtbot, window, "add_number_dialog")
    type_area_code(child(dialog, AreaCodePicker, "area_code_picker"), "415")
    click_named(qtbot, dialog, "accept_button")
    qtbot.waitUntil(lambda: "provisioning has started" in _bar_text(tab))
    sim_clock.advance(minutes=5)
    window.bridge.flush()
    assert "provisioning has started" in _bar_text(tab)  # still provisioning: it stays
    sim_clock.advance(minutes=20)
    qtbot.waitUntil(lambda: _bar_text(tab) == "")


def test_launching_becomes_active_goes_once_the_campaign_is_active(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    thrudesk_simulator: Simulator,
    sim_clock: ManualClock,
) -> None:
    campaign = thrudesk_services.campaigns.create(
        thrudesk_account.actor,
        "Spring canvass",
        area_codes=["512"],
        use_case_id=thrudesk_account.use_case_id,
    )
    thrudesk_simulator.force_next("complete", after=timedelta(minutes=20))
    window.tabs.setCurrentIndex(1)
    tab = window.campaigns_tab
    select_campaign(qtbot, window, campaign)
    click_named(qtbot, window, "launch_button")
    dialog = wait_dialog(qtbot, window, "launch_dialog")
    click(qtbot, child(dialog, QRadioButton, "number_mode_single_use"))
    click_named(qtbot, dialog, "accept_button")
    qtbot.waitUntil(lambda: "becomes Active when" in _bar_text(tab))
    sim_clock.advance(minutes=5)
    window.bridge.flush()
    assert "becomes Active when" in _bar_text(tab)
    sim_clock.advance(minutes=20)
    qtbot.waitUntil(lambda: _bar_text(tab) == "")
