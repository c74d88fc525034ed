"""The clock: the only source of "now" for the services, the simulator and the window (S1).

Three kinds share one interface:

- :class:`RealClock`: simulated time is wall time.
- :class:`ScaledClock`: simulated time runs at a speed (1× to 3600×), can pause, resume and jump.
- :class:`ManualClock`: time moves only when a test calls :meth:`ManualClock.advance`.

Sleepers wait on the clock through :meth:`Clock.call_at` or :meth:`Clock.sleep_until`, never on
real seconds, so a manual ``advance()`` wakes exactly the due sleepers in order, and a speed change
re-times the pending ones.

No clock moves past :data:`~thrudesk.services.validation.LATEST`, the last moment of 31 December
2099 (DOMAIN.md "Errors"): a manual clock and a jump refuse to, and a running scaled clock pauses
there by itself, reading exactly that moment.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from thrudesk.models.enums import ClockKind
from thrudesk.services import validation
from thrudesk.services.errors import InvalidInput

log = logging.getLogger("thrudesk.clock")

SPEEDS: tuple[float, ...] = (1.0, 10.0, 60.0, 600.0, 3600.0)
MIN_SPEED = 1.0
MAX_SPEED = 3600.0
# The longest delay a loop timer is armed for (wall seconds): a sleeper further off is woken on the
# way. Qt's event loop, under qasync, takes no timer longer than 2**31 ms (24.8 days).
MAX_ARM_S = 86_400.0


def utcnow() -> datetime:
    """Wall time, aware UTC."""
    return datetime.now(UTC)


def _moment_text(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def _check_target(when: datetime) -> datetime:
    """A moment the clock may be moved to: aware, and within the dates thrudesk accepts."""
    if when.tzinfo is None:
        raise ValueError("clock times are aware datetimes")
    return validation.moment_in_range(when, field="clock", label="The simulated time")


class TimerHandle:
    """A callback scheduled at a simulated time; :meth:`cancel` withdraws it."""

    __slots__ = ("_callback", "_cancelled", "_clock", "when")

    def __init__(self, clock: Clock, when: datetime, callback: Callable[[], None]) -> None:
        self._clock = clock
        self.when = when
        self._callback = callback
        self._cancelled = False

    def cancel(self) -> None:
        self._cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def _run(self) -> None:
        if not self._cancelled:
            self._cancelled = True
            self._callback()


class Clock(ABC):
    """Source of simulated "now" and of timers in simulated time.

    Listeners added with :meth:`add_listener` are told after every change of speed, pause or jump.
    """

    kind: ClockKind

    def __init__(self) -> None:
        self._timers: list[tuple[datetime, int, TimerHandle]] = []
        self._sequence = itertools.count()
        self._listeners: list[Callable[[], None]] = []

    @abstractmethod
    def now(self) -> datetime:
        """The current simulated time, aware UTC."""

    @property
    def speed(self) -> float:
        return 1.0

    @property
    def paused(self) -> bool:
        return False

    def call_at(self, when: datetime, callback: Callable[[], None]) -> TimerHandle:
        """Run ``callback`` once simulated time reaches ``when`` (at once if it has)."""
        if when.tzinfo is None:
            raise ValueError("clock times are aware datetimes")
        handle = TimerHandle(self, when, callback)
        heapq.heappush(self._timers, (when, next(self._sequence), handle))
        self._timers_changed()
        return handle

    async def sleep_until(self, when: datetime) -> None:
        """Suspend the calling task until simulated time reaches ``when``."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()

        def wake() -> None:
            if not future.done():
                future.set_result(None)

        handle = self.call_at(when, wake)
        try:
            await future
        finally:
            handle.cancel()

    def add_listener(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def pending_timers(self) -> int:
        return sum(1 for _, _, handle in self._timers if not handle.cancelled)

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener()

    def _pop_due(self, until: datetime) -> TimerHandle | None:
        while self._timers:
            when, _, handle = self._timers[0]
            if handle.cancelled:
                heapq.heappop(self._timers)
                continue
            if when <= until:
                heapq.heappop(self._timers)
                return handle
            return None
        return None

    def _next_when(self) -> datetime | None:
        while self._timers and self._timers[0][2].cancelled:
            heapq.heappop(self._timers)
        return self._timers[0][0] if self._timers else None

    def _timers_changed(self) -> None:  # noqa: B027 (optional hook)
        """Hook for clocks that arm a real-time timer for the earliest sleeper."""


class ManualClock(Clock):
    """Time moves only when told (tests, benchmarks, headless runs)."""

    kind = ClockKind.MANUAL

    def __init__(self, start: datetime | None = None) -> None:
        super().__init__()
        start = start or datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        if start.tzinfo is None:
            raise ValueError("clock times are aware datetimes")
        self._now = start.astimezone(UTC)
        # Where a jump_to() under way is heading; None between jumps.
        self._heading: datetime | None = None

    def now(self) -> datetime:
        return self._now

    def advance(
        self,
        delta: timedelta | None = None,
        *,
        seconds: float = 0,
        minutes: float = 0,
        hours: float = 0,
        days: float = 0,
    ) -> datetime:
        """Move time forward, running every due timer at its own time, in order."""
        step = (delta or timedelta()) + timedelta(
            seconds=seconds, minutes=minutes, hours=hours, days=days
        )
        if step < timedelta():
            raise InvalidInput("The clock only moves forward.", field="clock")
        try:
            target = self._now + step
        except OverflowError:
            target = datetime.max.replace(tzinfo=UTC)  # beyond the last date: refused
        return self.jump_to(target)

    def jump_to(self, when: datetime) -> datetime:
        """Move time to ``when``, running every timer due on the way, each at its own time."""
        when = _check_target(when)
        if when < self._now:
            raise InvalidInput("The clock only moves forward.", field="clock")
        heading, self._heading = self._heading, when
        try:
            while (handle := self._pop_due(when)) is not None:
                self._now = max(self._now, handle.when)
                handle._run()
        finally:
            self._heading = heading
        self._now = max(self._now, when)
        self._notify()
        return self._now

    def horizon(self) -> datetime:
        """How far a timer's callback may move time on its own (:meth:`step_to`): while an
        ``advance()`` runs, to where it is heading or to the next sleeper, whichever is first;
        otherwise nowhere past now.
        """
        if self._heading is None:
            return self._now
        following = self._next_when()
        limit = self._heading if following is None else min(self._heading, following)
        return max(self._now, limit)

    def step_to(self, when: datetime) -> None:
        """Move time on to ``when`` within :meth:`horizon`, without waking anyone: the engine
        does so job by job during an ``advance()``, so that each job reads its own time.
        """
        if when > self.horizon():
            raise ValueError("a step goes no further than the clock's horizon")
        self._now = max(self._now, when)

    def run_due(self) -> None:
        """Run timers already due now (ones scheduled in the past by a callback)."""
        self.jump_to(self._now)


class _LoopClock(Clock):
    """A clock whose sleepers are woken by one timer of the running asyncio loop."""

    def __init__(self) -> None:
        super().__init__()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._armed: asyncio.TimerHandle | None = None

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Use ``loop`` for waking sleepers; until then timers wait."""
        self._loop = loop
        self._rearm()

    def detach(self) -> None:
        if self._armed is not None:
            self._armed.cancel()
            self._armed = None
        self._loop = None

    @abstractmethod
    def _real_seconds_until(self, when: datetime) -> float | None:
        """Real seconds until ``when`` at the current speed; None while paused."""

    def _wake_at(self) -> datetime | None:
        """The simulated moment the loop's timer is armed for: the earliest sleeper's."""
        return self._next_when()

    def _timers_changed(self) -> None:
        self._rearm()

    def _rearm(self) -> None:
        if self._armed is not None:
            self._armed.cancel()
            self._armed = None
        if self._loop is None or self._loop.is_closed():
            return
        when = self._wake_at()
        if when is None:
            return
        delay = self._real_seconds_until(when)
        if delay is None:
            return
        self._armed = self._loop.call_later(min(max(0.0, delay), MAX_ARM_S), self._fire)

    def _fire(self) -> None:
        self._armed = None
        now = self.now()
        while (handle := self._pop_due(now)) is not None:
            try:
                handle._run()
            except Exception:
                log.exception("a clock timer failed")
        self._rearm()


class RealClock(_LoopClock):
    """Simulated time is wall time."""

    kind = ClockKind.REAL

    def now(self) -> datetime:
        return utcnow()

    def _real_seconds_until(self, when: datetime) -> float:
        return (when - utcnow()).total_seconds()


@dataclass(frozen=True)
class ClockReading:
    """A scaled clock's whole state: the simulated moment at a moment of ``time.monotonic()``,
    the speed and the pause. ``time.monotonic()`` is the system's, so another process of the
    program can run a clock that reads as this one (:meth:`ScaledClock.follow`).
    """

    anchor_sim: datetime
    anchor_wall: float
    speed: float
    paused: bool


class ScaledClock(_LoopClock):
    """Simulated time running at ``speed`` times wall time, with pause, resume and jump.

    It pauses by itself at :data:`~thrudesk.services.validation.LATEST`: whatever reads it first
    once wall time has taken it there (or the loop's timer armed for that moment) finds it paused
    at exactly that moment, and its listeners are told on the loop's next turn. Made at a moment
    past it, or told to follow one, it reads LATEST, paused.
    """

    kind = ClockKind.SCALED

    def __init__(
        self, start: datetime | None = None, *, speed: float = 1.0, paused: bool = False
    ) -> None:
        super().__init__()
        self._check_speed(speed)
        self._anchor_sim = (start or utcnow()).astimezone(UTC)
        self._anchor_wall = time.monotonic()
        self._speed = float(speed)
        self._paused = paused
        # While paused nothing falls due by itself: sleepers already due wake only when a jump
        # (or following a clock that jumped) moved the moment on, once.
        self._wake_paused = False
        self._hold_within_bound()

    @staticmethod
    def _check_speed(speed: float) -> None:
        if not MIN_SPEED <= speed <= MAX_SPEED:
            raise InvalidInput(
                f"Speed must be between {MIN_SPEED:g}× and {MAX_SPEED:g}×.", field="speed"
            )

    def now(self) -> datetime:
        if self._paused:
            return self._anchor_sim
        elapsed = (time.monotonic() - self._anchor_wall) * self._speed
        moment = self._anchor_sim + timedelta(seconds=elapsed)
        if moment < validation.LATEST:
            return moment
        self._stop_at_the_end()
        return self._anchor_sim

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def paused(self) -> bool:
        if not self._paused:
            self.now()  # at the end of 2099, this pauses it
        return self._paused

    def _hold_within_bound(self) -> None:
        """An anchor past the bound (a clock made there): the bound, paused."""
        if self._anchor_sim > validation.LATEST:
            log.warning(
                "the simulated time %s lies past %s, the last moment thrudesk accepts; "
                "the clock reads that moment, paused",
                self._anchor_sim.isoformat(),
                _moment_text(validation.LATEST),
            )
            self._anchor_sim = validation.LATEST
            self._anchor_wall = time.monotonic()
            self._paused = True

    def _stop_at_the_end(self) -> None:
        """Pause at LATEST, which wall time has reached; the listeners hear of it on the loop.

        Any reading may get here, inside a batch's transaction or on another thread: the
        listeners (which save the clock, or show it) are told on the loop's next turn instead.
        """
        if self._paused:
            return
        self._anchor_sim = validation.LATEST
        self._anchor_wall = time.monotonic()
        self._paused = True
        log.info(
            "the simulated time reached %s, the last moment thrudesk accepts: the clock is paused",
            _moment_text(validation.LATEST),
        )
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._stopped_at_the_end)

    def _stopped_at_the_end(self) -> None:
        self._rearm()
        self._notify()

    def _wake_at(self) -> datetime | None:
        """The earliest sleeper's moment, or LATEST when the running clock gets there first."""
        when = self._next_when()
        if self._paused or (when is not None and when <= validation.LATEST):
            return when
        return validation.LATEST

    def _reanchor(self) -> None:
        self._anchor_sim = self.now()
        self._anchor_wall = time.monotonic()

    def set_speed(self, speed: float) -> None:
        self._check_speed(speed)
        self._reanchor()
        self._speed = float(speed)
        self._rearm()
        self._notify()

    def pause(self) -> None:
        if not self._paused:
            self._reanchor()
            self._paused = True
            self._rearm()
            self._notify()

    def resume(self) -> None:
        if self._paused and self._anchor_sim >= validation.LATEST:
            log.info(
                "the clock stays paused at %s, the last moment thrudesk accepts",
                _moment_text(validation.LATEST),
            )
            return
        if self._paused:
            self._anchor_wall = time.monotonic()
            self._paused = False
            self._rearm()
            self._notify()

    def toggle_pause(self) -> None:
        if self._paused:
            self.resume()
        else:
            self.pause()

    def jump_to(self, when: datetime) -> None:
        """Move simulated time to ``when`` (forward only); due sleepers wake at once."""
        when = _check_target(when)
        if when < self.now():
            raise InvalidInput("The clock only moves forward.", field="clock")
        self._anchor_sim = when
        self._anchor_wall = time.monotonic()
        self._wake_paused = self._paused
        self._rearm()
        self._notify()

    def reading(self) -> ClockReading:
        """The clock's state, for another process to :meth:`follow`."""
        self.now()  # at the end of 2099, this pauses it
        return ClockReading(self._anchor_sim, self._anchor_wall, self._speed, self._paused)

    def follow(self, reading: ClockReading) -> None:
        """Read as the clock ``reading`` was taken from, from now on; sleepers are re-timed."""
        self._check_speed(reading.speed)
        moved = reading.anchor_sim > self._anchor_sim
        self._wake_paused = reading.paused and moved
        self._anchor_sim = reading.anchor_sim.astimezone(UTC)
        self._anchor_wall = reading.anchor_wall
        self._speed = float(reading.speed)
        self._paused = reading.paused
        self._hold_within_bound()
        self._rearm()
        self._notify()

    def _real_seconds_until(self, when: datetime) -> float | None:
        remaining = (when - self.now()).total_seconds()
        if self._paused:
            # Due on the way of a jump made while paused: at once; otherwise at resume (a
            # sleeper added while paused, for now, waits too: nothing happens while paused).
            return 0.0 if remaining <= 0 and self._wake_paused else None
        if remaining <= 0:
            return 0.0
        return remaining / self._speed

    def _fire(self) -> None:
        # The sleepers due by the jump wake now, with those they add for the same moment.
        super()._fire()
        self._wake_paused = False
