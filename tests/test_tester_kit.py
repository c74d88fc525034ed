"""The tester's kit seen from outside: a throwaway project, in a folder of its own, that uses the
installed plugin's fixtures as docs/testing.md and the README say, with pytest-qt and
without it.

Each project runs pytest in a subprocess with this interpreter, so nothing of this repository
(its conftest files, its pytest configuration) is there to help.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "docs" / "testing.md"
README = REPO / "README.md"
RUN_TIMEOUT_S = 300

# The window fixture closes its window after each test: the next test sees the signal it sent
# and the settings it saved. Run beside the guide's example, in the same throwaway project.
CLOSING_TESTS = """
from pathlib import Path

first = {}


def test_a_window_is_shown(thrudesk_window, tmp_path):
    first["closed"] = []
    first["settings"] = tmp_path / "settings.ini"
    thrudesk_window.closed.connect(lambda: first["closed"].append(True))
    assert thrudesk_window.isVisible()


def test_the_window_of_the_test_before_was_closed(thrudesk_window):
    assert first["closed"] == [True]
    assert "geometry" in Path(first["settings"]).read_text()
"""

# A project without pytest-qt: the services' fixtures work and never load Qt; the window's
# fixture says what it needs.
WITHOUT_QT_TESTS = """
import sys


def test_the_services_need_no_qt(
    thrudesk_services, thrudesk_simulator, thrudesk_account, sim_clock
):
    numbers, admin = thrudesk_services.numbers, thrudesk_account.actor
    thrudesk_simulator.force_next("complete")
    number = numbers.create_dedicated(admin, ["415"], thrudesk_account.use_case_id)
    sim_clock.advance(minutes=10)
    assert numbers.get(admin, number.id).provisioning_status.value == "complete"
    assert not [name for name in sys.modules if name.startswith("PySide6")]


def test_the_window_needs_pytest_qt(thrudesk_window):
    raise AssertionError("the fixture refuses before the test runs")
"""


def guide_example(name: str) -> str:
    """The code block that follows ``<!-- example: NAME -->`` in docs/testing.md."""
    text = GUIDE.read_text(encoding="utf-8")
    found = re.search(
        rf"<!-- example: {re.escape(name)} -->\n```[a-z]*\n(.*?)\n```\n", text, re.DOTALL
    )
    assert found is not None, f"docs/testing.md has no example block for {name}"
    return found.group(1) + "\n"


def readme_example() -> str:
    """The code block of the README's "For testers" section."""
    section = README.read_text(encoding="utf-8").split("## For testers", 1)[1].split("\n## ", 1)[0]
    found = re.search(r"```python\n(.*?)\n```\n", section, re.DOTALL)
    assert found is not None, "the README's For testers section has no example"
    return found.group(1) + "\n"


def new_project(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    assert REPO not in folder.resolve().parents, "the project must live outside the repository"
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def run_pytest(project: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """``python -m pytest`` in ``project``, offscreen, with none of this run's pytest settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PYTEST_") and key != "PYTHONPATH"
    }
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *options],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )


def test_n9_guide_example_sees_a_new_number_turn_green_in_a_project_of_its_own(
    tmp_path: Path,
) -> None:
    example = guide_example("test_example.py")
    assert "thrudesk_window" in example
    assert "sim_clock.advance" in example
    assert "Tone.SUCCESS" in example
    project = new_project(
        tmp_path / "tester-project",
        {
            "pytest.ini": guide_example("pytest.ini"),
            "test_example.py": example,
            "test_closing.py": CLOSING_TESTS,
        },
    )

    result = run_pytest(project, "-v")

    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    examples = re.findall(r"^def (test_\w+)", example, re.MULTILINE)
    assert len(examples) >= 1
    for name in examples:
        assert f"test_example.py::{name} PASSED" in result.stdout, report
    assert re.search(rf"\b{len(examples) + 2} passed\b", result.stdout), report


def test_plugin_fixtures_without_pytest_qt_need_no_qt_and_the_window_says_why(
    tmp_path: Path,
) -> None:
    project = new_project(
        tmp_path / "services-only",
        {"test_services.py": WITHOUT_QT_TESTS, "test_readme.py": readme_example()},
    )

    result = run_pytest(project, "-v", "-p", "no:pytest-qt")

    report = result.stdout + result.stderr
    assert result.returncode == 1, report
    assert re.search(r"\b2 passed, 1 error\b", result.stdout), report
    assert "test_readme.py::test_a_new_number_is_provisioned PASSED" in result.stdout, report
    assert "thrudesk_window needs pytest-qt (pip install pytest-qt)" in result.stdout, report
