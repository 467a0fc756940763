"""JSON text for files people open: indented when small, one line per entry when big.

Python's ``json`` encodes in C only without ``indent``; indented output goes through its
pure-Python encoder, twice as slow on the results of a big flowsheet (the rest of the
time is turning floats into text). :func:`json_text` keeps the indented layout for the
outer levels of a document and, from ``one_line_from`` levels down, writes each value on
one line with the C encoder: a stream or a table row per line, still readable and
diffable. The content is the same JSON either way.

>>> doc = {"version": 2, "streams": {"a->b": {"total": 1.5, "flows": {"water": 1.5}}}}
>>> print(json_text(doc), end="")
{
 "version": 2,
 "streams": {
  "a->b": {
   "total": 1.5,
   "flows": {
    "water": 1.5
   }
  }
 }
}
>>> print(json_text(doc, one_line_from=2), end="")
{
 "version": 2,
 "streams": {
  "a->b": {"total": 1.5, "flows": {"water": 1.5}}
 }
}
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["json_text", "ONE_LINE_ABOVE"]

#: Entries (streams, units, table rows) above which writers put one entry per line.
ONE_LINE_ABOVE = 2000


def json_text(data: Any, *, one_line_from: int | None = None, indent: int = 1) -> str:
    """``data`` as JSON text ending in a newline; NaN and infinities are refused.

    Parameters
    ----------
    data : JSON-able value
        Nested dicts (string keys), lists, strings, numbers, booleans and None.
    one_line_from : int, optional
        Depth from which every value is written on one line (the document is depth 0,
        its values depth 1...). None: indented throughout, as ``json.dumps(data,
        indent=indent)``.
    indent : int, default 1
        Spaces per level of the indented part.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        For NaN or an infinite number.

    Examples
    --------
    >>> json_text({"rows": [{"a": 1}, {"a": 2}], "n": []}, one_line_from=2)
    '{\\n "rows": [\\n  {"a": 1},\\n  {"a": 2}\\n ],\\n "n": []\\n}\\n'
    >>> json_text({1: {"x": [True, None]}}, one_line_from=1)
    '{\\n "1": {"x": [true, null]}\\n}\\n'
    >>> json_text([float("nan")])
    Traceback (most recent call last):
    ...
    ValueError: Out of range float values are not JSON compliant...
    """
    if one_line_from is None:
        return json.dumps(data, indent=indent, allow_nan=False) + "\n"
    encode = json.JSONEncoder(allow_nan=False).encode
    parts: list[str] = []
    _write(data, 0, one_line_from, " " * indent, encode, parts)
    parts.append("\n")
    return "".join(parts)


def _write(value: Any, depth: int, one_line_from: int, pad: str, encode, parts: list[str]
           ) -> None:
    if depth >= one_line_from or not value or not isinstance(value, dict | list):
        parts.append(encode(value))
        return
    inner = "\n" + pad * (depth + 1)
    if isinstance(value, dict):
        parts.append("{")
        for i, (key, item) in enumerate(value.items()):
            text = encode(key) if isinstance(key, str) else encode({key: 0})[1:-4]
            parts.append(("," if i else "") + inner + text + ": ")
            _write(item, depth + 1, one_line_from, pad, encode, parts)
        parts.append("\n" + pad * depth + "}")
    else:
        parts.append("[")
        for i, item in enumerate(value):
            parts.append(("," if i else "") + inner)
            _write(item, depth + 1, one_line_from, pad, encode, parts)
        parts.append("\n" + pad * depth + "]")
