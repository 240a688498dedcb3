"""Figures: an image with its link and caption, per the figure style (Markdown, HTML, Hugo)."""

from __future__ import annotations

from collections.abc import Callable

import copy
from html import escape as html_escape
from typing import Any

from .escaping import WS, finish_block, link_dest
from .html import sanitize_html
from .nodes import all_strings, detach, find_parent, find_tag, find_tags, get_text, has_ancestor


class FigureConverter:
    """``<figure>``: one image with caption; galleries (several images) item by item."""

    process_tag: Callable[..., str]
    convert_img: Callable[..., str]
    _block: Callable[..., str]
    figure_style: str

    def convert_figure(self, el, text, parent_tags):
        images = find_tags(el, ("img",))
        if find_tag(el, "figure") is not None or len(images) != 1 or "_inline" in parent_tags:
            return self._block(text, parent_tags)  # galleries: each inner figure on its own
        img = images[0]
        cap = find_tag(el, "figcaption")
        link = find_parent(img, "a")
        href = link.get("href") if link is not None and has_ancestor(link, el) else None
        if self.figure_style == "html":
            return "\n\n" + _figure_html(img, href, cap) + "\n\n"
        if self.figure_style == "hugo":
            return "\n\n" + _figure_hugo(img, href, cap) + "\n\n"
        image_md = self.convert_img(img, "", parent_tags)
        if href:
            image_md = f"[{image_md}]({link_dest(href)})"
        parts = [image_md]
        if _figure_extra_text(el, cap):
            parts.append(finish_block(self._convert_children_excluding(el)))
        caption_md = finish_block(self.process_tag(cap, {"figure"})) if cap is not None else ""
        if caption_md:
            mark = "_" if "*" in caption_md else "*"
            parts.append(f"{mark}{caption_md}{mark}")
        return "\n\n" + "\n\n".join(p for p in parts if p) + "\n\n"

    def _convert_children_excluding(self, el: Any) -> str:
        """The figure's content other than its image and caption, converted."""
        clone = copy.deepcopy(el)
        clone.tail = None
        for node in find_tags(clone, ("img", "figcaption")):
            if find_parent(node, "figcaption") is None or node.tag == "figcaption":
                detach(node)
        return self.process_tag(clone, set())


#: Elements whose conversion only returns their Markdown (no warning, nothing remembered).
_PURE = frozenset(
    "a img figcaption br span p div em i strong b code small cite sup sub u mark s strike del ins abbr q kbd"
    " samp var dfn picture source time".split()
)


def one_image_only(fig: Any) -> bool:
    """True for a ``<figure>`` that :meth:`FigureConverter.convert_figure` writes as its one
    image (no figure inside, one ``<img>``) without using the Markdown of its content, and
    whose content's conversion has no other effect (only elements of ``_PURE``): that
    conversion can be skipped. (``_inline`` is the caller's to check.)"""
    images = 0
    for node in fig.iterdescendants():
        tag = node.tag
        if tag == "img":
            images += 1
        elif type(tag) is str and tag not in _PURE:
            return False  # a <figure> among them
    return images == 1


def _figure_extra_text(fig: Any, cap: Any) -> bool:
    for holder, text in all_strings(fig):
        if text.strip() and (cap is None or not (holder is cap or has_ancestor(holder, cap))):
            return True
    return False


def _figure_html(img: Any, href: str | None, cap: Any) -> str:
    attrs = f'src="{html_escape(str(img.get("src", "")))}" alt="{html_escape(str(img.get("alt") or ""))}"'
    image = f"<img {attrs}>"
    if href:
        image = f'<a href="{html_escape(href)}">{image}</a>'
    caption = ""
    if cap is not None and get_text(cap, strip=True):
        inner = (
            sanitize_html(cap)[len("<figcaption>") : -len("</figcaption>")]
            if not cap.attrib
            else html_escape(get_text(cap, " ", strip=True))
        )
        caption = f"<figcaption>{inner}</figcaption>"
    return f"<figure>{image}{caption}</figure>"


def _figure_hugo(img: Any, href: str | None, cap: Any) -> str:
    def q(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    parts = [f"src={q(str(img.get('src', '')))}"]
    if img.get("alt"):
        parts.append(f"alt={q(WS.sub(' ', str(img.get('alt'))).strip())}")
    if cap is not None and get_text(cap, strip=True):
        parts.append(f"caption={q(WS.sub(' ', get_text(cap, ' ', strip=True)))}")
    if href:
        parts.append(f"link={q(href)}")
    return "{{< figure " + " ".join(parts) + " >}}"
