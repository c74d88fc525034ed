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
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / "data"
RESULTS_FILE = BENCH_DIR / "results.json"

# QUALITY.md: at least five pairs.
DEFAULT_PAIRS = 5

# P2's heartbeat and its bounds on lateness; P5 holds the window to the same bounds while it
# imports.
HEARTBEAT_MS = 5
HEARTBEAT_P99_GOAL_MS = 8.0
HEARTBEAT_MAX_GOAL_MS = 16.0


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


@dataclass
class Sides:
    """What :func:`interleaved_children` measured: each side's figures, in run order, and the
    JSON answers its children printed.
    """

    ours: list[float]
    theirs: list[float]
    answers: dict[str, list[dict[str, Any]]]

    def median_of(self, side: str, key: str) -> float:
        """The median of ``key`` over the answers of ``side`` ("program" or "floor")."""
        return median([float(answer[key]) for answer in self.answers[side]])


def interleaved_children(
    module: str,
    args: Callable[[str], Sequence[str]],
    key: str,
    *,
    timeout: float,
    pairs: int,
    label: str,
    context: Sequence[str] = (),
) -> Sides:
    """Run ``python -m module program …`` and ``python -m module floor …`` in turn (see
    :func:`interleaved`); each run's figure is ``key`` of its answer.

    ``args`` answers a side's arguments after its name; it is called just before each run, so
    it may prepare that run (a fresh working copy of a store). Each side named in ``context``
    runs once after each floor, its answers kept beside the others' (reported, not compared).
    """
    answers: dict[str, list[dict[str, Any]]] = {name: [] for name in ("program", "floor", *context)}

    def child(name: str) -> dict[str, Any]:
        answer = run_child(module, [name, *args(name)], timeout=timeout)
        answers[name].append(answer)
        return answer

    def program(_index: int) -> float:
        return float(child("program")[key])

    def floor(_index: int) -> float:
        figure = float(child("floor")[key])
        for name in context:
            child(name)
        return figure

    ours, theirs = interleaved(program, floor, pairs=pairs, label=label)
    return Sides(ours, theirs, answers)


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


# ---------------------------------------------------------------------------------- children
class Heartbeat:
    """A precise :data:`HEARTBEAT_MS` timer; each tick's lateness over its interval, in ms."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.lateness: list[float] = []
        self._last = 0.0
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(HEARTBEAT_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _on_timer_timeout(self) -> None:
        now = time.perf_counter()
        self.lateness.append(max(0.0, (now - self._last) * 1000 - HEARTBEAT_MS))
        self._last = now

    def summary(self) -> dict[str, float]:
        return {
            "p99_ms": percentile(self.lateness, 0.99),
            "max_ms": max(self.lateness, default=float("nan")),
            "ticks": float(len(self.lateness)),
        }


def serve(app: Any, work: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run ``work`` to its end on a qasync loop over ``app``, as the program runs its own."""
    import asyncio

    import qasync

    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        runner.run(work())


@dataclass
class ProgramWindow:
    """thrudesk as ``thrudesk.app`` composes it (store, clock from the store, services,
    simulator, main window), in a measuring child; the window is not shown yet.
    """

    app: Any
    store: Any
    services: Any
    simulator: Any
    window: Any

    def close(self) -> None:
        self.window.shutdown()
        self.store.dispose()


def program_app() -> Any:
    """The QApplication as ``thrudesk.app.run`` makes it: the interpreter tuned, and the theme
    (palette and style sheet) applied, so that widgets are polished and painted as in the
    program.
    """
    from PySide6.QtWidgets import QApplication

    from thrudesk.app import tune_interpreter
    from thrudesk.views.theme import ThemeManager

    tune_interpreter()
    app = QApplication([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)
    ThemeManager(app).apply()
    return app


def program_window(store: str, account_id: int) -> ProgramWindow:
    """The program on ``store``, its window as ``account_id``'s admin sees it, sized as on a
    laptop, in the application :func:`program_app` makes.
    """
    from thrudesk.services.container import Services
    from thrudesk.services.simulation.clock_state import clock_from_store
    from thrudesk.services.simulation.engine import Simulator
    from thrudesk.services.store import open_store, url_for_path
    from thrudesk.views.main_window import MainWindow

    app = program_app()
    opened = open_store(url_for_path(Path(store)))
    services = Services(opened, clock_from_store(opened))
    simulator = Simulator(services)
    window = MainWindow(
        services, simulator, services.accounts.admin_actor(account_id), settings=None
    )
    window.resize(1400, 860)
    return ProgramWindow(app, opened, services, simulator, window)
