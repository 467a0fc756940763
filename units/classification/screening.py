r"""Vibrating screens (``screen``) and trommels (``trommel``): outlets ``oversize`` and
``undersize``.

Each size class of every solid species is split by a partition curve evaluated at the
class midpoint, the fraction to the oversize being

* ``model: efficiency_curve`` (default) -- Whiten's curve as the JKMRC screen model uses
  it (:func:`~units.classification.screens.screen_efficiency_curve`), with the cut
  :math:`d_{50}` = ``d50_ratio`` times the ``aperture`` and sharpness ``alpha``;
* ``model: probability`` -- Gaudin's probability of passage over ``trials`` independent
  trials (:func:`~units.classification.screens.screen_partition`) on a square mesh of
  the ``aperture`` and ``wire`` diameter.

The water, and everything else that is not a solid, goes to the oversize in the fraction
``water_split``. A trommel is the same model with defaults for a drum screen on a mill
discharge: a less sharp cut and less water carried over.

The report holds ``d50`` [um] (for the efficiency curve), ``oversize_solids`` (the
fraction of the feed solids to the oversize [-]), ``undersize_recovery`` (the fraction of
the feed solids in classes finer than the aperture that reach the undersize [-]) and the P80 of both
products [um].

>>> from flowsheet.species import SpeciesTable
>>> from flowsheet.sizes import SizeGrid, rosin_rammler
>>> from flowsheet.stream import Stream
>>> from flowsheet.unit import Context
>>> t = SpeciesTable.from_declarations([{"name": "water"}, {"name": "quartz"}])
>>> g = SizeGrid.geometric(64000, 100)
>>> deck = Screen.from_config("s", {"aperture": "12 mm"}, Context(t, g))
>>> feed = Stream(t, [300.0, 1000.0], psd=rosin_rammler(g, 10000.0, 0.8)[None, :], grid=g)
>>> out, report = deck.run({"in": [feed]})
>>> round(report["d50"]), bool(out["undersize"].p80 < 12000 < out["oversize"].p80)
(10800, True)
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from flowsheet.stream import Stream
from flowsheet.unit import Outcome, Params, Unit
from units.classification.screens import screen_efficiency_curve, screen_partition
from units.classification.size_split import size_split
from units.ranges import Range, RangeTable
from units.registry import register

__all__ = ["SCREEN_RANGES", "ScreenParams", "TrommelParams", "Screen", "Trommel"]

#: Ranges of a screen's parameters. Decks run from about 45 um (fine screens, sieve
#: bends) to grizzlies of 300 mm; the efficiency-curve constants are those of Karra (1979)
#: and King, *Modeling and Simulation of Mineral Processing Systems* (2001), ch. 7. The
#: bounds are judgements.
SCREEN_RANGES = RangeTable({
    "aperture": Range("size", 10, 5e5, typical=(45, 100000)),
    "d50_ratio": Range(None, 0.1, 1.5, typical=(0.8, 0.95)),
    "alpha": Range(None, 0, 50, low_open=True, typical=(3, 8)),
    "trials": Range(None, 0, 1000, typical=(5, 50)),
    "wire": Range("size", 0, 1e5),
    "water_split": Range("fraction", 0, 1, typical=(0.01, 0.1)),
})
_R = SCREEN_RANGES


class ScreenParams(Params):
    """Parameters of a screen (see the module docstring)."""

    aperture: _R.aperture.type() = _R.aperture.field(description="aperture of the deck")
    model: Literal["efficiency_curve", "probability"] = "efficiency_curve"
    d50_ratio: _R.d50_ratio.type() = _R.d50_ratio.field(0.9, "cut size over aperture")
    alpha: _R.alpha.type() = _R.alpha.field(5.0, "sharpness of the cut")
    trials: _R.trials.type() = _R.trials.field(10.0, "trials on the mesh (probability)")
    wire: _R.wire.type() = _R.wire.field(0.0, "wire diameter (probability)")
    water_split: _R.water_split.type() = _R.water_split.field(0.05, "water to the oversize")

    @model_validator(mode="after")
    def _check(self):
        given = self.model_fields_set
        only = {"efficiency_curve": ("d50_ratio", "alpha"), "probability": ("trials", "wire")}
        for model, names in only.items():
            for name in names:
                if name in given and self.model != model:
                    raise ValueError(f"'{name}' applies to model '{model}' only")
        return self


class TrommelParams(ScreenParams):
    """Parameters of a trommel: a less sharp cut and less water carried over."""

    alpha: _R.alpha.type() = _R.alpha.field(3.0, "sharpness of the cut")
    water_split: _R.water_split.type() = _R.water_split.field(0.02, "water to the oversize")


@register("screen")
class Screen(Unit):
    """A screen deck splitting its feed at the aperture."""

    Params = ScreenParams
    outlet_ports = ("oversize", "undersize")
    report_units = {"d50": "um", "oversize_solids": "1", "undersize_recovery": "1",
                    "oversize_p80": "um", "undersize_p80": "um"}

    sized = True

    def setup(self) -> None:
        grid = self.context.grid
        p = self.params
        if p.model == "efficiency_curve":
            self._d50 = p.d50_ratio * p.aperture
            self._partition = screen_efficiency_curve(grid.midpoints, self._d50, p.alpha)
        else:
            self._d50 = float("nan")
            self._partition = screen_partition(grid.midpoints, p.aperture, p.trials, p.wire)

    def _run(self, inlets: dict[str, Stream]) -> Outcome:
        feed = inlets["in"]
        over, under = size_split(feed, self._partition, self.params.water_split)
        fine = self.context.grid.upper <= self.params.aperture   # classes that fit through
        below = feed.solids * float(feed.size_distribution()[fine].sum())
        passed = under.solids * float(under.size_distribution()[fine].sum())
        report = {
            "d50": self._d50,
            "oversize_solids": over.solids / feed.solids if feed.solids > 0 else 0.0,
            "undersize_recovery": passed / below if below > 0 else float("nan"),
            "oversize_p80": over.p80, "undersize_p80": under.p80,
        }
        return {"oversize": over, "undersize": under}, report


@register("trommel")
class Trommel(Screen):
    """A rotating drum screen, as on a SAG-mill discharge."""

    Params = TrommelParams

