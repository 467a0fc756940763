"""The smelter's heat balance: fuel or coolant, closure of the first law, and bad input.

The furnace is an Outokumpu flash smelter on 100 t/h of a chalcopyrite-pyrite
concentrate, 62 % Cu matte, silica flux, the blast matched to the oxygen demand; the unit
is run directly (no flowsheet solve), so each case costs a few milliseconds.
"""

from __future__ import annotations

import numpy as np
import pytest

from flowsheet.errors import FlowsheetError, SchemaError, UnitRunError
from flowsheet.species import SpeciesTable
from flowsheet.stream import Stream
from flowsheet.unit import Context
from units.pyro import thermo
from units.pyro.heat import mixture_sensible_heat
from units.pyro.smelter import MATTE_REVERT, Smelter

NAMES = ("chalcopyrite", "pyrite", "quartz", "gold", "silver", "oxygen", "nitrogen",
         "sulfur_dioxide", "methane", "carbon_dioxide", "steam")
MOLTEN = {"chalcocite": "matte", "troilite": "matte", "wustite": "slag",
          "magnetite": "slag", "cuprite": "slag"}
BASE = {"technology": "outokumpu_flash", "matte_grade": 62, "silica_flux": "quartz"}


def table(drop: str = "", extra: tuple[dict, ...] = ()) -> SpeciesTable:
    decl = [{"name": n} for n in NAMES if n != drop]
    decl += [{"name": n, "phase": ph} for n, ph in MOLTEN.items()]
    return SpeciesTable.from_declarations(decl + list(extra))


TABLE = table()


def stream(t: SpeciesTable = TABLE, temperature: float = 25.0, **flows: float) -> Stream:
    v = np.zeros(len(t))
    for name, value in flows.items():
        v[t.position(name)] = value
    return Stream(t, v, temperature)


def blast(o2: float, o2_pct: float, t: SpeciesTable = TABLE) -> Stream:
    """``o2`` t/h of oxygen with the nitrogen of a blast at ``o2_pct`` % O2 by volume."""
    return stream(t, oxygen=o2, nitrogen=o2 / 31.998 * (100 - o2_pct) / o2_pct * 28.014)


def smelt(o2_pct: float, methane: float = 0.0, t: SpeciesTable = TABLE, **params):
    """Run the furnace twice: once to read the O2 demand, once with the blast that meets
    it exactly (the fuel's oxygen included). Returns (inlets, outlets, report)."""
    unit = Smelter.from_config("furnace", {**BASE, **params}, Context(t))
    inlets = {"concentrate": [stream(t, chalcopyrite=80, pyrite=12, quartz=8, gold=0.001,
                                     silver=0.01)],
              "flux": [stream(t, quartz=14)], "fuel": [stream(t, methane=methane)],
              "blast": [blast(100.0, o2_pct, t)]}
    _, report = unit.run(inlets)
    inlets["blast"] = [blast(report["o2_demand"], o2_pct, t)]
    outlets, report = unit.run(inlets)
    assert report["o2_excess"] == pytest.approx(0.0, abs=1e-9)
    return inlets, outlets, report


def enthalpy_kw(s: Stream) -> float:
    """Formation plus sensible enthalpy of a stream [kW], species by species from the
    thermochemical data (independent of the heat module's bookkeeping)."""
    return sum(s.flows[i] / sp.molar_mass / 3.6
               * thermo.molar_enthalpy(sp, s.temperature)
               for i, sp in enumerate(s.table.species) if s.flows[i] > 0)


def test_air_needs_fuel_and_enriched_blast_is_autogenous():
    """Oxygen enrichment makes flash smelting autogenous (Schlesinger, King, Sole and
    Davenport, Extractive Metallurgy of Copper, 5th ed., 2011, ch. 5-6): with an air blast
    (21 % O2) the nitrogen carries off more heat than the reactions leave, and the furnace
    needs fuel (methane); at the preset's 75 % O2 it runs with a surplus, reported as the
    matte revert it could melt. The enrichment at which the surplus vanishes lies between
    the two (about 31 % O2 for this cold, dry charge and 10 % losses)."""
    _, _, air = smelt(21.0, fuel="methane")
    assert not air["autogenous"] and air["heat_surplus_kw"] < 0
    assert air["fuel_t_h"] > 0 and air["coolant_t_h"] == 0.0
    _, _, rich = smelt(75.0, fuel="methane")
    assert rich["autogenous"] and rich["heat_surplus_kw"] > 0
    assert rich["fuel_t_h"] == 0.0 and rich["coolant_t_h"] > 0
    assert rich["blast_fed_o2_pct"] == pytest.approx(75.0, rel=1e-3)
    # same reactions, same charge: only the nitrogen's heat differs
    assert rich["heat_reaction_kw"] == pytest.approx(air["heat_reaction_kw"], rel=1e-12)
    _, _, mid = smelt(31.5)
    _, _, low = smelt(30.0)
    assert low["heat_surplus_kw"] < 0 < mid["heat_surplus_kw"]


@pytest.mark.parametrize("o2_pct", [21.0, 75.0])
def test_heat_balance_closes(o2_pct):
    """First law: heat in + heat of reaction = heat out + losses + surplus to 1e-9
    (relative), and the report's terms equal the enthalpies of the streams computed
    species by species; losses are 10 % (the default) of the heat of reaction."""
    inlets, outlets, rep = smelt(o2_pct)
    gap = (rep["heat_heat_in_kw"] + rep["heat_reaction_kw"] - rep["heat_heat_out_kw"]
           - rep["heat_loss_kw"] - rep["heat_surplus_kw"])
    assert abs(gap) < 1e-9 * rep["heat_reaction_kw"]
    h_in = sum(enthalpy_kw(s) for ss in inlets.values() for s in ss)
    h_out = sum(enthalpy_kw(s) for s in outlets.values())
    assert h_in - h_out == pytest.approx(rep["heat_loss_kw"] + rep["heat_surplus_kw"],
                                         rel=1e-9)
    assert rep["heat_loss_kw"] == pytest.approx(0.10 * rep["heat_reaction_kw"], rel=1e-12)


def test_fuel_reported_closes_the_balance_when_fed():
    """The fuel reported for an air blast, fed with its stoichiometric air, brings the
    surplus to zero (the losses on its own heat included), and no more fuel is asked."""
    _, _, rep = smelt(21.0, fuel="methane")
    _, _, fed = smelt(21.0, methane=rep["fuel_t_h"], fuel="methane")
    assert abs(fed["heat_surplus_kw"]) < 1e-9 * fed["heat_reaction_kw"]
    assert fed["fuel_t_h"] == pytest.approx(0.0, abs=1e-9)
    assert fed["heat_reaction_kw"] > rep["heat_reaction_kw"]


def test_coolant_takes_the_surplus_at_furnace_temperature():
    """The coolant reported melts the surplus exactly: rate x its heat from 25 degC to the
    smelter temperature = surplus, for the default matte revert and for silica."""
    _, _, rep = smelt(75.0, temperature=1230.0)
    q = mixture_sensible_heat(MATTE_REVERT, 1230.0)
    assert rep["coolant_t_h"] * q == pytest.approx(rep["heat_surplus_kw"], rel=1e-12)
    _, _, sand = smelt(75.0, temperature=1230.0, coolant={"SiO2": 1.0})
    q = mixture_sensible_heat({"SiO2": 1.0}, 1230.0)
    assert sand["coolant_t_h"] * q == pytest.approx(sand["heat_surplus_kw"], rel=1e-12)


def test_offgas_temperature_and_products():
    """Matte and slag leave at ``temperature``, off-gas and dust at
    ``offgas_temperature``; a hotter off-gas carries more heat and leaves less surplus."""
    _, out, rep = smelt(75.0, temperature=1250.0, offgas_temperature=1320.0)
    assert out["matte"].temperature == out["slag"].temperature == 1250.0
    assert out["offgas"].temperature == out["dust"].temperature == 1320.0
    _, _, cool = smelt(75.0, temperature=1250.0)
    assert rep["heat_heat_out_kw"] > cool["heat_heat_out_kw"]
    assert rep["heat_surplus_kw"] < cool["heat_surplus_kw"]


def test_heat_balance_can_be_switched_off():
    """``heat_balance: false`` reports no heat figures; a lead technology has it off by
    default (its slag oxides lack fusion data) and on when asked."""
    _, _, rep = smelt(75.0, heat_balance=False)
    assert not any(k.startswith("heat_") for k in rep) and "autogenous" not in rep
    params = Smelter.Params.model_validate({"technology": "kivcet"})
    assert params.heat_balance is False


@pytest.mark.parametrize(("params", "drop", "key", "words"), [
    ({"fuel": "methan"}, "", "fuel", "did you mean 'methane'"),
    ({"fuel": "methane"}, "carbon_dioxide", "fuel", "CO2"),
    ({"fuel": "quartz"}, "", "fuel", "Si"),
    ({"coolant": {"Xy2": 1.0}}, "", "coolant", "Xy2"),
])
def test_bad_fuel_or_coolant_is_a_located_error(params, drop, key, words):
    """An undeclared fuel (nearest name suggested), a fuel whose combustion product is not
    declared, a fuel that cannot burn, a coolant without data: one error naming the unit
    and the key."""
    with pytest.raises(SchemaError) as info:
        Smelter.from_config("furnace", {**BASE, **params}, Context(table(drop)))
    text = str(info.value)
    assert "unit 'furnace'" in text and f"key '{key}'" in text and words in text, text


@pytest.mark.parametrize(("params", "words"), [
    ({"loss_fraction": 1.2}, "loss_fraction"),
    ({"coolant": {}}, "coolant"),
])
def test_bad_parameters(params, words):
    """A loss fraction of 1 or more and an empty coolant are refused with the key named."""
    with pytest.raises(FlowsheetError) as info:
        Smelter.from_config("furnace", {**BASE, **params}, Context(TABLE))
    assert words in str(info.value) and "unit 'furnace'" in str(info.value)


def test_species_without_data_names_it_and_the_way_out():
    """A lumped species in the charge has no thermochemical data: the run error names it
    and says how to skip the heat balance; with it skipped the furnace runs."""
    lumped = {"name": "gangue_rock", "phase": "solid", "assay": {"Si": 46.7, "O": 53.3}}
    t = table(extra=(lumped,))
    unit = Smelter.from_config("furnace", BASE, Context(t))
    inlets = {"concentrate": [stream(t, chalcopyrite=80, pyrite=12, gangue_rock=8)],
              "blast": [blast(40.0, 75.0, t)]}
    with pytest.raises(UnitRunError) as info:
        unit.run(inlets)
    text = str(info.value)
    assert "gangue_rock" in text and "heat_balance: false" in text
    unit = Smelter.from_config("furnace", {**BASE, "heat_balance": False}, Context(t))
    assert unit.run(inlets)[1]["grade"] == pytest.approx(62.0)
