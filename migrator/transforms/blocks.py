"""Block-editor (Gutenberg) content: block comments to plain HTML."""

from __future__ import annotations

import re

from .context import Context

_BLOCK_RE = re.compile(r"<!--\s+/?wp:[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?[\s\S]*?-->")


def has_blocks(text: str) -> bool:
    """True when the content carries block markup, exactly like WordPress's ``has_blocks()``."""
    return "<!-- wp:" in text


def render_blocks(text: str, ctx: Context) -> str:
    """Replace block comments by the HTML they stand for (placeholder: strip the comments)."""
    return _BLOCK_RE.sub("", text)
