"""What every service shares: units of work over the store, the clock, the change bus, and the
hooks through which the simulator and the desktop take part without the services knowing them.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy.orm import Session

from thrudesk.models.enums import ProvisioningStatus
from thrudesk.services.changes import ChangeBus
from thrudesk.services.clock import Clock
from thrudesk.services.jobs import JobQueue
from thrudesk.services.store import Store
from thrudesk.services.unit_of_work import Actor, Readers, UnitOfWork, UnitOfWorkFactory


class StartingNumber(Protocol):
    """A number whose provisioning starts: a bought ``PhoneNumber``, or its bulk-start record."""

    @property
    def id(self) -> int: ...

    @property
    def account_id(self) -> int: ...

    @property
    def e164(self) -> str: ...

    @property
    def provisioning_status(self) -> ProvisioningStatus: ...


class ProvisioningScheduler(Protocol):
    """Schedules the carriers' answers for numbers whose provisioning just started, in the
    order they started (one number is a batch of one).

    Called inside the starting unit of work, so that the jobs commit (or roll back) with it (S4).
    """

    def schedule_provisionings(
        self, uow: UnitOfWork, numbers: Sequence[StartingNumber]
    ) -> None: ...


class DesktopNotifier(Protocol):
    """Shows a notification on the desktop (N11); failures are the notifier's to log.

    ``user_id`` is the admin the notification is for: a desktop shows only its own admin's.
    """

    def notify(
        self, title: str, body: str, *, user_id: int, subject_type: str, subject_id: int
    ) -> None: ...


class _NoScheduler:
    """Without a simulator, carrier answers arrive only through ProvisioningService calls."""

    def schedule_provisionings(self, uow: UnitOfWork, numbers: Sequence[StartingNumber]) -> None:
        return None


@dataclass
class ServiceContext:
    store: Store
    clock: Clock
    bus: ChangeBus = field(default_factory=ChangeBus)
    scheduler: ProvisioningScheduler = field(default_factory=_NoScheduler)
    desktop: DesktopNotifier | None = None
    jobs: JobQueue = field(default_factory=JobQueue)

    def __post_init__(self) -> None:
        self.unit_of_work = UnitOfWorkFactory(self.store, self.clock, self.bus)
        self.readers = Readers()

    def read(self, actor: Actor) -> AbstractContextManager[Session]:
        """A session for reading what ``actor`` asks for; every read that takes an actor opens
        its session here, refused unless the actor is a user of its account (A2).

        The check is made when this is called: a remembered user costs a set lookup, and one
        not yet remembered is read once, in a session of its own.
        """
        if not self.readers.knows(actor):
            with self.store.read() as session:
                self.readers.check(session, actor)
        return self.store.read()
