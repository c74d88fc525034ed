"""``python -m benchmarks [P1 P2 …] [--pairs N]``: measure the figures of QUALITY.md.

With no figure named, all five run. The table goes to stdout; progress to stderr; the results
are written to ``benchmarks/results.json`` (figures not measured this time keep their entry).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time

from benchmarks.harness import DEFAULT_PAIRS, RESULTS_FILE, FigureResult, note, save_results, table

FIGURES = {
    "P1": "benchmarks.p1_startup",
    "P2": "benchmarks.p2_responsiveness",
    "P3": "benchmarks.p3_tables",
    "P4": "benchmarks.p4_simulator",
    "P5": "benchmarks.p5_import",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "figures",
        nargs="*",
        metavar="FIGURE",
        help="figures to measure (P1 … P5; all when none is named)",
    )
    parser.add_argument(
        "--pairs",
        type=int,
        default=DEFAULT_PAIRS,
        help=f"interleaved program/floor pairs per figure (at least 5; default {DEFAULT_PAIRS})",
    )
    args = parser.parse_args(argv)
    wanted = [name.upper() for name in args.figures] or list(FIGURES)
    unknown = [name for name in wanted if name not in FIGURES]
    if unknown:
        parser.error(f"unknown figure {', '.join(unknown)}; choose from {', '.join(FIGURES)}")
    if args.pairs < DEFAULT_PAIRS:
        parser.error(f"QUALITY.md asks for at least {DEFAULT_PAIRS} pairs")
    results: list[FigureResult] = []
    for name in wanted:
        note(f"{name}: measuring")
        started = time.perf_counter()
        module = importlib.import_module(FIGURES[name])
        result: FigureResult = module.measure(args.pairs)
        results.append(result)
        save_results([result])
        note(f"{name}: done in {time.perf_counter() - started:.0f} s")
    print(table(results))
    met = sum(result.met for result in results)
    print(f"\n{met} of {len(results)} figures met; written to {RESULTS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
