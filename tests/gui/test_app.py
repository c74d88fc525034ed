"""Start-up pieces of thrudesk/app.py that need no subprocess: the crash dialog and the demo's
moment.
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.gui.helpers import wait_dialog
from thrudesk.app import (
    EXIT_FAILED,
    TAB_NAMES,
    _Outcome,
    build_parser,
    demo_moment,
    install_excepthook,
)
from thrudesk.views.main_window import TAB_TITLES, MainWindow


def test_unexpected_error_is_logged_and_shown_in_a_dialog(
    qtbot: QtBot, window: MainWindow, caplog: pytest.LogCaptureFixture
) -> None:
    previous = sys.excepthook
    outcome = _Outcome()
    install_excepthook(window, outcome, quit_on_error=False)
    try:
        with caplog.at_level(logging.CRITICAL, logger="thrudesk.crash"):
            try:
                raise ValueError("the store went away")
            except ValueError as error:
                sys.excepthook(ValueError, error, error.__traceback__)
    finally:
        sys.excepthook = previous
    dialog = wait_dialog(qtbot, window, "crash_dialog")
    assert isinstance(dialog, QMessageBox)
    assert dialog.informativeText() == "the store went away"
    assert "ValueError" in dialog.detailedText()
    assert "unexpected error" in caplog.text
    assert outcome.code == 0  # the admin can carry on
    dialog.close()


def test_unexpected_error_during_a_screenshot_ends_the_run_with_failure(
    qtbot: QtBot, window: MainWindow
) -> None:
    previous = sys.excepthook
    outcome = _Outcome()
    install_excepthook(window, outcome, quit_on_error=True)
    try:
        error = RuntimeError("paint failed")
        sys.excepthook(RuntimeError, error, None)
    finally:
        sys.excepthook = previous
    assert outcome.code == EXIT_FAILED
    assert not window.isVisible()


@pytest.mark.parametrize(
    ("now", "moment"),
    [
        # Sunday night: the Friday before, 14:30 Eastern (19:30 UTC in November).
        (datetime(2026, 11, 22, 23, 0, tzinfo=UTC), datetime(2026, 11, 20, 19, 30, tzinfo=UTC)),
        # Tuesday 15:00 Eastern: the same afternoon.
        (datetime(2026, 3, 3, 20, 0, tzinfo=UTC), datetime(2026, 3, 3, 19, 30, tzinfo=UTC)),
        # Tuesday 10:00 Eastern: Monday afternoon.
        (datetime(2026, 3, 3, 15, 0, tzinfo=UTC), datetime(2026, 3, 2, 19, 30, tzinfo=UTC)),
    ],
)
def test_demo_story_ends_on_the_latest_weekday_afternoon(now: datetime, moment: datetime) -> None:
    assert demo_moment(now) == moment


def test_tab_option_names_the_window_tabs() -> None:
    # app.py keeps its own copy so that --help needs no Qt import.
    assert TAB_NAMES == TAB_TITLES
    assert build_parser().parse_args(["--tab", "campaign-details"]).tab == "Campaign Details"


def test_speed_outside_the_clock_range_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--speed", "5000"])
    assert "the speed goes from 1 (real pace) to 3600" in capsys.readouterr().err
