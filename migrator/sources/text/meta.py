"""Metadata lines: dates, bylines, categories, tags and comment counts, wherever a theme puts them.

A meta line is read as a sequence of tokens -- labels ("Posted on", "By", "Categories",
"Tagged", "Post author:"), dates, comment counts ("2 Comments", "Leave a comment on X") and
separators -- with the values between them.  Labels may be glued to their neighbours, as text
copied from a page often is ("Posted byadminDecember 1, 2026Posted inUncategorizedTags:
offsets").  The whole line must be explained by tokens and plausible values, or it is not
meta (it is prose that happens to mention a date).

The labels are WordPress's own strings (core and bundled themes print "Posted on", "by",
"Posted in", "Tagged", "Categories", "Leave a comment on X", "N Comments on X",
"Published", "Categorized as"); a label of the form "Post <word>:" is read by its word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as Day, datetime

from .dates import find_dates
from .lines import normalise

# --------------------------------------------------------------------------------------------
# Tokens

# A field label may carry a leading noun ("Post author:", "Entry date:"): read by its field word.
_FIELD = r"(?:(?:post|entry|article) )?"
_LABELS: list[tuple[str, list[str]]] = [
    ("author", [_FIELD + r"author:?", r"posted by:?", r"written by:?", r"published by:?", r"by:?"]),
    (
        "date",
        [
            r"posted on:?",
            r"published on:?",
            _FIELD + r"published:?",
            _FIELD + r"date:?",
            r"updated on:?",
            r"last updated:?",
            r"updated:?",
            r"posted",
            r"on",
        ],
    ),
    ("cats", [r"posted in:?", _FIELD + r"categor(?:y|ies):?", r"categori[sz]ed (?:as|in):?", r"filed under:?", r"in"]),
    ("tags", [_FIELD + r"tags:?", r"tagged (?:with|as):?", r"tagged:?", r"tag:?"]),
    ("count", [_FIELD + r"comments:"]),
]
_SHORT = {"by", "on", "in", "posted", "date", "tag", "tags", "author", "updated", "category", "published"}
_COMMENT_RE = re.compile(
    r"(?P<n>\d+|no|one|two|three)\s+(?:comments?|responses?|replies|thoughts?)(?:\s*»)?(?:\s+(?:on|to)\s+(?P<about>.+))?"
    r"|leave a (?:comment|reply)(?:\s+on\s+(?P<about2>.+))?|comments? (?:are )?(?:off|closed)(?:\s+on\s+(?P<about3>.+))?",
    re.I,
)
_UI_RE = re.compile(r"reply|permalink|edit|says:|said:", re.I)
_SEP_RE = re.compile(r"\s*(?:[|/·•]|\s[–—-]\s)\s*")
_PLACEHOLDER_RE = re.compile(r"^(?:\[[^\[\]\s]{1,40}\]\s*)+")  # w3m: an image without alt text


def _label_regex() -> re.Pattern:
    """One alternation of every label, longest first ("posted in" before "posted")."""
    alts = [(alt, kind) for kind, pats in _LABELS for alt in pats]
    alts.sort(key=lambda a: -len(a[0]))
    return re.compile("|".join(f"(?P<{kind}_{n}>{alt})" for n, (alt, kind) in enumerate(alts)), re.I)


_LABEL_RE = _label_regex()
_WEEKDAY_RE = re.compile(r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday|sday)?\.?,?", re.I)
_NAME_RE = re.compile(r"^[^\W\d_][\w.'’ -]*$")


@dataclass
class Meta:
    """What one or more meta lines say about a post."""

    date: datetime | Day | None = None
    author: str = ""
    cats: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    comments: int | None = None
    about: str = ""  # the post title a comment link names ("Leave a comment on X")
    kinds: list[str] = field(default_factory=list)  # token kinds in order: the line's shape
    labelled: bool = False  # a label word, not only a date, a name or a count

    @property
    def strong(self) -> bool:
        """Enough to anchor a post: a date or an author."""
        return self.date is not None or bool(self.author)

    def merge(self, other: Meta) -> None:
        self.date = self.date or other.date
        self.author = self.author or other.author
        self.cats += [c for c in other.cats if c not in self.cats]
        self.tags += [t for t in other.tags if t not in self.tags]
        self.comments = self.comments if self.comments is not None else other.comments
        self.about = self.about or other.about
        self.kinds += other.kinds
        self.labelled = self.labelled or other.labelled


def name_ok(name: str) -> bool:
    """Looks like a person's display name or login ("Jane Doe", "admin", "Theme Buster")."""
    name = name.strip()
    return bool(name) and len(name) <= 40 and len(name.split()) <= 5 and bool(_NAME_RE.match(name))


def names(value: str, slash: bool = False) -> list[str] | None:
    """A comma list of term names, or None when the value does not read as one."""
    value = re.sub(r"\s*[.»]$", "", value.strip())
    parts = re.split(r"\s*,\s*|\s*/\s*" if slash else r"\s*,\s*", value)
    out = [p.strip() for p in parts if p.strip()]
    if not out or any(len(p) > 60 or len(p.split()) > 6 for p in out):
        return None
    return out


def _label_at(text: str, m: re.Match) -> bool:
    """Is this label match a label here (not letters inside a word or a value)?"""
    start, end = m.start(), m.end()
    word = m.group().lower().rstrip(":").strip()
    if start > 0:
        before = text[start - 1]
        if before.isalnum():
            # glued to the previous word: only a capitalised label after a lower-case letter or
            # a digit ("UncategorizedTags", "2012Posted", "2012By")
            if not (text[start].isupper() and (before.islower() or before.isdigit())):
                return False
        elif before not in " \t|/·•–—:,(]":
            return False
    if end < len(text):
        after = text[end]
        if after.isalnum() and word in _SHORT and not m.group().endswith(":"):
            # "Tags" must not be the start of "Tagsoup"; "by"+"admin" is glued only after a
            # longer label ("Posted byadmin")
            return False
    return True


def _tokens(text: str, order: str) -> list[tuple[int, int, str, object]] | None:
    """(start, end, kind, value) of every token, left to right; None when none."""
    toks: list[tuple[int, int, str, object]] = []
    for d in find_dates(text, order):
        toks.append((d.start, d.end, "D", d))
    taken = [(s, e) for s, e, _, _ in toks]

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for m in _COMMENT_RE.finditer(text):
        s = m.start()
        if not free(s, m.end()):
            continue
        if s > 0 and text[s - 1].isalnum() and not (m.group("n") or "")[:1].isdigit() and not text[s].isupper():
            continue
        if s > 0 and text[s - 1].isalpha() and text[s - 1].isupper():
            continue
        about = m.group("about") or m.group("about2") or m.group("about3") or ""
        n = m.group("n")
        count = None
        if n:
            count = int(n) if n.isdigit() else {"no": 0, "one": 1, "two": 2, "three": 3}[n.lower()]
        end = len(text) if about else m.end()
        if end < len(text) and text[end].isalnum() and text[end].islower():
            continue
        toks.append((s, end, "C", (count, about.strip())))
        taken.append((s, end))
        if about:
            break
    for m in _LABEL_RE.finditer(text):
        if not free(m.start(), m.end()) or not _label_at(text, m):
            continue
        kind = m.lastgroup.rsplit("_", 1)[0]  # type: ignore[union-attr]
        toks.append((m.start(), m.end(), "L" + kind, m.group()))
        taken.append((m.start(), m.end()))
    for m in _WEEKDAY_RE.finditer(text):
        if (
            free(m.start(), m.end())
            and (m.start() == 0 or not text[m.start() - 1].isalnum())
            and (m.end() == len(text) or not text[m.end()].isalnum())
        ):
            toks.append((m.start(), m.end(), "W", m.group()))
            taken.append((m.start(), m.end()))
    toks.sort()
    return toks or None


def parse_meta(line: str, order: str = "dmy") -> Meta | None:
    """Read a line of post metadata; None when the line is not (only) metadata."""
    text = _PLACEHOLDER_RE.sub("", normalise(line)).strip()
    if not text or len(text) > 2000:
        return None
    sentence = _sentence(text, order)
    if sentence is not None:
        return sentence
    toks = _tokens(text, order)
    if not toks:
        return None
    meta = Meta()
    pos = 0
    label: str | None = None
    last_kind = ""
    label_words: list[str] = []
    weak_only = True  # only "in"/"on"/"posted"-style labels so far: not enough on their own
    for start, end, kind, value in toks + [(len(text), len(text), "END", None)]:
        gap = text[pos:start]
        if gap.strip():
            chunks = [c.strip() for c in _SEP_RE.split(gap) if c.strip()]
            separated = bool(_SEP_RE.search(gap))
            for n, chunk in enumerate(chunks):
                nxt = kind if n == len(chunks) - 1 else "V"
                if not _value(meta, label, chunk, last_kind, nxt, separated):
                    return None
                label = None if label in ("Lauthor", "Ldate", "Lcount") else label
                last_kind = "V"
        elif label in ("Lauthor", "Lcats", "Ltags") and kind != "END" and kind != "D":
            return None  # a label without its value, then another token
        if kind == "END":
            break
        if kind == "W":
            pos = end
            continue
        if kind == "D":
            if meta.date is None:
                meta.date = value.value  # type: ignore[attr-defined]
            weak_only = False
            label = None
        elif kind == "C":
            count, about = value  # type: ignore[misc]
            if count is not None:
                meta.comments = count
            meta.about = meta.about or about
            weak_only = False
            label = None
        else:
            label = kind
            word = str(value).lower().rstrip(":").strip()
            label_words.append(str(value))
            meta.labelled = True
            if word not in ("in", "on", "posted", "by", "date", "updated", "published"):
                weak_only = False
        meta.kinds.append(kind)
        last_kind = kind
        pos = end
    if label in ("Lcats", "Ltags", "Lauthor", "Lcount") and not text[pos:].strip():
        # a label at the very end without its value: only as a whole label line
        if len(meta.kinds) > 1:
            return None
    if weak_only and not meta.author:
        return None
    if len(label_words) == 1 and len(meta.kinds) <= 2 and meta.date is None and _SOLO_RE.fullmatch(label_words[0]):
        return None  # "Author Biography", "Tags Blocks": a title, not a byline
    if not (
        meta.date
        or meta.author
        or meta.cats
        or meta.tags
        or meta.comments is not None
        or meta.about
        or "C" in meta.kinds
    ):
        return None
    return meta


_SOLO_RE = re.compile(r"author|tags?|categor(?:y|ies)|date|updated|published|posted|on|in", re.I)
_LOGIN_RE = re.compile(r"^[\w.@-]{2,40}$")
_PARTICLES = {"de", "da", "di", "van", "von", "der", "den", "la", "le", "du", "dos", "del", "bin", "al"}


def strict_name(value: str) -> bool:
    """A display name of capitalised words ("Jane Doe", "John Γιάννης Doe") or one login word
    ("admin", "themedemos"): what a theme prints next to a date without a label."""
    words = value.split()
    if len(words) == 1:
        return bool(_LOGIN_RE.match(value)) and not value.isdigit() and any(c.isalpha() for c in value)
    return name_ok(value) and all(w[0].isupper() or w.lower() in _PARTICLES for w in words)


def _value(meta: Meta, label: str | None, value: str, last_kind: str, next_kind: str, separated: bool) -> bool:
    """Give a bare value to the label before it; False when it does not fit."""
    if _UI_RE.fullmatch(value):
        meta.kinds.append("U")
        return True
    if label == "Lauthor":
        if not (name_ok(value) and (strict_name(value) or last_kind != "Lauthor" or True)):
            return False
        meta.author = meta.author or value
        meta.kinds.append("V")
        return True
    if label in ("Lcats", "Ltags"):
        found = names(value, slash=True)
        if found is None:
            return False
        (meta.cats if label == "Lcats" else meta.tags).extend(n for n in found if n not in meta.cats + meta.tags)
        meta.kinds.append("V")
        return True
    if label == "Lcount":
        m = re.fullmatch(r"(\d+)(?:\s+comments?)?", value, re.I)
        if not m:
            return False
        meta.comments = int(m.group(1))
        return True
    if label == "Ldate":
        return False  # "Posted on" followed by something that is not a date
    # No label: a name right next to a date is the author ("January 7, 2012 Theme Buster",
    # "themedemos March 14, 2013"); a bare number after a date a comment count; a value set
    # off by separators next to other meta, categories ("Leave a Comment / Theme / By admin").
    if value.isdigit() and last_kind == "D":
        meta.comments = int(value)
        return True
    if "D" in (last_kind, next_kind) and strict_name(value) and not meta.author:
        meta.author = value
        meta.kinds.append("N")
        return True
    if separated and "D" not in (last_kind, next_kind):
        found = names(value)
        if found is not None:
            meta.cats.extend(n for n in found if n not in meta.cats)
            meta.kinds.append("B")
            return True
    return False


_ENTRY_RE = re.compile(
    r"^this entry was posted (?:in (?P<cats>.+?)(?: and tagged (?P<tags>.+?))?(?: by (?P<author>.+?))?"
    r"|on (?P<date>.+?) and is filed under (?P<cats2>.+?))\.(?:\s.*)?$",
    re.I,
)


def _sentence(text: str, order: str) -> Meta | None:
    """The Kubrick-era footer sentence: "This entry was posted in A and tagged b. Bookmark ..."."""
    m = _ENTRY_RE.match(text)
    if not m:
        return None
    meta = Meta(labelled=True, kinds=["Lsentence"])
    if m.group("date"):
        found = find_dates(m.group("date"), order)
        meta.date = found[0].value if found else None
        meta.cats = names(m.group("cats2")) or []
    else:
        meta.cats = names(m.group("cats") or "") or []
        meta.tags = names(m.group("tags") or "") or []
        meta.author = (m.group("author") or "").strip()
    return meta


_LABEL_ONLY_RE = re.compile(rf"^(?:{'|'.join(p for _, pats in _LABELS for p in pats)})$", re.I)


def is_label(norm: str) -> bool:
    """A line that is only a label ("Posted in", "Tags:", "by"): its value is on the next line."""
    return bool(_LABEL_ONLY_RE.match(norm.strip()))


@dataclass
class DateLine:
    """A post's date line: the date (a ``date`` when only the day is shown) and the author
    named on the same line, if any."""

    date: datetime | Day
    author: str = ""


def parse_date_line(line: str, order: str = "dmy") -> DateLine | None:
    """A line that is a post's date with what themes print around it ("Posted on 14 September
    2014 by Jane Doe", "May 26, 2015", "By Sam Writer | 26/05/2019 | 3 Comments"); None for
    anything else (prose that mentions a date, category or tag lines)."""
    meta = parse_meta(line, order)
    if meta is None or meta.date is None or meta.cats or meta.tags:
        return None
    return DateLine(meta.date, meta.author)
