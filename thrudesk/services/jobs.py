"""Scheduled simulation jobs: written in the unit of work that plans them, applied exactly once.

A job is a row of ``simulation_job``. Whoever plans one (provisioning, auto-archive, a sending
window that opens later) calls :meth:`JobQueue.add` (or :meth:`JobQueue.add_many` for many at
once) inside its unit of work; the rows commit or roll back with the rest. After the commit,
listeners (the simulator's engine) hear of the new due times, once per unit of work, so the
engine needs no polling. The engine sets ``applied_at`` in the transaction that applies the job,
which is what makes a restart neither lose nor repeat one (S4).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from thrudesk.models import SimulationJob
from thrudesk.models.enums import JobKind
from thrudesk.services import bulk
from thrudesk.services.unit_of_work import UnitOfWork

LABEL_MAX = 64
_JOB_COLUMNS = ("account_id", "kind", "due_at", "subject_id", "payload", "created_at", "label")


@dataclass(frozen=True)
class ScheduledJob:
    """A job as the engine and the handlers see it."""

    id: int
    kind: JobKind
    due_at: datetime
    subject_id: int
    account_id: int | None
    payload: dict[str, Any]

    @classmethod
    def of(cls, job: SimulationJob) -> ScheduledJob:
        return cls(
            id=job.id,
            kind=job.kind,
            due_at=job.due_at,
            subject_id=job.subject_id,
            account_id=job.account_id,
            payload=dict(job.payload or {}),
        )


@dataclass(frozen=True)
class JobSpec:
    """A job to plan: what, when, about which subject, for which account."""

    kind: JobKind
    due_at: datetime
    subject_id: int
    account_id: int | None
    payload: Mapping[str, Any] = field(default_factory=dict)
    label: str = ""


# A handler applies one due job inside the engine's batch; ``uow.now`` is the job's due time.
JobHandler = Callable[[UnitOfWork, ScheduledJob], None]


class JobQueue:
    """Writes jobs and tells listeners about them once they have committed."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[list[ScheduledJob]], None]] = []
        # Units of work being watched (the engine's batch), by identity: what they plan.
        self._watched: dict[int, list[ScheduledJob]] = {}

    def listen(self, listener: Callable[[list[ScheduledJob]], None]) -> None:
        self._listeners.append(listener)

    def unlisten(self, listener: Callable[[list[ScheduledJob]], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    @contextmanager
    def watching(self, uow: UnitOfWork) -> Iterator[list[ScheduledJob]]:
        """The jobs planned in ``uow`` while the block runs, as they are planned, before the
        commit (the engine applies in the same batch those due before the rest of it).
        """
        planned: list[ScheduledJob] = []
        self._watched[id(uow)] = planned
        try:
            yield planned
        finally:
            self._watched.pop(id(uow), None)

    def add(
        self,
        uow: UnitOfWork,
        kind: JobKind,
        due_at: datetime,
        subject_id: int,
        *,
        account_id: int | None,
        payload: dict[str, Any] | None = None,
        label: str = "",
    ) -> ScheduledJob:
        """Plan one job in ``uow``."""
        [job] = self.add_many(
            uow,
            [JobSpec(kind, due_at, subject_id, account_id, payload or {}, label)],
        )
        return job

    def add_many(self, uow: UnitOfWork, specs: Sequence[JobSpec]) -> list[ScheduledJob]:
        """Plan many jobs in ``uow`` with one multi-row insert; listeners hear of them together,
        once the unit of work has committed.
        """
        if not specs:
            return []
        created_at = bulk.stored_datetime(uow.now)
        rows = [
            (
                spec.account_id,
                spec.kind.value,
                bulk.stored_datetime(spec.due_at),
                spec.subject_id,
                bulk.stored_json(dict(spec.payload)),
                created_at,
                spec.label[:LABEL_MAX],
            )
            for spec in specs
        ]
        ids = bulk.insert_rows(uow.session, "simulation_job", _JOB_COLUMNS, rows)
        scheduled = [
            ScheduledJob(
                id=job_id,
                kind=spec.kind,
                due_at=spec.due_at,
                subject_id=spec.subject_id,
                account_id=spec.account_id,
                payload=dict(spec.payload),
            )
            for job_id, spec in zip(ids, specs, strict=True)
        ]
        watched = self._watched.get(id(uow))
        if watched is not None:
            watched.extend(scheduled)
        uow.after_commit(lambda: self._tell(scheduled))
        return scheduled

    def _tell(self, jobs: list[ScheduledJob]) -> None:
        for listener in list(self._listeners):
            listener(jobs)
