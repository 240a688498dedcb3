"""Rendering parsed blocks like ``do_blocks()``, each through the handler table, into plain,
renderer-friendly HTML; blocks no handler knows keep their inner HTML and are reported.

Freeform (classic) chunks of a block document are NOT run through wpautop: ``do_blocks()``
removes wpautop from ``the_content`` as soon as the content has blocks, and the freeform parts
are emitted verbatim.
"""

from __future__ import annotations

import re
from collections import Counter

from ..context import Context
from .defaults import handlers_for
from .parser import Block, parse_blocks, raw_html
from .table import BlockHandlers

# Anything still looking like a block delimiter after parsing (e.g. "<!-- wp:Para -->").
# Unterminated ones lose just the "<!-- wp:name" part, so the text after them stays visible.
_LEFTOVER = re.compile(r"<!--\s*/?wp:[^<]*?-->|<!--\s*/?wp:[^\s<>]*")
_MAX_DEPTH = 100  # real content nests a dozen levels at most


class Renderer:
    """Renders parsed blocks for one document, collecting problems as it goes (the
    :class:`~.table.BlockRenderer` handlers are given)."""

    def __init__(self, ctx: Context, handlers: BlockHandlers) -> None:
        self.ctx = ctx
        self.handlers = handlers
        self.dynamic: Counter[str] = Counter()
        self.unknown: Counter[str] = Counter()
        self.refs: list[str] = []
        self.depth = 0
        self.too_deep = False

    def document(self, text: str) -> str:
        issues: list[str] = []
        blocks = parse_blocks(text, issues)
        for issue in issues:
            self.ctx.report("block-parse", issue, "warning")
        return "".join(self.render(b) for b in blocks)

    def finish(self) -> None:
        """One report per dynamic and per unknown block name, with its count."""
        for name in sorted(self.dynamic):
            n = self.dynamic[name]
            self.ctx.report(
                "dynamic-block",
                f"dynamic block {name} ({n}x) not rendered: its content comes from the live site",
                "info",
            )
        for name in sorted(self.unknown):
            n = self.unknown[name]
            self.ctx.report("unknown-block", f"unknown block {name} ({n}x): kept its inner HTML", "warning")

    def note_dynamic(self, name: str) -> None:
        self.dynamic[name] += 1

    def content(self, block: Block) -> str:
        """``WP_Block::render()`` for a static block: chunks with inner blocks rendered in place."""
        out: list[str] = []
        inner = iter(block.inner_blocks)
        for chunk in block.inner_content:
            if chunk is None:
                child = next(inner, None)
                if child is not None:
                    out.append(self.render(child))
            else:
                out.append(chunk)
        return "".join(out)

    def inner(self, block: Block) -> str:
        """Only the inner blocks, rendered and joined, without the wrapper HTML."""
        return "\n".join(s for s in (self.render(b).strip() for b in block.inner_blocks) if s)

    def render(self, block: Block) -> str:
        """Render one block (guarding against absurd nesting, which would exhaust the stack)."""
        if self.depth >= _MAX_DEPTH:
            if not self.too_deep:
                self.too_deep = True
                self.ctx.report(
                    "block-parse",
                    f"blocks nested deeper than {_MAX_DEPTH} levels: inner ones kept as raw HTML",
                    "warning",
                )
            return raw_html(block)
        self.depth += 1
        try:
            return self._render_one(block)
        finally:
            self.depth -= 1

    def _render_one(self, block: Block) -> str:
        name = block.name
        if name is None:
            return block.inner_html
        handler = self.handlers.get(name)
        if handler is not None:
            return handler(block, self)
        self.unknown[name] += 1
        return self.content(block)


def render_blocks(text: str, ctx: Context, handlers: BlockHandlers | None = None) -> str:
    """Render block-editor content into the HTML WordPress would show, reporting problems.

    ``handlers`` is the block handler table; by default the run's (``ctx.options``), else the
    built-in one.
    """
    renderer = Renderer(ctx, handlers if handlers is not None else handlers_for(ctx.options))
    out = renderer.document(text)
    renderer.finish()
    leftovers = _LEFTOVER.findall(out)
    if leftovers:
        ctx.report("block-parse", f"{len(leftovers)} malformed block delimiter(s) removed", "warning")
        out = _LEFTOVER.sub("", out)
    return out
