"""Cleaning rendered HTML: scripts, styles, event handlers and dangerous URLs never survive."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from .context import Context

_DANGEROUS_URL = re.compile(r"^\s*(?:javascript|vbscript|data\s*:\s*text/html)", re.I)
_EXECUTABLE = frozenset({"script", "style", "noscript", "template"})
_URL_ATTRS = ("href", "src", "action", "formaction", "poster", "data", "xlink:href", "srcset")


def clean(soup: BeautifulSoup, ctx: Context) -> None:
    """Remove executable content in place, reporting what was dropped."""
    dropped: dict[str, int] = {}
    tags = [node for node in soup.descendants if isinstance(node, Tag)]  # one walk in most documents
    for tag in [t for t in tags if t.name in _EXECUTABLE]:
        if tag.name == "script" and tag.get("type") in ("application/ld+json",):
            tag.decompose()
            continue
        dropped[tag.name] = dropped.get(tag.name, 0) + 1
        tag.decompose()
    for name, count in sorted(dropped.items()):
        ctx.report("dropped-" + name, f"<{name}> removed ({count}x): executable or presentational only")
    if dropped or any(t.name == "script" for t in tags):
        tags = [node for node in soup.descendants if isinstance(node, Tag)]
    for tag in tags:
        if tag.attrs:
            _clean_attrs(tag)


def _clean_attrs(tag: Tag) -> None:
    for attr in list(tag.attrs):
        if attr.lower().startswith("on"):
            del tag.attrs[attr]
        elif attr.lower() in _URL_ATTRS:
            value = tag.attrs[attr]
            value = " ".join(value) if isinstance(value, list) else str(value)
            if _DANGEROUS_URL.match(value):
                del tag.attrs[attr]
