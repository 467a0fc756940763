"""Faraday's law and the cell-house figures: published numbers, inverses, arrays, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from units.refining.faraday import (
    ampere_hours_per_kg,
    cell_current,
    cells_for_production,
    current_efficiency,
    current_efficiency_from_energy,
    electrochemical_equivalent,
    faraday_current,
    faraday_hours,
    faraday_mass,
    specific_energy_kwh_per_kg,
)

CU, ZN = 63.546, 65.38


def test_copper_electrochemical_equivalent():
    """Copper deposits 1.18549 g/Ah and needs 843.5 Ah/kg (pyro_hydro reference, Faraday
    line; Schlesinger et al., Extractive Metallurgy of Copper, 5th ed., 2011)."""
    assert electrochemical_equivalent(CU, 2) == pytest.approx(1.18549, abs=5e-6)
    assert ampere_hours_per_kg(CU, 2) == pytest.approx(843.5, abs=0.05)


def test_textbook_deposits():
    """14.0 kg of Cu at 40.0 A takes 295 h; 0.123 A for 1 h deposits 0.1457 g of Cu with
    the exercise's Cu = 63.5 g/mol (worked_examples.md, Electrometallurgy)."""
    assert round(faraday_hours(14.0, 40.0, CU, 2, 1.0)) == 295
    assert faraday_mass(0.123, 1.0, 63.5, 2, 1.0) * 1000 == pytest.approx(0.1457, abs=5e-5)


def test_specific_energy_of_copper_cells():
    """Cu EW at 2.0 V and CE 90 % uses 1.875 kWh/kg; Cu ER at 0.30 V and CE 95 % uses
    0.266 kWh/kg (pyro_hydro.md: 843.5 V / CE Wh/kg)."""
    assert specific_energy_kwh_per_kg(2.0, CU, 2, 0.90) == pytest.approx(1.875, abs=5e-4)
    assert specific_energy_kwh_per_kg(0.30, CU, 2, 0.95) == pytest.approx(0.266, abs=5e-4)


def test_zinc_electrowinning_energy_in_published_range():
    """Zinc EW at 3.4 V and CE 90 % lands in 3.0-3.3 kWh/kg (Sinclair, The Extractive
    Metallurgy of Zinc, 2005, as quoted in pyro_hydro.md)."""
    assert 3.0 <= specific_energy_kwh_per_kg(3.4, ZN, 2, 0.90) <= 3.3


def test_aalto_exercise_current_efficiency():
    """Aalto University CHEM-E6180, Exercise 6: 2.2 V and 1.89 kWh/kg mean CE = 98 %."""
    assert current_efficiency_from_energy(2.2, 1.89, CU, 2) == pytest.approx(0.98, abs=0.005)


def test_inverses_agree():
    """Mass, time, current and efficiency are one law: each inverse recovers the input."""
    m = faraday_mass(35_000.0, 24.0, CU, 2, 0.93)
    assert faraday_hours(m, 35_000.0, CU, 2, 0.93) == pytest.approx(24.0, rel=1e-12)
    assert faraday_current(m / 24.0, CU, 2, 0.93) == pytest.approx(35_000.0, rel=1e-12)
    assert current_efficiency(m, 35_000.0, 24.0, CU, 2) == pytest.approx(0.93, rel=1e-12)
    e = specific_energy_kwh_per_kg(1.95, CU, 2, 0.93)
    assert current_efficiency_from_energy(1.95, e, CU, 2) == pytest.approx(0.93, rel=1e-12)
    cells = cells_for_production(m / 24.0, 320.0, 100.0, CU, 2, 0.93)
    assert cells * cell_current(320.0, 100.0) == pytest.approx(35_000.0, rel=1e-12)


def test_functions_broadcast_over_arrays():
    """One call evaluates many cell houses; the result has the broadcast shape."""
    current = np.array([10_000.0, 20_000.0, 30_000.0])
    m = faraday_mass(current, 24.0, CU, 2, np.array([0.9, 0.9, 0.95]))
    assert m.shape == (3,)
    assert m[1] == pytest.approx(2 * m[0])
    e = specific_energy_kwh_per_kg(np.array([2.0, 0.3]), CU, 2, np.array([0.9, 0.95]))
    assert e.tolist() == pytest.approx([1.8745, 0.2664], abs=1e-4)


@pytest.mark.parametrize(("call", "name"), [
    (lambda: faraday_mass(100.0, 1.0, CU, 2, 90.0), "efficiency"),
    (lambda: faraday_mass(100.0, 1.0, CU, 2, 0.0), "efficiency"),
    (lambda: specific_energy_kwh_per_kg(2.0, CU, 2, 1.2), "efficiency"),
    (lambda: specific_energy_kwh_per_kg(-2.0, CU, 2, 0.9), "voltage"),
    (lambda: faraday_hours(10.0, 0.0, CU, 2, 0.9), "current_a"),
    (lambda: faraday_mass(-1.0, 1.0, CU, 2, 0.9), "current_a"),
    (lambda: faraday_mass(1.0, 1.0, 0.0, 2, 0.9), "molar_mass"),
    (lambda: faraday_mass(np.array([1.0, 2.0]), 1.0, CU, 2, np.array([0.9, 1.5])),
     "efficiency"),
])
def test_bad_arguments_name_themselves(call, name):
    """An efficiency outside (0, 1], a non-positive voltage or current, or a bad molar mass
    raises ValueError naming the argument."""
    with pytest.raises(ValueError, match=f"'{name}'"):
        call()


def test_percent_efficiency_gets_a_hint():
    """An efficiency written as 90 (per cent) is refused with the hint to write 0.9."""
    with pytest.raises(ValueError, match="0.9 not 90"):
        faraday_mass(100.0, 1.0, CU, 2, 90.0)
