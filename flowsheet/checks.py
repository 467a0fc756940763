"""Checks on a loaded flowsheet that need the units' coefficients, and on its solution.

:func:`check_trapped_species` finds a species that can enter a recycle but can never
reach a product: at steady state it would accumulate without bound, so no solver can
converge. Linear units say through their transfer coefficients which outlets carry each
species; other units are assumed to send every species to every outlet. A unit that turns
part of a species into others (a reactor's transfer matrix keeps less than all of it on
its own diagonal) is a way out for that species.

>>> import flowsheet
>>> text = '''
... flowsheet: trap
... species: [{name: water}, {name: quartz}]
... units:
...   f: {type: feed, flows: {water: 1, quartz: 1}}
...   m: {type: mixer}
...   s: {type: separator, outlets: [back, out], split: {quartz: 1}}
...   p: {type: product}
... streams:
...   - {from: f, to: m}
...   - {from: m, to: s}
...   - {from: s.back, to: m}
...   - {from: s.out, to: p}
... '''
>>> try:
...     flowsheet.loads(text)
... except flowsheet.TopologyError as err:
...     print(err.message)
species 'quartz' can enter the recycle through m, s but can never leave it

:func:`check_balance` holds every solve to a total-mass and element closure of
:data:`CLOSURE_LIMIT` and, when it fails, names the cause: recycles converged to a loose
tolerance, or the unit that does not conserve mass.
"""

from __future__ import annotations

import numpy as np

from flowsheet.errors import BalanceError, Location, TopologyError

__all__ = ["CLOSURE_LIMIT", "check_balance", "check_trapped_species", "species_edges"]

#: The closure every solve must reach: |in - out| / in for the total mass and for every
#: element, over the whole flowsheet.
CLOSURE_LIMIT = 1e-9


def species_edges(fs) -> np.ndarray:
    """Boolean matrix (n_streams, n_species): can the stream carry the species?"""
    n = len(fs.table)
    carries = np.ones((len(fs.connections), n), dtype=bool)
    for name, unit in fs.units.items():
        transfer = unit.transfer()
        if transfer is None or unit.source() is not None:
            continue
        for port, coef in transfer.items():
            c = fs.outlet_of[name][port]
            if np.ndim(coef) == 1:
                carries[c] = np.asarray(coef) > 0
            else:
                carries[c] = np.any(np.asarray(coef) > 0, axis=1)
    return carries


def _consumers(fs) -> dict[str, np.ndarray]:
    """Linear units that convert part of some species into others: unit -> boolean per
    species (less than all of its inlet flow leaves as itself)."""
    out = {}
    for name, unit in fs.units.items():
        transfer = unit.transfer()
        if transfer is None or unit.source() is not None:
            continue
        matrices = [np.asarray(c) for c in transfer.values() if np.ndim(c) == 2]
        if matrices:
            kept = sum(np.diagonal(m) for m in matrices)
            kept = kept + sum(np.asarray(c) for c in transfer.values() if np.ndim(c) == 1)
            out[name] = kept < 1.0 - 1e-12
    return out


def check_trapped_species(fs) -> None:
    """Raise :class:`TopologyError` if a species could circulate forever in a recycle."""
    carries = species_edges(fs)
    conns = fs.connections
    products = set(fs.products())
    outgoing: dict[str, list[int]] = {u: [] for u in fs.units}
    incoming: dict[str, list[int]] = {u: [] for u in fs.units}
    for c in conns:
        outgoing[c.src].append(c.index)
        incoming[c.dst].append(c.index)
    starts: list[tuple[int, np.ndarray]] = []  # streams where species may appear
    for name, unit in fs.units.items():
        source, transfer = unit.source(), unit.transfer()
        for port, k in fs.outlet_of[name].items():
            if source is not None:
                starts.append((k, source.flows > 0))
            elif transfer is None or np.ndim(transfer[port]) == 2:
                starts.append((k, np.ones(len(fs.table), dtype=bool)))
    consumers = _consumers(fs)
    for j, species in enumerate(fs.table.names):
        # units from which the species can reach a product, or where it reacts away
        can_leave = set(products) | {u for u, used in consumers.items() if used[j]}
        stack = list(can_leave)
        while stack:
            u = stack.pop()
            for k in incoming[u]:
                if carries[k, j] and conns[k].src not in can_leave:
                    can_leave.add(conns[k].src)
                    stack.append(conns[k].src)
        # units the species reaches from where it enters or may be formed
        reached: set[str] = set()
        stack = [conns[k].dst for k, present in starts if present[j]]
        while stack:
            u = stack.pop()
            if u in reached:
                continue
            reached.add(u)
            stack.extend(conns[k].dst for k in outgoing[u] if carries[k, j])
        trapped = [u for u in fs.units if u in reached and u not in can_leave]
        if trapped:
            shown = ", ".join(trapped[:6]) + (", ..." if len(trapped) > 6 else "")
            raise TopologyError(
                f"species '{species}' can enter the recycle through {shown} but can never "
                "leave it", location=Location(unit=trapped[0]),
                hint="give it a way out: a purge, a bleed, or a split below 1")


def check_balance(results, tolerance: float | None = None,
                  limit: float = CLOSURE_LIMIT) -> None:
    """Raise :class:`BalanceError` when the solution does not close to ``limit``.

    Parameters
    ----------
    results : flowsheet.results.Results
    tolerance : float, optional
        The recycle tolerance the solve used. When it is looser than the default and the
        solve iterated recycles, the error names it as the cause; otherwise it names the
        unit whose own balance is worst.
    limit : float, default :data:`CLOSURE_LIMIT`

    Examples
    --------
    >>> import flowsheet
    >>> fs = flowsheet.loads('''
    ... flowsheet: loose
    ... species: [{name: water}]
    ... units:
    ...   f: {type: feed, flows: {water: 100}}
    ...   m: {type: mixer}
    ...   s: {type: splitter, fractions: {back: 0.9, out: 0.1}}
    ...   p: {type: product}
    ... streams:
    ...   - {from: f, to: m}
    ...   - {from: m, to: s}
    ...   - {from: s.back, to: m}
    ...   - {from: s.out, to: p}
    ... solver: {linear: false, method: direct}
    ... ''')
    >>> try:
    ...     fs.solve(tolerance=1e-3)
    ... except flowsheet.BalanceError as err:
    ...     print(err.message.split(": ")[-1])
    ...     print(err.hint.split(" (")[0])
    the recycles were converged to a tolerance of 0.001
    leave the tolerance at its default 1e-10
    >>> fs.solve().closure.worst < CLOSURE_LIMIT
    True
    """
    c = results.closure
    if not c.worst > limit:
        return
    from flowsheet.schema import SolverDecl

    errors = sorted([("total mass", c.total), *c.elements.items()], key=lambda kv: -kv[1])
    shown = ", ".join(f"{v:.3g} ({name})" for name, v in errors[:3] if v > limit)
    default = SolverDecl.model_fields["tolerance"].default
    if (tolerance is not None and tolerance > default
            and results.convergence.iterations > 0):
        raise BalanceError(
            f"the balance closes only to {shown} where {limit:.4g} is required: the "
            f"recycles were converged to a tolerance of {tolerance:.4g}",
            hint=f"leave the tolerance at its default {default:.4g} (--tolerance, solver: "
                 "tolerance), which closes the balance")
    unit, worst = _worst_unit(results)
    culprit = ""
    if unit is not None and worst > 0:
        culprit = (f"; unit '{unit}' gains or loses the most, {worst:.3g} of what the "
                   "flowsheet is fed")
    raise BalanceError(f"the balance closes only to {shown} where {limit:.4g} is "
                       f"required{culprit}",
                       location=Location(unit=unit) if culprit else None,
                       hint="a unit does not conserve mass; see Results.unit_imbalance()")


def _worst_unit(results) -> tuple[str | None, float]:
    """The unit whose own balance (total mass and each element) is furthest off, measured
    against what the whole flowsheet is fed, and that difference."""
    fs = results.flowsheet
    flows = results.flows
    E = np.column_stack([np.ones(len(fs.table)), fs.table.element_fractions])
    feed = np.zeros(len(fs.table))
    for name in fs.feeds():
        source = fs.units[name].source()
        if source is not None:
            feed += source.flows
    scale = np.maximum(feed @ E, 1e-300)
    best, worst = None, 0.0
    for name, unit in fs.units.items():
        if unit.source() is not None or not fs.outlet_of[name]:
            continue
        inflow = sum((flows[ks].sum(axis=0) for ks in fs.inlets[name].values()),
                     np.zeros(len(fs.table)))
        outflow = sum((flows[k] for k in fs.outlet_of[name].values()), np.zeros(len(fs.table)))
        off = float((np.abs((inflow - outflow) @ E) / scale).max(initial=0.0))
        if off > worst:
            best, worst = name, off
    return best, worst
