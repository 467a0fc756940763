"""A recycle with a tiny bleed: the answer is the closed form to 1e-9, or an error.

The flowsheet: a feed (water 100 t/h, quartz 10 t/h) joins the recycle at a mixer; a
separator sends all quartz and half the water to a splitter, the rest of the water to a
product; the splitter returns 1 - b of what it gets and bleeds b. At steady state

* quartz: everything fed leaves through the bleed, 10 t/h, and the recycle carries
  10 (1 - b) / b;
* water: the product gets 100 / (1 + b), the bleed 100 b / (1 + b).
"""

from __future__ import annotations

import numpy as np
import pytest

import flowsheet
from flowsheet.checks import CLOSURE_LIMIT
from flowsheet.errors import BalanceError, ConvergenceError
from solvers.accelerators import converge

METHODS = ["wegstein", "direct", "broyden", "newton"]


def bleed_flowsheet(b: float, solver: str = "") -> flowsheet.model.Flowsheet:
    """The recycle with a bleed fraction ``b`` (written as the user writes it)."""
    return flowsheet.loads(f"""
flowsheet: bleed
species: [{{name: water}}, {{name: quartz}}]
units:
  f: {{type: feed, flows: {{water: 100, quartz: 10}}}}
  m: {{type: mixer}}
  s: {{type: separator, outlets: [a, b], split: {{quartz: 1, water: 0.5}}}}
  b: {{type: splitter, fractions: {{back: {1 - b!r}, purge: {b!r}}}}}
  p: {{type: product}}
  q: {{type: product}}
streams:
  - {{from: f, to: m}}
  - {{from: m, to: s}}
  - {{from: s.a, to: b}}
  - {{from: s.b, to: p}}
  - {{from: b.back, to: m}}
  - {{from: b.purge, to: q}}
{solver}
""", "bleed.yaml")


def closed_form(b: float) -> dict[str, dict[str, float]]:
    """Product flows (t/h) of :func:`bleed_flowsheet` at steady state."""
    return {"p": {"water": 100 / (1 + b), "quartz": 0.0},
            "q": {"water": 100 * b / (1 + b), "quartz": 10.0}}


def product_error(res, b: float) -> float:
    """The largest error of a product flow, relative to the flow or, for a trace, to a
    billionth of that species' feed (the benchmark's measure)."""
    feed = {"water": 100.0, "quartz": 10.0}
    worst = 0.0
    for unit, flows in closed_form(b).items():
        got = res.port_stream(unit, "in")
        for species, exact in flows.items():
            value = got.flows[res.flowsheet.table.index[species]]
            worst = max(worst, abs(value - exact) / max(abs(exact), 1e-9 * feed[species]))
    return worst


@pytest.mark.parametrize("method", METHODS)
def test_tiny_bleed_default_solve_is_the_closed_form(method):
    """With a 1e-9 bleed and default options -- whatever the tear method, a recycle of
    linear units is one sparse solve -- the products match the closed form and the
    balance closes to 1e-9. 0.999999999 and 1e-9 do not sum to one in binary; the
    solver takes the bleed as the exact complement of the return, so no mass is made."""
    res = bleed_flowsheet(1e-9).solve(method=method)
    assert product_error(res, 1e-9) < 1e-9
    assert res.closure.worst < CLOSURE_LIMIT
    recycle = res.stream("b.back->m").flows[res.flowsheet.table.index["quartz"]]
    # the recycle itself is a billion times as sensitive to the bleed as the products:
    # the bleed's binary value differs from 1e-9 by 3e-8 of itself
    assert recycle == pytest.approx(10 * (1 - 1e-9) / 1e-9, rel=1e-7)


@pytest.mark.parametrize("method", METHODS)
def test_tiny_bleed_torn_fails_rather_than_answer_wrong(method):
    """Forced through tear iteration, a recycle that circulates a billion times what it
    bleeds cannot be resolved in double precision: every method raises ConvergenceError
    naming the cause, with the residual history -- never a result off by 1e-8."""
    fs = bleed_flowsheet(1e-9, "solver: {linear: false}")
    with pytest.raises(ConvergenceError) as info:
        fs.solve(method=method)
    err = info.value
    assert err.history["b.back->m"]
    assert "larger bleed" in err.hint
    assert "rounds the tear" in err.message or "may still be" in err.message


@pytest.mark.parametrize("method", ["wegstein", "broyden", "newton"])
def test_small_bleed_torn_is_the_closed_form(method):
    """A 1e-4 bleed (the recycle carries 10,000 times the quartz fed) is within reach of
    tear iteration: the accelerated methods meet the closed form to 1e-9."""
    res = bleed_flowsheet(1e-4, "solver: {linear: false}").solve(method=method)
    assert product_error(res, 1e-4) < 1e-9
    assert res.closure.worst < CLOSURE_LIMIT
    assert res.convergence.blocks[-1]["distance"] <= 1e-10


def test_small_bleed_direct_substitution_says_how_far_it_is():
    """Direct substitution falls by a factor 1 - 1e-4 a pass: after its 500 passes each
    pass still changes the tear by little, and the error names that rate and the
    distance it implies instead of reporting convergence."""
    with pytest.raises(ConvergenceError) as info:
        bleed_flowsheet(1e-4, "solver: {linear: false}").solve(method="direct")
    message = info.value.message
    assert "1 - 0.0001 a pass" in message and "may still be" in message


def test_a_small_change_is_not_convergence_in_a_slow_loop():
    """What the distance test guards against: a pass of x = (1 - 1e-4) x + 1e-4 started
    0.1 % from its answer changes x by 1e-7 (relative), below a tolerance of 1e-6, while
    x is still 1e-3 away. Direct substitution must not stop there; Broyden's method,
    whose step estimates the error, lands on the answer."""
    def g(x):
        return (1 - 1e-4) * x + 1e-4

    start = np.array([0.999])
    kwargs = dict(floor=np.full(1, 1e-12), tolerance=1e-6, groups={"t": slice(0, 1)})
    with pytest.raises(ConvergenceError, match="may still be"):
        converge(g, start, method="direct", max_iterations=50, **kwargs)
    x, history, _ = converge(g, start, method="broyden", max_iterations=50, **kwargs)
    assert history["t"][0] < 1e-6
    assert abs(x[0] - 1.0) < 1e-6


def test_loose_tolerance_is_named_as_the_cause():
    """A tolerance of 1e-3 leaves the balance open by more than 1e-9: the BalanceError
    names the tolerance and the closure reached and suggests the default, instead of
    blaming a unit."""
    fs = bleed_flowsheet(0.1, "solver: {linear: false, method: direct}")
    with pytest.raises(BalanceError) as info:
        fs.solve(tolerance=1e-3)
    err = info.value
    assert "tolerance of 0.001" in err.message
    assert "1e-10" in err.hint
    assert "conserve" not in str(err)
