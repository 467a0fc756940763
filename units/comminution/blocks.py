"""Block-model runs of an SABC circuit: the throughput, hours and sizes of every ore block.

A block table has one row per block with the columns ``id``, ``period``, ``tonnes`` [t]
and the hardness the circuit's model needs (``axb``, ``mia``, ``bwi``, ``mib``, ``sgi``,
``dwi``, ``density``; see :data:`units.comminution.sabc_circuit.MODEL_NEEDS`); other
columns are carried through. :func:`run_blocks` evaluates every block in one vectorised
call of :func:`units.comminution.sabc.sabc_throughput` and adds ``tph`` [t/h], ``t80``
and ``p80`` [um], ``limit`` and ``hours`` = tonnes / tph; :func:`period_summary` sums the
blocks of each period: tonnes, hours, tph = tonnes / hours, tonnage-weighted t80 and p80,
and the number of blocks each limit governs (``n_sag``, ``n_ball``, ``n_t80_max``,
``n_tph_max``).

Errors name the table and, for a bad cell, its line in the file and its column (a table
read by :func:`read_blocks` knows both):
``blocks.csv:17: column 'bwi': 'abc' is not a number``.

>>> import pandas as pd
>>> plant = {"model": "smc_bwi", "sag": {"installed_power": "24 MW", "power_use": 0.896},
...          "ball": {"installed_power": "32.8 MW", "power_use": 0.917},
...          "f80": 71273, "p80": 229, "tph_max": 4058, "t80_max": 19783, "k1": 0.95}
>>> blocks = pd.DataFrame({"id": [1, 2, 3], "period": [1, 1, 2],
...                        "tonnes": [4000.0, 4000.0, 8000.0],
...                        "mia": [22.0, 16.0, 26.0], "bwi": [15.0, 12.0, 16.0]})
>>> table, periods = run_blocks(plant, blocks)
>>> table[["tph", "limit"]].round(0).values.tolist()
[[3947.0, 'ball'], [4058.0, 'tph_max'], [3607.0, 'ball']]
>>> periods.set_index("period")["tph"].round(0).to_dict()  # 8000 t over the hours of both
{1: 4002.0, 2: 3607.0}
>>> periods["n_tph_max"].tolist()
[1, 0]
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from flowsheet.errors import InputError, Location, SchemaError, did_you_mean
from flowsheet.tables import read_table
from flowsheet.unit import validation_error
from units.comminution.sabc import sabc_throughput
from units.comminution.sabc_circuit import (
    BALL_INDEX,
    DENSITY_RANGE,
    SABCCircuit,
    SABCCircuitParams,
    SABCPlant,
    hardness_inputs,
    needs_text,
)

__all__ = ["REQUIRED_COLUMNS", "OUTPUT_COLUMNS", "COLUMN_UNITS", "LIMITS", "read_blocks",
           "run_blocks", "period_summary", "circuit_unit", "as_plant", "numeric_column",
           "missing_column_error", "used_hardness"]

#: Columns every block table has.
REQUIRED_COLUMNS = ("id", "period", "tonnes")

#: Columns :func:`run_blocks` adds.
OUTPUT_COLUMNS = ("tph", "t80", "p80", "limit", "hours")

#: Units of the columns of the block and period tables, for the headers of blocks.csv and
#: periods.csv (labels -- ``id``, ``period`` -- and text have none; ``n_<limit>`` and
#: ``blocks`` are counts).
COLUMN_UNITS = {"tonnes": "t", "axb": "1", "mia": "kWh/t", "mib": "kWh/t", "bwi": "kWh/t",
                "dwi": "kWh/m3", "sgi": "min", "density": "kg/m3", "f80": "um", "phi": "%",
                "tph": "t/h", "t80": "um", "p80": "um", "hours": "h", "blocks": "1",
                "n_*": "1"}

#: What can limit a block's throughput, in the order of the period table's counts.
LIMITS = ("sag", "ball", "t80_max", "tph_max")


def read_blocks(path: str | os.PathLike, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a table (``.csv`` or ``.xlsx``) remembering its name and each row's line.

    ``attrs["source"]`` holds the path as given and ``attrs["lines"]`` the line (CSV) or
    sheet row (Excel) of every data row, so that errors can point at a cell.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d) / "b.csv"
    ...     _ = p.write_text("id,period,tonnes\\n1,1,10\\n\\n2,1,20\\n")
    ...     read_blocks(p).attrs["lines"]
    [2, 4]
    """
    return read_table(path, sheet)


def _where(table: pd.DataFrame, row: int) -> tuple[Location, str]:
    """The location of data row ``row`` (0-based position) and a prefix for the message
    when the table does not know its lines."""
    source = table.attrs.get("source", "blocks")
    lines = table.attrs.get("lines")
    if lines is not None and row < len(lines):
        return Location(file=source, line=int(lines[row])), ""
    return Location(file=source), f"row {table.index[row]!r}: "


def numeric_column(table: pd.DataFrame, column: str, *, positive: bool = True,
                   bounds: tuple[float, float] | None = None, unit: str = ""
                   ) -> np.ndarray:
    """Column ``column`` as finite floats; the first bad cell raises :class:`InputError`.

    ``positive`` asks for values > 0 (else >= 0); ``bounds`` for values in a closed range.

    >>> t = pd.DataFrame({"bwi": [15.0, "abc"]})
    >>> t.attrs.update(source="blocks.csv", lines=[2, 3])
    >>> numeric_column(t, "bwi")
    Traceback (most recent call last):
    ...
    flowsheet.errors.InputError: blocks.csv:3: column 'bwi': 'abc' is not a number
    """
    raw = table[column]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    finite = np.isfinite(values)
    if bounds is not None:
        ok = finite & (values >= bounds[0]) & (values <= bounds[1])
    else:
        ok = finite & ((values > 0) if positive else (values >= 0))
    if ok.all():
        return values
    row = int(np.argmin(ok))
    where, prefix = _where(table, row)
    cell = raw.iloc[row]
    if pd.isna(cell) or (isinstance(cell, str) and not cell.strip()):
        problem = "no value (an empty cell, or NA)"
    elif not finite[row] and np.isnan(values[row]):
        problem = f"{str(cell).strip()!r} is not a number"
    elif not finite[row]:
        problem = f"{str(cell).strip()!r} is not a finite number"
    elif bounds is not None:
        problem = f"must lie in {bounds[0]:g}..{bounds[1]:g} {unit}, got {values[row]:g}"
    else:
        problem = (f"must be positive, got {values[row]:g}" if positive
                   else f"must be 0 or more, got {values[row]:g}")
    raise InputError(f"{prefix}column '{column}': {problem}", location=where)


def missing_column_error(table: pd.DataFrame, column: str, why: str) -> InputError:
    """The error for a table without ``column``, saying why it is needed."""
    hint = did_you_mean(column, map(str, table.columns))
    return InputError(f"missing column '{column}' ({why})",
                      location=Location(file=table.attrs.get("source", "blocks")),
                      hint=hint if hint and hint.startswith("did you mean") else None)


def used_hardness(table: pd.DataFrame, model: str, ball_model: str = "bond"
                  ) -> dict[str, np.ndarray]:
    """The hardness columns ``model`` uses, read and checked cell by cell.

    A missing column raises ``missing column 'bwi' (the smc_bwi model needs mia or axb,
    and bwi)``; Mia is used before A*b, and DWi before A*b with density.
    """
    columns = set(map(str, table.columns))
    why = f"the {model} model needs {needs_text(model, ball_model)}"
    if model == "smc_bwi":
        names = ["mia" if "mia" in columns or "axb" not in columns else "axb"]
    elif model == "sgi_bwi":
        names = ["sgi"]
    elif "dwi" in columns or "axb" not in columns:
        names = ["dwi"]
    else:
        names = ["axb", "density"]
    names.append(BALL_INDEX[ball_model])
    for name in names:
        if name not in columns:
            raise missing_column_error(table, name, why)
    return {name: numeric_column(table, name, bounds=DENSITY_RANGE if name == "density"
                                 else None, unit="kg/m3") for name in names}


def as_plant(plant: dict | SABCCircuit | SABCPlant) -> SABCPlant:
    """The circuit of a ``sabc_circuit`` unit, its parameters, or a mapping of them.

    A mapping is validated as the unit's parameters when it gives ``hardness`` and as the
    plant alone otherwise.
    """
    if isinstance(plant, SABCCircuit):
        return plant.params
    if isinstance(plant, SABCPlant):
        return plant
    if isinstance(plant, dict):
        model = SABCCircuitParams if "hardness" in plant else SABCPlant
        try:
            return model.model_validate(plant)
        except ValidationError as err:
            raise validation_error(err, None, model) from None
    raise SchemaError(f"the plant must be a sabc_circuit unit or a mapping of its "
                      f"parameters, got {type(plant).__name__}")


def run_blocks(plant: dict | SABCCircuit | SABCPlant, blocks: pd.DataFrame, *,
               f80: float | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Throughput of every block through the circuit, and the sums of each period.

    Parameters
    ----------
    plant : dict, SABCCircuit or SABCPlant
        The circuit: a ``sabc_circuit`` unit, its parameters, or a mapping of them as in
        YAML (its ``hardness``, if any, is not used: every block brings its own).
    blocks : pandas.DataFrame
        One row per block: ``id``, ``period``, ``tonnes`` [t] and the hardness columns the
        model needs; read by :func:`read_blocks`, errors name the file's lines.
    f80 : float, optional
        SAG feed size [um] when the plant does not give ``f80``.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The blocks with ``tph``, ``t80``, ``p80``, ``limit`` and ``hours`` added, and
        :func:`period_summary` of them.

    Raises
    ------
    InputError
        A missing column, or a cell that is not a number or is out of range (the first
        one, by line and column). SchemaError: a plant parameter.
    """
    circuit = as_plant(plant)
    columns = set(map(str, blocks.columns))
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            raise missing_column_error(blocks, name, "a block table needs id, period and "
                                                     "tonnes")
    taken = [name for name in OUTPUT_COLUMNS if name in columns]
    if taken:
        raise InputError(f"column '{taken[0]}' is a result of the block run: rename it",
                         location=Location(file=blocks.attrs.get("source", "blocks")))
    if circuit.f80 is None and f80 is None:
        raise SchemaError("the block run needs the circuit's 'f80' [um]",
                          location=Location(key="f80"))
    tonnes = numeric_column(blocks, "tonnes", positive=False)
    if blocks["period"].isna().any():
        row = int(np.argmax(blocks["period"].isna().to_numpy()))
        where, prefix = _where(blocks, row)
        raise InputError(f"{prefix}column 'period': no value (an empty cell, or NA)",
                         location=where)
    values = used_hardness(blocks, circuit.model, circuit.ball_model)
    if not len(blocks):
        raise InputError("the block table has no rows",
                         location=Location(file=blocks.attrs.get("source", "blocks")))
    hardness = hardness_inputs(circuit.model, circuit.ball_model, values)
    result = sabc_throughput(circuit.model, **circuit.throughput_kwargs(f80), **hardness)
    table = blocks.copy()
    table.attrs = {}
    table["tph"] = result.tph
    table["t80"] = result.t80
    table["p80"] = result.p80
    table["limit"] = result.limit
    table["hours"] = tonnes / result.tph
    return table, period_summary(table)


def period_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per period: blocks, tonnes [t], hours [h], tph = tonnes / hours [t/h],
    tonnage-weighted t80 and p80 [um], and the number of blocks each limit governs.

    >>> t = pd.DataFrame({"period": [1, 1], "tonnes": [100.0, 300.0], "tph": [100.0, 300.0],
    ...                   "t80": [1000.0, 2000.0], "p80": [200.0, 200.0],
    ...                   "limit": ["sag", "ball"], "hours": [1.0, 1.0]})
    >>> period_summary(t)[["tonnes", "hours", "tph", "t80", "n_sag"]].values.tolist()
    [[400.0, 2.0, 200.0, 1750.0, 1.0]]
    """
    by = table["period"]
    tonnes = table["tonnes"].astype(float)
    groups = table.groupby(by, sort=True)
    total = groups["tonnes"].sum().astype(float)
    hours = groups["hours"].sum()
    out: dict[str, Any] = {
        "blocks": groups.size(),
        "tonnes": total,
        "hours": hours,
        "tph": total / hours,
        "t80": (table["t80"] * tonnes).groupby(by, sort=True).sum() / total,
        "p80": (table["p80"] * tonnes).groupby(by, sort=True).sum() / total,
    }
    counts = pd.crosstab(by, table["limit"]).reindex(columns=list(LIMITS), fill_value=0)
    for limit in LIMITS:
        out[f"n_{limit}"] = counts[limit]
    periods = pd.DataFrame(out)
    periods.index.name = "period"
    return periods.reset_index()


def circuit_unit(fs, name: str | None = None) -> SABCCircuit:
    """The ``sabc_circuit`` unit of a flowsheet: the one there is, or the one named."""
    found = {n: u for n, u in fs.units.items() if isinstance(u, SABCCircuit)}
    where = Location(file=fs.path)
    if name is not None:
        if name not in found:
            raise SchemaError(f"no sabc_circuit unit named '{name}'", location=where,
                              hint=did_you_mean(name, found) if found else None)
        return found[name]
    if len(found) != 1:
        raise SchemaError(f"the flowsheet has {len(found)} sabc_circuit units: "
                          + ("name one with --unit" if found else "it needs one"),
                          location=where, hint=("units: " + ", ".join(found)) if found
                          else None)
    return next(iter(found.values()))

