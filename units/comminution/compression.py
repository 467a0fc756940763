r"""Breakage in a compressed particle bed: the population balance of high-pressure rolls.

Material entering the gap of high-pressure grinding rolls meets two zones (Schoenert,
1988; Torres and Casali, 2009):

1. **Pre-crushing.** Above the *critical size* :math:`x_c` -- where the bed starts to be
   compressed, a few times the working gap -- particles are nipped one by one and broken
   as single particles until they pass :math:`x_c`. This is Whiten's
   classification-breakage balance with every class coarser than :math:`x_c` broken
   (:func:`~units.comminution.breakage.whiten_crusher` with :math:`K_1 = K_2 = x_c`).
2. **Compression.** Below :math:`x_c` the bed is ground in plug flow. With first-order
   breakage whose rates are energy-normalised (Herbst and Fuerstenau, 1980), the
   product is the batch-grinding solution with the specific energy :math:`E` [kWh/t] in
   place of time:

   .. math:: \frac{dw_i}{dE} = -S^E_i w_i + \sum_{j<i} b_{ij} S^E_j w_j

   (:func:`~units.comminution.breakage.batch_grinding`), :math:`S^E_i` in t/kWh.

Near the roll edges the pressure is lower (the *edge effect*): a fraction :math:`f_e` of
the feed receives the share :math:`\theta_e` of the mean specific energy, and the centre
the rest, so that the two together use exactly :math:`E`:

.. math:: E_e = \theta_e E, \qquad E_c = E\,\frac{1 - f_e \theta_e}{1 - f_e}.

This is a reduced form of the Torres and Casali model: their radial discretisation of the
compression zone and the pressure profile across the roll width are lumped into the two
streams (centre and edge), and the critical size is a parameter rather than computed from
the roll diameter, gap and bulk densities. Fit :math:`S^E`, the breakage parameters,
:math:`x_c`, :math:`f_e` and :math:`\theta_e` to a pilot test or a survey.

Sources: Schoenert, K. (1988), "A first survey of grinding with high-compression roller
mills", Int. J. Miner. Process. 22, 401-412, doi:10.1016/0301-7516(88)90075-0; Herbst, J.
A. and Fuerstenau, D. W. (1980), "Scale-up procedure for continuous grinding mill design
using population balance models", Int. J. Miner. Process. 7, 1-31,
doi:10.1016/0301-7516(80)90034-4; Torres, M. and Casali, A. (2009), "A novel approach for
the modelling of high-pressure grinding rolls", Minerals Engineering 22, 1137-1146,
doi:10.1016/j.mineng.2009.05.007.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from flowsheet.sizes import SizeGrid
from units.comminution.breakage import batch_grinding, whiten_crusher

__all__ = ["bed_compression_product", "edge_and_centre_energy"]

Array = NDArray[np.float64]

#: Width of the pre-crushing classification step, relative to the critical size [-]:
#: every class whose midpoint is coarser than (1 + this) x_c is broken.
_STEP = 1e-9


def edge_and_centre_energy(energy: ArrayLike, edge_fraction: float, edge_energy: float
                           ) -> tuple[Array, Array]:
    r"""Specific energies at the roll edges and in the centre [kWh/t].

    :math:`E_e = \theta_e E` and :math:`E_c = E (1 - f_e\theta_e)/(1 - f_e)`, so that
    :math:`f_e E_e + (1 - f_e) E_c = E`.

    >>> e, c = edge_and_centre_energy(2.0, 0.2, 0.5)
    >>> float(e), float(c), 0.2 * float(e) + 0.8 * float(c)
    (1.0, 2.25, 2.0)
    """
    if not 0.0 <= edge_fraction < 1.0:
        raise ValueError(f"edge_fraction must be in [0, 1), got {edge_fraction}")
    if not 0.0 <= edge_energy <= 1.0:
        raise ValueError(f"edge_energy must be in [0, 1], got {edge_energy}")
    e = np.asarray(energy, dtype=float)
    return edge_energy * e, e * (1.0 - edge_fraction * edge_energy) / (1.0 - edge_fraction)


def bed_compression_product(feed: ArrayLike, grid: SizeGrid, selection_e: ArrayLike,
                            b: ArrayLike, energy: float, critical_size: float,
                            edge_fraction: float = 0.0, edge_energy: float = 0.5) -> Array:
    r"""Product of high-pressure rolls by pre-crushing and energy-normalised compression.

    Parameters
    ----------
    feed : array_like
        Feed size distribution or mass flows, shape ``(..., n)`` (one row per mineral).
    grid : SizeGrid
        The size grid [um].
    selection_e : array_like
        Energy-specific rates of breakage :math:`S^E_i` [t/kWh], shape ``(..., n)``.
    b : array_like
        Breakage matrix, shape ``(n, n)`` (for example
        :func:`~units.comminution.breakage.austin_breakage_matrix`).
    energy : float
        Mean specific energy applied to the bed [kWh/t], >= 0.
    critical_size : float
        Size above which particles are broken one by one before the bed forms [um].
    edge_fraction, edge_energy : float
        Share of the feed passing the roll edges, and the fraction of the mean specific
        energy it receives (see the module docstring).

    Returns
    -------
    ndarray
        Product in the units of ``feed``, same shape; mass is conserved.

    With one top size, no pre-crushing and no edge effect, the top class decays by the
    Herbst-Fuerstenau first-order law :math:`w_1 = w_1(0)\,e^{-S^E_1 E}`:

    >>> grid = SizeGrid([400, 100])
    >>> b = [[0, 0, 0], [0.6, 0, 0], [0.4, 1.0, 0]]
    >>> p = bed_compression_product([1.0, 0, 0], grid, [0.5, 0.2, 0], b, energy=2.0,
    ...                             critical_size=1000.0)
    >>> round(float(p[0]), 6) == round(float(np.exp(-1.0)), 6), round(float(p.sum()), 12)
    (True, 1.0)
    """
    if energy < 0 or not np.isfinite(energy):
        raise ValueError(f"energy must be a finite number >= 0 kWh/t, got {energy}")
    if critical_size <= 0:
        raise ValueError(f"critical_size must be > 0 um, got {critical_size}")
    f = np.asarray(feed, dtype=float)
    xc = float(critical_size)
    nipped = whiten_crusher(f, grid, xc, xc * (1.0 + _STEP), 1.0, b)
    e_edge, e_centre = edge_and_centre_energy(energy, edge_fraction, edge_energy)
    centre = batch_grinding(nipped, selection_e, b, float(e_centre))
    if edge_fraction == 0.0:
        return centre
    edge = batch_grinding(nipped, selection_e, b, float(e_edge))
    return (1.0 - edge_fraction) * centre + edge_fraction * edge
