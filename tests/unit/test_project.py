"""The project's own house rules, checked: packaging, import direction, shipped data."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tomllib
from pathlib import Path

from thrudesk.services import area_codes

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "thrudesk"


def test_every_subpackage_is_installed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in PACKAGE.rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_imports_point_down_only() -> None:
    """app → views → services → models; the core never imports Qt (ARCHITECTURE.md)."""
    problems: list[str] = []
    for layer, forbidden in {
        "models": ("PySide6", "thrudesk.services", "thrudesk.views", "thrudesk.app"),
        "services": ("PySide6", "thrudesk.views", "thrudesk.app"),
        "views": ("thrudesk.models", "thrudesk.app"),
    }.items():
        for path in (PACKAGE / layer).rglob("*.py"):
            for name in _imports(path):
                if name.startswith(forbidden):
                    problems.append(f"{path.relative_to(ROOT)} imports {name}")
    assert problems == []


def test_the_shipped_area_code_catalogue_matches_phonenumbers() -> None:
    shipped = json.loads((ROOT / "resources" / "area_codes.json").read_text(encoding="utf-8"))
    assert shipped == area_codes.build_catalog()
    seattle = area_codes.lookup("206")
    assert seattle is not None
    assert seattle.label == "206 · Seattle, WA"
    assert seattle.hard_to_get
    assert [row.code for row in area_codes.search("montana")][:1] == ["406"]
    assert "212" in [row.code for row in area_codes.search("New York")]


LOADED_LATER = (
    "thrudesk.services.contacts",
    "thrudesk.services.import_process",
    "thrudesk.services.messaging",
    "thrudesk.services.hard_to_get",
)


def test_p1_start_up_loads_only_what_the_first_paint_needs(tmp_path: Path) -> None:
    """The window's services and simulator come up without the contacts, messaging and
    hard-to-get code, which only Campaign Details, an import and due jobs use (QUALITY.md P1).
    """
    script = "\n".join(
        (
            "import sys",
            "from thrudesk.app import load_before_qt",
            "load_before_qt()",
            "import thrudesk.views.main_window, thrudesk.views.campaigns",
            "from thrudesk.services.container import Services",
            "from thrudesk.services.simulation.clock_state import clock_from_store",
            "from thrudesk.services.simulation.engine import Simulator",
            "from thrudesk.services.store import open_store, url_for_path",
            f"store = open_store(url_for_path({str(tmp_path / 'store.sqlite3')!r}))",
            "Simulator(Services(store, clock_from_store(store)))",
            f"print(','.join(name for name in {LOADED_LATER!r} if name in sys.modules))",
            "store.dispose()",
        )
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
