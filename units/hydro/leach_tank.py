r"""Agitated leach train (``leach_tank``): N equal tanks in series with shrinking-core kinetics.

YAML::

    leach: {type: leach_tank, tanks: 4, residence_time: 2 h, temperature: 40 degC,
            reactions: [{equation: "CuO + H2SO4 -> CuSO4 + H2O", mineral: tenorite,
                         control: reaction, tau: 3 h, size: 150 um,
                         temperature: 25 degC, activation_energy: 45}]}

* **Residence time** of one tank: ``residence_time`` [h], or ``volume`` [m3] divided by the
  feed pulp's volumetric flow (:attr:`~flowsheet.stream.Stream.volumetric_flow`: species
  without a density are left out of it).
* **Kinetics.** Each reaction names its ``mineral`` (a solid reactant, the key) and how it
  leaches: ``control`` (``film``, ``diffusion``, ``reaction``, or ``mixed`` with ``tau`` a
  mapping of the resistances that add), ``tau``, the time for complete conversion of
  particles of ``size`` [um] at ``temperature``, the ``activation_energy`` [kJ/mol], and the
  ``leachable`` fraction (mineral locked away from the solution never reacts). In each size
  class of the mineral-by-size stream tau scales as :math:`(d/d_{ref})^n`
  (:func:`~units.hydro.kinetics.tau_at_size`, d the class's geometric midpoint) and with
  temperature by Arrhenius (:func:`~units.hydro.kinetics.arrhenius_factor`). Without a size
  grid, or without ``size``, every particle has the reference tau.
* **Residence-time distribution.** Solids leave tank k with the Erlang(k) age distribution
  (segregated flow, :func:`~units.hydro.rtd.train_conversion`); the extraction after each
  tank is the size-weighted mean of the class conversions.
* **Stoichiometry.** The extent of each reaction is the mineral leached over its
  stoichiometric coefficient; every other species changes by :math:`\nu_j M_j \xi`, so
  acid and oxidant are consumed and every element is conserved exactly. If a reagent is
  short (while a recycle converges it may be) all extents are scaled down to what is
  there and the report names it; a converged solve that is still short fails, naming the
  reagent (:meth:`LeachTank.verify`).
* **Size matrix.** The unleached mineral stays in the size class of its host particle, so
  coarse classes keep more of it (the particle keeps its size; only the core shrinks).
  Other solid reactants lose mass evenly over their classes; solid products take the
  distribution of the mineral mass leached (pseudomorphic replacement).

The report holds ``extraction_<mineral>`` (overall) and ``extraction_<mineral>_tank<k>``
(after tank k) [-], ``consumed_<species>`` [t/h] of every co-reactant, ``acid_consumed``
[t/h] and ``acid_per_tonne`` [kg/t of feed solids] (species of formula H2SO4),
``residence_time`` and ``total_residence_time`` [h], ``pulp_flow`` [m3/h], ``temperature``
[degC], ``solution_flow`` [m3/h] and ``pls_<element>`` [g/L] of each metal of the minerals:
element mass in the aqueous and liquid species over the solution's volume (its mass over
``solution_density`` when given, else the volume of its species with a known density).

>>> from flowsheet.species import SpeciesTable
>>> from flowsheet.stream import Stream
>>> from flowsheet.unit import Context
>>> t = SpeciesTable.from_declarations([{"name": n} for n in
...     ("tenorite", "quartz", "water", "sulfuric_acid", "copper_sulfate")])
>>> u = LeachTank.from_config("leach", {"tanks": 3, "residence_time": "2 h", "reactions": [
...     {"equation": "CuO + H2SO4 -> CuSO4 + H2O", "mineral": "tenorite",
...      "control": "reaction", "tau": "3 h"}]}, Context(t))
>>> out, rep = u.run({"in": [Stream(t, [2.0, 98.0, 150.0, 4.0, 0.0])]})
>>> round(rep["extraction_tenorite"], 4), round(rep["acid_consumed"], 3)
(0.9847, 2.428)
"""

from __future__ import annotations

import functools
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import Discriminator, Field, Tag, model_validator

from flowsheet.errors import FormulaError, Location, SchemaError, UnitRunError
from flowsheet.reactions import parse_equation
from flowsheet.unit import Outcome, Params, Unit
from flowsheet.validity import UsualRange
from units.generic.splitter import GENERIC_RANGES, Fraction
from units.hydro.kinetics import arrhenius_factor, tau_at_size
from units.hydro.rtd import train_conversion
from units.ranges import Range, RangeTable
from units.registry import register

__all__ = ["LeachReaction", "LeachTankParams", "LeachTank", "NON_METALS", "mineral_reactions",
           "solution_volume", "VALIDITY", "LEACH_RANGES"]

#: Usual range of the report: the whole train's residence time. Agitated leaches run from
#: about an hour (zinc neutral leach) to two days (gold cyanidation); hours where days are
#: meant, or the reverse, land outside.
VALIDITY = {
    "total_residence_time": UsualRange(
        0.5, 72.0, "h", "Schlesinger, King, Sole and Davenport, Extractive Metallurgy of "
        "Copper, 5th ed., 2011, chapter on leaching (agitation leaching, hours); Marsden "
        "and House, The Chemistry of Gold Extraction, 2nd ed., SME, 2006 (cyanidation "
        "24-48 h); Sinclair, The Extractive Metallurgy of Zinc, AusIMM, 2005 (neutral "
        "leach about 1-3 h); figures not re-read in the sources"),
}

#: Elements not reported as PLS metals.
NON_METALS = frozenset({"H", "C", "N", "O", "F", "P", "S", "Cl", "Si"})

#: Ranges of a leach train. Agitated leach tanks hold 1-48 h (up to about a week for
#: bioleaching) in 4-8 tanks of up to some 8,000 m3; they run from ambient to 95 degC,
#: and autoclaves to 250-270 degC; activation energies are 5-20 kJ/mol under diffusion
#: control and 40-100 kJ/mol under chemical control (Habashi, *Kinetics of Metallurgical
#: Processes*, 1999; Crundwell, doi:10.1016/j.hydromet.2013.08.011). The bounds are
#: judgements.
LEACH_RANGES = RangeTable({
    "tanks": Range(None, 1, 50, typical=(4, 8), integer=True),
    "residence_time": Range("time", 1e-3, 1000, typical=(1, 48)),
    "volume": Range("volume", 1e-3, 2e4, typical=(100, 8000)),
    "temperature": Range("temperature", -10, 300, typical=(20, 95)),
    "tau": Range("time", 1e-4, 1e6),
    "tau_part": Range("time", 0, 1e6),
    "size": Range("size", 0.1, 1e5, typical=(10, 500)),
    "activation_energy": Range("molar_energy", 0, 300, typical=(5, 100)),
    "solution_density": Range("density", 800, 2000, typical=(1000, 1300)),
})
_R = LEACH_RANGES
#: Conversion tables a leach train keeps (a few temperatures and residence times while a
#: recycle or a design spec moves them; one when both are fixed).
_CONVERSIONS_KEPT = 32
Time = _R.residence_time.type()
Control = Literal["film", "diffusion", "reaction"]


def _above_zero_kelvin(value: float | None, key: str) -> None:
    if value is not None and value <= -273.15:
        raise ValueError(f"'{key}' {value:g} degC is below absolute zero "
                         f"({value + 273.15:g} K)")


def _tau_form(value: Any) -> str:
    """Which form of ``tau`` a value is: one time, or a mapping control -> time."""
    return "mixed" if isinstance(value, dict) else "one"


class LeachReaction(Params):
    """One leaching reaction and the kinetics of its mineral."""

    equation: str
    mineral: str = Field(description="the solid reactant that leaches (name or formula)")
    control: Literal["film", "diffusion", "reaction", "mixed"] = "reaction"
    tau: Annotated[Annotated[_R.tau.type(), Tag("one")]
                   | Annotated[dict[Control, _R.tau_part.type()], Tag("mixed")],
                   Discriminator(_tau_form)] = _R.tau.field(
        description="time for complete conversion at the reference size and temperature; "
                    f"for mixed control a mapping control -> tau, each "
                    f"{_R.tau_part.interval()}")
    size: _R.size.type() | None = _R.size.field(
        None, "particle size of tau; none: tau in every size class")
    temperature: _R.temperature.type() = _R.temperature.field(25.0, "temperature of tau")
    activation_energy: _R.activation_energy.type() = _R.activation_energy.field(
        0.0, "activation energy")
    leachable: Fraction = GENERIC_RANGES.fraction.field(1.0, "fraction of the mineral that "
                                                        "can leach")

    @model_validator(mode="after")
    def _check(self):
        mixed = self.control == "mixed"
        if mixed != isinstance(self.tau, dict):
            raise ValueError("'tau' must be a mapping of control -> tau exactly when "
                             "'control' is mixed")
        if mixed and not any(v > 0 for v in self.tau.values()):
            raise ValueError("'tau' of mixed control needs at least one positive tau")
        _above_zero_kelvin(self.temperature, "temperature")
        return self


class LeachTankParams(Params):
    """Parameters of a leach train (see the module docstring)."""

    tanks: _R.tanks.type() = _R.tanks.field(description="number of equal tanks in series")
    residence_time: _R.residence_time.type() | None = _R.residence_time.field(
        None, "mean residence time per tank")
    volume: _R.volume.type() | None = _R.volume.field(None, "working volume per tank")
    temperature: _R.temperature.type() | None = _R.temperature.field(
        None, "leach temperature; default the feed's")
    reactions: list[LeachReaction] = Field(min_length=1)
    solution_density: _R.solution_density.type() | None = _R.solution_density.field(
        None, "density of the solution for the PLS assay")

    @model_validator(mode="after")
    def _check(self):
        if (self.residence_time is None) == (self.volume is None):
            raise ValueError("give either 'residence_time' or 'volume' (per tank), not both")
        _above_zero_kelvin(self.temperature, "temperature")
        return self


def solution_volume(stream, density: float | None = None) -> float:
    """Volume flow of the solution (aqueous and liquid species) of a stream [m3/h].

    With ``density`` [kg/m3] it is the solution's mass over the density; otherwise the
    sum over its species that have a density (dissolved salts without one add no volume).
    """
    table = stream.table
    phases = np.array(table.phases)
    liquid = (phases == "aqueous") | (phases == "liquid")
    if density is not None:
        return float(stream.flows[liquid].sum()) * 1000.0 / density
    dens = table.densities
    ok = liquid & ~np.isnan(dens)
    return float(np.sum(stream.flows[ok] * 1000.0 / dens[ok]))


def mineral_reactions(reactions, table) -> list[tuple[np.ndarray, int]]:
    """Each reaction's stoichiometric vector and the index of its ``mineral`` (by name,
    or by formula when one species has it), which must be a reactant; errors are located
    at ``reactions.<i>.equation`` or ``reactions.<i>.mineral``."""
    out = []
    for r, reaction in enumerate(reactions):
        try:
            nu = parse_equation(reaction.equation, table)
            k = table.find(reaction.mineral)
        except FormulaError as err:
            raise err.located(key=f"reactions.{r}.equation") from None
        except SchemaError as err:
            raise err.located(key=f"reactions.{r}.mineral") from None
        if nu[k] >= 0:
            raise SchemaError(f"mineral '{reaction.mineral}' is not a reactant of "
                              f"'{reaction.equation}'",
                              location=Location(key=f"reactions.{r}.mineral"))
        out.append((nu, k))
    return out


@register("leach_tank")
class LeachTank(Unit):
    """A train of equal agitated leach tanks; one inlet ``in``, one outlet ``out``."""

    Params = LeachTankParams
    report_units = {"limited_available": "t/h", "limited_needed": "t/h", "tanks": "1",
                    "residence_time": "h", "total_residence_time": "h",
                    "pulp_flow": "m3/h", "temperature": "degC", "extraction_*": "1",
                    "consumed_*": "t/h", "acid_consumed": "t/h", "acid_per_tonne": "kg/t",
                    "solution_flow": "m3/h", "pls_*": "g/L"}
    validity = VALIDITY

    def setup(self) -> None:
        table = self.context.table
        self.nu, self.keys = [], []
        for r, (nu, k) in enumerate(mineral_reactions(self.params.reactions, table)):
            if k in self.keys:
                raise SchemaError(f"mineral '{table.names[k]}' leaches in two reactions",
                                  location=Location(key=f"reactions.{r}.mineral"),
                                  hint="give each mineral one reaction")
            self.nu.append(nu)
            self.keys.append(k)
        self.acid = [i for i, s in enumerate(table.species) if s.formula == "H2SO4"]
        self.metals = sorted({e for k in self.keys for e, w in table.species[k].elements.items()
                              if w > 0 and e not in NON_METALS})
        self.solid = list(table.solid_index)
        # The conversions depend on the parameters, the temperature and the residence
        # time only: with both fixed (the usual case) every recycle pass after the first
        # reuses them. Keyed on exactly those inputs, so a hit returns what the
        # quadrature would (read-only: callers scale it into a new array).
        self.conversions = functools.lru_cache(maxsize=_CONVERSIONS_KEPT)(self._conversions)

    # -- kinetics ---------------------------------------------------------------------------
    def _class_taus(self, reaction: LeachReaction, sizes: np.ndarray | None,
                    temperature: float):
        """tau (or the mapping of taus) of each size class at the leach temperature."""
        slower = 1.0 / arrhenius_factor(1000.0 * reaction.activation_energy, temperature,
                                        reaction.temperature)

        def scale(tau: float, control: str) -> np.ndarray:
            if sizes is None or reaction.size is None or tau == 0.0:
                base = np.full(1 if sizes is None else len(sizes), float(tau))
            else:
                base = tau_at_size(tau, sizes, reaction.size, control)
            return base * slower

        if reaction.control == "mixed":
            return {c: scale(v, c) for c, v in reaction.tau.items()}
        return scale(reaction.tau, reaction.control)

    def _conversions(self, r: int, tank_time: float, temperature: float, sized: bool
                     ) -> np.ndarray:
        """Conversion of reaction ``r``'s mineral after each tank, by size class (one row
        without classes): :func:`~units.hydro.rtd.train_conversion` of the class taus.
        Called through the bounded cache :attr:`conversions`."""
        reaction = self.params.reactions[r]
        sizes = self.context.grid.midpoints if sized else None
        taus = self._class_taus(reaction, sizes, temperature)
        conv = train_conversion(taus, tank_time, self.params.tanks, reaction.control)
        conv.setflags(write=False)
        return conv

    def _run(self, inlets) -> Outcome:
        feed = inlets["in"]
        p = self.params
        table = self.context.table
        temperature = feed.temperature if p.temperature is None else p.temperature
        pulp = feed.volumetric_flow
        if p.residence_time is not None:
            tank_time = p.residence_time
        elif pulp > 0:
            tank_time = p.volume / pulp
        else:
            tank_time = float("inf")
        report: dict[str, Any] = {"tanks": p.tanks, "residence_time": tank_time,
                                  "total_residence_time": p.tanks * tank_time,
                                  "pulp_flow": pulp, "temperature": temperature}
        n = len(table)
        delta = np.zeros(n)
        leached, by_tank, extents = [], [], []
        for r, (reaction, nu, k) in enumerate(zip(p.reactions, self.nu, self.keys,
                                                  strict=True)):
            mass, sizes = self._mineral_classes(feed, k)
            if np.isfinite(tank_time):
                conv = reaction.leachable * self.conversions(
                    r, float(tank_time), float(temperature), sizes is not None)
            else:
                conv = np.full((len(mass), p.tanks), reaction.leachable)
            total = mass.sum()
            by_tank.append(mass @ conv / total if total > 0 else np.zeros(p.tanks))
            leached.append(mass * conv[:, -1])
            extents.append(leached[-1].sum() / table.molar_masses[k] / -nu[k])
            delta += nu * table.molar_masses * extents[-1]
        delta = np.where(np.abs(delta) > 0, delta, 0.0)
        scale, limited = self._shortage(feed.flows, delta)
        flows = np.maximum(feed.flows + scale * delta, 0.0)
        psd = self._psd(feed, [scale * e for e in extents], [scale * v for v in leached])
        out = feed.copy_with(flows=flows, psd=psd, temperature=temperature)
        report["limited"] = limited
        if limited:
            j = table.index[limited]
            report["limited_available"] = float(feed.flows[j])
            report["limited_needed"] = float(-delta[j])
        for k, tanks in zip(self.keys, by_tank, strict=True):
            name = table.names[k]
            report[f"extraction_{name}"] = float(scale * tanks[-1])
            for i, value in enumerate(tanks, 1):
                report[f"extraction_{name}_tank{i}"] = float(scale * value)
        for j in np.flatnonzero(delta < 0):
            if j not in self.keys:
                report[f"consumed_{table.names[j]}"] = float(-scale * delta[j])
        acid = float(-scale * delta[self.acid].sum()) if self.acid else 0.0
        solids = feed.solids
        report["acid_consumed"] = acid
        report["acid_per_tonne"] = 1000.0 * acid / solids if solids > 0 else 0.0
        volume = solution_volume(out, p.solution_density)
        report["solution_flow"] = volume
        phases = np.array(table.phases)
        liquid = (phases == "aqueous") | (phases == "liquid")
        for element in self.metals:
            col = table.elements.index(element)
            metal = float(out.flows[liquid] @ table.element_fractions[liquid, col])
            report[f"pls_{element}"] = 1000.0 * metal / volume if volume > 0 else 0.0
        return {"out": out}, report

    def _mineral_classes(self, feed, k: int) -> tuple[np.ndarray, np.ndarray | None]:
        """Mass flow [t/h] of mineral k in each size class, and the class sizes [um]."""
        if feed.psd is not None and k in self.solid:
            return feed.flows[k] * feed.psd[self.solid.index(k)], self.context.grid.midpoints
        return np.array([feed.flows[k]]), None

    def _shortage(self, flows: np.ndarray, delta: np.ndarray) -> tuple[float, str]:
        """Factor on every extent so that no species goes negative, and the short one."""
        short = flows + delta < -1e-12 * max(float(flows.sum()), 1e-300)
        if not short.any():
            return 1.0, ""
        ratios = flows[short] / -delta[short]
        worst = int(np.argmin(ratios))
        return float(ratios[worst]), self.context.table.names[int(np.flatnonzero(short)[worst])]

    def _psd(self, feed, extents: list[float], leached: list[np.ndarray]
             ) -> np.ndarray | None:
        """Outlet size matrix, normalised: minerals lose what each class leached, other
        solid reactants lose evenly, solid products take the leached mass's sizes."""
        if feed.psd is None:
            return None
        mm = self.context.table.molar_masses
        matrix = feed.size_matrix.copy()
        for nu, k, extent, lost in zip(self.nu, self.keys, extents, leached, strict=True):
            spread = lost / lost.sum() if lost.size > 1 and lost.sum() > 0 else None
            for row, j in enumerate(self.solid):
                change = nu[j] * mm[j] * extent
                if j == k and spread is not None:
                    matrix[row] = np.maximum(matrix[row] - lost, 0.0)
                elif change < 0 and feed.flows[j] > 0:
                    matrix[row] *= max(1.0 + change / feed.flows[j], 0.0)
                elif change > 0:
                    if spread is None:
                        spread = np.zeros(matrix.shape[1])
                        spread[-1] = 1.0   # precipitated from solution: finest class
                    matrix[row] += change * spread
        total = matrix.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total[:, None] > 0, matrix / total[:, None], 0.0)

    def verify(self, report: dict) -> None:
        """Fail when the converged feed cannot supply a reagent of the reactions."""
        if report.get("limited"):
            name = report["limited"]
            need, have = report["limited_needed"], report["limited_available"]
            raise UnitRunError(f"not enough {name} enters: {have:.4g} t/h, the kinetic "
                               f"extraction takes {need:.4g} t/h", location=Location(
                                   unit=self.name, key="reactions"),
                               hint=f"supply {need - have:.4g} t/h more {name}, or fewer "
                               "tanks / shorter residence")
