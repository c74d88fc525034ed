"""A whole-store snapshot, to prove that a refused operation wrote nothing."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import select

from thrudesk.models import Base
from thrudesk.services.store import Store

# The type of the ``unchanged`` fixture (tests/conftest.py): ``with unchanged(): ...``
Unchanged = Callable[[], AbstractContextManager[None]]


def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    with store.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            order = list(table.primary_key.columns)
            rows = connection.execute(select(table).order_by(*order)).all()
            tables[table.name] = [tuple(row) for row in rows]
    return tables
