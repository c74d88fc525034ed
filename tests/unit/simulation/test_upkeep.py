"""Upkeep that time triggers, kept event-driven: the stuck launch (C6) and auto-archive (C17)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.unit.simulation.helpers import ChangeLog, draft, flag_kinds, launch_single_use
from thrudesk.models.enums import JobKind
from thrudesk.services import upkeep
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.rows import CampaignFlagKind, CampaignStatus, ProvisioningStatus
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount
from thrudesk.testing import DEFAULT_START


def stuck_events(services: Services, account: StarterAccount, campaign_id: int) -> int:
    events = services.events.for_campaign(account.actor, campaign_id)
    return sum(1 for event in events if event.kind == "campaign_stuck")


def test_c6_a_launch_waiting_over_4_hours_is_flagged_stuck(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """C6: past 4 hours Launching, the campaign is flagged stuck with the advice to contact
    support; the window is told at that moment, and the flag goes once the number completes.
    """
    admin = thrudesk_account.actor
    thrudesk_simulator.force_next("stall")  # T-Mobile answers after 8 hours
    launched = launch_single_use(thrudesk_services, thrudesk_account)
    assert thrudesk_simulator.next_due(
        JobKind.STUCK_CHECK, thrudesk_account.account_id
    ) == DEFAULT_START + timedelta(hours=4, seconds=1)
    log = ChangeLog(thrudesk_services)
    sim_clock.advance(hours=4)
    row = thrudesk_services.campaigns.index_row(admin, launched.id)
    assert CampaignFlagKind.STUCK not in flag_kinds(row)
    assert log.naming_campaign(launched.id) == []
    sim_clock.advance(seconds=1)
    row = thrudesk_services.campaigns.index_row(admin, launched.id)
    assert row.status is CampaignStatus.LAUNCHING
    stuck = [flag for flag in row.flags if flag.kind is CampaignFlagKind.STUCK]
    assert len(stuck) == 1
    assert "contact support" in stuck[0].detail
    assert len(log.naming_campaign(launched.id)) == 1
    assert stuck_events(thrudesk_services, thrudesk_account, launched.id) == 1
    sim_clock.advance(hours=3)
    assert stuck_events(thrudesk_services, thrudesk_account, launched.id) == 1  # noted once
    sim_clock.advance(hours=1)
    row = thrudesk_services.campaigns.index_row(admin, launched.id)
    assert row.status is CampaignStatus.ACTIVE
    assert row.provisioning_status is ProvisioningStatus.COMPLETE
    assert CampaignFlagKind.STUCK not in flag_kinds(row)


def test_c6_no_check_is_planned_while_nothing_is_launching(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """C6: the check exists only while a campaign launches; a quick launch needs none after."""
    draft(thrudesk_services, thrudesk_account)
    assert thrudesk_simulator.next_due(JobKind.STUCK_CHECK) is None
    thrudesk_simulator.force_next("complete")
    launched = launch_single_use(thrudesk_services, thrudesk_account, title="Quick")
    assert thrudesk_simulator.next_due(JobKind.STUCK_CHECK) is not None
    sim_clock.advance(hours=5)
    row = thrudesk_services.campaigns.index_row(thrudesk_account.actor, launched.id)
    assert row.status is CampaignStatus.ACTIVE
    assert stuck_events(thrudesk_services, thrudesk_account, launched.id) == 0
    assert thrudesk_simulator.next_due(JobKind.STUCK_CHECK) is None


def test_c6_a_launch_that_became_stuck_while_closed_is_flagged_at_start(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """C6, S4: stuck while the simulator was stopped, noted when it starts again."""
    thrudesk_simulator.force_next("stall", after=timedelta(hours=12))
    launched = launch_single_use(thrudesk_services, thrudesk_account)
    thrudesk_simulator.stop()
    sim_clock.advance(hours=6)
    thrudesk_simulator.start()
    assert stuck_events(thrudesk_services, thrudesk_account, launched.id) == 1


def test_c17_an_idle_campaign_is_warned_from_day_23_and_archived_at_day_30(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """C17: "auto-archived in N days" from day 23, counting down, archived after 30 days."""
    admin = thrudesk_account.actor
    campaign_id = draft(thrudesk_services, thrudesk_account)
    log = ChangeLog(thrudesk_services)
    sim_clock.advance(days=22, hours=23)
    row = thrudesk_services.campaigns.index_row(admin, campaign_id)
    assert CampaignFlagKind.AUTO_ARCHIVE_SOON not in flag_kinds(row)
    assert log.naming_campaign(campaign_id) == []
    sim_clock.advance(hours=1)  # day 23
    row = thrudesk_services.campaigns.index_row(admin, campaign_id)
    assert [f.text for f in row.flags] == ["Auto-archived in 7 days"]
    assert len(log.naming_campaign(campaign_id)) == 1  # the window is told to show it
    for day in range(24, 30):
        sim_clock.advance(days=1)
        row = thrudesk_services.campaigns.index_row(admin, campaign_id)
        left = 30 - day
        assert [f.text for f in row.flags] == [f"Auto-archived in {left} day{'s' * (left > 1)}"]
        assert len(log.naming_campaign(campaign_id)) == day - 22  # refreshed each day
    sim_clock.advance(hours=23, minutes=59)
    assert thrudesk_services.campaigns.index_row(admin, campaign_id).status is not (
        CampaignStatus.ARCHIVED
    )
    sim_clock.advance(minutes=1)
    details = thrudesk_services.campaigns.details(admin, campaign_id)
    assert details.status is CampaignStatus.ARCHIVED
    assert details.archived_at == DEFAULT_START + timedelta(days=30)
    archived = [
        e
        for e in thrudesk_services.events.for_campaign(admin, campaign_id)
        if e.kind == "campaign_archived"
    ]
    assert [(e.actor_label, (e.after or {}).get("reason")) for e in archived] == [
        ("Simulator", "no activity for 30 days")
    ]


def test_c17_activity_puts_off_the_auto_archive(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """C17: using a campaign starts its 30 days again; the warning goes away."""
    admin = thrudesk_account.actor
    campaign_id = draft(thrudesk_services, thrudesk_account)
    sim_clock.advance(days=25)
    thrudesk_services.campaigns.edit_draft(admin, campaign_id, title="Turnout, revised")
    row = thrudesk_services.campaigns.index_row(admin, campaign_id)
    assert CampaignFlagKind.AUTO_ARCHIVE_SOON not in flag_kinds(row)
    sim_clock.advance(days=10)  # day 35 since creation, day 10 since the edit
    assert thrudesk_services.campaigns.index_row(admin, campaign_id).status is (
        CampaignStatus.DRAFT
    )
    sim_clock.advance(days=20, hours=1)
    assert thrudesk_services.campaigns.index_row(admin, campaign_id).status is (
        CampaignStatus.ARCHIVED
    )


def test_c17_auto_archive_releases_a_single_use_number(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """C17 with C10: an idle single-use campaign is archived and its number released."""
    admin = thrudesk_account.actor
    thrudesk_simulator.force_next("complete")
    launched = launch_single_use(thrudesk_services, thrudesk_account)
    sim_clock.advance(days=31)
    row = thrudesk_services.campaigns.index_row(admin, launched.id)
    assert row.status is CampaignStatus.ARCHIVED
    assert row.phone_number_id is not None
    number = thrudesk_services.numbers.get(admin, row.phone_number_id)
    assert number.released_at is not None
    usage = next(
        u
        for u in thrudesk_services.numbers.use_cases(admin)
        if u.id == thrudesk_account.use_case_id
    )
    assert usage.used == 0


def test_c6_many_launches_stuck_together_are_each_noted_once_a_few_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """C6 (P2): five launches stuck at the same moment, noted two per check: three checks in
    a row, each told to the window on its own, and every launch flagged exactly once.
    """
    monkeypatch.setattr(upkeep, "STUCK_NOTES_PER_CHECK", 2)
    thrudesk_simulator.force_next("stall", count=5)
    launched = [
        launch_single_use(thrudesk_services, thrudesk_account, title=f"Turnout {n}")
        for n in range(5)
    ]
    log = ChangeLog(thrudesk_services)
    sim_clock.advance(hours=4, seconds=1)
    for row in launched:
        assert stuck_events(thrudesk_services, thrudesk_account, row.id) == 1
        fresh = thrudesk_services.campaigns.index_row(thrudesk_account.actor, row.id)
        assert CampaignFlagKind.STUCK in flag_kinds(fresh)
    noting = [
        change
        for change in log.changes
        if change.campaign_ids and change.campaign_ids <= {row.id for row in launched}
    ]
    assert [len(change.campaign_ids) for change in noting] == [2, 2, 1]
    sim_clock.advance(hours=1)
    assert all(stuck_events(thrudesk_services, thrudesk_account, row.id) == 1 for row in launched)
