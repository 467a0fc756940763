"""Tests for flowsheet.quantities: numbers with units, converted to the default units."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from flowsheet.errors import QuantityError
from flowsheet.quantities import (
    _FACTORS,
    DEFAULT_UNITS,
    DIMENSION_NAMES,
    quantity,
    to_default,
    unit_registry,
)

ROOT = Path(__file__).resolve().parents[2]


def test_default_units():
    """One default unit per dimension, as the design fixes them."""
    assert DEFAULT_UNITS == {
        "mass_flow": "t/h", "size": "um", "power": "kW", "specific_energy": "kWh/t",
        "temperature": "degC", "pressure": "kPa", "concentration": "g/L",
        "volume_flow": "m3/h", "time": "h", "density": "kg/m3", "mass": "t",
        "energy": "kWh", "length": "m", "velocity": "m/s", "volume": "m3", "current": "A",
        "voltage": "V", "current_density": "A/m2", "fraction": "1", "dimensionless": "1",
        "area": "m2", "molar_energy": "kJ/mol",
    }


def test_dimension_names():
    """Every dimension has a plain-English name for messages."""
    assert DIMENSION_NAMES.keys() == DEFAULT_UNITS.keys()
    assert DIMENSION_NAMES["power"] == "a power"
    assert DIMENSION_NAMES["mass_flow"] == "a mass flow"
    assert DIMENSION_NAMES["energy"] == "an energy"
    assert all(re.fullmatch(r"an? [a-z ]+", name) for name in DIMENSION_NAMES.values())


@pytest.mark.parametrize("dimension", sorted(DEFAULT_UNITS))
def test_every_default_unit_converts_to_itself(dimension):
    """Each default unit is understood by pint and is the identity conversion."""
    unit = DEFAULT_UNITS[dimension]
    text = "2.5" if unit == "1" else f"2.5 {unit}"
    assert to_default(text, dimension) == pytest.approx(2.5)


@pytest.mark.parametrize("value, expected", [(24000, 24000.0), (19.5, 19.5), (0, 0.0),
                                             (-3, -3.0), ("7", 7.0), (" 1e-3 ", 0.001),
                                             ("4_058", 4058.0)])
def test_bare_numbers_are_in_the_default_unit(value, expected):
    """A bare number, or a string holding only a number, is returned as a float."""
    result = to_default(value, "power")
    assert type(result) is float
    assert result == expected


def test_numpy_numbers_are_numbers():
    """numpy scalars count as bare numbers."""
    np = pytest.importorskip("numpy")
    assert to_default(np.float64(2.5), "size") == 2.5
    assert to_default(np.int64(3), "size") == 3.0


def test_import_bare_numbers_and_common_units_do_not_load_pint():
    """Importing the module and reading bare numbers, or numbers in a common unit, leave
    pint unimported; the first other unit loads it."""
    code = (
        "import sys\n"
        "import flowsheet.quantities as q\n"
        "assert 'pint' not in sys.modules, 'import'\n"
        "assert q.to_default(5, 'power') == 5.0\n"
        "assert q.to_default('4_058', 'mass_flow') == 4058.0\n"
        "q.quantity('power')\n"
        "assert 'pint' not in sys.modules, 'bare numbers'\n"
        "assert q.to_default('24 MW', 'power') == 24000.0\n"
        "assert q.to_default('310 A/m**2', 'current_density') == 310.0\n"
        "assert q.to_default('80 %', 'fraction') == 0.8\n"
        "assert 'pint' not in sys.modules, 'common units'\n"
        "assert round(q.to_default('1 hp', 'power'), 6) == 0.745700\n"
        "assert 'pint' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-W", "error", "-c", code], cwd=ROOT, check=True)


@pytest.mark.parametrize("value, dimension, expected", [
    ("24 MW", "power", 24000.0),
    ("3.5e3 kW", "power", 3500.0),
    ("71.3 mm", "size", 71300.0),
    ("33 in", "size", 838200.0),
    ("33 in", "length", 0.8382),
    ("150 m3/h", "volume_flow", 150.0),
    ("1 m3/s", "volume_flow", 3600.0),
    ("4058 t/h", "mass_flow", 4058.0),
    ("4058 tph", "mass_flow", 4058.0),
    ("1 kg/s", "mass_flow", 3.6),
    ("2 t", "mass", 2.0),
    ("5 m3", "volume", 5.0),
    ("10 um", "size", 10.0),
    ("10 µm", "size", 10.0),
    ("10 μm", "size", 10.0),
    ("10 micron", "size", 10.0),
    ("12 kWh/t", "specific_energy", 12.0),
    ("1 atm", "pressure", 101.325),
    ("2 bar", "pressure", 200.0),
    ("45 g/L", "concentration", 45.0),
    ("2.7 t/m3", "density", 2700.0),
    ("30 min", "time", 0.5),
    ("3 MWh", "energy", 3000.0),
    ("35 kA", "current", 35000.0),
    ("11 kV", "voltage", 11000.0),
    ("300 A/m2", "current_density", 300.0),
    ("1.2 m/s", "velocity", 1.2),
    ("80 %", "fraction", 0.8),
    ("80%", "fraction", 0.8),
    ("0.8", "fraction", 0.8),
    (0.8, "fraction", 0.8),
    ("250 %", "dimensionless", 2.5),
    ("24MW", "power", 24000.0),
])
def test_conversions(value, dimension, expected):
    """Strings with units are converted to the default unit of the dimension."""
    assert to_default(value, dimension) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("value", ["25 degC", "298.15 K", "77 degF", 25, "25"])
def test_temperatures_with_offsets(value):
    """Kelvin and Fahrenheit are converted with their offsets, not just scaled."""
    assert to_default(value, "temperature") == pytest.approx(25.0, abs=1e-9)


def _common_pairs() -> list[tuple[str, str]]:
    """(unit, dimension) for every common unit and every dimension of its kind."""
    from flowsheet.quantities import _COMMON_UNITS, _units

    pairs = []
    for dimension, default in DEFAULT_UNITS.items():
        for unit in _COMMON_UNITS:
            if _units(unit).dimensionality == _units(default).dimensionality:
                pairs.append((unit, dimension))
    return pairs


def test_common_units_cover_every_dimension_they_fit():
    """Every common unit has pint's factor for every dimension it measures, but the
    temperatures that pint converts with an offset (K, degF)."""
    expected = {pair for pair in _common_pairs() if pair not in
                {("K", "temperature"), ("degF", "temperature")}}
    assert {(u, d) for d, row in _FACTORS.items() for u in row} == expected


MAGNITUDES = (0.0, 1.0, 2.5, 71.3, 0.1, 1e-7, 123456.789, 4058.0, -3.3, 1e300, math.pi)


@pytest.mark.parametrize("dimension, unit", [(d, u) for d, row in _FACTORS.items()
                                             for u in row])
def test_common_units_read_exactly_as_pint_reads_them(dimension, unit):
    """A number in a common unit is read without pint, as pint reads it (its factor, its
    multiplication), written plainly or with ``**`` powers: to the last bit at the pint the
    lock holds, within four units in the last place at the lowest pint allowed, which
    rounds a few composite factors (kg/s, L/s, psi, J) differently."""
    from flowsheet.quantities import _EXPONENT, _convert, _units

    target = _units(DEFAULT_UNITS[dimension])
    for spelled in {unit, _EXPONENT.sub(r"**\1", unit)}:
        for magnitude in MAGNITUDES:
            by_pint = float(unit_registry().Quantity(magnitude, _units(spelled))
                            .to(target).magnitude)
            text = f"{magnitude!r} {spelled}"
            ours = _convert(magnitude, spelled, dimension, text)
            assert ours == pytest.approx(by_pint, rel=4 * sys.float_info.epsilon, abs=0), \
                (text, ours, by_pint)


def test_pint_quantities_are_accepted():
    """A pint Quantity, from any registry, is converted like its string."""
    import pint

    assert to_default(unit_registry().Quantity(24, "MW"), "power") == 24000.0
    assert to_default(pint.UnitRegistry().Quantity(298.15, "K"), "temperature") \
        == pytest.approx(25.0)


def test_registry_is_built_once():
    """The registry is cached and knows the engine's spellings."""
    assert unit_registry() is unit_registry()
    assert unit_registry().Quantity(1, "tph").to("t/h").magnitude == pytest.approx(1.0)


# --- errors -------------------------------------------------------------------------------


def message_of(value: object, dimension: str) -> QuantityError:
    with pytest.raises(QuantityError) as info:
        to_default(value, dimension)
    assert "\n" not in str(info.value)
    return info.value


@pytest.mark.parametrize("value, dimension, message", [
    ("5 kg", "power", "expected a power in kW (e.g. '24 MW'), got '5 kg' (a mass)"),
    ("5 m", "power", "expected a power in kW (e.g. '24 MW'), got '5 m' (a length)"),
    ("24 MW", "mass_flow",
     "expected a mass flow in t/h (e.g. '4058 t/h'), got '24 MW' (a power)"),
    ("45 g/L", "power",
     "expected a power in kW (e.g. '24 MW'), got '45 g/L' (a concentration or a density)"),
    ("5 %", "power", "expected a power in kW (e.g. '24 MW'), got '5 %' (a pure number)"),
    ("25 degC", "size", "expected a size in um (e.g. '71.3 mm'), got '25 degC' "
     "(a temperature)"),
    ("5 kg", "fraction", "expected a fraction (e.g. 0.8 or '80 %'), got '5 kg' (a mass)"),
])
def test_wrong_dimension(value, dimension, message):
    """A unit of the wrong kind names what was expected and what was given."""
    err = message_of(value, dimension)
    assert err.message == message
    assert err.hint is None


def test_wrong_dimension_without_a_name():
    """A dimension the engine has no name for is shown in pint's notation."""
    err = message_of("5 kg*m", "power")
    assert err.message.endswith("got '5 kg*m' (dimension [length] * [mass])") or \
        err.message.endswith("got '5 kg*m' (dimension [mass] * [length])")


@pytest.mark.parametrize("value", ["fast", "MW", "", "  ", "nan MW", "inf kW", "one t/h",
                                   "- 5 kW"])
def test_not_a_number(value):
    """Text that does not start with a number says what is accepted."""
    err = message_of(value, "power")
    assert err.message == ("expected a number or a quantity such as '24 MW', "
                           f"got '{value.strip()}'")


def test_not_a_number_uses_the_dimension_example():
    """The example in the message fits the dimension asked for."""
    assert "such as '71.3 mm'" in message_of("coarse", "size").message


@pytest.mark.parametrize("value, name, hint", [
    ("24 MWW", "MWW", "did you mean 'MW'?"),
    ("24 kw", "kw", "did you mean 'kW'?"),
    ("100 tphh", "tphh", "did you mean 'tph'?"),
    ("5 xyzzy", "xyzzy", None),
    ("5 kg/xyzzy", "xyzzy", None),
])
def test_unknown_unit(value, name, hint):
    """An unknown unit is named, with the nearest common unit when one is close."""
    err = message_of(value, "power")
    assert err.message == f"unknown unit '{name}' in '{value}'"
    assert err.hint == hint


@pytest.mark.parametrize("value", ["24 MW/", "5 2kg", "5 (kW", "5 kW)"])
def test_unreadable_unit(value):
    """A malformed unit expression is an error, whatever pint raises inside."""
    err = message_of(value, "power")
    assert err.message.startswith("cannot read the unit") or "unknown unit" in err.message


@pytest.mark.parametrize("value, shown", [(True, "a boolean (true)"),
                                          (False, "a boolean (false)"),
                                          (None, "nothing (null)"), ([24], "a list"),
                                          ({"value": 24}, "a mapping")])
def test_not_numbers(value, shown):
    """Booleans, nulls and collections are refused, naming what was given."""
    err = message_of(value, "power")
    assert err.message == f"expected a power in kW (e.g. '24 MW'), got {shown}"


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 10**400, "1e400 kW",
                                   "1e308 MW", "1e400"])
def test_non_finite_values(value):
    """NaN and infinities, given or reached by conversion, are refused."""
    assert "not a finite number" in message_of(value, "power").message


def test_unknown_dimension_is_a_programming_error():
    """Asking for a dimension that does not exist is a ValueError with a suggestion."""
    with pytest.raises(ValueError, match="did you mean 'power'"):
        to_default(5, "powr")
    with pytest.raises(ValueError, match="unknown dimension"):
        quantity("speed of light")


# --- pydantic -----------------------------------------------------------------------------


class Mill(BaseModel):
    installed_power: quantity("power")
    p80: quantity("size") = 150.0
    power_use: quantity("fraction") = 1.0


def test_pydantic_field_accepts_numbers_and_strings():
    """A quantity field holds a float in the default unit."""
    mill = Mill(installed_power="24 MW", p80="71.3 mm", power_use="89.6 %")
    assert mill.installed_power == 24000.0
    assert mill.p80 == 71300.0
    assert mill.power_use == pytest.approx(0.896)
    assert Mill(installed_power=24000).installed_power == 24000.0


def test_pydantic_error_carries_the_message_verbatim():
    """A bad quantity fails validation with the QuantityError text and its parts."""
    with pytest.raises(ValidationError) as info:
        Mill(installed_power="5 kg")
    (error,) = info.value.errors()
    assert error["type"] == "quantity"
    assert error["loc"] == ("installed_power",)
    assert error["msg"] == "expected a power in kW (e.g. '24 MW'), got '5 kg' (a mass)"
    assert error["ctx"] == {"message": error["msg"], "hint": None}


def test_pydantic_error_with_a_hint():
    """The hint is part of the message and kept apart in the context."""
    with pytest.raises(ValidationError) as info:
        Mill(installed_power="24 MWW")
    (error,) = info.value.errors()
    assert error["msg"] == "unknown unit 'MWW' in '24 MWW' -- did you mean 'MW'?"
    assert error["ctx"] == {"message": "unknown unit 'MWW' in '24 MWW'",
                            "hint": "did you mean 'MW'?"}


@pytest.mark.parametrize("value", [True, None, "fast", math.nan])
def test_pydantic_refuses_non_quantities(value):
    """Booleans, nulls, words and NaN fail as quantity errors, not silently."""
    with pytest.raises(ValidationError) as info:
        Mill(installed_power=value)
    assert info.value.errors()[0]["type"] == "quantity"


def test_json_schema():
    """The schema is a number or a string with a unit, and names the default unit."""
    schema = Mill.model_json_schema()["properties"]["installed_power"]
    number, string = schema["anyOf"]
    assert number == {"type": "number"}
    assert string["type"] == "string"
    assert schema["description"].endswith("default unit kW")
    pattern = re.compile(string["pattern"])
    for accepted in ["24 MW", "3.5e3 kW", "24MW", "80 %", " 7 ", "-2.5e+3 kW", ".5 t/h"]:
        assert pattern.search(accepted), accepted
    for refused in ["fast", "MW", "", "- 5 kW"]:
        assert not pattern.search(refused), refused


def test_quantity_type_is_cached():
    """The same dimension gives the same annotated type."""
    assert quantity("power") is quantity("power")
