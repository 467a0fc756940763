"""High-pressure rolls by the population balance of a compressed bed: pre-crushing above
the critical size, energy-normalised grinding below it (Herbst and Fuerstenau 1980;
Torres and Casali 2009), and the edge effect."""

from __future__ import annotations

import numpy as np
import pytest

from flowsheet.errors import SchemaError, UnitRunError
from flowsheet.sizes import SizeGrid, p80, rosin_rammler
from flowsheet.species import SpeciesTable
from flowsheet.stream import Stream
from flowsheet.unit import Context
from units.comminution.breakage import austin_breakage_matrix, batch_grinding
from units.comminution.compression import bed_compression_product, edge_and_centre_energy
from units.comminution.hpgr import Hpgr

TABLE = SpeciesTable.from_declarations([{"name": "water"}, {"name": "quartz"},
                                        {"name": "chalcopyrite"}])
GRID = SizeGrid.default()
CTX = Context(TABLE, GRID)
SELECTION = {"default": {"se": 0.8, "alpha": 0.9, "mu": "30 mm", "lam": 2.5},
             "chalcopyrite": {"se": 1.6}}
BASE = {"model": "population_balance", "selection": SELECTION, "critical_size": "16 mm"}


def feed(solids: float = 400.0, f80: float = 35_000.0) -> Stream:
    psd = rosin_rammler(GRID, np.array([f80, 0.8 * f80]), 1.0)
    return Stream(TABLE, [40.0, solids, 0.03 * solids], 20.0, psd, GRID)


def run(config: dict, stream: Stream):
    outlets, report = Hpgr.from_config("rolls", config, CTX).run({"in": [stream]})
    return outlets["out"], report


def test_top_size_decays_by_the_energy_normalised_first_order_law():
    """With one top size below the critical size and no edge effect, the top class left
    after specific energy E is exp(-S1E E): the Herbst-Fuerstenau energy-normalised
    first-order law (Int. J. Miner. Process. 7 (1980) 1)."""
    b = austin_breakage_matrix(GRID, 0.5, 1.0, 3.5)
    s = np.linspace(0.9, 0.1, GRID.n_classes)
    w0 = np.zeros(GRID.n_classes)
    w0[3] = 1.0
    for energy in (0.5, 1.0, 2.5):
        out = bed_compression_product(w0, GRID, s, b, energy, critical_size=1e7)
        assert out[3] == pytest.approx(np.exp(-s[3] * energy), rel=1e-12)
        assert out.sum() == pytest.approx(1.0, abs=1e-12)


def test_compression_zone_is_batch_grinding_in_energy():
    """Below the critical size the bed product equals batch grinding with the specific
    energy in place of time (plug flow in the gap)."""
    b = austin_breakage_matrix(GRID, 0.5, 1.0, 3.5)
    s = np.linspace(0.9, 0.1, GRID.n_classes)
    w0 = rosin_rammler(GRID, 3000.0, 1.2)
    out = bed_compression_product(w0, GRID, s, b, 1.7, critical_size=1e7)
    assert np.allclose(out, batch_grinding(w0, s, b, 1.7), atol=1e-14)


def test_nothing_coarser_than_the_critical_size_reaches_the_bed():
    """Pre-crushing breaks every particle coarser than the critical size: at zero energy
    the product holds nothing above it, and what was finer is unchanged or enriched."""
    b = austin_breakage_matrix(GRID, 0.5, 1.0, 3.5)
    w0 = rosin_rammler(GRID, 40_000.0, 1.0)
    out = bed_compression_product(w0, GRID, np.full(GRID.n_classes, 0.5), b, 0.0,
                                  critical_size=10_000.0)
    coarse = GRID.midpoints > 10_000.0
    assert out[coarse].sum() == 0.0
    assert np.all(out[~coarse] >= w0[~coarse] - 1e-15)
    assert out.sum() == pytest.approx(1.0, abs=1e-12)


def test_edge_effect_keeps_the_mean_energy_and_coarsens_the_product():
    """The edge and centre energies average to the mean; with part of the feed at the
    edges receiving less energy the product is coarser than without an edge effect."""
    e, c = edge_and_centre_energy(np.array([1.0, 3.0]), 0.2, 0.4)
    assert np.allclose(0.2 * e + 0.8 * c, [1.0, 3.0])
    plain, _ = run({**BASE, "power": 800}, feed())
    edged, _ = run({**BASE, "power": 800, "edge_fraction": 0.2, "edge_energy": 0.3}, feed())
    assert p80(GRID, edged.size_distribution()) > p80(GRID, plain.size_distribution())


def test_product_depends_on_specific_energy_only():
    """Herbst and Fuerstenau's scale-up principle: twice the power on twice the feed gives
    the same product."""
    small, r1 = run({**BASE, "power": 600}, feed(300.0))
    large, r2 = run({**BASE, "power": 1200}, feed(600.0))
    assert r1["specific_energy"] == pytest.approx(r2["specific_energy"])
    assert np.allclose(small.psd, large.psd, atol=1e-13)


def test_target_p80_finds_the_energy_and_round_trips():
    """Given a P80 the specific energy that reaches it is found; running with the power
    found gives that P80 back, and each mineral's flow passes unchanged."""
    stream = feed()
    out, report = run({**BASE, "p80": "5 mm"}, stream)
    assert report["p80"] == pytest.approx(5000.0, rel=1e-6)
    again, report2 = run({**BASE, "power": report["power"]}, stream)
    assert report2["p80"] == pytest.approx(5000.0, rel=1e-6)
    assert np.array_equal(out.flows, stream.flows)
    assert report["specific_energy"] > 0


def test_softer_mineral_reports_finer():
    """A mineral with a faster rate of breakage leaves finer than the host rock."""
    out, _ = run({**BASE, "power": 800}, feed())
    quartz, sulfide = (p80(GRID, row) for row in out.psd)
    assert sulfide < quartz


def test_unreachable_target_is_a_located_error():
    """A P80 the rates cannot reach within 50 kWh/t is refused, naming the unit."""
    slow = {"default": {"se": 1e-4, "alpha": 0.5}}
    with pytest.raises(UnitRunError, match="not reached") as err:
        run({**BASE, "selection": slow, "critical_size": "60 mm", "p80": "100 um"}, feed())
    assert err.value.location.unit == "rolls"


@pytest.mark.parametrize(("change", "words"), [
    ({"critical_size": None}, "needs 'critical_size'"),
    ({"selection": None}, "needs 'selection'"),
    ({"power": 800, "p80": "5 mm"}, "got both"),
    ({"edge_fraction": 1.0}, "edge_fraction"),
])
def test_bad_population_balance_parameters(change, words):
    """Missing or contradictory parameters of the population balance are one located
    error each."""
    config = {**BASE, "power": 800, **change}
    config = {k: v for k, v in config.items() if v is not None}
    with pytest.raises(SchemaError, match=words):
        Hpgr.from_config("rolls", config, CTX)


def test_energy_model_refuses_population_balance_keys():
    """'critical_size' belongs to the population balance; an energy model refuses it."""
    with pytest.raises(SchemaError, match="population_balance"):
        Hpgr.from_config("rolls", {"model": "morrell", "mih": 18, "p80": 6000,
                                   "critical_size": 20000}, CTX)
