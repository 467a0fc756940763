"""Progress lines for long runs, written to a terminal.

A :class:`Progress` is a callable ``progress(stage, step, residual, total=None)`` that the
solvers call once per recycle iteration or design-spec evaluation, and that reading a
big flowsheet (:func:`flowsheet.load`) and writing its results
(:func:`flowsheet.exports.write_results`) call as they go. On a terminal it redraws one
status line (a bar when the total is known, else a count and the residual); elsewhere
it stays silent, so logs and pipes are not flooded. With a ``delay`` it stays silent
until that long after its first call, so that small files show nothing.

>>> import io
>>> out = io.StringIO()
>>> p = Progress(out, force=True, every=0.0)
>>> p("design spec", 3, 2.5e-4)
>>> p.close()
>>> "design spec" in out.getvalue() and "2.5e-04" in out.getvalue()
True
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """One redrawn status line on ``stream`` (stderr by default) when it is a terminal."""

    def __init__(self, stream: TextIO | None = None, *, force: bool = False,
                 every: float = 0.1, width: int = 24, delay: float = 0.0) -> None:
        self.stream = stream or sys.stderr
        self.enabled = force or bool(getattr(self.stream, "isatty", lambda: False)())
        self.every = every
        self.width = width
        self.delay = delay
        self._first: float | None = None
        self._last = 0.0
        self._shown = False

    def __call__(self, stage: str, step: int, residual: float | None = None,
                 total: int | None = None) -> None:
        """Redraw the status line (at most every ``every`` seconds, and not before
        ``delay`` seconds after the first call).

        >>> import io
        >>> out = io.StringIO()
        >>> p = Progress(out, force=True, every=0.0, delay=60.0)
        >>> p("reading", 10, total=100)
        >>> out.getvalue()
        ''
        """
        if not self.enabled:
            return
        now = time.monotonic()
        if self._first is None:
            self._first = now
        if now - self._first < self.delay:
            return
        if now - self._last < self.every and (total is None or step < total):
            return
        self._last = now
        if total:
            done = int(self.width * min(step, total) / total)
            bar = "#" * done + "." * (self.width - done)
            text = f"{stage:<14} [{bar}] {step}/{total}"
        else:
            text = f"{stage:<14} {step:>6}"
        if residual is not None:
            text += f"  residual {residual:.1e}"
        self.stream.write("\r" + text.ljust(72))
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        """End the status line (leave the terminal on a fresh line)."""
        if self._shown:
            self.stream.write("\r" + " " * 72 + "\r")
            self.stream.flush()
            self._shown = False
