"""Newton's method on the live variables of a tear, with a reused, sparse Jacobian.

A tear vector holds every species flow, the temperature and every size fraction of each
torn stream, most of which never move: the size slots of a liquid stream, species the
recycle does not carry. In the SX-EW example 21 of 246 tear variables are ever non-zero.
:func:`newton_live` iterates only the *live* variables -- those a pass changes -- and
holds the rest by substitution (each pass sets them to what the pass returns, which for a
variable nothing moves is the value it already has). A held variable that later moves by
more than rounding (1e-12 of itself) is made live on the spot; the convergence test is
always made on the whole vector, so holding never hides a residual. Before the first
step the tear is substituted once (from a cold start, until the set of moving variables
stops growing, at most :data:`PRE_PASSES` times), so that the first Jacobian sees every
variable the recycle carries and starts from values one pass has made consistent.

The Jacobian of :math:`f(x) = g(x) - x` on the live variables is

* differenced forward once, one pass per column;
* afterwards updated by Broyden's rank-one formula (Broyden, Math. Comp. 19 (1965)
  577-593) from every step taken, which costs no pass;
* differenced again only when a step along it fails to reduce the scaled residual, and
  then with columns grouped: columns whose non-zero rows (as the first difference found
  them) do not overlap are perturbed together, one pass per group (Curtis, Powell and
  Reid, J. Inst. Maths Applics 13 (1974) 117-119; groups by greedy colouring of the
  column-intersection graph, :func:`networkx.greedy_color`), and every column again if
  the grouped one misleads (the pattern missed an entry);
* kept by the caller and handed to the next solve of the same recycle (a design spec's
  next trial, a scenario's next point), whose first step then costs no difference at all;
  if that first step does not lower the residual the carried Jacobian is dropped and the
  caller starts afresh.

Newton gives up after :data:`STALLS` steps along a fresh Jacobian that fail, or succeed
only cut short, so that its caller (:func:`solvers.accelerators.converge`) can start it
from elsewhere or hand over to another method.

Steps are damped by backtracking on the scaled residual norm (halving the step, as in
Dennis and Schnabel, Numerical Methods for Unconstrained Optimization and Nonlinear
Equations (1983), section 6.3, without their cubic model) and kept above each variable's
lower bound.

>>> import numpy as np
>>> g = lambda x: np.array([0.5 * x[0] + 1.0 + 0.1 * x[1] ** 2, 0.2 * x[0], 3.0])
>>> seen = []
>>> def record(x, gx, step=None):
...     seen.append(float(np.abs(gx - x).max()))
...     return seen[-1] < 1e-13
>>> x, it, ok, memo = newton_live(g, np.zeros(3), record, np.zeros(3),
...                               floor=np.full(3, 1e-12), cap=np.full(3, np.inf),
...                               max_it=50)
>>> ok, np.allclose(g(x), x, rtol=0, atol=1e-13), sorted(memo.live.tolist())
(True, True, [0, 1, 2])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["newton_live", "JacobianMemo", "column_groups"]

#: Direct-substitution passes, at most, before the first Jacobian of a cold start.
PRE_PASSES = 5

#: Newton steps along a fresh Jacobian that fail to reduce the residual, or reduce it only
#: when cut short, before the method gives up (a point where the residual has a local
#: minimum that is not a root, or a kink), so that its caller can start it elsewhere.
STALLS = 2

#: A step along a fresh Jacobian shortened below this fraction counts towards
#: :data:`STALLS`: Newton crawling along a kink of the residual is not converging.
DAMPED = 1.0 / 16

#: Relative step of the forward differences (about the square root of machine epsilon,
#: times 1.5 for noise in the passes).
FD_STEP = 1e-7


@dataclass
class JacobianMemo:
    """What a solve leaves for the next one of the same recycle: the live variables and
    the Jacobian of ``g(x) - x`` on them, with its sparsity pattern and column groups."""

    live: np.ndarray
    jacobian: np.ndarray
    sparsity: tuple[np.ndarray, list[np.ndarray]] | None = None
    differences: int = 0            # passes spent differencing in the solve that left it


def column_groups(pattern: np.ndarray) -> list[np.ndarray]:
    """Columns of a sparsity pattern that can be differenced together (no shared row).

    >>> P = np.array([[1, 0, 0], [0, 1, 0], [1, 0, 1]], dtype=bool)
    >>> [g.tolist() for g in column_groups(P)]
    [[0, 1], [2]]
    """
    import networkx as nx

    n = pattern.shape[1]
    pattern = np.asarray(pattern, dtype=bool)
    overlap = (pattern.T.astype(np.int32) @ pattern.astype(np.int32)) > 0
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    rows, cols = np.nonzero(np.triu(overlap, 1))
    graph.add_edges_from(zip(rows.tolist(), cols.tolist(), strict=True))
    colour = nx.greedy_color(graph, strategy="largest_first")
    groups: dict[int, list[int]] = {}
    for column in range(n):
        groups.setdefault(colour[column], []).append(column)
    return [np.array(sorted(g)) for _, g in sorted(groups.items(),
                                                   key=lambda item: min(item[1]))]


def newton_live(g: Callable[[np.ndarray], np.ndarray], x: np.ndarray,
                record: Callable[..., bool], lower: np.ndarray, *, floor: np.ndarray,
                cap: np.ndarray, max_it: int, memo: JacobianMemo | None = None
                ) -> tuple[np.ndarray, int, bool, JacobianMemo | None]:
    """Converge ``x = g(x)``: (x, passes, converged, the Jacobian memo to reuse).

    ``record(x, gx, step)`` is told of every accepted pass and says when it meets the
    convergence test (see :func:`solvers.accelerators.converge`); ``lower`` bounds each
    variable from below; ``floor`` and ``cap`` scale the residual as the test does;
    ``memo`` is what a previous solve of the same recycle returned.
    """
    x = np.maximum(np.asarray(x, dtype=float), lower)
    gx = g(x)
    passes = 1
    if record(x, gx):
        return gx, passes, True, memo
    moved = np.flatnonzero(gx != x)
    # substitute once (from a cold start, until every variable the recycle carries has
    # moved, so the first Jacobian sees them all): Newton's first step then starts from
    # tear values one pass has made consistent with each other
    for _ in range(PRE_PASSES if memo is None else 1):
        x = np.maximum(gx, lower)
        gx = g(x)
        passes += 1
        if record(x, gx):
            return gx, passes, True, memo
        more = np.union1d(moved, np.flatnonzero(gx != x))
        if len(more) == len(moved):
            break
        moved = more
    J, sparsity = None, None
    if memo is not None and len(memo.live) and memo.live.max() < x.size:
        live = np.union1d(memo.live, moved)
        if len(live) == len(memo.live):
            J, sparsity = memo.jacobian, memo.sparsity
    else:
        live = moved
    differences = 0
    fresh = grouped = False
    carried = J is not None
    stalls = 0
    while passes < max_it:
        f = (gx - x)[live]
        weight = np.minimum(np.abs(x[live]), cap[live]) + floor[live]
        if J is None:
            grouped = sparsity is not None and sparsity[1] is not None \
                and len(sparsity[1]) < len(live)
            J, used, sparsity = _difference(g, x, f, live, sparsity)
            passes += used
            differences += used
            fresh = True
        step = _solve(J, -f)
        norm = float(np.linalg.norm(f / weight))
        lam = 1.0
        while True:
            trial = x.copy()
            trial[live] = np.maximum(x[live] + lam * step, lower[live])
            g_trial = g(trial)
            passes += 1
            f_trial = (g_trial - trial)[live]
            better = float(np.linalg.norm(f_trial / weight)) < norm
            if better or not fresh or lam < 1e-3 or passes >= max_it:
                break
            lam *= 0.5
        if fresh and grouped and (not better or lam < DAMPED):
            # the pattern the groups came from missed an entry here: difference every
            # column, and keep the union of both patterns
            J, sparsity = None, (sparsity[0], None)
            continue
        if fresh and (not better or lam < DAMPED):   # Newton itself barely descends
            stalls += 1
            if stalls >= STALLS:
                break
        if not better and carried:        # the carried Jacobian does not fit this solve:
            return x, passes, False, None   # let the caller start afresh
        carried = False
        if not better and not fresh and passes < max_it:
            J = None                      # a Broyden or carried Jacobian misled: difference
            continue
        s = trial[live] - x[live]
        ss = float(s @ s)
        if ss > 0:
            J = J + np.outer(f_trial - f - J @ s, s) / ss
        fresh = False
        held = np.ones(x.size, dtype=bool)
        held[live] = False
        ahead = g_trial - trial
        ahead[live] = _solve(J, -f_trial)
        if record(trial, g_trial, ahead):
            return g_trial, passes, True, JacobianMemo(live, J, sparsity, differences)
        # what a pass returns for a held variable is its next value; one that moves by
        # more than rounding is live after all
        new = held & (np.abs(g_trial - trial) > 1e-12 * (np.abs(trial) + floor))
        x, gx = trial, g_trial
        x[held] = g_trial[held]
        if new.any():
            live = np.union1d(live, np.flatnonzero(new))
            J, sparsity = None, None
            x = np.maximum(x, lower)
            gx = g(x)
            passes += 1
    return x, passes, False, (JacobianMemo(live, J, sparsity, differences)
                              if J is not None else None)


def _solve(J: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    try:
        step = np.linalg.solve(J, rhs)
        if np.all(np.isfinite(step)):
            return step
    except np.linalg.LinAlgError:
        pass
    return np.linalg.lstsq(J, rhs, rcond=None)[0]


def _difference(g, x: np.ndarray, f: np.ndarray, live: np.ndarray,
                sparsity: tuple[np.ndarray, list[np.ndarray]] | None
                ) -> tuple[np.ndarray, int, tuple[np.ndarray, list[np.ndarray]]]:
    """Forward-difference Jacobian of ``g(x) - x`` on the live variables: column by
    column the first time, by groups of columns once the sparsity pattern is known (each
    column then takes, from its group's difference, the rows of its own pattern, which no
    other column of the group shares). Returns (J, passes, (pattern, groups))."""
    n = len(live)
    J = np.zeros((n, n))
    h = FD_STEP * np.maximum(np.abs(x[live]), 1.0)
    if sparsity is None or sparsity[1] is None:
        for i in range(n):
            xp = x.copy()
            xp[live[i]] += h[i]
            J[:, i] = ((g(xp) - xp)[live] - f) / h[i]
        pattern = J != 0
        pattern[np.diag_indices(n)] = True
        if sparsity is not None:
            pattern |= sparsity[0]
        return J, n, (pattern, column_groups(pattern))
    pattern, groups = sparsity
    for group in groups:
        xp = x.copy()
        xp[live[group]] += h[group]
        diff = (g(xp) - xp)[live] - f
        for i in group:
            rows = pattern[:, i]
            J[rows, i] = diff[rows] / h[i]
    return J, len(groups), sparsity

