r"""Matte compositions, carrier compounds and gas volumes of a smelting charge balance.

Pure functions of floats or numpy arrays (one value per ore), used by the charge balance
(:mod:`units.pyro.charge_balance`), the smelter unit and the ore-to-matte calculator.

* :func:`matte_from_grade` -- a matte of Cu2S and FeS of a given grade (Levy 1912);
* :func:`matousek_matte` -- the oxygen-bearing matte of Matousek (1996);
* :func:`carrier_mass` -- the mass of the compound that carries an element;
* :func:`blast_for_oxygen` and :func:`gas_volume` -- blast and off-gas volumes.

Masses are in t (or t/h; volumes are then per hour). Molar masses are the standard
atomic weights of :mod:`flowsheet.elements`; textbook problems that use integer atomic
weights (Cu 63.5, Fe 56, S 32, O 16) differ by 0.1-0.3 %.

>>> round(float(matte_from_grade(50.0)["Fe"]), 2)
23.75
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, lru_cache

import numpy as np
from numpy.typing import ArrayLike

from flowsheet.elements import mass_fractions, molar_mass

__all__ = ["MOLAR_VOLUME", "GAS_FORMULAS", "MATTE_CARRIERS", "SLAG_CARRIERS",
           "FUME_CARRIERS", "GAS_CARRIERS", "matte_from_grade", "matousek_matte",
           "white_metal_grade", "carrier_mass", "carrier_ratio", "mass_fraction",
           "blast_for_oxygen", "gas_volume"]

#: Molar volume of an ideal gas at 0 degC and 101.325 kPa (normal conditions) [m3/mol]
#: (CODATA 2018: R T / p = 22.413 969... L/mol).
MOLAR_VOLUME = 0.022413969

#: Species counted in off-gas volumes (fume of minor elements is not).
GAS_FORMULAS = ("SO2", "CO2", "H2O", "N2", "O2")

#: Compounds that carry each element in a matte: Cu2S, FeS, the rest as metal.
MATTE_CARRIERS = {"Cu": "Cu2S", "Fe": "FeS"}
#: Compounds that carry each element in a slag (iron: FeO and Fe3O4, see the balance).
SLAG_CARRIERS = {"Cu": "Cu2O", "Pb": "PbO", "Zn": "ZnO", "As": "As2O3", "Sb": "Sb2O3",
                 "Bi": "Bi2O3", "Sn": "SnO", "Ni": "NiO", "Si": "SiO2", "Ca": "CaO",
                 "Al": "Al2O3", "Mg": "MgO", "Au": "Au", "Ag": "Ag"}
#: Compounds that carry each element in fume and dust (oxidised, as collected).
FUME_CARRIERS = {**SLAG_CARRIERS, "Fe": "Fe3O4", "Sn": "SnO2"}
#: Compounds of the light elements in the off-gas.
GAS_CARRIERS = {"S": "SO2", "C": "CO2", "H": "H2O", "N": "N2"}


@cache
def carrier_ratio(formula: str, element: str) -> float:
    """Mass of ``formula`` per mass of ``element`` in it [-].

    >>> round(carrier_ratio("Cu2S", "Cu"), 5)
    1.25226
    """
    return 1.0 / mass_fractions(formula)[element]


@lru_cache(maxsize=1024)
def mass_fraction(formula: str, element: str) -> float:
    """Mass fraction of ``element`` in ``formula``, 0 when it holds none [-].

    Kept per (formula, element): a charge balance asks for the oxygen of each of its
    carriers on every pass.

    >>> round(mass_fraction("Cu2S", "S"), 5), mass_fraction("Cu2S", "O")
    (0.20144, 0.0)
    """
    return mass_fractions(formula).get(element, 0.0)


def carrier_mass(element_mass: ArrayLike, formula: str, element: str) -> np.ndarray:
    """Mass of the compound ``formula`` that holds ``element_mass`` of ``element`` [t].

    >>> round(float(carrier_mass(127.0, "Cu2S", "Cu")), 2)
    159.04
    """
    return np.asarray(element_mass, dtype=float) * carrier_ratio(formula, element)


def white_metal_grade() -> float:
    """Copper in pure Cu2S, the highest grade of a Cu2S-FeS matte [% Cu].

    >>> round(white_metal_grade(), 2)
    79.86
    """
    return 100.0 * mass_fractions("Cu2S")["Cu"]


def matte_from_grade(grade: ArrayLike) -> dict[str, np.ndarray]:
    r"""Composition of a Cu2S-FeS matte of a given copper grade [% by mass].

    All copper is Cu2S and the rest of the matte is FeS:

    .. math:: x_{Cu_2S} = \frac{g}{w_{Cu}(Cu_2S)}, \qquad x_{FeS} = 100 - x_{Cu_2S},

    .. math:: Fe = x_{FeS}\, w_{Fe}(FeS), \qquad S = 100 - g - Fe.

    This is the classical reading of a matte assay (Levy, *Modern Copper Smelting*,
    Griffin, London, 1912): a matte of 44 % Cu carries about 28 % Fe and 28 % S. Real
    mattes also dissolve oxygen (magnetite), which :func:`matousek_matte` accounts for.

    Parameters
    ----------
    grade : float or array
        Copper in the matte, 0 to 79.86 (white metal) [% Cu].

    Returns
    -------
    dict
        ``Cu``, ``Fe``, ``S``, ``Cu2S`` and ``FeS`` [% by mass].

    Raises
    ------
    ValueError
        When a grade lies outside 0 .. 79.86 % Cu.

    Examples
    --------
    Levy's 44 % matte (exact stoichiometry 28.6 % Fe and 27.4 % S with Fe 56, S 32):

    >>> m = matte_from_grade(44.0)
    >>> round(float(m["Fe"]), 1), round(float(m["S"]), 1)
    (28.5, 27.5)
    """
    g = np.asarray(grade, dtype=float)
    top = white_metal_grade()
    if np.any((g < 0) | (g > top + 1e-9)):
        raise ValueError(f"matte grade must lie in 0 .. {top:.2f} % Cu (Cu2S)")
    cu2s = carrier_mass(g, "Cu2S", "Cu")
    fes = 100.0 - cu2s
    fe = fes * mass_fractions("FeS")["Fe"]
    return {"Cu": g, "Fe": fe, "S": 100.0 - g - fe, "Cu2S": cu2s, "FeS": fes}


def matousek_matte(grade: ArrayLike) -> dict[str, np.ndarray]:
    r"""Iron, sulfur and oxygen of an industrial matte from its copper grade [% by mass].

    Matousek's correlations of plant mattes, which carry dissolved oxygen:

    .. math::
        Fe = 62.0 - 0.775\,Cu, \qquad S = 28.0 - 0.00125\,Cu^2, \qquad
        O = 10.0 - 0.225\,Cu + 0.00125\,Cu^2

    (J. W. Matousek, "Calculations of matte composition", CIM Bulletin 89 (1002) (1996)).
    The four assays sum to 100 % at every grade and reach the white-metal end point
    80 % Cu, 20 % S, 0 % Fe and O. Valid for 0 <= Cu <= 80 % (empirical fit; at low grade
    the oxygen it gives, up to 10 %, is an upper estimate).

    Parameters
    ----------
    grade : float or array
        Copper in the matte [% Cu].

    Returns
    -------
    dict
        ``Cu``, ``Fe``, ``S`` and ``O`` [% by mass].

    Raises
    ------
    ValueError
        When a grade lies outside 0 .. 80 % Cu.

    Examples
    --------
    >>> m = matousek_matte(80.0)
    >>> [round(float(m[k]), 6) for k in ("Cu", "Fe", "S", "O")]
    [80.0, 0.0, 20.0, 0.0]
    >>> m = matousek_matte(60.0)
    >>> round(float(m["Fe"]), 2), round(float(m["S"]), 2), round(float(m["O"]), 2)
    (15.5, 23.5, 1.0)
    """
    cu = np.asarray(grade, dtype=float)
    if np.any((cu < 0) | (cu > 80.0)):
        raise ValueError("Matousek's correlations hold for 0 .. 80 % Cu")
    return {"Cu": cu, "Fe": 62.0 - 0.775 * cu, "S": 28.0 - 0.00125 * cu ** 2,
            "O": 10.0 - 0.225 * cu + 0.00125 * cu ** 2}


def blast_for_oxygen(o2: ArrayLike, o2_pct: float) -> dict[str, np.ndarray]:
    r"""Blast that brings ``o2`` t of oxygen at ``o2_pct`` % O2 by volume.

    The rest of the blast is counted as N2 (the 0.93 % argon of air is lumped with it):
    :math:`n_{N_2} = n_{O_2}\,(100 - p)/p`.

    Parameters
    ----------
    o2 : float or array
        Oxygen to supply [t].
    o2_pct : float
        Oxygen in the blast, 20.9 (air) to 100 [% by volume].

    Returns
    -------
    dict
        ``N2`` [t], ``blast`` (mass) [t] and ``nm3`` (volume at 0 degC, 101.325 kPa).

    Examples
    --------
    One tonne of oxygen as air (20.95 % O2) comes with 3.30 t of nitrogen, 3,344 Nm3
    (700 Nm3 of O2 in all):

    >>> b = blast_for_oxygen(1.0, 20.95)
    >>> round(float(b["N2"]), 2), round(float(b["nm3"]))
    (3.3, 3344)
    """
    if not 0.0 < o2_pct <= 100.0:
        raise ValueError("o2_pct must lie in (0, 100] % O2")
    o2 = np.asarray(o2, dtype=float)
    mol_o2 = o2 * 1e6 / molar_mass("O2")
    mol_n2 = mol_o2 * (100.0 - o2_pct) / o2_pct
    n2 = mol_n2 * molar_mass("N2") / 1e6
    return {"N2": n2, "blast": o2 + n2, "nm3": (mol_o2 + mol_n2) * MOLAR_VOLUME}


def gas_volume(gas: Mapping[str, ArrayLike]) -> dict[str, np.ndarray]:
    r"""Volume of an off-gas at normal conditions and its SO2 content.

    :math:`V = \sum_i m_i / M_i \cdot V_m` over the species of :data:`GAS_FORMULAS`
    (ideal gas, 0 degC and 101.325 kPa, wet basis: H2O counted); fume of minor elements
    is left out.

    Parameters
    ----------
    gas : mapping of formula to float or array
        Mass of each gas species [t].

    Returns
    -------
    dict
        ``nm3`` [Nm3] and ``SO2_pct`` [% by volume] (NaN for no gas).

    Examples
    --------
    One Mmol of SO2 (64.058 t) in 4 Mmol of N2:

    >>> v = gas_volume({"SO2": 64.058, "N2": 4 * 28.014})
    >>> round(float(v["nm3"])), round(float(v["SO2_pct"]), 3)
    (112070, 20.0)
    """
    moles = {f: np.asarray(gas[f], dtype=float) * 1e6 / molar_mass(f)
             for f in GAS_FORMULAS if f in gas}
    total = sum(moles.values(), np.zeros(()))
    so2 = moles.get("SO2", np.zeros(()))
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.where(total > 0, 100.0 * so2 / np.where(total > 0, total, 1.0), np.nan)
    return {"nm3": total * MOLAR_VOLUME, "SO2_pct": pct}
