"""McCabe-Thiele stage stepping (McCabe and Thiele, Ind. Eng. Chem. 17 (1925) 605): it
agrees with Kremser on a straight line and with the stage solver on a curved one."""

import pytest

from units.hydro.isotherms import Isotherm
from units.hydro.kremser import kremser_raffinate
from units.hydro.mccabe_thiele import mccabe_thiele_plot, step_off_stages
from units.hydro.sx_cascade import countercurrent_cascade


@pytest.mark.parametrize("n", [1, 2, 4])
@pytest.mark.parametrize(("d", "oa"), [(10.0, 0.5), (2.0, 0.5), (1.0, 0.8)])
def test_steps_equal_kremser(n, d, oa):
    """Stepping to the Kremser raffinate of N stages takes exactly N steps (E > 1, = 1,
    < 1)."""
    xn = float(kremser_raffinate(3.0, 0.2, d, oa, n))
    assert step_off_stages(Isotherm.linear(d), 3.0, xn, 0.2, oa).stages == pytest.approx(
        n, abs=1e-9)


@pytest.mark.parametrize("em", [1.0, 0.85])
def test_steps_agree_with_stage_solver(em):
    """With a curved (Langmuir) isotherm and a stage efficiency, stepping to the raffinate
    of the Newton stage solver takes its number of stages; a strip also steps."""
    iso = Isotherm.langmuir(12.0, 1.5)
    c = countercurrent_cascade(iso, 3.0, 1.0, 0.8, 3, em)
    assert step_off_stages(iso, 3.0, c.raffinate, 1.0, 0.8, em).stages == pytest.approx(
        3, abs=1e-8)
    strip = countercurrent_cascade(Isotherm.linear(0.2), 35.0, 10.0, 2.0, 2)
    s = step_off_stages(Isotherm.linear(0.2), 35.0, strip.raffinate, 10.0, 2.0)
    assert s.stages == pytest.approx(2, abs=1e-9)


def test_pinch_is_an_error():
    """An operating line that meets the isotherm cannot reach the raffinate."""
    with pytest.raises(ValueError, match="crosses the equilibrium|pinch"):
        step_off_stages(Isotherm.linear(1.0), 3.0, 0.01, 0.0, 0.5)


def test_plot_is_written(tmp_path):
    """The construction is drawn to a PNG (checked by eye when written)."""
    iso = Isotherm.from_table([0.05, 0.2, 0.5, 1, 2, 3, 4, 5],
                              [0.9, 2.6, 4.6, 6.2, 7.6, 8.3, 8.7, 9.0])
    c = countercurrent_cascade(iso, 3.0, 1.8, 1.1, 2, 0.9)
    out = tmp_path / "mt.png"
    steps = mccabe_thiele_plot(iso, 3.0, c.raffinate, 1.8, 1.1, out, efficiency=0.9)
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert steps.stages == pytest.approx(2, abs=1e-8)
