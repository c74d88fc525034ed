"""The Phone Numbers tab, driven through its widgets (N1, N2, N3, N5, N6, N8, N9, U2, S6)."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPushButton, QTableView
from pytestqt.qtbot import QtBot

from tests.gui.helpers import (
    answer_confirmation,
    cell_tags,
    cell_text,
    cell_tooltip,
    child,
    click,
    click_named,
    row_of,
    select,
    shown_text,
    type_area_code,
    type_text,
    wait_dialog,
)
from tests.gui.teamwork_steps import complete_number
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.rows import NumberMode
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount
from thrudesk.views.area_code_picker import AreaCodePicker
from thrudesk.views.main_window import CAMPAIGNS_TAB, PHONE_NUMBERS, MainWindow
from thrudesk.views.theme import Tone
from thrudesk.views.widgets import MessageBar


def _numbers_table(window: MainWindow) -> QTableView:
    return child(window, QTableView, "phone_numbers_table")


def _launched_on(services: Services, account: StarterAccount, number_id: int) -> int:
    """A campaign launched Active on the dedicated number; answers its id."""
    campaign = services.campaigns.create(
        account.actor, "Turnout", area_codes=["415"], use_case_id=account.use_case_id
    )
    services.campaigns.launch(account.actor, campaign, NumberMode.DEDICATED, number_id)
    return campaign


def _fill_add_dialog(qtbot: QtBot, window: MainWindow, code: str, name: str) -> QPushButton:
    click_named(qtbot, window.phone_numbers_tab, "add_number_button")
    dialog = wait_dialog(qtbot, window, "add_number_dialog")
    picker = child(dialog, AreaCodePicker, "area_code_picker")
    type_area_code(picker, code)
    type_text(child(dialog, QLineEdit, "name_edit"), name)
    return child(dialog, QPushButton, "accept_button")


def test_n1_n9_added_number_turns_from_yellow_to_green_as_the_clock_advances(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    thrudesk_simulator.force_next("complete", after=timedelta(minutes=20))
    accept = _fill_add_dialog(qtbot, window, "415", "Bay office")
    dialog = wait_dialog(qtbot, window, "add_number_dialog")
    # S6: the expected time is shown before the admin commits.
    assert "Expected provisioning time" in child(dialog, QLabel, "estimate_label").text()
    click(qtbot, accept)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    table = _numbers_table(window)
    [number] = thrudesk_services.numbers.page(thrudesk_account.actor).rows
    assert number.name == "Bay office"
    qtbot.waitUntil(lambda: row_of(table, number.id) is not None)
    assert cell_text(table, number.id, "Name") == "Bay office"
    [badge] = cell_tags(table, number.id, "Provisioning")
    assert (badge.text, badge.tone) == ("Provisioning Initiated", Tone.WARNING)  # yellow
    tooltip = cell_tooltip(table, number.id, "Provisioning")
    assert "AT&amp;T: Pending" in tooltip
    assert "Expected to complete in" in tooltip

    sim_clock.advance(minutes=13)  # the first carrier has answered, the others not yet
    qtbot.waitUntil(lambda: cell_text(table, number.id, "Carriers").count("✓") == 1)
    [badge] = cell_tags(table, number.id, "Provisioning")
    assert badge.tone is Tone.WARNING

    sim_clock.advance(minutes=10)
    qtbot.waitUntil(
        lambda: cell_tags(table, number.id, "Provisioning")[0].text == "Provisioning Complete"
    )
    [badge] = cell_tags(table, number.id, "Provisioning")
    assert badge.tone is Tone.SUCCESS  # green
    assert cell_text(table, number.id, "Carriers") == "✓ ✓ ✓"
    assert "1 of 5 dedicated numbers" in child(window, QLabel, "dedicated_usage_label").text()


def test_n2_sixth_dedicated_number_is_refused_inline(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
) -> None:
    for code in ("415", "512", "312", "303"):
        thrudesk_services.numbers.create_dedicated(
            thrudesk_account.actor, [code], thrudesk_account.use_case_id
        )
    usage = child(window, QLabel, "dedicated_usage_label")
    qtbot.waitUntil(lambda: usage.text() == "4 of 5 dedicated numbers")

    accept = _fill_add_dialog(qtbot, window, "702", "One too many")
    dialog = wait_dialog(qtbot, window, "add_number_dialog")
    # The fifth slot is taken while the form is open (another admin, a support fulfilment).
    thrudesk_services.numbers.create_dedicated(
        thrudesk_account.actor, ["404"], thrudesk_account.use_case_id
    )
    click(qtbot, accept)

    error = child(dialog, QLabel, "error_label")
    assert dialog.isVisible(), "a refused number keeps the dialog open"
    assert "already has 5 of its 5 dedicated numbers" in shown_text(error)
    assert "delete a dedicated number" in error.text()
    page = thrudesk_services.numbers.page(thrudesk_account.actor)
    assert page.total == 5


def test_n3_fiftieth_number_of_a_use_case_is_refused_beside_the_use_case(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
) -> None:
    actor = thrudesk_account.actor
    use_case = thrudesk_account.use_case_id
    for position in range(49):
        campaign = thrudesk_services.campaigns.create(
            actor, f"Single {position}", area_codes=["512"], use_case_id=use_case
        )
        thrudesk_services.campaigns.launch(actor, campaign, NumberMode.SINGLE_USE)
    # U2: the usage is shown, with its warning from 45.
    chip = child(window, QLabel, f"use_case_usage_{use_case}")
    qtbot.waitUntil(lambda: chip.text() == "Voter Outreach: 49 of 49 numbers")
    assert chip.property("warning") is True

    accept = _fill_add_dialog(qtbot, window, "415", "Fiftieth")
    dialog = wait_dialog(qtbot, window, "add_number_dialog")
    combo = child(dialog, QComboBox, "use_case_combo")
    combo.setCurrentIndex(combo.findData(use_case))
    click(qtbot, accept)

    message = shown_text(child(dialog, QLabel, "use_case_error"))
    assert "already has 49 of its 49 numbers" in message
    assert "archiving old single-use campaigns" in message
    assert combo.property("invalid") is True
    assert thrudesk_services.numbers.dedicated_usage(actor).used == 0


def test_n5_delete_is_disabled_with_its_reason_while_a_campaign_uses_the_number(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    actor = thrudesk_account.actor
    number_id = complete_number(
        thrudesk_services, thrudesk_simulator, sim_clock, thrudesk_account, "Main line"
    )
    campaign = _launched_on(thrudesk_services, thrudesk_account, number_id)
    table = _numbers_table(window)
    qtbot.waitUntil(lambda: cell_text(table, number_id, "Campaigns") == "1")

    select(qtbot, table, number_id)
    delete = child(window, QPushButton, "delete_number_button")
    assert not delete.isEnabled()
    assert delete.toolTip() == "In use by: Turnout. Archive them first."

    thrudesk_services.campaigns.archive(actor, campaign)
    qtbot.waitUntil(delete.isEnabled)
    click(qtbot, delete)
    question = answer_confirmation(qtbot, window)
    assert question.startswith("Delete (415)")
    qtbot.waitUntil(lambda: row_of(table, number_id) is None)
    bar = child(window.phone_numbers_tab, MessageBar, "message_bar")
    assert "was deleted" in bar.text()
    assert thrudesk_services.numbers.dedicated_usage(actor).used == 0


def test_n5_cancelled_delete_keeps_the_number(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
) -> None:
    number = thrudesk_services.numbers.create_dedicated(
        thrudesk_account.actor, ["415"], thrudesk_account.use_case_id, "Spare"
    )
    table = _numbers_table(window)
    qtbot.waitUntil(lambda: row_of(table, number.id) is not None)
    select(qtbot, table, number.id)
    click_named(qtbot, window, "delete_number_button")
    answer_confirmation(qtbot, window, accept=False)
    qtbot.wait(50)
    assert row_of(table, number.id) is not None
    assert thrudesk_services.numbers.dedicated_usage(thrudesk_account.actor).used == 1


def test_n5_a_deleted_number_is_listed_again_marked_released_when_released_ones_are_shown(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
) -> None:
    actor = thrudesk_account.actor
    kept = thrudesk_services.numbers.create_dedicated(
        actor, ["415"], thrudesk_account.use_case_id, "Kept"
    )
    gone = thrudesk_services.numbers.create_dedicated(
        actor, ["512"], thrudesk_account.use_case_id, "Gone"
    )
    thrudesk_services.numbers.delete(actor, gone.id)
    table = _numbers_table(window)
    qtbot.waitUntil(lambda: row_of(table, kept.id) is not None)
    assert row_of(table, gone.id) is None

    released = child(window, QCheckBox, "show_released_check")
    click(qtbot, released)
    qtbot.waitUntil(lambda: row_of(table, gone.id) is not None)
    # A released number shows Released alone, muted: no live badge beside it to cut it short.
    [tag] = cell_tags(table, gone.id, "Provisioning")
    assert (tag.text, tag.tone) == ("Released", Tone.MUTED)
    assert "Released" not in [tag.text for tag in cell_tags(table, kept.id, "Provisioning")]

    click(qtbot, released)
    qtbot.waitUntil(lambda: row_of(table, gone.id) is None)
    assert row_of(table, kept.id) is not None


def test_n6_rename_shows_the_name_wherever_the_number_is_shown(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    number_id = complete_number(
        thrudesk_services, thrudesk_simulator, sim_clock, thrudesk_account, "Old name"
    )
    campaign = _launched_on(thrudesk_services, thrudesk_account, number_id)
    table = _numbers_table(window)
    qtbot.waitUntil(lambda: row_of(table, number_id) is not None)
    select(qtbot, table, number_id)
    click_named(qtbot, window, "rename_number_button")
    dialog = wait_dialog(qtbot, window, "rename_dialog")
    name = child(dialog, QLineEdit, "name_edit")
    name.clear()
    click_named(qtbot, dialog, "accept_button")
    assert "choose No name" in shown_text(child(dialog, QLabel, "name_error"))

    type_text(name, "Main line")
    click_named(qtbot, dialog, "accept_button")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: cell_text(table, number_id, "Name") == "Main line")
    window.tabs.setCurrentIndex(CAMPAIGNS_TAB)
    campaigns = child(window, QTableView, "campaigns_table")
    qtbot.waitUntil(lambda: cell_text(campaigns, campaign, "Phone number").endswith("Main line"))

    window.tabs.setCurrentIndex(PHONE_NUMBERS)
    click_named(qtbot, window, "rename_number_button")
    dialog = wait_dialog(qtbot, window, "rename_dialog")
    click(qtbot, child(dialog, QCheckBox, "no_name_check"))
    click_named(qtbot, dialog, "accept_button")
    qtbot.waitUntil(lambda: cell_text(table, number_id, "Name") == "")


def test_n8_hard_to_get_area_code_warns_and_can_be_requested(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
) -> None:
    _fill_add_dialog(qtbot, window, "206", "")
    dialog = wait_dialog(qtbot, window, "add_number_dialog")
    warning = child(dialog, QLabel, "hard_to_get_warning")
    assert "206 (Seattle, WA) is a hard-to-get area code" in shown_text(warning)
    click_named(qtbot, dialog, "cancel_button")

    click_named(qtbot, window, "hard_to_get_button")
    request = wait_dialog(qtbot, window, "hard_to_get_dialog")
    picker = child(request, AreaCodePicker, "area_code_picker")
    type_area_code(picker, "415")
    click_named(qtbot, request, "accept_button")
    assert "not a hard-to-get area code" in shown_text(child(request, QLabel, "area_code_error"))

    picker.clear()
    type_area_code(picker, "206")
    type_text(child(request, QLineEdit, "name_edit"), "Seattle office")
    click_named(qtbot, request, "accept_button")
    qtbot.waitUntil(lambda: not request.isVisible())
    bar = child(window.phone_numbers_tab, MessageBar, "message_bar")
    assert "Request for a number in 206 sent to support" in bar.text()
    [filed] = thrudesk_services.hard_to_get.all(thrudesk_account.actor)
    assert (filed.area_code, filed.name) == ("206", "Seattle office")


def test_n1_area_code_picker_finds_codes_by_city_and_state(qtbot: QtBot) -> None:
    picker = AreaCodePicker()
    qtbot.addWidget(picker)
    picker.show()
    type_area_code(picker, "Montana")
    suggestions = picker.completer().model()
    texts = [suggestions.index(i, 0).data() for i in range(suggestions.rowCount())]
    assert texts == ["406 · Billings, MT (hard to get)"]  # found by the state's name
    picker.clear()
    type_area_code(picker, "Seattle")
    texts = [suggestions.index(i, 0).data() for i in range(suggestions.rowCount())]
    assert texts[0].startswith("206 · Seattle, WA")
    picker.setText(texts[0])
    assert picker.area_code() == "206"


def test_number_filter_searches_in_the_store(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
) -> None:
    actor = thrudesk_account.actor
    bay = thrudesk_services.numbers.create_dedicated(
        actor, ["415"], thrudesk_account.use_case_id, "Bay"
    )
    austin = thrudesk_services.numbers.create_dedicated(
        actor, ["512"], thrudesk_account.use_case_id, "Austin desk"
    )
    table = _numbers_table(window)
    qtbot.waitUntil(lambda: table.model().rowCount() == 2)
    type_text(child(window, QLineEdit, "number_filter_edit"), "Austin")
    qtbot.waitUntil(lambda: table.model().rowCount() == 1)
    assert row_of(table, austin.id) == 0
    assert row_of(table, bay.id) is None
    assert child(window, QLabel, "number_count_label").text() == "1 number"
