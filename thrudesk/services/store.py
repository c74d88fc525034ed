"""Opening the store: engine, SQLite pragmas, schema checks, backups and migrations.

``open_store(url)`` answers a ready :class:`Store` or raises :class:`StoreError` with a message an
admin understands, leaving a newer, foreign or damaged file untouched (QUALITY.md R4).

SQLite's integrity check reads every page of the file (about half a second for a store of
200 MB). ``open_store(url, check_in_background=True)`` (the program's start-up) checks the header
and the schema at once and runs the integrity check on a worker thread: the window can show the
store meanwhile, and the first transaction that writes waits for the verdict before it commits,
so a damaged store is still refused before a byte of it changes.
"""

from __future__ import annotations

import errno
import glob
import logging
import os
import shutil
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    NoSuchModuleError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from thrudesk.migrations import HEAD_REVISION, KNOWN_REVISIONS
from thrudesk.services import wording
from thrudesk.services.errors import DiskFull, NewerStore, StoreError
from thrudesk.services.priority import lower_this_thread

log = logging.getLogger("thrudesk.store")

BUSY_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class SchemaState:
    """What an existing store holds before thrudesk touches it."""

    revision: str | None
    has_tables: bool


class IntegrityCheck:
    """SQLite's ``quick_check`` of a store file, on a worker thread of its own (R4).

    :meth:`require` waits for the verdict and raises the :class:`StoreError` of a damaged file;
    :meth:`add_done_callback` tells the verdict (None when the file is intact) on the thread that
    reached it.
    """

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._error: StoreError | None = None
        self._callbacks: list[Callable[[StoreError | None], None]] = []
        self._connection: sqlite3.Connection | None = None
        self._thread: threading.Thread | None = None
        self._cancelled = False
        if path is None:
            self._done.set()

    @classmethod
    def passed(cls) -> IntegrityCheck:
        """A check with nothing left to do (a new store, or one checked before it opened)."""
        return cls(None)

    def start(self) -> None:
        if self._done.is_set() or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="store integrity", daemon=True)
        self._thread.start()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    @property
    def error(self) -> StoreError | None:
        """The refusal, once the check found the file damaged (None while it runs)."""
        return self._error

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the verdict is in; answer whether it is."""
        return self._done.wait(timeout)

    def require(self) -> None:
        """Wait for the verdict; raise the refusal of a damaged store."""
        self._done.wait()
        if self._error is not None:
            raise self._error

    def add_done_callback(self, callback: Callable[[StoreError | None], None]) -> None:
        """Call ``callback(error)`` once the verdict is in: at once if it already is."""
        with self._lock:
            if not self._done.is_set():
                self._callbacks.append(callback)
                return
        callback(self._error)

    def cancel(self) -> None:
        """Stop a check still running (the store is closing); writes are refused after it."""
        with self._lock:
            self._cancelled = True
            connection = self._connection
        if connection is not None:
            connection.interrupt()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        # The verdict is needed before the first write, not before the first paint: on a busy
        # machine the window's own thread goes first.
        lower_this_thread()
        assert self._path is not None
        error: StoreError | None = None
        try:
            _check_integrity(self._path, self._opened)
        except StoreError as refusal:
            error = _offering_backup(refusal, self._path)
            log.error("%s", error.message)
        except Exception as unexpected:  # the verdict must always arrive
            error = _damaged(self._path, str(unexpected))
            log.exception("the integrity check of %s failed", self._path)
        with self._lock:
            self._connection = None
            self._error = error
            self._done.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            try:
                callback(error)
            except Exception:
                log.exception("an integrity check listener failed")

    def _opened(self, connection: sqlite3.Connection | None) -> None:
        with self._lock:
            self._connection = connection
            if connection is not None and self._cancelled:
                connection.interrupt()


SQLITE_FULL = 13


def is_disk_full(error: BaseException) -> bool:
    """Whether ``error`` (or what it wraps) says the disk under the store is full."""
    seen: set[int] = set()
    found: BaseException | None = error
    while found is not None and id(found) not in seen:
        seen.add(id(found))
        if isinstance(found, DiskFull):
            return True
        if isinstance(found, sqlite3.Error) and (
            getattr(found, "sqlite_errorcode", None) == SQLITE_FULL
            or "database or disk is full" in str(found)
        ):
            return True
        if isinstance(found, OSError) and found.errno == errno.ENOSPC:
            return True
        orig = getattr(found, "orig", None)
        found = orig if isinstance(orig, BaseException) else (found.__cause__ or found.__context__)
    return False


class StoreHealth:
    """Whether the store took the last write tried on it, or met a full disk.

    Listeners are told ``full`` when it changes, on whichever thread learned it.
    """

    def __init__(self) -> None:
        self._full = False
        self._lock = threading.Lock()
        self._listeners: list[Callable[[bool], None]] = []

    @property
    def full(self) -> bool:
        return self._full

    def subscribe(self, listener: Callable[[bool], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[bool], None]) -> None:
        with suppress(ValueError):
            self._listeners.remove(listener)

    def report(self, *, full: bool) -> None:
        with self._lock:
            if full == self._full:
                return
            self._full = full
        if full:
            log.warning("the disk is full: the store cannot be written; trying again")
        else:
            log.info("the store can be written again")
        for listener in list(self._listeners):
            try:
                listener(full)
            except Exception:
                log.exception("a store health listener failed")


class Store:
    """An open, migrated store: an engine and a session factory.

    ``health`` says whether the last write met a full disk; a transaction that meets one raises
    :class:`~thrudesk.services.errors.DiskFull` (rolled back: nothing of it is written).
    """

    def __init__(
        self,
        engine: Engine,
        *,
        path: Path | None,
        backup: Path | None = None,
        integrity: IntegrityCheck | None = None,
    ) -> None:
        self.engine = engine
        self.path = path
        self.backup_path = backup
        self.integrity = integrity or IntegrityCheck.passed()
        self.health = StoreHealth()
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any exception.

        While the integrity check still runs, a transaction that wrote waits for its verdict
        before committing, and a damaged store refuses it, then and afterwards (R4): it rolls
        back, and the file is as it was.
        """
        wrote = False
        try:
            with self._sessions.begin() as session:
                yield session
                integrity = self.integrity
                if (not integrity.done or integrity.error is not None) and _holds_writes(session):
                    integrity.require()
                # After a full disk, only a write that commits says there is room again.
                wrote = self.health.full and _holds_writes(session)
        except (SQLAlchemyError, sqlite3.Error, OSError) as error:
            if not is_disk_full(error):
                raise
            self.health.report(full=True)
            raise DiskFull() from error
        if wrote:
            self.health.report(full=False)

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
        self.integrity.cancel()
        self.engine.dispose()


def _holds_writes(session: Session) -> bool:
    """Whether ``session``'s transaction has written anything (flushed or through the driver).

    SQLite's driver opens its transaction at the first statement that writes, so an open one
    means a write is waiting for the commit.
    """
    session.flush()
    driver = session.connection().connection.dbapi_connection
    return bool(getattr(driver, "in_transaction", True))


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
    if database and database.startswith("file:") and _is_uri(parsed):
        if parsed.query.get("mode") == "memory":
            return None
        database = unquote(urlsplit(database).path)
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database)


def _is_uri(parsed: URL) -> bool:
    return str(parsed.query.get("uri", "")).lower() in ("true", "1")


def check_store_url(url: str) -> None:
    """Refuse a store URL thrudesk cannot run on as asked, before anything is opened: one that
    is not a URL, names an unknown database or a driver that is not installed, a store in
    memory (everything would be lost at exit), or a read-only one (thrudesk must write).
    """
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise StoreError(
            f"{url} is not a database URL. Give a SQLAlchemy URL, for example "
            "sqlite:////home/you/thrudesk.sqlite3 or postgresql+psycopg://host/thrudesk."
        ) from error
    shown = parsed.render_as_string(hide_password=True)
    try:
        dialect = parsed.get_dialect()
    except NoSuchModuleError as error:
        raise StoreError(
            f"thrudesk does not know the database of {shown} ({parsed.drivername}). "
            "Give a sqlite:// or postgresql+psycopg:// URL."
        ) from error
    try:
        dialect.import_dbapi()
    except ImportError as error:
        module = error.name or parsed.get_driver_name()
        raise StoreError(
            f"The database driver {module} for {shown} is not installed. Install it "
            f"(pip install {module}) or give another --database-url."
        ) from error
    if parsed.get_backend_name() != "sqlite":
        return
    if sqlite_path(url) is None:
        raise StoreError(
            f"{shown} names no file: a store in memory would lose everything when thrudesk "
            "closes. Give a file, for example sqlite:////home/you/thrudesk.sqlite3."
        )
    if parsed.query.get("mode") == "ro" or str(parsed.query.get("immutable", "")) == "1":
        raise StoreError(
            f"{shown} opens the store read-only, and thrudesk must write to its store (the "
            "simulator's clock and the carriers' answers). Open it without mode=ro, or copy "
            "it and open the copy."
        )


def check_writable(path: Path) -> None:
    """Refuse a store file, or the folder it lives in, that its owner made read-only: thrudesk
    respects that and writes nothing (it cannot run its simulation without writing).
    """
    folder = path.parent
    if folder.is_dir() and not _owner_may_write(folder):
        raise StoreError(
            f"The folder {folder} is read-only, and thrudesk must write beside its store. "
            "Make it writable (chmod u+w) or give another --data-dir."
        )
    if path.is_file() and not _owner_may_write(path):
        raise StoreError(
            f"The store {path} is read-only, and thrudesk must write to its store. It was "
            "left as it is: make it writable (chmod u+w) or open a copy of it."
        )


def _owner_may_write(path: Path) -> bool:
    """Whether ``path`` may be written: by its mode bits (which bind even the superuser here)
    and by the system's own answer.
    """
    return bool(path.stat().st_mode & stat.S_IWUSR) and os.access(path, os.W_OK)


def url_for_path(path: Path) -> str:
    return f"sqlite:///{path}"


SQLITE_HEADER = b"SQLite format 3\x00"
# Bytes 18 and 19 of the header: the file format versions, 2 when the file is in WAL mode.
WAL_FORMAT = b"\x02\x02"


def _read_header(path: Path) -> bytes:
    """The first 100 bytes of a store file; refuse a file that is not a SQLite database."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as error:
        raise StoreError(f"The store {path} cannot be read: {error.strerror}.") from error
    if not header.startswith(SQLITE_HEADER):
        raise StoreError(
            f"{path} is not a thrudesk store (it is not a SQLite database). "
            "It was left untouched; choose another file with --database-url or --data-dir."
        )
    return header


def _damaged(path: Path, finding: str) -> StoreError:
    return StoreError(
        f"The store {path} is damaged ({finding}). It was left untouched; restore a backup "
        "from the same folder or start with another --data-dir."
    )


def _check_integrity(
    path: Path, opened: Callable[[sqlite3.Connection | None], None] | None = None
) -> None:
    """SQLite's ``quick_check`` over every page of ``path``, read-only; refuse a damaged file.

    ``opened`` is told the connection while the check runs (so that it can be interrupted).
    """
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        if opened is not None:
            opened(connection)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()
        finally:
            if opened is not None:
                opened(None)
            connection.close()
    except sqlite3.OperationalError as error:
        if "interrupted" in str(error):
            raise StoreError(
                f"The store {path} was closed before its integrity check ended."
            ) from error
        raise _damaged(path, str(error)) from error
    except sqlite3.DatabaseError as error:
        raise _damaged(path, str(error)) from error
    if result is None or result[0] != "ok":
        raise _damaged(path, f"integrity check: {result[0] if result else 'no answer'}")


def _roll_back_hot_journal(path: Path) -> None:
    """Let SQLite roll back what a program killed in the middle of a transaction left in a
    rollback journal beside ``path`` (as any connection that may write does when it opens):
    the read-only connections that check a store cannot, and would refuse it as damaged.
    """
    journal = path.with_name(path.name + "-journal")
    if not journal.exists() or journal.stat().st_size == 0:
        return
    try:
        connection = sqlite3.connect(path)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return  # the checks that follow say what is wrong with it
    log.info("rolled back the unfinished transaction left beside %s", path)


def _check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not an intact SQLite database, without writing to it."""
    if not path.exists() or path.stat().st_size == 0:
        return
    _read_header(path)
    _check_integrity(path)


def _can_check_later(path: Path) -> bool:
    """Whether opening ``path`` before its integrity check is known can leave it untouched.

    Only a file already in WAL mode, with no committed work waiting in its WAL file: connecting
    would otherwise switch the journal mode (a write to the header), and closing would copy a
    previous run's WAL into the file.
    """
    if not path.exists() or path.stat().st_size == 0:
        return False
    header = _read_header(path)
    if header[18:20] != WAL_FORMAT:
        return False
    wal = path.with_name(path.name + "-wal")
    return not wal.exists() or wal.stat().st_size == 0


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
    raise NewerStore(
        f"This store was written by a newer thrudesk (schema {state.revision}). It was "
        "left untouched; update thrudesk, or open another store with --data-dir."
    )


def _backup(path: Path, revision: str | None) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{revision or 'unversioned'}.{stamp}.bak")
    # Written under another name and renamed when whole: a file named .bak is a whole backup.
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(partial)
        try:
            source.backup(destination)
        finally:
            destination.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    restrict_to_owner(partial)
    with partial.open("rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    _sync_folder(path.parent)
    log.info("backed up %s to %s before migrating", path, target)
    return target


def restrict_to_owner(path: Path) -> None:
    """Take every right on a file from everyone but its owner (QUALITY.md R5); what its owner
    may do is left as it is, so a file its owner made read-only stays read-only.
    """
    if os.name == "posix" and path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            path.chmod(mode & 0o700)


def _all_or_nothing_sqlite(url: URL) -> Engine:
    """An engine whose transactions take in SQLite's schema changes too.

    Python's sqlite3 driver opens a transaction only before a statement that changes rows, so
    by default each CREATE, ALTER or DROP of a migration commits on its own, and a program
    killed midway leaves a store stamped with the old revision but holding half the new
    schema. Here the driver opens no transaction of its own and each one begins with an
    explicit ``BEGIN IMMEDIATE``: an upgrade, or a new store's whole schema, commits at once
    or not at all.
    """
    engine = create_engine(
        url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, poolclass=NullPool
    )

    def connected(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None
        _sqlite_pragmas(dbapi_connection, connection_record)

    def began(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    event.listen(engine, "connect", connected)
    event.listen(engine, "begin", began)
    return engine


def run_migrations(engine: Engine) -> None:
    """Upgrade the store to the newest schema with Alembic (imported only when needed), in one
    transaction: a failure or a kill midway leaves the schema as it was.
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "thrudesk:migrations")
    # A store in memory lives in its one connection, and is all-or-nothing anyway.
    in_a_file = sqlite_path(engine.url.render_as_string(hide_password=False)) is not None
    migrating = _all_or_nothing_sqlite(engine.url) if in_a_file else engine
    try:
        with migrating.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        if migrating is not engine:
            migrating.dispose()


DRAFT_SUFFIX = ".creating"


def holds_no_data(path: Path) -> bool:
    """Whether the SQLite file at ``path`` is a store still to be made: absent, empty, or a
    thrudesk schema that holds no account yet. Read without writing a byte; a file that
    cannot be read is not to be made (:func:`open_store` says what is wrong with it).
    """
    try:
        if path.exists() and path.stat().st_size:
            _read_header(path)
            _roll_back_hot_journal(path)
        state = read_sqlite_schema_state(path)
    except (StoreError, OSError):
        return False
    if not state.has_tables:
        return state.revision is None
    if state.revision not in KNOWN_REVISIONS:
        return False
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if connection.execute("SELECT 1 FROM account LIMIT 1").fetchone() is not None:
            return False
    except sqlite3.DatabaseError:
        return False
    finally:
        connection.close()
    # Made anew only when intact: a damaged file is refused and left as it is (R4).
    try:
        _check_integrity(path)
    except StoreError:
        return False
    return True


@contextmanager
def made_beside(path: Path) -> Iterator[Store]:
    """A new store, made in a draft file beside ``path`` and moved into place only once the
    block has filled it without error.

    Making a store and playing the demo into it are all-or-nothing (DOMAIN.md "Errors"): a
    program killed midway leaves ``path`` as it was and a draft that the next start throws
    away, never a half-made store.
    """
    draft = path.with_name(path.name + DRAFT_SUFFIX)
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_store_files(draft)
    try:
        store = open_store(url_for_path(draft))
    except BaseException:
        _remove_store_files(draft)
        raise
    try:
        try:
            yield store
        finally:
            store.dispose()
        _fold_write_ahead_log(draft)
        # A write-ahead log left beside ``path`` would be read into the new file: it goes first.
        for suffix in ("-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        os.replace(draft, path)
        _sync_folder(path.parent)
    except BaseException as error:
        _remove_store_files(draft)
        if is_disk_full(error):
            raise StoreError(
                f"The store {path} could not be made: the disk is full. Nothing was left "
                "behind; free some space and start thrudesk again."
            ) from error
        raise
    log.info("made the store %s", path)


def _remove_store_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _fold_write_ahead_log(path: Path) -> None:
    """Copy what the write-ahead log of ``path`` holds into the file itself and flush it to disk,
    so that the file alone is the whole store.
    """
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX); elsewhere the rename is all there is."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def latest_backup(path: Path) -> Path | None:
    """The newest backup thrudesk made beside the store file ``path`` before an upgrade."""
    found = [
        candidate
        for candidate in path.parent.glob(f"{glob.escape(path.name)}.*.bak")
        if candidate.is_file()
    ]
    return max(found, key=lambda candidate: candidate.stat().st_mtime, default=None)


def _offering_backup(refusal: StoreError, path: Path) -> StoreError:
    """``refusal``, saying where the newest backup of ``path`` is and how to put it back."""
    backup = latest_backup(path)
    if backup is None or isinstance(refusal, NewerStore):
        return refusal
    made = wording.date_time(datetime.fromtimestamp(backup.stat().st_mtime))
    return StoreError(
        f"{refusal.message} The backup made before its last upgrade is {backup} ({made}); "
        "start thrudesk with --restore-backup to put it back (the store as it is now is kept "
        "beside it).",
        backup=backup,
    )


def restore_backup(path: Path, backup: Path) -> Path | None:
    """Put ``backup`` in the place of the store file ``path``; answer where the store as it was
    is kept (None when there was none).

    The backup must be an intact SQLite file. It is copied, not moved, and the copy is moved
    into place whole; the refused store is copied aside first, so a kill at any moment loses
    neither.
    """
    try:
        if not backup.is_file() or backup.stat().st_size == 0:
            raise StoreError(f"{backup} is not a file")
        _check_sqlite_file(backup)
    except (StoreError, OSError) as error:
        reason = error.message if isinstance(error, StoreError) else str(error)
        raise StoreError(f"The backup {backup} cannot be restored: {reason}") from error
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    draft = path.with_name(path.name + DRAFT_SUFFIX)
    _remove_store_files(draft)
    shutil.copyfile(backup, draft)
    restrict_to_owner(draft)
    with draft.open("rb+") as handle:
        os.fsync(handle.fileno())
    aside: Path | None = None
    if path.exists():
        aside = path.with_name(f"{path.name}.set-aside.{stamp}")
        for suffix in ("", "-wal"):
            kept = path.with_name(path.name + suffix)
            if kept.exists():
                shutil.copyfile(kept, aside.with_name(aside.name + suffix))
                restrict_to_owner(aside.with_name(aside.name + suffix))
        for suffix in ("-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    os.replace(draft, path)
    _sync_folder(path.parent)
    log.info("restored %s from %s; the store as it was is kept as %s", path, backup, aside)
    return aside


def _write_failure(error: BaseException) -> str:
    """What an admin is told of a failed write: a full disk by name, anything else as is."""
    text = str(getattr(error, "orig", None) or error)
    if "disk is full" in text or getattr(error, "errno", None) == errno.ENOSPC:
        return "the disk is full"
    return text


def open_store(url: str, *, check_in_background: bool = False) -> Store:
    """Open the store at ``url``, creating or migrating its schema; refuse what is not ours.

    With ``check_in_background`` a SQLite store at the newest schema is opened before its
    integrity check ends (see the module's notes); otherwise the check comes first. A store
    file that is refused names its newest backup (:func:`restore_backup` puts it back).
    """
    path = sqlite_path(url)
    try:
        return _open_store(url, path, check_in_background=check_in_background)
    except StoreError as refusal:
        if path is None or refusal.backup is not None:
            raise
        raise _offering_backup(refusal, path) from refusal


def _open_store(url: str, path: Path | None, *, check_in_background: bool) -> Store:
    backup: Path | None = None
    integrity: IntegrityCheck | None = None
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        check_writable(path)
        _roll_back_hot_journal(path)
        later = check_in_background and _can_check_later(path)
        if not later:
            _check_sqlite_file(path)
        try:
            state = read_sqlite_schema_state(path)
        except StoreError as error:
            # Unchecked yet, a file whose schema cannot be read is a damaged one.
            if later and isinstance(error.__cause__, sqlite3.DatabaseError):
                raise _damaged(path, str(error.__cause__)) from error
            raise
        migrate = _decide(state, str(path))
        if later and migrate:
            # Migrating writes: the file must be known to be intact first.
            _check_integrity(path)
        elif later:
            integrity = IntegrityCheck(path)
        if migrate and state.revision is not None:
            try:
                backup = _backup(path, state.revision)
            except (sqlite3.Error, OSError) as error:
                raise StoreError(
                    f"The store {path} could not be backed up before its upgrade: "
                    f"{_write_failure(error)}. It was left as it was."
                ) from error
    engine = create_store_engine(url)
    try:
        if path is None:
            state = read_schema_state(engine)
            migrate = _decide(state, url)
        if migrate:
            try:
                run_migrations(engine)
            except (SQLAlchemyError, sqlite3.Error, OSError) as error:
                where = path or make_url(url).render_as_string(hide_password=True)
                doing = "made" if state.revision is None else "upgraded"
                raise StoreError(
                    f"The store {where} could not be {doing}: {_write_failure(error)}. "
                    "It was left as it was."
                ) from error
            where = path or make_url(url).render_as_string(hide_password=True)
            log.info("upgraded the store %s to schema %s", where, HEAD_REVISION)
    except BaseException:
        engine.dispose()
        raise
    if path is not None:
        for suffix in ("", "-wal", "-shm"):
            restrict_to_owner(path.with_name(path.name + suffix))
    if integrity is not None:
        integrity.start()
    return Store(engine, path=path, backup=backup, integrity=integrity)
