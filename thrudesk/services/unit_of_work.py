"""One user action or one simulator batch: a transaction, its audit events and its change notice."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from thrudesk.models import Event, User
from thrudesk.services.changes import ChangeBus, ChangeCollector
from thrudesk.services.clock import Clock
from thrudesk.services.store import Store


@dataclass(frozen=True)
class Actor:
    """Who acts: an admin (or sender) of one account. Every service call is scoped by it (N12)."""

    account_id: int
    user_id: int


SIMULATOR = "Simulator"
SUPPORT_DESK = "Support desk"


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, Enum):
            out[key] = value.value
        elif isinstance(value, datetime):
            out[key] = value.isoformat()
        elif value is None or isinstance(value, str | int | float | bool | list | dict):
            out[key] = value
        else:
            out[key] = str(value)
    return out


class UnitOfWork:
    """The session of one transaction plus what it records (events) and touches (changes)."""

    def __init__(
        self, session: Session, *, now: datetime, actor: Actor | None, actor_label: str | None
    ) -> None:
        self.session = session
        # The time this work happens at; the simulator sets it to each job's due time.
        self.now = now
        self.actor = actor
        self._actor_label = actor_label
        self.changes = ChangeCollector()
        self._after_commit: list[Callable[[], None]] = []

    @property
    def actor_label(self) -> str:
        """The name the audit trail shows for whoever acts in this unit of work."""
        if self._actor_label is None:
            user = self.session.get(User, self.actor.user_id) if self.actor else None
            self._actor_label = user.name if user else SIMULATOR
        return self._actor_label

    @contextmanager
    def acting_as(self, label: str) -> Iterator[None]:
        """Name ``label`` in the audit trail for what is recorded inside the block."""
        previous = self._actor_label
        self._actor_label = label
        try:
            yield
        finally:
            self._actor_label = previous

    def record(
        self,
        kind: str,
        subject_type: str,
        subject_id: int,
        *,
        account_id: int | None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        at: datetime | None = None,
    ) -> None:
        """Append one event to the audit trail, in this transaction."""
        self.session.add(
            Event(
                account_id=account_id,
                at=at or self.now,
                actor_id=self.actor.user_id if self.actor else None,
                actor_label=self.actor_label,
                kind=kind,
                subject_type=subject_type,
                subject_id=subject_id,
                before=_jsonable(before),
                after=_jsonable(after),
            )
        )

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the transaction has committed (never if it rolls back)."""
        self._after_commit.append(callback)


class UnitOfWorkFactory:
    """Opens units of work over one store, clock and change bus."""

    def __init__(self, store: Store, clock: Clock, bus: ChangeBus) -> None:
        self.store = store
        self.clock = clock
        self.bus = bus

    @contextmanager
    def __call__(
        self,
        actor: Actor | None = None,
        *,
        actor_label: str | None = None,
        at: datetime | None = None,
    ) -> Iterator[UnitOfWork]:
        with self.store.begin() as session:
            uow = UnitOfWork(
                session,
                now=at or self.clock.now(),
                actor=actor,
                actor_label=actor_label,
            )
            yield uow
            session.flush()
        for callback in uow._after_commit:
            callback()
        self.bus.publish(uow.changes.freeze())
