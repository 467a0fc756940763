r"""Solvent extraction or stripping (``solvent_extraction``): N countercurrent mixer-settlers.

YAML (copper extraction with an oxime; the flowsheet declares the free extractant and its
copper complex as organic species with formulas, so that every element balances)::

    species:
      - {name: extractant, formula: C16H25NO2, phase: organic, density: 910}
      - {name: copper_complex, formula: Cu(C16H24NO2)2, phase: organic, density: 910}
      - {name: dodecane}                                   # diluent
      ...
    units:
      sx_e: {type: solvent_extraction, mode: extract, stages: 2, efficiency: 0.95,
             equation: "copper_sulfate + 2 extractant -> copper_complex + sulfuric_acid",
             isotherm: {model: oxime, k_ex: 5},
             entrainment: {organic_in_aqueous: 30 ppm, aqueous_in_organic: 0.3 %},
             extractant_percent: 20}

Inlets ``aqueous`` and ``organic``. Outlets: ``raffinate`` and ``loaded`` (extract) or
``electrolyte`` and ``stripped`` (strip). The two modes solve the same equations -- copper
moves toward equilibrium, out of the aqueous in extraction and into it in stripping --
and differ in the names of ports and report entries.

* **Reaction.** ``equation`` is written in the extraction direction; its aqueous reactant
  is the metal salt, its organic reactant the extractant, its organic product the complex
  and its aqueous product the acid (found from the species' phases). The metal is the
  element of the complex that the extractant lacks. The copper moved by the stages sets
  the extent of this equation, so extraction releases acid
  (:math:`CuSO_4 + 2 HR \to CuR_2 + H_2SO_4`), stripping consumes it, and every element
  balances exactly.
* **Concentrations.** Everything not in the organic phase (both inlets) is the aqueous
  side and every organic species the organic side. Their volumes :math:`A` and :math:`O`
  [m3/h] are summed over the species with a density, as
  :attr:`flowsheet.stream.Stream.volumetric_flow` does: dissolved salts without a density
  of their own add no volume (an approximation of a solution's volume by its water and
  acid). The metal in the salt (aqueous) and in the complex (organic) over those volumes
  gives :math:`x_F` and :math:`y_{in}` [g/L]; entrained phases are contacted with their
  own phase.
* **Stages.** :func:`units.hydro.sx_cascade.countercurrent_cascade` with the isotherm
  (``linear`` D; ``langmuir`` max_loading and k; ``table`` of aqueous and organic g/L;
  ``oxime`` k_ex, the copper-oxime mass action of
  :func:`units.hydro.isotherms.oxime_isotherm` on the organic's total extractant and the
  aqueous feed's acid), ``stages`` and Murphree ``efficiency``, with :math:`O/A` from the
  flows. The outlets are smooth functions of the inlets (recycle solvers need that).
* **Entrainment** (volume ratios): ``organic_in_aqueous`` is organic per volume of aqueous
  outlet, ``aqueous_in_organic`` aqueous per volume of organic outlet; each phase's
  species are carried over at that phase's composition.

With no organic (or no aqueous) flow nothing transfers; after the solve that is an error,
as is a reagent that runs short (:meth:`SolventExtraction.verify`). The report gives the
metal transfer [t/h], the stage concentrations [g/L], extraction or stripping [%], O/A,
and with ``extractant_percent`` the net transfer [g/L per vol % extractant].

>>> from flowsheet.species import SpeciesTable
>>> from flowsheet.stream import Stream
>>> from flowsheet.unit import Context
>>> t = SpeciesTable.from_declarations([{"name": "water"}, {"name": "copper_sulfate"},
...     {"name": "sulfuric_acid"}, {"name": "dodecane"},
...     {"name": "lix", "formula": "C16H25NO2", "phase": "organic", "density": 910},
...     {"name": "cux", "formula": "Cu(C16H24NO2)2", "phase": "organic", "density": 910}])
>>> sx = SolventExtraction.from_config("sx", {"stages": 2, "isotherm": {"model": "linear",
...     "d": 10}, "equation": "copper_sulfate + 2 lix -> cux + sulfuric_acid"}, Context(t))
>>> pls = Stream(t, [997.0, 7.536, 5.0, 0, 0, 0])               # 3.0 t/h Cu
>>> org = Stream(t, [0, 0, 0, 340.0, 35.0, 0.0])                # O/A about 0.5
>>> out, rep = sx.run({"aqueous": [pls], "organic": [org]})
>>> round(rep["feed_gpl"], 3), round(rep["raffinate_gpl"], 4), round(rep["oa"], 4)
(2.992, 0.0999, 0.4905)
>>> cu_in = pls.element_flows["Cu"]
>>> cu_out = out["raffinate"].element_flows["Cu"] + out["loaded"].element_flows["Cu"]
>>> abs(cu_out - cu_in) < 1e-14, round(rep["extraction_percent"], 2)
(True, 96.66)
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from flowsheet.errors import FormulaError, Location, SchemaError, UnitRunError
from flowsheet.reactions import parse_equation
from flowsheet.stream import Stream
from flowsheet.unit import Outcome, Params, Port, Unit
from flowsheet.validity import UsualRange
from units.hydro.isotherms import Isotherm, check_monotonic
from units.hydro.sx_cascade import countercurrent_cascade
from units.ranges import Range, RangeTable
from units.registry import register

__all__ = ["SX_RANGES", "IsothermParams", "Entrainment", "SolventExtractionParams",
           "SolventExtraction", "VALIDITY"]

_SX_SOURCE = ("Schlesinger, King, Sole and Davenport, Extractive Metallurgy of Copper, 5th "
              "ed., 2011, chapter 'Solvent Extraction' (advance O/A near 1 in extraction, "
              "higher in stripping to load the electrolyte); figures not re-read in the "
              "source")

#: Usual advance O/A volume ratio by mode: outside it the organic or aqueous flow is most
#: likely mistyped (or a recycle carries the wrong phase).
VALIDITY: dict[str, dict[str, UsualRange]] = {
    "extract": {"oa": UsualRange(0.5, 2.0, "", _SX_SOURCE)},
    "strip": {"oa": UsualRange(1.0, 5.0, "", _SX_SOURCE)},
}

#: Ranges of a solvent-extraction bank. Copper SX plants run 2-4 extraction and 1-2
#: stripping stages at 85-95 % stage efficiency, with 10-40 vol % oxime in the diluent,
#: a maximum loading of about 0.5 g/L Cu per vol % of extractant, and entrainment of
#: 10-100 ppm organic in aqueous and 100-1000 ppm aqueous in organic (Sole, in *Solvent
#: Extraction and Liquid Membranes*, CRC 2008; Schlesinger et al., 2011, ch. 15). The
#: bounds are judgements.
SX_RANGES = RangeTable({
    "stages": Range(None, 1, 20, typical=(1, 4), integer=True),
    "efficiency": Range("fraction", 0, 1, low_open=True, typical=(0.85, 0.95)),
    "d": Range(None, 1e-4, 1e5, typical=(0.1, 100)),
    "max_loading": Range("concentration", 0.01, 200, typical=(5, 30)),
    "k": Range(None, 1e-4, 1e4, unit="L/g"),
    "k_ex": Range(None, 1e-6, 1e6),
    "metal": Range("concentration", 0, 500, typical=(0, 60)),
    "entrainment": Range("fraction", 0, 0.1, high_open=True, typical=(1e-5, 1e-3)),
    "extractant_percent": Range(None, 0, 100, low_open=True, typical=(10, 40), unit="vol %"),
})
_R = SX_RANGES


class IsothermParams(Params):
    """An equilibrium curve: ``model`` and the parameters it needs (module docstring)."""

    model: Literal["linear", "langmuir", "table", "oxime"]
    d: _R.d.type() | None = _R.d.field(None, "linear: distribution coefficient")
    max_loading: _R.max_loading.type() | None = _R.max_loading.field(
        None, "langmuir: maximum organic loading")
    k: _R.k.type() | None = _R.k.field(None, "langmuir: affinity constant")
    k_ex: _R.k_ex.type() | None = _R.k_ex.field(None, "oxime: conditional constant")
    aqueous: list[_R.metal.type()] | None = _R.metal.field(None, "table: aqueous metal")
    organic: list[_R.metal.type()] | None = _R.metal.field(None, "table: organic metal")

    @model_validator(mode="after")
    def _check(self):
        needs = {"linear": ("d",), "langmuir": ("max_loading", "k"),
                 "table": ("aqueous", "organic"), "oxime": ("k_ex",)}[self.model]
        given = {f for f in ("d", "max_loading", "k", "k_ex", "aqueous", "organic")
                 if getattr(self, f) is not None}
        missing = [f for f in needs if f not in given]
        if missing:
            raise ValueError(f"isotherm model '{self.model}' needs {', '.join(missing)}")
        extra = sorted(given - set(needs))
        if extra:
            raise ValueError(f"isotherm model '{self.model}' does not take "
                             f"{', '.join(extra)}")
        if self.model == "table":
            check_monotonic(self.aqueous, self.organic)
        return self

    def build(self) -> Isotherm | None:
        """The isotherm, or ``None`` for ``oxime`` (it depends on the streams)."""
        if self.model == "linear":
            return Isotherm.linear(self.d)
        if self.model == "langmuir":
            return Isotherm.langmuir(self.max_loading, self.k)
        if self.model == "table":
            return Isotherm.from_table(self.aqueous, self.organic)
        return None


class Entrainment(Params):
    """Carry-over of each phase into the other's outlet, as volume ratios [-]."""

    organic_in_aqueous: _R.entrainment.type() = _R.entrainment.field(
        0.0, "organic carried into the aqueous outlet, by volume")
    aqueous_in_organic: _R.entrainment.type() = _R.entrainment.field(
        0.0, "aqueous carried into the organic outlet, by volume")


class SolventExtractionParams(Params):
    """Parameters of a solvent-extraction or stripping bank (see the module docstring)."""

    mode: Literal["extract", "strip"] = "extract"
    equation: str = Field(description="the extraction reaction, e.g. 'copper_sulfate + "
                                      "2 extractant -> copper_complex + sulfuric_acid'")
    stages: _R.stages.type() = _R.stages.field(description="countercurrent stages")
    efficiency: _R.efficiency.type() = _R.efficiency.field(
        1.0, "Murphree stage efficiency on the organic")
    isotherm: IsothermParams
    entrainment: Entrainment = Entrainment()
    extractant_percent: _R.extractant_percent.type() | None = _R.extractant_percent.field(
        None, "extractant in the organic, for the net-transfer figure")


_PORTS = {"extract": ("raffinate", "loaded"), "strip": ("electrolyte", "stripped")}


@register("solvent_extraction")
class SolventExtraction(Unit):
    """Countercurrent extraction or stripping of one metal between aqueous and organic."""

    Params = SolventExtractionParams
    inlet_ports = (Port("aqueous"), Port("organic"))
    #: ``extractant``: total extractant of the organic [mol/L]; ``<metal>_transfer``:
    #: metal moved [t/h]; ``net_transfer_gpl_per_vol_percent``: [g/L per vol %].
    report_units = {"limited_available": "t/h", "limited_needed": "t/h", "stages": "1",
                    "efficiency": "1", "aqueous_flow": "m3/h",
                    "organic_flow": "m3/h", "oa": "1", "extractant": "mol/L",
                    "*_transfer": "t/h", "*_gpl": "g/L", "extraction_percent": "%",
                    "stripping_percent": "%", "net_transfer_gpl_per_vol_percent": "g/L/%",
                    "newton_iterations": "1"}

    def outlets(self):
        return _PORTS[self.params.mode]

    def setup(self) -> None:
        table = self.context.table
        self.validity = VALIDITY[self.params.mode]
        try:
            nu = parse_equation(self.params.equation, table)
        except FormulaError as err:
            raise err.located(key="equation") from None
        organic = np.array([p == "organic" for p in table.phases])
        roles = {"salt": (nu < 0) & ~organic, "extractant": (nu < 0) & organic,
                 "complex": (nu > 0) & organic, "acid": (nu > 0) & ~organic}
        for role, mask in roles.items():
            if mask.sum() != 1:
                raise SchemaError(
                    f"the equation needs exactly one {role} ("
                    f"{'organic' if role in ('extractant', 'complex') else 'not organic'}, "
                    f"{'reactant' if role in ('salt', 'extractant') else 'product'}); "
                    f"found {int(mask.sum())}", location=Location(key="equation"),
                    hint="write it as 'salt + n extractant -> complex + acid'")
        self.index = {role: int(np.flatnonzero(mask)[0]) for role, mask in roles.items()}
        elements = table.elements
        frac = table.element_fractions
        metal = [j for j, _ in enumerate(elements) if frac[self.index["complex"], j] > 0
                 and frac[self.index["extractant"], j] == 0
                 and frac[self.index["salt"], j] > 0]
        if len(metal) != 1:
            raise SchemaError("cannot tell the extracted metal: it must be the one element "
                              "of the complex and the salt that the extractant lacks",
                              location=Location(key="equation"))
        self.metal = elements[metal[0]]
        self.metal_fraction = frac[:, metal[0]]
        mm = table.molar_masses
        self.organic_mask = organic
        dens = table.densities
        gas = np.array([p == "gas" for p in table.phases])
        self.litres = np.where(np.isnan(dens) | gas, 0.0, 1000.0 / np.where(
            np.isnan(dens), 1.0, dens))                        # m3 per t of each species
        # mass change of each species per t of metal moved into the organic
        salt = self.index["salt"]
        per_extent = nu * mm
        self.delta = np.where(nu != 0, per_extent, 0.0) / (-nu[salt] * mm[salt]
                                                            * self.metal_fraction[salt])
        self.static = self.params.isotherm.build()
        if self.static is None:
            ratio = -nu[self.index["extractant"]] / nu[self.index["complex"]]
            if self.metal != "Cu" or ratio != 2 or table.species[self.index["acid"]].formula \
                    != "H2SO4":
                raise SchemaError("isotherm model 'oxime' is the copper sulfate - "
                                  "hydroxyoxime equilibrium: it needs 2 extractant per "
                                  "complex, copper and sulfuric acid",
                                  location=Location(key="isotherm.model"))
            self.ratio = ratio

    # -- physics --------------------------------------------------------------------------
    def _extractant(self, flows: np.ndarray, o: float) -> float:
        """Total extractant, free and complexed, of the organic [mol/L] (oxime model)."""
        mm = self.context.table.molar_masses
        e, c = self.index["extractant"], self.index["complex"]
        return 1000.0 * (flows[e] / mm[e] + self.ratio * flows[c] / mm[c]) / o

    def _exchange_possible(self, flows: np.ndarray, x_feed: float, a: float, o: float
                           ) -> bool:
        """Whether the oxime exchange can run at all: the organic holds extractant, and the
        aqueous holds copper to extract or acid to strip with. Without either, nothing
        moves (and the isotherm would be a step at zero), as on a recycle's first passes."""
        if self.static is not None:
            return True
        acid = self.index["acid"]
        return self._extractant(flows, o) > 0 and (x_feed > 0 or flows[acid] > 0)

    def _isotherm(self, flows: np.ndarray, x_feed: float, a: float, o: float) -> Isotherm:
        if self.static is not None:
            return self.static
        total = self._extractant(flows, o)                                     # mol/L
        if total <= 0:
            raise ValueError("the organic carries no extractant")
        return Isotherm.oxime(total, self.params.isotherm.k_ex, x_feed,
                              1000.0 * flows[self.index["acid"]] / a)

    def _run(self, inlets: dict[str, Stream]) -> Outcome:
        p = self.params
        mixed = Stream.mix([inlets["aqueous"], inlets["organic"]])
        flows = mixed.flows
        org = self.organic_mask
        a = float(np.sum(flows[~org] * self.litres[~org]))
        o = float(np.sum(flows[org] * self.litres[org]))
        salt, cpx = self.index["salt"], self.index["complex"]
        x_feed = float(1000.0 * flows[salt] * self.metal_fraction[salt] / a) if a > 0 else 0.0
        y_in = float(1000.0 * flows[cpx] * self.metal_fraction[cpx] / o) if o > 0 else 0.0
        report: dict = {"mode": p.mode, "stages": p.stages, "efficiency": p.efficiency,
                        "aqueous_flow": a, "organic_flow": o,
                        "oa": o / a if a > 0 else 0.0, "limited": ""}
        moved = 0.0
        cascade = None
        report["extractant"] = (self._extractant(flows, o) if self.static is None and o > 0
                                else float("nan"))
        if a > 0 and o > 0 and self._exchange_possible(flows, x_feed, a, o):
            iso = self._isotherm(flows, x_feed, a, o)
            cascade = countercurrent_cascade(iso, x_feed, y_in, o / a, p.stages,
                                             p.efficiency)
            moved = a * (x_feed - cascade.raffinate) / 1000.0       # t/h into the organic
        moved = float(moved)
        out = flows + moved * self.delta
        short = out < -1e-12 * max(float(flows.sum()), 1e-300)
        if short.any():                                  # a reagent runs short
            ratios = flows[short] / -(moved * self.delta[short])
            worst = int(np.argmin(ratios))
            j = int(np.flatnonzero(short)[worst])
            report["limited"] = self.context.table.names[j]
            report["limited_available"] = float(flows[j])
            report["limited_needed"] = float(-moved * self.delta[j])
            report["transfer_asked"] = moved
            moved *= float(ratios[worst])
            out = flows + moved * self.delta
        out = np.maximum(out, 0.0)
        aq_out, org_out = np.where(org, 0.0, out), np.where(org, out, 0.0)
        e = p.entrainment
        to_aq = min(e.organic_in_aqueous * a / o, 1.0) if o > 0 else 0.0
        to_org = min(e.aqueous_in_organic * o / a, 1.0) if a > 0 else 0.0
        aqueous_flows = aq_out * (1.0 - to_org) + org_out * to_aq
        organic_flows = org_out * (1.0 - to_aq) + aq_out * to_org
        aq_port, org_port = self.outlets()
        outlets = {aq_port: mixed.copy_with(flows=aqueous_flows),
                   org_port: mixed.copy_with(flows=organic_flows)}
        report.update(self._figures(x_feed, y_in, moved, a, o, cascade))
        return outlets, report

    def _figures(self, x_feed, y_in, moved, a, o, cascade) -> dict:
        """Concentrations [g/L], transfer [t/h] and percentages of the report."""
        x_out = x_feed - 1000.0 * moved / a if a > 0 else x_feed
        y_out = y_in + 1000.0 * moved / o if o > 0 else y_in
        rep = {f"{self.metal}_transfer": moved, "aqueous_in_gpl": x_feed,
               "aqueous_out_gpl": x_out, "organic_in_gpl": y_in, "organic_out_gpl": y_out}
        if self.params.mode == "extract":
            rep.update(feed_gpl=x_feed, raffinate_gpl=x_out, loaded_organic_gpl=y_out,
                       extraction_percent=100.0 * (x_feed - x_out) / x_feed if x_feed > 0
                       else 0.0)
        else:
            rep.update(rich_electrolyte_gpl=x_out, stripped_organic_gpl=y_out,
                       stripping_percent=100.0 * (y_in - y_out) / y_in if y_in > 0 else 0.0)
        if self.params.extractant_percent is not None:
            rep["net_transfer_gpl_per_vol_percent"] = (abs(y_out - y_in)
                                                        / self.params.extractant_percent)
        if cascade is not None:
            rep["newton_iterations"] = cascade.iterations
            for k, (xk, yk) in enumerate(zip(cascade.aqueous, cascade.organic, strict=True)):
                rep[f"stage_{k + 1}_aqueous_gpl"] = float(xk)
                rep[f"stage_{k + 1}_organic_gpl"] = float(yk)
        return rep

    def verify(self, report: dict) -> None:
        """Fail when the converged inlets leave a phase empty or a reagent short."""
        where = Location(unit=self.name)
        if report["organic_flow"] <= 0 or report["aqueous_flow"] <= 0:
            phase = "organic" if report["organic_flow"] <= 0 else "aqueous"
            raise UnitRunError(f"the O/A ratio is {report['oa']:g}: no {phase} volume enters",
                               location=where, hint=f"connect a stream with {phase} species "
                               "that have a density")
        if report["extractant"] == 0.0:
            raise UnitRunError("the organic carries no extractant", location=where,
                               hint="feed the organic with the extractant species")
        if report["limited"]:
            name = report["limited"]
            raise UnitRunError(
                f"not enough {name} enters: {report['limited_available']:.4g} t/h, the "
                f"stages would transfer {report['transfer_asked']:.4g} t/h of {self.metal} "
                f"and take {report['limited_needed']:.4g} t/h, so "
                f"{report[f'{self.metal}_transfer']:.4g} t/h moves",
                location=Location(unit=self.name, key="isotherm"),
                hint=f"supply {report['limited_needed'] - report['limited_available']:.4g} "
                f"t/h more {name}, or an isotherm that asks for less than the reagents allow")
