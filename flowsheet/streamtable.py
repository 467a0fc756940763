"""The solved streams as columns: each quantity of the stream table for every stream at once.

A :class:`~flowsheet.stream.Stream` computes its total, solids, assays... one stream at a
time; a flowsheet of 75,000 streams then spends seconds making streams only to read
them. :func:`stream_columns` computes the same quantities, with the same arithmetic, as
one array operation each (the element assays one product per stream, as the stream
does), for ``results.json`` (:meth:`Results.as_dict
<flowsheet.results.Results.as_dict>`) and the stream table (:attr:`Results.streams
<flowsheet.results.Results.streams>`). :func:`finite_list` turns an array into the
JSON-safe list those writers need (NaN and infinities as None).

>>> import flowsheet
>>> res = flowsheet.loads('''
... flowsheet: demo
... species: [{name: water}, {name: quartz}]
... units:
...   f: {type: feed, flows: {water: 60, quartz: 40}}
...   s: {type: separator, outlets: [under, over], split: {quartz: 1, water: 0.25}}
...   u: {type: product}
...   o: {type: product}
... streams:
...   - {from: f, to: s}
...   - {from: s.under, to: u}
...   - {from: s.over, to: o}
... ''').solve()
>>> cols = stream_columns(res)
>>> cols["total"].tolist(), cols["percent_solids"].tolist()
([100.0, 55.0, 45.0], [40.0, 72.72727272727273, 0.0])
>>> bool(cols["percent_solids"][1] == res.stream("s.under->u").percent_solids)
True
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["stream_columns", "finite_list"]


def stream_columns(results) -> dict[str, np.ndarray]:
    """Every stream's flows and derived quantities, one array per quantity, in file order.

    Parameters
    ----------
    results : flowsheet.results.Results

    Returns
    -------
    dict of str to numpy.ndarray
        ``flows`` (streams x species, t/h), ``total``, ``solids`` (t/h),
        ``percent_solids`` (%, NaN for an empty stream), ``temperature`` (degC),
        ``volumetric_flow`` (m3/h, condensed species with a density), ``assays`` (streams
        x elements, %, NaN for an empty stream) and, with a size grid, ``p80`` (um). Each
        is what the stream's own property (:class:`~flowsheet.stream.Stream`) gives.

    Examples
    --------
    >>> import flowsheet
    >>> res = flowsheet.loads('''
    ... flowsheet: one
    ... species: [{name: water}]
    ... units: {w: {type: feed, flows: {water: 3}}, p: {type: product}}
    ... streams: [{from: w, to: p}]
    ... ''').solve()
    >>> cols = stream_columns(res)
    >>> cols["flows"].tolist(), cols["assays"].round(2).tolist()
    ([[3.0]], [[11.19, 88.81]])
    """
    fs = results.flowsheet
    table = fs.table
    order = np.fromiter((c.index for c in fs.connections), dtype=np.intp,
                        count=len(fs.connections))
    flows = np.ascontiguousarray(np.asarray(results.flows, dtype=float)[order])
    total = _row_sums(flows)
    solids = _row_sums(flows[:, table.solid_mask])
    filled = total > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        percent_solids = np.where(filled, 100.0 * solids / total, np.nan)
        dens = table.densities
        condensed = ~np.isnan(dens) & (np.array(table.phases) != "gas")
        volumetric = _row_sums(flows[:, condensed] * 1000.0 / dens[condensed])
        # row by row, as Stream does: one matrix product of all rows is another BLAS
        # routine, whose sums may differ from these in the last bit
        fractions = table.element_fractions
        rows = results.flows
        element = np.array([rows[k] @ fractions for k in order.tolist()], dtype=float
                           ).reshape(len(order), fractions.shape[1])
        assays = np.where(filled[:, None], 100.0 * element / total[:, None], np.nan)
    columns = {"flows": flows, "total": total, "solids": solids,
               "percent_solids": percent_solids,
               "temperature": np.asarray(results.temperatures, dtype=float)[order],
               "volumetric_flow": volumetric, "assays": assays}
    if fs.grid is not None or results.psd is not None:
        columns["p80"] = np.array([results._stream(k).p80 for k in order.tolist()],
                                  dtype=float)
    return columns


def _row_sums(block: np.ndarray) -> np.ndarray:
    """The sum of each row, bit for bit what ``row.sum()`` of that row alone gives.

    numpy adds fewer than 8 numbers one after the other, as the sum over the columns of
    a block does; longer rows it sums pairwise, so those are summed row by row.

    >>> block = np.array([[0.1, 0.2, 0.3], [1.0, 2.0, 3.0]])
    >>> bool(np.array_equal(_row_sums(block), [row.sum() for row in block]))
    True
    """
    if block.shape[1] < 8:
        return block.sum(axis=1)
    return np.array([row.sum() for row in block], dtype=float).reshape(len(block))


def finite_list(values: np.ndarray) -> list:
    """``values.tolist()`` with NaN and infinities as None (what JSON can hold).

    >>> finite_list(np.array([1.5, np.nan, -np.inf]))
    [1.5, None, None]
    >>> finite_list(np.array([[1.0, np.nan]]))
    [[1.0, None]]
    """
    out = values.tolist()
    if np.isfinite(values).all():
        return out
    return _none_for_nan(out)


def _none_for_nan(items: list) -> list:
    return [_none_for_nan(v) if isinstance(v, list) else
            (v if math.isfinite(v) else None) for v in items]
