"""Auxiliary process calculators: demercurisation, gold cyanidation with carbon adsorption,
and activated-carbon elution and reactivation.

Each calculator is a pure function of temperature [degC], pressure [Pa] where the physics
depends on it, and time [min], returning the process efficiency [%] and the residual
concentrations; :mod:`units.hydro.calculators.registry` lists them for the command line
(``flowsheet calc``) and :mod:`units.hydro.calculators.fitting` fits their constants to
laboratory data. By name -- the registry, the command line, batch and laboratory tables --
pressures are in kPa, the engine's unit, converted to Pa for the functions.
"""

__all__: list[str] = []
