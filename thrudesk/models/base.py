"""Declarative base, naming convention and the column types every model shares."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar, cast

from sqlalchemy import JSON, DateTime, Dialect, MetaData, String, TypeDecorator
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A point in time stored as naive UTC and read back as an aware UTC datetime.

    SQLite has no time zone type; storing naive UTC keeps values sortable as text and comparable
    in SQL, and reading them back aware keeps arithmetic with the clock's ``now()`` safe.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("thrudesk stores aware datetimes only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def result_processor(
        self, dialect: Dialect, coltype: object
    ) -> Callable[[Any], datetime | None]:
        """The stored value read back aware, in one call into Python per value.

        ``process_result_value`` would add a second call after the dialect's own, and marking
        a parsed moment UTC with ``replace`` costs seven times its parsing: a page of the
        campaign index reads 160 moments (QUALITY.md P3).
        """
        parse = self.impl_instance.dialect_impl(dialect).result_processor(dialect, coltype)

        def process(value: Any) -> datetime | None:
            if value is None:
                return None
            if isinstance(value, str):
                return stored_moment(value)
            moment = cast(datetime, parse(value) if parse is not None else value)
            return moment.replace(tzinfo=UTC)

        return process


def stored_moment(stored: str) -> datetime:
    """The aware moment of a stored naive UTC text (SQLite's DATETIME), read with its offset."""
    return datetime.fromisoformat(stored + "+00:00")


E = TypeVar("E", bound=StrEnum)


class StoredEnum(SAEnum):
    """SQLAlchemy's enum over a string column, whose stored values are read by one lookup in
    C (a dictionary's ``__getitem__``) instead of two calls into Python per value.
    """

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any]:
        members: dict[Any, Any] = {None: None}
        members.update((member.value, member) for member in self.enum_class or ())
        read = String.result_processor(self, dialect, coltype)
        if read is None:
            return members.__getitem__
        return lambda value: members[read(value)]


def enum_column(enum: type[E], length: int = 24) -> SAEnum:
    """A string column holding an enum's values (not its names), checked by SQLAlchemy."""
    return StoredEnum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    """Base of every thrudesk table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {  # noqa: RUF012
        datetime: UTCDateTime(),
        str: String(),
        dict[str, Any]: JSON(),
        dict[str, str]: JSON(),
    }
