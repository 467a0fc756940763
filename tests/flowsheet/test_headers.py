"""Tests of units in table headers and of the formula guard (flowsheet.headers)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from flowsheet.headers import (
    FORMULA_START,
    guard_text,
    header,
    split_header,
    strip_units,
    unguard_text,
    unit_of,
    with_units,
)


@given(st.text())
def test_guard_round_trip(text):
    """Guarding then unguarding gives any text back exactly, and guarded text never starts
    with a character that makes a spreadsheet read a formula."""
    guarded = guard_text(text)
    assert unguard_text(guarded) == text
    assert not guarded.startswith(FORMULA_START)


@given(st.text(min_size=1).filter(lambda s: s.strip() == s and "[" not in s),
       st.sampled_from(["t/h", "um", "kWh/t", "%", "1", "g/L", "degC"]))
def test_header_round_trip(name, unit):
    """A header made from a name and a unit splits back into both; '1' shows as '[-]'."""
    text = header(name, unit)
    assert split_header(text) == (name, unit)
    assert text.endswith("[-]") == (unit == "1")


def test_patterns_after_exact_keys():
    """An exact key wins over a pattern that also matches it; patterns are tried in the
    order declared; an undeclared key has no unit."""
    declared = {"pls_*": "g/L", "pls_flow": "m3/h", "*_pct": "%", "slag_*": "t/h"}
    assert unit_of("pls_flow", declared) == "m3/h"
    assert unit_of("pls_Cu", declared) == "g/L"
    assert unit_of("slag_FeO_pct", declared) == "%"
    assert unit_of("limit", declared) is None


def test_with_and_strip_units_keep_values_and_index():
    """Units go into the header of the columns and the index name, and come back out into
    attrs['units'] with the values untouched; text columns keep their names."""
    table = pd.DataFrame({"tph": [3947.0], "limit": ["ball"]},
                         index=pd.Index([1], name="hours"))
    shown = with_units(table, {"tph": "t/h", "hours": "h"})
    assert list(shown.columns) == ["tph [t/h]", "limit"] and shown.index.name == "hours [h]"
    back = strip_units(shown)
    assert back.attrs["units"] == {"tph": "t/h", "hours": "h"}
    pd.testing.assert_frame_equal(back, table, check_like=False)
