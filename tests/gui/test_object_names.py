"""The names testers rely on (UI.md, For testers) are the names docs/testing.md lists."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.gui.helpers import click_named, row_of, select, wait_dialog
from thrudesk.services.clock import ManualClock
from thrudesk.services.contacts import ImportProblem, ImportReport
from thrudesk.services.container import Services
from thrudesk.services.rows import NumberMode
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount
from thrudesk.views.main_window import MainWindow
from thrudesk.views.teamwork_dialogs import ImportReportDialog

DOC = Path(__file__).resolve().parents[2] / "docs" / "testing.md"
REQUIRED = {
    "phone_numbers_table",
    "add_number_button",
    "rename_number_button",
    "delete_number_button",
    "hard_to_get_button",
    "campaigns_table",
    "new_campaign_button",
    "launch_button",
    "followup_button",
    "clone_button",
    "archive_button",
    "launch_dialog",
    "number_mode_dedicated",
    "number_mode_single_use",
    "dedicated_number_combo",
    "manage_numbers_button",
    "provisioning_badge",
    "clock_speed_combo",
    "clock_pause_button",
    "clock_jump_button",
    "scenario_combo",
    "account_combo",
    "notifications_button",
    "campaign_filter_edit",
    "campaign_status_filter",
    "number_filter_edit",
    "clone_and_archive_button",
    "add_number_dialog",
    "area_code_picker",
    "estimate_label",
    "error_label",
    "add_senders_button",
    "self_assign_check",
    "batch_size_edit",
    "copy_link_button",
    "disable_link_button",
    "import_contacts_button",
    "transfer_progress_bar",
    "start_date_edit",
    "contact_choices_table",
}


def _documented() -> set[str]:
    return set(re.findall(r"`([a-z][a-z0-9_<>]*)`", DOC.read_text()))


def _names(root: QWidget) -> set[str]:
    names = {root.objectName()}
    names |= {child.objectName() for child in root.findChildren(QObject)}
    # Qt names its own parts too (qt_…, _q_…, ScrollLeftButton): only snake_case names are ours.
    return {
        name
        for name in names
        if re.fullmatch(r"[a-z][a-z0-9_]*", name) and not name.startswith("qt_")
    }


def _is_documented(name: str, documented: set[str]) -> bool:
    if name in documented:
        return True
    if name.endswith("_box") and name.removesuffix("_box") in documented:
        return True
    return re.sub(r"_\d+$", "_<id>", name) in documented


def test_every_object_name_of_the_window_and_its_dialogs_is_documented(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    actor = thrudesk_account.actor
    thrudesk_simulator.force_next("complete")
    number = thrudesk_services.numbers.create_dedicated(actor, ["415"], 1, "Main line")
    sim_clock.advance(minutes=10)
    active = thrudesk_services.campaigns.create(actor, "Active one", use_case_id=1)
    thrudesk_services.campaigns.launch(actor, active, NumberMode.DEDICATED, number.id)
    draft = thrudesk_services.campaigns.create(
        actor, "Draft one", area_codes=["512"], use_case_id=1
    )
    seen = _names(window)

    def dialog_names(button: str, dialog: str, parent: QWidget = window) -> None:
        click_named(qtbot, parent, button)
        opened = wait_dialog(qtbot, window, dialog)
        seen.update(_names(opened))
        opened.close()

    dialog_names("add_number_button", "add_number_dialog")
    dialog_names("hard_to_get_button", "hard_to_get_dialog")
    table = window.phone_numbers_tab.table
    qtbot.waitUntil(lambda: row_of(table, number.id) is not None)
    select(qtbot, table, number.id)
    dialog_names("rename_number_button", "rename_dialog")
    window.tabs.setCurrentIndex(1)
    dialog_names("new_campaign_button", "new_campaign_dialog")
    campaigns = window.campaigns_tab.table
    qtbot.waitUntil(lambda: row_of(campaigns, draft) is not None)
    select(qtbot, campaigns, draft)
    dialog_names("launch_button", "launch_dialog")
    select(qtbot, campaigns, active)
    dialog_names("followup_button", "followup_dialog")
    dialog_names("archive_button", "confirm_dialog")
    dialog_names("clock_jump_button", "jump_dialog")
    select(qtbot, campaigns, draft)
    dialog_names("edit_campaign_button", "edit_campaign_dialog")
    window.show_campaign_details(active)
    seen |= _names(window)
    details = window.campaign_details_tab
    dialog_names("add_senders_button", "add_senders_dialog", details)
    dialog_names("create_followup_button", "followup_dialog", details)
    for opened in (window.open_sending_parameters_dialog(), window.open_account_settings_dialog()):
        seen |= _names(opened)
        opened.close()
    report = ImportReportDialog(
        ImportReport(active, 3, 1, 0, 0, 1, (ImportProblem(2, "has 1 cells"),), (), False),
        "people.csv",
        window,
    )
    seen |= _names(report)
    report.close()
    click_named(qtbot, window, "notifications_button")
    seen |= _names(window.notifications_popup)
    window.notifications_popup.hide()

    documented = _documented()
    assert seen >= REQUIRED, f"missing from the window: {sorted(REQUIRED - seen)}"
    undocumented = sorted(name for name in seen if not _is_documented(name, documented))
    assert undocumented == [], f"add to docs/testing.md, Object names: {undocumented}"
