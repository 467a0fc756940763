"""The sequential-modular steady-state solve.

1. When every unit is linear (see :mod:`solvers.linear`) the whole flowsheet is one sparse
   solve: no iteration at all.
2. Otherwise the strongly connected components of the unit graph are taken in
   computation order (:mod:`solvers.graph`). A component without a recycle is one unit
   run; a recycle of linear units is one sparse solve with its inlets known; any other
   recycle is torn (a small set of tear streams) and the tear vector -- species flows,
   temperature and, with a size grid, each mineral's size distribution -- is converged
   by the flowsheet's method (:mod:`solvers.accelerators`).

The solve works on three arrays indexed by stream: flows (t/h), temperatures (degC) and
size distributions; units see :class:`~flowsheet.stream.Stream` objects built from them.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from flowsheet.errors import FlowsheetError
from flowsheet.results import Convergence, Results
from flowsheet.stream import Stream
from solvers.accelerators import converge
from solvers.graph import blocks, select_tears, torn_order
from solvers.linear import LinearBlock, is_linear

__all__ = ["solve_steady", "State"]


class State:
    """The arrays of one solve and the unit runs that fill them."""

    def __init__(self, fs, initial: Results | None = None) -> None:
        self.fs = fs
        n, ns = len(fs.connections), len(fs.table)
        self.flows = np.zeros((n, ns))
        self.temps = np.full(n, 25.0)
        self.psd = None
        if fs.grid is not None:
            self.psd = np.zeros((n, len(fs.table.solid_index), fs.grid.n_classes))
        if initial is not None and initial.flows.shape == self.flows.shape:
            self.flows[:] = initial.flows
            self.temps[:] = initial.temperatures
            if self.psd is not None and initial.psd is not None:
                self.psd[:] = initial.psd
        self.reports: dict[str, dict] = {}
        self.unit_runs = 0
        table, grid = fs.table, fs.grid
        self._make = lambda k: Stream(table, self.flows[k], self.temps[k],
                                      None if self.psd is None else self.psd[k], grid)

    def run(self, name: str) -> None:
        """Run one unit on the current inlet streams and store its outlets."""
        fs = self.fs
        unit = fs.units[name]
        make = self._make
        inlets = {port: [make(k) for k in ks] for port, ks in fs.inlets[name].items()}
        try:
            outlets, report = unit.run(inlets)
        except FlowsheetError as err:
            raise err.located(unit=name) from None
        self.unit_runs += 1
        self.reports[name] = report
        targets = fs.outlet_of[name]
        for port, stream in outlets.items():
            k = targets[port]
            self.flows[k] = stream.flows
            self.temps[k] = stream.temperature
            if self.psd is not None and stream.psd is not None:
                self.psd[k] = stream.psd


def _options(fs, overrides: dict[str, Any]) -> dict[str, Any]:
    base = fs.solver_options.model_dump() if fs.solver_options is not None else {}
    unknown = set(overrides) - set(base) - {"initial"}
    if unknown:
        from flowsheet.errors import SchemaError, did_you_mean

        name = sorted(unknown)[0]
        raise SchemaError(f"unknown solver option '{name}'", hint=did_you_mean(name, base))
    return {**base, **overrides}


def solve_steady(fs, **overrides: Any) -> Results:
    """Solve the steady-state balance of ``fs`` (no design specs)."""
    opts = _options(fs, overrides)
    start = time.perf_counter()
    state = State(fs, opts.get("initial"))
    conv = Convergence(method=opts["method"])
    linear = _linear_flags(fs, opts["linear"])
    if all(linear.values()):
        _linear_block(fs, list(fs.units), "all", state, conv)
    else:
        graph = fs.graph
        for block in blocks(graph):
            if not block.recycle:
                state.run(block.units[0])
            elif all(linear[u] for u in block.units):
                _linear_block(fs, block.units, tuple(block.units), state, conv)
            else:
                _tear_block(fs, graph, block, state, conv, opts)
    for name, report in state.reports.items():
        try:
            fs.units[name].verify(report)
        except FlowsheetError as err:
            raise err.located(unit=name) from None
    conv.unit_runs = state.unit_runs
    conv.seconds = time.perf_counter() - start
    return Results(fs, state.flows, state.temps, state.psd, state.reports, conv)


def _linear_flags(fs, allowed: bool) -> dict[str, bool]:
    """Which units can join a linear block (kept while the unit objects are the same)."""
    if not allowed:
        return dict.fromkeys(fs.units, False)
    cache = fs._cache.setdefault("structure", {})
    key = tuple(map(id, fs.units.values()))
    if cache.get("linear_key") != key:
        sizes = fs.grid is not None
        cache["linear_flags"] = {n: is_linear(u, sizes) for n, u in fs.units.items()}
        cache["linear_key"] = key
    return cache["linear_flags"]


def _linear_block(fs, units, key, state: State, conv: Convergence) -> None:
    cache = fs._cache.setdefault("structure", {})
    block = cache.get(key)
    if block is None:
        block = cache[key] = LinearBlock(fs, units)
    block.solve(fs, state.flows, state.temps, state.psd)
    conv.linear_solves += 1
    conv.blocks.append({"units": len(units), "kind": "linear", "iterations": 0})


def _tear_block(fs, graph, block, state: State, conv: Convergence, opts) -> None:
    preferred = opts.get("tears") or ()
    tears = select_tears(graph, block.units, preferred)
    order = torn_order(graph, block.units, tears)
    idx = np.array([fs.by_name[t].index for t in tears], dtype=int)
    nt, ns = len(idx), len(fs.table)
    has_psd = state.psd is not None
    psd_shape = state.psd.shape[1:] if has_psd else (0, 0)
    npsd = psd_shape[0] * psd_shape[1]
    width = ns + 1 + npsd

    def pack() -> np.ndarray:
        parts = [state.flows[idx], state.temps[idx, None]]
        if has_psd:
            parts.append(state.psd[idx].reshape(nt, npsd))
        return np.concatenate(parts, axis=1).ravel()

    def unpack(x: np.ndarray) -> None:
        m = x.reshape(nt, width)
        state.flows[idx] = m[:, :ns]
        state.temps[idx] = m[:, ns]
        if has_psd:
            state.psd[idx] = m[:, ns + 1:].reshape(nt, *psd_shape)

    def g(x: np.ndarray) -> np.ndarray:
        unpack(x)
        for name in order:
            state.run(name)
        return pack()

    # scale floors: a flow is compared with the flowsheet's feed of that species
    feed = np.zeros(ns)
    for unit in fs.units.values():
        src = unit.source()
        if src is not None:
            feed += src.flows
    total = max(float(feed.sum()), 1e-12)
    row = np.concatenate([np.maximum(1e-9 * feed, 1e-12 * total), [1.0],
                          np.full(npsd, 1e-9)])
    floor = np.tile(row, nt)
    lower = np.tile(np.concatenate([np.zeros(ns), [-273.15], np.zeros(npsd)]), nt)
    groups = {t: slice(i * width, (i + 1) * width) for i, t in enumerate(tears)}
    x0 = pack()
    x, history, iterations = converge(
        g, x0, floor=floor, method=opts["method"], tolerance=opts["tolerance"],
        max_iterations=opts["max_iterations"], groups=groups, lower=lower,
        bounds=tuple(opts["wegstein_bounds"]))
    unpack(x)
    conv.iterations += iterations
    conv.tears.extend(tears)
    conv.history.update(history)
    conv.blocks.append({"units": len(block.units), "kind": "recycle", "tears": tears,
                        "iterations": iterations})
