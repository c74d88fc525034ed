"""N8: asking the (simulated) support desk for a number in a hard-to-get area code."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from thrudesk.services import area_codes
from thrudesk.services.container import Services
from thrudesk.services.rows import HardToGetRequestRow, HardToGetRequestStatus
from thrudesk.services.unit_of_work import Actor
from thrudesk.views.area_code_picker import AreaCodePicker
from thrudesk.views.form_dialog import FormDialog
from thrudesk.views.inputs import UseCaseCombo
from thrudesk.views.static_model import StaticTableModel
from thrudesk.views.table_model import Column, time_column
from thrudesk.views.tables import make_table
from thrudesk.views.widgets import label, open_at_width

STATUS_TEXT = {
    HardToGetRequestStatus.PENDING: "With support",
    HardToGetRequestStatus.FULFILLED: "Number added",
    HardToGetRequestStatus.REFUSED: "Refused",
}


class HardToGetDialog(FormDialog):
    """File a hard-to-get number request and see the account's earlier ones.

    Signals:
        request_filed(HardToGetRequestRow)
    """

    request_filed = Signal(object)

    def __init__(
        self,
        services: Services,
        actor: Actor,
        timezone: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Request hard-to-get number", "hard_to_get_dialog", "Send request", parent)
        self._services = services
        self._actor = actor
        self._timezone = timezone
        scarce = sorted(area_codes.HARD_TO_GET)
        examples = ", ".join(scarce[:6])
        self.set_intro(
            "Busy metros and single-area-code states have few numbers. Support looks for one "
            "and adds it to your dedicated numbers, usually within a working day; you are "
            f"notified either way. Hard-to-get codes include {examples} and more."
        )
        self.area_code_picker = AreaCodePicker(placeholder="e.g. 206, 212 or Maine")
        self.add_field("Area code", self.area_code_picker, "area_code", "area_codes")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("name_edit")
        self.name_edit.setPlaceholderText("Optional, e.g. Seattle office")
        self.add_field("Name", self.name_edit, "name")
        self.use_case_combo = UseCaseCombo(for_a_number=True)
        self.use_case_combo.set_use_cases(services.numbers.use_cases(actor))
        self.add_field("Use case", self.use_case_combo, "use_case")
        self.requests_model: StaticTableModel[HardToGetRequestRow] = StaticTableModel(
            [
                Column("Area code", lambda r: r.area_code, width=80),
                Column("Name", lambda r: r.name or "", width=120),
                time_column("Requested", lambda r: r.created_at, lambda: timezone, width=110),
                Column("Status", lambda r: STATUS_TEXT.get(r.status, str(r.status)), width=110),
                Column(
                    "Outcome", lambda r: r.outcome or "", tooltip=lambda r: r.outcome, stretch=True
                ),
            ],
            lambda r: r.id,
            self,
        )
        self.requests_table = make_table(
            self.requests_model, "hard_to_get_requests_table", sortable=False
        )
        self.requests_table.setFixedHeight(150)
        self.requests_caption = label("Earlier requests", "section-title")
        self.extra.addWidget(self.requests_caption)
        self.extra.addWidget(self.requests_table)
        self.refresh_requests()
        open_at_width(self, 620)

    def refresh_requests(self) -> None:
        rows = self._services.hard_to_get.all(self._actor)
        self.requests_model.set_rows(rows)
        self.requests_caption.setVisible(bool(rows))
        self.requests_table.setVisible(bool(rows))

    def submit(self) -> None:
        name = self.name_edit.text()
        row = self._services.hard_to_get.request(
            self._actor,
            self.area_code_picker.area_code(),
            self.use_case_combo.use_case_id(),
            name if name.strip() else None,
        )
        self.request_filed.emit(row)
