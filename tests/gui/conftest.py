"""Fixtures of the window's tests: the plugin's own (thrudesk/testing.py), which testers use too,
under the short names of this folder.
"""

from __future__ import annotations

import asyncio

import pytest

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
def qasync_loop(thrudesk_event_loop: asyncio.AbstractEventLoop) -> asyncio.AbstractEventLoop:
    """The plugin's qasync loop, running for every test of this folder (the window's and the
    dialogs' coroutine slots need it, with or without the whole window).
    """
    return thrudesk_event_loop


@pytest.fixture(scope="session")
def themed(thrudesk_theme: ThemeManager) -> ThemeManager:
    """The plugin's ``thrudesk_theme`` under the name the tests of this folder use."""
    return thrudesk_theme


@pytest.fixture
def window(thrudesk_window: MainWindow) -> MainWindow:
    """The plugin's ``thrudesk_window`` (the window on the test's store, manual clock and
    simulator, shown offscreen) under the name the tests of this folder use.
    """
    return thrudesk_window
