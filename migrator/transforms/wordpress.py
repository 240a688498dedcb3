"""WordPress's ``the_content`` filter chain for stored content, in WordPress's order.

do_blocks (9) -> wpautop (10, only without block markup) -> shortcode_unautop (10)
-> do_shortcode (11).  Rendered content (scraped pages, REST API) passes through untouched.
"""

from __future__ import annotations

from .blocks import has_blocks, render_blocks
from .context import Context
from .shortcodes import do_shortcodes
from .wpautop import shortcode_unautop, wpautop


def apply_content_filters(ctx: Context) -> str:
    """Return the HTML WordPress would render for ``ctx.doc.content``."""
    text = ctx.doc.content
    if ctx.doc.content_kind != "stored":
        return text
    if has_blocks(text):
        text = render_blocks(text, ctx)
    else:
        text = wpautop(text)
    text = shortcode_unautop(text)
    return do_shortcodes(text, ctx)
