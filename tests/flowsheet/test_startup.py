"""What a command imports before it works (STYLE practice 15): the command line, ``import
flowsheet`` and ``flowsheet validate`` load no heavy module they do not use, and a
flowsheet loads only the unit modules of the types it names. Structural, not timed: each
case runs in a fresh interpreter and reports which modules it ended with (the times are
in ``bench/startup.py``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

HEAVY = ("pandas", "scipy", "matplotlib", "pint", "networkx", "openpyxl", "sklearn",
         "casadi", "simpy")

_REPORT = ("import json, sys\n"
           "print(json.dumps(sorted(m for m in sys.modules if '.' not in m or "
           "m.startswith(('units.', 'solvers.', 'flowsheet.')))))\n")


def modules_after(code: str, tmp_path: Path) -> set[str]:
    """The modules a fresh interpreter holds after running ``code`` (cwd: the repository,
    so the tree under test is imported; the run store in ``tmp_path``)."""
    env = {**os.environ, "FLOWSHEET_RUNS": str(tmp_path / "runs.sqlite")}
    done = subprocess.run([sys.executable, "-c", code + "\n" + _REPORT], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def _cli(*argv: str) -> str:
    return ("import contextlib, io\n"
            "from flowsheet.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n"
            f"        code = main({list(argv)!r})\n"
            "    except SystemExit as exit:\n"
            "        code = exit.code\n"
            "assert code == 0, code\n")


def test_import_flowsheet_is_light(tmp_path):
    """``import flowsheet`` loads neither numpy nor pydantic nor the YAML reader:
    ``flowsheet.load`` brings them when first used."""
    loaded = modules_after("import flowsheet", tmp_path)
    assert not loaded & {"numpy", "pydantic", "yaml", *HEAVY}
    assert "flowsheet.loader" not in loaded


def test_help_builds_the_parser_from_cheap_data(tmp_path):
    """``flowsheet --help`` lists every command without numpy, pydantic or any unit: the
    domain commands come from their entry points' tables."""
    loaded = modules_after(_cli("--help"), tmp_path)
    assert not loaded & {"numpy", "pydantic", "yaml", *HEAVY}
    assert {m for m in loaded if m.startswith("units.")} == {"units.commands"}


def test_validate_loads_only_the_units_it_names(tmp_path):
    """Validating a flowsheet of feeds, mixers, separators and products imports those four
    unit modules (and what they use), no other unit, and none of the heavy libraries."""
    loaded = modules_after(_cli("validate", "examples/ccd_washing.yaml"), tmp_path)
    assert not loaded & set(HEAVY)
    units = {m for m in loaded if m.startswith("units.")}
    assert {"units.generic.feed", "units.generic.mixer", "units.generic.separator",
            "units.generic.product"} <= units
    assert not {m for m in units if m.split(".")[1] in ("comminution", "classification",
                                                         "pyro", "refining", "hydro")}


def test_validate_reads_common_units_without_pint(tmp_path):
    """A file written in common units (mm, MW, kWh/t, t/m3, %) is validated without
    loading pint or its registry."""
    loaded = modules_after(_cli("validate", "examples/sabc_plant.yaml"), tmp_path)
    assert not loaded & {"pint", "pandas", "matplotlib"}


def test_json_run_needs_no_table_library(tmp_path):
    """``flowsheet run --format json`` solves and records the run without pandas, pint or
    matplotlib (the solver's scipy and networkx are its own business)."""
    loaded = modules_after(_cli("run", "examples/ccd_washing.yaml", "-o", str(tmp_path / "o"),
                                "--format", "json", "--quiet"), tmp_path)
    assert not loaded & {"pandas", "pint", "matplotlib", "openpyxl"}
    assert (tmp_path / "o" / "results.json").is_file()


@pytest.mark.parametrize("argv", [("schema",), ("validate", "examples/sabc_circuit.yaml")])
def test_heavier_commands_still_work(argv, tmp_path):
    """The schema still names every unit type; a file of comminution units loads them."""
    loaded = modules_after(_cli(*argv), tmp_path)
    assert "units.comminution.mills" in loaded
