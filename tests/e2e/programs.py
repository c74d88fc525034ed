"""Running thrudesk's program as a subprocess, the way the end-to-end tests all do."""

from __future__ import annotations

import subprocess
from pathlib import Path

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
