"""The JKMRC drop-weight breakage relation between t10 and specific comminution energy."""

from __future__ import annotations

import numpy as np

from units.comminution.energy_checks import ArrayLike, check_args, check_smaller

__all__ = ["jk_t10", "jk_ecs"]


def jk_t10(a: ArrayLike, b: ArrayLike, ecs: ArrayLike) -> ArrayLike:
    r"""JK impact breakage: t10 from specific comminution energy [%].

    .. math:: t_{10} = A\left(1 - e^{-b\,E_{cs}}\right)

    Parameters
    ----------
    a : float or array
        Limiting t10, A [%].
    b : float or array
        Curvature b [t/kWh].
    ecs : float or array
        Specific comminution energy [kWh/t], 0 or more.

    References
    ----------
    .. [1] T. J. Napier-Munn, S. Morrell, R. D. Morrison and T. Kojovic, Mineral
       Comminution Circuits: Their Operation and Optimisation, JKMRC, Brisbane, 1996.

    Examples
    --------
    >>> print(f"{jk_t10(87.9, 0.3144, 0.384):.1f}")
    10.0
    """
    a, b, ecs = check_args(a=a, b=b, ecs=ecs)
    return a * (1.0 - np.exp(-b * ecs))


def jk_ecs(a: ArrayLike, b: ArrayLike, t10: ArrayLike) -> ArrayLike:
    r"""JK impact breakage inverted: specific energy giving a t10 [kWh/t].

    .. math:: E_{cs} = -\frac{1}{b}\ln\left(1 - \frac{t_{10}}{A}\right)

    Parameters
    ----------
    a : float or array
        Limiting t10, A [%].
    b : float or array
        Curvature b [t/kWh].
    t10 : float or array
        Target t10 [%], ``0 <= t10 < a``.

    References
    ----------
    .. [1] Napier-Munn et al., Mineral Comminution Circuits, JKMRC, 1996.
    .. [2] SMC Testing standard report example (A 87.9, b 0.3144): its energy matrix at
       28.9 mm reads 0.39, 0.82 and 1.31 kWh/t for t10 10, 20 and 30 %.

    Examples
    --------
    >>> print(" ".join(f"{jk_ecs(87.9, 0.3144, t):.3f}" for t in (10.0, 20.0, 30.0)))
    0.384 0.821 1.328
    """
    a, b, t10 = check_args(a=a, b=b, t10=t10)
    check_smaller("t10", t10, "a", a, unit="%")
    return -np.log(1.0 - t10 / a) / b
