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
   dates (bylines, categories) anchor posts as well.
3. A page that yields fewer than two posts with text is **one post**: its title is the
   title-shaped line with the most evidence (next to the post's meta, repeated in the
   breadcrumbs or the comment heading, followed by the text), never the site name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from .lines import Line, is_list_item, unbullet, words
from .meta import Meta, is_label, parse_meta
from .residue import is_residue
from .structure import body_like
from .vocabulary import Rule, rule_for, site_rule

# --------------------------------------------------------------------------------------------
# Features


_URL_RE = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_UNTITLED_RULES = {"skip-link", "breadcrumbs", "navigation", "sticky-label", "form", "rule", "toggle", "share", "like", "ads", "edit-link",
                   "footer", "search", "follow"}


def title_shape(norm: str) -> float:
    """How much a line looks like a post title (0: not at all)."""
    text = unbullet(norm)
    if not text or len(text) > 160 or len(words(text)) > 24 or not any(c.isalpha() for c in text):
        return 0.0
    if text[-1] in ":,;" or _URL_RE.match(text) or text.startswith(("[", "(", "©")):
        return 0.0
    if text.endswith(".") and not text.endswith("..") and len(words(text)) > 3:
        return 0.0
    if is_residue(text):
        return 0.0
    score = 1.0
    if text != norm:
        score -= 0.25  # a list item: a title only where the structure says so
    if text[0].islower():
        score -= 0.3
    if len(words(text)) > 14:
        score -= 0.3
    return score


@dataclass
class Group:
    """A run of meta lines: the anchor of one post."""

    start: int
    end: int  # inclusive
    members: list[int]
    meta: Meta
    in_comments: bool = False

    @property
    def comment_like(self) -> bool:
        """A commenter's name and the comment's date: no label, and a reply link or a time
        of day ("Jane Doe March 12, 2013 Reply", "September 3, 2012 at 10:18 am")."""
        m = self.meta
        return not m.labelled and not m.cats and not m.tags and (
            "U" in m.kinds or isinstance(m.date, datetime))

    @property
    def kind(self) -> tuple[bool, bool]:
        """What kind of meta: (dated, labelled).  A theme prints the same kind for each post."""
        return self.meta.date is not None, self.meta.labelled


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


@dataclass
class Layout:
    posts: list[Plan]
    single: bool
    arrangement: str
    zones: list[tuple[int, int]]


class Page:
    """The lines of one scrape with their features."""

    def __init__(self, lines: list[Line], order: str):
        self.lines, self.order = lines, order
        n = len(lines)
        self.meta: list[Meta | None] = [None] * n
        self.rule: list[Rule | None] = [rule_for(line.norm, unbullet(line.norm)) for line in lines]
        self.label = [is_label(unbullet(line.norm)) for line in lines]
        self.site = [site_rule(unbullet(line.norm)) for line in lines]
        self.shape = [title_shape(line.norm) for line in lines]
        self.prose = [_prose(line.norm) for line in lines]
        self.residue = [is_residue(line.norm, _isolated(lines, i)) and not is_list_item(line.norm)
                        for i, line in enumerate(lines)]
        for i, line in enumerate(lines):
            if self.rule[i] is None or self.rule[i].kind != "comments" or not _comment_heading(line.norm):
                self.meta[i] = parse_meta(unbullet(line.norm), order)
            if self.meta[i] is not None:
                self.shape[i] = 0.0
        self.texts: dict[str, list[int]] = {}
        for i, line in enumerate(lines):
            self.texts.setdefault(_key(line.norm), []).append(i)
        self.site_names = self._site_names()
        self.refers = [self._refers(i) for i in range(n)]
        self.groups = self._groups()
        self.zones = self._comment_zones()

    def __len__(self) -> int:
        return len(self.lines)

    # -- evidence -----------------------------------------------------------------------

    def _site_names(self) -> set[str]:
        """Title-shaped lines at the top of the page that come back in the page's header or
        footer (the site name, printed twice or in the copyright line)."""
        names: set[str] = set()
        top = [i for i in range(min(len(self), 8)) if self.shape[i] > 0]
        for i in top[:3]:
            key = _key(self.lines[i].norm)
            others = [j for j in self.texts.get(key, []) if j != i]
            footer_hit = any(key in _key(self.lines[j].norm) for j in range(max(i + 1, len(self) - 15), len(self)))
            if others or footer_hit:
                names.add(key)
        return names

    def _refers(self, i: int) -> bool:
        """A link naming the line next to it ("Read more about the article X", "Continue
        readingX", "X Read More »"): not text, nor a title, of its own."""
        norm = self.lines[i].norm.casefold()
        if self.prose[i] and len(norm) > 80:
            return False
        for j in (i - 1, i + 1):
            if not 0 <= j < len(self) or self.shape[j] <= 0:
                continue
            key = _key(self.lines[j].norm)
            if len(key) < 3 or key == _key(norm):
                continue
            if norm.endswith(key):
                rest = norm[: -len(key)].strip()
            elif norm.startswith(key):
                rest = norm[len(key):].strip()
            else:
                continue
            if rest and rest[0].isalpha() and len(rest.split()) <= 6:
                return True
        return False

    def mentions(self, i: int) -> int:
        """How often the text of line ``i`` comes back elsewhere as a link's text: the same line
        (a sidebar list, a breadcrumb), inside a short line ("Continue reading X", “X”)."""
        key = _key(self.lines[i].norm)
        if len(key) < 3:
            return 0
        count = len([j for j in self.texts.get(key, []) if j != i])
        for j, line in enumerate(self.lines):
            if j == i or len(line.norm) > len(key) + 50 or len(line.norm) <= len(key):
                continue
            if key in line.norm.casefold() and not self.prose[j] or f"“{key}”" in line.norm.casefold():
                count += 1
        return count

    def about(self, key: str) -> bool:
        """Does a comment link or a comment heading name this text as its post?"""
        for m in self.meta:
            if m is not None and m.about and _key(m.about.strip("“”\"")) == key:
                return True
        return False

    # -- meta groups --------------------------------------------------------------------

    def _groups(self) -> list[Group]:
        groups: list[Group] = []
        i, n = 0, len(self)
        while i < n:
            members, meta, j = self._group_at(i)
            if not members:
                i += 1
                continue
            groups.append(Group(members[0], members[-1], members, meta))
            i = members[-1] + 1
        return groups

    def _meta_line(self, i: int) -> tuple[list[int], Meta | None]:
        """The meta at line ``i``: a meta line, or a label line with its value on the next line."""
        if self.meta[i] is not None:
            return [i], self.meta[i]
        if self.label[i] and i + 1 < len(self):
            joined = parse_meta(unbullet(self.lines[i].norm) + " " + unbullet(self.lines[i + 1].norm), self.order)
            if joined is not None:
                return [i, i + 1], joined
        return [], None

    def _group_at(self, i: int) -> tuple[list[int], Meta, int]:
        """The meta group starting at line ``i``: meta lines, and label lines with their value
        on the next line ("Posted" / "June 1, 2009" / "in" / "Classic" / "by" / "Theme Buster"),
        read together so that short labels ("in", "by") are read in context."""
        members, meta = self._meta_line(i)
        if meta is None:
            return [], Meta(), i
        group = Meta()
        group.merge(meta)
        out = list(members)
        chain = " ".join(unbullet(self.lines[k].norm) for k in members)
        joining = len(members) > 1  # inside a run of label / value lines
        j = out[-1] + 1
        while j < len(self):
            if self.meta[j] is not None:
                group.merge(self.meta[j])
                out.append(j)
                chain = unbullet(self.lines[j].norm)
                joining = False
                j += 1
                continue
            label = unbullet(self.lines[j].norm)
            if self.label[j] and j + 1 < len(self) and (joining or label.endswith(":") or label.islower()):
                joined = f"{chain} {unbullet(self.lines[j].norm)} {unbullet(self.lines[j + 1].norm)}"
                m = parse_meta(joined, self.order)
                if m is not None:
                    group.merge(m)
                    out += [j, j + 1]
                    chain = joined
                    j += 2
                    continue
            break
        return out, group, j

    def _comment_zones(self) -> list[tuple[int, int]]:
        """[start, end) of each comment section: from a comment heading ("19 thoughts on “X”",
        "Leave a Reply", "19 comments") to the next post's labelled meta."""
        zones: list[tuple[int, int]] = []
        in_group = {i for g in self.groups for i in g.members}
        i = 0
        starts = {g.start: g for k, g in enumerate(self.groups) if g.comment_like and (
            k + 1 < len(self.groups) and self.groups[k + 1].comment_like)}
        while i < len(self):
            rule = self.rule[i]
            implicit = i in starts
            if implicit:
                # a run of comments without a heading: the section starts above the first
                # commenter (avatars, the list number, a heading that names comments)
                while i > 0 and (self.residue[i - 1] or _COMMENTS_WORD_RE.search(self.lines[i - 1].norm)
                                 and self.shape[i - 1] > 0) and i - 1 not in in_group:
                    i -= 1
            if (rule is not None and rule.kind == "comments" and i not in in_group) or implicit:
                end = len(self)
                for g in self.groups:
                    if g.start > i and g.meta.labelled and g.meta.strong and not _comment_like(self, g):
                        end = g.start
                        break
                for k in range(i + 1, end):
                    r = self.rule[k]
                    if r is not None and (r.name in ("search", "footer") or (
                            r.kind == "widget" and r.name != "related" and not self.prose[min(k + 1, len(self) - 1)])):
                        end = k  # the sidebar or the footer after the comments
                        break
                for g in self.groups:
                    if i < g.start < end:
                        g.in_comments = True
                if i > 0 and _ZONE_HEADING_RE.match(self.lines[i - 1].norm):
                    i -= 1  # the section's own heading ("Comments")
                zones.append((i, end))
                i = end
                continue
            i += 1
        return zones

    def in_zone(self, i: int) -> bool:
        return any(a <= i < b for a, b in self.zones)

    # -- helpers -------------------------------------------------------------------------

    def skippable(self, i: int) -> bool:
        """Lines that may sit between a title and its meta or text: image residue, labels,
        sticky labels, w3m placeholders, link lines naming the post."""
        rule = self.rule[i]
        return (self.residue[i] or (rule is not None and rule.kind == "line"
                                                     and rule.name not in ("share", "like", "ads")))

    def titled(self, i: int) -> float:
        """Title evidence of line ``i`` in a title slot."""
        shape = self.shape[i]
        if shape <= 0:
            return 0.0
        rule = self.rule[i]
        if (rule is not None and (rule.name in _UNTITLED_RULES or rule.kind == "comments")) or self.refers[i]:
            return 0.0
        if rule is not None:
            shape -= 0.4
        if _key(self.lines[i].norm) in self.site_names:
            shape -= 0.8
        return max(shape, 0.0)

    def content(self, a: int, b: int) -> int:
        """Lines of text (not chrome, meta, residue or labels) in [a, b)."""
        count = 0
        for i in range(a, min(b, len(self))):
            rule = self.rule[i]
            if self.meta[i] is not None or self.residue[i] or self.label[i] or self.refers[i]:
                continue
            if rule is not None:
                continue
            count += 1
        return count

    def header_end(self, limit: int) -> int:
        """Where the page's header (skip links, site name, menus, search, breadcrumbs, an
        archive heading) ends, before ``limit``: after the last header line (skip link, site
        name, search, menu) above the first prose, then past menus and labels."""
        first_prose = next((i for i in range(limit) if self.prose[i] and self.meta[i] is None), limit)
        i = 0
        for k in range(first_prose):
            rule = self.rule[k]
            if ((rule is not None and rule.name in _HEADER_RULES) or _key(self.lines[k].norm) in self.site_names
                    or self.site[k]):
                i = k + 1
        while i < limit:
            line = self.lines[i]
            rule = self.rule[i]
            if ((rule is not None and (rule.kind in ("line", "site") or rule.name in _HEADER_RULES))
                    or _key(line.norm) in self.site_names or self.site[i] or is_list_item(line.norm)
                    or (self.shape[i] == 0 and not self.prose[i]) or self.meta[i] is not None):
                i += 1
                continue
            break
        return i


_HEADER_RULES = {"skip-link", "search", "menu", "toggle", "breadcrumbs", "form"}


_SENTENCE_RE = re.compile(r"[.!?…][”\"’)]?$")


def _prose(norm: str) -> bool:
    """Reads as a sentence of text (a title ending in a parenthesis or a quote does not)."""
    if not body_like(norm):
        return False
    return len(norm) >= 60 or bool(_SENTENCE_RE.search(norm))


def _isolated(lines: list[Line], i: int) -> bool:
    """A line with blank lines (or the page's edge) before and after it."""
    return (i == 0 or lines[i].gap > 0) and (i + 1 >= len(lines) or lines[i + 1].gap > 0)


def _key(norm: str) -> str:
    return unbullet(norm).rstrip(" >»›").casefold()


_COMMENT_HEADING_RE = re.compile(
    r"^(?:(?:\d+|one|two|three|no) (?:thoughts?|responses?|repl(?:y|ies)|comments?) (?:on|to) [“\"].+[”\"]"
    r"|(?:\d+|one|two|three) (?:thoughts?|responses?|repl(?:y|ies)|comments?)|leave a reply.*"
    r"|comments are closed\.?)$",
    re.I,
)


_COMMENTS_WORD_RE = re.compile(r"\b(?:comments?|responses?|repl(?:y|ies)|thoughts?)\b", re.I)
_ZONE_HEADING_RE = re.compile(r"^(?:comments?|responses|discussion|replies)$", re.I)


def _comment_heading(norm: str) -> bool:
    return bool(_COMMENT_HEADING_RE.match(norm))


def _comment_like(page: Page, g: Group) -> bool:
    """A commenter's name and the comment's date, not a post's meta."""
    return not g.meta.labelled and not g.meta.cats and not g.meta.tags


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
        key = _key(page.lines[i].norm)
        j = i + 1
        while j < stop and (page.skippable(j) or _key(page.lines[j].norm) in pre_body | {key}):
            j += 1
        if j < stop and (page.prose[j] or is_list_item(page.lines[j].norm)):
            return i
    return first


def _best_title(page: Page, a: int, b: int, avoid: set[str] = frozenset()) -> int | None:  # type: ignore[assignment]
    """The title among the lines [a, b) before a post's text when nothing marks where the
    page's header ends: the title-shaped line with the most evidence."""
    best, best_score = None, 0.0
    for i in range(a, b):
        t = page.titled(i)
        if t <= 0 or page.in_zone(i):
            continue
        key = _key(page.lines[i].norm)
        score = t
        if key in avoid:
            score -= 2
        # followed by text within a few lines
        nxt = i + 1
        while nxt < b and (page.skippable(nxt) or page.meta[nxt] is not None or _key(page.lines[nxt].norm) == key):
            nxt += 1
        if nxt < len(page) and (page.prose[nxt] or is_list_item(page.lines[nxt].norm)):
            score += 1.5
        elif nxt < len(page) and page.titled(nxt) > 0:
            score -= 0.3
        if _menu_run(page, i):
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


def _menu_run(page: Page, i: int) -> bool:
    """Inside a run of four or more short title-shaped lines with nothing between them (a
    menu as a browser copies it), and not its last line."""
    def short(k: int) -> bool:
        return page.shape[k] > 0 and not page.prose[k]

    if not short(i) or i + 1 >= len(page) or page.lines[i + 1].gap > 0 or not short(i + 1):
        return False
    run = 2
    j = i - 1
    while j >= 0 and page.lines[j + 1].gap == 0 and short(j) and run < 4:
        run += 1
        j -= 1
    k = i + 2
    while k < len(page) and page.lines[k].gap == 0 and short(k) and run < 4:
        run += 1
        k += 1
    return run >= 4


def _end_marker(page: Page, i: int) -> bool:
    """Does line ``i`` end a post's text (post navigation, share block, sidebar, footer)?"""
    rule = page.rule[i]
    if rule is None:
        return False
    if rule.kind in ("end", "comments"):
        return True
    if rule.kind == "widget":
        return _confirmed_widget(page, i)
    return False


def _confirmed_widget(page: Page, i: int) -> bool:
    """A widget heading ("Archives") is chrome when no prose follows it."""
    return i + 1 >= len(page) or not page.prose[i + 1]


def _page_end(page: Page, start: int, stop: int, listing: bool) -> int:
    """Where the last post's text ends: at the first end marker after ``start``."""
    for i in range(start, stop):
        if listing and page.rule[i] is not None and page.rule[i].kind == "comments":
            continue
        if _end_marker(page, i):
            return i
    return stop


def _arrange(page: Page, groups: list[Group], how: str) -> list[Plan]:
    posts: list[Plan] = []
    n = len(page)
    if how == "below":
        floor = 0
        for k, g in enumerate(groups):
            title, skipped = _title_above(page, g, floor)
            if title is None:
                continue
            posts.append(Plan(title, g.end + 1, n, [g], head=[i for i in range(title + 1, g.start)] + g.members))
            floor = g.end + 1
    elif how == "above":
        for k, g in enumerate(groups):
            ceiling = groups[k + 1].start if k + 1 < len(groups) else n
            title, skipped = _title_below(page, g, ceiling)
            if title is None:
                continue
            posts.append(Plan(title, title + 1, n, [g], lead=list(range(g.start, title)), head=[]))
    elif how == "after":
        prev_end = 0
        for k, g in enumerate(groups):
            if k == 0:
                title = _opening_title(page, g.start, _pre_body_texts(page, groups))
            else:
                title = _first_title(page, prev_end, g.start)
            prev_end = g.end + 1
            if title is None:
                continue
            posts.append(Plan(title, title + 1, g.start, [g], footer=g.start))
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
                while stop - 1 > post.start and (page.skippable(stop - 1) or (
                        above_style and page.meta[stop - 1] is not None and not page.meta[stop - 1].strong)):
                    stop -= 1
                    nxt.lead.insert(0, stop)
            post.end = min(post.end, stop) if how == "after" else stop
    return posts


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
            out.add(_key(page.lines[i].norm))
            i += 1
    return out


def _has_text(page: Page, a: int, b: int) -> bool:
    """Text of a post in [a, b): prose or a list, or more than one line of content."""
    return page.content(a, b) > 0


def _real_text(page: Page, a: int, b: int) -> bool:
    """Prose or a list in [a, b), or more than one line of content."""
    b = min(b, a + 400)
    return page.content(a, b) > 1 or any(
        (page.prose[i] or is_list_item(page.lines[i].norm)) and page.meta[i] is None and page.rule[i] is None
        for i in range(a, b))


def _closed_before(page: Page, a: int, b: int) -> bool:
    """Is the text in [a, b) closed by a more-link, with no text after it?"""
    for i in range(b - 1, a - 1, -1):
        rule = page.rule[i]
        if rule is not None and rule.kind == "more":
            return True
        if page.prose[i] or is_list_item(page.lines[i].norm):
            return False
    return False


def _score(page: Page, posts: list[Plan]) -> float:
    score = 0.0
    seen: set[str] = set()
    for post in posts:
        key = _key(page.lines[post.title].norm)
        s = page.titled(post.title)
        if key in seen:
            s -= 2
        seen.add(key)
        body = page.content(post.start, post.end if post.footer is None else post.footer)
        s += 1.0 if body else -1.5
        if post.footer is not None and _closed_before(page, post.start, post.footer):
            s -= 1.5  # a "Read more" link ends the text before the meta: the meta is the next post's
        if page.about(key):
            s += 1.0
        elif page.mentions(post.title):
            s += 0.5
        for g in post.groups:
            if g.meta.about and _key(g.meta.about.strip("“”\"")) != key:
                s -= 2.0  # the post's own meta names another title
        stop = post.footer if post.footer is not None else post.end
        if any(post.start <= g.start < stop and g.meta.strong and g.meta.labelled and not g.in_comments
               and g not in post.groups for g in page.groups):
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
            posts = [p for p in posts if _has_text(page, p.start, _page_end(page, p.start, p.end, listing=True))]
            orphans = len(groups) - len(posts)
            score = _score(page, posts) + (0.5 * len(posts) if kind[1] else 0.0) - orphans
            # a listing's posts show text (a list of titles and dates is related posts)
            texts = sum(1 for p in posts if _real_text(page, p.start, p.footer if p.footer is not None else p.end))
            if len(posts) >= 2 and orphans < len(posts) and texts * 2 >= len(posts) and texts >= 2 \
                    and score > best[0] + 1e-9:
                best = (score, how, posts)
    score, how, posts = best
    if len(posts) >= 2:
        _close(page, posts, how)
        return Layout(posts, False, how, page.zones)
    return _single(page, anchors)


def _close(page: Page, posts: list[Plan], how: str) -> None:
    """Where the last post of a listing ends, and footers inside each post."""
    last = posts[-1]
    if how != "after":
        last.end = _page_end(page, last.start, last.end, listing=True)
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
        after = range(g.end + 1, _text_end(page, g.end + 1, end_all))
        header = page.content(after.start, after.stop) >= 2 or any(page.prose[i] for i in after)
        if header:
            title, _ = _title_above(page, g, prev)
            if title is not None:
                plan = Plan(title, g.end + 1, n, [g], head=[i for i in range(title + 1, g.start)] + g.members)
                candidates.append((_single_score(page, title) + bonus, plan))
            below, _ = _title_below(page, g, end_all)
            if below is not None and page.content(below + 1, _text_end(page, below + 1, end_all)) > 0:
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
    # skip what stands between the title and the text
    while plan.start < n and (page.skippable(plan.start) or _key(page.lines[plan.start].norm) == _key(page.lines[plan.title].norm)):
        plan.head.append(plan.start)
        plan.start += 1
    if plan.footer is None:
        plan.end = _text_end(page, plan.start, end_all)
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


def _text_end(page: Page, start: int, stop: int) -> int:
    """The first end marker (navigation, share block, sidebar, footer, comments) after start."""
    for i in range(start, stop):
        if _end_marker(page, i):
            return i
    return stop


def _single_score(page: Page, i: int) -> float:
    key = _key(page.lines[i].norm)
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
    return score
