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
>>> from flowsheet.unit import Context
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
from typing import Any, Literal

import numpy as np
from pydantic import Field, model_validator

from flowsheet.errors import Location, SchemaError, UnitRunError
from flowsheet.unit import Outcome, Params, Unit
from units.comminution.mills import BALL_ENERGY, SAG_ENERGY
from units.comminution.sabc import SABCResult, sabc_throughput
from units.comminution.size_reduction import COMMINUTION_RANGES
from units.ranges import Range, RangeTable
from units.registry import register

__all__ = ["MODEL_NEEDS", "HARDNESS_COLUMNS", "DENSITY_RANGE", "SABC_RANGES", "Hardness",
           "StagePower",
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

#: Ranges of the circuit's parameters. Hardness: JK A*b 20 (very hard) to 200 and more
#: (very soft), SPI 10-400 min, DWi 1-15 kWh/m3 (Napier-Munn et al., 1996; Morrell, 2004,
#: doi:10.1016/j.mineng.2003.10.005; Starkey and Dobby, 1996, SAG conference); Bond BWi
#: and Morrell Mia and Mib as for the size-by-size mills. The powers are those of a whole
#: stage (several ball mills together); the bounds are judgements.
SABC_RANGES = RangeTable({
    "axb": Range(None, 5, 500, typical=(25, 150)),
    "mia": COMMINUTION_RANGES.mia,
    "bwi": COMMINUTION_RANGES.wi,
    "mib": COMMINUTION_RANGES.mib,
    "sgi": Range(None, 1, 1000, typical=(10, 400), unit="min"),
    "dwi": Range(None, 0.1, 30, typical=(1, 15), unit="kWh/m3"),
    "density": Range("density", *DENSITY_RANGE, typical=(2500, 4500),
                     advice="write '2.7 t/m3' or 2700"),
    "installed_power": Range("power", 10, 2e5, typical=(5000, 60000)),
    "power_use": Range("fraction", 0, 1, low_open=True, typical=(0.85, 0.95)),
    "f80": Range("size", 1000, 2e6, typical=(50000, 200000)),
    "p80": Range("size", 5, 5000, typical=(75, 300)),
    "tph_max": Range("mass_flow", 1, 3e4),
    "t80_max": Range("size", 100, 1e5, typical=(1000, 20000)),
    "k1": Range(None, 0.5, 2, typical=(0.95, 1)),
    "scale": Range(None, 0.1, 10, typical=(0.8, 1.2)),
    "dwi_beta": Range(None, 0, 10, low_open=True),
    "dwi_exponent": Range(None, -5, 5),
    "dwi_phi": Range(None, 30, 100, typical=(70, 80), unit="% of critical speed"),
    "sgi_k": Range(None, 0.01, 100, typical=(2, 10)),
    "sgi_n": Range(None, 0.05, 3, typical=(0.4, 0.7)),
    "m": Range(None, 0.3, 4, typical=(0.7, 1.5)),
})
_R = SABC_RANGES


class Hardness(Params):
    """Ore hardness of the unit's feed; give what the model needs."""

    axb: _R.axb.type() | None = _R.axb.field(None, "JK A x b")
    mia: _R.mia.type() | None = _R.mia.field(None, "Morrell coarse work index")
    bwi: _R.bwi.type() | None = _R.bwi.field(None, "Bond ball-mill work index")
    mib: _R.mib.type() | None = _R.mib.field(None, "Morrell fine work index")
    sgi: _R.sgi.type() | None = _R.sgi.field(None, "SAG grindability index (SPI)")
    dwi: _R.dwi.type() | None = _R.dwi.field(None, "drop-weight index")
    density: _R.density.type() | None = _R.density.field(None, "ore density")


class StagePower(Params):
    """Installed power of a grinding stage [kW] and the fraction of it used."""

    installed_power: _R.installed_power.type() = _R.installed_power.field(
        description="installed power of the stage")
    power_use: _R.power_use.type() = _R.power_use.field(1.0, "fraction of it drawn")


class DwiLaw(Params):
    """Constants of the drop-weight law SE = beta F80^a DWi^b phi^e, phi in % critical."""

    beta: _R.dwi_beta.type() = _R.dwi_beta.field(0.008, "leading constant")
    a: _R.dwi_exponent.type() = _R.dwi_exponent.field(0.3, "exponent of F80")
    b: _R.dwi_exponent.type() = _R.dwi_exponent.field(0.8, "exponent of DWi")
    e: _R.dwi_exponent.type() = _R.dwi_exponent.field(0.5, "exponent of the speed")
    phi: _R.dwi_phi.type() = _R.dwi_phi.field(75.0, "mill speed")


class SgiLaw(Params):
    """Constants of the SGI law SE = k (SGI / sqrt(T80))^n."""

    k: _R.sgi_k.type() = _R.sgi_k.field(5.59, "leading constant")
    n: _R.sgi_n.type() = _R.sgi_n.field(0.55, "exponent")


class SABCPlant(Params):
    """The circuit without its ore: model, powers, sizes, limits and model constants."""

    model: Literal["dwi_bwi", "smc_bwi", "sgi_bwi"] = Field(
        description="SAG energy law: drop-weight (DWi), Morrell SMC (Mia) or SGI")
    sag: StagePower = Field(description="SAG mill power")
    ball: StagePower = Field(description="ball mills' power")
    f80: _R.f80.type() | None = _R.f80.field(
        None, "SAG feed 80 % passing size; the inlet's when omitted (needs a size grid)")
    p80: _R.p80.type() = _R.p80.field(description="circuit product 80 % passing size")
    tph_max: _R.tph_max.type() | None = _R.tph_max.field(None, "hydraulic limit")
    t80_max: _R.t80_max.type() | None = _R.t80_max.field(
        None, "largest transfer size the screen passes")
    k1: _R.k1.type() = _R.k1.field(1.0, "Morrell K1: 0.95 with a pebble crusher")
    scale: _R.scale.type() = _R.scale.field(1.0, "factor on the SAG energy (SMC, SGI models)")
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
    m: _R.m.type() = _R.m.field(1.0, "spread of the Rosin-Rammler product")

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
