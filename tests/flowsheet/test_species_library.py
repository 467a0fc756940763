"""Tests of the built-in species library, flowsheet/data/species.yaml."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import flowsheet
from flowsheet.elements import parse_formula

__all__: list[str] = []

LIBRARY = Path(flowsheet.__file__).parent / "data" / "species.yaml"
PHASES = {"solid", "aqueous", "organic", "liquid", "gas", "matte", "slag", "metal"}
FIELDS = {"name", "formula", "phase", "density", "cp", "source", "aliases"}


class _UniqueKeyLoader(yaml.SafeLoader):
    """A SafeLoader that refuses a mapping key written twice."""

    def construct_mapping(self, node, deep=False):
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        repeated = {k for k in keys if keys.count(k) > 1}
        if repeated:
            raise yaml.constructor.ConstructorError(
                None, None, f"repeated key(s) {sorted(repeated)}", node.start_mark)
        return super().construct_mapping(node, deep=deep)


@pytest.fixture(scope="module")
def library() -> dict:
    with open(LIBRARY, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_UniqueKeyLoader)


@pytest.fixture(scope="module")
def species(library) -> list[dict]:
    return library["species"]


def test_layout(library, species):
    """The file has `sources` and `species`, and entries use only the documented fields."""
    assert set(library) == {"sources", "species"}
    assert len(species) >= 70
    for entry in species:
        assert {"name", "formula", "phase", "source"} <= set(entry), entry
        assert set(entry) <= FIELDS, entry


def test_every_formula_parses(species):
    """Every library formula is read by flowsheet.elements."""
    for entry in species:
        assert parse_formula(entry["formula"]), entry["name"]


def test_names_unique_and_snake_case(species):
    """Names and aliases are snake_case, and no name or alias is used twice."""
    words = [e["name"] for e in species] + [a for e in species for a in e.get("aliases", [])]
    for word in words:
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", word), word
    assert len(words) == len(set(words)), sorted(w for w in words if words.count(w) > 1)


def test_phases_valid(species):
    """Each phase is one the engine knows."""
    for entry in species:
        assert entry["phase"] in PHASES, entry["name"]


def test_densities_plausible(species):
    """Densities lie in 500..25000 kg/m3, and gases have none."""
    for entry in species:
        if "density" in entry:
            assert 500 <= entry["density"] <= 25000, entry["name"]
        if entry["phase"] == "gas":
            assert "density" not in entry, entry["name"]


def test_heat_capacities_plausible(species):
    """Specific heats lie in 0.1..15 J/(g K) (gold 0.129 to hydrogen 14.3)."""
    for entry in species:
        if "cp" in entry:
            assert 0.1 <= entry["cp"] <= 15, entry["name"]


def test_sources_exist(library, species):
    """Every entry cites a key of `sources`, and every source is cited."""
    sources = library["sources"]
    cited = {entry["source"] for entry in species}
    assert cited <= set(sources), cited - set(sources)
    assert set(sources) <= cited
    for text in sources.values():
        assert isinstance(text, str) and len(text) > 20


def test_water_at_25_degc(species):
    """Liquid water: 997 kg/m3 and 4.18 J/(g K) at 25 degC (CRC Handbook, 97th ed.)."""
    water = next(e for e in species if e["name"] == "water")
    assert (water["formula"], water["phase"]) == ("H2O", "liquid")
    assert water["density"] == 997
    assert water["cp"] == pytest.approx(4.18)


@pytest.mark.parametrize("name, formula, phase", [
    ("chalcopyrite", "CuFeS2", "solid"), ("bornite", "Cu5FeS4", "solid"),
    ("chalcocite", "Cu2S", "solid"), ("covellite", "CuS", "solid"),
    ("enargite", "Cu3AsS4", "solid"), ("cuprite", "Cu2O", "solid"),
    ("tenorite", "CuO", "solid"), ("malachite", "Cu2CO3(OH)2", "solid"),
    ("pyrite", "FeS2", "solid"), ("troilite", "FeS", "solid"),
    ("arsenopyrite", "FeAsS", "solid"), ("galena", "PbS", "solid"),
    ("sphalerite", "ZnS", "solid"), ("cassiterite", "SnO2", "solid"),
    ("hematite", "Fe2O3", "solid"), ("magnetite", "Fe3O4", "solid"),
    ("wustite", "FeO", "solid"), ("quartz", "SiO2", "solid"),
    ("fayalite", "Fe2SiO4", "solid"), ("mercury", "Hg", "liquid"),
    ("copper_sulfate", "CuSO4", "aqueous"), ("ferric_sulfate", "Fe2(SO4)3", "aqueous"),
    ("sulfuric_acid", "H2SO4", "aqueous"), ("steam", "H2O", "gas"),
    ("dodecane", "C12H26", "organic"), ("carbon", "C", "solid"),
])
def test_core_species_present(species, name, formula, phase):
    """The species a copper, zinc, lead, tin or gold flowsheet needs first are in the library."""
    by_name = {e["name"]: e for e in species}
    assert name in by_name
    assert parse_formula(by_name[name]["formula"]) == parse_formula(formula)
    assert by_name[name]["phase"] == phase
