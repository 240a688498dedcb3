"""Reading a block's saved HTML with lxml, and the small pieces of HTML handlers write."""

from __future__ import annotations

import html

import lxml.html
from lxml import etree


def attr(value: str) -> str:
    """An attribute value, escaped."""
    return html.escape(value, quote=True)


def fragment(markup: str) -> etree._Element | None:
    """Parse an HTML fragment into a wrapping ``<div>``; None when there is nothing to parse."""
    if not markup.strip():
        return None
    try:
        return lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return None


def inner_html(el: etree._Element) -> str:
    """What is inside ``el``, as HTML."""
    parts = [html.escape(el.text, quote=False) if el.text else ""]
    parts.extend(lxml.html.tostring(child, encoding="unicode", with_tail=True) for child in el)
    return "".join(parts)


def has_class(el: etree._Element, name: str) -> bool:
    return name in (el.get("class") or "").split()


def first(root: etree._Element | None, xpath: str) -> etree._Element | None:
    """The first match of ``xpath`` under ``root`` (``None`` when none, or no root)."""
    if root is None:
        return None
    found = root.xpath(xpath)
    return found[0] if found else None


def cls(name: str) -> str:
    """An XPath test: the element has the class ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"
