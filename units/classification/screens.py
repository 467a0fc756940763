r"""Screen partition curves: Gaudin's probability of passage and an efficiency-curve form.

A particle meets a square-mesh screen many times on its way along the deck. At each meeting
(a *trial*) it passes if its centre falls far enough from every wire; Gaudin (1939) wrote the
chance of that as a ratio of areas. After ``n`` independent trials the particle is still on
the deck, and reports to the oversize, with probability :math:`(1 - p)^n`. Plant screens are
also described directly by an efficiency curve with a cut size and a sharpness, as cyclones
are; Whiten's curve is used for that in the JKMRC models (Napier-Munn et al., 1996).

Sizes may be in any one length unit, the same for every argument (um in the flowsheet). The
functions are pure functions of floats or numpy arrays, broadcast together, built from
arithmetic and numpy ufuncs; accepted ranges are data (:data:`SCREEN_RANGES`).

>>> float(screen_passage_probability(0.5, 1.0))
0.25
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from units.classification.efficiency import ValidRange, whiten_efficiency

__all__ = ["SCREEN_RANGES", "screen_passage_probability", "screen_partition",
           "screen_efficiency_curve"]

FloatOrArray = float | NDArray[np.float64]

#: Accepted ranges of the arguments of the screen functions. ``d``, ``aperture``, ``wire``
#: and ``d50`` share one length unit (um in the flowsheet).
SCREEN_RANGES: dict[str, ValidRange] = {
    "d": ValidRange(0.0, math.inf, high_open=True),
    "aperture": ValidRange(0.0, math.inf, low_open=True, high_open=True),
    "wire": ValidRange(0.0, math.inf, high_open=True),
    "trials": ValidRange(0.0, 1e6),
    "d50": ValidRange(0.0, math.inf, low_open=True, high_open=True),
    "alpha": ValidRange(0.0, 50.0, low_open=True),
}


def _check(**values: ArrayLike) -> None:
    for name, value in values.items():
        SCREEN_RANGES[name].check(name, value)


def screen_passage_probability(d: ArrayLike, aperture: ArrayLike,
                               wire: ArrayLike = 0.0) -> FloatOrArray:
    r"""Probability that a sphere of size ``d`` passes a square mesh in one trial.

    A sphere meeting the mesh squarely passes an aperture of side :math:`h` if its centre
    falls inside the central square of side :math:`h - d`. Over the apertures alone this is
    Gaudin's probability of passage; over a whole mesh cell of pitch :math:`h + w` (wire of
    diameter :math:`w`) the same ratio of areas is

    .. math::

        p = \left(\frac{\max(h - d,\ 0)}{h + w}\right)^2
          = \left(1 - \frac{d}{h}\right)^2 \left(\frac{h}{h + w}\right)^2
          \quad (d < h),

    the thin-wire probability times the open-area fraction of the mesh. Particles as large
    as the aperture never pass.

    Parameters
    ----------
    d : float or array_like
        Particle size [um, or the unit of ``aperture``], in [0, inf).
    aperture : float or array_like
        Side of the square aperture, h [same unit], in (0, inf).
    wire : float or array_like, optional
        Wire diameter, w [same unit], in [0, inf); 0 (default) counts trials on the
        apertures only, as Gaudin's form does.

    Returns
    -------
    float or numpy.ndarray
        p [-], in [0, 1], in the broadcast shape of the arguments.

    Raises
    ------
    SchemaError
        An argument outside its range in :data:`SCREEN_RANGES`.

    References
    ----------
    .. [1] Gaudin, A.M., 1939. Principles of Mineral Dressing. McGraw-Hill, New York.
    .. [2] The Society of Powder Technology, Japan. Powderpedia: "probability of particles
       passage", https://sptj.jp/powderpedia/words/12485

    Examples
    --------
    Gaudin's form: a particle of half the aperture passes one time in four, one of 0.9
    aperture one time in a hundred (so it needs a hundred trials on average):

    >>> screen_passage_probability([0.5, 0.9, 1.0, 2.0], 1.0).round(12).tolist()
    [0.25, 0.01, 0.0, 0.0]

    A mesh of wire as thick as the aperture is open over a quarter of its area, the limit
    for fine particles:

    >>> float(screen_passage_probability(0.0, 1.0, wire=1.0))
    0.25
    """
    _check(d=d, aperture=aperture, wire=wire)
    h = np.asarray(aperture, dtype=float)
    gap = np.maximum(h - np.asarray(d, dtype=float), 0.0)
    return ((gap / (h + np.asarray(wire, dtype=float))) ** 2)[()]


def screen_partition(d: ArrayLike, aperture: ArrayLike, trials: ArrayLike,
                     wire: ArrayLike = 0.0) -> FloatOrArray:
    r"""Fraction of each size reporting to the oversize after ``trials`` trials (Gaudin).

    Each trial is independent with the probability of passage :math:`p` of
    :func:`screen_passage_probability`; a particle stays on the deck only if it fails every
    one, so

    .. math::

        E_{oversize} = (1 - p)^n, \qquad E_{undersize} = 1 - (1 - p)^n.

    :math:`n` may be fractional, as an effective number of trials fitted to a screen.

    Parameters
    ----------
    d : float or array_like
        Particle size [um, or the unit of ``aperture``], in [0, inf).
    aperture : float or array_like
        Side of the square aperture [same unit], in (0, inf).
    trials : float or array_like
        Number of trials n [-], in [0, 1e6].
    wire : float or array_like, optional
        Wire diameter [same unit], in [0, inf).

    Returns
    -------
    float or numpy.ndarray
        Fraction to the oversize [-], in [0, 1]; 1 for particles as large as the aperture.

    Raises
    ------
    SchemaError
        An argument outside its range in :data:`SCREEN_RANGES`.

    References
    ----------
    .. [1] Gaudin, A.M., 1939. Principles of Mineral Dressing. McGraw-Hill, New York.

    Examples
    --------
    Ten trials leave 0.75 ** 10 = 5.6 % of the half-aperture particles on the deck, and
    0.99 ** 10 = 90.4 % of those of 0.9 aperture:

    >>> screen_partition([0.5, 0.9, 1.2], 1.0, trials=10).round(4).tolist()
    [0.0563, 0.9044, 1.0]
    """
    _check(trials=trials)
    p = screen_passage_probability(d, aperture, wire)
    return ((1.0 - np.asarray(p)) ** np.asarray(trials, dtype=float))[()]


def screen_efficiency_curve(d: ArrayLike, d50: ArrayLike, alpha: ArrayLike) -> FloatOrArray:
    r"""Fraction of each size reporting to the oversize by Whiten's efficiency curve.

    .. math::

        E(d) = \frac{e^{\alpha x} - 1}{e^{\alpha x} + e^{\alpha} - 2},
        \qquad x = \frac{d}{d_{50}}

    the curve of :func:`~units.classification.efficiency.whiten_efficiency` without bypass
    or fish hook, as the JKMRC efficiency-curve screen model uses it (Napier-Munn et al.,
    1996). ``d50`` is the size split equally between oversize and undersize, usually a
    little below the aperture; ``alpha`` the sharpness.

    Parameters
    ----------
    d : float or array_like
        Particle size [um, or the unit of ``d50``], in [0, inf).
    d50 : float or array_like
        Cut size [same unit], in (0, inf).
    alpha : float or array_like
        Sharpness [-], in (0, 50].

    Returns
    -------
    float or numpy.ndarray
        Fraction to the oversize [-], in [0, 1).

    Raises
    ------
    SchemaError
        An argument outside its range in :data:`SCREEN_RANGES`.

    References
    ----------
    .. [1] Lynch, A.J., Rao, T.C., 1975. Modelling and scale-up of hydrocyclone classifiers.
       Proceedings of the 11th International Mineral Processing Congress, Cagliari,
       245-269.
    .. [2] Napier-Munn, T.J., Morrell, S., Morrison, R.D., Kojovic, T., 1996. Mineral
       Comminution Circuits: Their Operation and Optimisation. JKMRC Monograph Series in
       Mining and Mineral Processing 2, Julius Kruttschnitt Mineral Research Centre,
       Brisbane.

    Examples
    --------
    By definition half the particles of the cut size go each way:

    >>> float(screen_efficiency_curve(9000.0, 9000.0, alpha=8.0))
    0.5
    """
    _check(d=d, d50=d50, alpha=alpha)
    return whiten_efficiency(d, d50, alpha)
