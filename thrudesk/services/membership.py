"""Who may do what to a campaign's team: admins manage it, its senders send and request work."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from thrudesk.models import Account, Campaign, CampaignSender
from thrudesk.services import campaign_rules
from thrudesk.services.errors import InvalidTransition, NotFound
from thrudesk.services.ids import checked_id
from thrudesk.services.unit_of_work import Actor


def campaign_in_account(session: Session, actor: Actor, campaign_id: object) -> Campaign:
    """The campaign, if it belongs to the actor's account (N12: another's is not found)."""
    campaign = session.get(Campaign, checked_id(campaign_id, "campaign", field="campaign"))
    if campaign is None or campaign.account_id != actor.account_id:
        raise NotFound("That campaign does not exist in this account.", field="campaign")
    return campaign


def campaign_to_manage(session: Session, actor: Actor, campaign_id: object) -> Campaign:
    """A campaign that may change: in the account and not archived (C1: archived is final).

    Who may change it is the unit of work's to check (A1).
    """
    campaign = campaign_in_account(session, actor, campaign_id)
    refusal = campaign_rules.change_refusal(campaign.title, campaign.status)
    if refusal is not None:
        raise InvalidTransition(refusal, field="campaign")
    return campaign


def is_sender(session: Session, campaign_id: int, user_id: int) -> bool:
    return (
        session.scalar(
            select(CampaignSender.id).where(
                CampaignSender.campaign_id == campaign_id, CampaignSender.user_id == user_id
            )
        )
        is not None
    )


def account_of(session: Session, campaign: Campaign) -> Account:
    return session.get_one(Account, campaign.account_id)
