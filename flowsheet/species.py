"""Species and the species table of a flowsheet.

A :class:`Species` is a named chemical (formula parsed into elements with standard atomic
weights) or a *lumped* material (``ore``, ``concentrate``, ``gangue``) that has no formula
but carries an element assay, so that element balances close either way. A
:class:`SpeciesTable` is the ordered set a flowsheet declares: every stream's flow vector is
indexed by it, and it holds the arrays the solvers and balances use (element mass
fractions, molar masses, densities, solid mask).

Declarations that name a species of the built-in library (``flowsheet/data/species.yaml``)
may leave out its formula, phase and density.

>>> table = SpeciesTable.from_declarations([
...     {"name": "water"},
...     {"name": "chalcopyrite"},
...     {"name": "ore", "phase": "solid", "assay": {"Cu": 0.8, "Fe": 5.0, "S": 3.0}},
... ])
>>> table.names
('water', 'chalcopyrite', 'ore')
>>> round(float(table.element_fractions[1, table.elements.index("Cu")]), 4)
0.3463
>>> table.solid_mask.tolist()
[False, True, True]
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

from flowsheet.elements import ATOMIC_WEIGHTS, mass_fractions, molar_mass
from flowsheet.errors import FormulaError, Location, SpeciesError, did_you_mean

__all__ = ["PHASES", "SOLID_PHASES", "Species", "SpeciesTable", "library"]

#: The phases a species may have.
PHASES = ("solid", "aqueous", "organic", "liquid", "gas", "matte", "slag", "metal")
#: Phases whose species are particles with a size distribution.
SOLID_PHASES = frozenset({"solid"})


@dataclass(frozen=True)
class Species:
    """One species: name, formula (or ``None`` when lumped), phase and properties.

    ``elements`` maps element symbol to its mass fraction in the species; for a lumped
    species it comes from the assay and may sum to less than 1 (the rest is unassayed).
    ``molar_mass`` is in g/mol (``None`` when lumped), ``density`` in kg/m3, ``cp`` in
    J/(g K).
    """

    name: str
    phase: str
    formula: str | None = None
    molar_mass: float | None = None
    density: float | None = None
    cp: float | None = None
    elements: Mapping[str, float] = field(default_factory=dict)
    source: str | None = None

    @property
    def lumped(self) -> bool:
        """True for a species defined by an assay rather than a formula."""
        return self.formula is None

    @property
    def is_solid(self) -> bool:
        """True when the species is a particulate solid (has a size distribution)."""
        return self.phase in SOLID_PHASES


@functools.lru_cache(maxsize=1)
def _library_data() -> tuple[dict[str, dict], dict[str, str]]:
    import yaml

    text = resources.files("flowsheet").joinpath("data/species.yaml").read_text("utf-8")
    # libyaml's parser when PyYAML has it: the same safe constructor, ten times faster
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    by_name: dict[str, dict] = {}
    for entry in data["species"]:
        by_name[entry["name"]] = entry
        for alias in entry.get("aliases", ()) or ():
            by_name.setdefault(alias, entry)
    return by_name, data.get("sources", {})


def library() -> dict[str, dict]:
    """The built-in species library: name (or alias) -> entry (a copy).

    >>> library()["chalcopyrite"]["formula"]
    'CuFeS2'
    """
    by_name, _ = _library_data()
    return {k: dict(v) for k, v in by_name.items()}


def _build_species(decl: Mapping, lib: Mapping[str, dict]) -> Species:
    name = str(decl["name"])
    base = lib.get(name, {}) if "formula" not in decl and "assay" not in decl else {}
    if not base and "formula" not in decl and "assay" not in decl:
        raise SpeciesError(
            f"species '{name}' is not in the built-in library: give its formula "
            "(or an assay for a lumped species)",
            location=Location(key="name"), hint=did_you_mean(name, lib))
    formula = decl.get("formula", base.get("formula"))
    phase = decl.get("phase", base.get("phase"))
    if phase is None:
        raise SpeciesError(f"species '{name}': give its phase",
                           location=Location(key="phase"), hint="accepted: " + ", ".join(PHASES))
    if phase not in PHASES:
        raise SpeciesError(f"species '{name}': unknown phase '{phase}'",
                           location=Location(key="phase"), hint=did_you_mean(phase, PHASES))
    density = decl.get("density", base.get("density"))
    cp = decl.get("cp", base.get("cp"))
    assay = decl.get("assay")
    if formula is not None and assay is not None:
        raise SpeciesError(f"species '{name}': give a formula or an assay, not both",
                           location=Location(key="assay"))
    if formula is not None:
        try:
            fractions = mass_fractions(str(formula))
            mm = molar_mass(str(formula))
        except FormulaError as err:
            raise err.located(key="formula") from None
        if not fractions:
            raise FormulaError(f"species '{name}': formula '{formula}' has no elements",
                               location=Location(key="formula"))
        return Species(name, phase, str(formula), mm, density, cp, fractions,
                       base.get("source"))
    fractions = {}
    for element, pct in (assay or {}).items():
        if element not in ATOMIC_WEIGHTS:
            raise SpeciesError(f"species '{name}': unknown element '{element}' in assay",
                               location=Location(key=f"assay.{element}"),
                               hint=did_you_mean(element, ATOMIC_WEIGHTS))
        fractions[element] = float(pct) / 100.0
    total = sum(fractions.values())
    if total > 1.0 + 1e-9:
        raise SpeciesError(f"species '{name}': assay sums to {100 * total:.6g} %, over 100 %",
                           location=Location(key="assay"))
    return Species(name, phase, None, None, density, cp, fractions, None)


class SpeciesTable:
    """The ordered species of a flowsheet, with the arrays computations need.

    Attributes
    ----------
    names : tuple of str
    index : dict, name -> position
    elements : list of str, every element present, in order of first appearance
    element_fractions : ndarray (n_species, n_elements), mass fraction of each element
    molar_masses : ndarray (n_species,), g/mol (NaN for lumped species)
    densities : ndarray (n_species,), kg/m3 (NaN where unknown)
    cps : ndarray (n_species,), J/(g K) (NaN where unknown)
    solid_mask : ndarray of bool; ``solid_index`` the positions of solid species
    """

    def __init__(self, species: Iterable[Species]) -> None:
        self.species: tuple[Species, ...] = tuple(species)
        self.names = tuple(s.name for s in self.species)
        self.index = {n: i for i, n in enumerate(self.names)}
        elements: list[str] = []
        for s in self.species:
            elements.extend(e for e in s.elements if e not in elements)
        self.elements = elements
        n, m = len(self.species), len(elements)
        self.element_fractions = np.zeros((n, m))
        col = {e: j for j, e in enumerate(elements)}
        for i, s in enumerate(self.species):
            for e, w in s.elements.items():
                self.element_fractions[i, col[e]] = w
        nan = float("nan")
        self.molar_masses = np.array([s.molar_mass or nan for s in self.species])
        self.densities = np.array([s.density or nan for s in self.species], dtype=float)
        self.cps = np.array([s.cp or nan for s in self.species], dtype=float)
        self.phases = tuple(s.phase for s in self.species)
        self.solid_mask = np.array([s.is_solid for s in self.species], dtype=bool)
        self.solid_index = np.flatnonzero(self.solid_mask)
        self._cp = np.where(np.isnan(self.cps), 1.0, self.cps)
        self._cp.setflags(write=False)

    @classmethod
    def from_declarations(cls, decls: Iterable[Mapping]) -> SpeciesTable:
        """Build the table from the ``species:`` list of a flowsheet file.

        Errors carry ``Location(key=...)``; the loader adds the file position.
        """
        lib, _ = _library_data()
        species, seen = [], set()
        for decl in decls:
            name = str(decl["name"])
            if name in seen:
                raise SpeciesError(f"species '{name}' is declared twice",
                                   location=Location(key="name"))
            seen.add(name)
            species.append(_build_species(decl, lib))
        return cls(species)

    def __len__(self) -> int:
        return len(self.species)

    def __iter__(self):
        return iter(self.species)

    def __getitem__(self, name: str) -> Species:
        return self.species[self.position(name)]

    def position(self, name: str) -> int:
        """Index of a species by name; :class:`SpeciesError` with a suggestion if unknown."""
        try:
            return self.index[name]
        except KeyError:
            raise SpeciesError(f"unknown species '{name}'",
                               hint=did_you_mean(name, self.names)) from None

    def find(self, name: str) -> int:
        """Index of a species by name, or by formula when one species alone has it
        (``CuO`` for ``tenorite``); :class:`SpeciesError` with a suggestion otherwise.

        >>> t = SpeciesTable.from_declarations([{"name": "tenorite"}, {"name": "water"}])
        >>> t.find("tenorite"), t.find("CuO")
        (0, 0)
        """
        if name in self.index:
            return self.index[name]
        matches = [i for i, s in enumerate(self.species) if s.formula == name]
        if len(matches) == 1:
            return matches[0]
        return self.position(name)

    def vector(self, flows: Mapping[str, float]) -> np.ndarray:
        """A flow vector from a mapping species -> value (missing species are 0)."""
        v = np.zeros(len(self.names))
        for name, value in flows.items():
            v[self.position(name)] = value
        return v

    def heat_capacities(self) -> np.ndarray:
        """cp per species with unknown values replaced by 1.0 J/(g K).

        Used only to weight temperatures when streams mix; the replacement is stated in
        the README (an approximation for species without data).
        """
        return self._cp
