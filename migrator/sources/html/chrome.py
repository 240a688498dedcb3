"""Cleaning a post's content: theme and plugin chrome out, WordPress's own markup kept.

Chrome is recognised by structure first and by name second:

* by tag and visibility: scripts, styles, forms and their controls, ``hidden``, ``display:none``,
  text moved off screen for screen readers (dropped, never glued to the word before it);
* by structure: blocks that are mostly links to other pages (related, recent and popular posts,
  category lists, share rows), a heading followed by such a list, sign-up boxes (a form with an
  e-mail field and a few words around it), share-intent links, the byline and term lines themes
  print at the edges of the content, and another post's linked title (a card);
* by the names of :mod:`.vocabulary` (Jetpack's sharing and related posts, core navigation, ...);
* by position: plugins append sharing, likes, related posts and comments after the post text,
  so everything from the first such block on goes.

Known video and audio providers' players (``<iframe>``) become the URL WordPress embedded, in the
embed block markup an export holds, so the conversion writes them as it writes an export's.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from urllib.parse import parse_qs, unquote

from lxml import etree
from lxml import html as lxml_html

from ...urls import urlsplit
from . import vocabulary as V
from .dom import (
    HEADINGS,
    HtmlElement,
    drop,
    link_len,
    resolve,
    same_site,
    text,
    visible_len,
    xp_rel,
)
from .fields import LAZY_SRC_ATTRS, img_src, is_meta_line

CHROME_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "link",
    "meta",
    "form",
    "input",
    "select",
    "textarea",
    "button",
    "svg",
    "object",
    "embed",
    "dialog",
    "nav",
}
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
#: Inline styles that move text off screen or clip it away (screen-reader-only text).
OFFSCREEN_STYLE = re.compile(
    r"clip\s*:\s*rect\(\s*(?:0|1px)|clip-path\s*:\s*inset\(\s*50%|(?:left|top)\s*:\s*-\d{3,}px"
    r"|text-indent\s*:\s*-\d{3,}",
    re.I,
)
#: Share-intent URLs: a link to one of these is a sharing button, never content.
SHARE_URL = re.compile(
    r"^(?:whatsapp:|fb-messenger:|sms:)|facebook\.com/sharer|facebook\.com/share\.php|twitter\.com/intent/|"
    r"twitter\.com/share|x\.com/intent/|pinterest\.com/pin/create|linkedin\.com/share|reddit\.com/submit|"
    r"tumblr\.com/share|getpocket\.com/save|telegram\.me/share|t\.me/share|wa\.me/\?|api\.whatsapp\.com/send|"
    r"[?&]share=[a-z-]+|mailto:\?",
    re.I,
)
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MEDIA = (".//img", ".//iframe", ".//video", ".//audio", ".//picture")


# --------------------------------------------------------------------------------------------
# Embeds

#: Player URLs of oEmbed providers -> the URL WordPress embedded (what an export holds).
_PLAYERS: list[tuple[re.Pattern, str, str, str]] = [
    (
        re.compile(r"^(?:https?:)?//(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]{6,})"),
        "https://www.youtube.com/watch?v={0}",
        "youtube",
        "video",
    ),
    (re.compile(r"^(?:https?:)?//player\.vimeo\.com/video/(\d+)"), "https://vimeo.com/{0}", "vimeo", "video"),
    (
        re.compile(r"^(?:https?:)?//(?:www\.)?dailymotion\.com/embed/video/(\w+)"),
        "https://www.dailymotion.com/video/{0}",
        "dailymotion",
        "video",
    ),
    (
        re.compile(r"^(?:https?:)?//open\.spotify\.com/embed/(\w+)/(\w+)"),
        "https://open.spotify.com/{0}/{1}",
        "spotify",
        "rich",
    ),
    (
        re.compile(
            r"^(?:https?:)?//(?:www\.)?ted\.com/talks/embed/[^/]*?/?([\w-]+)$|"
            r"^(?:https?:)?//embed\.ted\.com/talks/([\w-]+)"
        ),
        "https://www.ted.com/talks/{0}",
        "ted",
        "video",
    ),
]


def embed_url(src: str) -> tuple[str, str, str] | None:
    """(canonical URL, provider, kind) for a known provider's player URL, else None."""
    src = (src or "").strip()
    if "w.soundcloud.com/player" in src:
        url = parse_qs(urlsplit(src).query).get("url", [""])[0]
        return (unquote(url), "soundcloud", "rich") if url.startswith("http") else None
    for pattern, template, provider, kind in _PLAYERS:
        m = pattern.match(src)
        if m:
            groups = [g for g in m.groups() if g]
            return template.format(*groups), provider, kind
    return None


def _canonical_embeds(node: HtmlElement) -> None:
    """Provider players -> ``<figure class="wp-block-embed ..."><div class="wp-block-embed__wrapper">URL``."""
    for frame in list(node.iter("iframe")):
        found = embed_url(frame.get("src") or frame.get("data-src") or "")
        if found is None:
            continue
        url, provider, kind = found
        wrapper = next((a for a in frame.iterancestors() if "wp-block-embed__wrapper" in (a.get("class") or "")), None)
        figure = wrapper.getparent() if wrapper is not None else None
        new = lxml_html.fragment_fromstring(
            f'<figure class="wp-block-embed is-type-{kind} is-provider-{provider} wp-block-embed-{provider}">'
            f'<div class="wp-block-embed__wrapper">\n{url}\n</div></figure>'
        )
        target = figure if figure is not None and figure.tag == "figure" else frame
        while (
            target.getparent() is not None
            and target.getparent() is not node
            and target.getparent().tag in ("p", "span", "div")
            and visible_len(target.getparent()) == 0
            and len(target.getparent()) == 1
        ):
            target = target.getparent()  # a wrapper holding only the player
        new.tail = target.tail
        parent = target.getparent()
        if parent is not None:
            parent.replace(target, new)


# --------------------------------------------------------------------------------------------
# Chrome tests


def is_assistive(el: HtmlElement) -> bool:
    return V.ASSISTIVE.element(el) or bool(OFFSCREEN_STYLE.search(el.get("style") or ""))


def is_chrome(el: HtmlElement) -> bool:
    """True for an element of theme or plugin chrome, judged on the element itself."""
    if el.tag in CHROME_TAGS:
        return True
    if el.get("hidden") is not None or HIDDEN_STYLE.search(el.get("style") or ""):
        return True
    if el.get("aria-hidden") == "true" and not text(el) and el.find(".//img") is None:
        return True
    if is_assistive(el) or V.CHROME.element(el):
        return True
    if el.get("itemprop") in {"datePublished", "dateModified", "author", "publisher", "headline"}:
        return True  # microdata metadata repeated inside the body
    if el.tag == "a" and SHARE_URL.search(el.get("href") or ""):
        return True
    if el.tag in HEADINGS and el.xpath(".//a[" + xp_rel("bookmark") + "]") and not (el.text or "").strip():
        return True  # a linked post title: another item's card, not the post's own text
    return False


def _links(el: HtmlElement) -> list[HtmlElement]:
    return [a for a in el.iter("a") if a.get("href")]


def is_link_block(el: HtmlElement, base: str) -> bool:
    """A block that is mostly links to other pages of the site or to share endpoints (related
    posts, category lists, share rows): three links or more, and links make 70 % of its text."""
    if el.tag not in ("div", "section", "ul", "ol", "nav", "aside", "footer", "header"):
        return False
    links = _links(el)
    if len(links) < 3:
        return False
    inner = [
        a
        for a in links
        if SHARE_URL.search(a.get("href")) or same_site(a.get("href"), base) and not a.get("href").startswith("#")
    ]
    if len(inner) < 0.7 * len(links):
        return False
    total = visible_len(el)
    if total == 0:  # images only: a gallery, unless every link shares
        return all(SHARE_URL.search(a.get("href")) for a in links)
    return link_len(el) >= 0.7 * total


def is_headed_link_box(el: HtmlElement, base: str) -> bool:
    """A short box of a heading and links to other pages of the site (a promotion, a "read next"
    teaser): apart from its heading, links make 70 % of its text."""
    if el.tag not in ("div", "section", "aside"):
        return False
    heads = [h for h in el.iter(*HEADINGS)]
    if not heads or el.find(".//img") is not None:
        return False
    total = visible_len(el)
    rest = total - sum(visible_len(h) for h in heads)
    if total > 300 or rest <= 0:
        return False
    links = [a for a in _links(el) if same_site(a.get("href"), base) and not a.get("href").startswith("#")]
    return bool(links) and sum(visible_len(a) for a in links) >= 0.7 * rest


def is_signup(el: HtmlElement) -> bool:
    """A sign-up box: a form with an e-mail field and a few words (title, pitch) around it."""
    if el.tag not in ("div", "section", "aside", "form", "p"):
        return False
    if not el.xpath(".//input[@type='email' or contains(@name, 'mail')]"):
        return False
    return visible_len(el) < 400


# --------------------------------------------------------------------------------------------
# Position: what plugins append after the post text


def _is_end_marker(el: HtmlElement) -> bool:
    return V.END_MARKERS.element(el)


def _truncate_after_end_marker(node: HtmlElement) -> None:
    """Drop the first plugin end marker at the top level of ``node`` and everything after it."""
    children = list(node)
    for i, child in enumerate(children):
        if not isinstance(child.tag, str):
            continue
        if _is_end_marker(child) or (
            any(_is_end_marker(d) for d in child.iterdescendants() if isinstance(d.tag, str))
            and not _text_before_marker(child)
        ):
            for later in children[i:]:
                drop(later)
            return


def _text_before_marker(el: HtmlElement) -> int:
    """Length of text inside ``el`` that precedes its first end marker."""
    total = 0
    for node in el.iter():
        if isinstance(node.tag, str) and node is not el and _is_end_marker(node):
            return total
        if node is not el:
            total += len((node.text or "").strip()) if isinstance(node.tag, str) else 0
        total += len((node.tail or "").strip()) if node is not el else 0
    return total


def content_edges(node: HtmlElement) -> list[HtmlElement]:
    """The first and last few blocks of ``node`` (where themes put bylines), looking through
    wrappers that hold nothing but one block."""
    kids = [c for c in node if isinstance(c.tag, str)]
    while len(kids) == 1 and not (node.text or "").strip() and kids[0].tag in ("div", "section", "article", "main"):
        node = kids[0]
        kids = [c for c in node if isinstance(c.tag, str)]
    return kids[:3] + kids[-3:] if len(kids) > 6 else kids


def is_script_box(el: HtmlElement) -> bool:
    """An ad slot or script-driven widget: a box whose only content is a script and a label."""
    if el.tag not in ("div", "section", "aside", "ins", "span"):
        return False
    if el.find(".//script") is None or any(el.find(q) is not None for q in _MEDIA):
        return False
    return visible_len(el) - sum(visible_len(s) for s in el.iter("script", "style", "noscript")) < 30


def is_page_links(el: HtmlElement) -> bool:
    """A paginated post's page links ("Pages: 1 2 3"): little text besides the page numbers."""
    if el.tag not in ("p", "div", "span", "nav"):
        return False
    numbers = [n for n in el.iter() if isinstance(n.tag, str) and n is not el and V.PAGE_LINKS.element(n)]
    return bool(numbers) and visible_len(el) - sum(visible_len(n) for n in numbers) < 20


def _drop_modules(node: HtmlElement, base: str) -> None:
    """Link blocks, sign-up boxes and script boxes, with the heading over a dropped list."""
    for el in list(node.iter()):
        if el is node or not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if is_page_links(el):
            drop(el)
            continue
        if is_signup(el) or is_script_box(el) or is_link_block(el, base) or is_headed_link_box(el, base):
            prev = el.getprevious()
            drop(el)
            if prev is not None and prev.tag in HEADINGS and visible_len(prev) < 80 and prev.getparent() is not None:
                drop(prev)  # the heading of the dropped list ("Related posts")


def _drop_meta_edges(node: HtmlElement) -> None:
    """Byline and term lines among the first and last blocks of the content."""
    changed = True
    while changed:
        changed = False
        for el in content_edges(node):
            if el.getparent() is not None and is_meta_line(el) and el.find(".//img") is None:
                drop(el)
                changed = True
                break


# --------------------------------------------------------------------------------------------
# Images


def unlazy_images(root: HtmlElement) -> None:
    """Give lazy-loaded images their real ``src``; unwrap ``<noscript>`` image fallbacks."""
    for ns in list(root.iter("noscript")):
        inner = ns.text or ""
        has_img = ns.find(".//img") is not None or "<img" in inner
        if not has_img:
            continue
        prev = ns.getprevious()
        if prev is not None and (prev.tag == "img" or prev.find(".//img") is not None):
            continue  # the lazy image right before the noscript carries the picture
        try:
            frag = lxml_html.fragment_fromstring(inner, create_parent="div") if inner.strip() else None
        except (etree.ParserError, ValueError):
            frag = None
        if frag is not None:
            parent = ns.getparent()
            idx = parent.index(ns)
            for i, child in enumerate(list(frag)):
                parent.insert(idx + i, child)
        elif ns.find(".//img") is not None:
            ns.drop_tag()
    for img in root.iter("img"):
        real = img_src(img)
        if real and real != img.get("src"):
            img.set("src", real)
        for attr in LAZY_SRC_ATTRS + ("data-srcset", "data-lazy-srcset", "data-lazy-sizes"):
            if attr in img.attrib:
                del img.attrib[attr]


# --------------------------------------------------------------------------------------------
# Cleaning


def has_more_link(node: HtmlElement) -> bool:
    """True when ``node`` holds a "read more" link (or the ``#more-N`` anchor of one)."""
    return any(V.MORE.element(el) for el in node.iter() if isinstance(el.tag, str)) or bool(
        node.xpath(".//span[starts-with(@id, 'more-')]")
    )


def clean_content(content: HtmlElement, base: str = "", drop_also: Iterable[HtmlElement] = ()) -> tuple[str, bool]:
    """Inner HTML of ``content`` with chrome removed; also whether a more-link was seen.

    ``drop_also`` lists elements (inside ``content``) to remove too: the title repeated inside,
    the byline, a read-more link found by its target.
    """
    drop_ids = {id(el) for el in drop_also}
    node = copy.deepcopy(content)
    for orig, cp in zip(content.iter(), node.iter()):
        if id(orig) in drop_ids and cp is not node:
            cp.attrib["data-migrator-drop"] = "1"
    more = has_more_link(node)
    unlazy_images(node)
    for el in list(node.iter(etree.Comment, etree.ProcessingInstruction)):
        drop(el)
    _truncate_after_end_marker(node)
    _drop_modules(node, base)
    for el in list(node.iter()):
        if el is node or not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if el.get("data-migrator-drop") or is_chrome(el):
            drop(el)
    _canonical_embeds(node)
    _drop_meta_edges(node)
    for el in node.xpath(".//span[starts-with(@id, 'more-')]"):
        if not text(el):
            drop(el)
    # blocks left empty by the removals (e.g. the <p> around a more-link)
    for el in list(node.iter("p", "div", "span", "section", "figure")):
        if el.getparent() is None or el is node:
            continue
        if (
            not text(el)
            and not any(el.find(q) is not None for q in _MEDIA)
            and el.find(".//br") is None
            and el.find(".//hr") is None
            and el.find(".//table") is None
        ):
            drop(el)
    for el in node.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("href", "src"):
            if el.get(attr):
                el.set(attr, resolve(el.get(attr), base))
        if el.get("srcset"):
            parts = []
            for item in el.get("srcset").split(","):
                bits = item.split()
                if bits:
                    parts.append(" ".join([resolve(bits[0], base), *bits[1:]]))
            el.set("srcset", ", ".join(parts))
    html = escape_text(node.text or "")
    html += "".join(lxml_html.tostring(child, encoding="unicode") for child in node)
    return html.strip(), more


def escape_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
