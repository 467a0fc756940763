"""CCD washing: the ccd_train unit against the closed form (WR - 1)/(WR^(n+1) - 1)
(SysCAD documentation, "Counter Current Decantation"; WR = 2, n = 3 -> 1/15) and against
the same train built from thickener and mixer units and solved by the recycle solver."""

import time

import pytest

import flowsheet
from flowsheet.species import SpeciesTable
from flowsheet.stream import Stream
from flowsheet.unit import Context
from units.hydro.washing import CcdTrain, ccd_soluble_loss

TABLE = SpeciesTable.from_declarations([{"name": "water"}, {"name": "copper_sulfate"},
                                        {"name": "gangue", "formula": "SiO2",
                                         "phase": "solid"}])


def train(stages, wash_ratio, **extra):
    unit = CcdTrain.from_config("ccd", {"stages": stages, "liquid_solids_ratio": 0.6}
                                | extra, Context(TABLE))
    feed = Stream(TABLE, [60.0 - 1e-6, 1e-6, 100.0])
    wash = Stream(TABLE, [60.0 * wash_ratio, 0.0, 0.0])
    return unit.run({"feed": [feed], "wash": [wash]})


def test_published_case():
    """WR = 2, n = 3: 6.67 % of the soluble stays in the washed residue."""
    _, rep = train(3, 2.0)
    assert rep["soluble_loss"] / 100 == pytest.approx(1 / 15, rel=1e-9)
    assert rep["wash_efficiency"] == pytest.approx(100 * 14 / 15, rel=1e-9)
    assert ccd_soluble_loss(2.0, 3) == pytest.approx(1 / 15, rel=1e-14)


@pytest.mark.parametrize("stages", [1, 2, 5, 10])
@pytest.mark.parametrize("wash_ratio", [1.0, 1.5, 3.0])
def test_closed_form(stages, wash_ratio):
    """Any stages and wash ratio (including WR = 1): one linear solve equals the closed
    form, and the report's wash ratio is the one fed."""
    out, rep = train(stages, wash_ratio)
    assert rep["wash_ratio"] == pytest.approx(wash_ratio, rel=1e-12)
    assert rep["soluble_loss"] == pytest.approx(rep["ideal_soluble_loss"], rel=1e-9)


def test_carryover_conserves():
    """Solids carried over recycle inside the train; every species still balances."""
    out, rep = train(4, 2.0, overflow_solids="2 %")
    total = out["underflow"].flows + out["overflow"].flows
    assert total == pytest.approx([60.0 * 3 - 1e-6, 1e-6, 100.0], rel=1e-12)
    assert 2.0 < out["overflow"].solids < 2.2        # 2 % of stage 1, which holds recycled solids


def thickener_text(stages: int, wash_ratio: float) -> str:
    units = ["  slurry: {type: feed, flows: {gangue: 100, water: 59, copper_sulfate: 1}}",
             f"  wash: {{type: feed, flows: {{water: {60 * wash_ratio!r}}}}}",
             "  pls: {type: product}", "  residue: {type: product}"]
    streams = ["  - {from: slurry, to: mix1}", f"  - {{from: wash, to: mix{stages}}}",
               "  - {from: thick1.overflow, to: pls}",
               f"  - {{from: thick{stages}.underflow, to: residue}}"]
    for k in range(1, stages + 1):
        units += [f"  mix{k}: {{type: mixer}}",
                  f"  thick{k}: {{type: thickener, liquid_solids_ratio: 0.6}}"]
        streams.append(f"  - {{from: mix{k}, to: thick{k}}}")
        if k < stages:
            streams += [f"  - {{from: thick{k}.underflow, to: mix{k + 1}}}",
                        f"  - {{from: thick{k + 1}.overflow, to: mix{k}}}"]
    return ("flowsheet: ccd-thickeners\nspecies: [{name: water}, {name: copper_sulfate}, "
            "{name: gangue, formula: SiO2, phase: solid}]\nunits:\n" + "\n".join(units)
            + "\nstreams:\n" + "\n".join(streams) + "\n")


@pytest.mark.parametrize("stages", [3, 5])
def test_thickener_flowsheet_equals_train(stages):
    """N thickeners and mixers solved by the recycle solver (nested recycles) give the
    train's residue and the closed form, with closure below 1e-9."""
    began = time.perf_counter()
    res = flowsheet.loads(thickener_text(stages, 2.0)).solve()
    seconds = time.perf_counter() - began
    assert res.closure.worst < 1e-9
    lost = res.value("residue.in.flows.copper_sulfate")
    assert lost == pytest.approx(float(ccd_soluble_loss(2.0, stages)), rel=1e-8)
    unit = CcdTrain.from_config("ccd", {"stages": stages, "liquid_solids_ratio": 0.6},
                                Context(TABLE))
    out, _ = unit.run({"feed": [Stream(TABLE, [59.0, 1.0, 100.0])],
                       "wash": [Stream(TABLE, [120.0, 0.0, 0.0])]})
    assert out["underflow"].flows[1] == pytest.approx(lost, rel=1e-8)
    print(f"{stages} thickeners: {res.convergence.iterations} iterations, "
          f"{res.convergence.unit_runs} unit runs, {seconds:.3f} s")
