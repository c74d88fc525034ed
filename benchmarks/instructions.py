"""Instructions counted by callgrind between two moments of a child: a figure that does not move
with the machine's load.

The wall-clock figures come from shared, noisy machines: one open of the Campaigns tab reads
anywhere from 14 to 30 ms from run to run, more than the differences worth finding. The
instructions the processor runs for the same open vary by less than 0.1 %, and their ratio
between program and floor agreed with the ratio of the timed medians (P3's open, on the same
code: 1.31 and 1.31).

Where valgrind, its ``callgrind.h`` and a C compiler are installed, :func:`count_child` runs a
child under callgrind with nothing counted until the child calls :meth:`Counter.start`, and
nothing after :meth:`Counter.stop`. The child reaches callgrind through a library of three
functions, compiled once into ``benchmarks/data``. Elsewhere :func:`unavailable` says what is
missing and nothing is counted.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from benchmarks.harness import DATA_DIR, ROOT, child_env

# The environment variable through which a child finds the library (set only under callgrind).
LIBRARY_VARIABLE = "THRUDESK_BENCH_CALLGRIND"
# Set for a child that is counted: it stops after the counted moments (the rest would take
# minutes under callgrind, and is measured by the timed runs).
COUNTED_VARIABLE = "THRUDESK_BENCH_COUNTED"
HEADER = Path("/usr/include/valgrind/callgrind.h")
LIBRARY = DATA_DIR / "callgrind-counter.so"
DUMP_NAME = "counted"
SOURCE = f"""
#include <valgrind/callgrind.h>
void counter_start(void) {{ CALLGRIND_START_INSTRUMENTATION; CALLGRIND_TOGGLE_COLLECT; }}
void counter_stop(void) {{
    CALLGRIND_TOGGLE_COLLECT;
    CALLGRIND_DUMP_STATS_AT("{DUMP_NAME}");
    CALLGRIND_STOP_INSTRUMENTATION;
}}
"""


class Counter:
    """What a child calls at the moments between which its instructions are counted. Outside
    callgrind both calls do nothing; inside, each is one call into C, looked up beforehand.
    """

    def __init__(self) -> None:
        path = os.environ.get(LIBRARY_VARIABLE)
        self.counted = bool(path)
        self._started = False
        if path:
            library = ctypes.CDLL(path)
            self._start, self._stop = library.counter_start, library.counter_stop
            self._start.restype = self._stop.restype = None

    def start(self) -> None:
        if self.counted and not self._started:
            self._started = True
            self._start()

    def stop(self) -> None:
        """The end of what is counted (again: nothing more)."""
        if self.counted and self._started:
            self._started, self.counted = False, False
            self._stop()


def unavailable() -> str | None:
    """Why instructions cannot be counted on this machine, or None when they can."""
    for tool in ("valgrind", "cc"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if not HEADER.exists():
        return f"{HEADER} is not installed (valgrind's development files)"
    return None


def _library() -> Path:
    if not LIBRARY.exists() or LIBRARY.stat().st_mtime < Path(__file__).stat().st_mtime:
        LIBRARY.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as work:
            source = Path(work) / "counter.c"
            source.write_text(SOURCE)
            subprocess.run(
                ["cc", "-shared", "-fPIC", "-O1", "-o", str(LIBRARY), str(source)], check=True
            )
    return LIBRARY


def count_child(module: str, args: Sequence[str], *, timeout: float) -> int:
    """The instructions ``python -m module args`` ran between its counter's start and stop."""
    library = _library()
    with tempfile.TemporaryDirectory() as work:
        completed = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--instr-atstart=no",
                "--collect-atstart=no",
                f"--callgrind-out-file={work}/callgrind.%p",
                sys.executable,
                "-m",
                module,
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            # The same hashes in every run, so that dictionaries are walked alike.
            env=child_env(
                **{LIBRARY_VARIABLE: str(library), COUNTED_VARIABLE: "1", "PYTHONHASHSEED": "0"}
            ),
            cwd=ROOT,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(
                f"{module} {' '.join(args)} under callgrind failed ({completed.returncode}):\n"
                f"{completed.stderr[-3000:]}"
            )
        for dump in Path(work).iterdir():
            text = dump.read_text(errors="replace")
            if f"Client Request: {DUMP_NAME}" in text:
                found = re.search(r"^summary:\s+(\d+)", text, re.MULTILINE)
                if found:
                    return int(found.group(1))
    raise RuntimeError(f"{module} {' '.join(args)} never stopped its counter")
