"""Bad input to the domain units, as a user meets it: ``flowsheet run`` on a file with one
mistake prints one line naming the file, the unit and the key (or the figure), exits with
code 2, and writes nothing.

Each case edits a working flowsheet of its domain: a flash smelter, a leach train, an SX
loop and an electrowinning house (the last three in ``tests/flowsheet/data`` and
``tests/units/hydro/data``)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FILES = {
    "smelter": ROOT / "tests" / "units" / "pyro" / "data" / "flash_smelter.yaml",
    "leach": ROOT / "tests" / "flowsheet" / "data" / "leach_train.yaml",
    "sx": ROOT / "tests" / "units" / "hydro" / "data" / "sx_loop.yaml",
    "ew": ROOT / "tests" / "flowsheet" / "data" / "ew_once.yaml",
}


@dataclass(frozen=True)
class Case:
    name: str
    file: str
    old: str
    new: str
    words: tuple[str, ...]


CASES = [
    Case("unknown_technology", "smelter", "technology: outokumpu_flash",
         "technology: outokumpu_flsh",
         ("unit 'furnace'", "unknown technology 'outokumpu_flsh'",
          "did you mean 'outokumpu_flash'")),
    Case("matte_grade_out_of_reach", "smelter", "matte_grade: 62", "matte_grade: 95",
         ("unit 'furnace'", "matte_grade")),
    Case("missing_flux_species", "smelter", "silica_flux: quartz", "silica_flux: sand",
         ("unit 'furnace'", "sand")),
    Case("zero_residence_time", "leach", "residence_time: 2 h", "residence_time: 0 h",
         ("unit 'leach'", "residence_time")),
    Case("negative_kelvin", "leach", "temperature: 40 degC", "temperature: -300 degC",
         ("unit 'leach'", "temperature")),
    Case("isotherm_not_monotonic", "sx",
         "isotherm: {model: oxime, k_ex: 15},",
         "isotherm: {model: table, aqueous: [0, 1, 2, 3], organic: [0, 4, 3, 6]},",
         ("unit 'extract'", "isotherm", "monoton")),
    Case("zero_stages", "sx", "stages: 2", "stages: 0", ("unit 'extract'", "stages")),
    Case("efficiency_above_one", "ew", "current_efficiency: 0.92",
         "current_efficiency: 1.5", ("unit 'ew'", "current_efficiency")),
    Case("negative_cell_voltage", "ew", "cell_voltage: 2.0", "cell_voltage: -2.0",
         ("unit 'ew'", "cell_voltage")),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_domain_bad_input_exits_2_with_one_line(case, tmp_path):
    """The edited file fails on the command line: exit 2, one line with the file name and
    the words that locate it, no traceback, no output folder."""
    text = FILES[case.file].read_text()
    assert text.count(case.old) >= 1, f"{case.old!r} not in {case.file}"
    path = tmp_path / "case.yaml"
    path.write_text(text.replace(case.old, case.new, 1))
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "flowsheet.cli", "run", str(path), "-o",
                           str(out), "--no-store"], capture_output=True, text=True,
                          cwd=tmp_path, timeout=300, check=False)
    assert proc.returncode == 2, proc.stderr + proc.stdout
    line = proc.stderr.strip()
    assert "\n" not in line and "Traceback" not in line, line
    assert line.startswith("error: ") and "case.yaml" in line, line
    for words in case.words:
        assert words in line, line
    assert not out.exists()


@pytest.mark.parametrize("name", sorted(FILES))
def test_domain_base_files_solve(name, tmp_path):
    """Each base file solves as it stands, so every case above fails for its own edit."""
    proc = subprocess.run([sys.executable, "-m", "flowsheet.cli", "run", str(FILES[name]),
                           "-o", str(tmp_path / "out"), "--no-store", "--quiet"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300,
                          check=False)
    assert proc.returncode == 0, proc.stderr
