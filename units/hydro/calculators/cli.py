"""``flowsheet calc``: run an auxiliary calculator once, over a batch, or fit it.

Usage::

    flowsheet calc demercurisation --temperature 450 --pressure 5000 --time 60
    flowsheet calc gold_cyanidation --temperature 25 --time 1440 --set head_grade=2.4
    flowsheet calc carbon_elution --input batch.csv -o OUT      # writes OUT/calc_carbon_elution.csv
    flowsheet calc carbon_elution --fit lab.xlsx [-o OUT] [--input batch.csv]

Temperatures in degC, pressures in Pa (absolute; one atmosphere when not given), times in
min. ``--set KEY=VALUE`` gives a further input or a constant (``hg_feed=50``,
``ea_kj=75``). A batch table has a column ``temperature``, ``time`` and, for calculators
that take one, ``pressure``, plus any further inputs; every row is computed and the
results are appended as columns. ``--fit`` fits the constants to laboratory data (see
:mod:`units.hydro.calculators.fitting`), prints them with R^2 and uses them for the run or
the batch; with ``-o`` it also writes ``calc_<name>_fit.csv`` and
``calc_<name>_fit_points.csv``. Bad input is a :class:`flowsheet.errors.FlowsheetError`
naming the argument, or the file, line and column.
"""

from __future__ import annotations

import argparse
import math

import numpy as np
import pandas as pd

from flowsheet.errors import InputError, Location, SchemaError
from units.hydro.calculators.rates import ZERO_CELSIUS
from units.hydro.calculators.registry import CALCULATORS, Calculator, get_calculator

__all__ = ["add_arguments", "command", "run_batch"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``flowsheet calc`` to ``parser``."""
    from flowsheet.argtypes import ABSOLUTE_ZERO_C, number

    parser.add_argument("name", help="calculator: " + ", ".join(sorted(CALCULATORS)))
    parser.add_argument("--temperature", type=number(above=ABSOLUTE_ZERO_C, unit="degC"),
                        help="temperature [degC]")
    parser.add_argument("--pressure", type=number(above=0, unit="Pa"),
                        help="absolute pressure [Pa] (default 101325) for the calculators "
                             "that depend on it")
    parser.add_argument("--time", type=number(at_least=0, unit="min"), help="time [min]")
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
        needed["pressure"] = "Pa"
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
                    "must be above 0 Pa" if name == "pressure" else "must not be negative")
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


def _csv(table: pd.DataFrame):
    def write(path) -> None:
        table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")

    return write


def command(args: argparse.Namespace) -> int:
    """Run ``flowsheet calc``; returns the exit code (0)."""
    from flowsheet.exports import write_files
    from units.hydro.calculators.fitting import fit_constants, fit_table

    calc = get_calculator(args.name)
    values = _settings(calc, args.set)
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
        writers[f"calc_{calc.name}_fit.csv"] = _csv(table)
        writers[f"calc_{calc.name}_fit_points.csv"] = _csv(fit.predicted)
    if args.input:
        batch = run_batch(calc, _read(args.input, args.sheet), values)
        paths = write_files(args.output or "out",
                            {f"calc_{calc.name}.csv": _csv(batch), **writers})
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
        pressure = f", {args.pressure if args.pressure is not None else 101325.0:g} Pa"
    print(f"{calc.name} at {args.temperature:g} degC{pressure}, {args.time:g} min:")
    width = max(map(len, result))
    for key, value in result.items():
        print(f"  {key:<{width}}  {float(value):,.6g}")
