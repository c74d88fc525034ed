"""Opening the store: engine, SQLite pragmas, schema checks, backups and migrations.

``open_store(url)`` answers a ready :class:`Store` or raises :class:`StoreError` with a message an
admin understands, leaving a newer, foreign or damaged file untouched (QUALITY.md R4).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from thrudesk.migrations import HEAD_REVISION, KNOWN_REVISIONS
from thrudesk.services.errors import StoreError

log = logging.getLogger("thrudesk.store")

BUSY_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class SchemaState:
    """What an existing store holds before thrudesk touches it."""

    revision: str | None
    has_tables: bool


class Store:
    """An open, migrated store: an engine and a session factory."""

    def __init__(self, engine: Engine, *, path: Path | None, backup: Path | None = None) -> None:
        self.engine = engine
        self.path = path
        self.backup_path = backup
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any exception."""
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading only; nothing it does is committed."""
        session = self._sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def create_store_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, WAL, NORMAL sync and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory ones."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database)


def url_for_path(path: Path) -> str:
    return f"sqlite:///{path}"


def _check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not an intact SQLite database, without writing to it."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError as error:
        raise StoreError(f"The store {path} cannot be read: {error.strerror}.") from error
    if header != b"SQLite format 3\x00":
        raise StoreError(
            f"{path} is not a thrudesk store (it is not a SQLite database). "
            "It was left untouched; choose another file with --database-url or --data-dir."
        )
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise StoreError(
            f"The store {path} is damaged ({error}). It was left untouched; restore a backup "
            "from the same folder or start with another --data-dir."
        ) from error
    if result is None or result[0] != "ok":
        finding = result[0] if result else "no answer"
        raise StoreError(
            f"The store {path} is damaged (integrity check: {finding}). "
            "It was left untouched; restore a backup from the same folder."
        )


def read_schema_state(engine: Engine) -> SchemaState:
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            revision: str | None = None
            if "alembic_version" in tables:
                row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
                revision = row[0] if row else None
    except (DatabaseError, OperationalError) as error:
        raise StoreError(f"The store cannot be opened: {error.orig}.") from error
    return SchemaState(revision=revision, has_tables=bool(tables - {"alembic_version"}))


def read_sqlite_schema_state(path: Path) -> SchemaState:
    """The schema state of a SQLite file, read without writing a byte to it."""
    if not path.exists() or path.stat().st_size == 0:
        return SchemaState(revision=None, has_tables=False)
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision: str | None = None
            if "alembic_version" in tables:
                row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise StoreError(f"The store {path} cannot be opened: {error}.") from error
    return SchemaState(revision=revision, has_tables=bool(tables - {"alembic_version"}))


def _decide(state: SchemaState, where: str) -> bool:
    """Whether the store needs migrating; refuse what thrudesk cannot open (R4)."""
    if state.revision == HEAD_REVISION:
        return False
    if state.revision is None and not state.has_tables:
        return True
    if state.revision is None:
        raise StoreError(
            f"{where} holds tables that thrudesk did not create. It was left untouched; "
            "choose another file with --database-url or --data-dir."
        )
    if state.revision in KNOWN_REVISIONS:
        return True
    raise StoreError(
        f"This store was written by a newer thrudesk (schema {state.revision}). It was "
        "left untouched; update thrudesk, or open another store with --data-dir."
    )


def _backup(path: Path, revision: str | None) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{revision or 'unversioned'}.{stamp}.bak")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    restrict_to_owner(target)
    log.info("backed up %s to %s before migrating", path, target)
    return target


def restrict_to_owner(path: Path) -> None:
    """Make a file readable and writable by its owner only (QUALITY.md R5)."""
    if os.name == "posix" and path.exists():
        path.chmod(0o600)


def run_migrations(engine: Engine) -> None:
    """Upgrade the store to the newest schema with Alembic (imported only when needed)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "thrudesk:migrations")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_store(url: str) -> Store:
    """Open the store at ``url``, creating or migrating its schema; refuse what is not ours."""
    path = sqlite_path(url)
    backup: Path | None = None
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        _check_sqlite_file(path)
        state = read_sqlite_schema_state(path)
        migrate = _decide(state, str(path))
        if migrate and state.revision is not None:
            backup = _backup(path, state.revision)
    engine = create_store_engine(url)
    try:
        if path is None:
            migrate = _decide(read_schema_state(engine), url)
        if migrate:
            run_migrations(engine)
    except BaseException:
        engine.dispose()
        raise
    if path is not None:
        for suffix in ("", "-wal", "-shm"):
            restrict_to_owner(path.with_name(path.name + suffix))
    return Store(engine, path=path, backup=backup)
