"""Mill critical speed and the fraction of it a mill runs at."""

from __future__ import annotations

import numpy as np

from units.comminution.energy_checks import ArrayLike, check_args

__all__ = ["mill_critical_speed", "fraction_of_critical"]


def mill_critical_speed(diameter_m: ArrayLike) -> ArrayLike:
    r"""Critical speed of a tumbling mill [rpm].

    .. math:: N_c = \frac{60}{2\pi}\sqrt{\frac{2g}{D}} = \frac{42.3}{\sqrt{D}}
              = \frac{76.6}{\sqrt{D_{ft}}}

    Parameters
    ----------
    diameter_m : float or array
        Mill diameter inside liners [m].

    References
    ----------
    .. [1] N. L. Weiss (ed.), SME Mineral Processing Handbook, SME, 1985.
    .. [2] Wills' Mineral Processing Technology, 8th ed., 2016, doi:10.1016/C2010-0-65478-2.

    Examples
    --------
    11.0 ft (3.353 m) inside liners:

    >>> print(f"{mill_critical_speed(11.0 * 0.3048):.2f}")
    23.10
    """
    d = check_args(diameter_m=diameter_m)
    return 42.3 / np.sqrt(d)


def fraction_of_critical(rpm: ArrayLike, diameter_m: ArrayLike) -> ArrayLike:
    r"""Mill speed as a fraction of critical speed [-].

    .. math:: \phi = N / N_c = N \sqrt{D} / 42.3

    Parameters
    ----------
    rpm : float or array
        Mill speed [rpm].
    diameter_m : float or array
        Mill diameter inside liners [m].

    References
    ----------
    .. [1] N. L. Weiss (ed.), SME Mineral Processing Handbook, SME, 1985.

    Examples
    --------
    11.0 ft inside liners at 17.3 rpm runs at 74.9 % of critical (sagmilling.com example
    inputs):

    >>> print(f"{100 * fraction_of_critical(17.3, 11.0 * 0.3048):.1f}")
    74.9
    """
    rpm = check_args(rpm=rpm)
    return rpm / mill_critical_speed(diameter_m)
