"""The size grid and particle-size distributions; every size is in micrometres [um].

A :class:`SizeGrid` is a stack of sieves, coarsest first. A distribution on it is an array of
shape ``(..., n_classes)`` holding the mass fraction (or mass) of each size class: class 0 is
retained on the top sieve, class ``k`` passes sieve ``k - 1`` and is retained on sieve ``k``,
and the last class is the pan. Leading axes are free (one row per species, stream or case)
and every function is vectorised over them.

Between sieves, cumulative passing is interpolated linearly in log(size), as on the usual
semi-log size plot.

>>> grid = SizeGrid.from_sieves([300, 212, 150, 106, 75])
>>> grid.n_classes
6
>>> feed = rosin_rammler(grid, p80=150.0, m=1.2)
>>> round(float(p80(grid, feed)), 6)
150.0
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from flowsheet.errors import SchemaError

__all__ = [
    "SizeGrid",
    "passing",
    "retained_from_passing",
    "rosin_rammler",
    "gates_gaudin_schuhmann",
    "from_table",
    "percentile_size",
    "p80",
    "mix",
]

Array = NDArray[np.float64]


def _check_sieves(values: ArrayLike) -> tuple[float, ...]:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or arr.size < 2:
        raise SchemaError(f"a size grid needs at least 2 sieves, got {arr.size}",
                          hint="list sieve apertures in um, coarsest first")
    for a, b in zip(arr[:-1], arr[1:], strict=True):
        if not (math.isfinite(b) and b > 0 and math.isfinite(a) and a > 0):
            bad = a if not (math.isfinite(a) and a > 0) else b
            raise SchemaError(f"sieve sizes must be positive and finite: got {bad:g} um")
        if not b < a:
            raise SchemaError(f"sieve sizes must decrease strictly: {b:g} um follows {a:g} um",
                              hint="list sieve apertures coarsest first")
    return tuple(float(v) for v in arr)


@dataclass(frozen=True, init=False, repr=False)
class SizeGrid:
    """Sieve apertures [um], strictly decreasing; ``len(sieves) + 1`` size classes.

    Equal and hashable by its sieve values.

    >>> g = SizeGrid([4000, 2000, 1000])
    >>> g.upper.tolist(), g.lower.tolist()
    ([8000.0, 4000.0, 2000.0, 1000.0], [4000.0, 2000.0, 1000.0, 0.0])
    >>> g == SizeGrid.from_sieves((4000.0, 2000.0, 1000.0))
    True
    """

    _sieves: tuple[float, ...]

    def __init__(self, sieves: ArrayLike) -> None:
        object.__setattr__(self, "_sieves", _check_sieves(sieves))

    @classmethod
    def from_sieves(cls, sieves: Sequence[float] | ArrayLike) -> SizeGrid:
        """Build a grid from sieve apertures [um], checking they are positive and decrease."""
        return cls(sieves)

    @classmethod
    def geometric(cls, top: float, bottom: float, ratio: float = 2**0.5) -> SizeGrid:
        """Sieves ``top, top/ratio, top/ratio**2, ...`` [um], down to the last one >= ``bottom``.

        >>> SizeGrid.geometric(1000, 300, ratio=2).sieves.tolist()
        [1000.0, 500.0]
        """
        if not (top > bottom > 0 and ratio > 1):
            raise SchemaError(f"a geometric sieve series needs top > bottom > 0 and ratio > 1, "
                              f"got top={top:g}, bottom={bottom:g}, ratio={ratio:g}")
        n = math.floor(math.log(top / bottom) / math.log(ratio) + 1e-9)
        return cls(top / ratio ** np.arange(n + 1))

    @classmethod
    def default(cls) -> SizeGrid:
        """The sqrt(2) series from 256 mm: 30 sieves, 256,000 um down to 11.05 um.

        The finest sieve is 256,000 / 2**14.5 = 11.049 um (the last one >= 10 um); there are
        31 classes, the pan holding everything finer.

        >>> g = SizeGrid.default()
        >>> g.n_classes, round(float(g.sieves[-1]), 3)
        (31, 11.049)
        """
        return cls.geometric(256_000.0, 10.0)

    @property
    def sieves(self) -> Array:
        """Sieve apertures [um], coarsest first (a read-only array)."""
        arr = np.array(self._sieves)
        arr.flags.writeable = False
        return arr

    @property
    def n_classes(self) -> int:
        """Number of size classes: one per sieve plus the pan."""
        return len(self._sieves) + 1

    @property
    def upper(self) -> Array:
        """Upper bound of each class [um]; class 0 extends one top-sieve ratio above the top."""
        s = np.array(self._sieves)
        return np.concatenate(([s[0] * s[0] / s[1]], s))

    @property
    def lower(self) -> Array:
        """Lower bound of each class [um]; 0 for the pan."""
        return np.concatenate((self._sieves, [0.0]))

    @property
    def midpoints(self) -> Array:
        """Geometric mean of each class's bounds [um]; pan: finest / sqrt(last sieve ratio)."""
        s = np.array(self._sieves)
        mid = np.sqrt(self.upper[:-1] * self.lower[:-1])
        return np.concatenate((mid, [s[-1] / math.sqrt(s[-2] / s[-1])]))

    def __repr__(self) -> str:
        if len(self._sieves) <= 8:
            return f"SizeGrid([{', '.join(f'{v:g}' for v in self._sieves)}])"
        return f"SizeGrid({len(self._sieves)} sieves, {self._sieves[0]:g} to " \
               f"{self._sieves[-1]:.4g} um)"


def _classes(grid: SizeGrid, retained: ArrayLike) -> Array:
    arr = np.asarray(retained, dtype=float)
    if arr.ndim == 0 or arr.shape[-1] != grid.n_classes:
        raise SchemaError(f"a distribution on this grid needs {grid.n_classes} size classes, "
                          f"got shape {arr.shape}")
    return arr


def passing(grid: SizeGrid, retained: ArrayLike) -> Array:
    r"""Cumulative fraction passing each sieve [-], shape ``(..., n_sieves)``.

    .. math:: P_i = \sum_{k > i} r_k \Big/ \sum_k r_k

    ``retained`` may hold fractions or masses; rows of zero total give NaN.

    >>> passing(SizeGrid([200, 100]), [1.0, 2.0, 1.0]).tolist()
    [0.75, 0.25]
    """
    r = _classes(grid, retained)
    tail = np.cumsum(r[..., ::-1], axis=-1)[..., ::-1]  # mass at or below each class
    total = tail[..., :1]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total != 0, tail[..., 1:] / np.where(total != 0, total, 1.0), np.nan)


def retained_from_passing(grid: SizeGrid, passing_at_sieves: ArrayLike) -> Array:
    r"""Retained fraction of each class [-] from the fraction passing each sieve [-].

    .. math:: r_0 = 1 - P_0, \quad r_k = P_{k-1} - P_k, \quad r_{pan} = P_{n-1}

    >>> retained_from_passing(SizeGrid([200, 100]), [0.75, 0.25]).tolist()
    [0.25, 0.5, 0.25]
    """
    p = np.asarray(passing_at_sieves, dtype=float)
    if p.ndim == 0 or p.shape[-1] != grid.n_classes - 1:
        raise SchemaError(f"passing needs one value per sieve ({grid.n_classes - 1}), "
                          f"got shape {p.shape}")
    with np.errstate(invalid="ignore"):
        if np.any((p < 0) | (p > 1)) or np.any(np.diff(p, axis=-1) > 1e-12):
            raise SchemaError("fraction passing must lie in 0..1 and not grow on finer sieves")
    c = np.concatenate((np.ones(p.shape[:-1] + (1,)), p, np.zeros(p.shape[:-1] + (1,))), axis=-1)
    return c[..., :-1] - c[..., 1:]


def _positive(name: str, value: ArrayLike) -> Array:
    arr = np.asarray(value, dtype=float)
    bad = arr[~(np.isfinite(arr) & (arr > 0))]
    if bad.size:
        raise SchemaError(f"'{name}' must be positive and finite, got {bad.flat[0]:g}")
    return arr[..., None]


def rosin_rammler(grid: SizeGrid, p80: ArrayLike, m: ArrayLike) -> Array:
    r"""Retained fractions [-] of a Rosin-Rammler (Weibull) distribution.

    .. math:: F(x) = 1 - \exp[-(x/x_{63})^m], \quad x_{63} = P_{80} / (\ln 5)^{1/m}

    ``p80`` [um] and ``m`` [-] broadcast to the leading axes of the result.
    Source: Rosin, P. and Rammler, E. (1933), "The laws governing the fineness of powdered
    coal", J. Inst. Fuel 7, 29-36.

    >>> r = rosin_rammler(SizeGrid([300, 150]), p80=150.0, m=1.0)
    >>> r.round(4).tolist()  # F(150 um) = 0.8 exactly
    [0.04, 0.16, 0.8]
    """
    p80_, m_ = _positive("p80", p80), _positive("m", m)
    x63 = p80_ / np.log(5.0) ** (1.0 / m_)
    return retained_from_passing(grid, -np.expm1(-((grid.sieves / x63) ** m_)))


def gates_gaudin_schuhmann(grid: SizeGrid, p80: ArrayLike, m: ArrayLike) -> Array:
    r"""Retained fractions [-] of a Gates-Gaudin-Schuhmann (power-law) distribution.

    .. math:: F(x) = \min[1, (x/k)^m], \quad k = P_{80} / 0.8^{1/m}

    ``k`` [um] is Schuhmann's size modulus, the top size. ``p80`` [um] and ``m`` [-] broadcast.
    Sources: Gaudin, A. M. (1926), "An investigation of crushing phenomena", Trans. AIME 73,
    253-316; Schuhmann, R. (1940), "Principles of comminution, I", AIME Tech. Pub. 1189.

    >>> r = gates_gaudin_schuhmann(SizeGrid([400, 200, 100]), p80=160.0, m=1.0)
    >>> r.round(4).tolist()  # k = 200 um
    [0.0, 0.0, 0.5, 0.5]
    """
    p80_, m_ = _positive("p80", p80), _positive("m", m)
    k = p80_ / 0.8 ** (1.0 / m_)
    return retained_from_passing(grid, np.minimum(1.0, (grid.sieves / k) ** m_))


def _log_interp(x: Array, x_lo: Array, x_hi: Array, f_lo: Array, f_hi: Array) -> Array:
    """Value at ``x`` on the straight line through two points on a log(size) axis."""
    return f_lo + (f_hi - f_lo) * np.log(x / x_lo) / np.log(x_hi / x_lo)


def from_table(grid: SizeGrid, sizes: ArrayLike, percent_passing: ArrayLike) -> Array:
    r"""Retained fractions [-] on ``grid`` from a sieve analysis (sizes [um], % passing).

    Rows may come in any order (row numbers in errors count from 1). At each grid sieve the
    cumulative passing is interpolated linearly in log(size) between the bracketing rows;
    above the largest table size it is 100 %; below the smallest it follows the
    Gates-Gaudin-Schuhmann power law through the two finest rows,

    .. math:: F(x) = F_1 (x / x_1)^m, \quad m = \ln(F_2 / F_1) / \ln(x_2 / x_1)

    (0 if the finest row passes nothing).

    >>> g = SizeGrid([400, 200, 100, 50])
    >>> from_table(g, [50, 200, 100], [25, 100, 50]).round(4).tolist()
    [0.0, 0.0, 0.5, 0.25, 0.25]
    >>> from_table(SizeGrid([100, 50, 25]), [100, 50], [80, 40]).round(4).tolist()
    [0.2, 0.4, 0.2, 0.2]
    """
    x = np.asarray(sizes, dtype=float)
    f = np.asarray(percent_passing, dtype=float)
    if x.ndim != 1 or x.shape != f.shape or x.size < 2:
        raise SchemaError(f"a sieve table needs at least 2 rows of size and % passing, got "
                          f"{x.size} sizes and {f.size} values")
    for i, (xi, fi) in enumerate(zip(x, f, strict=True), start=1):
        if not (math.isfinite(xi) and xi > 0):
            raise SchemaError(f"sieve table row {i}: size must be positive, got {xi:g} um")
        if not 0 <= fi <= 100:
            raise SchemaError(f"sieve table row {i} ({xi:g} um): % passing must lie in 0..100, "
                              f"got {fi:g}")
    order = np.argsort(x, kind="stable")
    for a, b in zip(order[:-1], order[1:], strict=True):
        if x[a] == x[b]:
            raise SchemaError(f"sieve table rows {a + 1} and {b + 1} repeat size {x[a]:g} um")
        if f[a] > f[b]:
            raise SchemaError(f"sieve table row {a + 1} ({x[a]:g} um, {f[a]:g} %) passes more "
                              f"than the coarser row {b + 1} ({x[b]:g} um, {f[b]:g} %)")
    xs, fs = x[order], f[order] / 100.0
    s = grid.sieves
    hi = np.clip(np.searchsorted(xs, s), 1, xs.size - 1)
    F = _log_interp(s, xs[hi - 1], xs[hi], fs[hi - 1], fs[hi])
    if fs[0] > 0:
        slope = math.log(fs[1] / fs[0]) / math.log(xs[1] / xs[0])
        F = np.where(s < xs[0], fs[0] * (s / xs[0]) ** slope, F)
    F = np.where(s > xs[-1], 1.0, F)
    return retained_from_passing(grid, np.clip(F, 0.0, 1.0))


def percentile_size(grid: SizeGrid, retained: ArrayLike, percent: float = 80.0) -> Array | float:
    r"""Size [um] through which ``percent`` % of the mass passes (P80, P50, ...).

    Cumulative % passing is interpolated linearly against log(size) between the two sieves
    that bracket ``percent`` -- the common practice, as when the size is read off a
    semi-log plot:

    .. math:: \ln x = \ln x_1 + (\ln x_2 - \ln x_1) \frac{p - F_1}{F_2 - F_1}

    The result is exact when ``percent`` falls on a sieve or the curve is straight in
    log(size) between the two sieves. It is not exact for a Gates-Gaudin-Schuhmann or
    Rosin-Rammler curve: with m <= 1 on a sqrt(2) grid, the P80 errs by up to 1.5 % (GGS)
    and 1 % (RR), more for steeper curves or coarser grids. In the top class the line runs
    to 100 % at the class-0 upper bound; in the pan it runs to 0 % one sieve ratio below the
    finest sieve. Rows of zero mass give NaN; a 1-D ``retained`` gives a float.

    >>> g = SizeGrid([400, 200, 100])
    >>> percentile_size(g, [0.0, 0.2, 0.3, 0.5])  # 80 % passes 200 um exactly
    200.0
    >>> round(percentile_size(g, [0.0, 0.2, 0.3, 0.5], 65.0), 2)  # half way: 100 * 2**0.5
    141.42
    """
    if not 0 < percent <= 100:
        raise SchemaError(f"percent must lie in (0, 100], got {percent!r}")
    r = _classes(grid, retained)
    s = grid.sieves
    x = np.concatenate(([s[-1] ** 2 / s[-2]], s[::-1], grid.upper[:1]))
    F = passing(grid, r)[..., ::-1]
    F = np.concatenate((np.zeros(F.shape[:-1] + (1,)), np.clip(F, 0, 1),
                        np.ones(F.shape[:-1] + (1,))), axis=-1)
    p = percent / 100.0
    with np.errstate(invalid="ignore"):
        j = np.clip(np.argmax(F >= p * (1 - 1e-12), axis=-1), 1, x.size - 1)[..., None]
    f_lo = np.take_along_axis(F, j - 1, axis=-1)[..., 0]
    f_hi = np.take_along_axis(F, j, axis=-1)[..., 0]
    x_lo, x_hi = x[j[..., 0] - 1], x[j[..., 0]]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.clip((p - f_lo) / (f_hi - f_lo), 0.0, 1.0)
        size = np.where(np.isnan(F[..., 1]), np.nan, x_lo * (x_hi / x_lo) ** t)
    return float(size) if size.ndim == 0 else size


def p80(grid: SizeGrid, retained: ArrayLike) -> Array | float:
    """Size [um] that 80 % of the mass passes; ``percentile_size(grid, retained, 80)``.

    >>> g = SizeGrid([400, 200, 100])
    >>> round(p80(g, [0.0, 0.1, 0.4, 0.5]), 1)  # 90 % passes 200 um, 50 % passes 100 um
    168.2
    """
    return percentile_size(grid, retained, 80.0)


def mix(masses: ArrayLike, retained: ArrayLike) -> Array:
    r"""Size distribution [-] of a mixture: the mass-weighted mean of its parts' distributions.

    .. math:: r_{mix} = \sum_j M_j r_j \Big/ \sum_j M_j

    ``masses`` has shape ``(k, ...)`` [any mass unit] and ``retained`` ``(k, ..., n_classes)``;
    a zero total mass gives zeros.

    >>> mix([1.0, 3.0], [[1.0, 0.0], [0.0, 1.0]]).tolist()
    [0.25, 0.75]
    """
    M = np.asarray(masses, dtype=float)
    r = np.asarray(retained, dtype=float)
    if r.ndim < 1 or M.ndim > r.ndim or M.shape[:1] != r.shape[:1]:
        raise SchemaError(f"mix needs one mass per part: masses {M.shape}, retained {r.shape}")
    M = M.reshape(M.shape + (1,) * (r.ndim - M.ndim))
    total = M.sum(axis=0)
    weighted = (M * r).sum(axis=0)
    return np.where(total > 0, weighted / np.where(total > 0, total, 1.0), 0.0)
