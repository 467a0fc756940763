"""Failed solves name their culprit, keep their history and print no Python reprs.

Design specs whose Jacobian is singular name the parameters, targets and units at a
limit; a failed ``flowsheet run`` writes ``convergence.csv`` (its only file) and the run
store keeps the history that ``flowsheet runs ID`` shows.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

import flowsheet
from flowsheet.errors import DesignSpecError, FlowsheetError

ROOT = Path(__file__).resolve().parents[2]

#: Oxygen for a third of the reaction's demand at conversion 0.5: the roaster is short of
#: oxygen at every trial, so neither its conversion nor the concentrate fed moves the
#: zinc oxide made.
ROAST = """
flowsheet: roast
species: [{name: sphalerite}, {name: oxygen}, {name: zincite}, {name: sulfur_dioxide}]
units:
  conc: {type: feed, flows: {sphalerite: 97.474, oxygen: 16}}
  roast: {type: stoichiometric_reactor, reactions: [{equation: "2 ZnS + 3 O2 -> 2 ZnO + 2 SO2",
          key: sphalerite, conversion: 0.5}]}
  out: {type: product}
streams: [{from: conc, to: roast}, {from: roast, to: out}]
specs:
  - {vary: [roast.reactions.0.conversion, conc.flows.sphalerite],
     until: [out.in.flows.zincite, out.in.flows.sphalerite], equals: [30, 60],
     bounds: [[0, 1], [50, 200]]}
solver: {linear: false}
"""

BASE = """
flowsheet: spec
species: [{name: water}, {name: quartz}]
units:
  feed:  {type: feed, flows: {water: 10, quartz: 5}}
  extra: {type: feed, flows: {water: 1}}
  mix:   {type: mixer}
  sep:   {type: separator, outlets: [under, over], split: {quartz: 0.9, water: 0.3}}
  back:  {type: splitter, fractions: {recycle: 0.5, purge: 0.5}}
  under: {type: product}
  purge: {type: product}
streams:
  - {from: feed, to: mix}
  - {from: extra, to: mix}
  - {from: back.recycle, to: mix}
  - {from: mix, to: sep}
  - {from: sep.under, to: under}
  - {from: sep.over, to: back}
  - {from: back.purge, to: purge}
"""

#: A recycle that returns all but 1e-9: direct substitution cannot converge it.
TIGHT = """
flowsheet: tight
species: [{name: water}, {name: quartz}]
units:
  f: {type: feed, flows: {water: 100, quartz: 10}}
  m: {type: mixer}
  s: {type: separator, outlets: [a, b], split: {quartz: 1, water: 0.5}}
  b: {type: splitter, fractions: {back: 0.999999999, purge: 1.0e-9}}
  p: {type: product}
  q: {type: product}
streams:
  - {from: f, to: m}
  - {from: m, to: s}
  - {from: s.a, to: b}
  - {from: s.b, to: p}
  - {from: b.back, to: m}
  - {from: b.purge, to: q}
solver: {linear: false, method: direct, max_iterations: 40}
"""

#: A 10 % bleed iterated by direct substitution: fine at the default tolerance, open
#: by far more than 1e-9 at a tolerance of 1e-3.
LOOSE = TIGHT.replace("0.999999999", "0.9").replace("1.0e-9", "0.1").replace(
    "max_iterations: 40", "max_iterations: 500")


def flowsheet_cli(*args, home: Path) -> subprocess.CompletedProcess:
    """``python -m flowsheet.cli ARGS`` of this tree in ``home``, with the run store in
    ``home``."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "FLOWSHEET_RUNS": str(home / "runs.sqlite"), "PYTHONPATH": path}
    return subprocess.run([sys.executable, "-m", "flowsheet.cli", *map(str, args)],
                          capture_output=True, text=True, env=env, cwd=home, timeout=300,
                          check=False)


def spec_error(text: str) -> DesignSpecError:
    with pytest.raises(DesignSpecError) as info:
        flowsheet.loads(text, "spec.yaml").solve()
    return info.value


def test_singular_jacobian_names_specs_and_units_at_a_limit():
    """A spec Jacobian with a zero column and a zero row names the parameter that moves
    no target, the target no parameter moves, and the unit that sat at a limit (the
    roaster, short of oxygen) during the trial solves; each trial records it."""
    err = spec_error(ROAST)
    message = err.message
    assert "Jacobian is singular" in message
    assert "varying 'roast.reactions.0.conversion' (spec 1) moves none of the targets" \
        in message
    assert "no varied parameter moves 'out.in.flows.zincite'" in message
    assert "'roast' (oxygen)" in message
    assert all(t["limits"] == {"roast": "oxygen"} for t in err.report["tried"])


def test_dependent_specs_are_named():
    """Two targets that both follow the total water fed, varied through two feeds of
    water: no row or column is zero, but the Jacobian has rank one; the error names both
    targets and both parameters as dependent."""
    err = spec_error(BASE + """specs:
  - {vary: [feed.flows.water, extra.flows.water],
     until: [under.in.flows.water, purge.in.flows.water], equals: [6, 3],
     bounds: [[1, 50], [0.5, 50]]}
""")
    message = err.message
    assert "respond to" in message and "same proportion" in message
    for name in ("under.in.flows.water", "purge.in.flows.water", "feed.flows.water",
                 "extra.flows.water"):
        assert f"'{name}'" in message


def test_failed_run_writes_only_convergence_csv_and_runs_shows_it(tmp_path):
    """A run that does not converge exits 2 with one line, writes convergence.csv (tear,
    iteration, residual: one row per pass) and nothing else, and `flowsheet runs ID`
    shows the last iterations of the tear from the run store."""
    (tmp_path / "tight.yaml").write_text(TIGHT)
    proc = flowsheet_cli("run", "tight.yaml", "-o", "out", home=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["convergence.csv"]
    with open(tmp_path / "out" / "convergence.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["tear", "iteration", "residual"]
    assert [int(r["iteration"]) for r in rows] == list(range(1, 41))
    assert {r["tear"] for r in rows} == {"b.back->m"}
    shown = flowsheet_cli("runs", "1", home=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "convergence history" in shown.stdout
    lines = [ln for ln in shown.stdout.splitlines() if ln.strip().startswith("b.back->m")]
    assert [int(ln.split()[1]) for ln in lines] == [36, 37, 38, 39, 40]


def test_failed_spec_writes_its_evaluations(tmp_path):
    """A design spec that fails writes convergence.csv with one row per evaluation: the
    parameter values, the relative residual of each target and the units at a limit."""
    (tmp_path / "roast.yaml").write_text(ROAST)
    proc = flowsheet_cli("run", "roast.yaml", "-o", "out", "--no-store", home=tmp_path)
    assert proc.returncode == 2
    with open(tmp_path / "out" / "convergence.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:3] == ["evaluation", "roast.reactions.0.conversion",
                                 "conc.flows.sphalerite"]
    assert "residual out.in.flows.zincite" in rows[0]
    assert float(rows[0]["roast.reactions.0.conversion"]) == 0.5
    assert {r["limits"] for r in rows} == {"roast: oxygen"}


def test_loose_tolerance_on_the_command_line(tmp_path):
    """`--tolerance 1e-3` on a recycle iterated by direct substitution: exit 2, the
    message names the tolerance and the default, and no file is written."""
    (tmp_path / "loose.yaml").write_text(LOOSE)
    proc = flowsheet_cli("run", "loose.yaml", "-o", "out", "--tolerance", "1e-3",
                         "--no-store", home=tmp_path)
    assert proc.returncode == 2
    assert "tolerance of 0.001" in proc.stderr and "default 1e-10" in proc.stderr
    assert "conserve" not in proc.stderr
    assert not (tmp_path / "out").exists()
    assert flowsheet_cli("run", "loose.yaml", "-o", "out", "--no-store",
                         home=tmp_path).returncode == 0


def failure_messages() -> list[str]:
    """The messages of every failure path of the solvers and the design specs."""
    cases = [
        lambda: flowsheet.loads(TIGHT).solve(),                                # direct
        lambda: flowsheet.loads(TIGHT).solve(method="broyden"),                # rounding
        lambda: flowsheet.loads(TIGHT).solve(method="newton"),
        lambda: flowsheet.loads(LOOSE).solve(tolerance=1e-3),                  # balance
        lambda: flowsheet.loads(ROAST).solve(),                                # singular
        lambda: flowsheet.loads(BASE + """specs:
  - {vary: [feed.flows.water, extra.flows.water],
     until: [under.in.flows.water, purge.in.flows.water], equals: [6, 3],
     bounds: [[1, 50], [0.5, 50]]}
""").solve(),                                                                   # dependent
        lambda: flowsheet.loads(BASE + """specs:
  - {vary: feed.flows.water, until: under.in.flows.water, equals: 600, bounds: [1, 50]}
""").solve(),                                                                   # infeasible
        lambda: flowsheet.loads(BASE + """specs:
  - {vary: feed.flows.quartz, until: under.in.flows.water, equals: 6}
""").solve(),                                                                   # no response
        lambda: flowsheet.loads(BASE + """specs:
  - {vary: [feed.flows.quartz, feed.flows.water],
     until: [under.in.flows.quartz, under.in.flows.water], equals: [900, 6],
     bounds: [[1, 50], [1, 50]]}
""").solve(),                                                                   # stuck
        lambda: flowsheet.loads(TIGHT + """specs:
  - {vary: f.flows.water, until: p.in.flows.water, equals: 60, bounds: [50, 200]}
""").solve(),                                                                   # trial fails
    ]
    messages = []
    for case in cases:
        with pytest.raises(FlowsheetError) as info:
            case()
        messages.append(str(info.value))
    return messages


def test_no_python_reprs_in_failure_messages():
    """No failure message of the solvers or the design specs shows a numpy scalar's repr,
    an array or a dict: numbers are formatted, names quoted."""
    messages = failure_messages()
    assert len(messages) == 10
    for message in messages:
        for bad in ("np.float64", "array(", "{'", "np.int64"):
            assert bad not in message, message


def test_balance_error_names_the_unit_that_makes_mass():
    """A solution in which one stream carries a millionth more than its unit sends (as a
    unit that does not conserve mass would leave it) fails the 1e-9 closure, and the
    error names that unit and how much it makes, in one line without reprs."""
    from flowsheet.checks import check_balance
    from flowsheet.errors import BalanceError

    res = flowsheet.loads(BASE).solve()
    res.flows[res.flowsheet.by_name["sep.under->under"].index] *= 1 + 1e-6
    res._closure = None
    with pytest.raises(BalanceError) as info:
        check_balance(res)
    err = info.value
    assert err.location.unit == "sep"
    assert "unit 'sep' gains or loses the most" in err.message
    assert "{'" not in str(err) and "\n" not in str(err)
