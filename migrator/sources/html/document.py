"""One post on a page -> one :class:`~migrator.model.Document`.

The post's own markup gives title, permalink, dates, author and terms (:mod:`.fields`); on a
single page the head completes and checks them (:mod:`.meta`), in this order of trust for the
date: JSON-LD ``datePublished``, the post's ``time[datetime]``, ``article:published_time``, a
date the byline shows as text (a day alone stays a day), the permalink's date.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime

from ...model import Document, Term
from ...slugs import slugify
from ...urls import urlsplit
from .. import dates
from . import fields
from . import vocabulary as V
from .chrome import clean_content, content_edges, has_more_link
from .dom import HEADINGS, HtmlElement, clean_url, in_group, inside, is_comment, is_widget, norm_url, resolve, text
from .meta import PageMeta, ld_name, ld_value, strip_site_name
from .posts import Found

_ELLIPSIS = ("…", "[…]", "[...]", "...", "&hellip;")
#: ``protected_title_format`` (core): the title of a password-protected post as themes show it.
_PROTECTED = re.compile(r"^Protected:\s+")


@dataclass
class PageContext:
    """What every post of one page shares."""

    root: HtmlElement
    meta: PageMeta
    source: str
    single: bool
    term_names: dict[tuple[str, str], str]


def doc_id(permalink: str, title: str, when: datetime | date | None) -> str:
    key = norm_url(permalink) if permalink else f"{title}|{when.isoformat() if when else ''}"
    return "html-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def _page_heading(page: PageContext, exclude: list[HtmlElement | None]) -> str:
    """On a single page whose post container has no title: the page's ``h1`` that the head's
    title starts with (a theme printing the title in a header band), else the head's title."""
    meta = page.meta
    head_title = strip_site_name(meta.html_title, meta.site_names)
    wanted = [t.lower() for t in (meta.title, str(meta.ld.get("headline") or ""), head_title) if t]
    for h in page.root.iter("h1", "h2"):
        value = text(h)
        if (
            value
            and not is_widget(h)
            and not is_comment(h)
            and any(w.startswith(value.lower()) for w in wanted)
            and all(not inside(h, x) for x in exclude if x is not None)
        ):
            return value
    return strip_site_name(meta.title or str(meta.ld.get("headline") or "") or head_title, meta.site_names)


def _single_dates(container: HtmlElement, exclude: list[HtmlElement | None], meta: PageMeta):
    """(published, modified) of a single page's post, in order of trust: JSON-LD, the post's own
    ``time[datetime]``, ``article:*_time``, what the byline shows; a less trusted value wins only
    when it says more about the same day (a time, an offset)."""
    ld = meta.ld
    own_pub, own_mod = fields.dates_in(container, exclude)
    published = _most_precise(
        [
            dates.parse_machine_date(str(ld.get("datePublished") or "")),
            own_pub if _aware(own_pub) else None,
            dates.parse_machine_date(meta.published),
            own_pub,
        ]
    )
    modified = _most_precise(
        [dates.parse_machine_date(str(ld.get("dateModified") or "")), own_mod, dates.parse_machine_date(meta.modified)]
    )
    return published, modified


def _aware(when) -> bool:
    return isinstance(when, datetime) and when.tzinfo is not None


def _precision(when) -> int:
    return 2 if _aware(when) else 1 if isinstance(when, datetime) else 0


def _most_precise(values: list):
    """The first of ``values`` (in order of trust), unless a later one names the same day more
    precisely."""
    found = [v for v in values if v is not None]
    if not found:
        return None
    best = found[0]
    day = best.date() if isinstance(best, datetime) else best
    for other in found[1:]:
        other_day = other.date() if isinstance(other, datetime) else other
        if other_day == day and _precision(other) > _precision(best):
            best = other
    return best


def _read_more_links(container: HtmlElement, title_el: HtmlElement | None, link: str) -> list[HtmlElement]:
    """Links to the post itself other than its title (and its image): "Continue reading"."""
    if not link:
        return []
    key = norm_url(link)
    found = []
    for a in container.iter("a"):
        href = a.get("href") or ""
        if not href or norm_url(href.split("#")[0]) != key or (title_el is not None and inside(a, title_el)):
            continue
        if a.find(".//img") is not None or not text(a) or any(h.tag in HEADINGS for h in a.iterancestors()):
            continue
        found.append(a)
    return found


def _title(
    container: HtmlElement, content: HtmlElement, whole: bool, exclude: list[HtmlElement | None], page: PageContext
) -> tuple[HtmlElement | None, str]:
    """The post's title element (if any) and its text."""
    own = (page.meta.canonical or page.meta.url) if page.single else ""
    title_el = fields.title_element(container, exclude, own_link=own)
    if title_el is None and not whole:
        title_el = fields.title_element(content, [], loose=False, own_link=own)
        title_el = title_el if title_el is not None else fields.leading_heading(content)
    title = fields.title_text(title_el)
    if title and "post-password-required" in (container.get("class") or "").split():
        title = _PROTECTED.sub("", title)
    strong = title_el is not None and (
        V.TITLE.element(title_el)
        or title_el.get("itemprop") in ("headline", "name headline")
        or title_el.xpath(".//a[contains(concat(' ', @rel, ' '), ' bookmark ')]")
    )
    if page.single and (not title or (not strong and not _agrees(title, page.meta))):
        heading = _page_heading(page, [content])
        if heading and (not title or _agrees(heading, page.meta)):
            return (title_el if title and heading == title else None), heading
    return title_el, title


def _agrees(title: str, meta: PageMeta) -> bool:
    """True when the head's titles (Open Graph, JSON-LD, ``<title>``) start with ``title``, or
    when the head names none."""
    heads = [t.lower() for t in (meta.title, str(meta.ld.get("headline") or ""), meta.html_title) if t]
    return not heads or any(h.startswith(title.lower()) for h in heads)


def _byline(
    container: HtmlElement,
    content: HtmlElement,
    exclude: list[HtmlElement | None],
    bylines: list[HtmlElement],
    others: list[HtmlElement],
    page: PageContext,
) -> tuple[str, str]:
    """(author, login): the post's byline, a byline line inside the content, the page around it."""
    author, login = fields.author_in(container, exclude)
    for line in bylines:
        if not author:
            author, login = fields.author_in(line, others)
    if page.single and not author:
        ld = page.meta.ld
        author, found_login = fields.author_in(page.root, [content, *_chrome_areas(page.root)])
        login = login or found_login
        author = author or ld_name(ld.get("author"), ld.get("_graph", [])) or page.meta.author
    if not author:
        author, found_login = fields.author_in(container, exclude, running=True)
        login = login or found_login
    return author, login


def _terms(
    container: HtmlElement,
    content: HtmlElement,
    exclude: list[HtmlElement | None],
    bylines: list[HtmlElement],
    others: list[HtmlElement],
    page: PageContext,
) -> list[Term]:
    terms = fields.terms_in(container, exclude, page.term_names)
    if not terms:
        for line in bylines:
            terms += fields.terms_in(line, others, page.term_names)
    if page.single and not any(t.name != t.slug for t in terms):
        # the theme prints the term links outside the post container
        have = {(x.taxonomy, x.slug) for x in terms}
        linked = [
            t
            for t in fields.terms_in(page.root, [content, *_chrome_areas(page.root)], {})
            if t.name != t.slug and (t.taxonomy, t.slug) not in have
        ]
        known = {(t.taxonomy, fields.html_class(t.slug)) for t in linked}
        terms = linked + [t for t in terms if (t.taxonomy, fields.html_class(t.slug)) not in known]
    if page.single:
        _head_terms(terms, page.meta)
    return terms


def build_document(container: HtmlElement, found: Found, page: PageContext) -> tuple[Document, list[str]]:
    content = found.element
    meta, single = page.meta, page.single
    whole = found.whole or content is container  # no wrapper inside: the container, minus its fields
    others = other_posts(container)
    content_excl: list[HtmlElement | None] = ([] if whole else [content]) + others
    title_el, title = _title(container, content, whole, content_excl, page)
    ld = meta.ld if single else {}
    link = fields.permalink(container, title_el)
    if single:
        link = meta.canonical or meta.url or link or ld_value(ld, "url", "mainEntityOfPage")
    base = meta.base or meta.canonical or meta.url or link
    if link:
        link = resolve(link, base)
    if single:
        published, modified = _single_dates(container, content_excl, meta)
    else:
        published, modified = fields.dates_in(container, content_excl)
    bylines = [] if whole else [el for el in content_edges(content) if fields.is_meta_line(el)]
    for line in bylines:
        published = published or fields.dates_in(line, others)[0]
    if published is None and link:
        published = dates.date_from_url(link)
    author, login = _byline(container, content, content_excl, bylines, others, page)
    terms = _terms(container, content, content_excl, bylines, others, page)
    featured = fields.featured_image(container, ([] if whole else [content]) + others)
    if single and not featured:
        og = clean_url(meta.image or ld_value(ld, "image", "thumbnailUrl"))
        if og and not _is_site_icon(og) and not _sitewide_image(og, page.root, container):
            featured = og
    drop = [title_el] if title_el is not None and inside(title_el, content) else []
    drop += [el for el in others if inside(el, content)]
    more_links = [] if single else _read_more_links(content, title_el, link)
    drop += more_links
    if whole:
        drop += [el for el in content.iter("header", "footer") if el is not content]
        drop += [el for el in fields_elements(content) if el is not content]
    raw_images = [fields.img_src(img) for img in content.iter("img") if fields.img_src(img)]
    html, more = clean_content(content, base, drop)
    container_classes = (container.get("class") or "").split()
    protected = "post-password-required" in container_classes
    if protected:
        html, raw_images = "", []  # the page shows a password form (or core's "no excerpt" notice)
    more = more or bool(more_links) or (not single and has_more_link(container))
    doc_type = "post"
    if "type-page" in container_classes or (single and "page" in meta.body_classes):
        doc_type = "page"
    elif "type-attachment" in container_classes or (single and "attachment" in meta.body_classes):
        doc_type = "attachment"
    slug = fields.slug_from_link(link) if link and "?" not in link else ""
    slug = slug or slugify(title)
    doc = Document(
        id=doc_id(link, title, published),
        type=doc_type,
        status="publish",
        title=title,
        slug=slug,
        content=html,
        content_kind="rendered",
        date=published,
        modified=modified if isinstance(modified, datetime) else None,
        author=author,
        author_login=login,
        terms=terms,
        link=link,
        guid=link,
        source=page.source,
    )
    if featured:
        doc.extra["featured_image"] = resolve(featured, base)
        raw_images.insert(0, featured)
    pid = fields.post_id(container)
    if pid:
        doc.extra["post_id"] = pid
    if not single and (found.summary or more or text(content).endswith(_ELLIPSIS)):
        doc.extra["partial"] = True
    if protected:
        doc.extra["password_required"] = True
    return doc, raw_images


def other_posts(container: HtmlElement) -> list[HtmlElement]:
    """Other posts' containers inside ``container`` (related-post cards): never this post's."""
    own = fields.post_id(container)
    found = [
        el
        for el in container.iterdescendants()
        if isinstance(el.tag, str) and ((fields.post_id(el) and fields.post_id(el) != own) or el.tag == "article")
    ]
    return [el for el in found if not any(a in found for a in el.iterancestors())]


def fields_elements(content: HtmlElement) -> list[HtmlElement]:
    """Byline, date and term wrappers inside a container read whole (no content wrapper)."""
    out = []
    for group in (V.DATE, V.AUTHOR, V.TERMS, V.FEATURED):
        for el in content.iter():
            if isinstance(el.tag, str) and el is not content and group.element(el):
                out.append(el)
    return out


def _chrome_areas(root: HtmlElement) -> list[HtmlElement]:
    return [*root.iter("aside", "nav"), *in_group(root, V.WIDGETS), *in_group(root, V.COMMENTS)]


def _head_terms(terms: list[Term], meta: PageMeta) -> None:
    have = {(t.taxonomy, t.name.lower()) for t in terms}
    if (
        meta.section
        and ("category", meta.section.lower()) not in have
        and not any(t.taxonomy == "category" for t in terms)
    ):
        terms.append(Term("category", slugify(meta.section), meta.section))
    for tag in meta.tags:
        if ("post_tag", tag.lower()) not in have and not any(
            t.slug == slugify(tag) for t in terms if t.taxonomy == "post_tag"
        ):
            terms.append(Term("post_tag", slugify(tag), tag))


def _sitewide_image(url: str, root: HtmlElement, container: HtmlElement) -> bool:
    """True when the page shows ``url``'s file outside the post (a header or default image)."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    if not name:
        return True
    for img in root.iter("img"):
        if name in (fields.img_src(img) or "") and not inside(img, container):
            return True
    for el in root.xpath("//*[@style][contains(@style, 'url(')]|//style"):
        if not inside(el, container) and name in ((el.get("style") or "") + (el.text or "")):
            return True
    return False


def _is_site_icon(url: str) -> bool:
    low = url.lower()
    return any(
        s in low
        for s in (
            "blavatar",
            "gravatar.com/avatar",
            "/i/blank.jpg",
            "webclip",
            "site-icon",
            "cropped-",
            "favicon",
            "/logo",
        )
    )
