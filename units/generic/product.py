"""Product: a sink with exactly one inlet; its report is the stream it receives.

>>> from flowsheet.species import SpeciesTable
>>> from flowsheet.stream import Stream
>>> from flowsheet.unit import Context
>>> t = SpeciesTable.from_declarations([{"name": "water"}])
>>> Product.from_config("p", {}, Context(t)).run({"in": [Stream(t, [2.0])]})[1]
{'total': 2.0}
"""

from __future__ import annotations

from flowsheet.unit import Outcome, Port, Unit
from units.registry import register

__all__ = ["Product"]


@register("product")
class Product(Unit):
    """A product, tailings or vent: where streams leave the flowsheet."""

    inlet_ports = (Port("in", many=False),)
    outlet_ports = ()
    report_units = {"total": "t/h"}

    def _run(self, inlets) -> Outcome:
        return {}, {"total": inlets["in"].total}

    def transfer(self):
        return {}
