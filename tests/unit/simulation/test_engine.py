"""The engine: event-driven batches (S2), the stored clock (S1), reproducible runs (S3)."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.unit.simulation.helpers import (
    ChangeLog,
    LiveManualClock,
    carrier_jobs,
    launch_single_use,
)
from thrudesk.models import SimulationJob, SimulationState
from thrudesk.models.enums import ClockKind, JobKind
from thrudesk.services.changes import NUMBERS
from thrudesk.services.clock import ManualClock, ScaledClock
from thrudesk.services.container import Services
from thrudesk.services.jobs import JobHandler, ScheduledJob
from thrudesk.services.numbers import DedicatedNumberRequest
from thrudesk.services.rows import ProvisioningStatus, number_label
from thrudesk.services.simulation import engine
from thrudesk.services.simulation.clock_state import clock_from_store, stored_now
from thrudesk.services.simulation.engine import BatchReport, Simulator
from thrudesk.services.starter import StarterAccount, create_starter_account
from thrudesk.services.store import Store, open_store, url_for_path
from thrudesk.services.unit_of_work import UnitOfWork
from thrudesk.services.validation import LATEST
from thrudesk.testing import DEFAULT_START, advance_until_settled


def test_s2_the_engine_arms_one_timer_for_the_earliest_job(
    thrudesk_store: Store,
) -> None:
    """S2: one timer on the clock, at the earliest due job; nothing runs before it."""
    clock = LiveManualClock(DEFAULT_START)
    services = Services(thrudesk_store, clock)
    simulator = Simulator(services, seed=0)
    simulator.start()
    account = create_starter_account(services)
    reports: list[BatchReport] = []
    simulator.add_batch_listener(reports.append)
    assert clock.pending_timers() == 0  # nothing scheduled: nothing armed, nothing polling
    simulator.force_next("complete", after=timedelta(minutes=10))
    number = services.numbers.create_dedicated(account.actor, "415", account.use_case_id)
    assert clock.pending_timers() == 1
    assert simulator.next_due() == number.created_at + timedelta(minutes=6)
    clock.advance(minutes=5, seconds=59)
    assert reports == []
    clock.advance(seconds=1)
    assert [r.applied for r in reports] == [1]
    assert reports[0].first_due_at == number.created_at + timedelta(minutes=6)
    assert clock.pending_timers() == 1  # re-armed for Verizon's answer at 8 minutes
    clock.advance(minutes=10)
    assert [r.applied for r in reports] == [1, 1, 1]
    assert clock.pending_timers() == 0
    row = services.numbers.get(account.actor, number.id)
    assert row.provisioning_status is ProvisioningStatus.COMPLETE
    simulator.stop()


def test_s2_the_manual_clock_holds_one_timer_and_applies_as_it_is_advanced(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """S2: headless, one timer at the earliest job; ``advance()`` applies what falls due in one
    batch, each job at its own time and in order.
    """
    thrudesk_simulator.force_next("complete", after=timedelta(minutes=30))
    number = thrudesk_services.numbers.create_dedicated(
        thrudesk_account.actor, "415", thrudesk_account.use_case_id
    )
    assert sim_clock.pending_timers() == 1
    assert thrudesk_simulator.pending_jobs() == 3
    reports: list[BatchReport] = []
    thrudesk_simulator.add_batch_listener(reports.append)
    sim_clock.advance(hours=6)
    assert thrudesk_simulator.pending_jobs() == 0
    assert sim_clock.pending_timers() == 0
    assert [r.applied for r in reports] == [3]
    events = thrudesk_services.events.for_number(thrudesk_account.actor, number.id)
    answered = [e.at for e in events if e.kind == "carrier_answered"]
    # Each answer at its own time, not at the end of the advance.
    assert answered == [
        number.created_at + timedelta(minutes=18),
        number.created_at + timedelta(minutes=24),
        number.created_at + timedelta(minutes=30),
    ]


def test_s2_jobs_due_together_are_one_batch_and_one_change(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """S2: what falls due together is applied in one transaction; the window is told once."""
    thrudesk_simulator.stop()
    thrudesk_simulator.force_next("complete", count=4)
    numbers = [
        thrudesk_services.numbers.create_dedicated(
            thrudesk_account.actor, "415", thrudesk_account.use_case_id
        )
        for _ in range(4)
    ]
    sim_clock.advance(hours=1)  # the engine is stopped: nothing is applied
    assert all(
        thrudesk_services.numbers.get(thrudesk_account.actor, n.id).provisioning_status
        is ProvisioningStatus.INITIATED
        for n in numbers
    )
    reports: list[BatchReport] = []
    thrudesk_simulator.add_batch_listener(reports.append)
    log = ChangeLog(thrudesk_services)
    thrudesk_simulator.start()
    assert [r.applied for r in reports] == [12]
    assert reports[0].by_kind == {JobKind.CARRIER_ANSWER: 12}
    assert reports[0].number_ids == frozenset(n.id for n in numbers)
    number_changes = [c for c in log.changes if c.touches(NUMBERS)]
    assert len(number_changes) == 1
    assert number_changes[0].number_ids == frozenset(n.id for n in numbers)


def test_s2_a_failing_job_is_set_aside_and_the_rest_of_its_batch_applied(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """S2: a job whose handler breaks is logged and marked; the others of its batch still apply
    and the engine does not retry the broken one for ever.
    """
    calls: list[int] = []

    def brittle(uow: UnitOfWork, job: ScheduledJob) -> None:
        calls.append(job.id)
        if job.payload.get("break"):
            raise RuntimeError("broken on purpose")

    thrudesk_simulator.register_handler(JobKind.SIMULATED_ACTIVITY, brittle)
    with thrudesk_services.context.unit_of_work(actor_label="test") as uow:
        for broken in (False, True, False):
            thrudesk_services.context.jobs.add(
                uow,
                JobKind.SIMULATED_ACTIVITY,
                uow.now + timedelta(minutes=1),
                1,
                account_id=None,
                payload={"break": broken},
            )
    sim_clock.advance(minutes=2)
    assert thrudesk_simulator.pending_jobs() == 0
    with thrudesk_services.store.read() as session:
        jobs = session.scalars(
            select(SimulationJob).where(SimulationJob.kind == JobKind.SIMULATED_ACTIVITY)
        ).all()
        assert all(job.applied_at is not None for job in jobs)
        assert [job.payload.get("failed") for job in jobs] == [None, "broken on purpose", None]
    sim_clock.advance(hours=1)
    # The batch up to the broken job (2 calls), then job by job once (3), and never again.
    assert len(calls) == 2 + 3


def test_s1_the_clock_state_is_stored_and_a_new_run_resumes_it(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_store: Store,
    sim_clock: ManualClock,
) -> None:
    """S1, S4: a restart goes on from the stored simulated moment, at the stored speed."""
    sim_clock.advance(days=2, hours=3)
    thrudesk_simulator.stop()
    resumed = clock_from_store(thrudesk_store)
    assert isinstance(resumed, ManualClock)
    assert resumed.now() == DEFAULT_START + timedelta(days=2, hours=3)
    scaled = clock_from_store(thrudesk_store, kind=ClockKind.SCALED, speed=600)
    assert isinstance(scaled, ScaledClock)
    assert scaled.speed == 600
    assert timedelta() <= scaled.now() - resumed.now() < timedelta(minutes=10)
    with thrudesk_store.read() as session:
        state = session.get_one(SimulationState, 1)
        assert (state.clock_kind, state.speed) == (ClockKind.SCALED, 600)


def _store_clock(store: Store, kind: ClockKind, simulated_now: datetime) -> None:
    """Write a running clock into the store, as an earlier version of thrudesk could have."""
    with store.begin() as session:
        state = session.get_one(SimulationState, 1)
        state.clock_kind = kind
        state.speed = 3600
        state.paused = False
        state.simulated_now = simulated_now


@pytest.mark.parametrize(
    "kind", [ClockKind.SCALED, ClockKind.MANUAL], ids=["scaled clock", "manual clock"]
)
def test_s4_a_stored_clock_past_2099_resumes_at_the_bound_paused(
    thrudesk_store: Store, caplog: pytest.LogCaptureFixture, kind: ClockKind
) -> None:
    """S4, DOMAIN.md "Errors": a store whose clock reads 30 December 9999 (written before the
    clock was bounded) still opens: the clock resumes at the last moment of 2099, paused, the
    store holds that moment, and the log says where the clock was.
    """
    Simulator(Services(thrudesk_store, ManualClock(DEFAULT_START))).stop()  # the state row
    far = datetime(9999, 12, 30, tzinfo=UTC)
    _store_clock(thrudesk_store, kind, far)
    with thrudesk_store.begin() as session:  # a job that clock applied there
        session.add(
            SimulationJob(
                kind=JobKind.SIMULATED_ACTIVITY,
                due_at=far - timedelta(hours=1),
                subject_id=1,
                created_at=far - timedelta(days=1),
                applied_at=far - timedelta(hours=1),
            )
        )
    with caplog.at_level(logging.WARNING, logger="thrudesk.simulation"):
        clock = clock_from_store(thrudesk_store)
    assert "9999-12-30" in caplog.text
    assert "resumes at 2099-12-31 09:59 UTC, paused" in caplog.text
    assert clock.now() == LATEST
    assert clock.kind is kind
    if isinstance(clock, ScaledClock):
        assert clock.paused
    assert _stored_clock(thrudesk_store)[1:] == (True, LATEST)
    # The next start goes on from there as from any stored moment, without a word.
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="thrudesk.simulation"):
        again = clock_from_store(thrudesk_store)
    assert again.now() == LATEST
    assert "9999" not in caplog.text


def test_s4_a_stored_clock_within_the_bound_resumes_as_it_was(thrudesk_store: Store) -> None:
    """S4: a running clock stored just before the bound resumes running."""
    Simulator(Services(thrudesk_store, ManualClock(DEFAULT_START))).stop()
    _store_clock(thrudesk_store, ClockKind.SCALED, LATEST - timedelta(days=1))
    clock = clock_from_store(thrudesk_store)
    assert isinstance(clock, ScaledClock)
    assert not clock.paused
    assert LATEST - timedelta(days=1) <= clock.now() < LATEST


def test_s1_a_running_simulator_stops_at_the_end_of_2099_and_stores_it(
    thrudesk_store: Store,
) -> None:
    """S1, S4: a scaled clock running at 3600× into the end of 2099 pauses there by itself;
    the simulator stores that moment, paused, applies the jobs due by then and none after.
    """
    clock = ScaledClock(LATEST - timedelta(minutes=9), speed=3600, paused=True)
    services = Services(thrudesk_store, clock)
    simulator = Simulator(services, seed=0)
    account = create_starter_account(services)
    simulator.force_next("complete", after=timedelta(minutes=10))
    number = services.numbers.create_dedicated(account.actor, "415", account.use_case_id)

    async def scenario() -> None:
        task = asyncio.create_task(simulator.run())
        await asyncio.sleep(0)
        stopped = asyncio.Event()
        clock.add_listener(lambda: stopped.set() if clock.paused else None)
        # The answers come 6, 8 and 10 minutes after the start: the last one after the bound.
        clock.resume()  # 9 minutes: 0.15 s of wall time
        await asyncio.wait_for(stopped.wait(), timeout=10)
        await asyncio.sleep(0.1)
        simulator.stop()
        await task

    asyncio.run(scenario())
    clock.detach()
    assert (clock.now(), clock.paused) == (LATEST, True)
    assert _stored_clock(thrudesk_store)[1:] == (True, LATEST)
    assert simulator.next_due(JobKind.CARRIER_ANSWER, number.id) is not None
    with thrudesk_store.read() as session:
        applied = {
            job.payload["carrier"]: job.applied_at is not None
            for job in session.scalars(
                select(SimulationJob).where(
                    SimulationJob.kind == JobKind.CARRIER_ANSWER,
                    SimulationJob.subject_id == number.id,
                )
            )
        }
    assert applied == {"att": True, "verizon": True, "tmobile": False}


def test_s1_speed_pause_and_jump_are_stored_as_they_happen(thrudesk_store: Store) -> None:
    """S1: every speed, pause or jump change of a scaled clock reaches the store."""
    clock = ScaledClock(DEFAULT_START, speed=1)
    simulator = Simulator(Services(thrudesk_store, clock))
    simulator.start()

    def stored() -> tuple[ClockKind, float, bool, datetime]:
        with thrudesk_store.read() as session:
            state = session.get_one(SimulationState, 1)
            return (state.clock_kind, state.speed, state.paused, state.simulated_now)

    clock.set_speed(60)
    assert stored()[1] == 60
    clock.pause()
    assert stored()[2] is True
    clock.jump_to(datetime(2026, 4, 1, 12, 0, tzinfo=UTC))
    assert stored() == (ClockKind.SCALED, 60, True, datetime(2026, 4, 1, 12, 0, tzinfo=UTC))
    simulator.stop()


def _stored_clock(store: Store) -> tuple[float, bool, datetime]:
    with store.read() as session:
        state = session.get_one(SimulationState, 1)
        return state.speed, state.paused, state.simulated_now


def test_s4_a_running_scaled_clock_is_saved_every_few_seconds_with_nothing_due(
    monkeypatch: pytest.MonkeyPatch, thrudesk_store: Store
) -> None:
    """S4: with nothing due, a running scaled clock's simulated time still reaches the store
    every CLOCK_SAVE_S (at most 2 s) of wall time; a program killed without its orderly stop
    resumes at most that interval of simulated time behind where its clock stood. A paused
    clock is not written again.
    """
    assert engine.CLOCK_SAVE_S <= 2.0
    every = 0.4  # the same, faster
    monkeypatch.setattr(engine, "CLOCK_SAVE_S", every)
    speed = 600.0
    clock = ScaledClock(DEFAULT_START, speed=speed)
    simulator = Simulator(Services(thrudesk_store, clock), seed=0)
    interval = timedelta(seconds=every * speed)
    slack = timedelta(seconds=0.5 * speed)  # the loop's turn comes late on a busy machine

    async def scenario() -> tuple[list[datetime], datetime, datetime, datetime]:
        task = asyncio.create_task(simulator.run())
        await asyncio.sleep(0)
        assert simulator.pending_jobs() == 0  # nothing due, nothing planned
        seen: list[datetime] = []
        for _ in range(4):
            await asyncio.sleep(every * 0.75)
            seen.append(_stored_clock(thrudesk_store)[2])
            assert clock.now() - seen[-1] <= interval + slack
        clock.pause()
        paused_at = _stored_clock(thrudesk_store)[2]
        assert paused_at == clock.now()
        await asyncio.sleep(every * 2.5)
        assert _stored_clock(thrudesk_store)[2] == paused_at
        clock.resume()
        await asyncio.sleep(every * 2.5)
        # Killed here: the store holds what a next start resumes from, nothing saved on the
        # way out (the orderly stop that follows is only the test's tidying up).
        killed_at = clock.now()
        with thrudesk_store.read() as session:
            resumes_at = stored_now(session)
        simulator.stop()
        await task
        return seen, paused_at, killed_at, resumes_at

    seen, paused_at, killed_at, resumes_at = asyncio.run(scenario())
    clock.detach()
    assert DEFAULT_START < seen[0] < seen[-1] <= paused_at
    assert seen == sorted(seen)
    assert paused_at < resumes_at <= killed_at
    assert killed_at - resumes_at <= interval + slack


def test_s2_run_applies_jobs_on_a_live_asyncio_loop(thrudesk_store: Store) -> None:
    """S2: on an asyncio loop (as under qasync), ``run()`` wakes on the clock's timer and stops
    cleanly; a paused scaled clock jumped forward makes the job due without real waiting.
    """
    clock = ScaledClock(DEFAULT_START, speed=1, paused=True)
    services = Services(thrudesk_store, clock)
    simulator = Simulator(services, seed=0)
    account = create_starter_account(services)

    async def scenario() -> list[BatchReport]:
        reports: list[BatchReport] = []
        done = asyncio.Event()

        def on_batch(report: BatchReport) -> None:
            reports.append(report)
            if simulator.pending_jobs() == 0:
                done.set()

        simulator.add_batch_listener(on_batch)
        task = asyncio.create_task(simulator.run())
        await asyncio.sleep(0)
        assert simulator.running
        simulator.force_next("complete")
        services.numbers.create_dedicated(account.actor, "415", account.use_case_id)
        clock.jump_to(DEFAULT_START + timedelta(minutes=30))
        await asyncio.wait_for(done.wait(), timeout=10)
        simulator.stop()
        await task
        return reports

    reports = asyncio.run(scenario())
    assert sum(r.applied for r in reports) == 3
    assert not simulator.running
    clock.detach()


def test_s2_jobs_planned_on_another_thread_are_applied_on_the_loop(
    thrudesk_store: Store,
) -> None:
    """S2: jobs planned by work committed on a background thread (an import) are picked up
    and applied on the loop's thread, at their time.
    """
    clock = ScaledClock(DEFAULT_START, speed=1, paused=True)
    services = BareServices(thrudesk_store, clock)
    simulator = Simulator(services)
    applied_on: list[int] = []

    def plan_from_worker() -> None:
        with services.context.unit_of_work(actor_label="import") as uow:
            services.context.jobs.add(
                uow, JobKind.SCHEDULED_START, uow.now + timedelta(minutes=5), 1, account_id=None
            )

    async def scenario() -> int:
        done = asyncio.Event()

        def handler(uow: UnitOfWork, job: ScheduledJob) -> None:
            applied_on.append(threading.get_ident())
            done.set()

        simulator.register_handler(JobKind.SCHEDULED_START, handler)
        task = asyncio.create_task(simulator.run())
        await asyncio.sleep(0)
        await asyncio.to_thread(plan_from_worker)
        clock.jump_to(DEFAULT_START + timedelta(minutes=10))
        await asyncio.wait_for(done.wait(), timeout=10)
        simulator.stop()
        await task
        return threading.get_ident()

    loop_thread = asyncio.run(scenario())
    assert applied_on == [loop_thread]
    clock.detach()


def test_s1_nothing_planned_for_now_happens_while_the_clock_is_paused(
    thrudesk_store: Store,
) -> None:
    """S1: work an admin's change plans for "now" (a simulated sender joining through the
    invite link, a tick of sending) waits while the clock is paused, and happens on resuming.
    """
    clock = ScaledClock(DEFAULT_START, speed=3600, paused=True)
    services = BareServices(thrudesk_store, clock)
    simulator = Simulator(services)
    applied: list[datetime] = []

    def plan_now() -> None:
        with services.context.unit_of_work(actor_label="admin") as uow:
            services.context.jobs.add(uow, JobKind.SIMULATED_ACTIVITY, uow.now, 1, account_id=None)

    async def scenario() -> tuple[list[datetime], list[datetime]]:
        done = asyncio.Event()

        def handler(uow: UnitOfWork, job: ScheduledJob) -> None:
            applied.append(uow.now)
            done.set()

        simulator.register_handler(JobKind.SIMULATED_ACTIVITY, handler)
        task = asyncio.create_task(simulator.run())
        await asyncio.sleep(0)
        plan_now()
        await asyncio.sleep(0.2)
        while_paused = list(applied)
        # A jump while paused wakes what was due, then the clock holds again.
        clock.jump_to(DEFAULT_START + timedelta(minutes=1))
        await asyncio.wait_for(done.wait(), timeout=10)
        done.clear()
        plan_now()
        await asyncio.sleep(0.2)
        after_jump = list(applied)
        clock.resume()
        await asyncio.wait_for(done.wait(), timeout=10)
        simulator.stop()
        await task
        return while_paused, after_jump

    while_paused, after_jump = asyncio.run(scenario())
    assert while_paused == []
    assert after_jump == [DEFAULT_START]  # the first, at its own time; the second waits
    assert len(applied) == 2
    clock.detach()


def _same_actions(path: Path, seed: int) -> list[tuple[object, ...]]:
    store = open_store(url_for_path(path))
    try:
        clock = ManualClock(DEFAULT_START)
        services = Services(store, clock)
        simulator = Simulator(services, seed=seed)
        simulator.start()
        account = create_starter_account(services)
        numbers = []
        for step in range(3):
            numbers.append(
                services.numbers.create_dedicated(account.actor, "415", account.use_case_id).id
            )
            clock.advance(minutes=17 * step + 3)
        campaign = launch_single_use(services, account)
        assert campaign.phone_number_id is not None
        numbers.append(campaign.phone_number_id)
        advance_until_settled(clock, simulator)
        simulator.stop()
        outcome: list[tuple[object, ...]] = []
        for number_id in numbers:
            row = services.numbers.get(account.actor, number_id)
            outcome.append(
                (
                    row.e164,
                    row.provisioning_status,
                    row.completed_at,
                    row.failed_at,
                    tuple((c.carrier, c.status, c.answered_at) for c in row.carriers),
                )
            )
        outcome.append(tuple(carrier_jobs(services, numbers[0])))
        return outcome
    finally:
        store.dispose()


def test_s3_the_same_seed_and_actions_give_the_same_outcomes(tmp_path: Path) -> None:
    """S3: two runs with the same seed and the same actions end the same; another seed not."""
    first = _same_actions(tmp_path / "first.sqlite3", seed=7)
    second = _same_actions(tmp_path / "second.sqlite3", seed=7)
    other = _same_actions(tmp_path / "other.sqlite3", seed=8)
    assert first == second
    assert first != other


class BareServices(Services):
    """The services without any other service's job handlers."""

    def job_handlers(self) -> dict[JobKind, JobHandler]:
        return {}


def test_s2_a_handler_registered_later_picks_up_stored_jobs(
    thrudesk_store: Store, sim_clock: ManualClock
) -> None:
    """S2, S4: a job of a kind nobody applies yet waits in the store; it is neither lost nor
    dropped, and applied at its own time once a handler is registered.
    """
    services = BareServices(thrudesk_store, sim_clock)
    simulator = Simulator(services)
    simulator.start()
    seen: list[datetime] = []
    with services.context.unit_of_work(actor_label="test") as uow:
        services.context.jobs.add(
            uow, JobKind.SCHEDULED_START, uow.now + timedelta(hours=1), 5, account_id=None
        )
    sim_clock.advance(hours=2)
    assert seen == []
    simulator.register_handler(JobKind.SCHEDULED_START, lambda uow, job: seen.append(uow.now))
    assert seen == [DEFAULT_START + timedelta(hours=1)]
    simulator.stop()


def test_p2_a_batch_reports_the_moment_it_committed_before_its_change_is_heard(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """A badge is timed from its batch's commit: the moment is taken before anything that runs
    after the commit (the change published, what the handlers left to do).
    """
    thrudesk_simulator.force_next("complete")
    number = thrudesk_services.numbers.create_dedicated(
        thrudesk_account.actor, "415", thrudesk_account.use_case_id
    )
    heard: list[tuple[frozenset[int], float]] = []
    thrudesk_services.bus.subscribe(lambda c: heard.append((c.number_ids, time.monotonic())))
    reports: list[BatchReport] = []
    thrudesk_simulator.add_batch_listener(reports.append)
    before = time.monotonic()
    sim_clock.advance(hours=1)

    assert reports
    for report in reports:
        (heard_at,) = [at for ids, at in heard if ids == report.number_ids]
        assert before <= report.committed_at <= heard_at
    assert number.id in reports[-1].number_ids


class _Recorder:
    """A handler of SCHEDULED_START jobs that notes what it applies, when, and what the clock
    reads then; job 1 plans job 10 half an hour after itself.
    """

    def __init__(self, services: Services) -> None:
        self.services = services
        self.seen: list[tuple[int, datetime, datetime]] = []

    def __call__(self, uow: UnitOfWork, job: ScheduledJob) -> None:
        self.seen.append((job.subject_id, uow.now, self.services.clock.now()))
        if job.subject_id == 1:
            self.services.context.jobs.add(
                uow, JobKind.SCHEDULED_START, uow.now + timedelta(minutes=30), 10, account_id=None
            )

    def plan(self, *hours: int) -> None:
        with self.services.context.unit_of_work(actor_label="test") as uow:
            for subject_id, hour in enumerate(hours, start=1):
                self.services.context.jobs.add(
                    uow,
                    JobKind.SCHEDULED_START,
                    DEFAULT_START + timedelta(hours=hour),
                    subject_id,
                    account_id=None,
                )


@pytest.mark.parametrize("batch", [5000, 2])
def test_s2_a_job_planned_during_an_advance_applies_at_its_own_time_before_later_ones(
    monkeypatch: pytest.MonkeyPatch, thrudesk_store: Store, sim_clock: ManualClock, batch: int
) -> None:
    """S2: one advance over jobs at 1, 2 and 3 hours, where the first plans another at
    1 h 30: each applies at its own time, in due order, the clock reading that time, whether
    the batch holds them all or the claims come two at a time.
    """
    monkeypatch.setattr(engine, "MANUAL_BATCH", batch)
    services = BareServices(thrudesk_store, sim_clock)
    simulator = Simulator(services)
    recorder = _Recorder(services)
    simulator.register_handler(JobKind.SCHEDULED_START, recorder)
    simulator.start()
    reports: list[BatchReport] = []
    simulator.add_batch_listener(reports.append)
    recorder.plan(1, 2, 3)
    sim_clock.advance(hours=4)
    at = [DEFAULT_START + timedelta(hours=h) for h in (1, 1.5, 2, 3)]
    assert recorder.seen == [
        (1, at[0], at[0]),
        (10, at[1], at[1]),
        (2, at[2], at[2]),
        (3, at[3], at[3]),
    ]
    assert sim_clock.now() == DEFAULT_START + timedelta(hours=4)
    assert sum(r.applied for r in reports) == 4
    if batch == 5000:
        assert [r.applied for r in reports] == [4]  # one transaction for the whole advance
    assert simulator.pending_jobs() == 0
    simulator.stop()


def test_s4_the_catch_up_at_start_applies_jobs_planned_meanwhile_in_their_place(
    thrudesk_store: Store, sim_clock: ManualClock
) -> None:
    """S4: jobs that fell due while the program was closed are applied at start in due order,
    each at its own time, a job one of them plans included; in one batch.
    """
    services = BareServices(thrudesk_store, sim_clock)
    simulator = Simulator(services)
    recorder = _Recorder(services)
    simulator.register_handler(JobKind.SCHEDULED_START, recorder)
    recorder.plan(1, 2, 3)
    sim_clock.advance(hours=4)  # closed meanwhile
    reports: list[BatchReport] = []
    simulator.add_batch_listener(reports.append)
    simulator.start()
    at = [DEFAULT_START + timedelta(hours=h) for h in (1, 1.5, 2, 3)]
    assert [(subject, moment) for subject, moment, _ in recorder.seen] == [
        (1, at[0]),
        (10, at[1]),
        (2, at[2]),
        (3, at[3]),
    ]
    assert [r.applied for r in reports] == [4]
    simulator.stop()


def _answer_labels(services: Services, number_id: int) -> list[str]:
    """The labels of a number's planned carrier answers: what the store's queue of simulated
    events (``simulation_job``) says of each, for whoever reads it.
    """
    with services.store.read() as session:
        return list(
            session.scalars(
                select(SimulationJob.label)
                .where(
                    SimulationJob.kind == JobKind.CARRIER_ANSWER,
                    SimulationJob.subject_id == number_id,
                )
                .order_by(SimulationJob.id)
            )
        )


def test_n6_a_planned_carrier_answer_names_the_dedicated_number_it_answers(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
) -> None:
    """N6: a dedicated number's name is shown wherever the number is: the carriers' answers
    planned for it read ``AT&T answers (415) 859-7729 · Bay office``; a number without a name
    is shown as its number alone, bought one at a time or several at once.
    """
    admin, use_case = thrudesk_account.actor, thrudesk_account.use_case_id
    numbers = thrudesk_services.numbers
    named = numbers.create_dedicated(admin, "415", use_case, name="Bay office")
    plain = numbers.create_dedicated(admin, "206", use_case)
    many = numbers.create_dedicated_many(
        [
            DedicatedNumberRequest(admin, "512", use_case, "Austin desk"),
            DedicatedNumberRequest(admin, "512", use_case, None),
        ]
    )
    carriers = ["AT&T", "Verizon", "T-Mobile"]
    assert named.label.endswith(" · Bay office")
    assert _answer_labels(thrudesk_services, named.id) == [
        f"{carrier} answers {named.label}" for carrier in carriers
    ]
    assert _answer_labels(thrudesk_services, plain.id) == [
        f"{carrier} answers {plain.display}" for carrier in carriers
    ]
    for number_id, name in zip(many, ["Austin desk", None], strict=True):
        row = numbers.get(admin, number_id)
        assert row.name == name
        assert _answer_labels(thrudesk_services, number_id) == [
            f"{carrier} answers {number_label(row.e164, name)}" for carrier in carriers
        ]
