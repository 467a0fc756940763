"""Fitting the calculators' constants to laboratory data, the registry, and
``flowsheet calc`` (single case, batch, fit, bad input)."""

import argparse

import numpy as np
import pandas as pd
import pytest

from flowsheet.errors import FlowsheetError, InputError, SchemaError
from flowsheet.exports import read_table
from units.hydro.calculators.cli import add_arguments, command
from units.hydro.calculators.demercurisation import demercurisation
from units.hydro.calculators.fitting import fit_constants, fit_table
from units.hydro.calculators.gold_cyanidation import gold_cyanidation
from units.hydro.calculators.registry import CALCULATORS, calculate


def run(argv):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return command(parser.parse_args(argv))


@pytest.fixture
def hg_lab():
    """Synthetic demercurisation tests at three temperatures and three pressures (the
    table in kPa, the physics function in Pa), made with known constants and 0.3 %-point
    noise."""
    rng = np.random.default_rng(7)
    t, p, m = np.meshgrid([350.0, 400.0, 450.0], [101.325, 20.0, 5.0],
                          [15.0, 30.0, 60.0, 120.0])
    lab = pd.DataFrame({"temperature": t.ravel(), "pressure": p.ravel(), "time": m.ravel()})
    true = demercurisation(lab.temperature, 1000.0 * lab.pressure, lab.time, k_ref=0.12,
                           ea_kj=95.0, k_vap_ref=0.03, max_removal=98.0)["efficiency_pct"]
    lab["efficiency_pct"] = true + rng.normal(0, 0.3, len(lab))
    return lab


def test_fit_recovers_demercurisation_constants(hg_lab):
    """Least squares on data made with k_ref 0.12, Ea 95 kJ/mol, k_vap_ref 0.03 and a
    98 % ceiling finds them again to a few per cent, with R^2 above 0.999."""
    fit = fit_constants("demercurisation", hg_lab)
    assert fit.held == ()
    assert fit.constants["k_ref"] == pytest.approx(0.12, rel=0.05)
    assert fit.constants["ea_kj"] == pytest.approx(95.0, rel=0.05)
    assert fit.constants["k_vap_ref"] == pytest.approx(0.03, rel=0.05)
    assert fit.constants["max_removal"] == pytest.approx(98.0, abs=0.5)
    assert fit.r2 > 0.999 and fit.rmse < 0.5
    table = fit_table(fit)
    assert set(table["status"]) == {"fitted"} and (table["r2"] == fit.r2).all()


def test_fit_holds_what_the_data_cannot_identify():
    """Leach tests at one temperature cannot give an activation energy, and leach
    extraction alone says nothing of the carbon constants: those are held."""
    lab = pd.DataFrame({"temperature": 25.0, "time": [60.0, 240.0, 480.0, 1440.0]})
    lab["leach_extraction_pct"] = gold_cyanidation(
        25.0, lab.time, k_leach_ref=0.003, max_extraction=90.0)["leach_extraction_pct"]
    fit = fit_constants("gold_cyanidation", lab)
    assert {"ea_leach_kj", "dh_ads_kj", "k_ads", "k_eq_ref"} <= set(fit.held)
    assert fit.constants["k_leach_ref"] == pytest.approx(0.003, rel=1e-6)
    assert fit.constants["max_extraction"] == pytest.approx(90.0, rel=1e-6)


def test_fit_needs_a_measured_result():
    """A laboratory table without any result column is refused, listing the accepted
    names."""
    lab = pd.DataFrame({"temperature": [95.0], "pressure": [100.0], "time": [60.0],
                        "recovery": [50.0]})
    with pytest.raises(InputError, match="efficiency_pct"):
        fit_constants("carbon_elution", lab)


def test_registry_runs_every_calculator():
    """Every registered calculator returns an efficiency in 0..100 % at its defaults."""
    for name, calc in CALCULATORS.items():
        p = 101.325 if calc.pressure else None
        r = calculate(name, temperature=100.0 if "elution" in name else 450.0, time=60.0,
                      pressure=p)
        assert 0.0 <= float(r["efficiency_pct"]) <= 100.0


def test_cli_single_case(capsys):
    """``flowsheet calc demercurisation --temperature 450 --pressure 5 --time 60`` (kPa)
    prints the efficiency and the residual Hg."""
    assert run(["demercurisation", "--temperature", "450", "--pressure", "5",
                "--time", "60"]) == 0
    out = capsys.readouterr().out
    assert "efficiency_pct" in out and "98.33" in out and "residual_hg_mg_per_kg" in out


def test_cli_batch_writes_csv(tmp_path, capsys):
    """A batch CSV is computed row by row into OUT/calc_<name>.csv, units in its header;
    a column named as a further input (loading) is used per row."""
    batch = tmp_path / "batch.csv"
    batch.write_text("temperature,pressure,time,loading\n95,101.325,480,4000\n"
                     "120,300,480,2000\n")
    assert run(["carbon_elution", "--input", str(batch), "-o", str(tmp_path / "out")]) == 0
    table = read_table(tmp_path / "out" / "calc_carbon_elution.csv", strip_units=True)
    assert table.attrs["units"]["efficiency_pct"] == "%"
    assert table.attrs["units"]["temperature"] == "degC"
    assert table.attrs["units"]["loading"] == "g/t"
    assert len(table) == 2 and table["efficiency_pct"].iloc[1] > table["efficiency_pct"].iloc[0]
    expect = 2000 * (1 - table["efficiency_pct"].iloc[1] / 100)
    assert table["residual_au_g_per_t"].iloc[1] == pytest.approx(expect)


def test_cli_fit_then_batch(tmp_path, hg_lab, capsys):
    """``--fit lab.xlsx`` prints the constants with R^2 and writes them with -o; the
    batch then uses the fitted constants."""
    lab = tmp_path / "lab.xlsx"
    hg_lab.to_excel(lab, index=False)
    batch = tmp_path / "b.csv"
    batch.write_text("temperature,pressure,time\n450,5,60\n")
    assert run(["demercurisation", "--fit", str(lab), "--input", str(batch),
                "-o", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert "R^2 = 0.99" in out
    fitted = read_table(tmp_path / "o" / "calc_demercurisation_fit.csv", strip_units=True)
    assert set(fitted["constant"]) == {"k_ref", "ea_kj", "k_vap_ref", "max_removal"}
    result = read_table(tmp_path / "o" / "calc_demercurisation.csv", strip_units=True)
    true = demercurisation(450.0, 5000.0, 60.0, k_ref=0.12, ea_kj=95.0, k_vap_ref=0.03,
                           max_removal=98.0)["efficiency_pct"]
    assert result["efficiency_pct"].iloc[0] == pytest.approx(float(true), abs=0.5)


@pytest.mark.parametrize("argv, cls, words", [
    (["demercurisation", "--temperature", "-300", "--time", "5"], SchemaError,
     ["--temperature", "-300 degC"]),
    (["carbon_elution", "--temperature", "100", "--time", "-5"], SchemaError, ["--time"]),
    (["gold_cyanidation", "--temperature", "25", "--time", "5", "--pressure", "100"],
     SchemaError, ["--pressure"]),
    (["demercuration", "--temperature", "25", "--time", "5"], SchemaError,
     ["did you mean 'demercurisation'"]),
    (["gold_cyanidation", "--temperature", "25", "--time", "5", "--set", "grade=2"],
     SchemaError, ["--set", "head_grade"]),
])
def test_cli_bad_arguments(argv, cls, words):
    """Bad arguments raise a FlowsheetError naming the argument, with a suggestion."""
    with pytest.raises(cls) as info:
        run(argv)
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize("argv, option", [
    (["demercurisation", "--temperature", "-300", "--time", "5"], "--temperature"),
    (["carbon_elution", "--temperature", "100", "--time", "-5"], "--time"),
    (["carbon_elution", "--temperature", "nan", "--time", "5"], "--temperature"),
    (["carbon_elution", "--temperature", "100", "--time", "inf"], "--time"),
])
def test_cli_bad_numbers(argv, option, capsys):
    """A temperature at or below absolute zero, a negative time, NaN or infinity is
    refused: exit 2 and one line naming the option."""
    from flowsheet.cli import main

    try:
        code = main(["calc", *argv])
    except SystemExit as exc:  # refused by the option's reader
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and option in err


@pytest.mark.parametrize("text, words", [
    ("temperature,time\n450,60\n", ["missing column 'pressure'"]),
    ("temperature,pressure,time\n450,5,60\n-500,5,60\n", [":3:", "temperature",
                                                          "absolute zero"]),
    ("temperature,pressure,time\n450,5,-6\n", [":2:", "time", "negative"]),
    ("temperature,pressure,time\n450,abc,60\n", [":2:", "pressure", "not a number"]),
])
def test_cli_bad_batch_rows(tmp_path, text, words):
    """A bad batch file names the file, the line and the column; nothing is written."""
    batch = tmp_path / "batch.csv"
    batch.write_text(text)
    with pytest.raises(FlowsheetError) as info:
        run(["demercurisation", "--input", str(batch), "-o", str(tmp_path / "out")])
    for word in words:
        assert word in str(info.value)
    assert not (tmp_path / "out").exists()


def test_cli_pressure_is_in_kpa(capsys):
    """``--pressure 250`` is 250 kPa, as the README's table of units says: elution at
    120 degC then runs at its set point (boiling at 250 kPa is above 120 degC) and gives
    the same result as ``--pressure "2.5 bar"`` and as the registry called with 250 kPa;
    250 Pa, the old reading, would boil the eluant near 0 degC."""
    run(["carbon_elution", "--temperature", "120", "--pressure", "250", "--time", "480"])
    bare = capsys.readouterr().out
    run(["carbon_elution", "--temperature", "120", "--pressure", "2.5 bar", "--time", "8 h"])
    assert capsys.readouterr().out == bare
    assert "250 kPa" in bare
    expected = calculate("carbon_elution", temperature=120.0, pressure=250.0, time=480.0)
    assert float(expected["elution_temperature_c"]) == 120.0
    assert f"{float(expected['efficiency_pct']):,.6g}" in bare
    vacuum = calculate("carbon_elution", temperature=120.0, pressure=0.25, time=480.0)
    assert float(vacuum["efficiency_pct"]) < float(expected["efficiency_pct"]) / 100


@pytest.mark.parametrize("argv, words", [
    (["carbon_elution", "--temperature", "120", "--time", "60", "--pressure", "250000"],
     ["--pressure", "0.001-10000 kPa", "250000 kPa"]),
    (["carbon_elution", "--temperature", "120", "--time", "60", "--pressure", "5 kg"],
     ["--pressure", "kPa"]),
    (["carbon_elution", "--temperature", "120", "--time", "2 kg", "--pressure", "250"],
     ["--time", "min"]),
])
def test_cli_pressure_out_of_range_or_wrong_unit(argv, words):
    """A pressure beyond 1 Pa-100 bar, or an argument with a unit of the wrong kind, is a
    SchemaError located at the argument, in the argument's unit."""
    with pytest.raises(SchemaError) as info:
        run(argv)
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize(("name", "kwargs", "key"), [
    ("gold_cyanidation", {"solids_pct": 120.0}, "solids_pct"),
    ("gold_cyanidation", {"carbon_gpl": -1.0}, "carbon_gpl"),
    ("carbon_elution", {"loading": 1e9}, "loading"),
    ("demercurisation", {"hg_feed": -5.0}, "hg_feed"),
    ("carbon_reactivation", {"activity_before": 150.0}, "activity_before"),
])
def test_calculator_inputs_outside_their_range_are_refused(name, kwargs, key):
    """A further input outside its physical range (a pulp of 120 % solids, negative carbon)
    is a SchemaError at its name stating the accepted range; the same input inside the
    range is computed."""
    with pytest.raises(SchemaError) as info:
        calculate(name, temperature=100.0, time=60.0, **kwargs)
    assert info.value.location.key == key and "must be" in info.value.message
    defaults = CALCULATORS[name].defaults()
    assert calculate(name, temperature=100.0, time=60.0, **{key: defaults[key]})
