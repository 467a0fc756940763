r"""The McCabe-Thiele construction for countercurrent solvent extraction and stripping.

On axes of aqueous :math:`x` and organic :math:`y` concentration [g/L], the operating line
is the copper balance between any two stages,

.. math:: y = y_{in} + \frac{A}{O}\,(x - x_N),

a straight line of slope A/O through the raffinate end :math:`(x_N, y_{in})` and the feed
end :math:`(x_F, y_1)`. Starting at the feed end, each stage is a horizontal step to the
equilibrium curve (the aqueous leaving the stage) and a vertical step back to the
operating line (the organic entering it from the next stage), until the aqueous passes the
raffinate :math:`x_N`. With a Murphree efficiency :math:`E_M` on the organic the steps
meet the pseudo-equilibrium curve :math:`y = y_{op}(x) + E_M (f(x) - y_{op}(x))` instead.
The same steps, taken with the electrolyte as aqueous, describe stripping (copper then
moves the other way and the steps climb). The last, partial stage counts as the fraction
of its horizontal step needed to reach :math:`x_N`.

W. L. McCabe, E. W. Thiele, "Graphical design of fractionating columns", Ind. Eng. Chem.
17 (1925) 605-611, DOI 10.1021/ie50186a023; for copper SX, Schlesinger, King, Sole and
Davenport, Extractive Metallurgy of Copper, 5th ed., 2011, chapter 17 (operating line of
slope A/O).

>>> from units.hydro.isotherms import Isotherm
>>> from units.hydro.kremser import kremser_raffinate
>>> xn = float(kremser_raffinate(3.0, 0.0, 10.0, 0.5, 2))
>>> round(step_off_stages(Isotherm.linear(10.0), 3.0, xn, 0.0, 0.5).stages, 9)
2.0
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import numpy as np

from flowsheet.atomic import atomic_path
from flowsheet.plots import figure_class
from units.hydro.isotherms import Isotherm
from units.hydro.sx_cascade import check_cascade_inputs

__all__ = ["ENDS", "Staircase", "operating_line", "step_off_stages", "mccabe_thiele_plot"]

#: A horizontal step within this fraction of the feed-to-raffinate span of x_N ends there.
_REACHED = 1e-10


class Staircase(NamedTuple):
    """Stepped-off stages: the corner points, the stage count and the operating line."""

    points: np.ndarray          # (k, 2): x, y of the staircase, feed end first
    stages: float               # whole stages plus the fraction of the last
    line: tuple[tuple[float, float], tuple[float, float]]   # raffinate end, feed end


def operating_line(x: np.ndarray, x_raffinate: float, y_in: float, oa: float) -> np.ndarray:
    """Organic concentration on the operating line at aqueous ``x`` [g/L].

    >>> float(operating_line(3.0, 0.1, 0.0, 0.5))
    5.8
    """
    return y_in + (np.asarray(x, dtype=float) - x_raffinate) / oa


def step_off_stages(isotherm: Isotherm, x_feed: float, x_raffinate: float, y_in: float,
                    oa: float, efficiency: float = 1.0, max_stages: int = 100) -> Staircase:
    """Step off stages between the feed end and the raffinate ``x_raffinate`` [g/L].

    Parameters
    ----------
    isotherm : Isotherm
        Equilibrium curve [g/L].
    x_feed, x_raffinate : float
        Aqueous entering stage 1 and leaving the last stage [g/L].
    y_in : float
        Organic entering the last stage [g/L].
    oa : float
        O/A flow ratio [-], > 0.
    efficiency : float
        Murphree efficiency on the organic [-], in (0, 1].
    max_stages : int
        Stop with a ValueError after this many stages (a pinch: the operating line meets
        the equilibrium curve).

    Returns
    -------
    Staircase

    Examples
    --------
    >>> from units.hydro.isotherms import Isotherm
    >>> s = step_off_stages(Isotherm.linear(2.0), 3.0, 0.6, 0.0, 1.0)
    >>> round(s.stages, 4), s.points.shape
    (1.6667, (5, 2))
    """
    check_cascade_inputs(oa, 1, efficiency)
    span = x_feed - x_raffinate
    if span == 0:
        raise ValueError("the raffinate equals the feed: there is nothing to step off")
    direction = np.sign(span)            # +1: copper leaves the aqueous (extraction)
    if efficiency == 1.0:
        curve = isotherm
    else:
        curve = Isotherm(lambda x: operating_line(x, x_raffinate, y_in, oa)
                         + efficiency * (isotherm(x) - operating_line(x, x_raffinate, y_in,
                                                                       oa)),
                         "pseudo-equilibrium")
    x_prev = float(x_feed)
    y = float(operating_line(x_feed, x_raffinate, y_in, oa))
    points = [(x_prev, y)]
    for stage in range(1, max_stages + 1):
        x_new = float(curve.aqueous(np.array([y]))[0])
        if direction * (x_prev - x_new) <= 0:
            raise ValueError("the operating line meets or crosses the equilibrium curve: "
                             "no number of stages reaches the raffinate (raise O/A)")
        beyond = direction * (x_raffinate - x_new)
        if beyond >= -_REACHED * abs(span):
            points += [(x_new, y), (x_new, float(operating_line(x_new, x_raffinate, y_in, oa)))]
            fraction = min(1.0, (x_prev - x_raffinate) / (x_prev - x_new))
            if beyond <= _REACHED * abs(span):
                fraction = 1.0
            return Staircase(np.array(points), stage - 1 + fraction,
                             ((x_raffinate, y_in), (x_feed, points[0][1])))
        y = float(operating_line(x_new, x_raffinate, y_in, oa))
        points += [(x_new, points[-1][1]), (x_new, y)]
        x_prev = x_new
    raise ValueError(f"more than {max_stages} stages: the raffinate is near a pinch")


#: End-point labels by mode: (aqueous, organic) at the feed end, then at the far end.
ENDS = {"extract": (("PLS", "loaded organic"), ("raffinate", "barren organic")),
        "strip": (("lean electrolyte", "stripped organic"),
                  ("rich electrolyte", "loaded organic"))}


def mccabe_thiele_plot(isotherm: Isotherm, x_feed: float, x_raffinate: float, y_in: float,
                       oa: float, path: str | os.PathLike, *, efficiency: float = 1.0,
                       metal: str = "Cu", title: str | None = None,
                       mode: str = "extract") -> Staircase:
    """Draw the construction (isotherm, operating line, numbered steps) to ``path``.

    The end points are labelled with the streams of ``mode`` (:data:`ENDS`: PLS and
    raffinate in extraction, lean and rich electrolyte in stripping); ``title`` may hold
    ``{stages}`` and ``{oa}``, filled with the stages stepped off and O/A. The format follows
    the suffix (png, svg, pdf); the file is written atomically. Returns the
    :class:`Staircase` drawn.

    >>> import tempfile, pathlib
    >>> from units.hydro.isotherms import Isotherm
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "mt.png"
    >>> s = mccabe_thiele_plot(Isotherm.langmuir(12.0, 2.0), 3.0, 0.15, 1.5, 0.8, out)
    >>> out.stat().st_size > 0, round(s.stages, 2)
    (True, 1.77)
    """
    steps = step_off_stages(isotherm, x_feed, x_raffinate, y_in, oa, efficiency)
    figure = figure_class()(figsize=(7.0, 5.2), layout="constrained")
    ax = figure.add_subplot()
    pts = steps.points
    x_top = 1.12 * max(x_feed, x_raffinate, float(pts[:, 0].max()))
    xs = np.linspace(0.0, x_top, 300)
    ax.plot(xs, isotherm(xs), color="tab:blue", linewidth=2, label=f"Isotherm ({isotherm.label})")
    if efficiency < 1.0:
        op = operating_line(xs, x_raffinate, y_in, oa)
        ax.plot(xs, op + efficiency * (isotherm(xs) - op), color="tab:blue", linestyle=":",
                label=f"Pseudo-equilibrium, stage efficiency {100 * efficiency:g} %")
    (x0, y0), (x1, y1) = steps.line
    ax.plot([x0, x1], [y0, y1], color="tab:red", linewidth=1.8,
            label=f"Operating line (slope A/O = {1 / oa:.3g})")
    ax.plot(pts[:, 0], pts[:, 1], color="0.2", linewidth=1.2, label="Stages")
    for k in range(1, len(pts), 2):
        ax.annotate(str((k + 1) // 2), (pts[k, 0], pts[k, 1]), textcoords="offset points",
                    xytext=(-4, 6), fontsize=9, color="0.1", ha="right")
    (aq_f, org_f), (aq_r, org_r) = ENDS[mode]
    right = x1 > x0                      # extraction: the feed end is on the right
    ax.plot([x1], [y1], "o", color="tab:red")
    ax.annotate(f"{aq_f} {x1:.3g} g/L\n{org_f} {y1:.3g} g/L", (x1, y1),
                textcoords="offset points", xytext=(-8, 8) if right else (-10, -6),
                ha="right", va="bottom" if right else "center", fontsize=8)
    ax.plot([x0], [y0], "s", color="tab:red")
    ax.annotate(f"{aq_r} {x0:.3g} g/L\n{org_r} {y0:.3g} g/L", (x0, y0),
                textcoords="offset points", xytext=(8, -22) if right else (-10, 6),
                ha="left" if right else "right", fontsize=8)
    ax.set_xlim(0.0, x_top)
    ax.set_ylim(0.0, 1.15 * max(float(isotherm(np.array([x_top]))[0]), float(pts[:, 1].max())))
    ax.set_xlabel(f"Aqueous {metal} (g/L)")
    ax.set_ylabel(f"Organic {metal} (g/L)")
    title = title or "McCabe-Thiele: {stages:.2f} stages, O/A = {oa:.3g}"
    ax.set_title(title.format(stages=steps.stages, oa=oa), fontsize=11)
    ax.grid(True, linewidth=0.5, alpha=0.5)
    ax.legend(loc="lower right" if right else "upper left", fontsize=8)
    suffix = Path(path).suffix.lstrip(".").lower() or "png"
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format=suffix, dpi=150)
    return steps
