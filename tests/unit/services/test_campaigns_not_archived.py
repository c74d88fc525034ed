"""Schema 0004: the campaigns not archived, indexed on their number and on their last activity,
and read on those indexes (N5, C17; the Phone Numbers tab of a large account, QUALITY.md P3).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event

from tests.unit.services.helpers import (
    active_on_dedicated,
    busy_dedicated,
    complete_dedicated,
    store_at_revision,
)
from thrudesk.models.enums import JobKind
from thrudesk.services.container import Services
from thrudesk.services.numbers import ROW_TITLES
from thrudesk.services.starter import StarterAccount
from thrudesk.services.store import Store, open_store, url_for_path
from thrudesk.services.upkeep import UpkeepService

INDEXES = ("ix_campaign_number_not_archived", "ix_campaign_account_activity_not_archived")


def _index_sql(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as connection:
        return dict(connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"))


@contextmanager
def _plans(store: Store) -> Iterator[list[str]]:
    """The query plans of the statements run meanwhile, one line each."""
    statements: list[tuple[str, Any]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        statements.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", seen)
    plans: list[str] = []
    try:
        yield plans
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    assert store.path is not None
    with sqlite3.connect(store.path) as connection:
        for statement, parameters in statements:
            if statement.lstrip().upper().startswith("SELECT"):
                rows = connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
                plans.append(" | ".join(str(row[3]) for row in rows))


def test_r4_a_0003_store_gains_the_indexes_of_campaigns_not_archived(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    store_at_revision(path, "0003")
    assert not set(INDEXES) & set(_index_sql(path))
    store = open_store(url_for_path(path))
    try:
        assert store.backup_path is not None
    finally:
        store.dispose()
    found = _index_sql(path)
    for name in INDEXES:
        assert "WHERE status IN ('draft', 'launching', 'active', 'paused')" in found[name]


def test_n5_a_numbers_row_counts_and_names_only_the_campaigns_not_archived(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    services, actor = thrudesk_services, thrudesk_account.actor
    number, titles, ids = busy_dedicated(services, thrudesk_account, ROW_TITLES + 5)
    for campaign_id in ids[:3]:
        services.campaigns.archive(actor, campaign_id)
    [row] = services.numbers.rows(actor, [number.id])
    assert row.campaigns_using == len(titles) - 3
    assert row.campaign_titles == tuple(titles[3 : 3 + ROW_TITLES])


def test_n5_the_campaigns_on_a_number_are_read_on_their_index(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    """Stated as parameters, the condition would not let SQLite use the partial index, and a
    page of a large account's numbers would sort every campaign on them.
    """
    services, actor = thrudesk_services, thrudesk_account.actor
    number = complete_dedicated(services, thrudesk_account, "Main line")
    active_on_dedicated(services, thrudesk_account, number.id, "Outreach")
    with _plans(services.store) as plans:
        services.numbers.rows(actor, [number.id])
    assert any("USING INDEX ix_campaign_number_not_archived" in plan for plan in plans), plans


def test_c17_auto_archive_looks_for_idle_campaigns_on_their_index(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    services = thrudesk_services
    services.campaigns.create(thrudesk_account.actor, "Idle one")
    upkeep = UpkeepService(services.context, services.campaigns)
    with _plans(services.store) as plans:
        upkeep.schedule_missing([(thrudesk_account.account_id, JobKind.AUTO_ARCHIVE)])
    assert any("ix_campaign_account_activity_not_archived" in plan for plan in plans), plans
