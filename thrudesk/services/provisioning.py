"""Provisioning: starting it, and applying the carriers' answers with everything they drive
(N9, C4, C1 on failure, N7 release on failure, N11).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from thrudesk.models import Campaign, CarrierCheck, PhoneNumber
from thrudesk.models.enums import (
    CampaignStatus,
    Carrier,
    CarrierCheckStatus,
    NumberKind,
    ProvisioningStatus,
)
from thrudesk.services.changes import CAMPAIGNS, NUMBERS
from thrudesk.services.context import ServiceContext
from thrudesk.services.errors import InvalidTransition, NotFound
from thrudesk.services.notifications import NotificationService
from thrudesk.services.numbers import release_number
from thrudesk.services.rows import format_phone
from thrudesk.services.sending_window import plan_campaign_opening
from thrudesk.services.unit_of_work import SIMULATOR, UnitOfWork

CARRIERS: tuple[Carrier, ...] = (Carrier.ATT, Carrier.VERIZON, Carrier.TMOBILE)


@dataclass(frozen=True)
class AnswerOutcome:
    """What one carrier answer did to its number."""

    applied: bool
    number_status: ProvisioningStatus | None


class ProvisioningService:
    """N9: a number completes when all three carriers confirm and fails when one rejects."""

    def __init__(self, context: ServiceContext, notifications: NotificationService) -> None:
        self._context = context
        self._notifications = notifications

    def start(self, uow: UnitOfWork, number: PhoneNumber) -> None:
        """Open one pending check per carrier and let the scheduler plan their answers."""
        has_checks = uow.session.scalar(
            select(CarrierCheck.id).where(CarrierCheck.phone_number_id == number.id).limit(1)
        )
        if has_checks is not None or number.provisioning_status is not ProvisioningStatus.INITIATED:
            raise InvalidTransition(
                f"{format_phone(number.e164)} has already been provisioned; a number is "
                "provisioned once.",
                field="number",
            )
        for carrier in CARRIERS:
            uow.session.add(
                CarrierCheck(
                    phone_number_id=number.id, carrier=carrier, status=CarrierCheckStatus.PENDING
                )
            )
        uow.session.flush()
        uow.record(
            "provisioning_started",
            "phone_number",
            number.id,
            account_id=number.account_id,
            after={"provisioning_status": ProvisioningStatus.INITIATED},
        )
        self._context.scheduler.schedule_provisioning(uow, number)

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
        at = at or uow.now
        number = uow.session.get(PhoneNumber, number_id)
        if number is None:
            raise NotFound("That phone number does not exist.", field="number")
        if (
            number.provisioning_status is not ProvisioningStatus.INITIATED
            or number.released_at is not None
        ):
            return AnswerOutcome(applied=False, number_status=number.provisioning_status)
        check = uow.session.scalar(
            select(CarrierCheck).where(
                CarrierCheck.phone_number_id == number.id, CarrierCheck.carrier == carrier
            )
        )
        if check is None or check.status is not CarrierCheckStatus.PENDING:
            return AnswerOutcome(applied=False, number_status=number.provisioning_status)
        check.status = CarrierCheckStatus.CONFIRMED if confirmed else CarrierCheckStatus.REJECTED
        check.answered_at = at
        check.reason = None if confirmed else (reason or f"Rejected by {carrier.label}")
        uow.record(
            "carrier_answered",
            "phone_number",
            number.id,
            account_id=number.account_id,
            before={"carrier": carrier, "status": CarrierCheckStatus.PENDING},
            after={"carrier": carrier, "status": check.status, "reason": check.reason},
            at=at,
        )
        uow.changes.add(NUMBERS, account_id=number.account_id, number_id=number.id)
        if not confirmed:
            self._fail(uow, number, check.reason or "", at)
        else:
            statuses = uow.session.scalars(
                select(CarrierCheck.status).where(CarrierCheck.phone_number_id == number.id)
            ).all()
            if len(statuses) == len(CARRIERS) and all(
                s is CarrierCheckStatus.CONFIRMED for s in statuses
            ):
                self._complete(uow, number, at)
        return AnswerOutcome(applied=True, number_status=number.provisioning_status)

    def _campaigns_on(self, uow: UnitOfWork, number: PhoneNumber) -> list[Campaign]:
        return list(
            uow.session.scalars(
                select(Campaign)
                .where(
                    Campaign.phone_number_id == number.id,
                    Campaign.status != CampaignStatus.ARCHIVED,
                )
                .order_by(Campaign.id)
            )
        )

    def _complete(self, uow: UnitOfWork, number: PhoneNumber, at: datetime) -> None:
        number.provisioning_status = ProvisioningStatus.COMPLETE
        number.completed_at = at
        uow.record(
            "provisioning_completed",
            "phone_number",
            number.id,
            account_id=number.account_id,
            before={"provisioning_status": ProvisioningStatus.INITIATED},
            after={"provisioning_status": ProvisioningStatus.COMPLETE},
            at=at,
        )
        activated: list[Campaign] = []
        for campaign in self._campaigns_on(uow, number):
            if campaign.status is CampaignStatus.LAUNCHING:  # C4
                campaign.status = CampaignStatus.ACTIVE
                campaign.activated_at = at
                campaign.last_activity_at = at
                activated.append(campaign)
                # Active now: its sending window opens (at once, or at its start date, C11).
                plan_campaign_opening(uow, self._context.jobs, campaign)
                uow.record(
                    "campaign_activated",
                    "campaign",
                    campaign.id,
                    account_id=campaign.account_id,
                    before={"status": CampaignStatus.LAUNCHING},
                    after={"status": CampaignStatus.ACTIVE, "reason": "provisioning complete"},
                    at=at,
                )
            uow.changes.add(CAMPAIGNS, account_id=campaign.account_id, campaign_id=campaign.id)
        label = self._label(number)
        if activated:
            subject_type, subject_id = "campaign", activated[0].id
            body = f"{label} is ready. “{activated[0].title}” is now Active."
        else:
            subject_type, subject_id = "phone_number", number.id
            body = f"{label} is ready: AT&T, Verizon and T-Mobile confirmed it."
        self._tell_initiator(uow, number, "Provisioning complete", body, subject_type, subject_id)

    def _fail(self, uow: UnitOfWork, number: PhoneNumber, reason: str, at: datetime) -> None:
        number.provisioning_status = ProvisioningStatus.FAILED
        number.failed_at = at
        number.failure_reason = reason
        uow.record(
            "provisioning_failed",
            "phone_number",
            number.id,
            account_id=number.account_id,
            before={"provisioning_status": ProvisioningStatus.INITIATED},
            after={"provisioning_status": ProvisioningStatus.FAILED, "reason": reason},
            at=at,
        )
        returned: list[Campaign] = []
        for campaign in self._campaigns_on(uow, number):
            before = campaign.status
            campaign.provisioning_failed = True
            if campaign.status is not CampaignStatus.DRAFT:  # C1: back to Draft, flagged
                campaign.status = CampaignStatus.DRAFT
            campaign.last_activity_at = at
            returned.append(campaign)
            uow.record(
                "campaign_provisioning_failed",
                "campaign",
                campaign.id,
                account_id=campaign.account_id,
                before={"status": before},
                after={"status": campaign.status, "provisioning_failed": True, "reason": reason},
                at=at,
            )
            uow.changes.add(CAMPAIGNS, account_id=campaign.account_id, campaign_id=campaign.id)
        if number.kind is NumberKind.SINGLE_USE:  # N7
            release_number(uow, number, "provisioning failed")
        label = self._label(number)
        if returned:
            subject_type, subject_id = "campaign", returned[0].id
            body = (
                f"{label} was rejected: {reason}. “{returned[0].title}” is back in Draft; "
                "use Clone and archive to try again."
            )
        else:
            subject_type, subject_id = "phone_number", number.id
            body = f"{label} was rejected: {reason}. Delete it to free its slot."
        self._tell_initiator(uow, number, "Provisioning failed", body, subject_type, subject_id)

    @staticmethod
    def _label(number: PhoneNumber) -> str:
        display = format_phone(number.e164)
        return f"{display} · {number.name}" if number.name else display

    def _tell_initiator(
        self,
        uow: UnitOfWork,
        number: PhoneNumber,
        title: str,
        body: str,
        subject_type: str,
        subject_id: int,
    ) -> None:
        """N11: the admin who started the provisioning hears how it ended."""
        if number.initiator_id is None:
            return
        self._notifications.notify(
            uow,
            account_id=number.account_id,
            user_id=number.initiator_id,
            subject_type=subject_type,
            subject_id=subject_id,
            title=title,
            body=body,
        )
