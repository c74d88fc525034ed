"""C16: the campaign index sorts by every column and pages through the result in SQL; each page
of each order is the slice of one full order (QUALITY.md P3 reads pages on indexes, bucket by
bucket for the status, number and badge orders).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.unit.services.helpers import (
    active_on_dedicated,
    complete_dedicated,
    fail,
    launch_single_use,
)
from thrudesk.services import campaigns as campaigns_module
from thrudesk.services.container import Services
from thrudesk.services.rows import (
    CampaignIndexRow,
    CampaignSortKey,
    CampaignStatus,
    CampaignStatusFilter,
    ProvisioningStatus,
)
from thrudesk.services.starter import StarterAccount, create_starter_account
from thrudesk.services.unit_of_work import Actor

STATUS_RANK = {
    CampaignStatus.DRAFT: 0,
    CampaignStatus.LAUNCHING: 1,
    CampaignStatus.ACTIVE: 2,
    CampaignStatus.PAUSED: 3,
    CampaignStatus.ARCHIVED: 4,
}
BADGE_RANK = {
    ProvisioningStatus.INITIATED: 0,
    ProvisioningStatus.COMPLETE: 1,
    ProvisioningStatus.FAILED: 2,
}


def _nullable(value: Any) -> tuple[int, Any]:
    # SQLite puts NULL before every value in an ascending order.
    return (0, 0) if value is None else (1, value)


KEYS: dict[CampaignSortKey, Callable[[CampaignIndexRow], Any]] = {
    CampaignSortKey.TITLE: lambda r: r.title,
    CampaignSortKey.STATUS: lambda r: STATUS_RANK[r.status],
    CampaignSortKey.PHONE: lambda r: _nullable(r.phone_e164),
    # Campaigns without a number come after every badge.
    CampaignSortKey.BADGE: lambda r: (
        BADGE_RANK[r.provisioning_status] if r.provisioning_status is not None else 3
    ),
    CampaignSortKey.KIND: lambda r: _nullable(r.number_mode.value if r.number_mode else None),
    CampaignSortKey.START: lambda r: _nullable(r.start_at),
    CampaignSortKey.CONTACTS: lambda r: r.contact_count,
    CampaignSortKey.SENDERS: lambda r: r.sender_count,
    CampaignSortKey.UNASSIGNED: lambda r: r.unassigned_count,
    CampaignSortKey.CREATED: lambda r: r.created_at,
}


@pytest.fixture
def busy_account(thrudesk_services: Services, thrudesk_account: StarterAccount) -> StarterAccount:
    """Campaigns in every status, on two named dedicated numbers, single-use ones (provisioning,
    failed) and drafts without a number.
    """
    services, actor = thrudesk_services, thrudesk_account.actor
    north = complete_dedicated(services, thrudesk_account, "North line", "415")
    south = complete_dedicated(services, thrudesk_account, "South line", "512")
    for k in range(3):
        active_on_dedicated(services, thrudesk_account, north.id, f"Spring canvass {k}")
        paused = active_on_dedicated(services, thrudesk_account, south.id, f"Phone bank {k}")
        if k != 1:
            services.campaigns.pause(actor, paused)
    archived = active_on_dedicated(services, thrudesk_account, south.id, "Old drive")
    services.campaigns.archive(actor, archived)
    for k in range(3):
        services.campaigns.create(actor, f"Draft {k}")
    launch_single_use(services, thrudesk_account, title="Launching one", area_code="303")
    failed = launch_single_use(services, thrudesk_account, title="Failed one", area_code="602")
    number_id = services.campaigns.index_row(actor, failed).phone_number_id
    assert number_id is not None
    fail(services, number_id)
    return thrudesk_account


def _all(services: Services, actor: Actor, status: CampaignStatusFilter) -> list[CampaignIndexRow]:
    return list(services.campaigns.index(actor, status=status, limit=1000).rows)


@pytest.mark.parametrize("depth", [0, 4, 1000], ids=["ids-first", "both", "one-statement"])
@pytest.mark.parametrize("status", list(CampaignStatusFilter))
def test_c16_every_sort_pages_through_one_consistent_order(
    thrudesk_services: Services,
    busy_account: StarterAccount,
    status: CampaignStatusFilter,
    depth: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Pages above the depth are read in one statement, deeper ones by their ids first: both
    # ways, and a walk that crosses from one to the other, give the same order.
    monkeypatch.setattr(campaigns_module, "ONE_STATEMENT_DEPTH", depth)
    services, actor = thrudesk_services, busy_account.actor
    rows = _all(services, actor, status)
    assert rows, "the fixture has campaigns in every filter"
    for sort, key in KEYS.items():
        for descending in (False, True):
            expected = [
                r.id for r in sorted(rows, key=lambda r: (key(r), r.id), reverse=descending)
            ]
            paged: list[int] = []
            offset = 0
            while True:
                page = services.campaigns.index(
                    actor,
                    status=status,
                    sort=sort,
                    descending=descending,
                    offset=offset,
                    limit=3,
                    with_total=offset == 0,
                )
                if offset == 0:
                    assert page.total == len(rows)
                paged.extend(r.id for r in page.rows)
                if len(page.rows) < 3:
                    break
                offset += 3
            assert paged == expected, (sort, descending)


def test_c16_the_filter_finds_titles_and_number_names_and_counts_them(
    thrudesk_services: Services, busy_account: StarterAccount
) -> None:
    services, actor = thrudesk_services, busy_account.actor
    spring = services.campaigns.index(actor, text="spring")
    assert sorted(r.title for r in spring.rows) == [f"Spring canvass {k}" for k in range(3)]
    assert spring.total == 3
    # "North" names no title: it finds the campaigns on the number named "North line".
    north = services.campaigns.index(actor, text="north")
    assert north.total == 3
    assert all(r.number_name == "North line" for r in north.rows)
    # Digits find numbers: every campaign on a 512 number, whatever its title.
    by_digits = services.campaigns.index(actor, text="512")
    assert by_digits.total == len(by_digits.rows) > 0
    assert all(r.phone_e164 and "512" in r.phone_e164 for r in by_digits.rows)
    assert services.campaigns.count(actor, text="phone bank") == 3
    assert services.campaigns.count(actor, status=CampaignStatusFilter.PAUSED) == 2


def test_n12_the_index_never_shows_another_accounts_campaigns(
    thrudesk_services: Services, busy_account: StarterAccount
) -> None:
    services = thrudesk_services
    other = create_starter_account(services, "Other Organisation", admin_name="Robin Other")
    services.campaigns.create(other.actor, "Their campaign")
    mine = _all(services, busy_account.actor, CampaignStatusFilter.ALL)
    assert "Their campaign" not in {r.title for r in mine}
    # Every order, each read for this account just before the other's, with the same statement.
    for sort in CampaignSortKey:
        for descending in (False, True):
            ours = services.campaigns.index(busy_account.actor, sort=sort, descending=descending)
            assert "Their campaign" not in {r.title for r in ours.rows}
            page = services.campaigns.index(other.actor, sort=sort, descending=descending)
            assert [r.title for r in page.rows] == ["Their campaign"]
    assert services.campaigns.index_rows(other.actor, [r.id for r in mine]) == []


@pytest.mark.parametrize("status", list(CampaignStatusFilter))
def test_c16_the_position_probe_names_the_campaign_each_order_shows_there(
    thrudesk_services: Services, busy_account: StarterAccount, status: CampaignStatusFilter
) -> None:
    # A live update asks which campaign stands at a position of the table's order, and how
    # many the table holds: the answer is the index's own, for every order and filter.
    services, actor = thrudesk_services, busy_account.actor
    for sort in CampaignSortKey:
        for descending in (False, True):
            for text in ("", "line", "canvass"):
                shown = services.campaigns.index(
                    actor, status=status, text=text, sort=sort, descending=descending, limit=1000
                )
                for position, row in enumerate(shown.rows):
                    assert services.campaigns.id_at(
                        actor, position, status=status, text=text, sort=sort, descending=descending
                    ) == (row.id, shown.total), (sort, descending, text, position)
                past_end = services.campaigns.id_at(
                    actor,
                    len(shown.rows),
                    status=status,
                    text=text,
                    sort=sort,
                    descending=descending,
                )
                assert past_end == (None, shown.total)


def test_n12_the_position_probe_never_names_another_accounts_campaign(
    thrudesk_services: Services, busy_account: StarterAccount
) -> None:
    services = thrudesk_services
    other = create_starter_account(services, "Other Organisation", admin_name="Robin Other")
    theirs = services.campaigns.create(other.actor, "Their campaign")
    mine = _all(services, busy_account.actor, CampaignStatusFilter.ALL)
    for sort in CampaignSortKey:
        assert services.campaigns.id_at(other.actor, 0, sort=sort) == (theirs, 1)
        assert services.campaigns.id_at(other.actor, 1, sort=sort) == (None, 1)
        first, total = services.campaigns.id_at(busy_account.actor, 0, sort=sort)
        assert first != theirs
        assert total == len(mine)
