"""Rendered HTML -> normalised CommonMark.

Built on markdownify, with converters replaced where its defaults are wrong for CommonMark:
escaping only where needed, line-start escapes, ``-`` bullets with 4-space nesting (read the
same by CommonMark and Python-Markdown), fenced code blocks verbatim, hard breaks as ``\\``,
pipe tables only for simple tables (others kept as HTML), figures per the figure style.

The converters live by concern beside this module (:mod:`.escaping`, :mod:`.blocks`,
:mod:`.lists`, :mod:`.tables`, :mod:`.code`, :mod:`.inline`, :mod:`.figures`); this module walks
the tree, joins their results and normalises the whole.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag
from lxml import etree
from markdownify import MarkdownConverter

from ..model import Problem
from ..htmltree import Element
from ..transforms.soup import MAX_DEPTH, find_tag, flatten_deep, to_soup
from .blocks import BlockConverter, details_summary
from .code import CodeConverter
from .escaping import (
    BR,
    collapse_ws,
    drop_leading_space,
    drop_trailing_space,
    escape_inline,
    escape_line_start,
    may_need_line_start,
    starts_line,
)
from .figures import FigureConverter
from .inline import InlineConverter
from .lists import ListConverter, join_item, nest_stray_lists
from .tables import TableConverter

_RAW_KEEP = {"dl", "iframe", "object", "embed", "svg", "math", "map", "canvas"}


#: markdownify drops whitespace-only text at the inner edges of these elements (and of headings).
_TRIM_INSIDE = frozenset(
    {
        "p",
        "blockquote",
        "article",
        "div",
        "section",
        "ol",
        "ul",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
    }
)
_HEADING = re.compile(r"h(\d+)")


def _trims_inside(el) -> bool:
    """markdownify's ``should_remove_whitespace_inside``: a block element (or heading)."""
    if el is None or not el.name:
        return False
    return el.name in _TRIM_INSIDE or _HEADING.match(el.name) is not None


def _trims_outside(el) -> bool:
    """markdownify's ``should_remove_whitespace_outside``: a block element, heading or <pre>."""
    return _trims_inside(el) or (el is not None and el.name == "pre")


def _children_to_convert(node: Tag, trim_inside: bool | None = None) -> list:
    """The children markdownify converts: tags, text other than comments and doctypes, minus
    whitespace-only text at a block element's inner edges (``trim_inside``: whether ``node``
    is such an element; by default from its name) or next to a block element."""
    if trim_inside is None:
        trim_inside = _trims_inside(node)
    out: list = []
    for el in node.children:
        if isinstance(el, Tag):
            out.append(el)
        elif isinstance(el, (Comment, Doctype)):
            continue
        elif str(el).strip() != "":
            out.append(el)
        elif trim_inside and (not el.previous_sibling or not el.next_sibling):
            continue
        elif _trims_outside(el.previous_sibling) or _trims_outside(el.next_sibling):
            continue
        else:
            out.append(el)
    return out


def _child_parent_tags(name: str, parent_tags: set) -> set:
    """The parent tags a tag's children see: its own name, plus ``_inline`` inside headings and
    table cells and ``_noformat`` inside code (as markdownify)."""
    tags = set(parent_tags)
    tags.add(name)
    if _HEADING.match(name) is not None or name in ("td", "th"):
        tags.add("_inline")
    if name in ("pre", "code", "kbd", "samp"):
        tags.add("_noformat")
    return tags


def _join_collapsing_newlines(strings: list[str]) -> str:
    """Join the (non-empty) results of a tag's children as markdownify does: where one child's
    trailing newlines meet the next child's leading ones, keep the larger count, at most two."""
    out: list[str] = []
    trailing = ""  # the previous child's trailing newlines, not yet written
    for text in strings:
        if text[0] != "\n" and text[-1] != "\n":  # most children: nothing to collapse
            out.append(trailing)
            out.append(text)
            trailing = ""
            continue
        content = text.strip("\n")
        lead = len(text) - len(text.lstrip("\n"))
        leading = text[:lead]
        if trailing and leading:
            leading = "\n" * min(2, max(len(trailing), len(leading)))
            trailing = ""
        out.append(trailing)
        out.append(leading)
        out.append(content)
        trailing = text[lead + len(content) :]
    out.append(trailing)
    return "".join(out)


def _before_link(el: NavigableString) -> bool:
    nxt = el.next_sibling
    return isinstance(nxt, Tag) and nxt.name == "a" and bool(nxt.get("href"))


class Converter(
    BlockConverter, ListConverter, TableConverter, CodeConverter, InlineConverter, FigureConverter, MarkdownConverter
):
    """markdownify with CommonMark-correct converters."""

    def __init__(
        self, figure_style: str = "markdown", warnings: list[Problem] | None = None, embed_style: str = "link"
    ):
        super().__init__(
            heading_style="atx",
            bullets="-",
            escape_asterisks=False,
            escape_underscores=False,
            escape_misc=False,
            newline_style="backslash",
            strip_document="strip",
            keep_inline_images_in=["h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "a"],
        )
        self.figure_style = figure_style
        self.embed_style = embed_style  # "html": iframes, audio and video stay HTML elements
        self.start(warnings)

    def start(self, warnings: list[Problem] | None) -> None:
        """Begin a document: its warnings go to ``warnings``; nothing of the last one is kept."""
        self.warnings = warnings if warnings is not None else []
        self._list_markers: dict[int, str] = {}  # id(list) -> its marker (lists.ListConverter)
        self._loose_lists: dict[int, bool] = {}  # id(list) -> loose

    def _warn(self, code: str, message: str) -> None:
        self.warnings.append(Problem("warning", code, message))

    # --- text -----------------------------------------------------------------------
    def process_text(self, el, parent_tags=None):
        parent_tags = parent_tags or set()
        if isinstance(el, Comment):
            return ""
        text = str(el)
        if "pre" in parent_tags:
            return text
        text = collapse_ws(text.replace(BR, ""))
        if "_noformat" not in parent_tags:
            text = escape_inline(text)
            # cells and headings are one line; the tree is asked only when the text could change
            if "_inline" not in parent_tags and may_need_line_start(text) and starts_line(el):
                text = escape_line_start(text.lstrip(" "))
            if text[:1] == "\u00a0" and "_inline" not in parent_tags and starts_line(el):
                # a renderer trims a paragraph's leading no-break spaces; the entity stays
                rest = text.lstrip("\u00a0")
                text = "&nbsp;" * (len(text) - len(rest)) + rest
            if text[-1:] == "!" and _before_link(el):
                text = text[:-1] + "\\!"  # "!" before a link would make it an image
        if text.startswith(" ") and drop_leading_space(el):
            text = text.lstrip(" ")
        if text.endswith(" ") and drop_trailing_space(el):
            text = text.rstrip(" ")
        return text

    def process_tag(self, node, parent_tags=None):
        """markdownify's ``process_tag`` (same result), with less work per node: children are
        converted, empty results dropped, newlines at their edges collapsed (not inside
        ``<pre>``), then the tag's own converter runs."""
        if parent_tags is None:
            parent_tags = set()
        if isinstance(node, Tag) and node.name in _RAW_KEEP and node.name not in ("iframe", "object", "embed"):
            return self.convert_raw(node, parent_tags)
        if node.name == "ol" and node.has_attr("reversed"):
            return self.convert_reversed_list(node, parent_tags)
        if node.name == "details":
            return self.convert_details(node, self._details_content(node), parent_tags)
        strings = self._convert_children(node, _child_parent_tags(node.name, parent_tags))
        if node.name == "li":
            parent = node.parent
            text = join_item(
                strings, not (parent is not None and parent.name in ("ul", "ol") and self.list_is_loose(parent))
            )
        elif node.name != "pre" and node.find_parent("pre") is None:
            text = _join_collapsing_newlines(strings)
        else:
            text = "".join(strings)
        convert_fn = self.get_conv_fn_cached(node.name)
        if convert_fn is not None:
            text = convert_fn(node, text, parent_tags=parent_tags)
        return text

    def _convert_children(self, node: Tag, inner_tags: set, trim_inside: bool | None = None) -> list[str]:
        """The non-empty results of ``node``'s children, converted with ``inner_tags``."""
        strings = []
        table = node.name == "table"  # its captions are convert_table's
        for child in _children_to_convert(node, trim_inside):
            if isinstance(child, NavigableString):
                text = self.process_text(child, inner_tags)
            elif table and child.name == "caption":
                continue
            else:
                text = self.process_tag(child, inner_tags)
            if text:
                strings.append(text)
        return strings

    def _details_content(self, el: Tag) -> str:
        """A ``<details>``'s content other than its summary, converted once, as a block of its
        own: as a ``<div>`` at the top of a document, whatever holds the ``<details>`` (the
        summary is taken out of the tree meanwhile, so its neighbours see what the content
        does). Converting each level once keeps nested ``<details>`` linear in their size."""
        summary = details_summary(el)
        index = el.index(summary) if summary is not None else 0
        if summary is not None:
            summary.extract()
        try:
            strings = self._convert_children(el, {"div"}, trim_inside=True)
        finally:
            if summary is not None:
                el.insert(index, summary)
        return _join_collapsing_newlines(strings)

    def convert__document_(self, el, text, parent_tags):
        return text.strip("\n")

    # --- blocks ---------------------------------------------------------------------


_FENCE = re.compile(r"(`{3,}|~{3,})")
# Block quote and list item markers in front of a line's content (a fence may follow them).
_CONTAINERS = re.compile(r"(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t])))*[ \t]*")


def _fence_text(line: str) -> str:
    """A line without the container markers and indentation before it (where a fence is)."""
    return line[_CONTAINERS.match(line).end() :]  # type: ignore[union-attr]


def render_markdown(
    html_or_tree: str | BeautifulSoup | Element,
    figure_style: str = "markdown",
    warnings: list[Problem] | None = None,
    embed_style: str = "link",
) -> str:
    """Convert rendered HTML (or its lxml tree) to normalised CommonMark ending in exactly one newline."""
    if isinstance(html_or_tree, etree._Element):
        soup = to_soup(html_or_tree)  # for now (transforms.soup)
        try:
            return _render(soup, figure_style, warnings, embed_style)
        finally:
            soup.decompose()  # break the tree's reference cycles now: freed at once, not by the cyclic GC
    if isinstance(html_or_tree, (BeautifulSoup, Tag)):
        return _render(html_or_tree, figure_style, warnings, embed_style)
    return _render(BeautifulSoup(html_or_tree, "lxml"), figure_style, warnings, embed_style)


def _render(soup, figure_style: str, warnings: list[Problem] | None, embed_style: str) -> str:
    body = find_tag(soup, "body") if isinstance(soup, BeautifulSoup) else None
    root = body if body is not None else soup
    flattened = flatten_deep(root)
    if flattened and warnings is not None:
        warnings.append(
            Problem(
                "warning",
                "nesting-flattened",
                f"markup nested deeper than {MAX_DEPTH} levels kept as plain text ({flattened}x)",
            )
        )
    comments, lists = _comments_and_lists(root)
    more = _mark_more(comments)
    nest_stray_lists(lists)  # lists under a paragraph _mark_more replaced are out of the tree
    key = (figure_style, embed_style)
    converter = _IDLE.pop(key, None) or Converter(figure_style, warnings, embed_style)
    converter.start(warnings)
    try:
        text = converter.process_tag(root, set())
    finally:
        converter.start(None)  # nothing of this document is kept
        _IDLE[key] = converter
    return normalise(text, more)


#: One renderer per process and style, reused by the next document: building one (markdownify's
#: options, its converter cache) cost more than a short document's rendering.  A renderer in use
#: is out of the table, so a nested or concurrent call builds its own.
_IDLE: dict[tuple[str, str], Converter] = {}


def _comments_and_lists(root) -> tuple[list[Comment], list[Tag]]:
    """The comments and the ``<ul>``/``<ol>`` under ``root``, in document order (one walk)."""
    comments: list[Comment] = []
    lists: list[Tag] = []
    for node in root.descendants:
        if isinstance(node, Comment):
            comments.append(node)
        elif isinstance(node, Tag) and node.name in ("ul", "ol"):
            lists.append(node)
    return comments, lists


_MORE = "\x01MORE\x01"
_NEXTPAGE = "\x01NEXTPAGE\x01"
NEXTPAGE = "<!--nextpage-->"


def _mark_more(comments: list[Comment]) -> bool:
    """Replace ``<!--more-->`` and ``<!--nextpage-->`` comments (WordPress's teaser and page
    breaks) by placeholder paragraphs, kept as those comments in the Markdown."""
    found = False
    for c in comments:
        word = c.strip().lower()
        if word.startswith("more"):
            mark = _MORE
        elif word == "nextpage":
            mark = _NEXTPAGE
        else:
            continue
        found = True
        parent = c.parent
        target: Tag | Comment = c
        if parent is not None and parent.name == "p" and not parent.get_text(strip=True).replace(mark, ""):
            target = parent
        p = Tag(name="p")
        p.string = mark
        target.replace_with(p)
    return found


def page_count(markdown: str) -> int:
    """How many pages a post has: one more than its ``<!--nextpage-->`` lines (outside code)."""
    if NEXTPAGE not in markdown:
        return 1
    pages = 1
    in_fence = None
    for line in markdown.split("\n"):
        stripped = _fence_text(line)
        fence_m = _FENCE.match(stripped)
        if in_fence:
            if fence_m and stripped.startswith(in_fence) and not stripped[len(in_fence) :].strip():
                in_fence = None
        elif fence_m:
            in_fence = fence_m.group(1)
        elif stripped.rstrip() == NEXTPAGE:
            pages += 1
    return pages


def normalise(text: str, more: bool = False) -> str:
    """Final whitespace normalisation: no trailing spaces, one blank line between blocks."""
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[str] = []
    in_fence = None
    for line in lines:
        if not in_fence:
            line = line.rstrip()  # code inside fences stays byte for byte
        stripped = _fence_text(line)
        fence_m = _FENCE.match(stripped)
        if in_fence:
            out.append(line)
            if fence_m and stripped.startswith(in_fence) and not stripped[len(in_fence) :].strip():
                in_fence = None
                out[-1] = line.rstrip()
            continue
        if fence_m:
            in_fence = fence_m.group(1)
        if not line and out and not out[-1]:
            continue
        out.append(line)
    result = "\n".join(out).strip("\n")
    result = result.replace(_MORE, "<!--more-->").replace(_NEXTPAGE, NEXTPAGE).replace("\x01", "")
    return (result + "\n") if result else ""
