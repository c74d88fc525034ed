"""N5, U2: the Phone Numbers rows, read as columns for a thousand numbers at a time (P2)."""

from __future__ import annotations

from tests.unit.services.helpers import busy_dedicated
from thrudesk.services.container import Services
from thrudesk.services.numbers import ROW_TITLES
from thrudesk.services.rows import CarrierCheckStatus, NumberKind, ProvisioningStatus
from thrudesk.services.starter import StarterAccount


def test_n5_a_busy_numbers_row_counts_every_campaign_and_names_the_oldest(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    services, actor = thrudesk_services, thrudesk_account.actor
    _number, titles, _ids = busy_dedicated(services, thrudesk_account, ROW_TITLES + 5)
    [row] = services.numbers.page(actor).rows
    assert row.campaigns_using == len(titles)
    assert row.campaign_titles == tuple(titles[:ROW_TITLES])
    assert not row.deletable
    assert row.delete_blocked_reason is not None
    assert row.delete_blocked_reason.startswith("In use by: Outreach 00, Outreach 01")


def test_n9_a_row_carries_its_number_and_its_three_carriers(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    services, actor = thrudesk_services, thrudesk_account.actor
    number = services.numbers.create_dedicated(actor, ["415"], thrudesk_account.use_case_id, "Desk")
    row = services.numbers.get(actor, number.id)
    assert (row.name, row.kind, row.area_code) == ("Desk", NumberKind.DEDICATED, "415")
    assert row.provisioning_status is ProvisioningStatus.INITIATED
    assert row.initiator_name == "Alex Admin"
    assert row.use_case_name == "Voter Outreach"
    assert [c.status for c in row.carriers] == [CarrierCheckStatus.PENDING] * 3
    assert row.campaigns_using == 0
    assert row.deletable
