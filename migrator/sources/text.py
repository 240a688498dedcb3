"""Plain-text scrapes: text copied off a rendered WordPress page, theme chrome included.

A scrape is what a browser puts on the clipboard when someone selects a whole page: one line
per block element, theme chrome (skip links, menus, share buttons, sidebars, footers) mixed in,
images reduced to their alt text.  This reader finds the posts (a title line followed by a date
line), removes the chrome -- recording every removed line as an ``info`` problem so nothing
disappears silently -- keeps what chrome tells us (author, categories, tags), records image
alt-text residue in ``doc.extra["images"]`` and rebuilds simple structure (paragraphs, lists,
headings, blockquotes) as rendered HTML.

Pipeline inside the reader::

    lines -> find post headers -> split into regions -> classify lines (chrome / meta /
    residue / body) -> body lines -> blocks -> HTML
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..model import Document, Problem, Site, Term
from ..slugs import slugify

CODE_REMOVED = "text-chrome-removed"

# --------------------------------------------------------------------------------------------
# Lines


@dataclass
class _Line:
    no: int  # 1-based line number in the file
    raw: str  # the line without its newline and trailing white space
    norm: str  # white space collapsed, no-break spaces made plain: what rules match against

    @property
    def text(self) -> str:
        """The line as content: outer white space removed, inner characters untouched."""
        return self.raw.strip(" \t\u00a0")

    @property
    def indent(self) -> int:
        return len(self.raw) - len(self.raw.lstrip(" \t"))


_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def _normalise(text: str) -> str:
    return " ".join(_INVISIBLE_RE.sub("", text).replace("\u00a0", " ").split())


def _load(path: Path, problems: list[Problem]) -> list[_Line] | None:
    """The non-blank lines of the file, or None when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem("error", "text-unreadable", f"cannot read {path}: {exc}", source=str(path)))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        problems.append(
            Problem("warning", "text-encoding", "not UTF-8; decoded as Windows-1252", source=str(path))
        )
    out: list[_Line] = []
    for no, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        raw = _INVISIBLE_RE.sub("", raw).expandtabs(4).rstrip(" \t\u00a0")
        norm = _normalise(raw)
        if norm:
            out.append(_Line(no, raw, norm))
    return out


# --------------------------------------------------------------------------------------------
# Dates

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATE_RES = [
    ("mdy", re.compile(rf"\b{_MON}\s+{_DAY},?\s+{_YEAR}\b", re.I)),
    ("dmy", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MON},?\s+{_YEAR}\b", re.I)),
    ("iso", re.compile(rf"\b{_YEAR}[-/.](?P<a>[01]?\d)[-/.](?P<b>[0-3]?\d)\b")),
    ("num", re.compile(rf"\b(?P<a>[0-3]?\d)[/.-](?P<b>[0-3]?\d)[/.-]{_YEAR}\b")),
]
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday|sday)?\.?,?"
_NAME = r"[^|/·•,]+?"
_PREFIX_RE = re.compile(
    r"^(?:(?:posted|published|written|updated|last updated|date|dated)\s*(?:on)?\s*:?\s*)?"
    rf"(?:(?:posted\s+|written\s+|published\s+)?by\s+(?P<author>{_NAME})\s*(?:\bon\b|[|/·•–—-])\s*)?"
    rf"(?:on\b\s*)?(?:{_WEEKDAY}\s*)?$",
    re.I,
)
_TIME_RE = re.compile(
    r"^,?\s*(?:at|@|-|–)?\s*(?P<h>[0-2]?\d)[:.](?P<m>[0-5]\d)\s*(?P<ap>[ap]\.?\s?m\.?)?(?=\s|$|[|/·•,])", re.I
)
_SEP_RE = re.compile(r"\s+[|/·•–—]\s+|\s*[|·•]\s*")
_COMMENTISH_RE = re.compile(
    r"^(?:(?:no|one|\d+)\s+(?:comments?|responses?|replies|thoughts?)(?:\s*»)?|leave a (?:comment|reply)"
    r"|comments? (?:are )?off|comments? closed|edit|permalink|\d+\s+min(?:ute)?s?\s+read|\d+\s+views?)$",
    re.I,
)
_AUTHOR_RE = re.compile(r"^[\w][\w.'’-]*(?:\s+[\w.'’-]+){0,4}$")
_CAP_NAME_RE = re.compile(r"^[A-ZÀ-Þ][\w.'’-]*(?:\s+[A-ZÀ-Þ][\w.'’-]*){0,3}$")


@dataclass
class DateLine:
    """A parsed date line: the date and the author named on the same line, if any."""

    date: datetime
    author: str = ""


def _ymd(kind: str, m: re.Match, order: str) -> tuple[int, int, int] | None:
    year = int(m.group("year"))
    if kind in ("mdy", "dmy"):
        month, day = _MONTHS[m.group("mon")[:3].lower()], int(m.group("day"))
    elif kind == "iso":
        month, day = int(m.group("a")), int(m.group("b"))
    else:
        a, b = int(m.group("a")), int(m.group("b"))
        if a > 12:
            order = "dmy"
        elif b > 12:
            order = "mdy"
        day, month = (a, b) if order == "dmy" else (b, a)
    try:
        datetime(year, month, day)
    except ValueError:
        return None
    return year, month, day


def _find_date(text: str, order: str) -> tuple[tuple[int, int, int], int, int] | None:
    """The first date in ``text``: ((y, m, d), start, end)."""
    best = None
    for kind, rx in _DATE_RES:
        m = rx.search(text)
        if m and (best is None or m.start() < best[1]):
            ymd = _ymd(kind, m, order)
            if ymd:
                best = (ymd, m.start(), m.end())
    return best


def _author_ok(name: str, capitalised: bool = False) -> bool:
    name = name.strip()
    if not name or len(name) > 60 or any(ch.isdigit() for ch in name):
        return False
    return bool((_CAP_NAME_RE if capitalised else _AUTHOR_RE).match(name))


def parse_date_line(text: str, order: str = "dmy") -> DateLine | None:
    """Parse a post's date line ("May 26, 2015", "Posted on 14 September 2014 by Name", ...).

    The whole line must be a date plus the meta WordPress themes print around it (a "Posted
    on"/"on" prefix, a weekday, a time, "by Name", comment counts); anything else is body text.
    ``order`` resolves ambiguous numeric dates ("03/04/2015"): "dmy" or "mdy".
    """
    text = _normalise(text)
    if not text or len(text) > 160:
        return None
    found = _find_date(text, order)
    if not found:
        return None
    (y, mo, d), start, end = found
    pre = _PREFIX_RE.match(text[:start].strip())
    if not pre:
        return None
    author = (pre.group("author") or "").strip()
    if author and not _author_ok(author):
        return None
    rest = text[end:]
    hour = minute = 0
    t = _TIME_RE.match(rest)
    if t:
        hour, minute = int(t.group("h")), int(t.group("m"))
        ap = (t.group("ap") or "").lower()
        if ap.startswith("p") and hour < 12:
            hour += 12
        elif ap.startswith("a") and hour == 12:
            hour = 0
        if hour > 23:
            return None
        rest = rest[t.end():]
    rest = rest.strip()
    by = re.match(rf"^(?:[|/·•–—-]\s*)?by\s+(?P<a>{_NAME})(?=\s*(?:[|/·•–—]|$))", rest, re.I)
    if by:
        if not _author_ok(by.group("a")):
            return None
        author = author or by.group("a").strip()
        rest = rest[by.end():]
    for seg in _SEP_RE.split(rest.strip(" |/·•–—")) if rest.strip(" |/·•–—") else []:
        seg = seg.strip()
        if not seg or _COMMENTISH_RE.match(seg):
            continue
        if not author and _author_ok(seg, capitalised=True):
            author = seg
            continue
        return None
    return DateLine(datetime(y, mo, d, hour, minute), author)


def _numeric_order(lines: list[_Line]) -> str:
    """"dmy" or "mdy" for ambiguous numeric dates, decided by the unambiguous ones in the file."""
    rx = _DATE_RES[3][1]
    for line in lines:
        for m in rx.finditer(line.norm):
            a, b = int(m.group("a")), int(m.group("b"))
            if a > 12 >= b:
                return "dmy"
            if b > 12 >= a:
                return "mdy"
    return "dmy"


# --------------------------------------------------------------------------------------------
# Chrome


@dataclass(frozen=True)
class _Rule:
    name: str
    kind: str  # "line": drop the line; "trail": drop from here to the next post;
    # "comments": like trail, and no post starts after it; "weak": a widget heading, trail
    # only when what follows does not read as prose.
    rx: re.Pattern


def _r(name: str, kind: str, pattern: str) -> _Rule:
    return _Rule(name, kind, re.compile(rf"^(?:{pattern})$", re.I))


_NETWORKS = (
    r"twitter|x|facebook|linkedin|pinterest|tumblr|reddit|whatsapp|telegram|pocket|email|e-mail"
    r"|print|skype|mastodon|threads|bluesky|google\+?|press this|more|share"
)
_RULES: list[_Rule] = [
    _r("skip-link", "line", r"skip (?:to|navigation)(?: the)?(?: main| primary)? ?(?:content|navigation|menu|footer|sidebar)?"
       r"|jump to (?:content|navigation)"),
    _r("share", "trail", r"share this:?|share this (?:post|article|story):?|share:|share on:?|sharing is caring"),
    _r("share", "line", r"(?:share|post|pin|send)(?: it)? (?:on|to|via) (?:" + _NETWORKS + r")(?: \(opens in new window\))?"
       r"|click to (?:share|email|print)[^.]*(?:\(opens in new window\))?|tweet(?: this| on twitter)?|pin it"
       r"|(?:" + _NETWORKS + r") \(opens in new window\)"
       r"|twitter|facebook|linkedin|pinterest|tumblr|reddit|whatsapp|telegram|pocket|email|print|mastodon|bluesky"),
    _r("like", "trail", r"like this:?"),
    _r("like", "line", r"like loading\.*…?|loading\.*…?|liked by \d+ (?:people|person|bloggers?)|be the first to like this\.?"),
    _r("ads", "line", r"advertisements?|report this ad|sponsored(?: content)?|ad"),
    _r("comment-link", "line", r"(?:no|one|\d+) (?:comments?|responses?|replies)(?: »| →| on .+)?|leave a comment(?: »)?|comments? off"
       r"(?: on .+)?|comments? are off|add (?:a )?comment|comment(?:s)?|(?:\d+ )?comments? »"),
    _r("edit-link", "line", r"\(?edit\)?(?: “.+”| \".+\")?"),
    _r("more-link", "line", r"continue reading(?:.{0,120})?|read more(?: »| →|\.\.\.|…)?|read the rest of this entry »?|\(more…\)|\(more\.\.\.\)"),
    _r("related", "weak", r"related(?: posts| articles| stories| reading)?:?|you (?:may|might) also like:?|similar posts:?"
       r"|more (?:stories|posts) (?:from|like this).*|read next|recommended(?: for you)?:?"),
    _r("navigation", "trail", r"posts? navigation|(?:[«←] )?(?:previous|next|older|newer) (?:post|posts|entries|page)(?: [»→])?"
       r"|(?:[«←] )?older entries|newer entries(?: [»→])?|page \d+ of \d+|(?:\d+ )+(?:… )?(?:\d+ )?next(?: [»→])?"),
    _r("comments", "comments", r"(?:\d+|one|two|three) (?:thoughts?|responses?|repl(?:y|ies)) (?:on|to) .+|leave a reply.*"
       r"|comments are closed\.?|you must be logged in to post a comment\.?|cancel reply|post a comment|join the discussion"),
    _r("follow", "trail", r"get every new post delivered to your inbox\.?|join (?:[\d,]+ )?other (?:followers|subscribers)"
       r"|follow(?:ing)?|follow (?:this )?blog(?: via email)?|subscribe(?: via email| to (?:this )?blog.*)?|sign me up!?"
       r"|enter your email address to (?:follow|subscribe).*|email address|reblog|customi[sz]e|build a website with wordpress\.com"
       r"|already have a wordpress\.com account\?.*"),
    _r("footer", "trail", r"blog at wordpress\.com\.?|create a free website or blog at wordpress\.com\.?|(?:proudly )?powered by wordpress\.?"
       r"|.{0,60} is proudly powered by wordpress.*|theme:? [^.]{1,60} by [^.]{1,60}\.?|(?:©|\(c\)|copyright(?: ©)?) ?(?:\d{4}|©).{0,100}"
       r"|privacy & cookies:.*|close and accept|entries \(rss\) and comments \(rss\)\.?|back to top"),
    _r("search", "trail", r"search(?: for)?:?|search this (?:site|blog|website)|search …|type your search.*|to search type and hit enter"),
    _r("sidebar", "weak", r"recent (?:posts|comments|entries)|archives?|categories|meta|blogroll|links|tags|tag cloud|calendar"
       r"|pages|top posts(?: & pages)?|popular (?:posts|articles)|blog stats|about(?: me| us| the author| this blog)?"
       r"|follow me on .{1,20}|find us on .{1,20}|instagram|newsletter|contact(?: me| us)?"),
]
_SITE_CHROME_RULES: list[_Rule] = [
    _r("menu", "line", r"(?:primary |main |mobile |top |secondary )?(?:menu|navigation)|toggle (?:navigation|menu)|(?:open|close) (?:menu|search)"
       r"|menu toggle|(?:expand|collapse)(?: child)? menu|home|about(?: me| us)?|contact(?: me| us)?|blog|shop|news"),
    _r("breadcrumbs", "line", r"home ?[»›>/].*|you are here:.*"),
]
_LABELS_RE = re.compile(
    r"^(?:post author|post date|posted on|posted by|by|author|date|published(?: on)?|written by|categories|category"
    r"|tags|posted in|filed under|updated)[: ]*$",
    re.I,
)
_BYLINE_RE = re.compile(rf"^(?:(?:posted|written|published)\s+)?by:?\s+(?P<a>{_NAME})$|^author:\s*(?P<b>{_NAME})$", re.I)


def _rule(norm: str) -> _Rule | None:
    for rule in _RULES:
        if rule.rx.match(norm):
            return rule
    return None


def _site_rule_name(norm: str) -> str:
    """A name for a line removed before the first post (or after the last one)."""
    for rule in _SITE_CHROME_RULES + _RULES:
        if rule.rx.match(norm):
            return rule.name
    return "site-header"


def _byline(norm: str) -> str | None:
    m = _BYLINE_RE.match(norm)
    if not m:
        return None
    name = (m.group("a") or m.group("b") or "").strip()
    return name if _author_ok(name) else None


# --------------------------------------------------------------------------------------------
# Categories and tags ("Posted in A, B | Tagged c, d")

_CATS_RE = re.compile(r"^(?:posted in|filed under|categories|category|categorized|in)\s*:?\s+(?P<v>.+)$", re.I)
_TAGS_RE = re.compile(r"^(?:tagged(?: with)?|tags)\s*:?\s+(?P<v>.+)$", re.I)
_ENTRY_RE = re.compile(
    r"^this entry was posted (?:in (?P<cats>.+?)(?: and tagged (?P<tags>.+?))?(?: by (?P<author>.+?))?|on (?P<date>.+?) and is filed under (?P<cats2>.+?))"
    r"\.(?:\s.*)?$",
    re.I,
)


@dataclass
class _Meta:
    cats: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    author: str = ""
    date: datetime | None = None


def _names(value: str) -> list[str]:
    value = re.sub(r"\s*[.»]$", "", value.strip())
    return [v.strip() for v in re.split(r",\s*", value) if v.strip() and len(v.strip()) <= 80]


def _terms_line(norm: str, order: str = "dmy") -> _Meta | None:
    """Parse a line of post meta: categories, tags (and sometimes author or date)."""
    m = _ENTRY_RE.match(norm)
    if m:
        meta = _Meta()
        if m.group("date"):
            d = parse_date_line(m.group("date"), order)
            meta.date = d.date if d else None
            meta.cats = _names(m.group("cats2"))
        else:
            meta.cats = _names(m.group("cats") or "")
            meta.tags = _names(m.group("tags") or "")
            meta.author = (m.group("author") or "").strip()
        return meta
    segments = [s.strip() for s in re.split(r"\s+[|·•]\s+|\s*\|\s*", norm) if s.strip()]
    meta, seen = _Meta(), False
    for i, seg in enumerate(segments):
        cats, tags = _CATS_RE.match(seg), _TAGS_RE.match(seg)
        if tags:
            meta.tags += _names(tags.group("v"))
            seen = True
        elif cats and (i > 0 or not seg.lower().startswith("in ")):
            meta.cats += _names(cats.group("v"))
            seen = True
        elif i > 0 and _COMMENTISH_RE.match(seg):
            continue
        elif i > 0 and _byline(seg):
            meta.author = _byline(seg) or ""
        else:
            return None
    return meta if seen else None


# --------------------------------------------------------------------------------------------
# Image alt-text residue

_FILE_WORDS = {
    "blog", "img", "image", "images", "photo", "photos", "pic", "pics", "picture", "screenshot", "screen", "shot",
    "dsc", "banner", "logo", "header", "featured", "asset", "assets", "table", "chart", "graphic", "infographic",
    "slide", "slides", "fig", "figure", "diagram", "thumbnail", "thumb", "final", "copy", "draft", "jpg", "png",
}
_STRONG_RESIDUE_RES = [
    re.compile(r"\.(?:jpe?g|png|gif|webp|svg|bmp|tiff?|heic|avif)\b", re.I),  # file extension
    re.compile(r"\b[A-Za-z]{2,}\.\d{2,}\b"),  # Keynote/PowerPoint export: "Table.001"
    re.compile(r"\b(?:IMG|DSC[NF]?|PXL|GOPR|MVIMG|VID|PANO|Photo|Image)[_-]?\d{3,}", re.I),  # camera names
    re.compile(r"\bscreen ?shot[ _-]?\d{4}[-_]\d\d", re.I),  # "Screen Shot 2015-03-01 at ..."
    re.compile(r"\b[A-Za-z0-9]+_[A-Za-z0-9_]+\b"),  # under_scored file names
    re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+){2,}$"),  # hyphenated-file-name
]
_RESIDUE_END_OK = re.compile(r"[\w)\]]$")


def _words(norm: str) -> list[str]:
    return norm.split()


def _is_residue(norm: str) -> bool:
    """Does this line look like an image's alt text or file name rather than prose?

    Signals, each on a short line without sentence punctuation: a file-name token (extension,
    "Table.001", camera names, under_scores); a line made only of lower-case words and digits
    ("blog assets 2"); a file word ("blog", "image", "figure") next to a digit or an acronym
    ("Blog LHW", "Figure 2"), or file words only ("Featured Image").
    """
    words = _words(norm)
    if not words or len(words) > 8 or not _RESIDUE_END_OK.search(norm):
        return False
    if any(rx.search(norm) for rx in _STRONG_RESIDUE_RES):
        return True
    if re.search(r"[.,;:!?\"“”‘’()–—]", norm):
        return False
    if len(words) <= 5 and norm[0].islower() and all(re.fullmatch(r"[a-z0-9-]+", w) for w in words):
        return True
    lower = [w.lower() for w in words]
    if len(words) <= 5 and any(w in _FILE_WORDS for w in lower):
        others = [w for w in words if w.lower() not in _FILE_WORDS]
        return any(w.isdigit() or (w.isupper() and len(w) >= 2) for w in others) or (not others and len(words) >= 2)
    return False


_WORD_RE = re.compile(r"\w*")


def _split_glued(text: str, vocab: set[str]) -> tuple[str, str] | None:
    """Split alt text glued to the end of a line: "Introductory Noteblog assets 3".

    The tail must start inside a word, at a lower->upper case change or at a known residue
    word ("blog", or a word of this file's other residue lines), and be residue itself.
    """
    starts = vocab | _FILE_WORDS
    for p in range(1, len(text)):
        before, ch = text[p - 1], text[p]
        if before.isspace() or not ch.isalpha():
            continue
        camel = before.islower() and ch.isupper()
        glued_word = ch.islower() and (before.islower() or before in ".!?")
        if not (camel or glued_word):
            continue
        if glued_word and _WORD_RE.match(text, p).group().lower() not in starts:
            continue
        tail = _normalise(text[p:])
        tail_words = tail.lower().split()
        if len(tail_words) > 8:
            continue
        if camel and not any(rx.search(tail) for rx in _STRONG_RESIDUE_RES):
            continue
        if glued_word:
            known = all(w in starts or w.isdigit() for w in tail_words)
            if not (known and tail_words[0] in starts and
                    (len(tail_words) >= 2 or any(w.isdigit() for w in tail_words))):
                continue
        head = text[:p].rstrip()
        if head and _is_residue(tail):
            return head, text[p:].strip()
    return None


# --------------------------------------------------------------------------------------------
# Prose shape

_SENTENCE_END_RE = re.compile(r"[.!?:;…”\"’)]$")


def _is_list_item(norm: str) -> bool:
    return bool(_BULLET_RE.match(norm) or _NUMBER_RE.match(norm))


def _body_like(norm: str) -> bool:
    """Reads as prose: a long line, or a sentence of a few words."""
    if _is_residue(norm):
        return False
    words = len(_words(norm))
    return len(norm) >= 60 or (words >= 4 and bool(_SENTENCE_END_RE.search(norm)))


def _title_like(norm: str, order: str) -> bool:
    if not norm or len(norm) > 200 or len(_words(norm)) > 30 or norm.endswith(":"):
        return False
    if _rule(norm) or _LABELS_RE.match(norm) or _byline(norm) or _is_list_item(norm):
        return False
    if parse_date_line(norm, order) or _terms_line(norm, order):
        return False
    return not any(rx.search(norm) for rx in _STRONG_RESIDUE_RES)


# --------------------------------------------------------------------------------------------
# Finding posts


@dataclass
class _Header:
    title: int  # index into the non-blank lines
    end: int  # last index of the header (title, byline, date, comment link ...)
    date: datetime
    author: str
    removed: list[tuple[int, str]] = field(default_factory=list)  # (index, rule)


def _header_meta(norm: str) -> tuple[str, str] | None:
    """A line that may sit between a title and its date or just after the date."""
    author = _byline(norm)
    if author:
        return "byline", author
    if _LABELS_RE.match(norm):
        return "byline", ""
    rule = _rule(norm)
    if rule and rule.kind == "line":
        return rule.name, ""
    return None


def _header_at(lines: list[_Line], i: int, order: str) -> _Header | None:
    """A post header starting at line ``i``: a title line, then (after at most a few byline
    lines) a date line."""
    if not _title_like(lines[i].norm, order):
        return None
    removed: list[tuple[int, str]] = []
    author = ""
    j = i + 1
    while j < len(lines) and j <= i + 4:
        parsed = parse_date_line(lines[j].norm, order)
        if parsed:
            break
        meta = _header_meta(lines[j].norm)
        if not meta:
            return None
        removed.append((j, meta[0]))
        author = author or meta[1]
        j += 1
    else:
        return None
    author = parsed.author or author
    k = j + 1
    while k < len(lines) and k <= j + 3:
        meta = _header_meta(lines[k].norm)
        if not meta:
            break
        removed.append((k, meta[0]))
        author = author or meta[1]
        k += 1
    return _Header(i, k - 1, parsed.date, author, removed)


def _confirmed_widget(lines: list[_Line], m: int) -> bool:
    """A widget heading ("Archives") is chrome when no prose follows it."""
    return m + 1 >= len(lines) or not _body_like(lines[m + 1].norm)


def _has_body(lines: list[_Line], k: int, order: str) -> bool:
    """Is there prose after a candidate header before the next header or the page chrome?"""
    for m in range(k, min(len(lines), k + 300)):
        norm = lines[m].norm
        rule = _rule(norm)
        if rule:
            if rule.kind in ("trail", "comments") or (rule.kind == "weak" and _confirmed_widget(lines, m)):
                return False
            if rule.kind == "line":
                continue
        if m + 1 < len(lines) and parse_date_line(lines[m + 1].norm, order) and _title_like(norm, order):
            return False
        if _terms_line(norm, order):
            continue
        if _body_like(norm) or (_is_list_item(norm) and len(norm) >= 20):
            return True
    return False


def _find_headers(lines: list[_Line], order: str) -> list[_Header]:
    headers: list[_Header] = []
    i = 0
    while i < len(lines):
        header = _header_at(lines, i, order)
        if header and _has_body(lines, header.end + 1, order):
            headers.append(header)
            i = header.end + 1
            continue
        rule = _rule(lines[i].norm)
        if headers and rule and rule.kind == "comments":
            break  # a comment thread: its "Name / date" pairs are not posts
        i += 1
    return headers


# --------------------------------------------------------------------------------------------
# Body structure

_BULLET_RE = re.compile(r"^(?P<mark>[•◦▪▫‣·●○■□*+-])\s+(?P<text>\S.*)$")
_NUMBER_RE = re.compile(r"^(?P<num>\d{1,3})[.)]\s+(?P<text>\S.*)$")
_SUB_BULLETS = "◦○▪▫■□"
_OPEN_Q, _CLOSE_Q = "“\"‘«„", "”\"’»"
_INLINE_CITE_RE = re.compile(r"^(?P<q>[“\"].+[”\"][.,]?)\s+[–—―-]\s*(?P<c>[^“”\"]{2,80})$")


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _opens_quote(norm: str) -> bool:
    return norm[0] in _OPEN_Q and len(norm) > 2


def _closes_quote(norm: str) -> bool:
    stripped = norm.rstrip(".,;…")
    return bool(stripped) and stripped[-1] in _CLOSE_Q


def _is_quote_line(norm: str) -> bool:
    """A whole line in quotation marks (one quotation, not dialogue)."""
    if not (_opens_quote(norm) and _closes_quote(norm)):
        return False
    inner = norm.rstrip(".,;…")[1:-1]
    return "”" not in inner and not (norm[0] == '"' and '"' in inner)


def _attribution(norm: str, following: str | None) -> str | None:
    """The attribution of the quotation above, or None: "– Name", "(Source p.23)", "Name, Source"."""
    words = _words(norm)
    m = re.match(r"^[–—―~-]+\s*(?P<c>\S.*)$", norm)
    if m and len(words) <= 14:
        return m.group("c")
    if norm.startswith("(") and norm.endswith(")") and len(words) <= 15:
        return norm
    if len(words) > 10 or re.search(r"[.!?:;]$", norm) or _is_list_item(norm) or _opens_quote(norm):
        return None
    if "," in norm or following is None or not _body_like(following):
        return norm
    return None


def _heading_like(norm: str) -> bool:
    words = _words(norm)
    if not words or len(words) > 15 or len(norm) > 100 or not (norm[0].isupper() or norm[0].isdigit()):
        return False
    if _is_list_item(norm) or _opens_quote(norm) or re.search(r"[.!?]\s+[A-Z]", norm):
        return False
    last = norm[-1]
    if last == "?":
        return len(words) <= 6
    if last == ".":
        return len(words) <= 4 and norm.count(".") == 1 and all(w[0].isupper() for w in words)
    return last not in ",;:!…" + _CLOSE_Q + ")]"


def _plain_paragraph(norm: str) -> bool:
    return _body_like(norm) and not _is_list_item(norm) and not _opens_quote(norm)


def _is_heading(body: list[_Line], i: int, depth: int = 0) -> bool:
    """Short, no final punctuation, and followed by a paragraph (or by a sub-heading that is)."""
    if not _heading_like(body[i].norm) or i + 1 >= len(body):
        return False
    nxt = body[i + 1].norm
    if _plain_paragraph(nxt):
        return True
    if _is_list_item(nxt):
        return len(_words(body[i].norm)) <= 6
    return depth < 2 and _is_heading(body, i + 1, depth + 1)


def _list_item(line: _Line) -> tuple[int, str, str, int] | None:
    """(indent, tag, text, number) of a list line."""
    text = line.text
    m = _BULLET_RE.match(text)
    if m:
        return line.indent + (2 if m.group("mark") in _SUB_BULLETS else 0), "ul", m.group("text"), 0
    m = _NUMBER_RE.match(text)
    if m:
        return line.indent, "ol", m.group("text"), int(m.group("num"))
    return None


def _list_html(items: list[tuple[int, str, str, int]]) -> str:
    out: list[str] = []
    stack: list[tuple[int, str]] = []
    for indent, tag, text, num in items:
        opening = f"<{tag}" + (f' start="{num}"' if tag == "ol" and num not in (0, 1) else "") + ">"
        if not stack or indent > stack[-1][0]:
            out.append(opening)
            stack.append((indent, tag))
        else:
            while len(stack) > 1 and indent < stack[-1][0]:
                out.append(f"</li></{stack.pop()[1]}>")
            out.append("</li>")
        out.append(f"<li>{_esc(text)}")
    while stack:
        out.append(f"</li></{stack.pop()[1]}>")
    return "".join(out)


def _body_html(body: list[_Line]) -> str:
    """Rebuild paragraphs, lists, headings and blockquotes from the kept body lines."""
    blocks: list[str] = []
    i = 0
    while i < len(body):
        line = body[i]
        if _list_item(line):
            items = []
            while i < len(body) and _list_item(body[i]):
                items.append(_list_item(body[i]))
                i += 1
            blocks.append(_list_html(items))
            continue
        inline = _INLINE_CITE_RE.match(line.text)
        if inline and _is_quote_line(_normalise(inline.group("q"))):
            blocks.append(f"<blockquote><p>{_esc(inline.group('q'))}</p><p><cite>{_esc(inline.group('c'))}</cite></p></blockquote>")
            i += 1
            continue
        if _opens_quote(line.norm):
            j = i
            # a quotation may run over several paragraphs: only the last one closes it
            while (not _closes_quote(body[j].norm) and "”" not in body[j].norm and j + 1 < len(body)
                   and j - i < 10 and _plain_paragraph(body[j + 1].norm)):
                j += 1
            if _closes_quote(body[j].norm) and (j > i or _is_quote_line(line.norm)):
                parts = [f"<p>{_esc(b.text)}</p>" for b in body[i:j + 1]]
                i = j + 1
                if i < len(body):
                    cite = _attribution(body[i].norm, body[i + 1].norm if i + 1 < len(body) else None)
                    if cite:
                        parts.append(f"<p><cite>{_esc(cite if cite != body[i].norm else body[i].text)}</cite></p>")
                        i += 1
                blocks.append("<blockquote>" + "".join(parts) + "</blockquote>")
                continue
        if _is_heading(body, i):
            blocks.append(f"<h2>{_esc(line.text)}</h2>")
        else:
            blocks.append(f"<p>{_esc(line.text)}</p>")
        i += 1
    return "\n".join(blocks)


# --------------------------------------------------------------------------------------------
# Documents


sanitize_title = slugify  # the name WordPress uses


def _clean_title(text: str) -> str:
    """Widont's no-break space (and any other) becomes a plain space."""
    return _normalise(text)


def _doc_id(title: str, date: datetime | None, taken: set[str]) -> str:
    key = f"{title}\n{date.isoformat() if date else ''}"
    base = "text-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
    doc_id, n = base, 2
    while doc_id in taken:
        doc_id, n = f"{base}-{n}", n + 1
    taken.add(doc_id)
    return doc_id


def _terms(meta: _Meta) -> list[Term]:
    out: list[Term] = []
    seen: set[tuple[str, str]] = set()
    for taxonomy, names in (("category", meta.cats), ("post_tag", meta.tags)):
        for name in names:
            key = (taxonomy, name.lower())
            if key not in seen:
                seen.add(key)
                out.append(Term(taxonomy=taxonomy, slug=sanitize_title(name) or name, name=name))
    return out


class _Reader:
    """State of one file being read."""

    def __init__(self, path: Path, lines: list[_Line], problems: list[Problem]):
        self.path, self.lines, self.problems = path, lines, problems
        self.order = _numeric_order(lines)
        self.vocab = self._residue_vocab()
        self.ids: set[str] = set()

    def _residue_vocab(self) -> set[str]:
        """Words of this file's standalone residue lines: they help split glued residue."""
        vocab: set[str] = set()
        for line in self.lines:
            if _is_residue(line.norm) and not _is_list_item(line.norm):
                vocab.update(w.lower() for w in line.norm.split() if w.isalpha() and len(w) >= 3)
        return vocab

    def removed(self, line: _Line, rule: str, doc_id: str | None) -> None:
        self.problems.append(
            Problem("info", CODE_REMOVED, f"{rule}: {line.text!r}", id=doc_id, source=str(self.path), line=line.no)
        )

    # -- regions --------------------------------------------------------------------------

    def outside(self, idxs: list[int] | range, doc_id: str | None) -> None:
        """Lines outside any post (before the first one): all chrome."""
        for i in idxs:
            self.removed(self.lines[i], _site_rule_name(self.lines[i].norm), doc_id)

    def body(self, idxs: list[int], doc_id: str, meta: _Meta) -> tuple[list[_Line], list[dict]]:
        """Split a post's region into kept body lines and image residue; drop the chrome."""
        kept: list[_Line] = []
        images: list[dict] = []
        trail: str | None = None
        for pos, i in enumerate(idxs):
            line = self.lines[i]
            norm = line.norm
            found = _terms_line(norm, self.order)
            if found:
                _merge(meta, found)
                self.removed(line, "post-meta", doc_id)
                continue
            rule = _rule(norm)
            if trail is not None:
                strong = rule and (rule.kind in ("trail", "comments") or
                                   (rule.kind == "weak" and _confirmed_widget(self.lines, i)))
                if strong:
                    trail = rule.name
                self.removed(line, rule.name if rule and (strong or rule.kind == "line") else trail, doc_id)
                continue
            if rule and (rule.kind in ("trail", "comments") or (rule.kind == "weak" and _confirmed_widget(self.lines, i))):
                trail = rule.name
                self.removed(line, rule.name, doc_id)
                continue
            if rule and rule.kind == "line":
                self.removed(line, rule.name, doc_id)
                continue
            if pos < 3 and not kept and _byline(norm):
                meta.author = meta.author or (_byline(norm) or "")
                self.removed(line, "byline", doc_id)
                continue
            if _is_list_item(norm):
                kept.append(line)
                continue
            glued = _split_glued(line.text, self.vocab)
            if glued:
                head, tail = glued
                images.append({"alt": tail, "line": line.no})
                self.problems.append(
                    Problem("info", CODE_REMOVED, f"image-residue: {tail!r}", id=doc_id, source=str(self.path), line=line.no)
                )
                kept.append(_Line(line.no, head, _normalise(head)))
                continue
            if _is_residue(norm):
                images.append({"alt": line.text, "line": line.no})
                self.removed(line, "image-residue", doc_id)
                continue
            if kept and kept[-1].norm == norm and len(_words(norm)) <= 10 and not _SENTENCE_END_RE.search(norm):
                # the same short line twice: an image's alt text, then its caption
                first = kept.pop()
                images.append({"alt": first.text, "caption": line.text, "line": first.no})
                self.removed(first, "image-residue", doc_id)
                self.removed(line, "image-caption", doc_id)
                continue
            kept.append(line)
        return kept, images

    # -- documents ------------------------------------------------------------------------

    def document(self, title_line: _Line, date: datetime | None, author: str, region: list[int],
                 lead: list[int], header_removed: list[tuple[int, str]]) -> Document:
        """One post: ``lead`` are meta lines printed above its title, ``region`` its body."""
        title = _clean_title(title_line.text)
        doc_id = _doc_id(title, date, self.ids)
        meta = _Meta(author=author)
        for idx in lead:
            _merge(meta, _terms_line(self.lines[idx].norm, self.order) or _Meta())
            self.removed(self.lines[idx], "post-meta", doc_id)
        for idx, rule in header_removed:
            self.removed(self.lines[idx], rule, doc_id)
        kept, images = self.body(region, doc_id, meta)
        doc = Document(
            id=doc_id,
            type="post",
            status="publish",
            title=title,
            slug=sanitize_title(title),
            content=_body_html(kept),
            content_kind="rendered",
            date=date or meta.date,
            author=meta.author,
            terms=_terms(meta),
            source=str(self.path),
            line=title_line.no,
        )
        if images:
            doc.extra["images"] = images
        return doc

    def _meta_above(self, title: int, floor: int) -> list[int]:
        """Category/tag lines just above a title (within three lines, not before ``floor``)."""
        return [i for i in range(max(floor, title - 3), title) if _terms_line(self.lines[i].norm, self.order)]

    def documents(self) -> list[Document]:
        headers = _find_headers(self.lines, self.order)
        if not headers:
            return self.single_without_date()
        # Themes that print categories above the title (Twenty Twenty) do so for every post;
        # the first post tells: otherwise meta lines after a body belong to that body's post.
        lead = self._meta_above(headers[0].title, 0)
        above_style = bool(lead)
        self.outside([i for i in range(headers[0].title) if i not in lead], None)
        docs: list[Document] = []
        for n, header in enumerate(headers):
            end = headers[n + 1].title if n + 1 < len(headers) else len(self.lines)
            following = self._meta_above(end, header.end + 1) if above_style and n + 1 < len(headers) else []
            region = [i for i in range(header.end + 1, end) if i not in following]
            docs.append(self.document(self.lines[header.title], header.date, header.author, region, lead, header.removed))
            lead = following
        return docs

    def single_without_date(self) -> list[Document]:
        """No title/date pair: the page is one post; its title is the first heading-like line
        followed by prose."""
        for i, line in enumerate(self.lines):
            if not _title_like(line.norm, self.order) or _is_residue(line.norm):
                continue
            following = [l for l in self.lines[i + 1:i + 5] if not _rule(l.norm) and not _byline(l.norm)]
            if following and _body_like(following[0].norm):
                self.outside(range(0, i), None)
                self.problems.append(
                    Problem("warning", "text-no-date", "no date line found; the page is read as one undated post",
                            source=str(self.path), line=line.no)
                )
                return [self.document(line, None, "", list(range(i + 1, len(self.lines))), [], [])]
        if self.lines:
            self.outside(range(0, len(self.lines)), None)
        self.problems.append(Problem("warning", "text-no-post", "no post found in the text", source=str(self.path)))
        return []


def _merge(meta: _Meta, found: _Meta) -> None:
    meta.cats += [c for c in found.cats if c not in meta.cats]
    meta.tags += [t for t in found.tags if t not in meta.tags]
    meta.author = meta.author or found.author
    meta.date = meta.date or found.date


def read_text(path: Path, site: Site, problems: list[Problem]) -> Iterator[Document]:
    """Yield one document per post found in the scrape (content_kind="rendered" HTML)."""
    lines = _load(Path(path), problems)
    if lines is None:
        return
    try:
        docs = _Reader(Path(path), lines, problems).documents()
    except Exception as exc:  # a reader bug must not stop the run: report it as data
        problems.append(Problem("error", "text-reader-failed", f"{type(exc).__name__}: {exc}", source=str(path)))
        return
    yield from docs
