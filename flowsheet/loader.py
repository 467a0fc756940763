"""Reading a flowsheet file into a checked :class:`~flowsheet.model.Flowsheet`.

Every error names the file, line and column, the unit and key, and what would be
accepted. The checks, in order: YAML (syntax, duplicate keys, no tags), the top-level
format, species, each unit's type and parameters, the size grid, the connections (units
and ports exist, every outlet connected once, single-inlet ports take one stream, every
unit receives something), design specs, and finally species that could enter a recycle
but never leave it.

>>> fs = loads('''
... flowsheet: tiny
... species: [{name: water}]
... units:
...   w: {type: feed, flows: {water: 5}}
...   p: {type: product}
... streams: [{from: w, to: p}]
... ''')
>>> fs
<Flowsheet 'tiny': 2 units, 1 streams, 1 species>
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from pydantic import ValidationError

from flowsheet.collector import collector_paused
from flowsheet.errors import (
    FlowsheetError,
    Location,
    SchemaError,
    SpeciesError,
    TopologyError,
    YamlSyntaxError,
    did_you_mean,
)
from flowsheet.model import Connection, Flowsheet
from flowsheet.schema import FlowsheetFile, explain
from flowsheet.species import SpeciesTable
from flowsheet.yamlio import Positions, load_yaml, read_yaml_file

__all__ = ["load", "loads"]


def load(path: str | os.PathLike, *, progress: Callable[..., None] | None = None
         ) -> Flowsheet:
    """Read and check the flowsheet file at ``path``.

    The cyclic garbage collector is paused while the file is read and the flowsheet
    built (:func:`~flowsheet.collector.collector_paused`): none of what is made is garbage.
    ``progress`` (a :class:`~flowsheet.progress.Progress`) is told of the lines read and
    of the units and streams checked.
    """
    with collector_paused():
        try:
            data, positions, text = read_yaml_file(path, progress)
        except YamlSyntaxError as err:
            raise _in_unit(err) from None
        return _build(data, positions, text, str(path), progress)


def loads(text: str, filename: str = "<string>", *,
          progress: Callable[..., None] | None = None) -> Flowsheet:
    """Read and check a flowsheet given as text (the collector paused, as in :func:`load`)."""
    with collector_paused():
        try:
            data, positions = load_yaml(text, filename, progress)
        except YamlSyntaxError as err:
            raise _in_unit(err) from None
        return _build(data, positions, text, filename, progress)


def _in_unit(err: YamlSyntaxError) -> YamlSyntaxError:
    """Name the unit and the key path inside it of a value the reader refused, when the
    error knows its path (``units.<name>.<key>...``)."""
    path = getattr(err, "path", ())
    if len(path) > 2 and path[0] == "units":
        key = ".".join(map(str, path[2:]))
        err.location = replace(err.location, unit=str(path[1]), key=key)
    return err


def _key_path(key: str | None) -> tuple:
    if not key:
        return ()
    return tuple(int(p) if p.isdigit() else p for p in key.split("."))


class _Locator:
    """Turns errors into errors located in the file."""

    def __init__(self, positions: Positions, filename: str) -> None:
        self.positions = positions
        self.filename = filename

    def at(self, path: Sequence, *, unit: str | None = None, key: str | None = None
           ) -> Location:
        return self.positions.location(tuple(path), unit=unit, key=key)

    def relocate(self, err: FlowsheetError, base: Sequence) -> FlowsheetError:
        """Fill the file position of ``err`` from its key path under ``base``."""
        loc = err.location
        path = (*base, *_key_path(loc.key))
        where = self.at(path, unit=loc.unit, key=loc.key)
        return err.located(file=where.file, line=where.line, column=where.column)


def _top_level_error(err: ValidationError, loc: _Locator) -> SchemaError:
    message, path, hint, error_class = explain(err, FlowsheetFile)
    unit = str(path[1]) if len(path) > 1 and path[0] == "units" else None
    names = [part for part in path if isinstance(part, str)]
    key = names[-1] if names else None   # 'bounds', not the index of a list item in it
    return error_class(message, location=loc.at(path, unit=unit, key=key), hint=hint)


def _build(data: Any, positions: Positions, text: str, filename: str,
           progress: Callable[..., None] | None = None) -> Flowsheet:
    from flowsheet.plugins import unit_types
    from flowsheet.sizes import SizeGrid

    loc = _Locator(positions, filename)
    if not isinstance(data, dict):
        raise SchemaError("a flowsheet file is a mapping with the keys flowsheet, species, "
                          "units and streams", location=loc.at(()))
    try:
        doc = FlowsheetFile.model_validate(data)
    except ValidationError as err:
        raise _top_level_error(err, loc) from None

    table = _species(doc, loc)

    # unit types and parameters
    types = unit_types()
    params: dict[str, tuple[type, Any]] = {}
    n_units = len(doc.units)
    for i, (name, config) in enumerate(doc.units.items()):
        if progress is not None and not i & 0x3FF:
            progress("checking units", i, None, n_units)
        base = ("units", name)
        if "." in str(name) or not str(name).strip():
            raise SchemaError(f"unit name '{name}' must be non-empty and without '.'",
                              location=loc.at(base, unit=str(name)))
        if not isinstance(config, dict):
            raise SchemaError("a unit is a mapping with a 'type'", location=loc.at(base,
                              unit=name))
        if "type" not in config:
            raise SchemaError("missing key 'type'", location=loc.at(base, unit=name),
                              hint=did_you_mean("", types))
        type_name = config["type"]
        if not isinstance(type_name, str):
            raise SchemaError(f"a unit type is a name, got {_kind(type_name)}",
                              location=loc.at((*base, "type"), unit=name, key="type"),
                              hint=did_you_mean("", types))
        if type_name not in types:
            raise SchemaError(f"unknown unit type '{type_name}'",
                              location=loc.at((*base, "type"), unit=name, key="type"),
                              hint=did_you_mean(str(type_name), types))
        cls = types[type_name]
        rest = {k: v for k, v in config.items() if k != "type"}
        try:
            validated = cls.Params.model_validate(rest)
        except ValidationError as err:
            from flowsheet.unit import validation_error

            raise loc.relocate(validation_error(err, name, cls.Params), base) from None
        params[name] = (cls, validated)

    # size grid
    grid = None
    wanting = [name for name, (cls, p) in params.items() if cls.needs_grid(p)]
    needs_grid = bool(wanting)
    if doc.size_grid is None and wanting and all(params[n][0].inlet_ports for n in wanting):
        # units that classify or break by size, but no feed gives a size distribution
        raise SchemaError("needs a size grid: give the feed a psd or add 'size_grid:'",
                          location=loc.at(("units", wanting[0]), unit=wanting[0]))
    try:
        if doc.size_grid is not None:
            g = doc.size_grid
            grid = (SizeGrid.from_sieves(g.sieves) if g.sieves is not None
                    else SizeGrid.geometric(g.top, g.bottom, g.ratio))
        elif needs_grid:
            grid = SizeGrid.default()
    except FlowsheetError as err:
        raise loc.relocate(err, ("size_grid",)) from None

    # units
    from flowsheet.unit import Context

    context = Context(table, grid)
    units = {}
    for name, (cls, p) in params.items():
        try:
            units[name] = cls(name, p, context)
        except FlowsheetError as err:
            raise loc.relocate(err.located(unit=name), ("units", name)) from None

    connections = _connect(doc, data, units, loc, progress)
    fs = Flowsheet(name=doc.flowsheet, table=table, grid=grid, units=units,
                   connections=connections, specs=[], solver_options=doc.solver,
                   description=doc.description, path=filename, text=text,
                   positions=positions)
    if doc.solver.tears:
        for i, tear in enumerate(doc.solver.tears):
            if tear not in fs.by_name:
                raise TopologyError(f"tear stream '{tear}' is not a stream of the flowsheet",
                                    location=loc.at(("solver", "tears", i), key="tears"),
                                    hint=did_you_mean(tear, fs.by_name))
    from flowsheet.designspec import read_specs

    fs.specs = read_specs(doc.specs, fs, loc)
    from flowsheet.checks import check_trapped_species

    if progress is not None:
        progress("checking recycles", 0)
    try:
        check_trapped_species(fs)
    except FlowsheetError as err:
        unit = err.location.unit
        raise loc.relocate(err, ("units", unit) if unit else ()) from None
    return fs


def _kind(value: Any) -> str:
    """What a value that is not a name is: 'a list', 'a mapping', 'the number 5'."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    return f"the number {value!r}"


def _species(doc: FlowsheetFile, loc: _Locator) -> SpeciesTable:
    """The species table, each declaration checked on its own so errors point at it."""
    decls = [d.model_dump(exclude_none=True) for d in doc.species]
    first: dict[str, int] = {}
    for i, decl in enumerate(decls):
        base = ("species", i)
        name = decl["name"]
        if name in first:
            line = loc.at(("species", first[name])).line
            raise SpeciesError(f"species '{name}' is declared twice (first at line {line})",
                               location=loc.at((*base, "name"), key="name"),
                               hint="remove one of the declarations")
        first[name] = i
        try:
            SpeciesTable.from_declarations([decl])
        except FlowsheetError as err:
            raise loc.relocate(err, base) from None
    return SpeciesTable.from_declarations(decls)


def _connect(doc: FlowsheetFile, data: dict, units: dict, loc: _Locator,
             progress: Callable[..., None] | None = None) -> list[Connection]:
    connections: list[Connection] = []
    used_outlets: dict[tuple[str, str], int] = {}
    single_inlets: dict[tuple[str, str], int] = {}
    names: dict[str, int] = {}
    n_streams = len(doc.streams)
    for i, decl in enumerate(doc.streams):
        if progress is not None and not i & 0x3FF:
            progress("checking streams", i, None, n_streams)
        base = ("streams", i)
        src, src_port = _endpoint(decl.from_, units, loc, (*base, "from"), outlet=True)
        dst, dst_port = _endpoint(decl.to, units, loc, (*base, "to"), outlet=False)
        if (src, src_port) in used_outlets:
            first = used_outlets[(src, src_port)]
            raise TopologyError(
                f"outlet '{src}.{src_port}' is connected twice (first in stream {first + 1})",
                location=loc.at((*base, "from"), unit=src, key="from"),
                hint="use a splitter to send one outlet to several units")
        used_outlets[(src, src_port)] = i
        port = next(p for p in units[dst].inlets() if p.name == dst_port)
        if not port.many:
            if (dst, dst_port) in single_inlets:
                raise TopologyError(
                    f"inlet '{dst}.{dst_port}' takes one stream and already receives stream "
                    f"{single_inlets[(dst, dst_port)] + 1}",
                    location=loc.at((*base, "to"), unit=dst, key="to"),
                    hint="mix the streams in a mixer first")
            single_inlets[(dst, dst_port)] = i
        src_label = src if len(units[src].outlets()) == 1 else f"{src}.{src_port}"
        dst_label = dst if len(units[dst].inlets()) == 1 else f"{dst}.{dst_port}"
        name = decl.name or f"{src_label}->{dst_label}"
        if name in names:
            raise TopologyError(f"two streams are named '{name}'",
                                location=loc.at((*base, "name") if decl.name else base,
                                                key="name"),
                                hint="give one of them a different 'name:'")
        names[name] = i
        connections.append(Connection(i, name, src, src_port, dst, dst_port))
    receiving = {c.dst for c in connections}
    for unit_name, unit in units.items():
        for port in unit.outlets():
            if (unit_name, port) not in used_outlets:
                raise TopologyError(f"outlet '{unit_name}.{port}' is not connected",
                                    location=loc.at(("units", unit_name), unit=unit_name),
                                    hint="connect it to a product unit if it leaves the plant")
        if unit.inlets() and unit_name not in receiving:
            raise TopologyError("nothing flows into this unit",
                                location=loc.at(("units", unit_name), unit=unit_name),
                                hint=f"add a stream with 'to: {unit_name}'")
    return connections


def _endpoint(text: str, units: dict, loc: _Locator, path: tuple, *, outlet: bool
              ) -> tuple[str, str]:
    key = path[-1]
    unit, dot, port = text.partition(".")
    if unit not in units:
        raise TopologyError(f"no unit named '{unit}'", location=loc.at(path, key=key),
                            hint=did_you_mean(unit, units))
    ports = (list(units[unit].outlets()) if outlet
             else [p.name for p in units[unit].inlets()])
    kind = "outlet" if outlet else "inlet"
    if not ports:
        raise TopologyError(f"unit '{unit}' ({units[unit].type_name}) has no {kind}s",
                            location=loc.at(path, unit=unit, key=key))
    if not dot:
        if len(ports) == 1:
            return unit, ports[0]
        raise TopologyError(f"unit '{unit}' has {kind}s {', '.join(ports)}: name one",
                            location=loc.at(path, unit=unit, key=key),
                            hint=f"write '{unit}.{ports[0]}'")
    if port not in ports:
        other = ([p.name for p in units[unit].inlets()] if outlet
                 else list(units[unit].outlets()))
        if port in other:
            side, key_side = ("inlet", "to") if outlet else ("outlet", "from")
            raise TopologyError(f"'{unit}.{port}' is an {side} of '{unit}', not an {kind}",
                                location=loc.at(path, unit=unit, key=key),
                                hint=f"it belongs under '{key_side}:'; {kind}s of "
                                     f"'{unit}': {', '.join(ports)}")
        raise TopologyError(f"unit '{unit}' has no {kind} '{port}'",
                            location=loc.at(path, unit=unit, key=key),
                            hint=did_you_mean(port, ports))
    return unit, port
