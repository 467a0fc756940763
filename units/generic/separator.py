"""Separator: a component splitter with two outlets.

``split`` gives, per species, the fraction of its flow that goes to the FIRST outlet;
``phase_split`` does the same per phase (``solid``, ``aqueous``...); a species listed in
``split`` overrides its phase; anything unlisted goes wholly to the second outlet.

>>> from flowsheet.species import SpeciesTable
>>> from flowsheet.stream import Stream
>>> from flowsheet.unit import Context
>>> t = SpeciesTable.from_declarations([{"name": "water"}, {"name": "quartz"}])
>>> u = Separator.from_config("thick", {"outlets": ["underflow", "overflow"],
...     "phase_split": {"solid": 1.0, "liquid": 0.25}}, Context(t))
>>> out, _ = u.run({"in": [Stream(t, [100.0, 50.0])]})
>>> out["underflow"].flows.tolist(), out["overflow"].flows.tolist()
([25.0, 50.0], [75.0, 0.0])
"""

from __future__ import annotations

import numpy as np
from pydantic import model_validator

from flowsheet.errors import Location, SchemaError, did_you_mean
from flowsheet.species import PHASES
from flowsheet.unit import Outcome, Params, Unit
from units.generic.splitter import GENERIC_RANGES, Fraction
from units.registry import register

__all__ = ["Separator"]


class SeparatorParams(Params):
    outlets: list[str]
    split: dict[str, Fraction] = GENERIC_RANGES.fraction.field(
        {}, "fraction of each species to the first outlet")
    phase_split: dict[str, Fraction] = GENERIC_RANGES.fraction.field(
        {}, "fraction of each phase to the first outlet")

    @model_validator(mode="after")
    def _check(self):
        if len(self.outlets) != 2 or self.outlets[0] == self.outlets[1]:
            raise ValueError("a separator needs exactly two distinct outlet names")
        for port in self.outlets:
            if "." in port or not port:
                raise ValueError(f"outlet name '{port}' must be non-empty and without '.'")
        return self


@register("separator")
class Separator(Unit):
    """Fixed split of each species between two outlets."""

    Params = SeparatorParams

    def setup(self) -> None:
        table = self.context.table
        split = np.zeros(len(table))
        for phase, fraction in self.params.phase_split.items():
            if phase not in PHASES:
                raise SchemaError(f"unknown phase '{phase}'",
                                  location=Location(key=f"phase_split.{phase}"),
                                  hint=did_you_mean(phase, PHASES))
            split[np.array(table.phases) == phase] = fraction
        split = np.where(self.species_vector(self.params.split, "split", -1.0) >= 0,
                         self.species_vector(self.params.split, "split", 0.0), split)
        self.first = split
        self.second = 1.0 - split
        a, b = self.params.outlets
        self._transfer = {a: self.first, b: self.second}

    def outlets(self):
        return tuple(self.params.outlets)

    def _run(self, inlets) -> Outcome:
        feed = inlets["in"]
        a, b = self.params.outlets
        return {a: feed.scaled(self.first), b: feed.scaled(self.second)}, {}

    def transfer(self):
        return self._transfer
