"""Units of measure in table headers, and text cells a spreadsheet will not run.

Every table the engine writes names the unit of each numeric column in its header, in
brackets after the name: ``copper [t/h]``, ``p80 [um]``, ``recovery [-]``. The unit
strings are the README's (t/h, um, kW, kWh/t, h, degC, kPa, g/L, m3/h, kg/m3, %, ...);
a dimensionless number (a fraction, a ratio, a count) is declared ``"1"`` -- pint's
spelling, used in ``results.json`` -- and shown as ``[-]`` in a header. Text columns
(names, ``limit``, ``status``) have no brackets.

Producers declare their units as a mapping from column name to unit; a name may be a
pattern with ``*`` (``extraction_*``), tried after the exact names, in declaration order
(:func:`unit_of`). :func:`with_units` puts the units into a table's header and
:func:`strip_units` takes them out again (into ``attrs["units"]``), so a reader can keep
selecting columns by name.

Text written to CSV is guarded against formula injection (OWASP, "CSV Injection"): a cell
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as a
formula by a spreadsheet that opens the file, so it is written with a leading single
quote, which spreadsheets show as text (:func:`guard_text`). Text that already starts
with a quote gets one more, so that :func:`unguard_text` restores every value exactly.
Numbers are never touched: a negative number stays a number.

>>> import pandas as pd
>>> t = with_units(pd.DataFrame({"copper": [1.5], "rv": [0.3], "limit": ["ball"]}),
...                {"copper": "t/h", "rv": "1"})
>>> list(t.columns)
['copper [t/h]', 'rv [-]', 'limit']
>>> back = strip_units(t)
>>> list(back.columns), back.attrs["units"]
(['copper', 'rv', 'limit'], {'copper': 't/h', 'rv': '1'})
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DIMENSIONLESS", "UNIT_STRINGS", "FORMULA_START", "unit_of", "header", "split_header",
           "with_units", "strip_units", "guard_text", "unguard_text", "csv_safe",
           "write_csv"]

#: The unit string of a dimensionless number (fraction, ratio, count), as in pint.
DIMENSIONLESS = "1"

#: Every unit string a report or a table may declare: the README's defaults and the few
#: more that reports and tables need (normal cubic metres, electrical quantities...).
UNIT_STRINGS = frozenset({
    "t/h", "t", "t/d", "d", "g", "g/t", "um", "kW", "kWh/t", "kWh/m3", "h", "min", "s", "degC",
    "kPa", "Pa", "g/L", "mol/L", "m3", "L", "m3/h", "L/min", "kg/m3", "t/m3", "%", "ppm",
    DIMENSIONLESS, "Nm3", "Nm3/h", "A", "V", "A/m2", "m2", "L/h/m2", "kg/t", "Mmol/h",
    "g/L/%", "1/h", "1/min", "kJ/mol", "kg/h"})

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_HEADER = re.compile(r"(?P<name>.*\S) \[(?P<unit>[^\[\]]+)\]", re.DOTALL)

Units = Mapping[str, str] | Callable[[str], str | None]


def unit_of(key: str, declared: Mapping[str, str]) -> str | None:
    """The unit of ``key`` in a declaration: its exact entry, else the first pattern.

    Parameters
    ----------
    key : str
        A column or report key.
    declared : mapping of str to str
        Name or ``*`` pattern -> unit string.

    Returns
    -------
    str or None
        The unit, or None when nothing declares the key.

    Examples
    --------
    >>> units = {"pls_flow": "m3/h", "pls_*": "g/L", "extraction_*": "1"}
    >>> unit_of("pls_flow", units), unit_of("pls_Cu", units), unit_of("limit", units)
    ('m3/h', 'g/L', None)
    """
    if key in declared:
        return declared[key]
    for pattern, unit in declared.items():
        if "*" in pattern and fnmatchcase(key, pattern):
            return unit
    return None


def header(name: str, unit: str | None) -> str:
    """A column header: ``name [unit]``; ``[-]`` for a dimensionless number, bare for text.

    >>> header("copper", "t/h"), header("recovery", "1"), header("limit", None)
    ('copper [t/h]', 'recovery [-]', 'limit')
    """
    if unit is None or unit == "":
        return name
    return f"{name} [{'-' if unit == DIMENSIONLESS else unit}]"


def split_header(text: str) -> tuple[str, str | None]:
    """The name and unit of a header (the inverse of :func:`header`).

    >>> split_header("copper [t/h]"), split_header("rv [-]"), split_header("limit")
    (('copper', 't/h'), ('rv', '1'), ('limit', None))
    """
    match = _HEADER.fullmatch(str(text))
    if match is None:
        return str(text), None
    unit = match["unit"].strip()
    return match["name"], DIMENSIONLESS if unit == "-" else unit


def _lookup(units: Units) -> Callable[[str], str | None]:
    if callable(units):
        return units
    return lambda key: unit_of(key, units)


def with_units(table: pd.DataFrame, units: Units) -> pd.DataFrame:
    """A copy of ``table`` whose column (and index) names carry their units.

    Parameters
    ----------
    table : pandas.DataFrame
    units : mapping of str to str, or callable
        Name or pattern -> unit (see :func:`unit_of`), or a function of the name
        returning the unit or None. Names without a unit are left as they are.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"tonnes": [10.0]}, index=pd.Index([1], name="period"))
    >>> with_units(t, {"tonnes": "t"}).columns.tolist()
    ['tonnes [t]']
    """
    find = _lookup(units)
    out = table.rename(columns=lambda c: header(str(c), find(str(c))))
    if out.index.name is not None:
        out.index = out.index.rename(header(str(out.index.name), find(str(out.index.name))))
    return out


def strip_units(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` with ``name [unit]`` headers renamed ``name``.

    The units go to ``attrs["units"]`` (name -> unit; ``"1"`` for ``[-]``), so that code
    selects columns by name whatever their unit.

    Examples
    --------
    >>> import pandas as pd
    >>> t = strip_units(pd.DataFrame({"p80 [um]": [150.0], "stream": ["a"]}))
    >>> list(t.columns), t.attrs["units"]
    (['p80', 'stream'], {'p80': 'um'})
    """
    units: dict[str, str] = {}
    names = []
    for column in table.columns:
        name, unit = split_header(str(column))
        names.append(name)
        if unit is not None:
            units[name] = unit
    out = table.copy()
    out.columns = names
    if out.index.name is not None:
        name, unit = split_header(str(out.index.name))
        out.index = out.index.rename(name)
        if unit is not None:
            units[name] = unit
    out.attrs["units"] = units
    return out


def guard_text(value: Any) -> Any:
    """Text a spreadsheet shows as text: a quote before a formula's first character.

    Anything but a string is returned unchanged.

    >>> guard_text("=HYPERLINK(1)"), guard_text("-x"), guard_text("'a"), guard_text(-2.0)
    ("'=HYPERLINK(1)", "'-x", "''a", -2.0)
    >>> guard_text("ball")
    'ball'
    """
    if isinstance(value, str) and value.startswith((*FORMULA_START, "'")):
        return "'" + value
    return value


def unguard_text(value: Any) -> Any:
    """The text :func:`guard_text` was given.

    >>> unguard_text("'=HYPERLINK(1)"), unguard_text("''a"), unguard_text("ball")
    ('=HYPERLINK(1)', "'a", 'ball')
    """
    if isinstance(value, str) and value.startswith("'"):
        return value[1:]
    return value


def csv_safe(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` with every text cell, header and index label guarded.

    >>> import pandas as pd
    >>> csv_safe(pd.DataFrame({"=a": ["@b", "c"], "n": [-1.0, 2.0]})).to_dict("list")
    {"'=a": ["'@b", 'c'], 'n': [-1.0, 2.0]}
    """
    import pandas as pd

    out = table.copy()
    for k in range(out.shape[1]):
        column = out.iloc[:, k]
        if not pd.api.types.is_numeric_dtype(column) and _any_to_guard(column):
            out.iloc[:, k] = column.map(guard_text)
    out.columns = [guard_text(str(c)) for c in out.columns]
    if not pd.api.types.is_numeric_dtype(out.index) and _any_to_guard(out.index):
        out.index = out.index.map(guard_text)
    if out.index.name is not None:
        out.index = out.index.rename(guard_text(str(out.index.name)))
    return out


def _any_to_guard(values: pd.Series | pd.Index) -> bool:
    """Whether any text in ``values`` needs :func:`guard_text` (most columns need none,
    and mapping a column of 75,000 names costs more than looking at them)."""
    starts = (*FORMULA_START, "'")
    return any(isinstance(v, str) and v.startswith(starts)
               for v in values.to_numpy(dtype=object))


def write_csv(table: pd.DataFrame, path: str | os.PathLike, *, index: bool = False,
              units: Units | None = None) -> None:
    """Write ``table`` as UTF-8 CSV: units in the header, text guarded, ``\\n`` line ends.

    Parameters
    ----------
    table : pandas.DataFrame
    path : path
        The file (written as it is: wrap the call in
        :func:`~flowsheet.atomic.atomic_write` for an atomic write).
    index : bool, default False
        Whether to write the index as the first column.
    units : mapping or callable, optional
        Units to put into the header (:func:`with_units`); None when the header has them.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "t.csv"
    ...     write_csv(pd.DataFrame({"ore": ["=1+1"], "tonnes": [5.0]}), p,
    ...               units={"tonnes": "t"})
    ...     p.read_text()
    "ore,tonnes [t]\\n'=1+1,5.0\\n"
    """
    shown = with_units(table, units) if units is not None else table
    csv_safe(shown).to_csv(Path(path), index=index, encoding="utf-8", lineterminator="\n")
