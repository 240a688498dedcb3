"""The block handler table: block name -> handler, by exact name or by name prefix.

A handler is ``handler(block, renderer) -> str``: the parsed :class:`~.parser.Block` and the
:class:`BlockRenderer` rendering the document, whose methods render inner blocks and whose
``ctx`` is the document's :class:`~migrator.transforms.context.Context`.  It returns the HTML
WordPress would show for the block, simplified for the Markdown renderer.

The table is also the one answer to "which blocks does migrator know": ``convert`` renders
these and reports others (``unknown-block``, their inner HTML kept); ``validate`` warns about
the same others.  It travels with the run (``Options.block_handlers``);
:func:`~migrator.transforms.blocks.default_block_handlers` builds the built-in table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from ..context import Context
from .parser import Block

_NAME = re.compile(r"[a-z][a-z0-9_-]*/[a-z][a-z0-9_-]*")


class BlockRenderer(Protocol):
    """What a block handler may ask of the renderer of the current document."""

    ctx: Context
    #: ids of the reusable blocks being rendered, outermost first (a loop guard)
    refs: list[str]

    def content(self, block: Block) -> str:
        """The block's saved HTML with its inner blocks rendered in place (a static block)."""

    def inner(self, block: Block) -> str:
        """Only the inner blocks, rendered and joined by newlines, without the wrapper HTML."""

    def render(self, block: Block) -> str:
        """Any block, through the table (what ``content`` and ``inner`` do for each child)."""

    def document(self, text: str) -> str:
        """Block content (a whole post, a reusable block) parsed and rendered."""

    def note_dynamic(self, name: str) -> None:
        """Count a dynamic block left out (one ``dynamic-block`` report per name)."""


BlockHandler = Callable[[Block, BlockRenderer], str]


class BlockHandlers:
    """Block name -> handler: exact names first, then prefixes (``core-embed/``) in the order
    they were registered."""

    def __init__(self) -> None:
        self._exact: dict[str, BlockHandler] = {}
        self._prefixes: dict[str, BlockHandler] = {}

    def register(self, name: str, handler: BlockHandler) -> None:
        """Add ``name`` (``namespace/name``; a name without namespace is ``core/``) or replace
        its handler."""
        name = name if "/" in name else "core/" + name
        if not _NAME.fullmatch(name):
            raise ValueError(f"invalid block name: {name!r}")
        self._exact[name] = handler

    def register_prefix(self, prefix: str, handler: BlockHandler) -> None:
        """Handle every block whose name starts with ``prefix`` and is not registered by name."""
        if not prefix or not re.fullmatch(r"[a-z][a-z0-9_/-]*", prefix):
            raise ValueError(f"invalid block name prefix: {prefix!r}")
        self._prefixes[prefix] = handler

    def unregister(self, name: str) -> None:
        self._exact.pop(name if "/" in name else "core/" + name, None)
        self._prefixes.pop(name, None)

    def get(self, name: str) -> BlockHandler | None:
        """The handler of block ``name``, or ``None`` for a block migrator does not know."""
        handler = self._exact.get(name)
        if handler is None and self._prefixes:
            handler = next((h for p, h in self._prefixes.items() if name.startswith(p)), None)
        return handler

    def knows(self, name: str) -> bool:
        """Whether ``name`` is a block migrator knows (by name or by prefix)."""
        return self.get(name) is not None

    __contains__ = knows

    def names(self) -> list[str]:
        """The block names registered one by one."""
        return list(self._exact)

    def prefixes(self) -> list[str]:
        """The name prefixes registered."""
        return list(self._prefixes)

    def copy(self) -> BlockHandlers:
        other = BlockHandlers()
        other._exact = dict(self._exact)
        other._prefixes = dict(self._prefixes)
        return other
