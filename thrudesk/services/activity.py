"""Planning a campaign's simulated sending activity: one chain of jobs per campaign.

A SIMULATED_ACTIVITY job is one "tick" of a campaign's simulated senders and contacts (see
``messaging.py``). Whatever gives a campaign new work (senders added, a batch requested, contacts
imported, the sending window opening) asks for a tick with :func:`plan_activity`, in its own unit
of work. At most one pending tick per campaign is kept: planning is skipped when one is already
due at or before the wanted time, and chains that meet merge (a tick re-plans only when no other
is pending), so a campaign never runs two chains.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from thrudesk.models import SimulationJob
from thrudesk.models.enums import JobKind
from thrudesk.services.jobs import JobQueue
from thrudesk.services.unit_of_work import UnitOfWork


def pending_due(
    uow: UnitOfWork, kind: JobKind, subject_id: int, *, exclude_job_id: int | None = None
) -> datetime | None:
    """The earliest due time of the pending jobs of ``kind`` for ``subject_id``, if any.

    The subject's few jobs are read and the earliest kept here: ordered in SQL, SQLite walks
    every pending job in due order instead, thousands while numbers provision (QUALITY.md P2).
    """
    query = select(SimulationJob.due_at).where(
        SimulationJob.kind == kind,
        SimulationJob.subject_id == subject_id,
        SimulationJob.applied_at.is_(None),
    )
    if exclude_job_id is not None:
        query = query.where(SimulationJob.id != exclude_job_id)
    return min(uow.session.scalars(query), default=None)


def plan_job(
    uow: UnitOfWork,
    jobs: JobQueue,
    kind: JobKind,
    campaign_id: int,
    account_id: int,
    at: datetime,
    *,
    exclude_job_id: int | None = None,
    label: str = "",
) -> bool:
    """Add a job of ``kind`` for the campaign at ``at`` unless one is pending by then."""
    pending = pending_due(uow, kind, campaign_id, exclude_job_id=exclude_job_id)
    if pending is not None and pending <= at:
        return False
    jobs.add(uow, kind, at, campaign_id, account_id=account_id, label=label)
    return True


def plan_activity(
    uow: UnitOfWork,
    jobs: JobQueue,
    campaign_id: int,
    account_id: int,
    at: datetime | None = None,
    *,
    exclude_job_id: int | None = None,
) -> bool:
    """Ask for a tick of the campaign's simulated activity at ``at`` (default: now)."""
    return plan_job(
        uow,
        jobs,
        JobKind.SIMULATED_ACTIVITY,
        campaign_id,
        account_id,
        at or uow.now,
        exclude_job_id=exclude_job_id,
        label="sending activity",
    )
