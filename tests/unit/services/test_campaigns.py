"""Campaign rules C1–C3, C8–C10 and C16, through the services, without Qt."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.snapshots import Unchanged
from tests.unit.services.helpers import (
    active_on_dedicated,
    buy_dedicated,
    complete,
    complete_dedicated,
    fail,
    launch_single_use,
)
from thrudesk.models import Contact, Conversation
from thrudesk.models.enums import CampaignStatus, NumberMode, ProvisioningStatus
from thrudesk.services.campaigns import FollowupTargeting
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.errors import (
    InvalidInput,
    InvalidTransition,
    NotFound,
    NumberNotReady,
)
from thrudesk.services.rows import (
    CampaignFlagKind,
    CampaignSortKey,
    CampaignStatusFilter,
)
from thrudesk.services.starter import StarterAccount


def _add_contacts(
    services: Services, account: StarterAccount, campaign_id: int, n: int
) -> list[int]:
    """Put ``n`` contacts into a campaign (as an import would), answering their contact ids."""
    ids: list[int] = []
    with services.store.begin() as session:
        for index in range(n):
            contact = Contact(
                account_id=account.account_id,
                phone=f"+1512555{index:04d}",
                first_name=f"C{index}",
                last_name="Test",
            )
            session.add(contact)
            session.flush()
            session.add(
                Conversation(
                    campaign_id=campaign_id,
                    contact_id=contact.id,
                    fields={"ward": "north" if index % 2 else "south"},
                )
            )
            ids.append(contact.id)
    from thrudesk.models import Campaign
    from thrudesk.services.audience import recount

    with services.store.begin() as session:
        recount(session, session.get_one(Campaign, campaign_id))
    return ids


# ---------------------------------------------------------------------------- C1
def test_c1_a_new_campaign_is_a_draft(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    campaign = thrudesk_services.campaigns.create(thrudesk_account.actor, "  Spring canvass ")
    row = thrudesk_services.campaigns.index_row(thrudesk_account.actor, campaign)
    assert row.status is CampaignStatus.DRAFT
    assert row.title == "Spring canvass"
    assert row.phone_label == ""


def test_c1_active_and_paused_go_back_and_forth(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    number = complete_dedicated(thrudesk_services, thrudesk_account)
    campaign = active_on_dedicated(thrudesk_services, thrudesk_account, number.id)
    thrudesk_services.campaigns.pause(actor, campaign)
    assert thrudesk_services.campaigns.index_row(actor, campaign).status is CampaignStatus.PAUSED
    thrudesk_services.campaigns.resume(actor, campaign)
    assert thrudesk_services.campaigns.index_row(actor, campaign).status is CampaignStatus.ACTIVE


def test_c1_pausing_a_draft_is_refused_and_writes_nothing(
    thrudesk_services: Services, thrudesk_account: StarterAccount, unchanged: Unchanged
) -> None:
    campaign = thrudesk_services.campaigns.create(thrudesk_account.actor, "Draft")
    with unchanged(), pytest.raises(InvalidTransition, match="Only an Active campaign"):
        thrudesk_services.campaigns.pause(thrudesk_account.actor, campaign)


@pytest.mark.parametrize("status", ["draft", "launching", "active", "paused"])
def test_c1_archiving_is_possible_from_any_status_and_cannot_be_undone(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    unchanged: Unchanged,
    status: str,
) -> None:
    actor = thrudesk_account.actor
    if status == "launching":
        campaign = launch_single_use(thrudesk_services, thrudesk_account)
    elif status == "draft":
        campaign = thrudesk_services.campaigns.create(actor, "Draft")
    else:
        number = complete_dedicated(thrudesk_services, thrudesk_account)
        campaign = active_on_dedicated(thrudesk_services, thrudesk_account, number.id)
        if status == "paused":
            thrudesk_services.campaigns.pause(actor, campaign)
    assert thrudesk_services.campaigns.index_row(actor, campaign).status.value == status
    thrudesk_services.campaigns.archive(actor, campaign)
    assert thrudesk_services.campaigns.index_row(actor, campaign).status is CampaignStatus.ARCHIVED
    with unchanged():
        with pytest.raises(InvalidTransition, match="cannot be undone"):
            thrudesk_services.campaigns.archive(actor, campaign)
        with pytest.raises(InvalidTransition):
            thrudesk_services.campaigns.resume(actor, campaign)


def test_c1_a_failed_provisioning_returns_the_launch_to_draft_flagged(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    campaign = launch_single_use(thrudesk_services, thrudesk_account)
    number_id = thrudesk_services.campaigns.index_row(actor, campaign).phone_number_id
    assert number_id is not None
    fail(thrudesk_services, number_id)
    row = thrudesk_services.campaigns.index_row(actor, campaign)
    assert row.status is CampaignStatus.DRAFT
    assert row.provisioning_status is ProvisioningStatus.FAILED
    assert [f.kind for f in row.flags] == [CampaignFlagKind.PROVISIONING_FAILED]
    assert row.status_text == "Draft · Provisioning Failed"


# ---------------------------------------------------------------------------- C2
def test_c2_launch_offers_dedicated_by_default_with_complete_numbers_only(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    ready = complete_dedicated(thrudesk_services, thrudesk_account, "Main line")
    thrudesk_services.numbers.create_dedicated(actor, ["512"], thrudesk_account.use_case_id, "Busy")
    campaign = thrudesk_services.campaigns.create(actor, "Turnout")
    options = thrudesk_services.campaigns.launch_options(actor, campaign)
    assert options.default_mode is NumberMode.DEDICATED
    assert [c.id for c in options.dedicated_numbers] == [ready.id]
    assert "Main line" in options.dedicated_numbers[0].label
    assert "Voter Outreach" in options.dedicated_numbers[0].label
    assert not options.manage_needed


def test_c2_without_a_complete_dedicated_number_the_manage_button_is_needed(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    thrudesk_services.numbers.create_dedicated(actor, ["512"], thrudesk_account.use_case_id)
    campaign = thrudesk_services.campaigns.create(actor, "Turnout")
    options = thrudesk_services.campaigns.launch_options(actor, campaign)
    assert options.dedicated_numbers == ()
    assert options.manage_needed


# ---------------------------------------------------------------------------- C3 / N4
def test_c3_launching_on_a_dedicated_number_is_active_at_once(
    thrudesk_services: Services, thrudesk_account: StarterAccount, sim_clock: ManualClock
) -> None:
    number = complete_dedicated(thrudesk_services, thrudesk_account)
    campaign = active_on_dedicated(thrudesk_services, thrudesk_account, number.id)
    details = thrudesk_services.campaigns.details(thrudesk_account.actor, campaign)
    assert details.status is CampaignStatus.ACTIVE
    assert details.activated_at == sim_clock.now()
    assert details.row.start_at == sim_clock.now()  # C11: the start date defaults to now


def test_n4_a_dedicated_number_still_provisioning_is_refused_at_launch(
    thrudesk_services: Services, thrudesk_account: StarterAccount, unchanged: Unchanged
) -> None:
    actor = thrudesk_account.actor
    number = buy_dedicated(thrudesk_services, thrudesk_account)
    campaign = thrudesk_services.campaigns.create(actor, "Too soon")
    with unchanged(), pytest.raises(NumberNotReady) as refused:
        thrudesk_services.campaigns.launch(actor, campaign, NumberMode.DEDICATED, number.id)
    assert "Provisioning Initiated" in refused.value.message
    assert refused.value.field == "dedicated_number"


def test_c2_launching_dedicated_without_choosing_a_number_is_refused(
    thrudesk_services: Services, thrudesk_account: StarterAccount, unchanged: Unchanged
) -> None:
    campaign = thrudesk_services.campaigns.create(thrudesk_account.actor, "No number")
    with unchanged(), pytest.raises(InvalidInput) as refused:
        thrudesk_services.campaigns.launch(thrudesk_account.actor, campaign, "dedicated")
    assert refused.value.field == "dedicated_number"


def test_c2_an_unknown_number_mode_is_refused(
    thrudesk_services: Services, thrudesk_account: StarterAccount, unchanged: Unchanged
) -> None:
    campaign = thrudesk_services.campaigns.create(thrudesk_account.actor, "Odd mode")
    with unchanged(), pytest.raises(InvalidInput) as refused:
        thrudesk_services.campaigns.launch(thrudesk_account.actor, campaign, "shared")
    assert refused.value.field == "number_mode"


def test_c4_single_use_launch_waits_in_launching_until_complete(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    campaign = launch_single_use(thrudesk_services, thrudesk_account)
    row = thrudesk_services.campaigns.index_row(actor, campaign)
    assert row.status is CampaignStatus.LAUNCHING
    assert row.provisioning_status is ProvisioningStatus.INITIATED
    assert row.phone_number_id is not None
    complete(thrudesk_services, row.phone_number_id)
    assert thrudesk_services.campaigns.index_row(actor, campaign).status is CampaignStatus.ACTIVE


def test_c1_a_failed_campaign_is_not_launched_again(
    thrudesk_services: Services, thrudesk_account: StarterAccount, unchanged: Unchanged
) -> None:
    actor = thrudesk_account.actor
    campaign = launch_single_use(thrudesk_services, thrudesk_account)
    number_id = thrudesk_services.campaigns.index_row(actor, campaign).phone_number_id
    assert number_id is not None
    fail(thrudesk_services, number_id)
    with unchanged(), pytest.raises(InvalidTransition, match="Clone and archive"):
        thrudesk_services.campaigns.launch(actor, campaign, "single_use")


# ---------------------------------------------------------------------------- C8
def test_c8_a_followup_sends_on_the_original_number_without_a_new_slot(
    thrudesk_services: Services, thrudesk_account: StarterAccount, sim_clock: ManualClock
) -> None:
    actor = thrudesk_account.actor
    campaign = launch_single_use(thrudesk_services, thrudesk_account)
    original = thrudesk_services.campaigns.index_row(actor, campaign)
    assert original.phone_number_id is not None
    complete(thrudesk_services, original.phone_number_id)
    _add_contacts(thrudesk_services, thrudesk_account, campaign, 6)
    used_before = {u.id: u.used for u in thrudesk_services.numbers.use_cases(actor)}
    followup = thrudesk_services.campaigns.create_followup(
        actor,
        campaign,
        title="Reminder",
        message="Polls close at 8!",
        expires_at=sim_clock.now() + timedelta(days=2),
    )
    row = thrudesk_services.campaigns.index_row(actor, followup)
    assert row.phone_number_id == original.phone_number_id
    assert row.status is CampaignStatus.ACTIVE
    assert row.parent_id == campaign
    assert row.contact_count == 6
    assert {u.id: u.used for u in thrudesk_services.numbers.use_cases(actor)} == used_before
    parent = thrudesk_services.campaigns.details(actor, campaign)
    assert [f.id for f in parent.followups] == [followup]


def test_c8_targeting_removes_contacts_and_never_adds_outsiders(
    thrudesk_services: Services, thrudesk_account: StarterAccount, sim_clock: ManualClock
) -> None:
    actor = thrudesk_account.actor
    number = complete_dedicated(thrudesk_services, thrudesk_account)
    campaign = active_on_dedicated(thrudesk_services, thrudesk_account, number.id)
    other = active_on_dedicated(thrudesk_services, thrudesk_account, number.id, "Other")
    ids = _add_contacts(thrudesk_services, thrudesk_account, campaign, 8)
    with thrudesk_services.store.begin() as session:
        outsider = Contact(account_id=thrudesk_account.account_id, phone="+15125559999")
        session.add(outsider)
        session.flush()
        session.add(Conversation(campaign_id=other, contact_id=outsider.id, fields={}))
        opted = session.get_one(Contact, ids[0])
        opted.opted_out_at = sim_clock.now()
        replied = session.scalar(select(Conversation).where(Conversation.contact_id == ids[1]))
        assert replied is not None
        replied.replied_at = sim_clock.now()
        outsider_id = outsider.id
    targeting = FollowupTargeting(
        replied=False, field_equals={"ward": "north"}, exclude_contact_ids=[ids[2], outsider_id]
    )
    expected = {
        cid
        for index, cid in enumerate(ids)
        if index not in (0, 1, 2) and index % 2 == 0  # south ward, not replied, not removed
    }
    assert thrudesk_services.campaigns.followup_audience_size(actor, campaign, targeting) == len(
        expected
    )
    followup = thrudesk_services.campaigns.create_followup(
        actor,
        campaign,
        title="Nudge",
        message="Still time to vote",
        expires_at=sim_clock.now() + timedelta(hours=6),
        targeting=targeting,
    )
    with thrudesk_services.store.read() as session:
        audience = set(
            session.scalars(
                select(Conversation.contact_id).where(Conversation.campaign_id == followup)
            )
        )
    assert audience == expected
    assert outsider_id not in audience


def test_c8_a_followup_needs_a_launched_original_and_a_future_expiry(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    unchanged: Unchanged,
) -> None:
    actor = thrudesk_account.actor
    draft = thrudesk_services.campaigns.create(actor, "Draft")
    number = complete_dedicated(thrudesk_services, thrudesk_account)
    active = active_on_dedicated(thrudesk_services, thrudesk_account, number.id)
    with unchanged():
        with pytest.raises(InvalidTransition):
            thrudesk_services.campaigns.create_followup(
                actor, draft, title="x", message="y", expires_at=sim_clock.now() + timedelta(1)
            )
        with pytest.raises(InvalidInput) as refused:
            thrudesk_services.campaigns.create_followup(
                actor, active, title="x", message="y", expires_at=sim_clock.now()
            )
        assert refused.value.field == "expires_at"
        with pytest.raises(InvalidInput) as blank:
            thrudesk_services.campaigns.create_followup(
                actor, active, title="x", message="  ", expires_at=sim_clock.now() + timedelta(1)
            )
        assert blank.value.field == "message"


# ---------------------------------------------------------------------------- C9
def test_c9_cloning_copies_what_it_should_and_nothing_else(
    thrudesk_services: Services, thrudesk_account: StarterAccount, sim_clock: ManualClock
) -> None:
    actor = thrudesk_account.actor
    campaign = thrudesk_services.campaigns.create(
        actor,
        "Turnout",
        script="Hi {first_name}!",
        area_codes=["512", "737"],
        use_case_id=thrudesk_account.use_case_ids[1],
    )
    _add_contacts(thrudesk_services, thrudesk_account, campaign, 5)
    thrudesk_services.campaigns.launch(actor, campaign, "single_use")
    copy = thrudesk_services.campaigns.clone(actor, campaign)
    details = thrudesk_services.campaigns.details(actor, copy)
    assert details.title == "Copy of Turnout"
    assert details.status is CampaignStatus.DRAFT
    assert details.script == "Hi {first_name}!"
    assert details.area_codes == ("512", "737")
    assert details.use_case_id == thrudesk_account.use_case_ids[1]
    assert details.contacts == 5
    assert details.unassigned == 5
    assert details.row.phone_number_id is None
    assert details.row.start_at is None
    assert details.senders == ()
    assert details.followups == ()
    assert details.cloned_from_id == campaign


def test_c9_a_copy_of_a_copy_is_numbered_not_copied_twice(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    campaigns = thrudesk_services.campaigns
    original = campaigns.create(actor, "Turnout")

    def title(campaign_id: int) -> str:
        return campaigns.index_row(actor, campaign_id).title

    first = campaigns.clone(actor, original)
    assert title(first) == "Copy of Turnout"
    assert campaigns.clone_title(actor, first) == "Copy of Turnout (2)"  # as it will be called
    second = campaigns.clone(actor, first)
    assert title(second) == "Copy of Turnout (2)"
    assert title(campaigns.clone(actor, second)) == "Copy of Turnout (3)"
    assert title(campaigns.clone(actor, original)) == "Copy of Turnout (4)"
    # A title at the longest allowed keeps room for its number.
    long = campaigns.create(actor, "x" * 200)
    copy = campaigns.clone(actor, long)
    assert title(copy) == "Copy of " + "x" * 192
    assert title(campaigns.clone(actor, copy)) == "Copy of " + "x" * 188 + " (2)"


def test_c9_clone_and_archive_replaces_a_failed_campaign_in_one_action(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    campaign = launch_single_use(thrudesk_services, thrudesk_account, title="Cleanup day")
    number_id = thrudesk_services.campaigns.index_row(actor, campaign).phone_number_id
    assert number_id is not None
    fail(thrudesk_services, number_id)
    assert thrudesk_services.campaigns.index_row(actor, campaign).clone_and_archive_refusal is None
    copy = thrudesk_services.campaigns.clone_and_archive(actor, campaign)
    assert thrudesk_services.campaigns.index_row(actor, campaign).status is CampaignStatus.ARCHIVED
    fresh = thrudesk_services.campaigns.index_row(actor, copy)
    assert fresh.title == "Copy of Cleanup day"
    assert fresh.status is CampaignStatus.DRAFT
    assert fresh.flags == ()


def test_c9_clone_and_archive_is_only_for_failed_campaigns(
    thrudesk_services: Services, thrudesk_account: StarterAccount, unchanged: Unchanged
) -> None:
    campaign = thrudesk_services.campaigns.create(thrudesk_account.actor, "Fine")
    with unchanged(), pytest.raises(InvalidTransition):
        thrudesk_services.campaigns.clone_and_archive(thrudesk_account.actor, campaign)


# ---------------------------------------------------------------------------- C10
def test_c10_an_archived_campaign_stays_readable_and_clonable(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    campaign = launch_single_use(thrudesk_services, thrudesk_account, title="Old")
    _add_contacts(thrudesk_services, thrudesk_account, campaign, 3)
    thrudesk_services.campaigns.archive(actor, campaign)
    details = thrudesk_services.campaigns.details(actor, campaign)
    assert details.status is CampaignStatus.ARCHIVED
    assert details.contacts == 3
    copy = thrudesk_services.campaigns.clone(actor, campaign)
    assert thrudesk_services.campaigns.details(actor, copy).contacts == 3


def test_c10_archiving_an_original_archives_its_followups_and_frees_the_number(
    thrudesk_services: Services, thrudesk_account: StarterAccount, sim_clock: ManualClock
) -> None:
    actor = thrudesk_account.actor
    campaign = launch_single_use(thrudesk_services, thrudesk_account)
    number_id = thrudesk_services.campaigns.index_row(actor, campaign).phone_number_id
    assert number_id is not None
    complete(thrudesk_services, number_id)
    followup = thrudesk_services.campaigns.create_followup(
        actor, campaign, title="F", message="m", expires_at=sim_clock.now() + timedelta(days=1)
    )
    thrudesk_services.campaigns.archive(actor, campaign)
    assert thrudesk_services.campaigns.index_row(actor, followup).status is CampaignStatus.ARCHIVED
    assert thrudesk_services.numbers.get(actor, number_id).released_at is not None


# ---------------------------------------------------------------------------- C16
def test_c16_the_index_shows_number_name_and_badge_and_changes_live(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    number = complete_dedicated(thrudesk_services, thrudesk_account, "Main line")
    dedicated = active_on_dedicated(thrudesk_services, thrudesk_account, number.id, "On main")
    single = launch_single_use(thrudesk_services, thrudesk_account, title="On single")
    rows = {r.id: r for r in thrudesk_services.campaigns.index(actor).rows}
    assert rows[dedicated].phone_label.endswith("· Main line")
    assert rows[dedicated].provisioning_status is ProvisioningStatus.COMPLETE
    assert "·" not in rows[single].phone_label
    assert rows[single].provisioning_status is ProvisioningStatus.INITIATED
    number_id = rows[single].phone_number_id
    assert number_id is not None
    complete(thrudesk_services, number_id)
    live = thrudesk_services.campaigns.index_row(actor, single)
    assert live.provisioning_status is ProvisioningStatus.COMPLETE
    assert live.status is CampaignStatus.ACTIVE
    header = thrudesk_services.campaigns.details(actor, single)
    assert header.row.provisioning_status is ProvisioningStatus.COMPLETE
    assert [c.status.value for c in header.carriers] == ["confirmed"] * 3


def test_c16_the_index_filters_by_status_group_and_sorts_in_sql(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    number = complete_dedicated(thrudesk_services, thrudesk_account)
    draft = thrudesk_services.campaigns.create(actor, "Alpha draft")
    launching = launch_single_use(thrudesk_services, thrudesk_account, title="Beta launching")
    active = active_on_dedicated(thrudesk_services, thrudesk_account, number.id, "Gamma active")
    paused = active_on_dedicated(thrudesk_services, thrudesk_account, number.id, "Delta paused")
    thrudesk_services.campaigns.pause(actor, paused)
    archived = thrudesk_services.campaigns.create(actor, "Epsilon archived")
    thrudesk_services.campaigns.archive(actor, archived)

    def ids(status: CampaignStatusFilter) -> set[int]:
        return {r.id for r in thrudesk_services.campaigns.index(actor, status=status).rows}

    assert ids(CampaignStatusFilter.DRAFT) == {draft, launching}
    assert ids(CampaignStatusFilter.ACTIVE) == {active}
    assert ids(CampaignStatusFilter.PAUSED) == {paused}
    assert ids(CampaignStatusFilter.ARCHIVED) == {archived}
    assert len(ids(CampaignStatusFilter.ALL)) == 5
    by_title = thrudesk_services.campaigns.index(
        actor, sort=CampaignSortKey.TITLE, descending=False
    )
    assert next(r.title for r in by_title.rows) == "Alpha draft"
    found = thrudesk_services.campaigns.index(actor, text="gamma")
    assert [r.id for r in found.rows] == [active]
    assert found.total == 1
    for key in CampaignSortKey:
        for descending in (False, True):
            page = thrudesk_services.campaigns.index(actor, sort=key, descending=descending)
            assert page.total == 5
            assert len(page.rows) == 5


def test_c16_index_pages_lazily(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    for index in range(7):
        thrudesk_services.campaigns.create(actor, f"Campaign {index:02d}")
    first = thrudesk_services.campaigns.index(
        actor, sort=CampaignSortKey.TITLE, descending=False, limit=3
    )
    second = thrudesk_services.campaigns.index(
        actor, sort=CampaignSortKey.TITLE, descending=False, offset=3, limit=3
    )
    assert first.total == 7
    assert [r.title for r in first.rows + second.rows] == [f"Campaign {i:02d}" for i in range(6)]


# ---------------------------------------------------------------------------- inputs
@pytest.mark.parametrize("title", ["", "   ", "x" * 201, "line\x00break"])
def test_c1_a_bad_title_is_refused(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    unchanged: Unchanged,
    title: str,
) -> None:
    with unchanged(), pytest.raises(InvalidInput) as refused:
        thrudesk_services.campaigns.create(thrudesk_account.actor, title)
    assert refused.value.field == "title"


def test_c2_single_use_launch_needs_an_area_code_preference(
    thrudesk_services: Services, thrudesk_account: StarterAccount, unchanged: Unchanged
) -> None:
    campaign = thrudesk_services.campaigns.create(
        thrudesk_account.actor, "No region", use_case_id=thrudesk_account.use_case_id
    )
    with unchanged(), pytest.raises(InvalidInput) as refused:
        thrudesk_services.campaigns.launch(thrudesk_account.actor, campaign, "single_use")
    assert refused.value.field == "area_codes"


def test_n12_campaign_of_another_account_is_not_found(
    thrudesk_services: Services, thrudesk_account: StarterAccount, unchanged: Unchanged
) -> None:
    from thrudesk.services.starter import create_starter_account

    other = create_starter_account(thrudesk_services, "Other Org", admin_name="Olga Other")
    theirs = thrudesk_services.campaigns.create(other.actor, "Theirs")
    with unchanged(), pytest.raises(NotFound):
        thrudesk_services.campaigns.archive(thrudesk_account.actor, theirs)


def test_c15_a_clone_with_self_assign_on_gets_its_own_new_invite_link(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    number = complete_dedicated(thrudesk_services, thrudesk_account)
    campaign = active_on_dedicated(thrudesk_services, thrudesk_account, number.id)
    thrudesk_services.senders.set_self_assign(actor, campaign, True)
    original_token = thrudesk_services.campaigns.details(actor, campaign).invite_token
    copy = thrudesk_services.campaigns.clone(actor, campaign)
    details = thrudesk_services.campaigns.details(actor, copy)
    assert details.self_assign
    assert details.invite_token is not None
    assert details.invite_token != original_token


def test_c4_a_launching_campaign_waits_for_its_number_without_polling(
    thrudesk_services: Services, thrudesk_account: StarterAccount, sim_clock: ManualClock
) -> None:
    from thrudesk.models import SimulationJob
    from thrudesk.models.enums import JobKind

    def planned(campaign: int) -> int:
        """Sending jobs ever planned for the campaign (applied or not)."""
        with thrudesk_services.store.read() as session:
            return len(
                session.scalars(
                    select(SimulationJob.id).where(
                        SimulationJob.kind.in_(
                            [JobKind.SCHEDULED_START, JobKind.SIMULATED_ACTIVITY]
                        ),
                        SimulationJob.subject_id == campaign,
                    )
                ).all()
            )

    actor = thrudesk_account.actor
    thrudesk_services.context.scheduler = _NoCarriers()  # the test answers for the carriers
    campaign = launch_single_use(thrudesk_services, thrudesk_account)
    sim_clock.advance(minutes=1)
    at_launch = planned(campaign)
    sim_clock.advance(hours=3)
    assert planned(campaign) == at_launch  # nothing re-checks while the number provisions
    number_id = thrudesk_services.campaigns.index_row(actor, campaign).phone_number_id
    assert number_id is not None
    complete(thrudesk_services, number_id)
    assert thrudesk_services.campaigns.index_row(actor, campaign).status is CampaignStatus.ACTIVE
    assert planned(campaign) > at_launch  # completing it opened the sending window


class _NoCarriers:
    """A provisioning scheduler that plans no carrier answers."""

    def schedule_provisionings(self, uow: object, numbers: object) -> None:
        return None
