"""Calibration of the SABC models to plant throughput, the synthetic 30-month data set,
``flowsheet calibrate``, and the comminution figures.

The accuracy figures follow the seed study (Mining 5(3) (2025) 37,
doi:10.3390/mining5030037): RMSE [t/h], mean and SD of the relative error [%]. Its plant
gave SMC-BWi RMSE 143 t/h, mean 1.5 %, SD 3.92 %; the synthetic data here carry 3 % noise.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from flowsheet.cli import main
from flowsheet.errors import InputError, SchemaError
from flowsheet.exports import read_table
from units.comminution.calibration import (
    calibrate_models,
    calibrate_sabc,
    compare_models,
    comparison_table,
)
from units.comminution.plots import predicted_vs_actual_plot, throughput_plot
from units.comminution.sabc import sabc_throughput

DATA = Path(__file__).resolve().parents[3] / "examples" / "data"


@pytest.fixture(scope="module")
def maker():
    """The data-set script ``examples/data/make_sabc_data.py`` as a module."""
    spec = importlib.util.spec_from_file_location("make_sabc_data",
                                                  DATA / "make_sabc_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def months() -> pd.DataFrame:
    return pd.read_csv(DATA / "sabc_30_months.csv")


def test_data_set_is_what_the_script_makes(maker, months):
    """The stored 30 months are exactly what the documented script makes (fixed seed)."""
    made = maker.make()
    assert len(made) == maker.MONTHS == 30
    assert list(made.columns) == list(months.columns)
    assert made["period"].tolist() == months["period"].tolist()
    numbers = made.columns.drop("period")
    assert np.allclose(made[numbers].to_numpy(float), months[numbers].to_numpy(float),
                       rtol=1e-12, atol=1e-9)
    assert months["plant_tph"].max() <= 4058.0


def test_scale_recovered_without_noise(plant):
    """Throughput made by the SMC-BWi model with scale 1.1 is fitted exactly: scale 1.1,
    RMSE 0, from a start of 1.0 (errors before calibration are reported too)."""
    months = pd.DataFrame({"mia": np.linspace(18, 30, 12), "bwi": np.linspace(13, 17, 12)})
    true = sabc_throughput("smc_bwi", scale=1.1, **months, **plant).tph
    fit = calibrate_sabc("smc_bwi", months, true, **plant)
    assert fit.constants["scale"] == pytest.approx(1.1, rel=1e-6)
    assert fit.rmse < 1e-6 and fit.rmse_before > 10
    assert fit.table()["rel_error_pct"].abs().max() < 1e-6


def test_drop_weight_constants_recovered_without_noise(plant):
    """With F80 varying by month, beta, a and b of the drop-weight law are identifiable
    and recovered; e is held because the mill speed does not vary."""
    rng = np.random.default_rng(1)
    months = pd.DataFrame({"dwi": rng.uniform(4, 10, 20), "bwi": rng.uniform(12, 17, 20),
                           "f80": rng.uniform(55_000, 90_000, 20)})
    true_constants = {"beta": 0.004, "a": 0.35, "b": 0.7}
    true = sabc_throughput("dwi_bwi", **{**plant, **true_constants, "tph_max": np.inf,
                                         **months}).tph
    fit = calibrate_sabc("dwi_bwi", months, true, **{**plant, "tph_max": np.inf})
    assert fit.held == ("e",)
    for name, value in true_constants.items():
        assert fit.constants[name] == pytest.approx(value, rel=1e-4)
    assert fit.rmse < 1e-3


def test_block_table_form(plant, block_table):
    """From a block table, a period's predicted throughput is its tonnes over the hours
    of its blocks."""
    blocks = block_table(300, periods=5)
    per_block = sabc_throughput("smc_bwi", mia=blocks["mia"], bwi=blocks["bwi"],
                                scale=1.05, **plant).tph
    hours = (blocks["tonnes"] / per_block).groupby(blocks["period"]).sum()
    true = blocks.groupby("period")["tonnes"].sum() / hours
    fit = calibrate_sabc("smc_bwi", blocks, true, **plant)
    assert list(fit.periods) == sorted(blocks["period"].unique())
    assert fit.constants["scale"] == pytest.approx(1.05, rel=1e-6)


def test_ranking_on_the_thirty_months(months, maker, plant):
    """The three models ranked on the synthetic months: the same table on every run;
    the best errors are those of the injected noise (3 %, truncated at TPHmax)."""
    kwargs = maker.plant()
    first = compare_models(months, months["plant_tph"], **kwargs)
    again = compare_models(months, months["plant_tph"], **kwargs)
    pd.testing.assert_frame_equal(first, again)
    assert first["model"].tolist() == ["dwi_bwi", "smc_bwi", "sgi_bwi"]
    assert first["rmse_tph"].is_monotonic_increasing
    for _, row in first.iterrows():
        assert 2.0 < row["sd_rel_error_pct"] < 4.0
        assert abs(row["mean_rel_error_pct"]) < 1.5
        assert row["rmse_tph"] < row["rmse_before_tph"]
    rmse = first.set_index("model")["rmse_tph"]
    noise = 0.03 * months["plant_tph"].mean()
    assert 0.6 * noise < rmse["smc_bwi"] < 1.2 * noise
    smc = calibrate_sabc("smc_bwi", months, months["plant_tph"], **kwargs)
    assert smc.constants["scale"] == pytest.approx(maker.TRUE_SCALE, abs=0.05)


def test_models_without_columns_are_skipped(months, maker):
    """Only models whose hardness the table has are calibrated; none is an error."""
    kwargs = maker.plant()
    results = calibrate_models(months.drop(columns=["sgi"]), months["plant_tph"], **kwargs)
    assert set(results) == {"dwi_bwi", "smc_bwi"}
    assert list(comparison_table(results)["rank"]) == [1, 2]
    with pytest.raises(InputError, match="hardness of no model"):
        calibrate_models(months[["period", "plant_tph"]], months["plant_tph"], **kwargs)
    with pytest.raises(InputError, match="30 plant throughputs for 29 periods"):
        calibrate_sabc("smc_bwi", months.iloc[1:], months["plant_tph"], **kwargs)
    with pytest.raises(SchemaError, match="unknown SABC model"):
        calibrate_sabc("smc", months, months["plant_tph"], **kwargs)


# -- the command line ----------------------------------------------------------------------

def test_cli_calibrate_writes_table_predictions_and_plot(tmp_path, example, capsys):
    """``flowsheet calibrate`` writes the ranked comparison, the predictions by period and
    the predicted-against-actual figure, and prints the comparison."""
    out = tmp_path / "out"
    assert main(["calibrate", str(example), str(DATA / "sabc_30_months.csv"),
                 "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["comparison.csv",
                                                     "predicted_vs_actual.png",
                                                     "predictions.csv"]
    table = read_table(out / "comparison.csv", strip_units=True)
    assert table.attrs["units"] == {"rmse_tph": "t/h", "mean_rel_error_pct": "%",
                                    "sd_rel_error_pct": "%", "rmse_before_tph": "t/h"}
    assert table["model"].tolist() == ["dwi_bwi", "smc_bwi", "sgi_bwi"]
    predictions = read_table(out / "predictions.csv", strip_units=True)
    assert len(predictions) == 30 and "smc_bwi_rel_error_pct" in predictions
    assert "smc_bwi" in capsys.readouterr().out
    assert main(["calibrate", str(example), str(DATA / "sabc_30_months.csv"),
                 "-o", str(tmp_path / "one"), "--models", "smc_bwi"]) == 0
    assert read_table(tmp_path / "one" / "comparison.csv")["model"].tolist() == ["smc_bwi"]


@pytest.mark.parametrize(("change", "args", "message"), [
    (lambda t: t.drop(columns=["plant_tph"]), (),
     "DATA.csv: missing column 'plant_tph' (the plant's measured throughput of the "
     "period, t/h)"),
    (lambda t: t.astype({"bwi": object}).assign(bwi=lambda d: d["bwi"].where(
        d.index != 4, "soft")), (), "DATA.csv:6: column 'bwi': 'soft' is not a number"),
    (lambda t: t.assign(plant_tph=lambda d: d["plant_tph"].where(d.index != 0, -1.0)), (),
     "DATA.csv:2: column 'plant_tph': must be positive, got -1"),
    (lambda t: t, ("--models", "smc_bw"), "unknown SABC model 'smc_bw' in --models -- did "
                                          "you mean 'smc_bwi'?"),
])
def test_cli_calibrate_bad_data(tmp_path, example, months, capsys, change, args, message):
    """Bad DATA.csv or options: one line, exit 2, nothing written."""
    path = tmp_path / "DATA.csv"
    change(months.copy()).to_csv(path, index=False)
    out = tmp_path / "out"
    assert main(["calibrate", str(example), str(path), "-o", str(out), *args]) == 2
    assert not out.exists()
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.removeprefix("error: ").strip().replace(str(path), "DATA.csv") == message


# -- figures -------------------------------------------------------------------------------

def test_figures_are_written_whole(tmp_path, plant, months):
    """Both figures write a PNG and nothing else; a bad input writes nothing."""
    rng = np.random.default_rng(4)
    hardness = {"sgi": rng.uniform(40, 400, 500), "bwi": rng.uniform(6, 18, 500)}
    r = sabc_throughput("sgi_bwi", **hardness, **plant)
    assert {"ball", "t80_max", "tph_max"} <= set(r.limit)
    throughput_plot("sgi_bwi", hardness, r.tph, r.limit, tmp_path / "a" / "t.png", **plant)
    predicted_vs_actual_plot(months["period"], months["plant_tph"],
                             {"flat": np.full(30, 3800.0)}, tmp_path / "a" / "p.png")
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["p.png", "t.png"]
    with pytest.raises(SchemaError):
        throughput_plot("sgi_bwi", hardness, r.tph[:-1], r.limit, tmp_path / "b.png",
                        **plant)
    with pytest.raises(SchemaError):
        predicted_vs_actual_plot(["a"], [1.0, 2.0], {"m": [1.0, 2.0]}, tmp_path / "c.png")
    assert not (tmp_path / "b.png").exists() and not (tmp_path / "c.png").exists()
