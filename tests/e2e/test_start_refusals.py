"""The real program at start-up, given a store or a profile it cannot use as asked: each gets a
message and an exit code, never a traceback, and nothing is written (DOMAIN.md "Errors",
QUALITY.md R4).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.damage import damage_table
from tests.e2e.programs import run_program
from tests.unit.services.helpers import old_store_with_rows
from thrudesk.services.store import open_store, url_for_path

PROGRAM = Path(sys.executable).with_name("thrudesk")
STORE = "thrudesk.sqlite3"


def _env() -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", THRUDESK_NO_DIALOGS="1")


def _run(*args: str) -> tuple[int, str]:
    result = run_program(PROGRAM, list(args), _env())
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stderr


def _upgraded_profile(profile: Path) -> Path:
    """A profile whose store was upgraded from schema 0001 (so a backup lies beside it)."""
    profile.mkdir()
    path = profile / STORE
    old_store_with_rows(path, "0001")
    open_store(url_for_path(path)).dispose()
    return path


def test_r4_a_damaged_store_names_its_backup_and_restore_backup_puts_it_back(
    tmp_path: Path,
) -> None:
    profile = tmp_path / "profile"
    path = _upgraded_profile(profile)
    damage_table(path, "account")
    shot = tmp_path / "window.png"
    code, said = _run("--data-dir", str(profile), "--screenshot", str(shot))
    assert code == 2
    assert "damaged" in said
    assert ".0001." in said
    assert "--restore-backup" in said
    assert not shot.exists()

    code, said = _run("--data-dir", str(profile), "--restore-backup", "--screenshot", str(shot))
    assert code == 0, said
    assert "restored" in said
    assert shot.exists()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT name FROM account").fetchall() == [("Old Org",)]
    db.close()
    assert list(profile.glob(f"{STORE}.set-aside.*"))


def test_r4_restore_backup_without_a_backup_is_refused(tmp_path: Path) -> None:
    code, said = _run("--data-dir", str(tmp_path / "profile"), "--restore-backup")
    assert code == 2
    assert "There is no backup beside" in said


def test_r4_a_url_that_is_not_a_database_url_is_refused(tmp_path: Path) -> None:
    code, said = _run("--data-dir", str(tmp_path / "p"), "--database-url", "notaurl")
    assert code == 2
    assert "notaurl is not a database URL" in said


def test_r4_a_url_whose_driver_is_not_installed_is_refused(tmp_path: Path) -> None:
    url = "postgresql+pg8000://thrudesk@localhost/thrudesk"
    code, said = _run("--data-dir", str(tmp_path / "p"), "--database-url", url)
    assert code == 2
    assert "pg8000" in said
    assert "is not installed" in said


def test_r4_a_url_of_an_unknown_database_is_refused(tmp_path: Path) -> None:
    code, said = _run("--data-dir", str(tmp_path / "p"), "--database-url", "nosuchdb://x/y")
    assert code == 2
    assert "nosuchdb" in said


def test_r4_an_in_memory_url_is_refused_rather_than_losing_everything_at_exit(
    tmp_path: Path,
) -> None:
    for url in ("sqlite:///", "sqlite://", "sqlite:///:memory:"):
        code, said = _run("--data-dir", str(tmp_path / "p"), "--database-url", url)
        assert code == 2, url
        assert "in memory" in said


def test_r4_a_read_only_url_is_refused_and_the_file_left_untouched(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    path = _upgraded_profile(profile)
    before = path.read_bytes()
    url = f"sqlite:///file:{path}?mode=ro&uri=true"
    code, said = _run("--data-dir", str(tmp_path / "p"), "--database-url", url)
    assert code == 2
    assert "read-only" in said
    assert path.read_bytes() == before


def test_r4_a_data_dir_that_is_a_file_is_refused(tmp_path: Path) -> None:
    plain = tmp_path / "notes.txt"
    plain.write_text("not a folder\n")
    code, said = _run("--data-dir", str(plain))
    assert code == 2
    assert "is a file, not a folder" in said
    assert plain.read_text() == "not a folder\n"


def test_r4_a_read_only_data_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        code, said = _run("--data-dir", str(folder))
    finally:
        folder.chmod(0o700)
    assert code == 2
    assert "read-only" in said
    assert list(folder.iterdir()) == []


def test_r4_a_store_its_owner_made_read_only_is_refused_and_stays_read_only(
    tmp_path: Path,
) -> None:
    profile = tmp_path / "profile"
    path = _upgraded_profile(profile)
    path.chmod(0o400)
    before = path.read_bytes()
    code, said = _run("--data-dir", str(profile))
    assert code == 2
    assert "read-only" in said
    assert path.stat().st_mode & 0o777 == 0o400
    assert path.read_bytes() == before


def test_r5_an_existing_data_dir_keeps_its_mode_and_every_file_is_the_owners_alone(
    tmp_path: Path,
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    shot = tmp_path / "window.png"
    code, said = _run("--data-dir", str(shared), "--screenshot", str(shot))
    assert code == 0, said
    assert shared.stat().st_mode & 0o777 == 0o755
    assert (shared / "logs").stat().st_mode & 0o777 == 0o700
    for name in ("thrudesk.sqlite3", "logs/thrudesk.log"):
        assert (shared / name).stat().st_mode & 0o077 == 0, name
    # The settings are written by a window that closes as an admin closes it (SIGTERM does).
    log = shared / "logs" / "thrudesk.log"
    before = log.read_text(encoding="utf-8").count("simulator started")
    process = subprocess.Popen(
        [str(PROGRAM), "--data-dir", str(shared)],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while log.read_text(encoding="utf-8").count("simulator started") <= before:
        assert time.monotonic() < deadline, "thrudesk did not start"
        assert process.poll() is None, "thrudesk ended by itself"
        time.sleep(0.05)
    assert (shared / "thrudesk.sqlite3.lock").exists()
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert (shared / "settings.ini").exists()
    for found in shared.rglob("*"):
        if found.is_file():
            assert found.stat().st_mode & 0o077 == 0, found


def test_r4_a_second_program_on_the_same_store_by_url_is_refused(tmp_path: Path) -> None:
    from PySide6.QtCore import QLockFile

    profile = tmp_path / "profile"
    path = _upgraded_profile(profile)
    held = QLockFile(str(path) + ".lock")
    assert held.tryLock(100)
    try:
        for args in (
            ["--database-url", url_for_path(path)],
            ["--data-dir", str(tmp_path / "elsewhere"), "--database-url", url_for_path(path)],
            ["--data-dir", str(profile)],
        ):
            code, said = _run(*args)
            assert code == 2, args
            assert "already open in another thrudesk" in said
    finally:
        held.unlock()
