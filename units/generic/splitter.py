"""Splitter: divides its feed among named outlets in fixed fractions, the same for every
species (a stream splitter, not a separator).

YAML: ``{type: splitter, fractions: {recycle: 0.9, purge: 0.1}}`` -- the keys are the
outlet names; each fraction is 0..1 and they sum to 1 (within 1e-9).

>>> from flowsheet.species import SpeciesTable
>>> from flowsheet.stream import Stream
>>> from flowsheet.unit import Context
>>> t = SpeciesTable.from_declarations([{"name": "water"}])
>>> u = Splitter.from_config("s", {"fractions": {"a": 0.25, "b": "75 %"}}, Context(t))
>>> {k: s.total for k, s in u.run({"in": [Stream(t, [8.0])]})[0].items()}
{'a': 2.0, 'b': 6.0}
"""

from __future__ import annotations

from typing import Annotated

import numpy as np
from pydantic import AfterValidator, model_validator

from flowsheet.quantities import quantity
from flowsheet.unit import Outcome, Params, Unit
from units.ranges import Range, RangeTable
from units.registry import register

__all__ = ["Splitter", "Fraction", "GENERIC_RANGES"]


def _in_unit_interval(value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"a fraction must be between 0 and 1, got {value:g}")
    return value


#: Ranges of the generic units' parameters. A fraction is 0..1 by definition. The largest
#: concentrators treat about 15,000 t/h of ore in some 50,000 t/h of pulp, so a flow
#: above 1e6 t/h is a slip of units (kg/h for t/h); feeds run from chilled water to molten
#: matte and slag (1100-1400 degC), so a temperature outside -50-2000 degC is refused.
#: Size bounds as for the mills (1 um to 2 m). The bounds are judgements.
GENERIC_RANGES = RangeTable({
    "fraction": Range("fraction", 0, 1),
    "mass_flow": Range("mass_flow", 0, 1e6, typical=(0.001, 50000)),
    "temperature": Range("temperature", -50, 2000),
    "p80": Range("size", 1, 2e6),
    "m": Range(None, 0.1, 10, typical=(0.7, 1.5)),
    "sieve": Range("size", 0, 2e6, low_open=True),
    "passing": Range(None, 0, 100, unit="%"),
})

#: A fraction 0..1 (a bare number, or a percentage such as ``"80 %"``).
Fraction = Annotated[quantity("fraction"), AfterValidator(_in_unit_interval),
                     GENERIC_RANGES.fraction]


class SplitterParams(Params):
    fractions: dict[str, Fraction] = GENERIC_RANGES.fraction.field(
        description="fraction of the feed to each outlet, by outlet name; they sum to 1")

    @model_validator(mode="after")
    def _check(self):
        if len(self.fractions) < 2:
            raise ValueError("a splitter needs at least two outlets in 'fractions'")
        for port in self.fractions:
            if "." in port or not port:
                raise ValueError(f"outlet name '{port}' must be non-empty and without '.'")
        total = sum(self.fractions.values())
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"fractions must sum to 1, they sum to {total:.10g}")
        return self


@register("splitter")
class Splitter(Unit):
    """Stream splitter with fixed fractions."""

    Params = SplitterParams

    def outlets(self):
        return tuple(self.params.fractions)

    def _run(self, inlets) -> Outcome:
        feed = inlets["in"]
        return {port: feed.scaled(f) for port, f in self.params.fractions.items()}, {}

    def setup(self) -> None:
        n = len(self.context.table)
        self._transfer = {port: np.full(n, f) for port, f in self.params.fractions.items()}

    def transfer(self):
        return self._transfer
