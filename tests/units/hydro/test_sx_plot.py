"""McCabe-Thiele diagrams of SX units in a solved flowsheet (McCabe and Thiele, Ind. Eng.
Chem. 17 (1925) 605): at the converged flows the steps reach the unit's raffinate in
exactly its number of stages, for extraction and for stripping; ``flowsheet mccabe``
draws the figure or fails in one located line."""

import argparse
from pathlib import Path

import pytest

import flowsheet
from flowsheet.errors import SchemaError
from units.hydro.sx_plot import add_arguments, command, sx_mccabe_thiele, sx_operating_point

SX_LOOP = Path(__file__).parent / "data" / "sx_loop.yaml"


@pytest.fixture(scope="module")
def solved():
    return flowsheet.load(SX_LOOP).solve()


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return command(parser.parse_args(list(argv)))


@pytest.mark.parametrize("unit", ["extract", "strip"])
def test_steps_match_the_unit(solved, unit, tmp_path):
    """The operating point is the unit's own (feed and raffinate g/L, O/A of its report)
    and stepping off with its isotherm and efficiency takes its number of stages: 2 in
    extraction, 1 in the strip, where copper moves into the aqueous."""
    report = solved.units[unit]
    pt = sx_operating_point(solved, unit)
    assert pt.x_feed == pytest.approx(report["aqueous_in_gpl"], rel=1e-12)
    assert pt.x_out == pytest.approx(report["aqueous_out_gpl"], rel=1e-12)
    assert pt.y_in == pytest.approx(report["organic_in_gpl"], rel=1e-12)
    assert pt.oa == pytest.approx(report["oa"], rel=1e-12)
    assert (pt.x_out < pt.x_feed) == (unit == "extract")
    out = tmp_path / f"{unit}.png"
    steps = sx_mccabe_thiele(solved, unit, out)
    assert steps.stages == pytest.approx(pt.stages, abs=1e-8)
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_command_draws_the_figure(tmp_path, capsys):
    """``flowsheet mccabe FILE --unit strip -o DIR/mt.svg`` solves, writes the figure
    and prints the operating figures."""
    out = tmp_path / "figs" / "mt.svg"
    assert _run(str(SX_LOOP), "--unit", "strip", "-o", str(out)) == 0
    assert out.read_text().lstrip().startswith("<?xml")
    printed = capsys.readouterr().out
    assert "unit 'strip' (strip)" in printed and "1.000 stages" in printed


def test_unknown_unit_is_located_with_a_suggestion(tmp_path):
    """A misspelt unit names the file and the unit and suggests the SX unit; nothing is
    written."""
    out = tmp_path / "mt.png"
    with pytest.raises(SchemaError) as err:
        _run(str(SX_LOOP), "--unit", "extrakt", "-o", str(out))
    text = str(err.value)
    assert "sx_loop.yaml" in text and "unit 'extrakt'" in text and "'extract'" in text
    assert not out.exists()


def test_unit_that_is_not_sx_is_located(tmp_path):
    """A unit of another type points at its line in the file and lists the SX units."""
    with pytest.raises(SchemaError) as err:
        _run(str(SX_LOOP), "--unit", "bleed", "-o", str(tmp_path / "mt.png"))
    text = str(err.value)
    assert "is a splitter, not a solvent_extraction" in text
    assert err.value.location.line is not None and err.value.location.unit == "bleed"
    assert "extract, strip" in text


def test_unit_must_be_named_when_there_are_several(tmp_path):
    """Without --unit a file with two SX units is an error listing both."""
    with pytest.raises(SchemaError, match="extract, strip"):
        _run(str(SX_LOOP), "-o", str(tmp_path / "mt.png"))


def test_bad_figure_suffix(tmp_path):
    """Only png, svg and pdf can be drawn; the error names the option."""
    with pytest.raises(SchemaError, match="--output.*png, .svg or .pdf"):
        _run(str(SX_LOOP), "--unit", "extract", "-o", str(tmp_path / "mt.txt"))
