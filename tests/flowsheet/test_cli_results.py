"""``--results out/results.json``: the drawing commands read an earlier run instead of
solving again, and refuse results that are not of this flowsheet or not a complete set;
``sankey --element`` draws one element's flow."""

from __future__ import annotations

import json
import re
import shutil
from html import escape
from pathlib import Path

import pytest

from flowsheet.cli import main

ROOT = Path(__file__).resolve().parents[2]
LEACH = ROOT / "examples" / "copper_oxide_leach_ew.yaml"
SX = ROOT / "examples" / "copper_leach_sx_ew.yaml"


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("FLOWSHEET_RUNS", str(tmp_path / "runs.sqlite"))


@pytest.fixture(scope="module")
def leach_run(tmp_path_factory) -> Path:
    """The leach example run once into a folder (results.json + manifest)."""
    home = tmp_path_factory.mktemp("leach")
    assert main(["run", str(LEACH), "-o", str(home / "out"), "--no-store", "--quiet"]) == 0
    return home / "out"


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ")
    return err


@pytest.mark.parametrize("command, name", [
    (["diagram", "--solve"], "plant.svg"),
    (["sankey"], "flows.html"),
    (["sankey", "--element", "Cu"], "cu.png"),
    (["psd", "--streams", "ore->leach_mix,ccd3.underflow->tailings"], "psd.png"),
])
def test_results_draw_what_a_solve_draws(leach_run, tmp_path, command, name):
    """The figure drawn from --results is byte for byte the figure drawn after a solve."""
    cmd, *options = command
    solved, read = tmp_path / ("solved_" + name), tmp_path / ("read_" + name)
    assert main([cmd, str(LEACH), "-o", str(solved), *options]) == 0
    options = [o for o in options if o != "--solve"]
    assert main([cmd, str(LEACH), "-o", str(read), *options, "--results",
                 str(leach_run / "results.json")]) == 0
    assert read.read_bytes() == solved.read_bytes()


def test_mccabe_reads_results_and_lists_units(tmp_path, capsys):
    """mccabe draws from --results what it draws after a solve; without --unit on a file
    with two SX units it names them in one line."""
    out = tmp_path / "out"
    assert main(["run", str(SX), "-o", str(out), "--no-store", "--quiet"]) == 0
    args = [str(SX), "--unit", "sx_s", "-o"]
    assert main(["mccabe", *args, str(tmp_path / "a.png")]) == 0
    solved_text = capsys.readouterr().out.splitlines()[0]
    assert main(["mccabe", *args, str(tmp_path / "b.png"), "--results",
                 str(out / "results.json")]) == 0
    assert capsys.readouterr().out.splitlines()[0] == solved_text
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    assert main(["mccabe", str(SX), "--results", str(out / "results.json")]) == 2
    assert "--unit one of: sx_e, sx_s" in _one_error_line(capsys)


def test_results_of_another_flowsheet_are_refused(leach_run, tmp_path, capsys):
    """A results.json of another text of the flowsheet (here named by its folder) is refused
    with one line, and nothing is drawn."""
    edited = tmp_path / "leach.yaml"
    edited.write_text(LEACH.read_text().replace("# yields", "# gives"))
    out = tmp_path / "s.html"
    assert main(["sankey", str(edited), "-o", str(out), "--results", str(leach_run)]) == 2
    assert "the results are not of this flowsheet" in _one_error_line(capsys)
    assert not out.exists()


def test_mixed_or_old_sets_are_refused(leach_run, tmp_path, capsys):
    """A results.json that is not the one its folder's manifest names (a mixed set), a
    write left half done, and the version 1 layout are each refused with one line."""
    folder = tmp_path / "copy"
    shutil.copytree(leach_run, folder)
    data = json.loads((folder / "results.json").read_text())
    data["convergence"]["iterations"] += 1
    (folder / "results.json").write_text(json.dumps(data))
    args = ["diagram", str(LEACH), "-o", str(tmp_path / "d.svg"), "--results",
            str(folder / "results.json")]
    assert main(args) == 2
    assert "mixes two runs" in _one_error_line(capsys)
    (folder / "results.manifest.json").unlink()
    (folder / ".results.commit").mkdir()
    assert main(args) == 2
    assert "under way or was interrupted" in _one_error_line(capsys)
    (folder / ".results.commit").rmdir()
    data["version"] = 1
    (folder / "results.json").write_text(json.dumps(data))
    assert main(args) == 2
    assert "version 1" in _one_error_line(capsys)
    assert not (tmp_path / "d.svg").exists()


def test_element_sankey_shows_cathode_copper(leach_run, tmp_path, capsys):
    """--element Cu draws t/h of copper: the cathode band carries the plant's 12 t/h of Cu
    and the pure-water streams carry none; an unknown element is one line with a hint."""
    out = tmp_path / "cu.html"
    assert main(["sankey", str(LEACH), "-o", str(out), "--element", "Cu", "--results",
                 str(leach_run / "results.json")]) == 0
    html = out.read_text()
    data = json.loads((leach_run / "results.json").read_text())
    cathode = next(n for n, s in data["streams"].items() if s["to"].startswith("cathode"))
    shown = re.search(re.escape(f"<title>{escape(cathode)}: ") + r"([0-9.]+) t/h Cu</title>",
                      html)
    assert shown is not None
    assert float(shown.group(1)) == pytest.approx(data["streams"][cathode]["flows"]["copper"],
                                                  rel=1e-3)
    assert main(["sankey", str(LEACH), "-o", str(tmp_path / "x.html"), "--element", "Cx",
                 "--results", str(leach_run / "results.json")]) == 2
    assert "key '--element'" in _one_error_line(capsys)
