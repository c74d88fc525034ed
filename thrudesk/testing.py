"""The pytest plugin for testers of thrudesk (entry point ``pytest11``).

Fixtures:

- ``sim_clock``: a :class:`~thrudesk.services.clock.ManualClock` on a Monday morning, US Eastern;
  ``sim_clock.advance(minutes=30)`` moves time and runs everything that falls due, in order.
- ``thrudesk_store``: a fresh, migrated store in a temporary folder.
- ``thrudesk_services``: the services over that store and clock, with the carrier simulator
  started on the manual clock (seed 0): add a number, ``sim_clock.advance(hours=3)``, and the
  carriers have answered.
- ``thrudesk_simulator``: that simulator (:class:`~thrudesk.services.simulation.engine.Simulator`).
- ``thrudesk_account``: a ready account (an admin, a Registered brand, two Approved use cases).
- ``thrudesk_window``: the main window over those services and that simulator, showing the
  account as its admin; shown (1400×860, offscreen or on the test display) and closed after the
  test. It needs pytest-qt; the fixtures above need no Qt at all.
- ``thrudesk_event_loop``: the qasync loop that the window's coroutine slots (confirmations, long
  service calls) run on while the test waits with ``qtbot``; ``thrudesk_window`` sets it up.
- ``thrudesk_theme``: the program's light or dark theme, applied once per test session.

Driving provisioning to a chosen outcome, deterministically:

- ``thrudesk_simulator.force_next("complete")``: the next number to start provisioning is
  confirmed by all three carriers within 5 minutes (``after=timedelta(...)`` to change).
- ``thrudesk_simulator.force_next("fail")``: AT&T rejects it after 5 minutes (``carrier=`` and
  ``reason=`` to change); the campaign returns to Draft flagged Provisioning Failed (C1).
- ``thrudesk_simulator.force_next("stall")``: AT&T and Verizon confirm within minutes, T-Mobile
  only after 8 hours: a launch waits long enough to be flagged stuck (C6).
- ``count=n`` forces the next ``n`` numbers; without a forced outcome the carrier model decides.
- :func:`advance_until_settled` moves the clock to each next carrier answer until a number (or
  every number) has finished provisioning, and answers the moment it stopped.
- ``thrudesk_simulator.set_scenario(Scenario.CARRIER_OUTAGE, ScenarioOptions(...))`` switches a
  scenario (S5); ``thrudesk_simulator.estimate(account_id)`` answers the S6 estimate.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pytest

from thrudesk.models.enums import JobKind
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.simulation.scenarios import ForcedOutcome
from thrudesk.services.starter import StarterAccount, create_starter_account
from thrudesk.services.store import Store, open_store, url_for_path

if TYPE_CHECKING:
    # Qt is imported only by the fixtures that show a window, so that a project testing the
    # services alone needs neither pytest-qt nor a QApplication.
    from PySide6.QtWidgets import QApplication
    from pytestqt.qtbot import QtBot

    from thrudesk.views.main_window import MainWindow
    from thrudesk.views.theme import ThemeManager

__all__ = [
    "DEFAULT_START",
    "ForcedOutcome",
    "advance_until_settled",
    "sim_clock",
    "thrudesk_account",
    "thrudesk_event_loop",
    "thrudesk_services",
    "thrudesk_simulator",
    "thrudesk_store",
    "thrudesk_theme",
    "thrudesk_window",
]

# Monday 2 March 2026, 09:00 US Eastern: a weekday morning, before the afternoon rush.
DEFAULT_START = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
# The run seed of the test simulator: the same actions give the same carrier answers (S3).
TEST_SEED = 0
# The size the program's screenshots have: tests see the window as the guide shows it.
WINDOW_SIZE = (1400, 860)


@dataclass(frozen=True)
class _Runtime:
    services: Services
    simulator: Simulator


@pytest.fixture
def sim_clock() -> ManualClock:
    """The manual clock: time moves only when the test calls ``advance``."""
    return ManualClock(DEFAULT_START)


@pytest.fixture
def thrudesk_store(tmp_path: Path) -> Iterator[Store]:
    """A fresh store (SQLite) in the test's temporary folder."""
    store = open_store(url_for_path(tmp_path / "thrudesk.sqlite3"))
    try:
        yield store
    finally:
        store.dispose()


@pytest.fixture
def _thrudesk_runtime(thrudesk_store: Store, sim_clock: ManualClock) -> Iterator[_Runtime]:
    services = Services(thrudesk_store, sim_clock)
    simulator = Simulator(services, seed=TEST_SEED)
    simulator.start()
    try:
        yield _Runtime(services, simulator)
    finally:
        simulator.stop()


@pytest.fixture
def thrudesk_services(_thrudesk_runtime: _Runtime) -> Services:
    """The services over the temporary store and the manual clock, the simulator running."""
    return _thrudesk_runtime.services


@pytest.fixture
def thrudesk_simulator(_thrudesk_runtime: _Runtime) -> Simulator:
    """The carrier simulator of ``thrudesk_services``, started on the manual clock (seed 0)."""
    return _thrudesk_runtime.simulator


@pytest.fixture
def thrudesk_account(thrudesk_services: Services) -> StarterAccount:
    """An account ready to buy numbers: an admin, a Registered brand, two Approved use cases."""
    return create_starter_account(thrudesk_services)


def _qt_fixture(request: pytest.FixtureRequest, name: str) -> object:
    """A pytest-qt fixture, or a clear error when pytest-qt is not installed."""
    try:
        return request.getfixturevalue(name)
    except pytest.FixtureLookupError:
        pass
    # Failed outside the handler, so that the report is this one line and not a lookup chain.
    pytest.fail(
        f"{request.fixturename} needs pytest-qt (pip install pytest-qt): "
        f"its {name!r} fixture is missing",
        pytrace=False,
    )


def _qapp(request: pytest.FixtureRequest) -> QApplication:
    from PySide6.QtWidgets import QApplication

    app = _qt_fixture(request, "qapp")
    assert isinstance(app, QApplication)
    return app


@pytest.fixture(scope="session")
def thrudesk_theme(request: pytest.FixtureRequest) -> ThemeManager:
    """The program's theme (light or dark, as the system says) applied to pytest-qt's
    application, with the icon search path the style sheet uses.
    """
    from thrudesk.views.theme import ThemeManager

    manager = ThemeManager(_qapp(request))
    manager.apply()
    return manager


@pytest.fixture
def thrudesk_event_loop(request: pytest.FixtureRequest) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync loop over pytest-qt's application, made the running loop for the test.

    The window's coroutine slots then advance whenever ``qtbot`` waits, as they do under the
    program's own loop. The loop is not started with ``run_forever`` (pytest-qt turns the Qt
    event loop), and so it is not stopped either: qasync's ``stop()`` would tell the
    application to quit, and every later wait of the session would return at once.
    """
    import qasync

    app = _qapp(request)
    loop = qasync.QEventLoop(app)
    # asyncio has no public way to mark a loop running without running it; qasync's slots
    # only need get_running_loop() to answer it.
    asyncio.events._set_running_loop(loop)
    try:
        yield loop
    finally:
        for task in asyncio.all_tasks(loop):
            task.cancel()
        app.processEvents()
        asyncio.events._set_running_loop(None)
        loop.close()


@pytest.fixture
def thrudesk_window(
    request: pytest.FixtureRequest,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
) -> Iterator[MainWindow]:
    """The main window over ``thrudesk_services`` and ``thrudesk_simulator``, showing
    ``thrudesk_account`` as its admin: shown, and closed after the test.

    Its settings (geometry, last tab) go to ``settings.ini`` in the test's temporary folder.
    """
    from PySide6.QtCore import QSettings

    from thrudesk.views.main_window import MainWindow

    qtbot = cast("QtBot", _qt_fixture(request, "qtbot"))
    request.getfixturevalue("thrudesk_theme")
    request.getfixturevalue("thrudesk_event_loop")
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(
        thrudesk_services, thrudesk_simulator, thrudesk_account.actor, settings=settings
    )
    qtbot.addWidget(window)
    window.resize(*WINDOW_SIZE)
    with qtbot.waitExposed(window):
        window.show()
    try:
        yield window
    finally:
        # pytest-qt closes the widgets it was given before fixtures end; this covers a window
        # that a test took out of its hands. Either way it stops listening to the services
        # before the simulator stops and the store closes.
        if window.isVisible():
            window.close()
        window.shutdown()


def advance_until_settled(
    clock: ManualClock,
    simulator: Simulator,
    number_id: int | None = None,
    *,
    limit: timedelta = timedelta(days=7),
) -> datetime:
    """Advance ``clock`` answer by answer until the number (or every number) has no carrier
    answer pending, or ``limit`` has passed; answer the clock's time then.
    """
    deadline = clock.now() + limit
    while True:
        due = simulator.next_due(JobKind.CARRIER_ANSWER, number_id)
        if due is None or due > deadline:
            return clock.now()
        clock.jump_to(max(due, clock.now()))
