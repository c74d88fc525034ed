"""Phone-number rules N1–N7 and U1–U2, through the services, without Qt."""

from __future__ import annotations

import pytest

from tests.snapshots import Unchanged
from tests.unit.services.helpers import (
    active_on_dedicated,
    complete,
    complete_dedicated,
    launch_single_use,
)
from thrudesk.models.enums import CampaignStatus, NumberKind, ProvisioningStatus, UseCaseStatus
from thrudesk.services.container import Services
from thrudesk.services.errors import (
    DedicatedNumberLimitReached,
    InvalidInput,
    NoNumbersAvailable,
    NumberInUse,
    NumberNotReady,
    UseCaseLimitReached,
    UseCaseNotApproved,
)
from thrudesk.services.numbers import USE_CASE_NUMBER_LIMIT
from thrudesk.services.rows import NumberSortKey, format_phone
from thrudesk.services.starter import StarterAccount


def test_n1_dedicated_number_starts_in_provisioning_initiated(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    number = thrudesk_services.numbers.create_dedicated(
        thrudesk_account.actor, ["415"], thrudesk_account.use_case_id, "  Main line  "
    )
    assert number.kind is NumberKind.DEDICATED
    assert number.provisioning_status is ProvisioningStatus.INITIATED
    assert number.name == "Main line"
    assert number.area_code == "415"
    assert number.place == "San Francisco, CA"
    assert number.e164.startswith("+1415")
    assert number.initiator_name == "Alex Admin"
    assert [c.status.value for c in number.carriers] == ["pending"] * 3


def test_n1_ordered_area_code_preferences_fall_through_to_the_next(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    first = thrudesk_services.numbers.create_dedicated(
        actor, ["907", "512"], thrudesk_account.use_case_id
    )
    assert first.area_code == "907"  # one number in stock
    second = thrudesk_services.numbers.create_dedicated(
        actor, ["907", "512"], thrudesk_account.use_case_id
    )
    assert second.area_code == "512"  # 907 is exhausted: the next preference


@pytest.mark.parametrize(
    "codes",
    [[], ["12"], ["abc"], ["000"], ["415", "415"], ["２０６"], ["415", "512", "617", "212"]],
)
def test_n1_bad_area_codes_are_refused_and_write_nothing(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    unchanged: Unchanged,
    codes: list[str],
) -> None:
    with unchanged(), pytest.raises(InvalidInput) as refused:
        thrudesk_services.numbers.create_dedicated(
            thrudesk_account.actor, codes, thrudesk_account.use_case_id
        )
    assert refused.value.field == "area_codes"


def test_n2_sixth_dedicated_number_is_refused_with_the_limit_and_the_remedy(
    thrudesk_services: Services, thrudesk_account: StarterAccount, unchanged: Unchanged
) -> None:
    for _ in range(5):
        thrudesk_services.numbers.create_dedicated(
            thrudesk_account.actor, ["415"], thrudesk_account.use_case_id
        )
    with unchanged(), pytest.raises(DedicatedNumberLimitReached) as refused:
        thrudesk_services.numbers.create_dedicated(
            thrudesk_account.actor, ["415"], thrudesk_account.use_case_id
        )
    assert "5 of its 5 dedicated numbers" in refused.value.message
    assert "delete a dedicated number" in refused.value.message
    assert thrudesk_services.numbers.dedicated_usage(thrudesk_account.actor).text == (
        "5 of 5 dedicated numbers"
    )


def test_n2_released_numbers_do_not_count(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    numbers = [
        thrudesk_services.numbers.create_dedicated(actor, ["415"], thrudesk_account.use_case_id)
        for _ in range(5)
    ]
    thrudesk_services.numbers.delete(actor, numbers[0].id)
    assert thrudesk_services.numbers.dedicated_usage(actor).used == 4
    sixth = thrudesk_services.numbers.create_dedicated(actor, ["415"], thrudesk_account.use_case_id)
    assert sixth.provisioning_status is ProvisioningStatus.INITIATED


def _fill_use_case(services: Services, account: StarterAccount, count: int) -> None:
    """Single-use launches until the use case holds ``count`` numbers."""
    for index in range(count):
        launch_single_use(services, account, title=f"Fill {index}")


def test_n3_fiftieth_number_on_a_use_case_is_refused_for_a_dedicated_number(
    thrudesk_services: Services, thrudesk_account: StarterAccount, unchanged: Unchanged
) -> None:
    _fill_use_case(thrudesk_services, thrudesk_account, USE_CASE_NUMBER_LIMIT)
    with unchanged(), pytest.raises(UseCaseLimitReached) as refused:
        thrudesk_services.numbers.create_dedicated(
            thrudesk_account.actor, ["415"], thrudesk_account.use_case_id
        )
    message = refused.value.message
    assert "49 of its 49 numbers" in message
    assert "archiving old single-use campaigns" in message
    assert "deleting an unused dedicated number" in message


def test_n3_fiftieth_number_on_a_use_case_is_refused_for_a_single_use_launch(
    thrudesk_services: Services, thrudesk_account: StarterAccount, unchanged: Unchanged
) -> None:
    _fill_use_case(thrudesk_services, thrudesk_account, USE_CASE_NUMBER_LIMIT)
    draft = thrudesk_services.campaigns.create(
        thrudesk_account.actor,
        "One too many",
        area_codes=["512"],
        use_case_id=thrudesk_account.use_case_id,
    )
    with unchanged(), pytest.raises(UseCaseLimitReached):
        thrudesk_services.campaigns.launch(thrudesk_account.actor, draft, "single_use")
    assert thrudesk_services.campaigns.index_row(thrudesk_account.actor, draft).status is (
        CampaignStatus.DRAFT
    )


def test_n3_reusing_a_dedicated_number_adds_nothing_to_the_use_case(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    number = complete_dedicated(thrudesk_services, thrudesk_account)
    for index in range(3):
        active_on_dedicated(thrudesk_services, thrudesk_account, number.id, f"Reuse {index}")
    usage = {u.id: u for u in thrudesk_services.numbers.use_cases(thrudesk_account.actor)}
    assert usage[thrudesk_account.use_case_id].used == 1


def test_n3_archiving_a_single_use_campaign_frees_its_slot(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    _fill_use_case(thrudesk_services, thrudesk_account, USE_CASE_NUMBER_LIMIT)
    oldest = thrudesk_services.campaigns.index(thrudesk_account.actor, descending=False).rows[0]
    thrudesk_services.campaigns.archive(thrudesk_account.actor, oldest.id)
    number = thrudesk_services.numbers.create_dedicated(
        thrudesk_account.actor, ["415"], thrudesk_account.use_case_id
    )
    assert number.use_case_id == thrudesk_account.use_case_id


def test_n4_a_dedicated_number_serves_many_concurrent_campaigns(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    number = complete_dedicated(thrudesk_services, thrudesk_account, "Main line")
    first = active_on_dedicated(thrudesk_services, thrudesk_account, number.id, "First")
    second = active_on_dedicated(thrudesk_services, thrudesk_account, number.id, "Second")
    row = thrudesk_services.numbers.get(thrudesk_account.actor, number.id)
    assert row.campaigns_using == 2
    assert set(row.campaign_titles) == {"First", "Second"}
    for campaign_id in (first, second):
        assert (
            thrudesk_services.campaigns.index_row(thrudesk_account.actor, campaign_id).status
            is CampaignStatus.ACTIVE
        )


def test_n5_a_number_in_use_cannot_be_deleted_and_the_refusal_names_the_campaigns(
    thrudesk_services: Services, thrudesk_account: StarterAccount, unchanged: Unchanged
) -> None:
    number = complete_dedicated(thrudesk_services, thrudesk_account)
    active_on_dedicated(thrudesk_services, thrudesk_account, number.id, "Ballot chase")
    row = thrudesk_services.numbers.get(thrudesk_account.actor, number.id)
    assert not row.deletable
    assert row.delete_blocked_reason is not None
    assert "Ballot chase" in row.delete_blocked_reason
    with unchanged(), pytest.raises(NumberInUse) as refused:
        thrudesk_services.numbers.delete(thrudesk_account.actor, number.id)
    assert refused.value.campaign_titles == ["Ballot chase"]
    assert "“Ballot chase”" in refused.value.message


def test_n5_deleting_after_archiving_releases_both_slots(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    number = complete_dedicated(thrudesk_services, thrudesk_account)
    campaign = active_on_dedicated(thrudesk_services, thrudesk_account, number.id)
    thrudesk_services.campaigns.archive(actor, campaign)
    thrudesk_services.numbers.delete(actor, number.id)
    assert thrudesk_services.numbers.dedicated_usage(actor).used == 0
    usage = {u.id: u for u in thrudesk_services.numbers.use_cases(actor)}
    assert usage[thrudesk_account.use_case_id].used == 0
    assert thrudesk_services.numbers.page(actor).total == 0
    assert thrudesk_services.numbers.page(actor, include_released=True).total == 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Front desk", "Front desk"), ("  Padded  ", "Padded"), ("x" * 64, "x" * 64), (None, None)],
)
def test_n6_a_dedicated_number_can_be_renamed_or_unnamed(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    name: str | None,
    expected: str | None,
) -> None:
    number = thrudesk_services.numbers.create_dedicated(
        thrudesk_account.actor, ["415"], thrudesk_account.use_case_id, "Old name"
    )
    renamed = thrudesk_services.numbers.rename(thrudesk_account.actor, number.id, name)
    assert renamed.name == expected
    assert (
        renamed.label.endswith(f" · {expected}") if expected else renamed.label == renamed.display
    )


@pytest.mark.parametrize("name", ["", "   ", "x" * 65, "tab\tinside", "bell\x07"])
def test_n6_a_blank_overlong_or_control_name_is_refused(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    unchanged: Unchanged,
    name: str,
) -> None:
    number = thrudesk_services.numbers.create_dedicated(
        thrudesk_account.actor, ["415"], thrudesk_account.use_case_id, "Keep me"
    )
    with unchanged(), pytest.raises(InvalidInput) as refused:
        thrudesk_services.numbers.rename(thrudesk_account.actor, number.id, name)
    assert refused.value.field == "name"
    assert thrudesk_services.numbers.get(thrudesk_account.actor, number.id).name == "Keep me"


def test_n6_the_name_shows_in_the_campaign_index(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    number = complete_dedicated(thrudesk_services, thrudesk_account, "Front desk")
    campaign = active_on_dedicated(thrudesk_services, thrudesk_account, number.id)
    thrudesk_services.numbers.rename(thrudesk_account.actor, number.id, "Events line")
    row = thrudesk_services.campaigns.index_row(thrudesk_account.actor, campaign)
    assert row.phone_label.endswith("· Events line")


def test_n6_the_refusal_to_delete_a_number_in_use_names_it_as_everywhere_else(
    thrudesk_services: Services, thrudesk_account: StarterAccount, unchanged: Unchanged
) -> None:
    number = complete_dedicated(thrudesk_services, thrudesk_account, "Bay office")
    active_on_dedicated(thrudesk_services, thrudesk_account, number.id, "Turnout")
    assert number.label == f"{format_phone(number.e164)} · Bay office"
    with unchanged(), pytest.raises(NumberInUse) as refused:
        thrudesk_services.numbers.delete(thrudesk_account.actor, number.id)
    assert refused.value.message == (
        f"{number.label} is in use by 1 campaign that is not archived: “Turnout”. "
        "Archive them first, then delete the number."
    )
    assert number.e164 not in refused.value.message


def test_n6_an_unnamed_number_in_use_is_named_as_people_write_it(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    number = complete_dedicated(thrudesk_services, thrudesk_account)
    active_on_dedicated(thrudesk_services, thrudesk_account, number.id, "Turnout")
    with pytest.raises(NumberInUse) as refused:
        thrudesk_services.numbers.delete(thrudesk_account.actor, number.id)
    assert refused.value.message.startswith(f"{format_phone(number.e164)} is in use by ")


def test_n6_a_launch_on_a_number_not_ready_names_it_with_its_name(
    thrudesk_services: Services, thrudesk_account: StarterAccount, unchanged: Unchanged
) -> None:
    actor = thrudesk_account.actor
    number = thrudesk_services.numbers.create_dedicated(
        actor, ["415"], thrudesk_account.use_case_id, "Bay office"
    )
    draft = thrudesk_services.campaigns.create(actor, "Turnout")
    with unchanged(), pytest.raises(NumberNotReady) as refused:
        thrudesk_services.campaigns.launch(actor, draft, "dedicated", number.id)
    assert refused.value.message.startswith(
        f"{format_phone(number.e164)} · Bay office is Provisioning Initiated;"
    )


def test_n7_single_use_number_tries_region_preferences_in_order(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    thrudesk_services.numbers.create_dedicated(actor, ["206"], thrudesk_account.use_case_id)
    campaign = thrudesk_services.campaigns.create(
        actor,
        "Seattle push",
        area_codes=["206", "425", "253"],
        use_case_id=thrudesk_account.use_case_id,
    )
    row = thrudesk_services.campaigns.launch(actor, campaign, "single_use")
    assert row.number_kind is NumberKind.SINGLE_USE
    assert row.phone_e164 is not None
    assert row.phone_e164.startswith("+1425")


def test_n8_no_inventory_in_any_preference_is_refused_by_name(
    thrudesk_services: Services, thrudesk_account: StarterAccount, unchanged: Unchanged
) -> None:
    actor = thrudesk_account.actor
    thrudesk_services.numbers.create_dedicated(actor, ["206"], thrudesk_account.use_case_id)
    with unchanged(), pytest.raises(NoNumbersAvailable) as refused:
        thrudesk_services.numbers.create_dedicated(actor, ["206"], thrudesk_account.use_case_id)
    assert "no numbers available in 206" in refused.value.message.lower()


def test_n7_single_use_number_is_released_when_its_campaign_is_archived(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    campaign = launch_single_use(thrudesk_services, thrudesk_account)
    number_id = thrudesk_services.campaigns.index_row(actor, campaign).phone_number_id
    assert number_id is not None
    thrudesk_services.campaigns.archive(actor, campaign)
    released = thrudesk_services.numbers.get(actor, number_id)
    assert released.released_at is not None
    usage = {u.id: u for u in thrudesk_services.numbers.use_cases(actor)}
    assert usage[thrudesk_account.use_case_id].used == 0


def test_n7_a_single_use_number_cannot_be_deleted_directly(
    thrudesk_services: Services, thrudesk_account: StarterAccount, unchanged: Unchanged
) -> None:
    actor = thrudesk_account.actor
    campaign = launch_single_use(thrudesk_services, thrudesk_account)
    number_id = thrudesk_services.campaigns.index_row(actor, campaign).phone_number_id
    assert number_id is not None
    with unchanged(), pytest.raises(InvalidInput, match="archiving its campaign"):
        thrudesk_services.numbers.delete(actor, number_id)


@pytest.mark.parametrize(
    "status",
    [
        UseCaseStatus.PENDING,
        UseCaseStatus.FAILED,
        UseCaseStatus.PRE_SUBMISSION,
        UseCaseStatus.REGISTERED,
    ],
)
def test_u1_numbers_attach_only_to_an_approved_use_case(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    unchanged: Unchanged,
    status: UseCaseStatus,
) -> None:
    thrudesk_services.accounts.set_use_case_status(
        thrudesk_account.account_id, thrudesk_account.use_case_id, status
    )
    with unchanged(), pytest.raises(UseCaseNotApproved) as refused:
        thrudesk_services.numbers.create_dedicated(
            thrudesk_account.actor, ["415"], thrudesk_account.use_case_id
        )
    assert status.label in refused.value.message
    assert refused.value.field == "use_case"


def test_u1_a_brand_that_is_not_registered_blocks_numbers(
    thrudesk_services: Services, unchanged: Unchanged
) -> None:
    from thrudesk.models.enums import BrandStatus, Role

    accounts = thrudesk_services.accounts
    account = accounts.create_account("Unverified Org")
    admin = accounts.add_user(account.id, "Uma Admin", "uma@example.org", Role.ADMIN)
    brand = accounts.register_brand(account.id, "Unverified Org", BrandStatus.UNVERIFIED)
    use_case = accounts.add_use_case(account.id, brand, "Outreach", UseCaseStatus.APPROVED)
    actor = accounts.admin_actor(account.id)
    assert actor.user_id == admin.id
    with unchanged(), pytest.raises(UseCaseNotApproved, match="Registration Unverified"):
        thrudesk_services.numbers.create_dedicated(actor, ["415"], use_case)


def test_u2_use_case_usage_reads_n_of_49_and_warns_from_45(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    _fill_use_case(thrudesk_services, thrudesk_account, 44)
    usage = {u.id: u for u in thrudesk_services.numbers.use_cases(thrudesk_account.actor)}
    assert usage[thrudesk_account.use_case_id].usage_text == "44 of 49 numbers"
    assert not usage[thrudesk_account.use_case_id].warning
    launch_single_use(thrudesk_services, thrudesk_account, title="Forty-fifth")
    usage = {u.id: u for u in thrudesk_services.numbers.use_cases(thrudesk_account.actor)}
    assert usage[thrudesk_account.use_case_id].usage_text == "45 of 49 numbers"
    assert usage[thrudesk_account.use_case_id].warning


def test_numbers_page_sorts_and_filters_in_sql(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    a = thrudesk_services.numbers.create_dedicated(
        actor, ["512"], thrudesk_account.use_case_id, "Austin"
    )
    b = thrudesk_services.numbers.create_dedicated(
        actor, ["415"], thrudesk_account.use_case_id, "Bay"
    )
    complete(thrudesk_services, b.id)
    by_name = thrudesk_services.numbers.page(actor, sort=NumberSortKey.NAME)
    assert [r.name for r in by_name.rows] == ["Austin", "Bay"]
    by_status = thrudesk_services.numbers.page(actor, sort=NumberSortKey.CARRIERS, descending=True)
    assert [r.id for r in by_status.rows] == [b.id, a.id]
    assert [r.id for r in thrudesk_services.numbers.page(actor, text="austin").rows] == [a.id]
    assert [r.id for r in thrudesk_services.numbers.page(actor, text="San Francisco").rows] == [
        b.id
    ]
    digits = b.e164[-4:]
    assert b.id in [r.id for r in thrudesk_services.numbers.page(actor, text=digits).rows]
    for key in NumberSortKey:
        assert thrudesk_services.numbers.page(actor, sort=key).total == 2


def test_p2_the_number_at_a_position_is_the_pages_and_none_past_the_end(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    numbers = thrudesk_services.numbers
    austin = numbers.create_dedicated(actor, ["512"], thrudesk_account.use_case_id, "Austin")
    bay = numbers.create_dedicated(actor, ["415"], thrudesk_account.use_case_id, "Bay")
    numbers.create_dedicated(actor, ["312"], thrudesk_account.use_case_id, "Chicago")
    complete(thrudesk_services, bay.id)
    for key in NumberSortKey:
        for descending in (False, True):
            page = numbers.page(actor, sort=key, descending=descending)
            for position, row in enumerate(page.rows):
                assert numbers.id_at(actor, position, sort=key, descending=descending) == (
                    row.id,
                    3,
                ), (key, descending, position)
            assert numbers.id_at(actor, 3, sort=key, descending=descending) == (None, 3)
    # The filter text narrows both the order and the count, as it does the page.
    assert numbers.id_at(actor, 0, text="austin") == (austin.id, 1)
    assert numbers.id_at(actor, 1, text="austin") == (None, 1)
