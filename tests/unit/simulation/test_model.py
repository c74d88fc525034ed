"""The carrier model against SIMULATION.md's timing table, measured over 10,000 numbers per window
(N9, N10, S3, S5, S6).
"""

from __future__ import annotations

import math
import random
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from thrudesk.models.enums import Carrier, Scenario
from thrudesk.services.errors import InvalidInput
from thrudesk.services.simulation.model import (
    EASTERN,
    PRESSURE_CAP,
    ProvisioningEstimate,
    ScenarioOptions,
    completion_samples,
    completion_wait,
    day_before_advice,
    estimate_from_samples,
    format_wait,
    plan_provisioning,
    queue_pressure,
)

SAMPLES = 10_000
# Monday 2 March 2026, midnight US Eastern.
MONDAY = datetime(2026, 3, 2, tzinfo=EASTERN)

StartPicker = Callable[[random.Random], datetime]


def weekday_between(first_hour: int, last_hour: int) -> StartPicker:
    def pick(rng: random.Random) -> datetime:
        seconds = rng.uniform(first_hour * 3600, last_hour * 3600)
        return MONDAY + timedelta(days=rng.randrange(5), seconds=seconds)

    return pick


def weekend(rng: random.Random) -> datetime:
    return MONDAY + timedelta(days=5 + rng.randrange(2), seconds=rng.uniform(0, 86_400))


def sample_window(
    pick: StartPicker, *, scenario: Scenario = Scenario.NORMAL, seed: int = 0
) -> tuple[list[float], float]:
    """Completion waits in minutes (sorted) and the failed share, over 10,000 numbers."""
    starts = random.Random(f"starts:{seed}")
    waits: list[float] = []
    failed = 0
    for job in range(SAMPLES):
        plans = plan_provisioning(
            random.Random(f"{seed}:provisioning:{job}"), pick(starts), scenario=scenario
        )
        waits.append(completion_wait(plans).total_seconds() / 60)
        failed += not all(plan.confirmed for plan in plans)
    waits.sort()
    return waits, failed / SAMPLES


def quantile(sorted_values: list[float], q: float) -> float:
    return sorted_values[math.ceil(q * len(sorted_values)) - 1]


def test_n10_weekday_overnight_is_quick() -> None:
    """N10: Mon–Fri 00:00–06:00 Eastern, p50 ≤ 10 min and p90 ≤ 20 min."""
    waits, _ = sample_window(weekday_between(0, 6))
    assert quantile(waits, 0.5) <= 10
    assert quantile(waits, 0.9) <= 20


def test_n10_busy_weekday_afternoon_takes_hours() -> None:
    """N10: Mon–Fri 12:00–18:00 Eastern, p50 1 h to 3 h, p90 ≥ 3 h, p99 ≤ 8 h."""
    waits, _ = sample_window(weekday_between(12, 18))
    assert 60 <= quantile(waits, 0.5) <= 180
    assert quantile(waits, 0.9) >= 180
    assert quantile(waits, 0.99) <= 480


def test_n10_weekends_are_quick_at_any_hour() -> None:
    """N10: Saturday and Sunday, p50 ≤ 15 min and p90 ≤ 45 min."""
    waits, _ = sample_window(weekend)
    assert quantile(waits, 0.5) <= 15
    assert quantile(waits, 0.9) <= 45


def test_n9_normal_scenario_fails_one_to_three_percent() -> None:
    """N9: one carrier's rejection fails a number; 1 % to 3 % of numbers in the Normal scenario."""
    _, failed_share = sample_window(weekday_between(0, 24))
    assert 0.01 <= failed_share <= 0.03


def test_n9_a_rejection_carries_the_carriers_reason() -> None:
    """N9: the reason of a rejection is kept and names the carrier."""
    rejections = [
        plan
        for job in range(3000)
        for plan in plan_provisioning(random.Random(f"7:{job}"), MONDAY)
        if not plan.confirmed
    ]
    assert rejections, "3000 numbers should include a rejection"
    for plan in rejections:
        assert plan.reason is not None
        assert plan.carrier.label in plan.reason


def test_n10_queue_pressure_makes_a_big_batch_wait_longer() -> None:
    """N10: an account's numbers already in the queue slow a new one, up to a cap."""
    assert queue_pressure(0) == 1.0
    assert queue_pressure(2) > queue_pressure(1) > queue_pressure(0)
    assert queue_pressure(1000) == PRESSURE_CAP
    at = MONDAY + timedelta(hours=2)
    alone = completion_wait(plan_provisioning(random.Random("p"), at, pressure=1.0))
    crowded = completion_wait(plan_provisioning(random.Random("p"), at, pressure=2.0))
    assert crowded > alone


def test_s3_the_same_generator_seed_draws_the_same_plan() -> None:
    """S3: a plan depends only on its generator's seed, the start and the scenario."""
    at = MONDAY + timedelta(hours=14)
    first = plan_provisioning(random.Random("0:provisioning:12"), at)
    again = plan_provisioning(random.Random("0:provisioning:12"), at)
    other = plan_provisioning(random.Random("1:provisioning:12"), at)
    assert first == again
    assert first != other


def test_s5_busy_afternoon_scenario_makes_every_hour_busy() -> None:
    """S5: under Busy weekday afternoon, even a weekend night waits hours."""
    waits, _ = sample_window(weekend, scenario=Scenario.BUSY_AFTERNOON)
    assert 60 <= quantile(waits, 0.5) <= 180
    assert quantile(waits, 0.9) >= 180


def test_s5_carrier_outage_stalls_the_chosen_carrier() -> None:
    """S5: a Carrier outage holds the chosen carrier's answers for the stall, not the others'."""
    options = ScenarioOptions(carrier=Carrier.VERIZON, stall_hours=5)
    at = MONDAY + timedelta(hours=3)
    for job in range(200):
        plans = plan_provisioning(
            random.Random(f"0:{job}"), at, scenario=Scenario.CARRIER_OUTAGE, options=options
        )
        by_carrier = {plan.carrier: plan for plan in plans}
        assert by_carrier[Carrier.VERIZON].wait >= timedelta(hours=5)
        assert by_carrier[Carrier.ATT].wait < timedelta(hours=5)


def test_s5_carrier_outage_rejects_the_chosen_share() -> None:
    """S5: a Carrier outage can reject a chosen share of numbers at that carrier."""
    options = ScenarioOptions(carrier=Carrier.ATT, stall_hours=0, reject_share=0.4)
    rejected = 0
    for job in range(2000):
        plans = plan_provisioning(
            random.Random(f"0:{job}"), MONDAY, scenario=Scenario.CARRIER_OUTAGE, options=options
        )
        att = next(plan for plan in plans if plan.carrier is Carrier.ATT)
        if not att.confirmed:
            rejected += 1
            assert att.reason == "AT&T is rejecting numbers during its outage"
    assert 0.35 <= rejected / 2000 <= 0.45


def test_s5_provider_incident_slows_provisioning() -> None:
    """S5: during a Provider incident numbers wait longer than in the Normal scenario."""
    normal, _ = sample_window(weekday_between(0, 6))
    incident, _ = sample_window(weekday_between(0, 6), scenario=Scenario.PROVIDER_INCIDENT)
    assert quantile(incident, 0.5) > 1.5 * quantile(normal, 0.5)


@pytest.mark.parametrize(
    ("label", "pick"),
    [
        ("overnight", weekday_between(0, 6)),
        ("afternoon", weekday_between(13, 14)),
        ("weekend", weekend),
    ],
)
def test_s6_estimate_agrees_with_what_the_simulator_draws(label: str, pick: StartPicker) -> None:
    """S6: the estimate comes from the same model: its p50/p90 match sampled completions."""
    start = pick(random.Random(label))
    estimate = estimate_from_samples(completion_samples(start))
    drawn = sorted(
        completion_wait(plan_provisioning(random.Random(f"{label}:{job}"), start)).total_seconds()
        for job in range(SAMPLES)
    )
    for q, estimated in ((0.5, estimate.p50), (0.9, estimate.p90)):
        assert estimated.total_seconds() == pytest.approx(quantile(drawn, q), rel=0.08)


def test_s6_estimate_is_fast_enough_for_an_open_dialog() -> None:
    """S6: "well under 50 ms", even for a moment the estimate has not seen before."""
    timings: list[float] = []
    for minute in range(25):
        start = MONDAY + timedelta(days=1, hours=10, minutes=7 * minute)
        began = time.perf_counter()
        estimate_from_samples(completion_samples(start, pressure=1.0 + minute / 100))
        timings.append(time.perf_counter() - began)
    assert statistics.median(timings) < 0.050


def test_s6_remaining_time_shrinks_as_a_number_waits() -> None:
    """S6: for a number in flight, what remains gets shorter, then "longer than usual"."""
    samples = completion_samples(MONDAY + timedelta(hours=2))
    fresh = estimate_from_samples(samples)
    later = estimate_from_samples(samples, timedelta(minutes=5))
    assert later.p50 < fresh.p50
    overdue = estimate_from_samples(samples, timedelta(days=1))
    assert overdue.overdue
    assert overdue.text == "taking longer than usual"


def test_s6_estimate_reads_as_a_range() -> None:
    """S6: the dialog shows p50 to p90 in words an admin reads at a glance."""
    short = ProvisioningEstimate(timedelta(minutes=6, seconds=10), timedelta(minutes=11))
    assert short.text == "6 to 11 min"
    long = ProvisioningEstimate(timedelta(hours=1, minutes=52), timedelta(hours=3, minutes=31))
    assert long.text == "1 h 50 min to 3 h 30 min"
    assert format_wait(timedelta(hours=9, minutes=58)) == "10 h"


def test_s6_advice_to_launch_the_day_before_when_the_range_runs_past_the_start() -> None:
    """S6: the dialog suggests launching the day before when p90 runs past the start date."""
    now = MONDAY + timedelta(hours=14)
    estimate = ProvisioningEstimate(timedelta(hours=2), timedelta(hours=3, minutes=30))
    assert day_before_advice(estimate, None, now) is None
    assert day_before_advice(estimate, now + timedelta(hours=5), now) is None
    maybe = day_before_advice(estimate, now + timedelta(hours=3), now)
    assert maybe is not None
    assert "may still be provisioning" in maybe
    assert "Launch the day before" in maybe
    likely = day_before_advice(estimate, now + timedelta(hours=1), now)
    assert likely is not None
    assert "will most likely still be provisioning" in likely


def test_s5_scenario_options_refuse_out_of_range_knobs() -> None:
    """S5: an outage's stall and rejected share are checked, naming the knob."""
    with pytest.raises(InvalidInput) as stall:
        ScenarioOptions(stall_hours=100).validated()
    assert stall.value.field == "stall_hours"
    with pytest.raises(InvalidInput) as share:
        ScenarioOptions(reject_share=1.5).validated()
    assert share.value.field == "reject_share"
