"""Flowsheet diagram: units as boxes in layers from feeds to products, streams as arrows.

:func:`draw_diagram` lays the graph out with :mod:`flowsheet.layout` and writes SVG (plain
text, self-contained) or PNG (matplotlib). Feeds are green arrow-shaped tags on the left,
products blue notched tags on the right, other units grey rounded boxes with their name and
type. Every stream is labelled with its name and, when known, its flow; recycle streams are
dashed, orange, and run back in lanes above or below the units they leave and enter. Above
:data:`LABEL_LIMIT` streams the stream labels and unit types are left out (the SVG keeps them
as hover tooltips) and a caption says so.

In the SVG every unit is a ``<g class="unit ...">`` and every stream a ``<g class="stream">``
holding one line and one arrowhead; recycle streams have the class ``stream recycle``.

>>> import tempfile, pathlib, networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_nodes_from([("ore", {"type": "feed"}), ("mill", {"type": "sag_mill"}),
...                   ("cyclone", {"type": "hydrocyclone"}), ("fines", {"type": "product"})])
>>> for u, v, flow in [("ore", "mill", 100.0), ("mill", "cyclone", 350.0),
...                    ("cyclone", "mill", 250.0), ("cyclone", "fines", 100.0)]:
...     _ = g.add_edge(u, v, key=f"{u}->{v}", label=f"{u}->{v}", flow=flow)
>>> out = pathlib.Path(tempfile.mkdtemp()) / "circuit.svg"
>>> draw_diagram(g, out, title="Grinding circuit")
>>> out.read_text().count('class="stream recycle"')
1
"""

from __future__ import annotations

import os
from collections.abc import Hashable

import networkx as nx

from flowsheet.canvas import (
    Canvas,
    Command,
    Group,
    Shape,
    Text,
    check_suffix,
    format_flow,
    polygon,
    rounded_rect,
    text_width,
    write_svg_or_png,
)
from flowsheet.layout import (
    Edge,
    Layout,
    as_multidigraph,
    build_layout,
    place,
    ports,
    route,
    spread,
)

__all__ = ["draw_diagram", "LABEL_LIMIT"]

LABEL_LIMIT = 300
"""Above this many streams the diagram drops stream labels and says so in a caption."""

_STREAM, _RECYCLE = "#3b3b3b", "#d9480f"
_STYLE = {  # fill, stroke
    "feed": ("#e3f4e1", "#2f7d32"),
    "product": ("#e1ebf7", "#1f4e8c"),
    "unit": ("#f4f4f4", "#4d4d4d"),
}
_BOX_H, _TIP, _NAME, _SMALL = 40.0, 10.0, 12.0, 10.0
_ARROW, _LANE_H, _LABEL_H, _GAP, _COL_GAP, _MARGIN = 8.0, 6.0, 30.0, 12.0, 48.0, 24.0
_MAX_LABEL = 34


def _kind(graph: nx.MultiDiGraph, node: Hashable) -> str:
    kind = graph.nodes[node].get("type")
    return kind if kind in ("feed", "product") else "unit"


def _short(text: str) -> str:
    return text if len(text) <= _MAX_LABEL else text[: _MAX_LABEL - 1] + "\u2026"


class _Diagram:
    """Geometry of one drawing: slot sizes, column positions, ports and stream routes."""

    def __init__(self, graph: nx.MultiDiGraph, labels: bool, top: float) -> None:
        self.g = graph
        self.labels = labels
        self.lay: Layout = build_layout(graph, label_columns=labels,
                                        sweeps=8 if graph.number_of_edges() < 2000 else 4)
        self.size: dict[Hashable, tuple[float, float]] = {}
        for col in self.lay.columns:
            for slot in col:
                self.size[slot] = self._slot_size(slot)
        placed = place(self.lay, lambda s: self.size[s][1], _GAP)
        self.y = {s: v + top for s, v in placed.items()}
        self.left: list[float] = []
        self.right: list[float] = []
        x = _MARGIN
        for col in self.lay.columns:
            width = max((self.size[s][0] for s in col), default=10.0)
            self.left.append(x)
            self.right.append(x + width)
            x += width + _COL_GAP
        self.width = x - _COL_GAP + _MARGIN
        self.bottom = max((self.y[s] + self.size[s][1] / 2 for s in self.y), default=top)
        self._ports()

    def _slot_size(self, slot: Hashable) -> tuple[float, float]:
        if self.lay.is_unit(slot):
            name, kind = str(slot), str(self.g.nodes[slot].get("type", ""))
            ports = max(self.g.in_degree(slot), self.g.out_degree(slot))
            width = max(84.0, 1.1 * text_width(name, _NAME) + 20,
                        text_width(kind, _SMALL) + 20)
            if _kind(self.g, slot) != "unit":
                width += _TIP
            return width, max(_BOX_H, 9.0 * (ports + 1))
        if self.labels and self.lay.label_slot.get(slot.edge) == slot:
            data = self.g.edges[slot.edge]
            text = _short(str(data.get("label") or slot.edge[2]))
            flow = format_flow(data.get("flow")) if data.get("flow") is not None else ""
            return max(text_width(text, _SMALL), text_width(flow, _SMALL)) + 12, _LABEL_H
        return 10.0, _LANE_H

    def box(self, node: Hashable) -> tuple[float, float, float, float]:
        """Left, top, width and height of a unit's box."""
        c = self.lay.column_of[node]
        w, h = self.size[node]
        x = (self.left[c] + self.right[c] - w) / 2
        return x, self.y[node] - h / 2, w, h

    def edge_x(self, node: Hashable, y: float, side: int) -> float:
        """x where a stream meets the outline of ``node`` at height ``y`` (-1 left, +1 right)."""
        x, top, w, h = self.box(node)
        depth = 1 - abs(y - (top + h / 2)) / (h / 2)
        kind = _kind(self.g, node)
        if side > 0:
            return x + w - (_TIP * (1 - depth) if kind == "feed" else 0.0)
        return x + (_TIP * depth if kind == "product" else 0.0)

    def _ports(self) -> None:
        """Heights where streams meet units, and how far each recycle's turn reaches out."""
        lay, y = self.lay, self.y
        outs, ins = ports(lay, y)
        self.out_y: dict[Edge, float] = {}
        self.in_y: dict[Edge, float] = {}
        for order, heights, at in ((outs, self.out_y, 1), (ins, self.in_y, -2)):
            for node, edges in order.items():
                _, top, _, h = self.box(node)
                want = [y[lay.paths[e][at]] for e in edges]
                heights.update(zip(edges, spread(want, top + 6, top + h - 6, 9.0), strict=True))
        self.hook: dict[tuple[Edge, int], float] = {}
        for side, table in ((1, self.out_y), (-1, self.in_y)):
            spans: dict[int, list[tuple[float, float, Edge]]] = {}
            for edge, port in table.items():
                if lay.runs_back(edge):
                    lane = lay.paths[edge][1 if side > 0 else -2]
                    lo, hi = sorted((port, y[lane]))
                    spans.setdefault(lay.column_of[lane], []).append((lo, hi, edge))
            for items in spans.values():
                items.sort(key=lambda t: t[1] - t[0])
                placed: list[tuple[float, float, int]] = []
                for lo, hi, edge in items:
                    track = 1 + max((t for a, b, t in placed if a <= hi and lo <= b), default=-1)
                    placed.append((lo, hi, track))
                    self.hook[edge, side] = min(8.0 + 5.0 * track, _COL_GAP / 2 - 3)

    def route(self, edge: Edge) -> list[Command]:
        """Path of a stream from its source's outline to the base of its arrowhead."""
        u, v, _ = edge
        yo, yi = self.out_y[edge], self.in_y[edge]
        reach = (self.hook.get((edge, 1), 0.0), self.hook.get((edge, -1), 0.0))
        return route(self.lay, edge, self.y, self.left, self.right, (self.edge_x(u, yo, 1), yo),
                     (self.edge_x(v, yi, -1) - _ARROW + 1, yi), reach)


def _unit_group(dia: _Diagram, node: Hashable) -> Group:
    x, top, w, h = dia.box(node)
    kind = _kind(dia.g, node)
    fill, stroke = _STYLE[kind]
    if kind == "feed":
        shape = polygon([(x, top), (x + w - _TIP, top), (x + w, top + h / 2),
                         (x + w - _TIP, top + h), (x, top + h)])
    elif kind == "product":
        shape = polygon([(x, top), (x + w, top), (x + w, top + h), (x, top + h),
                         (x + _TIP, top + h / 2)])
    else:
        shape = rounded_rect(x, top, w, h, 6)
    utype = str(dia.g.nodes[node].get("type") or "")
    cx = x + w / 2 + (-_TIP / 2 if kind == "feed" else _TIP / 2 if kind == "product" else 0)
    mid = top + h / 2
    items: list[Shape | Text | Group] = [Shape(shape, fill=fill, stroke=stroke, width=1.4)]
    two = bool(utype) and dia.labels
    items.append(Text(cx, mid - 2 if two else mid + 4, str(node), _NAME, bold=True))
    if utype and dia.labels:
        items.append(Text(cx, mid + 12, utype, _SMALL, color="#666666", italic=True))
    return Group(items, cls=f"unit {kind}", title=f"{node} ({utype or 'unit'})",
                 attrs={"data-unit": str(node)})


def _stream_group(dia: _Diagram, edge: Edge) -> Group:
    data = dia.g.edges[edge]
    recycle = edge in dia.lay.recycles
    color = _RECYCLE if recycle else _STREAM
    name = str(data.get("label") or edge[2])
    flow = data.get("flow")
    line = Shape(dia.route(edge), stroke=color, width=1.6 if recycle else 1.3,
                 dash=(6.0, 4.0) if recycle else None)
    yi = dia.in_y[edge]
    tip = dia.edge_x(edge[1], yi, -1)
    head = Shape(polygon([(tip, yi), (tip - _ARROW, yi - 3.5), (tip - _ARROW, yi + 3.5)]),
                 fill=color)
    items: list[Shape | Text | Group] = [line, head]
    slot = dia.lay.label_slot.get(edge) if dia.labels else None
    if slot is not None:
        c = dia.lay.column_of[slot]
        cx, cy = (dia.left[c] + dia.right[c]) / 2, dia.y[slot]
        items.append(Text(cx, cy - 4, _short(name), _SMALL, color=color if recycle else "#222222"))
        if flow is not None:
            items.append(Text(cx, cy + 12, format_flow(flow), _SMALL, color="#1a5fb4"))
    tip_text = f"{name}: {format_flow(flow)}" + (" (recycle)" if recycle else "")
    return Group(items, cls="stream recycle" if recycle else "stream", title=tip_text,
                 attrs={"data-stream": name})


def _legend(x: float, y: float) -> tuple[Group, float]:
    items: list[Shape | Text | Group] = []
    for kind, label in (("feed", "feed"), ("unit", "unit"), ("product", "product")):
        fill, stroke = _STYLE[kind]
        if kind == "feed":
            shape = polygon([(x, y), (x + 26, y), (x + 32, y + 8), (x + 26, y + 16), (x, y + 16)])
        elif kind == "product":
            shape = polygon([(x, y), (x + 32, y), (x + 32, y + 16), (x, y + 16), (x + 6, y + 8)])
        else:
            shape = rounded_rect(x, y, 32, 16, 4)
        items += [Shape(shape, fill=fill, stroke=stroke, width=1.2),
                  Text(x + 38, y + 12, label, _SMALL, anchor="start")]
        x += 44 + text_width(label, _SMALL) + 14
    for color, dash, label in ((_STREAM, None, "stream: name / flow"),
                               (_RECYCLE, (6.0, 4.0), "recycle (tear) stream")):
        items += [Shape([("M", x, y + 8), ("L", x + 34, y + 8)], stroke=color, width=1.5,
                        dash=dash),
                  Shape(polygon([(x + 42, y + 8), (x + 34, y + 4.5), (x + 34, y + 11.5)]),
                        fill=color),
                  Text(x + 48, y + 12, label, _SMALL, anchor="start")]
        x += 54 + text_width(label, _SMALL) + 14
    return Group(items, cls="legend"), x


def draw_diagram(graph: nx.MultiDiGraph, path: str | os.PathLike, *,
                 title: str | None = None) -> None:
    """Draw a flowsheet graph left to right and write it to ``path`` (``.svg`` or ``.png``).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        Units as nodes with attribute ``type``; streams as edges ``(source, target, key)``
        with attributes ``label``, ``flow`` [t/h] (None when not solved), ``src_port``,
        ``dst_port`` and ``tear`` (a recycle stream chosen by the solver).
    path : str or os.PathLike
        Output file; the suffix chooses the format. Written atomically.
    title : str, optional
        Heading drawn above the diagram.

    Raises
    ------
    ExportError
        If the suffix is not ``.svg`` or ``.png``, ``graph`` is not a directed networkx
        graph, or the file cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib, networkx as nx
    >>> g = nx.MultiDiGraph([("feed", "tank", "s1"), ("tank", "out", "s2")])
    >>> nx.set_node_attributes(g, {"feed": "feed", "tank": "mixer", "out": "product"}, "type")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "d.png"
    >>> draw_diagram(g, out)
    >>> out.stat().st_size > 0
    True
    """
    suffix = check_suffix(path, (".svg", ".png"), "diagram")
    graph = as_multidigraph(graph)
    labels = graph.number_of_edges() <= LABEL_LIMIT
    top = _MARGIN + (34.0 if title else 0.0)
    dia = _Diagram(graph, labels, top)
    legend, legend_w = _legend(_MARGIN, dia.bottom + 26)
    caption = None if labels else (
        f"{graph.number_of_edges()} streams: stream labels and unit types are left out above "
        f"{LABEL_LIMIT} streams (in the SVG, hover over a stream or unit for them)")
    height = dia.bottom + 26 + 16 + (24 if caption else 0) + _MARGIN
    canvas = Canvas(max(dia.width, legend_w + _MARGIN), height)
    if title:
        canvas.items.append(Text(_MARGIN, _MARGIN + 18, title, 18, anchor="start", bold=True))
    canvas.items += [_stream_group(dia, e) for e in dia.lay.paths]
    canvas.items += [_unit_group(dia, n) for n in graph.nodes]
    canvas.items.append(legend)
    if caption:
        canvas.items.append(Text(_MARGIN, height - _MARGIN, caption, 11, color="#555555",
                                 anchor="start", italic=True))
    write_svg_or_png(canvas, path, suffix)
