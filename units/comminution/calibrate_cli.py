"""``flowsheet calibrate``: fit the SABC throughput models to monthly plant data and rank
them by RMSE (``comparison.csv``, ``predictions.csv``, ``predicted_vs_actual.png``); see
:mod:`units.comminution.calibration`.
"""

from __future__ import annotations

import argparse

from flowsheet.terminal import csv_writer, sheet_option
from units.comminution.blocks_cli import circuit_and_f80

__all__ = ["add_arguments", "command"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``flowsheet calibrate``."""
    parser.add_argument("file")
    parser.add_argument("data", help="DATA.csv or .xlsx: period, plant_tph [t/h] and the "
                                     "period's mean hardness (axb, mia, bwi, mib, sgi, dwi, "
                                     "density; optional f80 [um], phi [%% critical])")
    parser.add_argument("-o", "--output", default="out", help="results folder (default: out)")
    parser.add_argument("--unit", help="the sabc_circuit unit (when the file has several)")
    parser.add_argument("--sheet", help="sheet of an .xlsx table (default: the first)")
    parser.add_argument("--models", help="comma-separated: dwi_bwi, smc_bwi, sgi_bwi "
                                         "(default: every model the table has the hardness of)")


def command(args: argparse.Namespace) -> int:
    """Run ``flowsheet calibrate``; returns the exit code."""
    import pandas as pd

    from flowsheet.errors import SchemaError, did_you_mean
    from flowsheet.exports import write_files
    from units.comminution.blocks import missing_column_error, numeric_column, read_blocks
    from units.comminution.calibration import (
        CALIBRATION_UNITS,
        calibrate_models,
        comparison_table,
    )
    from units.comminution.sabc import SABC_MODELS

    models = None
    if args.models:
        models = [m.strip() for m in args.models.split(",") if m.strip()]
        for m in models:
            if m not in SABC_MODELS:
                raise SchemaError(f"unknown SABC model '{m}' in --models",
                                  hint=did_you_mean(m, SABC_MODELS))
    unit, f80 = circuit_and_f80(args)
    data = read_blocks(args.data, sheet_option(args.sheet))
    for name, why in (("period", "the month or other period of each row"),
                      ("plant_tph", "the plant's measured throughput of the period, t/h")):
        if name not in data.columns:
            raise missing_column_error(data, name, why)
    actual = numeric_column(data, "plant_tph")
    results = calibrate_models(data, actual, models, **unit.params.throughput_kwargs(f80))
    comparison = comparison_table(results)
    first = next(iter(results.values()))
    predictions = pd.DataFrame({"period": first.periods, "actual_tph": first.actual})
    for name, result in results.items():
        predictions[f"{name}_tph"] = result.predicted
        predictions[f"{name}_rel_error_pct"] = result.rel_error

    def plot(path) -> None:
        from units.comminution.plots import predicted_vs_actual_plot

        predicted_vs_actual_plot(first.periods, first.actual,
                                 {n: r.predicted for n, r in results.items()}, path,
                                 title=f"{unit.name}: predicted and actual throughput")

    paths = write_files(args.output, {
        "comparison.csv": csv_writer(comparison, CALIBRATION_UNITS, index=False),
        "predictions.csv": csv_writer(predictions, CALIBRATION_UNITS, index=False),
        "predicted_vs_actual.png": plot})
    with pd.option_context("display.width", 200, "display.max_columns", 20,
                           "display.max_colwidth", 80,
                           "display.float_format", "{:,.4g}".format):
        print(comparison.to_string(index=False))
    print(f"{len(first.actual)} periods of {args.data}; models ranked by RMSE after "
          "calibration")
    print("wrote " + ", ".join(str(p) for p in paths))
    return 0
