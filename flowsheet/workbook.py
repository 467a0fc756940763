"""One writer for every Excel workbook the engine makes.

:func:`write_workbook` writes tables as sheets an engineer can hand on: the header row
bold and frozen (with the index columns, when written, frozen beside it), the units in
the header as in the CSV files (``copper [t/h]``, see :mod:`flowsheet.headers`), a
number format per column chosen from the size of its numbers (:func:`number_format`),
column widths from their content, and text written as text: a name such as
``=HYPERLINK(...)`` is stored as a string cell, never as a formula (openpyxl would
otherwise store any string starting with ``=`` as one).

openpyxl is imported only when a workbook is written.

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

import math
import os
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["write_workbook", "number_format", "MAX_WIDTH"]

#: Widest column [characters]; longer text wraps off the edge.
MAX_WIDTH = 60

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


def _cell_value(value: Any) -> Any:
    """A value openpyxl can store: numbers, text, booleans, dates; None for a gap."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, str):
        return value
    if np.ndim(value) == 0 and pd.isna(value):  # NaN, NaT, pd.NA
        return None
    if isinstance(value, bool | datetime | date):
        return value
    if isinstance(value, int | float):
        return value if math.isfinite(value) else None
    return str(value)


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


def _put(ws, row: int, column: int, value: Any):
    """Write one cell; text stays text even when it looks like a formula."""
    cell = ws.cell(row=row, column=column)
    cell.value = _cell_value(value)
    if isinstance(cell.value, str) and cell.data_type != "s":
        cell.data_type = "s"
    return cell


def write_workbook(path: str | os.PathLike, sheets: Mapping[str, pd.DataFrame], *,
                   index: bool | Mapping[str, bool] = False) -> None:
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
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    for name, table in sheets.items():
        ws = book.create_sheet(_sheet_title(name, taken))
        with_index = index.get(name, False) if isinstance(index, Mapping) else index
        frame = table.reset_index() if with_index else table
        n_index = frame.shape[1] - table.shape[1]
        columns = [str(c) for c in frame.columns]
        for j, title in enumerate(columns, 1):
            _put(ws, 1, j, title).font = bold
        for j, column in enumerate(columns, 1):
            series = frame.iloc[:, j - 1]
            numeric = (pd.api.types.is_numeric_dtype(series)
                       and not pd.api.types.is_bool_dtype(series))
            fmt = number_format(series.to_numpy(dtype=float)) if numeric else None
            width = max(4, len(column))
            for i, value in enumerate(series.tolist(), 2):
                cell = _put(ws, i, j, value)
                if fmt is not None and isinstance(cell.value, int | float) \
                        and not isinstance(cell.value, bool):
                    cell.number_format = fmt
                    width = max(width, _shown_width(cell.value, fmt))
                elif cell.value is not None:
                    width = max(width, len(str(cell.value)))
            ws.column_dimensions[get_column_letter(j)].width = min(MAX_WIDTH, width + 2)
        ws.freeze_panes = ws.cell(row=2, column=n_index + 1).coordinate
    if not sheets:
        book.create_sheet("empty")
    book.save(os.fspath(path))


def _shown_width(value: float, fmt: str) -> int:
    """About the number of characters Excel shows for ``value`` in format ``fmt``."""
    if "E" in fmt:
        return 9
    decimals = len(fmt.partition(".")[2])
    return len(f"{value:,.{decimals}f}" if "," in fmt else f"{value:.{decimals}f}")
