"""The leach_tank unit: kinetics over the RTD and the size classes, stoichiometric acid
consumption, PLS assay, element closure in a YAML flowsheet, and bad input."""

from __future__ import annotations

import numpy as np
import pytest

import flowsheet
from flowsheet.errors import FlowsheetError, SchemaError, UnitRunError
from flowsheet.sizes import SizeGrid, rosin_rammler
from flowsheet.species import SpeciesTable
from flowsheet.stream import Stream
from flowsheet.unit import Context
from units.hydro.leach_tank import LeachTank, solution_volume
from units.hydro.rtd import segregated_conversion

FLOWSHEET = """
flowsheet: leach-train
species:
  - {name: tenorite}
  - {name: quartz}
  - {name: water}
  - {name: sulfuric_acid}
  - {name: copper_sulfate}
size_grid: {top: 2 mm, bottom: 20 um}
units:
  ore:   {type: feed, flows: {tenorite: 10, quartz: 390, water: 400},
          psd: {model: rosin_rammler, p80: 150 um, m: 1.0}}
  acid:  {type: feed, flows: {sulfuric_acid: ACID, water: 5}}
  mix:   {type: mixer}
  leach: {type: leach_tank, tanks: 4, LEACH
          reactions: [{equation: "CuO + H2SO4 -> CuSO4 + H2O", mineral: tenorite,
                       control: reaction, tau: 6 h, size: 150 um, temperature: 25 degC,
                       activation_energy: 40}]}
  pls:   {type: product}
streams:
  - {from: ore, to: mix}
  - {from: acid, to: mix}
  - {from: mix, to: leach}
  - {from: leach, to: pls}
"""

LEACH = "volume: 400 m3, temperature: 40 degC,"


def load(acid: float = 15.0, leach: str = LEACH):
    return flowsheet.loads(FLOWSHEET.replace("ACID", str(acid)).replace("LEACH", leach))


def test_yaml_train_closes_and_reports():
    """A 4-tank train on a sized ore: element closure < 1e-9; residence time from volume
    and pulp flow; extraction rises tank by tank; acid consumed equals the copper leached
    times M(H2SO4)/M(CuO); the PLS assay is the dissolved copper over the solution volume."""
    res = load().solve()
    assert res.closure.worst < 1e-9
    rep = res.units["leach"]
    feed = res.stream("mix->leach")
    out = res.stream("leach->pls")
    assert rep["residence_time"] == pytest.approx(400.0 / feed.volumetric_flow)
    tanks = [rep[f"extraction_tenorite_tank{k}"] for k in range(1, 5)]
    assert np.all(np.diff(tanks) > 0) and tanks[-1] == rep["extraction_tenorite"]
    leached = 10.0 * rep["extraction_tenorite"]
    t = res.flowsheet.table
    ratio = t["sulfuric_acid"].molar_mass / t["tenorite"].molar_mass
    assert rep["acid_consumed"] == pytest.approx(leached * ratio, rel=1e-12)
    assert rep["acid_per_tonne"] == pytest.approx(1000 * rep["acid_consumed"] / 400.0)
    cu = out.flows[t.index["copper_sulfate"]] * t["copper_sulfate"].elements["Cu"]
    assert rep["pls_Cu"] == pytest.approx(1000 * cu / solution_volume(out))
    assert 5.0 < rep["pls_Cu"] < 25.0
    assert rep["limited"] == ""


def test_coarse_classes_leach_less_and_size_matrix_is_consistent():
    """Each size class has its own tau (reaction control: tau ~ d): the outlet tenorite is
    coarser than the feed's, its size matrix sums to its flow, and class by class the
    unleached fraction equals the segregated-flow conversion at that class's tau."""
    res = load().solve()
    feed, out = res.stream("mix->leach"), res.stream("leach->pls")
    t = res.flowsheet.table
    row = list(t.solid_index).index(t.index["tenorite"])
    assert out.percentile(80, "tenorite") > feed.percentile(80, "tenorite")
    assert out.size_matrix[row].sum() == pytest.approx(out.flows[t.index["tenorite"]],
                                                       rel=1e-12)
    rep = res.units["leach"]
    grid = res.flowsheet.grid
    from units.hydro.kinetics import arrhenius_factor

    tau = 6.0 * grid.midpoints / 150.0 / arrhenius_factor(40_000.0, 40.0, 25.0)
    x = segregated_conversion(tau, 4 * rep["residence_time"], 4, "reaction")
    with np.errstate(invalid="ignore"):
        left = out.size_matrix[row] / feed.size_matrix[row]
    ok = feed.size_matrix[row] > 1e-12
    assert np.allclose(left[ok], 1 - x[ok], atol=1e-10)
    quartz = list(t.solid_index).index(t.index["quartz"])
    assert np.allclose(out.psd[quartz], feed.psd[quartz])


def test_temperature_speeds_leaching_by_arrhenius():
    """40 kJ/mol: leaching at 60 degC extracts more than at 25 degC in the same train."""
    hot = load(leach="residence_time: 1 h, temperature: 60 degC,").solve()
    cold = load(leach="residence_time: 1 h, temperature: 25 degC,").solve()
    assert (hot.units["leach"]["extraction_tenorite"]
            > cold.units["leach"]["extraction_tenorite"] + 0.05)


def test_acid_short_fails_naming_the_reagent():
    """With too little acid the converged solve fails with one line naming sulfuric_acid
    and the unit."""
    with pytest.raises(UnitRunError, match="sulfuric_acid") as err:
        load(acid=5.0).solve()
    assert "leach" in str(err.value)


def test_mixed_control_and_no_grid():
    """Mixed control (tau mapping) runs on a stream without a size grid; a longer tank
    time extracts more; the leachable fraction caps extraction."""
    t = SpeciesTable.from_declarations([{"name": n} for n in
                                        ("tenorite", "water", "sulfuric_acid",
                                         "copper_sulfate")])
    cfg = {"tanks": 2, "residence_time": 1.0, "reactions": [
        {"equation": "CuO + H2SO4 -> CuSO4 + H2O", "mineral": "CuO", "control": "mixed",
         "tau": {"reaction": 2.0, "diffusion": 3.0}, "leachable": 0.9}]}
    feed = Stream(t, [1.0, 50.0, 2.0, 0.0])
    _, short = LeachTank.from_config("a", cfg, Context(t)).run({"in": [feed]})
    cfg["residence_time"] = 50.0
    _, long = LeachTank.from_config("a", cfg, Context(t)).run({"in": [feed]})
    expected = 0.9 * segregated_conversion({"reaction": 2.0, "diffusion": 3.0}, 2.0, 2,
                                           "mixed")
    assert short["extraction_tenorite"] == pytest.approx(expected, rel=1e-12)
    assert short["extraction_tenorite"] < long["extraction_tenorite"] <= 0.9 + 1e-12


def test_solid_product_takes_the_leached_sizes():
    """A solid product (sulfur from covellite by ferric sulfate) takes the size
    distribution of the mineral mass leached, and ferric sulfate is reported consumed."""
    t = SpeciesTable.from_declarations([{"name": n} for n in
                                        ("covellite", "sulfur", "water", "ferric_sulfate",
                                         "ferrous_sulfate", "copper_sulfate")])
    g = SizeGrid.geometric(1000, 20)
    psd = np.zeros((2, g.n_classes))
    psd[0] = rosin_rammler(g, 200.0, 1.0)
    cfg = {"tanks": 3, "residence_time": 4.0, "reactions": [
        {"equation": "CuS + Fe2(SO4)3 -> CuSO4 + 2 FeSO4 + S", "mineral": "covellite",
         "control": "diffusion", "tau": 20.0, "size": 100.0}]}
    unit = LeachTank.from_config("l", cfg, Context(t, g))
    out, rep = unit.run({"in": [Stream(t, [5.0, 0.0, 200.0, 30.0, 0.0, 0.0], psd=psd,
                                       grid=g)]})
    leached = 5.0 * psd[0] - out["out"].size_matrix[0]
    assert np.allclose(out["out"].psd[1], leached / leached.sum())
    assert rep["consumed_ferric_sulfate"] > 0
    assert set(rep) >= {"pls_Cu", "extraction_covellite_tank3"}


@pytest.mark.parametrize(("leach", "key"), [
    ("tanks: 4, residence_time: 0 h,", "residence_time"),
    ("tanks: 4, volume: 0,", "volume"),
    ("residence_time: 1 h,", "tanks"),
])
def test_bad_residence_is_a_located_error(leach, key):
    """Zero residence time, zero volume, a missing or negative tank count: one located
    error naming the unit and the key."""
    text = FLOWSHEET.replace("ACID", "15").replace("tanks: 4, LEACH", leach)
    with pytest.raises(SchemaError) as err:
        flowsheet.loads(text)
    assert "leach" in str(err.value) and key in str(err.value)


@pytest.mark.parametrize(("change", "key"), [
    ({"tanks": -2}, "tanks"),
    ({"volume": 100.0}, "residence_time"),
    ({"temperature": "-300 degC"}, "temperature"),
    ({"reactions": [{"equation": "CuO + H2SO4 -> CuSO4 + H2O", "mineral": "quartz",
                     "tau": 1.0}]}, "reactions.0.mineral"),
    ({"reactions": [{"equation": "CuO + H2SO4 -> CuSO4 + H2O", "mineral": "tenorite",
                     "control": "mixed", "tau": 1.0}]}, "reactions.0"),
])
def test_bad_parameters(change, key):
    """Negative tanks, both volume and residence time, a temperature below 0 K, a mineral
    that is not a reactant, mixed control without a tau mapping: located errors."""
    t = SpeciesTable.from_declarations([{"name": n} for n in
                                        ("tenorite", "quartz", "water", "sulfuric_acid",
                                         "copper_sulfate")])
    cfg = {"tanks": 2, "residence_time": 1.0, "reactions": [
        {"equation": "CuO + H2SO4 -> CuSO4 + H2O", "mineral": "tenorite", "tau": 1.0}]}
    cfg.update(change)
    with pytest.raises(FlowsheetError) as err:
        LeachTank.from_config("leach", cfg, Context(t))
    assert key in str(err.value) and "leach" in str(err.value)


def _sized_unit(temperature=None):
    t = SpeciesTable.from_declarations([{"name": n} for n in
                                        ("tenorite", "quartz", "water", "sulfuric_acid",
                                         "copper_sulfate")])
    g = SizeGrid.geometric(1000, 20)
    psd = np.zeros((2, g.n_classes))
    psd[0] = psd[1] = rosin_rammler(g, 150.0, 1.0)
    cfg = {"tanks": 5, "residence_time": 1.5, "reactions": [
        {"equation": "CuO + H2SO4 -> CuSO4 + H2O", "mineral": "tenorite",
         "control": "reaction", "tau": 6.0, "size": 150.0, "activation_energy": 40}]}
    if temperature is not None:
        cfg["temperature"] = temperature
    unit = LeachTank.from_config("l", cfg, Context(t, g))
    feed = Stream(t, [2.5, 480.0, 600.0, 20.0, 0.0], temperature=35.0, psd=psd, grid=g)
    return unit, feed


def test_repeated_run_reuses_the_conversions_and_gives_the_same_answer():
    """A second run on the same feed (a recycle pass whose temperature and residence time
    did not move) takes the conversions from the unit's cache -- one hit per reaction --
    and its outlet and report are identical to the first run's and to a fresh unit's."""
    unit, feed = _sized_unit()
    first, rep1 = unit.run({"in": [feed]})
    info = unit.conversions.cache_info()
    assert (info.hits, info.misses) == (0, 1)
    again, rep2 = unit.run({"in": [feed.copy_with(flows=feed.flows * 1.3)]})
    assert unit.conversions.cache_info().hits == 1
    second, rep3 = unit.run({"in": [feed]})
    assert unit.conversions.cache_info().hits == 2
    fresh, rep4 = _sized_unit()[0].run({"in": [feed]})
    for out in (second, fresh):
        assert np.array_equal(out["out"].flows, first["out"].flows)
        assert np.array_equal(out["out"].psd, first["out"].psd)
    assert rep3 == rep1 == rep4
    assert rep2["extraction_tenorite"] == pytest.approx(rep1["extraction_tenorite"], rel=1e-14)


def test_cached_conversions_are_the_quadrature_and_read_only():
    """What the cache holds is train_conversion of the class taus, exactly, and cannot be
    changed in place by a caller; a new temperature is a new entry."""
    from units.hydro.rtd import train_conversion

    unit, feed = _sized_unit()
    conv = unit.conversions(0, 1.5, 35.0, True)
    taus = unit._class_taus(unit.params.reactions[0], unit.context.grid.midpoints, 35.0)
    assert np.array_equal(conv, train_conversion(taus, 1.5, 5, "reaction"))
    assert conv.shape == (unit.context.grid.n_classes, 5)
    with pytest.raises(ValueError):
        conv[0, 0] = 0.0
    assert not np.array_equal(unit.conversions(0, 1.5, 45.0, True), conv)
    assert unit.conversions.cache_info().misses == 2
