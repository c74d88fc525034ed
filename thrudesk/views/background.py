"""Work that takes long (a contacts import, a large export) on a worker thread, told back to the
window on the GUI thread through queued signals (ARCHITECTURE.md pattern 3).

The work touches the store only through the services' own transactions and never a widget; its
progress, its result and its refusal arrive as signals, which Qt queues to the thread the
:class:`BackgroundTask` lives in.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

from thrudesk.services.priority import lower_this_thread

log = logging.getLogger("thrudesk.views.background")

# From this many contacts, reading a campaign's audience (its counts, a followup's reach) is
# taken to be slow before it has been timed, and done on a worker thread: the window keeps up,
# and an import can make a campaign a hundred times bigger between two readings.
BIG_CAMPAIGN = 10_000

# What the work receives: a way to report progress, and the flag that asks it to stop.
Progress = Callable[[object], None]
Work = Callable[[Progress, threading.Event], Any]


class BackgroundTask(QObject):
    """Runs ``work(progress, cancel)`` once, on a thread of its own.

    Signals:
        progressed(object): what the work reported, on the GUI thread.
        succeeded(object): what the work answered.
        failed(object): the exception it raised (a refusal of the services, or a bug).
    """

    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, name: str, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._work = work
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("a background task runs once")
        self._thread = threading.Thread(target=self._run, name=self.objectName(), daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Ask the work to stop at its next chance (an import: after the chunk it writes)."""
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work has ended; answers whether it has (for shutdown and tests)."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        # Emitting from this thread is safe: the receivers live on the GUI thread, so Qt queues
        # each call there.
        name = self.objectName()
        lower_this_thread()  # the window's thread goes first
        try:
            result = self._work(self._report, self._cancel)
        except Exception as error:
            log.debug("%s ended with %r", name, error)
            self._tell(self.failed, error)
            return
        self._tell(self.succeeded, result)

    def _report(self, progress: object) -> None:
        self._tell(self.progressed, progress)

    @staticmethod
    def _tell(signal: SignalInstance, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:
            # The task was deleted with its owner (a dialog closed meanwhile): nobody is left
            # to tell, and the work itself has committed or stopped on its own.
            log.debug("a background task outlived its owner")
