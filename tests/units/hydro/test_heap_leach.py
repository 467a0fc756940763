"""The heap_leach unit: recovery from the curve at the cycle time, the solution balance
(evaporation, moisture retained, PLS), element closure in YAML, and bad input."""

from __future__ import annotations

import numpy as np
import pytest

import flowsheet
from flowsheet.errors import SchemaError, UnitRunError
from units.hydro.heap_leach import exponential_recovery, table_recovery
from units.hydro.leach_tank import solution_volume

FLOWSHEET = """
flowsheet: heap
species:
  - {name: tenorite}
  - {name: quartz}
  - {name: water}
  - {name: sulfuric_acid}
  - {name: copper_sulfate}
units:
  ore:  {type: feed, flows: {tenorite: 8, quartz: 992, water: 40}}
  raff: {type: feed, flows: {water: WATER, sulfuric_acid: 30}}
  heap: {type: heap_leach, cycle_days: 90, height: 6 m, bulk_density: 1700,
         evaporation: 0.05, moisture: 0.1, EXTRA
         reactions: [{equation: "CuO + H2SO4 -> CuSO4 + H2O", mineral: tenorite, CURVE}]}
  pls:  {type: product}
  residue: {type: product}
  vent: {type: product}
streams:
  - {from: ore, to: heap.ore}
  - {from: raff, to: heap.solution}
  - {from: heap.pls, to: pls}
  - {from: heap.residue, to: residue}
  - {from: heap.vent, to: vent}
"""

EXPONENTIAL = "ultimate_recovery: 0.85, rate_constant: 0.04"


def load(water=1500.0, extra="", curve=EXPONENTIAL):
    return flowsheet.loads(FLOWSHEET.replace("WATER", str(water)).replace("EXTRA", extra)
                           .replace("CURVE", curve))


def test_heap_balance_and_recovery():
    """Recovery is R_inf (1 - exp(-k t)) at the cycle; 5 % of the irrigation water leaves
    as vapour; the residue holds 10 % solution by mass, of PLS composition; element
    closure < 1e-9; the area follows from tonnage, height and bulk density."""
    res = load().solve()
    assert res.closure.worst < 1e-9
    rep = res.units["heap"]
    assert rep["recovery_tenorite"] == pytest.approx(0.85 * (1 - np.exp(-0.04 * 90)))
    t = res.flowsheet.table
    vent = res.stream("heap.vent->vent")
    assert vent.flows[t.index["water"]] == pytest.approx(0.05 * 1500.0)
    residue = res.stream("heap.residue->residue")
    assert residue.liquids / residue.total == pytest.approx(0.1)
    pls = res.stream("heap.pls->pls")
    liquid = ~t.solid_mask
    assert np.allclose(residue.flows[liquid] / residue.liquids, pls.flows[liquid] / pls.total)
    assert rep["area"] == pytest.approx(24 * 90 * 1000.0 / (6 * 1.7))
    assert rep["pls_flow"] == pytest.approx(solution_volume(pls))
    assert 1.0 < rep["pls_Cu"] < 6.0          # PLS 1-6 g/L Cu (pyro_hydro.md, copper SX)


def test_application_rate_is_checked_against_the_irrigation():
    """A stated application rate that the irrigation does not deliver fails the solve
    naming the key and the flow needed; supplying about that flow passes."""
    with pytest.raises(UnitRunError, match="application_rate") as err:
        load(extra="application_rate: 10,").solve()
    assert "m3/h" in str(err.value)
    area = 24 * 90 * 1000.0 / (6 * 1.7)
    water = 10.0 * area / 1000.0 * 0.997 - 30 * 0.997 / 1.83
    rep = load(water=water, extra="application_rate: 10,").solve().units["heap"]
    assert rep["application_rate"] == pytest.approx(10.0, rel=1e-9)


def test_table_curve():
    """A measured curve is interpolated linearly (0 at day 0, flat after the last point)."""
    res = load(curve="table: [[30, 0.4], [60, 0.6], [120, 0.7]]").solve()
    assert res.units["heap"]["recovery_tenorite"] == pytest.approx(0.65)
    assert table_recovery(200, [30, 60], [0.4, 0.6]) == pytest.approx(0.6)
    assert exponential_recovery(0.0, 0.9, 0.1) == 0.0


def test_too_little_solution_and_short_acid():
    """Too little irrigation to wet the spent ore fails naming 'moisture'; too little acid
    for the curve's recovery fails naming sulfuric_acid."""
    with pytest.raises(UnitRunError, match="moisture"):
        load(water=20.0).solve()
    text = FLOWSHEET.replace("WATER", "1500").replace("sulfuric_acid: 30",
                                                      "sulfuric_acid: 3")
    with pytest.raises(UnitRunError, match="sulfuric_acid"):
        flowsheet.loads(text.replace("EXTRA", "").replace("CURVE", EXPONENTIAL)).solve()


@pytest.mark.parametrize(("curve", "key"), [
    ("table: [[30, 0.6], [60, 0.4]]", "decrease"),
    ("table: [[60, 0.4], [30, 0.6]]", "increasing"),
    ("ultimate_recovery: 0.8", "rate_constant"),
    ("ultimate_recovery: 0.8, rate_constant: 0.1, table: [[1, 0.1]]", "either"),
    ("rate_constant: -1, ultimate_recovery: 0.8", "rate_constant"),
])
def test_bad_curves_are_located(curve, key):
    """A decreasing or unordered table, an incomplete or doubled curve, a negative rate
    constant: one located error naming the unit."""
    with pytest.raises(SchemaError) as err:
        load(curve=curve)
    assert "heap" in str(err.value) and key in str(err.value)
