"""Start-up pieces of thrudesk/app.py that need no subprocess: the crash dialog, the demo's
moment, the collector's rest during start-up.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.gui.helpers import wait_dialog
from thrudesk import app as program
from thrudesk.app import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_REFUSED,
    TAB_NAMES,
    _Outcome,
    _screenshot,
    build_parser,
    demo_moment,
    freeze_startup_objects,
    install_excepthook,
    load_before_qt,
    run,
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


def test_the_collector_rests_from_the_first_import_to_the_first_paint() -> None:
    """Start-up's objects live as long as the window: the cycle collector waits for the first
    paint instead of walking them again and again while they are built (QUALITY.md P1).
    """
    assert gc.isenabled()
    try:
        load_before_qt()
        assert not gc.isenabled()
        freeze_startup_objects()
        assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


def test_a_start_refused_before_the_first_paint_leaves_the_collector_running(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refused(_args: object) -> int:
        load_before_qt()
        return EXIT_REFUSED

    monkeypatch.setattr(program, "_start", refused)
    try:
        assert run(build_parser().parse_args([])) == EXIT_REFUSED
        assert gc.isenabled()
    finally:
        gc.enable()


def test_tab_option_names_the_window_tabs() -> None:
    # app.py keeps its own copy so that --help needs no Qt import.
    assert TAB_NAMES == TAB_TITLES
    assert build_parser().parse_args(["--tab", "campaign-details"]).tab == "Campaign Details"


def test_speed_outside_the_clock_range_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--speed", "5000"])
    assert "the speed goes from 1 (real pace) to 3600" in capsys.readouterr().err


def test_a_screenshot_leaves_the_other_tasks_running_while_it_waits(
    window: MainWindow, qasync_loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    """The screenshot waits for the window by turns of the loop: the simulator's task, beside
    it, keeps being resumed (asyncio refuses to resume it from inside another task's step, and
    the task is then lost).
    """
    troubles: list[str] = []
    qasync_loop.set_exception_handler(lambda _loop, context: troubles.append(context["message"]))
    turns = 0

    async def beside() -> None:
        nonlocal turns
        while True:
            await asyncio.sleep(0)
            turns += 1

    async def both() -> tuple[int, int]:
        other = asyncio.ensure_future(beside())
        code = await _screenshot(window, str(tmp_path / "window.png"))
        before = turns
        await asyncio.sleep(0.05)
        other.cancel()
        return code, turns - before

    # The plugin's loop is marked running for the slots; here it runs for real.
    asyncio.events._set_running_loop(None)
    try:
        code, later_turns = qasync_loop.run_until_complete(both())
    finally:
        asyncio.events._set_running_loop(qasync_loop)
        qasync_loop.set_exception_handler(None)
    assert code == EXIT_OK
    assert (tmp_path / "window.png").stat().st_size > 0
    assert troubles == []
    assert later_turns > 0  # still resumed after the screenshot


@pytest.mark.parametrize("choice", ["restore_backup_button", None])
def test_r4_the_refusal_dialog_offers_to_restore_the_backup_it_names(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, choice: str | None
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QAbstractButton, QApplication

    from thrudesk.services.errors import StoreError

    backup = tmp_path / "thrudesk.sqlite3.0001.20261207T000000Z.bak"
    refusal = StoreError(f"The store is damaged. The backup is {backup}.", backup=backup)
    monkeypatch.setattr(program, "_dialogs_allowed", lambda _args: True)
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen.append(box.text())
        assert box.objectName() == "store_refused_dialog"
        restore = box.findChild(QAbstractButton, "restore_backup_button")
        assert restore is not None
        assert restore.text() == "Restore backup"
        if choice is None:
            box.reject()
        else:
            restore.click()

    QTimer.singleShot(20, answer)
    chosen = program._restore_chosen(build_parser().parse_args([]), refusal)
    assert seen == [refusal.message]
    assert chosen is (choice is not None)
