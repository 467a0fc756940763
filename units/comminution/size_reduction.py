r"""What every size-reduction unit shares: parameters, the energy models and the report.

A crusher, an HPGR or a tumbling mill changes the size distribution of the solids and
nothing else: every species' flow, the water and the temperature pass unchanged, so mass is
conserved exactly. Each unit is modelled in one of two ways, chosen by ``model``:

**An energy model** (``bond`` or ``morrell``). The size-energy law links the specific energy
:math:`W = P / Q` [kWh/t] (power drawn over the feed solids in t/h) to the feed and
product 80 % passing sizes:

* given the ``power`` (times ``power_use``), the product P80 is the size at which the law
  gives :math:`W` -- the law (:func:`~units.comminution.energy.bond_specific_energy` or
  :func:`~units.comminution.energy.morrell_specific_energy`) is inverted numerically
  (:func:`product_size_for_energy`), never rewritten;
* given a target ``p80``, the power is :math:`Q\,W(F_{80}, P_{80})`.

An energy law gives one number, the P80, not a distribution. The product distribution is
*generated* (:func:`rosin_rammler_product`): each solid species gets a Rosin-Rammler
distribution with the spread of its own feed distribution -- estimated from the feed's
P80/P50 ratio, :math:`m = \ln(\ln 5 / \ln 2) / \ln(P_{80}/P_{50})`, or given as
``spread`` -- and P80s in the ratio of the species' feed P80s, scaled together so that the
P80 of all the solids is the one the law gives. This is an approximation: real products are
not Rosin-Rammler, and their spread is not the feed's (a SAG discharge is bimodal; a ball
mill product is wider than its classified feed). Use the population-balance model where the
shape matters.

**The population-balance model** (``population_balance``): the distribution is computed
class by class and species by species from selection and breakage functions (see the
mills and crushers).

The F80 is measured on the inlet stream, unless ``f80`` is given: then the energy law uses
that (Morrell's SAG relation, for one, takes the F80 of the fresh feed, and ``k`` = K1 =
0.95 stands for the pebble recycle).

The report of every unit holds ``power`` [kW], ``specific_energy`` [kWh/t], ``f80`` and
``p80`` [um], ``solids`` [t/h] and ``reduction_ratio`` [-].

>>> from flowsheet.sizes import SizeGrid, rosin_rammler, p80
>>> grid = SizeGrid.geometric(64000, 50)
>>> feed = rosin_rammler(grid, 20000.0, 1.0)[None, :]
>>> product = rosin_rammler_product(grid, feed, [100.0], 2000.0)
>>> round(float(p80(grid, product[0])), 6)
2000.0
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import Field, model_validator

from flowsheet.errors import Location, SchemaError, UnitRunError
from flowsheet.quantities import quantity
from flowsheet.sizes import SizeGrid, percentile_size, rosin_rammler
from flowsheet.stream import Stream
from flowsheet.unit import Outcome, Params, Unit
from units.comminution.energy import bond_specific_energy, morrell_specific_energy
from units.ranges import Range, RangeTable

__all__ = [
    "Power",
    "Size",
    "Share",
    "SPREAD_RANGE",
    "COMMINUTION_RANGES",
    "AustinBreakage",
    "ComminutionParams",
    "SizeReductionUnit",
    "product_size_for_energy",
    "rosin_rammler_product",
    "normalised_rows",
    "P80_TOLERANCE",
]

#: A power [kW] that must be positive.
Power = Annotated[quantity("power"), Field(gt=0)]
#: A particle size [um] that must be positive.
Size = Annotated[quantity("size"), Field(gt=0)]
#: A fraction in (0, 1].
Share = Annotated[quantity("fraction"), Field(gt=0, le=1)]

#: Bounds on a spread estimated from a feed's P80/P50 [-]; outside them the estimate
#: comes from a distribution too narrow or too wide for a Rosin-Rammler fit to mean much.
SPREAD_RANGE = (0.3, 4.0)

#: Finest P80 the inversion of an energy law may return [um].
FINEST_P80 = 1e-3

#: Relative gap between the product P80 an energy law asks for and the one the size grid
#: holds, beyond which a converged run fails (the grid cuts the product off).
P80_TOLERANCE = 0.02

Array = NDArray[np.float64]


#: Ranges of the size-reduction parameters, in the engine's units (sizes um, power kW,
#: specific energy kWh/t, mass t). The bounds are judgements wide enough for any plant or
#: laboratory mill; the typical values are from Napier-Munn, Morrell, Morrison and Kojovic,
#: *Mineral Comminution Circuits* (JKMRC, 1996), Bond's work index tables (Bond, 1961,
#: Brit. Chem. Eng. 6, 378-385: 5-30 kWh/t for ores, emery 58), Morrell's SMC data base
#: (Mia 5-35, Mib 10-40 kWh/t; Morrell, 2004, doi:10.1016/j.mineng.2003.10.005) and Austin,
#: Klimpel and Luckie, *Process Engineering of Size Reduction: Ball Milling* (1984). The
#: largest mills draw 28 MW, the largest crushers and HPGR about 1-8 MW.
COMMINUTION_RANGES = RangeTable({
    "wi": Range("specific_energy", 1, 80, typical=(7, 25)),
    "mia": Range("specific_energy", 1, 100, typical=(5, 35)),
    "mib": Range("specific_energy", 1, 100, typical=(10, 40)),
    "mic": Range("specific_energy", 0.5, 100, typical=(4, 25)),
    "mih": Range("specific_energy", 0.5, 100, typical=(5, 30)),
    "k": Range(None, 0.5, 2, typical=(0.95, 1.25)),
    "power": Range("power", 0.1, 1e5, typical=(100, 28000)),
    "power_use": Range("fraction", 0, 1, low_open=True, typical=(0.8, 0.95)),
    "p80": Range("size", 1, 5e5),
    "f80": Range("size", 1, 2e6),
    "spread": Range(None, SPREAD_RANGE[0], SPREAD_RANGE[1], typical=(0.7, 1.5)),
    "holdup": Range("mass", 1e-3, 5000, typical=(10, 600)),
    "tanks": Range(None, 1, 50, typical=(1, 3), integer=True),
    "grate": Range("size", 100, 3e5, typical=(10000, 80000)),
    "grate_fines": Range("size", 1, 3e5, typical=(1000, 20000)),
    "grate_shape": Range(None, 0.01, 50, typical=(1, 5)),
    "se": Range(None, 1e-4, 100, typical=(0.3, 3), unit="t/kWh"),
    "alpha": Range(None, 0, 5, typical=(0.5, 1.5)),
    "mu": Range("size", 10, 1e6, typical=(1000, 20000)),
    "lam": Range(None, 0, 20, typical=(1, 6)),
    "phi": Range(None, 0, 1, typical=(0.4, 0.7)),
    "gamma": Range(None, 0, 5, low_open=True, typical=(0.7, 1.5)),
    "beta": Range(None, 0, 20, low_open=True, typical=(2.5, 5)),
    "delta": Range(None, -2, 2, typical=(0, 0.5)),
    "css": Range("size", 1000, 4e5, typical=(6000, 250000)),
    "k1_css": Range(None, 0, 5, low_open=True, typical=(0.5, 1)),
    "k2_css": Range(None, 0, 10, low_open=True, typical=(1, 2.5)),
    "k2_offset": Range("size", 0, 2e5, typical=(0, 50000)),
    "k3": Range(None, 0, 10, low_open=True, typical=(2, 3)),
    "critical_size": Range("size", 100, 1e5, typical=(10000, 40000)),
    "edge_fraction": Range(None, 0, 0.5, typical=(0.05, 0.2)),
    "edge_energy": Range(None, 0, 1, typical=(0.3, 0.7)),
})
_R = COMMINUTION_RANGES


class AustinBreakage(Params):
    """Parameters of :func:`~units.comminution.breakage.austin_breakage_matrix`.

    The defaults are mid-range values of Austin's cumulative breakage function for ores
    (Austin, Klimpel and Luckie, 1984: phi 0.4-0.7, gamma 0.7-1.5, beta 2.5-5); fit them
    to breakage tests where these exist.
    """

    phi: _R.phi.type() = _R.phi.field(0.5, "fine fraction of the breakage")
    gamma: _R.gamma.type() = _R.gamma.field(1.0, "slope of the fine part")
    beta: _R.beta.type() = _R.beta.field(3.5, "slope of the coarse part")
    delta: _R.delta.type() = _R.delta.field(0.0, "size dependence of phi (0: "
                                                       "normalisable)")


class ComminutionParams(Params):
    """Parameters shared by every size-reduction unit (see the module docstring)."""

    #: Name of the Morrell work index field of the unit (``mia``, ``mib``, ``mic``, ``mih``).
    morrell_index: ClassVar[str] = ""
    #: The models the unit offers.
    models: ClassVar[tuple[str, ...]] = ("bond", "morrell", "population_balance")

    model: Literal["bond", "morrell", "population_balance"] = Field(
        description="bond or morrell (energy models) or population_balance")
    wi: _R.wi.type() | None = _R.wi.field(None, "Bond work index")
    k: _R.k.type() = _R.k.field(1.0, "Morrell's circuit factor")
    power: _R.power.type() | None = _R.power.field(None, "installed power")
    power_use: _R.power_use.type() = _R.power_use.field(1.0, "fraction of 'power' "
                                                                   "drawn")
    p80: _R.p80.type() | None = _R.p80.field(None, "target product P80")
    f80: _R.f80.type() | None = _R.f80.field(None, "feed F80 for the energy law")
    spread: _R.spread.type() | None = _R.spread.field(
        None, "Rosin-Rammler spread of the product; default: from the feed's P80/P50")

    @model_validator(mode="after")
    def _check(self):
        self._rules()
        return self

    def _rules(self) -> None:
        """Cross-field rules; subclasses extend them (one validator, one place)."""
        if self.model not in self.models:
            raise ValueError(f"'model' must be one of {', '.join(self.models)}")
        if self.model == "bond" and self.wi is None:
            raise ValueError("model 'bond' needs the work index 'wi' [kWh/t]")
        index = self.morrell_index
        if self.model == "morrell" and getattr(self, index) is None:
            raise ValueError(f"model 'morrell' needs the Morrell work index '{index}' [kWh/t]")
        if self.model in ("bond", "morrell") and (self.power is None) == (self.p80 is None):
            which = "both" if self.power is not None else "neither"
            raise ValueError(f"give either 'power' (the product size follows) or 'p80' (the "
                             f"power follows), got {which}")
        if self.p80 is not None and self.f80 is not None and self.p80 >= self.f80:
            raise ValueError(f"'p80' ({self.p80:g} um) must be finer than 'f80' "
                             f"({self.f80:g} um)")
        if "power_use" in self.model_fields_set and self.power is None:
            raise ValueError("'power_use' applies to a given 'power'")

    @property
    def drawn_power(self) -> float | None:
        """Power drawn [kW]: ``power * power_use``."""
        return None if self.power is None else self.power * self.power_use


def normalised_rows(psd: ArrayLike) -> Array:
    """Each row of ``psd`` divided by its sum (rows summing to 0 stay 0).

    Size distributions in a recycle may come back from an accelerator with rows that do
    not quite sum to one; units read them through this.

    >>> normalised_rows([[1.0, 3.0], [0.0, 0.0]]).tolist()
    [[0.25, 0.75], [0.0, 0.0]]
    """
    r = np.maximum(np.asarray(psd, dtype=float), 0.0)
    total = r.sum(axis=-1, keepdims=True)
    return np.divide(r, total, out=np.zeros_like(r), where=total > 0)


def product_size_for_energy(energy: Callable[[float], float], w: float, f80: float) -> float:
    r"""The product P80 [um] at which a size-energy law gives the specific energy ``w``.

    Solves :math:`E(F_{80}, P_{80}) = W` for :math:`P_{80}` in :math:`(0, F_{80})` by
    Brent's method on :math:`\ln P_{80}`; ``energy(p80)`` is the law with everything but
    the product size bound, decreasing in ``p80`` (Bond's and Morrell's are).

    Parameters
    ----------
    energy : callable
        Specific energy [kWh/t] as a function of the product P80 [um].
    w : float
        Specific energy available [kWh/t], > 0.
    f80 : float
        Feed 80 % passing size [um].

    Returns
    -------
    float
        P80 [um].

    Raises
    ------
    UnitRunError
        The energy would grind finer than :data:`FINEST_P80`.

    Examples
    --------
    Bond's worked example read backwards (Wi 14 kWh/t, F80 1000 um, 11.74 kWh/t):

    >>> law = lambda p: bond_specific_energy(14.0, 1000.0, p)
    >>> round(product_size_for_energy(law, float(law(75.0)), 1000.0), 9)
    75.0
    """
    lo, hi = math.log(FINEST_P80), math.log(f80) + math.log1p(-1e-12)
    if float(energy(FINEST_P80)) < w:
        raise UnitRunError(f"{w:.4g} kWh/t would grind below {FINEST_P80:g} um: the power is "
                           "far too high for this feed")
    from scipy.optimize import brentq

    root = brentq(lambda u: float(energy(math.exp(u))) - w, lo, hi, xtol=1e-14,
                  rtol=4 * np.finfo(float).eps, maxiter=200)
    return math.exp(root)


def _spread_from_feed(grid: SizeGrid, rows: Array) -> Array:
    """Rosin-Rammler spread of each row from its P80/P50, within :data:`SPREAD_RANGE`."""
    p80 = np.atleast_1d(percentile_size(grid, rows, 80.0))
    p50 = np.atleast_1d(percentile_size(grid, rows, 50.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        m = math.log(math.log(5.0) / math.log(2.0)) / np.log(p80 / p50)
    return np.clip(np.nan_to_num(m, nan=1.0, posinf=SPREAD_RANGE[1]), *SPREAD_RANGE)


def rosin_rammler_product(grid: SizeGrid, feed_psd: ArrayLike, flows: ArrayLike, p80: float,
                          spread: float | None = None) -> Array:
    r"""Product distributions of the solid species with an overall P80 of ``p80`` [um].

    Species ``s`` with flow :math:`q_s > 0` gets the Rosin-Rammler distribution
    (:func:`flowsheet.sizes.rosin_rammler`) of spread :math:`m_s` and P80
    :math:`\rho\,P_{80,s}`: :math:`P_{80,s}` is the species' feed P80 and :math:`m_s`
    follows from its feed P80/P50 (:math:`F = 1 - \exp[-(x/x_{63})^m]` gives
    :math:`P_{80}/P_{50} = (\ln 5/\ln 2)^{1/m}`), or is ``spread``. The common factor
    :math:`\rho` is found by Brent's method so that the mixture's P80 is ``p80``; each
    mineral keeps its fineness relative to the others. When ``p80`` lies beyond what the
    grid can show, the nearest attainable distribution is returned.

    Parameters
    ----------
    grid : SizeGrid
        The size grid [um].
    feed_psd : array_like
        Feed retained fractions, one row per solid species, shape ``(n_solids, n)``.
    flows : array_like
        Feed flows of the solid species [t/h], shape ``(n_solids,)``.
    p80 : float
        P80 of all the product solids [um].
    spread : float, optional
        Spread of every product distribution; default: each species' feed spread.

    Returns
    -------
    ndarray
        Product retained fractions, shape ``(n_solids, n)``; rows of species without flow
        are zero.

    Examples
    --------
    A feed of two minerals, one twice as fine as the other, ground to 500 um overall:

    >>> from flowsheet.sizes import SizeGrid, rosin_rammler, p80
    >>> g = SizeGrid.geometric(16000, 20)
    >>> feed = rosin_rammler(g, np.array([8000.0, 4000.0]), 1.2)
    >>> out = rosin_rammler_product(g, feed, [90.0, 10.0], 500.0)
    >>> round(float(p80(g, np.array([90.0, 10.0]) @ out / 100)), 6)
    500.0
    >>> bool(p80(g, out[1]) < p80(g, out[0]))
    True
    """
    rows = normalised_rows(feed_psd)
    q = np.asarray(flows, dtype=float)
    live = (q > 0) & (rows.sum(axis=1) > 0)
    out = np.zeros_like(rows)
    if not live.any():
        return out
    r, w = rows[live], q[live]
    base = np.atleast_1d(percentile_size(grid, r, 80.0))
    m = _spread_from_feed(grid, r) if spread is None else np.full(len(r), float(spread))
    weights = w / w.sum()

    def make(log_rho: float) -> Array:
        return rosin_rammler(grid, base * math.exp(log_rho), m)

    def gap(log_rho: float) -> float:
        return math.log(float(percentile_size(grid, weights @ make(log_rho), 80.0)) / p80)

    lo = math.log(grid.sieves[-1] / 4.0 / base.max())
    hi = math.log(grid.upper[0] * 4.0 / base.min())
    g_lo, g_hi = gap(lo), gap(hi)
    if g_lo >= 0.0:
        log_rho = lo
    elif g_hi <= 0.0:
        log_rho = hi
    else:
        from scipy.optimize import brentq

        log_rho = brentq(gap, lo, hi, xtol=1e-14, rtol=4 * np.finfo(float).eps, maxiter=200)
    out[live] = make(log_rho)
    return out


class SizeReductionUnit(Unit):
    """Base of crushers, HPGRs and mills: one inlet ``in``, one outlet ``out``.

    Subclasses set ``Params`` and write :meth:`_population_balance` when they offer that
    model; they may add entries to the report with :meth:`_extra_report`.
    """

    Params = ComminutionParams
    report_units = {"power": "kW", "specific_energy": "kWh/t", "f80": "um", "p80": "um",
                    "solids": "t/h", "reduction_ratio": "1"}

    sized = True

    def setup(self) -> None:
        model = self.params.model
        self._law = self._make_law(model) if model != "population_balance" else None

    def _make_law(self, kind: str) -> Callable[[float, float], Any]:
        """The size-energy law ``(f80, p80) -> kWh/t`` of ``kind`` (bond or morrell)."""
        p = self.params
        if kind == "bond":
            return lambda f80, p80: bond_specific_energy(p.wi, f80, p80)
        mi = getattr(p, p.morrell_index)
        return lambda f80, p80: morrell_specific_energy(mi, f80, p80, p.k)

    # -- the hook ------------------------------------------------------------------------
    def _run(self, inlets: dict[str, Stream]) -> Outcome:
        feed = inlets["in"]
        grid = self.context.grid
        idx = self.context.table.solid_index
        q = feed.flows[idx]
        rows = normalised_rows(feed.psd)
        solids = float(q.sum())
        feed_f80 = float(percentile_size(grid, q @ rows / solids, 80.0)) if solids > 0 \
            else float("nan")
        if solids <= 0 or not np.isfinite(feed_f80):
            power = self.params.drawn_power or 0.0
            report = {"power": power, "specific_energy": float("nan"), "f80": feed_f80,
                      "p80": feed_f80, "solids": solids, "reduction_ratio": 1.0}
            return {"out": feed}, report
        f80 = self.params.f80 or feed_f80
        if self.params.model == "population_balance":
            product, power = self._population_balance(rows, q, solids, f80)
            extra = self._extra_report(solids)
        else:
            product, power, law_p80 = self._energy_model(rows, q, solids, f80)
            extra = {"p80_law": law_p80}
        p80 = float(percentile_size(grid, q @ product / solids, 80.0))
        report = {"power": power, "specific_energy": power / solids, "f80": f80,
                  "p80": p80, "solids": solids, "reduction_ratio": f80 / p80, **extra}
        return {"out": feed.copy_with(psd=product)}, report

    def _energy_model(self, rows: Array, q: Array, solids: float, f80: float
                      ) -> tuple[Array, float, float]:
        """Product distribution, power [kW] and the law's product P80 [um] by the
        size-energy law."""
        p, grid = self.params, self.context.grid
        if p.p80 is not None:
            if p.p80 >= f80:                     # checked on the converged run (verify)
                return rows, 0.0, f80
            power = float(self._law(f80, p.p80)) * solids
            target = p.p80
        else:
            power = p.drawn_power
            target = product_size_for_energy(lambda x: self._law(f80, x), power / solids,
                                             f80)
        return rosin_rammler_product(grid, rows, q, target, p.spread), power, target

    def _population_balance(self, rows: Array, q: Array, solids: float, f80: float
                            ) -> tuple[Array, float]:
        """Product distribution and power [kW] by the population-balance model.

        Units that offer it override this; the others do not accept
        ``model: population_balance`` in their parameters, so this is never reached
        from a valid file.
        """
        raise UnitRunError(f"{self.type_name} has no population-balance model",
                           location=Location(unit=self.name, key="model"))

    def _extra_report(self, solids: float) -> dict[str, Any]:
        """Further report entries of the population-balance model."""
        return {}

    def verify(self, report: dict[str, Any]) -> None:
        """Fail when a target P80 is not finer than the feed, or when the product the
        size-energy law asks for cannot be represented on the size grid (it is then
        coarser or finer than the law says, by more than :data:`P80_TOLERANCE`)."""
        target = self.params.p80
        if target is not None and report["f80"] <= target:
            raise SchemaError(f"the target p80 of {target:g} um is not finer than the feed's "
                              f"F80 of {report['f80']:.6g} um", location=Location(key="p80"),
                              hint="lower 'p80' or check the feed")
        law = report.get("p80_law", float("nan"))
        got = report.get("p80", float("nan"))
        if law > 0 and got > 0 and abs(math.log(got / law)) > math.log1p(P80_TOLERANCE):
            grid = self.context.grid
            asked = (f"the product P80 of {law:.4g} um asked" if target is not None else
                     f"{report['specific_energy']:.4g} kWh/t grinds to P80 {law:.4g} um by "
                     f"{self.params.model}'s law, which")
            raise UnitRunError(
                f"{asked} cannot be held by the size grid ({grid.sieves[0]:.4g} to "
                f"{grid.sieves[-1]:.4g} um): the product comes out at P80 {got:.4g} um",
                location=Location(unit=self.name,
                                                    key="p80" if target is not None
                                                    else "power"),
                hint="widen size_grid (a bottom below a quarter of the product P80)")
