"""Tests of the shared workbook writer (flowsheet.workbook) and of the formula guard of
text in results.xlsx and the CSV files."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

import flowsheet
from flowsheet.exports import read_table, write_results
from flowsheet.workbook import MAX_WIDTH, number_format, write_workbook

#: Names a spreadsheet would read as formulas, one per dangerous first character.
NAMES = ['=HYPERLINK("http://example","x")', "+1+1", "-2+3", "@SUM(1)"]

INJECTION = f"""
flowsheet: injection
species: [{{name: water}}, {{name: quartz}}]
units:
  {json.dumps(NAMES[0])}: {{type: feed, flows: {{water: 3, quartz: 1}}}}
  {json.dumps(NAMES[1])}: {{type: mixer}}
  split: {{type: splitter, fractions: {{a: 0.5, b: 0.5}}}}
  {json.dumps(NAMES[2])}: {{type: product}}
  {json.dumps(NAMES[3])}: {{type: product}}
streams:
  - {{from: {json.dumps(NAMES[0])}, to: {json.dumps(NAMES[1])}}}
  - {{from: {json.dumps(NAMES[1])}, to: split}}
  - {{from: split.a, to: {json.dumps(NAMES[2])}}}
  - {{from: split.b, to: {json.dumps(NAMES[3])}}}
"""


@pytest.fixture(scope="module")
def injected():
    """A flowsheet whose unit names start with =, +, - and @."""
    return flowsheet.loads(INJECTION).solve()


def _cells(path):
    book = openpyxl.load_workbook(path)
    return [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]


def test_results_xlsx_holds_no_formula(injected, tmp_path):
    """Unit names starting with =, +, - or @ are stored in results.xlsx as text cells
    holding the name exactly; no cell of any sheet is a formula."""
    (path,) = write_results(injected, tmp_path, ["xlsx"])
    cells = _cells(path)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if c.data_type == "s"}
    for name in NAMES:
        assert name in texts
    units = read_table(path, sheet="units", strip_units=True)
    assert units["unit"].tolist()[:2] == NAMES[:2]


def test_csv_guards_formulas_and_reads_back(injected, tmp_path):
    """In units.csv each such name starts with a single quote (so a spreadsheet opening
    the file shows text), and read_table(strip_units=True) gives the names back exactly;
    numbers, negative ones included, are written as numbers."""
    write_results(injected, tmp_path, ["csv"])
    lines = (tmp_path / "units.csv").read_text(encoding="utf-8").splitlines()
    firsts = [line.lstrip('"')[0] for line in lines[1:]]
    assert firsts[:2] == ["'", "'"] and firsts[3:] == ["'", "'"]
    units = read_table(tmp_path / "units.csv", strip_units=True)
    assert units["unit"].tolist() == [NAMES[0], NAMES[1], "split", NAMES[2], NAMES[3]]
    streams = read_table(tmp_path / "streams.csv", strip_units=True)
    assert streams["from"].tolist()[0].startswith(NAMES[0])


def test_workbook_layout(tmp_path):
    """The header row is bold and frozen (with the index beside it), numbers get a format
    by their size, text stays text, and columns are as wide as their content."""
    table = pd.DataFrame({"tonnes [t]": [1200.0, 35.5], "blocks [-]": [3, 12],
                          "error [-]": [1e-12, 0.0], "limit": ["ball", "=1+1"]},
                         index=pd.Index(["a", "b"], name="period"))
    path = tmp_path / "t.xlsx"
    write_workbook(path, {"periods": table, "again": table}, index={"periods": True})
    book = openpyxl.load_workbook(path)
    ws = book["periods"]
    assert [c.value for c in ws[1]] == ["period", *table.columns]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "B2" and book["again"].freeze_panes == "A2"
    assert ws["B2"].number_format == "#,##0.0"
    assert ws["C2"].number_format == "#,##0"
    assert ws["D2"].number_format == "0.00E+00"
    assert ws["E3"].value == "=1+1" and ws["E3"].data_type == "s"
    assert ws.column_dimensions["B"].width >= len("tonnes [t]")
    assert ws.column_dimensions["E"].width <= MAX_WIDTH + 2


def test_results_xlsx_units_in_header(injected, tmp_path):
    """results.xlsx has the units in its header row, as the CSV files do, and each sheet
    is frozen below it."""
    (path,) = write_results(injected, tmp_path, ["xlsx"])
    book = openpyxl.load_workbook(path)
    header = [c.value for c in book["streams"][1]]
    assert header[:3] == ["stream", "from", "to"]
    assert "water [t/h]" in header and "temperature [degC]" in header
    assert [c.value for c in book["closure"][1]] == ["quantity", "relative_error [-]"]
    assert {ws.freeze_panes for ws in book.worksheets} <= {"A2", "B2"}


def test_long_sheet_names_are_cut_and_unique(tmp_path):
    """Sheet names longer than Excel's 31 characters are cut, and two that collide get
    distinct titles."""
    t = pd.DataFrame({"x": [1]})
    path = tmp_path / "n.xlsx"
    write_workbook(path, {"a" * 40: t, "a" * 35: t, "bad/name?": t})
    names = openpyxl.load_workbook(path).sheetnames
    assert len(set(names)) == 3 and all(len(n) <= 31 for n in names)
    assert names[2] == "bad_name_"


@pytest.mark.parametrize(("values", "expected"), [
    ([1500, 2, 30], "#,##0"), ([0.356, 0.1], "0.0000"), ([12.5], "0.00"),
    ([3947.8], "#,##0.0"), ([2e-9], "0.00E+00"), ([float("nan")], "0")])
def test_number_format(values, expected):
    """Formats follow the size of the largest value: whole numbers with separators, about
    four significant digits otherwise, scientific for tiny values."""
    assert number_format(values) == expected
