"""Comment sections of a single post: kept as comments (data), never as posts.

A comment in copied text is a commenter's name and a date ("Jane Doe says:" / "March 12,
2013 at 1:17 pm", or both on one line), the comment's text, and chrome around it ("Reply",
"Permalink", avatars).  The comment form that follows ("Leave a Reply", field labels) ends
the list.
"""

from __future__ import annotations

import html
import re

from ...model import Comment
from .lines import Line, unbullet
from .meta import Meta, parse_meta, strict_name

_SAYS_RE = re.compile(r"^(?:\[[^\[\]]*\]\s*)?(?P<name>.+?)\s+(?:says|said|wrote):?$", re.I)
_AVATAR_RE = re.compile(r"^(?:\[[^\[\]]*\]\s*)+(?P<rest>.*)$")
_CHROME_RE = re.compile(r"^(?:reply|permalink|edit|\(edit\)|log in to reply|reply to .{1,60}|.{1,60} avatar)$", re.I)
_FORM_RE = re.compile(
    r"^(?:leave a (?:reply|comment)(?: cancel reply)?|cancel reply|post comment|\[post comment\]|"
    r"your email address will not be published.*|comment \*.*|name \*.*|email \*.*)$",
    re.I,
)


def _clean(norm: str) -> str:
    text = unbullet(norm)
    m = _AVATAR_RE.match(text)
    return m.group("rest").strip() if m else text


def _header(lines: list[Line], i: int, end: int, order: str) -> tuple[str, object, int] | None:
    """(author, date, lines used) when a comment starts at line ``i``."""
    text = _clean(lines[i].norm)
    if not text:
        return None
    m: Meta | None = parse_meta(text, order)
    if m is not None and m.author and m.date and not m.labelled:
        return m.author, m.date, 1
    says = _SAYS_RE.match(text)
    name = says.group("name").strip() if says else text
    if (says or strict_name(name)) and i + 1 < end:
        d = parse_meta(_clean(lines[i + 1].norm), order)
        if d is not None and d.date and not d.author and not d.labelled:
            return name, d.date, 2
    return None


def read_comments(lines: list[Line], start: int, end: int, order: str, doc_id: str) -> list[Comment]:
    """The comments in lines [start, end) of a comment section."""
    out: list[Comment] = []
    current: tuple[str, object] | None = None
    text: list[str] = []

    def flush() -> None:
        if current is not None:
            content = "\n\n".join(html.escape(t, quote=False) for t in text)
            out.append(
                Comment(
                    id=f"{doc_id}-c{len(out) + 1}",
                    author=current[0],
                    date=current[1],  # type: ignore[arg-type]
                    content=content,
                )
            )

    i = start
    while i < end:
        norm = lines[i].norm
        if current is not None and _FORM_RE.match(norm):
            break
        found = _header(lines, i, end, order)
        if found:
            flush()
            current, text = (found[0], found[1]), []
            i += found[2]
            continue
        clean = _clean(norm)
        if current is not None and clean and not _CHROME_RE.match(clean):
            d = parse_meta(clean, order)
            if not (d is not None and d.date and not d.labelled and not d.author):
                text.append(clean)
        i += 1
    flush()
    return out
