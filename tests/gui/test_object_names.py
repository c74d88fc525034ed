"""The names testers rely on (UI.md, For testers) are the names docs/testing.md lists."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.gui.every_dialog import every_dialog
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount
from thrudesk.views.main_window import MainWindow

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
    seen = _names(window)
    for opened in every_dialog(
        qtbot, window, thrudesk_services, thrudesk_simulator, thrudesk_account, sim_clock
    ):
        seen |= _names(opened)
    seen |= _names(window)  # Campaign Details, built on the way

    documented = _documented()
    assert seen >= REQUIRED, f"missing from the window: {sorted(REQUIRED - seen)}"
    undocumented = sorted(name for name in seen if not _is_documented(name, documented))
    assert undocumented == [], f"add to docs/testing.md, Object names: {undocumented}"
