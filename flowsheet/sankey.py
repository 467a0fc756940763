"""Sankey chart of a flowsheet: units as bars, streams as bands as wide as their flow.

:func:`draw_sankey` uses the same layered layout as the diagram (:mod:`flowsheet.layout`):
units stand in columns from the feeds on the left to the products on the right, with bar
heights proportional to the larger of their inflow and outflow; each stream is a band whose
width is proportional to its flow, and recycle streams loop back to the left in orange. A
stream with zero or unknown flow is a hairline (dashed when unknown).

``.html`` gives a self-contained page with an inline SVG (no scripts, no external files);
hovering over a band shows ``"stream: 123.4 t/h"``. ``.png`` draws the same geometry with
matplotlib.

>>> import tempfile, pathlib, networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_nodes_from([("ore", {"type": "feed"}), ("mill", {"type": "ball_mill"}),
...                   ("cyclone", {"type": "hydrocyclone"}), ("fines", {"type": "product"})])
>>> for u, v, flow in [("ore", "mill", 100.0), ("mill", "cyclone", 350.0),
...                    ("cyclone", "mill", 250.0), ("cyclone", "fines", 100.0)]:
...     _ = g.add_edge(u, v, key=f"{u}->{v}", label=f"{u}->{v}", flow=flow)
>>> out = pathlib.Path(tempfile.mkdtemp()) / "flows.html"
>>> draw_sankey(g, out, title="Grinding circuit")
>>> "<title>cyclone-&gt;mill: 250.0 t/h (recycle)</title>" in out.read_text()
True
"""

from __future__ import annotations

import math
import os
from collections.abc import Hashable
from html import escape

import networkx as nx

from flowsheet.atomic import atomic_write
from flowsheet.canvas import (
    FONT,
    Canvas,
    Group,
    Shape,
    Text,
    check_suffix,
    format_flow,
    save_png,
    text_width,
    to_svg,
)
from flowsheet.layout import Edge, Layout, as_multidigraph, build_layout, place, ports, route

__all__ = ["draw_sankey"]

_BAND, _RECYCLE, _HAIR = "#4a7fb5", "#e8590c", "#8a8a8a"
_BAR = {"feed": "#2f7d32", "product": "#1f4e8c", "unit": "#4d4d4d"}
_BAR_W, _GAP, _MARGIN, _NAME, _SMALL = 14.0, 10.0, 24.0, 11.0, 10.0
_BRIEF = 300  # above this many streams, bars are labelled with their names only


def _flow(data: dict) -> float | None:
    flow = data.get("flow")
    if flow is None:
        return None
    try:
        value = float(flow)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


class _Sankey:
    """Geometry of one chart: the flow scale, bar and band positions, and band paths."""

    def __init__(self, graph: nx.MultiDiGraph, top: float, unit: str) -> None:
        self.g, self.unit = graph, unit
        self.brief = graph.number_of_edges() > _BRIEF
        self.lay: Layout = build_layout(graph, sweeps=8 if graph.number_of_edges() < 2000 else 4)
        self.flow = {e: _flow(graph.edges[e]) for e in self.lay.paths}
        inflow = {n: 0.0 for n in graph.nodes}
        outflow = {n: 0.0 for n in graph.nodes}
        for (u, v, _), f in self.flow.items():
            outflow[u] += max(f or 0.0, 0.0)
            inflow[v] += max(f or 0.0, 0.0)
        self.through = {n: max(inflow[n], outflow[n]) for n in graph.nodes}
        self.scale = self._scale()
        self.width = {e: self._band(e) for e in self.lay.paths}
        y = place(self.lay, self._room, _GAP)
        self.y = {s: v + top for s, v in y.items()}
        self.bottom = max((self.y[s] + self._room(s) / 2 for s in self.y), default=top)
        label_w = max((self._label_width(n) for n in graph.nodes), default=0.0)
        back = [self.width[e] for e in self.lay.paths if self.lay.runs_back(e)]
        self.col_gap = max(150.0, label_w + 40.0, min(2.2 * max(back, default=0.0) + 20, 400.0))
        turn = [0.4 * self.col_gap + self.width[e] / 2 for e in self.lay.paths
                if self.lay.runs_back(e) and self.lay.column_of[e[1]] == 0]
        x0 = _MARGIN + max(turn, default=0.0)  # room for loops into the first column
        self.left = [x0 + c * (_BAR_W + self.col_gap) for c in range(len(self.lay.columns))]
        self.right = [x + _BAR_W for x in self.left]
        self.right_edge = (self.right[-1] if self.right else _MARGIN) + label_w + 12 + _MARGIN
        self._ports()

    def _scale(self) -> float:
        """Pixels per unit of flow, so that the fullest column is about 500-1500 px tall."""
        lay = self.lay
        total, count = [], []
        for col in lay.columns:
            f = sum(self.through[s] if lay.is_unit(s) else max(self.flow[s.edge] or 0.0, 0.0)
                    for s in col)
            total.append(f)
            count.append(len(col))
        target = max(500.0, min(1500.0, 30.0 * max(count, default=1)))
        room = [(target - _GAP * (n - 1) - 3 * n, f) for n, f in zip(count, total, strict=True)]
        scales = [r / f for r, f in room if f > 0 and r > 0]
        return min(scales) if scales else 1.0

    def _band(self, edge: Edge) -> float:
        f = self.flow[edge]
        return max(f * self.scale, 1.0) if f and f > 0 else 1.0

    def _height(self, slot: Hashable) -> float:
        if self.lay.is_unit(slot):
            return max(self.through[slot] * self.scale, 3.0)
        return self.width[slot.edge]

    def _label_width(self, node: Hashable) -> float:
        if self.brief:
            return text_width(str(node), _SMALL)
        return max(1.1 * text_width(str(node), _NAME),
                   text_width(self._through_text(node), _SMALL))

    def _room(self, slot: Hashable) -> float:
        """Height a slot takes in its column: a bar leaves room for its label."""
        if self.lay.is_unit(slot):
            return max(self._height(slot), 14.0 if self.brief else 28.0)
        return self._height(slot)

    def _through_text(self, node: Hashable) -> str:
        return format_flow(self.through[node], self.unit)

    def _ports(self) -> None:
        """Stack the bands leaving and entering each bar, centred on it."""
        outs, ins = ports(self.lay, self.y)
        self.out_y: dict[Edge, float] = {}
        self.in_y: dict[Edge, float] = {}
        for order, heights in ((outs, self.out_y), (ins, self.in_y)):
            for node, edges in order.items():
                y = self.y[node] - sum(self.width[e] for e in edges) / 2
                for e in edges:
                    heights[e] = y + self.width[e] / 2
                    y += self.width[e]

    def path(self, edge: Edge) -> list[tuple]:
        u, v, _ = edge
        yo, yi = self.out_y[edge], self.in_y[edge]
        cu, cv = self.lay.column_of[u], self.lay.column_of[v]
        reach = [0.0, 0.0]
        if self.lay.runs_back(edge):
            path = self.lay.paths[edge]
            for i, (port, lane) in enumerate(((yo, path[1]), (yi, path[-2]))):
                turn = abs(self.y[lane] - port) / 2
                reach[i] = min(max(turn, self.width[edge] / 2 + 2), self.col_gap * 0.4)
        return route(self.lay, edge, self.y, self.left, self.right, (self.right[cu], yo),
                     (self.left[cv], yi), (reach[0], reach[1]), radius=max(reach))

    def bar(self, node: Hashable) -> Group:
        kind = self.g.nodes[node].get("type")
        kind = kind if kind in _BAR else "unit"
        h = self._height(node)
        c = self.lay.column_of[node]
        x, top = self.left[c], self.y[node] - h / 2
        rect = [("M", x, top), ("L", x + _BAR_W, top), ("L", x + _BAR_W, top + h),
                ("L", x, top + h), ("Z",)]
        utype = str(self.g.nodes[node].get("type") or "unit")
        tx, ty = self.right[c] + 6, self.y[node]
        items: list[Shape | Text | Group] = [Shape(rect, fill=_BAR[kind])]
        if self.brief:
            items.append(Text(tx, ty + 4, str(node), _SMALL, anchor="start", halo=True))
        else:
            items += [Text(tx, ty - 1, str(node), _NAME, bold=True, anchor="start", halo=True),
                      Text(tx, ty + 11, self._through_text(node), _SMALL, color="#444444",
                           anchor="start", halo=True)]
        return Group(items, cls=f"node {kind}",
                     title=f"{node} ({utype}): {self._through_text(node)}",
                     attrs={"data-unit": str(node)})

    def band(self, edge: Edge) -> Group:
        data = self.g.edges[edge]
        name = str(data.get("label") or edge[2])
        flow = self.flow[edge]
        recycle = edge in self.lay.recycles
        hair = not (flow and flow > 0)
        color = _RECYCLE if recycle else _HAIR if hair else _BAND
        shape = Shape(self.path(edge), stroke=color, width=self.width[edge],
                      opacity=1.0 if hair else 0.5,
                      dash=(4.0, 3.0) if flow is None else None)
        text = f"{name}: {format_flow(flow, self.unit)}" + (" (recycle)" if recycle else "")
        cls = "link" + (" recycle" if recycle else "") + (" hairline" if hair else "")
        return Group([shape], cls=cls, title=text, attrs={"data-stream": name})


def _legend(x: float, y: float, scale: float, unit: str) -> tuple[Group, float]:
    items: list[Shape | Text | Group] = []
    for kind in ("feed", "unit", "product"):
        items += [Shape([("M", x, y), ("L", x + 10, y), ("L", x + 10, y + 16), ("L", x, y + 16),
                         ("Z",)], fill=_BAR[kind]),
                  Text(x + 16, y + 12, kind, _SMALL, anchor="start")]
        x += 24 + text_width(kind, _SMALL) + 12
    per = 10.0 / scale
    for color, width, dash, label in (
            (_BAND, 10.0, None, f"stream (10 px = {format_flow(per, unit)})"),
            (_RECYCLE, 10.0, None, "recycle stream"),
            (_HAIR, 1.0, None, "zero flow"), (_HAIR, 1.0, (4.0, 3.0), "flow not known")):
        items += [Shape([("M", x, y + 8), ("L", x + 30, y + 8)], stroke=color, width=width,
                        dash=dash, opacity=0.5 if width > 1 else 1.0),
                  Text(x + 36, y + 12, label, _SMALL, anchor="start")]
        x += 48 + text_width(label, _SMALL) + 12
    return Group(items, cls="legend"), x


def _canvas(graph: nx.MultiDiGraph, title: str | None, unit: str) -> Canvas:
    top = _MARGIN + (34.0 if title else 0.0)
    chart = _Sankey(graph, top, unit)
    legend, legend_w = _legend(_MARGIN, chart.bottom + 28, chart.scale, unit)
    canvas = Canvas(max(chart.right_edge, legend_w + _MARGIN), chart.bottom + 28 + 16 + _MARGIN)
    if title:
        canvas.items.append(Text(_MARGIN, _MARGIN + 18, title, 18, anchor="start", bold=True))
    bands = sorted(chart.lay.paths, key=lambda e: -chart.width[e])
    canvas.items += [chart.band(e) for e in bands]
    canvas.items += [chart.bar(n) for n in graph.nodes]
    canvas.items.append(legend)
    return canvas


def _html(canvas: Canvas, title: str | None) -> str:
    heading = escape(title or "Flowsheet Sankey chart")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{heading}</title>\n<style>\n"
        f"body {{ margin: 16px; font-family: {FONT}; color: #222; }}\n"
        "figure { margin: 0; overflow: auto; }\n"
        ".link:hover path { stroke-opacity: 0.85; }\n"
        "</style>\n</head>\n<body>\n<figure>\n"
        f"{to_svg(canvas, declaration=False)}"
        "</figure>\n<p>Band widths are proportional to flow; orange bands are recycle "
        "streams looping back. Hover over a band for its stream and flow.</p>\n"
        "</body>\n</html>\n"
    )


def draw_sankey(graph: nx.MultiDiGraph, path: str | os.PathLike, *, title: str | None = None,
                unit: str = "t/h") -> None:
    """Draw a Sankey chart of the stream flows and write it to ``path`` (``.html`` or ``.png``).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        Units as nodes with attribute ``type``; streams as edges ``(source, target, key)``
        with attributes ``label``, ``flow`` (None when not known) and ``tear``.
    path : str or os.PathLike
        Output file; the suffix chooses the format. Written atomically.
    title : str, optional
        Heading of the chart and of the HTML page.
    unit : str
        Unit of ``flow`` shown in labels and tooltips.

    Raises
    ------
    ExportError
        If the suffix is not ``.html`` or ``.png``, ``graph`` is not a directed networkx
        graph, or the file cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib, networkx as nx
    >>> g = nx.MultiDiGraph([("feed", "tank", "s1"), ("tank", "out", "s2")])
    >>> nx.set_edge_attributes(g, 12.5, "flow")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "s.png"
    >>> draw_sankey(g, out)
    >>> out.stat().st_size > 0
    True
    """
    suffix = check_suffix(path, (".html", ".png"), "Sankey chart")
    canvas = _canvas(as_multidigraph(graph), title, unit)
    if suffix == ".html":
        atomic_write(path, _html(canvas, title))
    else:
        save_png(canvas, path)
