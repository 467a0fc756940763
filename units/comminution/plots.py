"""Figures of the SABC capacity model: throughput against hardness, and calibration.

Drawn on a bare :class:`matplotlib.figure.Figure` (no pyplot, no global backend) and
written atomically, as :mod:`flowsheet.plots` does; matplotlib loads on first use.

* :func:`throughput_plot` -- block throughput against the SAG hardness index (Mia, DWi or
  SGI) with the circuit's limits: the hydraulic limit TPHmax, the screen-opening limit
  (the most the SAG mill can pass while grinding to T80max), and the balanced capacity
  at the median ball-mill index; the region under all three is shaded, and each block is
  coloured by what limits it.
* :func:`predicted_vs_actual_plot` -- measured and predicted throughput by period, with
  the relative error of each model on a second axis.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from flowsheet.atomic import atomic_path
from flowsheet.errors import SchemaError
from flowsheet.plots import figure_class
from units.comminution.energy import (
    dwi_sag_specific_energy,
    mia_from_axb,
    morrell_specific_energy,
    sgi_specific_energy,
)
from units.comminution.sabc import sabc_throughput

__all__ = ["LIMIT_COLOURS", "sag_index", "throughput_plot", "predicted_vs_actual_plot"]

#: Colour of each limiting mechanism.
LIMIT_COLOURS = {"sag": "tab:orange", "ball": "tab:blue", "t80_max": "tab:purple",
                 "tph_max": "tab:green"}

_LIMIT_NAMES = {"sag": "SAG power", "ball": "ball-mill power",
                "t80_max": "screen opening (T80max)", "tph_max": "hydraulic (TPHmax)"}

_INDEX_LABELS = {"smc_bwi": "Mia (kWh/t)", "dwi_bwi": "DWi (kWh/m3)",
                 "sgi_bwi": "SGI (min)"}

#: Most points drawn in a scatter; larger block models are thinned evenly.
MAX_POINTS = 20_000


def sag_index(model: str, hardness: Mapping[str, Any]) -> np.ndarray:
    """The SAG hardness index a model's throughput is plotted against: Mia (from A*b
    when Mia is not given), DWi or SGI.

    >>> sag_index("smc_bwi", {"mia": [20.0, 22.0], "bwi": [15.0, 15.0]}).tolist()
    [20.0, 22.0]
    """
    if model == "smc_bwi":
        mia = hardness.get("mia")
        return np.asarray(mia if mia is not None else mia_from_axb(hardness["axb"]), float)
    return np.asarray(hardness["dwi" if model == "dwi_bwi" else "sgi"], dtype=float)


def _middle(value: Any) -> float:
    return float(np.median(np.asarray(value, dtype=float)))


def _sag_energy(model: str, x: np.ndarray, t80: float, plant: Mapping[str, Any]
                ) -> np.ndarray:
    """SAG specific energy [kWh/t] at index ``x`` grinding to ``t80`` [um]."""
    f80 = _middle(plant["f80"])
    scale = plant.get("scale", 1.0)
    if model == "smc_bwi":
        return scale * morrell_specific_energy(x, f80, t80, k=plant.get("k1", 1.0))
    if model == "sgi_bwi":
        return scale * sgi_specific_energy(x, t80, k=plant.get("sgi_k", 5.59),
                                           n=plant.get("sgi_n", 0.55))
    return dwi_sag_specific_energy(f80, x, plant.get("phi", 75.0), plant.get("beta", 0.008),
                                   plant.get("a", 0.3), plant.get("b", 0.8),
                                   plant.get("e", 0.5))


def _save(fig: Any, path: str | os.PathLike) -> None:
    suffix = Path(path).suffix.lstrip(".").lower() or "png"
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format=suffix, dpi=150)


def throughput_plot(model: str, hardness: Mapping[str, ArrayLike], tph: ArrayLike,
                    limit: ArrayLike, path: str | os.PathLike, *, title: str | None = None,
                    **plant: Any) -> None:
    """Draw block throughput [t/h] against the SAG index with the circuit's limits.

    Parameters
    ----------
    model : {"dwi_bwi", "smc_bwi", "sgi_bwi"}
    hardness : mapping
        The blocks' hardness as passed to :func:`sabc_throughput` (``mia`` or ``axb``,
        ``dwi`` or ``sgi``, and ``bwi`` or ``mib``).
    tph, limit : array-like
        Each block's throughput and limit, from :func:`sabc_throughput`.
    path : path
        The figure file; the format follows its suffix (png, svg, pdf ...).
    title : str, optional
    **plant
        The plant arguments of :func:`sabc_throughput` (``f80``, ``p80``, powers,
        ``tph_max``, ``t80_max`` and the model constants).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> plant = dict(f80=71273.0, p80=229.0, sag_power_kw=24000.0, sag_power_use=0.896,
    ...              ball_power_kw=32800.0, ball_power_use=0.917, tph_max=4058.0,
    ...              t80_max=19783.0, k1=0.95)
    >>> hardness = {"mia": np.linspace(14, 30, 50), "bwi": np.full(50, 15.0)}
    >>> r = sabc_throughput("smc_bwi", **hardness, **plant)
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "throughput.png"
    >>> throughput_plot("smc_bwi", hardness, r.tph, r.limit, out, **plant)
    >>> out.read_bytes()[:4] == b"\\x89PNG"
    True
    """
    x = sag_index(model, hardness)
    tph = np.asarray(tph, dtype=float)
    limit = np.asarray(limit, dtype=object)
    if not (x.shape == tph.shape == limit.shape) or x.ndim != 1 or not x.size:
        raise SchemaError(f"throughput_plot needs one index, throughput and limit per "
                          f"block, got shapes {x.shape}, {tph.shape} and {limit.shape}")
    Figure = figure_class()
    fig = Figure(figsize=(8.0, 5.2), layout="constrained")
    ax = fig.add_subplot()

    lo, hi = float(x.min()), float(x.max())
    pad = 0.08 * (hi - lo) if hi > lo else 0.1 * hi
    grid = np.linspace(max(lo - pad, 1e-3 * hi), hi + pad, 200)
    ball = {k: np.full(grid.shape, _middle(hardness[k])) for k in ("bwi", "mib")
            if hardness.get(k) is not None}
    free = {**plant, "tph_max": np.inf, "f80": _middle(plant["f80"])}
    index_name = {"smc_bwi": "mia", "dwi_bwi": "dwi", "sgi_bwi": "sgi"}[model]
    curve = sabc_throughput(model, **{index_name: grid}, **ball, **free)
    balanced = np.where(np.isin(curve.limit, ("sag", "ball")), curve.tph, np.nan)
    ball_name = "BWi" if "bwi" in ball else "Mib"
    ball_value = next(iter(ball.values()))[0]
    ceiling = np.where(np.isnan(balanced), np.inf, balanced)
    ax.plot(grid, balanced, color="0.25", linewidth=1.4,
            label=f"balanced capacity at median {ball_name} {ball_value:.3g} kWh/t")
    tph_max = float(plant.get("tph_max", np.inf))
    t80_max = float(plant.get("t80_max", np.inf))
    if np.isfinite(t80_max):
        sag_kw = float(plant["sag_power_kw"]) * float(plant["sag_power_use"])
        screen = sag_kw / _sag_energy(model, grid, t80_max, plant)
        ceiling = np.minimum(ceiling, screen)
        ax.plot(grid, screen, color=LIMIT_COLOURS["t80_max"], linestyle="--", linewidth=1.4,
                label=f"screen opening: SAG at T80max {t80_max:,.0f} um")
    if np.isfinite(tph_max):
        ceiling = np.minimum(ceiling, tph_max)
        ax.axhline(tph_max, color=LIMIT_COLOURS["tph_max"], linestyle="--", linewidth=1.4,
                   label=f"hydraulic limit TPHmax {tph_max:,.0f} t/h")
    ax.fill_between(grid, 0, ceiling, color="0.93", linewidth=0,
                    label="feasible at median ball index")

    step = max(1, int(np.ceil(x.size / MAX_POINTS)))
    shown = slice(None, None, step)
    for name, colour in LIMIT_COLOURS.items():
        mask = limit == name
        if mask.any():
            ax.scatter(x[shown][mask[shown]], tph[shown][mask[shown]], s=9, color=colour,
                       alpha=0.7, linewidths=0, rasterized=x.size > 2000,
                       label=f"limited by {_LIMIT_NAMES[name]}: {int(mask.sum()):,} blocks")
    top = max(float(np.nanmax(tph)), tph_max if np.isfinite(tph_max) else 0.0)
    bottom = float(np.nanmin(tph))
    ax.set_ylim(max(0.0, bottom - 0.45 * (top - bottom)), top + 0.12 * (top - bottom) + 1.0)
    ax.set_xlim(grid[0], grid[-1])
    ax.set_xlabel(f"SAG hardness: {_INDEX_LABELS[model]}")
    ax.set_ylabel("Throughput (t/h)")
    ax.grid(True, linewidth=0.5, alpha=0.5)
    note = f" (every {step}th of {x.size:,} blocks shown)" if step > 1 else ""
    ax.set_title((title or f"SABC throughput, {model.replace('_', '-').upper()} model")
                 + note, fontsize=11)
    ax.legend(loc="lower left", fontsize=8, framealpha=0.9)
    _save(fig, path)


def predicted_vs_actual_plot(periods: Sequence[Any], actual: ArrayLike,
                             predicted: Mapping[str, ArrayLike], path: str | os.PathLike, *,
                             title: str | None = None) -> None:
    """Draw measured and predicted throughput [t/h] by period, relative errors [%] on a
    second axis (bars, one colour per model).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "fit.png"
    >>> predicted_vs_actual_plot(["2021-01", "2021-02"], [3800.0, 3900.0],
    ...                          {"smc_bwi": [3750.0, 3950.0]}, out)
    >>> out.stat().st_size > 0
    True
    """
    actual = np.asarray(actual, dtype=float)
    n = actual.size
    if not predicted or any(np.shape(v) != (n,) for v in predicted.values()) \
            or len(periods) != n:
        raise SchemaError("predicted_vs_actual_plot needs one actual and one predicted "
                          "throughput per period for every model")
    Figure = figure_class()
    fig = Figure(figsize=(9.0, 5.2), layout="constrained")
    ax = fig.add_subplot()
    err_ax = ax.twinx()
    pos = np.arange(n)
    width = 0.8 / len(predicted)
    colours = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple")
    worst = 0.0
    for i, (model, values) in enumerate(predicted.items()):
        v = np.asarray(values, dtype=float)
        colour = colours[i % len(colours)]
        rel = 100.0 * (v - actual) / actual
        rmse = float(np.sqrt(np.mean((v - actual) ** 2)))
        ax.plot(pos, v, marker="o", markersize=3.5, linewidth=1.2, color=colour,
                label=f"{model}: RMSE {rmse:,.0f} t/h")
        err_ax.bar(pos - 0.4 + (i + 0.5) * width, rel, width=width, color=colour, alpha=0.35)
        worst = max(worst, float(np.max(np.abs(rel))))
    ax.plot(pos, actual, color="black", marker="s", markersize=4, linewidth=1.8,
            label="plant (actual)", zorder=5)
    low = min(float(np.min(actual)), *(float(np.min(v)) for v in predicted.values()))
    high = max(float(np.max(actual)), *(float(np.max(v)) for v in predicted.values()))
    span = high - low or high * 0.1
    ax.set_ylim(low - 0.9 * span, high + 0.25 * span)        # lines in the upper part
    err_ax.set_ylim(-1.3 * worst, 3.2 * worst or 1.0)          # bars in the lower part
    err_ax.axhline(0.0, color="0.4", linewidth=0.8)
    err_ax.set_ylabel("Relative error, (predicted - actual) / actual (%)")
    ax.set_ylabel("Throughput (t/h)")
    ax.set_xlabel("Period")
    every = max(1, int(np.ceil(n / 15)))
    ax.set_xticks(pos[::every], [str(p) for p in periods][::every], rotation=45,
                  ha="right", fontsize=8)
    ax.set_xlim(-0.6, n - 0.4)
    ax.grid(True, axis="y", linewidth=0.5, alpha=0.5)
    ax.set_title(title or "Predicted and actual throughput by period", fontsize=11)
    ax.legend(loc="upper left", fontsize=8, ncol=2, framealpha=0.9)
    _save(fig, path)
