"""Tests of the figures in :mod:`flowsheet.plots`."""

from __future__ import annotations

import pytest

from flowsheet.errors import SchemaError
from flowsheet.plots import psd_plot
from flowsheet.sizes import SizeGrid, gates_gaudin_schuhmann, rosin_rammler


def test_psd_plot_writes_a_png_and_no_temporary_file(tmp_path):
    """psd_plot writes a non-empty PNG (by its signature) and leaves nothing else behind."""
    g = SizeGrid.default()
    out = tmp_path / "figs" / "psd.png"
    psd_plot(g, {"feed": rosin_rammler(g, 3000.0, 0.8),
                 "product": gates_gaudin_schuhmann(g, 150.0, 0.7)},
             out, title="Feed and product", mark=(50, 80))
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in out.parent.iterdir()] == ["psd.png"]


def test_psd_plot_failure_leaves_no_file(tmp_path):
    """A curve of the wrong shape raises SchemaError and writes nothing."""
    g = SizeGrid([200, 100])
    with pytest.raises(SchemaError):
        psd_plot(g, {"bad": [[0.2, 0.3, 0.5]]}, tmp_path / "psd.png")
    assert list(tmp_path.iterdir()) == []
