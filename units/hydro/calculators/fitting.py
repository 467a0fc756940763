"""Fit the constants of an auxiliary calculator to laboratory data by least squares.

The data are a table with one row per measurement: ``temperature`` [degC], ``time``
[min], ``pressure`` [kPa, absolute] for the calculators that take one, optionally any further input
of the calculator (``hg_feed``, ``head_grade`` ...; its default is used where the column
is absent), and one or more measured results named as the calculator names them
(``efficiency_pct``, ``residual_hg_mg_per_kg``, ``leach_extraction_pct`` ...). The
constants are fitted with :func:`scipy.optimize.least_squares` on the residuals of all
measured results at once (rate constants through their logarithm, so they stay positive;
percentages and energies within their bounds). A constant the data cannot identify is
held at its given value and named in ``held``: an activation energy when every row has
the same temperature, a pressure term when every row has the same pressure, and any
constant the measured results do not depend on.

>>> import pandas as pd
>>> from units.hydro.calculators.registry import calculate
>>> lab = pd.DataFrame({"temperature": [95, 95, 110, 110, 120, 120],
...                     "pressure": 300.0, "time": [240, 960, 120, 480, 60, 240]})
>>> lab["efficiency_pct"] = calculate("carbon_elution", temperature=lab.temperature,
...                                   pressure=lab.pressure, time=lab.time, k_ref=0.01,
...                                   ea_kj=60.0)["efficiency_pct"]
>>> fit = fit_constants("carbon_elution", lab)
>>> {k: round(v, 4) for k, v in fit.constants.items()}
{'k_ref': 0.01, 'ea_kj': 60.0, 'max_elution': 98.5}
>>> round(fit.r2, 6)
1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from flowsheet.errors import InputError, Location, SchemaError, did_you_mean
from units.hydro.calculators.registry import Calculator, get_calculator

__all__ = ["FitResult", "fit_constants", "fit_table"]


@dataclass(frozen=True)
class FitResult:
    """Fitted constants, the ones held, and the goodness of fit.

    ``r2`` is the coefficient of determination over every measured value of every
    target, ``rmse`` the root-mean-square residual (in the targets' units), ``predicted``
    the table of measured and fitted values.
    """

    calculator: str
    constants: dict[str, float]
    held: tuple[str, ...]
    targets: tuple[str, ...]
    r2: float
    rmse: float
    n: int
    predicted: pd.DataFrame


def _inputs(calc: Calculator, data: pd.DataFrame) -> dict[str, np.ndarray]:
    """The input columns of ``data`` the calculator uses, as float arrays."""
    source = data.attrs.get("source")
    needed = ["temperature", "time"] + (["pressure"] if calc.pressure else [])
    for name in needed:
        if name not in data.columns:
            hint = did_you_mean(name, map(str, data.columns))
            raise InputError(f"missing column '{name}' for the {calc.name} calculator",
                             location=Location(file=source),
                             hint=hint if hint and hint.startswith("did") else None)
    names = needed + [n for n in calc.inputs if n in data.columns]
    values = {}
    for name in names:
        column = pd.to_numeric(data[name], errors="coerce").to_numpy(dtype=float)
        bad = np.flatnonzero(~np.isfinite(column))
        if bad.size:
            lines = data.attrs.get("lines")
            row = int(bad[0])
            where = (Location(file=source, line=int(lines[row])) if lines else
                     Location(file=source))
            raise InputError(f"column '{name}': {data[name].iloc[row]!r} is not a number"
                             + ("" if lines else f" (row {row + 1})"), location=where)
        values[name] = column
    return values


def fit_constants(calculator: str | Calculator, data: pd.DataFrame,
                  constants: Iterable[str] | None = None,
                  start: Mapping[str, float] | None = None) -> FitResult:
    """Fit ``constants`` (default: every fittable one) of ``calculator`` to ``data``.

    Parameters
    ----------
    calculator : str or Calculator
        A name of :data:`~units.hydro.calculators.registry.CALCULATORS`.
    data : pandas.DataFrame
        The measurements (see the module docstring).
    constants : iterable of str, optional
        The constants to fit; the others keep their values.
    start : mapping, optional
        Starting (and held) values of constants; the calculator's defaults otherwise.

    Raises
    ------
    InputError
        A missing input column, a cell that is not a number, or no measured result.
    SchemaError
        An unknown constant name.
    """
    calc = calculator if isinstance(calculator, Calculator) else get_calculator(calculator)
    inputs = _inputs(calc, data)
    outputs = calc.outputs()
    targets = tuple(c for c in outputs if c in data.columns)
    if not targets:
        raise InputError(f"no measured result to fit: give a column named as a result of "
                         f"{calc.name}: " + ", ".join(outputs),
                         location=Location(file=data.attrs.get("source")))
    measured = np.column_stack([pd.to_numeric(data[c], errors="coerce").to_numpy(float)
                                for c in targets])
    mask = np.isfinite(measured)
    values = {**calc.defaults(), **dict(start or {})}
    names = list(calc.constants) if constants is None else list(constants)
    for name in names:
        if name not in calc.constants:
            raise SchemaError(f"'{name}' is not a fittable constant of {calc.name}",
                              location=Location(key=name), hint=did_you_mean(name,
                                                                             calc.constants))
    held = [n for n in names if any(np.ptp(inputs[v]) == 0 if v in inputs else True
                                    for v in calc.constants[n].varies)]
    free = [n for n in names if n not in held]
    given = {k: v for k, v in inputs.items() if k not in ("temperature", "time", "pressure")}

    def model(x: np.ndarray) -> np.ndarray:
        trial = dict(values)
        for name, xi in zip(free, x, strict=True):
            trial[name] = float(np.exp(xi)) if calc.constants[name].scale == "log" else float(xi)
        trial.update(given)
        out = calc(temperature=inputs["temperature"], time=inputs["time"],
                   pressure=inputs.get("pressure"), **trial)
        return np.column_stack([np.broadcast_to(out[c], (len(data),)) for c in targets])

    def residuals(x: np.ndarray) -> np.ndarray:
        return (model(x) - measured)[mask]

    x0 = np.array([np.log(values[n]) if calc.constants[n].scale == "log" else values[n]
                   for n in free], dtype=float)
    if free:
        from scipy.optimize import least_squares

        sensitivity = _column_norms(residuals, x0)
        held += [n for n, s in zip(free, sensitivity, strict=True) if s == 0.0]
        free_mask = sensitivity > 0.0
        x0 = x0[free_mask]
        free = [n for n, keep in zip(free, free_mask, strict=True) if keep]
    if free:
        lower = [-np.inf if calc.constants[n].scale == "log" else calc.constants[n].bounds[0]
                 for n in free]
        upper = [np.inf if calc.constants[n].scale == "log" else calc.constants[n].bounds[1]
                 for n in free]
        x0 = np.clip(x0, np.array(lower) + 1e-9, np.array(upper) - 1e-9)
        x = least_squares(residuals, x0, bounds=(lower, upper), x_scale="jac",
                          xtol=1e-12, ftol=1e-12, gtol=1e-12).x
    else:
        x = x0
    fitted = {n: (float(np.exp(xi)) if calc.constants[n].scale == "log" else float(xi))
              for n, xi in zip(free, x, strict=True)}
    result = {n: float(fitted.get(n, values[n])) for n in calc.constants}
    predicted = model(x)
    resid = (predicted - measured)[mask]
    obs = measured[mask]
    ss_tot = float(np.sum((obs - obs.mean()) ** 2))
    r2 = 1.0 - float(np.sum(resid ** 2)) / ss_tot if ss_tot > 0 else float("nan")
    table = pd.DataFrame({k: v for k, v in inputs.items()})
    for i, c in enumerate(targets):
        table[f"{c}_measured"] = measured[:, i]
        table[f"{c}_fitted"] = predicted[:, i]
    return FitResult(calc.name, result, tuple(held), targets, r2,
                     float(np.sqrt(np.mean(resid ** 2))), int(obs.size), table)


def _column_norms(residuals, x0: np.ndarray) -> np.ndarray:
    """Norm of each column of a forward-difference Jacobian (0 where a constant has no
    effect on the residuals)."""
    base = residuals(x0)
    norms = np.empty(x0.size)
    for i in range(x0.size):
        x = x0.copy()
        step = 1e-6 * max(1.0, abs(x0[i]))
        x[i] += step
        norms[i] = float(np.linalg.norm(residuals(x) - base))
    return np.where(norms > 1e-12 * max(1.0, float(np.linalg.norm(base))), norms, 0.0)


def fit_table(fit: FitResult) -> pd.DataFrame:
    """The fitted constants as a table: ``constant``, ``value``, ``unit``, ``status``
    (``fitted`` or ``held``), with ``r2``, ``rmse`` and ``n`` on every row."""
    calc = get_calculator(fit.calculator)
    rows = [{"constant": n, "value": v, "unit": calc.constants[n].unit,
             "status": "held" if n in fit.held else "fitted"}
            for n, v in fit.constants.items()]
    table = pd.DataFrame(rows)
    table["r2"], table["rmse"], table["n"] = fit.r2, fit.rmse, fit.n
    return table
