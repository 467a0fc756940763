r"""Crushers: ``gyratory_crusher``, ``jaw_crusher``, ``cone_crusher`` and ``pebble_crusher``.

Each offers the energy models of :mod:`units.comminution.size_reduction` (Bond's law with
``wi``; Morrell's crushing relation :math:`W_c = S_c K_2 M_{ic}\,4(\dots)` with ``mic`` and
the product :math:`S_c K_2` in ``k``: K2 = 1.0 in closed circuit with a screen, 1.19 open)
and Whiten's classification-breakage model (``population_balance``,
:func:`~units.comminution.breakage.whiten_crusher`) set by the closed-side setting
``css``. The classification sizes follow the setting by the linear forms

.. math:: K_1 = a\,CSS, \qquad K_2 = b\,CSS + c, \qquad K_3 \text{ given}

(``k1_css`` = a, ``k2_css`` = b, ``k2_offset`` = c, ``k3``): particles finer than
:math:`K_1` pass unbroken, coarser than :math:`K_2` are always broken. These are the
JKMRC regressions of Whiten (1972) and Andersen and Napier-Munn (1990) -- K1 and K2
linear in CSS plus throughput, feed-size and liner terms -- with those other terms folded
into the constants, so that a = 1, c = throw recovers the usual reading K1 ~ CSS,
K2 ~ open-side setting of a jaw or gyratory. The defaults of each crusher type are
starting values to be fitted to a survey, not published constants. The fragments of each
breakage event follow Austin's breakage matrix (``breakage``). With this model the power
is not an input: the specific energy is read off the size-energy law (``wi`` or ``mic``,
one of them required) between the feed F80 and the computed product P80.

Sources: Whiten, W. J. (1972), J. S. Afr. Inst. Min. Metall. 72, 257-264; Andersen, J. S.
and Napier-Munn, T. J. (1990), "The influence of liner condition on cone crusher
performance", Minerals Engineering 3, 105-116; Napier-Munn, T. J., Morrell, S., Morrison,
R. D. and Kojovic, T. (1996), Mineral Comminution Circuits, JKMRC, ch. 6; Morrell, S.
(2009), Minerals Engineering 22, 544-549.

>>> from flowsheet.species import SpeciesTable
>>> from flowsheet.sizes import SizeGrid, rosin_rammler
>>> from flowsheet.stream import Stream
>>> from flowsheet.unit import Context
>>> t = SpeciesTable.from_declarations([{"name": "quartz"}])
>>> g = SizeGrid.geometric(128000, 1000)
>>> cone = ConeCrusher.from_config("c", {"model": "population_balance", "css": "13 mm",
...                                      "wi": 14}, Context(t, g))
>>> feed = Stream(t, [300.0], psd=rosin_rammler(g, 40000.0, 1.5)[None, :], grid=g)
>>> out, report = cone.run({"in": [feed]})
>>> report["p80"] < 1.2 * 13000 < report["f80"]
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from flowsheet.sizes import percentile_size
from units.comminution.breakage import austin_breakage_matrix, whiten_crusher
from units.comminution.size_reduction import (
    COMMINUTION_RANGES as _R,
)
from units.comminution.size_reduction import (
    AustinBreakage,
    ComminutionParams,
    SizeReductionUnit,
)
from units.registry import register

__all__ = ["CrusherParams", "GyratoryCrusherParams", "JawCrusherParams", "ConeCrusherParams",
           "PebbleCrusherParams", "Crusher", "GyratoryCrusher", "JawCrusher", "ConeCrusher",
           "PebbleCrusher"]


class CrusherParams(ComminutionParams):
    """Parameters of a crusher (see the module docstring)."""

    morrell_index = "mic"
    mic: _R.mic.type() | None = _R.mic.field(None, "Morrell crushing work index")
    css: _R.css.type() | None = _R.css.field(None, "closed-side setting")
    k1_css: _R.k1_css.type() = _R.k1_css.field(0.7, "K1 / CSS")
    k2_css: _R.k2_css.type() = _R.k2_css.field(1.7, "slope of K2 on CSS")
    k2_offset: _R.k2_offset.type() | None = _R.k2_offset.field(
        None, "K2 at zero CSS; default 0")
    k3: _R.k3.type() = _R.k3.field(2.3, "shape of the classification curve")
    breakage: AustinBreakage = AustinBreakage()

    def _rules(self) -> None:
        super()._rules()
        if self.model == "population_balance":
            if self.css is None:
                raise ValueError("model 'population_balance' needs the closed-side setting "
                                 "'css'")
            for name in ("power", "p80"):
                if getattr(self, name) is not None:
                    raise ValueError(f"'{name}' is not a parameter of model "
                                     "'population_balance': the closed-side setting 'css' "
                                     "sets the product")
            if self.wi is None and self.mic is None:
                raise ValueError("model 'population_balance' needs 'wi' or 'mic' to work out "
                                 "the power")
            if self.k1_css * self.css >= self.k2:
                raise ValueError(f"'k1_css' gives K1 = {self.k1_css * self.css:g} um, not "
                                 f"below K2 = {self.k2:g} um")
        elif self.css is not None:
            raise ValueError("'css' applies to model 'population_balance' only")

    @property
    def k2(self) -> float:
        """K2 [um] from the closed-side setting."""
        return self.k2_css * self.css + (self.k2_offset or 0.0)


class GyratoryCrusherParams(CrusherParams):
    """Gyratory crusher: K2 near the open-side setting, CSS plus the throw."""

    k1_css: _R.k1_css.type() = _R.k1_css.field(0.9, "K1 / CSS")
    k2_css: _R.k2_css.type() = _R.k2_css.field(1.0, "slope of K2 on CSS")
    k2_offset: _R.k2_offset.type() | None = _R.k2_offset.field(
        35000.0, "K2 at zero CSS (the throw)")


class JawCrusherParams(CrusherParams):
    """Jaw crusher: K2 near the open-side setting, CSS plus the throw."""

    k1_css: _R.k1_css.type() = _R.k1_css.field(0.9, "K1 / CSS")
    k2_css: _R.k2_css.type() = _R.k2_css.field(1.0, "slope of K2 on CSS")
    k2_offset: _R.k2_offset.type() | None = _R.k2_offset.field(
        25000.0, "K2 at zero CSS (the throw)")


class ConeCrusherParams(CrusherParams):
    """Cone crusher: K1 and K2 in proportion to CSS."""


class PebbleCrusherParams(CrusherParams):
    """Pebble crusher: a cone crusher on SAG-mill pebbles, usually in open circuit."""


class Crusher(SizeReductionUnit):
    """A crusher by an energy model or Whiten's model."""

    Params = CrusherParams
    report_units = {**SizeReductionUnit.report_units, "css": "um", "k1": "um", "k2": "um",
                    "k3": "1"}

    def setup(self) -> None:
        super().setup()
        p = self.params
        if p.model != "population_balance":
            return
        self._pbm_law = self._make_law("bond" if p.wi is not None else "morrell")
        b = p.breakage
        self._b = austin_breakage_matrix(self.context.grid, b.phi, b.gamma, b.beta, b.delta)
        self._k = (p.k1_css * p.css, p.k2, p.k3)

    def _population_balance(self, rows, q, solids, f80):
        k1, k2, k3 = self._k
        product = whiten_crusher(rows, self.context.grid, k1, k2, k3, self._b)
        total = product.sum(axis=1, keepdims=True)
        product = np.divide(product, total, out=np.zeros_like(product), where=total > 0)
        p80 = float(percentile_size(self.context.grid, q @ product / solids, 80.0))
        energy = float(self._pbm_law(f80, p80)) if p80 < f80 else 0.0
        return product, energy * solids

    def _extra_report(self, solids: float) -> dict[str, Any]:
        k1, k2, k3 = self._k
        return {"css": self.params.css, "k1": k1, "k2": k2, "k3": k3}


@register("gyratory_crusher")
class GyratoryCrusher(Crusher):
    """Primary gyratory crusher."""

    Params = GyratoryCrusherParams


@register("jaw_crusher")
class JawCrusher(Crusher):
    """Jaw crusher."""

    Params = JawCrusherParams


@register("cone_crusher")
class ConeCrusher(Crusher):
    """Secondary or tertiary cone crusher."""

    Params = ConeCrusherParams


@register("pebble_crusher")
class PebbleCrusher(Crusher):
    """Cone crusher on the pebbles screened from a SAG-mill discharge."""

    Params = PebbleCrusherParams
