"""Contacts (account-wide, for opt-outs) and conversations (a contact inside a campaign)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from thrudesk.models.base import Base, enum_column
from thrudesk.models.enums import MessageState


class Contact(Base):
    """A person an account texts; opting out holds for the whole account (M3)."""

    __tablename__ = "contact"
    __table_args__ = (UniqueConstraint("account_id", "phone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    phone: Mapped[str] = mapped_column(String(16))
    first_name: Mapped[str] = mapped_column(String(120), default="")
    last_name: Mapped[str] = mapped_column(String(120), default="")
    opted_out_at: Mapped[datetime | None]


class Conversation(Base):
    """A contact inside one campaign: assigned to a sender or Unassigned, with its message state."""

    __tablename__ = "conversation"
    __table_args__ = (
        UniqueConstraint("campaign_id", "contact_id"),
        Index("ix_conversation_campaign_sender", "campaign_id", "sender_id"),
        Index("ix_conversation_contact", "contact_id"),
        # The sending simulation and Campaign Details count and pick conversations by state.
        Index("ix_conversation_campaign_state", "campaign_id", "message_state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"))
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    message_state: Mapped[MessageState] = mapped_column(
        enum_column(MessageState), default=MessageState.NOT_SENT
    )
    at_risk: Mapped[bool] = mapped_column(default=False)
    continues_thread: Mapped[bool] = mapped_column(default=False)
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    replied_at: Mapped[datetime | None]
    reply_text: Mapped[str | None] = mapped_column(Text)
    # M2: what sending from a number still provisioning cost on top of the usual fee.
    surcharge_cents: Mapped[int] = mapped_column(default=0, server_default="0")

    contact: Mapped[Contact] = relationship()
