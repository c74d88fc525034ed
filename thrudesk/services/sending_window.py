"""The sending window (C11): start date, end date and sending hours in the campaign's timezone.

The start date opens the window for initial messages; it defaults to now at launch and can only be
moved to a time in the future. Initial messages a sender sends before it are *held* and go out when
the window opens: a SCHEDULED_START job, planned at the first moment the window is open, releases
them (``messaging.py`` applies it). The end date can be moved to any time in the future after the
start, which is how an admin extends a campaign. Sending hours default to 09:00–21:00 and are read
in the campaign's timezone, which is the account's unless the campaign sets its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thrudesk.models import Campaign, Conversation
from thrudesk.models.enums import CampaignStatus, JobKind, MessageState
from thrudesk.services import validation, wording
from thrudesk.services.activity import plan_activity, plan_job
from thrudesk.services.changes import CAMPAIGNS
from thrudesk.services.context import ServiceContext
from thrudesk.services.errors import InvalidInput
from thrudesk.services.jobs import JobQueue
from thrudesk.services.membership import account_of, campaign_in_account, campaign_to_manage
from thrudesk.services.unit_of_work import Actor, Change, UnitOfWork

DEFAULT_HOURS_START = time(9, 0)
DEFAULT_HOURS_END = time(21, 0)
# Campaigns whose window matters now: launched and not archived.
LIVE_STATUSES = (CampaignStatus.LAUNCHING, CampaignStatus.ACTIVE, CampaignStatus.PAUSED)


class WindowStatus(StrEnum):
    """Whether initial messages can go out now, and if not, why."""

    OPEN = "open"
    NOT_STARTED = "not_started"  # no start date yet (a Draft) or before it: messages are held
    OUTSIDE_HOURS = "outside_hours"
    ENDED = "ended"


@dataclass(frozen=True)
class WindowState:
    """The window at one moment: open or not, the reason, and when it next opens."""

    status: WindowStatus
    opens_at: datetime | None
    message: str

    @property
    def is_open(self) -> bool:
        return self.status is WindowStatus.OPEN


@dataclass(frozen=True)
class SendingWindowRow:
    """The sending window as Campaign Details shows and edits it."""

    campaign_id: int
    start_at: datetime | None
    end_at: datetime | None
    hours_start: time
    hours_end: time
    timezone: str
    timezone_is_account_default: bool
    state: WindowState
    held: int


def campaign_zone(campaign: Campaign, account_timezone: str) -> ZoneInfo:
    """The campaign's timezone: its own when set, else the account's."""
    return ZoneInfo(campaign.timezone or account_timezone)


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return wording.date_time(moment.astimezone(zone))


def next_opening(campaign: Campaign, zone: ZoneInfo, after: datetime) -> datetime | None:
    """The first moment at or after ``after`` when initial messages may go out, if any."""
    if campaign.start_at is None:
        return None
    moment = max(after, campaign.start_at)
    if campaign.end_at is not None and moment >= campaign.end_at:
        return None
    local_day = moment.astimezone(zone).date()
    for offset in range(3):
        day = local_day + timedelta(days=offset)
        opens = datetime.combine(day, campaign.sending_hours_start, zone).astimezone(UTC)
        closes = datetime.combine(day, campaign.sending_hours_end, zone).astimezone(UTC)
        if moment < closes:
            candidate = max(moment, opens)
            if campaign.end_at is not None and candidate >= campaign.end_at:
                return None
            return candidate
    return None


def window_state(campaign: Campaign, zone: ZoneInfo, now: datetime) -> WindowState:
    """C11, M1: whether now is at or past the start, before the end and within sending hours."""
    hours = f"{campaign.sending_hours_start:%H:%M}–{campaign.sending_hours_end:%H:%M} ({zone.key})"
    if campaign.end_at is not None and now >= campaign.end_at:
        return WindowState(
            WindowStatus.ENDED,
            None,
            f"The campaign's end date ({_local(campaign.end_at, zone)}) has passed; extend it "
            "to send again.",
        )
    opens = next_opening(campaign, zone, now)
    if campaign.start_at is None or now < campaign.start_at:
        when = f" on {_local(opens, zone)}" if opens else ""
        return WindowState(
            WindowStatus.NOT_STARTED,
            opens,
            f"Sending opens at the start date{when}; messages sent before are held until then.",
        )
    if opens == now:
        return WindowState(WindowStatus.OPEN, now, "Sending is open.")
    if opens is None:
        return WindowState(
            WindowStatus.ENDED,
            None,
            "The sending hours left before the end date have passed; extend the end date to "
            "send again.",
        )
    return WindowState(
        WindowStatus.OUTSIDE_HOURS,
        opens,
        f"Initial messages go out within the sending hours, {hours}; they open again on "
        f"{_local(opens, zone)}.",
    )


def held_count(session: Session, campaign_id: int) -> int:
    """How many initial messages wait for the window to open (C11)."""
    return int(
        session.scalar(
            select(func.count(Conversation.id)).where(
                Conversation.campaign_id == campaign_id,
                Conversation.message_state == MessageState.HELD,
            )
        )
        or 0
    )


def plan_opening(
    uow: UnitOfWork,
    jobs: JobQueue,
    campaign: Campaign,
    zone: ZoneInfo,
    *,
    exclude_job_id: int | None = None,
) -> datetime | None:
    """Plan the SCHEDULED_START job at the window's next opening (C11); answers that time."""
    opens = next_opening(campaign, zone, uow.now)
    if opens is not None:
        plan_job(
            uow,
            jobs,
            JobKind.SCHEDULED_START,
            campaign.id,
            campaign.account_id,
            opens,
            exclude_job_id=exclude_job_id,
            label="sending window opens",
        )
    return opens


def plan_campaign_opening(uow: UnitOfWork, jobs: JobQueue, campaign: Campaign) -> datetime | None:
    """Plan the opening of ``campaign``'s window in its own (or its account's) timezone."""
    zone = campaign_zone(campaign, account_of(uow.session, campaign).timezone)
    return plan_opening(uow, jobs, campaign, zone)


def _aware(value: object, *, field: str, label: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise InvalidInput(f"Choose the {label} from the calendar.", field=field)
    return validation.moment_in_range(value, field=field, label=f"The {label}")


def _zone(name: object) -> ZoneInfo:
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput(
            "Choose a timezone such as America/Chicago from the list.", field="timezone"
        )
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"“{name.strip()[:64]}” is not a timezone; choose one such as America/Chicago.",
            field="timezone",
        ) from None


class SendingWindowService:
    """C11: editing a campaign's start date, end date, sending hours and timezone."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def window(self, actor: Actor, campaign_id: int) -> SendingWindowRow:
        """The campaign's sending window and whether it is open now."""
        with self._context.read(actor) as session:
            campaign = campaign_in_account(session, actor, campaign_id)
            account = account_of(session, campaign)
            zone = campaign_zone(campaign, account.timezone)
            return SendingWindowRow(
                campaign_id=campaign.id,
                start_at=campaign.start_at,
                end_at=campaign.end_at,
                hours_start=campaign.sending_hours_start,
                hours_end=campaign.sending_hours_end,
                timezone=zone.key,
                timezone_is_account_default=campaign.timezone is None,
                state=window_state(campaign, zone, self._context.clock.now()),
                held=held_count(session, campaign.id),
            )

    def set_start(self, actor: Actor, campaign_id: int, start_at: datetime) -> SendingWindowRow:
        """C11: move the start date, only to a time in the future; earlier sends are held."""
        start = _aware(start_at, field="start_at", label="start date")
        with self._context.unit_of_work(actor, Change.CHANGE_SENDING_WINDOWS) as uow:
            campaign = campaign_to_manage(uow.session, actor, campaign_id)
            if start <= uow.now:
                raise InvalidInput(
                    "The start date can only be moved to a time in the future.", field="start_at"
                )
            if campaign.end_at is not None and start >= campaign.end_at:
                raise InvalidInput(
                    "The start date must come before the end date; move the end date first.",
                    field="start_at",
                )
            before = campaign.start_at
            campaign.start_at = start
            self._changed(uow, campaign, "start_at", before, start)
        return self.window(actor, campaign_id)

    def set_end(self, actor: Actor, campaign_id: int, end_at: datetime | None) -> SendingWindowRow:
        """C11: set or extend the end date (a time in the future, after the start); None: none."""
        end = None if end_at is None else _aware(end_at, field="end_at", label="end date")
        with self._context.unit_of_work(actor, Change.CHANGE_SENDING_WINDOWS) as uow:
            campaign = campaign_to_manage(uow.session, actor, campaign_id)
            if end is not None:
                if end <= uow.now:
                    raise InvalidInput("The end date must be in the future.", field="end_at")
                if campaign.start_at is not None and end <= campaign.start_at:
                    raise InvalidInput(
                        "The end date must come after the start date.", field="end_at"
                    )
            before = campaign.end_at
            campaign.end_at = end
            self._changed(uow, campaign, "end_at", before, end)
        return self.window(actor, campaign_id)

    def set_sending_hours(
        self, actor: Actor, campaign_id: int, hours_start: time, hours_end: time
    ) -> SendingWindowRow:
        """C11: the daily hours in which initial messages go out (start before end, one day)."""
        for value, field in (
            (hours_start, "sending_hours_start"),
            (hours_end, "sending_hours_end"),
        ):
            if not isinstance(value, time) or value.tzinfo is not None:
                raise InvalidInput("Choose the sending hours from the lists.", field=field)
        if hours_start >= hours_end:
            raise InvalidInput(
                "Sending hours must end after they start, within one day (for example "
                "09:00 to 21:00).",
                field="sending_hours_end",
            )
        with self._context.unit_of_work(actor, Change.CHANGE_SENDING_WINDOWS) as uow:
            campaign = campaign_to_manage(uow.session, actor, campaign_id)
            before = f"{campaign.sending_hours_start:%H:%M}–{campaign.sending_hours_end:%H:%M}"
            campaign.sending_hours_start = hours_start.replace(microsecond=0)
            campaign.sending_hours_end = hours_end.replace(microsecond=0)
            after = f"{campaign.sending_hours_start:%H:%M}–{campaign.sending_hours_end:%H:%M}"
            self._changed(uow, campaign, "sending_hours", before, after)
        return self.window(actor, campaign_id)

    def set_timezone(
        self, actor: Actor, campaign_id: int, timezone: str | None
    ) -> SendingWindowRow:
        """C11: the timezone the sending hours are read in; None follows the account's."""
        zone_name = None if timezone is None else _zone(timezone).key
        with self._context.unit_of_work(actor, Change.CHANGE_SENDING_WINDOWS) as uow:
            campaign = campaign_to_manage(uow.session, actor, campaign_id)
            before = campaign.timezone
            campaign.timezone = zone_name
            self._changed(uow, campaign, "timezone", before, zone_name)
        return self.window(actor, campaign_id)

    def _changed(
        self, uow: UnitOfWork, campaign: Campaign, what: str, before: object, after: object
    ) -> None:
        uow.record(
            "sending_window_changed",
            "campaign",
            campaign.id,
            account_id=campaign.account_id,
            before={what: before},
            after={what: after},
        )
        campaign.last_activity_at = uow.now
        uow.changes.add(CAMPAIGNS, account_id=campaign.account_id, campaign_id=campaign.id)
        if campaign.status not in LIVE_STATUSES:
            return
        zone = campaign_zone(campaign, account_of(uow.session, campaign).timezone)
        # The window moved: plan its opening again (held messages) and let activity resume.
        plan_opening(uow, self._context.jobs, campaign, zone)
        if campaign.status is CampaignStatus.ACTIVE:
            plan_activity(
                uow,
                self._context.jobs,
                campaign.id,
                campaign.account_id,
                next_opening(campaign, zone, uow.now) or uow.now,
            )
