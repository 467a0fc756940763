"""Every numeric parameter of every registered unit type has a physical range and reads
quantities: generated from the registry (``flowsheet.plugins.unit_types()``).

For each unit type and each numeric value its parameters can hold (nested models, mapping
values and list items included), the tests pin that

* the value has a :class:`units.ranges.Range` and the field's description states it;
* a value beyond either bound (and the bound itself where it is open) is refused when the
  unit is built, with one :class:`SchemaError` located at the key;
* a dimensional value written as a quantity in another unit is converted by pint (the
  expected number comes from pint, not from this file).

Hand tests follow for the cases the issue names: ``p80: 1e-300``, ``wi: 14 kWh/t``, a
cyclone's diameter in cm and in m.
"""

from __future__ import annotations

import copy
import math
import re
import types
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from pydantic import BaseModel, TypeAdapter

import flowsheet
from flowsheet.errors import SchemaError
from flowsheet.plugins import unit_types
from flowsheet.quantities import unit_registry
from flowsheet.unit import Context
from units.ranges import Range, number

SX_EQUATION = "copper_sulfate + 2 extractant -> copper_complex + sulfuric_acid"
MILL_PB = {"model": "population_balance", "power": 1000, "holdup": 10,
           "grate": 20000, "grate_fines": 2000,
           "selection": {"se": 1.0, "alpha": 1.0, "mu": 5000, "lam": 3.0},
           "breakage": {"phi": 0.5, "gamma": 1.0, "beta": 3.5, "delta": 0.0}}
MILL_PB_BY_SPECIES = {**MILL_PB, "selection": {"default": {"se": 1.0, "alpha": 1.0,
                                                           "mu": 5000, "lam": 3.0}}}
CRUSHER = {"model": "population_balance", "css": 13000, "wi": 14, "k1_css": 0.7,
           "k2_css": 1.7, "k2_offset": 1000, "k3": 2.3,
           "breakage": {"phi": 0.5, "gamma": 1.0, "beta": 3.5, "delta": 0.0}}
CELLS = {"current_density": 300, "cathode_area": 100, "cells": 100, "cell_voltage": 2.0,
         "current_efficiency": 0.9}
LEACH_REACTION = {"equation": "CuO + H2SO4 -> CuSO4 + H2O", "mineral": "tenorite",
                  "tau": 2.0, "size": 100, "temperature": 25, "activation_energy": 40,
                  "leachable": 1.0}
HEAP_REACTION = {"equation": "CuO + H2SO4 -> CuSO4 + H2O", "mineral": "tenorite",
                 "ultimate_recovery": 0.8, "rate_constant": 0.02}
SABC = {"model": "smc_bwi", "sag": {"installed_power": 24000, "power_use": 0.9},
        "ball": {"installed_power": 30000, "power_use": 0.9}, "f80": 70000, "p80": 200,
        "tph_max": 4000, "t80_max": 20000, "k1": 0.95, "scale": 1.0, "m": 1.0,
        "hardness": {"axb": 40, "mia": 20, "bwi": 15, "mib": 20, "sgi": 100, "dwi": 6,
                     "density": 2700},
        "dwi_law": {"beta": 0.008, "a": 0.3, "b": 0.8, "e": 0.5, "phi": 75},
        "sgi_law": {"k": 5.59, "n": 0.55}}

#: Valid parameters of each unit type, as complete as the model allows, so that every
#: numeric key has its container; a type with two shapes (one ``selection`` for all
#: minerals or one per mineral) has one configuration per shape.
CONFIGS: dict[str, list[dict[str, Any]]] = {
    "feed": [{"flows": {"water": 10}, "temperature": 25,
              "psd": {"model": "rosin_rammler", "p80": 100, "m": 1.0}},
             {"flows": {"water": 10},
              "psd": {"quartz": {"model": "table", "sizes": [100, 50],
                                 "passing": [90, 50], "m": 1.0, "p80": 80}}}],
    "product": [{}],
    "mixer": [{}],
    "splitter": [{"fractions": {"a": 0.5, "b": 0.5}}],
    "separator": [{"outlets": ["a", "b"], "split": {"quartz": 1.0},
                   "phase_split": {"aqueous": 0.2}}],
    "stoichiometric_reactor": [{"reactions": [{"equation": "CuO + H2SO4 -> CuSO4 + H2O",
                                               "key": "tenorite", "conversion": 0.9}],
                                "temperature": 40}],
    "sabc_circuit": [SABC],
    "sag_mill": [{**MILL_PB, "wi": 14, "mia": 20, "spread": 1.0, "power_use": 0.9},
                 MILL_PB_BY_SPECIES],
    "ball_mill": [{**MILL_PB, "wi": 14, "mib": 20, "spread": 1.0, "power_use": 0.9},
                  MILL_PB_BY_SPECIES],
    "hpgr": [{"model": "population_balance", "power": 1000, "critical_size": 20000,
              "edge_fraction": 0.1, "edge_energy": 0.5, "mih": 10, "wi": 14, "k": 1.0,
              "spread": 1.0, "f80": 30000, "power_use": 0.9,
              "selection": {"se": 1.0, "alpha": 1.0, "mu": 5000, "lam": 3.0},
              "breakage": {"phi": 0.5, "gamma": 1.0, "beta": 3.5, "delta": 0.0}},
             {"model": "population_balance", "power": 1000, "critical_size": 20000,
              "selection": {"default": {"se": 1.0, "alpha": 1.0, "mu": 5000, "lam": 3.0}}}],
    "gyratory_crusher": [{**CRUSHER, "mic": 10, "k": 1.0, "spread": 1.0, "f80": 500000}],
    "jaw_crusher": [{**CRUSHER, "mic": 10}],
    "cone_crusher": [{**CRUSHER, "mic": 10}],
    "pebble_crusher": [{**CRUSHER, "mic": 10}],
    "hydrocyclone": [{"count": 4, "diameter": 0.66, "inlet": 0.18, "vortex_finder": 0.25,
                      "apex": 0.16, "height": 1.8, "alpha": 3, "beta": 0.5,
                      "water_recovery": 0.3, "d50_factor": 1, "pressure_factor": 1,
                      "split_factor": 1, "sharpness_factor": 1}],
    "screen": [{"aperture": 12000, "d50_ratio": 0.9, "alpha": 5, "water_split": 0.05},
               {"aperture": 12000, "model": "probability", "trials": 10, "wire": 2000}],
    "trommel": [{"aperture": 12000, "d50_ratio": 0.9, "alpha": 3, "water_split": 0.02},
                {"aperture": 12000, "model": "probability", "trials": 10, "wire": 2000}],
    "smelter": [{"technology": "outokumpu_flash", "matte_grade": 62, "slag_cu": 1.5,
                 "fe3_fe": 0.1, "fe_sio2": 1.2, "cao_sio2": 0.1, "o2_pct": 75,
                 "temperature": 1250, "offgas_temperature": 1300, "loss_fraction": 0.1,
                 "distribution": {"As": {"product": 0.2, "slag": 0.3, "gas": 0.4,
                                         "dust": 0.1}},
                 "coolant": {"Cu2S": 1.0}},
                {"technology": "outokumpu_flash", "sulfur_oxidised": 0.5},
                {"technology": "outokumpu_flash", "slag_analysis": {"FeO": 40}}],
    "converter": [{"mode": "batch", "oxygen_percent": 21, "fe_sio2": 1.8, "slag_cu": 5,
                   "blister_s": 0.02, "blister_o": 0.5, "blister_temperature": 1200,
                   "slag_temperature": 1220, "offgas_temperature": 1200,
                   "loss_fraction": 0.15, "coolant": {"Cu": 1.0}}],
    "anode_furnace": [{"anode_sulfur": 2e-5, "anode_oxygen": 0.0015,
                       "oxidation_oxygen": 0.006, "slag_copper": 0.01,
                       "temperature": 1200}],
    "electrorefinery": [{**CELLS, "scrap_fraction": 0.15,
                         "distribution": {"Au": {"cathode": 0.0, "slime": 1.0,
                                                 "electrolyte": 0.0}}},
                        {"current": 30000, "cell_voltage": 0.3}],
    "electrowinning": [{**CELLS, "codeposition": {"lead": 1e-4}},
                       {"fraction_plated": 0.5}, {"current": 30000}],
    "leach_tank": [{"tanks": 4, "residence_time": 2, "temperature": 40,
                    "solution_density": 1100, "reactions": [LEACH_REACTION]},
                   {"tanks": 4, "volume": 500,
                    "reactions": [{**LEACH_REACTION, "control": "mixed",
                                   "tau": {"film": 1.0, "reaction": 2.0}}]}],
    "heap_leach": [{"reactions": [HEAP_REACTION], "cycle_days": 90, "height": 6,
                    "bulk_density": 1700, "area": 1e5, "application_rate": 10,
                    "rate_tolerance": 0.02, "evaporation": 0.05, "moisture": 0.1},
                   {"reactions": [{**{k: v for k, v in HEAP_REACTION.items()
                                      if k not in ("ultimate_recovery", "rate_constant")},
                                   "table": [[30, 0.4], [90, 0.7]]}],
                    "cycle_days": 90, "height": 6}],
    "thickener": [{"underflow_solids": 0.6, "overflow_solids": 0.001},
                  {"underflow_density": 1600}, {"liquid_solids_ratio": 0.7}],
    "ccd_train": [{"stages": 5, "underflow_solids": 0.6, "overflow_solids": 0.001},
                  {"stages": 5, "underflow_density": 1600},
                  {"stages": 5, "liquid_solids_ratio": 0.7}],
    "solvent_extraction": [
        {"equation": SX_EQUATION, "stages": 2, "efficiency": 0.95,
         "isotherm": {"model": "oxime", "k_ex": 15}, "extractant_percent": 20,
         "entrainment": {"organic_in_aqueous": 3e-5, "aqueous_in_organic": 0.002}},
        {"equation": SX_EQUATION, "stages": 2, "isotherm": {"model": "linear", "d": 10}},
        {"equation": SX_EQUATION, "stages": 2,
         "isotherm": {"model": "langmuir", "max_loading": 10, "k": 2}},
        {"equation": SX_EQUATION, "stages": 2,
         "isotherm": {"model": "table", "aqueous": [0.5, 2], "organic": [3, 6]}}],
}

#: A unit of each dimension other than the default, to write quantities in.
OTHER_UNITS = {"size": "mm", "length": "cm", "power": "MW", "specific_energy": "MJ/t",
               "mass": "kg", "mass_flow": "kg/h", "temperature": "K", "time": "min",
               "density": "g/cm3", "volume": "L", "area": "cm2", "current": "kA",
               "voltage": "mV", "current_density": "mA/cm2", "concentration": "mg/L",
               "molar_energy": "kcal/mol", "velocity": "mm/h", "pressure": "bar",
               "volume_flow": "L/min", "energy": "MWh"}


def leaves(annotation: Any, path: tuple[str, ...] = ()):
    """Each numeric value a parameter model can hold: ``(path, range, annotation)``.

    The path is the key path with ``*`` for a mapping's key and ``0`` for a list item;
    ``range`` is the value's :class:`Range` (None where it has none).
    """
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *meta = get_args(annotation)
        found = [m for m in meta if isinstance(m, Range)]
        if found:
            yield path, found[0], annotation
        else:
            yield from leaves(base, path)
    elif origin in (Union, types.UnionType):
        for member in get_args(annotation):
            if member is not type(None):
                yield from leaves(member, path)
    elif origin is dict:
        yield from leaves(get_args(annotation)[1], (*path, "*"))
    elif origin is list:
        yield from leaves(get_args(annotation)[0], (*path, "0"))
    elif origin is tuple:
        for i, member in enumerate(get_args(annotation)):
            yield from leaves(member, (*path, str(i)))
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, field in annotation.model_fields.items():
            inner = field.annotation
            if field.metadata:
                inner = Annotated[(inner, *field.metadata)]
            yield from leaves(inner, (*path, name))
    elif annotation in (float, int):
        yield path, None, annotation


def fields(model: type[BaseModel], path: tuple[str, ...] = ()):
    """Each field of ``model`` and of the models nested in it: ``(path, FieldInfo)``."""
    for name, field in model.model_fields.items():
        yield (*path, name), field
        for sub in _models(field.annotation):
            yield from fields(sub, (*path, name))


def _models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models(arg)]


TYPES = sorted(unit_types())
LEAVES = [(t, path, rng, ann) for t in TYPES
          for path, rng, ann in leaves(unit_types()[t].Params)]
IDS = [f"{t}.{'.'.join(path)}" for t, path, _, _ in LEAVES]


def place(config: dict, path: tuple[str, ...], value: Any, create: bool
          ) -> tuple[dict, str] | None:
    """``config`` with ``value`` at ``path`` and the dotted key it sits at, or None when
    the configuration lacks a container on the way and ``create`` is false (``*`` takes
    an existing key, or ``x`` in a new mapping; ``0`` the first item, or a new one)."""
    result = copy.deepcopy(config)
    node: Any = result
    keys: list[str] = []
    for i, step in enumerate(path):
        last = i == len(path) - 1
        if step == "*":
            if not isinstance(node, dict) or not (node or create):
                return None
            step = next(iter(node), "x")
        if isinstance(node, list):
            index = int(step)
            if not node:
                node.append(None if last else [] if path[i + 1].isdigit() else {})
            if last:
                node[index] = value
            node = node[index]
        elif isinstance(node, dict):
            if last:
                node[step] = value
            else:
                if step not in node:
                    if not create:
                        return None
                    node[step] = [] if path[i + 1].isdigit() else {}
                node = node[step]
                if not isinstance(node, dict | list):
                    return None
        else:
            return None
        keys.append(str(step))
    return result, ".".join(keys)


def beyond(rng: Range) -> list[float]:
    """Values the range refuses: past each bound, and each open bound itself."""
    values = [rng.low - max(1.0, abs(rng.low)), rng.high + max(1.0, abs(rng.high))]
    values += [rng.low] if rng.low_open else []
    values += [rng.high] if rng.high_open else []
    return [int(v) if rng.integer and float(v).is_integer() else v for v in values]


def inside(rng: Range) -> float:
    """A value inside the range: the middle of the typical values, else of the bounds."""
    low, high = rng.typical if rng.typical else (rng.low, rng.high)
    if low > 0 and high / low > 100:
        value = math.sqrt(low * high)
    else:
        value = (low + high) / 2
    if rng.integer:
        value = float(round(value))
    assert rng.contains(value)
    return value


def build(type_name: str, config: dict) -> None:
    """Validate ``config`` as the parameters of a unit named ``u`` of ``type_name``."""
    unit_types()[type_name].from_config("u", config, Context(table=None))


def test_every_unit_type_has_configurations():
    """The catalogue of valid configurations covers every registered unit type, and every
    configuration validates."""
    assert set(CONFIGS) == set(TYPES)
    for type_name, configs in CONFIGS.items():
        for config in configs:
            unit_types()[type_name].Params.model_validate(config)


def test_the_registry_has_numeric_parameters_to_check():
    """The walk over the registry finds the numeric parameters (a broken walk would make
    every generated test below vacuous)."""
    assert len(LEAVES) > 250
    assert {"p80", "wi", "diameter", "cells", "residence_time"} <= {
        path[-1] for _, path, _, _ in LEAVES}


@pytest.mark.parametrize(("type_name", "path", "rng", "annotation"), LEAVES, ids=IDS)
def test_every_numeric_parameter_has_a_range(type_name, path, rng, annotation):
    """Every numeric value of every unit's parameters has a finite physical range."""
    assert rng is not None, f"{type_name}: '{'.'.join(path)}' has no Range"
    assert math.isfinite(rng.low) and math.isfinite(rng.high)


@pytest.mark.parametrize("type_name", TYPES)
def test_every_numeric_field_states_its_range(type_name):
    """The description of every field holding numbers states the range of each (so the
    JSON schema and the unit catalogue show it) and, for a quantity, its unit."""
    for path, field in fields(unit_types()[type_name].Params):
        inner = field.annotation
        if field.metadata:
            inner = Annotated[(inner, *field.metadata)]
        ranges = [rng for _, rng, _ in leaves(inner) if rng is not None]
        if not ranges or _models(field.annotation):
            continue
        text = field.description or ""
        for rng in ranges:
            assert rng.interval() in text, f"{type_name}.{'.'.join(path)}: {text!r}"
            if rng.units:
                assert f"[{rng.units}]" in text or rng.units in text


@pytest.mark.parametrize(("type_name", "path", "rng", "annotation"), LEAVES, ids=IDS)
def test_a_value_beyond_the_range_is_refused_at_its_key(type_name, path, rng, annotation):
    """A value past either bound (or on an open bound) is refused when the unit is built:
    one SchemaError located at the key, naming the bound it crossed."""
    configs = CONFIGS[type_name]
    for value in beyond(rng):
        placed = next((p for create in (False, True) for c in configs
                       if (p := place(c, path, value, create)) is not None), None)
        assert placed is not None, f"no configuration holds {'.'.join(path)}"
        bad, key = placed
        with pytest.raises(SchemaError) as info:
            build(type_name, bad)
        err = info.value
        assert err.location.unit == "u"
        assert err.location.key == key, str(err)
        bound = rng.low if value <= rng.low else rng.high
        assert number(bound) in err.message and "\n" not in str(err), str(err)


@pytest.mark.parametrize(("type_name", "path", "rng", "annotation"), LEAVES, ids=IDS)
def test_a_value_inside_the_range_is_accepted(type_name, path, rng, annotation):
    """A value inside the range passes the parameter's own check."""
    value = inside(rng)
    assert TypeAdapter(annotation).validate_python(value) == pytest.approx(value)


DIMENSIONAL = [(t, path, rng, ann) for t, path, rng, ann in LEAVES
               if rng is not None and rng.dimension not in (None, "fraction", "dimensionless")]


def _pint(unit: str) -> str:
    return re.sub(r"(?<=[A-Za-z])(\d)", r"**\1", unit)


@pytest.mark.parametrize(("type_name", "path", "rng", "annotation"), DIMENSIONAL,
                         ids=[f"{t}.{'.'.join(p)}" for t, p, _, _ in DIMENSIONAL])
def test_a_dimensional_parameter_reads_another_unit(type_name, path, rng, annotation):
    """A dimensional value written in another unit of its dimension ('0.66 m' as '66 cm')
    is converted to the parameter's unit; pint gives the expected number."""
    value = inside(rng)
    other = OTHER_UNITS[rng.dimension]
    written = unit_registry().Quantity(value, _pint(rng.units)).to(_pint(other)).magnitude
    read = TypeAdapter(annotation).validate_python(f"{written!r} {other}")
    assert read == pytest.approx(value, rel=1e-9, abs=1e-9)


def test_fraction_parameters_read_percentages():
    """A fraction written as a percentage ('92 %') is read as a fraction of one."""
    fractions = [ann for _, _, rng, ann in LEAVES
                 if rng is not None and rng.dimension == "fraction"]
    assert fractions
    for annotation in fractions:
        rng = next(m for m in get_args(annotation) if isinstance(m, Range))
        value = inside(rng)
        read = TypeAdapter(annotation).validate_python(f"{100 * value!r} %")
        assert read == pytest.approx(value, rel=1e-12)


# -- the cases of the issue, by hand -----------------------------------------------------

MILL_FILE = """\
flowsheet: mill
species: [{name: water}, {name: quartz}]
size_grid: {top: 4 mm, bottom: 20 um}
units:
  ore:
    type: feed
    flows: {quartz: 100, water: 60}
    psd: {model: rosin_rammler, p80: 2 mm, m: 1.0}
  mill:
    type: ball_mill
    model: bond
    wi: 14
    p80: 150 um
  out: {type: product}
streams:
  - {from: ore, to: mill}
  - {from: mill, to: out}
"""


def test_p80_of_1e_300_is_refused_at_its_line():
    """``p80: 1e-300`` (the issue's absurd target) is refused when the file loads: one
    line at the key, naming what is accepted."""
    with pytest.raises(SchemaError) as info:
        flowsheet.loads(MILL_FILE.replace("p80: 150 um", "p80: 1e-300"), "mill.yaml")
    text = str(info.value)
    assert text.startswith("mill.yaml:13:") and "\n" not in text
    assert info.value.location.key == "p80"
    assert "must be 1-500000 um" in text and "1e-300 um" in text


def test_work_index_with_its_unit_equals_the_bare_number():
    """``wi: 14 kWh/t`` is accepted and solves exactly as ``wi: 14``; ``wi: 50.4 MJ/t`` is
    the same work index."""
    reports = []
    for written in ("14", "14 kWh/t", "50.4 MJ/t"):
        fs = flowsheet.loads(MILL_FILE.replace("wi: 14", f"wi: {written}"))
        assert fs.units["mill"].params.wi == pytest.approx(14.0, rel=1e-12)
        reports.append(fs.solve().units["mill"])
    assert reports[0]["specific_energy"] == pytest.approx(reports[1]["specific_energy"],
                                                          rel=1e-12)
    assert reports[0]["specific_energy"] == pytest.approx(reports[2]["specific_energy"],
                                                          rel=1e-9)


CYCLONE = {"count": 4, "inlet": "18 cm", "vortex_finder": "25 cm", "apex": "16 cm",
           "height": "1.8 m"}


@pytest.mark.parametrize("diameter", ["66 cm", "0.66 m", 0.66, "660 mm", "25.98425 in"])
def test_cyclone_diameter_in_cm_or_m(diameter):
    """A cyclone's diameter reads as a length in m whatever unit it is written in; a bare
    number is in m."""
    params = unit_types()["hydrocyclone"].Params.model_validate({**CYCLONE,
                                                                 "diameter": diameter})
    assert params.diameter == pytest.approx(0.66, rel=1e-6)


@pytest.mark.parametrize(("diameter", "words"), [
    ("100 m", "must be 0.01-2.5 m (typical 0.25-0.84), got 100 m"),
    (66, "got 66 m"),
    ("0.5 mm", "got 0.0005 m"),
])
def test_cyclone_diameter_out_of_range_speaks_metres(diameter, words):
    """A cyclone 100 m across -- or 66 written without its cm -- is refused at load in
    metres, the parameter's unit, not in Plitt's cm."""
    with pytest.raises(SchemaError) as info:
        unit_types()["hydrocyclone"].from_config("cyc", {**CYCLONE, "diameter": diameter},
                                                 Context(table=None))
    assert info.value.location.key == "diameter"
    assert words in info.value.message and "cm" not in info.value.message


def test_flow_per_cyclone_beyond_plitts_range_names_count_in_m3h():
    """A cluster fed more pulp per cyclone than Plitt's model evaluates fails at run time
    naming 'count', in m3/h (the README's unit of liquid volume flow)."""
    from flowsheet.errors import UnitRunError
    from flowsheet.sizes import SizeGrid, rosin_rammler
    from flowsheet.species import SpeciesTable
    from flowsheet.stream import Stream
    from units.classification.hydrocyclone import MAX_FLOW_PER_CYCLONE

    table = SpeciesTable.from_declarations([{"name": "water"}, {"name": "quartz"}])
    grid = SizeGrid.geometric(2000, 10)
    cyc = unit_types()["hydrocyclone"].from_config("cyc", {**CYCLONE, "count": 1,
                                                           "diameter": "0.66 m"},
                                                   Context(table, grid))
    water = 2 * MAX_FLOW_PER_CYCLONE                          # t/h of water = m3/h
    feed = Stream(table, [water, 100.0], psd=rosin_rammler(grid, 300.0, 1.0)[None, :],
                  grid=grid)
    with pytest.raises(UnitRunError) as info:
        cyc.run({"in": [feed]})
    assert info.value.location.key == "count" and "m3/h" in info.value.message
    assert "L/min" not in str(info.value)


def test_json_schema_shows_the_range():
    """The JSON schema of a unit's parameters gives each range as minimum/maximum and in
    the description."""
    schema = unit_types()["ball_mill"].Params.model_json_schema()
    wi = schema["properties"]["wi"]
    assert "refused outside 1-80 kWh/t" in wi["description"]
    number = next(s for s in wi["anyOf"] if s.get("type") != "null")
    assert number["minimum"] == 1 and number["maximum"] == 80


def test_out_of_range_value_exits_2_on_the_command_line(tmp_path):
    """``flowsheet validate`` on p80 1e-300: exit 2, one line, nothing written."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path / "mill.yaml"
    path.write_text(MILL_FILE.replace("p80: 150 um", "p80: 1e-300"))
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-m", "flowsheet.cli", "validate", str(path)],
                          capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(root)})
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "key 'p80'" in proc.stderr
    assert "Traceback" not in proc.stderr and list(tmp_path.iterdir()) == [path]
