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

from flowsheet.errors import FlowsheetError, UnitRunError
from flowsheet.results import Convergence, Results
from flowsheet.stream import Stream
from solvers.accelerators import converge
from solvers.graph import blocks, select_tears, torn_order
from solvers.linear import LinearBlock, conserving, is_linear

__all__ = ["solve_steady", "State", "verify_units"]


class State:
    """The arrays of one solve and the unit runs that fill them.

    A unit with species-wise transfer coefficients is evaluated by them directly on the
    arrays (its kernel: the same balance as its ``run``, without building streams);
    any other unit runs on :class:`~flowsheet.stream.Stream` objects.
    """

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
        self._kernels: dict[str, Any] = {}
        self._uniform_known = False

    @property
    def _uniform(self) -> float | None:
        """The one temperature of all streams when nothing can change it (see
        :func:`_uniform_temperature`); streams are set to it on first use."""
        if not self._uniform_known:
            self._uniform_value = _uniform_temperature(self.fs)
            self._uniform_known = True
            if self._uniform_value is not None:
                self.temps[:] = self._uniform_value
        return self._uniform_value

    def step(self, name: str):
        """A function that runs unit ``name`` once (not counted in ``unit_runs``)."""
        kernel = self._kernels.get(name, False)
        if kernel is False:
            kernel = self._kernels[name] = self._kernel(name)
        if kernel is not None:
            return kernel
        return lambda: self._run_streams(name)

    def run(self, name: str) -> None:
        """Run one unit on the current inlet streams and store its outlets."""
        self.unit_runs += 1
        self.step(name)()

    def _run_streams(self, name: str) -> None:
        fs = self.fs
        make = self._make
        inlets = {port: [make(k) for k in ks] for port, ks in fs.inlets[name].items()}
        try:
            outlets, report = fs.units[name].run(inlets)
        except FlowsheetError as err:
            raise err.located(unit=name) from None
        self.reports[name] = report
        targets = fs.outlet_of[name]
        for port, stream in outlets.items():
            k = targets[port]
            self.flows[k] = stream.flows
            self.temps[k] = stream.temperature
            if self.psd is not None and stream.psd is not None:
                self.psd[k] = stream.psd

    def _kernel(self, name: str):
        """An array-level evaluation of a unit with species-wise coefficients, or None."""
        fs = self.fs
        unit = fs.units[name]
        transfer = unit.transfer()
        source = unit.source()
        if source is not None and source.psd is None:      # a feed: copy its stream
            outs = list(fs.outlet_of[name].values())
            flows, temps = self.flows, self.temps

            def feed() -> None:
                for k in outs:
                    flows[k] = source.flows
                    temps[k] = source.temperature
            return feed
        if transfer is not None and not transfer and not fs.outlet_of[name]:
            return _nothing                                 # a product: nothing leaves
        if (transfer is None or source is not None
                or any(np.ndim(c) != 1 for c in transfer.values())):
            return None
        flows, temps, psd = self.flows, self.temps, self.psd
        ins = [k for ks in fs.inlets[name].values() for k in ks]
        outs = [(fs.outlet_of[name][p], np.asarray(c, dtype=float))
                for p, c in conserving(transfer).items()]
        out_idx = np.array([k for k, _ in outs], dtype=int)
        fixed_t = unit.outlet_temperature()
        cp = fs.table.heat_capacities()
        solid = fs.table.solid_index
        multiply, add = np.multiply, np.add
        buffer = np.empty(flows.shape[1])

        def balance() -> np.ndarray:
            if len(ins) == 1:
                return flows[ins[0]]
            if len(ins) == 2:
                return add(flows[ins[0]], flows[ins[1]], out=buffer)
            return flows[ins].sum(axis=0)

        if len(outs) == 1 and np.all(outs[0][1] == 1.0):
            k_out = outs[0][0]

            def species() -> None:             # a mixer: the outlet is the sum
                if len(ins) == 2:
                    add(flows[ins[0]], flows[ins[1]], out=flows[k_out])
                else:
                    flows[k_out] = balance()
        else:
            def species() -> None:
                total = balance()
                for k, coef in outs:
                    multiply(coef, total, out=flows[k])

        if self._uniform is not None and psd is None:
            return species

        def kernel() -> None:
            species()
            if self._uniform is not None:
                pass
            elif fixed_t is not None:
                temps[out_idx] = fixed_t
            elif len(ins) == 1:
                temps[out_idx] = temps[ins[0]]
            else:
                c = flows[ins] @ cp
                csum = c.sum()
                temps[out_idx] = (c @ temps[ins]) / csum if csum > 0 else temps[ins[0]]
            if psd is not None:
                if len(ins) == 1:
                    psd[out_idx] = psd[ins[0]]
                else:
                    mass = flows[ins][:, solid]
                    msum = mass.sum(axis=0)
                    mixed = np.einsum("ks,ksn->sn", mass, psd[ins])
                    np.divide(mixed, msum[:, None], out=mixed, where=msum[:, None] > 0)
                    psd[out_idx] = mixed

        return kernel


def _nothing() -> None:
    """The kernel of a unit with no outlets."""


def _uniform_temperature(fs) -> float | None:
    """The one temperature of every stream when nothing can change it, else None."""
    temps = set()
    for unit in fs.units.values():
        source = unit.source()
        if source is not None:
            temps.add(source.temperature)
        elif unit.transfer() is None:
            return None
        elif unit.outlet_temperature() is not None:
            temps.add(unit.outlet_temperature())
    return temps.pop() if len(temps) == 1 else (25.0 if not temps else None)


def _options(fs, overrides: dict[str, Any]) -> dict[str, Any]:
    base = fs._cache.get("options")
    if base is None:
        settings = fs.solver_options
        base = ({name: getattr(settings, name) for name in type(settings).model_fields}
                if settings is not None else {})
        fs._cache["options"] = base
    unknown = set(overrides) - set(base) - {"initial", "progress", "verify", "memory"}
    if unknown:
        from flowsheet.errors import SchemaError, did_you_mean

        name = sorted(unknown)[0]
        raise SchemaError(f"unknown solver option '{name}'", hint=did_you_mean(name, base))
    _check_values(fs, {k: v for k, v in overrides.items() if k in base})
    return {**base, **overrides}


def _check_values(fs, given: dict[str, Any]) -> None:
    """Solver options given in a call are held to what the file's ``solver:`` accepts
    (a method or strategy by name, a tolerance in (0, 1) ...): one line naming the option
    and what it takes, not a silent fallback."""
    if not given or fs.solver_options is None:
        return
    from pydantic import ValidationError

    from flowsheet.errors import SchemaError

    try:
        type(fs.solver_options).model_validate(given)
    except ValidationError as err:
        first = err.errors()[0]
        name = ".".join(str(p) for p in first["loc"])
        raise SchemaError(f"solver option '{name}': {first['msg']}, got "
                          f"{first.get('input')!r}") from None


def solve_steady(fs, **overrides: Any) -> Results:
    """Solve the steady-state balance of ``fs`` (no design specs).

    Each unit then checks its converged report (:meth:`flowsheet.unit.Unit.verify`) unless
    ``verify=False`` -- as for the trial solves of a design spec, whose answer alone must
    be acceptable.
    """
    opts = _options(fs, overrides)
    start = time.perf_counter()
    state = State(fs, opts.get("initial"))
    conv = Convergence(method=opts["method"])
    linear = _linear_flags(fs, opts["linear"])
    if all(linear.values()):
        _linear_block(fs, list(fs.units), "all", state, conv)
    else:
        graph = fs.graph
        cache = fs._cache.setdefault("structure", {})
        if "blocks" not in cache:
            cache["blocks"] = blocks(graph)
        for block in cache["blocks"]:
            if not block.recycle:
                state.run(block.units[0])
            elif all(linear[u] for u in block.units):
                _linear_block(fs, block.units, tuple(block.units), state, conv)
            else:
                try:
                    _tear_block(fs, graph, block, state, conv, opts, linear)
                except _LinearShortfallError:
                    # a reagent the recycle brings back was missing on an early pass of
                    # the linear part: tear every unit, which scales reactions down
                    # until the recycle delivers it
                    torn = {**linear, **dict.fromkeys(block.units, False)}
                    _tear_block(fs, graph, block, state, conv, opts, torn)
    if opts.get("verify", True):
        verify_units(fs, state.reports)
    conv.unit_runs = state.unit_runs
    conv.seconds = time.perf_counter() - start
    return Results(fs, state.flows, state.temps, state.psd, state.reports, conv)


def verify_units(fs, reports: dict[str, dict]) -> None:
    """Let every unit check its report of a converged solve; errors name the unit."""
    for name, report in reports.items():
        try:
            fs.units[name].verify(report)
        except FlowsheetError as err:
            raise err.located(unit=name) from None


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


def _reduced_graph(graph, units, nonlinear, linear):
    """Nonlinear units of a recycle, joined where one feeds another through linear units.

    Edge keys are ``"source|target"``.
    """
    import networkx as nx

    inside = set(units)
    reduced = nx.MultiDiGraph()
    reduced.add_nodes_from(nonlinear)
    for a in nonlinear:
        seen, stack = set(), [v for _, v in graph.out_edges(a) if v in inside]
        while stack:
            v = stack.pop()
            if v in seen:
                continue
            seen.add(v)
            if not linear[v]:
                reduced.add_edge(a, v, key=f"{a}|{v}")
            else:
                stack.extend(w for _, w in graph.out_edges(v) if w in inside)
    return reduced


class _LinearShortfallError(Exception):
    """The linear part of a hybrid recycle would need negative flows on this pass."""


def _tear_block(fs, graph, block, state: State, conv: Convergence, opts,
                linear: dict[str, bool]) -> None:
    """Converge a recycle that holds units which are not linear.

    With linear blocks allowed (and no tears named by the user), the outlets of the
    nonlinear units are the tears: each pass solves the linear units of the recycle in
    one sparse solve (factorised once) and then runs the nonlinear units, so the
    iteration sees only the nonlinear couplings. Otherwise the recycle is torn at a small
    set of streams and every unit runs in sequence.
    """
    preferred = opts.get("tears") or ()
    lin = [u for u in block.units if linear[u]] if not preferred else []
    if lin:
        nonlinear = [u for u in block.units if not linear[u]]
        cache = fs._cache.setdefault("structure", {})
        plan_key = ("hybrid plan", tuple(block.units), tuple(nonlinear))
        if plan_key not in cache:
            reduced = _reduced_graph(graph, block.units, nonlinear, linear)
            torn = select_tears(reduced, nonlinear)
            cache[plan_key] = (torn, torn_order(reduced, nonlinear, torn))
        torn, order = cache[plan_key]
        tearing = {key.split("|")[0] for key in torn}
        inside = set(block.units)
        tears = [fs.connections[k].name for u in nonlinear if u in tearing
                 for k in fs.outlet_of[u].values() if fs.connections[k].dst in inside]
        cache = fs._cache.setdefault("structure", {})
        key = ("hybrid", tuple(lin))
        if key not in cache:
            cache[key] = LinearBlock(fs, lin)
        linear_part = cache[key]
        steps = [state.step(name) for name in order]
        kind = "hybrid"

        def solve_linear() -> None:
            try:
                linear_part.solve(fs, state.flows, state.temps, state.psd)
            except UnitRunError as err:
                raise _LinearShortfallError(str(err)) from err

        def sweep() -> None:
            for step in steps:
                solve_linear()
                step()
            solve_linear()
            state.unit_runs += len(steps)
            conv.linear_solves += len(steps) + 1
    else:
        cache = fs._cache.setdefault("structure", {})
        plan_key = ("tear plan", tuple(block.units), tuple(preferred))
        if plan_key not in cache:
            tears = select_tears(graph, block.units, preferred)
            cache[plan_key] = (tears, torn_order(graph, block.units, tears))
        tears, order = cache[plan_key]
        steps = [state.step(name) for name in order]
        kind = "recycle"

        def sweep() -> None:
            for step in steps:
                step()
            state.unit_runs += len(steps)
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
        sweep()
        return pack()

    # scale floors: a flow is compared with the flowsheet's feed of that species -- or, for
    # a species made inside the plant and fed nowhere (a loaded organic, a leach product),
    # with a millionth of the whole feed, so that rounding at its own size can meet the
    # tolerance; a size fraction to within 1e-3 of itself plus 1e-3 (1e-13 absolute at the
    # tolerance), so rounding in the far tails of a distribution cannot hold up convergence
    feed = np.zeros(ns)
    for unit in fs.units.values():
        src = unit.source()
        if src is not None:
            feed += src.flows
    total = max(float(feed.sum()), 1e-12)
    row = np.concatenate([np.maximum(1e-9 * feed, 1e-12 * total), [1.0],
                          np.full(npsd, 1e-3)])
    floor = np.tile(row, nt)
    lower = np.tile(np.concatenate([np.zeros(ns), [-273.15], np.zeros(npsd)]), nt)
    cap = np.tile(np.concatenate([np.maximum(feed, 1e-6 * total), [np.inf],
                                  np.full(npsd, np.inf)]), nt)
    resolution = np.tile(np.concatenate([np.where(feed > 0, np.maximum(feed, 1e-6 * total),
                                                  total), [np.inf], np.full(npsd, np.inf)]),
                         nt)
    groups = {t: slice(i * width, (i + 1) * width) for i, t in enumerate(tears)}
    x0 = pack()
    began = time.perf_counter()
    runs_before = state.unit_runs
    memory = opts.get("memory")
    memo_key = ("jacobian", tuple(tears))
    x, history, iterations = converge(
        g, x0, floor=floor, method=opts["method"], tolerance=opts["tolerance"],
        max_iterations=opts["max_iterations"], groups=groups, lower=lower, cap=cap,
        progress=opts.get("progress"),
        bounds=tuple(opts["wegstein_bounds"]), report=(used := {}), resolution=resolution,
        strategy=opts.get("strategy", "auto"),
        memo=memory.get(memo_key) if memory is not None else None)
    if memory is not None and used.get("memo") is not None:
        memory[memo_key] = used["memo"]
    unpack(x)
    conv.tear_seconds += time.perf_counter() - began
    conv.tear_unit_runs += state.unit_runs - runs_before
    conv.iterations += iterations
    conv.tears.extend(tears)
    conv.history.update(history)
    conv.blocks.append({"units": len(block.units), "kind": kind, "tears": tears,
                        "iterations": iterations, "method": used["method"],
                        "switched_at": used["switched_at"], "distance": used["distance"],
                        **({"at_rounding": used["at_rounding"]}
                           if used.get("at_rounding") is not None else {})})
    if used["switched_at"] is not None and "+" not in conv.method:
        conv.method = used["method"]
