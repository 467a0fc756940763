r"""Rate laws shared by the auxiliary calculators, and the checks of their inputs.

* :func:`arrhenius_ratio` -- the Arrhenius law written about a reference temperature,
  :math:`k(T) = k_{ref} \exp[-E_a/R\,(1/T - 1/T_{ref})]`, the form in which a rate constant
  and its activation energy are fitted independently of each other;
* :func:`first_order_approach` -- first-order approach to an equilibrium (or maximum)
  extent, :math:`X(t) = X_{max}\,(1 - e^{-k t})`;
* :func:`check_temperature`, :func:`check_time`, :func:`check_pressure`,
  :func:`check_nonnegative` -- one message template for a bad input, a
  :class:`flowsheet.errors.SchemaError` naming the argument.

Temperatures are in degrees Celsius [degC], times in minutes [min], pressures in pascals
(absolute) [Pa]. Every function accepts floats or numpy arrays.

>>> round(float(arrhenius_ratio(60.0, 50.0, 25.0)), 4)
6.5044
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from flowsheet.errors import Location, SchemaError

__all__ = ["GAS_CONSTANT", "ZERO_CELSIUS", "arrhenius_ratio", "first_order_approach",
           "check_temperature", "check_time", "check_pressure", "check_nonnegative"]

#: Molar gas constant R [J/(mol K)] (CODATA 2018, exact).
GAS_CONSTANT = 8.314462618

#: 0 degC in kelvin.
ZERO_CELSIUS = 273.15


def arrhenius_ratio(ea_kj: ArrayLike, t_celsius: ArrayLike, t_ref_celsius: ArrayLike
                    ) -> np.ndarray:
    r"""Factor by which a rate constant changes from ``t_ref_celsius`` to ``t_celsius``.

    .. math::

        \frac{k(T)}{k(T_{ref})} = \exp\left[-\frac{E_a}{R}
        \left(\frac{1}{T} - \frac{1}{T_{ref}}\right)\right]

    S. Arrhenius, Z. Phys. Chem. 4 (1889) 226; the reference-temperature form decouples
    :math:`k_{ref}` from :math:`E_a` in a least-squares fit (O. Levenspiel, Chemical
    Reaction Engineering, 3rd ed., Wiley, 1999, ch. 2).

    Parameters
    ----------
    ea_kj : float or array
        Activation energy [kJ/mol].
    t_celsius, t_ref_celsius : float or array
        Temperature and reference temperature [degC], above absolute zero.

    Returns
    -------
    numpy.ndarray
        :math:`k(T)/k(T_{ref})` [-].

    Examples
    --------
    The rule of thumb "a rate doubles for every 10 degC near room temperature" holds for
    an activation energy of about 53 kJ/mol:

    >>> round(float(arrhenius_ratio(52.95, 35.0, 25.0)), 3)
    2.0
    """
    from units.hydro.kinetics import arrhenius_factor

    return np.asarray(arrhenius_factor(np.asarray(ea_kj, dtype=float) * 1e3, t_celsius,
                                       t_ref_celsius))


def first_order_approach(k: ArrayLike, t: ArrayLike, x_max: ArrayLike = 1.0) -> np.ndarray:
    r"""Extent reached at time ``t`` by a first-order approach to ``x_max``.

    .. math::

        X(t) = X_{max}\,\left(1 - e^{-k t}\right)

    The empirical form of leaching, desorption and volatilisation curves that level off
    at a recovery below 100 % (e.g. J. O. Marsden and C. I. House, The Chemistry of Gold
    Extraction, 2nd ed., SME, 2006, ch. 6: leach curves as first-order approach to a
    maximum extraction).

    Parameters
    ----------
    k : float or array
        First-order rate constant [1/min], >= 0.
    t : float or array
        Time [min], >= 0.
    x_max : float or array, default 1
        The extent approached as t -> infinity (a fraction or a percentage; the result
        has its unit).

    Examples
    --------
    One half-life, ln 2 / k, reaches half the maximum:

    >>> round(float(first_order_approach(0.1, np.log(2) / 0.1, 90.0)), 6)
    45.0
    """
    return np.asarray(x_max, dtype=float) * -np.expm1(-np.asarray(k, dtype=float)
                                                       * np.asarray(t, dtype=float))


def _fail(name: str, problem: str) -> SchemaError:
    return SchemaError(f"'{name}' {problem}", location=Location(key=name))


def check_temperature(value: ArrayLike, name: str = "temperature") -> np.ndarray:
    """``value`` [degC] as an array, or a SchemaError when it is at or below absolute zero.

    >>> check_temperature(-300.0)
    Traceback (most recent call last):
    ...
    flowsheet.errors.SchemaError: key 'temperature': 'temperature' -300 degC is -26.85 K: \
the absolute temperature must be positive
    """
    t = np.asarray(value, dtype=float)
    bad = ~(np.isfinite(t) & (t + ZERO_CELSIUS > 0.0))
    if bad.any():
        v = float(t[bad].flat[0]) if t.ndim else float(t)
        raise _fail(name, f"{v:g} degC is {v + ZERO_CELSIUS:g} K: the absolute temperature "
                          "must be positive")
    return t


def check_time(value: ArrayLike, name: str = "time") -> np.ndarray:
    """``value`` [min] as an array, or a SchemaError when it is negative or not finite.

    >>> check_time([10.0, -5.0])
    Traceback (most recent call last):
    ...
    flowsheet.errors.SchemaError: key 'time': 'time' must be 0 min or more, got -5 min
    """
    return check_nonnegative(value, name, "min")


def check_pressure(value: ArrayLike, name: str = "pressure") -> np.ndarray:
    """``value`` [Pa, absolute] as an array, or a SchemaError when it is not positive.

    >>> check_pressure(0.0)
    Traceback (most recent call last):
    ...
    flowsheet.errors.SchemaError: key 'pressure': 'pressure' must be an absolute pressure \
above 0 Pa, got 0 Pa
    """
    p = np.asarray(value, dtype=float)
    bad = ~(np.isfinite(p) & (p > 0.0))
    if bad.any():
        v = float(p[bad].flat[0]) if p.ndim else float(p)
        raise _fail(name, f"must be an absolute pressure above 0 Pa, got {v:g} Pa")
    return p


def check_nonnegative(value: ArrayLike, name: str, unit: str = "",
                      high: float | None = None) -> np.ndarray:
    """``value`` as an array, or a SchemaError when it is negative, not finite or above
    ``high``.

    >>> check_nonnegative(120.0, "max_recovery", "%", high=100.0)
    Traceback (most recent call last):
    ...
    flowsheet.errors.SchemaError: key 'max_recovery': 'max_recovery' must lie in 0..100 %, \
got 120 %
    """
    x = np.asarray(value, dtype=float)
    bad = ~(np.isfinite(x) & (x >= 0.0))
    if high is not None:
        bad |= x > high
    if bad.any():
        v = float(x[bad].flat[0]) if x.ndim else float(x)
        u = f" {unit}" if unit else ""
        if high is not None:
            raise _fail(name, f"must lie in 0..{high:g}{u}, got {v:g}{u}")
        raise _fail(name, f"must be 0{u} or more, got {v:g}{u}")
    return x
