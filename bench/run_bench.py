"""Benchmark the engine on the peer harness's specs: accuracy, speed, tear iteration.

For every spec of the harness (see ``bench/peer_harness.py`` for where it is looked for) this

1. solves it with the defaults and checks every product flow against the exact answer
   (relative error ``|x - exact| / max(|exact|, 1e-9 x that species' total feed)``);
2. times, interleaved in one loop, the one-LU limit (build + solve, and solve alone), our
   first solve (a freshly loaded flowsheet each time, loading not timed) and our repeat
   solve (the same object again, which reuses its factorisation);
3. forces sequential-modular tear iteration (``linear=False``) with every method and
   measures the microseconds per unit run inside the iteration, beside BioSTEAM's;
4. puts BioSTEAM's converge times beside ours: measured live when its venv is there,
   else the harness's published figures, labelled as such.

Each section prints one Markdown table; every number goes to ``bench/results/latest.json``.

Usage::

    python bench/run_bench.py [--specs ccd_5,ccd_20] [--repeats 21] [--quick]
                              [--peer | --no-peer] [--peer-methods fixedpoint,aitken]
                              [--peer-timeout 30] [--blas-threads 1] [--out latest.json]
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import peer_harness as peer
import scipy
from threadpoolctl import threadpool_info, threadpool_limits

import flowsheet
from flowsheet.errors import ConvergenceError

__all__ = ["main"]

HERE = Path(__file__).resolve().parent
METHODS = ("wegstein", "direct", "broyden", "newton")
TARGET = 1e-6
FIRST_WITHIN = 2.0
TEAR_SPEEDUP = 10.0


# -- measuring ----------------------------------------------------------------------------
def clock(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes, with the garbage collector paused (as timeit does)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start
    finally:
        if enabled:
            gc.enable()


def product_error(fs, res, answer: dict) -> tuple[float, str]:
    """Largest relative error of any product flow against the answer, and where."""
    worst, where = 0.0, ""
    for product, flows in answer["products"].items():
        got = res.port_stream(product, "in").flows
        for species, exact in flows.items():
            diff = abs(float(got[fs.table.index[species]]) - exact)
            scale = max(abs(exact), 1e-9 * answer["feeds_total"][species])
            err = diff / scale if scale > 0 else (0.0 if diff == 0 else math.inf)
            if err >= worst:
                worst, where = err, f"{product}/{species}"
    return worst, where


def accuracy(spec: Path, answer: dict) -> dict:
    """Solve with the defaults and compare every product flow with the answer."""
    fs = flowsheet.load(spec)
    res = fs.solve()
    err, where = product_error(fs, res, answer)
    stale = answer.get("spec_sha256") != hashlib.sha256(spec.read_bytes()).hexdigest()
    conv = res.convergence
    return {"units": len(fs.units), "max_rel_error": err, "worst_flow": where,
            "closure_worst": res.closure.worst, "stale_answer": stale,
            "method": conv.method, "iterations": conv.iterations,
            "linear_solves": conv.linear_solves, "unit_runs": conv.unit_runs,
            "passed": err <= TARGET and not stale}


def timings(harness: peer.Harness, spec: Path, repeats: int) -> dict:
    """Interleaved medians: the limit's build+solve and solve, our first and repeat solve."""
    parsed = harness.spec.load(str(spec))
    limit = harness.limit
    A, b = limit.build_system(parsed)
    times: dict[str, list[float]] = {"limit_build_solve": [], "limit_solve": [],
                                     "first": [], "repeat": []}

    def limit_both() -> None:
        limit.solve(*limit.build_system(parsed))
        times["limit_build_solve"].append(clock(lambda: limit.solve(*limit.build_system(parsed))))
        times["limit_solve"].append(clock(lambda: limit.solve(A, b)))

    def ours() -> None:
        fs = flowsheet.load(spec)
        times["first"].append(clock(fs.solve))
        times["repeat"].append(clock(fs.solve))

    for i in range(repeats + 1):
        gc.collect()
        for task in (limit_both, ours) if i % 2 == 0 else (ours, limit_both):
            task()
        if i == 0:
            for values in times.values():
                values.clear()
    row = {f"{key}_s": statistics.median(values) for key, values in times.items()}
    row["runs"] = {key: values for key, values in times.items()}
    row["repeats"] = repeats
    row["first_over_limit_build_solve"] = row["first_s"] / row["limit_build_solve_s"]
    row["repeat_over_limit_solve"] = row["repeat_s"] / row["limit_solve_s"]
    row["first_within_target"] = row["first_over_limit_build_solve"] <= FIRST_WITHIN
    return row


def sequential_once(spec: Path, method: str, answer: dict) -> dict:
    """One cold sequential-modular solve (``linear=False``) with ``method``."""
    fs = flowsheet.load(spec)
    gc.collect()
    start = time.perf_counter()
    try:
        res = fs.solve(method=method, linear=False)
    except ConvergenceError as err:
        wall = time.perf_counter() - start
        its = max((len(h) for h in err.history.values()), default=0)
        return {"converged": False, "wall_s": wall, "iterations": its,
                "message": str(err).splitlines()[0][:300]}
    wall = time.perf_counter() - start
    conv = res.convergence
    err, where = product_error(fs, res, answer)
    return {"converged": True, "wall_s": wall, "seconds": conv.seconds,
            "iterations": conv.iterations, "unit_runs": conv.unit_runs,
            "tear_unit_runs": conv.tear_unit_runs, "tear_seconds": conv.tear_seconds,
            "linear_solves": conv.linear_solves, "tears": len(conv.tears),
            "max_rel_error": err, "worst_flow": where}


def sequential(spec: Path, method: str, answer: dict, most: int) -> dict:
    """Median over up to ``most`` cold runs: all of them under 1 s, 3 under 10 s, else 1."""
    runs = [sequential_once(spec, method, answer)]
    first = runs[0]["wall_s"]
    wanted = min(most, most if first < 1 else (3 if first < 10 else 1))
    while runs[0]["converged"] and len(runs) < wanted:
        runs.append(sequential_once(spec, method, answer))
    row = dict(runs[0])
    row["runs"] = len(runs)
    row["wall_s"] = statistics.median(r["wall_s"] for r in runs)
    if row["converged"]:
        row["seconds"] = statistics.median(r["seconds"] for r in runs)
        row["tear_seconds"] = statistics.median(r["tear_seconds"] for r in runs)
        row["tear_seconds_runs"] = [r["tear_seconds"] for r in runs]
        row["us_per_tear_run"] = (row["tear_seconds"] / row["tear_unit_runs"] * 1e6
                                  if row["tear_unit_runs"] else None)
        row["us_per_run"] = (row["seconds"] / row["unit_runs"] * 1e6
                             if row["unit_runs"] else None)
    return row


# -- the peer -----------------------------------------------------------------------------
def live_peer(args: argparse.Namespace) -> tuple[Path, str | None]:
    """The peer venv's python and why it will not run live (None: it will)."""
    python, why_not = peer.peer_python()
    if args.peer is False:
        why_not = "not requested (--no-peer)"
    elif args.peer is True and why_not:
        sys.exit(f"run_bench: --peer asked for a live run, but {why_not}")
    return python, why_not


def peer_figures(harness: peer.Harness, specs: list[Path], args: argparse.Namespace,
                 python: Path, why_not: str | None) -> dict:
    """BioSTEAM's figures for ``specs``: the published ones, and a live run unless
    ``why_not`` says why not."""
    stems = {s.stem for s in specs}
    book = peer.published(harness)
    published = _peer_rows(book.get("results", []), stems)
    live_rows, live_meta = None, None
    if why_not is None:
        live = peer.run_live(harness, python, specs, args.peer_methods, args.peer_timeout,
                             args.out.parent / "peer_live.json")
        live_rows, live_meta = _peer_rows(live.get("results", []), stems), live.get("meta", {})
    return {"published_meta": book.get("meta", {}), "live_meta": live_meta,
            "not_live_because": why_not, "published": published, "live": live_rows,
            "per_run_us": {"published": peer.per_run_us(published),
                           "live": None if live_rows is None else peer.per_run_us(live_rows)}}


def _peer_rows(rows: list[dict], stems: set[str]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "chemicals"} for r in rows
            if Path(r["spec"]).stem in stems]


# -- reporting ----------------------------------------------------------------------------
def table(headers: list[str], rows: list[list[str]], align: str) -> str:
    """A Markdown table; ``align`` has one letter per column, ``l`` (text) or ``r``."""
    align = ["---" if a == "l" else "---:" for a in align]
    lines = [headers, align, *rows]
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    value = seconds * 1e3
    return f"{value:.3g}" if value < 1000 else f"{value:,.0f}"


def num(value: float | None, fmt: str = ".3g") -> str:
    return "-" if value is None else format(value, fmt)


def ratio(value: float | None) -> str:
    """A ratio: two decimals below 10, whole numbers above."""
    if value is None:
        return "-"
    return f"{value:.2f}" if value < 10 else f"{value:,.0f}"


def accuracy_table(report: dict) -> str:
    rows = []
    for spec, r in report.items():
        verdict = "stale answer" if r["stale_answer"] else ("ok" if r["passed"] else "FAIL")
        where = r["worst_flow"] if r["max_rel_error"] > 0 else "-"
        rows.append([spec, str(r["units"]), f"{r['max_rel_error']:.1e}", where,
                     f"{r['closure_worst']:.1e}", str(r["linear_solves"]), verdict])
    return table(["spec", "units", "max rel. error", "worst flow", "closure", "linear solves",
                  f"within {TARGET:g}"], rows, "lrrlrrl")


def timing_table(report: dict) -> str:
    rows = []
    for spec, r in report.items():
        rows.append([spec, ms(r["limit_solve_s"]), ms(r["limit_build_solve_s"]),
                     ms(r["first_s"]), ms(r["repeat_s"]),
                     ratio(r["first_over_limit_build_solve"]),
                     ratio(r["repeat_over_limit_solve"]),
                     "yes" if r["first_within_target"] else "**no**"])
    return table(["spec", "limit solve ms", "limit build+solve ms", "ours first ms",
                  "ours repeat ms", "first / limit b+s", "repeat / limit solve",
                  f"first within {FIRST_WITHIN:g}x"], rows, "lrrrrrrl")


def _versus(per_run: dict | None, spec: str, mine: float | None) -> list[str]:
    """BioSTEAM's us per unit run on ``spec`` (else over all specs) and its ratio to ours."""
    if per_run is None:
        return []
    theirs = per_run.get(spec, per_run.get("*", {})).get("median") if mine else None
    return [num(theirs, ".1f"), ratio(theirs / mine if theirs else None)]


def sequential_table(report: dict, per_run: dict) -> str:
    rows = []
    for spec, methods in report.items():
        for method, r in methods.items():
            mine = r.get("us_per_tear_run")
            versus = (_versus(per_run["published"], spec, mine)
                      + _versus(per_run["live"], spec, mine))
            if not r["converged"]:
                rows.append([spec, method, f"failed after {ms(r['wall_s'])} ms", "-",
                             str(r["iterations"]), "-", "-", "-", "-", *versus])
                continue
            rows.append([spec, method, "converged", f"{r['max_rel_error']:.0e}",
                         str(r["iterations"]), f"{r['tear_unit_runs']:,}", ms(r["tear_seconds"]),
                         num(mine, ".2f"), num(r["us_per_run"], ".2f"), *versus])
    headers = ["spec", "method", "result", "max rel. error", "iterations", "tear unit runs",
               "tear ms", "us/run in tear", "us/run whole solve",
               "BioSTEAM us/run (published)", "published / ours"]
    if per_run["live"] is not None:
        headers += ["BioSTEAM us/run (live)", "live / ours"]
    return table(headers, rows, "lll" + "r" * (len(headers) - 3))


def peer_table(peer_data: dict, timing: dict, methods: list[str]) -> str:
    live = peer_data["live"] is not None
    published = {(Path(r["spec"]).stem, r["method"]): r for r in peer_data["published"]}
    rows = []
    for r in peer_data["live"] if live else peer_data["published"]:
        spec = Path(r["spec"]).stem
        if r["method"] not in methods or spec not in timing:
            continue
        first = timing[spec]["first_s"]
        conv = r.get("converge_s") if r.get("status") in ("converged", "unstable") else None
        row = [spec, r["method"], r.get("status", "-"), num(r.get("rmol"), ".0e"),
               f"{r.get('unit_runs') or 0:,}", ms(r.get("build_s")), ms(conv)]
        if live:
            book = published.get((spec, r["method"]), {})
            ok = book.get("status") == "converged"
            row.append(ms(book.get("converge_s")) if ok else book.get("status", "-"))
        rows.append([*row, ms(first), ratio(conv / first if conv else None)])
    headers = ["spec", "BioSTEAM method", "result", "rmol", "unit runs", "build ms",
               "converge ms"]
    if live:
        headers.append("published converge ms")
    headers += ["ours first ms", "BioSTEAM / ours first"]
    return table(headers, rows, "llll" + "r" * (len(headers) - 4))


def machine() -> dict:
    """Where and with what the numbers were measured."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=HERE.parent, capture_output=True, text=True,
                              check=False)
        return done.stdout.strip()

    return {"date": time.strftime("%Y-%m-%d %H:%M:%S %z"), "platform": platform.platform(),
            "machine": platform.machine(), "processor": platform.processor(),
            "cpu_count": os.cpu_count(), "python": platform.python_version(),
            "numpy": np.__version__, "scipy": scipy.__version__,
            "flowsheet": flowsheet.__version__, "git_commit": git("rev-parse", "HEAD"),
            "git_dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
            "thread_pools": threadpool_info()}


# -- driver -------------------------------------------------------------------------------
def choose_specs(harness: peer.Harness, wanted: list[str] | None) -> list[Path]:
    available = {p.stem: p for p in harness.specs}
    if not wanted:
        return list(available.values())
    names = [w.strip().removesuffix(".yaml") for item in wanted for w in item.split(",")]
    unknown = [n for n in names if n and n not in available]
    if unknown:
        sys.exit(f"run_bench: unknown spec(s) {', '.join(unknown)}; "
                 f"available: {', '.join(available)}")
    return [available[n] for n in names if n]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--specs", nargs="+", help="spec names, space or comma separated "
                    "(default: every spec of the harness)")
    ap.add_argument("--repeats", type=int, help="timed repeats per figure (default 21; 5 with "
                    "--quick)")
    ap.add_argument("--quick", action="store_true", help="fewer repeats everywhere")
    live = ap.add_mutually_exclusive_group()
    live.add_argument("--peer", dest="peer", action="store_true", default=None,
                      help="run BioSTEAM live (fail if its venv is missing)")
    live.add_argument("--no-peer", dest="peer", action="store_false",
                      help="use the published BioSTEAM figures only")
    ap.add_argument("--peer-methods", default="fixedpoint,aitken",
                    help="BioSTEAM methods to run live and to show (default: %(default)s)")
    ap.add_argument("--peer-timeout", type=float, default=30.0,
                    help="seconds per BioSTEAM run (default: %(default)s)")
    ap.add_argument("--blas-threads", type=int, default=1,
                    help="BLAS threads while measuring, as the peer harness uses; 0 leaves "
                         "the library's default (default: %(default)s)")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "latest.json",
                    help="where to write every number (default: bench/results/latest.json); "
                         "a live peer run writes peer_live.json beside it")
    args = ap.parse_args(argv)
    if args.repeats is None:
        args.repeats = 5 if args.quick else 21
    if args.repeats < 1:
        ap.error("--repeats must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    harness = peer.find_harness()  # its limit.py loads scipy's BLAS before the limit below
    if args.blas_threads > 0:
        with threadpool_limits(limits=args.blas_threads, user_api="blas"):
            return run(args, harness)
    return run(args, harness)


def run(args: argparse.Namespace, harness: peer.Harness) -> int:
    """Measure, print the tables and write the JSON report."""
    specs = choose_specs(harness, args.specs)
    python, why_not = live_peer(args)
    answers = {s.stem: json.loads(harness.answer_path(s).read_text()) for s in specs}
    sm_most = 1 if args.quick else 5
    print(f"harness: {harness.root}; specs: {', '.join(s.stem for s in specs)}; "
          f"{args.repeats} repeats", file=sys.stderr, flush=True)

    acc, timing, seq = {}, {}, {}
    load = [os.getloadavg()[0]]
    for spec in specs:
        print(f"  {spec.stem}", file=sys.stderr, flush=True)
        acc[spec.stem] = accuracy(spec, answers[spec.stem])
        timing[spec.stem] = timings(harness, spec, args.repeats)
        seq[spec.stem] = {m: sequential(spec, m, answers[spec.stem], sm_most) for m in METHODS}
    load.append(os.getloadavg()[0])
    peer_data = peer_figures(harness, specs, args, python, why_not)
    load.append(os.getloadavg()[0])
    live = peer_data["live"] is not None
    overall = peer_data["per_run_us"]["published"].get("*", {}).get("median")
    label = "measured live" if live else "published results/biosteam.json, not run live"
    print(f"## Accuracy: products against answers/<spec>.json (target {TARGET:g})\n")
    print(accuracy_table(acc))
    print(f"\n## Time: medians of {args.repeats} interleaved repeats\n")
    print(timing_table(timing))
    print("\n## Sequential-modular tear iteration (linear=False), cold solves\n")
    print(sequential_table(seq, peer_data["per_run_us"]))
    print(f"\nBioSTEAM us/run: converge time / unit runs of its converged sequential-modular "
          f"methods on the same spec (median); published figures over these specs: "
          f"{num(overall, '.1f')} us. Target: BioSTEAM / ours >= {TEAR_SPEEDUP:g}.")
    print(f"\n## BioSTEAM beside us ({label})\n")
    if not live:
        print(f"The peer was not run live: {peer_data['not_live_because']}.\n")
    print(peer_table(peer_data, timing, args.peer_methods.split(",")))
    print(f"\nLoad average (1 min): {load[0]:.2f} at the start, {load[1]:.2f} after our "
          f"measurements, {load[2]:.2f} at the end; {os.cpu_count()} cores.")

    report = {"meta": machine(), "harness": str(harness.root),
              "options": {"repeats": args.repeats, "quick": args.quick,
                          "blas_threads": args.blas_threads or "library default",
                          "sequential_runs_at_most": sm_most, "target": TARGET,
                          "peer_methods": args.peer_methods, "peer_timeout_s": args.peer_timeout},
              "targets": {"first_over_limit_build_solve_at_most": FIRST_WITHIN,
                          "tear_speedup_over_biosteam_at_least": TEAR_SPEEDUP},
              "accuracy": acc, "timing": timing, "sequential": seq,
              "load_average_1min": {"start": load[0], "after_ours": load[1], "end": load[2]},
              "peer": peer_data}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n")
    print(f"\nwritten {args.out}", file=sys.stderr)
    return 0 if all(r["passed"] for r in acc.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
