"""The tester's window fixture, the About dialog and the application icon."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QLabel, QMenu
from pytestqt.qtbot import QtBot

from tests.gui.helpers import child, click_named, wait_dialog
from thrudesk import __version__
from thrudesk.app import _about_facts
from thrudesk.paths import profile_paths
from thrudesk.services.container import Services
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount
from thrudesk.services.store import Store, open_store, url_for_path
from thrudesk.testing import WINDOW_SIZE
from thrudesk.views.about import NO_LOG_FILE, AboutDialog, AboutFacts, app_icon
from thrudesk.views.main_window import MainWindow

SELECTABLE = (
    Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
)


def _help_about(window: MainWindow) -> QAction:
    for menu in window.menuBar().findChildren(QMenu):
        for action in menu.actions():
            if action.text().replace("&", "") == "About thrudesk":
                return action
    raise AssertionError("no Help → About thrudesk in the menu bar")


def test_thrudesk_window_shows_the_account_as_its_admin_on_the_manual_clock(
    thrudesk_window: MainWindow, thrudesk_account: StarterAccount
) -> None:
    handle = thrudesk_window.windowHandle()
    assert handle is not None
    assert handle.isExposed()
    assert thrudesk_window.size() == QSize(*WINDOW_SIZE)
    assert thrudesk_window.actor == thrudesk_account.actor
    assert thrudesk_window.windowTitle() == "Test Organisation — thrudesk"
    assert child(thrudesk_window, QLabel, "status_speed_label").text() == "Manual clock"
    assert thrudesk_window.tabs.tabText(thrudesk_window.tabs.currentIndex()) == "Phone Numbers"


def test_about_dialog_shows_the_version_and_the_store_and_settings_paths(
    qtbot: QtBot, thrudesk_window: MainWindow, thrudesk_store: Store, tmp_path: Path
) -> None:
    _help_about(thrudesk_window).trigger()
    dialog = wait_dialog(qtbot, thrudesk_window, "about_dialog")
    assert isinstance(dialog, AboutDialog)

    version = child(dialog, QLabel, "about_version_label")
    store = child(dialog, QLabel, "about_store_label")
    log = child(dialog, QLabel, "about_log_label")
    settings = child(dialog, QLabel, "about_settings_label")
    assert f"thrudesk {__version__}" in version.text()
    assert store.text() == str(thrudesk_store.path)
    # A tester's window keeps its log nowhere: the dialog says so rather than inventing a path.
    assert log.text() == NO_LOG_FILE
    assert settings.text() == str(tmp_path / "settings.ini")
    for shown in (version, store, log, settings):
        assert shown.textInteractionFlags() & SELECTABLE == SELECTABLE, shown.objectName()

    click_named(qtbot, dialog, "copy_details_button")
    copied = QGuiApplication.clipboard().text()
    assert copied.splitlines()[:2] == [f"thrudesk {__version__}", f"Store: {thrudesk_store.path}"]

    click_named(qtbot, dialog, "accept_button")
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_about_dialog_of_the_program_names_its_log_file(
    qtbot: QtBot,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    thrudesk_window: MainWindow,
    tmp_path: Path,
) -> None:
    # What app.py hands the window: the profile's own files.
    paths = profile_paths(tmp_path / "profile")
    paths.create()
    store = open_store(url_for_path(paths.store_file))
    try:
        facts = _about_facts(paths, store, settings=None)
    finally:
        store.dispose()
    assert facts == AboutFacts(
        version=__version__,
        store=str(paths.store_file),
        log_file=str(tmp_path / "profile" / "logs" / "thrudesk.log"),
        settings_file=None,
    )

    window = MainWindow(thrudesk_services, thrudesk_simulator, thrudesk_account.actor, about=facts)
    qtbot.addWidget(window)
    try:
        dialog = window.open_about_dialog()
        qtbot.waitUntil(dialog.isVisible)
        assert child(dialog, QLabel, "about_store_label").text() == str(paths.store_file)
        assert child(dialog, QLabel, "about_log_label").text() == str(paths.log_file)
        dialog.close()
    finally:
        window.shutdown()


def test_application_icon_is_drawn_at_every_size_from_the_package_resources(
    thrudesk_window: MainWindow,
) -> None:
    icon = app_icon()
    assert not icon.isNull()
    for size in (16, 48, 256, 512):
        image = icon.pixmap(QSize(size, size)).toImage()
        assert image.size() == QSize(size, size)
        # The middle of the icon is painted (an SVG the icon engine could not read is empty).
        assert image.pixelColor(size // 2, size // 2).alpha() > 0, size
