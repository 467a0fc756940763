"""SAG-mill specific energy from the SAGDesign (SGI) and drop-weight (DWi) models."""

from __future__ import annotations

import numpy as np

from units.comminution.energy_checks import VALID_RANGES, ArrayLike, check_args, check_one

__all__ = ["sgi_specific_energy", "dwi_sag_specific_energy"]


def sgi_specific_energy(sgi: ArrayLike, t80: ArrayLike, k: ArrayLike = 5.59,
                        n: ArrayLike = 0.55) -> ArrayLike:
    r"""SAG-mill specific energy from the SAG grindability index [kWh/t].

    .. math:: SE_{SAG} = K \left(\frac{SGI}{\sqrt{T_{80}}}\right)^{n}

    SGI is the test time in minutes to grind the charge to 80 % passing 1.7 mm (Tyler 10
    mesh); T80 is the SAG transfer size in micrometres. The sources do not print the units
    next to the equation; with SGI in minutes, T80 in um and the seed paper's K = 5.59,
    n = 0.55, typical inputs (SGI 40-150 min, T80 1-4 mm) give 4-13 kWh/t, the range of
    SAG practice, while T80 in mm would give 6.7 times more. Amelunxen et al. multiply by
    further factors (pebble crushing, fine feed, AG); pass them in through ``k``.

    Parameters
    ----------
    sgi : float or array
        SAG grindability index [min].
    t80 : float or array
        Transfer size, 80 % passing of SAG circuit product [um].
    k, n : float or array
        Calibration constant and exponent.

    References
    ----------
    .. [1] Comparative analysis of throughput prediction models in SAG mill circuits: a
       geometallurgical approach, Mining 5(3) (2025) 37, doi:10.3390/mining5030037.
    .. [2] P. Amelunxen, P. Berrios and E. Rodriguez, "The SAG grindability index test",
       Minerals Engineering 55 (2014) 42-51.

    Examples
    --------
    Hand-computed, no published worked number: SGI 100 min, T80 2000 um:

    >>> print(f"{sgi_specific_energy(100.0, 2000.0):.2f}")
    8.70
    """
    sgi, t80, k, n = check_args(sgi=sgi, t80=t80, k=k, n=n)
    return _sgi(sgi, t80, k, n)


def _sgi(sgi, t80, k=5.59, n=0.55):
    """The SGI law without the argument checks, for solvers that checked them once."""
    return k * (sgi / np.sqrt(t80)) ** n


def dwi_sag_specific_energy(f80: ArrayLike, dwi: ArrayLike, phi: ArrayLike, beta: ArrayLike,
                            a: ArrayLike, b: ArrayLike, e: ArrayLike) -> ArrayLike:
    r"""SAG-mill specific energy by the drop-weight power law [kWh/t].

    .. math:: SE_{SAG} = \beta\, F_{80}^{a}\, DW_i^{b}\, \phi^{e}

    ``beta``, ``a``, ``b`` and ``e`` are calibrated on plant data (typical a 0.2-0.5,
    b 0.5-1.0, e 0.5-1.5); F80 must be given in the unit used in the calibration (um here).

    Parameters
    ----------
    f80 : float or array
        SAG feed 80 % passing size [um].
    dwi : float or array
        Drop-weight index [kWh/m3].
    phi : float or array
        Mill speed [% of critical], 0 to 100.
    beta : float or array
        Calibrated coefficient.
    a, b, e : float or array
        Calibrated exponents of F80, DWi and speed.

    References
    ----------
    .. [1] Mining 5(3) (2025) 37, Eq. 7, doi:10.3390/mining5030037.

    Examples
    --------
    Hand-computed with illustrative coefficients (the paper's are block-calibrated):

    >>> print(f"{dwi_sag_specific_energy(71273.0, 6.0, 75.0, 0.008, 0.3, 0.8, 0.5):.2f}")
    8.30
    """
    f80, dwi, phi, beta = check_args(f80=f80, dwi=dwi, phi=phi, beta=beta)
    exponent = VALID_RANGES["exponent"]
    a = check_one("a", a, exponent)
    b = check_one("b", b, exponent)
    e = check_one("e", e, exponent)
    return beta * f80 ** a * dwi ** b * phi ** e
