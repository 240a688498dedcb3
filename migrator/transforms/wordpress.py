"""WordPress's ``the_content`` filter chain for stored content, in WordPress's order.

WordPress: ``[embed]`` (8) -> autoembed (8) -> do_blocks (9) -> wpautop (10, only without block
markup) -> shortcode_unautop (10) -> do_shortcode (11).

Here, in addition, SyntaxHighlighter-style code shortcodes are taken out first and put back
last, so no filter (autoembed, wpautop's ``<p>``/``<br />``, other shortcodes) touches the code.
With ``options.shortcodes == "keep"`` every shortcode stays verbatim (code still protected from
wpautop).  Rendered content (scraped pages, REST API) passes through untouched, but for a URL
alone in an embed block's wrapper, which becomes the embed as in stored content.

The shortcode registry and the block handler table are the run's (``ctx.options``; the
built-in ones when not given).
"""

from __future__ import annotations

from .blocks import has_blocks, render_blocks
from .context import Context
from .shortcodes import (
    ShortcodeRegistry,
    autoembed,
    do_shortcodes,
    embed_wrapped_urls,
    protect_code_shortcodes,
    registry_for,
    restore_code_shortcodes,
    shortcode_unautop,
)
from .wpautop import wpautop


def apply_content_filters(ctx: Context, registry: ShortcodeRegistry | None = None) -> str:
    """Return the HTML WordPress would render for ``ctx.doc.content``."""
    text = ctx.doc.content
    if ctx.doc.content_kind != "stored":
        return embed_wrapped_urls(text, ctx)
    if registry is None:
        registry = registry_for(ctx.options)
    convert = ctx.options.shortcodes != "keep"

    text, code = protect_code_shortcodes(text, ctx, registry, render=convert)
    if convert:
        text = do_shortcodes(text, ctx, registry, only=("embed",))
    text = autoembed(text, ctx)
    if has_blocks(text):
        text = render_blocks(text, ctx)
    else:
        text = wpautop(text)
    text = shortcode_unautop(text, registry.names())
    if convert:
        text = do_shortcodes(text, ctx, registry)
    return restore_code_shortcodes(text, code)
