"""Atomic writes: a reader sees the old file (or set of files) or the new one, never a mix.

:func:`atomic_write` writes one file: the data go to a temporary file in the same folder,
are flushed to disk, get the permissions of an ordinary new file (``0666`` less the
process's umask, as ``open`` would give; ``mkstemp`` alone gives ``0600``), and are renamed
over the target.

:func:`commit_files` puts a *set* of files staged in a hidden folder into an output folder
as a whole. The output folder often holds other files of the user (drawings, notes), so it
is never swapped as a whole; instead the commit is journalled:

1. the files are written into a staging folder ``out/.results.<pid>@<host>.<random>.part``;
2. the staging folder is renamed to ``out/.results.commit`` -- one rename, the commit
   point. Before it the old set is untouched and the staging folder is garbage;
3. the files are renamed into place one by one, each replaced file first getting a
   second name in the journal (a hard link) so that it can be put back; the old
   manifest goes first and the new manifest (``results.manifest.json``, naming every
   file with its size and SHA-256, and the run id) last;
4. the journal folder is removed.

When the process fails with an exception during step 3 the replaced files are put back
(a rollback, itself journalled in ``rollback.json``). When it is killed, the next write
into the folder -- or a reader calling :func:`recover` -- finishes what the journal says:
forward to the new set, or back when a rollback was under way. Between the steps a reader
tells a complete set from a mixed one by the manifest (:func:`verify_manifest`): it is
absent while a commit is under way and names the hash of every file of the set.

Staging folders and temporary files left by a killed writer are removed at the next write
of a set into the folder when their process (on this host) is gone or they are older than
:data:`STALE_SECONDS`. Writers into one
folder are serialised by an advisory lock on the folder (POSIX ``flock``).

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write(d / "a.txt", "hello")
>>> (d / "a.txt").read_text()
'hello'
>>> oct((d / "a.txt").stat().st_mode & 0o777) == oct(0o666 & ~process_umask())
True
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from flowsheet.errors import ExportError

__all__ = ["atomic_write", "atomic_path", "process_umask", "staging_folder", "commit_files",
           "recover", "clean_stale", "verify_manifest", "file_sha256", "JOURNAL",
           "MANIFEST_VERSION", "STALE_SECONDS"]

#: Name of the journal folder of a commit under way (inside the output folder).
JOURNAL = ".results.commit"

#: Version of the manifest layout.
MANIFEST_VERSION = 1

#: Age [s] after which a staging folder is removed even if its process still runs.
STALE_SECONDS = 3600.0

_STAGING_PREFIX = ".results."
_STAGING_SUFFIX = ".part"
_ROLLBACK = "rollback.json"
_PLAN = "plan.json"
_OLD = "old"
_umask_lock = threading.Lock()


@functools.cache
def process_umask() -> int:
    """The process's file-creation mask, read once per process.

    Read from ``/proc/self/status`` where the kernel reports it (no change of state);
    otherwise by setting and restoring it once, under a lock, at the first call.

    >>> 0 <= process_umask() <= 0o777
    True
    """
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    with _umask_lock:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _file_mode() -> int:
    return 0o666 & ~process_umask()


def _folder_mode() -> int:
    return 0o777 & ~process_umask()


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` if the block succeeds.

    For writers that want a file name (openpyxl, matplotlib, sqlite backups). On any
    exception the temporary file is removed and ``path`` is left untouched. The file gets
    the permissions ``0666`` less the umask before it is renamed.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create folder '{target.parent}': {exc.strerror}") from exc
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{_owner()}.",
                               suffix=".part" + target.suffix,
                               dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, _file_mode())
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def atomic_write(path: str | os.PathLike, data: str | bytes | Callable[[Path], None]) -> None:
    """Write ``data`` (text, bytes, or a function that writes a given path) atomically."""
    with atomic_path(path) as tmp:
        if callable(data):
            data(tmp)
        else:
            mode = "wb" if isinstance(data, bytes) else "w"
            with open(tmp, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())


def file_sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes, as hex.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x"
    >>> _ = p.write_bytes(b"abc")
    >>> file_sha256(p)[:12]
    'ba7816bf8f01'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- sets of files ------------------------------------------------------------------------
@contextlib.contextmanager
def _folder_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on the folder ``out`` (no lock where flock is missing)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


@functools.cache
def _host() -> str:
    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname().split(".")[0]) or "host"


def _owner() -> str:
    """``<pid>@<host>`` of this process, as staging names carry it (the host keeps writers
    on other machines sharing a drive from taking each other's process ids)."""
    return f"{os.getpid()}@{_host()}"


#: A staging folder ``.results.<pid>@<host>.<random>.part`` or a temporary file of
#: :func:`atomic_path` ``.<name>.<pid>@<host>.<random>.part<suffix>``.
_LEFTOVER = re.compile(r"^\.(?:.+\.)?(\d+)@([A-Za-z0-9-]+)\.[A-Za-z0-9_]+\.part(?:\.\w+)?$")


def clean_stale(out: str | os.PathLike, *, max_age: float = STALE_SECONDS) -> list[Path]:
    """Remove the staging folders and temporary files in ``out`` left by writers that are
    gone.

    A staging folder (``.results.<pid>@<host>.<random>.part``) or temporary file
    (``.<name>.<pid>@<host>.<random>.part<suffix>``) is stale when its process, on this
    host, no longer runs, or when it is older than ``max_age`` seconds; returns what was
    removed.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> (d / f".results.999999999@{_host()}.x.part").mkdir()
    >>> (d / ".results.999999999@elsewhere.x.part").mkdir()
    >>> [p.name.split("@")[0] for p in clean_stale(d)], len(list(d.iterdir()))
    (['.results.999999999'], 1)
    """
    folder = Path(out)
    removed = []
    now = time.time()
    host = _host()
    for entry in folder.iterdir():
        match = _LEFTOVER.match(entry.name)
        if match is None:
            continue
        try:
            age = now - entry.lstat().st_mtime
        except OSError:
            continue
        dead = match.group(2) == host and not _pid_alive(int(match.group(1)))
        if dead or age > max_age:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    entry.unlink()
            if not entry.exists():
                removed.append(entry)
    return removed


def staging_folder(out: str | os.PathLike) -> Path:
    """Create ``out`` (if missing) and a new staging folder in it; clean stale ones first.

    Raises
    ------
    ExportError
        When the folder cannot be created.
    """
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        clean_stale(folder)
        staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{_owner()}.",
                                        suffix=_STAGING_SUFFIX, dir=folder))
        os.chmod(staging, _folder_mode())
    except OSError as exc:
        raise ExportError(f"cannot create folder '{folder}': {exc.strerror or exc}") from exc
    return staging


def _manifest(staging: Path, names: Sequence[str], run: int | str | None) -> dict:
    files = {}
    for name in names:
        path = staging / name
        files[name] = {"bytes": path.stat().st_size, "sha256": file_sha256(path)}
    return {"version": MANIFEST_VERSION, "run": run,
            "written": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "files": files}


def commit_files(out: str | os.PathLike, staging: Path, names: Sequence[str], *,
                 manifest: str | None = None, run: int | str | None = None) -> list[Path]:
    """Move the files ``names`` staged in ``staging`` into ``out`` as one set.

    Parameters
    ----------
    out : path
        The output folder (it holds ``staging``).
    staging : pathlib.Path
        A folder made by :func:`staging_folder`, holding every file of ``names``.
    names : sequence of str
        The file names of the set, in order.
    manifest : str, optional
        File name of a manifest to write last, naming each file's size and SHA-256 and
        ``run``; readers check it with :func:`verify_manifest`.
    run : int or str, optional
        The run the set belongs to (the run store's id), kept in the manifest.

    Returns
    -------
    list of pathlib.Path
        The files in ``out``, in the order of ``names`` (the manifest not included).

    Raises
    ------
    ExportError
        When a file cannot be moved; the previous files are then put back. If even that
        fails, the journal is left and the next write or :func:`recover` finishes it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> s = staging_folder(d)
    >>> _ = (s / "a.csv").write_text("x\\n1\\n")
    >>> [p.name for p in commit_files(d, s, ["a.csv"], manifest="m.json", run=7)]
    ['a.csv']
    >>> verify_manifest(d, "m.json")["run"], sorted(p.name for p in d.iterdir())
    (7, ['a.csv', 'm.json'])
    """
    folder = Path(out)
    order = list(names)
    try:
        if manifest is not None:
            atomic_write(staging / manifest,
                         json.dumps(_manifest(staging, order, run), indent=1) + "\n")
            order.append(manifest)
        atomic_write(staging / _PLAN, json.dumps({"names": order, "manifest": manifest}))
    except OSError as exc:
        raise ExportError(f"cannot write results into '{folder}': {exc}") from exc
    journal = folder / JOURNAL
    with _folder_lock(folder):
        _recover_locked(folder)
        try:
            os.replace(staging, journal)                  # the commit point
        except OSError as exc:
            raise ExportError(f"cannot write results into '{folder}': {exc}") from exc
        try:
            _forward(folder, journal)
        except BaseException as exc:
            try:
                _backward(folder, journal)
            except OSError:
                raise ExportError(f"cannot write results into '{folder}': {exc}; the "
                                  "folder is mid-way between two sets",
                                  hint="the next write into it finishes the change") from exc
            if isinstance(exc, OSError):
                raise ExportError(f"cannot write results into '{folder}': {exc}") from exc
            raise
    return [folder / name for name in names]


def _plan(journal: Path) -> tuple[list[str], str | None]:
    plan = json.loads((journal / _PLAN).read_text(encoding="utf-8"))
    return list(plan["names"]), plan["manifest"]


def _forward(out: Path, journal: Path) -> None:
    """Move every file still in the journal into place, keeping a link to each old one."""
    names, manifest = _plan(journal)
    old = journal / _OLD
    old.mkdir(exist_ok=True)
    if manifest is not None and (journal / manifest).exists() and (out / manifest).exists():
        os.replace(out / manifest, old / manifest)    # no manifest while the set is mixed
    for name in names:
        new, target = journal / name, out / name
        if not new.exists():
            continue                                  # moved already
        if target.exists() and not (old / name).exists():
            try:
                os.link(target, old / name)
            except OSError:
                shutil.copy2(target, old / name)
        os.replace(new, target)
    shutil.rmtree(journal, ignore_errors=True)


def _backward(out: Path, journal: Path) -> None:
    """Put back the files a failed commit replaced; remove those it added."""
    if not (journal / _ROLLBACK).exists():
        names, _ = _plan(journal)
        old = journal / _OLD
        steps = [["restore", n] if (old / n).exists() else ["remove", n]
                 for n in names if (old / n).exists() or not (journal / n).exists()]
        atomic_write(journal / _ROLLBACK, json.dumps(steps))
    steps = json.loads((journal / _ROLLBACK).read_text(encoding="utf-8"))
    for action, name in steps:
        if action == "restore":
            kept = journal / _OLD / name
            if kept.exists() and not _same_file(kept, out / name):
                os.replace(kept, out / name)
        else:
            with contextlib.suppress(FileNotFoundError):
                (out / name).unlink()
    shutil.rmtree(journal, ignore_errors=True)


def _same_file(a: Path, b: Path) -> bool:
    """True when ``b`` is still the file ``a`` links to (its replacement never happened)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _recover_locked(out: Path) -> bool:
    journal = out / JOURNAL
    if not journal.is_dir():
        return False
    if not (journal / _PLAN).exists():                # cannot happen after the commit point
        shutil.rmtree(journal, ignore_errors=True)
        return True
    if (journal / _ROLLBACK).exists():
        _backward(out, journal)
    else:
        _forward(out, journal)
    return True


def recover(out: str | os.PathLike) -> bool:
    """Finish a commit into ``out`` that a killed process left half done; True if there was one.

    Forward to the new set after the commit point, or back when a rollback was under way.

    Raises
    ------
    ExportError
        When the folder cannot be changed (read-only, removed).
    """
    folder = Path(out)
    if not (folder / JOURNAL).is_dir():
        return False
    try:
        with _folder_lock(folder):
            return _recover_locked(folder)
    except (OSError, ValueError, KeyError) as exc:
        raise ExportError(f"cannot finish the interrupted write into '{folder}': {exc}"
                          ) from exc


def verify_manifest(out: str | os.PathLike, manifest: str,
                    names: Sequence[str] | None = None) -> dict:
    """Check that the files of ``out`` are the complete set its manifest names.

    Parameters
    ----------
    out : path
        The folder.
    manifest : str
        The manifest's file name.
    names : sequence of str, optional
        Only these files must match (default: every file the manifest names).

    Returns
    -------
    dict
        The manifest (``version``, ``run``, ``written``, ``files``).

    Raises
    ------
    InputError
        When there is no manifest, a commit is under way or was interrupted, or a file is
        missing or differs from the manifest: the set is not complete.
    """
    from flowsheet.errors import InputError, Location

    folder = Path(out)
    where = Location(file=str(folder / manifest))
    if (folder / JOURNAL).exists():
        raise InputError("a write into this folder is under way or was interrupted: the "
                         "files may mix two runs", location=where,
                         hint="wait for it, or write the results again")
    try:
        data = json.loads((folder / manifest).read_text(encoding="utf-8"))
        files: Mapping[str, Mapping] = data["files"]
    except FileNotFoundError:
        raise InputError("no manifest: the results are incomplete or from an older version",
                         location=where, hint="write the results again") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"unreadable manifest: {exc}", location=where) from exc
    for name in files if names is None else names:
        entry = files.get(name)
        path = folder / name
        if entry is None:
            raise InputError(f"the manifest does not name '{name}'", location=where)
        if not path.is_file() or path.stat().st_size != entry.get("bytes") or \
                file_sha256(path) != entry.get("sha256"):
            raise InputError(f"'{name}' is not the file the manifest names: the folder "
                             "mixes two runs", location=where,
                             hint="write the results again")
    return data
