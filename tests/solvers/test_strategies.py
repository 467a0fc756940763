"""The default solver strategy against the legacy one on shipped examples: the same
answers, fewer trial solves and recycle passes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import flowsheet
from flowsheet.errors import SchemaError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def relative_difference(a, b) -> float:
    scale = np.maximum(np.abs(a.flows).max(axis=0), 1e-12)
    return float((np.abs(a.flows - b.flows) / scale).max(initial=0.0))


@pytest.mark.parametrize("name", ["lead_kivcet", "copper_concentrate_to_cathode"])
def test_vector_specs_need_fewer_trial_solves_for_the_same_answer(name):
    """Broyden-updated spec Jacobians: fewer trial solves, the same answer to 1e-9."""
    fs = flowsheet.load(EXAMPLES / f"{name}.yaml")
    legacy = fs.solve(strategy="legacy")
    auto = fs.solve()
    assert relative_difference(legacy, auto) < 1e-9
    old, new = legacy.convergence.specs[0], auto.convergence.specs[0]
    assert new["evaluations"] < old["evaluations"]
    for path, value in old["vary"].items():
        assert new["vary"][path] == pytest.approx(value, rel=1e-8)


def test_sx_ew_spec_trials_reuse_the_recycle_jacobian():
    """The SX-EW example: the later trial solves of its design spec start from the
    recycle Jacobian an earlier trial left (the final one converges on it in a pass or
    two), and the answer holds. How many passes that saves is measured in
    bench/solver_speed.py (738 -> 217 with the locked numpy and scipy), not here: the
    cold first trial takes more passes at the lowest numpy and scipy allowed."""
    fs = flowsheet.load(EXAMPLES / "copper_leach_sx_ew.yaml")
    res = fs.solve()
    assert res.convergence.blocks[0]["method"] == "newton (reused Jacobian)"
    assert res.convergence.iterations <= 3
    assert res.value("ew.spent_metal") == pytest.approx(37.0, rel=1e-6)
    assert res.closure.worst < 1e-9


ONE_STREAM = """
flowsheet: t
species: [{name: water}]
units:
  a: {type: feed, flows: {water: 1}}
  p: {type: product}
streams: [{from: a, to: p}]
"""


def test_strategy_is_checked_like_any_solver_option():
    with pytest.raises(SchemaError, match="strategy"):
        flowsheet.loads(ONE_STREAM + "solver: {strategy: fastest}\n")
    fs = flowsheet.loads(ONE_STREAM + "solver: {strategy: legacy}\n")
    assert fs.solve().port_stream("p", "in").total == pytest.approx(1.0)


DEFAULTS = {"method": "wegstein", "linear": True, "tolerance": 1e-10, "max_iterations": 500,
            "tears": None, "wegstein_bounds": (-5.0, 0.0)}


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_solves_with_default_options(path):
    """Whatever solver options an example chose, the defaults solve it too, to the same
    answer within the tolerance's reach."""
    fs = flowsheet.load(path)
    chosen = fs.solve()
    default = fs.solve(**DEFAULTS)
    assert default.closure.worst < 1e-9
    assert relative_difference(chosen, default) < 1e-7


@pytest.mark.parametrize(("option", "value"), [("strategy", "fastest"), ("method", "bogus"),
                                               ("tolerance", 2.0)])
def test_a_solver_option_given_in_a_call_is_checked_too(option, value):
    """fs.solve(strategy=...) is held to what the file's solver: accepts: one line."""
    fs = flowsheet.loads(ONE_STREAM)
    with pytest.raises(SchemaError, match=f"solver option '{option}'"):
        fs.solve(**{option: value})
