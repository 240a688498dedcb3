"""Writing files: atomic (temporary file + rename), never outside the output directory."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

_DRIVE = re.compile(r"^[A-Za-z]:")


class UnsafePath(ValueError):
    """A relative path that would land outside the output directory (or go through a symlink)."""


def resolve_inside(root: Path, relpath: str) -> Path:
    """``root / relpath``, refusing anything that could escape ``root``.

    Refused: absolute paths, drive letters, ``..`` segments, NUL, and any path going through a
    symlink that already exists under ``root`` (a symlink is never followed, wherever it points).
    """
    root = root.resolve()
    parts = relpath.replace("\\", "/").split("/")
    if not relpath or relpath.startswith("/") or _DRIVE.match(relpath) or "\x00" in relpath or ".." in parts:
        raise UnsafePath(f"{relpath!r} is outside the output directory")
    target = root
    for part in parts:
        if part in ("", "."):
            continue
        target = target / part
        if target.is_symlink():
            raise UnsafePath(f"{relpath!r} goes through a symlink in the output directory; not followed")
    if target == root:
        raise UnsafePath(f"{relpath!r} is the output directory itself")
    return target


def atomic_write(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically; return False (and leave it alone) when unchanged.

    The data goes to a temporary file beside ``path`` that replaces it in one rename, so an
    interrupted run (Ctrl-C, kill) never leaves a half-written file.
    """
    try:
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".migrator-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return True
