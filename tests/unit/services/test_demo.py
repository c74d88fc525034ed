"""The demo accounts: every provisioning state, every campaign status, and isolation."""

from __future__ import annotations

from datetime import UTC, datetime

from thrudesk.models.enums import CampaignStatus, NumberKind, ProvisioningStatus
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.demo import DEMO_ACCOUNT, SECOND_ACCOUNT, seed_demo, store_is_empty
from thrudesk.services.rows import CampaignFlagKind, CampaignStatusFilter
from thrudesk.services.store import Store

NOW = datetime(2026, 11, 3, 17, 0, tzinfo=UTC)


def test_demo_covers_every_state_and_keeps_accounts_apart(thrudesk_store: Store) -> None:
    assert store_is_empty(thrudesk_store)
    accounts = seed_demo(thrudesk_store, NOW)
    assert not store_is_empty(thrudesk_store)
    services = Services(thrudesk_store, ManualClock(NOW))
    assert [a.name for a in services.accounts.all()] == [DEMO_ACCOUNT, SECOND_ACCOUNT]

    numbers = services.numbers.page(accounts.main).rows
    dedicated = [n for n in numbers if n.kind is NumberKind.DEDICATED]
    assert {n.provisioning_status for n in dedicated} == set(ProvisioningStatus)
    assert services.numbers.dedicated_usage(accounts.main).text == "4 of 5 dedicated numbers"

    campaigns = services.campaigns.index(accounts.main, status=CampaignStatusFilter.ALL).rows
    assert {c.status for c in campaigns} == set(CampaignStatus)
    flags = {f.kind for c in campaigns for f in c.flags}
    assert CampaignFlagKind.PROVISIONING_FAILED in flags
    assert CampaignFlagKind.AUTO_ARCHIVE_SOON in flags
    assert CampaignFlagKind.FOLLOWUP in flags
    assert sum(c.contact_count for c in campaigns) > 500
    assert any(c.sender_count > 0 for c in campaigns)

    second = services.campaigns.index(accounts.second).rows
    assert [c.title for c in second] == ["Rent board hearing"]
    assert {c.id for c in second}.isdisjoint({c.id for c in campaigns})
