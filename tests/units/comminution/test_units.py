"""Size-reduction units: crushers, HPGR, SAG and ball mills (energy and population-balance
models), their mass balance, their reports and their bad inputs."""

from __future__ import annotations

import numpy as np
import pytest

import flowsheet
from flowsheet.errors import SchemaError
from flowsheet.sizes import SizeGrid, p80, rosin_rammler
from flowsheet.species import SpeciesTable
from flowsheet.stream import Stream
from flowsheet.unit import Context
from units.comminution.crushers import ConeCrusher, JawCrusher, PebbleCrusher
from units.comminution.energy import bond_specific_energy, morrell_specific_energy
from units.comminution.hpgr import Hpgr
from units.comminution.mills import BallMill, SagMill
from units.comminution.size_reduction import product_size_for_energy, rosin_rammler_product

TABLE = SpeciesTable.from_declarations([{"name": "water"}, {"name": "quartz"},
                                        {"name": "chalcopyrite"}])
GRID = SizeGrid.default()
CTX = Context(TABLE, GRID)

SELECTION = {"default": {"se": 1.0, "alpha": 1.0, "mu": "4 mm", "lam": 3}}


def feed(p80_um: float, m: float = 1.0, flows=(100.0, 300.0, 12.0)) -> Stream:
    """Water, quartz and chalcopyrite; the sulfide a little finer than the quartz."""
    psd = rosin_rammler(GRID, np.array([p80_um, 0.7 * p80_um]), m)
    return Stream(TABLE, list(flows), 30.0, psd, GRID)


def run(cls, config: dict, stream: Stream):
    outlets, report = cls.from_config("u", config, CTX).run({"in": [stream]})
    return outlets["out"], report


CASES = [
    (SagMill, {"model": "morrell", "mia": 20, "k": 0.95, "power": "3 MW"}, 60_000.0),
    (SagMill, {"model": "population_balance", "power": "3 MW", "holdup": 80,
               "selection": SELECTION, "grate": "60 mm", "grate_fines": "4 mm"}, 60_000.0),
    (BallMill, {"model": "bond", "wi": 14, "power": 2500}, 2000.0),
    (BallMill, {"model": "population_balance", "power": 2500, "holdup": 40,
                "selection": SELECTION, "mixing": "tanks_in_series", "tanks": 3}, 2000.0),
    (Hpgr, {"model": "morrell", "mih": 18, "p80": "6 mm"}, 35_000.0),
    (Hpgr, {"model": "population_balance", "power": 800, "selection": SELECTION,
            "critical_size": "20 mm", "edge_fraction": 0.15}, 35_000.0),
    (ConeCrusher, {"model": "population_balance", "css": "13 mm", "mic": 9}, 45_000.0),
    (JawCrusher, {"model": "bond", "wi": 15, "p80": "90 mm"}, 300_000.0),
]


@pytest.mark.parametrize(("cls", "config", "f80"), CASES,
                         ids=[f"{c.type_name}-{cfg['model']}" for c, cfg, _ in CASES])
def test_mass_is_conserved_species_by_species(cls, config, f80):
    """Only the size distribution of the solids changes: every species' flow, the water and
    the temperature pass exactly; each mineral's product distribution sums to one and is
    finer than its feed."""
    stream = feed(f80)
    out, report = run(cls, config, stream)
    assert out.flows.tolist() == stream.flows.tolist()
    assert out.temperature == stream.temperature
    assert np.allclose(out.psd.sum(axis=1), 1.0, atol=1e-12)
    assert np.allclose(out.size_matrix.sum(axis=1), stream.flows[TABLE.solid_index],
                       rtol=1e-12)
    for species in ("quartz", "chalcopyrite"):
        assert out.percentile(80, species) < stream.percentile(80, species)
    for key in ("power", "specific_energy", "f80", "p80"):
        assert np.isfinite(report[key]) and report[key] > 0
    assert report["specific_energy"] == pytest.approx(report["power"] / stream.solids)
    assert report["p80"] == pytest.approx(out.p80, rel=1e-12)


@pytest.mark.parametrize(("cls", "config"), [
    (BallMill, {"model": "bond", "wi": 14}),
    (BallMill, {"model": "morrell", "mib": 18}),
    (SagMill, {"model": "morrell", "mia": 22, "k": 0.95}),
    (SagMill, {"model": "bond", "wi": 16}),
    (Hpgr, {"model": "morrell", "mih": 17, "k": 1.19}),
    (PebbleCrusher, {"model": "morrell", "mic": 8}),
])
def test_energy_model_round_trip(cls, config):
    """Given the power, the product P80 follows from the size-energy law; asking for that
    P80 gives back the same power (to 1e-9)."""
    stream = feed(20_000.0)
    _, forward = run(cls, {**config, "power": 1800.0}, stream)
    _, back = run(cls, {**config, "p80": forward["p80"]}, stream)
    assert back["power"] == pytest.approx(1800.0, rel=1e-9)
    assert back["p80"] == pytest.approx(forward["p80"], rel=1e-9)


def test_bond_energy_model_inverts_bonds_law():
    """The product P80 of the Bond model satisfies Bond's third law with the drawn power
    (power x power_use) over the feed solids, from the F80 measured on the feed."""
    stream = feed(2000.0)
    _, r = run(BallMill, {"model": "bond", "wi": 14.0, "power": 3000, "power_use": 0.9},
               stream)
    assert r["power"] == pytest.approx(2700.0)
    assert float(bond_specific_energy(14.0, r["f80"], r["p80"])) == pytest.approx(
        2700.0 / stream.solids, rel=1e-10)


def test_morrell_sag_uses_the_given_f80():
    """With ``f80`` given, Morrell's relation runs from it (the fresh-feed F80 of the SAG
    method) rather than from the F80 of the mill's own feed."""
    stream = feed(50_000.0)
    _, r = run(SagMill, {"model": "morrell", "mia": 20, "k": 0.95, "p80": 2500,
                         "f80": "71.3 mm"}, stream)
    assert r["f80"] == 71_300.0
    expected = float(morrell_specific_energy(20, 71_300.0, 2500.0, k=0.95))
    assert r["specific_energy"] == pytest.approx(expected, rel=1e-12)


def test_product_size_for_energy_rejects_absurd_power():
    """An energy that would grind below a nanometre is an error, not a result."""
    from flowsheet.errors import UnitRunError

    with pytest.raises(UnitRunError, match="far too high"):
        product_size_for_energy(lambda x: bond_specific_energy(14.0, 1000.0, x), 1e9, 1000.0)


def test_generated_product_keeps_the_feed_spread_and_mineral_order():
    """The Rosin-Rammler product hits the P80 asked for; each mineral keeps its feed spread
    (P80/P50 ratio) and stays finer or coarser than the other as in the feed."""
    rows = rosin_rammler(GRID, np.array([8000.0, 3000.0]), np.array([0.8, 1.4]))
    out = rosin_rammler_product(GRID, rows, [50.0, 50.0], 400.0)
    assert float(p80(GRID, out.mean(axis=0))) == pytest.approx(400.0, rel=1e-9)
    ratio_in = [float(p80(GRID, r)) / float(_p50(r)) for r in rows]
    ratio_out = [float(p80(GRID, r)) / float(_p50(r)) for r in out]
    assert ratio_out == pytest.approx(ratio_in, rel=0.03)
    assert p80(GRID, out[1]) < p80(GRID, out[0])


def _p50(row):
    from flowsheet.sizes import percentile_size

    return percentile_size(GRID, row, 50.0)


@pytest.mark.parametrize("cls", [BallMill, SagMill])
def test_population_balance_product_is_finer_with_more_power(cls):
    """At fixed feed, more power gives a finer product, species by species; the holdup
    only sets the residence time (S tau = S^E P / Q)."""
    stream = feed(60_000.0 if cls is SagMill else 2000.0)
    base = {"model": "population_balance", "holdup": 50, "selection": SELECTION}
    p80s = [run(cls, {**base, "power": p}, stream)[1]["p80"] for p in (500, 1500, 4500)]
    assert p80s[0] > p80s[1] > p80s[2]
    other = run(cls, {**base, "power": 1500, "holdup": 100}, stream)[1]
    assert other["p80"] == pytest.approx(p80s[1], rel=1e-10)
    assert other["residence_time"] == pytest.approx(100 / stream.solids)


def test_each_mineral_breaks_at_its_own_rate():
    """A mineral given a higher specific rate of breakage comes out finer than one with
    the default rates, from the same feed distribution."""
    psd = rosin_rammler(GRID, np.array([2000.0, 2000.0]), 1.0)
    stream = Stream(TABLE, [100.0, 300.0, 12.0], 25.0, psd, GRID)
    selection = {"default": {"se": 1.0, "mu": "4 mm"}, "chalcopyrite": {"se": 2.0}}
    out, _ = run(BallMill, {"model": "population_balance", "power": 1500, "holdup": 40,
                            "selection": selection}, stream)
    assert out.percentile(80, "chalcopyrite") < 0.8 * out.percentile(80, "quartz")


def test_grate_holds_back_what_is_coarser_than_its_aperture():
    """Nothing coarser than the grate aperture leaves a mill with a grate."""
    stream = feed(150_000.0)
    out, _ = run(SagMill, {"model": "population_balance", "power": 2000, "holdup": 80,
                           "selection": SELECTION, "grate": "50 mm",
                           "grate_fines": "5 mm"}, stream)
    coarse = GRID.lower >= 50_000.0
    assert out.size_distribution()[coarse].sum() < 1e-6


def test_crusher_classification_follows_the_setting():
    """Whiten's K1 = a CSS and K2 = b CSS + c are reported; a tighter setting gives a
    finer product, with a power from the size-energy law."""
    stream = feed(60_000.0)
    reports = [run(ConeCrusher, {"model": "population_balance", "css": css, "wi": 14},
                   stream)[1] for css in (10_000.0, 20_000.0)]
    assert reports[0]["k1"] == pytest.approx(0.7 * 10_000.0)
    assert reports[0]["k2"] == pytest.approx(1.7 * 10_000.0)
    assert reports[0]["p80"] < reports[1]["p80"]
    assert reports[0]["power"] > reports[1]["power"] > 0
    jaw = run(JawCrusher, {"model": "population_balance", "css": "150 mm", "wi": 14},
              feed(400_000.0))[1]
    assert jaw["k2"] == pytest.approx(150_000.0 + 25_000.0)


def test_no_solids_pass_through():
    """A feed without solids leaves unchanged: nothing to grind."""
    stream = Stream(TABLE, [50.0, 0.0, 0.0], 25.0, np.zeros((2, GRID.n_classes)), GRID)
    out, report = run(BallMill, {"model": "bond", "wi": 14, "power": 100}, stream)
    assert out.flows.tolist() == [50.0, 0.0, 0.0]
    assert report["solids"] == 0.0


def test_unit_without_a_size_grid_is_refused():
    """Built on a flowsheet without a size grid, a mill says what is missing."""
    with pytest.raises(SchemaError, match="needs a size grid") as info:
        BallMill.from_config("bm", {"model": "bond", "wi": 14, "power": 100}, Context(TABLE))
    assert info.value.location.unit == "bm"


# -- bad input in a flowsheet file --------------------------------------------------------

FILE = """\
flowsheet: mill
species: [{name: water}, {name: quartz}]
units:
  ore:
    type: feed
    flows: {quartz: 100, water: 40}
    psd: {model: rosin_rammler, p80: 2 mm, m: 1.0}
  mill:
    type: ball_mill
    model: bond
    wi: 14
    power: 1 MW
  out: {type: product}
streams:
  - {from: ore, to: mill}
  - {from: mill, to: out}
"""


def load_with(*pairs: str):
    text = FILE
    for old, new in zip(pairs[::2], pairs[1::2], strict=True):
        assert text.count(old) == 1
        text = text.replace(old, new)
    return flowsheet.loads(text, "mill.yaml")


@pytest.mark.parametrize(("pairs", "line", "key", "words"), [
    (("power: 1 MW", "power: 1 MW\n    power_use: 1.2"), 13, "power_use", "at most 1"),
    (("wi: 14", "wi: 0"), 11, "wi", "must be 1-80 kWh/t"),
    (("power: 1 MW", "p80: 3 mm\n    f80: 2 mm"), 12, "p80", "must be finer than 'f80'"),
    (("power: 1 MW", "power: 1 MW\n    p80: 100 um"), 12, "power", "got both"),
    (("wi: 14", "mib: 14"), 8, None, "needs the work index 'wi'"),
    (("model: bond", "model: bnd"), 10, "model", "did you mean 'bond'"),
    (("model: bond", "model: population_balance"), 8, None, "needs 'holdup'"),
    (("power: 1 MW", "power: 5 kg"), 12, "power", "expected a power"),
])
def test_bad_parameters_are_one_located_line(pairs, line, key, words):
    """Bad mill parameters fail at load with one line naming file, line, unit and key."""
    with pytest.raises(SchemaError) as info:
        load_with(*pairs)
    err = info.value
    assert "\n" not in str(err) and words in str(err)
    assert str(err).startswith(f"mill.yaml:{line}:")
    assert err.location.unit == "mill" and err.location.key == key


def test_unknown_species_in_selection_is_located():
    """A mineral named in ``selection`` must be a solid of the flowsheet."""
    with pytest.raises(SchemaError) as info:
        load_with("model: bond\n    wi: 14\n    power: 1 MW",
                  "model: population_balance\n    power: 1 MW\n    holdup: 40\n"
                  "    selection: {default: {se: 1}, quartzz: {se: 2}}")
    assert "did you mean 'quartz'" in str(info.value)
    assert info.value.location.key == "selection.quartzz"
    assert str(info.value).startswith("mill.yaml:13:")


def test_missing_size_grid_names_the_mill():
    """Without a feed psd and a size grid, the load fails at the first unit that needs
    sizes, saying how to give them."""
    with pytest.raises(SchemaError) as info:
        load_with("    psd: {model: rosin_rammler, p80: 2 mm, m: 1.0}\n", "")
    assert str(info.value) == ("mill.yaml:7:3: unit 'mill': needs a size grid: give the feed "
                               "a psd or add 'size_grid:'")


def test_target_not_finer_than_the_feed_is_reported_at_its_key():
    """A target P80 coarser than the F80 the mill actually receives is found on the
    converged solve and reported as one line at the unit's 'p80'."""
    fs = load_with("power: 1 MW", "p80: 3 mm")
    with pytest.raises(SchemaError) as info:
        fs.solve()
    text = str(info.value)
    assert text.startswith("mill.yaml:12:") and "\n" not in text
    assert "not finer than the feed's F80" in text


def test_target_finer_than_the_grid_can_hold_fails():
    """A ball mill asked for P80 20 um on a grid whose finest sieve is 125 um: the product
    would come out near 117 um; the converged solve fails at p80 with both sizes instead
    of reporting the clipped product."""
    from flowsheet.errors import UnitRunError

    fs = flowsheet.loads("""
flowsheet: mill-fine
species: [{name: water}, {name: quartz}]
size_grid: {top: 4 mm, bottom: 100 um}
units:
  feed: {type: feed, flows: {quartz: 100, water: 50},
         psd: {model: rosin_rammler, p80: 2 mm, m: 1.0}}
  mill: {type: ball_mill, model: bond, wi: 14, p80: 20 um}
  out: {type: product}
streams: [{from: feed, to: mill}, {from: mill, to: out}]
""")
    with pytest.raises(UnitRunError) as info:
        fs.solve()
    err = info.value
    assert (err.location.unit, err.location.key) == ("mill", "p80")
    assert "P80 of 20 um asked" in err.message and "125 um" in err.message
