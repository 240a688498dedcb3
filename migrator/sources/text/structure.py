"""Structure recovery: the kept lines of a post become paragraphs, lists, headings and quotes.

Copied text keeps no markup; what survives is the shape of lines: bullets and numbers,
short lines without final punctuation followed by prose (headings), lines in quotation marks
followed by an attribution (block quotes).  The result is rendered HTML for the usual
pipeline.
"""

from __future__ import annotations

import html
import re

from .lines import BULLET_RE, NUMBER_RE, SENTENCE_END_RE, SUB_BULLETS, Line, is_list_item, normalise, words
from .residue import is_residue

_OPEN_Q, _CLOSE_Q = '“"‘«„', '”"’»'
_INLINE_CITE_RE = re.compile(r"^(?P<q>[“\"].+[”\"][.,]?)\s+[–—―-]\s*(?P<c>[^“”\"]{2,80})$")


def body_like(norm: str) -> bool:
    """Reads as prose: a long line, or a sentence of a few words."""
    if is_residue(norm):
        return False
    return len(norm) >= 60 or (len(words(norm)) >= 4 and bool(SENTENCE_END_RE.search(norm)))


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
    ws = words(norm)
    m = re.match(r"^[–—―~-]+\s*(?P<c>\S.*)$", norm)
    if m and len(ws) <= 14:
        return m.group("c")
    if norm.startswith("(") and norm.endswith(")") and len(ws) <= 15:
        return norm
    if len(ws) > 10 or re.search(r"[.!?:;]$", norm) or is_list_item(norm) or _opens_quote(norm):
        return None
    if "," in norm or following is None or not body_like(following):
        return norm
    return None


def heading_like(norm: str) -> bool:
    ws = words(norm)
    if not ws or len(ws) > 15 or len(norm) > 100 or not (norm[0].isupper() or norm[0].isdigit()):
        return False
    if is_list_item(norm) or _opens_quote(norm) or re.search(r"[.!?]\s+[A-Z]", norm):
        return False
    last = norm[-1]
    if last == "?":
        return len(ws) <= 6
    if last == ".":
        return len(ws) <= 4 and norm.count(".") == 1 and all(w[0].isupper() for w in ws)
    return last not in ",;:!…" + _CLOSE_Q + ")]"


def _plain_paragraph(norm: str) -> bool:
    return body_like(norm) and not is_list_item(norm) and not _opens_quote(norm)


def _is_heading(body: list[Line], i: int, depth: int = 0) -> bool:
    """Short, no final punctuation, and followed by a paragraph (or by a sub-heading that is)."""
    if not heading_like(body[i].norm) or i + 1 >= len(body):
        return False
    nxt = body[i + 1].norm
    if _plain_paragraph(nxt):
        return True
    if is_list_item(nxt):
        return len(words(body[i].norm)) <= 6
    return depth < 2 and _is_heading(body, i + 1, depth + 1)


def _list_item(line: Line) -> tuple[int, str, str, int] | None:
    """(indent, tag, text, number) of a list line."""
    text = line.text
    m = BULLET_RE.match(text)
    if m:
        return line.indent + (2 if m.group("mark") in SUB_BULLETS else 0), "ul", m.group("text"), 0
    m = NUMBER_RE.match(text)
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


def body_html(body: list[Line]) -> str:
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
        if inline and _is_quote_line(normalise(inline.group("q"))):
            blocks.append(
                f"<blockquote><p>{_esc(inline.group('q'))}</p><p><cite>{_esc(inline.group('c'))}</cite></p></blockquote>"
            )
            i += 1
            continue
        if _opens_quote(line.norm):
            j = i
            # a quotation may run over several paragraphs: only the last one closes it
            while (
                not _closes_quote(body[j].norm)
                and "”" not in body[j].norm
                and j + 1 < len(body)
                and j - i < 10
                and _plain_paragraph(body[j + 1].norm)
            ):
                j += 1
            if _closes_quote(body[j].norm) and (j > i or _is_quote_line(line.norm)):
                parts = [f"<p>{_esc(b.text)}</p>" for b in body[i : j + 1]]
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
