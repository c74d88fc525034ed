"""The simulator's engine (SIMULATION.md, Engine): due jobs applied in short batches, exactly once.

Scheduled jobs live in the store (``simulation_job``). The engine keeps a priority queue of their
due times and arms one timer on the clock for the earliest; nothing polls. When it fires, the
engine claims every job due by now (marking it applied in the same transaction that applies it),
applies them in due order, each at its own simulated time, and commits: one transaction, one
:class:`~thrudesk.services.changes.Change` on the bus and one :class:`BatchReport` per batch.

On a manual clock the timer fires as an ``advance()`` passes the earliest job, and the engine
applies everything due by the end of the advance, moving the clock on to each job's time as it
applies it; a week of simulated time is then a handful of batches rather than one per job. A job
that the batch's own jobs plan, due before the rest of it, joins the batch in its place (claimed
in the same transaction), so that the jobs apply in due order whatever the batch's size.

A restart rebuilds the queue from the store and applies what fell due meanwhile, in order (S4):
a job is claimed by the transaction that applies it, so a crash either keeps both or neither.
"""

from __future__ import annotations

import asyncio
import bisect
import heapq
import json
import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from thrudesk.models import Account, PhoneNumber, SimulationJob
from thrudesk.models.base import stored_moment
from thrudesk.models.enums import Carrier, ClockKind, JobKind, ProvisioningStatus, Scenario
from thrudesk.services import bulk
from thrudesk.services.changes import CAMPAIGNS, SIMULATION, Change
from thrudesk.services.clock import ManualClock, ScaledClock, TimerHandle
from thrudesk.services.container import Services
from thrudesk.services.context import StartingNumber
from thrudesk.services.errors import DiskFull, InvalidInput, NotFound
from thrudesk.services.jobs import JobHandler, JobSpec, ScheduledJob
from thrudesk.services.numbers import unreleased_counts
from thrudesk.services.provisioning import CarrierAnswer
from thrudesk.services.rows import number_label
from thrudesk.services.simulation import scenarios
from thrudesk.services.simulation.apart import ApplyingApart, can_apply_apart
from thrudesk.services.simulation.clock_state import save_clock_state, save_simulated_now
from thrudesk.services.simulation.model import (
    ProvisioningEstimate,
    ScenarioOptions,
    completion_samples,
    day_before_advice,
    estimate_from_samples,
    plan_provisioning,
    queue_pressure,
)
from thrudesk.services.simulation.scenarios import ForcedOutcome, ForcedProvisioning
from thrudesk.services.simulation.state import load_state
from thrudesk.services.store import is_disk_full
from thrudesk.services.unit_of_work import SIMULATOR, Actor, UnitOfWork
from thrudesk.services.upkeep import UPKEEP_KINDS, UpkeepService

__all__ = [
    "BatchReport",
    "ForcedOutcome",
    "ProvisioningEstimate",
    "ScenarioOptions",
    "Simulator",
    "day_before_advice",
]

log = logging.getLogger("thrudesk.simulation")

# Jobs per transaction. Headless (a manual clock), big batches mean few commits (P4). On a live
# clock a batch claims a few jobs, applies them until LIVE_BUDGET of work is spent, gives the
# rest back, and lets the loop turn before the next: the window's, until the applying process
# takes the batches over (P2: a 5 ms heartbeat late by 8 ms at most, p99), and in that process,
# so that its batches soon reach the window and the window's writes find the store free.
LIVE_BATCH = 16
LIVE_BUDGET_S = 0.003
# Carrier answers applied together on a live clock, between two looks at the budget.
LIVE_RUN = 4
MANUAL_BATCH = 5000
# A running scaled clock reaches the store at least this often (wall seconds), batches or not:
# a kill loses no more simulated time than this interval at the clock's speed (S4).
CLOCK_SAVE_S = 2.0
# While the disk is full, the due jobs are tried again this often (wall seconds).
DISK_FULL_RETRY_S = 5.0


@dataclass(frozen=True)
class BatchReport:
    """What one applied batch did; told to batch listeners once per batch."""

    applied: int
    by_kind: Mapping[JobKind, int]
    first_due_at: datetime
    last_due_at: datetime
    applied_at: datetime
    change: Change
    failed_job_ids: tuple[int, ...]
    pending: int
    job_ids: tuple[int, ...] = ()
    # ``time.monotonic()`` right after the commit: the system's clock, the same in every process.
    committed_at: float = 0.0

    @property
    def number_ids(self) -> frozenset[int]:
        return self.change.number_ids

    @property
    def campaign_ids(self) -> frozenset[int]:
        return self.change.campaign_ids

    @property
    def account_ids(self) -> frozenset[int]:
        return self.change.account_ids


@dataclass(frozen=True)
class _Pending:
    due_at: datetime
    kind: JobKind
    subject_id: int


def _due_order(job: ScheduledJob) -> tuple[datetime, int]:
    return job.due_at, job.id


@dataclass
class _Batch:
    """The jobs of one batch in due order, and those its own jobs plan as they apply.

    A planned job joins the batch when it falls due by ``until`` (before it, ``strictly``).
    """

    jobs: list[ScheduledJob]
    planned: list[ScheduledJob]
    stamp: datetime
    until: datetime
    strictly: bool


class Simulator:
    """The carrier provisioning simulator: scheduler of carrier answers and engine of all jobs.

    Creating one installs it as the services' provisioning scheduler and registers the handlers
    of every job kind: carrier answers, auto-archive and stuck-launch checks, and those of
    ``services.job_handlers()`` (hard-to-get fulfilment, scheduled starts, simulated activity).
    :meth:`start` (or :meth:`run` on an asyncio loop) sets it going; :meth:`apply_apart` moves
    the applying of its jobs to a process of its own.

    ``plans=False`` makes a Simulator that only applies: it plans no upkeep and saves the clock
    only with its batches (the applying process's, :mod:`.apart`).
    """

    def __init__(self, services: Services, *, seed: int | None = None, plans: bool = True) -> None:
        self._services = services
        self._plans = plans
        self._context = services.context
        self._clock = services.clock
        # A manual clock is stepped on job by job while an advance() applies them.
        clock = services.clock
        self._manual = (
            clock if isinstance(clock, ManualClock) and clock.kind is ClockKind.MANUAL else None
        )
        self._upkeep = UpkeepService(self._context, services.campaigns)
        self._handlers: dict[JobKind, JobHandler] = {}
        self._batch_listeners: list[Callable[[BatchReport], None]] = []
        self._running = False
        self._applying = False
        self._timer: TimerHandle | None = None
        self._continuation: asyncio.Handle | None = None
        self._disk_retry: asyncio.TimerHandle | None = None
        # The running clock's regular save (S4), and when the clock last reached the store.
        self._clock_saver: asyncio.TimerHandle | None = None
        self._clock_saved_at = 0.0
        self._stopped: asyncio.Event | None = None
        # The loop run() works on; work committed on another thread (a background import) is
        # handed over to it, since the queue and the clock's timers belong to the loop's thread.
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._heap: list[tuple[datetime, int]] = []
        self._pending: dict[int, _Pending] = {}
        self._upkeep_pending: Counter[tuple[int, JobKind]] = Counter()
        # The applying process, once started; while it applies, this one only plans.
        self._apart: ApplyingApart | None = None
        self._applied_apart = False

        with self._context.unit_of_work(actor_label=SIMULATOR) as uow:
            state = load_state(uow.session, now=self._clock.now())
            if seed is not None and state.seed != seed:
                uow.record(
                    "simulation_seed_set",
                    "simulation",
                    state.id,
                    account_id=None,
                    before={"seed": state.seed},
                    after={"seed": seed},
                )
                state.seed = seed
            self._seed = state.seed
            self._scenario = state.scenario
            self._options = ScenarioOptions.from_json(state.scenario_options)

        self._context.scheduler = self
        self._context.jobs.listen(self._on_jobs_added)
        self._provisioning = services.provisioning
        self.register_handler(JobKind.CARRIER_ANSWER, self._carrier_answer)
        self.register_handler(JobKind.AUTO_ARCHIVE, self._upkeep.apply_auto_archive)
        self.register_handler(JobKind.STUCK_CHECK, self._upkeep.apply_stuck_check)
        for kind, handler in services.job_handlers().items():
            self.register_handler(kind, handler)

    # ------------------------------------------------------------------ set-up
    @property
    def seed(self) -> int:
        """The run seed (S3): with the same seed and the same actions, the same outcomes."""
        return self._seed

    @property
    def running(self) -> bool:
        return self._running

    def register_handler(self, kind: JobKind, handler: JobHandler) -> None:
        """Apply jobs of ``kind`` with ``handler`` (replacing any earlier one)."""
        known = kind in self._handlers
        self._handlers[kind] = handler
        if not known and self._apart is not None:
            # The applying process knows only the handlers every Simulator registers.
            log.info("simulator: a handler of %s is registered here; applying here", kind)
            self._stop_apart()
        if self._running and not known:
            self._rebuild()
            self._run_due()

    def handler_for(self, kind: JobKind) -> JobHandler | None:
        """The handler that applies jobs of ``kind``, if any."""
        return self._handlers.get(kind)

    def add_batch_listener(self, listener: Callable[[BatchReport], None]) -> None:
        """Call ``listener`` once after each applied batch (a Qt bridge re-emits it)."""
        self._batch_listeners.append(listener)

    def remove_batch_listener(self, listener: Callable[[BatchReport], None]) -> None:
        if listener in self._batch_listeners:
            self._batch_listeners.remove(listener)

    # ------------------------------------------------------------------ running
    def start(self) -> None:
        """Rebuild the queue from the store, apply what fell due meanwhile, and arm (S4)."""
        if self._running:
            return
        self._running = True
        self._clock.add_listener(self._on_clock_changed)
        self._context.bus.subscribe(self._on_change)
        self._rebuild()
        if self._plans:
            missing = [
                (account_id, kind)
                for account_id in self._upkeep.all_account_ids()
                for kind in UPKEEP_KINDS
                if not self._upkeep_pending[(account_id, kind)]
            ]
            self._upkeep.schedule_missing(missing, check_stuck_now=True)
        self._run_due()
        # The clock this run goes on from was just read from the store (clock_from_store).
        self._clock_saved_at = time.monotonic()
        self._keep_clock_saved()
        log.info(
            "simulator started: %d jobs pending, scenario %s", len(self._pending), self._scenario
        )

    def stop(self) -> None:
        """Stop applying jobs and save the clock; scheduled jobs stay in the store."""
        if not self._running:
            return
        self._running = False
        self._stop_apart()
        self._cancel_turns()
        if self._clock_saver is not None:
            self._clock_saver.cancel()
            self._clock_saver = None
        self._clock.remove_listener(self._on_clock_changed)
        self._context.bus.unsubscribe(self._on_change)
        if self._plans:
            self._save_clock()
        if self._stopped is not None:
            self._stopped.set()
        log.info("simulator stopped: %d jobs pending", len(self._pending))

    async def run(self) -> None:
        """Start on the running asyncio loop and wait until :meth:`stop`."""
        loop = asyncio.get_running_loop()
        attach = getattr(self._clock, "attach", None)
        if callable(attach):
            attach(loop)
        self._stopped = asyncio.Event()
        self._loop = loop
        self._loop_thread = threading.get_ident()
        self.start()
        try:
            await self._stopped.wait()
        finally:
            self.stop()
            self._stopped = None
            self._loop = None
            self._loop_thread = None

    def _keep_clock_saved(self) -> None:
        """While a scaled clock runs on the loop, write its simulated now whenever
        CLOCK_SAVE_S has passed without a batch or a change of the clock writing it (S4).

        Only the process that applies the jobs writes it: while another process applies them,
        that one does.
        """
        self._clock_saver = None
        loop = self._loop
        if not self._running or loop is None or loop.is_closed():
            return
        if not isinstance(self._clock, ScaledClock):
            return
        wait = CLOCK_SAVE_S - (time.monotonic() - self._clock_saved_at)
        if wait <= 0:
            wait = CLOCK_SAVE_S
            if not self._clock.paused and not self._applied_apart:
                try:
                    with self._context.store.begin() as session:
                        save_simulated_now(session, self._clock)
                    self._clock_saved_at = time.monotonic()
                except DiskFull:
                    pass  # the store's health says so; the next turn tries again
                except Exception:
                    log.warning("the clock could not be saved; trying again", exc_info=True)
        self._clock_saver = loop.call_later(wait, self._keep_clock_saved)

    def _cancel_turns(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._disk_retry is not None:
            self._disk_retry.cancel()
            self._disk_retry = None
        if self._continuation is not None:
            self._continuation.cancel()
            self._continuation = None

    # ------------------------------------------------------------------ applying apart
    def apply_apart(self) -> bool:
        """Apply the jobs in a process of its own from now on (QUALITY.md P2); answer whether.

        Only a running Simulator on an asyncio loop, over a store file and a clock that runs by
        itself, can (:func:`.apart.can_apply_apart`); otherwise it goes on applying here. Until
        the applying process is ready, and again if it ends, the jobs are applied here.
        """
        loop = self._loop
        if not self._running or loop is None or not self._plans:
            return False
        if self._apart is not None:
            return True
        if not can_apply_apart(self._context):
            return False
        self._apart = ApplyingApart(self._context, self, loop)
        self._apart.start()
        return True

    @property
    def applied_apart(self) -> bool:
        """Whether another process applies the jobs now."""
        return self._applied_apart

    def apart_ready(self) -> None:
        """The applying process has started: from now on it applies, and this one plans."""
        if self._apart is None:
            return
        self._applied_apart = True
        self._cancel_turns()
        self._heap.clear()  # due times matter to the applying process only
        log.info("simulator: the applying process took over the batches")

    def apart_batch(self, report: BatchReport) -> None:
        """A batch the applying process committed: as if applied here."""
        for job_id in report.job_ids:
            self._forget(job_id)
        self._tell_batch(report)
        self._context.bus.publish(report.change)

    def apart_planned(self, jobs: list[ScheduledJob]) -> None:
        """Jobs the applying process's handlers planned."""
        for job in jobs:
            if job.kind in self._handlers:
                self._remember(job.id, job.due_at, job.kind, job.subject_id)

    def apart_ended(self) -> None:
        """The applying process ended by itself: the jobs are applied here again."""
        self._apart = None
        self._take_back()

    def hear_of(self, jobs: list[ScheduledJob]) -> None:
        """Jobs planned in another process (committed), for this one to apply."""
        self._on_jobs_added(jobs)

    def rebuild_queue(self) -> None:
        """Read the queue again from the store (due times moved there) and apply what is due."""
        self._rebuild()
        self._run_due()

    def _stop_apart(self) -> None:
        apart, self._apart = self._apart, None
        if apart is not None:
            apart.stop()
            self._take_back()

    def _take_back(self) -> None:
        was_apart, self._applied_apart = self._applied_apart, False
        if was_apart and self._running:
            self._rebuild()
            self._run_due()

    def pending_jobs(self) -> int:
        """Jobs scheduled and not yet applied (of the kinds this simulator applies)."""
        return len(self._pending)

    def next_due(
        self, kind: JobKind | None = None, subject_id: int | None = None
    ) -> datetime | None:
        """When the next pending job (of ``kind``, about ``subject_id``) falls due."""
        dues = [
            pending.due_at
            for pending in self._pending.values()
            if (kind is None or pending.kind is kind)
            and (subject_id is None or pending.subject_id == subject_id)
        ]
        return min(dues) if dues else None

    # ------------------------------------------------------------------ the queue
    def _rebuild(self) -> None:
        self._heap.clear()
        self._pending.clear()
        self._upkeep_pending.clear()
        with self._context.store.read() as session:
            rows = session.execute(
                select(
                    SimulationJob.id,
                    SimulationJob.due_at,
                    SimulationJob.kind,
                    SimulationJob.subject_id,
                ).where(
                    SimulationJob.applied_at.is_(None),
                    SimulationJob.kind.in_(list(self._handlers)),
                )
            ).all()
        for job_id, due_at, kind, subject_id in rows:
            self._remember(job_id, due_at, kind, subject_id)

    def _remember(self, job_id: int, due_at: datetime, kind: JobKind, subject_id: int) -> None:
        if job_id in self._pending:
            return
        self._pending[job_id] = _Pending(due_at, kind, subject_id)
        if not self._applied_apart:
            heapq.heappush(self._heap, (due_at, job_id))
        if kind in UPKEEP_KINDS:
            self._upkeep_pending[(subject_id, kind)] += 1

    def _forget(self, job_id: int) -> None:
        pending = self._pending.pop(job_id, None)
        if pending is not None and pending.kind in UPKEEP_KINDS:
            key = (pending.subject_id, pending.kind)
            self._upkeep_pending[key] -= 1
            if self._upkeep_pending[key] <= 0:
                del self._upkeep_pending[key]

    def _next_due_at(self) -> datetime | None:
        while self._heap:
            due_at, job_id = self._heap[0]
            pending = self._pending.get(job_id)
            if pending is None or pending.due_at != due_at:
                heapq.heappop(self._heap)
                continue
            return due_at
        return None

    def _elsewhere(self, callback: Callable[..., None], *args: object) -> bool:
        """Hand ``callback`` to the loop's thread when called from another; answer whether."""
        loop = self._loop
        if loop is None or self._loop_thread == threading.get_ident() or loop.is_closed():
            return False
        loop.call_soon_threadsafe(callback, *args)
        return True

    def _on_jobs_added(self, jobs: list[ScheduledJob]) -> None:
        if self._elsewhere(self._on_jobs_added, jobs):
            return
        for job in jobs:
            if job.kind in self._handlers:
                self._remember(job.id, job.due_at, job.kind, job.subject_id)
        if self._apart is not None:
            self._apart.planned(jobs)
        if not self._running or self._applying or self._applied_apart:
            return
        if self._manual is not None and any(job.due_at <= self._manual.now() for job in jobs):
            # Due now: apply now, as a live clock would at its next turn.
            self._run_due()
        else:
            self._arm()

    def _arm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._running or self._applied_apart:
            return
        due_at = self._next_due_at()
        if due_at is not None:
            self._timer = self._clock.call_at(due_at, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        self._run_due()

    def _on_clock_changed(self) -> None:
        if self._apart is not None:
            self._apart.clock_changed()
        if self._manual is not None:
            self._run_due()
        if self._plans:
            self._save_clock()

    def _on_change(self, change: Change) -> None:
        """Campaigns changed: make sure each touched account has its upkeep jobs planned."""
        if self._elsewhere(self._on_change, change):
            return
        if not self._running or not self._plans or CAMPAIGNS not in change.topics:
            return
        missing = [
            (account_id, kind)
            for account_id in sorted(change.account_ids)
            for kind in UPKEEP_KINDS
            if not self._upkeep_pending[(account_id, kind)]
        ]
        if missing:
            self._upkeep.schedule_missing(missing)

    # ------------------------------------------------------------------ applying
    def _run_due(self) -> None:
        """Apply every job due by now, batch after batch, in due order."""
        if self._applying or not self._running or self._applied_apart:
            return
        self._applying = True
        yield_to_loop = False
        disk_full = False
        try:
            live = self._clock.kind is not ClockKind.MANUAL
            limit = LIVE_BATCH if live else MANUAL_BATCH
            while self._running:
                applied, claimed_to = self._apply_batch(limit, live=live)
                if applied == 0:
                    # Everything due by ``claimed_to`` has been claimed: whatever the queue
                    # still holds before then was applied by another instance on this store.
                    self._drop_stale(claimed_to)
                    break
                if live:
                    # More may be due already (at 3600× a second of simulated time passes
                    # every 0.3 ms): the window turns first.
                    yield_to_loop = True
                    break
        except DiskFull:
            # Nothing of the batch was written; its jobs stay due, and are tried again.
            disk_full = True
        finally:
            self._applying = False
        if disk_full:
            self._try_again_later()
        elif yield_to_loop and self._running:
            self._continue_soon()
        else:
            self._arm()

    def _try_again_later(self) -> None:
        """The disk is full: try the due jobs again every DISK_FULL_RETRY_S of wall time,
        until there is room (the store's health tells the window meanwhile).
        """
        loop = self._loop
        if loop is None:
            with suppress(RuntimeError):
                loop = asyncio.get_running_loop()
        if loop is None or loop.is_closed() or not self._running:
            return  # a manual clock without a loop: the next advance tries again

        def again() -> None:
            self._disk_retry = None
            self._run_due()

        if self._disk_retry is None:
            self._disk_retry = loop.call_later(DISK_FULL_RETRY_S, again)

    def _continue_soon(self) -> None:
        """More is due: let the window turn, then go on with the next batch."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._run_due()
            return

        def go_on() -> None:
            self._continuation = None
            self._run_due()

        self._continuation = loop.call_soon(go_on)

    def _drop_stale(self, until: datetime) -> None:
        while self._heap and self._heap[0][0] <= until:
            due_at, job_id = heapq.heappop(self._heap)
            pending = self._pending.get(job_id)
            if pending is not None and pending.due_at == due_at:
                self._forget(job_id)

    def _apply_batch(self, limit: int, *, live: bool = False) -> tuple[int, datetime]:
        """Claim and apply up to ``limit`` due jobs in one transaction (on a live clock, those
        that fit in the time budget).

        Answers how many, and the moment up to which jobs were claimed.
        """
        budget = LIVE_BUDGET_S if live else None
        try:
            return self._apply_claimed(limit, careful=False, budget=budget)
        except DiskFull:
            raise  # no job is at fault: the batch waits for room, whole
        except Exception:
            log.exception("a simulation batch failed; applying its jobs one by one")
            return self._apply_claimed(limit, careful=True, budget=budget)

    def _apply_claimed(
        self, limit: int, *, careful: bool, budget: float | None = None
    ) -> tuple[int, datetime]:
        now = self._clock.now()
        horizon = now if self._manual is None else self._manual.horizon()
        failed: list[int] = []
        committed: list[float] = []
        with (
            self._context.unit_of_work(actor_label=SIMULATOR, at=now) as uow,
            self._context.jobs.watching(uow) as planned,
        ):
            # First of what runs after the commit: what the batch's handlers left to run then
            # (planning, notifications) may take milliseconds.
            uow.after_commit(lambda: committed.append(time.monotonic()))
            claimed = self._claim(uow, now, horizon, limit)
            if not claimed:
                return 0, horizon
            batch = _Batch(
                claimed,
                planned,
                stamp=now,
                # Claimed up to the limit: more jobs wait in the store from the last one's
                # time on, and a job planned here joins the batch only if due before it.
                until=claimed[-1].due_at if len(claimed) >= limit else horizon,
                strictly=len(claimed) >= limit,
            )
            deadline = None if budget is None else time.perf_counter() + budget
            if careful:
                failed, jobs = self._apply_one_by_one(uow, batch, deadline)
            else:
                jobs = self._apply_in_runs(uow, batch, deadline)
            # What did not fit in the budget goes back to the queue, in this transaction.
            self._unclaim(uow, batch.jobs[len(jobs) :])
            uow.now = self._clock.now()
            save_clock_state(uow.session, self._clock)
            change = uow.changes.freeze()
        committed_at = committed[0]
        self._clock_saved_at = committed_at
        for job in jobs:
            self._forget(job.id)
        report = BatchReport(
            applied=len(jobs),
            by_kind=dict(Counter(job.kind for job in jobs)),
            first_due_at=jobs[0].due_at,
            last_due_at=jobs[-1].due_at,
            applied_at=now,
            change=change,
            failed_job_ids=tuple(failed),
            pending=len(self._pending),
            job_ids=tuple(job.id for job in jobs),
            committed_at=committed_at,
        )
        self._tell_batch(report)
        return len(jobs), horizon

    def _tell_batch(self, report: BatchReport) -> None:
        for listener in list(self._batch_listeners):
            try:
                listener(report)
            except Exception:
                log.exception("a batch listener failed")

    def _carrier_answer(self, uow: UnitOfWork, job: ScheduledJob) -> None:
        """Apply one carrier answer (the handler of CARRIER_ANSWER jobs)."""
        self._provisioning.apply_answers(uow, [self._answer_of(job)])

    @staticmethod
    def _answer_of(job: ScheduledJob) -> CarrierAnswer:
        payload = job.payload
        return CarrierAnswer(
            number_id=job.subject_id,
            carrier=Carrier(payload["carrier"]),
            confirmed=bool(payload.get("confirmed", True)),
            reason=payload.get("reason"),
            at=job.due_at,
        )

    def _apply_in_runs(
        self, uow: UnitOfWork, batch: _Batch, deadline: float | None = None
    ) -> list[ScheduledJob]:
        """Apply the batch's jobs in due order; carrier answers that follow each other go to
        the provisioning service together, as one run (read and written in bulk, P4). A job
        planned by one of them that falls due before the rest joins the batch in its place.

        With a ``deadline`` (a live clock), stops at the first job after it; answers the jobs
        applied, a prefix of ``batch.jobs``.
        """
        in_bulk = self._handlers.get(JobKind.CARRIER_ANSWER) == self._carrier_answer
        run_limit = MANUAL_BATCH if deadline is None else LIVE_RUN
        jobs = batch.jobs
        done = 0
        while done < len(jobs):
            if deadline is not None and done and time.perf_counter() > deadline:
                break
            job = jobs[done]
            if in_bulk and job.kind is JobKind.CARRIER_ANSWER:
                run = [job]
                while (
                    done + len(run) < len(jobs)
                    and len(run) < run_limit
                    and jobs[done + len(run)].kind is JobKind.CARRIER_ANSWER
                ):
                    run.append(jobs[done + len(run)])
                self._at(uow, run[-1].due_at)
                self._provisioning.apply_answers(uow, [self._answer_of(j) for j in run])
                done += len(run)
            else:
                self._at(uow, job.due_at)
                self._handlers[job.kind](uow, job)
                done += 1
            if batch.planned:
                self._join(uow, batch, done)
        return jobs[:done]

    def _at(self, uow: UnitOfWork, moment: datetime) -> None:
        """Apply what follows at ``moment``: the unit of work's time and, during an advance of
        the manual clock, the clock's too.
        """
        uow.now = moment
        manual = self._manual
        if manual is not None:
            manual.step_to(min(moment, manual.horizon()))

    def _join(self, uow: UnitOfWork, batch: _Batch, done: int) -> None:
        """Jobs the batch planned that fall due before the rest of it: claimed in this
        transaction and put in their place among the jobs not yet applied.
        """
        joining = [
            job
            for job in batch.planned
            if job.kind in self._handlers
            and (job.due_at < batch.until or (job.due_at == batch.until and not batch.strictly))
        ]
        batch.planned.clear()
        if not joining:
            return
        uow.session.execute(
            update(SimulationJob)
            .where(SimulationJob.id.in_([job.id for job in joining]))
            .values(applied_at=batch.stamp)
            .execution_options(synchronize_session=False)
        )
        for job in joining:
            bisect.insort(batch.jobs, job, lo=done, key=_due_order)

    @staticmethod
    def _unclaim(uow: UnitOfWork, jobs: list[ScheduledJob]) -> None:
        if not jobs:
            return
        uow.session.execute(
            update(SimulationJob)
            .where(SimulationJob.id.in_([job.id for job in jobs]))
            .values(applied_at=None)
            .execution_options(synchronize_session=False)
        )

    def _apply_one_by_one(
        self, uow: UnitOfWork, batch: _Batch, deadline: float | None = None
    ) -> tuple[list[int], list[ScheduledJob]]:
        """After a failed batch: each job in a savepoint of its own; answers the failed ones
        and the jobs applied (a prefix of ``batch.jobs``, when a ``deadline`` stops it).
        """
        failed: list[int] = []
        jobs = batch.jobs
        done = 0
        while done < len(jobs):
            if deadline is not None and done and time.perf_counter() > deadline:
                break
            job = jobs[done]
            done += 1
            self._at(uow, job.due_at)
            planned_before = len(batch.planned)
            try:
                with uow.session.begin_nested():
                    self._handlers[job.kind](uow, job)
            except Exception as error:
                if is_disk_full(error):
                    raise DiskFull() from error  # the job is not at fault: it waits for room
                log.exception("simulation job %d (%s) failed", job.id, job.kind)
                failed.append(job.id)
                del batch.planned[planned_before:]  # rolled back with the job
                uow.session.execute(
                    update(SimulationJob)
                    .where(SimulationJob.id == job.id)
                    .values(payload={**job.payload, "failed": str(error)[:500]})
                )
            if batch.planned:
                self._join(uow, batch, done)
        return failed, jobs[:done]

    def _claim(
        self, uow: UnitOfWork, now: datetime, until: datetime, limit: int
    ) -> list[ScheduledJob]:
        """Mark the earliest jobs due by ``until`` applied (at ``now``), in this transaction,
        and answer them in order.

        One UPDATE … RETURNING through the driver's cursor: a week of 10,000 numbers claims
        30,000 jobs, and their payloads are read as plain JSON (P4).
        """
        kinds = [kind.value for kind in self._handlers]
        stamp = bulk.stored_datetime(now)
        raw = bulk.cursor(uow.session)
        try:
            raw.execute(
                "UPDATE simulation_job SET applied_at = ? WHERE id IN ("
                "SELECT id FROM simulation_job WHERE applied_at IS NULL AND due_at <= ? "
                f"AND kind IN ({', '.join('?' * len(kinds))}) ORDER BY due_at, id LIMIT ?"
                ") RETURNING id, kind, due_at, subject_id, account_id, payload",
                (stamp, bulk.stored_datetime(until), *kinds, limit),
            )
            rows = raw.fetchall()
        finally:
            raw.close()
        jobs = [
            ScheduledJob(
                id=job_id,
                kind=JobKind(kind),
                due_at=stored_moment(due_at),
                subject_id=subject_id,
                account_id=account_id,
                payload=dict(json.loads(payload) or {}) if payload else {},
            )
            for job_id, kind, due_at, subject_id, account_id, payload in rows
        ]
        jobs.sort(key=_due_order)
        return jobs

    def _save_clock(self) -> None:
        with self._context.unit_of_work(actor_label=SIMULATOR) as uow:
            save_clock_state(uow.session, self._clock)
        self._clock_saved_at = time.monotonic()

    # ------------------------------------------------------------------ provisioning
    def schedule_provisionings(self, uow: UnitOfWork, numbers: Sequence[StartingNumber]) -> None:
        """Plan the carriers' answers for ``numbers``, started in this order, in one insert.

        Each number is planned as if started alone, one after the other: it takes the next
        forced outcome, if any, and sees the account's numbers already waiting plus those
        before it in ``numbers`` (queue pressure); its draws come from its own generator (S3).
        """
        if not numbers:
            return
        session = uow.session
        state = load_state(session, now=uow.now)
        options = dict(state.scenario_options or {})
        queued = list(options.get("forced") or [])
        forced_taken = 0
        scenario_options = ScenarioOptions.from_json(options)
        # Each account's numbers already in the carriers' queue, before these (they are all
        # Provisioning Initiated in this unit of work already).
        waiting = self._in_flight_of_accounts(session, {n.account_id for n in numbers})
        for number in numbers:
            waiting[number.account_id] = waiting.get(number.account_id, 0) - 1
        specs: list[JobSpec] = []
        for number in numbers:
            pressure = 1.0
            if forced_taken < len(queued):
                plans = ForcedProvisioning.from_json(queued[forced_taken]).plans()
                forced_taken += 1
            else:
                pressure = queue_pressure(max(0, waiting.get(number.account_id, 0)))
                rng = random.Random(f"{state.seed}:provisioning:{number.id}")
                plans = plan_provisioning(
                    rng,
                    uow.now,
                    scenario=state.scenario,
                    options=scenario_options,
                    pressure=pressure,
                )
            # The next number of this account finds this one waiting in the queue.
            waiting[number.account_id] = waiting.get(number.account_id, 0) + 1
            # N6: a dedicated number with its name. The numbers just bought carry it (a
            # PhoneNumber, a bulk start's BoughtNumber): no query.
            display = number_label(number.e164, getattr(number, "name", None))
            started_at = uow.now.isoformat()
            specs.extend(
                JobSpec(
                    kind=JobKind.CARRIER_ANSWER,
                    due_at=uow.now + plan.wait,
                    subject_id=number.id,
                    account_id=number.account_id,
                    payload={
                        "carrier": plan.carrier.value,
                        "confirmed": plan.confirmed,
                        "reason": plan.reason,
                        "pressure": pressure,
                        "started_at": started_at,
                    },
                    label=f"{plan.carrier.label} answers {display}",
                )
                for plan in plans
            )
        if forced_taken:
            state.scenario_options = {**options, "forced": queued[forced_taken:]}
        self._context.jobs.add_many(uow, specs)

    def force_next(
        self,
        outcome: ForcedOutcome | str,
        *,
        count: int = 1,
        after: timedelta | None = None,
        carrier: Carrier | None = None,
        reason: str | None = None,
    ) -> None:
        """Make the next ``count`` provisionings end as ``outcome`` (testers, demos).

        ``complete``: all three confirm, the last after ``after`` (5 min by default).
        ``fail``: ``carrier`` (AT&T by default) rejects after ``after`` (5 min by default).
        ``stall``: two confirm within minutes, ``carrier`` (T-Mobile by default) only after
        ``after`` (8 hours by default), long enough for a launch to be flagged stuck (C6).
        """
        forced = ForcedProvisioning.make(outcome, after=after, carrier=carrier, reason=reason)
        if count < 1:
            raise InvalidInput("Force at least one provisioning.", field="count")
        with self._context.unit_of_work(actor_label=SIMULATOR) as uow:
            state = load_state(uow.session, now=uow.now)
            options = dict(state.scenario_options or {})
            queued = list(options.get("forced") or [])
            queued.extend(forced.to_json() for _ in range(count))
            state.scenario_options = {**options, "forced": queued}

    def forced_pending(self) -> int:
        """How many forced outcomes wait for the next provisionings."""
        with self._context.store.read() as session:
            state = load_state(session)
            return len((state.scenario_options or {}).get("forced") or [])

    # ------------------------------------------------------------------ scenarios (S5)
    @property
    def scenario(self) -> Scenario:
        return self._scenario

    @property
    def scenario_options(self) -> ScenarioOptions:
        return self._options

    def set_scenario(self, scenario: Scenario, options: ScenarioOptions | None = None) -> None:
        """Switch the scenario now; the carriers' model changes for every later number."""
        try:
            chosen = Scenario(scenario)
        except ValueError:
            raise InvalidInput("Choose one of the listed scenarios.", field="scenario") from None
        knobs = (options or ScenarioOptions()).validated()
        with self._context.store.read() as session:
            previous_state = load_state(session)
            previous = previous_state.scenario
            extras = dict(previous_state.scenario_options or {})
        restore: list[int] = [int(i) for i in extras.get("incident_restore") or []]
        if previous is Scenario.PROVIDER_INCIDENT and chosen is not Scenario.PROVIDER_INCIDENT:
            self._switch_launching(restore, enabled=True)
            restore = []
        if chosen is Scenario.PROVIDER_INCIDENT:
            with self._context.store.read() as session:
                query = select(Account.id).where(Account.provisioning_based_launching.is_(True))
                if knobs.account_id is not None:
                    query = query.where(Account.id == knobs.account_id)
                switched = list(session.scalars(query.order_by(Account.id)))
            restore = sorted(set(restore) | set(self._switch_launching(switched, enabled=False)))
        with self._context.unit_of_work(actor_label=SIMULATOR) as uow:
            state = load_state(uow.session, now=uow.now)
            state.scenario = chosen
            state.scenario_options = {
                **knobs.to_json(),
                "forced": list(extras.get("forced") or []),
                "incident_restore": restore,
            }
            uow.record(
                "scenario_changed",
                "simulation",
                state.id,
                account_id=None,
                before={"scenario": previous},
                after={"scenario": chosen, **knobs.to_json()},
            )
            uow.changes.add(SIMULATION)
            if chosen is Scenario.CARRIER_OUTAGE and knobs.stall_hours > 0:
                held = scenarios.hold_carrier_answers(
                    uow, knobs.carrier, uow.now + timedelta(hours=knobs.stall_hours)
                )
                log.info("carrier outage: %d pending %s answers held", held, knobs.carrier.label)
            if chosen is Scenario.USE_CASE_NEAR_LIMIT:
                for account_id in scenarios.account_ids(uow, knobs.account_id):
                    scenarios.fill_use_case(uow, account_id)
        self._scenario = chosen
        self._options = knobs
        if chosen is Scenario.CARRIER_OUTAGE and self._running:
            if self._apart is not None:
                self._apart.rebuild()
            self.rebuild_queue()

    def _switch_launching(self, account_ids: list[int], *, enabled: bool) -> list[int]:
        """C5's account setting, switched through its service by each account's admin."""
        switched: list[int] = []
        for account_id in account_ids:
            try:
                actor: Actor = self._services.accounts.admin_actor(account_id)
            except NotFound:
                log.warning("account %d has no admin; its launching setting stays", account_id)
                continue
            row = self._services.accounts.get(account_id)
            if row.provisioning_based_launching != enabled:
                self._services.accounts.set_provisioning_based_launching(actor, enabled)
                switched.append(account_id)
        return switched

    @staticmethod
    def _in_flight_of_accounts(session: Session, account_ids: set[int]) -> dict[int, int]:
        """Each account's numbers waiting in the carriers' queue (accounts with none absent)."""
        return unreleased_counts(
            session,
            PhoneNumber.account_id,
            account_ids,
            PhoneNumber.provisioning_status == ProvisioningStatus.INITIATED,
        )

    # ------------------------------------------------------------------ estimates (S6)
    def _in_flight(self, account_id: int) -> int:
        with self._context.store.read() as session:
            return self._in_flight_of_accounts(session, {account_id}).get(account_id, 0)

    def estimate(self, account_id: int, at: datetime | None = None) -> ProvisioningEstimate:
        """p50 and p90 for a number of this account whose provisioning starts at ``at`` (now)."""
        start = at or self._clock.now()
        samples = completion_samples(
            start,
            scenario=self._scenario,
            options=self._options,
            pressure=queue_pressure(self._in_flight(account_id)),
        )
        return estimate_from_samples(samples)

    def number_estimate(self, number_id: int) -> ProvisioningEstimate | None:
        """What remains for a number still provisioning (None when it is not)."""
        with self._context.store.read() as session:
            number = session.get(PhoneNumber, number_id)
            if (
                number is None
                or number.provisioning_status is not ProvisioningStatus.INITIATED
                or number.released_at is not None
            ):
                return None
            started = number.created_at
            payload = session.scalar(
                select(SimulationJob.payload)
                .where(
                    SimulationJob.kind == JobKind.CARRIER_ANSWER,
                    SimulationJob.subject_id == number_id,
                )
                .limit(1)
            )
        pressure = float((payload or {}).get("pressure", 1.0))
        samples = completion_samples(
            started, scenario=self._scenario, options=self._options, pressure=pressure
        )
        return estimate_from_samples(samples, self._clock.now() - started)
