"""The project's own house rules, checked: packaging, import direction, shipped data."""

from __future__ import annotations

import ast
import json
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
