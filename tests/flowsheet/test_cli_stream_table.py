"""The stream table ``flowsheet run`` prints: which species it shows, ``--species``, and
units in its headers."""

from __future__ import annotations

from pathlib import Path

import pytest

import flowsheet
from flowsheet.cli import main
from flowsheet.terminal import stream_table

ROOT = Path(__file__).resolve().parents[2]

#: Quartz is 0.2 % of the feed, pyrite 0.05 %: only quartz reaches the 0.1 % threshold.
TRACE = """
flowsheet: trace
species: [{name: water}, {name: quartz}, {name: pyrite}]
units:
  f: {type: feed, flows: {water: 997.5, quartz: 2, pyrite: 0.5}}
  p: {type: product}
streams:
  - {from: f, to: p}
"""


@pytest.fixture()
def trace_file(tmp_path) -> Path:
    path = tmp_path / "trace.yaml"
    path.write_text(TRACE, encoding="utf-8")
    return path


def _header(text: str) -> str:
    return text.splitlines()[0]


def test_species_above_a_tenth_of_a_percent_are_shown():
    """A species at 0.2 % of a stream is a column; one at 0.05 % of every stream is not."""
    text = stream_table(flowsheet.loads(TRACE).solve())
    assert "quartz [t/h]" in _header(text) and "pyrite" not in text


def test_copper_of_the_cathode_is_shown():
    """The smelting-to-refining example shows copper: it is nearly all of the cathode
    stream, though a small part of the plant's total flow."""
    res = flowsheet.load(ROOT / "examples" / "copper_concentrate_to_cathode.yaml").solve()
    text = stream_table(res)
    assert "copper [t/h]" in text
    name = "tankhouse.cathode->cathode"
    row = next(line for line in text.splitlines() if line.startswith(name)).split()
    copper = res.streams.loc[name, "copper"]
    assert copper > 0.99 * res.streams.loc[name, "total"]
    assert row.count(f"{copper:,.4g}") == 2  # the total and the copper column


def test_headers_carry_units():
    """Total and species flows are headed [t/h], % solids [%], P80 [um]."""
    text = stream_table(flowsheet.load(ROOT / "examples" / "ccd_washing.yaml").solve())
    assert _header(text).split() == ["total", "[t/h]", "water", "[t/h]", "gangue", "[t/h]",
                                     "copper_sulfate", "[t/h]", "solids", "[%]"]


def test_species_option_chooses_the_columns(trace_file, tmp_path, capsys, monkeypatch):
    """``--species pyrite,water`` prints those species, in that order, and no other."""
    monkeypatch.setenv("FLOWSHEET_RUNS", str(tmp_path / "runs.sqlite"))
    assert main(["run", str(trace_file), "-o", str(tmp_path / "out"), "--no-store",
                 "--species", "pyrite,water"]) == 0
    header = capsys.readouterr().out.splitlines()[1]
    assert header.split() == ["total", "[t/h]", "pyrite", "[t/h]", "water", "[t/h]",
                              "solids", "[%]"]


def test_unknown_species_option_is_one_line_and_writes_nothing(trace_file, tmp_path, capsys,
                                                                 monkeypatch):
    """A misspelt species in --species: exit 2, one line naming the option and the
    nearest species, no results folder, no recorded run."""
    monkeypatch.setenv("FLOWSHEET_RUNS", str(tmp_path / "runs.sqlite"))
    out = tmp_path / "out"
    assert main(["run", str(trace_file), "-o", str(out), "--species", "quarz"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "--species" in err and "did you mean 'quartz'" in err
    assert not out.exists() and not (tmp_path / "runs.sqlite").exists()
