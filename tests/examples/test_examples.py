"""Every example flowsheet solves, closes its balances, and matches its stored result.

The stored results (``*.expected.json``) were produced by this engine and checked by hand
against the flowsheet's intent (the design spec met, products in their expected ranges);
they pin the examples against unintended change.
"""

import json
from pathlib import Path

import numpy as np
import pytest

import flowsheet

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_matches_stored_result(path):
    expected = json.loads((Path(__file__).parent / f"{path.stem}.expected.json").read_text())
    fs = flowsheet.load(path)
    res = fs.solve()
    assert res.closure.worst < 1e-9
    for product, flows in expected["products"].items():
        got = res.port_stream(product, "in").flows
        want = np.array([flows[n] for n in fs.table.names])
        assert np.allclose(got, want, rtol=1e-6, atol=1e-9), product
    for got, want in zip(res.convergence.specs, expected["specs"], strict=True):
        for key, value in want.items():
            assert got["vary"][key] == pytest.approx(value, rel=1e-6)


def test_copper_example_figures():
    """The leach-EW example: 12 t/h cathode; copper extraction to cathode between the
    leach conversion (92 %) times typical CCD wash recovery and 100 %."""
    res = flowsheet.load(ROOT / "examples" / "copper_oxide_leach_ew.yaml").solve()
    cu_in = res.stream("ore->leach_mix").element_flows["Cu"]
    cu_cathode = res.stream("cells.cathode->cathode").element_flows["Cu"]
    assert cu_cathode == pytest.approx(12.0, rel=1e-8)
    assert 0.75 < cu_cathode / cu_in < 0.92
