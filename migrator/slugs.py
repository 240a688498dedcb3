"""Slugs as WordPress makes them (``sanitize_title``), shared by every reader."""

from __future__ import annotations

import html
import re
import unicodedata


def slugify(title: str) -> str:
    """A slug like WordPress's ``sanitize_title``: tags stripped, accents removed, lower case,
    words joined by hyphens.  Letters of non-Latin scripts are kept as they are (WordPress would
    percent-encode them; output file names want the letters)."""
    text = unicodedata.normalize("NFKD", html.unescape(re.sub(r"<[^>]*>", "", title)))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[\u00a0\u2013\u2014/.]", "-", text)
    text = re.sub(r"[‘’“”'\"`´]", "", text)
    text = re.sub(r"[^\w\s-]", "", text).replace("_", "-")
    text = re.sub(r"[\s-]+", "-", text)
    return unicodedata.normalize("NFC", text.strip("-"))
