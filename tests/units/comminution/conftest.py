"""Shared fixtures of the SABC circuit, block-model and calibration tests: the example
plant (the seed plant of Mining 5(3) (2025) 37) and synthetic block tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "sabc_plant.yaml"

#: The example plant as sabc_throughput arguments (K1 0.95 for the pebble crusher).
PLANT = dict(f80=71273.0, p80=229.0, sag_power_kw=24000.0, sag_power_use=0.896125,
             ball_power_kw=32800.0, ball_power_use=0.917195, tph_max=4058.0,
             t80_max=19783.0, k1=0.95)


def make_blocks(n: int, seed: int = 3, periods: int = 6) -> pd.DataFrame:
    """``n`` blocks: id, period, tonnes, A*b (lognormal about 29), Mia, BWi (harder with
    A*b), SGI, DWi, density [kg/m3] and a text column ``zone``."""
    from units.comminution.energy import mia_from_axb

    rng = np.random.default_rng(seed)
    ln_axb = rng.normal(np.log(29.0), 0.3, n)
    axb = np.exp(ln_axb)
    density = rng.normal(2700.0, 60.0, n)
    return pd.DataFrame({
        "id": np.arange(1, n + 1),
        "period": rng.integers(1, periods + 1, n),
        "tonnes": rng.uniform(20_000.0, 50_000.0, n).round(0),
        "axb": axb,
        "mia": mia_from_axb(axb),
        "bwi": np.exp(np.log(14.5) - 0.3 * (ln_axb - np.log(29.0)) + rng.normal(0, 0.08, n)),
        "sgi": np.exp(np.log(95.0) - 0.75 * (ln_axb - np.log(29.0)) + rng.normal(0, 0.1, n)),
        "dwi": 100.0 * density / 1000.0 / axb,
        "density": density,
        "zone": rng.choice(["north", "south"], n),
    })


@pytest.fixture
def plant() -> dict:
    """The example plant's sabc_throughput arguments."""
    return dict(PLANT)


@pytest.fixture
def blocks() -> pd.DataFrame:
    """400 synthetic blocks in 6 periods."""
    return make_blocks(400)


@pytest.fixture
def example() -> Path:
    """Path of ``examples/sabc_plant.yaml``."""
    return EXAMPLE


@pytest.fixture
def block_table():
    """The factory of synthetic block tables, ``block_table(n, seed=3, periods=6)``."""
    return make_blocks
