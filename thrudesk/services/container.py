"""All services over one store and one clock: what the window, the simulator and tests hold."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from thrudesk.models.enums import JobKind
from thrudesk.services.accounts import AccountService
from thrudesk.services.campaigns import CampaignService
from thrudesk.services.changes import ChangeBus
from thrudesk.services.clock import Clock
from thrudesk.services.context import DesktopNotifier, ProvisioningScheduler, ServiceContext
from thrudesk.services.events import EventLogService
from thrudesk.services.jobs import JobHandler, ScheduledJob
from thrudesk.services.notifications import NotificationService
from thrudesk.services.numbers import NumberService
from thrudesk.services.provisioning import ProvisioningService
from thrudesk.services.senders import SenderService
from thrudesk.services.sending_window import SendingWindowService
from thrudesk.services.store import Store
from thrudesk.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from thrudesk.services.contacts import ContactService
    from thrudesk.services.hard_to_get import HardToGetService
    from thrudesk.services.messaging import MessagingService


class Services:
    """The service layer, wired: ``services.numbers``, ``services.campaigns`` and the rest.

    The contacts, messaging and hard-to-get services are built (and their modules loaded) when
    first asked for: the window's first paint needs none of them (QUALITY.md P1).
    """

    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        bus: ChangeBus | None = None,
        scheduler: ProvisioningScheduler | None = None,
        desktop: DesktopNotifier | None = None,
    ) -> None:
        self.context = ServiceContext(store=store, clock=clock, bus=bus or ChangeBus())
        if scheduler is not None:
            self.context.scheduler = scheduler
        self.context.desktop = desktop
        self.accounts = AccountService(self.context)
        self.notifications = NotificationService(self.context)
        self.provisioning = ProvisioningService(self.context, self.notifications)
        self.numbers = NumberService(self.context, self.provisioning)
        self.campaigns = CampaignService(self.context, self.numbers)
        self.events = EventLogService(self.context)
        self.senders = SenderService(self.context)
        self.sending_window = SendingWindowService(self.context)

    @cached_property
    def hard_to_get(self) -> HardToGetService:
        from thrudesk.services.hard_to_get import HardToGetService

        return HardToGetService(self.context, self.numbers, self.notifications)

    @cached_property
    def contacts(self) -> ContactService:
        from thrudesk.services.contacts import ContactService

        return ContactService(self.context)

    @cached_property
    def messaging(self) -> MessagingService:
        from thrudesk.services.messaging import MessagingService

        return MessagingService(self.context)

    def job_handlers(self) -> dict[JobKind, JobHandler]:
        """Handlers of simulation jobs that services other than the simulator's own schedule.

        Each asks for its service when a job comes due, so that registering them builds none.
        """

        def fulfil(uow: UnitOfWork, job: ScheduledJob) -> None:
            self.hard_to_get.apply_fulfilment(uow, job)

        def start(uow: UnitOfWork, job: ScheduledJob) -> None:
            self.messaging.apply_scheduled_start(uow, job)

        def act(uow: UnitOfWork, job: ScheduledJob) -> None:
            self.messaging.apply_activity(uow, job)

        return {
            JobKind.HARD_TO_GET_FULFILMENT: fulfil,
            JobKind.SCHEDULED_START: start,
            JobKind.SIMULATED_ACTIVITY: act,
        }

    @property
    def store(self) -> Store:
        return self.context.store

    @property
    def clock(self) -> Clock:
        return self.context.clock

    @property
    def bus(self) -> ChangeBus:
        return self.context.bus
