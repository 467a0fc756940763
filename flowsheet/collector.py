"""Pausing Python's cyclic garbage collector while big structures are built.

Reading a big flowsheet, or writing its results, makes hundreds of thousands of dicts
and lists, none of them garbage. Each counts towards the next collection, and every
collection of the oldest generation walks everything alive again -- the flowsheet
included -- so with the collector running, a 10,000-unit file spent most of its parse
and most of its writing in the collector. :func:`collector_paused` switches it off for
a block: reference counting still frees what the block drops at once; only reference
cycles made inside it wait for the first collection after it.

>>> import gc
>>> with collector_paused():
...     with collector_paused():
...         pass
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block; restore its state after.

    Nested blocks leave the collector as the outermost block found it.

    Examples
    --------
    >>> import gc
    >>> with collector_paused():
    ...     gc.isenabled()
    False
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
