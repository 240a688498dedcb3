"""Field values of a WXR export as WordPress means them: plain-text titles and names, decoded
slugs, dates with their UTC offset."""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import unquote

_TAG_RE = re.compile(r"<[^>]*>")


def clean_text(value: str) -> str:
    """Title or term name as plain text: tags stripped, entities decoded, NFC, trimmed."""
    return unicodedata.normalize("NFC", html.unescape(_TAG_RE.sub("", value))).strip()


def decode_slug(value: str) -> str:
    """WordPress stores non-ASCII slugs percent-encoded; give them back as text (NFC)."""
    return unicodedata.normalize("NFC", unquote(value.strip()))
