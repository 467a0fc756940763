"""The copper heap leach - SX - EW example: it solves with default options, closes its
balances, and lands on the figures its header states.

The header states each figure to the digits shown (``2.75`` g/L, ``75.1`` %); a figure
holds when the solved value rounds to it, i.e. lies within half a unit of its last digit.
"""

from pathlib import Path

import pytest
import yaml

import flowsheet

EXAMPLE = Path(__file__).parents[2] / "examples" / "copper_heap_leach_sx_ew.yaml"


@pytest.fixture(scope="module")
def solved():
    return flowsheet.load(EXAMPLE).solve()


def _gpl(solved, stream: str, what: str) -> float:
    """Concentration [g/L] of an element or a species in a named solution stream."""
    s = solved.stream(stream)
    table = s.table
    tph = (float(s.flows[table.index[what]]) if what in table.index
           else s.element_flows.get(what, 0.0))
    return 1000.0 * tph / s.volumetric_flow


def _copper_in_solids(stream) -> float:
    """Copper [t/h] in the solid species of a stream."""
    table = stream.table
    cu = table.elements.index("Cu")
    return float(stream.flows[table.solid_mask]
                 @ table.element_fractions[table.solid_mask, cu])


def _figures(solved) -> dict[str, float]:
    """The plant figures the example's header states, from the solved flowsheet."""
    units = solved.units
    ore = solved.stream("ore->heap.ore")
    cu_ore = ore.element_flows["Cu"]
    cathode = solved.port_stream("cathode", "in").element_flows["Cu"]
    residue = solved.port_stream("residue", "in")
    makeup_acid = sum(solved.port_stream(u, "out").flows[
        solved.flowsheet.table.index["sulfuric_acid"]] for u in ("acid", "ew_makeup"))
    makeup_water = sum(solved.port_stream(u, "out").flows[
        solved.flowsheet.table.index["water"]] for u in ("water", "ew_makeup"))
    return {
        "irrigation L/h/m2": units["heap"]["application_rate"],
        "PLS Cu g/L": _gpl(solved, "pls", "Cu"),
        "PLS acid g/L": _gpl(solved, "pls", "sulfuric_acid"),
        "raffinate Cu g/L": _gpl(solved, "raffinate", "Cu"),
        "raffinate acid g/L": _gpl(solved, "raffinate", "sulfuric_acid"),
        "SX extraction %": units["sx_e"]["extraction_percent"],
        "O/A": units["sx_e"]["oa"],
        "loaded organic g/L": units["sx_e"]["loaded_organic_gpl"],
        "stripped organic g/L": units["sx_s"]["stripped_organic_gpl"],
        "net transfer g/L/%": units["sx_e"]["net_transfer_gpl_per_vol_percent"],
        "lean Cu g/L": _gpl(solved, "lean_electrolyte", "Cu"),
        "lean acid g/L": _gpl(solved, "lean_electrolyte", "sulfuric_acid"),
        "rich Cu g/L": _gpl(solved, "rich_electrolyte", "Cu"),
        "current density A/m2": units["ew"]["current_density"],
        "specific energy kWh/kg": units["ew"]["specific_energy"] / 1000.0,
        "cathode t/h": cathode,
        "cathode t/d": units["ew"]["cathode_per_day"],
        "ore Cu t/h": cu_ore,
        "overall recovery %": 100.0 * cathode / cu_ore,
        "heap extraction %": 100.0 * (1.0 - _copper_in_solids(residue)
                                      / _copper_in_solids(ore)),
        "malachite %": 100.0 * units["heap"]["recovery_malachite"],
        "chrysocolla %": 100.0 * units["heap"]["recovery_chrysocolla"],
        "dissolved in spent ore %": 100.0 * (residue.element_flows["Cu"]
                                             - _copper_in_solids(residue)) / cu_ore,
        "raffinate bleed %": 100.0 * solved.port_stream(
            "raff_bleed", "in").element_flows["Cu"] / cu_ore,
        "crud %": 100.0 * solved.port_stream("crud", "in").element_flows["Cu"] / cu_ore,
        "acid kg/t": 1000.0 * makeup_acid / ore.solids,
        "acid t/t cathode": makeup_acid / cathode,
        "water m3/t": makeup_water / ore.solids,
    }


#: The figures as the example's header states them.
STATED = {
    "irrigation L/h/m2": "8.8", "PLS Cu g/L": "2.75", "PLS acid g/L": "8.0",
    "raffinate Cu g/L": "0.27", "raffinate acid g/L": "12.3", "SX extraction %": "90.6",
    "O/A": "1.1", "loaded organic g/L": "5.6", "stripped organic g/L": "3.3",
    "net transfer g/L/%": "0.15", "lean Cu g/L": "34.2", "lean acid g/L": "190",
    "rich Cu g/L": "44.4", "current density A/m2": "287", "specific energy kWh/kg": "1.83",
    "cathode t/h": "3.75", "cathode t/d": "90", "ore Cu t/h": "5.00",
    "overall recovery %": "75.1", "heap extraction %": "81.8", "malachite %": "91.6",
    "chrysocolla %": "67.1", "dissolved in spent ore %": "6.1", "raffinate bleed %": "0.4",
    "crud %": "0.2", "acid kg/t": "11.7", "acid t/t cathode": "3.1", "water m3/t": "0.30",
}


def _within_stated(value: float, stated: str) -> bool:
    """True when ``value`` rounds to ``stated`` (half a unit of its last digit).

    >>> _within_stated(2.746, "2.75"), _within_stated(2.744, "2.75")
    (True, False)
    """
    decimals = len(stated.split(".")[1]) if "." in stated else 0
    return abs(value - float(stated)) <= 0.5 * 10.0 ** -decimals


def test_solves_with_default_options_and_closes(solved):
    """The file sets no solver option; the default solve converges, every element and
    the total mass close below 1e-9, and the design spec holds the spent electrolyte at
    35 g/L Cu."""
    assert "solver" not in yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert solved.convergence.converged
    assert solved.closure.total < 1e-9
    assert max(solved.closure.elements.values()) < 1e-9
    assert solved.units["ew"]["spent_metal"] == pytest.approx(35.0, rel=1e-6)


@pytest.mark.parametrize("name", sorted(STATED))
def test_stated_figure(solved, name):
    """Each figure of the header, to the digits it is stated with."""
    value = _figures(solved)[name]
    assert _within_stated(value, STATED[name]), f"{name}: {value:.6g}, stated {STATED[name]}"


def test_figures_inside_the_typical_ranges(solved):
    """PLS 1-6 g/L Cu; SX extraction 90-95 %; spent electrolyte 170-190 g/L H2SO4;
    250-350 A/m2; the cathode is all the copper not lost to the spent
    ore, the raffinate bleed and the crud (Schlesinger et al., 2011)."""
    fig = _figures(solved)
    assert 1.0 < fig["PLS Cu g/L"] < 6.0
    assert 90.0 < fig["SX extraction %"] < 95.0
    assert 170.0 < solved.units["ew"]["spent_acid"] < 190.0
    assert 250.0 < fig["current density A/m2"] < 350.0
    cu_ore = fig["ore Cu t/h"]
    losses = sum(solved.port_stream(p, "in").element_flows.get("Cu", 0.0)
                 for p in ("residue", "raff_bleed", "crud"))
    assert fig["cathode t/h"] + losses == pytest.approx(cu_ore, rel=1e-9)
