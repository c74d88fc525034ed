"""Create Followup's targeting through the dialog (C8), the launch advisory with provisioning-based
launching off (C7, C5), editing a Draft, and the account's settings (C14).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableView,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from tests.gui.conftest import NewDraft
from tests.gui.helpers import (
    check_model,
    child,
    click,
    click_at,
    click_named,
    open_from_menu,
    row_of,
    select_campaign,
    shown_text,
    type_text,
    wait_dialog,
)
from tests.gui.teamwork_steps import CampaignWithContacts, active_campaign, quiet_team, sender_on
from tests.unit.services.teamwork_helpers import phone, write_csv
from thrudesk.services.clock import ManualClock
from thrudesk.services.contacts import ConversationRow
from thrudesk.services.container import Services
from thrudesk.services.errors import InvalidInput
from thrudesk.services.rows import MessageState, NumberMode
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount
from thrudesk.views import followup_dialog
from thrudesk.views.followup_dialog import ContactChoiceModel
from thrudesk.views.main_window import MainWindow


def _audience(dialog: QDialog) -> str:
    return child(dialog, QLabel, "audience_label").text()


def _tick_contact(qtbot: QtBot, table: QTableView, contact_id: int) -> None:
    """Tick the contact's Leave out box with the mouse."""
    position = row_of(table, contact_id)
    assert position is not None, f"contact {contact_id} is not listed"
    rect = table.visualRect(table.model().index(position, 0))
    click_at(table.viewport(), QPoint(rect.left() + 14, rect.center().y()))


def _texted_campaign(
    services: Services,
    simulator: Simulator,
    clock: ManualClock,
    account: StarterAccount,
    tmp_path: Path,
) -> int:
    """Twelve contacts (ward W0, W1, W2 in turn), all texted; the first replied, the second
    opted out.
    """
    admin = account.actor
    quiet_team(services, account)
    campaign = active_campaign(services, simulator, clock, account, tmp_path, 12)
    sam = sender_on(services, account, campaign.id, "Sam Okafor")
    rows = services.contacts.conversations(admin, campaign.id).rows
    for row in rows:
        services.messaging.send_initial(sam, campaign.id, row.id)
    services.messaging.receive_reply(admin, campaign.id, rows[0].id, "Count me in")
    services.messaging.receive_reply(admin, campaign.id, rows[1].id, "STOP")
    return campaign.id


def _followup_dialog_on_texted_campaign(
    qtbot: QtBot,
    window: MainWindow,
    services: Services,
    simulator: Simulator,
    account: StarterAccount,
    clock: ManualClock,
    tmp_path: Path,
) -> tuple[QDialog, list[ConversationRow]]:
    """Create Followup opened from Campaign Details on :func:`_texted_campaign`; answers the
    dialog and the campaign's conversations.
    """
    campaign_id = _texted_campaign(services, simulator, clock, account, tmp_path)
    contacts = list(services.contacts.conversations(account.actor, campaign_id).rows)
    window.show_campaign_details(campaign_id)
    click_named(qtbot, window.campaign_details_tab, "create_followup_button")
    return wait_dialog(qtbot, window, "followup_dialog"), contacts


def test_c8_targeting_by_reply_field_and_hand_narrows_the_audience(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    tmp_path: Path,
) -> None:
    admin = thrudesk_account.actor
    dialog, contacts = _followup_dialog_on_texted_campaign(
        qtbot, window, thrudesk_services, thrudesk_simulator, thrudesk_account, sim_clock, tmp_path
    )
    # M3: the opted-out contact is left out from the start.
    assert _audience(dialog).startswith("Reaches 11 contacts of the campaign's 12.")

    replies = child(dialog, QComboBox, "targeting_combo")
    replies.setCurrentIndex(replies.findText("Only contacts who did not reply"))
    qtbot.waitUntil(lambda: _audience(dialog).startswith("Reaches 10 contacts"))

    # By field: leave out ward W2 (contacts 2, 5, 8 and 11).
    fields = child(dialog, QComboBox, "targeting_field_combo")
    assert [fields.itemText(i) for i in range(fields.count())] == ["ward"]
    values = child(dialog, QComboBox, "targeting_value_combo")
    assert sorted(values.itemText(i) for i in range(values.count())) == ["W0", "W1", "W2"]
    values.setCurrentIndex(values.findText("W2"))
    click_named(qtbot, dialog, "add_field_rule_button")
    assert child(dialog, QLabel, "field_rules_label").text() == "Leaving out: ward = “W2”"
    qtbot.waitUntil(lambda: _audience(dialog).startswith("Reaches 6 contacts"))

    # By hand: find First3 and tick it.
    search = child(dialog, QLineEdit, "contact_filter_edit")
    type_text(search, "First3")
    table = child(dialog, QTableView, "contact_choices_table")
    third = contacts[3].contact_id
    qtbot.waitUntil(lambda: table.model().rowCount() == 1 and row_of(table, third) == 0)
    _tick_contact(qtbot, table, third)
    assert child(dialog, QLabel, "left_out_label").text() == "1 contact left out by hand."
    qtbot.waitUntil(lambda: _audience(dialog).startswith("Reaches 5 contacts"))
    # The choice stays when the search changes.
    search.clear()
    qtbot.waitUntil(lambda: table.model().rowCount() == 12)
    position = row_of(table, third)
    assert position is not None
    check = table.model().index(position, 0).data(Qt.ItemDataRole.CheckStateRole)
    assert check == Qt.CheckState.Checked

    type_text(child(dialog, QPlainTextEdit, "message_edit"), "Rides leave at 9!")
    click_named(qtbot, dialog, "accept_button")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    details = window.campaign_details_tab
    [followup] = details.followups_model.rows()
    assert followup.contact_count == 5
    reached = {
        r.contact_id for r in thrudesk_services.contacts.conversations(admin, followup.id).rows
    }
    expected = {contacts[i].contact_id for i in (4, 6, 7, 9, 10)}
    assert reached == expected  # never outside the original's contacts
    assert "Followup created" in shown_text(child(details, QLabel, "message_label"))


def test_c8_targeting_rules_and_contacts_left_out_by_hand_can_be_cleared(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    tmp_path: Path,
) -> None:
    dialog, contacts = _followup_dialog_on_texted_campaign(
        qtbot, window, thrudesk_services, thrudesk_simulator, thrudesk_account, sim_clock, tmp_path
    )
    everyone = "Reaches 11 contacts of the campaign's 12."
    assert _audience(dialog).startswith(everyone)

    values = child(dialog, QComboBox, "targeting_value_combo")
    values.setCurrentIndex(values.findText("W2"))
    click_named(qtbot, dialog, "add_field_rule_button")
    qtbot.waitUntil(lambda: not _audience(dialog).startswith(everyone))
    click_named(qtbot, dialog, "clear_field_rules_button")
    assert child(dialog, QLabel, "field_rules_label").text().startswith("No field leaves")
    qtbot.waitUntil(lambda: _audience(dialog).startswith(everyone))

    table = child(dialog, QTableView, "contact_choices_table")
    qtbot.waitUntil(lambda: table.model().rowCount() == 12)
    _tick_contact(qtbot, table, contacts[3].contact_id)
    assert child(dialog, QLabel, "left_out_label").text() == "1 contact left out by hand."
    qtbot.waitUntil(lambda: _audience(dialog).startswith("Reaches 10 contacts"))
    click_named(qtbot, dialog, "clear_left_out_button")
    qtbot.waitUntil(lambda: _audience(dialog).startswith(everyone))
    assert not child(dialog, QPushButton, "clear_left_out_button").isVisible()


def test_c8_targeting_model_passes_the_model_tester(
    qtmodeltester: ModelTester,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    tmp_path: Path,
) -> None:
    campaign_id = _texted_campaign(
        thrudesk_services, thrudesk_simulator, sim_clock, thrudesk_account, tmp_path
    )
    model = ContactChoiceModel(thrudesk_services, thrudesk_account.actor, campaign_id)
    model.reload()
    check_model(qtmodeltester, model)
    assert model.rowCount() == 12
    opted = model.index(1, 0)
    assert model.data(opted, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert not model.flags(opted) & Qt.ItemFlag.ItemIsUserCheckable
    assert not model.setData(opted, Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert model.setData(model.index(2, 0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert model.excluded == {model.index(2, 0).data(Qt.ItemDataRole.UserRole + 2)}
    assert model.index(0, 3).data() == "Replied: Count me in"
    assert model.index(2, 3).data() == MessageState.SENT.label


def test_c7_advisory_counts_active_campaigns_whose_number_still_provisions(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
) -> None:
    admin = thrudesk_account.actor
    # Provisioning-based launching off, through Settings → Account settings… (C5).
    settings = open_from_menu(qtbot, window, "account_settings_action", "account_settings_dialog")
    launching = child(settings, QCheckBox, "provisioning_based_launching_check")
    assert launching.isChecked()
    click(qtbot, launching)
    click_named(qtbot, settings, "accept_button")
    qtbot.waitUntil(lambda: not settings.isVisible())
    assert not thrudesk_services.accounts.get(admin.account_id).provisioning_based_launching

    thrudesk_simulator.force_next("stall", count=2)
    for title in ("First", "Second"):
        campaign = thrudesk_services.campaigns.create(
            admin, title, area_codes=["512"], use_case_id=thrudesk_account.use_case_id
        )
        row = thrudesk_services.campaigns.launch(admin, campaign, NumberMode.SINGLE_USE)
        assert row.status.label == "Active"  # Active at once, its number still in the queue
    third = thrudesk_services.campaigns.create(
        admin, "Third", area_codes=["512"], use_case_id=thrudesk_account.use_case_id
    )
    select_campaign(qtbot, window, third)
    click_named(qtbot, window, "launch_button")
    dialog = wait_dialog(qtbot, window, "launch_dialog")
    click(qtbot, child(dialog, QRadioButton, "number_mode_single_use"))
    advisory = shown_text(child(dialog, QLabel, "advisory_label"))
    assert "2 single-use campaigns are already launching" in advisory
    assert "Active at once" in shown_text(child(dialog, QLabel, "launch_mode_label"))
    click_named(qtbot, dialog, "accept_button")  # the admin may go on
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_c14_account_default_batch_size_is_refused_out_of_range_and_shown_on_campaigns(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    campaign = campaign_with_contacts(2)
    window.show_campaign_details(campaign.id)
    window.open_account_settings_dialog()
    dialog = wait_dialog(qtbot, window, "account_settings_dialog")
    size = child(dialog, QLineEdit, "default_batch_size_edit")
    assert size.text() == "300"
    size.clear()
    type_text(size, "0")
    click_named(qtbot, dialog, "accept_button")
    error = shown_text(child(dialog, QLabel, "default_batch_size_error"))
    assert error == "The batch size must be from 1 to 5000; 0 is out of range."
    assert thrudesk_services.accounts.get(thrudesk_account.account_id).default_batch_size == 300
    size.clear()
    type_text(size, "150")
    click_named(qtbot, dialog, "accept_button")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    batch = child(window.campaign_details_tab, QLineEdit, "batch_size_edit")
    qtbot.waitUntil(lambda: batch.placeholderText() == "150 (account default)")


def test_a_draft_is_edited_in_the_new_campaign_form(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
) -> None:
    admin = thrudesk_account.actor
    draft = thrudesk_services.campaigns.create(
        admin,
        "Spring canvas",
        script="Hi {first_name}",
        area_codes=["206", "425"],
        use_case_id=thrudesk_account.use_case_id,
    )
    table = select_campaign(qtbot, window, draft)
    click_named(qtbot, window.campaigns_tab, "edit_campaign_button")
    dialog = wait_dialog(qtbot, window, "edit_campaign_dialog")
    title = child(dialog, QLineEdit, "title_edit")
    assert title.text() == "Spring canvas"
    assert child(dialog, QPlainTextEdit, "script_edit").toPlainText() == "Hi {first_name}"
    assert child(dialog, QLineEdit, "area_code_picker_2").text().startswith("425")
    title.clear()
    click_named(qtbot, dialog, "accept_button")
    assert shown_text(child(dialog, QLabel, "title_error")) == "The title cannot be blank."
    type_text(title, "Spring canvass")
    click_named(qtbot, dialog, "accept_button")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(
        lambda: table.model().index(row_of(table, draft) or 0, 0).data() == "Spring canvass"
    )

    window.show_campaign_details(draft)
    click_named(qtbot, window.campaign_details_tab, "details_edit_button")
    again = wait_dialog(qtbot, window, "edit_campaign_dialog")
    assert child(again, QLineEdit, "title_edit").text() == "Spring canvass"
    click_named(qtbot, again, "cancel_button")
    qtbot.waitUntil(lambda: not again.isVisible())
    launched = thrudesk_services.campaigns.index_row(admin, draft)
    assert launched.title == "Spring canvass"


def test_c8_a_big_campaigns_audience_is_counted_off_the_window_and_follows_the_targeting(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    quiet_team(thrudesk_services, thrudesk_account)
    campaign = campaign_with_contacts(10002)
    window.show_campaign_details(campaign.id)
    click_named(qtbot, window.campaign_details_tab, "create_followup_button")
    dialog = wait_dialog(qtbot, window, "followup_dialog")
    qtbot.waitUntil(lambda: _audience(dialog).startswith("Reaches 10\u202f002 contacts"))
    # Leave out ward W0 (every third contact, from the first): 3,334 of them.
    values = child(dialog, QComboBox, "targeting_value_combo")
    values.setCurrentIndex(values.findText("W0"))
    click_named(qtbot, dialog, "add_field_rule_button")
    qtbot.waitUntil(lambda: _audience(dialog).startswith("Reaches 6\u202f668 contacts"))
    click_named(qtbot, dialog, "cancel_button")
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_a_draft_is_edited_from_campaign_details_and_shown_saved_there(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    new_draft: NewDraft,
) -> None:
    draft = new_draft("Spring canvas", "206")
    window.show_campaign_details(draft)
    details = window.campaign_details_tab
    heading = child(details, QLabel, "details_title_label")
    qtbot.waitUntil(lambda: heading.text() == "Spring canvas")
    click_named(qtbot, details, "details_edit_button")
    dialog = wait_dialog(qtbot, window, "edit_campaign_dialog")
    title = child(dialog, QLineEdit, "title_edit")
    title.clear()
    type_text(title, "Spring canvass")
    click_named(qtbot, dialog, "accept_button")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: heading.text() == "Spring canvass")
    assert shown_text(child(details, QLabel, "message_label")) == "Draft saved."
    assert thrudesk_services.campaigns.index_row(thrudesk_account.actor, draft).title == (
        "Spring canvass"
    )


def test_c8_a_refusal_from_counting_a_big_audience_shows_beside_the_targeting(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    tmp_path: Path,
) -> None:
    """A big campaign's audience is counted off the window's thread; what that count refuses
    shows where the same refusal shows for a small one, and the count says nothing.
    """
    monkeypatch.setattr(followup_dialog, "BIG_CAMPAIGN", 1)
    dialog, _contacts = _followup_dialog_on_texted_campaign(
        qtbot, window, thrudesk_services, thrudesk_simulator, thrudesk_account, sim_clock, tmp_path
    )
    qtbot.waitUntil(lambda: _audience(dialog).startswith("Reaches 11 contacts"))

    def refused(*_args: object) -> int:
        raise InvalidInput("Choose replied, not replied, or either.", field="targeting")

    monkeypatch.setattr(thrudesk_services.campaigns, "followup_audience_size", refused)
    replies = child(dialog, QComboBox, "targeting_combo")
    replies.setCurrentIndex(replies.findText("Only contacts who did not reply"))
    error = child(dialog, QLabel, "targeting_error")
    qtbot.waitUntil(lambda: shown_text(error) == "Choose replied, not replied, or either.")
    dialog.close()


def test_c8_a_field_imported_in_two_cases_is_one_field_and_targeting_reaches_both_files(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    tmp_path: Path,
) -> None:
    """Six contacts imported with a "ward" column, then three more with "WARD": one field,
    named as first imported, and leaving out W0 leaves out the W0 contacts of both files.
    """
    quiet_team(thrudesk_services, thrudesk_account)
    campaign = active_campaign(
        thrudesk_services, thrudesk_simulator, sim_clock, thrudesk_account, tmp_path, 6
    )
    later = write_csv(
        tmp_path / "later.csv",
        [["phone", "WARD"], [phone(6), "W0"], [phone(7), "W0"], [phone(8), "W1"]],
    )
    report = thrudesk_services.contacts.import_csv(thrudesk_account.actor, campaign.id, later)
    assert report.fields == ("ward",)
    window.show_campaign_details(campaign.id)
    click_named(qtbot, window.campaign_details_tab, "create_followup_button")
    dialog = wait_dialog(qtbot, window, "followup_dialog")
    qtbot.waitUntil(lambda: _audience(dialog).startswith("Reaches 9 contacts"))

    fields = child(dialog, QComboBox, "targeting_field_combo")
    assert [fields.itemText(i) for i in range(fields.count())] == ["ward"]
    values = child(dialog, QComboBox, "targeting_value_combo")
    assert [values.itemText(i) for i in range(values.count())] == ["W0", "W1", "W2"]
    values.setCurrentIndex(values.findText("W0"))
    click_named(qtbot, dialog, "add_field_rule_button")
    # W0: contacts 0 and 3 of the first file, 6 and 7 of the later one.
    qtbot.waitUntil(lambda: _audience(dialog).startswith("Reaches 5 contacts"))
