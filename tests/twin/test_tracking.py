"""Day-by-day tracking: the balance arithmetic on a hand-made case, gaps reported and left
out, the shipped 30-day campaign, bad input, and ``flowsheet track``."""

import argparse
import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from flowsheet.errors import InputError
from flowsheet.exports import read_table
from twin.track_cli import add_arguments, command
from twin.tracking import daily_balance, gaps, track

ROOT = Path(__file__).parents[2]
DATA = ROOT / "examples" / "data"
PLANT = DATA / "track_plant.yaml"
CAMPAIGN = DATA / "track_leach_campaign.csv"


def hand_case() -> pd.DataFrame:
    """Two days of one leach stage: ore 100 t at 1 % Cu (1e6 g), residue 100 t at 0.1 %,
    raffinate 1,000 m3 at 0.2 g/L in, PLS 1,000 m3 out, tanks of 500 m3."""
    rows = [("2024-01-01", "leach", "tanks", "holdup", "solution", 500, 2.0, None, None)]
    for day, pls, tank in (("2024-01-02", 1.0, 2.0), ("2024-01-03", 1.1, 2.2)):
        rows += [(day, "leach", "ore", "feed", "solids", None, None, 100.0, 1.0),
                 (day, "leach", "residue", "tails", "solids", None, None, 100.0, 0.1),
                 (day, "leach", "raffinate", "in", "solution", 1000, 0.2, None, None),
                 (day, "leach", "pls", "out", "solution", 1000, pls, None, None),
                 (day, "leach", "tanks", "holdup", "solution", 500, tank, None, None)]
    return pd.DataFrame(rows, columns=["date", "stage", "stream", "role", "phase",
                                       "volume_m3", "g_per_L", "solids_t", "grade_pct"])


def test_balance_by_hand():
    """Extraction 100 (1e6 - 1e5) / 1e6 = 90 %; in = 1e6 + 2e5 g; out = 1e5 + 1e6 g (day 1)
    and 1e5 + 1.1e6 g (day 2); accumulated 0 then 500 x 0.2 x 1000 = 1e5 g; discrepancy
    1e5 g (8.33 %) then -1e5 g."""
    daily = daily_balance(hand_case(), ["leach"])
    assert daily["date"].tolist() == ["2024-01-02", "2024-01-03"]
    assert daily["extraction_pct"].tolist() == pytest.approx([90.0, 90.0])
    assert daily["in_g"].tolist() == pytest.approx([1.2e6, 1.2e6])
    assert daily["accumulated_g"].tolist() == pytest.approx([0.0, 1e5])
    assert daily["discrepancy_g"].tolist() == pytest.approx([1e5, -1e5])
    assert daily["discrepancy_pct"].iloc[0] == pytest.approx(100 / 12)


def test_gap_reported_and_left_out():
    """An empty ore grade on day 2 is listed by date, stream and column; that day's
    extraction and balance are empty and the cumulative recovery keeps day 1's figure;
    a missing holdup of the day before empties the next day's balance only."""
    data = hand_case()
    data.loc[(data["date"] == "2024-01-03") & (data["stream"] == "ore"), "grade_pct"] = None
    table = gaps(data)
    assert table[["date", "stream", "column"]].to_dict("records") == [
        {"date": "2024-01-03", "stream": "ore", "column": "grade_pct"}]
    daily = daily_balance(data)
    assert np.isnan(daily["extraction_pct"].iloc[1]) and np.isnan(daily["in_g"].iloc[1])
    assert daily["cumulative_recovery_pct"].tolist() == pytest.approx([90.0, 90.0])
    data = hand_case()
    data.loc[(data["date"] == "2024-01-02") & (data["stream"] == "tanks"), "g_per_L"] = None
    daily = daily_balance(data)
    assert daily["balance_complete"].tolist() == [False, False]
    assert daily["extraction_complete"].tolist() == [True, True]


def test_missing_row_is_a_gap():
    """A stream present on other days but without a row on a day is a gap ('row')."""
    data = hand_case()
    data = data[~((data["date"] == "2024-01-03") & (data["stream"] == "residue"))]
    table = gaps(data)
    assert table[["date", "stream", "column"]].to_dict("records") == [
        {"date": "2024-01-03", "stream": "residue", "column": "row"}]
    assert np.isnan(daily_balance(data)["extraction_pct"].iloc[1])


@pytest.fixture(scope="module")
def campaign():
    return track(PLANT, CAMPAIGN)


def test_campaign_figures(campaign):
    """The shipped 30 days: copper leach extraction about 88 %, SX extraction 90-95 %
    (Schlesinger et al., Extractive Metallurgy of Copper, 5th ed., 2011: SX extraction
    90-95 %), EW per pass 48 -> ~38 g/L (about 20 %); campaign balances close within 1 %."""
    s = campaign.summary.set_index("stage")
    assert campaign.stages == ["leach", "sx", "ew"]
    assert (s["days"] == 30).all()
    assert 85 < s.loc["leach", "cumulative_recovery_pct"] < 91
    assert 90 < s.loc["sx", "cumulative_recovery_pct"] < 95
    assert 15 < s.loc["ew", "cumulative_recovery_pct"] < 25
    assert (s["discrepancy_pct"].abs() < 1.0).all()


def test_campaign_gaps(campaign):
    """The two gap days are reported by date and column and left out."""
    assert campaign.gaps[["date", "stage", "column"]].to_dict("records") == [
        {"date": "2024-03-09", "stage": "sx", "column": "g_per_L"},
        {"date": "2024-03-21", "stage": "leach", "column": "volume_m3"}]
    d = campaign.daily.set_index(["stage", "date"])
    assert np.isnan(d.loc[("sx", "2024-03-09"), "extraction_pct"])
    assert np.isnan(d.loc[("leach", "2024-03-21"), "discrepancy_g"])
    assert d.loc[("sx", "2024-03-09"), "cumulative_recovery_pct"] == pytest.approx(
        d.loc[("sx", "2024-03-08"), "cumulative_recovery_pct"])


def test_data_set_is_what_the_script_makes():
    """The stored CSV is what the documented script makes (fixed seed); the example
    flowsheet solves with closure below 1e-9."""
    spec = importlib.util.spec_from_file_location("make", DATA / "track_make_campaign.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made, stored = module.make(), pd.read_csv(CAMPAIGN)
    assert made.shape == stored.shape
    pd.testing.assert_frame_equal(made.astype(str), stored.astype(str).replace("nan", "None")
                                  .where(stored.notna(), made.astype(str)),
                                  check_dtype=False)
    import flowsheet

    assert flowsheet.load(PLANT).solve().closure.worst < 1e-9


@pytest.mark.parametrize("edit, words", [
    (lambda d: d.assign(stage=d["stage"].replace("leach", "leech")),
     ["'leech' is not a unit", "did you mean 'leach'"]),
    (lambda d: d.drop(columns="g_per_L"), ["missing column 'g_per_L'"]),
    (lambda d: d.assign(role=d["role"].replace("tails", "tail")), ["'tail'", "tails"]),
    (lambda d: d.assign(volume_m3=d["volume_m3"].astype(object).where(d.index != 3, "lots")),
     [":5:", "volume_m3", "not a number"]),
    (lambda d: d.assign(date=d["date"].where(d.index != 2, "yesterday")), [":4:", "date"]),
])
def test_bad_tables(tmp_path, edit, words):
    """A stage that is not a unit (with a suggestion), a missing column, an unknown role,
    text in a number column or a bad date: one InputError naming file, line and column."""
    path = tmp_path / "data.csv"
    edit(hand_case()).to_csv(path, index=False)
    with pytest.raises(InputError) as info:
        track(PLANT, path)
    for word in words:
        assert word in str(info.value)


def run(argv):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return command(parser.parse_args(argv))


def test_cli_writes_everything_from_excel(tmp_path, capsys):
    """``flowsheet track FILE.yaml DATA.xlsx -o OUT`` writes the three CSV tables, the
    workbook and the plot, with units in the headers, and prints the gaps by date."""
    xlsx = tmp_path / "campaign.xlsx"
    pd.read_csv(CAMPAIGN).to_excel(xlsx, index=False)
    out = tmp_path / "out"
    assert run([str(PLANT), str(xlsx), "-o", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["track_daily.csv", "track_gaps.csv", "track_summary.csv",
                     "tracking.png", "tracking.xlsx"]
    assert (out / "tracking.png").stat().st_size > 10_000
    book = pd.read_excel(out / "tracking.xlsx", sheet_name=None)
    assert list(book) == ["daily", "gaps", "summary"] and len(book["daily"]) == 90
    assert {"feed_g [g]", "extraction_pct [%]", "date", "stage"} <= set(book["daily"])
    summary = read_table(out / "track_summary.csv", strip_units=True)
    assert summary.attrs["units"]["days"] == "d"
    assert summary.attrs["units"]["cumulative_recovery_pct"] == "%"
    assert list(summary.columns) == list(book["summary"].rename(
        columns=lambda c: c.split(" [")[0]).columns)
    printed = capsys.readouterr().out
    assert "gap: 2024-03-09 stage 'sx' stream 'pls': no g_per_L" in printed


def test_cli_bad_input_writes_nothing(tmp_path):
    """A bad table stops the command before anything is written."""
    path = tmp_path / "data.csv"
    hand_case().assign(stage="leech").to_csv(path, index=False)
    with pytest.raises(InputError):
        run([str(PLANT), str(path), "-o", str(tmp_path / "out")])
    assert not (tmp_path / "out").exists()
