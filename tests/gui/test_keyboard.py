"""The window by keyboard (UI.md "Everywhere"): Tab moves on from a message box, the filter box
keeps a row chosen and leads to the rows with Down or Enter, and Space is the clock's on the
toolbar.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QPushButton, QToolButton
from pytestqt.qtbot import QtBot

from tests.gui.conftest import NewDraft
from tests.gui.helpers import child, click_named, select, type_text, wait_dialog
from thrudesk.services.clock import ManualClock, ScaledClock
from thrudesk.services.container import Services
from thrudesk.services.starter import StarterAccount
from thrudesk.services.store import Store
from thrudesk.views import theme
from thrudesk.views.main_window import MainWindow


def test_tab_in_the_script_moves_on_and_types_no_tab(qtbot: QtBot, window: MainWindow) -> None:
    window.tabs.setCurrentIndex(1)
    click_named(qtbot, window, "new_campaign_button")
    dialog = wait_dialog(qtbot, window, "new_campaign_dialog")
    dialog.activateWindow()
    script = child(dialog, QPlainTextEdit, "script_edit")
    script.setFocus()
    type_text(script, "Hi")
    QTest.keyClick(script, Qt.Key.Key_Tab)
    assert script.toPlainText() == "Hi"
    assert not script.hasFocus()
    assert dialog.focusWidget() is not script


def test_typing_a_filter_keeps_a_row_chosen_and_down_goes_to_the_rows(
    qtbot: QtBot, window: MainWindow, new_draft: NewDraft
) -> None:
    window.tabs.setCurrentIndex(1)
    tab = window.campaigns_tab
    spring = new_draft("Spring canvass")
    new_draft("Summer picnic")
    autumn = new_draft("Autumn canvass")
    tab.model.requery()
    select(qtbot, tab.table, spring)
    edit_button = child(tab, QPushButton, "launch_button")
    assert edit_button.isEnabled()
    search = child(tab, QLineEdit, "campaign_filter_edit")
    type_text(search, "canvass")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2)
    # The row chosen is still chosen, and its actions stay at hand.
    chosen = tab.selected_campaign()
    assert chosen is not None
    assert chosen.id == spring
    assert edit_button.isEnabled()
    search.clear()
    type_text(search, "autumn")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    # The chosen row left the filter: the first row shown is chosen instead.
    chosen = tab.selected_campaign()
    assert chosen is not None
    assert chosen.id == autumn
    search.setFocus()
    QTest.keyClick(search, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is tab.table or tab.table.hasFocus()


def test_space_on_a_toolbar_button_pauses_and_resumes_the_clock(
    qtbot: QtBot,
    thrudesk_store: Store,
    thrudesk_account: StarterAccount,
    themed: theme.ThemeManager,
) -> None:
    clock = ScaledClock(ManualClock().now(), speed=60.0)
    window = MainWindow(Services(thrudesk_store, clock), None, thrudesk_account.actor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    jump = child(window, QToolButton, "clock_jump_button")
    jump.setFocus()
    qtbot.waitUntil(jump.hasFocus)
    window.space_shortcut.activated.emit()  # Space
    assert _paused(clock)
    window.space_shortcut.activated.emit()
    assert not _paused(clock)
    window.shutdown()


def _paused(clock: ScaledClock) -> bool:
    return clock.paused
