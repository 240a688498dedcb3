"""Rendered HTML (an lxml tree) -> normalised CommonMark.

markdownify's walk over the tree, on lxml, with converters replaced where its defaults are
wrong for CommonMark:
escaping only where needed, line-start escapes, ``-`` bullets with 4-space nesting (read the
same by CommonMark and Python-Markdown), fenced code blocks verbatim, hard breaks as ``\\``,
pipe tables only for simple tables (others kept as HTML), figures per the figure style.

The converters live by concern beside this module (:mod:`.escaping`, :mod:`.blocks`,
:mod:`.lists`, :mod:`.tables`, :mod:`.code`, :mod:`.inline`, :mod:`.figures`); this module walks
the tree, joins their results and normalises the whole.
"""

from __future__ import annotations

import re

from typing import Any

from lxml import etree

from ..htmltree import parse_html
from ..model import Problem
from .blocks import BlockConverter, details_summary
from .code import CodeConverter
from .defaults import DefaultConverters
from .escaping import escape_inline  # noqa: F401 - (output.sitedata imports it from here)
from .figures import FigureConverter, one_image_only
from .inline import InlineConverter
from .lists import ListConverter, join_item, nest_stray_lists
from .nodes import MAX_DEPTH, Text, find_parent, survey, get_text, replace_with
from .nodes import new_element
from .tables import TableConverter
from .text import convert_text

#: Kept as raw HTML (iframes, objects and embeds have converters of their own).
_RAW = frozenset({"dl", "svg", "math", "map", "canvas"})
#: Elements converted other than by their children and their converter.
_SPECIAL = _RAW | {"details", "ol", "figure"}


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


def _trims_inside_name(name: Any) -> bool:
    """markdownify's ``should_remove_whitespace_inside``: a block element (or heading)."""
    trims = _INSIDE.get(name)
    if trims is None:
        trims = isinstance(name, str) and (name in _TRIM_INSIDE or _HEADING.match(name) is not None)
        _remember(_INSIDE, name, trims)
    return trims


def _trims_outside_name(name: Any) -> bool:
    """markdownify's ``should_remove_whitespace_outside``: a block element, heading or <pre>."""
    trims = _OUTSIDE.get(name)
    if trims is None:
        trims = name == "pre" or _trims_inside_name(name)
        _remember(_OUTSIDE, name, trims)
    return trims


def _remember(table: dict, key: Any, value: Any) -> None:
    if len(table) > 4096:  # hostile markup: many names
        table.clear()
    table[key] = value


#: Tag (an element's name, or lxml's factory of comments and processing instructions) ->
#: whether whitespace-only text at its inner edges (``_INSIDE``) or next to it (``_OUTSIDE``) goes.
_INSIDE: dict[Any, bool] = {}
_OUTSIDE: dict[Any, bool] = {}


def _blank_tail_dropped(el: Any, tag: Any, trim_inside: bool) -> bool:
    """True when whitespace-only text after ``el`` (named ``tag``) is dropped: next to a block
    element, or at the inner edge of one (``trim_inside``: its parent is one)."""
    if _trims_outside_name(tag):
        return True
    nxt = el.getnext()
    return trim_inside if nxt is None else _trims_outside_name(nxt.tag)


def _child_parent_tags(name: str, parent_tags: frozenset) -> frozenset:
    """The parent tags a tag's children see: its own name, plus ``_inline`` inside headings and
    table cells and ``_noformat`` inside code (as markdownify)."""
    key = (name, parent_tags)
    tags = _INNER_TAGS.get(key)
    if tags is None:
        added = {name}
        if _HEADING.match(name) is not None or name in ("td", "th"):
            added.add("_inline")
        if name in ("pre", "code", "kbd", "samp"):
            added.add("_noformat")
        tags = parent_tags | added
        _remember(_INNER_TAGS, key, tags)
    return tags


_DIV = frozenset({"div"})
#: (name, parent tags) -> the parent tags of the children (a few dozen in a run).
_INNER_TAGS: dict[tuple[str, frozenset], frozenset] = {}


def _join_collapsing_newlines(strings: list[str]) -> str:
    """Join the (non-empty) results of a tag's children as markdownify does: where one child's
    trailing newlines meet the next child's leading ones, keep the larger count, at most two."""
    if len(strings) < 2:
        return strings[0] if strings else ""
    joined = "".join(strings)
    if "\n" not in joined:  # inline children (most): no newline to collapse
        return joined
    out: list[str] = []
    append = out.append
    trailing = ""  # the previous child's trailing newlines, not yet written
    for text in strings:
        if text[0] != "\n":  # no leading newline: nothing to collapse
            if trailing:
                append(trailing)
            if text[-1] != "\n":  # most inline children
                append(text)
                trailing = ""
            else:
                content = text.rstrip("\n")
                append(content)
                trailing = text[len(content) :]
            continue
        rest = text.lstrip("\n")
        content = rest.rstrip("\n")
        if trailing:  # both: the larger count, at most two
            append("\n\n" if len(trailing) > 1 or len(text) - len(rest) > 1 else "\n")
        else:
            append(text[: len(text) - len(rest)])
        append(content)
        trailing = rest[len(content) :]
    append(trailing)
    return "".join(out)


class Converter(
    BlockConverter, ListConverter, TableConverter, CodeConverter, InlineConverter, FigureConverter, DefaultConverters
):
    """markdownify's walk with CommonMark-correct converters."""

    def __init__(
        self, figure_style: str = "markdown", warnings: list[Problem] | None = None, embed_style: str = "link"
    ):
        self.convert_fn_cache = {}
        self._known: dict[tuple[str, frozenset], tuple[frozenset, Any]] = {}  # (see _learn)
        self.figure_style = figure_style
        self.embed_style = embed_style  # "html": iframes, audio and video stay HTML elements
        self.start(warnings)

    def start(self, warnings: list[Problem] | None) -> None:
        """Begin a document: its warnings go to ``warnings``; nothing of the last one is kept."""
        self.warnings = warnings if warnings is not None else []
        self._list_markers: dict[Any, str] = {}  # list -> its marker (lists.ListConverter)
        self._loose_lists: dict[Any, bool] = {}  # list -> loose
        self.has_pre = True  # False when the document has no <pre> (no need to look for one)

    def _warn(self, code: str, message: str) -> None:
        self.warnings.append(Problem("warning", code, message))

    # --- text -----------------------------------------------------------------------
    def process_text(self, el: Text, parent_tags: frozenset) -> str:
        return convert_text(el.owner, el.tail, el.value, parent_tags)

    def process_tag(self, node, parent_tags=None):
        """markdownify's ``process_tag`` (same result), with less work per node: children are
        converted, empty results dropped, newlines at their edges collapsed (not inside
        ``<pre>``), then the tag's own converter runs."""
        if type(parent_tags) is not frozenset:
            parent_tags = frozenset(parent_tags or ())
        name = node.tag
        if name in _SPECIAL:
            if name in _RAW:
                return self.convert_raw(node, parent_tags)
            if name == "details":
                return self.convert_details(node, self._details_content(node), parent_tags)
            if name == "figure":
                if "_inline" not in parent_tags and one_image_only(node):
                    return self.convert_figure(node, "", parent_tags)  # (its content's Markdown unused)
            elif "reversed" in node.attrib:  # <ol reversed>
                return self.convert_reversed_list(node, parent_tags)
        known = self._known.get((name, parent_tags))
        if known is None:
            known = self._learn(name, parent_tags)
        inner_tags, convert_fn = known
        if not len(node) and name != "li":  # a leaf (most elements): its text, if any
            text = node.text
            if not text:
                text = ""
            elif text.strip() or not _trims_inside_name(name):
                text = convert_text(node, False, text, inner_tags)
            else:
                text = ""  # whitespace at a block's inner edges
        else:
            strings = self._convert_children(node, inner_tags, None, name)
            if name == "li":
                parent = node.getparent()
                loose = parent is not None and parent.tag in ("ul", "ol") and self.list_is_loose(parent)
                text = join_item(strings, not loose)
            elif len(strings) < 2:
                text = strings[0] if strings else ""
            elif name == "pre" or (self.has_pre and ("pre" in parent_tags or find_parent(node, "pre") is not None)):
                text = "".join(strings)
            else:
                text = _join_collapsing_newlines(strings)
        if convert_fn is not None:
            text = convert_fn(node, text, parent_tags)
        return text

    def _learn(self, name: str, parent_tags: frozenset) -> tuple[frozenset, Any]:
        """What :meth:`process_tag` needs of an element named ``name`` inside ``parent_tags``
        (the parent tags of its children, its converter), remembered: one lookup a node."""
        known = (_child_parent_tags(name, parent_tags), self.get_conv_fn_cached(name))
        _remember(self._known, (name, parent_tags), known)
        return known

    def _convert_children(
        self, node: Any, inner_tags: frozenset, trim_inside: bool | None = None, name: str | None = None
    ) -> list[str]:
        """The non-empty results of ``node``'s children, converted with ``inner_tags``: its
        elements and text, but not whitespace-only text at a block element's inner edges
        (``trim_inside``: whether ``node`` is such an element; by default from its name) or
        next to a block element (as markdownify), nor a table's captions (convert_table's).
        ``name``: ``node``'s tag, if the caller has it."""
        if name is None:
            name = node.tag
        if trim_inside is None:
            trim_inside = _INSIDE.get(name)
            if trim_inside is None:
                trim_inside = _trims_inside_name(name)
        strings: list[str] = []
        append = strings.append
        text = node.text
        if text and (text.strip() or not (trim_inside or (len(node) and _trims_outside_name(node[0].tag)))):
            text = convert_text(node, False, text, inner_tags)
            if text:
                append(text)
        table = name == "table"
        process_tag = self.process_tag
        # lxml's child iterator costs a microsecond to make, even for no child: the siblings
        # are walked instead (each next one taken before, as that iterator does)
        child = node[0] if len(node) else None
        while child is not None:
            following = child.getnext()
            tag = child.tag
            if type(tag) is str and not (table and tag == "caption"):
                text = process_tag(child, inner_tags)
                if text:
                    append(text)
            text = child.tail
            if text and (text.strip() or not _blank_tail_dropped(child, tag, trim_inside)):
                text = convert_text(child, True, text, inner_tags)
                if text:
                    append(text)
            child = following
        return strings

    def _details_content(self, el: Any) -> str:
        """A ``<details>``'s content other than its summary, converted once, as a block of its
        own: as a ``<div>`` at the top of a document, whatever holds the ``<details>`` (the
        summary is taken out of the tree meanwhile, so its neighbours see what the content
        does). Converting each level once keeps nested ``<details>`` linear in their size."""
        summary = details_summary(el)
        if summary is None:
            return _join_collapsing_newlines(self._convert_children(el, _DIV, trim_inside=True))
        # out of the tree meanwhile, its tail left in place (to be put back after)
        index = el.index(summary)
        tail, summary.tail = summary.tail, None
        before = summary.getprevious()
        holder_text = el.text if before is None else before.tail
        el.remove(summary)
        if tail:
            if before is None:
                el.text = (el.text or "") + tail
            else:
                before.tail = (before.tail or "") + tail
        try:
            strings = self._convert_children(el, _DIV, trim_inside=True)
        finally:
            if before is None:
                el.text = holder_text
            else:
                before.tail = holder_text
            summary.tail = tail
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
    html_or_tree: Any,
    figure_style: str = "markdown",
    warnings: list[Problem] | None = None,
    embed_style: str = "link",
) -> str:
    """Convert rendered HTML (a string, or an lxml tree: its ``<body>`` when given the
    ``<html>`` element, else the element given) to normalised CommonMark ending in exactly one
    newline. The tree is changed on the way (deep markup flattened, page breaks marked)."""
    root = _root(html_or_tree)
    if root is None:
        return ""
    found = survey(root)  # (its nodes kept alive until the end: lxml then reuses their proxies)
    flattened = found.flattened
    if flattened and warnings is not None:
        warnings.append(
            Problem(
                "warning",
                "nesting-flattened",
                f"markup nested deeper than {MAX_DEPTH} levels kept as plain text ({flattened}x)",
            )
        )
    more = _mark_more(found.comments)
    nest_stray_lists(found.lists)  # lists under a paragraph _mark_more replaced are out of the tree
    key = (figure_style, embed_style)
    converter = _IDLE.pop(key, None) or Converter(figure_style, warnings, embed_style)
    converter.start(warnings)
    converter.has_pre = found.pre
    try:
        text = converter.process_tag(root, set())
    finally:
        converter.start(None)  # nothing of this document is kept
        _IDLE[key] = converter
    return normalise(text, more)


def _root(html_or_tree: Any) -> Any:
    """The element to render: a string parsed; the ``<body>`` of an ``<html>`` element."""
    if isinstance(html_or_tree, str):
        if not html_or_tree.strip():
            return None
        html_or_tree = parse_html(html_or_tree)
    if html_or_tree.tag == "html":
        body = _first_body(html_or_tree)
        if body is not None:
            return body
        _take_in_comments(html_or_tree)
    return html_or_tree


def _first_body(html: Any) -> Any:
    """The first ``<body>`` under ``html`` in document order, or None: its child, unless one is
    inside a child before it. (lxml's ``iter("body")`` looks ahead for a second one: a walk of
    the whole document.)"""
    for body in html.iterchildren("body"):
        if not any(True for before in body.itersiblings(preceding=True) for _ in before.iter("body")):
            return body
        break
    for body in html.iter("body"):
        return body
    return None


def _take_in_comments(html: Any) -> None:
    """Comments before and after a document without a body moved into it: with nothing but
    a head (a script), a comment around it (``<!--more-->``) is what the document says."""
    before = list(html.itersiblings(preceding=True))
    after = list(html.itersiblings())
    for node in before:
        html.insert(0, node)
    for node in after:
        html.append(node)


#: One renderer per process and style, reused by the next document: building one (its
#: converter cache) cost more than a short document's rendering.  A renderer in use is out of
#: the table, so a nested or concurrent call builds its own.
_IDLE: dict[tuple[str, str], Converter] = {}


# Placeholders for the page breaks (noncharacters: never text, yet allowed in a tree).
_MORE = "\ufdd0MORE\ufdd0"
_NEXTPAGE = "\ufdd0NEXTPAGE\ufdd0"
NEXTPAGE = "<!--nextpage-->"


def _mark_more(comments: list[Any]) -> bool:
    """Replace ``<!--more-->`` and ``<!--nextpage-->`` comments (WordPress's teaser and page
    breaks) by placeholder paragraphs, kept as those comments in the Markdown."""
    found = False
    for c in comments:
        if c.tag is not etree.Comment:
            continue
        word = (c.text or "").strip().lower()
        if word.startswith("more"):
            mark = _MORE
        elif word == "nextpage":
            mark = _NEXTPAGE
        else:
            continue
        found = True
        parent = c.getparent()
        target = c
        if parent is not None and parent.tag == "p" and not get_text(parent, strip=True).replace(mark, ""):
            target = parent
        if target.getparent() is None:  # in a paragraph a break before it already replaced
            continue
        p = new_element(parent, "p")
        p.text = mark
        replace_with(target, p)
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
    if "```" not in text and "~~~" not in text:  # no fence: every line trimmed, blank lines joined
        result = _BLANK_LINES.sub("\n\n", "\n".join([line.rstrip() for line in lines])).strip("\n")
        return _finish(result)
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
    return _finish("\n".join(out).strip("\n"))


_BLANK_LINES = re.compile(r"\n\n\n+")


def _finish(result: str) -> str:
    """The page breaks written, one newline at the end."""
    result = result.replace(_MORE, "<!--more-->").replace(_NEXTPAGE, NEXTPAGE)
    return (result + "\n") if result else ""
