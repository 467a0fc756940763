"""Start-up time of the ``flowsheet`` commands, against a bare Python in the same run.

A command's fixed cost is the modules it imports before it does anything. This script runs
whole commands as subprocesses, the way a user meets them, and takes the median wall time
of each over interleaved rounds (every command once per round, the order rotated each
round), so that the load of a shared machine falls on all of them alike:

* ``python -c pass`` and ``python -c "import numpy, yaml"``: the references;
* ``python -c "import flowsheet"``;
* ``flowsheet --help``;
* ``flowsheet validate`` of a small example (``examples/ccd_washing.yaml``, 8 units), and
  of one whose quantities carry units (``examples/sabc_plant.yaml``: mm, MW, kWh/t, ...);
* ``flowsheet run`` of the same example to a temporary folder, JSON only, recorded in a
  temporary run store.

Each flowsheet command runs as the console script does (``from flowsheet.cli import main``)
with the tree under test first on ``PYTHONPATH``. ``--base DIR`` adds the same commands run
from another checkout (e.g. ``git worktree add /tmp/startup-base e78dbbe``), so that before
and after are measured side by side. Byte-code caching is left on (as for an installed
package) and one untimed round writes the caches first.

Usage::

    python bench/startup.py [--rounds 15] [--base /tmp/startup-base] [--out startup.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["main"]

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = "examples/ccd_washing.yaml"
WITH_UNITS = "examples/sabc_plant.yaml"     # quantities in mm, um, MW, kWh/t, t/m3, t/h
VALIDATE_WITHIN = 3.0   # x the bare "import numpy, yaml"
HELP_UNDER = 0.3        # seconds

_CONSOLE = "import sys; from flowsheet.cli import main; sys.exit(main())"


def _commands(tree: Path, label: str, out: Path) -> dict[str, list[str]]:
    """The flowsheet commands of one checkout, each an argv run from ``tree``."""
    py = sys.executable
    example = str(tree / EXAMPLE)
    return {
        f"import flowsheet{label}": [py, "-c", "import flowsheet"],
        f"flowsheet --help{label}": [py, "-c", _CONSOLE, "--help"],
        f"flowsheet validate{label}": [py, "-c", _CONSOLE, "validate", example],
        f"flowsheet validate, units{label}": [py, "-c", _CONSOLE, "validate",
                                              str(tree / WITH_UNITS)],
        f"flowsheet run{label}": [py, "-c", _CONSOLE, "run", example, "-o", str(out),
                                  "--format", "json", "--quiet"],
    }


def _env(tree: Path | None, store: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    env["FLOWSHEET_RUNS"] = str(store)
    env.setdefault("MPLBACKEND", "Agg")
    return env


def _time(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"startup: {' '.join(argv[-4:])} failed ({done.returncode}):\n"
                 f"{done.stderr}")
    return seconds


def measure(rounds: int, base: Path | None) -> dict[str, list[float]]:
    """Wall seconds of every command, ``rounds`` times each, interleaved."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        runs: list[tuple[str, list[str], Path, dict[str, str]]] = []
        bare_env = _env(None, tmp_path / "bare.sqlite")
        for name, argv in {"python -c pass": [sys.executable, "-c", "pass"],
                           "import numpy, yaml": [sys.executable, "-c",
                                                  "import numpy, yaml"]}.items():
            runs.append((name, argv, tmp_path, bare_env))
        trees = [(REPO, "")] + ([(base, " (base)")] if base else [])
        for i, (tree, label) in enumerate(trees):
            env = _env(tree, tmp_path / f"runs{i}.sqlite")
            for name, argv in _commands(tree, label, tmp_path / f"out{i}").items():
                runs.append((name, argv, tree, env))
        for _, argv, cwd, env in runs:          # writes the byte-code caches
            _time(argv, cwd, env)
        times: dict[str, list[float]] = {name: [] for name, *_ in runs}
        for r in range(rounds):
            shift = r % len(runs)
            for name, argv, cwd, env in runs[shift:] + runs[:shift]:
                times[name].append(_time(argv, cwd, env))
    return times


def report(times: dict[str, list[float]]) -> tuple[str, bool]:
    """A Markdown table of the medians and their ratios, and whether the targets hold."""
    med = {name: statistics.median(t) for name, t in times.items()}
    bare, numpy_yaml = med["python -c pass"], med["import numpy, yaml"]
    lines = ["| command | median s | x `python -c pass` | x `import numpy, yaml` |",
             "|---|---:|---:|---:|"]
    for name, m in med.items():
        lines.append(f"| `{name}` | {m:.3f} | {m / bare:.2f} | {m / numpy_yaml:.2f} |")
    base = [name for name in med if name.endswith(" (base)")]
    if base:
        lines += ["", "| command | this tree s | base s | base / this |", "|---|---:|---:|---:|"]
        for name in base:
            this, before = med[name.removesuffix(" (base)")], med[name]
            lines.append(f"| `{name.removesuffix(' (base)')}` | {this:.3f} | {before:.3f} | "
                         f"{before / this:.2f} |")
    validate, help_ = med["flowsheet validate"], med["flowsheet --help"]
    ok_validate = validate <= VALIDATE_WITHIN * numpy_yaml
    ok_help = help_ < HELP_UNDER
    lines += ["",
              f"validate: {validate / numpy_yaml:.2f}x `import numpy, yaml` (target <= "
              f"{VALIDATE_WITHIN:g}x): {'met' if ok_validate else 'NOT met'}",
              f"--help: {help_:.3f} s (target < {HELP_UNDER:g} s): "
              f"{'met' if ok_help else 'NOT met'}"]
    return "\n".join(lines), ok_validate and ok_help


def main(argv: list[str] | None = None) -> int:
    """Measure, print the table, write the raw times; exit 1 when a target is missed."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=15, help="interleaved rounds (>= 11)")
    ap.add_argument("--base", type=Path, help="another checkout to time beside this one")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "startup.json")
    args = ap.parse_args(argv)
    times = measure(args.rounds, args.base.resolve() if args.base else None)
    table, ok = report(times)
    print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"rounds": args.rounds, "python": sys.version,
                                    "load_average": os.getloadavg(),
                                    "seconds": times}, indent=1) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
