"""Size-energy laws of comminution: Bond, Rowland, Morrell/SMC, JK drop-weight, SGI, mill speed.

Every function here is a pure function of floats or numpy arrays (they broadcast, so one call
evaluates a whole block model) built from arithmetic and numpy ufuncs only, so that CasADi
can trace it with symbolic inputs. Sizes are in micrometres [um], specific energies in
kilowatt-hours per metric tonne [kWh/t] unless a docstring says otherwise.

Inputs are checked against :data:`VALID_RANGES` (one helper, one message template); a value
outside its range raises :class:`flowsheet.errors.SchemaError` naming the argument and the
accepted interval. Symbolic (CasADi) inputs are passed through unchecked.

>>> print(f"{bond_specific_energy(14.0, 1000.0, 75.0):.2f}")
11.74
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from flowsheet.errors import SchemaError, did_you_mean

__all__ = [
    "Range",
    "VALID_RANGES",
    "SHORT_TON_TO_TONNE",
    "ROWLAND_EF2_TABLE",
    "ROWLAND_EF8",
    "bond_specific_energy",
    "bond_operating_work_index",
    "bond_ball_work_index",
    "bond_rod_work_index",
    "rowland_ef1",
    "rowland_ef2",
    "rowland_ef3",
    "rowland_ef4",
    "rowland_ef5",
    "rowland_ef6",
    "rowland_ef7",
    "rowland_ef8",
    "morrell_specific_energy",
    "morrell_sabc",
    "morrell_mib",
    "drop_weight_index",
    "mia_from_axb",
    "sgi_specific_energy",
    "dwi_sag_specific_energy",
    "jk_t10",
    "jk_ecs",
    "mill_critical_speed",
    "fraction_of_critical",
]

ArrayLike = Any
_INF = float("inf")


class Range(NamedTuple):
    """An accepted interval for one argument: bounds, unit and which bounds are included."""

    low: float
    high: float
    unit: str = ""
    low_closed: bool = False
    high_closed: bool = False

    def __str__(self) -> str:
        text = (f"{'[' if self.low_closed else '('}{self.low:g}, "
                f"{self.high:g}{']' if self.high_closed else ')'}")
        return f"{text} {self.unit}" if self.unit else text


#: Accepted range of every argument, keyed by argument name (a few keys name a
#: function-specific variant, e.g. ``rr_ef7``). Values outside raise SchemaError.
VALID_RANGES: dict[str, Range] = {
    "wi": Range(0.0, _INF, "kWh/t"),
    "f80": Range(0.0, _INF, "um"),
    "p80": Range(0.0, _INF, "um"),
    "t80": Range(0.0, _INF, "um"),
    "transfer": Range(0.0, _INF, "um"),
    "p1": Range(0.0, _INF, "um"),
    "gbp": Range(0.0, _INF, "g/rev"),
    "grp": Range(0.0, _INF, "g/rev"),
    "power_kw": Range(0.0, _INF, "kW"),
    "tph": Range(0.0, _INF, "t/h"),
    "percent_passing": Range(50.0, 98.0, "%", True, True),
    "diameter_m": Range(0.0, 15.0, "m", high_closed=True),
    "length_m": Range(0.0, 15.0, "m", high_closed=True),
    "rr": Range(1.0, _INF),
    "rr_ef7": Range(1.35, _INF),
    "mi": Range(0.0, _INF, "kWh/t"),
    "mia": Range(0.0, _INF, "kWh/t"),
    "mib": Range(0.0, _INF, "kWh/t"),
    "k": Range(0.0, _INF),
    "k1": Range(0.0, _INF),
    "sg": Range(0.0, _INF, "t/m3"),
    "a": Range(0.0, 100.0, "%", high_closed=True),
    "b": Range(0.0, _INF, "t/kWh"),
    "axb": Range(0.0, _INF),
    "c": Range(0.0, _INF),
    "d": Range(-_INF, _INF),
    "ecs": Range(0.0, _INF, "kWh/t", low_closed=True),
    "t10": Range(0.0, 100.0, "%", low_closed=True),
    "sgi": Range(0.0, _INF, "min"),
    "n": Range(0.0, _INF),
    "dwi": Range(0.0, _INF, "kWh/m3"),
    "phi": Range(0.0, 100.0, "% of critical", high_closed=True),
    "beta": Range(0.0, _INF),
    "exponent": Range(-_INF, _INF),
    "rpm": Range(0.0, _INF, "rpm"),
}

#: kWh per short ton (2000 lb) times this factor gives kWh per metric tonne.
SHORT_TON_TO_TONNE = 1.1023

#: Rowland's EF2 for open-circuit ball milling: % passing the control size -> factor.
ROWLAND_EF2_TABLE: dict[float, float] = {
    50.0: 1.035, 60.0: 1.05, 70.0: 1.10, 80.0: 1.20,
    90.0: 1.40, 92.0: 1.46, 95.0: 1.57, 98.0: 1.70,
}

#: Rowland's EF8 for rod mills, by circuit and by how the rod-mill feed is crushed.
ROWLAND_EF8: dict[str, float] = {
    "rod_open_crushing": 1.4,
    "rod_closed_crushing": 1.2,
    "rod_ball_open_crushing": 1.2,
    "rod_ball_closed_crushing": 1.0,
}


# --------------------------------------------------------------------------- validation

def _numbers(name: str, value: ArrayLike) -> Any:
    """``value`` as a float array, or unchanged when it is a CasADi symbol."""
    if type(value).__module__.partition(".")[0] == "casadi":
        return value
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise SchemaError(f"{name} must be a number or an array of numbers, "
                          f"got {value!r}") from None


def _first_bad(bad: np.ndarray) -> tuple[Any, str]:
    """Index of the first True in ``bad`` and a phrase locating it."""
    if bad.ndim == 0:
        return (), ""
    index = np.unravel_index(int(np.argmax(bad)), bad.shape)
    where = index[0] if len(index) == 1 else index
    return index, f" ({int(bad.sum())} of {bad.size} values; the first at index {where})"


def _check_one(name: str, value: ArrayLike, accepted: Range) -> Any:
    """Raise SchemaError if any element of ``value`` lies outside ``accepted``."""
    arr = _numbers(name, value)
    if not isinstance(arr, np.ndarray):
        return arr
    above = arr >= accepted.low if accepted.low_closed else arr > accepted.low
    below = arr <= accepted.high if accepted.high_closed else arr < accepted.high
    bad = ~(above & below)
    if bad.any():
        index, extra = _first_bad(bad)
        raise SchemaError(f"{name} must be in {accepted}, got {arr[index]:g}{extra}")
    return arr


def _check(**arguments: ArrayLike) -> Any:
    """Check each argument against its entry in VALID_RANGES; return them as arrays."""
    checked = tuple(_check_one(name, value, VALID_RANGES[name])
                    for name, value in arguments.items())
    return checked if len(checked) > 1 else checked[0]


def _check_smaller(small: str, small_value: Any, large: str, large_value: Any,
                   unit: str = "um") -> None:
    """Raise SchemaError unless ``small_value < large_value`` everywhere."""
    if not (isinstance(small_value, np.ndarray) and isinstance(large_value, np.ndarray)):
        return
    s, g = np.broadcast_arrays(small_value, large_value)
    bad = ~(s < g)
    if bad.any():
        index, extra = _first_bad(bad)
        raise SchemaError(f"{small} must be smaller than {large}, got {small} = {s[index]:g} "
                          f"{unit} and {large} = {g[index]:g} {unit}{extra}")


def _choice(name: str, value: str, accepted: dict[str, Any] | tuple[str, ...]) -> str:
    """Raise SchemaError unless ``value`` is one of ``accepted``."""
    if value not in accepted:
        raise SchemaError(f"{name} must be one of {', '.join(map(repr, accepted))}, "
                          f"got {value!r}", hint=did_you_mean(str(value), accepted))
    return value


# --------------------------------------------------------------------------- Bond

def bond_specific_energy(wi: ArrayLike, f80: ArrayLike, p80: ArrayLike) -> ArrayLike:
    r"""Specific grinding energy by Bond's third law [kWh/t].

    .. math:: W = 10\,W_i \left(\frac{1}{\sqrt{P_{80}}} - \frac{1}{\sqrt{F_{80}}}\right)

    Parameters
    ----------
    wi : float or array
        Bond work index [kWh/t]; metric in, metric out.
    f80, p80 : float or array
        80 % passing sizes of feed and product [um], ``0 < p80 < f80``.

    Returns
    -------
    float or array
        Specific energy [kWh/t], broadcast over the inputs.

    References
    ----------
    .. [1] F. C. Bond, "Crushing and grinding calculations", British Chemical Engineering
       6 (1961) 378-385 and 543-548.
    .. [2] C. A. Rowland, "The tools of power: the Bond work index, a tool to measure
       grinding efficiency", SME-AIME Fall Meeting, Denver, 1976.

    Examples
    --------
    Wi 14 kWh/t from 1000 um to 75 um (recomputed in the project's comminution reference;
    a public function library prints 9.26 for this case, which does not satisfy the law):

    >>> print(f"{bond_specific_energy(14.0, 1000.0, 75.0):.2f}")
    11.74
    """
    wi, f80, p80 = _check(wi=wi, f80=f80, p80=p80)
    _check_smaller("p80", p80, "f80", f80)
    return _bond(wi, f80, p80)


def _bond(wi, f80, p80):
    """Bond's law without the argument checks, for solvers that checked them once."""
    return 10.0 * wi * (1.0 / np.sqrt(p80) - 1.0 / np.sqrt(f80))


def _bond_product(wi, f80, w):
    """Bond's law solved for the product size: the P80 [um] that ``w`` kWh/t reaches from
    ``f80`` (no argument checks), :math:`P_{80} = (W/(10 W_i) + F_{80}^{-1/2})^{-2}`."""
    return (w / (10.0 * wi) + 1.0 / np.sqrt(f80)) ** -2.0


def bond_operating_work_index(power_kw: ArrayLike, tph: ArrayLike, f80: ArrayLike,
                              p80: ArrayLike) -> ArrayLike:
    r"""Operating work index of a running grinding circuit [kWh/t].

    .. math:: W_{io} = \frac{P / Q}{10/\sqrt{P_{80}} - 10/\sqrt{F_{80}}}

    Parameters
    ----------
    power_kw : float or array
        Power drawn by the grinding mills, P [kW] (pinion power in Rowland's convention).
    tph : float or array
        Dry solids throughput, Q [t/h].
    f80, p80 : float or array
        80 % passing sizes of circuit feed and product [um], ``0 < p80 < f80``.

    Returns
    -------
    float or array
        WIo [kWh/t]; compare with the laboratory Wi to judge circuit efficiency.

    References
    ----------
    .. [1] C. A. Rowland, "The tools of power", SME-AIME Fall Meeting, Denver, 1976.
    .. [2] Global Mining Guidelines Group, "Determining the Bond efficiency of industrial
       grinding circuits", 2016, revised 2021.

    Examples
    --------
    3,150 kW, 450 t/h, F80 2500 um, P80 212 um (the inputs of Metcom Technologies,
    Grinding Bulletin 5): W = 7.00 kWh/t and WIo = 14.38 kWh/t.

    >>> print(f"{bond_operating_work_index(3150.0, 450.0, 2500.0, 212.0):.2f}")
    14.38
    """
    power_kw, tph, f80, p80 = _check(power_kw=power_kw, tph=tph, f80=f80, p80=p80)
    _check_smaller("p80", p80, "f80", f80)
    return (power_kw / tph) / (10.0 / np.sqrt(p80) - 10.0 / np.sqrt(f80))


def bond_ball_work_index(p1: ArrayLike, gbp: ArrayLike, p80: ArrayLike,
                         f80: ArrayLike) -> ArrayLike:
    r"""Bond ball-mill work index from the locked-cycle laboratory test, METRIC [kWh/t].

    Bond's equation gives kWh per short ton; this function multiplies it by
    :data:`SHORT_TON_TO_TONNE` (1.1023) and returns kWh per metric tonne:

    .. math:: W_i = 1.1023 \, \frac{44.5}{P_1^{0.23}\, G_{bp}^{0.82}
              \left(10/\sqrt{P_{80}} - 10/\sqrt{F_{80}}\right)}

    Parameters
    ----------
    p1 : float or array
        Closing screen aperture of the test [um].
    gbp : float or array
        Net grams of undersize produced per mill revolution at equilibrium [g/rev].
    p80, f80 : float or array
        80 % passing sizes of test product and test feed [um], ``0 < p80 < f80``.

    Returns
    -------
    float or array
        Work index [kWh/t, metric].

    References
    ----------
    .. [1] F. C. Bond, "Crushing and grinding calculations", British Chemical Engineering
       6 (1961) 378-385 and 543-548.
    .. [2] B. A. Wills and J. A. Finch, Wills' Mineral Processing Technology, 8th ed.,
       Butterworth-Heinemann, 2016, doi:10.1016/C2010-0-65478-2.

    Examples
    --------
    No published test with all four inputs and its reported Wi was found; this value is
    hand-computed (44.5 / 3.3263 = 13.378 kWh/short ton, x 1.1023):

    >>> print(f"{bond_ball_work_index(150.0, 1.5, 110.0, 2500.0):.2f}")
    14.75
    """
    p1, gbp, p80, f80 = _check(p1=p1, gbp=gbp, p80=p80, f80=f80)
    _check_smaller("p80", p80, "f80", f80)
    short = 44.5 / (p1 ** 0.23 * gbp ** 0.82 * (10.0 / np.sqrt(p80) - 10.0 / np.sqrt(f80)))
    return SHORT_TON_TO_TONNE * short


def bond_rod_work_index(p1: ArrayLike, grp: ArrayLike, p80: ArrayLike,
                        f80: ArrayLike) -> ArrayLike:
    r"""Bond rod-mill work index from the laboratory test, METRIC [kWh/t].

    .. math:: W_i = 1.1023 \, \frac{62}{P_1^{0.23}\, G_{rp}^{0.625}
              \left(10/\sqrt{P_{80}} - 10/\sqrt{F_{80}}\right)}

    Parameters
    ----------
    p1 : float or array
        Closing screen aperture [um].
    grp : float or array
        Net grams of undersize per revolution at equilibrium [g/rev].
    p80, f80 : float or array
        80 % passing sizes of test product and feed [um], ``0 < p80 < f80``.

    Returns
    -------
    float or array
        Work index [kWh/t, metric]: Bond's short-ton value times 1.1023.

    References
    ----------
    .. [1] F. C. Bond, "Crushing and grinding calculations", British Chemical Engineering
       6 (1961) 378-385 and 543-548.

    Examples
    --------
    Hand-computed (no published test with its reported Wi was found):

    >>> print(f"{bond_rod_work_index(1180.0, 10.0, 900.0, 12500.0):.2f}")
    13.06
    """
    p1, grp, p80, f80 = _check(p1=p1, grp=grp, p80=p80, f80=f80)
    _check_smaller("p80", p80, "f80", f80)
    short = 62.0 / (p1 ** 0.23 * grp ** 0.625 * (10.0 / np.sqrt(p80) - 10.0 / np.sqrt(f80)))
    return SHORT_TON_TO_TONNE * short


# --------------------------------------------------------------------------- Rowland

def rowland_ef1(dry: bool | ArrayLike) -> ArrayLike:
    r"""Rowland's EF1, dry grinding: 1.3 for dry, 1.0 for wet grinding [-].

    .. math:: EF_1 = 1 + 0.3\,[\text{dry}]

    Parameters
    ----------
    dry : bool or bool array
        True where the mill grinds dry.

    References
    ----------
    .. [1] C. A. Rowland, "Selection of rod mills, ball mills, pebble mills and regrind
       mills", in Design and Installation of Comminution Circuits, SME, 1982, 393-438.
    .. [2] Wills' Mineral Processing Technology, 8th ed., 2016, doi:10.1016/C2010-0-65478-2.

    Examples
    --------
    >>> print(f"{rowland_ef1(True):.1f} {rowland_ef1(False):.1f}")
    1.3 1.0
    """
    flag = np.asarray(dry)
    if flag.dtype != bool:
        raise SchemaError(f"dry must be True or False (or an array of them), got {dry!r}")
    return 1.0 + 0.3 * flag


def rowland_ef2(percent_passing: ArrayLike) -> ArrayLike:
    r"""Rowland's EF2, open-circuit ball milling, by % of product passing the control size.

    Linear interpolation in :data:`ROWLAND_EF2_TABLE` (50 % -> 1.035 ... 98 % -> 1.70),
    written as a sum of hinge terms so that it stays a ufunc expression:

    .. math:: EF_2(x) = y_0 + \sum_i (s_i - s_{i-1}) \max(x - x_i, 0)

    with :math:`s_i` the slope of table segment *i* (:math:`s_{-1} = 0`).

    Parameters
    ----------
    percent_passing : float or array
        Percentage of the product finer than the control size [%], 50 to 98.

    References
    ----------
    .. [1] C. A. Rowland, in Design and Installation of Comminution Circuits, SME, 1982.
    .. [2] Wills' Mineral Processing Technology, 8th ed., 2016, doi:10.1016/C2010-0-65478-2.

    Examples
    --------
    >>> print(f"{rowland_ef2(80.0):.3f} {rowland_ef2(85.0):.3f}")
    1.200 1.300
    """
    x = _check(percent_passing=percent_passing)
    sizes = tuple(ROWLAND_EF2_TABLE)
    factors = tuple(ROWLAND_EF2_TABLE.values())
    ef = factors[0] + 0.0 * x
    previous = 0.0
    for i in range(len(sizes) - 1):
        slope = (factors[i + 1] - factors[i]) / (sizes[i + 1] - sizes[i])
        ef = ef + (slope - previous) * np.maximum(x - sizes[i], 0.0)
        previous = slope
    return ef


def rowland_ef3(diameter_m: ArrayLike) -> ArrayLike:
    r"""Rowland's EF3, mill diameter, inside liners [-].

    .. math:: EF_3 = \left(\frac{2.44}{\min(D,\ 3.81)}\right)^{0.2}

    Rowland states the factor as 0.914 for D >= 3.81 m; that is the formula's own value at
    3.81 m (0.91473) rounded down to three decimals. This function holds the formula's value
    at 3.81 m for larger mills, so the factor is continuous and reads 0.9147 from 3.81 m
    up, as the project's reference table gives (0.08 % above the printed 0.914). Mills
    smaller than 2.44 m get a factor above 1.

    Parameters
    ----------
    diameter_m : float or array
        Mill diameter inside liners [m].

    References
    ----------
    .. [1] C. A. Rowland, in Design and Installation of Comminution Circuits, SME, 1982.
    .. [2] Wills' Mineral Processing Technology, 8th ed., 2016, doi:10.1016/C2010-0-65478-2.

    Examples
    --------
    >>> print(f"{rowland_ef3(3.0):.4f} {rowland_ef3(3.81):.4f} {rowland_ef3(5.0):.4f}")
    0.9595 0.9147 0.9147
    """
    d = _check(diameter_m=diameter_m)
    return (2.44 / np.minimum(d, 3.81)) ** 0.2


def rowland_ef4(wi: ArrayLike, f80: ArrayLike, p80: ArrayLike,
                mill: str = "ball") -> ArrayLike:
    r"""Rowland's EF4, oversize feed [-]; 1 when the feed is not coarser than optimum.

    .. math::
        F_o = 4000\sqrt{14.3/W_i} \;\text{(ball)}, \quad 16000\sqrt{14.3/W_i}
        \;\text{(rod)}, \qquad
        EF_4 = \frac{R_r + (W_i - 7)\,\max(F_{80} - F_o, 0)/F_o}{R_r},
        \quad R_r = F_{80}/P_{80}

    Parameters
    ----------
    wi : float or array
        Metric Bond work index [kWh/t].
    f80, p80 : float or array
        Feed and product 80 % passing sizes [um], ``0 < p80 < f80``.
    mill : {"ball", "rod"}
        Which optimum feed size applies.

    Notes
    -----
    For Wi below 7 kWh/t the formula gives a factor below 1 for oversize feed; it is
    returned as published.

    References
    ----------
    .. [1] C. A. Rowland, in Design and Installation of Comminution Circuits, SME, 1982.
    .. [2] Wills' Mineral Processing Technology, 8th ed., 2016, doi:10.1016/C2010-0-65478-2.

    Examples
    --------
    Wi 15, F80 10,000 um, P80 100 um: Fo = 3,906 um and EF4 = 1.125.

    >>> print(f"{rowland_ef4(15.0, 10000.0, 100.0):.3f}")
    1.125
    """
    _choice("mill", mill, ("ball", "rod"))
    wi, f80, p80 = _check(wi=wi, f80=f80, p80=p80)
    _check_smaller("p80", p80, "f80", f80)
    fo = (4000.0 if mill == "ball" else 16000.0) * np.sqrt(14.3 / wi)
    rr = f80 / p80
    return 1.0 + (wi - 7.0) * np.maximum(f80 - fo, 0.0) / (fo * rr)


def rowland_ef5(p80: ArrayLike) -> ArrayLike:
    r"""Rowland's EF5, fine grinding below 75 um [-].

    .. math:: EF_5 = \frac{P_{80} + 10.3}{1.145\,P_{80}} \;\; (P_{80} < 75\ \mu m),
              \qquad 1 \;\text{otherwise}

    The published form is applied as stated: it falls below 1 between 71 and 75 um
    (0.9933 just under 75 um) and steps to 1 at 75 um.

    Parameters
    ----------
    p80 : float or array
        Product 80 % passing size [um].

    References
    ----------
    .. [1] C. A. Rowland, in Design and Installation of Comminution Circuits, SME, 1982.
    .. [2] Wills' Mineral Processing Technology, 8th ed., 2016, doi:10.1016/C2010-0-65478-2.

    Examples
    --------
    >>> print(f"{rowland_ef5(50.0):.4f} {rowland_ef5(106.0):.4f}")
    1.0533 1.0000
    """
    p80 = _check(p80=p80)
    fine = np.heaviside(75.0 - p80, 0.0)
    return 1.0 + fine * ((p80 + 10.3) / (1.145 * p80) - 1.0)


def rowland_ef6(rr: ArrayLike, length_m: ArrayLike, diameter_m: ArrayLike) -> ArrayLike:
    r"""Rowland's EF6, rod-mill reduction ratio away from the optimum [-].

    .. math:: EF_6 = 1 + \frac{(R_r - R_{ro})^2}{150}, \qquad R_{ro} = 8 + 5\,\frac{L}{D}

    Applied everywhere, so the factor is smooth; within :math:`R_{ro} \pm 2`, where some
    texts leave it out, it adds at most 2.7 %.

    Parameters
    ----------
    rr : float or array
        Reduction ratio F80/P80 of the rod mill [-].
    length_m : float or array
        Rod length [m].
    diameter_m : float or array
        Mill diameter inside liners [m].

    References
    ----------
    .. [1] C. A. Rowland, in Design and Installation of Comminution Circuits, SME, 1982.
    .. [2] Wills' Mineral Processing Technology, 8th ed., 2016, doi:10.1016/C2010-0-65478-2.

    Examples
    --------
    Rods 4.88 m long in a 3.2 m mill: Rro = 15.625; Rr 20 gives EF6 = 1.128.

    >>> print(f"{rowland_ef6(20.0, 4.88, 3.2):.3f}")
    1.128
    """
    rr, length_m, diameter_m = _check(rr=rr, length_m=length_m, diameter_m=diameter_m)
    rro = 8.0 + 5.0 * length_m / diameter_m
    return 1.0 + (rr - rro) ** 2 / 150.0


def rowland_ef7(rr: ArrayLike) -> ArrayLike:
    r"""Rowland's EF7, low reduction ratio in a ball mill [-].

    .. math:: EF_7 = \frac{2(R_r - 1.35) + 0.26}{2(R_r - 1.35)} \;\; (R_r < 6),
              \qquad 1 \;\text{otherwise}

    As published, the factor steps from 1.028 to 1 at Rr = 6.

    Parameters
    ----------
    rr : float or array
        Reduction ratio F80/P80 of the ball mill [-], above 1.35.

    References
    ----------
    .. [1] C. A. Rowland, in Design and Installation of Comminution Circuits, SME, 1982.
    .. [2] Wills' Mineral Processing Technology, 8th ed., 2016, doi:10.1016/C2010-0-65478-2.

    Examples
    --------
    >>> print(f"{rowland_ef7(3.0):.4f} {rowland_ef7(10.0):.4f}")
    1.0788 1.0000
    """
    rr = _check_one("rr", rr, VALID_RANGES["rr_ef7"])
    low = np.heaviside(6.0 - rr, 0.0)
    return 1.0 + low * 0.26 / (2.0 * (rr - 1.35))


def rowland_ef8(circuit: str) -> float:
    r"""Rowland's EF8 for rod mills, from :data:`ROWLAND_EF8` [-].

    .. math:: EF_8 \in \{1.4,\ 1.2,\ 1.2,\ 1.0\}

    Rod milling alone: 1.4 when the rod-mill feed is prepared by open-circuit crushing,
    1.2 by closed-circuit crushing. Rod mill in a rod-ball circuit: 1.2 after open-circuit
    crushing, 1.0 after closed-circuit crushing. Ball mills take no EF8.

    Parameters
    ----------
    circuit : str
        ``"rod_open_crushing"``, ``"rod_closed_crushing"``, ``"rod_ball_open_crushing"``
        or ``"rod_ball_closed_crushing"``.

    References
    ----------
    .. [1] C. A. Rowland, in Design and Installation of Comminution Circuits, SME, 1982.
    .. [2] Wills' Mineral Processing Technology, 8th ed., 2016, doi:10.1016/C2010-0-65478-2.

    Examples
    --------
    >>> rowland_ef8("rod_open_crushing"), rowland_ef8("rod_ball_closed_crushing")
    (1.4, 1.0)
    """
    return ROWLAND_EF8[_choice("circuit", circuit, ROWLAND_EF8)]


# --------------------------------------------------------------------------- Morrell / SMC

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
    mi, f80, p80, k = _check(mi=mi, f80=f80, p80=p80, k=k)
    _check_smaller("p80", p80, "f80", f80)
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
    mia, mib, f80, p80, k1, transfer = _check(mia=mia, mib=mib, f80=f80, p80=p80, k1=k1,
                                              transfer=transfer)
    _check_smaller("p80", p80, "transfer", transfer)
    _check_smaller("transfer", transfer, "f80", f80)
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
    p1, gbp, p80, f80 = _check(p1=p1, gbp=gbp, p80=p80, f80=f80)
    _check_smaller("p80", p80, "f80", f80)
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
    a, b, sg = _check(a=a, b=b, sg=sg)
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
    axb, c, d = _check(axb=axb, c=c, d=d)
    return c * axb ** d


# --------------------------------------------------------------------------- SAG models

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
    sgi, t80, k, n = _check(sgi=sgi, t80=t80, k=k, n=n)
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
    f80, dwi, phi, beta = _check(f80=f80, dwi=dwi, phi=phi, beta=beta)
    exponent = VALID_RANGES["exponent"]
    a = _check_one("a", a, exponent)
    b = _check_one("b", b, exponent)
    e = _check_one("e", e, exponent)
    return beta * f80 ** a * dwi ** b * phi ** e


# --------------------------------------------------------------------------- JK breakage

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
    a, b, ecs = _check(a=a, b=b, ecs=ecs)
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
    a, b, t10 = _check(a=a, b=b, t10=t10)
    _check_smaller("t10", t10, "a", a, unit="%")
    return -np.log(1.0 - t10 / a) / b


# --------------------------------------------------------------------------- mill speed

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
    d = _check(diameter_m=diameter_m)
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
    rpm = _check(rpm=rpm)
    return rpm / mill_critical_speed(diameter_m)
