"""Block-model runs: ``run_blocks`` (one vectorised call) and ``flowsheet blocks``.

Pins: every block's throughput is sabc_throughput's for that block alone; period sums are
tonnes over hours; bad tables give one line naming the file, line and column, exit 2,
and nothing written.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from flowsheet.cli import main
from flowsheet.errors import InputError, SchemaError
from flowsheet.exports import read_table
from units.comminution.blocks import period_summary, read_blocks, run_blocks
from units.comminution.sabc import sabc_throughput
from units.comminution.sabc_circuit import SABCPlant

#: The example's circuit as a mapping of YAML parameters (no hardness: blocks bring it).
CIRCUIT = {"model": "smc_bwi", "sag": {"installed_power": "24 MW", "power_use": 0.896125},
           "ball": {"installed_power": "32.8 MW", "power_use": 0.917195},
           "f80": "71273 um", "p80": "229 um", "tph_max": "4058 t/h",
           "t80_max": "19783 um", "k1": 0.95}


def test_each_block_as_if_alone(blocks, plant):
    """A block's results do not depend on its neighbours: they equal a scalar call of
    sabc_throughput for that block (Mia used before A*b when both are given)."""
    table, _ = run_blocks(CIRCUIT, blocks)
    for i in range(0, len(blocks), 37):
        one = sabc_throughput("smc_bwi", mia=blocks["mia"][i], bwi=blocks["bwi"][i], **plant)
        row = table.iloc[i]
        assert row["tph"] == pytest.approx(one.tph, rel=1e-12)
        assert row["t80"] == pytest.approx(one.t80, rel=1e-9)
        assert row["p80"] == pytest.approx(one.p80, rel=1e-9)
        assert row["limit"] == one.limit
        assert row["hours"] == pytest.approx(row["tonnes"] / one.tph)


def test_input_columns_carried_through(blocks):
    """Every input column comes out unchanged and in order, followed by the results."""
    table, _ = run_blocks(CIRCUIT, blocks)
    assert list(table.columns) == [*blocks.columns, "tph", "t80", "p80", "limit", "hours"]
    pd.testing.assert_frame_equal(table[blocks.columns], blocks)


def test_period_sums(blocks):
    """Per period: tonnes and hours add up, tph = tonnes / hours, sizes are weighted by
    tonnage, and the limit counts add up to the blocks."""
    table, periods = run_blocks(CIRCUIT, blocks)
    assert periods["period"].tolist() == sorted(blocks["period"].unique())
    for _, p in periods.iterrows():
        part = table[table["period"] == p["period"]]
        assert p["tonnes"] == pytest.approx(part["tonnes"].sum())
        assert p["hours"] == pytest.approx(part["hours"].sum())
        assert p["tph"] == pytest.approx(part["tonnes"].sum() / part["hours"].sum())
        assert p["t80"] == pytest.approx(np.average(part["t80"], weights=part["tonnes"]))
        assert p["p80"] == pytest.approx(np.average(part["p80"], weights=part["tonnes"]))
        counts = part["limit"].value_counts()
        for limit in ("sag", "ball", "t80_max", "tph_max"):
            assert p[f"n_{limit}"] == counts.get(limit, 0)
        assert p["blocks"] == len(part)
    assert periods["n_tph_max"].sum() > 0 and periods["n_ball"].sum() > 0


def test_plant_forms_agree(blocks, example):
    """The plant may be a unit, its parameters, or a mapping (with or without hardness)."""
    import flowsheet
    from units.comminution.blocks import circuit_unit

    unit = circuit_unit(flowsheet.load(example))
    first, _ = run_blocks(unit, blocks)
    for plant in (unit.params, SABCPlant.model_validate(CIRCUIT),
                  {**CIRCUIT, "hardness": {"mia": 1.0, "bwi": 1.0}}):
        again, _ = run_blocks(plant, blocks)
        assert np.array_equal(again["tph"], first["tph"])


@pytest.mark.parametrize(("model", "columns", "hardness"), [
    ("smc_bwi", ["axb", "bwi"], lambda b: {"axb": b["axb"], "bwi": b["bwi"]}),
    ("sgi_bwi", ["sgi", "bwi"], lambda b: {"sgi": b["sgi"], "bwi": b["bwi"]}),
    ("dwi_bwi", ["dwi", "bwi"], lambda b: {"dwi": b["dwi"], "bwi": b["bwi"]}),
    ("dwi_bwi", ["axb", "density", "bwi"],
     lambda b: {"dwi": 100 * b["density"] / 1000 / b["axb"], "bwi": b["bwi"]}),
])
def test_models_take_their_columns(blocks, plant, model, columns, hardness):
    """Each model reads the columns it needs (DWi from A*b and density when no DWi)."""
    table, _ = run_blocks({**CIRCUIT, "model": model},
                          blocks[["id", "period", "tonnes", *columns]])
    want = sabc_throughput(model, **hardness(blocks), **plant)
    assert np.allclose(table["tph"], want.tph, rtol=1e-12)


def test_hundred_thousand_blocks(block_table):
    """100,000 blocks go through in one vectorised call (time is measured in bench/)."""
    big = block_table(100_000, seed=9, periods=24)
    table, periods = run_blocks(CIRCUIT, big)
    assert len(table) == 100_000 and np.isfinite(table["tph"]).all()
    assert len(periods) == 24 and periods["blocks"].sum() == 100_000


def test_period_summary_of_an_empty_period():
    """A period of zero tonnes has zero hours and no throughput (NaN), not an error."""
    t = pd.DataFrame({"period": [1, 2], "tonnes": [0.0, 10.0], "tph": [100.0, 100.0],
                      "t80": [1.0, 2.0], "p80": [1.0, 2.0], "limit": ["sag", "sag"],
                      "hours": [0.0, 0.1]})
    p = period_summary(t)
    assert p["hours"].tolist() == [0.0, 0.1] and np.isnan(p["tph"][0])


def test_python_errors_without_a_file(blocks):
    """A DataFrame that was not read from a file is named 'blocks' and rows by label."""
    bad = blocks.copy()
    bad.loc[5, "bwi"] = -1.0
    with pytest.raises(InputError, match=r"^blocks: row 5: column 'bwi': must be positive"):
        run_blocks(CIRCUIT, bad)
    with pytest.raises(SchemaError, match="needs the circuit's 'f80'"):
        run_blocks({k: v for k, v in CIRCUIT.items() if k != "f80"}, blocks)
    with pytest.raises(InputError, match="column 'tph' is a result"):
        run_blocks(CIRCUIT, blocks.assign(tph=1.0))


# -- the command line ----------------------------------------------------------------------

def write_csv(path, table: pd.DataFrame) -> str:
    table.to_csv(path, index=False)
    return str(path)


def test_cli_writes_blocks_periods_and_plot(tmp_path, example, blocks, capsys):
    """``flowsheet blocks`` writes blocks.csv (inputs + results), periods.csv and, with
    --plot, throughput.png; it prints the period table. Numeric headers carry their
    units; labels and text do not."""
    csv = write_csv(tmp_path / "blocks.csv", blocks)
    out = tmp_path / "out"
    assert main(["blocks", str(example), csv, "-o", str(out), "--plot"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["blocks.csv", "periods.csv",
                                                     "throughput.png"]
    written = read_table(out / "blocks.csv", strip_units=True)
    expected, periods = run_blocks(CIRCUIT, blocks)
    assert list(written.columns) == list(expected.columns)
    assert np.allclose(written["tph"], expected["tph"], rtol=1e-12)
    assert np.allclose(read_table(out / "periods.csv", strip_units=True)["tph"],
                       periods["tph"], rtol=1e-12)
    assert {"tonnes": "t", "mia": "kWh/t", "bwi": "kWh/t", "tph": "t/h", "t80": "um",
            "p80": "um", "hours": "h"}.items() <= written.attrs["units"].items()
    assert "id" not in written.attrs["units"] and "limit" not in written.attrs["units"]
    header = pd.read_csv(out / "periods.csv").columns.tolist()
    assert header[:5] == ["period", "blocks [-]", "tonnes [t]", "hours [h]", "tph [t/h]"]
    assert (out / "throughput.png").read_bytes()[:4] == b"\x89PNG"
    printed = capsys.readouterr().out
    assert "400 blocks" in printed and "n_tph_max" in printed


def test_cli_reads_a_workbook(tmp_path, example, blocks):
    """An .xlsx block table gives the same results as the CSV."""
    path = tmp_path / "blocks.xlsx"
    blocks.to_excel(path, index=False)
    assert main(["blocks", str(example), str(path), "-o", str(tmp_path / "out")]) == 0
    written = read_table(tmp_path / "out" / "blocks.csv", strip_units=True)
    assert np.allclose(written["tph"], run_blocks(CIRCUIT, blocks)[0]["tph"], rtol=1e-12)


def test_cli_takes_f80_from_the_flowsheet(tmp_path, example, blocks, plant):
    """When the unit has no f80, the block run uses the F80 its inlet has in the solved
    flowsheet."""
    import flowsheet

    yaml = tmp_path / "plant.yaml"
    yaml.write_text(example.read_text(encoding="utf-8").replace("    f80: 71273 um", ""),
                    encoding="utf-8")
    f80 = flowsheet.load(yaml).solve().units["circuit"]["f80"]
    assert f80 == pytest.approx(71273.0, rel=0.02)
    csv = write_csv(tmp_path / "blocks.csv", blocks)
    assert main(["blocks", str(yaml), csv, "-o", str(tmp_path / "out")]) == 0
    written = read_table(tmp_path / "out" / "blocks.csv", strip_units=True)
    want = sabc_throughput("smc_bwi", mia=blocks["mia"], bwi=blocks["bwi"],
                           **{**plant, "f80": f80})
    assert np.allclose(written["tph"], want.tph, rtol=1e-12)


def bad_case(tmp_path, example, capsys, table_text: str, *extra: str) -> str:
    """Run ``flowsheet blocks`` on a bad table: exit 2, one line, nothing written."""
    path = tmp_path / "BLOCKS.csv"
    path.write_text(table_text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["blocks", str(example), str(path), "-o", str(out), *extra]) == 2
    assert not out.exists()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ")
    return err.removeprefix("error: ").strip().replace(str(path), "BLOCKS.csv")


GOOD = "id,period,tonnes,mia,bwi\n1,1,1000,22,15\n2,1,1000,20,14\n"


@pytest.mark.parametrize(("table", "message"), [
    ("id,period,tonnes,mia\n1,1,1000,22\n",
     "BLOCKS.csv: missing column 'bwi' (the smc_bwi model needs mia or axb, and bwi)"),
    ("id,period,tonnes,sgi,bwi\n1,1,1000,90,15\n",
     "BLOCKS.csv: missing column 'mia' (the smc_bwi model needs mia or axb, and bwi)"),
    ("id,period,mia,bwi\n1,1,22,15\n",
     "BLOCKS.csv: missing column 'tonnes' (a block table needs id, period and tonnes)"),
    (GOOD + "\n" + "".join(f"{i},2,1000,21,15\n" for i in range(3, 15)) + "15,2,1000,21,abc\n",
     "BLOCKS.csv:17: column 'bwi': 'abc' is not a number"),
    (GOOD + "3,2,1000,-4,15\n", "BLOCKS.csv:4: column 'mia': must be positive, got -4"),
    (GOOD + "3,2,1000,21,0\n", "BLOCKS.csv:4: column 'bwi': must be positive, got 0"),
    (GOOD + "3,2,1000,,15\n", "BLOCKS.csv:4: column 'mia': no value (an empty cell, or NA)"),
    (GOOD + "3,2,1000,21,n/a\n", "BLOCKS.csv:4: column 'bwi': no value (an empty cell, or NA)"),
    (GOOD + "3,2,-5,21,15\n", "BLOCKS.csv:4: column 'tonnes': must be 0 or more, got -5"),
    (GOOD + "3,,1000,21,15\n", "BLOCKS.csv:4: column 'period': no value (an empty cell, or NA)"),
    (GOOD + "3,2,1000,inf,15\n", "BLOCKS.csv:4: column 'mia': 'inf' is not a finite number "
                                  "-- write a finite number, or leave the cell empty for no "
                                  "value"),
    ("id,period,tonnes,mia,bwi,tph\n1,1,1000,22,15,3\n",
     "BLOCKS.csv: column 'tph' is a result of the block run: rename it"),
    ("id,period,tonnes\n1,1,10\n", "BLOCKS.csv: missing column 'mia' (the smc_bwi model needs "
                                "mia or axb, and bwi)"),
    ("id,period,tonnes,mia,bwi\n", "BLOCKS.csv:1: the table has a header but no rows -- add one "
                                   "row per case below the header"),
])
def test_cli_bad_tables(tmp_path, example, capsys, table, message):
    """Each bad table: exit 2, the one line below (the row is the line in the file,
    blank lines counted), nothing written."""
    assert bad_case(tmp_path, example, capsys, table) == message


def test_cli_density_in_tonnes_per_cubic_metre(tmp_path, example, capsys):
    """A density column in t/m3 is caught for the drop-weight model read from A*b."""
    yaml = tmp_path / "dwi.yaml"
    yaml.write_text(example.read_text(encoding="utf-8").replace(
        "model: smc_bwi", "model: dwi_bwi").replace("{mia: 22 kWh/t,", "{dwi: 7,"),
        encoding="utf-8")
    message = bad_case(tmp_path, yaml, capsys,
                       "id,period,tonnes,axb,density,bwi\n1,1,100,40,2.7,15\n")
    assert message == ("BLOCKS.csv:2: column 'density': must lie in 1000..10000 kg/m3, "
                       "got 2.7")


def test_cli_unit_choice(tmp_path, example, capsys):
    """A file without an sabc_circuit, or an unknown --unit, is refused in one line."""
    csv = tmp_path / "b.csv"
    csv.write_text(GOOD, encoding="utf-8")
    csv = str(csv)
    assert main(["blocks", str(example), csv, "-o", str(tmp_path / "o"),
                 "--unit", "mill"]) == 2
    assert "no sabc_circuit unit named 'mill'" in capsys.readouterr().err
    other = tmp_path / "plain.yaml"
    other.write_text("flowsheet: x\nspecies: [{name: water}]\nunits:\n"
                     "  w: {type: feed, flows: {water: 1}}\n  p: {type: product}\n"
                     "streams: [{from: w, to: p}]\n", encoding="utf-8")
    assert main(["blocks", str(other), csv, "-o", str(tmp_path / "o")]) == 2
    assert "has 0 sabc_circuit units" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_read_blocks_line_numbers(tmp_path):
    """Lines count the header and blank lines, as a text editor shows them."""
    path = tmp_path / "b.csv"
    path.write_text("id,period,tonnes\n\n1,1,5\n2,1,6\n\n\n3,2,7\n", encoding="utf-8")
    table = read_blocks(path)
    assert table.attrs["lines"] == [3, 4, 7] and len(table) == 3
