"""Cleaning rendered HTML: scripts, styles, event handlers and dangerous URLs never survive."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from ..urls import is_dangerous_url
from .context import Context

#: Elements that execute, restyle the page or redirect it; removed with their content.
DROPPED_ELEMENTS = ("script", "style", "noscript", "template", "base", "meta", "link", "applet", "frame", "frameset")
_DROPPED = frozenset(DROPPED_ELEMENTS)
#: Attributes holding text, never URLs (a title may well start with "JavaScript:").
_TEXT_ATTRS = frozenset({"alt", "title", "aria-label", "aria-description", "summary", "content", "label"})
#: Void elements of HTML5 that lxml's HTML parser (HTML4 rules) lets hold what follows them:
#: ``<embed src=x>`` without ``</embed>`` would swallow the rest of the post.
VOID_HOLDERS = frozenset({"embed", "source", "track", "wbr", "keygen"})
_BAD_STYLE = re.compile(r"expression\s*\(|javascript:|vbscript:|behavior\s*:|-moz-binding", re.I)


def clean(soup: BeautifulSoup, ctx: Context) -> None:
    """Remove executable content in place, reporting what was dropped; give void elements back
    what the parser nested in them."""
    dropped: dict[str, int] = {}
    tags = [node for node in soup.descendants if isinstance(node, Tag)]  # one walk in most documents
    removed = False
    for tag in [t for t in tags if t.name in _DROPPED]:
        if tag.decomposed:  # inside an element removed already
            continue
        removed = True
        if not (tag.name == "script" and tag.get("type") in ("application/ld+json",)):
            dropped[tag.name] = dropped.get(tag.name, 0) + 1
        tag.decompose()
    for name, count in sorted(dropped.items()):
        ctx.report("dropped-" + name, f"<{name}> removed ({count}x): executable or presentational only")
    if removed:
        tags = [node for node in soup.descendants if isinstance(node, Tag)]
    for tag in tags:
        if tag.attrs:
            clean_attrs(tag)
        if tag.name in VOID_HOLDERS and tag.contents:
            unnest_void(tag)


def unnest_void(tag: Tag) -> None:
    """Move what the parser put inside a void element back after it, in order."""
    anchor = tag
    for child in list(tag.contents):
        anchor.insert_after(child.extract())
        anchor = child


def clean_attrs(tag: Tag) -> None:
    """Drop event handlers, dangerous URLs (in any attribute, ``srcset`` candidates included)
    and scripting in ``style``."""
    for attr in list(tag.attrs):
        name = attr.lower()
        value = tag.attrs[attr]
        value = " ".join(value) if isinstance(value, list) else str(value)
        if name.startswith("on") or name in ("formaction", "srcdoc"):
            del tag.attrs[attr]
        elif name == "style" and _BAD_STYLE.search(value):
            del tag.attrs[attr]
        elif name not in _TEXT_ATTRS and (
            is_dangerous_url(value) or (name.endswith("srcset") and any(is_dangerous_url(c) for c in value.split(",")))
        ):
            del tag.attrs[attr]
