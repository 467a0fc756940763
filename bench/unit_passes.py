"""Time the nonlinear unit runs of one converged pass, old code against new, in one run.

For each example the flowsheet is solved, and every unit that is neither a feed nor a
product nor linear (no :meth:`~flowsheet.unit.Unit.transfer`) is run ``--runs`` times in
a row on its converged inlets: the cost of each further pass of a recycle or design-spec
iteration once the inlets have settled. The same is done by a second copy of the engine,
the reference (``--base``, by default a worktree of the commit before the memoisation:
``git worktree add /tmp/memo-base e78dbbe``). Old and new time the same unit back to
back, their order alternating, ``--rounds`` times, so that each pair sees the same load
on a shared machine: a figure is the median over the rounds, a ratio the median of the
pairs' ratios. Whole solves (a freshly loaded flowsheet each round, loading not timed)
are interleaved the same way.

The two engines run in two worker processes (one Python cannot import two packages
called ``units``), each with one BLAS thread and the garbage collector paused inside the
timed loops. Each worker hashes the converged inlets it runs on and the outlets and
report of the first run, so the table also says whether the two agree bit for bit.

Usage::

    python bench/unit_passes.py [--base /tmp/memo-base] [--examples copper_leach_sx_ew,...]
                                [--runs 20] [--rounds 7] [--solves 3]
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["main"]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: Examples with nonlinear units run in a recycle or under a design spec.
EXAMPLES = ("copper_leach_sx_ew", "copper_concentrate_to_cathode", "copper_oxide_leach_ew",
            "zinc_roast_leach_ew", "lead_kivcet", "sabc_circuit")


# -- worker: one engine ------------------------------------------------------------------------
def _digest(*arrays) -> str:
    import numpy as np

    h = hashlib.sha256()
    for a in arrays:
        if a is None:
            h.update(b"none")
        elif isinstance(a, dict):
            h.update(repr(sorted((k, repr(v)) for k, v in a.items())).encode())
        else:
            h.update(np.ascontiguousarray(np.asarray(a, dtype=float)).tobytes())
    return h.hexdigest()[:16]


class _Worker:
    """The solved examples of one engine and the converged inlets of their units."""

    def __init__(self) -> None:
        self.passes: dict[str, list[tuple[str, object, dict]]] = {}

    def load(self, example: str) -> dict:
        import flowsheet

        fs = flowsheet.load(ROOT / "examples" / f"{example}.yaml")
        results = fs.solve()
        solved = results.flowsheet
        units, out = [], []
        for name, unit in solved.units.items():
            if not (unit.inlets() and unit.outlets()) or unit.transfer() is not None:
                continue
            inlets = {port: [results._stream(k) for k in ks]
                      for port, ks in solved.inlets[name].items()}
            streams = [s for port in sorted(inlets) for s in inlets[port]]
            units.append((name, unit, inlets))
            out.append({"unit": name, "type": unit.type_name,
                        "inlets": _digest(*[s.flows for s in streams],
                                          [s.temperature for s in streams])})
        self.passes[example] = units
        return {"units": out}

    def time_unit(self, example: str, unit: str, runs: int) -> dict:
        """Seconds per run of one unit on its converged inlets, and a hash of its first
        run's outlets and report."""
        _, u, inlets = next(p for p in self.passes[example] if p[0] == unit)
        outlets, report = u.run(inlets)
        ports = sorted(outlets)
        output = _digest(*[outlets[p].flows for p in ports],
                         [outlets[p].temperature for p in ports],
                         *[outlets[p].psd for p in ports], report)
        gc.disable()
        try:
            start = time.perf_counter()
            for _ in range(runs):
                u.run(inlets)
            seconds = (time.perf_counter() - start) / runs
        finally:
            gc.enable()
        return {"seconds": seconds, "output": output}

    def solve(self, example: str) -> dict:
        import flowsheet

        fs = flowsheet.load(ROOT / "examples" / f"{example}.yaml")
        gc.disable()
        try:
            start = time.perf_counter()
            results = fs.solve()
            seconds = time.perf_counter() - start
        finally:
            gc.enable()
        return {"seconds": seconds, "flows": _digest(results.flows, results.temperatures)}


def _serve(root: str) -> None:
    """Answer one JSON command per line on stdin with one JSON line on stdout."""
    global ROOT
    ROOT = Path(root)
    sys.path.insert(0, root)
    worker = _Worker()
    for line in sys.stdin:
        command = json.loads(line)
        answer = getattr(worker, command.pop("do"))(**command)
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


# -- parent: interleave the two ------------------------------------------------------------------
class _Engine:
    def __init__(self, label: str, root: Path) -> None:
        env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
                   MKL_NUM_THREADS="1", PYTHONPATH=str(root))
        self.label = label
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker", str(root)],
            cwd=root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def ask(self, do: str, **kwargs) -> dict:
        self.proc.stdin.write(json.dumps({"do": do, **kwargs}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the {self.label} worker stopped")
        return json.loads(line)

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def _interleaved(engines: list[_Engine], rounds: int, do: str, **kwargs) -> list[list[dict]]:
    """``rounds`` answers of each engine, the order of the two alternating."""
    answers: list[list[dict]] = [[] for _ in engines]
    for r in range(rounds):
        order = range(len(engines)) if r % 2 == 0 else reversed(range(len(engines)))
        for i in order:
            answers[i].append(engines[i].ask(do, **kwargs))
    return answers


def _bench_example(old: _Engine, new: _Engine, example: str, args) -> dict:
    units_old, units_new = old.ask("load", example=example), new.ask("load", example=example)
    same_inlets = units_old["units"] == units_new["units"]
    rows = []
    for u in units_new["units"]:
        # old and new back to back on the same unit, order alternating: the pair sees
        # the same load, so the ratio of each pair is the figure (median over pairs)
        a, b = _interleaved([old, new], args.rounds, "time_unit", example=example,
                            unit=u["unit"], runs=args.runs)
        rows.append({"unit": u["unit"], "type": u["type"],
                     "old_us": 1e6 * statistics.median(x["seconds"] for x in a),
                     "new_us": 1e6 * statistics.median(x["seconds"] for x in b),
                     "ratio": statistics.median(x["seconds"] / y["seconds"]
                                                for x, y in zip(a, b, strict=True)),
                     "same": a[0]["output"] == b[0]["output"]})
    s_old, s_new = _interleaved([old, new], args.solves, "solve", example=example)
    return {"example": example, "units": rows, "same_inlets": same_inlets,
            "pass_old_ms": sum(r["old_us"] for r in rows) / 1000.0,
            "pass_new_ms": sum(r["new_us"] for r in rows) / 1000.0,
            "solve_old_s": statistics.median(x["seconds"] for x in s_old),
            "solve_new_s": statistics.median(x["seconds"] for x in s_new),
            "solve_ratio": statistics.median(x["seconds"] / y["seconds"]
                                             for x, y in zip(s_old, s_new, strict=True)),
            "same_solution": s_old[0]["flows"] == s_new[0]["flows"]}


def _print(results: list[dict], args) -> None:
    print(f"\nOne converged pass: each nonlinear unit run {args.runs} times on its converged "
          f"inlets, old and new back to back, {args.rounds} rounds: median us per run, and "
          f"the median of the paired ratios\n")
    print("| example | unit | type | old | new | old/new | outputs |")
    print("|---|---|---|---:|---:|---:|---|")
    for res in results:
        for r in res["units"]:
            print(f"| {res['example']} | {r['unit']} | {r['type']} | {r['old_us']:.0f} | "
                  f"{r['new_us']:.0f} | {r['ratio']:.1f}x | "
                  f"{'identical' if r['same'] else 'DIFFER'} |")
    print(f"\nPer example: the pass (sum of the above) [ms] and the whole solve [s], median "
          f"of {args.solves} interleaved solves and of their paired ratios\n")
    print("| example | pass old | pass new | old/new | solve old | solve new | old/new | "
          "solution |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for res in results:
        same = res["same_solution"] and res["same_inlets"]
        ratio = (f"{res['pass_old_ms'] / res['pass_new_ms']:.1f}x" if res["units"]
                 else "(all linear)")
        print(f"| {res['example']} | {res['pass_old_ms']:.2f} | {res['pass_new_ms']:.2f} | "
              f"{ratio} | {res['solve_old_s']:.3f} | "
              f"{res['solve_new_s']:.3f} | {res['solve_ratio']:.2f}x | "
              f"{'identical' if same else 'DIFFER'} |")


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and print two Markdown tables; 1 if any output differs."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="/tmp/memo-base",
                        help="checkout of the reference engine (default /tmp/memo-base)")
    parser.add_argument("--examples", default=",".join(EXAMPLES))
    parser.add_argument("--runs", type=int, default=20, help="runs of each unit per round")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--solves", type=int, default=3, help="interleaved whole solves")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _serve(args.worker)
        return 0
    base = Path(args.base)
    if not (base / "units").is_dir():
        parser.error(f"no engine at {base}: git worktree add {base} e78dbbe")
    old, new = _Engine("old", base), _Engine("new", ROOT)
    try:
        results = [_bench_example(old, new, ex, args) for ex in args.examples.split(",")]
    finally:
        old.close()
        new.close()
    _print(results, args)
    same = all(r["same_solution"] and r["same_inlets"] and all(u["same"] for u in r["units"])
               for r in results)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
