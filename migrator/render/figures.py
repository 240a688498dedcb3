"""Figures: an image with its link and caption, per the figure style (Markdown, HTML, Hugo)."""

from __future__ import annotations

from collections.abc import Callable

from html import escape as html_escape

from bs4 import BeautifulSoup, Tag

from ..transforms.soup import find_strings, find_tag, find_tags
from .escaping import WS, finish_block, link_dest
from .html import sanitize_html


class FigureConverter:
    process_tag: Callable[..., str]
    _block: Callable[..., str]
    """``<figure>``: one image with caption; galleries (several images) item by item."""

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
            image_md = f"[{image_md}]({link_dest(href)})"
        parts = [image_md]
        if _figure_extra_text(el, cap):
            parts.append(finish_block(self._convert_children_excluding(el)))
        caption_md = finish_block(self.process_tag(cap, {"figure"})) if cap is not None else ""
        if caption_md:
            mark = "_" if "*" in caption_md else "*"
            parts.append(f"{mark}{caption_md}{mark}")
        return "\n\n" + "\n\n".join(p for p in parts if p) + "\n\n"

    def _convert_children_excluding(self, el: Tag) -> str:
        """The figure's content other than its image and caption, converted."""
        clone = BeautifulSoup(str(el), "lxml").find("figure")
        assert isinstance(clone, Tag)
        for node in clone.find_all(["img", "figcaption"]):
            node.decompose()
        return self.process_tag(clone, set())


def _figure_extra_text(fig: Tag, cap: Tag | None) -> bool:
    for s in find_strings(fig):
        if s.strip() and (cap is None or cap not in s.parents):
            return True
    return False


def _figure_html(img: Tag, href: str | None, cap: Tag | None) -> str:
    attrs = f'src="{html_escape(str(img.get("src", "")))}" alt="{html_escape(str(img.get("alt") or ""))}"'
    image = f"<img {attrs}>"
    if href:
        image = f'<a href="{html_escape(href)}">{image}</a>'
    caption = ""
    if cap is not None and cap.get_text(strip=True):
        caption = f"<figcaption>{sanitize_html(cap)[len('<figcaption>') : -len('</figcaption>')] if str(cap).startswith('<figcaption>') else html_escape(cap.get_text(' ', strip=True))}</figcaption>"
    return f"<figure>{image}{caption}</figure>"


def _figure_hugo(img: Tag, href: str | None, cap: Tag | None) -> str:
    def q(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    parts = [f"src={q(str(img.get('src', '')))}"]
    if img.get("alt"):
        parts.append(f"alt={q(WS.sub(' ', str(img['alt'])).strip())}")
    if cap is not None and cap.get_text(strip=True):
        parts.append(f"caption={q(WS.sub(' ', cap.get_text(' ', strip=True)))}")
    if href:
        parts.append(f"link={q(href)}")
    return "{{< figure " + " ".join(parts) + " >}}"
