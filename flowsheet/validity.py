"""Usual ranges of results, as data, and the warnings a solved flowsheet carries.

A unit (or the physics module beside it) declares the usual range of some of its report
values as a table -- report key -> :class:`UsualRange` (low, high, unit of measure, source) --
in its class attribute ``validity`` (see :class:`flowsheet.unit.Unit`). After a solve,
:func:`collect` checks each unit's converged report against its table and returns one
:class:`ResultWarning` per value outside its range. :class:`~flowsheet.results.Results`
carries them (``results.warnings``, and ``"warnings"`` in ``results.json``), the run store
keeps them with the results, and ``flowsheet run`` prints one summary line
(``--strict`` turns the first into an error).

A value outside its usual range is not an error of the engine: the balance is right for
the parameters given. It says that the plant described is unusual -- a cyclone at
1,400 kPa, electrolyte at 350 g/L acid -- and most often that a parameter is mistyped.

>>> ranges = {"pressure": UsualRange(40, 250, "kPa", "Wills and Finch (2016)")}
>>> [str(w) for w in check_report("cyc", {"pressure": 1396.0}, ranges)]
["unit 'cyc': pressure 1,396 kPa is outside its usual range 40-250 kPa (Wills and Finch (2016))"]
>>> check_report("cyc", {"pressure": 120.0}, ranges)
[]
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["UsualRange", "ResultWarning", "check_report", "collect", "summary_line",
           "format_value"]


@dataclass(frozen=True)
class UsualRange:
    """The usual range of one result: ``low`` to ``high`` (either may be ``None``).

    ``unit`` is the unit of measure of the report value (empty for a ratio); ``source``
    says where the range comes from (a book or paper, with the page or table where known).
    """

    low: float | None
    high: float | None
    unit: str
    source: str

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in the range (ends included).

        >>> UsualRange(40, 250, "kPa", "-").contains(250.0)
        True
        >>> UsualRange(None, 5, "%", "-").contains(7)
        False
        """
        return ((self.low is None or value >= self.low)
                and (self.high is None or value <= self.high))

    def text(self) -> str:
        """The range as written in a message: ``40-250 kPa``, ``at most 5 %``.

        >>> UsualRange(None, 0.5, "t/h", "-").text(), UsualRange(1, None, "", "-").text()
        ('at most 0.5 t/h', 'at least 1')
        """
        unit = f" {self.unit}" if self.unit else ""
        if self.low is None:
            return f"at most {format_value(self.high)}{unit}"
        if self.high is None:
            return f"at least {format_value(self.low)}{unit}"
        return f"{format_value(self.low)}-{format_value(self.high)}{unit}"


@dataclass(frozen=True)
class ResultWarning:
    """A converged result outside its usual range."""

    unit: str
    key: str
    value: float
    unit_of_measure: str
    low: float | None
    high: float | None
    source: str

    def as_dict(self) -> dict[str, Any]:
        """The entry of ``"warnings"`` in results.json."""
        return asdict(self)

    def __str__(self) -> str:
        usual = UsualRange(self.low, self.high, self.unit_of_measure, self.source).text()
        return (f"unit '{self.unit}': {self.key} {self.value_text()} is outside its usual "
                f"range {usual} ({self.source})")

    def value_text(self) -> str:
        """The value with its unit of measure: ``1,396 kPa``, ``2.907``."""
        unit = f" {self.unit_of_measure}" if self.unit_of_measure else ""
        return format_value(self.value) + unit


def format_value(value: float | None) -> str:
    """A number as messages show it: 4 significant figures, thousands separated.

    >>> format_value(1396.2), format_value(0.01234), format_value(351.0)
    ('1,396', '0.01234', '351')
    """
    if value is None:
        return "-"
    if value != 0 and math.isfinite(value) and abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def check_report(unit: str, report: Mapping[str, Any],
                 ranges: Mapping[str, UsualRange]) -> list[ResultWarning]:
    """The values of ``report`` outside their ``ranges``, in the order of ``ranges``.

    Keys missing from the report, values that are not numbers and NaN are skipped: a unit
    that did not compute a value has nothing to check.
    """
    out = []
    for key, rng in ranges.items():
        value = report.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        value = float(value)
        if math.isnan(value) or rng.contains(value):
            continue
        out.append(ResultWarning(unit, key, value, rng.unit, rng.low, rng.high, rng.source))
    return out


def collect(units: Mapping[str, Any], reports: Mapping[str, Mapping[str, Any]]
            ) -> list[ResultWarning]:
    """Every unit's warnings on its converged report, in the flowsheet's unit order.

    ``units`` maps unit names to units; a unit takes part through its method
    ``result_warnings(report)`` (the :class:`flowsheet.unit.Unit` base class checks its
    ``validity`` table), so the core needs no knowledge of any unit.
    """
    out: list[ResultWarning] = []
    for name, unit in units.items():
        check = getattr(unit, "result_warnings", None)
        if check is not None and name in reports:
            out.extend(check(reports[name]))
    return out


def summary_line(warnings: list[ResultWarning], where: str = "") -> str:
    """The one line the command line prints for the warnings of a run.

    >>> w = ResultWarning("cyc", "pressure", 1396.0, "kPa", 40.0, 250.0, "-")
    >>> summary_line([w, w, w], "out/results.json")
    '3 values outside their usual range -- see warnings in out/results.json'
    >>> summary_line([w])
    '1 value outside its usual range -- see warnings'
    """
    n = len(warnings)
    text = (f"{n} value outside its usual range" if n == 1
            else f"{n} values outside their usual range")
    return text + " -- see warnings" + (f" in {where}" if where else "")
