"""The one HTML tree of a document: lxml's, as its HTML parser (libxml2) builds it.

Every transform after the WordPress filters and the references stage work on this tree:
plain lxml elements (``etree._Element``, whose objects lxml makes in C: ``lxml.html`` chooses
its element classes by a Python method for each object, a tenth of the renderer's time, for
methods nobody here calls), text as each element's ``text`` (before its first child) and
``tail`` (after it), comments as elements of their own.  lxml builds and walks it in C; what BeautifulSoup
built on top of the same parser's events was a fifth of a document's conversion time.

The operations below are the few that text as ``text``/``tail`` makes subtle (removing an
element keeps the text after it, unwrapping one keeps its text in place, inserting before one
keeps the text around it), written once, so no transform handles ``tail`` by hand.  Text joined
by them stays valid for lxml, which refuses control characters that the parser itself keeps
(from ``&#1;``): those are dropped where two pieces of text are joined.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from lxml import etree

Element = etree._Element

#: HTML's block-level elements: each starts a block of its own (the renderer's block context,
#: the breaks of flattened text).
BLOCK_ELEMENTS = frozenset(
    (
        "p div li ul ol blockquote pre table h1 h2 h3 h4 h5 h6 figure figcaption dd dt dl section article"
        " header footer aside main nav details summary address center hr"
    ).split()
)

#: Characters XML (and so lxml) refuses in text; the HTML parser keeps some of them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def parse_html(markup: str) -> Element:
    """Parse rendered HTML once, as browsers recover it: the document's ``<html>`` element (a
    fragment gets its ``<body>``; empty markup an empty one).  Comments before the first element
    stay in the body; control characters XML refuses become spaces (form feed) or go."""
    if markup[:1] == "\ufeff":
        markup = markup[1:]
    if _NOT_XML.search(markup):
        markup = _NOT_XML.sub(lambda m: " " if m.group() == "\x0c" else "", markup)
    root = _parse(markup)
    if root is None and markup.strip():  # only comments: libxml2 makes no element
        root = _parse("<html><body>" + markup)
    if root is None:
        root = _parse("<html><body></body></html>")
    return root


#: libxml2 builds its own tree this deep at most, and drops what is deeper without a word; its
#: parser events have no such limit (markup nested deeper is built from them instead).
_TREE_DEPTH = 2048


def _parse(markup: str) -> Element | None:
    if markup.count("<") > _TREE_DEPTH:  # may nest deeper than libxml2's tree goes
        return _parse_events(markup)
    parser = etree.HTMLParser(recover=True, huge_tree=True)
    try:
        parser.feed(markup)
        return parser.close()
    except (etree.LxmlError, ValueError, UnicodeError, LookupError):
        return None


class _Builder:
    """A parser target building the same tree from the parser's events, at any depth."""

    def __init__(self) -> None:
        self.builder = etree.TreeBuilder(parser=etree.HTMLParser())
        self.depth = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.depth += 1
        self.builder.start(tag, attrib)

    def end(self, tag: str) -> None:
        self.depth -= 1
        self.builder.end(tag)

    def data(self, text: str) -> None:
        self.builder.data(text)

    def comment(self, text: str) -> None:
        if not self.depth:
            return  # outside <html>: the tree builder would not link it to the document
        # lxml refuses a comment holding "--" or ending in "-" (the parser's own tree keeps it)
        self.builder.comment(text.replace("--", "- -").rstrip("-") if "-" in text else text)

    def close(self) -> Element | None:
        try:
            return self.builder.close()
        except (etree.LxmlError, AssertionError):
            return None


def _parse_events(markup: str) -> Element | None:
    parser = etree.HTMLParser(recover=True, huge_tree=True, target=_Builder())
    try:
        parser.feed(markup)
        return parser.close()
    except (etree.LxmlError, ValueError, UnicodeError, LookupError):
        return None


def body_of(root: Element) -> Element:
    """The ``<body>`` of a document parsed by :func:`parse_html` (or ``root`` itself)."""
    body = root.find("body") if root.tag == "html" else None
    return body if body is not None else root


def elements(root: Element, *names: str) -> Iterator[Element]:
    """``root`` and its descendant elements (those named ``names``, if given), in document
    order; no comments or processing instructions."""
    if names:
        return root.iter(*names)
    return root.iter(etree.Element)


def classes(el: Element) -> list[str]:
    """An element's class names."""
    return (el.get("class") or "").split()


_STRING = etree.XPath("string()", smart_strings=False)  # what lxml.html's text_content() is


def text_of(el: Element, sep: str = "", strip: bool = False) -> str:
    """The element's text (no comments), as BeautifulSoup's ``get_text(sep, strip=strip)``."""
    parts = el.xpath(".//text()") if sep or strip else [_STRING(el)]
    if strip:
        parts = [p.strip() for p in parts]
        parts = [p for p in parts if p]
    return sep.join(parts)


def inner_html(el: Element) -> str:
    """The HTML of ``el``'s content (text escaped as HTML's serialisation escapes it)."""
    inner = [html.escape(el.text, quote=False)] if el.text else []
    inner += [etree.tostring(child, method="html", encoding="unicode") for child in el]
    return "".join(inner)


def join_text(a: str | None, b: str | None) -> str | None:
    """Two pieces of text (``None``: none) as one."""
    if not a:
        return b
    if not b:
        return a
    return a + b


def set_text(el: Element, text: str | None, tail: bool = False) -> None:
    """Set ``el``'s text (or tail): characters lxml refuses (kept by the parser from ``&#1;``) go.
    A comment's text that lxml refuses (``--`` inside, which the parser keeps) stays as it was."""
    name = "tail" if tail else "text"
    try:
        setattr(el, name, text)
    except ValueError:
        try:
            setattr(el, name, _NOT_XML.sub("", text or "") or None)
        except ValueError:
            pass


def _add_text_before(el: Element, text: str | None) -> None:
    """Append ``text`` to the text that comes right before ``el``."""
    if not text:
        return
    previous = el.getprevious()
    if previous is not None:
        set_text(previous, join_text(previous.tail, text), tail=True)
    else:
        parent = el.getparent()
        if parent is not None:
            set_text(parent, join_text(parent.text, text))


def remove(el: Element) -> None:
    """Take ``el`` and its content out of the tree; the text after it stays."""
    parent = el.getparent()
    if parent is None:
        return
    _add_text_before(el, el.tail)
    parent.remove(el)


def unwrap(el: Element) -> None:
    """Replace ``el`` by its content (text and children), in place."""
    parent = el.getparent()
    if parent is None:
        return
    _add_text_before(el, el.text)
    index = parent.index(el)
    children = list(el)
    if children:
        last = children[-1]
        set_text(last, join_text(last.tail, el.tail), tail=True)
    else:
        _add_text_before(el, el.tail)
    parent[index : index + 1] = children


def replace_with_text(el: Element, text: str) -> None:
    """Replace ``el`` (and its content) by ``text``."""
    _add_text_before(el, text)
    remove(el)


def replace_with(el: Element, new: Element) -> None:
    """Put ``new`` (detached) where ``el`` is; the text after ``el`` follows ``new``."""
    parent = el.getparent()
    if parent is None:
        return
    new.tail = el.tail
    el.tail = None
    parent.replace(el, new)


def insert_before(el: Element, markup_or_text: str, *, markup: bool = True) -> None:
    """Insert an HTML fragment (or plain text) right before ``el``."""
    if not markup:
        _add_text_before(el, markup_or_text)
        return
    body = body_of(parse_html(markup_or_text))
    _add_text_before(el, body.text)
    for child in list(body):
        el.addprevious(child)  # its tail comes along
    # addprevious puts a comment's or element's tail after it, as in the fragment


def prepend(el: Element, new: Element) -> None:
    """Insert ``new`` as ``el``'s first content, before its text."""
    new.tail = el.text
    el.text = None
    el.insert(0, new)


def new_element(like: Element, name: str, attrs: dict[str, str] | None = None) -> Element:
    """A detached element of ``like``'s tree type."""
    return like.makeelement(name, attrs or {})


class Presence:
    """A walk over ``root``'s elements in document order (:attr:`walk`, taken before any change)
    that asks whether each is still in the tree while the walk changes it: answers are
    remembered until the next :meth:`changed`, so each ancestor is asked once (asking every
    element's ancestors anew is quadratic in the depth).

    lxml frees the objects of a chain of nested elements in time quadratic in its depth when an
    outer one goes before the inner ones (20,000 nested ``<div>``: seconds), in linear time the
    other way round.  The remembered answers are therefore dropped while the walk still holds
    every element, and the walk is dropped from its end: the deepest first."""

    def __init__(self, root: Element) -> None:
        self.root = root
        self.walk: list[Element] = list(elements(root))
        self.known: dict[Element, bool] = {}

    def changed(self) -> None:
        """The tree changed: what was known may not hold any more."""
        self.known = {}

    def __del__(self) -> None:
        self.known = {}
        walk = self.walk
        while walk:
            walk.pop()

    def removed(self, el: Element) -> bool:
        """Whether ``el`` (an element of the tree once) was taken out of it since."""
        path = []
        node = el
        known = self.known
        while node is not None and node is not self.root:
            answer = known.get(node)
            if answer is not None:
                break
            path.append(node)
            node = node.getparent()
        else:
            answer = node is None
        for seen in path:
            known[seen] = answer
        return answer


def is_removed(el: Element, root: Element) -> bool:
    """Whether ``el`` (an element of ``root``'s tree once) was taken out of it since."""
    node = el
    while node is not None:
        if node is root:
            return False
        node = node.getparent()
    return True
