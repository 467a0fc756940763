r"""Solvent-extraction equilibrium: organic metal concentration against aqueous.

An isotherm gives the organic concentration :math:`y` [g/L of organic] in equilibrium
with the aqueous concentration :math:`x` [g/L of aqueous] of the extracted metal (copper,
counted as the element). The same curves serve extraction and stripping: an extraction
isotherm is measured on the pregnant leach solution, a strip isotherm on the strong-acid
electrolyte, and the cascade moves along the curve in one direction or the other.

* :func:`linear_isotherm` -- :math:`y = D x`, the straight line of the Kremser equation.
* :func:`langmuir_isotherm` -- a saturating loading curve of Langmuir's form.
* :func:`oxime_isotherm` -- copper with a hydroxyoxime (LIX-type) extractant from the mass
  action of :math:`Cu^{2+} + 2\,HR_{(org)} = CuR_{2(org)} + 2\,H^+`, with the acid released
  by extraction: the curve of a given solution depends on its acid.
* :class:`Isotherm` -- one of those, or a measured table interpolated by scipy's monotone
  PCHIP, with its inverse and slope, as the stage calculations use it.

Every function is vectorised over ``x``.

>>> iso = Isotherm.from_table([0.5, 1.0, 2.0, 3.0], [3.0, 5.0, 7.0, 7.8])
>>> float(iso.organic(2.0)), round(float(iso.aqueous(7.0)), 12)
(7.0, 2.0)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["MOLAR_MASS_CU", "MOLAR_MASS_H2SO4", "linear_isotherm", "langmuir_isotherm",
           "langmuir_aqueous", "oxime_distribution", "oxime_isotherm", "check_monotonic",
           "Isotherm"]

#: Molar mass of copper [g/mol] (IUPAC standard atomic weight).
MOLAR_MASS_CU = 63.546
#: Molar mass of sulfuric acid [g/mol].
MOLAR_MASS_H2SO4 = 98.072
#: Floor of the hydrogen-ion concentration in :func:`oxime_isotherm` [mol/L].
_H_FLOOR = 1e-6


def linear_isotherm(x: ArrayLike, d: float) -> np.ndarray:
    r"""Straight isotherm :math:`y = D\,x` [g/L].

    Parameters
    ----------
    x : float or array
        Aqueous concentration [g/L].
    d : float
        Distribution coefficient [-], > 0.

    Examples
    --------
    >>> linear_isotherm([1.0, 2.0], 4.0).tolist()
    [4.0, 8.0]
    """
    if d <= 0:
        raise ValueError("the distribution coefficient must be > 0")
    return d * np.asarray(x, dtype=float)


def langmuir_isotherm(x: ArrayLike, y_max: float, k: float) -> np.ndarray:
    r"""Saturating loading :math:`y = y_{max} K x / (1 + K x)` [g/L].

    Langmuir's form (I. Langmuir, "The adsorption of gases on plane surfaces of glass,
    mica and platinum", J. Am. Chem. Soc. 40 (1918) 1361-1403,
    DOI 10.1021/ja02242a004), used here as an empirical fit of a loading curve: it is
    linear (:math:`D = y_{max} K`) at low concentration and tends to the maximum loading
    :math:`y_{max}` of the organic. It ignores the acid the extraction releases (use
    :func:`oxime_isotherm` for that).

    Parameters
    ----------
    x : float or array
        Aqueous concentration [g/L], >= 0.
    y_max : float
        Maximum organic loading [g/L], > 0.
    k : float
        Affinity constant [L/g], > 0.

    Examples
    --------
    At :math:`K x = 1` the organic is half loaded:

    >>> float(langmuir_isotherm(0.5, 10.0, 2.0))
    5.0
    """
    if y_max <= 0 or k <= 0:
        raise ValueError("the maximum loading and the affinity constant must be > 0")
    x = np.asarray(x, dtype=float)
    return y_max * k * x / (1.0 + k * x)


def langmuir_aqueous(y: ArrayLike, y_max: float, k: float) -> np.ndarray:
    r"""Inverse of :func:`langmuir_isotherm`: :math:`x = y / (K (y_{max} - y))` [g/L].

    Examples
    --------
    >>> float(langmuir_aqueous(5.0, 10.0, 2.0))
    0.5
    """
    y = np.asarray(y, dtype=float)
    if np.any(y >= y_max):
        raise ValueError(f"organic loading must stay below the maximum {y_max:g} g/L")
    return y / (k * (y_max - y))


def oxime_distribution(extractant_free: ArrayLike, hydrogen: ArrayLike, k_ex: float
                       ) -> np.ndarray:
    r"""Copper distribution coefficient of a hydroxyoxime extractant.

    From the extraction equilibrium :math:`Cu^{2+} + 2\,HR_{(org)} = CuR_{2(org)} +
    2\,H^+` (equivalently :math:`CuSO_4 + 2\,HR = CuR_2 + H_2SO_4`) with concentrations
    in place of activities:

    .. math:: D = \frac{[CuR_2]}{[Cu^{2+}]} = K_{ex} \frac{[HR]^2}{[H^+]^2}

    M. E. Schlesinger, M. J. King, K. C. Sole, W. G. Davenport, Extractive Metallurgy of
    Copper, 5th ed., Elsevier, 2011, chapter 17 (the equilibrium and its shift with
    acid); G. M. Ritcey, A. W. Ashbrook, Solvent Extraction: Principles and Applications
    to Process Metallurgy, Part I, Elsevier, 1984 (mass action of chelating extractants).

    Parameters
    ----------
    extractant_free : float or array
        Uncomplexed extractant :math:`[HR]` [mol/L of organic].
    hydrogen : float or array
        :math:`[H^+]` [mol/L of aqueous], > 0.
    k_ex : float
        Conditional extraction constant [-], > 0.

    Examples
    --------
    Ten times the acid lowers D a hundredfold:

    >>> round(float(oxime_distribution(0.2, 0.01, 1.0) / oxime_distribution(0.2, 0.1, 1.0)), 9)
    100.0
    """
    hr, h = np.asarray(extractant_free, dtype=float), np.asarray(hydrogen, dtype=float)
    return k_ex * hr**2 / h**2


def oxime_isotherm(x: ArrayLike, extractant: float, k_ex: float, x_ref: float,
                   acid_ref: float) -> np.ndarray:
    r"""Organic copper [g/L] in equilibrium with aqueous copper ``x`` [g/L] for a
    hydroxyoxime, the aqueous acid changing with the copper it exchanges.

    The aqueous solution is the one that holds ``acid_ref`` g/L H2SO4 at ``x_ref`` g/L Cu;
    each mole of copper extracted from it releases one mole of H2SO4 (and each mole
    stripped into it consumes one), so at ``x``

    .. math:: [H^+] = \frac{2}{M_{H_2SO_4}}\left(a_{ref} + (x_{ref} - x)
              \frac{M_{H_2SO_4}}{M_{Cu}}\right)

    (sulfuric acid counted as fully dissociated, an approximation: bisulfate is a weak
    acid). With :math:`c = x/M_{Cu}`, the total extractant :math:`C` and the complex
    :math:`u` [mol/L], :func:`oxime_distribution` reads :math:`u = a (C - 2u)^2` with
    :math:`a = K_{ex} c / [H^+]^2`, whose root below :math:`C/2` is

    .. math:: u = \frac{2 a C^2}{4aC + 1 + \sqrt{8aC + 1}}, \qquad y = M_{Cu} u .

    The organic saturates at :math:`y_{max} = M_{Cu} C / 2` (a LIX 984N-type reagent
    loads about 0.5 g/L Cu per vol %, and transfers 0.25-0.30 g/L Cu per vol % net in
    practice: Schlesinger et al., 2011, chapter 17). :math:`[H^+]` is floored at
    1e-6 mol/L, where the organic is saturated anyway; below :math:`x = 0` the curve is
    continued by its tangent at 0 so that iterations may cross zero.

    Parameters
    ----------
    x : float or array
        Aqueous copper [g/L].
    extractant : float
        Total extractant :math:`C` (free and complexed) [mol/L of organic], > 0.
    k_ex : float
        Conditional extraction constant [-], > 0 (a fitted value: it lumps activity
        coefficients and the reagent's strength).
    x_ref, acid_ref : float
        Copper [g/L] and sulfuric acid [g/L] of the aqueous solution at one point.

    Examples
    --------
    A 3 g/L Cu pregnant solution at 5 g/L H2SO4 and an organic of 0.17 mol/L oxime
    (10 vol % of a reagent that loads 5.4 g/L Cu); the mass action holds at the result:

    >>> y = float(oxime_isotherm(3.0, 0.17, 5.0, 3.0, 5.0))
    >>> round(y, 3)
    3.776
    >>> u, h = y / MOLAR_MASS_CU, 2 * 5.0 / MOLAR_MASS_H2SO4
    >>> round(float(oxime_distribution(0.17 - 2 * u, h, 5.0)) * 3.0 / y, 12)
    1.0
    """
    if extractant <= 0 or k_ex <= 0:
        raise ValueError("the extractant concentration and K_ex must be > 0")
    x = np.asarray(x, dtype=float)
    xp = np.maximum(x, 0.0)
    a = k_ex * (xp / MOLAR_MASS_CU) / _oxime_hydrogen(xp, x_ref, acid_ref) ** 2
    c = extractant
    u = 2.0 * a * c * c / (4.0 * a * c + 1.0 + np.sqrt(8.0 * a * c + 1.0))
    y = MOLAR_MASS_CU * u
    if not np.any(x < 0.0):            # the tangent below 0 is needed only when there
        return np.asarray(y)           # (what np.where would give, without its work)
    return np.where(x >= 0.0, y, _oxime_slope0(extractant, k_ex, x_ref, acid_ref) * x)


def _oxime_hydrogen(xc, x_ref: float, acid_ref: float):
    """[H+] [mol/L] of the solution of :func:`oxime_isotherm` at copper ``xc`` [g/L]."""
    acid = acid_ref + (x_ref - xc) * MOLAR_MASS_H2SO4 / MOLAR_MASS_CU
    return np.maximum(2.0 * acid / MOLAR_MASS_H2SO4, _H_FLOOR)


def _oxime_slope0(extractant: float, k_ex: float, x_ref: float, acid_ref: float) -> float:
    """dy/dx [-] of :func:`oxime_isotherm` at x = 0, its tangent below zero."""
    c = extractant
    return k_ex * c * c / _oxime_hydrogen(0.0, x_ref, acid_ref) ** 2


#: Points up to which :meth:`Isotherm.oxime` evaluates the curve on Python floats.
_FEW = 16


def _oxime_few(x: np.ndarray, extractant: float, k_ex: float, x_ref: float,
               acid_ref: float) -> np.ndarray:
    """:func:`oxime_isotherm` of an array of at least one dimension and a few points,
    by the same IEEE operations in the same order on Python floats: for the two to six
    points of a stage calculation, numpy's cost per call is most of the time.
    (numpy squares an array by multiplying it by itself, as here; ``max`` keeps a NaN,
    as ``np.maximum`` does.)"""
    c, k = float(extractant), float(k_ex)
    x_ref, acid_ref = float(x_ref), float(acid_ref)
    slope0 = None
    out = []
    for xi in x.ravel().tolist():
        xp = xi if xi >= 0.0 or xi != xi else 0.0
        acid = acid_ref + (x_ref - xp) * MOLAR_MASS_H2SO4 / MOLAR_MASS_CU
        h = 2.0 * acid / MOLAR_MASS_H2SO4
        h = h if h >= _H_FLOOR or h != h else _H_FLOOR
        a = k * (xp / MOLAR_MASS_CU) / (h * h)
        y = MOLAR_MASS_CU * (2.0 * a * c * c / (4.0 * a * c + 1.0 + math.sqrt(8.0 * a * c
                                                                              + 1.0)))
        if not xi >= 0.0:
            if slope0 is None:
                slope0 = _oxime_slope0(extractant, k_ex, x_ref, acid_ref)
            y = float(slope0 * xi)
        out.append(y)
    return np.array(out).reshape(x.shape)


def check_monotonic(aqueous: Sequence[float], organic: Sequence[float]) -> None:
    """Raise ValueError naming the first row (1-based) of an isotherm table where the
    aqueous or the organic concentration does not rise above the row before.

    >>> try:
    ...     check_monotonic([0.5, 1.0, 0.9], [1.0, 2.0, 3.0])
    ... except ValueError as err:
    ...     print(err)
    isotherm table is not monotonic at row 3 (aqueous 0.9, organic 3 g/L): aqueous must \
rise above row 2 (1 g/L)
    """
    x, y = np.asarray(aqueous, dtype=float), np.asarray(organic, dtype=float)
    if x.ndim != 1 or x.shape != y.shape:
        raise ValueError("isotherm table: aqueous and organic need the same number of rows")
    if len(x) < 2:
        raise ValueError("isotherm table needs at least two rows")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("isotherm table holds a value that is not a finite number")
    for i in range(1, len(x)):
        for name, v in (("aqueous", x), ("organic", y)):
            if v[i] <= v[i - 1]:
                raise ValueError(
                    f"isotherm table is not monotonic at row {i + 1} (aqueous {x[i]:g}, "
                    f"organic {y[i]:g} g/L): {name} must rise above row {i} "
                    f"({v[i - 1]:g} g/L)")


@dataclass(frozen=True)
class Isotherm:
    """An equilibrium curve y(x) [g/L] with its inverse and slope.

    Build one with :meth:`linear`, :meth:`langmuir`, :meth:`oxime` or :meth:`from_table`.
    ``organic`` must be continuous and increasing; :meth:`aqueous` inverts it in closed
    form where there is one, otherwise by bisection to machine precision.
    """

    organic: Callable[[np.ndarray], np.ndarray]
    label: str
    inverse: Callable[[np.ndarray], np.ndarray] | None = None

    def __call__(self, x: ArrayLike) -> np.ndarray:
        return self.organic(np.asarray(x, dtype=float))

    def slope(self, x: ArrayLike) -> np.ndarray:
        """dy/dx [-] by a central difference (step 1e-6 of max(1, |x|))."""
        x = np.asarray(x, dtype=float)
        h = 1e-6 * np.maximum(1.0, np.abs(x))
        up, down = self.organic(np.stack([x + h, x - h]))      # one call: curves are
        return (up - down) / (2.0 * h)                          # elementwise

    def aqueous(self, y: ArrayLike) -> np.ndarray:
        """Aqueous concentration [g/L] in equilibrium with organic ``y`` [g/L]."""
        y = np.asarray(y, dtype=float)
        if self.inverse is not None:
            return self.inverse(y)
        lo, hi = np.full(y.shape, -1.0), np.full(y.shape, 1.0)
        for _ in range(200):                       # widen the bracket
            low, high = self.organic(lo) > y, self.organic(hi) < y
            if not (low.any() or high.any()):
                break
            lo, hi = np.where(low, 2.0 * lo, lo), np.where(high, 2.0 * hi, hi)
        else:
            raise ValueError("organic concentration outside the range of the isotherm")
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            if np.all((mid == lo) | (mid == hi)):
                break
            above = self.organic(mid) >= y
            lo, hi = np.where(above, lo, mid), np.where(above, mid, hi)
        return 0.5 * (lo + hi)

    # -- constructors -------------------------------------------------------------------
    @classmethod
    def linear(cls, d: float) -> Isotherm:
        """:func:`linear_isotherm` with distribution coefficient ``d``."""
        linear_isotherm(0.0, d)
        return cls(lambda x: d * x, f"linear, D = {d:g}", lambda y: y / d)

    @classmethod
    def langmuir(cls, y_max: float, k: float) -> Isotherm:
        """:func:`langmuir_isotherm`; below ``x = 0`` continued by its tangent."""
        langmuir_isotherm(0.0, y_max, k)

        def organic(x):
            return np.where(x >= 0, langmuir_isotherm(np.maximum(x, 0.0), y_max, k),
                            y_max * k * x)

        def inverse(y):
            return np.where(y >= 0, langmuir_aqueous(np.maximum(y, 0.0), y_max, k),
                            y / (y_max * k))

        return cls(organic, f"Langmuir, y_max = {y_max:g} g/L, K = {k:g} L/g", inverse)

    @classmethod
    def oxime(cls, extractant: float, k_ex: float, x_ref: float, acid_ref: float
              ) -> Isotherm:
        """:func:`oxime_isotherm` of the solution at (``x_ref``, ``acid_ref``)."""
        oxime_isotherm(0.0, extractant, k_ex, x_ref, acid_ref)

        def organic(x):
            if 0 < x.ndim and x.size <= _FEW:
                return _oxime_few(x, extractant, k_ex, x_ref, acid_ref)
            return oxime_isotherm(x, extractant, k_ex, x_ref, acid_ref)

        return cls(organic, f"oxime, K_ex = {k_ex:g}, {acid_ref:.3g} g/L H2SO4")

    @classmethod
    def from_table(cls, aqueous: Sequence[float], organic: Sequence[float]) -> Isotherm:
        """A measured curve: monotone PCHIP through the rows (F. N. Fritsch, R. E. Carlson,
        SIAM J. Numer. Anal. 17 (1980) 238, DOI 10.1137/0717021), continued beyond the
        first and last rows by the tangent at the end point (so the curve stays
        increasing and once differentiable; a measured table should cover the range in
        use). The rows must rise in both columns (:func:`check_monotonic`)."""
        from scipy.interpolate import PchipInterpolator

        check_monotonic(aqueous, organic)
        x, y = np.asarray(aqueous, dtype=float), np.asarray(organic, dtype=float)
        curve = PchipInterpolator(x, y, extrapolate=False)
        d_lo, d_hi = (float(v) for v in curve.derivative()(x[[0, -1]]))
        d_lo = d_lo if d_lo > 0 else (y[1] - y[0]) / (x[1] - x[0])
        d_hi = d_hi if d_hi > 0 else (y[-1] - y[-2]) / (x[-1] - x[-2])

        def organic_of(xs):
            inside = curve(np.clip(xs, x[0], x[-1]))
            return np.where(xs < x[0], y[0] + d_lo * (xs - x[0]),
                            np.where(xs > x[-1], y[-1] + d_hi * (xs - x[-1]), inside))

        return cls(organic_of, f"table of {len(x)} points")
