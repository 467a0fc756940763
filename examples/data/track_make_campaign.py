"""Make ``track_leach_campaign.csv``: 30 days of SYNTHETIC daily data of a copper leach-SX-EW
plant, for the day-by-day tracking example (``flowsheet track``).

The numbers are invented, not measured. The plant is ``track_plant.yaml`` (stages
``leach``, ``sx``, ``ew``); the figures are in the typical ranges of Schlesinger, King,
Sole and Davenport, Extractive Metallurgy of Copper, 5th ed. (2011) for leach-SX-EW: PLS
3-5 g/L Cu, raffinate 0.2-0.3 g/L, SX extraction 90-95 %, lean electrolyte 35-40 g/L and
rich 45-50 g/L Cu. How a day is made:

1. ``leach``: ore ``ORE_T`` t/d x (1 + N(0, 4 %)) at ``GRADE`` % Cu x (1 + N(0, 5 %))
   (feed, solids); the leach extracts ``LEACH`` + N(0, 1.5 %) of it; the residue (tails,
   solids) is 99 % of the ore mass and carries the rest. The raffinate returned (in,
   ``RAFF_M3`` m3/d) has the previous day's raffinate grade; the PLS (out, ``PLS_M3``
   m3/d) leaves at the grade of the tanks, whose solution inventory (holdup,
   ``HOLDUP_M3`` m3, opening inventory dated the day before) is well mixed, so
   V_pls C + H (C - C_prev) = V_raff C_raff + extracted.
2. ``sx``: PLS in (feed), raffinate out (tails) at (1 - ``SX`` - N(0, 1 %)) of the PLS
   grade; stripped organic (in, O/A 1.1, ``STRIPPED`` g/L) comes back loaded (out) with
   the copper extracted.
3. ``ew``: rich electrolyte (feed, ``ELECTROLYTE_M3`` m3/d at ``RICH`` g/L + N(0, 0.5))
   leaves lean (tails) after plating the copper transferred by SX as cathode (out,
   solids, 99.99 % Cu).
4. Every recorded value then carries a measurement error: volumes and tonnages
   N(0, 1 %), concentrations and grades N(0, 1.5 %) -- so the daily balances close only
   to within a few per cent, as plant balances do.
5. Two days have a gap: on ``GAP_DAYS[0]`` the PLS assay into SX is missing, on
   ``GAP_DAYS[1]`` the raffinate volume into the leach.

Run ``python examples/data/track_make_campaign.py`` to write the file again (seed
``SEED``): it is written atomically and is identical every time.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from flowsheet.atomic import atomic_write

__all__ = ["SEED", "DAYS", "START", "ORE_T", "GRADE", "LEACH", "RAFF_M3", "PLS_M3",
           "HOLDUP_M3", "SX", "STRIPPED", "ELECTROLYTE_M3", "RICH", "GAP_DAYS", "HERE",
           "make", "main"]

SEED = 20240301
DAYS = 30
START = "2024-03-01"
ORE_T = 2000.0          # t/d of ore
GRADE = 1.0             # % Cu
LEACH = 0.88            # leach extraction
RAFF_M3 = 4600.0        # m3/d of raffinate to leach
PLS_M3 = 4500.0         # m3/d of PLS
HOLDUP_M3 = 3000.0      # m3 of solution in the leach tanks
SX = 0.94               # SX extraction
STRIPPED = 2.4          # g/L Cu in the stripped organic
ELECTROLYTE_M3 = 1800.0  # m3/d of electrolyte through the tankhouse
RICH = 48.0             # g/L Cu in the rich electrolyte
GAP_DAYS = ("2024-03-09", "2024-03-21")
HERE = Path(__file__).resolve().parent
COLUMNS = ["date", "stage", "stream", "role", "phase", "volume_m3", "g_per_L", "solids_t",
           "grade_pct"]


def make() -> pd.DataFrame:
    """The campaign table (see the module docstring)."""
    rng = np.random.default_rng(SEED)
    rows: list[list] = []
    day0 = pd.Timestamp(START)

    def noisy(value: float, sd: float) -> float:
        return value * (1.0 + rng.normal(0.0, sd))

    def solution(date, stage, stream, role, m3, gpl, digits=3):
        rows.append([date, stage, stream, role, "solution", round(noisy(m3, 0.01)),
                     round(noisy(gpl, 0.015), digits), None, None])

    def solids(date, stage, stream, role, t, pct):
        rows.append([date, stage, stream, role, "solids", None, None,
                     round(noisy(t, 0.01), 1), round(noisy(pct, 0.015), 4)])

    c_tank, c_raff = 3.9, 0.25
    solution((day0 - pd.Timedelta(days=1)).strftime("%Y-%m-%d"), "leach", "tank_solution",
             "holdup", HOLDUP_M3, c_tank)
    for d in range(DAYS):
        date = (day0 + pd.Timedelta(days=d)).strftime("%Y-%m-%d")
        ore = ORE_T * (1 + rng.normal(0, 0.04))
        grade = GRADE * (1 + rng.normal(0, 0.05))
        cu_ore = ore * grade * 1e4                                   # g
        extracted = cu_ore * (LEACH + rng.normal(0, 0.015))
        c_pls = (RAFF_M3 * c_raff * 1e3 + extracted + HOLDUP_M3 * c_tank * 1e3) / (
            1e3 * (PLS_M3 + HOLDUP_M3))
        solids(date, "leach", "ore", "feed", ore, grade)
        solution(date, "leach", "raffinate", "in", RAFF_M3, c_raff)
        solution(date, "leach", "pls", "out", PLS_M3, c_pls, 2)
        solids(date, "leach", "residue", "tails", 0.99 * ore,
               (cu_ore - extracted) / (0.99 * ore) / 1e4)
        solution(date, "leach", "tank_solution", "holdup", HOLDUP_M3, c_pls, 2)
        c_tank = c_pls
        c_raff = c_pls * (1 - SX - rng.normal(0, 0.01))
        transferred = PLS_M3 * (c_pls - c_raff) * 1e3                # g
        organic = 1.1 * PLS_M3
        solution(date, "sx", "pls", "feed", PLS_M3, c_pls, 2)
        solution(date, "sx", "raffinate", "tails", PLS_M3, c_raff)
        solution(date, "sx", "stripped_organic", "in", organic, STRIPPED, 2)
        solution(date, "sx", "loaded_organic", "out", organic,
                 STRIPPED + transferred / (organic * 1e3), 2)
        rich = RICH + rng.normal(0, 0.5)
        solution(date, "ew", "rich_electrolyte", "feed", ELECTROLYTE_M3, rich, 2)
        solution(date, "ew", "lean_electrolyte", "tails", ELECTROLYTE_M3,
                 rich - transferred / (ELECTROLYTE_M3 * 1e3), 2)
        solids(date, "ew", "cathode", "out", transferred / 1e6 / 0.9999, 99.99)
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["grade_pct"] = table["grade_pct"].where(table["stream"] != "cathode", 99.99)
    pls_in = (table["date"] == GAP_DAYS[0]) & (table["stage"] == "sx") & (
        table["stream"] == "pls")
    table.loc[pls_in, "g_per_L"] = None
    raff_in = (table["date"] == GAP_DAYS[1]) & (table["stage"] == "leach") & (
        table["stream"] == "raffinate")
    table.loc[raff_in, "volume_m3"] = None
    return table


def main() -> Path:
    """Write ``track_leach_campaign.csv`` next to this script; return its path."""
    path = HERE / "track_leach_campaign.csv"
    table = make()
    atomic_write(path, lambda p: table.to_csv(p, index=False, lineterminator="\n"))
    return path


if __name__ == "__main__":  # pragma: no cover
    print(f"wrote {main()}")
