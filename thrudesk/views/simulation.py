"""What the window asks of the simulator: the scenario, and the provisioning estimates of S6.

A protocol rather than the engine class, so that the window can be built without a simulator
(a read-only look at a store) and tests can hand it any object with these members.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from thrudesk.services.rows import ProvisioningStatus, Scenario


class Estimate(Protocol):
    """p50 and p90 of the time provisioning takes (or still takes), and how to say it."""

    @property
    def p50(self) -> timedelta: ...

    @property
    def p90(self) -> timedelta: ...

    @property
    def overdue(self) -> bool: ...

    @property
    def text(self) -> str: ...


class SimulationControl(Protocol):
    """The simulator as the window sees it."""

    @property
    def scenario(self) -> Scenario: ...

    def set_scenario(self, scenario: Scenario) -> None: ...

    def estimate(self, account_id: int, at: datetime | None = None) -> Estimate: ...

    def number_estimate(self, number_id: int) -> Estimate | None: ...

    def pending_jobs(self) -> int: ...


def estimate_sentence(estimate: Estimate) -> str:
    """``Expected provisioning time: 6 to 11 min (p50–p90)``."""
    if estimate.overdue:
        return "Provisioning is taking longer than usual."
    return f"Expected provisioning time: {estimate.text} (p50–p90)"


def provisioning_estimate(
    simulator: SimulationControl | None, number_id: int, status: ProvisioningStatus | None
) -> Estimate | None:
    """S6's estimate for a number still provisioning; None once the carriers have answered, or
    with no simulator to ask.
    """
    if status is ProvisioningStatus.INITIATED and simulator:
        return simulator.number_estimate(number_id)
    return None
