"""Field values of a WXR export as WordPress means them: plain-text titles and names, decoded
slugs, dates with their UTC offset."""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote

_TAG_RE = re.compile(r"<[^>]*>")


def clean_text(value: str) -> str:
    """Title or term name as plain text: tags stripped, entities decoded, NFC, trimmed."""
    return unicodedata.normalize("NFC", html.unescape(_TAG_RE.sub("", value))).strip()


def decode_slug(value: str) -> str:
    """WordPress stores non-ASCII slugs percent-encoded; give them back as text (NFC)."""
    return unicodedata.normalize("NFC", unquote(value.strip()))


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
