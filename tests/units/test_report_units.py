"""Every numeric report value of every unit has a declared unit of measure.

The declarations are ``report_units`` on each unit class; these tests solve every example
flowsheet and read the registry, so a unit (or a report key) added without its unit fails
here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import flowsheet
from flowsheet.headers import UNIT_STRINGS, unit_of
from flowsheet.results import RESULTS_VERSION, report_units
from units.registry import builtin_units

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.yaml"))

#: Unit types whose report is always empty (they only route material).
SILENT = {"mixer", "splitter", "separator"}


def _numeric(value) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_)


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.stem)
def solved(request):
    """An example flowsheet, solved."""
    return flowsheet.load(request.param).solve()


def test_every_numeric_report_key_has_a_unit(solved):
    """Each numeric report value of each unit of the example finds a unit in its class's
    declaration, and that unit is one of the known unit strings."""
    fs = solved.flowsheet
    missing = []
    for name, report in solved.units.items():
        declared = type(fs.units[name]).report_units
        for key, value in report.items():
            if not _numeric(value):
                continue
            unit = unit_of(key, declared)
            if unit is None:
                missing.append(f"{fs.units[name].type_name} '{name}': {key}")
            else:
                assert unit in UNIT_STRINGS, f"{name}.{key}: unknown unit string '{unit}'"
    assert missing == []


def test_results_json_has_the_units(solved):
    """results.json (version 2) carries report_units for every numeric report value and
    the stream units; report values stay plain numbers."""
    data = solved.as_dict()
    assert data["version"] == RESULTS_VERSION == 2
    units = data["report_units"]
    for name, report in solved.units.items():
        numeric = {k for k, v in report.items() if _numeric(v)}
        assert set(units[name]) == numeric, name
        for key in numeric:
            assert isinstance(data["units"][name][key], int | float | None)
    assert data["stream_units"]["flows"] == "t/h"
    assert data["stream_units"]["temperature"] == "degC"
    assert report_units(solved) == units


def test_registry_declares_units():
    """Every registered unit type that reports anything declares its report units, all of
    them known unit strings, with no unit given to a pattern that matches nothing."""
    for type_name, cls in builtin_units().items():
        if type_name in SILENT:
            assert cls.report_units == {}, type_name
            continue
        assert cls.report_units, f"{type_name} declares no report units"
        for key, unit in cls.report_units.items():
            assert unit in UNIT_STRINGS, f"{type_name}: {key}: unknown unit string '{unit}'"
            assert key == key.strip() and key, type_name


def test_undeclared_key_is_left_out():
    """A numeric report key that its class does not declare has no entry in the map (so
    the test above is what catches it), and text values never get one."""
    fs = flowsheet.load(EXAMPLES[0])
    res = fs.solve()
    name = next(n for n, u in fs.units.items() if u.type_name == "feed")
    res.units[name]["made_up"] = 1.0
    res.units[name]["note"] = "text"
    units = report_units(res)[name]
    assert "made_up" not in units and "note" not in units and units["total"] == "t/h"
