"""A campaign's senders: adding and removing them (C12, C13), Self Assign and its batches (C14),
and the invite link (C15).

- Adding senders directly splits the Unassigned conversations evenly among the senders added, in
  the order given, by conversation id: with 10 conversations and 3 senders the first gets 4 and
  the others 3 each. Removing a sender returns their unsent conversations (and held ones) to
  Unassigned; what they already sent stays theirs.
- Self Assign can be switched in Draft or Active. Switching it on opens an invite link; switching
  it off disables that link for good. A sender of the campaign may request a batch while it is
  Active: they get min(batch size, Unassigned) conversations, the lowest ids first.
- Invite tokens come from ``secrets`` (192 random bits). A disabled link never works again;
  enabling the link again makes a new token. Joining through an enabled link makes a sender of the
  campaign's account a sender of the campaign; a disabled, unknown or foreign link is refused.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from thrudesk.models import Campaign, CampaignSender, Conversation, InviteLink, User
from thrudesk.models.enums import CampaignStatus, MessageState, Role, SenderSource
from thrudesk.services.accounts import check_batch_size
from thrudesk.services.activity import plan_activity
from thrudesk.services.audience import recount
from thrudesk.services.changes import CAMPAIGNS, CONVERSATIONS
from thrudesk.services.context import ServiceContext
from thrudesk.services.errors import (
    InvalidInput,
    InvalidTransition,
    InviteLinkRefused,
    NoConversationsAvailable,
    NotFound,
    PermissionDenied,
)
from thrudesk.services.ids import checked_id, checked_ids
from thrudesk.services.membership import (
    account_of,
    campaign_in_account,
    campaign_to_manage,
    is_sender,
)
from thrudesk.services.rows import SenderRow
from thrudesk.services.unit_of_work import Actor, Change, UnitOfWork

# The link as admins copy it; ``.invalid`` because thrudesk simulates the platform offline.
INVITE_URL_PREFIX = "https://thrudesk.invalid/join/"
TOKEN_BYTES = 24  # 192 random bits, above the 128 that C15 asks for
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{22,64}")
SELF_ASSIGN_STATUSES = (CampaignStatus.DRAFT, CampaignStatus.ACTIVE)  # C14
NO_MORE_CONVERSATIONS = "No more conversations available"
UNSENT_STATES = (MessageState.NOT_SENT, MessageState.HELD)


@dataclass(frozen=True)
class InviteLinkRow:
    """The campaign's enabled invite link (C15)."""

    campaign_id: int
    token: str
    created_at: datetime

    @property
    def url(self) -> str:
        return invite_url(self.token)


@dataclass(frozen=True)
class TeamRow:
    """Who sends on a campaign and how they get conversations (Campaign Details, Senders)."""

    campaign_id: int
    status: CampaignStatus
    senders: tuple[SenderRow, ...]
    self_assign: bool
    batch_size: int
    batch_size_is_default: bool
    invite: InviteLinkRow | None
    unassigned: int

    @property
    def preloaded(self) -> bool:
        """C12: launched with conversations waiting and nobody to send them yet."""
        return not self.senders and self.unassigned > 0

    @property
    def self_assign_switchable(self) -> bool:
        return self.status in SELF_ASSIGN_STATUSES


@dataclass(frozen=True)
class BatchRow:
    """What one request for conversations gave the sender (C14)."""

    campaign_id: int
    user_id: int
    assigned: int
    unassigned_left: int


@dataclass(frozen=True)
class JoinRow:
    """The outcome of following an invite link (C15)."""

    campaign_id: int
    campaign_title: str
    user_id: int
    already_sender: bool


def invite_url(token: str) -> str:
    """The invite link as admins copy and share it."""
    return f"{INVITE_URL_PREFIX}{token}"


def new_token() -> str:
    """An unguessable invite token: 192 bits from the operating system's CSPRNG."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_from_link(link: object) -> str | None:
    """The token in a pasted link or bare token, or None when it cannot be one."""
    if not isinstance(link, str):
        return None
    text = link.strip()
    if "/join/" in text:
        text = text.rsplit("/join/", 1)[1].strip("/")
    return text if _TOKEN_SHAPE.fullmatch(text) else None


# ------------------------------------------------------------------ rules, inside a unit of work
def enabled_link(session: Session, campaign_id: int) -> InviteLink | None:
    return session.scalar(
        select(InviteLink)
        .where(InviteLink.campaign_id == campaign_id, InviteLink.disabled_at.is_(None))
        .order_by(InviteLink.id.desc())
        .limit(1)
    )


def campaign_senders(session: Session, campaign_id: int) -> tuple[SenderRow, ...]:
    """The campaign's senders in the order they were added, each with the conversations
    assigned to them.
    """
    assigned = (
        select(func.count(Conversation.id))
        .where(
            Conversation.campaign_id == campaign_id,
            Conversation.sender_id == CampaignSender.user_id,
        )
        .correlate(CampaignSender)
        .scalar_subquery()
    )
    return tuple(
        SenderRow(
            user_id=sender.user_id,
            name=name,
            source=sender.source,
            assigned=int(count),
            added_at=sender.added_at,
        )
        for sender, name, count in session.execute(
            select(CampaignSender, User.name, assigned)
            .join(User, CampaignSender.user_id == User.id)
            .where(CampaignSender.campaign_id == campaign_id)
            .order_by(CampaignSender.added_at, CampaignSender.id)
        )
    )


def assign_unassigned(session: Session, campaign_id: int, user_id: int, limit: int) -> int:
    """Give ``user_id`` up to ``limit`` Unassigned conversations, lowest ids first."""
    if limit <= 0:
        return 0
    picked = (
        select(Conversation.id)
        .where(Conversation.campaign_id == campaign_id, Conversation.sender_id.is_(None))
        .order_by(Conversation.id)
        .limit(limit)
        .scalar_subquery()
    )
    result = session.execute(
        update(Conversation)
        .where(Conversation.id.in_(picked))
        .values(sender_id=user_id)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _unassigned(session: Session, campaign_id: int) -> int:
    return int(
        session.scalar(
            select(func.count(Conversation.id)).where(
                Conversation.campaign_id == campaign_id, Conversation.sender_id.is_(None)
            )
        )
        or 0
    )


def _touch(uow: UnitOfWork, campaign: Campaign, *, conversations: bool = False) -> None:
    campaign.last_activity_at = uow.now
    uow.changes.add(CAMPAIGNS, account_id=campaign.account_id, campaign_id=campaign.id)
    if conversations:
        uow.changes.add(CONVERSATIONS, account_id=campaign.account_id, campaign_id=campaign.id)


def open_link(uow: UnitOfWork, campaign: Campaign) -> InviteLink:
    """C15: the enabled link, or a new one with a new token."""
    link = enabled_link(uow.session, campaign.id)
    if link is not None:
        return link
    link = InviteLink(campaign_id=campaign.id, token=new_token(), created_at=uow.now)
    uow.session.add(link)
    uow.session.flush()
    uow.record(
        "invite_link_enabled",
        "campaign",
        campaign.id,
        account_id=campaign.account_id,
        after={"invite_link_id": link.id},
    )
    return link


def close_links(uow: UnitOfWork, campaign: Campaign) -> int:
    """C15: disable every enabled link of the campaign, for good."""
    links = uow.session.scalars(
        select(InviteLink).where(
            InviteLink.campaign_id == campaign.id, InviteLink.disabled_at.is_(None)
        )
    ).all()
    for link in links:
        link.disabled_at = uow.now
        uow.record(
            "invite_link_disabled",
            "campaign",
            campaign.id,
            account_id=campaign.account_id,
            after={"invite_link_id": link.id},
        )
    return len(links)


def join_in(uow: UnitOfWork, user: User, link: object) -> JoinRow:
    """C15: make ``user`` a sender of the link's campaign, or refuse the link."""
    token = token_from_link(link)
    invite = (
        uow.session.scalar(select(InviteLink).where(InviteLink.token == token))
        if token is not None
        else None
    )
    campaign = uow.session.get(Campaign, invite.campaign_id) if invite is not None else None
    if invite is None or campaign is None or campaign.account_id != user.account_id:
        raise InviteLinkRefused(
            "This invite link is not valid. Ask the campaign's admin for its current link.",
            field="invite_link",
        )
    if invite.disabled_at is not None or not campaign.self_assign:
        raise InviteLinkRefused(
            "This invite link has been disabled. Ask the campaign's admin for a new one.",
            field="invite_link",
        )
    if campaign.status is CampaignStatus.ARCHIVED:
        raise InviteLinkRefused(
            f"“{campaign.title}” is archived; it takes no new senders.", field="invite_link"
        )
    if user.role is not Role.SENDER:
        raise PermissionDenied(
            "Invite links are for senders; admins manage the campaign's senders directly.",
            field="invite_link",
        )
    if is_sender(uow.session, campaign.id, user.id):
        return JoinRow(campaign.id, campaign.title, user.id, already_sender=True)
    uow.session.add(
        CampaignSender(
            campaign_id=campaign.id,
            user_id=user.id,
            source=SenderSource.INVITE_LINK,
            added_at=uow.now,
        )
    )
    uow.record(
        "sender_joined",
        "campaign",
        campaign.id,
        account_id=campaign.account_id,
        after={"user_id": user.id, "name": user.name, "source": SenderSource.INVITE_LINK},
    )
    recount(uow.session, campaign)
    _touch(uow, campaign)
    return JoinRow(campaign.id, campaign.title, user.id, already_sender=False)


def request_batch_in(uow: UnitOfWork, campaign: Campaign, user_id: int) -> BatchRow:
    """C14: give a sender of the campaign min(batch size, Unassigned) conversations."""
    session = uow.session
    if not is_sender(session, campaign.id, user_id):
        raise PermissionDenied(
            "Only senders of this campaign can request conversations; join it through its "
            "invite link first.",
            field="campaign",
        )
    if not campaign.self_assign:
        raise InvalidTransition(
            f"Self Assign is off for “{campaign.title}”; its admin assigns the conversations.",
            field="campaign",
        )
    if campaign.status is not CampaignStatus.ACTIVE:
        raise InvalidTransition(
            f"Conversations can be requested while the campaign is Active; “{campaign.title}” "
            f"is {campaign.status.label}.",
            field="campaign",
        )
    batch = campaign.batch_size or account_of(session, campaign).default_batch_size
    assigned = assign_unassigned(session, campaign.id, user_id, batch)
    if assigned == 0:
        raise NoConversationsAvailable(NO_MORE_CONVERSATIONS, field="campaign")
    recount(session, campaign)
    uow.record(
        "batch_requested",
        "campaign",
        campaign.id,
        account_id=campaign.account_id,
        after={"user_id": user_id, "assigned": assigned, "batch_size": batch},
    )
    _touch(uow, campaign, conversations=True)
    return BatchRow(campaign.id, user_id, assigned, campaign.unassigned_count)


# ------------------------------------------------------------------ the service
class SenderService:
    """C12–C15: who sends on a campaign, and how conversations reach them."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    # ------------------------------------------------------------------ reads
    def team(self, actor: Actor, campaign_id: int) -> TeamRow:
        """The campaign's senders, Self Assign settings and invite link."""
        with self._context.read(actor) as session:
            campaign = campaign_in_account(session, actor, campaign_id)
            return self._team(session, campaign)

    def invite_link(self, actor: Actor, campaign_id: int) -> InviteLinkRow | None:
        """C15: the enabled link to copy, or None while Self Assign is off or it is disabled."""
        return self.team(actor, campaign_id).invite

    def _team(self, session: Session, campaign: Campaign) -> TeamRow:
        account = account_of(session, campaign)
        senders = campaign_senders(session, campaign.id)
        link = enabled_link(session, campaign.id) if campaign.self_assign else None
        return TeamRow(
            campaign_id=campaign.id,
            status=campaign.status,
            senders=senders,
            self_assign=campaign.self_assign,
            batch_size=campaign.batch_size or account.default_batch_size,
            batch_size_is_default=campaign.batch_size is None,
            invite=(
                InviteLinkRow(campaign.id, link.token, link.created_at)
                if link is not None
                else None
            ),
            unassigned=_unassigned(session, campaign.id),
        )

    # ------------------------------------------------------------------ adding and removing
    def add(self, actor: Actor, campaign_id: int, user_ids: Iterable[int]) -> TeamRow:
        """C13: add senders directly; the Unassigned conversations are split evenly among them."""
        wanted = self._user_ids(user_ids)
        with self._context.unit_of_work(actor, Change.MANAGE_SENDERS) as uow:
            session = uow.session
            campaign = campaign_to_manage(session, actor, campaign_id)
            users = [self._sender_user(session, actor, user_id) for user_id in wanted]
            for user in users:
                if is_sender(session, campaign.id, user.id):
                    raise InvalidInput(
                        f"{user.name} is already a sender of “{campaign.title}”.", field="senders"
                    )
            for user in users:
                session.add(
                    CampaignSender(
                        campaign_id=campaign.id,
                        user_id=user.id,
                        source=SenderSource.DIRECT,
                        added_at=uow.now,
                    )
                )
            session.flush()
            unassigned = _unassigned(session, campaign.id)
            share, extra = divmod(unassigned, len(users))
            split: dict[str, int] = {}
            for index, user in enumerate(users):
                given = assign_unassigned(
                    session, campaign.id, user.id, share + (1 if index < extra else 0)
                )
                split[str(user.id)] = given
            recount(session, campaign)
            uow.record(
                "senders_added",
                "campaign",
                campaign.id,
                account_id=campaign.account_id,
                after={"user_ids": [u.id for u in users], "assigned": split},
            )
            _touch(uow, campaign, conversations=unassigned > 0)
            if campaign.status is CampaignStatus.ACTIVE:
                plan_activity(uow, self._context.jobs, campaign.id, campaign.account_id)
        return self.team(actor, campaign_id)

    def remove(self, actor: Actor, campaign_id: int, user_id: int) -> TeamRow:
        """Remove a sender; their unsent conversations return to Unassigned."""
        with self._context.unit_of_work(actor, Change.MANAGE_SENDERS) as uow:
            session = uow.session
            campaign = campaign_to_manage(session, actor, campaign_id)
            checked_id(user_id, "sender", field="senders")
            sender = session.scalar(
                select(CampaignSender).where(
                    CampaignSender.campaign_id == campaign.id, CampaignSender.user_id == user_id
                )
            )
            if sender is None:
                raise NotFound("That user is not a sender of this campaign.", field="senders")
            returned = session.execute(
                update(Conversation)
                .where(
                    Conversation.campaign_id == campaign.id,
                    Conversation.sender_id == user_id,
                    Conversation.message_state.in_(UNSENT_STATES),
                )
                .values(sender_id=None, message_state=MessageState.NOT_SENT)
                .execution_options(synchronize_session=False)
            )
            session.execute(delete(CampaignSender).where(CampaignSender.id == sender.id))
            recount(session, campaign)
            uow.record(
                "sender_removed",
                "campaign",
                campaign.id,
                account_id=campaign.account_id,
                before={"user_id": user_id},
                after={"returned_to_unassigned": int(getattr(returned, "rowcount", 0) or 0)},
            )
            _touch(uow, campaign, conversations=True)
        return self.team(actor, campaign_id)

    # ------------------------------------------------------------------ Self Assign (C14, C15)
    def set_self_assign(self, actor: Actor, campaign_id: int, enabled: bool) -> TeamRow:
        """C14: switch Self Assign in Draft or Active; C15: the invite link follows it."""
        if not isinstance(enabled, bool):
            raise InvalidInput("Self Assign is either on or off.", field="self_assign")
        with self._context.unit_of_work(actor, Change.SWITCH_SELF_ASSIGN) as uow:
            campaign = campaign_to_manage(uow.session, actor, campaign_id)
            if campaign.status not in SELF_ASSIGN_STATUSES:
                raise InvalidTransition(
                    f"Self Assign can be switched in Draft or Active; “{campaign.title}” is "
                    f"{campaign.status.label}.",
                    field="self_assign",
                )
            if campaign.self_assign != enabled:
                campaign.self_assign = enabled
                uow.record(
                    "self_assign_switched",
                    "campaign",
                    campaign.id,
                    account_id=campaign.account_id,
                    before={"self_assign": not enabled},
                    after={"self_assign": enabled},
                )
            if enabled:
                open_link(uow, campaign)
                if campaign.status is CampaignStatus.ACTIVE:
                    plan_activity(uow, self._context.jobs, campaign.id, campaign.account_id)
            else:
                close_links(uow, campaign)
            _touch(uow, campaign)
        return self.team(actor, campaign_id)

    def set_batch_size(self, actor: Actor, campaign_id: int, size: int | None) -> TeamRow:
        """C14: the campaign's batch size, 1 to 5000; None follows the account default."""
        checked = None if size is None else check_batch_size(size)
        with self._context.unit_of_work(actor, Change.CHANGE_BATCH_SIZES) as uow:
            campaign = campaign_to_manage(uow.session, actor, campaign_id)
            if campaign.batch_size != checked:
                uow.record(
                    "batch_size_changed",
                    "campaign",
                    campaign.id,
                    account_id=campaign.account_id,
                    before={"batch_size": campaign.batch_size},
                    after={"batch_size": checked},
                )
                campaign.batch_size = checked
            _touch(uow, campaign)
        return self.team(actor, campaign_id)

    def enable_invite_link(self, actor: Actor, campaign_id: int) -> InviteLinkRow:
        """C15: the enabled link, or a new one (new token) after the last was disabled."""
        with self._context.unit_of_work(actor, Change.MANAGE_INVITE_LINKS) as uow:
            campaign = campaign_to_manage(uow.session, actor, campaign_id)
            if not campaign.self_assign:
                raise InvalidTransition(
                    "The invite link exists only while Self Assign is on; switch it on first.",
                    field="invite_link",
                )
            link = open_link(uow, campaign)
            _touch(uow, campaign)
            return InviteLinkRow(campaign.id, link.token, link.created_at)

    def disable_invite_link(self, actor: Actor, campaign_id: int) -> TeamRow:
        """C15: disable the link for good; anyone following it from now on is refused."""
        with self._context.unit_of_work(actor, Change.MANAGE_INVITE_LINKS) as uow:
            campaign = campaign_to_manage(uow.session, actor, campaign_id)
            if close_links(uow, campaign) == 0:
                raise InvalidTransition(
                    "This campaign has no enabled invite link to disable.", field="invite_link"
                )
            _touch(uow, campaign)
        return self.team(actor, campaign_id)

    # ------------------------------------------------------------------ senders' own actions
    def join(self, actor: Actor, link: str) -> JoinRow:
        """C15: the acting sender follows an invite link and becomes a sender of its campaign."""
        with self._context.unit_of_work(actor, Change.FOLLOW_INVITE_LINKS) as uow:
            joined = join_in(uow, uow.session.get_one(User, actor.user_id), link)
            campaign = uow.session.get_one(Campaign, joined.campaign_id)
            if not joined.already_sender and campaign.status is CampaignStatus.ACTIVE:
                plan_activity(uow, self._context.jobs, campaign.id, campaign.account_id)
            return joined

    def request_batch(self, actor: Actor, campaign_id: int) -> BatchRow:
        """C14: the acting sender asks for min(batch size, Unassigned) conversations."""
        with self._context.unit_of_work(actor, Change.REQUEST_CONVERSATIONS) as uow:
            campaign = campaign_in_account(uow.session, actor, campaign_id)
            batch = request_batch_in(uow, campaign, actor.user_id)
            plan_activity(uow, self._context.jobs, campaign.id, campaign.account_id)
            return batch

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _user_ids(user_ids: Iterable[int]) -> list[int]:
        if isinstance(user_ids, int | str) or not isinstance(user_ids, Iterable):
            raise InvalidInput("Choose the senders to add from the list.", field="senders")
        wanted: list[int] = []
        for user_id in checked_ids(user_ids, "user", field="senders"):
            if user_id not in wanted:
                wanted.append(user_id)
        if not wanted:
            raise InvalidInput("Choose at least one sender to add.", field="senders")
        return wanted

    @staticmethod
    def _sender_user(session: Session, actor: Actor, user_id: int) -> User:
        user = session.get(User, user_id)
        if user is None or user.account_id != actor.account_id:
            raise NotFound("That user does not exist in this account.", field="senders")
        if user.role is not Role.SENDER:
            raise InvalidInput(
                f"{user.name} is an admin; only users with the sender role send on campaigns.",
                field="senders",
            )
        return user
