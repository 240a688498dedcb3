"""WordPress shortcodes: parsing with WordPress's own grammar and a registry of handlers."""

from __future__ import annotations

from .context import Context


def do_shortcodes(text: str, ctx: Context) -> str:
    """Expand every registered shortcode in ``text`` into HTML (placeholder: no-op)."""
    return text
