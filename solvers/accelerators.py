"""Tear-stream convergence: find x with g(x) = x for one pass g around a recycle.

Four methods, selectable per flowsheet (``solver: {method: ...}``):

* ``direct`` -- successive substitution, :math:`x_{k+1} = g(x_k)`.
* ``wegstein`` (default) -- bounded Wegstein (Wegstein, Comm. ACM 1 (1958) 9-13): per
  variable, :math:`s = \\Delta g / \\Delta x`, :math:`q = s/(s-1)` bounded to
  ``[q_min, q_max]`` (default [-5, 0]), :math:`x_{k+1} = q x_k + (1-q) g(x_k)`. Wegstein
  treats each variable alone; a loop whose variables are strongly coupled and whose gain
  is close to one (an SX organic loop with a 1 % bleed) crawls. When the worst residual
  falls less than tenfold over :data:`STALL_WINDOW` passes, the remaining passes go to
  Broyden's method from where Wegstein stopped, and the switch is reported.
* ``broyden`` -- Broyden's "good" method on :math:`f(x) = g(x) - x` with the inverse
  Jacobian updated by Sherman-Morrison (Broyden, Math. Comp. 19 (1965) 577-593), started
  from :math:`-I` so that its first step is a direct substitution.
* ``newton`` -- Newton's method with a forward-difference Jacobian of *f* and
  backtracking on the residual norm; exact in one step for a linear recycle. By default
  (``strategy: auto``) on the live variables only, with the Jacobian differenced once,
  updated by Broyden's formula and carried to the next solve of the recycle
  (:mod:`solvers.quasi_newton`); it is also where Wegstein and Broyden end up when they
  stall or diverge (see :func:`converge`).

Convergence is tested on the change :math:`|g_i - x_i| / (\\min(|x_i|, c_i) + a_i)`: relative
to the value, but never looser than relative to the cap :math:`c_i` (for flows, what the
flowsheet feeds of that species), so that a loop circulating far more than it is fed
still closes its balance to the tolerance; :math:`a_i` is a small floor. A small change is
not enough: the estimated distance to the fixed point and the rounding of a pass must be
below the tolerance too (:class:`_Test`), so that a loop that returns all but 1e-9 of what
passes it is never reported converged while its answer is off. Flows are kept
non-negative. Non-convergence raises :class:`~flowsheet.errors.ConvergenceError` with the
residual history of every tear, saying which test failed.

>>> import numpy as np
>>> g = lambda x: 0.5 * x + np.array([1.0, 2.0])       # fixed point (2, 4)
>>> x, hist, it = converge(g, np.zeros(2), floor=np.full(2, 1e-9), method="wegstein",
...                        tolerance=1e-12, max_iterations=50, groups={"t": slice(0, 2)})
>>> np.round(x, 12).tolist(), it <= 4
([2.0, 4.0], True)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from flowsheet.errors import ConvergenceError

__all__ = ["converge", "STALL_WINDOW", "ROUNDING", "RATE_WINDOW", "AT_ROUNDING", "LADDER"]

#: Passes over which bounded Wegstein must cut the worst residual tenfold, or hand over to
#: Broyden's method.
STALL_WINDOW = 25

#: Rounding of one pass, in units of machine epsilon times the size of the flows: a
#: change below it cannot be told from rounding.
ROUNDING = 1.0

#: A recycle whose passes change it by rounding alone, three in a row, has reached what
#: double precision resolves: with ``strategy: auto`` it is accepted when that change is
#: within this many times the tolerance (and one pass rounds it by less than the
#: tolerance), and the block report says so (``at_rounding``). The flowsheet's closure,
#: checked at 1e-9 after every solve, bounds what is left.
AT_ROUNDING = 10.0

#: With ``strategy: auto`` each method of the ladder may take ``max_iterations`` passes,
#: and the whole ladder at most this many times that before the recycle is declared
#: unconverged.
LADDER = 3

#: Passes in a row far above the best residual that count as divergence.
DIVERGED = 8

#: Passes over which the rate of convergence is measured (a geometric mean).
RATE_WINDOW = 5

#: A pass that changes the tear by more than this (relative) is not tested further: it
#: cannot be the last.
SCREEN = 1e-6


def _residual(x: np.ndarray, gx: np.ndarray, floor: np.ndarray, cap: np.ndarray
              ) -> np.ndarray:
    return np.abs(gx - x) / (np.minimum(np.abs(x), cap) + floor)


class _Test:
    """The convergence test of a pass from x to g(x); a pass is accepted when

    * its change r (relative, see the module docstring) is below the tolerance: the
      balance then closes to about the tolerance;
    * the rounding of one pass, :math:`\\epsilon = u (|x| + |g(x)|)` with u the machine
      epsilon, measured the same way (against ``resolution`` instead of the cap), is
      below the tolerance: a loop that circulates a
      billion times what leaves it changes by rounding alone long before it closes;
    * the distance to the fixed point is below the tolerance, relative to the flows
      themselves: the step the method would take next (for direct substitution the
      change itself; for Broyden and Newton their quasi-Newton step, an estimate of the
      error) divided by :math:`1 - \\rho`, with :math:`\\rho` the rate at which the
      changes have been falling (a geometric mean over :data:`RATE_WINDOW` passes). For
      a contraction with gain L, direct substitution has :math:`\\rho = L` and this is
      Banach's bound :math:`|x - x^*| \\le |g(x) - x| / (1 - L)`: a loop that returns
      all but 1e-9 of what passes it moves little per pass while still far from its
      answer. A pass that changes x by rounding only is accepted on the first two tests.
    """

    def __init__(self, floor, cap, tol, resolution) -> None:
        self.floor, self.cap, self.tol, self.resolution = floor, cap, tol, resolution
        self.rate: float | None = None
        self.distance = np.inf
        self.rounding = 0.0
        self.at_rounding = 0        # consecutive passes whose change is only rounding
        self.last: tuple | None = None

    def __call__(self, x: np.ndarray, gx: np.ndarray, r: np.ndarray, worst: list[float],
                 step: np.ndarray | None) -> bool:
        recent = worst[-RATE_WINDOW - 1:]
        if len(recent) >= 2 and recent[0] > 0:
            self.rate = min((recent[-1] / recent[0]) ** (1.0 / (len(recent) - 1)),
                            1.0 - 1e-16)
        self.last = (x, gx, r, step)
        if worst[-1] > max(self.tol, SCREEN):    # far from converged: nothing to test yet
            self.at_rounding = 0
            return False
        return self.evaluate(x, gx, r, worst[-1], step)

    def evaluate(self, x: np.ndarray, gx: np.ndarray, r: np.ndarray, change: float,
                 step: np.ndarray | None) -> bool:
        """The three tests on one pass (sets ``rounding`` and ``distance``)."""
        scale = np.minimum(np.abs(x), self.cap) + self.floor
        noise = ROUNDING * np.finfo(float).eps * (np.abs(x) + np.abs(gx))
        self.rounding = float((noise / (np.minimum(np.abs(x), self.resolution) + self.floor)
                               ).max(initial=0.0))
        only_rounding = bool(np.all(r * scale <= 16 * noise))
        self.at_rounding = self.at_rounding + 1 if only_rounding else 0
        step = gx - x if step is None else step
        own = float((np.abs(step) / (np.abs(x) + self.floor)).max(initial=0.0))
        self.distance = (0.0 if only_rounding else
                         np.inf if self.rate is None else own / (1.0 - self.rate))
        if change <= self.tol and self.rounding <= self.tol and self.distance <= self.tol:
            return True
        if self.at_rounding >= 3:   # more passes cannot bring it closer
            raise _StuckError
        return False


class _StuckError(Exception):
    """Passes change the tear by rounding only while the test still fails."""


def converge(g: Callable[[np.ndarray], np.ndarray], x0: np.ndarray, *, floor: np.ndarray,
             method: str = "wegstein", tolerance: float = 1e-10, max_iterations: int = 500,
             groups: dict[str, slice], lower: np.ndarray | None = None,
             cap: np.ndarray | None = None, bounds: tuple[float, float] = (-5.0, 0.0),
             progress=None, report: dict | None = None,
             resolution: np.ndarray | None = None, strategy: str = "auto",
             memo=None) -> tuple[np.ndarray, dict[str, list[float]], int]:
    """Converge ``x = g(x)``; return (x, residual history per group, iterations).

    ``groups`` names slices of x (one per tear stream) for the history; ``lower`` is a
    lower bound per variable (0 for flows, -inf for temperatures); ``cap`` the scale that
    bounds the relative test (see the module docstring); ``resolution`` the scale the
    rounding of a pass is judged against (default ``cap``; for a species made inside the
    plant, whose cap is only a floor, the whole feed); ``progress`` an optional
    callable ``progress(stage, step, residual)`` told of every pass; ``report``, an
    optional dict, receives ``method`` (the method that finished, e.g.
    ``"wegstein+broyden"``), ``switched_at`` (the pass of a switch, or None), ``rate``
    (the rate at which the changes fell, or None) and ``distance`` (the estimated
    relative distance to the fixed point); see :class:`_Test` for the test.

    ``strategy`` ``"auto"`` (the default) climbs a ladder until a method converges:
    ``wegstein`` -> ``broyden`` (when Wegstein stalls) -> Newton on the live variables
    (:func:`solvers.quasi_newton.newton_live`), from the best point reached and then from
    the start; ``broyden`` -> Newton likewise; ``newton`` -> ``wegstein`` and the rest of
    that ladder when Newton stalls; ``direct`` alone. Wegstein and Broyden are cut short
    when they diverge (:func:`_diverging`). Each method may take ``max_iterations``
    passes, the whole ladder :data:`LADDER` times that. ``memo``, the
    :class:`~solvers.quasi_newton.JacobianMemo` a previous solve of the same recycle left
    in ``report["memo"]``, is tried first. ``"legacy"`` runs each method as it was first
    written (full tear vector, Newton differencing every variable at every step, no
    fallback beyond Wegstein to Broyden), kept for comparison.
    """
    if strategy == "legacy":
        return _converge_legacy(g, x0, floor=floor, method=method, tolerance=tolerance,
                                max_iterations=max_iterations, groups=groups, lower=lower,
                                cap=cap, bounds=bounds, progress=progress, report=report,
                                resolution=resolution)
    from solvers.quasi_newton import newton_live

    lower = np.full(x0.shape, -np.inf) if lower is None else lower
    cap = np.full(x0.shape, np.inf) if cap is None else cap
    history, state, test, record, evaluate = _bookkeeping(
        g, groups, floor, cap, tolerance, resolution, progress)

    start = np.maximum(np.asarray(x0, dtype=float), lower)
    used, iterations, ok, new_memo = method, 0, False, None

    def attempt(run, x, budget):
        before = state["evaluations"]
        try:
            return run(x, budget)
        except _StuckError:       # passes change by rounding only: this method is done
            test.at_rounding = 0
            x_last, gx_last, r_last, _ = test.last
            change = float(r_last.max(initial=0.0))
            if change <= AT_ROUNDING * tolerance and test.rounding <= tolerance:
                state["at_rounding"] = change
                return gx_last, state["evaluations"] - before, True, None
            return x, state["evaluations"] - before, False, None

    def quasi_newton(x, budget, memo=None):
        return newton_live(evaluate, x, record, lower, floor=floor, cap=cap, max_it=budget,
                           memo=memo)

    def budget() -> int:
        """Each method gets the whole max_iterations, the ladder at most LADDER times it."""
        return max(0, min(max_iterations, LADDER * max_iterations - iterations))

    if memo is not None:
        # the Jacobian a previous solve of this recycle left; if it no longer leads, a
        # fresh one, then the method as chosen, from the start again
        x, iterations, ok, new_memo = attempt(lambda x, b: quasi_newton(x, b, memo), start,
                                              budget())
        used = f"{method} (reused Jacobian)" if ok else method
        if not ok:                # a fresh Jacobian at the same (warm) start
            x, more, ok, new_memo = attempt(quasi_newton, start, budget())
            iterations += more
    if not ok and method == "newton":
        x, more, ok, new_memo = attempt(quasi_newton, start, budget())
        iterations += more
        if not ok and budget() > 0:     # Newton stalled: Wegstein, then the rest
            state["switched_at"] = iterations
            used, method = "newton+wegstein", "wegstein"
    if not ok and method != "newton" and budget() > 0:
        # the chosen method, then -- unless it is direct substitution, which fails as
        # asked -- Broyden after Wegstein, then Newton from the best point reached and, if
        # Newton stalls there, from the start
        ladder = {"direct": ["direct"], "wegstein": ["wegstein", "broyden"],
                  "broyden": ["broyden"]}[method]
        x_at = start
        for rung, name in enumerate(ladder):
            step = {"direct": _direct, "wegstein": _wegstein, "broyden": _broyden}[name]
            x_at, more, ok, _ = attempt(
                lambda x, b, step=step: (*step(evaluate, x, record, state, b, lower, bounds,
                                               guard=method != "direct"), None), x_at,
                budget())
            iterations += more
            x = x_at
            if ok or budget() <= 0:
                break
            if rung + 1 < len(ladder):
                if state["switched_at"] is None:
                    state["switched_at"] = iterations
                used = f"{used}+{ladder[rung + 1]}"
        if not ok and method != "direct" and budget() > 0:
            if state["switched_at"] is None:
                state["switched_at"] = iterations
            used = f"{used}+newton"
            best = state["best"][1]
            tries = [best, start] if best is not None and \
                state["best"][0] < state["worst"][0] else [start]
            for x in tries:
                x, more, ok, new_memo = attempt(quasi_newton, x, budget())
                iterations += more
                if ok or budget() <= 0:
                    break
    if report is not None:
        report.update(method=used, switched_at=state["switched_at"], rate=test.rate,
                      distance=test.distance, memo=new_memo,
                      at_rounding=state.get("at_rounding"))
    if not ok:
        raise _failure(history, iterations, used, tolerance, test)
    return x, history, iterations


def _bookkeeping(g, groups, floor, cap, tolerance, resolution, progress):
    """What every method shares: the residual history per group, the iteration state
    (passes, worst residual of each, the best point so far), the convergence test, and
    ``record(x, gx, step)`` -- which records a pass (and the step the method would take
    next) and says whether it meets the test -- and ``evaluate(x)``, which counts passes."""
    history: dict[str, list[float]] = {name: [] for name in groups}
    state = {"evaluations": 0, "worst": [], "switched_at": None, "best": (np.inf, None)}
    test = _Test(floor, cap, tolerance, cap if resolution is None else resolution)

    def record(x, gx, step=None) -> bool:
        r = _residual(x, gx, floor, cap)
        for name, sl in groups.items():
            history[name].append(float(r[sl].max(initial=0.0)))
        worst = float(r.max(initial=0.0))
        state["worst"].append(worst)
        if worst < state["best"][0]:
            state["best"] = (worst, x.copy())
        if progress is not None:
            progress("recycle", state["evaluations"], worst)
        return test(x, gx, r, state["worst"], step)

    def evaluate(x):
        state["evaluations"] += 1
        return g(x)

    return history, state, test, record, evaluate


def _converge_legacy(g, x0, *, floor, method, tolerance, max_iterations, groups, lower,
                     cap, bounds, progress, report, resolution):
    """:func:`converge` as first written (``strategy: legacy``)."""
    lower = np.full(x0.shape, -np.inf) if lower is None else lower
    cap = np.full(x0.shape, np.inf) if cap is None else cap
    history, state, test, record, evaluate = _bookkeeping(
        g, groups, floor, cap, tolerance, resolution, progress)

    step = {"direct": _direct, "wegstein": _wegstein, "broyden": _broyden,
            "newton": _newton}[method]
    x = np.maximum(np.asarray(x0, dtype=float), lower)
    used = method
    try:
        x, iterations, ok = step(evaluate, x, record, state, max_iterations, lower, bounds)
        if not ok and method == "wegstein" and iterations < max_iterations:   # it stalled
            state["switched_at"] = iterations
            used = "wegstein+broyden"
            x, more, ok = _broyden(evaluate, x, record, state, max_iterations - iterations,
                                   lower, bounds)
            iterations += more
    except _StuckError:
        iterations, ok = len(state["worst"]), False
    if report is not None:
        report.update(method=used, switched_at=state["switched_at"], rate=test.rate,
                      distance=test.distance)
    if not ok:
        raise _failure(history, iterations, used, tolerance, test)
    return x, history, iterations


def _gain_text(gain: float) -> str:
    """A rate as a reader sees it: '0.9', or '1 - 1e-09' near one."""
    if 0.99 < gain < 1.0:
        return f"1 - {1.0 - gain:.2g}"
    return f"{gain:.4g}"


def _failure(history, iterations: int, used: str, tolerance: float,
             test: _Test) -> ConvergenceError:
    """The ConvergenceError of a recycle that did not converge: which tear, by how much,
    and -- when each pass changes little -- why that is not yet the answer."""
    if test.last is not None:
        x, gx, r, step = test.last
        try:
            test.evaluate(x, gx, r, float(r.max(initial=0.0)), step)
        except _StuckError:
            pass
    worst = max(history, key=lambda k: history[k][-1] if history[k] else 0.0)
    last = history[worst][-1] if history[worst] else float("nan")
    message = (f"recycle did not converge in {iterations} iterations ({used}): tear "
               f"'{worst}' still changes by {last:.4g} (relative), tolerance {tolerance:.4g}")
    hint = ("try solver: {method: newton}, more max_iterations, or check that every "
            "species has a way out of the recycle")
    tight = test.rounding > tolerance
    if tight:
        message += (f"; one pass rounds the tear by {test.rounding:.4g} (relative), more "
                    "than the tolerance")
    elif test.rate is not None and np.isfinite(test.distance) and test.distance > tolerance:
        message += (f"; its changes fall by a factor {_gain_text(test.rate)} a pass, so "
                    f"the answer may still be {test.distance:.4g} (relative) away")
        tight = abs(1.0 - test.rate) < 1e-6
    if tight:
        hint = ("the recycle circulates so many times what leaves it that tear iteration "
                "cannot resolve it in double precision: let its linear units be solved in "
                "one sparse solve (solver: {linear: true}) or give it a larger bleed")
    return ConvergenceError(message, history=history, hint=hint)


def _direct(g, x, record, state, max_it, lower, bounds, guard=False):
    for k in range(1, max_it + 1):
        gx = g(x)
        if record(x, gx):
            return gx, k, True
        x = np.maximum(gx, lower)
    return x, max_it, False


def _diverging(state) -> bool:
    """The worst residual has stayed a thousandfold above the best one (and above 1) for
    :data:`DIVERGED` passes: a single wild pass of Wegstein's secants is not divergence."""
    worst = state["worst"]
    bar = max(1.0, 1e3 * min(worst))
    return len(worst) > DIVERGED and all(w > bar for w in worst[-DIVERGED:])


def _wegstein(g, x, record, state, max_it, lower, bounds, guard=False):
    """Bounded Wegstein; returns early (not converged, fewer than ``max_it`` passes) when
    it stalls: the worst residual fell less than tenfold over STALL_WINDOW passes -- or,
    with ``guard``, when it diverges (:func:`_diverging`)."""
    qmin, qmax = bounds
    gx = g(x)
    if record(x, gx):
        return gx, 1, True
    x_prev, g_prev = x, gx
    x = np.maximum(gx, lower)
    worst = [np.inf] * STALL_WINDOW
    for k in range(2, max_it + 1):
        gx = g(x)
        dx = x - x_prev
        with np.errstate(divide="ignore", invalid="ignore"):
            s = np.where(dx != 0, (gx - g_prev) / dx, 0.0)
            q = np.where(np.abs(s - 1.0) > 1e-12, s / (s - 1.0), qmin)
        q = np.clip(np.nan_to_num(q, nan=0.0), qmin, qmax)
        if record(x, gx, (1.0 - q) * (gx - x)):
            return gx, k, True
        residual = state["worst"][-1]
        if guard and k < max_it and _diverging(state):
            return x, k, False
        if k > 2 * STALL_WINDOW and residual > 0.1 * worst[k % STALL_WINDOW] \
                and k < max_it:
            return x, k, False
        worst[k % STALL_WINDOW] = residual
        x_prev, g_prev = x, gx
        x = np.maximum(q * x + (1.0 - q) * gx, lower)
    return x, max_it, False


def _broyden(g, x, record, state, max_it, lower, bounds, guard=False):
    """Broyden's good method from -I; with ``guard``, returns early (not converged) when
    it diverges (:func:`_diverging`)."""
    n = x.size
    H = -np.eye(n)                     # inverse Jacobian of f = g(x) - x
    gx = g(x)
    f = gx - x
    if record(x, gx):
        return gx, 1, True
    for k in range(2, max_it + 1):
        dx = -H @ f
        x_new = np.maximum(x + dx, lower)
        dx = x_new - x
        gx = g(x_new)
        f_new = gx - x_new
        df = f_new - f
        Hdf = H @ df
        denom = float(dx @ Hdf)
        if abs(denom) > 1e-300:
            H += np.outer(dx - Hdf, dx @ H) / denom
        else:                           # restart from direct substitution
            H = -np.eye(n)
        if record(x_new, gx, -H @ f_new):
            return gx, k, True
        if guard and k < max_it and _diverging(state):
            return x_new, k, False
        x, f = x_new, f_new
    return x, max_it, False


def _newton(g, x, record, state, max_it, lower, bounds):
    n = x.size
    gx = g(x)
    f = gx - x
    k = 1
    if record(x, gx):
        return gx, k, True
    while k < max_it:
        J = np.empty((n, n))
        for i in range(n):
            h = 1e-7 * max(abs(x[i]), 1.0)
            xp = x.copy()
            xp[i] += h
            J[:, i] = ((g(xp) - xp) - f) / h
        try:
            dx = np.linalg.solve(J, -f)
        except np.linalg.LinAlgError:
            dx = np.linalg.lstsq(J, -f, rcond=None)[0]
        norm = float(np.linalg.norm(f))
        lam = 1.0
        while True:
            x_new = np.maximum(x + lam * dx, lower)
            gx = g(x_new)
            k += 1
            f_new = gx - x_new
            if float(np.linalg.norm(f_new)) < norm or lam < 1e-3 or k >= max_it:
                break
            lam *= 0.5
        x, f = x_new, f_new
        try:
            ahead = np.linalg.solve(J, -f)
        except np.linalg.LinAlgError:
            ahead = None
        if record(x, gx, ahead):
            return gx, k, True
    return x, max_it, False
