"""Small helpers over lxml elements and page URLs, shared by the HTML reader's modules."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote

from lxml import html as lxml_html

from ...htmltree import BLOCK_ELEMENTS
from ...urls import urljoin, urlsplit  # never raise on malformed URLs
from . import vocabulary as V

HtmlElement = lxml_html.HtmlElement

_WAYBACK = re.compile(r"^(?:https?:)?//web\.archive\.org/web/\d+[a-z_]*/", re.I)
#: Block-level elements: removing one never joins the words around it (HTML's blocks, and the
#: parts of tables and forms, which a browser lays out apart too).
BLOCK_TAGS = BLOCK_ELEMENTS | frozenset({"dialog", "fieldset", "form", "tbody", "td", "th", "thead", "tr"})
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def classes(el: HtmlElement) -> list[str]:
    return (el.get("class") or "").split()


def has_class(el: HtmlElement, token: str) -> bool:
    return token in classes(el)


def xp_class(token: str) -> str:
    """XPath predicate: the element has the class ``token``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {token} ')"


def xp_rel(value: str) -> str:
    """XPath predicate: the element's ``rel`` holds the link type ``value``."""
    return f"contains(concat(' ', normalize-space(@rel), ' '), ' {value} ')"


def by_class(root: HtmlElement, token: str) -> list[HtmlElement]:
    return root.xpath(f".//*[{xp_class(token)}]")


class PageIndex:
    """Every element of one parsed page by class token and id, with its document position.

    Built once per page (:func:`index_page`); :func:`in_group` then looks names up instead of
    walking the whole tree for every question.  Only for trees that are not changed afterwards
    (the reader cleans deep copies).
    """

    def __init__(self, top: HtmlElement):
        self.top = top
        self.order: dict[HtmlElement, int] = {}
        self.by_class: dict[str, list[HtmlElement]] = {}
        self.by_id: dict[str, list[HtmlElement]] = {}
        self._marked: dict[tuple[str, int], list[HtmlElement]] = {}
        for i, el in enumerate(top.iter()):
            if not isinstance(el.tag, str):
                continue
            self.order[el] = i
            cls = el.get("class")
            if cls:
                for token in cls.split():
                    self.by_class.setdefault(token, []).append(el)
            ident = el.get("id")
            if ident:
                self.by_id.setdefault(ident, []).append(el)

    def marked(self, group: V.Group) -> list[HtmlElement]:
        key = (group.name, group.version)
        if key not in self._marked:
            self._marked[key] = self._mark(group)
        return self._marked[key]

    def _mark(self, group: V.Group) -> list[HtmlElement]:
        found: dict[HtmlElement, None] = {}
        for token, els in self.by_class.items():
            if group.token(token):
                found.update(dict.fromkeys(els))
        for ident, els in self.by_id.items():
            if group.id(ident):
                found.update(dict.fromkeys(els))
        return sorted(found, key=self.order.__getitem__)


_INDEXES: list[PageIndex] = []


def index_page(top: HtmlElement) -> PageIndex:
    """Index the page whose root element is ``top`` (the last two pages indexed are kept)."""
    index = PageIndex(top)
    _INDEXES[:] = [index, *_INDEXES[:1]]
    return index


def _index_of(el: HtmlElement) -> PageIndex | None:
    top = el.getroottree().getroot()
    for index in _INDEXES:
        if index.top is top:
            return index
    return None


def with_token(root: HtmlElement, accept) -> list[HtmlElement]:
    """Elements under ``root`` one of whose class tokens or whose id ``accept`` takes."""
    index = _index_of(root)
    if index is None:
        return [
            el
            for el in root.iter()
            if isinstance(el.tag, str)
            and el is not root
            and (any(accept(t) for t in classes(el)) or accept(el.get("id") or ""))
        ]
    found: dict[HtmlElement, None] = {}
    for table in (index.by_class, index.by_id):
        for token, els in table.items():
            if accept(token):
                found.update(dict.fromkeys(els))
    return sorted(
        (el for el in found if el is not root and (root is index.top or inside(el, root))), key=index.order.__getitem__
    )


def in_group(root: HtmlElement, group: V.Group) -> list[HtmlElement]:
    """Elements under ``root`` that one of ``group``'s names marks, in document order."""
    index = _index_of(root)
    if index is None:
        return [el for el in root.iter() if isinstance(el.tag, str) and el is not root and group.element(el)]
    if root is index.top:
        return [el for el in index.marked(group) if el is not root]
    return [el for el in index.marked(group) if el is not root and inside(el, root)]


def text(el: HtmlElement | None) -> str:
    if el is None:
        return ""
    return " ".join(el.text_content().split())


def visible_len(el: HtmlElement) -> int:
    return len("".join(el.text_content().split()))


def link_len(el: HtmlElement) -> int:
    """Length of the text inside links under ``el`` (``el`` itself included)."""
    own = visible_len(el) if el.tag == "a" else 0
    return own or sum(visible_len(a) for a in el.iter("a"))


def link_density(el: HtmlElement) -> float:
    total = visible_len(el)
    return link_len(el) / total if total else 0.0


def inside(el: HtmlElement, ancestor: HtmlElement | None) -> bool:
    if ancestor is None:
        return False
    return el is ancestor or any(a is ancestor for a in el.iterancestors())


def outside(el: HtmlElement, excluded: Iterable[HtmlElement | None]) -> bool:
    return not any(inside(el, x) for x in excluded if x is not None)


def outermost(els: list[HtmlElement]) -> list[HtmlElement]:
    """``els`` without the elements that lie inside another of them."""
    ids = {id(e) for e in els}
    return [el for el in els if not any(id(a) in ids for a in el.iterancestors())]


def is_comment(el: HtmlElement) -> bool:
    """True for comment-list entries and anything inside a comments area or form."""
    for node in (el, *el.iterancestors()):
        if node.tag in ("body", "html"):
            return False
        if V.COMMENTS.element(node):
            return True
    return False


def is_widget(el: HtmlElement) -> bool:
    """True for anything in a sidebar, widget, navigation or site footer."""
    for node in (el, *el.iterancestors()):
        if node.tag in ("body", "html"):
            return False
        if node.tag in ("aside", "nav") or V.WIDGETS.element(node):
            return True
    return False


def drop(el) -> None:
    """Remove ``el`` (element, comment or processing instruction) but keep its tail text.

    Removing an element never glues the words on either side of it: when both sides end and
    start with a letter, a space takes its place if the element was a block or started or
    ended with white space.
    """
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        before = (prev.tail if prev is not None else parent.text) or ""
        if isinstance(el.tag, str) and before and not before[-1].isspace() and not tail[0].isspace():
            inner = el.text_content() if el.tag not in ("br",) else " "
            if el.tag in BLOCK_TAGS or el.tag == "br" or (inner and (inner[0].isspace() or inner[-1].isspace())):
                tail = " " + tail
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


# --------------------------------------------------------------------------------------------
# URLs


def clean_url(url: str) -> str:
    """``url`` without surrounding space and without a Wayback Machine prefix."""
    return _WAYBACK.sub("", (url or "").strip())


def norm_url(url: str) -> str:
    """Permalink key: scheme- and www-less, no trailing slash, no fragment."""
    parts = urlsplit(clean_url(url))
    host = parts.netloc.lower().removeprefix("www.")
    path = unquote(parts.path).rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def slug_from_link(url: str) -> str:
    path = urlsplit(clean_url(url)).path.rstrip("/")
    if not path:
        return ""
    last = unquote(path.rsplit("/", 1)[-1])
    last = re.sub(r"\.(html?|php)$", "", last)
    if last in {"index", ""} or re.fullmatch(r"\d{1,4}", last):
        return ""
    return last


def resolve(url: str, base: str) -> str:
    url = clean_url(url)
    if not base or not url or url.startswith(("data:", "mailto:", "tel:", "javascript:", "#")):
        return url
    try:
        return urljoin(base, url)
    except ValueError:
        return url


def same_site(url: str, base: str) -> bool:
    """True for relative URLs and URLs on ``base``'s host (``www.`` ignored)."""
    parts = urlsplit(clean_url(url))
    if not parts.netloc:
        return not parts.scheme or parts.scheme in ("http", "https")
    host = parts.netloc.lower().removeprefix("www.")
    return bool(base) and host == urlsplit(base).netloc.lower().removeprefix("www.")
