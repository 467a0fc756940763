"""Commands whose work lives in a domain module (``flowsheet smelt``, ``track``, ``calc``),
run as a user runs them: the module loads only for its own command, bad input is one
line with exit code 2, and nothing is written when a command fails."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ORES = ROOT / "examples" / "data" / "seed_ores.csv"


def cli(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flowsheet.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=300, check=False)


def test_help_lists_extension_commands_without_importing_them(tmp_path):
    """``flowsheet --help`` names smelt without loading its module."""
    code = ("import sys; from flowsheet import cli; p = cli._parser(['--help']); "
            "print('units.pyro.ore_to_matte' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, check=True)
    assert proc.stdout.strip() == "False"
    assert "smelt" in cli("--help", cwd=tmp_path).stdout


def test_smelt_writes_three_files_for_the_seed_ores(tmp_path):
    """The seed ore table through Vanyukov at 55 % matte: smelt.csv/json/xlsx, one row per
    ore and the blend, and the ores that cannot reach the grade say why."""
    proc = cli("smelt", ORES, "--technology", "vanyukov", "--matte-grade", "55", "-o",
               tmp_path / "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    import pandas as pd

    table = pd.read_csv(tmp_path / "out" / "smelt.csv")
    assert table["ore"].iloc[-1] == "blend"
    assert len(table) == len(pd.read_csv(ORES, comment="#")) + 1
    assert {"smelt.csv", "smelt.json", "smelt.xlsx"} <= {p.name for p in
                                                         (tmp_path / "out").iterdir()}
    assert (table["status"] == "ok").sum() >= 3


def test_smelt_unknown_technology_is_one_line_and_writes_nothing(tmp_path):
    """A misspelt technology: exit 2, one line naming the file and the nearest preset."""
    proc = cli("smelt", ORES, "--technology", "vanyukof", "--matte-grade", "55", "-o",
               tmp_path / "out", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "did you mean 'vanyukov'" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_track_writes_tables_and_plot_and_reports_gaps(tmp_path):
    """The 30-day campaign: daily, gaps and summary tables, the workbook and the plot; the
    two days with a missing value are named by date."""
    data = ROOT / "examples" / "data"
    proc = cli("track", data / "track_plant.yaml", data / "track_leach_campaign.csv", "-o",
               tmp_path / "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "2024-03-09" in proc.stdout and "2024-03-21" in proc.stdout
    assert {"track_daily.csv", "track_gaps.csv", "track_summary.csv", "tracking.xlsx",
            "tracking.png"} <= {p.name for p in (tmp_path / "out").iterdir()}


def test_calc_negative_absolute_temperature_is_refused(tmp_path):
    """-300 degC is below absolute zero: exit 2, one line naming the argument."""
    proc = cli("calc", "demercurisation", "--temperature", "-300", "--pressure", "5000",
               "--time", "60", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "--temperature" in proc.stderr


def test_calc_prints_efficiency(tmp_path):
    """One demercurisation point prints its efficiency and residual mercury."""
    proc = cli("calc", "demercurisation", "--temperature", "450", "--pressure", "5000",
               "--time", "60", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "efficiency_pct" in proc.stdout and "residual_hg" in proc.stdout


def test_mccabe_unknown_unit_is_one_line_with_a_suggestion(tmp_path):
    """``flowsheet mccabe`` on a misspelt unit: exit 2, one line naming the nearest SX
    unit, no plot written (the file is loaded, not solved, before the unit is found)."""
    proc = cli("mccabe", ROOT / "tests" / "units" / "hydro" / "data" / "sx_loop.yaml",
               "--unit", "extrct", "-o", tmp_path / "mt.png", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "extract" in proc.stderr
    assert not (tmp_path / "mt.png").exists()


def test_mccabe_on_a_file_without_sx_says_so(tmp_path):
    """A flowsheet with no solvent_extraction unit: exit 2, one line saying so."""
    proc = cli("mccabe", ROOT / "examples" / "ccd_washing.yaml", "-o", tmp_path / "mt.png",
               cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "no solvent_extraction unit" in proc.stderr
    assert not (tmp_path / "mt.png").exists()
