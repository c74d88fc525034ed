"""Fixtures of the window's tests: a qasync loop over pytest-qt's application, and the window."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from thrudesk.services.container import Services
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount
from thrudesk.views.main_window import MainWindow
from thrudesk.views.theme import ThemeManager

# The offscreen platform says what it cannot do (raise a window, grab the keyboard for a popup,
# propagate size hints); that is about the platform, not about thrudesk.
OFFSCREEN_NOISE = "This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/gui/" in item.nodeid:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def qasync_loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync loop made the running loop while the test runs: coroutine slots (confirmations)
    advance whenever qtbot waits, as they do under the program's own loop.

    The loop is not started with ``run_forever`` (pytest-qt turns the Qt event loop), and so not
    stopped either: qasync's ``stop()`` would tell the application to quit, and every later
    wait of the session would return at once.
    """
    loop = qasync.QEventLoop(qapp)
    asyncio.events._set_running_loop(loop)
    try:
        yield loop
    finally:
        for task in asyncio.all_tasks(loop):
            task.cancel()
        qapp.processEvents()
        asyncio.events._set_running_loop(None)
        loop.close()


@pytest.fixture(scope="session")
def themed(qapp: QApplication) -> ThemeManager:
    manager = ThemeManager(qapp)
    manager.apply()
    return manager


@pytest.fixture
def window(
    qtbot: QtBot,
    themed: ThemeManager,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
) -> Iterator[MainWindow]:
    """The main window on the test's store, manual clock and simulator, shown offscreen."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main = MainWindow(
        thrudesk_services, thrudesk_simulator, thrudesk_account.actor, settings=settings
    )
    qtbot.addWidget(main)
    main.resize(1400, 860)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.shutdown()
