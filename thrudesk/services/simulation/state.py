"""The stored simulation state: one row with the clock, the run seed and the scenario."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from thrudesk.models import SimulationState
from thrudesk.models.enums import ClockKind, Scenario

STATE_ID = 1


def load_state(session: Session, *, now: datetime | None = None) -> SimulationState:
    """The state row, created with defaults (seed 0, Normal, scaled at 1×) on first use."""
    state = session.get(SimulationState, STATE_ID)
    if state is None:
        from thrudesk.services.clock import utcnow

        state = SimulationState(
            id=STATE_ID,
            clock_kind=ClockKind.SCALED,
            speed=1.0,
            paused=False,
            simulated_now=now or utcnow(),
            seed=0,
            scenario=Scenario.NORMAL,
            scenario_options={},
        )
        session.add(state)
        session.flush()
    return state


def run_seed(session: Session) -> int:
    state = session.get(SimulationState, STATE_ID)
    return state.seed if state else 0
