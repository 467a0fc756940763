"""One sparse solve for a subgraph of units that are linear in their inlets.

For units exposing transfer coefficients (:meth:`flowsheet.unit.Unit.transfer`) the
steady-state balance of every species is linear: with one unknown per (stream, species),

.. math::  x_s - T_{u,p} \\sum_{i \\in in(u)} x_i = 0, \\qquad x_s = f_s \\ \\text{(feeds)}

for each stream *s* leaving port *p* of unit *u*. Inlets from outside the subgraph are
known and go to the right-hand side. The system is assembled with scipy.sparse and solved
with one sparse LU (SuperLU); the same factorisation solves the size-by-size masses of
the solids as extra right-hand sides when every unit keeps each species' distribution.
Temperatures follow from a second, smaller linear system (heat-capacity-weighted mixing).

The index arrays depend only on the graph and are kept between solves of the same
flowsheet; the coefficients are read from the units each time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from flowsheet.errors import Location, TopologyError, UnitRunError

__all__ = ["LinearBlock", "conserving", "is_linear", "REFINE_GAIN"]

#: A linear block whose flows of some species exceed this many times what enters it of
#: that species is refined (:meth:`LinearBlock._refine`): its rounding could then reach
#: a millionth of the 1e-9 closure.
REFINE_GAIN = 1e3


def is_linear(unit, with_sizes: bool) -> bool:
    """Can ``unit`` join a linear block? (With a size grid it must keep distributions.)"""
    if unit.source() is not None:
        return True
    if unit.transfer() is None:
        return False
    return not with_sizes or unit.keeps_size_distributions()


def conserving(transfer: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Species-wise coefficients that conserve exactly what they conserve to within 1e-9.

    Fractions such as 0.999999999 and 1e-9 sum to one in decimals but not in binary:
    their floating-point values create 3e-17 of each species per pass, which a recycle
    that returns all but 1e-9 of what passes it amplifies a billionfold. For each species
    whose coefficients over the outlets sum to 1 within 1e-9, the second largest is
    replaced by one minus the others, exact for two outlets (Sterbenz: 1 - c is exact
    for c in [1/2, 1]), so the unit conserves the species as it declares. Matrix
    coefficients (reactors) and species the unit does not conserve are left alone.

    >>> 1.0 - 0.999999999 == 1e-9          # the complement as written is not exact
    False
    >>> c = conserving({"back": np.array([0.999999999]), "purge": np.array([1e-9])})
    >>> bool(1.0 - c["back"][0] == c["purge"][0]), bool(abs(c["purge"][0] / 1e-9 - 1) < 1e-7)
    (True, True)
    """
    ports = list(transfer)
    if len(ports) < 2 or any(np.ndim(transfer[p]) != 1 for p in ports):
        return transfer
    coef = np.array([np.asarray(transfer[p], dtype=float) for p in ports])
    total = coef.sum(axis=0)
    fix = np.abs(total - 1.0) <= 1e-9
    if not fix.any():
        return transfer
    order = np.argsort(-coef, axis=0, kind="stable")
    cols = np.flatnonzero(fix)
    big, second = order[0, cols], order[1, cols]
    rest = coef[:, cols].copy()
    rest[big, np.arange(len(cols))] = 0.0
    rest[second, np.arange(len(cols))] = 0.0
    out = coef.copy()
    out[second, cols] = np.maximum((1.0 - coef[big, cols]) - rest.sum(axis=0), 0.0)
    return {p: out[i] for i, p in enumerate(ports)}


class LinearBlock:
    """The linear balance of a set of units, ready to solve repeatedly.

    The index arrays (which stream feeds which) are built once; each solve reads the
    coefficients of the units, recomputing only those of units that changed.

    Parameters
    ----------
    fs : Flowsheet
    units : the unit names of the block
    """

    def __init__(self, fs, units: Sequence[str]) -> None:
        self.units = list(units)
        self.table = fs.table
        self.connections = fs.connections
        inside = set(self.units)
        src = [c.src for c in fs.connections]
        ns = len(fs.table)
        # unknowns in file order of the streams: SuperLU's fill-reducing ordering does
        # markedly better on it than on unit order
        self.streams = np.array(sorted(k for u in self.units for k in fs.outlet_of[u].values()),
                                dtype=int)
        local = {int(k): i for i, k in enumerate(self.streams)}
        # one coefficient slot per (unit, outlet port)
        self.slots: list[tuple[int, str, int]] = []     # (unit position, port, local stream)
        pair_s, pair_i, pair_slot = [], [], []
        self.external: list[tuple[int, list[int], list[int]]] = []  # unit pos, slots, streams
        self.inlets: list[list[int]] = []                # local inlet streams of each unit
        for pos, u in enumerate(self.units):
            ins = [k for ks in fs.inlets[u].values() for k in ks]
            internal = [local[k] for k in ins if src[k] in inside]
            external = [k for k in ins if src[k] not in inside]
            self.inlets.append(internal)
            first = len(self.slots)
            for port, k in fs.outlet_of[u].items():
                slot = len(self.slots)
                self.slots.append((pos, port, local[k]))
                for i in internal:
                    pair_s.append(local[k])
                    pair_i.append(i)
                    pair_slot.append(slot)
            if external:
                self.external.append((pos, list(range(first, len(self.slots))), external))
        ar = np.arange(ns)
        self.tp_s = np.array(pair_s, dtype=int)          # (outlet, internal inlet) pairs
        self.tp_i = np.array(pair_i, dtype=int)
        ext_s, ext_k = [], []
        for _, slots, external in self.external:
            for slot in slots:
                for k in external:
                    ext_s.append(self.slots[slot][2])
                    ext_k.append(k)
        self.te_s = np.array(ext_s, dtype=int)           # (outlet, external inlet) pairs
        self.te_k = np.array(ext_k, dtype=int)
        self.pair_slot = np.array(pair_slot, dtype=int)
        self.pair_rows = (np.array(pair_s, dtype=int)[:, None] * ns + ar).ravel()
        self.pair_cols = (np.array(pair_i, dtype=int)[:, None] * ns + ar).ravel()
        n = len(self.streams) * ns
        self.rows = np.concatenate([np.arange(n), self.pair_rows])
        self.cols = np.concatenate([np.arange(n), self.pair_cols])
        self.slot_stream = np.array([s for _, _, s in self.slots], dtype=int)
        self._units: list = [None] * len(self.units)
        self._coef = np.zeros((len(self.slots), ns))
        self._matrix: dict[int, np.ndarray] = {}       # slot -> full matrix transfer
        self._given = np.zeros((len(self.slots), ns))   # coefficients as the units give them
        self._remainder: tuple[np.ndarray, np.ndarray] | None = None   # extra +1 entries
        self._fixed_t = np.full(len(self.streams), np.nan)
        self._sources: dict[int, object] = {}           # unit position -> source stream
        self._lu = None
        self.by_pos: dict[int, list[int]] = {}
        for slot, (pos, _, _) in enumerate(self.slots):
            self.by_pos.setdefault(pos, []).append(slot)
        # a unit's slots are consecutive: its first and how many
        self._first = np.array([self.by_pos.get(p, [0])[0] for p in range(len(self.units))])
        self._count = np.array([len(self.by_pos.get(p, [])) for p in range(len(self.units))])
        self._pattern = None
        self._wide = None

    def _refresh(self, fs) -> bool:
        """Read the coefficients of units that are new since the last solve.

        Returns True when a coefficient of the matrix may have changed (a new non-feed
        unit); a new feed changes only the right-hand side.
        """
        by_pos = self.by_pos
        changed = False
        for pos, name in enumerate(self.units):
            unit = fs.units[name]
            if unit is self._units[pos]:
                continue
            self._units[pos] = unit
            slots = by_pos.get(pos, [])
            source = unit.source()
            if source is not None:
                self._sources[pos] = source
                for slot in slots:
                    self._coef[slot] = self._given[slot] = 0.0
                    self._fixed_t[self.slots[slot][2]] = source.temperature
                continue
            self._sources.pop(pos, None)
            changed = True
            transfer = unit.transfer()
            t_out = unit.outlet_temperature()
            for slot in slots:
                coef = np.asarray(transfer[self.slots[slot][1]], dtype=float)
                self._fixed_t[self.slots[slot][2]] = np.nan if t_out is None else t_out
                if coef.ndim == 1:
                    self._given[slot] = coef
                    self._matrix.pop(slot, None)
                else:
                    self._given[slot] = 0.0
                    self._matrix[slot] = coef
        if changed:
            self._take_remainder()
        return changed

    def _take_remainder(self) -> None:
        """Write the balance of a conserved species at its largest outlet as the remainder.

        Fractions such as 0.999999999 and 1e-9 sum to one in decimals but not in binary;
        a recycle that returns all but 1e-9 of what passes it would amplify the
        difference a billionfold. For each species whose coefficients over a unit's
        outlets sum to 1 within 1e-9, the largest outlet's equation becomes
        :math:`x_{big} = \\sum_{in} x - \\sum_{other\\ outlets} x`: the unit conserves the
        species exactly, and every other outlet keeps the fraction as written. Units
        with a transfer matrix, a single outlet or no inlet are left alone.
        """
        given, ns = self._given, len(self.table)
        first, count = self._first, self._count
        eligible = (count >= 2) & np.array(
            [pos not in self._sources and not any(s in self._matrix for s in self.by_pos[pos])
             if pos in self.by_pos else False for pos in range(len(self.units))])
        units = np.flatnonzero(eligible)
        self._coef[:] = given
        self._remainder = None
        if not len(units):
            return
        total = np.zeros((len(units), ns))
        best = np.full((len(units), ns), -1)
        top = np.full((len(units), ns), -np.inf)
        for r in range(int(count[units].max())):
            has = count[units] > r
            idx = first[units][has] + r
            val = given[idx]
            total[has] += val
            better = val > top[has]
            top[has] = np.where(better, val, top[has])
            best[has] = np.where(better, idx[:, None], best[has])
        fix = np.abs(total - 1.0) <= 1e-9
        if not fix.any():
            return
        species = np.broadcast_to(np.arange(ns), fix.shape)
        self._coef[best[fix], species[fix]] = 1.0
        rows, cols = [], []
        for r in range(int(count[units].max())):
            idx = np.broadcast_to((first[units] + r)[:, None], fix.shape)
            other = fix & (count[units] > r)[:, None] & (idx != best)
            j = species[other]
            rows.append(self.slot_stream[best[other]] * ns + j)
            cols.append(self.slot_stream[idx[other]] * ns + j)
        self._remainder = (np.concatenate(rows), np.concatenate(cols))

    def _factor(self) -> None:
        """Assemble the matrix and factorise it (kept until a coefficient changes)."""
        ns = len(self.table)
        n = len(self.streams) * ns
        vals = [np.ones(n), -self._coef[self.pair_slot].ravel()]
        rows, cols = [self.rows], [self.cols]
        if self._remainder is not None:
            rows.append(self._remainder[0])
            cols.append(self._remainder[1])
            vals.append(np.ones(len(self._remainder[0])))
        for slot, matrix in self._matrix.items():
            s = self.slots[slot][2]
            jj, kk = np.nonzero(matrix)
            for i in self.inlets[self.slots[slot][0]]:
                rows.append(s * ns + jj)
                cols.append(i * ns + kk)
                vals.append(-matrix[jj, kk])
        if len(rows) > 1 or self._pattern is None:  # reactor entries change the pattern
            self._pattern = _csc_pattern(np.concatenate(rows), np.concatenate(cols), n)
        order, starts, indices, indptr = self._pattern
        data = np.add.reduceat(np.concatenate(vals)[order], starts)
        A = sp.csc_matrix((data, indices, indptr), shape=(n, n))
        self._A = A
        self._wide = None
        try:
            self._lu = spla.splu(A)
        except RuntimeError as exc:  # exactly singular
            self._lu = None
            raise TopologyError(
                "the linear balance is singular: a species circulates in a recycle with no "
                "way out", location=Location(unit=self.units[0]),
                hint="add a purge or bleed to the recycle") from exc

    def solve(self, fs, flows: np.ndarray, temps: np.ndarray, psd: np.ndarray | None) -> None:
        """Solve the block of ``fs`` (this flowsheet or a copy with other parameters);
        write its streams into ``flows``, ``temps`` and ``psd``.

        Inlets from outside the block are read from the same arrays.
        """
        if self._refresh(fs) or self._lu is None:
            self._factor()
        ns = len(self.table)
        n = len(self.streams)
        sizes = psd is not None
        ncls = fs.grid.n_classes if sizes else 0
        solid = self.table.solid_index
        b = np.zeros((n, ns, 1 + ncls))
        for pos, source in self._sources.items():
            for slot in self.by_pos.get(pos, ()):
                s = self.slots[slot][2]
                b[s, :, 0] = source.flows
                if sizes:
                    b[s, solid, 1:] = source.flows[solid, None] * source.psd
        for _, slots, external in self.external:
            ext_sum = flows[external].sum(axis=0)
            ext_cls = (np.einsum("ks,ksn->sn", flows[external][:, solid], psd[external])
                       if sizes else None)
            for slot in slots:
                s = self.slots[slot][2]
                matrix = self._matrix.get(slot)
                b[s, :, 0] += self._coef[slot] * ext_sum if matrix is None else matrix @ ext_sum
                if sizes:
                    b[s, solid, 1:] += self._coef[slot][solid, None] * ext_cls
        b = b.reshape(n * ns, 1 + ncls)
        rhs = b if sizes else b[:, 0]
        y = self._refine(rhs, self._lu.solve(rhs))
        x = (y[:, 0] if sizes else y).reshape(n, ns)
        if not np.all(np.isfinite(x)):
            raise TopologyError("the linear balance has no finite solution: a species "
                                "circulates in a recycle with no way out",
                                location=Location(unit=self.units[0]))
        scale = max(float(np.abs(b[:, 0]).max(initial=0.0)), 1e-300)
        if x.min(initial=0.0) < -1e-9 * scale:
            self._negative(x)
        np.maximum(x, 0.0, out=x)
        flows[self.streams] = x
        if sizes:
            cls = y[:, 1:].reshape(n, ns, ncls)[:, solid, :]
            m = x[:, solid, None]
            with np.errstate(invalid="ignore", divide="ignore"):
                dist = np.where(m > 0, cls / np.where(m > 0, m, 1.0), 0.0)
            psd[self.streams] = np.clip(dist, 0.0, None)
        self._temperatures(flows, temps)

    def _refine(self, rhs: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Iterative refinement with the residual in extended precision (two steps at most).

        A recycle that returns all but 1e-9 of what passes it makes the balance a
        billion times as sensitive to rounding as the flows; the residual of the
        remainder rows, computed in 64-bit floating point, would be all rounding. With
        it computed in extended precision each step gains about nine digits, so the
        products come out to the last digit and the balance closes. Only a block in which
        some species circulates more than :data:`REFINE_GAIN` times what enters it needs
        it; others are left as solved.
        """
        if self._remainder is None:
            return y
        flows = (y[:, 0] if y.ndim == 2 else y).reshape(-1, len(self.table))
        fed = np.abs((rhs[:, 0] if rhs.ndim == 2 else rhs).reshape(flows.shape)).max(axis=0)
        gain = np.abs(flows).max(axis=0) / np.where(fed > 0, fed, np.inf)
        if not gain.max(initial=0.0) > REFINE_GAIN:
            return y
        if self._wide is None:
            self._wide = self._A.astype(np.longdouble)
        for _ in range(2):
            r = (rhs.astype(np.longdouble) - self._wide @ y.astype(np.longdouble))
            r = r.astype(float)
            if not r.any():
                break
            y = y + self._lu.solve(r)
        return y

    def _negative(self, x: np.ndarray) -> None:
        s, j = np.unravel_index(int(np.argmin(x)), x.shape)
        c = self.connections[int(self.streams[s])]
        raise UnitRunError(f"stream '{c.name}' would carry {x[s, j]:.6g} t/h of "
                           f"'{self.table.names[j]}': the reactions consume more than "
                           "enters", location=Location(unit=c.src))

    def _temperatures(self, flows, temps) -> None:
        """Heat-capacity-weighted mixing temperatures; fixed where a unit sets them.

        .. math::  T_s \\sum_i C_i = \\sum_i C_i T_i, \\qquad C_i = \\sum_j m_{ij} c_{p,j}
        """
        fixed = self._fixed_t
        known = ~np.isnan(fixed)
        values = set(fixed[known].tolist()) | set(temps[self.te_k].tolist())
        if len(values) <= 1:  # one temperature everywhere: nothing to solve
            temps[self.streams] = values.pop() if values else 25.0
            return
        n = len(self.streams)
        capacity = flows @ self.table.heat_capacities()
        c_int = capacity[self.streams[self.tp_i]]
        c_ext = capacity[self.te_k]
        total = (np.bincount(self.tp_s, weights=c_int, minlength=n)
                 + np.bincount(self.te_s, weights=c_ext, minlength=n))
        b = np.bincount(self.te_s, weights=c_ext * temps[self.te_k], minlength=n)
        free = ~known & (total > 0)
        b = np.where(free, b / np.where(free, total, 1.0), np.where(known, fixed, 25.0))
        use = free[self.tp_s]
        rows = np.concatenate([np.arange(n), self.tp_s[use]])
        cols = np.concatenate([np.arange(n), self.tp_i[use]])
        vals = np.concatenate([np.ones(n), -c_int[use] / total[self.tp_s[use]]])
        A = sp.csc_matrix((vals, (rows, cols)), shape=(n, n))
        temps[self.streams] = spla.splu(A).solve(b)


def _csc_pattern(rows: np.ndarray, cols: np.ndarray, n: int):
    """The compressed-column layout of entries (rows, cols), duplicates merged.

    Returns the order that sorts the entries by column then row, the start of each
    distinct entry in that order (for :func:`numpy.add.reduceat`), and the CSC
    ``indices`` and ``indptr``.
    """
    key = cols.astype(np.int64) * n + rows
    order = np.argsort(key, kind="stable")
    distinct, starts = np.unique(key[order], return_index=True)
    indices = (distinct % n).astype(np.int32)
    indptr = np.searchsorted(distinct // n, np.arange(n + 1)).astype(np.int32)
    return order, starts, indices, indptr
