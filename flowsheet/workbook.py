"""One writer for every Excel workbook the engine makes.

:func:`write_workbook` writes tables as sheets an engineer can hand on: the header row
bold and frozen (with the index columns, when written, frozen beside it), the units in
the header as in the CSV files (``copper [t/h]``, see :mod:`flowsheet.headers`), a
number format per column chosen from the size of its numbers (:func:`number_format`),
column widths from their content, and text written as text: a name such as
``=HYPERLINK(...)`` is stored as a string cell, never as a formula.

The workbook is written by xlsxwriter in constant-memory mode, row by row straight to
the file (imported only when a workbook is written); openpyxl and pandas read it back.
A workbook is still written cell by cell: :func:`too_big` says when tables are too big
for one (past :data:`MAX_CELLS` cells), so that callers send them to CSV instead.

>>> import tempfile, pathlib, openpyxl
>>> import pandas as pd
>>> t = pd.DataFrame({"ore": ["=1+1", "B"], "tonnes [t]": [1200.0, 35.5]})
>>> with tempfile.TemporaryDirectory() as d:
...     p = pathlib.Path(d) / "ores.xlsx"
...     write_workbook(p, {"ores": t})
...     ws = openpyxl.load_workbook(p)["ores"]
...     [ws["A2"].value, ws["A2"].data_type, ws.freeze_panes, ws["B2"].number_format]
['=1+1', 's', 'A2', '#,##0.0']
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["write_workbook", "number_format", "too_big", "MAX_WIDTH", "MAX_CELLS"]

#: Widest column [characters]; longer text wraps off the edge.
MAX_WIDTH = 60

#: Most cells of a workbook :func:`too_big` lets through (a few seconds of writing).
MAX_CELLS = 500_000

#: Excel's limit on the rows of a sheet.
_EXCEL_ROWS = 1_048_576

#: Excel's limit on a sheet name.
_SHEET_NAME_LENGTH = 31
_BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def number_format(values: Any) -> str:
    """An Excel number format for a column, from the size of its numbers.

    Whole numbers get thousands separators; other numbers show about four significant
    digits of the largest value, and at least one decimal; a column whose largest value
    is below 0.001 (relative errors, residuals) is shown in scientific notation.

    Parameters
    ----------
    values : array_like
        The column's numbers (NaN and infinities are ignored).

    Returns
    -------
    str
        An Excel number format.

    Examples
    --------
    >>> number_format([1500, 2, 30]), number_format([3947.8, 12.1]), number_format([0.356])
    ('#,##0', '#,##0.0', '0.0000')
    >>> number_format([1.2e-12, 0.0]), number_format([0.0])
    ('0.00E+00', '0')
    """
    x = np.asarray(values, dtype=float).ravel()
    x = np.abs(x[np.isfinite(x)])
    if not x.size or not x.max():
        return "0"
    if np.all(x == np.round(x)) and x.max() < 1e15:
        return "#,##0"
    largest = float(x.max())
    if largest < 1e-3:
        return "0.00E+00"
    decimals = min(6, max(1, 3 - math.floor(math.log10(largest))))
    integer = "#,##0" if largest >= 1000 else "0"
    return integer + ("." + "0" * decimals if decimals else "")


def too_big(sheets: Mapping[str, pd.DataFrame], limit: int | None = None) -> str | None:
    """Why ``sheets`` are too big for a workbook written in reasonable time, or None.

    A workbook is written cell by cell (about a million cells every few seconds); past
    :data:`MAX_CELLS` cells, or past Excel's 1,048,576 rows on a sheet, tables belong in
    CSV files, which are written column by column.

    Parameters
    ----------
    sheets : mapping of str to pandas.DataFrame
    limit : int, optional
        Most cells (default :data:`MAX_CELLS`).

    Examples
    --------
    >>> t = pd.DataFrame({"a": range(10), "b": range(10)})
    >>> too_big({"t": t}) is None
    True
    >>> too_big({"t": t}, limit=15)
    "sheet 't' has 10 rows x 2 columns: 20 cells, more than 15"
    """
    limit = MAX_CELLS if limit is None else limit
    cells = sum(t.size for t in sheets.values())
    name, table = max(sheets.items(), key=lambda item: item[1].size, default=("", None))
    if table is None:
        return None
    if len(table) + 1 > _EXCEL_ROWS:
        return f"sheet '{name}' has {len(table):,} rows, more than Excel's {_EXCEL_ROWS - 1:,}"
    if cells > limit:
        shown = (f"sheet '{name}' has {len(table):,} rows x {table.shape[1]:,} columns"
                 if len(sheets) == 1 else f"the {len(sheets)} sheets hold")
        return f"{shown}: {cells:,} cells, more than {limit:,}"
    return None


def _sheet_title(name: str, taken: set[str]) -> str:
    """A legal, unique sheet title for ``name``."""
    title = str(name).translate(_BAD_SHEET_CHARS).strip("'")[:_SHEET_NAME_LENGTH] or "sheet"
    base, k = title, 2
    while title.lower() in taken:
        suffix = f" ({k})"
        title = base[:_SHEET_NAME_LENGTH - len(suffix)] + suffix
        k += 1
    taken.add(title.lower())
    return title


def write_workbook(path: str | os.PathLike, sheets: Mapping[str, pd.DataFrame], *,
                   index: bool | Mapping[str, bool] = False,
                   progress: Callable[[int, int], None] | None = None) -> None:
    """Write tables as the sheets of one ``.xlsx`` workbook.

    Parameters
    ----------
    path : path
        The workbook (written as it is: wrap the call in
        :func:`~flowsheet.atomic.atomic_write` for an atomic write).
    sheets : mapping of str to pandas.DataFrame
        Sheet name -> table, in order. Headers are written as they are: give them their
        units first (:func:`flowsheet.headers.with_units`). Sheet names are cut to
        Excel's 31 characters and made unique.
    index : bool or mapping of str to bool, default False
        Whether to write each table's index as its first column(s) (one for all, or by
        sheet name).
    progress : callable, optional
        Called now and then as ``progress(rows_written, rows)`` over all sheets.

    Examples
    --------
    >>> import tempfile, pathlib, openpyxl
    >>> t = pd.DataFrame({"copper [t/h]": [4.5]}, index=pd.Index(["cathode"], name="stream"))
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d) / "r.xlsx"
    ...     write_workbook(p, {"streams": t}, index=True)
    ...     ws = openpyxl.load_workbook(p)["streams"]
    ...     [[c.value for c in row] for row in ws.iter_rows()], ws.freeze_panes
    ([['stream', 'copper [t/h]'], ['cathode', 4.5]], 'B2')
    """
    import xlsxwriter

    book = xlsxwriter.Workbook(os.fspath(path), {"constant_memory": True})
    try:
        formats = _Formats(book)
        taken: set[str] = set()
        rows = sum(len(t) for t in sheets.values())
        done = 0
        for name, table in sheets.items():
            with_index = index.get(name, False) if isinstance(index, Mapping) else index
            frame = table.reset_index() if with_index else table
            ws = book.add_worksheet(_sheet_title(name, taken))
            told = None if progress is None else functools.partial(_tell, progress, done, rows)
            _write_sheet(ws, frame, frame.shape[1] - table.shape[1], formats, told)
            done += len(frame)
        if not sheets:
            book.add_worksheet("empty")
    finally:
        book.close()


def _tell(progress: Callable[[int, int], None], before: int, rows: int, i: int) -> None:
    progress(before + i, rows)


class _Formats:
    """The cell formats of one workbook, made once each."""

    def __init__(self, book) -> None:
        self.book = book
        self.bold = book.add_format({"bold": True})
        self.date = book.add_format({"num_format": "yyyy-mm-dd h:mm:ss"})
        self._numbers: dict[str, Any] = {}

    def number(self, code: str):
        if code not in self._numbers:
            self._numbers[code] = self.book.add_format({"num_format": code})
        return self._numbers[code]


def _write_sheet(ws, frame: pd.DataFrame, n_index: int, formats: _Formats,
                 progress: Callable[[int], None] | None) -> None:
    """One sheet: bold header, row by row (constant memory), then widths and the freeze."""
    columns = [str(c) for c in frame.columns]
    cells, number_formats, widths = [], [], []
    for j, title in enumerate(columns):
        series = frame.iloc[:, j]
        numeric = (pd.api.types.is_numeric_dtype(series)
                   and not pd.api.types.is_bool_dtype(series))
        code = number_format(series.to_numpy(dtype=float)) if numeric else None
        cells.append(series.tolist())
        number_formats.append(None if code is None else formats.number(code))
        widths.append(_width(series, code, title))
    for j, title in enumerate(columns):
        ws.write_string(0, j, title, formats.bold)
    for i in range(len(frame)):
        r = i + 1
        for j, column in enumerate(cells):
            _put(ws, r, j, column[i], number_formats[j], formats)
        if progress is not None and not i % 4096:
            progress(i)
    for j, width in enumerate(widths):
        ws.set_column(j, j, min(MAX_WIDTH, width + 2))
    ws.freeze_panes(1, n_index)


def _put(ws, row: int, column: int, value: Any, number, formats: _Formats) -> None:
    """Write one cell; text is always written as text, never read as a formula."""
    kind = type(value)
    if kind is float or kind is int:
        if math.isfinite(value):
            ws.write_number(row, column, value, number)
        return
    if kind is str:
        ws.write_string(row, column, value)
        return
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (np.ndim(value) == 0 and pd.isna(value)):  # NaN, NaT, pd.NA
        return
    if isinstance(value, bool):
        ws.write_boolean(row, column, value)
    elif isinstance(value, datetime | date):
        ws.write_datetime(row, column, value, formats.date)
    elif isinstance(value, int | float):
        if math.isfinite(value):
            ws.write_number(row, column, value, number)
    else:
        ws.write_string(row, column, str(value))


def _width(series: pd.Series, code: str | None, title: str) -> int:
    """Characters needed by the header and the widest cell of a column."""
    width = max(4, len(title))
    if code is not None:
        x = series.to_numpy(dtype=float)
        x = x[np.isfinite(x)]
        if x.size:
            return max(width, *(_shown_width(float(v), code) for v in (x.max(), x.min())))
        return width
    lengths = [len(str(v)) for v in series.tolist()
               if v is not None and not (np.ndim(v) == 0 and pd.isna(v))]
    return max(width, *lengths) if lengths else width


def _shown_width(value: float, fmt: str) -> int:
    """About the number of characters Excel shows for ``value`` in format ``fmt``."""
    if "E" in fmt:
        return 9
    decimals = len(fmt.partition(".")[2])
    return len(f"{value:,.{decimals}f}" if "," in fmt else f"{value:.{decimals}f}")
