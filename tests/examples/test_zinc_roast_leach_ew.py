"""The zinc roast-leach-electrowin example against the typical figures of the process.

Ranges from shared/reference/pyro_hydro.md ("Zinc roast-leach-electrowin", after
Sinclair, The Extractive Metallurgy of Zinc, 2005): roaster off-gas 8-12 % SO2; cells at
3.3-3.6 V, 400-600 A/m2, current efficiency 88-93 %, about 3.0-3.3 kWh/kg; zinc recovery
95-98 %.
"""

from pathlib import Path

import pytest

import flowsheet

EXAMPLE = Path(__file__).parents[2] / "examples" / "zinc_roast_leach_ew.yaml"


@pytest.fixture(scope="module")
def solved():
    return flowsheet.load(EXAMPLE).solve()


def test_elements_close_and_the_leaches_have_their_acid(solved):
    """Every element closes below 1e-9 and no leach runs short of acid at the converged
    solution (the solve verifies it; the reports say so)."""
    assert solved.closure.worst < 1e-9
    for unit in ("neutral_leach", "hot_acid_leach", "iron_removal", "roaster"):
        assert solved.units[unit]["limited"] == ""


def test_roaster_offgas_so2(solved):
    """The roaster gas carries 8-12 % SO2 by volume."""
    table = solved.flowsheet.table
    gas = solved.stream("roaster_gas")
    moles = gas.flows / table.molar_masses
    assert 0.08 <= moles[table.index["sulfur_dioxide"]] / moles.sum() <= 0.12


def test_cellhouse_figures(solved):
    """Pure zinc cathode; 3.4 V and 90 % current efficiency give Faraday's
    3.4 x 819.9 / 0.90 = 3097 kWh/t, inside 3.0-3.3 kWh/kg; about 500 A/m2."""
    ew = solved.units["cellhouse"]
    assert ew["cathode_purity"] == pytest.approx(100.0)
    assert 3000.0 <= ew["specific_energy"] <= 3300.0
    assert ew["specific_energy"] == pytest.approx(3.4 * 819.9 / 0.90, rel=1e-4)
    assert 400.0 <= ew["current_density"] <= 600.0


def test_zinc_recovery_to_cathode(solved):
    """95-98 % of the concentrate's zinc reaches the cathode; what is lost leaves in the
    residues (unroasted sulfide, undissolved ferrite, entrained liquor) and the bleed."""
    zn_in = solved.stream("concentrate->roaster").element_flows["Zn"]
    cathode = solved.port_stream("cathode", "in").element_flows["Zn"]
    assert 0.95 <= cathode / zn_in <= 0.98
    lost = sum(solved.port_stream(p, "in").element_flows.get("Zn", 0.0)
               for p in ("leach_residue", "goethite_residue", "electrolyte_bleed"))
    assert cathode + lost == pytest.approx(zn_in, rel=1e-9)
