"""The solvent_extraction unit: element balance with acid release, agreement with the
stage solver, the copper SX loop in a flowsheet (figures against the typical ranges of
Schlesinger et al., Extractive Metallurgy of Copper, 5th ed., 2011), and bad input."""

from pathlib import Path

import pytest

import flowsheet
from flowsheet.errors import FlowsheetError, SchemaError
from flowsheet.species import SpeciesTable
from flowsheet.stream import Stream
from flowsheet.unit import Context
from units.hydro.isotherms import Isotherm
from units.hydro.solvent_extraction import SolventExtraction
from units.hydro.sx_cascade import countercurrent_cascade

DATA = Path(__file__).parent / "data"
TABLE = SpeciesTable.from_declarations([
    {"name": "water"}, {"name": "copper_sulfate"}, {"name": "sulfuric_acid"},
    {"name": "dodecane"},
    {"name": "lix", "formula": "C16H25NO2", "phase": "organic", "density": 910},
    {"name": "cux", "formula": "Cu(C16H24NO2)2", "phase": "organic", "density": 910}])
EQ = "copper_sulfate + 2 lix -> cux + sulfuric_acid"
PLS = Stream(TABLE, [997.0, 7.536, 5.0, 0, 0, 0])
ORG = Stream(TABLE, [0, 0, 0, 600.0, 60.0, 3.0])


def unit(**config):
    base = {"stages": 2, "equation": EQ, "isotherm": {"model": "langmuir",
                                                      "max_loading": "12 g/L", "k": 2}}
    return SolventExtraction.from_config("sx", base | config, Context(TABLE))


@pytest.mark.parametrize("mode", ["extract", "strip"])
def test_elements_close_and_acid_released(mode):
    """Every element balances to 1e-12; extraction releases 1 mol H2SO4 per mol Cu."""
    strip_isotherm = {"isotherm": {"model": "linear", "d": 0.1}} if mode == "strip" else {}
    sx = unit(mode=mode, efficiency=0.9, **strip_isotherm,
              entrainment={"organic_in_aqueous": "50 ppm", "aqueous_in_organic": "0.5 %"})
    aq = PLS if mode == "extract" else Stream(TABLE, [280.0, 26.4, 54.0, 0, 0, 0])
    org = ORG if mode == "extract" else Stream(TABLE, [0, 0, 0, 600.0, 30.0, 40.0])
    out, rep = sx.run({"aqueous": [aq], "organic": [org]})
    total_in = (aq + org).element_flows
    total_out = Stream.mix(list(out.values())).element_flows
    for element, value in total_in.items():
        assert total_out[element] == pytest.approx(value, rel=1e-12, abs=1e-12)
    acid_made = (Stream.mix(list(out.values())).flows[2] - (aq + org).flows[2]) / 98.072
    assert acid_made == pytest.approx(rep["Cu_transfer"] / 63.546, rel=1e-3)
    assert (rep["Cu_transfer"] > 0) == (mode == "extract")


def test_agrees_with_stage_solver():
    """The report's raffinate is the stage solver's at the stream's g/L and O/A."""
    _, rep = unit(efficiency=0.95).run({"aqueous": [PLS], "organic": [ORG]})
    c = countercurrent_cascade(Isotherm.langmuir(12.0, 2.0), rep["feed_gpl"],
                               rep["organic_in_gpl"], rep["oa"], 2, 0.95)
    assert rep["raffinate_gpl"] == pytest.approx(c.raffinate, rel=1e-12)
    assert rep["loaded_organic_gpl"] == pytest.approx(c.loaded, rel=1e-9)


def test_sx_loop_flowsheet():
    """Two extraction stages, one strip, organic loop with bleed: closure below 1e-9 and
    figures in the typical copper SX ranges (raffinate 0.1-0.3 g/L, extraction about 90 %,
    rich electrolyte above lean)."""
    res = flowsheet.load(DATA / "sx_loop.yaml").solve()
    assert res.closure.worst < 1e-9
    e, s = res.units["extract"], res.units["strip"]
    assert 0.1 < e["raffinate_gpl"] < 0.3
    assert 88 < e["extraction_percent"] < 96
    assert s["rich_electrolyte_gpl"] > s["aqueous_in_gpl"] + 5
    assert e["Cu_transfer"] == pytest.approx(-s["Cu_transfer"], rel=0.05)


@pytest.mark.parametrize(("config", "key"), [
    ({"stages": 0}, "stages"),
    ({"isotherm": {"model": "table", "aqueous": [0.1, 1, 0.5], "organic": [1, 2, 3]}},
     "isotherm"),
    ({"isotherm": {"model": "linear"}}, "isotherm"),
    ({"equation": "copper_sulfate -> cux + sulfuric_acid"}, "equation"),
    ({"efficiency": 0}, "efficiency")])
def test_bad_parameters_are_located(config, key):
    """Zero stages, a non-monotonic table (its row named), a missing isotherm parameter,
    an unbalanced or incomplete equation: a SchemaError at the key."""
    with pytest.raises(SchemaError) as err:
        unit(**config)
    assert err.value.location.key.startswith(key)
    if "table" in str(config):
        assert "row 3" in str(err.value)


def test_zero_organic_flow_fails_after_solve():
    """O/A of zero: nothing transfers while iterating, an error once converged."""
    sx = unit()
    out, rep = sx.run({"aqueous": [PLS], "organic": []})
    assert rep["Cu_transfer"] == 0.0 and rep["oa"] == 0.0
    with pytest.raises(FlowsheetError, match="O/A ratio is 0"):
        sx.verify(rep)


def test_oxime_exchange_with_nothing_to_exchange_moves_nothing():
    """With the oxime isotherm, an aqueous holding neither copper nor acid can neither give
    copper nor strip it (no acid to take it back): nothing moves, as on a recycle's first
    pass; an organic without extractant moves nothing while iterating and is an error once
    converged."""
    sx = unit(isotherm={"model": "oxime", "k_ex": 15})
    water = Stream(TABLE, [997.0, 0, 0, 0, 0, 0])
    out, rep = sx.run({"aqueous": [water], "organic": [ORG]})
    assert rep["Cu_transfer"] == 0.0
    assert list(out["raffinate"].flows + out["loaded"].flows) == list((water + ORG).flows)
    bare = Stream(TABLE, [0, 0, 0, 600.0, 0, 0])
    _, rep = sx.run({"aqueous": [PLS], "organic": [bare]})
    assert rep["Cu_transfer"] == 0.0
    with pytest.raises(FlowsheetError, match="no extractant"):
        sx.verify(rep)
