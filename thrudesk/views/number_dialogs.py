"""Dialogs of the Phone Numbers tab: add a dedicated number, rename one."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from thrudesk.services import area_codes
from thrudesk.services.container import Services
from thrudesk.services.rows import PhoneNumberRow
from thrudesk.services.unit_of_work import Actor
from thrudesk.views.area_code_picker import AreaCodePicker
from thrudesk.views.form_dialog import FormDialog
from thrudesk.views.inputs import UseCaseCombo
from thrudesk.views.simulation import SimulationControl, estimate_sentence
from thrudesk.views.widgets import Notice, hbox, open_at_width

ESTIMATE_REFRESH_MS = 2000


def hard_to_get_warning(code: str) -> str:
    row = area_codes.lookup(code)
    place = f" ({row.place})" if row and row.place else ""
    return (
        f"{code}{place} is a hard-to-get area code: numbers there are scarce. If none is "
        "available the purchase tries your next area code, or fails; Request hard-to-get "
        "number asks support to find one for you."
    )


class AddNumberDialog(FormDialog):
    """N1: a dedicated number from preferred area codes, an optional name and a use case, with
    the hard-to-get warning (N8) and the expected provisioning time (S6).

    Signals:
        number_added(PhoneNumberRow): the service bought the number and started provisioning.
    """

    number_added = Signal(object)

    def __init__(
        self,
        services: Services,
        actor: Actor,
        simulator: SimulationControl | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Add dedicated number", "add_number_dialog", "Add number", parent)
        self._services = services
        self._actor = actor
        self._simulator = simulator
        self.set_intro(
            "thrudesk buys a number in the first area code with numbers available, then the "
            "carriers provision it. It can go on campaigns once it is Provisioning Complete."
        )
        self.area_code_picker = AreaCodePicker()
        self.fallback_picker_2 = AreaCodePicker(
            name="area_code_picker_2", placeholder="Optional second choice"
        )
        self.fallback_picker_3 = AreaCodePicker(
            name="area_code_picker_3", placeholder="Optional third choice"
        )
        self.add_field("Area code", self.area_code_picker, "area_codes", "area_code")
        fallbacks = QWidget()
        fallbacks.setLayout(hbox(self.fallback_picker_2, self.fallback_picker_3, spacing=8))
        self.add_field("If none there", fallbacks)
        self.hard_to_get_label = Notice("warning", "hard_to_get_warning")
        self.hard_to_get_label.hide()
        self.extra.addWidget(self.hard_to_get_label)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("name_edit")
        self.name_edit.setPlaceholderText("Optional, e.g. Main line")
        self.name_edit.setMaxLength(200)
        self.add_field("Name", self.name_edit, "name")
        self.use_case_combo = UseCaseCombo(for_a_number=True)
        self.use_case_combo.set_use_cases(services.numbers.use_cases(actor))
        self.add_field("Use case", self.use_case_combo, "use_case")
        self.estimate_label = Notice("notice", "estimate_label")
        self.extra.addWidget(self.estimate_label)
        for picker in (self.area_code_picker, self.fallback_picker_2, self.fallback_picker_3):
            picker.area_code_changed.connect(self._on_picker_area_code_changed)
        self._timer = QTimer(self)
        self._timer.setInterval(ESTIMATE_REFRESH_MS)
        self._timer.timeout.connect(self.refresh_estimate)
        self._timer.start()
        self.finished.connect(self._timer.stop)
        self.refresh_estimate()
        open_at_width(self, 560)

    def preferences(self) -> list[str]:
        pickers = (self.area_code_picker, self.fallback_picker_2, self.fallback_picker_3)
        return [code for code in (p.area_code() for p in pickers) if code]

    @Slot()
    def refresh_estimate(self) -> None:
        """S6: the p50–p90 for a number started now, from the simulator's model."""
        if self._simulator is None:
            self.estimate_label.setText("Provisioning time cannot be estimated: no simulator.")
            return
        estimate = self._simulator.estimate(self._actor.account_id)
        self.estimate_label.setText(
            estimate_sentence(estimate) + " if you add the number now. Complete numbers serve "
            "any number of campaigns without waiting again."
        )

    @Slot(str)
    def _on_picker_area_code_changed(self, _code: str) -> None:
        scarce = [code for code in self.preferences() if area_codes.is_hard_to_get(code)]
        if scarce:
            self.hard_to_get_label.setText(hard_to_get_warning(scarce[0]))
        if self.hard_to_get_label.isHidden() == bool(scarce):
            self.hard_to_get_label.setVisible(bool(scarce))
            self.fit_height()

    def submit(self) -> None:
        name = self.name_edit.text()
        number = self._services.numbers.create_dedicated(
            self._actor,
            self.preferences(),
            self.use_case_combo.use_case_id(),
            name if name.strip() else None,
        )
        self.number_added.emit(number)


class RenameNumberDialog(FormDialog):
    """N6: rename a dedicated number (1 to 64 characters), or take its name away.

    Signals:
        number_renamed(PhoneNumberRow)
    """

    number_renamed = Signal(object)

    def __init__(
        self,
        services: Services,
        actor: Actor,
        number: PhoneNumberRow,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Rename {number.display}", "rename_dialog", "Rename", parent)
        self._services = services
        self._actor = actor
        self._number = number
        self.set_intro(f"The name shows wherever {number.display} is shown, campaigns included.")
        self.name_edit = QLineEdit(number.name or "")
        self.name_edit.setObjectName("name_edit")
        self.name_edit.setMaxLength(200)
        self.name_edit.setPlaceholderText("e.g. Main line")
        self.no_name_check = QCheckBox("No name")
        self.no_name_check.setObjectName("no_name_check")
        self.no_name_check.toggled.connect(self._on_no_name_check_toggled)
        self.add_field("Name", self.name_edit, "name")
        self.form.addRow("", self.no_name_check)
        open_at_width(self, 440)

    @Slot(bool)
    def _on_no_name_check_toggled(self, checked: bool) -> None:
        self.name_edit.setEnabled(not checked)

    def submit(self) -> None:
        name = None if self.no_name_check.isChecked() else self.name_edit.text()
        number = self._services.numbers.rename(self._actor, self._number.id, name)
        self.number_renamed.emit(number)
