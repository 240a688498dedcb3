"""Text as Markdown text: HTML whitespace, the least escaping that keeps it literal, line starts.

Escaping is decided character by character from what CommonMark would read: ``*``, `` ` ``,
``[`` and ``]`` always; ``_`` only where a run of underscores could open or close emphasis
(never between two letters, as in ``snake_case``); ``<`` before what could be a tag, ``&`` before
what could be an entity, ``~~``; and a line start that would become a block marker.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from ..htmltree import BLOCK_ELEMENTS
from .nodes import Node, is_tag, node_string, parent_of, prev_sibling

BR = "\x00"  # placeholder for <br>, resolved per block
WS = re.compile(r"[ \t\n\r\f\v]+")  # HTML whitespace; U+00A0 is not collapsed
BLOCK_TAGS = set(BLOCK_ELEMENTS | {"body", "td", "th", "[document]", "html"})  # and the roots, and cells
# Runs of HTML whitespace other than a lone space: replacing just these by one space gives the
# same text as replacing every run (a lone space stays as it is), with far fewer matches.
_WS_RUN = re.compile(r" [ \t\n\r\f\v]+|[\t\n\r\f\v][ \t\n\r\f\v]*")


def collapse_ws(text: str) -> str:
    """Every run of HTML whitespace as one space (``WS.sub(" ", text)``, faster)."""
    return _WS_RUN.sub(" ", text)


_SPECIAL = re.compile(r"[\\`*\[\]_<&~]")
_UNDERSCORES = re.compile(r"_+")
_ESC_LT = re.compile(r"<(?=[A-Za-z/!?])")
_ESC_AMP = re.compile(r"&(?=#?\w+;)")
_ESC_TILDE = re.compile(r"~(?=~)")


def _is_space(ch: str) -> bool:
    """CommonMark's Unicode whitespace; the edge of a text (unknown) counts as whitespace."""
    return ch == "" or ch.isspace()


def _is_punct(ch: str) -> bool:
    """CommonMark's Unicode punctuation: ASCII punctuation or a P or S category character."""
    return ch != "" and unicodedata.category(ch)[0] in "PS"


def underscore_run_is_literal(before: str, after: str) -> bool:
    """True when a run of ``_`` between the characters ``before`` and ``after`` (``""``: the
    edge of the text, taken as whitespace) can neither open nor close emphasis (CommonMark's
    flanking rules), so it needs no escape."""
    left = not _is_space(after) and (not _is_punct(after) or _is_space(before) or _is_punct(before))
    right = not _is_space(before) and (not _is_punct(before) or _is_space(after) or _is_punct(after))
    can_open = left and (not right or _is_punct(before))
    can_close = right and (not left or _is_punct(after))
    return not can_open and not can_close


def _escape_underscores(text: str) -> str:
    """Escape every ``_`` of each run that could open or close emphasis, and no other."""
    if "_" not in text:
        return text
    out = []
    pos = 0
    for m in _UNDERSCORES.finditer(text):
        start, end = m.span()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if underscore_run_is_literal(before, after):
            continue
        out.append(text[pos:start])
        out.append("\\_" * (end - start))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def escape_inline(text: str) -> str:
    """Escape what would otherwise become Markdown syntax inside a line of text."""
    if not _SPECIAL.search(text):
        return text  # most text: nothing to escape
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    text = _escape_underscores(text)
    for ch in "`*[]":  # each of these escaped (a regular expression was slower)
        if ch in text:
            text = text.replace(ch, "\\" + ch)
    if "<" in text:
        text = _ESC_LT.sub(r"\\<", text)
    if "&" in text:
        text = _ESC_AMP.sub(r"\\&", text)
    if "~~" in text:
        text = _ESC_TILDE.sub(r"\\~", text)
    return text


_LINE_START = re.compile(
    r"^(?:(?P<hash>#{1,6})(?=[ \t]|$)|(?P<quote>>)|(?P<bullet>[-+])(?=[ \t]|$)"
    r"|(?P<num>\d{1,9})(?P<dot>[.)])(?=[ \t]|$)|(?P<rule>(?:=+|-{2,}|(?:\\?_\s*){3,})\s*$))"
)


def escape_line_start(text: str) -> str:
    """Escape a line start that CommonMark would read as a block marker."""
    m = _LINE_START.match(text)
    if not m:
        return text
    if m.group("num"):
        return m.group("num") + "\\" + text[len(m.group("num")) :]
    return "\\" + text


def may_need_line_start(text: str) -> bool:
    """False when :func:`escape_line_start` of ``text.lstrip(" ")`` is ``text`` itself: no
    leading space to strip and no character a block marker starts with."""
    first = text[:1]
    return first == "" or first in " #>-+=_" or first.isdecimal()


def starts_line(node: Node) -> bool:
    """True when ``node`` is the first thing on a Markdown line (block start or after <br>)."""
    while True:
        prev = prev_sibling(node)
        while prev is not None and not is_tag(prev) and not node_string(prev).strip():
            prev = prev_sibling(prev)  # whitespace, empty comments
        if prev is not None:
            return is_tag(prev) and prev.tag in BLOCK_OR_BR
        parent = parent_of(node)
        if parent is None or parent.tag in BLOCK_TAGS:
            return True
        node = parent


BLOCK_OR_BR = frozenset(BLOCK_TAGS | {"br"})


def drop_leading_space(owner: Any, tail: bool) -> bool:
    """True when the leading space of a text (``owner``'s text, or its ``tail``) is not shown:
    first in a block, after a block or a <br>."""
    if tail:  # after ``owner``
        tag = owner.tag
        return isinstance(tag, str) and tag in BLOCK_OR_BR
    return owner.tag in BLOCK_TAGS  # first in ``owner``


def drop_trailing_space(owner: Any, tail: bool) -> bool:
    """True when the trailing space of a text (``owner``'s text, or its ``tail``) is not shown:
    last in a block, before a block or a <br>."""
    if tail:
        nxt = owner.getnext()
        parent = owner.getparent() if nxt is None else None
    else:
        nxt = owner[0] if len(owner) else None
        parent = owner
    if nxt is None:
        return parent is None or parent.tag in BLOCK_TAGS
    tag = nxt.tag
    return isinstance(tag, str) and tag in BLOCK_OR_BR


_HARD_BREAK = re.compile(r"[ \t]*\x00[ \t\x00]*")


def finish_block(text: str) -> str:
    """Trim a block's text and turn inner <br> placeholders into hard breaks."""
    text = text.strip(" \t\r\n" + BR)
    if BR in text:  # most blocks have no <br>: skip the regular expression
        text = _HARD_BREAK.sub("\\\n", text)
    return text


AUTOLINK = re.compile(r"^[a-z][a-z0-9+.-]*:[^\s<>]*$", re.I)  # a URL CommonMark autolinks as <url>
ALT_SPECIAL = re.compile(r"([\\\[\]])")  # escaped in image descriptions
_NEEDS_ANGLES = re.compile(r"[\s<>]")  # a link destination holding these needs <...>


def chomp(text: str) -> tuple[str, str, str]:
    prefix = " " if text.startswith(" ") else ""
    suffix = " " if text.endswith(" ") else ""
    return prefix, suffix, text.strip()


def link_dest(url: str) -> str:
    url = url.strip()
    if _NEEDS_ANGLES.search(url) or url.count("(") != url.count(")"):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def link_title(title: str | None) -> str:
    """`` "title"`` for a link or image, or nothing."""
    return ' "%s"' % title.replace("\\", "\\\\").replace('"', '\\"') if title else ""
