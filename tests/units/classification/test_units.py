"""Classifying units: the hydrocyclone cluster, screens and trommels -- mass balance,
Plitt's model as the unit uses it, mineral-by-mineral separation and bad inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest

import flowsheet
from flowsheet.errors import SchemaError
from flowsheet.quantities import unit_registry
from flowsheet.sizes import SizeGrid, rosin_rammler
from flowsheet.species import SpeciesTable
from flowsheet.stream import Stream
from flowsheet.unit import Context
from units.classification.efficiency import whiten_efficiency
from units.classification.hydrocyclone import Hydrocyclone, whiten_alpha_from_plitt
from units.classification.plitt import flow_per_cyclone, plitt_cyclone
from units.classification.screening import Screen, Trommel
from units.classification.screens import screen_partition

TABLE = SpeciesTable.from_declarations([{"name": "water"}, {"name": "quartz"},
                                        {"name": "chalcopyrite"},
                                        {"name": "copper_sulfate"}])
GRID = SizeGrid.geometric(64_000, 10)
CTX = Context(TABLE, GRID)

#: A 26-inch cyclone, dimensions in m.
CYCLONE = {"count": 4, "diameter": "26 in", "inlet": 0.18, "vortex_finder": 0.25,
           "apex": 0.15, "height": 1.8}


def pulp(p80_um: float = 400.0, water: float = 900.0, quartz: float = 600.0,
         sulfide: float = 60.0) -> Stream:
    """A cyclone feed: both minerals with the same size distribution."""
    psd = np.repeat(rosin_rammler(GRID, p80_um, 1.0)[None, :], 2, axis=0)
    return Stream(TABLE, [water, quartz, sulfide, 3.0], 35.0, psd, GRID)


def cyclone(**changes):
    return Hydrocyclone.from_config("cyc", {**CYCLONE, **changes}, CTX)


def test_cyclone_conserves_every_species():
    """Underflow plus overflow is the feed, species by species and size class by size
    class; the temperature passes."""
    feed = pulp()
    out, _ = cyclone().run({"in": [feed]})
    u, o = out["underflow"], out["overflow"]
    assert np.allclose(u.flows + o.flows, feed.flows, rtol=1e-14, atol=0)
    assert np.allclose(u.size_matrix + o.size_matrix, feed.size_matrix, rtol=1e-12,
                       atol=1e-12)
    assert u.temperature == o.temperature == feed.temperature


def test_cyclone_cut_size_is_plitts():
    """For one mineral the unit's d50c, pressure and split are exactly what
    plitt_cyclone gives for the cluster's flow per cyclone, % solids and solids density;
    the flow per cyclone is reported in m3/h (Plitt's L/min converted by pint)."""
    feed = pulp(sulfide=0.0)
    _, report = cyclone().run({"in": [feed]})
    q = flow_per_cyclone(feed.volumetric_flow, 4)
    r = plitt_cyclone(dc=26 * 2.54, di=18.0, do=25.0, du=15.0, h=180.0, q=q,
                      solids_pct_w=feed.percent_solids, rho_s=2.65)
    litres_per_minute = unit_registry().Quantity(float(q), "L/min").to("m**3/h").magnitude
    assert report["flow_per_cyclone"] == pytest.approx(litres_per_minute, rel=1e-12)
    assert cyclone().report_units["flow_per_cyclone"] == "m3/h"  # as results.json says
    assert report["d50c"] == pytest.approx(float(r.d50c_um), rel=1e-9)
    assert report["d50c_quartz"] == pytest.approx(float(r.d50c_um), rel=1e-9)
    assert report["pressure"] == pytest.approx(float(r.pressure_kpa), rel=1e-9)
    assert report["rv"] == pytest.approx(float(r.rv), rel=1e-9)
    assert report["alpha"] == pytest.approx(whiten_alpha_from_plitt(float(r.sharpness_m)))


def test_dense_mineral_reports_more_to_the_underflow():
    """Chalcopyrite (4.18 t/m3) and quartz (2.65 t/m3) of the same sizes: the sulfide's
    cut is finer by Plitt's (rho_s - 1)^-0.5 at the same pulp, so more of it reports to
    the underflow."""
    feed = pulp()
    out, report = cyclone().run({"in": [feed]})
    u = out["underflow"].flows
    recovery = u[1:3] / feed.flows[1:3]
    assert recovery[1] > recovery[0] + 0.05
    ratio = report["d50c_chalcopyrite"] / report["d50c_quartz"]
    assert ratio == pytest.approx(math.sqrt((2.65 - 1.0) / (4.18 - 1.0)), rel=1e-9)


def test_water_split_and_bypass_follow_plitts_volume_split():
    """Water and dissolved species go to the underflow in the fraction Rv; the finest
    class goes there in about that fraction too (the bypass of Whiten's curve)."""
    feed = pulp()
    out, report = cyclone().run({"in": [feed]})
    rv = report["rv"]
    assert out["underflow"].flows[0] == pytest.approx(rv * feed.flows[0], rel=1e-12)
    assert out["underflow"].flows[3] == pytest.approx(rv * feed.flows[3], rel=1e-12)
    fine = out["underflow"].size_matrix[:, -1] / feed.size_matrix[:, -1]
    assert fine == pytest.approx([rv, rv], abs=0.01)
    forced, report = cyclone(water_recovery=0.4).run({"in": [feed]})
    assert forced["underflow"].flows[0] == pytest.approx(0.4 * feed.flows[0], rel=1e-12)
    assert report["water_recovery"] == 0.4


def test_cyclone_partition_is_whitens_curve():
    """Each class's recovery to the underflow is Whiten's efficiency at the class
    midpoint with the species' d50c, the sharpness and a bypass equal to Rv."""
    feed = pulp()
    out, r = cyclone(alpha=4.0).run({"in": [feed]})
    ok = feed.size_matrix[0] > 1e-9
    got = out["underflow"].size_matrix[0][ok] / feed.size_matrix[0][ok]
    want = whiten_efficiency(GRID.midpoints, r["d50c_quartz"], 4.0, bypass=r["rv"])[ok]
    assert got == pytest.approx(want, rel=1e-9)


def test_circulating_load_and_overflow_fineness():
    """The report's circulating load is underflow over overflow solids; the overflow is
    finer than the feed and the underflow coarser."""
    feed = pulp()
    out, r = cyclone().run({"in": [feed]})
    assert r["circulating_load"] == pytest.approx(out["underflow"].solids /
                                                  out["overflow"].solids)
    assert out["overflow"].p80 < feed.p80 < out["underflow"].p80


def test_more_cyclones_cut_coarser():
    """Spreading the flow over more cyclones lowers the flow of each, the pressure and,
    by Plitt's Q^-0.45, coarsens the cut."""
    feed = pulp()
    few = cyclone(count=3).run({"in": [feed]})[1]
    many = cyclone(count=6).run({"in": [feed]})[1]
    assert many["d50c"] > few["d50c"] and many["pressure"] < few["pressure"]
    assert many["d50c"] / few["d50c"] == pytest.approx(2 ** 0.45, rel=1e-9)


def test_empty_feed_gives_empty_products():
    """Nothing in, nothing out (a recycle's first pass)."""
    empty = Stream.empty(TABLE, GRID)
    out, _ = cyclone().run({"in": [empty]})
    assert out["underflow"].total == out["overflow"].total == 0.0


def test_alpha_from_plitt_grows_with_m():
    """The Whiten sharpness matched to Plitt's m grows with m and tends to 4 ln2/2 m."""
    alphas = [whiten_alpha_from_plitt(m) for m in (1.0, 2.0, 4.0, 8.0)]
    assert alphas == sorted(alphas)
    assert alphas[-1] == pytest.approx(2 * math.log(2) * 8.0, rel=1e-3)
    assert whiten_alpha_from_plitt(0.5) == 1e-3


# -- screens ------------------------------------------------------------------------------

def test_screen_conserves_and_cuts_at_the_aperture():
    """Oversize plus undersize is the feed; the efficiency curve sends half of the d50
    class each way; water follows ``water_split``."""
    feed = pulp(p80_um=15_000.0)
    deck = Screen.from_config("s", {"aperture": "10 mm", "water_split": 0.1}, CTX)
    out, r = deck.run({"in": [feed]})
    over, under = out["oversize"], out["undersize"]
    assert np.allclose(over.flows + under.flows, feed.flows, rtol=1e-14, atol=0)
    assert over.flows[0] == pytest.approx(0.1 * feed.flows[0])
    assert r["d50"] == 9000.0
    assert under.p80 < 10_000.0 < over.p80
    assert 0.9 < r["undersize_recovery"] <= 1.0


def test_probability_screen_is_gaudins_partition():
    """With ``model: probability`` each class goes to the oversize by Gaudin's passage
    probability over the trials."""
    feed = pulp(p80_um=15_000.0)
    deck = Screen.from_config("s", {"aperture": "10 mm", "model": "probability",
                                    "trials": 12, "wire": "2 mm"}, CTX)
    out, _ = deck.run({"in": [feed]})
    ok = feed.size_matrix[0] > 1e-12
    got = out["oversize"].size_matrix[0][ok] / feed.size_matrix[0][ok]
    want = screen_partition(GRID.midpoints, 10_000.0, 12, 2000.0)[ok]
    assert got == pytest.approx(want, rel=1e-9)


def test_trommel_is_a_screen_with_its_own_defaults():
    """A trommel carries less water over and cuts less sharply than a screen."""
    feed = pulp(p80_um=15_000.0)
    t, _ = Trommel.from_config("t", {"aperture": "10 mm"}, CTX).run({"in": [feed]})
    s, _ = Screen.from_config("s", {"aperture": "10 mm"}, CTX).run({"in": [feed]})
    assert t["oversize"].flows[0] < s["oversize"].flows[0]
    assert Trommel.Params.model_fields["alpha"].default < Screen.Params.model_fields[
        "alpha"].default


# -- bad input ----------------------------------------------------------------------------

FILE = """\
flowsheet: cyclones
species: [{name: water}, {name: quartz}]
units:
  pulp:
    type: feed
    flows: {quartz: 100, water: 150}
    psd: {model: rosin_rammler, p80: 300 um, m: 1.0}
  cyc:
    type: hydrocyclone
    count: 2
    diameter: 15 in
  deck: {type: screen, aperture: 150 um}
  a: {type: product}
  b: {type: product}
  c: {type: product}
streams:
  - {from: pulp, to: cyc}
  - {from: cyc.underflow, to: a}
  - {from: cyc.overflow, to: deck}
  - {from: deck.oversize, to: b}
  - {from: deck.undersize, to: c}
"""


@pytest.mark.parametrize(("old", "new", "line", "unit", "key", "words"), [
    ("diameter: 15 in", "diameter: 15 in\n    apex: 0.5", 12, "cyc", "apex",
     "must be smaller than the 'diameter'"),
    ("count: 2", "count: 0", 10, "cyc", "count", "must be 1-500"),
    ("count: 2", "count: 2\n    alpha: 60", 11, "cyc", "alpha", "above 0, at most 50"),
    ("diameter: 15 in", "diameter: 100 m", 11, "cyc", "diameter",
     "must be 0.01-2.5 m (typical 0.25-0.84), got 100 m"),
    ("diameter: 15 in", "diameter: 0.5 m\n    apex: 60 cm", 12, "cyc", "apex",
     "'apex' (0.6 m) must be smaller than the 'diameter' (0.5 m)"),
    ("aperture: 150 um}", "aperture: 150 um, trials: 5}", 12, "deck", "trials",
     "applies to model 'probability'"),
    ("aperture: 150 um}", "aperture: 150 um, water_split: 1.5}", 12, "deck", "water_split",
     "must be 0-1"),
    ("{name: quartz}", "{name: ore, phase: solid, assay: {Si: 40}}", 8, "cyc", None,
     "has no density"),
])
def test_bad_classifier_inputs_are_one_located_line(old, new, line, unit, key, words):
    """Bad classifier parameters fail at load with one line naming the file, the line, the
    unit and the key."""
    text = FILE.replace(old, new)
    if old == "{name: quartz}":
        text = text.replace("quartz: 100", "ore: 100")
    with pytest.raises(SchemaError) as info:
        flowsheet.loads(text, "cyc.yaml")
    err = info.value
    assert "\n" not in str(err) and words in str(err)
    assert str(err).startswith(f"cyc.yaml:{line}:")
    assert err.location.unit == unit and err.location.key == key


def test_classifier_file_solves_and_closes():
    """The small file above solves in one pass and closes its balance."""
    res = flowsheet.loads(FILE, "cyc.yaml").solve()
    assert res.closure.worst < 1e-12
    assert res.stream("cyc.overflow->deck").p80 < res.stream("pulp->cyc").p80
