"""The ``flowsheet`` command line, run as a user runs it: in a process of its own.

Every test points ``FLOWSHEET_RUNS`` into its temporary folder, so no run is recorded
outside it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flowsheet.plugins import unit_types

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "copper_oxide_leach_ew.yaml"


def flowsheet_cli(*args: str, home: Path) -> subprocess.CompletedProcess:
    """Run ``python -m flowsheet.cli ARGS`` in ``home`` with the run store in ``home``."""
    env = {**os.environ, "FLOWSHEET_RUNS": str(home / "runs.sqlite")}
    return subprocess.run([sys.executable, "-m", "flowsheet.cli", *map(str, args)],
                          capture_output=True, text=True, env=env, cwd=home, timeout=300,
                          check=False)


def ok(proc: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return proc


def test_validate_prints_one_ok_line(tmp_path):
    """``validate`` checks a file without solving it: one ok line with the counts, exit 0,
    nothing written."""
    proc = ok(flowsheet_cli("validate", EXAMPLE, home=tmp_path))
    assert proc.stdout == (f"{EXAMPLE}: ok -- 19 units, 21 streams, 8 species, "
                           "1 design specs\n")
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def example_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The example solved once by ``flowsheet run`` into a fresh folder with its store."""
    home = tmp_path_factory.mktemp("run")
    return home, ok(flowsheet_cli("run", EXAMPLE, "-o", home / "out", home=home))


def test_run_writes_results_and_records_the_run(example_run):
    """``run`` writes results.json and streams.csv in the documented layout, prints the
    stream table and closure, and records the run in the store named by FLOWSHEET_RUNS."""
    home, proc = example_run
    out = home / "out"
    assert {"results.json", "streams.csv"} <= {p.name for p in out.iterdir()}
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert {"streams", "units", "closure", "convergence"} <= set(results)
    cathode = results["streams"]["cells.cathode->cathode"]
    assert cathode["from"] == "cells.cathode" and cathode["to"] == "cathode.in"
    assert cathode["flows"]["copper"] == pytest.approx(12.0, rel=1e-6)
    assert results["convergence"]["converged"] is True
    header = (out / "streams.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",")[0] == "stream"
    assert "closure: total mass" in proc.stdout
    assert proc.stdout.rstrip().endswith("run 1 recorded")
    assert (home / "runs.sqlite").is_file()


def test_runs_lists_and_shows_the_recorded_run(example_run):
    """``runs`` lists the recorded run and ``runs 1`` shows it with its closure and
    convergence."""
    home, _ = example_run
    listing = ok(flowsheet_cli("runs", home=home)).stdout.splitlines()
    assert listing[0].split()[:4] == ["id", "created", "flowsheet", "status"]
    assert len(listing) == 2
    assert listing[1].split()[0] == "1"
    assert "copper-oxide-leach-ew" in listing[1] and " ok " in listing[1]
    shown = ok(flowsheet_cli("runs", "1", home=home)).stdout
    decoder = json.JSONDecoder()
    record, end = decoder.raw_decode(shown)
    summary, _ = decoder.raw_decode(shown[end:].lstrip())
    assert record["id"] == 1 and record["flowsheet"] == "copper-oxide-leach-ew"
    assert record["status"] == "ok"
    assert summary["convergence"]["converged"] is True
    assert summary["closure"]["total"] < 1e-9


def test_runs_on_an_unknown_id_exits_2(example_run):
    """Asking for a run the store does not hold is bad input: one line, exit code 2."""
    home, _ = example_run
    proc = flowsheet_cli("runs", "99", home=home)
    assert proc.returncode == 2
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith("error: ")


def test_schema_is_json_with_one_branch_per_unit_type(tmp_path):
    """``schema`` prints a JSON Schema whose units have one ``oneOf`` branch per
    registered unit type, each fixing its ``type``."""
    schema = json.loads(ok(flowsheet_cli("schema", home=tmp_path)).stdout)
    branches = schema["properties"]["units"]["additionalProperties"]["oneOf"]
    assert sorted(b["properties"]["type"]["const"] for b in branches) == sorted(unit_types())
    assert all("type" in b["required"] for b in branches)
    assert {"flowsheet", "species", "units", "streams"} <= set(schema["required"])


def test_run_writes_xlsx_on_request(tmp_path):
    """``--format xlsx`` writes the Excel workbook (and nothing else but the manifest of
    the set) without recording the run when ``--no-store`` is given."""
    out = tmp_path / "out"
    ok(flowsheet_cli("run", EXAMPLE, "-o", out, "--format", "xlsx", "--no-store", "--quiet",
                     home=tmp_path))
    assert sorted(p.name for p in out.iterdir()) == ["results.manifest.json", "results.xlsx"]
    assert (out / "results.xlsx").read_bytes()[:2] == b"PK"
    assert not (tmp_path / "runs.sqlite").exists()


def test_diagram_writes_svg(tmp_path):
    """``diagram -o x.svg`` draws every unit of the flowsheet into an SVG file."""
    proc = ok(flowsheet_cli("diagram", EXAMPLE, "-o", tmp_path / "x.svg", home=tmp_path))
    assert proc.stdout.strip() == f"wrote {tmp_path / 'x.svg'}"
    svg = (tmp_path / "x.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith(("<svg", "<?xml")) and svg.rstrip().endswith("</svg>")
    assert "leach_mix" in svg and "cathode" in svg


def test_sankey_writes_html(tmp_path):
    """``sankey -o x.html`` solves the flowsheet and writes a self-contained HTML page."""
    ok(flowsheet_cli("sankey", EXAMPLE, "-o", tmp_path / "x.html", home=tmp_path))
    html = (tmp_path / "x.html").read_text(encoding="utf-8")
    assert "<html" in html.lower() and "<svg" in html
    assert "cathode" in html
