"""Dialogs of the Campaigns tab: new campaign and edit a Draft, launch (C2 with Manage, S6, C7).

Create Followup (C8) lives in :mod:`thrudesk.views.followup_dialog`.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from thrudesk.services import area_codes
from thrudesk.services.container import Services
from thrudesk.services.rows import CampaignDetails, CampaignIndexRow, LaunchOptions, NumberMode
from thrudesk.services.simulation.model import ProvisioningEstimate, day_before_advice
from thrudesk.services.unit_of_work import Actor
from thrudesk.views.area_code_picker import AreaCodePicker
from thrudesk.views.form_dialog import FormDialog
from thrudesk.views.inputs import UseCaseCombo
from thrudesk.views.simulation import SimulationControl, estimate_sentence
from thrudesk.views.widgets import Notice, button, hbox, label, open_at_width

ESTIMATE_REFRESH_MS = 2000


def preferences_text(codes: tuple[str, ...]) -> str:
    """``Region 1: 206 · Seattle, WA · Region 2: 425 · Bellevue, WA``."""
    if not codes:
        return "No area-code preferences yet (set them on the campaign)."
    parts = []
    for position, code in enumerate(codes, start=1):
        row = area_codes.lookup(code)
        parts.append(f"Region {position}: {row.label if row else code}")
    return "   ".join(parts)


class NewCampaignDialog(FormDialog):
    """A new Draft: title, message, area-code preferences (Region 1, 2, 3) and use case; with
    ``draft``, the same form edits that Draft (``edit_campaign_dialog``).

    Signals:
        campaign_created(int): the new Draft's id.
        campaign_saved(int): the edited Draft's id.
    """

    campaign_created = Signal(int)
    campaign_saved = Signal(int)

    def __init__(
        self,
        services: Services,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        draft: CampaignDetails | None = None,
    ) -> None:
        if draft is None:
            super().__init__("New campaign", "new_campaign_dialog", "Create draft", parent)
        else:
            super().__init__(f"Edit {draft.title}", "edit_campaign_dialog", "Save", parent)
        self._services = services
        self._actor = actor
        self._draft = draft
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("title_edit")
        self.title_edit.setPlaceholderText("e.g. Ballot return push")
        self.add_field("Title", self.title_edit, "title")
        self.script_edit = QPlainTextEdit()
        self.script_edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.script_edit.setObjectName("script_edit")
        self.script_edit.setPlaceholderText("Hi {first_name}! …")
        self.script_edit.setFixedHeight(96)
        self.add_field("Message", self.script_edit, "script")
        self.area_code_picker = AreaCodePicker(placeholder="Region 1: code or city")
        self.area_code_picker_2 = AreaCodePicker(name="area_code_picker_2", placeholder="Region 2")
        self.area_code_picker_3 = AreaCodePicker(name="area_code_picker_3", placeholder="Region 3")
        regions = QWidget()
        regions.setLayout(
            hbox(self.area_code_picker, self.area_code_picker_2, self.area_code_picker_3)
        )
        self.add_field(
            "Area codes",
            regions,
            "area_codes",
            hint="A single-use launch buys its number in Region 1, else 2, else 3.",
        )
        self.use_case_combo = UseCaseCombo()
        self.use_case_combo.set_use_cases(
            services.numbers.use_cases(actor), draft.use_case_id if draft else None
        )
        self.add_field("Use case", self.use_case_combo, "use_case")
        if draft is not None:
            self.title_edit.setText(draft.title)
            self.script_edit.setPlainText(draft.script)
            for picker, code in zip(self._pickers(), draft.area_codes, strict=False):
                picker.set_area_code(code)
        open_at_width(self, 620)

    def _pickers(self) -> tuple[AreaCodePicker, AreaCodePicker, AreaCodePicker]:
        return (self.area_code_picker, self.area_code_picker_2, self.area_code_picker_3)

    def submit(self) -> None:
        codes = [code for code in (p.area_code() for p in self._pickers()) if code]
        if self._draft is not None:
            self._services.campaigns.edit_draft(
                self._actor,
                self._draft.id,
                title=self.title_edit.text(),
                script=self.script_edit.toPlainText(),
                area_codes=codes,
                use_case_id=self.use_case_combo.use_case_id(),
            )
            self.campaign_saved.emit(self._draft.id)
            return
        campaign_id = self._services.campaigns.create(
            self._actor,
            self.title_edit.text(),
            script=self.script_edit.toPlainText(),
            area_codes=codes,
            use_case_id=self.use_case_combo.use_case_id(),
        )
        self.campaign_created.emit(campaign_id)


class LaunchDialog(FormDialog):
    """C2: launch on a dedicated number (the default) or a single-use one.

    The dedicated drop-down lists only Provisioning Complete numbers with their name and use
    case; when there is none, **Manage** opens the Phone Numbers tab with the add-number dialog.
    Single-use shows the area codes it will try, the expected provisioning time (S6, with the
    day-before advice) and the advisory of C7.

    Signals:
        campaign_launched(CampaignIndexRow): the launch went through.
        manage_numbers_requested(): the admin pressed Manage.
    """

    campaign_launched = Signal(object)
    manage_numbers_requested = Signal()

    def __init__(
        self,
        services: Services,
        actor: Actor,
        simulator: SimulationControl | None,
        campaign: CampaignIndexRow,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Launch {campaign.title}", "launch_dialog", "Launch", parent)
        self._services = services
        self._actor = actor
        self._simulator = simulator
        self._campaign = campaign
        self.options: LaunchOptions = services.campaigns.launch_options(actor, campaign.id)
        self.set_intro(f"Choose the number “{campaign.title}” sends from.")

        self.number_mode_dedicated = QRadioButton(NumberMode.DEDICATED.label)
        self.number_mode_dedicated.setObjectName("number_mode_dedicated")
        self.number_mode_single_use = QRadioButton(NumberMode.SINGLE_USE.label)
        self.number_mode_single_use.setObjectName("number_mode_single_use")
        self._modes = QButtonGroup(self)
        self._modes.addButton(self.number_mode_dedicated)
        self._modes.addButton(self.number_mode_single_use)

        # ---- dedicated
        self.extra.addWidget(self.number_mode_dedicated)
        self.dedicated_panel = QFrame()
        self.dedicated_panel.setObjectName("dedicated_panel")
        dedicated = QVBoxLayout(self.dedicated_panel)
        dedicated.setContentsMargins(26, 0, 0, 6)
        dedicated.setSpacing(5)
        above = QHBoxLayout()
        above.setSpacing(8)
        self.dedicated_hint = label(role="hint", name="dedicated_hint", wrap=True)
        above.addWidget(self.dedicated_hint, 1)
        self.manage_numbers_button = button(
            "Manage",
            "manage_numbers_button",
            icon_name="open",
            tooltip="Open the Phone Numbers tab to add a dedicated number",
        )
        self.manage_numbers_button.setAutoDefault(False)
        above.addWidget(self.manage_numbers_button)
        dedicated.addLayout(above)
        self.dedicated_number_combo = QComboBox()
        self.dedicated_number_combo.setObjectName("dedicated_number_combo")
        for choice in self.options.dedicated_numbers:
            self.dedicated_number_combo.addItem(choice.label, choice.id)
        dedicated.addWidget(self.dedicated_number_combo)
        dedicated.addWidget(
            self.errors.add("dedicated_number", self.dedicated_number_combo, "phone_number")
        )
        self.extra.addWidget(self.dedicated_panel)

        # ---- single-use
        self.extra.addWidget(self.number_mode_single_use)
        # Why single-use cannot be chosen (no area code, U1, N3), before Launch is pressed.
        self.single_use_refusal_label = Notice(
            "danger", "single_use_refusal_label", self.options.single_use_refusal or ""
        )
        self.single_use_refusal_label.setVisible(self.options.single_use_refusal is not None)
        self.number_mode_single_use.setEnabled(self.options.single_use_refusal is None)
        self.extra.addWidget(self.single_use_refusal_label)
        self.single_use_panel = QFrame()
        self.single_use_panel.setObjectName("single_use_panel")
        single = QVBoxLayout(self.single_use_panel)
        single.setContentsMargins(26, 0, 0, 0)
        single.setSpacing(6)
        self.area_codes_label = label(
            preferences_text(self.options.area_codes),
            role="hint",
            name="area_codes_label",
            wrap=True,
        )
        single.addWidget(self.area_codes_label)
        self.use_case_usage_label = label(
            f"Use case {self.options.use_case_usage} numbers: a single-use number takes one."
            if self.options.use_case_usage
            else "No use case chosen.",
            role="hint",
            name="use_case_usage_label",
            wrap=True,
        )
        single.addWidget(self.use_case_usage_label)
        single.addWidget(self.errors.add("area_codes", self.area_codes_label, "use_case"))
        self.launch_mode_label = label(role="hint", name="launch_mode_label", wrap=True)
        self.launch_mode_label.setText(
            "The campaign stays Launching until its number is Provisioning Complete, then "
            "becomes Active."
            if self.options.provisioning_based_launching
            else "Provisioning-based launching is off: the campaign is Active at once while its "
            "number still provisions. Wait 10 minutes after launching before sending; until the "
            "number is Provisioning Complete, what is sent is marked at risk and costs a "
            "surcharge."
        )
        single.addWidget(self.launch_mode_label)
        self.estimate_label = Notice("notice", "estimate_label")
        single.addWidget(self.estimate_label)
        self.advice_label = Notice("warning", "advice_label")
        single.addWidget(self.advice_label)
        self.advisory_label = Notice("warning", "advisory_label")
        single.addWidget(self.advisory_label)
        self.extra.addWidget(self.single_use_panel)
        self.extra.addWidget(self.errors.add("number_mode", self.number_mode_dedicated))

        manage = self.options.manage_needed
        self.manage_numbers_button.setVisible(manage)
        self.dedicated_number_combo.setEnabled(not manage)
        self.dedicated_hint.setText(
            "No dedicated number is Provisioning Complete yet. Add one, or launch on a "
            "single-use number."
            if manage
            else "Active at once: a complete dedicated number needs no provisioning wait."
        )
        if manage:
            self.dedicated_number_combo.setPlaceholderText("No complete dedicated number")

        self.number_mode_dedicated.setChecked(self.options.default_mode is NumberMode.DEDICATED)
        self.number_mode_single_use.setChecked(self.options.default_mode is NumberMode.SINGLE_USE)
        self._modes.buttonToggled.connect(self._on_modes_button_toggled)
        self.manage_numbers_button.clicked.connect(self._on_manage_numbers_button_clicked)
        self._timer = QTimer(self)
        self._timer.setInterval(ESTIMATE_REFRESH_MS)
        self._timer.timeout.connect(self.refresh_estimate)
        self._timer.start()
        self.finished.connect(self._timer.stop)
        self._update_mode()
        self.refresh_estimate()
        open_at_width(self, 600)

    def mode(self) -> NumberMode:
        if self.number_mode_single_use.isChecked():
            return NumberMode.SINGLE_USE
        return NumberMode.DEDICATED

    @Slot()
    def refresh_estimate(self) -> None:
        """S6: p50–p90 for a number bought now, and the day-before advice against the start."""
        if self._simulator is None:
            self.estimate_label.setText("Provisioning time cannot be estimated: no simulator.")
            self.advice_label.hide()
            return
        estimate = self._simulator.estimate(self._actor.account_id)
        if self.options.provisioning_based_launching:
            self.estimate_label.setText(estimate_sentence(estimate) + " for a number bought now.")
        else:
            # C5: the campaign does not wait for this time; its number's own provisioning does.
            self.estimate_label.setText(
                estimate_sentence(estimate) + " for the number: the campaign does not wait for "
                "it, but sending before it ends is at risk (M2)."
            )
        advice = None
        if isinstance(estimate, ProvisioningEstimate):
            now = self._services.clock.now()
            advice = day_before_advice(estimate, self._campaign.start_at, now)
        self.advice_label.setText(advice or "")
        self.advice_label.setVisible(bool(advice) and self.mode() is NumberMode.SINGLE_USE)

    def _update_mode(self) -> None:
        single = self.mode() is NumberMode.SINGLE_USE
        self.dedicated_panel.setEnabled(not single)
        self.single_use_panel.setVisible(single)
        self.advisory_label.setText(self.options.advisory or "")
        self.advisory_label.setVisible(single and bool(self.options.advisory))
        self.advice_label.setVisible(single and bool(self.advice_label.text()))
        self.fit_height()

    @Slot(QAbstractButton, bool)
    def _on_modes_button_toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked:
            self.errors.clear()
            self._update_mode()

    @Slot()
    def _on_manage_numbers_button_clicked(self) -> None:
        self.reject()
        self.manage_numbers_requested.emit()

    def submit(self) -> None:
        mode = self.mode()
        number_id = (
            self.dedicated_number_combo.currentData() if mode is NumberMode.DEDICATED else None
        )
        row = self._services.campaigns.launch(
            self._actor,
            self._campaign.id,
            mode,
            number_id if isinstance(number_id, int) else None,
        )
        self.campaign_launched.emit(row)
