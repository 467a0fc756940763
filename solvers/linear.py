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

import math
from collections.abc import Mapping, Sequence

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from flowsheet.errors import Location, TopologyError, UnitRunError

try:        # SuperLU as scipy.sparse.linalg.splu calls it (see _splu)
    from scipy.sparse.linalg._dsolve import _superlu
except ImportError:     # pragma: no cover - another scipy layout
    _superlu = None

__all__ = ["LinearBlock", "conserved_outlets", "conserving", "is_linear", "REFINE_GAIN"]

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


#: Blocks of up to this many streams solve their mixing temperatures densely.
DENSE_TEMPERATURES = 64

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
        ns = len(fs.table)
        outlet_of, inlets_of = fs.outlet_of, fs.inlets
        # every unknown stream leaves one port of one unit: its coefficients on that unit's
        # inlets are one row of _given and _coef, rows numbered as the unknowns
        self._outs: list[Mapping[str, int]] = []       # port -> local stream, of each unit
        self._inlets: list[list[int]] = []             # local inlet streams of each unit
        self.external: list[tuple[int, list[int], list[int]]] = []  # unit, outlets, streams
        self._multi: list[int] = []                    # units with two outlets or more
        pair_s: list[int] = []
        pair_i: list[int] = []
        ext_s: list[int] = []
        ext_k: list[int] = []
        if len(self.units) == len(fs.units):
            # the whole flowsheet: the unknowns are all streams, in file order
            self.streams = np.arange(len(fs.connections))
            for pos, u in enumerate(self.units):
                ins = [k for ks in inlets_of[u].values() for k in ks]
                outs = outlet_of[u]
                self._inlets.append(ins)
                self._outs.append(outs)
                if ins:
                    for s in outs.values():
                        pair_s += [s] * len(ins)
                        pair_i += ins
                if len(outs) >= 2:
                    self._multi.append(pos)
        else:
            # unknowns in file order of the streams: SuperLU's fill-reducing ordering does
            # markedly better on it than on unit order
            streams = sorted(k for u in self.units for k in outlet_of[u].values())
            self.streams = np.array(streams, dtype=np.intp)
            local = [-1] * len(fs.connections)
            for i, k in enumerate(streams):
                local[k] = i
            for pos, u in enumerate(self.units):
                ins = [k for ks in inlets_of[u].values() for k in ks]
                internal = [local[k] for k in ins if local[k] >= 0]
                external = [k for k in ins if local[k] < 0]
                outs = {port: local[k] for port, k in outlet_of[u].items()}
                self._inlets.append(internal)
                self._outs.append(outs)
                for s in outs.values():
                    pair_s += [s] * len(internal)
                    pair_i += internal
                    ext_s += [s] * len(external)
                    ext_k += external
                if external:
                    self.external.append((pos, list(outs.values()), external))
                if len(outs) >= 2:
                    self._multi.append(pos)
        self.tp_s = np.array(pair_s, dtype=np.intp)          # (outlet, internal inlet) pairs
        self.tp_i = np.array(pair_i, dtype=np.intp)
        self.te_s = np.array(ext_s, dtype=np.intp)           # (outlet, external inlet) pairs
        self.te_k = np.array(ext_k, dtype=np.intp)
        ar = np.arange(ns)
        self._pair_rows = (self.tp_s[:, None] * ns + ar).ravel()   # their unknowns
        self._pair_cols = (self.tp_i[:, None] * ns + ar).ravel()
        self._units: list = [None] * len(self.units)
        self._given = np.zeros((len(self.streams), ns))  # coefficients as the units give them
        self._coef = np.zeros((len(self.streams), ns))   # with remainders: see _take_remainder
        self._matrix: dict[int, np.ndarray] = {}        # local stream -> full matrix transfer
        self._remainder: tuple[np.ndarray, np.ndarray] | None = None   # extra +1 entries
        self._fixed_t = np.empty(len(self.streams))
        self._fixed_t.fill(np.nan)
        self._fixed_values: set[float] = set()          # the fixed ones, once each
        self._sources: dict[int, object] = {}           # unit position -> source stream
        self._read = False                              # units read once (_refresh)
        self._lu = None
        self._pattern = None
        self._wide = None

    def _refresh(self, fs) -> bool:
        """Read the coefficients of units that are new since the last solve.

        Returns True when a coefficient of the matrix may have changed (a new non-feed
        unit); a new feed changes only the right-hand side.
        """
        units, seen, matrix = fs.units, self._units, self._matrix
        fresh = not self._read                           # arrays as built: zeros, NaN
        self._read = True
        changed = False
        zero: list[int] = []                 # outlets of new feeds, or with a matrix
        given: list[int] = []                # outlets with new coefficients per species
        rows: list[np.ndarray] = []
        temp_at: list[int] = []              # fixed outlet temperatures (NaN: mixed)
        temps: list[float] = []
        for pos, name in enumerate(self.units):
            unit = units[name]
            if unit is seen[pos]:
                continue
            seen[pos] = unit
            outs = self._outs[pos]
            source = unit.source()
            if source is not None:
                self._sources[pos] = source
                zero += outs.values()
                temp_at += outs.values()
                temps += [source.temperature] * len(outs)
                continue
            if self._sources:
                self._sources.pop(pos, None)
            changed = True
            transfer = unit.transfer()
            t_out = unit.outlet_temperature()
            if t_out is not None or not fresh:
                temp_at += outs.values()
                temps += [np.nan if t_out is None else t_out] * len(outs)
            for port, s in outs.items():
                coef = np.asarray(transfer[port], dtype=float)
                if coef.ndim == 1:
                    given.append(s)
                    rows.append(coef)
                    if matrix:
                        matrix.pop(s, None)
                else:
                    zero.append(s)
                    matrix[s] = coef
        if zero and not fresh:
            self._coef[zero] = 0.0
            self._given[zero] = 0.0
        if given:
            self._given[given] = rows
        if temp_at:
            self._fixed_t[temp_at] = temps
            self._fixed_values = {t for t in self._fixed_t.tolist() if t == t}
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
        np.copyto(self._coef, self._given)
        self._remainder = None
        matrix = self._matrix
        groups = [list(self._outs[pos].values()) for pos in self._multi
                  if pos not in self._sources
                  and not (matrix and any(s in matrix for s in self._outs[pos].values()))]
        if not groups:
            return
        best, rows, cols = conserved_outlets(self._given, groups)
        if len(best):
            self._coef.reshape(-1)[best] = 1.0
            self._remainder = (np.asarray(rows, dtype=np.intp),
                               np.asarray(cols, dtype=np.intp))

    def _factor(self) -> None:
        """Assemble the matrix and factorise it (kept until a coefficient changes)."""
        ns = len(self.table)
        n = len(self.streams) * ns
        diagonal = np.arange(n)
        vals = [np.ones(n), -self._coef[self.tp_s].ravel()]
        rows, cols = [diagonal, self._pair_rows], [diagonal, self._pair_cols]
        if self._remainder is not None:
            rows.append(self._remainder[0])
            cols.append(self._remainder[1])
            vals.append(np.ones(len(self._remainder[0])))
        unit_of = {s: pos for pos, outs in enumerate(self._outs) for s in outs.values()
                   if s in self._matrix} if self._matrix else {}
        for s, matrix in self._matrix.items():
            jj, kk = np.nonzero(matrix)
            for i in self._inlets[unit_of[s]]:
                rows.append(s * ns + jj)
                cols.append(i * ns + kk)
                vals.append(-matrix[jj, kk])
        if len(rows) > 2 or self._pattern is None:  # reactor entries change the pattern
            self._pattern = _csc_pattern(np.concatenate(rows), np.concatenate(cols), n)
        order, starts, indices, indptr = self._pattern
        data = np.add.reduceat(np.concatenate(vals)[order], starts)
        self._csc = (data, indices, indptr)
        self._wide = None
        try:
            self._lu = _splu(data, indices, indptr)
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
            for s in self._outs[pos].values():
                b[s, :, 0] = source.flows
                if sizes:
                    b[s, solid, 1:] = source.flows[solid, None] * source.psd
        for _, outs, external in self.external:
            ext_sum = flows[external].sum(axis=0)
            ext_cls = (np.einsum("ks,ksn->sn", flows[external][:, solid], psd[external])
                       if sizes else None)
            for s in outs:
                matrix = self._matrix.get(s)
                b[s, :, 0] += self._coef[s] * ext_sum if matrix is None else matrix @ ext_sum
                if sizes:
                    b[s, solid, 1:] += self._coef[s][solid, None] * ext_cls
        b = b.reshape(n * ns, 1 + ncls)
        rhs = b if sizes else b[:, 0]
        y = self._refine(rhs, self._lu.solve(rhs))
        x = (y[:, 0] if sizes else y).reshape(n, ns)
        low = float(x.min(initial=0.0))
        if not (math.isfinite(low) and math.isfinite(float(x.max(initial=0.0)))):
            raise TopologyError("the linear balance has no finite solution: a species "
                                "circulates in a recycle with no way out",
                                location=Location(unit=self.units[0]))
        if low < 0 and low < -1e-9 * max(float(np.abs(b[:, 0]).max(initial=0.0)), 1e-300):
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
        # per species: the largest flow over the largest fed (a species fed nowhere: 0)
        gain = [most / (top if top > 0 else math.inf)
                for most, top in zip(np.abs(flows).max(axis=0).tolist(), fed.tolist(),
                                     strict=True)]
        if any(g != g for g in gain) or not max(gain, default=0.0) > REFINE_GAIN:
            return y
        if self._wide is None:
            data, indices, indptr = self._csc
            self._wide = (data.astype(np.longdouble), indices,
                          np.repeat(np.arange(len(indptr) - 1), np.diff(indptr)))
        data, rows, cols = self._wide
        if y.ndim == 2:
            data = data[:, None]
        wide_rhs = rhs.astype(np.longdouble)
        for _ in range(2):
            # the residual rhs - A y, each row summed in column order as a sparse product
            product = np.zeros(y.shape, dtype=np.longdouble)
            np.add.at(product, rows, data * y.astype(np.longdouble)[cols])
            r = (wide_rhs - product).astype(float)
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
        values = self._fixed_values
        if len(self.te_k):
            values = values | set(temps[self.te_k].tolist())
        if len(values) <= 1:  # one temperature everywhere: nothing to solve
            temps[self.streams] = next(iter(values)) if values else 25.0
            return
        fixed = self._fixed_t
        known = ~np.isnan(fixed)
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
        if n <= DENSE_TEMPERATURES:   # a small block: a dense solve, without the cost of
            A = np.eye(n)              # building a sparse matrix on every pass
            np.add.at(A, (self.tp_s[use], self.tp_i[use]), -c_int[use] / total[self.tp_s[use]])
            temps[self.streams] = np.linalg.solve(A, b)
            return
        rows = np.concatenate([np.arange(n), self.tp_s[use]])
        cols = np.concatenate([np.arange(n), self.tp_i[use]])
        vals = np.concatenate([np.ones(n), -c_int[use] / total[self.tp_s[use]]])
        A = sp.csc_matrix((vals, (rows, cols)), shape=(n, n))
        temps[self.streams] = spla.splu(A).solve(b)


def conserved_outlets(given: np.ndarray, groups: list[list[int]]):
    """Where each unit conserves a species exactly (see :meth:`LinearBlock._take_remainder`).

    ``given`` holds one row of coefficients per outlet stream; each group lists the
    outlets (rows) of one unit. For every unit and species whose coefficients sum to 1
    within 1e-9 (added in outlet order), the first outlet with the largest coefficient
    takes the remainder. Returns the unknowns ``row * n_species + species`` of those
    outlets, and the (row, column) unknowns of the +1 entries that tie each of them to
    the unit's other outlets. A few units are done one species at a time, many in arrays;
    both give the same entries.

    >>> given = np.array([[0.999999999, 0.3], [1e-9, 0.6], [0.25, 0.5]])
    >>> best, rows, cols = conserved_outlets(given, [[0, 1], [2]])
    >>> [int(b) for b in best], [int(r) for r in rows], [int(c) for c in cols]
    ([0], [0], [2])
    """
    ns = given.shape[1]
    if sum(map(len, groups)) * ns <= _FEW_COEFFICIENTS:
        return _conserved_few(given, groups)
    return _conserved_many(given, groups)


#: Up to this many coefficients (outlets x species) :func:`conserved_outlets` loops over
#: plain floats; above it, array operations cost less.
_FEW_COEFFICIENTS = 256


def _conserved_few(given: np.ndarray, groups: list[list[int]]):
    ns = given.shape[1]
    best: list[int] = []
    rows: list[int] = []
    cols: list[int] = []
    for outs in groups:
        values = given[outs].tolist()
        if len(outs) == 2:      # the usual separator or splitter
            s0, s1 = outs
            for j, (a, b) in enumerate(zip(*values, strict=True)):
                if abs(a + b - 1.0) <= 1e-9:
                    big, other = (s1, s0) if b > a else (s0, s1)
                    best.append(big * ns + j)
                    rows.append(big * ns + j)
                    cols.append(other * ns + j)
            continue
        for j in range(ns):
            total = values[0][j]
            for row in values[1:]:
                total += row[j]
            if not abs(total - 1.0) <= 1e-9:
                continue
            big, top = 0, values[0][j]
            for r in range(1, len(outs)):
                if values[r][j] > top:
                    big, top = r, values[r][j]
            b = outs[big] * ns + j
            best.append(b)
            for r, s in enumerate(outs):
                if r != big:
                    rows.append(b)
                    cols.append(s * ns + j)
    return best, rows, cols


def _conserved_many(given: np.ndarray, groups: list[list[int]]):
    ns = given.shape[1]
    at: list[int] = []
    of: list[int] = []
    bounds: list[int] = []
    for g, outs in enumerate(groups):
        bounds.append(len(at))
        at += outs
        of += [g] * len(outs)
    where = np.array(at, dtype=np.intp)
    group = np.array(of, dtype=np.intp)
    starts = np.array(bounds, dtype=np.intp)
    rank = np.arange(len(at)) - starts[group]
    values = given[where]
    # sums in outlet order (numpy's reduceat adds in another order)
    total = values[starts].copy()
    for r in range(1, int(rank.max()) + 1):
        mask = rank == r
        total[group[mask]] += values[mask]
    fix = np.abs(total - 1.0) <= 1e-9
    if not fix.any():
        return [], [], []
    # the first outlet holding a unit's largest coefficient, as its unknown
    top = np.maximum.reduceat(values, starts, axis=0)
    first = np.minimum.reduceat(np.where(values == top[group], rank[:, None], len(at)),
                                starts, axis=0)
    species = np.arange(ns)
    flat = where[:, None] * ns + species
    best = flat[np.minimum(starts[:, None] + first, len(at) - 1), species]
    mine = best[group]
    other = fix[group] & (flat != mine)
    return best[fix], mine[other], flat[other]


def _csc_pattern(rows: np.ndarray, cols: np.ndarray, n: int):
    """The compressed-column layout of entries (rows, cols), duplicates merged.

    Returns the order that sorts the entries by column then row, the start of each
    distinct entry in that order (for :func:`numpy.add.reduceat`), and the CSC
    ``indices`` and ``indptr``.
    """
    key = cols.astype(np.int64, copy=False) * n + rows
    order = np.argsort(key, kind="stable")
    key = key[order]
    first = np.empty(len(key), dtype=bool)
    first[:1] = True
    np.not_equal(key[1:], key[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    col, row = np.divmod(key[starts], n)
    indptr = np.searchsorted(col, np.arange(n + 1)).astype(np.int32)
    return order, starts, row.astype(np.int32), indptr


def _splu(data: np.ndarray, indices: np.ndarray, indptr: np.ndarray):
    """:func:`scipy.sparse.linalg.splu` of a canonical CSC matrix given by its arrays.

    ``splu`` builds and checks a matrix object first, which on a small flowsheet costs as
    much as the factorisation; this calls SuperLU's factorisation as ``splu`` does, with
    its default options, and falls back to ``splu`` where scipy lays it out otherwise.
    """
    n = len(indptr) - 1
    if _superlu is not None:
        try:
            return _superlu.gstrf(n, len(data), data, indices, indptr,
                                  csc_construct_func=sp.csc_matrix, ilu=False,
                                  options=dict(DiagPivotThresh=None, ColPerm=None,
                                               PanelSize=None, Relax=None))
        except TypeError:
            pass
    return spla.splu(sp.csc_matrix((data, indices, indptr), shape=(n, n)))
