"""Lists: ``-`` bullets and numbers with 4-space nesting (read the same by CommonMark and
Python-Markdown), tight or loose as the HTML was, adjacent lists kept apart.

- **Tight or loose.** A list is loose (blank lines between its items, paragraphs in its items)
  when one of its items holds a paragraph (``<li><p>``), as markdown-it-py and every CommonMark
  renderer write a loose list; otherwise it is tight: no blank line between items, and none
  between the blocks of an item where CommonMark allows none (a paragraph and a following
  block quote, code block, heading or list). Two paragraphs of a tight item are joined by a
  hard line break (what a browser shows for ``<li>a<div>b</div></li>``).
- **Adjacent lists.** ``</ul><ul>`` is two lists in HTML but one in Markdown unless the marker
  changes: the second of two adjacent lists gets ``*`` (``)`` for numbered lists), the third
  ``-`` again, and so on.
- **Item content** is indented by four columns (or the marker's width); when an item starts with
  a block that counts columns (a code fence, a nested list), the marker is padded to that width
  so the block's content column is the indentation of the lines after it.
- ``<ol reversed>`` cannot be said in Markdown (numbers always count up): it stays HTML.
"""

from __future__ import annotations

from collections.abc import Callable

import re
from typing import Any

from .escaping import finish_block
from .html import sanitize_html
from .nodes import Node, Text, detach, get_text, is_tag, parent_of, prev_sibling, replace_with

_LISTS = ("ul", "ol")
#: Containers whose first or last block is, in Markdown, the block before or after their siblings.
_TRANSPARENT = frozenset(
    {"div", "section", "article", "main", "header", "footer", "aside", "nav", "center", "span", "figure"}
)
_FENCE_START = re.compile(r"(?:`{3,}|~{3,})")
_LIST_START = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
# A line that a paragraph's next line cannot continue lazily: the block ends there by itself.
_CLOSED_LINE = re.compile(r"(?:#{1,6}(?:[ \t]|$)|(?:`{3,}|~{3,})\s*$|\*\*\*\s*$)")
_HTML_START = re.compile(r"<[A-Za-z/!?]")
# A first line that may interrupt a paragraph with no blank line before it.
_INTERRUPTS = re.compile(r"(?:>|#{1,6}(?:[ \t]|$)|`{3,}|~{3,}|[-*+][ \t]|1[.)][ \t]|\*\*\*\s*$)")


def is_loose(lst: Any) -> bool:
    """True when an item of ``lst`` holds a paragraph of its own (``<li><p>``)."""
    for li in lst.iterchildren("li"):
        for child in li.iterchildren("p"):
            if get_text(child).strip() or has_descendant_tag(child):
                return True
    return False


def has_descendant_tag(el: Any) -> bool:
    return any(isinstance(d.tag, str) for d in el.iterdescendants())


def _meaningful(node: Node) -> bool:
    if type(node) is Text:
        return bool(node.value.strip())
    return is_tag(node)


def _last_block(node: Node) -> Any:
    """The list that ends ``node`` in the Markdown (``node`` itself or its last block, through
    transparent containers), or None."""
    while is_tag(node):
        if node.tag in _LISTS:
            return node
        if node.tag not in _TRANSPARENT:
            return None
        node = _last_meaningful(node)
    return None


def _last_meaningful(el: Any) -> Node | None:
    for child in reversed(el):
        if child.tail and child.tail.strip():
            return Text(child, True, child.tail)
        if isinstance(child.tag, str):
            return child
    if el.text and el.text.strip():
        return Text(el, False, el.text)
    return None


def previous_list(lst: Any) -> Any:
    """The list of the same kind that ends right before ``lst`` in the Markdown, or None."""
    node = lst
    while node is not None:
        prev = prev_sibling(node)
        while prev is not None and not _meaningful(prev):
            prev = prev_sibling(prev)
        if prev is not None:
            found = _last_block(prev)
            return found if found is not None and found.tag == lst.tag else None
        parent = parent_of(node)
        node = parent if parent is not None and parent.tag in _TRANSPARENT else None
    return None


def join_item(strings: list[str], tight: bool) -> str:
    """Join the converted children of an ``<li>`` where block results meet: for a loose list
    as everywhere (at most one blank line), for a tight list with no blank line wherever
    CommonMark allows none; in both, never so that a paragraph runs on into the block before
    it (text after a nested list or a block quote)."""
    out: list[str] = []
    block = 0  # where in ``out`` the current block starts
    pending = 0  # newlines waiting between the text so far and the next child
    for text in strings:
        content = text.strip("\n")
        if not content:
            pending = max(pending, min(2, len(text)))
            continue
        lead = len(text) - len(text.lstrip("\n"))
        newlines = min(2, max(pending, lead))
        if out and newlines:
            sep = _separator(_end_kind("".join(out[block:])), content.split("\n", 1)[0])
            if not tight:
                sep = "\n\n" if sep != "\n" or newlines == 2 else "\n"
            out.append(sep)
            block = len(out)
        out.append(content)
        pending = len(text) - len(text.rstrip("\n"))
    return "".join(out)


def _end_kind(before: str) -> str:
    """What Markdown block ends ``before``: closed (a heading, fence or rule: nothing runs on
    into it), quote, list, table, html or para."""
    last = before.rsplit("\n", 1)[-1].lstrip(" ")
    if _CLOSED_LINE.match(last):
        return "closed"
    first = before.rsplit("\n\n", 1)[-1].split("\n", 1)[0].lstrip(" ")
    if first.startswith(">"):
        return "quote"
    if _LIST_START.match(first):
        return "list"
    if first.startswith("|"):
        return "table"
    if _HTML_START.match(first):  # an HTML block (a lone "<" is text)
        return "html"
    return "para"


def _separator(end: str, first: str) -> str:
    """What goes between two blocks of a tight item (``end``: the kind of block before,
    ``first``: the next block's first line): a newline where the next block starts by itself,
    a hard line break between two paragraphs, else a blank line (unavoidable)."""
    if end == "closed":
        return "\n"
    interrupts = _INTERRUPTS.match(first) is not None
    if end == "para":
        if interrupts:
            return "\n"
        return "\n\n" if first.startswith(("|", "<")) or _LIST_START.match(first) else "\\\n"
    if end in ("quote", "list") and interrupts and not (end == "quote" and first.startswith(">")):
        return "\n"
    return "\n\n"


class ListConverter:
    """``<ul>``, ``<ol>`` and ``<li>``."""

    _list_markers: dict[Any, str]
    _loose_lists: dict[Any, bool]
    _warn: Callable[[str, str], None]

    def convert_list(self, el, text, parent_tags):
        text = text.strip("\n")
        if not text:
            return ""
        if "li" in parent_tags:
            return "\n" + text + "\n"  # nested: attached to the item's text (tight)
        return "\n\n" + text + "\n\n"

    convert_ul = convert_ol = convert_list

    def list_marker(self, lst: Any) -> str:
        """``-`` or ``*`` for a bullet list, ``.`` or ``)`` for a numbered one: the other one
        than the list right before it (so the two stay two lists)."""
        markers = self._list_markers
        if lst not in markers:
            pair = ("-", "*") if lst.tag == "ul" else (".", ")")
            prev = previous_list(lst)
            prev_marker = markers.get(prev) if prev is not None else None
            markers[lst] = pair[1] if prev_marker == pair[0] else pair[0]
        return markers[lst]

    def list_is_loose(self, lst: Any) -> bool:
        loose = self._loose_lists
        if lst not in loose:
            loose[lst] = is_loose(lst)
        return loose[lst]

    def convert_li(self, el, text, parent_tags):
        text = finish_block(text)
        parent = el.getparent()
        in_list = parent is not None and parent.tag in _LISTS
        loose = in_list and self.list_is_loose(parent)
        if parent is not None and parent.tag == "ol":
            start = str(parent.get("start") or "1").strip()
            start_n = int(start) if start.isdigit() else 1
            index = sum(1 for _ in el.itersiblings("li", preceding=True))
            bullet = f"{start_n + index}{self.list_marker(parent)} "
        else:
            bullet = (self.list_marker(parent) if in_list else "-") + " "
        end = "\n\n" if loose else "\n"
        if not text:
            return bullet.rstrip() + end
        indent = " " * max(4, len(bullet))
        lines = text.split("\n")
        if _FENCE_START.match(lines[0]) or _LIST_START.match(lines[0]):
            bullet = bullet.ljust(len(indent))  # the block's content column is the indentation
        out = [bullet + lines[0]]
        out += [(indent + line) if line else "" for line in lines[1:]]
        return "\n".join(out) + end

    def convert_reversed_list(self, el: Any, parent_tags) -> str:
        """``<ol reversed>``: kept as HTML (Markdown numbers always count up)."""
        self._warn("kept-as-html", "<ol reversed> kept as raw HTML (Markdown lists count up)")
        html = sanitize_html(el)
        return html.replace("\n", " ") if "_inline" in parent_tags else f"\n\n{html}\n\n"


def nest_stray_lists(lists: list[Any]) -> None:
    """A list directly inside a list (invalid, common in old posts) belongs to the item before it,
    as browsers show it."""
    for lst in lists:
        parent = lst.getparent()
        if parent is None or parent.tag not in ("ul", "ol"):
            continue
        prev = lst.getprevious()
        while prev is not None and not isinstance(prev.tag, str):
            prev = prev.getprevious()
        if prev is not None and prev.tag == "li":
            detach(lst)
            prev.append(lst)
        else:
            li = lst.makeelement("li", {})
            replace_with(lst, li)
            li.append(lst)
