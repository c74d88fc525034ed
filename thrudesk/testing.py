"""The pytest plugin for testers of thrudesk (entry point ``pytest11``).

Fixtures:

- ``sim_clock``: a :class:`~thrudesk.services.clock.ManualClock` on a Monday morning, US Eastern;
  ``sim_clock.advance(minutes=30)`` moves time and runs everything that falls due, in order.
- ``thrudesk_store``: a fresh, migrated store in a temporary folder.
- ``thrudesk_services``: the services over that store and clock.
- ``thrudesk_account``: a ready account (an admin, a Registered brand, two Approved use cases).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.starter import StarterAccount, create_starter_account
from thrudesk.services.store import Store, open_store, url_for_path

# Monday 2 March 2026, 09:00 US Eastern: a weekday morning, before the afternoon rush.
DEFAULT_START = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


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
def thrudesk_services(thrudesk_store: Store, sim_clock: ManualClock) -> Services:
    """The services over the temporary store and the manual clock."""
    return Services(thrudesk_store, sim_clock)


@pytest.fixture
def thrudesk_account(thrudesk_services: Services) -> StarterAccount:
    """An account ready to buy numbers: an admin, a Registered brand, two Approved use cases."""
    return create_starter_account(thrudesk_services)
