"""Block-editor (Gutenberg) content: block comments to the HTML WordPress renders.

========================  ====================================================================
``parser``                :func:`parse_blocks`, modelled on ``WP_Block_Parser``
``table``                 :class:`BlockHandlers`: block name (or prefix) -> handler
``render``                :func:`render_blocks`: ``do_blocks()`` through the table
``dom``                   lxml helpers for saved block HTML
``layout``                static blocks, layout containers, buttons, social links
``media``                 gallery, embed, cover, media & text, file
``code``                  ``core/code`` and plugins' code blocks
``post``                  more, next page, footnotes, reusable blocks, the shortcode block
``dynamic``               dynamic blocks (left out, reported)
``defaults``              :func:`default_block_handlers`: the built-in table
========================  ====================================================================

Layout containers are flattened, dynamic blocks (whose HTML only exists at request time) are
dropped and reported, embeds become links, galleries become one ``<figure>`` per image.  Only
the shortcode block is autop'ed, because its server-side render callback
(``render_block_core_shortcode``) calls ``wpautop()`` itself.

The table travels with the run, in ``Options.block_handlers`` (``None``: the built-in table).
To add or replace a block handler::

    handlers = default_block_handlers()
    handlers.register("acme/notice", lambda block, r: f"<aside>{r.content(block)}</aside>")
    migrator.convert(["export.xml"], "out", block_handlers=handlers)
"""

from __future__ import annotations

from .defaults import default_block_handlers, handlers_for
from .parser import Block, block_names, has_blocks, parse_blocks, raw_html, walk
from .render import Renderer, render_blocks
from .table import BlockHandler, BlockHandlers, BlockRenderer

__all__ = [
    "Block",
    "BlockHandler",
    "BlockHandlers",
    "BlockRenderer",
    "Renderer",
    "block_names",
    "default_block_handlers",
    "handlers_for",
    "has_blocks",
    "parse_blocks",
    "raw_html",
    "render_blocks",
    "walk",
]
