"""The toolbar's simulation controls: pause/resume, speed, jump to a date, scenario (S1, S5)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, QSize, Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QToolButton, QWidget

from thrudesk.services.clock import SPEEDS, Clock, ManualClock, ScaledClock
from thrudesk.services.errors import InvalidInput
from thrudesk.services.rows import Scenario
from thrudesk.views import theme
from thrudesk.views.aio import async_slot
from thrudesk.views.form_dialog import FormDialog
from thrudesk.views.inputs import date_time_edit, local_date_time, set_local_date_time
from thrudesk.views.simulation import SimulationControl
from thrudesk.views.widgets import confirm, open_at_width

# Scenarios that write to the store when they begin: the admin is told what stays.
STORE_CHANGING: dict[Scenario, str] = {
    Scenario.USE_CASE_NEAR_LIMIT: "Earlier single-use campaigns are added until each account's "
    "first use case holds 47 of its 49 numbers. They stay in the store after the scenario "
    "ends; archive them to free the slots.",
}


def speed_text(speed: float) -> str:
    return f"{speed:g}×"


class SteadyToolButton(QToolButton):
    """A tool button as wide as it is with the widest of the texts it shows in turn, so that
    changing its text moves nothing beside it.
    """

    def __init__(self, texts: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts = tuple(texts)

    def sizeHint(self) -> QSize:
        # The minimum size hint of a tool button is this size hint.
        hint = super().sizeHint()
        metrics = self.fontMetrics()

        def width(text: str) -> int:
            return metrics.size(Qt.TextFlag.TextShowMnemonic, text).width()

        extra = max(width(text) for text in self._texts) - width(self.text())
        return QSize(hint.width() + max(0, extra), hint.height())


class JumpDialog(FormDialog):
    """Jump the simulated clock forward to a date and time (in the account's time zone)."""

    def __init__(self, clock: Clock, timezone: str, parent: QWidget | None = None) -> None:
        super().__init__("Jump to a date and time", "jump_dialog", "Jump", parent)
        self._clock = clock
        self._timezone = timezone
        self.set_intro(
            "Everything due on the way happens in order: carrier answers, support requests, "
            "auto-archiving."
        )
        self.jump_datetime_edit = date_time_edit("jump_datetime_edit")
        self.set_target(clock.now() + timedelta(hours=1))
        self.add_field(
            "Simulated time",
            self.jump_datetime_edit,
            "clock",
            hint=f"In the account's time zone ({timezone}). The clock only moves forward.",
        )
        open_at_width(self, 460)

    def set_target(self, moment: datetime) -> None:
        set_local_date_time(self.jump_datetime_edit, moment, self._timezone)

    def target(self) -> datetime:
        return local_date_time(self.jump_datetime_edit, self._timezone)

    def submit(self) -> None:
        target = self.target()
        if isinstance(self._clock, ScaledClock | ManualClock):
            self._clock.jump_to(target)
            return
        raise InvalidInput("The clock follows real time and cannot jump.", field="clock")


class SimulationControls(QObject):
    """Builds and keeps in step the toolbar's clock and scenario widgets.

    Signals:
        jump_requested(): the admin pressed Jump (the window opens the dialog).
    """

    jump_requested = Signal()

    def __init__(
        self,
        clock: Clock,
        simulator: SimulationControl | None,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._clock = clock
        self._simulator = simulator
        # The pause state the button shows (None: to be shown afresh, after a theme change).
        self._shown_paused: bool | None = None
        self.pause_button = SteadyToolButton(("Pause", "Resume"), parent)
        self.pause_button.setObjectName("clock_pause_button")
        self.pause_button.setCheckable(True)
        self.pause_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.speed_combo = QComboBox(parent)
        self.speed_combo.setObjectName("clock_speed_combo")
        self.speed_combo.setToolTip("How fast simulated time runs")
        self.speed_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for speed in SPEEDS:
            self.speed_combo.addItem(speed_text(speed), speed)
        self.jump_button = QToolButton(parent)
        self.jump_button.setObjectName("clock_jump_button")
        self.jump_button.setText("Jump…")
        self.jump_button.setToolTip("Jump the simulated clock to a date and time")
        self.jump_button.setProperty("icon_name", "jump")
        self.jump_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.scenario_combo = QComboBox(parent)
        self.scenario_combo.setObjectName("scenario_combo")
        self.scenario_combo.setToolTip("The simulated carriers' situation (S5)")
        self.scenario_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for scenario in Scenario:
            self.scenario_combo.addItem(scenario.label, scenario.value)
        self.retheme()
        self.refresh()
        self.pause_button.clicked.connect(self._on_pause_button_clicked)
        self.speed_combo.activated.connect(self._on_speed_combo_activated)
        self.jump_button.clicked.connect(self.jump_requested)
        self.scenario_combo.activated.connect(self._on_scenario_combo_activated)

    @property
    def clock(self) -> Clock:
        return self._clock

    def retheme(self) -> None:
        self.jump_button.setIcon(theme.icon("jump"))
        self._shown_paused = None
        self._show_pause_state()

    def refresh(self) -> None:
        """Show the clock's and the simulator's current state (after any change of either)."""
        scaled = isinstance(self._clock, ScaledClock)
        self.pause_button.setEnabled(scaled)
        self.speed_combo.setEnabled(scaled)
        self.jump_button.setEnabled(isinstance(self._clock, ScaledClock | ManualClock))
        if not scaled:
            reason = (
                "The manual clock moves only when told"
                if isinstance(self._clock, ManualClock)
                else "The clock follows real time"
            )
            self.pause_button.setToolTip(reason)
            self.speed_combo.setToolTip(reason)
        index = self.speed_combo.findData(self._clock.speed)
        if index < 0:
            self.speed_combo.addItem(speed_text(self._clock.speed), self._clock.speed)
            index = self.speed_combo.count() - 1
        self.speed_combo.setCurrentIndex(index)
        self._show_pause_state()
        self.scenario_combo.setEnabled(self._simulator is not None)
        if self._simulator is not None:
            position = self.scenario_combo.findData(self._simulator.scenario.value)
            if position >= 0:
                self.scenario_combo.setCurrentIndex(position)

    @Slot()
    def toggle_pause(self) -> None:
        if isinstance(self._clock, ScaledClock):
            self._clock.toggle_pause()
            self.refresh()

    def _show_pause_state(self) -> None:
        paused = self._clock.paused
        self.pause_button.setChecked(paused)
        if paused == self._shown_paused:
            # Setting even the same icon lays the toolbar and the window out again, and this
            # runs at every live update (QUALITY.md P2).
            return
        self._shown_paused = paused
        self.pause_button.setText("Resume" if paused else "Pause")
        self.pause_button.setIcon(theme.icon("play" if paused else "pause"))
        if isinstance(self._clock, ScaledClock):
            self.pause_button.setToolTip(
                "Resume simulated time (Space)" if paused else "Pause simulated time (Space)"
            )

    @Slot()
    def _on_pause_button_clicked(self) -> None:
        self.toggle_pause()

    @Slot(int)
    def _on_speed_combo_activated(self, index: int) -> None:
        speed = self.speed_combo.itemData(index)
        if isinstance(self._clock, ScaledClock) and isinstance(speed, float | int):
            self._clock.set_speed(float(speed))
        self.refresh()

    @async_slot(int)
    async def _on_scenario_combo_activated(self, index: int) -> None:
        if self._simulator is None:
            return
        scenario = Scenario(self.scenario_combo.itemData(index))
        if scenario is self._simulator.scenario:
            return
        if scenario in STORE_CHANGING and not await confirm(
            self._parent,
            "Switch scenario",
            f"Switch to “{scenario.label}”?",
            "Switch scenario",
            informative=STORE_CHANGING[scenario],
        ):
            self.refresh()  # back to the scenario that runs
            return
        self._simulator.set_scenario(scenario)
        self.refresh()
