"""Every dialog opens with the focus on its first field (UI.md "Everywhere"): typing goes into
the form at once, and Space or Enter cannot submit an empty one.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QRadioButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.gui.every_dialog import every_dialog
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount
from thrudesk.views.main_window import MainWindow


def _first_field(dialog: QWidget) -> QWidget | None:
    """The first control of the dialog's tab order that takes the focus and is not one of its
    buttons (a check box or a radio button is a field).
    """
    widget = dialog.nextInFocusChain()
    while widget is not None and widget is not dialog:
        takes_focus = bool(widget.focusPolicy() & widget.focusPolicy().TabFocus)
        button = isinstance(widget, QAbstractButton) and not isinstance(
            widget, QCheckBox | QRadioButton
        )
        if (
            takes_focus
            and widget.isVisibleTo(dialog)
            and widget.isEnabled()
            and not button
            and dialog.isAncestorOf(widget)
        ):
            return widget
        widget = widget.nextInFocusChain()
    return None


def test_every_dialog_opens_with_the_focus_on_its_first_field(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    wrong: dict[str, str] = {}
    seen: set[int] = set()
    for dialog in every_dialog(
        qtbot, window, thrudesk_services, thrudesk_simulator, thrudesk_account, sim_clock
    ):
        if id(dialog) in seen:
            continue  # met again later, after the test typed into it
        seen.add(id(dialog))
        QApplication.processEvents()
        first = _first_field(dialog)
        if first is None:
            continue  # a dialog with nothing to fill in (a report)
        focused = dialog.focusWidget()
        if focused is not first and not (focused is not None and first.isAncestorOf(focused)):
            got = "nothing" if focused is None else focused.objectName() or type(focused).__name__
            wrong[dialog.objectName()] = f"{got}, not {first.objectName() or type(first).__name__}"
    assert not wrong, wrong
