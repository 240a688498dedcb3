"""Rendered HTML -> normalised CommonMark.

Built on markdownify, with converters replaced where its defaults are wrong for CommonMark:
escaping only where needed, line-start escapes, ``-`` bullets with 4-space nesting (read the
same by CommonMark and Python-Markdown), fenced code blocks verbatim, hard breaks as ``\\``,
pipe tables only for simple tables (others kept as HTML), figures per the figure style.
"""

from __future__ import annotations

import re
from html import escape as html_escape

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag
from markdownify import MarkdownConverter

from ..model import Problem
from ..transforms.clean import DROPPED_ELEMENTS
from ..transforms.tree import child_tags, find_strings, find_tag, find_tags
from ..urls import is_dangerous_url

BR = "\x00"  # placeholder for <br>, resolved per block
_WS = re.compile(r"[ \t\n\r\f\v]+")  # HTML whitespace; U+00A0 is not collapsed
_BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "blockquote", "pre", "table", "h1", "h2", "h3", "h4", "h5",
    "h6", "figure", "figcaption", "dd", "dt", "dl", "body", "td", "th", "section", "article",
    "header", "footer", "aside", "main", "nav", "details", "summary", "address", "center", "hr",
    "[document]", "html",
}
# Runs of HTML whitespace other than a lone space: replacing just these by one space gives the
# same text as replacing every run (a lone space stays as it is), with far fewer matches.
_WS_RUN = re.compile(r" [ \t\n\r\f\v]+|[\t\n\r\f\v][ \t\n\r\f\v]*")


def collapse_ws(text: str) -> str:
    """Every run of HTML whitespace as one space (``_WS.sub(" ", text)``, faster)."""
    return _WS_RUN.sub(" ", text)


_LANG_CLASS = re.compile(r"^(?:language|lang|brush|highlight|sourceCode)[-:]?([\w+#.-]+)$", re.I)
_BRUSH = re.compile(r"brush\s*:\s*([\w+#.-]+)", re.I)
_VIDEO_HOSTS = ("youtube.com", "youtu.be", "youtube-nocookie.com", "vimeo.com", "dailymotion.com",
                "wordpress.tv", "videopress.com", "ted.com", "twitch.tv", "tiktok.com")
_RAW_KEEP = {"dl", "iframe", "object", "embed", "svg", "math", "map", "canvas"}
_INLINE_HTML = {"sup", "sub", "u", "mark", "small", "abbr", "del", "s", "strike", "ins", "kbd", "cite", "q", "dfn", "var"}
_URL_ATTRS = {"href", "src", "cite"}
_SAFE_ATTRS = {"href", "src", "alt", "title", "colspan", "rowspan", "id", "class", "lang", "dir", "width", "height", "datetime", "start", "type", "cite", "scope", "headers", "abbr",
               "controls", "poster", "preload", "loop", "muted", "allow", "allowfullscreen", "frameborder", "loading"}


_SPECIAL = re.compile(r"[\\`*\[\]_<&~]")
_ESC_PUNCT = re.compile(r"([`*\[\]])")
_ESC_UNDERSCORE = re.compile(r"(?<![\w\\])_|_(?!\w)")  # emphasis only at a word boundary
_ESC_LT = re.compile(r"<(?=[A-Za-z/!?])")
_ESC_AMP = re.compile(r"&(?=#?\w+;)")
_ESC_TILDE = re.compile(r"~(?=~)")


def escape_inline(text: str) -> str:
    """Escape what would otherwise become Markdown syntax inside a line of text."""
    if not _SPECIAL.search(text):
        return text  # most text: nothing to escape
    text = text.replace("\\", "\\\\")
    text = _ESC_PUNCT.sub(r"\\\1", text)
    # _ opens/closes emphasis only at a word boundary (CommonMark flanking rules)
    text = _ESC_UNDERSCORE.sub(r"\\_", text)
    text = _ESC_LT.sub(r"\\<", text)
    text = _ESC_AMP.sub(r"\\&", text)
    text = _ESC_TILDE.sub(r"\\~", text)
    return text


_LINE_START = re.compile(
    r"^(?:(?P<hash>#{1,6})(?=[ \t]|$)|(?P<quote>>)|(?P<bullet>[-+])(?=[ \t]|$)"
    r"|(?P<num>\d{1,9})(?P<dot>[.)])(?=[ \t]|$)|(?P<rule>(?:=+|-{2,}|(?:_\s*){3,})\s*$))"
)


def escape_line_start(text: str) -> str:
    """Escape a line start that CommonMark would read as a block marker."""
    m = _LINE_START.match(text)
    if not m:
        return text
    if m.group("num"):
        return m.group("num") + "\\" + text[len(m.group("num")):]
    return "\\" + text


def _starts_line(node: NavigableString | Tag) -> bool:
    """True when ``node`` is the first thing on a Markdown line (block start or after <br>)."""
    while True:
        prev = node.previous_sibling
        while prev is not None and isinstance(prev, NavigableString) and not prev.strip():
            prev = prev.previous_sibling
        if prev is not None:
            return isinstance(prev, Tag) and (prev.name == "br" or prev.name in _BLOCK_TAGS)
        parent = node.parent
        if parent is None or parent.name in _BLOCK_TAGS:
            return True
        node = parent


_HARD_BREAK = re.compile(r"[ \t]*\x00[ \t\x00]*")


def _finish_block(text: str) -> str:
    """Trim a block's text and turn inner <br> placeholders into hard breaks."""
    text = text.strip(" \t\r\n" + BR)
    if BR in text:  # most blocks have no <br>: skip the regular expression
        text = _HARD_BREAK.sub("\\\n", text)
    return text


def code_language(el: Tag) -> str:
    """Language of a <pre>/<code> from its classes (language-x, lang:x, brush: x, ...)."""
    for node in (el, find_tag(el, "code")):
        if not isinstance(node, Tag):
            continue
        classes = node.get("class") or []
        if isinstance(classes, str):
            classes = classes.split()
        for cls in classes:
            m = _LANG_CLASS.match(cls)
            if m and m.group(1).lower() not in ("none", "plain", "text", "auto"):
                return m.group(1).lower()
        m = _BRUSH.search(" ".join(classes))
        if m:
            return m.group(1).lower()
        lang = node.get("data-lang") or node.get("data-language") or node.get("lang")
        if lang and isinstance(lang, str) and re.fullmatch(r"[\w+#.-]+", lang):
            return lang.lower()
    return ""


def fence(code: str, lang: str = "") -> str:
    """A fenced code block holding ``code`` verbatim."""
    longest = max((len(m) for m in re.findall(r"`+", code)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{lang}\n{code}\n{ticks}"


def sanitize_html(el: Tag) -> str:
    """Serialise an element kept as raw HTML, with unsafe attributes and elements removed."""
    clone = BeautifulSoup(str(el), "html.parser")
    for bad in clone.find_all([*DROPPED_ELEMENTS, "object", "embed", "form", "input", "button"]):
        bad.decompose()
    for tag in clone.find_all(True):
        for attr in list(tag.attrs):
            value = tag.attrs[attr]
            value = " ".join(value) if isinstance(value, list) else str(value)
            if attr.lower() not in _SAFE_ATTRS or (attr.lower() in _URL_ATTRS and is_dangerous_url(value)):
                del tag.attrs[attr]
    html = str(clone).strip()
    return re.sub(r"\n\s*\n", "\n", html)  # a blank line would end the HTML block


#: markdownify drops whitespace-only text at the inner edges of these elements (and of headings).
_TRIM_INSIDE = frozenset({"p", "blockquote", "article", "div", "section", "ol", "ul", "li", "dl", "dt", "dd",
                          "table", "thead", "tbody", "tfoot", "tr", "td", "th"})
_HEADING = re.compile(r"h(\d+)")


def _trims_inside(el) -> bool:
    """markdownify's ``should_remove_whitespace_inside``: a block element (or heading)."""
    if el is None or not el.name:
        return False
    return el.name in _TRIM_INSIDE or _HEADING.match(el.name) is not None


def _trims_outside(el) -> bool:
    """markdownify's ``should_remove_whitespace_outside``: a block element, heading or <pre>."""
    return _trims_inside(el) or (el is not None and el.name == "pre")


def _children_to_convert(node: Tag) -> list:
    """The children markdownify converts: tags, text other than comments and doctypes, minus
    whitespace-only text at a block element's inner edges or next to a block element."""
    trim_inside = _trims_inside(node)
    out = []
    for el in node.children:
        if isinstance(el, Tag):
            out.append(el)
        elif isinstance(el, (Comment, Doctype)):
            continue
        elif el.strip() != "":
            out.append(el)
        elif trim_inside and (not el.previous_sibling or not el.next_sibling):
            continue
        elif _trims_outside(el.previous_sibling) or _trims_outside(el.next_sibling):
            continue
        else:
            out.append(el)
    return out


def _child_parent_tags(name: str, parent_tags: set) -> set:
    """The parent tags a tag's children see: its own name, plus ``_inline`` inside headings and
    table cells and ``_noformat`` inside code (as markdownify)."""
    tags = set(parent_tags)
    tags.add(name)
    if _HEADING.match(name) is not None or name in ("td", "th"):
        tags.add("_inline")
    if name in ("pre", "code", "kbd", "samp"):
        tags.add("_noformat")
    return tags


def _join_collapsing_newlines(strings: list[str]) -> str:
    """Join the (non-empty) results of a tag's children as markdownify does: where one child's
    trailing newlines meet the next child's leading ones, keep the larger count, at most two."""
    out: list[str] = []
    trailing = ""  # the previous child's trailing newlines, not yet written
    for text in strings:
        if text[0] != "\n" and text[-1] != "\n":  # most children: nothing to collapse
            out.append(trailing)
            out.append(text)
            trailing = ""
            continue
        content = text.strip("\n")
        lead = len(text) - len(text.lstrip("\n"))
        leading = text[:lead]
        if trailing and leading:
            leading = "\n" * min(2, max(len(trailing), len(leading)))
            trailing = ""
        out.append(trailing)
        out.append(leading)
        out.append(content)
        trailing = text[lead + len(content):]
    out.append(trailing)
    return "".join(out)


def _may_need_line_start(text: str) -> bool:
    """False when :func:`escape_line_start` of ``text.lstrip(" ")`` is ``text`` itself: no
    leading space to strip and no character a block marker starts with."""
    first = text[:1]
    return first == "" or first in " #>-+=_" or first.isdecimal()


class Converter(MarkdownConverter):
    """markdownify with CommonMark-correct converters."""

    def __init__(self, figure_style: str = "markdown", warnings: list[Problem] | None = None,
                 embed_style: str = "link"):
        super().__init__(
            heading_style="atx", bullets="-", escape_asterisks=False, escape_underscores=False,
            escape_misc=False, newline_style="backslash", strip_document="strip",
            keep_inline_images_in=["h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "a"],
        )
        self.figure_style = figure_style
        self.embed_style = embed_style  # "html": iframes, audio and video stay HTML elements
        self.warnings = warnings if warnings is not None else []

    def _warn(self, code: str, message: str) -> None:
        self.warnings.append(Problem("warning", code, message))

    # --- text -----------------------------------------------------------------------
    def process_text(self, el, parent_tags=None):
        parent_tags = parent_tags or set()
        if isinstance(el, Comment):
            return ""
        text = str(el)
        if "pre" in parent_tags:
            return text
        text = collapse_ws(text.replace(BR, ""))
        if "_noformat" not in parent_tags:
            text = escape_inline(text)
            # cells and headings are one line; the tree is asked only when the text could change
            if "_inline" not in parent_tags and _may_need_line_start(text) and _starts_line(el):
                text = escape_line_start(text.lstrip(" "))
        if text.startswith(" ") and _drop_leading_space(el):
            text = text.lstrip(" ")
        if text.endswith(" ") and _drop_trailing_space(el):
            text = text.rstrip(" ")
        return text

    def process_tag(self, node, parent_tags=None):
        """markdownify's ``process_tag`` (same result), with less work per node: children are
        converted, empty results dropped, newlines at their edges collapsed (not inside
        ``<pre>``), then the tag's own converter runs."""
        if parent_tags is None:
            parent_tags = set()
        if isinstance(node, Tag) and node.name in _RAW_KEEP and node.name not in ("iframe", "object", "embed"):
            return self.convert_raw(node, parent_tags)
        inner_tags = _child_parent_tags(node.name, parent_tags)
        strings = []
        for child in _children_to_convert(node):
            if isinstance(child, NavigableString):
                text = self.process_text(child, inner_tags)
            else:
                text = self.process_tag(child, inner_tags)
            if text:
                strings.append(text)
        if node.name != "pre" and node.find_parent("pre") is None:
            text = _join_collapsing_newlines(strings)
        else:
            text = "".join(strings)
        convert_fn = self.get_conv_fn_cached(node.name)
        if convert_fn is not None:
            text = convert_fn(node, text, parent_tags=parent_tags)
        return text

    def convert__document_(self, el, text, parent_tags):
        return text.strip("\n")

    # --- blocks ---------------------------------------------------------------------
    def _block(self, text: str, parent_tags) -> str:
        if "_inline" in parent_tags:
            return " " + text.replace(BR, " ").strip() + " "
        text = _finish_block(text)
        return f"\n\n{text}\n\n" if text else ""

    def convert_p(self, el, text, parent_tags):
        if text.replace(BR, "").strip(" \t\r\n\u00a0") == "":
            return ""
        return self._block(text, parent_tags)

    def convert_div(self, el, text, parent_tags):
        return self._block(text, parent_tags)

    convert_section = convert_article = convert_main = convert_header = convert_footer = convert_div
    convert_aside = convert_center = convert_address = convert_nav = convert_div
    convert_figcaption = convert_div

    def convert_br(self, el, text, parent_tags):
        return " " if "_inline" in parent_tags else BR

    def convert_hN(self, n, el, text, parent_tags):
        text = _WS.sub(" ", text.replace(BR, " ")).strip()
        if "_inline" in parent_tags:
            return text
        if not text:
            return ""
        if text.endswith("#"):
            text = text[:-1] + "\\#"
        return f"\n\n{'#' * max(1, min(6, n))} {text}\n\n"

    def convert_hr(self, el, text, parent_tags):
        return "\n\n---\n\n"

    def convert_blockquote(self, el, text, parent_tags):
        text = _finish_block(text)
        if "_inline" in parent_tags:
            return " " + text + " "
        if not text:
            return ""
        lines = [("> " + line) if line.strip() else ">" for line in text.split("\n")]
        return "\n\n" + "\n".join(lines) + "\n\n"

    def convert_pre(self, el, text, parent_tags):
        for br in find_tags(el, ("br",)):
            br.replace_with("\n")
        code = el.get_text()
        if code.startswith("\n"):
            code = code[1:]
        code = code.rstrip("\n").replace(BR, "\n")
        if not code.strip():
            return ""
        return "\n\n" + fence(code, code_language(el)) + "\n\n"

    def convert_code(self, el, text, parent_tags):
        if "pre" in parent_tags:
            return text
        return super().convert_code(el, el.get_text().replace("\n", " "), parent_tags)

    def convert_list(self, el, text, parent_tags):
        text = text.strip("\n")
        if not text:
            return ""
        if "li" in parent_tags:
            return "\n" + text + "\n"  # nested: attached to the item's text (tight)
        return "\n\n" + text + "\n\n"

    convert_ul = convert_ol = convert_list

    def convert_li(self, el, text, parent_tags):
        text = _finish_block(text)
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = str(parent.get("start") or "1")
            start_n = int(start) if start.isdigit() else 1
            index = len([s for s in el.previous_siblings if isinstance(s, Tag) and s.name == "li"])
            bullet = f"{start_n + index}. "
        else:
            bullet = "- "
        indent = " " * max(4, len(bullet))
        if not text:
            return bullet.rstrip() + "\n"
        lines = text.split("\n")
        out = [bullet + lines[0]]
        out += [(indent + line) if line.strip() else "" for line in lines[1:]]
        loose = any(not line for line in out)
        return "\n".join(out) + ("\n\n" if loose else "\n")

    # --- inline ---------------------------------------------------------------------
    def convert_a(self, el, text, parent_tags):
        href = (el.get("href") or "").strip()
        if "_noformat" in parent_tags or not href:
            return text
        prefix, suffix, inner = _chomp(text.replace(BR, " "))
        if not inner:
            return ""
        title = el.get("title")
        if inner == escape_inline(href) and _AUTOLINK.match(href) and not title:
            return f"{prefix}<{href}>{suffix}"
        dest = _link_dest(href)
        title_part = ' "%s"' % title.replace("\\", "\\\\").replace('"', '\\"') if title else ""
        return f"{prefix}[{inner}]({dest}{title_part}){suffix}"

    def convert_img(self, el, text, parent_tags):
        src = (el.get("src") or "").strip()
        if not src:
            return ""
        alt = _WS.sub(" ", el.get("alt") or "").strip()
        alt = _ALT_SPECIAL.sub(r"\\\1", alt)
        title = el.get("title")
        title_part = ' "%s"' % title.replace("\\", "\\\\").replace('"', '\\"') if title else ""
        return f"![{alt}]({_link_dest(src)}{title_part})"

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

    def convert_iframe(self, el, text, parent_tags):
        if self.embed_style == "html":
            return self._embed_html(el, parent_tags)
        src = (el.get("src") or el.get("data-src") or "").strip()
        if not src:
            return ""
        if not any(host in src for host in _VIDEO_HOSTS):
            self._warn("iframe-as-link", f"iframe {src} kept as a link")
        label = el.get("title") or src
        return f"\n\n[{escape_inline(label)}]({_link_dest(src)})\n\n"

    def convert_object(self, el, text, parent_tags):
        src = el.get("data") or el.get("src") or ""
        return f"\n\n[{escape_inline(src)}]({_link_dest(src)})\n\n" if src else text

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
        return f"\n\n[{escape_inline(src.rsplit('/', 1)[-1] or src)}]({_link_dest(src)})\n\n"

    convert_audio = convert_video

    def convert_details(self, el, text, parent_tags):
        """``<details>``: the HTML wrapper kept, its content as Markdown between blank lines
        (CommonMark ends the HTML block at the blank line and reads the content as Markdown)."""
        summary = el.find("summary")
        label = html_escape(_WS.sub(" ", summary.get_text()).strip()) if summary is not None else ""
        clone = BeautifulSoup(str(el), "lxml").find("details")
        if clone.find("summary") is not None:
            clone.find("summary").decompose()
        clone.name = "div"  # convert the content, not the wrapper again
        body = _finish_block(self.process_tag(clone, set()))
        if "_inline" in parent_tags:
            return " " + label + " " + body.replace("\n", " ") + " "
        opening = "<details open>" if el.has_attr("open") else "<details>"
        head = f"{opening}\n<summary>{label}</summary>" if label else opening
        return f"\n\n{head}\n\n{body}\n\n</details>\n\n" if body else f"\n\n{head}\n</details>\n\n"

    def convert_summary(self, el, text, parent_tags):
        return ""

    def convert_raw(self, el: Tag, parent_tags) -> str:
        self._warn("kept-as-html", f"<{el.name}> kept as raw HTML")
        html = sanitize_html(el)
        if "_inline" in parent_tags:
            return html.replace("\n", " ")
        return f"\n\n{html}\n\n"

    # --- figures --------------------------------------------------------------------
    def convert_figure(self, el, text, parent_tags):
        images = find_tags(el, ("img",))
        if find_tag(el, "figure") is not None or len(images) != 1 or "_inline" in parent_tags:
            return self._block(text, parent_tags)  # galleries: each inner figure on its own
        img = images[0]
        cap = find_tag(el, "figcaption")
        link = img.find_parent("a")
        href = link.get("href") if link is not None and el in link.parents else None
        if self.figure_style == "html":
            return "\n\n" + _figure_html(img, href, cap) + "\n\n"
        if self.figure_style == "hugo":
            return "\n\n" + _figure_hugo(img, href, cap) + "\n\n"
        image_md = self.convert_img(img, "", parent_tags)
        if href:
            image_md = f"[{image_md}]({_link_dest(href)})"
        parts = [image_md]
        if _figure_extra_text(el, cap):
            parts.append(_finish_block(self._convert_children_excluding(el)))
        caption_md = _finish_block(self.process_tag(cap, {"figure"})) if cap is not None else ""
        if caption_md:
            mark = "_" if "*" in caption_md else "*"
            parts.append(f"{mark}{caption_md}{mark}")
        return "\n\n" + "\n\n".join(p for p in parts if p) + "\n\n"

    def _convert_children_excluding(self, el: Tag) -> str:
        """The figure's content other than its image and caption, converted."""
        clone = BeautifulSoup(str(el), "lxml").find("figure")
        for node in clone.find_all(["img", "figcaption"]):
            node.decompose()
        return self.process_tag(clone, set())

    # --- tables ---------------------------------------------------------------------
    def convert_table(self, el, text, parent_tags):
        if not _simple_table(el):
            self._warn("table-kept-as-html", "complex table (spans or block content) kept as HTML")
            return "\n\n" + sanitize_html(el) + "\n\n"
        rows = [tr for tr in find_tags(el, ("tr",)) if tr.find_parent("table") is el]
        if not rows:
            return ""
        grid = [[self._cell(td) for td in child_tags(tr, ("td", "th"))] for tr in rows]
        width = max(len(r) for r in grid)
        grid = [r + [""] * (width - len(r)) for r in grid]
        first = rows[0]
        has_header = first.find_parent("thead") is not None or all(c.name == "th" for c in child_tags(first, ("td", "th")))
        header = grid[0] if has_header else [""] * width
        body = grid[1:] if has_header else grid
        caption = find_tag(el, "caption")
        lines = []
        if caption is not None and caption.get_text(strip=True):
            lines.append(_finish_block(self.process_tag(caption, {"_inline"})) + "\n")
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "|".join(["---"] * width) + "|")
        lines += ["| " + " | ".join(r) + " |" for r in body]
        return "\n\n" + "\n".join(lines) + "\n\n"

    def _cell(self, cell: Tag) -> str:
        text = self.process_tag(cell, {"_inline", "td"})
        text = _WS.sub(" ", text.replace(BR, " ")).strip()
        return text.replace("|", "\\|")

    def convert_caption(self, el, text, parent_tags):
        return ""

    convert_thead = convert_tbody = convert_tfoot = convert_tr = convert_td = convert_th = (
        lambda self, el, text, parent_tags: text
    )


_AUTOLINK = re.compile(r"^[a-z][a-z0-9+.-]*:[^\s<>]*$", re.I)  # a URL CommonMark autolinks as <url>
_ALT_SPECIAL = re.compile(r"([\\\[\]])")  # escaped in image descriptions
_NEEDS_ANGLES = re.compile(r"[\s<>]")  # a link destination holding these needs <...>
_FENCE = re.compile(r"(`{3,}|~{3,})")


def _chomp(text: str) -> tuple[str, str, str]:
    prefix = " " if text.startswith(" ") else ""
    suffix = " " if text.endswith(" ") else ""
    return prefix, suffix, text.strip()


def _link_dest(url: str) -> str:
    url = url.strip()
    if _NEEDS_ANGLES.search(url) or url.count("(") != url.count(")"):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url




def _drop_leading_space(el: NavigableString) -> bool:
    prev = el.previous_sibling
    if prev is None:
        return el.parent is None or el.parent.name in _BLOCK_TAGS
    return isinstance(prev, Tag) and (prev.name in _BLOCK_TAGS or prev.name == "br")


def _drop_trailing_space(el: NavigableString) -> bool:
    nxt = el.next_sibling
    if nxt is None:
        return el.parent is None or el.parent.name in _BLOCK_TAGS
    return isinstance(nxt, Tag) and (nxt.name in _BLOCK_TAGS or nxt.name == "br")


_CELL_BLOCKS = frozenset({"p", "ul", "ol", "pre", "blockquote", "table", "h1", "h2", "h3", "h4", "h5", "h6",
                          "div", "dl"})


def _simple_table(table: Tag) -> bool:
    for cell in find_tags(table, ("td", "th")):
        if cell.find_parent("table") is not table:
            return False  # nested table
        if str(cell.get("colspan", "1")).strip() not in ("", "1") or str(cell.get("rowspan", "1")).strip() not in ("", "1"):
            return False
        blocks = find_tags(cell, _CELL_BLOCKS)
        if len([b for b in blocks if b.name != "p"]) or len([b for b in blocks if b.name == "p"]) > 1:
            return False
    return True


def _figure_extra_text(fig: Tag, cap: Tag | None) -> bool:
    for s in find_strings(fig):
        if s.strip() and (cap is None or cap not in s.parents):
            return True
    return False


def _figure_html(img: Tag, href: str | None, cap: Tag | None) -> str:
    attrs = f'src="{html_escape(img.get("src", ""))}" alt="{html_escape(img.get("alt") or "")}"'
    image = f"<img {attrs}>"
    if href:
        image = f'<a href="{html_escape(href)}">{image}</a>'
    caption = ""
    if cap is not None and cap.get_text(strip=True):
        caption = f"<figcaption>{sanitize_html(cap)[len('<figcaption>'):-len('</figcaption>')] if str(cap).startswith('<figcaption>') else html_escape(cap.get_text(' ', strip=True))}</figcaption>"
    return f"<figure>{image}{caption}</figure>"


def _figure_hugo(img: Tag, href: str | None, cap: Tag | None) -> str:
    def q(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    parts = [f"src={q(img.get('src', ''))}"]
    if img.get("alt"):
        parts.append(f"alt={q(_WS.sub(' ', img['alt']).strip())}")
    if cap is not None and cap.get_text(strip=True):
        parts.append(f"caption={q(_WS.sub(' ', cap.get_text(' ', strip=True)))}")
    if href:
        parts.append(f"link={q(href)}")
    return "{{< figure " + " ".join(parts) + " >}}"


def render_markdown(html_or_soup: str | BeautifulSoup, figure_style: str = "markdown",
                    warnings: list[Problem] | None = None, embed_style: str = "link") -> str:
    """Convert rendered HTML to normalised CommonMark ending in exactly one newline."""
    soup = html_or_soup if isinstance(html_or_soup, (BeautifulSoup, Tag)) else BeautifulSoup(html_or_soup, "lxml")
    body = find_tag(soup, "body") if isinstance(soup, BeautifulSoup) else None
    root = body if body is not None else soup
    comments, lists = _comments_and_lists(root)
    more = _mark_more(comments)
    _nest_stray_lists(lists)  # lists under a paragraph _mark_more replaced are out of the tree
    text = Converter(figure_style, warnings, embed_style).process_tag(root, set())
    return normalise(text, more)


def _comments_and_lists(root) -> tuple[list[Comment], list[Tag]]:
    """The comments and the ``<ul>``/``<ol>`` under ``root``, in document order (one walk)."""
    comments: list[Comment] = []
    lists: list[Tag] = []
    for node in root.descendants:
        if isinstance(node, Comment):
            comments.append(node)
        elif isinstance(node, Tag) and node.name in ("ul", "ol"):
            lists.append(node)
    return comments, lists


def _nest_stray_lists(lists: list[Tag]) -> None:
    """A list directly inside a list (invalid, common in old posts) belongs to the item before it,
    as browsers show it."""
    for lst in lists:
        if lst.parent is None or lst.parent.name not in ("ul", "ol"):
            continue
        prev = lst.find_previous_sibling()
        if prev is not None and prev.name == "li":
            prev.append(lst.extract())
        else:
            lst.wrap(Tag(name="li"))


_MORE = "\x01MORE\x01"


def _mark_more(comments: list[Comment]) -> bool:
    """Replace <!--more--> comments by a placeholder paragraph (kept as <!--more-->)."""
    found = False
    for c in comments:
        if c.strip().lower().startswith("more"):
            found = True
            parent = c.parent
            target = c
            if parent is not None and parent.name == "p" and not parent.get_text(strip=True).replace(_MORE, ""):
                target = parent
            p = Tag(name="p")
            p.string = _MORE
            target.replace_with(p)
    return found


def normalise(text: str, more: bool = False) -> str:
    """Final whitespace normalisation: no trailing spaces, one blank line between blocks."""
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[str] = []
    in_fence = None
    for line in lines:
        if not in_fence:
            line = line.rstrip()  # code inside fences stays byte for byte
        stripped = line.lstrip()
        fence_m = _FENCE.match(stripped)
        if in_fence:
            out.append(line)
            if fence_m and stripped.startswith(in_fence) and not stripped[len(in_fence):].strip():
                in_fence = None
                out[-1] = line.rstrip()
            continue
        if fence_m:
            in_fence = fence_m.group(1)
        if not line and out and not out[-1]:
            continue
        out.append(line)
    result = "\n".join(out).strip("\n")
    result = result.replace(_MORE, "<!--more-->").replace("\x01", "")
    return (result + "\n") if result else ""
