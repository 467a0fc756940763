"""The auxiliary calculators by name, with their inputs and fittable constants.

:data:`CALCULATORS` maps a name (``flowsheet calc NAME``) to a :class:`Calculator`: the
pure function, whether it takes a pressure, its further inputs and the constants that
:func:`units.hydro.calculators.fitting.fit_constants` may fit. :func:`calculate` runs one
by name with checked keywords.

>>> sorted(CALCULATORS)
['carbon_elution', 'carbon_reactivation', 'demercurisation', 'gold_cyanidation']
>>> r = calculate("demercurisation", temperature=450, pressure=5000, time=60)
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

__all__ = ["ATMOSPHERE", "Constant", "Calculator", "CALCULATORS", "get_calculator",
           "calculate"]

#: Pressure [Pa] used when a calculator that needs one is given none.
ATMOSPHERE = 101325.0


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
    """One calculator: ``function(temperature, [pressure,] time, **inputs, **constants)``."""

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
        if not self.pressure:
            if pressure is not None:
                raise SchemaError(f"the {self.name} calculator does not depend on pressure",
                                  location=Location(key="pressure"))
            return self.function(temperature, time, **values)
        return self.function(temperature, ATMOSPHERE if pressure is None else pressure, time,
                             **values)


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
    """Run the calculator ``name``: temperature [degC], time [min], pressure [Pa] (for
    the calculators that take one; one atmosphere when not given) and any of its further
    inputs and constants as keywords."""
    return get_calculator(name)(temperature=temperature, time=time, pressure=pressure,
                                **values)
