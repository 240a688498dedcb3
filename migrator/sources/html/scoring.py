"""Readability-style scoring: which container holds the page's main text, whatever its names.

Every block of running text (a paragraph, a pre, a cell, a list item or a div holding text of its
own) scores ``1 + commas + min(length / 100, 3)``; the score flows up to its parent in full, to
its grandparent by half and to the next three ancestors by a third of their distance.  A
container's own score starts from its tag and the words in its class names (content-like words
up, chrome-like words down) and ends multiplied by ``1 - link density``: menus, tag clouds and
related-post lists score low however long they are.  Blocks inside navigation, sidebars,
comments, forms and hidden elements do not score at all.

The best container is never a lone fragment: when siblings of it score nearly as well (a theme
that gives every paragraph its own wrapper), their parent is the content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import vocabulary as V
from .dom import HtmlElement, link_len, visible_len
from .fields import is_meta_line

_SCORED = ("p", "pre", "td", "dd", "li", "blockquote", "div", "section", "article", "font", "span")
_TAG_WEIGHT = {
    "div": 5,
    "article": 5,
    "section": 3,
    "main": 5,
    "pre": 3,
    "td": 3,
    "blockquote": 3,
    "address": -3,
    "ol": -3,
    "ul": -3,
    "dl": -3,
    "dd": -3,
    "dt": -3,
    "li": -3,
    "form": -3,
    "h1": -5,
    "h2": -5,
    "h3": -5,
    "h4": -5,
    "h5": -5,
    "h6": -5,
    "th": -5,
}
_SKIP_TAGS = {
    "nav",
    "aside",
    "footer",
    "form",
    "header",
    "script",
    "style",
    "noscript",
    "template",
    "button",
    "select",
    "textarea",
    "svg",
    "figcaption",
}
_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "pre",
    "table",
    "ul",
    "ol",
    "dl",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "figure",
    "header",
    "footer",
    "aside",
    "nav",
    "form",
    "main",
    "li",
    "td",
}
_COMMAS = re.compile(r"[,،、，]")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
MIN_TEXT = 25


@dataclass
class Candidate:
    element: HtmlElement
    score: float  # tag and class weights, plus the points of the text below, times 1 - link density
    points: float = 0.0  # the points of the text below alone


def _class_weight(el: HtmlElement) -> int:
    weight = 0
    tokens = (el.get("class") or "").split()
    ident = el.get("id") or ""
    if any(V.NEGATIVE.token(t) for t in tokens) or V.NEGATIVE.id(ident):
        weight -= 25
    if any(V.POSITIVE.token(t) for t in tokens) or V.POSITIVE.id(ident):
        weight += 25
    return weight


def _own_text(el: HtmlElement) -> str:
    """Text directly inside ``el`` and inside its inline children (not its block children)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _BLOCKS:
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return "".join(parts)


def _skipped(el: HtmlElement, scope: HtmlElement, cache: dict[HtmlElement, bool]) -> bool:
    """True when ``el`` sits in navigation, a sidebar, comments, a form or a hidden element."""
    chain = []
    node = el
    verdict = False
    while node is not None and node is not scope:
        key = node  # the element itself (an id() of a transient lxml proxy may be reused)
        if key in cache:
            verdict = cache[key]
            break
        chain.append(key)
        if (
            node.tag in _SKIP_TAGS
            or node.get("hidden") is not None
            or _HIDDEN.search(node.get("style") or "")
            or V.COMMENTS.element(node)
            or V.WIDGETS.element(node)
            or V.ASSISTIVE.element(node)
            or _class_weight(node) < 0
        ):
            verdict = True
            break
        node = node.getparent()
    for key in chain:
        cache[key] = verdict
    return verdict


def score(scope: HtmlElement) -> dict[HtmlElement, Candidate]:
    """Score every container under ``scope`` (element -> candidate)."""
    candidates: dict[HtmlElement, Candidate] = {}
    cache: dict[HtmlElement, bool] = {}
    for el in scope.iter(*_SCORED):
        if el.tag in ("div", "section", "article", "span", "font"):
            own = _own_text(el)
            if el.tag in ("span", "font") and el.getparent() is not None and el.getparent().tag == "p":
                continue
        else:
            if el.tag == "li" and any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el):
                continue
            own = el.text_content()
        stripped = " ".join(own.split())
        if len(stripped) < MIN_TEXT or _skipped(el, scope, cache) or (len(stripped) < 200 and is_meta_line(el)):
            continue
        if el.tag in ("li", "td", "dd") and len(stripped) < 2 * MIN_TEXT:
            continue
        points = 1 + len(_COMMAS.findall(stripped)) + min(len(stripped) // 100, 3)
        target = el if el.tag in ("div", "section", "article") else el.getparent()
        level = 0
        node = target
        while node is not None and level < 5:
            if not isinstance(node.tag, str) or node.tag in ("html",):
                break
            cand = candidates.get(node)
            if cand is None:
                cand = candidates[node] = Candidate(node, _TAG_WEIGHT.get(node.tag, 0) + _class_weight(node))
            share = points / (1 if level == 0 else 2 if level == 1 else level * 3)
            cand.score += share
            cand.points += share
            if node is scope:
                break
            node = node.getparent()
            level += 1
    for cand in candidates.values():
        total = visible_len(cand.element)
        density = link_len(cand.element) / total if total else 1.0
        cand.score *= 1 - min(density, 1.0)
    return candidates


def best(scope: HtmlElement) -> HtmlElement | None:
    """The container of ``scope``'s main text (or None when nothing reads like text)."""
    candidates = score(scope)
    if not candidates:
        return None
    top = max(candidates.values(), key=lambda c: c.score)
    if top.score <= 0:
        return None
    return widen(top.element, candidates, scope)


def widen(el: HtmlElement, candidates: dict[HtmlElement, Candidate], scope: HtmlElement) -> HtmlElement:
    """``el``, or its parent when siblings of ``el`` carry text of the same kind.

    A sibling counts when its text earns at least a fifth of the points of ``el``'s (and 5),
    or when it is a paragraph-like block of 80 characters with few links.
    """
    parent = el.getparent()
    if el is scope or parent is None or parent.tag in ("body", "html"):
        return el
    own = candidates.get(el)
    threshold = max(5.0, (own.points if own else 0) * 0.2)
    for sib in parent:
        if sib is el or not isinstance(sib.tag, str):
            continue
        cand = candidates.get(sib)
        if cand is not None and cand.points >= threshold and _class_weight(sib) >= 0:
            return parent
        if _class_weight(sib) < 0:
            continue
        if sib.tag in ("p", "pre", "blockquote") or (
            sib.tag == el.tag and (sib.get("class") or "") == (el.get("class") or "")
        ):
            length = visible_len(sib)
            if length >= 80 and link_len(sib) < 0.25 * length:
                return parent
    return el
