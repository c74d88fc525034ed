"""Writing many rows at once through the driver's own cursor, in the unit of work's transaction.

The simulator's week of 10,000 numbers (QUALITY.md P4) writes some hundred thousand rows; through
ORM objects, or even through SQLAlchemy's typed statements, each row costs several times what
SQLite needs. These helpers write plain values in the forms SQLAlchemy itself stores (a unit test
holds them equal): enums as their values, moments as naive UTC text, JSON as ``json.dumps``.

Every helper first flushes the session, so that rows the ORM still holds (a number just bought)
are written before rows that refer to them; rows updated here that the session has loaded are
expired, so that they read the new values.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from sqlalchemy.engine.interfaces import DBAPICursor
from sqlalchemy.orm import Session

# SQLite's limit on bound parameters is 32766; a few hundred ids per IN list keep queries short.
ID_CHUNK = 500


def stored_datetime(moment: datetime | None) -> str | None:
    """A moment as thrudesk stores it (UTCDateTime over SQLite's DATETIME): naive UTC text."""
    if moment is None:
        return None
    if moment.tzinfo is not UTC:
        if moment.tzinfo is None:
            raise ValueError("thrudesk stores aware datetimes only")
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(" ", "microseconds")


def recorded_value(value: Any) -> Any:
    """A value as the audit trail and JSON columns record it: an enum as its value, a moment
    in ISO 8601, what JSON holds as it is, anything else as its text.
    """
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)


def stored_json(value: Any) -> str:
    """A JSON column's value as SQLAlchemy's JSON type writes it (``None`` as JSON ``null``),
    with what JSON cannot hold written as :func:`recorded_value` says.
    """
    return json.dumps(value, default=recorded_value)


def cursor(session: Session) -> DBAPICursor:
    """The driver's cursor in ``session``'s transaction, once the session's pending rows are
    written.
    """
    session.flush()
    return session.connection().connection.cursor()


def chunks(ids: Sequence[int], size: int = ID_CHUNK) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _first_value(raw: DBAPICursor) -> Any:
    row = raw.fetchone()
    if row is None:
        raise RuntimeError("the store answered no row")
    return row[0]


def insert_rows(
    session: Session, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[int]:
    """Insert ``rows`` (values already in stored form) and answer their new ids, in order.

    SQLite gives each new row the next id after the largest one; inside this transaction no one
    else can insert, so the rows of one ``executemany`` get consecutive ids, ending at the last
    one inserted. That is checked, not assumed.
    """
    if not rows:
        return []
    placeholders = ", ".join("?" * len(columns))
    statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
    raw = cursor(session)
    try:
        if len(rows) == 1:
            # One row (a job planned, an event recorded): its id is simply the last inserted.
            raw.execute(statement, rows[0])
            raw.execute("SELECT last_insert_rowid()")
            return [int(_first_value(raw))]
        raw.executemany(statement, rows)
        raw.execute("SELECT last_insert_rowid()")
        last = int(_first_value(raw))
        first = last - len(rows) + 1
        raw.execute(f"SELECT count(*) FROM {table} WHERE id BETWEEN ? AND ?", (first, last))
        if int(_first_value(raw)) != len(rows):
            raise RuntimeError(f"the new rows of {table} did not get consecutive ids")
    finally:
        raw.close()
    return list(range(first, last + 1))


def update_by_id(
    session: Session,
    model: type[Any],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> None:
    """``UPDATE table SET columns… WHERE id = ?`` for each row (its values, then its id)."""
    if not rows:
        return
    table = model.__tablename__
    raw = cursor(session)
    try:
        assignments = ", ".join(f"{column} = ?" for column in columns)
        raw.executemany(f"UPDATE {table} SET {assignments} WHERE id = ?", rows)
    finally:
        raw.close()
    changed = {row[-1] for row in rows}
    for loaded in list(session.identity_map.values()):
        if isinstance(loaded, model) and getattr(loaded, "id", None) in changed:
            session.expire(loaded)
