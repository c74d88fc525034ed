"""Shared fixtures of thrudesk's own tests (the plugin in thrudesk/testing.py gives the rest)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest

from tests.snapshots import snapshot
from thrudesk.services.store import Store


@pytest.fixture
def unchanged(thrudesk_store: Store) -> Callable[[], AbstractContextManager[None]]:
    """``with unchanged():`` asserts that the block leaves every table exactly as it was."""

    @contextmanager
    def check() -> Iterator[None]:
        before = snapshot(thrudesk_store)
        yield
        after = snapshot(thrudesk_store)
        changed = [name for name in before if before[name] != after[name]]
        assert not changed, f"a refused operation changed: {changed}"

    return check
