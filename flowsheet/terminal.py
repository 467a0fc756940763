"""What the commands print on the terminal -- the stream table and the closure line of
``flowsheet run`` -- and small helpers that every command shares (a ``--sheet`` option, a
CSV writer with units in its header, numbers for a printed table).

Kept apart from the command line's parsing so that what a user reads can be tested and
reused by the commands each domain adds.

>>> import flowsheet
>>> res = flowsheet.loads('''
... flowsheet: one
... species: [{name: water}]
... units: {w: {type: feed, flows: {water: 3}}, p: {type: product}}
... streams: [{from: w, to: p}]
... ''').solve()
>>> print(closure_line(res))
closure: total mass 0.00e+00, worst element H 0.00e+00 (relative); in 3 t/h, out 3 t/h
"""

from __future__ import annotations

__all__ = ["SHOWN_SHARE", "species_option", "stream_table", "closure_line", "sheet_option",
           "csv_writer", "big_number"]


#: Share of a stream's total above which a species is shown in the printed stream table.
SHOWN_SHARE = 1e-3


def species_option(fs, text: str | None) -> list[str] | None:
    """The species named by ``--species``, checked against the flowsheet (None: choose)."""
    if text is None:
        return None
    from flowsheet.errors import Location, SchemaError, did_you_mean

    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise SchemaError("no species named", location=Location(key="--species"),
                          hint="give names separated by commas, e.g. --species water,ore")
    for name in names:
        if name not in fs.table.names:
            raise SchemaError(f"unknown species '{name}'", location=Location(key="--species"),
                              hint=did_you_mean(name, fs.table.names))
    return list(dict.fromkeys(names))


def stream_table(res, max_rows: int = 25, species: list[str] | None = None) -> str:
    """The stream table for the terminal: total, species flows, % solids and P80, with
    units in the headers. Without ``species``, every species that is at least
    :data:`SHOWN_SHARE` of some stream's total, largest flows first."""
    import numpy as np
    import pandas as pd

    table = res.streams
    if species is None:
        names = [n for n in res.flowsheet.table.names if n in table.columns]
        flows = table[names].to_numpy(dtype=float)
        total = table["total"].to_numpy(dtype=float)[:, None]
        share = np.divide(flows, total, out=np.zeros_like(flows), where=total > 0)
        kept = [n for n, keep in zip(names, (share >= SHOWN_SHARE).any(axis=0), strict=True)
                if keep]
        species = table[kept].sum().sort_values(ascending=False, kind="stable").index.tolist()
    cols = ["total", *species, "percent_solids"]
    if "p80" in table.columns:
        cols.append("p80")
    shown = table[cols]
    if len(shown) > max_rows:
        products = {c.name for c in res.flowsheet.connections
                    if c.dst in res.flowsheet.products()}
        shown = shown[shown.index.isin(products)].head(max_rows)
    titles = {"total": "total [t/h]", "percent_solids": "solids [%]", "p80": "p80 [um]",
              **{name: f"{name} [t/h]" for name in species}}
    with pd.option_context("display.max_columns", None,
                           "display.float_format", "{:,.4g}".format):
        return shown.rename(columns=titles).to_string(line_width=160)


def closure_line(res) -> str:
    """The balance closure in one line: total mass, the worst element, flows in and out."""
    c = res.closure
    worst = max(c.elements.items(), key=lambda kv: kv[1], default=("-", 0.0))
    return (f"closure: total mass {c.total:.2e}, worst element {worst[0]} {worst[1]:.2e} "
            f"(relative); in {c.mass_in:,.6g} t/h, out {c.mass_out:,.6g} t/h")


def sheet_option(value: str | None) -> str | int | None:
    """A ``--sheet`` option: a 0-based position when it is a small number, else a name.

    >>> sheet_option("2"), sheet_option("plant"), sheet_option(None)
    (2, 'plant', None)
    """
    if value is not None and value.isascii() and value.isdigit() and len(value) < 10:
        return int(value)
    return value


def csv_writer(table, units=None, **options):
    """A writer of ``table`` as CSV with its units in the header and text guarded, for
    :func:`flowsheet.exports.write_files`."""
    from flowsheet.headers import write_csv

    def write(path) -> None:
        write_csv(table, path, units=units, **options)

    return write


def big_number(value: float) -> str:
    """A number for a table printed to the terminal: no exponent for large ones.

    >>> big_number(1234567.8), big_number(0.000123456789)
    ('1,234,568', '0.000123457')
    """
    return f"{value:,.0f}" if abs(value) >= 1e5 else f"{value:,.6g}"
