"""``flowsheet calc``: run an auxiliary calculator once, over a batch, or fit it.

Usage::

    flowsheet calc demercurisation --temperature 450 --pressure 5 --time 60
    flowsheet calc carbon_elution --temperature 120 --pressure "2.5 bar" --time "8 h"
    flowsheet calc gold_cyanidation --temperature 25 --time 1440 --set head_grade=2.4
    flowsheet calc carbon_elution --input batch.csv -o OUT      # writes OUT/calc_carbon_elution.csv
    flowsheet calc carbon_elution --fit lab.xlsx [-o OUT] [--input batch.csv]

Temperatures in degC, pressures in kPa (absolute; one atmosphere when not given) as the
README's table of units says, times in min; each may carry its unit instead
(``--pressure "2.5 bar"``, ``--time "8 h"``, ``--temperature "393 K"``).
``--set KEY=VALUE`` gives a further input or a constant (``hg_feed=50``, ``ea_kj=75``).
A batch table has a column ``temperature``, ``time`` and, for calculators that take one,
``pressure`` (kPa), plus any further inputs; every row is computed and the results are
appended as columns. ``--fit`` fits the constants to laboratory data (see
:mod:`units.hydro.calculators.fitting`), prints them with R^2 and uses them for the run or
the batch; with ``-o`` it also writes ``calc_<name>_fit.csv`` and
``calc_<name>_fit_points.csv``. The headers of the files carry units
(``temperature [degC]``, ``efficiency_pct [%]``; :func:`column_units`). Bad input is a
:class:`flowsheet.errors.FlowsheetError` naming the argument, or the file, line and
column.
"""

from __future__ import annotations

import argparse
import math
import re

import numpy as np
import pandas as pd

from flowsheet.errors import InputError, Location, QuantityError, SchemaError
from flowsheet.quantities import DEFAULT_UNITS, to_default
from units.hydro.calculators.rates import ZERO_CELSIUS
from units.hydro.calculators.registry import ATMOSPHERE, CALCULATORS, Calculator, get_calculator

__all__ = ["add_arguments", "command", "run_batch", "column_units"]

#: Units of the results by the ending of their names, and of the common inputs.
OUTPUT_UNITS = {"temperature": "degC", "time": "min", "pressure": "Pa", "r2": "1", "n": "1",
                "*_temperature_c": "degC", "*_pct": "%", "*_mg_per_kg": "mg/kg",
                "*_g_per_t": "g/t", "*_mg_per_l": "mg/L", "*_per_min": "1/min", "*_pa": "Pa"}


def column_units(calc: Calculator) -> dict[str, str]:
    """Units of the columns of a calculator's tables: the inputs (from the ``[unit]`` of
    their descriptions), the constants, the results, and measured and fitted values.

    >>> units = column_units(get_calculator("demercurisation"))
    >>> units["hg_feed"], units["ea_kj"], units["efficiency_pct_fitted"]
    ('mg/kg', 'kJ/mol', '%')
    """
    from flowsheet.headers import unit_of

    units = {}
    for name, text in calc.inputs.items():
        found = re.search(r"\[([^\[\]]+)\]\s*$", text)
        if found and not found[1].startswith("% of"):
            units[name] = found[1]
        elif found:
            units[name] = "%"
    units.update({name: c.unit for name, c in calc.constants.items()})
    for name in calc.outputs():
        unit = unit_of(name, OUTPUT_UNITS)
        if unit is not None:
            units.update({name: unit, f"{name}_measured": unit, f"{name}_fitted": unit})
    return {**{k: v for k, v in OUTPUT_UNITS.items() if "*" not in k}, **units}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``flowsheet calc`` to ``parser``."""

    parser.add_argument("name", help="calculator: " + ", ".join(sorted(CALCULATORS)))
    parser.add_argument("--temperature", help="temperature [degC], or with a unit ('393 K')")
    parser.add_argument("--pressure",
                        help="absolute pressure [kPa] (default 101.325), or with a unit "
                             "('2.5 bar'), for the calculators that depend on it")
    parser.add_argument("--time", help="time [min], or with a unit ('8 h')")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a further input or a constant, e.g. hg_feed=50 (repeatable)")
    parser.add_argument("--input", help="batch table (.csv or .xlsx): one row per case")
    parser.add_argument("--fit", help="laboratory table (.csv or .xlsx) to fit the "
                                      "constants to")
    parser.add_argument("--sheet", help="sheet of an .xlsx table (default: the first)")
    parser.add_argument("-o", "--output",
                        help="results folder (default: out when there is a batch)")


def _settings(calc: Calculator, items: list[str]) -> dict[str, float]:
    known = calc.defaults()
    values: dict[str, float] = {}
    for item in items:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep:
            raise SchemaError(f"'--set {item}' is not KEY=VALUE", location=Location(key="--set"))
        if key not in known:
            from flowsheet.errors import did_you_mean

            raise SchemaError(f"'--set {item}': '{key}' is not an input or constant of "
                              f"{calc.name}", location=Location(key="--set"),
                              hint=did_you_mean(key, known))
        try:
            values[key] = float(text)
        except ValueError:
            values[key] = math.nan
        if not math.isfinite(values[key]):
            raise SchemaError(f"'--set {item}': '{text.strip()}' is not a finite number",
                              location=Location(key="--set")) from None
    return values


#: Each argument read as a quantity: its dimension and the unit of a bare number.
_ARGUMENTS = {"temperature": ("temperature", "degC"), "pressure": ("pressure", "kPa"),
              "time": ("time", "min")}


def _quantity(name: str, text: str | float | None) -> float | None:
    """The value of ``--name`` in its unit (degC, kPa, min): a bare number is taken as it
    is, a quantity (``'2.5 bar'``) is converted; errors are located at ``--name``.

    >>> _quantity("pressure", "2.5 bar"), _quantity("time", "1.5 h"), _quantity("time", "90")
    (250.0, 90.0, 90.0)
    """
    if text is None or isinstance(text, float | int):
        return None if text is None else float(text)
    dimension, unit = _ARGUMENTS[name]
    try:
        return float(text)
    except ValueError:
        pass
    try:
        value = to_default(text, dimension)
        if unit != DEFAULT_UNITS[dimension]:
            value /= to_default(f"1 {unit}", dimension)
        return value
    except QuantityError as err:
        message = err.message.replace(f" in {DEFAULT_UNITS[dimension]} ", f" in {unit} ")
        raise QuantityError(message, location=Location(key=f"--{name}"),
                            hint=err.hint) from None


def _read(path: str, sheet: str | None) -> pd.DataFrame:
    from units.comminution.blocks import read_blocks

    if sheet is not None and sheet.isascii() and sheet.isdigit() and len(sheet) < 10:
        return read_blocks(path, int(sheet))
    return read_blocks(path, sheet)


def _check_rows(calc: Calculator, table: pd.DataFrame) -> None:
    """The first bad cell of an input column, as an InputError at its file line."""
    from units.comminution.blocks import missing_column_error, numeric_column

    needed = {"temperature": "degC", "time": "min"}
    if calc.pressure:
        needed["pressure"] = "kPa"
    for name in [*needed, *[n for n in calc.inputs if n in table.columns]]:
        if name not in table.columns:
            raise missing_column_error(table, name, f"{needed[name]}, an input of {calc.name}")
        values = numeric_column(table, name, positive=False, bounds=(-np.inf, np.inf))
        low = {"temperature": -ZERO_CELSIUS, "pressure": 0.0}.get(name)
        bad = values <= low if low is not None else values < 0
        if bad.any():
            row = int(np.argmax(bad))
            lines = table.attrs.get("lines")
            where = Location(file=table.attrs.get("source"),
                             line=int(lines[row]) if lines else None)
            what = ("is at or below absolute zero" if name == "temperature" else
                    "must be above 0 kPa" if name == "pressure" else "must not be negative")
            raise InputError(f"column '{name}': {values[row]:g} {what}", location=where)


def run_batch(calc: Calculator, table: pd.DataFrame,
              values: dict[str, float] | None = None) -> pd.DataFrame:
    """Every row of ``table`` through ``calc``; the table with the results appended.

    Columns named as further inputs of the calculator override ``values`` row by row.
    """
    _check_rows(calc, table)
    inputs = {n: pd.to_numeric(table[n]).to_numpy(float) for n in table.columns
              if n in ("temperature", "time", "pressure") or n in calc.inputs}
    kwargs = {**(values or {}), **{k: v for k, v in inputs.items()
                                   if k not in ("temperature", "time", "pressure")}}
    results = calc(temperature=inputs["temperature"], time=inputs["time"],
                   pressure=inputs.get("pressure"), **kwargs)
    out = table.copy()
    out.attrs = {}
    for key, value in results.items():
        out[key] = np.broadcast_to(value, (len(table),))
    return out


def _csv(table: pd.DataFrame, units: dict[str, str]):
    from flowsheet.headers import write_csv

    def write(path) -> None:
        write_csv(table, path, units=units)

    return write


def command(args: argparse.Namespace) -> int:
    """Run ``flowsheet calc``; returns the exit code (0)."""
    from flowsheet.exports import write_files
    from units.hydro.calculators.fitting import fit_constants, fit_table

    calc = get_calculator(args.name)
    values = _settings(calc, args.set)
    for name in _ARGUMENTS:
        setattr(args, name, _quantity(name, getattr(args, name)))
    if args.pressure is not None and not calc.pressure:
        raise SchemaError(f"the {calc.name} calculator does not depend on pressure",
                          location=Location(key="--pressure"))
    writers = {}
    if args.fit:
        fit = fit_constants(calc, _read(args.fit, args.sheet), start=values)
        table = fit_table(fit)
        with pd.option_context("display.float_format", "{:,.6g}".format):
            print(table[["constant", "value", "unit", "status"]].to_string(index=False))
        print(f"{calc.name}: fitted to {fit.n} values of {', '.join(fit.targets)} in "
              f"{args.fit}: R^2 = {fit.r2:.4f}, RMSE = {fit.rmse:.4g}")
        values.update(fit.constants)
        units = column_units(calc)
        writers[f"calc_{calc.name}_fit.csv"] = _csv(table, units)
        writers[f"calc_{calc.name}_fit_points.csv"] = _csv(fit.predicted, units)
    if args.input:
        batch = run_batch(calc, _read(args.input, args.sheet), values)
        paths = write_files(args.output or "out",
                            {f"calc_{calc.name}.csv": _csv(batch, column_units(calc)),
                             **writers})
        eff = batch["efficiency_pct"]
        print(f"{calc.name}: {len(batch)} cases from {args.input}; efficiency "
              f"{eff.min():.4g}-{eff.max():.4g} %")
        print("wrote " + ", ".join(str(p) for p in paths))
        return 0
    if args.temperature is not None or args.time is not None:
        _single(calc, args, values)
    elif not args.fit:
        raise SchemaError("give --temperature and --time, or --input FILE, or --fit FILE",
                          location=Location(key="--temperature"))
    if writers and args.output:
        paths = write_files(args.output, writers)
        print("wrote " + ", ".join(str(p) for p in paths))
    return 0


def _single(calc: Calculator, args: argparse.Namespace, values: dict[str, float]) -> None:
    for name in ("temperature", "time"):
        if getattr(args, name) is None:
            raise SchemaError(f"--{name} is needed", location=Location(key=f"--{name}"))
    try:
        result = calc(temperature=args.temperature, time=args.time, pressure=args.pressure,
                      **values)
    except SchemaError as err:
        key = err.location.key
        if key in ("temperature", "time", "pressure"):
            err.location = Location(key=f"--{key}")
        raise
    pressure = ""
    if calc.pressure:
        pressure = f", {args.pressure if args.pressure is not None else ATMOSPHERE:g} kPa"
    print(f"{calc.name} at {args.temperature:g} degC{pressure}, {args.time:g} min:")
    width = max(map(len, result))
    for key, value in result.items():
        print(f"  {key:<{width}}  {float(value):,.6g}")
