r"""Tumbling mills: the SAG mill (``sag_mill``) and the ball mill (``ball_mill``).

Both offer the energy models of :mod:`units.comminution.size_reduction` -- Bond's law
with ``wi``, or Morrell's with ``mia`` (SAG, coarse) or ``mib`` (ball, fine) and the
circuit factor ``k`` (K1 = 0.95 for a SAG mill with a recycle pebble crusher) -- and a
population-balance model.

**Population balance.** The specific rate of breakage of each species follows Austin's
form, energy-normalised after Herbst and Fuerstenau,

.. math::
    S^E_i = \frac{s_E\, x_i^{\alpha}}{1 + (x_i/\mu)^{\Lambda}}, \qquad
    S_i = S^E_i\,\frac{P}{H}, \qquad \tau = \frac{H}{Q}

(:func:`~units.comminution.breakage.austin_selection` with :math:`s_E` in t/kWh at
:math:`x_i` = 1 mm, class midpoints in mm; :func:`~units.comminution.breakage.energy_selection`),
with ``power`` P [kW] times ``power_use``, solids ``holdup`` H [t] and feed solids Q [t/h].
The breakage matrix is Austin's (:func:`~units.comminution.breakage.austin_breakage_matrix`,
``breakage``) and the mill is perfectly mixed or a chain of ``tanks`` equal mixers
(:func:`~units.comminution.breakage.mill_product`). Since :math:`S_i \tau = S^E_i P/Q`, the
product depends on the specific energy, not on the holdup, which sets the residence time
reported. ``selection`` is one set of parameters for all solids, or a mapping from species
to parameters with a ``default`` entry: a mineral's entry overrides only what it names.

A mill may discharge through a ``grate``: a class leaves at the rate of fines times
:math:`1 - C(x)`, with Whiten's classification function
(:func:`~units.comminution.breakage.whiten_classification`) rising from 0 at
``grate_fines`` to 1 at the aperture ``grate`` (shape ``grate_shape``). For a perfectly
mixed mill this is the same as dividing each class's rate of breakage by :math:`1 - C`,
which is how it is computed; nothing coarser than the aperture leaves. The residence time
:math:`\tau` is then that of material discharging freely.

>>> from flowsheet.species import SpeciesTable
>>> from flowsheet.sizes import SizeGrid, rosin_rammler
>>> from flowsheet.stream import Stream
>>> from flowsheet.unit import Context
>>> t = SpeciesTable.from_declarations([{"name": "water"}, {"name": "quartz"}])
>>> g = SizeGrid.geometric(4000, 20)
>>> mill = BallMill.from_config("bm", {"model": "bond", "wi": 14, "power": "1.5 MW"},
...                             Context(t, g))
>>> feed = Stream(t, [60.0, 150.0], psd=rosin_rammler(g, 1000.0, 1.2)[None, :], grid=g)
>>> out, report = mill.run({"in": [feed]})
>>> round(report["specific_energy"], 3), round(report["p80"], 1)
(10.0, 94.2)
>>> out["out"].flows.tolist() == feed.flows.tolist()
True
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import ValidationError

from flowsheet.errors import Location, SchemaError, did_you_mean
from flowsheet.unit import Params, validation_error
from flowsheet.validity import UsualRange
from units.comminution.breakage import (
    austin_breakage_matrix,
    austin_selection,
    energy_selection,
    mill_product,
    whiten_classification,
)
from units.comminution.size_reduction import (
    COMMINUTION_RANGES as _R,
)
from units.comminution.size_reduction import (
    AustinBreakage,
    ComminutionParams,
    SizeReductionUnit,
)
from units.registry import register

__all__ = ["AustinSelection", "SelectionOverride", "MillParams", "SagMillParams",
           "BallMillParams", "TumblingMill", "SagMill", "BallMill", "selection_by_species",
           "breakage_rates", "SAG_ENERGY", "BALL_ENERGY"]

_MILL_SOURCE = ("order-of-magnitude bounds of industrial {what} milling, not a survey; the "
                "seed plant (Mining 2025, 5(3), 37) draws 21,507 kW in its SAG mill and "
                "30,084 kW in its ball mills at about 4,000 t/h: 5.4 and 7.6 kWh/t")

#: Usual specific energy of a SAG mill [kWh/t]: far outside it a power or hardness is
#: most likely mistyped.
SAG_ENERGY = UsualRange(2.0, 20.0, "kWh/t", _MILL_SOURCE.format(what="SAG"))

#: Usual specific energy of a ball mill [kWh/t].
BALL_ENERGY = UsualRange(2.0, 25.0, "kWh/t", _MILL_SOURCE.format(what="ball"))

#: Smallest relative discharge rate through a grate [-]: coarser classes are held back
#: at least this strongly (their rate of breakage is divided by it).
GRATE_FLOOR = 1e-9


class AustinSelection(Params):
    """Energy-normalised selection of one species (see the module docstring)."""

    se: _R.se.type() = _R.se.field(description="specific rate of breakage at 1 mm")
    alpha: _R.alpha.type() = _R.alpha.field(1.0, "slope of the rate with size")
    mu: _R.mu.type() = _R.mu.field(5000.0, "size at which the turn-down halves the "
                                               "rate")
    lam: _R.lam.type() = _R.lam.field(3.0, "steepness of the turn-down")


class SelectionOverride(Params):
    """One entry of a per-species ``selection`` mapping: unnamed fields come from
    ``default``."""

    se: _R.se.type() | None = _R.se.field(None, "specific rate of breakage at 1 mm")
    alpha: _R.alpha.type() | None = _R.alpha.field(None, "slope of the rate with size")
    mu: _R.mu.type() | None = _R.mu.field(None, "size at which the turn-down halves "
                                                     "the rate")
    lam: _R.lam.type() | None = _R.lam.field(None, "steepness of the turn-down")


def selection_by_species(spec: AustinSelection | dict[str, SelectionOverride], table
                         ) -> dict[str, np.ndarray]:
    """Selection parameters per solid species of ``table`` (arrays over
    ``table.solid_index``) from one :class:`AustinSelection` or a mapping species ->
    :class:`SelectionOverride` with a ``default`` entry; errors are located at
    ``selection.<species>``."""
    solids = [table.names[i] for i in table.solid_index]
    if isinstance(spec, AustinSelection):
        chosen = {name: spec for name in solids}
    else:
        for name in spec:
            if name != "default" and name not in solids:
                raise SchemaError(f"'{name}' is not a solid species of the flowsheet",
                                  location=Location(key=f"selection.{name}"),
                                  hint=did_you_mean(name, [*solids, "default"]))
        base = spec["default"].model_dump(exclude_none=True) if "default" in spec else {}
        chosen = {}
        for name in solids:
            own = spec[name].model_dump(exclude_none=True) if name in spec else {}
            try:
                chosen[name] = AustinSelection.model_validate({**base, **own})
            except ValidationError as err:
                inner = validation_error(err, None, AustinSelection)
                key = f"selection.{name if name in spec else 'default'}"
                if inner.location.key:
                    key += f".{inner.location.key}"
                raise type(inner)(inner.message, location=Location(key=key),
                                  hint=inner.hint) from None
    return {field: np.array([getattr(chosen[n], field) for n in solids])
            for field in AustinSelection.model_fields}


def breakage_rates(selection: AustinSelection | dict[str, SelectionOverride],
                   breakage: AustinBreakage, context) -> tuple[np.ndarray, np.ndarray]:
    """Energy-specific rates of breakage per solid species and class, shape
    ``(n_solid, n)`` [t/kWh] at the class midpoints of the context's grid, and Austin's
    breakage matrix; errors are located at ``selection...`` or ``breakage``."""
    grid = context.grid
    rates = selection_by_species(selection, context.table)
    se = austin_selection(grid.midpoints / 1000.0, rates["se"], rates["alpha"],
                          rates["mu"] / 1000.0, rates["lam"])
    try:
        b = austin_breakage_matrix(grid, breakage.phi, breakage.gamma, breakage.beta,
                                   breakage.delta)
    except SchemaError as err:
        raise err.located(key="breakage") from None
    return se, b


class MillParams(ComminutionParams):
    """Parameters of a tumbling mill."""

    holdup: _R.holdup.type() | None = _R.holdup.field(
        None, "solids in the mill (population balance)")
    selection: AustinSelection | dict[str, SelectionOverride] | None = None
    breakage: AustinBreakage = AustinBreakage()
    mixing: Literal["perfect_mixing", "tanks_in_series"] = "perfect_mixing"
    tanks: _R.tanks.type() = _R.tanks.field(1, "number of tanks in series")
    grate: _R.grate.type() | None = _R.grate.field(None, "grate aperture")
    grate_fines: _R.grate_fines.type() | None = _R.grate_fines.field(
        None, "size below which solids discharge freely through the grate")
    grate_shape: _R.grate_shape.type() = _R.grate_shape.field(
        1.0, "shape of the grate curve")

    def _rules(self) -> None:
        super()._rules()
        if self.model == "population_balance":
            for name in ("power", "holdup", "selection"):
                if getattr(self, name) is None:
                    raise ValueError(f"model 'population_balance' needs '{name}'")
            if self.p80 is not None:
                raise ValueError("'p80' is not a parameter of model 'population_balance': "
                                 "the product follows from 'power'")
        else:
            for name in ("holdup", "selection", "grate"):
                if getattr(self, name) is not None:
                    raise ValueError(f"'{name}' applies to model 'population_balance' only")
        if self.tanks > 1 and self.mixing != "tanks_in_series":
            raise ValueError("'tanks' > 1 needs mixing 'tanks_in_series'")
        if (self.grate is None) != (self.grate_fines is None):
            raise ValueError("'grate' and 'grate_fines' go together: give both or neither")
        if self.grate is not None:
            if self.grate_fines >= self.grate:
                raise ValueError(f"'grate_fines' ({self.grate_fines:g} um) must be finer "
                                 f"than 'grate' ({self.grate:g} um)")
            if self.mixing != "perfect_mixing":
                raise ValueError("a 'grate' needs mixing 'perfect_mixing'")


class SagMillParams(MillParams):
    """SAG mill: Morrell's coarse work index ``mia`` and K1 in ``k``."""

    morrell_index = "mia"
    mia: _R.mia.type() | None = _R.mia.field(None, "Morrell coarse work index")


class BallMillParams(MillParams):
    """Ball mill: Morrell's fine work index ``mib``."""

    morrell_index = "mib"
    mib: _R.mib.type() | None = _R.mib.field(None, "Morrell fine work index")


class TumblingMill(SizeReductionUnit):
    """A tumbling mill by an energy model or a population balance."""

    Params = MillParams
    report_units = {**SizeReductionUnit.report_units, "residence_time": "h"}

    def setup(self) -> None:
        super().setup()
        p = self.params
        if p.model != "population_balance":
            return
        grid = self.context.grid
        self._se, self._b = breakage_rates(p.selection, p.breakage, self.context)
        self._release = np.ones(grid.n_classes)
        if p.grate is not None:
            held = whiten_classification(grid.midpoints, p.grate_fines, p.grate,
                                         p.grate_shape)
            self._release = np.maximum(1.0 - held, GRATE_FLOOR)

    def _population_balance(self, rows, q, solids, f80):
        p = self.params
        power = p.drawn_power
        rates = energy_selection(self._se, power, p.holdup)         # 1/h
        tau = p.holdup / solids                                     # h
        product = mill_product(q[:, None] * rows, rates / self._release, self._b, tau,
                               p.mixing, p.tanks)
        total = product.sum(axis=1, keepdims=True)
        return np.divide(product, total, out=np.zeros_like(product), where=total > 0), power

    def _extra_report(self, solids: float) -> dict[str, Any]:
        return {"residence_time": self.params.holdup / solids}


@register("sag_mill")
class SagMill(TumblingMill):
    """Semi-autogenous grinding mill (``mia`` for Morrell's coarse relation)."""

    Params = SagMillParams
    validity = {"specific_energy": SAG_ENERGY}


@register("ball_mill")
class BallMill(TumblingMill):
    """Ball mill (``mib`` for Morrell's fine relation)."""

    Params = BallMillParams
    validity = {"specific_energy": BALL_ENERGY}
