"""A campaign's senders: pre-loading (C12), adding them (C13), Self Assign (C14), the invite
link (C15)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from tests.snapshots import Unchanged
from tests.unit.services.teamwork_helpers import (
    CampaignWithContacts,
    add_sender_users,
    contacts_csv,
    conversation_ids,
    sender_on,
)
from thrudesk.models.enums import CampaignStatus, SenderSource
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.errors import (
    InvalidInput,
    InvalidTransition,
    InviteLinkRefused,
    NoConversationsAvailable,
    NotFound,
    PermissionDenied,
)
from thrudesk.services.senders import INVITE_URL_PREFIX, token_from_link
from thrudesk.services.starter import StarterAccount, create_starter_account


# ---------------------------------------------------------------------- C12, C13
@pytest.mark.usefixtures("quiet")
def test_c12_a_campaign_launches_with_no_senders_and_all_conversations_unassigned(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    ready = campaign_with_contacts(7)
    team = thrudesk_services.senders.team(thrudesk_account.actor, ready.campaign_id)
    assert team.status is CampaignStatus.ACTIVE
    assert team.senders == ()
    assert team.unassigned == 7
    assert team.preloaded
    details = thrudesk_services.campaigns.details(thrudesk_account.actor, ready.campaign_id)
    assert (details.unassigned, details.assigned) == (7, 0)


@pytest.mark.usefixtures("quiet")
def test_c12_senders_can_be_added_once_the_campaign_is_active(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    ready = campaign_with_contacts(4)
    (sam,) = add_sender_users(thrudesk_services, thrudesk_account, 1)
    team = thrudesk_services.senders.add(thrudesk_account.actor, ready.campaign_id, [sam.user_id])
    assert [(s.name, s.source, s.assigned) for s in team.senders] == [
        ("Sender 1", SenderSource.DIRECT, 4)
    ]
    assert not team.preloaded
    assert (
        thrudesk_services.campaigns.index_row(
            thrudesk_account.actor, ready.campaign_id
        ).sender_count
        == 1
    )


@pytest.mark.usefixtures("quiet")
def test_c13_adding_senders_splits_the_unassigned_conversations_evenly(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    ready = campaign_with_contacts(10)
    senders = add_sender_users(thrudesk_services, thrudesk_account, 3)
    team = thrudesk_services.senders.add(
        thrudesk_account.actor, ready.campaign_id, [s.user_id for s in senders]
    )
    assert [s.assigned for s in team.senders] == [4, 3, 3]
    assert team.unassigned == 0
    ids = conversation_ids(thrudesk_services, ready.campaign_id)
    # Deterministic: the first sender listed gets the lowest ids, and so on.
    assert conversation_ids(thrudesk_services, ready.campaign_id, senders[0].user_id) == ids[:4]
    assert conversation_ids(thrudesk_services, ready.campaign_id, senders[1].user_id) == ids[4:7]
    assert conversation_ids(thrudesk_services, ready.campaign_id, senders[2].user_id) == ids[7:]


@pytest.mark.usefixtures("quiet")
def test_c13_senders_added_later_share_only_what_is_still_unassigned(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    ready = campaign_with_contacts(5)
    first, second, third = add_sender_users(thrudesk_services, thrudesk_account, 3)
    thrudesk_services.senders.add(actor, ready.campaign_id, [first.user_id])
    thrudesk_services.contacts.import_csv(
        actor, ready.campaign_id, contacts_csv(tmp_path / "more.csv", 5, start=50)
    )
    team = thrudesk_services.senders.add(actor, ready.campaign_id, [second.user_id, third.user_id])
    assert [s.assigned for s in team.senders] == [5, 3, 2]


@pytest.mark.usefixtures("quiet")
def test_c13_removing_a_sender_returns_their_unsent_conversations_to_unassigned(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    ready = campaign_with_contacts(4)
    sam = sender_on(thrudesk_services, thrudesk_account, ready.campaign_id)
    sent = conversation_ids(thrudesk_services, ready.campaign_id)[0]
    thrudesk_services.messaging.send_initial(sam, ready.campaign_id, sent)
    team = thrudesk_services.senders.remove(actor, ready.campaign_id, sam.user_id)
    assert team.senders == ()
    assert team.unassigned == 3
    # What Sam sent stays Sam's: the history of who texted whom.
    assert conversation_ids(thrudesk_services, ready.campaign_id, sam.user_id) == [sent]


@pytest.mark.usefixtures("quiet")
def test_c13_adding_senders_refuses_admins_strangers_and_repeats_and_writes_nothing(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    unchanged: Unchanged,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    ready = campaign_with_contacts(2)
    sam = sender_on(thrudesk_services, thrudesk_account, ready.campaign_id)
    other = create_starter_account(thrudesk_services, "Other Org", admin_name="Olga Other")
    with unchanged():
        with pytest.raises(InvalidInput, match="already a sender"):
            thrudesk_services.senders.add(actor, ready.campaign_id, [sam.user_id])
        with pytest.raises(InvalidInput, match="only users with the sender role"):
            thrudesk_services.senders.add(actor, ready.campaign_id, [thrudesk_account.admin_id])
        with pytest.raises(NotFound):
            thrudesk_services.senders.add(actor, ready.campaign_id, [other.admin_id])
        with pytest.raises(InvalidInput, match="at least one"):
            thrudesk_services.senders.add(actor, ready.campaign_id, [])
        with pytest.raises(InvalidInput, match="from the list"):
            thrudesk_services.senders.add(actor, ready.campaign_id, ["2"])  # type: ignore[list-item]
        with pytest.raises(PermissionDenied):
            thrudesk_services.senders.add(sam, ready.campaign_id, [sam.user_id])


# ---------------------------------------------------------------------- C14
@pytest.mark.usefixtures("quiet")
def test_c14_self_assign_is_off_by_default_and_switches_in_draft_or_active(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    unchanged: Unchanged,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    draft = thrudesk_services.campaigns.create(actor, "Draft one")
    assert not thrudesk_services.senders.team(actor, draft).self_assign
    assert thrudesk_services.senders.set_self_assign(actor, draft, True).self_assign
    ready = campaign_with_contacts(1)
    assert thrudesk_services.senders.set_self_assign(actor, ready.campaign_id, True).self_assign
    thrudesk_services.campaigns.pause(actor, ready.campaign_id)
    with unchanged(), pytest.raises(InvalidTransition, match="Draft or Active"):
        thrudesk_services.senders.set_self_assign(actor, ready.campaign_id, False)


@pytest.mark.usefixtures("quiet")
def test_c14_batch_size_follows_the_account_default_unless_set_per_campaign(
    thrudesk_services: Services, thrudesk_account: StarterAccount, unchanged: Unchanged
) -> None:
    actor = thrudesk_account.actor
    campaign_id = thrudesk_services.campaigns.create(actor, "Batches")
    team = thrudesk_services.senders.team(actor, campaign_id)
    assert (team.batch_size, team.batch_size_is_default) == (300, True)
    thrudesk_services.accounts.set_default_batch_size(actor, 250)
    assert thrudesk_services.senders.team(actor, campaign_id).batch_size == 250
    team = thrudesk_services.senders.set_batch_size(actor, campaign_id, 5000)
    assert (team.batch_size, team.batch_size_is_default) == (5000, False)
    assert thrudesk_services.campaigns.details(actor, campaign_id).batch_size == 5000
    with unchanged():
        for bad in (0, 5001, -1, True, 2.5, "300"):
            with pytest.raises(InvalidInput, match="from 1 to 5000") as refusal:
                thrudesk_services.senders.set_batch_size(actor, campaign_id, bad)  # type: ignore[arg-type]
            assert refusal.value.field == "batch_size"
    assert thrudesk_services.senders.set_batch_size(actor, campaign_id, None).batch_size == 250


@pytest.mark.usefixtures("quiet")
def test_c14_a_sender_gets_min_of_batch_size_and_unassigned_then_none_are_left(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    unchanged: Unchanged,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    ready = campaign_with_contacts(7)
    thrudesk_services.senders.set_self_assign(actor, ready.campaign_id, True)
    thrudesk_services.senders.set_batch_size(actor, ready.campaign_id, 3)
    sam, kim = add_sender_users(thrudesk_services, thrudesk_account, 2)
    link = thrudesk_services.senders.invite_link(actor, ready.campaign_id)
    assert link is not None
    thrudesk_services.senders.join(sam, link.url)
    thrudesk_services.senders.join(kim, link.url)
    assert thrudesk_services.senders.request_batch(sam, ready.campaign_id).assigned == 3
    assert thrudesk_services.senders.request_batch(kim, ready.campaign_id).assigned == 3
    last = thrudesk_services.senders.request_batch(sam, ready.campaign_id)
    assert (last.assigned, last.unassigned_left) == (1, 0)
    with unchanged(), pytest.raises(NoConversationsAvailable) as refusal:
        thrudesk_services.senders.request_batch(kim, ready.campaign_id)
    assert str(refusal.value) == "No more conversations available"
    team = thrudesk_services.senders.team(actor, ready.campaign_id)
    assert [s.assigned for s in team.senders] == [4, 3]


@pytest.mark.usefixtures("quiet")
def test_c14_only_the_campaigns_senders_may_request_and_only_with_self_assign_on(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    unchanged: Unchanged,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    ready = campaign_with_contacts(5)
    sam, stranger = add_sender_users(thrudesk_services, thrudesk_account, 2)
    thrudesk_services.senders.add(actor, ready.campaign_id, [sam.user_id])
    thrudesk_services.senders.remove(actor, ready.campaign_id, sam.user_id)
    thrudesk_services.senders.add(actor, ready.campaign_id, [sam.user_id])
    thrudesk_services.contacts.import_csv(
        actor, ready.campaign_id, contacts_csv(tmp_path / "more.csv", 2, start=40)
    )
    with unchanged():
        with pytest.raises(InvalidTransition, match="Self Assign is off"):
            thrudesk_services.senders.request_batch(sam, ready.campaign_id)
        with pytest.raises(PermissionDenied, match="Only senders of this campaign"):
            thrudesk_services.senders.request_batch(stranger, ready.campaign_id)
    thrudesk_services.senders.set_self_assign(actor, ready.campaign_id, True)
    assert thrudesk_services.senders.request_batch(sam, ready.campaign_id).assigned == 2
    with pytest.raises(PermissionDenied):
        thrudesk_services.senders.request_batch(stranger, ready.campaign_id)


# ---------------------------------------------------------------------- C15
@pytest.mark.usefixtures("quiet")
def test_c15_the_invite_link_exists_only_while_self_assign_is_on(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    unchanged: Unchanged,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    ready = campaign_with_contacts(1)
    assert thrudesk_services.senders.invite_link(actor, ready.campaign_id) is None
    with unchanged(), pytest.raises(InvalidTransition, match="only while Self Assign is on"):
        thrudesk_services.senders.enable_invite_link(actor, ready.campaign_id)
    team = thrudesk_services.senders.set_self_assign(actor, ready.campaign_id, True)
    assert team.invite is not None
    assert team.invite.url == INVITE_URL_PREFIX + team.invite.token
    details = thrudesk_services.campaigns.details(actor, ready.campaign_id)
    assert details.invite_token == team.invite.token
    team = thrudesk_services.senders.set_self_assign(actor, ready.campaign_id, False)
    assert team.invite is None
    assert thrudesk_services.campaigns.details(actor, ready.campaign_id).invite_token is None


@pytest.mark.usefixtures("quiet")
def test_c15_tokens_are_unguessable_and_new_after_a_disable(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    ready = campaign_with_contacts(1)
    first = thrudesk_services.senders.set_self_assign(actor, ready.campaign_id, True).invite
    assert first is not None
    raw = base64.urlsafe_b64decode(first.token + "=" * (-len(first.token) % 4))
    assert len(raw) * 8 >= 128
    assert (
        thrudesk_services.senders.enable_invite_link(actor, ready.campaign_id).token == first.token
    )
    thrudesk_services.senders.disable_invite_link(actor, ready.campaign_id)
    assert thrudesk_services.senders.invite_link(actor, ready.campaign_id) is None
    second = thrudesk_services.senders.enable_invite_link(actor, ready.campaign_id)
    assert second.token != first.token
    tokens = set()
    for _ in range(20):
        thrudesk_services.senders.disable_invite_link(actor, ready.campaign_id)
        tokens.add(thrudesk_services.senders.enable_invite_link(actor, ready.campaign_id).token)
    assert len(tokens) == 20


@pytest.mark.usefixtures("quiet")
def test_c15_following_an_enabled_link_makes_the_user_a_sender(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    ready = campaign_with_contacts(1)
    link = thrudesk_services.senders.set_self_assign(actor, ready.campaign_id, True).invite
    assert link is not None
    (sam,) = add_sender_users(thrudesk_services, thrudesk_account, 1)
    joined = thrudesk_services.senders.join(sam, f"  {link.url}  ")
    assert (joined.campaign_id, joined.already_sender) == (ready.campaign_id, False)
    team = thrudesk_services.senders.team(actor, ready.campaign_id)
    assert [(s.user_id, s.source) for s in team.senders] == [
        (sam.user_id, SenderSource.INVITE_LINK)
    ]
    # Following it again changes nothing; the bare token works as well as the URL.
    assert thrudesk_services.senders.join(sam, link.token).already_sender


@pytest.mark.usefixtures("quiet")
def test_c15_a_disabled_or_unknown_link_is_refused(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    unchanged: Unchanged,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    ready = campaign_with_contacts(1)
    old = thrudesk_services.senders.set_self_assign(actor, ready.campaign_id, True).invite
    assert old is not None
    thrudesk_services.senders.disable_invite_link(actor, ready.campaign_id)
    new = thrudesk_services.senders.enable_invite_link(actor, ready.campaign_id)
    (sam,) = add_sender_users(thrudesk_services, thrudesk_account, 1)
    with unchanged():
        with pytest.raises(InviteLinkRefused, match="has been disabled"):
            thrudesk_services.senders.join(sam, old.url)
        for unknown in (
            INVITE_URL_PREFIX + "A" * 32,
            new.token[:-1] + ("A" if new.token[-1] != "A" else "B"),
            "",
            "https://thrudesk.invalid/join/",
            "../../etc/passwd",
        ):
            with pytest.raises(InviteLinkRefused, match="not valid"):
                thrudesk_services.senders.join(sam, unknown)
    thrudesk_services.senders.set_self_assign(actor, ready.campaign_id, False)
    with pytest.raises(InviteLinkRefused, match="has been disabled"):
        thrudesk_services.senders.join(sam, new.url)


@pytest.mark.usefixtures("quiet")
def test_c15_n12_a_link_of_another_account_is_refused_as_unknown(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    ready = campaign_with_contacts(1)
    link = thrudesk_services.senders.set_self_assign(
        thrudesk_account.actor, ready.campaign_id, True
    ).invite
    assert link is not None
    other = create_starter_account(thrudesk_services, "Other Org", admin_name="Olga Other")
    (outsider,) = add_sender_users(thrudesk_services, other, 1)
    with pytest.raises(InviteLinkRefused, match="not valid"):
        thrudesk_services.senders.join(outsider, link.url)


def test_c15_links_are_read_from_a_url_or_a_bare_token() -> None:
    token = "a" * 32
    assert token_from_link(f"https://thrudesk.invalid/join/{token}") == token
    assert token_from_link(f"https://thrudesk.invalid/join/{token}/") == token
    assert token_from_link(token) == token
    assert token_from_link("short") is None
    assert token_from_link(None) is None
    assert token_from_link("a b c" * 10) is None


# ---------------------------------------------------------------------- the simulated team
def test_c14_c15_simulated_senders_join_through_the_link_and_take_batches(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    thrudesk_services.messaging.set_parameters(actor, simulated_senders=3)
    ready = campaign_with_contacts(40)
    thrudesk_services.senders.set_batch_size(actor, ready.campaign_id, 10)
    unassigned = [thrudesk_services.campaigns.details(actor, ready.campaign_id).unassigned]
    thrudesk_services.senders.set_self_assign(actor, ready.campaign_id, True)
    for _ in range(12):
        sim_clock.advance(minutes=5)
        unassigned.append(thrudesk_services.campaigns.details(actor, ready.campaign_id).unassigned)
    team = thrudesk_services.senders.team(actor, ready.campaign_id)
    assert 1 <= len(team.senders) <= 3
    assert all(s.source is SenderSource.INVITE_LINK for s in team.senders)
    assert unassigned[0] == 40
    assert unassigned[-1] < 40
    assert unassigned == sorted(unassigned, reverse=True)  # conversations leave Unassigned
    details = thrudesk_services.campaigns.details(actor, ready.campaign_id)
    assert details.sent > 0
