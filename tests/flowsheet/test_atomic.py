"""Tests of atomic writes (flowsheet.atomic): permissions, and a set of files committed as a
whole under injected failures and kills at every step."""

from __future__ import annotations

import json
import os
import random
import signal
import time
from pathlib import Path

import pytest

from flowsheet import atomic
from flowsheet.atomic import (
    JOURNAL,
    atomic_write,
    clean_stale,
    commit_files,
    process_umask,
    recover,
    verify_manifest,
)
from flowsheet.errors import ExportError, InputError
from flowsheet.exports import write_files

MANIFEST = "results.manifest.json"
NAMES = ("results.json", "streams.csv", "units.csv", "closure.csv")


def _writers(generation: int, size: int = 2000) -> dict:
    """Four files whose every byte says which generation (run) they belong to."""
    def writer(name: str):
        def write(path: Path) -> None:
            path.write_text(f"{name} generation {generation}\n" * size)
        return write
    return {name: writer(name) for name in NAMES}


def _expected(generation: int) -> dict[str, str]:
    return {name: f"{name} generation {generation}\n" * 2000 for name in NAMES}


def _set_of(folder: Path) -> int | None:
    """The generation of the complete set in ``folder`` (checked through its manifest)."""
    manifest = verify_manifest(folder, MANIFEST)
    contents = {name: (folder / name).read_text() for name in NAMES}
    gens = {text.split("generation ", 1)[1].split("\n", 1)[0] for text in contents.values()}
    assert len(gens) == 1, f"mixed set: {gens}"
    generation = int(gens.pop())
    assert contents == _expected(generation)
    assert manifest["run"] == generation
    return generation


def _visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_files_and_folders_follow_the_umask(tmp_path):
    """Written files get 0666 and staging folders 0777 less the umask, not mkstemp's 0600."""
    old = os.umask(0o027)
    try:
        atomic.process_umask.cache_clear()
        atomic_write(tmp_path / "a.txt", "x")
        write_files(tmp_path / "out", _writers(1), manifest=MANIFEST)
        staging = atomic.staging_folder(tmp_path / "out")
        modes = {p.name: p.stat().st_mode & 0o777 for p in (tmp_path / "out").iterdir()}
    finally:
        os.umask(old)
        atomic.process_umask.cache_clear()
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o640
    assert modes.pop(staging.name) == 0o750
    assert set(modes.values()) == {0o640} and len(modes) == len(NAMES) + 1


def test_umask_is_read_without_changing_it():
    """Reading the umask leaves it as it was (it is read once per process)."""
    before = os.umask(0o022)
    os.umask(before)
    atomic.process_umask.cache_clear()
    assert process_umask() == before
    now = os.umask(0o022)
    os.umask(now)
    assert now == before


def _count_replace_calls(folder: Path) -> int:
    calls = 0
    real = os.replace

    def counting(src, dst):
        nonlocal calls
        calls += 1
        return real(src, dst)

    os.replace = counting
    try:
        write_files(folder, _writers(99), manifest=MANIFEST, record=lambda: 99)
    finally:
        os.replace = real
    return calls


@pytest.mark.parametrize("persistent", [False, True])
def test_failure_at_every_rename_leaves_old_or_new_set(tmp_path, monkeypatch, persistent):
    """os.replace fails at its k-th call, for every k (once, or from then on): the folder
    then holds the old complete set or the new one -- at once, or after recover() when
    even the rollback could not run -- and the user's own file is never touched."""
    n = _count_replace_calls(tmp_path / "probe")
    assert n >= len(NAMES) + 2
    real = os.replace
    outcomes = set()
    for k in range(1, n + 1):
        out = tmp_path / f"k{k}"
        write_files(out, _writers(1), manifest=MANIFEST, record=lambda: 1)
        (out / "flowsheet.svg").write_text("the user's drawing")
        calls = 0

        def flaky(src, dst, k=k):
            nonlocal calls
            calls += 1
            if calls == k or (persistent and calls > k):
                raise OSError(f"injected failure at rename {calls}")
            return real(src, dst)

        monkeypatch.setattr(os, "replace", flaky)
        with pytest.raises(ExportError):
            write_files(out, _writers(2), manifest=MANIFEST, record=lambda: 2)
        monkeypatch.setattr(os, "replace", real)
        if (out / JOURNAL).exists():
            with pytest.raises(InputError, match="under way or was interrupted"):
                verify_manifest(out, MANIFEST)
            assert recover(out)
        outcomes.add(_set_of(out))
        assert (out / "flowsheet.svg").read_text() == "the user's drawing"
        assert _visible(out) == sorted([*NAMES, MANIFEST, "flowsheet.svg"])
    # a single failure is rolled back; a failure that persists through the rollback leaves
    # the journal, and recover() may then finish the new set instead
    assert outcomes == {1} if not persistent else outcomes <= {1, 2}


def test_failing_writer_or_store_writes_nothing(tmp_path):
    """A writer failing at file k, or the run store refusing the run, leaves the old set."""
    out = tmp_path / "out"
    write_files(out, _writers(1), manifest=MANIFEST, record=lambda: 1)
    for k in range(len(NAMES)):
        writers = _writers(2)
        name = NAMES[k]

        def broken(path, name=name):
            path.write_text("half")
            raise OSError(f"disk full at {name}")

        writers[name] = broken
        with pytest.raises(ExportError, match="disk full"):
            write_files(out, writers, manifest=MANIFEST, record=lambda: 2)
        assert _set_of(out) == 1

    def store_refuses():
        raise ExportError("cannot record the run")

    with pytest.raises(ExportError, match="cannot record"):
        write_files(out, _writers(2), manifest=MANIFEST, record=store_refuses)
    assert _set_of(out) == 1
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def _child(out: Path, body) -> int:
    """Run ``body`` in a forked process; return its pid (the child never returns)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            body()
        finally:
            os._exit(0)
    return pid


def _reap(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return status


needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


@needs_fork
def test_kill_at_every_rename_then_rerun(tmp_path):
    """A writer SIGKILLed at its k-th rename, for every k: recover() gives the old or the new
    complete set; the re-run removes the dead writer's staging folder and writes its set."""
    n = _count_replace_calls(tmp_path / "probe")
    outcomes = []
    for k in range(1, n + 1):
        out = tmp_path / f"k{k}"
        write_files(out, _writers(1), manifest=MANIFEST, record=lambda: 1)

        def body(k=k, out=out):
            calls = 0
            real = os.replace

            def killing(src, dst):
                nonlocal calls
                calls += 1
                if calls == k:
                    os.kill(os.getpid(), signal.SIGKILL)
                return real(src, dst)

            os.replace = killing
            write_files(out, _writers(2), manifest=MANIFEST, record=lambda: 2)

        status = _reap(_child(out, body))
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        recover(out)
        outcomes.append(_set_of(out))
        write_files(out, _writers(3), manifest=MANIFEST, record=lambda: 3)
        assert _set_of(out) == 3
        assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
    assert outcomes[0] == 1 and outcomes[-1] == 2 and set(outcomes) == {1, 2}


@needs_fork
def test_fifty_random_kills(tmp_path):
    """A writer rewriting the set in a loop is SIGKILLed 50 times at random moments; after
    each kill the folder is checked (after recover()) and written again, which cleans the
    dead writer's staging folder."""
    out = tmp_path / "out"
    write_files(out, _writers(0, 200), manifest=MANIFEST, record=lambda: 0)
    rng = random.Random(20261207)
    seen = {"journal": 0, "staging": 0}
    for i in range(50):
        def body(i=i):
            g = 1000 * (i + 1)
            while True:
                g += 1
                write_files(out, {n: w for n, w in _writers(g, 200).items()},
                            manifest=MANIFEST, record=lambda g=g: g)

        pid = _child(out, body)
        time.sleep(rng.uniform(0.002, 0.04))
        os.kill(pid, signal.SIGKILL)
        _reap(pid)
        seen["journal"] += (out / JOURNAL).exists()
        seen["staging"] += any(p.name.endswith(".part") for p in out.iterdir())
        recover(out)
        manifest = verify_manifest(out, MANIFEST)
        contents = {name: (out / name).read_text() for name in NAMES}
        assert {t.split("generation ", 1)[1].split("\n", 1)[0] for t in contents.values()} == {
            str(manifest["run"])}
        write_files(out, _writers(i, 200), manifest=MANIFEST, record=lambda i=i: i)
        assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
    assert seen["staging"] > 0


def test_stale_staging_of_a_live_process_is_kept_until_old(tmp_path):
    """A staging folder of a running process is kept; past the age limit it goes."""
    live = tmp_path / f".results.{os.getppid()}@{atomic._host()}.abc.part"
    live.mkdir()
    part = tmp_path / f".plant.svg.{os.getppid()}@{atomic._host()}.abc.part.svg"
    part.write_text("<svg")
    assert clean_stale(tmp_path) == []
    old = time.time() - 2 * atomic.STALE_SECONDS
    os.utime(live, (old, old))
    os.utime(part, (old, old))
    assert sorted(clean_stale(tmp_path)) == sorted([live, part])


@needs_fork
def test_temporary_file_of_a_killed_writer_goes_at_the_next_write(tmp_path):
    """A single-file writer killed mid-write leaves its temporary file; the next write of
    a set into the folder removes it, and the user's files stay."""
    (tmp_path / "notes.txt").write_text("mine")

    def body():
        def write(path):
            path.write_text("half")
            os.kill(os.getpid(), signal.SIGKILL)
        atomic_write(tmp_path / "plant.svg", write)

    assert os.WIFSIGNALED(_reap(_child(tmp_path, body)))
    assert [p.name.startswith(".plant.svg.") for p in tmp_path.iterdir()].count(True) == 1
    write_files(tmp_path, _writers(1), manifest=MANIFEST)
    assert _visible(tmp_path) == sorted([*NAMES, MANIFEST, "notes.txt"])
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_manifest_tells_a_mixed_set(tmp_path):
    """A file changed after the commit makes the manifest check fail with one line."""
    out = tmp_path / "out"
    staging = atomic.staging_folder(out)
    for name, write in _writers(1).items():
        write(staging / name)
    commit_files(out, staging, NAMES, manifest=MANIFEST, run=1)
    assert verify_manifest(out, MANIFEST)["run"] == 1
    (out / "units.csv").write_text("other run\n")
    with pytest.raises(InputError, match="mixes two runs") as err:
        verify_manifest(out, MANIFEST)
    assert "\n" not in str(err.value)
    assert json.loads((out / MANIFEST).read_text())["files"]["units.csv"]["bytes"] > 0
