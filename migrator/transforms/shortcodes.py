"""WordPress shortcodes: parsing with WordPress's own grammar and a registry of handlers.

The grammar is WordPress's ``get_shortcode_regex()`` / ``shortcode_parse_atts()``
(wp-includes/shortcodes.php): only *registered* names are shortcodes, ``[[x]]`` escapes,
``[x /]`` self-closes, ``[x]...[/x]`` encloses, the same name does not nest (different names do,
when a handler expands its content with :func:`do_shortcodes`).

Handlers turn a shortcode into the HTML WordPress renders on the front end, simplified so the
Markdown renderer can understand it.  A handler is ``handler(attrs, content, ctx) -> str`` where
``attrs`` maps lower-cased names (and ints for positional values) to strings and ``content`` is
``None`` for a shortcode without a closing tag.  Add or override handlers with :func:`register`
(default registry) or on your own :class:`ShortcodeRegistry`.

Also here: WordPress's auto-embeds (a bare URL alone on its line) and the ``[embed]`` shortcode,
which WordPress runs before ``wpautop``, and the protection of SyntaxHighlighter code shortcodes.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from functools import lru_cache
from urllib.parse import parse_qs

from ..urls import urlsplit  # never raise on malformed URLs
from .context import Attachment, Context

Attrs = dict  # dict[str | int, str]: named (lower-cased) and positional attributes
Handler = Callable[[Attrs, "str | None", Context], str]


class ShortcodeRegistry:
    """Shortcode name -> handler, in registration order (as WordPress's ``$shortcode_tags``)."""

    def __init__(self, handlers: dict[str, Handler] | None = None) -> None:
        self._handlers: dict[str, Handler] = dict(handlers or {})

    def register(self, name: str, handler: Handler) -> None:
        """Add ``name`` or replace its handler.  Names follow WordPress: no ``[]<>&/=``, spaces."""
        if not name or re.search(r"[<>&/\[\]\x00-\x20=]", name):
            raise ValueError(f"invalid shortcode name: {name!r}")
        self._handlers[name] = handler

    def unregister(self, name: str) -> None:
        self._handlers.pop(name, None)

    def get(self, name: str) -> Handler | None:
        return self._handlers.get(name)

    def names(self) -> list[str]:
        return list(self._handlers)

    def __contains__(self, name: object) -> bool:
        return name in self._handlers

    def copy(self) -> ShortcodeRegistry:
        return ShortcodeRegistry(self._handlers)


DEFAULT_REGISTRY = ShortcodeRegistry()
_ACTIVE: ContextVar[ShortcodeRegistry | None] = ContextVar("active_shortcode_registry", default=None)
_DEPTH: ContextVar[int] = ContextVar("shortcode_depth", default=0)


def register(name: str, handler: Handler, registry: ShortcodeRegistry | None = None) -> None:
    """Register (or override) a handler, on the default registry unless one is given."""
    (registry or DEFAULT_REGISTRY).register(name, handler)


# --------------------------------------------------------------------------------------------
# Grammar
# --------------------------------------------------------------------------------------------

_TAGNAME_SCAN_RE = re.compile(r"\[([^<>&/\[\]\x00-\x20=]++)")

_ATTS_RE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
    r"""|"([^"]*)"(?:\s|$)"""
    r"""|'([^']*)'(?:\s|$)"""
    r"""|(\S+)(?:\s|$)""",
    re.ASCII,
)
_BALANCED_TAGS_RE = re.compile(r"^[^<]*+(?:<[^>]*+>[^<]*+)*+$")
_CSLASH_RE = re.compile(r"\\([0-7]{1,3}|x[0-9A-Fa-f]{1,2}|.)", re.S)
_CSLASH_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "v": "\v", "b": "\b", "f": "\f"}


def _stripcslashes(value: str) -> str:
    """PHP's ``stripcslashes()``: C-style escapes decoded, other backslashes dropped."""
    if "\\" not in value:
        return value

    def one(m: re.Match) -> str:
        s = m.group(1)
        if s[0] in "01234567":
            return chr(int(s, 8) & 0xFF)
        if s[0] == "x" and len(s) > 1:
            return chr(int(s[1:], 16))
        return _CSLASH_SIMPLE.get(s, s)

    return _CSLASH_RE.sub(one, value)


def parse_atts(text: str) -> Attrs:
    """``shortcode_parse_atts()``: ``name="v"``, ``name='v'``, ``name=v`` and positional values."""
    text = re.sub(r"[\u00a0\u200b]+", " ", text)
    atts: Attrs = {}
    position = 0
    for m in _ATTS_RE.finditer(text):
        if m.group(1):
            atts[m.group(1).lower()] = _stripcslashes(m.group(2))
        elif m.group(3):
            atts[m.group(3).lower()] = _stripcslashes(m.group(4))
        elif m.group(5):
            atts[m.group(5).lower()] = _stripcslashes(m.group(6))
        else:
            value = next((g for g in (m.group(7), m.group(8)) if g), None)
            if value is None:
                value = m.group(9) if m.group(9) is not None else ""
            atts[position] = _stripcslashes(value)
            position += 1
    for key, value in atts.items():  # reject values with unclosed HTML elements
        if "<" in value and not _BALANCED_TAGS_RE.match(value):
            atts[key] = ""
    return atts


@lru_cache(maxsize=256)
def shortcode_regex(names: tuple[str, ...]) -> re.Pattern:
    """``get_shortcode_regex()``: groups 1 ``[`` escape, 2 name, 3 attributes, 4 ``/``,
    5 content, 6 ``]`` escape."""
    tags = "|".join(re.escape(n) for n in names)
    return re.compile(
        r"\[(\[?)(" + tags + r")(?![\w-])"
        r"([^\]/]*(?:/(?!\])[^\]/]*)*?)"
        r"(?:(/)\]|\](?:([^\[]*+(?:\[(?!/\2\])[^\[]*+)*+)\[/\2\])?)"
        r"(\]?)",
        re.ASCII,
    )


def _names_in(text: str, registry: ShortcodeRegistry, only: Iterable[str] | None) -> tuple[str, ...]:
    found = set(_TAGNAME_SCAN_RE.findall(text))
    allowed = None if only is None else set(only)
    return tuple(n for n in registry.names() if n in found and (allowed is None or n in allowed))


def _escape_brackets_in_tags(text: str) -> str:
    """Encode ``[``/``]`` inside HTML tags and comments so no shortcode spans a tag boundary
    (``do_shortcodes_in_html_tags()`` with ``$ignore_html``; restored afterwards)."""
    from .wpautop import html_split

    text = text.replace("&#91;", "&#091;").replace("&#93;", "&#093;")
    parts = html_split(text)
    for i in range(1, len(parts), 2):
        if "[" in parts[i] or "]" in parts[i]:
            parts[i] = parts[i].replace("[", "&#91;").replace("]", "&#93;")
    return "".join(parts)


def _unescape_brackets(text: str) -> str:
    return text.replace("&#91;", "[").replace("&#93;", "]")


def do_shortcodes(
    text: str,
    ctx: Context,
    registry: ShortcodeRegistry | None = None,
    *,
    only: Iterable[str] | None = None,
) -> str:
    """Expand every registered shortcode in ``text`` (``do_shortcode()``).

    Handlers may call this on their content; the registry in use is passed on.  On the
    outermost call, unregistered names that look like shortcodes are reported once per name
    (``unknown-shortcode``, info).  ``only`` restricts expansion to some names (no report).
    """
    registry = registry or _ACTIVE.get() or DEFAULT_REGISTRY
    depth = _DEPTH.get()
    reg_token = _ACTIVE.set(registry)
    depth_token = _DEPTH.set(depth + 1)
    try:
        if depth == 0 and only is None:
            report_unknown_shortcodes(text, ctx, registry)
        return _expand(text, ctx, registry, only)
    finally:
        _DEPTH.reset(depth_token)
        _ACTIVE.reset(reg_token)


def _expand(text: str, ctx: Context, registry: ShortcodeRegistry, only: Iterable[str] | None) -> str:
    if "[" not in text:
        return text
    names = _names_in(text, registry, only)
    if not names:
        return text
    code_names = set(code_shortcode_names(registry)) & set(names)
    saved: list[str] = []
    if code_names:  # code may hold "<" that would look like an unclosed tag
        text, saved = protect_code_shortcodes(text, ctx, registry, names=tuple(code_names))
    text = _escape_brackets_in_tags(text)

    def call(m: re.Match) -> str:
        if m.group(1) == "[" and m.group(6) == "]":  # [[tag]] -> literal [tag]
            return m.group(0)[1:-1]
        name = m.group(2)
        handler = registry.get(name)
        if handler is None:
            return m.group(0)
        attrs = parse_atts(m.group(3))
        try:
            out = handler(attrs, m.group(5), ctx)
        except Exception as exc:  # a handler bug must not lose the document
            ctx.report("shortcode-failed", f"[{name}] left as is: {type(exc).__name__}: {exc}", "warning")
            return m.group(0)
        return m.group(1) + out + m.group(6)

    text = shortcode_regex(names).sub(call, text)
    return restore_code_shortcodes(_unescape_brackets(text), saved)


# Unknown shortcodes -------------------------------------------------------------------------

_PRE_CODE_RE = re.compile(r"<(pre|code)(?![\w-])[^>]*>.*?</\1\s*>", re.S | re.I)
_CANDIDATE_RE = re.compile(r"(?<!\[)\[([a-z][a-z0-9_-]*)((?:\s[^\[\]]*)?)(/?)\]", re.ASCII)


def unknown_shortcodes(text: str, registry: ShortcodeRegistry | None = None) -> Counter:
    """Names of unregistered tags that look like shortcodes, with counts.

    WordPress treats them as plain text.  A name counts (every ``[name ...]`` of it outside
    tags, ``<pre>`` and ``<code>``) when one occurrence has attribute-like text (``=`` or
    quotes), self-closes or is closed by ``[/name]``, or the name has ``_``/``-``.  Bare words
    like ``[top]`` or prose such as ``[simple boat]`` are not counted.
    """
    from .wpautop import html_split

    registry = registry or DEFAULT_REGISTRY
    if "[" not in text:
        return Counter()  # nothing looks like a shortcode
    text = _PRE_CODE_RE.sub(" ", text)
    plain = "".join(html_split(text)[::2])  # the text between tags
    counts: Counter = Counter()
    shortcode_like: set[str] = set()
    for m in _CANDIDATE_RE.finditer(plain):
        name, rest, slash = m.group(1), m.group(2), m.group(3)
        if name in registry:
            continue
        counts[name] += 1
        if (
            slash
            or rest.rstrip().endswith("/")
            or "=" in rest
            or '"' in rest
            or "'" in rest
            or "_" in name
            or "-" in name
            or f"[/{name}]" in plain
        ):
            shortcode_like.add(name)
    for name in list(counts):
        if name not in shortcode_like:
            del counts[name]
    return counts


def report_unknown_shortcodes(text: str, ctx: Context, registry: ShortcodeRegistry | None = None) -> None:
    """One ``unknown-shortcode`` info problem per unregistered shortcode-looking name."""
    for name, n in sorted(unknown_shortcodes(text, registry).items()):
        ctx.report("unknown-shortcode", f"[{name}] x {n} (not registered; left verbatim)", "info")


# --------------------------------------------------------------------------------------------
# Small HTML helpers
# --------------------------------------------------------------------------------------------


def _esc(value: str) -> str:
    return html.escape(value, quote=True)


def _attr_text(value: str) -> str:
    """Attribute values may hold entities already (``&amp;``); decode then escape once."""
    return _esc(html.unescape(value))


def _link(url: str, text: str | None = None) -> str:
    return f'<a href="{_attr_text(url)}">{_esc(html.unescape(text if text is not None else url))}</a>'


def _embed_style(ctx: Context) -> str:
    return getattr(ctx.options, "embed_style", "link") or "link"


def _split_ids(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _is_image(att: Attachment) -> bool:
    if att.mime:
        return att.mime.startswith("image/")
    return bool(re.search(r"\.(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?|heic)(?:\?|$)", att.url, re.I))


def _media_kind(att: Attachment) -> str:
    if att.mime:
        return att.mime.split("/", 1)[0]
    ext = re.search(r"\.([a-z0-9]+)(?:\?|$)", att.url, re.I)
    ext_name = ext.group(1).lower() if ext else ""
    if ext_name in AUDIO_EXTENSIONS:
        return "audio"
    if ext_name in VIDEO_EXTENSIONS:
        return "video"
    return "image" if _is_image(att) else ""


# --------------------------------------------------------------------------------------------
# [caption] / [wp_caption]
# --------------------------------------------------------------------------------------------

_CAPTION_SPLIT_RE = re.compile(r"((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)", re.S | re.I)


def caption_handler(attrs: Attrs, content: str | None, ctx: Context) -> str:
    """``img_caption_shortcode()``: the image (with its link) and a ``<figcaption>``.

    The caption is the ``caption`` attribute or, as WordPress does, the text after the image.
    Unlike WordPress a missing ``width`` does not drop the caption.
    """
    content = content or ""
    caption = attrs.get("caption", "")
    if not caption:
        m = _CAPTION_SPLIT_RE.search(content)
        if m:
            content, caption = m.group(1), m.group(2).strip()
            if content.lower().startswith("<a ") and not re.search(r"</a\s*>\s*$", content, re.I):
                content += "</a>"  # a link left open around the image
    inner = do_shortcodes(content, ctx)
    if not caption.strip():
        return inner
    ident = attrs.get("id", "").strip()
    if ident and ident.isdigit():
        ident = f"attachment_{ident}"
    if not ident and attrs.get("attachment_id", "").strip().isdigit():
        ident = f"attachment_{attrs['attachment_id'].strip()}"
    classes = " ".join(c for c in ("wp-caption", attrs.get("align", "").strip(), attrs.get("class", "").strip()) if c)
    id_attr = f' id="{_attr_text(ident)}"' if ident else ""
    caption = re.sub(r"^(?:\s|<br\s*/?>)+|(?:\s|<br\s*/?>)+$", "", caption)  # wpautop's <br />
    caption = do_shortcodes(caption, ctx)  # WordPress leaves shortcodes in captions literal
    return (
        f'<figure{id_attr} class="{_attr_text(classes)}">{inner.strip()}'
        f'<figcaption class="wp-caption-text">{caption}</figcaption></figure>'
    )


# --------------------------------------------------------------------------------------------
# [gallery]
# --------------------------------------------------------------------------------------------


def _sort_attachments(items: list[Attachment], orderby: str, order: str, ctx: Context, what: str) -> list[Attachment]:
    """Sort like ``get_posts()`` for the gallery orderby values; ``rand`` stays deterministic."""
    keys = orderby.replace(",", " ").split()
    if not keys or keys == ["post__in"] or keys == ["none"]:
        return items
    if "rand" in keys or order.upper() == "RAND":
        ctx.report(f"{what}-random-order", f"[{what}] orderby=rand kept in menu order (deterministic output)", "info")
        keys = ["menu_order", "ID"]

    def num(a: Attachment) -> int:
        return int(a.id) if a.id.isdigit() else 0

    getters = {
        "menu_order": lambda a: a.menu_order,
        "id": num,
        "title": lambda a: a.title.lower(),
        "post_title": lambda a: a.title.lower(),
        "date": num,
        "post_date": num,
        "modified": num,
        "name": lambda a: a.title.lower(),
    }
    chosen = [getters[k.lower()] for k in keys if k.lower() in getters] or [getters["menu_order"], num]
    result = sorted(items, key=lambda a: tuple(g(a) for g in chosen))
    if order.upper() == "DESC":
        result.reverse()
    return result


def _collect_attachments(attrs: Attrs, ctx: Context, what: str, keep: Callable[[Attachment], bool]) -> list[Attachment]:
    """The attachments a gallery/playlist shows: ``ids``/``include``, else the post's children."""
    include = attrs.get("ids", "") or attrs.get("include", "")
    orderby = attrs.get("orderby", "")
    order = attrs.get("order", "ASC")
    if include:
        ids = _split_ids(include)
        found: list[Attachment] = []
        missing: list[str] = []
        for ident in ids:
            att = ctx.attachments.get(ident)
            if att is None:
                missing.append(ident)
            elif keep(att) and att not in found:
                found.append(att)
        if missing:
            ctx.report(
                f"{what}-missing-attachment",
                f"[{what}] attachment id(s) not in the export: {', '.join(missing)}",
                "warning",
            )
        if not orderby and attrs.get("ids"):
            orderby = "post__in"
        return _sort_attachments(found, orderby or "menu_order ID", order, ctx, what)
    parent = str(attrs.get("id", "") or ctx.doc.id).strip()
    excluded = set(_split_ids(attrs.get("exclude", "")))
    children = [a for a in ctx.attachments_of(parent) if keep(a) and a.id not in excluded]
    return _sort_attachments(children, orderby or "menu_order ID", order, ctx, what)


def gallery_handler(attrs: Attrs, content: str | None, ctx: Context) -> str:
    """``gallery_shortcode()`` as a block-editor gallery: one ``<figure>`` per image."""
    images = _collect_attachments(attrs, ctx, "gallery", _is_image)
    if not images:
        ctx.report("gallery-empty", "[gallery] has no images to show (none found in the export)", "warning")
        return ""
    columns = attrs.get("columns", "3").strip()
    classes = "wp-block-gallery has-nested-images"
    if columns.isdigit():
        classes += f" columns-{int(columns)}"
    parts = [f'<figure class="{classes}">']
    for att in images:
        fig = f'<figure class="wp-block-image"><img src="{_attr_text(att.url)}" alt="{_attr_text(att.alt)}" />'
        if att.caption.strip():
            fig += f'<figcaption class="wp-element-caption">{att.caption.strip()}</figcaption>'
        parts.append(fig + "</figure>")
    parts.append("</figure>")
    return "\n".join(parts)


# --------------------------------------------------------------------------------------------
# [audio] / [video] / [playlist]
# --------------------------------------------------------------------------------------------

AUDIO_EXTENSIONS = ("mp3", "ogg", "flac", "m4a", "wav", "wma")
VIDEO_EXTENSIONS = ("mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov")


def _media_sources(attrs: Attrs, extensions: tuple[str, ...]) -> list[str]:
    sources = []
    for key in ("src", 0, *extensions):
        value = str(attrs.get(key, "")).strip()
        if value and value not in sources:
            sources.append(value)
    return sources


def _media_handler(kind: str, attrs: Attrs, ctx: Context) -> str:
    extensions = AUDIO_EXTENSIONS if kind == "audio" else VIDEO_EXTENSIONS
    sources = _media_sources(attrs, extensions)
    if not sources:  # WordPress falls back to the first attached file of that kind
        attached = [a for a in ctx.attachments_of(ctx.doc.id) if _media_kind(a) == kind]
        sources = [attached[0].url] if attached else []
    if not sources:
        ctx.report(f"{kind}-missing-source", f"[{kind}] without a source", "warning")
        return ""
    if _embed_style(ctx) == "html":
        extra = ""
        if kind == "video" and attrs.get("poster"):
            extra += f' poster="{_attr_text(attrs["poster"])}"'
        for flag in ("loop", "autoplay", "muted"):
            if attrs.get(flag, "").lower() in ("1", "on", "true", "yes"):
                extra += f" {flag}"
        if len(sources) == 1:
            media = f'<{kind} controls src="{_attr_text(sources[0])}"{extra}></{kind}>'
        else:
            inner = "".join(f'<source src="{_attr_text(s)}" />' for s in sources)
            media = f"<{kind} controls{extra}>{inner}</{kind}>"
    else:
        media = _link(sources[0])
    return f'<figure class="wp-block-{kind}">{media}</figure>'


def audio_handler(attrs: Attrs, content: str | None, ctx: Context) -> str:
    """``wp_audio_shortcode()``: a link to the file (or ``<audio>`` with embed_style html)."""
    return _media_handler("audio", attrs, ctx)


def video_handler(attrs: Attrs, content: str | None, ctx: Context) -> str:
    """``wp_video_shortcode()``: a link to the file (or ``<video>`` with embed_style html)."""
    return _media_handler("video", attrs, ctx)


def playlist_handler(attrs: Attrs, content: str | None, ctx: Context) -> str:
    """``wp_playlist_shortcode()``: a list of links to the tracks (or media elements)."""
    kind = "video" if attrs.get("type", "audio").strip().lower() == "video" else "audio"
    tracks = _collect_attachments(attrs, ctx, "playlist", lambda a: _media_kind(a) == kind)
    if not tracks:
        ctx.report("playlist-empty", "[playlist] has no tracks to show (none found in the export)", "warning")
        return ""
    items = []
    for att in tracks:
        label = att.title or att.url.rsplit("/", 1)[-1]
        if _embed_style(ctx) == "html":
            items.append(f'<li><{kind} controls src="{_attr_text(att.url)}"></{kind}> {_esc(label)}</li>')
        else:
            items.append(f"<li>{_link(att.url, label)}</li>")
    return f'<div class="wp-playlist wp-{kind}-playlist"><ol>' + "".join(items) + "</ol></div>"


# --------------------------------------------------------------------------------------------
# Embeds: [embed] and auto-embeds
# --------------------------------------------------------------------------------------------

#: oEmbed providers WordPress knows (wp-includes/class-wp-oembed.php), plus a few it dropped.
EMBED_PROVIDERS: list[tuple[str, str, re.Pattern]] = [
    (slug, kind, re.compile(pattern, re.I))
    for slug, kind, pattern in [
        ("youtube", "video", r"^https?://(?:(?:www|m|music)\.)?youtube\.com/(?:watch|playlist|shorts/|live/|embed/|v/)"),
        ("youtube", "video", r"^https?://youtu\.be/"),
        ("vimeo", "video", r"^https?://(?:www\.|player\.)?vimeo\.com/"),
        ("dailymotion", "video", r"^https?://(?:www\.)?(?:dailymotion\.com|dai\.ly)/"),
        ("flickr", "photo", r"^https?://(?:www\.)?(?:flickr\.com|flic\.kr)/"),
        ("smugmug", "photo", r"^https?://(?:[-\w]+\.)?smugmug\.com/"),
        ("scribd", "rich", r"^https?://(?:www\.)?scribd\.com/(?:doc|document)/"),
        ("wordpress-tv", "video", r"^https?://(?:www\.)?wordpress\.tv/"),
        ("animoto", "video", r"^https?://(?:www\.)?(?:animoto|video214)\.com/play/"),
        ("twitter", "rich", r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/\w+"),
        ("instagram", "rich", r"^https?://(?:www\.)?(?:instagram\.com|instagr\.am)/"),
        ("facebook", "rich", r"^https?://(?:www\.)?facebook\.com/"),
        ("soundcloud", "rich", r"^https?://(?:www\.|m\.)?soundcloud\.com/"),
        ("spotify", "rich", r"^https?://(?:open|play)\.spotify\.com/"),
        ("tiktok", "video", r"^https?://(?:www\.)?tiktok\.com/"),
        ("mixcloud", "rich", r"^https?://(?:www\.)?mixcloud\.com/"),
        ("reddit", "rich", r"^https?://(?:www\.)?reddit\.com/r/"),
        ("tumblr", "rich", r"^https?://(?:[-\w]+\.)?tumblr\.com/"),
        ("ted", "video", r"^https?://(?:www\.|embed\.)?ted\.com/talks/"),
        ("slideshare", "rich", r"^https?://(?:www\.)?slideshare\.net/"),
        ("issuu", "rich", r"^https?://(?:www\.)?issuu\.com/"),
        ("kickstarter", "rich", r"^https?://(?:www\.)?kickstarter\.com/projects/"),
        ("imgur", "rich", r"^https?://(?:i\.)?imgur\.com/"),
        ("speaker-deck", "rich", r"^https?://(?:www\.)?speakerdeck\.com/"),
        ("pinterest", "rich", r"^https?://(?:www\.)?pinterest\.[a-z.]+/"),
        ("pocket-casts", "rich", r"^https?://pca\.st/"),
        ("crowdsignal", "rich", r"^https?://(?:[-\w]+\.)?(?:polldaddy|survey\.fm|crowdsignal\.(?:com|net)|poll\.fm)/"),
        ("cloudup", "rich", r"^https?://cloudup\.com/"),
        ("amazon", "rich", r"^https?://(?:www\.)?(?:amazon\.[a-z.]+|amzn\.(?:to|asia|eu|in))/"),
        ("videopress", "video", r"^https?://(?:www\.)?videopress\.com/v/"),
        ("screencast", "video", r"^https?://(?:www\.)?screencast\.com/"),
        ("someecards", "rich", r"^https?://(?:www\.)?someecards\.com/"),
        ("reverbnation", "rich", r"^https?://(?:www\.)?reverbnation\.com/"),
        ("wolfram-cloud", "rich", r"^https?://(?:www\.)?wolframcloud\.com/obj/"),
        ("bluesky", "rich", r"^https?://bsky\.app/profile/"),
    ]
]
_AUDIO_URL_RE = re.compile(r"^https?://.+?\.(?:" + "|".join(AUDIO_EXTENSIONS) + r")$", re.I)
_VIDEO_URL_RE = re.compile(r"^https?://.+?\.(?:" + "|".join(VIDEO_EXTENSIONS) + r")$", re.I)


def embed_provider(url: str) -> tuple[str, str] | None:
    """``(provider slug, oEmbed type)`` for a URL WordPress would embed, else ``None``."""
    for slug, kind, pattern in EMBED_PROVIDERS:
        if pattern.match(url):
            return slug, kind
    return None


def _iframe_src(slug: str, url: str) -> str | None:
    parts = urlsplit(url)
    if slug == "youtube":
        if parts.netloc.endswith("youtu.be"):
            vid = parts.path.strip("/").split("/")[0]
        elif parts.path.startswith(("/shorts/", "/live/", "/embed/", "/v/")):
            vid = parts.path.split("/")[2] if len(parts.path.split("/")) > 2 else ""
        else:
            vid = parse_qs(parts.query).get("v", [""])[0]
        return f"https://www.youtube.com/embed/{vid}" if re.fullmatch(r"[\w-]{6,}", vid) else None
    if slug == "vimeo":
        m = re.search(r"/(\d+)(?:/|$)", parts.path)
        return f"https://player.vimeo.com/video/{m.group(1)}" if m else None
    return None


def render_embed(url: str, ctx: Context, *, wrapper: bool = True) -> str | None:
    """HTML for an embeddable URL (provider or media file), or ``None`` when WordPress would not
    embed it.  ``wrapper=False`` returns only what goes inside an existing embed block wrapper."""
    url = html.unescape(url.strip())
    if _AUDIO_URL_RE.match(url):
        return audio_handler({"src": url}, None, ctx)
    if _VIDEO_URL_RE.match(url):
        return video_handler({"src": url}, None, ctx)
    found = embed_provider(url)
    if found is None:
        return None
    slug, kind = found
    inner = _link(url)
    if _embed_style(ctx) == "html":
        src = _iframe_src(slug, url)
        if src:
            inner = f'<iframe src="{_esc(src)}" title="{_esc(slug)}" allowfullscreen></iframe>'
    if not wrapper:
        return inner
    return (
        f'<figure class="wp-block-embed is-type-{kind} is-provider-{slug} wp-block-embed-{slug}">'
        f'<div class="wp-block-embed__wrapper">{inner}</div></figure>'
    )


def embed_handler(attrs: Attrs, content: str | None, ctx: Context) -> str:
    """``[embed]URL[/embed]`` (``WP_Embed::shortcode``): the embed, or a plain link if unknown."""
    url = (content or "").strip() or str(attrs.get("src", "") or attrs.get("url", "") or attrs.get(0, "")).strip()
    url = re.sub(r"<[^>]*>", "", url).strip()  # wpautop may have added <br />
    if not url:
        ctx.report("embed-missing-url", "[embed] without a URL", "warning")
        return ""
    return render_embed(url, ctx) or _link(url)


_WRAPPED_URL_RE = re.compile(r'(<div class="wp-block-embed__wrapper">\s*)(https?://[^\s<>"]+)(\s*</div>)', re.I)
_OWN_LINE_URL_RE = re.compile(r"^(\s*)(https?://[^\s<>\"]+)(\s*)$", re.I | re.M)
_OWN_PARA_URL_RE = re.compile(r"(<p(?: [^>]*)?>\s*)(https?://[^\s<>\"]+)(\s*</p>)", re.I)
# ``(?:^|\s|>)https?://`` with the preceding character checked by a lookbehind: the same
# matches, found faster (the pattern then starts with a letter)
_URL_AFTER_SPACE_RE = re.compile(r"(?<![^\s>])https?://", re.I)
_NO_EMBED_RE = re.compile(r"<(pre|code|textarea|script|style)(?![\w-])[^>]*>.*?</\1\s*>", re.S | re.I)


def autoembed(text: str, ctx: Context) -> str:
    """``WP_Embed::autoembed()``: a bare URL alone on its line (or paragraph) becomes an embed.

    Only URLs of known providers or media files are embedded (WordPress leaves others as
    text).  Nothing inside ``<pre>``, ``<code>``, ``<textarea>``, ``<script>`` or ``<style>``.
    A URL already inside a block editor embed wrapper gets only the inner embed.
    """
    if "http" not in text:
        return text
    from .wpautop import replace_in_html_tags

    saved: list[str] = []
    mark = "wp-ae"
    while f"<!--{mark}-" in text:  # a marker the content does not hold already
        mark += "x"

    def hide(m: re.Match) -> str:
        saved.append(m.group(0))
        return f"<!--{mark}-{len(saved) - 1}-->"

    text = _NO_EMBED_RE.sub(hide, text)
    text = replace_in_html_tags(text, "\n", "<!-- wp-line-break -->")

    def callback(m: re.Match) -> str:
        out = render_embed(m.group(2), ctx)
        return m.group(0) if out is None else m.group(1) + out + m.group(3)

    text = _WRAPPED_URL_RE.sub(lambda m: _embed_in_wrapper(m, ctx), text)
    if _URL_AFTER_SPACE_RE.search(text):
        text = _OWN_LINE_URL_RE.sub(callback, text)
        text = _OWN_PARA_URL_RE.sub(callback, text)
    text = text.replace("<!-- wp-line-break -->", "\n")
    return re.sub(rf"<!--{mark}-(\d+)-->", lambda m: saved[int(m.group(1))], text)


def _embed_in_wrapper(m: re.Match, ctx: Context) -> str:
    out = render_embed(m.group(2), ctx, wrapper=False)
    return m.group(0) if out is None else m.group(1) + out + m.group(3)


def embed_wrapped_urls(text: str, ctx: Context) -> str:
    """Rendered content: a URL alone in a block editor embed wrapper becomes the embed, as in stored
    content.  WordPress prints that when its oEmbed lookup failed; the HTML reader writes it for
    a provider's player, so a page's embed converts exactly like the export's."""
    if "wp-block-embed__wrapper" not in text:
        return text
    return _WRAPPED_URL_RE.sub(lambda m: _embed_in_wrapper(m, ctx), text)


# --------------------------------------------------------------------------------------------
# Code: [code], [sourcecode], [php], ... (SyntaxHighlighter Evolved, WordPress.com)
# --------------------------------------------------------------------------------------------

#: Language-named shortcodes and the language class they produce.
CODE_LANGUAGES: dict[str, str] = {
    "as3": "actionscript3", "actionscript3": "actionscript3", "bash": "bash", "shell": "bash",
    "sh": "bash", "c": "c", "cpp": "cpp", "csharp": "csharp", "c-sharp": "csharp", "css": "css",
    "clojure": "clojure", "coldfusion": "coldfusion", "delphi": "delphi", "pascal": "pascal",
    "diff": "diff", "patch": "diff", "erlang": "erlang", "fsharp": "fsharp", "go": "go",
    "golang": "go", "groovy": "groovy", "haskell": "haskell", "html": "html", "xhtml": "html",
    "java": "java", "javafx": "javafx", "javascript": "javascript", "js": "javascript",
    "jscript": "javascript", "json": "json", "kotlin": "kotlin", "latex": "latex",
    "matlab": "matlab", "objc": "objectivec", "perl": "perl", "pl": "perl", "php": "php",
    "plain": "text", "text": "text", "powershell": "powershell", "ps": "powershell",
    "python": "python", "py": "python", "ruby": "ruby", "rb": "ruby", "rails": "ruby",
    "rust": "rust", "scala": "scala", "sql": "sql", "swift": "swift", "typescript": "typescript",
    "ts": "typescript", "vb": "vbnet", "vbnet": "vbnet", "xml": "xml", "xslt": "xml",
    "yaml": "yaml", "yml": "yaml",
}
#: Generic code shortcodes, language from an attribute.
CODE_GENERIC = ("code", "sourcecode", "source")


def _language_from_attrs(attrs: Attrs) -> str:
    for key in ("language", "lang", "brush"):
        value = str(attrs.get(key, "")).strip().lower()
        if value:
            return CODE_LANGUAGES.get(value, value)
    first = str(attrs.get(0, "")).strip().lstrip("=").strip("\"'").lower()
    if re.fullmatch(r"[a-z0-9#+_-]+", first):
        return CODE_LANGUAGES.get(first, first)
    return ""


def render_code(content: str | None, language: str) -> str:
    """``<pre><code class="language-X">`` holding the code; stored entities decoded once."""
    text = (content or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    text = html.unescape(text)
    cls = f' class="language-{_esc(language)}"' if re.fullmatch(r"[a-z0-9#+_.-]+", language or "") else ""
    return f"<pre><code{cls}>{_esc(text)}</code></pre>"


def code_handler(attrs: Attrs, content: str | None, ctx: Context) -> str:
    """``[code language="php"]...[/code]`` and ``[sourcecode]``/``[source]``."""
    return render_code(content, _language_from_attrs(attrs))


def _language_handler(language: str) -> Handler:
    def handler(attrs: Attrs, content: str | None, ctx: Context) -> str:
        return render_code(content, _language_from_attrs(attrs) or language)

    handler.__doc__ = f"SyntaxHighlighter ``[{language}]`` shortcode."
    return handler


def code_shortcode_names(registry: ShortcodeRegistry | None = None) -> list[str]:
    """Registered names whose handler is a code handler (protected from wpautop)."""
    registry = registry or DEFAULT_REGISTRY
    return [n for n in registry.names() if n in CODE_GENERIC or n in CODE_LANGUAGES]


_PLACEHOLDER_RE = re.compile(r"<pre wp-sc-code-(\d+)></pre>")


def protect_code_shortcodes(
    text: str,
    ctx: Context,
    registry: ShortcodeRegistry | None = None,
    *,
    render: bool = True,
    names: tuple[str, ...] | None = None,
) -> tuple[str, list[str]]:
    """Swap code shortcodes for ``<pre>`` placeholders so wpautop/autoembed/do_shortcodes leave
    their content alone (as SyntaxHighlighter does).  The saved pieces are the rendered HTML
    (``render=True``) or the shortcode verbatim.  Restore with :func:`restore_code_shortcodes`."""
    registry = registry or DEFAULT_REGISTRY
    if names is None:
        code_names = code_shortcode_names(registry)
        names = tuple(n for n in _names_in(text, registry, None) if n in code_names)
    if not names:
        return text, []
    saved: list[str] = []

    def swap(m: re.Match) -> str:
        if m.group(1) == "[" and m.group(6) == "]":
            return m.group(0)
        if render:
            handler = registry.get(m.group(2))
            try:
                piece = handler(parse_atts(m.group(3)), m.group(5), ctx) if handler else m.group(0)
            except Exception as exc:
                ctx.report("shortcode-failed", f"[{m.group(2)}] left as is: {type(exc).__name__}: {exc}", "warning")
                piece = m.group(0)
        else:
            piece = m.group(0)
        saved.append(piece)
        return f"<pre wp-sc-code-{len(saved) - 1}></pre>"

    return shortcode_regex(names).sub(swap, text), saved


def restore_code_shortcodes(text: str, saved: list[str]) -> str:
    """Put back what :func:`protect_code_shortcodes` took out."""
    if not saved:
        return text
    return _PLACEHOLDER_RE.sub(lambda m: saved[int(m.group(1))], text)


# --------------------------------------------------------------------------------------------
# Default registry
# --------------------------------------------------------------------------------------------


def _register_defaults(registry: ShortcodeRegistry) -> None:
    registry.register("caption", caption_handler)
    registry.register("wp_caption", caption_handler)
    registry.register("gallery", gallery_handler)
    registry.register("embed", embed_handler)
    registry.register("audio", audio_handler)
    registry.register("video", video_handler)
    registry.register("playlist", playlist_handler)
    for name in CODE_GENERIC:
        registry.register(name, code_handler)
    for name, language in CODE_LANGUAGES.items():
        if name not in registry:
            registry.register(name, _language_handler(language))


_register_defaults(DEFAULT_REGISTRY)
