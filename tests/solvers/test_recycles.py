"""Recycles with nonlinear units, size distributions and temperatures."""

from pathlib import Path

import numpy as np
import pytest

import flowsheet
from flowsheet.errors import UnitRunError

EXAMPLE = Path(__file__).parents[2] / "examples" / "copper_oxide_leach_ew.yaml"

SIZED = """
flowsheet: sized
species: [{name: quartz}, {name: hematite}, {name: water}]
size_grid: {top: 4 mm, bottom: 38 um}
units:
  feed: {type: feed, flows: {quartz: 80, hematite: 20, water: 60}, temperature: 30,
         psd: {quartz: {model: rosin_rammler, p80: 600 um, m: 1.0},
               hematite: {model: gates_gaudin_schuhmann, p80: 300 um, m: 0.8}}}
  water: {type: feed, flows: {water: 100}, temperature: 10}
  mix: {type: mixer}
  cyc: {type: separator, outlets: [under, over],
        split: {quartz: 0.7, hematite: 0.85, water: 0.3}}
  ret: {type: splitter, fractions: {back: 0.8, out: 0.2}}
  over: {type: product}
  purge: {type: product}
streams:
  - {from: feed, to: mix}
  - {from: water, to: mix}
  - {from: ret.back, to: mix}
  - {from: mix, to: cyc}
  - {from: cyc.under, to: ret}
  - {from: cyc.over, to: over}
  - {from: ret.out, to: purge}
"""


@pytest.mark.parametrize("method", ["wegstein", "direct", "broyden", "newton"])
def test_example_hybrid_and_classic_agree(method):
    """The leach-EW example (nonlinear reactors in the recycle) gives the same answer
    whether linear units are solved in one sparse solve per pass (hybrid) or every unit
    is run in turn (classic tearing)."""
    fs = flowsheet.load(EXAMPLE)
    hybrid = fs.solve(specs=False, method=method)
    classic = fs.solve(specs=False, method=method, linear=False)
    assert hybrid.convergence.blocks[-1]["kind"] == "hybrid"
    assert classic.convergence.blocks[-1]["kind"] == "recycle"
    assert len(hybrid.convergence.tears) < len(classic.convergence.tears) + 1
    assert np.allclose(hybrid.flows, classic.flows, rtol=1e-7, atol=1e-9)
    assert np.allclose(hybrid.temperatures, classic.temperatures, rtol=1e-7)
    assert hybrid.closure.worst < 1e-9 and classic.closure.worst < 1e-9


def test_example_design_spec():
    """The example's spec: the ore feed that yields 12 t/h of cathode copper."""
    res = flowsheet.load(EXAMPLE).solve()
    assert res.value("cathode.in.flows.copper") == pytest.approx(12.0, rel=1e-8)
    assert res.closure.worst < 1e-9


def test_size_distributions_through_recycle():
    """Each mineral keeps its own distribution through a split-by-species recycle: the
    sparse solve (sizes as extra right-hand sides) and the tear iteration agree, and the
    mixer's distribution is the mass-weighted mean of its inlets."""
    fs = flowsheet.loads(SIZED)
    exact = fs.solve()
    torn = fs.solve(linear=False, method="newton")
    assert exact.convergence.linear_solves == 1
    assert np.allclose(exact.psd, torn.psd, atol=1e-9)
    over = exact.stream("cyc.over->over")
    feed = exact.stream("feed->mix")
    # a fixed split by species cannot change a species' distribution
    assert np.allclose(over.size_distribution("quartz"), feed.size_distribution("quartz"))
    assert over.p80 == pytest.approx(feed.percentile(80.0, None), rel=0.2)
    assert feed.percentile(80.0, "hematite") == pytest.approx(300.0, rel=0.03)
    mix = exact.stream("mix->cyc")
    inlets = [exact.stream(n) for n in ("feed->mix", "water->mix", "ret.back->mix")]
    mass = sum(s.size_matrix for s in inlets)
    assert np.allclose(mix.size_matrix, mass)


def test_temperatures_mix_by_heat_capacity():
    """Temperatures of the sparse solve equal those of running the units in turn."""
    fs = flowsheet.loads(SIZED)
    exact = fs.solve()
    torn = fs.solve(linear=False, method="newton")
    assert np.allclose(exact.temperatures, torn.temperatures, rtol=1e-9)
    assert 10.0 < exact.stream("mix->cyc").temperature < 30.0


def test_reactor_short_of_reagent_fails():
    """When the converged inlet cannot supply the stated conversion, the solve fails with
    a message naming the reagent -- never a silent lower conversion."""
    text = EXAMPLE.read_text().replace("acid:       {type: feed, flows: {sulfuric_acid: 12",
                                       "acid:       {type: feed, flows: {sulfuric_acid: 0.1")
    fs = flowsheet.loads(text, "short.yaml")
    with pytest.raises(UnitRunError, match="not enough sulfuric_acid") as info:
        fs.solve(specs=False)
    assert info.value.location.unit == "leach"


def test_ill_conditioned_loop():
    """A species that passes a loop millions of times before leaving: the sparse solve is
    exact; tear iteration, if it cannot meet the tolerance, says so -- it never returns a
    wrong answer."""
    from flowsheet.errors import ConvergenceError

    stages = "\n".join(
        f"  s{k}: {{type: separator, outlets: [a, b], split: {{water: 0.5, dodecane: 0.06}}}}"
        for k in range(4, 9))
    links = "\n".join(f"  - {{from: s{k}.b, to: m2}}\n  - {{from: s{k}.a, to: s{k + 1}}}"
                      for k in range(4, 8))
    text = f"""
flowsheet: loop
species: [{{name: water}}, {{name: dodecane}}]
units:
  f1: {{type: feed, flows: {{water: 1, dodecane: 128}}}}
  m2: {{type: mixer}}
{stages}
  p9: {{type: product}}
streams:
  - {{from: f1, to: m2}}
  - {{from: m2, to: s4}}
{links}
  - {{from: s8.b, to: m2}}
  - {{from: s8.a, to: p9}}
"""
    fs = flowsheet.loads(text)
    exact = fs.solve()
    assert exact.value("p9.in.flows.dodecane") == pytest.approx(128.0, rel=1e-9)
    try:
        torn = fs.solve(linear=False, method="newton", max_iterations=200)
    except ConvergenceError as err:
        assert err.history
    else:
        assert torn.value("p9.in.flows.dodecane") == pytest.approx(128.0, rel=1e-6)
