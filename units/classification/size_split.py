r"""Splitting a stream by size: what every size classifier does with its partition curve.

A partition :math:`E_{s,i}` gives, for solid species ``s`` and size class ``i``, the
fraction of that class's mass that reports to the coarse product (underflow, oversize).
Everything that is not a solid particle -- water, dissolved species -- goes with the coarse
product in the fraction ``liquid_fraction``. Each species' flow is split exactly (the fine
product takes the remainder) and each product carries its own mineral-by-size matrix.

>>> from flowsheet.species import SpeciesTable
>>> from flowsheet.sizes import SizeGrid
>>> from flowsheet.stream import Stream
>>> t = SpeciesTable.from_declarations([{"name": "water"}, {"name": "quartz"}])
>>> g = SizeGrid([200, 100])
>>> feed = Stream(t, [50.0, 10.0], psd=np.array([[0.4, 0.6, 0.0]]), grid=g)
>>> coarse, fine = size_split(feed, np.array([[1.0, 0.5, 0.0]]), 0.2)
>>> coarse.flows.tolist(), fine.flows.tolist()
([10.0, 7.0], [40.0, 3.0])
>>> fine.psd.tolist()
[[0.0, 1.0, 0.0]]
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from flowsheet.stream import Stream
from units.comminution.size_reduction import normalised_rows

__all__ = ["size_split"]


def size_split(stream: Stream, partition: ArrayLike, liquid_fraction: float
               ) -> tuple[Stream, Stream]:
    """Split ``stream`` into its coarse and fine products.

    Parameters
    ----------
    stream : Stream
        The feed; it must carry a size distribution.
    partition : array_like
        Fraction of each solid species' class to the coarse product [-], shape
        ``(n_solids, n_classes)`` (or broadcastable to it), in [0, 1].
    liquid_fraction : float
        Fraction of every species that is not a solid to the coarse product [-].

    Returns
    -------
    tuple of Stream
        ``(coarse, fine)``; their flows add up to the feed's.
    """
    table = stream.table
    idx = table.solid_index
    rows = normalised_rows(stream.psd)
    E = np.clip(np.broadcast_to(np.asarray(partition, dtype=float), rows.shape), 0.0, 1.0)
    up = rows * E
    down = rows - up
    share = up.sum(axis=1)                             # fraction of each solid to coarse
    split = np.full(len(table), float(liquid_fraction))
    split[idx] = share
    coarse_flows = stream.flows * split
    fine_flows = stream.flows - coarse_flows
    fine_flows[idx] = np.maximum(fine_flows[idx], 0.0)
    coarse = stream.copy_with(flows=coarse_flows, psd=normalised_rows(up))
    fine = stream.copy_with(flows=fine_flows, psd=normalised_rows(down))
    return coarse, fine
