"""Code placeholders: code shortcodes taken out of the text while the other filters run.

SyntaxHighlighter-style code shortcodes (``[php]...[/php]``, registered with ``code=True``) are
swapped for ``<pre>`` placeholders first, so wpautop (which leaves ``<pre>`` alone), auto-embeds
and the other shortcodes never touch the code, and put back last.
"""

from __future__ import annotations

import re

from ..context import Context
from .grammar import names_in, parse_atts, shortcode_regex
from .registry import ShortcodeRegistry

_PLACEHOLDER_RE = re.compile(r"<pre wp-sc-code-(\d+)></pre>")


def call_handler(registry: ShortcodeRegistry, m: re.Match, ctx: Context) -> str | None:
    """What the handler of the shortcode ``m`` (a :func:`~.grammar.shortcode_regex` match)
    returns; ``None`` when it has no handler or the handler raised (reported as
    ``shortcode-failed``: the shortcode stays as it is)."""
    name = m.group(2)
    handler = registry.get(name)
    if handler is None:
        return None
    try:
        return handler(parse_atts(m.group(3)), m.group(5), ctx)
    except Exception as exc:  # a handler bug must not lose the document
        ctx.report("shortcode-failed", f"[{name}] left as is: {type(exc).__name__}: {exc}", "warning")
        return None


def protect_code_shortcodes(
    text: str,
    ctx: Context,
    registry: ShortcodeRegistry,
    *,
    render: bool = True,
    names: tuple[str, ...] | None = None,
) -> tuple[str, list[str]]:
    """Swap code shortcodes for ``<pre>`` placeholders so wpautop/autoembed/do_shortcodes leave
    their content alone (as SyntaxHighlighter does).  The saved pieces are the rendered HTML
    (``render=True``) or the shortcode verbatim.  Restore with :func:`restore_code_shortcodes`."""
    if names is None:
        names = names_in(text, registry.code_names())
    if not names:
        return text, []
    saved: list[str] = []

    def swap(m: re.Match) -> str:
        if m.group(1) == "[" and m.group(6) == "]":
            return m.group(0)
        piece = call_handler(registry, m, ctx) if render else None
        if render and piece is None and m.group(5) is None:
            return m.group(0)  # no closing tag, so no code (``[text](https://…)``): text in its line
        saved.append(m.group(0) if piece is None else piece)
        return f"<pre wp-sc-code-{len(saved) - 1}></pre>"

    return shortcode_regex(names).sub(swap, text), saved


def restore_code_shortcodes(text: str, saved: list[str]) -> str:
    """Put back what :func:`protect_code_shortcodes` took out."""
    if not saved:
        return text
    return _PLACEHOLDER_RE.sub(lambda m: saved[int(m.group(1))], text)
