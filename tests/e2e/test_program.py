"""The installed ``thrudesk`` program, run as a subprocess: screenshots of each tab under Xvfb,
the command line, and refusals at start-up (QUALITY.md R4).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QLockFile

from tests.damage import damage_table
from tests.e2e.programs import run_program
from tests.pictures import png_size

PROGRAM = Path(sys.executable).with_name("thrudesk")
TABS = ("Phone Numbers", "Campaigns", "Campaign Details")
SIZE = (1400, 860)


def _headless_env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["THRUDESK_NO_DIALOGS"] = "1"
    return env


@pytest.mark.e2e
@pytest.mark.parametrize("tab", TABS)
def test_demo_screenshot_of_each_tab(display: str, tab: str, tmp_path: Path) -> None:
    target = tmp_path / "window.png"
    env = dict(os.environ)
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", THRUDESK_NO_DIALOGS="1")
    result = run_program(
        PROGRAM,
        [
            "--data-dir",
            str(tmp_path / "profile"),
            "--demo",
            "--screenshot",
            str(target),
            "--tab",
            tab,
        ],
        env,
    )
    assert result.returncode == 0, result.stderr
    assert target.stat().st_size > 20_000, "the screenshot is (nearly) empty"
    assert png_size(target) == SIZE
    log = (tmp_path / "profile" / "logs" / "thrudesk.log").read_text()
    assert "playing the demo history" in log
    assert "screenshot saved" in log


def test_version_prints_the_program_and_its_version() -> None:
    result = run_program(PROGRAM, ["--version"], _headless_env())
    assert result.returncode == 0
    from thrudesk import __version__

    assert result.stdout.strip() == f"thrudesk {__version__}"


def test_help_lists_every_option_with_a_sentence() -> None:
    result = run_program(PROGRAM, ["--help"], _headless_env())
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    for option in (
        "--data-dir DIR",
        "--database-url URL",
        "--demo",
        "--speed N",
        "--screenshot FILE",
        "--tab NAME",
        "--campaign ID",
        "--version",
        "--help",
    ):
        assert option in text, f"--help does not mention {option}"
    assert '"Phone Numbers", "Campaigns" or "Campaign Details"' in text


def test_a_tab_that_does_not_exist_is_refused() -> None:
    result = run_program(PROGRAM, ["--tab", "Settings"], _headless_env())
    assert result.returncode == 2
    assert "no tab named 'Settings'" in result.stderr


def test_r4_second_instance_on_the_same_store_is_refused(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    held = QLockFile(str(profile / "thrudesk.sqlite3.lock"))
    assert held.tryLock(0)
    try:
        result = run_program(PROGRAM, ["--data-dir", str(profile)], _headless_env())
    finally:
        held.unlock()
    assert result.returncode == 2
    assert "already open in another thrudesk" in result.stderr
    assert not (profile / "thrudesk.sqlite3").exists(), "a refused start touches no store"


def test_r4_a_file_that_is_not_a_store_is_refused_and_left_untouched(tmp_path: Path) -> None:
    foreign = tmp_path / "notes.sqlite3"
    foreign.write_text("shopping list\n")
    result = run_program(
        PROGRAM,
        [
            "--data-dir",
            str(tmp_path / "profile"),
            "--database-url",
            f"sqlite:///{foreign}",
            "--screenshot",
            str(tmp_path / "never.png"),
        ],
        _headless_env(),
    )
    assert result.returncode == 2
    assert "is not a thrudesk store" in result.stderr
    assert foreign.read_text() == "shopping list\n"
    assert not (tmp_path / "never.png").exists()


@pytest.mark.parametrize("seeded", [False, True], ids=["empty", "with-demo"])
def test_r4_a_store_with_a_damaged_page_is_refused_and_left_untouched(
    tmp_path: Path, seeded: bool
) -> None:
    from thrudesk.services.clock import utcnow
    from thrudesk.services.demo import seed_demo
    from thrudesk.services.simulation.engine import Simulator
    from thrudesk.services.store import open_store, url_for_path

    profile = tmp_path / "profile"
    profile.mkdir()
    store_file = profile / "thrudesk.sqlite3"
    store = open_store(url_for_path(store_file))
    if seeded:
        seed_demo(store, utcnow(), attach_simulator=Simulator)
    store.dispose()
    damage_table(store_file, "invite_link")
    before = store_file.read_bytes()
    result = run_program(
        PROGRAM,
        ["--data-dir", str(profile), "--screenshot", str(tmp_path / "window.png")],
        _headless_env(),
    )
    assert result.returncode == 2, result.stderr
    assert "is damaged" in result.stderr
    assert store_file.read_bytes() == before
