"""Tests of the Sankey chart (flowsheet.sankey)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from spec_graphs import DATA, plant_graph, spec_graph

from flowsheet.errors import ExportError
from flowsheet.layout import recycle_edges
from flowsheet.sankey import draw_sankey

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def leach() -> nx.MultiDiGraph:
    return spec_graph(DATA / "leach_sx_ew.yaml")


def _page(graph: nx.MultiDiGraph, tmp_path: Path, **kw) -> tuple[str, ET.Element]:
    out = tmp_path / "flows.html"
    draw_sankey(graph, out, **kw)
    html = out.read_text(encoding="utf-8")
    svg = html[html.index("<svg"):html.index("</svg>") + len("</svg>")]
    return html, ET.fromstring(svg)


def _links(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-stream"): g for g in root.iter(f"{SVG}g")
            if "link" in g.get("class", "").split()}


def test_page_is_self_contained(leach, tmp_path):
    """The page has its title, an inline SVG, and no scripts, links or remote resources."""
    html, _ = _page(leach, tmp_path, title="Leach & SX")
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Leach &amp; SX</title>" in html
    assert "<script" not in html and "<link" not in html
    assert re.findall(r"https?://[^\"']+", html) == ["http://www.w3.org/2000/svg"]


def test_every_link_has_a_tooltip(leach, tmp_path):
    """Each stream is one link whose <title> reads 'stream: 123.4 t/h'."""
    _, root = _page(leach, tmp_path)
    links = _links(root)
    assert len(links) == leach.number_of_edges()
    for *_, d in leach.edges(keys=True, data=True):
        title = links[d["label"]].find(f"{SVG}title").text
        assert title.startswith(f"{d['label']}: {d['flow']:.1f} t/h")


def test_link_widths_are_proportional_to_flow(tmp_path):
    """Band width over flow is the same for every stream with a flow."""
    graph = nx.MultiDiGraph()
    graph.add_nodes_from([("a", {"type": "feed"}), ("m", {"type": "mixer"}),
                          ("p", {"type": "product"})])
    for name, src, dst, flow in [("s1", "a", "m", 30.0), ("s2", "m", "p", 90.0),
                                 ("s3", "a", "p", 10.0)]:
        graph.add_edge(src, dst, key=name, label=name, flow=flow)
    _, root = _page(graph, tmp_path)
    width = {n: float(g.find(f"{SVG}path").get("stroke-width")) for n, g in _links(root).items()}
    assert width["s2"] / width["s1"] == pytest.approx(3.0, rel=0.02)
    assert width["s1"] / width["s3"] == pytest.approx(3.0, rel=0.02)


def test_zero_and_unknown_flows_are_hairlines(tmp_path):
    """A zero flow is a solid hairline, an unknown flow a dashed one; tooltips say which."""
    graph = nx.MultiDiGraph()
    graph.add_nodes_from([("a", {"type": "feed"}), ("p", {"type": "product"})])
    graph.add_edge("a", "p", key="zero", label="zero", flow=0.0)
    graph.add_edge("a", "p", key="unknown", label="unknown")
    graph.add_edge("a", "p", key="some", label="some", flow=5.0)
    _, root = _page(graph, tmp_path, unit="kg/s")
    links = _links(root)
    for name in ("zero", "unknown"):
        assert "hairline" in links[name].get("class")
        assert links[name].find(f"{SVG}path").get("stroke-width") == "1"
    assert links["unknown"].find(f"{SVG}path").get("stroke-dasharray")
    assert links["zero"].find(f"{SVG}path").get("stroke-dasharray") is None
    assert links["zero"].find(f"{SVG}title").text == "zero: 0.0 kg/s"
    assert links["unknown"].find(f"{SVG}title").text == "unknown: flow not known"
    assert "hairline" not in links["some"].get("class")


def test_recycles_loop_back(leach, tmp_path):
    """Recycle links carry the class 'recycle' and are exactly the layout's recycles."""
    _, root = _page(leach, tmp_path)
    marked = {n for n, g in _links(root).items() if "recycle" in g.get("class").split()}
    assert marked == {leach.edges[e]["label"] for e in recycle_edges(leach)}


def test_feeds_left_products_right(leach, tmp_path):
    """Feed bars share the leftmost column and product bars the rightmost."""
    _, root = _page(leach, tmp_path)
    x = {}
    for g in root.iter(f"{SVG}g"):
        if "node" in g.get("class", "").split():
            d = g.find(f"{SVG}path").get("d")
            x[g.get("data-unit")] = float(re.match(r"M(-?[\d.]+)", d).group(1))
    kinds = nx.get_node_attributes(leach, "type")
    assert {x[n] for n, k in kinds.items() if k == "feed"} == {min(x.values())}
    assert {x[n] for n, k in kinds.items() if k == "product"} == {max(x.values())}


def test_png_is_written(leach, tmp_path):
    """The PNG format gives a non-empty PNG file."""
    out = tmp_path / "flows.png"
    draw_sankey(leach, out, title="flows")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_suffix_is_refused_and_nothing_written(leach, tmp_path):
    """An unsupported suffix raises ExportError and leaves the folder empty."""
    with pytest.raises(ExportError) as info:
        draw_sankey(leach, tmp_path / "flows.svg")
    assert str(info.value) == "cannot write a Sankey chart as '.svg': use .html or .png"
    assert list(tmp_path.iterdir()) == []


def test_large_plant(tmp_path):
    """The 828-unit plant gives a page with one link per stream, and a PNG."""
    graph = plant_graph()
    _, root = _page(graph, tmp_path)
    assert len(_links(root)) == graph.number_of_edges()
    draw_sankey(graph, tmp_path / "plant.png")
    assert (tmp_path / "plant.png").stat().st_size > 0
