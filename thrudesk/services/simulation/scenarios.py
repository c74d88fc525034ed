"""Scenarios (S5) and forced outcomes: what switching a scenario does to the store, and the
deterministic provisioning outcomes testers and demos ask for.

A scenario changes the carrier model at once (see :mod:`thrudesk.services.simulation.model`), and
some change the store when they begin:

- Provider incident switches provisioning-based launching off for the chosen accounts (C5), and
  back on for those same accounts when the incident ends.
- Carrier outage holds the chosen carrier's pending answers until the stall has passed.
- Use case near its limit brings the chosen accounts' first usable use case to 47 of its 49
  numbers with earlier single-use campaigns (Active, provisioned), which an admin can archive to
  free slots, as N3's message advises.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, update

from thrudesk.models import (
    Account,
    Brand,
    Campaign,
    CarrierCheck,
    PhoneNumber,
    SimulationJob,
    UseCase,
    User,
)
from thrudesk.models.enums import (
    BrandStatus,
    CampaignStatus,
    Carrier,
    CarrierCheckStatus,
    JobKind,
    NumberKind,
    NumberMode,
    ProvisioningStatus,
    Role,
    UseCaseStatus,
)
from thrudesk.services import inventory
from thrudesk.services.changes import CAMPAIGNS, NUMBERS
from thrudesk.services.errors import InvalidInput
from thrudesk.services.numbers import unreleased_on_use_case
from thrudesk.services.simulation.model import CARRIERS, CarrierAnswerPlan
from thrudesk.services.unit_of_work import UnitOfWork

NEAR_LIMIT_TARGET = 47
# Ordinary area codes the earlier campaigns of "Use case near its limit" were bought in.
FILLER_AREA_CODES: tuple[str, ...] = ("312", "415", "512", "617", "303", "404", "702")


class ForcedOutcome(StrEnum):
    """How the next provisioning ends, whatever the model would have drawn."""

    COMPLETE = "complete"
    FAIL = "fail"
    STALL = "stall"


DEFAULT_FORCED_AFTER: dict[ForcedOutcome, timedelta] = {
    ForcedOutcome.COMPLETE: timedelta(minutes=5),
    ForcedOutcome.FAIL: timedelta(minutes=5),
    ForcedOutcome.STALL: timedelta(hours=8),
}
DEFAULT_FORCED_CARRIER: dict[ForcedOutcome, Carrier] = {
    ForcedOutcome.COMPLETE: Carrier.TMOBILE,
    ForcedOutcome.FAIL: Carrier.ATT,
    ForcedOutcome.STALL: Carrier.TMOBILE,
}
FORCED_REJECTION = "{carrier} rejected the number: the use case's registration does not match"


@dataclass(frozen=True)
class ForcedProvisioning:
    """One queued forced outcome: ``carrier`` is the one that answers last (or rejects)."""

    outcome: ForcedOutcome
    after: timedelta
    carrier: Carrier
    reason: str | None = None

    @classmethod
    def make(
        cls,
        outcome: ForcedOutcome | str,
        *,
        after: timedelta | None = None,
        carrier: Carrier | None = None,
        reason: str | None = None,
    ) -> ForcedProvisioning:
        try:
            chosen = ForcedOutcome(outcome)
        except ValueError:
            raise InvalidInput("Choose complete, fail or stall.", field="outcome") from None
        wait = DEFAULT_FORCED_AFTER[chosen] if after is None else after
        if wait < timedelta():
            raise InvalidInput("A forced answer cannot come before the start.", field="after")
        return cls(chosen, wait, Carrier(carrier or DEFAULT_FORCED_CARRIER[chosen]), reason)

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.value,
            "after_s": self.after.total_seconds(),
            "carrier": self.carrier.value,
            "reason": self.reason,
        }

    @classmethod
    def from_json(cls, values: dict[str, Any]) -> ForcedProvisioning:
        return cls(
            ForcedOutcome(values["outcome"]),
            timedelta(seconds=float(values["after_s"])),
            Carrier(values["carrier"]),
            values.get("reason"),
        )

    def plans(self) -> tuple[CarrierAnswerPlan, ...]:
        """The three answers this outcome stands for."""
        others = [c for c in CARRIERS if c is not self.carrier]
        if self.outcome is ForcedOutcome.STALL:
            # The others answer at once; the stalled carrier only after ``after``.
            early = [min(self.after, timedelta(minutes=m)) for m in (3, 4)]
        else:
            early = [self.after * 0.6, self.after * 0.8]
        plans = [CarrierAnswerPlan(c, wait, True) for c, wait in zip(others, early, strict=True)]
        if self.outcome is ForcedOutcome.FAIL:
            reason = self.reason or FORCED_REJECTION.format(carrier=self.carrier.label)
            plans.append(CarrierAnswerPlan(self.carrier, self.after, False, reason))
        else:
            plans.append(CarrierAnswerPlan(self.carrier, self.after, True))
        order = {c: i for i, c in enumerate(CARRIERS)}
        return tuple(sorted(plans, key=lambda p: order[p.carrier]))


def hold_carrier_answers(uow: UnitOfWork, carrier: Carrier, until: datetime) -> int:
    """Carrier outage: the carrier's pending answers come no earlier than ``until``."""
    result = uow.session.execute(
        update(SimulationJob)
        .where(
            SimulationJob.kind == JobKind.CARRIER_ANSWER,
            SimulationJob.applied_at.is_(None),
            SimulationJob.due_at < until,
            func.json_extract(SimulationJob.payload, "$.carrier") == carrier.value,
        )
        .values(due_at=until)
        .execution_options(synchronize_session=False)
    )
    held = int(getattr(result, "rowcount", 0) or 0)
    if held:
        uow.changes.add(NUMBERS)
    return held


def usable_use_case(uow: UnitOfWork, account_id: int) -> UseCase | None:
    """The account's first use case that numbers can attach to (U1)."""
    return uow.session.scalar(
        select(UseCase)
        .join(Brand, UseCase.brand_id == Brand.id)
        .where(
            UseCase.account_id == account_id,
            UseCase.status == UseCaseStatus.APPROVED,
            Brand.status == BrandStatus.REGISTERED,
        )
        .order_by(UseCase.id)
        .limit(1)
    )


def fill_use_case(uow: UnitOfWork, account_id: int, target: int = NEAR_LIMIT_TARGET) -> int:
    """Use case near its limit: add earlier single-use campaigns until the use case has ``target``.

    Answers how many were added (none when the use case already has that many).
    """
    session = uow.session
    use_case = usable_use_case(uow, account_id)
    if use_case is None:
        return 0
    missing = target - unreleased_on_use_case(session, use_case.id)
    if missing <= 0:
        return 0
    admin_id = session.scalar(
        select(User.id)
        .where(User.account_id == account_id, User.role == Role.ADMIN)
        .order_by(User.id)
        .limit(1)
    )
    now = uow.now
    for k in range(missing):
        # Launched one to three weeks ago and used in the last few days: not idle enough for
        # auto-archive, old enough that archiving them is the natural way to free slots.
        launched = now - timedelta(days=7 + (k * 5) % 14, hours=k % 9)
        completed = launched + timedelta(minutes=12 + k % 40)
        code = FILLER_AREA_CODES[k % len(FILLER_AREA_CODES)]
        bought = inventory.purchase(session, [code], launched)
        number = PhoneNumber(
            account_id=account_id,
            e164=bought.e164,
            area_code=bought.area_code,
            kind=NumberKind.SINGLE_USE,
            use_case_id=use_case.id,
            provisioning_status=ProvisioningStatus.COMPLETE,
            initiator_id=admin_id,
            created_at=launched,
            completed_at=completed,
        )
        session.add(number)
        session.flush()
        for carrier in CARRIERS:
            session.add(
                CarrierCheck(
                    phone_number_id=number.id,
                    carrier=carrier,
                    status=CarrierCheckStatus.CONFIRMED,
                    answered_at=completed,
                )
            )
        session.add(
            Campaign(
                account_id=account_id,
                title=f"Earlier outreach {k + 1}",
                status=CampaignStatus.ACTIVE,
                number_mode=NumberMode.SINGLE_USE,
                phone_number_id=number.id,
                area_code_1=code,
                use_case_id=use_case.id,
                start_at=launched,
                created_by_id=admin_id,
                created_at=launched - timedelta(hours=1),
                launched_at=launched,
                activated_at=completed,
                last_activity_at=now - timedelta(days=1 + k % 5),
            )
        )
    session.flush()
    uow.record(
        "use_case_filled",
        "use_case",
        use_case.id,
        account_id=account_id,
        after={"added_campaigns": missing, "numbers": target, "scenario": "use_case_near_limit"},
    )
    uow.changes.add(NUMBERS, account_id=account_id)
    uow.changes.add(CAMPAIGNS, account_id=account_id)
    return missing


def account_ids(uow: UnitOfWork, account_id: int | None) -> list[int]:
    """The accounts a scenario acts on: the chosen one, or every account."""
    if account_id is not None:
        return [account_id] if uow.session.get(Account, account_id) is not None else []
    return list(uow.session.scalars(select(Account.id).order_by(Account.id)))
