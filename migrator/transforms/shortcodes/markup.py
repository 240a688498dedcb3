"""The small pieces of HTML every family of handlers writes: escaped text, attribute values,
links, and the embed style the options ask for."""

from __future__ import annotations

import html

from ..context import Context


def esc(value: str) -> str:
    return html.escape(value, quote=True)


def attr_text(value: str) -> str:
    """Attribute values may hold entities already (``&amp;``); decode then escape once."""
    return esc(html.unescape(value))


def link(url: str, text: str | None = None) -> str:
    return f'<a href="{attr_text(url)}">{esc(html.unescape(text if text is not None else url))}</a>'


def embed_style(ctx: Context) -> str:
    """``link`` (embeds and media as links) or ``html`` (``<iframe>``, ``<audio>``, ``<video>``)."""
    return getattr(ctx.options, "embed_style", "link") or "link"
