r"""Read a table -- CSV or an Excel sheet -- refusing what no caller can use.

The one table reader of the engine: ore tables for ``smelt`` and ``blocks``, survey data
for ``calibrate``, time series for ``track``, and the tables :mod:`flowsheet.exports`
writes, read back by plain column names with ``strip_units=True``. Errors name the file,
the row and the column ("row 3, column 'Fe'").

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     path = pathlib.Path(d) / "ores.csv"
...     _ = path.write_text("ore,Cu [%],mass [t]\nA,1.5,10\nB,0.8,20\n")
...     table = read_table(path, strip_units=True)
>>> list(table.columns), table.attrs["units"]["Cu"]
(['ore', 'Cu', 'mass'], '%')
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from flowsheet.errors import InputError, Location, clip, did_you_mean, quoted
from flowsheet.headers import strip_units as _strip_units
from flowsheet.headers import unguard_text

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["read_table"]


#: Cell texts read as "no value" (pandas' list without the spellings of NaN: a cell that
#: says ``nan`` is refused as not a finite number, an empty cell is a missing value).
_MISSING = ["", "#N/A", "#N/A N/A", "#NA", "<NA>", "N/A", "NA", "NULL", "None", "n/a", "null"]
_NAN_TEXT = ("nan", "-nan", "+nan", "1.#qnan", "-1.#qnan", "1.#ind", "-1.#ind")


def read_table(path: str | os.PathLike, sheet: str | int | None = None, *,
               strip_units: bool = False) -> pd.DataFrame:
    """Read a table from a CSV file or an Excel workbook, refusing what no caller can use.

    Parameters
    ----------
    path : path
        A ``.csv`` or ``.xlsx`` file.
    sheet : str or int, optional
        For a workbook, the sheet's name or 0-based position; the first sheet by default.
    strip_units : bool, default False
        For a table the engine wrote: headers ``name [unit]`` become ``name`` (the units
        go to ``attrs["units"]``, see :func:`flowsheet.headers.strip_units`) and text
        guarded against formula injection gets its leading quote back off.

    Returns
    -------
    pandas.DataFrame
        The table, with the file's header row as column names and a plain 0-based index.
        ``attrs["source"]`` is ``path`` as given and ``attrs["lines"]`` the line (CSV) or
        sheet row (Excel) of every data row. An empty cell is a missing value (NaN).

    Raises
    ------
    InputError
        When the file is missing, is not a table of its kind (a corrupt workbook), has
        another suffix, or has no such sheet; when its header names a column twice; when
        it has a header but no rows; when a cell holds NaN or an infinite number (``nan``,
        ``inf``, ``1e999``). The message names the file, and the line and column of a bad
        cell.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d) / "feed.csv"
    ...     _ = p.write_text("species,flow\\nwater,60\\nquartz,40\\n")
    ...     read_table(p).to_dict("list")
    {'species': ['water', 'quartz'], 'flow': [60, 40]}
    >>> read_table("missing.csv")
    Traceback (most recent call last):
    ...
    flowsheet.errors.InputError: missing.csv: no such file
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d) / "ores.csv"
    ...     _ = p.write_text("ore,tonnes,tonnes\\na,1,2\\n")
    ...     try:
    ...         read_table(p)
    ...     except InputError as err:
    ...         print(err.location.line, err.message)
    1 the header names column 'tonnes' twice (columns 2 and 3)
    """
    import pandas as pd

    p = Path(path)
    where = Location(file=str(path))
    suffix = p.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputError(f"cannot read a '{p.suffix}' file as a table: accepted .csv, .xlsx",
                         location=where)
    if not p.is_file():
        raise InputError("no such file" if not p.exists() else "not a file", location=where)
    if suffix == ".xlsx":
        header, table = _read_sheet(p, sheet, where)
        lines = list(range(2, len(table) + 2))
        _check_table(header, table, lines, where)
    else:
        if sheet is not None:
            raise InputError(f"sheet {sheet!r} given for a CSV file: sheets exist in .xlsx "
                             "only", location=where)
        options = {"keep_default_na": False, "na_values": _MISSING}
        try:
            cells = pd.read_csv(p, dtype=str, **options)
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read the table: {exc}", location=where) from exc
        header, lines = _csv_layout(p)
        if lines is None or len(lines) != len(cells):
            lines = list(range(2, len(cells) + 2))
        _check_table(header, cells, lines, where)
        try:
            table = pd.read_csv(p, **options)
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read the table: {exc}", location=where) from exc
    table.attrs["source"] = str(path)
    table.attrs["lines"] = _Lines(lines)
    if strip_units:
        if suffix == ".csv":
            table = table.rename(columns=unguard_text)
            for k in range(table.shape[1]):
                if not pd.api.types.is_numeric_dtype(table.iloc[:, k]):
                    table.iloc[:, k] = table.iloc[:, k].map(unguard_text)
        source, lines = table.attrs["source"], table.attrs["lines"]
        table = _strip_units(table)
        table.attrs.update(source=source, lines=lines)
    return table


class _Lines(list):
    """The file line of every row of a table read by :func:`read_table`.

    pandas deep-copies ``attrs`` into every frame and column derived from a table (each
    ``table[column]``); this list is shared instead of copied, so that reading a column
    of a 100,000-row table does not copy 100,000 line numbers.

    >>> import copy
    >>> lines = _Lines([2, 3])
    >>> copy.deepcopy(lines) is lines, lines == [2, 3]
    (True, True)
    """

    def __deepcopy__(self, memo: dict) -> _Lines:
        return self


def _check_table(header: list | None, table: pd.DataFrame, lines: list[int],
                 where: Location) -> None:
    """The checks of every table: distinct column names, some rows, finite numbers."""
    _check_header(header, where)
    if table.empty and len(table.columns):
        raise InputError("the table has a header but no rows", location=replace(where, line=1),
                         hint="add one row per case below the header")
    _check_finite(table, lines, where)


def _csv_layout(path: Path) -> tuple[list[str] | None, list[int] | None]:
    """The header row of a CSV file as written, and the first line of every data row
    (blank lines skipped, as pandas does); None where the file cannot be read this way."""
    import csv

    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            header: list[str] | None = None
            lines: list[int] = []
            previous = 0
            for row in reader:
                start, previous = previous + 1, reader.line_num
                if not any(cell.strip() for cell in row) and len(row) <= 1:
                    continue
                if header is None:
                    header = row
                else:
                    lines.append(start)
            return header, lines
    except (OSError, UnicodeDecodeError, csv.Error):
        return None, None


def _check_header(header: list | None, where: Location) -> None:
    """Refuse a header that names a column twice (pandas would rename one ``x.1``)."""
    seen: dict[str, int] = {}
    for i, name in enumerate(header or []):
        text = str(name).strip()
        if not text or text.lower() in ("nan", "none"):
            continue
        if text in seen:
            raise InputError(f"the header names column {quoted(text)} twice (columns "
                             f"{seen[text] + 1} and {i + 1})",
                             location=replace(where, line=1),
                             hint="give every column its own name")
        seen[text] = i


def _check_finite(table: pd.DataFrame, lines: list[int], where: Location) -> None:
    """Refuse the first cell that holds NaN or an infinite number, at its line.

    A text cell is refused when Python reads it as a number that is not finite (``nan``,
    ``-inf``, ``Infinity``, ``1e999``, an integer of 400 digits); other text is left for
    the caller to judge.
    """
    import pandas as pd

    for column in table.columns:
        values = table[column]
        if values.dtype.kind == "f":
            bad = np.flatnonzero(np.isinf(values.to_numpy()))
            rows = [int(bad[0])] if bad.size else []
        elif values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            # a missing cell is no value, not the text 'nan' (pandas 2 spells it so in
            # astype(str); pandas 3 keeps it missing)
            present = values.notna().to_numpy()
            cells = [str(v) for v in values.to_numpy(dtype=object)[present]]
            if (max(map(len, cells), default=0) <= 300
                    and not _SUSPECT.search("\n".join(cells))):
                continue                  # the usual column: nothing to look at closer
            text = values.astype(str).str.strip()
            suspect = present & (text.str.len().gt(300)
                                 | text.str.contains(_SUSPECT, regex=True)).to_numpy()
            shown = text.to_numpy(dtype=object)
            rows = [i for i in np.flatnonzero(suspect) if not _finite(shown[i])][:1]
        else:
            continue
        if rows:
            row = int(rows[0])
            raise InputError(f"column '{clip(column)}': {quoted(str(values.iloc[row]).strip())} "
                             "is not a finite number", location=replace(where, line=lines[row]),
                             hint="write a finite number, or leave the cell empty for no "
                                  "value")


#: Text that may read as a number that is not finite (looked at closer by :func:`_finite`).
_SUSPECT = re.compile(r"nan|inf|e\+?\d{3}", re.IGNORECASE)


def _finite(text: str) -> bool:
    """False for text that reads as a number that is not finite; True for the rest."""
    try:
        return math.isfinite(float(text))
    except (ValueError, OverflowError):
        return True


def _read_sheet(path: Path, sheet: str | int | None, where: Location
                ) -> tuple[list, pd.DataFrame]:
    """The header row as written and the table of one sheet of a workbook."""
    import pandas as pd

    try:
        from openpyxl.utils.exceptions import InvalidFileException  # noqa: F401
    except ImportError as exc:
        raise InputError(f"cannot read the workbook: {exc}", location=where,
                         hint="install it with: pip install openpyxl") from exc
    try:
        book = pd.ExcelFile(path, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputError(f"not a readable workbook ({type(exc).__name__})", location=where,
                         hint="save it again as an Excel .xlsx workbook") from exc
    with book:
        names = [str(n) for n in book.sheet_names]
        if sheet is None:
            sheet = 0
        if isinstance(sheet, int) and not 0 <= sheet < len(names):
            raise InputError(f"no sheet {sheet}: the workbook has {len(names)}",
                             location=where, hint="sheets: " + ", ".join(names))
        if isinstance(sheet, str) and sheet not in names:
            raise InputError(f"no sheet '{sheet}'", location=where,
                             hint=did_you_mean(sheet, names))
        try:
            header = pd.read_excel(book, sheet_name=sheet, header=None, nrows=1)
            table = pd.read_excel(book, sheet_name=sheet, keep_default_na=False,
                                  na_values=_MISSING)
        except Exception as exc:  # a damaged sheet: openpyxl's errors are of many kinds
            raise InputError(f"cannot read sheet {sheet!r} ({type(exc).__name__})",
                             location=where, hint="save it again as an Excel .xlsx "
                                                  "workbook") from exc
    first = header.iloc[0].tolist() if len(header) else []
    return first, table
