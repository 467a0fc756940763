"""Calibration of the SABC capacity models to a plant's monthly throughput.

:func:`calibrate_sabc` fits the free constants of one model of
:func:`units.comminution.sabc.sabc_throughput` to measured throughput by
:func:`scipy.optimize.least_squares` on the residuals in t/h (so it minimises the RMSE):

* ``dwi_bwi``: ``beta`` (fitted as ln beta), ``a``, ``b`` and ``e`` of
  :math:`SE_{SAG} = \\beta F_{80}^a DW_i^b \\phi^e`. ``a`` is held at its given value
  when F80 is the same in every period, and ``e`` when the mill speed is: the data
  cannot tell them from ``beta`` then (``CalibrationResult.held`` says so);
* ``smc_bwi`` and ``sgi_bwi``: ``scale``, one factor on the SAG specific energy (fitted
  as ln scale).

The accuracy figures are those of the seed study (Mining 5(3) (2025) 37,
doi:10.3390/mining5030037, which reports for its plant SMC-BWi RMSE 143 t/h, mean relative
error 1.5 %, SD 3.92 %): the RMSE [t/h] and the mean and sample standard deviation of the
relative error, 100 (predicted - actual) / actual [%].

The hardness comes as a table in one of two forms:

* one row per period (the period's tonnage-weighted mean hardness), in the order of
  ``plant_tph``; optional columns ``f80`` [um] and ``phi`` [% critical] give the
  period's feed size and mill speed;
* a block table (it has a ``tonnes`` column): the blocks of each ``period`` are run one
  by one and the period's throughput is its tonnes over its hours,
  :math:`\\sum t_i / \\sum (t_i / TPH_i)`; periods in sorted order.

>>> import numpy as np, pandas as pd
>>> plant = dict(f80=71273.0, p80=229.0, sag_power_kw=24000.0, sag_power_use=0.896,
...              ball_power_kw=32800.0, ball_power_use=0.917, tph_max=4058.0,
...              t80_max=19783.0, k1=0.95)
>>> months = pd.DataFrame({"mia": [20.0, 22.0, 24.0, 26.0], "bwi": [14.0, 15.0, 15.5, 16.0]})
>>> true = sabc_throughput("smc_bwi", scale=1.1, **months, **plant).tph
>>> fit = calibrate_sabc("smc_bwi", months, true, **plant)
>>> round(fit.constants["scale"], 6), round(fit.rmse, 6)
(1.1, 0.0)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from flowsheet.errors import InputError, Location, SchemaError, did_you_mean
from units.comminution.blocks import missing_column_error, numeric_column, used_hardness
from units.comminution.sabc import SABC_MODELS, sabc_throughput
from units.comminution.sabc_circuit import hardness_inputs

__all__ = ["CALIBRATION_UNITS", "FREE_CONSTANTS", "DEFAULTS", "CalibrationResult",
           "calibrate_sabc", "calibrate_models", "comparison_table", "compare_models"]

#: The constants each model's calibration may fit.
FREE_CONSTANTS = {"dwi_bwi": ("beta", "a", "b", "e"), "smc_bwi": ("scale",),
                  "sgi_bwi": ("scale",)}

#: Starting values of the constants (the defaults of :func:`sabc_throughput`).
DEFAULTS = {"beta": 0.008, "a": 0.3, "b": 0.8, "e": 0.5, "scale": 1.0}

_LOG = ("beta", "scale")   # fitted through their logarithm: they stay positive


@dataclass(frozen=True)
class CalibrationResult:
    """A fitted model: its constants, the predictions and the accuracy figures.

    ``rmse`` and ``rmse_before`` [t/h] are after and before the fit; ``mean_rel_error``
    and ``sd_rel_error`` [%] are the mean and sample standard deviation of
    100 (predicted - actual) / actual after it. ``held`` names constants left at their
    given values because the data cannot identify them.
    """

    model: str
    constants: dict[str, float]
    held: tuple[str, ...]
    periods: np.ndarray
    actual: np.ndarray
    predicted: np.ndarray
    predicted_before: np.ndarray
    rmse: float
    mean_rel_error: float
    sd_rel_error: float
    rmse_before: float
    evaluations: int = field(default=0)

    @property
    def rel_error(self) -> np.ndarray:
        """100 (predicted - actual) / actual per period [%]."""
        return 100.0 * (self.predicted - self.actual) / self.actual

    def table(self) -> pd.DataFrame:
        """One row per period: ``period``, ``actual_tph``, ``predicted_tph`` and
        ``rel_error_pct``."""
        return pd.DataFrame({"period": self.periods, "actual_tph": self.actual,
                             "predicted_tph": self.predicted,
                             "rel_error_pct": self.rel_error})


def _first(value: float, n: int) -> np.ndarray:
    """A step of ``value`` on the first fitted constant (ln beta or ln scale)."""
    step = np.zeros(n)
    step[0] = value
    return step


def _rmse(predicted: np.ndarray, actual: np.ndarray) -> float:
    return float(np.sqrt(np.mean((predicted - actual) ** 2)))


class _Periods:
    """The hardness of every period (or block) and how to add blocks up into periods."""

    def __init__(self, model: str, ball_model: str, table: pd.DataFrame) -> None:
        columns = set(map(str, table.columns))
        values = used_hardness(table, model, ball_model)
        self.hardness = hardness_inputs(model, ball_model, values)
        self.extra = {name: numeric_column(table, name) for name in ("f80", "phi")
                      if name in columns}
        self.blocks = "tonnes" in columns
        if self.blocks:
            if "period" not in columns:
                raise missing_column_error(table, "period", "a block table groups its "
                                                            "blocks by period")
            self.tonnes = numeric_column(table, "tonnes", positive=False)
            self.periods, self.index = np.unique(table["period"].to_numpy(),
                                                 return_inverse=True)
        else:
            self.periods = (table["period"].to_numpy() if "period" in columns
                            else np.arange(1, len(table) + 1))

    def throughput(self, model: str, kwargs: Mapping[str, Any]) -> np.ndarray:
        tph = sabc_throughput(model, **{**kwargs, **self.extra}, **self.hardness).tph
        if not self.blocks:
            return np.asarray(tph, dtype=float)
        n = len(self.periods)
        tonnes = np.bincount(self.index, weights=self.tonnes, minlength=n)
        hours = np.bincount(self.index, weights=self.tonnes / tph, minlength=n)
        return tonnes / hours


def _actual(plant_tph: Any, periods: np.ndarray, source: str) -> np.ndarray:
    if isinstance(plant_tph, pd.Series) and not isinstance(plant_tph.index, pd.RangeIndex):
        missing = [p for p in periods if p not in plant_tph.index]
        if missing:
            raise InputError(f"no plant throughput for period {missing[0]!r}",
                             location=Location(file=source))
        plant_tph = plant_tph.loc[list(periods)]
    actual = np.asarray(plant_tph, dtype=float).ravel()
    if actual.shape != periods.shape:
        raise InputError(f"{actual.size} plant throughputs for {periods.size} periods",
                         location=Location(file=source))
    if not np.all(np.isfinite(actual) & (actual > 0)):
        raise InputError("plant throughputs must be positive numbers",
                         location=Location(file=source))
    return actual


def calibrate_sabc(model: str, hardness: pd.DataFrame, plant_tph: Any, **plant: Any
                   ) -> CalibrationResult:
    """Fit the free constants of ``model`` to the plant's throughput of each period.

    Parameters
    ----------
    model : {"dwi_bwi", "smc_bwi", "sgi_bwi"}
    hardness : pandas.DataFrame
        One row per period with the hardness the model needs (and optionally ``period``,
        ``f80`` [um], ``phi`` [%]), or a block table with ``period`` and ``tonnes``.
    plant_tph : array-like or pandas.Series
        Measured throughput [t/h], one per period in the order of the periods (or a
        Series indexed by period).
    **plant
        The other arguments of :func:`sabc_throughput` (``f80``, ``p80``, powers, limits,
        ``k1``, ``phi``, ``ball_model`` ...); those of ``FREE_CONSTANTS[model]`` given
        here are the starting values.

    Returns
    -------
    CalibrationResult
    """
    if model not in SABC_MODELS:
        raise SchemaError(f"unknown SABC model '{model}'", hint=did_you_mean(model,
                                                                             SABC_MODELS))
    source = hardness.attrs.get("source", "hardness")
    data = _Periods(model, plant.get("ball_model", "bond"), hardness)
    actual = _actual(plant_tph, data.periods, source)
    names = list(FREE_CONSTANTS[model])
    if model == "dwi_bwi":
        for name, varies in (("a", "f80"), ("e", "phi")):
            values = data.extra.get(varies)
            if values is None or np.ptp(values) <= 1e-9 * np.max(values):
                names.remove(name)
    if actual.size < len(names):
        raise InputError(f"{actual.size} period(s) cannot calibrate the {len(names)} "
                         f"constants of the {model} model ({', '.join(names)})",
                         location=Location(file=source),
                         hint=f"give at least {len(names)} periods")
    held = tuple(n for n in FREE_CONSTANTS[model] if n not in names)
    start = {n: float(plant.get(n, DEFAULTS[n])) for n in FREE_CONSTANTS[model]}

    def constants(x: np.ndarray) -> dict[str, float]:
        fitted = {n: float(np.exp(v) if n in _LOG else v) for n, v in zip(names, x,
                                                                           strict=True)}
        return {**start, **fitted}

    def predict(x: np.ndarray) -> np.ndarray:
        return data.throughput(model, {**plant, **constants(x)})

    x0 = np.array([np.log(start[n]) if n in _LOG else start[n] for n in names])
    before = predict(x0)
    # The energy factor first, on a grid: far from the answer every period may sit at the
    # hydraulic cap, where the residuals do not move and a local method would stop.
    shifts = np.log(np.geomspace(0.2, 5.0, 33))
    errors = [_rmse(predict(x0 + _first(shift, len(names))), actual) for shift in shifts]
    x0 = x0 + _first(shifts[int(np.argmin(errors))], len(names))
    fit = least_squares(lambda x: predict(x) - actual, x0, x_scale="jac", method="trf")
    predicted = predict(fit.x)
    rel = 100.0 * (predicted - actual) / actual
    return CalibrationResult(
        model=model, constants=constants(fit.x), held=held, periods=data.periods,
        actual=actual, predicted=predicted, predicted_before=before,
        rmse=_rmse(predicted, actual), mean_rel_error=float(rel.mean()),
        sd_rel_error=float(rel.std(ddof=1)) if rel.size > 1 else 0.0,
        rmse_before=_rmse(before, actual), evaluations=int(fit.nfev))


def _available(hardness: pd.DataFrame, ball_model: str) -> list[str]:
    """The models whose hardness columns the table has."""
    from units.comminution.sabc_circuit import missing_hardness

    columns = set(map(str, hardness.columns))
    return [m for m in SABC_MODELS if missing_hardness(m, ball_model, columns) is None]


def calibrate_models(hardness: pd.DataFrame, plant_tph: Any,
                     models: Iterable[str] | None = None, **plant: Any
                     ) -> dict[str, CalibrationResult]:
    """:func:`calibrate_sabc` for several models (by default every one the table can
    run), by model name."""
    chosen = list(models) if models is not None else _available(
        hardness, plant.get("ball_model", "bond"))
    if not chosen:
        raise InputError("the table has the hardness of no model: give bwi and one of "
                         "dwi (or axb and density), mia (or axb) or sgi",
                         location=Location(file=hardness.attrs.get("source", "hardness")))
    return {m: calibrate_sabc(m, hardness, plant_tph, **plant) for m in chosen}


#: Units of the columns of the comparison and prediction tables (comparison.csv,
#: predictions.csv): throughputs and their errors in t/h, relative errors in %.
CALIBRATION_UNITS = {"*_tph": "t/h", "*_pct": "%"}


def comparison_table(results: Mapping[str, CalibrationResult] | Sequence[CalibrationResult]
                     ) -> pd.DataFrame:
    """The models ranked by RMSE after calibration.

    Columns: ``rank``, ``model``, ``rmse_tph``, ``mean_rel_error_pct``,
    ``sd_rel_error_pct``, ``rmse_before_tph`` and ``constants`` (the fitted values as
    text; held ones are marked).
    """
    items = list(results.values()) if isinstance(results, Mapping) else list(results)
    rows = []
    for r in items:
        text = ", ".join(f"{k}={v:.6g}" + (" (held)" if k in r.held else "")
                         for k, v in r.constants.items())
        rows.append({"model": r.model, "rmse_tph": r.rmse,
                     "mean_rel_error_pct": r.mean_rel_error,
                     "sd_rel_error_pct": r.sd_rel_error, "rmse_before_tph": r.rmse_before,
                     "constants": text})
    table = pd.DataFrame(rows).sort_values("rmse_tph", kind="stable").reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table


def compare_models(hardness: pd.DataFrame, plant_tph: Any,
                   models: Iterable[str] | None = None, **plant: Any) -> pd.DataFrame:
    """Calibrate each model on the same data and rank them (:func:`comparison_table`)."""
    return comparison_table(calibrate_models(hardness, plant_tph, models, **plant))
