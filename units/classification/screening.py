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
>>> from units.base import Context
>>> t = SpeciesTable.from_declarations([{"name": "water"}, {"name": "quartz"}])
>>> g = SizeGrid.geometric(64000, 100)
>>> deck = Screen.from_config("s", {"aperture": "12 mm"}, Context(t, g))
>>> feed = Stream(t, [300.0, 1000.0], psd=rosin_rammler(g, 10000.0, 0.8)[None, :], grid=g)
>>> out, report = deck.run({"in": [feed]})
>>> round(report["d50"]), bool(out["undersize"].p80 < 12000 < out["oversize"].p80)
(10800, True)
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from flowsheet.quantities import quantity
from flowsheet.stream import Stream
from units.base import Outcome, Params, Unit
from units.classification.screens import screen_efficiency_curve, screen_partition
from units.classification.size_split import size_split
from units.registry import register

__all__ = ["ScreenParams", "TrommelParams", "Screen", "Trommel"]

Size = Annotated[quantity("size"), Field(gt=0)]
Fraction = Annotated[quantity("fraction"), Field(ge=0, le=1)]


class ScreenParams(Params):
    """Parameters of a screen (see the module docstring)."""

    aperture: Size = Field(description="aperture of the deck [um]")
    model: Literal["efficiency_curve", "probability"] = "efficiency_curve"
    d50_ratio: float = Field(0.9, gt=0, description="cut size over aperture [-]")
    alpha: float = Field(5.0, gt=0, le=50, description="sharpness of the cut [-]")
    trials: float = Field(10.0, ge=0, description="trials on the mesh [-] (probability)")
    wire: Annotated[quantity("size"), Field(ge=0)] = Field(0.0, description="wire [um]")
    water_split: Fraction = Field(0.05, description="water to the oversize [-]")

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

    alpha: float = Field(3.0, gt=0, le=50, description="sharpness of the cut [-]")
    water_split: Fraction = Field(0.02, description="water to the oversize [-]")


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

