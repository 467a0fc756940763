"""What a user waits for on a small flowsheet: loading, the first solve, and both together.

``run_bench.py`` times the first solve alone (loading not timed) against the one-LU
limit's build+solve. Work can move between loading and the first solve, so this script
times both, interleaved in one loop with the limit's build+solve, on the benchmark's
specs: load, first solve and load + first solve (the two medians added, and also timed
as one call), with the ratios to the limit's build+solve.

It measures whatever ``flowsheet`` and ``solvers`` Python imports: to compare two
checkouts, run it in each with ``PYTHONPATH`` set to that checkout, one after the
other, as many times as the machine's load asks for::

    PYTHONPATH=. python bench/first_solve.py --specs grinding_recycle,ccd_5 --repeats 41
    PYTHONPATH=/path/to/other/checkout python bench/first_solve.py --specs ...

Prints one Markdown table (with the code's path and git commit above it).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
from pathlib import Path

import peer_harness as peer
from run_bench import choose_specs, clock, ms, ratio, table
from threadpoolctl import threadpool_limits

import flowsheet

__all__ = ["main"]


def measure(harness: peer.Harness, spec: Path, repeats: int) -> dict[str, float]:
    """Medians (seconds) of load, first solve, load + first solve and the limit."""
    parsed = harness.spec.load(str(spec))
    limit = harness.limit
    times: dict[str, list[float]] = {"load": [], "first": [], "load_first": [], "limit": []}

    def limit_once() -> None:
        limit.solve(*limit.build_system(parsed))
        times["limit"].append(clock(lambda: limit.solve(*limit.build_system(parsed))))

    def ours() -> None:
        box: list = []
        times["load"].append(clock(lambda: box.append(flowsheet.load(spec))))
        times["first"].append(clock(box[0].solve))
        times["load_first"].append(clock(lambda: flowsheet.load(spec).solve()))

    for i in range(repeats + 1):
        gc.collect()
        for task in (limit_once, ours) if i % 2 == 0 else (ours, limit_once):
            task()
        if i == 0:
            for values in times.values():
                values.clear()
    return {key: statistics.median(values) for key, values in times.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--specs", nargs="+", help="spec names (default: every spec)")
    ap.add_argument("--repeats", type=int, default=21, help="rounds per spec (default 21)")
    args = ap.parse_args(argv)
    harness = peer.find_harness()
    root = Path(flowsheet.__file__).resolve().parents[1]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, text=True,
                            capture_output=True, check=False).stdout.strip()
    rows = []
    with threadpool_limits(limits=1, user_api="blas"):
        for spec in choose_specs(harness, args.specs):
            print(f"  {spec.stem}", file=sys.stderr, flush=True)
            t = measure(harness, spec, args.repeats)
            rows.append([spec.stem, ms(t["limit"]), ms(t["load"]), ms(t["first"]),
                         ms(t["load"] + t["first"]), ms(t["load_first"]),
                         ratio(t["first"] / t["limit"]),
                         ratio(t["load_first"] / t["limit"])])
    print(f"code: {root} at {commit or '?'}; medians of {args.repeats} interleaved rounds\n")
    print(table(["spec", "limit build+solve ms", "load ms", "first ms", "load + first ms",
                 "load+first in one ms", "first / limit b+s", "load+first / limit b+s"],
                rows, "lrrrrrrr"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
