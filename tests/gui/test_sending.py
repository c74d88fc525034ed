"""Campaign Details while a campaign sends, driven through its widgets with the manual clock:
the sending window (C11), the live counts of sending and delivery (M1, M2), opt-outs (M3),
continued threads (C18), and the simulation's sending parameters (M2).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QPushButton,
)
from pytestqt.qtbot import QtBot

from tests.gui.helpers import (
    child,
    click_named,
    open_from_menu,
    show_details,
    shown_text,
    type_text,
)
from tests.gui.teamwork_steps import (
    CampaignWithContacts,
    figure,
    import_contacts,
    sender_on,
    sender_users,
)
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.errors import InvalidTransition
from thrudesk.services.rows import MessageState, NumberMode
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount
from thrudesk.services.unit_of_work import Actor
from thrudesk.views.inputs import local_date_time, set_local_date_time
from thrudesk.views.main_window import MainWindow

TZ = "America/New_York"  # the test account's


def _send_all(services: Services, sender: Actor, campaign_id: int, admin: Actor) -> None:
    for row in services.contacts.conversations(admin, campaign_id, limit=1000).rows:
        if row.sender_id == sender.user_id and row.message_state is MessageState.NOT_SENT:
            services.messaging.send_initial(sender, campaign_id, row.id)


# ---------------------------------------------------------------------- C11
@pytest.mark.usefixtures("quiet")
def test_c11_start_date_in_the_past_is_refused_beside_it(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    campaign = campaign_with_contacts(3)
    details = show_details(window, campaign.id)
    before = thrudesk_services.sending_window.window(thrudesk_account.actor, campaign.id)
    click_named(qtbot, details, "start_date_change_button")
    edit = child(details, QDateTimeEdit, "start_date_edit")
    assert edit.isVisible()
    set_local_date_time(edit, sim_clock.now() - timedelta(days=1), TZ)
    click_named(qtbot, details, "start_date_save_button")
    error = child(details, QLabel, "start_at_error")
    assert shown_text(error) == "The start date can only be moved to a time in the future."
    assert edit.isVisible()  # still editing, beside the refusal
    after = thrudesk_services.sending_window.window(thrudesk_account.actor, campaign.id)
    assert after.start_at == before.start_at  # nothing written

    click_named(qtbot, details, "start_date_cancel_button")
    assert not edit.isVisible()
    assert shown_text(error) == ""


@pytest.mark.usefixtures("quiet")
def test_c10_an_archived_campaigns_window_and_team_are_read_only_for_the_services_reason(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    campaign = campaign_with_contacts(3)
    details = show_details(window, campaign.id)
    change = child(details, QPushButton, "start_date_change_button")
    assert change.isVisible()
    assert child(details, QPushButton, "add_senders_button").isEnabled()

    thrudesk_services.campaigns.archive(thrudesk_account.actor, campaign.id)
    details = show_details(window, campaign.id)
    qtbot.waitUntil(lambda: not change.isVisible())
    with pytest.raises(InvalidTransition) as refused:
        thrudesk_services.sending_window.set_start(
            thrudesk_account.actor, campaign.id, sim_clock.now() + timedelta(days=1)
        )
    assert child(details, QLabel, "start_date_value").toolTip() == refused.value.message
    assert "archived" in refused.value.message
    assert not child(details, QPushButton, "add_senders_button").isEnabled()
    assert not child(details, QPushButton, "set_batch_size_button").isEnabled()


@pytest.mark.usefixtures("quiet")
def _ending_in_a_day(
    services: Services,
    actor: Actor,
    clock: ManualClock,
    campaign_with_contacts: CampaignWithContacts,
) -> int:
    """An Active campaign of three contacts whose sending window ends a day from now."""
    campaign = campaign_with_contacts(3)
    services.sending_window.set_end(actor, campaign.id, clock.now() + timedelta(days=1))
    return campaign.id


def test_c11_end_date_is_extended_and_sending_hours_refused_when_they_end_first(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    campaign_id = _ending_in_a_day(thrudesk_services, actor, sim_clock, campaign_with_contacts)
    details = show_details(window, campaign_id)
    value = child(details, QLabel, "end_date_value")
    assert value.text() == "Tue 3 Mar 2026, 09:10"

    click_named(qtbot, details, "end_date_change_button")
    edit = child(details, QDateTimeEdit, "end_date_edit")
    assert not child(details, QCheckBox, "no_end_date_check").isChecked()
    set_local_date_time(edit, sim_clock.now() + timedelta(days=3, hours=8), TZ)
    click_named(qtbot, details, "end_date_save_button")
    qtbot.waitUntil(lambda: value.isVisible())
    assert value.text() == "Thu 5 Mar 2026, 17:10"
    window_row = thrudesk_services.sending_window.window(actor, campaign_id)
    assert window_row.end_at == local_date_time(edit, TZ)

    click_named(qtbot, details, "sending_hours_change_button")
    starts = child(details, QComboBox, "hours_start_combo")
    ends = child(details, QComboBox, "hours_end_combo")
    starts.setCurrentIndex(starts.findText("18:00"))
    ends.setCurrentIndex(ends.findText("08:00"))
    click_named(qtbot, details, "sending_hours_save_button")
    assert "Sending hours must end after they start" in shown_text(
        child(details, QLabel, "sending_hours_error")
    )
    ends.setCurrentIndex(ends.findText("20:30"))
    click_named(qtbot, details, "sending_hours_save_button")
    hours = child(details, QLabel, "sending_hours_value")
    qtbot.waitUntil(lambda: hours.isVisible())
    assert hours.text() == "18:00–20:30"
    # Before 18:00 the window is closed: the card says when it opens again.
    state = child(details, QLabel, "window_state_value")
    assert "open again on Mon 2 Mar 2026, 18:00." in state.text()  # as every date is written


def test_c11_the_end_date_can_be_lifted_and_the_hours_read_in_another_time_zone(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    campaign_id = _ending_in_a_day(thrudesk_services, actor, sim_clock, campaign_with_contacts)
    details = show_details(window, campaign_id)
    end = child(details, QLabel, "end_date_value")
    assert end.text() == "Tue 3 Mar 2026, 09:10"

    click_named(qtbot, details, "end_date_change_button")
    edit = child(details, QDateTimeEdit, "end_date_edit")
    assert edit.isEnabled()
    child(details, QCheckBox, "no_end_date_check").setChecked(True)
    assert not edit.isEnabled()  # no date to pick without an end
    click_named(qtbot, details, "end_date_save_button")
    qtbot.waitUntil(end.isVisible)
    assert end.text() == "None"
    assert thrudesk_services.sending_window.window(actor, campaign_id).end_at is None

    zone = child(details, QLabel, "timezone_value")
    assert zone.text() == f"{TZ} (the account's)"
    click_named(qtbot, details, "timezone_change_button")
    zones = child(details, QComboBox, "timezone_combo")
    assert zones.currentText() == f"The account's ({TZ})"
    zones.setCurrentIndex(zones.findData("America/Chicago"))
    click_named(qtbot, details, "timezone_save_button")
    qtbot.waitUntil(zone.isVisible)
    assert zone.text() == "America/Chicago"
    assert thrudesk_services.sending_window.window(actor, campaign_id).timezone == (
        "America/Chicago"
    )

    click_named(qtbot, details, "timezone_change_button")
    assert zones.currentData() == "America/Chicago"
    zones.setCurrentIndex(0)
    click_named(qtbot, details, "timezone_save_button")
    qtbot.waitUntil(zone.isVisible)
    assert zone.text() == f"{TZ} (the account's)"


@pytest.mark.usefixtures("quiet")
def test_c11_held_messages_go_out_when_the_window_opens_as_the_clock_advances(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    admin = thrudesk_account.actor
    campaign = campaign_with_contacts(4)
    sam = sender_on(thrudesk_services, thrudesk_account, campaign.id, "Sam Okafor")
    details = show_details(window, campaign.id)

    # The admin moves the start two hours ahead, in the card.
    click_named(qtbot, details, "start_date_change_button")
    start = sim_clock.now() + timedelta(hours=2)
    set_local_date_time(child(details, QDateTimeEdit, "start_date_edit"), start, TZ)
    click_named(qtbot, details, "start_date_save_button")
    start_value = child(details, QLabel, "start_date_value")
    qtbot.waitUntil(start_value.isVisible)
    assert start_value.text() == "Mon 2 Mar 2026, 11:10"

    # Sent before the start: held, and the card says when they go out.
    _send_all(thrudesk_services, sam, campaign.id, admin)
    held = child(details, QLabel, "held_value")
    qtbot.waitUntil(lambda: held.text().startswith("4 initial messages go out"))
    assert held.text().endswith("Mon 2 Mar 2026, 11:10")
    assert figure(window, "sent") == 0
    assert child(details, QLabel, "window_state_label").text() == "Closed"

    sim_clock.advance(hours=1, minutes=59)
    assert figure(window, "sent") == 0
    sim_clock.advance(minutes=1)  # the window opens
    qtbot.waitUntil(lambda: figure(window, "sent") == 4)
    assert held.text() == "None"
    assert child(details, QLabel, "window_state_label").text() == "Open"


def test_m1_the_sending_window_card_says_nothing_goes_out_unless_the_campaign_is_active(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    admin = thrudesk_account.actor
    campaign = campaign_with_contacts(4)
    details = show_details(window, campaign.id)
    word = child(details, QLabel, "window_state_label")
    sentence = child(details, QLabel, "window_state_value")
    assert (word.text(), sentence.text()) == ("Open", "Sending is open.")

    thrudesk_services.campaigns.pause(admin, campaign.id)
    qtbot.waitUntil(lambda: word.text() == "Paused")
    assert sentence.text() == "Paused: initial messages go out again once it is resumed."
    thrudesk_services.campaigns.resume(admin, campaign.id)
    qtbot.waitUntil(lambda: word.text() == "Open")
    thrudesk_services.campaigns.archive(admin, campaign.id)
    qtbot.waitUntil(lambda: word.text() == "Closed")
    assert sentence.text() == "Archived: it sends nothing more."

    # Launching on a single-use number (C4): nothing goes out until the number is complete.
    launching = thrudesk_services.campaigns.create(
        admin, "Turnout call", area_codes=["512"], use_case_id=thrudesk_account.use_case_id
    )
    thrudesk_services.campaigns.launch(admin, launching, NumberMode.SINGLE_USE)
    show_details(window, launching)
    assert word.text() == "Waiting"
    assert sentence.text() == (
        "Launching: initial messages go out once its number is Provisioning Complete and the "
        "campaign is Active."
    )


# ---------------------------------------------------------------------- M1, M2, M3
def test_m1_m2_m3_counts_change_live_as_the_simulated_team_works(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    tmp_path: Path,
) -> None:
    admin = thrudesk_account.actor
    # M2 through Simulation → Sending parameters…: many opt-outs, to see some soon.
    dialog = open_from_menu(qtbot, window, "sending_parameters_action", "sending_parameters_dialog")
    opt_outs = child(dialog, QLineEdit, "opt_out_rate_edit")
    opt_outs.clear()
    type_text(opt_outs, "0.95")
    click_named(qtbot, dialog, "accept_button")
    assert "cannot exceed 1" in shown_text(child(dialog, QLabel, "reply_rate_error"))
    opt_outs.clear()
    type_text(opt_outs, "0.3")
    click_named(qtbot, dialog, "accept_button")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert thrudesk_services.messaging.parameters().opt_out_rate == 0.3

    # C5: provisioning-based launching off; the number provisions for 8 hours while the
    # campaign is Active, so what goes out is at risk (M2).
    thrudesk_services.accounts.set_provisioning_based_launching(admin, False)
    campaign_id = thrudesk_services.campaigns.create(
        admin, "Incident night", area_codes=["512"], use_case_id=thrudesk_account.use_case_id
    )
    import_contacts(thrudesk_services, thrudesk_account, campaign_id, tmp_path, 120)
    sender_users(thrudesk_services, thrudesk_account, "Priya Nair", "Marcus Webb")
    thrudesk_services.senders.set_self_assign(admin, campaign_id, True)
    window.show_campaign_details(campaign_id)
    assert figure(window, "sent") == 0
    thrudesk_simulator.force_next("stall")
    thrudesk_services.campaigns.launch(admin, campaign_id, NumberMode.SINGLE_USE)

    # The simulated team joins through the invite link, requests batches and sends, tick after
    # tick; the figures follow each tick.
    seen: list[tuple[int, int, int, int]] = []
    for _ in range(24):
        sim_clock.advance(minutes=5)
        qtbot.waitUntil(
            lambda: (
                figure(window, "sent")
                == thrudesk_services.campaigns.details(admin, campaign_id).sent
            )
        )
        sent, at_risk, delivered, opted_out = (
            figure(window, key) for key in ("sent", "at_risk", "delivered", "opted_out")
        )
        seen.append((sent, at_risk, delivered, opted_out))
        if seen[-1][0] == 120 and seen[-1][2] > 0 and seen[-1][3] > 0:
            break
    sent_values = [sent for sent, _, _, _ in seen]
    assert len(set(sent_values)) >= 3, sent_values  # M1: sent grew live, tick by tick
    assert sent_values == sorted(sent_values)
    assert all(at_risk == sent for sent, at_risk, _, _ in seen)  # M2: still provisioning
    assert all(delivered <= sent for sent, _, delivered, _ in seen)
    final_sent, _, final_delivered, final_opted_out = seen[-1]
    assert final_sent == 120
    assert 0 < final_delivered < final_sent  # M2: delivered at the lower rate of a number
    assert final_opted_out > 0  # M3: STOP replies opt contacts out
    assert figure(window, "unassigned") == 0
    summary = child(window.campaign_details_tab, QLabel, "audience_summary_label")
    assert "Surcharges $1.20" in summary.text()  # 1 ¢ for each message sent at risk


@pytest.mark.usefixtures("quiet")
def test_m3_a_stop_reply_shows_in_opted_out_at_once(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    admin = thrudesk_account.actor
    campaign = campaign_with_contacts(3)
    sam = sender_on(thrudesk_services, thrudesk_account, campaign.id, "Sam Okafor")
    _send_all(thrudesk_services, sam, campaign.id, admin)
    window.show_campaign_details(campaign.id)
    qtbot.waitUntil(lambda: figure(window, "sent") == 3)
    assert figure(window, "at_risk") == 0  # a complete number

    first = thrudesk_services.contacts.conversations(admin, campaign.id).rows[0]
    thrudesk_services.messaging.receive_reply(admin, campaign.id, first.id, "Stop.")
    qtbot.waitUntil(lambda: figure(window, "opted_out") == 1)
    second = thrudesk_services.contacts.conversations(admin, campaign.id).rows[1]
    thrudesk_services.messaging.receive_reply(admin, campaign.id, second.id, "please stop")
    summary = child(window.campaign_details_tab, QLabel, "audience_summary_label")
    qtbot.waitUntil(lambda: summary.text().startswith("Replied 2"))
    assert figure(window, "opted_out") == 1  # a sentence with "stop" is a reply, not an opt-out

    sim_clock.advance(minutes=5)  # the next tick resolves deliveries (M2)
    qtbot.waitUntil(lambda: figure(window, "delivered") > 0)


# ---------------------------------------------------------------------- C18
@pytest.mark.usefixtures("quiet")
def test_c18_threads_continued_on_a_dedicated_number_are_shown(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    admin = thrudesk_account.actor
    (sam,) = sender_users(thrudesk_services, thrudesk_account, "Sam Okafor")
    earlier = campaign_with_contacts(5)
    thrudesk_services.senders.add(admin, earlier.id, [sam.user_id])
    _send_all(thrudesk_services, sam, earlier.id, admin)
    sim_clock.advance(minutes=10)

    # The same five contacts and five new ones, on the same dedicated number.
    later = campaign_with_contacts(10, title="Second round", number_id=earlier.number_id)
    thrudesk_services.senders.add(admin, later.id, [sam.user_id])
    window.show_campaign_details(later.id)
    threads = child(window.campaign_details_tab, QLabel, "threads_label")
    assert figure(window, "continued_threads") == 0
    _send_all(thrudesk_services, sam, later.id, admin)
    qtbot.waitUntil(lambda: figure(window, "continued_threads") == 5)
    assert figure(window, "sent") == 10
    assert threads.text() == (
        "5 contacts continue a thread texted earlier from this dedicated number."
    )


def test_c18_threads_do_not_continue_on_a_single_use_number(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    thrudesk_simulator.force_next("complete")
    campaign_id = thrudesk_services.campaigns.create(
        thrudesk_account.actor,
        "One-off",
        area_codes=["512"],
        use_case_id=thrudesk_account.use_case_id,
    )
    thrudesk_services.campaigns.launch(thrudesk_account.actor, campaign_id, NumberMode.SINGLE_USE)
    window.show_campaign_details(campaign_id)
    threads = child(window.campaign_details_tab, QLabel, "threads_label")
    assert threads.text() == "Threads continue across campaigns only on a dedicated number."
    sim_clock.advance(minutes=10)  # provisioned: Active, still a single-use number
    tags = window.campaign_details_tab.status_tags
    qtbot.waitUntil(lambda: [t.text for t in tags.tags()] == ["Active"])
    assert threads.text() == "Threads continue across campaigns only on a dedicated number."
    assert figure(window, "continued_threads") == 0
