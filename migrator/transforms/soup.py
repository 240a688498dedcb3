"""The renderer's tree, for now: BeautifulSoup's, made from the document's lxml tree.

Transitional (issue 20, one tree type end to end): the transforms work on lxml's tree
(:mod:`.tree`); the renderer still walks BeautifulSoup's, which :func:`to_soup` builds from the
lxml tree after the transforms and the references stage.

Building it: ``BeautifulSoup(html, "lxml")`` turns each event of lxml's HTML parser into a tag
or a string through generic, per-event machinery (namespace bookkeeping, filters, string-class
lookups, linkage repair); that machinery was most of the parse time.  :class:`_TreeTarget`
receives the same events, from a walk of the lxml tree, and builds the same objects directly:
the same classes, the same attributes (multi-valued ``class``/``rel`` split into lists),
whitespace-only strings collapsed the same way outside ``pre``/``textarea``, the same string
classes inside ``script``/``style``.  Before its first use, it is checked against BeautifulSoup
on a probe document (every attribute of every node compared); if this BeautifulSoup builds
anything differently, BeautifulSoup parses the serialised tree instead.
``tests/transforms/test_soup.py`` compares the two on every fixture and on random markup.

Querying it: markdownify asks each tag for ``find_parent("pre")``; BeautifulSoup answers
through its generic matching machinery, which was a third of the rendering time.  Tags of this
tree answer the plain by-name question with a walk up the parents (the same result).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from typing import Any

from bs4 import BeautifulSoup, Comment, NavigableString, ProcessingInstruction, Tag
from lxml import etree

from ..htmltree import BLOCK_ELEMENTS, MAX_DEPTH, parse_html


class FastTag(Tag):
    """A Tag whose ``find_parent(name)`` for a plain tag name walks the parents directly.

    ``decomposed`` reads ``_decomposed``, which BeautifulSoup sets only on removal: without this
    default, Tag's ``__getattr__`` answered the question by searching the whole subtree for a
    ``<_decomposed>`` element, once per check (a quarter of the reading of rendered HTML)."""

    _decomposed = False

    def find_parent(self, name=None, attrs=None, **kwargs):  # type: ignore[override]
        if isinstance(name, str) and not attrs and not kwargs:
            node = self.parent
            while node is not None:
                if node.name == name:
                    return node
                node = node.parent
            return None
        return super().find_parent(name, attrs, **kwargs)


ELEMENT_CLASSES = {Tag: FastTag}
_SPACES = BeautifulSoup.ASCII_SPACES  # what BeautifulSoup collapses in whitespace-only strings
_new_object = object.__new__
_new_str = str.__new__


class _Unsupported(Exception):
    """Markup the fast builder leaves to BeautifulSoup."""


class _TreeTarget:
    """lxml parser target building BeautifulSoup's tree for ``soup`` (an empty BeautifulSoup).

    Mirrors ``BeautifulSoup.handle_starttag``/``endData``/``handle_endtag`` and ``Tag.__init__``
    for the HTML events lxml sends: start, end, data, comment, close.
    """

    def __init__(self, soup: BeautifulSoup) -> None:
        builder = soup.builder
        self.soup = soup
        self.builder = builder
        self.soup_class = soup.__class__
        self.namespaces = builder.active_namespace_prefixes[-1]
        self.attr_dict = getattr(builder, "attribute_dict_class", dict)  # beautifulsoup4 < 4.13: dict
        self.value_list = getattr(builder, "attribute_value_list_class", None)
        self.empty_tags = builder.empty_element_tags
        self.keep_space_tags = builder.preserve_whitespace_tags
        self.string_containers = builder.string_containers
        self.current: Tag = soup
        self.stack: list[Tag] = [soup]
        self.last: Any = None  # the element parsed last (BeautifulSoup's _most_recent_element)
        self.text: list[str] = []
        self.keeping_space: list[Tag] = []  # open pre/textarea
        self.containers: list[Tag] = []  # open script/style/template/rt/rp
        self.names: dict[str, int] = {}  # BeautifulSoup's open_tag_counter, all closed
        self.complete = False  # every tag closed when the parser closed

    def _link(self, node: Any) -> None:
        """Append ``node`` to the current tag, in document order (``PageElement.setup``)."""
        parent = self.current
        node.parent = parent
        node.previous_element = last = self.last
        if last is not None:
            last.next_element = node
        node.next_element = node.next_sibling = None
        siblings = parent.contents
        if siblings:
            previous = siblings[-1]
            node.previous_sibling = previous
            previous.next_sibling = node
        else:
            node.previous_sibling = None
        siblings.append(node)
        self.last = node

    def _flush(self, cls: type[NavigableString] = NavigableString) -> None:
        """The pending text as one string (``BeautifulSoup.endData``)."""
        text = "".join(self.text)
        self.text = []
        if not self.keeping_space and not text.strip(_SPACES):
            text = "\n" if "\n" in text else " "
        if cls is NavigableString and self.containers:
            cls = self.string_containers.get(self.containers[-1].name, cls)
        string = _new_str(cls, text)
        string.hidden = False
        self._link(string)

    def start(self, name: str, attrib: Any) -> None:
        if self.text:
            self._flush()
        builder = self.builder
        attrs = self.attr_dict()
        for key, value in attrib.items():
            if key[:1] == "{":
                raise _Unsupported("namespaced attribute")
            attrs[key] = value
        tag = _new_object(FastTag)
        tag.parser_class = self.soup_class
        tag.name = name
        tag.namespace = tag.prefix = tag.sourceline = tag.sourcepos = None
        tag._namespaces = self.namespaces
        if self.value_list is not None:
            tag.attribute_value_list_class = self.value_list
        tag.attrs = builder._replace_cdata_list_attribute_values(name, attrs) if attrs else attrs
        tag.known_xml = False
        tag.contents = []
        tag.hidden = False
        self._link(tag)
        if name == "meta":
            builder.set_up_substitutions(tag)
        tag.can_be_empty_element = self.empty_tags is None or name in self.empty_tags
        tag.cdata_list_attributes = builder.cdata_list_attributes
        tag.preserve_whitespace_tags = self.keep_space_tags
        containers = self.string_containers
        tag.interesting_string_types = {containers[name]} if name in containers else Tag.MAIN_CONTENT_STRING_TYPES
        self.names[name] = 0
        self.stack.append(tag)
        self.current = tag
        if name in self.keep_space_tags:
            self.keeping_space.append(tag)
        if name in containers:
            self.containers.append(tag)

    def end(self, name: str) -> None:
        if self.text:
            self._flush()
        tag = self.stack.pop()
        if tag.name != name or not self.stack:
            raise _Unsupported("unbalanced end tag")
        self.current = self.stack[-1]
        if self.keeping_space and self.keeping_space[-1] is tag:
            self.keeping_space.pop()
        if self.containers and self.containers[-1] is tag:
            self.containers.pop()

    def data(self, text: str) -> None:
        self.text.append(text)

    def comment(self, text: str) -> None:
        if self.text:
            self._flush()
        self.text.append(text)
        self._flush(Comment)

    def doctype(self, *args: Any) -> None:
        raise _Unsupported("doctype")

    def pi(self, target: str, data: str) -> None:
        if self.text:
            self._flush()
        self.text.append(target + " " + data)
        self._flush(ProcessingInstruction)

    def close(self) -> BeautifulSoup:
        # lxml also calls this when an event raised (then re-raises that exception, which must
        # not be replaced: it may be a Ctrl-C); so it never raises, the caller checks ``complete``
        if self.text:
            self._flush()
        self.complete = len(self.stack) == 1
        soup = self.soup
        soup.open_tag_counter = Counter(self.names)
        soup._most_recent_element = self.last
        return soup


def _fast_soup(root: Any) -> BeautifulSoup:
    """The events of lxml's parser for the tree ``root`` (a document's ``<html>``), replayed
    from the tree: start and end tags, text and tails, comments."""
    soup = BeautifulSoup("", "lxml", element_classes=ELEMENT_CLASSES)
    target = _TreeTarget(soup)
    top = [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]
    for node in top:
        if not isinstance(node.tag, str):  # a comment or processing instruction before <html>
            if node.tag is etree.Comment:
                target.comment(node.text or "")
            else:
                target.pi(node.target, node.text or "")
            continue
        for event, el in etree.iterwalk(node, events=("start", "end", "comment", "pi")):
            if event == "start":
                target.start(el.tag, el.attrib)
                if el.text:
                    target.data(el.text)
            elif event == "end":
                target.end(el.tag)
                if el.tail and el is not node:
                    target.data(el.tail)
            else:
                if event == "comment":
                    target.comment(el.text or "")
                else:
                    target.pi(el.target, el.text or "")
                if el.tail and el is not node:
                    target.data(el.tail)
    target.close()
    if not target.complete:
        raise _Unsupported("unclosed tags")
    return soup


def _bs4_parse(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml", element_classes=ELEMENT_CLASSES)


def shape(soup: BeautifulSoup) -> list[tuple[str, list[tuple[str, Any]]]]:
    """Every node of the tree with every attribute (links as node positions): two trees with the
    same shape are the same to every reader."""
    nodes = [soup, *soup.descendants]
    position = {id(node): i for i, node in enumerate(nodes)}
    links = ("parent", "next_element", "previous_element", "next_sibling", "previous_sibling")
    out = []
    for node in nodes:
        fields = []
        for key, value in sorted(vars(node).items()):
            if key in links or key == "_most_recent_element":
                value = None if value is None else position.get(id(value), "?")
            elif key == "contents":
                value = [position.get(id(child), "?") for child in value]
            elif key == "attrs":
                value = (type(value), [(k, type(v), v) for k, v in value.items()])
            elif key in ("builder", "currentTag", "tagStack"):
                continue  # parse state of the soup itself
            fields.append((key, value))
        out.append((f"{type(node).__name__}:{node if isinstance(node, NavigableString) else node.name}", fields))
    return out


_PROBE = (
    "<p>a <b class='x  y' id=i>b</b>   </p>\n\n<pre>  x\n </pre><!----><script> </script>"
    "<style>a{}</style> <p>\n</p><table><tr><td headers='h1 h2'>1<td>2</table><ul><li>x<li>y</ul>"
    "<textarea>  </textarea><ruby>x<rt>y</rt></ruby><img src=a.png alt=''><br>é&amp;&nbsp;"
    "<p>\x0c</p><p>\r\n </p><a rel='nofollow  me' href=x>l</a>"
)
_fast_ok: bool | None = None  # None: not checked yet


def _fast_builder_ok() -> bool:
    global _fast_ok
    if _fast_ok is None:
        try:
            _fast_ok = shape(_fast_soup(parse_html(_PROBE))) == shape(_bs4_parse(_PROBE))
        except Exception:  # noqa: BLE001 - any surprise means: use BeautifulSoup itself
            _fast_ok = False
    return _fast_ok


def to_soup(root: Any) -> BeautifulSoup:
    """The BeautifulSoup tree of the lxml tree ``root`` (as ``BeautifulSoup(html, "lxml")``
    builds it from the same markup), for the renderer."""
    if _fast_builder_ok():
        try:
            return _fast_soup(root)
        except _Unsupported:
            pass
    return _bs4_parse(etree.tostring(root, encoding="unicode", method="html"))


# Plain by-name searches without BeautifulSoup's generic matching machinery (same results as
# ``find_all``/``find`` with tag names, in document order); the renderer asks them per element.


def find_tags(node: Tag, names: Collection[str]) -> list[Tag]:
    """``node.find_all(names)``: every descendant tag named one of ``names``, in document order."""
    return [el for el in node.descendants if isinstance(el, Tag) and el.name in names]


def find_tag(node: Tag, name: str) -> Tag | None:
    """``node.find(name)``: the first descendant tag named ``name``, or None."""
    for el in node.descendants:
        if isinstance(el, Tag) and el.name == name:
            return el
    return None


def child_tags(node: Tag, names: Collection[str]) -> list[Tag]:
    """``node.find_all(names, recursive=False)``: the child tags named one of ``names``."""
    return [el for el in node.children if isinstance(el, Tag) and el.name in names]


def find_strings(node: Tag) -> list[NavigableString]:
    """``node.find_all(string=True)``: every descendant string (comments included)."""
    return [el for el in node.descendants if isinstance(el, NavigableString)]


_BREAKS = BLOCK_ELEMENTS | {"tr", "br"}


def flatten_deep(root: Tag, max_depth: int = MAX_DEPTH) -> int:
    """Replace the content of every element ``max_depth`` levels below ``root`` that holds
    more elements by its text as one paragraph (words in order, blocks and line breaks as
    spaces: nothing of the text is lost, markup that deep is; one paragraph keeps hostile input
    of any size cheap to render). Iterative: any depth. Returns how many elements were flattened."""
    flattened = 0
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        for child in node.contents:
            if not isinstance(child, Tag):
                continue
            if depth + 1 < max_depth:
                stack.append((child, depth + 1))
            elif any(isinstance(c, Tag) for c in child.contents):
                _flatten(child)
                flattened += 1
    return flattened


def _flatten(el: Tag) -> None:
    """``el``'s content replaced by one paragraph of its text."""
    words: list[str] = []
    for node in el.descendants:
        if isinstance(node, Tag):
            if node.name in _BREAKS:
                words.append(" ")
        elif type(node) is NavigableString:  # text; not comments, scripts, doctypes
            words.append(str(node))
    el.clear()
    text = " ".join("".join(words).split())
    if text:
        p = FastTag(name="p")
        p.append(NavigableString(text))
        el.append(p)
