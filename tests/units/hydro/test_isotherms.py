"""Isotherm models and tables: shapes, inverses, monotonicity checks, the oxime mass
action (Schlesinger et al., Extractive Metallurgy of Copper, 5th ed., 2011, ch. 17)."""

import numpy as np
import pytest

from units.hydro.isotherms import (
    MOLAR_MASS_CU,
    MOLAR_MASS_H2SO4,
    Isotherm,
    check_monotonic,
    langmuir_isotherm,
    oxime_distribution,
    oxime_isotherm,
)

TABLE = ([0.05, 0.2, 0.5, 1.0, 2.0, 3.0, 4.0], [0.9, 2.6, 4.6, 6.2, 7.6, 8.3, 8.7])


@pytest.mark.parametrize("iso", [Isotherm.linear(3.0), Isotherm.langmuir(12.0, 1.5),
                                 Isotherm.from_table(*TABLE),
                                 Isotherm.oxime(0.34, 15.0, 3.0, 5.0)],
                         ids=["linear", "langmuir", "table", "oxime"])
def test_inverse_and_monotone(iso):
    """Every isotherm rises and its inverse returns the aqueous concentration."""
    x = np.linspace(0.0, 5.0, 41)
    y = iso(x)
    assert np.all(np.diff(y) > 0)
    assert np.allclose(iso.aqueous(y), x, atol=1e-10)


def test_table_passes_through_points():
    """The PCHIP table reproduces its rows and is continued by its end tangents."""
    iso = Isotherm.from_table(*TABLE)
    assert np.allclose(iso(TABLE[0]), TABLE[1], rtol=1e-14)
    assert iso(5.0) > iso(4.0) > iso(3.0)


@pytest.mark.parametrize(("x", "y", "row"), [
    ([0.5, 1.0, 0.9, 2.0], [1, 2, 3, 4], 3), ([0.5, 1.0, 1.5], [1, 2, 2], 3),
    ([1.0, 1.0], [1, 2], 2)])
def test_non_monotonic_table_names_row(x, y, row):
    """A table that does not rise raises a ValueError naming the first bad row."""
    with pytest.raises(ValueError, match=f"not monotonic at row {row} "):
        check_monotonic(x, y)


def test_langmuir_limits():
    """Langmuir: slope y_max K at zero and saturation at y_max."""
    assert langmuir_isotherm(1e-9, 10.0, 2.0) / 1e-9 == pytest.approx(20.0, rel=1e-8)
    assert langmuir_isotherm(1e9, 10.0, 2.0) == pytest.approx(10.0, rel=1e-8)


def test_oxime_mass_action_and_acid():
    """The oxime curve satisfies D = K [HR]^2/[H+]^2 with the acid released by extraction
    (1 mol H2SO4 per mol Cu), saturates at C/2, and more acid lowers the loading."""
    c, k = 0.34, 15.0
    for x in (0.2, 1.0, 3.0):
        y = float(oxime_isotherm(x, c, k, 3.0, 5.0))
        acid = 5.0 + (3.0 - x) * MOLAR_MASS_H2SO4 / MOLAR_MASS_CU
        d = oxime_distribution(c - 2 * y / MOLAR_MASS_CU, 2 * acid / MOLAR_MASS_H2SO4, k)
        assert y / x == pytest.approx(float(d), rel=1e-12)
    assert oxime_isotherm(1e6, c, k, 3.0, 5.0) == pytest.approx(MOLAR_MASS_CU * c / 2,
                                                                 rel=1e-3)
    assert oxime_isotherm(3.0, c, k, 3.0, 180.0) < 0.05 * oxime_isotherm(3.0, c, k, 3.0, 5.0)
