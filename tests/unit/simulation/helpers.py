"""Steps the simulator's tests share."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from thrudesk.models import SimulationJob
from thrudesk.models.enums import ClockKind, JobKind, NumberMode
from thrudesk.services.changes import Change
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.rows import CampaignFlagKind, CampaignIndexRow, EventRow
from thrudesk.services.starter import StarterAccount


def draft(
    services: Services, account: StarterAccount, title: str = "Turnout", area_code: str = "512"
) -> int:
    return services.campaigns.create(
        account.actor, title, area_codes=[area_code], use_case_id=account.use_case_id
    )


def launch_single_use(
    services: Services, account: StarterAccount, title: str = "Turnout", area_code: str = "512"
) -> CampaignIndexRow:
    campaign_id = draft(services, account, title, area_code)
    return services.campaigns.launch(account.actor, campaign_id, NumberMode.SINGLE_USE)


def flag_kinds(row: CampaignIndexRow) -> set[CampaignFlagKind]:
    return {flag.kind for flag in row.flags}


def number_events(
    services: Services, account: StarterAccount, number_id: int, kind: str | None = None
) -> list[EventRow]:
    events = services.events.for_number(account.actor, number_id)
    return [event for event in events if kind is None or event.kind == kind]


def carrier_jobs(services: Services, number_id: int) -> list[tuple[datetime, str, bool]]:
    """(due, carrier, applied) of a number's carrier-answer jobs, by due time."""
    with services.store.read() as session:
        jobs = session.scalars(
            select(SimulationJob)
            .where(
                SimulationJob.kind == JobKind.CARRIER_ANSWER,
                SimulationJob.subject_id == number_id,
            )
            .order_by(SimulationJob.due_at, SimulationJob.id)
        ).all()
        return [(job.due_at, job.payload["carrier"], job.applied_at is not None) for job in jobs]


class ChangeLog:
    """Every Change the bus publishes, for asserting what the window would be told."""

    def __init__(self, services: Services) -> None:
        self.changes: list[Change] = []
        services.bus.subscribe(self.changes.append)

    def naming_campaign(self, campaign_id: int) -> list[Change]:
        return [change for change in self.changes if campaign_id in change.campaign_ids]

    def clear(self) -> None:
        self.changes.clear()


class LiveManualClock(ManualClock):
    """A manual clock the engine treats as live: it arms timers instead of waiting for the end
    of an ``advance()``, so the timer path can be watched without real waiting.
    """

    kind = ClockKind.SCALED
