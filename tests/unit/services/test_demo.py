"""The demo accounts: every provisioning state, every campaign status, a team at work, and
isolation.
"""

from __future__ import annotations

from datetime import UTC, datetime

from thrudesk.models.enums import CampaignStatus, ClockKind, NumberKind, ProvisioningStatus
from thrudesk.services.accounts import store_is_empty
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.demo import (
    DEMO_ACCOUNT,
    SECOND_ACCOUNT,
    TEAMWORK_BATCH_SIZE,
    TEAMWORK_CAMPAIGN,
    seed_demo,
)
from thrudesk.services.rows import CampaignFlagKind, CampaignStatusFilter, SenderSource
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.simulation.state import load_state
from thrudesk.services.store import Store
from thrudesk.services.unit_of_work import Actor

NOW = datetime(2026, 11, 3, 17, 0, tzinfo=UTC)


def test_demo_covers_every_state_and_keeps_accounts_apart(thrudesk_store: Store) -> None:
    assert store_is_empty(thrudesk_store)
    accounts = seed_demo(thrudesk_store, NOW)
    assert not store_is_empty(thrudesk_store)
    services = Services(thrudesk_store, ManualClock(NOW))
    assert [a.name for a in services.accounts.all()] == [DEMO_ACCOUNT, SECOND_ACCOUNT]

    numbers = services.numbers.page(accounts.main).rows
    dedicated = [n for n in numbers if n.kind is NumberKind.DEDICATED]
    assert {n.provisioning_status for n in dedicated} == set(ProvisioningStatus)
    assert services.numbers.dedicated_usage(accounts.main).text == "4 of 5 dedicated numbers"

    campaigns = services.campaigns.index(accounts.main, status=CampaignStatusFilter.ALL).rows
    assert {c.status for c in campaigns} == set(CampaignStatus)
    flags = {f.kind for c in campaigns for f in c.flags}
    assert CampaignFlagKind.PROVISIONING_FAILED in flags
    assert CampaignFlagKind.AUTO_ARCHIVE_SOON in flags
    assert CampaignFlagKind.FOLLOWUP in flags
    assert sum(c.contact_count for c in campaigns) > 500
    assert any(c.sender_count > 0 for c in campaigns)

    second = services.campaigns.index(accounts.second).rows
    assert [c.title for c in second] == ["Rent board hearing"]
    assert {c.id for c in second}.isdisjoint({c.id for c in campaigns})


def _campaign_id(services: Services, actor: Actor, title: str) -> int:
    [row] = [row for row in services.campaigns.index(actor).rows if row.title == title]
    return row.id


def test_demo_plays_teamwork_and_leaves_the_team_working(thrudesk_store: Store) -> None:
    accounts = seed_demo(thrudesk_store, NOW)
    main = accounts.main
    clock = ManualClock(NOW)
    services = Services(thrudesk_store, clock)

    # The busy campaign: everyone texted by four senders added directly (C13); contacts
    # delivered, replied and opted out (M1–M3).
    ballot = services.campaigns.details(main, _campaign_id(services, main, "Ballot return push"))
    assert ballot.contacts == ballot.sent == 320
    assert {s.source for s in ballot.senders} == {SenderSource.DIRECT}
    assert [s.assigned for s in ballot.senders] == [80, 80, 80, 80]
    assert 0 < ballot.delivered < ballot.sent
    assert ballot.opted_out > 0
    assert services.messaging.summary(main, ballot.id).replied > 0

    # The team at work: Self Assign on with its link; senders joined through it and took
    # batches; threads texted by the busy campaign on the same number continue (C14, C15, C18).
    rides_id = _campaign_id(services, main, TEAMWORK_CAMPAIGN)
    team = services.senders.team(main, rides_id)
    assert team.self_assign
    assert team.invite is not None
    assert team.batch_size == TEAMWORK_BATCH_SIZE
    assert team.senders
    assert {s.source for s in team.senders} == {SenderSource.INVITE_LINK}
    assert all(s.assigned % TEAMWORK_BATCH_SIZE == 0 and s.assigned for s in team.senders)
    rides = services.campaigns.details(main, rides_id)
    assert rides.unassigned == rides.contacts - len(team.senders) * TEAMWORK_BATCH_SIZE
    assert rides.unassigned > 0  # left for the team to take as the clock runs

    # The stored clock is the program's, not the story's manual one.
    with thrudesk_store.read() as session:
        state = load_state(session)
        assert state.clock_kind is ClockKind.SCALED
        assert state.simulated_now == NOW

    # As the clock runs, the team goes on: Unassigned keeps dropping.
    simulator = Simulator(services)
    simulator.start()
    try:
        clock.advance(minutes=30)
    finally:
        simulator.stop()
    assert services.campaigns.details(main, rides_id).unassigned < rides.unassigned
