"""Blocks whose output comes from elsewhere in the post: the more and next-page markers,
footnotes (post meta), reusable blocks (``wp_block`` posts) and the shortcode block."""

from __future__ import annotations

import json

from ..wpautop import wpautop
from .dom import attr
from .parser import Block
from .table import BlockRenderer


def more(block: Block, r: BlockRenderer) -> str:
    """The ``<!--more-->`` marker WordPress splits the teaser at (the renderer keeps it)."""
    custom = block.attrs.get("customText")
    tag = f"<!--more {custom}-->" if isinstance(custom, str) and custom.strip() else "<!--more-->"
    if block.attrs.get("noTeaser"):
        tag += "\n<!--noteaser-->"
    return f"\n{tag}\n"


def nextpage(block: Block, r: BlockRenderer) -> str:
    """The ``<!--nextpage-->`` marker of a paginated post."""
    return "\n<!--nextpage-->\n"


def shortcode(block: Block, r: BlockRenderer) -> str:
    """Shortcode block: WordPress's render callback wpautop()s the text; do_shortcode runs later."""
    return wpautop(r.content(block))


def footnotes(block: Block, r: BlockRenderer) -> str:
    """Footnotes live in post meta; rendered as WordPress's ordered list with back-links."""
    raw = r.ctx.doc.meta.get("footnotes", "")
    if not raw:
        r.ctx.report("footnotes", "footnotes block without footnotes post meta", "warning")
        return ""
    try:
        notes = json.loads(raw)
    except ValueError:
        notes = None
    if not isinstance(notes, list):
        r.ctx.report("footnotes", "footnotes post meta is not a JSON list", "warning")
        return ""
    items = []
    for note in notes:
        if not isinstance(note, dict) or not isinstance(note.get("id"), str):
            continue
        nid = attr(note["id"])
        content = note.get("content") if isinstance(note.get("content"), str) else ""
        items.append(f'<li id="{nid}">{content} <a href="#{nid}-link">↩︎</a></li>')
    if not items:
        return ""
    return '<ol class="wp-block-footnotes">' + "".join(items) + "</ol>"


def reusable(block: Block, r: BlockRenderer) -> str:
    """A reusable block (``wp_block`` post) rendered in place, recursively."""
    ref = block.attrs.get("ref")
    key = str(ref) if isinstance(ref, (int, str)) and not isinstance(ref, bool) else ""
    if key not in r.ctx.reusable_blocks:
        r.ctx.report("missing-reusable-block", f"reusable block {key or '?'} is not in the export", "warning")
        return ""
    if key in r.refs:
        r.ctx.report("reusable-block-loop", f"reusable block {key} includes itself", "warning")
        return ""
    r.refs.append(key)
    try:
        return r.document(r.ctx.reusable_blocks[key])
    finally:
        r.refs.pop()
