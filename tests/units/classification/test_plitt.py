"""Plitt's hydrocyclone model and the cluster helpers.

No published worked example of the Plitt model (inputs with the printed d50c, P, S and m)
could be found and read for these tests. The model is checked instead against a step-by-step
hand computation in logarithms (a different path from the module's), against the relations
between its outputs and its exponents, and, for the feed density it derives, against the
published slurry-density example of the reference cases.
"""

import math

import numpy as np
import pytest

from flowsheet.errors import SchemaError
from units.classification.plitt import (
    GRAVITY,
    PLITT_RANGES,
    PlittResult,
    cyclones_for_flow,
    flow_per_cyclone,
    plitt_cyclone,
)

TEN_INCH = {"dc": 25.4, "di": 6.4, "do": 8.9, "du": 3.8, "h": 63.5, "q": 900.0,
            "solids_pct_w": 40.0, "rho_s": 2.7}


def test_hand_computation_of_a_ten_inch_cyclone():
    """Not a published figure: the docstring example recomputed by hand in logarithms, with
    the equations and constants of Plitt (1976) as restated by Nageswararao et al. (2004):
    phi = 19.802 % v/v, rho_p = 1.3366 t/m3, d50c = 96.04 um, P = 120.90 kPa,
    H = 9.220 m, S = 0.09866, Rv = 0.08980, m = 2.985."""
    dc, di, do, du, h, q, cw, rs = TEN_INCH.values()
    vol = cw / rs + (100 - cw) / 1.0
    phi = 100 * (cw / rs) / vol
    rho_p = 100 / vol
    assert (phi, rho_p) == pytest.approx((19.80198, 1.336634), rel=1e-6)
    ln = math.log
    d50c = math.exp(ln(50.5) + 0.46 * ln(dc) + 0.6 * ln(di) + 1.21 * ln(do) + 0.063 * phi
                    - 0.71 * ln(du) - 0.38 * ln(h) - 0.45 * ln(q) - 0.5 * ln(rs - 1))
    p = math.exp(ln(1.88) + 1.78 * ln(q) + 0.0055 * phi - 0.37 * ln(dc) - 0.94 * ln(di)
                 - 0.28 * ln(h) - 0.87 * ln(du**2 + do**2))
    head = p / (9.81 * rho_p)
    s = math.exp(ln(1.9) + 3.31 * ln(du / do) + 0.54 * ln(h) + 0.36 * ln(du**2 + do**2)
                 + 0.0054 * phi - 1.11 * ln(dc) - 0.24 * ln(head))
    rv = s / (1 + s)
    m = 1.94 * math.exp(-1.58 * rv) * (dc**2 * h / q) ** 0.15
    assert (d50c, p, head, s, rv, m) == pytest.approx(
        (96.0382, 120.8990, 9.2202, 0.098658, 0.089799, 2.98478), rel=2e-5)
    r = plitt_cyclone(**TEN_INCH)
    assert isinstance(r, PlittResult)
    assert tuple(float(v) for v in r) == pytest.approx((d50c, p, s, rv, m, phi), rel=1e-12)


def test_feed_density_reproduces_the_published_slurry_example():
    """Engineering ToolBox, "Slurry Density" (reference worked_examples.md): 30 % w/w solids
    of 2.5 t/m3 in water make a pulp of 1.2195 t/m3. The pulp density is
    rho_l + phi (rho_s - rho_l) / 100 with the phi the model computes (14.634 % v/v)."""
    r = plitt_cyclone(**{**TEN_INCH, "solids_pct_w": 30.0, "rho_s": 2.5})
    assert float(r.phi_vol_pct) == pytest.approx(14.6341, abs=1e-4)
    assert 1.0 + float(r.phi_vol_pct) / 100 * 1.5 == pytest.approx(1.2195, abs=1e-4)


def test_split_uses_the_head_of_pulp_not_the_pressure():
    """Plitt's split takes the pressure drop as a head of feed pulp H = P / (rho_p g) [m]:
    passing that head explicitly changes nothing, and passing the pressure in kPa in its
    place would shrink S by (g rho_p)^0.24 (a factor 1.855 here)."""
    r = plitt_cyclone(**TEN_INCH)
    rho_p = 1.0 + float(r.phi_vol_pct) / 100 * (2.7 - 1.0)
    head = float(r.pressure_kpa) / (GRAVITY * rho_p)
    same = plitt_cyclone(**TEN_INCH, big_h=head)
    assert float(same.split_s) == pytest.approx(float(r.split_s), rel=1e-12)
    wrong = plitt_cyclone(**TEN_INCH, big_h=float(r.pressure_kpa))
    factor = float(r.split_s) / float(wrong.split_s)
    assert factor == pytest.approx((GRAVITY * rho_p) ** 0.24, rel=1e-12)
    assert factor == pytest.approx(1.855, abs=1e-3)


def test_exponents_of_flow_and_dimensions():
    """The power laws of the model: doubling the feed flow multiplies d50c by 2^-0.45 and
    P by 2^1.78; doubling the vortex finder multiplies d50c by 2^1.21 (Plitt 1976)."""
    base = plitt_cyclone(**TEN_INCH)
    more = plitt_cyclone(**{**TEN_INCH, "q": 1800.0})
    assert float(more.d50c_um / base.d50c_um) == pytest.approx(2 ** -0.45, rel=1e-12)
    assert float(more.pressure_kpa / base.pressure_kpa) == pytest.approx(2 ** 1.78, rel=1e-12)
    wide = plitt_cyclone(**{**TEN_INCH, "do": 17.8})
    assert float(wide.d50c_um / base.d50c_um) == pytest.approx(2 ** 1.21, rel=1e-12)


def test_leading_constants_are_calibration_factors():
    """The constants scale their own outputs: K_d 50.21 against 50.5 moves d50c by -0.57 %
    and nothing else; K_p moves P and, through the head, S by the power -0.24; K_s moves S
    (and with it Rv and m) only."""
    base = plitt_cyclone(**TEN_INCH)
    other = plitt_cyclone(**TEN_INCH, k_d50=50.21)
    assert float(other.d50c_um / base.d50c_um) == pytest.approx(50.21 / 50.5, rel=1e-12)
    assert float(other.pressure_kpa) == float(base.pressure_kpa)
    hot = plitt_cyclone(**TEN_INCH, k_p=1.88 * 1.2)
    assert float(hot.pressure_kpa / base.pressure_kpa) == pytest.approx(1.2, rel=1e-12)
    assert float(hot.split_s / base.split_s) == pytest.approx(1.2 ** -0.24, rel=1e-12)
    assert float(hot.d50c_um) == float(base.d50c_um)


def test_rv_and_sharpness_follow_the_split():
    """Rv = S / (1 + S) is the fraction of the feed pulp to the underflow, and m falls as
    Rv rises, m = 1.94 exp(-1.58 Rv) (Dc^2 h / Q)^0.15 (Plitt 1976)."""
    apex = np.array([2.0, 3.8, 6.0, 9.0])
    r = plitt_cyclone(**{**TEN_INCH, "du": apex})
    assert np.allclose(r.rv, r.split_s / (1 + r.split_s), rtol=1e-14)
    assert np.all((r.rv > 0) & (r.rv < 1))
    assert np.all(np.diff(r.split_s) > 0) and np.all(np.diff(r.sharpness_m) < 0)
    geometry = (25.4**2 * 63.5 / 900.0) ** 0.15
    assert np.allclose(r.sharpness_m, 1.94 * np.exp(-1.58 * r.rv) * geometry, rtol=1e-14)


def test_every_argument_broadcasts():
    """Three flows against four solids contents: every field in the (3, 4) shape."""
    r = plitt_cyclone(**{**TEN_INCH, "q": np.array([[600.0], [900.0], [1200.0]]),
                         "solids_pct_w": np.array([20.0, 40.0, 55.0, 65.0])})
    assert all(np.shape(v) == (3, 4) for v in r)
    single = plitt_cyclone(**{**TEN_INCH, "q": 1200.0, "solids_pct_w": 55.0})
    assert r.d50c_um[2, 2] == pytest.approx(float(single.d50c_um), rel=1e-14)
    scalar = plitt_cyclone(**TEN_INCH)
    assert all(np.ndim(v) == 0 for v in scalar)


def test_cluster_of_thirteen():
    """The seed plant's batteries hold 13 cyclones each (reference comminution.md): 3,900
    m3/h over 13 is 5,000 L/min each, and 5,000 L/min per cyclone needs exactly 13."""
    assert float(flow_per_cyclone(3900.0, 13)) == 5000.0
    assert cyclones_for_flow(3900.0, 5000.0) == 13
    assert cyclones_for_flow(3900.0, 4999.0) == 14
    assert cyclones_for_flow(0.0, 5000.0) == 1
    counts = cyclones_for_flow(np.array([1000.0, 3900.0]), 5000.0)
    assert counts.dtype.kind == "i" and counts.tolist() == [4, 13]


@pytest.mark.parametrize("name, value", [
    ("dc", 0.0), ("di", -1.0), ("do", 600.0), ("du", float("nan")), ("h", 0.0), ("q", 0.0),
    ("solids_pct_w", 100.0), ("solids_pct_w", -5.0), ("rho_s", 1.0), ("rho_l", 3.0),
    ("k_d50", 0.0), ("big_h", 0.0),
])
def test_out_of_range_arguments_name_themselves(name, value):
    """A value outside PLITT_RANGES raises SchemaError naming the argument and its range."""
    with pytest.raises(SchemaError, match=rf"^{name} must be in ") as info:
        plitt_cyclone(**{**TEN_INCH, name: value})
    assert str(PLITT_RANGES[name]) in str(info.value)


def test_solids_lighter_than_the_liquid_are_refused():
    """The cut-size equation needs rho_s > rho_l; otherwise a one-line SchemaError."""
    with pytest.raises(SchemaError, match="rho_s must exceed rho_l"):
        plitt_cyclone(**{**TEN_INCH, "rho_s": 1.2, "rho_l": 1.3})


def test_cluster_helpers_refuse_bad_counts():
    """A cluster has at least one cyclone and a positive flow limit."""
    with pytest.raises(SchemaError, match="^count must be in"):
        flow_per_cyclone(100.0, 0)
    with pytest.raises(SchemaError, match="^q_per_cyclone_lmin must be in"):
        cyclones_for_flow(100.0, 0.0)
