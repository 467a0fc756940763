"""A flowsheet simulation and digital-twin engine for mining and metallurgy.

>>> import flowsheet
>>> fs = flowsheet.loads('''
... flowsheet: one
... species: [{name: water}]
... units: {w: {type: feed, flows: {water: 3}}, p: {type: product}}
... streams: [{from: w, to: p}]
... ''')
>>> fs.solve().stream("w->p").total
3.0

``load``, ``loads`` and the submodules are imported on first use, so that ``import
flowsheet`` (and the command line's ``--help``) does not pay for pydantic, numpy and the
file reader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flowsheet.errors import (
    BalanceError,
    ConvergenceError,
    DesignSpecError,
    FlowsheetError,
    InputError,
    SchemaError,
    TopologyError,
)

if TYPE_CHECKING:
    from flowsheet.loader import load, loads

__all__ = ["load", "loads", "FlowsheetError", "InputError", "SchemaError", "TopologyError",
           "ConvergenceError", "DesignSpecError", "BalanceError"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """``flowsheet.load`` and ``flowsheet.loads``, and the submodules (``flowsheet.model``),
    imported when first used (PEP 562)."""
    import importlib

    if name in ("load", "loads"):
        return getattr(importlib.import_module("flowsheet.loader"), name)
    if not name.startswith("_"):
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
