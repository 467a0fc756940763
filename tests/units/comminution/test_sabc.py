"""The SABC capacity model: equal throughput of both stages, then the T80 and TPH caps.

The plant figures are the seed plant's (Mining 5(3) (2025) 37,
doi:10.3390/mining5030037): SAG 24,000 kW installed, 21,507 kW used; ball mills 32,800 kW,
15,150 + 14,934 kW used; F80 71,273 um; P80 229 um; TPHmax 4,058 t/h; T80max 19,783 um.
"""

import numpy as np
import pytest
from scipy.optimize import brentq

from flowsheet.errors import SchemaError
from units.comminution.energy import (
    bond_specific_energy,
    morrell_specific_energy,
    sgi_specific_energy,
)
from units.comminution.sabc import sabc_throughput

PLANT = dict(f80=71273.0, p80=229.0, sag_power_kw=24000.0, sag_power_use=21507 / 24000,
             ball_power_kw=32800.0, ball_power_use=(15150 + 14934) / 32800,
             tph_max=4058.0, t80_max=19783.0)
SAG_KW, BALL_KW = 21507.0, 15150.0 + 14934.0


def reference_smc(mia, bwi):
    """One block by scipy's scalar root finder: the equal-throughput T80."""
    def gap(t):
        return (SAG_KW / morrell_specific_energy(mia, 71273.0, t, k=0.95)
                - BALL_KW / bond_specific_energy(bwi, t, 229.0))
    t80 = brentq(gap, 229.0 * (1 + 1e-9), 19783.0, xtol=1e-10, rtol=1e-14)
    return SAG_KW / morrell_specific_energy(mia, 71273.0, t80, k=0.95), t80


def test_balance_matches_scalar_root_finder():
    """Vectorised Newton on T80 agrees with a per-block brentq to 1e-9."""
    rng = np.random.default_rng(7)
    mia, bwi = rng.uniform(18, 30, 300), rng.uniform(14, 19, 300)
    res = sabc_throughput("smc_bwi", mia=mia, bwi=bwi, k1=0.95, **PLANT)
    balanced = np.isin(res.limit, ["sag", "ball"])
    assert balanced.sum() > 100
    for i in np.flatnonzero(balanced)[:60]:
        tph, t80 = reference_smc(mia[i], bwi[i])
        assert res.tph[i] == pytest.approx(tph, rel=1e-9)
        assert res.t80[i] == pytest.approx(t80, rel=1e-9)
        assert res.p80[i] == pytest.approx(229.0)


def test_both_stages_draw_their_available_power():
    """In balance each stage draws exactly its installed power times its use."""
    res = sabc_throughput("smc_bwi", mia=22.0, bwi=15.0, k1=0.95, **PLANT)
    assert res.limit in ("sag", "ball")
    assert res.sag_kw == pytest.approx(SAG_KW, rel=1e-9)
    assert res.ball_kw == pytest.approx(BALL_KW, rel=1e-9)


def test_hydraulic_cap_recomputes_sizes():
    """Soft ore: TPH capped at 4,058 t/h; the SAG mill and ball mills spend their power on
    a finer T80 and a finer P80 than the target (still drawing their full power)."""
    res = sabc_throughput("smc_bwi", mia=15.0, bwi=11.0, k1=0.95, **PLANT)
    assert res.limit == "tph_max" and res.tph == 4058.0
    assert res.p80 < 229.0
    assert res.sag_kw == pytest.approx(SAG_KW, rel=1e-9)
    assert res.ball_kw == pytest.approx(BALL_KW, rel=1e-9)


def test_transfer_screen_cap():
    """A very hard SAG ore and soft ball ore want a transfer coarser than the screen
    passes: T80 is held at 19,783 um, the SAG mill sets the tonnage, P80 gets finer."""
    res = sabc_throughput("sgi_bwi", sgi=400.0, bwi=6.0, **PLANT)
    assert res.limit == "t80_max" and res.t80 == pytest.approx(19783.0)
    assert res.tph == pytest.approx(SAG_KW / sgi_specific_energy(400.0, 19783.0))
    assert res.p80 < 229.0
    assert res.ball_kw == pytest.approx(BALL_KW, rel=1e-9)


def test_harder_ore_lower_throughput():
    """Throughput falls as either index rises (a property of both capacity curves)."""
    bwi = np.linspace(12, 20, 9)
    res = sabc_throughput("smc_bwi", mia=24.0, bwi=bwi, k1=0.95, **{**PLANT,
                                                                    "tph_max": np.inf})
    assert np.all(np.diff(res.tph) < 0)
    res = sabc_throughput("dwi_bwi", dwi=np.linspace(2, 10, 9), bwi=15.0,
                          **{**PLANT, "tph_max": np.inf, "t80_max": np.inf})
    assert np.all(np.diff(res.tph) < 0)


def test_axb_gives_mia():
    """With only A*b, Mia comes from the documented default relation."""
    from units.comminution.energy import mia_from_axb

    a = sabc_throughput("smc_bwi", axb=40.0, bwi=15.0, **PLANT)
    b = sabc_throughput("smc_bwi", mia=float(mia_from_axb(40.0)), bwi=15.0, **PLANT)
    assert a.tph == pytest.approx(b.tph)


@pytest.mark.parametrize("change, words", [
    ({"p80": 80000.0}, "p80 must be smaller than f80"),
    ({"sag_power_use": 1.2}, "sag_power_use must be a fraction"),
    ({"ball_power_use": 0.0}, "ball_power_use must be a fraction"),
    ({"sag_power_kw": -5.0}, "sag_power_kw must be a positive"),
])
def test_bad_plant_inputs(change, words):
    with pytest.raises(SchemaError, match=words):
        sabc_throughput("smc_bwi", mia=22.0, bwi=15.0, **{**PLANT, **change})


@pytest.mark.parametrize("kwargs, words", [
    ({"mia": 0.0, "bwi": 15.0}, "mia must be a positive"),
    ({"mia": 20.0, "bwi": -1.0}, "bwi must be a positive"),
    ({"bwi": 15.0}, "needs 'mia' or 'axb'"),
])
def test_bad_hardness(kwargs, words):
    with pytest.raises(SchemaError, match=words):
        sabc_throughput("smc_bwi", **kwargs, **PLANT)


def test_unknown_model():
    with pytest.raises(SchemaError, match="unknown SABC model") as info:
        sabc_throughput("smc_bwl", mia=20.0, bwi=15.0, **PLANT)
    assert "smc_bwi" in info.value.hint
