"""One user action or one simulator batch: a transaction, its audit events and its change notice."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from threading import Lock
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from thrudesk.models import Account, Event, User
from thrudesk.models.enums import Role
from thrudesk.services import bulk
from thrudesk.services.changes import ChangeBus, ChangeCollector
from thrudesk.services.clock import Clock
from thrudesk.services.errors import NotFound, PermissionDenied
from thrudesk.services.store import Store
from thrudesk.services.wording import admins_only


@dataclass(frozen=True)
class Actor:
    """Who acts: an admin (or sender) of one account. Every service call is scoped by it (N12)."""

    account_id: int
    user_id: int


class Change(StrEnum):
    """A change an actor asks the services for, in the words of its refusal (A1): "Only an
    admin of Cascade Civic Alliance can <delete numbers>".
    """

    ADD_NUMBERS = "add numbers"
    RENAME_NUMBERS = "rename numbers"
    DELETE_NUMBERS = "delete numbers"
    REQUEST_HARD_TO_GET = "request hard-to-get numbers"
    CREATE_CAMPAIGNS = "create campaigns"
    EDIT_CAMPAIGNS = "edit campaigns"
    LAUNCH_CAMPAIGNS = "launch campaigns"
    PAUSE_CAMPAIGNS = "pause campaigns"
    RESUME_CAMPAIGNS = "resume campaigns"
    ARCHIVE_CAMPAIGNS = "archive campaigns"
    CLONE_CAMPAIGNS = "clone campaigns"
    CREATE_FOLLOWUPS = "create followups"
    CHANGE_SENDING_WINDOWS = "change sending windows"
    MANAGE_SENDERS = "manage senders"
    SWITCH_SELF_ASSIGN = "switch Self Assign"
    CHANGE_BATCH_SIZES = "change batch sizes"
    MANAGE_INVITE_LINKS = "manage invite links"
    IMPORT_CONTACTS = "import contacts"
    EXPORT_CONTACTS = "export contacts"
    RECORD_REPLIES = "record contacts' replies"
    CHANGE_SETTINGS = "change settings"
    CHANGE_SIMULATION = "change the sending simulation"
    READ_NOTIFICATIONS = "mark notifications read"
    # What a sender may ask for too; the rules of each say which sender may (C14, C15, M1).
    REQUEST_CONVERSATIONS = "request conversations"
    FOLLOW_INVITE_LINKS = "follow invite links"
    SEND_MESSAGES = "send messages"


# A1: a sender may only request conversations, follow an invite link and send.
SENDERS_MAY = frozenset(
    {Change.REQUEST_CONVERSATIONS, Change.FOLLOW_INVITE_LINKS, Change.SEND_MESSAGES}
)


def _whole(actor: Actor) -> bool:
    """Whether the actor's ids are ids at all (A2 refuses text, floats and bools as no user)."""
    return type(actor.account_id) is int and type(actor.user_id) is int


def _not_a_user() -> NotFound:
    return NotFound("That user does not exist in this account.", field="user")


def admit(session: Session, actor: Actor, change: Change) -> User:
    """The acting user, if they may ask for ``change``; every change an actor asks for passes
    here (the unit of work calls it), and so does a read only admins make (an export).

    A2: the actor is a user of the account it acts in; a user of another account, or of none,
    is refused as that account's things are (N12: not found). A1: only an admin asks for
    anything but what :data:`SENDERS_MAY` lists.
    """
    user = session.get(User, actor.user_id) if _whole(actor) else None
    if user is None or user.account_id != actor.account_id:
        raise _not_a_user()
    if user.role is not Role.ADMIN and change not in SENDERS_MAY:
        account = session.get_one(Account, actor.account_id)
        raise PermissionDenied(admins_only(account.name, change))
    return user


_ACCOUNT_OF_USER = select(User.account_id).where(User.id == bindparam("user_id"))


class Readers:
    """A2 for reads: every read an actor asks for passes :meth:`check` (through
    ``ServiceContext.read``), which refuses an actor that is no user of its account as
    :func:`admit` does.

    A user never moves to another account and none is ever removed, so a pair found once is
    remembered, as that pair of ints only: a remembered ``(account, user)`` answers for nothing
    else (another account, an id given as a float or a bool). Reads run on worker threads too:
    the remembered pairs are a frozenset replaced whole under a lock, so a lookup needs none.
    """

    def __init__(self) -> None:
        self._known: frozenset[tuple[int, int]] = frozenset()
        self._lock = Lock()

    def knows(self, actor: Actor) -> bool:
        """Whether ``actor`` was found a user of its account before (no store read)."""
        return (actor.account_id, actor.user_id) in self._known and _whole(actor)

    def check(self, session: Session, actor: Actor) -> None:
        """Refuse ``actor`` unless it is a user of its account, read in ``session``."""
        if self.knows(actor):
            return
        if not _whole(actor):
            raise _not_a_user()
        account_id = session.scalar(_ACCOUNT_OF_USER, {"user_id": actor.user_id})
        if account_id is None or account_id != actor.account_id:
            raise _not_a_user()
        with self._lock:
            self._known = self._known | {(actor.account_id, actor.user_id)}


SIMULATOR = "Simulator"
SUPPORT_DESK = "Support desk"
_EVENT_COLUMNS = (
    "account_id",
    "at",
    "actor_id",
    "actor_label",
    "kind",
    "subject_type",
    "subject_id",
    "before",
    "after",
)


@dataclass(frozen=True)
class AuditRecord:
    """One event for :meth:`UnitOfWork.record_many`; ``actor`` names who acted when that is not
    the unit of work's own actor (a bulk start done for several admins at once).
    """

    kind: str
    subject_type: str
    subject_id: int
    account_id: int | None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    at: datetime | None = None
    actor: Actor | None = None


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {key: bulk.recorded_value(value) for key, value in values.items()}


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

    def record_many(self, records: Sequence[AuditRecord]) -> None:
        """Append many events with one multi-row insert, in the order given (bulk paths).

        Written at once, not at the next flush: a caller that mixes this with :meth:`record`
        keeps the audit trail in order by calling it before whatever records the next event.
        """
        if not records:
            return
        names = self._names_of({r.actor.user_id for r in records if r.actor is not None})
        own_id = self.actor.user_id if self.actor else None
        own_label = self.actor_label
        rows = [
            (
                r.account_id,
                bulk.stored_datetime(r.at or self.now),
                own_id if r.actor is None else r.actor.user_id,
                own_label if r.actor is None else names.get(r.actor.user_id, SIMULATOR),
                r.kind,
                r.subject_type,
                r.subject_id,
                bulk.stored_json(r.before),
                bulk.stored_json(r.after),
            )
            for r in records
        ]
        bulk.insert_rows(self.session, "event", _EVENT_COLUMNS, rows)

    def _names_of(self, user_ids: set[int]) -> dict[int, str]:
        if not user_ids:
            return {}
        return dict(
            self.session.execute(select(User.id, User.name).where(User.id.in_(user_ids))).all()
        )

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the transaction has committed (never if it rolls back)."""
        self._after_commit.append(callback)


class UnitOfWorkFactory:
    """Opens units of work over one store, clock and change bus.

    A unit of work for an actor names the :class:`Change` it makes, and opens only if the actor
    may make it (:func:`admit`): refused, it writes nothing.
    """

    def __init__(self, store: Store, clock: Clock, bus: ChangeBus) -> None:
        self.store = store
        self.clock = clock
        self.bus = bus

    @contextmanager
    def __call__(
        self,
        actor: Actor | None = None,
        change: Change | None = None,
        *,
        actor_label: str | None = None,
        at: datetime | None = None,
    ) -> Iterator[UnitOfWork]:
        if actor is not None and change is None:
            raise TypeError("a unit of work for an actor names the change it makes")
        with self.store.begin() as session:
            if actor is not None and change is not None:
                user = admit(session, actor, change)
                if actor_label is None:
                    actor_label = user.name
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
