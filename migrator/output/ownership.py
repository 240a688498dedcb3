"""Which files in the output directory are ours, and keeping it that way.

* Converting into a non-empty directory that holds no manifest (or journal) of ours is
  refused unless ``force``; even then a file we did not create is never overwritten or removed
  (``output-conflict``).
* Every file a run writes is appended to ``.migrator-journal`` *before* it is written, so an
  interrupted run still knows its files: the next run takes them as its own and completes the
  job.  The journal is removed once ``manifest.json`` (which lists every file of the run under
  ``files``) is written.
* Files an earlier run created that this run no longer produces are removed (``stale-removed``),
  and directories left empty by that removal with them.  Nothing else is ever deleted.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from ..model import Problem
from ..plan.store import KeySet
from .manifest import MANIFEST
from .writer import UnsafePath, atomic_write, resolve_inside

JOURNAL = ".migrator-journal"
#: Temporary files of ours (atomic_write, media downloads) left by a killed run.
_OUR_TEMP = re.compile(r"^\.migrator-[A-Za-z0-9_]+\.tmp$|^\..+\.[0-9a-f]{12}\.part$")


class OutputRefused(Exception):
    """The output directory is not ours to write into."""


class OutputConflict(Exception):
    """A file we would write exists and was not created by us."""


def is_ours(manifest: object) -> bool:
    return isinstance(manifest, dict) and str(manifest.get("generator", "")).startswith("migrator")


def owned_files(manifest: object) -> set[str]:
    """Files an earlier run created, from its manifest (``files``; older manifests: the
    documents' and media's paths)."""
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


class Ownership:
    """The files of this run and of earlier ones in one output directory."""

    def __init__(self, out: Path, previous: dict | None, force: bool = False,
                 written: KeySet | None = None):
        """``written`` (empty): where to record the paths this run writes, on disk so that
        memory does not grow with the export (default: a set in memory)."""
        self.out = out
        self.written: KeySet | set[str] = written if written is not None else set()
        self.problems: list[Problem] = []
        journal = self._journal_lines()
        manifest_path = out / MANIFEST
        ours = is_ours(previous) or bool(journal) or (out / JOURNAL).is_file()
        if out.exists() and not out.is_dir():
            raise OutputRefused(f"{out} exists and is not a directory")
        if out.is_dir() and any(out.iterdir()) and not ours and not force:
            raise OutputRefused(f"{out} is not empty and holds no manifest of migrator; "
                                "choose an empty directory or use --force (files not created by migrator "
                                "are never touched)")
        self.owned = owned_files(previous) | journal
        if is_ours(previous) or not manifest_path.exists():
            self.owned.add(MANIFEST)
        out.mkdir(parents=True, exist_ok=True)
        self._remove_our_temp_files()

    # -- writing -------------------------------------------------------------------------------
    def may_write(self, rel: str) -> bool:
        """True if ``rel`` is free, or a file of ours (this run or an earlier one)."""
        if rel in self.written or rel in self.owned:
            return True
        try:
            return not os.path.lexists(resolve_inside(self.out, rel))
        except UnsafePath:
            return False

    def claim(self, rel: str) -> Path:
        """The path to write ``rel`` at, recorded as ours first; raises OutputConflict/UnsafePath."""
        target = resolve_inside(self.out, rel)
        ours = rel in self.written or rel in self.owned  # as may_write(), without resolving twice
        if not ours and os.path.lexists(target):
            raise OutputConflict(f"{rel} exists and was not created by migrator; left alone")
        if not ours:
            with open(self.out / JOURNAL, "a", encoding="utf-8") as fh:  # closed (flushed) at once
                fh.write(rel + "\n")
        self.written.add(rel)
        return target

    def adopt(self, rel: str) -> None:
        """``rel`` was written for this run by a worker process (which journalled it first)."""
        self.written.add(rel)

    def keep(self, rel: str) -> None:
        """This run did not produce ``rel`` (its item failed) but must not remove an earlier copy."""
        if rel in self.owned:
            self.written.add(rel)

    def write(self, rel: str, data: bytes) -> bool:
        """Write a file of ours atomically (unchanged content: left alone, mtime kept)."""
        return atomic_write(self.claim(rel), data)

    # -- finishing -----------------------------------------------------------------------------
    def remove_stale(self) -> list[Problem]:
        """Remove files of earlier runs this run did not produce; return what was done."""
        done: list[Problem] = []
        for rel in sorted(self.owned - {MANIFEST, JOURNAL}):
            if rel in self.written:
                continue
            try:
                path = resolve_inside(self.out, rel)
            except UnsafePath:
                continue
            if path.is_symlink() or not path.is_file():
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
        ordered = self.written if isinstance(self.written, KeySet) else sorted(self.written)  # KeySet: sorted
        return (rel for rel in ordered if rel not in (MANIFEST, JOURNAL))

    def detach(self) -> None:
        """In a forked worker process: record this process's writes in memory (the parent
        adopts them, :meth:`adopt`); the run's on-disk record is the parent's to write."""
        self.written = set()

    def finish(self) -> None:
        """The manifest is written: the journal is no longer needed."""
        try:
            (self.out / JOURNAL).unlink()
        except OSError:
            pass

    # -- helpers -------------------------------------------------------------------------------
    def _journal_lines(self) -> set[str]:
        try:
            text = (self.out / JOURNAL).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return set()
        return {line for line in text.splitlines() if line}

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
