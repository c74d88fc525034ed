"""Scenarios switched at run time (S5) and the estimate the dialogs show (S6)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.unit.simulation.helpers import flag_kinds, launch_single_use
from thrudesk.models.enums import Carrier, Scenario
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.errors import InvalidInput, UseCaseLimitReached
from thrudesk.services.rows import (
    CampaignFlagKind,
    CampaignStatus,
    CarrierCheckStatus,
    ProvisioningStatus,
)
from thrudesk.services.simulation.engine import ScenarioOptions, Simulator, day_before_advice
from thrudesk.services.starter import StarterAccount, create_starter_account
from thrudesk.testing import DEFAULT_START

SATURDAY_NIGHT = datetime(2026, 3, 8, 3, 0, tzinfo=UTC)  # Saturday 22:00 US Eastern


def test_s5_busy_afternoon_applies_to_numbers_started_after_the_switch(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """S5: switched at run time, the scenario shapes every later number, and it is stored."""
    sim_clock.jump_to(SATURDAY_NIGHT)
    quiet = thrudesk_simulator.estimate(thrudesk_account.account_id)
    assert quiet.p90 <= timedelta(minutes=45)
    thrudesk_simulator.set_scenario(Scenario.BUSY_AFTERNOON)
    busy = thrudesk_simulator.estimate(thrudesk_account.account_id)
    assert timedelta(hours=1) <= busy.p50 <= timedelta(hours=3)
    number = thrudesk_services.numbers.create_dedicated(
        thrudesk_account.actor, "415", thrudesk_account.use_case_id
    )
    sim_clock.advance(minutes=45)
    row = thrudesk_services.numbers.get(thrudesk_account.actor, number.id)
    assert row.provisioning_status is ProvisioningStatus.INITIATED
    # Stored: the next run of the program starts in the same scenario.
    next_run = Simulator(Services(thrudesk_services.store, sim_clock))
    assert next_run.scenario is Scenario.BUSY_AFTERNOON


def test_s5_provider_incident_turns_provisioning_based_launching_off_and_back_on(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """S5, C5: during a Provider incident single-use launches are Active at once, with the
    "wait 10 minutes" advisory; when it ends the account's setting comes back.
    """
    account_id = thrudesk_account.account_id
    thrudesk_simulator.set_scenario(Scenario.PROVIDER_INCIDENT)
    assert thrudesk_services.accounts.get(account_id).provisioning_based_launching is False
    launched = launch_single_use(thrudesk_services, thrudesk_account)
    assert launched.status is CampaignStatus.ACTIVE
    assert CampaignFlagKind.STILL_PROVISIONING in flag_kinds(launched)
    thrudesk_simulator.set_scenario(Scenario.NORMAL)
    assert thrudesk_services.accounts.get(account_id).provisioning_based_launching is True


def test_s5_provider_incident_leaves_an_account_already_switched_off_alone(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
) -> None:
    """S5: ending the incident restores only what the incident itself switched off."""
    thrudesk_services.accounts.set_provisioning_based_launching(thrudesk_account.actor, False)
    thrudesk_simulator.set_scenario(Scenario.PROVIDER_INCIDENT)
    thrudesk_simulator.set_scenario(Scenario.NORMAL)
    account = thrudesk_services.accounts.get(thrudesk_account.account_id)
    assert account.provisioning_based_launching is False


def test_s5_carrier_outage_holds_the_carriers_answers_for_numbers_in_flight(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """S5: an outage of T-Mobile holds its pending answer; the others still answer."""
    admin = thrudesk_account.actor
    thrudesk_simulator.force_next("complete", after=timedelta(minutes=10))
    number = thrudesk_services.numbers.create_dedicated(admin, "415", thrudesk_account.use_case_id)
    sim_clock.advance(minutes=1)
    thrudesk_simulator.set_scenario(
        Scenario.CARRIER_OUTAGE, ScenarioOptions(carrier=Carrier.TMOBILE, stall_hours=6)
    )
    sim_clock.advance(hours=5)
    row = thrudesk_services.numbers.get(admin, number.id)
    assert row.provisioning_status is ProvisioningStatus.INITIATED
    states = {c.carrier: c.status for c in row.carriers}
    assert states == {
        Carrier.ATT: CarrierCheckStatus.CONFIRMED,
        Carrier.VERIZON: CarrierCheckStatus.CONFIRMED,
        Carrier.TMOBILE: CarrierCheckStatus.PENDING,
    }
    assert thrudesk_simulator.number_estimate(number.id) is not None
    sim_clock.advance(hours=1, minutes=1)
    row = thrudesk_services.numbers.get(admin, number.id)
    assert row.provisioning_status is ProvisioningStatus.COMPLETE
    assert row.completed_at == number.created_at + timedelta(hours=6, minutes=1)


def test_s5_carrier_outage_can_reject_numbers(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """S5: an outage that rejects every number at AT&T fails new numbers with its reason."""
    thrudesk_simulator.set_scenario(
        Scenario.CARRIER_OUTAGE,
        ScenarioOptions(carrier=Carrier.ATT, stall_hours=0, reject_share=1.0),
    )
    launched = launch_single_use(thrudesk_services, thrudesk_account)
    sim_clock.advance(hours=6)
    row = thrudesk_services.campaigns.index_row(thrudesk_account.actor, launched.id)
    assert row.status is CampaignStatus.DRAFT
    details = thrudesk_services.campaigns.details(thrudesk_account.actor, launched.id)
    assert details.failure_reason == "AT&T is rejecting numbers during its outage"


def test_s5_use_case_near_its_limit_brings_the_use_case_to_47_of_49(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """S5: the demo account's use case at 47 of 49; two more numbers fit, the third is refused
    with N3's advice.
    """
    admin = thrudesk_account.actor
    thrudesk_simulator.set_scenario(
        Scenario.USE_CASE_NEAR_LIMIT, ScenarioOptions(account_id=thrudesk_account.account_id)
    )
    usage = next(
        u
        for u in thrudesk_services.numbers.use_cases(admin)
        if u.id == thrudesk_account.use_case_id
    )
    assert usage.usage_text == "47 of 49 numbers"
    assert usage.warning
    thrudesk_services.numbers.create_dedicated(admin, "415", thrudesk_account.use_case_id)
    thrudesk_services.numbers.create_dedicated(admin, "415", thrudesk_account.use_case_id)
    with pytest.raises(UseCaseLimitReached) as refused:
        thrudesk_services.numbers.create_dedicated(admin, "415", thrudesk_account.use_case_id)
    assert "archiving old single-use campaigns" in refused.value.message
    sim_clock.advance(days=1)
    page = thrudesk_services.campaigns.index(admin)
    assert page.total == 47  # the earlier campaigns stay Active: nothing archived them
    assert {row.status for row in page.rows} == {CampaignStatus.ACTIVE}


def test_s5_a_refused_scenario_option_changes_nothing(
    thrudesk_simulator: Simulator,
) -> None:
    """S5: out-of-range knobs are refused, naming the knob; the scenario stays as it was."""
    with pytest.raises(InvalidInput) as refused:
        thrudesk_simulator.set_scenario(Scenario.CARRIER_OUTAGE, ScenarioOptions(stall_hours=-1))
    assert refused.value.field == "stall_hours"
    assert thrudesk_simulator.scenario is Scenario.NORMAL


def test_s6_estimate_follows_the_hour_and_the_queue(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """S6: minutes on a weekday morning, hours in the afternoon, longer with numbers waiting."""
    morning = thrudesk_simulator.estimate(thrudesk_account.account_id)
    afternoon = thrudesk_simulator.estimate(
        thrudesk_account.account_id, DEFAULT_START + timedelta(hours=5)
    )
    assert morning.p50 < timedelta(hours=1)
    assert afternoon.p50 >= timedelta(hours=1)
    assert morning.p50 <= morning.p90
    for _ in range(3):
        thrudesk_services.numbers.create_dedicated(
            thrudesk_account.actor, "415", thrudesk_account.use_case_id
        )
    crowded = thrudesk_simulator.estimate(thrudesk_account.account_id)
    assert crowded.p50 > morning.p50


def test_s6_estimate_is_quick_enough_to_refresh_while_a_dialog_is_open(
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """S6: well under 50 ms per estimate, as the clock moves on."""
    timings = []
    for _ in range(20):
        sim_clock.advance(minutes=3)
        began = time.perf_counter()
        thrudesk_simulator.estimate(thrudesk_account.account_id)
        timings.append(time.perf_counter() - began)
    assert sorted(timings)[len(timings) // 2] < 0.050


def test_s6_the_estimate_waits_longer_for_each_of_the_accounts_numbers_in_the_queue(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """S6, N10: the more of this account's numbers wait in the carriers' queue, the later a
    new one is estimated to be done; other accounts' numbers do not count (N12), nor do
    numbers the carriers have finished with.
    """
    sim_clock.jump_to(DEFAULT_START + timedelta(hours=5))  # 14:00 Eastern
    account_id = thrudesk_account.account_id
    alone = thrudesk_simulator.estimate(account_id)
    other = create_starter_account(thrudesk_services, "Other Organisation")
    for _ in range(4):
        thrudesk_services.numbers.create_dedicated(other.actor, "415", other.use_case_id)
    assert thrudesk_simulator.estimate(account_id) == alone
    for _ in range(4):
        thrudesk_services.numbers.create_dedicated(
            thrudesk_account.actor, "415", thrudesk_account.use_case_id
        )
    crowded = thrudesk_simulator.estimate(account_id)
    assert crowded.p50 > alone.p50
    assert crowded.p90 > alone.p90
    sim_clock.advance(days=2)  # every number answered: none waits any more
    assert thrudesk_simulator.estimate(account_id) == thrudesk_simulator.estimate(other.account_id)


def test_s6_a_number_in_flight_shows_what_remains(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """S6: the badge's tooltip estimate shrinks as the number waits; none once it is done."""
    sim_clock.jump_to(DEFAULT_START + timedelta(hours=5))  # 14:00 Eastern
    number = thrudesk_services.numbers.create_dedicated(
        thrudesk_account.actor, "415", thrudesk_account.use_case_id
    )
    first = thrudesk_simulator.number_estimate(number.id)
    sim_clock.advance(minutes=30)
    later = thrudesk_simulator.number_estimate(number.id)
    assert first is not None
    assert later is not None
    assert later.p50 < first.p50
    sim_clock.advance(days=2)
    assert thrudesk_simulator.number_estimate(number.id) is None


def test_s6_launching_in_the_afternoon_for_an_evening_start_advises_the_day_before(
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """S6: when the p50–p90 range runs past the start date, the dialog suggests the day before."""
    sim_clock.jump_to(DEFAULT_START + timedelta(hours=5))  # 14:00 Eastern
    now = sim_clock.now()
    estimate = thrudesk_simulator.estimate(thrudesk_account.account_id)
    advice = day_before_advice(estimate, now + timedelta(hours=1), now)
    assert advice is not None
    assert "Launch the day before" in advice
    assert day_before_advice(estimate, now + timedelta(days=1), now) is None
