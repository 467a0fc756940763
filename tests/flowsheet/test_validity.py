"""Usual ranges of results: warnings in Results, results.json, the run store and the
terminal summary, and ``flowsheet run --strict``.

Each flowsheet of ``data/ranges/`` pushes exactly one result outside its usual range.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import flowsheet
from flowsheet.cli import main
from flowsheet.runstore import RunStore
from flowsheet.validity import ResultWarning, UsualRange, check_report, collect, summary_line

ROOT = Path(__file__).resolve().parents[2]
RANGES = Path(__file__).parent / "data" / "ranges"

#: file -> (unit, report key) of the one value outside its usual range.
CASES = {
    "cyclone_pressure.yaml": ("cyclone", "pressure"),
    "feed_top.yaml": ("mine", "coarser_than_top_pct"),
    "ew_acid.yaml": ("ew", "spent_acid"),
    "er_bleed.yaml": ("tankhouse", "copper_to_bleed_pct"),
    "smelter_slag.yaml": ("furnace", "fe_sio2"),
    "mill_energy.yaml": ("mill", "specific_energy"),
    "leach_time.yaml": ("leach", "total_residence_time"),
    "sx_oa.yaml": ("extract", "oa"),
}

TWO_TANKS = """
flowsheet: two-slow-leaches
species: [{name: tenorite}, {name: water}, {name: sulfuric_acid}, {name: copper_sulfate},
          {name: quartz}]
units:
  ore: {type: feed, flows: {tenorite: 2, quartz: 98, water: 150, sulfuric_acid: 4}}
  first: {type: leach_tank, tanks: 4, residence_time: 30 h, reactions: [
          {equation: "CuO + H2SO4 -> CuSO4 + H2O", mineral: tenorite, tau: 3 h}]}
  second: {type: leach_tank, tanks: 4, residence_time: 25 h, reactions: [
           {equation: "CuO + H2SO4 -> CuSO4 + H2O", mineral: tenorite, tau: 3 h}]}
  out: {type: product}
streams:
  - {from: ore, to: first}
  - {from: first, to: second}
  - {from: second, to: out}
"""


@pytest.fixture
def store(tmp_path, monkeypatch) -> RunStore:
    """A run store of the test's own, where ``flowsheet run`` records."""
    path = tmp_path / "runs.sqlite"
    monkeypatch.setenv("FLOWSHEET_RUNS", str(path))
    return RunStore(path)


def test_check_report_skips_what_it_cannot_judge():
    """Missing keys, text, booleans and NaN are not judged; ends of the range are inside."""
    ranges = {"a": UsualRange(1.0, 2.0, "kPa", "s"), "b": UsualRange(None, 5.0, "%", "s"),
              "c": UsualRange(0.0, 1.0, "", "s"), "d": UsualRange(0.0, 1.0, "", "s"),
              "e": UsualRange(0.0, 1.0, "", "s")}
    report = {"a": 2.0, "b": 7.5, "c": "text", "d": True, "e": float("nan")}
    (w,) = check_report("u", report, ranges)
    assert (w.key, w.value, w.low, w.high, w.unit_of_measure) == ("b", 7.5, None, 5.0, "%")
    assert str(w) == "unit 'u': b 7.5 % is outside its usual range at most 5 % (s)"


def test_collect_follows_the_units_and_asks_only_units_that_check():
    """collect asks each unit with a result_warnings method, in the units' order, and
    only for units with a report."""

    class Checks:
        def __init__(self, name):
            self.name = name

        def result_warnings(self, report):
            return [ResultWarning(self.name, "k", report["k"], "", 0.0, 1.0, "s")]

    units = {"b": Checks("b"), "plain": object(), "a": Checks("a"), "none": Checks("none")}
    reports = {"a": {"k": 2.0}, "b": {"k": 3.0}, "plain": {}}
    assert [w.unit for w in collect(units, reports)] == ["b", "a"]


def test_summary_line_counts():
    """One line, singular or plural."""
    w = ResultWarning("u", "k", 2.0, "", 0.0, 1.0, "s")
    assert summary_line([w]) == "1 value outside its usual range -- see warnings"
    assert summary_line([w] * 3, "o/results.json") == (
        "3 values outside their usual range -- see warnings in o/results.json")


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_case_warns_in_results_json_store_and_terminal(name, tmp_path, store, capsys):
    """``flowsheet run`` on each case: exit 0, results.json carries the one warning with
    value, unit of measure, usual range and source; the run store's results carry the
    same; the terminal shows one summary line on stderr."""
    out = tmp_path / "out"
    assert main(["run", str(RANGES / name), "-o", str(out)]) == 0
    unit, key = CASES[name]
    (w,) = json.loads((out / "results.json").read_text())["warnings"]
    assert (w["unit"], w["key"]) == (unit, key)
    inside = ((w["low"] is None or w["low"] <= w["value"])
              and (w["high"] is None or w["value"] <= w["high"]))
    assert not inside
    assert w["source"] and set(w) == {"unit", "key", "value", "unit_of_measure", "low",
                                      "high", "source"}
    (run_id,) = store.list()["id"].tolist()
    assert store.get(run_id)["results"]["warnings"] == [w]
    err = capsys.readouterr().err.splitlines()
    assert err == [f"warning: 1 value outside its usual range -- see warnings in "
                   f"{out / 'results.json'}"]


def test_strict_exits_2_naming_the_first_and_the_count_and_writes_nothing(
        tmp_path, store, capsys):
    """Two leach trains of 120 h and 100 h: ``--strict`` exits 2 with one line naming the
    file, the first unit and key, the value, the usual range and the count; no results
    folder is written and the run store records a failure."""
    path = tmp_path / "slow.yaml"
    path.write_text(TWO_TANKS)
    out = tmp_path / "out"
    assert main(["run", str(path), "-o", str(out), "--strict"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: {path}:")
    assert "unit 'first': key 'total_residence_time': 120 h is outside its usual range " \
           "0.5-72 h (1 of 2 values outside their usual range)" in err
    assert not out.exists()
    (status,) = store.list()["status"].tolist()
    assert status == "failed"


def test_strict_passes_a_plant_inside_its_ranges(tmp_path, store, capsys):
    """The CCD example has no value outside its usual range: --strict writes as usual and
    prints no warning line."""
    out = tmp_path / "out"
    assert main(["run", str(ROOT / "examples" / "ccd_washing.yaml"), "-o", str(out),
                 "--strict", "--quiet"]) == 0
    assert (out / "results.json").exists() and capsys.readouterr().err == ""


@pytest.mark.parametrize("example", sorted((ROOT / "examples").glob("*.yaml")),
                         ids=lambda p: p.stem)
def test_shipped_examples_are_inside_their_usual_ranges(example):
    """No shipped example raises a warning: their plants are ordinary ones."""
    assert flowsheet.load(example).solve().warnings == []
