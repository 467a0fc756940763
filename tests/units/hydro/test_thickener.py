"""Thickener: pulp density relations (Engineering ToolBox, "Slurry Density"), the
underflow given three ways, ideal mixing of solutes, carry-over, and bad input."""

import pytest

from flowsheet.errors import SchemaError
from flowsheet.species import SpeciesTable
from flowsheet.stream import Stream
from flowsheet.unit import Context
from units.hydro.thickener import Thickener, pulp_density, solids_fraction_from_density

TABLE = SpeciesTable.from_declarations([{"name": "water"}, {"name": "copper_sulfate"},
                                        {"name": "quartz"}])
FEED = Stream(TABLE, [300.0, 6.0, 100.0])


def test_published_slurry_density():
    """Cw 30 %, solids 2500, liquid 1000 kg/m3 -> 1219.5 kg/m3, and back."""
    assert pulp_density(0.3, 2500, 1000) == pytest.approx(1219.5, abs=0.05)
    assert solids_fraction_from_density(pulp_density(0.55, 2650, 997), 2650, 997) == \
        pytest.approx(0.55, rel=1e-12)


@pytest.mark.parametrize("config", [
    {"underflow_solids": "55 %"}, {"liquid_solids_ratio": 45 / 55},
    {"underflow_density": float(pulp_density(0.55, 2650.0, 997.0))}])
def test_underflow_three_ways(config):
    """The same underflow from solids %, liquor ratio or density (quartz in water, no
    solute density: the liquor is water); solutes follow the liquor."""
    feed = Stream(TABLE, [300.0, 0.0, 100.0])
    out, rep = Thickener.from_config("t", config, Context(TABLE)).run({"in": [feed]})
    assert rep["underflow_solids"] == pytest.approx(55.0, rel=1e-9)
    out2, _ = Thickener.from_config("t", config, Context(TABLE)).run({"in": [FEED]})
    u = out2["underflow"].flows
    assert u[1] / FEED.flows[1] == pytest.approx((u[0] + u[1]) / 306.0, rel=1e-12)


def test_carryover_and_balance():
    """Solids carried over reach the overflow; every species balances exactly."""
    th = Thickener.from_config("t", {"underflow_solids": 0.5, "overflow_solids": "1 %"},
                               Context(TABLE))
    out, rep = th.run({"in": [FEED]})
    assert out["overflow"].solids == pytest.approx(1.0)
    assert (out["underflow"].flows + out["overflow"].flows) == pytest.approx(FEED.flows,
                                                                            rel=1e-15)


@pytest.mark.parametrize(("config", "key"), [
    ({}, None), ({"underflow_solids": 0.5, "liquid_solids_ratio": 1.0}, None),
    ({"underflow_solids": 1.5}, "underflow_solids"),
    ({"underflow_solids": 0.5, "overflow_solids": 1.0}, "overflow_solids")])
def test_bad_parameters(config, key):
    """No underflow spec or two of them, a fraction out of range: a SchemaError."""
    with pytest.raises(SchemaError) as err:
        Thickener.from_config("t", config, Context(TABLE))
    assert err.value.location.unit == "t"
    if key:
        assert err.value.location.key == key


def test_feed_thicker_than_the_underflow_asked_fails():
    """100 t/h of solids in 40 t/h of water (71.4 % solids) cannot make a 50 % underflow:
    the converged solve fails at underflow_solids with the % reached and asked."""
    import flowsheet
    from flowsheet.errors import UnitRunError

    fs = flowsheet.loads("""
flowsheet: thick
species: [{name: water}, {name: quartz}]
units:
  feed: {type: feed, flows: {quartz: 100, water: 40}}
  th: {type: thickener, underflow_solids: 50 %}
  u: {type: product}
  o: {type: product}
streams: [{from: feed, to: th}, {from: th.underflow, to: u}, {from: th.overflow, to: o}]
""")
    with pytest.raises(UnitRunError) as info:
        fs.solve()
    assert info.value.location.key == "underflow_solids"
    assert f"{100 / 1.4:.4g} % solids, not the 50 % asked" in info.value.message
