"""Whiten's efficiency curve, its fish-hook form and the solved beta*.

No published worked example of the Whiten curve (a table of E against d for stated alpha,
d50c) could be read for these tests; the checks are the curve's defining properties (the cut
at one half, Lynch and Rao 1975) and relations derived here from its closed form: the
quartile sizes, the Ecart probable and the imperfection.
"""

import math

import numpy as np
import pytest
from scipy.optimize import brentq

from flowsheet.errors import SchemaError
from units.classification.efficiency import (
    WHITEN_RANGES,
    ValidRange,
    whiten_beta_star,
    whiten_efficiency,
)

ALPHAS = [0.3, 1.0, 2.5, 4.0, 8.0, 20.0, 50.0]


@pytest.mark.parametrize("alpha", ALPHAS)
def test_cut_is_exactly_one_half_without_fish_hook(alpha):
    """E_c(d50c) = 1/2 exactly, the definition of the corrected cut size (Lynch and Rao
    1975), for any sharpness and cut size."""
    d50c = np.array([1.0, 37.5, 150.0, 1e4])
    assert np.all(whiten_efficiency(d50c, d50c, alpha) == 0.5)


@pytest.mark.parametrize("alpha", ALPHAS)
def test_monotonic_from_zero_to_one_without_fish_hook(alpha):
    """With beta = 0 the curve rises strictly from 0 at d = 0 towards 1 (Lynch and Rao
    1975), with no overflow far above the cut."""
    d = np.concatenate([[0.0], np.geomspace(1e-3, 1e4, 2000)]) * 100.0
    e = whiten_efficiency(d, 100.0, alpha)
    assert e[0] == 0.0
    assert np.all(np.diff(e) >= 0.0)
    resolved = e < 1.0 - 1e-9          # below this the steps are lost to rounding near 1
    assert np.all(np.diff(e[resolved]) > 0.0)
    assert np.all((e >= 0.0) & (e <= 1.0))
    assert e[-1] == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("alpha", [1.0, 2.5, 4.0, 8.0])
def test_quartiles_ecart_probable_and_imperfection(alpha):
    """Derived from the closed form (no published figure found): solving E = q gives
    d_q / d50c = ln[(1 + q (e^alpha - 2)) / (1 - q)] / alpha, so the quartile sizes, the
    Ecart probable Ep = (d75 - d25) / 2 and the imperfection I = Ep / d50c follow."""
    d50c = 150.0
    ea = math.exp(alpha)
    x25 = math.log((ea + 2.0) / 3.0) / alpha
    x75 = math.log(3.0 * ea - 2.0) / alpha
    e = whiten_efficiency(np.array([x25, x75]) * d50c, d50c, alpha)
    assert e.tolist() == pytest.approx([0.25, 0.75], rel=1e-12)
    imperfection = (x75 - x25) / 2.0
    assert imperfection == pytest.approx(math.log(3.0 * (3.0 * ea - 2.0) / (ea + 2.0))
                                         / (2.0 * alpha), rel=1e-12)


def test_imperfection_tends_to_ln3_over_alpha_for_sharp_curves():
    """Derived: for a sharp curve the Whiten function is logistic in alpha (x - 1) near the
    cut, so the imperfection tends to ln(3) / alpha (about 1.0986 / alpha)."""
    alpha = 40.0
    x = np.linspace(0.9, 1.1, 400001)
    e = whiten_efficiency(x, 1.0, alpha)
    x25, x75 = np.interp([0.25, 0.75], e, x)
    assert (x75 - x25) / 2.0 * alpha == pytest.approx(math.log(3.0), rel=1e-6)


def test_bypass_lifts_the_curve_linearly():
    """E_a = R_f + (1 - R_f) E_c: the fines report to the underflow in the proportion R_f
    (water bypass; Lynch and Rao 1975)."""
    d = np.array([0.0, 50.0, 150.0, 600.0])
    ec = whiten_efficiency(d, 150.0, 3.0)
    ea = whiten_efficiency(d, 150.0, 3.0, bypass=0.35)
    assert ea == pytest.approx(0.35 + 0.65 * ec, rel=1e-14)
    assert ea[0] == pytest.approx(0.35)


@pytest.mark.parametrize("alpha", [0.5, 1.5, 3.0, 6.0, 15.0])
@pytest.mark.parametrize("beta", [0.0, 0.1, 0.5, 1.0, 3.0])
def test_beta_star_restores_the_cut(alpha, beta):
    """beta* is the root above 1 of (1 + beta b)(e^alpha - 1) / (e^(alpha b) + e^alpha - 2)
    = 1/2 (the JKMRC condition, Napier-Munn et al. 1996): compared with a bracketed scalar
    root of that printed equation; beta = 0 gives 1 exactly."""
    bs = float(whiten_beta_star(alpha, beta))
    if beta == 0.0:
        assert bs == 1.0
    else:
        def printed(b):
            return ((1 + beta * b) * (math.exp(alpha) - 1)
                    / (math.exp(alpha * b) + math.exp(alpha) - 2) - 0.5)
        upper = 1.0 + 10.0 / alpha + 10.0 * beta
        assert bs == pytest.approx(brentq(printed, 1.0, upper, xtol=1e-15), rel=1e-12)
    assert whiten_efficiency(1.0, 1.0, alpha, beta, bs) == pytest.approx(0.5, abs=1e-12)


def test_beta_star_is_vectorised():
    """One call solves a grid of (alpha, beta) pairs; every one keeps the cut at 1/2."""
    alpha = np.linspace(0.5, 10.0, 9)[:, None]
    beta = np.linspace(0.0, 2.0, 6)[None, :]
    bs = whiten_beta_star(alpha, beta)
    assert bs.shape == (9, 6)
    assert np.all(bs[:, 0] == 1.0) and np.all(bs[:, 1:] > 1.0)
    assert np.allclose(whiten_efficiency(1.0, 1.0, alpha, beta, bs), 0.5, atol=1e-12)


def test_fish_hook_matches_the_printed_overflow_form():
    """The JKMRC form is printed as the corrected recovery to the overflow,
    (1 + beta beta* x)(e^alpha - 1) / (e^(alpha beta* x) + e^alpha - 2) (Napier-Munn et al.
    1996; Nageswararao et al. 2004); the coarse fraction returned is one minus it, and the
    actual curve dips below the bypass at fine sizes, then rises through the cut."""
    alpha, beta, rf = 3.0, 0.5, 0.3
    bs = float(whiten_beta_star(alpha, beta))
    x = np.linspace(0.0, 3.0, 301)
    overflow = ((1 + beta * bs * x) * math.expm1(alpha)
                / (np.exp(alpha * bs * x) + math.exp(alpha) - 2))
    ea = whiten_efficiency(x * 150.0, 150.0, alpha, beta, None, rf)
    assert ea == pytest.approx(rf + (1 - rf) * (1 - overflow), abs=1e-13)
    assert ea[0] == pytest.approx(rf)
    assert ea.min() < rf
    assert ea[100] == pytest.approx(rf + (1 - rf) * 0.5, abs=1e-12)


def test_no_overflow_far_above_the_cut():
    """Sizes many thousand times the cut give 1, with no floating-point warning."""
    e = whiten_efficiency([1e3, 1e6, 1e9], 1.0, 50.0, beta=1.0, beta_star=None, bypass=0.5)
    assert np.all(e == 1.0)


def test_broadcasting():
    """Sizes along one axis, cut sizes along another: one call, the broadcast shape."""
    e = whiten_efficiency(np.geomspace(10, 1000, 5), np.array([[50.0], [100.0], [200.0]]),
                          3.0)
    assert e.shape == (3, 5)
    assert isinstance(whiten_efficiency(100.0, 100.0, 3.0), np.floating)


@pytest.mark.parametrize("name, value", [
    ("d", -1.0), ("d50c", 0.0), ("alpha", 0.0), ("alpha", 60.0), ("beta", -0.1),
    ("beta_star", 0.0), ("bypass", 1.0), ("bypass", float("nan")),
])
def test_out_of_range_arguments_name_themselves(name, value):
    """A value outside WHITEN_RANGES raises SchemaError naming the argument and its range."""
    args = {"d": 100.0, "d50c": 100.0, "alpha": 3.0, "beta": 0.0, "beta_star": 1.0,
            "bypass": 0.0, name: value}
    with pytest.raises(SchemaError, match=rf"^{name} must be in ") as info:
        whiten_efficiency(**args)
    assert str(WHITEN_RANGES[name]) in str(info.value)
    assert "\n" not in str(info.value)


def test_fish_hook_below_zero_is_refused():
    """A fish hook deep enough to make the coarse fraction negative is an input error."""
    with pytest.raises(SchemaError, match="beta too large"):
        whiten_efficiency(np.linspace(0, 300, 31), 150.0, 5.0, beta=3.0, beta_star=None)


def test_valid_range_rejects_non_numbers():
    """Strings are refused with the range in the message."""
    with pytest.raises(SchemaError, match=r"alpha must be a number .* \(0, 50\]"):
        WHITEN_RANGES["alpha"].check("alpha", "sharp")
    assert str(ValidRange(0.0, 1.0, high_open=True)) == "[0, 1)"
