r"""Reading a leach test: fit the shrinking-core forms to conversion-time data, choose the
one the data support, and find the activation energy from runs at several temperatures.

:func:`fit_shrinking_core` fits each form :math:`X(t) = X_c(t; \tau)` (film, product-layer
diffusion, chemical reaction; :mod:`units.hydro.kinetics`) and mixed control
(:math:`t = \sum_c \tau_c g_c(X)`) by least squares on the conversion (scipy
``least_squares``, started from the line through the origin of :math:`g(X)` against t that
a metallurgist draws). It reports per form tau, R^2 and RMSE of the conversion, the R^2 of
the linearised plot, and the residuals. The form with the smallest residual sum of squares
wins among the single forms; mixed control (more parameters) is preferred only when an
F-test finds its improvement significant at 5 %.

:func:`fit_arrhenius` regresses :math:`\ln k` on :math:`1/T` (k = 1/tau) for the activation
energy and its standard error, read as diffusion control below about 20 kJ/mol and
chemical control above about 40 (project reference ``pyro_hydro.md``). :func:`fit_runs`
does both for a table of runs. :func:`fit_plot` and :func:`arrhenius_plot` draw them.

>>> t = np.array([0.5, 1, 2, 3, 4, 6])
>>> fit = fit_shrinking_core(t, shrinking_core_conversion(t, 8.0, "reaction"))
>>> fit.best, round(fit.tau, 6)
('reaction', 8.0)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.optimize import least_squares

from flowsheet.atomic import atomic_path
from flowsheet.errors import InputError
from units.hydro.kinetics import (
    CONTROLS,
    GAS_CONSTANT,
    mixed_control_conversion,
    shrinking_core_conversion,
    shrinking_core_time,
)

__all__ = ["KineticFit", "ArrheniusFit", "fit_shrinking_core", "fit_arrhenius", "fit_runs",
           "interpret_activation_energy", "fit_plot", "arrhenius_plot"]


@dataclass
class KineticFit:
    """Result of :func:`fit_shrinking_core`.

    ``table``: one row per form (index ``form``) with ``tau`` [unit of t], ``r2`` and
    ``rmse`` of the conversion, ``r2_linear`` of :math:`g(X)` against t through the origin,
    ``sse``. ``residuals``: form -> observed minus fitted conversion. ``taus``: the fitted
    taus of mixed control. ``best``: the form the data support; ``tau`` its tau (for mixed
    control, the time for complete conversion, the sum of the taus).
    """

    table: pd.DataFrame
    residuals: dict[str, np.ndarray]
    taus: dict[str, float]
    best: str
    tau: float
    t: np.ndarray = field(repr=False)
    x: np.ndarray = field(repr=False)

    def predict(self, t: Any, form: str | None = None) -> np.ndarray:
        """Conversion of a fitted form (default the best) at times ``t``."""
        form = form or self.best
        if form == "mixed":
            return mixed_control_conversion(t, self.taus)
        return shrinking_core_conversion(t, float(self.table.loc[form, "tau"]), form)


@dataclass
class ArrheniusFit:
    """Result of :func:`fit_arrhenius`: Ea and its standard error [kJ/mol], ln A (A in the
    unit of k), R^2 of ln k against 1/T, and the reading of Ea."""

    ea: float
    ea_stderr: float
    ln_a: float
    r2: float
    interpretation: str
    temperature: np.ndarray = field(repr=False)
    k: np.ndarray = field(repr=False)


def _data(t: Any, x: Any) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(t, dtype=float).ravel()
    x = np.asarray(x, dtype=float).ravel()
    if t.size != x.size:
        raise InputError(f"times ({t.size}) and conversions ({x.size}) differ in number")
    bad = ~np.isfinite(t) | ~np.isfinite(x) | (t < 0) | (x < 0) | (x > 1)
    if bad.any():
        i = int(np.argmax(bad))
        raise InputError(f"row {i}: time {t[i]:g} and conversion {x[i]:g} must be finite, "
                         "time >= 0 and conversion in [0, 1]",
                         hint="give conversion as a fraction, not %")
    keep = (t > 0) & (x < 1)
    if keep.sum() < 3:
        raise InputError("at least 3 points with 0 < t and conversion < 1 are needed")
    return t[keep], x[keep]


def _r2(observed: np.ndarray, fitted: np.ndarray) -> float:
    total = float(np.sum((observed - observed.mean()) ** 2))
    return 1.0 - float(np.sum((observed - fitted) ** 2)) / total if total > 0 else float("nan")


def fit_shrinking_core(t: Any, conversion: Any) -> KineticFit:
    r"""Fit each shrinking-core form and mixed control to conversion-time data.

    Parameters
    ----------
    t : array
        Times [h or any unit; tau comes out in it].
    conversion : array
        Fractions converted X [-]; points at t = 0 or X = 1 carry no information on tau
        and are left out.

    Returns
    -------
    KineticFit

    References
    ----------
    .. [1] O. Levenspiel, Chemical Reaction Engineering, 3rd ed., Wiley, 1999, ch. 25,
       "determination of the rate-controlling step" (the linearised plots).
    .. [2] F. Faraji, A. Alizadeh, F. Rashchi, N. Mostoufi, "Kinetics of leaching: a
       review", Reviews in Chemical Engineering (2020), no. 2, 113-148,
       DOI 10.1515/revce-2019-0073 (single and mixed mechanisms).

    Examples
    --------
    Exact product-layer data are recognised, with their tau and a linearised R^2 of 1:

    >>> t = np.array([1.0, 2, 4, 8, 12])
    >>> fit = fit_shrinking_core(t, shrinking_core_conversion(t, 20.0, "diffusion"))
    >>> fit.best, round(fit.tau, 6), round(float(fit.table.loc["diffusion", "r2_linear"]), 9)
    ('diffusion', 20.0, 1.0)
    """
    t, x = _data(t, conversion)
    rows, residuals = {}, {}
    sse = {}
    for control in CONTROLS:
        g = shrinking_core_time(x, 1.0, control)
        slope = float(g @ t / (t @ t))        # g = t / tau through the origin
        start = np.log(1.0 / slope) if slope > 0 else np.log(t.max())
        sol = least_squares(lambda p, c=control: shrinking_core_conversion(
            t, np.exp(p[0]), c) - x, [start], method="lm")
        tau = float(np.exp(sol.x[0]))
        fitted = shrinking_core_conversion(t, tau, control)
        residuals[control] = x - fitted
        sse[control] = float(np.sum(residuals[control] ** 2))
        rows[control] = {"tau": tau, "r2": _r2(x, fitted),
                         "rmse": float(np.sqrt(sse[control] / x.size)),
                         "r2_linear": _r2(g, slope * t), "sse": sse[control]}
    best = min(CONTROLS, key=sse.__getitem__)
    start = np.full(3, rows[best]["tau"] / 3.0)
    sol = least_squares(lambda p: mixed_control_conversion(t, dict(zip(CONTROLS, p,
                                                                       strict=True))) - x,
                        start, bounds=(0.0, np.inf), method="trf")
    taus = dict(zip(CONTROLS, map(float, sol.x), strict=True))
    fitted = mixed_control_conversion(t, taus)
    residuals["mixed"] = x - fitted
    sse["mixed"] = float(np.sum(residuals["mixed"] ** 2))
    rows["mixed"] = {"tau": sum(taus.values()), "r2": _r2(x, fitted),
                     "rmse": float(np.sqrt(sse["mixed"] / x.size)), "r2_linear": np.nan,
                     "sse": sse["mixed"]}
    extra = sum(v > 0 for v in taus.values()) - 1
    dof = x.size - 1 - extra
    if extra > 0 and dof > 0 and sse["mixed"] > 0:
        f = (sse[best] - sse["mixed"]) / extra / (sse["mixed"] / dof)
        if stats.f.sf(f, extra, dof) < 0.05:
            best = "mixed"
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "form"
    return KineticFit(table, residuals, taus, best, float(rows[best]["tau"]), t, x)


def interpret_activation_energy(ea_kj_per_mol: float) -> str:
    """The usual reading of an activation energy [kJ/mol] (project reference
    ``pyro_hydro.md``: below ~20 diffusion, above ~40 chemical control).

    >>> interpret_activation_energy(55.0)
    'chemical reaction control (Ea > 40 kJ/mol)'
    """
    if ea_kj_per_mol < 20.0:
        return "diffusion control (Ea < 20 kJ/mol)"
    if ea_kj_per_mol > 40.0:
        return "chemical reaction control (Ea > 40 kJ/mol)"
    return "mixed control (Ea 20-40 kJ/mol)"


def fit_arrhenius(t_celsius: Any, k: Any) -> ArrheniusFit:
    r"""Activation energy from rate constants at several temperatures.

    .. math:: \ln k = \ln A - \frac{E_a}{R}\,\frac{1}{T}

    fitted by ordinary least squares; the standard error of Ea is that of the slope.

    Parameters
    ----------
    t_celsius : array
        Temperatures [degC], at least two distinct (three for a standard error).
    k : array
        Rate constants (for example 1/tau) [any unit], > 0.

    Examples
    --------
    >>> from units.hydro.kinetics import arrhenius
    >>> temps = np.array([25.0, 40.0, 55.0, 70.0])
    >>> fit = fit_arrhenius(temps, arrhenius(3.0e7, 65_000.0, temps))
    >>> round(fit.ea, 6), fit.interpretation
    (65.0, 'chemical reaction control (Ea > 40 kJ/mol)')
    """
    temps = np.asarray(t_celsius, dtype=float).ravel()
    k = np.asarray(k, dtype=float).ravel()
    if temps.size != k.size or np.unique(temps).size < 2:
        raise InputError("the Arrhenius fit needs rate constants at two or more "
                         "temperatures, one per temperature given")
    if np.any(temps + 273.15 <= 0) or np.any(~(k > 0)):
        raise InputError("temperatures must be above absolute zero and rate constants > 0")
    inv_t = 1.0 / (temps + 273.15)
    line = stats.linregress(inv_t, np.log(k))
    ea = -line.slope * GAS_CONSTANT / 1000.0
    stderr = line.stderr * GAS_CONSTANT / 1000.0 if k.size > 2 else float("nan")
    return ArrheniusFit(float(ea), float(stderr), float(line.intercept),
                        float(line.rvalue**2), interpret_activation_energy(ea), temps, k)


def fit_runs(data: pd.DataFrame, time: str = "time", conversion: str = "conversion",
             temperature: str = "temperature") -> tuple[dict[float, KineticFit], str,
                                                         ArrheniusFit]:
    """Fit every run of a table (one run per temperature), choose the single form with
    the least total squared error over all runs, and fit Arrhenius to 1/tau of that form.

    Returns the fits by temperature, the common form and the Arrhenius fit.
    """
    missing = [c for c in (time, conversion, temperature) if c not in data.columns]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}",
                         hint="columns present: " + ", ".join(map(str, data.columns)))
    fits = {float(temp): fit_shrinking_core(run[time], run[conversion])
            for temp, run in data.groupby(temperature)}
    form = min(CONTROLS, key=lambda c: sum(f.table.loc[c, "sse"] for f in fits.values()))
    temps = np.array(list(fits))
    k = np.array([1.0 / f.table.loc[form, "tau"] for f in fits.values()])
    return fits, form, fit_arrhenius(temps, k)


def _save(fig, path: str | os.PathLike) -> None:
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=150)


def fit_plot(fit: KineticFit, path: str | os.PathLike, title: str | None = None,
             time_unit: str = "h") -> None:
    """Conversion against time: the data and each fitted form (the chosen one bold)."""
    from flowsheet.plots import figure_class

    fig = figure_class()(figsize=(7.0, 4.8), layout="constrained")
    ax = fig.add_subplot()
    grid = np.linspace(0.0, 1.15 * fit.t.max(), 300)
    ax.plot(fit.t, 100 * fit.x, "ko", label="data", zorder=3)
    for form in (*CONTROLS, "mixed"):
        row = fit.table.loc[form]
        ax.plot(grid, 100 * fit.predict(grid, form), linewidth=2.6 if form == fit.best
                else 1.2, label=f"{form}: tau {row['tau']:.3g}, R2 {row['r2']:.4f}")
    ax.set_xlabel(f"Time ({time_unit})")
    ax.set_ylabel("Conversion (%)")
    ax.set_ylim(0, 102)
    ax.set_xlim(0, grid[-1])
    ax.grid(True, linewidth=0.5, alpha=0.6)
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(title or f"Shrinking-core fits: {fit.best} control supported")
    _save(fig, path)


def arrhenius_plot(fit: ArrheniusFit, path: str | os.PathLike,
                   title: str | None = None) -> None:
    """ln k against 1000/T [1/K] with the fitted line, Ea and its standard error."""
    from flowsheet.plots import figure_class

    fig = figure_class()(figsize=(6.5, 4.6), layout="constrained")
    ax = fig.add_subplot()
    x = 1000.0 / (fit.temperature + 273.15)
    ax.plot(x, np.log(fit.k), "ko", label="runs")
    line = np.linspace(x.min(), x.max(), 50)
    ax.plot(line, fit.ln_a - fit.ea * line / GAS_CONSTANT, "C3-",
            label=f"Ea = {fit.ea:.1f} +/- {fit.ea_stderr:.1f} kJ/mol, R2 {fit.r2:.4f}")
    for xi, temp, yi in zip(x, fit.temperature, np.log(fit.k), strict=True):
        ax.annotate(f"{temp:g} degC", (xi, yi), textcoords="offset points", xytext=(0, 9),
                    ha="center",
                    fontsize=8)
    ax.margins(x=0.08, y=0.12)
    ax.set_xlabel("1000 / T (1/K)")
    ax.set_ylabel("ln k")
    ax.grid(True, linewidth=0.5, alpha=0.6)
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title(title or f"Arrhenius plot: {fit.interpretation}")
    _save(fig, path)
