"""Provisioning: starting it, and applying the carriers' answers with everything they drive
(N9, C4, C1 on failure, N7 release on failure, N11).

Both work on many numbers at once: the simulator applies a batch of carrier answers in one call
(QUALITY.md P4: a week of 10,000 numbers), and a bulk start opens the checks of many numbers
together. One answer, or one number, is a batch of one: the rules are written once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from thrudesk.models import Campaign, CarrierCheck, PhoneNumber
from thrudesk.models.campaign import not_archived
from thrudesk.models.enums import (
    CampaignStatus,
    Carrier,
    CarrierCheckStatus,
    NumberKind,
    ProvisioningStatus,
)
from thrudesk.services import bulk
from thrudesk.services.changes import CAMPAIGNS, NUMBERS
from thrudesk.services.context import ServiceContext, StartingNumber
from thrudesk.services.errors import InvalidTransition, NotFound
from thrudesk.services.notifications import Note, NotificationService
from thrudesk.services.numbers import release_number
from thrudesk.services.rows import format_phone, number_label
from thrudesk.services.sending_window import plan_campaign_opening
from thrudesk.services.unit_of_work import SIMULATOR, Actor, AuditRecord, UnitOfWork

CARRIERS: tuple[Carrier, ...] = (Carrier.ATT, Carrier.VERIZON, Carrier.TMOBILE)


@dataclass(frozen=True)
class AnswerOutcome:
    """What one carrier answer did to its number."""

    applied: bool
    number_status: ProvisioningStatus | None


@dataclass(frozen=True)
class CarrierAnswer:
    """One carrier's answer about one number, given at ``at`` (the unit of work's now if None)."""

    number_id: int
    carrier: Carrier
    confirmed: bool
    reason: str | None = None
    at: datetime | None = None


@dataclass
class _Check:
    id: int
    status: CarrierCheckStatus


@dataclass
class _Number:
    """What answering needs of a number, read without loading it as an object."""

    id: int
    account_id: int
    kind: NumberKind
    e164: str
    name: str | None
    initiator_id: int | None
    status: ProvisioningStatus
    released: bool


@dataclass
class _Decision:
    """A number decided by an answer of the batch: complete, or failed with a reason."""

    number: _Number
    at: datetime
    failed: bool
    reason: str = ""


@dataclass
class _Batch:
    """What a batch of answers writes, gathered in answer order."""

    # (status, answered_at, reason, id), in stored form.
    check_rows: list[tuple[str, str | None, str | None, int]] = field(default_factory=list)
    # In answer order: an answer's event, or a number decided by it.
    steps: list[AuditRecord | _Decision] = field(default_factory=list)


class ProvisioningService:
    """N9: a number completes when all three carriers confirm and fails when one rejects."""

    def __init__(self, context: ServiceContext, notifications: NotificationService) -> None:
        self._context = context
        self._notifications = notifications

    # ------------------------------------------------------------------ starting
    def start(self, uow: UnitOfWork, number: PhoneNumber) -> None:
        """Open one pending check per carrier and let the scheduler plan their answers."""
        self.start_many(uow, [number])

    def start_many(
        self,
        uow: UnitOfWork,
        numbers: Sequence[StartingNumber],
        *,
        actors: Sequence[Actor] | None = None,
    ) -> None:
        """Start provisioning ``numbers`` (just bought, in this unit of work), in this order.

        A number is provisioned once (N9): one that has checks already, or is no longer
        Provisioning Initiated, is refused and nothing is started. ``actors`` (one per number)
        names who started each, when that is not the unit of work's actor (a bulk start).
        """
        if not numbers:
            return
        session = uow.session
        ids = [number.id for number in numbers]
        checked: set[int] = set()
        for chunk in bulk.chunks(ids):
            checked.update(
                session.scalars(
                    select(CarrierCheck.phone_number_id)
                    .where(CarrierCheck.phone_number_id.in_(chunk))
                    .distinct()
                )
            )
        for number in numbers:
            if (
                number.id in checked
                or number.provisioning_status is not ProvisioningStatus.INITIATED
            ):
                raise InvalidTransition(
                    f"{format_phone(number.e164)} has already been provisioned; a number is "
                    "provisioned once.",
                    field="number",
                )
        bulk.insert_rows(
            session,
            "carrier_check",
            ("phone_number_id", "carrier", "status"),
            [
                (number.id, carrier.value, CarrierCheckStatus.PENDING.value)
                for number in numbers
                for carrier in CARRIERS
            ],
        )
        uow.record_many(
            [
                AuditRecord(
                    "provisioning_started",
                    "phone_number",
                    number.id,
                    account_id=number.account_id,
                    after={"provisioning_status": ProvisioningStatus.INITIATED},
                    actor=actor,
                )
                for number, actor in zip(
                    numbers, actors if actors is not None else [None] * len(numbers), strict=True
                )
            ]
        )
        self._context.scheduler.schedule_provisionings(uow, numbers)

    # ------------------------------------------------------------------ answers
    def answer(
        self,
        number_id: int,
        carrier: Carrier,
        *,
        confirmed: bool,
        reason: str | None = None,
    ) -> AnswerOutcome:
        """Apply one carrier answer in a unit of work of its own (support tools and tests)."""
        with self._context.unit_of_work(actor_label=SIMULATOR) as uow:
            return self.apply_answer(uow, number_id, carrier, confirmed=confirmed, reason=reason)

    def apply_answer(
        self,
        uow: UnitOfWork,
        number_id: int,
        carrier: Carrier,
        *,
        confirmed: bool,
        reason: str | None = None,
        at: datetime | None = None,
    ) -> AnswerOutcome:
        """Record a carrier's answer; complete or fail the number when that decides it.

        Answers for a number that is already complete, failed or released change nothing, so a
        replayed answer is harmless (S4).
        """
        [outcome] = self.apply_answers(
            uow, [CarrierAnswer(number_id, carrier, confirmed, reason, at)]
        )
        return outcome

    def apply_answers(
        self, uow: UnitOfWork, answers: Sequence[CarrierAnswer]
    ) -> list[AnswerOutcome]:
        """Apply carrier answers in the order given, each at its own time (a simulator batch).

        Each answer is applied as :meth:`apply_answer` would apply it alone, after the ones
        before it: the first rejection fails its number, the third confirmation completes it,
        and later answers about a decided or released number change nothing. Numbers and checks
        are read with one query per few hundred numbers, and the checks and events written with
        one multi-row statement each.
        """
        if not answers:
            return []
        session = uow.session
        ids = sorted({answer.number_id for answer in answers})
        numbers = self._load_numbers(session, ids)
        missing = [number_id for number_id in ids if number_id not in numbers]
        if missing:
            raise NotFound("That phone number does not exist.", field="number")
        checks = self._load_checks(session, ids)
        batch = _Batch()
        outcomes: list[AnswerOutcome] = []
        for answer in answers:
            number = numbers[answer.number_id]
            at = answer.at or uow.now
            check = checks.get((number.id, answer.carrier))
            if (
                number.status is not ProvisioningStatus.INITIATED
                or number.released
                or check is None
                or check.status is not CarrierCheckStatus.PENDING
            ):
                outcomes.append(AnswerOutcome(applied=False, number_status=number.status))
                continue
            check.status = (
                CarrierCheckStatus.CONFIRMED if answer.confirmed else CarrierCheckStatus.REJECTED
            )
            reason = (
                None
                if answer.confirmed
                else (answer.reason or f"Rejected by {answer.carrier.label}")
            )
            batch.check_rows.append(
                (check.status.value, bulk.stored_datetime(at), reason, check.id)
            )
            batch.steps.append(
                AuditRecord(
                    "carrier_answered",
                    "phone_number",
                    number.id,
                    account_id=number.account_id,
                    before={"carrier": answer.carrier, "status": CarrierCheckStatus.PENDING},
                    after={"carrier": answer.carrier, "status": check.status, "reason": reason},
                    at=at,
                )
            )
            uow.changes.add(NUMBERS, account_id=number.account_id, number_id=number.id)
            if not answer.confirmed:
                number.status = ProvisioningStatus.FAILED
                batch.steps.append(_Decision(number, at, failed=True, reason=reason or ""))
            elif all(
                (c := checks.get((number.id, carrier))) is not None
                and c.status is CarrierCheckStatus.CONFIRMED
                for carrier in CARRIERS
            ):
                number.status = ProvisioningStatus.COMPLETE
                batch.steps.append(_Decision(number, at, failed=False))
            outcomes.append(AnswerOutcome(applied=True, number_status=number.status))
        self._write(uow, batch)
        return outcomes

    @staticmethod
    def _load_numbers(session: Session, ids: Sequence[int]) -> dict[int, _Number]:
        numbers: dict[int, _Number] = {}
        raw = bulk.cursor(session)
        try:
            for chunk in bulk.chunks(ids):
                raw.execute(
                    "SELECT id, account_id, kind, e164, name, initiator_id, provisioning_status, "
                    "released_at IS NOT NULL FROM phone_number WHERE id IN "
                    f"({', '.join('?' * len(chunk))})",
                    tuple(chunk),
                )
                for (
                    number_id,
                    account_id,
                    kind,
                    e164,
                    name,
                    initiator,
                    status,
                    gone,
                ) in raw.fetchall():
                    numbers[number_id] = _Number(
                        id=number_id,
                        account_id=account_id,
                        kind=NumberKind(kind),
                        e164=e164,
                        name=name,
                        initiator_id=initiator,
                        status=ProvisioningStatus(status),
                        released=bool(gone),
                    )
        finally:
            raw.close()
        return numbers

    @staticmethod
    def _load_checks(session: Session, ids: Sequence[int]) -> dict[tuple[int, Carrier], _Check]:
        checks: dict[tuple[int, Carrier], _Check] = {}
        raw = bulk.cursor(session)
        try:
            for chunk in bulk.chunks(ids):
                raw.execute(
                    "SELECT id, phone_number_id, carrier, status FROM carrier_check "
                    f"WHERE phone_number_id IN ({', '.join('?' * len(chunk))})",
                    tuple(chunk),
                )
                for check_id, number_id, carrier, status in raw.fetchall():
                    checks[(number_id, Carrier(carrier))] = _Check(
                        check_id, CarrierCheckStatus(status)
                    )
        finally:
            raw.close()
        return checks

    def _write(self, uow: UnitOfWork, batch: _Batch) -> None:
        """Write the batch: checks and numbers with one statement each, events in order."""
        if not batch.check_rows:
            return
        session = uow.session
        bulk.update_by_id(
            session, CarrierCheck, ("status", "answered_at", "reason"), batch.check_rows
        )
        decided = [step for step in batch.steps if isinstance(step, _Decision)]
        bulk.update_by_id(
            session,
            PhoneNumber,
            ("provisioning_status", "completed_at", "failed_at", "failure_reason"),
            [
                (
                    d.number.status.value,
                    None if d.failed else bulk.stored_datetime(d.at),
                    bulk.stored_datetime(d.at) if d.failed else None,
                    d.reason if d.failed else None,
                    d.number.id,
                )
                for d in decided
            ],
        )
        campaigns = self._campaigns_on(session, [d.number.id for d in decided])
        pending: list[AuditRecord] = []
        notes: list[Note] = []
        now = uow.now
        try:
            for step in batch.steps:
                if isinstance(step, AuditRecord):
                    pending.append(step)
                    continue
                uow.now = step.at
                on_number = campaigns.get(step.number.id, [])
                if step.failed:
                    self._fail(uow, step.number, step.reason, step.at, on_number, pending)
                    self._tell_initiator(step, on_number, notes)
                else:
                    activated = self._complete(uow, step.number, step.at, on_number, pending)
                    self._tell_initiator(step, activated, notes)
            uow.record_many(pending)
        finally:
            uow.now = now
        self._notifications.notify_many(uow, notes)

    @staticmethod
    def _campaigns_on(session: Session, number_ids: Sequence[int]) -> dict[int, list[Campaign]]:
        """The campaigns (not archived) on each decided number, in id order."""
        found: dict[int, list[Campaign]] = {}
        for chunk in bulk.chunks(sorted(set(number_ids))):
            for campaign in session.scalars(
                select(Campaign)
                .where(
                    Campaign.phone_number_id.in_(chunk),
                    not_archived(Campaign.status),
                )
                .order_by(Campaign.id)
            ):
                if campaign.phone_number_id is not None:
                    found.setdefault(campaign.phone_number_id, []).append(campaign)
        return found

    def _complete(
        self,
        uow: UnitOfWork,
        number: _Number,
        at: datetime,
        campaigns: list[Campaign],
        pending: list[AuditRecord],
    ) -> list[Campaign]:
        """Complete the number (N9) and make its Launching campaigns Active (C4); answers those."""
        pending.append(
            AuditRecord(
                "provisioning_completed",
                "phone_number",
                number.id,
                account_id=number.account_id,
                before={"provisioning_status": ProvisioningStatus.INITIATED},
                after={"provisioning_status": ProvisioningStatus.COMPLETE},
                at=at,
            )
        )
        activated: list[Campaign] = []
        for campaign in campaigns:
            if campaign.status is CampaignStatus.LAUNCHING:  # C4
                campaign.status = CampaignStatus.ACTIVE
                campaign.activated_at = at
                campaign.last_activity_at = at
                activated.append(campaign)
                pending.append(
                    AuditRecord(
                        "campaign_activated",
                        "campaign",
                        campaign.id,
                        account_id=campaign.account_id,
                        before={"status": CampaignStatus.LAUNCHING},
                        after={"status": CampaignStatus.ACTIVE, "reason": "provisioning complete"},
                        at=at,
                    )
                )
                # Active now: its sending window opens (at once, or at its start date, C11).
                uow.record_many(pending)
                pending.clear()
                plan_campaign_opening(uow, self._context.jobs, campaign)
            uow.changes.add(CAMPAIGNS, account_id=campaign.account_id, campaign_id=campaign.id)
        return activated

    def _fail(
        self,
        uow: UnitOfWork,
        number: _Number,
        reason: str,
        at: datetime,
        campaigns: list[Campaign],
        pending: list[AuditRecord],
    ) -> None:
        pending.append(
            AuditRecord(
                "provisioning_failed",
                "phone_number",
                number.id,
                account_id=number.account_id,
                before={"provisioning_status": ProvisioningStatus.INITIATED},
                after={"provisioning_status": ProvisioningStatus.FAILED, "reason": reason},
                at=at,
            )
        )
        for campaign in campaigns:
            before = campaign.status
            campaign.provisioning_failed = True
            if campaign.status is not CampaignStatus.DRAFT:  # C1: back to Draft, flagged
                campaign.status = CampaignStatus.DRAFT
            campaign.last_activity_at = at
            pending.append(
                AuditRecord(
                    "campaign_provisioning_failed",
                    "campaign",
                    campaign.id,
                    account_id=campaign.account_id,
                    before={"status": before},
                    after={
                        "status": campaign.status,
                        "provisioning_failed": True,
                        "reason": reason,
                    },
                    at=at,
                )
            )
            uow.changes.add(CAMPAIGNS, account_id=campaign.account_id, campaign_id=campaign.id)
        if number.kind is NumberKind.SINGLE_USE:  # N7
            # The release records its own event: what came before goes first.
            uow.record_many(pending)
            pending.clear()
            release_number(uow, uow.session.get_one(PhoneNumber, number.id), "provisioning failed")

    @staticmethod
    def _label(number: _Number) -> str:
        return number_label(number.e164, number.name)

    def _tell_initiator(
        self, decision: _Decision, campaigns: list[Campaign], notes: list[Note]
    ) -> None:
        """N11: the admin who started the provisioning hears how it ended.

        ``campaigns``: those sent back to Draft by a failure, or made Active by a completion.
        """
        number = decision.number
        if number.initiator_id is None:
            return
        label = self._label(number)
        subject_type, subject_id = "phone_number", number.id
        if decision.failed:
            title = "Provisioning failed"
            body = f"{label} was rejected: {decision.reason}. Delete it to free its slot."
            if campaigns:
                subject_type, subject_id = "campaign", campaigns[0].id
                body = (
                    f"{label} was rejected: {decision.reason}. “{campaigns[0].title}” is back in "
                    "Draft; use Clone and archive to try again."
                )
        else:
            title = "Provisioning complete"
            body = f"{label} is ready: AT&T, Verizon and T-Mobile confirmed it."
            if campaigns:
                subject_type, subject_id = "campaign", campaigns[0].id
                body = f"{label} is ready. “{campaigns[0].title}” is now Active."
        notes.append(
            Note(
                account_id=number.account_id,
                user_id=number.initiator_id,
                subject_type=subject_type,
                subject_id=subject_id,
                title=title,
                body=body,
                at=decision.at,
            )
        )
