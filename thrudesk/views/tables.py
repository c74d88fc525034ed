"""How thrudesk's table views look and behave, in one place."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QItemSelectionModel,
    QObject,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtGui import QGuiApplication, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QHeaderView,
    QTableView,
    QWidget,
)

from thrudesk.views.badges import CarrierProgressDelegate, CellDelegate, TagDelegate, tags_width
from thrudesk.views.table_model import Column, ColumnTableModel, PagedTableModel

ROW_HEIGHT = 32
# The fewest rows a table reads before it first paints, whatever its screen says: a window on
# a virtual screen may be taller than the screen (see first_page_for_screens).
MIN_FIRST_PAGE = 40
# What a column's header shows (see header_copy).
HEADER_ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.TextAlignmentRole,
)
# The name Qt gives a scroll area's viewport (see viewport_of).
VIEWPORT_NAME = "qt_scrollarea_viewport"


def make_table(
    model: ColumnTableModel[Any],
    name: str,
    parent: QWidget | None = None,
    *,
    sortable: bool = True,
) -> QTableView:
    """A dense, calm table over ``model``: whole-row selection, sorting through the model."""
    view = plain_table(model, name, parent)
    header = view.horizontalHeader()
    # Before the sections are sized: a header given a model starts its sections afresh.
    header.setModel(header_copy(model, view))
    view.setItemDelegate(CellDelegate(view, cell_text=model.cell_text))
    tags = TagDelegate(view, cell_text=model.cell_text)
    carriers = CarrierProgressDelegate(view, cell_text=model.cell_text)
    widths = _fitted_widths(view, model)
    for position, column in enumerate(model.columns):
        view.setColumnWidth(position, column.width if column.stretch else widths[position])
        if column.stretch:
            header.setSectionResizeMode(position, QHeaderView.ResizeMode.Stretch)
        if column.tags is not None:
            view.setItemDelegateForColumn(position, tags)
        elif column.carriers is not None:
            view.setItemDelegateForColumn(position, carriers)
    if sortable and isinstance(model, PagedTableModel):
        order = Qt.SortOrder.DescendingOrder if model.descending else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(model.sort_column, order)
        header.setSortIndicatorShown(True)
        # The model sorts in SQL; it already holds this order, so enabling sorting reads nothing.
        view.setSortingEnabled(True)
    if any(column.stretch or column.steps_aside is not None for column in model.columns):
        _ColumnsFitter(view, model)
    if isinstance(model, PagedTableModel):
        _StaleRowsReader(view)
        _CountAfterPaint(view, model)
    return view


class _StaleRowsReader(QObject):
    """Reads a paged model's stale rows again as they scroll into view (see
    :func:`refresh_rows_in_view`); the tab that holds the table does so when it is shown.
    """

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self._view = view
        view.verticalScrollBar().valueChanged.connect(self._on_scrolled)

    @Slot(int)
    def _on_scrolled(self, _value: int) -> None:
        refresh_rows_in_view(self._view)


class _ColumnsFitter(QObject):
    """Fits a table's columns to its viewport whenever the viewport changes width (a window
    resized, a scroll bar come or gone): see :func:`fit_columns`.
    """

    def __init__(self, view: QTableView, model: ColumnTableModel[Any]) -> None:
        super().__init__(view)
        self._view = view
        self._model = model
        self._width = -1
        viewport_of(view).installEventFilter(self)
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Resize:
            width = self._view.viewport().width()
            if width != self._width:
                self._width = width
                fit_columns(self._view, self._model)
        elif kind == QEvent.Type.FontChange and watched is self._view:
            # Another font (the desktop's, a theme's): measured again, fitted again.
            for position, width in enumerate(_fitted_widths(self._view, self._model)):
                if not self._model.columns[position].stretch:
                    self._view.setColumnWidth(position, width)
            fit_columns(self._view, self._model)
        return False


class _CountAfterPaint(QObject):
    """Counts a paged model's rows once the table has painted a first page whose count is due
    (:meth:`PagedTableModel.count_rows`): the rows first, their number a moment later.
    """

    def __init__(self, view: QTableView, model: PagedTableModel[Any]) -> None:
        super().__init__(view)
        self._viewport = viewport_of(view)
        self._model = model
        model.count_due.connect(self._on_model_count_due)
        if not model.counted:
            self._on_model_count_due()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._viewport.removeEventFilter(self)
            QTimer.singleShot(0, self._model, self._model.count_rows)
        return False

    @Slot()
    def _on_model_count_due(self) -> None:
        # Installed again while already there, it still filters once.
        self._viewport.installEventFilter(self)


def header_copy(model: QAbstractItemModel, parent: QObject) -> QStandardItemModel:
    """The model's column titles, tooltips and alignments, copied once into a model that Qt
    answers itself, for the header to show. A header asks for four roles of every section
    each time the style or font of the tab changes, six times while a tab is first shown:
    some 240 calls into Python for the Campaigns tab, 5 % of its open (QUALITY.md P3). The
    columns of a thrudesk table never change, so the copy never goes stale.
    """
    horizontal = Qt.Orientation.Horizontal
    copy = QStandardItemModel(0, model.columnCount(), parent)
    for section in range(model.columnCount()):
        for role in HEADER_ROLES:
            value = model.headerData(section, horizontal, role)
            if value is not None:
                copy.setHeaderData(section, horizontal, value, role)
    return copy


def first_page_for_screens(page_size: int) -> int:
    """How many rows a table reads before it first paints: as many as a window as tall as the
    tallest screen can show, and a few more, between ``MIN_FIRST_PAGE`` and ``page_size``.
    """
    heights = [screen.availableGeometry().height() for screen in QGuiApplication.screens()]
    rows = math.ceil(max(heights, default=0) / ROW_HEIGHT) + 4
    return max(min(MIN_FIRST_PAGE, page_size), min(rows, page_size))


def viewport_of(view: QAbstractScrollArea) -> QWidget:
    """The widget a table paints its rows on, as ``view.viewport()`` answers it but cheaper the
    first time: ``viewport()`` makes PySide6 work out the widget's most derived type, and that
    creates every widget type of QtWidgets on the way, some 8 ms the first time (QUALITY.md P3).
    Found by its name, the viewport is wrapped as the plain QWidget it is.
    """
    found = view.findChild(QWidget, VIEWPORT_NAME, Qt.FindChildOption.FindDirectChildrenOnly)
    return found if isinstance(found, QWidget) else view.viewport()


def refresh_rows_in_view(view: QTableView) -> None:
    """Read again the stale rows the table shows (out of view, they wait until shown)."""
    model = view.model()
    if isinstance(model, PagedTableModel) and model.has_stale and view.isVisible():
        model.refresh_stale(*rows_in_view(view))


# Around a cell's text: the item's padding (base.qss) and a little air; around a header's
# title: its padding and the sort indicator.
CELL_ROOM_PX = 22
HEADER_ROOM_PX = 40


def content_width(view: QTableView, column: Column[Any]) -> int:
    """How wide ``column`` is drawn: as wide as its header and its widest samples in the font
    the desktop gives (``Column.samples``), else its designed ``width``; never narrower than
    its header.
    """
    header = view.horizontalHeader().fontMetrics().horizontalAdvance(column.title)
    widest = header + HEADER_ROOM_PX
    if column.samples is None:
        return max(column.width, widest)
    metrics = view.fontMetrics()
    font = view.font()
    for sample in column.samples():
        if isinstance(sample, str):
            widest = max(widest, metrics.horizontalAdvance(sample) + CELL_ROOM_PX)
        else:
            widest = max(widest, tags_width(sample, font) + CELL_ROOM_PX)
    return widest


def _fitted_widths(view: QTableView, model: ColumnTableModel[Any]) -> list[int]:
    """The widths the columns are fitted with (floors for the stretched ones), measured once
    per font the table is shown in (a theme or a desktop font change measures them again).
    """
    key = view.font().key() + "|" + view.horizontalHeader().font().key()
    measured: tuple[str, list[int]] | None = getattr(view, "fitted_widths", None)
    if measured is None or measured[0] != key:
        widths = [
            column.floor if column.stretch else content_width(view, column)
            for column in model.columns
        ]
        measured = (key, widths)
        view.fitted_widths = measured  # type: ignore[attr-defined]
    return measured[1]


def fit_columns(view: QTableView, model: ColumnTableModel[Any]) -> None:
    """Fit the columns to the table's width. Where it is too narrow for all of them, the
    columns that may step aside (``Column.steps_aside``) are hidden, the lowest first, until the
    rest fit, and shown again once there is room. The stretched columns take the room a wide
    table leaves, but never less than their floors (``Column.floor``): where the table is still
    too narrow, they keep their floors and the table scrolls sideways (stretched, Qt would cut
    them down to a few pixels). Called when the table's tab is resized.
    """
    header = view.horizontalHeader()
    widths = _fitted_widths(view, model)
    room = view.viewport().width()
    needed = sum(widths)
    aside = sorted(
        (column.steps_aside, i)
        for i, column in enumerate(model.columns)
        if column.steps_aside is not None
    )
    hidden: set[int] = set()
    for _order, position in aside:
        if needed <= room:
            break
        hidden.add(position)
        needed -= widths[position]
    changed = False
    for _order, position in aside:
        if view.isColumnHidden(position) != (position in hidden):
            changed = True
            view.setColumnHidden(position, position in hidden)
            if position not in hidden:
                view.setColumnWidth(position, widths[position])
    stretched = [i for i, column in enumerate(model.columns) if column.stretch]
    if changed:
        view.updateGeometries()
    if not stretched:
        return
    # The stretched columns share what the others leave, each at least its floor; sized here
    # rather than by Qt's Stretch mode, which does not share anew when columns come or go.
    spare = max(0, room - needed) // len(stretched)
    for position in stretched:
        if header.sectionResizeMode(position) is not QHeaderView.ResizeMode.Interactive:
            header.setSectionResizeMode(position, QHeaderView.ResizeMode.Interactive)
        view.setColumnWidth(position, model.columns[position].floor + spare)


def plain_table(model: QAbstractItemModel, name: str, parent: QWidget | None = None) -> QTableView:
    """The look and behaviour of every table, over any model (columns are the caller's)."""
    view = QTableView(parent)
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setMouseTracking(True)
    vertical = view.verticalHeader()
    vertical.hide()
    vertical.setDefaultSectionSize(ROW_HEIGHT)
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setMinimumSectionSize(48)
    header.setStretchLastSection(False)
    # The model last, once the row header is hidden and its rows are of one fixed height:
    # set before, the row header asked the model for four roles of every loaded row (400
    # calls into Python for a first page of 100 rows, about 2 ms; QUALITY.md P3).
    view.setModel(model)
    return view


def select_row(view: QTableView, position: int) -> None:
    """Select and show the row at ``position`` (whole row, current)."""
    model = view.model()
    index = model.index(position, 0)
    if not index.isValid():
        return
    view.selectionModel().setCurrentIndex(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)


def rows_in_view(view: QTableView) -> tuple[int, int]:
    """The positions of the first and last rows the view shows (-1, -1 when none)."""
    first = view.rowAt(0)
    if first < 0:
        return -1, -1
    last = view.rowAt(viewport_of(view).height() - 1)
    if last < 0:
        last = view.model().rowCount() - 1
    return first, last


def selected_position(view: QTableView) -> int | None:
    rows = view.selectionModel().selectedRows()
    return rows[0].row() if rows else None
