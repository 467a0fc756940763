r"""Smelting furnace (``smelter``) with technology presets.

Inlets ``concentrate`` (any species that carry elements: minerals, a lumped ore with a
complete assay, recycled dust), ``flux``, ``fuel`` and ``blast`` (air or oxygen-enriched
air: species of O, N and Ar only). Outlets ``matte`` (``bullion`` for a lead or tin
technology), ``slag``, ``offgas`` and ``dust``.

The unit reduces its inlets to element flows (the species table's element matrix), calls
the charge balance :func:`~units.pyro.charge_balance.charge_balance` with the technology's
preset (:mod:`units.pyro.technologies`, overridable per key) and builds the outlets from
the compounds it returns, so every element closes by construction:

* **The oxidation** is set by ONE of ``matte_grade`` [% Cu] (default: the preset's),
  ``sulfur_oxidised`` (fraction of the S to SO2) or ``slag_analysis`` (``FeO`` % of the
  slag; a ``CaO`` % given there sizes the lime flux demand only). A lead or tin
  technology takes none: its metal follows the preset's coefficients.
* **The blast is an inlet**, not made up by the unit: the oxygen the reactions take
  (``o2_demand``) comes from it and the rest leaves in the off-gas as O2, with all its N2.
  The report gives the demand as oxygen t/h and Nm3/h and as blast at the preset's
  ``o2_pct`` (``blast_t``, ``blast_nm3``); a flowsheet can match its blast feed with a
  design spec on ``o2_excess`` (trial solves of a spec may run short). A converged
  solve with a blast short of oxygen fails.
* **Flux is an inlet too**: the slag takes all the SiO2 and CaO that enter. The report
  gives the silica and lime flux (species ``silica_flux``, ``lime_flux``) that would bring
  the slag to the target Fe/SiO2 and CaO/SiO2 (``silica_flux_demand``,
  ``lime_flux_demand``, t/h, computed for the inlets other than ``flux``) and the ratios
  reached. A target the flowsheet states (``fe_sio2``, ``cao_sio2``, or ``CaO`` in
  ``slag_analysis``) that the converged slag misses by more than
  :data:`TARGET_TOLERANCE` fails with the ratio reached, the flux fed and the demand; when
  no flux species is named the demand is given as pure SiO2 (or CaO). The preset's own
  ratios are not targets: a slag outside the usual range is a warning of the results.
* **Species of the products** are found by formula among the flowsheet's species,
  preferring the phase of the outlet (``matte`` or ``metal``, ``slag``, ``gas``, ``solid``
  for dust): Cu2S and FeS in matte; FeO, Fe3O4, SiO2, CaO, Al2O3, Cu2O, PbO, ZnO... in slag;
  SO2, N2, O2, CO2, H2O in the off-gas. A missing one is a located error that names the
  formula and a library species to declare.

* **The heat balance** (:func:`units.pyro.heat.heat_balance`, as in the converter) runs
  over the inlets at their own temperatures and the products: matte (or bullion) and slag
  at ``temperature``, off-gas and the dust it carries at ``offgas_temperature`` (default
  ``temperature``). Losses (shell, water-cooled jackets, uptake) are ``loss_fraction`` of
  the heat released by the reactions; the default 0.10 is a stated round figure for a
  furnace of this size, not a measured plant value -- set it from the plant's heat balance
  when it matters. Fuel fed at ``fuel`` (methane, coke carbon...) burns in the charge
  balance (C to CO2, H to H2O) and its heat counts. A surplus is reported as the cold
  ``coolant`` it could melt (``coolant_t_h``; formula -> mass fraction, by default a
  matte revert of about 62 % Cu, charged at 25 degC and leaving at ``temperature``); a
  deficit, when a ``fuel`` species is named, as the further fuel that covers it
  (``fuel_t_h``), burnt with the stoichiometric oxygen of a blast of the composition fed
  (the preset's ``o2_pct`` when no blast enters) and with the same loss fraction on its
  heat, so that feeding that fuel (and its oxygen) closes the balance. A flowing species
  without thermochemical data is a located error; ``heat_balance: false`` skips the
  balance (for a lumped ore, for example). It is on by default for copper matte smelting,
  whose products the data file covers, and off for lead and tin smelting, whose slags
  carry oxides (ZnO, SnO...) without an enthalpy of fusion in that file.

Oxygen enrichment makes flash smelting autogenous: the nitrogen of an air blast carries
away more heat than a flash furnace has to spare (Schlesinger, King, Sole and Davenport,
Extractive Metallurgy of Copper, 5th ed., 2011, ch. 5 and 6).

Report: ``grade`` (% metal in matte or bullion), ``slag_metal_pct``, ``recovery_pct``
(metal to the product), ``o2_demand`` [t/h], ``o2_nm3`` [Nm3/h], ``o2_supplied``,
``o2_excess``, ``blast_o2_pct`` (the preset's), ``blast_fed_o2_pct`` (% O2 by volume of
the blast that enters), ``blast_t``, ``blast_nm3``, the flux figures above,
``offgas_nm3`` [Nm3/h], ``offgas_so2_pct``, ``sulfur_oxidised``, ``fe_sio2``,
``cao_sio2``, masses ``product_t``, ``slag_t``, ``dust_t``, the slag analysis
``slag_<formula>_pct``, and the heat balance in kW -- ``heat_heat_in_kw`` (sensible heat
of the inlets), ``heat_reaction_kw``, ``heat_heat_out_kw`` (sensible heat of the
products), ``heat_loss_kw``, ``heat_surplus_kw`` -- with ``autogenous``, ``coolant_t_h``
and ``fuel_t_h``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

import numpy as np
from pydantic import Field, model_validator

from flowsheet.elements import mass_fractions
from flowsheet.errors import FlowsheetError, Location, SchemaError, UnitRunError, did_you_mean
from flowsheet.species import library
from flowsheet.stream import Stream
from flowsheet.unit import Outcome, Params, Port, Unit
from flowsheet.validity import ResultWarning, UsualRange, check_report
from units.pyro import thermo
from units.pyro.charge import blast_for_oxygen, gas_volume
from units.pyro.charge_balance import FLUX_ELEMENTS, charge_balance
from units.pyro.heat import HeatBalance, fuel_net_heat, heat_balance
from units.pyro.technologies import Technology, technology
from units.ranges import Range, RangeTable
from units.registry import register

__all__ = ["SmelterParams", "Smelter", "MATTE_REVERT", "PYRO_RANGES", "TARGET_TOLERANCE",
           "SLAG_FE_SIO2"]

#: Relative miss of a stated slag target (Fe/SiO2, CaO/SiO2, % CaO) that fails a solve.
TARGET_TOLERANCE = 0.01

#: Usual Fe/SiO2 mass ratio of the iron-silicate slags of copper and lead smelting.
SLAG_FE_SIO2 = UsualRange(0.8, 2.0, "", "Schlesinger, King, Sole and Davenport, Extractive "
                     "Metallurgy of Copper, 5th ed., 2011, chapters on matte smelting "
                     "(fayalite slags); figure not re-read in the source")

#: The flux a demand is stated in when the flowsheet names no flux species.
_PURE_FLUX = {"silica_flux": "SiO2", "lime_flux": "CaO"}

#: Default coolant: cold matte revert of about 62 % Cu (mass fractions of Cu2S and FeS).
MATTE_REVERT = {"Cu2S": 0.78, "FeS": 0.22}

_PHASE = {"product": None, "slag": "slag", "gas": "gas", "dust": "solid"}
_BLAST_ELEMENTS = {"O", "N", "Ar"}
#: Ranges of the furnace parameters. Copper mattes run from about 30 % Cu to white metal
#: (Cu2S, 79.9 % Cu); slags hold 0.5-5 % Cu or Pb and up to 15 % Sn, Fe/SiO2 0.8-2,
#: CaO/SiO2 0-1.5, Fe3+/Fe at most 2/3 (all magnetite); the blast carries 21-95 % O2;
#: smelting baths are held at 1150-1350 degC (Schlesinger, King, Sole and Davenport,
#: *Extractive Metallurgy of Copper*, 5th ed., 2011, ch. 5-9; Sohn and Olivas-Martinez,
#: in *Treatise on Process Metallurgy* vol. 3, 2014, for lead). The bounds are judgements.
PYRO_RANGES = RangeTable({
    "matte_grade": Range(None, 10, 80, typical=(45, 75), unit="% Cu"),
    "fraction": Range("fraction", 0, 1),
    "share": Range("fraction", 0, 1, low_open=True),
    "slag_pct": Range(None, 0, 100, unit="%"),
    "slag_metal": Range(None, 0, 60, typical=(0.5, 15), unit="%"),
    "fe3_fe": Range(None, 0, 2 / 3, typical=(0.05, 0.25)),
    "fe_sio2": Range(None, 0.1, 5, typical=(0.8, 2)),
    "cao_sio2": Range(None, 0, 5, typical=(0, 1.5)),
    "o2_pct": Range(None, 10, 100, typical=(21, 95), unit="% O2"),
    "bath_temperature": Range("temperature", 800, 1800, typical=(1150, 1350)),
    "gas_temperature": Range("temperature", 25, 2000, typical=(1150, 1400)),
    "loss_fraction": Range(None, 0, 1, high_open=True, typical=(0.05, 0.2)),
})
_R = PYRO_RANGES


class SmelterParams(Params):
    """Parameters of a smelting furnace (see the module docstring)."""

    technology: str = Field(description="preset key, e.g. outokumpu_flash, kivcet")
    matte_grade: _R.matte_grade.type() | None = _R.matte_grade.field(
        None, "target matte grade")
    sulfur_oxidised: _R.fraction.type() | None = _R.fraction.field(
        None, "fraction of the feed sulfur oxidised")
    slag_analysis: dict[Literal["FeO", "CaO"], _R.slag_pct.type()] | None = _R.slag_pct.field(
        None, "target FeO (and CaO) of the slag, % by mass")
    slag_cu: _R.slag_metal.type() | None = _R.slag_metal.field(
        None, "metal in slag, preset by default")
    cu_in_slag: Literal["dissolved", "entrained"] = "dissolved"
    fe3_fe: _R.fe3_fe.type() | None = _R.fe3_fe.field(None, "Fe3+ over all Fe in the slag")
    fe_sio2: _R.fe_sio2.type() | None = _R.fe_sio2.field(None, "Fe/SiO2 of the slag")
    cao_sio2: _R.cao_sio2.type() | None = _R.cao_sio2.field(None, "CaO/SiO2 of the slag")
    o2_pct: _R.o2_pct.type() | None = _R.o2_pct.field(None, "oxygen in the blast, by volume")
    silica_flux: str | None = None
    lime_flux: str | None = None
    distribution: dict[str, dict[str, _R.fraction.type()]] = _R.fraction.field(
        {}, "element -> phase -> fraction of the element, overriding the preset")
    temperature: _R.bath_temperature.type() = _R.bath_temperature.field(
        1250.0, "bath temperature")
    offgas_temperature: _R.gas_temperature.type() | None = _R.gas_temperature.field(
        None, "off-gas and dust temperature, default 'temperature'")
    heat_balance: bool | None = Field(
        None, description="run the heat balance; default on for copper matte smelting")
    loss_fraction: _R.loss_fraction.type() = _R.loss_fraction.field(
        0.10, "heat lost, fraction of the heat released by the reactions")
    fuel: str | None = Field(None, description="species burnt to cover a heat deficit")
    coolant: dict[str, _R.share.type()] = _R.share.field(
        default_factory=lambda: dict(MATTE_REVERT),
        description="formula -> mass fraction of the coolant a surplus could melt")

    @model_validator(mode="after")
    def _check(self):
        try:
            tech = self.preset()
        except FlowsheetError as err:
            raise ValueError(f"{err.message}" + (f" -- {err.hint}" if err.hint else "")
                             ) from None
        modes = [k for k in ("matte_grade", "sulfur_oxidised", "slag_analysis")
                 if getattr(self, k) is not None]
        if tech.product != "matte" and modes:
            raise ValueError(f"'{modes[0]}' does not apply: technology '{tech.key}' makes "
                             f"{tech.metal} metal, set by its distribution coefficients")
        if len(modes) > 1:
            raise ValueError(f"give one of 'matte_grade', 'sulfur_oxidised', "
                             f"'slag_analysis', not {' and '.join(modes)}")
        lo, hi = tech.grade
        if self.matte_grade is not None and not lo <= self.matte_grade <= hi:
            raise ValueError(f"'matte_grade' {self.matte_grade:g} % Cu is outside what "
                             f"{tech.name} reaches ({lo:g}-{hi:g} % Cu)")
        if self.slag_analysis is not None and "FeO" not in self.slag_analysis:
            raise ValueError("'slag_analysis' needs 'FeO' (and may give 'CaO'), % by mass")
        if not self.coolant:
            raise ValueError("'coolant' needs the mass fraction of one or more formulas")
        if self.offgas_temperature is None:
            self.offgas_temperature = self.temperature
        if self.heat_balance is None:
            self.heat_balance = tech.product == "matte"
        return self

    def preset(self) -> Technology:
        """The technology preset with this unit's overrides."""
        values = {k: getattr(self, k) for k in ("fe3_fe", "fe_sio2", "cao_sio2", "o2_pct")
                  if getattr(self, k) is not None}
        if self.slag_cu is not None:
            values["slag_metal"] = self.slag_cu
        return technology(self.technology).with_overrides(values, self.distribution)


@register("smelter")
class Smelter(Unit):
    """Smelting furnace: concentrate, flux, fuel and blast to matte (or bullion), slag,
    off-gas and dust, by the element balance of its technology preset."""

    Params = SmelterParams
    inlet_ports = (Port("concentrate"), Port("flux"), Port("fuel"), Port("blast"))
    #: Gas volumes are normal cubic metres (0 degC, 101.325 kPa) per hour.
    report_units = {"grade": "%", "o2_demand": "t/h", "o2_nm3": "Nm3/h",
                    "o2_supplied": "t/h", "o2_excess": "t/h", "blast_t": "t/h",
                    "blast_nm3": "Nm3/h", "silica_flux_demand": "t/h",
                    "lime_flux_demand": "t/h", "flux_fed": "t/h", "offgas_nm3": "Nm3/h",
                    "sulfur_oxidised": "1", "fe_sio2": "1", "cao_sio2": "1",
                    "product_t": "t/h", "slag_t": "t/h", "dust_t": "t/h",
                    "coolant_t_h": "t/h", "fuel_t_h": "t/h", "heat_*_kw": "kW",
                    "*_pct": "%"}

    def setup(self) -> None:
        p = self.params
        self.tech = p.preset()
        self.product_port = "matte" if self.tech.product == "matte" else "bullion"
        table = self.context.table
        self.fluxes = {}
        for key in ("silica_flux", "lime_flux"):
            name = getattr(p, key)
            if name is None:
                continue
            i = table.position(name) if name in table.index else None
            if i is None:
                raise SchemaError(f"flux species '{name}' is not declared",
                                  location=Location(key=key), hint=did_you_mean(name,
                                                                                table.names))
            assay = dict(zip(table.elements, table.element_fractions[i], strict=True))
            assay = {e: float(w) for e, w in assay.items() if w > 0}
            bad = set(assay) - set(FLUX_ELEMENTS)
            if bad:
                raise SchemaError(f"flux species '{name}' carries {', '.join(sorted(bad))}; "
                                  f"a flux may hold {', '.join(FLUX_ELEMENTS)}",
                                  location=Location(key=key))
            assay["inert"] = max(0.0, 1.0 - sum(assay.values()))
            self.fluxes[key] = assay
        # a stated target needs a flux to size: pure SiO2 (CaO) when none is named
        self.demand_fluxes = dict(self.fluxes)
        asked = {"silica_flux": p.fe_sio2 is not None,
                 "lime_flux": p.cao_sio2 is not None
                 or "CaO" in (p.slag_analysis or {})}
        for key, formula in _PURE_FLUX.items():
            if asked[key] and key not in self.fluxes:
                self.demand_fluxes[key] = {**mass_fractions(formula), "inert": 0.0}
        self._found: dict[tuple[str, str], int | None] = {}
        self._gas = np.array([ph == "gas" for ph in table.phases])
        self._o2 = np.array([s.formula == "O2" for s in table.species])[self._gas]
        self._setup_heat()

    def _setup_heat(self) -> None:
        """Check the coolant and the fuel once: data known, a fuel that can burn here."""
        p = self.params
        self.fuel = None
        if not p.heat_balance:
            return
        try:
            for formula in p.coolant:
                thermo.lookup(formula)
        except FlowsheetError as err:
            raise SchemaError(err.message, location=Location(key="coolant"),
                              hint=err.hint) from None
        if p.fuel is None:
            return
        table = self.context.table
        if p.fuel not in table.index:
            raise SchemaError(f"fuel species '{p.fuel}' is not declared",
                              location=Location(key="fuel"),
                              hint=did_you_mean(p.fuel, table.names))
        species = table.species[table.position(p.fuel)]
        formula = species.formula
        try:
            if formula is None:
                raise SchemaError(f"fuel species '{p.fuel}' has no formula: its heat of "
                                  "combustion is unknown")
            self.fuel = {f"{formula}(g)" if species.phase == "gas" else formula: 1.0}
            fuel_net_heat(self.fuel, p.offgas_temperature)
        except FlowsheetError as err:
            raise SchemaError(err.message, location=Location(key="fuel"),
                              hint=err.hint) from None
        for element, product in (("C", "CO2"), ("H", "H2O")):
            if element in table.elements and table.element_fractions[
                    table.position(p.fuel), table.elements.index(element)] > 0:
                try:
                    self._carrier("gas", product)
                except FlowsheetError as err:
                    raise SchemaError(f"fuel '{p.fuel}' burns to {product}: {err.message}",
                                      location=Location(key="fuel"), hint=err.hint) from None

    def outlets(self) -> tuple[str, ...]:
        return (self.product_port, "slag", "offgas", "dust")

    # -- species of the products ------------------------------------------------------------
    def _carrier(self, dest: str, formula: str) -> int:
        """Index of the species that carries ``formula`` in ``dest``; located error if none."""
        key = (dest, formula)
        if key not in self._found:
            table = self.context.table
            target = mass_fractions(formula)
            want = np.array([target.get(e, 0.0) for e in table.elements])
            phase = _PHASE[dest] or ("matte" if self.tech.product == "matte" else "metal")
            hits = [i for i in range(len(table))
                    if set(target) <= set(table.elements)
                    and np.allclose(table.element_fractions[i], want, atol=1e-9)]
            hits.sort(key=lambda i: table.phases[i] != phase)
            self._found[key] = hits[0] if hits else None
        if self._found[key] is None:
            names = [n for n, e in library().items() if e.get("formula") == formula]
            example = f"{{name: {names[0]}, phase: {phase}}}" if names else \
                f"{{name: ..., formula: {formula}, phase: {phase}}}"
            out = self.product_port if dest == "product" else dest
            raise UnitRunError(f"the {out} needs a species of formula {formula}",
                               location=Location(unit=self.name), hint=f"declare {example}")
        return self._found[key]

    def _stream(self, dest: str, part: dict, temperature: float) -> Stream:
        flows = np.zeros(len(self.context.table))
        for formula, mass in part.items():
            m = float(mass)
            if formula == "inert" or m == 0.0:
                continue
            flows[self._carrier(dest, formula)] += m
        return Stream(self.context.table, flows, temperature)

    # -- the balance -------------------------------------------------------------------------
    def _elements(self, streams: list[Stream]) -> dict[str, float]:
        table = self.context.table
        flows = np.sum([s.flows for s in streams], axis=0)
        covered = table.element_fractions.sum(axis=1)
        short = (flows > 0) & (covered < 1.0 - 1e-9)
        if short.any():
            i = int(np.flatnonzero(short)[0])
            raise UnitRunError(
                f"species '{table.names[i]}' is assayed to {100 * covered[i]:.4g} % of its "
                "mass; the smelter balances elements and needs its whole mass assayed",
                location=Location(unit=self.name),
                hint="complete the assay, e.g. with O for oxides and Si for silicates")
        return dict(zip(table.elements, map(float, flows @ table.element_fractions),
                        strict=True))

    def _balance(self, feed: dict[str, float], fluxes: bool):
        p, t = self.params, self.tech
        analysis = None if p.slag_analysis is None else dict(p.slag_analysis)
        if analysis is not None and not fluxes:
            analysis = {"FeO": analysis["FeO"]}
        mode = {}
        if t.product == "matte":
            if analysis is not None:
                mode["slag_analysis"] = analysis
            elif p.sulfur_oxidised is not None:
                mode["sulfur_oxidised"] = p.sulfur_oxidised
            else:
                mode["matte_grade"] = p.matte_grade or t.default_grade
        lime = self.demand_fluxes.get("lime_flux") if fluxes else None
        if analysis is not None and "CaO" in analysis and lime is None:
            analysis.pop("CaO")
        return charge_balance(
            {e: v for e, v in feed.items() if v != 0.0}, product=t.product, metal=t.metal,
            slag_metal_pct=t.slag_metal, metal_in_slag=p.cu_in_slag,
            distribution=t.distribution, fe3_fe=t.fe3_fe, fe_sio2=t.fe_sio2,
            cao_sio2=t.cao_sio2, silica_flux=self.demand_fluxes.get("silica_flux") if fluxes
            else None, lime_flux=lime, **mode)

    def _run(self, inlets: dict[str, Stream]) -> Outcome:
        t = self.tech
        charge = [inlets["concentrate"], inlets["fuel"]]
        feed = self._elements(charge + [inlets["flux"]])
        blast = self._elements([inlets["blast"]])
        extra = {e for e, v in blast.items() if v > 0} - _BLAST_ELEMENTS
        if extra:
            raise UnitRunError(f"the blast carries {', '.join(sorted(extra))}; it may carry "
                               "O, N and Ar only", location=Location(unit=self.name))
        feed["N"] = feed.get("N", 0.0) + blast.get("N", 0.0)
        try:
            b = self._balance(feed, fluxes=False)
            demand = self._balance(self._elements(charge), fluxes=True)
        except ValueError as exc:
            raise UnitRunError(str(exc), location=Location(unit=self.name)) from None
        if b.status.item():
            raise UnitRunError(str(b.status.item()), location=Location(unit=self.name),
                               hint=f"{t.name}: grades {t.grade[0]:g}-{t.grade[1]:g} % "
                               f"{t.metal}")
        temp = self.params.temperature
        gas = dict(b.gas)
        o2_supplied = blast.get("O", 0.0)
        o2 = float(b.o2)
        excess = o2_supplied - o2
        if excess > 0:
            gas["O2"] = np.asarray(excess)
        if blast.get("Ar", 0.0) > 0:
            gas["Ar"] = np.asarray(blast["Ar"])
        hot = self.params.offgas_temperature
        outlets = {self.product_port: self._stream("product", b.product, temp),
                   "slag": self._stream("slag", b.slag, temp),
                   "offgas": self._stream("gas", gas, hot),
                   "dust": self._stream("dust", b.dust, hot)}
        report = self._report(b, demand, gas, feed, o2, o2_supplied, inlets)
        if self.params.heat_balance:
            report.update(self._heat(inlets, outlets, report).report())
        return outlets, report

    def _heat(self, inlets: dict[str, Stream], outlets: dict[str, Stream],
              report: dict[str, Any]) -> HeatBalance:
        """The heat balance, with the fuel that would cover a deficit (module notes)."""
        p = self.params
        try:
            hb = heat_balance(list(inlets.values()), list(outlets.values()),
                              loss_fraction=p.loss_fraction, coolant=p.coolant,
                              coolant_temperature=p.temperature)
        except FlowsheetError as err:
            raise UnitRunError(f"heat balance: {err.message}", location=Location(
                unit=self.name), hint=err.hint or "give the species a formula with "
                "thermochemical data, or set heat_balance: false") from None
        if self.fuel is None or hb.surplus_kw >= 0:
            return hb
        fed = report["blast_fed_o2_pct"]
        oxygen = (fed if fed > 0 else self.tech.o2_pct) / 100.0
        net = (fuel_net_heat(self.fuel, p.offgas_temperature, oxygen)
               - p.loss_fraction * fuel_net_heat(self.fuel, 25.0, oxygen))
        if net <= 0:
            raise UnitRunError(f"fuel '{p.fuel}' burnt with {100 * oxygen:.3g} % O2 cannot "
                               f"heat its own products to {p.offgas_temperature:g} degC",
                               location=Location(unit=self.name, key="fuel"),
                               hint="enrich the blast in oxygen")
        return replace(hb, fuel_t_h=-hb.surplus_kw / net)

    def _report(self, b, demand, gas, feed, o2, o2_supplied, inlets) -> dict[str, Any]:
        t = self.tech
        slag_t = float(b.total("slag"))
        sio2 = float(b.slag.get("SiO2", 0.0))
        fe_slag = float(b.element("slag", "Fe"))
        metal_in = feed.get(t.metal, 0.0)
        s_in = feed.get("S", 0.0)
        vol = gas_volume(gas)
        need = blast_for_oxygen(o2, t.o2_pct)
        nan = float("nan")
        report: dict[str, Any] = {
            "technology": t.key, "grade": float(b.grade),
            "slag_metal_pct": 100.0 * float(b.element("slag", t.metal)) / slag_t
            if slag_t > 0 else nan,
            "recovery_pct": 100.0 * float(b.element("product", t.metal)) / metal_in
            if metal_in > 0 else nan,
            "o2_demand": o2, "o2_nm3": float(blast_for_oxygen(o2, 100.0)["nm3"]),
            "o2_supplied": o2_supplied, "o2_excess": o2_supplied - o2,
            "blast_o2_pct": t.o2_pct, "blast_fed_o2_pct": self._blast_o2_pct(inlets["blast"]),
            "blast_t": float(need["blast"]),
            "blast_nm3": float(need["nm3"]),
            "silica_flux_demand": float(demand.silica_flux),
            "lime_flux_demand": float(demand.lime_flux), "flux_fed": inlets["flux"].total,
            "offgas_nm3": float(vol["nm3"]), "offgas_so2_pct": float(vol["SO2_pct"]),
            "sulfur_oxidised": float(b.element("gas", "S")) / s_in if s_in > 0 else nan,
            "fe_sio2": fe_slag / sio2 if sio2 > 0 else nan,
            "cao_sio2": float(b.slag.get("CaO", 0.0)) / sio2 if sio2 > 0 else nan,
            "product_t": float(b.total("product")), "slag_t": slag_t,
            "dust_t": float(b.total("dust")),
        }
        for formula, mass in b.slag.items():
            if float(mass) > 0 and slag_t > 0:
                report[f"slag_{formula}_pct"] = 100.0 * float(mass) / slag_t
        return report

    def _blast_o2_pct(self, blast: Stream) -> float:
        """% O2 by volume of the gases of a blast stream (0 when none enters)."""
        kmol = blast.flows[self._gas] / self.context.table.molar_masses[self._gas]
        total = float(kmol.sum())
        return 100.0 * float(kmol[self._o2].sum()) / total if total > 0 else 0.0

    def result_warnings(self, report: dict[str, Any]) -> list[ResultWarning]:
        """Product grade, metal in slag and blast O2 outside the technology's usual
        figures, and a slag Fe/SiO2 outside :data:`SLAG_FE_SIO2`.

        The preset's SO2 range is not checked: surveys measure it in the uptake, after air
        has leaked in, and the unit's off-gas holds none.
        """
        t = self.tech
        source = f"the technology preset '{t.key}' ({', '.join(t.sources)}), " \
            "units/pyro/data/smelting_technologies.yaml"
        ranges = {"grade": UsualRange(*t.grade, "%", source),
                  "slag_metal_pct": UsualRange(*t.slag_metal_range, "%", source),
                  "fe_sio2": SLAG_FE_SIO2}
        if report.get("blast_fed_o2_pct", 0.0) > 0:
            ranges["blast_fed_o2_pct"] = UsualRange(*t.o2_range, "% by volume", source)
        return check_report(self.name, report, ranges)

    def verify(self, report: dict[str, Any]) -> None:
        """Fail when the blast brings less oxygen than the reactions take, or the slag
        misses a flux target the flowsheet states."""
        self._verify_blast(report)
        self._verify_flux(report)

    def _verify_flux(self, report: dict[str, Any]) -> None:
        p = self.params
        targets = [("fe_sio2", "Fe/SiO2", p.fe_sio2, "silica_flux"),
                   ("cao_sio2", "CaO/SiO2", p.cao_sio2, "lime_flux")]
        if "CaO" in (p.slag_analysis or {}):
            targets.append(("slag_CaO_pct", "% CaO", p.slag_analysis["CaO"], "lime_flux"))
        for key, label, asked, flux in targets:
            got = report.get(key, 0.0)
            if asked is None or abs(got - asked) <= TARGET_TOLERANCE * max(asked, 0.01):
                continue
            demand, fed = report[f"{flux}_demand"], report["flux_fed"]
            named = getattr(p, flux)
            what = (f"{flux.replace('_', ' ')} '{named}'" if named else
                    f"{flux.replace('_', ' ')} (as pure {_PURE_FLUX[flux]}: no {flux} named)")
            where = Location(unit=self.name, key=flux if named is None else key)
            if demand <= 0 and got < asked:
                raise UnitRunError(
                    f"slag {label} {got:.4g} against {asked:g} asked: the charge alone "
                    f"brings the slag below the target and {fed:.4g} t/h of flux enters; "
                    "flux cannot raise it", location=where,
                    hint=f"lower {key} to at most {got:.4g}, or remove the flux feed")
            hint = (f"declare a {flux.replace('_', ' ')} species and name it "
                    f"({flux}: <species>), then " if named is None else "")
            raise UnitRunError(
                f"slag {label} {got:.4g} against {asked:g} asked: {fed:.4g} t/h of flux "
                f"enters, the target takes {demand:.4g} t/h of {what}", location=where,
                hint=hint + f"feed {demand:.4g} t/h at the 'flux' inlet, or vary the flux "
                f"feed with a design spec until {self.name}.{key} equals {asked:g}")

    def _verify_blast(self, report: dict[str, Any]) -> None:
        short = -report.get("o2_excess", 0.0)
        if short > 1e-9 * max(report.get("o2_demand", 0.0), 1.0):
            raise UnitRunError(
                f"the blast brings {report['o2_supplied']:.4g} t/h O2, the smelting takes "
                f"{report['o2_demand']:.4g} t/h", location=Location(unit=self.name,
                                                                    key="blast"),
                hint=f"at {report['blast_o2_pct']:g} % O2 feed {report['blast_t']:.4g} t/h "
                "of blast, or vary the blast feed until o2_excess is 0")
