"""A probe that notices when a named table first paints with rows, for the start-up figure.

Both sides of P1 (the program and its floor) install the same probe on their QApplication, so
"painted" means the same thing for both: the table's viewport has received its first paint event
while the table holds rows, and the event loop has turned once after it (the paint is done).
It imports nothing beyond what both sides import anyway.
"""

from __future__ import annotations

import json
import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView


class FirstPaintProbe(QObject):
    """Reports ``time.monotonic()`` after the first paint of table ``table_name`` with rows,
    as one JSON line on stdout, then ends the process at once (what comes after is not timed).
    """

    def __init__(self, table_name: str) -> None:
        super().__init__()
        self._table_name = table_name
        self._seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if self._seen or event.type() != QEvent.Type.Paint:
            return False
        table = watched.parent()
        if not isinstance(table, QAbstractItemView) or table.objectName() != self._table_name:
            return False
        model = table.model()
        if model is None or model.rowCount() == 0 or watched is not table.viewport():
            return False
        self._seen = True
        QTimer.singleShot(0, self._report)
        return False

    def _report(self) -> None:
        print(json.dumps({"painted_at": time.monotonic()}), flush=True)
        sys.stderr.flush()
        os._exit(0)
