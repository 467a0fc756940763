"""The trapped-species check: a species with no way out of a recycle is refused at load;
one that reacts away inside the recycle is not trapped."""

from __future__ import annotations

import pytest

import flowsheet

LOOP = """
flowsheet: steam-loop
species: [{name: water}, {name: steam}, {name: quartz}]
units:
  f: {type: feed, flows: {water: 5, quartz: 10}}
  m: {type: mixer}
  dry: {type: stoichiometric_reactor,
        reactions: [{equation: "water -> steam", key: water, conversion: CONVERSION}]}
  s: {type: separator, outlets: [back, out], split: {steam: 0.5, water: WATER_BACK}}
  p: {type: product}
streams:
  - {from: f, to: m}
  - {from: m, to: dry}
  - {from: dry, to: s}
  - {from: s.back, to: m}
  - {from: s.out, to: p}
"""


def text(conversion: float, water_back: float) -> str:
    return LOOP.replace("CONVERSION", str(conversion)).replace("WATER_BACK", str(water_back))


def test_a_species_consumed_in_the_recycle_is_not_trapped():
    """Water that the dryer turns wholly into steam never needs a way out of the loop:
    the file loads and solves, and all the water fed leaves as steam."""
    res = flowsheet.loads(text(1.0, 1.0)).solve()
    assert res.closure.worst < 1e-9
    assert res.value("p.in.flows.steam") == pytest.approx(5.0)


def test_a_species_with_no_way_out_is_still_refused():
    """Without the reaction, water sent wholly back has nowhere to go: refused at load,
    naming the species."""
    with pytest.raises(flowsheet.TopologyError, match="species 'water'"):
        flowsheet.loads(text(0.0, 1.0))
