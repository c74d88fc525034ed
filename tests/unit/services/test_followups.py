"""Followups (C8): the original's contacts minus targeting, never anyone else; and the launch
advisory of C7.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.snapshots import Unchanged
from tests.unit.services.helpers import complete, launch_single_use, new_followup
from tests.unit.services.teamwork_helpers import (
    CampaignWithContacts,
    active_campaign_with_contacts,
    contacts_csv,
    conversation_ids,
    sender_on,
)
from thrudesk.models.enums import CampaignStatus, NumberMode
from thrudesk.services.campaigns import FollowupTargeting
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.errors import InvalidInput, InvalidTransition
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount
from thrudesk.services.unit_of_work import Actor


def _phones(services: Services, account: StarterAccount, campaign_id: int) -> list[str]:
    rows = services.contacts.conversations(account.actor, campaign_id, limit=1000).rows
    return [row.phone for row in rows]


def _texted_campaign(
    services: Services, account: StarterAccount, tmp_path: Path, contacts: int
) -> tuple[int, int, Actor, list[int]]:
    """An Active campaign whose sender texted every contact; answers its ids and the sender."""
    ready = active_campaign_with_contacts(services, account, tmp_path, contacts)
    sam = sender_on(services, account, ready.campaign_id)
    ids = conversation_ids(services, ready.campaign_id)
    for conversation in ids:
        services.messaging.send_initial(sam, ready.campaign_id, conversation)
    return ready.campaign_id, ready.number_id, sam, ids


# ---------------------------------------------------------------------- C8
@pytest.mark.usefixtures("quiet")
def test_c8_a_followup_reaches_the_originals_contacts_less_those_who_opted_out(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    actor = thrudesk_account.actor
    campaign_id, number_id, _, ids = _texted_campaign(
        thrudesk_services, thrudesk_account, tmp_path, 5
    )
    thrudesk_services.messaging.receive_reply(actor, campaign_id, ids[1], "STOP")
    used_before = thrudesk_services.numbers.use_cases(actor)
    followup = new_followup(thrudesk_services, thrudesk_account, campaign_id)
    original = _phones(thrudesk_services, thrudesk_account, campaign_id)
    assert _phones(thrudesk_services, thrudesk_account, followup) == original[:1] + original[2:]
    details = thrudesk_services.campaigns.details(actor, followup)
    assert details.status is CampaignStatus.ACTIVE
    assert details.row.phone_number_id == number_id  # the original's number: no provisioning
    assert details.parent_id == campaign_id
    assert thrudesk_services.numbers.use_cases(actor) == used_before  # no use-case slot taken


@pytest.mark.usefixtures("quiet")
def test_c8_targeting_removes_by_reply_by_field_and_by_hand(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    actor = thrudesk_account.actor
    campaign_id, _, _, ids = _texted_campaign(thrudesk_services, thrudesk_account, tmp_path, 6)
    thrudesk_services.messaging.receive_reply(actor, campaign_id, ids[0], "Yes!")
    thrudesk_services.messaging.receive_reply(actor, campaign_id, ids[3], "Who is this?")
    rows = thrudesk_services.contacts.conversations(actor, campaign_id).rows
    phones = [row.phone for row in rows]
    by_hand = rows[5].contact_id
    cases = [
        (FollowupTargeting(replied=True), [phones[0], phones[3]]),
        (FollowupTargeting(replied=False), [phones[1], phones[2], phones[4], phones[5]]),
        # The helper's file puts wards W0, W1, W2 in turn.
        (
            FollowupTargeting(field_equals={"ward": "W1"}),
            [p for i, p in enumerate(phones) if i % 3 != 1],
        ),
        (FollowupTargeting(exclude_contact_ids=[by_hand]), phones[:5]),
        (
            FollowupTargeting(
                replied=False, field_equals={"ward": "W2"}, exclude_contact_ids=[by_hand]
            ),
            [phones[1], phones[4]],
        ),
    ]
    for targeting, expected in cases:
        size = thrudesk_services.campaigns.followup_audience_size(actor, campaign_id, targeting)
        followup = new_followup(thrudesk_services, thrudesk_account, campaign_id, targeting)
        assert _phones(thrudesk_services, thrudesk_account, followup) == expected
        assert size == len(expected)


@pytest.mark.usefixtures("quiet")
def test_c8_a_followup_never_reaches_a_contact_outside_the_originals_list(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    unchanged: Unchanged,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    campaign_id, number_id, _, _ = _texted_campaign(
        thrudesk_services, thrudesk_account, tmp_path, 3
    )
    # Another campaign of the account, with other contacts, on the same number.
    elsewhere = campaign_with_contacts(4, title="Elsewhere", number_id=number_id, start=500)
    outsiders = [
        r.contact_id
        for r in thrudesk_services.contacts.conversations(actor, elsewhere.campaign_id).rows
    ]
    followup = new_followup(
        thrudesk_services,
        thrudesk_account,
        campaign_id,
        FollowupTargeting(exclude_contact_ids=outsiders),  # naming outsiders adds nobody
    )
    assert _phones(thrudesk_services, thrudesk_account, followup) == _phones(
        thrudesk_services, thrudesk_account, campaign_id
    )
    with unchanged(), pytest.raises(InvalidTransition, match="come from its campaign"):
        thrudesk_services.contacts.import_csv(
            actor, followup, contacts_csv(tmp_path / "outside.csv", 1, start=900)
        )


@pytest.mark.usefixtures("quiet")
@pytest.mark.parametrize(
    "targeting",
    [
        FollowupTargeting(field_equals={"wa\x00rd": "W1"}),
        FollowupTargeting(field_equals={" ward ": "W1"}),
        FollowupTargeting(field_equals={"": "W1"}),
        FollowupTargeting(field_equals={"ward": 1}),  # type: ignore[dict-item]
        FollowupTargeting(field_equals={"x" * 65: "W1"}),
        FollowupTargeting(exclude_contact_ids=["1"]),  # type: ignore[list-item]
        FollowupTargeting(replied="yes"),  # type: ignore[arg-type]
    ],
)
def test_r3_c8_malformed_targeting_is_refused_and_writes_nothing(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    unchanged: Unchanged,
    targeting: FollowupTargeting,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    ready = campaign_with_contacts(2)
    with unchanged(), pytest.raises(InvalidInput) as refusal:
        new_followup(thrudesk_services, thrudesk_account, ready.campaign_id, targeting)
    assert refusal.value.field == "targeting"
    with pytest.raises(InvalidInput):
        thrudesk_services.campaigns.followup_audience_size(
            thrudesk_account.actor, ready.campaign_id, targeting
        )


@pytest.mark.usefixtures("quiet")
def test_c8_c11_c18_a_followup_keeps_the_window_and_continues_the_threads(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    sim_clock: ManualClock,
) -> None:
    actor = thrudesk_account.actor
    campaign_id, _, sam, _ = _texted_campaign(thrudesk_services, thrudesk_account, tmp_path, 2)
    thrudesk_services.sending_window.set_timezone(actor, campaign_id, "America/Chicago")
    followup = new_followup(thrudesk_services, thrudesk_account, campaign_id)
    window = thrudesk_services.sending_window.window(actor, followup)
    assert window.timezone == "America/Chicago"
    assert (window.hours_start.hour, window.hours_end.hour) == (9, 21)
    sim_clock.advance(hours=1)  # 09:00 in Chicago
    thrudesk_services.senders.add(actor, followup, [sam.user_id])
    outcomes = [
        thrudesk_services.messaging.send_initial(sam, followup, c)
        for c in conversation_ids(thrudesk_services, followup)
    ]
    assert all(o.continues_thread for o in outcomes)
    assert thrudesk_services.campaigns.details(actor, followup).continued_threads == 2


# ---------------------------------------------------------------------- C7
def test_c7_a_third_single_use_launch_while_two_are_launching_shows_the_advisory(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    actor = thrudesk_account.actor
    thrudesk_simulator.force_next("stall", count=3)
    first = launch_single_use(thrudesk_services, thrudesk_account, "One", "512")
    third = thrudesk_services.campaigns.create(
        actor, "Three", area_codes=["737"], use_case_id=thrudesk_account.use_case_id
    )
    assert thrudesk_services.campaigns.launch_options(actor, third).advisory is None
    launch_single_use(thrudesk_services, thrudesk_account, "Two", "214")
    advisory = thrudesk_services.campaigns.launch_options(actor, third).advisory
    assert advisory is not None
    assert "2 single-use campaigns" in advisory
    assert "no more than two" in advisory
    assert thrudesk_services.campaigns.launch_advisory(actor) == advisory
    # The admin may go on.
    row = thrudesk_services.campaigns.launch(actor, third, NumberMode.SINGLE_USE)
    assert row.status is CampaignStatus.LAUNCHING
    # Once one of them is Active on a complete number, two are left launching: still advised.
    number = thrudesk_services.campaigns.index_row(actor, first).phone_number_id
    assert number is not None
    complete(thrudesk_services, number)
    assert thrudesk_services.campaigns.index_row(actor, first).status is CampaignStatus.ACTIVE
    assert "2 single-use" in (thrudesk_services.campaigns.launch_advisory(actor) or "")


def test_c7_c5_single_use_campaigns_active_while_their_numbers_provision_count_too(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
) -> None:
    actor = thrudesk_account.actor
    thrudesk_services.accounts.set_provisioning_based_launching(actor, False)
    thrudesk_simulator.force_next("stall", count=2)
    one = launch_single_use(thrudesk_services, thrudesk_account, "One", "512")
    launch_single_use(thrudesk_services, thrudesk_account, "Two", "214")
    assert thrudesk_services.campaigns.index_row(actor, one).status is CampaignStatus.ACTIVE
    assert thrudesk_services.campaigns.launch_advisory(actor) is not None
    number = thrudesk_services.campaigns.index_row(actor, one).phone_number_id
    assert number is not None
    complete(thrudesk_services, number)
    assert thrudesk_services.campaigns.launch_advisory(actor) is None


@pytest.mark.parametrize(
    "expires_at",
    [
        datetime(9999, 12, 31, 23, 59, tzinfo=ZoneInfo("America/Chicago")),
        datetime(2100, 1, 1, tzinfo=UTC),
    ],
    ids=["9999", "2100"],
)
def test_c8_a_followup_expiry_after_2099_is_refused_and_writes_nothing(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    unchanged: Unchanged,
    campaign_with_contacts: CampaignWithContacts,
    expires_at: datetime,
) -> None:
    ready = campaign_with_contacts(2)
    with unchanged(), pytest.raises(InvalidInput) as refused:
        thrudesk_services.campaigns.create_followup(
            thrudesk_account.actor,
            ready.campaign_id,
            title="Reminder",
            message="Polls close at 8 tonight",
            expires_at=expires_at,
        )
    assert refused.value.message == (
        "The expiry must lie between 1 January 2000 and 31 December 2099."
    )
    assert refused.value.field == "expires_at"
