"""Tests of the result exports (flowsheet.exports): files, layouts, all-or-nothing writes."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import flowsheet
from flowsheet import exports
from flowsheet.errors import ExportError, InputError
from flowsheet.exports import read_table, result_tables, write_results

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def ccd():
    """Five-stage CCD solved by iterating its recycles, so there is a residual history."""
    return flowsheet.load(DATA / "ccd_5.yaml").solve(linear=False)


def _visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_default_formats_write_json_and_csv(ccd, tmp_path):
    """json and csv by default: four files, returned in order, and nothing else left behind."""
    paths = write_results(ccd, tmp_path / "out")
    names = ["results.json", "streams.csv", "units.csv", "closure.csv", "convergence.csv"]
    assert [p.name for p in paths] == names
    assert all(p.parent == tmp_path / "out" for p in paths)
    assert _visible(tmp_path / "out") == sorted([*names, "results.manifest.json"])


def test_json_layout(ccd, tmp_path):
    """results.json holds the as_dict layout: streams, units, closure, convergence."""
    (path,) = write_results(ccd, tmp_path, ["json"])
    data = json.loads(path.read_text(encoding="utf-8"))
    assert {"streams", "units", "closure", "convergence"} <= set(data)
    assert data == json.loads(json.dumps(ccd.as_dict()))
    assert set(data["streams"]) == set(ccd.streams.index)
    assert data["convergence"]["history"].keys() == ccd.convergence.history.keys()


def test_csv_tables(ccd, tmp_path):
    """The CSV files have the stream table's columns, one row per unit, and the closure;
    read back without their units, they have the plain names."""
    write_results(ccd, tmp_path, "csv")
    streams = read_table(tmp_path / "streams.csv", strip_units=True)
    assert list(streams.columns) == ["stream", *ccd.streams.columns]
    assert streams["stream"].tolist() == list(ccd.streams.index)
    pd.testing.assert_series_equal(streams.set_index("stream")["total"], ccd.streams["total"],
                                   check_names=False)
    units = read_table(tmp_path / "units.csv", strip_units=True)
    assert units.columns[:2].tolist() == ["unit", "type"]
    assert units["unit"].tolist() == list(ccd.units)
    assert units.set_index("unit").loc["slurry", "total"] == ccd.units["slurry"]["total"]
    closure = read_table(tmp_path / "closure.csv", strip_units=True)
    assert closure.columns.tolist() == ["quantity", "relative_error"]
    assert closure["quantity"].tolist() == ["total", *ccd.closure.elements]
    assert closure.loc[0, "relative_error"] == pytest.approx(ccd.closure.total, abs=1e-18)


def test_xlsx_sheets(ccd, tmp_path):
    """results.xlsx has one sheet per table; convergence is the long residual history."""
    (path,) = write_results(ccd, tmp_path, ["xlsx"])
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        assert book.sheetnames == ["streams", "units", "closure", "convergence"]
    finally:
        book.close()
    streams = read_table(path, sheet="streams", strip_units=True)
    assert streams["stream"].tolist() == list(ccd.streams.index)
    history = read_table(path, sheet="convergence", strip_units=True)
    assert history.columns.tolist() == ["tear", "iteration", "residual"]
    assert len(history) == sum(map(len, ccd.convergence.history.values()))
    tear = ccd.convergence.tears[0]
    mine = history[history["tear"] == tear]
    assert mine["iteration"].tolist() == list(range(1, ccd.convergence.iterations + 1))
    assert mine["residual"].tolist() == pytest.approx(ccd.convergence.history[tear])


def test_convergence_table_empty_without_recycle_iterations():
    """A linear solve has no residual history: the table is empty but keeps its columns."""
    res = flowsheet.load(DATA / "ccd_5.yaml").solve()
    table = result_tables(res)["convergence"]
    assert table.empty and table.columns.tolist() == ["tear", "iteration", "residual"]


def test_unknown_format_writes_nothing(ccd, tmp_path):
    """An unknown format is refused before any file is written, with the accepted list."""
    with pytest.raises(ExportError, match=r"unknown format 'xml': accepted csv, json, xlsx"):
        write_results(ccd, tmp_path, ["json", "xml"])
    assert _visible(tmp_path) == []


def test_failure_in_excel_leaves_no_file(ccd, tmp_path, monkeypatch):
    """A failing Excel writer leaves no CSV or JSON of that run, and no staging folder."""
    def broken(tables, path, progress=None):
        Path(path).write_bytes(b"PK half")
        raise OSError("disk full")

    monkeypatch.setattr(exports, "_write_xlsx", broken)
    with pytest.raises(ExportError, match="results.xlsx.*disk full"):
        write_results(ccd, tmp_path, ["json", "csv", "xlsx"])
    assert _visible(tmp_path) == []


def test_unexpected_error_also_leaves_no_file(ccd, tmp_path, monkeypatch):
    """Any exception, not only an I/O error, rolls the whole run back."""
    def broken(tables, path, progress=None):
        raise RuntimeError("bug")

    monkeypatch.setattr(exports, "_write_xlsx", broken)
    with pytest.raises(RuntimeError, match="bug"):
        write_results(ccd, tmp_path, ["csv", "xlsx"])
    assert _visible(tmp_path) == []


def test_failure_keeps_previous_run(ccd, tmp_path, monkeypatch):
    """When a new run fails, the files of the previous run stay as they were."""
    write_results(ccd, tmp_path, ["json", "csv"])
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def broken(tables, path, progress=None):
        raise OSError("disk full")

    monkeypatch.setattr(exports, "_write_xlsx", broken)
    other = flowsheet.load(DATA / "leach_sx_ew.yaml").solve()
    with pytest.raises(ExportError):
        write_results(other, tmp_path, ["json", "csv", "xlsx"])
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_failed_rename_restores_previous_run(ccd, tmp_path, monkeypatch):
    """If moving the files into place fails half way, the files already moved are undone."""
    write_results(ccd, tmp_path, ["json", "csv"])
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    real_replace = exports.os.replace

    def flaky(src, dst):
        if Path(dst) == tmp_path / "units.csv":
            raise OSError("device gone")
        return real_replace(src, dst)

    monkeypatch.setattr(exports.os, "replace", flaky)
    other = flowsheet.load(DATA / "leach_sx_ew.yaml").solve()
    with pytest.raises(ExportError, match="cannot write results into .*device gone"):
        write_results(other, tmp_path, ["json", "csv"])
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_read_table_errors_name_the_file(tmp_path):
    """Missing, unreadable or unsupported inputs raise InputError naming the file."""
    with pytest.raises(InputError, match="nothere.csv: no such file"):
        read_table(tmp_path / "nothere.csv")
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(InputError, match="bad.xlsx: not a readable workbook"):
        read_table(bad)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="empty.csv: cannot read the table"):
        read_table(empty)
    with pytest.raises(InputError, match=r"data.txt: .*accepted \.csv, \.xlsx"):
        read_table(tmp_path / "data.txt")
    with pytest.raises(InputError, match="sheet"):
        read_table(empty, sheet="streams")


def test_read_table_unknown_sheet(ccd, tmp_path):
    """A misspelt sheet name gets the nearest sheet as a hint."""
    (path,) = write_results(ccd, tmp_path, ["xlsx"])
    with pytest.raises(InputError, match="no sheet 'stream' -- did you mean 'streams'"):
        read_table(path, sheet="stream")
    with pytest.raises(InputError, match="no sheet 7"):
        read_table(path, sheet=7)
    assert read_table(path, sheet=2).columns.tolist() == ["quantity", "relative_error [-]"]


def test_csv_headers_carry_units(ccd, tmp_path):
    """Every numeric column of streams.csv, units.csv and closure.csv names its unit in
    brackets (species flows t/h, % solids %, temperature degC, relative errors [-]); text
    columns have none."""
    write_results(ccd, tmp_path, "csv")
    streams = read_table(tmp_path / "streams.csv")
    species = [n for n in ccd.flowsheet.table.names]
    assert [f"{n} [t/h]" for n in species] == [c for c in streams.columns
                                               if c.split(" [")[0] in species]
    for column in ("total [t/h]", "percent_solids [%]", "temperature [degC]",
                   "volumetric_flow [m3/h]", "stream", "from", "to"):
        assert column in streams.columns
    for name in ("units.csv", "closure.csv", "streams.csv"):
        table = read_table(tmp_path / name)
        bare = [c for c in table.columns
                if pd.api.types.is_numeric_dtype(table[c]) and not c.endswith("]")]
        assert bare == [], name
    assert "relative_error [-]" in read_table(tmp_path / "closure.csv").columns
    assert read_table(tmp_path / "streams.csv", strip_units=True).attrs["units"]["total"] \
        == "t/h"


def test_a_key_with_two_units_gets_two_columns(ccd, tmp_path, monkeypatch):
    """When two unit types give the same report key different units, units.csv has one
    column per unit, each unit's value in its own column."""
    from units.generic.product import Product

    monkeypatch.setattr(Product, "report_units", {"total": "kg/h"})
    write_results(ccd, tmp_path, "csv")
    units = read_table(tmp_path / "units.csv").set_index("unit")
    assert {"total [t/h]", "total [kg/h]"} <= set(units.columns)
    feeds = units[units["type"] == "feed"]
    products = units[units["type"] == "product"]
    assert feeds["total [kg/h]"].isna().all() and feeds["total [t/h]"].notna().all()
    assert products["total [t/h]"].isna().all() and products["total [kg/h]"].notna().all()
