"""Kremser equation and the countercurrent stage solver against it (Kremser 1930;
Treybal, Mass-Transfer Operations, 3rd ed., 1980), and Lewis's overall efficiency."""

import numpy as np
import pytest

from units.hydro.isotherms import Isotherm
from units.hydro.kremser import (
    kremser_fraction_unextracted,
    kremser_raffinate,
    kremser_stages,
    lewis_overall_efficiency,
)
from units.hydro.sx_cascade import countercurrent_cascade

CASES = [(n, d, oa) for n in (1, 2, 3, 5, 8)
         for d, oa in ((10.0, 0.5), (2.0, 0.3), (4.0, 0.25), (25.0, 1.2))]


def test_published_series_value():
    """The series (E - 1)/(E^(n+1) - 1) at E = 2, n = 3 is 1/15 (SysCAD, "Counter Current
    Decantation", the same series), and E = 1 gives 1/(N + 1)."""
    assert kremser_fraction_unextracted(3, 2.0) == pytest.approx(1 / 15, rel=1e-14)
    assert kremser_fraction_unextracted(4, 1.0) == pytest.approx(0.2, rel=1e-15)


def test_continuous_through_unit_extraction_factor():
    """Near E = 1 the formula joins the E = 1 limit smoothly (no 0/0)."""
    e = 1.0 + np.array([-1e-7, -1e-12, 0.0, 1e-12, 1e-7])
    phi = kremser_fraction_unextracted(3, e)
    assert np.all(np.abs(phi - 0.25) < 1e-7)


@pytest.mark.parametrize("e", [0.4, 1.0, 2.5])
def test_stages_invert_fraction(e):
    """kremser_stages is the inverse of the fraction for E < 1, E = 1 and E > 1."""
    for n in (1, 2.5, 6):
        assert kremser_stages(kremser_fraction_unextracted(n, e), e) == pytest.approx(n,
                                                                                       rel=1e-10)


def test_calculator_example_at_unit_factor():
    """calculatoratoz.com, "Number of Stages for Extraction Factor equal to 1": feed 0.5,
    solvent 0.05, D 2.6, raffinate 0.1394 give N = 3.0008."""
    phi = (0.1394 - 0.05 / 2.6) / (0.5 - 0.05 / 2.6)
    assert kremser_stages(phi, 1.0) == pytest.approx(3.00077, abs=1e-5)


@pytest.mark.parametrize(("n", "d", "oa"), CASES)
def test_cascade_matches_kremser(n, d, oa):
    """A straight isotherm through the Newton stage solver equals Kremser to 1e-9, for
    E < 1, E = 1 and E > 1, with a partly loaded entering organic."""
    c = countercurrent_cascade(Isotherm.linear(d), 3.0, 0.4, oa, n)
    assert c.raffinate == pytest.approx(float(kremser_raffinate(3.0, 0.4, d, oa, n)),
                                        rel=1e-9)
    assert 3.0 - c.raffinate == pytest.approx(oa * (c.loaded - 0.4), rel=1e-12)


@pytest.mark.parametrize("em", [0.6, 0.9])
@pytest.mark.parametrize(("d", "oa"), [(10.0, 0.5), (2.0, 0.5), (1.0, 0.6)])
def test_murphree_efficiency_matches_lewis(em, d, oa):
    """With a Murphree efficiency on the organic, N real stages equal N E_O ideal ones,
    E_O = ln(1 + E_M (E - 1))/ln E (Lewis, Ind. Eng. Chem. 28 (1936) 399)."""
    e = d * oa
    c = countercurrent_cascade(Isotherm.linear(d), 3.0, 0.0, oa, 4, em)
    ideal = kremser_raffinate(3.0, 0.0, d, oa, 4 * lewis_overall_efficiency(em, e))
    assert c.raffinate == pytest.approx(float(ideal), rel=1e-9)


@pytest.mark.parametrize(("args", "match"), [
    ((0.0, 2, 1.0), "O/A"), ((-1.0, 2, 1.0), "O/A"), ((1.0, 0, 1.0), "stages"),
    ((1.0, 2, 0.0), "efficiency"), ((1.0, 2, 1.2), "efficiency")])
def test_bad_cascade_input(args, match):
    """An O/A of zero, zero stages or an efficiency outside (0, 1] are refused."""
    oa, n, em = args
    with pytest.raises(ValueError, match=match):
        countercurrent_cascade(Isotherm.linear(2.0), 3.0, 0.0, oa, n, em)


def test_bad_kremser_input():
    """A fraction below the infinite-stage limit 1 - E has no number of stages."""
    with pytest.raises(ValueError, match="infinitely"):
        kremser_stages(0.3, 0.5)
    with pytest.raises(ValueError, match="> 0"):
        kremser_raffinate(3.0, 0.0, 2.0, 0.0, 2)
