"""A table model over a short list that a service answers whole (senders, followups, events)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from thrudesk.views.roles import ID_ROLE, ROW_ROLE, TAGS_ROLE
from thrudesk.views.table_model import Column

RowT = TypeVar("RowT")
AnyIndex = QModelIndex | QPersistentModelIndex


class StaticTableModel(QAbstractTableModel, Generic[RowT]):
    """Rows replaced as a whole by :meth:`set_rows`; unchanged rows are not repainted."""

    def __init__(
        self,
        columns: Sequence[Column[RowT]],
        row_id: Callable[[RowT], int],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._row_id = row_id
        self._rows: list[RowT] = []

    def set_rows(self, rows: Sequence[RowT]) -> None:
        fresh = list(rows)
        if [self._row_id(r) for r in fresh] == [self._row_id(r) for r in self._rows]:
            last = len(self.columns) - 1
            for position, row in enumerate(fresh):
                if self._rows[position] != row:
                    self._rows[position] = row
                    self.dataChanged.emit(self.index(position, 0), self.index(position, last))
            return
        self.beginResetModel()
        self._rows = fresh
        self.endResetModel()

    def rows(self) -> tuple[RowT, ...]:
        return tuple(self._rows)

    def row_at(self, position: int) -> RowT | None:
        return self._rows[position] if 0 <= position < len(self._rows) else None

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
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return self._row_id(row)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.columns[section].align
        return None
