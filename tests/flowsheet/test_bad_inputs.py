"""Bad flowsheet files: one located line each, exit code 2, and nothing written.

The catalogue edits a small valid flowsheet (:data:`BASE`) in one place per case. Every
case must raise a :class:`flowsheet.FlowsheetError` whose text is one line starting
``case.yaml:<line>:`` at the offending key or value, naming the unit where there is one
and suggesting the nearest valid name where one is near; the command line must print that
line once after ``error: ``, exit with code 2 and write no file. A second, generated set
misspells every parameter of every registered unit type.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

import flowsheet
from flowsheet.errors import (
    DesignSpecError,
    FlowsheetError,
    FormulaError,
    QuantityError,
    SchemaError,
    SpeciesError,
    TopologyError,
    YamlSyntaxError,
    did_you_mean,
)
from flowsheet.plugins import unit_types

#: A valid flowsheet: leach, two washing thickeners with a recycle, a sampling splitter
#: and a design spec. Line numbers in the catalogue refer to this text.
BASE = """\
flowsheet: base
species:
  - {name: water}
  - {name: quartz}
  - {name: tenorite}
  - {name: sulfuric_acid}
  - {name: copper_sulfate}
  - {name: ore, phase: solid, assay: {Cu: 1.5, Fe: 4.0}}
size_grid: {top: 2 mm, bottom: 20 um}
units:
  slurry:
    type: feed
    flows: {quartz: 100, tenorite: 5, ore: 20, water: 60}
    temperature: 30 degC
    psd: {model: rosin_rammler, p80: 150 um, m: 1.1}
  acid:
    type: feed
    flows: {sulfuric_acid: 30, water: 2}
  wash:
    type: feed
    flows: {water: 180}
  mix1:
    type: mixer
  leach:
    type: stoichiometric_reactor
    reactions:
      - {equation: "CuO + H2SO4 -> CuSO4 + H2O", key: tenorite, conversion: 0.9}
  thick1:
    type: separator
    outlets: [underflow, overflow]
    split: {quartz: 1.0, tenorite: 1.0, ore: 1.0, water: 0.25}
    phase_split: {aqueous: 0.25}
  mix2:
    type: mixer
  thick2:
    type: separator
    outlets: [underflow, overflow]
    split: {quartz: 1.0, tenorite: 1.0, ore: 1.0, water: 0.3}
    phase_split: {aqueous: 0.3}
  bleed:
    type: splitter
    fractions: {sale: 0.9, sample: 0.1}
  pls:
    type: product
  assay:
    type: product
  residue:
    type: product
streams:
  - {from: slurry, to: mix1}
  - {from: acid, to: mix1}
  - {from: mix1, to: leach}
  - {from: leach, to: thick1}
  - {from: thick1.overflow, to: bleed, name: pls_line}
  - {from: bleed.sale, to: pls}
  - {from: bleed.sample, to: assay}
  - {from: thick1.underflow, to: mix2}
  - {from: wash, to: mix2}
  - {from: mix2, to: thick2}
  - {from: thick2.overflow, to: mix1}
  - {from: thick2.underflow, to: residue}
specs:
  - {vary: slurry.flows.tenorite, until: pls.in.flows.copper_sulfate, equals: 5 t/h,
     bounds: [1, 10]}
solver:
  method: wegstein
  tolerance: 1.0e-9
"""


def edit(*pairs: str) -> str:
    """BASE with each ``old`` replaced by ``new``; every ``old`` must occur exactly once."""
    text = BASE
    for old, new in zip(pairs[::2], pairs[1::2], strict=True):
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    return text


def cut(start: str, stop: str) -> str:
    """BASE without the text from ``start`` up to (not including) ``stop``."""
    return BASE[:BASE.index(start)] + BASE[BASE.index(stop):]


@dataclass(frozen=True)
class Case:
    """A bad input and what its one-line error must say."""

    id: str
    text: str
    line: int
    words: tuple[str, ...]
    error: type[FlowsheetError]
    unit: str | None = None
    near: str | None = None  # the name a "did you mean" hint must suggest


THICK1_SPLIT = "split: {quartz: 1.0, tenorite: 1.0, ore: 1.0, water: 0.25}"
THICK2_SPLIT = "split: {quartz: 1.0, tenorite: 1.0, ore: 1.0, water: 0.3}"
REACTION = '{equation: "CuO + H2SO4 -> CuSO4 + H2O", key: tenorite, conversion: 0.9}'
SPEC = "{vary: slurry.flows.tenorite, until: pls.in.flows.copper_sulfate, equals: 5 t/h,"

CASES = [
    # -- the YAML itself
    Case("yaml_syntax_error", edit("flows: {water: 180}", "flows: {water: 180}}"), 21,
         ("did not find expected key",), YamlSyntaxError),
    Case("yaml_bad_indentation", edit("    flows: {water: 180}", "     flows: {water: 180}"),
         21, ("mapping values are not allowed",), YamlSyntaxError),
    Case("yaml_tab_indentation", edit("    type: mixer\n  leach:", "\ttype: mixer\n  leach:"),
         23, ("'\\t'", "tabs"), YamlSyntaxError),
    Case("empty_file", "", 1, ("the file is empty",), YamlSyntaxError),
    Case("comments_only", "# a plant, one day\n", 1, ("the file is empty",),
         YamlSyntaxError),
    Case("python_object_tag",
         edit("flowsheet: base", 'flowsheet: !!python/object/apply:os.system ["echo hi"]'),
         1, ("tags are not allowed", "!!python/object/apply:os.system"), YamlSyntaxError),
    Case("duplicate_yaml_key",
         edit("phase_split: {aqueous: 0.25}", "split: {aqueous: 0.25}"), 32,
         ("duplicate key 'split'", "first at line 31"), YamlSyntaxError),
    Case("duplicate_unit_name", edit("  mix2:\n", "  mix1:\n"), 33,
         ("duplicate key 'mix1'", "first at line 22"), YamlSyntaxError),
    # -- the top level
    Case("not_a_mapping", "- flowsheet\n- units\n", 1, ("a flowsheet file is a mapping",),
         SchemaError),
    Case("unknown_top_level_key", edit("units:\n", "unit:\n"), 10, ("unknown key 'unit'",),
         SchemaError, near="units"),
    Case("missing_streams", cut("streams:\n", "specs:\n"), 1, ("missing key 'streams'",),
         SchemaError),
    # -- species
    Case("species_declared_twice", edit("{name: copper_sulfate}", "{name: quartz}"), 7,
         ("species 'quartz' is declared twice", "first at line 4"), SpeciesError),
    Case("species_not_in_library", edit("{name: water}", "{name: watr}"), 3,
         ("'watr' is not in the built-in library",), SpeciesError, near="water"),
    Case("unknown_phase", edit("phase: solid,", "phase: solod,"), 8,
         ("unknown phase 'solod'",), SpeciesError, near="solid"),
    Case("species_name_with_dot", edit("{name: tenorite}", "{name: ten.orite}"), 5,
         ("species name 'ten.orite'", "without '.'"), SchemaError),
    Case("bad_formula",
         edit("{name: copper_sulfate}",
              "{name: copper_sulfate, formula: Cu(SO4, phase: aqueous}"), 7,
         ("Cu(SO4",), FormulaError),
    Case("assay_over_100_percent", edit("{Cu: 1.5, Fe: 4.0}", "{Cu: 60, Fe: 45}"), 8,
         ("species 'ore'", "over 100 %"), SpeciesError),
    # -- unit types and parameters
    Case("unknown_unit_type", edit("    type: mixer\n  leach:", "    type: mixxer\n  leach:"),
         23, ("unknown unit type 'mixxer'",), SchemaError, unit="mix1", near="mixer"),
    Case("unknown_unit_type_far",
         edit("    type: mixer\n  leach:", "    type: centrifuge\n  leach:"), 23,
         ("unknown unit type 'centrifuge'", "accepted: anode_furnace, ball_mill, ccd_train"),
         SchemaError, unit="mix1"),
    Case("unit_without_type", edit("    type: mixer\n  leach:", "    kind: mixer\n  leach:"),
         22, ("missing key 'type'",), SchemaError, unit="mix1"),
    Case("unit_name_with_dot", edit("  pls:\n", "  pls.1:\n"), 43,
         ("unit name 'pls.1'", "without '.'"), SchemaError, unit="pls.1"),
    Case("unknown_parameter", edit(THICK1_SPLIT, "s" + THICK1_SPLIT), 31,
         ("unknown parameter 'ssplit'",), SchemaError, unit="thick1", near="split"),
    Case("misspelt_required_parameter", edit("flows: {water: 180}", "flow: {water: 180}"), 21,
         ("unknown parameter 'flow'",), SchemaError, unit="wash", near="flows"),
    Case("unknown_feed_parameter", edit("temperature: 30 degC", "temprature: 30 degC"), 14,
         ("unknown parameter 'temprature'",), SchemaError, unit="slurry",
         near="temperature"),
    Case("negative_flow", edit("{water: 180}", "{water: -180}"), 21,
         ("flows.water", "a mass flow cannot be negative", "-180", "0-1e6 t/h"), SchemaError,
         unit="wash"),
    Case("non_numeric_flow", edit("{water: 180}", "{water: lots}"), 21,
         ("flows.water", "got 'lots'"), QuantityError, unit="wash"),
    Case("boolean_flow", edit("{water: 180}", "{water: true}"), 21,
         ("flows.water", "a mass flow", "a boolean (true)"), QuantityError, unit="wash"),
    Case("flows_not_a_mapping", edit("flows: {water: 180}", "flows: 5"), 21,
         ("flows", "a valid dictionary", "got 5"), SchemaError, unit="wash"),
    Case("unknown_species_in_flows", edit("{water: 180}", "{watter: 180}"), 21,
         ("unknown species 'watter'",), SchemaError, unit="wash", near="water"),
    Case("temperature_in_kg", edit("temperature: 30 degC", "temperature: 5 kg"), 14,
         ("temperature", "expected a temperature", "'5 kg' (a mass)"), QuantityError,
         unit="slurry"),
    Case("p80_in_kg", edit("p80: 150 um", "p80: 5 kg"), 15,
         ("psd.p80", "expected a size", "'5 kg' (a mass)"), QuantityError, unit="slurry"),
    Case("unknown_unit_of_measure", edit("temperature: 30 degC", "temperature: 30 degc"),
         14, ("unknown unit 'degc'",), QuantityError, unit="slurry", near="degC"),
    Case("unknown_psd_model", edit("model: rosin_rammler", "model: rosin_ramler"), 15,
         ("psd.model", "got 'rosin_ramler'"), SchemaError, unit="slurry",
         near="rosin_rammler"),
    Case("misspelt_psd_model_per_species",
         edit("psd: {model: rosin_rammler, p80: 150 um, m: 1.1}",
              "psd: {quartz: {model: rosin_rammler, p80: 150 um},\n"
              "          ore: {model: rosin_rammlr, p80: 150 um}}"), 16,
         ("psd.ore.model", "got 'rosin_rammlr'"), SchemaError, unit="slurry",
         near="rosin_rammler"),
    Case("table_psd_not_monotonic",
         edit("psd: {model: rosin_rammler, p80: 150 um, m: 1.1}",
              "psd: {model: table, sizes: [1000, 300, 100], passing: [90, 95, 40]}"), 15,
         ("sieve table", "passes more"), SchemaError, unit="slurry"),
    Case("split_fraction_above_one", edit("water: 0.25}", "water: 1.25}"), 31,
         ("split.water", "between 0 and 1", "1.25"), SchemaError, unit="thick1"),
    Case("split_fraction_negative", edit("{aqueous: 0.25}", "{aqueous: -0.25}"), 32,
         ("phase_split.aqueous", "between 0 and 1", "-0.25"), SchemaError, unit="thick1"),
    Case("fractions_not_summing_to_one",
         edit("{sale: 0.9, sample: 0.1}", "{sale: 0.9, sample: 0.2}"), 42,
         ("fractions must sum to 1", "1.1"), SchemaError, unit="bleed"),
    Case("splitter_with_one_outlet", edit("{sale: 0.9, sample: 0.1}", "{sale: 1.0}"), 42,
         ("at least two outlets",), SchemaError, unit="bleed"),
    Case("separator_with_three_outlets",
         edit("outlets: [underflow, overflow]\n    split: {quartz: 1.0, tenorite: 1.0, ore: "
              "1.0, water: 0.25}", "outlets: [underflow, overflow, middlings]\n    "
              + THICK1_SPLIT), 30, ("exactly two distinct outlet names",), SchemaError,
         unit="thick1"),
    Case("unknown_species_in_split", edit("water: 0.25}", "watter: 0.25}"), 31,
         ("split.watter", "unknown species 'watter'"), SchemaError, unit="thick1",
         near="water"),
    Case("unknown_phase_in_phase_split", edit("{aqueous: 0.25}", "{aqueos: 0.25}"), 32,
         ("unknown phase 'aqueos'",), SchemaError, unit="thick1", near="aqueous"),
    Case("unbalanced_reaction",
         edit("-> CuSO4 + H2O", "-> CuSO4 + 2 H2O"), 27,
         ("reactions.0.equation", "does not balance"), FormulaError, unit="leach"),
    Case("unknown_species_in_reaction",
         edit("-> CuSO4 + H2O", "-> CuSO4 + H2O2"), 27,
         ("unknown species 'H2O2'",), FormulaError, unit="leach", near="H2O"),
    Case("reaction_key_not_a_reactant",
         edit("key: tenorite", "key: copper_sulfate"), 27,
         ("key 'copper_sulfate' is not a reactant",), SchemaError, unit="leach"),
    Case("conversion_above_one", edit("conversion: 0.9", "conversion: 1.5"), 27,
         ("conversion", "between 0 and 1"), SchemaError, unit="leach"),
    Case("unknown_size_grid_key", edit("bottom: 20 um", "botom: 20 um"), 9,
         ("unknown key 'botom'",), SchemaError, near="bottom"),
    Case("incomplete_size_grid", edit("{top: 2 mm, bottom: 20 um}", "{top: 2 mm}"), 9,
         ("size_grid", "give 'sieves' or both 'top' and 'bottom'"), SchemaError),
    # -- connections
    Case("misspelt_port", edit("thick1.overflow", "thick1.overflw"), 54,
         ("no outlet 'overflw'",), TopologyError, unit="thick1", near="overflow"),
    Case("stream_to_missing_unit", edit("to: assay}", "to: asay}"), 56,
         ("no unit named 'asay'",), TopologyError, near="assay"),
    Case("stream_from_product", edit("{from: bleed.sale, to: pls}", "{from: pls, to: pls}"),
         55, ("'pls' (product) has no outlets",), TopologyError, unit="pls"),
    Case("port_missing_on_two_outlet_unit",
         edit("{from: thick1.underflow, to: mix2}", "{from: thick1, to: mix2}"), 57,
         ("unit 'thick1' has outlets underflow, overflow: name one",), TopologyError,
         unit="thick1"),
    Case("port_on_the_wrong_side",
         edit("{from: thick1.underflow, to: mix2}", "{from: thick1.underflow, to: mix2.out}"),
         57, ("'mix2.out' is an outlet of 'mix2', not an inlet",), TopologyError,
         unit="mix2"),
    Case("unconnected_outlet",
         edit("{sale: 0.9, sample: 0.1}", "{sale: 0.9, sample: 0.05, spare: 0.05}"), 40,
         ("outlet 'bleed.spare' is not connected",), TopologyError, unit="bleed"),
    Case("two_streams_into_single_inlet", edit("to: assay}", "to: pls}"), 56,
         ("inlet 'pls.in' takes one stream",), TopologyError, unit="pls"),
    Case("duplicate_stream_name",
         edit("{from: bleed.sale, to: pls}", "{from: bleed.sale, to: pls, name: pls_line}"),
         55, ("two streams are named 'pls_line'",), TopologyError),
    Case("mixer_with_nothing_flowing_in",
         edit("streams:\n", "  mix3:\n    type: mixer\nstreams:\n",
              "specs:\n", "  - {from: mix3, to: mix1}\nspecs:\n"), 49,
         ("nothing flows into this unit",), TopologyError, unit="mix3"),
    Case("recycle_without_exit", edit(THICK2_SPLIT, THICK2_SPLIT.replace("quartz: 1.0",
                                                                         "quartz: 0.0")),
         22, ("species 'quartz'", "can never leave it"), TopologyError, unit="mix1"),
    # -- solver and design specs
    Case("unknown_solver_method", edit("method: wegstein", "method: wegstien"), 66,
         ("'wegstein', 'direct', 'broyden' or 'newton'", "got 'wegstien'"), SchemaError,
         near="wegstein"),
    Case("negative_tolerance", edit("tolerance: 1.0e-9", "tolerance: -1.0e-9"), 67,
         ("tolerance", "greater than 0", "got -1e-09"), SchemaError),
    Case("unknown_tear_stream", edit("  method: wegstein\n",
                                     "  method: wegstein\n  tears: [pls_lin]\n"), 67,
         ("tear stream 'pls_lin'",), TopologyError, near="pls_line"),
    Case("spec_varies_unknown_parameter", edit("vary: slurry.flows", "vary: slurry.flow"),
         63, ("no parameter 'flow.tenorite'",), SchemaError, unit="slurry", near="flows"),
    Case("spec_vary_not_a_path", edit("vary: slurry.flows.tenorite", "vary: tenorite"), 63,
         ("'tenorite' is not a path",), SchemaError),
    Case("spec_until_unknown_property",
         edit("until: pls.in.flows.copper_sulfate", "until: pls.in.totl"), 63,
         ("unknown stream quantity 'totl'",), SchemaError, unit="pls", near="total"),
    Case("spec_until_unknown_port", edit("until: pls.in.", "until: pls.inn."), 63,
         ("unit 'pls' has no port 'inn'",), SchemaError, unit="pls", near="in"),
    Case("spec_target_in_wrong_units", edit("equals: 5 t/h", "equals: 5 kW"), 63,
         ("expected a mass flow", "'5 kW' (a power)"), QuantityError),
    Case("spec_target_not_a_value", edit("equals: 5 t/h", "equals: {cu: 5}"), 63,
         ("equals", "a valid number, a valid string or a valid list, got a mapping"),
         SchemaError),
    Case("spec_bounds_reversed", edit("bounds: [1, 10]", "bounds: [10, 1]"), 64,
         ("low < high",), SchemaError),
]

IDS = [case.id for case in CASES]


def test_catalogue_is_distinct_and_large():
    """The catalogue holds at least 30 distinct bad inputs, none of them the base itself."""
    assert len(set(IDS)) == len(IDS) >= 30
    texts = [case.text for case in CASES]
    assert len(set(texts)) == len(texts)
    assert BASE not in texts


def test_base_flowsheet_is_valid():
    """The flowsheet every case edits loads and solves, so each case fails for its edit."""
    res = flowsheet.loads(BASE, "case.yaml").solve()
    assert res.value("pls.in.flows.copper_sulfate") == pytest.approx(5.0)


def error_of(text: str) -> FlowsheetError:
    with pytest.raises(FlowsheetError) as info:
        flowsheet.loads(text, "case.yaml")
    return info.value


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_bad_input_gives_one_located_line(case: Case):
    """Each bad input raises its error class as one line at the offending line, naming
    the unit and the problem, with a did-you-mean hint where a near name exists."""
    err = error_of(case.text)
    text = str(err)
    assert type(err) is case.error, text
    assert "\n" not in text
    assert text.startswith(f"case.yaml:{case.line}:"), text
    assert err.location.line == case.line
    for words in case.words:
        assert words in text, text
    if case.unit is not None:
        assert err.location.unit == case.unit, text
        assert f"unit '{case.unit}'" in text
    if case.near is not None:
        assert err.hint == f"did you mean '{case.near}'?", text


# -- the command line -----------------------------------------------------------------------


def _command(path: Path, out: Path, *, debug: bool) -> list[str]:
    return [sys.executable, "-m", "flowsheet.cli", *(["--debug"] if debug else []), "run",
            str(path), "-o", str(out), "--no-store"]


def _run_cli(args: list[str], home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "FLOWSHEET_RUNS": str(home / "runs")}
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=home,
                          timeout=120, check=False)


#: Cases also run with ``--debug``: the first of each error class (a process start costs
#: about a second, so the traceback is checked once per class rather than per case).
DEBUG_IDS = sorted({case.error: case.id for case in reversed(CASES)}.values())


@pytest.fixture(scope="module")
def cli_results(tmp_path_factory) -> dict[str, dict]:
    """Run ``flowsheet run`` on every case (and with ``--debug`` on :data:`DEBUG_IDS`),
    several processes at a time.

    Each case runs in a folder of its own, which afterwards must hold only its input.
    """
    jobs = {}
    for case in CASES:
        home = tmp_path_factory.mktemp(case.id)
        path = home / "case.yaml"
        path.write_text(case.text, encoding="utf-8")
        for debug in (False, True) if case.id in DEBUG_IDS else (False,):
            out = home / ("out-debug" if debug else "out")
            jobs[case.id, debug] = (_command(path, out, debug=debug), home)
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1)) as pool:
        futures = {key: pool.submit(_run_cli, args, home) for key, (args, home) in jobs.items()}
        done = {key: future.result() for key, future in futures.items()}
    results: dict[str, dict] = {}
    for (case_id, debug), proc in done.items():
        home = jobs[case_id, debug][1]
        results.setdefault(case_id, {"path": home / "case.yaml"})[debug] = proc
        results[case_id]["files"] = sorted(p.relative_to(home).as_posix()
                                           for p in home.rglob("*") if p.is_file())
    return results


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_cli_bad_input_exits_2_with_one_line(case: Case, cli_results):
    """``flowsheet run`` prints the error as one ``error:`` line, exits 2, shows no
    traceback and writes no file."""
    result = cli_results[case.id]
    plain = result[False]
    assert plain.returncode == 2, plain.stderr
    lines = plain.stderr.splitlines()
    assert len(lines) == 1, plain.stderr
    assert lines[0].startswith(f"error: {result['path']}:{case.line}:"), lines[0]
    assert "Traceback" not in plain.stderr
    assert plain.stdout == ""
    assert result["files"] == ["case.yaml"]


@pytest.mark.parametrize("case_id", sorted(DEBUG_IDS))
def test_cli_debug_shows_the_traceback(case_id: str, cli_results):
    """With ``--debug`` the same error comes with its traceback, still with exit code 2
    and no file written."""
    result = cli_results[case_id]
    debug = result[True]
    assert debug.returncode == 2, debug.stderr
    assert "Traceback (most recent call last)" in debug.stderr
    assert debug.stderr.rstrip().splitlines()[-1] == result[False].stderr.rstrip()
    assert result["files"] == ["case.yaml"]


def test_cli_infeasible_design_spec_exits_2(tmp_path):
    """A design spec that its bounds cannot meet fails the run with one line and exit
    code 2, and writes no results: the spec's history, convergence.csv, is the one file
    in the output folder."""
    path = tmp_path / "case.yaml"
    path.write_text(edit("bounds: [1, 10]", "bounds: [1, 2]"), encoding="utf-8")
    with pytest.raises(DesignSpecError):
        flowsheet.load(path).solve()
    proc = _run_cli(_command(path, tmp_path / "out", debug=False), tmp_path)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}:63:"), proc.stderr
    assert "Traceback" not in proc.stderr
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert written == ["case.yaml", "out/convergence.csv"]


# -- generated from the registry ------------------------------------------------------------

TYPES = sorted(unit_types())


def _one_letter_off(name: str, taken: set[str]) -> str:
    """A spelling of ``name`` one edit away that is not a field and is nearer to ``name``
    than to any other field: a letter dropped or, for short names, doubled."""
    for i in range(len(name) - 1, -1, -1):
        wrong = name[:i] + name[i + 1:] if len(name) > 3 else name[:i] + name[i] + name[i:]
        if wrong and wrong not in taken and all(
                did_you_mean(wrong, [other, name]) == f"did you mean '{name}'?"
                for other in taken - {name}):
            return wrong
    raise AssertionError(f"no misspelling of {name!r}")


MISSPELT = [(type_name, field)
            for type_name in TYPES
            for field in unit_types()[type_name].Params.model_fields]


def _with_unit(type_name: str, params: str) -> str:
    return ("flowsheet: generated\nspecies: [{name: water}]\nunits:\n"
            f"  u1: {{type: {type_name}, {params}}}\n"
            "streams: []\n")


@pytest.mark.parametrize("type_name", TYPES)
def test_every_unit_type_rejects_an_unknown_parameter(type_name):
    """Every registered unit type rejects a parameter it does not have, naming the unit
    and the parameter at the line of the unit."""
    with pytest.raises(SchemaError) as info:
        flowsheet.loads(_with_unit(type_name, "zzz_unknown: 1"), "gen.yaml")
    err = info.value
    assert str(err).startswith("gen.yaml:4:")
    assert err.location.unit == "u1" and err.location.key == "zzz_unknown"
    assert "unknown parameter 'zzz_unknown'" in err.message
    fields = unit_types()[type_name].Params.model_fields
    assert (err.hint is None) == (not fields)


@pytest.mark.parametrize(("type_name", "field"), MISSPELT,
                         ids=[f"{t}.{f}" for t, f in MISSPELT])
def test_every_parameter_misspelt_suggests_the_real_one(type_name, field):
    """A parameter one letter off a real field of a unit type is reported as unknown with
    a did-you-mean naming the field, even when the real field is required."""
    fields = set(unit_types()[type_name].Params.model_fields)
    wrong = _one_letter_off(field, fields)
    with pytest.raises(SchemaError) as info:
        flowsheet.loads(_with_unit(type_name, f"{wrong}: 1"), "gen.yaml")
    err = info.value
    assert str(err).startswith("gen.yaml:4:") and "\n" not in str(err)
    assert err.location.unit == "u1"
    assert err.message == f"unknown parameter '{wrong}'"
    assert err.hint == f"did you mean '{field}'?"
