"""Writing files: atomic (temporary file + rename), never outside the output directory."""

from __future__ import annotations

import contextlib
import filecmp
import hashlib
import itertools
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..bounded import Bounded

_DRIVE = re.compile(r"^[A-Za-z]:")


class UnsafePath(ValueError):
    """A relative path that would land outside the output directory (or go through a symlink)."""


def resolve_inside(root: Path, relpath: str) -> Path:
    """``root / relpath``, refusing anything that could escape ``root``.

    Refused: absolute paths, drive letters, ``..`` segments, NUL, and any path going through a
    symlink that already exists under ``root`` (a symlink is never followed, wherever it points).
    """
    return SafeRoot(root).resolve(relpath)


class SafeRoot:
    """:func:`resolve_inside` for the many files of one run: the root is resolved once, and a
    folder found to be a real directory (not a symlink) is not looked at again (at most
    ``FOLDERS`` remembered); the file itself, and any folder not there yet, is looked at every time."""

    FOLDERS = 4096

    def __init__(self, root: Path):
        self.root = root
        self._resolved: Path | None = None
        self._folders: Bounded[str, None] = Bounded(self.FOLDERS)  # relative folders known to be real directories

    def resolve(self, relpath: str) -> Path:
        return self.look(relpath)[0]

    def look(self, relpath: str) -> tuple[Path, bool]:
        """:meth:`resolve`, and whether something (a file, a folder) is at that path now."""
        parts = relpath.replace("\\", "/").split("/")
        if not relpath or relpath.startswith("/") or _DRIVE.match(relpath) or "\x00" in relpath or ".." in parts:
            raise UnsafePath(f"{relpath!r} is outside the output directory")
        if self._resolved is None:
            self._resolved = self.root.resolve()
        names = [part for part in parts if part not in ("", ".")]
        if not names:
            raise UnsafePath(f"{relpath!r} is the output directory itself")
        target = os.path.join(self._resolved, *names)  # one join, not a Path per part
        last = len(names)
        exists = False
        for depth in range(1, last + 1):
            folder = "/".join(names[:depth]) if depth < last else None
            if folder is not None and folder in self._folders:
                continue
            here = os.path.join(self._resolved, *names[:depth]) if depth < last else target
            try:
                mode = os.lstat(here).st_mode
            except OSError:
                continue  # not there (yet): nothing to follow
            if stat.S_ISLNK(mode):
                raise UnsafePath(f"{relpath!r} goes through a symlink in the output directory; not followed")
            if folder is None:
                exists = True
            elif stat.S_ISDIR(mode):
                self._folders.keep(folder, None)
        return Path(target), exists


def temporary_file(folder: Path) -> tuple[int, str]:
    """A new file ``.migrator-<pid>_<n>.tmp`` in ``folder``, opened for writing (never an existing
    file, never through a symlink); ``tempfile.mkstemp`` costs far more per file."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    while True:
        name = os.path.join(folder, f".migrator-{os.getpid()}_{next(_COUNTER)}.tmp")
        try:
            return os.open(name, flags, 0o644), name
        except FileExistsError:
            continue


_COUNTER = itertools.count()


@contextlib.contextmanager
def _beside(path: Path) -> Iterator[tuple[int, str]]:
    """A new temporary file beside ``path`` (descriptor, name), removed if the block fails; its
    folder is made when it is not there yet."""
    try:
        fd, tmp = temporary_file(path.parent)
    except (FileNotFoundError, NotADirectoryError):  # the folder is missing (the first file in it)
        path.parent.mkdir(parents=True, exist_ok=True)  # (a file in its way: FileExistsError, as always)
        fd, tmp = temporary_file(path.parent)
    try:
        yield fd, tmp
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_chunks(path: Path, chunks: Iterable[str], check: Callable[[str], None] | None = None) -> bool:
    """:func:`atomic_write` for a text made piece by piece (UTF-8, ``\n`` kept as it is): the
    pieces stream into the temporary file, so memory does not grow with the file; an unchanged
    file is left alone (return False).  ``check`` is given the SHA-256 of the new content before
    anything is replaced; it may raise to leave ``path`` alone (the temporary file goes)."""
    with _beside(path) as (fd, tmp):
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                data = chunk.encode("utf-8", "surrogatepass")
                digest.update(data)
                fh.write(data)
        if check is not None:
            check(digest.hexdigest())
        if path.is_file() and filecmp.cmp(tmp, path, shallow=False):
            os.unlink(tmp)
            return False
        os.replace(tmp, path)
    return True


def atomic_write(path: Path, data: bytes, compare: bool = True) -> bool:
    """Write ``data`` to ``path`` atomically; return False (and leave it alone) when unchanged
    (``compare=False``: the caller knows it changed).

    The data goes to a temporary file beside ``path`` that replaces it in one rename, so an
    interrupted run (Ctrl-C, kill) never leaves a half-written file.
    """
    try:
        if compare and path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    with _beside(path) as (fd, tmp):
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    return True
