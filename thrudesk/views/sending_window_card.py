"""Campaign Details, Sending window (C11): start date (only to the future), end date (extend it),
sending hours and their timezone, each edited in place with its refusal beside it; whether the
window is open now and how many initial messages are held until it opens.
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QWidget,
)

from thrudesk.services import campaign_rules
from thrudesk.services.container import Services
from thrudesk.services.errors import ThrudeskError
from thrudesk.services.rows import CampaignStatus
from thrudesk.services.sending_window import SendingWindowRow, WindowStatus
from thrudesk.services.unit_of_work import Actor
from thrudesk.views import formatting
from thrudesk.views.campaign_dialogs import preferences_text
from thrudesk.views.inline_edit import InlineEditor
from thrudesk.views.inputs import (
    TimeCombo,
    date_time_edit,
    local_date_time,
    set_local_date_time,
    zone_names,
)
from thrudesk.views.widgets import Card, label

# The card's word for a campaign that sends nothing (campaign_rules.not_sending_reason says why).
NOT_SENDING_WORDS = {
    CampaignStatus.DRAFT: "Not launched",
    CampaignStatus.LAUNCHING: "Waiting",
    CampaignStatus.PAUSED: "Paused",
    CampaignStatus.ARCHIVED: "Closed",
}


def held_text(window: SendingWindowRow) -> str:
    """How many initial messages wait for the window, and until when."""
    if window.held == 0:
        return "None"
    text = formatting.plural(window.held, "initial message")
    verb = "goes" if window.held == 1 else "go"
    if window.state.opens_at is not None:
        when = formatting.date_time(window.state.opens_at, window.timezone, year=True)
        return f"{text} {verb} out when the window opens, {when}"
    return f"{text} {verb} out when the window opens"


class SendingWindowCard(Card):
    """The sending window of one campaign, editable in place.

    Signals:
        window_changed(): the admin saved a change (the tab reads the campaign again).
    """

    window_changed = Signal()

    def __init__(
        self, services: Services, actor: Actor, timezone: str, parent: QWidget | None = None
    ) -> None:
        super().__init__("Sending window", "sending_window_card", parent)
        self._services = services
        self._actor = actor
        self._account_timezone = timezone
        self._campaign_id: int | None = None
        self._window: SendingWindowRow | None = None

        self.state_label = label(role="muted", name="window_state_label")
        self.header_actions.addWidget(self.state_label)

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)

        self.start_date_edit = date_time_edit("start_date_edit")
        self.start_editor = InlineEditor("start_date", self.start_date_edit, "start_at_error")

        end = QWidget()
        end_row = QHBoxLayout(end)
        end_row.setContentsMargins(0, 0, 0, 0)
        end_row.setSpacing(8)
        self.end_date_edit = date_time_edit("end_date_edit")
        self.no_end_date_check = QCheckBox("No end date")
        self.no_end_date_check.setObjectName("no_end_date_check")
        end_row.addWidget(self.end_date_edit, 1)
        end_row.addWidget(self.no_end_date_check)
        self.end_editor = InlineEditor("end_date", end, "end_at_error")

        hours = QWidget()
        hours_row = QHBoxLayout(hours)
        hours_row.setContentsMargins(0, 0, 0, 0)
        hours_row.setSpacing(6)
        self.hours_start_combo = TimeCombo("hours_start_combo")
        self.hours_end_combo = TimeCombo("hours_end_combo")
        hours_row.addWidget(self.hours_start_combo, 1)
        hours_row.addWidget(label("to", "muted"))
        hours_row.addWidget(self.hours_end_combo, 1)
        self.hours_editor = InlineEditor("sending_hours", hours, "sending_hours_error")

        self.timezone_combo = QComboBox()
        self.timezone_combo.setObjectName("timezone_combo")
        self.timezone_combo.setMaxVisibleItems(16)
        self.timezone_editor = InlineEditor("timezone", self.timezone_combo, "timezone_error")

        self.area_codes_value = label(name="area_codes_value", wrap=True)
        self.held_value = label(name="held_value", wrap=True)
        self.window_state_value = label(role="hint", name="window_state_value", wrap=True)

        rows: list[tuple[str, QWidget]] = [
            ("Start date", self.start_editor),
            ("End date", self.end_editor),
            ("Sending hours", self.hours_editor),
            ("Time zone", self.timezone_editor),
            ("Area codes", self.area_codes_value),
            ("Held", self.held_value),
        ]
        for position, (caption, widget) in enumerate(rows):
            caption_label = label(caption, "caption")
            caption_label.setMinimumHeight(self.start_editor.change_button.sizeHint().height())
            grid.addWidget(caption_label, position, 0, alignment=Qt.AlignmentFlag.AlignTop)
            grid.addWidget(widget, position, 1)
        # The read-only rows as tall as the editable ones, so the values sit evenly spaced.
        row_height = self.start_editor.change_button.sizeHint().height()
        for value in (self.area_codes_value, self.held_value):
            value.setMinimumHeight(row_height)
        self.body.addLayout(grid)
        self.body.addWidget(self.window_state_value)

        self.start_date_value = self.start_editor.value_label
        self.end_date_value = self.end_editor.value_label
        self.sending_hours_value = self.hours_editor.value_label
        self.timezone_value = self.timezone_editor.value_label

        self.start_editor.edit_started.connect(self._on_start_editor_edit_started)
        self.start_editor.save_requested.connect(self._on_start_editor_save_requested)
        self.end_editor.edit_started.connect(self._on_end_editor_edit_started)
        self.end_editor.save_requested.connect(self._on_end_editor_save_requested)
        self.hours_editor.edit_started.connect(self._on_hours_editor_edit_started)
        self.hours_editor.save_requested.connect(self._on_hours_editor_save_requested)
        self.timezone_editor.edit_started.connect(self._on_timezone_editor_edit_started)
        self.timezone_editor.save_requested.connect(self._on_timezone_editor_save_requested)
        self.no_end_date_check.toggled.connect(self._on_no_end_date_check_toggled)

    # ------------------------------------------------------------------ public
    @property
    def sending_window(self) -> SendingWindowRow | None:
        return self._window

    def set_account(self, actor: Actor, timezone: str) -> None:
        self._actor = actor
        self._account_timezone = timezone

    def show_window(
        self,
        window: SendingWindowRow,
        *,
        title: str,
        status: CampaignStatus,
        area_codes: tuple[str, ...],
    ) -> None:
        """Show the campaign's window; switching to another campaign closes any open editor."""
        if window.campaign_id != self._campaign_id:
            for editor in self._editors():
                editor.finish()
        self._campaign_id = window.campaign_id
        self._window = window
        tz = window.timezone
        self.start_editor.set_value(
            formatting.date_time(window.start_at, tz, year=True)
            if window.start_at
            else "Now, when the campaign launches"
        )
        self.end_editor.set_value(
            formatting.date_time(window.end_at, tz, year=True) if window.end_at else "None"
        )
        self.hours_editor.set_value(f"{window.hours_start:%H:%M}–{window.hours_end:%H:%M}")
        self.timezone_editor.set_value(
            f"{tz} (the account's)" if window.timezone_is_account_default else tz
        )
        self.area_codes_value.setText(preferences_text(area_codes))
        self.held_value.setText(held_text(window))
        refusal = campaign_rules.change_refusal(title, status)
        for editor in self._editors():
            editor.set_editable(refusal is None, refusal or "")
        self._show_state(window, status)

    # ------------------------------------------------------------------ state
    def _show_state(self, window: SendingWindowRow, status: CampaignStatus) -> None:
        state = window.state
        # A campaign that is not Active sends nothing, whatever the window says (M1).
        reason = campaign_rules.not_sending_reason(status)
        if reason is not None:
            word, text = NOT_SENDING_WORDS[status], reason
        elif state.status is WindowStatus.OPEN:
            word, text = "Open", state.message
        elif state.status is WindowStatus.ENDED:
            word, text = "Ended", state.message
        else:
            word, text = "Closed", state.message
        self.state_label.setText(word)
        self.window_state_value.setText(text)

    def _editors(self) -> tuple[InlineEditor, ...]:
        return (self.start_editor, self.end_editor, self.hours_editor, self.timezone_editor)

    def _save(self, editor: InlineEditor, action: str) -> None:
        campaign_id = self._campaign_id
        if campaign_id is None:
            return
        service = self._services.sending_window
        try:
            if action == "start":
                service.set_start(
                    self._actor, campaign_id, local_date_time(self.start_date_edit, self._tz())
                )
            elif action == "end":
                service.set_end(
                    self._actor,
                    campaign_id,
                    None
                    if self.no_end_date_check.isChecked()
                    else local_date_time(self.end_date_edit, self._tz()),
                )
            elif action == "hours":
                service.set_sending_hours(
                    self._actor,
                    campaign_id,
                    self.hours_start_combo.time(),
                    self.hours_end_combo.time(),
                )
            else:
                zone = self.timezone_combo.currentData()
                service.set_timezone(
                    self._actor, campaign_id, zone if isinstance(zone, str) else None
                )
        except ThrudeskError as error:
            editor.refuse(error.message)
            return
        editor.finish()
        self.window_changed.emit()

    def _tz(self) -> str:
        return self._window.timezone if self._window else formatting.EASTERN

    # ------------------------------------------------------------------ handlers
    @Slot()
    def _on_start_editor_edit_started(self) -> None:
        window = self._window
        now = self._services.clock.now()
        # A start in the past cannot be kept; offer the next round hour as a starting point.
        suggested = (
            window.start_at if window and window.start_at and window.start_at > now else None
        )
        if suggested is None:
            suggested = (now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
        set_local_date_time(self.start_date_edit, suggested, self._tz())

    @Slot()
    def _on_start_editor_save_requested(self) -> None:
        self._save(self.start_editor, "start")

    @Slot()
    def _on_end_editor_edit_started(self) -> None:
        window = self._window
        now = self._services.clock.now()
        end = window.end_at if window else None
        base = end if end is not None else max(now, (window.start_at if window else None) or now)
        set_local_date_time(self.end_date_edit, end or base + timedelta(days=7), self._tz())
        self.no_end_date_check.setChecked(False)

    @Slot()
    def _on_end_editor_save_requested(self) -> None:
        self._save(self.end_editor, "end")

    @Slot(bool)
    def _on_no_end_date_check_toggled(self, checked: bool) -> None:
        self.end_date_edit.setEnabled(not checked)

    @Slot()
    def _on_hours_editor_edit_started(self) -> None:
        if self._window is not None:
            self.hours_start_combo.set_time(self._window.hours_start)
            self.hours_end_combo.set_time(self._window.hours_end)

    @Slot()
    def _on_hours_editor_save_requested(self) -> None:
        self._save(self.hours_editor, "hours")

    @Slot()
    def _on_timezone_editor_edit_started(self) -> None:
        combo = self.timezone_combo
        window = self._window
        if combo.count() == 0:
            combo.addItem("", None)
            for name in zone_names():
                combo.addItem(name, name)
        combo.setItemText(0, f"The account's ({self._account_timezone})")
        if window is not None and not window.timezone_is_account_default:
            combo.setCurrentIndex(max(0, combo.findData(window.timezone)))
        else:
            combo.setCurrentIndex(0)

    @Slot()
    def _on_timezone_editor_save_requested(self) -> None:
        self._save(self.timezone_editor, "timezone")
