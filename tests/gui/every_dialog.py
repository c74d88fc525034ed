"""Every dialog of the window, opened the way an admin opens it, one after the other."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtWidgets import QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from tests.gui.helpers import child, click, click_named, row_of, select, type_area_code, wait_dialog
from thrudesk.services.clock import ManualClock
from thrudesk.services.contacts import ImportProblem, ImportReport
from thrudesk.services.container import Services
from thrudesk.services.rows import NumberMode
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount
from thrudesk.views.area_code_picker import AreaCodePicker
from thrudesk.views.main_window import MainWindow
from thrudesk.views.teamwork_dialogs import ImportReportDialog


def every_dialog(
    qtbot: QtBot,
    window: MainWindow,
    services: Services,
    simulator: Simulator,
    account: StarterAccount,
    clock: ManualClock,
) -> Iterator[QWidget]:
    """Each dialog (and the notifications popup) open in turn, closed when the caller asks for
    the next: on a complete dedicated number, an Active campaign and a Draft.
    """
    actor = account.actor
    simulator.force_next("complete")
    number = services.numbers.create_dedicated(actor, ["415"], 1, "Main line")
    clock.advance(minutes=10)
    active = services.campaigns.create(actor, "Active one", use_case_id=1)
    services.campaigns.launch(actor, active, NumberMode.DEDICATED, number.id)
    draft = services.campaigns.create(actor, "Draft one", area_codes=["512"], use_case_id=1)

    def opened(button: str, dialog: str, parent: QWidget = window) -> Iterator[QWidget]:
        click_named(qtbot, parent, button)
        shown = wait_dialog(qtbot, window, dialog)
        yield shown
        shown.close()

    for shown in opened("add_number_button", "add_number_dialog"):
        yield shown
        type_area_code(child(shown, AreaCodePicker, "area_code_picker"), "212")
        yield shown  # with the hard-to-get warning (N8)
    yield from opened("hard_to_get_button", "hard_to_get_dialog")
    table = window.phone_numbers_tab.table
    qtbot.waitUntil(lambda: row_of(table, number.id) is not None)
    select(qtbot, table, number.id)
    yield from opened("rename_number_button", "rename_dialog")
    window.tabs.setCurrentIndex(1)
    yield from opened("new_campaign_button", "new_campaign_dialog")
    campaigns = window.campaigns_tab.table
    qtbot.waitUntil(lambda: row_of(campaigns, draft) is not None)
    select(qtbot, campaigns, draft)
    for shown in opened("launch_button", "launch_dialog"):
        yield shown
        click(qtbot, child(shown, QRadioButton, "number_mode_single_use"))
        yield shown  # with the single-use estimate
        click(qtbot, child(shown, QRadioButton, "number_mode_dedicated"))
        yield shown
    select(qtbot, campaigns, active)
    yield from opened("followup_button", "followup_dialog")
    yield from opened("archive_button", "confirm_dialog")
    yield from opened("clock_jump_button", "jump_dialog")
    select(qtbot, campaigns, draft)
    yield from opened("edit_campaign_button", "edit_campaign_dialog")
    window.show_campaign_details(active)
    details = window.campaign_details_tab
    yield from opened("add_senders_button", "add_senders_dialog", details)
    yield from opened("create_followup_button", "followup_dialog", details)
    for settings in (
        window.open_sending_parameters_dialog(),
        window.open_account_settings_dialog(),
    ):
        yield settings
        settings.close()
    report = ImportReportDialog(
        ImportReport(active, 3, 1, 0, 0, 1, (ImportProblem(2, "has 1 cells"),), (), False),
        "people.csv",
        services,
        window,
    )
    report.show()
    yield report
    report.close()
    click_named(qtbot, window, "notifications_button")
    yield window.notifications_popup
    window.notifications_popup.hide()
