"""R1: the real program killed with SIGKILL at 30 random moments of a busy simulation.

A store is prepared with a few hundred numbers in the carriers' queue (single-use launches on
busy weekday-afternoon timing, so the answers spread over hours of simulated time). The installed
``thrudesk`` then runs on it at 3600× and is killed with SIGKILL at a random moment after its
simulator has started, thirty times over: some while the window's process applies the batches,
the others once the simulator's applying process has taken them over, which must end with it.
Finally a headless engine on the same store lets every remaining job fall due, and the store
must show: no number lost or duplicated, every provisioning job applied exactly once, one
terminal event per number, no campaign left Launching on a complete number, and an intact
database.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.programs import children as running_children
from tests.e2e.programs import wait_gone
from thrudesk.models import SimulationState
from thrudesk.models.enums import ClockKind, NumberMode, Scenario
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.simulation.clock_state import stored_now
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import create_starter_account
from thrudesk.services.store import open_store, url_for_path

PROGRAM = Path(sys.executable).with_name("thrudesk")
KILLS = 30
USE_CASES = 8
LAUNCHES_PER_USE_CASE = 30
# A weekday at 13:00 US Eastern: the busy afternoon queue.
START = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
STARTED_LINE = "simulator started"
START_TIMEOUT_S = 60
# The applying process takes over a second or so after the simulator starts: kills up to three
# seconds after it land on either side of the take-over.
KILL_WITHIN_S = 3.0
# How long the applying process may outlive the killed window's process.
ORPHAN_TIMEOUT_S = 15


def _prepare(data_dir: Path) -> int:
    """A store with many single-use launches in the carriers' queue; answers how many numbers."""
    data_dir.mkdir(parents=True)
    store = open_store(url_for_path(data_dir / "thrudesk.sqlite3"))
    clock = ManualClock(START)
    services = Services(store, clock)
    simulator = Simulator(services, seed=11)
    simulator.set_scenario(Scenario.BUSY_AFTERNOON)
    account = create_starter_account(
        services,
        "Crash Test Org",
        use_cases=tuple(f"Use case {i}" for i in range(USE_CASES)),
    )
    simulator.start()
    for use_case in account.use_case_ids:
        for index in range(LAUNCHES_PER_USE_CASE):
            campaign = services.campaigns.create(
                account.actor,
                f"Launch {use_case}-{index}",
                area_codes=["512", "737"],
                use_case_id=use_case,
            )
            services.campaigns.launch(account.actor, campaign, NumberMode.SINGLE_USE)
    simulator.stop()
    with store.begin() as session:
        state = session.get_one(SimulationState, 1)
        state.clock_kind = ClockKind.SCALED
        state.speed = 3600.0
        state.paused = False
    store.dispose()
    return USE_CASES * LAUNCHES_PER_USE_CASE


def _run_and_kill(data_dir: Path, rng: random.Random) -> list[int]:
    """Start the program, wait until its simulator runs, SIGKILL it a random moment later;
    answer the processes it had started (the simulator's applying process, once it has one).
    """
    log = data_dir / "logs" / "thrudesk.log"
    seen = log.read_text(encoding="utf-8").count(STARTED_LINE) if log.exists() else 0
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", THRUDESK_NO_DIALOGS="1")
    process = subprocess.Popen(
        [str(PROGRAM), "--data-dir", str(data_dir), "--speed", "3600"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children: list[int] = []
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if log.exists() and log.read_text(encoding="utf-8").count(STARTED_LINE) > seen:
                break
            if process.poll() is not None:
                pytest.fail(f"thrudesk exited with {process.returncode} before being killed")
            time.sleep(0.02)
        else:
            pytest.fail("thrudesk did not start its simulator in time")
        time.sleep(rng.uniform(0.0, KILL_WITHIN_S))
        children = running_children(process.pid)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    for child in children:
        wait_gone(child, ORPHAN_TIMEOUT_S)
    return children


def _settle(data_dir: Path) -> None:
    """A headless engine on the killed store lets every remaining job fall due."""
    store = open_store(url_for_path(data_dir / "thrudesk.sqlite3"))
    with store.read() as session:
        resume = stored_now(session)
    clock = ManualClock(resume)
    simulator = Simulator(Services(store, clock))
    simulator.start()
    clock.advance(timedelta(days=3))
    simulator.stop()
    store.dispose()


@pytest.mark.e2e
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL exists on POSIX systems only")
def test_r1_sigkill_at_thirty_moments_loses_and_repeats_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "profile"
    numbers = _prepare(data_dir)
    rng = random.Random(20261122)
    killed_applying = sum(1 for _ in range(KILLS) if _run_and_kill(data_dir, rng))
    with sqlite3.connect(data_dir / "thrudesk.sqlite3") as db:
        (answered_by_runs,) = db.execute(
            "SELECT count(*) FROM event WHERE kind = 'carrier_answered'"
        ).fetchone()
    # The runs really were busy: the killed program applied a good share of all the answers.
    assert answered_by_runs >= numbers
    # Some kills came while the simulator's applying process ran (it ended with the window's).
    if sys.platform.startswith("linux"):
        assert killed_applying >= 5
    _settle(data_dir)

    with sqlite3.connect(data_dir / "thrudesk.sqlite3") as db:

        def one(sql: str) -> object:
            return db.execute(sql).fetchone()[0]

        assert one("PRAGMA integrity_check") == "ok"
        # No number lost or duplicated.
        assert one("SELECT count(*) FROM phone_number") == numbers
        assert one("SELECT count(DISTINCT e164) FROM phone_number") == numbers
        assert one("SELECT count(*) FROM carrier_check") == 3 * numbers
        # Every provisioning job applied, and applied once.
        assert (
            one(
                "SELECT count(*) FROM simulation_job WHERE applied_at IS NULL "
                "AND kind = 'carrier_answer'"
            )
            == 0
        )
        assert (
            one(
                """SELECT count(*) FROM (SELECT subject_id, json_extract(after, '$.carrier') AS c
               FROM event WHERE kind = 'carrier_answered'
               GROUP BY subject_id, c HAVING count(*) > 1)"""
            )
            == 0
        )
        # Every number ended, with exactly one terminal event.
        assert one("SELECT count(*) FROM phone_number WHERE provisioning_status = 'initiated'") == 0
        assert (
            one(
                """SELECT count(*) FROM phone_number p WHERE (SELECT count(*) FROM event e
               WHERE e.subject_type = 'phone_number' AND e.subject_id = p.id
               AND e.kind IN ('provisioning_completed', 'provisioning_failed')) != 1"""
            )
            == 0
        )
        # No campaign left Launching on a number that has completed.
        assert (
            one(
                """SELECT count(*) FROM campaign c JOIN phone_number p ON p.id = c.phone_number_id
               WHERE c.status = 'launching' AND p.provisioning_status = 'complete'"""
            )
            == 0
        )
        assert one("SELECT count(*) FROM campaign WHERE status = 'launching'") == 0
