"""Hydrometallurgy: leaching kinetics, leach trains, thickeners, solvent extraction."""

__all__: list[str] = []
