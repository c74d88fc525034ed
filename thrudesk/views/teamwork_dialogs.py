"""Dialogs of campaign teamwork: adding senders (C13) and the report of a contacts import."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from thrudesk.services.contacts import ImportProblem, ImportReport
from thrudesk.services.container import Services
from thrudesk.services.rows import UserRow
from thrudesk.services.senders import TeamRow
from thrudesk.services.unit_of_work import Actor
from thrudesk.views import formatting
from thrudesk.views.form_dialog import FormDialog
from thrudesk.views.static_model import StaticTableModel
from thrudesk.views.table_model import Column, count_column
from thrudesk.views.tables import make_table
from thrudesk.views.widgets import close_button, label, open_at_width


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


class ImportReportDialog(QDialog):
    """What an import did: how many contacts came in and each refused row with its line."""

    def __init__(self, report: ImportReport, file_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("import_report_dialog")
        self.setWindowTitle(f"Import of {file_name}")
        self.setMinimumWidth(600)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 18, 20, 16)
        outer.setSpacing(10)
        self.import_summary_label = label(report.summary, name="import_summary_label", wrap=True)
        outer.addWidget(self.import_summary_label)
        self.problems_model: StaticTableModel[ImportProblem] = StaticTableModel(
            [
                count_column("Line", lambda r: r.line, width=70),
                Column("Why it was refused", lambda r: r.reason, stretch=True, width=420),
            ],
            lambda r: r.line,
            self,
        )
        self.problems_model.set_rows(report.problems)
        self.import_problems_table = make_table(
            self.problems_model, "import_problems_table", sortable=False
        )
        self.import_problems_table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.import_problems_table.setMinimumHeight(32 * 7 + 34)
        self.import_problems_table.setVisible(bool(report.problems))
        outer.addWidget(self.import_problems_table, 1)
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
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.accept_button = close_button(self)
        buttons.addWidget(self.accept_button)
        outer.addLayout(buttons)
        open_at_width(self, 640)
