"""The raw line scan of an export (``migrator validate``'s first pass): what a parser hides.

The bytes are read line by line, keeping little: characters XML forbids, text that is not UTF-8
or looks double-encoded, and each ``<item>``'s raw ``post_type`` and date fields (the reader
fills in defaults for missing ones).  Item start lines come from the bytes, not the parser, so
they stay exact on huge files.
"""

from __future__ import annotations

import bisect
import gzip
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..codes import problem as coded
from ..model import Problem
from .dates import parse_wp_date

#: Lines reported per kind of damage in one file (a file damaged throughout: its first 50 of each).
SHOWN = 50
_ITEM_START = re.compile(rb"^\s*<item[\s>]")
_POST_ID = re.compile(rb"<wp:post_id>\s*(?:<!\[CDATA\[)?\s*(\d+)")
_RAW_FIELD = re.compile(
    rb"<wp:(post_type|post_date|post_date_gmt|post_modified|post_modified_gmt)>\s*(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?\s*</wp:\1>"
)
_INVALID_CHARS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MOJIBAKE = re.compile(
    "Ã[\u0080-\u00bf]|â€[\u0080-\u00bf\u2018-\u201e\u2020-\u2026\u2122\u0153\u0161\u017e]|Â[\u00a0-\u00bf]"
)


@dataclass
class RawItem:
    """What the raw line scan saw from one ``<item>`` line to the next."""

    line: int
    id: str | None = None  # first wp:post_id
    fields: list[tuple[int, str, str]] = field(default_factory=list)  # (line, name, value)


@dataclass
class RawScan:
    """Result of the raw line scan of one file: item start lines come from the bytes, not the
    parser, so they stay exact on huge files."""

    problems: list[Problem] = field(default_factory=list)
    items: list[RawItem] = field(default_factory=list)
    wp_namespace: bool = False

    def item_at(self, line: int) -> RawItem | None:
        """The item whose lines hold ``line``."""
        i = bisect.bisect_right([it.line for it in self.items], line) - 1
        return self.items[i] if i >= 0 else None

    def lines_by_id(self) -> dict[str, int]:
        """Item line by id, for ids that occur once."""
        counts = Counter(it.id for it in self.items if it.id)
        return {it.id: it.line for it in self.items if it.id and counts[it.id] == 1}


def raw_scan(path: Path) -> RawScan:
    """Scan the bytes line by line: invalid characters, encoding damage, raw item fields."""
    scan = RawScan()
    source = str(path)
    opener = gzip.open if path.suffix == ".gz" else open
    shown: Counter[str] = Counter()  # problems reported per code (at most SHOWN each)
    number = 0

    def report(code: str, message: str) -> None:
        shown[code] += 1
        scan.problems.append(coded(code, message, source=source, line=number))

    try:
        with opener(path, "rb") as fh:
            for number, raw in enumerate(fh, start=1):
                if not scan.wp_namespace and b"wordpress.org/export/" in raw and b"xmlns:wp" in raw:
                    scan.wp_namespace = True
                m = _INVALID_CHARS.search(raw)
                if m and shown["invalid-char"] < SHOWN:
                    report("invalid-char", f"character U+{m.group()[0]:04X} is not allowed in XML 1.0")
                text = raw.decode("utf-8", errors="replace")
                if "\ufffd" in text and shown["replacement-char"] < SHOWN:
                    not_utf8 = _not_utf8(raw)
                    report(
                        "replacement-char",
                        "bytes that are not UTF-8"
                        if not_utf8
                        else "U+FFFD replacement character (text damaged before export)",
                    )
                m2 = _MOJIBAKE.search(text)
                if m2 and shown["mojibake"] < SHOWN:
                    report("mojibake", f"{m2.group()!r} looks like UTF-8 read as Latin-1/Windows-1252")
                if raw.lstrip().startswith(b"<item") and _ITEM_START.match(raw):
                    scan.items.append(RawItem(number))
                if b"<wp:post_" in raw and scan.items:
                    current = scan.items[-1]
                    m3 = _POST_ID.search(raw)
                    if m3 and current.id is None:
                        current.id = m3.group(1).decode()
                    for fm in _RAW_FIELD.finditer(raw):
                        current.fields.append((number, fm.group(1).decode(), fm.group(2).decode("utf-8", "replace")))
    except OSError:
        pass  # the reader reports unreadable files
    return scan


def _not_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def assign_items(raw: RawScan) -> None:
    """Give raw-scan problems the id of the item whose lines hold them."""
    for p in raw.problems:
        if p.line and p.id is None:
            item = raw.item_at(p.line)
            if item is not None and item.id:
                p.id = item.id


def check_raw_items(raw: RawScan, source: str) -> list[Problem]:
    """Missing ``post_type`` and dates that do not parse, from the raw fields."""
    out: list[Problem] = []
    for item in raw.items:
        types = [value for _, name, value in item.fields if name == "post_type" and value.strip()]
        if raw.wp_namespace and not types:
            out.append(
                coded(
                    "missing-type",
                    "item has no wp:post_type; it will be read as a post",
                    id=item.id,
                    source=source,
                    line=item.line,
                )
            )
        for line, name, value in item.fields:
            value = value.strip()
            if name != "post_type" and value and not value.startswith("0000-00-00") and parse_wp_date(value) is None:
                out.append(
                    coded(
                        "bad-date",
                        f"wp:{name} {value!r} is not a date (YYYY-MM-DD HH:MM:SS)",
                        id=item.id,
                        source=source,
                        line=line,
                    )
                )
    return out
