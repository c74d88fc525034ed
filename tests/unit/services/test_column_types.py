"""The column types every model shares: moments stored as naive UTC text and read back aware,
enums stored as their values and read back as members.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql, sqlite

from thrudesk.models import Account
from thrudesk.models.base import UTCDateTime, enum_column, stored_moment
from thrudesk.models.enums import CampaignStatus
from thrudesk.services.store import Store


def test_a_moment_reads_back_aware_and_equal(thrudesk_store: Store) -> None:
    moment = datetime(2026, 3, 2, 14, 0, 1, 250, tzinfo=UTC)
    with thrudesk_store.begin() as session:
        session.add(Account(name="Written", created_at=moment))
    with thrudesk_store.read() as session:
        read = session.scalars(select(Account.created_at).where(Account.name == "Written")).one()
    assert read == moment
    assert read.tzinfo is UTC


def test_a_moment_stored_without_microseconds_reads_back(thrudesk_store: Store) -> None:
    """Text written by hand, as a migration or SQLite's own functions write it."""
    with thrudesk_store.begin() as session:
        session.add(Account(name="Written", created_at=datetime(2026, 1, 1, tzinfo=UTC)))
    with thrudesk_store.engine.begin() as connection:
        connection.execute(text("UPDATE account SET created_at = '2026-05-06 07:08:09'"))
    with thrudesk_store.read() as session:
        read = session.scalars(select(Account.created_at)).one()
    assert read == datetime(2026, 5, 6, 7, 8, 9, tzinfo=UTC)


def test_stored_moment_reads_the_text_the_store_holds_as_utc() -> None:
    assert stored_moment("2026-03-02 14:00:01.000250") == datetime(
        2026, 3, 2, 14, 0, 1, 250, tzinfo=UTC
    )
    assert stored_moment("2026-03-02 14:00:01").utcoffset() is not None


def test_a_driver_that_returns_datetimes_still_reads_them_as_utc() -> None:
    """Another database's driver hands back naive datetimes rather than SQLite's text."""
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    process = UTCDateTime().result_processor(dialect, None)
    read = process(datetime(2026, 3, 2, 14, 0))
    assert read == datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    assert process(None) is None


def test_an_enum_column_reads_members_and_refuses_a_value_it_does_not_know() -> None:
    dialect = sqlite.dialect()
    process = enum_column(CampaignStatus).dialect_impl(dialect).result_processor(dialect, None)
    assert process is not None
    assert process("active") is CampaignStatus.ACTIVE
    assert process(None) is None
    with pytest.raises(KeyError):
        process("retired")
