"""Argument checks shared by the size-energy laws of :mod:`units.comminution.energy`.

Every argument is checked against :data:`VALID_RANGES` (one helper, one message template); a
value outside its range raises :class:`flowsheet.errors.SchemaError` naming the argument and
the accepted interval. Symbolic (CasADi) inputs are passed through unchecked.

>>> float(check_args(wi=14.0))
14.0
>>> check_args(wi=-1.0)
Traceback (most recent call last):
...
flowsheet.errors.SchemaError: wi must be in (0, inf) kWh/t, got -1
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from flowsheet.errors import SchemaError, did_you_mean

__all__ = ["ArrayLike", "Range", "VALID_RANGES", "check_args", "check_one", "check_smaller",
           "choice"]

ArrayLike = Any
_INF = float("inf")


class Range(NamedTuple):
    """An accepted interval for one argument: bounds, unit and which bounds are included."""

    low: float
    high: float
    unit: str = ""
    low_closed: bool = False
    high_closed: bool = False

    def __str__(self) -> str:
        text = (f"{'[' if self.low_closed else '('}{self.low:g}, "
                f"{self.high:g}{']' if self.high_closed else ')'}")
        return f"{text} {self.unit}" if self.unit else text


#: Accepted range of every argument, keyed by argument name (a few keys name a
#: function-specific variant, e.g. ``rr_ef7``). Values outside raise SchemaError.
VALID_RANGES: dict[str, Range] = {
    "wi": Range(0.0, _INF, "kWh/t"),
    "f80": Range(0.0, _INF, "um"),
    "p80": Range(0.0, _INF, "um"),
    "t80": Range(0.0, _INF, "um"),
    "transfer": Range(0.0, _INF, "um"),
    "p1": Range(0.0, _INF, "um"),
    "gbp": Range(0.0, _INF, "g/rev"),
    "grp": Range(0.0, _INF, "g/rev"),
    "power_kw": Range(0.0, _INF, "kW"),
    "tph": Range(0.0, _INF, "t/h"),
    "percent_passing": Range(50.0, 98.0, "%", True, True),
    "diameter_m": Range(0.0, 15.0, "m", high_closed=True),
    "length_m": Range(0.0, 15.0, "m", high_closed=True),
    "rr": Range(1.0, _INF),
    "rr_ef7": Range(1.35, _INF),
    "mi": Range(0.0, _INF, "kWh/t"),
    "mia": Range(0.0, _INF, "kWh/t"),
    "mib": Range(0.0, _INF, "kWh/t"),
    "k": Range(0.0, _INF),
    "k1": Range(0.0, _INF),
    "sg": Range(0.0, _INF, "t/m3"),
    "a": Range(0.0, 100.0, "%", high_closed=True),
    "b": Range(0.0, _INF, "t/kWh"),
    "axb": Range(0.0, _INF),
    "c": Range(0.0, _INF),
    "d": Range(-_INF, _INF),
    "ecs": Range(0.0, _INF, "kWh/t", low_closed=True),
    "t10": Range(0.0, 100.0, "%", low_closed=True),
    "sgi": Range(0.0, _INF, "min"),
    "n": Range(0.0, _INF),
    "dwi": Range(0.0, _INF, "kWh/m3"),
    "phi": Range(0.0, 100.0, "% of critical", high_closed=True),
    "beta": Range(0.0, _INF),
    "exponent": Range(-_INF, _INF),
    "rpm": Range(0.0, _INF, "rpm"),
}


def _numbers(name: str, value: ArrayLike) -> Any:
    """``value`` as a float array, or unchanged when it is a CasADi symbol."""
    if type(value).__module__.partition(".")[0] == "casadi":
        return value
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise SchemaError(f"{name} must be a number or an array of numbers, "
                          f"got {value!r}") from None


def _first_bad(bad: np.ndarray) -> tuple[Any, str]:
    """Index of the first True in ``bad`` and a phrase locating it."""
    if bad.ndim == 0:
        return (), ""
    index = np.unravel_index(int(np.argmax(bad)), bad.shape)
    where = index[0] if len(index) == 1 else index
    return index, f" ({int(bad.sum())} of {bad.size} values; the first at index {where})"


def check_one(name: str, value: ArrayLike, accepted: Range) -> Any:
    """Raise SchemaError if any element of ``value`` lies outside ``accepted``."""
    arr = _numbers(name, value)
    if not isinstance(arr, np.ndarray):
        return arr
    above = arr >= accepted.low if accepted.low_closed else arr > accepted.low
    below = arr <= accepted.high if accepted.high_closed else arr < accepted.high
    bad = ~(above & below)
    if bad.any():
        index, extra = _first_bad(bad)
        raise SchemaError(f"{name} must be in {accepted}, got {arr[index]:g}{extra}")
    return arr


def check_args(**arguments: ArrayLike) -> Any:
    """Check each argument against its entry in VALID_RANGES; return them as arrays."""
    checked = tuple(check_one(name, value, VALID_RANGES[name])
                    for name, value in arguments.items())
    return checked if len(checked) > 1 else checked[0]


def check_smaller(small: str, small_value: Any, large: str, large_value: Any,
                   unit: str = "um") -> None:
    """Raise SchemaError unless ``small_value < large_value`` everywhere."""
    if not (isinstance(small_value, np.ndarray) and isinstance(large_value, np.ndarray)):
        return
    s, g = np.broadcast_arrays(small_value, large_value)
    bad = ~(s < g)
    if bad.any():
        index, extra = _first_bad(bad)
        raise SchemaError(f"{small} must be smaller than {large}, got {small} = {s[index]:g} "
                          f"{unit} and {large} = {g[index]:g} {unit}{extra}")


def choice(name: str, value: str, accepted: dict[str, Any] | tuple[str, ...]) -> str:
    """Raise SchemaError unless ``value`` is one of ``accepted``."""
    if value not in accepted:
        raise SchemaError(f"{name} must be one of {', '.join(map(repr, accepted))}, "
                          f"got {value!r}", hint=did_you_mean(str(value), accepted))
    return value
