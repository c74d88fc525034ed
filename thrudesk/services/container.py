"""All services over one store and one clock: what the window, the simulator and tests hold."""

from __future__ import annotations

from thrudesk.models.enums import JobKind
from thrudesk.services.accounts import AccountService
from thrudesk.services.campaigns import CampaignService
from thrudesk.services.changes import ChangeBus
from thrudesk.services.clock import Clock
from thrudesk.services.contacts import ContactService
from thrudesk.services.context import DesktopNotifier, ProvisioningScheduler, ServiceContext
from thrudesk.services.events import EventLogService
from thrudesk.services.hard_to_get import HardToGetService
from thrudesk.services.jobs import JobHandler
from thrudesk.services.messaging import MessagingService
from thrudesk.services.notifications import NotificationService
from thrudesk.services.numbers import NumberService
from thrudesk.services.provisioning import ProvisioningService
from thrudesk.services.senders import SenderService
from thrudesk.services.sending_window import SendingWindowService
from thrudesk.services.store import Store


class Services:
    """The service layer, wired: ``services.numbers``, ``services.campaigns`` and the rest."""

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
        self.hard_to_get = HardToGetService(self.context, self.numbers, self.notifications)
        self.contacts = ContactService(self.context)
        self.senders = SenderService(self.context)
        self.sending_window = SendingWindowService(self.context)
        self.messaging = MessagingService(self.context)

    def job_handlers(self) -> dict[JobKind, JobHandler]:
        """Handlers of simulation jobs that services other than the simulator's own schedule."""
        return {
            JobKind.SCHEDULED_START: self.messaging.apply_scheduled_start,
            JobKind.SIMULATED_ACTIVITY: self.messaging.apply_activity,
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
