"""Results read back from ``results.json``, so that figures need no second solve.

:func:`load_results` rebuilds a :class:`~flowsheet.results.Results` for a loaded flowsheet
from the ``results.json`` that ``flowsheet run`` wrote, after three checks, each refused
with one line:

- the file is part of a complete set: when its folder has a manifest
  (``results.manifest.json``, written last by :func:`flowsheet.exports.write_results`), the
  file's size and SHA-256 must be the ones it names, and no write may be under way;
- the layout is version 2 or later (version 1 had neither the flowsheet's hash nor the
  size distributions);
- the results are of this flowsheet: the SHA-256 of the flowsheet's text is the one
  the results carry.

>>> import tempfile, pathlib, flowsheet
>>> text = '''
... flowsheet: demo
... species: [{name: water}, {name: quartz}]
... units:
...   f: {type: feed, flows: {water: 60, quartz: 40}}
...   p: {type: product}
... streams: [{from: f, to: p}]
... '''
>>> fs = flowsheet.loads(text)
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> from flowsheet.exports import write_results
>>> _ = write_results(fs.solve(), out, ["json"])
>>> load_results(fs, out / "results.json").stream("f->p").total
100.0
>>> try:
...     load_results(flowsheet.loads(text.replace("60", "61")), out / "results.json")
... except flowsheet.InputError as err:
...     print(err.message)
the results are not of this flowsheet (its text has changed since, or they are of another file)
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path

import numpy as np

from flowsheet.atomic import JOURNAL, verify_manifest
from flowsheet.errors import InputError, Location
from flowsheet.results import RESULTS_VERSION, Convergence, Results

__all__ = ["load_results", "solved", "MANIFEST"]

#: The manifest file of a results folder (see :func:`flowsheet.exports.write_results`).
MANIFEST = "results.manifest.json"


def _again(fs, folder: Path) -> str:
    return f"solve it again: flowsheet run {fs.path or 'FILE'} -o {folder}"


def load_results(fs, path: str | os.PathLike) -> Results:
    """The results of ``fs`` read from a ``results.json`` file.

    Parameters
    ----------
    fs : flowsheet.model.Flowsheet
        The loaded flowsheet the results must belong to.
    path : path
        A ``results.json`` written by ``flowsheet run`` or
        :func:`flowsheet.exports.write_results` (layout version 2 or later), or the
        folder holding it.

    Returns
    -------
    flowsheet.results.Results
        Streams, temperatures, size distributions, unit reports and convergence as they
        were solved.

    Raises
    ------
    InputError
        When the file is missing or unreadable, is part of an incomplete or mixed set of
        files, has an older or newer layout, or belongs to another flowsheet (or to an
        earlier text of this one).
    """
    file = Path(path)
    if file.is_dir():
        file = file / "results.json"
    where = Location(file=str(file))
    folder = file.parent
    if not file.is_file():
        raise InputError("no such file" if not file.exists() else "not a file",
                         location=where, hint=_again(fs, folder))
    if (folder / MANIFEST).exists() or (folder / JOURNAL).exists():
        verify_manifest(folder, MANIFEST, [file.name])
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"not a readable results file: {exc}", location=where) from exc
    if not isinstance(data, dict) or not isinstance(data.get("streams"), dict):
        raise InputError("not a results file: no 'streams'", location=where)
    version = data.get("version")
    if not isinstance(version, int) or version > RESULTS_VERSION:
        raise InputError(f"results layout version {version!r}; this version of flowsheet "
                         f"reads up to {RESULTS_VERSION}", location=where,
                         hint="upgrade flowsheet, or " + _again(fs, folder))
    if version < 2:
        raise InputError(f"results layout version {version} carries neither the "
                         "flowsheet's hash nor the size distributions", location=where,
                         hint=_again(fs, folder))
    text = fs.text or ""
    if data.get("flowsheet_sha256") != hashlib.sha256(text.encode("utf-8")).hexdigest():
        raise InputError("the results are not of this flowsheet (its text has changed "
                         "since, or they are of another file)", location=where,
                         hint=_again(fs, folder))
    try:
        return _rebuild(fs, data)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"damaged results file: {type(exc).__name__}: {exc}",
                         location=where, hint=_again(fs, folder)) from exc


def _rebuild(fs, data: dict) -> Results:
    names = list(fs.table.names)
    n = len(fs.connections)
    flows = np.zeros((n, len(names)))
    temperatures = np.full(n, 25.0)
    solids = [names[i] for i in fs.table.solid_index]
    psd = None
    if fs.grid is not None:
        grid = data.get("size_grid")
        if grid is None or not np.allclose(grid, fs.grid.sieves, rtol=1e-12, atol=0):
            raise ValueError("the size grid differs from the flowsheet's")
        psd = np.zeros((n, len(solids), fs.grid.n_classes))
    for c in fs.connections:
        entry = data["streams"][c.name]
        flows[c.index] = [float(entry["flows"].get(s, 0.0)) for s in names]
        temperature = entry.get("temperature")
        temperatures[c.index] = np.nan if temperature is None else float(temperature)
        if psd is not None:
            dist = entry.get("size_distribution") or {}
            for row, species in enumerate(solids):
                if species in dist:
                    psd[c.index, row] = np.asarray(dist[species], dtype=float)
    reports = data["units"]
    if not isinstance(reports, dict) or set(reports) != set(fs.units):
        raise ValueError("the unit reports do not match the flowsheet's units")
    known = {f.name for f in dataclasses.fields(Convergence)}
    convergence = Convergence(**{k: v for k, v in (data.get("convergence") or {}).items()
                                 if k in known})
    return Results(fs, flows, temperatures, psd, {u: reports[u] for u in fs.units},
                   convergence)


def solved(fs, results_path: str | os.PathLike | None) -> Results:
    """The results of ``fs``: read from ``results_path`` (a results.json of this file,
    checked by :func:`load_results`) when given, else solved -- what every drawing
    command with ``--results`` needs."""
    if results_path:
        return load_results(fs, results_path)
    return fs.solve()
