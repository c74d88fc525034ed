"""P1, start-up on **large**: process start to the main window painted with the first rows of the
Campaigns table, against a bare program of the same stack (``benchmarks.startup_floor``).

The program runs as ``thrudesk --tab Campaigns --screenshot FILE`` on a copy of the large store
(``benchmarks.startup_program``); both sides carry the same paint probe, which reports the moment
the table has painted with rows. The time is from just before the parent spawns the process to
that moment, on the same monotonic clock. Goal: ≤ 1.5× the floor.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks.harness import DATA_DIR, FigureResult, interleaved, median, run_child

FIGURE = "P1"
GOAL = 1.5


def measure(pairs: int) -> FigureResult:
    from benchmarks.datasets import large_store, working_copy

    large = large_store()
    work = DATA_DIR / "work-p1"
    store = working_copy(large.path, work)
    profile = work / "profile"
    shot = work / "campaigns.png"

    def program(_index: int) -> float:
        shutil.rmtree(profile, ignore_errors=True)
        answer = run_child(
            "benchmarks.startup_program",
            [
                "--database-url",
                f"sqlite:///{store}",
                "--data-dir",
                str(profile),
                "--tab",
                "Campaigns",
                "--screenshot",
                str(shot),
            ],
            timeout=120,
        )
        return (float(answer["painted_at"]) - float(answer["spawned_at"])) * 1000

    def floor(_index: int) -> float:
        answer = run_child("benchmarks.startup_floor", [str(store)], timeout=120)
        return (float(answer["painted_at"]) - float(answer["spawned_at"])) * 1000

    # One unmeasured run of each warms the file cache, as a second start of the day would be.
    program(-1)
    floor(-1)
    ours, theirs = interleaved(program, floor, pairs=pairs, label=FIGURE)
    value, base = median(ours), median(theirs)
    return FigureResult(
        figure=FIGURE,
        what="start-up to the Campaigns table painted (ms)",
        value=value,
        floor=base,
        goal=GOAL,
        unit="ms",
        met=value / base <= GOAL,
        extra={
            "program_ms": [round(v, 1) for v in ours],
            "floor_ms": [round(v, 1) for v in theirs],
            "store_mb": round(Path(store).stat().st_size / 2**20, 1),
        },
    )
