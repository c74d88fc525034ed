"""The window on a real desktop (UI.md "Everywhere", issue 33): under GNOME's gtk3 platform theme,
in its light and dark variants, at 1024×700 and 1920×1080, no badge, kind, date or header of the
demo's tables is cut short, nothing scrolls sideways and the window fits the screen.
"""

from __future__ import annotations

import ctypes.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.programs import RUN_TIMEOUT_S, run_program

PROGRAM = Path(sys.executable).with_name("thrudesk")
SIZES = ((1024, 700), (1920, 1080))

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's store, made once by the program itself."""
    profile = tmp_path_factory.mktemp("demo-profile")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", THRUDESK_NO_DIALOGS="1")
    shot = profile / "first.png"
    result = run_program(PROGRAM, ["--data-dir", str(profile), "--screenshot", str(shot)], env)
    assert result.returncode == 0, result.stderr
    return profile / "thrudesk.sqlite3"


@pytest.mark.parametrize("variant", ["Adwaita", "Adwaita:dark"], ids=["light", "dark"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_under_the_gtk3_theme_nothing_of_the_demo_is_cut_short(
    display: str, demo_store: Path, tmp_path: Path, variant: str, size: tuple[int, int]
) -> None:
    if ctypes.util.find_library("gtk-3") is None:
        pytest.skip("GTK 3 is not installed (apt-get install libgtk-3-0); the gtk3 theme needs it")
    store = tmp_path / "thrudesk.sqlite3"
    store.write_bytes(demo_store.read_bytes())
    env = dict(
        os.environ,
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        QT_QPA_PLATFORMTHEME="gtk3",
        GTK_THEME=variant,
        THRUDESK_NO_DIALOGS="1",
    )
    result = subprocess.run(
        [sys.executable, "-m", "tests.e2e.desktop_tables", str(store), *map(str, size)],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["cut"] == [], report
