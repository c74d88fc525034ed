"""Dialogs of campaign teamwork: adding senders (C13) and the report of a contacts import."""

from __future__ import annotations

from collections.abc import Sequence
from math import ceil
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRect, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import QFontMetrics, QPainter, QTextLayout, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QStyle,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from thrudesk.services.contacts import ImportProblem, ImportReport
from thrudesk.services.container import Services
from thrudesk.services.errors import ThrudeskError
from thrudesk.services.rows import UserRow
from thrudesk.services.senders import TeamRow
from thrudesk.services.unit_of_work import Actor
from thrudesk.views import formatting
from thrudesk.views.badges import AnyIndex, PaintedDelegate
from thrudesk.views.form_dialog import FormDialog
from thrudesk.views.static_model import StaticTableModel
from thrudesk.views.table_model import Column, count_column
from thrudesk.views.tables import make_table
from thrudesk.views.widgets import button, close_button, label, open_at_width, open_beside


class AddSendersDialog(FormDialog):
    """C13: choose senders of the account to add; the Unassigned conversations are split evenly
    among them.

    Signals:
        senders_added(TeamRow): the campaign's team after the addition.
    """

    senders_added = Signal(object)

    def __init__(
        self,
        services: Services,
        actor: Actor,
        campaign_id: int,
        title: str,
        choices: Sequence[UserRow],
        unassigned: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Add senders to {title}", "add_senders_dialog", "Add senders", parent)
        self._services = services
        self._actor = actor
        self._campaign_id = campaign_id
        self.set_intro(
            f"The {formatting.plural(unassigned, 'Unassigned conversation')} are split evenly "
            "among the senders you add, in the order listed. Conversations imported later stay "
            "Unassigned until more senders are added or someone requests them."
            if unassigned
            else "No conversation is Unassigned now: the senders you add start with none, and "
            "can request batches while Self Assign is on."
        )
        self.choices_model: StaticTableModel[UserRow] = StaticTableModel(
            [
                Column("Sender", lambda r: r.name, stretch=True, width=180),
                Column("Email", lambda r: r.email, width=220),
            ],
            lambda r: r.id,
            self,
        )
        self.choices_model.set_rows(choices)
        self.sender_choices_table = make_table(
            self.choices_model, "sender_choices_table", sortable=False
        )
        # A click adds a row to the choice or takes it out: several senders at once.
        self.sender_choices_table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        self.sender_choices_table.setMinimumHeight(32 * 5 + 34)
        self.no_sender_choices_label = label(
            "Every sender of the account is already on this campaign.",
            "hint",
            name="no_sender_choices_label",
        )
        self.no_sender_choices_label.setVisible(not choices)
        self.sender_choices_table.setVisible(bool(choices))
        self.add_field("Senders", self.sender_choices_table, "senders")
        self.extra.addWidget(self.no_sender_choices_label)
        open_at_width(self, 560)

    def chosen(self) -> list[int]:
        """The chosen users' ids, in the order the list shows them."""
        rows = sorted(i.row() for i in self.sender_choices_table.selectionModel().selectedRows())
        chosen = (self.choices_model.row_at(position) for position in rows)
        return [user.id for user in chosen if user is not None]

    def submit(self) -> None:
        team: TeamRow = self._services.senders.add(self._actor, self._campaign_id, self.chosen())
        self.senders_added.emit(team)


class WrappedTextDelegate(PaintedDelegate):
    """Paints a cell's whole text over as many lines as it takes, breaking between words, and
    inside a word only when one is wider than the cell; its size hint is that many lines tall.
    """

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        self.paint_background(painter, option, index)
        self.initStyleOption(option, index)
        text, area = option.text, self._text_area(option)
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        painter.setPen(palette.highlightedText().color() if selected else palette.text().color())
        painter.setFont(option.font)
        painter.drawText(QRectF(area), text, self._text_option(option))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        hint = super().sizeHint(option, index)
        self.initStyleOption(option, index)
        area = self._text_area(option)
        layout = QTextLayout(option.text, option.font)
        layout.setTextOption(self._text_option(option))
        layout.beginLayout()
        height = 0.0
        while (line := layout.createLine()).isValid():
            line.setLineWidth(max(1, area.width()))
            height += line.height()
        layout.endLayout()
        one_line = QFontMetrics(option.font).height()
        hint.setHeight(max(hint.height(), hint.height() - one_line + ceil(height)))
        return hint

    @staticmethod
    def _text_area(option: QStyleOptionViewItem) -> QRect:
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        return style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, widget)

    @staticmethod
    def _text_option(option: QStyleOptionViewItem) -> QTextOption:
        text_option = QTextOption(option.displayAlignment)
        text_option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        return text_option


class _RowsFittedInView(QObject):
    """Fits the rows in view to their contents, as they come into view and as the columns
    change width. All 10,000 rows of a long report fitted at once, as a header that resizes to
    contents does, stood the window still for seconds.
    """

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self._table = table
        self._fitting = False
        table.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        table.horizontalHeader().sectionResized.connect(self._on_section_resized)
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Show, QEvent.Type.Resize):
            self.fit()
        return super().eventFilter(watched, event)

    @Slot(int)
    def _on_scrolled(self, _value: int) -> None:
        self.fit()

    @Slot(int, int, int)
    def _on_section_resized(self, _column: int, _old: int, _new: int) -> None:
        self.fit()

    def fit(self) -> None:
        """Fit each row from the first in view down to the viewport's bottom; a table scrolled
        to its end stays at its end as the rows there grow.
        """
        if self._fitting:
            return
        self._fitting = True
        try:
            table, bar = self._table, self._table.verticalScrollBar()
            rows = table.model().rowCount()
            while True:
                at_end = bar.value() == bar.maximum()
                row = max(0, table.rowAt(0))
                while row < rows and table.rowViewportPosition(row) < table.viewport().height():
                    table.resizeRowToContents(row)
                    row += 1
                if not at_end or bar.value() == bar.maximum():
                    return
                bar.setValue(bar.maximum())
        finally:
            self._fitting = False


class ImportReportDialog(QDialog):
    """What an import did: how many contacts came in and each refused row with its line, the
    value refused and the whole reason, which "Save as CSV…" writes to a file.
    """

    def __init__(
        self,
        report: ImportReport,
        file_name: str,
        services: Services,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("import_report_dialog")
        self.setWindowTitle(f"Import of {file_name}")
        self.setMinimumWidth(600)
        self._report = report
        self._file_name = file_name
        self._services = services
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 18, 20, 16)
        outer.setSpacing(10)
        self.import_summary_label = label(report.summary, name="import_summary_label", wrap=True)
        outer.addWidget(self.import_summary_label)
        self.problems_model: StaticTableModel[ImportProblem] = StaticTableModel(
            [
                count_column("Line", lambda r: r.line, width=70),
                Column("Value", lambda r: r.value, tooltip=lambda r: r.value or None, width=190),
                Column(
                    "Why it was refused",
                    lambda r: r.reason,
                    tooltip=lambda r: r.reason,
                    stretch=True,
                    width=380,
                ),
            ],
            lambda r: r.line,
            self,
        )
        self.problems_model.set_rows(report.problems)
        self.import_problems_table = make_table(
            self.problems_model, "import_problems_table", sortable=False
        )
        # Every cell shows its whole text, over as many lines as it needs: a reason cut short
        # tells the admin nothing.
        table = self.import_problems_table
        table.setWordWrap(True)
        table.setTextElideMode(Qt.TextElideMode.ElideNone)
        wrapped = WrappedTextDelegate(table, cell_text=self.problems_model.cell_text)
        table.setItemDelegateForColumn(1, wrapped)
        table.setItemDelegateForColumn(2, wrapped)
        self._rows_fitted = _RowsFittedInView(table)
        table.setMinimumHeight(32 * 7 + 34)
        table.setVisible(bool(report.problems))
        outer.addWidget(table, 1)
        more = report.problems_not_listed
        self.import_problems_more_label = label(
            f"{formatting.plural(more, 'more refused row')} not listed: fix the rows above and "
            "import the file again to see them."
            if more
            else "",
            "hint",
            name="import_problems_more_label",
            wrap=True,
        )
        self.import_problems_more_label.setVisible(bool(more))
        outer.addWidget(self.import_problems_more_label)
        self.save_report_label = label(role="hint", name="save_report_label", wrap=True)
        self.save_report_label.hide()
        outer.addWidget(self.save_report_label)
        self.save_report_error = label(role="field-error", name="save_report_error", wrap=True)
        self.save_report_error.hide()
        outer.addWidget(self.save_report_error)
        buttons = QHBoxLayout()
        self.save_report_button = button(
            "Save as CSV…",
            "save_report_button",
            tooltip="Save the refused rows (line, value, reason) to a CSV file",
        )
        self.save_report_button.setAutoDefault(False)
        self.save_report_button.setEnabled(bool(report.problems))
        self.save_report_button.clicked.connect(self._on_save_report_button_clicked)
        buttons.addWidget(self.save_report_button)
        buttons.addStretch(1)
        self.accept_button = close_button(self)
        buttons.addWidget(self.accept_button)
        outer.addLayout(buttons)
        open_at_width(self, 760)

    @Slot()
    def _on_save_report_button_clicked(self) -> None:
        dialog = QFileDialog(
            self, "Save the refused rows", str(Path.home()), "CSV files (*.csv);;All files (*)"
        )
        dialog.setObjectName("save_report_file_dialog")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix("csv")
        dialog.selectFile(f"{Path(self._file_name).stem} refused rows.csv")
        dialog.fileSelected.connect(self._on_save_report_file_dialog_file_selected)
        open_beside(dialog)

    @Slot(str)
    def _on_save_report_file_dialog_file_selected(self, path: str) -> None:
        self.save_report_label.hide()
        self.save_report_error.hide()
        try:
            rows = self._services.contacts.save_import_report(self._report, path)
        except ThrudeskError as error:
            self.save_report_error.setText(error.message)
            self.save_report_error.show()
            return
        self.save_report_label.setText(
            f"Saved {formatting.plural(rows, 'refused row')} to {Path(path)}."
        )
        self.save_report_label.show()
