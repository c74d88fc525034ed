"""The one place where domain changes enter Qt: the ChangeBus re-emitted as a Qt signal.

The services publish one :class:`~thrudesk.services.changes.Change` per unit of work, on whatever
thread committed it. The bridge gathers changes as they come and emits them merged, on the GUI
thread, at most once per :data:`COALESCE_MS`: a simulator batch of a hundred answers, or many
batches landing together at 3600×, repaint the window once, well within the 100 ms a badge may
take to follow its event (QUALITY.md P2).
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from thrudesk.services.changes import Change, ChangeBus, ChangeCollector

COALESCE_MS = 40


def merge(changes: list[Change]) -> Change:
    collector = ChangeCollector()
    for change in changes:
        collector.gather(change)
    return collector.freeze()


class ChangeBridge(QObject):
    """Re-emits committed changes as a Qt signal on the GUI thread.

    Signals:
        changed(Change): what committed work touched since the last emission, merged.
    """

    changed = Signal(object)
    _posted = Signal()

    def __init__(self, bus: ChangeBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bus = bus
        self._lock = threading.Lock()
        self._pending: list[Change] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        # Queued even from the GUI thread: the timer is started (on the GUI thread) only once
        # the committing code has finished.
        self._posted.connect(self._on_self_posted, Qt.ConnectionType.QueuedConnection)
        bus.subscribe(self._on_bus_published)

    def close(self) -> None:
        """Stop listening (the window is closing, or the account changed its services)."""
        self._bus.unsubscribe(self._on_bus_published)

    def _on_bus_published(self, change: Change) -> None:
        with self._lock:
            first = not self._pending
            self._pending.append(change)
        if first:
            self._posted.emit()

    @Slot()
    def _on_self_posted(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.flush()

    def flush(self) -> None:
        """Emit what is pending now (used before reading state that must be current)."""
        self._timer.stop()
        with self._lock:
            changes, self._pending = self._pending, []
        if changes:
            self.changed.emit(merge(changes))
