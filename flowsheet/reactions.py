"""Chemical equations written as text, on the species of a flowsheet.

``parse_equation("2 Cu2S + 3 O2 -> 2 Cu2O + 2 SO2", table)`` returns the stoichiometric
coefficients (negative for reactants) indexed like the species table. A term names a
species by its name or by its formula (when exactly one species has that formula).
Arrows ``->``, ``=>`` and ``=`` are accepted. Every equation is checked for element
balance on load: an unbalanced one is an error naming the elements that do not balance.

>>> from flowsheet.species import SpeciesTable
>>> t = SpeciesTable.from_declarations([{"name": "chalcocite"}, {"name": "oxygen"},
...     {"name": "cuprite"}, {"name": "sulfur_dioxide"}])
>>> parse_equation("2 Cu2S + 3 O2 -> 2 Cu2O + 2 SO2", t).tolist()
[-2.0, -3.0, 2.0, 2.0]
"""

from __future__ import annotations

import re

import numpy as np

from flowsheet.elements import parse_formula
from flowsheet.errors import FormulaError, did_you_mean
from flowsheet.species import SpeciesTable

__all__ = ["parse_equation", "element_imbalance"]

_ARROW = re.compile(r"\s*(?:->|=>|=)\s*")
_TERM = re.compile(r"^\s*(?:(\d+(?:\.\d*)?|\.\d+)\s+|(\d+(?:\.\d*)?)(?=[A-Z(\[]))?(\S+)\s*$")


def _lookup(token: str, table: SpeciesTable, equation: str) -> int:
    if token in table.index:
        return table.index[token]
    matches = [i for i, s in enumerate(table.species) if s.formula == token]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        names = ", ".join(table.names[i] for i in matches)
        raise FormulaError(f"'{token}' in '{equation}' is the formula of several species "
                           f"({names}): write the species name")
    choices = list(table.names) + [s.formula for s in table.species if s.formula]
    raise FormulaError(f"unknown species '{token}' in equation '{equation}'",
                       hint=did_you_mean(token, choices))


def parse_equation(equation: str, table: SpeciesTable, *, check: bool = True) -> np.ndarray:
    """Stoichiometric coefficients of ``equation`` over ``table`` (reactants negative).

    Raises :class:`FormulaError` for a malformed equation, an unknown species, a lumped
    species (it has no formula to balance), or -- with ``check`` -- an element imbalance.
    """
    sides = _ARROW.split(equation.strip())
    if len(sides) != 2 or not sides[0] or not sides[1]:
        raise FormulaError(f"equation '{equation}' must read 'reactants -> products'")
    nu = np.zeros(len(table))
    for sign, side in ((-1.0, sides[0]), (1.0, sides[1])):
        for term in side.split(" + "):
            m = _TERM.match(term)
            if not m or not m.group(3):
                raise FormulaError(f"cannot read the term '{term.strip()}' of '{equation}'",
                                   hint="write terms like '2 CuFeS2' separated by ' + '")
            coef = float(m.group(1) or m.group(2) or 1.0)
            if coef <= 0:
                raise FormulaError(f"coefficient of '{m.group(3)}' in '{equation}' must be "
                                   "positive")
            i = _lookup(m.group(3), table, equation)
            if table.species[i].lumped:
                raise FormulaError(f"species '{table.names[i]}' in '{equation}' is lumped "
                                   "(an assay, no formula) and cannot take part in a reaction")
            nu[i] += sign * coef
    if check:
        bad = element_imbalance(nu, table)
        if bad:
            text = ", ".join(f"{e} {v:+.6g}" for e, v in bad.items())
            raise FormulaError(f"equation '{equation}' does not balance: {text} atoms "
                               "(products minus reactants)")
    return nu


def element_imbalance(nu: np.ndarray, table: SpeciesTable, tol: float = 1e-9
                      ) -> dict[str, float]:
    """Atoms of each element created (+) or destroyed (-) by coefficients ``nu``."""
    totals: dict[str, float] = {}
    for i in np.flatnonzero(nu):
        for element, count in parse_formula(table.species[i].formula).items():
            totals[element] = totals.get(element, 0.0) + nu[i] * count
    return {e: v for e, v in totals.items() if abs(v) > tol}
