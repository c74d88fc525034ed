"""What each campaign status allows (C1, C8, C9): the rows the window enables its buttons by say
exactly what the campaign service then accepts, or refuses and why.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.unit.services.helpers import (
    active_on_dedicated,
    complete_dedicated,
    fail,
    launch_single_use,
    new_followup,
)
from thrudesk.models.enums import NumberMode
from thrudesk.services.container import Services
from thrudesk.services.errors import InvalidTransition
from thrudesk.services.rows import CampaignIndexRow, CampaignStatus
from thrudesk.services.starter import StarterAccount

Action = Callable[[Services, StarterAccount, int], None]


def _edit(services: Services, account: StarterAccount, campaign_id: int) -> None:
    services.campaigns.edit_draft(account.actor, campaign_id, title="Edited")


def _launch(services: Services, account: StarterAccount, campaign_id: int) -> None:
    services.campaigns.launch(account.actor, campaign_id, NumberMode.SINGLE_USE)


def _pause_or_resume(services: Services, account: StarterAccount, campaign_id: int) -> None:
    row = services.campaigns.index_row(account.actor, campaign_id)
    if row.status is CampaignStatus.PAUSED:
        services.campaigns.resume(account.actor, campaign_id)
    else:
        services.campaigns.pause(account.actor, campaign_id)


def _follow_up(services: Services, account: StarterAccount, campaign_id: int) -> None:
    new_followup(services, account, campaign_id)


def _clone(services: Services, account: StarterAccount, campaign_id: int) -> None:
    services.campaigns.clone(account.actor, campaign_id)


def _archive(services: Services, account: StarterAccount, campaign_id: int) -> None:
    services.campaigns.archive(account.actor, campaign_id)


def _clone_and_archive(services: Services, account: StarterAccount, campaign_id: int) -> None:
    services.campaigns.clone_and_archive(account.actor, campaign_id)


ACTIONS: dict[str, tuple[Callable[[CampaignIndexRow], str | None], Action]] = {
    "edit": (lambda row: row.edit_refusal, _edit),
    "launch": (lambda row: row.launch_refusal, _launch),
    "pause or resume": (lambda row: row.pause_or_resume_refusal, _pause_or_resume),
    "follow up": (lambda row: row.followup_refusal, _follow_up),
    "clone": (lambda row: row.clone_refusal, _clone),
    "archive": (lambda row: row.archive_refusal, _archive),
    "clone and archive": (lambda row: row.clone_and_archive_refusal, _clone_and_archive),
}
# C1, C8, C9: what each kind of campaign allows, as an admin reads it in DOMAIN.md.
ALLOWED = {
    "Draft": {"edit", "launch", "clone", "archive"},
    "Launching": {"clone", "archive"},
    "Active": {"pause or resume", "follow up", "clone", "archive"},
    "Paused": {"pause or resume", "follow up", "clone", "archive"},
    "Archived": {"clone"},
    "a followup": {"pause or resume", "archive"},
    "a failed launch": {"edit", "clone", "archive", "clone and archive"},
}


def _campaign(services: Services, account: StarterAccount, kind: str) -> int:
    """A campaign of ``kind`` (a status, or "a followup" of an Active campaign)."""
    if kind == "Draft":  # ready to launch on a single-use number
        return services.campaigns.create(
            account.actor, "Draft", area_codes=["512"], use_case_id=account.use_case_id
        )
    if kind == "Launching":
        return launch_single_use(services, account)
    if kind == "a failed launch":  # back to Draft, flagged (C1)
        launched = launch_single_use(services, account)
        number_id = services.campaigns.index_row(account.actor, launched).phone_number_id
        assert number_id is not None
        fail(services, number_id)
        return launched
    number = complete_dedicated(services, account)
    active = active_on_dedicated(services, account, number.id)
    if kind == "Paused":
        services.campaigns.pause(account.actor, active)
    elif kind == "Archived":
        services.campaigns.archive(account.actor, active)
    elif kind == "a followup":
        return new_followup(services, account, active)
    return active


@pytest.mark.parametrize("kind", list(ALLOWED))
def test_c1_each_status_allows_what_its_row_says_and_the_service_refuses_the_rest(
    thrudesk_services: Services, thrudesk_account: StarterAccount, kind: str
) -> None:
    campaign_id = _campaign(thrudesk_services, thrudesk_account, kind)
    row = thrudesk_services.campaigns.index_row(thrudesk_account.actor, campaign_id)
    allowed = {name for name, (refusal, _) in ACTIONS.items() if refusal(row) is None}
    assert allowed == ALLOWED[kind]
    for name, (refusal, act) in ACTIONS.items():
        if name in allowed:
            continue
        with pytest.raises(InvalidTransition) as refused:
            act(thrudesk_services, thrudesk_account, campaign_id)
        assert refused.value.message == refusal(row), "the row says why, as the service does"
        assert refused.value.field == "campaign"
        assert thrudesk_services.campaigns.index_row(thrudesk_account.actor, campaign_id) == row


@pytest.mark.parametrize("name", list(ACTIONS))
def test_c1_an_action_a_row_allows_is_done_by_the_service(
    thrudesk_services: Services, thrudesk_account: StarterAccount, name: str
) -> None:
    refusal, act = ACTIONS[name]
    for kind, allowed in ALLOWED.items():
        if name not in allowed:
            continue
        campaign_id = _campaign(thrudesk_services, thrudesk_account, kind)
        row = thrudesk_services.campaigns.index_row(thrudesk_account.actor, campaign_id)
        assert refusal(row) is None, f"{kind}: {name}"
        act(thrudesk_services, thrudesk_account, campaign_id)  # accepted: nothing raised
