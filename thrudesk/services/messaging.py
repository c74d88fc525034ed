"""Initial messages, their simulated delivery, and contacts' replies (M1–M3, C11 holds, C18).

Who sends: the senders of a campaign send the initial message of each conversation assigned to
them. In this offline console the simulator plays them: while a campaign is Active, a
SIMULATED_ACTIVITY job per campaign (a "tick", every few simulated minutes while there is work)
lets simulated senders join through the invite link and request batches (C14, C15), send at a
plausible pace within the sending window (C11), resolves the delivery of what was sent in earlier
ticks (M2), and has some contacts reply, a few of them with STOP (M3). Testers drive the same rules
directly with :meth:`MessagingService.send_initial` and :meth:`MessagingService.receive_reply`.

M1, in the order it is checked: the conversation is in the campaign; the campaign is Active; the
conversation is assigned to the acting sender; its initial message has not gone out (or been held);
the contact has not opted out; the number is Provisioning Complete, or provisioning-based
launching is off (then the message is marked at risk and costs the surcharge: M2); the end date has
not passed; it is within sending hours. Before the start date the message is *held* instead of
refused (C11) and goes out when the window opens.

C18 is decided at send time: a message sent from a dedicated number to a contact that an earlier
campaign on the same number already texted continues that thread.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, case, func, select, update
from sqlalchemy.orm import Session

from thrudesk.models import (
    Campaign,
    CampaignSender,
    Contact,
    Conversation,
    MessagingParameters,
    PhoneNumber,
    User,
)
from thrudesk.models.enums import (
    CampaignStatus,
    MessageState,
    NumberKind,
    ProvisioningStatus,
    Role,
)
from thrudesk.services import campaign_rules, validation
from thrudesk.services.activity import plan_activity
from thrudesk.services.changes import ACCOUNTS, CAMPAIGNS, CONVERSATIONS, SIMULATION
from thrudesk.services.context import ServiceContext
from thrudesk.services.errors import (
    AlreadySent,
    CampaignNotActive,
    ContactOptedOut,
    InvalidInput,
    InvalidTransition,
    NoConversationsAvailable,
    NotAssignedToSender,
    NotFound,
    NumberStillProvisioning,
    OutsideSendingHours,
    SendingRefused,
    SendingWindowEnded,
)
from thrudesk.services.ids import checked_id
from thrudesk.services.jobs import ScheduledJob
from thrudesk.services.membership import account_of, campaign_in_account
from thrudesk.services.rows import format_phone
from thrudesk.services.senders import enabled_link, join_in, request_batch_in
from thrudesk.services.sending_window import (
    WindowStatus,
    campaign_zone,
    next_opening,
    plan_opening,
    window_state,
)
from thrudesk.services.simulation.state import run_seed
from thrudesk.services.unit_of_work import Actor, Change, UnitOfWork

# M3: replies that opt a contact out of the whole account (case and end punctuation ignored).
OPT_OUT_KEYWORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
REPLY_MAX = 1600
PARAMETERS_ID = 1
SIMULATED_CONTACT = "Simulated contact"
# While a campaign waits for its number (C4), its activity looks again this often.
# At most this many messages change state per campaign in one tick, to keep transactions short.
TICK_LIMIT = 5000
SENT_STATES = (MessageState.SENT, MessageState.DELIVERED, MessageState.UNDELIVERED)
_SIMULATED_REPLIES = (
    "Yes, count me in!",
    "Who is this?",
    "Thanks, I'll be there.",
    "Not this time, sorry.",
    "What time does it start?",
    "Already did it!",
)
_SIMULATED_OPT_OUTS = ("STOP", "Stop", "stop", "UNSUBSCRIBE", "Quit", "STOPALL", "cancel")


def is_opt_out(text: str) -> bool:
    """M3: whether a reply is one of the opt-out keywords (STOP, STOPALL, UNSUBSCRIBE, ...)."""
    return text.strip().rstrip(".!").strip().upper() in OPT_OUT_KEYWORDS


# ---------------------------------------------------------------------- parameters (M2)
@dataclass(frozen=True)
class SendingParameters:
    """The sending simulation's parameters; these defaults are the only place they are set.

    Rates are probabilities per message; they are simulation choices, not carrier facts.
    """

    delivery_rate_complete: float = 0.97  # from a Provisioning Complete number
    delivery_rate_provisioning: float = 0.80  # from a number still provisioning (C5)
    surcharge_cents: int = 1  # added per message sent from a number still provisioning
    reply_rate: float = 0.12  # a delivered contact replies (not an opt-out)
    opt_out_rate: float = 0.02  # a delivered contact replies STOP or another keyword
    # Pace of each simulated sender; 0 leaves sending to explicit ``send_initial`` calls.
    messages_per_sender_hour: int = 300
    activity_minutes: int = 5  # how often simulated senders and contacts act
    # How many senders join a campaign through its invite link; 0: none join by themselves.
    simulated_senders: int = 5

    @property
    def messages_per_tick(self) -> int:
        if self.messages_per_sender_hour == 0:
            return 0
        return max(1, round(self.messages_per_sender_hour * self.activity_minutes / 60))


_RATE_FIELDS = (
    "delivery_rate_complete",
    "delivery_rate_provisioning",
    "reply_rate",
    "opt_out_rate",
)
_WHOLE_LIMITS = {
    "surcharge_cents": (0, 1000),
    "messages_per_sender_hour": (0, 5000),
    "activity_minutes": (1, 60),
    "simulated_senders": (0, 50),
}


def load_parameters(session: Session) -> SendingParameters:
    row = session.get(MessagingParameters, PARAMETERS_ID)
    if row is None:
        return SendingParameters()
    return SendingParameters(**{f.name: getattr(row, f.name) for f in fields(SendingParameters)})


def check_parameters(parameters: SendingParameters) -> SendingParameters:
    for name in _RATE_FIELDS:
        value = getattr(parameters, name)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise InvalidInput("A rate is a share from 0 to 1 (for example 0.97).", field=name)
    if parameters.reply_rate + parameters.opt_out_rate > 1:
        raise InvalidInput(
            "The reply rate and the opt-out rate together cannot exceed 1.", field="reply_rate"
        )
    for name, (low, high) in _WHOLE_LIMITS.items():
        value = getattr(parameters, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidInput(f"Enter a whole number from {low} to {high}.", field=name)
    return parameters


# ---------------------------------------------------------------------- rows
class SendStatus(StrEnum):
    SENT = "sent"
    HELD = "held"


@dataclass(frozen=True)
class SendOutcome:
    """What became of one initial message."""

    conversation_id: int
    status: SendStatus
    at_risk: bool
    continues_thread: bool
    surcharge_cents: int
    held_until: datetime | None


@dataclass(frozen=True)
class ReplyOutcome:
    conversation_id: int
    contact_id: int
    opted_out: bool


@dataclass(frozen=True)
class SendingSummary:
    """The sending figures of one campaign beyond the audience counts."""

    campaign_id: int
    held: int
    sent: int
    delivered: int
    undelivered: int
    replied: int
    at_risk: int
    continued_threads: int
    surcharge_cents: int
    window_status: WindowStatus
    window_message: str


# ---------------------------------------------------------------------- M1, the campaign's part
@dataclass(frozen=True)
class _Gate:
    """Whether a campaign can send now: a refusal, or a hold until a time, or go (at risk?)."""

    refusal: SendingRefused | None
    hold_until: datetime | None
    at_risk: bool
    number: PhoneNumber | None


def _campaign_gate(session: Session, campaign: Campaign, now: datetime) -> _Gate:
    """M1's conditions that depend on the campaign, its number, the account and the clock."""
    if campaign_rules.not_sending_reason(campaign.status) is not None:
        return _Gate(
            CampaignNotActive(
                f"Initial messages go out while the campaign is Active; “{campaign.title}” is "
                f"{campaign.status.label}.",
                field="campaign",
            ),
            None,
            False,
            None,
        )
    account = account_of(session, campaign)
    number = (
        session.get(PhoneNumber, campaign.phone_number_id) if campaign.phone_number_id else None
    )
    at_risk = False
    if number is None or number.provisioning_status is not ProvisioningStatus.COMPLETE:
        if number is None or not (
            number.provisioning_status is ProvisioningStatus.INITIATED
            and not account.provisioning_based_launching
        ):
            label = format_phone(number.e164) if number else "The campaign's number"
            status = number.provisioning_status.label if number else "missing"
            return _Gate(
                NumberStillProvisioning(
                    f"{label} is {status}; initial messages wait until it is Provisioning "
                    "Complete.",
                    field="phone_number",
                ),
                None,
                False,
                number,
            )
        at_risk = True  # C5, M2: sending before the number is complete
    zone = campaign_zone(campaign, account.timezone)
    state = window_state(campaign, zone, now)
    if state.status is WindowStatus.ENDED:
        return _Gate(SendingWindowEnded(state.message, field="end_at"), None, at_risk, number)
    if state.status is WindowStatus.NOT_STARTED:
        return _Gate(None, state.opens_at, at_risk, number)
    if state.status is WindowStatus.OUTSIDE_HOURS:
        return _Gate(
            OutsideSendingHours(state.message, field="sending_hours"), None, at_risk, number
        )
    return _Gate(None, None, at_risk, number)


def _conversation_of(session: Session, campaign: Campaign, conversation_id: object) -> Conversation:
    """The campaign's conversation ``conversation_id``; refused when it is another campaign's
    or does not exist (the id may come from a stale view or a hand-typed file).
    """
    conversation = session.get(
        Conversation, checked_id(conversation_id, "conversation", field="conversation")
    )
    if conversation is None or conversation.campaign_id != campaign.id:
        raise NotFound("That conversation is not part of this campaign.", field="conversation")
    return conversation


def _has_conversations(session: Session, campaign_id: int) -> bool:
    """Whether the campaign has any conversation at all (one indexed row to look for)."""
    found = session.scalar(
        select(Conversation.id).where(Conversation.campaign_id == campaign_id).limit(1)
    )
    return found is not None


def _sendable(campaign_id: int) -> ColumnElement[bool]:
    """M1's conditions on a conversation, as SQL: assigned, not yet sent, contact not opted out.

    Used with a join on Contact; :meth:`MessagingService.send_initial` checks the same three one by
    one to say which failed.
    """
    return and_(
        Conversation.campaign_id == campaign_id,
        Conversation.sender_id.is_not(None),
        Conversation.message_state.in_((MessageState.NOT_SENT, MessageState.HELD)),
        Contact.opted_out_at.is_(None),
    )


def _mark_sent(
    uow: UnitOfWork,
    campaign: Campaign,
    gate: _Gate,
    parameters: SendingParameters,
    conversations: Sequence[tuple[int, int]],
) -> dict[int, bool]:
    """Send the initial messages of ``(conversation_id, contact_id)`` now; answers C18 marks."""
    if not conversations:
        return {}
    session = uow.session
    continued: set[int] = set()
    number = gate.number
    if number is not None and number.kind is NumberKind.DEDICATED:  # C18
        contact_ids = [contact_id for _, contact_id in conversations]
        for start in range(0, len(contact_ids), 5000):
            continued.update(
                session.scalars(
                    select(Conversation.contact_id)
                    .join(Campaign, Conversation.campaign_id == Campaign.id)
                    .where(
                        Campaign.phone_number_id == number.id,
                        Campaign.id != campaign.id,
                        Conversation.sent_at.is_not(None),
                        Conversation.sent_at <= uow.now,
                        Conversation.contact_id.in_(contact_ids[start : start + 5000]),
                    )
                    .distinct()
                )
            )
    surcharge = parameters.surcharge_cents if gate.at_risk else 0
    marks = {
        conversation_id: contact_id in continued for conversation_id, contact_id in conversations
    }
    session.execute(
        update(Conversation),
        [
            {
                "id": conversation_id,
                "message_state": MessageState.SENT,
                "sent_at": uow.now,
                "at_risk": gate.at_risk,
                "continues_thread": marks[conversation_id],
                "surcharge_cents": surcharge,
            }
            for conversation_id, _ in conversations
        ],
    )
    campaign.last_activity_at = uow.now
    uow.changes.add(CONVERSATIONS, account_id=campaign.account_id, campaign_id=campaign.id)
    uow.changes.add(CAMPAIGNS, account_id=campaign.account_id, campaign_id=campaign.id)
    return marks


# ---------------------------------------------------------------------- M3
def apply_replies(
    uow: UnitOfWork, account_id: int, replies: Iterable[tuple[int, int, str]]
) -> set[int]:
    """Record replies ``(conversation_id, contact_id, text)``; opt-out keywords opt the contact
    out of the whole account (M3). Answers the contacts opted out by these replies.
    """
    session = uow.session
    rows = list(replies)
    if not rows:
        return set()
    session.execute(
        update(Conversation),
        [{"id": conversation_id, "reply_text": text} for conversation_id, _, text in rows],
    )
    session.execute(
        update(Conversation)
        .where(
            Conversation.id.in_([conversation_id for conversation_id, _, _ in rows]),
            Conversation.replied_at.is_(None),
        )
        .values(replied_at=uow.now)
        .execution_options(synchronize_session=False)
    )
    stopping = sorted({contact_id for _, contact_id, text in rows if is_opt_out(text)})
    opted: set[int] = set()
    if stopping:
        opted = set(
            session.scalars(
                select(Contact.id).where(
                    Contact.id.in_(stopping),
                    Contact.account_id == account_id,
                    Contact.opted_out_at.is_(None),
                )
            )
        )
        if opted:
            session.execute(
                update(Contact)
                .where(Contact.id.in_(sorted(opted)))
                .values(opted_out_at=uow.now)
                .execution_options(synchronize_session=False)
            )
            for contact_id in sorted(opted):
                uow.record(
                    "contact_opted_out",
                    "contact",
                    contact_id,
                    account_id=account_id,
                    after={"opted_out": True},
                )
    # Every campaign holding these contacts shows new reply or opt-out figures.
    touched = session.scalars(
        select(Conversation.campaign_id)
        .where(Conversation.contact_id.in_(sorted({c for _, c, _ in rows})))
        .distinct()
    )
    for campaign_id in touched:
        uow.changes.add(CONVERSATIONS, account_id=account_id, campaign_id=campaign_id)
    return opted


# ---------------------------------------------------------------------- the service
class MessagingService:
    """M1–M3: sending initial messages, replies and opt-outs, and the sending simulation."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    # ------------------------------------------------------------------ parameters (M2)
    def parameters(self) -> SendingParameters:
        with self._context.store.read() as session:
            return load_parameters(session)

    def set_parameters(self, actor: Actor, **changes: float) -> SendingParameters:
        """Change some of the sending simulation's parameters (an admin's setting)."""
        unknown = sorted(set(changes) - {f.name for f in fields(SendingParameters)})
        if unknown:
            raise InvalidInput(f"There is no sending parameter “{unknown[0]}”.", field=unknown[0])
        with self._context.unit_of_work(actor, Change.CHANGE_SIMULATION) as uow:
            before = load_parameters(uow.session)
            after = check_parameters(replace(before, **changes))  # type: ignore[arg-type]
            row = uow.session.get(MessagingParameters, PARAMETERS_ID)
            if row is None:
                row = MessagingParameters(id=PARAMETERS_ID, **asdict(after))
                uow.session.add(row)
            else:
                for name, value in asdict(after).items():
                    setattr(row, name, value)
            uow.record(
                "sending_parameters_changed",
                "messaging_parameters",
                PARAMETERS_ID,
                account_id=actor.account_id,
                before=asdict(before),
                after=asdict(after),
            )
            uow.changes.add(SIMULATION, account_id=actor.account_id)
            return after

    # ------------------------------------------------------------------ M1
    def send_initial(self, actor: Actor, campaign_id: int, conversation_id: int) -> SendOutcome:
        """M1: the acting sender sends a conversation's initial message, or it is refused.

        Before the start date the message is held and goes out when the window opens (C11).
        """
        with self._context.unit_of_work(actor, Change.SEND_MESSAGES) as uow:
            session = uow.session
            campaign = campaign_in_account(session, actor, campaign_id)
            conversation = _conversation_of(session, campaign, conversation_id)
            gate = _campaign_gate(session, campaign, uow.now)
            if isinstance(gate.refusal, CampaignNotActive):
                raise gate.refusal
            if conversation.sender_id != actor.user_id:
                owner = "Unassigned" if conversation.sender_id is None else "another sender's"
                raise NotAssignedToSender(
                    f"This conversation is {owner}; senders send to their own conversations.",
                    field="conversation",
                )
            if conversation.message_state is not MessageState.NOT_SENT:
                what = (
                    "is held until the window opens"
                    if (conversation.message_state is MessageState.HELD)
                    else "has already been sent"
                )
                raise AlreadySent(
                    f"This conversation's initial message {what}.", field="conversation"
                )
            contact = session.get_one(Contact, conversation.contact_id)
            if contact.opted_out_at is not None:
                raise ContactOptedOut(
                    f"{format_phone(contact.phone)} opted out; it is never messaged again.",
                    field="conversation",
                )
            if gate.refusal is not None:
                raise gate.refusal
            if gate.hold_until is not None:  # C11: held until the window opens
                conversation.message_state = MessageState.HELD
                zone = campaign_zone(campaign, account_of(session, campaign).timezone)
                plan_opening(uow, self._context.jobs, campaign, zone)
                uow.changes.add(
                    CONVERSATIONS, account_id=campaign.account_id, campaign_id=campaign.id
                )
                uow.record(
                    "initial_message_held",
                    "campaign",
                    campaign.id,
                    account_id=campaign.account_id,
                    after={"conversation_id": conversation.id, "until": gate.hold_until},
                )
                return SendOutcome(
                    conversation.id, SendStatus.HELD, False, False, 0, gate.hold_until
                )
            parameters = load_parameters(session)
            marks = _mark_sent(uow, campaign, gate, parameters, [(conversation.id, contact.id)])
            uow.record(
                "initial_message_sent",
                "campaign",
                campaign.id,
                account_id=campaign.account_id,
                after={"conversation_id": conversation.id, "at_risk": gate.at_risk},
            )
            # Its delivery is resolved by the campaign's next tick of simulated activity (M2).
            plan_activity(uow, self._context.jobs, campaign.id, campaign.account_id)
            return SendOutcome(
                conversation.id,
                SendStatus.SENT,
                gate.at_risk,
                marks[conversation.id],
                parameters.surcharge_cents if gate.at_risk else 0,
                None,
            )

    # ------------------------------------------------------------------ M3
    def receive_reply(
        self, actor: Actor, campaign_id: int, conversation_id: int, text: str
    ) -> ReplyOutcome:
        """A contact replies (simulated, or typed by a tester); STOP and the like opt out (M3)."""
        clean = validation.clean_text(
            text, field="reply", label="The reply", max_length=REPLY_MAX, multiline=True
        )
        with self._context.unit_of_work(
            actor, Change.RECORD_REPLIES, actor_label=SIMULATED_CONTACT
        ) as uow:
            session = uow.session
            campaign = campaign_in_account(session, actor, campaign_id)
            conversation = _conversation_of(session, campaign, conversation_id)
            if conversation.message_state not in (MessageState.SENT, MessageState.DELIVERED):
                raise InvalidTransition(
                    "This contact has not received this campaign's message, so it cannot reply.",
                    field="conversation",
                )
            opted = apply_replies(
                uow, campaign.account_id, [(conversation.id, conversation.contact_id, clean)]
            )
            uow.record(
                "reply_received",
                "campaign",
                campaign.id,
                account_id=campaign.account_id,
                after={"conversation_id": conversation.id, "opted_out": bool(opted)},
            )
            return ReplyOutcome(conversation.id, conversation.contact_id, bool(opted))

    # ------------------------------------------------------------------ reads
    def summary(self, actor: Actor, campaign_id: int) -> SendingSummary:
        """Held, sent, delivered, undelivered, replied, at risk, threads and surcharges."""
        with self._context.read(actor) as session:
            campaign = campaign_in_account(session, actor, campaign_id)
            state = Conversation.message_state
            row = session.execute(
                select(
                    func.count(case((state == MessageState.HELD, 1))),
                    func.count(case((state.in_(SENT_STATES), 1))),
                    func.count(case((state == MessageState.DELIVERED, 1))),
                    func.count(case((state == MessageState.UNDELIVERED, 1))),
                    func.count(Conversation.replied_at),
                    func.count(case((Conversation.at_risk.is_(True), 1))),
                    func.count(case((Conversation.continues_thread.is_(True), 1))),
                    func.coalesce(func.sum(Conversation.surcharge_cents), 0),
                ).where(Conversation.campaign_id == campaign.id)
            ).one()
            held, sent, delivered, undelivered, replied, at_risk, threads, cents = (
                int(v) for v in row
            )
            zone = campaign_zone(campaign, account_of(session, campaign).timezone)
            window = window_state(campaign, zone, self._context.clock.now())
            return SendingSummary(
                campaign_id=campaign.id,
                held=held,
                sent=sent,
                delivered=delivered,
                undelivered=undelivered,
                replied=replied,
                at_risk=at_risk,
                continued_threads=threads,
                surcharge_cents=cents,
                window_status=window.status,
                window_message=window.message,
            )

    # ------------------------------------------------------------------ simulation jobs
    def apply_scheduled_start(self, uow: UnitOfWork, job: ScheduledJob) -> None:
        """SCHEDULED_START (C11): the window opens; held initial messages go out."""
        session = uow.session
        campaign = session.get(Campaign, job.subject_id)
        if campaign is None or campaign.status in (CampaignStatus.DRAFT, CampaignStatus.ARCHIVED):
            return
        if campaign.status is CampaignStatus.PAUSED:
            return  # resuming plans the opening again
        if campaign.status is CampaignStatus.LAUNCHING:
            return  # C4: completing provisioning activates it and plans the opening again
        zone = campaign_zone(campaign, account_of(session, campaign).timezone)
        state = window_state(campaign, zone, uow.now)
        if not state.is_open:
            # The window moved since this job was planned: plan its new opening.
            plan_opening(uow, self._context.jobs, campaign, zone, exclude_job_id=job.id)
            return
        if not _has_conversations(session, campaign.id):
            # Nothing is held and nothing can be sent, so a tick would find nothing to do;
            # contacts imported later ask for their own.
            return
        self._release_held(uow, campaign)
        plan_activity(uow, self._context.jobs, campaign.id, campaign.account_id)

    def _release_held(
        self,
        uow: UnitOfWork,
        campaign: Campaign,
        gate: _Gate | None = None,
        parameters: SendingParameters | None = None,
    ) -> int:
        session = uow.session
        if gate is None:
            gate = _campaign_gate(session, campaign, uow.now)
        if gate.refusal is not None or gate.hold_until is not None:
            return 0
        held = session.execute(
            select(Conversation.id, Conversation.contact_id, Contact.opted_out_at)
            .join(Contact, Conversation.contact_id == Contact.id)
            .where(
                Conversation.campaign_id == campaign.id,
                Conversation.message_state == MessageState.HELD,
            )
            .order_by(Conversation.id)
        ).all()
        if not held:
            return 0
        # M3: a contact who opted out while the message waited is never messaged.
        dropped = [conversation_id for conversation_id, _, opted in held if opted is not None]
        if dropped:
            session.execute(
                update(Conversation)
                .where(Conversation.id.in_(dropped))
                .values(message_state=MessageState.NOT_SENT)
                .execution_options(synchronize_session=False)
            )
        going = [(cid, contact_id) for cid, contact_id, opted in held if opted is None]
        if parameters is None:
            parameters = load_parameters(session)
        _mark_sent(uow, campaign, gate, parameters, going)
        if going:
            uow.record(
                "held_messages_sent",
                "campaign",
                campaign.id,
                account_id=campaign.account_id,
                after={"sent": len(going), "dropped_opted_out": len(dropped)},
            )
        return len(going)

    def apply_activity(self, uow: UnitOfWork, job: ScheduledJob) -> None:
        """SIMULATED_ACTIVITY: one tick of a campaign's simulated senders and contacts."""
        session = uow.session
        campaign = session.get(Campaign, job.subject_id)
        if campaign is None:
            return
        jobs = self._context.jobs
        if campaign.status is not CampaignStatus.ACTIVE:
            # Launching, paused, back in Draft or archived: whatever makes it Active again
            # (provisioning complete, resume, a new launch) plans the window's opening anew.
            return
        if not _has_conversations(session, campaign.id):
            # No contacts: nothing to deliver, send or assign, and no tick to plan (as
            # _next_tick would conclude, at the cost of a dozen queries).
            return
        parameters = load_parameters(session)
        rng = random.Random(f"{run_seed(session)}:{job.id}")
        self._resolve_deliveries(uow, campaign, parameters, rng)
        self._simulate_team(uow, campaign, parameters, rng)
        gate = _campaign_gate(session, campaign, uow.now)
        if gate.refusal is None and gate.hold_until is None:
            self._release_held(uow, campaign, gate, parameters)
            self._simulate_sending(uow, campaign, gate, parameters)
        following = self._next_tick(uow, campaign, gate, parameters)
        if following is not None:
            plan_activity(
                uow, jobs, campaign.id, campaign.account_id, following, exclude_job_id=job.id
            )

    def _resolve_deliveries(
        self,
        uow: UnitOfWork,
        campaign: Campaign,
        parameters: SendingParameters,
        rng: random.Random,
    ) -> None:
        """M2: what was sent before this tick is delivered or not; some contacts reply (M3)."""
        session = uow.session
        sent = session.execute(
            select(
                Conversation.id, Conversation.contact_id, Conversation.sent_at, Conversation.at_risk
            )
            .where(
                Conversation.campaign_id == campaign.id,
                Conversation.message_state == MessageState.SENT,
                Conversation.sent_at < uow.now,
            )
            .order_by(Conversation.id)
            .limit(TICK_LIMIT)
        ).all()
        if not sent:
            return
        outcomes: list[dict[str, object]] = []
        replies: list[tuple[int, int, str]] = []
        for conversation_id, contact_id, sent_at, at_risk in sent:
            rate = (
                parameters.delivery_rate_provisioning
                if at_risk
                else parameters.delivery_rate_complete
            )
            if rng.random() < rate:
                delay = timedelta(seconds=rng.randint(2, 90))
                outcomes.append(
                    {
                        "id": conversation_id,
                        "message_state": MessageState.DELIVERED,
                        "delivered_at": min((sent_at or uow.now) + delay, uow.now),
                    }
                )
                draw = rng.random()
                if draw < parameters.opt_out_rate:
                    replies.append((conversation_id, contact_id, rng.choice(_SIMULATED_OPT_OUTS)))
                elif draw < parameters.opt_out_rate + parameters.reply_rate:
                    replies.append((conversation_id, contact_id, rng.choice(_SIMULATED_REPLIES)))
            else:
                outcomes.append({"id": conversation_id, "message_state": MessageState.UNDELIVERED})
        session.execute(update(Conversation), outcomes)
        apply_replies(uow, campaign.account_id, replies)
        uow.changes.add(CONVERSATIONS, account_id=campaign.account_id, campaign_id=campaign.id)

    def _simulate_team(
        self,
        uow: UnitOfWork,
        campaign: Campaign,
        parameters: SendingParameters,
        rng: random.Random,
    ) -> None:
        """C14, C15: simulated senders join through the link and request batches when idle."""
        session = uow.session
        if not campaign.self_assign or campaign.unassigned_count == 0:
            return
        link = enabled_link(session, campaign.id)
        senders = self._workloads(session, campaign.id)
        if link is not None and len(senders) < parameters.simulated_senders and rng.random() < 0.7:
            user = self._simulated_sender(uow, campaign)
            join_in(uow, user, link.token)
            senders.append((user.id, 0))
        if parameters.messages_per_tick == 0:
            return  # senders are driven by hand: they request their own batches
        for user_id, unsent in senders:
            if unsent > 0:
                continue
            try:
                request_batch_in(uow, campaign, user_id)
            except NoConversationsAvailable:
                break

    @staticmethod
    def _workloads(session: Session, campaign_id: int) -> list[tuple[int, int]]:
        """Each sender of the campaign with how many conversations they still have to send."""
        unsent = (
            select(func.count(Conversation.id))
            .where(
                Conversation.campaign_id == campaign_id,
                Conversation.sender_id == CampaignSender.user_id,
                Conversation.message_state.in_((MessageState.NOT_SENT, MessageState.HELD)),
            )
            .correlate(CampaignSender)
            .scalar_subquery()
        )
        return [
            (int(user_id), int(count))
            for user_id, count in session.execute(
                select(CampaignSender.user_id, unsent)
                .where(CampaignSender.campaign_id == campaign_id)
                .order_by(CampaignSender.added_at, CampaignSender.id)
            )
        ]

    @staticmethod
    def _simulated_sender(uow: UnitOfWork, campaign: Campaign) -> User:
        """The next sender of the account not on the campaign; a new one when all are."""
        session = uow.session
        on_campaign = select(CampaignSender.user_id).where(
            CampaignSender.campaign_id == campaign.id
        )
        user = session.scalar(
            select(User)
            .where(
                User.account_id == campaign.account_id,
                User.role == Role.SENDER,
                User.id.not_in(on_campaign),
            )
            .order_by(User.id)
            .limit(1)
        )
        if user is not None:
            return user
        count = session.scalar(
            select(func.count(User.id)).where(
                User.account_id == campaign.account_id, User.role == Role.SENDER
            )
        )
        number = int(count or 0) + 1
        user = User(
            account_id=campaign.account_id,
            name=f"Texter {number}",
            email=f"texter{number}.{campaign.account_id}@example.invalid",
            role=Role.SENDER,
            created_at=uow.now,
        )
        session.add(user)
        session.flush()
        uow.record(
            "user_added",
            "user",
            user.id,
            account_id=campaign.account_id,
            after={"name": user.name, "role": Role.SENDER, "simulated": True},
        )
        uow.changes.add(ACCOUNTS, account_id=campaign.account_id)
        return user

    def _simulate_sending(
        self, uow: UnitOfWork, campaign: Campaign, gate: _Gate, parameters: SendingParameters
    ) -> None:
        """M1: each sender sends up to their pace from their own sendable conversations."""
        session = uow.session
        chosen: list[tuple[int, int]] = []
        if parameters.messages_per_tick == 0:
            return
        for user_id, unsent in self._workloads(session, campaign.id):
            if unsent == 0 or len(chosen) >= TICK_LIMIT:
                continue
            quota = min(parameters.messages_per_tick, TICK_LIMIT - len(chosen))
            chosen.extend(
                (int(cid), int(contact_id))
                for cid, contact_id in session.execute(
                    select(Conversation.id, Conversation.contact_id)
                    .join(Contact, Conversation.contact_id == Contact.id)
                    .where(_sendable(campaign.id), Conversation.sender_id == user_id)
                    .order_by(Conversation.id)
                    .limit(quota)
                )
            )
        _mark_sent(uow, campaign, gate, parameters, chosen)

    def _next_tick(
        self, uow: UnitOfWork, campaign: Campaign, gate: _Gate, parameters: SendingParameters
    ) -> datetime | None:
        """When the campaign's activity should look again; None when it has nothing to do."""
        session = uow.session
        step = uow.now + timedelta(minutes=parameters.activity_minutes)
        session.flush()
        awaiting_delivery = session.scalar(
            select(Conversation.id)
            .where(
                Conversation.campaign_id == campaign.id,
                Conversation.message_state == MessageState.SENT,
            )
            .limit(1)
        )
        if awaiting_delivery is not None:
            return step
        if isinstance(gate.refusal, SendingWindowEnded):
            return None
        to_send = (
            session.scalar(
                select(Conversation.id)
                .join(Contact, Conversation.contact_id == Contact.id)
                .where(_sendable(campaign.id))
                .limit(1)
            )
            if parameters.messages_per_tick
            else None
        )
        if to_send is None and not self._team_work(session, campaign, parameters):
            return None
        if gate.refusal is None and gate.hold_until is None:
            return step
        if isinstance(gate.refusal, NumberStillProvisioning) or to_send is None:
            return step  # joining and requesting go on at any hour
        zone = campaign_zone(campaign, account_of(session, campaign).timezone)
        return next_opening(campaign, zone, uow.now)

    def _team_work(
        self, session: Session, campaign: Campaign, parameters: SendingParameters
    ) -> bool:
        """Whether a simulated sender could still join or an idle one request a batch."""
        if not campaign.self_assign or campaign.unassigned_count == 0:
            return False
        if enabled_link(session, campaign.id) is None:
            return False
        workloads = self._workloads(session, campaign.id)
        return len(workloads) < parameters.simulated_senders or (
            parameters.messages_per_tick > 0 and any(unsent == 0 for _, unsent in workloads)
        )
