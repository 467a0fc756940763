"""The Flowsheet: species, size grid, units and the connections between their ports.

A :class:`Flowsheet` is built by :func:`flowsheet.load` (or :func:`flowsheet.loads`) and is
what solvers receive. It owns everything a solve needs -- no global state -- so many
flowsheets can be solved side by side. Parameters are addressable by path
(``mine.flows.ore``, ``sag.mia``) for design specs, calibration and scenarios.

>>> import flowsheet
>>> fs = flowsheet.loads('''
... flowsheet: demo
... species: [{name: water}]
... units:
...   a: {type: feed, flows: {water: 10}}
...   s: {type: splitter, fractions: {x: 0.3, y: 0.7}}
...   px: {type: product}
...   py: {type: product}
... streams:
...   - {from: a, to: s}
...   - {from: s.x, to: px}
...   - {from: s.y, to: py}
... ''')
>>> [c.name for c in fs.connections]
['a->s', 's.x->px', 's.y->py']
>>> fs.get("s.fractions.x")
0.3
>>> fs.with_params({"s.fractions.x": 0.4, "s.fractions.y": 0.6}).get("s.fractions.x")
0.4
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flowsheet.errors import FlowsheetError, Location, SchemaError, did_you_mean

__all__ = ["Connection", "Flowsheet"]


@dataclass(frozen=True)
class Connection:
    """A stream between an outlet port and an inlet port; ``index`` is its position."""

    index: int
    name: str
    src: str
    src_port: str
    dst: str
    dst_port: str

    @property
    def source(self) -> str:
        """``unit.port`` it leaves from."""
        return f"{self.src}.{self.src_port}"

    @property
    def target(self) -> str:
        """``unit.port`` it enters."""
        return f"{self.dst}.{self.dst_port}"


@dataclass
class Flowsheet:
    """A loaded, checked flowsheet."""

    name: str
    table: Any
    grid: Any
    units: dict[str, Any]
    connections: list[Connection]
    specs: list[Any] = field(default_factory=list)
    solver_options: Any = None
    description: str | None = None
    path: str | None = None
    text: str | None = None
    positions: Any = None
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.inlets: dict[str, dict[str, list[int]]] = {u: {} for u in self.units}
        self.outlet_of: dict[str, dict[str, int]] = {u: {} for u in self.units}
        for c in self.connections:
            self.inlets[c.dst].setdefault(c.dst_port, []).append(c.index)
            self.outlet_of[c.src][c.src_port] = c.index
        self.by_name = {c.name: c for c in self.connections}

    # -- graph ------------------------------------------------------------------------------
    @property
    def graph(self):
        """A ``networkx.MultiDiGraph``: units as nodes (attribute ``type``), streams as
        edges keyed by stream name (attributes ``label``, ``src_port``, ``dst_port``)."""
        if "graph" not in self._cache:
            import networkx as nx

            g = nx.MultiDiGraph(name=self.name)
            for name, unit in self.units.items():
                g.add_node(name, type=unit.type_name)
            for c in self.connections:
                g.add_edge(c.src, c.dst, key=c.name, label=c.name, src_port=c.src_port,
                           dst_port=c.dst_port)
            self._cache["graph"] = g
        return self._cache["graph"]

    def feeds(self) -> list[str]:
        """Units with no inlet ports (where material enters)."""
        if "feeds" not in self._cache:
            self._cache["feeds"] = [n for n, u in self.units.items() if not u.inlets()]
        return self._cache["feeds"]

    def products(self) -> list[str]:
        """Units with no outlet ports (where material leaves)."""
        if "products" not in self._cache:
            self._cache["products"] = [n for n, u in self.units.items() if not u.outlets()]
        return self._cache["products"]

    # -- parameters by path ---------------------------------------------------------------
    def _split(self, path: str) -> tuple[str, str]:
        unit, _, rest = path.partition(".")
        if unit not in self.units:
            raise SchemaError(f"no unit '{unit}' in '{path}'", location=Location(key=path),
                              hint=did_you_mean(unit, self.units))
        if not rest:
            raise SchemaError(f"'{path}' names a unit, not a parameter",
                              location=Location(unit=unit, key=path))
        return unit, rest

    def get(self, path: str) -> Any:
        """A parameter by path: ``unit.param[.key]``."""
        unit, rest = self._split(path)
        return self.units[unit].get_param(rest)

    def with_params(self, values: Mapping[str, Any]) -> Flowsheet:
        """A copy with parameters changed by path, each validated again.

        The copy shares species, grid and connections; only changed units are rebuilt.
        """
        units = dict(self.units)
        changes: dict[str, dict[str, Any]] = {}
        for path, value in values.items():
            unit, rest = self._split(path)
            changes.setdefault(unit, {})[rest] = value
        for unit, params in changes.items():
            units[unit] = units[unit].with_params(params)
        new = copy.copy(self)
        new.units = units
        shared = ("graph", "structure", "feeds", "products", "leaving", "options")
        new._cache = {k: v for k, v in self._cache.items() if k in shared}
        return new

    # -- solving ----------------------------------------------------------------------------
    def solve(self, **options: Any):
        """Solve the steady state (design specs included) and return the Results.

        Options override the file's ``solver:`` settings (``method``, ``tolerance``,
        ``max_iterations``, ``linear``).
        """
        from flowsheet.plugins import solver

        try:
            return solver()(self, **options)
        except FlowsheetError as err:
            raise self._locate(err) from None

    def _locate(self, err: FlowsheetError) -> FlowsheetError:
        """Fill the file, and the line of the unit's key when the error names one."""
        loc = err.location
        if loc.line is None and loc.unit in self.units and self.positions is not None:
            keys = tuple(int(k) if k.isdigit() else k for k in (loc.key or "").split(".") if k)
            where = self.positions.location(("units", loc.unit, *keys))
            return err.located(file=where.file or self.path, line=where.line,
                               column=where.column)
        return err.located(file=self.path)

    def __repr__(self) -> str:
        return (f"<Flowsheet '{self.name}': {len(self.units)} units, "
                f"{len(self.connections)} streams, {len(self.table)} species>")
