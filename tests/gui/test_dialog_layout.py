"""Every dialog opens at a size that shows all its text, wrapped hints whole and no empty band,
and keeps its width when a part of it is shown or hidden.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDateTimeEdit, QLabel, QWidget
from pytestqt.qtbot import QtBot

from tests.gui.every_dialog import every_dialog
from tests.gui.helpers import child, click_named, wait_dialog
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount
from thrudesk.views.form_dialog import FormDialog
from thrudesk.views.main_window import MainWindow

# What a form dialog may stand taller than its contents need (rounding between the layouts).
SLACK_PX = 8


def _cut_labels(dialog: QWidget) -> list[str]:
    """The wrapped labels shown shorter than their text needs at their width."""
    cut = []
    for text in dialog.findChildren(QLabel):
        if text.isVisible() and text.wordWrap() and text.text():
            needed = text.heightForWidth(text.width())
            if text.height() < needed:
                cut.append(f"{text.text()[:40]!r}: {text.height()} of {needed} px")
    return cut


def test_every_dialog_is_as_tall_as_its_wrapped_text_and_keeps_its_width(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    problems: dict[str, list[str]] = {}
    opened: tuple[QWidget, int] | None = None
    checked = 0
    for dialog in every_dialog(
        qtbot, window, thrudesk_services, thrudesk_simulator, thrudesk_account, sim_clock
    ):
        QApplication.processEvents()
        checked += 1
        found = _cut_labels(dialog)
        layout = dialog.layout()
        if isinstance(dialog, FormDialog) and layout is not None:
            needed = layout.totalHeightForWidth(dialog.width())
            if needed > 0 and dialog.height() > needed + SLACK_PX:
                found.append(f"{dialog.height()} px tall where {needed} px hold it all")
        if opened is not None and opened[0] is dialog and dialog.width() != opened[1]:
            found.append(f"{opened[1]} px wide when opened, {dialog.width()} px now")
        if opened is None or opened[0] is not dialog:
            opened = (dialog, dialog.width())  # a dialog is met again while it stays open
        if found:
            problems.setdefault(dialog.objectName(), []).extend(found)
    assert checked >= 15
    assert not problems, "\n".join(f"{name}: {'; '.join(seen)}" for name, seen in problems.items())


def test_a_refusal_shows_whole_under_its_field_and_the_dialog_keeps_its_width(
    qtbot: QtBot, window: MainWindow
) -> None:
    click_named(qtbot, window, "clock_jump_button")
    dialog = wait_dialog(qtbot, window, "jump_dialog")
    width, height = dialog.width(), dialog.height()
    edit = child(dialog, QDateTimeEdit, "jump_datetime_edit")
    edit.setDateTime(edit.dateTime().addSecs(-2 * 3600))  # an hour before now
    click_named(qtbot, dialog, "accept_button")
    QApplication.processEvents()
    error = child(dialog, QLabel, "clock_error")
    assert error.isVisible()
    assert "only moves forward" in error.text()
    assert _cut_labels(dialog) == []
    assert dialog.width() == width
    assert dialog.height() > height
