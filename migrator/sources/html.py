"""Saved HTML pages of WordPress sites: single posts and index/archive pages.

WordPress themes of every era mark posts up with the same few conventions
(``post_class()``: ``post-123 type-post hentry category-x tag-y``; ``rel=bookmark``
permalinks; ``rel="category tag"`` term links; ``time.published``; ``.entry-content``),
so the reader finds each post container, then reads title, permalink, dates, author,
terms, featured image and content from inside it, with page-level metadata (Open Graph,
``article:*`` meta, JSON-LD) filling the gaps on single-post pages.  The content keeps
WordPress's rendered HTML with theme chrome (sharing, likes, related posts, ads,
more-links, author boxes, comments, scripts, hidden elements) removed.

Pages without recognisable WordPress markup fall back to a generic main-content
extractor (trafilatura) with a ``html-generic-extraction`` warning.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

from lxml import etree
from lxml import html as lxml_html

from ..urls import urljoin, urlsplit  # never raise on malformed URLs
from ..model import Document, Problem, Site, Term
from ..slugs import slugify

HtmlElement = lxml_html.HtmlElement

# --------------------------------------------------------------------------------------
# Vocabulary of WordPress theme markup
# --------------------------------------------------------------------------------------

#: Content wrappers, most specific first.  The first selector that matches inside a
#: post container wins (several matches: the one with the most text).
CONTENT_CLASSES: tuple[str, ...] = (
    "entry-content",
    "wp-block-post-content",
    "post-content",
    "post-entry",
    "td-post-content",
    "entry-body",
)
#: Older or theme-specific wrappers; among these the one holding the most text wins.
WEAK_CONTENT_CLASSES: tuple[str, ...] = (
    "post-body",
    "postcontent",
    "post_content",
    "article-content",
    "article-body",
    "articleBody",
    "single-content",
    "the-content",
    "storycontent",
    "entrytext",
    "entry",
    "post-text",
    "postbody",
    "blog-content",
)
#: Excerpt wrappers of index pages (content found here is partial).
SUMMARY_CLASSES: tuple[str, ...] = ("entry-summary", "post-excerpt", "excerpt", "wp-block-post-excerpt")

TITLE_CLASSES: tuple[str, ...] = (
    "entry-title",
    "post-title",
    "wp-block-post-title",
    "posttitle",
    "single-post-title",
    "article-title",
)

#: Body classes of single-item views and of listing views.
SINGLE_BODY = {"single", "single-post", "page", "singular", "attachment"}
INDEX_BODY = {"home", "blog", "archive", "category", "tag", "date", "search", "paged", "author", "tax"}

#: Class tokens (exact) of chrome to drop from inside content.
CHROME_TOKENS = {
    # Jetpack / WordPress.com
    "sharedaddy", "sd-sharing-enabled", "sd-sharing", "sd-block", "sd-like", "sd-rating",
    "sd-content", "jetpack-likes-widget-wrapper", "jetpack-likes-widget", "wpl-likebox",
    "post-likes-widget-placeholder", "jp-relatedposts", "wp-block-jetpack-related-posts",
    "jetpack_subscription_widget", "wp-block-jetpack-subscriptions", "jetpack-subscribe",
    "wpcnt", "wordads-ad-wrapper", "wordads-inline-marker", "wpa", "wpadvert", "jp-sharing-input-touch",
    # more-links and navigation
    "more-link", "read-more", "readmore", "more-link-container", "wp-block-post-excerpt__more-text",
    "wp-block-post-excerpt__more-link", "wp-block-read-more", "post-navigation", "navigation",
    "nav-links", "post-nav", "page-links-nav", "pagination",
    # comments
    "comments-area", "comments", "comment-respond", "comments-link", "commentlist", "comment-list",
    "wp-block-comments", "wp-block-post-comments", "wp-block-post-comments-form", "wpdiscuz",
    # author boxes
    "author-info", "author-bio", "author-box", "about-author", "post-author-box", "authorbox",
    "author-description", "wp-block-post-author-biography", "saboxplugin-wrap",
    # related posts plugins
    "yarpp-related", "yarpp-related-widget", "crp_related", "related-posts", "related_posts",
    "relatedposts", "related-post", "rp4wp-related-posts", "jp-relatedposts-i2",
    # share plugins
    "addtoany_share_save_container", "addtoany_content", "a2a_kit", "shareaholic-canvas",
    "share-buttons", "social-share", "sharing", "ssba", "ssba-wrap", "heateor_sss_sharing_container",
    "essb_links", "swp_social_panel", "mashsb-container", "sharify-container", "printfriendly",
    "pf-button", "social-buttons", "share-post", "post-share", "entry-share", "share-box",
    "wp-block-social-links",
    # ads, subscription forms
    "adsbygoogle", "advertisement", "advert", "ad", "ads", "adsense", "ad-container",
    "mc4wp-form", "newsletter", "newsletter-signup", "subscribe-form", "widget_blog_subscription",
    # hidden and assistive text
    "screen-reader-text", "sr-only", "visually-hidden", "hidden", "hide", "skip-link",
    # meta blocks (when they sit inside content)
    "entry-meta", "entry-footer", "entry-utility", "post-meta", "postmetadata", "post-tags",
    "tags-links", "cat-links", "entry-categories", "entry-tags", "wp-block-post-terms",
}
CHROME_PREFIXES = (
    "sd-sharing", "sharedaddy", "jp-related", "share-", "sharing-", "social-share",
    "advert", "sponsor", "dpsp-", "addthis", "wabtn", "sfsi", "mailmunch", "newsletter-", "subscribe-", "yarpp", "crp_", "addtoany", "a2a_",
    "heateor", "essb_", "swp_", "mashsb", "shareaholic", "wp-social", "fb-like", "twitter-share",
    "wpdiscuz", "wordads", "code-block-", "author-box", "related-posts",
)
CHROME_IDS = {
    "comments", "respond", "jp-relatedposts", "jp-post-flair", "sharing", "related-posts",
    "disqus_thread", "subscribe", "subscription", "likes-other-gravatars", "share-buttons",
}
CHROME_TAGS = {
    "script", "style", "noscript", "template", "link", "meta", "form", "input", "select",
    "textarea", "button", "svg", "object", "embed", "dialog",
}
#: Class tokens naming sharing widgets, ad slots and sign-up boxes by a word inside them.
CHROME_WORDS = re.compile(
    r"(?:^|[-_])(?:share|shares|sharing|sharer|sharebar|likes|subscribe|subscription|newsletter|"
    r"relatedposts|related[-_]posts?)(?:$|[-_])"
    r"|^(?:ad|ads|adsense|adsbygoogle|advertisement)(?:[-_](?:container|wrapper|slot|unit|block|box|banner|"
    r"zone|inline|placement|inserter|label|space)\w*)?$",
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
#: Wrappers that plugins append after the post text (sharing, likes, related posts,
#: comments): from the first of them on, the rest of the content is chrome too.
END_MARKERS = {
    "sharedaddy", "jp-post-flair", "jp-relatedposts", "sd-sharing-enabled", "sd-like-enabled",
    "comments-area", "comment-respond", "yarpp-related", "crp_related", "fb-comments", "wpdiscuz_top_clearing",
}
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# Attributes WordPress lazy-loading plugins use for the real image URL.
LAZY_SRC_ATTRS = ("data-lazy-src", "data-src", "data-original", "data-lazyload", "data-orig-file", "data-large-file")
#: Lazy loaders copy these into ``src`` when the image scrolls into view: they always win.
SWAP_SRC_ATTRS = ("data-lazy-src", "data-src", "data-original", "data-lazyload")

WAYBACK = re.compile(r"^(?:https?:)?//web\.archive\.org/web/\d+[a-z_]*/", re.I)
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --------------------------------------------------------------------------------------
# Small element helpers
# --------------------------------------------------------------------------------------


def _classes(el: HtmlElement) -> list[str]:
    return (el.get("class") or "").split()


def _has_class(el: HtmlElement, token: str) -> bool:
    return token in _classes(el)


def _xp_class(token: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {token} ')"


def _by_class(root: HtmlElement, token: str) -> list[HtmlElement]:
    return root.xpath(f".//*[{_xp_class(token)}]")


def _text(el: HtmlElement | None) -> str:
    if el is None:
        return ""
    return re.sub(r"\s+", " ", el.text_content()).strip()


def _text_without_assistive(el: HtmlElement) -> str:
    """Text of ``el`` minus screen-reader-only labels ("Author", "Posted on")."""
    hidden = el.xpath(".//*[" + _xp_class("screen-reader-text") + " or " + _xp_class("sr-only") + "]")
    if not hidden:
        return _text(el)
    node = copy.deepcopy(el)
    for h in node.xpath(".//*[" + _xp_class("screen-reader-text") + " or " + _xp_class("sr-only") + "]"):
        _drop(h)
    return _text(node)


def _visible_len(el: HtmlElement) -> int:
    return len(re.sub(r"\s+", "", el.text_content()))


def _inside(el: HtmlElement, ancestor: HtmlElement) -> bool:
    return any(a is ancestor for a in el.iterancestors()) or el is ancestor


def _outside(el: HtmlElement, excluded: Iterable[HtmlElement]) -> bool:
    return not any(_inside(el, x) for x in excluded if x is not None)


def _is_comment_el(el: HtmlElement) -> bool:
    """True for comment-list entries and anything inside a comments area."""
    for node in [el, *el.iterancestors()]:
        cls = set(_classes(node))
        if cls & {"comment", "comment-body", "pingback", "trackback", "comments-area", "commentlist",
                  "comment-list", "wp-block-comments"}:
            return True
        if node.get("id") in {"comments", "respond"} or (node.get("id") or "").startswith("comment-"):
            return True
    return False


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    return WAYBACK.sub("", url)


def _norm_url(url: str) -> str:
    """Permalink key: scheme- and www-less, no trailing slash, no fragment."""
    parts = urlsplit(_clean_url(url))
    host = parts.netloc.lower().removeprefix("www.")
    path = unquote(parts.path).rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def _slug_from_link(url: str) -> str:
    path = urlsplit(_clean_url(url)).path.rstrip("/")
    if not path:
        return ""
    last = unquote(path.rsplit("/", 1)[-1])
    last = re.sub(r"\.(html?|php)$", "", last)
    if last in {"index", ""} or re.fullmatch(r"\d{1,4}", last):
        return ""
    return last


# --------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
    # German, French, Spanish, Dutch, Italian forms commonly seen in themes
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "mai": 5, "juni": 6, "juli": 7,
    "oktober": 10, "dezember": 12, "janvier": 1, "février": 2, "mars": 3, "avril": 4,
    "juin": 6, "juillet": 7, "août": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6,
    "julio": 7, "agosto": 8, "septiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8, "gennaio": 1,
    "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7, "settembre": 9,
    "ottobre": 10, "dicembre": 12,
}
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?",
)


def parse_date(value: str) -> datetime | None:
    """ISO 8601 or a human date ("May 26, 2015", "26. Mai 2015", "26.05.2015")."""
    value = (value or "").strip()
    if not value:
        return None
    m = _ISO.search(value)
    if m:
        y, mo, d, hh, mm, ss, tz = m.groups()
        iso = f"{y}-{mo}-{d}T{hh or '00'}:{mm or '00'}:{ss or '00'}"
        if tz:
            tz = "+00:00" if tz == "Z" else (tz if ":" in tz else f"{tz[:3]}:{tz[3:]}")
            iso += tz
        try:
            return datetime.fromisoformat(iso)
        except ValueError:
            return None
    return _parse_human_date(value)


def _parse_human_date(value: str) -> datetime | None:
    low = value.lower()
    clock = re.search(r"(\d{1,2}):(\d{2})\s*([ap]\.?m\.?)?", low)
    hour = minute = 0
    if clock:
        hour, minute = int(clock.group(1)), int(clock.group(2))
        if clock.group(3):
            hour = hour % 12 + (12 if clock.group(3).startswith("p") else 0)
    date = None
    m = re.search(r"([a-zäéû]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", low)
    if m and m.group(1) in MONTHS:
        date = (int(m.group(3)), MONTHS[m.group(1)], int(m.group(2)))
    if date is None:
        m = re.search(r"(\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:de\s+)?([a-zäéû]+)\.?,?\s+(?:de\s+)?(\d{4})", low)
        if m and m.group(2) in MONTHS:
            date = (int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)))
    if date is None:
        m = re.search(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b", low)
        if m:
            date = (int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if date is None:
        return None
    try:
        return datetime(date[0], date[1], date[2], hour if hour < 24 else 0, minute if minute < 60 else 0)
    except ValueError:
        return None


def _date_from_url(url: str) -> datetime | None:
    m = re.search(r"/((?:19|20)\d{2})/(\d{2})/(\d{2})/", urlsplit(url).path)
    if not m:
        return None
    try:
        return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


# --------------------------------------------------------------------------------------
# Page-level metadata
# --------------------------------------------------------------------------------------


@dataclass
class PageMeta:
    """What the page head says about the (single) item it shows."""

    title: str = ""
    html_title: str = ""
    site_name: str = ""
    url: str = ""
    canonical: str = ""
    base: str = ""
    type: str = ""
    published: str = ""
    modified: str = ""
    author: str = ""
    image: str = ""
    section: str = ""
    tags: list[str] = field(default_factory=list)
    generator: str = ""
    ld: dict = field(default_factory=dict)  # the Article-like JSON-LD object, if any
    body_classes: set[str] = field(default_factory=set)
    home_link: str = ""
    home_title: str = ""


_LD_TYPES = {"article", "blogposting", "newsarticle", "webpage", "report", "techarticle", "scholarlyarticle",
             "socialmediaposting", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle"}


def _ld_objects(data) -> Iterator[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _ld_objects(item)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity"):
            if key in data:
                yield from _ld_objects(data[key])


def _ld_type(obj: dict) -> set[str]:
    t = obj.get("@type", "")
    types = t if isinstance(t, list) else [t]
    return {str(x).lower() for x in types}


def _ld_name(value, graph: list[dict]) -> str:
    """Name of a JSON-LD person reference (object, list, @id pointer or string)."""
    if isinstance(value, list):
        names = [_ld_name(v, graph) for v in value]
        return ", ".join(n for n in names if n)
    if isinstance(value, str):
        return "" if value.startswith("http") else value
    if isinstance(value, dict):
        if value.get("name"):
            return str(value["name"])
        ref = value.get("@id")
        for obj in graph:
            if ref and obj.get("@id") == ref and obj.get("name"):
                return str(obj["name"])
    return ""


def _read_meta(root: HtmlElement) -> PageMeta:
    meta = PageMeta()
    metas: dict[str, list[str]] = {}
    for m in root.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        if key and m.get("content") is not None:
            metas.setdefault(key, []).append(m.get("content").strip())

    def first(*keys: str) -> str:
        for k in keys:
            for v in metas.get(k, []):
                if v:
                    return v
        return ""

    meta.title = first("og:title", "twitter:title")
    meta.site_name = first("og:site_name", "application-name")
    meta.url = first("og:url")
    meta.type = first("og:type").lower()
    meta.published = first("article:published_time", "datepublished", "date", "dc.date", "dc.date.issued")
    meta.modified = first("article:modified_time", "og:updated_time", "datemodified")
    author = first("author", "article:author", "dc.creator", "twitter:data1" if first("twitter:label1").lower().startswith(("written", "verfasst", "author")) else "")
    meta.author = "" if author.startswith("http") else author
    meta.image = first("og:image", "og:image:url", "og:image:secure_url", "twitter:image")
    meta.section = first("article:section")
    meta.tags = [t for t in metas.get("article:tag", []) if t]
    meta.generator = first("generator")
    title_el = root.find(".//title")
    meta.html_title = _text(title_el)
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and not meta.canonical:
            meta.canonical = _clean_url(link.get("href") or "")
    base = root.find(".//base")
    if base is not None and base.get("href"):
        meta.base = _clean_url(base.get("href"))
    graph: list[dict] = []
    for script in root.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except (ValueError, TypeError):
            continue
        graph.extend(_ld_objects(data))
    for obj in graph:
        if _ld_type(obj) & _LD_TYPES and ({"article", "blogposting", "newsarticle"} & _ld_type(obj) or not meta.ld):
            if not meta.ld or not (_ld_type(meta.ld) - {"webpage"}):
                meta.ld = {**obj, "_graph": graph}
    body = root.find(".//body")
    if body is not None:
        meta.body_classes = set(_classes(body))
    for a in root.xpath("//a[@rel]"):
        if "home" in a.get("rel", "").lower().split() and a.get("href"):
            meta.home_link = _clean_url(a.get("href"))
            meta.home_title = _text(a)
            break
    if not meta.home_title:
        for token in ("site-title", "wp-block-site-title", "blog-title", "logo"):
            els = _by_class(root, token) or root.xpath(f"//*[@id='{token}']")
            if els and _text(els[0]):
                meta.home_title = _text(els[0])
                link = els[0] if els[0].tag == "a" else els[0].find(".//a")
                if link is not None and link.get("href") and not meta.home_link:
                    meta.home_link = _clean_url(link.get("href"))
                break
    return meta


# --------------------------------------------------------------------------------------
# Post containers
# --------------------------------------------------------------------------------------

_POST_ID = re.compile(r"^post-(\d+)$")


def _post_id(el: HtmlElement) -> str:
    for token in _classes(el):
        m = _POST_ID.match(token)
        if m:
            return m.group(1)
    m = _POST_ID.match(el.get("id") or "")
    return m.group(1) if m else ""


def _find_containers(root: HtmlElement) -> list[HtmlElement]:
    """Outermost post containers in document order (comments excluded)."""
    body = root.find(".//body")
    scope = body if body is not None else root
    by_id: dict[str, list[HtmlElement]] = {}
    for el in scope.iter():
        if not isinstance(el.tag, str) or el is scope:
            continue
        pid = _post_id(el)
        if pid and not _is_comment_el(el):
            by_id.setdefault(pid, []).append(el)
    found = []
    for els in by_id.values():
        outer = [el for el in els if not any(_inside(el, o) for o in els if o is not el)]
        # several disjoint elements carry the id (a header band and the post): the post
        # is the one with a content wrapper, else the one with the most text
        found.append(max(outer, key=lambda el: (_content_element(el, [])[0] is not None, _visible_len(el))))
    if not found:
        markers = ("hentry", "type-post", "type-page", "wp-block-post", "post")
        for el in scope.iter():
            if not isinstance(el.tag, str) or el is scope:
                continue
            if (el.tag == "article" or set(_classes(el)) & set(markers)) and not _is_comment_el(el):
                found.append(el)
    # outermost only
    result = [el for el in found if not any(_inside(el, other) for other in found if other is not el)]
    return result


def _has_substance(el: HtmlElement) -> bool:
    return bool(_visible_len(el)) or el.find(".//img") is not None or el.find(".//iframe") is not None


def _candidates(container: HtmlElement, token: str, exclude: list[HtmlElement]) -> list[HtmlElement]:
    """Outermost elements of class ``token`` in ``container`` that are not comments."""
    cands = [el for el in _by_class(container, token) if not _is_comment_el(el) and _outside(el, exclude)]
    return [el for el in cands if not any(_inside(el, o) for o in cands if o is not el)]


def _content_element(container: HtmlElement, exclude: list[HtmlElement]) -> tuple[HtmlElement | None, bool]:
    """The content wrapper inside ``container`` and whether it is a summary (excerpt).

    Standard wrappers (``.entry-content`` and kin) win in order of specificity; failing
    those, microdata ``articleBody`` and the older theme wrappers compete on text length.
    """
    for token in CONTENT_CLASSES:
        cands = [el for el in _candidates(container, token, exclude) if _has_substance(el)]
        if cands:
            return max(cands, key=_visible_len), False
    weak = [el for el in container.xpath(".//*[@itemprop='articleBody']")
            if _outside(el, exclude) and _has_substance(el)]
    for token in WEAK_CONTENT_CLASSES:
        weak += [el for el in _candidates(container, token, exclude) if _has_substance(el)]
    # custom themes name their wrappers after the standard ones ("cat-two-entry-content")
    xp = " or ".join(f"contains(@class, '{w}')" for w in CONTENT_CLASSES[:3])
    weak += [el for el in container.xpath(f".//*[{xp}]") if _outside(el, exclude) and not _is_comment_el(el)
             and _has_substance(el) and not any(el is w for w in weak)
             and not set(_classes(el)) & set(SUMMARY_CLASSES)]
    if weak:
        best = max(weak, key=_visible_len)
        # prefer the innermost wrapper that still holds nearly all of the text
        inner = [el for el in weak if el is not best and _inside(el, best)
                 and _visible_len(el) >= 0.9 * _visible_len(best)]
        return (max(inner, key=_visible_len) if inner else best), False
    for token in SUMMARY_CLASSES:
        cands = [el for el in _candidates(container, token, exclude) if _has_substance(el)]
        if cands:
            return max(cands, key=_visible_len), True
    return None, False


# --------------------------------------------------------------------------------------
# Fields inside a container
# --------------------------------------------------------------------------------------


def _first(container: HtmlElement, tokens: Iterable[str], exclude: list[HtmlElement]) -> HtmlElement | None:
    for token in tokens:
        for el in _by_class(container, token):
            if _outside(el, exclude) and not _is_comment_el(el):
                return el
    return None


def _title_element(container: HtmlElement, content: HtmlElement | None, loose: bool = True) -> HtmlElement | None:
    """The post's title element: title classes, a ``rel=bookmark`` heading link, microdata
    ``headline``; with ``loose``, else the first ``h1``/``h2`` outside the content."""
    excl = [content] if content is not None else []
    el = _first(container, TITLE_CLASSES, excl)
    if el is not None and _text(el):
        return el
    for a in container.xpath(".//h1//a[contains(@rel,'bookmark')]|.//h2//a[contains(@rel,'bookmark')]"
                             "|.//h3//a[contains(@rel,'bookmark')]"):
        if _outside(a, excl):
            return a
    for el in container.xpath(".//*[@itemprop='headline' or @itemprop='name headline']"):
        if _outside(el, excl) and _text(el):
            return el
    if not loose:
        return None
    for tag in ("h1", "h2"):
        for el in container.iter(tag):
            if _outside(el, excl) and not _is_comment_el(el) and _text(el):
                return el
    return None


def _permalink(container: HtmlElement, title_el: HtmlElement | None) -> str:
    if title_el is not None:
        links = [title_el] if title_el.tag == "a" else title_el.xpath(".//a[@href]")
        for a in links:
            if a.get("href"):
                return _clean_url(a.get("href"))
    for a in container.xpath(".//a[@href][contains(concat(' ', normalize-space(@rel), ' '), ' bookmark ')]"):
        if not _is_comment_el(a):
            return _clean_url(a.get("href"))
    return ""


def _dates(container: HtmlElement, exclude: list[HtmlElement]) -> tuple[datetime | None, datetime | None]:
    published = modified = None
    for el in container.xpath(".//time[@datetime]|.//abbr[@title]|.//*[@itemprop='datePublished' or "
                              "@itemprop='dateModified' or @itemprop='dateCreated']"):
        if not _outside(el, exclude) or _is_comment_el(el):
            continue
        cls = set(_classes(el))
        prop = el.get("itemprop") or ""
        if el.tag == "abbr" and not cls & {"published", "updated", "entry-date"}:
            continue
        value = el.get("datetime") or el.get("content") or el.get("title") or _text(el)
        when = parse_date(value)
        if when is None:
            continue
        if "updated" in cls and "published" not in cls or prop == "dateModified":
            modified = modified or when
        else:
            published = published or when
    if published is None:
        el = _first(container, ("published", "entry-date", "post-date", "posted-on", "wp-block-post-date",
                                "date", "entry-time", "meta-date", "postdate"), exclude)
        if el is not None:
            text = _text(el)
            link = el if el.tag == "a" else next(iter(el.iterancestors("a")), None)
            if link is not None and link.get("title") and re.search(r"\d:\d\d", link.get("title")):
                text = f"{text} {link.get('title')}"
            published = parse_date(text)
    if published is None:
        # old themes print the date as bare text ("<small>September 3rd, 2007</small>")
        for el in container.iter("small", "span", "p", "div", "abbr", "em"):
            text = _text(el)
            if 4 < len(text) < 60 and _outside(el, exclude) and not _is_comment_el(el):
                when = _parse_human_date(text)
                if when is not None:
                    published = when
                    break
    return published, modified


def _author(container: HtmlElement, exclude: list[HtmlElement]) -> tuple[str, str]:
    """(display name, login) of the post's author from byline markup."""
    login = ""
    for token in _classes(container):
        if token.startswith("author-") and len(token) > 7:
            login = token[7:]
            break
    queries = (
        ".//*[" + _xp_class("author") + "]//*[" + _xp_class("fn") + "]",
        ".//*[" + _xp_class("vcard") + "]//*[" + _xp_class("fn") + "]",
        ".//a[contains(concat(' ', normalize-space(@rel), ' '), ' author ')]",
        ".//*[@itemprop='author']//*[@itemprop='name']",
        ".//*[" + _xp_class("wp-block-post-author-name") + "]",
        ".//*[" + _xp_class("entry-author-name") + "]",
        ".//*[" + _xp_class("author-name") + "]",
        ".//*[" + _xp_class("post-author-name") + "]",
        ".//*[" + _xp_class("byline-author") + "]",
        ".//*[" + _xp_class("byline") + "]//*[" + _xp_class("author") + "]",
        ".//*[" + _xp_class("post-author") + "]//a",
        ".//*[" + _xp_class("byline") + "]//a",
        ".//*[@itemprop='author']",
    )
    candidates = [el for q in queries for el in container.xpath(q)]
    for el in candidates:
        if not _outside(el, exclude) or _is_comment_el(el):
            continue
        if any(set(_classes(a)) & {"author-info", "author-bio", "author-box", "about-author"}
               for a in el.iterancestors()):
            continue
        name = _text_without_assistive(el)
        name = re.sub(r"^(by|von|par|por|door|di)\s+", "", name, flags=re.I).strip()
        if name and len(name) < 80:
            href = el.get("href") or ""
            m = re.search(r"/author/([^/?#]+)", href)
            if m and not login:
                login = unquote(m.group(1))
            return name, login
    return "", login


def _terms(container: HtmlElement, exclude: list[HtmlElement]) -> list[Term]:
    terms: list[Term] = []
    seen: set[tuple[str, str]] = set()

    def add(taxonomy: str, slug: str, name: str) -> None:
        key = (taxonomy, slug or slugify(name))
        if key in seen or not key[1]:
            return
        seen.add(key)
        terms.append(Term(taxonomy=taxonomy, slug=key[1], name=name or key[1]))

    link_xp = (".//a[@href][contains(concat(' ', normalize-space(@rel), ' '), ' tag ')]"
               "|.//*[" + "or".join(f" {_xp_class(t)} " for t in (
                   "cat-links", "tags-links", "tag-links", "entry-categories", "entry-tags", "post-categories",
                   "post-tags", "wp-block-post-terms", "entry-utility", "postmetadata")) + "]//a[@href]")
    for a in container.xpath(link_xp):
        if not _outside(a, exclude) or _is_comment_el(a):
            continue
        href = _clean_url(a.get("href"))
        path = urlsplit(href).path
        query = urlsplit(href).query
        rel = (a.get("rel") or "").lower().split()
        if "/category/" in path or re.search(r"(^|&)cat=", query):
            taxonomy = "category"
        elif "/tag/" in path or re.search(r"(^|&)tag=", query):
            taxonomy = "post_tag"
        elif "tag" in rel:
            taxonomy = "category" if "category" in rel else "post_tag"
        else:
            continue
        m = re.search(r"(?:^|&)(?:cat|tag)=([^&]+)", query)
        slug = unquote(m.group(1)) if m and not m.group(1).isdigit() else _slug_from_link(href)
        name = re.sub(r"^[\W_]+(?=\w)", "", _text(a)).strip()  # "› Gebäck", "# tag"
        add(taxonomy, slug.lower(), name)
    # post_class() puts sanitize_html_class(slug) on the container: terms without a link
    have = {(tax, _html_class(slug)) for tax, slug in seen}
    for token in _classes(container):
        for prefix, taxonomy in (("category-", "category"), ("tag-", "post_tag")):
            if token.startswith(prefix) and len(token) > len(prefix):
                slug = token[len(prefix):]
                if not slug.isdigit() and (taxonomy, slug) not in have:
                    add(taxonomy, slug, slug)
    return terms


def _html_class(slug: str) -> str:
    """WordPress's sanitize_html_class(): drop percent-escapes and anything but [A-Za-z0-9_-]."""
    from urllib.parse import quote

    return re.sub(r"[^A-Za-z0-9_-]", "", re.sub(r"%[a-fA-F0-9]{2}", "", quote(slug, safe="-_")))


def _img_src(img: HtmlElement) -> str:
    for attr in SWAP_SRC_ATTRS:
        value = (img.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            return _clean_url(value)
    src = img.get("src") or ""
    name = src.rsplit("/", 1)[-1].lower()
    if not src or src.startswith("data:") or any(w in name for w in ("blank", "placeholder", "holder", "spacer",
                                                                     "transparent", "pixel", "lazy")):
        for attr in LAZY_SRC_ATTRS:
            if img.get(attr):
                return _clean_url(img.get(attr))
        srcset = img.get("data-srcset") or img.get("data-lazy-srcset") or img.get("srcset") or ""
        if srcset.strip():
            return _clean_url(srcset.split(",")[0].split()[0])
    return _clean_url(src)


def _featured_image(container: HtmlElement, content: HtmlElement | None) -> str:
    excl = [content] if content is not None else []
    for img in container.xpath(".//img[" + _xp_class("wp-post-image") + "]"):
        if _outside(img, excl) and _img_src(img):
            return _img_src(img)
    el = _first(container, ("post-thumbnail", "wp-block-post-featured-image", "featured-image", "entry-thumbnail",
                            "post-image", "entry-featured-image", "featured-media"), excl)
    if el is not None:
        img = el if el.tag == "img" else el.find(".//img")
        if img is not None and _img_src(img):
            return _img_src(img)
    return ""


# --------------------------------------------------------------------------------------
# Content cleaning
# --------------------------------------------------------------------------------------


def _is_chrome(el: HtmlElement) -> bool:
    if el.tag in CHROME_TAGS:
        return True
    if el.get("hidden") is not None or HIDDEN_STYLE.search(el.get("style") or ""):
        return True
    if el.get("aria-hidden") == "true" and not _text(el) and el.find(".//img") is None:
        return True
    if (el.get("id") or "") in CHROME_IDS:
        return True
    for token in _classes(el):
        low = token.lower()
        if low in CHROME_TOKENS or low.startswith(CHROME_PREFIXES) or CHROME_WORDS.search(low):
            return True
    if el.get("itemprop") in {"datePublished", "dateModified", "author", "publisher", "headline"}:
        return True  # microdata metadata repeated inside the body
    if el.tag == "a" and SHARE_URL.search(el.get("href") or ""):
        return True
    if el.tag in {"h1", "h2", "h3", "h4"} and el.xpath(".//a[contains(concat(' ', normalize-space(@rel), ' '), "
                                                      "' bookmark ')]") and not (el.text or "").strip():
        return True  # a linked post title: another item's card, not the post's own text
    return False


def _is_end_marker(el: HtmlElement) -> bool:
    return bool(set(_classes(el)) & END_MARKERS) or (el.get("id") or "") in {"jp-post-flair", "comments", "respond",
                                                                            "jp-relatedposts", "disqus_thread"}


def _truncate_after_end_marker(node: HtmlElement) -> None:
    """Drop the first plugin end marker at the top level of ``node`` and everything after it."""
    children = list(node)
    for i, child in enumerate(children):
        if isinstance(child.tag, str) and (_is_end_marker(child) or any(
                _is_end_marker(d) for d in child.iterdescendants() if isinstance(d.tag, str)) and not _visible_len_before_marker(child)):
            for later in children[i:]:
                _drop(later)
            return


def _visible_len_before_marker(el: HtmlElement) -> int:
    """Length of text inside ``el`` that precedes its first end marker."""
    total = 0
    for node in el.iter():
        if isinstance(node.tag, str) and node is not el and _is_end_marker(node):
            return total
        if node is not el:
            total += len((node.text or "").strip()) if isinstance(node.tag, str) else 0
        total += len((node.tail or "").strip()) if node is not el else 0
    return total


def _drop(el) -> None:
    """Remove ``el`` (element, comment or processing instruction) but keep its tail text."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _resolve(url: str, base: str) -> str:
    url = _clean_url(url)
    if not base or not url or url.startswith(("data:", "mailto:", "tel:", "javascript:", "#")):
        return url
    try:
        return urljoin(base, url)
    except ValueError:
        return url


def _unlazy_images(root: HtmlElement) -> None:
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
        real = _img_src(img)
        if real and real != img.get("src"):
            img.set("src", real)
        for attr in LAZY_SRC_ATTRS + ("data-srcset", "data-lazy-srcset", "data-lazy-sizes"):
            if attr in img.attrib:
                del img.attrib[attr]


def clean_content(content: HtmlElement, base: str = "", drop: Iterable[HtmlElement] = ()) -> tuple[str, bool]:
    """Inner HTML of ``content`` with theme chrome removed; also whether a more-link was seen.

    ``drop`` lists elements (inside ``content``) to remove too, e.g. a title repeated inside.
    """
    drop_ids = {id(el) for el in drop}
    node = copy.deepcopy(content)
    # map dropped originals onto the copy by position
    originals = list(content.iter())
    copies = list(node.iter())
    for orig, cp in zip(originals, copies):
        if id(orig) in drop_ids and cp is not node:
            cp.attrib["data-migrator-drop"] = "1"
    more = bool(node.xpath(".//a[" + _xp_class("more-link") + "]|.//*[" + _xp_class("more-link") + "]"
                           "|.//span[starts-with(@id, 'more-')]"))
    more = more or bool(node.xpath(".//a[" + " or ".join(_xp_class(t) for t in (
        "read-more", "readmore", "wp-block-post-excerpt__more-link", "wp-block-read-more")) + "]"))
    _unlazy_images(node)
    for el in list(node.iter(etree.Comment, etree.ProcessingInstruction)):
        _drop(el)
    _truncate_after_end_marker(node)
    for el in list(node.iter()):
        if el is node or not isinstance(el.tag, str):
            continue
        if el.getparent() is None:
            continue
        if el.get("data-migrator-drop") or _is_chrome(el):
            _drop(el)
    for el in node.xpath(".//span[starts-with(@id, 'more-')]"):
        if not _text(el):
            _drop(el)
    # paragraphs left empty by the removals (e.g. the <p> around a more-link)
    for el in list(node.iter("p", "div", "span")):
        if el.getparent() is None or el is node:
            continue
        if not _text(el) and el.find(".//img") is None and el.find(".//iframe") is None \
                and el.find(".//video") is None and el.find(".//audio") is None and el.find(".//br") is None:
            _drop(el)
    for el in node.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("href", "src"):
            if el.get(attr):
                el.set(attr, _resolve(el.get(attr), base))
        if el.get("srcset"):
            parts = []
            for item in el.get("srcset").split(","):
                bits = item.split()
                if bits:
                    parts.append(" ".join([_resolve(bits[0], base), *bits[1:]]))
            el.set("srcset", ", ".join(parts))
    html = _escape_text(node.text or "")
    html += "".join(lxml_html.tostring(child, encoding="unicode") for child in node)
    return html.strip(), more


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --------------------------------------------------------------------------------------
# Page reading
# --------------------------------------------------------------------------------------


@dataclass
class PageResult:
    kind: str  # "single", "index" or "generic"
    documents: list[Document]
    image_refs: dict[str, list[str]]  # document id -> raw image references (before resolving)


_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _decode(data: bytes) -> str:
    """The page as text, without the control characters lxml cannot hold."""
    return _NOT_XML_CHARS.sub(lambda m: " " if m.group() in "\x0b\x0c" else "", _decode_bytes(data))


def _decode_bytes(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = re.search(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", data[:8192])
    if m:
        try:
            return data.decode(m.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return data.decode("cp1252", errors="replace")


def _parse(text: str) -> HtmlElement:
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    text = CONTROL_CHARS.sub("", text)
    return lxml_html.document_fromstring(text)


def _doc_id(permalink: str, title: str, date: datetime | None) -> str:
    key = _norm_url(permalink) if permalink else f"{title}|{date.isoformat() if date else ''}"
    return "html-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def _strip_site_suffix(title: str, site_name: str) -> str:
    for sep in (" | ", " – ", " — ", " - ", " :: ", " » ", " « "):
        if sep in title:
            head, _, tail = title.rpartition(sep)
            if not site_name or tail.strip().lower() == site_name.lower() or len(tail) < len(head):
                return head.strip()
    return title


def _page_kind(meta: PageMeta, containers: list[HtmlElement]) -> str:
    body = meta.body_classes
    if body & SINGLE_BODY or any(c.startswith(("single-format-", "postid-", "page-id-")) for c in body):
        return "single"
    if body & INDEX_BODY:
        return "index"
    if len(containers) <= 1 or meta.type == "article":
        return "single"
    return "index"


def _main_container(meta: PageMeta, containers: list[HtmlElement]) -> HtmlElement | None:
    want = ""
    for c in meta.body_classes:
        m = re.match(r"^(?:postid|page-id)-(\d+)$", c)
        if m:
            want = m.group(1)
    if want:
        for el in containers:
            if _post_id(el) == want:
                return el
    scored = []
    for el in containers:
        content, _ = _content_element(el, [])
        scored.append((_visible_len(content) if content is not None else _visible_len(el) // 4, el))
    if not scored:
        return None
    return max(scored, key=lambda s: s[0])[1]


def _ld_value(ld: dict, *keys: str) -> str:
    for k in keys:
        v = ld.get(k)
        if isinstance(v, str) and v:
            return v
        if isinstance(v, dict):
            for kk in ("url", "@id", "contentUrl"):
                if isinstance(v.get(kk), str):
                    return v[kk]
        if isinstance(v, list) and v:
            first = v[0]
            if isinstance(first, str):
                return first
            if isinstance(first, dict):
                for kk in ("url", "@id", "contentUrl"):
                    if isinstance(first.get(kk), str):
                        return first[kk]
    return ""


def _leading_heading(content: HtmlElement) -> HtmlElement | None:
    """An ``h1`` that opens the content before any text: the post title inside the body."""
    for el in content.iter():
        if not isinstance(el.tag, str) or el is content:
            continue
        if el.tag == "h1" and _text(el):
            return el
        if el.tag in {"p", "li", "td", "pre", "blockquote", "h2", "h3"} and _text(el):
            return None
        if (el.text or "").strip() and el.tag not in {"span", "a", "div", "time"}:
            return None
    return None


def _sitewide_image(url: str, root: HtmlElement, container: HtmlElement) -> bool:
    """True when the page shows ``url``'s file outside the post (a header or default image)."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    if not name:
        return True
    for img in root.iter("img"):
        if name in (_img_src(img) or "") and not _inside(img, container):
            return True
    for el in root.xpath("//*[@style][contains(@style, 'url(')]|//style"):
        if not _inside(el, container) and name in ((el.get("style") or "") + (el.text or "")):
            return True
    return False


def _is_site_icon(url: str) -> bool:
    low = url.lower()
    return any(s in low for s in ("blavatar", "gravatar.com/avatar", "/i/blank.jpg", "webclip", "site-icon",
                                  "cropped-", "favicon", "/logo"))


def _build_document(
    container: HtmlElement,
    content: HtmlElement,
    summary: bool,
    meta: PageMeta,
    single: bool,
    source: str,
    root: HtmlElement,
) -> tuple[Document, list[str]]:
    whole = content is container  # no content wrapper: the container itself, minus its chrome
    title_el = _title_element(container, None if whole else content, loose=not whole)
    if title_el is None:
        title_el = _leading_heading(content)
    title = _text(title_el)
    ld = meta.ld if single else {}
    if single and not title:
        title = meta.title or str(ld.get("headline") or "") or _strip_site_suffix(meta.html_title, meta.site_name)
    permalink = _permalink(container, title_el)
    if single:
        permalink = meta.canonical or meta.url or permalink or _ld_value(ld, "url", "mainEntityOfPage")
    base = meta.base or meta.canonical or meta.url or permalink
    if permalink:
        permalink = _resolve(permalink, base)
    content_excl = [] if whole else [content]
    published, modified = _dates(container, content_excl)
    if single:
        head_pub = parse_date(meta.published) or parse_date(str(ld.get("datePublished") or ""))
        head_mod = parse_date(meta.modified) or parse_date(str(ld.get("dateModified") or ""))
        # prefer the head's dates when they carry the offset the byline lacks
        if head_pub and (published is None or (published.tzinfo is None and head_pub.tzinfo is not None
                                               and head_pub.date() == published.date())):
            published = head_pub
        if head_mod and (modified is None or modified.tzinfo is None):
            modified = head_mod
    if published is None and permalink:
        published = _date_from_url(permalink)
    author, login = _author(container, content_excl)
    if single and not author:
        author = meta.author or _ld_name(ld.get("author"), ld.get("_graph", []))
    terms = _terms(container, content_excl)
    if single and not any(t.name != t.slug for t in terms):
        # the theme prints the term links outside the post container
        chrome = root.xpath("//aside|//nav|//*[" + _xp_class("widget") + "]|//*[@id='comments']")
        linked = [t for t in _terms(root, [content, *chrome]) if t.name != t.slug]
        known = {(t.taxonomy, _html_class(t.slug)) for t in linked}
        terms = linked + [t for t in terms if (t.taxonomy, t.slug) not in known]
    if single:
        have = {(t.taxonomy, t.name.lower()) for t in terms}
        if meta.section and ("category", meta.section.lower()) not in have and not any(
                t.taxonomy == "category" for t in terms):
            terms.append(Term("category", slugify(meta.section), meta.section))
        for tag in meta.tags:
            if ("post_tag", tag.lower()) not in have and not any(t.slug == slugify(tag) for t in terms
                                                                  if t.taxonomy == "post_tag"):
                terms.append(Term("post_tag", slugify(tag), tag))
    featured = _featured_image(container, None if whole else content)
    if single and not featured:
        og = _clean_url(meta.image or _ld_value(ld, "image", "thumbnailUrl"))
        if og and not _is_site_icon(og) and not _sitewide_image(og, root, container):
            featured = og
    drop = [title_el] if title_el is not None and _inside(title_el, content) else []
    if whole:
        drop += [el for el in content.iter("header", "footer") if el is not content]
    raw_images = [_img_src(img) for img in content.iter("img") if _img_src(img)]
    html, more = clean_content(content, base, drop)
    more = more or bool(container.xpath(".//a[" + _xp_class("more-link") + "]"))
    doc_type = "post"
    if "type-page" in _classes(container) or (single and "page" in meta.body_classes):
        doc_type = "page"
    elif "type-attachment" in _classes(container) or (single and "attachment" in meta.body_classes):
        doc_type = "attachment"
    slug = _slug_from_link(permalink) if permalink and "?" not in permalink else ""
    slug = slug or slugify(title)
    doc = Document(
        id=_doc_id(permalink, title, published),
        type=doc_type,
        status="publish",
        title=title,
        slug=slug,
        content=html,
        content_kind="rendered",
        date=published,
        modified=modified,
        author=author,
        author_login=login,
        terms=terms,
        link=permalink,
        guid=permalink,
        source=source,
    )
    if featured:
        doc.extra["featured_image"] = _resolve(featured, base)
        raw_images.insert(0, featured)
    pid = _post_id(container)
    if pid:
        doc.extra["post_id"] = pid
    if summary or (more and not single):
        doc.extra["partial"] = True
    return doc, raw_images


def _fill_site(site: Site, meta: PageMeta) -> None:
    if not site.title:
        site.title = meta.site_name or meta.home_title
    if not site.link and meta.home_link:
        site.link = meta.home_link
    if not site.generator and meta.generator:
        site.generator = meta.generator


def _generic(text: str, meta: PageMeta, source: str, problems: list[Problem]) -> PageResult:
    """Main content of a page without WordPress markup, via trafilatura."""
    problems.append(Problem("warning", "html-generic-extraction",
                            "no WordPress post markup found; used a generic main-content extractor",
                            source=source))
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - dependency declared in pyproject
        problems.append(Problem("error", "html-no-extractor", "trafilatura is not installed", source=source))
        return PageResult("generic", [], {})
    url = meta.canonical or meta.url or None
    try:
        body = trafilatura.extract(text, url=url, output_format="html", include_images=True, include_links=True,
                                   include_formatting=True, include_tables=True, include_comments=False)
        md = trafilatura.extract_metadata(text, default_url=url)
    except Exception as exc:  # noqa: BLE001 - third-party extractor: any failure is a problem record
        problems.append(Problem("error", "html-generic-failed", f"generic extraction failed: {exc}", source=source))
        return PageResult("generic", [], {})
    if not body:
        problems.append(Problem("warning", "html-no-content", "no main content found on the page", source=source))
        return PageResult("generic", [], {})
    root = lxml_html.document_fromstring(body)
    node = root.find(".//body") if root.find(".//body") is not None else root
    html, _ = clean_content(node, url or "")
    title = (md.title if md and md.title else "") or _strip_site_suffix(meta.html_title, meta.site_name)
    link = _clean_url((md.url if md and md.url else "") or url or "")
    date = parse_date(meta.published) or parse_date(md.date if md and md.date else "")
    doc = Document(
        id=_doc_id(link, title, date),
        type="post",
        title=title,
        slug=_slug_from_link(link) or slugify(title),
        content=html,
        content_kind="rendered",
        date=date,
        modified=parse_date(meta.modified),
        author=(md.author if md and md.author else "") or meta.author,
        terms=[Term("category", slugify(c), c) for c in (md.categories or [] if md else [])]
        + [Term("post_tag", slugify(t), t) for t in (md.tags or [] if md else [])],
        link=link,
        guid=link,
        source=source,
    )
    image = (md.image if md and md.image else "") or meta.image
    if image:
        doc.extra["featured_image"] = image
    doc.extra["generic"] = True
    refs = [image] if image else []
    refs += [img.get("src") for img in node.iter("img") if img.get("src")]
    return PageResult("generic", [doc], {doc.id: refs})


def extract_page(text: str, source: str, site: Site, problems: list[Problem]) -> PageResult:
    """Read every post on one page (already decoded HTML text)."""
    try:
        root = _parse(text)
    except (etree.ParserError, ValueError) as exc:
        problems.append(Problem("error", "html-unreadable", f"cannot parse HTML: {exc}", source=source))
        return PageResult("generic", [], {})
    meta = _read_meta(root)
    _fill_site(site, meta)
    containers = _find_containers(root)
    kind = _page_kind(meta, containers)
    pairs: list[tuple[HtmlElement, HtmlElement, bool]] = []
    if kind == "single":
        main = _main_container(meta, containers)
        content, summary = _content_element(main, []) if main is not None else (None, False)
        if content is None:
            # no container, or a container without a known content wrapper: look page-wide
            body = root.find(".//body")
            scope = body if body is not None else root
            content, summary = _content_element(scope, [])
            if content is not None:
                main = main if main is not None and _inside(content, main) else _ancestor_container(content, scope)
        if main is not None and content is None:
            content = main  # a post container without a known wrapper: use it whole
        if main is not None and content is not None:
            pairs.append((main, content, summary))
    else:
        for el in containers:
            content, summary = _content_element(el, [])
            if content is not None:
                pairs.append((el, content, summary))
    if not pairs:
        return _generic(text, meta, source, problems)
    docs: list[Document] = []
    refs: dict[str, list[str]] = {}
    seen: set[str] = set()
    for container, content, summary in pairs:
        doc, raw = _build_document(container, content, summary, meta, kind == "single", source, root)
        if doc.id in seen:
            continue
        if not doc.title and not doc.content:
            continue
        seen.add(doc.id)
        docs.append(doc)
        refs[doc.id] = raw
        if not doc.title:
            problems.append(Problem("warning", "html-no-title", "post without a title", id=doc.id, source=source))
        if not doc.content:
            problems.append(Problem("warning", "html-empty-content", "post content is empty", id=doc.id,
                                    source=source))
    return PageResult(kind, docs, refs)


def _ancestor_container(content: HtmlElement, scope: HtmlElement) -> HtmlElement:
    """The nearest ancestor of ``content`` holding a marked-up post title, else ``content``."""
    for anc in content.iterancestors():
        if _title_element(anc, content, loose=False) is not None:
            return anc
        if anc is scope:
            break
    return content


def read_html(path: Path, site: Site, problems: list[Problem]) -> Iterator[Document]:
    """Yield one document per post found on the page (content_kind="rendered" HTML)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        problems.append(Problem("error", "html-unreadable", f"cannot read file: {exc}", source=str(path)))
        return
    result = extract_page(_decode(data), str(path), site, problems)
    yield from result.documents


# --------------------------------------------------------------------------------------
# Mirrors (wget / HTTrack / "Save page as" folders)
# --------------------------------------------------------------------------------------


def _mirror_pages(directory: Path) -> list[Path]:
    pages = [p for p in directory.rglob("*") if p.is_file() and p.suffix.lower() in {".html", ".htm"}]
    return sorted(pages, key=lambda p: p.relative_to(directory).as_posix())


def _local_image(ref: str, page: Path, directory: Path) -> str:
    """Path (relative to the mirror, posix) of the file a page's image reference points at."""
    ref = _clean_url(ref)
    if not ref or ref.startswith("data:"):
        return ""
    parts = urlsplit(ref)
    candidates: list[Path] = []
    path = unquote(parts.path)
    if not parts.scheme and not parts.netloc:
        if path.startswith("/"):
            candidates.append(directory / path.lstrip("/"))
        else:
            candidates.append(page.parent / path)
            if parts.query:
                candidates.append(page.parent / f"{path}?{parts.query}")
    else:
        rel = path.lstrip("/")
        for base in (directory / parts.netloc, directory):
            if parts.query:
                candidates.append(base / f"{rel}?{parts.query}")
            candidates.append(base / rel)
    root = directory.resolve()
    for cand in candidates:
        try:
            resolved = cand.resolve()
            if resolved.is_file() and resolved.is_relative_to(root):
                return resolved.relative_to(root).as_posix()
        except (OSError, ValueError):
            continue
    return ""


def read_mirror(directory: Path, site: Site, problems: list[Problem]) -> Iterator[Document]:
    """Yield each post of a saved site folder once.

    A post's single page wins over its excerpts on index pages; index pages contribute only
    posts that have no single page (matched on permalink, else title).
    """
    directory = Path(directory)
    singles: list[tuple[Document, list[str], Path]] = []
    listed: list[tuple[Document, list[str], Path]] = []
    for page in _mirror_pages(directory):
        try:
            text = _decode(page.read_bytes())
        except OSError as exc:
            problems.append(Problem("error", "html-unreadable", f"cannot read file: {exc}", source=str(page)))
            continue
        result = extract_page(text, str(page), site, problems)
        bucket = listed if result.kind == "index" else singles
        for doc in result.documents:
            bucket.append((doc, result.image_refs.get(doc.id, []), page))

    chosen: list[tuple[Document, list[str], Path]] = []
    by_link: dict[str, int] = {}
    by_title: dict[str, int] = {}

    def keys(doc: Document) -> tuple[str, str]:
        return (_norm_url(doc.link) if doc.link else "", doc.title.strip().lower())

    def remember(entry, link: str, title: str) -> None:
        chosen.append(entry)
        if link:
            by_link[link] = len(chosen) - 1
        if title:
            by_title.setdefault(title, len(chosen) - 1)

    for entry in singles:
        link, title = keys(entry[0])
        if link and link in by_link:
            continue
        if not link and title and title in by_title:
            continue
        remember(entry, link, title)
    single_count = len(chosen)
    for entry in listed:
        link, title = keys(entry[0])
        hit = by_link.get(link) if link else None
        if hit is None and title and title in by_title:
            hit = by_title[title]
        if hit is not None:
            if hit >= single_count and chosen[hit][0].extra.get("partial") and not entry[0].extra.get("partial"):
                chosen[hit] = entry  # a fuller excerpt of a post without a single page
            continue
        remember(entry, link, title)

    for doc, refs, page in chosen:
        local: list[str] = []
        for ref in refs:
            found = _local_image(ref, page, directory)
            if found and found not in local:
                local.append(found)
        if local:
            doc.extra["images_local"] = local
        yield doc
