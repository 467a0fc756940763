r"""Copper converter (``converter``): matte to blister copper, slag and off-gas, with its heat.

The Peirce-Smith converter is batch; here its cycle is treated as a steady state (``mode:
batch``, the default), and ``mode: continuous`` gives the same balance with the presets of
continuous converting (Mitsubishi C-furnace, flash converting): richer blast and a slag that
carries more copper. The chemistry (Schlesinger, King, Sole and Davenport, Extractive
Metallurgy of Copper, 5th ed., 2011, ch. 8 and 9):

* **slag blow** -- :math:`\mathrm{FeS + 3/2\,O_2 \to FeO + SO_2}`: every FeS of the matte is
  oxidised; the FeO goes to the slag with the silica of the ``flux`` inlet;
* **copper blow** -- :math:`\mathrm{Cu_2S + O_2 \to 2\,Cu + SO_2}`: the blister keeps
  ``blister_s`` % S (as Cu2S) and ``blister_o`` % O (as Cu2O);
* the slag carries ``slag_cu`` % Cu as Cu2O (oxidised copper);
* the blast is the ``air`` inlet (air or enriched air); the oxygen not consumed leaves with
  the off-gas, and a blast too small for the demand is an error once the flowsheet is
  solved.

Air and flux enter as streams, so that the flowsheet's balance closes; the report gives
what the converting needs -- ``o2_t_h``, ``air_demand_nm3_h`` at ``oxygen_percent`` % O2,
``flux_demand_t_h`` for the target slag ``fe_sio2`` (mass ratio Fe/SiO2) -- and design
specifications set the feeds from it, e.g. ``{vary: [air.flows.oxygen, air.flows.nitrogen,
flux.flows.quartz], until: [converter.o2_excess_t_h, converter.blast_o2_pct,
converter.slag_fe_sio2], equals: [0.5, 21, 1.8]}``.

The matte species are found by formula, whatever their names: every species of formula Cu2S
or FeS in the ``matte`` inlet reacts (Cu, FeO, Cu2O and SiO2 there are accounted for too).
Other species pass unchanged: gases to the off-gas, metal and matte species to the blister,
the rest to the slag. Products are written to species found by formula and phase: Cu (metal
first), FeO, SiO2 and Cu2O (slag first), SO2, O2 and N2 (gas). Every element closes by
construction.

The heat balance (:func:`units.pyro.heat.heat_balance`) runs over the inlets at their
temperatures and the products at ``blister_temperature``, ``slag_temperature`` and
``offgas_temperature``, with losses of ``loss_fraction`` of the heat released; converting
is strongly exothermic, and the report gives the ``coolant`` (by default copper scrap) that
the surplus can melt. The presets are typical figures, not one plant's: blast 21 % O2 and
slag 5 % Cu for Peirce-Smith (the reference ranges 21-25 % and 3-8 %), 32 % O2 and 12 % Cu
for continuous converting (C-slag 10-15 % Cu recycled to the smelter).

Report: ``blister_t_h``, ``blister_cu_pct``, ``blister_s_pct``, ``blister_o_pct``,
``slag_t_h``, ``slag_cu_pct``, ``slag_fe_sio2``, ``flux_t_h``, ``flux_demand_t_h``,
``o2_t_h`` (reacted), ``o2_excess_t_h``, ``air_demand_nm3_h``, ``blast_nm3_h``,
``blast_o2_pct``, ``offgas_nm3_h``, ``offgas_so2_pct``, ``cu_to_blister_pct``, and the
heat balance (``heat_*`` in kW, ``autogenous``, ``coolant_t_h``: coolant it can melt).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import model_validator

from flowsheet.elements import ATOMIC_WEIGHTS
from flowsheet.errors import Location, SchemaError, UnitRunError
from flowsheet.stream import Stream
from flowsheet.unit import Outcome, Params, Port, Unit
from units.pyro import thermo
from units.pyro.heat import heat_balance
from units.pyro.smelter import PYRO_RANGES, SLAG_FE_SIO2
from units.ranges import Range, RangeTable
from units.registry import register

__all__ = ["ConverterParams", "Converter", "CONVERTER_PRESETS", "CONVERTER_RANGES",
           "NM3_PER_KMOL"]

#: Normal cubic metres of an ideal gas per kmol (0 degC, 1 atm).
NM3_PER_KMOL = 22.414

#: Defaults of each mode: typical figures inside the ranges of the reference table.
CONVERTER_PRESETS: dict[str, dict[str, float]] = {
    "batch": {"oxygen_percent": 21.0, "slag_cu": 5.0, "fe_sio2": 1.8, "blister_s": 0.02,
              "blister_o": 0.5, "blister_temperature": 1200.0, "slag_temperature": 1220.0,
              "offgas_temperature": 1200.0, "loss_fraction": 0.15},
    "continuous": {"oxygen_percent": 32.0, "slag_cu": 12.0, "fe_sio2": 1.8, "blister_s": 0.3,
                   "blister_o": 0.3, "blister_temperature": 1220.0,
                   "slag_temperature": 1230.0, "offgas_temperature": 1230.0,
                   "loss_fraction": 0.10},
}

#: Ranges of the converter's parameters (Schlesinger et al., *Extractive Metallurgy of
#: Copper*, 5th ed., 2011, ch. 8-9: Peirce-Smith blast 21-29 % O2, slag 3-8 % Cu, blister
#: 0.01-0.03 % S at 1200 degC; continuous converting 30-40 % O2, slag 12-20 % Cu); the
#: bounds are judgements, the furnace ranges of the smelter where they are the same.
CONVERTER_RANGES = RangeTable({
    "oxygen_percent": PYRO_RANGES.o2_pct,
    "fe_sio2": PYRO_RANGES.fe_sio2,
    "slag_cu": Range(None, 0, 40, high_open=True, typical=(2, 20), unit="%"),
    "blister": Range(None, 0, 2, high_open=True, typical=(0.01, 0.5), unit="%"),
    "bath_temperature": Range("temperature", 900, 1600, typical=(1180, 1250)),
    "gas_temperature": PYRO_RANGES.gas_temperature,
    "loss_fraction": PYRO_RANGES.loss_fraction,
    "share": PYRO_RANGES.share,
})
_R = CONVERTER_RANGES


class ConverterParams(Params):
    """Parameters of a converter; those not given take the preset of the mode."""

    mode: Literal["batch", "continuous"] = "batch"
    oxygen_percent: _R.oxygen_percent.type() | None = _R.oxygen_percent.field(
        None, "oxygen in the blast, by volume")
    fe_sio2: _R.fe_sio2.type() | None = _R.fe_sio2.field(None, "Fe/SiO2 of the slag")
    slag_cu: _R.slag_cu.type() | None = _R.slag_cu.field(None, "Cu in the slag")
    blister_s: _R.blister.type() | None = _R.blister.field(None, "S in the blister copper")
    blister_o: _R.blister.type() | None = _R.blister.field(None, "O in the blister copper")
    blister_temperature: _R.bath_temperature.type() | None = _R.bath_temperature.field(
        None, "blister temperature")
    slag_temperature: _R.bath_temperature.type() | None = _R.bath_temperature.field(
        None, "slag temperature")
    offgas_temperature: _R.gas_temperature.type() | None = _R.gas_temperature.field(
        None, "off-gas temperature")
    loss_fraction: _R.loss_fraction.type() | None = _R.loss_fraction.field(
        None, "heat lost, fraction of the heat released by the reactions")
    coolant: dict[str, _R.share.type()] = _R.share.field(
        {"Cu": 1.0}, "formula -> mass fraction of the coolant a surplus could melt")

    @model_validator(mode="after")
    def _check(self):
        for key, value in CONVERTER_PRESETS[self.mode].items():
            if getattr(self, key) is None:
                setattr(self, key, value)
        if not self.coolant:
            raise ValueError("coolant must give positive mass fractions of one or more formulas")
        return self


@register("converter")
class Converter(Unit):
    """Matte converting to blister copper (Peirce-Smith as steady state, or continuous)."""

    Params = ConverterParams
    validity = {"slag_fe_sio2": SLAG_FE_SIO2}
    inlet_ports = (Port("matte"), Port("flux"), Port("air"))
    outlet_ports = ("blister", "slag", "offgas")
    #: Gas volumes are normal cubic metres (0 degC, 101.325 kPa) per hour.
    report_units = {"slag_fe_sio2": "1", "heat_*_kw": "kW", "*_t_h": "t/h",
                    "*_nm3_h": "Nm3/h", "*_pct": "%"}

    def setup(self) -> None:
        p = self.params
        self.cu = self._find("Cu", ("metal", "liquid", "solid"), "blister copper")
        self.feo = self._find("FeO", ("slag",), "the slag's FeO")
        self.sio2 = self._find("SiO2", ("slag", "solid"), "the slag's silica")
        self.so2 = self._find("SO2", ("gas",), "the off-gas SO2", gas=True)
        self.n2 = self._find("N2", ("gas",), "the blast nitrogen", gas=True,
                             needed=p.oxygen_percent < 100.0)
        self.o2 = self._find("O2", ("gas",), "the blast oxygen", gas=True)
        self.cu2o = self._find("Cu2O", ("slag", "metal"), "copper in slag and oxygen in "
                               "blister", needed=p.slag_cu > 0 or p.blister_o > 0)
        self.cu2s = self._find("Cu2S", ("metal", "matte"), "sulfur in blister",
                               needed=p.blister_s > 0)
        try:
            for formula in p.coolant:
                thermo.lookup(formula)
        except SchemaError as err:
            raise err.located(key="coolant") from None
        table = self.context.table
        formulas = [s.formula for s in table.species]
        self.matte_cu2s = np.array([f == "Cu2S" for f in formulas])
        self.matte_fes = np.array([f == "FeS" for f in formulas])
        phases = np.array(table.phases)
        self.gas = phases == "gas"
        self.to_blister = np.isin(phases, ("metal", "matte"))
        mm = table.molar_masses
        self.mm = {"Cu": float(mm[self.cu]), "FeO": float(mm[self.feo]),
                   "SiO2": float(mm[self.sio2]), "SO2": float(mm[self.so2])}
        self.elements = table.element_fractions
        self.col = {e: j for j, e in enumerate(table.elements)}

    def _find(self, formula: str, prefer: tuple[str, ...], role: str, gas: bool = False,
              needed: bool = True) -> int | None:
        table = self.context.table
        found = [i for i, s in enumerate(table.species) if s.formula == formula
                 and (s.phase == "gas") == gas]
        if not found:
            if not needed:
                return None
            raise SchemaError(f"no species of formula {formula}{' (gas)' if gas else ''} for "
                              f"{role}", location=Location(unit=self.name),
                              hint=f"declare one, e.g. {{name: {formula.lower()}_x, formula: "
                                   f"{formula}, phase: {prefer[0]}}}")
        for phase in prefer:
            for i in found:
                if table.phases[i] == phase:
                    return i
        return found[0]

    def _element(self, flows: np.ndarray, element: str) -> float:
        j = self.col.get(element)
        return 0.0 if j is None else float(flows @ self.elements[:, j])

    def _run(self, inlets) -> Outcome:
        p = self.params
        table = self.context.table
        mm = table.molar_masses
        matte, flux_in, air_in = inlets["matte"], inlets["flux"], inlets["air"]
        n = len(table)
        if matte.flows[self.matte_cu2s].sum() <= 0:
            raise UnitRunError("the matte carries no Cu2S: nothing to convert to copper",
                               location=Location(unit=self.name, key="matte"),
                               hint="the matte species are read by formula: declare the "
                                    "matte's copper as a species of formula Cu2S")
        blister = np.zeros(n)
        slag = np.zeros(n)
        offgas = np.zeros(n)
        reacting = self.matte_cu2s | self.matte_fes
        special = np.zeros(n, dtype=bool)
        special[[i for i in (self.cu, self.feo, self.sio2, self.cu2o) if i is not None]] = True
        # species that pass unchanged
        passing = matte.flows * ~(reacting | special) + flux_in.flows * ~self.gas
        offgas += passing * self.gas
        blister += passing * (self.to_blister & ~self.gas)
        slag += passing * ~(self.to_blister | self.gas)
        slag[self.sio2] += matte.flows[self.sio2]
        slag[self.feo] += matte.flows[self.feo]
        offgas += flux_in.flows * self.gas
        # slag blow: all Fe of FeS to FeO
        fes_kmol = float((matte.flows[self.matte_fes] / mm[self.matte_fes]).sum())
        slag[self.feo] += fes_kmol * self.mm["FeO"]
        silica = self._element(slag, "Si") * self.mm["SiO2"] / ATOMIC_WEIGHTS["Si"]
        flux_demand = max(self._element(slag, "Fe") / p.fe_sio2
                          - (silica - self._element(flux_in.flows, "Si") * self.mm["SiO2"]
                             / ATOMIC_WEIGHTS["Si"]), 0.0)
        # copper: to slag as Cu2O at slag_cu %, the rest to blister
        cu_in = self._element(matte.flows + flux_in.flows, "Cu")
        if p.slag_cu > 0:
            r = float(mm[self.cu2o]) / (2 * self.mm["Cu"])
            cu_slag = p.slag_cu * slag.sum() / (100.0 - p.slag_cu * r)
            slag[self.cu2o] += cu_slag * r
        cu_elsewhere = self._element(blister, "Cu")
        cu_free = cu_in - self._element(slag, "Cu") - cu_elsewhere
        if cu_free <= 0:
            raise UnitRunError(f"the slag at {p.slag_cu:g} % Cu takes all the copper",
                               location=Location(unit=self.name, key="slag_cu"))
        others = blister.sum()
        frac = 1.0 - (p.blister_s + p.blister_o) / 100.0
        total = (cu_free + others) / frac  # blister mass
        s_b = p.blister_s / 100.0 * total
        o_b = p.blister_o / 100.0 * total
        if s_b > 0:
            blister[self.cu2s] += s_b * float(mm[self.cu2s]) / ATOMIC_WEIGHTS["S"]
        if o_b > 0:
            blister[self.cu2o] += o_b * float(mm[self.cu2o]) / ATOMIC_WEIGHTS["O"]
        blister[self.cu] += cu_in - self._element(slag, "Cu") - self._element(blister, "Cu")
        # sulfur: what is not in blister (or passing in slag) leaves as SO2
        s_in = self._element((matte.flows + flux_in.flows) * ~self.gas, "S")
        s_out = s_in - self._element(blister + slag, "S")
        if s_out < -1e-12 * max(s_in, 1e-300):
            raise UnitRunError(f"the matte holds too little sulfur for {p.blister_s:g} % S "
                               "in the blister", location=Location(unit=self.name, key="blister_s"))
        offgas[self.so2] += max(s_out, 0.0) * self.mm["SO2"] / ATOMIC_WEIGHTS["S"]
        # oxygen demand from the oxygen balance
        o_in = self._element(matte.flows + flux_in.flows, "O")
        o_out = self._element(blister + slag + offgas, "O")
        o2_reacted = o_out - o_in
        o2_supplied = float(air_in.flows[self.o2])
        offgas += air_in.flows
        offgas[self.o2] -= o2_reacted
        outlets = {
            "blister": Stream(table, blister, p.blister_temperature, None, matte.grid),
            "slag": Stream(table, slag, p.slag_temperature, None, matte.grid),
            "offgas": Stream(table, np.maximum(offgas, 0.0), p.offgas_temperature, None,
                             matte.grid),
        }
        report = self._report(outlets, cu_in, flux_in.total, flux_demand, o2_reacted,
                              o2_supplied)
        blast_kmol = 1000.0 * float((air_in.flows[self.gas] / mm[self.gas]).sum())
        report["blast_nm3_h"] = blast_kmol * NM3_PER_KMOL
        report["blast_o2_pct"] = (1e5 * o2_supplied / float(mm[self.o2]) / blast_kmol
                                  if blast_kmol > 0 else 0.0)
        hb = heat_balance([matte, flux_in, air_in], list(outlets.values()),
                          loss_fraction=p.loss_fraction, coolant=p.coolant,
                          coolant_temperature=p.blister_temperature)
        report.update(hb.report())
        return outlets, report

    def _report(self, out: dict[str, Stream], cu_in: float, flux_t: float,
                flux_demand: float, o2_reacted: float, o2_supplied: float) -> dict:
        p = self.params
        table = self.context.table
        mm = table.molar_masses
        b, s, g = out["blister"], out["slag"], out["offgas"]
        gas_kmol = 1000.0 * float((g.flows[self.gas] / mm[self.gas]).sum())
        fe, si = s.element_flows.get("Fe", 0.0), s.element_flows.get("Si", 0.0)
        sio2 = si * self.mm["SiO2"] / ATOMIC_WEIGHTS["Si"]
        o2_kmol = 1000.0 * o2_reacted / float(mm[self.o2])
        return {
            "blister_t_h": b.total, "blister_cu_pct": b.assays.get("Cu", 0.0),
            "blister_s_pct": b.assays.get("S", 0.0), "blister_o_pct": b.assays.get("O", 0.0),
            "slag_t_h": s.total, "slag_cu_pct": s.assays.get("Cu", 0.0),
            "slag_fe_sio2": fe / sio2 if sio2 > 0 else float("inf"),
            "flux_t_h": flux_t, "flux_demand_t_h": flux_demand,
            "o2_t_h": o2_reacted, "o2_excess_t_h": o2_supplied - o2_reacted,
            "air_demand_nm3_h": o2_kmol * 100.0 / p.oxygen_percent * NM3_PER_KMOL,
            "offgas_nm3_h": gas_kmol * NM3_PER_KMOL,
            "offgas_so2_pct": (100.0 * 1000.0 * g.flows[self.so2] / self.mm["SO2"] / gas_kmol
                               if gas_kmol > 0 else 0.0),
            "cu_to_blister_pct": 100.0 * b.element_flows.get("Cu", 0.0) / cu_in,
        }

    def verify(self, report: dict) -> None:
        """Fail when the blast that enters cannot supply the oxygen the converting needs."""
        if report["o2_excess_t_h"] < -1e-9 * max(report["o2_t_h"], 1e-300):
            need = report["o2_t_h"]
            raise UnitRunError(f"the air that enters carries too little oxygen for the "
                               f"converting: {need + report['o2_excess_t_h']:.4g} t/h of O2, "
                               f"the converting takes {need:.4g} t/h",
                               location=Location(unit=self.name, key="air"),
                               hint=f"the converting needs {report['air_demand_nm3_h']:.6g} Nm3/h "
                                    f"of blast at {self.params.oxygen_percent:g} % O2")
