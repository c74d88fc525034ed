"""Upkeep that time triggers, kept event-driven: the stuck launch (C6) and auto-archive (C17)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.unit.simulation.helpers import (
    ChangeLog,
    LiveManualClock,
    draft,
    flag_kinds,
    launch_single_use,
)
from thrudesk.models.enums import JobKind, Scenario
from thrudesk.services import upkeep
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.rows import CampaignFlagKind, CampaignStatus, EventRow, ProvisioningStatus
from thrudesk.services.simulation import engine
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount, create_starter_account
from thrudesk.services.store import Store, open_store, url_for_path
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
    monkeypatch: pytest.MonkeyPatch, thrudesk_store: Store
) -> None:
    """C6 (P2): five launches stuck at the same moment, noted two per check: on a live clock
    whose batches run out of time after one job, three checks in a row, each told to the window
    on its own, and every launch flagged exactly once, at 4 hours and a second.
    """
    monkeypatch.setattr(upkeep, "STUCK_NOTES_PER_CHECK", 2)
    monkeypatch.setattr(engine, "LIVE_BUDGET_S", 0.0)
    clock = LiveManualClock(DEFAULT_START)
    services = Services(thrudesk_store, clock)
    simulator = Simulator(services, seed=0)
    simulator.start()
    account = create_starter_account(services)
    simulator.force_next("stall", count=5)
    launched = [launch_single_use(services, account, title=f"Turnout {n}") for n in range(5)]
    log = ChangeLog(services)
    clock.advance(hours=4, seconds=1)
    for row in launched:
        assert stuck_events(services, account, row.id) == 1
        fresh = services.campaigns.index_row(account.actor, row.id)
        assert CampaignFlagKind.STUCK in flag_kinds(fresh)
    noting = [
        change
        for change in log.changes
        if change.campaign_ids and change.campaign_ids <= {row.id for row in launched}
    ]
    assert [len(change.campaign_ids) for change in noting] == [2, 2, 1]
    clock.advance(hours=1)
    assert all(stuck_events(services, account, row.id) == 1 for row in launched)
    simulator.stop()


def test_c6_launches_stuck_together_are_noted_in_one_batch_of_the_manual_clock(
    monkeypatch: pytest.MonkeyPatch,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """C6 (P4): headless, the checks that follow one another at once share one batch; each
    launch is still noted once, at the moment it passed 4 hours.
    """
    monkeypatch.setattr(upkeep, "STUCK_NOTES_PER_CHECK", 2)
    thrudesk_simulator.force_next("stall", count=5)
    launched = [
        launch_single_use(thrudesk_services, thrudesk_account, title=f"Turnout {n}")
        for n in range(5)
    ]
    log = ChangeLog(thrudesk_services)
    sim_clock.advance(hours=5)
    noting = [
        change
        for change in log.changes
        if change.campaign_ids and change.campaign_ids <= {row.id for row in launched}
    ]
    assert [len(change.campaign_ids) for change in noting] == [5]
    for row in launched:
        events = thrudesk_services.events.for_campaign(thrudesk_account.actor, row.id)
        assert [e.at for e in events if e.kind == "campaign_stuck"] == [
            DEFAULT_START + timedelta(hours=4, seconds=1)
        ]


# Tuesday 3 March 2026, 12:00 US Eastern: the afternoon queue.
AFTERNOON = datetime(2026, 3, 3, 17, 0, tzinfo=UTC)


@dataclass
class _Afternoon:
    """One program over its own store: 20 single-use launches, one every 6 minutes from noon
    (US Eastern) in the busy-afternoon scenario, most of them still Launching at 14:00.
    """

    store: Store
    clock: ManualClock
    services: Services
    simulator: Simulator
    account: StarterAccount
    campaign_ids: list[int]

    @classmethod
    def launched(cls, path: Path) -> _Afternoon:
        store = open_store(url_for_path(path))
        clock = ManualClock(AFTERNOON)
        services = Services(store, clock)
        simulator = Simulator(services, seed=0)
        simulator.start()
        simulator.set_scenario(Scenario.BUSY_AFTERNOON)
        account = create_starter_account(services)
        campaign_ids = []
        for n in range(20):
            campaign_ids.append(launch_single_use(services, account, title=f"Drive {n}").id)
            clock.advance(minutes=6)
        return cls(store, clock, services, simulator, account, campaign_ids)

    def restarted_after(self, closed: timedelta) -> _Afternoon:
        """The program closed now and started again ``closed`` later (a wall clock's time)."""
        self.simulator.stop()
        clock = ManualClock(self.clock.now() + closed)
        services = Services(self.store, clock)
        simulator = Simulator(services)
        simulator.start()
        return _Afternoon(self.store, clock, services, simulator, self.account, self.campaign_ids)

    def events(self, campaign_id: int) -> list[EventRow]:
        return self.services.events.for_campaign(self.account.actor, campaign_id)

    def noted_stuck(self) -> dict[int, int]:
        """How many times each campaign was recorded stuck, for those that were."""
        noted = {
            campaign_id: sum(1 for e in self.events(campaign_id) if e.kind == "campaign_stuck")
            for campaign_id in self.campaign_ids
        }
        return {campaign_id: count for campaign_id, count in noted.items() if count}

    def launching_over_4_hours(self) -> set[int]:
        """The campaigns whose launch waited more than 4 hours, read from their history."""
        over: set[int] = set()
        for campaign_id in self.campaign_ids:
            events = self.events(campaign_id)
            launched = next(e.at for e in events if e.kind == "campaign_launched")
            ended = next((e.at for e in events if e.kind == "campaign_activated"), self.clock.now())
            if ended - launched > timedelta(hours=4):
                over.add(campaign_id)
        return over

    def close(self) -> None:
        self.simulator.stop()
        self.store.dispose()


def test_c6_one_day_advance_flags_every_launch_stuck_as_hourly_steps_do(
    tmp_path: Path,
) -> None:
    """C6: one advance of a day notes every launch that waited over 4 hours, once, at the
    moment it passed 4 hours, as hourly steps do; stuck checks planned by the day's own
    checks run at their time, before the carriers' later answers.
    """
    day = _Afternoon.launched(tmp_path / "day.sqlite3")
    hourly = _Afternoon.launched(tmp_path / "hourly.sqlite3")
    try:
        day.clock.advance(days=1)
        for _ in range(24):
            hourly.clock.advance(hours=1)
        stuck = hourly.launching_over_4_hours()
        assert len(stuck) >= 10
        assert day.launching_over_4_hours() == stuck
        assert hourly.noted_stuck() == dict.fromkeys(stuck, 1)
        assert day.noted_stuck() == dict.fromkeys(stuck, 1)
        for campaign_id in stuck:
            events = day.events(campaign_id)
            launched = next(e.at for e in events if e.kind == "campaign_launched")
            noted = next(e.at for e in events if e.kind == "campaign_stuck")
            assert noted - launched <= timedelta(hours=4, seconds=1)
            assert noted == next(
                e.at for e in hourly.events(campaign_id) if e.kind == "campaign_stuck"
            )
    finally:
        day.close()
        hourly.close()


def test_c6_s4_the_catch_up_after_a_restart_flags_every_launch_stuck_as_hourly_steps_do(
    tmp_path: Path,
) -> None:
    """C6, S4: closed for a day with launches in flight, the program applies at start what
    fell due meanwhile, each job at its own time and in order, the checks the catch-up plans
    included: the same launches are recorded stuck, at the same moments, as with the program
    open through hourly steps.
    """
    closed = _Afternoon.launched(tmp_path / "closed.sqlite3").restarted_after(timedelta(days=1))
    hourly = _Afternoon.launched(tmp_path / "hourly.sqlite3")
    try:
        for _ in range(24):
            hourly.clock.advance(hours=1)
        stuck = hourly.launching_over_4_hours()
        assert len(stuck) >= 10
        assert closed.launching_over_4_hours() == stuck
        assert closed.noted_stuck() == dict.fromkeys(stuck, 1)
        for campaign_id in stuck:
            assert [e.at for e in closed.events(campaign_id) if e.kind == "campaign_stuck"] == [
                e.at for e in hourly.events(campaign_id) if e.kind == "campaign_stuck"
            ]
    finally:
        closed.close()
        hourly.close()
