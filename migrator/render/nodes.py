"""The renderer's view of an lxml tree: text runs as nodes, siblings, text and searches.

lxml keeps text in ``.text`` (before an element's first child) and ``.tail`` (after an
element); the renderer asks questions about text *nodes*: what comes before this text, is it
the first thing in its block. :class:`Text` names one such run (made only where the renderer
asks, never for the whole tree), and :func:`children`, :func:`prev_sibling`,
:func:`next_sibling` and :func:`parent_of` walk text runs and elements alike, as a DOM does.
Comments and processing instructions are nodes too (``el.tag`` is not a string); their own
``.text`` is not document text.
"""

from __future__ import annotations

import functools

from collections.abc import Collection, Iterator
from typing import Any, NamedTuple

from lxml import etree

from ..htmltree import BLOCK_ELEMENTS

#: Elements whose text is not the page's text (BeautifulSoup's string containers): what
#: ``get_text`` leaves out, whatever holds them.
_CONTAINERS = frozenset({"script", "style", "template", "rt", "rp"})


class Text:
    """A run of text: ``owner.text`` (``tail`` False) or ``owner.tail`` (``tail`` True)."""

    __slots__ = ("owner", "tail", "value")

    def __init__(self, owner: Any, tail: bool, value: str) -> None:
        self.owner = owner
        self.tail = tail
        self.value = value


#: A node: a :class:`Text` or an lxml element, comment or processing instruction.
Node = Any


def is_tag(node: Any) -> bool:
    """True for an element (not a text run, comment or processing instruction)."""
    return node is not None and type(node) is not Text and isinstance(node.tag, str)


def is_comment(node: Any) -> bool:
    """True for a comment or a processing instruction."""
    return node is not None and type(node) is not Text and not isinstance(node.tag, str)


def children(el: Any) -> list[Node]:
    """``el``'s child nodes in order: text runs, elements, comments."""
    out: list[Node] = []
    if el.text:
        out.append(Text(el, False, el.text))
    for child in el:
        out.append(child)
        tail = child.tail
        if tail:
            out.append(Text(child, True, tail))
    return out


def prev_sibling(node: Node) -> Node | None:
    if type(node) is Text:
        return node.owner if node.tail else None
    prev = node.getprevious()
    if prev is not None:
        return Text(prev, True, prev.tail) if prev.tail else prev
    parent = node.getparent()
    if parent is not None and parent.text:
        return Text(parent, False, parent.text)
    return None


def next_sibling(node: Node) -> Node | None:
    if type(node) is Text:
        if node.tail:
            return node.owner.getnext()
        return node.owner[0] if len(node.owner) else None
    if node.tail:
        return Text(node, True, node.tail)
    return node.getnext()


def parent_of(node: Node) -> Any:
    if type(node) is Text:
        return node.owner.getparent() if node.tail else node.owner
    return node.getparent()


def node_string(node: Node) -> str:
    """A text run's or a comment's text (a comment's words count as a string, as in a DOM)."""
    if type(node) is Text:
        return node.value
    return node.text or ""


def find_parent(el: Any, name: str) -> Any:
    """The nearest ancestor named ``name``, or None."""
    for parent in el.iterancestors(name):
        return parent
    return None


def has_ancestor(el: Any, node: Any) -> bool:
    """True when ``node`` is an ancestor of ``el``."""
    return any(parent is node for parent in el.iterancestors())


def find_tags(el: Any, names: Collection[str]) -> list[Any]:
    """Every descendant element named one of ``names``, in document order."""
    return [d for d in el.iterdescendants() if d.tag in names]


def iter_tags(el: Any, names: Collection[str]) -> Iterator[Any]:
    """:func:`find_tags`, one at a time."""
    for d in el.iterdescendants():
        if d.tag in names:
            yield d


def find_tag(el: Any, name: str) -> Any:
    """The first descendant element named ``name``, or None."""
    for d in el.iterdescendants(name):
        return d
    return None


def child_tags(el: Any, names: Collection[str]) -> list[Any]:
    """The child elements named one of ``names``."""
    return [c for c in el if c.tag in names]


def has_child_tag(el: Any) -> bool:
    return any(isinstance(c.tag, str) for c in el)


def _strings(el: Any, blank_runs: bool = False) -> Iterator[str]:
    """The document text under ``el`` in order: no comments, and nothing inside a script,
    style, template or ruby annotation (unless ``el`` is one: then its own text); with
    ``blank_runs``, whitespace-only runs outside ``<pre>`` as :func:`blank_run` writes them."""
    if el.tag not in _CONTAINERS:
        for _container in el.iterancestors(*_CONTAINERS):
            return  # text inside a container is the container's
    blank = blank_runs and not keeps_space(el)
    if el.text:
        yield blank_run(el.text) if blank else el.text
    yield from _walk(el, el.tag in _CONTAINERS, blank)


def _walk(el: Any, own: bool, blank: bool) -> Iterator[str]:
    for child in el:
        tag = child.tag
        if isinstance(tag, str) and (own or tag not in _CONTAINERS):
            inner = blank and tag != "pre" and tag != "textarea"
            if child.text:
                yield blank_run(child.text) if inner else child.text
            if len(child):
                yield from _walk(child, own, inner)
        if child.tail:
            yield blank_run(child.tail) if blank else child.tail


def get_text(el: Any, separator: str = "", strip: bool = False, blank_runs: bool = False) -> str:
    """The text under ``el`` (BeautifulSoup's ``get_text``); with ``blank_runs``, each
    whitespace-only run outside ``<pre>`` as :func:`blank_run` writes it."""
    if strip:
        return separator.join(s for s in (t.strip() for t in _strings(el)) if s)
    return separator.join(_strings(el, blank_runs))


_ASCII_SPACES = " \n\t\x0c\r"


def blank_run(text: str) -> str:
    """A whitespace-only run of text outside ``<pre>`` and ``<textarea>`` as one newline (if
    it holds one) or one space, other text as it is: what a browser shows of it, and the form
    BeautifulSoup gave such runs (so raw HTML and code are written as they were)."""
    if text.strip(_ASCII_SPACES):
        return text
    return "\n" if "\n" in text else " "


def keeps_space(el: Any) -> bool:
    """True inside (or for) a ``<pre>`` or ``<textarea>``, where whitespace is content."""
    return el.tag in ("pre", "textarea") or any(True for _ in el.iterancestors("pre", "textarea"))


def all_strings(el: Any) -> Iterator[tuple[Any, str]]:
    """Every string under ``el`` with the element holding it: text runs of every kind and
    comments' text, in document order."""
    for node in el.iter():
        if isinstance(node.tag, str):
            if node.text:
                yield node, node.text
        elif node.text and node is not el:
            yield node.getparent(), node.text
        if node.tail and node is not el:
            yield node.getparent(), node.tail


def detach(el: Any) -> None:
    """Take ``el`` out of the tree, its tail left in place."""
    parent = el.getparent()
    if parent is None:
        return
    _keep_tail(el, parent)
    parent.remove(el)


def _keep_tail(el: Any, parent: Any) -> None:
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    el.tail = None


def replace_with(old: Any, new: Any) -> None:
    """Put ``new`` where ``old`` is (``old``'s tail stays after ``new``)."""
    parent = old.getparent()
    new.tail = old.tail
    old.tail = None
    parent.replace(old, new)


def replace_with_text(el: Any, text: str) -> None:
    """Replace ``el`` by ``text`` (merged with the text around it)."""
    parent = el.getparent()
    el.tail = text + (el.tail or "")
    _keep_tail(el, parent)
    parent.remove(el)


def new_element(parent: Any, name: str) -> Any:
    """A new element named ``name``, of ``parent``'s document kind, not yet in a tree."""
    return parent.makeelement(name, {})


#: How deep elements may nest below the document's root before :func:`flatten_deep` flattens
#: them (the renderer converts the tree recursively; real content nests a few dozen levels).
MAX_DEPTH = 100
_BREAKS = BLOCK_ELEMENTS | {"tr", "br"}


class Survey(NamedTuple):
    flattened: int  # how many elements were flattened
    comments: list[Any]  # the comments, in document order
    lists: list[Any]  # the <ul> and <ol>
    pre: bool  # a <pre> is there
    nodes: list[Any]  # every node met: kept while the tree is rendered (lxml then makes no new proxy)


def survey(root: Any, max_depth: int = MAX_DEPTH) -> Survey:
    """Replaces the content of every element ``max_depth`` levels below ``root`` that holds
    more elements by its text as one paragraph (words in order, blocks and line breaks as
    spaces: nothing of the text is lost, markup that deep is; one paragraph keeps hostile input
    of any size cheap to render), then finds the comments, the lists and whether a ``<pre>`` is
    there, in document order. The walks are lxml's (in C), so any depth is fine."""
    flattened = 0
    nodes = list(root.iter())  # every proxy made once, here; the walk below reuses them
    if len(nodes) > max_depth:  # else no element is max_depth levels below root (most documents)
        while nodes:
            nodes.pop()  # the deepest first (lxml frees a deep chain in linear time that way)
        for deep in _at_depth(max_depth)(root):  # document order; their subtrees are disjoint
            if has_child_tag(deep):
                _flatten(deep)
                flattened += 1
        nodes = list(root.iter())
    comments: list[Any] = []
    lists: list[Any] = []
    pre = False
    for node in root.iterdescendants(etree.Comment, "ul", "ol", "pre"):
        tag = node.tag
        if tag == "pre":
            pre = True
        elif tag == "ul" or tag == "ol":
            lists.append(node)
        else:
            comments.append(node)
    return Survey(flattened, comments, lists, pre, nodes)


@functools.lru_cache(maxsize=4)
def _at_depth(depth: int) -> etree.XPath:
    """The elements ``depth`` levels below an element (its children are one level below)."""
    return etree.XPath("/".join(["*"] * depth))


def _in_container(el: Any) -> bool:
    return el.tag in _CONTAINERS or any(True for _ in el.iterancestors(*_CONTAINERS))


def _flatten(el: Any) -> None:
    """``el``'s content replaced by one paragraph of its text."""
    words: list[str] = []
    # (node, closed, inside a container, its parent inside one): the flags are carried down the
    # walk, not asked of each node's ancestors (that was quadratic in the depth)
    stack: list[tuple[Any, bool, bool, bool]] = [(el, False, _in_container(el), False)]
    while stack:  # document order, iteratively (the subtree may be of any depth)
        node, closed, inside, parent_inside = stack.pop()
        if closed:
            if node.tail and not parent_inside:
                words.append(node.tail)
            continue
        if node is not el:
            stack.append((node, True, inside, parent_inside))
        tag = node.tag
        if not isinstance(tag, str):
            continue
        if tag in _BREAKS and node is not el:
            words.append(" ")
        if node.text and not inside:
            words.append(node.text)
        stack.extend(
            (child, False, inside or (isinstance(child.tag, str) and child.tag in _CONTAINERS), inside)
            for child in reversed(node)
        )
    for child in list(el):
        el.remove(child)
    el.text = None
    text = " ".join("".join(words).split())
    if text:
        p = new_element(el, "p")
        p.text = text
        el.append(p)
