"""The flowsheet as a graph: computation order, recycle blocks and tear streams.

:func:`blocks` returns the strongly connected components of the unit graph in
computation order (networkx), each a :class:`Block`. For a block with a recycle,
:func:`select_tears` picks a small set of streams whose removal leaves no cycle: a
feedback arc set from the greedy ordering of Eades, Lin and Smyth (Inf. Process. Lett. 47
(1993) 319-323), then pruned of any tear whose return creates no cycle. The units of the
block are then run in the topological order of the torn graph.

>>> import networkx as nx
>>> g = nx.MultiDiGraph([("f", "m", "a"), ("m", "s", "b"), ("s", "m", "c"), ("s", "p", "d")])
>>> [b.units for b in blocks(g)]
[['f'], ['m', 's'], ['p']]
>>> select_tears(g, ["m", "s"])
['c']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import networkx as nx

__all__ = ["Block", "blocks", "select_tears", "torn_order"]


@dataclass
class Block:
    """A strongly connected component: its units and whether it holds a recycle."""

    units: list[str]
    recycle: bool
    tears: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)


def blocks(graph: nx.MultiDiGraph) -> list[Block]:
    """Strongly connected components of ``graph`` in computation order."""
    cond = nx.condensation(graph)
    order = list(nx.lexicographical_topological_sort(
        cond, key=lambda c: min(_position(graph, u) for u in cond.nodes[c]["members"])))
    out = []
    for c in order:
        members = sorted(cond.nodes[c]["members"], key=lambda u: _position(graph, u))
        recycle = len(members) > 1 or graph.has_edge(members[0], members[0])
        out.append(Block(members, recycle))
    return out


def _position(graph: nx.MultiDiGraph, node: str) -> int:
    index = graph.graph.get("_index")
    if index is None:
        index = {n: i for i, n in enumerate(graph.nodes)}
        graph.graph["_index"] = index
    return index[node]


def _eades_order(sub: nx.DiGraph) -> list[str]:
    """A vertex sequence with few backward edges (Eades, Lin and Smyth 1993)."""
    g = sub.copy()
    left: list[str] = []
    right: list[str] = []
    while g.number_of_nodes():
        changed = True
        while changed:
            changed = False
            sinks = [n for n in g.nodes if g.out_degree(n) == 0]
            for n in sinks:
                right.append(n)
                g.remove_node(n)
                changed = True
            sources = [n for n in g.nodes if g.in_degree(n) == 0]
            for n in sources:
                left.append(n)
                g.remove_node(n)
                changed = True
        if g.number_of_nodes():
            best = max(g.nodes, key=lambda n: g.out_degree(n) - g.in_degree(n))
            left.append(best)
            g.remove_node(best)
    return left + right[::-1]


def select_tears(graph: nx.MultiDiGraph, units: Sequence[str],
                 preferred: Iterable[str] = ()) -> list[str]:
    """Stream names (edge keys) to tear so that ``units`` form no cycle.

    ``preferred`` tears (named by the user) are taken first.
    """
    sub = graph.subgraph(units)
    edges = [(u, v, k) for u, v, k in sub.edges(keys=True)]
    preferred = [k for k in preferred if any(e[2] == k for e in edges)]
    simple = nx.DiGraph()
    simple.add_nodes_from(units)
    simple.add_edges_from((u, v) for u, v, k in edges if k not in preferred)
    order = {n: i for i, n in enumerate(_eades_order(simple))}
    tears = list(preferred) + [k for u, v, k in edges
                               if k not in preferred and order[u] >= order[v]]
    # prune: put back any tear that does not close a cycle
    kept = nx.DiGraph()
    kept.add_nodes_from(units)
    kept.add_edges_from((u, v) for u, v, k in edges if k not in tears)
    final = []
    for u, v, k in edges:
        if k not in tears:
            continue
        if k in preferred or nx.has_path(kept, v, u):
            final.append(k)
        else:
            kept.add_edge(u, v)
    return final


def torn_order(graph: nx.MultiDiGraph, units: Sequence[str], tears: Iterable[str]) -> list[str]:
    """Topological order of ``units`` once the ``tears`` are removed."""
    tears = set(tears)
    g = nx.DiGraph()
    g.add_nodes_from(units)
    g.add_edges_from((u, v) for u, v, k in graph.subgraph(units).edges(keys=True)
                     if k not in tears)
    position = {n: i for i, n in enumerate(units)}
    return list(nx.lexicographical_topological_sort(g, key=position.__getitem__))
