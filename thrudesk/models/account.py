"""Accounts, their users, the 10DLC brand and its use cases."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from thrudesk.models.base import Base, enum_column
from thrudesk.models.enums import BrandStatus, Role, UseCaseStatus


class Account(Base):
    """One organisation's texting account; the window shows one at a time."""

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="America/New_York")
    provisioning_based_launching: Mapped[bool] = mapped_column(default=True)
    default_batch_size: Mapped[int] = mapped_column(default=300)
    dedicated_number_limit: Mapped[int] = mapped_column(default=5)
    created_at: Mapped[datetime]

    users: Mapped[list[User]] = relationship(back_populates="account", order_by="User.id")


class User(Base):
    """An admin or a sender (texter) of one account."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    created_at: Mapped[datetime]

    account: Mapped[Account] = relationship(back_populates="users")


class Brand(Base):
    """The account's 10DLC brand registration."""

    __tablename__ = "brand"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    status: Mapped[BrandStatus] = mapped_column(enum_column(BrandStatus))


class UseCase(Base):
    """A 10DLC campaign registration; at most 49 unreleased numbers attach to one (N3)."""

    __tablename__ = "use_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id"))
    name: Mapped[str] = mapped_column(String(120))
    status: Mapped[UseCaseStatus] = mapped_column(enum_column(UseCaseStatus))

    brand: Mapped[Brand] = relationship()
