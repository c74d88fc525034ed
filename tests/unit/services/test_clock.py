"""S1: the clock kinds; sleepers wake in simulated time, in order."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from thrudesk.services import clock as clock_module
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


class _Wall:
    """``time.monotonic`` for the clock module, moved on by hand."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def monotonic(self) -> float:
        return self.seconds


def test_s1_a_scaled_clock_stops_at_the_end_of_2099(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """S1, DOMAIN.md "Errors": a running scaled clock pauses by itself at the last moment
    thrudesk accepts, reading exactly that moment, and says so in the log; nothing reads a
    moment past it, and resuming or a new speed leaves it there.
    """
    wall = _Wall()
    monkeypatch.setattr(clock_module, "time", wall)
    clock = ScaledClock(LATEST - timedelta(hours=1), speed=3600)
    assert clock.now() == LATEST - timedelta(hours=1)
    wall.seconds += 0.5
    assert clock.now() == LATEST - timedelta(minutes=30)
    assert not clock.reading().paused

    with caplog.at_level(logging.INFO, logger="thrudesk.clock"):
        wall.seconds += 3600  # a week of wall time would be 168 of these
        assert clock.paused  # read before now(): the end pauses it all the same
        assert clock.now() == LATEST
    assert "reached 2099-12-31 09:59 UTC, the last moment thrudesk accepts" in caplog.text
    assert "the clock is paused" in caplog.text
    wall.seconds += 86_400
    assert clock.now() == LATEST
    reading = clock.reading()
    assert (reading.anchor_sim, reading.paused) == (LATEST, True)

    clock.resume()
    clock.set_speed(60)
    wall.seconds += 3600
    assert clock.paused
    assert clock.now() == LATEST

    # A clock made past the bound reads the bound, paused.
    late = ScaledClock(datetime(9999, 12, 30, tzinfo=UTC), speed=3600)
    assert (late.now(), late.paused) == (LATEST, True)


def test_s1_a_running_scaled_clock_pauses_at_the_end_of_2099_on_its_own() -> None:
    """S1: with nobody reading it, the clock's loop timer pauses it at the bound and tells its
    listeners (the window's speed and pause controls, the simulator): sleepers due by then
    wake, later ones never.
    """

    async def scenario() -> tuple[list[datetime], list[bool], datetime, bool]:
        clock = ScaledClock(LATEST - timedelta(seconds=36), speed=3600)  # 10 ms of wall time
        told: list[bool] = []
        stopped = asyncio.Event()

        def listener() -> None:
            told.append(clock.paused)
            stopped.set()

        clock.add_listener(listener)
        woken: list[datetime] = []
        clock.call_at(LATEST - timedelta(seconds=1), lambda: woken.append(clock.now()))
        clock.call_at(LATEST + timedelta(minutes=1), lambda: woken.append(clock.now()))
        clock.attach(asyncio.get_running_loop())
        await asyncio.wait_for(stopped.wait(), timeout=5)
        await asyncio.sleep(0.05)
        paused, now = clock.paused, clock.now()
        clock.detach()
        return woken, told, now, paused

    woken, told, now, paused = asyncio.run(scenario())
    assert (now, paused) == (LATEST, True)
    assert told == [True]
    assert len(woken) == 1
    assert LATEST - timedelta(seconds=1) <= woken[0] <= LATEST


class _Loop:
    """Enough of an event loop to see how far ahead the clock arms its timer."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def is_closed(self) -> bool:
        return False

    def call_later(self, delay: float, callback: Any) -> Any:
        self.delays.append(delay)
        return _Handle()


class _Handle:
    def cancel(self) -> None:
        pass


def test_s1_a_far_sleeper_arms_the_loop_at_most_a_day_ahead() -> None:
    """S1: a sleeper 30 days away at 1× is woken on the way; Qt's loop takes no timer longer
    than 24.8 days, and one further off (or the end of 2099 at 1×) would not be armed at all.
    """
    loop = _Loop()
    clock = ScaledClock(START, speed=1)
    clock.attach(loop)  # type: ignore[arg-type]
    clock.call_at(START + timedelta(days=30), lambda: None)
    assert loop.delays
    assert all(0 <= delay <= 86_400 for delay in loop.delays)
