"""The one exception hierarchy of the engine.

Every error the engine raises on purpose is a :class:`FlowsheetError`. It carries a
:class:`Location` (file, line, column, unit, key) and an optional hint ("did you mean
'mia'?"), and renders as one line::

    plant.yaml:12:31: unit 'sag': key 'mai': unknown parameter -- did you mean 'mia'?

The command line prints that line and exits with code 2; Python callers catch the class
they care about.

>>> err = SchemaError("unknown parameter", location=Location("a.yaml", 3, 7, unit="sag",
...                   key="mai"), hint="did you mean 'mia'?")
>>> str(err)
"a.yaml:3:7: unit 'sag': key 'mai': unknown parameter -- did you mean 'mia'?"
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

__all__ = [
    "Location",
    "FlowsheetError",
    "InputError",
    "YamlSyntaxError",
    "SchemaError",
    "QuantityError",
    "SpeciesError",
    "FormulaError",
    "TopologyError",
    "UnitRunError",
    "ConvergenceError",
    "DesignSpecError",
    "BalanceError",
    "ExportError",
    "RangeError",
    "did_you_mean",
    "ECHO_LIMIT",
    "clip",
    "quoted",
]


@dataclass(frozen=True)
class Location:
    """Where an error points: file, 1-based line and column, unit and key."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    unit: str | None = None
    key: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            where = clip(self.file, 4 * ECHO_LIMIT)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            parts.append(where)
        if self.unit:
            parts.append(f"unit {quoted(self.unit)}")
        if self.key:
            parts.append(f"key {quoted(self.key)}")
        return ": ".join(parts)


class FlowsheetError(Exception):
    """Base of every deliberate error: a message, a :class:`Location` and a hint."""

    def __init__(self, message: str, *, location: Location | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()
        self.hint = hint

    def located(self, **fields) -> FlowsheetError:
        """Return this error with the empty fields of its location filled from ``fields``.

        Fields the error already knows are kept: the innermost raiser knows best.
        """
        known = {k: v for k, v in fields.items() if getattr(self.location, k) is None}
        self.location = replace(self.location, **known)
        return self

    def __str__(self) -> str:
        where = str(self.location)
        message = _shorten(self.message)
        text = f"{where}: {message}" if where else message
        if self.hint:
            text += f" -- {_shorten(self.hint)}"
        return text


class InputError(FlowsheetError):
    """The flowsheet file (or another input file) is not acceptable."""


class YamlSyntaxError(InputError):
    """The file is not valid YAML, is empty, repeats a key, or uses a forbidden tag.

    ``path`` holds the keys and list indices down to a refused value, when the reader
    knows them (an integer too long to read), so that the loader can name its unit.
    """

    path: tuple = ()


class SchemaError(InputError):
    """A key, value or type does not fit the format (unknown key, wrong type, range)."""


class QuantityError(SchemaError):
    """A quantity cannot be read or has units of the wrong kind (``5 kg`` for a power)."""


class SpeciesError(SchemaError):
    """An unknown or inconsistent species (name, phase, assay)."""


class FormulaError(SpeciesError):
    """A chemical formula that cannot be parsed, or a reaction that does not balance."""


class TopologyError(InputError):
    """The graph is wrong: a missing unit or port, an unconnected outlet, a trapped species."""


class UnitRunError(FlowsheetError):
    """A unit could not compute its outlets from the inlets it was given."""


class ConvergenceError(FlowsheetError):
    """A recycle did not converge; ``history`` holds the residual of every tear per iteration.

    ``history`` maps a tear stream's name to its list of relative residuals.
    """

    def __init__(self, message: str, *, history: dict[str, list[float]] | None = None,
                 location: Location | None = None, hint: str | None = None) -> None:
        super().__init__(message, location=location, hint=hint)
        self.history = history or {}


class DesignSpecError(FlowsheetError):
    """A design specification is infeasible within its bounds or did not converge.

    ``report`` holds the iterations tried (parameter values and spec residuals).
    """

    def __init__(self, message: str, *, report: dict | None = None,
                 location: Location | None = None, hint: str | None = None) -> None:
        super().__init__(message, location=location, hint=hint)
        self.report = report or {}


class BalanceError(FlowsheetError):
    """A solve does not close its mass or element balance: a unit is wrong."""


class ExportError(FlowsheetError):
    """A result could not be written."""


class RangeError(FlowsheetError):
    """A converged value lies outside its usual range and the run asked to be strict
    (``flowsheet run --strict``); see :mod:`flowsheet.validity`."""


#: Longest piece of user text a message echoes; longer text is cut short by :func:`quoted`.
ECHO_LIMIT = 40

#: At most this many leading characters of a name are compared by :func:`did_you_mean`.
_COMPARED = 64

# A quoted span or an unbroken run of characters too long to echo whole.
_LONG_QUOTED = re.compile(rf"'([^'\n]{{{ECHO_LIMIT + 4},}})'")  # not what quoted() gave
_LONG_RUN = re.compile(rf"[^\s']{{{2 * ECHO_LIMIT + 1},}}")


def clip(text: object, limit: int = ECHO_LIMIT) -> str:
    """Return ``text`` cut to ``limit`` characters with an ellipsis and its length.

    User text echoed in a message goes through this (or :func:`quoted`), so that a
    name of a million characters gives a message of one line.

    >>> clip("sag_mill")
    'sag_mill'
    >>> clip("a" * 1_000_000, 4)
    'aaaa... (1,000,000 characters)'
    """
    text = str(text)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} characters)"


def quoted(text: object, limit: int = ECHO_LIMIT) -> str:
    """Return ``text`` in single quotes, cut to ``limit`` characters as :func:`clip` does.

    >>> quoted("sag")
    "'sag'"
    >>> quoted("a" * 1_000_000, 4)
    "'aaaa...' (1,000,000 characters)"
    """
    text = str(text)
    if len(text) <= limit:
        return f"'{text}'"
    return f"'{text[:limit]}...' ({len(text):,} characters)"


def _shorten(message: str) -> str:
    """Cut every over-long quoted span and unbroken run of ``message`` (see :func:`quoted`).

    Messages are written with user text in quotes, so this one pass keeps every message
    to about a line whatever the input was.
    """
    if len(message) <= 2 * ECHO_LIMIT:
        return message
    message = _LONG_QUOTED.sub(lambda m: quoted(m.group(1)), message)
    return _LONG_RUN.sub(lambda m: clip(m.group(0)), message)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """Suggest the nearest valid name, or list what is accepted when nothing is near.

    Only names of about the same length are compared, each on its first 64 characters,
    so that a name of a million characters is answered at once.

    >>> did_you_mean("mai", ["mia", "mib", "bwi"])
    "did you mean 'mia'?"
    >>> did_you_mean("zzz", ["feed", "mixer"])
    'accepted: feed, mixer'
    >>> did_you_mean("x" * 1_000_000, ["feed", "mixer"])
    'accepted: feed, mixer'
    """
    choices = sorted(set(map(str, choices)))
    if not choices:
        return None
    word = str(word)
    near = [c for c in choices if _comparable(len(word), len(c))]
    if near:
        short = word[:_COMPARED].lower()

        def distance(choice: str) -> int:
            return _edit_distance(short, choice[:_COMPARED].lower())

        def ratio(choice: str) -> float:
            return difflib.SequenceMatcher(None, word[:_COMPARED], choice[:_COMPARED]).ratio()

        best = min(near, key=lambda c: (distance(c), -ratio(c)))
        limit = max(1, min(len(short), len(best), _COMPARED) // 3)
        if distance(best) <= limit or ratio(best) >= 0.75:
            return f"did you mean {quoted(best)}?"
    shown = [clip(c) for c in choices[:12]]
    if len(choices) > 12:
        return "accepted: " + ", ".join(shown) + ", ..."
    return "accepted: " + ", ".join(shown)


def _comparable(a: int, b: int) -> bool:
    """Whether names of lengths ``a`` and ``b`` can be near: more than a third apart in
    length, neither an edit distance within a third nor a similarity ratio of 0.75 is
    possible."""
    return abs(a - b) <= max(a, b) // 2 + 1


def _edit_distance(a: str, b: str) -> int:
    """Optimal-string-alignment distance: insertions, deletions, substitutions and
    transpositions of neighbours each cost 1 (so 'mai' is one step from 'mia')."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]
