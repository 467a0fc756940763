"""Nonlinear recycles and design specs: the solver's default strategy against the legacy
one, side by side in one run.

For every shipped example (or those named), each round solves a freshly loaded flowsheet
once with ``strategy: legacy`` (the recycle and design-spec solver as first written, with
the example's solver options as they were shipped then, :data:`LEGACY_OPTIONS`) and
once with the default ``strategy: auto``, in alternating order; the table shows the median
seconds of each, their ratio, the passes around the recycles summed over every trial solve
of the design specs, the trial solves, and the largest difference of any stream flow
between the two answers (relative to the largest flow of that species in the flowsheet).

Usage::

    python bench/solver_speed.py [--examples copper_leach_sx_ew,copper_concentrate_to_cathode]
                                 [--repeats 3] [--out bench/results/solver_speed.json]
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time
from pathlib import Path

import numpy as np

import flowsheet

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"

#: Solver options an example shipped with before the default strategy, for the legacy
#: column: copper_leach_sx_ew ran Broyden's method until Newton on the live variables made
#: Newton the better choice (legacy Newton, differencing all 246 tear variables at every
#: step, took 12 times longer than legacy Broyden on its first solve: 79 s against 6.3 s).
LEGACY_OPTIONS = {"copper_leach_sx_ew": {"method": "broyden"}}


def solve_once(path: Path, strategy: str):
    """(seconds, results) of one solve of a freshly loaded flowsheet."""
    fs = flowsheet.load(path)
    options = LEGACY_OPTIONS.get(path.stem, {}) if strategy == "legacy" else {}
    gc.collect()
    start = time.perf_counter()
    results = fs.solve(strategy=strategy, **options)
    return time.perf_counter() - start, results


def passes(results) -> tuple[int, int]:
    """(passes around recycles over every trial solve, trial solves)."""
    conv = results.convergence
    if conv.specs:
        spec = conv.specs[0]
        return int(spec["recycle_iterations"]) + conv.iterations, int(spec["evaluations"])
    return conv.iterations, 1


def difference(a, b) -> float:
    """Largest flow difference, relative to the largest flow of that species."""
    scale = np.maximum(np.abs(a.flows).max(axis=0), 1e-12)
    return float((np.abs(a.flows - b.flows) / scale).max(initial=0.0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", default="")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", default=str(HERE / "results" / "solver_speed.json"))
    args = parser.parse_args(argv)
    names = [n for n in args.examples.split(",") if n] or sorted(
        p.stem for p in EXAMPLES.glob("*.yaml"))
    rows = []
    for name in names:
        path = EXAMPLES / f"{name}.yaml"
        times: dict[str, list[float]] = {"legacy": [], "auto": []}
        last = {}
        for k in range(args.repeats):
            order = ("legacy", "auto") if k % 2 == 0 else ("auto", "legacy")
            for strategy in order:
                seconds, results = solve_once(path, strategy)
                times[strategy].append(seconds)
                last[strategy] = results
        legacy, auto = (statistics.median(times[s]) for s in ("legacy", "auto"))
        row = {"example": name, "legacy_s": legacy, "auto_s": auto,
               "speed_up": legacy / auto if auto > 0 else float("inf"),
               "legacy_passes": passes(last["legacy"]), "auto_passes": passes(last["auto"]),
               "unit_runs_auto": last["auto"].convergence.unit_runs,
               "max_difference": difference(last["legacy"], last["auto"]),
               "times": times}
        rows.append(row)
        print(f"  {name}: {legacy:.3f} s -> {auto:.3f} s", flush=True)
    print("\n| example | legacy s | auto s | legacy / auto | recycle passes (legacy -> auto) "
          "| trial solves | unit runs, final solve | max flow difference |")
    print("| --- | ---: | ---: | ---: | --- | --- | ---: | ---: |")
    for r in rows:
        (lp, lt), (ap, at) = r["legacy_passes"], r["auto_passes"]
        print(f"| {r['example']} | {r['legacy_s']:.3f} | {r['auto_s']:.3f} | "
              f"{r['speed_up']:.2f} | {lp} -> {ap} | {lt} -> {at} | {r['unit_runs_auto']} | "
              f"{r['max_difference']:.1e} |")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"date": time.strftime("%Y-%m-%d %H:%M"), "rows": rows},
                              indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
