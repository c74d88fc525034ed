"""N12: an account never sees, counts or uses another account's things."""

from __future__ import annotations

import pytest

from tests.snapshots import Unchanged
from tests.unit.services.helpers import active_on_dedicated, complete_dedicated
from thrudesk.models.enums import NumberMode
from thrudesk.services.container import Services
from thrudesk.services.errors import NotFound
from thrudesk.services.starter import StarterAccount, create_starter_account


@pytest.fixture
def other(thrudesk_services: Services) -> StarterAccount:
    return create_starter_account(thrudesk_services, "Harbor Tenants", admin_name="Hana Harbor")


def test_n12_another_accounts_numbers_are_not_seen_or_counted(
    thrudesk_services: Services, thrudesk_account: StarterAccount, other: StarterAccount
) -> None:
    theirs = complete_dedicated(thrudesk_services, other, "Theirs")
    active_on_dedicated(thrudesk_services, other, theirs.id, "Their campaign")
    mine = thrudesk_account.actor
    assert thrudesk_services.numbers.page(mine).total == 0
    assert thrudesk_services.numbers.dedicated_usage(mine).used == 0
    assert thrudesk_services.numbers.provisioning_count(mine) == 0
    assert {u.id for u in thrudesk_services.numbers.use_cases(mine)}.isdisjoint(other.use_case_ids)
    assert thrudesk_services.campaigns.index(mine).total == 0
    assert thrudesk_services.notifications.list(mine) == []


def test_n12_live_rows_of_numbers_are_read_for_their_own_account_only(
    thrudesk_services: Services, thrudesk_account: StarterAccount, other: StarterAccount
) -> None:
    """The rows a live update reads again, one statement for every account, bound to each."""
    numbers = thrudesk_services.numbers
    mine = complete_dedicated(thrudesk_services, thrudesk_account, "Mine")
    theirs = complete_dedicated(thrudesk_services, other, "Theirs")
    both = [mine.id, theirs.id]
    assert [row.name for row in numbers.rows(thrudesk_account.actor, both)] == ["Mine"]
    assert [row.name for row in numbers.rows(other.actor, both)] == ["Theirs"]


def test_n12_another_accounts_number_cannot_be_used_renamed_or_deleted(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    other: StarterAccount,
    unchanged: Unchanged,
) -> None:
    theirs = complete_dedicated(thrudesk_services, other, "Theirs")
    mine = thrudesk_account.actor
    draft = thrudesk_services.campaigns.create(mine, "Mine")
    with unchanged():
        with pytest.raises(NotFound):
            thrudesk_services.campaigns.launch(mine, draft, NumberMode.DEDICATED, theirs.id)
        with pytest.raises(NotFound):
            thrudesk_services.numbers.rename(mine, theirs.id, "Stolen")
        with pytest.raises(NotFound):
            thrudesk_services.numbers.delete(mine, theirs.id)
        with pytest.raises(NotFound):
            thrudesk_services.numbers.get(mine, theirs.id)


def test_n12_another_accounts_use_case_cannot_take_a_number(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    other: StarterAccount,
    unchanged: Unchanged,
) -> None:
    with unchanged(), pytest.raises(NotFound):
        thrudesk_services.numbers.create_dedicated(
            thrudesk_account.actor, ["415"], other.use_case_id
        )


def test_n12_another_accounts_campaign_cannot_be_read_or_changed(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    other: StarterAccount,
    unchanged: Unchanged,
) -> None:
    theirs = thrudesk_services.campaigns.create(other.actor, "Theirs")
    mine = thrudesk_account.actor
    with unchanged():
        for action in (
            lambda: thrudesk_services.campaigns.details(mine, theirs),
            lambda: thrudesk_services.campaigns.clone(mine, theirs),
            lambda: thrudesk_services.campaigns.launch_options(mine, theirs),
            lambda: thrudesk_services.events.for_campaign(mine, theirs),
        ):
            with pytest.raises(NotFound):
                action()
