"""A page of a text scrape as evidence: each line's features and the page's meta groups.

The features are what segmentation weighs (``segment.py``): the meta a line holds (``meta.py``),
the chrome rule it matches (``vocabulary.py``), whether it is shaped like a title or like prose,
image residue, link lines naming a neighbour, repetitions of its text elsewhere, the site's
name; then runs of meta lines (groups, the anchors of posts), comment sections, and where the
page's header and a post's text end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from .lines import Line, is_list_item, unbullet, words
from .meta import Meta, is_label, parse_meta
from .residue import is_residue
from .structure import body_like
from .switches import on
from .vocabulary import Rule, rule_for, site_rule

# --------------------------------------------------------------------------------------------
# Features


_URL_RE = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_UNTITLED_RULES = {
    "skip-link",
    "breadcrumbs",
    "navigation",
    "sticky-label",
    "form",
    "rule",
    "share",
    "like",
    "ads",
    "edit-link",
    "footer",
    "search",
    "follow",
}


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


def _commenter(m: Meta) -> bool:
    """A commenter's name and the comment's date: no label, and a reply link or a time of day
    ("Jane Doe March 12, 2013 Reply", "September 3, 2012 at 10:18 am")."""
    return not m.labelled and not m.cats and not m.tags and ("U" in m.kinds or isinstance(m.date, datetime))


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
        return _commenter(self.meta)

    @property
    def kind(self) -> tuple[bool, bool]:
        """What kind of meta: (dated, labelled).  A theme prints the same kind for each post."""
        return self.meta.date is not None, self.meta.labelled


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
        self.prose = [prose_like(line.norm) for line in lines]
        self.residue = [
            is_residue(line.norm, isolated(lines, i)) and not is_list_item(line.norm) for i, line in enumerate(lines)
        ]
        for i, line in enumerate(lines):
            if self.rule[i] is None or self.rule[i].kind != "comments" or not comment_heading(line.norm):
                self.meta[i] = parse_meta(unbullet(line.norm), order)
            if self.meta[i] is not None:
                self.shape[i] = 0.0
        self.texts: dict[str, list[int]] = {}
        for i, line in enumerate(lines):
            self.texts.setdefault(text_key(line.norm), []).append(i)
        self.site_names = self._site_names() if on("site-name") else set()
        self.refers = [on("refers") and self._refers(i) for i in range(n)]
        self.groups = self._groups()
        self.zones = self._comment_zones()

    def __len__(self) -> int:
        return len(self.lines)

    # -- evidence -----------------------------------------------------------------------

    def _site_names(self) -> set[str]:
        """Title-shaped lines at the top of the page that come back in the page's header (a
        second header for small screens) or in its footer (the copyright line, or next to
        it): the site's name.  (A post's title comes back too, but in lists and links.)"""
        names: set[str] = set()
        n = len(self)
        first_prose = next((i for i in range(n) if self.prose[i]), n)
        top = [i for i in range(min(n, 8)) if self.shape[i] > 0]
        for i in top[:3]:
            key = text_key(self.lines[i].norm)
            header = any(j != i and j < first_prose for j in self.texts.get(key, []))
            footer = any(
                key in text_key(self.lines[j].norm) and self._footer_near(j) for j in range(max(i + 1, n - 15), n)
            )
            if header or footer:
                names.add(key)
        return names

    def _footer_near(self, j: int) -> bool:
        """Is line j a footer line (copyright, "powered by"), or right next to one?"""
        return any(
            self.rule[k] is not None and self.rule[k].name == "footer"
            for k in range(max(0, j - 1), min(len(self), j + 2))
        )

    def _refers(self, i: int) -> bool:
        """A link naming the line next to it ("Read more about the article X", "Continue
        readingX", "X Read More »"): not text, nor a title, of its own."""
        norm = self.lines[i].norm.casefold()
        if self.prose[i] and len(norm) > 80:
            return False
        for j in (i - 1, i + 1):
            if not 0 <= j < len(self) or self.shape[j] <= 0:
                continue
            key = text_key(self.lines[j].norm)
            if len(key) < 3 or key == text_key(norm):
                continue
            if norm.endswith(key):
                rest = norm[: -len(key)].strip()
            elif norm.startswith(key):
                rest = norm[len(key) :].strip()
            else:
                continue
            if rest and rest[0].isalpha() and len(rest.split()) <= 6:
                return True
        return False

    def mentions(self, i: int) -> int:
        """How often the text of line ``i`` comes back elsewhere as a link's text: the same line
        (a sidebar list, a breadcrumb), inside a short line ("Continue reading X", “X”)."""
        key = text_key(self.lines[i].norm)
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
        if not on("about"):
            return False
        for m in self.meta:
            if m is not None and m.about and text_key(m.about.strip('“”"')) == key:
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
        if on("label-lines") and self.label[i] and i + 1 < len(self):
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
            if self.meta[j] is not None and not _commenter(self.meta[j]):
                group.merge(self.meta[j])
                out.append(j)
                chain = unbullet(self.lines[j].norm)
                joining = False
                j += 1
                continue
            label = unbullet(self.lines[j].norm)
            if (
                on("label-lines")
                and self.label[j]
                and j + 1 < len(self)
                and (joining or label.endswith(":") or label.islower())
            ):
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
        starts = {
            g.start: g
            for k, g in enumerate(self.groups)
            if on("implicit-comments")
            and g.comment_like
            and (k + 1 < len(self.groups) and self.groups[k + 1].comment_like)
        }
        while i < len(self):
            rule = self.rule[i]
            implicit = i in starts
            if implicit:
                # a run of comments without a heading: the section starts above the first
                # commenter (avatars, the list number, a heading that names comments)
                while (
                    i > 0
                    and (
                        self.residue[i - 1]
                        or _COMMENTS_WORD_RE.search(self.lines[i - 1].norm)
                        and self.shape[i - 1] > 0
                    )
                    and i - 1 not in in_group
                ):
                    i -= 1
            if (rule is not None and rule.kind == "comments" and i not in in_group) or implicit:
                end = len(self)
                for g in self.groups:
                    if g.start > i and g.meta.labelled and g.meta.strong and not comment_like_group(self, g):
                        end = g.start
                        break
                for k in range(i + 1, end):
                    r = self.rule[k]
                    if r is not None and (
                        r.name in ("search", "footer")
                        or (r.kind == "widget" and r.name != "related" and not self.prose[min(k + 1, len(self) - 1)])
                    ):
                        end = k  # the sidebar or the footer after the comments
                        break
                for g in self.groups:
                    if i < g.start < end:
                        g.in_comments = True
                if i > 0 and on("zone-heading") and _ZONE_HEADING_RE.match(self.lines[i - 1].norm):
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
        return self.residue[i] or (
            rule is not None and rule.kind == "line" and rule.name not in ("share", "like", "ads")
        )

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
        if text_key(self.lines[i].norm) in self.site_names:
            shape -= 0.8
        return max(shape, 0.0)

    def content(self, a: int, b: int) -> int:
        """Lines of text (not chrome, meta, residue or labels) in [a, b)."""
        count = 0
        for i in range(a, min(b, len(self))):
            rule = self.rule[i]
            if (
                self.meta[i] is not None
                or self.residue[i]
                or self.label[i]
                or self.refers[i]
                or text_key(self.lines[i].norm) in self.site_names
            ):
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
            if (
                (rule is not None and rule.name in _HEADER_RULES)
                or text_key(self.lines[k].norm) in self.site_names
                or self.site[k]
            ):
                i = k + 1
        while i < limit:
            line = self.lines[i]
            rule = self.rule[i]
            if (
                (rule is not None and (rule.kind in ("line", "site") or rule.name in _HEADER_RULES))
                or text_key(line.norm) in self.site_names
                or self.site[i]
                or is_list_item(line.norm)
                or (self.shape[i] == 0 and not self.prose[i])
                or self.meta[i] is not None
            ):
                i += 1
                continue
            break
        return i


_HEADER_RULES = {"skip-link", "search", "menu", "breadcrumbs", "form"}


_SENTENCE_RE = re.compile(r"[.!?…][”\"’)]?$")


def prose_like(norm: str) -> bool:
    """Reads as a sentence of text (a title ending in a parenthesis or a quote does not, nor
    does a long list of names: "8BIT, alignment, Articles, captions, ...")."""
    if not body_like(norm):
        return False
    items = norm.split(",")
    if len(items) >= 5 and not _SENTENCE_RE.search(norm) and all(len(t.split()) <= 3 for t in items):
        return False
    return len(norm) >= 60 or bool(_SENTENCE_RE.search(norm))


def isolated(lines: list[Line], i: int) -> bool:
    """A line with blank lines (or the page's edge) before and after it."""
    return (i == 0 or lines[i].gap > 0) and (i + 1 >= len(lines) or lines[i + 1].gap > 0)


def text_key(norm: str) -> str:
    return unbullet(norm).rstrip(" >»›").casefold()


_COMMENT_HEADING_RE = re.compile(
    r"^(?:(?:\d+|one|two|three|no) (?:thoughts?|responses?|repl(?:y|ies)|comments?) (?:on|to) [“\"].+[”\"]"
    r"|(?:\d+|one|two|three) (?:thoughts?|responses?|repl(?:y|ies)|comments?)|leave a reply.*"
    r"|comments are closed\.?)$",
    re.I,
)


_COMMENTS_WORD_RE = re.compile(r"\b(?:comments?|responses?|repl(?:y|ies)|thoughts?)\b", re.I)
_ZONE_HEADING_RE = re.compile(r"^(?:comments?|responses|discussion|replies)$", re.I)


def comment_heading(norm: str) -> bool:
    return bool(_COMMENT_HEADING_RE.match(norm))


def comment_like_group(page: Page, g: Group) -> bool:
    """A commenter's name and the comment's date, not a post's meta."""
    return not g.meta.labelled and not g.meta.cats and not g.meta.tags


def menu_run(page: Page, i: int) -> bool:
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


def end_marker(page: Page, i: int) -> bool:
    """Does line ``i`` end a post's text (post navigation, share block, sidebar, footer)?"""
    rule = page.rule[i]
    if rule is None:
        return False
    if rule.kind in ("end", "comments"):
        return True
    if rule.kind == "widget":
        return confirmed_widget(page, i)
    return False


def confirmed_widget(page: Page, i: int) -> bool:
    """A widget heading ("Archives") is chrome when no prose follows it."""
    return i + 1 >= len(page) or not page.prose[i + 1]


def page_end(page: Page, start: int, stop: int, listing: bool) -> int:
    """Where the last post's text ends: at the first end marker after ``start``."""
    for i in range(start, stop):
        if listing and page.rule[i] is not None and page.rule[i].kind == "comments":
            continue
        if end_marker(page, i):
            return i
    return stop


def text_end(page: Page, start: int, stop: int) -> int:
    """The first end marker (navigation, share block, sidebar, footer, comments) after start."""
    for i in range(start, stop):
        if end_marker(page, i):
            return i
    return stop
