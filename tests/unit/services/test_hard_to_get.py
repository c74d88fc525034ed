"""N8: hard-to-get area codes have scarce inventory; the support desk fulfils requests for them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.snapshots import Unchanged
from thrudesk.models.enums import JobKind
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.errors import (
    DedicatedNumberLimitReached,
    InvalidInput,
    NoNumbersAvailable,
    NotFound,
)
from thrudesk.services.rows import HardToGetRequestStatus, NumberKind
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount, create_starter_account
from thrudesk.testing import DEFAULT_START


def buy(services: Services, account: StarterAccount, *codes: str) -> str:
    """Buy a dedicated number with these preferences; answer the area code it came from."""
    return services.numbers.create_dedicated(
        account.actor, list(codes), account.use_case_id
    ).area_code


def test_n8_a_scarce_area_code_runs_out_and_purchases_fall_through(
    thrudesk_services: Services, thrudesk_account: StarterAccount, unchanged: Unchanged
) -> None:
    """N8: 206 has one number; the next purchase falls through to the next preference, and
    with no other preference it is refused with "no numbers available in 206".
    """
    assert buy(thrudesk_services, thrudesk_account, "206", "415") == "206"
    assert buy(thrudesk_services, thrudesk_account, "206", "415") == "415"
    bought = [
        e
        for e in thrudesk_services.events.for_number(thrudesk_account.actor, 2)
        if e.kind == "number_bought"
    ]
    assert (bought[0].after or {}).get("skipped") == ["206"]
    with unchanged(), pytest.raises(NoNumbersAvailable) as refused:
        buy(thrudesk_services, thrudesk_account, "206")
    assert refused.value.message.startswith("No numbers available in 206.")
    assert refused.value.field == "area_codes"


def test_n8_no_numbers_in_any_preference_names_them_all(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    """N8: when every preferred scarce area code is empty, the refusal names each of them."""
    assert buy(thrudesk_services, thrudesk_account, "907") == "907"
    assert buy(thrudesk_services, thrudesk_account, "406") == "406"
    with pytest.raises(NoNumbersAvailable) as refused:
        buy(thrudesk_services, thrudesk_account, "907", "406")
    assert refused.value.message.startswith("No numbers available in 907 or 406.")
    assert "hard-to-get number request" in refused.value.message


def test_n8_scarce_inventory_refills_slowly(
    thrudesk_services: Services, thrudesk_account: StarterAccount, sim_clock: ManualClock
) -> None:
    """N8: a single-area-code state's one number comes back three days after it was taken."""
    assert buy(thrudesk_services, thrudesk_account, "907") == "907"
    sim_clock.advance(days=2, hours=23)
    with pytest.raises(NoNumbersAvailable):
        buy(thrudesk_services, thrudesk_account, "907")
    sim_clock.advance(hours=1)
    assert buy(thrudesk_services, thrudesk_account, "907") == "907"


def test_n8_the_support_desk_adds_the_requested_number_after_a_delay(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """N8: a request, filed when 206 has nothing left, is fulfilled by the support desk a few
    working hours later with a dedicated number in 206 that then provisions; the requester
    is its initiator and is told.
    """
    admin = thrudesk_account.actor
    buy(thrudesk_services, thrudesk_account, "206")
    request = thrudesk_services.hard_to_get.request(
        admin, "206", thrudesk_account.use_case_id, "Seattle desk"
    )
    assert request.status is HardToGetRequestStatus.PENDING
    due = thrudesk_simulator.next_due(JobKind.HARD_TO_GET_FULFILMENT, request.id)
    assert due is not None
    # Monday 09:00 Eastern plus two to six of the desk's working hours: the same afternoon.
    assert DEFAULT_START + timedelta(hours=2) <= due <= DEFAULT_START + timedelta(hours=6)
    sim_clock.jump_to(due - timedelta(seconds=1))
    assert thrudesk_services.hard_to_get.get(admin, request.id).status is (
        HardToGetRequestStatus.PENDING
    )
    sim_clock.advance(seconds=1)
    done = thrudesk_services.hard_to_get.get(admin, request.id)
    assert done.status is HardToGetRequestStatus.FULFILLED
    assert done.resolved_at == due
    numbers = thrudesk_services.numbers.page(admin).rows
    added = [n for n in numbers if n.name == "Seattle desk"]
    assert len(added) == 1
    assert (added[0].area_code, added[0].kind) == ("206", NumberKind.DEDICATED)
    assert added[0].initiator_name == "Alex Admin"
    assert done.outcome == f"Support added {added[0].label}."  # with its name (N6)
    notes = [n for n in thrudesk_services.notifications.list(admin) if n.title.startswith("Hard")]
    assert [n.title for n in notes] == ["Hard-to-get number added"]
    assert notes[0].subject_id == added[0].id
    labels = {e.actor_label for e in thrudesk_services.events.for_number(admin, added[0].id)}
    assert "Support desk" in labels
    sim_clock.advance(days=1)
    told = [
        n.title
        for n in thrudesk_services.notifications.list(admin)
        if n.subject_id == added[0].id and n.subject_type == "phone_number"
    ]
    assert len(told) == 2  # added, then how its provisioning ended (N11)
    assert told[0] in {"Provisioning complete", "Provisioning failed"}


def test_n8_the_support_desk_works_weekdays_only(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """N8: a request filed on Friday afternoon is fulfilled on Monday, not over the weekend."""
    sim_clock.jump_to(datetime(2026, 3, 6, 21, 30, tzinfo=UTC))  # Friday 16:30 Eastern
    request = thrudesk_services.hard_to_get.request(
        thrudesk_account.actor, "907", thrudesk_account.use_case_id
    )
    due = thrudesk_simulator.next_due(JobKind.HARD_TO_GET_FULFILMENT, request.id)
    monday_opening = datetime(2026, 3, 9, 13, 0, tzinfo=UTC)  # Monday 09:00 Eastern (EDT)
    assert due is not None
    assert monday_opening + timedelta(hours=1, minutes=30) <= due
    assert due <= monday_opening + timedelta(hours=5, minutes=30)


def test_n8_the_desk_still_obeys_the_dedicated_number_limit(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """N8 with N2: if the account filled its slots meanwhile, the desk refuses and says why."""
    admin = thrudesk_account.actor
    for _ in range(4):
        buy(thrudesk_services, thrudesk_account, "415")
    request = thrudesk_services.hard_to_get.request(admin, "212", thrudesk_account.use_case_id)
    buy(thrudesk_services, thrudesk_account, "415")  # the fifth, taken before the desk answers
    sim_clock.advance(days=1)
    refused = thrudesk_services.hard_to_get.get(admin, request.id)
    assert refused.status is HardToGetRequestStatus.REFUSED
    assert refused.outcome is not None
    assert "5 of its 5 dedicated numbers" in refused.outcome
    assert thrudesk_services.numbers.dedicated_usage(admin).used == 5
    notes = [
        n
        for n in thrudesk_services.notifications.list(admin)
        if n.subject_type == "hard_to_get_request"
    ]
    assert [(n.title, n.subject_type) for n in notes] == [
        ("Hard-to-get request refused", "hard_to_get_request")
    ]
    assert notes[0].body.startswith("Support could not add a number in 212:")


def test_n8_a_request_that_could_never_be_fulfilled_is_refused_at_once(
    thrudesk_services: Services, thrudesk_account: StarterAccount, unchanged: Unchanged
) -> None:
    """N8: only hard-to-get area codes are requested, and only with a free slot (N2)."""
    admin = thrudesk_account.actor
    with unchanged(), pytest.raises(InvalidInput) as ordinary:
        thrudesk_services.hard_to_get.request(admin, "415", thrudesk_account.use_case_id)
    assert ordinary.value.field == "area_code"
    assert "not a hard-to-get area code" in ordinary.value.message
    with unchanged(), pytest.raises(InvalidInput) as bad:
        thrudesk_services.hard_to_get.request(admin, "2O6", thrudesk_account.use_case_id)
    assert bad.value.field == "area_code"
    for _ in range(5):
        buy(thrudesk_services, thrudesk_account, "415")
    with unchanged(), pytest.raises(DedicatedNumberLimitReached):
        thrudesk_services.hard_to_get.request(admin, "206", thrudesk_account.use_case_id)


def test_n8_requests_are_listed_newest_first_within_the_account_only(
    thrudesk_services: Services, thrudesk_account: StarterAccount, sim_clock: ManualClock
) -> None:
    """N8, N12: an account sees its own requests, newest first, and no other account's."""
    admin = thrudesk_account.actor
    first = thrudesk_services.hard_to_get.request(admin, "206", thrudesk_account.use_case_id)
    sim_clock.advance(minutes=5)
    second = thrudesk_services.hard_to_get.request(admin, "907", thrudesk_account.use_case_id)
    assert [r.id for r in thrudesk_services.hard_to_get.all(admin)] == [second.id, first.id]
    assert thrudesk_services.hard_to_get.list(admin) == thrudesk_services.hard_to_get.all(admin)
    other = create_starter_account(thrudesk_services, "Other Organisation")
    assert thrudesk_services.hard_to_get.all(other.actor) == []
    with pytest.raises(NotFound):
        thrudesk_services.hard_to_get.get(other.actor, first.id)
