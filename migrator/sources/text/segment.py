"""Finding the posts of a page: evidence, candidate segmentations, the one that explains most.

Nothing here names a theme.  The page is read as lines with features (meta, chrome rule, the
shape of a title or of prose, repetitions), then:

1. **Meta groups** -- runs of metadata lines (a date, a byline, categories, tags, comment
   counts; split over several lines or glued into one) -- are the anchors of posts.  Groups
   inside a comment section ("19 thoughts on “X”" up to the next post's labelled meta) are
   comments, not posts.
2. **Arrangements**: a theme prints the meta of every post of a page in the same place --
   under the title (``below``), above it (``above``) or after the post's text (``after``).
   Each arrangement, tried on the page's groups of one kind, gives a list of posts; each
   post scores by the evidence for it (a title-shaped line where the arrangement puts the
   title, text after it, the title repeated elsewhere as a link, a comment link naming it).
   The best-scoring arrangement wins.  A date is evidence, not a requirement: groups without
   dates (bylines, categories) anchor posts as well.  A "Read more" link with nothing but
   chrome after it closes a post's excerpt.
3. A page that yields fewer than two posts with text is **one post**: its title is the
   title-shaped line with the most evidence (next to the post's meta, repeated in the
   breadcrumbs or the comment heading, followed by the text), never the site name, nor the
   alt text of a featured image printed next to the title (the text echoes its title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lines import is_list_item
from .meta import Meta
from .switches import on
from .page import Group, Page, menu_run, page_end, text_end, text_key


@dataclass
class Plan:
    """One post as the segmentation sees it (indices into the page's lines)."""

    title: int
    start: int  # first line after the title and its header
    end: int  # first line after the post's text (exclusive)
    groups: list[Group] = field(default_factory=list)
    head: list[int] = field(default_factory=list)  # header lines between title and text
    lead: list[int] = field(default_factory=list)  # lines above the title that belong to the post
    footer: int | None = None  # index where the post's after-text meta starts
    guessed: bool = False  # the title is the first after the page's header, not tied to meta


@dataclass
class Layout:
    posts: list[Plan]
    single: bool
    arrangement: str
    zones: list[tuple[int, int]]


# --------------------------------------------------------------------------------------------
# Arrangements


def _title_above(page: Page, g: Group, floor: int) -> tuple[int | None, list[int]]:
    """The title right above a group (skipping residue and labels), not above ``floor``."""
    skipped: list[int] = []
    i = g.start - 1
    while i >= floor:
        if page.skippable(i):
            skipped.append(i)
            i -= 1
            continue
        return (i, skipped) if page.titled(i) > 0 else (None, skipped)
    return None, skipped


def _title_below(page: Page, g: Group, ceiling: int) -> tuple[int | None, list[int]]:
    skipped: list[int] = []
    i = g.end + 1
    while i < ceiling:
        if page.skippable(i):
            skipped.append(i)
            i += 1
            continue
        return (i, skipped) if page.titled(i) > 0 else (None, skipped)
    return None, skipped


def _first_title(page: Page, a: int, b: int) -> int | None:
    """The first title-shaped line in [a, b) after the chrome that closes the post before."""
    for i in range(a, b):
        if page.skippable(i) or page.meta[i] is not None:
            continue
        rule = page.rule[i]
        if rule is not None and rule.kind in ("more", "end", "line") and page.titled(i) == 0:
            continue
        return i if page.titled(i) > 0 else None
    return None


def _opening_title(page: Page, stop: int, pre_body: set[str]) -> int | None:
    """The first post's title when its meta follows its text: the first title-shaped line
    after the page's header that is followed by text (past lines that stand between a title
    and its text in the page's other posts); else the first title-shaped line."""
    start = page.header_end(stop)
    first = None
    for i in range(start, stop):
        if page.titled(i) <= 0 or page.meta[i] is not None:
            continue
        first = i if first is None else first
        key = text_key(page.lines[i].norm)
        j = i + 1
        while j < stop and (page.skippable(j) or text_key(page.lines[j].norm) in pre_body | {key}):
            j += 1
        if j < stop and (page.prose[j] or is_list_item(page.lines[j].norm)):
            return i
    return first


def _best_title(page: Page, a: int, b: int) -> int | None:
    """The title among the lines [a, b) before a post's text when nothing marks where the
    page's header ends: the title-shaped line with the most evidence."""
    best, best_score = None, 0.0
    for i in range(a, b):
        t = page.titled(i)
        if t <= 0 or page.in_zone(i):
            continue
        key = text_key(page.lines[i].norm)
        score = t
        # followed by text within a few lines
        nxt = i + 1
        while nxt < b and (page.skippable(nxt) or page.meta[nxt] is not None or text_key(page.lines[nxt].norm) == key):
            nxt += 1
        if nxt < len(page) and (page.prose[nxt] or is_list_item(page.lines[nxt].norm)):
            score += 1.5
        elif nxt < len(page) and page.titled(nxt) > 0:
            score -= 0.3
        if menu_run(page, i):
            score -= 1.5
        if is_list_item(page.lines[i].norm):
            score -= 0.75
        if any(page.prose[j] for j in range(max(a, i - 2), i)):
            score -= 1.5  # a line inside the text, not above it
        if page.about(key):
            score += 2
        elif page.mentions(i):
            score += 0.5
        score += 0.002 * (i - a)  # later lines are less likely the page's header
        if score > best_score:
            best, best_score = i, score
    return best


def _arrange(page: Page, groups: list[Group], how: str) -> list[Plan]:
    """The posts the groups give when each post's meta is ``how`` ("below" its title,
    "above" it, "after" its text)."""
    posts: list[Plan] = []
    n = len(page)
    if how == "below":
        floor = 0
        for g in groups:
            title, _ = _title_above(page, g, floor)
            if title is None:
                continue
            posts.append(Plan(title, g.end + 1, n, [g], head=[i for i in range(title + 1, g.start)] + g.members))
            floor = g.end + 1
    elif how == "above":
        for k, g in enumerate(groups):
            ceiling = groups[k + 1].start if k + 1 < len(groups) else n
            title, _ = _title_below(page, g, ceiling)
            if title is None:
                continue
            lead = _above_lead(page, g, posts[-1].title + 1 if posts else None)
            posts.append(Plan(title, title + 1, n, [g], lead=lead + list(range(g.start, title)), head=[]))
        if posts:
            _first_lead(page, posts)
    elif how == "after":
        prev_end = 0
        for k, g in enumerate(groups):
            if k == 0:
                title = _opening_title(page, g.start, _pre_body_texts(page, groups) if on("pre-body") else set())
            else:
                title = _first_title(page, prev_end, g.start)
            prev_end = g.end + 1
            if title is None:
                continue
            posts.append(Plan(title, title + 1, g.start, [g], footer=g.start, guessed=k == 0))
    # Themes that print categories above the title (Twenty Twenty) do so for every post: the
    # first post tells.  Otherwise meta after a post's text belongs to that post.
    above_style = False
    if how == "below" and posts:
        first = posts[0]
        i = first.title - 1
        while i >= 0 and page.skippable(i):
            i -= 1
        if i >= 0 and page.meta[i] is not None and not page.meta[i].strong:
            above_style = True
            while i >= 0 and (page.skippable(i) or (page.meta[i] is not None and not page.meta[i].strong)):
                first.lead.insert(0, i)
                i -= 1
    # the text of a post runs to the next post's title (or the lines above it that are its own)
    for k, post in enumerate(posts):
        if k + 1 < len(posts):
            nxt = posts[k + 1]
            stop = min([nxt.title] + nxt.lead)
            if how == "below":
                # residue (and, above-style, meta) right above the next title is the next post's
                while stop - 1 > post.start and (
                    page.skippable(stop - 1)
                    or (above_style and page.meta[stop - 1] is not None and not page.meta[stop - 1].strong)
                ):
                    stop -= 1
                    nxt.lead.insert(0, stop)
            post.end = min(post.end, stop) if how == "after" else stop
        if how != "after":
            more = _closing_more(page, post.start, post.end)
            if more is not None:
                post.end = more + 1  # what follows the link is not the excerpt's
    return posts


def _closing_more(page: Page, a: int, b: int) -> int | None:
    """The "Read more" link that closes the excerpt in [a, b): no text and no meta after it."""
    if not on("more-closes"):
        return None
    for i in range(b - 1, a - 1, -1):
        rule = page.rule[i]
        if rule is not None and rule.kind == "more":
            return i
        if page.meta[i] is not None or page.prose[i] or is_list_item(page.lines[i].norm):
            return None
    return None


def _above_lead(page: Page, g: Group, prev: int | None) -> list[int]:
    """With the meta above the title, what stands between the post before and the meta is the
    post's own when the post before closed with its "Read more" link: its categories printed
    above the meta, its image.  Else only image residue right above the meta is."""
    more = _closing_more(page, prev, g.start) if prev is not None else None
    if more is not None:
        lead = list(range(more + 1, g.start))
        return [] if any(page.prose[i] or page.meta[i] is not None for i in lead) else lead
    a = g.start
    while a - 1 >= (prev or 0) and page.residue[a - 1]:
        a -= 1
    return list(range(a, g.start))


def _first_lead(page: Page, posts: list[Plan]) -> None:
    """The first post of a listing has no post before it to close: it takes above its meta
    as many lines as every other post's lead holds (a theme prints the same parts for each
    post: at least the fewest lines another post's lead holds), when those lines are no text,
    no meta and no chrome."""
    sizes = {len([i for i in p.lead if i < p.groups[0].start and not page.residue[i]]) for p in posts[1:]}
    if len(posts) < 3 or 0 in sizes:
        return
    first, want = posts[0], min(sizes)
    g = first.groups[0]
    i = min([g.start] + [k for k in first.lead if k < g.start])
    taken: list[int] = []
    while i - 1 >= 0 and len([k for k in taken if not page.residue[k]]) < want:
        i -= 1
        if page.prose[i] or page.meta[i] is not None or page.rule[i] is not None or len(page.lines[i].norm) > 80:
            return
        taken.insert(0, i)
    first.lead[:0] = [k for k in taken if k not in first.lead]


def _pre_body_texts(page: Page, groups: list[Group]) -> set[str]:
    """Texts that stand between a title and its post's text elsewhere on the page (a featured
    image's alt text printed after every title): no title for the first post."""
    out: set[str] = set()
    for k in range(1, len(groups)):
        t = _first_title(page, groups[k - 1].end + 1, groups[k].start)
        if t is None:
            continue
        i = t + 1
        while i < groups[k].start and not page.prose[i] and i < t + 3:
            out.add(text_key(page.lines[i].norm))
            i += 1
    return out


def _real_text(page: Page, a: int, b: int) -> bool:
    """Prose or a list in [a, b), or more than one line of content."""
    b = min(b, a + 400)
    return page.content(a, b) > 1 or any(
        (page.prose[i] or is_list_item(page.lines[i].norm)) and page.meta[i] is None and page.rule[i] is None
        for i in range(a, b)
    )


def _adjacent(page: Page, post: Plan) -> bool:
    """Is the post's meta group right next to what the arrangement ties it to: the title (meta
    above or below it), or the last line of the text (meta after it)?"""
    if not post.groups:
        return False
    g = post.groups[0]
    if post.footer is not None:
        i = g.start - 1
        while i > post.title and page.skippable(i):
            i -= 1
        return (
            i > post.title
            and page.rule[i] is None
            and page.meta[i] is None
            and (page.prose[i] or is_list_item(page.lines[i].norm))
        )
    lo, hi = (post.title + 1, g.start) if g.start > post.title else (g.end + 1, post.title)
    return all(page.skippable(i) for i in range(lo, hi))


def _score(page: Page, posts: list[Plan]) -> float:
    score = 0.0
    seen: set[str] = set()
    for post in posts:
        key = text_key(page.lines[post.title].norm)
        s = page.titled(post.title)
        if key in seen:
            s -= 2
        seen.add(key)
        body = page.content(post.start, post.end if post.footer is None else post.footer)
        s += 1.0 if body else -1.5
        if post.guessed:
            s -= 0.5  # no meta of its own ties this title down (the first post, meta after the text)
        if _adjacent(page, post):
            s += 0.5  # the meta right against its title (above or below it) or its text (after it)
        if page.about(key):
            s += 1.0
        elif page.mentions(post.title):
            s += 0.5
        for g in post.groups:
            if g.meta.about and text_key(g.meta.about.strip('“”"')) != key:
                s -= 2.0  # the post's own meta names another title
        stop = post.footer if post.footer is not None else post.end
        if any(
            post.start <= g.start < stop
            and g.meta.strong
            and g.meta.labelled
            and not g.in_comments
            and g not in post.groups
            for g in page.groups
        ):
            s -= 2.0  # another post's meta inside this post's text: two posts merged
        score += s
    return score


def segment(page: Page) -> Layout:
    """The posts of the page, by the arrangement of its meta groups that explains it best."""
    anchors = [g for g in page.groups if g.meta.strong and not g.in_comments and not g.comment_like]
    kinds: dict[tuple[bool, bool], list[Group]] = {}
    for g in anchors:
        kinds.setdefault(g.kind, []).append(g)
    best: tuple[float, str, list[Plan]] = (0.0, "", [])
    for kind, groups in sorted(kinds.items(), key=lambda kv: (not kv[0][1], not kv[0][0])):
        for how in ("below", "after", "above"):
            posts = _arrange(page, groups, how)
            posts = [p for p in posts if page.content(p.start, page_end(page, p.start, p.end, listing=True)) > 0]
            orphans = len(groups) - len(posts)
            score = _score(page, posts) + (0.5 * len(posts) if kind[1] else 0.0) - orphans
            # a listing's posts show text (a list of titles and dates is related posts)
            texts = sum(1 for p in posts if _real_text(page, p.start, p.footer if p.footer is not None else p.end))
            if (
                len(posts) >= 2
                and orphans < len(posts)
                and texts * 2 >= len(posts)
                and texts >= 2
                and score > best[0] + 1e-9
            ):
                best = (score, how, posts)
    if not best[2] and on("more-link-listing"):
        # No meta anywhere to anchor posts (a theme that prints neither dates nor bylines):
        # "Read more" links close the excerpts of a listing.
        more = [
            Group(i, i, [i], Meta())
            for i in range(len(page))
            if page.rule[i] is not None and page.rule[i].kind == "more" and not page.in_zone(i)
        ]
        posts = [p for p in _arrange(page, more, "after") if page.content(p.start, p.end) > 0]
        if len(posts) >= 2 and len(more) - len(posts) < len(posts):
            best = (_score(page, posts), "after", posts)
    score, how, posts = best
    if len(posts) >= 2:
        _close(page, posts, how)
        return Layout(posts, False, how, page.zones)
    return _single(page, anchors)


def _close(page: Page, posts: list[Plan], how: str) -> None:
    """Where the last post of a listing ends, and footers inside each post."""
    last = posts[-1]
    if how != "after":
        last.end = page_end(page, last.start, last.end, listing=True)
    for post in posts:
        if post.footer is not None:
            continue
        # meta after the text (a second group) ends the text
        for g in page.groups:
            if post.start <= g.start < post.end and g not in post.groups and not g.in_comments and g.meta.labelled:
                if page.content(g.end + 1, post.end) == 0 or post is last:
                    post.footer = g.start
                    post.groups.append(g)
                    break


def _single(page: Page, anchors: list[Group]) -> Layout:
    """The page holds one post (or none): its title is the title-shaped line with the most
    evidence, wherever the theme puts the meta (above or under the title, after the text)."""
    n = len(page)
    end_all = min([a for a, _ in page.zones] + [n])
    candidates: list[tuple[float, Plan]] = []
    prev = 0
    for g in anchors:
        if g.start >= end_all:
            break
        bonus = 0.5 if g.meta.date is not None else 0.0
        # meta followed by the post's text is its header; meta followed by chrome its footer
        after = range(g.end + 1, text_end(page, g.end + 1, end_all))
        header = page.content(after.start, after.stop) >= 4 or any(
            page.prose[i] or is_list_item(page.lines[i].norm) for i in after
        )
        if header:
            title, _ = _title_above(page, g, prev)
            if title is not None:
                plan = Plan(title, g.end + 1, n, [g], head=[i for i in range(title + 1, g.start)] + g.members)
                candidates.append((_single_score(page, title) + bonus, plan))
            below, _ = _title_below(page, g, end_all)
            if below is not None and page.content(below + 1, text_end(page, below + 1, end_all)) > 0:
                plan = Plan(below, below + 1, n, [g], lead=list(range(g.start, below)))
                candidates.append((_single_score(page, below) + bonus - 0.25, plan))
        else:
            title = _first_title(page, max(prev, page.header_end(g.start)), g.start)
            if title is not None and page.content(title + 1, g.start) > 0:
                plan = Plan(title, title + 1, g.start, [g], footer=g.start)
                candidates.append((_single_score(page, title) + bonus, plan))
        prev = g.end + 1
    if not candidates:
        first_prose = next((i for i in range(end_all) if page.prose[i] and page.meta[i] is None), None)
        limit = first_prose + 1 if first_prose is not None else end_all
        title = _best_title(page, 0, min(limit, end_all))
        if title is None:
            return Layout([], True, "none", page.zones)
        candidates.append((0.0, Plan(title, title + 1, n)))
    candidates.sort(key=lambda c: -c[0])
    plan = candidates[0][1]
    if not plan.head and (plan.footer is not None or not plan.groups):
        _featured_alt(page, plan, end_all)
    # skip what stands between the title and the text
    while plan.start < n and (
        page.skippable(plan.start) or text_key(page.lines[plan.start].norm) == text_key(page.lines[plan.title].norm)
    ):
        plan.head.append(plan.start)
        plan.start += 1
    if plan.footer is None:
        plan.end = text_end(page, plan.start, end_all)
        for g in page.groups:
            if plan.start < g.start < plan.end and g not in plan.groups and g.meta.labelled:
                plan.footer = g.start
                plan.groups.append(g)
                break
    else:
        end = g_end = plan.groups[-1].end + 1
        while end < n and page.meta[end] is not None:
            end += 1
        plan.end = max(end, g_end)
    return Layout([plan], True, "single", page.zones)


_ECHO_WORD_RE = re.compile(r"[^\W\d_]{4,}")


def _echo(page: Page, i: int, a: int, b: int) -> float:
    """Share of the words of line ``i`` (four letters or more) that the text in [a, b) uses:
    a post's text takes up the words of its title; an image's alt text describes a picture."""
    own = {w.casefold() for w in _ECHO_WORD_RE.findall(page.lines[i].norm)}
    if not own:
        return 0.0
    seen: set[str] = set()
    for k in range(a, b):
        if page.meta[k] is None and page.rule[k] is None:
            seen.update(w.casefold() for w in _ECHO_WORD_RE.findall(page.lines[k].norm))
    return len(own & seen) / len(own)


def _featured_alt(page: Page, plan: Plan, end_all: int) -> None:
    """Two title-shaped lines where one post's title should be, no meta next to either: the
    title and the alt text of the featured image a text browser prints above or below it.
    When the first line is tied to nothing (not repeated on the page, its words absent from
    the text) and the next one is echoed by the text, the next one is the title and the first
    is the image's (``lead``)."""
    t = plan.title
    nxt = t + 1
    while nxt < end_all and page.skippable(nxt):
        nxt += 1
    if nxt >= end_all or page.titled(nxt) <= 0 or page.meta[nxt] is not None or is_list_item(page.lines[nxt].norm):
        return
    if page.prose[t] or page.prose[nxt] or text_key(page.lines[t].norm) == text_key(page.lines[nxt].norm):
        return
    if page.about(text_key(page.lines[t].norm)) or page.mentions(t):
        return
    stop = text_end(page, nxt + 1, end_all) if plan.footer is None else plan.footer
    if _echo(page, t, nxt + 1, stop) == 0 and _echo(page, nxt, nxt + 1, stop) > 0:
        for i in range(t, nxt):
            page.residue[i] = True  # reported as image residue, its alt text kept in images:
        plan.lead = list(range(t, nxt))
        plan.title, plan.start = nxt, nxt + 1


def _single_score(page: Page, i: int) -> float:
    key = text_key(page.lines[i].norm)
    score = page.titled(i)
    if page.about(key):
        score += 2
    elif page.mentions(i):
        score += 0.5
    if is_list_item(page.lines[i].norm):
        score -= 1.0
    if any(page.prose[j] for j in range(max(0, i - 2), i)):
        score -= 1.5  # a line inside the text, not above it
    before = page.content(page.header_end(i), i)
    score += 1.0 if before == 0 else -min(1.5, 0.1 * before)  # the title opens the page's content
    if not any(page.shape[j] > 0 and page.rule[j] is None for j in range(i)):
        score -= 0.5  # the page's first words are usually the site's name
    return score
