"""The ore-to-matte calculator on the seed plant's ore table, from Python and the CLI."""

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from flowsheet.errors import InputError, SchemaError
from flowsheet.exports import read_table
from units.pyro.ore_to_matte import (
    ASSAY_COLUMNS,
    OUTPUT_COLUMNS,
    add_arguments,
    command,
    smelt_ores,
)

SEED = Path(__file__).parents[3] / "examples" / "data" / "seed_ores.csv"


@pytest.fixture(scope="module")
def seed():
    return read_table(SEED)


def test_seed_table_rows_and_contract(seed):
    """Seed ore table (pyro_hydro.md, ore management table): one row per ore and a blend
    row with the contract columns; VK and AK reach a 55 % Vanyukov matte with 0.65 % Cu
    slag; the near-barren Bestube and Zholymbet ores and the lime row are reported with a
    reason, not crashed."""
    out = smelt_ores(seed, "vanyukov", matte_grade=55)
    assert list(out.columns[:len(OUTPUT_COLUMNS)]) == list(OUTPUT_COLUMNS)
    assert out["ore"].tolist() == [*seed["ore"], "blend"]
    by = out.set_index("ore")
    for ore in ("VK", "AK", "blend"):
        assert by.loc[ore, "status"] == "ok"
        assert by.loc[ore, "matte_Cu_pct"] == pytest.approx(55.0)
        assert by.loc[ore, "slag_Cu_pct"] == pytest.approx(0.65)
    for ore in ("Bestube", "Zholymbet"):
        assert "more Cu than the feed brings" in by.loc[ore, "status"]
    assert by.loc["CaO", "status"].startswith("no Cu in the feed")
    assert by.loc["ZHOF", "status"].startswith("too little S for a 55 % Cu matte")


def test_blend_is_the_tonnage_weighted_feed(seed):
    """The blend row's tonnes are the sum and its Cu in = Cu to matte + slag + dust equals
    the tonnage-weighted Cu of the ores."""
    out = smelt_ores(seed, "vanyukov", matte_grade=55).set_index("ore")
    t = seed["tonnes"].to_numpy()
    assert out.loc["blend", "feed_t"] == pytest.approx(t.sum())
    cu_in = float(t @ seed["Cu"].to_numpy()) / 100
    blend = out.loc["blend"]
    cu_matte = blend["matte_t"] * blend["matte_Cu_pct"] / 100
    assert cu_matte / cu_in * 100 == pytest.approx(blend["cu_to_matte_pct"], rel=1e-9)


def test_bad_tables():
    """Assays above 100 %, a missing column and an unreachable grade: one clear error."""
    row = {"ore": "X", "tonnes": 1.0, **dict.fromkeys(ASSAY_COLUMNS, 0.0)}
    bad = pd.DataFrame([{**row, "Cu": 60.0, "S": 50.0}])
    with pytest.raises(InputError, match="assays sum to 110 %"):
        smelt_ores(bad, "isasmelt")
    with pytest.raises(InputError, match="missing column 'As'"):
        smelt_ores(bad.drop(columns="As"), "isasmelt")
    with pytest.raises(SchemaError, match=r"outside what .* reaches \(58-62 % Cu\)"):
        smelt_ores(bad, "isasmelt", matte_grade=70)


def test_cli_writes_three_files(tmp_path, capsys):
    """`flowsheet smelt ORES --technology vanyukov --matte-grade 55 -o OUT` writes
    smelt.csv, smelt.json and smelt.xlsx with the same rows, the units in the CSV header
    and in smelt.json; bad input writes none."""
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    out = tmp_path / "out"
    args = parser.parse_args([str(SEED), "--technology", "vanyukov", "--matte-grade", "55",
                              "-o", str(out)])
    assert command(args) == 0
    assert sorted(p.name for p in out.iterdir()) == ["smelt.csv", "smelt.json", "smelt.xlsx"]
    csv = read_table(out / "smelt.csv", strip_units=True)
    data = json.loads((out / "smelt.json").read_text())
    rows = data["rows"]
    assert len(csv) == len(rows) == 9
    assert np.isclose(csv["matte_t"].iloc[-1], rows[-1]["matte_t"])
    assert csv.attrs["units"] == data["units"]
    assert data["units"]["matte_t"] == "t" and data["units"]["matte_Cu_pct"] == "%"
    assert data["units"]["offgas_nm3"] == "Nm3" and "status" not in data["units"]
    assert "blend" in capsys.readouterr().out
    args = parser.parse_args([str(SEED), "--technology", "vanyukof", "-o",
                              str(tmp_path / "none")])
    with pytest.raises(SchemaError, match="did you mean 'vanyukov'"):
        command(args)
    assert not (tmp_path / "none").exists()


def test_ore_named_as_a_formula_stays_text(tmp_path):
    """Ores named =..., +..., -... and @... are written as text: no formula cell in
    smelt.xlsx, a leading quote in smelt.csv, and the names back by read_table."""
    import openpyxl

    names = ['=HYPERLINK("http://example","x")', "+A", "-B", "@C"]
    ores = read_table(SEED).head(4).assign(ore=names)
    path = tmp_path / "ores.csv"
    ores.to_csv(path, index=False)
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    out = tmp_path / "out"
    assert command(parser.parse_args([str(path), "--technology", "vanyukov",
                                      "--matte-grade", "55", "-o", str(out)])) == 0
    ws = openpyxl.load_workbook(out / "smelt.xlsx")["smelt"]
    cells = [c for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert [ws.cell(row=i, column=1).value for i in range(2, 6)] == names
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    lines = (out / "smelt.csv").read_text(encoding="utf-8").splitlines()[1:5]
    assert all(line.lstrip('"').startswith("'") for line in lines)
    assert read_table(out / "smelt.csv", strip_units=True)["ore"].tolist()[:4] == names
