r"""The Kremser equation: ideal countercurrent stages with a straight equilibrium line.

Aqueous (flow :math:`A`, m3/h) enters stage 1 at :math:`x_F` and leaves stage :math:`N` as
raffinate :math:`x_N`; organic (flow :math:`O`) enters stage :math:`N` at :math:`y_{in}` and
leaves stage 1 loaded. With the equilibrium line :math:`y = D x` and constant flows, the
extraction factor is :math:`E = D\,O/A` and

.. math::

    \frac{x_N - y_{in}/D}{x_F - y_{in}/D} = \frac{E - 1}{E^{N+1} - 1}
    \qquad (E = 1:\ \frac{1}{N + 1}).

Sources: A. Kremser, "Theoretical analysis of absorption process", National Petroleum
News 22 (1930) 43-49; R. E. Treybal, Mass-Transfer Operations, 3rd ed., McGraw-Hill,
New York, 1980, section 10 (countercurrent multistage extraction, insoluble liquids).

The same geometric series gives the soluble loss of ideal countercurrent washing with the
wash ratio in place of :math:`E` (:func:`units.hydro.washing.ccd_soluble_loss`).

Every function accepts floats or numpy arrays (they broadcast). :math:`E^{N+1} - 1` is
evaluated as ``expm1((N + 1) ln E)``, so that the formulas stay accurate and continuous
through :math:`E = 1`.

>>> round(float(kremser_fraction_unextracted(3, 2.0)), 6)
0.066667
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["extraction_factor", "kremser_fraction_unextracted", "kremser_raffinate",
           "kremser_stages", "lewis_overall_efficiency"]

#: Below this |ln E| the E = 1 limits are used (their error is then below 1e-12).
_UNITY = 1e-13


def extraction_factor(d: ArrayLike, oa: ArrayLike) -> np.ndarray:
    r"""Extraction factor :math:`E = D\,O/A` [-].

    Parameters
    ----------
    d : float or array
        Distribution coefficient, organic over aqueous concentration [-], > 0.
    oa : float or array
        Organic-to-aqueous flow ratio [-], > 0.

    Examples
    --------
    >>> float(extraction_factor(10.0, 0.5))
    5.0
    """
    d, oa = np.asarray(d, dtype=float), np.asarray(oa, dtype=float)
    if np.any(d <= 0) or np.any(oa <= 0):
        raise ValueError("the distribution coefficient and the O/A ratio must be > 0")
    return d * oa


def kremser_fraction_unextracted(n: ArrayLike, e: ArrayLike) -> np.ndarray:
    r"""Fraction of the extractable solute left in the raffinate after ``n`` ideal stages.

    .. math:: \varphi = \frac{E - 1}{E^{N+1} - 1}, \qquad \varphi(E = 1) = \frac{1}{N + 1}

    with fresh (or, generally, the fraction of :math:`x_F - y_{in}/D`) organic.
    Kremser (1930); Treybal, Mass-Transfer Operations, 3rd ed. (1980).

    Parameters
    ----------
    n : float or array
        Number of ideal stages [-], >= 0 (a fractional value interpolates the series).
    e : float or array
        Extraction factor :math:`D\,O/A` [-], > 0.

    Returns
    -------
    ndarray
        :math:`\varphi` [-], in (0, 1].

    Examples
    --------
    The SysCAD documentation ("Counter Current Decantation") gives 1/15 = 6.67 % for the
    same series with ratio 2 and three stages:

    >>> round(float(kremser_fraction_unextracted(3, 2.0)), 4)
    0.0667
    >>> float(kremser_fraction_unextracted(4, 1.0))
    0.2
    """
    n, e = np.asarray(n, dtype=float), np.asarray(e, dtype=float)
    if np.any(n < 0):
        raise ValueError("the number of stages must be >= 0")
    if np.any(e <= 0):
        raise ValueError("the extraction factor must be > 0")
    log_e = np.log(e)
    near = np.abs(log_e) < _UNITY
    safe = np.where(near, 1.0, log_e)
    with np.errstate(over="ignore"):
        ratio = np.expm1(safe) / np.expm1((n + 1.0) * safe)
    return np.where(near, 1.0 / (n + 1.0), ratio)


def kremser_raffinate(x_feed: ArrayLike, y_in: ArrayLike, d: ArrayLike, oa: ArrayLike,
                      n: ArrayLike) -> np.ndarray:
    r"""Raffinate concentration :math:`x_N` after ``n`` ideal countercurrent stages.

    .. math:: x_N = \frac{y_{in}}{D} + \varphi(N, E) \left(x_F - \frac{y_{in}}{D}\right)

    Parameters
    ----------
    x_feed : float or array
        Solute in the aqueous feed [g/L].
    y_in : float or array
        Solute in the entering organic [g/L].
    d, oa, n
        Distribution coefficient [-], O/A flow ratio [-], ideal stages [-].

    Returns
    -------
    ndarray
        :math:`x_N` [g/L].

    Examples
    --------
    3 g/L feed, barren organic, D = 10, O/A = 0.5 (E = 5), two stages:

    >>> round(float(kremser_raffinate(3.0, 0.0, 10.0, 0.5, 2)), 6)
    0.096774
    """
    d = np.asarray(d, dtype=float)
    e = extraction_factor(d, oa)
    x_star = np.asarray(y_in, dtype=float) / d
    return x_star + kremser_fraction_unextracted(n, e) * (np.asarray(x_feed) - x_star)


def kremser_stages(fraction: ArrayLike, e: ArrayLike) -> np.ndarray:
    r"""Ideal stages for a fraction :math:`\varphi` unextracted (the inverse of
    :func:`kremser_fraction_unextracted`).

    .. math::

        N = \frac{\ln\left[\left(1 - \frac{1}{E}\right)\frac{1}{\varphi} + \frac{1}{E}\right]}
                 {\ln E}, \qquad N(E = 1) = \frac{1}{\varphi} - 1

    Parameters
    ----------
    fraction : float or array
        :math:`\varphi = (x_N - y_{in}/D)/(x_F - y_{in}/D)` [-], in (0, 1]; for
        :math:`E > 1` it must exceed the limit :math:`1 - 1/E` of infinitely many stages.
    e : float or array
        Extraction factor [-], > 0.

    Examples
    --------
    With E = 1 (a public calculator, calculatoratoz.com, "Number of Stages for
    Extraction Factor equal to 1": feed 0.5, solvent 0.05, D = 2.6, raffinate 0.1394
    give N = 3.0008):

    >>> phi = (0.1394 - 0.05 / 2.6) / (0.5 - 0.05 / 2.6)
    >>> round(float(kremser_stages(phi, 1.0)), 4)
    3.0008
    >>> round(float(kremser_stages(1 / 15, 2.0)), 9)
    3.0
    """
    phi, e = np.asarray(fraction, dtype=float), np.asarray(e, dtype=float)
    if np.any(phi <= 0) or np.any(phi > 1):
        raise ValueError("the fraction unextracted must be in (0, 1]")
    if np.any(e <= 0):
        raise ValueError("the extraction factor must be > 0")
    if np.any((e < 1) & (phi <= 1 - e)):
        raise ValueError("the fraction unextracted is below 1 - E, the limit of infinitely "
                         "many stages")
    log_e = np.log(e)
    near = np.abs(log_e) < _UNITY
    safe = np.where(near, 1.0, log_e)
    arg = -np.expm1(-safe) / phi + np.exp(-safe)
    with np.errstate(invalid="ignore", divide="ignore"):
        n = np.log(arg) / safe
    return np.where(near, 1.0 / phi - 1.0, n)


def lewis_overall_efficiency(murphree: ArrayLike, e: ArrayLike) -> np.ndarray:
    r"""Ideal stages per real stage when each stage reaches a Murphree efficiency.

    With the efficiency defined on the organic (the phase whose equilibrium value is
    :math:`D x`), :math:`y_n = y_{n+1} + E_M (D x_n - y_{n+1})`, a straight equilibrium
    line and constant flows, the cascade of real stages is again a geometric series and

    .. math:: E_O = \frac{\ln[1 + E_M (E - 1)]}{\ln E}, \qquad E_O(E = 1) = E_M,

    so :math:`N` real stages act as :math:`N E_O` ideal ones in the Kremser equation.
    W. K. Lewis, "Rectification of binary mixtures: plate efficiency of bubble cap
    columns", Ind. Eng. Chem. 28 (1936) 399-402, DOI 10.1021/ie50316a009 (written there
    for the vapour efficiency; the organic plays the vapour's part).

    Parameters
    ----------
    murphree : float or array
        Murphree stage efficiency [-], in (0, 1].
    e : float or array
        Extraction factor [-], > 0.

    Examples
    --------
    >>> round(float(lewis_overall_efficiency(0.9, 2.0)), 4)
    0.926
    >>> round(float(lewis_overall_efficiency(1.0, 3.0)), 12)
    1.0
    """
    em, e = np.asarray(murphree, dtype=float), np.asarray(e, dtype=float)
    if np.any(em <= 0) or np.any(em > 1):
        raise ValueError("the Murphree efficiency must be in (0, 1]")
    log_e = np.log(e)
    near = np.abs(log_e) < _UNITY
    safe = np.where(near, 1.0, log_e)
    return np.where(near, em, np.log1p(em * np.expm1(safe)) / safe)
