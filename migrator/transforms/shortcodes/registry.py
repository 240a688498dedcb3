"""The shortcode registry: name -> handler, as WordPress's ``$shortcode_tags``.

A handler is ``handler(attrs, content, ctx) -> str``: ``attrs`` maps lower-cased names (and ints
for positional values) to strings, ``content`` is ``None`` for a shortcode without a closing
tag, ``ctx`` is the document's :class:`~migrator.transforms.context.Context`.  It returns the
HTML WordPress would render on the front end, simplified so the Markdown renderer understands
it.

A registry is plain data that travels with a run (``Options.shortcode_registry``); nothing in
migrator keeps one at module level.  :func:`~migrator.transforms.shortcodes.default_registry`
builds a fresh registry of the built-in handlers to start from.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..context import Context

Attrs = dict  # dict[str | int, str]: named (lower-cased) and positional attributes
Handler = Callable[[Attrs, "str | None", Context], "str | None"]  # None: the shortcode stays as written

_BAD_NAME = re.compile(r"[<>&/\[\]\x00-\x20=]")


class ShortcodeRegistry:
    """Shortcode name -> handler, in registration order.

    The registry is also the one answer to "which shortcodes does migrator know": ``convert``
    expands exactly these names and ``validate`` reports every other shortcode-looking tag.
    """

    def __init__(
        self, handlers: dict[str, Handler] | None = None, code: frozenset[str] | set[str] = frozenset()
    ) -> None:
        self._handlers: dict[str, Handler] = dict(handlers or {})
        self._code: set[str] = set(code) & set(self._handlers)
        self._names: tuple[tuple[str, ...], tuple[str, ...]] | None = None  # (names, code names)

    def register(self, name: str, handler: Handler, *, code: bool = False) -> None:
        """Add ``name`` or replace its handler.  Names follow WordPress: no ``[]<>&/=``, spaces.

        ``code=True`` marks a code shortcode (``[php]...[/php]``): its content is taken out
        before any other filter runs (wpautop, auto-embeds, other shortcodes never touch it)
        and put back rendered, as SyntaxHighlighter does.
        """
        if not name or _BAD_NAME.search(name):
            raise ValueError(f"invalid shortcode name: {name!r}")
        self._handlers[name] = handler
        self._names = None
        if code:
            self._code.add(name)
        else:
            self._code.discard(name)

    def unregister(self, name: str) -> None:
        self._handlers.pop(name, None)
        self._code.discard(name)
        self._names = None

    def get(self, name: str) -> Handler | None:
        return self._handlers.get(name)

    def names(self) -> list[str]:
        """Every registered name, in registration order."""
        return list(self._listed()[0])

    def code_names(self) -> list[str]:
        """The names registered as code shortcodes, in registration order."""
        return list(self._listed()[1])

    def _listed(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The names and the code names, kept until the next change (asked for every document)."""
        if self._names is None:
            self._names = (tuple(self._handlers), tuple(n for n in self._handlers if n in self._code))
        return self._names

    def is_code(self, name: str) -> bool:
        return name in self._code

    def __contains__(self, name: object) -> bool:
        """Whether ``name`` is a known (registered) shortcode."""
        return name in self._handlers

    def copy(self) -> ShortcodeRegistry:
        return ShortcodeRegistry(self._handlers, self._code)
