"""A1, A2: who may ask the services for a change.

Every change an actor asks for is checked in one place, the unit of work that makes it: the actor
must be a user of the account it acts in (A2, refused as an N12 breach is: not found), and a user
with the sender role may only request conversations, follow an invite link and send (A1). Each
call a sender must not make is listed here with the words of its refusal; a meta-test keeps the
list complete.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.snapshots import Unchanged
from tests.unit.services.helpers import (
    active_on_dedicated,
    complete_dedicated,
    fail,
    launch_single_use,
)
from tests.unit.services.teamwork_helpers import (
    add_sender_users,
    contacts_csv,
    conversation_ids,
    manual_sending,
)
from thrudesk.models import Campaign
from thrudesk.models.enums import NumberMode, Role
from thrudesk.services.campaigns import ONE_STATEMENT_DEPTH, FollowupTargeting
from thrudesk.services.container import Services
from thrudesk.services.errors import NotFound, PermissionDenied, ThrudeskError
from thrudesk.services.numbers import DedicatedNumberRequest
from thrudesk.services.rows import CampaignSortKey
from thrudesk.services.starter import StarterAccount, create_starter_account
from thrudesk.services.unit_of_work import SENDERS_MAY, Actor, Change

ACCOUNT = "Cascade Civic Alliance"


@dataclass(frozen=True)
class Cascade:
    """An account with something for every change to act on, by id."""

    account: StarterAccount
    sender: Actor  # a sender of ``active``, who has sent ``sent``
    newcomer: int  # a user with the sender role on no campaign
    spare_number: int  # complete, dedicated, on no campaign
    active: int  # Active, with contacts
    draft: int  # Draft, Self Assign on (so it has an invite link)
    paused: int
    failed: int  # its single-use number was rejected (C1)
    sent: int  # a conversation of ``active`` whose message went out
    notification: int  # the admin's
    folder: Path

    @property
    def admin(self) -> Actor:
        return self.account.actor


@pytest.fixture
def cascade(thrudesk_services: Services, tmp_path: Path) -> Cascade:
    services = thrudesk_services
    account = create_starter_account(services, ACCOUNT, admin_name="Maya Chen")
    admin = account.actor
    manual_sending(services, account)
    spare = complete_dedicated(services, account, "Bay office")
    line = complete_dedicated(services, account, "Main line")
    active = active_on_dedicated(services, account, line.id, "Turnout")
    services.contacts.import_csv(admin, active, contacts_csv(tmp_path / "turnout.csv", 3))
    sender, newcomer = add_sender_users(services, account, 2)
    services.senders.add(admin, active, [sender.user_id])
    sent = conversation_ids(services, active, sender.user_id)[0]
    services.messaging.send_initial(sender, active, sent)
    # Left Unassigned, for a sender to request (C14).
    services.contacts.import_csv(admin, active, contacts_csv(tmp_path / "more.csv", 2, start=9))
    paused = active_on_dedicated(services, account, line.id, "Resting")
    services.campaigns.pause(admin, paused)
    draft = services.campaigns.create(
        admin, "Canvass", area_codes=["415"], use_case_id=account.use_case_id
    )
    services.senders.set_self_assign(admin, draft, True)
    failed = launch_single_use(services, account, "Rejected")
    with services.store.read() as session:
        number_id = session.scalar(select(Campaign.phone_number_id).where(Campaign.id == failed))
    assert number_id is not None
    fail(services, number_id)
    return Cascade(
        account=account,
        sender=sender,
        newcomer=newcomer.user_id,
        spare_number=spare.id,
        active=active,
        draft=draft,
        paused=paused,
        failed=failed,
        sent=sent,
        notification=services.notifications.list(admin)[0].id,
        folder=tmp_path,
    )


Call = Callable[[Services, Actor, Cascade], object]

# Every change a sender must not ask for: the words of its refusal, and a call that asks for it.
ADMINS_ONLY: dict[str, tuple[Change, Call]] = {
    "numbers.create_dedicated": (
        Change.ADD_NUMBERS,
        lambda s, a, c: s.numbers.create_dedicated(a, ["415"], c.account.use_case_id, "Annex"),
    ),
    "numbers.create_dedicated_many": (
        Change.ADD_NUMBERS,
        lambda s, a, c: s.numbers.create_dedicated_many(
            [DedicatedNumberRequest(a, ["415"], c.account.use_case_id)]
        ),
    ),
    "numbers.rename": (
        Change.RENAME_NUMBERS,
        lambda s, a, c: s.numbers.rename(a, c.spare_number, "Annex"),
    ),
    "numbers.delete": (
        Change.DELETE_NUMBERS,
        lambda s, a, c: s.numbers.delete(a, c.spare_number),
    ),
    "hard_to_get.request": (
        Change.REQUEST_HARD_TO_GET,
        lambda s, a, c: s.hard_to_get.request(a, "907", c.account.use_case_id),
    ),
    "campaigns.create": (
        Change.CREATE_CAMPAIGNS,
        lambda s, a, c: s.campaigns.create(a, "Mine"),
    ),
    "campaigns.edit_draft": (
        Change.EDIT_CAMPAIGNS,
        lambda s, a, c: s.campaigns.edit_draft(a, c.draft, title="Mine"),
    ),
    "campaigns.launch": (
        Change.LAUNCH_CAMPAIGNS,
        lambda s, a, c: s.campaigns.launch(a, c.draft, NumberMode.DEDICATED, c.spare_number),
    ),
    "campaigns.pause": (
        Change.PAUSE_CAMPAIGNS,
        lambda s, a, c: s.campaigns.pause(a, c.active),
    ),
    "campaigns.resume": (
        Change.RESUME_CAMPAIGNS,
        lambda s, a, c: s.campaigns.resume(a, c.paused),
    ),
    "campaigns.archive": (
        Change.ARCHIVE_CAMPAIGNS,
        lambda s, a, c: s.campaigns.archive(a, c.active),
    ),
    "campaigns.clone": (
        Change.CLONE_CAMPAIGNS,
        lambda s, a, c: s.campaigns.clone(a, c.active),
    ),
    "campaigns.clone_and_archive": (
        Change.CLONE_CAMPAIGNS,
        lambda s, a, c: s.campaigns.clone_and_archive(a, c.failed),
    ),
    "campaigns.create_followup": (
        Change.CREATE_FOLLOWUPS,
        lambda s, a, c: s.campaigns.create_followup(
            a, c.active, title="Nudge", message="Hi", expires_at=s.clock.now() + timedelta(days=1)
        ),
    ),
    "sending_window.set_start": (
        Change.CHANGE_SENDING_WINDOWS,
        lambda s, a, c: s.sending_window.set_start(a, c.active, s.clock.now() + timedelta(days=1)),
    ),
    "sending_window.set_end": (
        Change.CHANGE_SENDING_WINDOWS,
        lambda s, a, c: s.sending_window.set_end(a, c.active, s.clock.now() + timedelta(days=9)),
    ),
    "sending_window.set_sending_hours": (
        Change.CHANGE_SENDING_WINDOWS,
        lambda s, a, c: s.sending_window.set_sending_hours(a, c.active, time(8), time(20)),
    ),
    "sending_window.set_timezone": (
        Change.CHANGE_SENDING_WINDOWS,
        lambda s, a, c: s.sending_window.set_timezone(a, c.active, "America/Denver"),
    ),
    "senders.add": (
        Change.MANAGE_SENDERS,
        lambda s, a, c: s.senders.add(a, c.active, [c.newcomer]),
    ),
    "senders.remove": (
        Change.MANAGE_SENDERS,
        lambda s, a, c: s.senders.remove(a, c.active, c.sender.user_id),
    ),
    "senders.set_self_assign": (
        Change.SWITCH_SELF_ASSIGN,
        lambda s, a, c: s.senders.set_self_assign(a, c.active, True),
    ),
    "senders.set_batch_size": (
        Change.CHANGE_BATCH_SIZES,
        lambda s, a, c: s.senders.set_batch_size(a, c.active, 10),
    ),
    "senders.enable_invite_link": (
        Change.MANAGE_INVITE_LINKS,
        lambda s, a, c: s.senders.enable_invite_link(a, c.draft),
    ),
    "senders.disable_invite_link": (
        Change.MANAGE_INVITE_LINKS,
        lambda s, a, c: s.senders.disable_invite_link(a, c.draft),
    ),
    "contacts.import_csv": (
        Change.IMPORT_CONTACTS,
        lambda s, a, c: s.contacts.import_csv(a, c.draft, contacts_csv(c.folder / "in.csv", 2)),
    ),
    "contacts.import_csv_apart": (
        Change.IMPORT_CONTACTS,
        lambda s, a, c: s.contacts.import_csv_apart(
            a, c.draft, contacts_csv(c.folder / "apart.csv", 2)
        ),
    ),
    "contacts.finish_import": (
        Change.IMPORT_CONTACTS,
        lambda s, a, c: s.contacts.finish_import(a, c.active),
    ),
    "contacts.export_csv": (
        Change.EXPORT_CONTACTS,
        lambda s, a, c: s.contacts.export_csv(a, c.active, c.folder / "out.csv"),
    ),
    "messaging.receive_reply": (
        Change.RECORD_REPLIES,
        lambda s, a, c: s.messaging.receive_reply(a, c.active, c.sent, "Count me in"),
    ),
    "messaging.set_parameters": (
        Change.CHANGE_SIMULATION,
        lambda s, a, c: s.messaging.set_parameters(a, reply_rate=0.5),
    ),
    "accounts.set_provisioning_based_launching": (
        Change.CHANGE_SETTINGS,
        lambda s, a, c: s.accounts.set_provisioning_based_launching(a, False),
    ),
    "accounts.set_default_batch_size": (
        Change.CHANGE_SETTINGS,
        lambda s, a, c: s.accounts.set_default_batch_size(a, 120),
    ),
    "notifications.mark_read": (
        Change.READ_NOTIFICATIONS,
        lambda s, a, c: s.notifications.mark_read(a, c.notification),
    ),
    "notifications.mark_all_read": (
        Change.READ_NOTIFICATIONS,
        lambda s, a, c: s.notifications.mark_all_read(a),
    ),
}


def _join_link(services: Services, cascade: Cascade) -> str:
    invite = services.senders.team(cascade.admin, cascade.draft).invite
    assert invite is not None
    return invite.token


def _unsent(services: Services, cascade: Cascade) -> int:
    """A conversation of ``active`` assigned to its sender, not yet sent."""
    return conversation_ids(services, cascade.active, cascade.sender.user_id)[1]


# What a sender may ask for too (C14, C15, M1); each rule then says which sender may.
SENDERS_TOO: dict[str, Call] = {
    "senders.join": lambda s, a, c: s.senders.join(a, _join_link(s, c)),
    "senders.request_batch": lambda s, a, c: s.senders.request_batch(a, c.active),
    "messaging.send_initial": lambda s, a, c: s.messaging.send_initial(a, c.active, _unsent(s, c)),
}


def _hard_to_get_request(services: Services, cascade: Cascade) -> int:
    """A request of the account's admin, for its support desk (N7)."""
    return services.hard_to_get.request(cascade.admin, "907", cascade.account.use_case_id).id


# The methods that take an actor and change nothing, each with a call that reads through it.
READS: dict[str, Call] = {
    "accounts.user": lambda s, a, c: s.accounts.user(a, c.admin.user_id),
    "accounts.users": lambda s, a, c: s.accounts.users(a),
    "campaigns.count": lambda s, a, c: s.campaigns.count(a),
    "campaigns.details": lambda s, a, c: s.campaigns.details(a, c.active),
    "campaigns.followup_audience_size": lambda s, a, c: s.campaigns.followup_audience_size(
        a, c.active, FollowupTargeting()
    ),
    "campaigns.id_at": lambda s, a, c: s.campaigns.id_at(a, 0),
    "campaigns.index": lambda s, a, c: s.campaigns.index(a),
    "campaigns.index_row": lambda s, a, c: s.campaigns.index_row(a, c.active),
    "campaigns.index_rows": lambda s, a, c: s.campaigns.index_rows(a, [c.active, c.draft]),
    "campaigns.launch_advisory": lambda s, a, c: s.campaigns.launch_advisory(a),
    "campaigns.launch_options": lambda s, a, c: s.campaigns.launch_options(a, c.draft),
    "campaigns.clone_title": lambda s, a, c: s.campaigns.clone_title(a, c.draft),
    "contacts.conversations": lambda s, a, c: s.contacts.conversations(a, c.active),
    "contacts.field_names": lambda s, a, c: s.contacts.field_names(a, c.active),
    "contacts.field_values": lambda s, a, c: s.contacts.field_values(a, c.active, "ward"),
    "events.for_campaign": lambda s, a, c: s.events.for_campaign(a, c.active),
    "events.for_number": lambda s, a, c: s.events.for_number(a, c.spare_number),
    "hard_to_get.all": lambda s, a, c: s.hard_to_get.all(a),
    "hard_to_get.get": lambda s, a, c: s.hard_to_get.get(a, _hard_to_get_request(s, c)),
    "hard_to_get.list": lambda s, a, c: s.hard_to_get.list(a),
    "messaging.summary": lambda s, a, c: s.messaging.summary(a, c.active),
    "notifications.list": lambda s, a, c: s.notifications.list(a),
    "notifications.unread_count": lambda s, a, c: s.notifications.unread_count(a),
    "numbers.dedicated_usage": lambda s, a, c: s.numbers.dedicated_usage(a),
    "numbers.get": lambda s, a, c: s.numbers.get(a, c.spare_number),
    "numbers.id_at": lambda s, a, c: s.numbers.id_at(a, 0),
    "numbers.page": lambda s, a, c: s.numbers.page(a),
    "numbers.provisioning_count": lambda s, a, c: s.numbers.provisioning_count(a),
    "numbers.rows": lambda s, a, c: s.numbers.rows(a, [c.spare_number]),
    "numbers.use_cases": lambda s, a, c: s.numbers.use_cases(a),
    "senders.invite_link": lambda s, a, c: s.senders.invite_link(a, c.draft),
    "senders.team": lambda s, a, c: s.senders.team(a, c.draft),
    "sending_window.window": lambda s, a, c: s.sending_window.window(a, c.active),
}

# Reads that take another way to the store with other arguments: each way is tried too.
READ_WAYS: dict[str, Call] = {
    "campaigns.id_at filtered": lambda s, a, c: s.campaigns.id_at(a, 0, text="Turn"),
    "campaigns.id_at by status": lambda s, a, c: s.campaigns.id_at(
        a, 0, sort=CampaignSortKey.STATUS
    ),
    "campaigns.index by status": lambda s, a, c: s.campaigns.index(
        a, sort=CampaignSortKey.STATUS, offset=ONE_STATEMENT_DEPTH
    ),
    "campaigns.index deep": lambda s, a, c: s.campaigns.index(a, offset=ONE_STATEMENT_DEPTH),
    "campaigns.index filtered": lambda s, a, c: s.campaigns.index(a, text="Turn"),
    "campaigns.index_rows of none": lambda s, a, c: s.campaigns.index_rows(a, []),
    "numbers.id_at filtered": lambda s, a, c: s.numbers.id_at(a, 0, text="Bay"),
    "numbers.page filtered": lambda s, a, c: s.numbers.page(a, text="Bay"),
    "numbers.rows of none": lambda s, a, c: s.numbers.rows(a, []),
}


@pytest.mark.parametrize("call", list(ADMINS_ONLY))
def test_a1_a_sender_is_refused_every_change_only_admins_make(
    thrudesk_services: Services, cascade: Cascade, unchanged: Unchanged, call: str
) -> None:
    change, make = ADMINS_ONLY[call]
    with unchanged(), pytest.raises(PermissionDenied) as refused:
        make(thrudesk_services, cascade.sender, cascade)
    assert refused.value.message == f"Only an admin of {ACCOUNT} can {change}."
    assert not (cascade.folder / "out.csv").exists()
    # The very same call is the admin's to make: the refusal was the sender's role.
    make(thrudesk_services, cascade.admin, cascade)


def test_a1_a_sender_cannot_delete_a_dedicated_number(
    thrudesk_services: Services, cascade: Cascade, unchanged: Unchanged
) -> None:
    with unchanged(), pytest.raises(PermissionDenied) as refused:
        thrudesk_services.numbers.delete(cascade.sender, cascade.spare_number)
    assert refused.value.message == "Only an admin of Cascade Civic Alliance can delete numbers."
    assert thrudesk_services.numbers.get(cascade.admin, cascade.spare_number).released_at is None


@pytest.mark.parametrize("call", list(SENDERS_TOO))
def test_a1_a_sender_may_request_conversations_follow_an_invite_link_and_send(
    thrudesk_services: Services, cascade: Cascade, call: str
) -> None:
    thrudesk_services.senders.set_self_assign(cascade.admin, cascade.active, True)
    SENDERS_TOO[call](thrudesk_services, cascade.sender, cascade)


def test_a1_every_change_a_sender_may_not_make_is_listed() -> None:
    listed = {change for change, _ in ADMINS_ONLY.values()}
    assert set(Change) - SENDERS_MAY - listed == set()
    assert {
        Change.REQUEST_CONVERSATIONS,
        Change.FOLLOW_INVITE_LINKS,
        Change.SEND_MESSAGES,
    } == SENDERS_MAY


def test_a1_every_service_method_that_takes_an_actor_is_listed(
    thrudesk_services: Services,
) -> None:
    """A new method that takes an actor goes into ADMINS_ONLY, SENDERS_TOO or READS."""
    services = thrudesk_services
    known = set(ADMINS_ONLY) | set(SENDERS_TOO) | set(READS)
    found: set[str] = set()
    for name in SERVICES:
        found |= _methods_with_actor(name, getattr(services, name))
    assert found - known == set(), "list these in ADMINS_ONLY, SENDERS_TOO or READS"
    assert known - found == set(), "these are no service methods that take an actor"


SERVICES = (
    "accounts",
    "campaigns",
    "contacts",
    "events",
    "hard_to_get",
    "messaging",
    "notifications",
    "numbers",
    "senders",
    "sending_window",
)


def _methods_with_actor(name: str, service: object) -> set[str]:
    """The public methods of ``service`` that take an actor (or requests that name theirs), but
    not a session or a unit of work: those work inside their caller's, which has checked it.
    """
    found = set()
    for method, function in inspect.getmembers(type(service), inspect.isfunction):
        parameters = set(inspect.signature(function).parameters)
        acting = parameters & {"actor", "requests"} and not parameters & {"session", "uow"}
        if acting and not method.startswith("_"):
            found.add(f"{name}.{method}")
    return found


# ---------------------------------------------------------------------- A2
@pytest.fixture
def harbor(thrudesk_services: Services) -> StarterAccount:
    harbor = create_starter_account(thrudesk_services, "Harbor Tenants", admin_name="Ruth Alvarez")
    thrudesk_services.accounts.add_user(
        harbor.account_id, "Kofi Mensah", "kofi@harbortenants.org", Role.SENDER
    )
    return harbor


@pytest.mark.parametrize("call", [*ADMINS_ONLY, *SENDERS_TOO])
def test_a2_a_user_of_another_account_cannot_act_in_this_one(
    thrudesk_services: Services,
    cascade: Cascade,
    harbor: StarterAccount,
    unchanged: Unchanged,
    call: str,
) -> None:
    """Cascade's account with Harbor's admin: refused as any N12 breach, not found."""
    stranger = Actor(account_id=cascade.account.account_id, user_id=harbor.admin_id)
    make = ADMINS_ONLY[call][1] if call in ADMINS_ONLY else SENDERS_TOO[call]
    with unchanged(), pytest.raises(NotFound) as refused:
        make(thrudesk_services, stranger, cascade)
    assert refused.value.message == "That user does not exist in this account."
    assert not (cascade.folder / "out.csv").exists()


def test_a2_another_accounts_admin_does_not_become_the_initiator_of_a_number(
    thrudesk_services: Services, cascade: Cascade, harbor: StarterAccount, unchanged: Unchanged
) -> None:
    numbers = thrudesk_services.numbers
    stranger = Actor(account_id=cascade.account.account_id, user_id=harbor.admin_id)
    with unchanged(), pytest.raises(NotFound, match="That user does not exist in this account"):
        numbers.create_dedicated(stranger, ["415"], cascade.account.use_case_id, "Annex")
    # Several admins at once (a bulk start): one stranger refuses them all.
    requests = [
        DedicatedNumberRequest(cascade.admin, ["415"], cascade.account.use_case_id),
        DedicatedNumberRequest(stranger, ["415"], cascade.account.use_case_id),
    ]
    with unchanged(), pytest.raises(NotFound, match="That user does not exist in this account"):
        numbers.create_dedicated_many(requests)


@pytest.mark.parametrize(
    "stranger",
    [
        pytest.param(lambda c: Actor(c.account.account_id, 999_999), id="no such user"),
        pytest.param(lambda c: Actor(999_999, c.admin.user_id), id="no such account"),
        pytest.param(
            lambda c: Actor(c.account.account_id, str(c.admin.user_id)),  # type: ignore[arg-type]
            id="user id as text",
        ),
        pytest.param(
            lambda c: Actor(float(c.account.account_id), c.admin.user_id),  # type: ignore[arg-type]
            id="account id as a float",
        ),
    ],
)
@pytest.mark.parametrize("call", ["numbers.delete", "campaigns.archive", "senders.request_batch"])
def test_a2_an_actor_that_is_no_user_of_its_account_is_refused(
    thrudesk_services: Services,
    cascade: Cascade,
    unchanged: Unchanged,
    stranger: Callable[[Cascade], Actor],
    call: str,
) -> None:
    make = ADMINS_ONLY[call][1] if call in ADMINS_ONLY else SENDERS_TOO[call]
    with unchanged(), pytest.raises(ThrudeskError) as refused:
        make(thrudesk_services, stranger(cascade), cascade)
    assert isinstance(refused.value, NotFound), refused.value.message


# ---------------------------------------------------------------------- A2 for reads
STRANGERS: dict[str, Callable[[Cascade, StarterAccount], Actor]] = {
    "a user of another account": lambda c, h: Actor(c.account.account_id, h.admin_id),
    "no such user": lambda c, h: Actor(c.account.account_id, 99_999),
}


@pytest.mark.parametrize("stranger", list(STRANGERS))
@pytest.mark.parametrize("call", [*READS, *READ_WAYS])
def test_a2_a_user_of_another_account_cannot_read_this_one(
    thrudesk_services: Services,
    cascade: Cascade,
    harbor: StarterAccount,
    stranger: str,
    call: str,
) -> None:
    """Cascade's account with Harbor's admin, or with no user at all: refused as any N12
    breach, before and after the account's own admin has read the same.
    """
    read = READS[call] if call in READS else READ_WAYS[call]
    actor = STRANGERS[stranger](cascade, harbor)
    with pytest.raises(NotFound) as refused:
        read(thrudesk_services, actor, cascade)
    assert (refused.value.message, refused.value.field) == (
        "That user does not exist in this account.",
        "user",
    )
    # The very same call is the admin's to make: the refusal was the actor's.
    read(thrudesk_services, cascade.admin, cascade)
    with pytest.raises(NotFound, match="That user does not exist in this account"):
        read(thrudesk_services, actor, cascade)


def test_a2_every_read_that_takes_an_actor_is_tried(thrudesk_services: Services) -> None:
    """A new read that takes an actor goes into READS, and so into the test above."""
    found: set[str] = set()
    for name in SERVICES:
        found |= _methods_with_actor(name, getattr(thrudesk_services, name))
    assert found - set(ADMINS_ONLY) - set(SENDERS_TOO) == set(READS)
    assert {way.split(" ")[0] for way in READ_WAYS} <= set(READS)


@pytest.mark.parametrize(
    "stranger",
    [
        pytest.param(lambda c, h: Actor(c.account.account_id, h.admin_id), id="Harbor's admin"),
        pytest.param(lambda c, h: Actor(h.account_id, c.admin.user_id), id="in Harbor"),
        pytest.param(
            lambda c, h: Actor(float(c.account.account_id), c.admin.user_id),  # type: ignore[arg-type]
            id="account id as a float",
        ),
        pytest.param(
            lambda c, h: Actor(c.account.account_id, str(c.admin.user_id)),  # type: ignore[arg-type]
            id="user id as text",
        ),
        pytest.param(lambda c, h: Actor(c.account.account_id, True), id="user id as a bool"),
    ],
)
def test_a2_a_user_remembered_as_a_reader_lets_no_other_pair_read(
    thrudesk_services: Services,
    cascade: Cascade,
    harbor: StarterAccount,
    stranger: Callable[[Cascade, StarterAccount], Actor],
) -> None:
    """Both admins have read their own accounts; no other pairing of their ids reads either."""
    campaigns = thrudesk_services.campaigns
    assert campaigns.count(cascade.admin) == 4
    assert campaigns.count(harbor.actor) == 0
    with pytest.raises(NotFound, match="That user does not exist in this account"):
        campaigns.count(stranger(cascade, harbor))


def test_a2_reads_on_many_threads_keep_each_user_to_their_account(
    thrudesk_services: Services, cascade: Cascade, harbor: StarterAccount
) -> None:
    campaigns = thrudesk_services.campaigns
    actors = [
        cascade.admin,
        Actor(cascade.account.account_id, harbor.admin_id),
        cascade.sender,
        Actor(harbor.account_id, cascade.sender.user_id),
        harbor.actor,
        Actor(cascade.account.account_id, 99_999),
    ]

    def reads(actor: Actor) -> bool:
        try:
            campaigns.count(actor)
        except NotFound:
            return False
        return True

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(reads, actors * 40))
    assert answers == [True, False, True, False, True, False] * 40
