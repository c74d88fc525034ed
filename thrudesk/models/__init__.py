"""The store's tables as typed SQLAlchemy 2 classes. No Qt, no I/O beyond the ORM."""

from thrudesk.models.account import Account, Brand, UseCase, User
from thrudesk.models.base import Base
from thrudesk.models.campaign import Campaign, CampaignSender, InviteLink
from thrudesk.models.contact import Contact, Conversation
from thrudesk.models.event import Event, Notification
from thrudesk.models.phone_number import AreaCodeStock, CarrierCheck, HardToGetRequest, PhoneNumber
from thrudesk.models.simulation import MessagingParameters, SimulationJob, SimulationState

__all__ = [
    "Account",
    "AreaCodeStock",
    "Base",
    "Brand",
    "Campaign",
    "CampaignSender",
    "CarrierCheck",
    "Contact",
    "Conversation",
    "Event",
    "HardToGetRequest",
    "InviteLink",
    "MessagingParameters",
    "Notification",
    "PhoneNumber",
    "SimulationJob",
    "SimulationState",
    "UseCase",
    "User",
]
