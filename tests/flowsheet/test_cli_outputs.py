"""The command line's outputs: a closed pipe, a run store that refuses, damaged stores."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CCD = ROOT / "examples" / "ccd_washing.yaml"


def _env(home: Path, store: Path | None = None) -> dict:
    """The run store in ``home`` (or ``store``), and this checkout's packages first."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "FLOWSHEET_RUNS": str(store or home / "runs.sqlite"),
            "PYTHONPATH": path}


def _cli(*args, home: Path, store: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flowsheet.cli", *map(str, args)],
                          capture_output=True, text=True, env=_env(home, store), cwd=home,
                          timeout=300, check=False)


@pytest.mark.parametrize("command", [["schema"], ["runs"], ["runs", "1"]])
def test_closed_pipe_exits_141_quietly(tmp_path, command):
    """A reader that goes away (``| head``) ends the command with 141 (128 + SIGPIPE) and
    no 'internal error' or traceback, whatever the command."""
    assert _cli("run", CCD, "-o", "out", "--quiet", home=tmp_path).returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "flowsheet.cli", *command],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=_env(tmp_path), cwd=tmp_path)
    proc.stdout.close()                       # the reader is gone before anything is read
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=300) == 141
    assert stderr == ""


def test_store_that_cannot_record_writes_nothing(tmp_path):
    """When the run store cannot record the run, no result file is written (neither a new
    folder nor over an old set) and the command exits 2 with one line."""
    bad = tmp_path / "not_a_store.sqlite"
    bad.write_text("this is not a database\n" * 50)
    proc = _cli("run", CCD, "-o", "fresh", home=tmp_path, store=bad)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "not a usable run store" in proc.stderr
    assert not (tmp_path / "fresh").exists()
    assert _cli("run", CCD, "-o", "kept", "--quiet", home=tmp_path).returncode == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "kept").iterdir()}
    assert _cli("run", CCD, "-o", "kept", home=tmp_path, store=bad).returncode == 2
    assert {p.name: p.read_bytes() for p in (tmp_path / "kept").iterdir()} == before


def test_damaged_store_and_record_are_one_line(tmp_path):
    """``flowsheet runs`` on a damaged record or a file that is not a store: one line, exit 2."""
    assert _cli("run", CCD, "-o", "out", "--quiet", home=tmp_path).returncode == 0
    with sqlite3.connect(tmp_path / "runs.sqlite") as con:
        con.execute("UPDATE runs SET parameters = 'not json' WHERE id = 1")
    con.close()
    proc = _cli("runs", "1", home=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "run 1: the record's 'parameters' is damaged" \
        in proc.stderr
    assert _cli("runs", home=tmp_path).returncode == 0
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    proc = _cli("runs", home=tmp_path, store=junk)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert proc.stderr.startswith(f"error: {junk}: ")
