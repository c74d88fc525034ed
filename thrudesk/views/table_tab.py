"""What the Phone Numbers and Campaigns tabs share: one account's rows in a paged table, a text
filter that waits for the typing to pause, the count of rows, a message bar, and dialogs opened
beside the window rather than over it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QObject, QRect, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from thrudesk.services.container import Services
from thrudesk.services.unit_of_work import Actor
from thrudesk.views import formatting
from thrudesk.views.simulation import SimulationControl
from thrudesk.views.table_model import Column, PagedTableModel, time_column
from thrudesk.views.tables import (
    first_page_for_screens,
    make_table,
    refresh_rows_in_view,
    select_row,
    selected_position,
)
from thrudesk.views.widgets import MessageBar, open_beside


class Identified(Protocol):
    """A service row with an id (a number's, a campaign's)."""

    @property
    def id(self) -> int: ...


RowT = TypeVar("RowT", bound=Identified)


class AccountTableModel(PagedTableModel[RowT]):
    """The rows of one account, filtered by text, with times in the account's time zone."""

    def __init__(
        self,
        services: Services,
        actor: Actor,
        columns: Sequence[Column[RowT]],
        *,
        timezone: str,
        simulator: SimulationControl | None,
        sort_column: int,
        descending: bool,
        parent: QObject | None = None,
    ) -> None:
        self._services = services
        self._actor = actor
        self._timezone = timezone
        self._simulator = simulator
        self._text = ""
        super().__init__(columns, sort_column=sort_column, descending=descending, parent=parent)

    def set_account(self, actor: Actor, timezone: str) -> None:
        self._actor, self._timezone = actor, timezone
        self.reload()

    @property
    def filter_text(self) -> str:
        return self._text

    def row_id(self, row: RowT) -> int:
        return row.id

    def time_column(
        self,
        title: str,
        at: Callable[[RowT], datetime | None],
        sort_key: str,
        *,
        width: int,
        stretch: bool = False,
        steps_aside: int | None = None,
    ) -> Column[RowT]:
        """A column of moments, shown in the time zone of the account shown."""
        return time_column(
            title,
            at,
            lambda: self._timezone,
            sort_key,
            width=width,
            stretch=stretch,
            steps_aside=steps_aside,
        )


ModelT = TypeVar("ModelT", bound=AccountTableModel[Any])


# What the text filter above a table keeps of its width when the window is narrow: the row of
# actions keeps its words, and the window fits a screen 1280 pixels wide.
NARROW_FILTER_SHARE = 0.6
# Beside a choice's words, what the label needs not to cut them short (the text's side bearing).
TEXT_ROOM_PX = 4


class FilterEdit(QLineEdit):
    """The text filter above a table, with a button that clears it: ``width`` wide when the
    row has room, narrower (down to :data:`NARROW_FILTER_SHARE` of it) when it has not.

    Signals:
        results_requested(): Down or Enter: the admin goes on to the rows the filter shows.
    """

    results_requested = Signal()

    def __init__(self, width: int) -> None:
        super().__init__()
        self._width = width

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.results_requested.emit()
            return
        super().keyPressEvent(event)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(max(hint.width(), self._width), hint.height())

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), round(self._width * NARROW_FILTER_SHARE)), hint.height())


class FilterCombo(QComboBox):
    """A choice that filters a table: as wide as its longest choice when the row has room, and
    when it has not, as narrow as its first choice (the one that filters nothing); a longer
    choice is then shown cut short with an ellipsis.
    """

    def minimumSizeHint(self) -> QSize:
        hint = self.sizeHint()
        first = self.fontMetrics().horizontalAdvance(self.itemText(0)) if self.count() else 0
        # Around the text, what the style keeps at the full width: the frame, the padding
        # and the arrow (the label's field at the size hint, less its width).
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.rect = QRect(0, 0, hint.width(), hint.height())
        field = self._field(option)
        around = hint.width() - field.width()
        return QSize(min(hint.width(), first + around + TEXT_ROOM_PX), hint.height())

    def _field(self, option: QStyleOptionComboBox) -> QRect:
        return self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox,
            option,
            QStyle.SubControl.SC_ComboBoxEditField,
            self,
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        field = self._field(option)
        option.currentText = self.fontMetrics().elidedText(
            option.currentText, Qt.TextElideMode.ElideRight, field.width()
        )
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


class ControlsRow(QWidget):
    """A tab's actions on the left and its filters on the right: one row when the tab is wide
    enough, the filters under the actions when it is not, so that the window works at 1024
    pixels wide in the desktop's own font.
    """

    def __init__(self, actions: QHBoxLayout, filters: QHBoxLayout) -> None:
        super().__init__()
        self._actions = QWidget()
        self._filters = QWidget()
        for part, layout in ((self._actions, actions), (self._filters, filters)):
            layout.setContentsMargins(0, 0, 0, 0)
            part.setLayout(layout)
        self._row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(8)
        # The row's width is what the window may shrink to: either part, not both side by side.
        self._row.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._row.addWidget(self._actions, 1)
        self._row.addWidget(self._filters, 0, Qt.AlignmentFlag.AlignRight)

    def minimumSizeHint(self) -> QSize:
        actions, filters = self._actions.minimumSizeHint(), self._filters.minimumSizeHint()
        return QSize(max(actions.width(), filters.width()), actions.height())

    def sizeHint(self) -> QSize:
        return self._row.sizeHint()

    @property
    def wrapped(self) -> bool:
        """Whether the filters are under the actions (a narrow tab)."""
        return self._row.direction() is QBoxLayout.Direction.TopToBottom

    def resizeEvent(self, event: QResizeEvent) -> None:
        one_row = (
            self._actions.sizeHint().width()
            + self._row.spacing()
            + self._filters.sizeHint().width()
            <= event.size().width()
        )
        direction = (
            QBoxLayout.Direction.LeftToRight if one_row else QBoxLayout.Direction.TopToBottom
        )
        if self._row.direction() is not direction:
            self._row.setDirection(direction)
            self.updateGeometry()
        super().resizeEvent(event)


def filter_edit(name: str, placeholder: str, *, width: int) -> QLineEdit:
    """The text filter above a table (see :class:`FilterEdit`)."""
    edit = FilterEdit(width)
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    return edit


def table_page(tab: QWidget) -> QVBoxLayout:
    """The layout of a tab over a table: rows of controls, then the table, with the margins
    and spacing every such tab has.
    """
    page = QVBoxLayout(tab)
    page.setContentsMargins(16, 14, 16, 12)
    page.setSpacing(10)
    return page


class TableTab(QWidget, Generic[ModelT]):
    """A tab over one account's paged table. Subclasses add their rows of controls to
    ``page``, then :meth:`_add_table`; they say what the filter text does
    (:meth:`_apply_filter`) and which actions the selection allows (:meth:`_update_actions`).
    """

    model: ModelT
    table: QTableView

    def __init__(
        self,
        services: Services,
        actor: Actor,
        *,
        name: str,
        timezone: str,
        simulator: SimulationControl | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._services = services
        self._actor = actor
        self._timezone = timezone
        self._simulator = simulator
        self._dialog: QDialog | None = None
        self.page = table_page(self)
        self.message_bar = MessageBar(self)

    def _add_table(
        self,
        model: ModelT,
        name: str,
        *,
        filter_edit: QLineEdit,
        filter_delay_ms: int,
        count_label: QLabel,
        noun: str,
    ) -> None:
        """The message bar and the table below the controls, and what ties them together."""
        self.page.addWidget(self.message_bar)
        self.model = model
        model.first_page = first_page_for_screens(model.PAGE_SIZE)
        model.reload()
        self.table = make_table(model, name, self)
        self.page.addWidget(self.table, 1)
        self.setFocusProxy(self.table)
        self._filter_edit = filter_edit
        self._count_label = count_label
        self._noun = noun
        # The table is filtered once the typing pauses, not at every key.
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(filter_delay_ms)
        self._filter_timer.timeout.connect(self._on_filter_timer_timeout)
        filter_edit.textChanged.connect(self._filter_timer.start)
        if isinstance(filter_edit, FilterEdit):
            filter_edit.results_requested.connect(self._on_filter_edit_results_requested)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        model.total_changed.connect(self._on_model_total_changed)
        model.modelReset.connect(self._update_actions)
        model.dataChanged.connect(self._on_model_data_changed)

    def _show_totals(self) -> None:
        """The count and the actions as the table now stands (once the tab is built)."""
        self._on_model_total_changed(self.model.total)
        self._update_actions()

    # ------------------------------------------------------------------ what subclasses provide
    def _apply_filter(self, text: str) -> None:
        raise NotImplementedError

    @Slot()
    def _update_actions(self) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------------ public
    def set_account(self, actor: Actor, timezone: str) -> None:
        self._actor, self._timezone = actor, timezone
        self.message_bar.clear()
        self._clear_filter_quietly()
        self.model.set_account(actor, timezone)
        self._update_actions()

    def came_into_view(self) -> None:
        """The tab is shown again: read the rows that went stale while it was out of view."""
        refresh_rows_in_view(self.table)

    def focus_filter(self) -> None:
        self._filter_edit.setFocus()
        self._filter_edit.selectAll()

    # ------------------------------------------------------------------ helpers
    def _selected_row(self) -> Any:
        position = selected_position(self.table)
        return self.model.row_at(position) if position is not None else None

    def _clear_filter_quietly(self) -> None:
        """Empty the filter edit without filtering (the caller reads the table itself)."""
        self._filter_edit.blockSignals(True)
        self._filter_edit.clear()
        self._filter_edit.blockSignals(False)

    def _show_dialog(self, dialog: QDialog) -> None:
        self._dialog = dialog
        open_beside(dialog)

    # ------------------------------------------------------------------ handlers
    @Slot()
    def _on_filter_timer_timeout(self) -> None:
        # The row chosen stays chosen if the filter keeps it, else the first row shown is: the
        # actions stay at hand while the admin types.
        selected = self._selected_row()
        kept = self.model.row_id(selected) if selected is not None else None
        self._apply_filter(self._filter_edit.text())
        self._select_after_filter(kept)

    def _select_after_filter(self, kept: int | None) -> None:
        position = self.model.position_of(kept) if kept is not None else None
        if position is None and self.model.rowCount() > 0:
            position = 0
        if position is not None:
            select_row(self.table, position)

    @Slot()
    def _on_filter_edit_results_requested(self) -> None:
        if self._filter_timer.isActive():
            # Typed a moment ago: filter now, so the rows reached are the ones asked for.
            self._filter_timer.stop()
            self._on_filter_timer_timeout()
        if selected_position(self.table) is None and self.model.rowCount() > 0:
            select_row(self.table, 0)
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    @Slot(int)
    def _on_model_total_changed(self, total: int) -> None:
        # Until the first page has painted, the rows loaded: counted a moment later.
        more = not self.model.counted
        self._count_label.setText(formatting.plural(total, self._noun, or_more=more))

    @Slot()
    def _on_model_data_changed(self) -> None:
        self._update_actions()

    @Slot()
    def _on_table_selection_changed(self) -> None:
        self.message_bar.clear()
        self._update_actions()
