"""Running thrudesk's program as a subprocess, the way the end-to-end tests all do."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

RUN_TIMEOUT_S = 180


def run_program(
    program: Path, args: list[str], env: dict[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``program`` with ``args`` to its end; its exit code and output, as text."""
    return subprocess.run(
        [str(program), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )


def children(pid: int) -> list[int]:
    """The processes ``pid`` has started and that still run (or wait to be reaped)."""
    listed = Path(f"/proc/{pid}/task/{pid}/children")
    if not listed.exists():
        return []
    return [int(word) for word in listed.read_text().split()]


def wait_gone(pid: int, timeout_s: float) -> None:
    """Wait until ``pid`` has ended (a zombie nobody reaps has ended too); fail after
    ``timeout_s``.
    """
    stat = Path(f"/proc/{pid}/stat")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            state = stat.read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError, IndexError):
            return
        if state in ("Z", "X"):
            return
        time.sleep(0.05)
    pytest.fail(f"process {pid}, started by thrudesk, still runs after thrudesk ended")
