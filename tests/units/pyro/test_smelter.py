"""The smelter unit: flowsheets that close, reports within the preset, located errors."""

from pathlib import Path

import pytest

import flowsheet
from flowsheet.errors import FlowsheetError
from flowsheet.species import SpeciesTable
from flowsheet.unit import Context
from units.pyro.smelter import Smelter
from units.pyro.technologies import technology, technology_names

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def flash():
    return flowsheet.load(DATA / "flash_smelter.yaml").solve()


def test_flash_smelter_closes_and_meets_its_targets(flash):
    """Copper flash smelting: closure < 1e-9, matte at the 62 % target, slag at the
    preset's 1.5 % Cu (Outokumpu flash: 1-2 %, Schlesinger et al. 2011), the blast spec
    meets the O2 demand exactly, and Au follows its 0.98 matte coefficient."""
    assert flash.closure.worst < 1e-9
    rep = flash.units["furnace"]
    assert rep["grade"] == pytest.approx(62.0)
    assert rep["slag_metal_pct"] == pytest.approx(1.5)
    assert rep["o2_excess"] == pytest.approx(0.0, abs=1e-8)
    au = flash.port_stream("matte", "in").element_flows["Au"]
    assert au == pytest.approx(0.98 * 0.001, rel=1e-9)
    assert 90 < rep["recovery_pct"] < 99
    assert rep["offgas_so2_pct"] > 30
    assert rep["silica_flux_demand"] > 0


def test_kivcet_lead_bullion_closes():
    """Lead through the same unit: KIVCET makes bullion (PbS -> Pb + SO2), all S leaves as
    SO2, the excess O2 leaves in the off-gas and the balance closes below 1e-9."""
    res = flowsheet.load(DATA / "kivcet_lead.yaml").solve()
    assert res.closure.worst < 1e-9
    rep = res.units["kivcet"]
    assert rep["grade"] > 95 and rep["sulfur_oxidised"] == pytest.approx(1.0)
    assert rep["recovery_pct"] == pytest.approx(90.0)
    assert res.port_stream("gas", "in").get("flows.oxygen") == pytest.approx(
        rep["o2_excess"])


def table():
    return SpeciesTable.from_declarations([
        {"name": "chalcopyrite"}, {"name": "quartz"}, {"name": "oxygen"},
        {"name": "chalcocite", "phase": "matte"}, {"name": "troilite", "phase": "matte"},
        {"name": "wustite", "phase": "slag"}, {"name": "sulfur_dioxide"}])


@pytest.mark.parametrize("config, message", [
    ({"technology": "vanyukof"}, "unknown technology 'vanyukof' -- did you mean 'vanyukov'"),
    ({"technology": "vanyukov", "matte_grade": 70},
     "70 % Cu is outside what Vanyukov bath smelting reaches (45-60 % Cu)"),
    ({"technology": "kivcet", "matte_grade": 60}, "'matte_grade' does not apply"),
    ({"technology": "isasmelt", "silica_flux": "silika"}, "flux species 'silika'"),
    ({"technology": "isasmelt", "matte_grade": 60, "sulfur_oxidised": 0.5},
     "give one of"),
])
def test_bad_parameters_give_one_located_error(config, message):
    """Unknown technology (nearest name), a grade outside the technology's range (named),
    a grade for a lead furnace, a missing flux species, two targets: one error that names
    the unit."""
    with pytest.raises(FlowsheetError) as err:
        Smelter.from_config("furnace", config, Context(table()))
    assert message in str(err.value)
    assert "unit 'furnace'" in str(err.value)


def test_missing_product_species_and_incomplete_assay():
    """A product species the flowsheet lacks is named with a library species to declare;
    a lumped ore assayed to less than its mass is refused."""
    from flowsheet.stream import Stream

    t = SpeciesTable.from_declarations([{"name": "chalcopyrite"}, {"name": "oxygen"},
                                        {"name": "sulfur_dioxide"}])
    unit = Smelter.from_config("furnace", {"technology": "isasmelt"}, Context(t))
    with pytest.raises(FlowsheetError, match="formula Cu2S -- declare"):
        unit.run({"concentrate": [Stream(t, [100.0, 0.0, 0.0])]})
    t2 = SpeciesTable.from_declarations([{"name": "ore", "phase": "solid",
                                          "assay": {"Cu": 20, "Fe": 25, "S": 30}}])
    unit = Smelter.from_config("furnace", {"technology": "isasmelt"}, Context(t2))
    with pytest.raises(FlowsheetError, match="assayed to 75 %"):
        unit.run({"concentrate": [Stream(t2, [10.0])]})


def test_every_preset_loads_with_sources():
    """All twelve presets load, cite known sources, and their default grade lies in their
    range."""
    names = technology_names()
    assert {"vanyukov", "isasmelt", "ausmelt", "el_teniente", "mitsubishi",
            "outokumpu_flash", "noranda", "salvador", "kivcet", "qsl", "isasmelt_lead",
            "ausmelt_tin"} <= set(names)
    for name in names:
        t = technology(name)
        assert t.sources and t.grade[0] <= t.default_grade <= t.grade[1]
