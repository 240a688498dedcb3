"""WordPress's media shortcodes (wp-includes/media.php): ``[caption]``/``[wp_caption]``,
``[gallery]``, ``[audio]``, ``[video]`` and ``[playlist]``.

Galleries and playlists read the export's attachments (``ctx.attachments``); audio and video
are links to the files, or ``<audio>``/``<video>`` with ``embed_style="html"``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..context import Attachment, Context
from .engine import expand
from .markup import attr_text, embed_style, esc, link
from .registry import Attrs

AUDIO_EXTENSIONS = ("mp3", "ogg", "flac", "m4a", "wav", "wma")
VIDEO_EXTENSIONS = ("mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov")


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
    inner = expand(content, ctx)
    if not caption.strip():
        return inner
    ident = attrs.get("id", "").strip()
    if ident and ident.isdigit():
        ident = f"attachment_{ident}"
    if not ident and attrs.get("attachment_id", "").strip().isdigit():
        ident = f"attachment_{attrs['attachment_id'].strip()}"
    classes = " ".join(c for c in ("wp-caption", attrs.get("align", "").strip(), attrs.get("class", "").strip()) if c)
    id_attr = f' id="{attr_text(ident)}"' if ident else ""
    caption = re.sub(r"^(?:\s|<br\s*/?>)+|(?:\s|<br\s*/?>)+$", "", caption)  # wpautop's <br />
    caption = expand(caption, ctx)  # WordPress leaves shortcodes in captions literal
    return (
        f'<figure{id_attr} class="{attr_text(classes)}">{inner.strip()}'
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
    """``gallery_shortcode()`` as a block-editor gallery: one ``<figure>`` per image, linked as
    WordPress links it (``link="none"``: not at all; otherwise to the image: its file, or its
    attachment page, which the link plan resolves to the file)."""
    images = _collect_attachments(attrs, ctx, "gallery", _is_image)
    if not images:
        ctx.report("gallery-empty", "[gallery] has no images to show (none found in the export)", "warning")
        return ""
    columns = attrs.get("columns", "3").strip()
    classes = "wp-block-gallery has-nested-images"
    if columns.isdigit():
        classes += f" columns-{int(columns)}"
    linked = attrs.get("link", "").strip().lower() != "none"
    parts = [f'<figure class="{classes}">']
    for att in images:
        img = f'<img src="{attr_text(att.url)}" alt="{attr_text(att.alt)}" />'
        if linked:
            img = f'<a href="{attr_text(att.url)}">{img}</a>'
        fig = f'<figure class="wp-block-image">{img}'
        if att.caption.strip():
            fig += f'<figcaption class="wp-element-caption">{att.caption.strip()}</figcaption>'
        parts.append(fig + "</figure>")
    parts.append("</figure>")
    return "\n".join(parts)


# --------------------------------------------------------------------------------------------
# [audio] / [video] / [playlist]
# --------------------------------------------------------------------------------------------


def _media_sources(attrs: Attrs, extensions: tuple[str, ...]) -> list[str]:
    """``src`` and the per-format attributes (``mp3=``, ``mp4=``...), as ``wp_audio_shortcode()``
    reads them; a positional URL (``[audio https://...]``) is not a source for WordPress."""
    sources = []
    for key in ("src", *extensions):
        value = str(attrs.get(key, "")).strip()
        if value and value not in sources:
            sources.append(value)
    return sources


def _media_handler(kind: str, attrs: Attrs, ctx: Context) -> str:
    """The ``<audio>``/``<video>`` element (the renderer writes it as a link to the file unless
    ``embed_style="html"``)."""
    extensions = AUDIO_EXTENSIONS if kind == "audio" else VIDEO_EXTENSIONS
    sources = _media_sources(attrs, extensions)
    if not sources:  # WordPress falls back to the first attached file of that kind
        attached = [a for a in ctx.attachments_of(ctx.doc.id) if _media_kind(a) == kind]
        sources = [attached[0].url] if attached else []
    if not sources:
        positional = str(attrs.get(0, "")).strip()
        why = f" (a URL without src=, {positional}, is not read by WordPress either)" if positional else ""
        ctx.report(f"{kind}-missing-source", f"[{kind}] without a source: WordPress shows nothing{why}", "warning")
        return ""
    extra = ""
    if kind == "video" and attrs.get("poster"):
        extra += f' poster="{attr_text(attrs["poster"])}"'
    for flag in ("loop", "autoplay", "muted"):
        if attrs.get(flag, "").lower() in ("1", "on", "true", "yes"):
            extra += f" {flag}"
    if len(sources) == 1:
        media = f'<{kind} controls src="{attr_text(sources[0])}"{extra}></{kind}>'
    else:
        inner = "".join(f'<source src="{attr_text(s)}" />' for s in sources)
        media = f"<{kind} controls{extra}>{inner}</{kind}>"
    return f'<figure class="wp-block-{kind}">{media}</figure>'


def audio_handler(attrs: Attrs, content: str | None, ctx: Context) -> str:
    """``wp_audio_shortcode()``: an ``<audio>`` element (written as a link to the file, or as
    ``<audio>`` with embed_style html)."""
    return _media_handler("audio", attrs, ctx)


def video_handler(attrs: Attrs, content: str | None, ctx: Context) -> str:
    """``wp_video_shortcode()``: a ``<video>`` element (written as a link to the file, or as
    ``<video>`` with embed_style html)."""
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
        if embed_style(ctx) == "html":
            items.append(f'<li><{kind} controls src="{attr_text(att.url)}"></{kind}> {esc(label)}</li>')
        else:
            items.append(f"<li>{link(att.url, label)}</li>")
    return f'<div class="wp-playlist wp-{kind}-playlist"><ol>' + "".join(items) + "</ol></div>"
