r"""Heap or dump leach (``heap_leach``): a recovery-against-time curve at the leach cycle,
with the annual-average solution balance of the heap.

YAML::

    heap: {type: heap_leach, cycle_days: 90, height: 6 m, bulk_density: 1700,
           application_rate: 10, evaporation: 0.05, moisture: 0.10,
           reactions: [{equation: "CuO + H2SO4 -> CuSO4 + H2O", mineral: tenorite,
                        ultimate_recovery: 0.85, rate_constant: 0.04}]}

Inlets ``ore`` (the stacked ore and its moisture) and ``solution`` (the irrigation,
raffinate); outlets ``pls``, ``residue`` (spent ore with its retained solution) and
``vent`` (evaporated water and any gas the reactions make).

* **Recovery.** Each reaction's mineral leaches to the fraction its curve gives at
  ``cycle_days``: :func:`exponential_recovery` (``ultimate_recovery``, ``rate_constant``
  [1/d]) or :func:`table_recovery` (``table`` of [day, recovery] pairs). Both are pure
  functions of time, for the time-stepping engine as well. The stoichiometry is applied
  as in :mod:`units.hydro.leach_tank` (acid consumption, element balance exact; a short
  reagent fails the converged solve, naming it). The curve has no size information, so
  the unleached mineral keeps its size distribution.
* **Stacking.** Ore under leach [t] = dry ore rate x 24 x ``cycle_days``; the area under
  leach [m2] = that over ``height`` x ``bulk_density``, unless ``area`` is given.
* **Solution.** A fraction ``evaporation`` of the water applied in the irrigation
  evaporates; the spent ore keeps solution of the PLS's composition to ``moisture`` (mass
  fraction of solution in the wet residue); the rest drains as PLS. When
  ``application_rate`` [L/h/m2] is given, the irrigation [m3/h] must equal it times the area
  within ``rate_tolerance`` once the flowsheet has converged (a design spec on the
  irrigation flow achieves that); without it, the actual rate is reported only.

The report holds ``recovery_<mineral>`` [-], ``ore_under_leach`` [t], ``area`` [m2],
``irrigation`` [m3/h] (from the solution inlet) and ``application_rate`` [L/h/m2] (actual),
``pls_flow`` [m3/h], ``pls_<element>`` [g/L], ``evaporation`` [t/h],
``solution_retained`` [t/h], ``consumed_<species>`` and ``acid_consumed`` [t/h].

References: the first-order approach to an ultimate recovery is the usual empirical form
of heap and column leach curves; analytical heap models built on first-order equations are
those of M. E. Mellado, M. P. Casanova, L. A. Cisternas, E. D. Galvez, "On scalable
analytical models for heap leaching", Computers and Chemical Engineering 35 (2011) 220-225,
reviewed with others by M. Saldana et al., "Copper mineral leaching mathematical models --
a review", Materials 15 (2022) 1757, DOI 10.3390/ma15051757.

>>> round(float(exponential_recovery(90.0, 0.85, 0.04)), 4)
0.8268
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from pydantic import Field, model_validator

from flowsheet.errors import Location, UnitRunError
from flowsheet.stream import Stream
from flowsheet.unit import Outcome, Params, Port, Unit
from units.generic.splitter import GENERIC_RANGES, Fraction
from units.hydro.leach_tank import NON_METALS, mineral_reactions, solution_volume
from units.ranges import Range, RangeTable
from units.registry import register

__all__ = ["HEAP_RANGES", "exponential_recovery", "table_recovery", "HeapReaction",
           "HeapLeachParams", "HeapLeach"]


def exponential_recovery(t_days: ArrayLike, ultimate_recovery: ArrayLike,
                         rate_constant: ArrayLike) -> ArrayLike:
    r"""First-order heap recovery curve [-].

    .. math:: R(t) = R_\infty \left(1 - e^{-k t}\right)

    Parameters
    ----------
    t_days : float or array
        Time under leach [d], >= 0.
    ultimate_recovery : float or array
        :math:`R_\infty` [-], in [0, 1].
    rate_constant : float or array
        k [1/d], > 0.

    References
    ----------
    .. [1] M. E. Mellado, M. P. Casanova, L. A. Cisternas, E. D. Galvez, "On scalable
       analytical models for heap leaching", Computers and Chemical Engineering 35 (2011)
       220-225 (heap recovery from first-order equations).

    The form is empirical: it fits column and heap curves whose rate falls as the
    leachable mineral is used up; it carries no size, height or flow effect.

    Examples
    --------
    Half of the ultimate recovery is reached at t = ln 2 / k:

    >>> float(exponential_recovery(np.log(2) / 0.05, 0.8, 0.05))
    0.4
    """
    t = np.asarray(t_days, dtype=float)
    if np.any(t < 0):
        raise ValueError("time must be >= 0")
    return np.asarray(ultimate_recovery, dtype=float) * -np.expm1(
        -np.asarray(rate_constant, dtype=float) * t)


def table_recovery(t_days: ArrayLike, days: ArrayLike, recovery: ArrayLike) -> ArrayLike:
    """Recovery [-] interpolated linearly in a measured curve (column test or heap history).

    Before the first point the curve runs straight from (0, 0); after the last it stays
    at the last recovery (no extrapolation).

    Examples
    --------
    >>> table_recovery([15, 45, 400], [30, 60, 120], [0.4, 0.6, 0.7]).tolist()
    [0.2, 0.5, 0.7]
    """
    d = np.concatenate(([0.0], np.asarray(days, dtype=float)))
    r = np.concatenate(([0.0], np.asarray(recovery, dtype=float)))
    return np.interp(np.asarray(t_days, dtype=float), d, r)


#: Ranges of a heap leach. Lifts are 2-10 m (dumps up to about 100 m), stacked ore
#: 1,400-2,000 kg/m3 dry, irrigation 5-20 L/(h m2), cycles 60-700 d (dumps for years),
#: first-order recovery constants 0.005-0.1 1/d (Petersen and Dixon, 2007, doi:10.1016/
#: j.hydromet.2006.10.001; Kappes, in *Mineral Processing Plant Design*, SME 2002). The
#: bounds are judgements.
HEAP_RANGES = RangeTable({
    "rate_constant": Range(None, 1e-5, 10, typical=(0.005, 0.1), unit="1/d"),
    "day": Range("time", 0, 36500, low_open=True, unit="d"),
    "cycle_days": Range("time", 1, 10000, typical=(60, 720), unit="d"),
    "height": Range("length", 0.1, 200, typical=(2, 10)),
    "bulk_density": Range("density", 800, 3000, typical=(1400, 2000)),
    "area": Range("area", 1, 1e8, typical=(1e4, 2e6)),
    "application_rate": Range("velocity", 0.1, 100, typical=(5, 20), unit="L/h/m2"),
    "rate_tolerance": Range(None, 0, 1, low_open=True, high_open=True, typical=(0.01, 0.05)),
    "evaporation": Range("fraction", 0, 1, high_open=True, typical=(0, 0.3)),
    "moisture": Range("fraction", 0, 0.5, high_open=True, typical=(0.06, 0.15)),
})
_R = HEAP_RANGES


class HeapReaction(Params):
    """One leaching reaction of the heap and the recovery curve of its mineral."""

    equation: str
    mineral: str
    ultimate_recovery: Fraction | None = GENERIC_RANGES.fraction.field(
        None, "recovery at the end of a long leach")
    rate_constant: _R.rate_constant.type() | None = _R.rate_constant.field(
        None, "first-order recovery constant")
    table: list[tuple[_R.day.type(), Fraction]] | None = _R.day.field(
        None, "measured curve: [day, recovery] pairs; recovery 0-1")

    @model_validator(mode="after")
    def _check(self):
        exponential = self.ultimate_recovery is not None or self.rate_constant is not None
        if exponential == (self.table is not None):
            raise ValueError("give either 'ultimate_recovery' and 'rate_constant' or a "
                             "'table' of [day, recovery] pairs")
        if exponential and (self.ultimate_recovery is None or self.rate_constant is None):
            raise ValueError("the exponential curve needs 'ultimate_recovery' and "
                             "'rate_constant'")
        if self.table is not None:
            days = [d for d, _ in self.table]
            rec = [r for _, r in self.table]
            steps = np.diff([0.0, *days])
            if not days or np.any(steps <= 0):
                raise ValueError("'table' days must be positive and strictly increasing")
            if np.any(np.diff(rec) < 0):
                raise ValueError("'table' recoveries must not decrease with time")
        return self

    def recovery(self, days: float) -> float:
        """Recovery [-] after ``days`` under leach."""
        if self.table is not None:
            d, r = zip(*self.table, strict=True)
            return float(table_recovery(days, d, r))
        return float(exponential_recovery(days, self.ultimate_recovery, self.rate_constant))


class HeapLeachParams(Params):
    """Parameters of a heap leach (see the module docstring)."""

    reactions: list[HeapReaction] = Field(min_length=1)
    cycle_days: _R.cycle_days.type() = _R.cycle_days.field(description="leach cycle")
    height: _R.height.type() = _R.height.field(description="lift")
    bulk_density: _R.bulk_density.type() = _R.bulk_density.field(1700.0, "stacked ore, dry")
    area: _R.area.type() | None = _R.area.field(None, "area under leach")
    application_rate: _R.application_rate.type() | None = _R.application_rate.field(
        None, "irrigation rate")
    rate_tolerance: _R.rate_tolerance.type() = _R.rate_tolerance.field(
        0.02, "relative mismatch accepted between the given and the computed irrigation")
    evaporation: _R.evaporation.type() = _R.evaporation.field(0.0, "fraction of the "
                                                              "solution evaporated")
    moisture: _R.moisture.type() = _R.moisture.field(0.10, "moisture of the residue")


@register("heap_leach")
class HeapLeach(Unit):
    """Heap leach at annual-average steady state; inlets ``ore`` and ``solution``."""

    Params = HeapLeachParams
    inlet_ports = (Port("ore"), Port("solution"))
    outlet_ports = ("pls", "residue", "vent")
    report_units = {"limited_available": "t/h", "limited_needed": "t/h",
                    "ore_under_leach": "t", "area": "m2", "irrigation": "m3/h",
                    "application_rate": "L/h/m2", "evaporation": "t/h",
                    "solution_retained": "t/h", "solution_available": "t/h",
                    "recovery_*": "1", "consumed_*": "t/h", "acid_consumed": "t/h",
                    "pls_flow": "m3/h", "pls_*": "g/L"}

    def setup(self) -> None:
        table = self.context.table
        pairs = mineral_reactions(self.params.reactions, table)
        self.nu, self.keys = [nu for nu, _ in pairs], [k for _, k in pairs]
        phases = np.array(table.phases)
        self.gas = phases == "gas"
        self.solution = ~table.solid_mask & ~self.gas
        self.water = np.array([s.formula == "H2O" and s.phase == "liquid" for s in table])
        self.acid = [i for i, s in enumerate(table.species) if s.formula == "H2SO4"]
        self.metals = sorted({e for k in self.keys for e, w in table.species[k].elements.items()
                              if w > 0 and e not in NON_METALS})

    def _run(self, inlets: dict[str, Stream]) -> Outcome:
        p = self.params
        table = self.context.table
        ore, irrigation = inlets["ore"], inlets["solution"]
        both = Stream.mix((ore, irrigation))
        mm = table.molar_masses
        delta = np.zeros(len(table))
        recovery = [r.recovery(p.cycle_days) for r in p.reactions]
        for rec, nu, k in zip(recovery, self.nu, self.keys, strict=True):
            delta += nu * mm * rec * both.flows[k] / mm[k] / -nu[k]
        short = both.flows + delta < -1e-12 * max(both.total, 1e-300)
        scale, limited, shortage = 1.0, "", {}
        if short.any():
            ratios = both.flows[short] / -delta[short]
            scale = float(ratios.min())
            j = int(np.flatnonzero(short)[int(np.argmin(ratios))])
            limited = table.names[j]
            shortage = {"limited_available": float(both.flows[j]),
                        "limited_needed": float(-delta[j])}
        flows = np.maximum(both.flows + scale * delta, 0.0)
        evaporated = p.evaporation * irrigation.flows * self.water
        vent = np.where(self.gas, flows, 0.0) + evaporated
        liquor = np.where(self.solution, flows, 0.0) - evaporated
        solids = np.where(table.solid_mask, flows, 0.0)
        retained = p.moisture / (1.0 - p.moisture) * solids.sum()
        share = min(retained / liquor.sum(), 1.0) if liquor.sum() > 0 else 1.0
        residue = solids + share * liquor
        pls = (1.0 - share) * liquor
        psd = self._psd(both, flows)
        t = both.temperature
        outs = {"pls": Stream(table, pls, t, psd, both.grid),
                "residue": Stream(table, residue, t, psd, both.grid),
                "vent": Stream(table, vent, t, psd, both.grid)}
        dry_ore = ore.solids
        tonnes = 24.0 * p.cycle_days * dry_ore
        area = p.area if p.area is not None else tonnes / (p.height * p.bulk_density / 1000.0)
        applied = solution_volume(irrigation)
        report: dict[str, Any] = {
            "limited": limited, "dry": bool(retained > liquor.sum() * (1 + 1e-12)),
            "ore_under_leach": tonnes, "area": area, "irrigation": applied,
            "application_rate": 1000.0 * applied / area if area > 0 else 0.0,
            "evaporation": float(evaporated.sum()), "solution_retained": float(
                share * liquor.sum()), "solution_available": float(liquor.sum()),
            **shortage}
        for rec, k in zip(recovery, self.keys, strict=True):
            report[f"recovery_{table.names[k]}"] = scale * rec
        for j in np.flatnonzero(delta < 0):
            if j not in self.keys:
                report[f"consumed_{table.names[j]}"] = float(-scale * delta[j])
        report["acid_consumed"] = float(-scale * delta[self.acid].sum()) if self.acid else 0.0
        volume = solution_volume(outs["pls"])
        report["pls_flow"] = volume
        for element in self.metals:
            col = table.elements.index(element)
            metal = float(pls @ table.element_fractions[:, col])
            report[f"pls_{element}"] = 1000.0 * metal / volume if volume > 0 else 0.0
        return outs, report

    def _psd(self, both: Stream, flows: np.ndarray) -> np.ndarray | None:
        """The minerals keep their distribution (the curve knows no sizes); a solid made
        by a reaction takes its mineral's distribution."""
        if both.psd is None:
            return None
        psd = both.psd.copy()
        solid = list(self.context.table.solid_index)
        for nu, k in zip(self.nu, self.keys, strict=True):
            for j in np.flatnonzero(nu > 0):
                if j in solid and k in solid and both.flows[j] <= 0 < flows[j]:
                    psd[solid.index(j)] = both.psd[solid.index(k)]
        return psd

    def verify(self, report: dict) -> None:
        """Fail on a short reagent, on too little solution to wet the spent ore, and on
        an irrigation that misses the stated application rate."""
        where = Location(unit=self.name, key="reactions")
        if report.get("limited"):
            name = report["limited"]
            need, have = report["limited_needed"], report["limited_available"]
            raise UnitRunError(f"not enough {name} enters: {have:.4g} t/h, the recovery "
                               f"curve takes {need:.4g} t/h", location=where,
                               hint=f"supply {need - have:.4g} t/h more {name}")
        if report.get("dry"):
            raise UnitRunError(
                f"the spent ore retains more solution ({report['solution_retained']:.6g} t/h)"
                f" than the heap receives ({report['solution_available']:.6g} t/h)",
                location=Location(unit=self.name, key="moisture"),
                hint="irrigate more, or lower 'moisture' or 'evaporation'")
        rate = self.params.application_rate
        if rate is not None and abs(report["application_rate"] / rate - 1.0) > \
                self.params.rate_tolerance:
            need = rate * report["area"] / 1000.0
            raise UnitRunError(
                f"irrigation {report['irrigation']:.6g} m3/h on {report['area']:.6g} m2 is "
                f"{report['application_rate']:.6g} L/h/m2, not the {rate:g} L/h/m2 stated",
                location=Location(unit=self.name, key="application_rate"),
                hint=f"supply {need:.6g} m3/h of solution (a design spec can vary it)")
