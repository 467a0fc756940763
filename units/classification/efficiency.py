r"""Partition curves of size classifiers: Whiten's efficiency curve and its fish-hook form.

A partition (efficiency) curve gives, for each particle size ``d`` [um], the fraction of the
feed solids of that size that report to the coarse product: the underflow of a hydrocyclone,
the oversize of a screen. The *corrected* curve :math:`E_c` describes the particles that are
actually classified; the *actual* curve :math:`E_a` adds the fraction :math:`R_f` that
short-circuits to the underflow with the water, whatever its size.

Every function here is a pure function of floats or numpy arrays (broadcast together), built
from arithmetic and numpy ufuncs. The accepted range of every argument is data
(:data:`WHITEN_RANGES`); a value outside it raises :class:`~flowsheet.errors.SchemaError`
naming the argument and the range.

>>> round(float(whiten_efficiency(75.0, 150.0, alpha=3.0)), 4)
0.1543
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from flowsheet.errors import ConvergenceError, SchemaError

__all__ = ["ValidRange", "WHITEN_RANGES", "whiten_beta_star", "whiten_efficiency"]

FloatOrArray = float | NDArray[np.float64]


class ValidRange(NamedTuple):
    """The accepted interval of one argument and its unit; ``str()`` gives interval notation.

    >>> r = ValidRange(0.0, math.inf, high_open=True, unit="um")
    >>> str(r)
    '[0, inf) um'
    >>> r.check("d", [1.0, -2.0])
    Traceback (most recent call last):
    ...
    flowsheet.errors.SchemaError: d must be in [0, inf) um, got -2
    """

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False
    unit: str = ""

    def __str__(self) -> str:
        text = (f"{'(' if self.low_open else '['}{self.low:g}, "
                f"{self.high:g}{')' if self.high_open else ']'}")
        return f"{text} {self.unit}" if self.unit else text

    def check(self, name: str, value: ArrayLike) -> None:
        """Raise :class:`SchemaError` unless every element of ``value`` lies in the range."""
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise SchemaError(f"{name} must be a number or an array of numbers in {self}, "
                              f"got {value!r}") from None
        inside = ((arr > self.low) if self.low_open else (arr >= self.low)) & (
            (arr < self.high) if self.high_open else (arr <= self.high))
        if not np.all(inside):
            raise SchemaError(f"{name} must be in {self}, got {arr[~inside].flat[0]:g}")


#: Accepted ranges of the arguments of :func:`whiten_efficiency` and :func:`whiten_beta_star`.
#: ``alpha`` of plant cyclones is of the order of 1 to 6; above 50 the curve is a step at any
#: practical size resolution. ``beta`` = 0 is the curve without a fish hook.
WHITEN_RANGES: dict[str, ValidRange] = {
    "d": ValidRange(0.0, math.inf, high_open=True, unit="um"),
    "d50c": ValidRange(0.0, math.inf, low_open=True, high_open=True, unit="um"),
    "alpha": ValidRange(0.0, 50.0, low_open=True),
    "beta": ValidRange(0.0, 10.0),
    "beta_star": ValidRange(0.0, 50.0, low_open=True),
    "bypass": ValidRange(0.0, 1.0, high_open=True),
}


def _check(**values: ArrayLike) -> None:
    for name, value in values.items():
        WHITEN_RANGES[name].check(name, value)


def whiten_beta_star(alpha: ArrayLike, beta: ArrayLike) -> FloatOrArray:
    r"""The fish-hook scale factor :math:`\beta^*` that keeps :math:`E_c(d_{50c}) = 1/2`.

    With :math:`\beta > 0` the cut size of the curve in :func:`whiten_efficiency` moves unless
    the reduced size is rescaled by :math:`\beta^*`, the root above 1 of

    .. math::

        \frac{(1 + \beta\beta^*)(e^{\alpha} - 1)}{e^{\alpha\beta^*} + e^{\alpha} - 2}
        = \frac{1}{2}

    (Napier-Munn et al., 1996; Nageswararao et al., 2004). It is solved element-wise by
    Newton's method on the convex form
    :math:`h(\beta^*) = \alpha\beta^* - \ln[1 + (e^{\alpha} - 1)(1 + 2\beta\beta^*)] = 0`,
    started to the right of the root, where the iteration decreases monotonically onto it.
    :math:`\beta = 0` gives :math:`\beta^* = 1` exactly.

    Parameters
    ----------
    alpha : float or array_like
        Sharpness of separation [-], in (0, 50].
    beta : float or array_like
        Fish-hook parameter [-], in [0, 10]; broadcast against ``alpha``.

    Returns
    -------
    float or numpy.ndarray
        :math:`\beta^*` [-], 1 or more, in the broadcast shape of the arguments.

    Raises
    ------
    SchemaError
        An argument outside its range in :data:`WHITEN_RANGES`.
    ConvergenceError
        The root could not be bracketed or Newton's method did not converge (not seen in
        the accepted ranges).

    References
    ----------
    .. [1] Napier-Munn, T.J., Morrell, S., Morrison, R.D., Kojovic, T., 1996. Mineral
       Comminution Circuits: Their Operation and Optimisation. JKMRC Monograph Series in
       Mining and Mineral Processing 2, Julius Kruttschnitt Mineral Research Centre,
       Brisbane.
    .. [2] Nageswararao, K., Wiseman, D.M., Napier-Munn, T.J., 2004. Two empirical
       hydrocyclone models revisited. Minerals Engineering 17 (5), 671-687.
       doi:10.1016/j.mineng.2004.01.017

    Examples
    --------
    No fish hook, no rescaling; with one, the solved factor returns the cut to one half:

    >>> float(whiten_beta_star(3.0, 0.0))
    1.0
    >>> bs = whiten_beta_star(3.0, 0.5)
    >>> round(float(bs), 6)
    1.26281
    >>> round(float(whiten_efficiency(150.0, 150.0, 3.0, beta=0.5, beta_star=bs)), 12)
    0.5
    """
    _check(alpha=alpha, beta=beta)
    a, b = np.broadcast_arrays(np.asarray(alpha, dtype=float), np.asarray(beta, dtype=float))
    big_a = np.expm1(a)

    def h(s: NDArray[np.float64]) -> NDArray[np.float64]:
        return a * s - np.log1p(big_a * (1.0 + 2.0 * b * s))

    s = np.ones_like(a)
    for _ in range(80):                      # h(1) <= 0 and h grows linearly: bracket by doubling
        low = h(s) < 0.0
        if not np.any(low):
            break
        s = np.where(low, 2.0 * s, s)
    else:
        raise ConvergenceError(f"whiten_beta_star: no root bracketed for alpha={alpha}, "
                               f"beta={beta}")
    for _ in range(200):
        slope = a - 2.0 * b * big_a / (1.0 + big_a * (1.0 + 2.0 * b * s))
        step = h(s) / slope
        s = s - step
        if np.all(np.abs(step) <= 1e-14 * s):
            break
    else:
        raise ConvergenceError(f"whiten_beta_star: Newton's method did not converge for "
                               f"alpha={alpha}, beta={beta}")
    return np.where(b == 0.0, 1.0, s)[()]


def whiten_efficiency(d: ArrayLike, d50c: ArrayLike, alpha: ArrayLike, beta: ArrayLike = 0.0,
                      beta_star: ArrayLike | None = 1.0,
                      bypass: ArrayLike = 0.0) -> FloatOrArray:
    r"""Fraction of each size reporting to the coarse product by Whiten's efficiency curve.

    The corrected curve, written as the fraction to the coarse product (underflow), with the
    fish-hook term of the JKMRC form (Napier-Munn et al., 1996; Nageswararao et al., 2004),
    and the actual curve with a bypass :math:`R_f` of fines to the underflow:

    .. math::

        E_c(x) = 1 - \frac{(1 + \beta\beta^* x)(e^{\alpha} - 1)}
                         {e^{\alpha\beta^* x} + e^{\alpha} - 2},
        \qquad x = \frac{d}{d_{50c}}

        E_a = R_f + (1 - R_f)\,E_c

    The fraction in the first formula is the corrected recovery to the *overflow*, the form
    in which the JKMRC publications print it. With :math:`\beta = 0` and :math:`\beta^* = 1`
    it is Whiten's curve as published by Lynch and Rao (1975),

    .. math::

        E_c(x) = \frac{e^{\alpha x} - 1}{e^{\alpha x} + e^{\alpha} - 2},

    which rises monotonically from 0 at :math:`d = 0` through exactly 1/2 at
    :math:`d = d_{50c}` towards 1; :math:`\alpha` sets its sharpness. With
    :math:`\beta > 0` the corrected curve dips below zero at fine sizes, so the actual curve
    dips below :math:`R_f`: the fish hook (Nageswararao, 2000, traces the function to
    Kavetsky). :math:`\beta^*` rescales the size so that the cut stays at :math:`d_{50c}`;
    pass ``beta_star=None`` to have it solved by :func:`whiten_beta_star`.

    Parameters
    ----------
    d : float or array_like
        Particle size [um], in [0, inf).
    d50c : float or array_like
        Corrected cut size [um], in (0, inf).
    alpha : float or array_like
        Sharpness of separation [-], in (0, 50].
    beta : float or array_like, optional
        Fish-hook parameter [-], in [0, 10]; 0 (the default) is no fish hook.
    beta_star : float, array_like or None, optional
        Size scale of the fish-hook form [-], in (0, 50]. The default 1.0 is right for
        ``beta=0`` only; with ``beta > 0`` pass the value fitted with it, or None to solve
        for the one that keeps the cut at ``d50c``.
    bypass : float or array_like, optional
        :math:`R_f`, the fraction of the feed (usually taken equal to the water recovery)
        reaching the underflow unclassified [-], in [0, 1).

    Returns
    -------
    float or numpy.ndarray
        :math:`E_a` [-]: the fraction of each size to the coarse product, in the broadcast
        shape of the arguments.

    Raises
    ------
    SchemaError
        An argument outside its range in :data:`WHITEN_RANGES`, or a fish hook so deep that
        the coarse fraction would fall below 0 at some ``d``.

    References
    ----------
    .. [1] Lynch, A.J., Rao, T.C., 1975. Modelling and scale-up of hydrocyclone classifiers.
       Proceedings of the 11th International Mineral Processing Congress, Cagliari,
       245-269.
    .. [2] Napier-Munn, T.J., Morrell, S., Morrison, R.D., Kojovic, T., 1996. Mineral
       Comminution Circuits: Their Operation and Optimisation. JKMRC Monograph Series in
       Mining and Mineral Processing 2, Julius Kruttschnitt Mineral Research Centre,
       Brisbane.
    .. [3] Nageswararao, K., Wiseman, D.M., Napier-Munn, T.J., 2004. Two empirical
       hydrocyclone models revisited. Minerals Engineering 17 (5), 671-687.
       doi:10.1016/j.mineng.2004.01.017
    .. [4] Nageswararao, K., 2000. A critical analysis of the fish hook effect in
       hydrocyclone classifiers. Chemical Engineering Journal 80, 251-256.

    Examples
    --------
    By the definition of the corrected cut size, half of the particles of size
    :math:`d_{50c}` are classified to the underflow (Lynch and Rao, 1975); with a bypass of
    30 % the actual recovery at the cut is 0.30 + 0.70/2:

    >>> float(whiten_efficiency(150.0, 150.0, alpha=3.0))
    0.5
    >>> round(float(whiten_efficiency(150.0, 150.0, alpha=3.0, bypass=0.3)), 12)
    0.65
    >>> whiten_efficiency([0.0, 75.0, 300.0, 1e6], 150.0, alpha=3.0).round(4).tolist()
    [0.0, 0.1543, 0.9547, 1.0]

    A fish hook: the actual curve dips below the bypass at fine sizes and keeps its cut:

    >>> e = whiten_efficiency([0.0, 40.0, 150.0], 150.0, 3.0, beta=0.5, beta_star=None,
    ...                       bypass=0.3)
    >>> e.round(4).tolist()
    [0.3, 0.2507, 0.65]
    """
    _check(d=d, d50c=d50c, alpha=alpha, beta=beta, bypass=bypass)
    if beta_star is None:
        beta_star = whiten_beta_star(alpha, beta)
    else:
        _check(beta_star=beta_star)
    alpha = np.asarray(alpha, dtype=float)
    beta = np.asarray(beta, dtype=float)
    bypass = np.asarray(bypass, dtype=float)
    z = np.asarray(beta_star, dtype=float) * (np.asarray(d, dtype=float) / np.asarray(d50c))
    big_a = np.expm1(alpha)
    # z <= 1: the printed form (exp(alpha z) cannot overflow); exact 1/2 at z = 1, beta = 0
    zl = np.minimum(z, 1.0)
    grow = np.expm1(alpha * zl)
    ec_low = (grow - beta * zl * big_a) / (grow + big_a)
    # z > 1: one minus the overflow form, divided through by exp(alpha z)
    zh = np.maximum(z, 1.0)
    t = np.exp(-alpha * zh)
    ec_high = 1.0 - (1.0 + beta * zh) * big_a * t / (1.0 + (big_a - 1.0) * t)
    ea = bypass + (1.0 - bypass) * np.where(z <= 1.0, ec_low, ec_high)
    if np.any(ea < 0.0):
        raise SchemaError(f"beta too large for this alpha and bypass: the fish hook takes the "
                          f"coarse fraction down to {float(np.min(ea)):.3g}, below 0 -- "
                          "lower beta or raise bypass")
    return ea[()]
