"""Columns sized to their content in whatever font the desktop gives (UI.md "Everywhere"):
no badge, kind, date or header of the tables is cut short, in the program's font or a larger
desktop font.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QTableView
from pytestqt.qtbot import QtBot

from tests.gui.conftest import NewDraft
from tests.gui.helpers import child
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.rows import NumberMode
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount
from thrudesk.views.badges import tags_width
from thrudesk.views.main_window import MainWindow
from thrudesk.views.table_model import ColumnTableModel
from thrudesk.views.tables import CELL_ROOM_PX
from thrudesk.views.theme import ThemeManager


def _cut_cells(table: QTableView, model: ColumnTableModel) -> list[str]:  # type: ignore[type-arg]
    """The cells of the columns sized to their content that their column cuts short."""
    cut = []
    metrics = table.fontMetrics()
    header = table.horizontalHeader().fontMetrics()
    for position, column in enumerate(model.columns):
        if column.samples is None or table.isColumnHidden(position):
            continue
        width = table.columnWidth(position)
        if header.horizontalAdvance(column.title) > width:
            cut.append(f"header {column.title!r}")
        for row in model.rows():
            tags = column.tags(row) if column.tags is not None else ()
            needed = (
                tags_width(tags, table.font())
                if tags
                else metrics.horizontalAdvance(column.text(row))
            )
            if needed + CELL_ROOM_PX // 2 > width:
                cut.append(f"{column.title}: {column.text(row)!r} needs {needed} of {width} px")
    return cut


@pytest.mark.parametrize("points", [None, 14], ids=["program font", "large desktop font"])
def test_badges_kinds_and_dates_are_never_cut_short(
    qtbot: QtBot,
    themed: ThemeManager,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    new_draft: NewDraft,
    points: int | None,
) -> None:
    actor = thrudesk_account.actor
    thrudesk_simulator.force_next("complete", after=timedelta(minutes=5))
    thrudesk_simulator.force_next("fail", after=timedelta(minutes=5))
    for code in ("415", "512"):
        thrudesk_services.numbers.create_dedicated(actor, [code], thrudesk_account.use_case_id)
    thrudesk_services.numbers.create_dedicated(actor, ["303"], thrudesk_account.use_case_id)
    sim_clock.advance(minutes=30)
    thrudesk_services.campaigns.launch(actor, new_draft("Spring canvass"), NumberMode.SINGLE_USE)
    program_font = QApplication.font()
    if points is not None:
        # The desktop's font, as a platform theme gives it to the program before its window.
        font = QFont(program_font)
        font.setPointSize(points)
        QApplication.setFont(font)
    try:
        window = MainWindow(thrudesk_services, thrudesk_simulator, actor)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.resize(1900, 900)
        for position, tab in ((0, window.phone_numbers_tab), (1, window.campaigns_tab)):
            window.tabs.setCurrentIndex(position)
            tab.model.requery()
            QApplication.processEvents()
            assert tab.model.rowCount() >= 1
            if points is not None:
                assert tab.table.font().pointSize() == points
            assert not _cut_cells(tab.table, tab.model), tab.objectName()
        window.shutdown()
    finally:
        QApplication.setFont(program_font)


def test_at_1024_pixels_in_a_large_desktop_font_the_status_bar_cuts_nothing_short(
    qtbot: QtBot,
    themed: ThemeManager,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
) -> None:
    """What the status bar shows is whole; where it has no room for the use cases' usage, that
    steps aside (the Phone Numbers tab shows it too) and comes back when there is room.
    """
    program_font = QApplication.font()
    font = QFont(program_font)
    font.setPointSize(14)
    QApplication.setFont(font)
    try:
        window = MainWindow(thrudesk_services, thrudesk_simulator, thrudesk_account.actor)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        names = (
            "status_time_label",
            "status_speed_label",
            "status_provisioning_label",
            "status_usage_label",
        )
        parts = [child(window, QLabel, name) for name in names]
        for width in (1024, 1900):
            window.resize(width, 700)
            wanted = max(width, window.minimumWidth())
            qtbot.waitUntil(lambda: window.width() == wanted)  # noqa: B023
            QApplication.processEvents()
            cut = [
                part.objectName()
                for part in parts
                if part.isVisible() and part.width() < part.sizeHint().width()
            ]
            assert not cut, (width, cut)
            if width == 1024:
                assert not parts[-1].isVisible()  # the usage stepped aside
        assert parts[-1].isVisible()  # wide again: the usage is back
        window.shutdown()
    finally:
        QApplication.setFont(program_font)
