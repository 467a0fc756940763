r"""High-pressure grinding rolls (``hpgr``) by a size-energy law.

Morrell's HPGR relation is the general size-energy form with the HPGR work index
:math:`M_{ih}`,

.. math:: W_h = S\,K_3\,M_{ih}\,4\left(x_2^{f(x_2)} - x_1^{f(x_1)}\right)

evaluated by :func:`~units.comminution.energy.morrell_specific_energy` with ``mih`` and
``k`` = :math:`S K_3` (K3 = 1.0 for rolls in closed circuit, 1.19 in open circuit; S, a
feed-size factor, is 1 unless calibrated). Bond's law with ``wi`` is offered too. Given the
``power`` (times ``power_use``), the product P80 follows; given ``p80``, the power. The
product distribution is generated around the P80 (see
:mod:`units.comminution.size_reduction`); no population-balance model is offered.

Source: Morrell, S. (2009), "Predicting the overall specific energy requirement of
crushing, high pressure grinding roll and tumbling mill circuits", Minerals Engineering
22, 544-549, doi:10.1016/j.mineng.2009.01.005.

>>> from flowsheet.species import SpeciesTable
>>> from flowsheet.sizes import SizeGrid, rosin_rammler
>>> from flowsheet.stream import Stream
>>> from units.base import Context
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

from typing import Literal

from pydantic import Field

from units.comminution.size_reduction import ComminutionParams, SizeReductionUnit
from units.registry import register

__all__ = ["HpgrParams", "Hpgr"]


class HpgrParams(ComminutionParams):
    """Parameters of HPGR: Morrell's ``mih`` (with ``k`` = S K3) or Bond's ``wi``."""

    models = ("bond", "morrell")
    morrell_index = "mih"
    model: Literal["bond", "morrell"] = Field(description="bond or morrell")
    mih: float | None = Field(None, gt=0, description="Morrell HPGR work index [kWh/t]")


@register("hpgr")
class Hpgr(SizeReductionUnit):
    """High-pressure grinding rolls."""

    Params = HpgrParams
