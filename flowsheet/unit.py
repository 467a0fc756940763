"""The Unit base class: ports, a pydantic parameter model, and one hook to write.

A unit adapts streams to physics. A subclass declares

* ``type_name`` -- its YAML ``type:`` (given by :func:`units.registry.register`),
* ``Params`` -- a pydantic model of its parameters (``extra="forbid"``; cross-field rules
  in one ``model_validator``),
* ``inlet_ports`` / ``outlet_ports`` -- port names (instances may override
  :meth:`Unit.outlets` when the ports come from parameters, as a splitter's do),

and writes :meth:`Unit._run`, which receives one (already mixed) stream per inlet port and
returns its outlet streams and a report. The base class owns :meth:`Unit.run`: it mixes
the streams arriving at each port and calls the hook, so the solver never knows what a
unit does inside.

Units that are linear in their inlets (mixers, splitters, fixed-split separators,
fixed-conversion reactors) also expose :meth:`Unit.transfer`, the coefficients that map
the sum of their inlets to each outlet; a solver can then solve a linear subgraph in one
sparse solve.

Units that hold inventory (stockpiles, surge bins, tanks) declare a :class:`Holdup`; at
steady state they are solved like any other unit (what enters leaves), and the dynamic
solver uses :meth:`Unit.initial_state` and :meth:`Unit.step`.

>>> from flowsheet.species import SpeciesTable
>>> from flowsheet.stream import Stream
>>> class Mix(Unit):
...     def _run(self, inlets):
...         return {"out": inlets["in"]}, {"total": float(inlets["in"].total)}
>>> table = SpeciesTable.from_declarations([{"name": "water"}, {"name": "quartz"}])
>>> ctx = Context(table)
>>> mixer = Mix.from_config("mix", {}, ctx)
>>> outlets, report = mixer.run({"in": [Stream(table, [1.0, 2.0]), Stream(table, [3.0, 0.0])]})
>>> outlets["out"].flows.tolist(), report
([4.0, 2.0], {'total': 6.0})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, ValidationError
from pydantic_core import CoreSchema

from flowsheet.errors import Location, SchemaError, UnitRunError, did_you_mean
from flowsheet.schema import strict_numbers
from flowsheet.stream import Stream
from flowsheet.validity import ResultWarning, UsualRange, check_report

__all__ = ["GRID_NEEDED", "Port", "Context", "Holdup", "Params", "NoParams", "Unit", "Outcome",
           "validation_error"]

Outcome = tuple[dict[str, Stream], dict[str, Any]]

#: The message for a unit that works size by size on a flowsheet without a size grid.
GRID_NEEDED = "needs a size grid: give the feed a psd or add 'size_grid:'"


class Params(BaseModel):
    """Base of every unit's parameter model: unknown keys are errors, and a number is a
    finite number (``.nan``, ``.inf`` and booleans are refused in every numeric field)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False, allow_inf_nan=False)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler
                                     ) -> CoreSchema:
        return strict_numbers(handler(source))


class NoParams(Params):
    """Parameters of a unit that takes none."""


@dataclass(frozen=True)
class Port:
    """An inlet port; ``many`` lets several streams enter it (they are mixed)."""

    name: str
    many: bool = True


@dataclass(frozen=True)
class Context:
    """What every unit of one flowsheet shares: the species table and the size grid."""

    table: Any
    grid: Any = None

    def empty_stream(self, temperature: float = 25.0) -> Stream:
        """A stream with no flow on this flowsheet's species and grid."""
        return Stream.empty(self.table, self.grid, temperature)


@dataclass(frozen=True)
class Holdup:
    """Declares that a unit holds inventory of every species (t), for time stepping.

    ``capacity`` and ``initial`` name the parameters that give the capacity and the
    initial inventory (t); either may be ``None``.
    """

    capacity: str | None = None
    initial: str | None = None


def validation_error(err: ValidationError, unit: str | None, model: type[BaseModel]
                     ) -> SchemaError:
    """Turn pydantic's report into one :class:`SchemaError` with the key path.

    An unreadable quantity gives its subclass :class:`~flowsheet.errors.QuantityError`.

    The key is the dotted path inside the unit (``flows.ore``); an unknown parameter or
    a value outside a fixed set of choices gets a suggestion, and a rule of the whole
    model is placed at the parameter its message names (see
    :func:`flowsheet.schema.explain`).
    """
    from flowsheet.schema import explain

    message, path, hint, error_class = explain(err, model, noun="parameter")
    key = ".".join(map(str, path)) or None
    return error_class(message, location=Location(unit=unit, key=key), hint=hint)


class Unit:
    """Base class of every unit. Subclasses write :meth:`_run` (and :meth:`setup`)."""

    type_name: ClassVar[str] = ""
    Params: ClassVar[type[Params]] = NoParams
    #: True for units that classify or break particles by size: they need a size grid.
    sized: ClassVar[bool] = False
    inlet_ports: ClassVar[tuple[Port, ...]] = (Port("in"),)
    outlet_ports: ClassVar[tuple[str, ...]] = ("out",)
    holdup: ClassVar[Holdup | None] = None
    #: Unit of measure of every numeric report key, in the README's unit strings ("1" for
    #: fractions, ratios and counts); a key may be a pattern with ``*`` (``pls_*``), tried
    #: after the exact keys (:func:`flowsheet.headers.unit_of`). Text and true/false keys
    #: have none. Written to ``results.json`` (``report_units``) and to table headers.
    report_units: ClassVar[dict[str, str]] = {}
    #: Usual ranges of report values, report key -> :class:`~flowsheet.validity.UsualRange`;
    #: a converged value outside its range becomes a warning of the results.
    validity: ClassVar[Mapping[str, UsualRange]] = {}

    def __init__(self, name: str, params: Params, context: Context) -> None:
        self.name = name
        self.params = params
        self.context = context
        if type(self).needs_grid(params) and context.grid is None:
            raise SchemaError(GRID_NEEDED, location=Location(unit=name))
        try:
            self.setup()
        except SchemaError as err:
            raise err.located(unit=name) from None

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def from_config(cls, name: str, config: Mapping[str, Any], context: Context) -> Unit:
        """Validate ``config`` (the YAML mapping without ``type``) and build the unit."""
        try:
            params = cls.Params.model_validate(dict(config))
        except ValidationError as err:
            raise validation_error(err, name, cls.Params) from None
        return cls(name, params, context)

    @classmethod
    def needs_grid(cls, params: Params) -> bool:
        """Whether this unit, with these parameters, needs the flowsheet's size grid
        (``sized`` units always do; a feed does when it gives a size distribution)."""
        return cls.sized

    def setup(self) -> None:
        """Precompute what :meth:`_run` needs from the parameters (indices, matrices).

        Raise :class:`SchemaError` with ``Location(key=...)`` for a parameter that is
        valid alone but not on this flowsheet (an unknown species, say).
        """

    def species_vector(self, mapping: Mapping[str, float], key: str,
                       default: float = 0.0) -> np.ndarray:
        """A per-species vector from a parameter mapping species -> value.

        Unknown species raise :class:`SchemaError` located at ``key.<name>``.
        """
        table = self.context.table
        vec = np.full(len(table), float(default))
        for species, value in mapping.items():
            if species not in table.index:
                raise SchemaError(f"unknown species '{species}'",
                                  location=Location(unit=self.name, key=f"{key}.{species}"),
                                  hint=did_you_mean(species, table.names))
            vec[table.index[species]] = value
        return vec

    # -- ports ------------------------------------------------------------------------------
    def inlets(self) -> tuple[Port, ...]:
        """Inlet ports of this instance."""
        return self.inlet_ports

    def outlets(self) -> tuple[str, ...]:
        """Outlet port names of this instance."""
        return self.outlet_ports

    # -- steady state -----------------------------------------------------------------------
    def run(self, inlets: Mapping[str, Sequence[Stream]]) -> Outcome:
        """Mix the streams at each inlet port, call :meth:`_run`, return outlets and report."""
        mixed = {}
        for port in self.inlets():
            streams = inlets.get(port.name, ())
            if not streams:
                mixed[port.name] = self.context.empty_stream()
            elif len(streams) == 1:
                mixed[port.name] = streams[0]
            else:
                mixed[port.name] = Stream.mix(streams)
        try:
            return self._run(mixed)
        except (ArithmeticError, ValueError, IndexError) as exc:
            raise UnitRunError(f"{type(exc).__name__}: {exc}",
                               location=Location(unit=self.name)) from exc

    def _run(self, inlets: dict[str, Stream]) -> Outcome:
        """The one hook: outlet streams by port, and a report of scalars."""
        raise NotImplementedError(f"{type(self).__name__} must implement _run")

    def verify(self, report: dict[str, Any]) -> None:
        """Check the report of the converged run; raise if the answer is not acceptable.

        Called once per unit after a solve (not during recycle iterations, where a unit
        may see inlets far from the answer). The default accepts everything.
        """

    def result_warnings(self, report: dict[str, Any]) -> list[ResultWarning]:
        """The values of the converged report outside their usual range (:attr:`validity`).

        Units whose usual ranges depend on their parameters set ``self.validity`` in
        :meth:`setup` (electrowinning by metal, SX by mode) or override this method (a
        smelting technology's matte grades).
        """
        return check_report(self.name, report, self.validity)

    def transfer(self) -> dict[str, np.ndarray] | None:
        """For a unit linear in its inlets: outlet port -> coefficients on the inlet sum.

        A vector (one factor per species) or a matrix ``T`` with ``out = T @ in``.
        ``None`` (the default) means the unit is not linear.
        """
        return None

    def source(self) -> Stream | None:
        """For a unit with no inlets (a feed): its constant outlet stream."""
        return None

    def outlet_temperature(self) -> float | None:
        """For a linear unit: a fixed outlet temperature [degC], or ``None`` when its
        outlets leave at the mixed inlet temperature."""
        return None

    def keeps_size_distributions(self) -> bool:
        """True when :meth:`transfer` acts on each species alone, so that every mineral's
        size distribution passes unchanged (a vector transfer does)."""
        t = self.transfer()
        return t is not None and all(np.ndim(v) == 1 for v in t.values())

    # -- time stepping ----------------------------------------------------------------------
    def initial_state(self) -> np.ndarray:
        """Initial inventory per species [t] of a unit that declares a :class:`Holdup`."""
        if self.holdup is None:
            raise UnitRunError("unit holds no inventory", location=Location(unit=self.name))
        return np.zeros(len(self.context.table))

    def step(self, inlets: Mapping[str, Sequence[Stream]], state: np.ndarray,
             hours: float) -> tuple[dict[str, Stream], np.ndarray, dict[str, Any]]:
        """Advance a holdup unit by ``hours``: outlets, new inventory, report.

        The default passes its steady-state outlets through and keeps the inventory,
        which is right for a unit that holds nothing.
        """
        outlets, report = self.run(inlets)
        return outlets, state, report

    # -- parameters by path ---------------------------------------------------------------
    def get_param(self, path: str) -> Any:
        """A parameter by dotted path inside the unit (``flows.ore``, ``mia``)."""
        value: Any = self.params
        for part in path.split("."):
            if isinstance(value, BaseModel) and part in type(value).model_fields:
                value = getattr(value, part)
            elif isinstance(value, Mapping) and part in value:
                value = value[part]
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            else:
                choices = (list(type(value).model_fields) if isinstance(value, BaseModel)
                           else list(value) if isinstance(value, Mapping) else [])
                raise SchemaError(f"no parameter '{path}'",
                                  location=Location(unit=self.name, key=path),
                                  hint=did_you_mean(part, choices))
        return value

    def with_param(self, path: str, value: Any) -> Unit:
        """A new unit of the same type with one parameter changed (validated again)."""
        return self.with_params({path: value})

    def with_params(self, values: Mapping[str, Any]) -> Unit:
        """A new unit with parameters changed by dotted path, validated together."""
        data = self.params.model_dump(mode="python")
        for path, value in values.items():
            parts = path.split(".")
            parent = self.get_param(".".join(parts[:-1])) if len(parts) > 1 else self.params
            if not isinstance(parent, Mapping):
                self.get_param(path)  # the field must exist; raises a located error if not
            target = data
            for part in parts[:-1]:
                target = target[int(part)] if isinstance(target, list) else target[part]
            if isinstance(target, list):
                target[int(parts[-1])] = value
            else:
                target[parts[-1]] = value
        return type(self).from_config(self.name, data, self.context)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} '{self.name}'>"
