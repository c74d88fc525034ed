"""A full disk under the store (DOMAIN.md "Errors", QUALITY.md R4): the simulator's batches and
an admin's changes write nothing and say so, the store's health tells the window, and everything
goes on by itself once there is room. SQLite's own page limit stands in for the disk here: it
fails a write exactly as a full disk does (SQLITE_FULL).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.damage import FullDisk
from thrudesk.models import Event, PhoneNumber, SimulationJob
from thrudesk.models.enums import NumberMode
from thrudesk.services.clock import ManualClock, ScaledClock
from thrudesk.services.container import Services
from thrudesk.services.errors import DiskFull
from thrudesk.services.simulation import engine
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount, create_starter_account
from thrudesk.services.store import Store, open_store, url_for_path
from thrudesk.testing import DEFAULT_START


@pytest.fixture
def disk(thrudesk_store: Store) -> Iterator[FullDisk]:
    disk = FullDisk(thrudesk_store)
    yield disk
    disk.free()


def _counts(store: Store) -> tuple[int, int, int]:
    with store.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Event)) or 0,
            session.scalar(select(func.count()).select_from(PhoneNumber)) or 0,
            session.scalar(
                select(func.count())
                .select_from(SimulationJob)
                .where(SimulationJob.applied_at.is_(None))
            )
            or 0,
        )


def _launch(services: Services, account: StarterAccount, count: int) -> None:
    for index in range(count):
        campaign = services.campaigns.create(
            account.actor, f"Launch {index}", area_codes=["512"], use_case_id=account.use_case_id
        )
        services.campaigns.launch(account.actor, campaign, NumberMode.SINGLE_USE)


def _create_drafts_until_refused(
    services: Services, account: StarterAccount
) -> tuple[DiskFull, tuple[int, int, int]]:
    """New Drafts until the full disk refuses one: the refusal, and the counts before it."""
    store = services.context.store
    for index in range(200):
        before = _counts(store)
        try:
            services.campaigns.create(
                account.actor,
                f"Draft {index} " + "x" * 150,
                area_codes=["512"],
                use_case_id=account.use_case_id,
            )
        except DiskFull as refused:
            return refused, before
    pytest.fail("the full disk took every draft")


def test_r4_an_admins_change_on_a_full_disk_is_refused_with_the_message_and_writes_nothing(
    thrudesk_services: Services, thrudesk_account: StarterAccount, disk: FullDisk
) -> None:
    store = thrudesk_services.context.store
    told: list[bool] = []
    store.health.subscribe(told.append)
    # Enough rows that the next ones need a new page.
    _launch(thrudesk_services, thrudesk_account, 3)
    disk.fill()
    refused, before = _create_drafts_until_refused(thrudesk_services, thrudesk_account)
    assert refused.message == "The disk is full: thrudesk cannot save; nothing is lost."
    assert _counts(store) == before
    assert told == [True]
    assert store.health.full
    disk.free()
    thrudesk_services.campaigns.create(
        thrudesk_account.actor,
        "After",
        area_codes=["512"],
        use_case_id=thrudesk_account.use_case_id,
    )
    assert told == [True, False]
    assert not store.health.full


def test_r4_simulator_batches_on_a_full_disk_wait_whole_and_go_on_when_there_is_room(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    disk: FullDisk,
) -> None:
    store = thrudesk_services.context.store
    told: list[bool] = []
    store.health.subscribe(told.append)
    _launch(thrudesk_services, thrudesk_account, 30)
    events, numbers, pending = _counts(store)
    assert pending >= 90
    disk.fill()
    sim_clock.advance(hours=12)
    # Nothing of the batch was written, no job was lost or marked failed.
    assert _counts(store) == (events, numbers, pending)
    assert told[:1] == [True]
    disk.free()
    sim_clock.advance(hours=12)
    events_after, numbers_after, pending_after = _counts(store)
    assert numbers_after == numbers
    assert pending_after < pending - 80
    assert events_after > events
    assert not store.health.full
    with store.read() as session:
        failed = session.scalars(select(SimulationJob.payload)).all()
    assert not [payload for payload in failed if payload and "failed" in payload]


def test_r4_a_live_simulator_tries_again_by_itself_once_the_disk_has_room(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "DISK_FULL_RETRY_S", 0.05)
    store = open_store(url_for_path(tmp_path / "thrudesk.sqlite3"))
    disk = FullDisk(store)
    clock = ScaledClock(DEFAULT_START, speed=3600.0)
    services = Services(store, clock)
    account = create_starter_account(services)
    simulator = Simulator(services, seed=5)

    async def scenario() -> tuple[int, int, bool, int]:
        runner = asyncio.ensure_future(simulator.run())
        await asyncio.sleep(0.05)
        _launch(services, account, 20)
        _events, _numbers, pending = _counts(store)
        disk.fill()
        await asyncio.sleep(2.0)  # two simulated hours: answers fall due, and cannot be saved
        full_pending = _counts(store)[2]
        was_full = store.health.full
        disk.free()
        await asyncio.sleep(1.0)
        simulator.stop()
        await runner
        return pending, full_pending, was_full, _counts(store)[2]

    try:
        pending, full_pending, was_full, after = asyncio.run(scenario())
    finally:
        store.dispose()
    assert was_full
    assert full_pending == pending
    assert after < pending
    assert not store.health.full
