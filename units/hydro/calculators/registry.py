"""The auxiliary calculators by name, with their inputs and fittable constants.

:data:`CALCULATORS` maps a name (``flowsheet calc NAME``) to a :class:`Calculator`: the
pure function, whether it takes a pressure, its further inputs and the constants that
:func:`units.hydro.calculators.fitting.fit_constants` may fit. :func:`calculate` runs one
by name with checked keywords.

>>> sorted(CALCULATORS)
['carbon_elution', 'carbon_reactivation', 'demercurisation', 'gold_cyanidation']

Pressures are in kPa (absolute), the engine's unit; the physics functions themselves
take pascals, and :class:`Calculator` converts.

>>> r = calculate("demercurisation", temperature=450, pressure=5, time=60)
>>> round(float(r["efficiency_pct"]), 2)
98.34
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from flowsheet.errors import Location, SchemaError, did_you_mean
from units.hydro.calculators.carbon_regeneration import carbon_elution, carbon_reactivation
from units.hydro.calculators.demercurisation import demercurisation
from units.hydro.calculators.gold_cyanidation import gold_cyanidation
from units.ranges import Range

__all__ = ["ATMOSPHERE", "PRESSURE_RANGE", "INPUT_RANGES", "Constant", "Calculator",
           "CALCULATORS", "get_calculator", "calculate", "check_pressure_kpa", "check_range"]

#: Pressure [kPa] used when a calculator that needs one is given none: one atmosphere.
ATMOSPHERE = 101.325

#: Accepted absolute pressure [kPa]. Vacuum retorts for mercury run at 1-20 kPa, pressure
#: elution columns at 200-600 kPa (Marsden and House, *The Chemistry of Gold Extraction*,
#: 2nd ed., SME 2006, ch. 7); 1 Pa to 100 bar covers both with room (a judgement).
PRESSURE_RANGE = Range("pressure", 1e-3, 1e4, typical=(1, 600))


#: Accepted temperature, time and further inputs of the calculators. Thermal treatment
#: and carbon reactivation run at up to 650-800 degC, CIL for 24-48 h, elution for 8-24 h;
#: CIL pulps hold 35-50 % solids and 10-25 g/L of carbon, loaded carbon 1,000-8,000 g/t Au
#: (Marsden and House, 2006, ch. 6-7). The bounds are judgements.
INPUT_RANGES: dict[str, Range] = {
    "temperature": Range("temperature", -50, 1500, typical=(20, 800)),
    "time": Range(None, 0, 1e6, typical=(10, 2880), unit="min"),
    "hg_feed": Range(None, 0, 1e6, typical=(1, 1000), unit="mg/kg"),
    "head_grade": Range(None, 0, 1e4, typical=(0.5, 20), unit="g/t"),
    "solids_pct": Range(None, 0, 100, high_open=True, typical=(35, 50), unit="%"),
    "carbon_gpl": Range(None, 0, 200, typical=(10, 25), unit="g/L"),
    "loading": Range(None, 0, 1e5, typical=(1000, 8000), unit="g/t"),
    "activity_before": Range(None, 0, 100, typical=(20, 60), unit="% of fresh"),
}


def check_range(value: Any, key: str, rng: Range, hint: str | None = None) -> np.ndarray:
    """``value`` as an array, or a SchemaError at ``key`` naming ``rng`` when any element
    is outside it (or not finite).

    >>> check_range([10.0, 120.0], "solids_pct", INPUT_RANGES["solids_pct"])
    Traceback (most recent call last):
    ...
    flowsheet.errors.SchemaError: key 'solids_pct': must be 0 or more, below 100 % \
(typical 35-50), got 120 %
    """
    x = np.asarray(value, dtype=float)
    low = (x > rng.low) if rng.low_open else (x >= rng.low)
    high = (x < rng.high) if rng.high_open else (x <= rng.high)
    bad = ~(np.isfinite(x) & low & high)
    if bad.any():
        v = float(x[bad].flat[0]) if x.ndim else float(x)
        typical = f" ({rng.typical_text()})" if rng.typical else ""
        unit = f" {rng.units}" if rng.units else ""
        raise SchemaError(f"must be {rng.interval()}{typical}, got {v:g}{unit}",
                          location=Location(key=key), hint=hint)
    return x


def check_pressure_kpa(value: Any, key: str = "pressure") -> np.ndarray:
    """``value`` [kPa, absolute] as an array, or a SchemaError at ``key`` when any value is
    outside :data:`PRESSURE_RANGE`.

    >>> check_pressure_kpa(0.25)
    array(0.25)
    >>> check_pressure_kpa(250000)
    Traceback (most recent call last):
    ...
    flowsheet.errors.SchemaError: key 'pressure': must be 0.001-10000 kPa (typical 1-600), \
got 250000 kPa -- write kPa, or a unit: '2.5 bar', '250 kPa'
    """
    return check_range(value, key, PRESSURE_RANGE,
                       hint="write kPa, or a unit: '2.5 bar', '250 kPa'")


@dataclass(frozen=True)
class Constant:
    """A fittable constant: its unit, how it is fitted, and what the data must vary.

    ``scale`` is ``"log"`` (a positive rate constant, fitted through its logarithm) or
    ``"linear"`` (fitted as it is, within ``bounds``). ``varies`` names the inputs that
    must take more than one value in the data for the constant to be identifiable (an
    activation energy needs several temperatures).
    """

    unit: str
    scale: str = "log"
    bounds: tuple[float, float] = (-np.inf, np.inf)
    varies: tuple[str, ...] = ()


_EA = Constant("kJ/mol", "linear", (0.0, 500.0), ("temperature",))
_PCT = Constant("%", "linear", (0.0, 100.0))


@dataclass(frozen=True)
class Calculator:
    """One calculator: ``function(temperature, [pressure,] time, **inputs, **constants)``.

    Called with the pressure in kPa (one atmosphere when None); the function gets Pa.
    """

    name: str
    function: Callable[..., dict[str, np.ndarray]]
    summary: str
    pressure: bool
    inputs: Mapping[str, str]
    constants: Mapping[str, Constant]

    def defaults(self) -> dict[str, float]:
        """Default value of every further input and constant, from the signature."""
        sig = inspect.signature(self.function)
        return {name: p.default for name, p in sig.parameters.items()
                if p.kind is inspect.Parameter.KEYWORD_ONLY and name != "t_ref"}

    def outputs(self) -> list[str]:
        """Names of the results, in order."""
        return list(self(temperature=25.0, time=1.0))

    def __call__(self, *, temperature: Any, time: Any, pressure: Any = None,
                 **values: Any) -> dict[str, np.ndarray]:
        known = self.defaults()
        for key in values:
            if key not in known:
                raise SchemaError(f"'{key}' is not an input of the {self.name} calculator",
                                  location=Location(key=key),
                                  hint=did_you_mean(key, ["temperature", "time", *known]
                                                    + (["pressure"] if self.pressure else [])))
        check_range(temperature, "temperature", INPUT_RANGES["temperature"])
        check_range(time, "time", INPUT_RANGES["time"])
        for key, value in values.items():
            if key in INPUT_RANGES:
                check_range(value, key, INPUT_RANGES[key])
        if not self.pressure:
            if pressure is not None:
                raise SchemaError(f"the {self.name} calculator does not depend on pressure",
                                  location=Location(key="pressure"))
            return self.function(temperature, time, **values)
        kpa = check_pressure_kpa(ATMOSPHERE if pressure is None else pressure)
        return self.function(temperature, 1000.0 * kpa, time, **values)


CALCULATORS: dict[str, Calculator] = {
    "demercurisation": Calculator(
        "demercurisation", demercurisation,
        "mercury removal from a solid by thermal treatment (vacuum helps)", True,
        {"hg_feed": "Hg in the feed [mg/kg]"},
        {"k_ref": Constant("1/min"), "ea_kj": _EA,
         "k_vap_ref": Constant("1/min", varies=("pressure",)), "max_removal": _PCT}),
    "gold_cyanidation": Calculator(
        "gold_cyanidation", gold_cyanidation,
        "gold leached by cyanide and adsorbed on activated carbon (CIL batch)", False,
        {"head_grade": "Au in the ore [g/t]", "solids_pct": "solids in the pulp [%]",
         "carbon_gpl": "carbon per litre of solution [g/L]"},
        {"k_leach_ref": Constant("1/min"), "ea_leach_kj": _EA, "max_extraction": _PCT,
         "k_ads": Constant("L/(g min)"), "k_eq_ref": Constant("L/kg"),
         "dh_ads_kj": Constant("kJ/mol", "linear", (-200.0, 0.0), ("temperature",))}),
    "carbon_elution": Calculator(
        "carbon_elution", carbon_elution,
        "gold elution from loaded carbon (boiling caps the temperature)", True,
        {"loading": "Au on the loaded carbon [g/t]"},
        {"k_ref": Constant("1/min"), "ea_kj": _EA, "max_elution": _PCT}),
    "carbon_reactivation": Calculator(
        "carbon_reactivation", carbon_reactivation,
        "thermal reactivation of carbon in a steam kiln", False,
        {"activity_before": "activity of the eluted carbon [% of fresh]"},
        {"k_ref": Constant("1/min"), "ea_kj": _EA, "max_activity": _PCT,
         "k_burn_ref": Constant("1/min"), "ea_burn_kj": _EA}),
}


def get_calculator(name: str) -> Calculator:
    """The calculator called ``name``, or a SchemaError suggesting the nearest.

    >>> get_calculator("demercuration")
    Traceback (most recent call last):
    ...
    flowsheet.errors.SchemaError: unknown calculator 'demercuration' -- did you mean \
'demercurisation'?
    """
    if name not in CALCULATORS:
        raise SchemaError(f"unknown calculator '{name}'", hint=did_you_mean(name, CALCULATORS))
    return CALCULATORS[name]


def calculate(name: str, *, temperature: Any, time: Any, pressure: Any = None,
              **values: Any) -> dict[str, np.ndarray]:
    """Run the calculator ``name``: temperature [degC], time [min], pressure [kPa] (for
    the calculators that take one; one atmosphere when not given) and any of its further
    inputs and constants as keywords."""
    return get_calculator(name)(temperature=temperature, time=time, pressure=pressure,
                                **values)
