"""Campaign Details, Senders, driven through its widgets: pre-loading (C12), adding senders
(C13), Self Assign and its batch size (C14), the invite link (C15), removing a sender.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPushButton, QTableView
from pytestqt.qtbot import QtBot

from tests.gui.helpers import (
    answer_confirmation,
    cell_text,
    child,
    click,
    click_named,
    row_of,
    select,
    select_campaign,
    show_details,
    shown_text,
    type_text,
    wait_dialog,
)
from tests.gui.teamwork_steps import CampaignWithContacts, figure, sender_users
from thrudesk.services.container import Services
from thrudesk.services.errors import InviteLinkRefused, NotFound
from thrudesk.services.rows import CampaignStatus
from thrudesk.services.starter import StarterAccount
from thrudesk.views import campaign_details
from thrudesk.views.main_window import MainWindow


def _choose_senders(qtbot: QtBot, window: MainWindow, *names: str) -> None:
    """Add senders through the dialog, choosing them by name."""
    click_named(qtbot, window.campaign_details_tab, "add_senders_button")
    dialog = wait_dialog(qtbot, window, "add_senders_dialog")
    table = child(dialog, QTableView, "sender_choices_table")
    model = table.model()
    selection = table.selectionModel()
    for position in range(model.rowCount()):
        if model.index(position, 0).data() in names:
            selection.select(
                model.index(position, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )
    click_named(qtbot, dialog, "accept_button")
    qtbot.waitUntil(lambda: not dialog.isVisible())


@pytest.mark.usefixtures("quiet")
def test_c12_preloaded_campaign_shows_no_senders_and_takes_them_once_active(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    campaign = campaign_with_contacts(12)
    sender_users(thrudesk_services, thrudesk_account, "Priya Nair")
    details = show_details(window, campaign.id)
    preloading = child(details, QLabel, "preloading_value")
    assert "Pre-loaded: no senders yet, all 12 conversations wait Unassigned" in preloading.text()
    assert not child(details, QTableView, "senders_table").isVisible()
    assert figure(window, "unassigned") == 12

    _choose_senders(qtbot, window, "Priya Nair")
    qtbot.waitUntil(lambda: figure(window, "unassigned") == 0)
    table = child(details, QTableView, "senders_table")
    assert table.isVisible()
    [sender] = details.senders_model.rows()
    assert (sender.name, sender.assigned) == ("Priya Nair", 12)
    assert cell_text(table, sender.user_id, "Joined") == "Added directly"
    assert preloading.text().startswith("1 sender; 0 conversations Unassigned")


@pytest.mark.usefixtures("quiet")
def test_c13_adding_two_senders_splits_unassigned_evenly_in_the_counts(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    campaign = campaign_with_contacts(11)
    sender_users(thrudesk_services, thrudesk_account, "Priya Nair", "Marcus Webb", "Lena Ortiz")
    window.show_campaign_details(campaign.id)
    _choose_senders(qtbot, window, "Priya Nair", "Marcus Webb")

    details = window.campaign_details_tab
    qtbot.waitUntil(lambda: figure(window, "assigned") == 11)
    assert figure(window, "unassigned") == 0
    table = child(details, QTableView, "senders_table")
    assigned = {row.name: row.assigned for row in details.senders_model.rows()}
    assert assigned == {"Priya Nair": 6, "Marcus Webb": 5}  # 11 split evenly, in order
    for row in details.senders_model.rows():
        assert cell_text(table, row.user_id, "Assigned") == str(assigned[row.name])
    message = child(details, QLabel, "message_label").text()
    assert "2 senders added" in message
    assert "Priya Nair 6, Marcus Webb 5" in message
    index = thrudesk_services.campaigns.index_row(thrudesk_account.actor, campaign.id)
    assert (index.sender_count, index.unassigned_count) == (2, 0)


@pytest.mark.usefixtures("quiet")
def test_removing_a_sender_asks_first_and_returns_their_unsent_conversations(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    campaign = campaign_with_contacts(10)
    priya, marcus = sender_users(thrudesk_services, thrudesk_account, "Priya Nair", "Marcus Webb")
    thrudesk_services.senders.add(
        thrudesk_account.actor, campaign.id, [priya.user_id, marcus.user_id]
    )
    details = show_details(window, campaign.id)
    table = child(details, QTableView, "senders_table")
    remove = child(details, QPushButton, "remove_sender_button")
    assert not remove.isEnabled()  # nobody selected
    select(qtbot, table, marcus.user_id)
    click(qtbot, remove)
    assert answer_confirmation(qtbot, window, accept=False) == "Remove Marcus Webb from “Turnout”?"
    qtbot.wait(50)
    assert row_of(table, marcus.user_id) is not None

    select(qtbot, table, marcus.user_id)
    click(qtbot, remove)
    answer_confirmation(qtbot, window)
    qtbot.waitUntil(lambda: row_of(table, marcus.user_id) is None)
    assert figure(window, "unassigned") == 5
    assert "5 conversations returned to Unassigned" in shown_text(
        child(details, QLabel, "message_label")
    )


@pytest.mark.usefixtures("quiet")
def test_c14_self_assign_switch_batch_size_and_a_request_dropping_unassigned(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    campaign = campaign_with_contacts(30)
    (sam,) = sender_users(thrudesk_services, thrudesk_account, "Sam Okafor")
    details = show_details(window, campaign.id)
    switch = child(details, QCheckBox, "self_assign_check")
    batch = child(details, QLineEdit, "batch_size_edit")
    assert not switch.isChecked()  # off by default
    assert batch.text() == ""
    assert batch.placeholderText() == "300 (account default)"

    click(qtbot, switch)
    meaning = child(details, QLabel, "self_assign_value")
    qtbot.waitUntil(lambda: "Each request gives a sender up to 300" in meaning.text())
    assert thrudesk_services.senders.team(thrudesk_account.actor, campaign.id).self_assign

    # Out of range: refused beside the batch size, and nothing changes.
    type_text(batch, "6000")
    click_named(qtbot, details, "set_batch_size_button")
    error = child(details, QLabel, "batch_size_error")
    assert "The batch size must be from 1 to 5000; 6000 is out of range." in shown_text(error)
    team = thrudesk_services.senders.team(thrudesk_account.actor, campaign.id)
    assert team.batch_size_is_default

    batch.clear()
    type_text(batch, "8")
    click_named(qtbot, details, "set_batch_size_button")
    qtbot.waitUntil(lambda: "up to 8 Unassigned" in meaning.text())
    assert shown_text(error) == ""

    # A sender of the campaign asks for a batch (through the service, as a sender's app would).
    thrudesk_services.senders.join(sam, child(details, QLabel, "invite_link_value").text())
    thrudesk_services.senders.request_batch(sam, campaign.id)
    qtbot.waitUntil(lambda: figure(window, "unassigned") == 22)
    assert figure(window, "assigned") == 8
    [row] = details.senders_model.rows()
    assert (row.name, row.assigned) == ("Sam Okafor", 8)
    assert cell_text(child(details, QTableView, "senders_table"), row.user_id, "Joined") == (
        "Invite link"
    )


@pytest.mark.usefixtures("quiet")
def test_c14_self_assign_cannot_be_switched_on_a_paused_campaign(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    campaign = campaign_with_contacts(3)
    thrudesk_services.campaigns.pause(thrudesk_account.actor, campaign.id)
    window.show_campaign_details(campaign.id)
    switch = child(window.campaign_details_tab, QCheckBox, "self_assign_check")
    assert not switch.isEnabled()
    assert "Draft or Active" in switch.toolTip()
    assert "Paused" in switch.toolTip()


@pytest.mark.usefixtures("quiet")
def test_c15_copy_link_then_disable_for_good_and_enable_a_new_one(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    campaign = campaign_with_contacts(5)
    (lena,) = sender_users(thrudesk_services, thrudesk_account, "Lena Ortiz")
    details = show_details(window, campaign.id)
    link = child(details, QLabel, "invite_link_value")
    assert "exists only while Self Assign is on" in link.text()
    assert not child(details, QPushButton, "copy_link_button").isVisible()

    click(qtbot, child(details, QCheckBox, "self_assign_check"))
    copy = child(details, QPushButton, "copy_link_button")
    qtbot.waitUntil(copy.isVisible)
    first = link.text()
    assert first.startswith("https://thrudesk.invalid/join/")
    click(qtbot, copy)
    assert QGuiApplication.clipboard().text() == first
    assert shown_text(child(details, QLabel, "link_copied_label")) == "Copied to the clipboard"

    # Disable asks first, and is permanent: the copied link is refused from then on.
    click_named(qtbot, details, "disable_link_button")
    question = answer_confirmation(qtbot, window)
    assert question == "Disable the invite link of “Turnout”?"
    enable = child(details, QPushButton, "enable_link_button")
    qtbot.waitUntil(enable.isVisible)
    assert not copy.isVisible()
    assert link.text() == "Disabled. Enable makes a new link."
    with pytest.raises(InviteLinkRefused):
        thrudesk_services.senders.join(lena, first)

    click(qtbot, enable)
    qtbot.waitUntil(copy.isVisible)
    second = link.text()
    assert second.startswith("https://thrudesk.invalid/join/")
    assert second != first
    with pytest.raises(InviteLinkRefused):
        thrudesk_services.senders.join(lena, first)
    joined = thrudesk_services.senders.join(lena, second)
    assert not joined.already_sender
    qtbot.waitUntil(lambda: len(details.senders_model.rows()) == 1)


def test_c1_pause_and_resume_from_the_campaigns_tab_and_campaign_details(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    campaign = campaign_with_contacts(2)
    actor = thrudesk_account.actor
    select_campaign(qtbot, window, campaign.id)
    pause = child(window.campaigns_tab, QPushButton, "pause_resume_button")
    assert pause.text() == "Pause"
    click(qtbot, pause)
    qtbot.waitUntil(lambda: pause.text() == "Resume")
    assert thrudesk_services.campaigns.index_row(actor, campaign.id).status is CampaignStatus.PAUSED

    details = show_details(window, campaign.id)
    button = child(details, QPushButton, "details_pause_resume_button")
    assert button.text() == "Resume"
    click(qtbot, button)
    qtbot.waitUntil(lambda: button.text() == "Pause")
    assert thrudesk_services.campaigns.index_row(actor, campaign.id).status is CampaignStatus.ACTIVE
    assert [t.text for t in details.status_tags.tags()] == ["Active"]
    assert "is Active again" in shown_text(child(details, QLabel, "message_label"))


def test_c1_a_change_to_a_campaign_archived_meanwhile_is_refused_in_the_message_bar(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    """Another admin archives the campaign while this one types a batch size: the change is
    refused with C1's reason in the tab's message bar, and nothing is written.
    """
    campaign = campaign_with_contacts(30)
    details = show_details(window, campaign.id)
    type_text(child(details, QLineEdit, "batch_size_edit"), "8")
    thrudesk_services.campaigns.archive(thrudesk_account.actor, campaign.id)
    click_named(qtbot, details, "set_batch_size_button")
    message = child(details, QLabel, "message_label")
    title = thrudesk_services.campaigns.details(thrudesk_account.actor, campaign.id).title
    refusal = f"“{title}” is archived; it can be read, exported and cloned, not changed."
    qtbot.waitUntil(lambda: shown_text(message) == refusal)
    assert child(details, QLabel, "batch_size_error").isHidden()
    team = thrudesk_services.senders.team(thrudesk_account.actor, campaign.id)
    assert team.batch_size_is_default


def test_c16_a_campaign_gone_while_it_was_read_in_the_background_leaves_the_empty_state(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    window: MainWindow,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    """A big campaign is read again off the window's thread; if it can no longer be read by
    the time that reading runs, Campaign Details says how to open one instead of erring.
    """
    campaign = campaign_with_contacts(3)
    details = show_details(window, campaign.id)
    assert not child(details, QLabel, "details_empty_label").isVisible()

    def gone(*_args: object) -> object:
        raise NotFound("That campaign is not in this account.")

    monkeypatch.setattr(details, "_quick", lambda: False)
    monkeypatch.setattr(campaign_details, "read_campaign", gone)
    details.refresh_in_background()
    qtbot.waitUntil(lambda: child(details, QLabel, "details_empty_label").isVisible())
