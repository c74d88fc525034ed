"""What every benchmark shares: interleaved pairs against a floor, medians, child processes,
memory readings, the printed table and ``benchmarks/results.json``.

Machines here are shared and noisy (QUALITY.md), so a figure is never one timing: the program (A)
and its floor (B) run in turn, A B A B …, and each side's median is kept. The ratio of the medians
is the figure; the absolute times are reported beside it as context.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / "data"
RESULTS_FILE = BENCH_DIR / "results.json"

# QUALITY.md: at least five pairs.
DEFAULT_PAIRS = 5


@dataclass
class FigureResult:
    """One figure of QUALITY.md, measured: the program's value, its floor and the goal."""

    figure: str
    what: str
    value: float
    floor: float
    goal: float
    unit: str
    met: bool
    # "ratio" figures compare value/floor with the goal; "bound" figures compare the value itself.
    goal_kind: str = "ratio"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.value / self.floor if self.floor > 0 else float("inf")

    def to_json(self) -> dict[str, Any]:
        return {
            "value": round(self.value, 6),
            "floor": round(self.floor, 6),
            "ratio": round(self.ratio, 4),
            "goal": self.goal,
            "unit": self.unit,
            "met": self.met,
            "goal_kind": self.goal_kind,
            "what": self.what,
            **self.extra,
        }


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share`` (0..1) quantile by nearest rank; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * (len(ordered) - 1))))
    return float(ordered[rank])


def interleaved(
    program: Callable[[int], float],
    floor: Callable[[int], float],
    *,
    pairs: int = DEFAULT_PAIRS,
    label: str = "",
) -> tuple[list[float], list[float]]:
    """Run ``program`` and ``floor`` in turn, ``pairs`` times each (A B A B …).

    Each callable gets the pair's index and answers one measurement.
    """
    ours: list[float] = []
    theirs: list[float] = []
    for index in range(pairs):
        ours.append(program(index))
        theirs.append(floor(index))
        note(f"{label} pair {index + 1}/{pairs}: program {ours[-1]:.4g}, floor {theirs[-1]:.4g}")
    return ours, theirs


def note(message: str) -> None:
    """Progress on stderr, so that the table on stdout stays clean."""
    print(f"  · {message}", file=sys.stderr, flush=True)


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a measured child: offscreen Qt unless a display is chosen."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["THRUDESK_NO_DIALOGS"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])]
    )
    env.update(extra)
    return env


def run_child(
    module: str, args: Sequence[str], *, timeout: float, env: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Run ``python -m module args`` and answer the JSON object it prints last on stdout.

    ``spawned_at`` (``time.monotonic()`` just before the spawn) is added, so a child can report
    how long after its own start something happened on the same clock.
    """
    spawned_at = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=dict(env) if env is not None else child_env(),
        cwd=ROOT,
        check=False,
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if completed.returncode != 0 or not lines:
        raise RuntimeError(
            f"{module} {' '.join(args)} failed ({completed.returncode}):\n"
            f"{completed.stdout[-2000:]}\n{completed.stderr[-4000:]}"
        )
    answer: dict[str, Any] = json.loads(lines[-1])
    answer["spawned_at"] = spawned_at
    return answer


def emit(payload: Mapping[str, Any]) -> None:
    """What a child answers its parent: one JSON line on stdout."""
    print(json.dumps(payload), flush=True)


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux ``VmHWM``)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_results() -> dict[str, Any]:
    if RESULTS_FILE.exists():
        try:
            loaded: dict[str, Any] = json.loads(RESULTS_FILE.read_text())
            return loaded
        except (OSError, ValueError):
            return {}
    return {}


def save_results(results: Sequence[FigureResult]) -> None:
    """Write (or update) ``benchmarks/results.json``: the figures measured now replace their
    earlier entries; the others stay as they were.
    """
    merged = load_results()
    for result in results:
        merged[result.figure] = result.to_json()
    ordered = dict(sorted(merged.items()))
    RESULTS_FILE.write_text(json.dumps(ordered, indent=2) + "\n")


def table(results: Sequence[FigureResult]) -> str:
    """The printed summary: one line per figure, ratio and absolute values side by side."""
    header = f"{'':4}{'figure':<52}{'program':>14}{'floor':>14}{'ratio':>9}{'goal':>12}  met"
    lines = [header, "-" * len(header)]
    for r in results:
        goal = f"≤ {r.goal:g}{'×' if r.goal_kind == 'ratio' else ' ' + r.unit}"
        lines.append(
            f"{r.figure:<4}{r.what[:51]:<52}{r.value:>11.4g} {r.unit:<2}"
            f"{r.floor:>11.4g} {r.unit:<2}{r.ratio:>8.2f}×{goal:>12}  {'yes' if r.met else 'NO'}"
        )
        for key, value in r.extra.items():
            if isinstance(value, bool):
                lines.append(f"{'':8}{key}: {'yes' if value else 'no'}")
            elif isinstance(value, int):
                lines.append(f"{'':8}{key}: {value:,}")
            elif isinstance(value, float):
                shown = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"
                lines.append(f"{'':8}{key}: {shown}")
            elif isinstance(value, str):
                lines.append(f"{'':8}{key}: {value}")
    return "\n".join(lines)
