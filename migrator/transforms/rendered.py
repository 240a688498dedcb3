"""WordPress's rendered markup made readable, whatever the input: what a browser shows from
CSS or JavaScript is written into the tree, so the Markdown shows it too.

* An image WordPress shows as a CSS background (cover blocks, ``div[role=img]`` and older
  ``style="background-image:url(...)"`` wrappers) becomes an ``<img>`` at that place, its
  ``aria-label`` the alt text, its URL read as a browser reads it (``css.background_url``:
  quoted or not, CSS escapes such as ``\\28`` decoded); a block wrapper's image is a figure of
  its own, not glued to the text over it (an export's cover block gives the same figure: see
  ``blocks.media.cover``).
* An embed WordPress could not fetch shows its bare URL alone in a paragraph for a known provider,
  as ``autoembed`` leaves it: that URL becomes the link an export gives
  (``shortcodes.embeds.render_embed``; a URL alone in an embed block's wrapper is the content
  filters' work, ``shortcodes.embeds.embed_wrapped_urls``).
* ``[audio]`` and ``[video]`` number their players and add the number to each source
  (``song.mp3?_=1``, ``wp_audio_shortcode``): the file is the one without it, as an export names it.
* A gallery is its images, each with its caption (a figure each, as an export's ``[gallery]``
  and newer gallery blocks give them), not a list: the classic gallery's ``<dl
  class="gallery-item">`` (icon and caption) and an older gallery block's list of items.
* The file block links its file once, by name: the PDF preview (``<object>``) and a "Download"
  button of a file linked by name go; a button label that says more stays as text, after a
  space (CSS draws the button apart).
* Verse, and preformatted text with formatting (bold, italic, links; no ``<code>``), is prose
  with its line breaks, not code: a poem's lines become lines of a paragraph (hard breaks), its
  stanzas paragraphs, its indentation no-break spaces, its formatting and links kept.  A
  preformatted block of plain text stays a code block (its spacing is what it shows).
"""

from __future__ import annotations

import html
import re

from ..urls import is_dangerous_url
from .context import Context
from .css import background_url
from .shortcodes.embeds import embed_provider, render_embed
from ..htmltree import (
    BLOCK_ELEMENTS,
    Element,
    classes,
    inner_html,
    insert_before,
    Presence,
    is_removed,
    new_element,
    prepend,
    remove,
    replace_with,
    text_of,
    unwrap,
)

_URL_ONLY = re.compile(r"\s*(https?://[^\s<>\"]+)\s*")
#: Whether a document's HTML may hold any of it (most do not: no tree walk for them).
_MARKS = (
    "wp-block-file",
    "<pre",
    "wp-audio-shortcode",
    "wp-video-shortcode",
    "gallery-item",
    "blocks-gallery-grid",
)
_BARE_URL = re.compile(r"<p>\s*https?://")
_GALLERY_LIST = re.compile(r"<ul[^>]*wp-block-gallery")


def _has_background(lowered: str) -> bool:
    """Whether lower-cased CSS (or HTML) may set a background image (``background-image`` or
    the ``background`` shorthand with a ``url()``)."""
    return "background" in lowered and "url(" in lowered


def may_hold(lowered: str) -> bool:
    """Whether HTML (lower-cased) may hold what :func:`readable` changes (plain substring tests
    first: a regular expression of alternatives costs a millisecond a page)."""
    return (
        _has_background(lowered)
        or any(mark in lowered for mark in _MARKS)
        or _BARE_URL.search(lowered) is not None
        or ("wp-block-gallery" in lowered and _GALLERY_LIST.search(lowered) is not None)
    )


#: The player number ``[audio]``/``[video]`` add to a source URL (``add_query_arg( '_', $instance )``).
_INSTANCE = re.compile(r"([?&])_=\d+(?=&|#|$)")
#: Inline formatting that makes preformatted text prose.
FORMATTING = ("a", "b", "strong", "i", "em", "u", "mark", "s", "del", "ins", "sub", "sup", "cite", "q", "abbr")
_STANZA = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")  # blank lines only: the next line keeps its indent
_INDENT = re.compile(r"(^|\n)([ \t]+)")
_RUN = re.compile(r"(?<=\S)[ \t]{2,}")  # spaces lined up inside a line (columns, ASCII art)
_BR = re.compile(r"<br\s*/?>\n?", re.I)
_TAG = re.compile(r"(<[^>]*>)")


def _embed_html(url: str, ctx: Context) -> str:
    esc = html.escape(url, quote=True)
    return render_embed(url, ctx, wrapper=True) or f'<a href="{esc}">{html.escape(url, quote=False)}</a>'


def _background(el: Element) -> None:
    url = background_url(str(el.get("style", "")))
    if url is None or is_dangerous_url(url) or next(el.iterdescendants("img"), None) is not None:
        return
    img = new_element(el, "img", {"src": url, "alt": str(el.get("aria-label", ""))})
    ids = [c for c in classes(el) if c.startswith("wp-image-")]
    if ids:
        img.set("class", ids[0])
    shown = img
    if el.tag in BLOCK_ELEMENTS:  # a block of its own, as the export's cover gives it
        shown = new_element(el, "figure", {"class": "wp-block-image"})
        shown.append(img)
    if el.get("role") == "img" and not text_of(el, strip=True):
        replace_with(el, shown)
    else:
        prepend(el, shown)


def _bare_url(el: Element) -> str:
    """The URL an element holds as its only content (text, no elements), else ""."""
    if any(isinstance(child.tag, str) for child in el):
        return ""
    m = _URL_ONLY.fullmatch(text_of(el))
    return m.group(1) if m else ""


def without_instance(url: str) -> str:
    """A media shortcode's source without the player number it added (``a.mp3?_=1`` -> ``a.mp3``)."""
    m = _INSTANCE.search(url)
    if m is None:
        return url
    rest = url[m.end() :]
    if m.group(1) == "?":
        return url[: m.start()] + ("?" + rest[1:] if rest.startswith("&") else rest)
    return url[: m.start()] + rest


def _shortcode_player(player: Element) -> None:
    for el in [player, *player.iterdescendants("source")]:
        src = el.get("src")
        if src and "_=" in src:
            el.set("src", without_instance(src))


def readable(root: Element, ctx: Context) -> None:
    """Apply the rules above in place."""
    presence = Presence(root)
    for el in presence.walk:
        if el is root or presence.removed(el):
            continue
        names = classes(el)
        style = el.get("style")
        if style is not None and _has_background(style.lower()):
            _background(el)
            presence.changed()
            if el.getparent() is None:  # replaced by its image
                continue
        if el.tag in ("audio", "video") and ("wp-audio-shortcode" in names or "wp-video-shortcode" in names):
            _shortcode_player(el)
        if el.tag == "p":
            url = _bare_url(el)
            if url and embed_provider(url) is not None:
                insert_before(el, _embed_html(url, ctx))
                remove(el)
        elif el.tag == "pre" and is_prose(el, names):
            _prose(el)
        elif el.tag == "dl" and "gallery-item" in names:
            _classic_gallery_item(el)
        elif el.tag in ("ul", "ol") and ("blocks-gallery-grid" in names or "wp-block-gallery" in names):
            _gallery_list(el)
        elif el.tag == "br" and "gallery" in classes(el.getparent()):
            remove(el)  # the classic gallery's row break (``clear: both``): no line break
        elif "wp-block-file" in names:
            _file_block(el)
        else:
            continue
        presence.changed()


def _classic_gallery_item(item: Element) -> None:
    """``<dl class="gallery-item">`` (``gallery_shortcode()`` without HTML5 support): its icon
    (``<dt>``) and caption (``<dd>``) as one figure, as the HTML5 markup and an export give it."""
    item.tag = "figure"
    item.attrib.clear()
    item.set("class", "wp-block-image")
    for child in [c for c in item if c.tag in ("dt", "dd")]:
        if child.tag == "dd" and text_of(child, strip=True):
            child.tag = "figcaption"
            child.attrib.clear()
        elif child.tag == "dd":
            remove(child)
        else:
            unwrap(child)


def _gallery_list(grid: Element) -> None:
    """An older gallery block's list (``ul.blocks-gallery-grid`` inside the gallery's figure,
    or the ``ul.wp-block-gallery`` itself before WordPress 5.3): its items' figures, side by
    side in the gallery, as the image blocks of a newer gallery are (not a list)."""
    grid.tag = "figure" if "wp-block-gallery" in classes(grid) else "div"
    for item in [c for c in grid if c.tag == "li"]:
        if next(item.iter("figure"), None) is not None:
            unwrap(item)
        else:
            item.tag = "figure"
            item.attrib.clear()
            item.set("class", "wp-block-image")


def _file_block(block: Element) -> None:
    """The file block: one link per file, with its name.  The PDF preview (``<object>``) and the
    "Download" button of a file the block links by name already go; a button label that says
    more than "Download" or the name stays as text, after a space (CSS draws it apart)."""
    names = {
        str(a.get("href")).strip(): text_of(a, " ", strip=True)
        for a in block.iterdescendants("a")
        if a.get("href") is not None and "wp-block-file__button" not in classes(a)
    }
    for embed in list(block.iterdescendants("object", "embed", "iframe")):
        source = embed.get("data") or embed.get("src")
        if source and source.strip() in names and not is_removed(embed, block):
            remove(embed)
    for button in [a for a in block.iterdescendants("a") if "wp-block-file__button" in classes(a)]:
        href = str(button.get("href") or "").strip()
        if href in names and _same_words(text_of(button, " ", strip=True), names[href], href):
            remove(button)
            continue
        previous = button.getprevious()
        if previous is not None and isinstance(previous.tag, str) and not previous.tail:
            insert_before(button, " ", markup=False)
        if href in names:
            unwrap(button)  # the label, not a second link to the same file


def _same_words(label: str, name: str, href: str) -> bool:
    """Whether a file block's button label says nothing its name link does not: empty, the
    default "Download", the name, or the file's name."""

    def words(text: str) -> str:
        return " ".join(re.findall(r"\w+", text.casefold()))

    file_name = href.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    said = words(label)
    return said in ("", "download", words(name), words(file_name), words(file_name.rsplit(".", 1)[0]))


def is_prose(pre: Element, names: list[str]) -> bool:
    """A verse block, or preformatted text with inline formatting and no code inside."""
    if "wp-block-verse" in names:
        return True
    return next(pre.iter("code"), None) is None and next(pre.iter(*FORMATTING), None) is not None


def _prose(pre: Element) -> None:
    """A ``<pre>`` of prose as paragraphs: one per stanza, ``<br>`` between its lines."""
    inner = inner_html(pre)
    if inner.startswith("\n"):
        inner = inner[1:]  # HTML drops a newline right after <pre>
    inner = _BR.sub("\n", inner)  # a verse written with <br>: its lines, blank lines and indents
    paragraphs = []
    for stanza in _STANZA.split(inner.strip("\n")):
        if not stanza.strip():
            continue
        stanza = "".join(part if part.startswith("<") else _kept_spaces(part) for part in _TAG.split(stanza))
        paragraphs.append("<p>" + stanza.rstrip().replace("\n", "<br>\n") + "</p>")
    insert_before(pre, "".join(paragraphs))
    remove(pre)


def _kept_spaces(text: str) -> str:
    """Indents and spaces lined up inside a line as no-break spaces (HTML collapses the rest)."""
    text = _INDENT.sub(lambda m: m.group(1) + "&nbsp;" * len(m.group(2).expandtabs(4)), text)
    return _RUN.sub(lambda m: " " + "&nbsp;" * (len(m.group(0).expandtabs(4)) - 1), text)
