"""Smelting technology presets, read from ``units/pyro/data/smelting_technologies.yaml``.

Each preset gives the product (copper matte, or lead or tin metal), the attainable grades,
slag metal content, blast oxygen, off-gas SO2 range, slag ratio targets and the element
distribution coefficients of one smelting process, with its sources. The metal's
``defaults`` are merged under the technology's own entries (element by element), and a
flowsheet may override any key (:func:`technology`).

>>> t = technology("outokumpu_flash")
>>> t.metal, t.product, t.grade, t.slag_metal
('Cu', 'matte', (55.0, 70.0), 1.5)
>>> t.distribution["Au"]["product"]
0.98
>>> try:
...     technology("vanyukof")
... except SchemaError as err:
...     print(err)
key 'technology': unknown technology 'vanyukof' -- did you mean 'vanyukov'?
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

from flowsheet.errors import Location, SchemaError, did_you_mean
from units.pyro.charge_balance import DESTINATIONS, FLUX_ELEMENTS, MINOR_ELEMENTS

__all__ = ["Technology", "technology", "technology_names", "technology_data"]

_RANGES = ("grade", "slag_metal_range", "o2_range", "so2_pct")
_OVERRIDABLE = ("default_grade", "slag_metal", "o2_pct", "fe_sio2", "cao_sio2", "fe3_fe")


@dataclass(frozen=True)
class Technology:
    """One smelting process (see the data file for the meaning of each field)."""

    key: str
    name: str
    metal: str
    product: str
    grade: tuple[float, float]
    default_grade: float
    slag_metal: float
    slag_metal_range: tuple[float, float]
    o2_pct: float
    o2_range: tuple[float, float]
    so2_pct: tuple[float, float]
    fe_sio2: float
    cao_sio2: float
    fe3_fe: float
    distribution: Mapping[str, Mapping[str, float]]
    sources: tuple[str, ...]
    notes: str = ""

    def with_overrides(self, values: Mapping[str, Any] | None = None,
                       distribution: Mapping[str, Mapping[str, float]] | None = None
                       ) -> Technology:
        """This preset with scalar figures and coefficients replaced.

        ``values`` may set any of ``default_grade``, ``slag_metal``, ``o2_pct``,
        ``fe_sio2``, ``cao_sio2``, ``fe3_fe``; ``distribution`` replaces the coefficients
        of the elements it names (a partial entry keeps the other destinations).

        >>> t = technology("isasmelt").with_overrides({"slag_metal": 0.7},
        ...                                           {"Ag": {"product": 0.9, "slag": 0.1}})
        >>> t.slag_metal, t.distribution["Ag"]
        (0.7, {'product': 0.9, 'slag': 0.1, 'gas': 0.0, 'dust': 0.0})
        """
        values = dict(values or {})
        unknown = set(values) - set(_OVERRIDABLE)
        if unknown:
            name = sorted(unknown)[0]
            raise SchemaError(f"'{name}' cannot be overridden",
                              hint=did_you_mean(name, _OVERRIDABLE))
        dist = {e: dict(v) for e, v in self.distribution.items()}
        for element, coef in (distribution or {}).items():
            dist[element] = {**dist.get(element, {}), **dict(coef)}
        out = replace(self, distribution=dist, **{k: float(v) for k, v in values.items()})
        _check(out)
        return out


@functools.lru_cache(maxsize=1)
def technology_data() -> dict:
    """The parsed data file (sources, defaults, technologies)."""
    import yaml

    text = resources.files("units.pyro").joinpath(
        "data/smelting_technologies.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def technology_names() -> list[str]:
    """Keys of the presets, in file order.

    >>> technology_names()[:3]
    ['outokumpu_flash', 'isasmelt', 'ausmelt']
    """
    return list(technology_data()["technologies"])


def technology(key: str) -> Technology:
    """The preset ``key`` with its metal's default distribution merged in.

    Raises
    ------
    SchemaError
        For an unknown name, with the nearest names.
    """
    data = technology_data()
    entries = data["technologies"]
    if key not in entries:
        raise SchemaError(f"unknown technology '{key}'", location=Location(key="technology"),
                          hint=did_you_mean(key, entries))
    entry = dict(entries[key])
    dist = {e: dict(v) for e, v in data["defaults"][entry["metal"]]["distribution"].items()}
    for element, coef in (entry.pop("distribution", None) or {}).items():
        dist[element] = {**dist.get(element, {}), **coef}
    for name in _RANGES:
        entry[name] = tuple(float(v) for v in entry[name])
    for name in _OVERRIDABLE:
        entry[name] = float(entry[name])
    entry["sources"] = tuple(entry["sources"])
    out = Technology(key=key, distribution=dist, **entry)
    _check(out)
    return out


def _check(t: Technology) -> None:
    """Coefficients in 0..1 that sum to 1 where they must; known elements; sane ranges."""
    for element, coef in t.distribution.items():
        where = Location(key=f"distribution.{element}")
        if element not in MINOR_ELEMENTS + FLUX_ELEMENTS + ("Fe", "S", "Mg", "Al"):
            raise SchemaError(f"no element '{element}' in the charge balance", location=where)
        for dest, value in coef.items():
            if dest not in DESTINATIONS:
                raise SchemaError(f"unknown destination '{dest}' of {element}",
                                  location=where, hint=did_you_mean(dest, DESTINATIONS))
            if not 0.0 <= value <= 1.0:
                raise SchemaError(f"coefficient {dest} of {element} is {value:g}, not in 0..1",
                                  location=where)
        balanced = ("Cu", "Fe", "S") if t.product == "matte" else ("Fe", "S")
        full = element not in balanced and element in MINOR_ELEMENTS
        total = sum(coef.get(d, 0.0) for d in DESTINATIONS)
        if full and abs(total - 1.0) > 1e-9:
            raise SchemaError(f"coefficients of {element} sum to {total:g}, not 1",
                              location=where)
    lo, hi = t.grade
    if not (0 < lo <= t.default_grade <= hi <= 100):
        raise SchemaError(f"technology '{t.key}': default_grade {t.default_grade:g} is "
                          f"outside its grade range {lo:g}-{hi:g}")
    if not 0 < t.o2_pct <= 100:
        raise SchemaError(f"o2_pct {t.o2_pct:g} must lie in (0, 100] % O2",
                          location=Location(key="o2_pct"))
    if not 0 <= t.fe3_fe <= 2 / 3:
        raise SchemaError(f"fe3_fe {t.fe3_fe:g} must lie in 0..2/3",
                          location=Location(key="fe3_fe"))
