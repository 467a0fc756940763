"""Electrowinning house: Faraday production, the cell reaction's balance, the recycle of
spent electrolyte, the report, and bad input as located errors."""

from __future__ import annotations

import pytest

import flowsheet
from flowsheet.errors import SchemaError, UnitRunError
from units.refining.faraday import faraday_mass, specific_energy_kwh_per_kg

SPECIES = """
species:
  - {name: water}
  - {name: copper_sulfate}
  - {name: zinc_sulfate}
  - {name: sulfuric_acid}
  - {name: ferrous_sulfate}
  - {name: copper, phase: metal}
  - {name: zinc, phase: metal}
  - {name: oxygen}
"""


def once_through(ew: str, flows: str = "{water: 100, copper_sulfate: 12, sulfuric_acid: 18}"):
    """feed -> ew -> three products."""
    return flowsheet.loads(f"""
flowsheet: ew-test
{SPECIES}
units:
  adv: {{type: feed, flows: {flows}}}
  ew: {ew}
  cathode: {{type: product}}
  spent: {{type: product}}
  gas: {{type: product}}
streams:
  - {{from: adv, to: ew}}
  - {{from: ew.cathode, to: cathode}}
  - {{from: ew.spent, to: spent}}
  - {{from: ew.anode_gas, to: gas}}
""")


def test_current_sets_cathode_by_faraday_and_balance_closes():
    """40 cells x 1.2 kA = 48 kA at CE 92 % plates Faraday's mass of copper; every element
    closes below 1e-9; acid rises by one H2SO4 per Cu plated and O2 leaves as anode gas."""
    res = once_through("{type: electrowinning, current_density: 300 A/m2, cathode_area: 4,"
                       " cells: 40, current_efficiency: 0.92, cell_voltage: 2.0}").solve()
    assert res.closure.worst < 1e-9
    rep = res.units["ew"]
    made = faraday_mass(48_000.0, 1.0, 63.546, 2, 0.92) / 1000.0
    cathode = res.port_stream("cathode", "in")
    assert cathode.element_flows["Cu"] == pytest.approx(made, rel=1e-12)
    assert rep["cathode"] == pytest.approx(made) and rep["cathode_per_day"] == pytest.approx(
        24 * made)
    assert rep["current"] == pytest.approx(48_000.0)
    assert rep["current_density"] == pytest.approx(300.0)
    assert rep["cell_current"] == pytest.approx(1200.0)
    assert rep["specific_energy"] == pytest.approx(
        1000 * specific_energy_kwh_per_kg(2.0, 63.546, 2, 0.92), rel=1e-12)
    assert rep["power"] == pytest.approx(96.0)
    spent = res.port_stream("spent", "in")
    acid_made = spent.flows[res.flowsheet.table.index["sulfuric_acid"]] - 18.0
    assert acid_made == pytest.approx(made / 63.546 * 98.072, rel=1e-4)
    assert res.port_stream("gas", "in").total == pytest.approx(made / 63.546 * 15.999,
                                                               rel=1e-4)
    # spent electrolyte: Cu and acid per litre of its known volume (water and acid)
    cu_left = 12.0 * 63.546 / 159.602 - made
    assert rep["spent_metal"] == pytest.approx(1000 * cu_left / spent.volumetric_flow,
                                               rel=1e-4)
    assert rep["spent_acid"] == pytest.approx(1000 * (18.0 + acid_made)
                                              / spent.volumetric_flow, rel=1e-12)
    assert 30.0 < rep["spent_metal"] < 45.0


def test_fraction_plated_and_current_reported():
    """With fraction_plated the copper plated is that fraction of the Cu in solution, and
    the current needed follows from Faraday's law at the default CE of 90 %."""
    res = once_through("{type: electrowinning, fraction_plated: 0.4}").solve()
    assert res.closure.worst < 1e-9
    rep = res.units["ew"]
    cu_in = 12.0 * 63.546 / 159.602
    assert rep["cathode"] == pytest.approx(0.4 * cu_in, rel=1e-4)
    assert rep["fraction_plated"] == pytest.approx(0.4)
    assert rep["current"] == pytest.approx(rep["cathode"] * 1000 * 843.53 / 0.90, rel=1e-4)
    assert rep["cell_voltage"] == 2.0 and rep["current_efficiency"] == 0.9


def test_zinc_electrowinning_energy():
    """Zinc EW at 3.4 V and CE 90 % uses 3.0-3.3 kWh/kg (Sinclair 2005, pyro_hydro.md), the
    same through the unit as through the function."""
    res = once_through("{type: electrowinning, metal: zinc, current: 20 kA,"
                       " cell_voltage: 3.4, current_efficiency: 0.9}",
                       "{water: 100, zinc_sulfate: 30, sulfuric_acid: 5}").solve()
    assert res.closure.worst < 1e-9
    assert 3000.0 <= res.units["ew"]["specific_energy"] <= 3300.0
    assert res.port_stream("cathode", "in").element_flows["Zn"] == pytest.approx(
        faraday_mass(20_000.0, 1.0, 65.38, 2, 0.9) / 1000, rel=1e-6)


def test_codeposition_lowers_purity():
    """(Fe/Cu) in the cathode = D x (Fe/Cu) in the electrolyte, so purity falls with D and
    iron still closes."""
    ew = "{type: electrowinning, fraction_plated: 0.5, codeposition: {ferrous_sulfate: 0.01}}"
    res = once_through(ew, "{water: 100, copper_sulfate: 12, ferrous_sulfate: 2}").solve()
    assert res.closure.worst < 1e-9
    cathode = res.port_stream("cathode", "in")
    assert cathode.flows[res.flowsheet.table.index["ferrous_sulfate"]] == pytest.approx(
        0.01 * 0.5 * 2.0)
    cu = res.units["ew"]["cathode"] - 0.01
    assert res.units["ew"]["cathode_purity"] == pytest.approx(100 * cu / (cu + 0.01))


RECYCLE = f"""
flowsheet: ew-recycle
{SPECIES}
units:
  pls: {{type: feed, flows: {{water: 50, copper_sulfate: 4}}}}
  mix: {{type: mixer}}
  ew: {{type: electrowinning, current: 1000 kA, current_efficiency: 0.9}}
  split: {{type: splitter, fractions: {{back: 0.8, bleed: 0.2}}}}
  cathode: {{type: product}}
  gas: {{type: product}}
  bleed: {{type: product}}
streams:
  - {{from: pls, to: mix}}
  - {{from: split.back, to: mix}}
  - {{from: mix, to: ew}}
  - {{from: ew.cathode, to: cathode}}
  - {{from: ew.anode_gas, to: gas}}
  - {{from: ew.spent, to: split}}
  - {{from: split.bleed, to: bleed}}
"""


def test_inside_a_recycle_it_converges_and_closes():
    """Spent electrolyte returned to the cells converges; at steady state the cathode is
    Faraday's and the bleed carries the rest of the copper; closure below 1e-9."""
    res = flowsheet.loads(RECYCLE).solve()
    assert res.closure.worst < 1e-9
    made = faraday_mass(1e6, 1.0, 63.546, 2, 0.9) / 1000
    assert res.units["ew"]["cathode"] == pytest.approx(made, rel=1e-8)
    cu_in = 4 * 63.546 / 159.602
    bleed = res.port_stream("bleed", "in").element_flows["Cu"]
    assert bleed == pytest.approx(cu_in - made, rel=1e-6)


def test_current_beyond_the_copper_available_is_a_located_run_error():
    """A current that would plate more copper than the electrolyte brings fails naming the
    unit and the key, with a hint."""
    fs = once_through("{type: electrowinning, current: 20000 kA}")
    with pytest.raises(UnitRunError) as info:
        fs.solve()
    text = str(info.value)
    assert "unit 'ew'" in text and "key 'current'" in text and "copper_sulfate" in text


@pytest.mark.parametrize(("ew", "key", "words"), [
    ("{type: electrowinning, current: 10 kA, current_efficiency: 1.2}", "current_efficiency",
     "1"),
    ("{type: electrowinning, current: 0}", "current", "must be 0.01-2e8 A"),
    ("{type: electrowinning, current: 10 kA, cell_voltage: -2 V}", "cell_voltage",
     "must be 0.05-10 V"),
    ("{type: electrowinning, current: 10 kA, species: {metal: coper}}", "species.metal",
     "did you mean 'copper'"),
    ("{type: electrowinning, metal: coper, current: 10 kA}", "metal", "copper"),
    ("{type: electrowinning, metal: zinc, current: 10 kA, species: {sulfate: zinc_sulphate}}",
     "species.sulfate", "did you mean 'zinc_sulfate'"),
    ("{type: electrowinning}", None, "'current' is missing"),
    ("{type: electrowinning, current_density: 300}", None, "'cathode_area' is needed"),
    ("{type: electrowinning, current: 10 kA, fraction_plated: 0.5}", "fraction_plated",
     "not both"),
    ("{type: electrowinning, metal: nickel, current: 10 kA}", None,
     "'cell_voltage' is needed for nickel"),
    ("{type: electrowinning, current: 10 kA, codeposition: {iron: 0.1}}",
     "codeposition.iron", "unknown species"),
])
def test_bad_input_is_a_located_error(ew, key, words):
    """CE above 1, zero current, negative voltage, an unknown species or metal (with a
    suggestion), a missing or doubly stated production: one error naming the unit and the
    key (or, for a parameter the file does not give, naming it in the message)."""
    with pytest.raises(SchemaError) as info:
        once_through(ew)
    text = str(info.value)
    assert "unit 'ew'" in text and words in text, text
    assert key is None or f"key '{key}'" in text, text


def test_short_electrolyte_message_carries_the_numbers():
    """20 MA at 90 % plates 21.34 t/h of copper by Faraday's law; the 12 t/h of CuSO4
    entering holds 4.778 t/h of copper (63.546/159.61): both appear in the message."""
    fs = once_through("{type: electrowinning, current: 20000 kA}")
    with pytest.raises(UnitRunError) as info:
        fs.solve()
    plated = faraday_mass(2e7, 1.0, 63.546, 2, 0.90) / 1000
    held = 12.0 * 63.546 / 159.609
    message = info.value.message
    assert f"{plated:.4g} t/h" in message and f"{held:.4g} t/h" in message


def test_spent_acid_outside_the_usual_range_is_a_warning():
    """Advance electrolyte with 35 t/h of acid in 100 t/h of water leaves at about
    310 g/L H2SO4: one warning on spent_acid with the copper range 150-200 g/L; the
    ordinary once-through house (18 t/h acid) has none."""
    res = once_through("{type: electrowinning, fraction_plated: 0.3}",
                       "{water: 100, copper_sulfate: 12, sulfuric_acid: 35}").solve()
    (w,) = res.warnings
    assert (w.unit, w.key, w.low, w.high) == ("ew", "spent_acid", 150.0, 200.0)
    assert w.value == pytest.approx(res.units["ew"]["spent_acid"]) and w.value > 300
    assert once_through("{type: electrowinning, fraction_plated: 0.3}").solve().warnings == []
