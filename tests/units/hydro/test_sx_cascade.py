"""The countercurrent cascade's fast paths -- one curve call per slope, the oxime
isotherm without its tangent when nothing is negative, the Jacobian's fixed pattern
kept per (stages, efficiency) -- give exactly the numbers of the plain forms."""

from __future__ import annotations

import numpy as np
import pytest

from units.hydro.isotherms import Isotherm, oxime_isotherm
from units.hydro.sx_cascade import _jacobian, _jacobian_pattern, countercurrent_cascade

RNG = np.random.default_rng(7)

ISOTHERMS = [Isotherm.oxime(0.3, 5.0, 4.0, 3.0), Isotherm.langmuir(8.0, 1.5),
             Isotherm.from_table([0.2, 1.0, 2.0, 4.0], [1.0, 3.5, 5.0, 6.0]),
             Isotherm.linear(4.0)]


def _plain_slope(iso, x):
    x = np.asarray(x, dtype=float)
    h = 1e-6 * np.maximum(1.0, np.abs(x))
    return (iso.organic(x + h) - iso.organic(x - h)) / (2.0 * h)


def _plain_jacobian(iso, x, oa, em):
    n = len(x)
    fp = _plain_slope(iso, x)
    k, m = np.indices((n + 1, n))
    dy = np.where(m >= k, em * fp[None, :] * (1.0 - em) ** np.maximum(m - k, 0), 0.0)
    jac = -np.eye(n) - oa * (dy[:-1] - dy[1:])
    jac[np.arange(1, n), np.arange(n - 1)] += 1.0
    return jac


@pytest.mark.parametrize("iso", ISOTHERMS, ids=lambda i: i.label.split(",")[0])
def test_slope_and_jacobian_equal_the_plain_forms(iso):
    """Slope in one call of the curve, and the Jacobian from the kept pattern, equal the
    two-call central difference and the Jacobian built from scratch, bit for bit, for 1 to
    6 stages, concentrations of either sign, and efficiencies up to 1."""
    for _ in range(40):
        n = int(RNG.integers(1, 7))
        x = RNG.uniform(-1.0, 20.0, n)
        oa, em = RNG.uniform(0.2, 3.0), float(RNG.choice([1.0, RNG.uniform(0.5, 1.0)]))
        assert np.array_equal(iso.slope(x), _plain_slope(iso, x))
        assert np.array_equal(_jacobian(iso, x, oa, em), _plain_jacobian(iso, x, oa, em))
    x0 = RNG.uniform(0.0, 5.0)
    assert np.array_equal(iso.slope(x0), _plain_slope(iso, x0))


def test_oxime_without_negative_concentrations_skips_only_the_tangent():
    """For x >= 0 the curve is returned without np.where and its tangent below zero, as
    an array of the same shape (0-d for a number) and the same values."""
    args = (0.25, 5.0, 3.0, 4.0)
    for x in (0.0, 2.5, np.array([0.0, 1.0, 30.0]), np.array([[1.0, 2.0], [3.0, 0.5]])):
        y = oxime_isotherm(x, *args)
        assert isinstance(y, np.ndarray) and y.shape == np.shape(x)
        mixed = oxime_isotherm(np.append(np.ravel(x), -1.0), *args)
        assert np.array_equal(np.ravel(y), mixed[:-1])
        assert mixed[-1] < 0.0                      # the tangent below zero


def test_jacobian_pattern_is_kept_and_read_only():
    """The pattern of (stages, efficiency) is built once and shared: a second cascade with
    the same stages and efficiency is a cache hit, and the shared arrays cannot be changed."""
    iso = ISOTHERMS[1]
    countercurrent_cascade(iso, 3.0, 0.1, 1.0, 3, 0.93)
    hits = _jacobian_pattern.cache_info().hits
    countercurrent_cascade(iso, 2.0, 0.2, 1.2, 3, 0.93)
    assert _jacobian_pattern.cache_info().hits > hits
    upper, powers, base = _jacobian_pattern(3, 0.93)
    with pytest.raises(ValueError):
        base[0, 0] = 0.0


def test_oxime_on_few_points_is_the_vectorised_curve_exactly():
    """The curve the stage calculations evaluate on a few points with Python floats gives
    the numbers of the vectorised oxime_isotherm bit for bit, concentrations of either
    sign (the tangent below zero) and every shape Isotherm.oxime passes to it, over
    extractant, K_ex and acid spanning dilute to saturated organic."""
    from units.hydro.isotherms import _FEW, _oxime_few

    for _ in range(3000):
        args = (RNG.uniform(0.01, 1.0), 10 ** RNG.uniform(-2, 3), RNG.uniform(0, 80),
                RNG.uniform(0, 250))
        shape = ((int(RNG.integers(1, _FEW + 1)),), (2, int(RNG.integers(1, _FEW // 2 + 1))))
        x = RNG.uniform(-5.0, 100.0, shape[int(RNG.integers(0, 2))]) * 10 ** RNG.uniform(-6, 0)
        assert np.array_equal(_oxime_few(x, *args), oxime_isotherm(x, *args))
        iso = Isotherm.oxime(*args)
        assert np.array_equal(iso(x), oxime_isotherm(x, *args))
        assert np.array_equal(iso(x[..., 0]), oxime_isotherm(x[..., 0], *args))
