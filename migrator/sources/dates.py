"""Dates as WordPress sources write them, for every reader.

Three grammars, one module:

* **Database dates** (WXR ``wp:post_date`` + ``wp:post_date_gmt``, the REST API's ``date`` +
  ``date_gmt``): :func:`parse_wp_date` gives an aware datetime whose offset is the difference of
  the two.
* **Machine-readable dates** on pages (``<time datetime>``, ``article:published_time``,
  JSON-LD ``datePublished``): :func:`parse_machine_date` reads ISO 8601 and keeps exactly what
  it says -- an offset when there is one, a plain :class:`~datetime.date` when there is no time.
* **Dates people read** ("July 4, 2024", "4. Juli 2024", "04.07.2024", "July 4, 2024 at
  8:22 pm"): :func:`find_day` finds the first day named in a text (with where it is, so a
  line-oriented reader can judge what surrounds it), :func:`find_clock` a time of day, and
  :func:`parse_human_date` combines them: a day alone is a plain ``date`` (no made-up midnight),
  a day with a clock a naive datetime (the page does not say the offset).

Month names come from one table (:data:`MONTHS`), and the pieces of a date are checked in one
place (:func:`month_number`, :func:`valid_day`, :func:`numeric_day`, :func:`clock_value`).  A
reader with its own conventions builds on them: the text-scrape reader
(``sources/text/dates.py``) finds every date of a line with its position, glued to the words
around it as copied text glues them, with the same months, days, numeric order and clocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from ..urls import urlsplit

# --------------------------------------------------------------------------------------------
# Database dates (WXR, REST API)


def parse_wp_date(local: str, gmt: str = "") -> datetime | None:
    """``post_date`` (site-local) + ``post_date_gmt`` -> an aware datetime with the right offset.

    ``0000-00-00 00:00:00`` means unknown.  Without a usable GMT date the result is naive.
    """
    local_dt = _parse_plain(local)
    if local_dt is None:
        return _parse_plain(gmt, utc=True)
    gmt_dt = _parse_plain(gmt)
    if gmt_dt is None:
        return local_dt
    minutes = round((local_dt - gmt_dt).total_seconds() / 60)
    if abs(minutes) > 18 * 60:  # not a real UTC offset: the dates disagree
        return local_dt
    return local_dt.replace(tzinfo=timezone(timedelta(minutes=minutes)))


#: The form WordPress always writes (``2024-01-31 09:05:00``); read without ``strptime``.
_WP_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)", re.ASCII)


def _parse_plain(value: str, utc: bool = False) -> datetime | None:
    value = (value or "").strip()
    if not value or value.startswith("0000-00-00"):
        return None
    parsed = _parse_wp_form(value)
    if parsed is None:
        parsed = _parse_other_forms(value)
    if parsed is None:
        return None
    return parsed.replace(tzinfo=timezone.utc) if utc else parsed


def _parse_wp_form(value: str) -> datetime | None:
    """``YYYY-MM-DD HH:MM:SS`` as a naive datetime (None if not that form or not a real date;
    ``strptime`` would then fail on it too)."""
    m = _WP_DATE.fullmatch(value)
    if m is None:
        return None
    try:
        return datetime(*map(int, m.groups()))
    except ValueError:
        return None


def _parse_other_forms(value: str) -> datetime | None:
    """The forms ``strptime`` accepts: with seconds, without, a date alone."""
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


# --------------------------------------------------------------------------------------------
# Machine-readable dates (ISO 8601)

_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?",
)


def parse_machine_date(value: str) -> datetime | date | None:
    """An ISO 8601 date as written in ``datetime`` attributes, meta tags and JSON-LD.

    ``2013-01-11T20:22:19-05:00`` -> aware datetime; ``2013-01-11T20:22:19`` -> naive datetime;
    ``2013-01-11`` -> ``date``.  Anything else -> None.
    """
    m = _ISO.search((value or "").strip())
    if not m:
        return None
    y, mo, d, hh, mm, ss, tz = m.groups()
    try:
        if hh is None:
            return date(int(y), int(mo), int(d))
        when = datetime(int(y), int(mo), int(d), int(hh), int(mm), int(ss or 0))
    except ValueError:
        return None
    if tz:
        if tz == "Z":
            return when.replace(tzinfo=timezone.utc)
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:])
        if minutes > 18 * 60:
            return None
        return when.replace(tzinfo=timezone(timedelta(minutes=sign * minutes)))
    return when


# --------------------------------------------------------------------------------------------
# Dates people read

#: Month names (full and abbreviated) of the languages WordPress sites are most often written in.
MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    # German, French, Spanish, Dutch, Italian
    "januar": 1,
    "jänner": 1,
    "februar": 2,
    "märz": 3,
    "mai": 5,
    "juni": 6,
    "juli": 7,
    "oktober": 10,
    "dezember": 12,
    "janvier": 1,
    "février": 2,
    "mars": 3,
    "avril": 4,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "enero": 1,
    "febrero": 2,
    "marzo": 3,
    "abril": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "agosto": 8,
    "septiembre": 9,
    "octubre": 10,
    "noviembre": 11,
    "diciembre": 12,
    "januari": 1,
    "februari": 2,
    "maart": 3,
    "mei": 5,
    "augustus": 8,
    "gennaio": 1,
    "febbraio": 2,
    "aprile": 4,
    "maggio": 5,
    "giugno": 6,
    "luglio": 7,
    "settembre": 9,
    "ottobre": 10,
    "dicembre": 12,
}

_WORD = r"([^\W\d_]+)"
#: "July 4, 2024", "Jul. 4th 2024"
_MDY = re.compile(_WORD + r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", re.I)
#: "4 July 2024", "4. Juli 2024", "4 de julio de 2024"
_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:de\s+)?" + _WORD + r"\.?,?\s+(?:de\s+)?(\d{4})\b", re.I)
#: "04.07.2024", "4/7/2024" (day first, as in most of the world; a first number above 12
#: settles the order the other way)
_NUMERIC = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
#: "2024-07-04" written out as text
_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_CLOCK = re.compile(r"\b(\d{1,2}):(\d{2})(?::\d{2})?\s*([ap]\.?\s?m\b\.?)?", re.I)


@dataclass(frozen=True)
class DayMatch:
    """A day named in a text, and where: ``text[start:end]``."""

    day: date
    start: int
    end: int


def valid_day(y: int, m: int, d: int) -> date | None:
    """The day, or None when there is no such day (February 30)."""
    try:
        return date(y, m, d)
    except ValueError:
        return None


def month_number(name: str) -> int | None:
    """1-12 for a month name of :data:`MONTHS` ("July", "jul", "Sept."), else None."""
    return MONTHS.get(name.rstrip(".").lower())


def numeric_day(a: int, b: int, year: int, order: str = "dmy") -> date | None:
    """The day of a numeric date "a/b/year": ``order`` ("dmy" or "mdy") decides unless a
    number above 12 settles it."""
    if order == "mdy" and a <= 12 or b > 12:
        a, b = b, a
    return valid_day(year, b, a)


def clock_value(hour: int, minute: int, meridiem: str | None = None) -> tuple[int, int] | None:
    """(hour, minute) on a 24-hour clock; ``meridiem`` ("am", "p.m.") converts a 12-hour one."""
    if meridiem:
        if hour > 12:
            return None
        hour = hour % 12 + (12 if meridiem.lower().startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def _named_month(rx: re.Pattern, value: str, month: int, day: int, year: int) -> DayMatch | None:
    """The first match of ``rx`` whose group ``month`` is a month name of :data:`MONTHS`."""
    m = rx.search(value)
    while m and m.group(month).lower() not in MONTHS:
        m = rx.search(value, m.start() + 1)
    if m is None:
        return None
    found = valid_day(int(m.group(year)), MONTHS[m.group(month).lower()], int(m.group(day)))
    return DayMatch(found, m.start(), m.end()) if found else None


def find_day(text: str, order: str = "dmy") -> DayMatch | None:
    """The first day named in ``text`` (month names of :data:`MONTHS`, ISO or numeric forms).

    ``order`` resolves ambiguous numeric dates ("03/04/2015"): ``dmy`` or ``mdy``.
    """
    value = text or ""
    found = [_named_month(_MDY, value, month=1, day=2, year=3), _named_month(_DMY, value, month=2, day=1, year=3)]
    m = _ISO_DAY.search(value)
    if m:
        day = valid_day(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        found.append(DayMatch(day, m.start(), m.end()) if day else None)
    m = _NUMERIC.search(value)
    if m:
        day = numeric_day(int(m.group(1)), int(m.group(2)), int(m.group(3)), order)
        found.append(DayMatch(day, m.start(), m.end()) if day else None)
    matches = [f for f in found if f is not None]
    return min(matches, key=lambda f: f.start) if matches else None


def find_clock(text: str) -> tuple[int, int] | None:
    """The first time of day in ``text`` as (hour, minute), 12-hour clocks converted."""
    m = _CLOCK.search(text or "")
    if not m:
        return None
    return clock_value(int(m.group(1)), int(m.group(2)), m.group(3))


def parse_human_date(text: str, order: str = "dmy") -> datetime | date | None:
    """A date as a page shows it: a day alone is a ``date``; with a clock a naive datetime."""
    found = find_day(text, order)
    if found is None:
        return None
    clock = find_clock(text[: found.start] + " " + text[found.end :])
    if clock is None:
        return found.day
    return datetime(found.day.year, found.day.month, found.day.day, *clock)


def parse_date(value: str) -> datetime | date | None:
    """ISO 8601 when the value holds it, else a date as people write it."""
    return parse_machine_date(value) or parse_human_date(value)


def date_from_url(url: str) -> date | None:
    """The day of a date-based permalink (``/2024/07/04/slug/``)."""
    m = re.search(r"/((?:19|20)\d{2})/(\d{2})/(\d{2})/", urlsplit(url).path)
    return valid_day(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def with_clock(day: date, clock_text: str) -> datetime | date:
    """``day`` at the time of day named in ``clock_text`` (a link title "8:22 pm"), if any."""
    clock = find_clock(clock_text)
    if clock is None or isinstance(day, datetime):
        return day
    return datetime(day.year, day.month, day.day, *clock)
