"""Shared fixtures of thrudesk's own tests (the plugin in thrudesk/testing.py gives the rest)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.snapshots import Unchanged, snapshot
from tests.unit.services.teamwork_helpers import manual_sending
from thrudesk.services.container import Services
from thrudesk.services.starter import StarterAccount
from thrudesk.services.store import Store


@pytest.fixture
def unchanged(thrudesk_store: Store) -> Unchanged:
    """``with unchanged():`` asserts that the block leaves every table exactly as it was."""

    @contextmanager
    def check() -> Iterator[None]:
        before = snapshot(thrudesk_store)
        yield
        after = snapshot(thrudesk_store)
        changed = [name for name in before if before[name] != after[name]]
        assert not changed, f"a refused operation changed: {changed}"

    return check


@pytest.fixture
def quiet(thrudesk_services: Services, thrudesk_account: StarterAccount) -> None:
    """Simulated senders and contacts stay still: each test drives the team itself."""
    manual_sending(thrudesk_services, thrudesk_account)
