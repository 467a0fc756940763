"""Design specifications: vary parameters until quantities of the solution equal targets.

One varied parameter is solved by bracketed root finding -- Brent's method
(:func:`scipy.optimize.brentq`) between the spec's bounds, after checking that the target
lies between the values at the bounds -- or, without bounds, by the secant method. Several
are solved together by Newton's method with a forward-difference Jacobian, steps clipped
to the bounds and halved until the residual falls. Every evaluation is a full steady-state
solve warm-started from the previous one. A target that cannot be met raises
:class:`~flowsheet.errors.DesignSpecError` with every point tried; a result is never
returned unless the spec holds.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from scipy.optimize import brentq

from flowsheet.errors import DesignSpecError, FlowsheetError
from flowsheet.results import Results
from solvers.sequential import solve_steady, verify_units

__all__ = ["solve_specs"]


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

    def __call__(self, values: np.ndarray) -> np.ndarray:
        fs = self.fs.with_params(dict(zip(self.vary, map(float, values), strict=True)))
        opts = dict(self.options, verify=False)
        if self.last is not None:
            opts["initial"] = self.last
        results = solve_steady(fs, **opts)
        self.iterations += results.convergence.iterations
        achieved = np.array([results.value(p) for p in self.until])
        self.last = results
        residual = (achieved - self.targets) / self.scale
        self.tried.append({"values": [float(v) for v in values],
                           "achieved": achieved.tolist(),
                           "relative_residual": residual.tolist()})
        if self.progress is not None:
            self.progress("design spec", len(self.tried), float(np.max(np.abs(residual))))
        return residual


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
        raise DesignSpecError(
            f"a solve failed while meeting the design spec ({err})",
            report={"tried": problem.tried}, location=location) from None
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
                f"'{problem.vary[0]}' goes from {lo:g} to {hi:g}; the target "
                f"{problem.targets[0]:.6g} is not between them",
                hint="widen the bounds or change the target")
        if abs(r_lo) <= tol:
            return lo
        if abs(r_hi) <= tol:
            return hi
        x, info = brentq(lambda v: problem(np.array([v]))[0], lo, hi, xtol=1e-12 * (hi - lo),
                         rtol=1e-14, maxiter=max_it, full_output=True, disp=False)
        if not info.converged:
            raise DesignSpecError(f"no convergence in {max_it} iterations ({info.flag})")
        return float(x)
    # secant without bounds
    x_prev, r_prev = x0, r0
    x = x0 * (1 + 1e-3) if x0 != 0 else 1e-3
    for _ in range(max_it):
        r = problem(np.array([x]))[0]
        if abs(r) <= tol:
            return x
        if r == r_prev:
            break
        x_prev, r_prev, x = x, r, x - r * (x - x_prev) / (r - r_prev)
    raise DesignSpecError(f"no convergence in {max_it} iterations: last residual "
                          f"{r_prev:.3g} (relative)", hint="give bounds to bracket the answer")


def _vector(problem: _Problem, x: np.ndarray, bounds, tol: float, max_it: int) -> np.ndarray:
    lo = np.array([b[0] if b else -np.inf for b in bounds])
    hi = np.array([b[1] if b else np.inf for b in bounds])
    x = np.clip(x, lo, hi)
    r = problem(x)
    for _ in range(max_it):
        if np.max(np.abs(r)) <= tol:
            return x
        n = len(x)
        J = np.empty((n, n))
        for i in range(n):
            h = 1e-6 * max(abs(x[i]), 1.0)
            if x[i] + h > hi[i]:
                h = -h
            xp = x.copy()
            xp[i] += h
            J[:, i] = (problem(xp) - r) / h
        try:
            dx = np.linalg.solve(J, -r)
        except np.linalg.LinAlgError:
            raise DesignSpecError("the specs are not independent: the Jacobian is singular "
                                  f"at {x.tolist()}") from None
        lam, norm = 1.0, float(np.linalg.norm(r))
        while True:
            x_new = np.clip(x + lam * dx, lo, hi)
            r_new = problem(x_new)
            if float(np.linalg.norm(r_new)) < norm or lam < 1e-4:
                break
            lam *= 0.5
        if np.allclose(x_new, x, rtol=1e-14, atol=0) and np.max(np.abs(r_new)) > tol:
            raise DesignSpecError(f"infeasible within the bounds: stuck at {x.tolist()} with "
                                  f"relative residuals {r_new.tolist()}",
                                  hint="widen the bounds or change the targets")
        x, r = x_new, r_new
    if np.max(np.abs(r)) <= tol:
        return x
    raise DesignSpecError(f"no convergence in {max_it} Newton iterations: relative "
                          f"residuals {r.tolist()}")
