"""The simulator's batches in a process of its own, on a live clock over a store file (P2).

At 3600× the carriers answer a thousand numbers some 150 times a second. Applied on the window's
thread, each batch (its answers, the launches of the numbers they complete, the commit) held the
window for several milliseconds at a time. Here a second process applies the batches over the same
store file, and the window's process only hears of them:

- the window's :class:`~thrudesk.services.simulation.engine.Simulator` still plans everything (the
  carriers' answers of a new number, upkeep, scenarios and estimates) and writes the plans in the
  admins' units of work; it tells the applying process of each job it plans and of every change of
  the clock (speed, pause, jump), whose readings both processes share through ``time.monotonic()``;
- the applying process runs a Simulator of its own that only applies: it claims due jobs in the
  store, applies them and commits, batch after batch, as the window's would (R1: a job is claimed
  in the transaction that applies it, so each is applied once whichever process claims it);
- it tells the window's process of each batch (the window's Simulator forgets the jobs applied,
  calls its batch listeners and publishes the batch's change on the window's bus), of the jobs its
  handlers planned, of its desktop notifications and of its log records.

Until the applying process says it is ready, and again if it ends, the window's Simulator applies
the jobs itself. If the window's process ends, the applying process stops at its next turn.
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from thrudesk.models.enums import ClockKind
from thrudesk.services.changes import Change, ChangeBus
from thrudesk.services.clock import Clock, ClockReading, RealClock, ScaledClock
from thrudesk.services.processes import LOG, log_through, relay_log, spawning

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import SpawnProcess

    from thrudesk.services.context import ServiceContext
    from thrudesk.services.jobs import ScheduledJob
    from thrudesk.services.simulation.engine import BatchReport, Simulator
    from thrudesk.services.store import StoreHealth

__all__ = ["PROCESS_NAME", "ApplyingApart", "Relays", "can_apply_apart"]

log = logging.getLogger("thrudesk.simulation.apart")

# The applying process, as ``multiprocessing.active_children()`` names it.
PROCESS_NAME = "thrudesk simulator"
# How long a stopped applying process is given to end before it is stopped by force.
END_SECONDS = 5.0
# How long the window's thread reads the applying process's messages at one turn of its loop.
READ_BUDGET_S = 0.004

# What the two processes say to each other: (kind, value).
# From the window's process:
_CLOCK = "clock"
_PLANNED = "planned"
_REBUILD = "rebuild"
_STOP = "stop"
# From the applying process (and LOG):
_READY = "ready"
_BATCH = "batch"
_CHANGES = "changes"
_DESKTOP = "desktop"
# Whether the store took the applying process's last write (False) or met a full disk (True).
_HEALTH = "health"


class Relays(Protocol):
    """What the window's Simulator does with what the applying process tells."""

    def apart_ready(self) -> None: ...

    def apart_batch(self, report: BatchReport) -> None: ...

    def apart_planned(self, jobs: list[ScheduledJob]) -> None: ...

    def apart_ended(self) -> None: ...


def can_apply_apart(context: ServiceContext) -> bool:
    """Whether this store and clock can have their jobs applied in another process: a store
    that is a SQLite file, and a clock that runs by itself (scaled or real).
    """
    return context.store.path is not None and context.clock.kind is not ClockKind.MANUAL


@dataclass(frozen=True)
class _Start:
    """What the applying process needs to know; sent to it when it starts."""

    url: str
    clock_kind: ClockKind
    reading: ClockReading | None
    log_level: int


def _reading(clock: Clock) -> ClockReading | None:
    return clock.reading() if isinstance(clock, ScaledClock) else None


class ApplyingApart:
    """The window's end of the applying process: starts it, tells it, and relays what it says
    on the loop's thread.
    """

    def __init__(
        self, context: ServiceContext, relays: Relays, loop: asyncio.AbstractEventLoop
    ) -> None:
        self._context = context
        self._relays = relays
        self._loop = loop
        self._pipe: Connection | None = None
        self._process: SpawnProcess | None = None

    @property
    def started(self) -> bool:
        return self._pipe is not None

    def start(self) -> None:
        """Start the applying process; its messages are read whenever the loop turns."""
        processes = spawning()
        ours, theirs = processes.Pipe()
        clock = self._context.clock
        start = _Start(
            url=self._context.store.engine.url.render_as_string(hide_password=False),
            clock_kind=clock.kind,
            reading=_reading(clock),
            log_level=logging.getLogger("thrudesk").getEffectiveLevel(),
        )
        process = processes.Process(
            target=_apply_here, args=(start, theirs), name=PROCESS_NAME, daemon=True
        )
        process.start()
        theirs.close()
        self._pipe, self._process = ours, process
        self._loop.add_reader(ours.fileno(), self._readable)
        log.info("simulator: applying in process %s", process.pid)

    def planned(self, jobs: list[ScheduledJob]) -> None:
        """Jobs planned in this process (committed)."""
        self._send(_PLANNED, jobs)

    def clock_changed(self) -> None:
        self._send(_CLOCK, _reading(self._context.clock))

    def rebuild(self) -> None:
        """Due times moved in the store (a carrier outage held some answers)."""
        self._send(_REBUILD, None)

    def stop(self) -> None:
        """Stop the applying process at its next turn and wait for it to end."""
        pipe, process = self._pipe, self._process
        if pipe is None or process is None:
            return
        self._send(_STOP, None)
        self._close_pipe()
        process.join(END_SECONDS)
        if process.is_alive():
            log.warning("the simulator's applying process did not end; stopping it")
            process.kill()
            process.join()
        self._process = None

    # ------------------------------------------------------------------ relaying
    def _send(self, kind: str, value: Any) -> None:
        pipe = self._pipe
        if pipe is None:
            return
        try:
            pipe.send((kind, value))
        except OSError:
            self._ended()

    def _readable(self) -> None:
        pipe = self._pipe
        if pipe is None:
            return
        deadline = time.perf_counter() + READ_BUDGET_S
        try:
            while pipe.poll():
                kind, value = pipe.recv()
                self._dispatch(kind, value)
                if self._pipe is None or time.perf_counter() > deadline:
                    return  # ended meanwhile; or the rest waits for the loop's next turn
        except (EOFError, OSError):
            self._ended()

    def _dispatch(self, kind: str, value: Any) -> None:
        if kind == _BATCH:
            self._relays.apart_batch(value)
        elif kind == _CHANGES:
            for change in value:
                self._context.bus.publish(change)
        elif kind == _PLANNED:
            self._relays.apart_planned(value)
        elif kind == _DESKTOP:
            desktop = self._context.desktop
            if desktop is not None:
                desktop.notify(*value[:2], **value[2])
        elif kind == LOG:
            relay_log(value)
        elif kind == _READY:
            self._relays.apart_ready()
        elif kind == _HEALTH:
            self._context.store.health.report(full=bool(value))

    def _close_pipe(self) -> None:
        pipe, self._pipe = self._pipe, None
        if pipe is None:
            return
        with suppress(ValueError, OSError):
            self._loop.remove_reader(pipe.fileno())
        pipe.close()

    def _ended(self) -> None:
        """The applying process ended without being asked to."""
        process = self._process
        self._close_pipe()
        if process is not None:
            process.join(END_SECONDS)
            log.warning(
                "the simulator's applying process ended (code %s); applying here",
                process.exitcode,
            )
            self._process = None
        self._relays.apart_ended()


# --------------------------------------------------------------------- the applying process
class _PipeDesktop:
    """Desktop notifications of the applying process, shown by the window's process."""

    def __init__(self, pipe: Connection) -> None:
        self._pipe = pipe

    def notify(
        self, title: str, body: str, *, user_id: int, subject_type: str, subject_id: int
    ) -> None:
        fields = {"user_id": user_id, "subject_type": subject_type, "subject_id": subject_id}
        with suppress(OSError):  # the window's process is gone: nobody to show it to
            self._pipe.send((_DESKTOP, (title, body, fields)))


class _Applying:
    """The applying process's Simulator, told what the window's process says and telling it
    what it applies.
    """

    def __init__(
        self,
        pipe: Connection,
        simulator: Simulator,
        clock: Clock,
        bus: ChangeBus,
        health: StoreHealth,
    ):
        self._pipe = pipe
        self._simulator = simulator
        self._clock = clock
        self._unsent: list[Change] = []
        self._flush_soon: asyncio.Handle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        bus.subscribe(self._on_change)
        simulator.add_batch_listener(self._on_batch)
        # A full disk met here is the window's to show.
        health.subscribe(lambda full: self._send(_HEALTH, full))

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        self._loop = loop
        loop.add_reader(self._pipe.fileno(), self._readable)
        try:
            self._send(_READY, None)
            await self._simulator.run()
        finally:
            with suppress(ValueError, OSError):
                loop.remove_reader(self._pipe.fileno())

    def on_planned(self, jobs: list[ScheduledJob]) -> None:
        """Jobs this process's handlers planned: the window's Simulator counts them too."""
        self._send(_PLANNED, jobs)

    def _send(self, kind: str, value: Any) -> None:
        try:
            self._pipe.send((kind, value))
        except OSError:
            self._simulator.stop()  # the window's process is gone

    def _on_change(self, change: Change) -> None:
        # A batch's own change goes with its report (_on_batch, told right after); anything
        # else is sent once the loop turns.
        self._unsent.append(change)
        if self._flush_soon is None and self._loop is not None:
            self._flush_soon = self._loop.call_soon(self._flush)

    def _on_batch(self, report: BatchReport) -> None:
        with suppress(ValueError):
            self._unsent.remove(report.change)
        self._send(_BATCH, report)

    def _flush(self) -> None:
        self._flush_soon = None
        unsent, self._unsent = self._unsent, []
        if unsent:
            self._send(_CHANGES, unsent)

    def _readable(self) -> None:
        try:
            while self._pipe.poll():
                kind, value = self._pipe.recv()
                if kind == _PLANNED:
                    self._simulator.hear_of(value)
                elif kind == _CLOCK and isinstance(self._clock, ScaledClock):
                    self._clock.follow(value)
                elif kind == _REBUILD:
                    self._simulator.rebuild_queue()
                elif kind == _STOP:
                    self._simulator.stop()
                    return
        except (EOFError, OSError):
            self._simulator.stop()  # the window's process is gone


def _apply_here(start: _Start, pipe: Connection) -> None:
    """The applying process: a Simulator that only applies, over the window's store file."""
    log_through(pipe, start.log_level)

    from thrudesk.services.container import Services
    from thrudesk.services.simulation.engine import Simulator
    from thrudesk.services.store import Store, create_store_engine, sqlite_path

    store = Store(create_store_engine(start.url), path=sqlite_path(start.url))
    clock: Clock
    if start.reading is None:
        clock = RealClock()
    else:
        scaled = ScaledClock()
        scaled.follow(start.reading)
        clock = scaled
    bus = ChangeBus()
    loop = asyncio.new_event_loop()
    try:
        services = Services(store, clock, bus=bus, desktop=_PipeDesktop(pipe))
        simulator = Simulator(services, plans=False)
        applying = _Applying(pipe, simulator, clock, bus, store.health)
        services.context.jobs.listen(applying.on_planned)
        loop.run_until_complete(applying.run())
    except Exception:
        log.exception("the simulator's applying process failed")
        raise
    finally:
        loop.close()
        store.dispose()
        with suppress(OSError):
            pipe.close()
