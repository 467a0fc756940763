"""Tests of the SQLite run store (flowsheet.runstore)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import flowsheet
from flowsheet.errors import InputError
from flowsheet.runstore import ENV_VAR, SCHEMA_VERSION, RunStore, default_path

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def runs_file(tmp_path, monkeypatch) -> Path:
    """Every test records into its own file, never into the home folder."""
    path = tmp_path / "store" / "runs.sqlite"
    monkeypatch.setenv(ENV_VAR, str(path))
    return path


@pytest.fixture(scope="module")
def ccd():
    return flowsheet.load(DATA / "ccd_5.yaml").solve(method="broyden", linear=False)


def test_default_path_follows_the_environment(runs_file):
    """FLOWSHEET_RUNS names the file; without it, ~/.flowsheet/runs.sqlite."""
    assert default_path() == runs_file
    assert RunStore().path == runs_file


def test_default_path_without_environment(monkeypatch, tmp_path):
    """Unset, the store lives in the home folder (here a temporary one)."""
    monkeypatch.delenv(ENV_VAR)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_path() == tmp_path / ".flowsheet" / "runs.sqlite"


def test_nothing_created_before_first_use(runs_file):
    """Making a RunStore touches no file; the first use creates folder, file and schema."""
    store = RunStore()
    assert not runs_file.parent.exists()
    assert store.list().empty
    assert runs_file.is_file()
    with sqlite3.connect(runs_file) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        columns = [row[1] for row in con.execute("PRAGMA table_info(runs)")]
    con.close()
    assert columns[:13] == ["id", "created", "flowsheet", "file", "sha256", "status", "method",
                            "iterations", "closure", "seconds", "yaml", "parameters",
                            "results"]


def test_record_list_get_round_trip(ccd):
    """A recorded run comes back whole: its text, hash, parameters and results."""
    store = RunStore()
    run_id = store.record(ccd, parameters={"method": "broyden", "linear": False})
    table = store.list()
    assert table.columns.tolist() == ["id", "created", "flowsheet", "status", "method",
                                      "iterations", "closure", "seconds"]
    row = table.iloc[0]
    assert (row["id"], row["flowsheet"], row["status"]) == (run_id, ccd.flowsheet.name, "ok")
    assert (row["method"], row["iterations"]) == ("broyden", ccd.convergence.iterations)
    assert row["closure"] == pytest.approx(ccd.closure.worst, abs=1e-18)
    assert row["created"].endswith("+00:00")

    run = store.get(run_id)
    text = (DATA / "ccd_5.yaml").read_text(encoding="utf-8")
    assert run["yaml"] == text
    assert run["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert run["file"] == os.path.abspath(DATA / "ccd_5.yaml")
    assert run["parameters"] == {"method": "broyden", "linear": False}
    assert run["results"]["convergence"]["history"] == ccd.convergence.history
    assert {"streams", "units", "closure", "convergence"} <= set(run["results"])
    assert run["error"] is None


def test_list_is_newest_first_and_limited(ccd):
    """list() shows the latest runs first and at most ``limit`` of them."""
    store = RunStore()
    ids = [store.record(ccd) for _ in range(5)]
    assert store.list(limit=3)["id"].tolist() == ids[::-1][:3]
    assert len(store.list(limit=None)) == 5
    with pytest.raises(InputError, match="limit"):
        store.list(limit=0)


def test_record_failure(runs_file):
    """A failed run keeps its text and message, with status 'failed' and no results."""
    store = RunStore()
    run_id = store.record_failure("demo", None, "flowsheet: demo\n", "a.yaml:1:1: broken")
    run = store.get(run_id)
    assert (run["status"], run["error"], run["results"]) == ("failed", "a.yaml:1:1: broken",
                                                             None)
    assert run["sha256"] == hashlib.sha256(b"flowsheet: demo\n").hexdigest()
    assert store.list()["status"].tolist() == ["failed"]


def test_unknown_id(runs_file):
    """Asking for a run that is not there names the id and the file."""
    with pytest.raises(InputError, match=f"no run 12 in {runs_file}"):
        RunStore().get(12)


def test_two_stores_share_one_file(ccd, runs_file):
    """Two RunStore objects on one file see each other's runs; ids never repeat."""
    a, b = RunStore(runs_file), RunStore(runs_file)
    first = a.record(ccd)
    second = b.record_failure("x", None, None, "boom")
    assert second == first + 1
    assert a.get(second)["error"] == "boom"
    assert b.get(first)["status"] == "ok"


def test_parallel_writers(ccd, runs_file):
    """Writers in parallel threads, each with its own store, all get recorded."""
    def work(i: int) -> list[int]:
        store = RunStore(runs_file)
        return [store.record(ccd, parameters={"worker": i, "n": n}) for n in range(5)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = [run_id for chunk in pool.map(work, range(4)) for run_id in chunk]
    assert len(set(ids)) == 20
    table = RunStore().list(limit=None)
    assert sorted(table["id"]) == sorted(ids)


def test_not_a_database(tmp_path):
    """A file that is not SQLite is refused with an error naming it."""
    bad = tmp_path / "runs.sqlite"
    bad.write_text("hello, this is not a database" * 10)
    with pytest.raises(InputError, match="runs.sqlite: not a usable run store"):
        RunStore(bad).list()


def test_large_text_keeps_hash_size_and_path_only(ccd, monkeypatch):
    """A flowsheet text above TEXT_LIMIT is not copied: hash, size and path identify it."""
    from flowsheet import runstore

    store = RunStore()
    small = store.get(store.record(ccd))
    assert small["yaml"] == ccd.flowsheet.text
    assert small["text_bytes"] == len(ccd.flowsheet.text.encode())
    monkeypatch.setattr(runstore, "TEXT_LIMIT", len(ccd.flowsheet.text.encode()) - 1)
    big = store.get(store.record(ccd))
    assert big["yaml"] is None
    assert big["sha256"] == hashlib.sha256(ccd.flowsheet.text.encode()).hexdigest()
    assert big["text_bytes"] == small["text_bytes"] and big["file"] == small["file"]


def test_version_1_store_is_migrated(runs_file, ccd):
    """A store of layout version 1 gains the text_bytes column (filled for old records)
    and keeps its runs."""
    runs_file.parent.mkdir(parents=True)
    con = sqlite3.connect(runs_file)
    con.execute("""CREATE TABLE runs (id INTEGER PRIMARY KEY, created TEXT NOT NULL,
        flowsheet TEXT, file TEXT, sha256 TEXT, status TEXT NOT NULL, method TEXT,
        iterations INTEGER, closure REAL, seconds REAL, yaml TEXT, parameters TEXT,
        results TEXT, error TEXT)""")
    con.execute("INSERT INTO runs (created, flowsheet, status, yaml) "
                "VALUES ('2026-01-01', 'old', 'failed', 'flowsheet: old\n')")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    store = RunStore()
    assert store.get(1)["text_bytes"] == len("flowsheet: old\n")
    new = store.record(ccd)
    assert store.list()["id"].tolist() == [new, 1]
    with sqlite3.connect(runs_file) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    con.close()


def test_damaged_record_is_one_line(runs_file, ccd):
    """A record whose JSON column is damaged gives one located line, not a JSONDecodeError;
    the list of runs still reads."""
    store = RunStore()
    run_id = store.record(ccd)
    with sqlite3.connect(runs_file) as con:
        con.execute("UPDATE runs SET results = '{\"streams\": ' WHERE id = ?", (run_id,))
    con.close()
    with pytest.raises(InputError, match=rf"runs.sqlite: run {run_id}: .*'results' is "
                                         "damaged") as err:
        store.get(run_id)
    assert "\n" not in str(err.value)
    assert store.list()["id"].tolist() == [run_id]
