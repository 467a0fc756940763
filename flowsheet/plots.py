"""Figures of results, written as image files.

matplotlib is imported inside each function, so ``import flowsheet`` stays fast. Figures are
drawn on a bare :class:`matplotlib.figure.Figure` without pyplot: no window, no global backend
switch, and no figure left open in a long-running process. Files are written atomically.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from flowsheet.atomic import atomic_path
from flowsheet.errors import ExportError, SchemaError
from flowsheet.sizes import SizeGrid, passing, percentile_size

__all__ = ["figure_class", "psd_plot"]


def figure_class() -> Any:
    """matplotlib's Figure class (no pyplot, no global backend), or an ExportError
    with the install command when matplotlib is missing."""
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ExportError("plots need matplotlib, which is not installed",
                          hint="pip install matplotlib") from exc
    return Figure


def _size_label(x: float) -> str:
    return f"{x / 1000:.3g} mm" if x >= 1000 else f"{x:.3g} um"


def _label_row(placed: list[tuple[float, str, int]], size: float, text: str) -> int | None:
    """The line (0, 1, ...) below a percentile dot where its label does not overlap the
    labels already placed at that percentile; None when the same text is already there.

    >>> rows = []
    >>> _label_row(rows, 41.5, "41.5 um"), _label_row(rows, 45.5, "45.5 um")
    (0, 1)
    >>> _label_row(rows, 41.5, "41.5 um"), _label_row(rows, 155.0, "155 um")
    (None, 0)
    """
    near = [row for x, label, row in placed if abs(np.log10(size / x)) < 0.25]
    if any(label == text for x, label, _ in placed if abs(np.log10(size / x)) < 0.25):
        return None
    row = next(i for i in range(len(near) + 1) if i not in near)
    placed.append((size, text, row))
    return row


def psd_plot(grid: SizeGrid, curves: Mapping[str, ArrayLike], path: str | os.PathLike, *,
             title: str | None = None, mark: Sequence[float] = (80,)) -> None:
    """Plot cumulative % passing against size [um] on a log axis and write it to ``path``.

    One line per named distribution of retained fractions (or masses) on ``grid``; each
    percentile in ``mark`` gets a dashed line and, on every curve, a dot labelled with its size
    (see :func:`flowsheet.sizes.percentile_size`). Runs at 100 % or 0 % passing (to 0.005 %) are
    trimmed to one point. The format follows the suffix of ``path`` (png, svg, pdf ...).

    >>> import tempfile, pathlib
    >>> from flowsheet.sizes import rosin_rammler
    >>> g = SizeGrid.geometric(4000, 20)
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "psd.png"
    >>> psd_plot(g, {"feed": rosin_rammler(g, 1000, 1.0)}, out)
    >>> out.stat().st_size > 0
    True
    """
    if not curves:
        raise SchemaError("psd_plot needs at least one curve")
    Figure = figure_class()
    from matplotlib.ticker import FuncFormatter, LogFormatter

    fig = Figure(figsize=(7.5, 5.0), layout="constrained")
    ax = fig.add_subplot()
    x_all = np.concatenate((grid.upper[:1], grid.sieves))
    placed: dict[float, list[tuple[float, str, int]]] = {}
    for name, retained in curves.items():
        r = np.asarray(retained, dtype=float)
        if r.ndim != 1:
            raise SchemaError(f"curve '{name}' must be one distribution, got shape {r.shape}")
        y = 100.0 * np.concatenate(([1.0], passing(grid, r)))
        full = np.flatnonzero(y >= 99.995)  # indistinguishable from 100 % on the plot
        empty = np.flatnonzero(y <= 0.005)
        first = full[-1] if full.size else 0
        last = empty[0] if empty.size else y.size - 1
        (line,) = ax.plot(x_all[first:last + 1], y[first:last + 1], marker="o", markersize=3,
                          linewidth=1.5, label=name)
        for pct in mark:
            size = float(percentile_size(grid, r, pct))
            ax.plot([size], [pct], "o", color=line.get_color(), markersize=6, zorder=3)
            row = _label_row(placed.setdefault(pct, []), size, _size_label(size))
            if row is not None:   # a curve on top of another one shares its label
                ax.annotate(_size_label(size), (size, pct), textcoords="offset points",
                            xytext=(6, -12 - 11 * row), fontsize=8, color=line.get_color())
    for pct in mark:
        ax.axhline(pct, color="0.4", linestyle="--", linewidth=0.8, zorder=1)
        ax.annotate(f"P{pct:g}", (0, pct), xycoords=("axes fraction", "data"),
                    textcoords="offset points", xytext=(4, 3), fontsize=8, color="0.3")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(LogFormatter(labelOnlyBase=False, minor_thresholds=(1, 0.5)))
    ax.set_ylim(0, 102)
    ax.set_xlabel("Size (um)")
    ax.set_ylabel("Cumulative passing (%)")
    ax.grid(True, which="major", linewidth=0.6, alpha=0.6)
    ax.grid(True, which="minor", linewidth=0.3, alpha=0.4)
    if title:
        ax.set_title(title)
    ax.legend(loc="lower right")
    suffix = Path(path).suffix.lstrip(".").lower() or "png"
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format=suffix, dpi=150)
