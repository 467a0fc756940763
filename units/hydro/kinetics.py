r"""Shrinking-core leaching kinetics and the Arrhenius law, as pure vectorised functions.

A particle of the unreacted-core model reacts from its surface inwards; the time to reach
conversion :math:`X` is :math:`t = \tau\, g(X)`, where :math:`\tau` is the time for complete
conversion and :math:`g` depends on the step that controls the rate (Levenspiel, 1999,
ch. 25):

=============  ============================================  =========================
control        :math:`g(X) = t / \tau`                        :math:`\tau \propto d^n`
=============  ============================================  =========================
``film``       :math:`X`                                      n = 1.5 to 2
``diffusion``  :math:`1 - 3(1 - X)^{2/3} + 2(1 - X)`          n = 2
``reaction``   :math:`1 - (1 - X)^{1/3}`                      n = 1
=============  ============================================  =========================

When several resistances act in series their times add (Levenspiel, 1999, ch. 25,
combination of resistances):
:math:`t = \sum_c \tau_c\, g_c(X)` (:func:`mixed_control_time`).

Every function broadcasts over numpy arrays. Times are in any one unit (hours in the
engine); :math:`\tau` must be positive.

>>> float(shrinking_core_time(0.875, 2.0, "reaction"))
1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["CONTROLS", "SIZE_EXPONENTS", "GAS_CONSTANT", "shrinking_core_time",
           "shrinking_core_conversion", "mixed_control_time", "mixed_control_conversion",
           "tau_at_size", "arrhenius", "arrhenius_factor"]

ArrayLike = Any

#: The rate-controlling steps of the shrinking-core model.
CONTROLS = ("film", "diffusion", "reaction")

#: Exponent n of tau ~ d**n for each control (Levenspiel 1999, ch. 25; film: 1.5 for large
#: particles in turbulent liquid, up to 2 for fine particles in Stokes flow).
SIZE_EXPONENTS: dict[str, float] = {"film": 1.5, "diffusion": 2.0, "reaction": 1.0}

#: Molar gas constant [J/(mol K)] (CODATA 2018, exact).
GAS_CONSTANT = 8.314462618


def _control(control: str) -> str:
    if control not in CONTROLS:
        raise ValueError(f"control must be one of {', '.join(CONTROLS)}, got {control!r}")
    return control


def _positive(name: str, value: ArrayLike) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if np.any(~(arr > 0)):
        raise ValueError(f"{name} must be > 0, got {arr.min():g}")
    return arr


def _shell(x: np.ndarray) -> np.ndarray:
    """1 - (1 - x)^(1/3), the reacted shell's share of the radius, without the cancellation
    of the plain form near x = 0 (it keeps full relative precision down to x = 1e-300)."""
    with np.errstate(divide="ignore"):
        return -np.expm1(np.log1p(-x) / 3.0)


def _g(x: np.ndarray, control: str) -> np.ndarray:
    """t/tau at conversion x (x already in [0, 1]).

    With w = 1 - (1 - x)^(1/3): reaction control is g = w, and product-layer diffusion
    1 - 3(1 - x)^(2/3) + 2(1 - x) factors exactly into w^2 (3 - 2w), which, unlike the
    textbook form, loses no digits where g ~ x^2/3 is tiny.
    """
    if control == "film":
        return x
    w = _shell(x)
    if control == "reaction":
        return w
    return w * w * (3.0 - 2.0 * w)


def shrinking_core_time(conversion: ArrayLike, tau: ArrayLike, control: str) -> ArrayLike:
    r"""Time to reach a conversion by the shrinking-core model [unit of ``tau``].

    .. math:: t = \tau\, g(X)

    with :math:`g(X) = X` (film diffusion), :math:`1 - 3(1 - X)^{2/3} + 2(1 - X)` (product
    layer diffusion) or :math:`1 - (1 - X)^{1/3}` (chemical reaction).

    Parameters
    ----------
    conversion : float or array
        Fraction of the solid converted, X [-], in [0, 1].
    tau : float or array
        Time for complete conversion [h, or any time unit], > 0.
    control : {'film', 'diffusion', 'reaction'}
        The rate-controlling step.

    Returns
    -------
    float or array
        Time [unit of ``tau``].

    References
    ----------
    .. [1] O. Levenspiel, Chemical Reaction Engineering, 3rd ed., Wiley, New York, 1999,
       ch. 25 (spherical particles of unchanging size).

    Examples
    --------
    Levenspiel's Problem 25.1: 7/8 converted after 1 h, complete after 2 h. Reaction and
    product-layer control both give t/tau = 1/2 at X = 7/8 (film control would need
    1.75 h), which is why the problem's data cannot tell those two apart:

    >>> [round(float(shrinking_core_time(0.875, 2.0, c)), 12)
    ...  for c in ("reaction", "diffusion", "film")]
    [1.0, 1.0, 1.75]
    """
    control = _control(control)
    x = np.asarray(conversion, dtype=float)
    if np.any((x < 0) | (x > 1)) or np.any(np.isnan(x)):
        raise ValueError("conversion must be in [0, 1]")
    return _positive("tau", tau) * _g(x, control)


def shrinking_core_conversion(t: ArrayLike, tau: ArrayLike, control: str) -> ArrayLike:
    r"""Conversion reached after time ``t`` by the shrinking-core model [-].

    The inverse of :func:`shrinking_core_time`, with :math:`\theta = \min(t/\tau, 1)`:
    film :math:`X = \theta`; reaction :math:`X = 1 - (1 - \theta)^3`; product-layer
    diffusion in closed form from the cubic :math:`2y^3 - 3y^2 + 1 - \theta = 0` in
    :math:`y = (1 - X)^{1/3}`, whose root in [0, 1] is

    .. math:: y = \tfrac12 + \cos\!\left(\tfrac13 \arccos(2\theta - 1) + \tfrac{4\pi}{3}\right)

    polished by Newton's method in a form that keeps full relative precision as X -> 0
    (see :func:`_diffusion_conversion`); reaction control is the cancellation-free
    :math:`X = \theta (3 - 3\theta + \theta^2)`.

    Parameters
    ----------
    t : float or array
        Time [unit of ``tau``], >= 0.
    tau : float or array
        Time for complete conversion, > 0.
    control : {'film', 'diffusion', 'reaction'}

    Returns
    -------
    float or array
        X in [0, 1]; 1 for ``t >= tau``.

    References
    ----------
    .. [1] O. Levenspiel, Chemical Reaction Engineering, 3rd ed., Wiley, 1999, ch. 25.

    Examples
    --------
    Half of tau under product-layer control converts 7/8 (Levenspiel, Problem 25.1):

    >>> float(shrinking_core_conversion(1.0, 2.0, "diffusion"))
    0.875
    >>> shrinking_core_conversion([0.5, 1.0, 3.0], 2.0, "reaction").round(6).tolist()
    [0.578125, 0.875, 1.0]
    """
    control = _control(control)
    t = np.asarray(t, dtype=float)
    if np.any(t < 0) or np.any(np.isnan(t)):
        raise ValueError("time must be >= 0")
    theta = np.minimum(t / _positive("tau", tau), 1.0)
    if control == "film":
        return theta
    if control == "reaction":
        return theta * (3.0 - 3.0 * theta + theta * theta)
    return _diffusion_conversion(theta)


def _diffusion_conversion(theta: np.ndarray) -> np.ndarray:
    r"""X from :math:`\theta = w^2 (3 - 2w)`, :math:`w = 1 - (1 - X)^{1/3}`, over [0, 1].

    The trigonometric root of the cubic starts; near :math:`\theta = 0`, where that root
    (and :math:`1 - y`) cancels, the series start :math:`w = \sqrt{\theta/3}` is used
    instead. Three Newton steps on :math:`w\sqrt{3 - 2w} = \sqrt\theta` -- a form whose
    slope :math:`\sqrt3` at the origin keeps it well conditioned where the conversion is
    small -- polish it below :math:`w = 0.9`; above, the trigonometric root is already
    accurate. Then :math:`X = 1 - (1 - w)^3 = w (3 - 3w + w^2)`, free of cancellation.
    """
    cosine = np.cos(np.arccos(np.clip(2.0 * theta - 1.0, -1.0, 1.0)) / 3.0 + 4.0 * np.pi / 3.0)
    w = np.clip(0.5 - cosine, 0.0, 1.0)
    w = np.where(theta < 1e-3, np.sqrt(theta / 3.0), w)
    root = np.sqrt(theta)
    polish = w < 0.9
    for _ in range(3):
        s = np.sqrt(3.0 - 2.0 * w)
        step = (w * s - root) * s / np.where(polish, 3.0 - 3.0 * w, 1.0)
        w = np.where(polish, np.clip(w - step, 0.0, 1.0), w)
    return w * (3.0 - 3.0 * w + w * w)


def mixed_control_time(conversion: ArrayLike, taus: Mapping[str, ArrayLike]) -> ArrayLike:
    r"""Time to reach a conversion when several steps resist in series [unit of tau].

    .. math:: t = \sum_{c} \tau_c\, g_c(X)

    Parameters
    ----------
    conversion : float or array
        X [-], in [0, 1].
    taus : mapping of control -> tau
        Time for complete conversion each step alone would need (zero for a step that
        offers no resistance); at least one positive.

    Returns
    -------
    float or array
        Time [unit of the taus].

    References
    ----------
    .. [1] O. Levenspiel, Chemical Reaction Engineering, 3rd ed., Wiley, 1999, ch. 25,
       combination of resistances.

    Examples
    --------
    >>> round(float(mixed_control_time(0.875, {"reaction": 2.0, "diffusion": 2.0})), 12)
    2.0
    """
    x = np.asarray(conversion, dtype=float)
    if np.any((x < 0) | (x > 1)) or np.any(np.isnan(x)):
        raise ValueError("conversion must be in [0, 1]")
    total = 0.0
    positive = False
    for control, tau in taus.items():
        tau = np.asarray(tau, dtype=float)
        if np.any(tau < 0) or np.any(np.isnan(tau)):
            raise ValueError(f"tau of {control!r} must be >= 0")
        positive = positive or bool(np.any(tau > 0))
        total = total + tau * _g(x, _control(control))
    if not positive:
        raise ValueError("at least one tau must be > 0")
    return total


def mixed_control_conversion(t: ArrayLike, taus: Mapping[str, ArrayLike]) -> ArrayLike:
    r"""Conversion after time ``t`` under mixed control [-]: the inverse of
    :func:`mixed_control_time`, by vectorised bisection on X (the time is increasing in X),
    60 halvings, so X is exact to about 1e-18.

    Examples
    --------
    >>> round(float(mixed_control_conversion(2.0, {"reaction": 2.0, "diffusion": 2.0})), 12)
    0.875
    """
    t = np.asarray(t, dtype=float)
    if np.any(t < 0) or np.any(np.isnan(t)):
        raise ValueError("time must be >= 0")
    full = mixed_control_time(1.0, taus)
    shape = np.broadcast_shapes(t.shape, np.shape(full))
    lo, hi = np.zeros(shape), np.ones(shape)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        below = mixed_control_time(mid, taus) < t
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    return np.where(t >= full, 1.0, 0.5 * (lo + hi))


def tau_at_size(tau_ref: ArrayLike, size: ArrayLike, size_ref: float, control: str,
                exponent: float | None = None) -> ArrayLike:
    r"""Time for complete conversion of particles of another size [unit of ``tau_ref``].

    .. math:: \tau(d) = \tau_{ref}\,(d / d_{ref})^n

    with n from :data:`SIZE_EXPONENTS` (reaction 1, product layer 2, film 1.5) unless
    ``exponent`` is given. Levenspiel (1999, ch. 25) gives
    :math:`\tau = \rho_B R / (3 b k_g C_A)` (film), :math:`\rho_B R^2 / (6 b D_e C_A)`
    (product layer), :math:`\rho_B R / (b k'' C_A)` (reaction); for film control
    :math:`k_g` itself falls with size, as :math:`d^{-1}` for fine particles and
    :math:`d^{-1/2}` for coarse ones, hence 1.5 to 2.

    Examples
    --------
    Levenspiel's Example 26.1 feed: tau 5 min at 50 um radius, reaction control:

    >>> tau_at_size(5.0, [50.0, 100.0, 200.0], 50.0, "reaction").tolist()
    [5.0, 10.0, 20.0]
    """
    n = SIZE_EXPONENTS[_control(control)] if exponent is None else float(exponent)
    return _positive("tau_ref", tau_ref) * (_positive("size", size)
                                            / float(_positive("size_ref", size_ref))) ** n


def _kelvin(t_celsius: ArrayLike) -> np.ndarray:
    kelvin = np.asarray(t_celsius, dtype=float) + 273.15
    if np.any(~(kelvin > 0)):
        raise ValueError(f"temperature must be above absolute zero: got "
                         f"{np.min(kelvin):g} K ({np.min(kelvin) - 273.15:g} degC)")
    return kelvin


def arrhenius(k0: ArrayLike, ea_j_per_mol: ArrayLike, t_celsius: ArrayLike) -> ArrayLike:
    r"""Rate constant by the Arrhenius law [unit of ``k0``].

    .. math:: k = k_0 \exp\!\left(-\frac{E_a}{R\,T}\right), \qquad T = t + 273.15

    Parameters
    ----------
    k0 : float or array
        Pre-exponential factor [any rate unit].
    ea_j_per_mol : float or array
        Activation energy [J/mol].
    t_celsius : float or array
        Temperature [degC]; a temperature at or below 0 K raises ValueError.

    References
    ----------
    .. [1] S. Arrhenius, "Über die Reaktionsgeschwindigkeit bei der Inversion von
       Rohrzucker durch Säuren", Z. Phys. Chem. 4 (1889) 226-248.

    Examples
    --------
    The rule of thumb that a rate doubles for 10 K near room temperature holds for
    Ea ~ 53 kJ/mol:

    >>> k = arrhenius(1.0, 52_900.0, [25.0, 35.0])
    >>> round(float(k[1] / k[0]), 2)
    2.0
    >>> arrhenius(1.0, 40_000.0, -300.0)
    Traceback (most recent call last):
    ...
    ValueError: temperature must be above absolute zero: got -26.85 K (-300 degC)
    """
    return np.asarray(k0, dtype=float) * np.exp(
        -np.asarray(ea_j_per_mol, dtype=float) / (GAS_CONSTANT * _kelvin(t_celsius)))


def arrhenius_factor(ea_j_per_mol: ArrayLike, t_celsius: ArrayLike,
                     t_ref_celsius: ArrayLike) -> ArrayLike:
    r"""Ratio k(T) / k(T_ref) of Arrhenius rate constants [-].

    .. math:: \frac{k(T)}{k(T_{ref})} = \exp\!\left[\frac{E_a}{R}
       \left(\frac{1}{T_{ref}} - \frac{1}{T}\right)\right]

    A time for complete conversion scales by its inverse.

    Examples
    --------
    >>> round(float(arrhenius_factor(52_900.0, 35.0, 25.0)), 2)
    2.0
    """
    return np.exp(np.asarray(ea_j_per_mol, dtype=float) / GAS_CONSTANT
                  * (1.0 / _kelvin(t_ref_celsius) - 1.0 / _kelvin(t_celsius)))
