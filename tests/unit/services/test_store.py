"""Opening the store: pragmas, migrations, and refusing what is not ours (QUALITY.md R4)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text

from tests.damage import damage_table
from thrudesk.migrations import HEAD_REVISION, KNOWN_REVISIONS
from thrudesk.services.errors import StoreError
from thrudesk.services.store import Store, open_store, url_for_path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_head_revision_constant_matches_the_migration_scripts() -> None:
    config = Config()
    config.set_main_option("script_location", "thrudesk:migrations")
    scripts = ScriptDirectory.from_config(config)
    assert scripts.get_heads() == [HEAD_REVISION]
    assert {s.revision for s in scripts.walk_revisions()} == set(KNOWN_REVISIONS)


def test_a_new_store_is_created_at_the_newest_schema(thrudesk_store: Store) -> None:
    with thrudesk_store.engine.connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert revision == HEAD_REVISION
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL


def test_r5_the_store_file_is_readable_by_its_owner_only(thrudesk_store: Store) -> None:
    assert thrudesk_store.path is not None
    if os.name == "posix":
        assert thrudesk_store.path.stat().st_mode & 0o077 == 0


def test_r4_a_store_from_a_newer_thrudesk_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    open_store(url_for_path(path)).dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    before = _digest(path)
    with pytest.raises(StoreError, match="newer thrudesk"):
        open_store(url_for_path(path))
    assert _digest(path) == before


def test_r4_a_corrupt_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(4096))
    before = _digest(path)
    with pytest.raises(StoreError, match=r"damaged|not a thrudesk store"):
        open_store(url_for_path(path))
    assert _digest(path) == before


def test_r4_a_file_that_is_not_a_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("these are my notes, not a database\n")
    before = _digest(path)
    with pytest.raises(StoreError, match="not a thrudesk store"):
        open_store(url_for_path(path))
    assert _digest(path) == before


def test_r4_a_database_of_another_program_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
    before = _digest(path)
    with pytest.raises(StoreError, match="did not create"):
        open_store(url_for_path(path))
    assert _digest(path) == before


def test_the_migrations_build_exactly_the_schema_of_the_models(thrudesk_store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from thrudesk.models import Base

    with thrudesk_store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def _write_one_account(store: Store) -> None:
    from datetime import UTC, datetime

    from thrudesk.models import Account

    with store.begin() as session:
        session.add(Account(name="Written", created_at=datetime(2026, 1, 1, tzinfo=UTC)))


def test_r4_an_intact_store_opened_before_its_check_takes_writes(tmp_path: Path) -> None:
    path = tmp_path / "intact.sqlite3"
    open_store(url_for_path(path)).dispose()
    store = open_store(url_for_path(path), check_in_background=True)
    try:
        assert store.integrity.wait(30)
        assert store.integrity.error is None
        _write_one_account(store)
        with store.read() as session:
            names = session.execute(text("SELECT name FROM account")).scalars().all()
        assert names == ["Written"]
    finally:
        store.dispose()


def test_r4_a_damaged_page_found_after_opening_refuses_every_write_and_leaves_the_file_untouched(
    tmp_path: Path,
) -> None:
    path = tmp_path / "damaged.sqlite3"
    open_store(url_for_path(path)).dispose()
    damage_table(path, "event")
    before = _digest(path)
    store = open_store(url_for_path(path), check_in_background=True)
    try:
        assert store.integrity.wait(30)
        assert store.integrity.error is not None
        assert "is damaged" in store.integrity.error.message
        with pytest.raises(StoreError, match="is damaged"):
            _write_one_account(store)
    finally:
        store.dispose()
    assert _digest(path) == before


def test_r4_a_write_made_while_the_check_runs_waits_for_its_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from thrudesk.services import store as store_module

    path = tmp_path / "slow.sqlite3"
    open_store(url_for_path(path)).dispose()
    damage_table(path, "event")
    before = _digest(path)
    release = threading.Event()
    real_check = store_module._check_integrity

    def slow_check(*args: object, **kwargs: object) -> None:
        release.wait(30)
        real_check(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module, "_check_integrity", slow_check)
    store = open_store(url_for_path(path), check_in_background=True)
    outcome: list[BaseException | None] = []

    def write() -> None:
        try:
            _write_one_account(store)
        except BaseException as error:  # the test reads it below
            outcome.append(error)
        else:
            outcome.append(None)

    writer = threading.Thread(target=write)
    try:
        writer.start()
        writer.join(0.5)
        assert writer.is_alive(), "the write committed before the integrity check's verdict"
        release.set()
        writer.join(30)
        assert len(outcome) == 1
        assert isinstance(outcome[0], StoreError)
        assert "is damaged" in outcome[0].message
    finally:
        release.set()
        writer.join(30)
        store.dispose()
    assert _digest(path) == before
