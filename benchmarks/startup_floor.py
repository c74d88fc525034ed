"""P1, the floor: a bare program of the same stack. It imports PySide6, SQLAlchemy and qasync,
reads the first 100 campaigns with raw sqlite3 into a QTableView in a window of the program's
size, paints and exits. Usage: ``python -m benchmarks.startup_floor STORE``.
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys

# SQLAlchemy before anything that loads PySide6 (qasync does): the order the program imports in.
import sqlalchemy

# isort: split
import qasync
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

from benchmarks.paint_probe import FirstPaintProbe

COLUMNS = ("Title", "Status", "Phone number", "Provisioning", "Kind", "Start", "Contacts",
           "Senders", "Unassigned", "Created")  # fmt: skip
FIRST_PAGE = (
    "SELECT campaign.title, campaign.status, phone_number.e164, phone_number.provisioning_status, "
    "phone_number.kind, campaign.start_at, campaign.contact_count, campaign.sender_count, "
    "campaign.unassigned_count, campaign.created_at FROM campaign "
    "LEFT OUTER JOIN phone_number ON campaign.phone_number_id = phone_number.id "
    "ORDER BY campaign.created_at DESC, campaign.id DESC LIMIT 100"
)


def main() -> int:
    assert sqlalchemy.__version__
    app = QApplication([sys.argv[0]])
    probe = FirstPaintProbe("campaigns_table")  # held: the filter lives as long as this frame
    app.installEventFilter(probe)
    connection = sqlite3.connect(sys.argv[1])
    rows = connection.execute(FIRST_PAGE).fetchall()
    connection.close()
    model = QStandardItemModel(len(rows), len(COLUMNS))
    model.setHorizontalHeaderLabels(list(COLUMNS))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            model.setItem(r, c, QStandardItem("" if value is None else str(value)))
    window = QMainWindow()
    view = QTableView()
    view.setObjectName("campaigns_table")
    view.setModel(model)
    window.setCentralWidget(view)
    window.resize(1400, 860)

    async def serve() -> None:
        window.show()
        await asyncio.Event().wait()

    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        runner.run(serve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
