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
"""

from flowsheet.errors import (
    BalanceError,
    ConvergenceError,
    DesignSpecError,
    FlowsheetError,
    InputError,
    SchemaError,
    TopologyError,
)
from flowsheet.loader import load, loads

__all__ = ["load", "loads", "FlowsheetError", "InputError", "SchemaError", "TopologyError",
           "ConvergenceError", "DesignSpecError", "BalanceError"]
__version__ = "0.1.0"
