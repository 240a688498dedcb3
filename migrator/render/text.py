"""A run of the document's text as Markdown: markdownify's ``process_text`` with
CommonMark-correct escaping, on lxml's ``text``/``tail`` strings.

Most runs are words with nothing to collapse or escape and nothing a line could start with:
one regular expression search tells, and the tree is asked about a run's neighbours only
where the answer could change it.
"""

from __future__ import annotations

import re
from typing import Any

from .escaping import (
    BLOCK_OR_BR,
    drop_leading_space,
    drop_trailing_space,
    escape_inline,
    escape_line_start,
    starts_line,
)
from .nodes import Text

#: What :func:`~.escaping.collapse_ws` or :func:`~.escaping.escape_inline` could change (with
#: two spaces in a row): HTML whitespace other than a space, or a character escaping looks at.
#: (A character class alone: the regular expression engine then scans for it quickly.)
_MAY_CHANGE = re.compile(r"[\t\n\r\f\v\\`*\[\]_<&~]").search
_COLLAPSE = re.compile(r" [ \t\n\r\f\v]+|[\t\n\r\f\v][ \t\n\r\f\v]*").sub  # as collapse_ws
#: First characters of a text that a block marker may start with (escape_line_start).
_MARKER_START = frozenset(" #>-+=_")


def convert_text(owner: Any, tail: bool, text: str, parent_tags: frozenset) -> str:
    """The Markdown of ``text``: ``owner``'s tail (``tail``) or its text before its first
    child, seen inside ``parent_tags`` (``pre``: verbatim; ``_noformat``: code, nothing
    escaped; ``_inline``: a heading or table cell, one line)."""
    if "pre" in parent_tags:
        return text
    noformat = "_noformat" in parent_tags
    if "  " in text or _MAY_CHANGE(text) is not None:
        text = _COLLAPSE(" ", text)  # (an lxml tree holds no BR: no control characters)
        if not noformat and text != " ":
            text = escape_inline(text)
    if text == " ":  # whitespace between elements: shown unless at a line's edge
        if not noformat and "_inline" not in parent_tags and _starts_line(owner, tail, text):
            return ""
        return "" if drop_leading_space(owner, tail) or drop_trailing_space(owner, tail) else " "
    if not noformat:
        first = text[0]
        if "_inline" not in parent_tags and (first in _MARKER_START or first.isdecimal() or first == "\u00a0"):
            # cells and headings are one line; the tree is asked only when the text could change
            if _starts_line(owner, tail, text):
                if first != "\u00a0":
                    text = escape_line_start(text.lstrip(" "))
                if text[:1] == "\u00a0":
                    # a renderer trims a paragraph's leading no-break spaces; the entity stays
                    rest = text.lstrip("\u00a0")
                    text = "&nbsp;" * (len(text) - len(rest)) + rest
        if text[-1] == "!" and _before_link(owner, tail):
            text = text[:-1] + "\\!"  # "!" before a link would make it an image
    if text[0] == " " and drop_leading_space(owner, tail):
        text = text.lstrip(" ")
        if not text:
            return text
    if text[-1] == " " and drop_trailing_space(owner, tail):
        text = text.rstrip(" ")
    return text


def _starts_line(owner: Any, tail: bool, text: str) -> bool:
    """:func:`~.escaping.starts_line` of the text (asked of the element before it, if any)."""
    if tail:
        tag = owner.tag
        if type(tag) is str:
            return tag in BLOCK_OR_BR
    return starts_line(Text(owner, tail, text))


def _before_link(owner: Any, tail: bool) -> bool:
    """True when a link with an address follows the text."""
    if tail:
        nxt = owner.getnext()
    else:
        nxt = owner[0] if len(owner) else None
    return nxt is not None and nxt.tag == "a" and bool(nxt.get("href"))
