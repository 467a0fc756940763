"""Thermochemical data and enthalpies of units/pyro/thermo.py."""

import pytest

from flowsheet.errors import SchemaError, SpeciesError
from flowsheet.species import SpeciesTable
from units.pyro import thermo


@pytest.mark.parametrize("formula, kj", [
    ("SO2", -296.81), ("Cu2S", -79.5), ("FeS", -100.0), ("FeO", -272.0), ("SiO2", -910.7),
    ("CO2", -393.51), ("H2O", -285.83), ("H2O(g)", -241.83),
])
def test_formation_enthalpies_match_published_values(formula, kj):
    """Standard enthalpies of formation at 298.15 K match NIST-JANAF / CRC Handbook values
    (SO2 -296.81, Cu2S -79.5, FeS -100.0, FeO -272.0, SiO2 -910.7, CO2 -393.51, H2O(l)
    -285.83, H2O(g) -241.83 kJ/mol) to within the 0.1 kJ/mol rounding of the CRC table."""
    assert thermo.enthalpy_of_formation(formula) / 1000 == pytest.approx(kj, abs=0.06)


def test_chalcopyrite_formation_enthalpy():
    """CuFeS2: -194.93 kJ/mol (Cemic and Kleppa 1988, Phys. Chem. Minerals 16, 172)."""
    assert thermo.enthalpy_of_formation("CuFeS2") == pytest.approx(-194930.0)


@pytest.mark.parametrize("formula, kj", [("N2", 21.460), ("O2", 22.707), ("CO2", 33.397),
                                         ("H2O(g)", 25.993)])
def test_gas_enthalpy_at_1000_k_matches_janaf(formula, kj):
    """H(1000 K) - H(298.15 K) of the gases matches the NIST-JANAF tables (Chase 1998) to
    0.03 kJ/mol (the Shomate fits reproduce the tables)."""
    assert thermo.sensible_enthalpy(formula, 1000 - 273.15) / 1000 == pytest.approx(kj, abs=0.03)


def test_melting_adds_the_enthalpy_of_fusion():
    """Copper just above its melting point holds 13.26 kJ/mol (CRC) more than just below."""
    tm = 1357.77 - 273.15
    jump = thermo.sensible_enthalpy("Cu", tm + 1e-6) - thermo.sensible_enthalpy("Cu", tm - 1e-6)
    assert jump == pytest.approx(13260.0, abs=1.0)


def test_matte_and_slag_species_are_molten():
    """A matte species is molten below its own melting point (supercooled liquid): Cu2S at
    1100 degC in a matte carries its 9.62 kJ/mol of fusion more than solid Cu2S."""
    molten = thermo.sensible_enthalpy("Cu2S", 1100.0, "matte")
    solid = thermo.sensible_enthalpy("Cu2S", 1100.0, "solid")
    assert molten - solid == pytest.approx(9620.0)
    assert thermo.sensible_enthalpy("Cu2S(l)", 1100.0) == pytest.approx(molten)


def test_flowsheet_species_are_read_by_formula_and_phase():
    """A declared species named anything is found by its formula and phase."""
    t = SpeciesTable.from_declarations([{"name": "my_matte_cu", "formula": "Cu2S",
                                         "phase": "matte"}, {"name": "steam"}])
    assert thermo.sensible_enthalpy(t["my_matte_cu"], 1100.0) == pytest.approx(
        thermo.sensible_enthalpy("Cu2S", 1100.0, "matte"))
    assert thermo.enthalpy_of_formation(t["steam"]) == pytest.approx(-241800.0)


def test_sensible_enthalpy_grows_with_temperature_and_is_zero_at_25():
    """H - H(25 degC) is 0 at 25 degC and rises with temperature (arrays accepted)."""
    h = thermo.sensible_enthalpy("SiO2", [25.0, 500.0, 1000.0])
    assert h[0] == pytest.approx(0.0, abs=1e-9)
    assert 0 < h[1] < h[2]


def test_unknown_formula_is_a_clear_error():
    """An unknown formula raises SpeciesError naming it."""
    with pytest.raises(SpeciesError, match="no thermochemical data for Cu3AsS4"):
        thermo.sensible_enthalpy("Cu3AsS4", 1200.0)
    with pytest.raises(SpeciesError, match="Cu .gas."):
        thermo.enthalpy_of_formation("Cu", "gas")


def test_molten_without_fusion_data_and_bad_temperature_are_errors():
    """A species without fusion data cannot be taken molten; a temperature outside the
    data's range is refused."""
    with pytest.raises(SpeciesError, match="no enthalpy of fusion for FeS2"):
        thermo.sensible_enthalpy("FeS2", 1200.0, "slag")
    with pytest.raises(SchemaError, match="outside"):
        thermo.sensible_enthalpy("Cu", 4000.0)


def test_sensible_enthalpy_cache_returns_the_computed_value_and_hits_on_repeat():
    """The cached sensible enthalpy equals the computation it keeps (the wrapped function)
    for every species, phase and temperature tried, molten, gas and Kopp-estimated alike;
    asking again for the same species at the same temperature is a cache hit."""
    cached = thermo._sensible_enthalpy
    cases = [("Cu", None), ("Cu2S", "matte"), ("FeO", "slag"), ("SO2", None),
             ("H2O", "gas"), ("CuFeS2", "solid"), ("SiO2", "liquid"), ("Fe3O4", None)]
    for formula, phase in cases:
        for t in (25.0, 612.5, 1084.6, 1250.0, -20.0):
            assert cached(formula, phase, t) == cached.__wrapped__(formula, phase, t)
    hits = cached.cache_info().hits
    table = SpeciesTable.from_declarations([{"name": "chalcocite", "phase": "matte"}])
    first = thermo.sensible_enthalpy(table.species[0], 1234.5)
    assert thermo.sensible_enthalpy("Cu2S", 1234.5, "matte") == first
    assert cached.cache_info().hits == hits + 1


def test_sensible_enthalpy_errors_are_not_cached():
    """An unknown formula or a temperature out of range raises every time it is asked."""
    for _ in range(2):
        with pytest.raises(SpeciesError):
            thermo.sensible_enthalpy("Xx2O", 100.0)
        with pytest.raises(SchemaError):
            thermo.sensible_enthalpy("Cu", 5000.0)
