"""Doing a refresh at most so often while changes pour in, and at once when they do not.

At 3600× the simulator commits a batch every few milliseconds and the window hears of them
some 25 times a second; counters such as "3 of 5 dedicated numbers" or "12 numbers
provisioning" need not be read that often (QUALITY.md P2), but an admin's own action should
show at once. "At once" is the next turn of the event loop, not inside the code that poked:
a live update then applies its rows, and each refresh it asks for runs in a turn of its own,
with the window's timers and painting free to run between them.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Slot


class Throttle(QObject):
    """Calls ``action`` when :meth:`poke`\\ d: at the next turn of the event loop if it last ran
    at least ``interval_ms`` ago, else once when that interval is over (however many pokes came
    meanwhile).
    """

    def __init__(
        self, interval_ms: int, action: Callable[[], None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._interval = interval_ms / 1000
        self._action = action
        self._last = float("-inf")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)

    def poke(self) -> None:
        if self._timer.isActive():
            return
        wait = self._last + self._interval - time.monotonic()
        self._timer.start(round(max(0.0, wait) * 1000))

    @Slot()
    def _on_timer_timeout(self) -> None:
        self._last = time.monotonic()
        self._action()
