"""The generic units: feed, product, mixer, splitter, separator, stoichiometric reactor."""

import numpy as np
import pytest

import flowsheet
from flowsheet.errors import FormulaError, SchemaError
from flowsheet.species import SpeciesTable
from flowsheet.stream import Stream
from flowsheet.unit import Context
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


PSD_FLOWSHEET = """
flowsheet: psd-top
species: [{{name: water}}, {{name: quartz}}]
size_grid: {{top: 16 mm, bottom: 100 um}}
units:
  mine: {{type: feed, flows: {{quartz: 100, water: 50}}, psd: {psd}}}
  out: {{type: product}}
streams: [{{from: mine, to: out}}]
"""


def test_feed_p80_above_the_grid_top_is_refused_at_load():
    """P80 30 mm on a grid whose top sieve is 16 mm (the issue's case): refused when the
    file loads, at psd.p80, with the share above the top (42.4 % for Rosin-Rammler m 1:
    exp(-(16/30)^1 ln 5)), the P80 the grid would give and a top that holds it."""
    with pytest.raises(SchemaError) as info:
        flowsheet.loads(PSD_FLOWSHEET.format(
            psd="{model: rosin_rammler, p80: 30 mm, m: 1.0}"), "plant.yaml")
    err = info.value
    share = 100 * np.exp(-(16 / 30) * np.log(5))
    assert (err.location.unit, err.location.key) == ("mine", "psd.p80")
    assert f"{share:.3g} % of the mass above the size grid's top sieve 16 mm" in err.message
    assert "the feed would enter at P80" in err.message and "60 mm" in err.hint


def test_feed_table_coarser_than_the_grid_is_refused_at_load():
    """A sieve table with 70 % passing 20 mm on a 16 mm grid cannot be represented."""
    with pytest.raises(SchemaError) as info:
        flowsheet.loads(PSD_FLOWSHEET.format(
            psd="{model: table, sizes: [40 mm, 20 mm, 1 mm], passing: [100, 70, 10]}"))
    assert info.value.location.key == "psd.sizes"


def test_reactor_short_of_reagent_gives_what_enters_and_what_it_takes():
    """CuO + H2SO4 at full conversion of 10 t/h tenorite takes 12.33 t/h of acid
    (98.08/79.55 x 10); with 5 t/h entering, the check of the converged report gives both
    flows. (In a purely linear flowsheet the sparse solve refuses the negative flow
    first.)"""
    table = SpeciesTable.from_declarations([{"name": "tenorite"}, {"name": "sulfuric_acid"},
                                            {"name": "copper_sulfate"}, {"name": "water"}])
    r = StoichiometricReactor.from_config("r", {"reactions": [
        {"equation": "CuO + H2SO4 -> CuSO4 + H2O", "key": "tenorite", "conversion": 1}]},
        Context(table))
    _, report = r.run({"in": [Stream(table, [10.0, 5.0, 0.0, 0.0])]})
    with pytest.raises(flowsheet.errors.UnitRunError) as info:
        r.verify(report)
    mm = table.molar_masses
    need = 10 * mm[table.index["sulfuric_acid"]] / mm[table.index["tenorite"]]
    assert "not enough sulfuric_acid enters: 5 t/h" in info.value.message
    assert f"take {need:.4g} t/h" in info.value.message
