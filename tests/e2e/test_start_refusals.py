"""The real program at start-up, given a store or a profile it cannot use as asked: each gets a
message and an exit code, never a traceback, and nothing is written (DOMAIN.md "Errors",
QUALITY.md R4).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from tests.damage import damage_table
from tests.e2e.programs import run_program
from tests.unit.services.helpers import store_at_revision
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
    store_at_revision(path, "0001")
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO account (id, name, timezone, provisioning_based_launching, "
            "default_batch_size, dedicated_number_limit, created_at) "
            "VALUES (1, 'Old Org', 'America/Chicago', 1, 300, 5, '2026-01-05 10:00:00')"
        )
        db.execute(
            "INSERT INTO user (id, account_id, name, email, role, created_at) "
            "VALUES (1, 1, 'Ada Admin', 'ada@old.example', 'admin', '2026-01-05 10:00:00')"
        )
    db.close()
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
