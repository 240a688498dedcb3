"""Inline elements: links, images, inline HTML kept as HTML, quotes, embedded media."""

from __future__ import annotations

import re

from bs4 import Comment, Tag

from .escaping import ALT_SPECIAL, AUTOLINK, BR, WS, chomp, escape_inline, link_dest, link_title
from .html import sanitize_html

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


_EDGES = re.compile(r"([ \x00]*)(.*?)([ \x00]*)\Z", re.S)
_EMPHASIS = frozenset({"em", "i", "cite", "dfn", "var"})


def _at_edge_of_emphasis(el: Tag) -> bool:
    """True when ``el`` is the first or last thing inside another emphasis element."""
    parent = el.parent
    if parent is None or parent.name not in _EMPHASIS:
        return False
    content = [
        c
        for c in parent.children
        if (isinstance(c, Tag) and c.name != "br") or (not isinstance(c, (Tag, Comment)) and str(c).strip())
    ]
    return bool(content) and (content[0] is el or content[-1] is el)


class InlineConverter:
    """Links, images, inline HTML, scripts (dropped) and embedded media."""

    def convert_a(self, el, text, parent_tags):
        href = (el.get("href") or "").strip()
        if "_noformat" in parent_tags or not href:
            return text
        prefix, suffix, inner = chomp(text.replace(BR, " "))
        if not inner:
            return ""
        title = el.get("title")
        if inner == escape_inline(href) and AUTOLINK.match(href) and not title:
            return f"{prefix}<{href}>{suffix}"
        return f"{prefix}[{inner}]({link_dest(href)}{link_title(title)}){suffix}"

    def convert_img(self, el, text, parent_tags):
        src = (el.get("src") or "").strip()
        if not src:
            return ""
        alt = WS.sub(" ", el.get("alt") or "").strip()
        alt = ALT_SPECIAL.sub(r"\\\1", alt)
        return f"![{alt}]({link_dest(src)}{link_title(el.get('title'))})"

    def convert_em(self, el, text, parent_tags):
        """``*text*``; ``_text_`` for emphasis at the edge of emphasis (``<em><em>x</em></em>``
        is ``*_x_*``: ``**x**`` would be strong). ``<cite>``, ``<dfn>`` and ``<var>`` are
        shown in italics, so they are emphasis too."""
        if "_noformat" in parent_tags:
            return text
        lead, inner, trail = _EDGES.match(text).groups()  # type: ignore[union-attr]
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
        name = "del" if el.name in ("s", "strike") else el.name
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
        return link + text if el.get_text(strip=True) else link

    convert_embed = convert_object

    def _embed_html(self, el: Tag, parent_tags) -> str:
        html = sanitize_html(el)
        return html.replace("\n", " ") if "_inline" in parent_tags else f"\n\n{html}\n\n"

    def convert_video(self, el, text, parent_tags):
        if self.embed_style == "html":
            return self._embed_html(el, parent_tags)
        src = el.get("src") or ""
        if not src:
            source = el.find("source", src=True)
            src = source["src"] if source else ""
        if not src:
            return ""
        return f"\n\n[{escape_inline(src.rsplit('/', 1)[-1] or src)}]({link_dest(src)})\n\n"

    convert_audio = convert_video
