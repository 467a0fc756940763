"""Newton on the live variables of a tear, with a Jacobian reused between solves."""

from __future__ import annotations

import numpy as np
import pytest

from solvers.accelerators import converge
from solvers.quasi_newton import JacobianMemo, column_groups, newton_live


def recorder(tol: float = 1e-13):
    """A record function that accepts a pass whose change is below ``tol``, and counts."""
    passes: list[float] = []

    def record(x, gx, step=None) -> bool:
        passes.append(float(np.abs(gx - x).max()))
        return passes[-1] < tol
    return record, passes


def padded_loop(n_live: int = 4, n_dead: int = 60, gain: float = 0.9):
    """A coupled linear loop of ``n_live`` variables inside a tear of ``n_dead`` more that
    never move (the size slots of a liquid stream, absent species)."""
    rng = np.random.default_rng(3)
    A = gain * rng.random((n_live, n_live)) / n_live
    b = rng.random(n_live)

    def g(x):
        out = np.zeros_like(x)
        out[:n_live] = A @ x[:n_live] + b
        return out
    answer = np.linalg.solve(np.eye(n_live) - A, b)
    return g, answer


def test_only_live_variables_are_differenced():
    """A 64-variable tear with 4 live ones costs one difference per live variable: the
    held 60 are never perturbed. The answer is the fixed point to rounding."""
    g, answer = padded_loop()
    record, passes = recorder()
    x, n, ok, memo = newton_live(g, np.zeros(64), record, np.zeros(64),
                                 floor=np.full(64, 1e-12), cap=np.full(64, np.inf),
                                 max_it=100)
    assert ok and np.allclose(x[:4], answer, rtol=1e-12) and not x[4:].any()
    assert sorted(memo.live.tolist()) == [0, 1, 2, 3]
    assert n <= 4 + 4 + 3          # two substitutions, 4 differences, a step or two


def test_a_reused_jacobian_costs_no_difference():
    """The second solve of the same loop, moved a little, starts from the first one's
    Jacobian: it converges in a few passes, none of them a difference."""
    g, _ = padded_loop()
    record, _ = recorder()
    floor, cap, lower = np.full(64, 1e-12), np.full(64, np.inf), np.zeros(64)
    x, n_cold, ok, memo = newton_live(g, np.zeros(64), record, lower, floor=floor, cap=cap,
                                      max_it=100)

    def moved(z):
        return g(z) + np.r_[1e-3, np.zeros(63)]
    record2, passes = recorder()
    x2, n_warm, ok2, memo2 = newton_live(moved, x, record2, lower, floor=floor, cap=cap,
                                         max_it=100, memo=memo)
    assert ok2 and n_warm <= 4 < n_cold      # a substitution, a step, their passes
    assert memo2.differences == 0
    assert np.allclose(moved(x2), x2, rtol=0, atol=1e-13)


def test_a_held_variable_that_moves_becomes_live():
    """A variable the first passes do not reach (a species a reaction makes only from what
    the recycle brings back) is held at first and made live once it moves."""
    def g(x):
        y = np.array([0.5 * x[0] + 1.0, 0.0, 0.0])
        if x[0] > 1.5:                   # the second variable appears once x0 is large
            y[1] = 0.3 * x[0] + 0.1 * x[1]
        y[2] = 0.5 * x[2]
        return y
    record, _ = recorder()
    x, n, ok, memo = newton_live(g, np.zeros(3), record, np.zeros(3),
                                 floor=np.full(3, 1e-12), cap=np.full(3, np.inf), max_it=60)
    assert ok and np.allclose(x, [2.0, 0.6 / 0.9, 0.0], rtol=1e-12)
    assert 1 in memo.live.tolist()


def test_column_groups_share_no_row():
    """Grouped columns never share a non-zero row, and every column is in one group."""
    rng = np.random.default_rng(0)
    P = rng.random((30, 30)) < 0.08
    P[np.diag_indices(30)] = True
    groups = column_groups(P)
    assert sorted(np.concatenate(groups).tolist()) == list(range(30))
    for group in groups:
        assert (P[:, group].sum(axis=1) <= 1).all()
    assert len(groups) < 30


def test_wegstein_hands_an_unstable_loop_over():
    """A strongly coupled pass with a gain above one, which direct substitution and
    Wegstein's per-variable secants cannot converge, is handed over and solved."""
    A = np.array([[0.2, 1.6], [1.3, 0.1]])
    b = np.array([1.0, 1.0])
    answer = np.linalg.solve(np.eye(2) - A, b)
    report: dict = {}
    x, _, _ = converge(lambda x: A @ x + b, np.zeros(2), floor=np.full(2, 1e-12),
                       method="wegstein", tolerance=1e-12, max_iterations=300,
                       groups={"t": slice(0, 2)}, lower=np.full(2, -np.inf), report=report)
    assert report["method"].startswith("wegstein+")
    assert np.allclose(x, answer, rtol=1e-10)


def test_newton_leaves_its_jacobian_for_the_next_solve():
    """converge(method='newton') reports the Jacobian memo; handed back, the next solve
    of the moved loop says it reused it."""
    g, _ = padded_loop()
    kwargs = dict(floor=np.full(64, 1e-12), tolerance=1e-12, max_iterations=100,
                  groups={"t": slice(0, 64)}, lower=np.zeros(64))
    first: dict = {}
    x, _, _ = converge(g, np.zeros(64), method="newton", report=first, **kwargs)
    assert isinstance(first["memo"], JacobianMemo)
    second: dict = {}
    converge(lambda z: g(z) + np.r_[1e-4, np.zeros(63)], x, method="newton",
             report=second, memo=first["memo"], **kwargs)
    assert second["method"] == "newton (reused Jacobian)"


@pytest.mark.parametrize("method", ["direct", "wegstein", "broyden", "newton"])
def test_both_strategies_reach_the_same_fixed_point(method):
    """auto and legacy converge a contraction to the same point within the tolerance."""
    g, answer = padded_loop(gain=0.6)
    out = {}
    for strategy in ("legacy", "auto"):
        x, _, _ = converge(g, np.zeros(64), floor=np.full(64, 1e-12), method=method,
                           tolerance=1e-12, max_iterations=300, groups={"t": slice(0, 64)},
                           lower=np.zeros(64), strategy=strategy)
        out[strategy] = x
    assert np.allclose(out["auto"], out["legacy"], rtol=1e-11, atol=0)
    assert np.allclose(out["auto"][:4], answer, rtol=1e-11)
