"""The flowsheet file format as pydantic models, and its JSON Schema.

The top level of a file is :class:`FlowsheetFile`. Each unit's own parameters are
validated by that unit type's ``Params`` model (see :mod:`units.base`); here a unit is a
mapping with a ``type``. :func:`json_schema` joins both so editors can complete a file.

>>> FlowsheetFile.model_validate({"flowsheet": "x", "species": [{"name": "water"}],
...     "units": {}, "streams": []}).solver.method
'wegstein'
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from flowsheet.quantities import quantity

__all__ = ["SpeciesDecl", "GridDecl", "StreamDecl", "SpecDecl", "SolverDecl",
           "FlowsheetFile", "json_schema", "METHODS"]

#: Tear-convergence methods of the sequential-modular solver.
METHODS = ("wegstein", "direct", "broyden", "newton")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SpeciesDecl(_Strict):
    """A species: a library name alone, or name + formula + phase, or a lumped assay."""

    name: str = Field(pattern=r"^[^.\s]+$")
    formula: str | None = None
    phase: str | None = None
    density: quantity("density") | None = None
    cp: float | None = Field(default=None, gt=0, description="J/(g K)")
    assay: dict[str, float] | None = Field(
        default=None, description="element assay of a lumped species, % by mass")

    @field_validator("assay")
    @classmethod
    def _assay_range(cls, value):
        for element, pct in (value or {}).items():
            if not 0.0 <= pct <= 100.0:
                raise ValueError(f"assay of {element} must be 0..100 %, got {pct:g}")
        return value


class GridDecl(_Strict):
    """The size grid: a sqrt(2)-type geometric series, or explicit sieves (um)."""

    top: quantity("size") | None = None
    bottom: quantity("size") | None = None
    ratio: float = Field(default=2 ** 0.5, gt=1.0)
    sieves: list[quantity("size")] | None = None

    @model_validator(mode="after")
    def _one_way(self):
        if self.sieves is None and (self.top is None or self.bottom is None):
            raise ValueError("give 'sieves' or both 'top' and 'bottom'")
        if self.sieves is not None and (self.top is not None or self.bottom is not None):
            raise ValueError("give 'sieves' or 'top'/'bottom', not both")
        return self


class StreamDecl(_Strict):
    """A connection ``from: unit[.port]`` ``to: unit[.port]``, optionally named."""

    from_: str = Field(alias="from")
    to: str
    name: str | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


Path = Annotated[str, Field(pattern=r"^[^.\s]+(\.[^.\s]+)+$")]


class SpecDecl(_Strict):
    """A design specification: vary parameters until quantities equal targets."""

    vary: Path | list[Path]
    until: Path | list[Path]
    equals: float | str | list[float | str]
    bounds: list[float] | list[list[float]] | None = None
    tolerance: float = Field(default=1e-8, gt=0)
    max_iterations: int = Field(default=50, ge=1)


class SolverDecl(_Strict):
    """Solver settings of a flowsheet."""

    method: Literal["wegstein", "direct", "broyden", "newton"] = "wegstein"
    tolerance: float = Field(default=1e-10, gt=0, lt=1)
    max_iterations: int = Field(default=500, ge=1)
    wegstein_bounds: tuple[float, float] = (-5.0, 0.0)
    linear: bool = Field(default=True, description="solve linear subgraphs in one sparse "
                                                    "solve")
    tears: list[str] | None = Field(default=None, description="tear streams by name")


class FlowsheetFile(_Strict):
    """The top level of a flowsheet file."""

    flowsheet: str
    description: str | None = None
    species: list[SpeciesDecl] = Field(min_length=1)
    size_grid: GridDecl | None = None
    units: dict[str, dict[str, Any]]
    streams: list[StreamDecl]
    specs: list[SpecDecl] = []
    solver: SolverDecl = SolverDecl()


def json_schema(unit_types: dict[str, type]) -> dict:
    """The JSON Schema of the format, with one branch per registered unit type."""
    schema = FlowsheetFile.model_json_schema()
    branches = []
    for type_name in sorted(unit_types):
        params = unit_types[type_name].Params
        sub = params.model_json_schema()
        sub.setdefault("properties", {})
        sub["properties"] = {"type": {"const": type_name}, **sub["properties"]}
        sub["required"] = ["type", *sub.get("required", [])]
        sub["title"] = type_name
        defs = sub.pop("$defs", {})
        schema.setdefault("$defs", {}).update(defs)
        branches.append(sub)
    schema["properties"]["units"] = {
        "type": "object",
        "description": "units by name; 'type' selects the unit and its parameters",
        "additionalProperties": {"oneOf": branches} if branches else {"type": "object"},
    }
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "flowsheet"
    return schema
