"""Transforms: stored WordPress content -> cleaned, rendered HTML (one parse per document)."""

from __future__ import annotations

from ..htmltree import Element, parse_html
from . import interactive, rendered
from .clean import clean
from .context import Attachment, Context
from .wordpress import apply_comment_filters, apply_content_filters, apply_excerpt_filters, apply_title_filters

__all__ = [
    "Attachment",
    "Context",
    "apply_comment_filters",
    "apply_excerpt_filters",
    "apply_title_filters",
    "transform",
]


def transform(ctx: Context) -> Element:
    """Run every transform on ``ctx.doc`` and return the HTML tree (lxml's) the renderer converts."""
    html = apply_content_filters(ctx)
    root = parse_html(html)
    clean(root, ctx)
    lowered = html.lower()
    if interactive.may_hold(lowered):
        interactive.remove_interactive(root, ctx)
    if rendered.may_hold(lowered):
        rendered.readable(root, ctx)
    return root
