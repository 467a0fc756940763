"""The SABC example solved mineral by size: balance closure, circulating load, product
size, and size distributions that make physical sense from stream to stream."""

from pathlib import Path

import pytest

import flowsheet

EXAMPLE = Path(__file__).parents[2] / "examples" / "sabc_circuit.yaml"


@pytest.fixture(scope="module")
def solved():
    return flowsheet.load(EXAMPLE).solve()


def test_balance_closes_and_recycles_converge(solved):
    """Mass and every element close below 1e-9; both recycles (SAG-pebble crusher and
    ball mill-cyclones) converge with the default Wegstein method."""
    assert solved.closure.worst < 1e-9
    assert solved.convergence.converged
    assert len(solved.convergence.blocks) == 2
    assert all(b["iterations"] < 200 for b in solved.convergence.blocks)


def test_circulating_load_and_product_size(solved):
    """Ball-mill circulating load (underflow / new feed solids) of 150-400 % and a
    cyclone overflow P80 of 100-300 um, as in SABC practice; the cyclone's own report of
    underflow over overflow solids equals it at steady state."""
    new_feed = solved.stream("mine->sag_feed").solids
    underflow = solved.stream("cyclones.underflow->ball").solids
    load = 100.0 * underflow / new_feed
    assert 150.0 < load < 400.0
    assert solved.units["cyclones"]["circulating_load"] * 100.0 == pytest.approx(load,
                                                                                 rel=1e-8)
    assert 100.0 < solved.stream("cyclones.overflow->product").p80 < 300.0
    pebbles = solved.stream("discharge_screen.oversize->pebbles").solids
    assert 0.05 < pebbles / new_feed < 0.4


def test_size_distributions_make_physical_sense(solved):
    """SAG product finer than its feed, pebble-crusher product finer than the pebbles,
    ball-mill product finer than its feed, cyclone overflow the finest stream of all and
    the underflow coarser than the overflow."""
    p80 = {c.name: solved.stream(c.name).p80 for c in solved.flowsheet.connections
           if solved.stream(c.name).solids > 0}
    assert p80["sag->discharge_screen"] < p80["sag_feed->sag"] < p80["mine->sag_feed"]
    assert p80["pebbles->sag_feed"] < p80["discharge_screen.oversize->pebbles"]
    assert p80["ball->sump"] < p80["cyclones.underflow->ball"]
    assert p80["cyclones.overflow->product"] == min(p80.values())
    assert p80["cyclones.underflow->ball"] > p80["sump->cyclones"]


def test_dense_mineral_is_ground_finer(solved):
    """Chalcopyrite is cut finer by the cyclones and breaks faster in the ball mill, so it
    leaves in the overflow finer than the quartz and is concentrated in the underflow."""
    overflow = solved.stream("cyclones.overflow->product")
    assert overflow.percentile(80, "chalcopyrite") < overflow.percentile(80, "quartz")
    under = solved.stream("cyclones.underflow->ball")
    fresh = solved.stream("mine->sag_feed")
    grade = lambda s: s.get("chalcopyrite") / s.solids  # noqa: E731
    assert grade(under) > grade(fresh)
