"""The README's promises: every command is documented, every command line it quotes runs
as written, and every file the README and the example flowsheets cite is in the
repository."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from flowsheet.cli import COMMANDS, extensions, main

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
TOP = {p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".")}


def _fenced(text: str, language: str) -> list[str]:
    """Lines of the fenced code blocks of ``language``."""
    blocks = re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.S | re.M)
    return [line for block in blocks for line in block.splitlines()]


def quoted_commands(text: str) -> list[str]:
    """Every ``flowsheet ...`` command line the README quotes: lines of ```sh blocks and
    inline code spans that name a command, except the synopses of the command table (they
    name their arguments in capitals, such as FILE)."""
    lines = [line.strip() for line in _fenced(text, "sh") if line.startswith("flowsheet ")]
    prose = "\n".join(line for line in text.splitlines() if not line.startswith("| `flowsheet"))
    lines += re.findall(r"`(flowsheet [a-z][^`]*)`", re.sub(r"^```.*?^```", "", prose,
                                                        flags=re.S | re.M))
    return list(dict.fromkeys(lines))


COMMAND_LINES = quoted_commands(README.read_text(encoding="utf-8"))


def test_every_command_is_documented_and_exemplified():
    """Each command of the CLI has a row in the README's command table and at least one
    example command line that the suite runs."""
    text = README.read_text(encoding="utf-8")
    table = {m for m in re.findall(r"^\| `flowsheet (\w+)", text, flags=re.M)}
    commands = set(COMMANDS) | set(extensions())
    assert commands <= table, f"undocumented: {sorted(commands - table)}"
    exemplified = {shlex.split(line)[1] for line in COMMAND_LINES}
    assert commands <= exemplified, f"no example: {sorted(commands - exemplified)}"


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """A fresh folder holding the repository's examples, where the README's commands run
    in the order they are quoted."""
    folder = tmp_path_factory.mktemp("readme")
    (folder / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    return folder


@pytest.mark.parametrize("line", COMMAND_LINES)
def test_quoted_command_runs_as_written(line, home, monkeypatch, capsys):
    """The command line runs, as quoted, with exit code 0 and nothing on stderr."""
    monkeypatch.chdir(home)
    monkeypatch.setenv("FLOWSHEET_RUNS", str(home / "runs.sqlite"))
    args = shlex.split(line)
    assert args[0] == "flowsheet"
    code = main(args[1:])
    err = capsys.readouterr().err
    assert code == 0, err
    assert err == ""


def test_ccd_example_prints_what_the_readme_shows(tmp_path, monkeypatch, capsys):
    """``flowsheet run examples/ccd_washing.yaml -o out/ccd`` prints the table and closure
    line the README shows after it."""
    text = README.read_text(encoding="utf-8")
    shown = text.split("`flowsheet run examples/ccd_washing.yaml -o out/ccd` prints:", 1)[1]
    shown = _fenced(shown, "text")
    shown = shown[:next(i for i, line in enumerate(shown) if line.startswith("closure:")) + 1]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    monkeypatch.setenv("FLOWSHEET_RUNS", str(tmp_path / "runs.sqlite"))
    assert main(["run", "examples/ccd_washing.yaml", "-o", "out/ccd"]) == 0
    printed = [line.rstrip() for line in capsys.readouterr().out.splitlines()]
    assert printed[:len(shown)] == [line.rstrip() for line in shown]


def test_every_example_is_listed():
    """The README's example table names every flowsheet in ``examples/``, and only those."""
    text = README.read_text(encoding="utf-8")
    table = text.split("## Examples", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `(examples/[\w.-]+\.yaml)`", table, flags=re.M))
    shipped = {f"examples/{p.name}" for p in (ROOT / "examples").glob("*.yaml")}
    assert listed == shipped


_PATH = re.compile(r"(?<![\w.~$/-])((?:[\w.-]+/)+[\w.-]+\.(?:yaml|yml|csv|xlsx|py|md|json))\b")
_BARE_MD = re.compile(r"(?<![\w./-])([\w-]+\.md)\b")


def cited_files(text: str) -> list[str]:
    """Repository paths a text cites: paths with a folder whose first folder is not an
    output folder of the commands (``out``, ``DIR``), and bare ``*.md`` names."""
    paths = [p for p in _PATH.findall(text) if p.split("/", 1)[0] not in ("out", "DIR")]
    return paths + _BARE_MD.findall(text)


def _exists(cited: str, near: Path) -> bool:
    if "/" not in cited:
        return any(ROOT.rglob(cited))
    return (ROOT / cited).exists() or (near / cited).exists()


@pytest.mark.parametrize("source", [README, *sorted((ROOT / "examples").glob("*.yaml")),
                                    *sorted((ROOT / "examples" / "data").glob("*.md"))],
                         ids=lambda p: p.name)
def test_cited_files_exist(source):
    """Every file the README, an example flowsheet or a data note cites is in the
    repository (a reference outside it cannot be followed by a reader of the repository)."""
    cited = cited_files(source.read_text(encoding="utf-8"))
    missing = [c for c in cited if not _exists(c, source.parent)]
    assert missing == []


def test_citation_finder_sees_outside_references():
    """The path finder catches a reference outside the repository and skips outputs."""
    text = ("see shared/reference/pyro_hydro.md and units/registry.py; writes "
            "out/results.json, DIR/x.csv and ~/.flowsheet/runs.sqlite")
    assert cited_files(text) == ["shared/reference/pyro_hydro.md", "units/registry.py"]
    assert [c for c in cited_files(text) if not _exists(c, ROOT)] == [
        "shared/reference/pyro_hydro.md"]
