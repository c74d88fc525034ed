"""R4: the real program on a disk that is full, on a size-limited file system (a tmpfs mounted
for the test, where the machine lets the test mount one).

On a new profile the start is refused with a message and leaves nothing behind. On a running
store, the simulator's batches stop without losing anything while the disk is full, the program
says so, and it goes on by itself once there is room again.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.programs import run_program
from tests.e2e.test_crash_safety import _prepare

PROGRAM = Path(sys.executable).with_name("thrudesk")
STORE = "thrudesk.sqlite3"
WAIT_S = 60

pytestmark = pytest.mark.e2e


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A folder on a tmpfs of 16 MB, unmounted after the test."""
    mount = shutil.which("mount")
    folder = tmp_path / "small-disk"
    folder.mkdir()
    if mount is None or os.name != "posix" or os.geteuid() != 0:
        pytest.skip("a size-limited file system needs mount(8) and root to make one here")
    made = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip(f"this machine lets no test mount a tmpfs: {made.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder: Path, *, leave: int = 0) -> Path:
    """Fill the file system under ``folder`` up to ``leave`` bytes; answer the filler."""
    filler = folder / "filler"
    with filler.open("wb") as handle:
        try:
            while True:
                free = shutil.disk_usage(folder).free
                if free <= leave:
                    break
                handle.write(b"\0" * min(1 << 20, free - leave))
                handle.flush()
        except OSError:
            pass
    return filler


def _env() -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", THRUDESK_NO_DIALOGS="1")


@pytest.mark.parametrize("room", [0, 96 * 1024], ids=["no room", "room for the lock"])
def test_r4_a_first_start_on_a_full_disk_is_refused_and_leaves_nothing_behind(
    small_disk: Path, tmp_path: Path, room: int
) -> None:
    _fill(small_disk, leave=room)
    store = small_disk / STORE
    result = run_program(
        PROGRAM,
        [
            "--data-dir",
            str(tmp_path / "profile"),
            "--database-url",
            f"sqlite:///{store}",
            "--screenshot",
            str(tmp_path / "never.png"),
        ],
        _env(),
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "disk is full" in result.stderr
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


def _log_count(log: Path, line: str) -> int:
    return log.read_text(encoding="utf-8", errors="replace").count(line) if log.exists() else 0


def _wait_for_line(process: subprocess.Popen[bytes], log: Path, line: str, seen: int) -> None:
    deadline = time.monotonic() + WAIT_S
    while _log_count(log, line) <= seen:
        assert process.poll() is None, f"thrudesk ended with {process.returncode}"
        assert time.monotonic() < deadline, f"the log never said {line!r}"
        time.sleep(0.05)


def _pending(store: Path) -> int:
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as db:
        (count,) = db.execute(
            "SELECT count(*) FROM simulation_job WHERE applied_at IS NULL"
        ).fetchone()
    db.close()
    return int(count)


def test_r4_a_full_disk_stops_the_batches_losing_nothing_and_they_go_on_when_there_is_room(
    small_disk: Path, tmp_path: Path
) -> None:
    prepared = tmp_path / "prepared"
    numbers = _prepare(prepared)
    store = small_disk / STORE
    shutil.copyfile(prepared / STORE, store)
    profile = tmp_path / "profile"
    log = profile / "logs" / "thrudesk.log"
    process = subprocess.Popen(
        [str(PROGRAM), "--data-dir", str(profile), "--database-url", f"sqlite:///{store}"],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_line(process, log, "simulator started", 0)
        filler = _fill(small_disk)
        _wait_for_line(process, log, "the disk is full", 0)
        time.sleep(1.0)
        waiting = _pending(store)
        time.sleep(1.0)
        # An hour of simulated time has passed, and nothing more was applied.
        assert _pending(store) == waiting
        filler.unlink()
        _wait_for_line(process, log, "the store can be written again", 0)
        deadline = time.monotonic() + WAIT_S
        while _pending(store) >= waiting:
            assert time.monotonic() < deadline, "the batches did not go on"
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=30)
    assert "Traceback" not in err.decode(errors="replace")
    assert process.returncode == 0
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM phone_number").fetchone()[0] == numbers
        failed = db.execute(
            "SELECT count(*) FROM simulation_job WHERE json_extract(payload, '$.failed') "
            "IS NOT NULL"
        ).fetchone()[0]
    db.close()
    assert failed == 0
