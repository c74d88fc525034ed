"""What thrudesk's own processes share: how they start, and one log for all of them.

Work that would hold the interpreter against the window's thread for long runs in a process of
its own over the same store file: a contacts import (:mod:`thrudesk.services.import_process`)
and, on a live clock, the simulator's applying of carrier answers
(:mod:`thrudesk.services.simulation.apart`). Each such process sends its log records to the
window's process over its pipe, as ``(LOG, fields)``; the window's process hands them to its own
loggers with :func:`relay_log`, so that the program keeps one log file.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import SpawnContext

# The kind of message that carries a log record, in every process's pipe protocol.
LOG = "log"


def spawning() -> SpawnContext:
    """The way thrudesk starts a process: a new interpreter, not a copy of this one.

    A fork would copy Qt's threads and locks in whatever state they are in at that moment.
    ``multiprocessing`` is loaded here, not at start-up, which it would slow by a few
    milliseconds (QUALITY.md P1).
    """
    import multiprocessing

    return multiprocessing.get_context("spawn")


class PipeLogHandler(logging.Handler):
    """Sends each record to the process at the other end of ``pipe``, to be logged there."""

    def __init__(self, pipe: Connection) -> None:
        super().__init__()
        self._pipe = pipe

    def emit(self, record: logging.LogRecord) -> None:
        fields = dict(record.__dict__)
        fields["msg"] = record.getMessage()
        fields["args"] = None
        if record.exc_info:
            fields["exc_text"] = logging.Formatter().formatException(record.exc_info)
        fields["exc_info"] = None
        # When the window's process is gone, nobody is left to read the log.
        with suppress(OSError, ValueError):
            self._pipe.send((LOG, fields))


def log_through(pipe: Connection, level: int) -> None:
    """In a started process: send thrudesk's log records, from ``level`` up, over ``pipe``."""
    root = logging.getLogger("thrudesk")
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(PipeLogHandler(pipe))
    root.setLevel(level)
    root.propagate = False


def relay_log(fields: dict[str, Any]) -> None:
    """In the window's process: log a record sent by a :class:`PipeLogHandler`."""
    record = logging.makeLogRecord(fields)
    logging.getLogger(record.name).handle(record)
