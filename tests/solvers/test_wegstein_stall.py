"""Bounded Wegstein hands a stalled recycle to Broyden's method, and says so."""

from __future__ import annotations

import numpy as np
import pytest

from flowsheet.errors import ConvergenceError
from solvers.accelerators import STALL_WINDOW, converge


def coupled_loop(gain: float = 0.995):
    """A linear pass g(x) = A x + b whose two variables are coupled (a rotation scaled to
    ``gain``): Wegstein's per-variable secants cannot see the coupling."""
    c, s = np.cos(0.6), np.sin(0.6)
    A = gain * np.array([[c, -s], [s, c]])
    b = np.array([1.0, 2.0])
    answer = np.linalg.solve(np.eye(2) - A, b)
    return (lambda x: A @ x + b), answer


@pytest.mark.parametrize(("strategy", "then", "most"),
                         [("legacy", "broyden", 200), ("auto", "broyden", 200)])
def test_stalled_wegstein_hands_over_and_converges(strategy, then, most):
    """The coupled loop stalls bounded Wegstein; the remaining passes go to the next
    method, which converges, and the report names both methods and the pass of the
    switch (Broyden under either strategy; Newton comes after it by default)."""
    g, answer = coupled_loop()
    report: dict = {}
    x, history, iterations = converge(g, np.zeros(2), floor=np.full(2, 1e-12),
                                      method="wegstein", tolerance=1e-10,
                                      max_iterations=500, groups={"t": slice(0, 2)},
                                      lower=np.full(2, -np.inf), report=report,
                                      strategy=strategy)
    assert report["method"] == f"wegstein+{then}"
    assert 2 * STALL_WINDOW < report["switched_at"] < iterations < most
    assert np.allclose(x, answer, rtol=1e-8)


def test_a_loop_wegstein_converges_is_left_alone():
    """An uncoupled loop converges by Wegstein alone: no switch is reported."""
    report: dict = {}
    converge(lambda x: 0.9 * x + 1.0, np.zeros(3), floor=np.full(3, 1e-12),
             method="wegstein", tolerance=1e-12, max_iterations=100,
             groups={"t": slice(0, 3)}, report=report)
    assert (report["method"], report["switched_at"]) == ("wegstein", None)


def test_direct_substitution_never_switches():
    """Only the default method hands over; 'direct' fails as asked, naming itself."""
    g, _ = coupled_loop()
    with pytest.raises(ConvergenceError, match=r"\(direct\)"):
        converge(g, np.zeros(2), floor=np.full(2, 1e-12), method="direct",
                 tolerance=1e-10, max_iterations=100, groups={"t": slice(0, 2)},
                 lower=np.full(2, -np.inf))
