"""Write the results of a solve to a folder, and read tables back.

:func:`write_results` puts one run into a folder as ``results.json`` and as tables
(``streams.csv``, ``units.csv``, ``closure.csv``, and ``results.xlsx`` on request). The
headers of the tables carry their units (``copper [t/h]``, ``p80 [um]``, ``[-]`` for a
dimensionless number; see :mod:`flowsheet.headers`), text cells are guarded against
formula injection, and the workbook is made by :func:`flowsheet.workbook.write_workbook`.
``read_table(path, strip_units=True)`` reads such a table back by plain column names.
A run is written all or nothing: every file is first written into a hidden staging folder
beside the targets, and only when all of them are complete are they renamed into place.
A failure anywhere (the Excel part included) leaves the folder as it was.

>>> import tempfile, flowsheet
>>> res = flowsheet.loads('''
... flowsheet: demo
... species: [{name: water}, {name: quartz}]
... units:
...   f: {type: feed, flows: {water: 60, quartz: 40}}
...   s: {type: separator, outlets: [under, over], split: {quartz: 1, water: 0.25}}
...   u: {type: product}
...   o: {type: product}
... streams:
...   - {from: f, to: s}
...   - {from: s.under, to: u}
...   - {from: s.over, to: o}
... ''').solve()
>>> with tempfile.TemporaryDirectory() as out:
...     paths = write_results(res, out)
...     raw = read_table(paths[1])
...     streams = read_table(paths[1], strip_units=True)
>>> [p.name for p in paths]
['results.json', 'streams.csv', 'units.csv', 'closure.csv', 'convergence.csv']
>>> list(raw.columns[:5])
['stream', 'from', 'to', 'water [t/h]', 'quartz [t/h]']
>>> streams.set_index("stream")["total"].to_dict()
{'f->s': 100.0, 's.under->u': 55.0, 's.over->o': 45.0}
>>> streams.attrs["units"]["percent_solids"]
'%'
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from flowsheet import saved
from flowsheet.atomic import atomic_write, commit_files, staging_folder
from flowsheet.collector import collector_paused
from flowsheet.errors import ExportError
from flowsheet.headers import header, unit_of, with_units, write_csv
from flowsheet.tables import read_table  # the reader lives there; callers import it here

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FORMATS", "MANIFEST", "write_results", "write_files", "result_tables", "read_table"]

#: Formats :func:`write_results` accepts, with the files each one writes.
FORMATS: dict[str, tuple[str, ...]] = {
    "csv": ("streams.csv", "units.csv", "closure.csv", "convergence.csv"),
    "json": ("results.json",),
    "xlsx": ("results.xlsx",),
}

#: The manifest :func:`write_results` writes last: the run id, size and SHA-256 of each file
#: (:func:`flowsheet.saved.load_results` checks it).
MANIFEST = saved.MANIFEST

#: Sheets of ``results.xlsx``, in order.
SHEETS = ("streams", "units", "closure", "convergence")


#: Units of the closure and convergence tables (relative errors and residuals).
_RUN_UNITS = {"relative_error": "1", "residual": "1"}


def result_tables(results, units: bool = False) -> dict[str, pd.DataFrame]:
    """The tables of a run: ``streams``, ``units``, ``closure`` and ``convergence``.

    Parameters
    ----------
    results : flowsheet.results.Results
    units : bool, default False
        Whether the column headers carry their units, as in the files
        (``copper [t/h]``; a report key with different units in different unit types
        then gets one column per unit).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``streams``: the stream table, indexed by stream name. ``units``: one row per
        unit (index ``unit``), its ``type`` and its report values as columns. ``closure``:
        columns ``quantity`` (``total`` or an element) and ``relative_error``.
        ``convergence``: the residual history as a long table with columns ``tear``,
        ``iteration`` (from 1) and ``residual``; empty when no recycle was iterated.

    Examples
    --------
    >>> import flowsheet
    >>> res = flowsheet.loads('''
    ... flowsheet: one
    ... species: [{name: water}]
    ... units: {w: {type: feed, flows: {water: 3}}, p: {type: product}}
    ... streams: [{from: w, to: p}]
    ... ''').solve()
    >>> t = result_tables(res)
    >>> t["closure"]["quantity"].tolist()
    ['total', 'H', 'O']
    >>> t["units"].reset_index().to_dict("records")
    [{'unit': 'w', 'type': 'feed', 'total': 3.0}, {'unit': 'p', 'type': 'product', 'total': 3.0}]
    >>> list(result_tables(res, units=True)["units"].columns)
    ['type', 'total [t/h]']
    """
    import pandas as pd

    unit_table = _units_table(results, units)
    closure = results.closure
    rows = [("total", closure.total), *closure.elements.items()]
    closure_table = pd.DataFrame(rows, columns=["quantity", "relative_error"])
    history = [(tear, i, residual)
               for tear, values in results.convergence.history.items()
               for i, residual in enumerate(values, 1)]
    convergence = pd.DataFrame(history, columns=["tear", "iteration", "residual"])
    convergence = convergence.astype({"tear": str, "iteration": int, "residual": float})
    tables = {"streams": results.streams, "units": unit_table, "closure": closure_table,
              "convergence": convergence}
    if units:
        tables["streams"] = with_units(results.streams, _stream_units(results))
        tables["closure"] = with_units(closure_table, _RUN_UNITS)
        tables["convergence"] = with_units(convergence, _RUN_UNITS)
    return tables


def _stream_units(results) -> Callable[[str], str | None]:
    """The unit of a stream-table column: species flows in t/h, the rest as declared."""
    from flowsheet.results import STREAM_UNITS

    species = set(results.flowsheet.table.names)
    return lambda column: "t/h" if column in species else unit_of(column, STREAM_UNITS)


def _units_table(results, units: bool = False) -> pd.DataFrame:
    import pandas as pd

    fs = results.flowsheet
    rows = []
    headers: dict[tuple[type, str], str] = {}   # (unit class, key) -> numeric column
    for name, report in results.units.items():
        unit = fs.units.get(name)
        kind = type(unit)
        row: dict[str, Any] = {"type": getattr(unit, "type_name", None)}
        for key, value in report.items():
            cell = _scalar(value)
            if units and isinstance(cell, int | float) and not isinstance(cell, bool):
                column = headers.get((kind, key))
                if column is None:
                    declared = getattr(kind, "report_units", {})
                    column = headers[(kind, key)] = header(key, unit_of(key, declared))
                row[column] = cell
            else:
                row[key] = cell
        rows.append(row)
    return pd.DataFrame(rows, index=pd.Index(list(results.units), name="unit"))


def _scalar(value: Any) -> Any:
    """A report value fit for a table cell: numbers and text as they are, the rest as JSON."""
    if type(value) is float or type(value) is str:
        return value
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, np.ndarray):
        value = value.tolist()
    return json.dumps(value, default=str)


def _formats(formats: str | Iterable[str]) -> list[str]:
    """Check and normalise the requested formats, keeping their order and dropping repeats."""
    if isinstance(formats, str):
        formats = formats.split(",")
    chosen: list[str] = []
    for fmt in formats:
        name = str(fmt).strip().lower().lstrip(".")
        if name not in FORMATS:
            raise ExportError(f"unknown format '{fmt}': accepted " + ", ".join(sorted(FORMATS)))
        if name not in chosen:
            chosen.append(name)
    if not chosen:
        raise ExportError("no output format given: accepted " + ", ".join(sorted(FORMATS)))
    return chosen


def write_results(results, out_dir: str | os.PathLike,
                  formats: str | Iterable[str] = ("json", "csv"), *,
                  record: Callable[[], int | str | None] | None = None,
                  notify: Callable[[str], None] | None = None,
                  progress: Callable[..., None] | None = None) -> list[Path]:
    """Write one run into ``out_dir``, all files or none.

    Parameters
    ----------
    results : flowsheet.results.Results
        A solved flowsheet.
    out_dir : path
        The folder, created if missing. Files of an earlier run with the same names are
        replaced.
    formats : iterable of str or str, default ("json", "csv")
        Any of ``"json"`` (``results.json``, the layout of
        :meth:`~flowsheet.results.Results.as_dict`), ``"csv"`` (``streams.csv``,
        ``units.csv``, ``closure.csv``, ``convergence.csv``) and ``"xlsx"`` (``results.xlsx``
        with the sheets streams, units, closure and convergence). A string may list several,
        comma separated.
    record : callable, optional
        Records the run (in the run store) once every file is staged and before any is
        moved into place, returning the run id; when it raises, nothing is written. The
        set ends with ``results.manifest.json`` (:data:`MANIFEST`), naming the run id and
        the size and SHA-256 of every file.
    notify : callable, optional
        Told, in one line, when tables too big for a workbook
        (:func:`flowsheet.workbook.too_big`) go to the CSV files instead of
        ``results.xlsx``; without it, that line is a ``UserWarning``.
    progress : callable, optional
        A :class:`~flowsheet.progress.Progress` (or any ``progress(stage, step,
        residual, total)``), told of each file and of the rows of the workbook.

    Returns
    -------
    list of pathlib.Path
        The written files, in the order of ``formats``.

    Raises
    ------
    ExportError
        For an unknown format (before anything is written), or when a file cannot be
        written; then no file of this run is left in ``out_dir``.

    Examples
    --------
    >>> import tempfile, flowsheet
    >>> res = flowsheet.loads('''
    ... flowsheet: one
    ... species: [{name: water}]
    ... units: {w: {type: feed, flows: {water: 3}}, p: {type: product}}
    ... streams: [{from: w, to: p}]
    ... ''').solve()
    >>> with tempfile.TemporaryDirectory() as out:
    ...     [p.name for p in write_results(res, out, ["xlsx", "json"])]
    ['results.xlsx', 'results.json']
    >>> write_results(res, ".", ["xml"])
    Traceback (most recent call last):
    ...
    flowsheet.errors.ExportError: unknown format 'xml': accepted csv, json, xlsx
    """
    chosen = _formats(formats)
    with collector_paused():
        writers = _writers(results, chosen, notify, progress)
    return write_files(out_dir, writers, manifest=MANIFEST, record=record, progress=progress)


def write_files(out_dir: str | os.PathLike,
                writers: Mapping[str, Callable[[Path], None]], *,
                manifest: str | None = None,
                record: Callable[[], int | str | None] | None = None,
                progress: Callable[..., None] | None = None) -> list[Path]:
    """Write several files into ``out_dir``, all of them or none.

    Each writer is called with a path in a hidden staging folder inside ``out_dir``; only
    when every file is complete are they moved into place as one set
    (:func:`flowsheet.atomic.commit_files`). A failure anywhere leaves ``out_dir`` as it was
    (files of the same names from before are kept); a writer killed half way leaves a
    journal that the next write finishes, and a staging folder that the next write removes.

    Parameters
    ----------
    out_dir : path
        The folder, created if missing.
    writers : mapping of str to callable
        File name -> a function writing that file at the path it is given.
    manifest : str, optional
        Name of a manifest file written last, naming the size and SHA-256 of every file
        and the run id, so that readers can tell a complete set from a mixed one.
    record : callable, optional
        Called once every file is staged and before any is moved into place (recording
        the run in the run store); it returns the run id kept in the manifest. When it
        raises, nothing is written.
    progress : callable, optional
        Told ``progress("writing", k, None, total)`` before the k-th file is written.

    Returns
    -------
    list of pathlib.Path
        The written files, in the order of ``writers``.

    Raises
    ------
    ExportError
        When a file cannot be written; then no file of this call is left in ``out_dir``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as out:
    ...     paths = write_files(out, {"a.txt": lambda p: p.write_text("1")})
    ...     [p.name for p in Path(out).iterdir()]
    ['a.txt']
    """
    out = Path(out_dir)
    existed = out.exists()
    staging = staging_folder(out)
    try:
        with collector_paused():         # the tables and texts being written are no garbage
            staged = _stage(writers, staging, progress)
            run = record() if record is not None else None
        return _commit(staged, out, staging, manifest=manifest, run=run)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if not existed:                   # a failed write leaves no folder it made
            with contextlib.suppress(OSError):
                out.rmdir()
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _writers(results, chosen: list[str], notify: Callable[[str], None] | None = None,
             progress: Callable[..., None] | None = None
             ) -> dict[str, Callable[[Path], None]]:
    """The writer of every file of the run, by file name; tables too big for a workbook
    go to the CSV files instead, and ``notify`` is told so."""
    writers: dict[str, Callable[[Path], None]] = {}
    tables: dict[str, pd.DataFrame] = {}
    if "csv" in chosen or "xlsx" in chosen:
        tables = result_tables(results, units=True)
    if "xlsx" in chosen:
        chosen = _without_huge_workbook(tables, chosen, notify)
    for fmt in chosen:
        if fmt == "json":
            writers["results.json"] = _json_writer(results)
        elif fmt == "csv":
            for name in FORMATS["csv"]:
                table = tables[name.removesuffix(".csv")]
                writers[name] = _csv_writer(table, index=name in ("streams.csv", "units.csv"))
        else:
            writers["results.xlsx"] = lambda path: _write_xlsx(tables, path, progress)
    return writers


def _without_huge_workbook(tables: dict[str, pd.DataFrame], chosen: list[str],
                           notify: Callable[[str], None] | None) -> list[str]:
    """``chosen`` with ``xlsx`` replaced by ``csv`` when the tables are too big for a
    workbook written in reasonable time, saying so in one line."""
    from flowsheet.workbook import too_big

    reason = too_big({sheet: tables[sheet] for sheet in SHEETS})
    if reason is None:
        return chosen
    message = (f"results.xlsx not written: {reason}; the tables are in "
               + ", ".join(FORMATS["csv"]))
    if notify is None:
        import warnings

        warnings.warn(message, UserWarning, stacklevel=4)
    else:
        notify(message)
    return list(dict.fromkeys("csv" if fmt == "xlsx" else fmt for fmt in chosen))


def _stage(writers: Mapping[str, Callable[[Path], None]], staging: Path,
           progress: Callable[..., None] | None = None) -> list[tuple[str, Path]]:
    """Write every file into ``staging``; return (file name, staged path)."""
    staged = []
    for k, (name, writer) in enumerate(writers.items()):
        if progress is not None:
            progress("writing", k, None, len(writers))
        path = staging / name
        try:
            atomic_write(path, writer)
        except ImportError as exc:
            missing = getattr(exc, "name", None) or "the missing package"
            raise ExportError(f"cannot write {name}: {exc}",
                              hint=f"install it with: pip install {missing}") from exc
        except (OSError, ValueError, TypeError) as exc:
            raise ExportError(f"cannot write {name} in '{staging.parent}': {exc}") from exc
        staged.append((name, path))
    return staged


def _json_writer(results) -> Callable[[Path], None]:
    text = results.json_text()

    def write(path: Path) -> None:
        path.write_text(text, encoding="utf-8")

    return write


def _csv_writer(table: pd.DataFrame, index: bool) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        write_csv(table, path, index=index)

    return write


def _write_xlsx(tables: dict[str, pd.DataFrame], path: Path,
                progress: Callable[..., None] | None = None) -> None:
    """Write the tables as one workbook, one sheet each (xlsxwriter is loaded only here)."""
    import xlsxwriter  # noqa: F401  (fails early, with a clear message, when missing)

    from flowsheet.workbook import write_workbook

    rows = None if progress is None else (
        lambda done, total: progress("writing results.xlsx", done, None, total))
    write_workbook(path, {sheet: tables[sheet] for sheet in SHEETS},
                   index={"streams": True, "units": True}, progress=rows)


def _commit(staged: list[tuple[str, Path]], out: Path, staging: Path, *,
            manifest: str | None = None, run: int | str | None = None) -> list[Path]:
    """Move the staged files into ``out`` as one set (journalled; see flowsheet.atomic)."""
    names = [name for name, _ in staged]
    return commit_files(out, staging, names, manifest=manifest, run=run)
