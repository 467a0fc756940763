"""Types of the numeric options of the command line, and a parser that errs in one line.

Every numeric option of every ``flowsheet`` command (those of the domain commands too) is
read by one of these types, so ``--tolerance 0``, ``-1``, ``nan`` or ``inf`` is refused
before anything runs, with one line on stderr and exit code 2, like any other bad input::

    error: flowsheet run: argument --tolerance: must be a number > 0 and < 1, got 'nan'

>>> tolerance = number(above=0, below=1)
>>> tolerance("1e-8")
1e-08
>>> tolerance("nan")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: must be a number > 0 and < 1, got 'nan'
>>> count(minimum=1)("20")
20
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Callable
from typing import NoReturn

from flowsheet.errors import clip

__all__ = ["OneLineParser", "number", "count", "ABSOLUTE_ZERO_C"]

#: Absolute zero [degC]: the lowest temperature an option accepts (exclusive).
ABSOLUTE_ZERO_C = -273.15

EXIT_BAD_INPUT = 2


class OneLineParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors are one line, ``error: <command>: <message>``,
    and exit with code 2 (argparse prints the usage and the message on two lines)."""

    def error(self, message: str) -> NoReturn:
        """Print ``message`` as one line on stderr and exit with code 2."""
        print(f"error: {self.prog}: {' '.join(message.split())}", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)


def _bound(low: float | None, high: float | None, low_open: bool, high_open: bool) -> str:
    parts = []
    if low is not None:
        parts.append(f"{'>' if low_open else '>='} {low:g}")
    if high is not None:
        parts.append(f"{'<' if high_open else '<='} {high:g}")
    return " and ".join(parts)


def number(*, above: float | None = None, at_least: float | None = None,
           below: float | None = None, at_most: float | None = None,
           unit: str = "") -> Callable[[str], float]:
    """Return an argparse ``type`` reading a finite float within bounds.

    Parameters
    ----------
    above, at_least : float, optional
        Exclusive or inclusive lower bound (give at most one).
    below, at_most : float, optional
        Exclusive or inclusive upper bound (give at most one).
    unit : str
        The unit, for the message (``"degC"``).

    Returns
    -------
    callable
        ``str -> float``; raises ``argparse.ArgumentTypeError`` saying what is accepted
        for text that is not a number, is NaN or infinite, or is out of bounds.

    Examples
    --------
    >>> temperature = number(above=ABSOLUTE_ZERO_C, unit="degC")
    >>> temperature("25")
    25.0
    >>> temperature("-950")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a number > -273.15 degC, got '-950'
    """
    low = above if above is not None else at_least
    high = below if below is not None else at_most
    accepted = _bound(low, high, above is not None, below is not None)
    what = "a number" + (f" {accepted}" if accepted else " (finite)") + (
        f" {unit}" if unit else "")

    def read(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        ok = math.isfinite(value)
        if ok and low is not None:
            ok = value > low if above is not None else value >= low
        if ok and high is not None:
            ok = value < high if below is not None else value <= high
        if not ok:
            raise argparse.ArgumentTypeError(f"must be {what}, got '{clip(text)}'")
        return value

    read.__name__ = "number"
    return read


def count(*, minimum: int = 0) -> Callable[[str], int]:
    """Return an argparse ``type`` reading a whole number of at least ``minimum``.

    >>> count(minimum=1)("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a whole number >= 1, got '0'
    """

    def read(text: str) -> int:
        digits = text.strip().lstrip("+")
        if re.fullmatch(r"[0-9]{1,18}", digits) and int(digits) >= minimum:
            return int(digits)
        raise argparse.ArgumentTypeError(
            f"must be a whole number >= {minimum}, got '{clip(text)}'")

    read.__name__ = "count"
    return read
