"""Make ``sabc_blocks.csv``: a small SYNTHETIC block model for ``flowsheet blocks``.

The blocks are invented, not a mine's: they exist so that the README's
``flowsheet blocks examples/sabc_plant.yaml examples/data/sabc_blocks.csv`` runs as
written and shows what the command gives. How they are made (the hardness model of
``make_sabc_data.py``, so that the two data sets describe the same synthetic ore):

1. ``PERIODS`` quarters (``2026-Q1`` ...) of ``BLOCKS_PER_PERIOD`` blocks each.
2. A quarter's mean ln(A*b) is drawn from N(ln 29, 0.12); each block's ln(A*b) scatters
   about it by N(0, 0.20). BWi follows A*b (harder in both):
   ln BWi = ln 14.5 - 0.30 ln(A*b / 29) + N(0, 0.06); density is N(2700, 60) kg/m3;
   Mia = 336.8 (A*b)^-0.78 (:func:`units.comminution.energy.mia_from_axb`);
   DWi = 100 SG / (A*b); ln SGI = ln 95 - 0.75 ln(A*b / 29) + N(0, 0.15) [min].
3. Block tonnages are uniform between 30,000 and 60,000 t, rounded to 100 t.
4. Columns: ``id`` (B001 ...), ``period``, ``tonnes`` [t], ``axb`` [-], ``mia`` [kWh/t],
   ``bwi`` [kWh/t], ``sgi`` [min], ``dwi`` [kWh/m3], ``density`` [kg/m3]: every hardness
   the three SABC models read, so the file runs through any of them.

Run ``python examples/data/make_sabc_blocks.py`` to write the file again (seed ``SEED``):
it is written atomically and is identical every time.

>>> table = make()
>>> len(table), table["id"].is_unique, sorted(table["period"].unique())[:2]
(48, True, ['2026-Q1', '2026-Q2'])
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from flowsheet.atomic import atomic_write
from units.comminution.energy import mia_from_axb

__all__ = ["SEED", "PERIODS", "BLOCKS_PER_PERIOD", "AXB", "HERE", "make", "main"]

SEED = 20261207
PERIODS = 4
BLOCKS_PER_PERIOD = 12
AXB = 29.0
HERE = Path(__file__).resolve().parent


def make(seed: int = SEED) -> pd.DataFrame:
    """The blocks as a table (see the module's description)."""
    rng = np.random.default_rng(seed)
    frames = []
    for q in range(PERIODS):
        n = BLOCKS_PER_PERIOD
        ln_axb = np.log(AXB) + rng.normal(0.0, 0.12) + rng.normal(0.0, 0.20, n)
        axb = np.exp(ln_axb)
        softness = ln_axb - np.log(AXB)
        bwi = np.exp(np.log(14.5) - 0.30 * softness + rng.normal(0.0, 0.06, n))
        density = rng.normal(2700.0, 60.0, n)
        sgi = np.exp(np.log(95.0) - 0.75 * softness + rng.normal(0.0, 0.15, n))
        tonnes = np.round(rng.uniform(30_000.0, 60_000.0, n), -2)
        first = q * n + 1
        frames.append(pd.DataFrame({
            "id": [f"B{i:03d}" for i in range(first, first + n)],
            "period": f"{2026 + q // 4}-Q{q % 4 + 1}", "tonnes": tonnes,
            "axb": axb.round(3), "mia": mia_from_axb(axb).round(3), "bwi": bwi.round(3),
            "sgi": sgi.round(2), "dwi": (100.0 * density / 1000.0 / axb).round(4),
            "density": density.round(1)}))
    return pd.concat(frames, ignore_index=True)


def main() -> Path:
    """Write ``sabc_blocks.csv`` beside this script and return its path."""
    path = HERE / "sabc_blocks.csv"
    atomic_write(path, make().to_csv(index=False, lineterminator="\n"))
    return path


if __name__ == "__main__":
    print(f"wrote {main()}")
