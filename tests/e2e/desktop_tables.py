"""Run by tests/e2e/test_desktop_theme.py in a process of its own, on an X server, under the
platform theme the environment names: opens the demo store's window at the size given and
prints, as JSON, what its tables and status bar cut short (nothing, when all is well).

    python -m tests.e2e.desktop_tables STORE WIDTH HEIGHT
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def main(argv: list[str]) -> int:
    store_file, width, height = argv[0], int(argv[1]), int(argv[2])
    from PySide6.QtWidgets import QApplication, QLineEdit

    from thrudesk.services.clock import ManualClock
    from thrudesk.services.container import Services
    from thrudesk.services.demo import DEMO_ACCOUNT
    from thrudesk.services.simulation.clock_state import stored_now
    from thrudesk.services.store import open_store, url_for_path
    from thrudesk.views.badges import tags_width
    from thrudesk.views.main_window import MainWindow
    from thrudesk.views.table_tab import TableTab
    from thrudesk.views.tables import CELL_ROOM_PX
    from thrudesk.views.theme import ThemeManager

    app = QApplication([sys.argv[0]])
    ThemeManager(app).apply()
    store = open_store(url_for_path(Path(store_file)))
    with store.read() as session:
        now = stored_now(session)
    services = Services(store, ManualClock(now))
    demo = services.accounts.find(DEMO_ACCOUNT)
    assert demo is not None
    window = MainWindow(services, None, services.accounts.admin_actor(demo.id))
    window.resize(width, height)
    window.show()
    cut: list[str] = []
    tabs: list[tuple[int, TableTab[Any]]] = [
        (0, window.phone_numbers_tab),
        (1, window.campaigns_tab),
    ]
    for position, tab in tabs:
        window.tabs.setCurrentIndex(position)
        for _turn in range(30):
            app.processEvents()
        table, model = tab.table, tab.model
        name = tab.objectName()
        if table.horizontalScrollBar().maximum() > 0:
            cut.append(f"{name}: scrolls sideways")
        metrics, header = table.fontMetrics(), table.horizontalHeader().fontMetrics()
        for index, column in enumerate(model.columns):
            if column.samples is None or table.isColumnHidden(index):
                continue
            room = table.columnWidth(index)
            if header.horizontalAdvance(column.title) > room:
                cut.append(f"{name}: header {column.title!r}")
            for row in model.rows():
                tags: Any = column.tags(row) if column.tags is not None else ()
                needed = (
                    tags_width(tags, table.font())
                    if tags
                    else metrics.horizontalAdvance(column.text(row))
                )
                if needed + CELL_ROOM_PX // 2 > room:
                    cut.append(f"{name}: {column.title} {column.text(row)!r}")
    window.tabs.setCurrentIndex(2)  # Campaign Details, on the demo's campaign
    for _turn in range(30):
        app.processEvents()
    batch = window.findChild(QLineEdit, "batch_size_edit")
    if batch is not None and batch.isVisible():
        needed = batch.fontMetrics().horizontalAdvance(batch.placeholderText()) + 12
        if batch.width() < needed:
            cut.append(f"campaign_details: batch size {batch.placeholderText()!r}")
    for part in (window.status_time_label, window.status_provisioning_label):
        if part.isVisible() and part.width() < part.sizeHint().width():
            cut.append(f"status bar: {part.objectName()}")
    if window.minimumSizeHint().width() > width:
        cut.append(f"the window asks for {window.minimumSizeHint().width()} px")
    print(json.dumps({"cut": cut, "font": app.font().toString()}))
    window.shutdown()
    store.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
