"""The sparse linear block: the two ways of finding conserved outlets agree, and a
flowsheet solved once, again, and with changed parameters gives the same answers.
"""

from pathlib import Path

import numpy as np
import pytest

import flowsheet
import solvers.linear as linear
from solvers.linear import conserved_outlets


def random_coefficients(rng: np.random.Generator, units: int, ns: int):
    """Outlet coefficients of ``units`` units with 2-5 outlets each: some species summing
    to one exactly, some within 1e-9, some not at all, with ties for the largest."""
    groups, rows = [], []
    for _ in range(units):
        k = int(rng.integers(2, 6))
        block = rng.dirichlet(np.ones(k), size=ns).T               # columns sum to ~1
        block[:, rng.random(ns) < 0.2] *= 0.7                       # not conserved
        nudge = rng.random(ns) < 0.2
        block[0, nudge] += rng.choice([-2e-9, -5e-10, 5e-10, 2e-9], size=nudge.sum())
        tie = rng.random(ns) < 0.2
        block[:, tie] = 1.0 / k                                     # every outlet equal
        rows.append(block)
        groups.append(list(range(sum(map(len, groups)), sum(map(len, groups)) + k)))
    given = np.vstack(rows)
    order = rng.permutation(len(given))                             # rows in any order
    inverse = np.argsort(order)
    return given[order], [[int(inverse[r]) for r in g] for g in groups]


@pytest.mark.parametrize("seed", range(20))
def test_few_and_many_agree(seed, monkeypatch):
    """Plain floats (a few units) and arrays (many) find the same outlets and entries."""
    rng = np.random.default_rng(seed)
    given, groups = random_coefficients(rng, int(rng.integers(1, 30)), int(rng.integers(1, 9)))
    monkeypatch.setattr(linear, "_FEW_COEFFICIENTS", 10**9)
    few = conserved_outlets(given, groups)
    monkeypatch.setattr(linear, "_FEW_COEFFICIENTS", 0)
    many = conserved_outlets(given, groups)
    assert sorted(map(int, few[0])) == sorted(map(int, many[0]))
    assert (sorted(zip(map(int, few[1]), map(int, few[2]), strict=True))
            == sorted(zip(map(int, many[1]), map(int, many[2]), strict=True)))
    assert len(few[0]) > 0


def test_sums_in_outlet_order():
    """A species conserved only when its coefficients are added in outlet order counts as
    conserved either way (a pairwise or reversed sum would differ in the last bit)."""
    rng = np.random.default_rng(7)
    for _ in range(200):
        k = int(rng.integers(3, 8))
        column = rng.random(k) * 10.0 ** rng.integers(-12, 0, size=k)
        column[0] = 0.0
        total = 0.0
        for v in column[1:]:
            total += v
        column[0] = 1.0 - total - 1e-9          # the sum in order sits at the tolerance
        given = column[:, None]
        few = linear._conserved_few(given, [list(range(k))])
        many = linear._conserved_many(given, [list(range(k))])
        assert len(few[0]) == len(many[0])


def test_repeat_and_changed_solves_match_fresh_ones():
    """The block kept on the flowsheet gives, after a parameter change, the answer a
    freshly loaded flowsheet with that parameter gives."""
    text = """
flowsheet: loop
species: [{name: water}, {name: quartz}, {name: copper_sulfate}]
units:
  f: {type: feed, flows: {water: 100, quartz: 10, copper_sulfate: 1}}
  m: {type: mixer}
  s: {type: separator, outlets: [a, b], split: {quartz: 1, water: 0.5}}
  k: {type: splitter, fractions: {back: 0.999999998, purge: 1.0e-9, side: 1.0e-9}}
  p: {type: product}
  q: {type: product}
  r: {type: product}
streams:
  - {from: f, to: m}
  - {from: m, to: s}
  - {from: s.a, to: k}
  - {from: s.b, to: p}
  - {from: k.back, to: m}
  - {from: k.purge, to: q}
  - {from: k.side, to: r}
"""
    fs = flowsheet.loads(text)
    first, again = fs.solve(), fs.solve()
    assert np.array_equal(first.flows, again.flows)
    changed = fs.with_params({"f.flows.water": 80.0}).solve()
    fresh = flowsheet.loads(text.replace("water: 100", "water: 80.0")).solve()
    assert np.array_equal(changed.flows, fresh.flows)
    assert changed.closure.worst < 1e-9


def test_superlu_through_splu_gives_the_same_answer(monkeypatch):
    """Where scipy's SuperLU module cannot be called directly, splu gives the answer."""
    path = Path(__file__).parent / "data" / "leach_sx_ew.yaml"
    direct = flowsheet.load(path).solve()
    monkeypatch.setattr(linear, "_superlu", None)
    through = flowsheet.load(path).solve()
    assert np.array_equal(direct.flows, through.flows)
    assert np.array_equal(direct.temperatures, through.temperatures)
