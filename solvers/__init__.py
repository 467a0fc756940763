"""Solvers: sequential-modular (tears and acceleration), linear (one sparse solve),
design specifications (Newton), and -- later -- dynamic time stepping.

:func:`solve` is what :meth:`flowsheet.model.Flowsheet.solve` calls (through the
``flowsheet.solvers`` entry point).
"""

from __future__ import annotations

from typing import Any

from flowsheet.checks import check_balance
from flowsheet.results import Results

__all__ = ["solve"]


def solve(fs, **options: Any) -> Results:
    """Solve ``fs`` at steady state, running its design specs if it has any.

    Raises :class:`~flowsheet.errors.ConvergenceError`,
    :class:`~flowsheet.errors.DesignSpecError` or :class:`~flowsheet.errors.BalanceError`
    (a closure worse than :data:`flowsheet.checks.CLOSURE_LIMIT`) rather than return a
    result that is not one.
    """
    from solvers.sequential import solve_steady

    tolerance = options.get("tolerance", getattr(fs.solver_options, "tolerance", None))
    if fs.specs and options.pop("specs", True):
        from solvers.newton import solve_specs

        results = solve_specs(fs, **options)
    else:
        options.pop("specs", None)
        results = solve_steady(fs, **options)
    check_balance(results, tolerance=tolerance)
    return results
