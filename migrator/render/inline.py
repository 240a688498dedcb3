"""Inline elements: links, images, inline HTML kept as HTML, quotes, embedded media."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .escaping import ALT_SPECIAL, AUTOLINK, BR, chomp, collapse_ws, escape_inline, link_dest, link_title
from .html import sanitize_html
from .nodes import get_text

_VIDEO_HOSTS = (
    "youtube.com",
    "youtu.be",
    "youtube-nocookie.com",
    "vimeo.com",
    "dailymotion.com",
    "wordpress.tv",
    "videopress.com",
    "ted.com",
    "twitch.tv",
    "tiktok.com",
)


def _edges(text: str) -> tuple[str, str, str]:
    """The spaces and line breaks (BR) at the start of ``text``, what is between, and those at
    its end (all of a text of only those at the start)."""
    rest = text.lstrip(" " + BR)
    inner = rest.rstrip(" " + BR)
    return text[: len(text) - len(rest)], inner, rest[len(inner) :]


_EMPHASIS = frozenset({"em", "i", "cite", "dfn", "var"})
#: Kept as inline HTML around their text (:meth:`InlineConverter.convert_inline_html`).
_INLINE_HTML = frozenset({"sup", "sub", "u", "mark", "small", "abbr", "del", "s", "strike", "ins"})
#: Elements written around their text as Markdown or inline HTML (a link, emphasis, <sup>...):
#: what they hold stays on their line.
INLINE_WRAPPERS = _EMPHASIS | _INLINE_HTML | {"a", "strong", "b", "q"}


def _at_edge_of_emphasis(el: Any) -> bool:
    """True when ``el`` is the first or last thing inside another emphasis element (other than
    line breaks, comments and whitespace)."""
    parent = el.getparent()
    if parent is None or parent.tag not in _EMPHASIS:
        return False
    return _edge_content(parent, el, False) or _edge_content(parent, el, True)


def _edge_content(parent: Any, el: Any, last: bool) -> bool:
    """True when ``el`` is ``parent``'s first (or ``last``) content: text with words or an
    element other than ``<br>``."""
    if not last and parent.text and parent.text.strip():
        return False
    for child in reversed(parent) if last else parent:
        if last and child.tail and child.tail.strip():
            return False
        if isinstance(child.tag, str) and child.tag != "br":
            return child is el
        if not last and child.tail and child.tail.strip():
            return False
    return False


class InlineConverter:
    """Links, images, inline HTML, scripts (dropped) and embedded media."""

    embed_style: str
    _warn: Callable[[str, str], None]

    def convert_a(self, el, text, parent_tags):
        href = (el.get("href") or "").strip()
        if "_noformat" in parent_tags or not href:
            return text
        prefix, suffix, inner = chomp(text.replace(BR, " "))
        if not inner:
            return ""
        title = el.get("title")
        # (escaping only adds characters, and an autolink starts with a letter, never escaped)
        if (
            not title
            and inner[0] == href[0]
            and len(inner) >= len(href)
            and AUTOLINK.match(href)
            and inner == escape_inline(href)
        ):
            return f"{prefix}<{href}>{suffix}"
        return f"{prefix}[{inner}]({link_dest(href)}{link_title(title)}){suffix}"

    def convert_img(self, el, text, parent_tags):
        src = (el.get("src") or "").strip()
        if not src:
            return ""
        alt = el.get("alt")
        if alt:
            alt = collapse_ws(alt).strip()  # (as WS.sub(" ", alt): fewer matches)
            if ALT_SPECIAL.search(alt):
                alt = ALT_SPECIAL.sub(r"\\\1", alt)
        else:
            alt = ""
        return f"![{alt}]({link_dest(src)}{link_title(el.get('title'))})"

    def convert_em(self, el, text, parent_tags):
        """``*text*``; ``_text_`` for emphasis at the edge of emphasis (``<em><em>x</em></em>``
        is ``*_x_*``: ``**x**`` would be strong). ``<cite>``, ``<dfn>`` and ``<var>`` are
        shown in italics, so they are emphasis too."""
        if "_noformat" in parent_tags:
            return text
        lead, inner, trail = _edges(text)
        if not inner:
            return text if BR in text else ""
        # line breaks at the edges go outside the emphasis (a delimiter never ends a line)
        lead = lead.replace(" ", "") if BR in lead else lead[:1]
        trail = trail.replace(" ", "") if BR in trail else trail[:1]
        mark = "_" if _at_edge_of_emphasis(el) else "*"
        return f"{lead}{mark}{inner}{mark}{trail}"

    convert_i = convert_cite = convert_dfn = convert_var = convert_em

    def convert_inline_html(self, el, text, parent_tags):
        if not text.strip():
            return text
        if text.lstrip(" ")[:1] == "\n":
            # blocks inside (a list in <sup>): the tag alone on its line would open a raw HTML
            # block, where Markdown's escapes are no escapes (``\<script>`` would be a tag)
            return text
        name = "del" if el.tag in ("s", "strike") else el.tag
        return f"<{name}>{text}</{name}>"

    convert_sup = convert_sub = convert_u = convert_mark = convert_small = convert_inline_html
    convert_abbr = convert_del = convert_s = convert_strike = convert_ins = convert_inline_html

    def convert_q(self, el, text, parent_tags):
        return f"“{text}”"

    def convert_script(self, el, text, parent_tags):
        return ""

    convert_style = convert_noscript = convert_template = convert_script

    # --- embedded media -------------------------------------------------------------
    def convert_iframe(self, el, text, parent_tags):
        if self.embed_style == "html":
            return self._embed_html(el, parent_tags)
        src = (el.get("src") or el.get("data-src") or "").strip()
        if not src:
            return ""
        if not any(host in src for host in _VIDEO_HOSTS):
            self._warn("iframe-as-link", f"iframe {src} kept as a link")
        label = el.get("title") or src
        return f"\n\n[{escape_inline(label)}]({link_dest(src)})\n\n"

    def convert_object(self, el, text, parent_tags):
        """A link to the file; text inside (an object's fallback content, or what a parser nested
        in an unclosed ``<embed>``) follows it, never lost."""
        src = el.get("data") or el.get("src") or ""
        if not src:
            return text
        link = f"\n\n[{escape_inline(src)}]({link_dest(src)})\n\n"
        return link + text if get_text(el, strip=True) else link

    convert_embed = convert_object

    def _embed_html(self, el: Any, parent_tags) -> str:
        html = sanitize_html(el)
        return html.replace("\n", " ") if "_inline" in parent_tags else f"\n\n{html}\n\n"

    def convert_video(self, el, text, parent_tags):
        if self.embed_style == "html":
            return self._embed_html(el, parent_tags)
        src = el.get("src") or ""
        if not src:
            source = next((s for s in el.iterdescendants("source") if "src" in s.attrib), None)
            src = source.get("src") if source is not None else ""
        if not src:
            return ""
        return f"\n\n[{escape_inline(src.rsplit('/', 1)[-1] or src)}]({link_dest(src)})\n\n"

    convert_audio = convert_video
