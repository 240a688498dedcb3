"""WordPress's ``the_content`` filter chain for stored content, in WordPress's order.

WordPress: ``[embed]`` (8) -> autoembed (8) -> do_blocks (9) -> wptexturize (10) -> wpautop (10,
only without block markup) -> shortcode_unautop (10) -> do_shortcode (11) -> capital_P_dangit (11).

Here, in addition, SyntaxHighlighter-style code shortcodes are taken out first and put back
last, so no filter (autoembed, wpautop's ``<p>``/``<br />``, other shortcodes) touches the code.
With ``options.shortcodes == "keep"`` every shortcode stays verbatim (code still protected from
wpautop).  Rendered content (scraped pages, REST API) passes through untouched, but for a URL
alone in an embed block's wrapper, which becomes the embed as in stored content.

The shortcode registry and the block handler table are the run's (``ctx.options``; the
built-in ones when not given).
"""

from __future__ import annotations

import dataclasses

from ..model import Comment, Document
from ..options import Options
from .blocks import has_blocks, render_blocks
from .context import Context
from .excerpt import rest_excerpt
from .shortcodes import (
    ShortcodeRegistry,
    autoembed,
    do_shortcodes,
    embed_wrapped_urls,
    protect_code_shortcodes,
    registry_for,
    restore_code_shortcodes,
    shortcode_unautop,
    unknown_shortcodes,
)
from .texturize import capital_p_dangit, shortcode_tag_names, texturize_plain, wptexturize
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
    blocks = has_blocks(text)
    if blocks:
        text = render_blocks(text, ctx)
    if ctx.options.texturize:
        text = wptexturize(text, _shortcodes_kept(text, registry))
    if not blocks:
        text = wpautop(text)
    text = shortcode_unautop(text, registry.names())
    if convert:
        text = do_shortcodes(text, ctx, registry)
    if ctx.options.texturize:
        text = capital_p_dangit(text)
    return restore_code_shortcodes(text, code)


def _shortcodes_kept(text: str, registry: ShortcodeRegistry) -> set[str]:
    """The shortcodes wptexturize leaves alone: the registered ones and the unknown ones the
    text uses, which stay verbatim (docs/problems.md).  wptexturize only asks about the names
    written right after a ``[``: with all of those registered, the unknown ones need no search."""
    names = set(registry.names())
    if not shortcode_tag_names(text) <= names:
        names.update(unknown_shortcodes(text, registry))
    return names


def apply_title_filters(ctx: Context) -> str:
    """``the_title``: a stored title as WordPress shows it (wptexturize, trim, capital_P_dangit);
    rendered titles (REST API, scraped pages) are shown already.  An empty title stays empty (a
    theme's placeholder such as "Untitled" is not the post's)."""
    doc = ctx.doc
    if doc.content_kind != "stored" or not ctx.options.texturize:
        return doc.title
    return texturize_plain(doc.title)


def apply_excerpt_filters(ctx: Context, registry: ShortcodeRegistry | None = None) -> str:
    """The author's excerpt as WordPress shows it (``the_excerpt``: wptexturize; the rest of that
    chain changes no text), or "" (:mod:`.excerpt`: a REST excerpt WordPress generated)."""
    doc = ctx.doc
    if doc.extra.get("rest_excerpt"):
        return rest_excerpt(doc.excerpt, doc.content, doc.link)
    if doc.content_kind != "stored" or not ctx.options.texturize or not doc.excerpt:
        return doc.excerpt
    registry = registry if registry is not None else registry_for(ctx.options)
    return wptexturize(doc.excerpt, registry.names())


def apply_comment_filters(doc: Document, options: Options) -> list[Comment]:
    """``comment_text``: the stored comments of an export as WordPress shows them (wptexturize;
    ``wpautop`` comes with their conversion); rendered comments (REST API) are shown already."""
    if doc.content_kind != "stored" or not options.texturize or not doc.comments:
        return doc.comments
    return [dataclasses.replace(c, content=wptexturize(c.content)) if c.content else c for c in doc.comments]
