"""``flowsheet blocks``: a block model through the flowsheet's ``sabc_circuit`` unit.

Writes ``blocks.csv`` (each block's throughput, T80, P80, limit and hours), ``periods.csv``
(tonnes, hours, throughput and limit counts per period) and, with ``--plot``,
``throughput.png``; see :mod:`units.comminution.blocks` for the physics.
"""

from __future__ import annotations

import argparse

from flowsheet.terminal import big_number, csv_writer, sheet_option

__all__ = ["add_arguments", "command", "circuit_and_f80"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``flowsheet blocks``."""
    parser.add_argument("file")
    parser.add_argument("blocks", help="BLOCKS.csv or .xlsx: id, period, tonnes and the "
                                       "hardness the circuit's model needs")
    parser.add_argument("-o", "--output", default="out", help="results folder (default: out)")
    parser.add_argument("--unit", help="the sabc_circuit unit (when the file has several)")
    parser.add_argument("--sheet", help="sheet of an .xlsx table (default: the first)")
    parser.add_argument("--plot", action="store_true",
                        help="also draw throughput against hardness (throughput.png)")


def circuit_and_f80(args):
    """The sabc_circuit unit of the file, and its F80 (the inlet's when not given)."""
    import flowsheet
    from units.comminution.blocks import circuit_unit

    fs = flowsheet.load(args.file)
    unit = circuit_unit(fs, args.unit)
    f80 = unit.params.f80
    if f80 is None:
        f80 = fs.solve().units[unit.name]["f80"]
    return unit, f80


def command(args: argparse.Namespace) -> int:
    """Run ``flowsheet blocks``; returns the exit code."""
    import pandas as pd

    from flowsheet.exports import write_files
    from units.comminution.blocks import COLUMN_UNITS, read_blocks, run_blocks, used_hardness
    from units.comminution.sabc_circuit import hardness_inputs

    unit, f80 = circuit_and_f80(args)
    plant = unit.params
    table, periods = run_blocks(unit, read_blocks(args.blocks, sheet_option(args.sheet)), f80=f80)
    writers = {"blocks.csv": csv_writer(table, COLUMN_UNITS, index=False),
               "periods.csv": csv_writer(periods, COLUMN_UNITS, index=False)}
    if args.plot:
        from units.comminution.plots import throughput_plot

        hardness = hardness_inputs(plant.model, plant.ball_model,
                                   used_hardness(table, plant.model, plant.ball_model))
        writers["throughput.png"] = lambda path: throughput_plot(
            plant.model, hardness, table["tph"].to_numpy(), table["limit"].to_numpy(), path,
            title=f"{unit.name}: block throughput, {plant.model} model",
            **plant.throughput_kwargs(f80))
    paths = write_files(args.output, writers)
    shown = periods.head(24)
    with pd.option_context("display.width", 160, "display.max_columns", 20,
                           "display.float_format", big_number):
        print(shown.to_string(index=False))
    if len(periods) > len(shown):
        print(f"... {len(periods) - len(shown)} more periods in periods.csv")
    tonnes, hours = float(table["tonnes"].sum()), float(table["hours"].sum())
    print(f"{len(table):,} blocks, {big_number(tonnes)} t in {len(periods)} periods: "
          f"{big_number(hours)} h at {tonnes / hours:,.6g} t/h ({plant.model}, unit "
          f"'{unit.name}')")
    print("wrote " + ", ".join(str(p) for p in paths))
    return 0
