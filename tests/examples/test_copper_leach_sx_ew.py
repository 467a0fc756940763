"""The copper leach - CCD - SX - EW example: balances, the plant's figures inside the
typical ranges, and the overall copper recovery from ore to cathode.

Typical ranges: Schlesinger, King, Sole and Davenport, Extractive Metallurgy of Copper,
5th ed., Elsevier, 2011, solvent-extraction and electrowinning chapters, as collected in
the project's reference data (pyro_hydro.md, "Hydrometallurgy").
"""

from pathlib import Path

import numpy as np
import pytest

import flowsheet

EXAMPLE = Path(__file__).parents[2] / "examples" / "copper_leach_sx_ew.yaml"


@pytest.fixture(scope="module")
def solved():
    return flowsheet.load(EXAMPLE).solve()


def _copper_in_solids(stream) -> float:
    """Copper [t/h] in the solid species of a stream."""
    table = stream.table
    cu = table.elements.index("Cu")
    return float(stream.flows[table.solid_mask] @ table.element_fractions[table.solid_mask,
                                                                        cu])


def _gpl(stream, what) -> float:
    """Concentration [g/L] of an element (str) or species index (int) in a solution."""
    tph = (stream.element_flows.get(what, 0.0) if isinstance(what, str)
           else float(stream.flows[what]))
    return 1000.0 * tph / stream.volumetric_flow


def test_balances_close_and_spec_holds(solved):
    """Total mass and every element close below 1e-9 with all three recycles (raffinate,
    organic, electrolyte) converged, and the design spec holds the spent electrolyte at
    37 g/L Cu with a current density found inside the typical 250-350 A/m2."""
    closure = solved.closure
    assert closure.total < 1e-9
    assert closure.elements and max(closure.elements.values()) < 1e-9
    assert solved.convergence.converged
    ew = solved.units["ew"]
    assert ew["spent_metal"] == pytest.approx(37.0, rel=1e-6)
    spec = solved.convergence.specs[0]
    assert spec["vary"]["ew.current_density"] == pytest.approx(ew["current_density"])


def test_leach_extraction_and_pls(solved):
    """The leach takes most of the copper: tenorite and malachite (chemically controlled,
    fast) almost completely, chrysocolla (product-layer diffusion through its silica
    skeleton) only in part; overall 85-97 % of the copper in the ore. The PLS carries
    1-6 g/L Cu at a free acid of 1-10 g/L H2SO4 (pH about 1.3-2.2)."""
    leach = solved.units["leach"]
    assert leach["extraction_tenorite"] > 0.98
    assert leach["extraction_malachite"] > 0.98
    assert 0.6 < leach["extraction_chrysocolla"] < 0.9
    feed = solved.port_stream("leach", "in")
    out = solved.port_stream("leach", "out")
    extraction = 1.0 - _copper_in_solids(out) / _copper_in_solids(feed)
    assert 0.85 < extraction < 0.97
    pls = solved.stream("pls")
    acid = solved.flowsheet.table.index["sulfuric_acid"]
    assert 1.0 < solved.units["sx_e"]["feed_gpl"] < 6.0
    assert 1.0 < _gpl(pls, "Cu") < 6.0
    assert 1.0 < _gpl(pls, acid) < 10.0


def test_solvent_extraction_figures(solved):
    """SX extraction 90-95 %, raffinate 0.1-0.3 g/L Cu, and a net transfer of
    0.25-0.30 g/L Cu per vol % extractant, the copper SX figures of Schlesinger et al.
    (2011); the strip moves what the extraction took, less the entrained aqueous."""
    sx_e, sx_s = solved.units["sx_e"], solved.units["sx_s"]
    assert 90.0 < sx_e["extraction_percent"] < 95.0
    assert 0.1 < sx_e["raffinate_gpl"] < 0.3
    assert 0.1 < _gpl(solved.stream("raffinate"), "Cu") < 0.3
    assert 0.25 <= sx_e["net_transfer_gpl_per_vol_percent"] <= 0.30
    assert -sx_s["Cu_transfer"] == pytest.approx(sx_e["Cu_transfer"], rel=0.02)


def test_electrolyte_and_cell_house(solved):
    """Lean electrolyte 35-40 g/L Cu and 170-190 g/L H2SO4, rich 45-50 g/L Cu; cells at
    1.8-2.2 V, 250-350 A/m2 and 85-95 % current efficiency (Schlesinger et al., 2011);
    specific energy 843.5 V / CE Wh/kg by Faraday's law."""
    ew, sx_s = solved.units["ew"], solved.units["sx_s"]
    acid = solved.flowsheet.table.index["sulfuric_acid"]
    lean = solved.stream("lean_electrolyte")
    assert 35.0 < _gpl(lean, "Cu") < 40.0
    assert 35.0 < sx_s["aqueous_in_gpl"] < 40.0
    assert 170.0 < _gpl(lean, acid) < 190.0
    assert 45.0 < sx_s["rich_electrolyte_gpl"] < 50.0
    assert 45.0 < _gpl(solved.stream("rich_electrolyte"), "Cu") < 50.0
    assert 1.8 <= ew["cell_voltage"] <= 2.2
    assert 250.0 < ew["current_density"] < 350.0
    assert 0.85 <= ew["current_efficiency"] <= 0.95
    assert ew["specific_energy"] == pytest.approx(843.5 * ew["cell_voltage"]
                                                  / ew["current_efficiency"], rel=1e-3)


def test_overall_copper_recovery(solved):
    """Copper from ore to cathode. Expectation, from the stage figures rather than one
    published number: the leach extraction (85-97 %) times what the five-stage CCD keeps
    of the dissolved copper (about 97-99 % at a wash ratio near 1.8), SX and EW losing
    only the raffinate and electrolyte bleeds (under 1 %) -- so above 80 % and below the
    leach extraction. Every copper atom not in the cathode is in the tailings (unleached
    or dissolved), the neutralised bleed or the crud, and they add up to the ore's copper."""
    cu_ore = solved.stream("ore->leach_mix").element_flows["Cu"]
    cathode = solved.stream("ew.cathode->cathode").element_flows["Cu"]
    recovery = cathode / cu_ore
    feed = solved.port_stream("leach", "in")
    leached = 1.0 - _copper_in_solids(solved.port_stream("leach", "out")) / \
        _copper_in_solids(feed)
    assert 0.80 < recovery < leached
    losses = {p: solved.port_stream(p, "in").element_flows.get("Cu", 0.0)
              for p in ("tailings", "neutralised", "crud")}
    assert cathode + sum(losses.values()) == pytest.approx(cu_ore, rel=1e-9)
    tailings = solved.port_stream("tailings", "in")
    soluble_loss = (tailings.element_flows["Cu"] - _copper_in_solids(tailings)) / cu_ore
    assert 0.005 < soluble_loss < 0.05
    assert np.isclose(solved.units["ew"]["cathode_purity"], 100.0)
