"""The peer harness: where it is, its one-LU limit, and BioSTEAM's figures.

The harness is a folder with ``specs/``, ``answers/``, ``limit.py``,
``flowsheet_spec.py``, ``peer_biosteam.py`` and ``results/biosteam.json``. It is found at
``../shared/bench`` beside the repository, or wherever ``$FLOWSHEET_PEER_BENCH`` points.
Its two modules are imported from there at run time, never copied.

BioSTEAM runs in a virtualenv of its own (``$PEER_VENV``, default
``~/.cache/flowsheet-peer-venv``), so a live run is a subprocess of that venv's python.
"""

from __future__ import annotations

import importlib
import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

__all__ = ["Harness", "find_harness", "peer_python", "run_live", "published", "per_run_us"]

REPO = Path(__file__).resolve().parents[1]
_NEEDED = ("limit.py", "flowsheet_spec.py", "specs", "answers")


@dataclass
class Harness:
    """The located harness and its two imported modules."""

    root: Path
    limit: ModuleType
    spec: ModuleType

    @property
    def specs(self) -> list[Path]:
        return sorted((self.root / "specs").glob("*.yaml"))

    def answer_path(self, spec: Path) -> Path:
        return self.root / "answers" / f"{spec.stem}.json"

    @property
    def published_path(self) -> Path:
        return self.root / "results" / "biosteam.json"


def find_harness() -> Harness:
    """Locate and import the harness, or exit with a message that says where to put it."""
    override = os.environ.get("FLOWSHEET_PEER_BENCH")
    root = Path(override) if override else (REPO.parent / "shared" / "bench").resolve()
    missing = [name for name in _NEEDED if not (root / name).exists()]
    if missing:
        where = "$FLOWSHEET_PEER_BENCH" if override else "../shared/bench beside the repository"
        sys.exit(f"run_bench: no peer harness at {root} ({where}); missing {', '.join(missing)}."
                 "\nSet FLOWSHEET_PEER_BENCH to the folder that holds limit.py, "
                 "flowsheet_spec.py, specs/ and answers/.")
    sys.path.insert(0, str(root))
    return Harness(root, importlib.import_module("limit"),
                   importlib.import_module("flowsheet_spec"))


def peer_python() -> tuple[Path, str | None]:
    """The peer venv's python, and why it cannot be used (None when it can)."""
    venv = Path(os.environ.get("PEER_VENV", "~/.cache/flowsheet-peer-venv")).expanduser()
    python = venv / "bin" / "python"
    if not python.exists():
        return python, f"no peer venv at {venv} (bash <harness>/run_peer.sh creates it)"
    probe = ("import importlib.util as u, sys; "
             "sys.exit(0 if all(u.find_spec(m) for m in ('biosteam', 'yaml', 'scipy')) else 1)")
    done = subprocess.run([str(python), "-c", probe], capture_output=True, check=False)
    if done.returncode:
        return python, f"the peer venv at {venv} cannot import biosteam"
    return python, None


def run_live(harness: Harness, python: Path, specs: list[Path], methods: str,
             timeout: float, out: Path) -> dict:
    """Run ``peer_biosteam.py`` on ``specs`` and return what it wrote to ``out``.

    Its progress goes to stderr so that stdout keeps only the benchmark's tables. The
    harness's own results are left untouched: the figures go to ``out``.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = [str(python), str(harness.root / "peer_biosteam.py"), *map(str, specs),
           "--methods", methods, "--timeout", str(timeout), "--out", str(out)]
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    print(f"running the peer live: {' '.join(cmd)}", file=sys.stderr, flush=True)
    done = subprocess.run(cmd, cwd=harness.root, env=env, stdout=sys.stderr, check=False)
    if done.returncode or not out.exists():
        sys.exit(f"run_bench: peer_biosteam.py failed (exit code {done.returncode})")
    return _read(out)


def published(harness: Harness) -> dict:
    """The published ``results/biosteam.json`` (empty when the harness has none)."""
    path = harness.published_path
    return _read(path) if path.exists() else {"meta": {}, "results": []}


def _read(path: Path) -> dict:
    with open(path) as f:
        return json.load(f)


def per_run_us(rows: list[dict]) -> dict[str, dict]:
    """BioSTEAM's microseconds per unit run, per spec: converge time / unit runs.

    Only sequential-modular methods that converged on a spec with a recycle count: there
    nearly all of the converge time is spent iterating. Returns ``{spec: {"median": us,
    "methods": {method: us}}}`` and, under ``"*"``, the median over every such run.
    """
    table: dict[str, dict] = {}
    every = []
    for row in rows:
        if (row.get("algorithm") != "Sequential modular" or row.get("status") != "converged"
                or not row.get("unit_runs") or not row.get("tear_streams")
                or not row.get("converge_s")):
            continue
        us = row["converge_s"] / row["unit_runs"] * 1e6
        spec = Path(row["spec"]).stem
        table.setdefault(spec, {"methods": {}})["methods"][row["method"]] = us
        every.append(us)
    for entry in table.values():
        entry["median"] = statistics.median(entry["methods"].values())
    if every:
        table["*"] = {"median": statistics.median(every), "runs": len(every)}
    return table
