"""Anode furnace: oxidation of S, reduction of O to the anode specification, air and
reductant demand by stoichiometry, exact element balance, and bad input."""

from __future__ import annotations

import pytest

import flowsheet
from flowsheet.elements import ATOMIC_WEIGHTS
from flowsheet.errors import SchemaError, UnitRunError

O, S, C, H = (ATOMIC_WEIGHTS[e] for e in ("O", "S", "C", "H"))

#: Blister copper, t/h: 0.03 % S, 0.6 % Cu2O (0.067 % O) and the minor elements that pass
#: to the anode.
BLISTER = {"copper": 99.017, "sulfur": 0.03, "cuprite": 0.6, "silver": 0.05, "gold": 0.003,
           "nickel": 0.15, "lead": 0.05, "arsenic": 0.05, "selenium": 0.02, "iron": 0.03}
AIR = "{oxygen: 2.3, nitrogen: 7.7}"
GAS = "{methane: 0.3}"


def furnace(af: str = "{type: anode_furnace}", blister: dict | None = None, air: str = AIR,
            reductant: str = GAS, drop: str = ""):
    """blister, air, reductant -> anode furnace -> anode, off-gas, slag."""
    flows = ", ".join(f"{k}: {v}" for k, v in (blister or BLISTER).items())
    species = ["{name: copper, phase: metal}", "{name: sulfur, phase: metal}",
               "{name: cuprite, phase: metal}", "{name: silver, phase: metal}",
               "{name: gold, phase: metal}", "{name: nickel, phase: metal}",
               "{name: lead, phase: metal}", "{name: arsenic, formula: As, phase: metal}",
               "{name: selenium, phase: metal}", "{name: iron, phase: metal}",
               "{name: oxygen}", "{name: nitrogen}", "{name: methane}", "{name: carbon}",
               "{name: sulfur_dioxide}", "{name: carbon_dioxide}", "{name: steam}",
               "{name: copper_oxide_slag, formula: Cu2O, phase: slag}"]
    species = "\n".join(f"  - {s}" for s in species if drop not in s or not drop)
    return flowsheet.loads(f"""
flowsheet: anode-furnace-test
species:
{species}
units:
  blister: {{type: feed, flows: {{{flows}}}, temperature: 1200 degC}}
  air: {{type: feed, flows: {air}}}
  fuel: {{type: feed, flows: {reductant}}}
  af: {af}
  anode: {{type: product}}
  offgas: {{type: product}}
  slag: {{type: product}}
streams:
  - {{from: blister, to: af.in}}
  - {{from: air, to: af.air}}
  - {{from: fuel, to: af.reductant}}
  - {{from: af.anode, to: anode}}
  - {{from: af.offgas, to: offgas}}
  - {{from: af.slag, to: slag}}
""")


def test_anode_at_specification_and_balance_closes():
    """The anode carries 20 ppm S and 1500 ppm O and 99.4-99.6 % Cu (fire refining,
    pyro_hydro.md); every element closes below 1e-9; the minor elements pass."""
    res = furnace().solve()
    assert res.closure.worst < 1e-9
    rep = res.units["af"]
    assert rep["anode_sulfur"] == pytest.approx(20.0, rel=1e-9)
    assert rep["anode_oxygen"] == pytest.approx(1500.0, rel=1e-9)
    assert 99.4 <= rep["anode_cu"] <= 99.6
    anode = res.port_stream("anode", "in")
    assert anode.element_flows["Ag"] == pytest.approx(0.05)
    assert rep["slag"] == 0.0 and rep["limited"] == ""
    assert anode.temperature == 1200.0


def test_demand_is_stoichiometric():
    """O2 demand = S burnt to SO2 + O picked up to 0.6 % of the anode; CH4 demand = O
    removed from 0.6 % to 0.15 % at 4 O per CH4; air demand at 23 % O2 by mass."""
    rep = furnace().solve().units["af"]
    anode = rep["anode"]
    s_burnt = 0.03 - 20e-6 * anode
    o_in = 0.6 * O / (2 * 63.546 + O)
    o2 = s_burnt * 2 * O / S + 0.006 * anode - o_in
    assert rep["oxygen_demand"] == pytest.approx(o2, rel=1e-4)
    assert rep["air_demand"] == pytest.approx(o2 / 0.23, rel=1e-4)
    assert rep["sulfur_dioxide"] == pytest.approx(s_burnt * (S + 2 * O) / S, rel=1e-9)
    ch4 = (0.006 - 0.0015) * anode / (4 * O) * (C + 4 * H)
    assert rep["reductant_demand"] == pytest.approx(ch4, rel=1e-4)
    assert rep["reductant_demand_nm3"] == pytest.approx(ch4 / (C + 4 * H) * 1000 * 22.414,
                                                        rel=1e-4)
    # off-gas: everything that is not used leaves, SO2 by volume from the mole count
    assert 0 < rep["offgas_so2"] < 1
    assert rep["offgas"] == pytest.approx(10.0 + 0.3 + sum(BLISTER.values()) - anode
                                          - rep["slag"], rel=1e-12)


def test_carbon_reductant_and_slag():
    """Carbon burns to CO2 (2 O per C); 1 % of the copper goes to slag as Cu2O; the balance
    closes and the report says so."""
    af = ("{type: anode_furnace, slag_copper: 0.01, species: {slag: copper_oxide_slag}}")
    res = furnace(af, reductant="{carbon: 0.2}").solve()
    assert res.closure.worst < 1e-9
    rep = res.units["af"]
    assert rep["copper_to_slag"] == pytest.approx(1.0, rel=1e-9)
    assert rep["slag"] > 0
    removed = (0.006 - 0.0015) * rep["anode"]
    assert rep["reductant_demand"] == pytest.approx(removed * C / (2 * O), rel=1e-9)
    assert "reductant_demand_nm3" not in rep


def test_blister_already_low_in_sulfur_keeps_it():
    """A blister with less S than the specification loses none and makes no SO2."""
    res = furnace(blister=dict(BLISTER, sulfur=0.001)).solve()
    assert res.closure.worst < 1e-9
    rep = res.units["af"]
    assert rep["sulfur_dioxide"] == 0.0
    assert res.port_stream("anode", "in").element_flows["S"] == pytest.approx(0.001)


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"air": "{oxygen: 0.1, nitrogen: 0.4}"}, "needs"),
    ({"reductant": "{methane: 0.01}"}, "reductant"),
])
def test_short_air_or_reductant_is_a_run_error_with_the_demand(kwargs, words):
    """A feed short of the demand fails at convergence, naming the unit, with the demand
    in the hint."""
    with pytest.raises(UnitRunError) as info:
        furnace(**kwargs).solve()
    text = str(info.value)
    assert "unit 'af'" in text and words in text and "feed at least" in text


def test_missing_combustion_product_is_located():
    """Methane needs CO2 declared: the run error names the key species.carbon_dioxide."""
    with pytest.raises(UnitRunError) as info:
        furnace(drop="carbon_dioxide").solve()
    assert "key 'species.carbon_dioxide'" in str(info.value)


@pytest.mark.parametrize(("af", "key", "words"), [
    ("{type: anode_furnace, anode_oxygen: 0.7 %}", "anode_oxygen", "must be below"),
    ("{type: anode_furnace, oxidation_oxygen: 0.1 %}", "oxidation_oxygen", "must exceed"),
    ("{type: anode_furnace, anode_sulfur: -20 ppm}", "anode_sulfur", "0 or more, below 0.05"),
    ("{type: anode_furnace, species: {sulfur: sulphur}}", "species.sulfur",
     "did you mean 'sulfur'"),
    ("{type: anode_furnace, species: {oxygen_in_copper: nickel}}", "species.oxygen_in_copper",
     "cannot be"),
    ("{type: anode_furnace, slag_copper: 0.01, species: {slag: copper_oxide_slg}}",
     "species.slag", "did you mean 'copper_oxide_slag'"),
    ("{type: anode_furnace, oxidation_oxigen: 0.006}", "oxidation_oxigen",
     "did you mean 'oxidation_oxygen'"),
])
def test_bad_input_is_a_located_error(af, key, words):
    """Specifications that contradict each other, an unknown or unfit species: one error
    naming unit and key, with a suggestion where one exists."""
    with pytest.raises(SchemaError) as info:
        furnace(af)
    text = str(info.value)
    assert "unit 'af'" in text and f"key '{key}'" in text and words in text, text


def test_anode_furnace_and_refinery_with_scrap_recycle():
    """Blister -> anode furnace -> electrorefinery, the scrap anodes returned to the
    furnace: the recycle converges, the balance closes below 1e-9, and at steady state the
    scrap is 15 % of the anodes cast; the cathode carries over 98 % of the blister's copper
    and, with the copper of the electrolyte bleed (recovered in a plant), over 99.5 %."""
    fs = flowsheet.loads(f"""
flowsheet: blister-to-cathode
species:
  - {{name: copper, phase: metal}}
  - {{name: sulfur, phase: metal}}
  - {{name: cuprite, phase: metal}}
  - {{name: silver, phase: metal}}
  - {{name: gold, phase: metal}}
  - {{name: nickel, phase: metal}}
  - {{name: oxygen}}
  - {{name: nitrogen}}
  - {{name: methane}}
  - {{name: sulfur_dioxide}}
  - {{name: carbon_dioxide}}
  - {{name: steam}}
units:
  blister: {{type: feed, flows: {{copper: 99.3, sulfur: 0.03, cuprite: 0.5, silver: 0.05,
                                  gold: 0.003, nickel: 0.117}}}}
  air: {{type: feed, flows: {AIR}}}
  fuel: {{type: feed, flows: {GAS}}}
  af: {{type: anode_furnace}}
  er: {{type: electrorefinery}}
  offgas: {{type: product}}
  slag: {{type: product}}
  cathode: {{type: product}}
  slime: {{type: product}}
  bleed: {{type: product}}
streams:
  - {{from: blister, to: af.in}}
  - {{from: er.scrap, to: af.in}}
  - {{from: air, to: af.air}}
  - {{from: fuel, to: af.reductant}}
  - {{from: af.anode, to: er}}
  - {{from: af.offgas, to: offgas}}
  - {{from: af.slag, to: slag}}
  - {{from: er.cathode, to: cathode}}
  - {{from: er.slime, to: slime}}
  - {{from: er.bleed, to: bleed}}
""")
    res = fs.solve()
    assert res.closure.worst < 1e-9
    anodes = res.stream("af.anode->er").total
    assert res.units["er"]["scrap"] == pytest.approx(0.15 * anodes, rel=1e-9)
    cu_in = res.stream("blister->af.in").element_flows["Cu"]
    cathode_cu = res.port_stream("cathode", "in").element_flows["Cu"]
    bleed_cu = res.port_stream("bleed", "in").element_flows["Cu"]
    assert 0.98 < cathode_cu / cu_in < 1.0
    assert 0.995 < (cathode_cu + bleed_cu) / cu_in < 1.0


def test_short_reductant_message_carries_the_numbers():
    """A short reductant says what enters and what the reduction needs (both from the
    converged report, the demand being the stoichiometric CH4 for the oxygen removed) and
    the oxygen the anode keeps, above the 1500 ppm asked."""
    fs = furnace(reductant="{methane: 0.01}")
    with pytest.raises(UnitRunError) as info:
        fs.solve()
    feeds = {"in": "blister", "air": "air", "reductant": "fuel"}
    rep = fs.units["af"].run({port: [fs.units[feed].source()]
                              for port, feed in feeds.items()})[1]
    message = info.value.message
    assert info.value.location.key == "reductant"
    assert f"{0.01:.6g} t/h" in message and f"{rep['reductant_demand']:.6g} t/h" in message
    assert "1500 ppm O" in message and rep["anode_oxygen"] > 1500
    assert f"{rep['anode_oxygen']:.4g} ppm O" in message


def test_no_reductant_says_how_much_oxygen_to_remove():
    """A reductant feed with no C or H (nitrogen only) cannot reduce: the error gives the
    oxygen to remove and the methane that would remove it (CH4 + 4 O, 16.04/64.00 t/t)."""
    fs = furnace(reductant="{nitrogen: 0.2}")
    with pytest.raises(UnitRunError) as info:
        fs.solve()
    assert "holds no C or H" in info.value.message and "t/h of CH4" in info.value.hint
