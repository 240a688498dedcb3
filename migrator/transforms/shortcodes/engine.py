"""``do_shortcode()``: every registered shortcode of a text expanded by its handler.

Two context variables follow an expansion down into the handlers: the registry in use (a
handler that expands its own content, as ``[caption]`` does, uses the registry its caller
used) and the depth (unknown shortcodes are reported once, by the outermost call).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextvars import ContextVar

from ..context import Context
from .grammar import escape_brackets_in_tags, names_in, shortcode_regex, unescape_brackets
from .placeholders import call_handler, protect_code_shortcodes, restore_code_shortcodes
from .registry import ShortcodeRegistry
from .unknown import report_unknown_shortcodes

_ACTIVE: ContextVar[ShortcodeRegistry | None] = ContextVar("active_shortcode_registry", default=None)
_DEPTH: ContextVar[int] = ContextVar("shortcode_depth", default=0)


def active_registry() -> ShortcodeRegistry | None:
    """The registry of the expansion running now (inside a handler), else ``None``."""
    return _ACTIVE.get()


def expand(
    text: str,
    ctx: Context,
    registry: ShortcodeRegistry | None = None,
    *,
    only: Iterable[str] | None = None,
) -> str:
    """Expand the shortcodes of ``text`` with ``registry``, or with the registry of the
    expansion running now (what a handler calls on its content).

    On the outermost call, unregistered names that look like shortcodes are reported once per
    name (``unknown-shortcode``, info).  ``only`` restricts expansion to some names (no report).
    """
    if registry is None:
        registry = _ACTIVE.get() or ctx.options.shortcode_registry
    if registry is None:
        raise LookupError("no shortcode registry: expand() runs inside an expansion; call do_shortcodes()")
    depth = _DEPTH.get()
    reg_token = _ACTIVE.set(registry)
    depth_token = _DEPTH.set(depth + 1)
    try:
        if depth == 0 and only is None:
            report_unknown_shortcodes(text, ctx, registry)
        return _expand(text, ctx, registry, only)
    finally:
        _DEPTH.reset(depth_token)
        _ACTIVE.reset(reg_token)


def _expand(text: str, ctx: Context, registry: ShortcodeRegistry, only: Iterable[str] | None) -> str:
    if "[" not in text:
        return text
    names = names_in(text, registry.names(), only)
    if not names:
        return text
    code_names = set(registry.code_names()) & set(names)
    saved: list[str] = []
    if code_names:  # code may hold "<" that would look like an unclosed tag
        text, saved = protect_code_shortcodes(text, ctx, registry, names=tuple(code_names))
    text = escape_brackets_in_tags(text)

    def call(m: re.Match) -> str:
        if m.group(1) == "[" and m.group(6) == "]":  # [[tag]] -> literal [tag]
            return m.group(0)[1:-1]
        out = call_handler(registry, m, ctx)
        return m.group(0) if out is None else m.group(1) + out + m.group(6)

    text = shortcode_regex(names).sub(call, text)
    return restore_code_shortcodes(unescape_brackets(text), saved)
