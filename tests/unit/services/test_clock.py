"""S1: the clock kinds; sleepers wake in simulated time, in order."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from thrudesk.services.clock import ManualClock, ScaledClock
from thrudesk.services.errors import InvalidInput

START = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def test_s1_manual_clock_moves_only_when_advanced_and_wakes_sleepers_in_order() -> None:
    clock = ManualClock(START)
    woken: list[tuple[str, datetime]] = []
    clock.call_at(START + timedelta(minutes=30), lambda: woken.append(("b", clock.now())))
    clock.call_at(START + timedelta(minutes=10), lambda: woken.append(("a", clock.now())))
    clock.call_at(START + timedelta(hours=2), lambda: woken.append(("c", clock.now())))
    assert clock.now() == START
    clock.advance(hours=1)
    assert woken == [
        ("a", START + timedelta(minutes=10)),
        ("b", START + timedelta(minutes=30)),
    ]
    assert clock.now() == START + timedelta(hours=1)
    assert clock.pending_timers() == 1


def test_s1_manual_clock_runs_timers_scheduled_by_timers_in_the_same_advance() -> None:
    clock = ManualClock(START)
    woken: list[datetime] = []

    def first() -> None:
        woken.append(clock.now())
        clock.call_at(clock.now() + timedelta(minutes=5), lambda: woken.append(clock.now()))

    clock.call_at(START + timedelta(minutes=1), first)
    clock.advance(minutes=10)
    assert woken == [START + timedelta(minutes=1), START + timedelta(minutes=6)]


def test_s1_a_cancelled_sleeper_never_wakes() -> None:
    clock = ManualClock(START)
    woken: list[str] = []
    handle = clock.call_at(START + timedelta(minutes=1), lambda: woken.append("x"))
    handle.cancel()
    clock.advance(minutes=5)
    assert woken == []


def test_s1_the_clock_only_moves_forward() -> None:
    clock = ManualClock(START)
    with pytest.raises(InvalidInput, match="only moves forward"):
        clock.jump_to(START - timedelta(seconds=1))
    scaled = ScaledClock(START, paused=True)
    with pytest.raises(InvalidInput):
        scaled.jump_to(START - timedelta(days=1))


@pytest.mark.parametrize("speed", [0, 0.5, 3601, -10])
def test_s1_speed_outside_1_to_3600_is_refused(speed: float) -> None:
    with pytest.raises(InvalidInput, match="between 1× and 3600×"):
        ScaledClock(START, speed=speed)


def test_s1_scaled_clock_pauses_resumes_and_jumps() -> None:
    clock = ScaledClock(START, speed=3600, paused=True)
    assert clock.now() == START  # paused: time stands still
    clock.jump_to(START + timedelta(days=1))
    assert clock.now() == START + timedelta(days=1)
    changes: list[float] = []
    clock.add_listener(lambda: changes.append(clock.speed))
    clock.set_speed(60)
    clock.resume()
    assert not clock.paused
    assert changes == [60.0, 60.0]


def test_s1_scaled_clock_wakes_a_sleeper_in_simulated_time() -> None:
    async def scenario() -> datetime:
        clock = ScaledClock(START, speed=3600)
        clock.attach(asyncio.get_running_loop())
        await clock.sleep_until(START + timedelta(seconds=36))  # 10 ms of wall time at 3600×
        woke = clock.now()
        clock.detach()
        return woke

    woke = asyncio.run(scenario())
    assert woke >= START + timedelta(seconds=36)


def test_s1_a_jump_wakes_due_sleepers_even_while_paused() -> None:
    async def scenario() -> list[datetime]:
        clock = ScaledClock(START, speed=1, paused=True)
        clock.attach(asyncio.get_running_loop())
        woken: list[datetime] = []
        clock.call_at(START + timedelta(hours=3), lambda: woken.append(clock.now()))
        clock.jump_to(START + timedelta(hours=5))
        await asyncio.sleep(0.01)
        clock.detach()
        return woken

    assert asyncio.run(scenario()) == [START + timedelta(hours=5)]


def test_s1_a_clock_that_follows_another_reads_as_it_and_re_times_its_sleepers() -> None:
    """S1: the simulator's applying process runs a clock that follows the window's."""
    leader = ScaledClock(START, speed=60, paused=True)
    follower = ScaledClock()
    told: list[bool] = []
    follower.add_listener(lambda: told.append(follower.paused))

    follower.follow(leader.reading())
    assert follower.now() == leader.now() == START
    assert (follower.speed, follower.paused) == (60.0, True)

    leader.jump_to(START + timedelta(hours=2))
    leader.set_speed(3600)
    leader.resume()
    follower.follow(leader.reading())
    assert not follower.paused
    assert follower.speed == 3600.0
    # Both read the system's monotonic clock: a tenth of a second apart at most, at 3600×.
    assert abs((follower.now() - leader.now()).total_seconds()) < 360
    assert told == [True, False]

    async def scenario() -> list[datetime]:
        clock = ScaledClock(START, speed=1, paused=True)
        clock.attach(asyncio.get_running_loop())
        woken: list[datetime] = []
        clock.call_at(START + timedelta(hours=1), lambda: woken.append(clock.now()))
        ahead = ScaledClock(START, speed=1, paused=True)
        ahead.jump_to(START + timedelta(hours=2))
        clock.follow(ahead.reading())  # the sleeper is due now
        await asyncio.sleep(0.01)
        clock.detach()
        return woken

    assert asyncio.run(scenario()) == [START + timedelta(hours=2)]


# The clock lies between 1 January 2000 and 31 December 2099 (DOMAIN.md "Errors").
LATEST = datetime(2099, 12, 31, 9, 59, tzinfo=UTC)  # 23:59 on 31 December 2099 at UTC+14


@pytest.mark.parametrize(
    "move",
    [
        lambda clock: clock.jump_to(datetime(9999, 12, 30, tzinfo=UTC)),
        lambda clock: clock.jump_to(LATEST + timedelta(minutes=1)),
        lambda clock: clock.advance(days=10_000_000),
        lambda clock: clock.advance(timedelta.max),
    ],
    ids=["jump to 9999", "jump to 2100", "advance past 9999", "advance by timedelta.max"],
)
def test_s1_a_manual_clock_refuses_to_move_past_2099_and_stays(move: Any) -> None:
    clock = ManualClock(START)
    woken: list[datetime] = []
    clock.call_at(START + timedelta(minutes=1), lambda: woken.append(clock.now()))
    with pytest.raises(InvalidInput) as refused:
        move(clock)
    assert refused.value.message == (
        "The simulated time must lie between 1 January 2000 and 31 December 2099."
    )
    assert refused.value.field == "clock"
    assert clock.now() == START
    assert woken == []  # nothing ran on the way to a refused moment


def test_s1_a_scaled_clock_refuses_a_jump_past_2099_and_stays() -> None:
    clock = ScaledClock(START, paused=True)
    for when in (datetime(9999, 12, 30, tzinfo=UTC), LATEST + timedelta(minutes=1)):
        with pytest.raises(InvalidInput, match="between 1 January 2000 and 31 December 2099"):
            clock.jump_to(when)
        assert clock.now() == START
    clock.jump_to(LATEST)
    assert clock.now() == LATEST
