"""P2: on a live clock over a store file, the simulator's batches are applied in a process of
their own, and the window's process hears of each as if it had applied it.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from multiprocessing.process import BaseProcess

import pytest
from sqlalchemy import func, select

from thrudesk.models import Event
from thrudesk.models.enums import JobKind
from thrudesk.services.changes import NUMBERS, Change
from thrudesk.services.clock import ManualClock, ScaledClock
from thrudesk.services.container import Services
from thrudesk.services.rows import ProvisioningStatus
from thrudesk.services.simulation.apart import PROCESS_NAME
from thrudesk.services.simulation.engine import BatchReport, Simulator
from thrudesk.services.starter import StarterAccount, create_starter_account
from thrudesk.services.store import Store, open_store
from thrudesk.testing import DEFAULT_START

# Spawning the applying process and importing the services there takes a second or two on a
# busy machine; everything after that takes a fraction of one.
WAIT_S = 30.0


@dataclass
class _Desktop:
    shown: list[tuple[str, int]] = field(default_factory=list)

    def notify(
        self, title: str, body: str, *, user_id: int, subject_type: str, subject_id: int
    ) -> None:
        self.shown.append((subject_type, subject_id))


@dataclass
class _Live:
    services: Services
    simulator: Simulator
    clock: ScaledClock
    account: StarterAccount
    reports: list[BatchReport] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    apart_when_told: list[bool] = field(default_factory=list)
    threads: set[int] = field(default_factory=set)

    def answers_applied(self) -> int:
        return sum(report.by_kind.get(JobKind.CARRIER_ANSWER, 0) for report in self.reports)

    def new_number(self) -> int:
        self.simulator.force_next("complete")
        row = self.services.numbers.create_dedicated(
            self.account.actor, "415", self.account.use_case_id
        )
        return row.id

    def status(self, number_id: int) -> ProvisioningStatus:
        return self.services.numbers.get(self.account.actor, number_id).provisioning_status


def _live(store: Store) -> _Live:
    # Paused: nothing falls due until the test moves the clock.
    clock = ScaledClock(DEFAULT_START, speed=1, paused=True)
    services = Services(store, clock)
    simulator = Simulator(services, seed=0)
    live = _Live(services, simulator, clock, create_starter_account(services))

    def on_batch(report: BatchReport) -> None:
        live.reports.append(report)
        live.apart_when_told.append(simulator.applied_apart)
        live.threads.add(threading.get_ident())

    simulator.add_batch_listener(on_batch)
    services.bus.subscribe(live.changes.append)
    return live


async def _until(condition: Callable[[], bool], what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_S
    while not condition():
        if loop.time() > deadline:
            pytest.fail(f"waited {WAIT_S:g} s for {what}")
        await asyncio.sleep(0.02)


def _applying_processes() -> list[BaseProcess]:
    return [p for p in multiprocessing.active_children() if p.name == PROCESS_NAME]


def _run(live: _Live, body: Callable[[], Awaitable[None]]) -> None:
    """Run the simulator on an asyncio loop, move its applying apart, then ``body``."""

    async def scenario() -> None:
        task = asyncio.create_task(live.simulator.run())
        await asyncio.sleep(0)
        try:
            assert live.simulator.apply_apart()
            await _until(lambda: live.simulator.applied_apart, "the applying process")
            await body()
        finally:
            live.simulator.stop()
            await task

    try:
        asyncio.run(scenario())
    finally:
        live.clock.detach()


def _answered(store: Store, number_id: int) -> int:
    with store.read() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(Event)
                .where(Event.kind == "carrier_answered", Event.subject_id == number_id)
            )
            or 0
        )


def test_p2_a_live_simulator_applies_in_its_own_process_and_tells_the_window(
    thrudesk_store: Store,
) -> None:
    live = _live(thrudesk_store)
    desktop = _Desktop()
    live.services.context.desktop = desktop
    loop_threads: set[int] = set()
    number_ids: list[int] = []

    async def body() -> None:
        loop_threads.add(threading.get_ident())
        assert [p.name for p in _applying_processes()] == [PROCESS_NAME]
        # Planned here, after the take-over: the applying process hears of it.
        number_ids.append(live.new_number())
        assert live.simulator.next_due(JobKind.CARRIER_ANSWER, number_ids[0]) is not None
        live.clock.jump_to(DEFAULT_START + timedelta(minutes=30))
        await _until(lambda: live.answers_applied() == 3, "the three carriers' answers")
        await _until(lambda: bool(desktop.shown), "the completion's desktop notification")

    _run(live, body)

    (number_id,) = number_ids
    assert live.status(number_id) is ProvisioningStatus.COMPLETE
    # Each answer applied once, by the applying process, told here on the loop's thread.
    assert _answered(thrudesk_store, number_id) == 3
    assert live.apart_when_told
    assert all(live.apart_when_told)
    assert live.threads == loop_threads
    applied = [job_id for report in live.reports for job_id in report.job_ids]
    assert len(applied) == len(set(applied))
    # The window's Simulator forgot the applied jobs, and the window's bus heard of the number.
    assert live.simulator.next_due(JobKind.CARRIER_ANSWER, number_id) is None
    assert any(number_id in c.number_ids and NUMBERS in c.topics for c in live.changes)
    assert ("phone_number", number_id) in desktop.shown
    # Stopping the simulator ended its applying process.
    assert _applying_processes() == []
    assert not live.simulator.applied_apart


def test_p2_the_applying_process_follows_the_windows_clock(thrudesk_store: Store) -> None:
    live = _live(thrudesk_store)
    number_ids: list[int] = []

    async def body() -> None:
        number_ids.append(live.new_number())
        # The answers are due five simulated minutes on; the window's clock is paused.
        await asyncio.sleep(0.5)
        assert live.answers_applied() == 0
        live.clock.set_speed(3600)
        live.clock.resume()
        await _until(lambda: live.answers_applied() == 3, "the answers after resume")

    _run(live, body)
    assert live.status(number_ids[0]) is ProvisioningStatus.COMPLETE


def test_p2_if_the_applying_process_dies_the_window_applies_again(
    thrudesk_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    live = _live(thrudesk_store)
    number_ids: list[int] = []

    async def body() -> None:
        (process,) = _applying_processes()
        assert process.pid is not None
        os.kill(process.pid, signal.SIGKILL)
        await _until(lambda: not live.simulator.applied_apart, "the window to take back")
        number_ids.append(live.new_number())
        live.clock.jump_to(DEFAULT_START + timedelta(minutes=30))
        await _until(lambda: live.answers_applied() == 3, "the answers applied here")

    with caplog.at_level(logging.WARNING, logger="thrudesk.simulation.apart"):
        _run(live, body)
    assert live.status(number_ids[0]) is ProvisioningStatus.COMPLETE
    assert _answered(thrudesk_store, number_ids[0]) == 3
    assert not any(live.apart_when_told[-1:])
    assert "applying here" in caplog.text


def test_p2_the_applying_process_logs_into_the_windows_log(
    thrudesk_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    live = _live(thrudesk_store)

    async def body() -> None:
        (process,) = _applying_processes()
        await _until(
            lambda: any(
                r.name == "thrudesk.simulation" and r.process == process.pid for r in caplog.records
            ),
            "the applying process's log record",
        )

    with caplog.at_level(logging.INFO, logger="thrudesk"):
        _run(live, body)
    (started,) = [
        r
        for r in caplog.records
        if r.name == "thrudesk.simulation" and r.process != os.getpid() and "started" in r.message
    ]
    assert "jobs pending" in started.message


def test_p2_a_manual_clock_or_a_store_in_memory_keeps_the_applying_here(
    thrudesk_store: Store,
) -> None:
    in_memory = open_store("sqlite://")
    cases = [
        Services(thrudesk_store, ManualClock(DEFAULT_START)),
        Services(in_memory, ScaledClock(DEFAULT_START, paused=True)),
    ]
    answers: list[bool] = []

    async def scenario(services: Services) -> None:
        simulator = Simulator(services, seed=0)
        task = asyncio.create_task(simulator.run())
        await asyncio.sleep(0)
        answers.append(simulator.apply_apart())
        answers.append(simulator.applied_apart)
        simulator.stop()
        await task

    try:
        for services in cases:
            asyncio.run(scenario(services))
    finally:
        in_memory.dispose()
    assert answers == [False, False, False, False]
    assert _applying_processes() == []


def test_p2_a_simulator_not_running_does_not_start_an_applying_process(
    thrudesk_store: Store,
) -> None:
    simulator = Simulator(Services(thrudesk_store, ScaledClock(DEFAULT_START, paused=True)))

    assert simulator.apply_apart() is False
    assert _applying_processes() == []
