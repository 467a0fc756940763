"""Finding unit types and the solver through entry points.

The core knows no particular unit or solver: unit types come from the
``flowsheet.units`` entry-point group (each entry a Unit class, registered under the
entry's name, or a function returning a mapping type name -> class) and the solver from
``flowsheet.solvers`` (entry ``default``). The engine's own units and solver are found the
same way as a third party's.

>>> "mixer" in unit_types()
True
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from importlib.metadata import entry_points

from flowsheet.errors import FlowsheetError

__all__ = ["unit_types", "solver"]


@functools.lru_cache(maxsize=1)
def _unit_types() -> dict[str, type]:
    found: dict[str, type] = {}
    for ep in entry_points(group="flowsheet.units"):
        obj = ep.load()
        if isinstance(obj, type):
            found[ep.name] = obj
        else:
            result = obj() if callable(obj) else obj
            if not isinstance(result, Mapping):
                raise FlowsheetError(f"entry point '{ep.value}' of flowsheet.units gives "
                                     "neither a unit class nor a mapping of unit types")
            found.update(result)
    if not found:
        raise FlowsheetError("no unit types are installed",
                             hint="install the package: pip install -e .")
    return found


def unit_types() -> dict[str, type]:
    """Registered unit types: YAML ``type:`` name -> Unit class (a copy)."""
    return dict(_unit_types())


@functools.lru_cache(maxsize=1)
def solver() -> Callable:
    """The steady-state solve function: ``solve(flowsheet, **options) -> Results``."""
    for ep in entry_points(group="flowsheet.solvers"):
        if ep.name == "default":
            return ep.load()
    raise FlowsheetError("no solver is installed", hint="install the package: pip install -e .")
