"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Every export of the engine goes through :func:`atomic_write`. The data are written to a
temporary file in the same folder, flushed to disk, and renamed over the target.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write(d / "a.txt", "hello")
>>> (d / "a.txt").read_text()
'hello'
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from flowsheet.errors import ExportError

__all__ = ["atomic_write", "atomic_path"]


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` if the block succeeds.

    For writers that want a file name (openpyxl, matplotlib, sqlite backups). On any
    exception the temporary file is removed and ``path`` is left untouched.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create folder '{target.parent}': {exc.strerror}") from exc
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part" + target.suffix,
                               dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def atomic_write(path: str | os.PathLike, data: str | bytes | Callable[[Path], None]) -> None:
    """Write ``data`` (text, bytes, or a function that writes a given path) atomically."""
    with atomic_path(path) as tmp:
        if callable(data):
            data(tmp)
        else:
            mode = "wb" if isinstance(data, bytes) else "w"
            with open(tmp, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
