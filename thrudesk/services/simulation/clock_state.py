"""The stored clock (S1, S4): a restart goes on from the simulated moment where the last run left.

The simulator writes the clock's state (kind, speed, paused, simulated now) with every batch it
applies and on every speed, pause or jump change, and a running scaled clock's simulated now every
few seconds besides (:func:`save_simulated_now`), so that a kill while nothing is due loses no more
than those seconds; :func:`clock_from_store` builds the clock of the next run from it.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from thrudesk.models import SimulationJob, SimulationState
from thrudesk.models.enums import ClockKind
from thrudesk.services import validation
from thrudesk.services.clock import (
    MAX_SPEED,
    MIN_SPEED,
    Clock,
    ManualClock,
    RealClock,
    ScaledClock,
    utcnow,
)
from thrudesk.services.simulation.model import day_before_advice
from thrudesk.services.simulation.state import STATE_ID, load_state
from thrudesk.services.store import Store

log = logging.getLogger("thrudesk.simulation")

__all__ = [
    "clock_from_store",
    "day_before_advice",
    "save_clock_state",
    "save_simulated_now",
    "stored_now",
]


def stored_now(session: Session) -> datetime:
    """The latest simulated moment the store has seen: the saved clock, or a later applied job.

    After a crash the saved clock can lag the last batch a little; resuming from the later of the
    two keeps time from running backwards. A job applied past 31 December 2099 (by a clock that
    ran there before the clock was bounded) is not one to resume from.
    """
    state = load_state(session)
    last_applied = session.scalar(
        select(func.max(SimulationJob.due_at)).where(
            SimulationJob.applied_at.is_not(None), SimulationJob.due_at <= validation.LATEST
        )
    )
    return max(state.simulated_now, last_applied) if last_applied else state.simulated_now


def clock_from_store(
    store: Store, *, kind: ClockKind | None = None, speed: float | None = None
) -> Clock:
    """The clock of a new run: the stored kind and moment, unless ``kind``/``speed`` say otherwise.

    A real clock is wall time whatever was stored; a scaled or manual one resumes at the stored
    simulated moment, a scaled one at the stored speed and pause state. A moment past 31 December
    2099 (a store written before the clock was bounded) is brought back to the last moment
    thrudesk accepts, paused, in the store too, and the log says where the clock was.
    """
    with store.begin() as session:
        state = load_state(session, now=utcnow())
        chosen = ClockKind(kind) if kind is not None else state.clock_kind
        pace = float(speed) if speed is not None else state.speed
        pace = min(MAX_SPEED, max(MIN_SPEED, pace))
        resume_at = stored_now(session)
        paused = state.paused
        if resume_at > validation.LATEST:
            log.warning(
                "the stored clock read %s, past 31 December 2099, the last date thrudesk "
                "accepts; it resumes at %s, paused",
                resume_at.isoformat(),
                f"{validation.LATEST:%Y-%m-%d %H:%M} UTC",
            )
            resume_at = validation.LATEST
            paused = True
        state.clock_kind = chosen
        state.speed = pace
        state.paused = paused
        state.simulated_now = resume_at
    if chosen is ClockKind.MANUAL:
        return ManualClock(resume_at)
    if chosen is ClockKind.REAL:
        return RealClock()
    return ScaledClock(resume_at, speed=pace, paused=paused)


def save_clock_state(session: Session, clock: Clock) -> None:
    """Write the clock's kind, speed, pause state and simulated now into the state row."""
    now = clock.now()
    state = load_state(session, now=now)
    state.clock_kind = clock.kind
    state.speed = clock.speed
    state.paused = clock.paused
    state.simulated_now = now


def save_simulated_now(session: Session, clock: Clock) -> None:
    """Write the clock's simulated now into the state row, in one UPDATE; never backwards.

    The running clock's regular save: the other fields change only with a speed, pause or jump,
    each saved as it happens; and a reading taken a moment late (the applying process follows
    the window's clock) leaves a later stored moment as it is.
    """
    now = clock.now()
    stored = SimulationState.simulated_now
    session.execute(
        update(SimulationState)
        .where(SimulationState.id == STATE_ID)
        .values(simulated_now=case((stored < now, now), else_=stored))
        .execution_options(synchronize_session=False)
    )
