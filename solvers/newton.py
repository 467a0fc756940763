"""Design specifications: vary parameters until quantities of the solution equal targets.

One varied parameter is solved by bracketed root finding -- Brent's method
(:func:`scipy.optimize.brentq`) between the spec's bounds, after checking that the target
lies between the values at the bounds -- or, without bounds, by the secant method. Several
are solved together by Newton's method with a forward-difference Jacobian, steps clipped
to the bounds and halved until the residual falls. Every evaluation is a full steady-state
solve warm-started from the previous one. A target that cannot be met raises
:class:`~flowsheet.errors.DesignSpecError` with every point tried; a result is never
returned unless the spec holds.

Each trial solve records the units that sat at a limit -- a report value among
:data:`LIMIT_KEYS` that is set, such as a reactor short of a reagent -- and the
parameters held at their bounds, so that an error can name them: a singular Jacobian
names the specs whose parameter moves no target, whose target no parameter moves, or
that depend on one another, together with those units.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from scipy.optimize import brentq

from flowsheet.errors import DesignSpecError, FlowsheetError
from flowsheet.results import Results
from solvers.sequential import solve_steady, verify_units

__all__ = ["solve_specs", "LIMIT_KEYS", "CONDITION_LIMIT"]

#: Report keys through which a unit says it sat at a limit (the reagent that ran short,
#: the mill that bounds the throughput ...); an empty or false value means it did not.
LIMIT_KEYS = ("limited", "limit", "clipped", "saturated", "bounded")

#: Condition number of the spec Jacobian (rows, then columns, scaled to unit length) above which its
#: specs count as dependent: a forward difference with a relative step of 1e-6 is good
#: to about that many digits.
CONDITION_LIMIT = 1e8


class _Problem:
    """Evaluates the spec residuals for given parameter values."""

    def __init__(self, fs, vary, until, targets, options) -> None:
        self.fs, self.vary, self.until = fs, vary, until
        self.targets = np.asarray(targets, dtype=float)
        self.scale = np.maximum(np.abs(self.targets), 1e-9)
        self.progress = options.get("progress")
        self.options = {k: v for k, v in options.items() if k != "progress"}
        self.last: Results | None = None
        self.tried: list[dict] = []
        self.iterations = 0                 # recycle iterations over every solve
        self.owner = [0] * len(vary)        # the spec (index) of each varied parameter
        self.tolerance = float(options.get("tolerance", getattr(fs.solver_options,
                                                                "tolerance", 1e-10)))
        self.strategy = options.get("strategy", getattr(fs.solver_options, "strategy",
                                                        "auto"))
        if self.strategy != "legacy":
            # each trial solve leaves its recycle Jacobians for the next trial
            self.options.setdefault("memory", {})

    def noise(self) -> np.ndarray:
        """How much each relative residual may move by rounding and recycle tolerance
        alone, spec by spec: a bound on what a difference quotient cannot tell from zero,
        times its step. Each row has its own size, so a spec whose target is 0 (scaled by
        1e-9) does not drown the others."""
        last = self.tried[-1] if self.tried else {}
        size = 1.0 + np.abs(np.asarray(last.get("achieved", [0.0] * len(self.until)))
                            ) / self.scale
        tolerance = self.tolerance if self.iterations > 0 else 0.0
        return 2.0 * (tolerance + 64 * np.finfo(float).eps) * size

    def __call__(self, values: np.ndarray) -> np.ndarray:
        fs = self.fs.with_params(dict(zip(self.vary, map(float, values), strict=True)))
        opts = dict(self.options, verify=False)
        if self.last is not None:
            opts["initial"] = self.last
        entry: dict[str, Any] = {"values": [float(v) for v in values]}
        try:
            results = solve_steady(fs, **opts)
        except FlowsheetError as err:
            entry["failed"] = str(err)
            if err.location.unit:
                entry["limits"] = {err.location.unit: "raised"}
            self.tried.append(entry)
            raise
        self.iterations += results.convergence.iterations
        achieved = np.array([results.value(p) for p in self.until])
        self.last = results
        residual = (achieved - self.targets) / self.scale
        entry.update(achieved=achieved.tolist(), relative_residual=residual.tolist(),
                     limits=_limits(results._reports))
        self.tried.append(entry)
        if self.progress is not None:
            self.progress("design spec", len(self.tried), float(np.max(np.abs(residual))))
        return residual


def _limits(reports: dict[str, dict]) -> dict[str, str]:
    """Units whose report says they sat at a limit: unit -> what limited it."""
    out = {}
    for unit, report in reports.items():
        for key in LIMIT_KEYS:
            value = report.get(key)
            if value is not None and value is not False and value != "":
                out[unit] = str(value) if not isinstance(value, bool) else key
                break
    return out


def _limit_text(tried: list[dict]) -> str:
    """The units that sat at a limit in any trial solve, for a message ('' if none)."""
    seen: dict[str, set[str]] = {}
    for entry in tried:
        for unit, what in entry.get("limits", {}).items():
            seen.setdefault(unit, set()).add(what)
    if not seen:
        return ""
    parts = [f"'{u}' ({', '.join(sorted(map(str, w)))})" for u, w in sorted(seen.items())]
    return "; units at a limit during the trial solves: " + ", ".join(parts)


def _values_text(names: list[str], values) -> str:
    """'a' = 1.5, 'b' = 2 -- parameter values for a message."""
    return ", ".join(f"'{n}' = {float(v):.6g}" for n, v in zip(names, values, strict=True))


def solve_specs(fs, **options: Any) -> Results:
    """Solve ``fs`` with all its design specs met; the Results carry a spec report."""
    vary = [p for s in fs.specs for p in s.vary]
    until = [p for s in fs.specs for p in s.until]
    targets = [t for s in fs.specs for t in s.targets]
    bounds = [b for s in fs.specs for b in s.bounds]
    tol = min(s.tolerance for s in fs.specs)
    max_it = max(s.max_iterations for s in fs.specs)
    location = fs.specs[0].location
    problem = _Problem(fs, vary, until, targets, options)
    problem.owner = [s.index for s in fs.specs for _ in s.vary]
    began = time.perf_counter()
    x0 = np.array([float(fs.get(p)) for p in vary])
    try:
        if len(vary) == 1:
            x = _scalar(problem, x0[0], bounds[0], tol, max_it)
            x = np.array([x])
        else:
            x = _vector(problem, x0, bounds, tol, max_it)
    except DesignSpecError as err:
        err.report = {"vary": vary, "until": until, "targets": targets, "tried": problem.tried}
        raise err.located(file=location.file, line=location.line,
                          column=location.column) from None
    except FlowsheetError as err:
        values = problem.tried[-1]["values"] if problem.tried else x0
        inner = err.message if not err.location.unit else (
            f"unit '{err.location.unit}': {err.message}")
        raise DesignSpecError(
            f"a trial solve at {_values_text(vary, values)} failed while meeting the design "
            f"spec: {inner}",
            report={"vary": vary, "until": until, "targets": targets,
                    "tried": problem.tried, "history": getattr(err, "history", {})},
            location=location, hint=err.hint) from None
    residual = problem(x)  # final solve at the answer
    results = problem.last
    verify_units(results.flowsheet, results._reports)
    results.convergence.specs.append({
        "vary": dict(zip(vary, map(float, x), strict=True)),
        "until": dict(zip(until, map(float, np.asarray(targets) + residual * problem.scale),
                          strict=True)),
        "targets": dict(zip(until, map(float, targets), strict=True)),
        "evaluations": len(problem.tried), "history": problem.tried,
        "seconds": time.perf_counter() - began, "recycle_iterations": problem.iterations})
    return results


def _scalar(problem: _Problem, x0: float, bounds, tol: float, max_it: int) -> float:
    r0 = problem(np.array([x0]))[0]
    if abs(r0) <= tol:
        return x0
    if bounds is not None:
        lo, hi = bounds
        r_lo, r_hi = problem(np.array([lo]))[0], problem(np.array([hi]))[0]
        if np.sign(r_lo) == np.sign(r_hi) and abs(r_lo) > tol and abs(r_hi) > tol:
            a = problem.targets[0] + r_lo * problem.scale[0]
            b = problem.targets[0] + r_hi * problem.scale[0]
            raise DesignSpecError(
                f"infeasible: '{problem.until[0]}' goes from {a:.6g} to {b:.6g} as "
                f"'{problem.vary[0]}' goes from {lo:.6g} to {hi:.6g}; the target "
                f"{problem.targets[0]:.6g} is not between them"
                + _limit_text(problem.tried),
                hint="widen the bounds or change the target")
        if abs(r_lo) <= tol:
            return lo
        if abs(r_hi) <= tol:
            return hi
        x, info = brentq(lambda v: problem(np.array([v]))[0], lo, hi, xtol=1e-12 * (hi - lo),
                         rtol=1e-14, maxiter=max_it, full_output=True, disp=False)
        if not info.converged:
            raise DesignSpecError(f"no convergence in {max_it} iterations ({info.flag})"
                                  + _limit_text(problem.tried))
        return float(x)
    # secant without bounds
    x_prev, r_prev = x0, r0
    x = x0 * (1 + 1e-3) if x0 != 0 else 1e-3
    for _ in range(max_it):
        r = problem(np.array([x]))[0]
        if abs(r) <= tol:
            return x
        if r == r_prev:
            raise DesignSpecError(
                f"'{problem.until[0]}' does not respond to '{problem.vary[0]}' between "
                f"{x_prev:.6g} and {x:.6g}" + _limit_text(problem.tried),
                hint="vary a parameter that moves the target, or give bounds")
        x_prev, r_prev, x = x, r, x - r * (x - x_prev) / (r - r_prev)
    raise DesignSpecError(f"no convergence in {max_it} iterations: last residual "
                          f"{r_prev:.4g} (relative)" + _limit_text(problem.tried),
                          hint="give bounds to bracket the answer")


def _vector(problem: _Problem, x: np.ndarray, bounds, tol: float, max_it: int) -> np.ndarray:
    lo = np.array([b[0] if b else -np.inf for b in bounds])
    hi = np.array([b[1] if b else np.inf for b in bounds])
    x = np.clip(x, lo, hi)
    r = problem(x)
    broyden = problem.strategy != "legacy"
    J = None
    for _ in range(max_it):
        if np.max(np.abs(r)) <= tol:
            return x
        fresh = J is None
        if fresh:
            J = _difference(problem, x, r, lo, hi)
        dx = np.linalg.solve(J, -r)
        lam, norm = 1.0, float(np.linalg.norm(r))
        while True:
            x_new = np.clip(x + lam * dx, lo, hi)
            r_new = problem(x_new)
            better = float(np.linalg.norm(r_new)) < norm
            if better or lam < 1e-4 or not fresh:
                break
            lam *= 0.5
        if not better and not fresh:      # the updated Jacobian misled: difference anew
            J = None
            continue
        if broyden:                       # Broyden's update: the next step costs no solves
            s = x_new - x
            if float(s @ s) > 0:
                J = J + np.outer(r_new - r - J @ s, s) / float(s @ s)
        else:
            J = None
        if np.allclose(x_new, x, rtol=1e-14, atol=0) and np.max(np.abs(r_new)) > tol:
            raise DesignSpecError(f"infeasible within the bounds: stuck at "
                                  f"{_values_text(problem.vary, x)} with "
                                  f"{_residual_text(problem.until, r_new)}"
                                  + _at_bounds(problem.vary, x, lo, hi)
                                  + _limit_text(problem.tried),
                                  hint="widen the bounds or change the targets")
        x, r = x_new, r_new
    if np.max(np.abs(r)) <= tol:
        return x
    raise DesignSpecError(f"no convergence in {max_it} Newton iterations: "
                          f"{_residual_text(problem.until, r)}" + _limit_text(problem.tried))


def _difference(problem: _Problem, x: np.ndarray, r: np.ndarray, lo, hi) -> np.ndarray:
    """The forward-difference spec Jacobian at x (one trial solve per parameter); raises
    DesignSpecError when it is singular, saying why."""
    n = len(x)
    J = np.empty((n, n))
    steps = np.empty(n)
    for i in range(n):
        h = 1e-6 * max(abs(x[i]), 1.0)
        if x[i] + h > hi[i]:
            h = -h
        xp = x.copy()
        xp[i] += h
        J[:, i] = (problem(xp) - r) / h
        steps[i] = h
    noise = problem.noise()[:, None] / np.abs(steps)[None, :]
    singular = _singular(J, noise, problem, x, lo, hi)
    if singular:
        raise DesignSpecError(singular, hint="give each spec a parameter that moves its "
                              "target, or move the bounds off the limits")
    return J


def _residual_text(until: list[str], r) -> str:
    """'a' off by 1e-3, ... -- relative spec residuals for a message."""
    return ", ".join(f"'{u}' off by {float(v):.4g}" for u, v in zip(until, r, strict=True)
                     ) + " (relative)"


def _at_bounds(vary: list[str], x, lo, hi) -> str:
    """The parameters held at one of their bounds, for a message ('' if none)."""
    held = [f"'{v}' at its {'lower' if xi <= a else 'upper'} bound {xi:.6g}"
            for v, xi, a, b in zip(vary, x, lo, hi, strict=True) if xi <= a or xi >= b]
    return "; " + ", ".join(held) if held else ""


def _singular(J: np.ndarray, noise: np.ndarray, problem: _Problem, x, lo, hi) -> str:
    """Why the spec Jacobian J cannot be solved ('' when it can): the parameters that
    move no target (columns within the difference noise ``noise``, one per entry of J, of
    zero), the targets
    no parameter moves (such rows), or the specs that depend on one another (the
    singular vectors of the smallest singular value of J with unit columns, when its
    condition number exceeds :data:`CONDITION_LIMIT`), with the units at a limit and
    the parameters at a bound during the trials."""
    owner = problem.owner
    zero = np.abs(J) <= noise
    dead_cols = [i for i in range(J.shape[1]) if zero[:, i].all()]
    dead_rows = [i for i in range(J.shape[0]) if zero[i].all()]
    parts = []
    if dead_cols:
        parts.append("varying " + ", ".join(f"'{problem.vary[i]}' (spec {owner[i] + 1})"
                                           for i in dead_cols) + " moves none of the targets")
    if dead_rows:
        parts.append("no varied parameter moves " + ", ".join(
            f"'{problem.until[i]}' (spec {owner[i] + 1})" for i in dead_rows))
    if not parts:
        # rows scaled to unit length first (a spec whose target is 0 is scaled by 1e-9
        # and would otherwise dominate), then columns
        rows_scaled = J / np.linalg.norm(J, axis=1)[:, None]
        u, sigma, vt = np.linalg.svd(rows_scaled / np.linalg.norm(rows_scaled, axis=0))
        if sigma[0] > 0 and sigma[-1] > sigma[0] / CONDITION_LIMIT:
            return ""
        cols = np.flatnonzero(np.abs(vt[-1]) > 0.1).tolist()
        rows = np.flatnonzero(np.abs(u[:, -1]) > 0.1).tolist()
        cond = sigma[0] / sigma[-1] if sigma[-1] > 0 else np.inf
        targets = ", ".join(f"'{problem.until[i]}'" for i in rows)
        params = ", ".join(f"'{problem.vary[i]}'" for i in cols)
        parts.append(f"the targets {targets} respond to {params} in the same proportion "
                     f"(condition number {cond:.3g})")
    return ("the specs are not independent, the Jacobian is singular at "
            f"{_values_text(problem.vary, x)}: " + "; ".join(parts)
            + _at_bounds(problem.vary, x, lo, hi) + _limit_text(problem.tried))
