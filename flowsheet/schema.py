"""The flowsheet file format as pydantic models, and its JSON Schema.

The top level of a file is :class:`FlowsheetFile`. Each unit's own parameters are
validated by that unit type's ``Params`` model (see :mod:`flowsheet.unit`); here a unit is a
mapping with a ``type``. :func:`json_schema` joins both so editors can complete a file,
and :func:`explain` turns pydantic's report on any of these models into the one message,
key path and hint that an error about the file shows.

>>> FlowsheetFile.model_validate({"flowsheet": "x", "species": [{"name": "water"}],
...     "units": {}, "streams": []}).solver.method
'wegstein'
"""

from __future__ import annotations

import re
import types
from collections.abc import Mapping
from typing import Annotated, Any, Literal, NamedTuple, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from flowsheet.errors import QuantityError, SchemaError, did_you_mean
from flowsheet.quantities import quantity

__all__ = ["Model", "strict_numbers", "SpeciesDecl", "GridDecl", "StreamDecl", "SpecDecl",
           "SolverDecl", "FlowsheetFile", "json_schema", "Explanation", "explain", "METHODS"]

#: Tear-convergence methods of the sequential-modular solver.
METHODS = ("wegstein", "direct", "broyden", "newton")


_NO_BOOLEAN = "flowsheet_no_boolean"


def _not_boolean(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("bool_not_number", "must be a number, got a boolean ({got})",
                                  {"got": str(value).lower()})
    return value


def strict_numbers(schema: CoreSchema) -> CoreSchema:
    """Return a model's core schema in which no number field accepts a boolean.

    pydantic reads ``true`` as 1 in an ``int`` or ``float`` field (its lax mode); a file
    that says ``activation_energy: true`` is wrong, not one. Every ``int`` and ``float``
    schema, however deep (inside a ``dict``, ``list``, union or nested model), is wrapped
    in a check that refuses ``True`` and ``False``; a field whose type admits ``bool``
    keeps it. Models use it as their ``__get_pydantic_core_schema__``, as :class:`Model`
    does.

    Examples
    --------
    >>> class Tank(Model):
    ...     rate: float
    ...     flows: dict[str, float] = {}
    >>> Tank(rate=2).rate
    2.0
    >>> try:
    ...     Tank(rate=1, flows={"ore": True})
    ... except ValidationError as err:
    ...     print(err.errors()[0]["loc"], err.errors()[0]["msg"])
    ('flows', 'ore') must be a number, got a boolean (true)
    """
    if isinstance(schema, list):
        return [strict_numbers(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    metadata = schema.get("metadata") or {}
    if schema.get("type") in ("int", "float") and not metadata.get(_NO_BOOLEAN):
        inner = {**schema, "metadata": {**metadata, _NO_BOOLEAN: True}}
        return core_schema.no_info_before_validator_function(_not_boolean, inner)
    return {key: strict_numbers(value) for key, value in schema.items()}


class Model(BaseModel):
    """Base of the format's models: unknown keys are errors, and a number is a finite
    number (not ``.nan``, ``.inf`` or a boolean; see :func:`strict_numbers`)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler
                                     ) -> CoreSchema:
        return strict_numbers(handler(source))


_Strict = Model


_NAME = r"^[^.\s]+$"
_PATH = r"^[^.\s]+(\.[^.\s]+)+$"


def _species_name(value: str) -> str:
    if not re.fullmatch(_NAME, value):
        raise ValueError(f"species name '{value}' must be non-empty, without '.' or spaces")
    return value


def _dotted_path(value: str) -> str:
    if not re.fullmatch(_PATH, value):
        raise ValueError(f"'{value}' is not a path such as 'mine.flows.ore': a unit name, "
                         "then '.' and a parameter, port or quantity")
    return value


SpeciesName = Annotated[str, AfterValidator(_species_name),
                        WithJsonSchema({"type": "string", "pattern": _NAME})]
Path = Annotated[str, AfterValidator(_dotted_path),
                 WithJsonSchema({"type": "string", "pattern": _PATH})]


class SpeciesDecl(_Strict):
    """A species: a library name alone, or name + formula + phase, or a lumped assay."""

    name: SpeciesName
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

    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)


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
    strategy: Literal["auto", "legacy"] = Field(
        default="auto", description="auto: Newton on the live tear variables with a reused "
        "Jacobian, robust fallbacks, design specs by Broyden-updated Newton; legacy: the "
        "solver as first written, kept for comparison")


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


def json_schema(unit_types: Mapping[str, type]) -> dict:
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


# -- pydantic's report as one message -------------------------------------------------------

#: Error types whose message is clearer with the value that was given.
_SHOW_INPUT = ("literal_error", "multiple_of", "finite_number", "enum", "greater_than",
               "greater_than_equal", "less_than", "less_than_equal")


def _strip(annotation: Any) -> Any:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def _union_members(annotation: Any) -> list | None:
    if get_origin(annotation) in (Union, types.UnionType):
        return [_strip(a) for a in get_args(annotation) if a is not type(None)]
    return None


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _child(annotation: Any, part: object) -> Any:
    """The annotation one step inside ``annotation`` along ``part``, or None if unknown."""
    if _is_model(annotation):
        for name, info in annotation.model_fields.items():
            if part in (name, info.alias):
                return _strip(info.annotation)
        return None
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is dict and len(args) == 2:
        return _strip(args[1])
    if origin is list and args:
        return _strip(args[0])
    if origin is tuple and args and isinstance(part, int):
        return _strip(args[0] if args[-1] is Ellipsis else args[min(part, len(args) - 1)])
    return None


def _branch(members: list, tag: str) -> Any:
    """The member of a union that pydantic's ``tag`` (a part of an error's loc) names."""
    for member in members:
        if _is_model(member) and (tag == member.__name__
                                  or tag.endswith(f", {member.__name__}]")):
            return member
        origin = get_origin(member)
        if origin is not None and tag.startswith(f"{origin.__name__}["):
            return member
    return None


def _follow(model: type[BaseModel], loc: tuple) -> tuple[tuple, list, Any]:
    """Walk an error's ``loc`` through ``model``.

    Returns the key path as written in the file (without pydantic's names of union
    branches), those branch names as ``(position in loc, name)``, and the annotation found
    at the end (None where the walk lost track).
    """
    path: list = []
    tags: list[tuple[int, str]] = []
    current: Any = model
    for i, part in enumerate(loc):
        members = _union_members(current)
        while members is not None and len(members) == 1:
            current = members[0]
            members = _union_members(current)
        if members:
            tags.append((i, str(part)))
            current = _branch(members, str(part))
            continue
        path.append(part)
        current = _child(current, part) if current is not None else None
    members = _union_members(current)
    if members is not None and len(members) == 1:
        current = members[0]
    return tuple(path), tags, current


def _pick(errors: list[dict], model: type[BaseModel]) -> tuple[dict, tuple, Any]:
    """Choose the one error to report.

    Where a value fits none of the types of a union, pydantic reports every branch; the
    branch with the fewest errors is what the author meant. Of the errors left, an
    unknown key comes first: a misspelt required key is reported as missing *and* as
    unknown, and only the unknown one can say what was meant.
    """
    walked = [(error, *_follow(model, tuple(error.get("loc", ())))) for error in errors]
    counts: dict[tuple, dict[str, int]] = {}
    for error, _, tags, _ in walked:
        for i, tag in tags:
            site = counts.setdefault(tuple(map(str, error["loc"][:i])), {})
            site[tag] = site.get(tag, 0) + 1
    winners = {site: min(tags, key=tags.__getitem__) for site, tags in counts.items()}
    kept = [w for w in walked
            if all(winners[tuple(map(str, w[0]["loc"][:i]))] == tag for i, tag in w[2])]
    kept = kept or walked
    unknown = [w for w in kept if w[0].get("type") == "extra_forbidden"]
    error, path, tags, target = (unknown or kept)[0]
    if tags and tags[-1][0] == len(error["loc"]) - 1 and error["type"].endswith("_type"):
        # the value itself is of none of the union's types: say which types would do
        i = tags[-1][0]
        site = tuple(map(str, error["loc"][:i]))
        alike = [e for e, _, _, _ in walked
                 if len(e["loc"]) == i + 1 and tuple(map(str, e["loc"][:i])) == site
                 and e["type"].endswith("_type")]
        if len(alike) == len(counts[site]):
            kinds = list(dict.fromkeys(str(e["msg"]).removeprefix("Input should be ")
                                       for e in alike))
            text = ", ".join(kinds[:-1]) + " or " + kinds[-1] if len(kinds) > 1 else kinds[0]
            error = {**error, "msg": "Input should be " + text}
    return error, path, target


def _named_field(message: str, model: type[BaseModel]) -> str | None:
    """The field of ``model`` that a model-wide rule's ``message`` is about, if any.

    The earliest field named in quotes wins, then the earliest named as a word (or in the
    singular); a model with a single field is about that field.
    """
    names = _field_names(model)
    quoted = [(message.find(f"'{name}'"), name) for name in names if f"'{name}'" in message]
    if quoted:
        return min(quoted)[1]
    for word in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", message):
        for name in names:
            if word in (name, name.removesuffix("s")):
                return name
    return names[0] if len(names) == 1 else None


class Explanation(NamedTuple):
    """One error of a pydantic report, ready for a :class:`~flowsheet.errors.SchemaError`."""

    message: str
    path: tuple
    hint: str | None
    error_class: type[SchemaError] = SchemaError


def explain(err: ValidationError, model: type[BaseModel], noun: str = "key") -> Explanation:
    """Turn a pydantic ``ValidationError`` on ``model`` into a message, key path and hint.

    One error is chosen: of a union, the branch with the fewest errors; then an unknown
    key before any other error. The path leaves out pydantic's names of union branches, so
    that it can be looked up in the file; a rule of the whole model is placed at the field
    its message names, when the file gives that field. Unknown keys and values outside a
    fixed set of choices get a ``did you mean`` hint.

    Parameters
    ----------
    err : pydantic.ValidationError
        The report of ``model.model_validate``.
    model : type of pydantic.BaseModel
        The model that was validated.
    noun : str
        What the model's keys are called in messages (``"key"``, ``"parameter"``).

    Returns
    -------
    Explanation
        ``message``, one line without location; ``path``, the keys and list indices from
        the top of ``model`` to the offending value; ``hint``, what would be accepted, or
        None; ``error_class``, :class:`~flowsheet.errors.QuantityError` for a quantity
        that cannot be read, else :class:`~flowsheet.errors.SchemaError`.

    Examples
    --------
    >>> try:
    ...     SolverDecl.model_validate({"method": "wegstien"})
    ... except ValidationError as err:
    ...     message, path, hint, _ = explain(err, SolverDecl)
    >>> message
    "must be 'wegstein', 'direct', 'broyden' or 'newton', got 'wegstien'"
    >>> path, hint
    (('method',), "did you mean 'wegstein'?")
    >>> try:
    ...     GridDecl.model_validate({"top": "2 mm", "botom": 20})
    ... except ValidationError as err:
    ...     explain(err, GridDecl)[:3]
    ("unknown key 'botom'", ('botom',), "did you mean 'bottom'?")
    """
    error, path, target = _pick(err.errors(), model)
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    value = error.get("input")
    message = str(error.get("msg", "invalid value"))
    hint = None
    error_class = SchemaError
    if kind == "extra_forbidden":
        parent = _follow(model, tuple(error["loc"][:-1]))[2]
        message = f"unknown {noun} '{path[-1]}'"
        if _is_model(parent):
            hint = did_you_mean(str(path[-1]), _field_names(parent))
    elif kind == "missing":
        message = f"missing {noun} '{path[-1]}'"
    elif kind == "quantity":
        message, hint = context.get("message", message), context.get("hint")
        error_class = QuantityError
    else:
        message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        if message.startswith("Input should be"):
            message = "must be" + message.removeprefix("Input should be")
        shown = kind.endswith(("_type", "_parsing")) or kind in _SHOW_INPUT
        if shown:
            message += (", got a mapping" if isinstance(value, dict) else
                        ", got a list" if isinstance(value, list) else f", got {value!r}")
        if kind == "literal_error" and get_origin(target) is Literal:
            near = did_you_mean(str(value), map(str, get_args(target)))
            hint = near if near and near.startswith("did you mean") else None
        if _is_model(target) and isinstance(value, dict):
            field = _named_field(message, target)
            if field in value:
                path = (*path, field)
    return Explanation(message, path, hint, error_class)
