"""The Unit base class and registry: ports, parameters by path, holdups, entry points."""

from importlib.metadata import EntryPoint

import numpy as np
import pytest

import flowsheet
from flowsheet import plugins
from flowsheet.errors import SchemaError
from flowsheet.unit import Holdup, Outcome, Params, Unit

TEXT = """
flowsheet: bin
species: [{name: water}, {name: quartz}]
units:
  mine: {type: feed, flows: {quartz: 100, water: 5}}
  bin:  {type: surge_bin, capacity: 500}
  out:  {type: product}
streams: [{from: mine, to: bin}, {from: bin, to: out}]
"""


class SurgeBinParams(Params):
    capacity: float
    initial: float = 0.0


class SurgeBin(Unit):
    """A bin that holds inventory: at steady state what enters leaves."""

    Params = SurgeBinParams
    holdup = Holdup(capacity="capacity", initial="initial")

    def _run(self, inlets) -> Outcome:
        return {"out": inlets["in"]}, {"level": 0.0}

    def step(self, inlets, state, hours):
        feed = inlets["in"][0]
        state = np.minimum(state + feed.flows * hours, self.params.capacity)
        return {"out": feed.scaled(0.0)}, state, {"level": float(state.sum())}


@pytest.fixture
def third_party(monkeypatch):
    """Register SurgeBin as a third party would: an entry point of flowsheet.units."""
    real = plugins.entry_points

    def entry_points(group):
        eps = list(real(group=group))
        if group == "flowsheet.units":
            eps.append(EntryPoint("surge_bin", f"{__name__}:SurgeBin", group))
        return eps

    monkeypatch.setattr(plugins, "entry_points", entry_points)
    plugins._unit_types.cache_clear()
    yield
    plugins._unit_types.cache_clear()


def test_builtin_units_come_through_the_entry_point():
    """The engine finds its own units the way it finds a third party's."""
    types = plugins.unit_types()
    assert {"feed", "product", "mixer", "splitter", "separator",
            "stoichiometric_reactor"} <= set(types)


def test_third_party_unit_with_holdup_solves_at_steady_state(third_party):
    """A unit that declares a holdup is solved like any other at steady state, and its
    time step accumulates inventory."""
    fs = flowsheet.loads(TEXT)
    res = fs.solve()
    assert res.stream("bin->out").total == pytest.approx(105.0)
    unit = fs.units["bin"]
    assert unit.holdup.capacity == "capacity"
    state = unit.initial_state()
    feed = res.stream("mine->bin")
    _, state, report = unit.step({"in": [feed]}, state, 2.0)
    assert report["level"] == pytest.approx(210.0)


def test_parameters_by_path():
    """Parameters are read and changed by path; changes are validated again."""
    fs = flowsheet.loads(TEXT.replace("surge_bin, capacity: 500", "mixer"))
    assert fs.get("mine.flows.quartz") == 100
    changed = fs.with_params({"mine.flows.quartz": 50})
    assert changed.solve().stream("bin->out").total == pytest.approx(55.0)
    assert fs.get("mine.flows.quartz") == 100          # the original is untouched
    with pytest.raises(SchemaError, match="cannot be negative"):
        fs.with_params({"mine.flows.quartz": -1})
    with pytest.raises(SchemaError) as info:
        fs.get("mine.flow.quartz")
    assert "did you mean 'flows'" in str(info.value)


def test_sized_units_need_a_grid():
    """Every unit that works size by size refuses, in one place, a context without a
    size grid -- whether built by the loader or directly from Python."""
    from flowsheet.species import SpeciesTable
    from flowsheet.unit import GRID_NEEDED, Context

    table = SpeciesTable.from_declarations([{"name": "quartz"}, {"name": "water"}])
    sized = {name: cls for name, cls in plugins.unit_types().items() if cls.sized}
    assert {"screen", "hydrocyclone", "ball_mill"} <= set(sized)
    screen = sized["screen"]
    with pytest.raises(SchemaError, match="needs a size grid") as info:
        screen.from_config("s", {"aperture": "5 mm"}, Context(table))
    assert info.value.message == GRID_NEEDED and info.value.location.unit == "s"
