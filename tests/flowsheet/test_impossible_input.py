"""A catalogue of impossible input: each case is refused by the command line with exit 2
and one located line, writes nothing and records no run.

The flowsheet cases are generated from ``examples/*.yaml``: every number in every unit,
species declaration and solver setting is replaced by ``true``, ``.nan``, ``.inf`` and an
integer of 5,000 digits; every temperature (and a feed's missing one) by ``-950 degC``;
every density by ``0`` and ``-2.7 t/m3``; every name by a list holding it. Hand-written
cases add the tables (``smelt``, ``blocks``, ``calibrate``, ``track``, ``calc --input``),
the numeric command-line options and a name of a million characters. The bulk runs
in-process through :func:`flowsheet.cli.main`; a representative subset runs
``python -m flowsheet.cli`` in a subprocess.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import pytest

from flowsheet.cli import main
from flowsheet.yamlio import load_yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
DATA = ROOT / "examples" / "data"
HUGE = "9" * 5000
#: Values put in place of a number, as written in YAML.
NOT_NUMBERS = {"true": "true", "nan": ".nan", "inf": ".inf", "5000_digits": HUGE}
#: Text that a number or a quantity of the file can be ('24 MW', '71.3 mm', 0.8).
_QUANTITY = re.compile(r"[-+]?(\d[\d_]*\.?\d*|\.\d+)([eE][-+]?\d+)?(\s*[^\s,\]}#]+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")


class Case(NamedTuple):
    """One impossible input: the command line (with ``{file}`` and ``{out}`` to fill),
    the files to write first, and what the error line must name."""

    id: str
    argv: tuple[str, ...]
    files: dict[str, str | bytes]
    line: int | None = None
    words: tuple[str, ...] = ()


# -- generated from the examples ------------------------------------------------------------


def _scalar_end(line: str, start: int) -> int:
    """Where the scalar that starts at ``start`` of ``line`` ends (exclusive)."""
    if line[start] in "'\"":
        return line.index(line[start], start + 1) + 1
    end = start
    while end < len(line) and line[end] not in ",]}#\n":
        end += 1
    return len(line[:end].rstrip())


def _leaves(value, path=()):
    """Every scalar of a document with its key path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _leaves(item, (*path, i))
    else:
        yield path, value


def _replace(text: str, mark: tuple[int, int], new: str) -> str:
    lines = text.split("\n")
    row, col = mark[0] - 1, mark[1] - 1
    end = _scalar_end(lines[row], col)
    lines[row] = lines[row][:col] + new + lines[row][end:]
    return "\n".join(lines)


def _insert(text: str, mark: tuple[int, int], new: str) -> str:
    """Insert a key before the key at ``mark``, in flow or block style alike."""
    lines = text.split("\n")
    row, col = mark[0] - 1, mark[1] - 1
    line = lines[row]
    flow = "{" in line[:col]
    lines[row] = line[:col] + (f"{new}, " if flow else f"{new}\n{' ' * col}") + line[col:]
    return "\n".join(lines)


def _what(path: tuple) -> tuple[str, ...]:
    """The words an error about ``path`` names: the unit and the last key."""
    keys = [str(p) for p in path if isinstance(p, str)]
    if path[0] == "units" and len(path) > 2:
        return (f"unit '{path[1]}'", keys[-1])
    return (keys[-1],)


def _flowsheet_cases() -> list[Case]:
    cases = []
    for example in EXAMPLES:
        text = example.read_text(encoding="utf-8")
        data, pos = load_yaml(text, example.name)
        stem = example.stem
        feeds_without_temperature = [
            name for name, unit in data["units"].items()
            if unit.get("type") == "feed" and "temperature" not in unit]
        for name in feeds_without_temperature:
            mark = pos.key(("units", name, "type"))
            cases.append(Case(f"{stem}:units.{name}.temperature=-950degC",
                              ("run", "{file}", "-o", "{out}"),
                              {"plant.yaml": _insert(text, mark, "temperature: -950 degC")},
                              mark[0], (f"unit '{name}'", "temperature", "absolute zero")))
        for path, value in _leaves(data):
            if (not path or path[0] in ("flowsheet", "description")
                    or "vary" in path or "until" in path):
                continue  # free text; a spec's paths may be one or a list
            mark = pos.value(path)
            line = text.split("\n")[mark[0] - 1]
            written = line[mark[1] - 1:_scalar_end(line, mark[1] - 1)]
            where = ".".join(map(str, path))
            key = str(path[-1])
            if isinstance(value, bool):
                continue
            if "temperature" in key:
                cases.append(Case(f"{stem}:{where}=-950degC", ("run", "{file}", "-o", "{out}"),
                                  {"plant.yaml": _replace(text, mark, "-950 degC")}, mark[0],
                                  (*_what(path), "absolute zero")))
            if "density" in key:
                for bad in ("0", "-2.7 t/m3"):
                    cases.append(Case(f"{stem}:{where}={bad}", ("run", "{file}", "-o",
                                                                "{out}"),
                                      {"plant.yaml": _replace(text, mark, bad)}, mark[0],
                                      _what(path)))
            if isinstance(value, int | float) or (
                    isinstance(value, str) and _QUANTITY.fullmatch(value)):
                for label, bad in NOT_NUMBERS.items():
                    cases.append(Case(f"{stem}:{where}={label}",
                                      ("run", "{file}", "-o", "{out}"),
                                      {"plant.yaml": _replace(text, mark, bad)}, mark[0],
                                      _what(path)))
            elif (isinstance(value, str) and _NAME.fullmatch(written)
                  and not (path[0] in ("streams", "species") and path[1] >= 2)):
                # names in units, and in the first two streams and species of each file
                cases.append(Case(f"{stem}:{where}=[list]", ("run", "{file}", "-o", "{out}"),
                                  {"plant.yaml": _replace(text, mark, f"[{written}]")},
                                  mark[0], _what(path)))
    return cases


# -- tables and options ---------------------------------------------------------------------

SMELT = ("smelt", "{file}", "--technology", "vanyukov", "--matte-grade", "55", "-o", "{out}")
CALC = ("calc", "demercurisation", "--input", "{file}", "-o", "{out}")
SEED = (DATA / "seed_ores.csv").read_text(encoding="utf-8")
SEED_HEADER = SEED.splitlines()[0]
SABC = (DATA / "sabc_30_months.csv").read_text(encoding="utf-8")
TRACK = (DATA / "track_leach_campaign.csv").read_text(encoding="utf-8")
SABC_YAML = (ROOT / "examples" / "sabc_plant.yaml").read_text(encoding="utf-8")
TRACK_YAML = (DATA / "track_plant.yaml").read_text(encoding="utf-8")
BLOCKS = "id,period,tonnes,mia,bwi\n1,1,1000,22,15\n2,1,1000,20,14\n"


def _with_cell(table: str, row: int, column: int, value: str) -> str:
    """``table`` (CSV text) with data row ``row`` (0-based), column ``column`` replaced."""
    lines = table.splitlines()
    cells = lines[row + 1].split(",")
    cells[column] = value
    lines[row + 1] = ",".join(cells)
    return "\n".join(lines) + "\n"


def _duplicate_header(table: str) -> str:
    lines = table.splitlines()
    names = lines[0].split(",")
    names[-1] = names[1]
    return "\n".join([",".join(names), *lines[1:]]) + "\n"


def _table_cases() -> list[Case]:
    """Each table command with a header-only file, a duplicated column, a corrupt or fake
    workbook, and NaN or infinite cells; plus a calibration with too few periods."""
    commands = {
        "smelt": (SMELT, {}, SEED),
        "blocks": (("blocks", "{yaml}", "{file}", "-o", "{out}"),
                   {"plant.yaml": SABC_YAML}, BLOCKS),
        "calibrate": (("calibrate", "{yaml}", "{file}", "-o", "{out}"),
                      {"plant.yaml": SABC_YAML}, SABC),
        "track": (("track", "{yaml}", "{file}", "-o", "{out}"), {"plant.yaml": TRACK_YAML},
                  TRACK),
        "calc": (CALC, {}, "temperature,pressure,time\n450,5000,60\n500,5000,30\n"),
    }
    cases = []
    for name, (argv, extra, table) in commands.items():
        numeric = _numeric_column(table)
        variants = {
            "header_only": ("data.csv", table.splitlines()[0] + "\n", 1, ("no rows",)),
            "duplicate_column": ("data.csv", _duplicate_header(table), 1, ("twice",)),
            "not_a_workbook": ("data.xlsx", b"id,period\n1,2\n", None, ("workbook",)),
            "corrupt_workbook": ("data.xlsx", b"PK\x03\x04" + b"\x00" * 64, None,
                                 ("workbook",)),
        }
        for label, cell in (("inf", "inf"), ("minus_inf", "-inf"), ("nan", "nan"),
                            ("1e999", "1e999"), ("5000_digits", HUGE)):
            variants[label] = ("data.csv", _with_cell(table, 1, numeric, cell), 3,
                               ("not a finite number",))
        for label, (file, content, line, words) in variants.items():
            cases.append(Case(f"{name}:{label}", argv, {file: content, **extra}, line, words))
    few = "\n".join(SABC.splitlines()[:3]) + "\n"
    cases.append(Case("calibrate:fewer_periods_than_constants",
                      ("calibrate", "{yaml}", "{file}", "-o", "{out}", "--models", "dwi_bwi"),
                      {"data.csv": few, "plant.yaml": SABC_YAML}, None, ("periods",)))
    return cases


def _numeric_column(table: str) -> int:
    """The position of the first column of ``table`` whose second row is a number."""
    cells = table.splitlines()[2].split(",")
    return next(i for i, c in enumerate(cells) if re.fullmatch(r"[-\d.eE]+", c) and i > 0)


def _option_cases() -> list[Case]:
    """Every numeric option of every command with 0, -1, nan and inf where refused."""
    plant = {"plant.yaml": (ROOT / "examples" / "ccd_washing.yaml").read_text()}
    calc = ("calc", "demercurisation", "--temperature", "450", "--time", "60")
    options = {
        "run --tolerance": (("run", "{yaml}", "-o", "{out}", "--tolerance"), plant,
                            ("0", "-1", "nan", "inf", "1")),
        "runs --limit": (("runs", "--limit"), {}, ("0", "-1", "nan", "inf")),
        "runs id": (("runs",), {}, ("0", "-1", "nan", "inf")),
        "smelt --matte-grade": (SMELT[:-4] + ("-o", "{out}", "--matte-grade"),
                                {"data.csv": SEED}, ("0", "-1", "nan", "inf")),
        "smelt --sulfur-oxidised": (SMELT[:4] + ("-o", "{out}", "--sulfur-oxidised"),
                                    {"data.csv": SEED}, ("-1", "nan", "inf", "2")),
        "calc --temperature": (calc[:2] + ("--time", "60", "--temperature"), {},
                               ("-273.15", "-950", "nan", "inf")),
        "calc --time": (calc[:4] + ("--time",), {}, ("-1", "nan", "inf")),
        "calc --pressure": (calc + ("--pressure",), {}, ("0", "-1", "nan", "inf")),
        "calc --set": (calc + ("--set",), {}, ("hg_feed=nan", "hg_feed=inf")),
    }
    cases = []
    for name, (argv, files, values) in options.items():
        flag = name.split()[-1]
        for value in values:
            cases.append(Case(f"{name}={value}", (*argv, value), files, None,
                              (flag if flag.startswith("--") else "id",)))
    return cases


def _long_name_cases() -> list[Case]:
    """A name of a million characters as a unit type, a stream end, a port, a species, a
    formula, a phase, a quantity and the unit of a quantity: answered at once (the
    did-you-mean search and pint's parser once took minutes), echoed cut short."""
    long = "a" * 1_000_000
    text = (ROOT / "examples" / "ccd_washing.yaml").read_text(encoding="utf-8")
    data, pos = load_yaml(text)
    first_unit = next(iter(data["units"]))
    cases = []
    for label, path in (("type", ("units", first_unit, "type")), ("from", ("streams", 0, "from")),
                        ("species", ("species", 0, "name"))):
        mark = pos.value(path)
        # a renamed species is first missed where a unit uses the old name
        line = mark[0] if label != "species" else None
        cases.append(Case(f"million_character_{label}", ("run", "{file}", "-o", "{out}"),
                          {"plant.yaml": _replace(text, mark, long)}, line,
                          ("(1,000,000 characters)",)))
    lines = text.split("\n")
    for label, old, new in (("unit_of_a_quantity", "{water: 180}", f"{{water: 180 {long}}}"),
                            ("quantity", "{water: 180}", f"{{water: {long}}}"),
                            ("port", "{from: mix1, to: thick1}",
                             f"{{from: mix1.{long}, to: thick1}}"),
                            ("formula", "formula: CuSO4", f"formula: {long}"),
                            ("phase", "phase: aqueous", f"phase: {long}")):
        line = next(i for i, t in enumerate(lines, 1) if old in t)
        cases.append(Case(f"million_character_{label}", ("run", "{file}", "-o", "{out}"),
                          {"plant.yaml": text.replace(old, new)}, line,
                          ("(1,000,000 characters)",)))
    return cases


FLOWSHEET_CASES = _flowsheet_cases()
OTHER_CASES = _table_cases() + _option_cases() + _long_name_cases()
ALL_CASES = FLOWSHEET_CASES + OTHER_CASES
#: Exit codes seen, by case id (printed by test_counts for the record).
SEEN: dict[str, int] = {}


def _prepare(case: Case, tmp: Path) -> tuple[list[str], Path]:
    """Write the case's files into ``tmp``; return the filled command line and the
    output folder (which must not exist afterwards)."""
    names = {}
    for name, content in case.files.items():
        path = tmp / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        names[name] = str(path)
    data = next((names[n] for n in names if n != "plant.yaml"), names.get("plant.yaml", ""))
    out = tmp / "out"
    fill = {"{file}": data, "{yaml}": names.get("plant.yaml", ""), "{out}": str(out)}
    return [fill.get(arg, arg) for arg in case.argv], out


def _check(case: Case, code: int, err: str, out_dir: Path, store: Path) -> None:
    SEEN[case.id] = code
    assert code == 2, f"{case.id}: exit {code}: {err[:300]}"
    assert err.startswith("error: ") and err.count("\n") == 1, f"{case.id}: {err[:600]}"
    assert "Traceback" not in err
    assert len(err) < 400, f"{case.id}: a message of {len(err)} characters"
    if case.line is not None:
        assert f":{case.line}:" in err or err.split(": ")[1].endswith(f":{case.line}"), (
            f"{case.id}: line {case.line} not named in {err}")
    for word in case.words:
        assert word in err, f"{case.id}: {word!r} not in {err}"
    assert not out_dir.exists(), f"{case.id}: wrote {list(out_dir.iterdir())}"
    assert not store.exists(), f"{case.id}: recorded a run"


@pytest.fixture
def store(tmp_path, monkeypatch) -> Path:
    """An empty run store of the test's own."""
    path = tmp_path / "runs.sqlite"
    monkeypatch.setenv("FLOWSHEET_RUNS", str(path))
    return path


@pytest.mark.parametrize("case", ALL_CASES, ids=[c.id for c in ALL_CASES])
def test_refused_in_one_located_line(case, tmp_path, store, capsys):
    """Each impossible input exits 2 with one line on stderr, starting 'error: ', naming
    the line (and unit and key) where there is one; no traceback, no output folder, no
    recorded run."""
    argv, out = _prepare(case, tmp_path)
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse refuses an option before main's handler
        code = exc.code
    _check(case, code, capsys.readouterr().err, out, store)


SUBPROCESS_IDS = ("copper_oxide_leach_ew:units.leach.temperature=-950degC",
                  "run --tolerance=nan", "smelt:duplicate_column", "track:inf",
                  "million_character_type")
assert set(SUBPROCESS_IDS) <= {c.id for c in ALL_CASES}


@pytest.mark.parametrize("case", [c for c in ALL_CASES if c.id in SUBPROCESS_IDS]
                         + [c for c in FLOWSHEET_CASES if c.id.endswith("=5000_digits")][:1],
                         ids=lambda c: c.id)
def test_refused_by_the_command(case, tmp_path):
    """The same through ``python -m flowsheet.cli``: exit 2, one line, nothing written."""
    argv, out = _prepare(case, tmp_path)
    store = tmp_path / "runs.sqlite"
    env = {**os.environ, "FLOWSHEET_RUNS": str(store)}
    proc = subprocess.run([sys.executable, "-m", "flowsheet.cli", *argv], env=env,
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    _check(case, proc.returncode, proc.stderr, out, store)


def test_the_catalogue_covers_every_kind():
    """The generated catalogue is not empty of any kind of case: it cannot pass by
    generating nothing."""
    kinds = Counter(c.id.rsplit("=", 1)[-1] if "=" in c.id else c.id.split(":")[-1]
                    for c in FLOWSHEET_CASES)
    for kind in ("true", "nan", "inf", "5000_digits", "-950degC", "[list]", "0"):
        assert kinds[kind] > 0, kind
    assert {Path(c.id.split(":")[0]).name for c in FLOWSHEET_CASES} == {
        e.stem for e in EXAMPLES}
    assert len(OTHER_CASES) > 50


def _named_fields(model, prefix="", seen=()):
    """Every field of ``model`` and of the models nested in it, with its dotted path."""
    from typing import get_args

    from pydantic import BaseModel

    def models(annotation):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield annotation
        for arg in get_args(annotation):
            yield from models(arg)

    for name, info in model.model_fields.items():
        yield f"{prefix}{name}", info
        for sub in models(info.annotation):
            if sub is not model and sub not in seen:
                yield from _named_fields(sub, f"{prefix}{name}.", (*seen, model))


def test_every_temperature_and_density_has_its_floor():
    """Every temperature and density parameter of every registered unit type reads its
    value as a quantity, so -950 degC and a zero density are refused by the core's
    floors (a field typed as a plain float would take them)."""
    from typing import Annotated

    from pydantic import TypeAdapter, ValidationError

    from flowsheet.plugins import unit_types

    checked = []
    for type_name, cls in sorted(unit_types().items()):
        for path, info in _named_fields(cls.Params):
            name = path.rsplit(".", 1)[-1]
            if "temperature" in name:
                bad, words = "-950 degC", "absolute zero"
            elif "density" in name and "current" not in name:
                bad, words = 0, "density"
            else:
                continue
            annotation = (Annotated[(info.annotation, *info.metadata)] if info.metadata
                          else info.annotation)
            adapter = TypeAdapter(annotation)
            with pytest.raises(ValidationError, match=words):
                adapter.validate_python(bad)
            checked.append(f"{type_name}.{path}")
    assert len(checked) >= 10, checked
