"""Media blocks rebuilt from what they saved: galleries, embeds, cover, media & text, file."""

from __future__ import annotations

import html

import lxml.html
from lxml import etree

from ..shortcodes.embeds import render_embed
from .dom import attr, cls, first, fragment, has_class, inner_html
from .parser import Block
from .table import BlockRenderer


def _image_figure(src: str, alt: str = "", caption: str = "", link: str = "") -> str:
    """One ``<figure>`` holding an image, optionally linked and captioned."""
    img = f'<img src="{attr(src)}" alt="{attr(alt)}"/>'
    if link:
        img = f'<a href="{attr(link)}">{img}</a>'
    cap = f"<figcaption>{caption}</figcaption>" if caption.strip() else ""
    return f'<figure class="wp-block-image">{img}{cap}</figure>'


def _media_figure(el: etree._Element, link: str = "") -> str:
    """A figure for an ``<img>`` or ``<video>`` element found inside a cover/media-text block."""
    if el.tag == "video":
        src = el.get("src") or ""
        return f'<figure class="wp-block-video"><video controls src="{attr(src)}"></video></figure>'
    return _image_figure(el.get("src") or "", el.get("alt") or "", link=link)


def gallery(block: Block, r: BlockRenderer) -> str:
    """New galleries (inner image blocks) render as saved; old ones are rebuilt per image."""
    if block.inner_blocks:
        return r.content(block)
    root = fragment(block.inner_html)
    figures: list[str] = []
    for img in root.iter("img") if root is not None else ():
        link_el = img.getparent()
        link = link_el.get("href", "") if link_el is not None and link_el.tag == "a" else ""
        item = img.getparent()
        while item is not None and item.tag not in ("figure", "li") and item is not root:
            item = item.getparent()
        in_item = item is not None and item is not root and not has_class(item, "wp-block-gallery")
        cap_el = first(item, ".//figcaption") if in_item else None
        caption = inner_html(cap_el).strip() if cap_el is not None else ""
        figures.append(_image_figure(img.get("src") or "", img.get("alt") or "", caption, link))
    if not figures:
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
        figures.append(_image_figure(att.url, att.alt, html.escape(att.caption, quote=False)))
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
        parts.append(_media_figure(media))
    else:
        url = block.attrs.get("url")
        if block.attrs.get("useFeaturedImage"):
            att = r.ctx.attachments.get(str(r.ctx.doc.meta.get("_thumbnail_id", "")))
            url = att.url if att is not None else url
        if isinstance(url, str) and url:
            if block.attrs.get("backgroundType") == "video":
                parts.append(f'<figure class="wp-block-video"><video controls src="{attr(url)}"></video></figure>')
            else:
                parts.append(_image_figure(url, str(block.attrs.get("alt") or "")))
    if block.inner_blocks:
        parts.append(r.inner(block))
    elif root is not None:
        for el in root.xpath(".//p|.//h1|.//h2|.//h3|.//h4|.//h5|.//h6"):
            parts.append(lxml.html.tostring(el, encoding="unicode", with_tail=False))
    return "\n" + "\n".join(p for p in parts if p) + "\n"


def media_text(block: Block, r: BlockRenderer) -> str:
    """Media & Text: the media first, then the text."""
    root = fragment(block.inner_html)
    holder = first(root, f".//*[{cls('wp-block-media-text__media')}]")
    media = first(holder, ".//img|.//video")
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
            parts.append(f'<figure class="wp-block-video"><video controls src="{attr(url)}"></video></figure>')
        else:
            parts.append(_image_figure(url, str(block.attrs.get("mediaAlt") or ""), link=link))
    if block.inner_blocks:
        parts.append(r.inner(block))
    else:
        content = first(root, f".//*[{cls('wp-block-media-text__content')}]")
        if content is not None:
            parts.append(inner_html(content).strip())
    return "\n" + "\n".join(p for p in parts if p) + "\n"


def file_link(block: Block, r: BlockRenderer) -> str:
    """File: one link to the file (the separate "Download" button is dropped)."""
    root = fragment(block.inner_html)
    links = root.xpath(".//a") if root is not None else []
    main = next((a for a in links if not has_class(a, "wp-block-file__button")), None)
    href = block.attrs.get("href") if isinstance(block.attrs.get("href"), str) else ""
    if main is not None:
        href = main.get("href") or href
        text = inner_html(main).strip()
    else:
        if not href and links:
            href = links[0].get("href", "")
        text = ""
    if not href:
        return r.content(block)
    return f'<p><a href="{attr(href)}">{text or html.escape(href, quote=False)}</a></p>'
