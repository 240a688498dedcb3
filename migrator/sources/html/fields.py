"""A post's own fields from its markup: title, permalink, dates, author, terms, featured image.

Everything is read from inside the post's container (never from sidebars, widgets or
comments); the page head completes it on single pages (:mod:`.document`).
"""

from __future__ import annotations

import copy
import re
from datetime import date, datetime
from urllib.parse import quote, unquote

from ...model import Term
from ...slugs import slugify
from ...urls import urlsplit
from .. import dates
from . import vocabulary as V
from .dom import (
    HEADINGS,
    HtmlElement,
    clean_url,
    classes,
    drop,
    in_group,
    inside,
    is_comment,
    is_widget,
    norm_url,
    outside,
    slug_from_link,
    text,
    visible_len,
    xp_rel,
)

# Attributes WordPress lazy-loading plugins use for the real image URL.
LAZY_SRC_ATTRS = ("data-lazy-src", "data-src", "data-original", "data-lazyload", "data-orig-file", "data-large-file")
#: Lazy loaders copy these into ``src`` when the image scrolls into view: they always win.
SWAP_SRC_ATTRS = ("data-lazy-src", "data-src", "data-original", "data-lazyload")
#: File names of placeholder images lazy loaders put in ``src``.
PLACEHOLDER_NAMES = ("blank", "placeholder", "holder", "spacer", "transparent", "pixel", "lazy")

_POST_ID = re.compile(r"^post-(\d+)$")
#: Words that introduce a byline ("By Jane", "von Jane").
_BY = re.compile(r"^(?:(?:posted|written|published)\s+)?(?:by|von|par|por|door|di|av|af)\s*:?\s+", re.I)


def post_id(el: HtmlElement) -> str:
    """The post ID ``post_class()`` / ``article#post-N`` put on a container, or ""."""
    for token in classes(el):
        m = _POST_ID.match(token)
        if m:
            return m.group(1)
    m = _POST_ID.match(el.get("id") or "")
    return m.group(1) if m else ""


def _usable(el: HtmlElement, exclude: list[HtmlElement | None]) -> bool:
    return outside(el, exclude) and not is_comment(el)


# --------------------------------------------------------------------------------------------
# Title and permalink


def title_element(
    container: HtmlElement, exclude: list[HtmlElement | None], loose: bool = True, own_link: str = ""
) -> HtmlElement | None:
    """The post's title: a title class, a heading holding a ``rel=bookmark`` link, microdata
    ``headline``; with ``loose``, else the first ``h1``/``h2`` (outside ``exclude``).  With
    ``own_link`` (a single page's canonical URL), a heading linking to another page is another
    post's card, never the title."""
    for el in in_group(container, V.TITLE):
        if _usable(el, exclude) and text(el) and not is_widget(el) and not _links_elsewhere(el, own_link):
            return el
    for a in container.xpath(".//a[" + xp_rel("bookmark") + "]"):
        heading = next((h for h in a.iterancestors(*HEADINGS)), None)
        if (
            heading is not None
            and _usable(a, exclude)
            and not is_widget(a)
            and text(a)
            and not _links_elsewhere(heading, own_link)
        ):
            return heading if inside(heading, container) else a
    for el in container.xpath(".//*[@itemprop='headline' or @itemprop='name headline']"):
        if _usable(el, exclude) and text(el) and el.tag != "meta":
            return el
    if not loose:
        return None
    for tag in ("h1", "h2"):
        for el in container.iter(tag):
            if _usable(el, exclude) and not is_widget(el) and text(el) and _opens(container, el):
                return el
    for el in container.iter("h3", "h4"):  # a card's linked heading
        if (
            _usable(el, exclude)
            and not is_widget(el)
            and text(el)
            and el.find(".//a[@href]") is not None
            and not _links_elsewhere(el, own_link)
            and _opens(container, el)
        ):
            return el
    return None


def _opens(container: HtmlElement, heading: HtmlElement, room: int = 200) -> bool:
    """True when little text comes before ``heading`` in ``container`` (a title opens a post;
    a heading after paragraphs is a section of the text)."""
    seen = 0
    for node in container.iter():
        if node is heading:
            return True
        if isinstance(node.tag, str) and node.text and node is not container:
            seen += len(node.text.strip())
        if node is not container and node.tail and not inside(heading, node):
            seen += len(node.tail.strip())
        if seen > room:
            return False
    return True


def _links_elsewhere(heading: HtmlElement, own_link: str) -> bool:
    """True when ``heading`` links to a page other than ``own_link`` (when that is known)."""
    if not own_link:
        return False
    hrefs = [a.get("href") for a in heading.iter("a") if (a.get("href") or "").strip()]
    return bool(hrefs) and all(norm_url(h) != norm_url(own_link) for h in hrefs)


def leading_heading(content: HtmlElement) -> HtmlElement | None:
    """An ``h1`` that opens the content before any text: the post title inside the body."""
    for el in content.iter():
        if not isinstance(el.tag, str) or el is content:
            continue
        if el.tag == "h1" and text(el):
            return el
        if el.tag in {"p", "li", "td", "pre", "blockquote", "h2", "h3"} and text(el):
            return None
        if (el.text or "").strip() and el.tag not in {"span", "a", "div", "time"}:
            return None
    return None


def title_text(el: HtmlElement | None) -> str:
    """The title as read: screen-reader-only labels and prefixes left out."""
    if el is None:
        return ""
    return assistive_free_text(el)


def assistive_free_text(el: HtmlElement) -> str:
    """Text of ``el`` minus screen-reader-only labels ("Author", "Posted on")."""
    hidden = [h for h in el.iter() if isinstance(h.tag, str) and h is not el and V.ASSISTIVE.element(h)]
    if not hidden:
        return text(el)
    node = copy.deepcopy(el)
    for h in [h for h in node.iter() if isinstance(h.tag, str) and h is not node and V.ASSISTIVE.element(h)]:
        drop(h)
    return text(node)


def permalink(container: HtmlElement, title_el: HtmlElement | None) -> str:
    if title_el is not None:
        links = [title_el] if title_el.tag == "a" else title_el.xpath(".//a[@href]")
        for a in links:
            if a.get("href"):
                return clean_url(a.get("href"))
    for a in container.xpath(".//a[@href][" + xp_rel("bookmark") + "]"):
        if not is_comment(a) and not is_widget(a):
            return clean_url(a.get("href"))
    # themes link the post's date to the post
    for a in container.iter("a"):
        href = a.get("href") or ""
        if not href or href.startswith("#") or is_comment(a) or is_widget(a) or term_from_link(href, []):
            continue
        value = text(a)
        if (a.find(".//time") is not None or (value and dates.find_day(value) and len(value) < 40)) and not re.search(
            r"/\d{4}/\d{2}/(?:\d{2}/)?$", urlsplit(href).path
        ):
            return clean_url(href)
    return ""


# --------------------------------------------------------------------------------------------
# Dates


def _time_value(el: HtmlElement) -> str:
    return el.get("datetime") or el.get("content") or (el.get("title") if el.tag == "abbr" else "") or ""


def dates_in(
    container: HtmlElement, exclude: list[HtmlElement | None]
) -> tuple[datetime | date | None, datetime | date | None]:
    """(published, modified) from the container's markup.

    Machine-readable values first (``time[datetime]``, microdata, hAtom ``abbr``): a value marked
    ``updated`` (and not ``published``) is the modification date when the post also has a
    published one, else the only date the theme prints -- the post's date.  Failing those, a
    date the byline shows as text: the day alone, or with the time the theme prints or puts in
    the link's title.
    """
    published: list[datetime | date] = []
    updated: list[datetime | date] = []
    for el in container.xpath(
        ".//time|.//abbr[@title]|.//*[@itemprop='datePublished' or @itemprop='dateModified' or @itemprop='dateCreated']"
    ):
        if not _usable(el, exclude) or is_widget(el):
            continue
        cls = set(classes(el))
        prop = el.get("itemprop") or ""
        if el.tag == "abbr" and not cls & {"published", "updated", "entry-date"}:
            continue
        when = dates.parse_machine_date(_time_value(el))
        if when is None:
            continue
        if prop == "dateModified" or ("updated" in cls and "published" not in cls and prop != "datePublished"):
            updated.append(when)
        else:
            published.append(when)
    if published:
        return published[0], (updated[0] if updated else None)
    if updated:
        return updated[0], (updated[1] if len(updated) > 1 else None)
    return visible_date(container, exclude), None


def visible_date(container: HtmlElement, exclude: list[HtmlElement | None]) -> datetime | date | None:
    """A date the post's byline shows as text ("July 4, 2024", "4. Juli 2024 um 10:12")."""
    for el in in_group(container, V.DATE):
        if not _usable(el, exclude) or is_widget(el):
            continue
        found = dates.parse_human_date(text(el))
        if found is None:
            continue
        link = el if el.tag == "a" else next(iter(el.iterancestors("a")), None)
        if link is not None and link.get("title") and isinstance(found, date) and not isinstance(found, datetime):
            found = dates.with_clock(found, link.get("title"))
        return found
    # old themes print the date as bare text ("<small>September 3rd, 2007</small>")
    for el in container.iter("small", "span", "p", "div", "abbr", "em", "time", "li", "a"):
        if len(el) > 3:
            continue
        value = text(el)
        if 4 < len(value) < 60 and _usable(el, exclude) and not is_widget(el):
            found = dates.find_day(value)
            if found is not None and len(value) - (found.end - found.start) < 30:
                return dates.parse_human_date(value)
    return None


def is_meta_line(el: HtmlElement) -> bool:
    """A byline or term line: short, and made of a date, an author link and term links."""
    if el.tag not in ("div", "p", "span", "ul", "header", "footer", "section"):
        return False
    length = visible_len(el)
    if length == 0 or length > 200:
        return False
    value = text(el)
    signals = 0
    rest = length
    for a in el.iter("a"):
        href = a.get("href") or ""
        rel = (a.get("rel") or "").lower().split()
        if "author" in rel or "tag" in rel or "bookmark" in rel or re.search(r"/(?:author|category|tag)/", href):
            signals += 1
            rest -= visible_len(a)
    times = el.findall(".//time")
    if times:
        signals += 1
        rest -= sum(visible_len(t) for t in times if not any(True for _ in t.iterancestors("a")))
    else:
        day = dates.find_day(value)
        if day is not None:
            signals += 1
            rest -= len(re.sub(r"\s", "", value[day.start : day.end]))
    if signals == 1 and el.tag == "p" and not times and not any(a.get("href") for a in el.iter("a")):
        return False  # a paragraph with a date in plain words ("Updated on 19.02.2020"): the author's note
    return signals >= 1 and rest <= 40 and (signals >= 2 or rest <= 15)


# --------------------------------------------------------------------------------------------
# Author


#: A name inside a block of more text than this, of which it is less than half, is part of
#: running text (an author box's "View all posts by ..."), not a byline.
BYLINE_ROOM = 60


def _in_running_text(el: HtmlElement) -> bool:
    block = next((a for a in el.iterancestors() if a.tag in ("p", "div", "li", "section", "td", "dd")), None)
    if block is None:
        return False
    total = visible_len(block)
    return total > BYLINE_ROOM and visible_len(el) < 0.5 * total


def author_in(container: HtmlElement, exclude: list[HtmlElement | None], running: bool = False) -> tuple[str, str]:
    """(display name, login) of the post's author from byline markup.

    ``rel=author`` links and plain ``/author/<login>/`` links first, then hCard names and the
    themes' byline wrappers, then microdata.  Names found in running text (an author box)
    count only with ``running``.
    """
    login = ""
    for token in classes(container):
        if token.startswith("author-") and len(token) > 7:
            login = token[7:]
            break
    candidates: list[HtmlElement] = []
    candidates += container.xpath(".//a[@href][" + xp_rel("author") + "]")
    candidates += [
        a
        for a in container.iter("a")
        if re.search(r"/author/[^/?#]+/?(?:$|[?#])", a.get("href") or "")
        or re.search(r"[?&]author=\d+", a.get("href") or "")
    ]
    for group_el in in_group(container, V.AUTHOR):
        candidates += group_el.xpath(
            ".//*["
            + " or ".join(f"contains(concat(' ', normalize-space(@class), ' '), ' {t} ')" for t in ("fn", "url"))
            + "]"
        )
        candidates.append(group_el)
    candidates += container.xpath(".//*[@itemprop='author']//*[@itemprop='name']|.//*[@itemprop='author']")
    names: list[str] = []
    for el in candidates:
        if not _usable(el, exclude) or is_widget(el) or (not running and _in_running_text(el)):
            continue
        if el.tag == "meta":
            name = el.get("content") or ""
        else:
            name = assistive_free_text(el)
        name = _BY.sub("", name).strip(" :·|–—-")
        if not name or len(name) > 80 or dates.find_day(name):
            continue
        m = re.search(r"/author/([^/?#]+)", el.get("href") or "")
        if m and not login:
            login = unquote(m.group(1))
        if not running:
            return name, login
        names.append(name)
    if not names:
        return "", login
    # in an author box: the name its other texts repeat ("Ada" in "View all posts by Ada")
    return next((n for n in names if any(n != other and n in other for other in names)), names[0]), login


# --------------------------------------------------------------------------------------------
# Terms


def term_from_link(href: str, rel: list[str]) -> tuple[str, str] | None:
    """(taxonomy, slug) of a term archive link, or None."""
    href = clean_url(href)
    parts = urlsplit(href)
    path, query = parts.path, parts.query
    if re.search(r"/category/[^/]", path) or re.search(r"(^|&)cat=", query):
        taxonomy = "category"
    elif re.search(r"/tag/[^/]", path) or re.search(r"(^|&)tag=", query):
        taxonomy = "post_tag"
    elif "tag" in rel:
        taxonomy = "category" if "category" in rel else "post_tag"
    else:
        return None
    m = re.search(r"(?:^|&)(?:cat|tag)=([^&]+)", query)
    slug = unquote(m.group(1)) if m and not m.group(1).isdigit() else slug_from_link(href)
    return taxonomy, slug.lower()  # "" for numeric ids (``?cat=3``): the name decides


def term_name(a: HtmlElement) -> str:
    """A term link's text without decoration ("› Gebäck", "# tag", "tag (3)")."""
    name = re.sub(r"^[\W_]+(?=\w)", "", text(a)).strip()
    return re.sub(r"\s*\(\d+\)$", "", name)


def terms_in(
    container: HtmlElement, exclude: list[HtmlElement | None], names: dict[tuple[str, str], str]
) -> list[Term]:
    """The post's categories and tags, as names.

    Term links inside the post (``rel="category tag"``, ``rel=tag``, links into ``/category/``
    or ``/tag/`` from the themes' term lists) give name and slug; the ``category-<slug>`` and
    ``tag-<slug>`` classes of ``post_class()`` add the terms the theme does not print, named from
    ``names`` (term links elsewhere on the page: widgets, menus) when the page names them.
    """
    terms: list[Term] = []
    seen: set[tuple[str, str]] = set()

    def add(taxonomy: str, slug: str, name: str) -> None:
        key = (taxonomy, slug or slugify(name))
        if key in seen or not key[1]:
            return
        seen.add(key)
        terms.append(Term(taxonomy=taxonomy, slug=key[1], name=name or key[1]))

    links = container.xpath(".//a[@href][" + xp_rel("tag") + "]")
    for group_el in in_group(container, V.TERMS):
        links += group_el.iter("a")
    for a in links:
        if not a.get("href") or not _usable(a, exclude) or is_widget(a):
            continue
        found = term_from_link(a.get("href"), (a.get("rel") or "").lower().split())
        if found:
            add(found[0], found[1] or slugify(term_name(a)), term_name(a))
    have = {(tax, html_class(slug)) for tax, slug in seen}
    for token in classes(container):
        for prefix, taxonomy in (("category-", "category"), ("tag-", "post_tag")):
            if token.startswith(prefix) and len(token) > len(prefix):
                slug = token[len(prefix) :]
                if not slug.isdigit() and (taxonomy, slug) not in have:
                    add(taxonomy, slug, names.get((taxonomy, slug), slug))
    return terms


def page_term_names(root: HtmlElement) -> dict[tuple[str, str], str]:
    """(taxonomy, class-safe slug) -> name, from the term archive links on the page (not from
    navigation menus, whose labels are the editor's)."""
    names: dict[tuple[str, str], str] = {}
    for a in root.iter("a"):
        href = a.get("href")
        if not href or ("/category/" not in href and "/tag/" not in href and "cat=" not in href and "tag=" not in href):
            continue
        if any(anc.tag == "nav" or V.MENUS.element(anc) for anc in a.iterancestors()):
            continue
        found = term_from_link(href, (a.get("rel") or "").lower().split())
        name = term_name(a)
        if found and found[1] and name and len(name) < 100:
            names.setdefault((found[0], html_class(found[1])), name)
    return names


def html_class(slug: str) -> str:
    """WordPress's sanitize_html_class(): drop percent-escapes and anything but [A-Za-z0-9_-]."""
    return re.sub(r"[^A-Za-z0-9_-]", "", re.sub(r"%[a-fA-F0-9]{2}", "", quote(slug, safe="-_")))


# --------------------------------------------------------------------------------------------
# Images


def img_src(img: HtmlElement) -> str:
    """The real image URL of an ``<img>``, lazy-loading placeholders seen through."""
    for attr in SWAP_SRC_ATTRS:
        value = (img.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            return clean_url(value)
    src = img.get("src") or ""
    name = src.rsplit("/", 1)[-1].lower()
    if not src or src.startswith("data:") or any(w in name for w in PLACEHOLDER_NAMES):
        for attr in LAZY_SRC_ATTRS:
            if img.get(attr):
                return clean_url(img.get(attr))
        srcset = img.get("data-srcset") or img.get("data-lazy-srcset") or img.get("srcset") or ""
        if srcset.strip():
            return clean_url(srcset.split(",")[0].split()[0])
    return clean_url(src)


def featured_image(container: HtmlElement, exclude: list[HtmlElement | None]) -> str:
    for el in in_group(container, V.FEATURED):
        if not outside(el, exclude):
            continue
        img = el if el.tag == "img" else el.find(".//img")
        if img is not None and img_src(img):
            return img_src(img)
    return ""
