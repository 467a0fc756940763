"""The converter unit (units/pyro/converter.py): balance, presets, heat and bad input."""

from pathlib import Path

import pytest

import flowsheet
from flowsheet.errors import SchemaError, UnitRunError
from flowsheet.species import SpeciesTable
from flowsheet.stream import Stream
from flowsheet.unit import Context
from units.pyro.converter import Converter

HERE = Path(__file__).parent
SPECIES = [{"name": "white_metal", "formula": "Cu2S", "phase": "matte"},
           {"name": "iron_sulfide", "formula": "FeS", "phase": "matte"},
           {"name": "blister_cu", "formula": "Cu", "phase": "metal"},
           {"name": "cuprous_oxide", "formula": "Cu2O", "phase": "slag"},
           {"name": "ferrous_oxide", "formula": "FeO", "phase": "slag"},
           {"name": "quartz"}, {"name": "sulfur_dioxide"}, {"name": "oxygen"},
           {"name": "nitrogen"}]


def run(config, matte=(75.1, 24.9), o2_t_h=None, flux_t_h=None, o2_pct=21.0):
    """Run a converter on 100 t/h of 60 % Cu matte at 1200 degC, with the blast and flux
    it asks for (a first run reads the demand) unless given."""
    t = SpeciesTable.from_declarations(SPECIES)
    unit = Converter.from_config("conv", config, Context(t))
    feed = Stream(t, t.vector({"white_metal": matte[0], "iron_sulfide": matte[1]}), 1200.0)

    def go(o2, flux):
        n2 = o2 / 32.0 * (100 - o2_pct) / o2_pct * 28.013
        air = Stream(t, t.vector({"oxygen": o2, "nitrogen": n2}))
        inlets = {"matte": [feed], "flux": [Stream(t, t.vector({"quartz": flux}))],
                  "air": [air]}
        run.inlets = [s for v in inlets.values() for s in v]
        return unit.run(inlets)

    _, first = go(100.0, 0.0)
    return go(o2_t_h or first["o2_t_h"] + 0.2, flux_t_h or first["flux_demand_t_h"])


def test_batch_flowsheet_closes_and_lands_in_the_typical_ranges():
    """The Peirce-Smith example (design specs set air and flux) closes every element below
    1e-9, gives blister 98.5-99.5 % Cu and slag 3-8 % Cu (Schlesinger et al. 2011; the
    reference table), a 21 % O2 blast and slag Fe/SiO2 1.8, and is autogenous with coolant
    to spare (converting is strongly exothermic)."""
    res = flowsheet.load(HERE / "converter_batch.yaml").solve()
    assert res.closure.worst < 1e-9
    rep = res.units["converter"]
    assert 98.5 <= rep["blister_cu_pct"] <= 99.5
    assert 3.0 <= rep["slag_cu_pct"] <= 8.0
    assert rep["blast_o2_pct"] == pytest.approx(21.0, rel=1e-6)
    assert rep["slag_fe_sio2"] == pytest.approx(1.8, rel=1e-6)
    assert rep["autogenous"] and rep["coolant_t_h"] > 0
    assert 5.0 < rep["offgas_so2_pct"] < 21.0


def test_element_closure_of_the_unit():
    """Blister, slag and off-gas carry every element of matte, flux and air (1e-12)."""
    outlets, _ = run({"mode": "continuous"})
    e_in = sum(s.flows @ s.table.element_fractions for s in run.inlets)
    e_out = sum(s.flows @ s.table.element_fractions for s in outlets.values())
    assert e_out == pytest.approx(e_in, rel=1e-12, abs=1e-12)


def test_blister_and_slag_meet_their_specification():
    """The blister has the %S and %O asked for, the slag the % Cu; Cu goes only to blister
    and slag; 1 mol O2 per mol Cu2S and 1.5 per mol FeS plus the Cu2O's oxygen."""
    out, rep = run({"blister_s": 0.05, "blister_o": 0.4, "slag_cu": 6.0})
    assert rep["blister_s_pct"] == pytest.approx(0.05)
    assert rep["blister_o_pct"] == pytest.approx(0.4)
    assert rep["slag_cu_pct"] == pytest.approx(6.0)
    cu_in = 75.1 * 2 * 63.546 / 159.16
    cu_out = out["blister"].element_flows["Cu"] + out["slag"].element_flows["Cu"]
    assert cu_out == pytest.approx(cu_in, rel=1e-3)
    assert rep["cu_to_blister_pct"] < 100.0


def test_continuous_mode_uses_its_presets():
    """mode: continuous gives the richer-blast, copper-richer-slag presets (C-slag 10-15 %
    Cu in the reference table) and more SO2 in the off-gas than batch converting."""
    _, batch = run({})
    _, cont = run({"mode": "continuous"}, o2_pct=32.0)
    assert 10.0 <= cont["slag_cu_pct"] <= 15.0
    assert cont["air_demand_nm3_h"] < batch["air_demand_nm3_h"]
    assert cont["offgas_so2_pct"] > batch["offgas_so2_pct"]


def test_matte_without_cu2s_is_a_located_error():
    """A matte that carries no Cu2S cannot be converted: the error names the unit."""
    with pytest.raises(UnitRunError, match="no Cu2S") as err:
        run({}, matte=(0.0, 24.9), o2_t_h=20.0, flux_t_h=5.0)
    assert err.value.location.unit == "conv"


def test_short_blast_fails_after_the_solve():
    """A blast with too little oxygen is refused by verify, with the demand in the hint."""
    t = SpeciesTable.from_declarations(SPECIES)
    _, rep = run({}, o2_t_h=5.0)
    unit = Converter.from_config("conv", {}, Context(t))
    with pytest.raises(UnitRunError, match="too little oxygen") as err:
        unit.verify(rep)
    assert "Nm3/h" in err.value.hint


@pytest.mark.parametrize("config, key", [
    ({"oxygen_percent": -5}, "oxygen_percent"), ({"slag_cu": 50}, "slag_cu"),
    ({"blister_s": -1}, "blister_s"), ({"mode": "flash"}, "mode"),
    ({"coolant": {"Xy2": 1.0}}, "coolant"), ({"oxgen_percent": 30}, "oxgen_percent"),
])
def test_bad_parameters_are_located(config, key):
    """Bad parameters raise one SchemaError located at the unit and the key."""
    t = SpeciesTable.from_declarations(SPECIES)
    with pytest.raises(SchemaError) as err:
        Converter.from_config("conv", config, Context(t))
    assert err.value.location.unit == "conv"
    assert err.value.location.key == key


def test_missing_product_species_is_located():
    """A flowsheet without an SO2 gas species cannot hold the off-gas: a located error."""
    t = SpeciesTable.from_declarations([s for s in SPECIES if s["name"] != "sulfur_dioxide"])
    with pytest.raises(SchemaError, match="SO2") as err:
        Converter.from_config("conv", {}, Context(t))
    assert err.value.location.unit == "conv"
