r"""Hydrocyclone cluster (``hydrocyclone``): ``count`` equal cyclones by Plitt's model.

The feed pulp is shared equally by the cyclones
(:func:`~units.classification.plitt.flow_per_cyclone`); Plitt's model
(:func:`~units.classification.plitt.plitt_cyclone`) then gives, from the cyclone's
dimensions and the flow, % solids and solids density of its feed, the corrected cut size
:math:`d_{50c}`, the pressure drop, the fraction :math:`R_v` of the feed pulp volume to the
underflow and the sharpness :math:`m`.

* **Each mineral has its own cut.** The cut size falls with the density of the solids as
  :math:`(\rho_s - \rho_l)^{-0.5}`: Plitt's model is evaluated for each solid species with
  its own density (from the species table) at the actual solids volume fraction of the pulp,
  so a dense sulfide reports to the underflow at a finer size than quartz. The cluster's
  pressure, split and sharpness are those of the pulp, with the solids' mean density.
* **Partition.** Whiten's efficiency curve
  (:func:`~units.classification.efficiency.whiten_efficiency`) at each class's midpoint
  with the species' :math:`d_{50c}`, sharpness ``alpha`` (default: from Plitt's :math:`m`,
  :func:`whiten_alpha_from_plitt`), an optional fish hook ``beta``, and a bypass of fines
  to the underflow :math:`R_f` equal to the water recovery.
* **Water.** The water, and everything else that is not a solid, reports to the underflow
  in the fraction :math:`R_v` (or ``water_recovery`` when given): Plitt's volume split is
  read as the water recovery, the usual simplification.

Dimensions are lengths (a bare number is in m; ``33 in`` and ``84 cm`` are read). When not
given, they follow the proportions of Plitt's standard cyclone: inlet 0.25, vortex finder
0.35, apex 0.15 and free vortex height 2.5 times the diameter. The leading constants of
Plitt's four equations are multiplied by ``d50_factor``, ``pressure_factor``,
``split_factor`` and ``sharpness_factor``, the factors a plant survey calibrates.

The report holds ``d50c`` [um] of all solids and ``d50c_<species>`` of each, ``pressure``
[kPa], ``flow_per_cyclone`` [m3/h] (the engine's unit of liquid volume flow; Plitt's
equations take it in L/min inside), ``feed_volume`` [m3/h], ``rv``, ``water_recovery``,
``alpha``, ``sharpness`` (Plitt's m), ``solids_volume`` [%], ``percent_solids`` of feed and
underflow, and ``circulating_load``: underflow over overflow solids [-], the circulating
load of a closed circuit whose product is the overflow.

>>> from flowsheet.species import SpeciesTable
>>> from flowsheet.sizes import SizeGrid, rosin_rammler
>>> from flowsheet.stream import Stream
>>> from flowsheet.unit import Context
>>> t = SpeciesTable.from_declarations([{"name": "water"}, {"name": "quartz"}])
>>> g = SizeGrid.geometric(2000, 10)
>>> cyc = Hydrocyclone.from_config("c", {"count": 1, "diameter": "25.4 cm",
...     "inlet": "6.4 cm", "vortex_finder": "8.9 cm", "apex": "3.8 cm",
...     "height": "63.5 cm"}, Context(t, g))
>>> psd = rosin_rammler(g, 300.0, 1.0)[None, :]
>>> feed = Stream(t, [60.0, 40.0], psd=psd, grid=g)
>>> out, report = cyc.run({"in": [feed]})
>>> round(report["flow_per_cyclone"], 1), round(report["d50c"], 1)
(75.3, 85.5)
>>> bool(out["overflow"].p80 < feed.p80 < out["underflow"].p80)
True
"""

from __future__ import annotations

import inspect
import math
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike
from pydantic import model_validator

from flowsheet.errors import Location, SchemaError, UnitRunError
from flowsheet.stream import Stream
from flowsheet.unit import Outcome, Params, Unit
from flowsheet.validity import UsualRange
from units.classification.efficiency import whiten_efficiency
from units.classification.plitt import PLITT_RANGES, flow_per_cyclone, plitt_cyclone
from units.classification.size_split import size_split
from units.ranges import Range, RangeTable
from units.registry import register

__all__ = ["HydrocycloneParams", "Hydrocyclone", "whiten_alpha_from_plitt",
           "STANDARD_PROPORTIONS", "VALIDITY", "CYCLONE_RANGES", "MAX_FLOW_PER_CYCLONE"]

#: Dimensions of Plitt's standard cyclone as fractions of its diameter [-].
STANDARD_PROPORTIONS = {"inlet": 0.25, "vortex_finder": 0.35, "apex": 0.15, "height": 2.5}

#: Usual ranges of the report. Grinding-circuit cyclones run at a feed pressure of a few
#: tens to a couple of hundred kPa; far above it the cluster is undersized (too few or too
#: small cyclones for the pulp), far below it the cyclone barely classifies.
VALIDITY = {
    "pressure": UsualRange(40.0, 250.0, "kPa", "B. A. Wills and J. A. Finch, Wills' Mineral "
                      "Processing Technology, 8th ed., Elsevier, 2016, ch. 9 "
                      "(hydrocyclones); A. L. Mular and R. B. Jull, 'The selection of cyclone "
                      "classifiers, pumps and pump boxes for grinding circuits', Mineral "
                      "Processing Plant Design, AIME, 1980 (figure not re-read in the "
                      "sources)"),
}

#: Leading constants of Plitt's equations, as :func:`plitt_cyclone` defines them.
_PLITT_CONSTANTS = {name: p.default for name, p in
                    inspect.signature(plitt_cyclone).parameters.items()
                    if name in ("k_d50", "k_p", "k_s", "k_m")}

#: Density of the liquid in Plitt's model [t/m3].
_RHO_LIQUID = 1.0

#: Ranges of the cluster's parameters; dimensions in m. Industrial cyclones run from
#: 10 mm desliming cyclones to about 1.4 m (Weir Cavex 1400, FLSmidth Krebs gMAX 33 in is
#: the usual grinding size); their openings are fractions of the diameter (Plitt's standard
#: cyclone: inlet 0.25, vortex finder 0.35, apex 0.15, free vortex height 2.5 diameters;
#: Napier-Munn et al., *Mineral Comminution Circuits*, JKMRC 1996, ch. 12). Whiten's
#: sharpness of plant cyclones is 1 to 6. The bounds are judgements.
CYCLONE_RANGES = RangeTable({
    "count": Range(None, 1, 500, typical=(2, 24), integer=True),
    "diameter": Range("length", 0.01, 2.5, typical=(0.25, 0.84)),
    "inlet": Range("length", 0.002, 1.5, typical=(0.06, 0.3)),
    "vortex_finder": Range("length", 0.002, 1.5, typical=(0.08, 0.35)),
    "apex": Range("length", 0.001, 1.0, typical=(0.03, 0.2)),
    "height": Range("length", 0.01, 10, typical=(0.6, 2.5)),
    "alpha": Range(None, 0, 50, low_open=True, typical=(1, 6)),
    "beta": Range(None, 0, 10, typical=(0, 2)),
    "water_recovery": Range("fraction", 0, 1, high_open=True, typical=(0.2, 0.5)),
    "factor": Range(None, 0.05, 20, typical=(0.5, 2)),
})
_R = CYCLONE_RANGES

#: Largest feed flow of one cyclone that Plitt's model evaluates [m3/h].
MAX_FLOW_PER_CYCLONE = PLITT_RANGES["q"].high * 60.0 / 1000.0

def whiten_alpha_from_plitt(m: ArrayLike) -> float:
    r"""Whiten's sharpness :math:`\alpha` equivalent to Plitt's sharpness ``m`` [-].

    Plitt's corrected curve :math:`1 - \exp(-\ln 2\,x^m)` and Whiten's
    :math:`(e^{\alpha x} - 1)/(e^{\alpha x} + e^{\alpha} - 2)` (:math:`x = d/d_{50c}`) both
    pass through 1/2 at the cut; :math:`\alpha` is chosen so that they also have the same
    slope there,

    .. math:: \frac{\alpha}{4\,(1 - e^{-\alpha})} = \frac{\ln 2}{2}\, m,

    solved by Brent's method. Whiten's slope at the cut is never below 1/4, so an
    ``m`` under :math:`1/(2 \ln 2) = 0.72` gives the flattest curve accepted,
    :math:`\alpha = 10^{-3}`; :math:`\alpha` is at most 50.

    Parameters
    ----------
    m : float
        Plitt's sharpness [-], > 0.

    Returns
    -------
    float
        :math:`\alpha` [-].

    Examples
    --------
    Plitt's 10-inch example has m = 2.98; the matched Whiten curve has the same slope at
    the cut, checked here on :func:`whiten_efficiency` itself:

    >>> a = whiten_alpha_from_plitt(2.9848)
    >>> round(a, 3)
    4.067
    >>> h = 1e-6
    >>> slope = (whiten_efficiency(1 + h, 1.0, a) - whiten_efficiency(1 - h, 1.0, a)) / 2 / h
    >>> round(float(slope), 5), round(math.log(2) / 2 * 2.9848, 5)
    (1.03445, 1.03445)
    """
    target = math.log(2.0) / 2.0 * float(m)

    def gap(alpha: float) -> float:
        return alpha / (4.0 * -math.expm1(-alpha)) - target

    lo, hi = 1e-3, 50.0
    if gap(lo) >= 0.0:
        return lo
    if gap(hi) <= 0.0:
        return hi
    from scipy.optimize import brentq

    return brentq(gap, lo, hi, xtol=1e-14, rtol=4 * np.finfo(float).eps, maxiter=200)


class HydrocycloneParams(Params):
    """Parameters of a cluster of hydrocyclones (see the module docstring)."""

    model: Literal["plitt"] = "plitt"
    count: _R.count.type() = _R.count.field(description="cyclones operating")
    diameter: _R.diameter.type() = _R.diameter.field(description="inside diameter of one "
                                                     "cyclone")
    inlet: _R.inlet.type() | None = _R.inlet.field(None, "inlet diameter")
    vortex_finder: _R.vortex_finder.type() | None = _R.vortex_finder.field(
        None, "vortex finder diameter")
    apex: _R.apex.type() | None = _R.apex.field(None, "apex (spigot) diameter")
    height: _R.height.type() | None = _R.height.field(None, "free vortex height")
    alpha: _R.alpha.type() | None = _R.alpha.field(None, "Whiten sharpness; default from "
                                                   "Plitt's m")
    beta: _R.beta.type() = _R.beta.field(0.0, "fish-hook parameter")
    water_recovery: _R.water_recovery.type() | None = _R.water_recovery.field(
        None, "water to the underflow; default Plitt's Rv")
    d50_factor: _R.factor.type() = _R.factor.field(1.0, "factor on Plitt's cut size")
    pressure_factor: _R.factor.type() = _R.factor.field(1.0, "factor on Plitt's pressure")
    split_factor: _R.factor.type() = _R.factor.field(1.0, "factor on Plitt's flow split")
    sharpness_factor: _R.factor.type() = _R.factor.field(1.0, "factor on Plitt's sharpness")

    @model_validator(mode="after")
    def _check(self):
        for name in STANDARD_PROPORTIONS:
            size = getattr(self, name)
            if size is not None and name != "height" and size >= self.diameter:
                raise ValueError(f"'{name}' ({size:g} m) must be smaller than the "
                                 f"'diameter' ({self.diameter:g} m)")
        return self

    def dimension_cm(self, name: str) -> float:
        """A dimension [cm], given or from :data:`STANDARD_PROPORTIONS`."""
        size = self.diameter if name == "diameter" else getattr(self, name)
        if size is None:
            size = STANDARD_PROPORTIONS[name] * self.diameter
        return 100.0 * size


@register("hydrocyclone")
class Hydrocyclone(Unit):
    """A cluster of ``count`` hydrocyclones: outlets ``underflow`` and ``overflow``."""

    Params = HydrocycloneParams
    outlet_ports = ("underflow", "overflow")
    report_units = {"d50c": "um", "d50c_*": "um", "pressure": "kPa",
                    "flow_per_cyclone": "m3/h", "feed_volume": "m3/h", "rv": "1",
                    "water_recovery": "1", "alpha": "1", "sharpness": "1",
                    "solids_volume": "%", "percent_solids": "%",
                    "underflow_percent_solids": "%", "circulating_load": "1"}
    validity = VALIDITY

    sized = True

    def setup(self) -> None:
        table = self.context.table
        idx = table.solid_index
        dens = table.densities[idx] / 1000.0                      # t/m3
        for name, rho in zip((table.names[i] for i in idx), dens, strict=True):
            if not np.isfinite(rho):
                raise SchemaError(f"solid species '{name}' has no density; Plitt's model "
                                  "needs it", hint=f"declare it: {{name: {name}, ..., "
                                  "density: 2700} (kg/m3)")
            if rho <= _RHO_LIQUID:
                raise SchemaError(f"solid species '{name}' ({1000 * rho:g} kg/m3) is not "
                                  "denser than water: a cyclone cannot classify it")
        self._names = [table.names[i] for i in idx]
        self._rho = dens
        p = self.params
        self._geometry = {"dc": p.dimension_cm("diameter"), "di": p.dimension_cm("inlet"),
                          "do": p.dimension_cm("vortex_finder"), "du": p.dimension_cm("apex"),
                          "h": p.dimension_cm("height")}
        self._constants = {
            "k_d50": p.d50_factor * _PLITT_CONSTANTS["k_d50"],
            "k_p": p.pressure_factor * _PLITT_CONSTANTS["k_p"],
            "k_s": p.split_factor * _PLITT_CONSTANTS["k_s"],
            "k_m": p.sharpness_factor * _PLITT_CONSTANTS["k_m"]}

    def _run(self, inlets: dict[str, Stream]) -> Outcome:
        feed = inlets["in"]
        p = self.params
        volume = feed.volumetric_flow
        if volume <= 0.0:
            empty = feed.scaled(0.0)
            return {"underflow": empty, "overflow": empty}, {"feed_volume": 0.0}
        if volume / p.count > MAX_FLOW_PER_CYCLONE:
            raise UnitRunError(f"{volume / p.count:.4g} m3/h of pulp per cyclone is beyond the "
                               f"{MAX_FLOW_PER_CYCLONE:g} m3/h Plitt's model evaluates",
                               location=Location(unit=self.name, key="count"),
                               hint="add cyclones ('count') or give larger ones ('diameter')")
        q = flow_per_cyclone(volume, p.count)                       # L/min, Plitt's unit
        cw = feed.percent_solids
        solids = feed.flows[self.context.table.solid_index]
        rho_mix = (solids.sum() / float(np.sum(solids / self._rho)) if solids.sum() > 0
                   else float(np.mean(self._rho)))
        pulp = plitt_cyclone(q=q, solids_pct_w=cw, rho_s=rho_mix, rho_l=_RHO_LIQUID,
                             **self._geometry, **self._constants)
        phi = float(pulp.phi_vol_pct)
        # each mineral at its own density, at the pulp's solids volume fraction
        cw_each = 100.0 * phi * self._rho / (phi * self._rho + (100.0 - phi) * _RHO_LIQUID)
        d50c = np.atleast_1d(plitt_cyclone(q=q, solids_pct_w=cw_each, rho_s=self._rho,
                                           rho_l=_RHO_LIQUID, **self._geometry,
                                           **self._constants).d50c_um)
        sharpness = float(pulp.sharpness_m)
        alpha = p.alpha if p.alpha is not None else whiten_alpha_from_plitt(sharpness)
        rf = float(pulp.rv) if p.water_recovery is None else p.water_recovery
        grid = self.context.grid
        partition = whiten_efficiency(grid.midpoints[None, :], d50c[:, None], alpha,
                                      beta=p.beta, beta_star=None if p.beta > 0 else 1.0,
                                      bypass=rf)
        under, over = size_split(feed, partition, rf)
        report: dict[str, Any] = {
            "d50c": float(pulp.d50c_um), "pressure": float(pulp.pressure_kpa),
            "flow_per_cyclone": volume / p.count, "feed_volume": volume, "rv": float(pulp.rv),
            "water_recovery": rf, "alpha": alpha, "sharpness": sharpness,
            "solids_volume": phi, "percent_solids": cw,
            "underflow_percent_solids": under.percent_solids,
            "circulating_load": (under.solids / over.solids if over.solids > 0
                                 else float("inf")),
        }
        report.update({f"d50c_{name}": float(d) for name, d in zip(self._names, d50c,
                                                                    strict=True)})
        return {"underflow": under, "overflow": over}, report
