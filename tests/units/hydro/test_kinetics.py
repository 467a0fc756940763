"""Shrinking-core kinetics, Arrhenius and the segregated-flow conversion of tanks in series,
against Levenspiel's closed forms and worked example (Chemical Reaction Engineering, 3rd
ed., Wiley, 1999, ch. 25-26) and against Monte Carlo."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import comb, gammainc, poch

from units.hydro.kinetics import (
    arrhenius,
    arrhenius_factor,
    mixed_control_conversion,
    mixed_control_time,
    shrinking_core_conversion,
    shrinking_core_time,
    tau_at_size,
)
from units.hydro.rtd import erlang_pdf, segregated_conversion, train_conversion

CONTROLS = ("film", "diffusion", "reaction")


@pytest.mark.parametrize("control", CONTROLS)
def test_conversion_inverts_time(control):
    """shrinking_core_conversion is the inverse of shrinking_core_time over the whole
    range to 1e-13 relative, from X = 1e-150 (where product-layer diffusion's t/tau ~ X^2/3
    is 1e-301) to 1 -- the forms are free of cancellation, so this is not a matter of
    last-digit luck -- and t is monotone in X."""
    x = np.concatenate(([1e-150, 1e-30, 1e-10, 1e-6], np.logspace(-12, -1, 200),
                        np.linspace(0.001, 0.999, 999), [1 - 1e-9, 1 - 1e-13, 1.0]))
    x = np.sort(x)
    t = shrinking_core_time(x, 3.0, control)
    back = shrinking_core_conversion(t, 3.0, control)
    assert np.allclose(back, x, rtol=1e-13, atol=0)
    assert np.all(np.diff(t) >= 0)
    assert shrinking_core_conversion(0.0, 3.0, control) == 0.0


@pytest.mark.parametrize("x", [1e-12, 1e-8, 1e-4])
def test_small_conversion_series(x):
    """Near X = 0 the closed forms follow their Taylor series to 1e-12 relative:
    product-layer diffusion 1 - 3(1 - X)^(2/3) + 2(1 - X) = X^2/3 + 4X^3/27 + 7X^4/81 + ...,
    reaction 1 - (1 - X)^(1/3) = X/3 + X^2/9 + 5X^3/81 + ... -- the plain textbook forms
    lose every digit at X = 1e-8 in double precision."""
    diffusion = x**2 / 3 + 4 * x**3 / 27 + 7 * x**4 / 81
    reaction = x / 3 + x**2 / 9 + 5 * x**3 / 81
    assert shrinking_core_time(x, 1.0, "diffusion") == pytest.approx(diffusion, rel=1e-12)
    assert shrinking_core_time(x, 1.0, "reaction") == pytest.approx(reaction, rel=1e-12)


def test_levenspiel_forms_at_known_points():
    """Levenspiel's forms (ch. 25): X = 7/8 at t/tau = 1/2 for reaction and product-layer
    control (Problem 25.1); film control is linear; beyond tau X = 1."""
    assert shrinking_core_conversion(1.0, 2.0, "reaction") == pytest.approx(0.875, abs=1e-15)
    assert shrinking_core_conversion(1.0, 2.0, "diffusion") == pytest.approx(0.875, abs=1e-14)
    assert shrinking_core_conversion(0.5, 2.0, "film") == pytest.approx(0.25)
    assert shrinking_core_conversion([5.0], 2.0, "diffusion").tolist() == [1.0]


def test_levenspiel_example_26_1_size_mixture_plug_flow():
    """Levenspiel (1999) Example 26.1: 30 % of 50 um, 40 % of 100 um and 30 % of 200 um
    particles, tau 5, 10, 20 min (reaction control, tau ~ R), 8 min in plug flow: mean
    conversion 93.2 %."""
    taus = tau_at_size(5.0, np.array([50.0, 100.0, 200.0]), 50.0, "reaction")
    x = shrinking_core_conversion(8.0, taus, "reaction")
    mean = float(np.dot([0.3, 0.4, 0.3], x))
    assert round(100 * mean, 1) == 93.2


def test_mixed_control_adds_times_and_inverts():
    """Resistances in series add their times; the bisection inverse is exact to 1e-12 and
    reduces to the single form when the other taus are zero."""
    taus = {"reaction": 2.0, "diffusion": 1.5, "film": 0.3}
    x = np.linspace(0, 1, 101)
    t = mixed_control_time(x, taus)
    expected = sum(shrinking_core_time(x, v, c) for c, v in taus.items())
    assert np.allclose(t, expected, atol=1e-14)
    assert np.allclose(mixed_control_conversion(t, taus), x, atol=1e-12)
    assert np.allclose(mixed_control_conversion([0.3, 1.0], {"reaction": 2.0, "film": 0.0}),
                       shrinking_core_conversion([0.3, 1.0], 2.0, "reaction"), atol=1e-12)


def test_tau_size_exponents():
    """tau ~ d (reaction), d^2 (product layer), d^1.5 (film, coarse particles)."""
    assert tau_at_size(1.0, 200.0, 100.0, "reaction") == pytest.approx(2.0)
    assert tau_at_size(1.0, 200.0, 100.0, "diffusion") == pytest.approx(4.0)
    assert tau_at_size(1.0, 200.0, 100.0, "film") == pytest.approx(2.0**1.5)
    assert tau_at_size(1.0, 200.0, 100.0, "film", exponent=2.0) == pytest.approx(4.0)


def test_arrhenius_and_bad_temperature():
    """k = k0 exp(-Ea/RT): ln(k2/k1) = Ea/R (1/T1 - 1/T2); a temperature below 0 K after
    conversion from degC is a ValueError; bad controls and conversions are too."""
    k = arrhenius(2.0e6, 60_000.0, [25.0, 60.0])
    assert np.log(k[1] / k[0]) == pytest.approx(60_000.0 / 8.314462618
                                                * (1 / 298.15 - 1 / 333.15), rel=1e-12)
    assert arrhenius_factor(60_000.0, 60.0, 25.0) == pytest.approx(k[1] / k[0], rel=1e-12)
    with pytest.raises(ValueError, match="absolute zero"):
        arrhenius(1.0, 1.0, [20.0, -280.0])
    with pytest.raises(ValueError, match="control"):
        shrinking_core_time(0.5, 1.0, "pore")
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        shrinking_core_time(1.2, 1.0, "film")
    with pytest.raises(ValueError, match="tau"):
        shrinking_core_conversion(1.0, 0.0, "film")


def _exact_tanks(tau, mean, n, control):
    """Closed form of the segregated conversion in n tanks for film and reaction control:
    (1 - t/tau)^p expanded and integrated against Erlang(n) term by term with
    int_0^tau t^k E_n dt = (n)_k / lam^k P(n + k, lam tau)."""
    lam = n / mean
    z = lam * tau
    p = 3 if control == "reaction" else 1
    return 1.0 - sum(comb(p, k) * (-1) ** k * poch(n, k) / z**k * gammainc(n + k, z)
                     for k in range(p + 1))


@pytest.mark.parametrize("control", ["film", "reaction"])
def test_segregated_one_tank_levenspiel_closed_forms(control):
    """One mixed tank (Levenspiel 1999, ch. 26): film X = (t/tau)(1 - exp(-tau/t)),
    reaction X = 3/a - 6/a^2 + 6(1 - exp(-a))/a^3 with a = tau/t, to 1e-12."""
    a = np.array([0.05, 0.5, 1.0, 2.0, 5.0, 20.0])
    got = segregated_conversion(a, 1.0, 1, control)
    if control == "film":
        want = (1.0 - np.exp(-a)) / a
    else:
        want = 3 / a - 6 / a**2 + 6 * (1 - np.exp(-a)) / a**3
    mask = a >= 0.5   # the closed form loses digits to cancellation for small a
    assert np.allclose(got[mask], want[mask], rtol=0, atol=1e-12)
    # Levenspiel's series 1 - X = a/4 - a^2/20 + a^3/120 for small a (reaction)
    if control == "reaction":
        small = 0.05
        series = small / 4 - small**2 / 20 + small**3 / 120 - small**4 / 840
        assert 1 - got[0] == pytest.approx(series, rel=1e-7)


def test_segregated_diffusion_levenspiel_series():
    """Product-layer control in one mixed tank, Levenspiel's series (ch. 26):
    1 - X = a/5 - 19 a^2/420 + 41 a^3/4620 - 0.00149 a^4, for small a = tau/t."""
    a = 0.1
    series = a / 5 - 19 * a**2 / 420 + 41 * a**3 / 4620 - 0.00149 * a**4
    assert 1 - segregated_conversion(a, 1.0, 1, "diffusion") == pytest.approx(series,
                                                                              rel=1e-6)


@pytest.mark.parametrize("n", [1, 2, 3, 8, 40])
@pytest.mark.parametrize("control", ["film", "reaction"])
def test_segregated_tanks_in_series_exact(n, control):
    """N tanks: the quadrature matches the incomplete-gamma closed form to 1e-12 from
    tau << t to tau >> t (the kink at tau is handled by the exact tail term)."""
    tau = np.array([0.01, 0.2, 0.9, 1.0, 1.1, 3.0, 50.0])
    got = segregated_conversion(tau, 1.0, n, control)
    assert np.allclose(got, _exact_tanks(tau, 1.0, n, control), rtol=0, atol=1e-12)


def test_segregated_diffusion_and_mixed_against_monte_carlo():
    """Product-layer and mixed control in 3 tanks agree with a Monte Carlo average over
    100,000 Erlang ages within 4 standard errors."""
    rng = np.random.default_rng(7)
    ages = rng.gamma(3, 2.0 / 3, 100_000)        # 3 tanks, mean 2 h
    for control, tau in (("diffusion", 1.7), ("mixed", {"reaction": 1.0, "diffusion": 0.8})):
        if control == "mixed":
            x = mixed_control_conversion(ages, tau)
        else:
            x = shrinking_core_conversion(ages, tau, control)
        got = segregated_conversion(tau, 2.0, 3, control)
        assert abs(got - x.mean()) < 4 * x.std() / np.sqrt(x.size)


def test_train_conversion_uses_erlang_k_after_tank_k():
    """After k of N tanks the conversion is that of k tanks of k times the tank time;
    conversion rises tank by tank and beats one big tank of the same total volume."""
    train = train_conversion(np.array([2.0, 6.0]), 1.5, 4, "reaction")
    assert train.shape == (2, 4)
    for k in range(1, 5):
        assert np.allclose(train[:, k - 1], segregated_conversion([2.0, 6.0], 1.5 * k, k,
                                                                  "reaction"), atol=1e-15)
    assert np.all(np.diff(train, axis=1) > 0)
    assert np.all(train[:, -1] > segregated_conversion([2.0, 6.0], 6.0, 1, "reaction"))


def test_erlang_pdf_is_a_distribution():
    """E_N integrates to 1 with mean t and variance t^2/N."""
    t = np.linspace(0, 40, 400_001)
    e = erlang_pdf(t, 4.0, 5)
    dt = t[1] - t[0]
    assert np.sum(e) * dt == pytest.approx(1.0, abs=1e-6)
    assert np.sum(t * e) * dt == pytest.approx(4.0, abs=1e-5)
    assert np.sum((t - 4.0) ** 2 * e) * dt == pytest.approx(16.0 / 5, abs=1e-4)
    with pytest.raises(ValueError, match="tanks"):
        erlang_pdf(1.0, 1.0, 0)
    with pytest.raises(ValueError, match="residence time"):
        segregated_conversion(1.0, 0.0, 2, "film")
