"""Big flowsheets and big files: the same checks and the same numbers as on small ones,
the collector left as it was found, results.json one entry per line past a size, huge
tables sent to CSV with one line saying so, and progress told as a file is read, checked
and written. (Speed itself is measured in bench/big_plant.py, never here.)"""

from __future__ import annotations

import gc
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import flowsheet
from flowsheet import jsontext
from flowsheet.errors import TopologyError
from flowsheet.exports import read_table, write_results
from flowsheet.saved import load_results
from flowsheet.streamtable import stream_columns

EXAMPLES = Path(__file__).parents[2] / "examples"


def chain(n: int, *, orphan: bool = False) -> str:
    """A feed, ``n`` separators in series each cutting a product, and a tail product;
    with ``orphan``, one more mixer that nothing flows into."""
    units = ["  feed: {type: feed, flows: {water: 500, quartz: 300}}"]
    streams = []
    previous = "feed"
    for k in range(1, n + 1):
        units.append(f"  sep{k}: {{type: separator, outlets: [cut, pass], "
                     f"split: {{water: 0.01, quartz: 0.02}}}}")
        units.append(f"  cut{k}: {{type: product}}")
        streams += [f"  - {{from: {previous}, to: sep{k}}}",
                    f"  - {{from: sep{k}.cut, to: cut{k}}}"]
        previous = f"sep{k}.pass"
    units.append("  tail: {type: product}")
    streams.append(f"  - {{from: {previous}, to: tail}}")
    if orphan:
        units.append("  lonely: {type: mixer}")
        units.append("  lonely_out: {type: product}")
        streams.append("  - {from: lonely, to: lonely_out}")
    return ("flowsheet: chain\nspecies: [{name: water}, {name: quartz}]\nunits:\n"
            + "\n".join(units) + "\nstreams:\n" + "\n".join(streams) + "\n")


@pytest.fixture(scope="module")
def big():
    """A 3,000-separator chain (6,002 units, 6,001 streams), solved."""
    return flowsheet.loads(chain(3000)).solve()


def test_unit_receiving_nothing_is_found_among_thousands():
    """The check that every unit with inlets receives a stream still names the one unit
    that receives nothing, at its line, in a file of thousands of units."""
    with pytest.raises(TopologyError, match="nothing flows into this unit") as info:
        flowsheet.loads(chain(2000, orphan=True), "big.yaml")
    assert info.value.location.unit == "lonely"
    assert info.value.location.line == 4006


def test_collector_restored_after_load_and_failed_load():
    """Loading pauses the garbage collector and always restores it, also when the file
    is refused, and leaves it off when the caller had switched it off."""
    flowsheet.loads(chain(3))
    assert gc.isenabled()
    with pytest.raises(TopologyError):
        flowsheet.loads(chain(3, orphan=True))
    assert gc.isenabled()
    gc.disable()
    try:
        flowsheet.loads(chain(3))
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("name", ["ccd_washing", "sabc_circuit", "lead_kivcet"])
def test_stream_columns_are_the_stream_properties(name):
    """Each column of the stream table computed for all streams at once equals, bit for
    bit, the property of each stream (a size grid's p80 included)."""
    res = flowsheet.load(EXAMPLES / f"{name}.yaml").solve()
    cols = stream_columns(res)
    for i, c in enumerate(res.flowsheet.connections):
        s = res.stream(c.name)
        for key in ("total", "solids", "percent_solids", "temperature", "volumetric_flow"):
            assert np.array_equal(cols[key][i], getattr(s, key), equal_nan=True), (c.name, key)
        assays = np.array(list(s.assays.values()))
        assert np.array_equal(cols["assays"][i], assays, equal_nan=True)
        if res.flowsheet.grid is not None:
            assert np.array_equal(cols["p80"][i], s.p80, equal_nan=True)


def test_big_results_json_is_one_line_per_entry_and_reads_back(big, tmp_path):
    """Past ONE_LINE_ABOVE streams and units, results.json has one line per stream and per
    unit and holds the same JSON as the indented layout; it reads back as results."""
    (path,) = write_results(big, tmp_path, ["json"])
    text = path.read_text(encoding="utf-8")
    entries = len(big.flowsheet.connections) + 2 * len(big.flowsheet.units)  # + report_units
    assert entries < len(text.splitlines()) < entries + 100
    assert json.loads(text) == json.loads(json.dumps(big.as_dict(), indent=1))
    back = load_results(big.flowsheet, path)
    assert back.stream("sep1.pass->sep2").total == big.stream("sep1.pass->sep2").total


def test_small_results_json_keeps_the_indented_layout(tmp_path):
    """A small run's results.json is json.dumps(as_dict, indent=1), as always."""
    res = flowsheet.loads(chain(2)).solve()
    (path,) = write_results(res, tmp_path, ["json"])
    assert path.read_text() == json.dumps(res.as_dict(), indent=1, allow_nan=False) + "\n"
    assert len(res.flowsheet.units) < jsontext.ONE_LINE_ABOVE


def test_huge_workbook_goes_to_csv_and_says_so(big, tmp_path, monkeypatch):
    """Tables too big for a workbook are written as the CSV files instead of results.xlsx,
    and the caller is told in one line; without a listener the line is a UserWarning."""
    monkeypatch.setattr("flowsheet.workbook.MAX_CELLS", 1000)
    heard = []
    paths = write_results(big, tmp_path / "a", ["json", "xlsx"], notify=heard.append)
    assert [p.name for p in paths] == ["results.json", "streams.csv", "units.csv",
                                      "closure.csv", "convergence.csv"]
    (line,) = heard
    assert line.startswith("results.xlsx not written: ") and "\n" not in line
    assert "streams.csv" in line
    units = read_table(tmp_path / "a" / "units.csv", strip_units=True)
    assert len(units) == len(big.flowsheet.units)
    with pytest.warns(UserWarning, match="results.xlsx not written"):
        names = [p.name for p in write_results(big, tmp_path / "b", "csv,xlsx")]
    assert names == ["streams.csv", "units.csv", "closure.csv", "convergence.csv"]
    monkeypatch.setattr("flowsheet.workbook.MAX_CELLS", 10**9)
    (path,) = write_results(big, tmp_path / "c", ["xlsx"], notify=heard.append)
    assert path.name == "results.xlsx" and len(heard) == 1


def test_cli_says_when_the_workbook_is_left_out(tmp_path, monkeypatch, capsys):
    """`flowsheet run --format xlsx` on tables past the limit writes the CSV files and
    prints one note on stderr."""
    from flowsheet.cli import main

    monkeypatch.setattr("flowsheet.workbook.MAX_CELLS", 10)
    monkeypatch.setenv("FLOWSHEET_RUNS", str(tmp_path / "runs.sqlite"))
    path = tmp_path / "chain.yaml"
    path.write_text(chain(3))
    assert main(["run", str(path), "-o", str(tmp_path / "out"), "--format", "xlsx"]) == 0
    err = capsys.readouterr().err
    assert err.count("note: results.xlsx not written") == 1
    assert (tmp_path / "out" / "streams.csv").exists()
    assert not (tmp_path / "out" / "results.xlsx").exists()


def test_progress_told_while_reading_checking_and_writing(tmp_path):
    """A progress callable hears the lines read (with the file's line count), the units
    and streams checked, the recycle check and every file written."""
    heard: list[tuple] = []

    def progress(stage, step, residual=None, total=None):
        heard.append((stage, step, total))

    fs = flowsheet.loads(chain(3000), progress=progress)
    stages = {stage for stage, _, _ in heard}
    assert {"reading", "checking units", "checking streams", "checking recycles"} <= stages
    lines = chain(3000).count("\n") + 1
    assert all(total == lines and 0 < step <= lines
               for stage, step, total in heard if stage == "reading")
    heard.clear()
    write_results(fs.solve(), tmp_path, ["json", "csv"], progress=progress)
    assert [(s, k) for s, k, _ in heard] == [("writing", k) for k in range(5)]


def test_workbook_cells_of_every_kind_read_back(tmp_path):
    """Numbers, text that looks like a formula, booleans, dates and gaps (NaN, None) are
    written as such and read back by openpyxl and by read_table."""
    import openpyxl

    from flowsheet.workbook import write_workbook

    table = pd.DataFrame({"name": ["=1+1", None], "ok": [True, False],
                          "when": [pd.Timestamp("2024-01-31 08:00"), pd.NaT],
                          "t [t]": [1.5, np.nan], "mixed": [2, "x"]})
    told = []
    path = tmp_path / "k.xlsx"
    write_workbook(path, {"k": table}, progress=lambda done, rows: told.append((done, rows)))
    ws = openpyxl.load_workbook(path)["k"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["name", "ok", "when", "t [t]", "mixed"]
    assert rows[1][:2] == ["=1+1", True] and rows[1][2].year == 2024 and rows[1][3] == 1.5
    assert rows[2][0] is None and rows[2][1] is False and rows[2][2] is None
    assert rows[2][3] is None and rows[2][4] == "x"
    assert ws["A2"].data_type == "s" and told == [(0, 2)]
    back = read_table(path)
    assert back["t [t]"].iloc[0] == 1.5 and np.isnan(back["t [t]"].iloc[1])
