"""Steps the campaign-teamwork tests share: CSV files, senders, and a campaign ready to send."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy import select

from tests.unit.services.helpers import active_on_dedicated, complete_dedicated
from thrudesk.models import Contact, Conversation
from thrudesk.models.enums import Role
from thrudesk.services.container import Services
from thrudesk.services.starter import StarterAccount
from thrudesk.services.unit_of_work import Actor

DATA = Path(__file__).resolve().parents[2] / "data"


def phone(index: int, area_code: str = "206") -> str:
    """A valid number of ``area_code`` for each index, as people write it."""
    digits = f"{2000000 + index * 37:07d}"
    return f"({area_code}) {digits[:3]}-{digits[3:]}"


def e164(index: int, area_code: str = "206") -> str:
    digits = f"{2000000 + index * 37:07d}"
    return f"+1{area_code}{digits}"


def write_csv(path: Path, rows: Sequence[Sequence[str]], *, encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def draft_campaign(services: Services, account: StarterAccount, title: str = "Canvass") -> int:
    """A Draft campaign of ``account`` with no contacts yet."""
    return services.campaigns.create(
        account.actor, title, area_codes=["415"], use_case_id=account.use_case_id
    )


def contact_rows(
    services: Services, campaign_id: int
) -> list[tuple[str, str, str, dict[str, str]]]:
    """The campaign's contacts as (phone, first name, last name, fields), in import order."""
    with services.store.read() as session:
        rows = session.execute(
            select(Contact.phone, Contact.first_name, Contact.last_name, Conversation.fields)
            .join(Conversation, Conversation.contact_id == Contact.id)
            .where(Conversation.campaign_id == campaign_id)
            .order_by(Conversation.id)
        ).all()
    return [(p, f, last, dict(fields)) for p, f, last, fields in rows]


def contacts_csv(path: Path, count: int, *, start: int = 0, ward: bool = True) -> Path:
    header = ["Phone", "First Name", "Last Name", *(["ward"] if ward else [])]
    rows = [
        [
            phone(start + i),
            f"First{start + i}",
            f"Last{start + i}",
            *([f"W{i % 3}"] if ward else []),
        ]
        for i in range(count)
    ]
    return write_csv(path, [header, *rows])


def add_sender_users(services: Services, account: StarterAccount, count: int) -> list[Actor]:
    """``count`` users with the sender role, as actors."""
    actors = []
    for index in range(count):
        user = services.accounts.add_user(
            account.account_id, f"Sender {index + 1}", f"sender{index + 1}@example.org", Role.SENDER
        )
        actors.append(Actor(account_id=account.account_id, user_id=user.id))
    return actors


def sender_on(services: Services, account: StarterAccount, campaign_id: int) -> Actor:
    """A new user with the sender role, added to the campaign's senders by its admin."""
    (sender,) = add_sender_users(services, account, 1)
    services.senders.add(account.actor, campaign_id, [sender.user_id])
    return sender


def manual_sending(services: Services, account: StarterAccount) -> None:
    """Simulated senders and contacts stay still: tests drive sending and replies themselves."""
    services.messaging.set_parameters(
        account.actor,
        messages_per_sender_hour=0,
        simulated_senders=0,
        reply_rate=0.0,
        opt_out_rate=0.0,
    )


@dataclass(frozen=True)
class ReadyCampaign:
    campaign_id: int
    number_id: int


def active_campaign_with_contacts(
    services: Services,
    account: StarterAccount,
    tmp_path: Path,
    count: int,
    *,
    title: str = "Turnout",
    number_id: int | None = None,
    start: int = 0,
) -> ReadyCampaign:
    """An Active campaign on a complete dedicated number, with ``count`` imported contacts."""
    if number_id is None:
        number_id = complete_dedicated(services, account).id
    campaign_id = active_on_dedicated(services, account, number_id, title)
    if count:
        path = contacts_csv(tmp_path / f"{title}-{start}.csv", count, start=start)
        report = services.contacts.import_csv(account.actor, campaign_id, path)
        assert report.imported == count
    return ReadyCampaign(campaign_id, number_id)


class CampaignWithContacts(Protocol):
    """The ``campaign_with_contacts`` fixture: :func:`active_campaign_with_contacts` on the
    test's account.
    """

    def __call__(
        self, count: int, *, title: str = ..., number_id: int | None = ..., start: int = ...
    ) -> ReadyCampaign: ...


def conversation_ids(
    services: Services, campaign_id: int, sender_id: int | None = None
) -> list[int]:
    """The campaign's conversation ids (of one sender when given), in order."""
    with services.store.read() as session:
        query = select(Conversation.id).where(Conversation.campaign_id == campaign_id)
        if sender_id is not None:
            query = query.where(Conversation.sender_id == sender_id)
        return list(session.scalars(query.order_by(Conversation.id)))
