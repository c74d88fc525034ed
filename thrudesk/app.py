"""The composition root: arguments, profile paths, store, clock, simulator, window, one loop.

Heavy imports (Qt, SQLAlchemy, the services) wait until the arguments are read, so ``--help`` and
``--version`` answer at once and a refused start (a store in use, a newer schema) says why fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from thrudesk import APP_ID, APP_NAME, __version__

if TYPE_CHECKING:
    import asyncio
    import logging
    from datetime import datetime
    from pathlib import Path
    from types import TracebackType

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from thrudesk.paths import ProfilePaths
    from thrudesk.services.clock import Clock
    from thrudesk.services.container import Services
    from thrudesk.services.desktop import DesktopNotifications
    from thrudesk.services.errors import StoreError
    from thrudesk.services.simulation.engine import Simulator
    from thrudesk.services.store import Store
    from thrudesk.views.about import AboutFacts
    from thrudesk.views.main_window import MainWindow
    from thrudesk.views.theme import ThemeManager

TAB_NAMES = ("Phone Numbers", "Campaigns", "Campaign Details")
SCREENSHOT_SIZE = (1400, 860)
EXIT_OK, EXIT_FAILED, EXIT_REFUSED = 0, 1, 2
# --restore-backup given without a file: the newest backup beside the store.
NEWEST_BACKUP = "newest"
FREEZE_AFTER_MS = 1000
APART_AFTER_MS = 1000


def _speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 1 <= value <= 3600:
        raise argparse.ArgumentTypeError("the speed goes from 1 (real pace) to 3600")
    return value


def _tab(text: str) -> str:
    wanted = text.strip().lower().replace("-", " ").replace("_", " ")
    for name in TAB_NAMES:
        if name.lower() == wanted:
            return name
    raise argparse.ArgumentTypeError(
        f"no tab named {text!r}; choose one of: " + ", ".join(f'"{n}"' for n in TAB_NAMES)
    )


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a campaign id (a whole number)")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=APP_NAME,
        description="Desktop console for texting-platform admins: sending phone numbers, "
        "campaigns, and a simulator of carrier provisioning.",
        epilog="On first run an empty store receives the demo history, so the window has "
        "something to show. Set THRUDESK_NO_DIALOGS=1 to report start-up refusals on stderr "
        "only (scripts and tests).",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="Keep the store, the logs and the settings in DIR instead of the usual per-user "
        "folders.",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="Open the store at this SQLAlchemy URL (for example sqlite:////srv/demo.sqlite3) "
        "instead of the profile's own file.",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="Open the demo account, playing the demo history into the store first if it holds "
        "no account yet.",
    )
    parser.add_argument(
        "--speed",
        metavar="N",
        type=_speed,
        help="Run simulated time N times faster than real time (1 to 3600); the speed is kept "
        "for the next start.",
    )
    parser.add_argument(
        "--screenshot",
        metavar="FILE",
        help=f"Paint the window ({SCREENSHOT_SIZE[0]}×{SCREENSHOT_SIZE[1]}) once everything "
        "visible has loaded, save it to FILE as PNG and exit.",
    )
    parser.add_argument(
        "--tab",
        metavar="NAME",
        type=_tab,
        help='Start on this tab: "Phone Numbers", "Campaigns" or "Campaign Details".',
    )
    parser.add_argument(
        "--campaign",
        metavar="ID",
        type=_positive,
        help="Show this campaign in Campaign Details (by default the last one opened, or the "
        "newest one still Launching).",
    )
    parser.add_argument(
        "--restore-backup",
        metavar="FILE",
        nargs="?",
        const=NEWEST_BACKUP,
        help="Put the store's newest backup (or FILE) back in its place before opening it; the "
        "store as it was is kept beside it.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{APP_NAME} {__version__}",
        help="Print the version and exit.",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The ``thrudesk`` console script."""
    args = build_parser().parse_args(argv)
    return run(args)


# ---------------------------------------------------------------------------------- start-up
def _dialogs_allowed(args: argparse.Namespace) -> bool:

    from PySide6.QtGui import QGuiApplication

    if args.screenshot or os.environ.get("THRUDESK_NO_DIALOGS"):
        return False
    return QGuiApplication.platformName() not in ("offscreen", "minimal")


def _refuse(args: argparse.Namespace, title: str, message: str) -> None:
    """Tell why thrudesk cannot start: on stderr, in the log, and in a dialog when one can be
    seen.
    """
    _report_refusal(title, message)
    if _dialogs_allowed(args):
        from PySide6.QtWidgets import QMessageBox

        # Before the event loop runs there is nothing to re-enter: exec() is safe here.
        QMessageBox.critical(None, f"thrudesk: {title}", message)


def _restore_chosen(args: argparse.Namespace, refusal: StoreError) -> bool:
    """Ask whether to put back the backup that ``refusal`` names (where a dialog can be seen)."""
    if not _dialogs_allowed(args):
        return False
    from PySide6.QtWidgets import QMessageBox

    _report_refusal("store refused", refusal.message)
    box = QMessageBox(QMessageBox.Icon.Critical, "thrudesk: store refused", refusal.message)
    box.setObjectName("store_refused_dialog")
    restore = box.addButton("Restore backup", QMessageBox.ButtonRole.AcceptRole)
    restore.setObjectName("restore_backup_button")
    box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(QMessageBox.StandardButton.Close)
    # Before the event loop runs there is nothing to re-enter: exec() is safe here.
    box.exec()
    return box.clickedButton() is restore


def _restore(chosen: str, store_file: Path | None, url: str) -> None:
    """Put a backup back in the place of the store file (--restore-backup, or the refusal
    dialog's button); raise the StoreError that says why not.
    """
    from pathlib import Path

    from thrudesk.services.errors import StoreError
    from thrudesk.services.store import latest_backup, restore_backup

    if store_file is None:
        raise StoreError(f"{url} is not a store file: only a store file is restored from a backup.")
    if chosen == NEWEST_BACKUP:
        backup = latest_backup(store_file)
        if backup is None:
            raise StoreError(f"There is no backup beside {store_file} to restore.")
    else:
        backup = Path(chosen).expanduser()
    aside = restore_backup(store_file, backup)
    kept = f"; the store as it was is kept as {aside}" if aside else ""
    print(f"thrudesk: restored {store_file} from {backup}{kept}", file=sys.stderr)


def _report_refusal(title: str, message: str) -> None:
    import logging

    logging.getLogger("thrudesk").error("%s: %s", title, message)
    print(f"thrudesk: {message}", file=sys.stderr)


def _log_qt_messages() -> None:
    """Qt's own warnings go to the log (logger ``thrudesk.qt``) with everything else."""
    import logging

    from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

    log = logging.getLogger("thrudesk.qt")
    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }

    def handler(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        log.log(levels.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)


def _lock_path(args: argparse.Namespace, paths: ProfilePaths) -> Path:
    """The lock of the store (R4): beside a store file, whichever option named it, so that a
    second program reaching the same file by --data-dir or by --database-url is refused; the
    profile's for a store that is not a file.
    """
    from pathlib import Path

    from thrudesk.services.store import sqlite_path

    store_file = sqlite_path(args.database_url or paths.store_url)
    if store_file is not None:
        return Path(f"{store_file}.lock")
    return paths.lock_file


def _lock_unwritable(lock_file: Path) -> str:
    """Why the store's lock could not be written, for the admin."""
    import shutil

    try:
        full = shutil.disk_usage(lock_file.parent).free < 64 * 1024
    except OSError:
        full = False
    if full:
        return (
            f"The disk is full: thrudesk cannot write the lock {lock_file} beside its store. "
            "Free some space and start thrudesk again."
        )
    return (
        f"The lock {lock_file} beside the store cannot be written. Check that the folder is "
        "writable, or start with another --data-dir."
    )


def _profile_refusal(paths: ProfilePaths, args: argparse.Namespace) -> str | None:
    """Why thrudesk cannot start with this profile and store URL, or None: its folders cannot
    be made or written, or the URL is one it cannot run on as asked.
    """
    from thrudesk.paths import ProfileError
    from thrudesk.services.errors import StoreError
    from thrudesk.services.store import check_store_url, check_writable, sqlite_path

    try:
        paths.create()
        url = args.database_url or paths.store_url
        check_store_url(url)
        store_file = sqlite_path(url)
        if store_file is not None:
            store_file.parent.mkdir(parents=True, exist_ok=True)
            check_writable(store_file)
    except ProfileError as error:
        return error.message
    except StoreError as error:
        return error.message
    except OSError as error:
        return f"{error.filename or 'A folder of the profile'} cannot be used: {error.strerror}."
    return None


def tune_interpreter() -> None:
    """Interpreter settings for a window that answers within milliseconds (QUALITY.md P2, P5).

    A worker thread (an export, a big campaign's reading) holds the GIL for up to the switch
    interval at a time while the window's thread waits for it: half a millisecond instead of
    Python's five keeps the window's timers on time at the same speed of work.
    """
    sys.setswitchinterval(0.0005)


class _CollectorPause:
    """The cycle collector, held still from the first import to the first paint.

    Nearly everything start-up builds (modules, classes, mappers, the window) lives as long as
    the program, yet the collector walked it over and over while it grew: some 210 collections,
    about 65 ms of start-up (QUALITY.md P1). :func:`freeze_startup_objects` collects once
    after the first paint and lets the collector run again.
    """

    def __init__(self) -> None:
        self._paused = False

    def pause(self) -> None:
        import gc

        if gc.isenabled():
            gc.disable()
            self._paused = True

    def resume(self) -> None:
        import gc

        if self._paused:
            self._paused = False
            gc.enable()


_STARTUP_COLLECTOR = _CollectorPause()


def freeze_startup_objects() -> None:
    """Collect once, then keep what start-up built (the window, the mappers, the caches) out
    of the collector's sight: a full collection then walks only what came after it, a few
    milliseconds instead of the 45 to 60 it took over everything (QUALITY.md P2). The
    collector, paused during start-up, runs again from here.
    """
    import gc

    gc.collect()
    gc.freeze()
    _STARTUP_COLLECTOR.resume()


def load_before_qt() -> None:
    """Import the program's pure-Python half (asyncio, SQLAlchemy, the models, the services)
    before Qt. Once PySide6 is loaded it sees every import that follows, for its feature
    switches, and the same modules then took some 80 ms longer to load (QUALITY.md P1).
    Start-up's first step: the cycle collector pauses here until the first paint.
    """
    from importlib import import_module

    _STARTUP_COLLECTOR.pause()

    for name in (
        "asyncio",
        "sqlalchemy.dialects.sqlite",
        "thrudesk.logs",
        "thrudesk.paths",
        "thrudesk.services.container",
        "thrudesk.services.simulation.engine",
        "thrudesk.services.simulation.state",
    ):
        import_module(name)


def run(args: argparse.Namespace) -> int:
    try:
        return _start(args)
    finally:
        # A start refused before the first paint leaves the collector as it found it.
        _STARTUP_COLLECTOR.resume()


def _start(args: argparse.Namespace) -> int:
    load_before_qt()
    from thrudesk.logs import configure_logging
    from thrudesk.paths import profile_paths

    tune_interpreter()
    # R5: whatever thrudesk makes (folders, store, backups, settings, lock, logs, exports) is
    # its user's alone, whoever made the file before it and whatever the shell's umask says.
    if os.name == "posix":
        os.umask(0o077)
    paths = profile_paths(args.data_dir)
    refusal = _profile_refusal(paths, args)
    if refusal is None:
        configure_logging(paths.log_file)

    import logging

    from PySide6.QtCore import QLockFile
    from PySide6.QtWidgets import QApplication

    log = logging.getLogger("thrudesk.app")
    log.info("thrudesk %s starting; profile %s", __version__, paths.data_dir)
    _log_qt_messages()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    # The desktop file's name (without .desktop): the desktop matches the window to its menu
    # entry and its icon by it (Wayland's app id).
    app.setDesktopFileName(APP_ID)
    from thrudesk.views.about import app_icon

    app.setWindowIcon(app_icon())
    # The loop ends when the window closes, not when the last of any window does (dialogs).
    app.setQuitOnLastWindowClosed(False)

    from thrudesk.views.theme import ThemeManager

    themes = ThemeManager(app)
    themes.apply()
    if refusal is not None:
        _refuse(args, "cannot start", refusal)
        return EXIT_REFUSED

    # R4: one instance per store; a second one is refused with a clear message.
    lock_file = _lock_path(args, paths)
    lock = QLockFile(str(lock_file))
    lock.setStaleLockTime(0)  # only a live process holds it; a crashed one's lock is taken over
    if not lock.tryLock(200):
        if lock.error() is not QLockFile.LockError.LockFailedError:
            # Not held by another program: the lock itself could not be written.
            _refuse(args, "cannot start", _lock_unwritable(lock_file))
            return EXIT_REFUSED
        pid, host, _app = lock.getLockInfo()
        holder = f" (process {pid} on {host})" if pid else ""
        _refuse(
            args,
            "store in use",
            f"This store is already open in another thrudesk{holder}. Switch to that window, "
            "or start with another --data-dir.",
        )
        return EXIT_REFUSED
    try:
        return _run_locked(args, app, paths, themes)
    finally:
        lock.unlock()


def _run_locked(
    args: argparse.Namespace, app: QApplication, paths: ProfilePaths, themes: ThemeManager
) -> int:
    import asyncio
    import logging

    import qasync
    from sqlalchemy.exc import DatabaseError

    from thrudesk.services.errors import StoreError
    from thrudesk.services.store import holds_no_data, made_beside, open_store, sqlite_path

    log = logging.getLogger("thrudesk.app")
    url = args.database_url or paths.store_url
    store_file = sqlite_path(url)
    try:
        if args.restore_backup:
            _restore(args.restore_backup, store_file, url)
        if store_file is not None and holds_no_data(store_file):
            # A first start: the store and its demo are made beside the file and moved into
            # place whole, so that a kill midway leaves nothing half-made.
            with made_beside(store_file) as draft:
                play_demo(draft, args.speed, log)
    except StoreError as error:
        _refuse(args, "store refused", error.message)
        return EXIT_REFUSED
    try:
        # R4: the integrity check of a big store reads every page; it goes on beside the
        # first paint, and the first write waits for its verdict.
        store = open_store(url, check_in_background=True)
    except StoreError as error:
        if not (store_file and error.backup and _restore_chosen(args, error)):
            _refuse(args, "store refused", error.message)
            return EXIT_REFUSED
        try:
            _restore(str(error.backup), store_file, url)
            store = open_store(url, check_in_background=True)
        except StoreError as again:
            _refuse(args, "store refused", again.message)
            return EXIT_REFUSED
    try:
        try:
            built = _build(args, store, paths, themes, log)
        except DatabaseError:
            # A damaged page met before the integrity check ended: its verdict says why.
            store.integrity.wait()
            if store.integrity.error is None:
                raise
            _refuse(args, "store refused", store.integrity.error.message)
            return EXIT_REFUSED
        except StoreError as error:
            # The first write (the demo's, on an empty store) met the check's refusal.
            _refuse(args, "store refused", error.message)
            return EXIT_REFUSED
        window, simulator, clock, services = built
        outcome = _Outcome()
        install_excepthook(window, outcome, quit_on_error=bool(args.screenshot))
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
            runner.run(_serve(app, window, simulator, clock, services, args, outcome))
        return outcome.code
    finally:
        store.dispose()


def _build(
    args: argparse.Namespace,
    store: Store,
    paths: ProfilePaths,
    themes: ThemeManager,
    log: logging.Logger,
) -> tuple[MainWindow, Simulator, Clock, Services]:
    """The clock, the services, the simulator (not yet running) and the window over ``store``."""
    from PySide6.QtCore import QSettings

    from thrudesk.services.accounts import store_is_empty
    from thrudesk.services.container import Services
    from thrudesk.services.simulation.clock_state import clock_from_store
    from thrudesk.services.simulation.engine import Simulator
    from thrudesk.views.main_window import MainWindow, tab_index

    if store_is_empty(store):
        # A store that is not a file of its own (a file's is made beside it, in _run_locked).
        play_demo(store, args.speed, log)
    clock = clock_from_store(store, speed=args.speed)
    services = Services(store, clock)
    simulator = Simulator(services)
    actor = None
    if args.demo:
        from thrudesk.services.demo import DEMO_ACCOUNT

        demo = services.accounts.find(DEMO_ACCOUNT)
        if demo is not None:
            actor = services.accounts.admin_actor(demo.id)
    settings = (
        None if args.screenshot else QSettings(str(paths.settings_file), QSettings.Format.IniFormat)
    )
    window = MainWindow(
        services,
        simulator,
        actor,
        settings=settings,
        about=_about_facts(paths, store, settings),
        lazy_tabs=True,
    )
    themes.theme_changed.connect(window.retheme)
    if args.tab:
        window.tabs.setCurrentIndex(tab_index(args.tab))
    if args.campaign:
        window.set_details_campaign(args.campaign)
    if args.screenshot or settings is None or settings.value("window/geometry") is None:
        window.resize(*SCREENSHOT_SIZE)
    return window, simulator, clock, services


def play_demo(store: Store, speed: float | None, log: logging.Logger) -> None:
    """Play the demo history into a store that holds no account yet."""
    from thrudesk.services.clock import utcnow
    from thrudesk.services.demo import seed_demo
    from thrudesk.services.simulation.clock_state import clock_from_store
    from thrudesk.services.simulation.engine import Simulator
    from thrudesk.services.simulation.state import load_state

    # The stored clock starts where the demo's story ends (clock_from_store resumes it).
    with store.begin() as session:
        load_state(session, now=demo_moment(utcnow()))
    clock = clock_from_store(store, speed=speed)
    log.info("empty store: playing the demo history into it")
    seed_demo(store, clock.now(), attach_simulator=Simulator)


def demo_moment(now: datetime) -> datetime:
    """When the demo's story ends: the latest weekday afternoon (14:30 US Eastern) not after
    ``now``. The carriers' queue is long then, so the numbers the demo leaves provisioning
    finish live over the next hours (minutes at a higher speed) rather than at once.
    """
    from datetime import UTC, timedelta
    from zoneinfo import ZoneInfo

    eastern = now.astimezone(ZoneInfo("America/New_York"))
    moment = eastern.replace(hour=14, minute=30, second=0, microsecond=0)
    while moment > eastern or moment.weekday() >= 5:
        moment -= timedelta(days=1)
    return moment.astimezone(UTC)


class _Outcome:
    """The exit code, set by the screenshot or by an unexpected error."""

    def __init__(self) -> None:
        self.code = EXIT_OK


def _about_facts(paths: ProfilePaths, store: Store, settings: QSettings | None) -> AboutFacts:
    """Help → About: the version and where this run keeps its store, its log and its settings."""
    from thrudesk.views.about import AboutFacts

    return AboutFacts(
        version=__version__,
        store=str(store.path or store.url),
        log_file=str(paths.log_file),
        settings_file=settings.fileName() if settings is not None else None,
    )


async def _serve(
    app: QApplication,
    window: MainWindow,
    simulator: Simulator,
    clock: Clock,
    services: Services,
    args: argparse.Namespace,
    outcome: _Outcome,
) -> None:
    """Run the simulator beside the window until the window closes (or the screenshot is saved)."""
    import asyncio
    import logging
    from contextlib import suppress

    from PySide6.QtCore import QTimer

    log = logging.getLogger("thrudesk.app")
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    window.closed.connect(closing.set)
    _close_on_signals(window)
    simulation = asyncio.create_task(
        _simulate(simulator, services.store, window, args, outcome, closing), name="simulator"
    )
    window.show()
    # Once the first paint is done (it goes first: start-up time is the admin's time).
    QTimer.singleShot(FREEZE_AFTER_MS, freeze_startup_objects)
    notifier: DesktopNotifications | None = None
    if args.screenshot:
        shot = await _screenshot(window, args.screenshot)
        # A damaged store found meanwhile is the answer, not the picture of it.
        if await _integrity_verdict(services.store) is None:
            outcome.code = shot
    else:
        # Desktop notifications (N11) are set up once the window is up: their libraries are
        # not needed to show the first rows.
        from thrudesk.services.desktop import DesktopNotifications

        notifier = DesktopNotifications(
            APP_NAME,
            on_activated=window.subject_requested.emit,
            recipient=lambda: window.actor.user_id,
        )
        services.context.desktop = notifier
        probe = asyncio.create_task(notifier.probe(), name="desktop notifications")
        await closing.wait()
        if not probe.done():
            probe.cancel()
    if not simulator.running:
        simulation.cancel()  # still waiting for the store's verdict
    simulator.stop()
    with suppress(asyncio.CancelledError):
        await asyncio.wait_for(simulation, timeout=5)
    if notifier is not None:
        services.context.desktop = None
        try:
            await asyncio.wait_for(notifier.close(), timeout=3)
        except (TimeoutError, OSError) as error:
            log.info("desktop notifications did not close cleanly: %s", error)
    window.shutdown()
    detach = getattr(clock, "detach", None)
    if callable(detach):
        detach()
    log.info("thrudesk closed")


async def _integrity_verdict(store: Store) -> StoreError | None:
    """Wait (without blocking the loop) for the store's integrity check; answer its refusal."""
    import asyncio
    from contextlib import suppress

    integrity = store.integrity
    if integrity.done:
        return integrity.error
    loop = asyncio.get_running_loop()
    verdict: asyncio.Future[StoreError | None] = loop.create_future()

    def settle(error: StoreError | None) -> None:
        if not verdict.done():
            verdict.set_result(error)

    def told(error: StoreError | None) -> None:
        with suppress(RuntimeError):  # the loop has closed meanwhile: nobody waits
            loop.call_soon_threadsafe(settle, error)

    integrity.add_done_callback(told)
    return await verdict


async def _simulate(
    simulator: Simulator,
    store: Store,
    window: MainWindow,
    args: argparse.Namespace,
    outcome: _Outcome,
    closing: asyncio.Event,
) -> None:
    """Run the simulator once the store is known to be intact: its first batch writes (R4).

    A damaged store is refused as at start-up, and the window closes without writing.
    """
    import asyncio

    error = await _integrity_verdict(store)
    if error is not None:
        outcome.code = EXIT_REFUSED
        await _refuse_running(window, args, error.message)
        window.close()
        return
    if closing.is_set():
        return
    running = asyncio.ensure_future(simulator.run())
    if not args.screenshot:
        # Once start-up has painted (P1), the simulator's batches move to a process of their
        # own, where they no longer hold the window's thread (P2).
        await asyncio.wait([running], timeout=APART_AFTER_MS / 1000)
        simulator.apply_apart()
    await running


async def _refuse_running(window: MainWindow, args: argparse.Namespace, message: str) -> None:
    """Tell why thrudesk stops, with the loop running: the dialog is opened, not exec'd."""
    import asyncio

    from PySide6.QtWidgets import QMessageBox

    from thrudesk.views.widgets import open_beside

    _report_refusal("store refused", message)
    if not _dialogs_allowed(args):
        return
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "thrudesk: store refused",
        message,
        QMessageBox.StandardButton.Close,
        window,
    )
    box.setObjectName("store_refused_dialog")
    dismissed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def finished(_result: int) -> None:
        if not dismissed.done():
            dismissed.set_result(None)

    box.finished.connect(finished)
    open_beside(box)
    await dismissed


def _close_on_signals(window: MainWindow) -> None:
    """SIGTERM and Ctrl+C close the window as its close button would: settings and the clock
    are saved, the simulator stops between batches.
    """
    import signal

    from PySide6.QtCore import QTimer

    def close(_signal: int, _frame: object) -> None:
        # Python runs this between two of the loop's callbacks; the close itself waits for Qt.
        QTimer.singleShot(0, window.close)

    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, close)


async def _screenshot(window: MainWindow, target: str) -> int:
    """Save the window as PNG once it is shown and laid out; answer the exit code."""
    import asyncio
    import logging

    log = logging.getLogger("thrudesk.app")
    # Everything the tabs show is read when they are built; what remains is for Qt to lay the
    # window out and for the platform to expose it. A few turns of the loop are enough.
    for _ in range(100):
        await asyncio.sleep(0.02)
        handle = window.windowHandle()
        if handle is not None and handle.isExposed():
            break
    # Turns of the loop, not processEvents(): run from inside this coroutine, that would
    # resume another task (the simulator's) while this one runs, which asyncio refuses,
    # and that task would never be resumed.
    for _ in range(5):
        await asyncio.sleep(0.02)
    pixmap = window.grab()
    if not pixmap.save(target, "PNG"):
        log.error("could not write the screenshot to %s", target)
        print(f"thrudesk: could not write the screenshot to {target}", file=sys.stderr)
        return EXIT_FAILED
    log.info("screenshot saved to %s (%dx%d)", target, pixmap.width(), pixmap.height())
    return EXIT_OK


def install_excepthook(window: MainWindow, outcome: _Outcome, *, quit_on_error: bool) -> None:
    """Log every unexpected error and show it in a dialog (qasync sends slot errors here too)."""
    import logging
    import traceback

    from PySide6.QtWidgets import QApplication, QMessageBox

    from thrudesk.views.widgets import open_beside

    log = logging.getLogger("thrudesk.crash")

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        log.critical("unexpected error", exc_info=(kind, error, trace))
        if quit_on_error:
            outcome.code = EXIT_FAILED
            window.close()
            return
        box = QMessageBox(window)
        box.setObjectName("crash_dialog")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle("thrudesk: something went wrong")
        box.setText("Something went wrong. thrudesk logged the details; you can carry on.")
        box.setInformativeText(str(error) or kind.__name__)
        box.setDetailedText("".join(traceback.format_exception(kind, error, trace)))
        open_beside(box)

    sys.excepthook = hook
