"""Throughput of a SAG + ball-mill (SAB/SABC) circuit from ore hardness: the capacity model
of geometallurgical forecasting.

Each stage can process its available power over its specific energy:

.. math::
    TPH_{SAG}(T_{80}) = \\frac{P_{SAG}\\,u_{SAG}}{SE_{SAG}(T_{80})}, \\qquad
    TPH_{BM}(T_{80}) = \\frac{P_{BM}\\,u_{BM}}{SE_{BM}(T_{80} \\to P_{80})}

where *u* is the fraction of installed power used. A coarser transfer size T80 lightens
the SAG mill and loads the ball mills, so there is one T80 at which both stages take the
same tonnage; it is found by Newton's method on :math:`\\ln TPH_{SAG} - \\ln TPH_{BM}`
in :math:`\\ln T_{80}` (safeguarded by bisection, vectorised over blocks). Then the limits
are applied in order:

1. T80 is capped at the largest size the transfer screen passes (``t80_max``); the SAG
   mill then sets the throughput and the ball mills, with power to spare, grind finer:
   P80 is recomputed from their energy.
2. The throughput is capped at the hydraulic limit ``tph_max``; both stages then have
   power to spare: T80 (where the SAG energy depends on it) and P80 are recomputed.

``limit`` says what set each block's throughput: ``t80_max``, ``tph_max``, or, for a
balanced circuit, the stage that takes the larger share of the specific energy (``sag``
or ``ball``).

The three SAG models of the seed study (Mining 5(3) (2025) 37,
doi:10.3390/mining5030037):

* ``dwi_bwi`` -- drop-weight power law :func:`dwi_sag_specific_energy` (independent of
  T80) with Bond's law for the ball mills;
* ``smc_bwi`` -- Morrell's coarse relation with Mia from F80 to T80
  (:func:`morrell_specific_energy`; Mia from A*b by :func:`mia_from_axb` when only A*b is
  given) with Bond's law, or with Morrell's Mib when ``ball_model="morrell"``;
* ``sgi_bwi`` -- :func:`sgi_specific_energy` with Bond's law.

``scale`` multiplies the SAG specific energy of the SMC and SGI models (the calibration
factor); the drop-weight law is calibrated through its own constants.

The seed plant (24,000 kW SAG mill using 21,507 kW; 32,800 kW of ball mills using
30,084 kW; F80 71,273 um; P80 229 um; TPHmax 4,058 t/h; T80max 19,783 um) on an ore
with Mia 22 kWh/t and BWi 15 kWh/t:

>>> plant = dict(f80=71273.0, p80=229.0, sag_power_kw=24000.0,
...              sag_power_use=21507 / 24000, ball_power_kw=32800.0,
...              ball_power_use=30084 / 32800, tph_max=4058.0, t80_max=19783.0)
>>> r = sabc_throughput("smc_bwi", mia=22.0, bwi=15.0, k1=0.95, **plant)
>>> round(r.tph), round(r.t80), round(r.p80), r.limit
(3948, 4284, 229, 'ball')

A softer ore hits the hydraulic limit; the spare power grinds finer:

>>> r = sabc_throughput("smc_bwi", mia=19.5, bwi=14.0, k1=0.95, **plant)
>>> round(r.tph), round(r.t80), round(r.p80), r.limit
(4058, 3416, 204, 'tph_max')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from flowsheet.errors import SchemaError
from units.comminution.bond import _bond, _bond_product, bond_specific_energy
from units.comminution.sag_energy import _sgi, dwi_sag_specific_energy, sgi_specific_energy
from units.comminution.smc import _morrell, mia_from_axb, morrell_specific_energy

__all__ = ["SABC_MODELS", "SABCResult", "sabc_throughput"]

#: The SAG-stage models and the hardness inputs each needs.
SABC_MODELS = {"dwi_bwi": ("dwi",), "smc_bwi": ("mia|axb",), "sgi_bwi": ("sgi",)}


@dataclass(frozen=True)
class SABCResult:
    """Per block: throughput [t/h], transfer and product sizes [um], what limits it, the
    specific energies [kWh/t] and the power drawn by each stage [kW]."""

    tph: Any
    t80: Any
    p80: Any
    limit: Any
    se_sag: Any
    se_ball: Any
    sag_kw: Any
    ball_kw: Any


#: What limits a block, by the code used inside :func:`sabc_throughput`.
_LIMITS = np.array(["sag", "ball", "t80_max", "tph_max"], dtype=object)


def _bracketed_newton(fun: Callable[[np.ndarray, np.ndarray], np.ndarray], lo: np.ndarray,
                      hi: np.ndarray, iterations: int = 60, tol: float = 1e-11,
                      start: np.ndarray | None = None,
                      known: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Root in [lo, hi] of ``fun(x, index)``, increasing in x, by Newton's method on ln x
    with bisection whenever a step leaves the bracket. The first slope is a finite
    difference; later ones are secants through the previous iterate, so each pass costs
    one evaluation. Vectorised: each pass works on the entries not yet converged
    (``index`` says which; a slice while all are), so one stubborn block costs little.
    ``start`` is a first guess (the middle of the bracket in ln x by default); ``known``,
    a point ``(x, fun(x))`` already evaluated, gives the first slope as a secant instead of
    a finite difference, which saves one evaluation."""
    a, b = np.log(lo).ravel(), np.log(hi).ravel()
    x = 0.5 * (a + b) if start is None else np.clip(np.log(start).ravel(), a, b)
    out = np.empty_like(x)
    # working arrays hold the entries not yet converged, compacted when some converge
    active: np.ndarray | slice = slice(None)             # all entries, without a gather
    x_old = f_old = None
    h = 1e-7
    for n in range(iterations):
        fx = fun(np.exp(x), active)
        with np.errstate(divide="ignore", invalid="ignore"):
            if n == 0 and known is not None:
                x_k = np.log(np.broadcast_to(known[0], np.shape(lo))).ravel()
                f_k = np.broadcast_to(known[1], np.shape(lo)).ravel()
                slope = (fx - f_k) / (x - x_k)
                bad = ~(np.isfinite(slope) & (slope > 0))
                if bad.any():                       # the known point sits on x itself
                    slope[bad] = ((fun(np.exp(x + h), active)[bad] - fx[bad]) / h)
            elif n == 0:
                slope = (fun(np.exp(x + h), active) - fx) / h
            else:
                slope = (fx - f_old) / (x - x_old)
            step = x - fx / slope
        below = fx < 0
        a = np.where(below, x, a)
        b = np.where(below, b, x)
        # a step onto a bracket end is kept: at the root the step is the point itself
        inside = (step >= a) & (step <= b)                # False for nan
        new = np.where(inside, step, 0.5 * (a + b))
        done = np.abs(new - x) < tol
        x_old, f_old, x = x, fx, new
        if done.all():
            out[active] = x
            break
        if done.any():
            keep = ~done
            index = np.arange(out.size) if isinstance(active, slice) else active
            out[index[done]] = x[done]
            active = index[keep]
            x, a, b, x_old, f_old = x[keep], a[keep], b[keep], x_old[keep], f_old[keep]
    else:
        out[active] = x
    return np.exp(out).reshape(np.shape(lo))


def _shared_start(fun, lo: np.ndarray, hi: np.ndarray, at_hi: np.ndarray
                  ) -> tuple[np.ndarray | None, tuple[np.ndarray, np.ndarray]]:
    """A first guess for many blocks: solve the block of median ``fun(hi)`` alone, then
    take for every block one Newton step from that root, with the slope in ln x of the
    block solved.
    Blocks differ mostly by a factor on one energy (their hardness), which shifts ``fun``
    without bending it, so the step lands close to each root. Returns ``(start, known)``
    for :func:`_bracketed_newton`; for few blocks, no guess and the point at ``hi``."""
    if at_hi.size < 64:
        return None, (hi, at_hi)
    flat = at_hi.ravel()
    j = np.array([np.argpartition(flat, flat.size // 2)[flat.size // 2]])
    t_ref = _bracketed_newton(lambda t, i: fun(t, j), lo.ravel()[j], hi.ravel()[j])
    ln_step = 1e-6
    slope = (fun(t_ref * np.exp(ln_step), j) - fun(t_ref, j)) / ln_step
    ref = np.broadcast_to(t_ref, at_hi.shape)
    at_ref = fun(ref)
    return ref * np.exp(-at_ref / slope), (ref, at_ref)


def _at(value: np.ndarray, i):
    """``value[i]``, or ``value`` itself when it is shared by all blocks (0-d)."""
    return value if value.ndim == 0 else value[i]


def _positive(name: str, value, allow_inf: bool = False) -> np.ndarray:
    v = np.asarray(value, dtype=float)
    bad = ~(v > 0) | (~np.isfinite(v) & ~allow_inf)
    if np.any(bad):
        first = v[bad].ravel()[0] if v.ndim else float(v)
        raise SchemaError(f"{name} must be a positive number, got {first:g}")
    return v


def sabc_throughput(model: str, *, f80, p80, sag_power_kw, sag_power_use, ball_power_kw,
                    ball_power_use, tph_max=np.inf, t80_max=np.inf, bwi=None, mib=None,
                    mia=None, axb=None, sgi=None, dwi=None, k1=1.0, phi=75.0,
                    beta=0.008, a=0.3, b=0.8, e=0.5, sgi_k=5.59, sgi_n=0.55, scale=1.0,
                    ball_model: str = "bond") -> SABCResult:
    """Throughput, transfer size and product size of SAB/SABC circuits, block by block.

    Every numeric argument may be a float or an array (one value per block); they
    broadcast. Sizes in um, powers in kW, specific energies in kWh/t, throughput in t/h.

    Parameters
    ----------
    model : {"dwi_bwi", "smc_bwi", "sgi_bwi"}
    f80, p80 : SAG feed and target circuit product 80 % passing sizes [um].
    sag_power_kw, ball_power_kw : installed power of the SAG mill and of the ball mills.
    sag_power_use, ball_power_use : fraction of installed power used (0, 1].
    tph_max, t80_max : hydraulic throughput limit and largest transfer size.
    bwi, mib : ball-stage hardness (Bond work index, or Morrell's Mib with
        ``ball_model="morrell"``) [kWh/t].
    mia, axb : SMC coarse index [kWh/t] or the JK A*b it is estimated from.
    sgi : SAG grindability index [min]. dwi : drop-weight index [kWh/m3].
    k1 : Morrell's pebble-crusher factor (0.95 with a recycle crusher).
    phi, beta, a, b, e : speed [% critical] and constants of the drop-weight law.
    sgi_k, sgi_n : constants of the SGI model. scale : SAG-energy factor (SMC, SGI).
    """
    if model not in SABC_MODELS:
        from flowsheet.errors import did_you_mean

        raise SchemaError(f"unknown SABC model '{model}'", hint=did_you_mean(model, SABC_MODELS))
    if ball_model not in ("bond", "morrell"):
        raise SchemaError(f"ball_model must be 'bond' or 'morrell', got '{ball_model}'")
    f80 = _positive("f80", f80)
    p80 = _positive("p80", p80)
    if np.any(p80 >= f80):
        raise SchemaError("p80 must be smaller than f80 (sizes in the wrong order?)")
    for name, use in (("sag_power_use", sag_power_use), ("ball_power_use", ball_power_use)):
        u = np.asarray(use, dtype=float)
        if np.any(~(u > 0) | (u > 1)):
            raise SchemaError(f"{name} must be a fraction in (0, 1], got "
                              f"{u[~(u > 0) | (u > 1)].ravel()[0] if u.ndim else float(u):g}")
    p_sag = _positive("sag_power_kw", sag_power_kw) * np.asarray(sag_power_use, dtype=float)
    p_ball = _positive("ball_power_kw", ball_power_kw) * np.asarray(ball_power_use, dtype=float)
    tph_max = _positive("tph_max", tph_max, allow_inf=True)
    t80_max = _positive("t80_max", t80_max, allow_inf=True)

    hardness = [np.asarray(v, dtype=float) for v in (bwi, mib, mia, axb, sgi, dwi, k1, phi,
                                                     scale) if v is not None]
    shape = np.broadcast_shapes(*(np.shape(v) for v in (f80, p80, p_sag, p_ball, tph_max,
                                                         t80_max, *hardness)))

    work = shape or (1,)

    def full(value):
        """One value per block, or a 0-d array for a value shared by all (cheaper)."""
        if value is None:
            return None
        v = np.asarray(value, float)
        return v.reshape(()) if v.size == 1 else np.broadcast_to(v, work).ravel()

    f80, p80, p_sag, p_ball, tph_max, t80_max = map(full, (f80, p80, p_sag, p_ball,
                                                           tph_max, t80_max))
    k1, scale, phi = full(k1), full(scale), full(phi)
    if model == "smc_bwi":
        if mia is None and axb is None:
            raise SchemaError("the smc_bwi model needs 'mia' or 'axb'")
        mia = full(_positive("mia", mia) if mia is not None
                   else mia_from_axb(_positive("axb", axb)))

        def se_sag(t80, i=slice(None)):
            return _at(scale, i) * _morrell(_at(mia, i), _at(f80, i), t80, k=_at(k1, i))
    elif model == "sgi_bwi":
        if sgi is None:
            raise SchemaError("the sgi_bwi model needs 'sgi'")
        sgi = full(_positive("sgi", sgi))

        def se_sag(t80, i=slice(None)):
            return _at(scale, i) * _sgi(_at(sgi, i), t80, sgi_k, sgi_n)
    else:
        if dwi is None:
            raise SchemaError("the dwi_bwi model needs 'dwi'")
        constant = full(dwi_sag_specific_energy(f80, full(_positive("dwi", dwi)), phi, beta,
                                                a, b, e))

        def se_sag(t80, i=slice(None)):
            return _at(constant, i) * np.ones_like(t80)

    if ball_model == "bond":
        if bwi is None:
            raise SchemaError("the ball stage needs 'bwi' (or mib with ball_model: morrell)")
        wi_ball = full(_positive("bwi", bwi))

        def se_ball(t80, product, i=slice(None)):
            return _bond(_at(wi_ball, i), t80, product)
    else:
        if mib is None:
            raise SchemaError("ball_model 'morrell' needs 'mib'")
        mib = full(_positive("mib", mib))

        def se_ball(t80, product, i=slice(None)):
            return _morrell(_at(mib, i), t80, product)

    # every argument is checked once through the public laws; the iterations below use
    # their bare forms on values that stay inside the checked ranges
    t_mid = np.sqrt(p80 * f80)
    if model == "smc_bwi":
        morrell_specific_energy(mia, f80, t_mid, k=k1)
    elif model == "sgi_bwi":
        sgi_specific_energy(sgi, t_mid, k=sgi_k, n=sgi_n)
    if ball_model == "bond":
        bond_specific_energy(wi_ball, t_mid, p80)
    else:
        morrell_specific_energy(mib, t_mid, p80)
    lo = np.broadcast_to(p80 * (1 + 1e-9), work).copy()
    hi = np.broadcast_to(np.minimum(t80_max, f80 * (1 - 1e-9)), work).copy()

    def imbalance(t80, i=slice(None)):
        # ln(SAG tonnage / ball tonnage) = ln[(P_sag / SE_sag) / (P_ball / SE_ball)]
        return np.log((_at(p_sag, i) * se_ball(t80, _at(p80, i), i))
                      / (_at(p_ball, i) * se_sag(t80, i)))

    at_hi = imbalance(hi)
    top = np.where(at_hi > 0, hi, hi * (1 + 1e-12))
    start, known = _shared_start(imbalance, lo, top, at_hi)
    t80 = _bracketed_newton(imbalance, lo, top, start=start, known=known)
    screen = at_hi <= 0                                  # balance lies beyond the screen
    t80 = np.where(screen, hi, t80)
    energy_sag = se_sag(t80)
    tph = p_sag / energy_sag
    sag_share = energy_sag >= se_ball(t80, p80)
    code = np.where(screen & np.isfinite(t80_max), 2, np.where(sag_share | screen, 0, 1))

    capped = tph > tph_max
    tph = np.where(capped, tph_max, tph)
    code = np.where(capped, 3, code)
    limit = _LIMITS[code]
    sub = np.flatnonzero(capped)                         # solved only where a cap binds
    if model != "dwi_bwi" and sub.size:                  # the SAG mill grinds finer
        spare = p_sag / tph

        def excess(t, i):
            return spare[sub[i]] - se_sag(t, sub[i])     # increasing in t
        t80 = t80.copy()
        # first guess: SAG energy falling as T80^-0.3, about as Morrell's and the SGI law do
        guess = t80[sub] * (energy_sag[sub] / spare[sub]) ** 3.4
        t80[sub] = _bracketed_newton(excess, lo[sub],
                                     np.maximum(t80[sub], lo[sub] * (1 + 1e-9)), start=guess,
                                     known=(t80[sub], spare[sub] - energy_sag[sub]))
    # the ball mills spend their power on the tonnage they get
    regrind = np.flatnonzero(screen | capped)
    p80 = np.broadcast_to(p80, work).copy()
    if regrind.size:
        energy = p_ball / tph
        if ball_model == "bond":                         # Bond's law inverts exactly
            top = np.minimum(p80[regrind], t80[regrind] * (1 - 1e-9))
            p80[regrind] = np.minimum(_bond_product(_at(wi_ball, regrind), t80[regrind],
                                                    energy[regrind]), top)
        else:
            p80[regrind] = _product_size(se_ball, energy, t80, p80, regrind)
    s_sag, s_ball = se_sag(t80), se_ball(t80, p80)
    values = (tph, t80, p80, limit, s_sag, s_ball, tph * s_sag, tph * s_ball)
    if not shape:
        return SABCResult(*(v.item() if v.dtype == object else float(v[0]) for v in values))
    return SABCResult(*(v.reshape(shape) for v in values))


def _product_size(se_ball, energy, t80, target, sub):
    """The P80 the ball mills reach with ``energy`` kWh/t from T80 (finer than target),
    for the entries ``sub``."""
    def deficit(p, i):
        j = sub[i]
        return energy[j] - se_ball(t80[j], p, j)         # increasing in p
    top = np.minimum(target[sub], t80[sub] * (1 - 1e-9))
    # r = energy / energy needed for the target; the energy laws fall at least as fast as
    # p^-0.295 (Bond's p^-0.5, Morrell's p^-(0.295 + p/1e6)), so target r^-3.4 needs
    # at least the energy there is, and target r^-2 is Bond's answer for a coarse T80
    needed = se_ball(t80[sub], top, sub)
    r = np.maximum(energy[sub] / needed, 1.0)
    low = np.minimum(top * r ** -3.4, top) * (1 - 1e-6)
    return _bracketed_newton(deficit, low, top, start=top * r ** -2.0,
                             known=(top, energy[sub] - needed))
