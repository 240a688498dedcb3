"""Index and archive pages by structure: posts are repeated, same-shaped sibling containers.

A theme may wrap the posts of a listing in anything; what every listing shares is repetition:
several sibling containers of the same shape, each holding a heading that links to the post and
a date.  Each such container is one post, whatever its class names.  Sidebar lists (recent posts,
archives) have no headings per item and do not qualify; navigation, widgets and comments are
never searched.
"""

from __future__ import annotations

import re

from .. import dates
from .dom import HEADINGS, HtmlElement, classes, is_comment, is_widget, text

#: A listing has at least this many posts (one post alone is not a repetition).
MIN_POSTS = 2
#: Share of a group's items that must show a date.
DATED_SHARE = 0.6


def _heading_link(h: HtmlElement) -> bool:
    for a in h.iter("a"):
        href = (a.get("href") or "").strip()
        if href and not href.startswith(("#", "javascript:", "mailto:")) and text(a):
            return True
    return False


def _has_date(el: HtmlElement) -> bool:
    if el.find(".//time") is not None:
        return True
    for node in el.iter():
        if not isinstance(node.tag, str) or len(node) > 3:
            continue
        value = text(node)
        if 4 < len(value) < 80 and dates.find_day(value):
            return True
    return False


def _shape(el: HtmlElement) -> tuple:
    """Tag and class names without digits and post-specific parts (``post-12``, ``tag-x``)."""
    kept = sorted(
        t
        for t in classes(el)
        if not re.search(r"\d", t)
        and not t.startswith(("category-", "tag-", "format-", "status-", "type-", "has-", "author-"))
    )
    return el.tag, tuple(kept)


def linked_headings(root: HtmlElement) -> list[HtmlElement]:
    """Headings holding a link, outside navigation, widgets and comments (the posts' titles)."""
    body = root.find(".//body")
    scope = body if body is not None else root
    return [h for h in scope.iter(*HEADINGS) if _heading_link(h) and not is_widget(h) and not is_comment(h)]


def find_items(root: HtmlElement) -> list[HtmlElement]:
    """The post containers of a listing, in page order (empty when the page repeats nothing)."""
    body = root.find(".//body")
    scope = body if body is not None else root
    heads = linked_headings(root)
    if len(heads) < MIN_POSTS:
        return []
    # each heading's item: its highest ancestor that holds no other listed heading
    counts: dict[HtmlElement, int] = {}
    for h in heads:
        for anc in h.iterancestors():
            counts[anc] = counts.get(anc, 0) + 1
    items = []
    for h in heads:
        item = h
        for anc in h.iterancestors():
            if counts.get(anc, 0) > 1 or anc is scope:
                break
            item = anc
        items.append(item)
    groups: dict[tuple, list[HtmlElement]] = {}
    for item in items:
        parent = item.getparent()
        key = (_shape(item), _shape(parent) if parent is not None else None)
        groups.setdefault(key, []).append(item)
    best: list[HtmlElement] = []
    for members in groups.values():
        if len(members) < MIN_POSTS or members[0].tag in HEADINGS:
            continue
        dated = sum(1 for m in members if _has_date(m))
        if dated < DATED_SHARE * len(members):
            continue
        if len(members) > len(best):
            best = members
    return best
