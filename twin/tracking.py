"""Day-by-day tracking of a plant's or a laboratory campaign's metal balance, stage by stage.

:func:`track` reads the daily solution (and solids) data of a campaign, takes the stage
names from the flowsheet (every stage named in the data must be a unit of the flowsheet
file), and computes per stage per day the extraction efficiency and the metal balance with
its discrepancy, and over the campaign the cumulative recovery. A missing value is never
guessed: it is listed in the table of gaps (by date, stage, stream and column) and the
figures that need it are left empty and out of the cumulative sums.

The data table (CSV or Excel, long format: one row per day, stage and stream)::

    date,stage,stream,role,phase,volume_m3,g_per_L,solids_t,grade_pct
    2024-03-01,leach,ore,feed,solids,,,2000,0.95
    2024-03-01,leach,raffinate,in,solution,4800,0.26,,
    2024-03-01,leach,pls,out,solution,4700,3.85,,
    2024-03-01,leach,residue,tails,solids,,,1995,0.12
    2024-03-01,sx,pls,feed,solution,4700,3.85,,
    2024-03-01,sx,raffinate,tails,solution,4700,0.26,,

==============  ==============================================================================
column          meaning
==============  ==============================================================================
``date``        the day (ISO ``YYYY-MM-DD``, or an Excel date)
``stage``       a unit name of the flowsheet
``stream``      a label of the stream, unique per stage and day
``role``        ``feed``: carries the metal the stage extracts; ``tails``: carries what it
                did not extract; ``in`` / ``out``: any other stream entering / leaving
                (balance only); ``holdup``: the stage's inventory at the end of the day
``phase``       ``solution`` (default, also for an empty cell) or ``solids``
``volume_m3``   solution volume of the day [m3] (a daily flow, m3/d) -- or ``volume_L`` [L]
``g_per_L``     metal in the solution [g/L]
``solids_t``    dry solids of the day [t] (solids rows only)
``grade_pct``   metal in the solids [% by mass] (solids rows only)
==============  ==============================================================================

Metal in a row [g]: solution ``volume x g_per_L`` (x 1000 for m3), solids
``solids_t x 1e6 x grade_pct / 100``. Per stage and day:

* extraction [%] = 100 (feed - tails) / feed;
* in = feed + in streams, out = tails + out streams, accumulated = holdup at the end of
  the day - holdup at the end of the previous day (give the opening inventory as a
  ``holdup`` row dated the day before the campaign); discrepancy = in - out - accumulated
  [g], and as % of in;
* cumulative recovery [%] to a day = sum of (feed - tails) / sum of feed over the days so
  far whose feed and tails are complete.

>>> import pandas as pd
>>> data = pd.DataFrame({"date": ["2024-03-01"] * 2 + ["2024-03-02"] * 2,
...                      "stage": "s", "stream": ["pls", "raffinate"] * 2,
...                      "role": ["feed", "tails"] * 2, "volume_m3": [100, 100, 100, None],
...                      "g_per_L": [4.0, 0.2, 4.0, 0.3]})
>>> daily = daily_balance(data, ["s"])
>>> daily["extraction_pct"].round(2).tolist()
[95.0, nan]
>>> gaps(data, ["s"])[["date", "stream", "column"]].to_dict("records")
[{'date': '2024-03-02', 'stream': 'raffinate', 'column': 'volume_m3'}]
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from flowsheet.errors import InputError, Location, did_you_mean

__all__ = ["ROLES", "PHASES", "TABLE_UNITS", "TrackingResult", "read_tracking_data", "stage_names",
           "gaps", "daily_balance", "campaign_summary", "track"]

#: Units of the columns of the daily, gaps and summary tables (metal in g, shares in %,
#: ``days`` and ``days_with_gaps`` in days); dates, names and flags have none.
TABLE_UNITS = {"*_g": "g", "*_pct": "%", "days": "d", "days_with_gaps": "d"}

#: Accepted values of ``role``.
ROLES = ("feed", "tails", "in", "out", "holdup")

#: Accepted values of ``phase``.
PHASES = ("solution", "solids")

_KEYS = ("date", "stage", "stream", "role")


@dataclass
class TrackingResult:
    """The tables of a tracked campaign.

    ``daily``: one row per stage and day (see :func:`daily_balance`); ``gaps``: every
    missing value (see :func:`gaps`); ``summary``: one row per stage over the campaign
    (see :func:`campaign_summary`); ``stages``: the stages in flowsheet order.
    """

    flowsheet: str
    metal: str
    stages: list[str]
    daily: pd.DataFrame
    gaps: pd.DataFrame
    summary: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """The three tables by name: ``daily``, ``gaps``, ``summary``."""
        return {"daily": self.daily, "gaps": self.gaps, "summary": self.summary}


def _where(table: pd.DataFrame, row: int) -> Location:
    lines = table.attrs.get("lines")
    return Location(file=table.attrs.get("source"),
                    line=int(lines[row]) if lines is not None and row < len(lines) else None)


def _fail(table: pd.DataFrame, row: int, message: str, hint: str | None = None) -> InputError:
    prefix = "" if table.attrs.get("lines") is not None else f"row {row + 1}: "
    return InputError(prefix + message, location=_where(table, row), hint=hint)


def read_tracking_data(path: str | os.PathLike, sheet: str | int | None = None
                       ) -> pd.DataFrame:
    """Read a tracking table (``.csv`` or ``.xlsx``), remembering each row's line."""
    from flowsheet.tables import read_table

    return read_table(path, sheet)


def _volume_column(table: pd.DataFrame) -> tuple[str, float]:
    """The volume column and its factor to litres."""
    present = [c for c in ("volume_m3", "volume_L") if c in table.columns]
    source = Location(file=table.attrs.get("source"))
    if len(present) == 2:
        raise InputError("both 'volume_m3' and 'volume_L' given: use one unit of volume",
                         location=source)
    if not present:
        hint = did_you_mean("volume_m3", map(str, table.columns))
        raise InputError("missing column 'volume_m3' (or 'volume_L'): the solution volume "
                         "of the day", location=source,
                         hint=hint if hint and hint.startswith("did") else None)
    return present[0], (1000.0 if present[0] == "volume_m3" else 1.0)


def _prepare(table: pd.DataFrame, stages: list[str] | None = None) -> pd.DataFrame:
    """Check the table's keys and numbers; return it with ``date`` as text, ``phase``
    filled and the amount columns numeric (NaN for an empty cell)."""
    source = Location(file=table.attrs.get("source"))
    for name in (*_KEYS, "g_per_L"):
        if name not in table.columns:
            hint = did_you_mean(name, map(str, table.columns))
            raise InputError(f"missing column '{name}'", location=source,
                             hint=hint if hint and hint.startswith("did") else None)
    volume, _ = _volume_column(table)
    t = table.copy()
    if "phase" not in t.columns:
        t["phase"] = "solution"
    t["phase"] = t["phase"].fillna("solution").astype(str).str.strip().str.lower()
    for i in range(len(t)):
        for key in _KEYS:
            if pd.isna(t[key].iloc[i]) or not str(t[key].iloc[i]).strip():
                raise _fail(table, i, f"column '{key}': no value (every row needs date, "
                                      "stage, stream and role)")
        role, phase = str(t["role"].iloc[i]).strip(), t["phase"].iloc[i]
        if role not in ROLES:
            raise _fail(table, i, f"column 'role': '{role}' is not a role",
                        hint=did_you_mean(role, ROLES))
        if phase not in PHASES:
            raise _fail(table, i, f"column 'phase': '{phase}' is not a phase",
                        hint=did_you_mean(phase, PHASES))
    t["stage"] = t["stage"].astype(str).str.strip()
    t["stream"] = t["stream"].astype(str).str.strip()
    t["role"] = t["role"].astype(str).str.strip()
    if stages is not None:
        for i, stage in enumerate(t["stage"]):
            if stage not in stages:
                raise _fail(table, i, f"column 'stage': '{stage}' is not a unit of the "
                                      "flowsheet", hint=did_you_mean(stage, stages))
    dates = pd.to_datetime(t["date"], errors="coerce", format="mixed")
    bad = np.flatnonzero(dates.isna().to_numpy())
    if bad.size:
        raise _fail(table, int(bad[0]), f"column 'date': {t['date'].iloc[bad[0]]!r} is not "
                                        "a date (use YYYY-MM-DD)")
    t["date"] = dates.dt.strftime("%Y-%m-%d")
    if (t["phase"] == "solids").any():
        for name in ("solids_t", "grade_pct"):
            if name not in t.columns:
                row = int(np.argmax((t["phase"] == "solids").to_numpy()))
                raise _fail(table, row, f"missing column '{name}': solids rows need "
                                        "solids_t [t] and grade_pct [%]")
    numbers = [volume, "g_per_L"] + [c for c in ("solids_t", "grade_pct") if c in t.columns]
    for name in numbers:
        raw = t[name]
        values = pd.to_numeric(raw, errors="coerce")
        text = raw.notna() & values.isna() & (raw.astype(str).str.strip() != "")
        negative = values < 0
        for mask, what in ((text, "is not a number"), (negative, "must not be negative")):
            if mask.any():
                row = int(np.argmax(mask.to_numpy()))
                raise _fail(table, row, f"column '{name}': {raw.iloc[row]!r} {what}")
        t[name] = values.astype(float)
    dup = t.duplicated(subset=["date", "stage", "stream"], keep="first")
    if dup.any():
        row = int(np.argmax(dup.to_numpy()))
        raise _fail(table, row, f"stream '{t['stream'].iloc[row]}' of stage "
                                f"'{t['stage'].iloc[row]}' appears twice on "
                                f"{t['date'].iloc[row]}")
    return t


def _needed(t: pd.DataFrame, volume: str) -> pd.Series:
    """For every row, the two columns its metal content needs."""
    return t["phase"].map({"solution": (volume, "g_per_L"),
                           "solids": ("solids_t", "grade_pct")})


def stage_names(flowsheet_file: str | os.PathLike) -> list[str]:
    """The unit names of the flowsheet file, in its order (the file is loaded and checked)."""
    import flowsheet

    return list(flowsheet.load(flowsheet_file).units)


def _expected(t: pd.DataFrame) -> tuple[list[str], pd.DataFrame]:
    """Campaign days (dates with any non-holdup row) and each stage's streams."""
    days = sorted(t.loc[t["role"] != "holdup", "date"].unique())
    streams = t[["stage", "stream", "role", "phase"]].drop_duplicates(["stage", "stream"])
    return days, streams


def gaps(data: pd.DataFrame, stages: list[str] | None = None) -> pd.DataFrame:
    """Every missing value of the campaign: columns ``date``, ``stage``, ``stream``,
    ``role`` and ``column`` (the empty column, or ``row`` for a stream without a row that
    day). A stream seen on any day of a stage is expected on every campaign day."""
    return _gaps(_prepare(data, stages))


def _gaps(t: pd.DataFrame) -> pd.DataFrame:
    volume, _ = _volume_column(t)
    days, streams = _expected(t)
    rows = []
    have = set(zip(t["date"], t["stage"], t["stream"], strict=True))
    needed = _needed(t, volume)
    for i in range(len(t)):
        for column in needed.iloc[i]:
            if pd.isna(t[column].iloc[i]):
                rows.append((t["date"].iloc[i], t["stage"].iloc[i], t["stream"].iloc[i],
                             t["role"].iloc[i], column))
    for _, s in streams.iterrows():
        if s["role"] == "holdup":
            continue
        for day in days:
            if (day, s["stage"], s["stream"]) not in have:
                rows.append((day, s["stage"], s["stream"], s["role"], "row"))
    out = pd.DataFrame(rows, columns=["date", "stage", "stream", "role", "column"])
    return out.sort_values(["date", "stage", "stream"], kind="stable").reset_index(drop=True)


def daily_balance(data: pd.DataFrame, stages: list[str] | None = None) -> pd.DataFrame:
    """Extraction, balance and cumulative recovery per stage and day.

    Columns: ``date``, ``stage``, ``feed_g``, ``tails_g``, ``extraction_pct``, ``in_g``,
    ``out_g``, ``accumulated_g``, ``discrepancy_g``, ``discrepancy_pct``,
    ``extraction_complete`` and ``balance_complete`` (no gap in what the figure needs),
    ``cumulative_recovery_pct``. A figure that needs a missing value is NaN. Stages come
    in the order of ``stages`` (the flowsheet's) when given.
    """
    t = _prepare(data, stages)
    volume, litres = _volume_column(t)
    factor = np.where(t["phase"] == "solution", litres, 1e4)  # solids: t * 1e6 g/t / 100 %
    first = np.where(t["phase"] == "solution", t[volume], t.get("solids_t", np.nan))
    second = np.where(t["phase"] == "solution", t["g_per_L"], t.get("grade_pct", np.nan))
    t["metal_g"] = first * second * factor
    days, _ = _expected(t)
    missing = _gap_keys(t)
    order = [s for s in (stages or []) if s in set(t["stage"])] or list(
        dict.fromkeys(t["stage"]))
    records = []
    for stage in order:
        rows = t[t["stage"] == stage]
        holdup = rows[rows["role"] == "holdup"].groupby("date")["metal_g"].sum(min_count=1)
        has_holdup = not holdup.empty
        for day in days:
            today = rows[rows["date"] == day]
            sums = {r: today.loc[today["role"] == r, "metal_g"].sum() for r in ROLES}
            gap_roles = missing.get((day, stage), set())
            ext_ok = not (gap_roles & {"feed", "tails"}) and (today["role"] == "feed").any()
            ext_ok = ext_ok and (today["role"] == "tails").any() and sums["feed"] > 0
            acc = 0.0
            if has_holdup:
                prev = (pd.Timestamp(day) - pd.Timedelta(days=1)).strftime("%Y-%m-%d")
                acc = holdup.get(day, np.nan) - holdup.get(prev, np.nan)
            bal_ok = not gap_roles and bool(np.isfinite(acc))
            inflow, outflow = sums["feed"] + sums["in"], sums["tails"] + sums["out"]
            disc = inflow - outflow - acc
            records.append({
                "date": day, "stage": stage,
                "feed_g": np.nan if "feed" in gap_roles else sums["feed"],
                "tails_g": np.nan if "tails" in gap_roles else sums["tails"],
                "extraction_pct": (100.0 * (sums["feed"] - sums["tails"]) / sums["feed"]
                                   if ext_ok else np.nan),
                "in_g": inflow if bal_ok else np.nan,
                "out_g": outflow if bal_ok else np.nan,
                "accumulated_g": acc if bal_ok else np.nan,
                "discrepancy_g": disc if bal_ok else np.nan,
                "discrepancy_pct": 100.0 * disc / inflow if bal_ok and inflow > 0 else np.nan,
                "extraction_complete": ext_ok, "balance_complete": bal_ok})
    daily = pd.DataFrame(records)
    extracted = (daily["feed_g"] - daily["tails_g"]).where(daily["extraction_complete"], 0.0)
    fed = daily["feed_g"].where(daily["extraction_complete"], 0.0)
    cum_ext = extracted.groupby(daily["stage"], sort=False).cumsum()
    cum_fed = fed.groupby(daily["stage"], sort=False).cumsum()
    daily["cumulative_recovery_pct"] = (100.0 * cum_ext / cum_fed.where(cum_fed > 0)).astype(
        float)
    return daily


def _gap_keys(t: pd.DataFrame) -> dict[tuple, set[str]]:
    """(date, stage) -> roles with a missing value (a holdup gap on the day before counts
    as ``holdup`` too: the day's accumulation needs both inventories)."""
    keys: dict[tuple, set[str]] = {}
    for _, g in _gaps(t).iterrows():
        keys.setdefault((g["date"], g["stage"]), set()).add(g["role"])
        if g["role"] == "holdup":
            after = (pd.Timestamp(g["date"]) + pd.Timedelta(days=1)).strftime("%Y-%m-%d")
            keys.setdefault((after, g["stage"]), set()).add("holdup")
    return keys


def campaign_summary(daily: pd.DataFrame) -> pd.DataFrame:
    """One row per stage over the campaign: ``days``, ``days_with_gaps``, ``feed_g``,
    ``extracted_g`` and ``cumulative_recovery_pct`` over the days with complete feed and
    tails; ``mean_daily_extraction_pct``, ``min_daily_extraction_pct``,
    ``max_daily_extraction_pct``; ``in_g``, ``out_g``, ``accumulated_g``,
    ``discrepancy_g`` and ``discrepancy_pct`` over the days with a complete balance."""
    rows = []
    for stage, d in daily.groupby("stage", sort=False):
        e, b = d[d["extraction_complete"]], d[d["balance_complete"]]
        feed, extracted = e["feed_g"].sum(), (e["feed_g"] - e["tails_g"]).sum()
        inflow = b["in_g"].sum()
        disc = b["discrepancy_g"].sum()
        rows.append({
            "stage": stage, "days": len(d),
            "days_with_gaps": int((~(d["extraction_complete"] & d["balance_complete"])).sum()),
            "feed_g": feed, "extracted_g": extracted,
            "cumulative_recovery_pct": 100.0 * extracted / feed if feed > 0 else np.nan,
            "mean_daily_extraction_pct": e["extraction_pct"].mean(),
            "min_daily_extraction_pct": e["extraction_pct"].min(),
            "max_daily_extraction_pct": e["extraction_pct"].max(),
            "in_g": inflow, "out_g": b["out_g"].sum(),
            "accumulated_g": b["accumulated_g"].sum(), "discrepancy_g": disc,
            "discrepancy_pct": 100.0 * disc / inflow if inflow > 0 else np.nan})
    return pd.DataFrame(rows)


def track(flowsheet_file: str | os.PathLike, data: str | os.PathLike | pd.DataFrame, *,
          metal: str = "Cu", sheet: str | int | None = None) -> TrackingResult:
    """Track a campaign: the data checked against the flowsheet's units, the tables made.

    Parameters
    ----------
    flowsheet_file : path
        The flowsheet YAML; every ``stage`` of the data must be one of its units.
    data : path or pandas.DataFrame
        The daily table (see the module docstring), or its file (``.csv`` / ``.xlsx``).
    metal : str, default "Cu"
        The metal the concentrations are of (for labels).
    sheet : str or int, optional
        Sheet of a workbook.

    Raises
    ------
    InputError
        A malformed table (missing column, unknown role, a text in a number column, a
        duplicated stream) or a stage that is not a unit of the flowsheet -- naming the
        file, line and column, with a suggestion.
    """
    import flowsheet

    fs = flowsheet.load(flowsheet_file)
    units = list(fs.units)
    table = data if isinstance(data, pd.DataFrame) else read_tracking_data(data, sheet)
    daily = daily_balance(table, units)
    stages = list(dict.fromkeys(daily["stage"]))
    return TrackingResult(fs.name or Path(flowsheet_file).stem, metal, stages, daily,
                          gaps(table, units), campaign_summary(daily))
