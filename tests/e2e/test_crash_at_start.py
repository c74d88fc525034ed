"""R1: the real program killed with SIGKILL at 20 moments of a first start (the store made and the
demo played into it) and at 20 moments of an upgrade from each older schema.

Each kill lands at a random moment inside the stretch where the program writes the store: from
the moment its draft (first start) or its backup (upgrade) appears to a little after the store is
whole. After every kill the store must be either not made yet (the next start makes it) or whole:
it opens, passes SQLite's integrity check, and holds exactly what it held before, or the whole
demo with a clock that runs. Some of the killed profiles are then started again for real.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.programs import run_program
from tests.unit.services.helpers import old_store_with_rows
from thrudesk.migrations import HEAD_REVISION, KNOWN_REVISIONS
from thrudesk.services.store import holds_no_data, open_store, url_for_path

PROGRAM = Path(sys.executable).with_name("thrudesk")
KILLS = 20
# Every fifth killed profile is started again for real.
RESTART_EVERY = 5
START_TIMEOUT_S = 60
STORE = "thrudesk.sqlite3"
DEMO_COUNTS = ("account", "user", "phone_number", "campaign", "contact", "conversation")
OLDER_REVISIONS = sorted(KNOWN_REVISIONS - {HEAD_REVISION})

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not hasattr(signal, "SIGKILL"), reason="SIGKILL exists on POSIX systems only"
    ),
]


def _env() -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", THRUDESK_NO_DIALOGS="1")


def _log_says(data_dir: Path, line: str) -> bool:
    log = data_dir / "logs" / "thrudesk.log"
    return log.exists() and line in log.read_text(encoding="utf-8", errors="replace")


def _start(data_dir: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(PROGRAM), "--data-dir", str(data_dir), "--speed", "60"],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for(process: subprocess.Popen[bytes], seen: Callable[[], bool]) -> float:
    """Wait until ``seen()`` holds; answer when (time.monotonic)."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if seen():
            return time.monotonic()
        if process.poll() is not None:
            pytest.fail(f"thrudesk exited with {process.returncode} before it was killed")
        time.sleep(0.002)
    pytest.fail("thrudesk did not reach the moment in time")


def _kill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def _measure(data_dir: Path, began: Callable[[], bool], ended: Callable[[], bool]) -> float:
    """How long an unkilled start writes the store: from ``began`` to ``ended``."""
    process = _start(data_dir)
    try:
        start = _wait_for(process, began)
        end = _wait_for(process, ended)
    finally:
        _kill(process)
    return end - start


def _killed_at(
    data_dir: Path, began: Callable[[], bool], after_s: float
) -> subprocess.Popen[bytes]:
    process = _start(data_dir)
    try:
        _wait_for(process, began)
        time.sleep(after_s)
    finally:
        _kill(process)
    return process


def _moments(rng: random.Random, stretch_s: float) -> list[float]:
    """KILLS moments spread over the stretch and a little past it, one in each slice."""
    reach = stretch_s * 1.15
    return [(i + rng.random()) * reach / KILLS for i in range(KILLS)]


def _counts(path: Path, tables: tuple[str, ...]) -> dict[str, int]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return {
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in tables
        }


def _restart_opens(data_dir: Path, tmp_path: Path) -> None:
    """The next start of the real program opens the profile and paints its window."""
    shot = tmp_path / "after-kill.png"
    result = run_program(PROGRAM, ["--data-dir", str(data_dir), "--screenshot", str(shot)], _env())
    assert result.returncode == 0, result.stderr
    assert shot.exists()


def _clock_kind(path: Path) -> str:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return str(db.execute("SELECT clock_kind FROM simulation_state").fetchone()[0])


def test_r1_sigkill_at_twenty_moments_of_a_first_start_leaves_nothing_half_made(
    tmp_path: Path,
) -> None:
    reference = tmp_path / "reference"
    store = reference / STORE
    draft = reference / f"{STORE}.creating"
    stretch = _measure(reference, draft.exists, store.exists)
    demo = _counts(store, DEMO_COUNTS)
    assert demo["account"] == 2
    assert demo["campaign"] > 5
    rng = random.Random(20261207)
    made = 0
    for index, moment in enumerate(_moments(rng, stretch)):
        data_dir = tmp_path / f"killed-{index}"
        store = data_dir / STORE
        draft = data_dir / f"{STORE}.creating"
        _killed_at(data_dir, draft.exists, moment)
        if holds_no_data(store):
            assert not store.exists(), f"kill {index} at {moment:.3f} s left an empty store"
        else:
            made += 1
            open_store(url_for_path(store)).dispose()  # opens, intact
            assert _counts(store, DEMO_COUNTS) == demo, f"kill {index} at {moment:.3f} s"
            assert _clock_kind(store) != "manual"
        if index % RESTART_EVERY == 0:
            _restart_opens(data_dir, tmp_path)
            assert _counts(store, DEMO_COUNTS) == demo
            assert _clock_kind(store) != "manual"
        shutil.rmtree(data_dir)
    # Most kills came while the store was being made, a few once it was whole.
    assert made < KILLS // 2


OLD_TABLES = ("account", "user", "campaign", "contact", "conversation")


def _old_store(data_dir: Path, revision: str) -> Path:
    data_dir.mkdir(parents=True)
    path = data_dir / STORE
    old_store_with_rows(path, revision)
    return path


def _backup_started(data_dir: Path) -> Callable[[], bool]:
    def started() -> bool:
        return any(name.name.endswith((".bak", ".bak.partial")) for name in data_dir.iterdir())

    return started


def _old_rows_kept(path: Path) -> None:
    assert _counts(path, OLD_TABLES) == dict.fromkeys(OLD_TABLES, 1)
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        row = db.execute(
            "SELECT c.title, v.fields, v.message_state FROM conversation v "
            "JOIN campaign c ON c.id = v.campaign_id"
        ).fetchone()
        revision = db.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    assert row == ("Old campaign", '{"ward": "W1"}', "sent")
    assert revision == HEAD_REVISION
    assert integrity == "ok"


@pytest.mark.parametrize("revision", OLDER_REVISIONS)
def test_r1_sigkill_at_twenty_moments_of_an_upgrade_loses_and_repeats_nothing(
    tmp_path: Path, revision: str
) -> None:
    reference = tmp_path / "reference"
    _old_store(reference, revision)
    stretch = _measure(
        reference,
        _backup_started(reference),
        lambda: _log_says(reference, "upgraded the store"),
    )
    _old_rows_kept(reference / STORE)
    rng = random.Random(f"upgrade from {revision}")
    left_old = 0
    for index, moment in enumerate(_moments(rng, stretch)):
        data_dir = tmp_path / f"killed-{index}"
        path = _old_store(data_dir, revision)
        _killed_at(data_dir, _backup_started(data_dir), moment)
        # Read as any program that may write reads it: what a killed transaction left in a
        # journal is rolled back first.
        with sqlite3.connect(path) as db:
            found = db.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        db.close()
        assert found in (revision, HEAD_REVISION)
        left_old += found == revision
        if index % RESTART_EVERY == 0:
            _restart_opens(data_dir, tmp_path)
        else:
            open_store(url_for_path(path)).dispose()  # what the next start does first
        _old_rows_kept(path)
        backups = sorted(p.name for p in data_dir.iterdir() if p.name.endswith(".bak"))
        assert all(name.startswith(f"{STORE}.{revision}.") for name in backups), backups
        shutil.rmtree(data_dir)
    # Kills landed before the upgrade's commit (some may land after it, as the machine's load
    # has it); one more lands after it for certain.
    assert left_old > 0
    data_dir = tmp_path / "killed-after"
    path = _old_store(data_dir, revision)
    _killed_at(data_dir, lambda: _log_says(data_dir, "upgraded the store"), 0.0)
    open_store(url_for_path(path)).dispose()
    _old_rows_kept(path)
