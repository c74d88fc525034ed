"""A table model over a short list that a service answers whole (senders, followups, events)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import QObject

from thrudesk.views.table_model import Column, ColumnTableModel

RowT = TypeVar("RowT")


class StaticTableModel(ColumnTableModel[RowT]):
    """Rows replaced as a whole by :meth:`set_rows`; unchanged rows are not repainted."""

    def __init__(
        self,
        columns: Sequence[Column[RowT]],
        row_id: Callable[[RowT], int],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(columns, parent)
        self._row_id = row_id

    def row_id(self, row: RowT) -> int:
        return self._row_id(row)

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
