"""Layered left-to-right layout of a flowsheet graph, shared by the diagram and the Sankey.

The graph is a :class:`networkx.MultiDiGraph` of units (node attribute ``type``) and streams
(edges keyed by stream name, optional boolean attribute ``tear``). The layout follows the
classic layered recipe:

1. :func:`recycle_edges` picks the streams that close a loop: the solver's tear streams when
   the graph marks any, plus, for any loop the tears leave open, streams that point back in
   the discovery order of a depth-first search from the feeds.
2. Without them the graph is acyclic; every unit gets the length of the longest path to it
   from a source. Products move to the last layer.
3. A stream that spans several layers passes through one waypoint per layer in between; a
   recycle runs back through waypoints from its source's layer to its target's, starting and
   ending in a lane beside those two units. With ``label_columns`` every stream also crosses
   a column of its own between two layers of units, where a drawing can put its label.
4. A few barycentre sweeps order every column to reduce crossings, and :func:`place` spreads
   the slots of each column vertically (an isotonic regression keeps their order and gaps).

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_nodes_from([("ore", {"type": "feed"}), ("mill", {"type": "sag_mill"}),
...                   ("cyclone", {"type": "hydrocyclone"}), ("fines", {"type": "product"})])
>>> for u, v in [("ore", "mill"), ("mill", "cyclone"), ("cyclone", "mill"),
...              ("cyclone", "fines")]:
...     _ = g.add_edge(u, v, key=f"{u}->{v}")
>>> recycle_edges(g)
{('cyclone', 'mill', 'cyclone->mill')}
>>> layers(g)
{'ore': (0, 0), 'mill': (1, 0), 'cyclone': (2, 0), 'fines': (3, 0)}
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import networkx as nx

from flowsheet.errors import ExportError

__all__ = ["Edge", "Waypoint", "Layout", "as_multidigraph", "recycle_edges", "layers",
           "build_layout", "place", "spread", "ports", "route"]

Edge = tuple[Hashable, Hashable, Hashable]
"""A stream as ``(source unit, target unit, key)``."""


@dataclass(frozen=True)
class Waypoint:
    """A point on the route of a stream in one column: a bend, a lane or a label's place."""

    edge: Edge
    index: int


@dataclass
class Layout:
    """Columns of slots (units and waypoints), top to bottom, and the route of every stream.

    ``paths[edge]`` lists the slots a stream visits from its source unit to its target unit.
    ``lanes`` maps a waypoint that runs beside a unit in the unit's own column (the start or
    the end of a recycle) to that unit; ``side[edge]`` says whether a recycle's lanes run
    above (-1) or below (+1) its units. ``label_slot`` gives the waypoint carrying a stream's
    label when the layout was built with label columns. ``layer`` is the layer of each unit.
    """

    columns: list[list[Hashable]]
    column_of: dict[Hashable, int]
    paths: dict[Edge, list[Hashable]]
    recycles: set[Edge]
    layer: dict[Hashable, int]
    lanes: dict[Waypoint, Hashable] = field(default_factory=dict)
    label_slot: dict[Edge, Waypoint] = field(default_factory=dict)
    side: dict[Edge, int] = field(default_factory=dict)

    def is_unit(self, slot: Hashable) -> bool:
        """Whether ``slot`` is a unit (not a waypoint)."""
        return not isinstance(slot, Waypoint)

    def runs_back(self, edge: Edge) -> bool:
        """Whether a stream runs back to the left, from a lane beside its source unit."""
        path = self.paths[edge]
        return len(path) > 2 and self.lanes.get(path[1]) == path[0]


def as_multidigraph(graph: object) -> nx.MultiDiGraph:
    """Return ``graph`` as a MultiDiGraph (a DiGraph is converted), else raise ExportError.

    >>> as_multidigraph([1, 2])
    Traceback (most recent call last):
    ...
    flowsheet.errors.ExportError: a flowsheet drawing needs a networkx.MultiDiGraph, not list
    """
    if isinstance(graph, nx.MultiDiGraph):
        return graph
    if isinstance(graph, nx.DiGraph):
        return nx.MultiDiGraph(graph)
    raise ExportError(f"a flowsheet drawing needs a networkx.MultiDiGraph, not "
                      f"{type(graph).__name__}")


def _edges(graph: nx.MultiDiGraph) -> list[Edge]:
    return list(graph.edges(keys=True))


def _feedback_edges(graph: nx.MultiDiGraph, skip: set[Edge]) -> set[Edge]:
    """Streams inside loops that run back, judged by a depth-first search from the feeds.

    Within a strongly connected component, every stream to a unit discovered no later than
    its source is a candidate. Without the candidates the graph is acyclic; of them, those
    that do not run forward in the longest-path layers of what remains are the recycles.
    Discovery follows the main line of a flowsheet (first outlets first), so the streams
    picked are the ones an engineer calls recycles: the raffinate returning to the wash, not
    the underflow leaving it; streams merging from parallel trains stay forward.
    """
    nodes = list(graph.nodes)
    feeds = [n for n in nodes if graph.nodes[n].get("type") == "feed"]
    sources = [n for n in nodes if graph.in_degree(n) == 0]
    found: dict[Hashable, int] = {}
    for root in feeds + sources + nodes:
        if root in found:
            continue
        found[root] = len(found)
        stack = [iter(graph.out_edges(root, keys=True))]
        while stack:
            for edge in stack[-1]:
                if edge not in skip and edge[1] not in found:
                    found[edge[1]] = len(found)
                    stack.append(iter(graph.out_edges(edge[1], keys=True)))
                    break
            else:
                stack.pop()
    rest = [e for e in _edges(graph) if e not in skip]
    loops = nx.MultiDiGraph()
    loops.add_nodes_from(nodes)
    loops.add_edges_from(rest)
    component = {n: i for i, comp in enumerate(nx.strongly_connected_components(loops))
                 for n in comp}
    candidates = {(u, v, k) for u, v, k in rest
                  if component[u] == component[v] and found[v] <= found[u]}
    layer = _longest_path(nodes, [e for e in rest if e not in candidates])
    return {(u, v, k) for u, v, k in candidates if layer[u] >= layer[v]}


def _longest_path(nodes: list[Hashable], edges: list[Edge]) -> dict[Hashable, int]:
    """Layer of each node of a DAG: the number of edges on the longest path reaching it."""
    dag = nx.MultiDiGraph()
    dag.add_nodes_from(nodes)
    dag.add_edges_from(edges)
    layer: dict[Hashable, int] = {}
    for node in nx.topological_sort(dag):
        layer[node] = max((layer[p] + 1 for p in dag.predecessors(node)), default=0)
    return layer


def recycle_edges(graph: nx.MultiDiGraph) -> set[Edge]:
    """Return the streams whose removal leaves the graph acyclic, as ``(u, v, key)``.

    The edges marked ``tear`` are taken first. If loops remain, a depth-first search from the
    feeds numbers the units in discovery order; the streams within a loop that go to an
    earlier-numbered unit, and would not run forward in the layers the others give, complete
    the set.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph([("a", "b", "s1"), ("b", "c", "s2"), ("c", "a", "s3")])
    >>> sorted(recycle_edges(g))
    [('c', 'a', 's3')]
    >>> g.edges["a", "b", "s1"]["tear"] = True
    >>> sorted(recycle_edges(g))
    [('a', 'b', 's1')]
    """
    tears = {e for e in _edges(graph) if graph.edges[e].get("tear")}
    return tears | _feedback_edges(graph, tears)


def _layer_numbers(graph: nx.MultiDiGraph, recycles: set[Edge]) -> dict[Hashable, int]:
    forward = [e for e in _edges(graph) if e not in recycles]
    layer = _longest_path(list(graph.nodes), forward)
    sends = {u for u, _, _ in forward}
    kinds = {n: graph.nodes[n].get("type") for n in graph.nodes}
    inner = [layer[n] for n in layer if kinds[n] != "product"]
    last = max(inner) + 1 if inner else 0
    for node in layer:
        if kinds[node] == "product" and node not in sends:
            layer[node] = max(layer[node], last)
    return layer


def build_layout(graph: nx.MultiDiGraph, *, label_columns: bool = False,
                 sweeps: int = 8) -> Layout:
    """Layer, route and order ``graph``; the result feeds :func:`place` and the drawings.

    With ``label_columns`` the units of layer ``k`` sit in column ``2k`` and every stream has a
    waypoint in an odd column where its label fits. ``sweeps`` bounds the barycentre passes.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph([("a", "b", "s1"), ("b", "c", "s2"), ("c", "b", "s3")])
    >>> lay = build_layout(g, label_columns=True)
    >>> [[s if lay.is_unit(s) else "." for s in col] for col in lay.columns]
    [['a'], ['.'], ['.', 'b'], ['.', '.'], ['.', 'c']]
    >>> lay.recycles
    {('c', 'b', 's3')}
    """
    recycles = recycle_edges(graph)
    layer = _layer_numbers(graph, recycles)
    step = 2 if label_columns else 1
    column_of: dict[Hashable, int] = {n: step * layer[n] for n in graph.nodes}
    paths: dict[Edge, list[Hashable]] = {}
    lanes: dict[Waypoint, Hashable] = {}
    label_slot: dict[Edge, Waypoint] = {}
    for edge in _edges(graph):
        u, v, _ = edge
        cu, cv = column_of[u], column_of[v]
        if cv > cu:
            cols = list(range(cu + 1, cv))
        else:
            cols = list(range(cu, cv - 1, -1)) if u != v and cv < cu else [cu]
        points = [Waypoint(edge, i) for i in range(len(cols))]
        for point, col in zip(points, cols, strict=True):
            column_of[point] = col
        if cv <= cu:
            lanes[points[0]] = u
            if cv < cu:
                lanes[points[-1]] = v
        if label_columns:
            odd = [p for p, c in zip(points, cols, strict=True) if c % 2 == 1]
            label_slot[edge] = odd[0] if odd else points[0]
        paths[edge] = [u, *points, v]
    ncols = max(column_of.values(), default=-1) + 1
    columns: list[list[Hashable]] = [[] for _ in range(ncols)]
    for slot in column_of:
        columns[column_of[slot]].append(slot)
    lay = Layout(columns, column_of, paths, recycles,
                 {n: layer[n] for n in graph.nodes}, lanes, label_slot)
    lay.side = _sides(lay)
    _order(lay, sweeps)
    return lay


def _sides(lay: Layout) -> dict[Edge, int]:
    """Put recycles above or below their units so that no two interleaved loops share a side.

    Two loops back over columns ``[a1, b1]`` and ``[a2, b2]`` with ``a1 < a2 < b1 < b2`` must
    cross if drawn on the same side; nested or disjoint ones need not. A breadth-first
    two-colouring of that conflict graph starts every group above.
    """
    spans = {e: (lay.column_of[p[-2]], lay.column_of[p[1]]) for e, p in lay.paths.items()
             if lay.runs_back(e)}
    conflict = nx.Graph()
    conflict.add_nodes_from(spans)
    items = sorted(spans.items(), key=lambda t: t[1])
    for i, (e1, (a1, b1)) in enumerate(items):
        for e2, (a2, b2) in items[i + 1:]:
            if a2 >= b1:
                break
            if a1 < a2 < b1 < b2:
                conflict.add_edge(e1, e2)
    side: dict[Edge, int] = {}
    for e, _ in items:
        if e in side:
            continue
        side[e] = -1
        for a, b in nx.bfs_edges(conflict, e):
            side[b] = -side[a]
    return side


def layers(graph: nx.MultiDiGraph) -> dict[Hashable, tuple[int, int]]:
    """Return ``{unit: (layer, order)}``: feeds in layer 0, products in the last layer.

    ``order`` counts units from the top of their layer after crossing reduction.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph([("feed", "tank", "s1"), ("tank", "out", "s2")])
    >>> layers(g)
    {'feed': (0, 0), 'tank': (1, 0), 'out': (2, 0)}
    """
    lay = build_layout(graph)
    out: dict[Hashable, tuple[int, int]] = {}
    for col in lay.columns:
        units = [s for s in col if lay.is_unit(s)]
        for i, unit in enumerate(units):
            out[unit] = (lay.layer[unit], i)
    return {n: out[n] for n in graph.nodes}


def _links(lay: Layout) -> tuple[dict[Hashable, list[Hashable]], dict[Hashable, list[Hashable]]]:
    """Neighbours of every slot in the column to its left and to its right."""
    left: dict[Hashable, list[Hashable]] = {s: [] for s in lay.column_of}
    right: dict[Hashable, list[Hashable]] = {s: [] for s in lay.column_of}
    for path in lay.paths.values():
        for a, b in zip(path, path[1:], strict=False):
            ca, cb = lay.column_of[a], lay.column_of[b]
            if cb == ca + 1:
                right[a].append(b)
                left[b].append(a)
            elif ca == cb + 1:
                left[a].append(b)
                right[b].append(a)
    return left, right


def _crossings(lay: Layout, right: dict[Hashable, list[Hashable]]) -> int:
    pos = {s: i for col in lay.columns for i, s in enumerate(col)}
    total = 0
    for col in lay.columns:
        pairs = sorted((pos[a], pos[b]) for a in col for b in right[a])
        seen: list[int] = []
        for _, j in pairs:
            at = bisect.bisect_right(seen, j)
            total += len(seen) - at
            seen.insert(at, j)
    return total


def _order(lay: Layout, sweeps: int) -> None:
    """Reorder the columns in place by barycentre sweeps, keeping the best order found."""
    left, right = _links(lay)
    lanes_of: dict[Hashable, list[Waypoint]] = {}
    for lane, owner in lay.lanes.items():
        lanes_of.setdefault(owner, []).append(lane)
    for c, col in enumerate(lay.columns):
        lay.columns[c] = _with_lanes(lay, [s for s in col if s not in lay.lanes], lanes_of)
    best = [list(c) for c in lay.columns]
    best_cross = _crossings(lay, right)
    for sweep in range(sweeps):
        forward = sweep % 2 == 0
        order = range(1, len(lay.columns)) if forward else range(len(lay.columns) - 2, -1, -1)
        for c in order:
            ref = lay.columns[c - 1] if forward else lay.columns[c + 1]
            _sort_column(lay, c, left if forward else right, ref, lanes_of)
        cross = _crossings(lay, right)
        if cross < best_cross:
            best, best_cross = [list(col) for col in lay.columns], cross
        if best_cross == 0:
            break
    lay.columns = best


def _sort_column(lay: Layout, c: int, nbrs: dict[Hashable, list[Hashable]],
                 ref: list[Hashable], lanes_of: dict[Hashable, list[Waypoint]]) -> None:
    """Sort column ``c`` by the mean position of each slot's neighbours in ``ref``."""
    col = [s for s in lay.columns[c] if s not in lay.lanes]
    ref_pos = _normalised(ref)
    here = _normalised(col)
    key: dict[Hashable, float] = {}
    for slot in col:
        near = [ref_pos[s] for s in nbrs[slot] if s in ref_pos]
        key[slot] = sum(near) / len(near) if near else here[slot]
    col.sort(key=key.__getitem__)
    lay.columns[c] = _with_lanes(lay, col, lanes_of)


def _with_lanes(lay: Layout, col: list[Hashable],
                lanes_of: dict[Hashable, list[Waypoint]]) -> list[Hashable]:
    """Insert each unit's lanes right above or below it, the longer loops farther out."""
    out: list[Hashable] = []
    for slot in col:
        lanes = sorted(lanes_of.get(slot, ()), key=lambda w: _reach(lay, w.edge))
        out += [w for w in reversed(lanes) if lay.side[w.edge] < 0]
        out.append(slot)
        out += [w for w in lanes if lay.side[w.edge] > 0]
    return out


def _reach(lay: Layout, edge: Edge) -> int:
    path = lay.paths[edge]
    return abs(lay.column_of[path[1]] - lay.column_of[path[-2]])


def _normalised(col: list[Hashable]) -> dict[Hashable, float]:
    n = max(len(col) - 1, 1)
    return {s: i / n for i, s in enumerate(col)}


def _isotonic(target: list[float], weight: list[float]) -> list[float]:
    """Weighted least-squares non-decreasing fit (pool adjacent violators)."""
    blocks: list[list[float]] = []  # [mean, weight, count]
    for t, w in zip(target, weight, strict=True):
        blocks.append([t, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2, n2 = blocks.pop()
            m1, w1, n1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, n1 + n2])
    out: list[float] = []
    for mean, _, count in blocks:
        out.extend([mean] * int(count))
    return out


def place(lay: Layout, height: Callable[[Hashable], float], gap: float,
          iterations: int = 12) -> dict[Hashable, float]:
    """Vertical centre of every slot: near its neighbours, in column order, ``gap`` apart.

    ``height(slot)`` is the height a slot needs. A lane stays next to its unit. The top of the
    highest slot is at 0.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph([("a", "c", "s1"), ("b", "c", "s2")])
    >>> y = place(build_layout(g), lambda s: 10.0, gap=10.0)
    >>> y["a"], y["b"], y["c"]
    (5.0, 25.0, 15.0)
    """
    left, right = _links(lay)
    y: dict[Hashable, float] = {}
    for col in lay.columns:
        top = 0.0
        for slot in col:
            y[slot] = top + height(slot) / 2
            top += height(slot) + gap
    for it in range(iterations):
        if it < iterations - 2:
            forward = it % 2 == 0
            cols = lay.columns if forward else lay.columns[::-1]
        else:
            forward, cols = None, lay.columns
        for col in cols:
            _relax(lay, col, y, height, gap, left, right, forward)
    for _ in range(2):
        _straighten(lay, y, height, gap)
    top = min((y[s] - height(s) / 2 for s in y), default=0.0)
    return {s: v - top for s, v in y.items()}


def _straighten(lay: Layout, y: dict[Hashable, float], height: Callable[[Hashable], float],
                gap: float) -> None:
    """Level the runs of waypoints of each stream as far as their neighbours leave room.

    Each waypoint may move within the free band between the slots above and below it (a lane
    no farther than three gaps from its unit). A run is cut greedily into as few level pieces
    as the bands allow; the first piece takes the height of the unit before it if it can, each
    later piece stays as close as it can to the one before, so long streams run straight.
    """
    pos = {s: (c, i) for c, col in enumerate(lay.columns) for i, s in enumerate(col)}
    runs: list[tuple[Hashable, list[Hashable]]] = []
    for path in lay.paths.values():
        run: list[Hashable] = []
        before = path[0]
        for slot in path[1:]:
            if lay.is_unit(slot):
                if run:
                    runs.append((before, run))
                run, before = [], slot
            else:
                run.append(slot)

    def band(slot: Hashable) -> tuple[float, float]:
        c, i = pos[slot]
        col = lay.columns[c]
        lo = y[col[i - 1]] + (height(col[i - 1]) + height(slot)) / 2 + gap if i else -1e18
        hi = (y[col[i + 1]] - (height(col[i + 1]) + height(slot)) / 2 - gap
              if i + 1 < len(col) else 1e18)
        if slot in lay.lanes:  # a lane strays at most three gaps from its unit
            owner = lay.lanes[slot]
            near = (height(owner) + height(slot)) / 2 + gap
            if y[slot] < y[owner]:
                lo = max(lo, y[owner] - near - 3 * gap)
            else:
                hi = min(hi, y[owner] + near + 3 * gap)
        return lo, hi

    for before, run in sorted(runs, key=lambda t: len(t[1]), reverse=True):
        level = y[before]
        start = 0
        while start < len(run):
            lo, hi = band(run[start])
            end = start + 1
            while end < len(run):
                a, b = band(run[end])
                if max(lo, a) > min(hi, b):
                    break
                lo, hi = max(lo, a), min(hi, b)
                end += 1
            level = min(max(level, lo), hi)
            for slot in run[start:end]:
                y[slot] = level
            start = end


def spread(want: list[float], lo: float, hi: float, sep: float) -> list[float]:
    """Heights as near ``want`` as possible, in order, ``sep`` apart and within ``[lo, hi]``.

    Used for the points where streams meet a unit's side. If they do not fit, ``sep``
    shrinks so that they do.

    >>> spread([0.0, 1.0, 50.0], 0.0, 40.0, 8.0)
    [0.0, 8.0, 40.0]
    """
    n = len(want)
    if n == 0:
        return []
    sep = min(sep, (hi - lo) / max(n - 1, 1))
    fit = _isotonic([w - i * sep for i, w in enumerate(want)], [1.0] * n)
    top = hi - (n - 1) * sep
    return [min(max(z, lo), top) + i * sep for i, z in enumerate(fit)]


def _relax(lay: Layout, col: list[Hashable], y: dict[Hashable, float],
           height: Callable[[Hashable], float], gap: float,
           left: dict[Hashable, list[Hashable]], right: dict[Hashable, list[Hashable]],
           forward: bool | None) -> None:
    want, weight, offset = [], [], []
    index = {s: i for i, s in enumerate(col)}
    at = 0.0
    for i, slot in enumerate(col):
        if i:
            at += (height(col[i - 1]) + height(slot)) / 2 + gap
        offset.append(at)
        nbrs = left[slot] if forward else right[slot] if forward is False else []
        if forward is None or not nbrs:
            nbrs = left[slot] + right[slot]
        if slot in lay.lanes:
            owner = lay.lanes[slot]
            sign = -1 if i < index[owner] else 1
            want.append(y[owner] + sign * ((height(owner) + height(slot)) / 2 + gap))
            weight.append(4.0)
        elif nbrs:
            want.append(sum(y[s] for s in nbrs) / len(nbrs))
            weight.append(1.0 if lay.is_unit(slot) else 2.0)
        else:
            want.append(y[slot])
            weight.append(0.5)
    fit = _isotonic([w - o for w, o in zip(want, offset, strict=True)], weight)
    for slot, z, o in zip(col, fit, offset, strict=True):
        y[slot] = z + o


def ports(lay: Layout, y: dict[Hashable, float]
          ) -> tuple[dict[Hashable, list[Edge]], dict[Hashable, list[Edge]]]:
    """Streams leaving each unit on its right and entering it on its left, top to bottom.

    Streams to and from lanes above the unit come first, nearest lane outermost, so loops nest
    without crossing; then the others by the height of the slot they come from or go to;
    then the lanes below.
    """
    outs: dict[Hashable, list[tuple[int, float, Edge]]] = {}
    ins: dict[Hashable, list[tuple[int, float, Edge]]] = {}
    for edge, path in lay.paths.items():
        for unit, nxt, table in ((path[0], path[1], outs), (path[-1], path[-2], ins)):
            if lay.lanes.get(nxt) == unit:  # type: ignore[call-overload]
                key = (0 if y[nxt] < y[unit] else 2, -y[nxt], edge)
            else:
                key = (1, y[nxt], edge)
            table.setdefault(unit, []).append(key)
    return ({u: [k[2] for k in sorted(v, key=lambda t: t[:2])] for u, v in outs.items()},
            {u: [k[2] for k in sorted(v, key=lambda t: t[:2])] for u, v in ins.items()})


def route(lay: Layout, edge: Edge, y: dict[Hashable, float], left: list[float],
          right: list[float], start: tuple[float, float], end: tuple[float, float],
          reach: tuple[float, float], radius: float = 5.0) -> list[tuple]:
    """Path commands (``M``, ``L``, ``C``) of a stream from ``start`` to ``end``.

    ``left[c]`` and ``right[c]`` bound column ``c``. The stream crosses each waypoint's column
    level at the waypoint's height and bends between columns along an S-curve. A recycle first
    turns back beside its source, out by ``reach[0]`` to the right, and at its end turns into
    its target, out by ``reach[1]`` to the left, with corners of ``radius``.

    >>> import networkx as nx
    >>> lay = build_layout(nx.MultiDiGraph([("a", "b", "s")]))
    >>> route(lay, ("a", "b", "s"), {"a": 5, "b": 5}, [0, 30], [10, 40], (10, 5), (30, 5),
    ...       (0, 0))
    [('M', 10, 5), ('L', 10, 5), ('L', 30, 5), ('L', 30, 5)]
    """
    path = lay.paths[edge]
    back = lay.runs_back(edge)
    x, cy = right[lay.column_of[path[0]]], start[1]
    d: list[tuple] = [("M", *start), ("L", x, cy)]
    for i, point in enumerate(path[1:-1]):
        c, py = lay.column_of[point], y[point]
        if back:
            d += (_bracket(x, cy, x, py, reach[0], 1, radius) if i == 0
                  else _s_curve(x, cy, right[c], py))
            x, cy = left[c], py
        else:
            d += _s_curve(x, cy, left[c], py)
            x, cy = right[c], py
        d.append(("L", x, cy))
    if back:
        d += _bracket(x, cy, min(x, end[0]), end[1], reach[1], -1, radius)
    else:
        d += _s_curve(x, cy, min(left[lay.column_of[path[-1]]], end[0]), end[1])
    d.append(("L", *end))
    return d


def _s_curve(x0: float, y0: float, x1: float, y1: float) -> list[tuple]:
    if abs(y1 - y0) < 0.05:
        return [("L", x1, y1)]
    mid = (x0 + x1) / 2
    return [("C", mid, y0, mid, y1, x1, y1)]


def _bracket(x0: float, y0: float, x1: float, y1: float, reach: float, side: int,
             radius: float) -> list[tuple]:
    """From ``(x0, y0)`` out by ``reach`` to one side (+1 right), along, and to ``(x1, y1)``."""
    r = max(0.0, min(radius, reach, abs(y1 - y0) / 2))
    s = 1 if y1 > y0 else -1
    xo = max(x0, x1) + reach if side > 0 else min(x0, x1) - reach
    xr = xo - side * r
    k = 0.552 * r  # a cubic through a quarter circle
    return [("L", xr, y0), ("C", xr + side * k, y0, xo, y0 + s * (r - k), xo, y0 + s * r),
            ("L", xo, y1 - s * r), ("C", xo, y1 - s * (r - k), xr + side * k, y1, xr, y1),
            ("L", x1, y1)]
