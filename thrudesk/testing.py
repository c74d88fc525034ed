"""The pytest plugin for testers of thrudesk (entry point ``pytest11``).

Fixtures:

- ``sim_clock``: a :class:`~thrudesk.services.clock.ManualClock` on a Monday morning, US Eastern;
  ``sim_clock.advance(minutes=30)`` moves time and runs everything that falls due, in order.
- ``thrudesk_store``: a fresh, migrated store in a temporary folder.
- ``thrudesk_services``: the services over that store and clock, with the carrier simulator
  started on the manual clock (seed 0): add a number, ``sim_clock.advance(hours=3)``, and the
  carriers have answered.
- ``thrudesk_simulator``: that simulator (:class:`~thrudesk.services.simulation.engine.Simulator`).
- ``thrudesk_account``: a ready account (an admin, a Registered brand, two Approved use cases).

Driving provisioning to a chosen outcome, deterministically:

- ``thrudesk_simulator.force_next("complete")``: the next number to start provisioning is
  confirmed by all three carriers within 5 minutes (``after=timedelta(...)`` to change).
- ``thrudesk_simulator.force_next("fail")``: AT&T rejects it after 5 minutes (``carrier=`` and
  ``reason=`` to change); the campaign returns to Draft flagged Provisioning Failed (C1).
- ``thrudesk_simulator.force_next("stall")``: AT&T and Verizon confirm within minutes, T-Mobile
  only after 8 hours: a launch waits long enough to be flagged stuck (C6).
- ``count=n`` forces the next ``n`` numbers; without a forced outcome the carrier model decides.
- :func:`advance_until_settled` moves the clock to each next carrier answer until a number (or
  every number) has finished provisioning, and answers the moment it stopped.
- ``thrudesk_simulator.set_scenario(Scenario.CARRIER_OUTAGE, ScenarioOptions(...))`` switches a
  scenario (S5); ``thrudesk_simulator.estimate(account_id)`` answers the S6 estimate.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from thrudesk.models.enums import JobKind
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.simulation.scenarios import ForcedOutcome
from thrudesk.services.starter import StarterAccount, create_starter_account
from thrudesk.services.store import Store, open_store, url_for_path

__all__ = [
    "DEFAULT_START",
    "ForcedOutcome",
    "advance_until_settled",
    "sim_clock",
    "thrudesk_account",
    "thrudesk_services",
    "thrudesk_simulator",
    "thrudesk_store",
]

# Monday 2 March 2026, 09:00 US Eastern: a weekday morning, before the afternoon rush.
DEFAULT_START = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
# The run seed of the test simulator: the same actions give the same carrier answers (S3).
TEST_SEED = 0


@dataclass(frozen=True)
class _Runtime:
    services: Services
    simulator: Simulator


@pytest.fixture
def sim_clock() -> ManualClock:
    """The manual clock: time moves only when the test calls ``advance``."""
    return ManualClock(DEFAULT_START)


@pytest.fixture
def thrudesk_store(tmp_path: Path) -> Iterator[Store]:
    """A fresh store (SQLite) in the test's temporary folder."""
    store = open_store(url_for_path(tmp_path / "thrudesk.sqlite3"))
    try:
        yield store
    finally:
        store.dispose()


@pytest.fixture
def _thrudesk_runtime(thrudesk_store: Store, sim_clock: ManualClock) -> Iterator[_Runtime]:
    services = Services(thrudesk_store, sim_clock)
    simulator = Simulator(services, seed=TEST_SEED)
    simulator.start()
    try:
        yield _Runtime(services, simulator)
    finally:
        simulator.stop()


@pytest.fixture
def thrudesk_services(_thrudesk_runtime: _Runtime) -> Services:
    """The services over the temporary store and the manual clock, the simulator running."""
    return _thrudesk_runtime.services


@pytest.fixture
def thrudesk_simulator(_thrudesk_runtime: _Runtime) -> Simulator:
    """The carrier simulator of ``thrudesk_services``, started on the manual clock (seed 0)."""
    return _thrudesk_runtime.simulator


@pytest.fixture
def thrudesk_account(thrudesk_services: Services) -> StarterAccount:
    """An account ready to buy numbers: an admin, a Registered brand, two Approved use cases."""
    return create_starter_account(thrudesk_services)


def advance_until_settled(
    clock: ManualClock,
    simulator: Simulator,
    number_id: int | None = None,
    *,
    limit: timedelta = timedelta(days=7),
) -> datetime:
    """Advance ``clock`` answer by answer until the number (or every number) has no carrier
    answer pending, or ``limit`` has passed; answer the clock's time then.
    """
    deadline = clock.now() + limit
    while True:
        due = simulator.next_due(JobKind.CARRIER_ANSWER, number_id)
        if due is None or due > deadline:
            return clock.now()
        clock.jump_to(max(due, clock.now()))
