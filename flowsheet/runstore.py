"""The run store: every solve recorded in one SQLite file, with its input and its results.

A record keeps the flowsheet's SHA-256 and size, its YAML text when it is no larger than
:data:`TEXT_LIMIT` (a 60 MB flowsheet is not copied again into every record: its hash,
size and path identify it), the parameters the run used
(overrides, scenario values), the status, a few headline numbers and the whole
``results.json`` layout, so that any run can be looked up, compared or repeated later.

The file is ``$FLOWSHEET_RUNS`` when that variable is set, else ``~/.flowsheet/runs.sqlite``.
It is created with its folder on first use. It runs in WAL mode with a busy timeout, so
parallel scenario runs (threads or processes, each with its own :class:`RunStore`) can
record into one file; every record is one transaction, there or not there.

>>> import tempfile, pathlib, flowsheet
>>> res = flowsheet.loads('''
... flowsheet: one
... species: [{name: water}]
... units: {w: {type: feed, flows: {water: 3}}, p: {type: product}}
... streams: [{from: w, to: p}]
... ''').solve()
>>> with tempfile.TemporaryDirectory() as d:
...     store = RunStore(pathlib.Path(d) / "runs.sqlite")
...     run_id = store.record(res, parameters={"method": "broyden"})
...     run = store.get(run_id)
...     table = store.list()
>>> run["status"], run["parameters"], run["results"]["streams"]["w->p"]["total"]
('ok', {'method': 'broyden'}, 3.0)
>>> table[["id", "flowsheet", "status"]].to_dict("records")
[{'id': 1, 'flowsheet': 'one', 'status': 'ok'}]
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from flowsheet.errors import ExportError, InputError, Location

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RunStore", "SCHEMA_VERSION", "ENV_VAR", "TEXT_LIMIT", "default_path"]

#: Version of the database layout, kept in ``PRAGMA user_version``. A store of an older
#: version is brought up to date by the steps of :data:`_MIGRATIONS`, in order.
SCHEMA_VERSION = 2

#: Largest flowsheet text [bytes, UTF-8] kept in a record; larger ones keep hash, size, path.
TEXT_LIMIT = 1_000_000

#: Environment variable naming the run store file.
ENV_VAR = "FLOWSHEET_RUNS"

#: Seconds a writer waits for another one to finish before giving up.
BUSY_TIMEOUT = 60.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    created TEXT NOT NULL,
    flowsheet TEXT,
    file TEXT,
    sha256 TEXT,
    status TEXT NOT NULL,
    method TEXT,
    iterations INTEGER,
    closure REAL,
    seconds REAL,
    yaml TEXT,
    parameters TEXT,
    results TEXT,
    error TEXT
)
"""

#: Statements that take a store from the version before the key to the key's version.
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    2: ("ALTER TABLE runs ADD COLUMN text_bytes INTEGER",
        "UPDATE runs SET text_bytes = length(CAST(yaml AS BLOB)) WHERE yaml IS NOT NULL"),
}

_COLUMNS = ("id", "created", "flowsheet", "file", "sha256", "status", "method", "iterations",
            "closure", "seconds", "yaml", "parameters", "results", "error", "text_bytes")

#: Columns of :meth:`RunStore.list`.
_SUMMARY = ("id", "created", "flowsheet", "status", "method", "iterations", "closure",
            "seconds")


def default_path() -> Path:
    """The run store file: ``$FLOWSHEET_RUNS`` if set, else ``~/.flowsheet/runs.sqlite``.

    >>> p = default_path()
    >>> p == Path(os.environ[ENV_VAR]).expanduser() if ENV_VAR in os.environ else p.name
    'runs.sqlite'
    """
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return Path.home() / ".flowsheet" / "runs.sqlite"


class RunStore:
    """A run store in one SQLite file.

    Parameters
    ----------
    path : path, optional
        The database file; :func:`default_path` when omitted. Nothing is created until
        the store is first used.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     store = RunStore(pathlib.Path(d) / "runs.sqlite")
    ...     run_id = store.record_failure("demo", "demo.yaml", "flowsheet: demo\\n",
    ...                                   "demo.yaml:1:1: no units")
    ...     store.get(run_id)["error"]
    'demo.yaml:1:1: no units'
    """

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = Path(path).expanduser() if path is not None else default_path()

    def __repr__(self) -> str:
        return f"RunStore('{self.path}')"

    # -- connection -------------------------------------------------------------------------
    @contextlib.contextmanager
    def _connect(self, writing: bool) -> Iterator[sqlite3.Connection]:
        """An open connection (autocommit; transactions are explicit), closed afterwards.

        The schema is created on first use; a failure is an :class:`ExportError` when
        ``writing``, an :class:`InputError` otherwise.
        """
        error = ExportError if writing else InputError
        where = Location(file=str(self.path))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise error(f"cannot open the run store: {exc}", location=where) from exc
        try:
            try:
                if con.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                    self._setup(con)
            except sqlite3.Error as exc:
                raise error(f"not a usable run store: {exc}", location=where) from exc
            yield con
        finally:
            con.close()

    def _setup(self, con: sqlite3.Connection) -> None:
        """Switch the file to WAL and create the schema (once, whoever comes first).

        Changing the journal mode does not wait on SQLite's busy handler, so several
        processes opening a new store at once retry it for up to the busy timeout.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT
        while True:
            try:
                con.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
        with _transaction(con):
            version = con.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise InputError(f"run store has layout version {version}; this version of "
                                 f"flowsheet reads {SCHEMA_VERSION}",
                                 location=Location(file=str(self.path)),
                                 hint=f"upgrade flowsheet or set {ENV_VAR} to another file")
            if version < 1:
                con.execute(_SCHEMA)
                version = 1
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[step]:
                    con.execute(statement)
            con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _insert(self, row: dict[str, Any]) -> int:
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with self._connect(writing=True) as con:
            try:
                with _transaction(con):
                    cur = con.execute(f"INSERT INTO runs ({columns}) VALUES ({marks})",
                                      tuple(row.values()))
                    return int(cur.lastrowid)
            except sqlite3.Error as exc:
                raise ExportError(f"cannot record the run in {self.path}: {exc}") from exc

    def _read(self, query: str, args: tuple) -> Sequence[tuple]:
        with self._connect(writing=False) as con:
            try:
                return con.execute(query, args).fetchall()
            except sqlite3.Error as exc:
                raise InputError(f"cannot read the run store: {exc}",
                                 location=Location(file=str(self.path))) from exc

    # -- writing ----------------------------------------------------------------------------
    def record(self, results, parameters: dict | None = None) -> int:
        """Record a solved run; return its id.

        Parameters
        ----------
        results : flowsheet.results.Results
        parameters : dict, optional
            What the run was given besides the file (solver overrides, scenario values);
            stored as JSON.

        Returns
        -------
        int
            The new run's id.
        """
        fs = results.flowsheet
        conv = results.convergence
        row = {
            "created": _now(), "flowsheet": fs.name, "file": _file(fs.path),
            **_text_columns(fs.text),
            "status": "ok" if conv.converged else "not converged",
            "method": conv.method, "iterations": int(conv.iterations),
            "closure": _finite(results.closure.worst), "seconds": float(conv.seconds),
            "parameters": _json(parameters or {}),
            "results": json.dumps(results.as_dict(), allow_nan=False),
        }
        return self._insert(row)

    def record_failure(self, flowsheet_name: str | None, file: str | os.PathLike | None,
                       text: str | None, error_message: str, *,
                       parameters: dict | None = None, history: dict | None = None) -> int:
        """Record a run that failed (status ``'failed'``) with its error message; return its id.

        Parameters
        ----------
        flowsheet_name : str or None
        file : path or None
            The flowsheet file.
        text : str or None
            The flowsheet's YAML text.
        error_message : str
            The error as the command line shows it.
        parameters : dict, optional
            What the run was given besides the file.
        history : dict, optional
            The convergence history of the failure, ``{"columns": [...], "rows": [...]}``
            (:meth:`flowsheet.results.Convergence.failure_table`); kept as
            ``results["failure_history"]``.
        """
        row = {
            "created": _now(), "flowsheet": flowsheet_name, "file": _file(file),
            **_text_columns(text), "status": "failed",
            "parameters": _json(parameters or {}), "error": str(error_message),
        }
        if history:
            row["results"] = _json({"failure_history": history})
        return self._insert(row)

    # -- reading ----------------------------------------------------------------------------
    def list(self, limit: int | None = 20) -> pd.DataFrame:
        """The latest runs, newest first.

        Parameters
        ----------
        limit : int or None, default 20
            How many runs at most; None for all.

        Returns
        -------
        pandas.DataFrame
            Columns id, created, flowsheet, status, method, iterations, closure, seconds.
        """
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)
                                  or limit < 1):
            raise InputError(f"limit must be a positive whole number or None, not {limit!r}")
        query = f"SELECT {', '.join(_SUMMARY)} FROM runs ORDER BY id DESC LIMIT ?"
        rows = self._read(query, (-1 if limit is None else limit,))
        import pandas as pd

        return pd.DataFrame(rows, columns=list(_SUMMARY))

    def get(self, run_id: int) -> dict[str, Any]:
        """Everything recorded about one run, ``parameters`` and ``results`` parsed from JSON.

        Raises
        ------
        InputError
            When there is no run ``run_id`` in this store, or its record is damaged (a
            JSON column that does not parse).

        Notes
        -----
        ``yaml`` is None when the text was larger than :data:`TEXT_LIMIT`; ``sha256``,
        ``text_bytes`` and ``file`` then identify it.
        """
        rows = self._read(f"SELECT {', '.join(_COLUMNS)} FROM runs WHERE id = ?", (run_id,))
        if not rows:
            raise InputError(f"no run {run_id} in {self.path}")
        run = dict(zip(_COLUMNS, rows[0], strict=True))
        for key in ("parameters", "results"):
            if run[key] is not None:
                try:
                    run[key] = json.loads(run[key])
                except (TypeError, ValueError) as exc:
                    raise InputError(f"run {run_id}: the record's '{key}' is damaged (not "
                                     f"JSON: {exc})", location=Location(file=str(self.path)),
                                     hint="the other runs can still be read") from None
        return run


@contextlib.contextmanager
def _transaction(con: sqlite3.Connection) -> Iterator[None]:
    """One write transaction: the write lock is taken at the start, all or nothing."""
    con.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _sha256(text: str | None) -> str | None:
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()


def _text_columns(text: str | None) -> dict[str, Any]:
    """The record's text columns: hash and size always, the text itself up to the limit.

    >>> _text_columns("a: 1")["text_bytes"], _text_columns("x" * (TEXT_LIMIT + 1))["yaml"]
    (4, None)
    """
    if text is None:
        return {"sha256": None, "text_bytes": None, "yaml": None}
    data = text.encode("utf-8")
    return {"sha256": hashlib.sha256(data).hexdigest(), "text_bytes": len(data),
            "yaml": text if len(data) <= TEXT_LIMIT else None}


def _file(path: str | os.PathLike | None) -> str | None:
    """The flowsheet file as an absolute path when it is one ('<string>' stays as is)."""
    if path is None:
        return None
    return os.path.abspath(path) if os.path.isfile(path) else str(path)


def _finite(value: float) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None


def _json(obj: Any) -> str:
    def fallback(value: Any) -> Any:
        if isinstance(value, np.generic):
            return value.item()
        if isinstance(value, np.ndarray):
            return value.tolist()
        return str(value)

    try:
        return json.dumps(obj, default=fallback, allow_nan=False)
    except ValueError as exc:
        raise ExportError(f"cannot store the run's parameters as JSON: {exc}") from exc
