r"""Thickener (``thickener``): solids settle to an underflow of set density; the liquor and
everything dissolved in it split between underflow and overflow alike (ideal mixing).

YAML -- the underflow given by exactly one of ``underflow_solids`` (mass fraction of
solids, ``55 %`` or 0.55), ``underflow_density`` (pulp density, ``1.6 t/m3`` or kg/m3) or
``liquid_solids_ratio`` (t of liquor per t of solids)::

    thick1: {type: thickener, underflow_solids: 55 %, overflow_solids: 0.2 %}

Outlets ``underflow`` and ``overflow``. ``overflow_solids`` is the fraction of the feed
solids (every solid species alike) carried over (default 0: a clear overflow). With the
underflow solids :math:`S_u`, the liquor ratio :math:`r = (1 - C_w)/C_w` and the feed
liquor :math:`L`, the fraction :math:`\phi = \min(1, r S_u / L)` of every non-solid
species reports to the underflow. A feed thicker than the underflow keeps all its liquor
(:math:`\phi = 1`) and the report's ``underflow_solids`` shows the thicker pulp.

:math:`\phi` depends on the feed's solids-to-liquor ratio, so the unit is not linear in
its inlet and exposes no :meth:`~flowsheet.unit.Unit.transfer`; a train of thickeners is
converged by the recycle solver (or solved at once by ``ccd_train``,
:mod:`units.hydro.washing`). A pulp density is turned into :math:`C_w` with the feed's
mean solids density and the density of its liquor (:func:`solids_fraction_from_density`).

>>> from flowsheet.species import SpeciesTable
>>> from flowsheet.stream import Stream
>>> from flowsheet.unit import Context
>>> t = SpeciesTable.from_declarations([{"name": "water"}, {"name": "quartz"}])
>>> th = Thickener.from_config("t", {"underflow_solids": "50 %"}, Context(t))
>>> out, rep = th.run({"in": [Stream(t, [300.0, 100.0])]})
>>> out["underflow"].flows.round(9).tolist(), out["overflow"].flows.round(9).tolist()
([100.0, 100.0], [200.0, 0.0])
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from pydantic import model_validator

from flowsheet.errors import Location, UnitRunError
from flowsheet.stream import Stream
from flowsheet.unit import Outcome, Params, Unit
from units.ranges import Range, RangeTable
from units.registry import register

__all__ = ["UNDERFLOW_RANGES", "pulp_density", "solids_fraction_from_density",
           "liquid_solids_ratio", "UnderflowParams", "ThickenerParams", "Thickener",
           "mean_densities", "check_underflow", "UNDERFLOW_TOLERANCE"]

#: Relative excess of the underflow's % solids over the one asked that fails a converged
#: solve: the feed holds too little liquor to make the underflow as dilute as asked.
UNDERFLOW_TOLERANCE = 0.005


def pulp_density(cw: ArrayLike, rho_s: ArrayLike, rho_l: ArrayLike) -> np.ndarray:
    r"""Density of a pulp [kg/m3] from its solids mass fraction :math:`C_w` [-]:

    .. math:: \rho_m = \left(\frac{C_w}{\rho_s} + \frac{1 - C_w}{\rho_l}\right)^{-1}

    (volumes add). Engineering ToolBox, "Slurry Density": :math:`C_w` = 30 %,
    :math:`\rho_s` = 2500, :math:`\rho_l` = 1000 kg/m3 give 1219.5 kg/m3.

    >>> round(float(pulp_density(0.30, 2500.0, 1000.0)), 1)
    1219.5
    """
    cw = np.asarray(cw, dtype=float)
    return 1.0 / (cw / np.asarray(rho_s, dtype=float) + (1.0 - cw) / np.asarray(rho_l))


def solids_fraction_from_density(rho_m: ArrayLike, rho_s: ArrayLike, rho_l: ArrayLike
                                 ) -> np.ndarray:
    r"""Solids mass fraction [-] of a pulp of density :math:`\rho_m` (inverse of
    :func:`pulp_density`):

    .. math:: C_w = \frac{\rho_s (\rho_m - \rho_l)}{\rho_m (\rho_s - \rho_l)}

    >>> round(float(solids_fraction_from_density(1219.5122, 2500.0, 1000.0)), 6)
    0.3
    """
    rho_m, rho_s = np.asarray(rho_m, dtype=float), np.asarray(rho_s, dtype=float)
    return rho_s * (rho_m - rho_l) / (rho_m * (rho_s - rho_l))


def liquid_solids_ratio(cw: ArrayLike) -> np.ndarray:
    r"""Liquor per unit of solids :math:`(1 - C_w)/C_w` [t/t], the "dilution" of a pulp.

    goldmetallurgy.com, "Determination of circulating load": 58 % solids is a dilution
    of 0.724.

    >>> round(float(liquid_solids_ratio(0.58)), 3)
    0.724
    """
    cw = np.asarray(cw, dtype=float)
    return (1.0 - cw) / cw


def mean_densities(stream: Stream) -> tuple[float, float]:
    """Mass-weighted (volume-additive) densities of the solids and of the liquor
    [kg/m3] of ``stream``, over the species with a density (NaN when none has one)."""
    table = stream.table
    dens = table.densities
    known = ~np.isnan(dens) & (np.array(table.phases) != "gas")
    result = []
    for mask in (table.solid_mask, ~table.solid_mask):
        sel = mask & known
        mass = float(stream.flows[sel].sum())
        volume = float(np.sum(stream.flows[sel] / dens[sel]))
        result.append(mass / volume if volume > 0 else float("nan"))
    return result[0], result[1]


#: Ranges of a thickener's underflow: 40-70 % solids (paste to 75 %), a pulp density of
#: 1,300-2,000 kg/m3, an overflow of at most some hundreds of ppm of the feed solids
#: (Concha, *Solid-Liquid Separation in the Mining Industry*, Springer 2014, ch. 9; CCD
#: washing practice in Schlesinger et al., 2011). The bounds are judgements.
UNDERFLOW_RANGES = RangeTable({
    "underflow_solids": Range("fraction", 0, 1, low_open=True, high_open=True,
                              typical=(0.4, 0.7)),
    "underflow_density": Range("density", 1000, 5000, low_open=True, typical=(1300, 2000)),
    "liquid_solids_ratio": Range(None, 0, 20, typical=(0.4, 1.5), unit="t/t"),
    "overflow_solids": Range("fraction", 0, 0.5, high_open=True, typical=(0, 0.01)),
    "stages": Range(None, 1, 20, typical=(3, 8), integer=True),
})
_R = UNDERFLOW_RANGES


class UnderflowParams(Params):
    """The underflow: exactly one of three ways of giving its density."""

    underflow_solids: _R.underflow_solids.type() | None = _R.underflow_solids.field(
        None, "solids mass fraction of the underflow")
    underflow_density: _R.underflow_density.type() | None = _R.underflow_density.field(
        None, "pulp density of the underflow")
    liquid_solids_ratio: _R.liquid_solids_ratio.type() | None = _R.liquid_solids_ratio.field(
        None, "liquor per solids in the underflow")
    overflow_solids: _R.overflow_solids.type() = _R.overflow_solids.field(
        0.0, "fraction of the feed solids carried to the overflow")

    @model_validator(mode="after")
    def _check(self):
        given = [k for k in ("underflow_solids", "underflow_density", "liquid_solids_ratio")
                 if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of underflow_solids, underflow_density, "
                             f"liquid_solids_ratio (got {', '.join(given) or 'none'})")
        return self

    def ratio(self, stream: Stream) -> float:
        """Liquor per solids of the underflow [t/t] for the solids and liquor of
        ``stream``; a density outside (liquor, solids) raises ValueError."""
        if self.liquid_solids_ratio is not None:
            return self.liquid_solids_ratio
        if self.underflow_solids is not None:
            return float(liquid_solids_ratio(self.underflow_solids))
        rho_s, rho_l = mean_densities(stream)
        if not (np.isfinite(rho_s) and np.isfinite(rho_l)):
            raise ValueError("underflow_density needs the densities of the solids and of "
                             "the liquor: declare them on the species")
        if not rho_l < self.underflow_density < rho_s:
            raise ValueError(f"underflow_density {self.underflow_density:g} kg/m3 is not "
                             f"between the liquor ({rho_l:.0f}) and the solids "
                             f"({rho_s:.0f} kg/m3)")
        return float(liquid_solids_ratio(solids_fraction_from_density(
            self.underflow_density, rho_s, rho_l)))


def check_underflow(unit: str, params: UnderflowParams, report: dict) -> None:
    """Fail when the converged underflow is thicker than asked: the feed brought too
    little liquor (``report`` holds ``underflow_solids`` [%] and ``liquid_solids_ratio``).

    >>> check_underflow("t", ThickenerParams(underflow_solids=0.5),
    ...                 {"underflow_solids": 50.0, "liquid_solids_ratio": 1.0})
    """
    ratio, got = report.get("liquid_solids_ratio", 0.0), report.get("underflow_solids", 0.0)
    if not ratio > 0 or not got > 0:
        return
    asked = 100.0 / (1.0 + ratio)
    if got > asked * (1.0 + UNDERFLOW_TOLERANCE):
        key = next(k for k in ("underflow_solids", "underflow_density", "liquid_solids_ratio")
                   if getattr(params, k) is not None)
        raise UnitRunError(
            f"the underflow leaves at {got:.4g} % solids, not the {asked:.4g} % asked "
            f"(liquor/solids {(100.0 - got) / got:.4g} t/t, not {ratio:.4g}): the feed holds "
            "too little liquor to dilute it", location=Location(unit=unit,
                                                                         key=key),
            hint="add water ahead of the unit, or ask for a thicker underflow")


class ThickenerParams(UnderflowParams):
    """Parameters of a thickener (see the module docstring)."""


@register("thickener")
class Thickener(Unit):
    """A thickener: outlets ``underflow`` and ``overflow``."""

    Params = ThickenerParams
    outlet_ports = ("underflow", "overflow")
    report_units = {"underflow_solids": "%", "liquid_solids_ratio": "1",
                    "liquor_to_underflow": "1", "overflow_solids_flow": "t/h",
                    "underflow_flow": "t/h", "overflow_flow": "t/h"}

    def _run(self, inlets: dict[str, Stream]) -> Outcome:
        feed = inlets["in"]
        solid = self.context.table.solid_mask
        solids, liquor = feed.solids, feed.liquids
        ratio = self.params.ratio(feed) if solids > 0 else 0.0
        kept = 1.0 - self.params.overflow_solids
        phi = min(1.0, ratio * kept * solids / liquor) if liquor > 0 else 0.0
        to_under = np.where(solid, kept, phi)
        under, over = feed.scaled(to_under), feed.scaled(1.0 - to_under)
        report = {"underflow_solids": under.percent_solids if under.total > 0 else 0.0,
                  "liquid_solids_ratio": ratio, "liquor_to_underflow": phi,
                  "overflow_solids_flow": over.solids, "underflow_flow": under.total,
                  "overflow_flow": over.total}
        return {"underflow": under, "overflow": over}, report

    def verify(self, report: dict) -> None:
        """Fail when the feed is thicker than the underflow asked (:func:`check_underflow`)."""
        check_underflow(self.name, self.params, report)
