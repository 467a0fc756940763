"""The ``sabc_circuit`` unit: capacity report, pass-through balance, product size
distribution, F80 from the inlet, and one located message per bad parameter.

Plant figures: the seed plant of Mining 5(3) (2025) 37 (doi:10.3390/mining5030037):
SAG 24,000 kW installed, 21,507 kW used; ball mills 32,800 kW, 15,150 + 14,934 kW used;
F80 71,273 um; P80 229 um; TPHmax 4,058 t/h; T80max 19,783 um.
"""

from __future__ import annotations

import numpy as np
import pytest

import flowsheet
from flowsheet.errors import SchemaError, UnitRunError
from flowsheet.sizes import rosin_rammler
from units.comminution.sabc import sabc_throughput

#: A flowsheet with one circuit; {grid}, {psd}, {circuit} are filled in by each test.
TEMPLATE = """\
flowsheet: sabc-test
species:
  - {{name: ore, phase: solid, density: 2700, assay: {{Cu: 0.6}}}}
  - {{name: water}}
{grid}units:
  mine: {{type: feed, flows: {{ore: {ore}, water: 1500}}{psd}}}
  circuit:
    type: sabc_circuit
{circuit}
  product: {{type: product}}
streams:
  - {{from: mine, to: circuit}}
  - {{from: circuit, to: product}}
"""

CIRCUIT = """\
    model: smc_bwi
    hardness: {mia: 22, bwi: 15}
    sag: {installed_power: 24 MW, power_use: 0.896125}
    ball: {installed_power: 32.8 MW, power_use: 0.917195}
    f80: 71273 um
    p80: 229 um
    tph_max: 4058 t/h
    t80_max: 19783 um
    k1: 0.95"""


def text(circuit: str = CIRCUIT, *, grid: bool = False, ore: float = 3500.0,
         psd: str = "") -> str:
    return TEMPLATE.format(grid="size_grid: {top: 256 mm, bottom: 20 um}\n" if grid else "",
                           psd=psd, ore=ore, circuit=circuit)


def test_example_reports_the_seed_plant_capacity(example, plant):
    """The example (seed plant, Mia 22, BWi 15) solves and closes; its report is
    sabc_throughput's: 3,948 t/h, T80 4,284 um, P80 229 um, limited by the ball mills,
    both stages drawing the power used at the plant (21,507 and 30,084 kW)."""
    res = flowsheet.load(example).solve()
    assert res.closure.worst < 1e-9
    report = res.units["circuit"]
    want = sabc_throughput("smc_bwi", mia=22.0, bwi=15.0, **plant)
    assert report["capacity_tph"] == pytest.approx(want.tph, rel=1e-12)
    assert round(report["capacity_tph"]) == 3948 and report["limit"] == "ball"
    assert round(report["t80"]) == 4284 and report["p80"] == pytest.approx(229.0)
    assert report["sag_kw"] == pytest.approx(21507.0, rel=1e-6)
    assert report["ball_kw"] == pytest.approx(15150.0 + 14934.0, rel=1e-6)
    assert report["se_sag"] == pytest.approx(want.se_sag)
    assert report["se_ball"] == pytest.approx(want.se_ball)
    assert report["utilisation"] == pytest.approx(3700.0 / want.tph)
    feed, out = res.stream("mine->circuit"), res.stream("circuit->product")
    assert np.array_equal(out.flows, feed.flows)


def test_outlet_distribution_is_rosin_rammler_at_p80():
    """With a size grid, every solid leaves with a Rosin-Rammler distribution at the
    computed P80 and the given spread m (0.7 here)."""
    fs = flowsheet.loads(text(CIRCUIT + "\n    m: 0.7", grid=True,
                              psd=", psd: {model: rosin_rammler, p80: 71273 um, m: 0.8}"))
    res = fs.solve()
    out = res.stream("circuit->product")
    expected = rosin_rammler(fs.grid, res.units["circuit"]["p80"], 0.7)
    assert np.allclose(out.size_distribution("ore"), expected, atol=1e-15)
    assert out.p80 == pytest.approx(229.0, rel=0.015)  # grid interpolation, sizes.py


def test_f80_from_the_inlet(plant):
    """Without 'f80' the circuit takes the F80 of its inlet's solids (read off the size
    grid) and computes the capacity there."""
    circuit = CIRCUIT.replace("    f80: 71273 um\n", "")
    fs = flowsheet.loads(text(circuit, grid=True,
                              psd=", psd: {model: rosin_rammler, p80: 90 mm, m: 0.8}"))
    res = fs.solve()
    report = res.units["circuit"]
    f80 = res.stream("mine->circuit").p80
    assert report["f80"] == pytest.approx(f80) and 85_000 < f80 < 95_000
    want = sabc_throughput("smc_bwi", mia=22.0, bwi=15.0, **{**plant, "f80": f80})
    assert report["capacity_tph"] == pytest.approx(want.tph, rel=1e-12)


def test_without_f80_or_grid_the_file_is_refused():
    """No 'f80' and no size grid: the inlet's F80 cannot be known."""
    circuit = CIRCUIT.replace("    f80: 71273 um\n", "")
    with pytest.raises(SchemaError, match="needs 'f80'") as info:
        flowsheet.loads(text(circuit), "plant.yaml")
    assert info.value.location.unit == "circuit"


def test_inlet_without_solids_cannot_give_f80():
    """F80 from an inlet that carries no solids: an error naming the unit, not NaN."""
    circuit = CIRCUIT.replace("    f80: 71273 um\n", "")
    fs = flowsheet.loads(text(circuit, grid=True, ore=0.0))
    with pytest.raises(UnitRunError, match="no solids"):
        fs.solve()


def test_overfed_circuit_fails_with_feed_and_capacity():
    """Feed above capacity is an error of the converged solve naming the feed, the
    capacity and what limits it; the unit run alone (a design spec's trial) reports
    utilisation > 1 with mass conserved."""
    fs = flowsheet.loads(text(ore=5000.0))
    with pytest.raises(UnitRunError) as info:
        fs.solve()
    err = info.value
    assert err.location.unit == "circuit"
    assert "5,000 t/h" in err.message and "3,948 t/h" in err.message
    assert "ball mills" in err.message
    unit = fs.units["circuit"]
    feed = fs.units["mine"].source()
    outlets, report = unit.run({"in": [feed]})
    assert report["utilisation"] == pytest.approx(5000.0 / report["capacity_tph"])
    assert report["utilisation"] > 1
    assert outlets["out"].total == pytest.approx(feed.total, rel=1e-12)


def test_dwi_from_axb_and_density(plant):
    """The drop-weight model takes DWi = 100 SG / (A*b) when only A*b and density are
    given (Morrell 2004): A*b 40 and 2.7 t/m3 give DWi 6.75 kWh/m3."""
    circuit = CIRCUIT.replace("model: smc_bwi", "model: dwi_bwi").replace(
        "{mia: 22, bwi: 15}", "{axb: 40, density: 2.7 t/m3, bwi: 15}")
    res = flowsheet.loads(text(circuit, ore=2000.0)).solve()   # capacity 2,359 t/h
    want = sabc_throughput("dwi_bwi", dwi=6.75, bwi=15.0, **plant)
    assert res.units["circuit"]["capacity_tph"] == pytest.approx(want.tph, rel=1e-12)


def test_sgi_model_and_its_constants(plant):
    """The SGI model with its constants in 'sgi_law' and a SAG energy 'scale'."""
    circuit = CIRCUIT.replace("model: smc_bwi", "model: sgi_bwi").replace(
        "{mia: 22, bwi: 15}", "{sgi: 120, bwi: 15}") + "\n    sgi_law: {k: 5.0, n: 0.6}" \
        + "\n    scale: 1.1"
    res = flowsheet.loads(text(circuit)).solve()
    want = sabc_throughput("sgi_bwi", sgi=120.0, bwi=15.0,
                           **{**plant, "sgi_k": 5.0, "sgi_n": 0.6, "scale": 1.1})
    assert res.units["circuit"]["capacity_tph"] == pytest.approx(want.tph, rel=1e-12)


@pytest.mark.parametrize(("old", "new", "key", "words"), [
    ("power_use: 0.896125", "power_use: 1.2", "sag.power_use",
     "must be above 0, at most 1 (typical 0.85-0.95), got 1.2"),
    ("power_use: 0.917195", "power_use: 0", "ball.power_use",
     "must be above 0, at most 1 (typical 0.85-0.95), got 0"),
    ("f80: 71273 um\n    p80: 229 um", "f80: 2 mm\n    p80: 3 mm", "p80",
     "'p80' (3000 um) must be smaller than 'f80' (2000 um)"),
    ("p80: 229 um", "p80: 1e-300", "p80", "must be 5-5000 um (typical 75-300), got 1e-300 um"),
    ("t80_max: 19783 um", "t80_max: 200 um", "t80_max",
     "'t80_max' (200 um) must be larger than 'p80' (229 um)"),
    ("{mia: 22, bwi: 15}", "{mia: 22, bwi: -3}", "hardness.bwi",
     "must be 1-80 kWh/t (typical 7-25), got -3 kWh/t"),
    ("{mia: 22, bwi: 15}", "{mia: 0, bwi: 15}", "hardness.mia",
     "must be 1-100 kWh/t (typical 5-35), got 0 kWh/t"),
    ("{mia: 22, bwi: 15}", "{bwi: 15}", "hardness",
     "'hardness' lacks mia: the smc_bwi model needs mia or axb, and bwi"),
    ("{mia: 22, bwi: 15}", "{mia: 22, mib: 15}", "hardness",
     "'hardness' lacks bwi: the smc_bwi model needs mia or axb, and bwi"),
    ("{mia: 22, bwi: 15}", "{mia: 22, bwi: 15, density: 2.7}", "hardness.density",
     "must be 1000-10000 kg/m3 (typical 2500-4500), got 2.7 kg/m3 (write '2.7 t/m3' "
     "or 2700)"),
    ("installed_power: 24 MW", "installed_power: 24 kg", "sag.installed_power",
     "expected a power in kW (e.g. '24 MW'), got '24 kg' (a mass)"),
    ("model: smc_bwi", "model: smc", "model", "must be 'dwi_bwi', 'smc_bwi' or 'sgi_bwi'"),
])
def test_bad_parameters_give_one_located_line(old, new, key, words):
    """Each bad parameter gives one line naming the file, line, unit and key."""
    bad = text(CIRCUIT.replace(old, new))
    with pytest.raises(SchemaError) as info:
        flowsheet.loads(bad, "plant.yaml")
    err = info.value
    assert words in err.message
    assert err.location.unit == "circuit" and err.location.key == key
    assert str(err).startswith("plant.yaml:") and "\n" not in str(err)
    line = next(i for i, row in enumerate(bad.splitlines(), 1)
                if key.split(".")[0] + ":" in row and "circuit" not in row)
    assert err.location.line == line


def test_model_needs_dwi_or_axb_with_density():
    """The drop-weight model without DWi, nor A*b with density, is refused in words."""
    circuit = CIRCUIT.replace("model: smc_bwi", "model: dwi_bwi").replace(
        "{mia: 22, bwi: 15}", "{axb: 40, bwi: 15}")
    with pytest.raises(SchemaError, match=r"the dwi_bwi model needs dwi \(or axb and "
                                          r"density\), and bwi"):
        flowsheet.loads(text(circuit))
