"""Nonlinear recycles and design specs: the solver's default strategy against the legacy
one, side by side in one run.

For every shipped example (or those named), each round solves a freshly loaded flowsheet
once with ``strategy: legacy`` (the recycle and design-spec solver as first written, with
the example's solver options as they were shipped then, :data:`LEGACY_OPTIONS`) and
once with the default ``strategy: auto``, in alternating order; the table shows the median
seconds of each, their ratio, the passes around the recycles summed over every trial solve
of the design specs, the trial solves, and the largest difference of any stream flow
between the two answers (relative to the largest flow of that species in the flowsheet).

With ``--base DIR`` (a checkout of an older commit, e.g. ``git worktree add /tmp/base
e78dbbe``) each round also solves the example with that checkout's engine in a child
process (the solve alone is timed there, after one untimed solve, as here), so that
"today's solve" of an older release stands beside both strategies of this one.

Usage::

    python bench/solver_speed.py [--examples copper_leach_sx_ew,copper_concentrate_to_cathode]
                                 [--repeats 3] [--base /tmp/base]
                                 [--out bench/results/solver_speed.json]
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


CHILD = """
import sys, time, gc, flowsheet
options = eval(sys.argv[2])
flowsheet.load(sys.argv[1]).solve(**options)      # imports and caches warm, as in-process
fs = flowsheet.load(sys.argv[1])
gc.collect()
start = time.perf_counter()
fs.solve(**options)
print(time.perf_counter() - start)
"""


def solve_in(base: Path, path: Path, options: dict) -> float:
    """Seconds one solve takes with the engine of the checkout ``base``."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=str(base))
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), repr(options)],
                          capture_output=True, text=True, env=env, cwd=base, check=True)
    return float(done.stdout.split()[-1])


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
    parser.add_argument("--base", default=None, help="checkout of an older commit")
    parser.add_argument("--out", default=str(HERE / "results" / "solver_speed.json"))
    args = parser.parse_args(argv)
    names = [n for n in args.examples.split(",") if n] or sorted(
        p.stem for p in EXAMPLES.glob("*.yaml"))
    rows = []
    for name in names:
        path = EXAMPLES / f"{name}.yaml"
        times: dict[str, list[float]] = {"legacy": [], "auto": [], "base": []}
        last = {}
        base = Path(args.base).resolve() if args.base else None
        if base is not None and not (base / "examples" / path.name).exists():
            base = None
        solve_once(path, "auto")                        # warm: imports, caches
        for k in range(args.repeats):
            order = ("legacy", "auto") if k % 2 == 0 else ("auto", "legacy")
            if base is not None:
                order = ("base", *order) if k % 2 == 0 else (*order, "base")
            for strategy in order:
                if strategy == "base":
                    times["base"].append(solve_in(base, base / "examples" / path.name, {}))
                    continue
                seconds, results = solve_once(path, strategy)
                times[strategy].append(seconds)
                last[strategy] = results
        legacy, auto = (statistics.median(times[s]) for s in ("legacy", "auto"))
        base_s = statistics.median(times["base"]) if times["base"] else None
        row = {"example": name, "legacy_s": legacy, "auto_s": auto, "base_s": base_s,
               "base_over_auto": base_s / auto if base_s and auto > 0 else None,
               "speed_up": legacy / auto if auto > 0 else float("inf"),
               "legacy_passes": passes(last["legacy"]), "auto_passes": passes(last["auto"]),
               "unit_runs_auto": last["auto"].convergence.unit_runs,
               "max_difference": difference(last["legacy"], last["auto"]),
               "times": times}
        rows.append(row)
        print(f"  {name}: {legacy:.3f} s -> {auto:.3f} s", flush=True)
    print("\n| example | base s | legacy s | auto s | base / auto | legacy / auto "
          "| recycle passes (legacy -> auto) | trial solves | unit runs, final solve "
          "| max flow difference |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: |")
    for r in rows:
        (lp, lt), (ap, at) = r["legacy_passes"], r["auto_passes"]
        base_s = f"{r['base_s']:.3f}" if r["base_s"] is not None else "-"
        ratio = f"{r['base_over_auto']:.2f}" if r["base_over_auto"] is not None else "-"
        print(f"| {r['example']} | {base_s} | {r['legacy_s']:.3f} | {r['auto_s']:.3f} | "
              f"{ratio} | {r['speed_up']:.2f} | {lp} -> {ap} | {lt} -> {at} | "
              f"{r['unit_runs_auto']} | {r['max_difference']:.1e} |")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"date": time.strftime("%Y-%m-%d %H:%M"), "rows": rows},
                              indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
