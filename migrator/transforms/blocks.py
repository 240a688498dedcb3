"""Block-editor (Gutenberg) content: block comments to the HTML WordPress renders.

Two halves:

* :func:`parse_blocks` follows WordPress's ``WP_Block_Parser``
  (wp-includes/class-wp-block-parser.php): the same delimiter grammar, the same tree
  (``inner_blocks`` plus ``inner_content`` chunks where ``None`` marks an inner block's
  place), freeform HTML between blocks.  Two deliberate differences in error recovery:
  WordPress gives up at a closer with no open block and emits the rest of the document as raw
  HTML; we skip that stray closer and carry on, so later blocks are still rendered (the visible
  result is the same for static blocks).  And when several blocks are left open at the end,
  WordPress moves each to the top level (repeating the inner ones' HTML inside their parents);
  we close them nested instead.
* :func:`render_blocks` renders the tree like ``do_blocks()`` but into plain, renderer-friendly
  HTML: layout containers are flattened, dynamic blocks (whose HTML only exists at request
  time) are dropped and reported, embeds become links, galleries become one ``<figure>`` per
  image.

Freeform (classic) chunks of a block document are NOT run through wpautop: ``do_blocks()``
removes wpautop from ``the_content`` as soon as the content has blocks, and the freeform
parts are emitted verbatim.  Only the shortcode block is autop'ed, because its server-side
render callback (``render_block_core_shortcode``) calls ``wpautop()`` itself.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from .context import Context
from .shortcodes import render_embed
from .wpautop import wpautop

# PCRE's \s without the /u flag: ASCII whitespace only (Python's \s would also match U+00A0).
_WS = "[ \\t\\n\\x0b\\f\\r]"
_DELIM_START = re.compile(
    rf"<!--{_WS}+(?P<closer>/)?wp:(?P<namespace>[a-z][a-z0-9_-]*/)?(?P<name>[a-z][a-z0-9_-]*){_WS}+"
)
_ATTRS_END = re.compile(rf"\}}{_WS}+(?P<void>/)?-->")
_DELIM_END = re.compile(r"(?P<void>/)?-->")
# Anything still looking like a block delimiter after parsing (e.g. "<!-- wp:Para -->").
# Unterminated ones lose just the "<!-- wp:name" part, so the text after them stays visible.
_LEFTOVER = re.compile(r"<!--\s*/?wp:[^<]*?-->|<!--\s*/?wp:[^\s<>]*")


@dataclass
class Block:
    """One parsed block; ``name`` is None for freeform HTML."""

    name: str | None
    attrs: dict = field(default_factory=dict)
    inner_blocks: list[Block] = field(default_factory=list)
    inner_html: str = ""
    inner_content: list[str | None] = field(default_factory=list)


@dataclass
class _Token:
    kind: str  # "opener", "closer", "void"
    name: str
    attrs: dict
    start: int
    length: int
    bad_json: bool = False


@dataclass
class _Frame:
    block: Block
    token_start: int
    token_length: int
    prev_offset: int
    leading_html_start: int | None


def has_blocks(text: str) -> bool:
    """True when the content carries block markup, exactly like WordPress's ``has_blocks()``."""
    return "<!-- wp:" in text


class _AttrsEnds:
    """Finds the end of a JSON attributes run; remembers the last answer (linear on junk input)."""

    def __init__(self, doc: str) -> None:
        self.doc = doc
        self.last: re.Match[str] | None = None
        self.none_after = len(doc) + 1

    def after(self, pos: int) -> re.Match[str] | None:
        if pos >= self.none_after:
            return None
        if self.last is not None and pos <= self.last.start():
            return self.last
        self.last = _ATTRS_END.search(self.doc, pos)
        if self.last is None:
            self.none_after = pos
        return self.last


def _next_token(doc: str, offset: int, ends: _AttrsEnds | None = None) -> _Token | None:
    """The next block delimiter at or after ``offset``, as WordPress's tokenizer finds it."""
    ends = ends or _AttrsEnds(doc)
    pos = offset
    while True:
        m = _DELIM_START.search(doc, pos)
        if m is None:
            return None
        end = m.end()
        attrs: dict = {}
        bad_json = False
        tail = None
        if doc.startswith("{", end):
            tail = ends.after(end)
            if tail is not None:
                raw = doc[end : tail.start() + 1]
                try:
                    decoded = json.loads(raw)
                except ValueError:
                    decoded = None
                if isinstance(decoded, dict):
                    attrs = decoded
                else:
                    bad_json = True
        else:
            tail = _DELIM_END.match(doc, end)
        if tail is None:
            pos = m.start() + 1
            continue
        name = (m.group("namespace") or "core/") + m.group("name")
        if tail.group("void"):
            kind = "void"
        elif m.group("closer"):
            kind = "closer"
        else:
            kind = "opener"
        return _Token(kind, name, attrs, m.start(), tail.end() - m.start(), bad_json)


def parse_blocks(doc: str, issues: list[str] | None = None) -> list[Block]:
    """Parse ``doc`` into top-level blocks like ``parse_blocks()``; never raises.

    Irregularities (invalid JSON attributes, unclosed blocks, stray or mismatched closers) are
    appended to ``issues`` as messages.
    """
    issues = issues if issues is not None else []
    output: list[Block] = []
    stack: list[_Frame] = []
    offset = 0

    def freeform(text: str) -> Block:
        return Block(None, {}, [], text, [text])

    def add_inner_block(block: Block, token_start: int, token_length: int, last_offset: int | None = None) -> None:
        parent = stack[-1]
        parent.block.inner_blocks.append(block)
        chunk = doc[parent.prev_offset : token_start]
        if chunk:
            parent.block.inner_html += chunk
            parent.block.inner_content.append(chunk)
        parent.block.inner_content.append(None)
        parent.prev_offset = last_offset if last_offset else token_start + token_length

    def add_block_from_stack(end_offset: int | None = None) -> None:
        top = stack.pop()
        chunk = doc[top.prev_offset : end_offset] if end_offset is not None else doc[top.prev_offset :]
        if chunk:
            top.block.inner_html += chunk
            top.block.inner_content.append(chunk)
        if top.leading_html_start is not None:
            output.append(freeform(doc[top.leading_html_start : top.token_start]))
        output.append(top.block)

    def close_nested(closer_start: int, closer_length: int) -> None:
        top = stack.pop()
        chunk = doc[top.prev_offset : closer_start]
        if chunk:  # WordPress appends even an empty chunk here; it renders the same
            top.block.inner_html += chunk
            top.block.inner_content.append(chunk)
        top.prev_offset = closer_start + closer_length
        add_inner_block(top.block, top.token_start, top.token_length, closer_start + closer_length)

    ends = _AttrsEnds(doc)
    while True:
        token = _next_token(doc, offset, ends)
        if token is None:
            if not stack:
                if offset < len(doc):
                    output.append(freeform(doc[offset:]))
                break
            for frame in stack:
                issues.append(f"block {frame.block.name} is never closed")
            # WordPress unwinds several open blocks to the top level, which repeats the inner
            # blocks' HTML inside their parents; we close them at the end of the document instead.
            while len(stack) > 1:
                close_nested(len(doc), 0)
            add_block_from_stack()
            break
        if token.bad_json:
            issues.append(f"invalid JSON attributes in block {token.name}")
        leading = offset if token.start > offset else None
        if token.kind == "void":
            block = Block(token.name, token.attrs)
            if not stack:
                if leading is not None:
                    output.append(freeform(doc[leading : token.start]))
                output.append(block)
            else:
                add_inner_block(block, token.start, token.length)
            offset = token.start + token.length
        elif token.kind == "opener":
            stack.append(_Frame(Block(token.name, token.attrs), token.start, token.length, token.start + token.length, leading))
            offset = token.start + token.length
        else:  # closer
            if not stack:
                # WordPress stops here and emits the rest as raw HTML; we drop the stray closer.
                issues.append(f"closing delimiter of {token.name} without an open block")
                if leading is not None:
                    output.append(freeform(doc[leading : token.start]))
                offset = token.start + token.length
                continue
            if stack[-1].block.name != token.name:
                issues.append(f"block {stack[-1].block.name} closed by {token.name}")
            if len(stack) == 1:
                add_block_from_stack(token.start)
            else:
                close_nested(token.start, token.length)
            offset = token.start + token.length
    return output


# --------------------------------------------------------------------------------------------
# Rendering

#: Blocks whose saved HTML is what WordPress shows: rendered by concatenating their content.
_STATIC = {
    "core/paragraph", "core/heading", "core/list", "core/list-item", "core/quote",
    "core/pullquote", "core/table", "core/preformatted", "core/verse", "core/details",
    "core/image", "core/audio", "core/video", "core/separator", "core/freeform",
    "core/missing", "core/text-columns", "core/subhead", "core/math", "core/social-links",
    "core/footnote", "core/html",
}
#: Layout containers: flattened to their inner blocks, in order.
_CONTAINERS = {"core/columns", "core/column", "core/group", "core/row", "core/stack"}
_DROPPED_SILENTLY = {"core/spacer"}
#: Dynamic blocks (rendered at request time from the database or theme) by exact name ...
_DYNAMIC = {
    "core/archives", "core/avatar", "core/calendar", "core/categories", "core/latest-comments",
    "core/latest-posts", "core/legacy-widget", "core/loginout", "core/rss", "core/search",
    "core/tag-cloud", "core/template-part", "core/pattern", "core/read-more", "core/home-link",
    "core/widget-group", "core/breadcrumbs",
}
#: ... and by prefix.
_DYNAMIC_PREFIXES = (
    "core/post-", "core/query", "core/comment", "core/site-", "core/navigation", "core/page-list",
    "core/term-", "core/terms-",
)
#: Dynamic blocks whose own render is their inner blocks (the per-item templates inside them,
#: post-template and comment-template, are dynamic and dropped).
_DYNAMIC_CONTAINERS = {"core/query", "core/comments"}
_MAX_DEPTH = 100  # real content nests a dozen levels at most
_CODE_PLUGINS = {"syntaxhighlighter/code", "enlighter/codeblock"}


def _is_dynamic(name: str) -> bool:
    return name in _DYNAMIC or name.startswith(_DYNAMIC_PREFIXES)


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _fragment(markup: str) -> etree._Element | None:
    """Parse an HTML fragment into a wrapping ``<div>``; None when there is nothing to parse."""
    if not markup.strip():
        return None
    try:
        return lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return None


def _inner_html(el: etree._Element) -> str:
    parts = [html.escape(el.text, quote=False) if el.text else ""]
    parts.extend(lxml.html.tostring(child, encoding="unicode", with_tail=True) for child in el)
    return "".join(parts)


def _has_class(el: etree._Element, name: str) -> bool:
    return name in (el.get("class") or "").split()


def _first(root: etree._Element | None, xpath: str) -> etree._Element | None:
    if root is None:
        return None
    found = root.xpath(xpath)
    return found[0] if found else None


def _cls(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _image_figure(src: str, alt: str = "", caption: str = "", link: str = "") -> str:
    """One ``<figure>`` holding an image, optionally linked and captioned."""
    img = f'<img src="{_attr(src)}" alt="{_attr(alt)}"/>'
    if link:
        img = f'<a href="{_attr(link)}">{img}</a>'
    cap = f"<figcaption>{caption}</figcaption>" if caption.strip() else ""
    return f'<figure class="wp-block-image">{img}{cap}</figure>'


def _media_figure(el: etree._Element, link: str = "") -> str:
    """A figure for an ``<img>`` or ``<video>`` element found inside a cover/media-text block."""
    if el.tag == "video":
        src = el.get("src") or ""
        return f'<figure class="wp-block-video"><video controls src="{_attr(src)}"></video></figure>'
    return _image_figure(el.get("src") or "", el.get("alt") or "", link=link)


class _Renderer:
    """Renders parsed blocks for one document, collecting problems as it goes."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.dynamic: Counter[str] = Counter()
        self.unknown: Counter[str] = Counter()
        self.refs: list[str] = []
        self.depth = 0
        self.too_deep = False
        self.handlers = {
            "core/code": self.code,
            "core/gallery": self.gallery,
            "core/embed": self.embed,
            "core/buttons": self.flatten,
            "core/button": self.button,
            "core/cover": self.cover,
            "core/media-text": self.media_text,
            "core/file": self.file,
            "core/more": self.more,
            "core/nextpage": self.nextpage,
            "core/footnotes": self.footnotes,
            "core/block": self.reusable,
            "core/shortcode": self.shortcode,
            "core/social-link": self.social_link,
        }

    # -- entry points ---------------------------------------------------------------------

    def document(self, text: str) -> str:
        issues: list[str] = []
        blocks = parse_blocks(text, issues)
        for issue in issues:
            self.ctx.report("block-parse", issue, "warning")
        return "".join(self.block(b) for b in blocks)

    def finish(self) -> None:
        for name in sorted(self.dynamic):
            n = self.dynamic[name]
            self.ctx.report("dynamic-block", f"dynamic block {name} ({n}x) not rendered: its content comes from the live site", "info")
        for name in sorted(self.unknown):
            n = self.unknown[name]
            self.ctx.report("unknown-block", f"unknown block {name} ({n}x): kept its inner HTML", "warning")

    # -- generic --------------------------------------------------------------------------

    def content(self, block: Block) -> str:
        """``WP_Block::render()`` for a static block: chunks with inner blocks rendered in place."""
        out: list[str] = []
        inner = iter(block.inner_blocks)
        for chunk in block.inner_content:
            if chunk is None:
                child = next(inner, None)
                if child is not None:
                    out.append(self.block(child))
            else:
                out.append(chunk)
        return "".join(out)

    def inner(self, block: Block) -> str:
        """Only the inner blocks, rendered and joined, without the wrapper HTML."""
        return "\n".join(s for s in (self.block(b).strip() for b in block.inner_blocks) if s)

    def flatten(self, block: Block) -> str:
        """Layout containers: inner blocks in order; wrappers dropped unless they carry text."""
        wrapper_text = "".join(re.sub(r"<[^>]*>", "", c) for c in block.inner_content if c)
        if wrapper_text.strip() or not block.inner_blocks:
            return self.content(block)
        return "\n" + self.inner(block) + "\n"

    def block(self, block: Block) -> str:
        """Render one block (guarding against absurd nesting, which would exhaust the stack)."""
        if self.depth >= _MAX_DEPTH:
            if not self.too_deep:
                self.too_deep = True
                self.ctx.report("block-parse", f"blocks nested deeper than {_MAX_DEPTH} levels: inner ones kept as raw HTML", "warning")
            return _raw_html(block)
        self.depth += 1
        try:
            return self.render_one(block)
        finally:
            self.depth -= 1

    def render_one(self, block: Block) -> str:
        name = block.name
        if name is None:
            return block.inner_html
        if name in _STATIC:
            return self.content(block)
        if name in _CONTAINERS:
            return self.flatten(block)
        if name in _DROPPED_SILENTLY:
            return ""
        handler = self.handlers.get(name)
        if handler is None and name.startswith("core-embed/"):
            handler = self.embed
        if handler is None and name in _CODE_PLUGINS:
            handler = self.code
        if handler is not None:
            return handler(block)
        attrs = block.attrs
        if name in _DYNAMIC_CONTAINERS and not attrs.get("legacy"):
            # Rendered by WordPress as their saved content with dynamic children filled in:
            # keep the static inner blocks (headings, paragraphs), drop the dynamic ones.
            self.dynamic[name] += 1
            return "\n" + self.inner(block) + "\n"
        if _is_dynamic(name):
            self.dynamic[name] += 1
            return ""
        self.unknown[name] += 1
        return self.content(block)

    # -- specific blocks ------------------------------------------------------------------

    def code(self, block: Block) -> str:
        """Code: the saved HTML unchanged, plus a ``language-X`` class on ``<code>`` when known."""
        markup = self.content(block)
        lang = _code_language(block.attrs, markup)
        if block.name != "core/code":
            body = _pre_body(markup)
            cls = f' class="language-{_attr(lang)}"' if lang else ""
            return f'<pre class="wp-block-code"><code{cls}>{body}</code></pre>'
        if not lang:
            return markup
        m = re.search(r"<code\b([^>]*)>", markup)
        if m is None:
            return markup
        attrs = m.group(1)
        if re.search(r"""class\s*=\s*["'][^"']*\blang(?:uage)?-""", attrs):
            return markup
        cm = re.search(r"""class\s*=\s*(["'])(.*?)\1""", attrs)
        if cm:
            new_attrs = attrs[: cm.start(2)] + f"language-{_attr(lang)} " + attrs[cm.start(2) :]
        else:
            new_attrs = f' class="language-{_attr(lang)}"' + attrs
        return markup[: m.start()] + f"<code{new_attrs}>" + markup[m.end() :]

    def gallery(self, block: Block) -> str:
        """New galleries (inner image blocks) render as saved; old ones are rebuilt per image."""
        if block.inner_blocks:
            return self.content(block)
        root = _fragment(block.inner_html)
        figures: list[str] = []
        for img in root.iter("img") if root is not None else ():
            link_el = img.getparent()
            link = link_el.get("href", "") if link_el is not None and link_el.tag == "a" else ""
            item = img.getparent()
            while item is not None and item.tag not in ("figure", "li") and item is not root:
                item = item.getparent()
            in_item = item is not None and item is not root and not _has_class(item, "wp-block-gallery")
            cap_el = _first(item, ".//figcaption") if in_item else None
            caption = _inner_html(cap_el).strip() if cap_el is not None else ""
            figures.append(_image_figure(img.get("src") or "", img.get("alt") or "", caption, link))
        if not figures:
            figures = self.gallery_from_ids(block.attrs)
        gallery_cap = _first(root, f".//figcaption[{_cls('blocks-gallery-caption')}]")
        cap = ""
        if gallery_cap is not None and _inner_html(gallery_cap).strip():
            cap = f'<figcaption class="blocks-gallery-caption">{_inner_html(gallery_cap).strip()}</figcaption>'
        if not figures and not cap:
            return ""
        columns = str(block.attrs.get("columns", ""))
        cls = "wp-block-gallery" + (f" columns-{columns}" if columns.isdigit() else "")
        return f'<figure class="{cls}">' + "".join(figures) + cap + "</figure>"

    def gallery_from_ids(self, attrs: dict) -> list[str]:
        ids = attrs.get("ids")
        if not isinstance(ids, list):
            return []
        figures = []
        for raw in ids:
            key = str(raw.get("id", "")) if isinstance(raw, dict) else str(raw)
            att = self.ctx.attachments.get(key)
            if att is None:
                self.ctx.report("missing-attachment", f"gallery image {key} is not in the export", "warning")
                continue
            figures.append(_image_figure(att.url, att.alt, html.escape(att.caption, quote=False)))
        return figures

    def embed(self, block: Block) -> str:
        """Embeds: the URL as a link inside WordPress's embed wrapper (no oEmbed fetch)."""
        root = _fragment(block.inner_html)
        url = block.attrs.get("url") if isinstance(block.attrs.get("url"), str) else ""
        if not url:
            wrapper = _first(root, f".//*[{_cls('wp-block-embed__wrapper')}]")
            url = (wrapper.text_content().strip() if wrapper is not None else "") or ""
        if not url:
            return self.content(block)
        provider = block.attrs.get("providerNameSlug") or (
            block.name.split("/", 1)[1] if block.name and block.name.startswith("core-embed/") else ""
        )
        cls = "wp-block-embed" + (f" is-provider-{_attr(str(provider))}" if provider else "")
        cap_el = _first(root, ".//figcaption")
        caption = _inner_html(cap_el).strip() if cap_el is not None else ""
        cap = f"<figcaption>{caption}</figcaption>" if caption else ""
        inner = render_embed(url, self.ctx, wrapper=False) or f'<a href="{_attr(url)}">{html.escape(url, quote=False)}</a>'
        return f'<figure class="{cls}"><div class="wp-block-embed__wrapper">{inner}</div>{cap}</figure>'


    def button(self, block: Block) -> str:
        """A button becomes a plain link in its own paragraph."""
        root = _fragment(self.content(block))
        if root is None:
            return ""
        link = _first(root, ".//a")
        if link is None:
            link_like = _first(root, f".//*[{_cls('wp-block-button__link')}]")
            text = _inner_html(link_like if link_like is not None else root).strip()
        else:
            text = _inner_html(link).strip()
        if not text:
            return ""
        href = link.get("href", "") if link is not None else ""
        if href:
            return f'<p><a href="{_attr(href)}">{text}</a></p>'
        return f"<p>{text}</p>"

    def cover(self, block: Block) -> str:
        """Cover: the background image (or video) first, then the text laid over it."""
        root = _fragment(block.inner_html)
        media = _first(root, f".//img[{_cls('wp-block-cover__image-background')}]")
        if media is None:
            media = _first(root, f".//video[{_cls('wp-block-cover__video-background')}]")
        parts: list[str] = []
        if media is not None:
            parts.append(_media_figure(media))
        else:
            url = block.attrs.get("url")
            if block.attrs.get("useFeaturedImage"):
                att = self.ctx.attachments.get(str(self.ctx.doc.meta.get("_thumbnail_id", "")))
                url = att.url if att is not None else url
            if isinstance(url, str) and url:
                if block.attrs.get("backgroundType") == "video":
                    parts.append(f'<figure class="wp-block-video"><video controls src="{_attr(url)}"></video></figure>')
                else:
                    parts.append(_image_figure(url, str(block.attrs.get("alt") or "")))
        if block.inner_blocks:
            parts.append(self.inner(block))
        elif root is not None:
            for el in root.xpath(".//p|.//h1|.//h2|.//h3|.//h4|.//h5|.//h6"):
                parts.append(lxml.html.tostring(el, encoding="unicode", with_tail=False))
        return "\n" + "\n".join(p for p in parts if p) + "\n"

    def media_text(self, block: Block) -> str:
        """Media & Text: the media first, then the text."""
        root = _fragment(block.inner_html)
        holder = _first(root, f".//*[{_cls('wp-block-media-text__media')}]")
        media = _first(holder, ".//img|.//video")
        link = block.attrs.get("href") if isinstance(block.attrs.get("href"), str) else ""
        parent = media.getparent() if media is not None else None
        if parent is not None and parent.tag == "a" and parent.get("href"):
            link = parent.get("href")
        parts: list[str] = []
        if media is not None:
            parts.append(_media_figure(media, link))
        elif isinstance(block.attrs.get("mediaUrl"), str) and block.attrs["mediaUrl"]:
            url = block.attrs["mediaUrl"]
            if block.attrs.get("mediaType") == "video":
                parts.append(f'<figure class="wp-block-video"><video controls src="{_attr(url)}"></video></figure>')
            else:
                parts.append(_image_figure(url, str(block.attrs.get("mediaAlt") or ""), link=link))
        if block.inner_blocks:
            parts.append(self.inner(block))
        else:
            content = _first(root, f".//*[{_cls('wp-block-media-text__content')}]")
            if content is not None:
                parts.append(_inner_html(content).strip())
        return "\n" + "\n".join(p for p in parts if p) + "\n"

    def file(self, block: Block) -> str:
        """File: one link to the file (the separate "Download" button is dropped)."""
        root = _fragment(block.inner_html)
        links = root.xpath(".//a") if root is not None else []
        main = next((a for a in links if not _has_class(a, "wp-block-file__button")), None)
        href = block.attrs.get("href") if isinstance(block.attrs.get("href"), str) else ""
        if main is not None:
            href = main.get("href") or href
            text = _inner_html(main).strip()
        else:
            if not href and links:
                href = links[0].get("href", "")
            text = ""
        if not href:
            return self.content(block)
        return f'<p><a href="{_attr(href)}">{text or html.escape(href, quote=False)}</a></p>'

    def more(self, block: Block) -> str:
        custom = block.attrs.get("customText")
        tag = f"<!--more {custom}-->" if isinstance(custom, str) and custom.strip() else "<!--more-->"
        if block.attrs.get("noTeaser"):
            tag += "\n<!--noteaser-->"
        return f"\n{tag}\n"

    def nextpage(self, block: Block) -> str:
        return "\n<!--nextpage-->\n"

    def shortcode(self, block: Block) -> str:
        """Shortcode block: WordPress's render callback wpautop()s the text; do_shortcode runs later."""
        return wpautop(self.content(block))

    def footnotes(self, block: Block) -> str:
        """Footnotes live in post meta; rendered as WordPress's ordered list with back-links."""
        raw = self.ctx.doc.meta.get("footnotes", "")
        if not raw:
            self.ctx.report("footnotes", "footnotes block without footnotes post meta", "warning")
            return ""
        try:
            notes = json.loads(raw)
        except ValueError:
            notes = None
        if not isinstance(notes, list):
            self.ctx.report("footnotes", "footnotes post meta is not a JSON list", "warning")
            return ""
        items = []
        for note in notes:
            if not isinstance(note, dict) or not isinstance(note.get("id"), str):
                continue
            nid = _attr(note["id"])
            content = note.get("content") if isinstance(note.get("content"), str) else ""
            items.append(f'<li id="{nid}">{content} <a href="#{nid}-link">↩︎</a></li>')
        if not items:
            return ""
        return '<ol class="wp-block-footnotes">' + "".join(items) + "</ol>"

    def reusable(self, block: Block) -> str:
        """A reusable block (``wp_block`` post) rendered in place, recursively."""
        ref = block.attrs.get("ref")
        key = str(ref) if isinstance(ref, (int, str)) and not isinstance(ref, bool) else ""
        if key not in self.ctx.reusable_blocks:
            self.ctx.report("missing-reusable-block", f"reusable block {key or '?'} is not in the export", "warning")
            return ""
        if key in self.refs:
            self.ctx.report("reusable-block-loop", f"reusable block {key} includes itself", "warning")
            return ""
        self.refs.append(key)
        try:
            return self.document(self.ctx.reusable_blocks[key])
        finally:
            self.refs.pop()

    def social_link(self, block: Block) -> str:
        url = block.attrs.get("url")
        if not isinstance(url, str) or not url.strip():
            return ""
        service = str(block.attrs.get("service") or "")
        label = block.attrs.get("label") or _SERVICE_NAMES.get(service) or service.replace("-", " ").title() or url
        return f'<li><a href="{_attr(url)}">{html.escape(str(label), quote=False)}</a></li>'


_SERVICE_NAMES = {
    "wordpress": "WordPress", "github": "GitHub", "gitlab": "GitLab", "linkedin": "LinkedIn",
    "youtube": "YouTube", "tiktok": "TikTok", "soundcloud": "SoundCloud", "deviantart": "DeviantArt",
    "dribbble": "Dribbble", "whatsapp": "WhatsApp", "x": "X", "feed": "RSS Feed", "mail": "Mail",
    "chain": "Link", "500px": "500px", "codepen": "CodePen", "wordpress.com": "WordPress.com",
}


def _raw_html(block: Block) -> str:
    """A block's saved HTML with its inner blocks' HTML in place, without recursion."""
    out: list[str] = []
    stack = [(iter(block.inner_content), iter(block.inner_blocks))]
    while stack:
        chunks, inner = stack[-1]
        chunk = next(chunks, False)
        if chunk is False:
            stack.pop()
        elif chunk is None:
            child = next(inner, None)
            if child is not None:
                stack.append((iter(child.inner_content), iter(child.inner_blocks)))
        else:
            out.append(chunk)
    return "".join(out)


def _code_language(attrs: dict, markup: str) -> str:
    """The language of a code block from its JSON attributes, class names or saved HTML."""
    for key in ("language", "lang"):
        value = attrs.get(key)
        if isinstance(value, str) and re.fullmatch(r"[\w.+#-]+", value):
            return value
    classes = attrs.get("className") if isinstance(attrs.get("className"), str) else ""
    m = re.search(r"\blang(?:uage)?-([\w.+#-]+)", classes)
    if m:
        return m.group(1)
    head = markup[: markup.find(">", markup.find("<code")) + 1] if "<code" in markup else markup[:300]
    m = re.search(r"""(?:\blang(?:uage)?-|data-(?:enlighter-)?lang(?:uage)?=["'])([\w.+#-]+)""", head)
    return m.group(1) if m else ""


def _pre_body(markup: str) -> str:
    """The escaped text inside a plugin's ``<pre>`` (without the ``<pre>`` tags themselves)."""
    m = re.search(r"<pre\b[^>]*>([\s\S]*)</pre>", markup)
    body = m.group(1) if m else markup.strip()
    c = re.fullmatch(r"\s*<code\b[^>]*>([\s\S]*)</code>\s*", body)
    return c.group(1) if c else body


def render_blocks(text: str, ctx: Context) -> str:
    """Render block-editor content into the HTML WordPress would show, reporting problems."""
    renderer = _Renderer(ctx)
    out = renderer.document(text)
    renderer.finish()
    leftovers = _LEFTOVER.findall(out)
    if leftovers:
        ctx.report("block-parse", f"{len(leftovers)} malformed block delimiter(s) removed", "warning")
        out = _LEFTOVER.sub("", out)
    return out
