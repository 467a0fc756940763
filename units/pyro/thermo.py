r"""Thermochemistry of smelting and converting species: formation and sensible enthalpies.

The data (``units/pyro/data/thermo.yaml``) give, per compound, the standard enthalpy of
formation at 298.15 K (CRC Handbook), heat capacities by phase and temperature range (NIST-JANAF
Shomate fits, or Kelley's equations as printed in Perry's Table 2-151) and the enthalpy of
fusion with the melting point (CRC Handbook); every row names its source. The enthalpy of one
mole at temperature :math:`T` is

.. math:: H(T) = \Delta_f H^\circ_{298} + \int_{298.15}^{T_m} C_{p,s}\,dT + \Delta H_{fus}
          + \int_{T_m}^{T} C_{p,l}\,dT

for a molten species (the last two terms only when it is molten), or the solid or gas
integral alone. Functions take a temperature in degC and return J/mol (or J/(mol K)).

**Species and their state.** A species is named by its formula, optionally followed by its
state, ``"Cu2S(l)"``, ``"H2O(g)"``, ``"SiO2(s)"``, or given with a flowsheet ``phase``:

* ``gas`` -- the gas entry (``H2O`` then means steam);
* ``matte``, ``slag``, ``liquid``, ``aqueous`` -- molten (liquid) at every temperature: a matte
  or slag component below its own melting point is taken as the supercooled pure liquid
  (solid heat capacity up to :math:`T`, plus the enthalpy of fusion);
* ``solid``, ``metal``, ``organic`` or none -- solid below the melting point, liquid above.

**Approximations** (what the numbers leave out, and why it is acceptable for a heat balance
of a smelter or converter to a few per cent):

* Matte and slag are ideal solutions of their pure liquid components: enthalpies of mixing
  (of FeO with SiO2 into fayalite slag, of Cu2S with FeS) are not included; they are small
  next to the heats of oxidation (a few kJ/mol against hundreds).
* Enthalpies of solid-solid transitions (Cu2S at 376 K, FeS at 411 K, alpha-beta quartz at
  848 K) are not in the source tables and are left out (about 1-4 kJ/mol, against about
  100 kJ/mol of sensible heat at 1200 degC).
* A heat-capacity equation is used outside its range when no other is given (the nearest
  range is extrapolated), and a liquid without one takes the solid's heat capacity at the
  melting point as a constant.
* CuFeS2 has no measured heat-capacity equation in the sources; it is estimated by the
  Neumann-Kopp rule as 1/2 Cu2S + 1/2 FeS + 1/2 FeS2 (it exists only cold, as a feed).

>>> round(enthalpy_of_formation("SO2") / 1000, 2)
-296.8
>>> round(sensible_enthalpy("Cu", 1200.0) / 1000, 1)
46.7
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from flowsheet.errors import SchemaError, SpeciesError, did_you_mean

__all__ = ["T_REF", "CAL", "MOLTEN_PHASES", "CpRange", "Compound", "compounds", "lookup",
           "enthalpy_of_formation", "heat_capacity", "sensible_enthalpy", "molar_enthalpy",
           "species_spec"]

#: Reference temperature of formation enthalpies [K] (25 degC).
T_REF = 298.15
#: Thermochemical calorie [J].
CAL = 4.184
#: Flowsheet phases whose species are molten at every temperature.
MOLTEN_PHASES = frozenset({"matte", "slag", "liquid", "aqueous"})
#: Accepted temperatures [degC]: the range the source tables cover (with extrapolation).
T_RANGE_C = (-50.0, 2500.0)

_SUFFIX = re.compile(r"^(?P<formula>.+?)\((?P<state>s|l|g)\)$")
_STATE = {"s": "solid", "l": "liquid", "g": "gas"}


@dataclass(frozen=True)
class CpRange:
    """Heat capacity of one phase between ``tmin`` and ``tmax`` [K].

    ``form`` is ``"shomate"`` (J/(mol K), coefficients A-E in t = T/1000) or ``"kelley"``
    (cal/(mol K), a + bT + c/T^2 + dT^2).
    """

    phase: str
    tmin: float
    tmax: float
    form: str
    coeffs: tuple[float, ...]

    def cp(self, T: float) -> float:
        """Heat capacity at ``T`` [K] in J/(mol K)."""
        if self.form == "shomate":
            A, B, C, D, E = self.coeffs
            t = T / 1000.0
            return A + B * t + C * t * t + D * t ** 3 + E / (t * t)
        a, b, c, d = self.coeffs
        return CAL * (a + b * T + c / (T * T) + d * T * T)

    def antiderivative(self, T: float) -> float:
        """An antiderivative of :meth:`cp` at ``T`` [J/mol]."""
        if self.form == "shomate":
            A, B, C, D, E = self.coeffs
            t = T / 1000.0
            return 1000.0 * (A * t + B * t * t / 2 + C * t ** 3 / 3 + D * t ** 4 / 4 - E / t)
        a, b, c, d = self.coeffs
        return CAL * (a * T + b * T * T / 2 - c / T + d * T ** 3 / 3)


@dataclass(frozen=True)
class Compound:
    """One entry of the data file: a formula in one reference state (solid, liquid, gas)."""

    formula: str
    state: str
    hf: float                                  # J/mol at 298.15 K
    ranges: tuple[CpRange, ...] = ()
    kopp: tuple[tuple[str, float], ...] = ()
    tm: float | None = None                    # K
    hfus: float | None = None                  # J/mol
    sources: tuple[str, ...] = ()

    def _ranges(self, phase: str) -> list[CpRange]:
        return [r for r in self.ranges if r.phase == phase]

    def integral(self, phase: str, a: float, b: float) -> float:
        """:math:`\\int_a^b C_p\\,dT` of ``phase`` [J/mol], across its ranges."""
        if self.kopp:
            return sum(n * lookup(f, None).integral(phase, a, b) for f, n in self.kopp)
        if b < a:
            return -self.integral(phase, b, a)
        ranges = self._ranges(phase)
        if not ranges:
            if phase == "liquid" and self.tm is not None and self._ranges("solid"):
                return self.cp_solid_at_melting() * (b - a)
            raise SpeciesError(f"no heat capacity of {self.formula} as a {phase}")
        cuts = sorted({a, b, *(x for r in ranges for x in (r.tmin, r.tmax) if a < x < b)})
        total = 0.0
        for lo, hi in zip(cuts[:-1], cuts[1:], strict=True):
            mid = 0.5 * (lo + hi)
            r = min(ranges, key=lambda r: 0.0 if r.tmin <= mid <= r.tmax
                    else min(abs(mid - r.tmin), abs(mid - r.tmax)))
            total += r.antiderivative(hi) - r.antiderivative(lo)
        return total

    def cp(self, phase: str, T: float) -> float:
        """Heat capacity of ``phase`` at ``T`` [J/(mol K)]."""
        if self.kopp:
            return sum(n * lookup(f, None).cp(phase, T) for f, n in self.kopp)
        ranges = self._ranges(phase)
        if not ranges:
            if phase == "liquid" and self.tm is not None and self._ranges("solid"):
                return self.cp_solid_at_melting()
            raise SpeciesError(f"no heat capacity of {self.formula} as a {phase}")
        r = min(ranges, key=lambda r: 0.0 if r.tmin <= T <= r.tmax
                else min(abs(T - r.tmin), abs(T - r.tmax)))
        return r.cp(T)

    def cp_solid_at_melting(self) -> float:
        """Solid heat capacity at the melting point [J/(mol K)]."""
        return self.cp("solid", float(self.tm))

    def sensible(self, T: float, molten: bool | None) -> float:
        """:math:`H(T) - H(298.15)` [J/mol]; ``molten`` None: liquid above the melting point."""
        if self.state == "gas":
            return self.integral("gas", T_REF, T)
        if self.state == "liquid":
            return self.integral("liquid", T_REF, T)
        if molten is None:
            molten = self.tm is not None and T >= self.tm
        if not molten:
            return self.integral("solid", T_REF, T)
        if self.tm is None or self.hfus is None:
            raise SpeciesError(f"no enthalpy of fusion for {self.formula}: it cannot be taken "
                               "as molten", hint="declare it in a solid phase")
        if T <= self.tm:
            return self.integral("solid", T_REF, T) + self.hfus
        return (self.integral("solid", T_REF, self.tm) + self.hfus
                + self.integral("liquid", self.tm, T))


@functools.lru_cache(maxsize=1)
def compounds() -> dict[tuple[str, str], Compound]:
    """The data file: (formula, ``"gas"`` or ``"condensed"``) -> :class:`Compound`."""
    import yaml

    text = resources.files("units.pyro").joinpath("data/thermo.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    out: dict[tuple[str, str], Compound] = {}
    for e in data["species"]:
        ranges = tuple(CpRange(r["phase"], float(r["tmin"]), float(r["tmax"]),
                               "shomate" if "shomate" in r else "kelley",
                               tuple(float(c) for c in r.get("shomate", r.get("kelley"))))
                       for r in e.get("cp", ()))
        fusion = e.get("fusion") or {}
        sources = (e["hf_source"], *(r["source"] for r in e.get("cp", ())),
                   *([fusion["source"]] if fusion else []))
        compound = Compound(
            e["formula"], e["state"], 1000.0 * float(e["hf"]), ranges,
            tuple((f, float(n)) for f, n in (e.get("kopp") or {}).items()),
            float(fusion["tm"]) if fusion else None,
            1000.0 * float(fusion["h"]) if fusion else None, tuple(dict.fromkeys(sources)))
        out[(compound.formula, "gas" if compound.state == "gas" else "condensed")] = compound
    return out


def species_spec(species: Any, phase: str | None = None) -> tuple[str, str | None]:
    """Split a species into its formula and phase.

    ``species`` is a formula (``"Cu2S"``, ``"H2O(g)"``) or an object with ``formula`` and
    ``phase`` (a :class:`flowsheet.species.Species`); a state suffix or ``phase`` argument
    wins over the object's phase.

    >>> species_spec("H2O(g)"), species_spec("Cu2S", "matte")
    (('H2O', 'gas'), ('Cu2S', 'matte'))
    """
    if not isinstance(species, str):
        formula = getattr(species, "formula", None)
        if formula is None:
            raise SpeciesError(f"species '{getattr(species, 'name', species)}' has no formula "
                               "(a lumped species has no thermochemical data)")
        return formula, phase or getattr(species, "phase", None)
    m = _SUFFIX.match(species.strip())
    if m:
        return m["formula"], _STATE[m["state"]]
    return species.strip(), phase


def lookup(species: Any, phase: str | None = None) -> Compound:
    """The data entry of a species (see :func:`species_spec`); unknown -> SpeciesError."""
    return _entry(*species_spec(species, phase))


def _entry(formula: str, phase: str | None) -> Compound:
    """The data entry of a formula (no state suffix) in a flowsheet phase."""
    table = compounds()
    key = "gas" if phase == "gas" else "condensed"
    if (formula, key) in table:
        return table[(formula, key)]
    if phase is None and (formula, "gas") in table:
        return table[(formula, "gas")]
    known = sorted({f for f, _ in table})
    what = "gas" if key == "gas" else "solid or liquid"
    raise SpeciesError(f"no thermochemical data for {formula} ({what})",
                       hint=did_you_mean(formula, known) or "known: " + ", ".join(known))


def _molten(phase: str | None) -> bool | None:
    """True for a phase that is always molten; None: molten above the melting point."""
    return True if phase in MOLTEN_PHASES else None


def _kelvin(t_celsius: float) -> float:
    t = float(t_celsius)
    lo, hi = T_RANGE_C
    if not (math.isfinite(t) and lo <= t <= hi):
        raise SchemaError(f"temperature {t:g} degC is outside [{lo:g}, {hi:g}] degC, the range "
                          "of the thermochemical data")
    return t + 273.15


def _vectorised(func):
    @functools.wraps(func)
    def wrapper(species, t_celsius, phase=None):
        if np.ndim(t_celsius) == 0:
            return func(species, float(t_celsius), phase)
        return np.array([func(species, float(t), phase) for t in np.ravel(t_celsius)]
                        ).reshape(np.shape(t_celsius))
    return wrapper


def enthalpy_of_formation(species: Any, phase: str | None = None) -> float:
    """Standard enthalpy of formation at 298.15 K [J/mol] of the species' reference entry.

    A molten species (``phase`` matte or slag) has the formation enthalpy of its solid; its
    enthalpy of fusion is part of :func:`sensible_enthalpy`.

    Parameters
    ----------
    species : str or Species
        Formula, optionally with ``(s)``, ``(l)`` or ``(g)``.
    phase : str, optional
        A flowsheet phase (``gas``, ``matte``, ``slag``, ``solid``...).

    Returns
    -------
    float
        :math:`\\Delta_f H^\\circ_{298}` [J/mol] (CRC Handbook; Cemic and Kleppa 1988 for
        CuFeS2).

    Examples
    --------
    CRC Handbook, Standard Thermodynamic Properties of Chemical Substances: SO2(g)
    -296.8 kJ/mol, CO2(g) -393.5 kJ/mol, liquid water -285.8 kJ/mol, steam -241.8 kJ/mol.

    >>> [round(enthalpy_of_formation(f) / 1000, 1) for f in ("SO2", "CO2", "H2O", "H2O(g)")]
    [-296.8, -393.5, -285.8, -241.8]
    """
    return lookup(species, phase).hf


@_vectorised
def heat_capacity(species: Any, t_celsius: float, phase: str | None = None) -> float:
    """Molar heat capacity :math:`C_p` [J/(mol K)] at ``t_celsius`` [degC].

    Examples
    --------
    CRC Handbook, Cp at 298.15 K: SO2 39.9, N2 29.1 J/(mol K) (here from the JANAF fits):

    >>> round(heat_capacity("SO2", 25.0), 1), round(heat_capacity("N2", 25.0), 1)
    (39.9, 29.1)
    """
    c = lookup(species, phase)
    T = _kelvin(t_celsius)
    formula, phase = species_spec(species, phase)
    if c.state in ("gas", "liquid"):
        return c.cp(c.state, T)
    molten = _molten(phase)
    if molten is None:
        molten = c.tm is not None and T >= c.tm
    return c.cp("liquid" if molten else "solid", T)


@_vectorised
def sensible_enthalpy(species: Any, t_celsius: float, phase: str | None = None) -> float:
    """Enthalpy above 25 degC, :math:`H(T) - H(298.15\\,K)` [J/mol], phase changes included.

    Parameters
    ----------
    species : str or Species
        Formula, optionally with ``(s)``, ``(l)`` or ``(g)``.
    t_celsius : float or array
        Temperature [degC], -50 to 2500.
    phase : str, optional
        A flowsheet phase; matte and slag species are molten (see the module notes).

    Examples
    --------
    NIST-JANAF (Chase 1998) tabulates H(1000 K) - H(298.15 K) of N2 gas as 21.460 kJ/mol
    and of CO2 gas as 33.397 kJ/mol:

    >>> round(sensible_enthalpy("N2", 1000 - 273.15) / 1000, 2)
    21.46
    >>> round(sensible_enthalpy("CO2", 1000 - 273.15) / 1000, 2)
    33.4

    Copper melts at 1084.6 degC; molten at 1200 degC it holds the enthalpy of fusion:

    >>> (sensible_enthalpy("Cu", [1000.0, 1200.0]) / 1000).round(1).tolist()
    [26.9, 46.7]
    """
    return _sensible_enthalpy(*species_spec(species, phase), t_celsius)


#: Sensible enthalpies kept: a furnace's streams sit at a few fixed temperatures, so a
#: heat balance asks for the same (species, phase, temperature) on every recycle pass.
_SENSIBLE_KEPT = 4096


@functools.lru_cache(maxsize=_SENSIBLE_KEPT)
def _sensible_enthalpy(formula: str, phase: str | None, t_celsius: float) -> float:
    """:func:`sensible_enthalpy` of a formula in a flowsheet phase, kept by a bounded cache
    keyed on exactly these arguments (the data file is read once, so the result is a
    pure function of them)."""
    c = _entry(formula, phase)
    T = _kelvin(t_celsius)
    return c.sensible(T, True if phase == "liquid" and c.state == "solid"
                      else _molten(phase))


@_vectorised
def molar_enthalpy(species: Any, t_celsius: float, phase: str | None = None) -> float:
    """Enthalpy of formation plus sensible enthalpy [J/mol] at ``t_celsius`` [degC].

    The heat of a reaction at temperature is the difference of these between products and
    reactants.

    Examples
    --------
    2 FeS + 3 O2 -> 2 FeO + 2 SO2 at 25 degC releases 937.6 kJ (CRC formation enthalpies:
    FeS -100.0, FeO -272.0, SO2 -296.8 kJ/mol):

    >>> h = lambda f: molar_enthalpy(f, 25.0)
    >>> round((2 * h("FeO") + 2 * h("SO2") - 2 * h("FeS") - 3 * h("O2")) / 1000, 1)
    -937.6
    """
    return enthalpy_of_formation(species, phase) + sensible_enthalpy(species, t_celsius, phase)

