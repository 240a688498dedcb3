"""Which files in the output directory are ours, and keeping it that way.

Ownership is proved by content, never by a name in a list: a file is ours when its bytes hash
(SHA-256) to what a run of ours recorded for that path when it wrote it.  A hand-written or
copied manifest can list any path, but it cannot make a file it did not write hash to the
value it claims, so it can never make migrator overwrite or delete that file.

* Converting into a non-empty directory that holds no manifest (or journal) of ours is
  refused unless ``force``; even then a file we cannot prove ours is never overwritten or
  removed (``output-conflict``).  A file whose bytes are exactly what this run would write is
  taken as ours (writing it destroys nothing): an output left by runs that raced each other,
  or whose record was lost, converges.
* Every file a run writes is appended to ``.migrator-journal`` with its hash *before* it is
  written, so an interrupted run still knows its files: the next run takes those whose content
  matches as its own and completes the job.  The journal is removed once ``manifest.json``
  (``files`` and their ``file_hashes``) is written.
* Files an earlier run created that this run no longer produces are removed (``stale-removed``)
  when their content is still what was recorded, and directories left empty by that removal
  with them; a file changed since is left alone (``stale-not-removed``).  Nothing else is ever
  deleted.
* One run at a time: :class:`OutputLock` holds an exclusive lock on the output directory for the
  whole run (``flock``; released by the system when the process ends, however it ends).  A
  second run into the same directory refuses at once (``output-locked``, exit 2).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import weakref
from collections.abc import Iterator
from pathlib import Path

from ..model import Problem
from ..plan.store import KeySet
from .manifest import MANIFEST
from .writer import SafeRoot, UnsafePath, atomic_write, atomic_write_chunks

try:
    import fcntl
except ImportError:  # no flock (Windows): runs are not locked against each other
    fcntl = None  # type: ignore[assignment]

JOURNAL = ".migrator-journal"
#: Temporary files of ours (atomic_write, media downloads) left by a killed run.
_OUR_TEMP = re.compile(r"^\.migrator-[A-Za-z0-9_]+\.tmp$|^\..+\.[0-9a-f]{12}\.part$")
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


class OutputRefused(Exception):
    """The output directory is not ours to write into."""


class OutputLocked(OutputRefused):
    """Another run is writing into the output directory."""


class OutputConflict(Exception):
    """A file we would write exists and was not created by us."""


def digest(data: bytes) -> str:
    """The content hash recorded for a file we write."""
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    """The content hash of a regular file (never through a symlink), or None."""
    try:
        if path.is_symlink() or not path.is_file():
            return None
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except OSError:
        return None


def is_ours(manifest: object) -> bool:
    return isinstance(manifest, dict) and str(manifest.get("generator", "")).startswith("migrator")


def owned_files(manifest: object) -> set[str]:
    """Paths an earlier run's manifest lists (``files``; older manifests: the documents' and
    media's paths).  A listing proves nothing by itself: see :func:`recorded_digests`."""
    if not is_ours(manifest):
        return set()
    assert isinstance(manifest, dict)
    files = manifest.get("files")
    if isinstance(files, list):
        return {f for f in files if isinstance(f, str) and f}
    found: set[str] = set()
    for key in ("documents", "media", "media_files"):
        for record in manifest.get(key) or []:
            if isinstance(record, dict) and isinstance(record.get("path"), str) and record["path"]:
                found.add(record["path"])
    return found


def recorded_digests(manifest: object) -> dict[str, set[str]]:
    """Path -> the content hashes an earlier run recorded for it (``file_hashes``)."""
    if not is_ours(manifest):
        return {}
    assert isinstance(manifest, dict)
    hashes = manifest.get("file_hashes")
    if not isinstance(hashes, dict):
        return {}
    return {
        rel: {value}
        for rel, value in hashes.items()
        if isinstance(rel, str) and rel and isinstance(value, str) and _DIGEST.match(value)
    }


class OutputLock:
    """An exclusive lock on the output directory for one run (created when missing; removed
    again on :meth:`release` if this run created it and left it empty)."""

    def __init__(self, out: Path):
        self.out = out
        self.fd: int | None = None
        if out.exists() and not out.is_dir():
            raise OutputRefused(f"{out} exists and is not a directory")
        self.created = not out.exists()
        out.mkdir(parents=True, exist_ok=True)
        if fcntl is None:
            return
        try:
            self.fd = os.open(out, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError:
            return  # a directory that cannot be opened: run unlocked, as without flock
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self.fd)
            self.fd = None
            raise OutputLocked(
                f"another migrator run is writing into {out}; wait for it to finish "
                "(two runs into one directory would mix their files)"
            ) from None
        except OSError:  # a file system without flock (some network mounts): run unlocked
            pass

    def release(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None
        if self.created:
            with contextlib.suppress(OSError):
                self.out.rmdir()  # only when nothing was written


class Ownership:
    """The files of this run and of earlier ones in one output directory."""

    def __init__(self, out: Path, previous: dict | None, force: bool = False, written: KeySet | None = None):
        """``written`` (empty): where to record the paths this run writes and their hashes, on
        disk so that memory does not grow with the export (default: a dict in memory)."""
        self.out = out
        self._paths = SafeRoot(out)  # where each file goes, checked for symlinks (per run)
        self._written = written.map if written is not None else {}  # path -> hash ("" pending)
        self.problems: list[Problem] = []
        self._journal_file: _Appender | None = None  # opened at the first line written
        if (out / JOURNAL).is_symlink():  # never read or appended to through a link (--force or not)
            raise OutputRefused(
                f"{out / JOURNAL} is a symbolic link; migrator writes no file through a link (remove it and run again)"
            )
        journal = self._journal_lines()
        manifest_path = out / MANIFEST
        ours = is_ours(previous) or bool(journal) or (out / JOURNAL).is_file()
        if out.exists() and not out.is_dir():
            raise OutputRefused(f"{out} exists and is not a directory")
        if out.is_dir() and any(out.iterdir()) and not ours and not force:
            raise OutputRefused(
                f"{out} is not empty and holds no manifest of migrator; "
                "choose an empty directory or use --force (files not created by migrator "
                "are never touched)"
            )
        #: path -> every hash a run of ours recorded for it (the last manifest, the journal)
        self.recorded = recorded_digests(previous)
        for rel, value in journal:
            if value:
                self.recorded.setdefault(rel, set()).add(value)
        self.manifest_ours = is_ours(previous) or not manifest_path.exists()
        out.mkdir(parents=True, exist_ok=True)
        self._remove_our_temp_files()

    @property
    def written(self):
        """The paths this run wrote (or keeps), with their hashes."""
        return self._written

    # -- proving ownership ---------------------------------------------------------------------
    def _ours_on_disk(self, rel: str, target: Path, data: bytes | None = None) -> str | None:
        """The hash of the file at ``target`` when it is ours to replace: its bytes hash to a
        recorded value, or are exactly ``data``.  None when it is not (or not a plain file)."""
        known = self.recorded.get(rel)
        mine = self._written.get(rel)
        if not known and not mine and data is None:
            return None
        current = file_digest(target)
        if current is None:
            return None
        if (known and current in known) or current == mine or (data is not None and current == digest(data)):
            return current
        return None

    def may_write(self, rel: str, data: bytes | None = None) -> bool:
        """True if ``rel`` is free, a file of this run, or a file whose content proves it ours."""
        try:
            target = self._paths.resolve(rel)
        except UnsafePath:
            return False
        if rel == MANIFEST:
            return self.manifest_ours or not os.path.lexists(target)
        if rel in self._written or not os.path.lexists(target):
            return True
        return self._ours_on_disk(rel, target, data) is not None

    def claim(self, rel: str, data: bytes | None = None) -> Path:
        """The path to write ``rel`` at, recorded as ours first (with the hash of ``data``, or of
        the file already there when it is ours); raises OutputConflict/UnsafePath.  A claim
        without data for a file yet to be written is completed by :meth:`record`."""
        return self._claim(rel, data)[0]

    def _claim(self, rel: str, data: bytes | None) -> tuple[Path, str | None, bool]:
        """:meth:`claim`, the hash of the file found there (None: none read), and whether
        nothing was there when it was looked at (only for a path new to this run)."""
        target, there = self._paths.look(rel)
        value = digest(data) if data is not None else ""
        current = None
        absent = False
        if rel not in self._written:
            absent = not there
            if there:
                current = self._ours_on_disk(rel, target, data)
                if current is None:
                    raise OutputConflict(
                        f"{rel} exists and was not created by migrator (or was changed since); left alone"
                    )
                value = value or current
            self._journal(rel, value)
            self._written[rel] = value
        elif value and self._written.get(rel) != value:
            self._journal(rel, value)
            self._written[rel] = value
        return target, current, absent

    def write_chunks(self, rel: str, chunks) -> bool:
        """:meth:`write` for a text made piece by piece (streamed to a temporary file first: its
        hash is journalled, and a file already there checked, before anything is replaced)."""
        target = self._paths.resolve(rel)

        def check(value: str) -> None:
            if rel not in self._written and os.path.lexists(target):
                known = self.recorded.get(rel, set())
                current = file_digest(target)
                if current is None or (current not in known and current != value):
                    raise OutputConflict(
                        f"{rel} exists and was not created by migrator (or was changed since); left alone"
                    )
            if self._written.get(rel) != value:
                self._journal(rel, value)
                self._written[rel] = value

        return atomic_write_chunks(target, chunks, check)

    def keep_existing(self, rel: str, data: bytes | None = None) -> bool:
        """Take the file already at ``rel`` as this run's without rewriting it (a configuration
        file the user may have edited), when its content proves it ours or is exactly ``data``;
        returns whether it was taken."""
        try:
            target = self._paths.resolve(rel)
        except UnsafePath:
            return False
        current = self._ours_on_disk(rel, target, data)
        if current is None:
            return False
        if self._written.get(rel) != current:
            self._journal(rel, current)
            self._written[rel] = current
        return True

    def record(self, rel: str) -> None:
        """``rel`` (claimed) has been written by someone else (a download, a streamed file):
        record the hash of what is on disk now."""
        value = file_digest(self._paths.resolve(rel))
        if value is not None and self._written.get(rel) != value:
            self._journal(rel, value)
            self._written[rel] = value

    def adopt(self, rel: str, value: str = "") -> None:
        """``rel`` was written for this run by a worker process (which journalled it first)."""
        if value or rel not in self._written:
            self._written[rel] = value

    def keep(self, rel: str) -> None:
        """This run did not produce ``rel`` (its item failed) but must not remove an earlier copy."""
        if rel in self.recorded and rel not in self._written:
            with contextlib.suppress(UnsafePath):
                current = self._ours_on_disk(rel, self._paths.resolve(rel))
                if current is not None:
                    self._written[rel] = current

    def write(self, rel: str, data: bytes) -> bool:
        """Write a file of ours atomically (unchanged content: left alone, mtime kept)."""
        target, current, absent = self._claim(rel, data)
        if current is not None:  # the file there was read and hashed already
            return current != self._written.get(rel) and atomic_write(target, data, compare=False)
        return atomic_write(target, data, compare=not absent)  # nothing there a moment ago: nothing to compare

    # -- finishing -----------------------------------------------------------------------------
    def remove_stale(self) -> list[Problem]:
        """Remove files of earlier runs this run did not produce, when their content is still
        what was recorded; return what was done."""
        done: list[Problem] = []
        for rel in sorted(self.recorded):
            if rel in (MANIFEST, JOURNAL) or rel in self._written:
                continue
            try:
                path = self._paths.resolve(rel)
            except UnsafePath:
                continue
            if path.is_symlink() or not path.is_file():
                continue
            if self._ours_on_disk(rel, path) is None:
                done.append(
                    Problem(
                        "warning",
                        "stale-not-removed",
                        f"{rel}: produced by an earlier run but changed since (or not migrator's); left alone",
                    )
                )
                continue
            try:
                path.unlink()
            except OSError as exc:
                done.append(Problem("warning", "stale-not-removed", f"{rel}: {exc.strerror or exc}"))
                continue
            done.append(Problem("info", "stale-removed", f"{rel}: produced by an earlier run, not by this one"))
            self._remove_empty_parents(path)
        return done

    def files(self) -> Iterator[str]:
        """Every file this run produced, sorted (for the manifest's ``files``)."""
        return (rel for rel, _ in self._items())

    def hashes(self) -> Iterator[tuple[str, str]]:
        """(path, content hash) of every file this run produced, sorted by path (for the
        manifest's ``file_hashes``; a file that was never written, a failed download, has none)."""
        return ((rel, value) for rel, value in self._items() if value)

    def _items(self) -> Iterator[tuple[str, str]]:
        items = self._written.items() if not isinstance(self._written, dict) else sorted(self._written.items())
        return ((rel, value) for rel, value in items if rel not in (MANIFEST, JOURNAL))

    def detach(self) -> None:
        """In a forked worker process: record this process's writes in memory (the parent
        adopts them, :meth:`adopt`); the run's on-disk record is the parent's to write."""
        self._written = {}

    def take(self) -> dict[str, str]:
        """In a worker: the paths (and hashes) written since the last call, forgotten here."""
        taken = dict(self._written) if isinstance(self._written, dict) else {}
        if isinstance(self._written, dict):
            self._written.clear()
        return taken

    def finish(self) -> None:
        """The manifest is written: the journal is no longer needed."""
        if self._journal_file is not None:
            self._journal_file.close()
            self._journal_file = None
        try:
            (self.out / JOURNAL).unlink()
        except OSError:
            pass

    # -- helpers -------------------------------------------------------------------------------
    def _journal(self, rel: str, value: str) -> None:
        """Append one line to the journal: written through at once (no buffer), by one
        descriptor per process that stays open until :meth:`finish`."""
        line = (f"{rel}\t{value}\n" if value else rel + "\n").encode("utf-8")
        journal = self._journal_file
        if journal is None or journal.pid != os.getpid():  # the first line, or a forked worker's
            journal = self._journal_file = _Appender(self.out / JOURNAL)
        journal.write(line)

    def _journal_lines(self) -> list[tuple[str, str]]:
        try:
            text = (self.out / JOURNAL).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return []
        out = []
        for line in text.splitlines():
            rel, tab, value = line.rpartition("\t")
            if not tab:
                rel, value = line, ""
            if rel:
                out.append((rel, value if _DIGEST.match(value) else ""))
        return out

    def _remove_our_temp_files(self) -> None:
        for path in self.out.rglob(".*"):
            if _OUR_TEMP.match(path.name) and path.is_file() and not path.is_symlink():
                try:
                    path.unlink()
                except OSError:
                    pass

    def _remove_empty_parents(self, path: Path) -> None:
        root = self.out.resolve()
        parent = path.parent
        while parent != root and root in parent.parents:
            try:
                parent.rmdir()  # only succeeds when empty
            except OSError:
                return
            parent = parent.parent


class _Appender:
    """A file opened for appending whole lines, each written through at once (no buffer), by the
    process that opened it; closed by :meth:`close` or when no longer referenced."""

    def __init__(self, path: Path):
        self.pid = os.getpid()
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        self.fd = os.open(path, flags, 0o666)
        self._closer = weakref.finalize(self, _close_quietly, self.fd)

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view) :]

    def close(self) -> None:
        self._closer()


def _close_quietly(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)
