"""Finding and driving the window's widgets by ``objectName``, as a tester would."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QAbstractItemModel, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QLabel,
    QMessageBox,
    QTableView,
    QWidget,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from thrudesk.views.area_code_picker import AreaCodePicker
from thrudesk.views.badges import Tag
from thrudesk.views.main_window import MainWindow
from thrudesk.views.roles import ID_ROLE, TAGS_ROLE

if TYPE_CHECKING:
    # The window builds Campaign Details when it is first shown; so do the tests.
    from thrudesk.views.campaign_details import CampaignDetailsTab

W = TypeVar("W", bound=QWidget)
TIMEOUT_MS = 3000


def child(parent: QWidget, kind: type[W], name: str) -> W:
    """The descendant of ``parent`` named ``name`` (the test fails when there is none)."""
    found = parent.findChild(kind, name)
    assert found is not None, f"no {kind.__name__} named {name!r}"
    return found


def open_dialog(parent: QWidget, name: str) -> QDialog | None:
    for dialog in parent.findChildren(QDialog, name):
        if dialog.isVisible():
            return dialog
    return None


def wait_dialog(qtbot: QtBot, parent: QWidget, name: str) -> QDialog:
    """Wait until the dialog named ``name`` is open, and answer it."""
    qtbot.waitUntil(lambda: open_dialog(parent, name) is not None, timeout=TIMEOUT_MS)
    dialog = open_dialog(parent, name)
    assert dialog is not None
    return dialog


def menu_action(window: QWidget, name: str) -> QAction:
    """The window's menu action named ``name`` (the test fails when there is none)."""
    action = window.findChild(QAction, name)
    assert action is not None, f"no action named {name!r}"
    return action


def open_from_menu(qtbot: QtBot, window: QWidget, action_name: str, dialog_name: str) -> QDialog:
    """Choose the menu item, as an admin would, and answer the dialog it opens."""
    menu_action(window, action_name).trigger()
    return wait_dialog(qtbot, window, dialog_name)


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    assert button.isVisible(), f"{button.objectName()} is not visible"
    assert button.isEnabled(), f"{button.objectName()} is disabled: {button.toolTip()}"
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def click_at(widget: QWidget, position: QPoint) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, position)


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` key by key into ``widget``."""
    QTest.keyClicks(widget, text)


def type_area_code(picker: AreaCodePicker, text: str) -> None:
    """Type into an area-code picker and close its suggestions, as a click elsewhere would."""
    QTest.keyClicks(picker, text)
    popup = picker.completer().popup()
    if popup is not None:
        popup.hide()


def check_model(tester: ModelTester, model: QAbstractItemModel) -> None:
    """pytest-qt's model tester, attached for the rest of the test."""
    tester.check(model)  # type: ignore[no-untyped-call]


def click_named(qtbot: QtBot, parent: QWidget, name: str) -> None:
    click(qtbot, child(parent, QAbstractButton, name))


def answer_confirmation(qtbot: QtBot, parent: QWidget, *, accept: bool = True) -> str:
    """Answer the open "are you sure" box; answers its question."""
    box = wait_dialog(qtbot, parent, "confirm_dialog")
    assert isinstance(box, QMessageBox)
    question = box.text()
    click_named(qtbot, box, "confirm_accept_button" if accept else "confirm_cancel_button")
    return question


def row_of(table: QTableView, row_id: int) -> int | None:
    model = table.model()
    for position in range(model.rowCount()):
        if model.index(position, 0).data(ID_ROLE) == row_id:
            return position
    return None


def cell_text(table: QTableView, row_id: int, title: str) -> str:
    model = table.model()
    position = row_of(table, row_id)
    assert position is not None, f"row {row_id} is not in {table.objectName()}"
    return str(model.index(position, column_of(table, title)).data())


def cell_tags(table: QTableView, row_id: int, title: str) -> tuple[Tag, ...]:
    model = table.model()
    position = row_of(table, row_id)
    assert position is not None, f"row {row_id} is not in {table.objectName()}"
    tags = model.index(position, column_of(table, title)).data(TAGS_ROLE)
    return tuple(tags or ())


def cell_tooltip(table: QTableView, row_id: int, title: str) -> str:
    model = table.model()
    position = row_of(table, row_id)
    assert position is not None
    return str(model.index(position, column_of(table, title)).data(Qt.ItemDataRole.ToolTipRole))


def column_of(table: QTableView, title: str) -> int:
    model = table.model()
    for column in range(model.columnCount()):
        if model.headerData(column, Qt.Orientation.Horizontal) == title:
            return column
    raise AssertionError(f"{table.objectName()} has no column {title!r}")


def select(qtbot: QtBot, table: QTableView, row_id: int) -> None:
    """Click the row, as an admin would."""
    position = row_of(table, row_id)
    assert position is not None, f"row {row_id} is not in {table.objectName()}"
    index = table.model().index(position, 0)
    table.scrollTo(index)
    click_at(table.viewport(), table.visualRect(index).center())
    assert table.selectionModel().isRowSelected(position)


def campaigns_table(window: MainWindow) -> QTableView:
    """The table of the Campaigns tab."""
    return child(window, QTableView, "campaigns_table")


def select_campaign(qtbot: QtBot, window: MainWindow, campaign_id: int) -> QTableView:
    """Show the Campaigns tab and click the campaign's row once it is listed; answers the table."""
    table = campaigns_table(window)
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: row_of(table, campaign_id) is not None)
    select(qtbot, table, campaign_id)
    return table


def show_details(window: MainWindow, campaign_id: int) -> CampaignDetailsTab:
    """Open the campaign in Campaign Details; answers the tab."""
    window.show_campaign_details(campaign_id)
    return window.campaign_details_tab


def shown_text(label: QLabel) -> str:
    """The label's text if it is shown, else empty: what the admin sees."""
    return label.text() if label.isVisible() else ""
