"""A table model over a service's paged query: cached rows, sorted and filtered in SQL, lazy.

Subclasses say how to fetch a page and how to re-read some rows by id; this class does the Qt side
(ARCHITECTURE.md pattern 2): ``canFetchMore``/``fetchMore`` for lazy loading, ``sort`` that asks the
service for a new order instead of sorting in memory, and live updates with proper brackets:
rows a change names are re-read in place (``dataChanged``), and when a change may have moved rows
in or out of the loaded window, that window is read again and the difference applied as removals
and insertions, so selection and scroll position survive.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from thrudesk.services.rows import CarrierState, Page
from thrudesk.views.badges import Tag
from thrudesk.views.roles import CARRIERS_ROLE, ID_ROLE, ROW_ROLE, TAGS_ROLE

RowT = TypeVar("RowT")
AnyIndex = QModelIndex | QPersistentModelIndex

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column(Generic[RowT]):
    """One column: its title, its text, the service sort key it maps to, and how it paints."""

    title: str
    text: Callable[[RowT], str]
    sort_key: str | None = None
    tooltip: Callable[[RowT], str | None] | None = None
    tags: Callable[[RowT], tuple[Tag, ...]] | None = None
    carriers: Callable[[RowT], tuple[CarrierState, ...]] | None = None
    align: Qt.AlignmentFlag = field(default=LEFT)
    width: int = 120
    stretch: bool = False


class PagedTableModel(QAbstractTableModel, Generic[RowT]):
    """Rows of one service query, ``PAGE_SIZE`` at a time.

    Signals:
        total_changed(int): the size of the whole filtered query changed.
        reloaded(): the rows were read afresh (new sort, new filter, new account).
    """

    total_changed = Signal(int)
    reloaded = Signal()

    PAGE_SIZE = 200
    # Above this many loaded rows a live update re-reads only the rows it names: re-reading the
    # whole window would cost more than a stale position deep in the list is worth.
    REQUERY_LIMIT = 2000

    def __init__(
        self,
        columns: Sequence[Column[RowT]],
        *,
        sort_column: int,
        descending: bool,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._rows: list[RowT] = []
        self._total = 0
        self._positions: dict[int, int] | None = None
        self._sort_column = sort_column
        self._descending = descending
        self._loaded_once = False
        self._fetching = False
        self._changing = False

    # ------------------------------------------------------------------ what subclasses provide
    def fetch_page(self, offset: int, limit: int, *, count: bool = True) -> Page[RowT]:
        """One page of the filtered, sorted query; with ``count`` False the service may skip
        counting the whole (``Page.total`` below zero): a new order or a next page leaves it as
        it was, and counting a large table costs as much as reading the page.
        """
        raise NotImplementedError

    def fetch_rows(self, ids: Collection[int]) -> list[RowT]:
        """Fresh rows for ``ids`` (those that no longer exist are simply absent)."""
        raise NotImplementedError

    def row_id(self, row: RowT) -> int:
        raise NotImplementedError

    # ------------------------------------------------------------------ sorting state
    @property
    def sort_key(self) -> str | None:
        return self.columns[self._sort_column].sort_key

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def descending(self) -> bool:
        return self._descending

    @property
    def total(self) -> int:
        return self._total

    # ------------------------------------------------------------------ Qt model interface
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(row) if column.tooltip else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align
        if role == TAGS_ROLE:
            return column.tags(row) if column.tags else None
        if role == CARRIERS_ROLE:
            return column.carriers(row) if column.carriers else None
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return self.row_id(row)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Sort by {column.title.lower()}" if column.sort_key else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align
        return None

    def canFetchMore(self, parent: AnyIndex) -> bool:
        # Not while a reset or a live update is being announced: whoever reacts to those
        # signals must not start inserting rows inside the notification.
        return not parent.isValid() and not self._changing and len(self._rows) < self._total

    def fetchMore(self, parent: AnyIndex) -> None:
        if not self.canFetchMore(parent) or self._fetching:
            return
        self._fetching = True
        try:
            page = self.fetch_page(len(self._rows), self.PAGE_SIZE, count=False)
            known = self._position_map()
            # Offsets shift when rows arrive meanwhile; a row already shown is not shown twice.
            fresh = [row for row in page.rows if self.row_id(row) not in known]
            if fresh:
                first = len(self._rows)
                self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
                self._rows.extend(fresh)
                self._positions = None
                self.endInsertRows()
            if len(page.rows) < self.PAGE_SIZE:
                # The query ended (earlier than its count said, maybe): believe the rows.
                self._set_total(len(self._rows))
            elif page.total >= 0:
                self._set_total(page.total)
        finally:
            self._fetching = False

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns) or self.columns[column].sort_key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if self._loaded_once and (column, descending) == (self._sort_column, self._descending):
            return
        self._sort_column, self._descending = column, descending
        self.reload(count=False)

    # ------------------------------------------------------------------ reading rows
    def reload(self, *, count: bool = True) -> None:
        """Read the first page afresh (new sort, filter or account).

        ``count=False`` when only the order changed: the size of the whole stays as it was.
        """
        page = self.fetch_page(0, self.PAGE_SIZE, count=count)
        total = page.total if page.total >= 0 else self._total
        if len(page.rows) < self.PAGE_SIZE:
            total = len(page.rows)
        self._changing = True
        try:
            self.beginResetModel()
            self._rows = list(page.rows)
            self._total = max(total, len(self._rows))
            self._positions = None
            self._loaded_once = True
            self.endResetModel()
        finally:
            self._changing = False
        self.total_changed.emit(self._total)
        self.reloaded.emit()

    def requery(self) -> None:
        """Read the loaded window again and apply the difference (rows in, out, or changed)."""
        if not self._loaded_once:
            self.reload()
            return
        if len(self._rows) > self.REQUERY_LIMIT:
            self.refresh_ids([self.row_id(row) for row in self._rows[: self.PAGE_SIZE]])
            return
        limit = max(self.PAGE_SIZE, len(self._rows))
        page = self.fetch_page(0, limit)
        self._apply(list(page.rows))
        self._set_total(max(page.total, len(self._rows)))

    def refresh_ids(self, ids: Collection[int]) -> bool:
        """Re-read the loaded rows named by ``ids`` in place; answer whether any was loaded."""
        positions = self._position_map()
        wanted = [i for i in ids if i in positions]
        if not wanted:
            return False
        for row in self.fetch_rows(wanted):
            position = self._position_map().get(self.row_id(row))
            if position is None or self._rows[position] == row:
                continue
            self._rows[position] = row
            self.dataChanged.emit(
                self.index(position, 0), self.index(position, len(self.columns) - 1)
            )
        return True

    def _apply(self, fresh: list[RowT]) -> None:
        self._changing = True
        try:
            self._apply_blocks(fresh)
        finally:
            self._changing = False

    def _apply_blocks(self, fresh: list[RowT]) -> None:
        old_ids = [self.row_id(row) for row in self._rows]
        new_ids = [self.row_id(row) for row in fresh]
        matcher = SequenceMatcher(a=old_ids, b=new_ids, autojunk=False)
        # From the end backwards, so that the positions of earlier blocks stay valid.
        for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
            if tag == "equal":
                self._update_block(i1, fresh[j1:j2])
                continue
            if i2 > i1:
                self.beginRemoveRows(QModelIndex(), i1, i2 - 1)
                del self._rows[i1:i2]
                self._positions = None
                self.endRemoveRows()
            if j2 > j1:
                self.beginInsertRows(QModelIndex(), i1, i1 + (j2 - j1) - 1)
                self._rows[i1:i1] = fresh[j1:j2]
                self._positions = None
                self.endInsertRows()

    def _update_block(self, start: int, fresh: Sequence[RowT]) -> None:
        last = len(self.columns) - 1
        for offset, row in enumerate(fresh):
            position = start + offset
            if self._rows[position] != row:
                self._rows[position] = row
                self.dataChanged.emit(self.index(position, 0), self.index(position, last))

    def _set_total(self, total: int) -> None:
        if total != self._total:
            self._total = total
            self.total_changed.emit(total)

    # ------------------------------------------------------------------ lookups
    def _position_map(self) -> dict[int, int]:
        if self._positions is None:
            self._positions = {self.row_id(row): i for i, row in enumerate(self._rows)}
        return self._positions

    def rows(self) -> tuple[RowT, ...]:
        return tuple(self._rows)

    def row_at(self, position: int) -> RowT | None:
        return self._rows[position] if 0 <= position < len(self._rows) else None

    def position_of(self, row_id: int) -> int | None:
        return self._position_map().get(row_id)

    def ensure_loaded(self, row_id: int, *, max_pages: int = 50) -> int | None:
        """Load pages until the row with ``row_id`` is in, or give up; answer its position."""
        pages = 0
        while (position := self.position_of(row_id)) is None and pages < max_pages:
            if not self.canFetchMore(QModelIndex()):
                return None
            self.fetchMore(QModelIndex())
            pages += 1
        return position
