"""R5: account isolation through every service, and files readable by their owner alone.

Every public service method that takes an actor and the id of a campaign, a number, a request, a
notification, a conversation or a user is called here by one account's admin with the other
account's id: each must answer "not found" and write nothing (N12). A meta-test keeps the table
complete: a new method of that shape must be added to it.
"""

from __future__ import annotations

import inspect
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from tests.snapshots import Unchanged
from tests.unit.services.helpers import active_on_dedicated, complete_dedicated
from tests.unit.services.teamwork_helpers import contacts_csv
from thrudesk.logs import configure_logging
from thrudesk.models.enums import Role
from thrudesk.services.campaigns import FollowupTargeting
from thrudesk.services.container import Services
from thrudesk.services.errors import NotFound, ThrudeskError
from thrudesk.services.starter import StarterAccount, create_starter_account
from thrudesk.services.store import open_store, url_for_path
from thrudesk.services.unit_of_work import Actor


@dataclass(frozen=True)
class Theirs:
    """The other account's things, by id."""

    campaign: int
    number: int
    request: int
    notification: int
    conversation: int
    user: int
    folder: Path


Call = Callable[[Services, Actor, Theirs], object]

CALLS: dict[str, Call] = {
    "numbers.get": lambda s, a, t: s.numbers.get(a, t.number),
    "numbers.rename": lambda s, a, t: s.numbers.rename(a, t.number, "Mine now"),
    "numbers.delete": lambda s, a, t: s.numbers.delete(a, t.number),
    "numbers.number_in_account": lambda s, a, t: _in_session(
        s, lambda session: s.numbers.number_in_account(session, a, t.number)
    ),
    "campaigns.campaign_in_account": lambda s, a, t: _in_session(
        s, lambda session: s.campaigns.campaign_in_account(session, a, t.campaign)
    ),
    "campaigns.details": lambda s, a, t: s.campaigns.details(a, t.campaign),
    "campaigns.index_row": lambda s, a, t: s.campaigns.index_row(a, t.campaign),
    "campaigns.index_rows": lambda s, a, t: _empty(s.campaigns.index_rows(a, [t.campaign])),
    "campaigns.launch_options": lambda s, a, t: s.campaigns.launch_options(a, t.campaign),
    "campaigns.clone_title": lambda s, a, t: s.campaigns.clone_title(a, t.campaign),
    "campaigns.launch": lambda s, a, t: s.campaigns.launch(a, t.campaign, "dedicated", t.number),
    "campaigns.edit_draft": lambda s, a, t: s.campaigns.edit_draft(a, t.campaign, title="Mine"),
    "campaigns.pause": lambda s, a, t: s.campaigns.pause(a, t.campaign),
    "campaigns.resume": lambda s, a, t: s.campaigns.resume(a, t.campaign),
    "campaigns.archive": lambda s, a, t: s.campaigns.archive(a, t.campaign),
    "campaigns.clone": lambda s, a, t: s.campaigns.clone(a, t.campaign),
    "campaigns.clone_and_archive": lambda s, a, t: s.campaigns.clone_and_archive(a, t.campaign),
    "campaigns.create_followup": lambda s, a, t: s.campaigns.create_followup(
        a, t.campaign, title="F", message="M", expires_at=s.clock.now() + timedelta(days=1)
    ),
    "campaigns.followup_audience_size": lambda s, a, t: s.campaigns.followup_audience_size(
        a, t.campaign, FollowupTargeting()
    ),
    "events.for_campaign": lambda s, a, t: s.events.for_campaign(a, t.campaign),
    "events.for_number": lambda s, a, t: _empty(s.events.for_number(a, t.number)),
    "hard_to_get.get": lambda s, a, t: s.hard_to_get.get(a, t.request),
    "contacts.import_csv": lambda s, a, t: s.contacts.import_csv(
        a, t.campaign, contacts_csv(t.folder / "mine.csv", 3)
    ),
    "contacts.import_csv_apart": lambda s, a, t: s.contacts.import_csv_apart(
        a, t.campaign, contacts_csv(t.folder / "mine-apart.csv", 3)
    ),
    "contacts.export_csv": lambda s, a, t: s.contacts.export_csv(
        a, t.campaign, t.folder / "theirs.csv"
    ),
    "contacts.conversations": lambda s, a, t: s.contacts.conversations(a, t.campaign),
    "contacts.field_names": lambda s, a, t: s.contacts.field_names(a, t.campaign),
    "contacts.field_values": lambda s, a, t: s.contacts.field_values(a, t.campaign, "ward"),
    "contacts.finish_import": lambda s, a, t: s.contacts.finish_import(a, t.campaign),
    "senders.team": lambda s, a, t: s.senders.team(a, t.campaign),
    "senders.add": lambda s, a, t: s.senders.add(a, t.campaign, [t.user]),
    "senders.remove": lambda s, a, t: s.senders.remove(a, t.campaign, t.user),
    "senders.set_self_assign": lambda s, a, t: s.senders.set_self_assign(a, t.campaign, True),
    "senders.set_batch_size": lambda s, a, t: s.senders.set_batch_size(a, t.campaign, 10),
    "senders.enable_invite_link": lambda s, a, t: s.senders.enable_invite_link(a, t.campaign),
    "senders.disable_invite_link": lambda s, a, t: s.senders.disable_invite_link(a, t.campaign),
    "senders.invite_link": lambda s, a, t: s.senders.invite_link(a, t.campaign),
    "senders.request_batch": lambda s, a, t: s.senders.request_batch(a, t.campaign),
    "sending_window.window": lambda s, a, t: s.sending_window.window(a, t.campaign),
    "sending_window.set_start": lambda s, a, t: s.sending_window.set_start(
        a, t.campaign, s.clock.now() + timedelta(days=1)
    ),
    "sending_window.set_end": lambda s, a, t: s.sending_window.set_end(
        a, t.campaign, s.clock.now() + timedelta(days=9)
    ),
    "sending_window.set_sending_hours": lambda s, a, t: s.sending_window.set_sending_hours(
        a, t.campaign, time(8), time(20)
    ),
    "sending_window.set_timezone": lambda s, a, t: s.sending_window.set_timezone(
        a, t.campaign, "America/Denver"
    ),
    "messaging.summary": lambda s, a, t: s.messaging.summary(a, t.campaign),
    "messaging.send_initial": lambda s, a, t: s.messaging.send_initial(
        a, t.campaign, t.conversation
    ),
    "messaging.receive_reply": lambda s, a, t: s.messaging.receive_reply(
        a, t.campaign, t.conversation, "STOP"
    ),
    "notifications.mark_read": lambda s, a, t: s.notifications.mark_read(a, t.notification),
    "accounts.user": lambda s, a, t: s.accounts.user(a, t.user),
}

ID_PARAMETERS = {
    "campaign_id",
    "number_id",
    "phone_number_id",
    "request_id",
    "notification_id",
    "conversation_id",
    "user_id",
    "campaign_ids",
}


def _in_session(services: Services, action: Callable[[Session], object]) -> object:
    with services.store.read() as session:
        return action(session)


def _empty(rows: Sequence[object]) -> object:
    """A read that answers a list: another account's ids must give nothing back."""
    if rows:
        raise AssertionError(f"another account's rows came back: {rows}")
    raise NotFound("nothing in this account")


@pytest.fixture
def theirs(thrudesk_services: Services, tmp_path: Path) -> Theirs:
    other = create_starter_account(thrudesk_services, "Other Org", admin_name="Olive Other")
    number = complete_dedicated(thrudesk_services, other, "Their line")
    campaign = active_on_dedicated(thrudesk_services, other, number.id, "Their campaign")
    thrudesk_services.contacts.import_csv(
        other.actor, campaign, contacts_csv(tmp_path / "theirs-in.csv", 4)
    )
    sender = thrudesk_services.accounts.add_user(
        other.account_id, "Their Texter", "texter@other.example", Role.SENDER
    )
    thrudesk_services.senders.add(other.actor, campaign, [sender.id])
    request = thrudesk_services.hard_to_get.request(other.actor, "907", other.use_case_id)
    notification = thrudesk_services.notifications.list(other.actor)[0]
    conversation = thrudesk_services.contacts.conversations(other.actor, campaign).rows[0]
    return Theirs(
        campaign=campaign,
        number=number.id,
        request=request.id,
        notification=notification.id,
        conversation=conversation.id,
        user=sender.id,
        folder=tmp_path,
    )


@pytest.mark.parametrize("call", list(CALLS))
def test_r5_n12_another_accounts_things_are_not_found_through_every_service(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    theirs: Theirs,
    unchanged: Unchanged,
    call: str,
) -> None:
    with unchanged(), pytest.raises(ThrudeskError) as refused:
        CALLS[call](thrudesk_services, thrudesk_account.actor, theirs)
    assert isinstance(refused.value, NotFound), refused.value.message
    assert not (theirs.folder / "theirs.csv").exists()


def test_r5_every_service_method_that_takes_an_id_is_checked_for_isolation(
    thrudesk_services: Services,
) -> None:
    missing: list[str] = []
    for name, service in vars(thrudesk_services).items():
        if name.startswith("_") or not hasattr(service, "__dict__"):
            continue
        for method, function in inspect.getmembers(type(service), inspect.isfunction):
            if method.startswith("_"):
                continue
            parameters = set(inspect.signature(function).parameters)
            if "actor" in parameters and parameters & ID_PARAMETERS:
                key = f"{name}.{method}"
                if key not in CALLS:
                    missing.append(key)
    assert missing == [], f"add these to CALLS: {missing}"


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_r5_logs_and_backups_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    log_file = tmp_path / "logs" / "thrudesk.log"
    configure_logging(log_file)
    logging.getLogger("thrudesk.test").warning("a line")
    assert log_file.stat().st_mode & 0o077 == 0
    configure_logging(None)

    import sqlite3

    from tests.unit.services.helpers import store_at_revision

    path = tmp_path / "old.sqlite3"
    store_at_revision(path, "0001")
    with sqlite3.connect(path):
        pass
    store = open_store(url_for_path(path))
    try:
        assert store.backup_path is not None
        assert store.backup_path.stat().st_mode & 0o077 == 0
        assert path.stat().st_mode & 0o077 == 0
    finally:
        store.dispose()
