"""Size-energy laws of comminution: Bond, Rowland, Morrell/SMC, JK drop-weight, SGI, mill speed.

Every function here is a pure function of floats or numpy arrays (they broadcast, so one call
evaluates a whole block model) built from arithmetic and numpy ufuncs only, so that CasADi
can trace it with symbolic inputs. Sizes are in micrometres [um], specific energies in
kilowatt-hours per metric tonne [kWh/t] unless a docstring says otherwise.

The laws live by model family -- :mod:`~units.comminution.bond` (Bond, Rowland),
:mod:`~units.comminution.smc` (Morrell/SMC, drop-weight index),
:mod:`~units.comminution.sag_energy` (SGI, DWi), :mod:`~units.comminution.jk_breakage`
(t10) and :mod:`~units.comminution.mill_speed` -- and this module gathers them, so one
import serves a caller that needs several. Inputs are checked against :data:`VALID_RANGES`
(:mod:`~units.comminution.energy_checks`); a value outside its range raises
:class:`flowsheet.errors.SchemaError` naming the argument and the accepted interval.
Symbolic (CasADi) inputs are passed through unchecked.

>>> print(f"{bond_specific_energy(14.0, 1000.0, 75.0):.2f}")
11.74
"""

from units.comminution.bond import (
    ROWLAND_EF2_TABLE,
    ROWLAND_EF8,
    SHORT_TON_TO_TONNE,
    bond_ball_work_index,
    bond_operating_work_index,
    bond_rod_work_index,
    bond_specific_energy,
    rowland_ef1,
    rowland_ef2,
    rowland_ef3,
    rowland_ef4,
    rowland_ef5,
    rowland_ef6,
    rowland_ef7,
    rowland_ef8,
)
from units.comminution.energy_checks import VALID_RANGES, Range
from units.comminution.jk_breakage import jk_ecs, jk_t10
from units.comminution.mill_speed import fraction_of_critical, mill_critical_speed
from units.comminution.sag_energy import dwi_sag_specific_energy, sgi_specific_energy
from units.comminution.smc import (
    drop_weight_index,
    mia_from_axb,
    morrell_mib,
    morrell_sabc,
    morrell_specific_energy,
)

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
