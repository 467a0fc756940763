"""Physical ranges of unit parameters: one :class:`Range` per parameter, kept as data.

Every numeric parameter of a unit is declared with a :class:`Range`: the interval it must
lie in (refused outside, with the range in the message) and, where practice gives one, the
typical values. A range is wide enough for any real plant and tight enough that an absurd
value (``p80: 1e-300``, a cyclone 100 m across, 1e9 cells) is refused when the file loads.
The ranges themselves are tables in the unit modules of each domain, with their sources.

A :class:`Range` is pydantic metadata: ``Annotated[quantity("size"), SIZE]`` reads a size
(``"71.3 mm"`` or a number in um) and then checks it. :meth:`Range.field` states the range
in the field's description, so the JSON schema and the unit catalogue show it, and
:meth:`Range.type` gives the annotated type in one call.

>>> from pydantic import BaseModel, ValidationError
>>> WI = Range("specific_energy", 1, 100, typical=(8, 25))
>>> class Mill(BaseModel):
...     wi: WI.type() = WI.field(14.0, "Bond work index")
>>> Mill(wi="50.4 MJ/t").wi
14.0
>>> Mill.model_fields["wi"].description
'Bond work index [kWh/t]; typical 8-25, refused outside 1-100 kWh/t'
>>> try:
...     Mill(wi=500)
... except ValidationError as err:
...     print(err.errors()[0]["msg"])
must be 1-100 kWh/t (typical 8-25), got 500 kWh/t
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any

from flowsheet.errors import QuantityError
from flowsheet.quantities import DEFAULT_UNITS, quantity, to_default

__all__ = ["Range", "RangeTable", "number", "quantity_in"]


def number(value: float) -> str:
    """A bound as written in a description: ``1e6`` rather than ``1e+06``.

    >>> number(1e6), number(0.5), number(1e-300), number(2500.0), number(1e-3)
    ('1e6', '0.5', '1e-300', '2500', '0.001')
    """
    text = f"{value:g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return f"{mantissa}e{int(exponent)}"


@dataclass(frozen=True)
class Range:
    """The accepted interval of one parameter, its unit, and its typical values.

    Parameters
    ----------
    dimension : str or None
        A key of :data:`flowsheet.quantities.DEFAULT_UNITS` (the parameter then reads a
        quantity, ``"24 MW"``), or None for a pure number or a count.
    low, high : float
        The bounds, in the default unit of ``dimension`` (or in ``unit``); both finite.
    low_open, high_open : bool
        True when the bound itself is refused (``0 < x``).
    typical : tuple of float, optional
        Values seen in practice, stated in the description and the message.
    unit : str, optional
        The unit of a pure number, for messages (``"1/d"``); or, with a ``dimension``, the
        unit of a bare number when it is not the engine's default (``"d"`` for a leach
        cycle in days: ``"2 week"`` is read as 14). By default that of ``dimension``.
    integer : bool
        The parameter is a count (``int``).
    advice : str, optional
        Said after a refused value, in brackets: the likely mistake and its fix.
    """

    dimension: str | None
    low: float
    high: float
    low_open: bool = False
    high_open: bool = False
    typical: tuple[float, float] | None = None
    unit: str | None = None
    integer: bool = False
    advice: str = ""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.low) and math.isfinite(self.high) and self.low < self.high):
            raise ValueError(f"a range needs finite bounds low < high, got {self.low}, "
                             f"{self.high}")

    @property
    def units(self) -> str:
        """The unit of the bounds as written in text ('' for a pure number)."""
        if self.unit is not None:
            return self.unit
        unit = DEFAULT_UNITS.get(self.dimension or "", "1")
        return "" if unit == "1" else unit

    def _with_unit(self, text: str) -> str:
        return f"{text} {self.units}" if self.units else text

    def interval(self) -> str:
        """The accepted values in words: ``'1-100 kWh/t'``, ``'above 0, at most 1'``.

        >>> Range("fraction", 0, 1, low_open=True).interval()
        'above 0, at most 1'
        >>> Range("temperature", -50, 2000).interval()
        '-50 to 2000 degC'
        """
        low, high = number(self.low), number(self.high)
        if not (self.low_open or self.high_open):
            return self._with_unit(f"{low}-{high}" if self.low >= 0 else f"{low} to {high}")
        first = f"above {low}" if self.low_open else f"{low} or more"
        last = f"below {high}" if self.high_open else f"at most {high}"
        return self._with_unit(f"{first}, {last}")

    def typical_text(self) -> str:
        """``'typical 8-25'``, or '' when no typical values are given."""
        if self.typical is None:
            return ""
        return f"typical {number(self.typical[0])}-{number(self.typical[1])}"

    def describe(self) -> str:
        """The range as the description states it: ``'typical 8-25, refused outside
        1-100 kWh/t'`` or ``'accepted above 0, at most 1'``."""
        accepted = (f"refused outside {self.interval()}" if not (self.low_open or self.high_open)
                    else f"accepted {self.interval()}")
        typical = self.typical_text()
        return f"{typical}, {accepted}" if typical else accepted

    def contains(self, value: float) -> bool:
        """True when ``value`` lies in the range.

        >>> Range(None, 0, 1, high_open=True).contains(1.0)
        False
        """
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return bool(above and below)

    def check(self, value: Any, note: str = "") -> Any:
        """Return ``value`` if it lies in the range, else raise pydantic's custom error
        ``out_of_range`` whose message says what is accepted (and ``note``, why the value
        is impossible, when there is one)."""
        from pydantic_core import PydanticCustomError

        if value is None or self.contains(value):
            return value
        typical = f" ({self.typical_text()})" if self.typical else ""
        got = self._with_unit(number(float(value)))
        if note or self.advice:
            got += f" ({note or self.advice})"
        raise PydanticCustomError(
            "out_of_range", "must be {accepted}{typical}, got {got}",
            {"accepted": self.interval(), "typical": typical, "got": got})

    # -- pydantic -----------------------------------------------------------------------------
    def _validate(self, value: Any, inner: Any) -> Any:
        """Read ``value`` with the field's own reader, then :meth:`check` it. A value past
        its dimension's physical floor (a density of 0) is refused with this range, which
        says more than the floor does."""
        from pydantic_core import ValidationError

        try:
            return self.check(inner(value))
        except ValidationError as err:
            floor = next((e["ctx"] for e in err.errors()
                          if e["type"] == "quantity" and "below_floor" in e.get("ctx", {})),
                         None)
            if floor is None:
                raise
            # "a temperature cannot be below absolute zero, got '-950 degC'" -> the reason
            return self.check(floor["below_floor"], floor["message"].split(", got ")[0])

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_wrap_validator_function(self._validate, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        result = handler(schema)
        result["exclusiveMinimum" if self.low_open else "minimum"] = self.low
        result["exclusiveMaximum" if self.high_open else "maximum"] = self.high
        return result

    def type(self) -> Any:
        """The field type: a quantity of ``dimension`` (or a float or int) in the range."""
        if self.dimension is None:
            base = int if self.integer else float
        elif self.unit is not None and self.unit != DEFAULT_UNITS[self.dimension]:
            base = quantity_in(self.dimension, self.unit)
        else:
            base = quantity(self.dimension)
        return Annotated[base, self]

    def field(self, default: Any = ..., description: str = "", **kwargs: Any) -> Any:
        """A pydantic ``Field`` whose description ends with the unit and the range."""
        from pydantic import Field

        unit = f" [{self.units or '-'}]"
        text = f"{description}{unit}; {self.describe()}" if description else self.describe()
        return Field(default, description=text, **kwargs)


class RangeTable(dict[str, Range]):
    """A table of ranges by parameter name, also read as attributes (``table.wi``).

    >>> table = RangeTable(wi=Range("specific_energy", 1, 80))
    >>> table.wi.interval()
    '1-80 kWh/t'
    """

    def __getattr__(self, name: str) -> Range:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def quantity_in(dimension: str, unit: str) -> Any:
    """A field type reading a quantity of ``dimension`` whose bare number is in ``unit``.

    For the few parameters whose customary unit is not the engine's default: a heap's
    leach cycle in days, an irrigation rate in L/(h m2). A string with a unit is converted
    to ``unit`` by pint.

    >>> from pydantic import BaseModel
    >>> class Heap(BaseModel):
    ...     cycle_days: quantity_in("time", "d")
    >>> Heap(cycle_days=90).cycle_days, Heap(cycle_days="2 week").cycle_days
    (90.0, 14.0)
    """
    from pydantic import BeforeValidator
    from pydantic_core import PydanticCustomError

    def convert(value: Any) -> Any:
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                pass
            try:
                return to_default(value, dimension) / to_default(f"1 {unit}", dimension)
            except QuantityError as exc:
                text = exc.message.replace(f"in {DEFAULT_UNITS[dimension]} ", f"in {unit} ")
                raise PydanticCustomError("quantity", "{message}",
                                          {"message": text, "hint": exc.hint}) from None
        return value

    return Annotated[quantity(dimension), BeforeValidator(convert)]
