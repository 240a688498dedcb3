"""Finding posts on a page: their containers and, inside each, the element holding the text.

WordPress markup first, where it is strong: ``post_class()`` marks every post container with
``post-N`` (and ``hentry``), the block library marks the content with ``wp-block-post-content``
and hAtom themes with ``entry-content``.  Where it is missing or weak, scoring decides
(:mod:`.scoring`), and on listings the repetition of same-shaped posts (:mod:`.listings`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import scoring
from . import vocabulary as V
from .dom import (
    HtmlElement,
    classes,
    in_group,
    inside,
    is_comment,
    is_widget,
    link_len,
    outermost,
    outside,
    visible_len,
    with_token,
)
from .fields import post_id

_POST_TOKEN = re.compile(r"^post-\d+$")
#: A strong wrapper holding less than this share of the scored main text is a fragment.
FRAGMENT_SHARE = 0.35


@dataclass
class Found:
    """Where a post's text is: ``element``; ``summary`` when it is an excerpt wrapper;
    ``whole`` when no wrapper was found and ``element`` is the container itself; ``strong``
    when WordPress's own content markup marked it."""

    element: HtmlElement
    summary: bool = False
    whole: bool = False
    strong: bool = False


def has_substance(el: HtmlElement) -> bool:
    return bool(visible_len(el)) or el.find(".//img") is not None or el.find(".//iframe") is not None


def find_containers(root: HtmlElement) -> list[HtmlElement]:
    """Outermost post containers in document order (comments and widgets excluded)."""
    body = root.find(".//body")
    scope = body if body is not None else root
    by_id: dict[str, list[HtmlElement]] = {}
    for el in with_token(scope, _POST_TOKEN.match):
        pid = post_id(el)
        if pid and not is_comment(el) and not is_widget(el):
            by_id.setdefault(pid, []).append(el)
    found = []
    for els in by_id.values():
        outer = outermost(els)
        # several disjoint elements carry the id (a header band and the post): the post is the
        # one with a content wrapper, else the one with the most text
        found.append(max(outer, key=lambda el: (_strong(el, []) is not None, visible_len(el))))
    if not found:
        found = [
            el
            for el in [*in_group(scope, V.POST_MARKS), *scope.iter("article")]
            if el is not scope and not is_comment(el) and not is_widget(el)
        ]
    order = {el: i for i, el in enumerate(scope.iter())}
    return sorted(outermost(list(dict.fromkeys(found))), key=lambda el: order.get(el, 0))


def main_container(body_classes: set[str], containers: list[HtmlElement]) -> HtmlElement | None:
    """The post a single page shows: the container of ``postid-N``, else the one with most text."""
    want = ""
    for c in body_classes:
        m = re.match(r"^(?:postid|page-id)-(\d+)$", c)
        if m:
            want = m.group(1)
    if want:
        for el in containers:
            if post_id(el) == want:
                return el
    if not containers:
        return None

    def size(el: HtmlElement) -> int:
        found = find_content(el)
        return visible_len(found.element if found is not None else el)

    return max(containers, key=size)


def _candidates(container: HtmlElement, group: V.Group, exclude: list[HtmlElement]) -> list[HtmlElement]:
    """Outermost elements ``group`` names in ``container`` (comments, widgets, ``exclude`` out)."""
    cands = [
        el for el in in_group(container, group) if not is_comment(el) and outside(el, exclude) and has_substance(el)
    ]
    return outermost(cands)


def _run_parent(el: HtmlElement, group: V.Group) -> HtmlElement:
    """``el``'s parent when ``el`` is one of a run of siblings with the same wrapper class (a theme
    that marks every paragraph): the run is the content, not its longest member."""
    parent = el.getparent()
    if parent is None:
        return el
    mine = [t for t in classes(el) if group.token(t)]
    kin = [s for s in parent if s is not el and isinstance(s.tag, str) and any(t in classes(s) for t in mine)]
    return parent if kin else el


def _fragment_parent(el: HtmlElement) -> HtmlElement:
    """``el``'s parent when ``el`` is one paragraph of a run (a theme that marks the first block
    of the text, not the text): plain paragraphs of its own length stand beside it."""
    parent = el.getparent()
    if parent is None or parent.tag in ("body", "html"):
        return el
    for sib in parent:
        if sib is el or not isinstance(sib.tag, str) or sib.tag not in ("p", "pre", "blockquote"):
            continue
        if sib.get("class") and any(g.element(sib) for g in (V.SUMMARY, V.TITLE, V.DATE, V.AUTHOR, V.TERMS)):
            continue
        length = visible_len(sib)
        if length >= 80 and link_len(sib) < 0.25 * length:
            return parent
    return el


def _strong(container: HtmlElement, exclude: list[HtmlElement]) -> HtmlElement | None:
    for token in V.CONTENT.ordered:
        cands = [el for el in _candidates(container, V.CONTENT, exclude) if token in classes(el)]
        if cands:
            return _run_parent(max(cands, key=visible_len), V.CONTENT)
    return None


def find_content(container: HtmlElement, exclude: list[HtmlElement] | None = None) -> Found | None:
    """Where the post's text is inside ``container``.

    1. A strong wrapper (``entry-content``, ``wp-block-post-content``) -- unless it is a fragment
       of the text scoring finds around it, which then wins;
    2. the best of the weaker wrappers (``itemprop=articleBody``, names two sources use) and the
       scored main text, the innermost one that holds nearly all of the text;
    3. an excerpt wrapper;
    4. else ``None`` (the caller may use the container itself).
    """
    exclude = exclude or []
    strong = _strong(container, exclude)
    scored = scoring.best(container)
    if scored is not None and not outside(scored, exclude):
        scored = None
    if strong is not None:
        if (
            scored is not None
            and inside(strong, scored)
            and strong is not scored
            and visible_len(strong) < FRAGMENT_SHARE * visible_len(scored)
        ):
            return Found(_fragment_parent(strong))
        return Found(strong, strong=True)
    summaries = _candidates(container, V.SUMMARY, exclude)
    weak = [
        el
        for el in container.xpath(".//*[@itemprop='articleBody']")
        if outside(el, exclude) and has_substance(el) and not is_comment(el)
    ]
    weak += [_run_parent(el, V.WEAK_CONTENT) for el in _candidates(container, V.WEAK_CONTENT, exclude)]
    weak = [el for el in weak if not V.SUMMARY.element(el)]
    if scored is not None and not V.SUMMARY.element(scored) and not any(inside(s, scored) for s in summaries):
        weak.append(scored)
    if weak:
        top = max(weak, key=visible_len)
        inner = [el for el in weak if el is not top and inside(el, top) and visible_len(el) >= 0.9 * visible_len(top)]
        return Found(max(inner, key=visible_len) if inner else top)
    if summaries:
        return Found(max(summaries, key=visible_len), summary=True)
    if scored is not None:
        return Found(scored, summary=V.SUMMARY.element(scored))
    return None
