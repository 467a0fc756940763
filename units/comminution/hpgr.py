r"""High-pressure grinding rolls (``hpgr``) by a size-energy law.

Morrell's HPGR relation is the general size-energy form with the HPGR work index
:math:`M_{ih}`,

.. math:: W_h = S\,K_3\,M_{ih}\,4\left(x_2^{f(x_2)} - x_1^{f(x_1)}\right)

evaluated by :func:`~units.comminution.energy.morrell_specific_energy` with ``mih`` and
``k`` = :math:`S K_3` (K3 = 1.0 for rolls in closed circuit, 1.19 in open circuit; S, a
feed-size factor, is 1 unless calibrated). Bond's law with ``wi`` is offered too. Given the
``power`` (times ``power_use``), the product P80 follows; given ``p80``, the power. The
product distribution is generated around the P80 (see
:mod:`units.comminution.size_reduction`).

``model: population_balance`` computes the distribution instead, mineral by mineral:
particles coarser than ``critical_size`` are pre-crushed one by one, then the bed is
ground with energy-normalised rates ``selection`` (Austin's form, :math:`s_E` in t/kWh at
1 mm, as for the tumbling mills) and breakage ``breakage`` at the specific energy
:math:`E = P/Q`, with an optional edge effect (``edge_fraction`` of the feed receives
``edge_energy`` times :math:`E`); see :mod:`units.comminution.compression`. Given
``power``, the product follows; given ``p80``, the specific energy that reaches it is found
by Brent's method and the power reported. ``wi`` or ``mih``, if given, are not used by
this model.

Source: Morrell, S. (2009), "Predicting the overall specific energy requirement of
crushing, high pressure grinding roll and tumbling mill circuits", Minerals Engineering
22, 544-549, doi:10.1016/j.mineng.2009.01.005.

>>> from flowsheet.species import SpeciesTable
>>> from flowsheet.sizes import SizeGrid, rosin_rammler
>>> from flowsheet.stream import Stream
>>> from flowsheet.unit import Context
>>> t = SpeciesTable.from_declarations([{"name": "quartz"}])
>>> g = SizeGrid.geometric(64000, 100)
>>> rolls = Hpgr.from_config("r", {"model": "morrell", "mih": 18, "p80": "8 mm"},
...                          Context(t, g))
>>> feed = Stream(t, [1000.0], psd=rosin_rammler(g, 35000.0, 1.0)[None, :], grid=g)
>>> report = rolls.run({"in": [feed]})[1]
>>> round(report["p80"]), round(report["specific_energy"], 2)
(8000, 2.46)

That is Morrell's relation from the F80 measured on the feed to the target P80:

>>> from units.comminution.energy import morrell_specific_energy
>>> round(float(morrell_specific_energy(18, report["f80"], 8000.0)), 2)
2.46
"""

from __future__ import annotations

from typing import Any

import numpy as np

from flowsheet.errors import Location, UnitRunError
from flowsheet.sizes import percentile_size
from units.comminution.compression import bed_compression_product
from units.comminution.mills import AustinSelection, SelectionOverride, breakage_rates
from units.comminution.size_reduction import (
    COMMINUTION_RANGES as _R,
)
from units.comminution.size_reduction import (
    AustinBreakage,
    ComminutionParams,
    SizeReductionUnit,
)
from units.registry import register

__all__ = ["HpgrParams", "Hpgr"]

#: Largest specific energy searched for a target P80 [kWh/t]; HPGRs run at 1-4 kWh/t.
MAX_SPECIFIC_ENERGY = 50.0


class HpgrParams(ComminutionParams):
    """Parameters of HPGR: Morrell's ``mih`` (with ``k`` = S K3), Bond's ``wi``, or the
    population balance (``selection``, ``breakage``, ``critical_size``, edge effect)."""

    morrell_index = "mih"
    mih: _R.mih.type() | None = _R.mih.field(None, "Morrell HPGR work index")
    selection: AustinSelection | dict[str, SelectionOverride] | None = None
    breakage: AustinBreakage = AustinBreakage()
    critical_size: _R.critical_size.type() | None = _R.critical_size.field(
        None, "size above which particles are broken one by one before the bed forms")
    edge_fraction: _R.edge_fraction.type() = _R.edge_fraction.field(
        0.0, "share of the feed passing the roll edges")
    edge_energy: _R.edge_energy.type() = _R.edge_energy.field(
        0.5, "specific energy at the edges relative to the mean")

    def _rules(self) -> None:
        if self.model != "population_balance":
            super()._rules()
            for name in ("selection", "critical_size"):
                if getattr(self, name) is not None:
                    raise ValueError(f"'{name}' applies to model 'population_balance' only")
            return
        for name in ("selection", "critical_size"):
            if getattr(self, name) is None:
                raise ValueError(f"model 'population_balance' needs '{name}'")
        if (self.power is None) == (self.p80 is None):
            which = "both" if self.power is not None else "neither"
            raise ValueError(f"give either 'power' (the product size follows) or 'p80' (the "
                             f"power follows), got {which}")
        if "power_use" in self.model_fields_set and self.power is None:
            raise ValueError("'power_use' applies to a given 'power'")


@register("hpgr")
class Hpgr(SizeReductionUnit):
    """High-pressure grinding rolls."""

    Params = HpgrParams
    report_units = {**SizeReductionUnit.report_units, "critical_size": "um",
                    "edge_fraction": "1"}

    def setup(self) -> None:
        super().setup()
        p = self.params
        if p.model != "population_balance":
            return
        self._se, self._b = breakage_rates(p.selection, p.breakage, self.context)

    def _product(self, rows: np.ndarray, energy: float) -> np.ndarray:
        p = self.params
        return bed_compression_product(rows, self.context.grid, self._se, self._b, energy,
                                       p.critical_size, p.edge_fraction, p.edge_energy)

    def _population_balance(self, rows, q, solids, f80):
        p, grid = self.params, self.context.grid
        if p.p80 is None:
            power = p.drawn_power
            product = self._product(rows, power / solids)
        else:
            def excess(energy: float) -> float:
                mixed = q @ self._product(rows, energy) / solids
                return float(percentile_size(grid, mixed, 80.0)) - p.p80

            short = excess(MAX_SPECIFIC_ENERGY)
            if short > 0:
                raise UnitRunError(
                    f"the target p80 of {p.p80:g} um is not reached with "
                    f"{MAX_SPECIFIC_ENERGY:g} kWh/t: the product stays at P80 "
                    f"{p.p80 + short:.4g} um", location=Location(unit=self.name,
                                                                        key="p80"),
                    hint="coarsen 'p80' or raise the rates of breakage 'selection'")
            if excess(0.0) <= 0:
                energy = 0.0
            else:
                from scipy.optimize import brentq

                energy = brentq(excess, 0.0, MAX_SPECIFIC_ENERGY, xtol=1e-10, rtol=1e-12)
            product, power = self._product(rows, energy), energy * solids
        total = product.sum(axis=1, keepdims=True)
        return np.divide(product, total, out=np.zeros_like(product), where=total > 0), power

    def _extra_report(self, solids: float) -> dict[str, Any]:
        p = self.params
        return {"critical_size": p.critical_size, "edge_fraction": p.edge_fraction}
