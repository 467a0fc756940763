"""The registry of unit types: YAML ``type:`` name -> Unit class.

A unit registers itself with the :func:`register` decorator in its own module. The
engine finds unit types through the ``flowsheet.units`` entry-point group: this package
declares ``builtin = "units.registry:builtin_units"``, and a third-party package declares
its own entries the same way (an entry may name a Unit class, registered under the
entry's name, or a function returning a mapping of types).

>>> types = builtin_units()
>>> sorted(t for t in types if t in ("feed", "mixer", "product"))
['feed', 'mixer', 'product']
"""

from __future__ import annotations

import importlib

from flowsheet.unit import Unit

__all__ = ["register", "builtin_units", "BUILTIN_MODULES"]

#: Modules of the built-in units, imported when the registry is first read.
BUILTIN_MODULES = (
    "units.generic.feed",
    "units.generic.product",
    "units.generic.mixer",
    "units.generic.splitter",
    "units.generic.separator",
    "units.generic.reactor",
    "units.comminution.crushers",
    "units.comminution.hpgr",
    "units.comminution.mills",
    "units.classification.hydrocyclone",
    "units.classification.screening",
    "units.comminution.sabc_circuit",
    "units.pyro.smelter",
    "units.pyro.converter",
    "units.refining.fire_refining",
    "units.refining.electrorefining",
    "units.refining.electrowinning",
    "units.hydro.leach_tank",
    "units.hydro.heap_leach",
    "units.hydro.thickener",
    "units.hydro.washing",
    "units.hydro.solvent_extraction",
)

_TYPES: dict[str, type[Unit]] = {}


def register(type_name: str):
    """Class decorator: register a Unit subclass under its YAML ``type:`` name."""

    def decorate(cls: type[Unit]) -> type[Unit]:
        if type_name in _TYPES and _TYPES[type_name] is not cls:
            raise ValueError(f"unit type '{type_name}' is registered twice")
        cls.type_name = type_name
        _TYPES[type_name] = cls
        return cls

    return decorate


def builtin_units() -> dict[str, type[Unit]]:
    """Import the built-in unit modules and return the registered types."""
    for module in BUILTIN_MODULES:
        importlib.import_module(module)
    return dict(_TYPES)
