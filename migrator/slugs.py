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


#: Characters a slug never keeps: C0/C1 controls and the bidirectional controls that make a
#: name read differently from what it is (``gift\u202egpj.exe`` shows as ``giftexe.jpg``).
BIDI_AND_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_slug(slug: str) -> str:
    """A slug as one safe name: no controls or bidi controls, no path separators (``/`` and
    ``\\`` join its parts with ``-``; ``.`` and ``..`` parts are dropped), no leading dot.
    A WordPress slug is one path segment; this keeps every reader's slugs so."""
    slug = unicodedata.normalize("NFC", BIDI_AND_CONTROLS.sub("", slug)).strip()
    if "/" in slug or "\\" in slug:
        slug = "-".join(part for part in re.split(r"[/\\]+", slug) if part.strip(" ."))
    return slug.lstrip(".").strip() if slug.startswith(".") else slug
