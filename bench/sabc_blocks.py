"""Block-model throughput: one vectorised SABC call against a per-block scalar loop.

100,000 synthetic ore blocks (lognormal A*b about 29, BWi correlated with it) go through
the example plant (``examples/sabc_plant.yaml``) with the SMC-BWi model, two ways:

* vectorised -- one call of :func:`units.comminution.sabc.sabc_throughput` on arrays;
* loop -- a plain Python loop, block by block, with :func:`scipy.optimize.brentq` for the
  equal-throughput transfer size, then the screen (T80max) and hydraulic (TPHmax) caps and
  the product size, as a scalar script would do it. Two versions: one calls the
  project's energy laws (:func:`~units.comminution.energy.morrell_specific_energy`,
  :func:`~units.comminution.energy.bond_specific_energy`, which check their arguments),
  as the reference in ``tests/units/comminution/test_sabc.py`` does -- the like-for-like
  comparison; the other writes the two laws in plain ``math`` without checks, the fastest
  a loop of this kind gets.

The loop is timed on a random sample of ``SAMPLE`` blocks and its time extrapolated
linearly to all blocks (each block costs the same work); the vectorised call is timed on
all of them (best of ``REPEAT``). The script prints both times, their ratio (the target is
at least 50x) and how closely they agree on the sampled blocks. Timings on a shared
machine vary by some tens of per cent from run to run.

Run: ``.venv/bin/python bench/sabc_blocks.py [--blocks N] [--sample M]``.
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import numpy as np
from scipy.optimize import brentq

import flowsheet
from units.comminution.blocks import circuit_unit
from units.comminution.energy import bond_specific_energy, mia_from_axb, morrell_specific_energy
from units.comminution.sabc import sabc_throughput

__all__ = ["BLOCKS", "SAMPLE", "REPEAT", "plant", "synthetic_blocks", "one_block", "main"]

BLOCKS = 100_000
SAMPLE = 2_000
REPEAT = 3
ROOT = Path(__file__).resolve().parents[1]


def plant() -> dict:
    """The sabc_throughput arguments of the example plant."""
    unit = circuit_unit(flowsheet.load(ROOT / "examples" / "sabc_plant.yaml"))
    return unit.params.throughput_kwargs()


def synthetic_blocks(n: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """Mia [kWh/t] and BWi [kWh/t] of ``n`` blocks."""
    rng = np.random.default_rng(seed)
    ln_axb = rng.normal(math.log(29.0), 0.3, n)
    bwi = np.exp(math.log(14.5) - 0.3 * (ln_axb - math.log(29.0)) + rng.normal(0, 0.08, n))
    return mia_from_axb(np.exp(ln_axb)), bwi


def _morrell_plain(mi: float, f: float, p: float, k: float) -> float:
    return k * mi * 4.0 * (p ** -(0.295 + p / 1e6) - f ** -(0.295 + f / 1e6))


def _bond_plain(wi: float, f: float, p: float) -> float:
    return 10.0 * wi * (1.0 / math.sqrt(p) - 1.0 / math.sqrt(f))


def _morrell_checked(mi: float, f: float, p: float, k: float) -> float:
    return float(morrell_specific_energy(mi, f, p, k=k))


def _bond_checked(wi: float, f: float, p: float) -> float:
    return float(bond_specific_energy(wi, f, p))


def one_block(mia: float, bwi: float, kw: dict, checked: bool = False
              ) -> tuple[float, float, float, str]:
    """Throughput, T80, P80 and limit of one block by scalar root finding, with the
    project's energy functions (``checked``) or the same laws in plain ``math``."""
    _morrell, _bond = ((_morrell_checked, _bond_checked) if checked
                       else (_morrell_plain, _bond_plain))
    f80, target, k1 = kw["f80"], kw["p80"], kw["k1"] * kw["scale"]
    p_sag = kw["sag_power_kw"] * kw["sag_power_use"]
    p_ball = kw["ball_power_kw"] * kw["ball_power_use"]
    lo, hi = target * (1 + 1e-9), min(kw["t80_max"], f80 * (1 - 1e-9))

    def gap(t: float) -> float:
        return (math.log(p_sag / _morrell(mia, f80, t, k1))
                - math.log(p_ball / _bond(bwi, t, target)))

    screen = gap(hi) <= 0
    if screen:
        t80 = hi
        limit = "t80_max"
    else:
        t80 = brentq(gap, lo, hi, xtol=1e-12, rtol=1e-14)
        limit = ("sag" if _morrell(mia, f80, t80, k1) >= _bond(bwi, t80, target)
                 else "ball")
    tph = p_sag / _morrell(mia, f80, t80, k1)
    capped = tph > kw["tph_max"]
    if capped:
        tph, limit = kw["tph_max"], "tph_max"
        spare = p_sag / tph
        t80 = brentq(lambda t: spare - _morrell(mia, f80, t, k1), lo, t80,
                     xtol=1e-12, rtol=1e-14)
    p80 = target
    if screen or capped:
        energy = p_ball / tph
        p80 = brentq(lambda p: energy - _bond(bwi, t80, p), min(target, t80) * 1e-3,
                     min(target, t80 * (1 - 1e-9)), xtol=1e-12, rtol=1e-14)
    return tph, t80, p80, limit


def main(argv: list[str] | None = None) -> dict:
    """Run the comparison, print it, and return its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=BLOCKS)
    parser.add_argument("--sample", type=int, default=SAMPLE)
    args = parser.parse_args(argv)
    kw = plant()
    mia, bwi = synthetic_blocks(args.blocks)

    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fast = sabc_throughput("smc_bwi", mia=mia, bwi=bwi, **kw)
        times.append(time.perf_counter() - start)
    vectorised = min(times)

    pick = np.random.default_rng(11).choice(args.blocks, size=min(args.sample, args.blocks),
                                            replace=False)
    loops = {}
    for checked in (True, False):
        start = time.perf_counter()
        slow = [one_block(float(mia[i]), float(bwi[i]), kw, checked) for i in pick]
        loops[checked] = (time.perf_counter() - start, slow)

    print(f"SABC block model, SMC-BWi, {args.blocks:,} blocks of the example plant")
    counts = {k: int(np.sum(fast.limit == k)) for k in ("sag", "ball", "t80_max", "tph_max")}
    print(f"  limits: {counts}")
    print(f"  vectorised sabc_throughput, all blocks (best of {REPEAT}): "
          f"{vectorised:.3f} s ({vectorised / args.blocks * 1e6:.2f} us/block)")
    figures: dict = {"vectorised_s": vectorised}
    for checked, label in ((True, "project energy functions"), (False, "plain math laws")):
        sample_s, slow = loops[checked]
        loop = sample_s * args.blocks / pick.size
        tph, t80, p80 = (np.array([row[j] for row in slow]) for j in range(3))
        limits = np.array([row[3] for row in slow], dtype=object)
        worst = {name: float(np.max(np.abs(ours[pick] / theirs - 1)))
                 for name, ours, theirs in (("tph", fast.tph, tph), ("t80", fast.t80, t80),
                                            ("p80", fast.p80, p80))}
        same = int(np.sum(fast.limit[pick] == limits))
        print(f"  brentq loop, {label}: {pick.size:,} sampled blocks in {sample_s:.3f} s "
              f"({sample_s / pick.size * 1e6:.1f} us/block) -> {loop:.1f} s extrapolated "
              f"to {args.blocks:,}; ratio {loop / vectorised:.0f}x (target >= 50x)")
        print("    agreement: max relative difference "
              + ", ".join(f"{k} {v:.1e}" for k, v in worst.items())
              + f"; same limit for {same:,} of {pick.size:,} blocks")
        key = "checked" if checked else "plain"
        figures[f"loop_{key}_s"] = loop
        figures[f"ratio_{key}"] = loop / vectorised
        figures[f"agreement_{key}"] = worst
    return figures


if __name__ == "__main__":
    main()
