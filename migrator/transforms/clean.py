"""Cleaning rendered HTML: scripts, styles, event handlers and dangerous URLs never survive."""

from __future__ import annotations

import re

from ..urls import is_dangerous_url
from .context import Context
from ..htmltree import Element, elements, is_removed, join_text, remove, set_text

#: Elements that execute, restyle the page or redirect it; removed with their content.
DROPPED_ELEMENTS = ("script", "style", "noscript", "template", "base", "meta", "link", "applet", "frame", "frameset")
_DROPPED = frozenset(DROPPED_ELEMENTS)
#: Attributes holding text, never URLs (a title may well start with "JavaScript:").
_TEXT_ATTRS = frozenset({"alt", "title", "aria-label", "aria-description", "summary", "content", "label"})
#: Void elements of HTML5 that lxml's HTML parser (HTML4 rules) lets hold what follows them:
#: ``<embed src=x>`` without ``</embed>`` would swallow the rest of the post.
VOID_HOLDERS = frozenset({"embed", "source", "track", "wbr", "keygen"})
_BAD_STYLE = re.compile(r"expression\s*\(|javascript:|vbscript:|behavior\s*:|-moz-binding", re.I)


def clean(root: Element, ctx: Context) -> None:
    """Remove executable content in place, reporting what was dropped; give void elements back
    what the parser nested in them."""
    dropped: dict[str, int] = {}
    removed = False
    for el in list(elements(root, *_DROPPED)):
        if removed and is_removed(el, root):  # inside an element removed already
            continue
        removed = True
        if not (el.tag == "script" and el.get("type") in ("application/ld+json",)):
            dropped[el.tag] = dropped.get(el.tag, 0) + 1
        remove(el)
    for name, count in sorted(dropped.items()):
        ctx.report("dropped-" + name, f"<{name}> removed ({count}x): executable or presentational only")
    for el in list(elements(root)):
        if el.attrib:
            clean_attrs(el)
        if el.tag in VOID_HOLDERS and (len(el) or el.text):
            unnest_void(el)


def unnest_void(el: Element) -> None:
    """Move what the parser put inside a void element back after it, in order."""
    text, children, after = el.text, list(el), el.tail
    el.text = el.tail = None
    for child in reversed(children):
        el.addnext(child)  # its tail comes along
    if children:
        set_text(children[-1], join_text(children[-1].tail, after), tail=True)
        set_text(el, text, tail=True)
    else:
        set_text(el, join_text(text, after), tail=True)


def clean_attrs(el: Element) -> None:
    """Drop event handlers, dangerous URLs (in any attribute, ``srcset`` candidates included)
    and scripting in ``style``."""
    attrib = el.attrib
    for attr, value in list(attrib.items()):
        name = attr.lower()
        if name.startswith("on") or name in ("formaction", "srcdoc"):
            del attrib[attr]
        elif name == "style" and _BAD_STYLE.search(value):
            del attrib[attr]
        elif name not in _TEXT_ATTRS and (
            is_dangerous_url(value) or (name.endswith("srcset") and any(is_dangerous_url(c) for c in value.split(",")))
        ):
            del attrib[attr]
