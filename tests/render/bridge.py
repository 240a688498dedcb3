"""A BeautifulSoup tree as the lxml tree the renderer reads, node for node.

For the differential check of the renderer against the BeautifulSoup renderer it replaced
(``tests/render/test_lxml_differential.py``): each tag becomes an element with
the same name and attributes (word lists joined by spaces), each string the text or tail
where it stands (adjacent strings joined, as lxml holds them), each comment a comment.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html
from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, Tag
from lxml import etree

#: Characters XML (so lxml) does not allow in text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def from_soup(soup: Any, html_elements: bool = True) -> Any:
    """The lxml tree of ``soup`` (a BeautifulSoup document: its ``<html>`` element, or a
    document element built around its content when it has none; or a tag: that tag), of
    ``lxml.html`` elements or (``html_elements`` False) plain ones."""
    make = lxml.html.Element if html_elements else etree.Element
    if isinstance(soup, BeautifulSoup):
        for i, child in enumerate(soup.contents):
            if isinstance(child, Tag) and child.name == "html":
                html = _convert(child, make)
                for before in soup.contents[:i]:  # comments around the document, as lxml holds them
                    if isinstance(before, Comment):
                        html.addprevious(_comment(str(before)))
                for after in reversed(soup.contents[i + 1 :]):
                    if isinstance(after, Comment):
                        html.addnext(_comment(str(after)))
                return html
        root = make("html")
        _fill(etree.SubElement(root, "body"), soup)
        return root
    return _convert(soup, make)


def _convert(tag: Tag, make: Any) -> Any:
    el = _element(tag.name, tag.attrs, None, make)
    _fill(el, tag)
    return el


def _fill(el: Any, tag: Tag) -> None:
    """Give ``el`` the content of ``tag``, iteratively (a tree of any depth)."""
    stack: list[tuple[Any, Any]] = [(el, iter(tag.contents))]
    while stack:
        parent, contents = stack[-1]
        child = next(contents, None)
        if child is None:
            stack.pop()
            continue
        if isinstance(child, Tag):
            new = _element(child.name, child.attrs, parent)
            stack.append((new, iter(child.contents)))
        elif isinstance(child, Comment):
            parent.append(_comment(str(child)))
        elif isinstance(child, (Doctype, Declaration)):
            continue
        elif isinstance(child, NavigableString):
            _add_text(parent, str(child))


def _add_text(parent: Any, text: str) -> None:
    text = _NOT_XML.sub("", text)
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _element(name: str, attrs: dict, parent: Any, make: Any = None) -> Any:
    try:
        el = make(name) if parent is None else etree.SubElement(parent, name)
    except ValueError:  # a name only a parser makes (<o:p>)
        el = _parsed_element(name)
        if parent is not None:
            parent.append(el)
    for key, value in attrs.items():
        value = " ".join(value) if isinstance(value, list) else str(value)
        try:
            el.set(key, _NOT_XML.sub("", value))
        except ValueError:  # a name only a parser makes
            continue
    return el


def _parsed_element(name: str) -> Any:
    try:
        found = lxml.html.fragment_fromstring(f"<{name}></{name}>")
        if found.tag == name:
            return found
    except (etree.ParserError, ValueError):
        pass
    return lxml.html.Element(re.sub(r"[^A-Za-z0-9_.-]", "_", name) or "span")


def _comment(text: str) -> Any:
    try:
        return etree.Comment(_NOT_XML.sub("", text))
    except ValueError:  # "--" in it: only a parser makes such a comment
        body = lxml.html.fragment_fromstring(f"<div><!--{text}--></div>")
        comment = body[0]
        body.remove(comment)
        return comment
