"""Kinetic fitting: synthetic leach tests generated from a known shrinking-core form with
stated noise are classified correctly and give back tau and the activation energy within
the noise; plots are written; bad data give clear errors.

No published conversion-time data set was available to the project with its numbers; the
checks are against data generated from Levenspiel's forms (Chemical Reaction Engineering,
3rd ed., 1999, ch. 25) with Gaussian noise of standard deviation 0.01 in conversion."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from flowsheet.errors import InputError
from units.hydro.kinetic_fit import (
    arrhenius_plot,
    fit_arrhenius,
    fit_plot,
    fit_runs,
    fit_shrinking_core,
)
from units.hydro.kinetics import arrhenius, mixed_control_conversion, shrinking_core_conversion

NOISE = 0.01
TIMES = np.array([0.25, 0.5, 1, 1.5, 2, 3, 4, 5, 6, 8])


def noisy(x: np.ndarray, seed: int) -> np.ndarray:
    return np.clip(x + np.random.default_rng(seed).normal(0, NOISE, x.size), 0, 0.999)


@pytest.mark.parametrize(("control", "tau"), [("film", 12.0), ("diffusion", 20.0),
                                               ("reaction", 9.0)])
@pytest.mark.parametrize("seed", [1, 2])
def test_each_form_is_recognised_and_tau_recovered(control, tau, seed):
    """Data from one form with noise 0.01 in X: that form has the best fit, R^2 > 0.99,
    an RMSE near the noise, and tau within 5 %."""
    x = noisy(shrinking_core_conversion(TIMES, tau, control), seed)
    fit = fit_shrinking_core(TIMES, x)
    assert fit.best == control
    row = fit.table.loc[control]
    assert row["tau"] == pytest.approx(tau, rel=0.05)
    assert row["r2"] > 0.99 and row["rmse"] < 2 * NOISE
    assert fit.residuals[control].shape == TIMES.shape


def test_mixed_control_is_recognised():
    """Data with comparable reaction and product-layer resistances (tau 6 h and 10 h) are
    better explained by mixed control than by either alone (F-test at 5 %); the total
    time for complete conversion comes back within 10 %."""
    taus = {"reaction": 6.0, "diffusion": 10.0}
    t = np.linspace(0.5, 12, 16)
    x = noisy(mixed_control_conversion(t, taus), 5)
    fit = fit_shrinking_core(t, x)
    assert fit.best == "mixed"
    assert fit.tau == pytest.approx(16.0, rel=0.10)


def test_arrhenius_from_runs_recovers_ea(tmp_path):
    """Runs at 25, 40, 55 and 70 degC of a reaction-controlled leach with Ea 55 kJ/mol:
    the common form is reaction control, Ea comes back within two standard errors and
    within 10 %, read as chemical control; both plots are written."""
    rows = []
    for i, temp in enumerate((25.0, 40.0, 55.0, 70.0)):
        tau = 1.0 / arrhenius(2.0e8, 55_000.0, temp)
        t = tau * np.array([0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8])
        x = noisy(shrinking_core_conversion(t, tau, "reaction"), 10 + i)
        rows += [{"temperature": temp, "time": a, "conversion": b} for a, b in zip(t, x,
                                                                                    strict=True)]
    fits, form, arr = fit_runs(pd.DataFrame(rows))
    assert form == "reaction"
    assert abs(arr.ea - 55.0) < max(2 * arr.ea_stderr, 0.1 * 55.0)
    assert arr.ea == pytest.approx(55.0, rel=0.10)
    assert arr.interpretation.startswith("chemical reaction control")
    fit_plot(fits[55.0], tmp_path / "fit.png")
    arrhenius_plot(arr, tmp_path / "arrhenius.png")
    assert (tmp_path / "fit.png").stat().st_size > 10_000
    assert (tmp_path / "arrhenius.png").stat().st_size > 10_000


def test_low_activation_energy_reads_as_diffusion():
    """Ea of 12 kJ/mol is read as diffusion control; 30 as mixed."""
    temps = np.array([20.0, 35.0, 50.0])
    assert fit_arrhenius(temps, arrhenius(5.0, 12_000.0, temps)).interpretation.startswith(
        "diffusion")
    assert fit_arrhenius(temps, arrhenius(5.0, 30_000.0, temps)).interpretation.startswith(
        "mixed")


def test_bad_data():
    """Conversion in %, too few points, a missing column, one temperature: InputErrors
    naming the row, the need or the column."""
    with pytest.raises(InputError, match="row 0"):
        fit_shrinking_core([1, 2, 3], [10.0, 20.0, 30.0])
    with pytest.raises(InputError, match="at least 3"):
        fit_shrinking_core([0, 1, 2], [0.0, 0.2, 1.0])
    with pytest.raises(InputError, match="conversion"):
        fit_runs(pd.DataFrame({"time": [1], "temperature": [25]}))
    with pytest.raises(InputError, match="two or more"):
        fit_arrhenius([25.0, 25.0], [1.0, 1.1])
