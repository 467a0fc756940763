"""Design specifications: vary parameters until solution quantities meet targets."""

import pytest

import flowsheet
from flowsheet.elements import molar_mass
from flowsheet.errors import DesignSpecError

BASE = """
flowsheet: spec
species: [{name: water}, {name: quartz}]
units:
  feed:  {type: feed, flows: {water: 10, quartz: 5}}
  extra: {type: feed, flows: {water: 1}}
  mix:   {type: mixer}
  sep:   {type: separator, outlets: [under, over], split: {quartz: 0.9, water: 0.3}}
  back:  {type: splitter, fractions: {recycle: 0.5, purge: 0.5}}
  under: {type: product}
  purge: {type: product}
streams:
  - {from: feed, to: mix}
  - {from: extra, to: mix}
  - {from: back.recycle, to: mix}
  - {from: mix, to: sep}
  - {from: sep.under, to: under}
  - {from: sep.over, to: back}
  - {from: back.purge, to: purge}
"""


def with_specs(specs: str) -> flowsheet.model.Flowsheet:
    return flowsheet.loads(BASE + "specs:\n" + specs, "spec.yaml")


def test_scalar_spec_bracketed():
    """Water in the underflow is 0.3 x / (1 - 0.35) of the water fed (x = feed water + 1):
    for 6 t/h, feed water = 6 x 0.65 / 0.3 - 1 = 12.0 t/h."""
    fs = with_specs("  - {vary: feed.flows.water, until: under.in.flows.water, equals: 6 t/h,"
                    " bounds: [1, 50]}\n")
    res = fs.solve()
    spec = res.convergence.specs[0]
    assert spec["vary"]["feed.flows.water"] == pytest.approx(12.0, rel=1e-9)
    assert res.value("under.in.flows.water") == pytest.approx(6.0, rel=1e-9)
    assert res.closure.worst < 1e-12


def test_scalar_spec_without_bounds_uses_secant():
    """Without bounds the secant method finds the same answer."""
    fs = with_specs("  - {vary: feed.flows.water, until: under.in.flows.water, equals: 6}\n")
    res = fs.solve()
    assert res.convergence.specs[0]["vary"]["feed.flows.water"] == pytest.approx(12.0,
                                                                                 rel=1e-8)


def test_vector_spec_newton():
    """Two targets, two parameters: quartz and water fed so that the underflow carries
    9 t/h of quartz (0.9 q / (1 - 0.05), the rest recycling at 0.1 x 0.5) and 6 t/h of
    water -> q = 9.5, water = 12."""
    fs = with_specs("  - {vary: [feed.flows.quartz, feed.flows.water],"
                    " until: [under.in.flows.quartz, under.in.flows.water],"
                    " equals: [9, 6], bounds: [[1, 50], [1, 50]]}\n")
    res = fs.solve()
    values = res.convergence.specs[0]["vary"]
    assert values["feed.flows.quartz"] == pytest.approx(9.5, rel=1e-8)
    assert values["feed.flows.water"] == pytest.approx(12.0, rel=1e-8)


def test_infeasible_spec_fails_with_report():
    """A target outside what the bounds can reach raises DesignSpecError naming both ends;
    no result is returned."""
    fs = with_specs("  - {vary: feed.flows.water, until: under.in.flows.water, equals: 600,"
                    " bounds: [1, 50]}\n")
    with pytest.raises(DesignSpecError) as info:
        fs.solve()
    msg = str(info.value)
    assert msg.startswith("spec.yaml:")
    assert "infeasible" in msg and "600" in msg
    assert info.value.report["tried"]


def test_spec_on_unit_report_value():
    """A spec may target a unit's report: the extent of a reaction."""
    text = """
flowsheet: r
species: [{name: sphalerite}, {name: oxygen}, {name: zincite}, {name: sulfur_dioxide}]
units:
  conc: {type: feed, flows: {sphalerite: 97.474, oxygen: 80}}
  roast: {type: stoichiometric_reactor, reactions: [{equation: "2 ZnS + 3 O2 -> 2 ZnO + 2 SO2",
          key: sphalerite, conversion: 0.5}]}
  out: {type: product}
streams: [{from: conc, to: roast}, {from: roast, to: out}]
specs:
  - {vary: roast.reactions.0.conversion, until: roast.extent_0, equals: 0.45, bounds: [0, 1]}
"""
    res = flowsheet.loads(text).solve()
    # extent (kmol/h) = X n_ZnS / 2 with n_ZnS = 97.474 t/h / M(ZnS)
    n_zns = 97.474 / molar_mass("ZnS")
    assert res.convergence.specs[0]["vary"]["roast.reactions.0.conversion"] == pytest.approx(
        0.9 / n_zns, rel=1e-9)
