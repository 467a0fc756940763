r"""Demercurisation: removal of mercury from a solid by thermal treatment.

Mercury leaves a heated solid (a calcine, a gold concentrate, a contaminated soil) in two
steps in series: the release of Hg from its host (desorption of sorbed Hg, decomposition
of HgS or HgO -- thermally activated) and the transport of the Hg vapour out of the bed
into the off-gas (diffusion through the gas, faster when the vapour pressure is high and
the total pressure is low). Each is a first-order step in the Hg left in the solid, so the
overall rate constant is that of two resistances in series,

.. math::

    \frac{1}{k} = \frac{1}{k_r(T)} + \frac{1}{k_v(T, P)},
    \qquad \eta(t) = \eta_{max}\,(1 - e^{-k t}),
    \qquad C_{Hg}(t) = C_{Hg,0}\,(1 - \eta(t)),

with :math:`k_r` Arrhenius (:func:`~units.hydro.calculators.rates.arrhenius_ratio`) and
the vapour-transport constant scaled from a reference state as the dilute-vapour flux
through a gas film, :math:`N \approx D_{AB}\,p_{Hg}/(R T \delta)` with the Fuller
diffusivity :math:`D_{AB} \propto T^{1.75}/P`, i.e. :math:`k_v \propto T^{0.75}
p_{Hg}(T)/P` (R. B. Bird, W. E. Stewart, E. N. Lightfoot, Transport Phenomena, 2nd ed.,
Wiley, 2002, sec. 18.2; E. N. Fuller, P. D. Schettler, J. C. Giddings, Ind. Eng. Chem. 58
(1966) 18, doi:10.1021/ie50677a007). :math:`p_{Hg}` is the vapour pressure of liquid
mercury (:func:`mercury_vapour_pressure`): the surface partial pressure is taken as
proportional to it (a constant activity of Hg in the solid, absorbed into
:math:`k_{v,ref}`) -- exact for free Hg droplets, an approximation for dilute sorbed Hg.
Reducing the pressure therefore speeds up removal until the release step controls.

The default constants are representative values to be fitted to the user's laboratory
data (:mod:`units.hydro.calculators.fitting`), not figures from one source: release
``k_ref`` = 0.08 1/min at 450 degC with ``ea_kj`` = 80 kJ/mol and ``k_vap_ref`` =
0.05 1/min at 450 degC and 101,325 Pa put 84 % removal at 450 degC and 1 atm in an hour,
and 98 % under 5 kPa; thermal desorption of HgS-bearing soils is reported to need 300-500
degC and of the order of an hour (H. Biester, C. Scholz, Environ. Sci. Technol. 31 (1997)
233, doi:10.1021/es960369h: HgS releases between about 250 and 350 degC in a pyrolysis
ramp), which these constants reproduce in order of magnitude. ``max_removal`` (99.5 %)
stands for Hg in thermally stable forms (silicate-bound) that is not driven off.

>>> r = demercurisation(450.0, 5000.0, 60.0)
>>> round(float(r["efficiency_pct"]), 2), round(float(r["residual_hg_mg_per_kg"]), 2)
(98.34, 1.66)
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from units.hydro.calculators.rates import (
    ZERO_CELSIUS,
    arrhenius_ratio,
    check_nonnegative,
    check_pressure,
    check_temperature,
    check_time,
    first_order_approach,
)

__all__ = ["HG_ANTOINE", "REFERENCE_PRESSURE", "mercury_vapour_pressure",
           "demercurisation_rate_constant", "demercurisation"]

#: Antoine constants of mercury, log10(p/bar) = A - B / (T/K + C), fitted over 298-630 K
#: (NIST Chemistry WebBook, SRD 69, "Mercury", phase-change data). They give 0.26 Pa at
#: 25 degC and the normal boiling point 629.77 K (Huber, Laesecke and Friend 2006).
HG_ANTOINE = {"A": 4.85767, "B": 3007.129, "C": -10.001, "t_min_k": 298.0, "t_max_k": 630.0}

#: Pressure [Pa] at which ``k_vap_ref`` is given: one standard atmosphere.
REFERENCE_PRESSURE = 101325.0


def mercury_vapour_pressure(t_celsius: ArrayLike) -> np.ndarray:
    r"""Vapour pressure of liquid mercury [Pa] by the Antoine equation.

    .. math::

        \log_{10}(p / \mathrm{bar}) = A - \frac{B}{T + C}, \quad T \text{ in K}

    with :data:`HG_ANTOINE` (NIST Chemistry WebBook). Fitted from 25 to 357 degC;
    above the normal boiling point it is an extrapolation, within about 1 % of the
    Clausius-Clapeyron line through the boiling point with the enthalpy of vaporisation
    59.1 kJ/mol up to 500 degC.

    Parameters
    ----------
    t_celsius : float or array
        Temperature [degC].

    Examples
    --------
    The normal boiling point, 629.77 K (M. L. Huber, A. Laesecke, D. G. Friend,
    Ind. Eng. Chem. Res. 45 (2006) 7351, doi:10.1021/ie060560s), is at one atmosphere:

    >>> round(float(mercury_vapour_pressure(629.77 - 273.15)) / 1000, 1)
    101.3
    >>> round(float(mercury_vapour_pressure(25.0)), 2)
    0.26
    """
    t = check_temperature(t_celsius) + ZERO_CELSIUS
    c = HG_ANTOINE
    return 1e5 * 10.0 ** (c["A"] - c["B"] / (t + c["C"]))


def demercurisation_rate_constant(temperature: ArrayLike, pressure: ArrayLike, *,
                                  k_ref: ArrayLike = 0.08, ea_kj: ArrayLike = 80.0,
                                  k_vap_ref: ArrayLike = 0.05, t_ref: float = 450.0
                                  ) -> np.ndarray:
    r"""Overall first-order rate constant of Hg removal [1/min].

    .. math::

        k = \left[\frac{1}{k_{ref}\,\exp\!\left(-\frac{E_a}{R}
            \left(\frac{1}{T} - \frac{1}{T_{ref}}\right)\right)}
        + \frac{1}{k_{v,ref}\,\left(\frac{T}{T_{ref}}\right)^{0.75}
            \frac{p_{Hg}(T)}{p_{Hg}(T_{ref})}\,\frac{P_{ref}}{P}}\right]^{-1}

    Parameters
    ----------
    temperature : float or array
        Bed temperature [degC].
    pressure : float or array
        Absolute pressure over the bed [Pa].
    k_ref : float or array, default 0.08
        Release rate constant at ``t_ref`` [1/min].
    ea_kj : float or array, default 80
        Activation energy of the release step [kJ/mol].
    k_vap_ref : float or array, default 0.05
        Vapour-transport rate constant at ``t_ref`` and 101,325 Pa [1/min].
    t_ref : float, default 450
        Reference temperature [degC].

    Examples
    --------
    Lowering the pressure 20-fold at 450 degC lifts the transport constant 20-fold; the
    release step (0.08 1/min) then controls:

    >>> round(float(demercurisation_rate_constant(450.0, 101325.0)), 4)
    0.0308
    >>> round(float(demercurisation_rate_constant(450.0, 101325.0 / 20)), 4)
    0.0741
    """
    t = check_temperature(temperature)
    p = check_pressure(pressure)
    k_r = np.asarray(k_ref, dtype=float) * arrhenius_ratio(ea_kj, t, t_ref)
    ratio = ((t + ZERO_CELSIUS) / (t_ref + ZERO_CELSIUS)) ** 0.75 * (
        mercury_vapour_pressure(t) / mercury_vapour_pressure(t_ref)) * (REFERENCE_PRESSURE / p)
    k_v = np.asarray(k_vap_ref, dtype=float) * ratio
    return k_r * k_v / (k_r + k_v)


def demercurisation(temperature: ArrayLike, pressure: ArrayLike, time: ArrayLike, *,
                    hg_feed: ArrayLike = 100.0, k_ref: ArrayLike = 0.08,
                    ea_kj: ArrayLike = 80.0, k_vap_ref: ArrayLike = 0.05,
                    max_removal: ArrayLike = 99.5, t_ref: float = 450.0
                    ) -> dict[str, np.ndarray]:
    r"""Mercury removed from a solid held ``time`` minutes at ``temperature`` and ``pressure``.

    .. math::

        \eta = \eta_{max}\,(1 - e^{-k t}), \qquad C_{Hg} = C_{Hg,0}\,(1 - \eta/100)

    with :math:`k` from :func:`demercurisation_rate_constant`.

    Parameters
    ----------
    temperature : float or array
        Bed temperature [degC].
    pressure : float or array
        Absolute pressure [Pa].
    time : float or array
        Time at temperature [min].
    hg_feed : float or array, default 100
        Hg in the feed solid [mg/kg].
    k_ref, ea_kj, k_vap_ref, t_ref
        See :func:`demercurisation_rate_constant`.
    max_removal : float or array, default 99.5
        Removal approached at long times [%].

    Returns
    -------
    dict of str to numpy.ndarray
        ``efficiency_pct`` (Hg removed [%]), ``residual_hg_mg_per_kg`` (Hg left in the
        solid [mg/kg]), ``rate_constant_per_min`` (:math:`k`) and ``hg_vapour_pressure_pa``
        (:math:`p_{Hg}(T)`).

    Examples
    --------
    Vacuum treatment at 5 kPa against one atmosphere, 450 degC, one hour:

    >>> atm = demercurisation(450.0, 101325.0, 60.0)
    >>> round(float(atm["efficiency_pct"]), 1)
    83.8
    >>> demercurisation(450.0, 5000.0, -1.0)
    Traceback (most recent call last):
    ...
    flowsheet.errors.SchemaError: key 'time': 'time' must be 0 min or more, got -1 min
    """
    t = check_temperature(temperature)
    p = check_pressure(pressure)
    minutes = check_time(time)
    feed = check_nonnegative(hg_feed, "hg_feed", "mg/kg")
    x_max = check_nonnegative(max_removal, "max_removal", "%", high=100.0)
    k = demercurisation_rate_constant(t, p, k_ref=k_ref, ea_kj=ea_kj, k_vap_ref=k_vap_ref,
                                      t_ref=t_ref)
    eta = first_order_approach(k, minutes, x_max)
    return {"efficiency_pct": eta, "residual_hg_mg_per_kg": feed * (1.0 - eta / 100.0),
            "rate_constant_per_min": k, "hg_vapour_pressure_pa": mercury_vapour_pressure(t)}
