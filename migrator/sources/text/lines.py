"""Lines of a text scrape: reading the file, normalising white space, the shape of a line.

Everything later in the reader works on :class:`Line` records (non-blank lines only, with
their 1-based number in the file and the number of blank lines before them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ...model import Problem

_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise(text: str) -> str:
    """White space collapsed, no-break spaces made plain, invisible characters dropped."""
    return " ".join(_INVISIBLE_RE.sub("", text).replace("\u00a0", " ").replace("\u202f", " ").split())


@dataclass
class Line:
    no: int  # 1-based line number in the file
    raw: str  # the line without its newline and trailing white space
    norm: str  # white space collapsed, no-break spaces made plain: what rules match against
    gap: int = 0  # blank lines before this one

    @property
    def text(self) -> str:
        """The line as content: outer white space removed, inner characters untouched."""
        return self.raw.strip(" \t\u00a0")

    @property
    def indent(self) -> int:
        return len(self.raw) - len(self.raw.lstrip(" \t"))


def decode(data: bytes, path: Path, problems: list[Problem]) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(Problem("warning", "text-encoding", "not UTF-8; decoded as Windows-1252", source=str(path)))
        return data.decode("cp1252", errors="replace")


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text``."""
    out: list[Line] = []
    gap = 0
    for no, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        raw = _INVISIBLE_RE.sub("", raw).expandtabs(4).rstrip(" \t\u00a0")
        norm = normalise(raw)
        if norm:
            out.append(Line(no, raw, norm, gap))
            gap = 0
        else:
            gap += 1
    return out


def load(path: Path, problems: list[Problem]) -> list[Line] | None:
    """The non-blank lines of the file, or None when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem("error", "text-unreadable", f"cannot read {path}: {exc}", source=str(path)))
        return None
    return split_lines(decode(data, path, problems))


# --------------------------------------------------------------------------------------------
# Shape of a line

BULLET_RE = re.compile(r"^(?P<mark>[•◦▪▫‣·●○■□☆★*+-])\s+(?P<text>\S.*)$")
NUMBER_RE = re.compile(r"^(?P<num>\d{1,3})[.)]\s+(?P<text>\S.*)$")
SUB_BULLETS = "◦○▪▫■□☆★"
SENTENCE_END_RE = re.compile(r"[.!?:;…”\"’)]$")


def words(norm: str) -> list[str]:
    return norm.split()


def is_list_item(norm: str) -> bool:
    return bool(BULLET_RE.match(norm) or NUMBER_RE.match(norm))


def unbullet(norm: str) -> str:
    """The text of a list item without its bullet (or the line itself)."""
    m = BULLET_RE.match(norm) or NUMBER_RE.match(norm)
    return m.group("text") if m else norm
