"""Sending phone numbers, their per-carrier checks, and hard-to-get number requests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from thrudesk.models.account import UseCase, User
from thrudesk.models.base import Base, enum_column
from thrudesk.models.enums import (
    Carrier,
    CarrierCheckStatus,
    HardToGetRequestStatus,
    NumberKind,
    ProvisioningStatus,
)


class PhoneNumber(Base):
    """A sending number: dedicated (reusable) or single-use (bought for one campaign)."""

    __tablename__ = "phone_number"
    __table_args__ = (
        Index("ix_phone_number_account_kind_released", "account_id", "kind", "released_at"),
        Index("ix_phone_number_use_case_released", "use_case_id", "released_at"),
        Index("ix_phone_number_status", "provisioning_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    e164: Mapped[str] = mapped_column(String(16), index=True)
    area_code: Mapped[str] = mapped_column(String(3))
    kind: Mapped[NumberKind] = mapped_column(enum_column(NumberKind))
    name: Mapped[str | None] = mapped_column(String(64))
    use_case_id: Mapped[int] = mapped_column(ForeignKey("use_case.id"))
    provisioning_status: Mapped[ProvisioningStatus] = mapped_column(enum_column(ProvisioningStatus))
    failure_reason: Mapped[str | None] = mapped_column(Text)
    initiator_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    released_at: Mapped[datetime | None]

    use_case: Mapped[UseCase] = relationship()
    initiator: Mapped[User | None] = relationship()
    checks: Mapped[list[CarrierCheck]] = relationship(
        back_populates="phone_number", order_by="CarrierCheck.id", cascade="all, delete-orphan"
    )


class CarrierCheck(Base):
    """One carrier's confirmation (or rejection) of one number (N9)."""

    __tablename__ = "carrier_check"
    __table_args__ = (UniqueConstraint("phone_number_id", "carrier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phone_number_id: Mapped[int] = mapped_column(ForeignKey("phone_number.id"))
    carrier: Mapped[Carrier] = mapped_column(enum_column(Carrier))
    status: Mapped[CarrierCheckStatus] = mapped_column(enum_column(CarrierCheckStatus))
    reason: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]

    phone_number: Mapped[PhoneNumber] = relationship(back_populates="checks")


class HardToGetRequest(Base):
    """An admin's request to support for a number in a scarce area code (N8)."""

    __tablename__ = "hard_to_get_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    area_code: Mapped[str] = mapped_column(String(3))
    name: Mapped[str | None] = mapped_column(String(64))
    use_case_id: Mapped[int] = mapped_column(ForeignKey("use_case.id"))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    status: Mapped[HardToGetRequestStatus] = mapped_column(enum_column(HardToGetRequestStatus))
    outcome: Mapped[str | None] = mapped_column(Text)
    phone_number_id: Mapped[int | None] = mapped_column(ForeignKey("phone_number.id"))
    created_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]


class AreaCodeStock(Base):
    """Simulated inventory of a hard-to-get area code: small, refilling slowly (N8)."""

    __tablename__ = "area_code_stock"

    area_code: Mapped[str] = mapped_column(String(3), primary_key=True)
    available: Mapped[int]
    refilled_at: Mapped[datetime]
