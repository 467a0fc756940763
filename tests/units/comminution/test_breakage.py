"""Breakage and selection functions, batch grinding, continuous mills, Whiten crusher."""

import math

import numpy as np
import pytest

from flowsheet.errors import SchemaError
from flowsheet.sizes import SizeGrid
from units.comminution.breakage import (
    austin_breakage_matrix,
    austin_selection,
    batch_grinding,
    energy_selection,
    mill_product,
    whiten_classification,
    whiten_crusher,
)

GRID = SizeGrid.geometric(4000.0, 38.0)  # sqrt(2) series, 4 mm down to 44.6 um
N = GRID.n_classes
B = austin_breakage_matrix(GRID, phi=0.6, gamma=0.9, beta=3.5)
S = austin_selection(GRID.upper / 1000.0, a=0.9, alpha=1.0, mu=2.0, lam=2.5)  # 1/min
FEED = np.zeros(N)
FEED[:4] = [0.1, 0.4, 0.3, 0.2]


def reid(w0, s, b, t):
    """Reid's (1965) closed form for distinct rates: w_i = sum_{j<=i} a_ij exp(-S_j t)."""
    n = len(w0)
    a = np.zeros((n, n))
    for i in range(n):
        for j in range(i):
            a[i, j] = sum(b[i, k] * s[k] * a[k, j] for k in range(j, i)) / (s[i] - s[j])
        a[i, i] = w0[i] - a[i, :i].sum()
    return a @ np.exp(-np.outer(s, np.atleast_1d(t)))


# --- breakage and selection functions -------------------------------------------------------

def test_austin_b_hand_example_and_column_sums():
    """B_ij = phi r^gamma + (1 - phi) r^beta with r = x_{i-1}/x_j, b_ij = B_ij - B_{i+1,j}:
    for phi = 0.5, gamma = 1, beta = 2 on a ratio-2 grid, B = 1, 0.375, 0.15625."""
    b = austin_breakage_matrix(SizeGrid([2000, 1000, 500]), 0.5, 1.0, 2.0)
    assert b[:, 0] == pytest.approx([0.0, 0.625, 0.21875, 0.15625], abs=1e-15)
    assert b[:, 1] == pytest.approx([0.0, 0.0, 0.625, 0.375], abs=1e-15)
    assert np.all(np.triu(b) == 0) and np.all(b[:, -1] == 0)
    assert B[:, :-1].sum(axis=0) == pytest.approx(np.ones(N - 1), abs=1e-14)


def test_austin_b_passes_one_at_the_next_size_down():
    """Austin and Luckie (1972) plot B_i1 against the upper size of interval i "passing
    through 1 at i = 2": everything broken leaves its own class."""
    cumulative = np.cumsum(B[::-1], axis=0)[::-1]  # B_ij = sum_{k >= i} b_kj
    assert np.diag(cumulative, -1)[:-1] == pytest.approx(np.ones(N - 2), abs=1e-14)


def test_austin_b_normalisable_on_a_geometric_grid():
    """With delta = 0, b_ij depends on i - j only (Austin's normalisable breakage): every
    column is the first shifted down, except for the pan, which collects the tail."""
    for j in range(1, N - 2):
        assert B[j + 1:N - 1, j] == pytest.approx(B[1:N - 1 - j, 0], rel=1e-12)


def test_austin_b_non_normalised_phi_grows_for_finer_parents():
    """Phi_j = phi (x_j/x_ref)^-delta: with delta > 0 finer classes break finer (a larger
    share in the next class down), and phi applies at x_ref."""
    grid = SizeGrid([2000, 1000, 500])
    b = austin_breakage_matrix(grid, 0.3, 1.0, 3.0, delta=0.2)
    phi1 = 0.3 * 0.5**-0.2
    assert b[1, 0] == pytest.approx(1 - (0.3 * 0.5 + 0.7 * 0.125))
    assert b[2, 1] == pytest.approx(1 - (phi1 * 0.5 + (1 - phi1) * 0.125))
    same = austin_breakage_matrix(grid, phi1, 1.0, 3.0, delta=0.2, x_ref=1000.0)
    assert same[2, 1] == pytest.approx(b[2, 1])


def test_austin_b_parameters_per_species():
    """One parameter set per mineral gives one matrix per mineral."""
    b = austin_breakage_matrix(GRID, [0.6, 0.3], [0.9, 1.2], 3.5)
    assert b.shape == (2, N, N)
    assert b[0] == pytest.approx(B)
    assert b[1] == pytest.approx(austin_breakage_matrix(GRID, 0.3, 1.2, 3.5))


@pytest.mark.parametrize("kwargs, name", [
    ({"phi": 1.2}, "'phi'"), ({"gamma": 0.0}, "'gamma'"), ({"beta": -1.0}, "'beta'"),
    ({"phi": 0.9, "delta": 0.5}, "Phi_j"), ({"x_ref": 0.0}, "'x_ref'")])
def test_austin_b_rejects_bad_parameters(kwargs, name):
    """Each bad parameter raises SchemaError naming it and its accepted range."""
    args = {"phi": 0.5, "gamma": 1.0, "beta": 3.0} | kwargs
    with pytest.raises(SchemaError, match=name):
        austin_breakage_matrix(GRID, **args)


def test_austin_selection_maximum_and_fine_limit():
    """S = a x^alpha / (1 + (x/mu)^Lambda) has its maximum at
    x_m = mu (alpha / (Lambda - alpha))^(1/Lambda) and tends to a x^alpha for x << mu."""
    a, alpha, mu, lam = 0.7, 1.2, 1.5, 3.0
    xm = mu * (alpha / (lam - alpha)) ** (1 / lam)
    x = xm * np.array([0.99, 1.0, 1.01])
    s = austin_selection(x, a, alpha, mu, lam)
    assert s[1] > s[0] and s[1] > s[2]
    assert austin_selection(1e-4, a, alpha, mu, lam) == pytest.approx(a * 1e-4**alpha, rel=1e-9)


def test_austin_selection_parameters_lead_the_sizes():
    """Parameters per mineral broadcast ahead of the size axis."""
    s = austin_selection([0.5, 1.0, 2.0], [0.8, 1.6], 1.0, 1.0, 2.0)
    assert s.shape == (2, 3)
    assert s[1] == pytest.approx(2 * s[0])
    with pytest.raises(SchemaError, match="'mu'"):
        austin_selection([1.0], 1.0, 1.0, 0.0, 2.0)


def test_energy_selection_scales_with_power_over_holdup():
    """Herbst and Fuerstenau (1980): S_i = S_i^E P / H [1/h]."""
    assert energy_selection([0.4], 10_000.0, 200.0).tolist() == [20.0]
    with pytest.raises(SchemaError, match="'holdup_t'"):
        energy_selection([0.4], 100.0, 0.0)


# --- batch grinding ---------------------------------------------------------------------------

def test_batch_top_size_disappears_by_first_order():
    """The defining property of the Austin model: the top size class breaks by first-order
    kinetics, w_1(t) = w_1(0) exp(-S_1 t), whatever happens below it."""
    t = np.array([0.5, 2.0, 8.0, 30.0])
    w = batch_grinding(FEED, S, B, t)
    assert w[:, 0] == pytest.approx(FEED[0] * np.exp(-S[0] * t), rel=1e-12)


def test_batch_conserves_mass():
    """Breakage moves mass between classes; the total stays 1 to 1e-12."""
    w = batch_grinding(FEED, S, B, np.linspace(0.0, 60.0, 13))
    assert np.abs(w.sum(axis=-1) - 1.0).max() < 1e-12
    assert w.min() > -1e-15


def test_batch_matches_reid_closed_form():
    """Reid (1965): for distinct rates the solution is sum_j a_ij exp(-S_j t)."""
    t = np.array([0.0, 0.7, 3.0, 12.0])
    s = S.copy()
    s[-1] = 0.0
    expected = reid(FEED, s, B, t).T
    assert batch_grinding(FEED, S, B, t) == pytest.approx(expected, abs=1e-12)


def test_batch_equal_rates():
    """With S_1 = S_2 = k the Reid coefficients are undefined; the exact solution is
    w_2 = b_21 k t exp(-k t) for w(0) = (1, 0, 0)."""
    b = np.array([[0, 0, 0], [0.7, 0, 0], [0.3, 1.0, 0]])
    k, t = 0.4, 3.0
    w = batch_grinding([1.0, 0.0, 0.0], [k, k, 0.0], b, t)
    assert w == pytest.approx([math.exp(-k * t), 0.7 * k * t * math.exp(-k * t),
                               1 - math.exp(-k * t) - 0.7 * k * t * math.exp(-k * t)])


@pytest.mark.parametrize("gap", [0.0, 1e-12, 1e-6, 1e-3, 0.1, 1.0])
def test_batch_close_rates_stay_accurate(gap):
    """As S_2 approaches S_1 the solution tends smoothly to the equal-rate limit:
    w_2 = b_21 S_1 (exp(-S_1 t) - exp(-S_2 t)) / (S_2 - S_1), written without cancellation."""
    b = np.array([[0, 0, 0], [0.7, 0, 0], [0.3, 1.0, 0]])
    k, t = 0.4, 3.0
    d = gap * k
    w = batch_grinding([1.0, 0.0, 0.0], [k, k + d, 0.0], b, t)
    ratio = -math.expm1(-d * t) / (d * t) if d else 1.0
    assert w[1] == pytest.approx(0.7 * k * t * math.exp(-k * t) * ratio, rel=1e-12)
    assert abs(w.sum() - 1.0) < 1e-12


def test_batch_classes_that_do_not_break():
    """Several classes with zero rate (not only the pan) keep what they have and gain what
    breaks into them."""
    s = S.copy()
    s[-5:] = 0.0
    w0 = np.full(N, 1.0 / N)
    w = batch_grinding(w0, s, B, [2.0, 20.0])
    assert np.abs(w.sum(axis=-1) - 1.0).max() < 1e-12
    assert np.all(np.diff(w[:, -5:], axis=0) >= 0) and np.all(w[0, -5:] >= w0[-5:])


def test_batch_compensation_gives_first_order_cumulative_oversize():
    """When S_j B_ij is the same for every parent j < i (S_j proportional to x_j^gamma and
    B_ij = (x_{i-1}/x_j)^gamma), the batch equation gives exactly
    d(1 - P_i)/dt = -S_j B_ij (1 - P_i): cumulative oversize decays by first order."""
    gamma = 0.8
    b = austin_breakage_matrix(GRID, 1.0, gamma, 4.0)
    x = np.append(GRID.sieves, 1.0)  # the pan's rate is ignored
    s = 0.02 * x**gamma
    t = np.array([1.0, 5.0])
    oversize = np.cumsum(batch_grinding(FEED, s, b, t), axis=-1)[:, :-1]  # on each sieve
    k = 0.02 * GRID.sieves**gamma  # S_j B_ij = a x_{i-1}^gamma, x_{i-1} the sieve
    expected = np.cumsum(FEED)[:-1] * np.exp(-np.outer(t, k))
    assert oversize == pytest.approx(expected, abs=1e-12)


def test_batch_shapes_and_per_species_rates():
    """One row per mineral, each with its own rates; time axis first."""
    s2 = np.stack([S, 2 * S])
    w = batch_grinding(np.stack([FEED, FEED]), s2, B, [1.0, 2.0, 4.0])
    assert w.shape == (3, 2, N)
    assert w[1, 1] == pytest.approx(w[2, 0], abs=1e-12)  # twice the rate, half the time
    one = batch_grinding(np.stack([FEED, FEED, FEED]), S, B, [1.0, 2.0])
    assert one.shape == (2, 3, N) and one[1, 2] == pytest.approx(w[1, 0])


def test_batch_pan_rate_is_ignored():
    """The pan has nowhere to break to: its rate does not change the result."""
    s = S.copy()
    s[-1] = 50.0
    assert batch_grinding(FEED, s, B, 5.0) == pytest.approx(batch_grinding(FEED, S, B, 5.0))


@pytest.mark.parametrize("w0, s, b, t, name", [
    (FEED, S, B * 0.9, 1.0, "sum to 1"),
    (FEED, S, B.T, 1.0, "lower-triangular"),
    (FEED, S, B[:-1, :-1], 1.0, "'b'"),
    (FEED, -S, B, 1.0, "'selection'"),
    (FEED, S, B, -1.0, "'t'"),
    (FEED[:-1], S[:-1], B, 1.0, "'b'"),
    (-FEED, S, B, 1.0, "'w0'")])
def test_batch_rejects_bad_inputs(w0, s, b, t, name):
    """Bad inputs raise SchemaError naming the argument."""
    with pytest.raises(SchemaError, match=name):
        batch_grinding(w0, s, b, t)


# --- continuous mill --------------------------------------------------------------------------

def test_single_tank_by_hand():
    """Perfect mixing, p_i = (f_i + tau sum_j b_ij S_j p_j) / (1 + S_i tau): with
    S = (1, 0.5), tau = 2, b_21 = 0.6, b_31 = 0.4, b_32 = 1 and f = (1, 0, 0),
    p = (1/3, 0.2, 7/15); with two classes p_1 = f_1 / (1 + S_1 tau)."""
    b = np.array([[0, 0, 0], [0.6, 0, 0], [0.4, 1.0, 0]])
    p = mill_product([1.0, 0.0, 0.0], [1.0, 0.5, 0.0], b, tau=2.0)
    assert p == pytest.approx([1 / 3, 0.2, 7 / 15], abs=1e-15)
    p2 = mill_product([0.8, 0.2], [0.3, 0.0], [[0, 0], [1, 0]], tau=5.0)
    assert p2 == pytest.approx([0.8 / 2.5, 1 - 0.8 / 2.5], abs=1e-15)


@pytest.mark.parametrize("model, n_tanks", [("perfect_mixing", 1), ("tanks_in_series", 3),
                                            ("tanks_in_series", 500), ("plug", 1)])
def test_mill_conserves_mass(model, n_tanks):
    """The product carries the feed's mass to 1e-12 for every mixing model."""
    f = 250.0 * FEED  # t/h
    p = mill_product(f, S, B, tau=6.0, model=model, n_tanks=n_tanks)
    assert abs(p.sum() - 250.0) < 1e-12 * 250.0
    assert p.min() > -1e-12


def test_tanks_in_series_tend_to_plug_flow():
    """N equal tanks in series approach plug flow (the batch solution at t = tau) as N
    grows, the error falling as 1/N; one tank is perfect mixing."""
    tau = 4.0
    plug = batch_grinding(FEED, S, B, tau)
    errors = [np.abs(mill_product(FEED, S, B, tau, "tanks_in_series", n) - plug).max()
              for n in (10, 100, 1000)]
    assert errors[2] < 1e-3 and errors[1] / errors[2] == pytest.approx(10, rel=0.05)
    assert mill_product(FEED, S, B, tau, "plug") == pytest.approx(plug)
    assert mill_product(FEED, S, B, tau, "tanks_in_series", 1) == pytest.approx(
        mill_product(FEED, S, B, tau))


def test_mill_per_species():
    """Each mineral breaks at its own rate; rows match one-mineral solves."""
    s2 = np.stack([S, 0.5 * S])
    p = mill_product(np.stack([FEED, FEED]), s2, B, tau=3.0)
    assert p.shape == (2, N)
    assert p[1] == pytest.approx(mill_product(FEED, 0.5 * S, B, tau=3.0))
    assert p[1, 0] > p[0, 0]  # the slower mineral keeps more top size


@pytest.mark.parametrize("kwargs, name", [
    ({"model": "mixed"}, "'model'"), ({"n_tanks": 0, "model": "tanks_in_series"}, "'n_tanks'"),
    ({"n_tanks": 3}, "'n_tanks'"), ({"tau": -1.0}, "'tau'"), ({"tau": [1.0, 2.0]}, "'tau'")])
def test_mill_rejects_bad_inputs(kwargs, name):
    """Unknown models, tank counts for other models and negative times are refused."""
    args = {"tau": 1.0} | kwargs
    with pytest.raises(SchemaError, match=name):
        mill_product(FEED, S, B, **args)


# --- Whiten crusher ---------------------------------------------------------------------------

def test_whiten_classification_shape():
    """C = 0 up to K1, 1 from K2, 1 - ((K2 - d)/(K2 - K1))^K3 between."""
    c = whiten_classification([10.0, 100.0, 150.0, 300.0, 900.0], 100.0, 300.0, 1.5)
    assert c == pytest.approx([0.0, 0.0, 1 - 0.75**1.5, 1.0, 1.0])
    assert whiten_classification([150.0], [100.0, 120.0], 300.0, 1.0).shape == (2, 1)
    with pytest.raises(SchemaError, match="'k2'"):
        whiten_classification([1.0], 300.0, 300.0, 1.0)
    with pytest.raises(SchemaError, match="'k3'"):
        whiten_classification([1.0], 100.0, 300.0, 0.0)


def test_whiten_crusher_by_hand():
    """p = (I - C)(I - BC)^-1 f on three classes (midpoints 800, 200, 50 um) with
    K1 = 100, K2 = 300, K3 = 1, so C = (1, 0.5, 0): x = (0.5, 0.6, 0.7), p = (0, 0.3, 0.7)."""
    grid = SizeGrid([400, 100])
    b = [[0, 0, 0], [0.6, 0, 0], [0.4, 1.0, 0]]
    p = whiten_crusher([0.5, 0.3, 0.2], grid, 100.0, 300.0, 1.0, b)
    assert p == pytest.approx([0.0, 0.3, 0.7], abs=1e-15)


def test_whiten_crusher_conserves_mass_and_breaks_everything_above_k2():
    """All mass leaves; no class whose size is above K2 reports to the product, since B
    sends fragments only down; classes below K1 only gain."""
    k1, k2 = 400.0, 1500.0
    f = 120.0 * np.full(N, 1.0 / N)
    p = whiten_crusher(f, GRID, k1, k2, 2.3, B)
    assert abs(p.sum() - 120.0) < 1e-12 * 120.0
    above = GRID.midpoints >= k2
    assert above.any() and np.all(p[above] == 0)
    below = GRID.midpoints <= k1  # unbroken, and receiving fragments
    assert np.all(p[below] >= f[below])


def test_whiten_crusher_passes_fines_unbroken():
    """A feed entirely finer than K1 is not touched."""
    f = np.zeros(N)
    f[GRID.midpoints < 300.0] = 1.0
    assert whiten_crusher(f, GRID, 300.0, 2000.0, 1.0, B) == pytest.approx(f, abs=1e-15)


def test_whiten_crusher_per_species():
    """Each mineral may have its own K1, K2, K3 and breakage matrix."""
    b2 = np.stack([B, austin_breakage_matrix(GRID, 0.3, 1.2, 3.0)])
    f = np.stack([FEED, FEED])
    p = whiten_crusher(f, GRID, [500.0, 800.0], [2000.0, 3000.0], 2.0, b2)
    assert p.shape == (2, N)
    assert p[1] == pytest.approx(whiten_crusher(FEED, GRID, 800.0, 3000.0, 2.0, b2[1]))
    assert p.sum(axis=1) == pytest.approx([1.0, 1.0], abs=1e-12)
