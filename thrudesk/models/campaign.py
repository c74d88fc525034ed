"""Campaigns, their senders and their invite links."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import (
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Text,
    Time,
    UniqueConstraint,
    bindparam,
    text,
)
from sqlalchemy.orm import Mapped, QueryableAttribute, mapped_column, relationship

from thrudesk.models.account import UseCase, User
from thrudesk.models.base import Base, enum_column
from thrudesk.models.enums import CampaignStatus, NumberMode, SenderSource
from thrudesk.models.phone_number import PhoneNumber

# Every status but Archived: a campaign in one of them is not archived and still holds its
# number (N5). Conditions on it are written with the statuses themselves, not as parameters:
# SQLite uses a partial index only for a query that states the index's condition.
NOT_ARCHIVED = tuple(status for status in CampaignStatus if status is not CampaignStatus.ARCHIVED)
_NOT_ARCHIVED_SQL = "status IN ({})".format(", ".join(f"'{s.value}'" for s in NOT_ARCHIVED))


def not_archived(
    status: ColumnElement[CampaignStatus] | QueryableAttribute[CampaignStatus],
) -> ColumnElement[bool]:
    """``status`` (of ``campaign`` or an alias of it) is not Archived."""
    return status.in_(
        bindparam("not_archived", NOT_ARCHIVED, expanding=True, literal_execute=True, unique=True)
    )


class Campaign(Base):
    """A texting campaign, or a followup of one (``parent_id``).

    The audience counters (``contact_count`` …) are kept by the services that change
    conversations, so that the campaign index can sort 100,000 campaigns by them in SQL.
    """

    __tablename__ = "campaign"
    __table_args__ = (
        Index("ix_campaign_account_status_created", "account_id", "status", "created_at"),
        Index("ix_campaign_account_created", "account_id", "created_at"),
        Index("ix_campaign_account_title", "account_id", "title"),
        Index("ix_campaign_phone_number", "phone_number_id", "status"),
        # The campaigns still on a number, oldest first (what the Phone Numbers tab names): a
        # dedicated number of a large account carries thousands, most of them archived.
        Index(
            "ix_campaign_number_not_archived",
            "phone_number_id",
            "created_at",
            sqlite_where=text(_NOT_ARCHIVED_SQL),
        ),
        Index("ix_campaign_parent", "parent_id"),
        # Auto-archive (C17) looks for the account's longest-idle campaigns, among those not
        # archived: most of a large account's oldest activity is archived campaigns'.
        Index("ix_campaign_account_last_activity", "account_id", "last_activity_at"),
        Index(
            "ix_campaign_account_activity_not_archived",
            "account_id",
            "last_activity_at",
            sqlite_where=text(_NOT_ARCHIVED_SQL),
        ),
        # The campaign index sorts by every column (UI.md) and pages in id order within equal
        # keys: an index per sort key, scoped by account, holds that order (SQLite appends the
        # row id to every index), so no sort of 100,000 rows happens (QUALITY.md P3).
        Index("ix_campaign_account_status", "account_id", "status"),
        Index("ix_campaign_account_number", "account_id", "phone_number_id"),
        Index("ix_campaign_account_mode", "account_id", "number_mode"),
        Index("ix_campaign_account_start", "account_id", "start_at"),
        Index("ix_campaign_account_contacts", "account_id", "contact_count"),
        Index("ix_campaign_account_senders", "account_id", "sender_count"),
        Index("ix_campaign_account_unassigned", "account_id", "unassigned_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[CampaignStatus] = mapped_column(enum_column(CampaignStatus))
    number_mode: Mapped[NumberMode | None] = mapped_column(enum_column(NumberMode))
    phone_number_id: Mapped[int | None] = mapped_column(ForeignKey("phone_number.id"))
    area_code_1: Mapped[str | None] = mapped_column(String(3))
    area_code_2: Mapped[str | None] = mapped_column(String(3))
    area_code_3: Mapped[str | None] = mapped_column(String(3))
    use_case_id: Mapped[int | None] = mapped_column(ForeignKey("use_case.id"))
    script: Mapped[str] = mapped_column(Text, default="")
    start_at: Mapped[datetime | None]
    end_at: Mapped[datetime | None]
    sending_hours_start: Mapped[time] = mapped_column(Time, default=time(9, 0))
    sending_hours_end: Mapped[time] = mapped_column(Time, default=time(21, 0))
    # IANA name; None means the account's timezone (C11: sending hours are the campaign's).
    timezone: Mapped[str | None] = mapped_column(String(64))
    self_assign: Mapped[bool] = mapped_column(default=False)
    batch_size: Mapped[int | None]
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"))
    cloned_from_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"))
    provisioning_failed: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime]
    launched_at: Mapped[datetime | None]
    activated_at: Mapped[datetime | None]
    archived_at: Mapped[datetime | None]
    last_activity_at: Mapped[datetime]
    contact_count: Mapped[int] = mapped_column(default=0)
    sender_count: Mapped[int] = mapped_column(default=0)
    unassigned_count: Mapped[int] = mapped_column(default=0)

    phone_number: Mapped[PhoneNumber | None] = relationship()
    use_case: Mapped[UseCase | None] = relationship()
    parent: Mapped[Campaign | None] = relationship(
        remote_side="Campaign.id", foreign_keys=[parent_id]
    )
    created_by: Mapped[User | None] = relationship()


class CampaignSender(Base):
    """A user who sends on a campaign, added directly or through the invite link."""

    __tablename__ = "campaign_sender"
    __table_args__ = (UniqueConstraint("campaign_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    source: Mapped[SenderSource] = mapped_column(enum_column(SenderSource))
    added_at: Mapped[datetime]

    user: Mapped[User] = relationship()


class InviteLink(Base):
    """A campaign's invite link (C15); a disabled link is never enabled again."""

    __tablename__ = "invite_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    disabled_at: Mapped[datetime | None]
