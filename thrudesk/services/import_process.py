"""A contacts import in a process of its own, for a store that is a SQLite file (QUALITY.md P5).

An import of a million rows keeps the interpreter busy for half a minute. On a worker thread of
the window's own process it held the interpreter against the window's thread, which then waited
for it at every call from Qt into Python: the window stood still for tens of milliseconds at a
time. In a process of its own the import has an interpreter to itself, and the window's thread
only hears of it.

:func:`import_apart` is called, and blocks, where :meth:`ContactService.import_csv` would be (on a
worker thread). It starts the import in a new process over the same store file and relays what
that process says, in order, on the calling thread:

- each chunk's :class:`~thrudesk.services.changes.Change`, published on the caller's bus;
- each chunk's progress, to ``progress``;
- its log records, handed to the caller's loggers (one log file for the program);
- its asks for the time, answered with the caller's clock, so that the imported rows and the
  audit trail carry the simulated time the window shows;
- its report, returned, or its refusal, raised as it was raised there.

``cancel`` reaches the import between chunks, as in the same process. If the window's process ends,
the import stops at its next message, the chunk it was writing rolled back; if the import's process
ends before it answers, :class:`~thrudesk.services.errors.WorkInterrupted` says so, and the chunks
committed before stay imported.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from thrudesk.models.enums import ClockKind
from thrudesk.services.changes import Change, ChangeBus
from thrudesk.services.clock import Clock
from thrudesk.services.errors import ThrudeskError, WorkInterrupted
from thrudesk.services.priority import lower_this_process, window_niceness
from thrudesk.services.processes import LOG, log_through, relay_log, spawning
from thrudesk.services.unit_of_work import Actor

if TYPE_CHECKING:
    from collections.abc import Callable
    from multiprocessing.connection import Connection
    from multiprocessing.synchronize import Event

    from thrudesk.services.contacts import CancelFlag, ImportProgress, ImportReport
    from thrudesk.services.context import ServiceContext

log = logging.getLogger("thrudesk.services.import_process")

# The import's process, as ``multiprocessing.active_children()`` names it.
PROCESS_NAME = "thrudesk import"
# How often the relay looks at the cancel flag and at whether the import's process still runs.
POLL_SECONDS = 0.1
# How long a cancelled or refused import's process is given to end before it is stopped.
END_SECONDS = 10.0

# What the two processes say to each other: (kind, value).
_NOW = "now"
_CHANGE = "change"
_PROGRESS = "progress"
_REPORT = "report"
_REFUSED = "refused"
_FAILED = "failed"


@dataclass(frozen=True)
class _Job:
    """What the import's process needs to know; sent to it when it starts."""

    url: str
    actor: Actor
    campaign_id: int
    path: str
    chunk_rows: int
    clock_kind: ClockKind
    log_level: int
    window_niceness: int


def import_apart(
    context: ServiceContext,
    actor: Actor,
    campaign_id: int,
    path: Path,
    *,
    progress: Callable[[ImportProgress], None] | None,
    cancel: CancelFlag | None,
    chunk_rows: int,
) -> ImportReport:
    """Run the import in a new process over ``context``'s store file; answer its report."""
    store = context.store
    # R4: writes wait for the integrity check of the file; the import's process does not run one.
    store.integrity.require()
    job = _Job(
        url=store.engine.url.render_as_string(hide_password=False),
        actor=actor,
        campaign_id=campaign_id,
        path=str(path),
        chunk_rows=chunk_rows,
        clock_kind=context.clock.kind,
        log_level=logging.getLogger("thrudesk").getEffectiveLevel(),
        window_niceness=window_niceness(),
    )
    processes = spawning()
    ours, theirs = processes.Pipe()
    stop = processes.Event()
    child = processes.Process(
        target=_import_here, args=(job, theirs, stop), name=PROCESS_NAME, daemon=True
    )
    child.start()
    theirs.close()
    answered = False
    try:
        while True:
            if cancel is not None and cancel.is_set():
                stop.set()
            if not ours.poll(POLL_SECONDS):
                if not child.is_alive() and not ours.poll():
                    raise _interrupted(child.exitcode)
                continue
            try:
                kind, value = ours.recv()
                if kind == _NOW:
                    ours.send((_NOW, context.clock.now()))
                    continue
            except (EOFError, OSError):  # it ended, or was ended, without a word
                child.join(END_SECONDS)
                raise _interrupted(child.exitcode) from None
            if kind == _CHANGE:
                context.bus.publish(value)
            elif kind == _PROGRESS:
                if progress is not None:
                    progress(value)
            elif kind == LOG:
                relay_log(value)
            elif kind == _REPORT:
                answered = True
                report: ImportReport = value
                return report
            elif kind == _REFUSED:
                answered = True
                raise value
            else:
                answered = True
                raise RuntimeError(f"the contacts import failed in its own process:\n{value}")
    finally:
        if not answered:
            stop.set()
        ours.close()
        child.join(END_SECONDS)
        if child.is_alive():
            log.warning("the contacts import's process did not end; stopping it")
            child.kill()
            child.join()


def _interrupted(exit_code: int | None) -> WorkInterrupted:
    return WorkInterrupted(
        f"The import stopped before it finished (its process ended with code {exit_code}). "
        "The contacts imported until then are kept; import the file again to add the rest: "
        "rows already in the campaign are reported, not added twice.",
        field="csv_file",
    )


# ------------------------------------------------------------------------ the import's process
class _ParentClock(Clock):
    """The clock of the process that started the import, asked over the pipe."""

    def __init__(self, pipe: Connection, kind: ClockKind) -> None:
        super().__init__()
        self.kind = kind
        self._pipe = pipe

    def now(self) -> datetime:
        self._pipe.send((_NOW, None))
        kind, value = self._pipe.recv()
        if kind != _NOW or not isinstance(value, datetime):
            raise RuntimeError(f"asked for the time, the window answered {kind!r}")
        return value


def _import_here(job: _Job, pipe: Connection, stop: Event) -> None:
    """The import's process: the import, each of its steps told over ``pipe``."""
    lower_this_process(job.window_niceness)
    log_through(pipe, job.log_level)

    from thrudesk.services.contacts import ContactService
    from thrudesk.services.context import ServiceContext
    from thrudesk.services.store import Store, create_store_engine, sqlite_path

    store = Store(create_store_engine(job.url), path=sqlite_path(job.url))
    bus = ChangeBus()

    def tell(kind: str, value: Any) -> None:
        pipe.send((kind, value))

    def on_change(change: Change) -> None:
        tell(_CHANGE, change)

    bus.subscribe(on_change)
    context = ServiceContext(store=store, clock=_ParentClock(pipe, job.clock_kind), bus=bus)
    try:
        report = ContactService(context).import_csv(
            job.actor,
            job.campaign_id,
            job.path,
            progress=lambda step: tell(_PROGRESS, step),
            cancel=stop,
            chunk_rows=job.chunk_rows,
        )
        tell(_REPORT, report)
    except (BrokenPipeError, EOFError, ConnectionResetError):
        pass  # the window's process is gone; the chunk being written was rolled back
    except ThrudeskError as refusal:
        tell(_REFUSED, refusal)
    except Exception:
        tell(_FAILED, traceback.format_exc())
    finally:
        store.dispose()
        pipe.close()
