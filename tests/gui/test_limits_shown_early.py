"""A limit that blocks an action shows before the admin fills in a form (UI.md "Everywhere"):
the action is disabled with the service's own reason, and a choice that cannot be taken is shown
disabled with why, not offered and refused later.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from tests.gui.conftest import NewDraft
from tests.gui.helpers import child, click_named, open_dialog, select_campaign, wait_dialog
from thrudesk.models.enums import UseCaseStatus
from thrudesk.services.container import Services
from thrudesk.services.rows import NumberMode
from thrudesk.services.starter import StarterAccount
from thrudesk.views.main_window import MainWindow
from thrudesk.views.widgets import MessageBar

N2_REFUSAL = (
    "This account already has 5 of its 5 dedicated numbers. To free a slot, delete a dedicated "
    "number that no unarchived campaign uses."
)


def test_n2_at_five_of_five_add_number_is_disabled_with_the_reason_and_opens_no_form(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
) -> None:
    tab = window.phone_numbers_tab
    add = child(tab, QPushButton, "add_number_button")
    assert add.isEnabled()
    for index in range(5):
        thrudesk_services.numbers.create_dedicated(
            thrudesk_account.actor, ["415"], thrudesk_account.use_case_id, f"Line {index}"
        )
    qtbot.waitUntil(lambda: not add.isEnabled())
    assert add.toolTip() == N2_REFUSAL
    # Ctrl+N (and C2's Manage) say the same instead of opening the form.
    window.phone_numbers_tab.open_add_dialog()
    assert open_dialog(window, "add_number_dialog") is None
    assert child(tab, MessageBar, "message_bar").text() == N2_REFUSAL
    # A slot freed: the action is back.
    [first, *_rest] = thrudesk_services.numbers.page(thrudesk_account.actor).rows
    thrudesk_services.numbers.delete(thrudesk_account.actor, first.id)
    qtbot.waitUntil(add.isEnabled)


def test_u1_a_pending_use_case_is_shown_disabled_with_why_in_the_add_number_dialog(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
) -> None:
    pending = thrudesk_services.accounts.add_use_case(
        thrudesk_account.account_id,
        thrudesk_account.brand_id,
        "Fundraising",
        UseCaseStatus.PENDING,
    )
    click_named(qtbot, window.phone_numbers_tab, "add_number_button")
    dialog = wait_dialog(qtbot, window, "add_number_dialog")
    combo = child(dialog, QComboBox, "use_case_combo")
    position = combo.findData(pending)
    model = combo.model()
    assert isinstance(model, QStandardItemModel)
    assert not model.item(position).isEnabled()
    assert combo.itemData(position, Qt.ItemDataRole.ToolTipRole) == (
        "The use case “Fundraising” is Pending; numbers can be attached only to an Approved "
        "use case."
    )
    assert combo.currentData() != pending
    approved = [combo.itemData(i) for i in range(combo.count()) if model.item(i).isEnabled()]
    assert sorted(approved) == sorted(thrudesk_account.use_case_ids)


def _open_launch(qtbot: QtBot, window: MainWindow, campaign: int) -> QWidget:
    window.tabs.setCurrentIndex(1)
    select_campaign(qtbot, window, campaign)
    click_named(qtbot, window, "launch_button")
    return wait_dialog(qtbot, window, "launch_dialog")


def test_c2_with_no_complete_dedicated_number_the_launch_dialog_starts_on_single_use(
    qtbot: QtBot, window: MainWindow, new_draft: NewDraft
) -> None:
    dialog = _open_launch(qtbot, window, new_draft("Spring canvass"))
    assert child(dialog, QRadioButton, "number_mode_single_use").isChecked()
    assert not child(dialog, QRadioButton, "number_mode_dedicated").isChecked()
    assert (
        child(dialog, QLabel, "use_case_usage_label")
        .text()
        .startswith("Use case Voter Outreach · 0 of 49 numbers")
    )


def test_n3_a_use_case_at_49_shows_on_the_launch_dialog_before_launch_is_pressed(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    new_draft: NewDraft,
) -> None:
    actor = thrudesk_account.actor
    for position in range(49):
        launched = new_draft(f"Earlier {position}")
        thrudesk_services.campaigns.launch(actor, launched, NumberMode.SINGLE_USE)
    dialog = _open_launch(qtbot, window, new_draft("Fiftieth"))
    single_use = child(dialog, QRadioButton, "number_mode_single_use")
    assert not single_use.isEnabled()
    assert not single_use.isChecked()
    refusal = child(dialog, QLabel, "single_use_refusal_label")
    assert refusal.isVisibleTo(dialog)
    assert refusal.text().startswith(
        "The use case “Voter Outreach” already has 49 of its 49 numbers."
    )
    assert (
        "Voter Outreach · 49 of 49 numbers" in child(dialog, QLabel, "use_case_usage_label").text()
    )
