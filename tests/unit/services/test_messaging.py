"""Initial messages (M1), simulated delivery (M2), opt-outs (M3), thread continuity (C18), and the
live counts of Campaign Details.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.snapshots import Unchanged
from tests.unit.services.helpers import complete_dedicated
from tests.unit.services.teamwork_helpers import (
    CampaignWithContacts,
    active_campaign_with_contacts,
    add_sender_users,
    contacts_csv,
    conversation_ids,
    sender_on,
)
from thrudesk.models.enums import MessageState, NumberMode
from thrudesk.services.changes import CONVERSATIONS, Change
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.errors import (
    AlreadySent,
    CampaignNotActive,
    ContactOptedOut,
    InvalidInput,
    InvalidTransition,
    NotAssignedToSender,
    NotFound,
    NumberStillProvisioning,
    SendingRefused,
    SendingWindowEnded,
)
from thrudesk.services.messaging import SendingParameters, SendStatus, is_opt_out
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount, create_starter_account
from thrudesk.services.store import open_store, url_for_path
from thrudesk.services.unit_of_work import Actor
from thrudesk.testing import DEFAULT_START


def _team_of_one(
    services: Services, account: StarterAccount, campaign_id: int
) -> tuple[Actor, list[int]]:
    sam = sender_on(services, account, campaign_id)
    return sam, conversation_ids(services, campaign_id)


def _single_use_still_provisioning(
    services: Services,
    simulator: Simulator,
    account: StarterAccount,
    tmp_path: Path,
    contacts: int,
) -> int:
    """C5: provisioning-based launching off, so the campaign is Active while its number waits."""
    actor = account.actor
    campaign_id = services.campaigns.create(
        actor, "Incident night", area_codes=["512"], use_case_id=account.use_case_id
    )
    services.contacts.import_csv(actor, campaign_id, contacts_csv(tmp_path / "c.csv", contacts))
    services.accounts.set_provisioning_based_launching(actor, False)
    simulator.force_next("stall")  # T-Mobile answers only after 8 hours
    services.campaigns.launch(actor, campaign_id, NumberMode.SINGLE_USE)
    return campaign_id


# ---------------------------------------------------------------------- M1
@pytest.mark.usefixtures("quiet")
def test_m1_a_sender_sends_the_initial_message_of_their_own_conversation(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    ready = campaign_with_contacts(2)
    sam, (first, _) = _team_of_one(thrudesk_services, thrudesk_account, ready.campaign_id)
    outcome = thrudesk_services.messaging.send_initial(sam, ready.campaign_id, first)
    assert outcome.status is SendStatus.SENT
    assert not outcome.at_risk
    assert outcome.surcharge_cents == 0
    details = thrudesk_services.campaigns.details(thrudesk_account.actor, ready.campaign_id)
    assert (details.contacts, details.assigned, details.sent, details.delivered) == (2, 2, 1, 0)


@pytest.mark.usefixtures("quiet")
def test_m1_each_condition_has_its_own_refusal_and_a_refusal_writes_nothing(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    sim_clock: ManualClock,
    unchanged: Unchanged,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    ready = campaign_with_contacts(4)
    sam, kim = add_sender_users(thrudesk_services, thrudesk_account, 2)
    thrudesk_services.senders.add(actor, ready.campaign_id, [sam.user_id])
    thrudesk_services.contacts.import_csv(
        actor, ready.campaign_id, contacts_csv(tmp_path / "more.csv", 1, start=90)
    )
    mine = conversation_ids(thrudesk_services, ready.campaign_id, sam.user_id)
    unassigned = conversation_ids(thrudesk_services, ready.campaign_id)[-1]
    thrudesk_services.messaging.send_initial(sam, ready.campaign_id, mine[0])
    thrudesk_services.messaging.receive_reply(actor, ready.campaign_id, mine[0], "QUIT")
    other = campaign_with_contacts(1, title="Other", number_id=ready.number_id, start=50)
    send = thrudesk_services.messaging.send_initial
    with unchanged():
        with pytest.raises(NotFound, match="not part of this campaign"):
            send(sam, ready.campaign_id, conversation_ids(thrudesk_services, other.campaign_id)[0])
        with pytest.raises(NotAssignedToSender, match="Unassigned"):
            send(sam, ready.campaign_id, unassigned)
        with pytest.raises(NotAssignedToSender, match="another sender's"):
            send(kim, ready.campaign_id, mine[1])
        with pytest.raises(AlreadySent, match="already been sent"):
            send(sam, ready.campaign_id, mine[0])
    # The same contact in another campaign: opted out for the whole account (M3).
    thrudesk_services.senders.add(actor, other.campaign_id, [kim.user_id])
    rows = thrudesk_services.contacts.conversations(actor, ready.campaign_id).rows
    phone = next(row.phone for row in rows if row.id == mine[0])
    repeat = thrudesk_services.contacts.import_csv(
        actor,
        other.campaign_id,
        _csv(tmp_path / "same.csv", phone),
    )
    assert repeat.opted_out == 1
    opted_there = conversation_ids(thrudesk_services, other.campaign_id)[-1]
    thrudesk_services.senders.remove(actor, other.campaign_id, kim.user_id)
    thrudesk_services.senders.add(actor, other.campaign_id, [kim.user_id])
    with unchanged(), pytest.raises(ContactOptedOut, match="opted out"):
        send(kim, other.campaign_id, opted_there)

    thrudesk_services.sending_window.set_end(
        actor, ready.campaign_id, DEFAULT_START + timedelta(hours=1)
    )
    sim_clock.advance(hours=2)
    with unchanged(), pytest.raises(SendingWindowEnded, match="end date"):
        send(sam, ready.campaign_id, mine[1])
    thrudesk_services.campaigns.pause(actor, other.campaign_id)
    with unchanged(), pytest.raises(CampaignNotActive, match="Paused"):
        send(kim, other.campaign_id, conversation_ids(thrudesk_services, other.campaign_id)[0])


def _csv(path: Path, e164: str) -> Path:
    path.write_text(f"phone\n{e164}\n", encoding="utf-8")
    return path


@pytest.mark.usefixtures("quiet")
def test_m1_a_draft_campaign_sends_nothing(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    actor = thrudesk_account.actor
    draft = thrudesk_services.campaigns.create(actor, "Not yet")
    thrudesk_services.contacts.import_csv(actor, draft, contacts_csv(tmp_path / "c.csv", 1))
    sam, (conversation,) = _team_of_one(thrudesk_services, thrudesk_account, draft)
    with pytest.raises(CampaignNotActive, match="Draft") as refusal:
        thrudesk_services.messaging.send_initial(sam, draft, conversation)
    assert isinstance(refusal.value, SendingRefused)


@pytest.mark.usefixtures("quiet")
def test_m1_m2_with_provisioning_based_launching_off_sends_are_at_risk_and_surcharged(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    unchanged: Unchanged,
) -> None:
    actor = thrudesk_account.actor
    thrudesk_services.messaging.set_parameters(actor, surcharge_cents=3)
    campaign_id = _single_use_still_provisioning(
        thrudesk_services, thrudesk_simulator, thrudesk_account, tmp_path, 2
    )
    sam, (first, second) = _team_of_one(thrudesk_services, thrudesk_account, campaign_id)
    outcome = thrudesk_services.messaging.send_initial(sam, campaign_id, first)
    assert outcome.status is SendStatus.SENT
    assert outcome.at_risk
    assert outcome.surcharge_cents == 3
    assert thrudesk_services.campaigns.details(actor, campaign_id).at_risk == 1
    summary = thrudesk_services.messaging.summary(actor, campaign_id)
    assert (summary.at_risk, summary.surcharge_cents) == (1, 3)
    # Provisioning-based launching back on: sends wait for Provisioning Complete (M1).
    thrudesk_services.accounts.set_provisioning_based_launching(actor, True)
    with unchanged(), pytest.raises(NumberStillProvisioning, match="Provisioning Initiated"):
        thrudesk_services.messaging.send_initial(sam, campaign_id, second)


@pytest.mark.usefixtures("quiet")
def test_m2_delivery_follows_the_rates_of_provisioned_and_unprovisioned_numbers(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    sim_clock: ManualClock,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    thrudesk_services.messaging.set_parameters(
        actor, delivery_rate_complete=1.0, delivery_rate_provisioning=0.0
    )
    ready = campaign_with_contacts(3)
    sam, complete_ids = _team_of_one(thrudesk_services, thrudesk_account, ready.campaign_id)
    risky = _single_use_still_provisioning(
        thrudesk_services, thrudesk_simulator, thrudesk_account, tmp_path, 3
    )
    thrudesk_services.senders.add(actor, risky, [sam.user_id])
    for conversation in complete_ids:
        thrudesk_services.messaging.send_initial(sam, ready.campaign_id, conversation)
    for conversation in conversation_ids(thrudesk_services, risky):
        thrudesk_services.messaging.send_initial(sam, risky, conversation)
    sim_clock.advance(minutes=5)
    ok = thrudesk_services.campaigns.details(actor, ready.campaign_id)
    assert (ok.sent, ok.delivered) == (3, 3)
    bad = thrudesk_services.messaging.summary(actor, risky)
    assert (bad.sent, bad.delivered, bad.undelivered) == (3, 0, 3)
    delivered = thrudesk_services.contacts.conversations(actor, ready.campaign_id).rows
    assert all(r.delivered_at is not None and r.sent_at is not None for r in delivered)
    assert all(r.delivered_at and r.sent_at and r.delivered_at >= r.sent_at for r in delivered)


def test_m2_the_rates_are_parameters_with_defaults_in_one_place(
    thrudesk_services: Services, thrudesk_account: StarterAccount, unchanged: Unchanged
) -> None:
    actor = thrudesk_account.actor
    assert thrudesk_services.messaging.parameters() == SendingParameters()
    assert (
        SendingParameters().delivery_rate_complete > SendingParameters().delivery_rate_provisioning
    )
    changed = thrudesk_services.messaging.set_parameters(actor, delivery_rate_provisioning=0.5)
    assert changed.delivery_rate_provisioning == 0.5
    assert thrudesk_services.messaging.parameters().delivery_rate_provisioning == 0.5
    with unchanged():
        for bad in (
            {"reply_rate": 1.5},
            {"opt_out_rate": -0.1},
            {"surcharge_cents": 2.5},
            {"activity_minutes": 0},
            {"reply_rate": 0.9, "opt_out_rate": 0.2},
            {"warp_speed": 1},
            {"delivery_rate_complete": True},
        ):
            with pytest.raises(InvalidInput):
                thrudesk_services.messaging.set_parameters(actor, **bad)


# ---------------------------------------------------------------------- M3
@pytest.mark.parametrize(
    ("reply", "opts_out"),
    [
        ("STOP", True),
        ("stop", True),
        (" Stop. ", True),
        ("STOPALL", True),
        ("unsubscribe", True),
        ("Cancel", True),
        ("END", True),
        ("quit!", True),
        ("Please stop texting me", False),
        ("stopp", False),
        ("Yes", False),
    ],
)
def test_m3_opt_out_keywords(reply: str, opts_out: bool) -> None:
    assert is_opt_out(reply) is opts_out


@pytest.mark.usefixtures("quiet")
def test_m3_stop_opts_the_contact_out_of_the_whole_account(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    first = campaign_with_contacts(3)
    second = campaign_with_contacts(3, title="Second", number_id=first.number_id)
    sam, ids = _team_of_one(thrudesk_services, thrudesk_account, first.campaign_id)
    thrudesk_services.messaging.send_initial(sam, first.campaign_id, ids[0])
    thrudesk_services.messaging.send_initial(sam, first.campaign_id, ids[1])
    reply = thrudesk_services.messaging.receive_reply(
        actor, first.campaign_id, ids[0], "Who is this?"
    )
    assert not reply.opted_out
    reply = thrudesk_services.messaging.receive_reply(
        actor, first.campaign_id, ids[1], "UNSUBSCRIBE"
    )
    assert reply.opted_out
    for campaign_id in (first.campaign_id, second.campaign_id):
        assert thrudesk_services.campaigns.details(actor, campaign_id).opted_out == 1
    summary = thrudesk_services.messaging.summary(actor, first.campaign_id)
    assert summary.replied == 2
    rows = thrudesk_services.contacts.conversations(actor, first.campaign_id).rows
    assert (rows[1].reply_text, rows[1].opted_out) == ("UNSUBSCRIBE", True)


@pytest.mark.usefixtures("quiet")
def test_m3_a_reply_needs_a_message_first(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    unchanged: Unchanged,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    ready = campaign_with_contacts(1)
    (conversation,) = conversation_ids(thrudesk_services, ready.campaign_id)
    with unchanged():
        with pytest.raises(InvalidTransition, match="has not received"):
            thrudesk_services.messaging.receive_reply(
                thrudesk_account.actor, ready.campaign_id, conversation, "STOP"
            )
        with pytest.raises(InvalidInput, match="cannot be blank"):
            thrudesk_services.messaging.receive_reply(
                thrudesk_account.actor, ready.campaign_id, conversation, "   "
            )


# ---------------------------------------------------------------------- C18
@pytest.mark.usefixtures("quiet")
def test_c18_a_contact_texted_earlier_on_the_same_dedicated_number_continues_its_thread(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    spring = campaign_with_contacts(2, title="Spring")
    sam, (texted, _untexted) = _team_of_one(thrudesk_services, thrudesk_account, spring.campaign_id)
    thrudesk_services.messaging.send_initial(sam, spring.campaign_id, texted)
    # Same number, same two contacts plus a new one.
    autumn = campaign_with_contacts(3, title="Autumn", number_id=spring.number_id)
    thrudesk_services.senders.add(actor, autumn.campaign_id, [sam.user_id])
    marks = [
        thrudesk_services.messaging.send_initial(sam, autumn.campaign_id, c).continues_thread
        for c in conversation_ids(thrudesk_services, autumn.campaign_id)
    ]
    assert marks == [True, False, False]
    assert thrudesk_services.campaigns.details(actor, autumn.campaign_id).continued_threads == 1
    assert thrudesk_services.campaigns.details(actor, spring.campaign_id).continued_threads == 0


@pytest.mark.usefixtures("quiet")
def test_c18_another_number_starts_a_new_thread(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    spring = campaign_with_contacts(1, title="Spring")
    sam, (texted,) = _team_of_one(thrudesk_services, thrudesk_account, spring.campaign_id)
    thrudesk_services.messaging.send_initial(sam, spring.campaign_id, texted)
    other_number = complete_dedicated(thrudesk_services, thrudesk_account, area_code="212").id
    autumn = campaign_with_contacts(1, title="Autumn", number_id=other_number)
    thrudesk_services.senders.add(thrudesk_account.actor, autumn.campaign_id, [sam.user_id])
    (conversation,) = conversation_ids(thrudesk_services, autumn.campaign_id)
    outcome = thrudesk_services.messaging.send_initial(sam, autumn.campaign_id, conversation)
    assert not outcome.continues_thread


# ---------------------------------------------------------------------- live counts
@pytest.mark.usefixtures("quiet")
def test_m1_m3_campaign_details_counts_change_live_as_the_team_works(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    thrudesk_services.messaging.set_parameters(actor, delivery_rate_complete=1.0)
    ready = campaign_with_contacts(4)
    heard: list[Change] = []
    thrudesk_services.bus.subscribe(heard.append)
    sam, ids = _team_of_one(thrudesk_services, thrudesk_account, ready.campaign_id)
    thrudesk_services.messaging.send_initial(sam, ready.campaign_id, ids[0])
    sim_clock.advance(minutes=5)
    thrudesk_services.messaging.receive_reply(actor, ready.campaign_id, ids[0], "stop")
    assert all(ready.campaign_id in c.campaign_ids for c in heard if c.touches(CONVERSATIONS))
    assert sum(1 for c in heard if c.touches(CONVERSATIONS)) >= 3
    details = thrudesk_services.campaigns.details(actor, ready.campaign_id)
    assert (
        details.contacts,
        details.unassigned,
        details.assigned,
        details.sent,
        details.delivered,
        details.opted_out,
    ) == (4, 0, 4, 1, 1, 1)


# ---------------------------------------------------------------------- the simulated team
def test_m1_m2_m3_a_demo_sends_delivers_and_hears_replies_on_its_own(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    thrudesk_services.messaging.set_parameters(actor, opt_out_rate=0.1, reply_rate=0.2)
    ready = campaign_with_contacts(300)
    thrudesk_services.senders.set_batch_size(actor, ready.campaign_id, 50)
    thrudesk_services.senders.set_self_assign(actor, ready.campaign_id, True)
    sim_clock.advance(hours=3)
    details = thrudesk_services.campaigns.details(actor, ready.campaign_id)
    summary = thrudesk_services.messaging.summary(actor, ready.campaign_id)
    assert details.unassigned < 300
    assert 0 < details.delivered <= details.sent <= details.assigned
    assert 0 < details.opted_out < details.sent
    assert summary.replied >= details.opted_out
    # Opted-out contacts are never messaged again (M3): nothing is sent after an opt-out.
    rows = thrudesk_services.contacts.conversations(actor, ready.campaign_id, limit=300).rows
    assert all(r.message_state is not MessageState.NOT_SENT for r in rows if r.replied_at)


def _demo_outcomes(tmp_path: Path, name: str) -> list[tuple[str, str | None]]:
    store = open_store(url_for_path(tmp_path / f"{name}.sqlite3"))
    clock = ManualClock(DEFAULT_START)
    services = Services(store, clock)
    simulator = Simulator(services, seed=7)
    simulator.start()
    try:
        account = create_starter_account(services)
        services.messaging.set_parameters(account.actor, opt_out_rate=0.05, reply_rate=0.3)
        ready = active_campaign_with_contacts(services, account, tmp_path, 120, title=name)
        services.senders.set_self_assign(account.actor, ready.campaign_id, True)
        clock.advance(hours=2)
        rows = services.contacts.conversations(account.actor, ready.campaign_id, limit=200).rows
        return [(r.message_state.value, r.reply_text) for r in rows]
    finally:
        simulator.stop()
        store.dispose()


def test_s3_the_same_seed_and_actions_give_the_same_sending_outcomes(tmp_path: Path) -> None:
    first = _demo_outcomes(tmp_path, "first")
    second = _demo_outcomes(tmp_path, "second")
    assert first == second
    assert any(state == "delivered" for state, _ in first)
    assert any(reply for _, reply in first)
