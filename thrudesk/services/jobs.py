"""Scheduled simulation jobs: written in the unit of work that plans them, applied exactly once.

A job is a row of ``simulation_job``. Whoever plans one (provisioning, auto-archive, a sending
window that opens later) calls :meth:`JobQueue.add` inside its unit of work; the row commits or
rolls back with the rest. After the commit, listeners (the simulator's engine) hear of the new due
times, so the engine needs no polling. The engine sets ``applied_at`` in the transaction that
applies the job, which is what makes a restart neither lose nor repeat one (S4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from thrudesk.models import SimulationJob
from thrudesk.models.enums import JobKind
from thrudesk.services.unit_of_work import UnitOfWork


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


# A handler applies one due job inside the engine's batch; ``uow.now`` is the job's due time.
JobHandler = Callable[[UnitOfWork, ScheduledJob], None]


class JobQueue:
    """Writes jobs and tells listeners about them once they have committed."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[list[ScheduledJob]], None]] = []

    def listen(self, listener: Callable[[list[ScheduledJob]], None]) -> None:
        self._listeners.append(listener)

    def unlisten(self, listener: Callable[[list[ScheduledJob]], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

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
    ) -> SimulationJob:
        job = SimulationJob(
            account_id=account_id,
            kind=kind,
            due_at=due_at,
            subject_id=subject_id,
            payload=payload or {},
            created_at=uow.now,
            label=label[:64],
        )
        uow.session.add(job)
        uow.session.flush()
        scheduled = ScheduledJob.of(job)
        uow.after_commit(lambda: self._tell([scheduled]))
        return job

    def _tell(self, jobs: list[ScheduledJob]) -> None:
        for listener in list(self._listeners):
            listener(jobs)
