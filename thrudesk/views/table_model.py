"""A table model over a service's paged query: cached rows, sorted and filtered in SQL, lazy.

Subclasses say how to fetch a page and how to re-read some rows by id; this class does the Qt side
(ARCHITECTURE.md pattern 2): ``canFetchMore``/``fetchMore`` for lazy loading, ``sort`` that asks the
service for a new order instead of sorting in memory, and live updates with proper brackets:
rows a change names are re-read in place (``dataChanged``), and when a change may have moved rows
in or out of the loaded window, that window is read again and the difference applied as removals
and insertions, so selection and scroll position survive.

Re-reading the window costs far more than re-reading a few rows (QUALITY.md P2), so
:meth:`update_rows` decides from the rows themselves: a named row that is loaded and keeps its
place is updated where it is, one that left the query is taken out, and rows named but not
loaded are looked for with one probe: the row at the window's last position, read from the
store, is still the window's last row only if nothing came into the window before it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from difflib import SequenceMatcher
from time import monotonic
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
from thrudesk.views import formatting
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
    # A stretched column takes the room the table leaves, down to this width (its own width
    # when None); below it, the table scrolls sideways (see tables.fit_columns).
    narrowest: int | None = None
    # The widest things its cells show (texts, or rows of tags): with them, the column is as
    # wide as they are in the font the desktop gives, not ``width`` (see tables.content_width).
    samples: Callable[[], Sequence[str | tuple[Tag, ...]]] | None = None
    # Where the table is too narrow for every column, the columns that have this step aside,
    # the lowest first, and come back once there is room (see tables.fit_columns).
    steps_aside: int | None = None

    @property
    def floor(self) -> int:
        return self.width if self.narrowest is None else self.narrowest


def count_column(
    title: str,
    count: Callable[[RowT], int],
    sort_key: str | None = None,
    tooltip: Callable[[RowT], str | None] | None = None,
    *,
    width: int,
    steps_aside: int | None = None,
) -> Column[RowT]:
    """A column of whole numbers, right-aligned so that their digits line up."""
    return Column(
        title,
        lambda r: formatting.count(count(r)),
        sort_key,
        tooltip,
        align=RIGHT,
        width=width,
        steps_aside=steps_aside,
    )


def _moment_samples() -> list[str]:
    """A late moment of each month: the widest texts a column of moments shows."""
    return [
        formatting.short_date_time(datetime(2026, month, 28, 23, 58, tzinfo=UTC), "UTC")
        for month in range(1, 13)
    ]


def time_column(
    title: str,
    at: Callable[[RowT], datetime | None],
    timezone: Callable[[], str],
    sort_key: str | None = None,
    *,
    width: int,
    stretch: bool = False,
    steps_aside: int | None = None,
) -> Column[RowT]:
    """A column of moments, in the time zone ``timezone`` answers as the cell is drawn (the
    account shown, and so its time zone, may change under the table).
    """
    return Column(
        title,
        lambda r: formatting.short_date_time(at(r), timezone()),
        sort_key,
        samples=_moment_samples,
        width=width,
        stretch=stretch,
        steps_aside=steps_aside,
    )


def _read_display(column: Column[Any], row: Any) -> Any:
    return column.text(row)


def _read_tooltip(column: Column[Any], row: Any) -> Any:
    return column.tooltip(row) if column.tooltip else None


def _read_alignment(column: Column[Any], _row: Any) -> Any:
    return column.align


def _read_tags(column: Column[Any], row: Any) -> Any:
    return column.tags(row) if column.tags else None


def _read_carriers(column: Column[Any], row: Any) -> Any:
    return column.carriers(row) if column.carriers else None


def _read_row(_column: Column[Any], row: Any) -> Any:
    return row


# What a cell answers for each role it knows (by the role's number); the model answers ID_ROLE.
_CELL_READERS: dict[int, Callable[[Column[Any], Any], Any]] = {
    Qt.ItemDataRole.DisplayRole.value: _read_display,
    Qt.ItemDataRole.ToolTipRole.value: _read_tooltip,
    Qt.ItemDataRole.TextAlignmentRole.value: _read_alignment,
    TAGS_ROLE: _read_tags,
    CARRIERS_ROLE: _read_carriers,
    ROW_ROLE: _read_row,
}


class ColumnTableModel(QAbstractTableModel, Generic[RowT]):
    """Rows shown through :class:`Column` s: the cells and headers of every thrudesk table.
    Subclasses fill ``_rows`` and say what a row's id is.

    Cells are shown and selectable, never edited in place (the services change rows, through
    dialogs), and have no children: the flags ``QAbstractTableModel`` gives, answered in C++.
    Qt asks for them at every cell it paints, and a Python ``flags`` cost a call into Python
    each time (QUALITY.md P3).
    """

    def __init__(self, columns: Sequence[Column[RowT]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._rows: list[RowT] = []

    def row_id(self, row: RowT) -> int:
        raise NotImplementedError

    def rows(self) -> tuple[RowT, ...]:
        return tuple(self._rows)

    def row_at(self, position: int) -> RowT | None:
        return self._rows[position] if 0 <= position < len(self._rows) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Qt asks for a dozen roles per cell at every paint; those no column answers cost one
        # lookup (QUALITY.md P3). An invalid index has row -1.
        reader = _CELL_READERS.get(role)
        if reader is None and role != ID_ROLE:
            return None
        position = index.row()
        if not 0 <= position < len(self._rows):
            return None
        row = self._rows[position]
        if reader is None:
            return self.row_id(row)
        return reader(self.columns[index.column()], row)

    def cell_text(self, position: int, column: int) -> tuple[str, Qt.AlignmentFlag] | None:
        """The text and alignment of a cell, as its delegate paints them (see CellDelegate)."""
        if not 0 <= position < len(self._rows):
            return None
        shown = self.columns[column]
        return shown.text(self._rows[position]), shown.align

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
            # Only a column with a sort key sorts (in the service) when its header is clicked.
            return f"Sort by {column.title.lower()}" if column.sort_key else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align
        return None


class PagedTableModel(ColumnTableModel[RowT]):
    """Rows of one service query, ``PAGE_SIZE`` at a time.

    The whole query is counted apart from its first page: a full first page leaves the count
    due (:attr:`counted` False, :attr:`total` the rows loaded so far), and :meth:`count_rows`
    counts it once the table has painted those rows (see ``make_table``). Counting 100,000
    campaigns costs as much as reading their first page (QUALITY.md P1, P3).

    Signals:
        total_changed(int): the size of the whole filtered query changed, or was counted.
        reloaded(): the rows were read afresh (new sort, new filter, new account).
        count_due(): the first page was full; the whole is still to be counted.
    """

    total_changed = Signal(int)
    reloaded = Signal()
    count_due = Signal()

    # Rows read at a time once the table scrolls. The first page is read before the table first
    # paints, and each row read then costs some 20 µs (QUALITY.md P3): a table holds it to
    # what a window on its screen can show (``first_page``, at most PAGE_SIZE).
    PAGE_SIZE = 100
    # Pages asked for in quick succession are a fast scroll towards the end: each is twice the
    # one before, up to LONGEST_PAGE rows, so that a long scroll reads a few long pages rather
    # than hundreds of short ones (QUALITY.md P3). A pause brings pages back to PAGE_SIZE.
    LONGEST_PAGE = 3200
    QUICK_PAGES_S = 1.0
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
        super().__init__(columns, parent)
        self._total = 0
        self._counted = True
        self._positions: dict[int, int] | None = None
        self._sort_column = sort_column
        self._descending = descending
        self._loaded_once = False
        self._fetching = False
        self._changing = False
        self._page_length = self.PAGE_SIZE
        self._last_page_at = -math.inf
        self.first_page = self.PAGE_SIZE
        # Loaded rows that may be out of date in ways no change names (time-dependent flags,
        # counts of other things): read again when they come into view (refresh_stale).
        self._stale: set[int] = set()

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

    def fetch_total(self) -> int:
        """The size of the whole filtered query; a subclass may count it more cheaply."""
        return self.fetch_page(0, 0).total

    def id_at(self, position: int) -> tuple[int | None, int]:
        """The id of the row at ``position`` of the whole query (None past its end), and the
        size of the whole; a subclass may read it more cheaply than a page of one row.
        """
        page = self.fetch_page(position, 1)
        return (self.row_id(page.rows[0]) if page.rows else None), page.total

    def sort_value(self, row: RowT) -> object:
        """What the current sort orders ``row`` by (compared for equality only: a row whose
        value changed may have moved).
        """
        raise NotImplementedError

    def belongs(self, row: RowT) -> bool:
        """Whether ``row`` (read again) is still one of the table's rows, as far as the row
        can tell (a text filter may say otherwise: see :meth:`keeps_place`).
        """
        return True

    def keeps_place(self, old: RowT, new: RowT) -> bool:
        """Whether a loaded row, read again, stays where it is and inside the filter."""
        return self.sort_value(old) == self.sort_value(new)

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
        """The size of the whole filtered query; until :attr:`counted`, the rows loaded."""
        return self._total

    @property
    def counted(self) -> bool:
        """Whether :attr:`total` is the size of the whole query rather than a lower bound."""
        return self._counted

    def count_rows(self) -> None:
        """Count the whole query, if its count is due."""
        if not self._counted:
            self._set_total(max(self.fetch_total(), len(self._rows)))

    # ------------------------------------------------------------------ Qt model interface
    def canFetchMore(self, parent: AnyIndex) -> bool:
        # Not while a reset or a live update is being announced: whoever reacts to those
        # signals must not start inserting rows inside the notification.
        more = len(self._rows) < self._total or not self._counted
        return not parent.isValid() and not self._changing and more

    def fetchMore(self, parent: AnyIndex) -> None:
        if not self.canFetchMore(parent) or self._fetching:
            return
        self._fetching = True
        try:
            length = self._next_page_length()
            page = self.fetch_page(len(self._rows), length, count=False)
            known = self._position_map()
            # Offsets shift when rows arrive meanwhile; a row already shown is not shown twice.
            fresh = [row for row in page.rows if self.row_id(row) not in known]
            if fresh:
                first = len(self._rows)
                self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
                self._rows.extend(fresh)
                # Extended, not rebuilt: rebuilding over every loaded row at each page made
                # scrolling to the end of 100,000 campaigns quadratic (QUALITY.md P3).
                for offset, row in enumerate(fresh):
                    known[self.row_id(row)] = first + offset
                self.endInsertRows()
            if len(page.rows) < length:
                # The query ended (earlier than its count said, maybe): believe the rows.
                self._set_total(len(self._rows))
            elif page.total >= 0:
                self._set_total(page.total)
            elif not self._counted:
                self._set_total(len(self._rows), counted=False)
        finally:
            self._fetching = False

    def _next_page_length(self) -> int:
        """How many rows the next page reads: more when the last page was read moments ago."""
        now = monotonic()
        if now - self._last_page_at < self.QUICK_PAGES_S:
            self._page_length = min(self._page_length * 2, self.LONGEST_PAGE)
        else:
            self._page_length = self.PAGE_SIZE
        self._last_page_at = now
        return self._page_length

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
        Otherwise a full first page leaves the count due (:meth:`count_rows`).
        """
        page = self.fetch_page(0, self.first_page, count=False)
        counted = self._counted
        if len(page.rows) < self.first_page:
            total, counted = len(page.rows), True
        elif page.total >= 0:
            total, counted = page.total, True
        elif count:
            total, counted = len(page.rows), False
        else:
            total = self._total
        self._changing = True
        try:
            self.beginResetModel()
            self._rows = list(page.rows)
            self._total = max(total, len(self._rows))
            self._counted = counted
            self._positions = None
            self._stale = set()
            self._loaded_once = True
            self._page_length = self.PAGE_SIZE
            self._last_page_at = -math.inf
            self.endResetModel()
        finally:
            self._changing = False
        self.total_changed.emit(self._total)
        self.reloaded.emit()
        if not self._counted:
            self.count_due.emit()

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
        self._stale = set()
        self._apply(list(page.rows))
        self._set_total(max(page.total, len(self._rows)))

    def refresh_ids(self, ids: Collection[int]) -> bool:
        """Re-read the loaded rows named by ``ids`` in place; answer whether any was loaded."""
        positions = self._position_map()
        wanted = [i for i in ids if i in positions]
        if not wanted:
            return False
        self._replace(self.fetch_rows(wanted))
        return True

    def update_rows(self, ids: Collection[int]) -> None:
        """A live change named these rows: update the loaded ones in place and take out those
        that left; read the window again only when a loaded row moved, or a row named but not
        loaded came into the window.
        """
        if not ids:
            return
        positions = self._position_map()
        loaded = [i for i in ids if i in positions]
        others = len(loaded) < len(ids)
        fresh = {self.row_id(row): row for row in self.fetch_rows(loaded)} if loaded else {}
        gone: list[int] = []
        for row_id in loaded:
            row = fresh.get(row_id)
            if row is None or not self.belongs(row):
                gone.append(row_id)
            elif not self.keeps_place(self._rows[positions[row_id]], row):
                self.requery()
                return
        self._stale.difference_update(fresh)
        self._replace([row for row in fresh.values() if self.belongs(row)])
        if gone:
            self._remove(gone)
        if others:
            self._probe_window()

    def _probe_window(self) -> None:
        """Rows not loaded changed: read the window again if one of them came into it (new, or
        moved, or now inside the filter), else leave it as it is.
        """
        if not self._rows:
            self.requery()
            return
        held_all = self._counted and len(self._rows) >= self._total
        last_id, total = self.id_at(len(self._rows) - 1)
        if last_id != self.row_id(self._rows[-1]):
            self.requery()
            return
        if total >= 0:
            self._set_total(max(total, len(self._rows)))
        if held_all and len(self._rows) < self._total:
            # Everything was shown and rows came after the last one: show them too.
            self.fetchMore(QModelIndex())

    @property
    def has_stale(self) -> bool:
        """Whether some loaded rows wait to be read again (see :meth:`mark_stale`)."""
        return bool(self._stale)

    def mark_stale(self) -> None:
        """Every loaded row may be out of date: :meth:`refresh_stale` reads them as they come
        into view.
        """
        self._stale = {self.row_id(row) for row in self._rows}

    def refresh_stale(self, first: int, last: int) -> None:
        """Read again the stale rows between positions ``first`` and ``last``."""
        if not self._stale:
            return
        ids = [
            self.row_id(row)
            for row in self._rows[max(0, first) : last + 1]
            if self.row_id(row) in self._stale
        ]
        if ids:
            self._stale.difference_update(ids)
            self.refresh_ids(ids)

    def _remove(self, ids: Collection[int]) -> None:
        """Take rows that left the query out of the window (what follows moves up: the window
        stays a prefix of the query, so the next page is read from the right offset).
        """
        positions = self._position_map()
        doomed = sorted((positions[i] for i in ids if i in positions), reverse=True)
        if not doomed:
            return
        self._changing = True
        try:
            for position in doomed:
                self.beginRemoveRows(QModelIndex(), position, position)
                del self._rows[position]
                self._positions = None
                self.endRemoveRows()
        finally:
            self._changing = False
        self._set_total(max(len(self._rows), self._total - len(doomed)), counted=self._counted)

    def _replace(self, rows: Sequence[RowT]) -> None:
        """Put fresh copies of loaded rows in place (rows not loaded are ignored)."""
        positions = self._position_map()
        for row in rows:
            position = positions.get(self.row_id(row))
            if position is not None:
                self._put(position, row)

    def _put(self, position: int, row: RowT) -> None:
        """Show ``row`` at ``position``, announcing it only when it differs."""
        if self._rows[position] != row:
            self._rows[position] = row
            self.dataChanged.emit(
                self.index(position, 0), self.index(position, len(self.columns) - 1)
            )

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
                for offset, row in enumerate(fresh[j1:j2]):
                    self._put(i1 + offset, row)
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

    def _set_total(self, total: int, *, counted: bool = True) -> None:
        if (total, counted) != (self._total, self._counted):
            self._total, self._counted = total, counted
            self.total_changed.emit(total)

    # ------------------------------------------------------------------ lookups
    def _position_map(self) -> dict[int, int]:
        if self._positions is None:
            self._positions = {self.row_id(row): i for i, row in enumerate(self._rows)}
        return self._positions

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
