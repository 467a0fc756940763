"""The calculators' physics: vapour pressures against published values, and the kinetic
forms' limits, monotonic trends and conservation."""

import numpy as np
import pytest

from flowsheet.errors import SchemaError
from units.hydro.calculators.carbon_regeneration import (
    carbon_elution,
    carbon_reactivation,
    water_saturation_temperature,
    water_vapour_pressure,
)
from units.hydro.calculators.demercurisation import (
    demercurisation,
    mercury_vapour_pressure,
)
from units.hydro.calculators.gold_cyanidation import fleming_kn_loading, gold_cyanidation
from units.hydro.calculators.rates import arrhenius_ratio


def test_mercury_vapour_pressure_published_points():
    """Hg boils at 629.77 K under 101.325 kPa (Huber, Laesecke, Friend, Ind. Eng. Chem.
    Res. 45 (2006) 7351) and has the commonly tabulated 0.26 Pa at 25 degC (0.0020 mmHg,
    e.g. CRC Handbook of Chemistry and Physics), to within 5 %."""
    assert mercury_vapour_pressure(629.77 - 273.15) == pytest.approx(101325.0, rel=0.003)
    assert mercury_vapour_pressure(25.0) == pytest.approx(0.26, rel=0.05)


def test_water_vapour_pressure_steam_table():
    """IAPWS saturation pressures (Wagner & Pruss 1993): 3.1699 kPa at 25 degC,
    101.418 kPa at 100 degC, 198.67 kPa at 120 degC, 476.16 kPa at 150 degC; the normal
    boiling point is 99.974 degC."""
    got = water_vapour_pressure(np.array([25.0, 100.0, 120.0, 150.0])) / 1000
    assert got == pytest.approx([3.1699, 101.418, 198.67, 476.16], rel=2e-4)
    assert float(water_saturation_temperature(101325.0)) == pytest.approx(99.974, abs=2e-3)
    assert float(water_saturation_temperature(float(water_vapour_pressure(135.0)))
                 ) == pytest.approx(135.0, abs=1e-8)


def test_arrhenius_ten_degree_doubling():
    """Levenspiel, Chemical Reaction Engineering, 3rd ed., ch. 2: near room temperature a
    rate doubles per 10 degC for Ea of about 53 kJ/mol; and the ratio is 1 at T_ref."""
    assert float(arrhenius_ratio(52.95, 35.0, 25.0)) == pytest.approx(2.0, rel=1e-3)
    assert float(arrhenius_ratio(80.0, 450.0, 450.0)) == 1.0


def test_demercurisation_trends_and_limits():
    """Removal starts at 0, approaches max_removal, rises with temperature and time and
    under reduced pressure; the residual is the feed times what is left."""
    zero = demercurisation(450.0, 101325.0, 0.0)
    assert float(zero["efficiency_pct"]) == 0.0
    long = demercurisation(450.0, 101325.0, 1e5, max_removal=99.0)
    assert float(long["efficiency_pct"]) == pytest.approx(99.0)
    p = demercurisation(450.0, np.array([101325.0, 20000.0, 5000.0, 1000.0]), 60.0)
    assert np.all(np.diff(p["efficiency_pct"]) > 0)
    t = demercurisation(np.array([300.0, 350.0, 400.0, 450.0]), 101325.0, 60.0)
    assert np.all(np.diff(t["efficiency_pct"]) > 0)
    r = demercurisation(450.0, 5000.0, 60.0, hg_feed=250.0)
    assert float(r["residual_hg_mg_per_kg"]) == pytest.approx(
        250.0 * (1 - float(r["efficiency_pct"]) / 100))


def test_demercurisation_release_controls_under_vacuum():
    """In the series-resistance form, vanishing pressure leaves the release step alone:
    k -> k_ref at T_ref."""
    r = demercurisation(450.0, 1e-3, 10.0)
    assert float(r["rate_constant_per_min"]) == pytest.approx(0.08, rel=1e-5)


def test_gold_mass_balance_and_carbon():
    """Gold is conserved: residue + solution + carbon = head; with carbon most dissolved
    gold is adsorbed after a day; without carbon none is."""
    head, solids, carbon = 3.0, 45.0, 15.0
    r = gold_cyanidation(25.0, 1440.0, head_grade=head, solids_pct=solids, carbon_gpl=carbon)
    ore_per_l = solids / (100 - solids)
    total = (float(r["residue_au_g_per_t"]) * ore_per_l + float(r["solution_au_mg_per_l"])
             + float(r["carbon_au_g_per_t"]) * carbon / 1000)
    assert total == pytest.approx(head * ore_per_l, rel=1e-10)
    assert float(r["adsorption_pct"]) > 95
    bare = gold_cyanidation(25.0, 1440.0, carbon_gpl=0.0)
    assert float(bare["adsorption_pct"]) == 0.0
    assert float(bare["efficiency_pct"]) == pytest.approx(float(bare["leach_extraction_pct"]))
    assert float(gold_cyanidation(25.0, 1e6)["leach_extraction_pct"]) == pytest.approx(92.0)


def test_fleming_kn_law():
    """Fleming & Nicol (1984): [Au]c = k [Au]s t^n -- on log axes a line of slope n."""
    t = np.array([1.0, 2.0, 4.0, 8.0])
    q = fleming_kn_loading(120.0, 0.7, 2.0, t)
    slope = np.polyfit(np.log(t), np.log(q), 1)[0]
    assert slope == pytest.approx(0.7)
    assert float(q[0]) == pytest.approx(240.0)


def test_elution_boiling_caps_temperature():
    """Below the saturation pressure the eluant boils: a 120 degC set point at 1 atm runs
    at 99.97 degC, exactly as a 99.97 degC set point; 300 kPa allows 120 degC."""
    capped = carbon_elution(120.0, 101325.0, 480.0)
    same = carbon_elution(float(water_saturation_temperature(101325.0)), 101325.0, 480.0)
    assert float(capped["efficiency_pct"]) == pytest.approx(float(same["efficiency_pct"]))
    assert float(carbon_elution(120.0, 300e3, 480.0)["elution_temperature_c"]) == 120.0
    assert float(carbon_elution(120.0, 300e3, 480.0)["efficiency_pct"]) > float(
        capped["efficiency_pct"])


def test_reactivation_limits():
    """Activity starts at activity_before, tends to max_activity; efficiency is the share
    of lost activity restored; carbon loss grows with temperature."""
    r0 = carbon_reactivation(700.0, 0.0, activity_before=40.0)
    assert float(r0["activity_pct"]) == 40.0 and float(r0["efficiency_pct"]) == 0.0
    r = carbon_reactivation(700.0, 1e4, activity_before=40.0, max_activity=95.0)
    assert float(r["activity_pct"]) == pytest.approx(95.0)
    assert float(r["efficiency_pct"]) == pytest.approx(100 * 55 / 60)
    loss = carbon_reactivation(np.array([650.0, 700.0, 750.0]), 20.0)["carbon_loss_pct"]
    assert np.all(np.diff(loss) > 0)


@pytest.mark.parametrize("call, key", [
    (lambda: demercurisation(-280.0, 1e5, 10.0), "temperature"),
    (lambda: demercurisation(400.0, 0.0, 10.0), "pressure"),
    (lambda: carbon_elution(100.0, 1e5, -1.0), "time"),
    (lambda: gold_cyanidation(25.0, 60.0, solids_pct=100.0), "solids_pct"),
    (lambda: carbon_reactivation(700.0, 10.0, activity_before=120.0), "activity_before"),
])
def test_bad_inputs_name_the_argument(call, key):
    """A temperature below absolute zero, a zero pressure, a negative time or an
    out-of-range fraction is a SchemaError naming the argument."""
    with pytest.raises(SchemaError) as info:
        call()
    assert info.value.location.key == key
