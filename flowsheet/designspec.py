"""Design specifications: which parameters to vary until which quantities equal targets.

A spec in YAML::

    specs:
      - {vary: mine.flows.ore, until: cyclones.overflow.p80, equals: 229 um,
         bounds: [500, 4058]}

``vary`` is a parameter path (``unit.param[.key]``); ``until`` names a quantity of the
solution: ``unit.port.property`` for a stream at a unit's port (``p80``, ``total``,
``flows.water``, ``assay.Cu``, ... see :data:`flowsheet.stream.STREAM_PROPERTIES`) or
``unit.key`` for a value of a unit's report (``sag.power``; report keys have no dots, so
a path with more parts must name a port). Several of each make a
vector spec, solved by Newton's method. This module reads and checks specs; the solvers
run them.

>>> DesignSpec(["f.flows.water"], ["p.in.total"], [5.0], [(0.0, 10.0)]).size
1
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flowsheet.errors import FlowsheetError, Location, SchemaError, did_you_mean
from flowsheet.quantities import to_default

__all__ = ["DesignSpec", "read_specs", "target_dimension"]

_SIZE = ("p80", "p50")
_FLOW = ("total", "solids", "liquids", "flows", "elements")


@dataclass
class DesignSpec:
    """Vary ``vary`` (parameter paths) until ``until`` (quantity paths) equal ``targets``."""

    vary: list[str]
    until: list[str]
    targets: list[float]
    bounds: list[tuple[float, float] | None]
    tolerance: float = 1e-8
    max_iterations: int = 50
    index: int = 0
    location: Location = field(default_factory=Location)

    @property
    def size(self) -> int:
        """Number of varied parameters (= number of targets)."""
        return len(self.vary)


def target_dimension(prop: str) -> str:
    """The dimension of a stream property, for reading a target with units."""
    head = prop.split(".")[0]
    if head in _SIZE:
        return "size"
    if head in _FLOW:
        return "mass_flow"
    if head == "temperature":
        return "temperature"
    if head == "volumetric_flow":
        return "volume_flow"
    return "dimensionless"


def _as_list(value) -> list:
    return list(value) if isinstance(value, list) else [value]


def read_specs(decls, fs, loc) -> list[DesignSpec]:
    """Check the ``specs:`` of a file against the flowsheet ``fs`` and return them."""
    from flowsheet.stream import Stream

    specs = []
    probe = Stream.empty(fs.table, fs.grid)
    for i, decl in enumerate(decls):
        base = ("specs", i)
        vary, until, equals = _as_list(decl.vary), _as_list(decl.until), _as_list(decl.equals)
        if not len(vary) == len(until) == len(equals):
            raise SchemaError(f"spec {i + 1}: give as many 'until' and 'equals' as 'vary' "
                              f"({len(vary)}, {len(until)}, {len(equals)})",
                              location=loc.at(base, key="vary"))
        for j, path in enumerate(vary):
            where = (*base, "vary", j) if isinstance(decl.vary, list) else (*base, "vary")
            try:
                value = fs.get(path)
            except FlowsheetError as err:
                raise err.located(**_fields(loc.at(where, key="vary"))) from None
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise SchemaError(f"'{path}' is not a number and cannot be varied",
                                  location=loc.at(where, key="vary"))
        targets = []
        for j, (path, target) in enumerate(zip(until, equals, strict=True)):
            where = (*base, "until", j) if isinstance(decl.until, list) else (*base, "until")
            unit, _, rest = path.partition(".")
            if unit not in fs.units:
                raise SchemaError(f"no unit '{unit}' in '{path}'",
                                  location=loc.at(where, key="until"),
                                  hint=did_you_mean(unit, fs.units))
            port, dot, prop = rest.partition(".")
            ports = [*fs.inlets[unit], *fs.outlet_of[unit]]
            dimension = "dimensionless"
            if port in ports:
                try:
                    probe.get(prop)
                except FlowsheetError as err:
                    raise err.located(unit=unit, **_fields(loc.at(where, key="until"))
                                      ) from None
                dimension = target_dimension(prop)
            elif dot:
                raise SchemaError(f"unit '{unit}' has no port '{port}' in '{path}'",
                                  location=loc.at(where, unit=unit, key="until"),
                                  hint=did_you_mean(port, ports) if ports else None)
            try:
                targets.append(to_default(target, dimension))
            except FlowsheetError as err:
                wh = (*base, "equals", j) if isinstance(decl.equals, list) else (*base,
                                                                                  "equals")
                raise err.located(**_fields(loc.at(wh, key="equals"))) from None
        bounds = _bounds(decl.bounds, len(vary), loc, base)
        specs.append(DesignSpec(vary, until, targets, bounds, decl.tolerance,
                                decl.max_iterations, i, loc.at(base)))
    return specs


def _fields(location: Location) -> dict:
    return {"file": location.file, "line": location.line, "column": location.column,
            "key": location.key}


def _bounds(raw, n: int, loc, base) -> list[tuple[float, float] | None]:
    if raw is None:
        return [None] * n
    pairs = [raw] if raw and not isinstance(raw[0], list) else raw
    if len(pairs) != n:
        raise SchemaError(f"give one [low, high] pair of bounds per varied parameter ({n})",
                          location=loc.at((*base, "bounds"), key="bounds"))
    out = []
    for pair in pairs:
        if len(pair) != 2 or not pair[0] < pair[1]:
            shown = ", ".join(f"{v:.6g}" if isinstance(v, float) else str(v) for v in pair)
            raise SchemaError(f"bounds [{shown}] must be [low, high] with low < high",
                              location=loc.at((*base, "bounds"), key="bounds"))
        out.append((float(pair[0]), float(pair[1])))
    return out
