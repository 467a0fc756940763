"""Finding unit types and the solver through entry points.

The core knows no particular unit or solver: unit types come from the
``flowsheet.units`` entry-point group (each entry a Unit class, registered under the
entry's name, or a function returning a mapping type name -> class) and the solver from
``flowsheet.solvers`` (entry ``default``). The engine's own units and solver are found the
same way as a third party's.

The names of all types are known at once, but a mapping an entry returns may load its
classes only when they are looked up (the built-in units do): a flowsheet that names four
types imports four unit modules, and the list of every type (for "did you mean", the
schema, the docs) costs no import.

>>> "mixer" in unit_types()
True
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from importlib.metadata import entry_points

from flowsheet.errors import FlowsheetError

__all__ = ["UnitTypes", "unit_types", "solver"]


class UnitTypes(Mapping[str, type]):
    """Registered unit types, YAML ``type:`` name -> Unit class, read through to the
    mapping each name came from, so a class is loaded only when it is looked up.

    >>> types = UnitTypes({"mixer": {"mixer": int}})
    >>> list(types), types["mixer"]
    (['mixer'], <class 'int'>)
    """

    def __init__(self, sources: Mapping[str, Mapping[str, type]]):
        self._sources = dict(sources)

    def __getitem__(self, name: str) -> type:
        return self._sources[name][name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)

    def __contains__(self, name: object) -> bool:
        return name in self._sources

    def __repr__(self) -> str:
        return f"<unit types: {', '.join(self._sources)}>"


@functools.lru_cache(maxsize=1)
def _unit_types() -> UnitTypes:
    found: dict[str, Mapping[str, type]] = {}
    for ep in entry_points(group="flowsheet.units"):
        obj = ep.load()
        if isinstance(obj, type):
            found[ep.name] = {ep.name: obj}
        else:
            result = obj() if callable(obj) else obj
            if not isinstance(result, Mapping):
                raise FlowsheetError(f"entry point '{ep.value}' of flowsheet.units gives "
                                     "neither a unit class nor a mapping of unit types")
            found.update(dict.fromkeys(result, result))
    if not found:
        raise FlowsheetError("no unit types are installed",
                             hint="install the package: pip install -e .")
    return UnitTypes(found)


def unit_types() -> UnitTypes:
    """Registered unit types: YAML ``type:`` name -> Unit class (a copy)."""
    return UnitTypes(_unit_types()._sources)


@functools.lru_cache(maxsize=1)
def solver() -> Callable:
    """The steady-state solve function: ``solve(flowsheet, **options) -> Results``."""
    for ep in entry_points(group="flowsheet.solvers"):
        if ep.name == "default":
            return ep.load()
    raise FlowsheetError("no solver is installed", hint="install the package: pip install -e .")
