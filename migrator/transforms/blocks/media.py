"""Media blocks: galleries, embeds, cover, media & text, file (as saved where WordPress shows the
saved HTML, rebuilt where it renders them)."""

from __future__ import annotations

import html

import lxml.html
from lxml import etree

from ..shortcodes.embeds import render_embed
from .dom import attr, cls, first, fragment, inner_html
from .parser import Block
from .table import BlockRenderer


def _image_figure(src: str, alt: str = "", caption: str = "", link: str = "", attachment: object = None) -> str:
    """One ``<figure>`` holding an image, optionally linked and captioned; ``attachment``: the
    image's attachment id (``wp-image-N``: the link plan gives it the attachment's own URL)."""
    cls_attr = f' class="wp-image-{attr(str(attachment))}"' if str(attachment or "").isdigit() else ""
    img = f'<img src="{attr(src)}" alt="{attr(alt)}"{cls_attr}/>'
    if link:
        img = f'<a href="{attr(link)}">{img}</a>'
    cap = f"<figcaption>{caption}</figcaption>" if caption.strip() else ""
    return f'<figure class="wp-block-image">{img}{cap}</figure>'


def _media_figure(el: etree._Element, link: str = "", attachment: object = None) -> str:
    """A figure for an ``<img>`` or ``<video>`` element found inside a cover/media-text block."""
    if el.tag == "video":
        src = el.get("src") or ""
        return f'<figure class="wp-block-video"><video controls src="{attr(src)}"></video></figure>'
    ids = [c[len("wp-image-") :] for c in (el.get("class") or "").split() if c.startswith("wp-image-")]
    return _image_figure(el.get("src") or "", el.get("alt") or "", link=link, attachment=ids[0] if ids else attachment)


def gallery(block: Block, r: BlockRenderer) -> str:
    """Galleries render as saved (new ones hold image blocks, old ones a list of figures), as
    WordPress shows them; an old gallery that saved no images is rebuilt from its ``ids``."""
    root = fragment(block.inner_html)
    if block.inner_blocks or (root is not None and root.find(".//img") is not None):
        return r.content(block)
    figures = _gallery_from_ids(block.attrs, r)
    gallery_cap = first(root, f".//figcaption[{cls('blocks-gallery-caption')}]")
    cap = ""
    if gallery_cap is not None and inner_html(gallery_cap).strip():
        cap = f'<figcaption class="blocks-gallery-caption">{inner_html(gallery_cap).strip()}</figcaption>'
    if not figures and not cap:
        return ""
    columns = str(block.attrs.get("columns", ""))
    classes = "wp-block-gallery" + (f" columns-{columns}" if columns.isdigit() else "")
    return f'<figure class="{classes}">' + "".join(figures) + cap + "</figure>"


def _gallery_from_ids(attrs: dict, r: BlockRenderer) -> list[str]:
    ids = attrs.get("ids")
    if not isinstance(ids, list):
        return []
    figures = []
    for raw in ids:
        key = str(raw.get("id", "")) if isinstance(raw, dict) else str(raw)
        att = r.ctx.attachments.get(key)
        if att is None:
            r.ctx.report("missing-attachment", f"gallery image {key} is not in the export", "warning")
            continue
        figures.append(_image_figure(att.url, att.alt, html.escape(att.caption, quote=False), attachment=att.id))
    return figures


def embed(block: Block, r: BlockRenderer) -> str:
    """Embeds: the URL as a link inside WordPress's embed wrapper (no oEmbed fetch)."""
    root = fragment(block.inner_html)
    url = block.attrs.get("url") if isinstance(block.attrs.get("url"), str) else ""
    if not url:
        wrapper = first(root, f".//*[{cls('wp-block-embed__wrapper')}]")
        url = (wrapper.text_content().strip() if wrapper is not None else "") or ""
    if not url:
        return r.content(block)
    provider = block.attrs.get("providerNameSlug") or (
        block.name.split("/", 1)[1] if block.name and block.name.startswith("core-embed/") else ""
    )
    classes = "wp-block-embed" + (f" is-provider-{attr(str(provider))}" if provider else "")
    cap_el = first(root, ".//figcaption")
    caption = inner_html(cap_el).strip() if cap_el is not None else ""
    cap = f"<figcaption>{caption}</figcaption>" if caption else ""
    inner = render_embed(url, r.ctx, wrapper=False) or f'<a href="{attr(url)}">{html.escape(url, quote=False)}</a>'
    return f'<figure class="{classes}"><div class="wp-block-embed__wrapper">{inner}</div>{cap}</figure>'


def cover(block: Block, r: BlockRenderer) -> str:
    """Cover: the background image (or video) first, then the text laid over it."""
    root = fragment(block.inner_html)
    media = first(root, f".//img[{cls('wp-block-cover__image-background')}]")
    if media is None:
        media = first(root, f".//video[{cls('wp-block-cover__video-background')}]")
    parts: list[str] = []
    if media is not None:
        parts.append(_media_figure(media, attachment=block.attrs.get("id")))
    else:
        url = block.attrs.get("url")
        if block.attrs.get("useFeaturedImage"):
            att = r.ctx.attachments.get(str(r.ctx.doc.meta.get("_thumbnail_id", "")))
            url = att.url if att is not None else url
        if isinstance(url, str) and url:
            if block.attrs.get("backgroundType") == "video":
                parts.append(f'<figure class="wp-block-video"><video controls src="{attr(url)}"></video></figure>')
            else:
                parts.append(_image_figure(url, str(block.attrs.get("alt") or ""), attachment=block.attrs.get("id")))
    if block.inner_blocks:
        parts.append(r.inner(block))
    elif root is not None:
        for el in root.xpath(".//p|.//h1|.//h2|.//h3|.//h4|.//h5|.//h6"):
            parts.append(lxml.html.tostring(el, encoding="unicode", with_tail=False))
    return "\n" + "\n".join(p for p in parts if p) + "\n"


def media_text(block: Block, r: BlockRenderer) -> str:
    """Media & Text: the media and the text in the order the block saved them (since WordPress
    5.x the text comes first when the media is on the right)."""
    root = fragment(block.inner_html)
    holder = first(root, f".//*[{cls('wp-block-media-text__media')}]")
    media = first(holder, ".//img|.//video")
    link = block.attrs.get("href") if isinstance(block.attrs.get("href"), str) else ""
    parent = media.getparent() if media is not None else None
    if parent is not None and parent.tag == "a" and parent.get("href"):
        link = parent.get("href")
    parts: list[str] = []
    if media is not None:
        parts.append(_media_figure(media, link, attachment=block.attrs.get("mediaId")))
    elif isinstance(block.attrs.get("mediaUrl"), str) and block.attrs["mediaUrl"]:
        url = block.attrs["mediaUrl"]
        if block.attrs.get("mediaType") == "video":
            parts.append(f'<figure class="wp-block-video"><video controls src="{attr(url)}"></video></figure>')
        else:
            parts.append(
                _image_figure(
                    url, str(block.attrs.get("mediaAlt") or ""), link=link, attachment=block.attrs.get("mediaId")
                )
            )
    if block.inner_blocks:
        parts.append(r.inner(block))
    else:
        content = first(root, f".//*[{cls('wp-block-media-text__content')}]")
        if content is not None:
            parts.append(inner_html(content).strip())
    text_at = block.inner_html.find("wp-block-media-text__content")
    media_at = block.inner_html.find("wp-block-media-text__media")
    if 0 <= text_at < media_at or (media_at < 0 and block.attrs.get("mediaPosition") == "right"):
        parts.reverse()
    return "\n" + "\n".join(p for p in parts if p) + "\n"


def file_link(block: Block, r: BlockRenderer) -> str:
    """File: the saved HTML (the link to the file and its "Download" button, as WordPress shows
    them); a block that saved no link becomes one link to its ``href``."""
    markup = r.content(block)
    root = fragment(markup)
    if root is not None and root.find(".//a") is not None:
        return markup
    href = block.attrs.get("href") if isinstance(block.attrs.get("href"), str) else ""
    if not href:
        return markup
    return f'<p><a href="{attr(href)}">{html.escape(href, quote=False)}</a></p>'
