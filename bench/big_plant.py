"""Big flowsheets and big files, measured side by side in one run.

1. **The 50,000-unit plant.** ``plant(100, 250)`` of the peer benchmark's generator
   (``make_specs.py``, looked for at ``../shared/bench`` beside the repository or at
   ``$FLOWSHEET_PEER_BENCH``, as ``peer_harness.py`` does) is written as the YAML file the
   benchmark's specs are: our format, read as it is. Each round times, in this order
   turned round every round:

   * *bare parse*: ``yaml.load(f, Loader=yaml.CSafeLoader)`` of the same file in a fresh
     interpreter, as written (garbage collector on) and with the collector paused;
   * *run*: ``python -m flowsheet.cli run FILE -o DIR --quiet`` as a subprocess, wall
     time from start to exit (interpreter start and imports included), the run recorded
     in a run store of its own (``$FLOWSHEET_RUNS``); its peak RSS comes from
     ``os.wait4``;
   * *phases*: the same steps in a subprocess that times them: imports, load (as ``run``
     loads: collector paused, then frozen), solve, write (``json,csv`` and the record).

   The target is *run* within 10x the bare parse, medians of ``--repeats`` rounds.
   Memory per unit is the run's peak RSS less that of a run of a 7-unit example, over
   the units: the same figure at 10,000 and 50,000 units is memory linear in units.
2. **smelt on 100,000 ores.** A table of ores mixed from the copper ores of
   ``examples/data/seed_ores.csv`` (fixed seed) goes through ``flowsheet smelt ORES
   --technology vanyukov --matte-grade 55 -o DIR``; target under 8 s.
3. **Before.** With ``--baseline REV`` the same commands run on the code of an earlier
   commit (``git archive`` into a temporary folder), once each, in the same run.

Usage::

    python bench/big_plant.py [--plants 40x125,100x250] [--repeats 3] [--ores 100000]
                              [--baseline e78dbbe] [--out bench/results/big_plant.json]

Without the generator it says where it looked and exits with status 0 (skipped).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["main"]

REPO = Path(__file__).resolve().parents[1]
SMALL = REPO / "examples" / "ccd_washing.yaml"
SEED_ORES = REPO / "examples" / "data" / "seed_ores.csv"
RUN_WITHIN = 10.0
SMELT_UNDER = 8.0

_BARE = """
import gc, json, sys, time, yaml
path, paused = sys.argv[1], sys.argv[2] == "paused"
if paused:
    gc.disable()
t = time.perf_counter()
with open(path) as f:
    yaml.load(f, Loader=yaml.CSafeLoader)
print(json.dumps({"seconds": time.perf_counter() - t}))
"""


# -- locating and generating ------------------------------------------------------------
def find_generator() -> Path | None:
    """``make_specs.py`` of the peer benchmark, or None (where ``peer_harness`` looks)."""
    override = os.environ.get("FLOWSHEET_PEER_BENCH")
    root = Path(override) if override else (REPO.parent / "shared" / "bench").resolve()
    path = root / "make_specs.py"
    return path if path.exists() else None


def plant_yaml(generator: Path, trains: int, stages: int, folder: Path) -> tuple[Path, int]:
    """Write ``plant(trains, stages)`` as a flowsheet file; return it and its unit count."""
    spec = importlib.util.spec_from_file_location("make_specs", generator)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sheet = module.plant(trains, stages)
    path = folder / f"plant_{len(sheet.units)}.yaml"
    path.write_text(sheet.text(), encoding="utf-8")
    return path, len(sheet.units)


def ore_table(n: int, folder: Path, seed: int = 11) -> Path:
    """``n`` ores, each a random mix (Dirichlet weights) of the seed table's copper ores,
    with random tonnages; written as CSV."""
    import numpy as np
    import pandas as pd

    seeds = pd.read_csv(SEED_ORES).set_index("ore").loc[["VK", "KSH", "KKSH", "AK", "ZHOF"]]
    rng = np.random.default_rng(seed)
    assays = ["Au", "Ag", "SiO2", "CaO", "S", "Fe", "Cu", "Al2O3", "As"]
    weights = rng.dirichlet(np.ones(len(seeds)), n)
    table = pd.DataFrame(weights @ seeds[assays].to_numpy(), columns=assays).round(4)
    table.insert(0, "tonnes", rng.uniform(5, 250, n).round(3))
    table.insert(0, "ore", [f"ore{i:06d}" for i in range(n)])
    path = folder / f"ores_{n}.csv"
    table.to_csv(path, index=False)
    return path


# -- measuring ----------------------------------------------------------------------------
def _popen_rss(cmd: list[str], cwd: Path, env: dict) -> tuple[float, int, str]:
    """Run ``cmd``; return its wall seconds, its own peak RSS [bytes] (the child reaped
    with ``os.wait4``) and its stdout. A failure stops the benchmark with its stderr."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            sys.exit(f"big_plant: {' '.join(cmd)} failed ({proc.returncode}):\n"
                     f"{err.read()[-2000:]}")
        return seconds, usage.ru_maxrss * 1024, out.read()


def environment(code: Path, store: Path) -> dict:
    """The environment of a subprocess running the engine found at ``code``."""
    return dict(os.environ, PYTHONPATH=str(code), FLOWSHEET_RUNS=str(store),
                OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")


def bare_parse(path: Path, paused: bool) -> float:
    _, _, out = _popen_rss([sys.executable, "-c", _BARE, str(path),
                            "paused" if paused else "on"], REPO, dict(os.environ))
    return json.loads(out)["seconds"]


def run_command(code: Path, path: Path, work: Path) -> tuple[float, int]:
    out = Path(tempfile.mkdtemp(dir=work))
    cmd = [sys.executable, "-m", "flowsheet.cli", "run", str(path), "-o", str(out), "--quiet"]
    seconds, rss, _ = _popen_rss(cmd, code, environment(code, out / "runs.sqlite"))
    shutil.rmtree(out, ignore_errors=True)
    return seconds, rss


def phases(path: Path, work: Path) -> dict:
    out = Path(tempfile.mkdtemp(dir=work))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--phases", str(path), str(out)]
    _, _, text = _popen_rss(cmd, REPO, environment(REPO, out / "runs.sqlite"))
    shutil.rmtree(out, ignore_errors=True)
    return json.loads(text)


def smelt_command(code: Path, ores: Path, work: Path) -> tuple[float, int]:
    out = Path(tempfile.mkdtemp(dir=work))
    cmd = [sys.executable, "-m", "flowsheet.cli", "smelt", str(ores), "--technology",
           "vanyukov", "--matte-grade", "55", "-o", str(out)]
    seconds, rss, _ = _popen_rss(cmd, code, environment(code, out / "runs.sqlite"))
    shutil.rmtree(out, ignore_errors=True)
    return seconds, rss


def phases_child(path: str, out: str) -> None:
    """``--phases``: the steps of ``flowsheet run``, each timed; JSON on stdout."""
    start = time.perf_counter()
    import flowsheet
    from flowsheet.collector import collector_paused
    from flowsheet.exports import write_results
    from flowsheet.runstore import RunStore

    imported = time.perf_counter()
    with collector_paused():
        fs = flowsheet.load(path)
        gc.freeze()
    loaded = time.perf_counter()
    res = fs.solve()
    solved = time.perf_counter()
    write_results(res, out, ["json", "csv"], record=lambda: RunStore().record(res))
    written = time.perf_counter()
    print(json.dumps({"import": imported - start, "load": loaded - imported,
                      "solve": solved - loaded, "write": written - solved,
                      "units": len(fs.units), "streams": len(fs.connections),
                      "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))


def baseline_code(rev: str, work: Path) -> Path:
    """The repository at ``rev``, unpacked into a folder of ``work``."""
    folder = work / f"baseline-{rev}"
    folder.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


# -- reporting ----------------------------------------------------------------------------
def med(values: list[float]) -> float:
    return statistics.median(values)


def table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--plants", default="40x125,100x250",
                   help="plant sizes as TRAINSxSTAGES (default 40x125,100x250: about "
                        "10,000 and 50,000 units)")
    p.add_argument("--repeats", type=int, default=3, help="rounds per figure (median)")
    p.add_argument("--ores", type=int, default=100_000, help="ores for smelt (0: skip)")
    p.add_argument("--baseline", help="commit to run the same commands on, once each")
    p.add_argument("--out", default=str(REPO / "bench" / "results" / "big_plant.json"))
    p.add_argument("--phases", nargs=2, metavar=("FILE", "OUT"), help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.phases:
        phases_child(*args.phases)
        return 0
    generator = find_generator()
    if generator is None:
        where = os.environ.get("FLOWSHEET_PEER_BENCH") or "../shared/bench beside the repository"
        print(f"big_plant: skipped -- no make_specs.py in {where}; set "
              "FLOWSHEET_PEER_BENCH to the peer benchmark's folder")
        return 0
    with tempfile.TemporaryDirectory(prefix="big_plant-") as tmp:
        return measure(args, generator, Path(tmp))


def rounds(path: Path, work: Path, repeats: int) -> dict[str, list]:
    """The four figures of one plant, ``repeats`` rounds, their order turned each round."""
    figures: dict[str, list] = {"bare": [], "bare_paused": [], "run": [], "rss": [],
                                "phases": []}
    order = ["bare", "bare_paused", "run", "phases"]
    for r in range(repeats):
        for name in (order if r % 2 == 0 else order[::-1]):
            if name == "bare":
                figures["bare"].append(bare_parse(path, False))
            elif name == "bare_paused":
                figures["bare_paused"].append(bare_parse(path, True))
            elif name == "run":
                seconds, rss = run_command(REPO, path, work)
                figures["run"].append(seconds)
                figures["rss"].append(rss)
            else:
                figures["phases"].append(phases(path, work))
    return figures


def measure(args: argparse.Namespace, generator: Path, work: Path) -> int:
    plants = []
    for item in args.plants.split(","):
        trains, stages = (int(x) for x in item.lower().split("x"))
        plants.append(plant_yaml(generator, trains, stages, work))
    base = baseline_code(args.baseline, work) if args.baseline else None
    report: dict = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                "load": os.getloadavg()}, "plants": {}, "smelt": None}
    print(f"fixed cost: a run of {SMALL.name}", file=sys.stderr, flush=True)
    small = [run_command(REPO, SMALL, work)[1] for _ in range(args.repeats)]
    report["small_run_peak_rss"] = med(small)

    for path, units in plants:
        print(f"{path.name}: {units} units, {path.stat().st_size / 1e6:.1f} MB",
              file=sys.stderr, flush=True)
        figures = rounds(path, work, args.repeats)
        entry = {"units": units, "bytes": path.stat().st_size,
                 "bare_parse_s": med(figures["bare"]),
                 "bare_parse_paused_s": med(figures["bare_paused"]),
                 "run_s": med(figures["run"]), "run_peak_rss": med(figures["rss"]),
                 "phases_s": {k: med([p[k] for p in figures["phases"]])
                              for k in ("import", "load", "solve", "write")},
                 "raw": figures}
        entry["bytes_per_unit"] = (entry["run_peak_rss"] - report["small_run_peak_rss"]) / units
        if base is not None:
            print(f"  before ({args.baseline}), once", file=sys.stderr, flush=True)
            seconds, rss = run_command(base, path, work)
            entry["before_run_s"], entry["before_peak_rss"] = seconds, rss
        report["plants"][path.stem] = entry

    if args.ores:
        ores = ore_table(args.ores, work)
        print(f"smelt: {args.ores} ores", file=sys.stderr, flush=True)
        times = [smelt_command(REPO, ores, work)[0] for _ in range(args.repeats)]
        report["smelt"] = {"ores": args.ores, "seconds": med(times), "raw": times}
        if base is not None:
            print(f"  before ({args.baseline}), once", file=sys.stderr, flush=True)
            report["smelt"]["before_s"] = smelt_command(base, ores, work)[0]

    print_report(report, args)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    failed = [name for name, e in report["plants"].items()
              if e["run_s"] > RUN_WITHIN * e["bare_parse_s"]]
    if report["smelt"] and report["smelt"]["seconds"] > SMELT_UNDER:
        failed.append("smelt")
    return 1 if failed else 0


def print_report(report: dict, args: argparse.Namespace) -> None:
    before = f"before ({args.baseline})" if args.baseline else None
    rows = []
    for entry in report["plants"].values():
        ph = entry["phases_s"]
        row = [f"{entry['units']:,}", f"{entry['bare_parse_s']:.2f}",
               f"{entry['bare_parse_paused_s']:.2f}", f"{entry['run_s']:.2f}",
               f"{entry['run_s'] / entry['bare_parse_s']:.2f}x",
               f"{entry['run_s'] / entry['bare_parse_paused_s']:.2f}x",
               f"{ph['import']:.2f} / {ph['load']:.2f} / {ph['solve']:.2f} / {ph['write']:.2f}",
               f"{entry['run_peak_rss'] / 2**20:.0f}", f"{entry['bytes_per_unit'] / 1e3:.1f}"]
        if before:
            row += [f"{entry['before_run_s']:.1f}", f"{entry['before_peak_rss'] / 2**20:.0f}"]
        rows.append(row)
    headers = ["units", "bare parse [s]", "bare parse, gc paused [s]", "run [s]",
               "run / bare", "run / bare (gc paused)",
               "import / load / solve / write [s]", "peak RSS [MiB]", "kB per unit"]
    if before:
        headers += [f"run {before} [s]", f"peak RSS {before} [MiB]"]
    print(f"## flowsheet run on plant(trains, stages) (medians of {args.repeats}; target: "
          f"run within {RUN_WITHIN:g}x the bare parse)\n")
    print(table(headers, rows))
    print(f"\nkB per unit: peak RSS less that of a run of {SMALL.name} "
          f"({report['small_run_peak_rss'] / 2**20:.0f} MiB), over the units.")
    smelt = report["smelt"]
    if smelt:
        print(f"\n## flowsheet smelt, {smelt['ores']:,} ores (target under {SMELT_UNDER:g} s)\n")
        headers = ["ores", "smelt [s]"] + ([f"{before} [s]"] if before else [])
        row = [f"{smelt['ores']:,}", f"{smelt['seconds']:.2f}"]
        if before:
            row.append(f"{smelt['before_s']:.2f}")
        print(table(headers, [row]))


if __name__ == "__main__":
    sys.exit(main())
