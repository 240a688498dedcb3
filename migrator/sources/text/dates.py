"""The date grammar of text scrapes: dates as themes print them, found anywhere in a line.

Built on the readers' one dates module (:mod:`migrator.sources.dates`): its month names, its
checks of a day, its numeric order and its clocks.  What is particular to copied text stays
here: *every* date of a line with its position (a line of meta holds a date between other
fields, sometimes twice), dates glued to the words around them, the time-of-day forms that
follow a date ("at", "@", a dash), and the numeric order decided once per file.  A date found
with a time of day is a naive ``datetime``; a date shown only to the day is a
``datetime.date`` -- never a made-up midnight.

Formats: "May 26, 2015", "26 May 2015", "26th of May, 2015", "2015-05-26", "26/05/2015"
(numeric order decided per file by :func:`numeric_order`), each optionally followed by a time
("at 7:07 am", ", 22:15", "@ 10:15 pm").  Dates may be glued to the words around them, as
text copied from a page often is ("Posted byadminDecember 1, 2026Posted in").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from ..dates import clock_value, month_number, numeric_day, valid_day

_MON = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
# A month name may be glued to a word before it ("adminDecember"); the checks in _glue_ok
# decide.  A year may be glued to a word after it ("2012Posted in").
_DATE_RES = [
    ("mdy", re.compile(rf"{_MON}(?![a-z])\s*{_DAY},?\s+{_YEAR}", re.I)),
    ("dmy", re.compile(rf"(?<!\d){_DAY}\s+(?:of\s+)?{_MON}(?![a-z]),?\s+{_YEAR}", re.I)),
    ("iso", re.compile(rf"(?<![\d.]){_YEAR}[-/.](?P<a>[01]?\d)[-/.](?P<b>[0-3]?\d)(?!\d|\.\d)")),
    ("num", re.compile(rf"(?<![\d.])(?P<a>[0-3]?\d)[/.-](?P<b>[0-3]?\d)[/.-]{_YEAR}")),
]
_TIME_RE = re.compile(
    r"\s*(?:,\s*)?(?:(?:at|@|-|–)\s*)?(?P<h>[0-2]?\d)[:.](?P<m>[0-5]\d)(?!\d)\s*(?P<ap>[ap]\.?\s?m\b\.?)?", re.I
)


@dataclass(frozen=True)
class DateMatch:
    """A date found in a string: its value and where it is (``start``/``end`` include the time)."""

    value: datetime | date
    start: int
    end: int

    @property
    def has_time(self) -> bool:
        return isinstance(self.value, datetime)


def _ymd(kind: str, m: re.Match, order: str) -> date | None:
    year = int(m.group("year"))
    if kind in ("mdy", "dmy"):
        return valid_day(year, month_number(m.group("mon")) or 0, int(m.group("day")))
    if kind == "iso":
        return valid_day(year, int(m.group("a")), int(m.group("b")))
    return numeric_day(int(m.group("a")), int(m.group("b")), year, order)


def _glue_ok(text: str, kind: str, m: re.Match) -> bool:
    """A date right after a letter counts only when a capitalised month name is glued to a
    lower-case word ("adminDecember 1, 2026"), never inside a word."""
    start = m.start()
    if start == 0 or not text[start - 1].isalpha():
        return True
    if kind != "mdy":
        return False
    return text[start - 1].islower() and text[start].isupper() and len(m.group("mon").rstrip(".")) > 3


def _time(text: str, pos: int) -> tuple[int, int, int] | None:
    """(hour, minute, end) of a time of day right after ``pos``."""
    t = _TIME_RE.match(text, pos)
    if not t:
        return None
    clock = clock_value(int(t.group("h")), int(t.group("m")), t.group("ap"))
    return (clock[0], clock[1], t.end()) if clock else None


def find_dates(text: str, order: str = "dmy") -> list[DateMatch]:
    """Every date in ``text``, left to right, not overlapping, with the time that follows it."""
    found: list[tuple[int, int, date]] = []
    for kind, rx in _DATE_RES:
        for m in rx.finditer(text):
            if not _glue_ok(text, kind, m):
                continue
            day = _ymd(kind, m, order)
            if day:
                found.append((m.start(), m.end(), day))
    found.sort(key=lambda f: (f[0], -f[1]))
    out: list[DateMatch] = []
    last = -1
    for start, end, day in found:
        if start < last:
            continue
        t = _time(text, end)
        value: datetime | date = day
        if t:
            value = datetime(day.year, day.month, day.day, t[0], t[1])
            end = t[2]
        out.append(DateMatch(value, start, end))
        last = end
    return out


def find_date(text: str, order: str = "dmy") -> DateMatch | None:
    """The first date in ``text``."""
    dates = find_dates(text, order)
    return dates[0] if dates else None


def numeric_order(texts: list[str]) -> str:
    """ "dmy" or "mdy" for ambiguous numeric dates ("03/04/2015"), decided by the unambiguous
    ones among ``texts`` (the lines of one file); "dmy" when nothing tells."""
    rx = _DATE_RES[3][1]
    for text in texts:
        for m in rx.finditer(text):
            a, b = int(m.group("a")), int(m.group("b"))
            if a > 12 >= b:
                return "dmy"
            if b > 12 >= a:
                return "mdy"
    return "dmy"


def day_key(value: datetime | date | None) -> str:
    """A stable text key for a date: a day-only date keys like its midnight (ids made before
    day-only dates existed stay the same)."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return value.isoformat()
