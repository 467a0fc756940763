r"""Gold recovery by cyanide leaching with simultaneous carbon adsorption (carbon-in-leach).

A batch of pulp (ore at ``solids_pct`` % solids by mass, with ``carbon_gpl`` grams of
activated carbon per litre of solution) is leached for ``time`` minutes. Three gold
inventories, all per litre of solution [mg/L]: :math:`a`, leachable gold still in the ore;
:math:`C`, gold in solution; :math:`Q`, gold on the carbon. Leaching is a first-order
approach to a maximum extraction :math:`X_{max}` with an Arrhenius rate constant;
adsorption follows the film-diffusion rate of Fleming and Nicol,

.. math::

    \frac{da}{dt} = -k_L a, \qquad
    \frac{dQ}{dt} = k_A c_C \left(C - \frac{q}{K}\right), \qquad
    \frac{dC}{dt} = k_L a - \frac{dQ}{dt},
    \qquad q = \frac{1000\,Q}{c_C},

(C. A. Fleming, M. J. Nicol, J. S. Afr. Inst. Min. Metall. 84(4) (1984) 85-93: the
initial rate of loading is proportional to the solution concentration and to the mass of
carbon, rate = k ([Au]_s - [Au]_s,eq)), with a linear isotherm :math:`q = K C_{eq}` whose
constant falls with temperature by van 't Hoff (adsorption of aurocyanide is
exothermic). The system is linear and is solved exactly by a matrix exponential.

The carbon-activity test of the same authors, the empirical k-n law
:math:`[Au]_c = k [Au]_s t^n` (:func:`fleming_kn_loading`), ranks carbons by its ``k``.

The default constants are representative values to be fitted to the user's bottle-roll
or CIL test data (:mod:`units.hydro.calculators.fitting`), not figures from one source:
``k_leach_ref`` = 0.004 1/min at 25 degC (about 90 % of the leachable gold in 10 h, the
usual 24-48 h leach of a free-milling ore having a wide margin), ``ea_leach_kj`` = 15
kJ/mol (gold cyanidation is diffusion controlled, with activation energies reported
between about 8 and 20 kJ/mol: J. O. Marsden, C. I. House, The Chemistry of Gold
Extraction, 2nd ed., SME, 2006, ch. 6), ``max_extraction`` = 92 %, ``k_ads`` = 6e-4
L/(g min) (about 0.5 1/h with 15 g/L of carbon, the order of the per-stage adsorption of
CIP plants), ``k_eq_ref`` = 2e4 L/kg (2,000 g/t of carbon in equilibrium with 0.1 mg/L)
and ``dh_ads_kj`` = -40 kJ/mol.

>>> r = gold_cyanidation(25.0, 24 * 60)
>>> round(float(r["leach_extraction_pct"]), 2), round(float(r["efficiency_pct"]), 2)
(91.71, 91.18)
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from units.hydro.calculators.rates import (
    GAS_CONSTANT,
    ZERO_CELSIUS,
    arrhenius_ratio,
    check_nonnegative,
    check_temperature,
    check_time,
)

__all__ = ["fleming_kn_loading", "cil_batch", "gold_cyanidation"]


def fleming_kn_loading(k: ArrayLike, n: ArrayLike, au_solution: ArrayLike,
                       t_hours: ArrayLike) -> np.ndarray:
    r"""Gold on carbon [g/t] after ``t_hours`` of contact by Fleming's k-n law.

    .. math::

        [Au]_c = k\,[Au]_s\,t^n

    C. A. Fleming, M. J. Nicol, J. S. Afr. Inst. Min. Metall. 84(4) (1984) 85; the
    empirical rate law of the early (far from equilibrium) part of a loading curve, used
    to compare carbon activities. Valid while the carbon holds a small fraction of its
    equilibrium loading (typically the first day of contact).

    Parameters
    ----------
    k : float or array
        Rate constant [(g/t) / (mg/L) / h^n], the carbon's activity.
    n : float or array
        Time exponent [-], typically 0.5-1.
    au_solution : float or array
        Gold in solution [mg/L].
    t_hours : float or array
        Contact time [h].

    Examples
    --------
    With ``n = 1`` the loading is linear in time; doubling ``k`` doubles it:

    >>> float(fleming_kn_loading(100.0, 1.0, 1.0, 2.0))
    200.0
    >>> round(float(fleming_kn_loading(100.0, 0.8, 1.0, 24.0)), 1)
    1271.1
    """
    return (np.asarray(k, dtype=float) * np.asarray(au_solution, dtype=float)
            * np.asarray(t_hours, dtype=float) ** np.asarray(n, dtype=float))


def cil_batch(k_leach: float, k_ads: float, carbon_gpl: float, k_eq: float,
              leachable: float, minutes: float) -> tuple[float, float, float]:
    """Leachable gold left, gold in solution and gold on carbon [mg/L of solution].

    The exact solution of the linear system of the module docstring, from ``leachable``
    mg/L in the ore and nothing dissolved, after ``minutes``.

    >>> a, c, q = cil_batch(0.01, 0.0, 0.0, 1.0, 2.0, 100.0)
    >>> round(a, 4), round(c, 4), q
    (0.7358, 1.2642, 0.0)
    """
    from scipy.linalg import expm

    k_a = k_ads * carbon_gpl
    back = k_a * 1000.0 / (carbon_gpl * k_eq) if carbon_gpl > 0 else 0.0
    m = np.array([[-k_leach, 0.0, 0.0],
                  [k_leach, -k_a, back],
                  [0.0, k_a, -back]])
    a, c, q = expm(m * minutes) @ np.array([leachable, 0.0, 0.0])
    return float(a), float(c), float(q)


def gold_cyanidation(temperature: ArrayLike, time: ArrayLike, *,
                     head_grade: ArrayLike = 3.0, solids_pct: ArrayLike = 45.0,
                     carbon_gpl: ArrayLike = 15.0, k_leach_ref: ArrayLike = 0.004,
                     ea_leach_kj: ArrayLike = 15.0, max_extraction: ArrayLike = 92.0,
                     k_ads: ArrayLike = 6e-4, k_eq_ref: ArrayLike = 2e4,
                     dh_ads_kj: ArrayLike = -40.0, t_ref: float = 25.0
                     ) -> dict[str, np.ndarray]:
    r"""Gold leached by cyanide and adsorbed on carbon after ``time`` minutes.

    Parameters
    ----------
    temperature : float or array
        Pulp temperature [degC].
    time : float or array
        Leach time [min].
    head_grade : float or array, default 3
        Gold in the ore [g/t].
    solids_pct : float or array, default 45
        Solids in the pulp [% by mass], in (0, 100); the solution is taken at 1 kg/L.
    carbon_gpl : float or array, default 15
        Activated carbon [g per litre of solution]; 0 for a leach without carbon.
    k_leach_ref : float or array, default 0.004
        Leach rate constant at ``t_ref`` [1/min].
    ea_leach_kj : float or array, default 15
        Activation energy of leaching [kJ/mol].
    max_extraction : float or array, default 92
        Extraction approached at long times [%].
    k_ads : float or array, default 6e-4
        Adsorption rate constant per gram of carbon [L/(g min)].
    k_eq_ref : float or array, default 2e4
        Isotherm constant q/C at ``t_ref`` [L/kg, i.e. (g/t)/(mg/L)].
    dh_ads_kj : float or array, default -40
        Enthalpy of adsorption [kJ/mol]: :math:`K(T) = K_{ref}\exp[-\Delta H/R\,(1/T -
        1/T_{ref})]`.
    t_ref : float, default 25
        Reference temperature [degC].

    Returns
    -------
    dict of str to numpy.ndarray
        ``leach_extraction_pct`` (gold dissolved [% of the head]), ``adsorption_pct``
        (dissolved gold on the carbon [%]), ``efficiency_pct`` (gold recovered: on the
        carbon, or dissolved when there is no carbon [% of the head]),
        ``residue_au_g_per_t``, ``solution_au_mg_per_l`` and ``carbon_au_g_per_t``.

    Examples
    --------
    Without carbon the gold stays in solution; a warmer pulp leaches faster:

    >>> cold = gold_cyanidation(15.0, 240.0, carbon_gpl=0.0)
    >>> warm = gold_cyanidation(35.0, 240.0, carbon_gpl=0.0)
    >>> round(float(cold["efficiency_pct"]), 1), round(float(warm["efficiency_pct"]), 1)
    (49.7, 63.4)
    >>> round(float(warm["solution_au_mg_per_l"]), 3)
    1.556
    """
    t = check_temperature(temperature)
    minutes = check_time(time)
    head = check_nonnegative(head_grade, "head_grade", "g/t")
    solids = check_nonnegative(solids_pct, "solids_pct", "%", high=100.0)
    if np.any(solids <= 0) or np.any(solids >= 100):
        check_nonnegative(-1.0 if np.any(solids <= 0) else 101.0, "solids_pct", "%",
                          high=100.0)
    carbon = check_nonnegative(carbon_gpl, "carbon_gpl", "g/L")
    x_max = check_nonnegative(max_extraction, "max_extraction", "%", high=100.0)
    k_leach = np.asarray(k_leach_ref, dtype=float) * arrhenius_ratio(ea_leach_kj, t, t_ref)
    k_eq = np.asarray(k_eq_ref, dtype=float) * np.exp(
        -np.asarray(dh_ads_kj, dtype=float) * 1e3 / GAS_CONSTANT
        * (1.0 / (t + ZERO_CELSIUS) - 1.0 / (t_ref + ZERO_CELSIUS)))
    ore_per_litre = solids / (100.0 - solids)                   # kg ore per L solution
    total = head * ore_per_litre                                # mg Au per L solution
    shape = np.broadcast_shapes(np.shape(total), np.shape(x_max), np.shape(k_leach),
                                np.shape(k_ads), np.shape(carbon), np.shape(k_eq),
                                np.shape(minutes))
    args = [np.broadcast_to(v, shape) for v in (k_leach, np.asarray(k_ads, dtype=float),
                                                 carbon, k_eq, total * x_max / 100.0,
                                                 minutes)]
    a, c, q = (np.empty(shape) for _ in range(3))
    for i in np.ndindex(shape):
        a[i], c[i], q[i] = cil_batch(*(float(v[i]) for v in args))
    unleached = np.broadcast_to(total * (1.0 - x_max / 100.0), shape)
    dissolved = c + q
    safe_total = np.where(total > 0, total, 1.0)
    leached = np.where(total > 0, 100.0 * dissolved / safe_total, 0.0)
    adsorbed = np.where(dissolved > 0, 100.0 * q / np.where(dissolved > 0, dissolved, 1.0), 0.0)
    recovered = np.where(carbon > 0, q, dissolved)
    loading = np.where(carbon > 0, 1000.0 * q / np.where(carbon > 0, carbon, 1.0), 0.0)
    return {"leach_extraction_pct": leached,
            "adsorption_pct": adsorbed,
            "efficiency_pct": np.where(total > 0, 100.0 * recovered / safe_total, 0.0),
            "residue_au_g_per_t": (a + unleached) / ore_per_litre,
            "solution_au_mg_per_l": c,
            "carbon_au_g_per_t": loading}
