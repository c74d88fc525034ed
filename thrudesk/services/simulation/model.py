"""The carrier provisioning model (SIMULATION.md): when each carrier answers, and how.

Each of AT&T, Verizon and T-Mobile answers a number on its own. A carrier's wait is a log-normal
draw around the *median wait* of the US-based queue at the moment provisioning starts (US
Eastern), scaled by the carrier's pace, the scenario and the account's queue pressure. The number
completes with the slowest of the three answers; one rejection fails it (N9).

The same model answers the S6 question "if I start now, when will it be done?" by reading the
quantiles of a fixed set of standard draws put through it, so the estimate is cheap, stable
between refreshes, and never disagrees with what the simulator will do.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from thrudesk.models.enums import Carrier, Scenario
from thrudesk.services.errors import InvalidInput

EASTERN = ZoneInfo("America/New_York")
CARRIERS: tuple[Carrier, ...] = (Carrier.ATT, Carrier.VERIZON, Carrier.TMOBILE)

# Spread of one carrier's wait around its median (log-normal sigma). Together with the medians
# below it meets SIMULATION.md's timing table; tests/unit/simulation/test_model.py measures it.
SIGMA = 0.55
# No carrier answers faster than its API round trip and a human-free review take.
MIN_WAIT = timedelta(seconds=40)

# Median wait of one carrier's answer, in minutes, at hours of a weekday (US Eastern); straight
# lines in between. Quiet overnight, building through the morning, busiest mid-afternoon.
WEEKDAY_MEDIAN_MINUTES: tuple[tuple[float, float], ...] = (
    (0.0, 4.0),
    (6.0, 4.0),
    (9.0, 25.0),
    (12.0, 70.0),
    (15.0, 80.0),
    (18.0, 70.0),
    (21.0, 15.0),
    (24.0, 4.0),
)
WEEKEND_MEDIAN_MINUTES = 6.0
# Busy weekday afternoon scenario: every hour behaves like 15:00 on a weekday.
BUSY_MEDIAN_MINUTES = 75.0
# Provider incident: the platform's upstream provider is degraded; every wait doubles.
INCIDENT_SLOWDOWN = 2.0

# Relative pace of each carrier's queue (T-Mobile is usually the last to answer).
CARRIER_PACE: dict[Carrier, float] = {
    Carrier.ATT: 1.0,
    Carrier.VERIZON: 0.85,
    Carrier.TMOBILE: 1.15,
}
# Chance that a carrier rejects a number in the Normal scenario; about 2 % of numbers fail.
REJECT_RATE: dict[Carrier, float] = {
    Carrier.ATT: 0.006,
    Carrier.VERIZON: 0.007,
    Carrier.TMOBILE: 0.007,
}
REJECTION_REASONS: dict[Carrier, tuple[str, ...]] = {
    Carrier.ATT: (
        "AT&T could not match the number to the registered 10DLC campaign",
        "AT&T reports the number is still assigned to another messaging provider",
    ),
    Carrier.VERIZON: (
        "Verizon rejected the number: the use case's sample messages do not match its type",
        "Verizon reports the number is still assigned to another messaging provider",
    ),
    Carrier.TMOBILE: (
        "T-Mobile rejected the number: the brand's registration could not be verified",
        "T-Mobile reports the number is still assigned to another messaging provider",
    ),
}
OUTAGE_REASON = "{carrier} is rejecting numbers during its outage"

# Queue pressure: each of the account's numbers already waiting slows a new one by 15 %, up to 3×
# (the carriers rate-limit per sender, so a big batch waits, but not without bound).
PRESSURE_PER_NUMBER = 0.15
PRESSURE_CAP = 3.0


def queue_pressure(in_flight: int) -> float:
    """How much slower a new number is when ``in_flight`` of the account's are waiting."""
    return min(PRESSURE_CAP, 1.0 + PRESSURE_PER_NUMBER * max(0, in_flight))


@dataclass(frozen=True)
class ScenarioOptions:
    """The knobs of a scenario (S5); stored as JSON in the simulation state.

    ``carrier``, ``stall_hours`` and ``reject_share`` shape a Carrier outage: the carrier's
    answers are held for ``stall_hours`` and ``reject_share`` of them reject. ``account_id``
    picks the account a Provider incident or a Use case near its limit acts on (None: every
    account).
    """

    carrier: Carrier = Carrier.TMOBILE
    stall_hours: float = 6.0
    reject_share: float = 0.0
    account_id: int | None = None

    def validated(self) -> ScenarioOptions:
        """These options, or a refusal naming the knob that is out of range."""
        try:
            carrier = Carrier(self.carrier)
        except ValueError:
            raise InvalidInput("Choose AT&T, Verizon or T-Mobile.", field="carrier") from None
        if not isinstance(self.stall_hours, int | float) or not 0 <= self.stall_hours <= 72:
            raise InvalidInput("An outage holds answers for 0 to 72 hours.", field="stall_hours")
        if not isinstance(self.reject_share, int | float) or not 0 <= self.reject_share <= 1:
            raise InvalidInput(
                "The share of rejected numbers is between 0 % and 100 %.", field="reject_share"
            )
        return ScenarioOptions(
            carrier=carrier,
            stall_hours=float(self.stall_hours),
            reject_share=float(self.reject_share),
            account_id=self.account_id,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "carrier": self.carrier.value,
            "stall_hours": self.stall_hours,
            "reject_share": self.reject_share,
            "account_id": self.account_id,
        }

    @classmethod
    def from_json(cls, values: dict[str, Any] | None) -> ScenarioOptions:
        values = values or {}
        default = cls()
        try:
            carrier = Carrier(values.get("carrier", default.carrier))
        except ValueError:
            carrier = default.carrier
        account_id = values.get("account_id")
        return cls(
            carrier=carrier,
            stall_hours=float(values.get("stall_hours", default.stall_hours)),
            reject_share=float(values.get("reject_share", default.reject_share)),
            account_id=int(account_id) if isinstance(account_id, int) else None,
        )


@dataclass(frozen=True)
class CarrierAnswerPlan:
    """When one carrier will answer a number, and what it will say."""

    carrier: Carrier
    wait: timedelta
    confirmed: bool
    reason: str | None = None


def _interpolate(points: Sequence[tuple[float, float]], x: float) -> float:
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if x0 <= x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1]


def median_wait_minutes(at: datetime, scenario: Scenario = Scenario.NORMAL) -> float:
    """The median wait of one carrier (before its pace and pressure) for a start at ``at``."""
    if scenario is Scenario.BUSY_AFTERNOON:
        return BUSY_MEDIAN_MINUTES
    local = at.astimezone(EASTERN)
    if local.weekday() >= 5:
        minutes = WEEKEND_MEDIAN_MINUTES
    else:
        hour = local.hour + local.minute / 60 + local.second / 3600
        minutes = _interpolate(WEEKDAY_MEDIAN_MINUTES, hour)
    if scenario is Scenario.PROVIDER_INCIDENT:
        minutes *= INCIDENT_SLOWDOWN
    return minutes


def plan_provisioning(
    rng: random.Random,
    started_at: datetime,
    *,
    scenario: Scenario = Scenario.NORMAL,
    options: ScenarioOptions | None = None,
    pressure: float = 1.0,
) -> tuple[CarrierAnswerPlan, ...]:
    """Draw the three carriers' answers for a number whose provisioning starts at ``started_at``.

    Every carrier takes the same three draws from ``rng`` whatever the outcome, so a plan depends
    only on the generator's seed, the start time, the scenario and the pressure (S3).
    """
    options = options or ScenarioOptions()
    median = median_wait_minutes(started_at, scenario) * pressure
    plans: list[CarrierAnswerPlan] = []
    for carrier in CARRIERS:
        z = rng.gauss(0.0, 1.0)
        chance = rng.random()
        pick = rng.random()
        minutes = median * CARRIER_PACE[carrier] * math.exp(SIGMA * z)
        wait = MIN_WAIT + timedelta(minutes=minutes)
        reject_rate = REJECT_RATE[carrier]
        reason_pool = REJECTION_REASONS[carrier]
        if scenario is Scenario.CARRIER_OUTAGE and carrier is options.carrier:
            wait += timedelta(hours=options.stall_hours)
            if options.reject_share > reject_rate:
                reject_rate = options.reject_share
                reason_pool = (OUTAGE_REASON.format(carrier=carrier.label),)
        confirmed = chance >= reject_rate
        reason = None if confirmed else reason_pool[int(pick * len(reason_pool))]
        plans.append(CarrierAnswerPlan(carrier, wait, confirmed, reason))
    return tuple(plans)


def completion_wait(plans: Sequence[CarrierAnswerPlan]) -> timedelta:
    """How long the number waits for its last answer."""
    return max(plan.wait for plan in plans)


# ---------------------------------------------------------------------------------- estimates
ESTIMATE_DRAWS = 4000


@dataclass(frozen=True)
class ProvisioningEstimate:
    """S6: how long provisioning is expected to take (p50 and p90), or still take."""

    p50: timedelta
    p90: timedelta
    overdue: bool = False

    @property
    def text(self) -> str:
        """``"6 to 11 min"``, ``"2 h to 3 h 30 min"``, or the overdue wording."""
        if self.overdue:
            return "taking longer than usual"
        low, high = format_wait(self.p50), format_wait(self.p90)
        if low == high:
            return f"about {low}"
        if low.endswith(" min") and high.endswith(" min") and "h" not in low + high:
            return f"{low.removesuffix(' min')} to {high}"
        return f"{low} to {high}"


def format_wait(wait: timedelta) -> str:
    """A wait as an admin reads it: ``"8 min"``, ``"1 h 45 min"``, ``"3 h"``."""
    minutes = max(1, round(wait.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} min"
    # Coarser the longer the wait: nobody plans a 7-hour wait to the minute.
    step = 5 if minutes < 600 else 30
    minutes = step * round(minutes / step)
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


@cache
def _standard_factors() -> tuple[tuple[float, float, float], ...]:
    """Fixed standard draws (per carrier ``exp(SIGMA·z)``) that every estimate reuses."""
    rng = random.Random("thrudesk:estimate")
    return tuple(
        (
            math.exp(SIGMA * rng.gauss(0.0, 1.0)),
            math.exp(SIGMA * rng.gauss(0.0, 1.0)),
            math.exp(SIGMA * rng.gauss(0.0, 1.0)),
        )
        for _ in range(ESTIMATE_DRAWS)
    )


@lru_cache(maxsize=512)
def _completion_samples(
    median_minutes: float, stall_minutes: tuple[float, float, float]
) -> tuple[float, ...]:
    """Sorted completion waits (seconds) for a median and per-carrier held time."""
    base = MIN_WAIT.total_seconds()
    scale = median_minutes * 60.0
    pace = [CARRIER_PACE[c] * scale for c in CARRIERS]
    stall = [m * 60.0 for m in stall_minutes]
    samples = [
        base
        + max(
            pace[0] * f0 + stall[0],
            pace[1] * f1 + stall[1],
            pace[2] * f2 + stall[2],
        )
        for f0, f1, f2 in _standard_factors()
    ]
    samples.sort()
    return tuple(samples)


def completion_samples(
    started_at: datetime,
    *,
    scenario: Scenario = Scenario.NORMAL,
    options: ScenarioOptions | None = None,
    pressure: float = 1.0,
) -> tuple[float, ...]:
    """The model's completion waits (sorted, in seconds) for a start at ``started_at``."""
    options = options or ScenarioOptions()
    # Rounded so that a dialog refreshing every second hits the cache.
    median = round(median_wait_minutes(started_at, scenario) * pressure, 1)
    stall = tuple(
        options.stall_hours * 60.0
        if scenario is Scenario.CARRIER_OUTAGE and carrier is options.carrier
        else 0.0
        for carrier in CARRIERS
    )
    return _completion_samples(median, (stall[0], stall[1], stall[2]))


def _quantile(samples: Sequence[float], q: float) -> float:
    index = min(len(samples) - 1, max(0, math.ceil(q * len(samples)) - 1))
    return samples[index]


def estimate_from_samples(
    samples: Sequence[float], elapsed: timedelta = timedelta()
) -> ProvisioningEstimate:
    """p50 and p90 of what remains after ``elapsed``, given the model's completion waits."""
    waited = elapsed.total_seconds()
    start = bisect.bisect_right(samples, waited)
    remaining = samples[start:]
    # When fewer than 1 % of draws run this long the number is an outlier (an outage, a stall):
    # the model has nothing honest to say beyond "longer than usual".
    if len(remaining) < max(1, len(samples) // 100):
        return ProvisioningEstimate(timedelta(), timedelta(), overdue=True)
    return ProvisioningEstimate(
        p50=timedelta(seconds=_quantile(remaining, 0.5) - waited),
        p90=timedelta(seconds=_quantile(remaining, 0.9) - waited),
    )


def day_before_advice(
    estimate: ProvisioningEstimate, start_at: datetime | None, now: datetime
) -> str | None:
    """S6: advice to launch the day before when the p50–p90 range runs past the start date."""
    if start_at is None:
        return None
    if estimate.overdue:
        return None
    if now + estimate.p90 <= start_at:
        return None
    if now + estimate.p50 > start_at:
        lead = "will most likely still be provisioning"
    else:
        lead = "may still be provisioning"
    return (
        f"Provisioning takes {estimate.text} at this hour, so the number {lead} at the start "
        "date. Launch the day before the start date to be ready on time."
    )
