"""Copper electrorefinery: anode impurities to cathode, slime and bleed, scrap anodes,
Faraday's current, the report, and bad input as located errors."""

from __future__ import annotations

import math

import pytest

import flowsheet
from flowsheet.errors import SchemaError, UnitRunError
from units.refining.electrorefining import default_distribution
from units.refining.faraday import faraday_mass, specific_energy_kwh_per_kg

#: A fire-refined anode, t/h (99.4 % Cu; impurity levels of the order of those in
#: Schlesinger et al. 2011, "Electrolytic Refining").
ANODE = {"copper": 99.40, "gold": 0.003, "silver": 0.06, "selenium": 0.03,
         "tellurium": 0.004, "nickel": 0.15, "arsenic": 0.06, "antimony": 0.02,
         "bismuth": 0.005, "lead": 0.05, "iron": 0.005, "sulfur": 0.002, "cuprite": 0.211}


def refinery(er: str = "{type: electrorefinery}", extra_species: str = "",
             anode: dict | None = None):
    """anodes -> er -> cathode, slime, bleed, scrap."""
    flows = ", ".join(f"{k}: {v}" for k, v in (anode or ANODE).items())
    return flowsheet.loads(f"""
flowsheet: er-test
species:
  - {{name: copper, phase: metal}}
  - {{name: gold, phase: metal}}
  - {{name: silver, phase: metal}}
  - {{name: selenium, phase: metal}}
  - {{name: tellurium, phase: metal}}
  - {{name: nickel, phase: metal}}
  - {{name: arsenic, formula: As, phase: metal}}
  - {{name: antimony, formula: Sb, phase: metal}}
  - {{name: bismuth, formula: Bi, phase: metal}}
  - {{name: lead, phase: metal}}
  - {{name: iron, phase: metal}}
  - {{name: sulfur, phase: metal}}
  - {{name: cuprite, phase: metal}}
{extra_species}
units:
  anodes: {{type: feed, flows: {{{flows}}}}}
  er: {er}
  cathode: {{type: product}}
  slime: {{type: product}}
  bleed: {{type: product}}
  scrap: {{type: product}}
streams:
  - {{from: anodes, to: er}}
  - {{from: er.cathode, to: cathode}}
  - {{from: er.slime, to: slime}}
  - {{from: er.bleed, to: bleed}}
  - {{from: er.scrap, to: scrap}}
""")


def test_default_refinery_closes_and_lands_in_typical_ranges():
    """Closure below 1e-9; 15 % scrap; cathode 99.99 % Cu or better (pyro_hydro.md, Cu ER
    cathode 99.99 %); gold and silver in the slime, nickel in the bleed; 0.30 V and 95 %
    give 266 kWh/t (pyro_hydro.md)."""
    res = refinery().solve()
    assert res.closure.worst < 1e-9
    rep = res.units["er"]
    assert rep["scrap"] == pytest.approx(0.15 * sum(ANODE.values()))
    assert rep["cathode_purity"] >= 99.99
    slime = res.port_stream("slime", "in")
    dissolved = 0.85
    assert slime.element_flows["Au"] == pytest.approx(0.995 * dissolved * 0.003)
    assert slime.element_flows["Ag"] == pytest.approx(0.98 * dissolved * 0.06)
    assert rep["slime_au"] == pytest.approx(slime.assays["Au"])
    assert rep["slime_ag"] == pytest.approx(slime.assays["Ag"])
    assert res.port_stream("bleed", "in").element_flows["Ni"] == pytest.approx(
        0.97 * dissolved * 0.15)
    assert rep["specific_energy"] == pytest.approx(
        1000 * specific_energy_kwh_per_kg(0.30, 63.546, 2, 0.95), rel=1e-12)
    assert round(rep["specific_energy"]) == 266
    assert rep["current"] == pytest.approx(
        rep["cathode"] * rep["cathode_purity"] / 100 * 1000 * 843.53 / 0.95, rel=1e-4)


def test_every_element_row_of_the_data_file_sums_to_one():
    """The data file is a distribution: each element's fractions sum to 1."""
    for element, row in default_distribution().items():
        assert row.row().sum() == pytest.approx(1.0, abs=1e-12), element


def test_stated_current_plates_faradays_copper_and_the_rest_goes_to_the_bleed():
    """With a current the copper plated is Faraday's; copper dissolved beyond it (here
    0.2 % of the cathode copper, inside the undersized tolerance) leaves in the electrolyte
    bleed; the balance still closes."""
    res = refinery("{type: electrorefinery, current: 73800 kA, current_efficiency: 0.96,"
                   " cathode_area: 100, cells: 1000}").solve()
    assert res.closure.worst < 1e-9
    rep = res.units["er"]
    plated = faraday_mass(7.38e7, 1.0, 63.546, 2, 0.96) / 1000
    cathode_cu = res.port_stream("cathode", "in").flows[0]
    assert cathode_cu == pytest.approx(plated, rel=1e-12)
    cu_dissolved = 0.85 * 99.40
    bleed_cu = res.port_stream("bleed", "in").flows[0]
    assert bleed_cu == pytest.approx(cu_dissolved * 0.999 - plated, rel=1e-9)
    assert rep["current_density"] == pytest.approx(738.0)
    assert rep["copper_to_cathode"] == pytest.approx(100 * plated / cu_dissolved)


def test_current_beyond_the_anodes_is_a_located_run_error():
    """A current plating more copper than the anodes dissolve fails, naming unit and key."""
    with pytest.raises(UnitRunError) as info:
        refinery("{type: electrorefinery, current: 90000 kA}").solve()
    assert "unit 'er'" in str(info.value) and "key 'current'" in str(info.value)


def test_species_without_default_needs_a_distribution():
    """Platinum has no row in the data file: the run fails naming it and the key; given a
    distribution it goes where it is told."""
    extra = "  - {name: platinum, formula: Pt, phase: metal}"
    anode = dict(ANODE, platinum=0.001)
    with pytest.raises(UnitRunError) as info:
        refinery(extra_species=extra, anode=anode).solve()
    assert "platinum" in str(info.value) and "key 'distribution'" in str(info.value)
    res = refinery("{type: electrorefinery, distribution: {platinum: {slime: 1.0}}}",
                   extra_species=extra, anode=anode).solve()
    assert res.closure.worst < 1e-9
    assert res.port_stream("slime", "in").element_flows["Pt"] == pytest.approx(0.00085)


@pytest.mark.parametrize(("er", "key", "words"), [
    ("{type: electrorefinery, current_efficiency: 1.5}", "current_efficiency", "1"),
    ("{type: electrorefinery, cell_voltage: -0.3}", "cell_voltage", "must be 0.05-10 V"),
    ("{type: electrorefinery, current: 0 A}", "current", "must be 0.01-2e8 A"),
    ("{type: electrorefinery, scrap_fraction: 1.2}", "scrap_fraction", "0 or more, below 0.6"),
    ("{type: electrorefinery, copper: coper}", "copper", "did you mean 'copper'"),
    ("{type: electrorefinery, distribution: {nickle: {electrolyte: 1}}}",
     "distribution.nickle", "did you mean 'nickel'"),
    ("{type: electrorefinery, distribution: {nickel: {electrolyte: 0.5}}}",
     "distribution.nickel", "sum to 0.5"),
])
def test_bad_input_is_a_located_error(er, key, words):
    """CE above 1, a negative voltage, zero current, scrap over 100 %, unknown species with
    a suggestion, a distribution not summing to 1: one error naming unit and key."""
    with pytest.raises(SchemaError) as info:
        refinery(er)
    text = str(info.value)
    assert "unit 'er'" in text and f"key '{key}'" in text and words in text, text


def test_undersized_house_fails_with_the_numbers():
    """300 cells of 100 m2 at 300 A/m2 (9 MA, CE 95 %) plate 10.14 t/h of copper by
    Faraday's law; 24 t/h of anode copper less 15 % scrap sends 0.85 x 24 x 0.996 =
    20.32 t/h to the cathode. The solve fails naming the key, the copper plated, the copper
    dissolving and the 10.18 t/h that would go to the bleed, and the cells that would
    plate it at the same density -- no metal passes silently to the bleed."""
    anode = {"copper": 24.0, "silver": 0.02}
    fs = refinery("{type: electrorefinery, current_density: 300, cathode_area: 100, "
                  "cells: 300}", anode=anode)
    with pytest.raises(UnitRunError) as info:
        fs.solve()
    err = info.value
    plated = faraday_mass(9e6, 1.0, 63.546, 2, 0.95) / 1000
    wanted = 0.85 * 24.0 * default_distribution()["Cu"].cathode
    cells = math.ceil(9e6 * wanted / plated / (300 * 100))
    assert (err.location.unit, err.location.key) == ("er", "current_density")
    for number in (plated, wanted, wanted - plated):
        assert f"{number:.4g} t/h" in err.message
    assert f"{cells} cells at 300 A/m2" in err.hint


def test_house_short_by_less_than_the_tolerance_solves_without_warning():
    """600 cells plate 0.2 % less than the cathode copper (inside the 0.5 % tolerance): the
    solve passes, 0.5 % of the copper dissolved goes to the bleed, inside its usual 1 %."""
    fs = refinery("{type: electrorefinery, current_density: 300, cathode_area: 100, "
                  "cells: 600}", anode={"copper": 24.0, "silver": 0.02})
    res = fs.solve()
    assert 0.3 < res.units["er"]["copper_to_bleed_pct"] < 1.0
    assert res.warnings == []


def test_metal_in_the_bleed_is_a_warning():
    """A distribution sending 5 % of the dissolved copper to the electrolyte: one warning
    on copper_to_bleed_pct at 5 % against at most 1 %."""
    res = refinery("{type: electrorefinery, distribution: {copper: {cathode: 0.949, "
                   "slime: 0.001, electrolyte: 0.05}}}").solve()
    (w,) = res.warnings
    assert (w.unit, w.key, w.high) == ("er", "copper_to_bleed_pct", 1.0)
    assert w.value == pytest.approx(5.0)
