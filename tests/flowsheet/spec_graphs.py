"""Build drawing-test graphs from the benchmark flowsheet specs (PyYAML, no solver).

Streams are named ``unit.port->unit`` as in the results files, and get made-up flows: a
deterministic number per stream, so pictures show labels with values.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import yaml

__all__ = ["DATA", "spec_graph", "plant_graph"]

DATA = Path(__file__).parent / "data"


def spec_graph(path: Path, *, flows: bool = True) -> nx.MultiDiGraph:
    """Return the graph of a spec file: units with ``type``, streams with label and flow.

    >>> g = spec_graph(DATA / "ccd_5.yaml")
    >>> g.number_of_nodes(), g.number_of_edges()
    (14, 17)
    """
    spec = yaml.safe_load(Path(path).read_text())
    graph = nx.MultiDiGraph()
    for name, unit in spec["units"].items():
        graph.add_node(name, type=unit["type"])
    for i, stream in enumerate(spec["streams"]):
        src, _, port = str(stream["from"]).partition(".")
        dst, _, dst_port = str(stream["to"]).partition(".")
        name = stream.get("name") or f"{stream['from']}->{stream['to']}"
        flow = round(10 + (37.3 * (i + 1)) % 180, 1) if flows else None
        graph.add_edge(src, dst, key=name, label=name, flow=flow, src_port=port or None,
                       dst_port=dst_port or None)
    return graph


def plant_graph(trains: int = 20, stages: int = 20) -> nx.MultiDiGraph:
    """The layout of the ``plant_400`` benchmark: parallel CCD trains and a plant-wide recycle.

    With the defaults it has 828 units, like the benchmark file.

    >>> plant_graph().number_of_nodes()
    828
    """
    graph = nx.MultiDiGraph()

    def unit(name: str, kind: str) -> None:
        graph.add_node(name, type=kind)

    def stream(src: str, dst: str, port: str | None = None, flow: float = 50.0) -> None:
        name = f"{src}.{port}->{dst}" if port else f"{src}->{dst}"
        graph.add_edge(src, dst, key=name, label=name, flow=flow, src_port=port, dst_port=None)

    for name, kind in [("ore_slurry", "feed"), ("feed_mix", "mixer"),
                       ("distributor", "splitter"), ("pls_mix", "mixer"),
                       ("residue_mix", "mixer"), ("pls_split", "splitter"), ("pls", "product"),
                       ("residue", "product")]:
        unit(name, kind)
    stream("ore_slurry", "feed_mix", flow=3320.0)
    stream("feed_mix", "distributor", flow=3600.0)
    for t in range(1, trains + 1):
        unit(f"t{t}_wash", "feed")
        for s in range(1, stages + 1):
            unit(f"t{t}_mix{s}", "mixer")
            unit(f"t{t}_thick{s}", "separator")
            stream(f"t{t}_mix{s}", f"t{t}_thick{s}")
            if s < stages:
                stream(f"t{t}_thick{s}", f"t{t}_mix{s + 1}", "underflow")
            if s > 1:
                stream(f"t{t}_thick{s}", f"t{t}_mix{s - 1}", "overflow")
        stream("distributor", f"t{t}_mix1", f"t{t}")
        stream(f"t{t}_wash", f"t{t}_mix{stages}")
        stream(f"t{t}_thick1", "pls_mix", "overflow")
        stream(f"t{t}_thick{stages}", "residue_mix", "underflow")
    stream("pls_mix", "pls_split")
    stream("pls_split", "feed_mix", "recycle")
    stream("pls_split", "pls", "product")
    stream("residue_mix", "residue")
    return graph
