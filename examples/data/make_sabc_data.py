"""Make ``sabc_30_months.csv``: 30 months of SYNTHETIC plant data for the SABC example.

The numbers are invented, not measured: they exist to exercise and demonstrate the
calibration of the SABC capacity models (``flowsheet calibrate``). How they are made:

1. The plant is ``examples/sabc_plant.yaml`` (the seed plant's powers, P80, TPHmax and
   T80max; K1 = 0.95).
2. Each month the mine plan feeds ``BLOCKS_PER_MONTH`` blocks. The month's mean ln(A*b)
   is drawn from N(ln 29, 0.12); each block's ln(A*b) scatters about it by N(0, 0.20)
   (a lognormal block mix). A block's BWi follows its A*b (harder in both):
   ln BWi = ln 14.5 - 0.30 ln(A*b / 29) + N(0, 0.06); its density is N(2700, 60) kg/m3;
   Mia = 336.8 (A*b)^-0.78 (:func:`units.comminution.energy.mia_from_axb`);
   DWi = 100 SG / (A*b); SGI is a looser proxy of the same hardness,
   ln SGI = ln 95 - 0.75 ln(A*b / 29) + N(0, 0.08) + N(0, 0.15) [min] (a month-level
   error, as SGI is tested on fewer composites, and a block-level one). Block tonnages
   are uniform between 30,000 and 60,000 t. The month's SAG feed F80 is
   71,273 um x exp(N(0, 0.06)).
3. The "true" plant is the SMC-BWi model with its SAG energy scaled by ``TRUE_SCALE``
   (1.06: the mill needs 6 % more energy than the laboratory index says). Each block is
   run through it; the month's throughput is its tonnes over its hours.
4. Measured throughput = true throughput x (1 + N(0, ``NOISE``)), ``NOISE`` = 3 %, capped
   at TPHmax (4,058 t/h).
5. The file gives per month: ``period`` (YYYY-MM), ``plant_tph`` [t/h], the
   tonnage-weighted mean ``axb``, ``mia`` [kWh/t], ``bwi`` [kWh/t], ``sgi`` [min],
   ``dwi`` [kWh/m3], ``density`` [kg/m3], and ``f80`` [um].

Models calibrated on the monthly means therefore see the injected 3 % noise plus what
averaging hardness over a month's blocks hides. The SMC-BWi model has the form of the
truth; the drop-weight law, with three fitted constants and F80 varying by month, can
follow it as closely (the RMSE does not charge a model for its extra constants), and the
SGI model carries the SGI proxy's own error.

Run ``python examples/data/make_sabc_data.py`` to write the file again (seed ``SEED``):
it is written atomically and is identical every time.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import flowsheet
from flowsheet.atomic import atomic_write
from units.comminution.blocks import circuit_unit
from units.comminution.energy import mia_from_axb
from units.comminution.sabc import sabc_throughput

__all__ = ["SEED", "MONTHS", "BLOCKS_PER_MONTH", "NOISE", "TRUE_SCALE", "AXB", "HERE", "plant",
           "make", "main"]

SEED = 20250537
MONTHS = 30
BLOCKS_PER_MONTH = 60
NOISE = 0.03
TRUE_SCALE = 1.06
AXB = 29.0
HERE = Path(__file__).resolve().parent


def plant() -> dict:
    """The keyword arguments of ``sabc_throughput`` for the example plant."""
    unit = circuit_unit(flowsheet.load(HERE.parent / "sabc_plant.yaml"))
    return unit.params.throughput_kwargs()


def make(seed: int = SEED) -> pd.DataFrame:
    """The 30 months as a table (see the module's description)."""
    rng = np.random.default_rng(seed)
    kwargs = plant()
    rows = []
    for month in range(MONTHS):
        n = BLOCKS_PER_MONTH
        ln_axb = np.log(AXB) + rng.normal(0.0, 0.12) + rng.normal(0.0, 0.20, n)
        axb = np.exp(ln_axb)
        softness = ln_axb - np.log(AXB)
        bwi = np.exp(np.log(14.5) - 0.30 * softness + rng.normal(0.0, 0.06, n))
        density = rng.normal(2700.0, 60.0, n)
        sgi = np.exp(np.log(95.0) - 0.75 * softness + rng.normal(0.0, 0.08)
                     + rng.normal(0.0, 0.15, n))
        tonnes = rng.uniform(30_000.0, 60_000.0, n)
        f80 = kwargs["f80"] * np.exp(rng.normal(0.0, 0.06))
        mia = mia_from_axb(axb)
        dwi = 100.0 * (density / 1000.0) / axb
        tph = sabc_throughput("smc_bwi", mia=mia, bwi=bwi,
                              **{**kwargs, "f80": f80, "scale": TRUE_SCALE}).tph
        true_tph = tonnes.sum() / (tonnes / tph).sum()
        measured = min(true_tph * (1.0 + rng.normal(0.0, NOISE)), kwargs["tph_max"])
        w = tonnes / tonnes.sum()
        rows.append({"period": f"{2021 + (month // 12)}-{month % 12 + 1:02d}",
                     "plant_tph": round(measured, 1), "axb": round(w @ axb, 3),
                     "mia": round(w @ mia, 3), "bwi": round(w @ bwi, 3),
                     "sgi": round(w @ sgi, 2), "dwi": round(w @ dwi, 4),
                     "density": round(w @ density, 1), "f80": round(f80, 0)})
    return pd.DataFrame(rows)


def main() -> Path:
    """Write ``sabc_30_months.csv`` beside this script and return its path."""
    path = HERE / "sabc_30_months.csv"
    atomic_write(path, make().to_csv(index=False, lineterminator="\n"))
    return path


if __name__ == "__main__":
    print(f"wrote {main()}")
