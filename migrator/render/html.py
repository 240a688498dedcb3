"""HTML kept as HTML in the Markdown: serialised with unsafe elements and attributes removed."""

from __future__ import annotations

import re

from typing import Any

from lxml import etree

from ..transforms.clean import DROPPED_ELEMENTS
from ..urls import is_dangerous_url
from .nodes import blank_run, keeps_space

_URL_ATTRS = {"href", "src", "cite"}
_SAFE_ATTRS = {
    "href",
    "src",
    "alt",
    "title",
    "colspan",
    "rowspan",
    "id",
    "class",
    "lang",
    "dir",
    "width",
    "height",
    "datetime",
    "start",
    "reversed",
    "type",
    "cite",
    "scope",
    "headers",
    "abbr",
    "controls",
    "poster",
    "preload",
    "loop",
    "muted",
    "allow",
    "allowfullscreen",
    "frameborder",
    "loading",
}


#: Removed with their content (the text after them stays).
_UNSAFE = frozenset({*DROPPED_ELEMENTS, "object", "embed", "form", "input", "button"})
#: HTML's void elements: written ``<br/>``; what a parser nested in one follows it.
_VOID = frozenset(
    "area base br col embed hr img input keygen link menuitem meta param source track wbr"
    " basefont bgsound command frame image isindex nextid spacer".split()
)
#: Attributes holding a list of words: written with single spaces between them.
_WORD_LISTS = frozenset({"class", "accesskey", "dropzone"})
_CELLS = ("td", "th")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def sanitize_html(el: Any) -> str:
    """Serialise an element kept as raw HTML, with unsafe attributes and elements removed."""
    out: list[str] = []
    parent = el.getparent()
    _write(el, out, parent is not None and keeps_space(parent))
    html = "".join(out).strip()
    return re.sub(r"\n\s*\n", "\n", html)  # a blank line would end the HTML block


def _write(el: Any, out: list[str], keep: bool) -> None:
    """``el`` (without its tail) as HTML, as BeautifulSoup writes it: attributes sorted by name,
    double-quoted, ``&``, ``<`` and ``>`` escaped, void elements as ``<br/>``; an unsafe element
    left out with its content (what a parser nested in a void one is not its content);
    whitespace-only text outside ``<pre>`` (``keep``: inside one) as one newline or space."""
    tag = el.tag
    if not isinstance(tag, str):
        out.append(f"<!--{_comment_text(el)}-->")
        return
    void = tag in _VOID
    keep_inside = keep or tag in ("pre", "textarea")
    if tag in _UNSAFE:
        if void:
            _write_content(el, out, keep_inside)
        return
    out.append("<" + tag + _attributes(el) + ("/>" if void else ">"))
    _write_content(el, out, keep_inside)
    if not void:
        out.append(f"</{tag}>")


def _write_content(el: Any, out: list[str], keep: bool) -> None:
    if el.text:
        out.append((el.text if keep else blank_run(el.text)).translate(_ESCAPES))
    for child in el:
        _write(child, out, keep)
        if child.tail:
            out.append((child.tail if keep else blank_run(child.tail)).translate(_ESCAPES))


def _comment_text(node: Any) -> str:
    if node.tag is etree.PI:
        return f"?{node.target} {node.text or ''}?"
    return node.text or ""


def _attributes(el: Any) -> str:
    parts: list[str] = []
    for name, value in sorted(el.attrib.items()):
        lower = name.lower()
        if lower in _WORD_LISTS or (lower == "headers" and el.tag in _CELLS):
            value = " ".join(value.split())
        if lower not in _SAFE_ATTRS or (lower in _URL_ATTRS and is_dangerous_url(value)):
            continue
        parts.append(" " + name + "=" + _quoted(value.translate(_ESCAPES)))
    return "".join(parts)


def _quoted(value: str) -> str:
    """An attribute value in quotes as BeautifulSoup writes it."""
    if '"' in value:
        if "'" in value:
            return '"' + value.replace('"', "&quot;") + '"'
        return "'" + value + "'"
    return '"' + value + '"'
