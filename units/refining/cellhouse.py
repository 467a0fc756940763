"""What electrowinning and electrorefining cell houses share: how the current is stated,
the electrical report, and how outlet streams are built from an inlet.

The current of a house is stated one of two ways:

* ``current`` -- the total current of all cells [A] (the cell current times the number
  of cells: the cells of a house are in series, each carrying the rectifier's current);
* ``current_density`` [A/m2] with ``cathode_area`` (plated area of one cell's cathodes,
  both faces, m2; a bare number, the quantity reader has no area) and ``cells``.

Power is the total current times the cell voltage [kW]; specific energy follows from
Faraday's law (:mod:`units.refining.faraday`).

>>> p = CellHouseParams(current_density="300 A/m2", cathode_area=120, cells=40,
...                     cell_voltage=2.0, current_efficiency=0.9)
>>> p.total_current()
1440000.0
"""

from __future__ import annotations

from typing import Any

import numpy as np

from flowsheet.stream import Stream
from flowsheet.unit import Params
from units.ranges import Range, RangeTable
from units.refining.faraday import ampere_hours_per_kg

__all__ = ["REFINING_RANGES", "CellHouseParams", "Efficiency", "ELECTRICAL_UNITS",
           "electrical_report", "outlet_stream", "concentrations"]

#: Ranges of a cell house. Copper electrowinning runs at 200-400 A/m2, 1.8-2.2 V and
#: 85-95 % current efficiency, zinc at 400-600 A/m2 and 3.3-3.6 V, copper electrorefining
#: at 250-350 A/m2 and 0.25-0.35 V; a cell holds 40-80 cathodes of about 1 m2 a face and
#: the largest tankhouses have some 1,500-3,000 cells (Schlesinger et al., *Extractive
#: Metallurgy of Copper*, 5th ed., 2011, ch. 16-17; Sinclair, *The Extractive Metallurgy
#: of Zinc*, AusIMM, 2005). The bounds are judgements.
REFINING_RANGES = RangeTable({
    "current": Range("current", 0.01, 2e8, typical=(1e5, 1.2e8)),
    "current_density": Range("current_density", 10, 2000, typical=(200, 600)),
    "cathode_area": Range("area", 1e-3, 500, typical=(50, 160)),
    "cells": Range(None, 1, 10000, typical=(100, 1500), integer=True),
    "cell_voltage": Range("voltage", 0.05, 10, typical=(0.25, 3.6)),
    "current_efficiency": Range("fraction", 0, 1, low_open=True, typical=(0.85, 0.97)),
})
_R = REFINING_RANGES

#: A current efficiency: a fraction in (0, 1] (a bare number or ``"92 %"``).
Efficiency = _R.current_efficiency.type()


class CellHouseParams(Params):
    """Current, voltage and efficiency of a cell house (see the module docstring)."""

    current: _R.current.type() | None = _R.current.field(None, "total current of all cells")
    current_density: _R.current_density.type() | None = _R.current_density.field(
        None, "cathode current density")
    cathode_area: _R.cathode_area.type() | None = _R.cathode_area.field(
        None, "plated cathode area of one cell, both faces")
    cells: _R.cells.type() | None = _R.cells.field(None, "cells in the house")
    cell_voltage: _R.cell_voltage.type() | None = _R.cell_voltage.field(
        None, "voltage across one cell")
    current_efficiency: Efficiency | None = _R.current_efficiency.field(
        None, "fraction of the charge that deposits the metal")

    def check_current(self, *, required: bool) -> None:
        """The rule on how the current is stated; ``required`` when nothing else sets the
        production. Raises ``ValueError`` naming the parameter."""
        if self.current is not None and self.current_density is not None:
            raise ValueError("give 'current' or 'current_density', not both")
        if self.current_density is not None and (self.cathode_area is None
                                                 or self.cells is None):
            missing = "cathode_area" if self.cathode_area is None else "cells"
            raise ValueError(f"'{missing}' is needed with 'current_density' (the current is "
                             "current density x cathode area x cells)")
        if required and self.total_current() is None:
            raise ValueError("'current' is missing: give 'current' [A], or "
                             "'current_density' with 'cathode_area' and 'cells'")

    def total_current(self) -> float | None:
        """Total current of the house [A], or None when it is not stated."""
        if self.current is not None:
            return float(self.current)
        if self.current_density is not None and self.cathode_area and self.cells:
            return float(self.current_density * self.cathode_area * self.cells)
        return None

    def plated_area(self) -> float | None:
        """Plated cathode area of the whole house [m2], or None."""
        if self.cathode_area is None or self.cells is None:
            return None
        return float(self.cathode_area * self.cells)


#: Units of the entries of :func:`electrical_report` (specific energy per t of metal).
ELECTRICAL_UNITS = {"current": "A", "cell_voltage": "V", "current_efficiency": "1",
                    "power": "kW", "specific_energy": "kWh/t", "current_density": "A/m2",
                    "cell_current": "A"}


def electrical_report(params: CellHouseParams, metal_tph: float, molar_mass: float, n: int,
                      voltage: float, efficiency: float,
                      current: float | None) -> dict[str, float]:
    """Current, density, voltage, efficiency, power and specific energy of a house.

    ``current`` is the stated total current [A], or None to compute it from the metal
    deposited (``metal_tph`` [t/h]) by Faraday's law.

    >>> r = electrical_report(CellHouseParams(), 1.0, 63.546, 2, 2.0, 0.9, None)
    >>> round(r["current"]), round(r["specific_energy"], 1), round(r["power"])
    (937256, 1874.5, 1875)
    """
    charge = float(ampere_hours_per_kg(molar_mass, n))           # Ah/kg at 100 %
    if current is None:
        current = metal_tph * 1000.0 * charge / efficiency
    power = current * voltage / 1000.0                            # kW
    report = {"current": current, "cell_voltage": voltage, "current_efficiency": efficiency,
              "power": power,
              "specific_energy": power / metal_tph if metal_tph > 0 else float("nan")}
    area = params.plated_area()
    if area:
        report["current_density"] = current / area
    if params.cells:
        report["cell_current"] = current / params.cells
    return report


def outlet_stream(feed: Stream, flows: np.ndarray, created: tuple[int, ...] = ()) -> Stream:
    """An outlet with ``flows``, the feed's temperature and size distributions.

    A species that passes keeps its distribution; a solid species in ``created`` (a metal
    deposited as cathode sheets) is placed in the coarsest size class.
    """
    psd = feed.psd
    if psd is not None and created:
        solid = list(feed.table.solid_index)
        psd = psd.copy()
        for k in created:
            if k in solid:
                row = solid.index(k)
                psd[row] = 0.0
                psd[row, 0] = 1.0
    return feed.copy_with(flows=np.maximum(flows, 0.0), psd=psd)


def concentrations(stream: Stream, names: dict[str, Any]) -> dict[str, float]:
    """Solution concentrations [g/L] of the stream, where its volume is known.

    ``names`` maps a report key to either an element symbol (its flow in every species)
    or a species index. Returns an empty dict when the stream has no known volume.
    """
    volume = stream.volumetric_flow                                  # m3/h
    if not volume > 0:
        return {}
    elements = stream.element_flows
    out = {}
    for key, what in names.items():
        tph = elements.get(what, 0.0) if isinstance(what, str) else float(stream.flows[what])
        out[key] = 1000.0 * tph / volume                              # t/m3 -> g/L
    return out
