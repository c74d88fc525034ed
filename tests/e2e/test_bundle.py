"""The one-folder program that ``make bundle`` builds (packaging/thrudesk.spec), run as an admin's
desktop would run it: from outside the repository, on a private X server, with no Python of its
own around.

Building takes a while, so the session builds once, into a temporary folder, and every test here
uses that build.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from tests.e2e.programs import RUN_TIMEOUT_S, children, run_program, wait_gone
from tests.pictures import png_size
from thrudesk import APP_ID, __version__

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "thrudesk.spec"
INSTALL = ROOT / "packaging" / "install-desktop.sh"
SIZE = (1400, 860)
BUILD_TIMEOUT_S = 1200
# What the log says when the simulator's applying process ended without being asked to.
APPLYING_ENDED = "the simulator's applying process ended"


def _clean_env() -> dict[str, str]:
    """The environment of a desktop session: none of this checkout's Python settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "PYTEST_", "VIRTUAL_ENV", "QT_"))
    }
    env["THRUDESK_NO_DIALOGS"] = "1"
    return env


class Bundle:
    """A built one-folder program: its folder and what the build recorded."""

    def __init__(self, folder: Path, work: Path) -> None:
        self.folder = folder
        self.work = work

    @property
    def program(self) -> Path:
        return self.folder / "thrudesk"

    @property
    def internal(self) -> Path:
        return self.folder / "_internal"

    def frozen_modules(self) -> set[str]:
        """The Python modules frozen into the program's archive (the build's PYZ table)."""
        table = ast.literal_eval((self.work / "PYZ-00.toc").read_text(encoding="utf-8"))
        # ('PYZ-00.pyz', [(name, path, kind), ...]) as PyInstaller writes it.
        entries = next(part for part in table if isinstance(part, list))
        return {str(entry[0]) for entry in entries}

    def run(
        self, args: list[str], env: dict[str, str], cwd: Path
    ) -> subprocess.CompletedProcess[str]:
        return run_program(self.program, args, env, cwd)


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """``pyinstaller packaging/thrudesk.spec`` into a temporary folder, once per session."""
    build = tmp_path_factory.mktemp("bundle")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(build / "dist"),
            "--workpath",
            str(build / "work"),
            str(SPEC),
        ],
        cwd=build,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    assert result.returncode == 0, f"the bundle did not build:\n{result.stderr[-5000:]}"
    built = Bundle(build / "dist" / "thrudesk", build / "work" / "thrudesk")
    assert built.program.is_file()
    return built


@pytest.mark.e2e
def test_bundled_program_paints_the_demo_under_xvfb(
    display: str, bundle: Bundle, tmp_path: Path
) -> None:
    target = tmp_path / "out.png"
    env = _clean_env()
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
    # The system's time-zone database is hidden: the zones must come from the bundled tzdata.
    env["PYTHONTZPATH"] = str(tmp_path / "no-zoneinfo")

    result = bundle.run(
        ["--data-dir", str(tmp_path / "profile"), "--demo", "--screenshot", str(target)],
        env,
        cwd=tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert png_size(target) == SIZE
    assert target.stat().st_size > 20_000, "the screenshot is (nearly) empty"
    log = (tmp_path / "profile" / "logs" / "thrudesk.log").read_text()
    # The store was created by the bundled Alembic scripts and filled with the demo.
    assert "playing the demo history" in log
    assert "screenshot saved" in log
    assert (tmp_path / "profile" / "thrudesk.sqlite3").stat().st_size > 0


@pytest.mark.e2e
def test_p5_bundled_program_hands_an_imports_process_to_multiprocessing(
    bundle: Bundle, tmp_path: Path
) -> None:
    """A contacts import's process starts as the bundled program again, with multiprocessing's
    arguments. Here no parent hands it a pipe, so multiprocessing stops at reading it: after it
    has taken the arguments, which the window's argument parser would have refused.
    """
    result = bundle.run(
        ["--multiprocessing-fork", "tracker_fd=-1", "pipe_handle=-1"], _clean_env(), cwd=tmp_path
    )
    assert result.returncode != 0
    assert "unrecognized arguments" not in result.stderr
    assert "spawn_main" in result.stderr


@pytest.mark.e2e
def test_r1_bundled_program_applies_the_simulators_batches_in_a_process_of_its_own(
    display: str, bundle: Bundle, tmp_path: Path
) -> None:
    """On a live clock the bundled program starts itself again as the simulator's applying
    process, which answers the demo's provisioning numbers; closed, it takes that process with
    it, and neither logs an error or a warning of the simulator.
    """
    profile = tmp_path / "profile"
    log = profile / "logs" / "thrudesk.log"
    env = _clean_env()
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
    program = subprocess.Popen(
        [str(bundle.program), "--data-dir", str(profile), "--demo", "--speed", "3600"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(lambda: _taken_over(log), program, "the take-over")
        found = re.search(r"simulator: applying in process (\d+)", _text(log))
        assert found is not None
        applying = int(found.group(1))
        assert applying in children(program.pid)  # the bundled program, started again
        # The demo's two numbers still provisioning get their answers, from the other process.
        _wait_for(lambda: _initiated(profile) == 0, program, "the carriers' answers")
    finally:
        program.send_signal(signal.SIGTERM)
        _, errors = program.communicate(timeout=60)
    assert program.returncode == 0, errors
    wait_gone(applying, timeout_s=30)
    written = _text(log)
    assert APPLYING_ENDED not in written  # it did not die on its own
    troubles = [
        line
        for line in written.splitlines()
        if " ERROR " in line or (" WARNING " in line and "thrudesk.simulation" in line)
    ]
    assert troubles == []


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _wait_for(condition: Callable[[], bool], program: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while not condition():
        if program.poll() is not None:
            pytest.fail(f"the program ended ({program.returncode}) before {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"no sign of {what} in {RUN_TIMEOUT_S} s")
        time.sleep(0.1)


def _taken_over(log: Path) -> bool:
    """Whether the applying process took the batches over; fails at once if it ended first."""
    written = _text(log)
    if APPLYING_ENDED in written:
        pytest.fail(f"the simulator's applying process ended by itself:\n{written[-3000:]}")
    return "took over the batches" in written


def _initiated(profile: Path) -> int:
    with closing(sqlite3.connect(profile / "thrudesk.sqlite3", timeout=5)) as store:
        (count,) = store.execute(
            "SELECT count(*) FROM phone_number WHERE provisioning_status = 'initiated'"
        ).fetchone()
    return int(count)


@pytest.mark.e2e
def test_bundled_program_prints_its_version(bundle: Bundle, tmp_path: Path) -> None:
    result = bundle.run(["--version"], _clean_env(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"thrudesk {__version__}"


@pytest.mark.e2e
def test_bundle_ships_its_data_and_leaves_out_what_thrudesk_does_not_use(bundle: Bundle) -> None:
    shipped = bundle.internal
    for data in (
        "thrudesk/resources/area_codes.json",
        "thrudesk/resources/themes/base.qss",
        "thrudesk/resources/themes/light.json",
        "thrudesk/resources/themes/dark.json",
        "thrudesk/resources/icons/phone.svg",
        "thrudesk/resources/app/thrudesk.svg",
        "thrudesk/resources/app/thrudesk-256.png",
        "thrudesk/migrations/env.py",
        "thrudesk/migrations/script.py.mako",
        "tzdata/zoneinfo/America/New_York",
        "desktop_notifier/resources/python.png",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    ):
        assert (shipped / data).is_file(), f"the bundle lacks {data}"
    versions = sorted(path.name for path in (shipped / "thrudesk/migrations/versions").glob("*.py"))
    expected = sorted(path.name for path in (ROOT / "thrudesk/migrations/versions").glob("*.py"))
    assert versions == expected

    modules = bundle.frozen_modules()
    for needed in (
        "thrudesk.app",
        "thrudesk.views.main_window",
        "phonenumbers.data.region_US",
        "phonenumbers.shortdata.region_US",
        "desktop_notifier.backends.dbus",
        "alembic.ddl.sqlite",
    ):
        assert needed in modules, f"the bundle lacks the module {needed}"
    for unused in ("pytest", "pytestqt", "hypothesis", "thrudesk.testing", "tkinter"):
        assert unused not in modules, f"the bundle carries {unused}"
    assert not [name for name in modules if name.startswith("phonenumbers.geodata")]
    assert not (shipped / "PySide6" / "Qt" / "translations").exists()
    assert not (shipped / "PySide6" / "QtNetwork.abi3.so").exists()
    assert not (shipped / "PySide6/Qt/plugins/platformthemes/libqgtk3.so").exists()


@pytest.mark.e2e
def test_install_script_puts_the_bundle_in_the_menu_and_takes_it_away(
    bundle: Bundle, tmp_path: Path
) -> None:
    prefix = tmp_path / "prefix"
    installed = subprocess.run(
        ["sh", str(INSTALL), "--prefix", str(prefix), "--bundle", str(bundle.folder)],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr
    entry = prefix / "share" / "applications" / f"{APP_ID}.desktop"
    assert f'Exec="{prefix}/bin/thrudesk"' in entry.read_text().splitlines()
    assert (prefix / "share" / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    assert (prefix / "share/icons/hicolor/scalable/apps" / f"{APP_ID}.svg").is_file()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert (prefix / f"share/icons/hicolor/{size}x{size}/apps/{APP_ID}.png").is_file(), size
    validate = shutil.which("desktop-file-validate")
    if validate is not None:
        checked = subprocess.run(
            [validate, str(entry)], capture_output=True, text=True, timeout=60, check=False
        )
        assert checked.returncode == 0, checked.stdout
    version = subprocess.run(
        [str(prefix / "bin" / "thrudesk"), "--version"],
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    assert version.stdout.strip() == f"thrudesk {__version__}"

    removed = subprocess.run(
        ["sh", str(INSTALL), "--prefix", str(prefix), "--uninstall"],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    assert removed.returncode == 0, removed.stderr
    left = sorted(
        str(path.relative_to(prefix))
        for path in prefix.rglob("*")
        if path.is_file() and path.name != "mimeinfo.cache"
    )
    assert left == []
