r"""Breakage and selection functions, batch grinding, continuous mills and the Whiten crusher.

A size distribution has shape ``(..., n_classes)`` on a :class:`~flowsheet.sizes.SizeGrid`:
one row per mineral species (the mineral-by-size matrix of a stream) or any other leading
axes. A breakage matrix ``b`` has shape ``(..., n_classes, n_classes)``: ``b[..., i, j]`` is
the mass fraction of the broken product of class ``j`` that falls into class ``i``. It is
strictly lower-triangular (fragments are finer than their parent) and every column but the
pan's sums to 1. A selection function ``S`` (specific rate of breakage) has shape
``(..., n_classes)`` in [1/time]; grinding times and residence times are in the same time
unit (the engine's unit is the hour; Austin's laboratory values are per minute).

The pan has nowhere finer to send its fragments, so its breakage leaves it where it is: its
selection (and crusher classification) is taken as zero, whatever value is passed.

Model parameters broadcast over the leading axes, so each mineral can break with its own:
a size-dependent function returns ``parameter_shape + size_shape``.

>>> from flowsheet.sizes import SizeGrid
>>> grid = SizeGrid([2000, 1000, 500])
>>> b = austin_breakage_matrix(grid, phi=0.5, gamma=1.0, beta=2.0)
>>> w = batch_grinding([1.0, 0.0, 0.0, 0.0], [0.5, 0.4, 0.3, 0.0], b, t=2.0)
>>> round(float(w.sum()), 12), round(float(w[0]), 6)  # mass kept; w_1 = exp(-0.5 * 2)
(1.0, 0.367879)
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from flowsheet.errors import SchemaError
from flowsheet.sizes import SizeGrid

__all__ = [
    "austin_breakage_matrix",
    "austin_selection",
    "energy_selection",
    "batch_grinding",
    "mill_product",
    "whiten_classification",
    "whiten_crusher",
]

Array = NDArray[np.float64]

#: Tolerance on the column sums of a breakage matrix (each must be 1 but the pan's).
COLUMN_SUM_TOLERANCE = 1e-9
#: Largest ratio of sum_ij |a_ij| (Reid's coefficients) to the total mass for which
#: :func:`batch_grinding` uses Reid's closed form; rounding errors grow with it, so beyond
#: (rates close to one another) the matrix exponential is used instead.
REID_AMPLIFICATION_LIMIT = 1e3


def _param(name: str, value: ArrayLike, *, low: float | None = None, high: float | None = None,
           open_low: bool = False) -> Array:
    """``value`` as a float array, or a :class:`SchemaError` naming ``name`` and its range."""
    arr = np.asarray(value, dtype=float)
    ok = np.isfinite(arr)
    accepted = "finite"
    if low is not None:
        ok &= (arr > low) if open_low else (arr >= low)
        accepted += f" and {'>' if open_low else '>='} {low:g}"
    if high is not None:
        ok &= arr <= high
        accepted += f" and <= {high:g}"
    if not np.all(ok):
        raise SchemaError(f"'{name}' must be {accepted}, got {arr[~ok].flat[0]:g}")
    return arr


def _sized(name: str, value: ArrayLike, n: int | None = None) -> Array:
    """A per-class array of shape ``(..., n)`` (any ``n >= 2`` if None), finite and >= 0."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0 or (arr.shape[-1] != n if n is not None else arr.shape[-1] < 2):
        want = f"{n} size classes" if n is not None else "at least 2 size classes"
        raise SchemaError(f"'{name}' needs {want} on its last axis, got shape {arr.shape}")
    return _param(name, arr, low=0.0)


def _breakage(b: ArrayLike, n: int) -> Array:
    """Check a breakage matrix: shape ``(..., n, n)``, >= 0, strictly lower, columns sum to 1."""
    arr = np.asarray(b, dtype=float)
    if arr.ndim < 2 or arr.shape[-2:] != (n, n):
        raise SchemaError(f"'b' must have shape (..., {n}, {n}) for {n} size classes, got "
                          f"{arr.shape}")
    _param("b", arr, low=0.0)
    if np.any(np.triu(arr) != 0):
        raise SchemaError("'b' must be strictly lower-triangular: fragments of class j fall "
                          "only into finer classes i > j")
    sums = arr[..., :-1].sum(axis=-2)
    if np.any(np.abs(sums - 1.0) > COLUMN_SUM_TOLERANCE):
        bad = sums.flat[np.argmax(np.abs(sums - 1.0))]
        raise SchemaError(f"every column of 'b' but the pan's must sum to 1, got {bad:.12g}")
    return arr


def _rates(selection: ArrayLike, n: int) -> Array:
    """Selection function with the pan's rate set to zero."""
    s = _sized("selection", selection, n).copy()
    s[..., -1] = 0.0
    return s


def austin_breakage_matrix(grid: SizeGrid, phi: ArrayLike, gamma: ArrayLike, beta: ArrayLike,
                           delta: ArrayLike = 0.0, x_ref: float | None = None) -> Array:
    r"""Breakage matrix ``b`` [-] of the Austin form, shape ``param_shape + (n, n)``.

    The cumulative breakage function -- the fraction of the fragments of class ``j`` finer
    than the top of class ``i`` -- is

    .. math::

        B_{ij} = \Phi_j \left(\frac{x_{i-1}}{x_j}\right)^{\gamma}
            + (1 - \Phi_j) \left(\frac{x_{i-1}}{x_j}\right)^{\beta}, \qquad i > j,

        \Phi_j = \Phi \, (x_j / x_{ref})^{-\delta}, \qquad b_{ij} = B_{ij} - B_{i+1, j}

    with :math:`x_j` the lower sieve of class ``j`` [um], so that :math:`B_{j+1,j} = 1`, and
    :math:`B_{n,j} = 0` below the pan (the pan takes the remainder). On a geometric sieve
    series the ratio is Austin's :math:`x_{i-1}/x_j` of upper class sizes, and ``delta = 0``
    gives his normalisable form: ``b_ij`` depends on ``i - j`` only (the pan apart).

    Parameters
    ----------
    grid : SizeGrid
        The size grid [um].
    phi : array_like
        Fraction of the fine (``gamma``) component [-], in [0, 1].
    gamma, beta : array_like
        Slopes of the fine and coarse components on log-log axes [-], > 0.
    delta : array_like, optional
        Size dependence of :math:`\Phi_j` [-] (0: normalisable).
    x_ref : float, optional
        Size at which :math:`\Phi_j = \Phi` [um]; default the top sieve.

    Sources: Austin, L. G. and Luckie, P. T. (1972), "Methods for determination of breakage
    distribution parameters", Powder Technol. 5, 215-222; Austin, L. G., Klimpel, R. R. and
    Luckie, P. T. (1984), Process Engineering of Size Reduction: Ball Milling, SME-AIME.

    >>> from flowsheet.sizes import SizeGrid
    >>> b = austin_breakage_matrix(SizeGrid([2000, 1000, 500]), 0.5, 1.0, 2.0)
    >>> b[:, 0].tolist()  # B = 1, 0.375, 0.15625 at 1000, 500 um and the pan's top
    [0.0, 0.625, 0.21875, 0.15625]
    """
    phi_ = _param("phi", phi, low=0.0, high=1.0)
    gamma_ = _param("gamma", gamma, low=0.0, open_low=True)
    beta_ = _param("beta", beta, low=0.0, open_low=True)
    delta_ = _param("delta", delta)
    s = grid.sieves
    ref = float(s[0]) if x_ref is None else float(_param("x_ref", x_ref, low=0.0, open_low=True))
    phi_, gamma_, beta_, delta_ = (a[..., None, None] for a in
                                   np.broadcast_arrays(phi_, gamma_, beta_, delta_))
    n = grid.n_classes
    phi_j = phi_ * (s / ref) ** -delta_  # (..., 1, n - 1), one per breaking class
    if np.any(phi_j > 1.0):
        raise SchemaError(f"'phi' with 'delta' gives Phi_j > 1 on this grid (largest "
                          f"{np.max(phi_j):.4g}); Phi_j = phi (x_j/x_ref)^-delta must be <= 1")
    # ratio[i, j] = sieve i-1 / sieve j for rows i = 1..n-1, columns j = 0..n-2
    rows = np.arange(1, n)[:, None]
    cols = np.arange(n - 1)[None, :]
    below = rows > cols
    ratio = np.where(below, s[rows - 1] / s[cols], 0.0)
    B = np.where(below, phi_j * ratio**gamma_ + (1.0 - phi_j) * ratio**beta_, 0.0)
    shape = B.shape[:-2]
    B = np.concatenate((np.zeros(shape + (1, n - 1)), B, np.zeros(shape + (1, n - 1))), axis=-2)
    b = np.zeros(shape + (n, n))
    b[..., :, :-1] = np.where(np.arange(n)[:, None] > cols, B[..., :-1, :] - B[..., 1:, :], 0.0)
    return b


def austin_selection(x: ArrayLike, a: ArrayLike, alpha: ArrayLike, mu: ArrayLike,
                     lam: ArrayLike) -> Array:
    r"""Specific rate of breakage ``S`` [1/min, the unit of ``a``] of Austin's form.

    .. math:: S_i = \frac{a \, x_i^{\alpha}}{1 + (x_i / \mu)^{\Lambda}}

    The numerator is the first-order rate of "normal" breakage; the denominator turns it
    down for sizes too large to be nipped by the balls, giving a maximum at
    :math:`x_m = \mu \, [\alpha / (\Lambda - \alpha)]^{1/\Lambda}` when
    :math:`\Lambda > \alpha`. The result has shape ``param_shape + x.shape``.

    Parameters
    ----------
    x : array_like
        Particle size [mm], > 0 (commonly the upper size or geometric mean of each class).
    a : array_like
        Rate of breakage at 1 mm without the turn-down [1/min], >= 0.
    alpha : array_like
        Slope of the rate with size [-], finite.
    mu : array_like
        Size at which the turn-down halves the rate [mm], > 0.
    lam : array_like
        Steepness of the turn-down, Austin's :math:`\Lambda` [-], >= 0.

    Sources: Austin, L. G., Shoji, K. and Luckie, P. T. (1976), "The effect of ball size on
    mill performance", Powder Technol. 14, 71-79; Austin, Klimpel and Luckie (1984),
    Process Engineering of Size Reduction: Ball Milling, SME-AIME.

    >>> austin_selection([0.5, 1.0, 2.0], a=0.8, alpha=1.0, mu=1.0, lam=2.0).tolist()
    [0.32, 0.4, 0.32]
    """
    x_ = _param("x", x, low=0.0, open_low=True)
    params = np.broadcast_arrays(_param("a", a, low=0.0), _param("alpha", alpha),
                                 _param("mu", mu, low=0.0, open_low=True),
                                 _param("lam", lam, low=0.0))
    a_, alpha_, mu_, lam_ = (p.reshape(p.shape + (1,) * x_.ndim) for p in params)
    return a_ * x_**alpha_ / (1.0 + (x_ / mu_) ** lam_)


def energy_selection(specific_selection_se: ArrayLike, power_kw: ArrayLike,
                     holdup_t: ArrayLike) -> Array:
    r"""Specific rate of breakage ``S`` [1/h] from its energy-normalised value.

    .. math:: S_i = S_i^E \, \frac{P}{H}

    Herbst and Fuerstenau found :math:`S_i^E` [t/kWh] nearly independent of mill size and
    operating conditions, which lets a laboratory value scale to a plant mill drawing
    power ``P`` [kW] with a solids holdup ``H`` [t]. Arguments broadcast by numpy's rules (a
    scalar power and holdup for one mill).

    Source: Herbst, J. A. and Fuerstenau, D. W. (1980), "Scale-up procedure for continuous
    grinding mill design using population balance models", Int. J. Miner. Process. 7,
    1-31, doi:10.1016/0301-7516(80)90034-4.

    >>> energy_selection([0.5, 0.25], power_kw=2000.0, holdup_t=40.0).tolist()
    [25.0, 12.5]
    """
    se = _param("specific_selection_se", specific_selection_se, low=0.0)
    power = _param("power_kw", power_kw, low=0.0)
    holdup = _param("holdup_t", holdup_t, low=0.0, open_low=True)
    return se * power / holdup


def _batch_setup(selection: ArrayLike, b: ArrayLike, n: int) -> Array:
    """Rate matrix ``A = (b - I) diag(S)`` of ``dw/dt = A w``, pan not breaking."""
    s = _rates(selection, n)
    return (_breakage(b, n) - np.eye(n)) * s[..., None, :]


def _reid(A: Array, w: Array) -> tuple[Array, Array, Array] | None:
    """Reid's solution ``w(t) = V diag(exp(-S t)) c`` of ``dw/dt = A w``: returns ``V``, ``c``
    and ``S``, or None when coinciding or close rates make it inexact.

    ``V`` holds the eigenvectors of the lower-triangular ``A`` (unit diagonal), found by
    forward recursion; Reid's coefficients are ``a_ij = V_ij c_j``.
    """
    n = A.shape[-1]
    batch = np.broadcast_shapes(A.shape[:-2], w.shape[:-1])
    A = np.broadcast_to(A, batch + (n, n))
    s = -np.diagonal(A, axis1=-2, axis2=-1)
    V = np.zeros(batch + (n, n))
    V[..., 0, 0] = 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in range(1, n):
            num = np.einsum("...k,...kj->...j", A[..., i, :i], V[..., :i, :i])
            V[..., i, :i] = np.where(num == 0, 0.0, num / (s[..., i:i + 1] - s[..., :i]))
            V[..., i, i] = 1.0
    if not np.all(np.isfinite(V)):
        return None
    c = np.linalg.solve(V, np.broadcast_to(w, batch + (n,))[..., None])[..., 0]
    size = (np.abs(V) @ np.abs(c)[..., None])[..., 0].sum(axis=-1)
    total = w.sum(axis=-1)
    if np.any(size > REID_AMPLIFICATION_LIMIT * total):
        return None
    return V, c, s


def batch_grinding(w0: ArrayLike, selection: ArrayLike, b: ArrayLike, t: ArrayLike) -> Array:
    r"""Size distribution after batch grinding for time ``t``: the exact linear solution.

    Solves the size-mass balance of a well-mixed batch mill with first-order breakage,

    .. math::

        \frac{dw_i}{dt} = -S_i w_i + \sum_{j<i} b_{ij} S_j w_j
        \quad\Rightarrow\quad w(t) = \exp\!\big(t \, (b - I) \, \mathrm{diag}(S)\big) \, w(0),

    exactly. Reid's closed form :math:`w_i(t) = \sum_{j \le i} a_{ij} e^{-S_j t}`, with
    :math:`a_{ij} = \sum_{k=j}^{i-1} b_{ik} S_k a_{kj} / (S_i - S_j)` for :math:`j < i` and
    :math:`a_{ii} = w_i(0) - \sum_{j<i} a_{ij}`, is used when the rates are distinct enough
    for it to be accurate (:data:`REID_AMPLIFICATION_LIMIT`); otherwise -- equal or close
    rates -- the matrix exponential (scipy.linalg.expm). The top class decays by first order,
    :math:`w_1(t) = w_1(0) e^{-S_1 t}`, and the total mass is conserved.

    Parameters
    ----------
    w0 : array_like
        Initial masses or mass fractions, shape ``(..., n)``, >= 0.
    selection : array_like
        Specific rates of breakage, shape ``(..., n)`` [1/time], >= 0; the pan's is ignored.
    b : array_like
        Breakage matrix, shape ``(..., n, n)`` (see :func:`austin_breakage_matrix`).
    t : array_like
        Grinding time(s) [time], >= 0: a scalar, or an array of shape ``T``.

    Returns
    -------
    ndarray
        Shape ``batch + (n,)`` for a scalar ``t``, else ``T + batch + (n,)``; rounding
        residues below zero (about 1e-15) are set to zero.

    Sources: Reid, K. J. (1965), "A solution to the batch grinding equation", Chem. Eng.
    Sci. 20, 953-963, doi:10.1016/0009-2509(65)80093-8; Austin, Klimpel and Luckie (1984).

    >>> b = [[0, 0, 0], [0.75, 0, 0], [0.25, 1.0, 0]]
    >>> w = batch_grinding([1.0, 0, 0], [1.0, 0.5, 0], b, t=[0.0, 1.0])
    >>> w.round(6).tolist()  # w_2 = 1.5 (exp(-0.5 t) - exp(-t))
    [[1.0, 0.0, 0.0], [0.367879, 0.357977, 0.274144]]
    """
    w = _sized("w0", w0)
    n = w.shape[-1]
    A = _batch_setup(selection, b, n)
    times = _param("t", t, low=0.0)
    batch = np.broadcast_shapes(A.shape[:-2], w.shape[:-1])
    reid = _reid(A, w)
    if reid is not None:
        V, c, s = reid
        decay = np.exp(-s * times.reshape(times.shape + (1,) * s.ndim))
        out = (V @ (c * decay)[..., None])[..., 0]
    else:
        from scipy.linalg import expm

        E = expm(A * times.reshape(times.shape + (1,) * A.ndim))
        E = E.reshape(times.shape + (1,) * (len(batch) + 2 - A.ndim) + A.shape)
        out = (E @ w[..., None])[..., 0]
    return np.maximum(out, 0.0) + 0.0  # rounding leaves about -1e-15 where 0 is exact


def mill_product(feed: ArrayLike, selection: ArrayLike, b: ArrayLike, tau: float,
                 model: Literal["perfect_mixing", "tanks_in_series", "plug"] = "perfect_mixing",
                 n_tanks: int = 1) -> Array:
    r"""Steady-state product of a continuous mill with first-order breakage [feed units].

    A perfectly mixed mill of mean residence time :math:`\tau` discharges the size
    distribution it holds; the size-mass balance of each class is

    .. math::

        p_i = \frac{f_i + \tau \sum_{j<i} b_{ij} S_j p_j}{1 + \tau S_i}
        \quad\Leftrightarrow\quad p = \big(I + \tau (I - b) \, \mathrm{diag}(S)\big)^{-1} f.

    ``tanks_in_series`` chains ``n_tanks`` such tanks of :math:`\tau / N` each (the
    residence-time distribution of N mixers in series); ``plug`` grinds the feed as a batch
    for :math:`\tau` (:func:`batch_grinding`), the limit of many tanks. Mass is conserved.

    Parameters
    ----------
    feed : array_like
        Feed size distribution or mass flows, shape ``(..., n)``, >= 0.
    selection : array_like
        Specific rates of breakage, shape ``(..., n)`` [1/time], >= 0; the pan's is ignored.
    b : array_like
        Breakage matrix, shape ``(..., n, n)``.
    tau : float
        Mean residence time of the solids [time], >= 0.
    model : {"perfect_mixing", "tanks_in_series", "plug"}
        Residence-time distribution.
    n_tanks : int
        Number of equal tanks (``tanks_in_series`` only; 1 otherwise).

    Sources: Whiten, W. J. (1974), "A matrix theory of comminution machines", Chem. Eng.
    Sci. 29, 589-599 (perfect mixing); Austin, Klimpel and Luckie (1984), Process
    Engineering of Size Reduction: Ball Milling, SME-AIME (mixing models).

    >>> b = [[0, 0], [1.0, 0]]
    >>> mill_product([1.0, 0.0], [0.5, 0.0], b, tau=2.0).tolist()  # p_1 = 1 / (1 + 0.5 * 2)
    [0.5, 0.5]
    """
    models = ("perfect_mixing", "tanks_in_series", "plug")
    if model not in models:
        raise SchemaError(f"'model' must be one of {', '.join(models)}, got {model!r}")
    if isinstance(n_tanks, bool) or not isinstance(n_tanks, (int, np.integer)) or n_tanks < 1:
        raise SchemaError(f"'n_tanks' must be an integer >= 1, got {n_tanks!r}")
    if model != "tanks_in_series" and n_tanks != 1:
        raise SchemaError(f"'n_tanks' applies to model 'tanks_in_series' only, got n_tanks="
                          f"{n_tanks} with model {model!r}")
    if np.ndim(tau) != 0:
        raise SchemaError(f"'tau' must be one residence time (a scalar), got shape "
                          f"{np.shape(tau)}")
    tau_ = float(_param("tau", tau, low=0.0))
    f = _sized("feed", feed)
    n = f.shape[-1]
    if model == "plug":
        return batch_grinding(f, selection, b, tau_)
    A = _batch_setup(selection, b, n)
    one_tank = np.linalg.inv(np.eye(n) - (tau_ / n_tanks) * A)  # (I + tau/N (I - b) S)^-1
    transfer = np.linalg.matrix_power(one_tank, int(n_tanks))
    return (transfer @ f[..., None])[..., 0]


def whiten_classification(d: ArrayLike, k1: ArrayLike, k2: ArrayLike, k3: ArrayLike) -> Array:
    r"""Probability [-] that a particle of size ``d`` is selected for breakage in a crusher.

    .. math::

        C(d) = \begin{cases} 0 & d \le K_1 \\
            1 - \left(\dfrac{K_2 - d}{K_2 - K_1}\right)^{K_3} & K_1 < d < K_2 \\
            1 & d \ge K_2 \end{cases}

    Particles smaller than :math:`K_1` pass the crusher unbroken, those larger than
    :math:`K_2` are all broken. The result has shape ``param_shape + d.shape``.

    Parameters
    ----------
    d : array_like
        Particle size [um], >= 0.
    k1, k2 : array_like
        Sizes [um] below which nothing and above which everything is broken,
        0 <= K1 < K2.
    k3 : array_like
        Shape of the curve between them [-], > 0.

    Sources: Whiten, W. J. (1972), "The simulation of crushing plants with models developed
    using multiple spline regression", J. S. Afr. Inst. Min. Metall. 72, 257-264;
    Napier-Munn, T. J., Morrell, S., Morrison, R. D. and Kojovic, T. (1996), Mineral
    Comminution Circuits: Their Operation and Optimisation, JKMRC, ch. 6.

    >>> whiten_classification([50.0, 200.0, 400.0], k1=100.0, k2=300.0, k3=2.0).tolist()
    [0.0, 0.75, 1.0]
    """
    d_ = _param("d", d, low=0.0)
    k1_, k2_, k3_ = np.broadcast_arrays(_param("k1", k1, low=0.0), _param("k2", k2),
                                        _param("k3", k3, low=0.0, open_low=True))
    if np.any(k2_ <= k1_):
        i = np.argmax(k2_ <= k1_)
        raise SchemaError(f"'k2' must be greater than 'k1', got k1={k1_.flat[i]:g} um and "
                          f"k2={k2_.flat[i]:g} um")
    k1_, k2_, k3_ = (p.reshape(p.shape + (1,) * d_.ndim) for p in (k1_, k2_, k3_))
    z = np.clip((k2_ - d_) / (k2_ - k1_), 0.0, 1.0)
    return 1.0 - z**k3_


def whiten_crusher(feed: ArrayLike, grid: SizeGrid, k1: ArrayLike, k2: ArrayLike,
                   k3: ArrayLike, b: ArrayLike) -> Array:
    r"""Product of a crusher by Whiten's classification-breakage model [feed units].

    Material in the crushing zone is classified: a fraction :math:`C_i` of each class is
    broken (its fragments distributed by ``b``) and returns to the zone, the rest leaves.
    The balance :math:`x = f + B C x`, :math:`p = (I - C) x` gives

    .. math:: p = (I - C)(I - B C)^{-1} f

    with :math:`C = \mathrm{diag}(C(d_i))` from :func:`whiten_classification` at each
    class's geometric mean size ``grid.midpoints`` (the pan is not broken). :math:`I - BC`
    is unit lower-triangular, so the solve always exists; mass is conserved.

    Parameters
    ----------
    feed : array_like
        Feed size distribution or mass flows, shape ``(..., n)``, >= 0.
    grid : SizeGrid
        The size grid [um].
    k1, k2, k3 : array_like
        Classification parameters [um, um, -] (see :func:`whiten_classification`); they
        broadcast over the leading axes of ``feed`` (one set per mineral).
    b : array_like
        Breakage matrix, shape ``(..., n, n)`` (for example :func:`austin_breakage_matrix`).

    Sources: Whiten (1972), J. S. Afr. Inst. Min. Metall. 72, 257-264; Whiten (1974), Chem.
    Eng. Sci. 29, 589-599; Napier-Munn et al. (1996), Mineral Comminution Circuits, ch. 6.

    >>> from flowsheet.sizes import SizeGrid
    >>> grid = SizeGrid([400, 100])  # midpoints 800, 200 and 50 um
    >>> b = [[0, 0, 0], [0.6, 0, 0], [0.4, 1.0, 0]]
    >>> whiten_crusher([0.5, 0.3, 0.2], grid, k1=100, k2=300, k3=1, b=b).round(12).tolist()
    [0.0, 0.3, 0.7]
    """
    n = grid.n_classes
    f = _sized("feed", feed, n)
    bb = _breakage(b, n)
    C = whiten_classification(grid.midpoints, k1, k2, k3)
    C[..., -1] = 0.0
    M = np.eye(n) - bb * C[..., None, :]
    batch = np.broadcast_shapes(M.shape[:-2], f.shape[:-1])
    x = np.linalg.solve(np.broadcast_to(M, batch + (n, n)),
                        np.broadcast_to(f, batch + (n,))[..., None])[..., 0]
    return (1.0 - C) * x
