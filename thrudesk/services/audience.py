"""A campaign's audience figures: the stored counters the index sorts by, and the full breakdown
Campaign Details shows. Every service that changes conversations calls :func:`recount`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from thrudesk.models import Campaign, CampaignSender, Contact, Conversation
from thrudesk.models.enums import MessageState


@dataclass(frozen=True)
class AudienceStats:
    contacts: int
    unassigned: int
    assigned: int
    sent: int
    delivered: int
    at_risk: int
    opted_out: int
    continued_threads: int


def audience_stats(session: Session, campaign_id: int) -> AudienceStats:
    sent_states = (MessageState.SENT, MessageState.DELIVERED, MessageState.UNDELIVERED)
    row = session.execute(
        select(
            func.count(Conversation.id),
            func.count(case((Conversation.sender_id.is_(None), 1))),
            func.count(case((Conversation.message_state.in_(sent_states), 1))),
            func.count(case((Conversation.message_state == MessageState.DELIVERED, 1))),
            func.count(case((Conversation.at_risk.is_(True), 1))),
            func.count(case((Contact.opted_out_at.is_not(None), 1))),
            func.count(case((Conversation.continues_thread.is_(True), 1))),
        )
        .join(Contact, Conversation.contact_id == Contact.id)
        .where(Conversation.campaign_id == campaign_id)
    ).one()
    contacts, unassigned, sent, delivered, at_risk, opted_out, continued = (int(v) for v in row)
    return AudienceStats(
        contacts=contacts,
        unassigned=unassigned,
        assigned=contacts - unassigned,
        sent=sent,
        delivered=delivered,
        at_risk=at_risk,
        opted_out=opted_out,
        continued_threads=continued,
    )


def recount(session: Session, campaign: Campaign) -> None:
    """Refresh the counters stored on the campaign from its conversations and senders."""
    session.flush()
    contacts, unassigned = session.execute(
        select(
            func.count(Conversation.id),
            func.count(case((Conversation.sender_id.is_(None), 1))),
        ).where(Conversation.campaign_id == campaign.id)
    ).one()
    campaign.contact_count = int(contacts)
    campaign.unassigned_count = int(unassigned)
    campaign.sender_count = int(
        session.scalar(
            select(func.count(CampaignSender.id)).where(CampaignSender.campaign_id == campaign.id)
        )
        or 0
    )
