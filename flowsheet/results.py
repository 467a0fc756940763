"""Results of a solve: stream states, unit reports, balance closure and convergence.

Solvers fill a :class:`Results` with arrays (one row of species flows per stream, the
temperatures, the size matrices); streams, the stream table and the closure are built
from them on demand, so a solve of a large flowsheet does not pay for tables nobody reads.

>>> import flowsheet
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
>>> res.stream("s.under->u").total
55.0
>>> res.closure.total < 1e-12
True
>>> list(res.streams.columns[:4])
['from', 'to', 'water', 'quartz']
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from flowsheet.errors import SchemaError, did_you_mean
from flowsheet.stream import Stream

__all__ = ["Closure", "Convergence", "Results", "RESULTS_VERSION", "STREAM_UNITS",
           "report_units"]

#: Version of the results.json layout; changed only with the layout. Version 2 added
#: ``warnings`` (values outside their usual range), ``stream_units`` and ``report_units``
#: (the unit of every number), ``flowsheet_sha256`` (of the file's text), ``size_grid``
#: (sieves [um], or None) and, per stream with solids on a grid, ``size_distribution``
#: (solid species -> retained mass fraction per size class), so that figures can be drawn
#: from the file without a solve; every other key is as in version 1.
RESULTS_VERSION = 2

#: Units of the stream table's columns and of a stream's entry in results.json (species
#: flows are t/h; ``<El>_pct`` are assays). Text columns (``from``, ``to``) have none.
STREAM_UNITS: dict[str, str] = {
    "flows": "t/h", "total": "t/h", "solids": "t/h", "percent_solids": "%",
    "temperature": "degC", "volumetric_flow": "m3/h", "p80": "um", "p50": "um",
    "assays": "%", "*_pct": "%"}


@dataclass
class Closure:
    """Relative balance errors: total mass and each element, |in - out| / in."""

    total: float
    elements: dict[str, float]
    mass_in: float = 0.0
    mass_out: float = 0.0

    @property
    def worst(self) -> float:
        """The largest relative error of all (total and elements)."""
        return max([self.total, *self.elements.values()])

    def as_dict(self) -> dict:
        return {"total": self.total, "elements": dict(self.elements),
                "mass_in": self.mass_in, "mass_out": self.mass_out}


@dataclass
class Convergence:
    """How the solve went: method, iterations, residual history per tear stream."""

    converged: bool = True
    method: str = "wegstein"
    iterations: int = 0
    unit_runs: int = 0
    linear_solves: int = 0
    tears: list[str] = field(default_factory=list)
    history: dict[str, list[float]] = field(default_factory=dict)
    blocks: list[dict] = field(default_factory=list)
    specs: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    tear_seconds: float = 0.0
    tear_unit_runs: int = 0

    def as_dict(self) -> dict:
        return {"converged": self.converged, "method": self.method,
                "iterations": self.iterations, "unit_runs": self.unit_runs,
                "linear_solves": self.linear_solves, "tears": list(self.tears),
                "history": {k: list(v) for k, v in self.history.items()},
                "blocks": list(self.blocks), "specs": list(self.specs),
                "seconds": self.seconds, "tear_seconds": self.tear_seconds,
                "tear_unit_runs": self.tear_unit_runs}

    @staticmethod
    def failure_table(err):
        """The history a failed solve leaves, as a table (pandas DataFrame), or None.

        For a :class:`~flowsheet.errors.ConvergenceError`: columns ``tear``,
        ``iteration``, ``residual`` (as the ``convergence`` table of a solved run). For a
        :class:`~flowsheet.errors.DesignSpecError`: one row per evaluation -- column
        ``evaluation``, one column per varied parameter (its value), one per target
        (``residual <path>``, relative), ``limits`` (the units at a limit) and ``failed``
        (the error of a trial solve that failed).

        Examples
        --------
        >>> from flowsheet.errors import ConvergenceError
        >>> err = ConvergenceError("no", history={"a->b": [0.5, 0.25]})
        >>> Convergence.failure_table(err).values.tolist()
        [['a->b', 1, 0.5], ['a->b', 2, 0.25]]
        """
        import pandas as pd

        history = getattr(err, "history", None)
        report = getattr(err, "report", None) or {}
        if report.get("tried"):
            vary, until = report.get("vary", []), report.get("until", [])
            rows = []
            for k, entry in enumerate(report["tried"], start=1):
                row: dict[str, Any] = {"evaluation": k}
                row.update(zip(vary, entry.get("values", []), strict=False))
                residual = entry.get("relative_residual", [math.nan] * len(until))
                row.update({f"residual {u}": float(v)
                            for u, v in zip(until, residual, strict=False)})
                row["limits"] = "; ".join(f"{unit}: {what}" for unit, what in
                                          entry.get("limits", {}).items())
                row["failed"] = entry.get("failed", "")
                rows.append(row)
            return pd.DataFrame(rows)
        if history:
            rows = [(tear, i, float(r)) for tear, values in history.items()
                    for i, r in enumerate(values, start=1)]
            table = pd.DataFrame(rows, columns=["tear", "iteration", "residual"])
            return table.astype({"tear": str, "iteration": int, "residual": float})
        return None

    @staticmethod
    def history_text(table: dict, last: int = 5) -> str:
        """A short text table of a failure history (:meth:`failure_table` as
        ``{"columns": [...], "rows": [...]}``): the last ``last`` iterations of each tear,
        or the last ``last`` evaluations of the specs.

        >>> print(Convergence.history_text({"columns": ["tear", "iteration", "residual"],
        ...     "rows": [["a->b", 1, 0.5], ["a->b", 2, 0.25]]}))
        tear  iteration  residual
        a->b          1       0.5
        a->b          2      0.25
        """
        import pandas as pd

        frame = pd.DataFrame(table.get("rows", []), columns=table.get("columns", []))
        if "tear" in frame.columns:
            frame = frame.groupby("tear", sort=False).tail(last)
        else:
            frame = frame.tail(last)
        with pd.option_context("display.width", 160, "display.max_columns", 20,
                               "display.max_colwidth", 60,
                               "display.float_format", "{:.6g}".format):
            return frame.to_string(index=False)


class Results:
    """The solution of a flowsheet.

    Parameters
    ----------
    flowsheet : Flowsheet
    flows : ndarray (n_streams, n_species), t/h
    temperatures : ndarray (n_streams,), degC
    psd : ndarray (n_streams, n_solids, n_classes) or None
    reports : dict, unit name -> report
    convergence : Convergence
    """

    def __init__(self, flowsheet, flows: np.ndarray, temperatures: np.ndarray,
                 psd: np.ndarray | None, reports: dict[str, dict],
                 convergence: Convergence) -> None:
        self.flowsheet = flowsheet
        self.flows = flows
        self.temperatures = temperatures
        self.psd = psd
        self._reports = reports
        self.convergence = convergence
        self._closure: Closure | None = None
        self._table = None
        self._warnings: list | None = None

    @property
    def units(self) -> dict[str, dict]:
        """Unit reports by unit name.

        Units solved inside a sparse linear solve were never run one by one; their report
        is computed on first access by running the unit on its solved inlets.
        """
        fs = self.flowsheet
        if len(self._reports) < len(fs.units):
            for name, unit in fs.units.items():
                if name not in self._reports:
                    inlets = {port: [self._stream(k) for k in ks]
                              for port, ks in fs.inlets[name].items()}
                    self._reports[name] = unit.run(inlets)[1]
            self._reports = {name: self._reports[name] for name in fs.units}
        return self._reports

    # -- streams ----------------------------------------------------------------------------
    def stream(self, name: str) -> Stream:
        """The solved stream called ``name`` (``unit.port->unit`` unless named in the file)."""
        fs = self.flowsheet
        try:
            c = fs.by_name[name]
        except KeyError:
            raise SchemaError(f"no stream named '{name}'",
                              hint=did_you_mean(name, fs.by_name)) from None
        return self._stream(c.index)

    def _stream(self, k: int) -> Stream:
        fs = self.flowsheet
        psd = None if self.psd is None else self.psd[k]
        return Stream(fs.table, self.flows[k], float(self.temperatures[k]), psd, fs.grid)

    @property
    def stream_names(self) -> list[str]:
        """Names of all streams in file order."""
        return [c.name for c in self.flowsheet.connections]

    @property
    def streams(self):
        """The stream table: a pandas DataFrame, one row per stream."""
        if self._table is None:
            import pandas as pd

            from flowsheet.streamtable import stream_columns

            fs = self.flowsheet
            cols = stream_columns(self)
            data: dict[str, Any] = {
                "from": [c.source for c in fs.connections],
                "to": [c.target for c in fs.connections]}
            data.update(zip(fs.table.names, cols["flows"].T, strict=True))
            for key in ("total", "solids", "percent_solids", "temperature",
                        "volumetric_flow"):
                data[key] = cols[key]
            if fs.grid is not None:
                data["p80"] = cols["p80"]
            data.update((f"{element}_pct", cols["assays"][:, j])
                        for j, element in enumerate(fs.table.elements))
            self._table = pd.DataFrame(data, index=pd.Index(self.stream_names, name="stream"))
        return self._table

    def port_stream(self, unit: str, port: str) -> Stream:
        """The stream leaving ``unit.port`` (or the mix of those entering it)."""
        fs = self.flowsheet
        if port in fs.outlet_of.get(unit, {}):
            return self._stream(fs.outlet_of[unit][port])
        if port in fs.inlets.get(unit, {}):
            return Stream.mix([self._stream(k) for k in fs.inlets[unit][port]])
        raise SchemaError(f"unit '{unit}' has no port '{port}'",
                          hint=did_you_mean(port, [*fs.outlet_of.get(unit, {}),
                                                   *fs.inlets.get(unit, {})]))

    def value(self, path: str) -> float:
        """A quantity of the solution: ``unit.port.property`` or ``unit.report_key``.

        See :mod:`flowsheet.designspec` for the paths.
        """
        fs = self.flowsheet
        unit, _, rest = path.partition(".")
        if unit not in fs.units:
            raise SchemaError(f"no unit '{unit}' in '{path}'", hint=did_you_mean(unit, fs.units))
        port, _, prop = rest.partition(".")
        if port in fs.outlet_of[unit] or port in fs.inlets[unit]:
            return self.port_stream(unit, port).get(prop)
        report = self.units.get(unit, {})
        if rest in report:
            return float(report[rest])
        choices = [*fs.outlet_of[unit], *fs.inlets[unit], *report]
        raise SchemaError(f"'{rest}' is neither a port nor a report value of unit '{unit}'",
                          hint=did_you_mean(rest, choices))

    # -- usual ranges -------------------------------------------------------------------------
    @property
    def warnings(self) -> list:
        """Converged values outside their usual range, one
        :class:`~flowsheet.validity.ResultWarning` each (see :mod:`flowsheet.validity`)."""
        if self._warnings is None:
            from flowsheet.validity import collect

            self._warnings = collect(self.flowsheet.units, self.units)
        return self._warnings

    # -- balances ---------------------------------------------------------------------------
    @property
    def closure(self) -> Closure:
        """Total-mass and element closure over the whole flowsheet (relative errors)."""
        if self._closure is None:
            self._closure = self._compute_closure()
        return self._closure

    def _compute_closure(self) -> Closure:
        fs = self.flowsheet
        mass_in = np.zeros(len(fs.table))
        for name in fs.feeds():
            source = fs.units[name].source()
            if source is not None:
                mass_in += source.flows
        leaving = fs._cache.get("leaving")
        if leaving is None:
            leaving = fs._cache["leaving"] = np.array(
                [k for name in fs.products() for ks in fs.inlets[name].values() for k in ks],
                dtype=int)
        mass_out = self.flows[leaving].sum(axis=0)
        E = fs.table.element_fractions
        total_in, total_out = float(mass_in.sum()), float(mass_out.sum())
        # a handful of elements: plain floats cost less than arrays
        elements = dict(zip(fs.table.elements,
                            map(_closure_error, (mass_in @ E).tolist(), (mass_out @ E).tolist()),
                            strict=True))
        return Closure(_closure_error(total_in, total_out), elements, total_in, total_out)

    def unit_imbalance(self) -> dict[str, float]:
        """Per unit: |mass in - mass out| / mass in (reactors conserve mass too)."""
        fs = self.flowsheet
        out = {}
        for name, unit in fs.units.items():
            source = unit.source()
            m_in = (source.total if source is not None else
                    float(sum(self.flows[ks].sum() for ks in fs.inlets[name].values())))
            m_out = float(sum(self.flows[k].sum() for k in fs.outlet_of[name].values()))
            if not fs.outlet_of[name]:
                m_out = m_in
            out[name] = _relative(m_in, m_out)
        return out

    # -- export -------------------------------------------------------------------------------
    def as_dict(self) -> dict:
        """The results.json layout (version :data:`RESULTS_VERSION`)."""
        fs = self.flowsheet
        out = _clean({
            "version": RESULTS_VERSION,
            "flowsheet": fs.name,
            "file": fs.path,
            "flowsheet_sha256": (None if fs.text is None else
                                 hashlib.sha256(fs.text.encode("utf-8")).hexdigest()),
            "size_grid": None if fs.grid is None else fs.grid.sieves.tolist(),
            "species": list(fs.table.names),
            "units_of_measure": {"flow": "t/h", "temperature": "degC", "size": "um",
                                 "volumetric_flow": "m3/h", "assays": "%"},
            "stream_units": {k: v for k, v in STREAM_UNITS.items() if "*" not in k},
            "report_units": report_units(self),
            "streams": None,
            "units": self.units,
            "closure": self.closure.as_dict(),
            "convergence": self.convergence.as_dict(),
            "warnings": [w.as_dict() for w in self.warnings],
        })
        out["streams"] = self._stream_entries()
        return out

    def _stream_entries(self) -> dict[str, dict]:
        """Each stream's entry of results.json (JSON-safe: NaN as None), by stream name."""
        from flowsheet.streamtable import finite_list, stream_columns

        fs = self.flowsheet
        cols = stream_columns(self)
        names, elements = fs.table.names, fs.table.elements
        flows, assays = finite_list(cols["flows"]), finite_list(cols["assays"])
        scalars = ("total", "solids", "percent_solids", "temperature", "volumetric_flow")
        values = list(zip(*(finite_list(cols[key]) for key in scalars), strict=True))
        p80 = finite_list(cols["p80"]) if self.psd is not None else None
        solids = [names[i] for i in fs.table.solid_index]
        streams = {}
        for i, c in enumerate(fs.connections):
            entry = {"from": c.source, "to": c.target,
                     "flows": dict(zip(names, flows[i], strict=True))}
            entry.update(zip(scalars, values[i], strict=True))
            entry["assays"] = dict(zip(elements, assays[i], strict=True))
            if p80 is not None:
                entry["p80"] = p80[i]
                entry["size_distribution"] = dict(zip(
                    solids, finite_list(self.psd[c.index]), strict=True))
            streams[c.name] = entry
        return streams

    def to_json(self, path) -> None:
        """Write results.json (atomically; one line per stream and unit when there are
        more than :data:`~flowsheet.jsontext.ONE_LINE_ABOVE`)."""
        from flowsheet.atomic import atomic_write

        atomic_write(path, self.json_text())

    def json_text(self) -> str:
        """The text of results.json: :meth:`as_dict`, indented; past
        :data:`~flowsheet.jsontext.ONE_LINE_ABOVE` streams and units, one line for each
        (the same JSON, written by the C encoder)."""
        from flowsheet.collector import collector_paused
        from flowsheet.jsontext import ONE_LINE_ABOVE, json_text

        fs = self.flowsheet
        big = len(fs.connections) + len(fs.units) > ONE_LINE_ABOVE
        with collector_paused():
            return json_text(self.as_dict(), one_line_from=2 if big else None)

    def __repr__(self) -> str:
        c = self.convergence
        return (f"<Results '{self.flowsheet.name}': {len(self.flowsheet.connections)} streams, "
                f"closure {self.closure.worst:.1e}, {c.method}, {c.iterations} iterations>")


def _relative(a: float, b: float) -> float:
    scale = max(abs(a), abs(b))
    return abs(a - b) / scale if scale > 0 else 0.0


def _closure_error(a: float, b: float) -> float:
    """|a - b| relative to the larger of the two; 0 when that is 0 (or not a number).

    >>> _closure_error(100.0, 99.0), _closure_error(0.0, 0.0)
    (0.01, 0.0)
    """
    if a != a or b != b:
        return 0.0
    scale = abs(a) if abs(a) >= abs(b) else abs(b)
    return abs(a - b) / scale if scale > 0 else 0.0


def _clean(obj):
    """Make a structure JSON-safe: numpy scalars to Python, NaN and inf to None."""
    kind = type(obj)
    if kind is float:
        return obj if math.isfinite(obj) else None
    if kind is str or kind is int or kind is bool or obj is None:
        return obj
    if kind is dict:
        return {k if type(k) is str else str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _clean(obj.tolist())
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def report_units(results: Results) -> dict[str, dict[str, str]]:
    """The unit of every numeric report value: unit name -> {report key: unit}.

    Units come from each unit class's ``report_units`` declaration (exact keys, then
    ``*`` patterns); text and true/false values have none, and a numeric key its class
    does not declare is left out (a test over the examples and the registry keeps the
    declarations complete).

    Examples
    --------
    >>> import flowsheet
    >>> res = flowsheet.loads('''
    ... flowsheet: one
    ... species: [{name: water}]
    ... units: {w: {type: feed, flows: {water: 3}}, p: {type: product}}
    ... streams: [{from: w, to: p}]
    ... ''').solve()
    >>> report_units(res)
    {'w': {'total': 't/h'}, 'p': {'total': 't/h'}}
    """
    from flowsheet.headers import unit_of

    fs = results.flowsheet
    out: dict[str, dict[str, str]] = {}
    for name, report in results.units.items():
        declared = getattr(type(fs.units.get(name)), "report_units", {})
        out[name] = {}
        for key, value in report.items():
            if isinstance(value, bool | np.bool_ | str) or value is None:
                continue
            unit = unit_of(key, declared)
            if unit is not None:
                out[name][key] = unit
    return out
