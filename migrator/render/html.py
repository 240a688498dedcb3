"""HTML kept as HTML in the Markdown: serialised with unsafe elements and attributes removed."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from ..transforms.clean import DROPPED_ELEMENTS
from ..urls import is_dangerous_url

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


def sanitize_html(el: Tag) -> str:
    """Serialise an element kept as raw HTML, with unsafe attributes and elements removed."""
    clone = BeautifulSoup(str(el), "html.parser")
    for bad in clone.find_all([*DROPPED_ELEMENTS, "object", "embed", "form", "input", "button"]):
        bad.decompose()
    for tag in clone.find_all(True):
        for attr in list(tag.attrs):
            value = tag.attrs[attr]
            value = " ".join(value) if isinstance(value, list) else str(value)
            if attr.lower() not in _SAFE_ATTRS or (attr.lower() in _URL_ATTRS and is_dangerous_url(value)):
                del tag.attrs[attr]
    html = str(clone).strip()
    return re.sub(r"\n\s*\n", "\n", html)  # a blank line would end the HTML block
