r"""Electrowinning cell house (``electrowinning``): a metal sulfate plated from solution.

In each cell the metal deposits on the cathode and water is oxidised at an inert anode;
the sulfate is left as acid:

.. math:: \mathrm{MSO_4 + H_2O \rightarrow M + H_2SO_4 + \tfrac12 O_2}

for M = Cu, Zn or Ni (``metal``). The inlet ``in`` is the advance electrolyte; the outlets
are ``cathode`` (the metal, and any co-deposited impurity), ``spent`` (the spent
electrolyte, richer in acid) and ``anode_gas`` (the oxygen, and any gas that entered).

How much is plated is set one way of three:

* ``fraction_plated`` -- the fraction of the metal sulfate entering that is plated;
* ``current`` [A], the total of all cells, with ``current_efficiency`` (Faraday's law,
  :func:`~units.refining.faraday.faraday_mass`);
* ``current_density`` [A/m2] x ``cathode_area`` [m2 per cell] x ``cells``, likewise.

A stated current is capped by what the electrolyte brings: while a recycle converges the
inlet may be short, and the report names the species (``limited``); if the converged inlet
is still short the solve fails with a located error (:meth:`Electrowinning.verify`). The
outlets are a continuous, piecewise-linear function of the inlet.

Species default to the built-in library's names for the metal (``copper_sulfate``,
``copper``, ``sulfuric_acid``, ``water``, ``oxygen``); ``species: {sulfate: ..., metal: ...,
acid: ..., water: ..., oxygen: ...}`` renames them. The equation above is checked for
element balance on the flowsheet's formulae.

``codeposition: {species: D}`` carries an impurity into the cathode: the fraction of its
flow plated is D times the fraction of the metal plated (capped at 1), i.e.
(impurity/metal) in the cathode = D x (impurity/metal) in the electrolyte. The species
enters the cathode unchanged -- electrolyte occluded in the deposit, or particles trapped
in it -- so the balance of every element closes.

Cell voltage and efficiency default, for copper and zinc, to the middle of the typical
ranges in :data:`METALS`; nickel has no default and needs both stated.

The report: ``cathode`` [t/h] and ``cathode_per_day`` [t/d], ``fraction_plated``,
``cathode_purity`` [% metal], ``current`` [A] (and ``current_density`` [A/m2],
``cell_current`` [A] when the area and cells are given), ``cell_voltage`` [V],
``current_efficiency``, ``power`` [kW], ``specific_energy`` [kWh/t cathode metal],
``plating_capacity`` [t/h the stated current plates], ``metal_available`` [t/h of metal
the electrolyte can give],
``oxygen`` [t/h], and the spent electrolyte's ``spent_metal`` and ``spent_acid`` [g/L]
when its volume is known (from species with a density: water; solutes add no volume, an
approximation that makes the g/L figures a few per cent high).

>>> from flowsheet.species import SpeciesTable
>>> from flowsheet.stream import Stream
>>> from flowsheet.unit import Context
>>> t = SpeciesTable.from_declarations([{"name": "water"}, {"name": "copper_sulfate"},
...     {"name": "sulfuric_acid"}, {"name": "copper", "phase": "metal"}, {"name": "oxygen"}])
>>> ew = Electrowinning.from_config("ew", {"current": "10 kA", "current_efficiency": 0.9,
...                                        "cell_voltage": 2.0}, Context(t))
>>> out, rep = ew.run({"in": [Stream(t, [100.0, 12.0, 18.0, 0.0, 0.0])]})
>>> round(rep["cathode"] * 1000, 2), round(rep["specific_energy"], 1)
(10.67, 1874.5)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import model_validator

from flowsheet.errors import FormulaError, Location, SchemaError, UnitRunError, did_you_mean
from flowsheet.reactions import parse_equation
from flowsheet.unit import Outcome, Params, Unit
from flowsheet.validity import UsualRange
from units.generic.splitter import GENERIC_RANGES, Fraction
from units.ranges import Range
from units.refining.cellhouse import (
    ELECTRICAL_UNITS,
    CellHouseParams,
    concentrations,
    electrical_report,
    outlet_stream,
)
from units.refining.faraday import faraday_mass
from units.registry import register

__all__ = ["Metal", "METALS", "ElectrowinningParams", "Electrowinning", "VALIDITY"]


@dataclass(frozen=True)
class Metal:
    """A metal that is electrowon from sulfate: element, electrons, default species and
    typical cell figures (None where no default is given)."""

    element: str
    n: int
    sulfate: str
    metal: str
    cell_voltage: float | None
    current_efficiency: float | None


#: Electrowon metals. Copper: 1.8-2.2 V and CE 85-95 % (Schlesinger et al., Extractive
#: Metallurgy of Copper, 5th ed., 2011, "Electrowinning"); zinc: 3.3-3.6 V and CE 88-93 % (Sinclair,
#: The Extractive Metallurgy of Zinc, AusIMM, 2005). Defaults are values inside these ranges.
METALS: dict[str, Metal] = {
    "copper": Metal("Cu", 2, "copper_sulfate", "copper", 2.0, 0.90),
    "zinc": Metal("Zn", 2, "zinc_sulfate", "zinc", 3.4, 0.90),
    "nickel": Metal("Ni", 2, "nickel_sulfate", "nickel", None, None),
}


_CU_EW = ("Schlesinger, King, Sole and Davenport, Extractive Metallurgy of Copper, 5th ed., "
          "2011, chapters 'Solvent Extraction' and 'Electrowinning' (lean electrolyte "
          "170-190 g/L H2SO4; cells 250-350 A/m2); figures not re-read in the source")
_ZN_EW = ("Sinclair, The Extractive Metallurgy of Zinc, AusIMM, 2005 (spent electrolyte "
          "about 150-200 g/L H2SO4; cells 400-600 A/m2); figures not re-read in the source")

#: Usual ranges of the report by metal: acid of the spent electrolyte and current density.
#: Nickel has none: its cells (sulfate, chloride, diaphragm) differ too much for one range.
VALIDITY: dict[str, dict[str, UsualRange]] = {
    "copper": {"spent_acid": UsualRange(150.0, 200.0, "g/L H2SO4", _CU_EW),
               "current_density": UsualRange(250.0, 350.0, "A/m2", _CU_EW)},
    "zinc": {"spent_acid": UsualRange(150.0, 200.0, "g/L H2SO4", _ZN_EW),
             "current_density": UsualRange(400.0, 600.0, "A/m2", _ZN_EW)},
    "nickel": {},
}

#: Co-deposition coefficient of an impurity (its mass ratio to the metal in the cathode
#: over that in the electrolyte): 1e-5 to 1e-2 in practice; above 10 the impurity would
#: plate in preference to the metal (a judgement).
_CODEPOSITION = Range(None, 0, 10, typical=(1e-5, 0.01))


class EwSpecies(Params):
    """Species names of the reaction, when not the library's."""

    sulfate: str | None = None
    metal: str | None = None
    acid: str = "sulfuric_acid"
    water: str = "water"
    oxygen: str = "oxygen"


class ElectrowinningParams(CellHouseParams):
    """Parameters of an electrowinning house (see the module docstring)."""

    metal: Literal["copper", "zinc", "nickel"] = "copper"
    species: EwSpecies = EwSpecies()
    fraction_plated: Fraction | None = GENERIC_RANGES.fraction.field(
        None, "fraction of the metal sulfate entering that is plated")
    codeposition: dict[str, _CODEPOSITION.type()] = _CODEPOSITION.field(
        {}, "impurity species -> co-deposition coefficient D")

    @model_validator(mode="after")
    def _check(self):
        self.check_current(required=self.fraction_plated is None)
        if self.fraction_plated is not None and self.total_current() is not None:
            raise ValueError("give 'fraction_plated' or a current, not both")
        metal = METALS[self.metal]
        if metal.cell_voltage is None and self.cell_voltage is None:
            raise ValueError(f"'cell_voltage' is needed for {self.metal}: there is no default")
        if metal.current_efficiency is None and self.current_efficiency is None:
            raise ValueError(f"'current_efficiency' is needed for {self.metal}: "
                             "there is no default")
        return self


@register("electrowinning")
class Electrowinning(Unit):
    """Electrowinning house: outlets ``cathode``, ``spent`` and ``anode_gas``."""

    Params = ElectrowinningParams
    outlet_ports = ("cathode", "spent", "anode_gas")
    report_units = {"metal_available": "t/h", "plating_capacity": "t/h", "cathode": "t/h",
                    "cathode_per_day": "t/d", "fraction_plated": "1",
                    "cathode_purity": "%", "oxygen": "t/h", "spent_metal": "g/L",
                    "spent_acid": "g/L", **ELECTRICAL_UNITS}

    def setup(self) -> None:
        p = self.params
        table = self.context.table
        metal = METALS[p.metal]
        names = {"sulfate": p.species.sulfate or metal.sulfate,
                 "metal": p.species.metal or metal.metal, "acid": p.species.acid,
                 "water": p.species.water, "oxygen": p.species.oxygen}
        self.idx = {}
        for role, name in names.items():
            if name not in table.index:
                raise SchemaError(f"unknown species '{name}' (the {role} of {p.metal} "
                                  "electrowinning): declare it or name another",
                                  location=Location(key=f"species.{role}"),
                                  hint=did_you_mean(name, table.names))
            self.idx[role] = table.index[name]
        m = table.species[self.idx["metal"]]
        if dict(m.elements) != {metal.element: 1.0}:
            raise SchemaError(f"species '{m.name}' is not {p.metal} metal "
                              f"(formula {m.formula})", location=Location(key="species.metal"))
        equation = (f"{names['sulfate']} + {names['water']} -> {names['metal']} + "
                    f"{names['acid']} + 0.5 {names['oxygen']}")
        try:
            self.nu = parse_equation(equation, table)
        except FormulaError as err:
            raise err.located(key="species") from None
        self.step = self.nu * table.molar_masses          # t/h per unit extent
        self.step = np.where(self.nu != 0, self.step, 0.0)
        self.molar_mass = float(table.molar_masses[self.idx["metal"]])
        self.n = metal.n
        self.validity = VALIDITY[p.metal]
        self.voltage = float(p.cell_voltage or metal.cell_voltage)
        self.efficiency = float(p.current_efficiency or metal.current_efficiency)
        self.codeposit = self.species_vector(p.codeposition, "codeposition")
        for role, k in self.idx.items():
            if self.codeposit[k]:
                raise SchemaError(f"the {role} cannot be a co-deposited impurity",
                                  location=Location(key=f"codeposition.{table.names[k]}"))

    def _run(self, inlets) -> Outcome:
        feed = inlets["in"]
        mm = self.context.table.molar_masses
        k = self.idx
        # extent limits [Mmol/h]: the sulfate and the water each enter once per atom plated
        available = feed.flows[k["sulfate"]] / mm[k["sulfate"]]
        water = feed.flows[k["water"]] / mm[k["water"]]
        current = self.params.total_current()
        if current is None:
            extent = self.params.fraction_plated * available
        else:
            kg_h = faraday_mass(current, 1.0, self.molar_mass, self.n, self.efficiency)
            extent = kg_h / 1000.0 / self.molar_mass
        limited = ""
        capacity = extent * self.molar_mass if current is not None else float("nan")
        if extent > min(available, water) * (1 + 1e-12):
            limited = self.context.table.names[k["sulfate"] if available <= water
                                               else k["water"]]
            extent = min(available, water)
        flows = feed.flows + self.step * extent
        flows[k["sulfate"]] = max(flows[k["sulfate"]], 0.0)
        plated = extent / available if available > 0 else 0.0
        cathode = np.minimum(self.codeposit * plated, 1.0) * flows
        cathode[k["metal"]] = flows[k["metal"]]
        gas = np.where(np.array(self.context.table.phases) == "gas", flows, 0.0)
        spent = flows - cathode - gas
        made = extent * self.molar_mass                      # t/h of metal deposited
        report = {"cathode": float(cathode.sum()), "cathode_per_day": 24.0 * cathode.sum(),
                  "fraction_plated": plated, "limited": limited,
                  "plating_capacity": capacity,
                  "metal_available": min(available, water) * self.molar_mass,
                  "cathode_purity": (100.0 * cathode[k["metal"]] / cathode.sum()
                                     if cathode.sum() > 0 else float("nan")),
                  "oxygen": float(gas[k["oxygen"]])}
        report.update(electrical_report(self.params, made, self.molar_mass, self.n,
                                        self.voltage, self.efficiency,
                                        None if limited else current))
        outlets = {"cathode": outlet_stream(feed, cathode, (k["metal"],)),
                   "spent": outlet_stream(feed, spent),
                   "anode_gas": outlet_stream(feed, gas)}
        element = METALS[self.params.metal].element
        report.update(concentrations(outlets["spent"], {"spent_metal": element,
                                                        "spent_acid": k["acid"]}))
        return outlets, {key: value if isinstance(value, str) else float(value)
                         for key, value in report.items()}

    def verify(self, report: dict) -> None:
        """Fail when the converged electrolyte cannot supply the stated current."""
        if report.get("limited"):
            key = "current" if self.params.current is not None else "current_density"
            raise UnitRunError(
                f"the stated current plates {report['plating_capacity']:.4g} t/h of "
                f"{self.params.metal}; the electrolyte's {report['limited']} holds "
                f"{report['metal_available']:.4g} t/h", location=Location(unit=self.name,
                                                                         key=key),
                hint=f"lower the current to at most {report['current']:,.0f} A, or supply "
                "more metal in solution")
