"""Refining: Faraday's law, electrowinning and electrorefining cell houses, fire refining.

* :mod:`units.refining.faraday` -- Faraday's law and the cell-house figures built on it
  (``faraday_mass``, ``specific_energy_kwh_per_kg``, their inverses, current and cells);
* :mod:`units.refining.electrowinning` -- ``type: electrowinning`` (Cu, Zn, Ni sulfate);
* :mod:`units.refining.electrorefining` -- ``type: electrorefinery`` (copper anodes to
  cathode, slime, bleed and scrap; default distributions in ``data/electrorefining.yaml``);
* :mod:`units.refining.fire_refining` -- ``type: anode_furnace`` (blister to anodes);
* :mod:`units.refining.cellhouse` -- what the two cell houses share.
"""

__all__: list[str] = []
