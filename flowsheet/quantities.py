"""Quantities with units: read ``"24 MW"`` or a bare number into the engine's default unit.

The engine computes in one set of units everywhere (:data:`DEFAULT_UNITS`): t/h, um, kW,
kWh/t, degC, kPa, g/L, m3/h, h and so on. In a flowsheet file a number may carry its unit
(``24 MW``, ``71.3 mm``, ``150 m3/h``, ``80 %``); :func:`to_default` converts it with
`pint <https://pint.readthedocs.io>`_, and a bare number is taken to be in the default
unit already. pint is imported, and its registry built, only when the first string with a
unit other than the common ones is read: bare numbers, and numbers in a common unit
(``mm``, ``MW``, ``t/h``, ``%`` and the like), are converted with pint's own factors
without loading it.

Besides pint's own spellings, the engine's are understood: ``t/h`` and ``tph`` (metric
tonnes per hour), ``t``, ``m3`` and ``m3/h`` (a digit after a unit is a power), ``um``,
``µm`` and ``micron``, ``kWh/t``, ``degC`` and ``%``. Beware that pint reads ``ton`` as the
US short ton; write ``t`` for tonnes.

:func:`quantity` gives the annotated type to use in a pydantic model.

>>> to_default("24 MW", "power")
24000.0
>>> to_default(19.5, "specific_energy")
19.5
>>> to_default("5 kg", "power")
Traceback (most recent call last):
...
flowsheet.errors.QuantityError: expected a power in kW (e.g. '24 MW'), got '5 kg' (a mass)
"""

from __future__ import annotations

import functools
import math
import numbers
import re
import sys
from typing import Any, NamedTuple

from flowsheet.errors import QuantityError, did_you_mean, quoted

__all__ = ["DEFAULT_UNITS", "DIMENSION_NAMES", "FLOORS", "Floor", "quantity", "to_default",
           "unit_registry"]


class _Dimension(NamedTuple):
    unit: str
    name: str
    example: str


_DIMENSIONS = {
    "mass_flow": _Dimension("t/h", "a mass flow", "4058 t/h"),
    "size": _Dimension("um", "a size", "71.3 mm"),
    "power": _Dimension("kW", "a power", "24 MW"),
    "specific_energy": _Dimension("kWh/t", "a specific energy", "10.5 kWh/t"),
    "temperature": _Dimension("degC", "a temperature", "25 degC"),
    "pressure": _Dimension("kPa", "a pressure", "2 bar"),
    "concentration": _Dimension("g/L", "a concentration", "45 g/L"),
    "volume_flow": _Dimension("m3/h", "a volumetric flow", "150 m3/h"),
    "time": _Dimension("h", "a time", "30 min"),
    "density": _Dimension("kg/m3", "a density", "2.7 t/m3"),
    "mass": _Dimension("t", "a mass", "500 t"),
    "energy": _Dimension("kWh", "an energy", "3 MWh"),
    "length": _Dimension("m", "a length", "33 in"),
    "velocity": _Dimension("m/s", "a velocity", "1.2 m/s"),
    "volume": _Dimension("m3", "a volume", "250 m3"),
    "current": _Dimension("A", "a current", "35 kA"),
    "voltage": _Dimension("V", "a voltage", "11 kV"),
    "current_density": _Dimension("A/m2", "a current density", "300 A/m2"),
    "area": _Dimension("m2", "an area", "1.2 m2"),
    "molar_energy": _Dimension("kJ/mol", "a molar energy", "60 kJ/mol"),
    "fraction": _Dimension("1", "a fraction", "80 %"),
    "dimensionless": _Dimension("1", "a pure number", "2.5"),
}

#: Default unit of each dimension; a bare number in a flowsheet file is in this unit.
#: ``"1"`` is the unit of a fraction or pure number.
DEFAULT_UNITS: dict[str, str] = {key: dim.unit for key, dim in _DIMENSIONS.items()}

#: Plain-English name of each dimension, for messages: ``"a power"``, ``"a mass flow"``.
DIMENSION_NAMES: dict[str, str] = {key: dim.name for key, dim in _DIMENSIONS.items()}



class Floor(NamedTuple):
    """The physical lower bound of a dimension, in its default unit.

    ``inclusive`` says whether the bound itself is possible; ``why`` says what a value
    past it would be ("negative").
    """

    value: float
    inclusive: bool
    why: str


#: Lower bounds that no value of a dimension can cross, whatever the unit that reads it:
#: a temperature is at or above absolute zero, a density is positive, and sizes, lengths,
#: masses, volumes, flows and concentrations are not negative. Every quantity read by
#: :func:`to_default` (so every :func:`quantity` field) is checked against them. Dimensions
#: that may be negative (a power, a pressure, a current, an energy) have none.
FLOORS: dict[str, Floor] = {
    "temperature": Floor(-273.15, True, "below absolute zero (-273.15 degC, 0 K)"),
    "density": Floor(0.0, False, "zero or negative"),
    "size": Floor(0.0, True, "negative"),
    "length": Floor(0.0, True, "negative"),
    "mass": Floor(0.0, True, "negative"),
    "mass_flow": Floor(0.0, True, "negative"),
    "volume": Floor(0.0, True, "negative"),
    "volume_flow": Floor(0.0, True, "negative"),
    "concentration": Floor(0.0, True, "negative"),
}

_NUMBER = r"[-+]?(?:[0-9]+(?:_[0-9]+)*(?:\.(?:[0-9]+(?:_[0-9]+)*)?)?|\.[0-9]+(?:_[0-9]+)*)" \
          r"(?:[eE][-+]?[0-9]+)?"
_QUANTITY = re.compile(rf"\s*({_NUMBER})\s*(.*?)\s*", re.DOTALL)
_PATTERN = rf"^\s*{_NUMBER}(\s*\S.*)?\s*$"
_LONGEST_UNIT = 64  # characters of a unit expression; 'kWh/t' is 5, 'm3/h' 4
_EXPONENT = re.compile(r"(?<=[^\W\d_])([0-9]+)")

# Units suggested for a misspelt one (pint's prefixed names are not listed by pint).
_COMMON_UNITS = (
    "t/h", "tph", "kg/h", "kg/s", "t", "kg", "g", "um", "µm", "micron", "mm", "cm", "m",
    "km", "in", "ft", "W", "kW", "MW", "GW", "J", "kJ", "MJ", "GJ", "Wh", "kWh", "MWh",
    "GWh", "kWh/t", "degC", "degF", "K", "Pa", "kPa", "MPa", "bar", "atm", "psi", "g/L",
    "mg/L", "kg/m3", "t/m3", "g/cm3", "m3/h", "m3/s", "L/s", "L/min", "L", "m3", "s",
    "min", "h", "d", "m/s", "A", "kA", "V", "kV", "A/m2", "%", "ppm",
)


#: Factor from each common unit to the default unit of a dimension: the float pint
#: computes from its definitions (a test recomputes every one with pint), so that a
#: quantity in a common unit is read as pint reads it, ``magnitude * factor``, without
#: loading pint and building its registry (about half a second). Any other unit, and
#: temperatures other than degC (offsets), go through pint.
_FACTORS: dict[str, dict[str, float]] = {
    "mass_flow": {"t/h": 1.0, "tph": 1.0, "kg/h": 0.001, "kg/s": 3.6},
    "size": {"um": 1.0, "µm": 1.0, "micron": 1.0, "mm": 1000.0, "cm": 10000.0, "m": 1000000.0,
             "km": 1000000000.0, "in": 25400.0, "ft": 304799.99999999994},
    "power": {"W": 0.001, "kW": 1.0, "MW": 1000.0, "GW": 1000000.0},
    "specific_energy": {"kWh/t": 1.0},
    "temperature": {"degC": 1.0},
    "pressure": {"Pa": 0.001, "kPa": 1.0, "MPa": 1000.0, "bar": 100.0, "atm": 101.325,
                 "psi": 6.894757293168363},
    "concentration": {"g/L": 1.0, "mg/L": 0.001, "kg/m3": 1.0000000000000002,
                      "t/m3": 1000.0000000000002, "g/cm3": 1000.0000000000001},
    "volume_flow": {"m3/h": 1.0, "m3/s": 3600.0, "L/s": 3.600000000000001,
                    "L/min": 0.06000000000000001},
    "time": {"s": 0.0002777777777777778, "min": 0.016666666666666666, "h": 1.0, "d": 24.0},
    "density": {"g/L": 0.9999999999999999, "mg/L": 0.0009999999999999998, "kg/m3": 1.0,
                "t/m3": 1000.0, "g/cm3": 999.9999999999999},
    "mass": {"t": 1.0, "kg": 0.001, "g": 1e-06},
    "energy": {"J": 2.7777777777777776e-07, "kJ": 0.0002777777777777778,
               "MJ": 0.2777777777777778, "GJ": 277.77777777777777, "Wh": 0.001, "kWh": 1.0,
               "MWh": 1000.0, "GWh": 1000000.0},
    "length": {"um": 1e-06, "µm": 1e-06, "micron": 1e-06, "mm": 0.001, "cm": 0.01, "m": 1.0,
               "km": 1000.0, "in": 0.0254, "ft": 0.30479999999999996},
    "velocity": {"m/s": 1.0},
    "volume": {"L": 0.0010000000000000002, "m3": 1.0},
    "current": {"A": 1.0, "kA": 1000.0},
    "voltage": {"V": 1.0, "kV": 1000.0},
    "current_density": {"A/m2": 1.0},
    "fraction": {"%": 0.01, "ppm": 1e-06},
    "dimensionless": {"%": 0.01, "ppm": 1e-06},
}


def _spec(dimension: str) -> _Dimension:
    try:
        return _DIMENSIONS[dimension]
    except KeyError:
        raise ValueError(f"unknown dimension '{dimension}' -- "
                         f"{did_you_mean(dimension, _DIMENSIONS)}") from None


def _expected(dimension: str) -> str:
    """Say what is accepted: "a power in kW (e.g. '24 MW')"."""
    spec = _spec(dimension)
    if dimension == "fraction":
        return "a fraction (e.g. 0.8 or '80 %')"
    if dimension == "dimensionless":
        return "a pure number (e.g. 2.5)"
    return f"{spec.name} in {spec.unit} (e.g. '{spec.example}')"


@functools.cache
def unit_registry() -> Any:
    """Return the engine's pint ``UnitRegistry``, built on first use and then reused.

    It is pint's default registry plus ``tph`` (tonnes per hour).

    >>> round(float(unit_registry().Quantity(1, "tph").to("kg/h").magnitude), 9)
    1000.0
    """
    import pint

    registry = pint.UnitRegistry()
    registry.define("tph = metric_ton / hour")
    return registry


@functools.lru_cache(maxsize=512)
def _units(text: str) -> Any:
    """Parse a unit expression, reading a digit after a unit name as a power (``m3``).

    Raises ``LookupError`` naming an unknown unit, ``ValueError`` for anything else.
    """
    registry = unit_registry()
    import pint

    spelled = _EXPONENT.sub(r"**\1", text)
    try:
        return registry.parse_units(spelled)
    except pint.UndefinedUnitError as exc:
        raise LookupError(exc.unit_names[0] if exc.unit_names else text) from None
    except Exception as exc:
        # pint's parser raises assorted types (AssertionError, TokenError, ValueError)
        # for malformed text; all of them mean the same thing to the reader of a file.
        raise ValueError(text) from exc


def _unit_hint(name: str) -> str | None:
    for unit in _COMMON_UNITS:
        if unit.lower() == name.lower():
            return f"did you mean '{unit}'?"
    hint = did_you_mean(name, _COMMON_UNITS)
    return hint if hint and hint.startswith("did you mean") else None


@functools.cache
def _names_by_dimensionality() -> dict[Any, str]:
    """Map a pint dimensionality to the names of the dimensions that have it."""
    names: dict[Any, list[str]] = {}
    for key, spec in _DIMENSIONS.items():
        if key not in ("size", "fraction"):
            names.setdefault(_units(spec.unit).dimensionality, []).append(spec.name)
    return {dims: " or ".join(found) for dims, found in names.items()}


def _common_factor(unit: str, dimension: str) -> float | None:
    """pint's factor from ``unit`` to the default unit of ``dimension`` when ``unit`` is a
    common one, written as in :data:`_FACTORS` or with ``**`` powers (``A/m**2``)."""
    factors = _FACTORS.get(dimension, {})
    if unit in factors:
        return factors[unit]
    plain = unit.replace("**", "")
    if plain in factors and _EXPONENT.sub(r"**\1", plain) == unit:
        return factors[plain]
    return None


def _convert(magnitude: float, unit: str, dimension: str, text: str) -> float:
    factor = _common_factor(unit, dimension)
    if factor is not None:
        return magnitude * factor
    try:
        units = _units(unit)
    except LookupError as exc:
        name = str(exc.args[0])
        raise QuantityError(f"unknown unit '{name}' in '{text}'", hint=_unit_hint(name)) from None
    except ValueError:
        raise QuantityError(f"cannot read the unit '{unit}' in '{text}'",
                            hint=f"write {_expected(dimension)}") from None
    target = _units(DEFAULT_UNITS[dimension])
    if units.dimensionality != target.dimensionality:
        got = _names_by_dimensionality().get(units.dimensionality)
        got = got or f"dimension {units.dimensionality}"
        raise QuantityError(f"expected {_expected(dimension)}, got '{text}' ({got})")
    registry = unit_registry()
    import pint

    try:
        return float(registry.Quantity(magnitude, units).to(target).magnitude)
    except (pint.PintError, ArithmeticError) as exc:
        raise QuantityError(f"cannot convert '{text}' to {target:~}: {exc}") from None


@functools.lru_cache(maxsize=4096)
def _parse(text: str, dimension: str) -> float:
    match = _QUANTITY.fullmatch(text)
    if match is None:
        example = _spec(dimension).example
        raise QuantityError(f"expected a number or a quantity such as '{example}', "
                            f"got '{text.strip()}'")
    number, unit = match.groups()
    magnitude = float(number)
    if len(unit) > _LONGEST_UNIT:  # no unit is this long; pint would take minutes over it
        raise QuantityError(f"cannot read the unit {quoted(unit)}",
                            hint=f"write {_expected(dimension)}")
    if unit:
        magnitude = _convert(magnitude, unit, dimension, text.strip())
    if not math.isfinite(magnitude):
        raise QuantityError(f"expected {_expected(dimension)}, got '{text.strip()}' "
                            "(not a finite number)")
    return magnitude


def _shown(value: object) -> str:
    """A number as echoed in a message (a huge integer by its size, not its digits)."""
    if isinstance(value, int) and abs(value).bit_length() > 1024:
        return f"an integer of about {int(abs(value).bit_length() * 0.30103) + 1:,} digits"
    return repr(value)


def _check_floor(number: float, dimension: str, shown: str) -> float:
    """Return ``number`` if it is on the possible side of the dimension's floor."""
    floor = FLOORS.get(dimension)
    if floor is None:
        return number
    slack = 1e-9 * max(1.0, abs(floor.value))  # a conversion's last-digit rounding
    if number > floor.value - slack and (floor.inclusive or number > floor.value + slack):
        return number
    spec = _spec(dimension)
    sign = ">=" if floor.inclusive else ">"
    err = QuantityError(f"{spec.name} cannot be {floor.why}, got {shown}",
                        hint=f"accepted: {spec.name} {sign} {floor.value:g} {spec.unit}, "
                             f"e.g. '{spec.example}'")
    err.below_floor = number  # type: ignore[attr-defined]  (a field's own range may say more)
    raise err


def _describe(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return f"{type(value).__name__} {value!r}"


def to_default(value: object, dimension: str) -> float:
    """Return ``value`` as a float in the default unit of ``dimension``.

    Parameters
    ----------
    value : float, int or str
        A bare number, already in the default unit, or a string with a number and a unit
        (``"24 MW"``, ``"3.5e3 kW"``, ``"80 %"``). A pint ``Quantity`` is also accepted.
    dimension : str
        A key of :data:`DEFAULT_UNITS`, such as ``"power"``.

    Returns
    -------
    float
        The finite value in ``DEFAULT_UNITS[dimension]``.

    Raises
    ------
    QuantityError
        The value is not a number or quantity, has an unknown unit or one of the wrong
        dimension, is not finite, or is past the dimension's physical floor
        (:data:`FLOORS`: below absolute zero, a density not above zero, a negative size).
        The message is one line; the caller adds the location.
    ValueError
        ``dimension`` is not a known dimension (a mistake in the code, not in the file).

    Examples
    --------
    >>> to_default("71.3 mm", "size"), to_default("298.15 K", "temperature")
    (71300.0, 25.0)
    >>> to_default("80 %", "fraction")
    0.8
    >>> to_default("24 MWW", "power")
    Traceback (most recent call last):
    ...
    flowsheet.errors.QuantityError: unknown unit 'MWW' in '24 MWW' -- did you mean 'MW'?
    >>> try:
    ...     to_default("-950 degC", "temperature")
    ... except QuantityError as err:
    ...     print(err.message)
    a temperature cannot be below absolute zero (-273.15 degC, 0 K), got '-950 degC'
    """
    _spec(dimension)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise QuantityError(f"expected {_expected(dimension)}, got {_shown(value)} "
                                "(not a finite number)")
        return _check_floor(number, dimension, _shown(value))
    if isinstance(value, str):
        return _check_floor(_parse(value, dimension), dimension, f"'{value.strip()}'")
    pint = sys.modules.get("pint")
    if pint is not None and isinstance(value, pint.Quantity):
        try:
            magnitude = float(value.magnitude)
        except (TypeError, ValueError):
            raise QuantityError(f"expected {_expected(dimension)}, got the array "
                                f"quantity {value!r}") from None
        text = f"{magnitude!r} {value.units}"
        return _check_floor(_parse(text, dimension), dimension, f"'{text}'")
    raise QuantityError(f"expected {_expected(dimension)}, got {_describe(value)}")


@functools.cache
def quantity(dimension: str) -> Any:
    """Return a pydantic field type for a quantity of ``dimension`` in its default unit.

    The field accepts a bare number (in the default unit) or a string with a unit, and
    holds a float in the default unit. An unreadable value fails validation with an error
    of type ``"quantity"`` whose message is the :class:`~flowsheet.errors.QuantityError`
    text; its context holds that error's ``message`` and ``hint``. The JSON schema is a
    number or a string such as ``"24 MW"``.

    Examples
    --------
    >>> from pydantic import BaseModel, ValidationError
    >>> class Mill(BaseModel):
    ...     power: quantity("power")
    >>> Mill(power="24 MW").power, Mill(power=24000).power
    (24000.0, 24000.0)
    >>> try:
    ...     Mill(power="5 kg")
    ... except ValidationError as exc:
    ...     print(exc.errors()[0]["msg"])
    expected a power in kW (e.g. '24 MW'), got '5 kg' (a mass)
    """
    from typing import Annotated

    from pydantic import BeforeValidator, WithJsonSchema
    from pydantic_core import PydanticCustomError

    spec = _spec(dimension)

    def validate(value: object) -> float:
        try:
            return to_default(value, dimension)
        except QuantityError as exc:
            template = "{message} -- {hint}" if exc.hint else "{message}"
            context = {"message": exc.message, "hint": exc.hint}
            if hasattr(exc, "below_floor"):  # the value, in the default unit
                context["below_floor"] = exc.below_floor
            raise PydanticCustomError("quantity", template, context) from None

    if dimension == "fraction":
        description = "A fraction such as 0.8 or '80 %'; a bare number is a fraction of one"
    elif dimension == "dimensionless":
        description = "A pure number"
    else:
        description = (f"{spec.name[0].upper()}{spec.name[1:]} such as '{spec.example}'; "
                       f"a bare number is in the default unit {spec.unit}")
    schema = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": _PATTERN}],
              "description": description}
    return Annotated[float, BeforeValidator(validate), WithJsonSchema(schema)]
