"""Feed: where material enters -- species flows, temperature and size distributions.

YAML::

    mine: {type: feed, flows: {ore: 4000 t/h, water: 120}, temperature: 20,
           psd: {model: rosin_rammler, p80: 71.3 mm, m: 0.9}}

``psd`` is one distribution for every solid species, or a mapping species -> distribution
(each mineral its own). Models: ``rosin_rammler`` and ``gates_gaudin_schuhmann`` (given a
P80 and the spread ``m``), or ``table`` (``sizes`` with ``passing`` in %).

The size grid holds everything coarser than its top sieve in one class that ends one sieve
ratio higher. A distribution with more than 20 % above the top sieve -- a P80 coarser than
the top sieve -- cannot be represented: the feed would enter finer than asked (P80 30 mm
asked, 19 mm on a 16 mm grid), so it is refused when the file loads, with the P80 the grid
would give and the top it needs. That is an input problem, fixed in the file, not a
result to warn about. A smaller tail above the top sieve is kept; its share
(``coarser_than_top_pct`` of the report, the largest of the solids) beyond
:data:`VALIDITY`'s 5 % is a warning.

>>> from flowsheet.species import SpeciesTable
>>> from flowsheet.unit import Context
>>> t = SpeciesTable.from_declarations([{"name": "water"}])
>>> Feed.from_config("f", {"flows": {"water": "2 t/h"}}, Context(t)).source().total
2.0
"""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
from pydantic import AfterValidator, model_validator

from flowsheet.errors import Location, SchemaError, did_you_mean
from flowsheet.quantities import quantity
from flowsheet.stream import Stream
from flowsheet.unit import Outcome, Params, Unit
from flowsheet.validity import UsualRange
from units.generic.splitter import GENERIC_RANGES as _R
from units.registry import register

__all__ = ["Feed", "PSDSpec", "MassFlow", "VALIDITY"]

#: Usual range of the report: mass above the grid's top sieve, held in one class.
VALIDITY = {
    "coarser_than_top_pct": UsualRange(0.0, 5.0, "% of a solid's mass", "the size grid "
                                  "(flowsheet.sizes): mass above the top sieve sits in one "
                                  "class one sieve ratio wide; raise size_grid top"),
}


def _non_negative(value: float) -> float:
    if value < 0:
        raise ValueError(f"a flow must be 0 or more, got {value:g} t/h")
    return value


#: A mass flow in t/h that may not be negative.
MassFlow = Annotated[quantity("mass_flow"), AfterValidator(_non_negative), _R.mass_flow]


class PSDSpec(Params):
    """A size distribution: a model with P80 and spread, or a sieve table."""

    model: Literal["rosin_rammler", "gates_gaudin_schuhmann", "table"]
    p80: _R.p80.type() | None = _R.p80.field(None, "80 % passing size")
    m: _R.m.type() = _R.m.field(1.0, "spread (Rosin-Rammler) or slope (Gates-Gaudin-"
                                "Schuhmann)")
    sizes: list[_R.sieve.type()] | None = _R.sieve.field(None, "table: sieve sizes")
    passing: list[_R.passing.type()] | None = _R.passing.field(None, "table: % passing "
                                                               "each size")

    @model_validator(mode="after")
    def _check(self):
        if self.model == "table":
            if self.sizes is None or self.passing is None:
                raise ValueError("a 'table' distribution needs 'sizes' and 'passing' (%)")
            if len(self.sizes) != len(self.passing):
                raise ValueError(f"'sizes' has {len(self.sizes)} values and 'passing' "
                                 f"{len(self.passing)}: give one passing % per size")
        else:
            if self.p80 is None or self.p80 <= 0:
                raise ValueError(f"a '{self.model}' distribution needs a positive 'p80'")
            if self.m <= 0:
                raise ValueError(f"the spread 'm' must be positive, got {self.m:g}")
        return self

    def retained(self, grid) -> np.ndarray:
        """Retained mass fractions on ``grid``."""
        from flowsheet import sizes

        if self.model == "rosin_rammler":
            return sizes.rosin_rammler(grid, self.p80, self.m)
        if self.model == "gates_gaudin_schuhmann":
            return sizes.gates_gaudin_schuhmann(grid, self.p80, self.m)
        return sizes.from_table(grid, self.sizes, self.passing)


class FeedParams(Params):
    flows: dict[str, MassFlow] = _R.mass_flow.field(description="mass flow of each species")
    temperature: _R.temperature.type() = _R.temperature.field(25.0, "temperature")
    psd: PSDSpec | dict[str, PSDSpec] | None = None


@register("feed")
class Feed(Unit):
    """A constant source of material."""

    Params = FeedParams
    inlet_ports = ()
    report_units = {"total": "t/h", "coarser_than_top_pct": "%"}
    validity = VALIDITY

    @classmethod
    def needs_grid(cls, params: FeedParams) -> bool:
        """A feed that gives a size distribution needs a size grid on the flowsheet."""
        return params.psd is not None

    def setup(self) -> None:
        table, grid = self.context.table, self.context.grid
        self.flows = self.species_vector(self.params.flows, "flows")
        psd = None
        if grid is not None:
            solids = [table.names[i] for i in table.solid_index]
            psd = np.zeros((len(solids), grid.n_classes))
            spec = self.params.psd
            for row, name in enumerate(solids):
                if isinstance(spec, PSDSpec):
                    one = spec
                elif isinstance(spec, dict) and name in spec:
                    one = spec[name]
                elif self.flows[table.index[name]] > 0:
                    raise SchemaError(
                        f"solid species '{name}' has no size distribution",
                        location=Location(key="psd" if spec is not None else "flows"),
                        hint="give 'psd: {model: rosin_rammler, p80: ..., m: ...}' for all "
                             "solids, or one per solid species")
                else:
                    continue
                key = f"psd.{name}" if isinstance(spec, dict) else "psd"
                try:
                    psd[row] = one.retained(grid)
                except SchemaError as err:
                    raise err.located(key=key) from None
                self._check_top(one, psd[row], grid, key)
            if isinstance(spec, dict):
                for name in spec:
                    if name not in solids:
                        raise SchemaError(f"'{name}' is not a solid species of the flowsheet",
                                          location=Location(key=f"psd.{name}"),
                                          hint=did_you_mean(name, solids))
        self._stream = Stream(table, self.flows, self.params.temperature, psd, grid)

    def _check_top(self, spec: PSDSpec, retained: np.ndarray, grid, key: str) -> None:
        """Refuse a distribution the grid cannot hold: more than 20 % above its top sieve."""
        from flowsheet import sizes

        if retained[0] <= 0.2 + 1e-12:
            return
        top = float(grid.sieves[0])
        got = float(sizes.p80(grid, retained))
        if spec.model == "table":
            asked = "the table"
            need = max(float(v) for v in spec.sizes)
        else:
            asked = f"P80 {_size(spec.p80)}"
            need = float(spec.p80)
        raise SchemaError(
            f"{asked} puts {100 * retained[0]:.3g} % of the mass above the size grid's top "
            f"sieve {_size(top)}: the feed would enter at P80 {_size(got)}",
            location=Location(key=f"{key}.p80" if spec.model != "table" else f"{key}.sizes"),
            hint=f"set size_grid: {{top: ...}} to at least {_size(need * 2)} (twice the "
                 "coarsest size asked)")

    def source(self) -> Stream:
        return self._stream

    def _run(self, inlets) -> Outcome:
        report = {"total": self._stream.total}
        psd = self._stream.psd
        if psd is not None and psd.size:
            solids = self._stream.flows[self.context.table.solid_index] > 0
            if solids.any():
                top = psd[solids, 0] / np.maximum(psd[solids].sum(axis=1), 1e-300)
                report["coarser_than_top_pct"] = 100.0 * float(top.max())
        return {"out": self._stream}, report

    def transfer(self):
        return {"out": np.zeros(len(self.context.table))}

    def outlet_temperature(self):
        return self.params.temperature


def _size(um: float) -> str:
    """A size for a message: mm from 1 mm up, else um.

    >>> _size(30000.0), _size(150.0)
    ('30 mm', '150 um')
    """
    return f"{um / 1000:.4g} mm" if um >= 1000 else f"{um:.4g} um"
