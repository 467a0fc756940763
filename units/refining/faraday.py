r"""Faraday's law of electrolysis and the figures of a cell house built on it.

The mass deposited by a current :math:`I` [A] flowing for :math:`t` [h] is

.. math:: m = \frac{I\,t\,M\,\varepsilon}{n\,F}\cdot\frac{3600}{1000}\quad\text{[kg]}

with :math:`M` the molar mass [g/mol], :math:`n` the electrons per atom deposited,
:math:`F` Faraday's constant [C/mol] and :math:`\varepsilon` the current efficiency, the
fraction of the charge that deposits the metal (the rest reduces Fe3+, evolves hydrogen,
or is lost to short circuits). Every function takes floats or numpy arrays (they
broadcast) and returns a float for scalar input.

Conventions, the same in every function: molar mass in g/mol; current efficiency as a
**fraction** in (0, 1] -- 0.90, not 90 -- and anything else raises ``ValueError`` naming
the argument; voltages in V; currents in A; times in h; masses in kg.

Sources: Faraday's law and the constant, A. J. Bard and L. R. Faulkner, *Electrochemical
Methods*, 2nd ed., Wiley, 2001, section 1.3; F = N_A e = 96485.33212 C/mol exactly in the
SI of 2019 (CODATA 2018). Cell-house figures (voltage, current density, efficiency),
M. E. Schlesinger, M. J. King, K. C. Sole and W. G. Davenport, *Extractive Metallurgy of
Copper*, 5th ed., Elsevier, 2011, chapters "Electrolytic Refining" and "Electrowinning",
DOI 10.1016/C2010-0-64841-3.

>>> round(electrochemical_equivalent(63.546, 2), 5), round(ampere_hours_per_kg(63.546, 2), 1)
(1.18549, 843.5)
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "FARADAY",
    "electrochemical_equivalent",
    "ampere_hours_per_kg",
    "faraday_mass",
    "faraday_hours",
    "faraday_current",
    "current_efficiency",
    "specific_energy_kwh_per_kg",
    "current_efficiency_from_energy",
    "cell_current",
    "cells_for_production",
]

#: Faraday's constant [C/mol]: the elementary charge times Avogadro's number (exact, SI 2019).
FARADAY = 96485.33212

ArrayLike = Any


def _value(x: np.ndarray) -> float | np.ndarray:
    """A float for 0-d results, the array otherwise."""
    return float(x) if np.ndim(x) == 0 else x


def _checked(name: str, value: ArrayLike, *, low: float = 0.0, low_closed: bool = False,
             high: float | None = None) -> np.ndarray:
    """``value`` as a float array, or ``ValueError`` naming ``name`` if out of range."""
    arr = np.asarray(value, dtype=float)
    bad = ~np.isfinite(arr) | ((arr < low) if low_closed else (arr <= low))
    if high is not None:
        bad |= arr > high
    if np.any(bad):
        shown = arr[bad].flat[0]
        above = f" and at most {high:g}" if high is not None else ""
        below = "at least" if low_closed else "greater than"
        raise ValueError(f"'{name}' must be {below} {low:g}{above}, got {shown:g}"
                         + (" (give the efficiency as a fraction, 0.9 not 90)"
                            if name == "efficiency" and shown > 1 else ""))
    return arr


def _efficiency(value: ArrayLike, name: str = "efficiency") -> np.ndarray:
    return _checked(name, value, low=0.0, high=1.0)


def electrochemical_equivalent(molar_mass: ArrayLike, n: ArrayLike) -> float | np.ndarray:
    r"""Mass deposited per ampere-hour at 100 % current efficiency [g/Ah].

    .. math:: z = \frac{3600\,M}{n\,F}

    Parameters
    ----------
    molar_mass : float or array
        Molar mass of the metal [g/mol], > 0.
    n : float or array
        Electrons transferred per atom deposited (2 for Cu2+, Zn2+, Ni2+), > 0.

    Returns
    -------
    float or ndarray
        Electrochemical equivalent [g/Ah].

    Examples
    --------
    Copper, 1.18549 g/Ah (Schlesinger et al. 2011); zinc, 1.2197 g/Ah:

    >>> round(electrochemical_equivalent(63.546, 2), 5)
    1.18549
    >>> round(electrochemical_equivalent(65.38, 2), 4)
    1.2197
    """
    m = _checked("molar_mass", molar_mass)
    z = _checked("n", n)
    return _value(3600.0 * m / (z * FARADAY))


def ampere_hours_per_kg(molar_mass: ArrayLike, n: ArrayLike) -> float | np.ndarray:
    """Charge needed to deposit one kilogram at 100 % current efficiency [Ah/kg].

    The reciprocal of :func:`electrochemical_equivalent`, times 1000.

    Examples
    --------
    Copper, 843.5 Ah/kg (Schlesinger et al. 2011):

    >>> round(ampere_hours_per_kg(63.546, 2), 2)
    843.53
    """
    return _value(1000.0 / np.asarray(electrochemical_equivalent(molar_mass, n)))


def faraday_mass(current_a: ArrayLike, hours: ArrayLike, molar_mass: ArrayLike,
                 n: ArrayLike, efficiency: ArrayLike) -> float | np.ndarray:
    r"""Mass deposited by a current in a time, Faraday's law [kg].

    .. math:: m = I\,t\,\varepsilon\,z / 1000, \qquad z = \frac{3600\,M}{n\,F}

    Parameters
    ----------
    current_a : float or array
        Current [A], >= 0 (the total of all cells of a house: cell current times cells).
    hours : float or array
        Time [h], >= 0.
    molar_mass : float or array
        Molar mass of the metal [g/mol].
    n : float or array
        Electrons per atom deposited.
    efficiency : float or array
        Current efficiency, a fraction in (0, 1].

    Returns
    -------
    float or ndarray
        Mass deposited [kg].

    Examples
    --------
    A classic textbook exercise: 0.123 A for 1 h deposits 0.1457 g of copper (the
    exercise takes Cu = 63.5 g/mol; 63.546 gives 0.1458 g):

    >>> round(faraday_mass(0.123, 1.0, 63.5, 2, 1.0) * 1000, 4)
    0.1457

    A cell house of 40 kA at 92 % efficiency makes about one tonne of copper a day:

    >>> round(faraday_mass(40_000, 24, 63.546, 2, 0.92))
    1047
    """
    i = _checked("current_a", current_a, low_closed=True)
    t = _checked("hours", hours, low_closed=True)
    eff = _efficiency(efficiency)
    return _value(i * t * eff * np.asarray(electrochemical_equivalent(molar_mass, n)) / 1000.0)


def faraday_hours(mass_kg: ArrayLike, current_a: ArrayLike, molar_mass: ArrayLike,
                  n: ArrayLike, efficiency: ArrayLike) -> float | np.ndarray:
    """Time a current takes to deposit a mass [h]; the inverse of :func:`faraday_mass`.

    Examples
    --------
    A classic textbook exercise: 14.0 kg of copper at 40.0 A takes 295 h:

    >>> round(faraday_hours(14.0, 40.0, 63.546, 2, 1.0))
    295
    """
    m = _checked("mass_kg", mass_kg, low_closed=True)
    i = _checked("current_a", current_a)
    rate = np.asarray(faraday_mass(i, 1.0, molar_mass, n, efficiency))
    return _value(m / rate)


def faraday_current(kg_per_hour: ArrayLike, molar_mass: ArrayLike, n: ArrayLike,
                    efficiency: ArrayLike) -> float | np.ndarray:
    """Current needed for a production rate [A]: ``rate * Ah/kg / efficiency``.

    Examples
    --------
    1000 kg/h of copper cathode at 90 % current efficiency needs 937 kA in all:

    >>> round(faraday_current(1000.0, 63.546, 2, 0.90) / 1000)
    937
    """
    rate = _checked("kg_per_hour", kg_per_hour, low_closed=True)
    eff = _efficiency(efficiency)
    return _value(rate * np.asarray(ampere_hours_per_kg(molar_mass, n)) / eff)


def current_efficiency(mass_kg: ArrayLike, current_a: ArrayLike, hours: ArrayLike,
                       molar_mass: ArrayLike, n: ArrayLike) -> float | np.ndarray:
    r"""Current efficiency from a measured deposit: :math:`\varepsilon = m / m_{Faraday}` [-].

    May exceed 1 for a wrong measurement; it is returned as computed, not clipped.

    Examples
    --------
    1047 kg from 40 kA over 24 h is 92 %:

    >>> round(current_efficiency(1047.0, 40_000, 24, 63.546, 2), 3)
    0.92
    """
    m = _checked("mass_kg", mass_kg, low_closed=True)
    i = _checked("current_a", current_a)
    t = _checked("hours", hours)
    return _value(m / np.asarray(faraday_mass(i, t, molar_mass, n, 1.0)))


def specific_energy_kwh_per_kg(voltage: ArrayLike, molar_mass: ArrayLike, n: ArrayLike,
                               efficiency: ArrayLike) -> float | np.ndarray:
    r"""Electrical energy per kilogram deposited [kWh/kg].

    .. math:: E = \frac{V \cdot (1000 / z)}{1000\,\varepsilon}

    with :math:`1000/z` the charge per kilogram [Ah/kg] and :math:`V` the cell voltage [V]
    (the whole cell: decomposition potential, overpotentials, electrolyte and contact
    drops). Rectifier and busbar losses are not included.

    Examples
    --------
    Copper electrowinning at 2.0 V and 90 %, 1.875 kWh/kg, and electrorefining at 0.30 V
    and 95 %, 0.266 kWh/kg (843.5 V / CE Wh/kg, Schlesinger et al. 2011):

    >>> round(specific_energy_kwh_per_kg(2.0, 63.546, 2, 0.90), 3)
    1.875
    >>> round(specific_energy_kwh_per_kg(0.30, 63.546, 2, 0.95), 3)
    0.266

    Zinc at 3.4 V and 90 % lands in the 3.0-3.3 kWh/kg of Sinclair, *The Extractive Metallurgy of
    Zinc*, AusIMM, 2005:

    >>> round(specific_energy_kwh_per_kg(3.4, 65.38, 2, 0.90), 2)
    3.1
    """
    v = _checked("voltage", voltage)
    eff = _efficiency(efficiency)
    return _value(v * np.asarray(ampere_hours_per_kg(molar_mass, n)) / (1000.0 * eff))


def current_efficiency_from_energy(voltage: ArrayLike, kwh_per_kg: ArrayLike,
                                   molar_mass: ArrayLike, n: ArrayLike) -> float | np.ndarray:
    """Current efficiency from cell voltage and specific energy [-], inverse of
    :func:`specific_energy_kwh_per_kg`.

    Examples
    --------
    Aalto University CHEM-E6180, Exercise 6: copper electrowinning at 2.2 V and
    1.89 kWh/kg runs at a current efficiency of 98 %:

    >>> round(current_efficiency_from_energy(2.2, 1.89, 63.546, 2), 2)
    0.98
    """
    v = _checked("voltage", voltage)
    e = _checked("kwh_per_kg", kwh_per_kg)
    return _value(v * np.asarray(ampere_hours_per_kg(molar_mass, n)) / (1000.0 * e))


def cell_current(current_density: ArrayLike, cathode_area: ArrayLike) -> float | np.ndarray:
    """Current of one cell [A]: current density [A/m2] times active cathode area [m2].

    The area is the plated area of all cathodes of the cell, both faces counted.

    Examples
    --------
    60 cathodes of 1 m x 1 m plated on both faces at 300 A/m2 carry 36 kA:

    >>> cell_current(300.0, 60 * 2 * 1.0)
    36000.0
    """
    j = _checked("current_density", current_density)
    a = _checked("cathode_area", cathode_area)
    return _value(j * a)


def cells_for_production(kg_per_hour: ArrayLike, current_density: ArrayLike,
                         cathode_area: ArrayLike, molar_mass: ArrayLike, n: ArrayLike,
                         efficiency: ArrayLike) -> float | np.ndarray:
    """Cells needed for a production rate [-], not rounded (round up for a design).

    Examples
    --------
    1 t/h of copper at 300 A/m2, 120 m2 of cathode per cell and 92 % needs 25.5 cells:

    >>> round(cells_for_production(1000.0, 300.0, 120.0, 63.546, 2, 0.92), 1)
    25.5
    """
    total = np.asarray(faraday_current(kg_per_hour, molar_mass, n, efficiency))
    return _value(total / np.asarray(cell_current(current_density, cathode_area)))
