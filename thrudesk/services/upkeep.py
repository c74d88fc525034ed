"""Campaign upkeep that time alone triggers: the stuck flag (C6) and auto-archive (C17).

Both stay event-driven. Each account has at most one pending job per rule, due at the earliest
moment that rule can next change something:

- ``STUCK_CHECK``: just after the earliest Launching campaign passes 4 hours. It records a
  ``campaign_stuck`` event once per stuck launch (the flag itself is derived from the clock by
  :func:`~thrudesk.services.campaigns.campaign_flags`) and tells the window to refresh it.
- ``AUTO_ARCHIVE``: at the first whole hour after the earliest idle campaign enters its warning
  days (day 23) or reaches 30 days. It archives what has been idle for 30 days, refreshes the
  "auto-archived in N days" countdowns (at most once a day), and plans the next run.

A job that fires early (because a campaign was used meanwhile) changes nothing and plans again;
the simulator asks :meth:`UpkeepService.schedule_missing` whenever campaigns change and an
account has no pending job for a rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import func, select

from thrudesk.models import Account, Campaign, Event
from thrudesk.models.campaign import not_archived
from thrudesk.models.enums import CampaignStatus, JobKind
from thrudesk.services.campaigns import (
    AUTO_ARCHIVE_AFTER,
    AUTO_ARCHIVE_WARNING_FROM,
    STUCK_AFTER,
    CampaignService,
)
from thrudesk.services.changes import CAMPAIGNS
from thrudesk.services.context import ServiceContext
from thrudesk.services.jobs import ScheduledJob
from thrudesk.services.unit_of_work import SIMULATOR, UnitOfWork

UPKEEP_KINDS: tuple[JobKind, ...] = (JobKind.STUCK_CHECK, JobKind.AUTO_ARCHIVE)
AUTO_ARCHIVE_REASON = "no activity for 30 days"
# The countdown "auto-archived in N days" is pushed to the window at most this often.
COUNTDOWN_REFRESH = timedelta(days=1)
# C6 says "more than 4 hours": the check runs just past the mark.
STUCK_MARGIN = timedelta(seconds=1)
# Launches noted stuck by one check; more, and the next check is due at once, in a batch of its
# own: a thousand launches stuck together would otherwise hold the window (QUALITY.md P2).
STUCK_NOTES_PER_CHECK = 16


def _next_whole_hour(moment: datetime) -> datetime:
    floor = moment.replace(minute=0, second=0, microsecond=0)
    return floor if floor == moment else floor + timedelta(hours=1)


class UpkeepService:
    """Applies C6 and C17 when their time comes, and plans when that is."""

    def __init__(self, context: ServiceContext, campaigns: CampaignService) -> None:
        self._context = context
        self._campaigns = campaigns

    # ------------------------------------------------------------------ planning
    def schedule_missing(
        self, account_kinds: Iterable[tuple[int, JobKind]], *, check_stuck_now: bool = False
    ) -> None:
        """Plan the upkeep jobs the simulator found missing, in one unit of work.

        ``check_stuck_now`` (at start-up) also looks at launches that became stuck while the
        simulator was not running.
        """
        wanted = sorted(set(account_kinds))
        if not wanted:
            return
        with self._context.unit_of_work(actor_label=SIMULATOR) as uow:
            for account_id, kind in wanted:
                if kind is JobKind.STUCK_CHECK:
                    self._plan_stuck_check(uow, account_id, include_stuck=check_stuck_now)
                elif kind is JobKind.AUTO_ARCHIVE:
                    self._plan_auto_archive(uow, account_id)

    def all_account_ids(self) -> list[int]:
        with self._context.store.read() as session:
            return list(session.scalars(select(Account.id).order_by(Account.id)))

    def _plan_stuck_check(self, uow: UnitOfWork, account_id: int, *, include_stuck: bool) -> None:
        query = select(func.min(Campaign.launched_at)).where(
            Campaign.account_id == account_id,
            Campaign.status == CampaignStatus.LAUNCHING,
        )
        if not include_stuck:
            query = query.where(Campaign.launched_at > uow.now - STUCK_AFTER)
        earliest = uow.session.scalar(query)
        if earliest is None:
            return
        due = max(uow.now, earliest + STUCK_AFTER + STUCK_MARGIN)
        self._context.jobs.add(
            uow,
            JobKind.STUCK_CHECK,
            due,
            account_id,
            account_id=account_id,
            label="Look for launches stuck over 4 hours",
        )

    def _plan_auto_archive(self, uow: UnitOfWork, account_id: int) -> None:
        earliest = uow.session.scalar(
            select(func.min(Campaign.last_activity_at)).where(
                Campaign.account_id == account_id,
                not_archived(Campaign.status),
            )
        )
        if earliest is None:
            return
        now = uow.now
        if earliest + AUTO_ARCHIVE_WARNING_FROM > now:
            due = earliest + AUTO_ARCHIVE_WARNING_FROM
        else:
            # Someone is in the warning days: archive on time, refresh the countdown daily.
            due = min(earliest + AUTO_ARCHIVE_AFTER, now + COUNTDOWN_REFRESH)
        due = _next_whole_hour(max(due, now + timedelta(microseconds=1)))
        self._context.jobs.add(
            uow,
            JobKind.AUTO_ARCHIVE,
            due,
            account_id,
            account_id=account_id,
            label="Archive campaigns idle for 30 days",
        )

    # ------------------------------------------------------------------ applying
    def apply_stuck_check(self, uow: UnitOfWork, job: ScheduledJob) -> None:
        """C6: note each launch that has waited more than 4 hours, once, and plan the next look."""
        account_id = job.subject_id
        session = uow.session
        noted = (
            select(Event.id)
            .where(
                Event.subject_type == "campaign",
                Event.subject_id == Campaign.id,
                Event.kind == "campaign_stuck",
            )
            .exists()
        )
        unnoted = session.execute(
            select(Campaign.id, Campaign.launched_at, Campaign.title)
            .where(
                Campaign.account_id == account_id,
                Campaign.status == CampaignStatus.LAUNCHING,
                Campaign.launched_at < uow.now - STUCK_AFTER,
                ~noted,
            )
            .order_by(Campaign.launched_at, Campaign.id)
            .limit(STUCK_NOTES_PER_CHECK + 1)
        ).all()
        for campaign_id, launched_at, title in unnoted[:STUCK_NOTES_PER_CHECK]:
            if launched_at is None:  # not so: the query compared it with a moment
                continue
            hours = int((uow.now - launched_at).total_seconds() // 3600)
            uow.record(
                "campaign_stuck",
                "campaign",
                campaign_id,
                account_id=account_id,
                after={
                    "launched_at": launched_at,
                    "hours_launching": hours,
                    "advice": f"“{title}” has been Launching over 4 hours; contact support.",
                },
            )
            uow.changes.add(CAMPAIGNS, account_id=account_id, campaign_id=campaign_id)
        if len(unnoted) > STUCK_NOTES_PER_CHECK:
            self._plan_stuck_check(uow, account_id, include_stuck=True)  # due at once
            return
        self._plan_stuck_check(uow, account_id, include_stuck=False)

    def apply_auto_archive(self, uow: UnitOfWork, job: ScheduledJob) -> None:
        """C17: archive campaigns idle for 30 days, refresh the countdowns, plan the next run."""
        account_id = job.subject_id
        session = uow.session
        now = uow.now
        idle = session.scalars(
            select(Campaign)
            .where(
                Campaign.account_id == account_id,
                not_archived(Campaign.status),
                Campaign.last_activity_at <= now - AUTO_ARCHIVE_AFTER,
            )
            # Originals first: archiving one archives its followups with it.
            .order_by(Campaign.parent_id.is_not(None), Campaign.id)
        ).all()
        for campaign in idle:
            if campaign.status is not CampaignStatus.ARCHIVED:
                self._campaigns.archive_in(uow, campaign, reason=AUTO_ARCHIVE_REASON)
        warned = session.scalars(
            select(Campaign.id).where(
                Campaign.account_id == account_id,
                not_archived(Campaign.status),
                Campaign.last_activity_at <= now - AUTO_ARCHIVE_WARNING_FROM,
            )
        ).all()
        for campaign_id in warned:
            uow.changes.add(CAMPAIGNS, account_id=account_id, campaign_id=campaign_id)
        self._plan_auto_archive(uow, account_id)
