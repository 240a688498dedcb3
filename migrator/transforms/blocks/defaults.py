"""The built-in block handlers, as a table to start from."""

from __future__ import annotations

import functools

from ...options import Options
from . import code, dynamic, layout, media, post
from .table import BlockHandler, BlockHandlers

#: (block names, handler) of every built-in handler.
BUILT_IN: tuple[tuple[tuple[str, ...], BlockHandler], ...] = (
    (layout.STATIC, layout.static),
    (layout.CONTAINERS + ("core/buttons",), layout.flatten),
    (layout.DROPPED, layout.drop),
    (("core/button",), layout.button),
    (("core/social-link",), layout.social_link),
    (("core/gallery",), media.gallery),
    (("core/embed",), media.embed),
    (("core/cover",), media.cover),
    (("core/media-text",), media.media_text),
    (("core/file",), media.file_link),
    (("core/code",) + code.CODE_PLUGINS, code.code),
    (("core/more",), post.more),
    (("core/nextpage",), post.nextpage),
    (("core/footnotes",), post.footnotes),
    (("core/block",), post.reusable),
    (("core/shortcode",), post.shortcode),
    (dynamic.DYNAMIC_CONTAINERS, dynamic.dynamic_container),
    (dynamic.DYNAMIC, dynamic.dynamic),
)
#: (name prefixes, handler): blocks not registered by name.
BUILT_IN_PREFIXES: tuple[tuple[tuple[str, ...], BlockHandler], ...] = (
    (("core-embed/",), media.embed),  # embeds before WordPress 5.6
    (dynamic.DYNAMIC_PREFIXES, dynamic.dynamic),
)


def default_block_handlers() -> BlockHandlers:
    """A new table holding every built-in block handler: static blocks, layout containers,
    media, embeds, code, post structure, dynamic blocks.  Yours to change: register, replace
    or unregister handlers, then pass it in ``Options.block_handlers``."""
    table = BlockHandlers()
    for names, handler in BUILT_IN:
        for name in names:
            table.register(name, handler)
    for prefixes, handler in BUILT_IN_PREFIXES:
        for prefix in prefixes:
            table.register_prefix(prefix, handler)
    return table


def handlers_for(options: Options) -> BlockHandlers:
    """The table a run uses: ``options.block_handlers``, else the built-in one (built once per
    process: it is only read, and building it cost more than a short document's blocks)."""
    return options.block_handlers if options.block_handlers is not None else _built_in()


@functools.cache
def _built_in() -> BlockHandlers:
    return default_block_handlers()
