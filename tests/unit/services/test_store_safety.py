"""A store that no interruption can leave unopenable: all-or-nothing upgrades and first starts,
backups that the refusal names and restores (DOMAIN.md "Errors", QUALITY.md R1 and R4).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.exc import SQLAlchemyError

from tests.damage import damage_table
from tests.unit.services.helpers import old_store_with_rows, store_at_revision
from thrudesk.migrations import HEAD_REVISION
from thrudesk.services.demo import DEMO_ACCOUNT, seed_demo
from thrudesk.services.errors import StoreError
from thrudesk.services.store import (
    Store,
    holds_no_data,
    made_beside,
    open_store,
    restore_backup,
    url_for_path,
)


class Interrupted(SQLAlchemyError):
    """Stands for the program dying in the middle of a statement."""


class StatementBreaker:
    """Interrupts the n-th statement that any engine sends after :meth:`arm`."""

    def __init__(self) -> None:
        self.target = 0
        self.seen = 0

    def arm(self, statement: int) -> None:
        self.target, self.seen = statement, 0

    def disarm(self) -> None:
        self.target = 0

    def __call__(self, *_args: Any) -> None:
        self.seen += 1
        if self.target and self.seen == self.target:
            raise Interrupted(f"statement {self.seen}")


@pytest.fixture
def breaker() -> Iterator[StatementBreaker]:
    breaker = StatementBreaker()
    event.listen(Engine, "before_cursor_execute", breaker)
    try:
        yield breaker
    finally:
        event.remove(Engine, "before_cursor_execute", breaker)


def _schema(path: Path) -> tuple[str | None, list[tuple[str, str]]]:
    with sqlite3.connect(path) as connection:
        tables = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
        ).fetchall()
        names = {name for name, _sql in tables}
        revision = None
        if "alembic_version" in names:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    connection.close()
    return revision, tables


def _statements_of_an_upgrade(tmp_path: Path, revision: str) -> int:
    path = tmp_path / f"count-{revision}.sqlite3"
    store_at_revision(path, revision)
    counted = [0]

    def count(*_args: Any) -> None:
        counted[0] += 1

    event.listen(Engine, "before_cursor_execute", count)
    try:
        open_store(url_for_path(path)).dispose()
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    return counted[0]


@pytest.mark.parametrize("revision", ["0001", "0002", "0003"])
def test_r1_an_upgrade_interrupted_at_any_statement_leaves_the_old_schema_whole(
    tmp_path: Path, revision: str, breaker: StatementBreaker
) -> None:
    total = _statements_of_an_upgrade(tmp_path, revision)
    assert total > 5
    for moment in range(1, total + 1, max(1, total // 12)):
        path = tmp_path / f"old-{revision}-{moment}.sqlite3"
        store_at_revision(path, revision)
        before = _schema(path)
        breaker.arm(moment)
        with pytest.raises((Interrupted, StoreError)):
            open_store(url_for_path(path)).dispose()
        breaker.disarm()
        assert _schema(path) == before, f"interrupted at statement {moment} of {total}"
        store = open_store(url_for_path(path))
        store.dispose()
        assert _schema(path)[0] == HEAD_REVISION


def test_r1_a_new_store_interrupted_while_its_schema_is_made_is_made_again(
    tmp_path: Path, breaker: StatementBreaker
) -> None:
    path = tmp_path / "new.sqlite3"
    breaker.arm(40)
    with pytest.raises((Interrupted, StoreError)):
        open_store(url_for_path(path)).dispose()
    breaker.disarm()
    assert _schema(path) == (None, []) if path.exists() else True
    open_store(url_for_path(path)).dispose()
    assert _schema(path)[0] == HEAD_REVISION


def _play_demo(store: Store) -> None:
    seed_demo(store, datetime(2026, 3, 3, 19, 30, tzinfo=UTC))


def _accounts(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        names = [row[0] for row in connection.execute("SELECT name FROM account ORDER BY name")]
    connection.close()
    return names


def test_r1_a_first_start_interrupted_while_the_demo_plays_leaves_no_store(
    tmp_path: Path, breaker: StatementBreaker
) -> None:
    path = tmp_path / "thrudesk.sqlite3"
    breaker.arm(400)
    with pytest.raises(Interrupted), made_beside(path) as draft:
        _play_demo(draft)
    breaker.disarm()
    assert not path.exists()
    assert holds_no_data(path)
    with made_beside(path) as draft:
        _play_demo(draft)
    # The whole store is in the one file, and nothing of the draft is left.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thrudesk.sqlite3"]
    assert _accounts(path) == [DEMO_ACCOUNT, "Harbor Tenants Union"]
    assert not holds_no_data(path)


def test_r1_a_draft_left_by_a_killed_first_start_is_thrown_away(tmp_path: Path) -> None:
    path = tmp_path / "thrudesk.sqlite3"
    draft = tmp_path / "thrudesk.sqlite3.creating"
    draft.write_bytes(b"half a store")
    with made_beside(path) as store:
        _play_demo(store)
    assert _accounts(path) == [DEMO_ACCOUNT, "Harbor Tenants Union"]
    assert not draft.exists()


def test_r1_a_store_with_a_schema_but_no_account_is_made_anew(tmp_path: Path) -> None:
    path = tmp_path / "thrudesk.sqlite3"
    open_store(url_for_path(path)).dispose()
    assert holds_no_data(path)
    with made_beside(path) as store:
        _play_demo(store)
    assert _accounts(path) == [DEMO_ACCOUNT, "Harbor Tenants Union"]
    store = open_store(url_for_path(path))
    store.dispose()
    assert path.stat().st_mode & 0o077 == 0


def _upgraded_with_backup(tmp_path: Path) -> tuple[Path, Path]:
    path = tmp_path / "thrudesk.sqlite3"
    store_at_revision(path, "0001")
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO account (id, name, timezone, provisioning_based_launching, "
            "default_batch_size, dedicated_number_limit, created_at) "
            "VALUES (1, 'Old Org', 'America/Chicago', 1, 300, 5, '2026-01-05 10:00:00')"
        )
    connection.close()
    store = open_store(url_for_path(path))
    store.dispose()
    assert store.backup_path is not None
    return path, store.backup_path


def test_r4_a_damaged_store_is_refused_with_the_backup_made_before_its_upgrade(
    tmp_path: Path,
) -> None:
    path, backup = _upgraded_with_backup(tmp_path)
    damage_table(path, "account")
    with pytest.raises(StoreError) as refused:
        open_store(url_for_path(path))
    assert refused.value.backup == backup
    assert str(backup) in refused.value.message
    assert "--restore-backup" in refused.value.message


def test_r4_restoring_the_backup_puts_it_in_place_and_keeps_the_refused_store_aside(
    tmp_path: Path,
) -> None:
    path, backup = _upgraded_with_backup(tmp_path)
    damage_table(path, "account")
    damaged = path.read_bytes()
    aside = restore_backup(path, backup)
    assert aside is not None
    assert aside.read_bytes() == damaged
    assert backup.exists()
    store = open_store(url_for_path(path))  # the backup's older schema is upgraded again
    store.dispose()
    assert _accounts(path) == ["Old Org"]
    assert path.stat().st_mode & 0o077 == 0


def test_r4_a_damaged_backup_is_not_restored(tmp_path: Path) -> None:
    path, backup = _upgraded_with_backup(tmp_path)
    backup.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="cannot be restored"):
        restore_backup(path, backup)
    assert path.read_bytes() == before


def test_r4_a_failed_upgrade_is_refused_with_a_message_and_the_backup(
    tmp_path: Path, breaker: StatementBreaker
) -> None:
    path = tmp_path / "thrudesk.sqlite3"
    store_at_revision(path, "0001")
    breaker.arm(6)
    with pytest.raises(StoreError) as refused:
        open_store(url_for_path(path))
    breaker.disarm()
    assert "could not be upgraded" in refused.value.message
    assert refused.value.backup is not None
    assert refused.value.backup.exists()
    assert _schema(path)[0] == "0001"


def test_r1_a_store_killed_in_the_middle_of_a_rollback_journal_transaction_opens(
    tmp_path: Path,
) -> None:
    """An older store in rollback-journal mode, its writer killed mid-transaction: the journal
    left beside it is rolled back when it opens, not refused as damage.
    """
    path = tmp_path / "old.sqlite3"
    old_store_with_rows(path, "0001")
    writer = (
        "import os, sqlite3, sys\n"
        "db = sqlite3.connect(sys.argv[1])\n"
        "db.execute('PRAGMA cache_size=1')\n"
        "db.execute(\"UPDATE account SET name = 'Half written'\")\n"
        "db.execute('CREATE TABLE filler (x)')\n"
        "db.executemany('INSERT INTO filler VALUES (?)', [('x' * 500,)] * 2000)\n"
        "os._exit(9)\n"
    )
    subprocess.run([sys.executable, "-c", writer, str(path)], check=False)
    assert path.with_name(path.name + "-journal").stat().st_size > 0  # a hot journal
    store = open_store(url_for_path(path))
    store.dispose()
    assert _accounts(path) == ["Old Org"]
    assert _schema(path)[0] == HEAD_REVISION
