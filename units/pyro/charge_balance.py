r"""The charge balance of a smelting furnace, vectorised over ores.

:func:`charge_balance` takes the element masses of a charge (one value, or one array entry
per ore) and splits every element between the furnace's products -- matte or metal
(bullion), slag, off-gas and dust -- so that each element closes exactly; it also returns
the silica and lime flux that bring the slag to its target ratios and the oxygen the
reactions take. It is the model of the classical textbook charge calculation (Butts,
*Metallurgical Problems*, McGraw-Hill, 1943) extended with element distributions.

Assumptions, each stated once:

* **Dust** is a fixed fraction of the feed of each element (coefficient ``dust``),
  collected as oxides (:data:`~units.pyro.charge.FUME_CARRIERS`); sulfur in dust (sulfates)
  is not modelled.
* **Minor elements** (Au, Ag, As, Pb, Zn, Bi, Sb, Sn, Ni, and in matte smelting also the
  lead and tin of the feed) follow fixed distribution coefficients (fractions of the feed
  to ``product``, ``slag``, ``gas``, ``dust``, summing to 1). In the product they are
  metals (their sulfides in a matte are not counted, a small error in S and O2); in slag,
  gas and dust they are oxides.
* **Copper matte** (``product="matte"``): copper is Cu2S and the rest of the matte FeS.
  The degree of oxidation is set by ONE of: a matte grade [% Cu]; the fraction of the
  sulfur oxidised; or a fixed slag analysis (``FeO`` and optionally ``CaO``, % by mass; the
  rest of the slag is SiO2 and every other slag oxide, and the SiO2 of the charge fixes
  the slag mass, as in Butts' problems). Iron not in matte goes to the slag as FeO and
  Fe3O4 by the ratio Fe3+/Fe; sulfur not in matte leaves as SO2.
* **Copper in slag**: ``slag_metal_pct`` % of the slag, either dissolved as Cu2O or as
  entrained matte droplets of the matte's own composition (then the analysis of the
  oxide slag excludes them).
* **Metal** (``product="metal"``, lead or tin bullion): the metal and every minor element
  follow their coefficients; all iron goes to the slag and all sulfur to SO2.
* **Gangue** (Si, Ca, Al, Mg) goes to the slag as SiO2, CaO, Al2O3, MgO; unassayed mass
  (``inert``) goes to the slag as it is. Carbon burns to CO2 (a reductant such as the coke
  of tin smelting included: CO in the gas is not modelled), hydrogen to H2O, nitrogen
  leaves as N2.
* **Flux**: silica flux and lime or limestone flux, each with its own assay (element mass
  fractions; Si, Ca, Al, Mg, C, O, H and ``inert`` only), are added to reach a target
  mass ratio Fe/SiO2 and CaO/SiO2 in the slag; a ratio the charge already passes needs
  none (the flux is never negative). Limestone calcines: its carbon leaves as CO2.
* **Oxygen** taken by the reactions is the oxygen of every product less the oxygen of the
  charge and flux; the blast and its excess are added by the caller
  (:func:`~units.pyro.charge.blast_for_oxygen`).

An ore that cannot reach the target gets a message in ``status`` (and NaN results); the
others are computed.

100 t of chalcopyrite smelted to a 60 % Cu matte: 57.7 t of matte, 27.0 t of oxygen
taken, and the mass closes (100 + 27.0 = matte + FeO slag + SO2):

>>> from flowsheet.elements import mass_fractions as w
>>> b = charge_balance({e: 100 * w("CuFeS2")[e] for e in ("Cu", "Fe", "S")},
...                    matte_grade=60.0)
>>> [round(float(v), 2) for v in (b.total("product"), b.o2, b.total("slag"), b.gas["SO2"])]
[57.71, 27.04, 27.42, 41.9]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from units.pyro.charge import (
    FUME_CARRIERS,
    GAS_CARRIERS,
    SLAG_CARRIERS,
    carrier_ratio,
    mass_fraction,
)

__all__ = ["ChargeBalance", "charge_balance", "MINOR_ELEMENTS", "GANGUE_ELEMENTS",
           "FLUX_ELEMENTS", "DESTINATIONS"]

#: Elements that follow distribution coefficients.
MINOR_ELEMENTS = ("Cu", "Au", "Ag", "As", "Pb", "Zn", "Bi", "Sb", "Sn", "Ni")
#: Elements of the slag-forming gangue.
GANGUE_ELEMENTS = ("Si", "Ca", "Al", "Mg")
#: Elements a flux assay may hold (besides ``inert``).
FLUX_ELEMENTS = ("Si", "Ca", "Al", "Mg", "C", "O", "H")
#: The four destinations of a distribution coefficient.
DESTINATIONS = ("product", "slag", "gas", "dust")
_KNOWN = set(MINOR_ELEMENTS) | set(GANGUE_ELEMENTS) | {"Fe", "S", "O", "C", "H", "N"}
_MAX_ITER = 200


@dataclass(frozen=True)
class ChargeBalance:
    """The products of a charge, each a mapping formula -> mass [t], one entry per ore.

    ``product`` is the matte (Cu2S, FeS, minor metals) or metal; ``slag`` holds oxides,
    entrained matte and ``inert``; ``gas`` the process gas (SO2, CO2, H2O, N2 and fume),
    without the blast; ``dust`` oxides. ``silica_flux`` and ``lime_flux`` [t] are the
    fluxes added; ``o2`` [t] the oxygen the reactions take; ``status`` is empty for an ore
    that balanced and a message otherwise.
    """

    product: dict[str, np.ndarray]
    slag: dict[str, np.ndarray]
    gas: dict[str, np.ndarray]
    dust: dict[str, np.ndarray]
    silica_flux: np.ndarray
    lime_flux: np.ndarray
    o2: np.ndarray
    status: np.ndarray
    metal: str = "Cu"
    extra: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def ok(self) -> np.ndarray:
        """True for the ores that balanced."""
        return self.status == ""

    def total(self, part: str) -> np.ndarray:
        """Total mass of ``product``, ``slag``, ``gas`` or ``dust`` [t]."""
        return sum(getattr(self, part).values(), np.zeros_like(self.o2))

    def element(self, part: str, element: str) -> np.ndarray:
        """Mass of ``element`` in ``part`` [t]."""
        return sum((m * mass_fraction(f, element)
                    for f, m in getattr(self, part).items() if f != "inert"),
                   np.zeros_like(self.o2))

    @property
    def grade(self) -> np.ndarray:
        """The main metal in the product [% by mass]."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return 100.0 * self.element("product", self.metal) / self.total("product")


def _add(part: dict, formula: str, mass: np.ndarray) -> None:
    part[formula] = part.get(formula, 0.0) + mass


def _flux_yields(assay: Mapping[str, float] | None) -> dict[str, float]:
    """Per tonne of flux: SiO2, CaO, other slag oxides (with inert), C, H and O [t]."""
    if not assay:
        return {}
    unknown = set(assay) - set(FLUX_ELEMENTS) - {"inert"}
    if unknown:
        raise ValueError(f"a flux assay may hold {', '.join(FLUX_ELEMENTS)} and inert; "
                         f"got {', '.join(sorted(unknown))}")
    if sum(assay.values()) > 1.0 + 1e-9:
        raise ValueError(f"flux assay sums to {100 * sum(assay.values()):.6g} %, over 100 %")
    ox = {e: assay.get(e, 0.0) * carrier_ratio(SLAG_CARRIERS[e], e) for e in GANGUE_ELEMENTS}
    return {"SiO2": ox["Si"], "CaO": ox["Ca"], "other": ox["Al"] + ox["Mg"]
            + assay.get("inert", 0.0), "C": assay.get("C", 0.0),
            "H": assay.get("H", 0.0), "O": assay.get("O", 0.0)}


def _check_mode(product, matte_grade, sulfur_oxidised, slag_analysis, lime_flux) -> str:
    given = [name for name, v in (("matte_grade", matte_grade),
                                  ("sulfur_oxidised", sulfur_oxidised),
                                  ("slag_analysis", slag_analysis)) if v is not None]
    if product == "metal":
        if given:
            raise ValueError(f"'{given[0]}' applies to matte smelting, not to a metal product")
        return "metal"
    if product != "matte":
        raise ValueError(f"product must be 'matte' or 'metal', got {product!r}")
    if len(given) != 1:
        raise ValueError("give exactly one of matte_grade, sulfur_oxidised, slag_analysis")
    if slag_analysis is not None:
        if set(slag_analysis) - {"FeO", "CaO"} or "FeO" not in slag_analysis:
            raise ValueError("slag_analysis takes 'FeO' and optionally 'CaO' [% by mass]")
        if sum(slag_analysis.values()) >= 100.0:
            raise ValueError("slag_analysis: FeO + CaO must leave room for SiO2")
        if "CaO" in slag_analysis and not lime_flux:
            raise ValueError("slag_analysis with CaO needs a lime_flux assay")
    return given[0]


def charge_balance(feed: Mapping[str, ArrayLike], *, product: str = "matte",
                   metal: str = "Cu", matte_grade: ArrayLike | None = None,
                   sulfur_oxidised: ArrayLike | None = None,
                   slag_analysis: Mapping[str, float] | None = None,
                   slag_metal_pct: float = 0.0, metal_in_slag: str = "dissolved",
                   distribution: Mapping[str, Mapping[str, float]] | None = None,
                   fe3_fe: float = 0.0, fe_sio2: float | None = None,
                   cao_sio2: float | None = None,
                   silica_flux: Mapping[str, float] | None = None,
                   lime_flux: Mapping[str, float] | None = None,
                   inert: ArrayLike = 0.0) -> ChargeBalance:
    r"""Split a smelting charge between product, slag, gas and dust (see the module notes).

    Parameters
    ----------
    feed : mapping of element to float or array
        Element masses of the charge [t], fuel included, flux to be added excluded.
    product : {'matte', 'metal'}
        Copper matte, or metal (lead, tin bullion).
    metal : str
        The main metal (``Cu`` for a matte).
    matte_grade, sulfur_oxidised, slag_analysis
        For a matte, exactly one: the grade [% Cu]; the fraction of the sulfur that leaves
        as SO2 [-]; or ``{"FeO": %, "CaO": %}`` (iron oxides counted as their mass).
    slag_metal_pct : float
        Copper in the slag [%] (matte smelting).
    metal_in_slag : {'dissolved', 'entrained'}
        Copper in slag as Cu2O, or as matte droplets.
    distribution : mapping
        Element -> {product, slag, gas, dust} fractions of its feed (see the module notes).
    fe3_fe : float
        Fe3+ over all Fe in the slag, 0 to 2/3 (2/3: all Fe3O4) [-].
    fe_sio2, cao_sio2 : float, optional
        Target mass ratios of the slag (Fe over SiO2, CaO over SiO2).
    silica_flux, lime_flux : mapping, optional
        Flux assays, element mass fractions (e.g. limestone ``{"Ca": .4004, "C": .12,
        "O": .4796}``); no flux is added without one.
    inert : float or array
        Unassayed mass of the charge, to slag [t].

    Returns
    -------
    ChargeBalance

    Raises
    ------
    ValueError
        For an unknown element in the feed, a missing coefficient, coefficients not summing
        to 1, a wrong flux assay, or not exactly one way of setting the oxidation.

    Examples
    --------
    NPTEL 113104060 (IIT Kanpur), Lecture 21, Problem 1: 1000 kg of 20 % Cu2S, 56 % FeS2,
    24 % SiO2; slag 36 % FeO, 21 % CaO; pure limestone: 209.3 kg of limestone, 558.1 kg
    of slag, 365.1 kg of matte at 43.8 % Cu (with integer atomic weights; the standard
    ones move the matte and limestone by 0.2 %):

    >>> from flowsheet.elements import mass_fractions as w
    >>> ore = {"Cu2S": 200.0, "FeS2": 560.0, "SiO2": 240.0}
    >>> feed = {e: sum(m * w(f).get(e, 0.0) for f, m in ore.items())
    ...         for e in ("Cu", "Fe", "S", "Si", "O")}
    >>> b = charge_balance(feed, slag_analysis={"FeO": 36.0, "CaO": 21.0},
    ...                    lime_flux=w("CaCO3"))
    >>> [round(float(v), 1) for v in (b.lime_flux, b.total("slag"), b.total("product"),
    ...                               b.grade)]
    [209.2, 558.1, 364.5, 43.8]
    """
    mode = _check_mode(product, matte_grade, sulfur_oxidised, slag_analysis, lime_flux)
    if metal_in_slag not in ("dissolved", "entrained"):
        raise ValueError("metal_in_slag must be 'dissolved' or 'entrained'")
    if not 0.0 <= fe3_fe <= 2.0 / 3.0:
        raise ValueError("fe3_fe must lie in 0 .. 2/3 (all iron as Fe3O4)")
    unknown = sorted(set(feed) - _KNOWN)
    if unknown:
        raise ValueError(f"the charge balance does not place {', '.join(unknown)}")
    dist = {e: dict(v) for e, v in (distribution or {}).items()}
    arrays = np.broadcast_arrays(*[np.asarray(v, dtype=float) for v in feed.values()],
                                 np.asarray(inert, dtype=float))
    shape = arrays[0].shape
    f = {e: a.astype(float) for e, a in zip(feed, arrays, strict=False)}
    zero = np.zeros(shape)
    get = lambda e: f.get(e, zero)  # noqa: E731
    matte = mode != "metal"
    balanced = ("Cu", "Fe", "S") if matte else ("Fe", "S")
    prod: dict = {}
    slag: dict = {"inert": arrays[-1].astype(float)}
    gas: dict = {}
    dust: dict = {}
    avail = {}
    with np.errstate(all="ignore"):
        for e, mass in f.items():
            if e in ("O", "C", "H", "N"):
                continue
            coef = dist.get(e, {})
            if e not in balanced and e not in GANGUE_ELEMENTS and np.any(mass > 0):
                if not coef:
                    raise ValueError(f"no distribution coefficients for {e}")
                total = sum(coef.get(k, 0.0) for k in DESTINATIONS)
                if abs(total - 1.0) > 1e-9:
                    raise ValueError(f"distribution of {e} sums to {total:g}, not 1")
            d = coef.get("dust", 0.0)
            if d > 0 and e == "S":
                raise ValueError("sulfur in dust is not modelled: its dust coefficient "
                                 "must be 0")
            if d > 0:
                _add(dust, FUME_CARRIERS[e], mass * d * carrier_ratio(FUME_CARRIERS[e], e))
            avail[e] = mass * (1.0 - d)
            if e in balanced or e in GANGUE_ELEMENTS:
                continue
            _add(prod, e, mass * coef.get("product", 0.0))
            if coef.get("slag", 0.0):
                _add(slag, SLAG_CARRIERS[e], mass * coef["slag"]
                     * carrier_ratio(SLAG_CARRIERS[e], e))
            if coef.get("gas", 0.0):
                _add(gas, FUME_CARRIERS[e], mass * coef["gas"]
                     * carrier_ratio(FUME_CARRIERS[e], e))
        av = lambda e: avail.get(e, zero)  # noqa: E731
        minor_m = sum(prod.values(), zero)
        minor_slag = sum(slag.values(), zero)
        fsi_y, fca_y = _flux_yields(silica_flux), _flux_yields(lime_flux)
        gangue = {e: av(e) * carrier_ratio(SLAG_CARRIERS[e], e) for e in GANGUE_ELEMENTS}
        sio2_0, cao_0 = gangue["Si"], gangue["Ca"]
        other_0 = gangue["Al"] + gangue["Mg"] + minor_slag
        r_feo, r_fe3o4 = carrier_ratio("FeO", "Fe"), carrier_ratio("Fe3O4", "Fe")
        feox_per_fe = (1.0 - 1.5 * fe3_fe) * r_feo + 1.5 * fe3_fe * r_fe3o4
        r_cu2s, r_cu2o = carrier_ratio("Cu2S", "Cu"), carrier_ratio("Cu2O", "Cu")
        r_fes_fe, r_fes_s = carrier_ratio("FeS", "Fe"), carrier_ratio("FeS", "S")
        c = slag_metal_pct / 100.0 if matte else 0.0
        dissolved = matte and metal_in_slag == "dissolved"
        cu_av, fe_av, s_av = av("Cu"), av("Fe"), av("S")
        x = zero.copy()                  # Cu dissolved in slag as Cu2O
        fsi, fca = zero.copy(), zero.copy()
        cu2s = fes = fe_m = s_m = zero
        fe_slag, oxide_slag = fe_av, zero
        # slag oxides per tonne of each flux, and the Cu2O tolerance: the same every pass
        fsi_oxides = sum(fsi_y.get(k, 0.0) for k in ("SiO2", "CaO", "other"))
        fca_oxides = sum(fca_y.get(k, 0.0) for k in ("SiO2", "CaO", "other"))
        x_tolerance = 1e-14 * np.nan_to_num(cu_av + 1.0)
        for _ in range(_MAX_ITER):
            cu_m = cu_av - x if matte else zero
            cu2x = x * r_cu2o if dissolved else zero
            if matte:
                cu2s = cu_m * r_cu2s
                if mode == "matte_grade":
                    fes = cu_m / (np.asarray(matte_grade, float) / 100.0) - cu2s - minor_m
                elif mode == "sulfur_oxidised":
                    s_m = (1.0 - np.asarray(sulfur_oxidised, float)) * s_av
                    fes = (s_m - (cu2s - cu_m)) * r_fes_s
                else:
                    xf = slag_analysis["FeO"] / 100.0
                    xc = slag_analysis.get("CaO", 0.0) / 100.0
                    if xc > 0:
                        rest0 = sio2_0 + other_0 + cu2x
                        k = xc / (1.0 - xf - xc)
                        fca = (k * rest0 - cao_0) / (fca_y["CaO"] - k * (
                            fca_y["SiO2"] + fca_y["other"]))
                        rest = rest0 + fca * (fca_y["SiO2"] + fca_y["other"])
                        oxide = rest / (1.0 - xf - xc)
                    else:
                        oxide = (sio2_0 + cao_0 + other_0 + cu2x) / (1.0 - xf)
                    fes = (fe_av - xf * oxide / feox_per_fe) * r_fes_fe
                fe_m = fes / r_fes_fe
                s_m = cu2s - cu_m + fes - fe_m
            fe_slag = fe_av - fe_m
            if mode != "slag_analysis":
                fsi, fca = _fluxes(fe_slag, sio2_0, cao_0, fe_sio2, cao_sio2, fsi_y, fca_y)
            oxide_slag = (fe_slag * feox_per_fe + sio2_0 + cao_0 + other_0 + cu2x
                          + fsi * fsi_oxides + fca * fca_oxides)
            if not dissolved:
                break
            x_new = c * (oxide_slag - cu2x) / (1.0 - c * r_cu2o)
            step = np.abs(x_new - x)
            # np.nan_to_num(step) <= x_tolerance, without its copies: a NaN step counts
            # as 0, an infinite one as the largest float, which exceeds any tolerance
            done = (step <= x_tolerance) | (np.isnan(step) & (x_tolerance >= 0.0))
            x = x_new
            if np.all(done):
                break
        status = np.full(shape, "", dtype=object)
        _fail(status, mode, matte, metal, locals())
        if matte:
            _add(prod, "Cu2S", cu2s)
            _add(prod, "FeS", fes)
            if dissolved:
                _add(slag, "Cu2O", x * r_cu2o)
            else:
                whole = sum(prod.values(), zero)
                phi = c * oxide_slag / (cu_m - c * whole)
                _mark(status, (phi < 0) | (phi >= 1) | ~np.isfinite(phi),
                      f"a slag at {slag_metal_pct:g} % Cu needs more entrained matte than "
                      "the charge makes")
                for k in list(prod):
                    _add(slag, k, prod[k] * phi)
                    prod[k] = prod[k] * (1.0 - phi)
        _add(slag, "FeO", fe_slag * (1.0 - 1.5 * fe3_fe) * r_feo)
        _add(slag, "Fe3O4", fe_slag * 1.5 * fe3_fe * r_fe3o4)
        for e in GANGUE_ELEMENTS:
            ox = SLAG_CARRIERS[e]
            _add(slag, ox, gangue[e])
        for fl, y in ((fsi, fsi_y), (fca, fca_y)):
            if y:
                _add(slag, "SiO2", fl * y["SiO2"])
                _add(slag, "CaO", fl * y["CaO"])
        _flux_other(slag, fsi, silica_flux)
        _flux_other(slag, fca, lime_flux)
        s_gas = s_av - s_m if matte else s_av
        c_gas = get("C") + fsi * fsi_y.get("C", 0.0) + fca * fca_y.get("C", 0.0)
        h_gas = get("H") + fsi * fsi_y.get("H", 0.0) + fca * fca_y.get("H", 0.0)
        for e, mass in (("S", s_gas), ("C", c_gas), ("H", h_gas), ("N", get("N"))):
            _add(gas, GAS_CARRIERS[e], mass * carrier_ratio(GAS_CARRIERS[e], e))
        o_in = get("O") + fsi * fsi_y.get("O", 0.0) + fca * fca_y.get("O", 0.0)
        o_out = sum((m * mass_fraction(k, "O") for part in (prod, slag, gas, dust)
                     for k, m in part.items() if k != "inert"), zero)
        o2 = o_out - o_in
        _mark(status, o2 < -1e-9 * (o_out + o_in + 1e-300),
              "the charge holds more oxygen than its products take: add reductant (C)")
        bad = status != ""
        if bad.any():
            nan = lambda v: np.where(bad, np.nan, v + zero)  # noqa: E731
        else:                                 # every ore balanced: np.where's result
            nan = lambda v: np.asarray(v + zero)  # noqa: E731
        return ChargeBalance(
            {k: nan(v) for k, v in prod.items()}, {k: nan(v) for k, v in slag.items()},
            {k: nan(v) for k, v in gas.items()}, {k: nan(v) for k, v in dust.items()},
            nan(fsi), nan(fca), nan(o2), status, metal)


def _flux_other(slag: dict, amount: np.ndarray, assay: Mapping[str, float] | None) -> None:
    """Al2O3, MgO and the inert part of a flux, to the slag."""
    if not assay:
        return
    for e in ("Al", "Mg"):
        if assay.get(e, 0.0):
            ox = SLAG_CARRIERS[e]
            _add(slag, ox, amount * assay[e] * carrier_ratio(ox, e))
    if assay.get("inert", 0.0):
        _add(slag, "inert", amount * assay["inert"])


def _fluxes(fe_slag, sio2_0, cao_0, fe_sio2, cao_sio2, ys, yc):
    """Silica and lime flux [t] for the target Fe/SiO2 and CaO/SiO2, never negative."""
    zero = np.zeros_like(fe_slag)
    use_si = bool(ys) and fe_sio2 is not None and ys["SiO2"] > 0
    use_ca = bool(yc) and cao_sio2 is not None and yc["CaO"] > 0
    if not (use_si or use_ca):
        return zero, zero
    s1, c1 = (ys["SiO2"], ys["CaO"]) if use_si else (0.0, 0.0)
    s2, c2 = (yc["SiO2"], yc["CaO"]) if use_ca else (0.0, 0.0)
    r2 = cao_sio2 if use_ca else 0.0
    need_si = fe_slag / fe_sio2 - sio2_0 if use_si else zero
    need_ca = r2 * sio2_0 - cao_0
    if use_si and use_ca:
        a11, a12, a21, a22 = s1, s2, c1 - r2 * s1, c2 - r2 * s2
        det = a11 * a22 - a12 * a21
        fsi = (need_si * a22 - a12 * need_ca) / det
        fca = (a11 * need_ca - a21 * need_si) / det
        only_ca = np.maximum(need_ca / a22, 0.0)
        only_si = np.maximum(need_si / s1, 0.0)
        fsi, fca = (np.where(fsi < 0, 0.0, np.where(fca < 0, only_si, fsi)),
                    np.where(fsi < 0, only_ca, np.where(fca < 0, 0.0, fca)))
        return np.maximum(fsi, 0.0), np.maximum(fca, 0.0)
    if use_si:
        return np.maximum(need_si / s1, 0.0), zero
    return zero, np.maximum(need_ca / (c2 - r2 * s2), 0.0)


def _mark(status: np.ndarray, where: np.ndarray, message) -> None:
    """Give the ores in ``where`` that have no message yet ``message`` (str or callable
    of the ore's position)."""
    if not np.any(where):
        return
    for row in np.argwhere(np.broadcast_to(where, status.shape) & (status == "")):
        i = tuple(row)
        status[i] = message(i) if callable(message) else message


def _fail(status: np.ndarray, mode: str, matte: bool, metal: str, v: dict) -> None:
    """Mark the ores that cannot reach the target, with the figures that say why."""
    tol = 1e-9
    at = lambda a, i: float(np.broadcast_to(a, status.shape)[i])  # noqa: E731
    if not matte:
        _mark(status, ~(v["get"](metal) > 0), f"no {metal} in the feed")
        return
    _mark(status, ~(v["cu_av"] > 0), "no Cu in the feed")
    if v["dissolved"]:
        _mark(status, v["x"] >= v["cu_av"],
              lambda i: f"a slag at {100 * v['c']:g} % Cu would hold more Cu than the "
              f"feed brings ({at(v['cu_av'], i):.4g} t)")
    grade = v.get("matte_grade")
    scale = v["cu_av"] * tol
    if mode == "matte_grade":
        _mark(status, v["fes"] < -scale, lambda i: f"a {at(grade, i):g} % Cu matte is above "
              "white metal (Cu2S) with the minor metals it carries")
        _mark(status, v["s_m"] > v["s_av"] * (1 + tol), lambda i: (
            f"too little S for a {at(grade, i):g} % Cu matte: it needs "
            f"{at(v['s_m'], i):.4g} t S, the feed has {at(v['s_av'], i):.4g} t"))
        _mark(status, v["fe_m"] > v["fe_av"] * (1 + tol), lambda i: (
            f"too little Fe for a {at(grade, i):g} % Cu matte: it needs "
            f"{at(v['fe_m'], i):.4g} t Fe, the feed has {at(v['fe_av'], i):.4g} t"))
    elif mode == "sulfur_oxidised":
        _mark(status, v["fes"] < -scale, "too much S oxidised: what is left cannot hold "
              "the Cu as Cu2S")
        _mark(status, v["fe_m"] > v["fe_av"] * (1 + tol), lambda i: (
            f"too little Fe to hold the unoxidised S as FeS: it needs "
            f"{at(v['fe_m'], i):.4g} t Fe, the feed has {at(v['fe_av'], i):.4g} t"))
    else:
        _mark(status, v["fes"] < -scale, lambda i: (
            f"the slag analysis needs {at(v['fe_slag'], i):.4g} t Fe, the feed has "
            f"{at(v['fe_av'], i):.4g} t"))
        _mark(status, v["fca"] < 0, "the charge brings more CaO than the slag analysis")
