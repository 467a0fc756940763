"""Read flowsheet YAML safely and remember where every key and value starts.

A flowsheet file is read with PyYAML's safe loader (the C one when PyYAML was built with
libyaml) into plain Python values -- ``dict``, ``list``, ``str``, ``int``, ``float``,
``bool`` and ``None`` -- together with a :class:`Positions` map from a path of keys and
list indices to 1-based line and column, so that a later error about
``units.sag.mia`` can point at the line where ``mia`` is written.

The reading is stricter and more predictable than PyYAML's defaults:

- a key repeated in one mapping is an error, never "the last one wins";
- an explicit tag (``!!python/object:...``, ``!!str``, ``!custom``) is an error; nothing
  is ever constructed from a tag, so a hostile file cannot run code;
- scalars follow the YAML 1.2 core schema: ``1e-3`` is a float; only ``true`` and
  ``false`` (any case) are booleans, so a species or port called ``on``, ``no`` or ``y``
  stays a string (YAML 1.1's "Norway problem"); ``12:30`` and ``2024-01-31`` stay
  strings; ``010`` is ten; ``~``, ``null`` and an empty value are ``None``;
- exactly one document per file, and not an empty one.

Anchors and aliases are allowed: an alias shares the anchored value, as in PyYAML; its
position is that of the alias, the positions inside it those of the anchored original. So
is the merge key ``<<``: keys written in the mapping win over merged ones, and earlier
merged mappings win over later ones. Nesting deeper than 100 levels is refused, with the
same error whichever parser reads the file (libyaml has a depth limit of its own, and
scans ahead of the events, so the file is read again by the pure-Python parser when
libyaml refuses it). An integer of more than 4,300 digits (the most Python's ``int()``
reads) is refused: it is far beyond the largest float, about 1.8e308, so no number a
flowsheet holds could be it.

>>> data, pos = load_yaml("units:\\n  sag: {type: sag_mill, mia: 19.5}\\n", "plant.yaml")
>>> data
{'units': {'sag': {'type': 'sag_mill', 'mia': 19.5}}}
>>> pos.key(("units", "sag", "mia"))
(2, 25)
>>> pos.nearest(("units", "sag", "power"))
(2, 3)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from os import PathLike
from typing import Any

import yaml

from flowsheet.collector import collector_paused
from flowsheet.errors import InputError, Location, YamlSyntaxError

__all__ = ["Positions", "load_yaml", "read_yaml_file"]

_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Most digits of an integer that is read (Python's default limit on ``int()`` of text).
MAX_DIGITS = 4300

_DIGITS = r"[0-9]+(?:_[0-9]+)*"
_PLAIN = re.compile(
    rf"""(?P<null>~|null|Null|NULL|)
    |(?P<bool>[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])
    |(?P<int>[-+]?{_DIGITS})
    |(?P<hex>0x[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*)
    |(?P<oct>0o[0-7]+(?:_[0-7]+)*)
    |(?P<float>[-+]?(?:{_DIGITS}(?:\.(?:{_DIGITS})?)?|\.{_DIGITS})(?:[eE][-+]?{_DIGITS})?)
    |(?P<inf>[-+]?\.(?:inf|Inf|INF))
    |(?P<nan>\.(?:nan|NaN|NAN))""",
    re.VERBOSE,
)
_CONVERT = {
    "null": lambda text: None,
    "bool": lambda text: text[0] in "tT",
    "int": int,
    "hex": lambda text: int(text, 16),
    "oct": lambda text: int(text, 8),
    "float": float,
    "inf": lambda text: float("-inf") if text[0] == "-" else float("inf"),
    "nan": lambda text: float("nan"),
}

_NO_KEY = object()  # an open mapping waits for a key
_MERGE = object()  # ... or for the value of a merge key '<<'
_MAX_DEPTH = 100

Mark = tuple[int, int]


class Positions:
    """Where each key and value of a loaded document starts, as 1-based (line, column).

    A path is a tuple of mapping keys and list indices, as in a pydantic error's ``loc``:
    ``("units", "sag", "mia")`` or ``("streams", 3, "to")``. The empty path is the
    document itself.

    >>> _, pos = load_yaml("streams:\\n  - {from: a, to: b}\\n")
    >>> pos.value(("streams", 0, "to"))
    (2, 19)
    >>> pos.key(("streams", 0)) is None
    True
    """

    __slots__ = ("file", "_root", "_record")

    def __init__(self, file: str, root: Mark, record: object) -> None:
        self.file = file
        self._root = root
        self._record = record

    def _walk(self, path: Sequence[object]) -> tuple[int, Mark | None, Mark]:
        """Follow ``path``; return how many parts were found and the last key and value."""
        key_mark, value_mark, record = None, self._root, self._record
        for depth, part in enumerate(path):
            if isinstance(record, dict):
                try:
                    entry = record.get(part)
                except TypeError:
                    entry = None
                if entry is None:
                    return depth, key_mark, value_mark
                key_mark, value_mark, record = entry
            elif (isinstance(record, list) and isinstance(part, int)
                  and not isinstance(part, bool) and 0 <= part < len(record)):
                key_mark = None
                value_mark, record = record[part]
            else:
                return depth, key_mark, value_mark
        return len(path), key_mark, value_mark

    def key(self, path: Sequence[object]) -> Mark | None:
        """Return where the key at the end of ``path`` starts, or None (no such key)."""
        depth, key_mark, _ = self._walk(path)
        if depth < len(path) or key_mark is None:
            return None
        return key_mark

    def value(self, path: Sequence[object]) -> Mark | None:
        """Return where the value at ``path`` starts, or None when the path does not exist."""
        depth, _, value_mark = self._walk(path)
        return value_mark if depth == len(path) else None

    def nearest(self, path: Sequence[object]) -> Mark:
        """Return the position of the longest prefix of ``path`` that exists.

        That is its key when it has one, else its value: an error about a missing key
        points at the mapping that lacks it.
        """
        _, key_mark, value_mark = self._walk(path)
        return key_mark if key_mark is not None else value_mark

    def location(self, path: Sequence[object], **fields: str | None) -> Location:
        """Return a :class:`Location` in this file at :meth:`nearest` ``(path)``.

        ``fields`` (``unit``, ``key``) are passed on to the location.

        >>> _, pos = load_yaml("a: {b: 1}\\n", "f.yaml")
        >>> str(pos.location(("a", "c"), key="c"))
        "f.yaml:1:1: key 'c'"
        """
        line, column = self.nearest(path)
        return Location(self.file, line, column, **fields)


def _mark(event: yaml.Event) -> Mark:
    mark = event.start_mark
    return mark.line + 1, mark.column + 1


def _error(message: str, filename: str, mark: Mark = (1, 1),
           hint: str | None = None) -> YamlSyntaxError:
    return YamlSyntaxError(message, location=Location(filename, mark[0], mark[1]), hint=hint)


class _Loader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader, of which only the parser is used.

    Values are built straight from the parser's events with an explicit stack, not from
    composed nodes: it is faster, deep nesting cannot exhaust the C stack, positions are
    recorded on the way, and a tag is seen as written.
    """

    def read_document(self, filename: str, progress: Callable[..., None] | None = None,
                      lines: int = 0) -> tuple[Any, Mark, Any]:
        """Build the document that starts at the next event.

        Returns the value, where it starts and its record for :class:`Positions`: a
        mapping's record maps each key to ``(key mark, value mark, record)``, a list's
        holds ``(value mark, record)`` per item, a scalar has none. A mark is a 1-based
        ``(line, column)``; the events themselves are not kept (they are ten times the
        size, and a big file has hundreds of thousands). ``progress`` is told
        ``progress("reading", line, None, lines)`` every 16,384 events.
        """
        anchors: dict[str, tuple[Any, Any]] = {}
        # Open collections: [value, record, start mark, key or _NO_KEY, key mark, merges]
        stack: list[list[Any]] = []
        get_event = self.get_event
        count = 0
        while True:
            event = get_event()
            kind = type(event)
            start = event.start_mark
            mark = start.line + 1, start.column + 1
            count += 1
            if progress is not None and not count & 0x3FFF:
                progress("reading", mark[0], None, lines)
            if kind is yaml.ScalarEvent:
                if event.tag is not None:
                    raise _tag_error(event, filename)
                value = event.value
                if event.implicit[0]:
                    match = _PLAIN.fullmatch(value)
                    if match is not None:
                        if (match.lastgroup in ("int", "hex", "oct")
                                and len(value) > MAX_DIGITS):
                            raise _too_long(value, event, stack, filename)
                        value = _CONVERT[match.lastgroup](value)
                record = None
                if event.anchor is not None:
                    anchors[event.anchor] = value, record
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if event.tag is not None:
                    raise _tag_error(event, filename)
                if len(stack) == _MAX_DEPTH:
                    raise _error(f"the document is nested more than {_MAX_DEPTH} levels deep",
                                 filename, mark)
                value, record = ({}, {}) if kind is yaml.MappingStartEvent else ([], [])
                if event.anchor is not None:
                    anchors[event.anchor] = value, record
                stack.append([value, record, mark, _NO_KEY, None, None])
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                value, record, mark, _, _, merges = stack.pop()
                if merges:
                    _merge(value, record, merges, filename)
            elif kind is yaml.AliasEvent:
                if event.anchor not in anchors:
                    raise _error(f"found undefined alias '{event.anchor}'", filename, mark)
                value, record = anchors[event.anchor]
            else:
                raise _error(f"unexpected {kind.__name__}", filename, mark)

            if not stack:
                return value, mark, record
            frame = stack[-1]
            if type(frame[0]) is list:
                frame[0].append(value)
                frame[1].append((mark, record))
            elif frame[3] is _NO_KEY:
                if record is not None:
                    kind_name = "mapping" if type(record) is dict else "list"
                    raise _error(f"a mapping key must be a single value, not a {kind_name}",
                                 filename, mark)
                if kind is yaml.ScalarEvent and event.implicit[0] and value == "<<":
                    frame[3] = _MERGE
                    continue
                if value in frame[1]:
                    first = frame[1][value][0][0]
                    shown = event.value if kind is yaml.ScalarEvent else value
                    raise _error(f"duplicate key '{shown}' (first at line {first})",
                                 filename, mark)
                frame[3], frame[4] = value, mark
            else:
                if frame[3] is _MERGE:
                    frame[5] = (frame[5] or []) + [(value, record, mark)]
                else:
                    frame[0][frame[3]] = value
                    frame[1][frame[3]] = frame[4], mark, record
                frame[3] = _NO_KEY


def _too_long(text: str, event: yaml.Event, stack: list, filename: str) -> YamlSyntaxError:
    """The error for an integer too long to be a number; ``path`` says where it is."""
    path = [len(frame[0]) if type(frame[0]) is list else frame[3] for frame in stack]
    keys = [part for part in path if isinstance(part, str)]
    digits = len(text.lstrip("+-").replace("_", ""))
    err = _error(f"an integer of {digits:,} digits is not a usable number", filename,
                 _mark(event), hint="numbers are floats up to about 1.8e308; write one "
                                    "in scientific notation (e.g. 1.5e6)")
    err.location = replace(err.location, key=keys[-1] if keys else None)
    err.path = tuple(path)
    return err


def _tag_error(event: yaml.Event, filename: str) -> YamlSyntaxError:
    tag = event.tag
    if tag.startswith("tag:yaml.org,2002:"):
        tag = "!!" + tag[len("tag:yaml.org,2002:"):]
    return _error(f"tags are not allowed in a flowsheet file: '{tag}'", filename, _mark(event))


def _merge(mapping: dict, keys: dict, merges: list, filename: str) -> None:
    """Add the keys of each merged mapping that the mapping does not have yet."""
    for value, record, mark in merges:
        if type(record) is dict:
            sources = [(value, record)]
        elif type(record) is list and all(type(item) is dict for _, item in record):
            sources = [(item, entries) for item, (_, entries) in zip(value, record, strict=True)]
        else:
            raise _error("a merge key '<<' takes a mapping or a list of mappings", filename,
                         mark)
        for source, entries in sources:
            for key, entry in entries.items():
                if key not in keys:
                    mapping[key] = source[key]
                    keys[key] = entry


def _syntax_error(exc: yaml.YAMLError, text: str, filename: str) -> YamlSyntaxError:
    """Turn a PyYAML error into a one-line :class:`YamlSyntaxError` at its mark."""
    if isinstance(exc, yaml.reader.ReaderError):
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        offset = text.find(chr(code))
        offset = max(offset, 0)
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return _error(f"unacceptable character #x{code:04x}: {exc.reason}", filename,
                      (line, column))
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None) or str(exc)
    message = " ".join(str(problem).split())
    where = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and context_mark is not None:
        started = context_mark.line + 1, context_mark.column + 1
        if started != where and "end of stream" in message:
            # an unclosed quote or bracket: the place to look is where it opened
            what = str(context).removeprefix("while scanning ").removeprefix("while parsing ")
            message = f"{what} is never closed ({message})"
            where = started
        elif started != where:
            message += f" ({context} started at line {started[0]}, column {started[1]})"
    lines = text.split("\n")
    found = lines[where[0] - 1][where[1] - 1:where[1]] if where[0] <= len(lines) else ""
    if found and message == "found character that cannot start any token":
        message = f"found character {found!r} that cannot start any token"
    hint = "indent with spaces: YAML does not allow tabs" if found == "\t" else None
    return _error(message, filename, where, hint)


class _PythonLoader(yaml.SafeLoader):
    """The pure-Python parser, read as :class:`_Loader` reads libyaml's."""

    read_document = _Loader.read_document


def _ours_first(exc: yaml.YAMLError, text: str, filename: str) -> YamlSyntaxError:
    """The error to report when the parser refuses ``text``.

    libyaml scans ahead of the events it hands over and has limits of its own (a nesting
    depth), so it may refuse a file before :class:`_Loader` sees what it would refuse
    first. The text up to the refused line is then read again by the pure-Python parser;
    an error of ours found there wins.
    """
    if issubclass(_Loader, yaml.SafeLoader) or isinstance(exc, yaml.reader.ReaderError):
        return _syntax_error(exc, text, filename)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    end = len(text)
    if mark is not None:
        end = -1
        for _ in range(mark.line + 1):
            end = text.find("\n", end + 1)
            if end < 0:
                end = len(text)
                break
    loader = _PythonLoader(text[:end])
    try:
        loader.get_event()
        if not loader.check_event(yaml.StreamEndEvent):
            loader.get_event()
            loader.read_document(filename)
    except YamlSyntaxError as ours:
        return ours
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return _syntax_error(exc, text, filename)


def load_yaml(text: str, filename: str = "<string>",
              progress: Callable[..., None] | None = None) -> tuple[object, Positions]:
    """Parse one YAML document into plain Python values and their :class:`Positions`.

    Parameters
    ----------
    text : str
        The YAML text.
    filename : str
        The name used in error locations and kept as ``Positions.file``.
    progress : callable, optional
        A :class:`~flowsheet.progress.Progress`, told the line reached now and then.

    Returns
    -------
    data : object
        The document: nested ``dict``, ``list``, ``str``, ``int``, ``float``, ``bool`` and
        ``None``. Mapping keys are returned as written (``1:`` gives the int key ``1``).
    positions : Positions
        Where every key and value starts.

    Raises
    ------
    YamlSyntaxError
        Malformed YAML, a duplicate key, an explicit tag, an empty file or more than one
        document; located at the offending line and column of ``filename``.

    Examples
    --------
    >>> load_yaml("flows: {ore: 4_058, water: 1e-3}\\nport: on\\nok: True\\n")[0]
    {'flows': {'ore': 4058, 'water': 0.001}, 'port': 'on', 'ok': True}
    >>> load_yaml("sag: 1\\nsag: 2\\n", "p.yaml")
    Traceback (most recent call last):
    ...
    flowsheet.errors.YamlSyntaxError: p.yaml:2:1: duplicate key 'sag' (first at line 1)
    """
    with collector_paused():
        return _load_yaml(text, filename, progress)


def _load_yaml(text: str, filename: str, progress: Callable[..., None] | None
               ) -> tuple[object, Positions]:
    loader = None
    try:
        loader = _Loader(text)
        loader.get_event()
        if loader.check_event(yaml.StreamEndEvent):
            raise _error("the file is empty", filename)
        loader.get_event()
        lines = text.count("\n") + 1 if progress is not None else 0
        data, start, record = loader.read_document(filename, progress, lines)
        loader.get_event()
        if not loader.check_event(yaml.StreamEndEvent):
            raise _error("a flowsheet file holds one YAML document, this one holds more",
                         filename, _mark(loader.peek_event()))
    except yaml.YAMLError as exc:
        raise _ours_first(exc, text, filename) from None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        raise _error("the file is empty", filename)
    return data, Positions(filename, start, record)


def read_yaml_file(path: str | PathLike[str], progress: Callable[..., None] | None = None
                   ) -> tuple[object, Positions, str]:
    """Read a UTF-8 YAML file; return its data, :class:`Positions` and text
    (``progress`` as in :func:`load_yaml`).

    Errors carry the file name as given in ``path``.

    Raises
    ------
    InputError
        The file does not exist or cannot be read.
    YamlSyntaxError
        The file is not UTF-8, or :func:`load_yaml` rejects it.

    Examples
    --------
    >>> read_yaml_file("no/such/plant.yaml")
    Traceback (most recent call last):
    ...
    flowsheet.errors.InputError: no/such/plant.yaml: file not found: 'no/such/plant.yaml'
    """
    filename = str(path)
    try:
        with open(path, "rb") as stream:
            raw = stream.read()
    except FileNotFoundError:
        raise InputError(f"file not found: '{filename}'",
                         location=Location(filename)) from None
    except OSError as exc:
        raise InputError(f"cannot read '{filename}': {exc.strerror or exc}",
                         location=Location(filename)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[start:exc.start].decode("utf-8", "replace")) + 1
        raise _error(f"the file is not UTF-8 text: byte {raw[exc.start]:#04x} cannot be "
                     "decoded", filename, (line, column),
                     hint="save the file as UTF-8") from None
    data, positions = load_yaml(text, filename, progress)
    return data, positions, text
