r"""Anode furnace (``anode_furnace``): fire refining of blister copper to an anode specification.

Blister copper enters at ``in`` with its sulfur and oxygen dissolved, as species the
flowsheet declares in the bath (by default ``sulfur`` S and ``cuprite`` Cu2O, each may be
given ``phase: metal``; Cu2S serves as well). The furnace

1. **oxidises** with the air (or enriched air) entering at ``air``: sulfur to the anode
   specification, :math:`\mathrm{[S] + O_2 \rightarrow SO_2}`, while the bath picks up
   oxygen to ``oxidation_oxygen`` (its O content at the end of the blow);
2. **reduces** with the reductant entering at ``reductant`` (natural gas CH4, carbon, CO,
   any species of C, H and O): oxygen down to the anode specification,
   :math:`\mathrm{CH_4 + 4\,[O] \rightarrow CO_2 + 2\,H_2O}`, C to CO2 and H to H2O
   (steam);
3. optionally sends ``slag_copper`` of the copper to a slag as Cu2O (``species.slag``).

The anode is every other species of the blister (Au, Ag, Ni... pass unchanged), the copper,
and S and O at ``anode_sulfur`` and ``anode_oxygen`` of the anode's mass (or the blister's
S, if it is already below the specification). Everything is stoichiometric and the
balance of each element closes exactly. The air and reductant are supplied by feeds: what
the furnace needs is used and the rest leaves in the ``offgas`` (excess O2 and N2, and
reductant unburnt -- in a plant it burns in the uptake; here it is reported). The report
states the demand, so the feeds can be set to it (or varied by a design spec). When a feed
is short, the oxidation (or the reduction) is scaled down, the anode is off specification,
the report names what ran short (``limited``), and a converged solve fails with a located
error (:meth:`AnodeFurnace.verify`).

Gas volumes are at 0 degC and 101.325 kPa (22.414 Nm3/kmol). Heat is not balanced here.

Typical figures (Schlesinger et al., Extractive Metallurgy of Copper, 5th ed., 2011,
chapter "Fire Refining (S and O Removal) and Anode Casting"): anodes 99.4-99.6 % Cu.
The defaults -- 20 ppm S, 1500 ppm O, 0.6 % O at the end of the oxidation blow -- are
representative values inside the ranges the chapter describes, not a quoted plant; the
reductant demand is proportional to ``oxidation_oxygen - anode_oxygen``, so set it from
the plant when it matters. Reductant utilisation is taken as complete (stoichiometric):
plants use more natural gas than this.

Report: ``anode`` [t/h], ``anode_cu`` [% Cu], ``anode_sulfur`` and ``anode_oxygen``
[ppm], ``oxygen_demand`` and ``oxygen_supplied`` [t/h O2], ``air_demand`` [t/h and
``air_demand_nm3`` Nm3/h, of the air feed's composition], ``reductant_demand`` [t/h of the
reductant feed's composition, with ``reductant_demand_nm3`` when it is a gas],
``reductant_fed`` [t/h], ``reduction_oxygen`` [t/h of O the reduction removes],
``sulfur_dioxide`` [t/h], ``offgas`` [t/h], ``offgas_nm3`` [Nm3/h], ``offgas_so2``
[% by volume], ``slag`` [t/h], ``copper_to_slag`` [%], ``limited``.

>>> from flowsheet.species import SpeciesTable
>>> from flowsheet.stream import Stream
>>> from flowsheet.unit import Context
>>> t = SpeciesTable.from_declarations([{"name": "copper", "phase": "metal"},
...     {"name": "sulfur", "phase": "metal"}, {"name": "cuprite", "phase": "metal"},
...     {"name": "oxygen"}, {"name": "nitrogen"}, {"name": "methane"},
...     {"name": "sulfur_dioxide"}, {"name": "carbon_dioxide"}, {"name": "steam"}])
>>> f = AnodeFurnace.from_config("af", {}, Context(t))
>>> blister = Stream(t, [98.8, 0.02, 1.18, 0, 0, 0, 0, 0, 0], 1200.0)
>>> air = Stream(t, [0, 0, 0, 2.3, 7.7, 0, 0, 0, 0])
>>> gas = Stream(t, [0, 0, 0, 0, 0, 0.3, 0, 0, 0])
>>> out, rep = f.run({"in": [blister], "air": [air], "reductant": [gas]})
>>> round(rep["anode_cu"], 2), round(rep["anode_sulfur"]), round(rep["anode_oxygen"])
(99.85, 20, 1500)

The reduction takes 0.45 t/h of O, 4 t of O per t of CH4: 0.113 t/h of methane; the blow
needs 0.486 t/h of O2, 2.11 t/h of this air (23 % O2 by mass):

>>> round(rep["reductant_demand"], 3), round(rep["oxygen_demand"], 3), round(rep["air_demand"], 2)
(0.113, 0.486, 2.11)
"""

from __future__ import annotations

import numpy as np
from pydantic import model_validator

from flowsheet.elements import ATOMIC_WEIGHTS
from flowsheet.errors import Location, SchemaError, UnitRunError, did_you_mean
from flowsheet.unit import Outcome, Params, Port, Unit
from units.ranges import Range, RangeTable
from units.refining.cellhouse import outlet_stream
from units.registry import register

__all__ = ["AnodeFurnaceParams", "AnodeFurnace", "NORMAL_MOLAR_VOLUME", "FIRE_REFINING_RANGES"]

#: Molar volume of an ideal gas at 0 degC and 101.325 kPa [Nm3/kmol].
NORMAL_MOLAR_VOLUME = 22.414

#: What each named species must be made of (``None``: any composition).
_MADE_OF = {"copper": {"Cu"}, "sulfur": {"Cu", "S"}, "oxygen_in_copper": {"Cu", "O"},
            "oxygen": {"O"}, "sulfur_dioxide": {"S", "O"}, "carbon_dioxide": {"C", "O"},
            "water": {"H", "O"}, "slag": {"Cu", "O"}}
_NEEDS = {"sulfur": "S", "oxygen_in_copper": "O", "slag": "Cu"}
#: Methane that removes one tonne of O (CH4 + 4 [O] -> CO2 + 2 H2O) [t/t].
_CH4_PER_O = (ATOMIC_WEIGHTS["C"] + 4 * ATOMIC_WEIGHTS["H"]) / (4 * ATOMIC_WEIGHTS["O"])

_FORMULA = {"oxygen": "O2", "sulfur_dioxide": "SO2", "carbon_dioxide": "CO2", "water": "H2O"}
_OPTIONAL = ("carbon_dioxide", "water", "slag")

#: Ranges of the anode furnace: S and O in the bath are below 5 % (blister has about
#: 0.01-0.03 % S and 0.2-0.5 % O, anodes 20 ppm S and 1500 ppm O), the furnace runs at
#: 1150-1250 degC (Schlesinger et al., *Extractive Metallurgy of Copper*, 5th ed., 2011,
#: ch. 13). The bounds are judgements.
FIRE_REFINING_RANGES = RangeTable({
    "small": Range("fraction", 0, 0.05, high_open=True),
    "slag_copper": Range("fraction", 0, 0.5, high_open=True, typical=(0, 0.02)),
    "temperature": Range("temperature", 900, 1600, typical=(1150, 1250)),
})
_R = FIRE_REFINING_RANGES
Small = _R.small.type()


class FurnaceSpecies(Params):
    """Species names, when not the library's."""

    copper: str = "copper"
    sulfur: str = "sulfur"
    oxygen_in_copper: str = "cuprite"
    oxygen: str = "oxygen"
    sulfur_dioxide: str = "sulfur_dioxide"
    carbon_dioxide: str = "carbon_dioxide"
    water: str = "steam"
    slag: str = "cuprite"


class AnodeFurnaceParams(Params):
    """Parameters of an anode furnace (see the module docstring)."""

    anode_sulfur: Small = _R.small.field(20e-6, "S in the anode, e.g. '20 ppm'")
    anode_oxygen: Small = _R.small.field(1500e-6, "O in the anode")
    oxidation_oxygen: Small = _R.small.field(0.006, "O in the bath after the air blow")
    slag_copper: _R.slag_copper.type() = _R.slag_copper.field(
        0.0, "fraction of the copper to slag as Cu2O")
    temperature: _R.temperature.type() | None = _R.temperature.field(
        None, "outlet temperature; default that of the blister")
    species: FurnaceSpecies = FurnaceSpecies()

    @model_validator(mode="after")
    def _check(self):
        if self.oxidation_oxygen <= self.anode_oxygen:
            high = f"'oxidation_oxygen' ({self.oxidation_oxygen:g})"
            low = f"'anode_oxygen' ({self.anode_oxygen:g})"
            text = (f"{low} must be below {high}" if "anode_oxygen" in self.model_fields_set
                    else f"{high} must exceed {low}")
            raise ValueError(f"{text}: the reduction lowers the oxygen")
        return self


@register("anode_furnace")
class AnodeFurnace(Unit):
    """Anode furnace: inlets ``in``, ``air``, ``reductant``; outlets ``anode``, ``offgas``,
    ``slag``."""

    Params = AnodeFurnaceParams
    inlet_ports = (Port("in"), Port("air"), Port("reductant"))
    outlet_ports = ("anode", "offgas", "slag")
    report_units = {"reductant_fed": "t/h", "reduction_oxygen": "t/h", "anode": "t/h",
                    "anode_cu": "%", "anode_sulfur": "ppm",
                    "anode_oxygen": "ppm", "oxygen_demand": "t/h", "oxygen_supplied": "t/h",
                    "air_demand": "t/h", "air_demand_nm3": "Nm3/h",
                    "reductant_demand": "t/h", "reductant_demand_nm3": "Nm3/h",
                    "sulfur_dioxide": "t/h", "offgas": "t/h", "offgas_nm3": "Nm3/h",
                    "offgas_so2": "%", "slag": "t/h", "copper_to_slag": "%"}

    def setup(self) -> None:
        table = self.context.table
        names = self.params.species.model_dump()
        self.idx: dict[str, int | None] = {}
        for role, name in names.items():
            if name not in table.index:
                if role in _OPTIONAL:
                    self.idx[role] = None
                    continue
                raise SchemaError(f"unknown species '{name}' (the {role.replace('_', ' ')})",
                                  location=Location(key=f"species.{role}"),
                                  hint=did_you_mean(name, table.names))
            species = table.species[table.index[name]]
            made = set(species.elements)
            if (not made or not made <= _MADE_OF[role]
                    or (role in _NEEDS and _NEEDS[role] not in made)
                    or (role in _FORMULA and species.formula != _FORMULA[role])):
                raise SchemaError(f"species '{name}' ({species.formula}) cannot be the "
                                  f"{role.replace('_', ' ')}",
                                  location=Location(key=f"species.{role}"))
            self.idx[role] = table.index[name]
        if self.params.slag_copper > 0 and self.idx["slag"] is None:
            raise SchemaError(f"unknown species '{names['slag']}' for the slag",
                              location=Location(key="species.slag"),
                              hint=did_you_mean(names["slag"], table.names))
        cols = {e: j for j, e in enumerate(table.elements)}
        self.w = {e: (table.element_fractions[:, cols[e]] if e in cols
                      else np.zeros(len(table))) for e in ("Cu", "S", "O", "C", "H")}
        phases = np.array(table.phases)
        self.gas = phases == "gas"
        self.slag_phase = phases == "slag"
        only_bath = np.array([bool(s.elements) and set(s.elements) <= {"Cu", "S", "O"}
                              for s in table.species])
        self.bath = only_bath & ~self.gas & ~self.slag_phase
        fuel = np.array([set(s.elements) <= {"C", "H", "O"} for s in table.species])
        mo, mc, mh = (ATOMIC_WEIGHTS[e] for e in ("O", "C", "H"))
        # O taken from the bath per t of each species burnt to CO2 and H2O [t/t]
        capacity = self.w["C"] * 2 * mo / mc + self.w["H"] * mo / (2 * mh) - self.w["O"]
        self.capacity = np.where(fuel, np.maximum(capacity, 0.0), 0.0)
        self.molar = np.where(self.gas, 1.0 / np.where(np.isnan(table.molar_masses), 1.0,
                                                       table.molar_masses), 0.0)

    def _nm3(self, flows: np.ndarray) -> float:
        """Normal volume of the gas species [Nm3/h] (t/h / (g/mol) = Mmol/h)."""
        return float(flows @ self.molar) * 1000.0 * NORMAL_MOLAR_VOLUME

    def _only(self, index: int) -> np.ndarray:
        """A mask vector selecting one species."""
        mask = np.zeros(len(self.context.table))
        mask[index] = 1.0
        return mask

    def _run(self, inlets) -> Outcome:
        p, k, w = self.params, self.idx, self.w
        blister, air, fuel = inlets["in"], inlets["air"], inlets["reductant"]
        bath = np.where(self.bath, blister.flows, 0.0)
        passing = np.where(~self.bath & ~self.gas & ~self.slag_phase, blister.flows, 0.0)
        cu_in, s_in, o_in = (float(bath @ w[e]) for e in ("Cu", "S", "O"))
        # the anode at specification
        cu_slag = p.slag_copper * cu_in
        anode = (passing.sum() + cu_in - cu_slag) / (1.0 - p.anode_sulfur - p.anode_oxygen)
        s_anode = p.anode_sulfur * anode
        if s_in < s_anode:
            s_anode = s_in
            anode = (passing.sum() + cu_in - cu_slag + s_in) / (1.0 - p.anode_oxygen)
        o_anode = p.anode_oxygen * anode
        o_blown = max(o_in, p.oxidation_oxygen * anode)
        so2 = k["sulfur_dioxide"]
        o_per_s = w["O"][so2] / w["S"][so2]
        o_slag = 0.0 if k["slag"] is None else cu_slag * w["O"][k["slag"]] / w["Cu"][k["slag"]]
        demand = (s_in - s_anode) * o_per_s + o_slag + (o_blown - o_in)     # t/h O2
        supplied = float(air.flows[k["oxygen"]])
        r = min(1.0, supplied / demand) if demand > 0 else 1.0
        limited = "oxygen" if r < 1.0 - 1e-12 else ""
        # reduction, as far as the oxidation went and the reductant reaches
        capacity = fuel.flows * self.capacity                               # t/h O
        reduce_need = r * (o_blown - o_anode)
        reduced = min(reduce_need, float(capacity.sum()))
        if reduced < reduce_need * (1.0 - 1e-12):
            limited = limited or "reductant"
        burnt = fuel.flows * (reduced / capacity.sum() if capacity.sum() > 0 else 0.0)
        burnt = np.where(self.capacity > 0, burnt, 0.0)
        # the anode, species by species
        cu_a, s_a = cu_in - r * cu_slag, s_in - r * (s_in - s_anode)
        o_a = o_in + r * (o_blown - o_in) - reduced
        ks, ko = k["sulfur"], k["oxygen_in_copper"]
        m_s, m_o = s_a / w["S"][ks], o_a / w["O"][ko]
        m_cu = cu_a - m_s * w["Cu"][ks] - m_o * w["Cu"][ko]
        if m_cu < 0:
            raise ValueError("the blister holds too little copper for its S and O as "
                             f"{self.context.table.names[ks]} and "
                             f"{self.context.table.names[ko]}")
        anode_f = passing.copy()
        anode_f[k["copper"]] += m_cu
        anode_f[ks] += m_s
        anode_f[ko] += m_o
        slag_f = np.where(self.slag_phase, blister.flows, 0.0)
        if k["slag"] is not None:
            slag_f[k["slag"]] += r * cu_slag / w["Cu"][k["slag"]]
        gas = np.where(self.gas, blister.flows, 0.0) + air.flows + fuel.flows - burnt
        gas[k["oxygen"]] -= r * demand
        gas[so2] += r * (s_in - s_anode) / w["S"][so2]
        for element, role in (("C", "carbon_dioxide"), ("H", "water")):
            made = float(burnt @ w[element])
            if made > 0:
                if k[role] is None:
                    raise UnitRunError(f"the reductant's {element} burns to "
                                       f"{_FORMULA[role]}: declare it",
                                       location=Location(unit=self.name, key=f"species.{role}"))
                gas[k[role]] += made / w[element][k[role]]
        temperature = blister.temperature if p.temperature is None else p.temperature
        outlets = {name: outlet_stream(blister, f).copy_with(temperature=temperature)
                   for name, f in (("anode", anode_f), ("offgas", gas), ("slag", slag_f))}
        report = self._report(outlets, air, fuel, demand, supplied, o_blown - o_anode,
                              r * (s_in - s_anode) / w["S"][so2], cu_in, limited)
        return outlets, report

    def _report(self, outlets, air, fuel, demand, supplied, reduce_need, so2, cu_in,
                limited) -> dict:
        anode, offgas = outlets["anode"], outlets["offgas"]
        k = self.idx
        assays = anode.assays
        o2 = k["oxygen"]
        air_o2 = air.flows[o2] / air.total if air.total > 0 else 0.2314    # mass fraction
        air_nm3 = self._nm3(air.flows)
        air_mol = (self._nm3(air.flows * self._only(o2)) / air_nm3 if air_nm3 > 0
                   else 0.2095)                                         # mole fraction
        fuel_cap = float(fuel.flows @ self.capacity) / fuel.total if fuel.total > 0 else 0.0
        report = {"anode": anode.total, "anode_cu": assays.get("Cu", float("nan")),
                  "anode_sulfur": 1e4 * assays.get("S", 0.0),
                  "anode_oxygen": 1e4 * assays.get("O", 0.0),
                  "oxygen_demand": demand, "oxygen_supplied": supplied,
                  "air_demand": demand / air_o2 if air_o2 > 0 else float("nan"),
                  "air_demand_nm3": (demand * 1000.0 / self.context.table.molar_masses[o2]
                                     * NORMAL_MOLAR_VOLUME / air_mol) if air_mol > 0
                  else float("nan"),
                  "reductant_demand": reduce_need / fuel_cap if fuel_cap > 0 else float("nan"),
                  "reductant_fed": fuel.total, "reduction_oxygen": reduce_need,
                  "sulfur_dioxide": so2, "offgas": offgas.total,
                  "offgas_nm3": self._nm3(offgas.flows),
                  "slag": outlets["slag"].total,
                  "copper_to_slag": (100.0 * outlets["slag"].element_flows.get("Cu", 0.0)
                                     / cu_in if cu_in > 0 else 0.0),
                  "limited": limited}
        gas_volume = report["offgas_nm3"]
        report["offgas_so2"] = (100.0 * self._nm3(offgas.flows * self._only(k["sulfur_dioxide"]))
                                / gas_volume if gas_volume > 0 else 0.0)
        if fuel.total > 0 and np.all(fuel.flows[~self.gas] == 0):
            report["reductant_demand_nm3"] = (report["reductant_demand"] / fuel.total
                                              * self._nm3(fuel.flows))
        return {key: value if isinstance(value, str) else float(value)
                for key, value in report.items()}

    def verify(self, report: dict) -> None:
        """Fail when the converged air or reductant feed is short of the demand."""
        if report.get("limited") == "oxygen":
            raise UnitRunError(
                f"the air brings {report['oxygen_supplied']:.6g} t/h of O2; the furnace needs "
                f"{report['oxygen_demand']:.6g}", location=Location(unit=self.name),
                hint=f"feed at least {report['air_demand']:.6g} t/h of this air")
        if report.get("limited") == "reductant":
            need = report["reductant_demand"]
            asked = f"{self.params.anode_oxygen * 1e6:.4g} ppm O"
            if not need == need:              # NaN: nothing enters that can reduce
                methane = report["reduction_oxygen"] * _CH4_PER_O
                raise UnitRunError(
                    f"the reductant feed ({report['reductant_fed']:.6g} t/h) holds no C or "
                    f"H; reducing the anode to {asked} takes {report['reduction_oxygen']:.4g} "
                    f"t/h of O, so the anode keeps {report['anode_oxygen']:.4g} ppm O",
                    location=Location(unit=self.name, key="reductant"),
                    hint=f"feed a reductant at 'reductant' (natural gas: {methane:.4g} t/h "
                    "of CH4)")
            raise UnitRunError(
                f"the reductant feed brings {report['reductant_fed']:.6g} t/h; reducing the "
                f"anode to {asked} needs {need:.6g} t/h, so the anode keeps "
                f"{report['anode_oxygen']:.4g} ppm O", location=Location(unit=self.name,
                                                                       key="reductant"),
                hint=f"feed at least {need:.6g} t/h of this reductant")
