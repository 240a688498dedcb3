"""One WXR element at a time: the parser's settings, the stream of items, and what each
``<item>`` and channel field holds.

:func:`_read` walks an export with ``lxml.etree.iterparse`` and clears every element once read,
so memory does not grow with the export.  Elements are matched by namespace URI, never by
prefix, and every spelling of the WordPress namespaces is accepted (http/https, 1.0/1.1/1.2).
The parser never resolves entities, loads a DTD or touches the network.  The readers built on
it: :mod:`.wxr` (whole documents, and the re-readings of a broken file) and :mod:`.wxr_index`
(pass 1's lean records, pass 2's documents read back from their byte ranges).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO

from lxml import etree

from ..model import Author, Comment, Document, Problem, Site, Term
from ..slugs import slugify
from .dates import parse_wp_date
from .wxr_fields import clean_text, decode_slug
from .xmlsafe import CleanStream, repair_mojibake

_WP_NS = re.compile(r"^https?://wordpress\.org/export/1\.[0-2]/$")
_EXCERPT_NS = re.compile(r"^https?://wordpress\.org/export/1\.[0-2]/excerpt/$")
_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}


class NotAnExport(Exception):
    """The file is readable but is not a WordPress export (raised before any item is read)."""


def qname(tag: object) -> str:
    """Map an lxml tag to ``prefix:local`` by namespace URI (``wp:post_id``, ``title``)."""
    if not isinstance(tag, str):
        return ""  # comments and processing instructions
    return _qname(tag)


@lru_cache(maxsize=1024)  # an export uses a few dozen tag names, millions of times
def _qname(tag: str) -> str:
    """:func:`qname` of a tag name (a string)."""
    if not tag.startswith("{"):
        return tag
    uri, _, local = tag[1:].partition("}")
    if _WP_NS.match(uri):
        return "wp:" + local
    if _EXCERPT_NS.match(uri):
        return "excerpt:" + local
    prefix = _NAMESPACES.get(uri)
    return f"{prefix}:{local}" if prefix else f"{{{uri}}}{local}"


def _text(elem: etree._Element | None) -> str:
    return (elem.text or "") if elem is not None else ""


def _fields(elem: etree._Element) -> dict[str, str]:
    """Text of each direct child by qualified name (first occurrence wins)."""
    out: dict[str, str] = {}
    for child in elem:
        name = qname(child.tag)
        if name and name not in out:
            out[name] = child.text or ""
    return out


#: How an export is parsed: no entities resolved, no DTD or network, no comments or processing
#: instructions kept, no limit on the size of a text (one post may be megabytes).
PARSER_SETTINGS = {
    "resolve_entities": False,
    "load_dtd": False,
    "no_network": True,
    "huge_tree": True,
    "remove_comments": True,
    "remove_pis": True,
}


def _iterparse(stream: IO[bytes] | CleanStream, recover: bool) -> Iterator[tuple[str, etree._Element]]:
    etree.clear_error_log()  # syntax_error() reads the log: only this parse's entries
    return etree.iterparse(stream, events=("start", "end"), recover=recover, **PARSER_SETTINGS)


def _read(
    stream: CleanStream | IO[bytes],
    site: Site,
    problems: list[Problem],
    recover: bool,
    source: str = "",
    line_offset: int = 0,
    first_index: int = 1,
    item: ItemReader | None = None,
) -> Iterator[Document]:
    """Every item of ``stream`` through ``item`` (default: the whole :class:`Document`);
    channel fields go into ``site`` as they are met."""
    source = source or getattr(stream, "source", "")
    item = item or _item
    depth = 0
    root_checked = False
    item_line: int | None = None
    anonymous = first_index - 1
    for event, elem in _iterparse(stream, recover):
        if event == "start":
            depth += 1
            if not root_checked:
                root_checked = True
                if qname(elem.tag) != "rss":
                    raise NotAnExport(f"root element is <{qname(elem.tag) or '?'}>, not <rss>")
            if depth == 3 and qname(elem.tag) == "item":
                item_line = elem.sourceline + line_offset if elem.sourceline else None
            continue
        depth -= 1
        if depth > 2:
            continue  # inside an item or channel field: read with its parent
        name = qname(elem.tag)
        if depth == 2:
            if name == "item":
                anonymous += 1
                doc = item(elem, site, source, item_line, anonymous, problems)
                if doc is not None:
                    yield doc
            else:
                _channel_field(name, elem, site)
            drop(elem)
        elif depth == 1 and name == "channel":
            elem.clear()


def drop(elem: etree._Element) -> None:
    """Free what an element read holds, and its earlier siblings (memory stays flat)."""
    elem.clear()
    parent = elem.getparent()
    while parent is not None and elem.getprevious() is not None:
        del parent[0]


def _channel_field(name: str, elem: etree._Element, site: Site) -> None:
    """Fold one channel-level element into the site (first non-empty value wins)."""
    text = (elem.text or "").strip()
    scalar = {
        "title": "title",
        "link": "link",
        "description": "description",
        "language": "language",
        "wp:wxr_version": "wxr_version",
        "wp:base_site_url": "base_site_url",
        "wp:base_blog_url": "base_blog_url",
        "generator": "generator",
    }
    if name in scalar:
        attr = scalar[name]
        if text and not getattr(site, attr):
            setattr(site, attr, clean_text(text) if attr == "title" else text)
    elif name == "wp:author":
        f = {k: v.strip() for k, v in _fields(elem).items()}
        login = f.get("wp:author_login", "")
        if login and login not in site.authors:
            site.authors[login] = Author(
                login=login,
                display_name=clean_text(f.get("wp:author_display_name", "")) or login,
                id=f.get("wp:author_id", ""),
                email=f.get("wp:author_email", ""),
                first_name=clean_text(f.get("wp:author_first_name", "")),
                last_name=clean_text(f.get("wp:author_last_name", "")),
            )
    elif name in ("wp:category", "wp:tag", "wp:term"):
        term = _channel_term(name, _fields(elem))
        if term and not any(t.taxonomy == term.taxonomy and t.slug == term.slug for t in site.terms):
            site.terms.append(term)


def _channel_term(name: str, f: dict[str, str]) -> Term | None:
    if name == "wp:category":
        taxonomy, slug, label = "category", f.get("wp:category_nicename", ""), f.get("wp:cat_name", "")
        parent, desc = f.get("wp:category_parent", ""), f.get("wp:category_description", "")
    elif name == "wp:tag":
        taxonomy, slug, label = "post_tag", f.get("wp:tag_slug", ""), f.get("wp:tag_name", "")
        parent, desc = "", f.get("wp:tag_description", "")
    else:
        taxonomy, slug, label = f.get("wp:term_taxonomy", ""), f.get("wp:term_slug", ""), f.get("wp:term_name", "")
        parent, desc = f.get("wp:term_parent", ""), f.get("wp:term_description", "")
    slug = decode_slug(slug)
    label = clean_text(label)
    if not (slug or label) or not taxonomy.strip():
        return None
    return Term(taxonomy.strip(), slug or slugify(label), label or slug, decode_slug(parent), clean_text(desc))


#: ``item(elem, site, source, line, index, problems)``: one ``<item>`` element as a Document
ItemReader = Callable[[etree._Element, Site, str, "int | None", int, "list[Problem]"], "Document | None"]


def _item(
    elem: etree._Element,
    site: Site,
    source: str,
    line: int | None,
    index: int,
    problems: list[Problem],
    with_comments: bool = True,
) -> Document | None:
    """One ``<item>`` as a Document (``with_comments=False``: without its comments)."""
    f, terms, postmeta, comments = item_children(elem)
    post_id = item_id(f, source, line, index, problems, terms)
    login = f.get("dc:creator", "").strip()
    author = site.authors.get(login)
    return Document(
        id=post_id,
        type=f.get("wp:post_type", "").strip() or "post",
        status=f.get("wp:status", "").strip() or "publish",
        title=clean_text(f.get("title", "")),
        slug=decode_slug(f.get("wp:post_name", "")),
        content=f.get("content:encoded", ""),
        content_kind="stored",
        excerpt=f.get("excerpt:encoded", "").strip(),
        date=parse_wp_date(f.get("wp:post_date", ""), f.get("wp:post_date_gmt", "")),
        modified=parse_wp_date(f.get("wp:post_modified", ""), f.get("wp:post_modified_gmt", "")),
        author=author.display_name if author else login,
        author_login=login,
        terms=terms,
        parent=f.get("wp:post_parent", "").strip() or "0",
        menu_order=_int(f.get("wp:menu_order", "")),
        sticky=f.get("wp:is_sticky", "").strip() == "1",
        password=f.get("wp:post_password", "").strip(),
        link=f.get("link", "").strip(),
        guid=f.get("guid", "").strip(),
        attachment_url=f.get("wp:attachment_url", "").strip(),
        meta=item_meta(postmeta),
        comments=[_comment(c) for c in comments] if with_comments else [],
        source=source,
        line=line,
    )


def item_children(
    elem: etree._Element, only: tuple[str, ...] | None = None
) -> tuple[dict[str, str], list[Term], list[etree._Element], list[etree._Element]]:
    """An item's fields: (text of each plain field by name, first occurrence wins; its terms;
    its ``wp:postmeta`` and ``wp:comment`` elements, unread).  ``only``: the children to look
    at (lxml tag patterns; the others are skipped without being made Python objects)."""
    f: dict[str, str] = {}
    terms: list[Term] = []
    postmeta: list[etree._Element] = []
    comments: list[etree._Element] = []
    for child in elem if only is None else elem.iterchildren(*only):
        name = qname(child.tag)
        if name == "category":
            term = _item_term(child)
            if term:
                terms.append(term)
        elif name == "wp:postmeta":
            postmeta.append(child)
        elif name == "wp:comment":
            comments.append(child)
        elif name and name not in f:
            f[name] = child.text or ""
    return f, terms, postmeta, comments


def item_meta(postmeta: list[etree._Element]) -> dict[str, str]:
    """``wp:postmeta`` elements as key -> value (a later value of a key wins)."""
    meta: dict[str, str] = {}
    for child in postmeta:
        pf = _fields(child)
        key = pf.get("wp:meta_key", "").strip()
        if key:
            meta[key] = pf.get("wp:meta_value", "")
    return meta


def item_id(
    f: dict[str, str],
    source: str,
    line: int | None,
    index: int,
    problems: list[Problem],
    terms: list[Term] | None = None,
) -> str:
    """The item's id (a stand-in, reported, when it has none); repairs double-encoded UTF-8 in
    its title, content, excerpt (in ``f``) and term names, reporting each."""
    post_id = f.get("wp:post_id", "").strip()
    if not post_id:
        post_id = f"{Path(source).name}#item{index}"
        problems.append(
            Problem(
                "warning",
                "missing-id",
                "item has no wp:post_id; a stand-in id was given",
                id=post_id,
                source=source,
                line=line,
            )
        )
    for key in ("title", "content:encoded", "excerpt:encoded"):
        f[key] = _unmangle(f.get(key, ""), key, post_id, source, line, problems)
    for term in terms or ():
        term.name = _unmangle(term.name, "category", post_id, source, line, problems)
    return post_id


def _unmangle(text: str, field: str, post_id: str, source: str, line: int | None, problems: list[Problem]) -> str:
    """Repair double-encoded UTF-8 in one field, reporting either way."""
    fixed, repaired = repair_mojibake(text)
    if repaired is True:
        problems.append(
            Problem(
                "warning",
                "mojibake-repaired",
                f"{field}: double-encoded UTF-8 repaired",
                id=post_id,
                source=source,
                line=line,
            )
        )
    elif repaired is False:
        problems.append(
            Problem(
                "warning",
                "mojibake-suspected",
                f"{field}: looks like double-encoded UTF-8 but has no unambiguous repair; kept",
                id=post_id,
                source=source,
                line=line,
            )
        )
    return fixed


def _item_term(child: etree._Element) -> Term | None:
    label = clean_text(child.text or "")
    domain = (child.get("domain") or "category").strip()
    if domain == "tag":
        domain = "post_tag"
    slug = decode_slug(child.get("nicename") or "") or slugify(label)
    if not label and not slug:
        return None
    return Term(domain, slug, label or slug)


def _comment(elem: etree._Element) -> Comment:
    f = _fields(elem)
    g = lambda key: f.get("wp:comment_" + key, "").strip()  # noqa: E731
    return Comment(
        id=g("id"),
        author=clean_text(g("author")),
        date=parse_wp_date(g("date"), g("date_gmt")),
        content=f.get("wp:comment_content", ""),
        parent=g("parent") or "0",
        approved=g("approved") or "0",
        type=g("type") or "comment",
        author_url=g("author_url"),
        author_email=g("author_email"),
        author_ip=g("author_IP"),
        user_id=g("user_id") or "0",
    )


def _int(value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        return 0
