"""S4: in-flight provisioning survives stops, restarts and crashes; nothing is lost, nothing is
applied twice, and the outcome is the one an uninterrupted run reaches.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.unit.simulation.helpers import launch_single_use
from thrudesk.models import Campaign, Event, Notification, PhoneNumber, SimulationJob
from thrudesk.models.enums import CampaignStatus, ClockKind, JobKind, ProvisioningStatus
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.jobs import ScheduledJob
from thrudesk.services.simulation.clock_state import clock_from_store
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount, create_starter_account
from thrudesk.services.store import Store, open_store, url_for_path
from thrudesk.services.unit_of_work import UnitOfWork
from thrudesk.testing import DEFAULT_START

TERMINAL = ("provisioning_completed", "provisioning_failed")


class Crash(BaseException):
    """The program dies in the middle of a batch (SIGKILL, power loss)."""


@dataclass
class Run:
    """One life of the program over the store: its clock, services and simulator."""

    store: Store
    clock: ManualClock
    services: Services
    simulator: Simulator

    @classmethod
    def begin(cls, store: Store, *, first: bool = False) -> Run:
        clock = (
            ManualClock(DEFAULT_START) if first else clock_from_store(store, kind=ClockKind.MANUAL)
        )
        assert isinstance(clock, ManualClock)
        services = Services(store, clock)
        simulator = Simulator(services, seed=3 if first else None)
        return cls(store, clock, services, simulator)


# The admins' actions, at fixed simulated moments: (minutes after the start, what happens).
def plan_of_actions(account: StarterAccount) -> list[tuple[int, Callable[[Services], object]]]:
    def dedicated(code: str) -> Callable[[Services], object]:
        return lambda s: s.numbers.create_dedicated(account.actor, code, account.use_case_id)

    def single_use(title: str, code: str) -> Callable[[Services], object]:
        return lambda s: launch_single_use(s, account, title, code)

    return [
        (0, dedicated("415")),
        (0, single_use("Spring drive", "512")),
        (2, single_use("Town hall", "617")),
        (5, dedicated("303")),
        (45, single_use("Canvass", "312")),
        (240, dedicated("404")),  # 13:00 Eastern: the afternoon queue
        (250, single_use("Phone bank", "702")),
        (300, single_use("Rally", "512")),
    ]


def run_uninterrupted(path: Path) -> dict[str, tuple[object, ...]]:
    store = open_store(url_for_path(path))
    try:
        run = Run.begin(store, first=True)
        run.simulator.start()
        account = create_starter_account(run.services)
        for minute, action in plan_of_actions(account):
            run.clock.jump_to(DEFAULT_START + timedelta(minutes=minute))
            action(run.services)
        run.clock.advance(days=3)
        run.simulator.stop()
        return outcomes(store)
    finally:
        store.dispose()


def outcomes(store: Store) -> dict[str, tuple[object, ...]]:
    """Each number's end, by its E.164: status, when, and each carrier's answer."""
    with store.read() as session:
        numbers = session.scalars(select(PhoneNumber).order_by(PhoneNumber.id)).all()
        return {
            n.e164: (
                n.provisioning_status,
                n.completed_at,
                n.failed_at,
                n.failure_reason,
                tuple((c.carrier, c.status, c.answered_at) for c in n.checks),
            )
            for n in numbers
        }


def test_s4_stops_restarts_and_a_crash_lose_nothing_and_repeat_nothing(tmp_path: Path) -> None:
    """S4: stop the engine mid-flight at several points (one of them a crash inside a batch),
    start a new one on the same store each time, advance: every job ends exactly once, each
    number has one terminal event, and the outcome equals an uninterrupted run's.
    """
    expected = run_uninterrupted(tmp_path / "uninterrupted.sqlite3")
    store = open_store(url_for_path(tmp_path / "restarted.sqlite3"))
    try:
        run = Run.begin(store, first=True)
        run.simulator.start()
        account = create_starter_account(run.services)
        actions = plan_of_actions(account)
        # Where a life of the program ends (minutes after the start). The program stays closed
        # until the next moment of the plan; "crash" dies inside a batch, after the last action.
        stops = {3: "stop", 60: "stop", 245: "stop", 300: "crash", 900: "stop"}
        end = 300 + 3 * 24 * 60
        closed = False
        restarts = 0
        for minute in sorted({m for m, _ in actions} | set(stops) | {end}):
            moment = DEFAULT_START + timedelta(minutes=minute)
            if closed:
                run = Run.begin(store)
                # Time passed while closed; start() applies what fell due, in order.
                run.clock.jump_to(max(run.clock.now(), moment))
                run.simulator.start()
                closed = False
                restarts += 1
            else:
                run.clock.jump_to(max(run.clock.now(), moment))
            for when, action in actions:
                if when == minute:
                    action(run.services)
            if stops.get(minute) == "stop":
                run.simulator.stop()
                closed = True
            elif stops.get(minute) == "crash":
                arm_crash(run.simulator, after=1)
                with pytest.raises(Crash):
                    run.clock.advance(hours=12)
                # Killed: no stop(), nothing saved. The next life starts from the store alone.
                closed = True
        run.simulator.stop()
        assert restarts == len(stops)

        with store.read() as session:
            pending = session.scalar(
                select(func.count(SimulationJob.id)).where(
                    SimulationJob.kind == JobKind.CARRIER_ANSWER,
                    SimulationJob.applied_at.is_(None),
                )
            )
            assert pending == 0
            terminal = Counter(
                session.scalars(
                    select(Event.subject_id).where(
                        Event.subject_type == "phone_number", Event.kind.in_(TERMINAL)
                    )
                )
            )
            number_ids = list(session.scalars(select(PhoneNumber.id)))
            assert {number_id: terminal[number_id] for number_id in number_ids} == dict.fromkeys(
                number_ids, 1
            )
            answers = Counter(
                (event.subject_id, (event.after or {}).get("carrier"))
                for event in session.scalars(select(Event).where(Event.kind == "carrier_answered"))
            )
            assert max(answers.values()) == 1
            notified = Counter(
                session.scalars(
                    select(Notification.subject_id).where(Notification.title.like("Provisioning%"))
                )
            )
            assert sum(notified.values()) == len(number_ids)
            launching_on_complete = session.scalar(
                select(func.count(Campaign.id))
                .join(PhoneNumber, Campaign.phone_number_id == PhoneNumber.id)
                .where(
                    Campaign.status == CampaignStatus.LAUNCHING,
                    PhoneNumber.provisioning_status == ProvisioningStatus.COMPLETE,
                )
            )
            assert launching_on_complete == 0
        assert outcomes(store) == expected
    finally:
        store.dispose()


def arm_crash(simulator: Simulator, *, after: int) -> None:
    """Make the carrier-answer handler die on the ``after + 1``-th job it is given."""
    real = simulator.handler_for(JobKind.CARRIER_ANSWER)
    assert real is not None
    calls = 0

    def dying(uow: UnitOfWork, job: ScheduledJob) -> None:
        nonlocal calls
        calls += 1
        if calls > after:
            raise Crash
        real(uow, job)

    simulator.register_handler(JobKind.CARRIER_ANSWER, dying)


def test_s4_what_fell_due_while_closed_is_applied_in_order_at_its_own_time(
    thrudesk_store: Store,
) -> None:
    """S4: after a day closed, the answers that fell due are applied in due order, each
    recorded at the moment it was due, not at the moment of the restart.
    """
    run = Run.begin(thrudesk_store, first=True)
    run.simulator.start()
    account = create_starter_account(run.services)
    run.simulator.force_next("complete", after=timedelta(minutes=40))
    number = run.services.numbers.create_dedicated(account.actor, "415", account.use_case_id)
    run.simulator.stop()
    later = Run.begin(thrudesk_store)
    later.clock.advance(days=1)
    later.simulator.start()
    events = later.services.events.for_number(account.actor, number.id)
    timeline = [(e.kind, e.at - number.created_at) for e in events if e.at > number.created_at]
    assert timeline == [
        ("carrier_answered", timedelta(minutes=24)),
        ("carrier_answered", timedelta(minutes=32)),
        ("carrier_answered", timedelta(minutes=40)),
        ("provisioning_completed", timedelta(minutes=40)),
    ]
    later.simulator.stop()
