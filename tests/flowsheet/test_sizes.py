"""Tests of the size grid and the particle-size distributions in :mod:`flowsheet.sizes`."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from flowsheet.errors import SchemaError
from flowsheet.sizes import (
    SizeGrid,
    from_table,
    gates_gaudin_schuhmann,
    mix,
    p80,
    passing,
    percentile_size,
    retained_from_passing,
    rosin_rammler,
)

GRID = SizeGrid.default()
# ISO 565 / ASTM E11 sieve apertures [um]: a laboratory stack that is not on the sqrt(2) grid.
ISO = [1180.0, 850.0, 600.0, 425.0, 300.0, 212.0, 150.0, 106.0, 75.0, 53.0, 38.0]


def test_grid_classes_and_bounds():
    """Class k lies between sieves k-1 and k; class 0 tops out one ratio above the top sieve,
    the pan has lower bound 0 and a midpoint one half-ratio below the finest sieve."""
    g = SizeGrid([800, 400, 200])
    assert g.n_classes == 4
    assert g.upper.tolist() == [1600.0, 800.0, 400.0, 200.0]
    assert g.lower.tolist() == [800.0, 400.0, 200.0, 0.0]
    assert g.midpoints == pytest.approx([800 * 2**0.5, 400 * 2**0.5, 200 * 2**0.5, 100 * 2**0.5])


def test_default_grid_is_the_documented_sqrt2_series():
    """The default grid runs 256,000 um down to 256,000 / 2**14.5 = 11.05 um in sqrt(2) steps."""
    s = GRID.sieves
    assert s.size == 30 and GRID.n_classes == 31
    assert s[0] == 256_000.0 and s[-1] == pytest.approx(256_000 / 2**14.5)
    assert np.allclose(s[:-1] / s[1:], 2**0.5)


def test_grid_is_hashable_and_equal_by_values():
    """Two grids with the same sieves are equal and hash alike; the sieve array is read-only."""
    a, b = SizeGrid([150, 106, 75]), SizeGrid.from_sieves(np.array([150.0, 106.0, 75.0]))
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != SizeGrid([150, 106, 53])
    with pytest.raises(ValueError):
        a.sieves[0] = 1.0


@pytest.mark.parametrize("m", [0.5, 0.8, 1.0, 1.3])
def test_p80_is_exact_when_it_falls_on_a_sieve(m):
    """RR and GGS built with P80 equal to a sieve give that P80 back exactly (by construction:
    80 % passes that sieve, so no interpolation error enters)."""
    target = float(GRID.sieves[14])
    for build in (rosin_rammler, gates_gaudin_schuhmann):
        assert p80(GRID, build(GRID, target, m)) == pytest.approx(target, rel=1e-9)


@pytest.mark.parametrize("m", [0.5, 0.7, 1.0])
def test_p80_between_sieves_within_interpolation_error(m):
    """Off the sieves, log-linear interpolation on a sqrt(2) grid recovers the P80 of an RR
    distribution within 1 % and of a GGS distribution within 1.5 % for m <= 1."""
    targets = np.geomspace(40.0, 40_000.0, 37)
    rr = p80(GRID, rosin_rammler(GRID, targets, m))
    ggs = p80(GRID, gates_gaudin_schuhmann(GRID, targets, m))
    assert np.max(np.abs(rr / targets - 1)) < 0.01
    assert np.max(np.abs(ggs / targets - 1)) < 0.015


@pytest.mark.parametrize("m", [0.5, 0.7, 0.85, 1.0])
def test_rosin_rammler_p50_over_p80(m):
    """For RR, P50/P80 = (ln 2 / ln 5)**(1/m) analytically; on the sqrt(2) grid the interpolated
    ratio is within 1.5 % for m <= 1 (steeper curves err more)."""
    r = rosin_rammler(GRID, np.geomspace(100.0, 10_000.0, 9), m)
    ratio = percentile_size(GRID, r, 50.0) / percentile_size(GRID, r, 80.0)
    assert np.allclose(ratio, (math.log(2) / math.log(5)) ** (1 / m), rtol=0.015)


def test_schuhmann_size_modulus():
    """GGS: k = P80 / 0.8**(1/m) is the top size (nothing coarser) and F(x) = (x/k)**m below it
    (Schuhmann 1940)."""
    m, k = 0.6, 1000.0
    g = SizeGrid([2000, 1000, 500, 250, 125])
    r = gates_gaudin_schuhmann(g, k * 0.8 ** (1 / m), m)
    assert r[:2].tolist() == [0.0, 0.0]
    assert passing(g, r)[1:] == pytest.approx((g.sieves[1:] / k) ** m)


def test_from_table_reproduces_the_p80_of_an_analytic_ggs_table():
    """A sieve analysis read onto a grid keeps its P80. No published sieve analysis with a
    reported P80 could be verified, so the table is analytic: GGS with P80 = 150 um, m = 0.8,
    at ISO sieves, rows shuffled. On the table's own sieves the P80 (a sieve) is exact; on the
    default sqrt(2) grid it is within 1.5 %."""
    m, target = 0.8, 150.0
    k = target / 0.8 ** (1 / m)
    sizes = np.array(ISO)
    pct = 100 * np.minimum(1.0, (sizes / k) ** m)
    order = np.random.default_rng(1).permutation(sizes.size)
    own = SizeGrid(ISO)
    assert p80(own, from_table(own, sizes[order], pct[order])) == pytest.approx(target, rel=1e-9)
    assert p80(GRID, from_table(GRID, sizes[order], pct[order])) == pytest.approx(target, rel=0.015)


def test_from_table_edges():
    """Grid sieves above the table pass 100 %; below it the GGS line of the two finest rows is
    followed, and a finest row passing nothing gives nothing finer."""
    g = SizeGrid([800, 400, 200, 100, 50])
    F = passing(g, from_table(g, [400, 200], [90, 60]))
    m = math.log(90 / 60) / math.log(2)
    assert F == pytest.approx([1.0, 0.9, 0.6, 0.6 * 0.5**m, 0.6 * 0.25**m])
    assert passing(g, from_table(g, [400, 200], [40, 0]))[2:].tolist() == [0.0, 0.0, 0.0]


def test_passing_round_trip():
    """passing and retained_from_passing are inverses, for fractions and for masses."""
    r = rosin_rammler(GRID, 500.0, 0.9)
    assert retained_from_passing(GRID, passing(GRID, r)) == pytest.approx(r, abs=1e-15)
    assert passing(GRID, 7.5 * r) == pytest.approx(passing(GRID, r), abs=1e-15)


def test_mix_is_the_mass_weighted_mean_and_conserves_mass():
    """Mixing keeps each class's mass: M_total * r_mix = sum_j M_j r_j; zero mass gives zeros."""
    parts = np.stack([rosin_rammler(GRID, 100.0, 1.0), rosin_rammler(GRID, 3000.0, 0.7)])
    M = np.array([2.0, 6.0])
    r = mix(M, parts)
    assert r == pytest.approx((2 * parts[0] + 6 * parts[1]) / 8)
    assert (M.sum() * r).sum() == pytest.approx(M.sum())
    assert mix([0.0, 0.0], parts).tolist() == [0.0] * GRID.n_classes
    species = mix(np.ones((2, 3)), np.broadcast_to(parts[:, None, :], (2, 3, GRID.n_classes)))
    assert species.shape == (3, GRID.n_classes)


def test_vectorised_over_species():
    """A (3, n) array is treated row by row: each row's P80 and passing match its own result;
    a zero-mass row gives NaN."""
    r = rosin_rammler(GRID, np.array([100.0, 1000.0, 10_000.0]), np.array([0.8, 1.0, 1.2]))
    assert r.shape == (3, GRID.n_classes)
    sizes = percentile_size(GRID, r, 80.0)
    for i in range(3):
        assert sizes[i] == pytest.approx(percentile_size(GRID, r[i], 80.0), rel=1e-14)
        assert np.allclose(passing(GRID, r)[i], passing(GRID, r[i]), rtol=1e-14, atol=0)
    with_zero = np.vstack([r, np.zeros(GRID.n_classes)])
    assert np.isnan(p80(GRID, with_zero)[3]) and np.all(np.isnan(passing(GRID, with_zero)[3]))


def test_percentile_in_the_end_classes():
    """In class 0 the curve runs to the class-0 upper bound; in the pan, to 0 % one sieve ratio
    below the finest sieve."""
    g = SizeGrid([400, 200, 100])
    assert p80(g, [1.0, 0, 0, 0]) == pytest.approx(400 * 2**0.8)
    assert p80(g, [0, 0, 0, 1.0]) == pytest.approx(50 * 2**0.8)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: SizeGrid([150, 106, 150]), "150 um follows 106 um"),
        (lambda: SizeGrid([150, 0, -3]), "positive"),
        (lambda: SizeGrid([150]), "at least 2 sieves"),
        (lambda: SizeGrid.geometric(10, 100), "top > bottom"),
        (lambda: from_table(GRID, [100, 200, 300], [50, 40, 100]), "row 1 (100 um, 50 %)"),
        (lambda: from_table(GRID, [100, 200], [50, 120]), "row 2 (200 um)"),
        (lambda: from_table(GRID, [100, 100], [50, 60]), "rows 1 and 2 repeat"),
        (lambda: from_table(GRID, [100], [50]), "at least 2 rows"),
        (lambda: rosin_rammler(GRID, np.array([[5.0, -5.0]] * 9), 1.0), "'p80'"),
        (lambda: gates_gaudin_schuhmann(GRID, 100.0, 0.0), "'m'"),
        (lambda: percentile_size(GRID, np.ones(GRID.n_classes), 0.0), "percent"),
        (lambda: passing(GRID, np.ones(5)), "31 size classes"),
        (lambda: retained_from_passing(SizeGrid([2, 1]), [0.2, 0.5]), "not grow"),
        (lambda: mix([1.0], np.ones((2, 4))), "one mass per part"),
    ],
)
def test_bad_input_raises_one_line_schema_error(call, words):
    """Bad sieve tables, grids and parameters raise SchemaError with a one-line message that
    names the offending value or row."""
    with pytest.raises(SchemaError) as info:
        call()
    assert words in str(info.value) and "\n" not in str(info.value)


@given(p80_um=st.floats(0.01, 1e7), m=st.floats(0.05, 10.0))
def test_rosin_rammler_is_a_distribution(p80_um, m):
    """Any valid RR gives non-negative retained fractions that sum to 1."""
    r = rosin_rammler(GRID, p80_um, m)
    assert np.all(r >= 0) and r.sum() == pytest.approx(1.0, abs=1e-12)
