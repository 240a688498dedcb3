"""What a page's head says: Open Graph and ``article:*`` meta, JSON-LD, canonical link, title.

These describe the one item a single page shows; the reader trusts them for dates (JSON-LD first)
and uses them to check and complete what the post's own markup says.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ...urls import urlsplit
from . import vocabulary as V
from .dom import HtmlElement, clean_url, classes, text

_LD_TYPES = {
    "article",
    "blogposting",
    "newsarticle",
    "webpage",
    "report",
    "techarticle",
    "scholarlyarticle",
    "socialmediaposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
}
_ARTICLE_TYPES = _LD_TYPES - {"webpage"}


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
    ld_site_name: str = ""
    body_classes: set[str] = field(default_factory=set)
    home_link: str = ""
    home_title: str = ""

    home_texts: list[str] = field(default_factory=list)  # texts of links to the site's front page

    @property
    def site_names(self) -> list[str]:
        """Every name the page gives the site (Open Graph, JSON-LD, the header's site title, the
        text of a link to the front page)."""
        names = (self.site_name, self.ld_site_name, self.home_title, *self.home_texts)
        return [n for n in dict.fromkeys(names) if n]


# --------------------------------------------------------------------------------------------
# JSON-LD

#: ``<![CDATA[ ... ]]>`` around the data, itself maybe inside ``//``, ``/* */`` or ``<!-- -->`` comments.
_CDATA = re.compile(
    r"^\s*(?:<!--)?\s*(?://|/\*)?\s*<!\[CDATA\[\s*(?:\*/)?(.*?)(?://|/\*)?\s*\]\]>\s*(?:\*/)?\s*(?:-->)?\s*$", re.S
)


def json_ld(source: str):
    """The data of one ``<script type="application/ld+json">``, or None.

    Plugins wrap it in ``<![CDATA[ ]]>`` or HTML comments, or leave control characters and
    trailing commas in; those are read too.
    """
    raw = (source or "").strip()
    m = _CDATA.match(raw)
    if m:
        raw = m.group(1).strip()
    raw = raw.removeprefix("<!--").removesuffix("-->").strip()
    for attempt in (
        raw,
        re.sub(r"[\x00-\x1f]", " ", raw),
        re.sub(r",\s*([}\]])", r"\1", re.sub(r"[\x00-\x1f]", " ", raw)),
    ):
        try:
            return json.loads(attempt)
        except (ValueError, TypeError):
            continue
    return None


def ld_objects(data) -> Iterator[dict]:
    if isinstance(data, list):
        for item in data:
            yield from ld_objects(item)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity"):
            if key in data:
                yield from ld_objects(data[key])


def ld_type(obj: dict) -> set[str]:
    t = obj.get("@type", "")
    types = t if isinstance(t, list) else [t]
    return {str(x).lower() for x in types}


def ld_name(value, graph: list[dict]) -> str:
    """Name of a JSON-LD person reference (object, list, @id pointer or string)."""
    if isinstance(value, list):
        names = [ld_name(v, graph) for v in value]
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


def ld_value(ld: dict, *keys: str) -> str:
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


# --------------------------------------------------------------------------------------------
# The head


def read_meta(root: HtmlElement) -> PageMeta:
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
    label = first("twitter:label1").lower()
    author = first(
        "author",
        "article:author",
        "dc.creator",
        "twitter:data1" if label.startswith(("written", "verfasst", "author")) else "",
    )
    meta.author = "" if author.startswith("http") else author
    meta.image = first("og:image", "og:image:url", "og:image:secure_url", "twitter:image")
    meta.section = first("article:section")
    meta.tags = [t for t in metas.get("article:tag", []) if t]
    meta.generator = first("generator")
    meta.html_title = text(root.find(".//title"))
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and not meta.canonical:
            meta.canonical = clean_url(link.get("href") or "")
    base = root.find(".//base")
    if base is not None and base.get("href"):
        meta.base = clean_url(base.get("href"))
    graph: list[dict] = []
    for script in root.xpath("//script[@type='application/ld+json']"):
        data = json_ld(script.text or "")
        if data is not None:
            graph.extend(ld_objects(data))
    for obj in graph:
        types = ld_type(obj)
        if types & _LD_TYPES and (types & _ARTICLE_TYPES or not meta.ld):
            if not meta.ld or not (ld_type(meta.ld) & _ARTICLE_TYPES):
                meta.ld = {**obj, "_graph": graph}
        if "website" in types and obj.get("name") and not meta.ld_site_name:
            meta.ld_site_name = str(obj["name"])
    body = root.find(".//body")
    if body is not None:
        meta.body_classes = set(classes(body))
    _site_title(root, meta)
    front = meta.canonical or meta.url or meta.home_link
    if front:
        host = urlsplit(front).netloc
        for a in root.iter("a"):
            parts = urlsplit(a.get("href") or "")
            if (
                parts.path in ("", "/")
                and not parts.query
                and (parts.netloc == host or not parts.netloc)
                and a.get("href", "").strip() not in ("", "#")
                and text(a)
                and len(meta.home_texts) < 5
            ):
                meta.home_texts.append(text(a))
                if not meta.home_link and parts.netloc:
                    meta.home_link = clean_url(a.get("href"))  # the first link to the front page
    return meta


def _site_title(root: HtmlElement, meta: PageMeta) -> None:
    """The site's name and home link from the page header (``rel=home``, the site title)."""
    for a in root.xpath("//a[@rel]"):
        if "home" in a.get("rel", "").lower().split() and a.get("href"):
            meta.home_link = clean_url(a.get("href"))
            meta.home_title = text(a) or (a.find(".//img").get("alt", "") if a.find(".//img") is not None else "")
            if meta.home_title:
                break
    if meta.home_title:
        return
    body = root.find(".//body")
    for el in (body if body is not None else root).iter():
        if not isinstance(el.tag, str) or not V.SITE_TITLE.element(el) or not text(el):
            continue
        meta.home_title = text(el)
        link = el if el.tag == "a" else el.find(".//a")
        if link is not None and link.get("href") and not meta.home_link:
            meta.home_link = clean_url(link.get("href"))
        break


#: Separators of ``<title>`` (``wp_get_document_title()``'s ``document_title_separator``).
TITLE_SEPARATORS = (" | ", " – ", " — ", " - ", " :: ", " » ", " « ", " · ", " • ")


def strip_site_name(title: str, names: list[str]) -> str:
    """``title`` without a trailing (or leading) site name after a separator.

    The site name must be one the page gives (``og:site_name``, JSON-LD ``WebSite``, the header's
    site title): a title that only looks like "Part 1 - Part 2" keeps both parts.
    """
    title = " ".join((title or "").split())
    low = [n.strip().lower() for n in names if n.strip()]
    if not low:
        return title
    for sep in TITLE_SEPARATORS:
        if sep not in title:
            continue
        head, _, tail = title.rpartition(sep)
        if tail.strip().lower() in low and head.strip():
            return strip_site_name(head.strip(), names)
        lead, _, rest = title.partition(sep)
        if lead.strip().lower() in low and rest.strip():
            return rest.strip()
    return title
