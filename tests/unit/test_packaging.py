"""What the desktop sees of thrudesk: the desktop file, the AppStream metainfo and the icons.

The validators are the desktop's own (desktop-file-utils and appstream; .ci/run installs both).
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from tests.pictures import png_size
from thrudesk import APP_ID, APP_NAME, __version__

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
DESKTOP_FILE = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
ICONS = PACKAGING / "icons"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
VALIDATE_TIMEOUT_S = 60


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (apt-get install {package})")
    return path


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_file_passes_desktop_file_validate() -> None:
    validate = _tool("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run(
        [validate, str(DESKTOP_FILE)],
        capture_output=True,
        text=True,
        timeout=VALIDATE_TIMEOUT_S,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Not even a hint or a warning.
    assert result.stdout.strip() == "", result.stdout


def test_metainfo_passes_appstreamcli_validate() -> None:
    appstreamcli = _tool("appstreamcli", "appstream")
    result = subprocess.run(
        [appstreamcli, "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        timeout=VALIDATE_TIMEOUT_S,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo_release_is_the_package_version() -> None:
    component = ElementTree.parse(METAINFO).getroot()
    releases = component.findall("releases/release")
    assert releases, "the metainfo lists no release"
    assert releases[0].get("version") == __version__  # the newest release comes first


def test_desktop_file_metainfo_and_window_share_the_application_id() -> None:
    entry = _desktop_entry()
    component = ElementTree.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable[@type='desktop-id']") == DESKTOP_FILE.name
    assert entry["Icon"] == APP_ID
    # The program the menu starts is the console script the package installs.
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert entry["Exec"] == APP_NAME
    assert APP_NAME in scripts
    assert component.findtext("provides/binary") == APP_NAME
    # The window tells the desktop which entry it belongs to: the desktop file's name on
    # Wayland (and _GTK_APPLICATION_ID on X11), and on X11 the class of WM_CLASS, which Qt takes
    # from the program's name.
    app_source = (ROOT / "thrudesk" / "app.py").read_text()
    assert "setDesktopFileName(APP_ID)" in app_source
    assert entry["StartupWMClass"] == APP_NAME


def test_app_icon_exists_as_svg_and_as_a_png_of_every_size() -> None:
    svg = ICONS / f"{APP_ID}.svg"
    assert ElementTree.parse(svg).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    sizes = sorted(int(folder.name.split("x")[0]) for folder in (ICONS / "hicolor").iterdir())
    assert sizes == list(ICON_SIZES)
    for size in ICON_SIZES:
        png = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png_size(png) == (size, size), png
    # The window's own icon (package data) is the same drawing.
    assert (ROOT / "resources" / "app" / "thrudesk.svg").read_bytes() == svg.read_bytes()
    assert png_size(ROOT / "resources" / "app" / "thrudesk-256.png") == (256, 256)


def test_building_the_package_warns_of_nothing_and_ships_every_resource(tmp_path: Path) -> None:
    """A clean build (what ``pip install thrudesk`` runs) prints no warning of the build backend,
    and the wheel holds every icon, theme and data file the program loads.
    """
    import sys
    import zipfile

    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-v", "-w", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    said = result.stdout + result.stderr
    assert "Warning" not in said, [line for line in said.splitlines() if "Warning" in line]
    (wheel,) = tmp_path.glob("thrudesk-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    resources = ROOT / "resources"
    for found in resources.rglob("*"):
        if found.is_file() and "__pycache__" not in found.parts:
            name = "thrudesk/resources/" + found.relative_to(resources).as_posix()
            assert name in shipped, name
