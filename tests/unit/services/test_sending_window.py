"""The sending window (C11): start only to the future, end extendable, sending hours, and held
initial messages going out when the window opens.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.snapshots import Unchanged
from tests.unit.services.teamwork_helpers import (
    CampaignWithContacts,
    add_sender_users,
    conversation_ids,
    sender_on,
)
from thrudesk.models.enums import MessageState
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.errors import InvalidInput, InvalidTransition, OutsideSendingHours
from thrudesk.services.messaging import SendStatus
from thrudesk.services.sending_window import WindowStatus
from thrudesk.services.starter import StarterAccount

# DEFAULT_START of the fixtures is Monday 2 March 2026, 09:00 in New York (14:00 UTC).
MONDAY_9AM = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def test_c11_launch_opens_the_window_now_with_default_sending_hours(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    ready = campaign_with_contacts(1)
    window = thrudesk_services.sending_window.window(thrudesk_account.actor, ready.campaign_id)
    assert window.start_at == MONDAY_9AM
    assert (window.hours_start, window.hours_end) == (time(9), time(21))
    assert window.timezone == "America/New_York"
    assert window.timezone_is_account_default
    assert window.state.status is WindowStatus.OPEN


def test_c11_the_start_date_moves_only_to_a_time_in_the_future(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    unchanged: Unchanged,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    ready = campaign_with_contacts(1)
    with unchanged():
        for when in (MONDAY_9AM, MONDAY_9AM - timedelta(days=1)):
            with pytest.raises(InvalidInput, match="only be moved to a time in the future") as r:
                thrudesk_services.sending_window.set_start(actor, ready.campaign_id, when)
            assert r.value.field == "start_at"
        with pytest.raises(InvalidInput, match="from the calendar"):
            thrudesk_services.sending_window.set_start(
                actor, ready.campaign_id, datetime(2026, 3, 5, 9, 0)
            )
    tomorrow = MONDAY_9AM + timedelta(days=1)
    window = thrudesk_services.sending_window.set_start(actor, ready.campaign_id, tomorrow)
    assert window.start_at == tomorrow
    assert window.state.status is WindowStatus.NOT_STARTED
    assert thrudesk_services.campaigns.index_row(actor, ready.campaign_id).start_at == tomorrow


def test_c11_the_end_date_can_be_extended_but_not_set_in_the_past(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    unchanged: Unchanged,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    ready = campaign_with_contacts(1)
    friday = MONDAY_9AM + timedelta(days=4)
    thrudesk_services.sending_window.set_end(actor, ready.campaign_id, friday)
    sim_clock.jump_to(friday + timedelta(hours=1))
    window = thrudesk_services.sending_window.window(actor, ready.campaign_id)
    assert window.state.status is WindowStatus.ENDED
    with unchanged(), pytest.raises(InvalidInput, match="must be in the future"):
        thrudesk_services.sending_window.set_end(actor, ready.campaign_id, friday)
    window = thrudesk_services.sending_window.set_end(
        actor, ready.campaign_id, friday + timedelta(days=7)
    )
    assert window.end_at == friday + timedelta(days=7)
    assert window.state.status is WindowStatus.OPEN
    assert thrudesk_services.campaigns.details(actor, ready.campaign_id).end_at == window.end_at


def test_c11_sending_hours_are_read_in_the_campaigns_timezone(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    unchanged: Unchanged,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    ready = campaign_with_contacts(1)
    # 09:00 in New York is 06:00 in Los Angeles: before a 09:00 opening there.
    window = thrudesk_services.sending_window.set_timezone(
        actor, ready.campaign_id, "America/Los_Angeles"
    )
    assert window.state.status is WindowStatus.OUTSIDE_HOURS
    assert window.state.opens_at == MONDAY_9AM + timedelta(hours=3)
    assert thrudesk_services.campaigns.details(actor, ready.campaign_id).timezone == (
        "America/Los_Angeles"
    )
    window = thrudesk_services.sending_window.set_sending_hours(
        actor, ready.campaign_id, time(6), time(12)
    )
    assert window.state.status is WindowStatus.OPEN
    with unchanged():
        with pytest.raises(InvalidInput, match="end after they start"):
            thrudesk_services.sending_window.set_sending_hours(
                actor, ready.campaign_id, time(21), time(9)
            )
        with pytest.raises(InvalidInput, match="not a timezone"):
            thrudesk_services.sending_window.set_timezone(actor, ready.campaign_id, "Mars/Olympus")
    window = thrudesk_services.sending_window.set_timezone(actor, ready.campaign_id, None)
    assert window.timezone == "America/New_York"


@pytest.mark.usefixtures("quiet")
def test_c11_m1_messages_sent_before_the_start_are_held_until_the_window_opens(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    ready = campaign_with_contacts(3)
    sam = sender_on(thrudesk_services, thrudesk_account, ready.campaign_id)
    # Tuesday 07:00 New York: before Tuesday's sending hours, so the window opens at 09:00.
    start = MONDAY_9AM + timedelta(days=1) - timedelta(hours=2)
    thrudesk_services.sending_window.set_start(actor, ready.campaign_id, start)
    first, second, _ = conversation_ids(thrudesk_services, ready.campaign_id)
    outcome = thrudesk_services.messaging.send_initial(sam, ready.campaign_id, first)
    assert outcome.status is SendStatus.HELD
    assert outcome.held_until == MONDAY_9AM + timedelta(days=1)
    thrudesk_services.messaging.send_initial(sam, ready.campaign_id, second)
    assert thrudesk_services.sending_window.window(actor, ready.campaign_id).held == 2
    assert thrudesk_services.campaigns.details(actor, ready.campaign_id).sent == 0

    sim_clock.jump_to(MONDAY_9AM + timedelta(days=1) - timedelta(minutes=1))
    assert thrudesk_services.campaigns.details(actor, ready.campaign_id).sent == 0
    sim_clock.advance(minutes=1)
    details = thrudesk_services.campaigns.details(actor, ready.campaign_id)
    assert details.sent == 2
    rows = thrudesk_services.contacts.conversations(actor, ready.campaign_id).rows
    assert [r.message_state for r in rows] == [
        MessageState.SENT,
        MessageState.SENT,
        MessageState.NOT_SENT,
    ]
    assert rows[0].sent_at == MONDAY_9AM + timedelta(days=1)
    assert thrudesk_services.sending_window.window(actor, ready.campaign_id).held == 0


@pytest.mark.usefixtures("quiet")
def test_c11_m3_a_held_message_to_a_contact_who_opted_out_meanwhile_never_goes_out(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    number_campaign = campaign_with_contacts(1, title="First")
    later = campaign_with_contacts(1, title="Later", number_id=number_campaign.number_id)
    (sam,) = add_sender_users(thrudesk_services, thrudesk_account, 1)
    for campaign_id in (number_campaign.campaign_id, later.campaign_id):
        thrudesk_services.senders.add(actor, campaign_id, [sam.user_id])
    thrudesk_services.sending_window.set_start(
        actor, later.campaign_id, MONDAY_9AM + timedelta(hours=2)
    )
    (held,) = conversation_ids(thrudesk_services, later.campaign_id)
    assert thrudesk_services.messaging.send_initial(sam, later.campaign_id, held).status is (
        SendStatus.HELD
    )
    (texted,) = conversation_ids(thrudesk_services, number_campaign.campaign_id)
    thrudesk_services.messaging.send_initial(sam, number_campaign.campaign_id, texted)
    thrudesk_services.messaging.receive_reply(actor, number_campaign.campaign_id, texted, "Stop")
    sim_clock.advance(hours=3)
    (row,) = thrudesk_services.contacts.conversations(actor, later.campaign_id).rows
    assert row.message_state is MessageState.NOT_SENT
    assert row.opted_out


@pytest.mark.usefixtures("quiet")
def test_c11_m1_outside_sending_hours_an_initial_message_is_refused(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    unchanged: Unchanged,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    ready = campaign_with_contacts(1)
    sam = sender_on(thrudesk_services, thrudesk_account, ready.campaign_id)
    sim_clock.jump_to(MONDAY_9AM + timedelta(hours=12, minutes=30))  # 21:30 in New York
    (conversation,) = conversation_ids(thrudesk_services, ready.campaign_id)
    with unchanged(), pytest.raises(OutsideSendingHours, match=r"09:00–21:00") as refusal:
        thrudesk_services.messaging.send_initial(sam, ready.campaign_id, conversation)
    assert refusal.value.field == "sending_hours"
    assert "open again on Tue 3 Mar 2026, 09:00." in str(refusal.value)


@pytest.mark.usefixtures("quiet")
def test_c11_the_window_of_an_archived_campaign_cannot_change(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    unchanged: Unchanged,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    ready = campaign_with_contacts(1)
    thrudesk_services.campaigns.archive(actor, ready.campaign_id)
    with unchanged(), pytest.raises(InvalidTransition, match="archived"):
        thrudesk_services.sending_window.set_end(
            actor, ready.campaign_id, MONDAY_9AM + timedelta(days=3)
        )


@pytest.mark.usefixtures("quiet")
def test_c11_held_messages_of_a_paused_campaign_go_out_once_it_is_resumed(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    ready = campaign_with_contacts(1)
    sam = sender_on(thrudesk_services, thrudesk_account, ready.campaign_id)
    thrudesk_services.sending_window.set_start(
        actor, ready.campaign_id, MONDAY_9AM + timedelta(hours=1)
    )
    (conversation,) = conversation_ids(thrudesk_services, ready.campaign_id)
    thrudesk_services.messaging.send_initial(sam, ready.campaign_id, conversation)
    thrudesk_services.campaigns.pause(actor, ready.campaign_id)
    sim_clock.advance(hours=2)
    assert thrudesk_services.campaigns.details(actor, ready.campaign_id).sent == 0
    thrudesk_services.campaigns.resume(actor, ready.campaign_id)
    assert thrudesk_services.campaigns.details(actor, ready.campaign_id).sent == 1


# Dates lie between 1 January 2000 and 31 December 2099 (DOMAIN.md "Errors").
AFTER_2099 = [
    datetime(9999, 12, 31, 23, 59, tzinfo=ZoneInfo("America/Chicago")),
    datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
    datetime(2100, 1, 1, 0, 0, tzinfo=ZoneInfo("America/New_York")),
]


@pytest.mark.parametrize("when", AFTER_2099, ids=["9999 Chicago", "9999 UTC", "2100 New York"])
def test_c11_a_start_date_after_2099_is_refused_and_writes_nothing(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    unchanged: Unchanged,
    campaign_with_contacts: CampaignWithContacts,
    when: datetime,
) -> None:
    ready = campaign_with_contacts(1)
    with unchanged(), pytest.raises(InvalidInput) as refused:
        thrudesk_services.sending_window.set_start(thrudesk_account.actor, ready.campaign_id, when)
    assert refused.value.message == (
        "The start date must lie between 1 January 2000 and 31 December 2099."
    )
    assert refused.value.field == "start_at"


@pytest.mark.parametrize("when", AFTER_2099, ids=["9999 Chicago", "9999 UTC", "2100 New York"])
def test_c11_an_end_date_after_2099_is_refused_and_writes_nothing(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    unchanged: Unchanged,
    campaign_with_contacts: CampaignWithContacts,
    when: datetime,
) -> None:
    ready = campaign_with_contacts(1)
    with unchanged(), pytest.raises(InvalidInput) as refused:
        thrudesk_services.sending_window.set_end(thrudesk_account.actor, ready.campaign_id, when)
    assert refused.value.message == (
        "The end date must lie between 1 January 2000 and 31 December 2099."
    )
    assert refused.value.field == "end_at"


def test_c11_the_last_minute_of_2099_in_every_time_zone_is_an_end_date(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    ready = campaign_with_contacts(1)
    kiritimati = datetime(2099, 12, 31, 23, 59, tzinfo=ZoneInfo("Pacific/Kiritimati"))  # UTC+14
    window = thrudesk_services.sending_window.set_end(actor, ready.campaign_id, kiritimati)
    assert window.end_at == kiritimati
    with pytest.raises(InvalidInput, match="between 1 January 2000 and 31 December 2099"):
        thrudesk_services.sending_window.set_end(
            actor, ready.campaign_id, kiritimati + timedelta(minutes=1)
        )
