r"""Countercurrent decantation washing (``ccd_train``): N thickeners as one unit, solved in
one linear solve.

YAML::

    ccd: {type: ccd_train, stages: 5, underflow_solids: 55 %, overflow_solids: 0}

Inlets ``feed`` (the leached slurry, into stage 1) and ``wash`` (wash liquor, into stage
N); outlets ``underflow`` (washed residue from stage N) and ``overflow`` (pregnant liquor
from stage 1). Each stage mixes the underflow of the stage before with the overflow of the
stage after and settles like a :class:`~units.hydro.thickener.Thickener` (the underflow
given the same three ways; ``overflow_solids`` carried over). Mixing is ideal: every
non-solid species leaves a stage in the same proportion as its liquor.

:func:`countercurrent_washing` solves the train: first the solids (a linear system when
solids are carried over), then the liquor totals (one backward sweep, the underflow
liquor being fixed by its solids), then all species at once with the stage splits so
found (one linear solve with a column per species). It conserves every species to
rounding. The report gives the wash ratio (wash liquor over final underflow liquor),
the soluble loss (aqueous species left in the washed residue, % of those fed), the wash
efficiency (100 % minus the loss), and the loss of ideal washing by the closed form
:func:`ccd_soluble_loss` for comparison (SysCAD documentation, "Counter Current
Decantation").

>>> round(float(ccd_soluble_loss(2.0, 3)), 6)
0.066667
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from flowsheet.stream import Stream
from flowsheet.unit import Outcome, Port, Unit
from units.hydro.kremser import kremser_fraction_unextracted
from units.hydro.thickener import UNDERFLOW_RANGES, UnderflowParams, check_underflow
from units.registry import register

__all__ = ["ccd_soluble_loss", "Washing", "countercurrent_washing", "CcdTrainParams",
           "CcdTrain"]


def ccd_soluble_loss(wash_ratio: ArrayLike, stages: ArrayLike) -> np.ndarray:
    r"""Fraction of the soluble fed that leaves with the washed solids of ideal CCD.

    With ideal mixing, clean wash liquor, the feed's liquor-to-solids ratio equal to the
    underflow's, and wash ratio WR (wash liquor over underflow liquor):

    .. math:: \text{loss} = \frac{WR - 1}{WR^{n+1} - 1}

    SysCAD documentation, "Counter Current Decantation" (WR = 2, n = 3 gives 1/15 =
    6.67 %). It is the series of the Kremser equation with WR for the extraction factor
    (:func:`units.hydro.kremser.kremser_fraction_unextracted`); WR = 1 gives 1/(n + 1).

    Examples
    --------
    >>> round(float(ccd_soluble_loss(2.0, 3)) * 100, 2)
    6.67
    """
    return kremser_fraction_unextracted(stages, wash_ratio)


class Washing(NamedTuple):
    """Solved train: flows [t/h] of every species (columns) per stage (rows)."""

    underflow: np.ndarray       # (N, n_species), leaving each stage
    overflow: np.ndarray        # (N, n_species)
    liquor_split: np.ndarray    # (N,), fraction of each stage's liquor to its underflow


def countercurrent_washing(feed: ArrayLike, wash: ArrayLike, solid: ArrayLike, stages: int,
                           ratio: float, carryover: float = 0.0) -> Washing:
    r"""Solve N countercurrent washing stages.

    Stage :math:`k` mixes :math:`U_{k-1} + O_{k+1}` (:math:`U_0` the feed,
    :math:`O_{N+1}` the wash). Its solids go :math:`1 - c` to the underflow, which
    holds ``ratio`` t of liquor per t of solids; its liquor splits in the fraction
    :math:`\phi_k` = underflow liquor / stage liquor, the same for every non-solid
    species (capped at 1 when a stage has less liquor than its underflow needs).

    Parameters
    ----------
    feed, wash : array (n_species,)
        Flows entering stage 1 and stage N [t/h].
    solid : array of bool (n_species,)
        Which species are solids.
    stages : int
        Number of stages, >= 1.
    ratio : float
        Liquor per solids in every underflow [t/t].
    carryover : float
        Fraction of a stage's solids to its overflow [-], in [0, 1).

    Examples
    --------
    The published case: 60 t/h of liquor with 100 t/h of solids, underflows at the same
    ratio, wash 120 t/h (WR = 2), three stages; a tracer in the feed liquor:

    >>> w = countercurrent_washing([100.0, 59.0, 1.0], [0.0, 120.0, 0.0],
    ...                            [True, False, False], 3, 0.6)
    >>> round(float(w.underflow[-1, 2]), 9)
    0.066666667
    """
    feed, wash = np.asarray(feed, dtype=float), np.asarray(wash, dtype=float)
    solid = np.asarray(solid, dtype=bool)
    if int(stages) != stages or stages < 1:
        raise ValueError(f"the number of stages must be a whole number >= 1, got {stages}")
    if not 0 <= carryover < 1 or ratio < 0:
        raise ValueError("need 0 <= overflow solids < 1 and a liquor ratio >= 0")
    n = int(stages)
    k = np.arange(n)

    def train(down: np.ndarray, rhs: np.ndarray) -> np.ndarray:
        """Stage contents M with M_k = down_{k-1} M_{k-1} + (1 - down_{k+1}) M_{k+1} + rhs_k."""
        a = np.eye(n)
        a[k[1:], k[:-1]] -= down[:-1]
        a[k[:-1], k[1:]] -= 1.0 - down[1:]
        return np.linalg.solve(a, rhs)

    rhs = np.zeros((n, len(feed)))
    rhs[0] += feed
    rhs[-1] += wash
    solids = train(np.full(n, 1.0 - carryover), np.where(solid, rhs, 0.0))
    under_liquor = ratio * (1.0 - carryover) * solids.sum(axis=1)       # wanted, per stage
    liquor_in = np.where(solid, 0.0, rhs).sum(axis=1)
    total = np.empty(n)                 # liquor in each stage: one backward sweep
    above = 0.0                         # overflow liquor entering from the stage after
    for j in range(n - 1, -1, -1):
        total[j] = liquor_in[j] + above + (under_liquor[j - 1] if j > 0 else 0.0)
        above = max(total[j] - under_liquor[j], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        phi = np.where(total > 0, np.minimum(under_liquor / total, 1.0), 0.0)
    liquor = train(phi, np.where(solid, 0.0, rhs))
    down = np.where(solid, 1.0 - carryover, phi[:, None])
    contents = np.where(solid, solids, liquor)
    return Washing(contents * down, contents * (1.0 - down), phi)


class CcdTrainParams(UnderflowParams):
    """Parameters of a CCD washing train (see the module docstring)."""

    stages: UNDERFLOW_RANGES.stages.type() = UNDERFLOW_RANGES.stages.field(
        description="number of thickeners")


@register("ccd_train")
class CcdTrain(Unit):
    """N-stage countercurrent washing: inlets ``feed`` and ``wash``."""

    Params = CcdTrainParams
    inlet_ports = (Port("feed"), Port("wash"))
    outlet_ports = ("underflow", "overflow")
    report_units = {"stages": "1", "wash_ratio": "1", "soluble_loss": "%",
                    "wash_efficiency": "%", "ideal_soluble_loss": "%",
                    "underflow_solids": "%", "liquid_solids_ratio": "1",
                    "stage_*_liquor_to_underflow": "1"}

    def _run(self, inlets: dict[str, Stream]) -> Outcome:
        feed, wash = inlets["feed"], inlets["wash"]
        table = self.context.table
        mixed = Stream.mix([feed, wash])
        p = self.params
        ratio = p.ratio(mixed) if mixed.solids > 0 else 0.0
        w = countercurrent_washing(feed.flows, wash.flows, table.solid_mask, p.stages,
                                   ratio, p.overflow_solids)
        under, over = mixed.copy_with(flows=w.underflow[-1]), mixed.copy_with(
            flows=w.overflow[0])
        aqueous = np.array([ph == "aqueous" for ph in table.phases])
        soluble_in = float(feed.flows[aqueous].sum())
        loss = float(under.flows[aqueous].sum()) / soluble_in if soluble_in > 0 else 0.0
        under_liquor = under.liquids
        wash_ratio = wash.liquids / under_liquor if under_liquor > 0 else float("inf")
        ideal = (100.0 * float(ccd_soluble_loss(wash_ratio, p.stages))
                 if np.isfinite(wash_ratio) and wash_ratio > 0 else float("nan"))
        report = {"stages": p.stages, "wash_ratio": wash_ratio, "soluble_loss": 100.0 * loss,
                  "wash_efficiency": 100.0 * (1.0 - loss), "ideal_soluble_loss": ideal,
                  "underflow_solids": under.percent_solids if under.total > 0 else 0.0,
                  "liquid_solids_ratio": ratio}
        for j, phi in enumerate(w.liquor_split):
            report[f"stage_{j + 1}_liquor_to_underflow"] = float(phi)
        return {"underflow": under, "overflow": over}, report

    def verify(self, report: dict) -> None:
        """Fail when the last underflow is thicker than asked (too little liquor)."""
        check_underflow(self.name, self.params, report)
