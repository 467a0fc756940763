"""Build drawing-test graphs from the benchmark flowsheet specs (PyYAML, no solver).

Streams are named ``unit.port->unit`` as in the results files, and get made-up flows: a
deterministic number per stream, so pictures show labels with values.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import yaml

__all__ = ["DATA", "SPECS", "spec_graph"]

DATA = Path(__file__).parent / "data"
SPECS = Path("/work/shared/bench/specs")


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
