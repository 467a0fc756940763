r"""Regeneration of activated carbon: gold elution and thermal reactivation.

**Elution** strips the gold from loaded carbon with a hot caustic-cyanide (Zadra) or hot
water (AARL) eluant. The gold left on the carbon falls by a first-order approach to an
equilibrium residual, with an Arrhenius rate constant:

.. math::

    \eta(t) = \eta_{max}\,(1 - e^{-k(T_e) t}), \qquad q(t) = q_0\,(1 - \eta/100)

Elution is run above 100 degC under pressure because the rate rises steeply with
temperature; the eluant cannot be hotter than its boiling point at the column pressure,
so the elution temperature is :math:`T_e = \min(T, T_{sat}(P))` with the saturation
temperature of water (:func:`water_saturation_temperature`, IAPWS). That is where the
pressure enters.

**Thermal reactivation** in a steam kiln burns off the organic foulants that block the
carbon's pores, restoring its activity (its Fleming ``k``,
:func:`units.hydro.calculators.gold_cyanidation.fleming_kn_loading`) towards that of
fresh carbon, while the steam also gasifies some carbon:

.. math::

    A(t) = A_0 + (A_{max} - A_0)(1 - e^{-k_r t}), \qquad
    \text{loss}(t) = 1 - e^{-k_b t},

both rate constants Arrhenius. Efficiency is the share of the lost activity restored,
:math:`(A - A_0)/(100 - A_0)`.

The default constants are representative values to be fitted to the user's data
(:mod:`units.hydro.calculators.fitting`), not figures from one source. Elution:
``k_ref`` = 0.008 1/min at 120 degC and ``ea_kj`` = 70 kJ/mol take 96 % of the gold
off in 8 h at 120 degC and need about 30 h for as much at 95 degC, the orders of the pressure
AARL / Zadra and atmospheric Zadra cycles (Marsden and House, The Chemistry of Gold
Extraction, 2nd ed., SME, 2006, ch. 7); ``max_elution`` = 98.5 % leaves 60 g/t on carbon
loaded to 4,000 g/t at long times. Reactivation: ``k_ref`` = 0.15 1/min at 700 degC with ``ea_kj`` =
100 kJ/mol (most foulant gone in a 15-20 min kiln residence at 650-750 degC),
``max_activity`` = 95 % of fresh, and burn-off ``k_burn_ref`` = 5e-4 1/min with
``ea_burn_kj`` = 180 kJ/mol (about 1 % of the carbon in 20 min at 700 degC; the
steam-carbon reaction is strongly activated).

>>> r = carbon_elution(120.0, 300e3, 8 * 60)
>>> round(float(r["efficiency_pct"]), 1), round(float(r["residual_au_g_per_t"]), 0)
(96.4, 145.0)
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

__all__ = ["IAPWS_SATURATION", "water_vapour_pressure", "water_saturation_temperature",
           "carbon_elution", "carbon_reactivation"]

#: Saturation-pressure equation of water (W. Wagner, A. Pruss, J. Phys. Chem. Ref. Data 22
#: (1993) 783, doi:10.1063/1.555926; IAPWS SR1-86(1992)): critical point and a1..a6.
IAPWS_SATURATION = {"tc": 647.096, "pc": 22.064e6,
                    "a": (-7.85951783, 1.84408259, -11.7866497, 22.6807411, -15.9618719,
                          1.80122502)}


def water_vapour_pressure(t_celsius: ArrayLike) -> np.ndarray:
    r"""Saturation (vapour) pressure of water [Pa], from the triple to the critical point.

    .. math::

        \ln\frac{p}{p_c} = \frac{T_c}{T}\left(a_1\tau + a_2\tau^{1.5} + a_3\tau^3
        + a_4\tau^{3.5} + a_5\tau^4 + a_6\tau^{7.5}\right), \qquad \tau = 1 - T/T_c

    (Wagner and Pruss 1993, :data:`IAPWS_SATURATION`). Valid 0.01-373.946 degC.

    Examples
    --------
    Steam tables (IAPWS): 101.418 kPa at 100 degC, 198.67 kPa at 120 degC:

    >>> round(float(water_vapour_pressure(100.0)) / 1000, 3)
    101.418
    >>> round(float(water_vapour_pressure(120.0)) / 1000, 2)
    198.67
    """
    c = IAPWS_SATURATION
    t = np.clip(check_temperature(t_celsius) + ZERO_CELSIUS, 273.16, c["tc"])
    tau = 1.0 - t / c["tc"]
    a1, a2, a3, a4, a5, a6 = c["a"]
    series = (a1 * tau + a2 * tau ** 1.5 + a3 * tau ** 3 + a4 * tau ** 3.5 + a5 * tau ** 4
              + a6 * tau ** 7.5)
    return c["pc"] * np.exp(c["tc"] / t * series)


def water_saturation_temperature(pressure: ArrayLike) -> np.ndarray:
    """Boiling temperature of water [degC] at the absolute ``pressure`` [Pa].

    The inverse of :func:`water_vapour_pressure` by Newton's method on ln p (converged to
    1e-10 K); pressures above the critical pressure give the critical temperature.

    Examples
    --------
    The normal boiling point is 99.97 degC on ITS-90 (IAPWS):

    >>> round(float(water_saturation_temperature(101325.0)), 2)
    99.97
    """
    p = check_pressure(pressure)
    c = IAPWS_SATURATION
    target = np.log(np.minimum(p, c["pc"]))
    t = np.full(np.shape(target), 100.0)
    for _ in range(50):
        f = np.log(water_vapour_pressure(t)) - target
        h = 1e-3
        slope = (np.log(water_vapour_pressure(t + h)) - np.log(water_vapour_pressure(t - h))) / (
            2 * h)
        step = f / slope
        t = np.clip(t - step, 0.01, c["tc"] - ZERO_CELSIUS)
        if np.all(np.abs(step) < 1e-10):
            break
    return t


def carbon_elution(temperature: ArrayLike, pressure: ArrayLike, time: ArrayLike, *,
                   loading: ArrayLike = 4000.0, k_ref: ArrayLike = 0.008,
                   ea_kj: ArrayLike = 70.0, max_elution: ArrayLike = 98.5,
                   t_ref: float = 120.0) -> dict[str, np.ndarray]:
    """Gold eluted from loaded carbon in ``time`` minutes at ``temperature`` and
    ``pressure``.

    Parameters
    ----------
    temperature : float or array
        Eluant temperature set point [degC].
    pressure : float or array
        Absolute pressure in the column [Pa]; the eluant boils above its saturation
        temperature, which caps the elution temperature.
    time : float or array
        Elution time [min].
    loading : float or array, default 4000
        Gold on the loaded carbon [g/t].
    k_ref : float or array, default 0.008
        Elution rate constant at ``t_ref`` [1/min].
    ea_kj : float or array, default 70
        Activation energy of elution [kJ/mol].
    max_elution : float or array, default 98.5
        Elution approached at long times [%].
    t_ref : float, default 120
        Reference temperature [degC].

    Returns
    -------
    dict of str to numpy.ndarray
        ``efficiency_pct`` (gold eluted [%]), ``residual_au_g_per_t`` (gold left on the
        carbon [g/t]), ``elution_temperature_c`` (the temperature reached [degC]) and
        ``rate_constant_per_min``.

    Examples
    --------
    At atmospheric pressure a 120 degC set point cannot be reached: the eluant boils at
    99.97 degC and elution is slower than in a column at 300 kPa:

    >>> r = carbon_elution(120.0, 101325.0, 8 * 60)
    >>> round(float(r["elution_temperature_c"]), 2), round(float(r["efficiency_pct"]), 1)
    (99.97, 69.3)
    """
    t = check_temperature(temperature)
    p = check_pressure(pressure)
    minutes = check_time(time)
    q0 = check_nonnegative(loading, "loading", "g/t")
    x_max = check_nonnegative(max_elution, "max_elution", "%", high=100.0)
    t_e = np.minimum(t, water_saturation_temperature(p))
    k = np.asarray(k_ref, dtype=float) * arrhenius_ratio(ea_kj, t_e, t_ref)
    eta = first_order_approach(k, minutes, x_max)
    return {"efficiency_pct": eta, "residual_au_g_per_t": q0 * (1.0 - eta / 100.0),
            "elution_temperature_c": t_e, "rate_constant_per_min": k}


def carbon_reactivation(temperature: ArrayLike, time: ArrayLike, *,
                        activity_before: ArrayLike = 40.0, k_ref: ArrayLike = 0.15,
                        ea_kj: ArrayLike = 100.0, max_activity: ArrayLike = 95.0,
                        k_burn_ref: ArrayLike = 5e-4, ea_burn_kj: ArrayLike = 180.0,
                        t_ref: float = 700.0) -> dict[str, np.ndarray]:
    """Activity restored and carbon burnt in a reactivation kiln.

    Parameters
    ----------
    temperature : float or array
        Kiln temperature [degC].
    time : float or array
        Residence time at temperature [min].
    activity_before : float or array, default 40
        Activity of the eluted carbon [% of fresh carbon's].
    k_ref, ea_kj : float or array, default 0.15, 100
        Reactivation rate constant at ``t_ref`` [1/min] and its activation energy
        [kJ/mol].
    max_activity : float or array, default 95
        Activity approached at long times [% of fresh].
    k_burn_ref, ea_burn_kj : float or array, default 5e-4, 180
        Carbon gasification rate constant at ``t_ref`` [1/min] and its activation energy
        [kJ/mol].
    t_ref : float, default 700
        Reference temperature [degC].

    Returns
    -------
    dict of str to numpy.ndarray
        ``efficiency_pct`` (share of the lost activity restored [%]), ``activity_pct``
        (activity after [% of fresh]), ``residual_foulant_pct`` (activity still lost,
        100 - activity [%]) and ``carbon_loss_pct`` (carbon gasified [% of the feed]).

    Examples
    --------
    >>> r = carbon_reactivation(700.0, 20.0)
    >>> round(float(r["activity_pct"]), 1), round(float(r["carbon_loss_pct"]), 2)
    (92.3, 1.0)
    """
    t = check_temperature(temperature)
    minutes = check_time(time)
    a0 = check_nonnegative(activity_before, "activity_before", "%", high=100.0)
    a_max = check_nonnegative(max_activity, "max_activity", "%", high=100.0)
    k = np.asarray(k_ref, dtype=float) * arrhenius_ratio(ea_kj, t, t_ref)
    k_b = np.asarray(k_burn_ref, dtype=float) * arrhenius_ratio(ea_burn_kj, t, t_ref)
    activity = a0 + first_order_approach(k, minutes, a_max - a0)
    lost = np.where(a0 < 100.0, 100.0 - a0, 1.0)
    efficiency = np.where(a0 < 100.0, 100.0 * (activity - a0) / lost, 0.0)[()]
    return {"efficiency_pct": efficiency, "activity_pct": activity,
            "residual_foulant_pct": 100.0 - activity,
            "carbon_loss_pct": -100.0 * np.expm1(-k_b * minutes)}
