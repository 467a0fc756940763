"""Copper electrorefinery (``electrorefinery``): anodes in; cathode, slime, bleed and scrap out.

The inlet ``in`` carries the anodes: copper metal and its impurities as species the
flowsheet declares (``gold``, ``silver``, ``selenium``, ``nickel``, ``sulfur``, ``cuprite``
for the oxygen, and so on; As, Sb and Bi need a declaration with their formula). The
balance, species by species:

1. ``scrap_fraction`` of every species leaves as ``scrap`` (the anode butts, typically
   12-18 % of the anode mass, returned to the anode furnace); the rest dissolves or falls.
2. What dissolves is divided among ``cathode``, ``slime`` and ``bleed`` (the electrolyte
   bleed) by the species' distribution: by default the row of its element in
   ``units/refining/data/electrorefining.yaml`` (a compound takes the row of its first
   element other than Cu in that table's order), or ``distribution: {species: {cathode:,
   slime:, electrolyte:}}`` given in the flowsheet (fractions summing to 1).

A species keeps its identity in every outlet (nickel leaves in the bleed as the anode's
``nickel``, by mass of element): the chemistry of the electrolyte -- sulfate, acid,
decopperising -- is outside this unit, and the balance of every element closes exactly.

The copper plated follows the distribution, and the current needed comes from Faraday's
law; or, when a current is stated (``current``, or ``current_density`` x ``cathode_area``
x ``cells``), the copper plated is Faraday's. A house whose current plates less than the
distribution sends to the cathode is undersized: while a recycle converges the copper it
cannot plate goes to the bleed, and a converged solve where that exceeds
:data:`UNDERSIZED_TOLERANCE` of it fails with the copper plated, the copper dissolving,
the metallic copper that would go to the bleed and the current (or cells) that would
plate it. A current that would plate more copper than dissolves is capped, named in the
report (``limited``) and, if still so at convergence, a located error with the numbers.
Metallic copper in the bleed beyond the usual (:data:`VALIDITY`) is a warning.

Cell voltage defaults to 0.30 V and current efficiency to 95 %, inside the typical
0.25-0.35 V and 93-98 % of Schlesinger et al., Extractive Metallurgy of Copper, 5th ed.,
2011, chapter "Electrolytic Refining".

The report: ``cathode`` [t/h], ``cathode_per_day`` [t/d], ``cathode_purity`` [% Cu],
``slime`` [t/h], ``slime_au`` and ``slime_ag`` [% of the slime], ``bleed`` and ``scrap``
[t/h], ``copper_to_cathode`` [% of the anode copper that dissolves], ``copper_to_bleed``
[t/h] and ``copper_to_bleed_pct`` [% of the copper that dissolves], ``current_needed``
[A, to plate the distribution's cathode copper], ``current`` [A],
``cell_voltage`` [V], ``current_efficiency``, ``power`` [kW] and ``specific_energy``
[kWh/t of cathode copper] (with ``current_density`` and ``cell_current`` when the area
and cells are given).

>>> from flowsheet.species import SpeciesTable
>>> from flowsheet.stream import Stream
>>> from flowsheet.unit import Context
>>> t = SpeciesTable.from_declarations([{"name": "copper", "phase": "metal"},
...     {"name": "silver", "phase": "metal"}, {"name": "nickel", "phase": "metal"}])
>>> er = Electrorefinery.from_config("er", {}, Context(t))
>>> out, rep = er.run({"in": [Stream(t, [99.5, 0.1, 0.4])]})
>>> round(rep["cathode"], 3), round(rep["cathode_purity"], 4), round(rep["specific_energy"])
(84.24, 99.996, 266)
"""

from __future__ import annotations

import functools
import math
from importlib import resources

import numpy as np
from pydantic import Field, model_validator

from flowsheet.errors import Location, SchemaError, UnitRunError, did_you_mean
from flowsheet.unit import Outcome, Params, Unit
from flowsheet.validity import UsualRange
from units.generic.splitter import GENERIC_RANGES, Fraction
from units.ranges import Range
from units.refining.cellhouse import (
    ELECTRICAL_UNITS,
    CellHouseParams,
    electrical_report,
    outlet_stream,
)
from units.refining.faraday import ampere_hours_per_kg, faraday_mass
from units.registry import register

__all__ = ["Distribution", "ElectrorefineryParams", "Electrorefinery", "default_distribution",
           "OUTLETS", "UNDERSIZED_TOLERANCE", "VALIDITY"]

#: Copper a stated current cannot plate, as a fraction of the copper the distribution
#: sends to the cathode, beyond which a converged solve fails (an undersized house).
UNDERSIZED_TOLERANCE = 0.005

#: Usual ranges of the report: the bleed removes the copper the electrolyte gains by the
#: chemical dissolution of the anodes' Cu2O, a small part of what dissolves; metallic
#: copper beyond it in the bleed means anodes the house does not refine.
VALIDITY = {
    "copper_to_bleed_pct": UsualRange(
        0.0, 1.0, "% of the copper dissolved", "Schlesinger, King, Sole and Davenport, "
        "Extractive Metallurgy of Copper, 5th ed., 2011, chapter 'Electrolytic Refining' "
        "(electrolyte copper gain and bleed; figure not re-read in the source; "
        "units/refining/data/electrorefining.yaml uses 0.3 %)"),
}

#: Where the dissolved part of a species goes, in the order of the distribution's fields.
OUTLETS = ("cathode", "slime", "bleed")

#: Fractions of a species' dissolved part; anode scrap is 12-20 % of the anode in
#: practice (Schlesinger et al., 2011, ch. 17), refused at 60 % and above (a judgement).
_FRACTION = GENERIC_RANGES.fraction
_SCRAP = Range("fraction", 0, 0.6, high_open=True, typical=(0.12, 0.2))

#: Default cell voltage [V] and current efficiency [-].
_VOLTAGE, _EFFICIENCY = 0.30, 0.95


class Distribution(Params):
    """Fractions of a species' dissolved part to cathode, slime and electrolyte (bleed)."""

    cathode: Fraction = _FRACTION.field(0.0, "fraction to the cathode")
    slime: Fraction = _FRACTION.field(0.0, "fraction to the slime")
    electrolyte: Fraction = _FRACTION.field(0.0, "fraction to the electrolyte (bleed)")

    @model_validator(mode="after")
    def _check(self):
        total = self.cathode + self.slime + self.electrolyte
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"cathode + slime + electrolyte must be 1, they sum to {total:.10g}")
        return self

    def row(self) -> np.ndarray:
        """The fractions as (cathode, slime, bleed)."""
        return np.array([self.cathode, self.slime, self.electrolyte])


@functools.cache
def default_distribution() -> dict[str, Distribution]:
    """The data file's distribution by element symbol, in the file's order.

    >>> default_distribution()["Au"].slime
    0.995
    """
    import yaml

    text = resources.files("units.refining").joinpath("data/electrorefining.yaml")
    data = yaml.safe_load(text.read_text("utf-8"))
    return {element: Distribution.model_validate(row)
            for element, row in data["elements"].items()}


class ElectrorefineryParams(CellHouseParams):
    """Parameters of a copper electrorefinery (see the module docstring)."""

    copper: str = Field("copper", description="the copper species of anode and cathode")
    scrap_fraction: _SCRAP.type() = _SCRAP.field(0.15, "anode mass returned as scrap")
    distribution: dict[str, Distribution] = Field({}, description="species -> fractions of "
                                                  "its dissolved part")

    @model_validator(mode="after")
    def _check(self):
        self.check_current(required=False)
        return self


@register("electrorefinery")
class Electrorefinery(Unit):
    """Copper electrorefinery: outlets ``cathode``, ``slime``, ``bleed`` and ``scrap``."""

    Params = ElectrorefineryParams
    validity = VALIDITY
    outlet_ports = ("cathode", "slime", "bleed", "scrap")
    report_units = {"copper_to_bleed": "t/h", "copper_to_bleed_pct": "%",
                    "copper_wanted": "t/h", "plating_capacity": "t/h",
                    "copper_dissolving": "t/h", "current_needed": "A", "cathode": "t/h",
                    "cathode_per_day": "t/d", "cathode_purity": "%",
                    "slime": "t/h", "slime_au": "%", "slime_ag": "%", "bleed": "t/h",
                    "scrap": "t/h", "copper_to_cathode": "%", **ELECTRICAL_UNITS}

    def setup(self) -> None:
        p = self.params
        table = self.context.table
        if p.copper not in table.index:
            raise SchemaError(f"unknown species '{p.copper}' (the anode copper)",
                              location=Location(key="copper"),
                              hint=did_you_mean(p.copper, table.names))
        self.cu = table.index[p.copper]
        if dict(table.species[self.cu].elements) != {"Cu": 1.0}:
            raise SchemaError(f"species '{p.copper}' is not copper metal",
                              location=Location(key="copper"))
        for name in p.distribution:
            if name not in table.index:
                raise SchemaError(f"unknown species '{name}'",
                                  location=Location(key=f"distribution.{name}"),
                                  hint=did_you_mean(name, table.names))
        defaults = default_distribution()
        self.split = np.full((len(table), 3), np.nan)
        for i, species in enumerate(table.species):
            given = p.distribution.get(species.name)
            if given is not None:
                self.split[i] = given.row()
                continue
            key = next((e for e in defaults if e in species.elements and e != "Cu"),
                       "Cu" if "Cu" in species.elements else None)
            if key is not None:
                self.split[i] = defaults[key].row()
        self.molar_mass = float(table.molar_masses[self.cu])
        self.voltage = float(p.cell_voltage or _VOLTAGE)
        self.efficiency = float(p.current_efficiency or _EFFICIENCY)

    def _run(self, inlets) -> Outcome:
        feed = inlets["in"]
        table = self.context.table
        unknown = [table.names[i] for i in np.flatnonzero((feed.flows > 0)
                                                          & np.isnan(self.split[:, 0]))]
        if unknown:
            raise UnitRunError(f"no default distribution for '{unknown[0]}'",
                               location=Location(unit=self.name, key="distribution"),
                               hint=f"give distribution: {{{unknown[0]}: {{cathode: ..., "
                                    "slime: ..., electrolyte: ...}}")
        scrap = self.params.scrap_fraction * feed.flows
        dissolved = feed.flows - scrap
        parts = np.nan_to_num(self.split) * dissolved[:, None]        # (species, outlet)
        current = self.params.total_current()
        limited = ""
        wanted = float(parts[self.cu, 0])            # the distribution's cathode copper
        capacity = float("nan")
        if current is not None:
            most = parts[self.cu, 0] + parts[self.cu, 2]              # not to slime
            plated = capacity = faraday_mass(current, 1.0, self.molar_mass, 2,
                                             self.efficiency) / 1000
            if plated > most * (1 + 1e-12):
                limited, plated = table.names[self.cu], most
            parts[self.cu, 0], parts[self.cu, 2] = plated, most - plated
        cathode, slime, bleed = parts.T
        made = float(cathode[self.cu])
        outlets = {"cathode": outlet_stream(feed, cathode), "slime": outlet_stream(feed, slime),
                   "bleed": outlet_stream(feed, bleed), "scrap": outlet_stream(feed, scrap)}
        slime_assay = outlets["slime"].assays
        cu_dissolved = dissolved[self.cu]
        report = {"cathode": float(cathode.sum()), "cathode_per_day": 24.0 * cathode.sum(),
                  "cathode_purity": outlets["cathode"].assays.get("Cu", float("nan")),
                  "slime": float(slime.sum()), "slime_au": slime_assay.get("Au", 0.0),
                  "slime_ag": slime_assay.get("Ag", 0.0), "bleed": float(bleed.sum()),
                  "scrap": float(scrap.sum()), "limited": limited,
                  "copper_to_cathode": (100.0 * made / cu_dissolved if cu_dissolved > 0
                                        else float("nan")),
                  "copper_to_bleed": float(bleed[self.cu]),
                  "copper_to_bleed_pct": (100.0 * bleed[self.cu] / cu_dissolved
                                          if cu_dissolved > 0 else float("nan")),
                  "copper_wanted": wanted, "plating_capacity": capacity,
                  "copper_dissolving": float(parts[self.cu, 0] + parts[self.cu, 2]),
                  "current_needed": (wanted * 1000.0 * float(ampere_hours_per_kg(
                      self.molar_mass, 2)) / self.efficiency)}
        report.update(electrical_report(self.params, made, self.molar_mass, 2, self.voltage,
                                        self.efficiency, None if limited else current))
        return outlets, {key: value if isinstance(value, str) else float(value)
                         for key, value in report.items()}

    def verify(self, report: dict) -> None:
        """Fail when the converged anode feed cannot supply the stated current, or the
        current cannot plate the copper the anodes bring (an undersized house)."""
        p = self.params
        key = "current" if p.current is not None else "current_density"
        if report.get("limited"):
            raise UnitRunError(
                f"the stated current plates {report['plating_capacity']:.4g} t/h of copper; "
                f"the anodes dissolve {report['copper_dissolving']:.4g} t/h",
                location=Location(unit=self.name, key=key),
                hint=f"give {self._current_text(report)}, or feed more anodes")
        wanted, capacity = report["copper_wanted"], report["plating_capacity"]
        if not math.isnan(capacity) and capacity < wanted * (1.0 - UNDERSIZED_TOLERANCE):
            raise UnitRunError(
                f"the cells plate {capacity:.4g} t/h of copper at {report['current']:,.0f} A; "
                f"the anodes dissolve {wanted:.4g} t/h for the cathode: "
                f"{wanted - capacity:.4g} t/h of metallic copper would go to the bleed",
                location=Location(unit=self.name, key=key),
                hint=f"give {self._current_text(report)}, or feed "
                f"{100.0 * capacity / wanted:.3g} % of the anodes")

    def _current_text(self, report: dict) -> str:
        """The current that plates the distribution's cathode copper, as the house states
        its current: total amperes, or cells at its density and area."""
        p = self.params
        need = report["current_needed"]
        if p.current_density is not None and p.cathode_area and p.cells:
            cells = math.ceil(need / (p.current_density * p.cathode_area) - 1e-9)
            density = need / (p.cathode_area * p.cells)
            return (f"{cells} cells at {p.current_density:g} A/m2 (or "
                    f"{density:.4g} A/m2 in {p.cells} cells)")
        return f"current {need:,.0f} A"
