"""Ids are checked for their type (DOMAIN.md, Errors).

The store finds campaign 1 by ``"1"``, ``1.0`` or ``True`` as well as by ``1``: each service call
here is given the id of a thing that exists, in the wrong type, and must refuse it plainly and
write nothing; the same call with the id itself then goes through.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.snapshots import Unchanged
from tests.unit.services.helpers import active_on_dedicated, complete_dedicated
from tests.unit.services.teamwork_helpers import add_sender_users, contacts_csv, manual_sending
from thrudesk.models.enums import NumberMode
from thrudesk.services.container import Services
from thrudesk.services.errors import InvalidInput
from thrudesk.services.starter import StarterAccount, create_starter_account
from thrudesk.services.unit_of_work import Actor


@dataclass(frozen=True)
class Firsts:
    """An account whose number, campaign, conversation, request and notification are each the
    first of their kind: id 1, which ``True`` and ``1.0`` also find.
    """

    account: StarterAccount
    sender: Actor  # assigned every conversation of the campaign
    draft: int  # id 2
    folder: Path

    @property
    def admin(self) -> Actor:
        return self.account.actor


@pytest.fixture
def firsts(thrudesk_services: Services, tmp_path: Path) -> Firsts:
    services = thrudesk_services
    account = create_starter_account(services, "Cascade Civic Alliance", admin_name="Maya Chen")
    manual_sending(services, account)
    number = complete_dedicated(services, account, "Bay office")
    campaign = active_on_dedicated(services, account, number.id, "Turnout")
    services.contacts.import_csv(account.actor, campaign, contacts_csv(tmp_path / "in.csv", 2))
    (sender,) = add_sender_users(services, account, 1)
    services.senders.add(account.actor, campaign, [sender.user_id])
    request = services.hard_to_get.request(account.actor, "907", account.use_case_id)
    draft = services.campaigns.create(account.actor, "Canvass")
    notification = services.notifications.list(account.actor)[-1]
    assert account.account_id == account.admin_id == number.id == campaign == 1
    assert request.id == notification.id == 1
    return Firsts(account=account, sender=sender, draft=draft, folder=tmp_path)


# The id is Any: each call is handed ids of the wrong type on purpose.
Call = Callable[[Services, Firsts, Any], object]

CALLS: dict[str, Call] = {
    "campaigns.archive": lambda s, f, i: s.campaigns.archive(f.admin, i),
    "campaigns.pause": lambda s, f, i: s.campaigns.pause(f.admin, i),
    "campaigns.clone": lambda s, f, i: s.campaigns.clone(f.admin, i),
    "campaigns.create_followup": lambda s, f, i: s.campaigns.create_followup(
        f.admin, i, title="Nudge", message="Hi", expires_at=s.clock.now() + timedelta(days=1)
    ),
    "campaigns.details": lambda s, f, i: s.campaigns.details(f.admin, i),
    "campaigns.index_rows": lambda s, f, i: s.campaigns.index_rows(f.admin, [i]),
    "campaigns.create (use case)": lambda s, f, i: s.campaigns.create(
        f.admin, "Mine", use_case_id=i
    ),
    "campaigns.launch (number)": lambda s, f, i: s.campaigns.launch(
        f.admin, f.draft, NumberMode.DEDICATED, i
    ),
    "numbers.rename": lambda s, f, i: s.numbers.rename(f.admin, i, "Annex"),
    "numbers.get": lambda s, f, i: s.numbers.get(f.admin, i),
    "numbers.rows": lambda s, f, i: s.numbers.rows(f.admin, [i]),
    "numbers.create_dedicated (use case)": lambda s, f, i: s.numbers.create_dedicated(
        f.admin, ["415"], i, "Annex"
    ),
    "sending_window.set_end": lambda s, f, i: s.sending_window.set_end(
        f.admin, i, s.clock.now() + timedelta(days=9)
    ),
    "senders.team": lambda s, f, i: s.senders.team(f.admin, i),
    "messaging.send_initial (conversation)": lambda s, f, i: s.messaging.send_initial(
        f.sender, 1, i
    ),
    "contacts.export_csv": lambda s, f, i: s.contacts.export_csv(f.admin, i, f.folder / "o.csv"),
    "hard_to_get.get": lambda s, f, i: s.hard_to_get.get(f.admin, i),
    "notifications.mark_read": lambda s, f, i: s.notifications.mark_read(f.admin, i),
    "events.for_campaign": lambda s, f, i: s.events.for_campaign(f.admin, i),
    "accounts.user": lambda s, f, i: s.accounts.user(f.admin, i),
    "accounts.get": lambda s, f, i: s.accounts.get(i),
}

WRONG_TYPES: dict[str, object] = {"text": "1", "float": 1.0, "bool": True, "None": None}
# Where an id may be left out, None is no wrong type: no use case yet, or "Choose a number".
OPTIONAL = {
    "campaigns.create (use case)",
    "campaigns.launch (number)",
    "numbers.create_dedicated (use case)",
}


@pytest.mark.parametrize(
    ("call", "wrong"),
    [
        (call, wrong)
        for call in CALLS
        for wrong in WRONG_TYPES
        if not (call in OPTIONAL and WRONG_TYPES[wrong] is None)
    ],
)
def test_ids_of_the_wrong_type_are_refused_and_write_nothing(
    thrudesk_services: Services, firsts: Firsts, unchanged: Unchanged, call: str, wrong: str
) -> None:
    value = WRONG_TYPES[wrong]
    with unchanged(), pytest.raises(InvalidInput) as refused:
        CALLS[call](thrudesk_services, firsts, value)
    message = refused.value.message
    assert message.startswith(f"“{value}” is not a "), message
    assert message.endswith(" from the list."), message
    assert refused.value.field
    assert not (firsts.folder / "o.csv").exists()
    # The id itself is taken: what was refused was its type.
    CALLS[call](thrudesk_services, firsts, 1)


def test_ids_campaigns_archive_of_the_text_5_archives_nothing(
    thrudesk_services: Services, firsts: Firsts, unchanged: Unchanged
) -> None:
    campaigns = thrudesk_services.campaigns
    ids = [campaigns.create(firsts.admin, f"Draft {k}") for k in range(3)]
    assert ids[-1] == 5
    with unchanged(), pytest.raises(InvalidInput) as refused:
        campaigns.archive(firsts.admin, "5")  # type: ignore[arg-type]
    assert refused.value.message == "“5” is not a campaign id; choose the campaign from the list."
    assert refused.value.field == "campaign"
    assert campaigns.index_row(firsts.admin, 5).status.label == "Draft"


def test_ids_a_list_of_ids_that_is_no_list_is_refused(
    thrudesk_services: Services, firsts: Firsts
) -> None:
    with pytest.raises(InvalidInput, match="Choose the campaigns from the list"):
        thrudesk_services.campaigns.index_rows(firsts.admin, "12")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="Choose the phone numbers from the list"):
        thrudesk_services.numbers.rows(firsts.admin, 1)  # type: ignore[arg-type]
