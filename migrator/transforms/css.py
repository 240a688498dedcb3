"""The URL of a CSS ``url()`` in a ``style`` attribute, as a browser reads it (CSS Syntax Level 3).

WordPress writes cover and media-text backgrounds as ``style="background-image:url(...)"``; a file
name with parentheses, quotes or spaces comes escaped (``bg\\28 1\\29.jpg``) or in a quoted
``url("a)b.jpg")``.  :func:`background_url` finds the property's first ``url()`` and returns what
the browser fetches: the string or unquoted URL token with its escapes decoded (§4.3.5, §4.3.6,
§4.3.7), or None where the browser finds no URL (a bad URL token).
"""

from __future__ import annotations

import re

_WS = " \t\n\r\f"
_HEX = "0123456789abcdefABCDEF"
#: ``background-image:`` or the ``background:`` shorthand up to its first ``url(``, in one
#: declaration (no ``;`` between).
_PROPERTY = re.compile(r"(?:^|[;{\s])background(?:-image)?\s*:[^;]*?\burl\(", re.I)


def consume_escape(text: str, i: int) -> tuple[str, int]:
    """§4.3.7: the code point of the escape whose backslash is at ``i - 1`` and the index after
    it.  One to six hex digits (and one whitespace after them) name a code point (zero, a
    surrogate or one beyond U+10FFFF: U+FFFD); any other character stands for itself; nothing
    (end of input): U+FFFD."""
    if i >= len(text):
        return "\ufffd", i
    if text[i] not in _HEX:
        return text[i], i + 1
    j = i
    while j < len(text) and j - i < 6 and text[j] in _HEX:
        j += 1
    value = int(text[i:j], 16)
    if text.startswith("\r\n", j):
        j += 2
    elif j < len(text) and text[j] in _WS:
        j += 1
    if value == 0 or 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
        return "\ufffd", j
    return chr(value), j


def _string(text: str, i: int, quote: str) -> tuple[str, int] | None:
    """§4.3.5: a string token opened by ``quote`` at ``i - 1``; None for a bad string (a newline)."""
    out: list[str] = []
    while i < len(text):
        ch = text[i]
        if ch == quote:
            return "".join(out), i + 1
        if ch == "\n" or ch == "\r" or ch == "\f":
            return None
        if ch == "\\":
            if text.startswith("\r\n", i + 1):
                i += 3  # an escaped newline continues the string
                continue
            if i + 1 < len(text) and text[i + 1] in "\n\r\f":
                i += 2
                continue
            if i + 1 >= len(text):
                i += 1
                continue
            decoded, i = consume_escape(text, i + 1)
            out.append(decoded)
            continue
        out.append(ch)
        i += 1
    return "".join(out), i  # end of input closes the string


def _unquoted(text: str, i: int) -> str | None:
    """§4.3.6: an unquoted URL token from ``i`` up to its ``)``; None for a bad URL."""
    out: list[str] = []
    while i < len(text):
        ch = text[i]
        if ch == ")":
            return "".join(out)
        if ch in _WS:
            while i < len(text) and text[i] in _WS:
                i += 1
            return "".join(out) if i >= len(text) or text[i] == ")" else None
        if ch in "\"'(" or ord(ch) < 0x09 or 0x0E <= ord(ch) < 0x20 or ord(ch) == 0x7F:
            return None
        if ch == "\\":
            if i + 1 < len(text) and text[i + 1] in "\n\r\f":
                return None  # not a valid escape
            decoded, i = consume_escape(text, i + 1)
            out.append(decoded)
            continue
        out.append(ch)
        i += 1
    return "".join(out)  # end of input closes the token


def css_url(text: str, i: int) -> str | None:
    """The URL of the ``url(`` whose argument starts at ``i``: quoted or not, escapes decoded."""
    while i < len(text) and text[i] in _WS:
        i += 1
    if i < len(text) and text[i] in "\"'":
        found = _string(text, i + 1, text[i])
        if found is None:
            return None
        url, i = found
        while i < len(text) and text[i] in _WS:
            i += 1
        return url if i >= len(text) or text[i] == ")" else None
    return _unquoted(text, i)


def background_url(style: str) -> str | None:
    """The URL of the first ``url()`` of a ``background-image`` (or ``background``) declaration
    in a ``style`` attribute, stripped; None when there is none (or the browser would find none)."""
    m = _PROPERTY.search(style)
    if m is None:
        return None
    url = css_url(style, m.end())
    return url.strip(_WS) if url and url.strip(_WS) else None
