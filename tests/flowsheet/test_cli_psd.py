"""``flowsheet psd`` plots the size distributions of solved streams."""

from pathlib import Path

from flowsheet.cli import main

EXAMPLE = Path(__file__).parents[2] / "examples" / "copper_oxide_leach_ew.yaml"
NO_GRID = Path(__file__).parents[2] / "examples" / "ccd_washing.yaml"


def test_psd_png(tmp_path):
    out = tmp_path / "psd.png"
    assert main(["psd", str(EXAMPLE), "-o", str(out), "--streams",
                 "ore->leach_mix,ccd3.underflow->tailings", "--species", "tenorite"]) == 0
    assert out.stat().st_size > 1000


def test_psd_without_grid_is_an_input_error(tmp_path, capsys):
    out = tmp_path / "psd.png"
    assert main(["psd", str(NO_GRID), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no size grid" in err
    assert not out.exists()
