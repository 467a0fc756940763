"""The generic units: feed, product, mixer, splitter, separator, stoichiometric reactor."""

import numpy as np
import pytest

import flowsheet
from flowsheet.errors import FormulaError, SchemaError
from flowsheet.species import SpeciesTable
from flowsheet.stream import Stream
from units.base import Context
from units.generic.feed import Feed
from units.generic.mixer import Mixer
from units.generic.reactor import StoichiometricReactor
from units.generic.separator import Separator
from units.generic.splitter import Splitter

TABLE = SpeciesTable.from_declarations([{"name": "water"}, {"name": "quartz"},
                                        {"name": "copper_sulfate"}])
CTX = Context(TABLE)


def stream(water=0.0, quartz=0.0, cuso4=0.0, t=25.0):
    return Stream(TABLE, [water, quartz, cuso4], t)


def test_mixer_adds_flows_and_mixes_temperature():
    """Flows add; the outlet temperature is the heat-capacity-weighted mean (water 4.18
    J/(g K); quartz from the library)."""
    out, _ = Mixer.from_config("m", {}, CTX).run({"in": [stream(10, t=20), stream(10, t=60)]})
    assert out["out"].flows.tolist() == [20.0, 0.0, 0.0]
    assert out["out"].temperature == pytest.approx(40.0)
    cp_q = TABLE.heat_capacities()[1]
    out, _ = Mixer.from_config("m", {}, CTX).run({"in": [stream(10, t=20), stream(0, 10,
                                                                                t=60)]})
    expected = (10 * 4.18 * 20 + 10 * cp_q * 60) / (10 * 4.18 + 10 * cp_q)
    assert out["out"].temperature == pytest.approx(expected, rel=1e-3)


def test_splitter_conserves_each_species():
    """Every outlet carries the same fraction of every species."""
    u = Splitter.from_config("s", {"fractions": {"a": 0.2, "b": 0.5, "c": 0.3}}, CTX)
    out, _ = u.run({"in": [stream(10, 4, 1)]})
    total = sum(s.flows for s in out.values())
    assert np.allclose(total, [10, 4, 1])
    assert np.allclose(out["b"].flows, [5, 2, 0.5])


@pytest.mark.parametrize("fractions, words", [
    ({"a": 0.5, "b": 0.6}, "sum to 1"),
    ({"a": 1.2, "b": -0.2}, "between 0 and 1"),
    ({"a": 1.0}, "at least two"),
])
def test_splitter_rejects_bad_fractions(fractions, words):
    with pytest.raises(SchemaError, match=words):
        Splitter.from_config("s", {"fractions": fractions}, CTX)


def test_separator_species_override_phase():
    """A species in ``split`` overrides its phase's fraction; unlisted go to outlet 2."""
    u = Separator.from_config("t", {"outlets": ["u", "o"], "split": {"copper_sulfate": 0.1},
                                    "phase_split": {"solid": 1.0, "liquid": 0.25}}, CTX)
    out, _ = u.run({"in": [stream(100, 50, 10)]})
    assert out["u"].flows.tolist() == [25.0, 50.0, 1.0]
    assert out["o"].flows.tolist() == [75.0, 0.0, 9.0]


def test_separator_unknown_species():
    with pytest.raises(SchemaError, match="unknown species 'cuso4'") as info:
        Separator.from_config("t", {"outlets": ["u", "o"], "split": {"cuso4": 1}}, CTX)
    assert info.value.location.key == "split.cuso4"
    assert "copper_sulfate" in info.value.hint


def test_feed_negative_and_unknown_species():
    with pytest.raises(SchemaError, match="cannot be negative"):
        Feed.from_config("f", {"flows": {"water": -5}}, CTX)
    with pytest.raises(SchemaError, match="unknown species"):
        Feed.from_config("f", {"flows": {"watr": 5}}, CTX)


def test_reactor_mass_and_elements_conserved():
    """Chalcopyrite oxidation in a roaster closes mass and every element exactly."""
    table = SpeciesTable.from_declarations([{"name": n} for n in (
        "chalcopyrite", "oxygen", "tenorite", "hematite", "sulfur_dioxide", "nitrogen")])
    r = StoichiometricReactor.from_config("roast", {"reactions": [{
        "equation": "4 CuFeS2 + 13 O2 -> 4 CuO + 2 Fe2O3 + 8 SO2", "key": "chalcopyrite",
        "conversion": 0.97}]}, Context(table))
    feed = Stream(table, [100.0, 120.0, 0, 0, 0, 400.0])
    out = r.run({"in": [feed]})[0]["out"]
    assert out.total == pytest.approx(feed.total, rel=1e-14)
    for element, value in feed.element_flows.items():
        assert out.element_flows[element] == pytest.approx(value, rel=1e-13)
    assert out.flows[0] == pytest.approx(3.0)


def test_reactor_rejects_unbalanced_equation():
    """Element balance is checked on load; the message names what does not balance."""
    table = SpeciesTable.from_declarations([{"name": "tenorite"}, {"name": "sulfuric_acid"},
                                            {"name": "copper_sulfate"}, {"name": "water"}])
    with pytest.raises(FormulaError, match="does not balance: O"):
        StoichiometricReactor.from_config("leach", {"reactions": [{
            "equation": "CuO + H2SO4 -> CuSO4 + 2 H2O", "key": "tenorite",
            "conversion": 0.9}]}, Context(table))


def test_reactor_series_and_parallel():
    """In series the second reaction acts on the product of the first; in parallel both
    extents come from the inlet, which has no Cu2O for the second: the report names the
    short species (and the solve would fail on it)."""
    table = SpeciesTable.from_declarations([{"name": "chalcocite"}, {"name": "oxygen"},
                                            {"name": "cuprite"}, {"name": "sulfur_dioxide"},
                                            {"name": "copper"}])
    reactions = [{"equation": "2 Cu2S + 3 O2 -> 2 Cu2O + 2 SO2", "key": "chalcocite",
                  "conversion": 0.5},
                 {"equation": "Cu2S + 2 Cu2O -> 6 Cu + SO2", "key": "chalcocite",
                  "conversion": 0.5}]
    feed = Stream(table, [159.16, 100, 0, 0, 0])
    par = StoichiometricReactor.from_config("p", {"reactions": reactions}, Context(table))
    ser = StoichiometricReactor.from_config("s", {"reactions": reactions, "mode": "series"},
                                            Context(table))
    assert par.run({"in": [feed]})[1]["limited"] == "cuprite"
    assert ser.run({"in": [feed]})[0]["out"].flows[0] == pytest.approx(159.16 * 0.25)
    for unit in (par, ser):
        out = unit.run({"in": [feed]})[0]["out"]
        assert out.total == pytest.approx(feed.total, rel=1e-14)


def test_lumped_species_closes_elements():
    """A lumped ore with an assay passes through a flowsheet with its elements closed."""
    res = flowsheet.loads("""
flowsheet: lumped
species:
  - {name: ore, phase: solid, assay: {Cu: 0.8, Fe: 5, S: 3}}
  - {name: water}
units:
  mine: {type: feed, flows: {ore: 100, water: 50}}
  cyc: {type: separator, outlets: [under, over], split: {ore: 0.7, water: 0.3}}
  u: {type: product}
  o: {type: product}
streams: [{from: mine, to: cyc}, {from: cyc.under, to: u}, {from: cyc.over, to: o}]
""").solve()
    assert res.closure.elements["Cu"] < 1e-15
    assert res.stream("cyc.under->u").element_flows["Cu"] == pytest.approx(0.56)
