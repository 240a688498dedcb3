"""WordPress's shortcode grammar (wp-includes/shortcodes.php and formatting.php).

``get_shortcode_regex()`` / ``shortcode_parse_atts()``: only *registered* names are shortcodes,
``[[x]]`` escapes, ``[x /]`` self-closes, ``[x]...[/x]`` encloses, the same name does not nest
(different names do, when a handler expands its content).  Also ``shortcode_unautop()``, which
takes off the ``<p>`` wpautop puts around a shortcode standing alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ..wpautop import html_split
from .registry import Attrs

#: ``wp_spaces_regexp()``: whitespace as WordPress understands it in shortcode_unautop.
SPACES = r"(?:[\r\n\t ]|\xa0|&nbsp;)"

#: ``[name`` as WordPress scans for candidate names before building its regex.
TAGNAME_SCAN_RE = re.compile(r"\[([^<>&/\[\]\x00-\x20=]++)")

_ATTS_RE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
    r"""|"([^"]*)"(?:\s|$)"""
    r"""|'([^']*)'(?:\s|$)"""
    r"""|(\S+)(?:\s|$)""",
    re.ASCII,
)
_BALANCED_TAGS_RE = re.compile(r"^[^<]*+(?:<[^>]*+>[^<]*+)*+$")
_CSLASH_RE = re.compile(r"\\([0-7]{1,3}|x[0-9A-Fa-f]{1,2}|.)", re.S)
_CSLASH_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "v": "\v", "b": "\b", "f": "\f"}


def _stripcslashes(value: str) -> str:
    """PHP's ``stripcslashes()``: C-style escapes decoded, other backslashes dropped."""
    if "\\" not in value:
        return value

    def one(m: re.Match) -> str:
        s = m.group(1)
        if s[0] in "01234567":
            return chr(int(s, 8) & 0xFF)
        if s[0] == "x" and len(s) > 1:
            return chr(int(s[1:], 16))
        return _CSLASH_SIMPLE.get(s, s)

    return _CSLASH_RE.sub(one, value)


def parse_atts(text: str) -> Attrs:
    """``shortcode_parse_atts()``: ``name="v"``, ``name='v'``, ``name=v`` and positional values."""
    text = re.sub(r"[\u00a0\u200b]+", " ", text)
    atts: Attrs = {}
    position = 0
    for m in _ATTS_RE.finditer(text):
        if m.group(1):
            atts[m.group(1).lower()] = _stripcslashes(m.group(2))
        elif m.group(3):
            atts[m.group(3).lower()] = _stripcslashes(m.group(4))
        elif m.group(5):
            atts[m.group(5).lower()] = _stripcslashes(m.group(6))
        else:
            value = next((g for g in (m.group(7), m.group(8)) if g), None)
            if value is None:
                value = m.group(9) if m.group(9) is not None else ""
            atts[position] = _stripcslashes(value)
            position += 1
    for key, value in atts.items():  # reject values with unclosed HTML elements
        if "<" in value and not _BALANCED_TAGS_RE.match(value):
            atts[key] = ""
    return atts


@lru_cache(maxsize=256)
def shortcode_regex(names: tuple[str, ...]) -> re.Pattern:
    """``get_shortcode_regex()``: groups 1 ``[`` escape, 2 name, 3 attributes, 4 ``/``,
    5 content, 6 ``]`` escape."""
    tags = "|".join(re.escape(n) for n in names)
    return re.compile(
        r"\[(\[?)(" + tags + r")(?![\w-])"
        r"([^\]/]*(?:/(?!\])[^\]/]*)*?)"
        r"(?:(/)\]|\](?:([^\[]*+(?:\[(?!/\2\])[^\[]*+)*+)\[/\2\])?)"
        r"(\]?)",
        re.ASCII,
    )


def names_in(text: str, names: Iterable[str], only: Iterable[str] | None = None) -> tuple[str, ...]:
    """Those of ``names`` (in their order) that ``text`` holds as ``[name``, limited to ``only``."""
    found = set(TAGNAME_SCAN_RE.findall(text))
    allowed = None if only is None else set(only)
    return tuple(n for n in names if n in found and (allowed is None or n in allowed))


# Where a tag, comment or CDATA section of html_split() may hold a bracket: a "[" or "]" after
# a "<" with no ">" (nor "<") between, or in a comment before its "-->" (nor another "<!--");
# a CDATA section always has its "[".  Never missing one, and no character is read twice
# (each try stops at the next "<" or "<!--"); without a match the text needs no escaping.
_BRACKET_IN_TAG_RE = re.compile(r"<(?:!--(?:[^\-\[\]<]|-(?!->)|<(?!!--))*+[\[\]]|[^<>\[\]]*+[\[\]])")


def escape_brackets_in_tags(text: str) -> str:
    """Encode ``[``/``]`` inside HTML tags and comments so no shortcode spans a tag boundary
    (``do_shortcodes_in_html_tags()`` with ``$ignore_html``; undone by :func:`unescape_brackets`)."""
    if "&#9" in text:
        text = text.replace("&#91;", "&#091;").replace("&#93;", "&#093;")
    if not _BRACKET_IN_TAG_RE.search(text):
        return text
    parts = html_split(text)
    for i in range(1, len(parts), 2):
        if "[" in parts[i] or "]" in parts[i]:
            parts[i] = parts[i].replace("[", "&#91;").replace("]", "&#93;")
    return "".join(parts)


def unescape_brackets(text: str) -> str:
    return text.replace("&#91;", "[").replace("&#93;", "]") if "&#9" in text else text


def shortcode_unautop(text: str, names: Iterable[str]) -> str:
    """Remove the ``<p>`` wpautop wrapped around shortcodes standing alone.

    ``names`` are the registered shortcode names (``registry.names()``).
    """
    names = tuple(names)
    if not names or "[" not in text or "<p>" not in text:
        return text
    return _unautop_regex(names).sub(r"\1", text)


@lru_cache(maxsize=256)
def _unautop_regex(names: tuple[str, ...]) -> re.Pattern:
    """``shortcode_unautop()``'s pattern: a paragraph holding only a shortcode of ``names``."""
    tags = "|".join(re.escape(n) for n in names)
    return re.compile(
        r"<p>" + SPACES + r"*+"
        r"(\[(" + tags + r")(?![\w-])"
        r"[^\]/]*(?:/(?!\])[^\]/]*)*?"
        r"(?:/\]|\](?:[^\[]*+(?:\[(?!/\2\])[^\[]*+)*+\[/\2\])?))" + SPACES + r"*+</p>",
        re.ASCII,
    )
