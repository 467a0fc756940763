"""Tests of the flowsheet diagram (flowsheet.diagram) and the layered layout it shares."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from spec_graphs import DATA, plant_graph, spec_graph

from flowsheet.diagram import LABEL_LIMIT, draw_diagram
from flowsheet.errors import ExportError
from flowsheet.layout import layers, recycle_edges

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def leach() -> nx.MultiDiGraph:
    return spec_graph(DATA / "leach_sx_ew.yaml")


@pytest.fixture(scope="module")
def ccd() -> nx.MultiDiGraph:
    return spec_graph(DATA / "ccd_5.yaml")


def _svg(graph: nx.MultiDiGraph, tmp_path: Path, **kw) -> ET.Element:
    out = tmp_path / "d.svg"
    draw_diagram(graph, out, **kw)
    return ET.parse(out).getroot()


def _groups(root: ET.Element, cls: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if cls in g.get("class", "").split()]


def _bbox(d: str) -> tuple[float, float, float, float]:
    nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d)]
    xs, ys = nums[0::2], nums[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def test_svg_has_one_box_per_unit_and_one_arrow_per_stream(leach, tmp_path):
    """The SVG parses as XML; each unit is one group, each stream one line plus one head."""
    root = _svg(leach, tmp_path, title="Leach, SX & EW")
    units = _groups(root, "unit")
    streams = _groups(root, "stream")
    assert sorted(g.get("data-unit") for g in units) == sorted(leach.nodes)
    assert sorted(g.get("data-stream") for g in streams) == sorted(
        d["label"] for *_, d in leach.edges(keys=True, data=True))
    for g in streams:
        assert len(g.findall(f"{SVG}path")) == 2
    assert root.find(f"{SVG}text").text == "Leach, SX & EW"


def test_stream_labels_show_name_and_flow(ccd, tmp_path):
    """A stream is labelled with its name and its flow in t/h; an unknown flow is left out."""
    graph = ccd.copy()
    graph.edges["slurry", "mix1", "slurry->mix1"]["flow"] = 123.44
    graph.edges["wash", "mix5", "wash->mix5"]["flow"] = None
    root = _svg(graph, tmp_path)
    texts = {g.get("data-stream"): [t.text for t in g.iter(f"{SVG}text")]
             for g in _groups(root, "stream")}
    assert texts["slurry->mix1"] == ["slurry->mix1", "123.4 t/h"]
    assert texts["wash->mix5"] == ["wash->mix5"]


def test_recycles_are_the_ccd_overflows_and_are_marked(ccd, tmp_path):
    """In a CCD train the overflows running back a stage are the recycles, drawn dashed."""
    overflows = {f"thick{k + 1}.overflow->mix{k}" for k in range(1, 5)}
    assert {k for _, _, k in recycle_edges(ccd)} == overflows
    marked = _groups(_svg(ccd, tmp_path), "recycle")
    assert {g.get("data-stream") for g in marked} == overflows
    for g in marked:
        assert g.find(f"{SVG}path").get("stroke-dasharray")


def test_tear_streams_become_the_recycles(ccd):
    """Tear streams chosen by a solver are the recycles when they break every loop."""
    graph = ccd.copy()
    tears = {(f"thick{k}", f"mix{k + 1}", f"thick{k}.underflow->mix{k + 1}") for k in range(1, 5)}
    for edge in tears:
        graph.edges[edge]["tear"] = True
    assert recycle_edges(graph) == tears


def test_leach_recycles_are_the_returning_streams(leach):
    """Raffinate, electrolyte and organic returns are recycles; the main line runs forward."""
    names = {k for _, _, k in recycle_edges(leach)}
    assert {"raff_split.to_leach->leach_mix", "raff_split.to_wash->ccd_mix3",
            "ew_split.recirc->ew_mix", "org_mix->e2_mix"} <= names
    assert not names & {"ccd2.underflow->ccd_mix3", "ccd1.overflow->e1_mix", "e1.loaded->strip_mix"}


def test_parallel_trains_merge_forward():
    """Streams from parallel trains into one mixer are not recycles; only the loop back is."""
    graph = plant_graph(trains=3, stages=3)
    names = {k for _, _, k in recycle_edges(graph)}
    assert "pls_split.recycle->feed_mix" in names
    assert not any(n.endswith("->pls_mix") for n in names)


def test_layers_put_feeds_first_products_last_and_streams_forward(leach):
    """Feeds are in layer 0, products in the last layer, every other stream goes rightwards."""
    lay = layers(leach)
    kinds = nx.get_node_attributes(leach, "type")
    last = max(layer for layer, _ in lay.values())
    assert {lay[n][0] for n, k in kinds.items() if k == "feed"} == {0}
    assert {lay[n][0] for n, k in kinds.items() if k == "product"} == {last}
    back = recycle_edges(leach)
    for u, v, k in leach.edges(keys=True):
        if (u, v, k) not in back:
            assert lay[u][0] < lay[v][0]
    for layer in range(last + 1):
        orders = sorted(o for lyr, o in lay.values() if lyr == layer)
        assert orders == list(range(len(orders)))


def test_boxes_do_not_overlap(leach, tmp_path):
    """No two unit outlines share any area."""
    boxes = [_bbox(g.find(f"{SVG}path").get("d")) for g in _groups(_svg(leach, tmp_path), "unit")]
    for i, (ax0, ay0, ax1, ay1) in enumerate(boxes):
        for bx0, by0, bx1, by1 in boxes[i + 1:]:
            assert ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0


def test_text_is_xml_escaped(tmp_path):
    """Names with markup characters are escaped and come back unchanged."""
    graph = nx.MultiDiGraph()
    graph.add_node("ore <A&B>", type="feed")
    graph.add_node('tank "1"', type="mixer")
    graph.add_edge("ore <A&B>", 'tank "1"', key="s", label="a<b & 'c'", flow=1.0)
    root = _svg(graph, tmp_path)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "ore <A&B>" in texts and 'tank "1"' in texts and "a<b & 'c'" in texts


def test_png_is_written(ccd, tmp_path):
    """The PNG format gives a non-empty PNG file."""
    out = tmp_path / "ccd.png"
    draw_diagram(ccd, out, title="CCD")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("name", ["plant.pdf", "plant", "plant.html"])
def test_bad_suffix_is_refused_and_nothing_written(ccd, tmp_path, name):
    """An unsupported suffix raises ExportError and leaves the folder empty."""
    with pytest.raises(ExportError, match="cannot write a diagram .*: use .svg or .png"):
        draw_diagram(ccd, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_pdf_message(ccd, tmp_path):
    """The message names the suffix and the accepted ones."""
    with pytest.raises(ExportError) as info:
        draw_diagram(ccd, tmp_path / "plant.pdf")
    assert str(info.value) == "cannot write a diagram as '.pdf': use .svg or .png"


def test_not_a_graph_is_refused(tmp_path):
    """Anything but a directed networkx graph raises ExportError."""
    with pytest.raises(ExportError, match="MultiDiGraph"):
        draw_diagram({"a": "b"}, tmp_path / "d.svg")


def test_digraph_and_self_loop_are_drawn(tmp_path):
    """A plain DiGraph is accepted and a unit feeding itself is a recycle."""
    graph = nx.DiGraph([("feed", "tank"), ("tank", "tank"), ("tank", "out")])
    nx.set_node_attributes(graph, {"feed": "feed", "tank": "reactor", "out": "product"}, "type")
    root = _svg(graph, tmp_path)
    assert len(_groups(root, "stream")) == 3
    assert len(_groups(root, "recycle")) == 1


def test_empty_graph(tmp_path):
    """An empty flowsheet still gives a valid picture (title and legend)."""
    root = _svg(nx.MultiDiGraph(), tmp_path, title="nothing")
    assert _groups(root, "unit") == []


def test_large_plant_drops_stream_labels_and_says_so(tmp_path):
    """The 828-unit plant draws as SVG and PNG; above the limit a caption replaces labels."""
    graph = plant_graph()
    assert graph.number_of_nodes() == 828 and graph.number_of_edges() > LABEL_LIMIT
    root = _svg(graph, tmp_path)
    assert len(_groups(root, "unit")) == 828
    streams = _groups(root, "stream")
    assert len(streams) == graph.number_of_edges()
    assert all(g.find(f"{SVG}text") is None for g in streams)
    assert any("left out" in (t.text or "") for t in root.iter(f"{SVG}text"))
    draw_diagram(graph, tmp_path / "plant.png")
    assert (tmp_path / "plant.png").stat().st_size > 0
