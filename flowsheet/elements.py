"""Elements, atomic weights and chemical formulae.

Every mass balance in the engine reduces species to elements through this module:
:func:`parse_formula` reads a formula such as ``CuFeS2`` or ``CuSO4·5H2O`` into atoms per
formula unit, and :func:`molar_mass` weighs them with :data:`ATOMIC_WEIGHTS`.

Atomic weights are the standard atomic weights of the IUPAC Commission on Isotopic
Abundances and Atomic Weights (CIAAW) as tabulated in

    T. Prohaska et al., "Standard atomic weights of the elements 2021 (IUPAC Technical
    Report)", Pure Appl. Chem. 94 (2022) 573-600, doi:10.1515/pac-2019-0603.

Elements whose standard atomic weight is an interval (H, Li, B, C, N, O, Mg, Si, S, Cl,
Ar, Br, Tl, Pb) take the conventional value of that report (H 1.008, S 32.06, Pb 207.2).
Elements with no standard atomic weight (Tc, Pm, Po, At, Rn, Fr, Ra, Ac, Np, Pu) take the
mass number of their longest-lived isotope, the bracketed value of the IUPAC periodic
table. The CIAAW revised Gd, Lu and Zr in 2024 (157.249, 174.96669, 91.222); the 2021
values are kept here so that results match the report cited.

Formula syntax
--------------
* Element symbols with counts: ``CuFeS2``; counts may be decimal: ``Fe0.95S``.
* Round or square brackets, nested, with a count: ``Fe2(SO4)3``, ``K4[Fe(CN)6]``.
* Adducts and hydrates after ``·``, ``*`` or ``.``, each with an optional leading
  coefficient: ``CuSO4·5H2O``, ``CuSO4*5H2O``, ``CuSO4.5H2O``, ``CaSO4.0.5H2O``.
  A ``.`` between two digits is a decimal point unless what follows it is a coefficient
  and water (``...4.5H2O``) and the digits before it are not ``0`` or ``1``; write other
  adducts that follow a count with ``·`` or ``*`` (``Al2O3·2SiO2·2H2O``).
* A trailing charge, which does not change the element count: ``Cu+2``, ``Cu2+``,
  ``Cu[2+]``, ``Cu^2+``, ``Fe+++``, ``SO4-2``, ``SO4^2-``, ``[Fe(CN)6]4-``. Digits before
  a lone sign are the charge only for a single element (``Cu2+``) or a whole formula in
  square brackets (``[Fe(CN)6]4-``); otherwise they are a count (``NH4+``, ``HSO4-``).
* ``e-`` is the electron: no elements, charge -1, molar mass 0 (its mass is neglected).

No whitespace is allowed. Positions in error messages count from 1.

>>> parse_formula("Fe2(SO4)3")
{'Fe': 2.0, 'S': 3.0, 'O': 12.0}
>>> round(molar_mass("CuFeS2"), 2)
183.51
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache
from itertools import product

import numpy as np

from flowsheet.errors import FormulaError, did_you_mean

__all__ = [
    "ATOMIC_WEIGHTS",
    "parse_formula",
    "formula_charge",
    "molar_mass",
    "element_vector",
    "mass_fractions",
]

ATOMIC_WEIGHTS: dict[str, float] = {
    "H": 1.008, "He": 4.002602, "Li": 6.94, "Be": 9.0121831, "B": 10.81,
    "C": 12.011, "N": 14.007, "O": 15.999, "F": 18.998403162, "Ne": 20.1797,
    "Na": 22.98976928, "Mg": 24.305, "Al": 26.9815384, "Si": 28.085, "P": 30.973761998,
    "S": 32.06, "Cl": 35.45, "Ar": 39.95, "K": 39.0983, "Ca": 40.078,
    "Sc": 44.955907, "Ti": 47.867, "V": 50.9415, "Cr": 51.9961, "Mn": 54.938043,
    "Fe": 55.845, "Co": 58.933194, "Ni": 58.6934, "Cu": 63.546, "Zn": 65.38,
    "Ga": 69.723, "Ge": 72.630, "As": 74.921595, "Se": 78.971, "Br": 79.904,
    "Kr": 83.798, "Rb": 85.4678, "Sr": 87.62, "Y": 88.905838, "Zr": 91.224,
    "Nb": 92.90637, "Mo": 95.95, "Tc": 97.0, "Ru": 101.07, "Rh": 102.90549,
    "Pd": 106.42, "Ag": 107.8682, "Cd": 112.414, "In": 114.818, "Sn": 118.710,
    "Sb": 121.760, "Te": 127.60, "I": 126.90447, "Xe": 131.293, "Cs": 132.90545196,
    "Ba": 137.327, "La": 138.90547, "Ce": 140.116, "Pr": 140.90766, "Nd": 144.242,
    "Pm": 145.0, "Sm": 150.36, "Eu": 151.964, "Gd": 157.25, "Tb": 158.925354,
    "Dy": 162.500, "Ho": 164.930329, "Er": 167.259, "Tm": 168.934219, "Yb": 173.045,
    "Lu": 174.9668, "Hf": 178.486, "Ta": 180.94788, "W": 183.84, "Re": 186.207,
    "Os": 190.23, "Ir": 192.217, "Pt": 195.084, "Au": 196.966570, "Hg": 200.592,
    "Tl": 204.38, "Pb": 207.2, "Bi": 208.98040, "Po": 209.0, "At": 210.0,
    "Rn": 222.0, "Fr": 223.0, "Ra": 226.0, "Ac": 227.0, "Th": 232.0377,
    "Pa": 231.03588, "U": 238.02891, "Np": 237.0, "Pu": 244.0,
}
"""Standard atomic weights [g/mol] of elements 1 to 94, keyed by symbol (see module notes)."""

# Elements met often enough in process chemistry to prefer when guessing the capitals of
# a formula typed in lower case ('cuso4' is CuSO4, not CUSO4).
_COMMON = frozenset(
    "H Li B C N O F Na Mg Al Si P S Cl K Ca Ti V Cr Mn Fe Co Ni Cu Zn As Se Br Mo Ag "
    "Cd Sn Sb Te I Ba W Pt Au Hg Pb Bi".split()
)
_ADDUCT_SEPARATORS = "·•⋅*."
_SYMBOL = re.compile(r"[A-Z][a-z]?")
_COUNT = re.compile(r"(\d+)(?:\.(\d+))?")
_COEFFICIENT = re.compile(r"\d+(?:\.\d+)?")
_HYDRATE_AFTER_DOT = re.compile(r"\d+(?:\.\d+)?H2O(?=$|[·•⋅*.])")
_CHARGES = (
    re.compile(r"\[(?P<n>\d*)(?P<s>[+-])\]$"),
    re.compile(r"\[(?P<s>[+-])(?P<n>\d*)\]$"),
    re.compile(r"\^(?P<n>\d*)(?P<s>[+-])$"),
    re.compile(r"\^(?P<s>[+-])(?P<n>\d*)$"),
    re.compile(r"(?P<s>[+-])(?P<n>\d+)$"),
    re.compile(r"(?P<s>\++|-+)(?P<n>)$"),
)
_SINGLE_ELEMENT_ION = re.compile(r"([A-Z][a-z]?)(\d+)")
_BRACKETED_ION = re.compile(r"(\[.*\])(\d+)")


def parse_formula(formula: str) -> dict[str, float]:
    """Return the atoms of each element per formula unit, in order of first appearance.

    Parameters
    ----------
    formula : str
        A chemical formula in the syntax of the module notes, with an optional charge.

    Returns
    -------
    dict[str, float]
        Element symbol -> atoms per formula unit; ``{}`` for the electron ``e-``.

    Raises
    ------
    FormulaError
        If the formula cannot be read; the message names the part and its position.

    Examples
    --------
    >>> parse_formula("CuSO4·5H2O")
    {'Cu': 1.0, 'S': 1.0, 'O': 9.0, 'H': 10.0}
    >>> parse_formula("Fe0.95S")
    {'Fe': 0.95, 'S': 1.0}
    >>> parse_formula("SO4^2-")
    {'S': 1.0, 'O': 4.0}
    """
    return dict(_parse(formula)[0])


def formula_charge(formula: str) -> int:
    """Return the charge written at the end of ``formula`` (0 when there is none).

    Examples
    --------
    >>> formula_charge("Cu2+"), formula_charge("SO4-2"), formula_charge("NH4+")
    (2, -2, 1)
    >>> formula_charge("e-"), formula_charge("CuFeS2")
    (-1, 0)
    """
    return _parse(formula)[1]


def molar_mass(formula: str) -> float:
    """Return the molar mass of ``formula`` [g/mol] from :data:`ATOMIC_WEIGHTS`.

    .. math:: M = \\sum_e n_e A_r(e)

    The mass of electrons gained or lost by an ion is neglected.

    Examples
    --------
    >>> round(molar_mass("H2SO4"), 3)
    98.072
    >>> molar_mass("e-")
    0.0
    """
    return sum((ATOMIC_WEIGHTS[element] * n for element, n in _parse(formula)[0]), 0.0)


def element_vector(formula: str, elements: list[str]) -> np.ndarray:
    """Return the atoms of each of ``elements`` per formula unit of ``formula``.

    Elements of the formula that are not listed are left out; listed elements absent from
    the formula count 0.

    Raises
    ------
    FormulaError
        If ``elements`` holds a string that is not an element symbol.

    Examples
    --------
    >>> element_vector("Cu5FeS4", ["Cu", "Fe", "S", "O"])
    array([5., 1., 4., 0.])
    """
    for element in elements:
        if element not in ATOMIC_WEIGHTS:
            raise FormulaError(f"unknown element {element!r} in the element list",
                               hint=did_you_mean(element, ATOMIC_WEIGHTS))
    counts = dict(_parse(formula)[0])
    return np.array([counts.get(element, 0.0) for element in elements], dtype=float)


def mass_fractions(formula: str) -> dict[str, float]:
    """Return the mass fraction of each element in ``formula``; the fractions sum to 1.

    Raises
    ------
    FormulaError
        If the formula has no elements (the electron ``e-``).

    Examples
    --------
    >>> {e: round(w, 4) for e, w in mass_fractions("CuFeS2").items()}
    {'Cu': 0.3463, 'Fe': 0.3043, 'S': 0.3494}
    """
    counts = _parse(formula)[0]
    if not counts:
        raise FormulaError(f"formula {formula!r} has no elements, so no mass fractions")
    masses = {element: ATOMIC_WEIGHTS[element] * n for element, n in counts}
    total = sum(masses.values())
    return {element: mass / total for element, mass in masses.items()}


def _parse(formula: str) -> tuple[tuple[tuple[str, float], ...], int]:
    """Return ((symbol, count), ...) and the charge of ``formula``, parsed once and cached."""
    if not isinstance(formula, str):
        raise FormulaError(f"a formula must be a string, not {type(formula).__name__}")
    return _parse_text(formula)


@lru_cache(maxsize=4096)
def _parse_text(formula: str) -> tuple[tuple[tuple[str, float], ...], int]:
    if not formula:
        raise FormulaError("empty formula ''", hint="write element symbols, e.g. 'CuFeS2'")
    blank = re.search(r"\s", formula)
    if blank:
        fixed = re.sub(r"\s+", "", formula)
        raise FormulaError(
            f"whitespace {blank.group()!r} at position {blank.start() + 1} in formula "
            f"{formula!r}", hint=_suggest("a formula has no spaces", [fixed]))
    body, charge = _split_charge(formula)
    if body == "e" and charge == -1:
        return (), -1
    counts = _Reader(formula, body).read()
    return tuple((element, float(n)) for element, n in counts.items()), charge


def _split_charge(formula: str) -> tuple[str, int]:
    """Split a trailing charge off ``formula``; return the body and the signed charge."""
    match = next(filter(None, (pattern.search(formula) for pattern in _CHARGES)), None)
    if match is None:
        return formula, 0
    signs, digits = match.group("s"), match.group("n")
    body = formula[: match.start()]
    if len(signs) > 1:
        magnitude = len(signs)
    else:
        if not digits:
            digits, body = _digits_before_lone_sign(body)
        magnitude = int(digits) if digits else 1
    where = f"{match.group()!r} at position {match.start() + 1} in formula {formula!r}"
    if magnitude == 0:
        raise FormulaError(f"zero charge {where}", hint="leave out a zero charge")
    if not body:
        raise FormulaError(f"charge without elements {where}",
                           hint="write the ion, e.g. 'Cu+2'; the electron is 'e-'")
    return body, (1 if signs[0] == "+" else -1) * magnitude


def _digits_before_lone_sign(body: str) -> tuple[str, str]:
    """Read ``Cu2`` of ``Cu2+`` and ``[Fe(CN)6]4`` of ``[Fe(CN)6]4-`` as ion and charge."""
    for pattern in (_SINGLE_ELEMENT_ION, _BRACKETED_ION):
        match = pattern.fullmatch(body)
        if match and (pattern is _SINGLE_ELEMENT_ION or _closes_at_end(match.group(1))):
            return match.group(2), match.group(1)
    return "", body


def _closes_at_end(text: str) -> bool:
    """Whether the bracket opening ``text`` is closed by its last character."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if depth == 0:
            return i == len(text) - 1
    return False


class _Reader:
    """Recursive-descent reader of a formula body (the formula without its charge)."""

    def __init__(self, formula: str, body: str) -> None:
        self.formula = formula
        self.text = body
        self.pos = 0

    def fail(self, what: str, part: str, pos: int, hint: str | None = None) -> FormulaError:
        """Build the one-line error naming ``part`` at 0-based ``pos``."""
        return FormulaError(f"{what} {part!r} at position {pos + 1} in formula "
                            f"{self.formula!r}", hint=hint)

    def read(self) -> dict[str, Fraction]:
        """Read the whole body: parts joined by adduct separators, each with a coefficient."""
        total: dict[str, Fraction] = {}
        if self.text[0].isdigit():
            self.leading_number()
        while True:
            start = self.pos
            coefficient = self.number() if start else Fraction(1)
            part = self.sequence(closer=None, opened_at=None)
            if not part:
                if start == 0:
                    raise self.fail("nothing before separator", self.text[0], 0)
                raise self.fail("nothing after separator", self.text[start - 1], start - 1)
            for element, n in part.items():
                total[element] = total.get(element, Fraction(0)) + coefficient * n
            if self.pos == len(self.text):
                return total
            self.pos += 1
            if self.pos == len(self.text):
                raise self.fail("nothing after separator", self.text[-1], self.pos - 1)

    def sequence(self, closer: str | None, opened_at: int | None) -> dict[str, Fraction]:
        """Read elements and bracketed groups up to ``closer`` (or a separator or the end)."""
        counts: dict[str, Fraction] = {}
        text = self.text
        while self.pos < len(text):
            ch, at = text[self.pos], self.pos
            if ch.isupper():
                symbol = _SYMBOL.match(text, at).group()
                if symbol not in ATOMIC_WEIGHTS:
                    raise self.fail("unknown element", symbol, at,
                                    did_you_mean(symbol, ATOMIC_WEIGHTS))
                self.pos += len(symbol)
                inner = {symbol: Fraction(1)}
            elif ch in "([":
                self.pos += 1
                inner = self.sequence(")" if ch == "(" else "]", at)
                if not inner:
                    raise self.fail("empty brackets", text[at:self.pos], at)
            elif ch in ")]":
                if closer is None:
                    raise self.fail("unmatched", ch, at, "remove it or add the opening bracket")
                if ch != closer:
                    opener = text[opened_at]
                    raise self.fail("mismatched", ch, at, f"{opener!r} at position "
                                    f"{opened_at + 1} needs {closer!r}")
                self.pos += 1
                return counts
            elif ch in _ADDUCT_SEPARATORS:
                if closer is not None:
                    raise self.fail("adduct separator inside brackets", ch, at,
                                    "write adducts outside brackets, e.g. 'CuSO4·5H2O'")
                break
            elif ch.islower():
                raise self.fail("lowercase letter", ch, at, self.capitalisation_hint())
            elif ch.isdigit():
                raise self.fail("unexpected number", _COUNT.match(text, at).group(), at,
                                "a count follows the element or bracket it multiplies")
            elif ch == "-" and text[at + 1:at + 2].isdigit():
                raise self.fail("negative count", "-" + _COUNT.match(text, at + 1).group(), at)
            else:
                raise self.fail("unexpected character", ch, at)
            n = self.count()
            for element, m in inner.items():
                counts[element] = counts.get(element, Fraction(0)) + m * n
        if closer is not None:
            raise self.fail("unclosed", text[opened_at], opened_at, f"add {closer!r}")
        return counts

    def count(self) -> Fraction:
        """Read the count after an element or bracket (1 when none is written)."""
        match = _COUNT.match(self.text, self.pos)
        if not match:
            return Fraction(1)
        whole, fraction = match.groups()
        end = match.end()
        if fraction is not None and int(whole) > 1 and _HYDRATE_AFTER_DOT.match(
                self.text, match.end(1) + 1):
            fraction, end = None, match.end(1)
        value = Fraction(whole if fraction is None else f"{whole}.{fraction}")
        if value == 0:
            raise self.fail("zero count", self.text[self.pos:end], self.pos,
                            "leave out an element that is absent")
        self.pos = end
        return value

    def number(self) -> Fraction:
        """Read the optional coefficient of an adduct (``5`` of ``·5H2O``)."""
        match = _COEFFICIENT.match(self.text, self.pos)
        if not match:
            return Fraction(1)
        value = Fraction(match.group())
        if value == 0:
            raise self.fail("zero count", match.group(), self.pos,
                            "leave out an adduct that is absent")
        self.pos = match.end()
        return value

    def leading_number(self) -> None:
        """Reject a number that starts the formula, suggesting brackets (``(H2O)2``)."""
        number = _COUNT.match(self.text).group()
        first = re.split(r"[·•⋅*]|\.(?!\d)", self.text[len(number):], maxsplit=1)[0]
        rest = self.formula[len(number) + len(first):]
        fix = f"({first}){number}{rest}"
        raise self.fail("unexpected number", number, 0, _suggest(
            "a formula starts with an element or a bracket; to multiply, use brackets", [fix]))

    def capitalisation_hint(self) -> str:
        """Hint for a lowercase letter: the formula with its capitals restored, if obvious."""
        if self.text == "e":
            return "the electron is written 'e-'"
        guesses = _recapitalised(self.formula)
        return _suggest("element symbols start with a capital letter", guesses)


def _suggest(reason: str, candidates: list[str]) -> str:
    """Phrase a hint from up to two candidates that parse; just ``reason`` if none does."""
    good = []
    for candidate in candidates:
        try:
            _parse(candidate)
        except FormulaError:
            continue
        good.append(candidate)
    if not good or len(good) > 2:
        return reason
    return f"{reason}: did you mean " + " or ".join(repr(g) for g in good) + "?"


def _recapitalised(formula: str) -> list[str]:
    """Ways to write the letters of ``formula`` as element symbols, preferring common ones.

    >>> _recapitalised("cuso4")
    ['CuSO4']
    """
    if len(formula) > 100:
        return []
    pieces = re.split(r"([A-Za-z]+)", formula)
    options = [_segmentations(p) if p.isalpha() else [(p, True)] for p in pieces if p]
    results = []
    for combo in product(*options):
        results.append(("".join(text for text, _ in combo), all(c for _, c in combo)))
        if len(results) > 64:
            break
    common = sorted({text for text, is_common in results if is_common})
    return common or sorted({text for text, _ in results})


@lru_cache(maxsize=256)
def _segmentations(letters: str) -> tuple[tuple[str, bool], ...]:
    """Split a run of letters into element symbols (at most 16 ways), flagging common ones."""
    if not letters:
        return (("", True),)
    found: list[tuple[str, bool]] = []
    for size in (2, 1):
        symbol = letters[:size].capitalize()
        if len(symbol) == size and symbol in ATOMIC_WEIGHTS:
            found += [(symbol + rest, common and symbol in _COMMON)
                      for rest, common in _segmentations(letters[size:])]
    return tuple(found[:16])
