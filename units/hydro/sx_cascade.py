r"""Countercurrent solvent-extraction stages with any isotherm: the stage equations solved
by Newton's method.

Stages are numbered in the direction of the aqueous flow: the aqueous (flow :math:`A`)
enters stage 1 at :math:`x_0 = x_F` and leaves stage :math:`N` as :math:`x_N`; the
organic (flow :math:`O`) enters stage :math:`N` at :math:`y_{N+1} = y_{in}` and leaves
stage 1 as :math:`y_1`. Each stage is a mixer-settler whose organic approaches the
equilibrium :math:`f(x_n)` of its aqueous by the Murphree efficiency :math:`E_M`, and
whose copper balances (flows constant, :math:`r = O/A`):

.. math::

    y_n = y_{n+1} + E_M\,(f(x_n) - y_{n+1}), \qquad
    x_{n-1} - x_n = r\,(y_n - y_{n+1}), \qquad n = 1 \dots N.

The organic concentrations follow from the aqueous ones by the first relation (from
stage :math:`N` back to 1), so the :math:`N` balances are solved for
:math:`x_1 \dots x_N` by Newton's method with the exact Jacobian of the recursion (the
isotherm's slope by central difference) and a backtracking line search on the residual
norm; an increasing isotherm makes the solution unique. Iterations stop when the step is
below 1e-13 of the concentration scale, so the result is a smooth function of the inputs
(as a recycle solver needs) and a straight isotherm reproduces the Kremser equation
(:mod:`units.hydro.kremser`) to rounding. The same equations describe stripping: there
the aqueous is the electrolyte and copper moves from organic to aqueous.

This is the classical stage-to-stage model of R. E. Treybal, Mass-Transfer Operations,
3rd ed., McGraw-Hill, 1980, section 10 (insoluble liquids, constant flows); the
Murphree efficiency on the organic follows W. K. Lewis, Ind. Eng. Chem. 28 (1936) 399.

>>> from units.hydro.isotherms import Isotherm
>>> c = countercurrent_cascade(Isotherm.linear(10.0), 3.0, 0.0, 0.5, 2)
>>> round(c.raffinate, 6), round(c.loaded, 6)
(0.096774, 5.806452)
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from units.hydro.isotherms import Isotherm

__all__ = ["Cascade", "countercurrent_cascade", "check_cascade_inputs"]


class Cascade(NamedTuple):
    """Solved cascade: concentrations leaving each stage [g/L], stage 1 first."""

    aqueous: np.ndarray
    organic: np.ndarray
    iterations: int

    @property
    def raffinate(self) -> float:
        """Aqueous leaving the last stage, :math:`x_N` [g/L]."""
        return float(self.aqueous[-1])

    @property
    def loaded(self) -> float:
        """Organic leaving stage 1, :math:`y_1` [g/L]."""
        return float(self.organic[0])


def check_cascade_inputs(oa: float, stages: int, efficiency: float) -> None:
    """Raise ValueError for an O/A ratio that is not positive, fewer than one stage, or
    an efficiency outside (0, 1]."""
    if not np.isfinite(oa) or oa <= 0:
        raise ValueError(f"the O/A ratio must be > 0, got {oa:g}")
    if int(stages) != stages or stages < 1:
        raise ValueError(f"the number of stages must be a whole number >= 1, got {stages}")
    if not 0 < efficiency <= 1:
        raise ValueError(f"the stage efficiency must be in (0, 1], got {efficiency:g}")


def _organic(isotherm: Isotherm, x: np.ndarray, y_in: float, em: float
             ) -> tuple[np.ndarray, np.ndarray]:
    """Organic leaving each stage, y_1..y_N, and y_2..y_{N+1} entering it."""
    f = isotherm(x)
    y = np.empty(len(x) + 1)
    y[-1] = y_in
    for n in range(len(x) - 1, -1, -1):
        y[n] = y[n + 1] + em * (f[n] - y[n + 1])
    return y[:-1], y[1:]


def _residual(isotherm, x, x_feed, y_in, oa, em):
    """The stage balances at ``x``, and the organic leaving each stage there."""
    y_out, y_enter = _organic(isotherm, x, y_in, em)
    x_prev = np.concatenate(([x_feed], x[:-1]))
    return x_prev - x - oa * (y_out - y_enter), y_out


@functools.lru_cache(maxsize=64)
def _jacobian_pattern(n: int, em: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What the Jacobian of ``n`` stages of efficiency ``em`` owes to those two alone:
    where dy_k/dx_m may be non-zero (m >= k), the powers (1 - em)^(m - k), and the
    constant part (-1 on the diagonal, +1 below it). Read-only, shared between calls."""
    k, m = np.indices((n + 1, n))
    upper = m >= k
    powers = (1.0 - em) ** np.maximum(m - k, 0)
    base = -np.eye(n)
    base[np.arange(1, n), np.arange(n - 1)] += 1.0
    for a in (upper, powers, base):
        a.setflags(write=False)
    return upper, powers, base


def _jacobian(isotherm, x, oa, em):
    upper, powers, base = _jacobian_pattern(len(x), em)
    fp = isotherm.slope(x)
    # dy_k/dx_m = em f'(x_m) (1 - em)^(m - k) for m >= k (0-based, y_k leaves stage k)
    dy = np.where(upper, em * fp[None, :] * powers, 0.0)
    return base - oa * (dy[:-1] - dy[1:])


def countercurrent_cascade(isotherm: Isotherm, x_feed: float, y_in: float, oa: float,
                           stages: int, efficiency: float = 1.0, *,
                           max_iterations: int = 100) -> Cascade:
    r"""Solve ``stages`` countercurrent stages (see the module docstring).

    Parameters
    ----------
    isotherm : Isotherm
        Equilibrium organic concentration as a function of aqueous [g/L].
    x_feed : float
        Metal in the aqueous entering stage 1 [g/L].
    y_in : float
        Metal in the organic entering stage N [g/L].
    oa : float
        Organic-to-aqueous flow ratio [-], > 0.
    stages : int
        Number of stages, >= 1.
    efficiency : float
        Murphree efficiency of every stage on the organic [-], in (0, 1].

    Returns
    -------
    Cascade
        ``aqueous`` :math:`x_1 \dots x_N` and ``organic`` :math:`y_1 \dots y_N`.

    Raises
    ------
    ValueError
        Bad O/A, stages or efficiency; or Newton's method does not converge.

    Examples
    --------
    Stripping a 10 g/L loaded organic into a 35 g/L electrolyte at O/A = 2 over one
    ideal stage of D = 0.2: the copper balance closes on the stage.

    >>> from units.hydro.isotherms import Isotherm
    >>> s = countercurrent_cascade(Isotherm.linear(0.2), 35.0, 10.0, 2.0, 1)
    >>> round(s.raffinate, 4), round(s.loaded, 4)
    (39.2857, 7.8571)
    >>> round(s.raffinate - 35.0 - 2.0 * (10.0 - s.loaded), 12)
    0.0
    """
    check_cascade_inputs(oa, stages, efficiency)
    n = int(stages)
    scale = max(abs(x_feed), abs(y_in) / max(float(isotherm.slope(np.array([x_feed]))[0]),
                                              1e-300), 1e-300)
    x = np.full(n, float(x_feed))
    res, _ = _residual(isotherm, x, x_feed, y_in, oa, efficiency)
    norm = float(np.linalg.norm(res))
    for iteration in range(1, max_iterations + 1):
        step = np.linalg.solve(_jacobian(isotherm, x, oa, efficiency), -res)
        size = float(np.max(np.abs(step)))
        t = 1.0
        while True:                        # backtrack until the residual falls
            trial = x + t * step
            res_t, y_out = _residual(isotherm, trial, x_feed, y_in, oa, efficiency)
            norm_t = float(np.linalg.norm(res_t))
            if norm_t < norm or t < 1e-4 or size <= 1e-13 * scale:
                break
            t *= 0.5
        x, res, norm = trial, res_t, norm_t
        if size <= 1e-13 * scale or norm <= 1e-15 * scale:
            return Cascade(x, y_out, iteration)         # the organic of the last trial
    raise ValueError(f"the stage equations did not converge in {max_iterations} Newton "
                     f"iterations (residual {norm:.3g} g/L)")
