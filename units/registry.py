"""The registry of unit types: YAML ``type:`` name -> Unit class.

A unit registers itself with the :func:`register` decorator in its own module. The
engine finds unit types through the ``flowsheet.units`` entry-point group: this package
declares ``builtin = "units.registry:builtin_units"``, and a third-party package declares
its own entries the same way (an entry may name a Unit class, registered under the
entry's name, or a function returning a mapping of types).

The built-in types are known by name without importing anything (:data:`BUILTIN_TYPES`):
a unit's module is imported the first time its class is looked up, so a flowsheet of
feeds, mixers and thickeners does not pay for mills, smelters and solvent extraction.

>>> types = builtin_units()
>>> sorted(t for t in types if t in ("feed", "mixer", "product"))
['feed', 'mixer', 'product']
>>> types["mixer"].__name__
'Mixer'
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flowsheet.unit import Unit

__all__ = ["register", "builtin_units", "BUILTIN_MODULES", "BUILTIN_TYPES"]

#: Modules of the built-in units.
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

#: Every built-in type name and the module that registers it, in the order the modules of
#: :data:`BUILTIN_MODULES` register them when imported in turn (a test keeps the two in
#: step).
BUILTIN_TYPES: dict[str, str] = {
    "splitter": "units.generic.splitter",
    "feed": "units.generic.feed",
    "product": "units.generic.product",
    "mixer": "units.generic.mixer",
    "separator": "units.generic.separator",
    "stoichiometric_reactor": "units.generic.reactor",
    "gyratory_crusher": "units.comminution.crushers",
    "jaw_crusher": "units.comminution.crushers",
    "cone_crusher": "units.comminution.crushers",
    "pebble_crusher": "units.comminution.crushers",
    "sag_mill": "units.comminution.mills",
    "ball_mill": "units.comminution.mills",
    "hpgr": "units.comminution.hpgr",
    "hydrocyclone": "units.classification.hydrocyclone",
    "screen": "units.classification.screening",
    "trommel": "units.classification.screening",
    "sabc_circuit": "units.comminution.sabc_circuit",
    "smelter": "units.pyro.smelter",
    "converter": "units.pyro.converter",
    "anode_furnace": "units.refining.fire_refining",
    "electrorefinery": "units.refining.electrorefining",
    "electrowinning": "units.refining.electrowinning",
    "leach_tank": "units.hydro.leach_tank",
    "heap_leach": "units.hydro.heap_leach",
    "thickener": "units.hydro.thickener",
    "ccd_train": "units.hydro.washing",
    "solvent_extraction": "units.hydro.solvent_extraction",
}

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


class _BuiltinTypes(Mapping[str, "type[Unit]"]):
    """The built-in types by name; a class's module is imported when it is looked up."""

    def __getitem__(self, name: str) -> type[Unit]:
        if name not in _TYPES:
            importlib.import_module(BUILTIN_TYPES[name])    # KeyError: not a built-in
        return _TYPES[name]

    def __iter__(self) -> Iterator[str]:
        return iter(BUILTIN_TYPES)

    def __len__(self) -> int:
        return len(BUILTIN_TYPES)

    def __contains__(self, name: object) -> bool:
        return name in BUILTIN_TYPES

    def __repr__(self) -> str:
        return f"<built-in unit types: {', '.join(BUILTIN_TYPES)}>"


def builtin_units() -> Mapping[str, type[Unit]]:
    """The built-in unit types: name -> class, each module imported on first lookup."""
    return _BuiltinTypes()
