"""The copper concentrate-to-cathode example: closure, grades and stage recoveries against
the typical figures of copper smelting and refining.

Typical ranges: Schlesinger, King, Sole and Davenport, Extractive Metallurgy of Copper,
5th ed., Elsevier, 2011, as tabulated in the project reference ``pyro_hydro.md``
(technology table, flash-smelting distribution table, and the stage recoveries smelting +
converting 97-98.5 %, fire refining ~99.5 %, electrorefining ~99.8 %). The flowsheet is
solved once for the module.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import flowsheet

EXAMPLE = Path(__file__).parents[2] / "examples" / "copper_concentrate_to_cathode.yaml"


@pytest.fixture(scope="module")
def res():
    return flowsheet.load(EXAMPLE).solve()


def cu(res, stream: str, port: str | None = None) -> float:
    """Copper flow [t/h] of a named stream, or of the stream at a unit's port."""
    s = res.stream(stream) if port is None else res.port_stream(stream, port)
    return s.element_flows.get("Cu", 0.0)


def stages(res) -> dict[str, float]:
    """Stage recoveries of copper [-], net of the recycles inside each stage."""
    conc = cu(res, "concentrate->flash.concentrate")
    anode = cu(res, "anode_furnace.anode->tankhouse")
    returned = cu(res, "scrap") + cu(res, "liberator_copper") + cu(res, "slime_copper")
    return {
        # per pass, with the dust returned to the furnace: 1 - Cu to slag
        "matte": cu(res, "flash.matte->converter.matte")
        / (cu(res, "flash", "concentrate") - cu(res, "dust_recycle")),
        # blister made from the concentrate (the anode-furnace slag it re-treats excluded)
        "smelting_converting": (cu(res, "converter.blister->anode_furnace.in")
                                - cu(res, "anode_furnace_slag")) / conc,
        "fire_refining": anode / cu(res, "anode_furnace", "in"),
        "electrorefining": cu(res, "cathode", "in") / (anode - returned),
        "through": cu(res, "cathode", "in") / conc,
    }


def test_closes_with_every_spec_met(res):
    """Total mass and every element close below 1e-9; the nine design specs hold."""
    assert res.closure.total < 1e-9
    assert all(v < 1e-9 for v in res.closure.elements.values())
    assert res.closure.worst < 1e-9
    flash, conv = res.units["flash"], res.units["converter"]
    assert flash["o2_excess"] == pytest.approx(0.3, rel=1e-6)
    assert flash["blast_fed_o2_pct"] == pytest.approx(75.0, rel=1e-6)
    assert flash["fe_sio2"] == pytest.approx(1.2, rel=1e-6)
    assert conv["blast_o2_pct"] == pytest.approx(21.0, rel=1e-6)
    assert conv["slag_fe_sio2"] == pytest.approx(1.8, rel=1e-6)
    assert res.units["anode_furnace"]["limited"] == ""


def test_grades_within_typical_ranges(res):
    """Matte 55-70 % Cu and slag 1-2 % Cu (Outokumpu flash), 0.5-0.8 % Cu after slag
    cleaning; blister 98.5-99.5 % Cu and slag 3-8 % Cu (Peirce-Smith); anode 99.4-99.6 %
    Cu (fire refining); cathode at least 99.99 % Cu (electrorefining)."""
    flash, conv = res.units["flash"], res.units["converter"]
    assert 55 <= flash["grade"] <= 70
    assert 1 <= flash["slag_metal_pct"] <= 2
    assert 0.5 <= res.port_stream("final_slag", "in").assays["Cu"] <= 0.8
    assert 98.5 <= conv["blister_cu_pct"] <= 99.5
    assert 3 <= conv["slag_cu_pct"] <= 8
    assert 99.4 <= res.units["anode_furnace"]["anode_cu"] <= 99.6
    assert res.units["tankhouse"]["cathode_purity"] >= 99.99


def test_stage_recoveries_match_the_reference(res):
    """Cu to matte per pass (dust returned) 97-99 % (flash-smelting distribution table);
    smelting + converting 97-98.5 %; fire refining per pass 99.5 +- 0.2 %; electrorefining
    99.8 +- 0.2 % net of the scrap and of the copper recovered from bleed and slime. The
    through recovery is the product of the net stage figures (the anode-furnace slag is
    returned to the converter, so fire refining loses no copper of the route) and lies
    between 97 x 99.8 % and 98.5 x 99.8 %."""
    r = stages(res)
    assert 0.97 <= r["matte"] <= 0.99
    assert 0.97 <= r["smelting_converting"] <= 0.985
    assert r["fire_refining"] == pytest.approx(0.995, abs=0.002)
    assert r["electrorefining"] == pytest.approx(0.998, abs=0.002)
    assert r["through"] == pytest.approx(r["smelting_converting"] * r["electrorefining"],
                                         rel=1e-9)
    assert 0.97 * 0.998 <= r["through"] <= 0.985 * 0.998


def test_copper_losses_are_the_final_slag_slime_and_bleed(res):
    """At steady state every tonne of copper fed leaves as cathode, final slag, slime or
    bleed (no Cu in the gases); the final slag is the main loss."""
    conc = cu(res, "concentrate->flash.concentrate")
    out = {p: cu(res, p, "in") for p in ("cathode", "final_slag", "slime", "bleed",
                                         "smelter_gas", "converter_gas", "af_gas_out")}
    assert sum(out.values()) == pytest.approx(conc, rel=1e-9)
    assert out["final_slag"] > out["slime"] + out["bleed"]
    assert out["smelter_gas"] == out["converter_gas"] == out["af_gas_out"] == 0.0


def test_heat_balances(res):
    """The flash furnace at 75 % O2 and the converter both have heat to spare (oxygen
    enrichment makes flash smelting autogenous; converting is strongly exothermic,
    Schlesinger et al. 2011, ch. 5-6 and 8), and the coolant each could melt is reported;
    the flash balance closes to 1e-9."""
    for unit in ("flash", "converter"):
        rep = res.units[unit]
        assert rep["autogenous"] and rep["coolant_t_h"] > 0 and rep["fuel_t_h"] == 0
        gap = (rep["heat_heat_in_kw"] + rep["heat_reaction_kw"] - rep["heat_heat_out_kw"]
               - rep["heat_loss_kw"] - rep["heat_surplus_kw"])
        assert abs(gap) < 1e-9 * rep["heat_reaction_kw"]


def test_gold_and_silver_report_to_the_slime(res):
    """Au and Ag follow the copper to the anode and fall to the slime: over 95 % of the
    gold fed is in the slime, the rest in the final slag and the cathode."""
    au_in = res.stream("concentrate->flash.concentrate").element_flows["Au"]
    au_slime = res.port_stream("slime", "in").element_flows["Au"]
    assert 0.95 < au_slime / au_in < 1.0
