"""What makes the simulator survive a restart (S4): its clock and its scheduled jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from thrudesk.models.base import Base, enum_column
from thrudesk.models.enums import ClockKind, JobKind, Scenario


class SimulationState(Base):
    """The single row holding the clock, the run seed and the scenario."""

    __tablename__ = "simulation_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    clock_kind: Mapped[ClockKind] = mapped_column(enum_column(ClockKind))
    speed: Mapped[float] = mapped_column(default=1.0)
    paused: Mapped[bool] = mapped_column(default=False)
    simulated_now: Mapped[datetime]
    seed: Mapped[int] = mapped_column(default=0)
    scenario: Mapped[Scenario] = mapped_column(enum_column(Scenario), default=Scenario.NORMAL)
    scenario_options: Mapped[dict[str, Any]] = mapped_column(default=dict)


class SimulationJob(Base):
    """A scheduled simulation event; ``applied_at`` is set in the transaction that applies it."""

    __tablename__ = "simulation_job"
    __table_args__ = (
        Index("ix_simulation_job_pending", "applied_at", "due_at"),
        Index("ix_simulation_job_subject", "kind", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    kind: Mapped[JobKind] = mapped_column(enum_column(JobKind, length=32))
    due_at: Mapped[datetime]
    subject_id: Mapped[int]
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    applied_at: Mapped[datetime | None]
    label: Mapped[str] = mapped_column(String(64), default="")


class MessagingParameters(Base):
    """The single row of the sending simulation's parameters (M2): rates, fees and pace.

    They are simulation choices, not facts about carriers; the defaults live in
    ``thrudesk.services.messaging.SendingParameters`` and this row holds an admin's changes.
    """

    __tablename__ = "messaging_parameters"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_rate_complete: Mapped[float]
    delivery_rate_provisioning: Mapped[float]
    surcharge_cents: Mapped[int]
    reply_rate: Mapped[float]
    opt_out_rate: Mapped[float]
    messages_per_sender_hour: Mapped[int]
    activity_minutes: Mapped[int]
    simulated_senders: Mapped[int]
