"""Morrell's SMC size-energy equations, the drop-weight index and the Mia estimate from A x b.

>>> print(f"{morrell_specific_energy(19.5, 1000.0, 75.0):.2f}")
11.72
"""

from __future__ import annotations

from typing import Any

from units.comminution.energy_checks import ArrayLike, check_args, check_smaller

__all__ = ["morrell_specific_energy", "morrell_sabc", "morrell_mib", "drop_weight_index",
           "mia_from_axb"]


def _morrell_exponent(x: ArrayLike) -> ArrayLike:
    """Morrell's size-dependent exponent f(x) = -(0.295 + x/1e6), x in um."""
    return -(0.295 + x / 1.0e6)


def morrell_specific_energy(mi: ArrayLike, f80: ArrayLike, p80: ArrayLike,
                            k: ArrayLike = 1.0) -> ArrayLike:
    r"""Specific energy by Morrell's size-energy relation [kWh/t].

    .. math:: W = K\,M_i\,4\left(x_2^{f(x_2)} - x_1^{f(x_1)}\right), \qquad
              f(x) = -\left(0.295 + \frac{x}{10^6}\right)

    with :math:`x_1` = F80 and :math:`x_2` = P80 in um.

    Parameters
    ----------
    mi : float or array
        Morrell work index of the size range (Mia, Mib, Mic or Mih) [kWh/t].
    f80, p80 : float or array
        Feed and product 80 % passing sizes [um], ``0 < p80 < f80``.
    k : float or array
        Circuit factor, e.g. K1 = 1.0 (no pebble crusher) or 0.95 (with one).

    References
    ----------
    .. [1] S. Morrell, "An alternative energy-size relationship to that proposed by Bond
       for the design and optimisation of grinding circuits", Int. J. Miner. Process. 74
       (2004) 133-141, doi:10.1016/j.minpro.2003.10.002.
    .. [2] S. Morrell, "A method for predicting the specific energy requirement of
       comminution circuits and assessing their energy utilisation efficiency", Minerals
       Engineering 21 (2008) 224-233, doi:10.1016/j.mineng.2007.10.001.

    Examples
    --------
    Coarse component from 71,273 um to 750 um with K1 = 0.95, per unit Mia; the
    coefficients 750^f(750) = 0.14116 and 71273^f(71273) = 0.016692 give 0.47297:

    >>> print(f"{morrell_specific_energy(1.0, 71273.0, 750.0, k=0.95):.5f}")
    0.47297
    """
    mi, f80, p80, k = check_args(mi=mi, f80=f80, p80=p80, k=k)
    check_smaller("p80", p80, "f80", f80)
    return _morrell(mi, f80, p80, k)


def _morrell(mi, f80, p80, k=1.0):
    """Morrell's relation without the argument checks, for solvers that checked them once."""
    return k * mi * 4.0 * (p80 ** _morrell_exponent(p80) - f80 ** _morrell_exponent(f80))


def morrell_sabc(mia: ArrayLike, mib: ArrayLike, f80: ArrayLike, p80: ArrayLike,
                 k1: ArrayLike = 1.0, transfer: ArrayLike = 750.0) -> tuple[Any, Any]:
    r"""Coarse (tumbling) and fine (ball) specific energies of an SAB/SABC circuit [kWh/t].

    .. math::
        W_a = K_1 M_{ia}\, 4\left(x_t^{f(x_t)} - x_1^{f(x_1)}\right), \qquad
        W_b = M_{ib}\, 4\left(x_3^{f(x_3)} - x_t^{f(x_t)}\right)

    with :math:`x_1` = F80, :math:`x_3` = P80 and the transfer size :math:`x_t` = 750 um
    by Morrell's convention.

    Parameters
    ----------
    mia, mib : float or array
        Coarse and fine Morrell work indices [kWh/t].
    f80, p80 : float or array
        Circuit feed and final product 80 % passing sizes [um].
    k1 : float or array
        1.0 without a recycle pebble crusher, 0.95 with one.
    transfer : float or array
        Size dividing coarse from fine grinding [um], ``p80 < transfer < f80``.

    Returns
    -------
    tuple of (float or array, float or array)
        ``(Wa, Wb)`` [kWh/t].

    References
    ----------
    .. [1] S. Morrell, Minerals Engineering 21 (2008) 224-233,
       doi:10.1016/j.mineng.2007.10.001.
    .. [2] S. Morrell, "Predicting the overall specific energy requirement of crushing,
       high pressure grinding roll and tumbling mill circuits", Minerals Engineering 22
       (2009) 544-549, doi:10.1016/j.mineng.2009.01.005.

    Examples
    --------
    Seed plant (Mining 2025, 5(3), 37): F80 71,273 um, P80 229 um, pebble crusher,
    per unit Mia and Mib: Wa/Mia = 0.47297 and Wb/Mib = 0.23958.

    >>> wa, wb = morrell_sabc(1.0, 1.0, 71273.0, 229.0, k1=0.95)
    >>> print(f"{wa:.5f} {wb:.5f}")
    0.47297 0.23958
    """
    mia, mib, f80, p80, k1, transfer = check_args(mia=mia, mib=mib, f80=f80, p80=p80, k1=k1,
                                              transfer=transfer)
    check_smaller("p80", p80, "transfer", transfer)
    check_smaller("transfer", transfer, "f80", f80)
    f = _morrell_exponent
    coarse = k1 * mia * 4.0 * (transfer ** f(transfer) - f80 ** f(f80))
    fine = mib * 4.0 * (p80 ** f(p80) - transfer ** f(transfer))
    return coarse, fine


def morrell_mib(p1: ArrayLike, gbp: ArrayLike, p80: ArrayLike, f80: ArrayLike) -> ArrayLike:
    r"""Morrell's fine-grinding work index from Bond ball-test data [kWh/t].

    .. math:: M_{ib} = \frac{18.18}{P_1^{0.295}\, G_{bp}
              \left(p_{80}^{f(p_{80})} - f_{80}^{f(f_{80})}\right)}

    Parameters
    ----------
    p1 : float or array
        Closing screen aperture of the Bond test [um].
    gbp : float or array
        Bond grindability, net g of undersize per revolution [g/rev].
    p80, f80 : float or array
        80 % passing sizes of the Bond test product and feed [um], ``0 < p80 < f80``.

    References
    ----------
    .. [1] S. Morrell, Minerals Engineering 21 (2008) 224-233,
       doi:10.1016/j.mineng.2007.10.001.

    Examples
    --------
    P1 150 um, Gbp 1.5 g/rev, p80 110 um, f80 2500 um -> 18.15 kWh/t:

    >>> print(f"{morrell_mib(150.0, 1.5, 110.0, 2500.0):.2f}")
    18.15
    """
    p1, gbp, p80, f80 = check_args(p1=p1, gbp=gbp, p80=p80, f80=f80)
    check_smaller("p80", p80, "f80", f80)
    f = _morrell_exponent
    return 18.18 / (p1 ** 0.295 * gbp * (p80 ** f(p80) - f80 ** f(f80)))


def drop_weight_index(a: ArrayLike, b: ArrayLike, sg: ArrayLike) -> ArrayLike:
    r"""SMC drop-weight index DWi [kWh/m3].

    .. math:: DW_i = \frac{100\,SG}{A\,b}

    Parameters
    ----------
    a : float or array
        JK impact parameter A, the limiting t10 [%].
    b : float or array
        JK impact parameter b [t/kWh].
    sg : float or array
        Specific gravity of the ore [t/m3].

    References
    ----------
    .. [1] S. Morrell, "Predicting the specific energy of autogenous and semi-autogenous
       mills from small diameter drill core samples", Minerals Engineering 17 (2004)
       447-451.
    .. [2] Hazen Research, Inc., "Comminution Testing", Project 11708, letter report,
       25 February 2013 (SMC results, Table 1).

    Examples
    --------
    Hazen 11708 sample 1 (SG 2.63, A 78.6, b 3.80) reports DWi 0.88 kWh/m3:

    >>> print(f"{drop_weight_index(78.6, 3.80, 2.63):.2f}")
    0.88
    """
    a, b, sg = check_args(a=a, b=b, sg=sg)
    return 100.0 * sg / (a * b)


def mia_from_axb(axb: ArrayLike, c: ArrayLike = 336.8, d: ArrayLike = -0.780) -> ArrayLike:
    r"""Coarse Morrell work index Mia estimated from A*b: a replaceable default [kWh/t].

    .. math:: M_{ia} \approx c\,(A b)^{d}, \qquad c = 336.8,\; d = -0.780

    This is NOT SMC Testing's own relation, which is not public. It is a power law fitted
    to published SMC report rows (within 3 % of five rows, e.g. the Hazen 11708 samples)
    and kept as a default so that block models without a reported Mia can run. Pass ``c``
    and ``d`` fitted to your own SMC reports, or use the reported Mia where you have it.

    Parameters
    ----------
    axb : float or array
        JK A*b [-].
    c, d : float or array
        Coefficient and exponent of the power law.

    References
    ----------
    .. [1] Hazen Research, Inc., "Comminution Testing", Project 11708, 2013 (A*b and Mia
       of three samples, used with other published rows for the default fit).
    .. [2] S. Morrell, Minerals Engineering 21 (2008) 224-233,
       doi:10.1016/j.mineng.2007.10.001 (definition of Mia).

    Examples
    --------
    Hazen 11708 sample 2, A*b 260.6, reports Mia 4.4 kWh/t:

    >>> print(f"{mia_from_axb(260.6):.2f}")
    4.39
    """
    axb, c, d = check_args(axb=axb, c=c, d=d)
    return c * axb ** d
