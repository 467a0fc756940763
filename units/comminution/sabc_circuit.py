"""SABC circuit: a SAG mill and ball mills as one capacity unit, sized by ore hardness.

YAML::

    mill:
      type: sabc_circuit
      model: smc_bwi                       # dwi_bwi | smc_bwi | sgi_bwi
      hardness: {mia: 22, bwi: 15}         # axb or mia; bwi or mib; sgi; dwi; density
      sag:  {installed_power: 24 MW, power_use: 0.896}
      ball: {installed_power: 32.8 MW, power_use: 0.917}
      f80: 71.273 mm                       # optional with a size grid: the inlet's F80
      p80: 229 um
      tph_max: 4058 t/h
      t80_max: 19.783 mm
      k1: 0.95

The unit passes its inlet through unchanged in mass and reports what the circuit can
treat: ``capacity_tph``, the transfer and product sizes ``t80`` and ``p80`` [um], what
limits it (``limit``: ``sag``, ``ball``, ``t80_max`` or ``tph_max``), the specific energies
``se_sag`` and ``se_ball`` [kWh/t], the power drawn ``sag_kw`` and ``ball_kw`` [kW] at
capacity, the ``f80`` used, and ``utilisation`` = inlet solids / capacity. Above 1 (by
more than :data:`CAPACITY_TOLERANCE`) the feed exceeds what the circuit can grind to
``p80``: trial solves of a design spec may pass through such a feed, a converged solve
fails with the feed, the capacity and what limits it. The physics is
:func:`units.comminution.sabc.sabc_throughput`.

With a size grid, every solid leaves with a Rosin-Rammler distribution whose P80 is the
computed ``p80`` and whose spread is ``m`` (default 1.0, typical of ball-mill cyclone
overflow); the product size is the one at capacity.

Hardness needed by each model (:data:`MODEL_NEEDS`): ``dwi_bwi`` DWi [kWh/m3], or A*b and
the ore density (DWi = 100 SG / A*b, see
:func:`units.comminution.energy.drop_weight_index`); ``smc_bwi`` Mia [kWh/t], or A*b
(Mia from :func:`units.comminution.energy.mia_from_axb`); ``sgi_bwi`` SGI [min]; and for
the ball mills BWi [kWh/t] (``ball_model: bond``) or Mib [kWh/t] (``ball_model:
morrell``). The constants of the SAG laws sit in ``dwi_law: {beta, a, b, e, phi}`` and
``sgi_law: {k, n}``; ``scale`` multiplies the SAG energy of the SMC and SGI models.

>>> from flowsheet.species import SpeciesTable
>>> from flowsheet.stream import Stream
>>> from units.base import Context
>>> table = SpeciesTable.from_declarations([{"name": "water"},
...                                         {"name": "quartz"}])
>>> unit = SABCCircuit.from_config("mill", {
...     "model": "smc_bwi", "hardness": {"mia": 22, "bwi": 15},
...     "sag": {"installed_power": "24 MW", "power_use": 21507 / 24000},
...     "ball": {"installed_power": "32.8 MW", "power_use": 30084 / 32800},
...     "f80": "71273 um", "p80": "229 um", "tph_max": 4058, "t80_max": "19783 um",
...     "k1": 0.95}, Context(table))
>>> outlets, report = unit.run({"in": [Stream(table, [1500.0, 3500.0])]})
>>> outlets["out"].flows.tolist()
[1500.0, 3500.0]
>>> round(report["capacity_tph"]), report["limit"], round(report["utilisation"], 3)
(3948, 'ball', 0.887)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import AfterValidator, Field, model_validator

from flowsheet.errors import Location, SchemaError, UnitRunError
from flowsheet.quantities import quantity
from units.base import Outcome, Params, Unit
from units.comminution.mills import BALL_ENERGY, SAG_ENERGY
from units.comminution.sabc import SABCResult, sabc_throughput
from units.registry import register

__all__ = ["MODEL_NEEDS", "HARDNESS_COLUMNS", "DENSITY_RANGE", "Hardness", "StagePower",
           "DwiLaw", "SgiLaw", "SABCPlant", "SABCCircuitParams", "SABCCircuit",
           "missing_hardness", "needs_text", "hardness_inputs", "CAPACITY_TOLERANCE"]

#: Relative excess of the feed over the circuit's capacity that fails a converged solve.
CAPACITY_TOLERANCE = 0.005

_LIMITS = {"sag": "the SAG mill's power", "ball": "the ball mills' power",
           "t80_max": "the transfer size limit t80_max", "tph_max": "tph_max"}

#: For each SAG model, the alternative sets of hardness inputs of the SAG stage.
MODEL_NEEDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "dwi_bwi": (("dwi",), ("axb", "density")),
    "smc_bwi": (("mia",), ("axb",)),
    "sgi_bwi": (("sgi",),),
}

#: The ball-stage index of each ball-mill law.
BALL_INDEX = {"bond": "bwi", "morrell": "mib"}

#: Every hardness input a block or a unit may give.
HARDNESS_COLUMNS = ("axb", "mia", "bwi", "mib", "sgi", "dwi", "density")

#: Accepted ore density [kg/m3]: a value below is most likely in t/m3.
DENSITY_RANGE = (1000.0, 10000.0)


def _positive(value: float | None) -> float | None:
    if value is not None and not value > 0:
        raise ValueError(f"must be positive, got {value:g}")
    return value


def _fraction_of_one(value: float) -> float:
    if not 0 < value <= 1:
        raise ValueError(f"power_use must be a fraction in (0, 1], got {value:g}")
    return value


def _density(value: float | None) -> float | None:
    low, high = DENSITY_RANGE
    if value is not None and not low <= value <= high:
        raise ValueError(f"density must lie in {low:g}..{high:g} kg/m3, got {value:g} "
                         "(write '2.7 t/m3' or 2700)")
    return value


Positive = Annotated[float, AfterValidator(_positive)]
Power = Annotated[quantity("power"), AfterValidator(_positive)]
Size = Annotated[quantity("size"), AfterValidator(_positive)]
Index = Annotated[quantity("specific_energy"), AfterValidator(_positive)]


class Hardness(Params):
    """Ore hardness of the unit's feed; give what the model needs."""

    axb: Positive | None = None
    mia: Index | None = None
    bwi: Index | None = None
    mib: Index | None = None
    sgi: Positive | None = None
    dwi: Positive | None = None
    density: Annotated[quantity("density"), AfterValidator(_density)] | None = None


class StagePower(Params):
    """Installed power of a grinding stage [kW] and the fraction of it used."""

    installed_power: Power
    power_use: Annotated[quantity("fraction"), AfterValidator(_fraction_of_one)] = 1.0


class DwiLaw(Params):
    """Constants of the drop-weight law SE = beta F80^a DWi^b phi^e, phi in % critical."""

    beta: Positive = 0.008
    a: float = 0.3
    b: float = 0.8
    e: float = 0.5
    phi: Positive = 75.0

    @model_validator(mode="after")
    def _speed(self):
        if self.phi > 100:
            raise ValueError(f"phi is a % of critical speed, at most 100, got {self.phi:g}")
        return self


class SgiLaw(Params):
    """Constants of the SGI law SE = k (SGI / sqrt(T80))^n."""

    k: Positive = 5.59
    n: Positive = 0.55


class SABCPlant(Params):
    """The circuit without its ore: model, powers, sizes, limits and model constants."""

    model: Literal["dwi_bwi", "smc_bwi", "sgi_bwi"] = Field(
        description="SAG energy law: drop-weight (DWi), Morrell SMC (Mia) or SGI")
    sag: StagePower = Field(description="SAG mill power")
    ball: StagePower = Field(description="ball mills' power")
    f80: Size | None = Field(None, description="SAG feed 80 % passing size [um]; the "
                                               "inlet's when omitted (needs a size grid)")
    p80: Size = Field(description="circuit product 80 % passing size [um]")
    tph_max: Annotated[quantity("mass_flow"), AfterValidator(_positive)] | None = Field(
        None, description="hydraulic limit [t/h]")
    t80_max: Size | None = Field(None, description="largest transfer size the screen "
                                                   "passes [um]")
    k1: Positive = Field(1.0, description="Morrell K1: 0.95 with a pebble crusher")
    scale: Positive = Field(1.0, description="factor on the SAG energy (SMC, SGI models)")
    dwi_law: DwiLaw = DwiLaw()
    sgi_law: SgiLaw = SgiLaw()
    ball_model: Literal["bond", "morrell"] = Field(
        "bond", description="ball-mill law: Bond with BWi, or Morrell with Mib")

    @model_validator(mode="after")
    def _sizes_in_order(self):
        if self.f80 is not None and not self.p80 < self.f80:
            raise ValueError(f"'p80' ({self.p80:g} um) must be smaller than 'f80' "
                             f"({self.f80:g} um)")
        if self.t80_max is not None and not self.p80 < self.t80_max:
            raise ValueError(f"'t80_max' ({self.t80_max:g} um) must be larger than 'p80' "
                             f"({self.p80:g} um)")
        return self

    def throughput_kwargs(self, f80: float | None = None) -> dict[str, Any]:
        """Keyword arguments of :func:`sabc_throughput` except the model and hardness.

        ``f80`` [um] replaces the parameter (needed when the parameter is not given).
        """
        f80 = self.f80 if f80 is None else f80
        if f80 is None:
            raise SchemaError("the circuit needs 'f80' [um]", location=Location(key="f80"))
        return dict(f80=f80, p80=self.p80, sag_power_kw=self.sag.installed_power,
                    sag_power_use=self.sag.power_use, ball_power_kw=self.ball.installed_power,
                    ball_power_use=self.ball.power_use,
                    tph_max=math.inf if self.tph_max is None else self.tph_max,
                    t80_max=math.inf if self.t80_max is None else self.t80_max,
                    k1=self.k1, phi=self.dwi_law.phi, beta=self.dwi_law.beta,
                    a=self.dwi_law.a, b=self.dwi_law.b, e=self.dwi_law.e,
                    sgi_k=self.sgi_law.k, sgi_n=self.sgi_law.n, scale=self.scale,
                    ball_model=self.ball_model)


def needs_text(model: str, ball_model: str = "bond") -> str:
    """What ``model`` needs, in words.

    >>> needs_text("dwi_bwi")
    'dwi (or axb and density), and bwi'
    """
    first, *others = (" and ".join(group) for group in MODEL_NEEDS[model])
    sag = f"{first} (or {' or '.join(others)})" if model == "dwi_bwi" else " or ".join(
        [first, *others])
    return f"{sag}, and {BALL_INDEX[ball_model]}"


def missing_hardness(model: str, ball_model: str, available: set[str]) -> str | None:
    """The first input ``model`` lacks from ``available``, or None when it has them all.

    >>> missing_hardness("smc_bwi", "bond", {"axb"})
    'bwi'
    >>> missing_hardness("dwi_bwi", "bond", {"axb", "bwi"})
    'dwi'
    """
    if not any(set(group) <= available for group in MODEL_NEEDS[model]):
        return MODEL_NEEDS[model][0][0]
    ball = BALL_INDEX[ball_model]
    return None if ball in available else ball


def hardness_inputs(model: str, ball_model: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The hardness arguments of :func:`sabc_throughput` from what ``values`` gives.

    Mia is preferred to A*b, and DWi to A*b with density, where both are given; DWi from
    A*b uses DWi = 100 SG / (A*b) with SG = density / 1000 [t/m3] (Morrell 2004, see
    :func:`units.comminution.energy.drop_weight_index`). Values may be arrays.

    >>> hardness_inputs("dwi_bwi", "bond", {"axb": 40.0, "density": 2700.0, "bwi": 15.0})
    {'dwi': 6.75, 'bwi': 15.0}
    """
    given = {k for k, v in values.items() if v is not None}
    lacking = missing_hardness(model, ball_model, given)
    if lacking is not None:
        raise SchemaError(f"the {model} model needs {needs_text(model, ball_model)}",
                          location=Location(key=f"hardness.{lacking}"))
    out: dict[str, Any] = {}
    if model == "smc_bwi":
        out["mia" if "mia" in given else "axb"] = values["mia" if "mia" in given else "axb"]
    elif model == "sgi_bwi":
        out["sgi"] = values["sgi"]
    elif "dwi" in given:
        out["dwi"] = values["dwi"]
    else:
        density = np.asarray(values["density"], dtype=float)
        out["dwi"] = 100.0 * (density / 1000.0) / np.asarray(values["axb"], dtype=float)
        if out["dwi"].ndim == 0:
            out["dwi"] = float(out["dwi"])
    ball = BALL_INDEX[ball_model]
    out[ball] = values[ball]
    return out


class SABCCircuitParams(SABCPlant):
    """Parameters of the ``sabc_circuit`` unit: the plant, the ore and the product spread."""

    hardness: Hardness = Field(description="ore hardness the model needs")
    m: Positive = Field(1.0, description="spread of the Rosin-Rammler product")

    @model_validator(mode="after")
    def _model_has_its_indices(self):
        given = {k for k, v in self.hardness.model_dump().items() if v is not None}
        lacking = missing_hardness(self.model, self.ball_model, given)
        if lacking is not None:
            raise ValueError(f"'hardness' lacks {lacking}: the {self.model} model needs "
                             f"{needs_text(self.model, self.ball_model)}")
        return self


@register("sabc_circuit")
class SABCCircuit(Unit):
    """A SAG mill and ball mills treated as one capacity: material passes through."""

    Params = SABCCircuitParams
    report_units = {"f80": "um", "capacity_tph": "t/h", "t80": "um", "p80": "um",
                    "se_sag": "kWh/t", "se_ball": "kWh/t", "sag_kw": "kW", "ball_kw": "kW",
                    "utilisation": "1"}
    validity = {"se_sag": SAG_ENERGY, "se_ball": BALL_ENERGY}

    def setup(self) -> None:
        p = self.params
        if p.f80 is None and self.context.grid is None:
            raise SchemaError("the circuit needs 'f80' when the flowsheet has no size grid "
                              "to read the inlet's F80 from", location=Location(key="f80"))
        self._fixed = self.capacity(p.f80) if p.f80 is not None else None

    def capacity(self, f80: float | None = None) -> SABCResult:
        """The circuit's throughput at feed size ``f80`` [um] (the parameter by default)."""
        p = self.params
        hardness = hardness_inputs(p.model, p.ball_model, p.hardness.model_dump())
        return sabc_throughput(p.model, **p.throughput_kwargs(f80), **hardness)

    def _run(self, inlets: dict[str, Any]) -> Outcome:
        feed = inlets["in"]
        result, f80 = self._fixed, self.params.f80
        if result is None:
            f80 = feed.p80
            if not f80 > 0:
                raise UnitRunError("the inlet carries no solids, so its F80 is unknown: give "
                                   "'f80'", location=Location(unit=self.name, key="f80"))
            try:
                result = self.capacity(f80)
            except SchemaError as err:
                raise UnitRunError(f"at the inlet's F80 of {f80:.6g} um: {err.message}",
                                   location=Location(unit=self.name)) from None
        psd = feed.psd
        if psd is not None:
            from flowsheet.sizes import rosin_rammler

            psd = psd.copy()
            carried = feed.flows[feed.table.solid_index] > 0
            psd[carried] = rosin_rammler(feed.grid, result.p80, self.params.m)
        report = {"f80": float(f80), "capacity_tph": result.tph, "t80": result.t80,
                  "p80": result.p80, "limit": result.limit, "se_sag": result.se_sag,
                  "se_ball": result.se_ball, "sag_kw": result.sag_kw,
                  "ball_kw": result.ball_kw, "utilisation": feed.solids / result.tph}
        return {"out": feed.copy_with(psd=psd)}, report

    def verify(self, report: dict[str, Any]) -> None:
        """Fail when the converged feed exceeds what the circuit grinds to ``p80``."""
        if report["utilisation"] > 1.0 + CAPACITY_TOLERANCE:
            cap = report["capacity_tph"]
            raise UnitRunError(
                f"{report['utilisation'] * cap:,.0f} t/h of solids enters; the circuit grinds "
                f"{cap:,.0f} t/h to P80 {report['p80']:.4g} um, limited by "
                f"{_LIMITS.get(report['limit'], report['limit'])} (utilisation "
                f"{report['utilisation']:.3g})", location=Location(unit=self.name),
                hint=f"feed at most {cap:,.0f} t/h, or vary the feed with a design spec "
                f"until {self.name}.utilisation equals 1")
