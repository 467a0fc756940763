"""The Unit base class and registry: ports, parameters by path, holdups, entry points."""

import json
import subprocess
import sys
from importlib.metadata import EntryPoint
from pathlib import Path

import numpy as np
import pytest

import flowsheet
from flowsheet import plugins
from flowsheet.errors import SchemaError
from flowsheet.unit import Holdup, Outcome, Params, Unit
from units.registry import BUILTIN_MODULES, BUILTIN_TYPES, builtin_units

ROOT = Path(__file__).resolve().parents[2]

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


def test_builtin_type_names_are_known_without_importing_a_unit():
    """The table of built-in names holds exactly the types the built-in modules register,
    in their order, each with the module that registers it (checked in a fresh
    interpreter, where nothing else has registered a type yet)."""
    code = ("import importlib, json\n"
            "from units import registry\n"
            "for module in registry.BUILTIN_MODULES:\n"
            "    importlib.import_module(module)\n"
            "print(json.dumps([[n, c.__module__] for n, c in registry._TYPES.items()]))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert json.loads(done.stdout) == [list(item) for item in BUILTIN_TYPES.items()]
    assert set(BUILTIN_TYPES.values()) == set(BUILTIN_MODULES)


def test_builtin_types_load_their_module_on_lookup():
    """A built-in type's class comes with its module; an unknown name is a KeyError, not
    an import of anything."""
    types = builtin_units()
    assert "ball_mill" in types and len(types) == len(BUILTIN_TYPES)
    assert types["ball_mill"].type_name == "ball_mill"
    assert types.get("surge_bin") is None
    with pytest.raises(KeyError):
        types["surge_bin"]


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
