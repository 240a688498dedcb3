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
    for el in elements(root):  # (attributes only: the tree's shape does not change)
        items = el.items()
        if items:
            clean_attrs(el, items)
    for el in list(elements(root, *VOID_HOLDERS)):
        if len(el) or el.text:
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


#: What an attribute name says of its value (:func:`clean_attrs`): a handler or an attribute
#: that runs its value (always dropped), CSS, text (kept), a ``srcset`` (a list of URLs), else
#: possibly a URL.
_DROP, _STYLE, _TEXT, _SRCSET, _URL = "drop", "style", "text", "srcset", "url"
#: Attribute name -> its kind (a few dozen names in a run).
_KINDS: dict[str, str] = {}


def _kind(attr: str) -> str:
    name = attr.lower()
    if name.startswith("on") or name in ("formaction", "srcdoc"):
        kind = _DROP
    elif name == "style":
        kind = _STYLE
    elif name in _TEXT_ATTRS:
        kind = _TEXT
    elif name.endswith("srcset"):
        kind = _SRCSET
    else:
        kind = _URL
    if len(_KINDS) > 4096:  # hostile markup: many names
        _KINDS.clear()
    _KINDS[attr] = kind
    return kind


def clean_attrs(el: Element, items: list[tuple[str, str]] | None = None) -> None:
    """Drop event handlers, dangerous URLs (in any attribute, ``srcset`` candidates included)
    and scripting in ``style``.  ``items``: ``el.items()``, if the caller has them.

    Most values need no look: a value without ``:`` names no scheme, so it is no dangerous URL
    (nor is any ``srcset`` candidate in it)."""
    doomed = []
    for attr, value in el.items() if items is None else items:
        kind = _KINDS.get(attr) or _kind(attr)
        if kind is _TEXT or (kind is _URL and ":" not in value):
            continue
        if kind is _DROP:
            doomed.append(attr)
        elif kind is _STYLE and _BAD_STYLE.search(value):
            doomed.append(attr)
        elif ":" in value and (
            is_dangerous_url(value) or (kind is _SRCSET and any(is_dangerous_url(c) for c in value.split(",")))
        ):
            doomed.append(attr)
    if doomed:
        attrib = el.attrib
        for attr in doomed:
            del attrib[attr]
