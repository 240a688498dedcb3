"""Transforms: stored WordPress content -> cleaned, rendered HTML (one parse per document)."""

from __future__ import annotations

from bs4 import BeautifulSoup

from . import interactive, rendered
from .clean import clean
from .context import Attachment, Context
from .tree import parse_html
from .wordpress import apply_comment_filters, apply_content_filters, apply_excerpt_filters, apply_title_filters

__all__ = [
    "Attachment",
    "Context",
    "apply_comment_filters",
    "apply_excerpt_filters",
    "apply_title_filters",
    "transform",
]


def transform(ctx: Context) -> BeautifulSoup:
    """Run every transform on ``ctx.doc`` and return the HTML tree the renderer converts."""
    html = apply_content_filters(ctx)
    soup = parse_html(html)
    clean(soup, ctx)
    lowered = html.lower()
    if interactive.may_hold(lowered):
        interactive.remove_interactive(soup, ctx)
    if rendered.may_hold(lowered):
        rendered.readable(soup, ctx)
    return soup
