"""``flowsheet track FILE.yaml DATA.csv|xlsx -o OUT``: the tracking tables and their plot.

Writes, all or nothing (:func:`flowsheet.exports.write_files`): ``track_daily.csv``,
``track_gaps.csv``, ``track_summary.csv``, ``tracking.xlsx`` (the three tables as sheets,
by :func:`flowsheet.workbook.write_workbook`) and ``tracking.png`` (:func:`tracking_plot`).
Headers carry their units (``feed_g [g]``, ``extraction_pct [%]``;
:data:`twin.tracking.TABLE_UNITS`).
"""

from __future__ import annotations

import argparse
import os

import numpy as np
import pandas as pd

from flowsheet.atomic import atomic_path
from twin.tracking import TABLE_UNITS, TrackingResult, track

__all__ = ["add_arguments", "command", "tracking_plot"]


def tracking_plot(result: TrackingResult, path: str | os.PathLike) -> None:
    """Extraction per stage per day (top) and cumulative recovery (bottom), to ``path``.

    A day left out for a gap breaks its stage's line and is marked with a cross on the
    date axis of the top panel.
    """
    from flowsheet.plots import figure_class

    Figure = figure_class()
    from matplotlib.dates import DateFormatter, date2num
    from matplotlib.ticker import FixedLocator

    fig = Figure(figsize=(9.0, 6.5), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    daily = result.daily.assign(day=pd.to_datetime(result.daily["date"]))
    for stage in result.stages:
        d = daily[daily["stage"] == stage]
        (line,) = top.plot(d["day"], d["extraction_pct"], marker="o", markersize=3,
                           linewidth=1.3, label=stage)
        bottom.plot(d["day"], d["cumulative_recovery_pct"], linewidth=1.8,
                    color=line.get_color(), label=stage)
        missing = d[~d["extraction_complete"] | ~d["balance_complete"]]
        if len(missing):
            top.plot(missing["day"], np.zeros(len(missing)), "x", markersize=9,
                     markeredgewidth=2, color=line.get_color(), clip_on=False)
    if not daily["extraction_complete"].all() or not daily["balance_complete"].all():
        top.plot([], [], "x", color="0.35", markersize=8, markeredgewidth=2,
                 label="day with a gap (stage colour)")
    top.set_ylim(0, 105)
    bottom.set_ylim(0, 105)
    top.set_ylabel("Extraction of the day (%)")
    bottom.set_ylabel("Cumulative recovery (%)")
    top.set_title(f"{result.flowsheet}: {result.metal} extraction per stage per day")
    bottom.set_title("Cumulative recovery over the campaign (days with gaps left out)",
                     fontsize=10)
    for ax in (top, bottom):
        ax.grid(True, linewidth=0.5, alpha=0.6)
        ax.legend(loc="center right", ncol=2, fontsize=8)
    days = sorted(daily["day"].unique())
    every = max(1, int(np.ceil(len(days) / 10)))
    bottom.xaxis.set_major_locator(FixedLocator(date2num(days[::every])))
    bottom.xaxis.set_major_formatter(DateFormatter("%d %b\n%Y"))
    pad = pd.Timedelta(hours=12)
    bottom.set_xlim(days[0] - pad, days[-1] + pad)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=130)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``flowsheet track`` to ``parser``."""
    parser.add_argument("file", help="the flowsheet YAML: stages are its units")
    parser.add_argument("data", help="DATA.csv or .xlsx: date, stage, stream, role, "
                                     "volume_m3 (or volume_L), g_per_L [, phase, solids_t, "
                                     "grade_pct]")
    parser.add_argument("-o", "--output", default="out", help="results folder (default: out)")
    parser.add_argument("--sheet", help="sheet of an .xlsx table (default: the first)")
    parser.add_argument("--metal", default="Cu", help="the metal of the assays (label)")


def _csv(table: pd.DataFrame):
    from flowsheet.headers import write_csv

    def write(path) -> None:
        write_csv(table, path, units=TABLE_UNITS)

    return write


def _xlsx(result: TrackingResult):
    from flowsheet.headers import with_units
    from flowsheet.workbook import write_workbook

    def write(path) -> None:
        write_workbook(path, {name: with_units(table, TABLE_UNITS)
                              for name, table in result.tables().items()})

    return write


def command(args: argparse.Namespace) -> int:
    """Run ``flowsheet track``; returns the exit code (0)."""
    from flowsheet.exports import write_files

    sheet = int(args.sheet) if args.sheet is not None and args.sheet.isdigit() else args.sheet
    result = track(args.file, args.data, metal=args.metal, sheet=sheet)
    paths = write_files(args.output, {
        "track_daily.csv": _csv(result.daily),
        "track_gaps.csv": _csv(result.gaps),
        "track_summary.csv": _csv(result.summary),
        "tracking.xlsx": _xlsx(result),
        "tracking.png": lambda path: tracking_plot(result, path)})
    shown = result.summary[["stage", "days", "days_with_gaps", "cumulative_recovery_pct",
                            "mean_daily_extraction_pct", "discrepancy_g", "discrepancy_pct"]]
    with pd.option_context("display.width", 160, "display.float_format", "{:,.4g}".format):
        print(shown.to_string(index=False))
    for _, g in result.gaps.iterrows():
        print(f"gap: {g['date']} stage '{g['stage']}' stream '{g['stream']}': "
              f"no {g['column']}" if g["column"] != "row" else
              f"gap: {g['date']} stage '{g['stage']}': no row for stream '{g['stream']}'")
    print("wrote " + ", ".join(str(p) for p in paths))
    return 0
