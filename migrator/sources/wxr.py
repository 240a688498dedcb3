"""WordPress eXtended RSS (WXR 1.0-1.2) reader.

Streams with ``lxml.etree.iterparse`` and clears every element once read, so memory does not
grow with the export.  Elements are matched by namespace URI, never by prefix, and every
spelling of the WordPress namespaces is accepted (http/https, 1.0/1.1/1.2).  The parser never
resolves entities, loads a DTD or touches the network.
"""

from __future__ import annotations

import bisect
import gzip
import io
import re
from array import array
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO

from lxml import etree

from ..model import Author, Comment, Document, Problem, Site, Term
from ..slugs import slugify
from .dates import parse_wp_date
from .ids import doc_key, id_hash, merge_sorted
from .progress import listening, open_told
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


def _open(path: Path) -> IO[bytes]:
    if listening():  # pass 1 of convert: say how far into the file the reading is
        return open_told(path)
    if path.suffix == ".gz":
        return gzip.open(path, "rb")
    return open(path, "rb")


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


def read_wxr(path: Path, site: Site, problems: list[Problem]) -> Iterator[Document]:
    """Yield every item of the export as a :class:`Document`; fill ``site`` from the channel.

    Three readings at most, each skipping the items already yielded:

    1. strict, over the file with its encoding settled and any DOCTYPE removed
       (:class:`~migrator.sources.xmlsafe.CleanStream`);
    2. if that fails (reported as ``xml-syntax`` with its line): strict again over the repaired
       stream (invalid characters removed, bare ``&`` escaped, nested CDATA kept as text...,
       each repair reported with its line).  A file that ends before ``</rss>`` is reported as
       ``xml-truncated``; every complete item before the cut has been read by then;
    3. if the repaired file is still not well-formed: item by item (:func:`split_items`), each
       item parsed on its own, strictly or else in lxml's recover mode (``xml-item-broken``).

    ``xml-syntax`` is an error only when data may have been lost (a cut, an item or the channel
    read in recover mode); when every item was read whole after repairs it is a warning (the
    repairs themselves are warnings too).  See docs/problems.md.
    """
    source = str(path)
    seen = SeenIds()
    try:
        with _open(path) as raw:
            stream = CleanStream(raw, source, problems)
            for doc in _read(stream, site, problems, recover=False):
                seen.add(doc_key(doc))
                yield doc
        return
    except etree.XMLSyntaxError as exc:
        msg, first_line = syntax_error(exc)
    except NotAnExport:
        raise
    recovery = _Recovery()
    syntax = [Problem("error", "xml-syntax", f"XML is not well-formed ({msg})", source=source, line=first_line)]
    try:
        yield from _reread(path, site, problems, seen, syntax, recovery)
    finally:
        lost = recovery.lost
        for p in syntax:
            p.severity = "error" if lost else "warning"
            p.message += "; recovered what could be read" if lost else "; repaired: every item was read whole"
        problems.extend(syntax)
        problems.extend(recovery.problems)


class _Recovery:
    """What the re-readings of a broken file found: whether data may have been lost, and the
    problems to report once that is known."""

    def __init__(self) -> None:
        self.lost = False
        self.problems: list[Problem] = []


def _reread(
    path: Path, site: Site, problems: list[Problem], seen: SeenIds, syntax: list[Problem], recovery: _Recovery
) -> Iterator[Document]:
    """Readings 2 and 3 of :func:`read_wxr`."""
    source = str(path)
    first_line = syntax[0].line
    repair_problems: list[Problem] = []
    item_problems: list[Problem] = []
    error_line: int | None = None
    try:
        with _open(path) as raw:
            stream = CleanStream(raw, source, repair_problems, repair=True)
            for doc in _read(stream, site, item_problems, recover=False):
                yield from _recovered(doc, seen, item_problems, problems)
        return
    except etree.XMLSyntaxError as exc:
        msg, error_line = syntax_error(exc)
        if stream.eof and stream.open_item is not None:
            recovery.lost = True
            recovery.problems.append(
                Problem(
                    "error",
                    "xml-truncated",
                    f"the file ends inside the item starting at line {stream.open_item} "
                    "(cut off?); what it holds is read in recover mode and may be incomplete",
                    source=source,
                    line=stream.line,
                )
            )
        elif stream.eof and _cut_at_end(exc, error_line, stream.line):
            if _unclosed(exc) == {"rss"}:  # only </rss> is missing: nothing follows </channel>
                recovery.problems.append(
                    Problem(
                        "warning",
                        "xml-truncated",
                        "the file ends after </channel> without </rss> (cut off?); nothing is lost",
                        source=source,
                        line=stream.line,
                    )
                )
            else:
                recovery.lost = True
                recovery.problems.append(
                    Problem(
                        "error",
                        "xml-truncated",
                        "the file ends before </channel> (cut off between items?); every "
                        "item before the cut is read, anything after it is lost",
                        source=source,
                        line=stream.line,
                    )
                )
            return  # every complete item was read before the parser ran out of input
        elif error_line != first_line:
            syntax.append(
                Problem(
                    "error",
                    "xml-syntax",
                    f"XML is not well-formed ({msg}) even after repairs; the rest is read item by item",
                    source=source,
                    line=error_line,
                )
            )
    except NotAnExport:
        recovery.lost = True  # the repaired file does not even look like an export any more
        return
    finally:
        _merge(problems, repair_problems)
    # 3. item by item: one broken item cannot take the others with it
    yield from _item_by_item(path, site, problems, seen, error_line, recovery)


def _cut_at_end(exc: etree.XMLSyntaxError, line: int | None, last_line: int) -> bool:
    """Whether a failed parse ran out of input (the file ends before its elements are closed)."""
    types = {entry.type_name for entry in exc.error_log}
    return bool(types & {"ERR_TAG_NOT_FINISHED", "ERR_DOCUMENT_END", "ERR_LTSLASH_REQUIRED"}) or (
        line is not None and line >= last_line
    )


_UNCLOSED = re.compile(r"Premature end of data in tag (\S+)")


def _unclosed(exc: etree.XMLSyntaxError) -> set[str]:
    """The elements a parse that ran out of input left open (libxml2 names each)."""
    return {m.group(1) for entry in exc.error_log if (m := _UNCLOSED.search(entry.message or ""))}


def _lossless(exc: etree.XMLSyntaxError) -> bool:
    """Whether every error of a failed strict parse is a namespace error (a namespace URI
    libxml2 refuses, an undeclared prefix): recover mode then reads the same text."""
    entries = list(exc.error_log)
    return bool(entries) and all(entry.domain_name == "NAMESPACE" for entry in entries)


class SeenIds:
    """The items yielded so far (:func:`doc_key`), 8 bytes each (a set of strings would cost
    ~80: on a healthy export this is only ever added to; it is looked at only after a syntax
    error)."""

    #: recent ids are kept in a set; past this many they join the sorted array
    RECENT = 4096

    def __init__(self) -> None:
        self._hashes = array("q")  # sorted
        self._recent: set[int] = set()

    _hash = staticmethod(id_hash)

    def add(self, item_id: str) -> None:
        self._recent.add(self._hash(item_id))
        if len(self._recent) >= self.RECENT:
            (self._hashes,) = merge_sorted([self._hashes], ((h,) for h in sorted(self._recent)))
            self._recent.clear()

    def __contains__(self, item_id: str) -> bool:
        wanted = self._hash(item_id)
        if wanted in self._recent:
            return True
        at = bisect.bisect_left(self._hashes, wanted)
        return at < len(self._hashes) and self._hashes[at] == wanted


def _recovered(
    doc: Document, seen: SeenIds, item_problems: list[Problem], problems: list[Problem]
) -> Iterator[Document]:
    """Yield ``doc`` of a re-reading unless already yielded, with its own problems."""
    mine = [p for p in item_problems if p.id in (None, doc.id)]
    item_problems.clear()
    key = doc_key(doc)
    if key in seen:
        return
    seen.add(key)
    problems.extend(mine)
    problems.append(
        Problem(
            "warning",
            "recovered-item",
            "item read after repairing the XML; check its content",
            id=doc.id,
            source=doc.source,
            line=doc.line,
        )
    )
    yield doc


_SPLIT = re.compile(r"<!\[CDATA\[|\]\]>|<!--|-->|<item[\s>/]|</item\s*>")
_RSS_OPEN = re.compile(r"<rss\b[^>]*>")


def split_items(text: str) -> tuple[str, list[tuple[int, int]]]:
    """(text before the first item, [(start, end) of every ``<item>``]), CDATA-aware.  An item
    without ``</item>`` ends where the next one starts (or at the end of the text)."""
    spans: list[tuple[int, int]] = []
    in_cdata = in_comment = False
    start: int | None = None
    first: int | None = None
    for m in _SPLIT.finditer(text):
        tok = m.group()
        if in_cdata or in_comment:
            if tok == ("]]>" if in_cdata else "-->"):
                in_cdata = in_comment = False
            continue
        if tok == "<![CDATA[":
            in_cdata = True
        elif tok == "<!--":
            in_comment = True
        elif tok.startswith("<item"):
            first = m.start() if first is None else first
            if start is not None:
                spans.append((start, m.start()))
            start = m.start()
        elif tok.startswith("</item") and start is not None:
            spans.append((start, m.end()))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return (text[:first] if first is not None else text), spans


def _item_by_item(
    path: Path, site: Site, problems: list[Problem], seen: SeenIds, error_line: int | None, recovery: _Recovery
) -> Iterator[Document]:
    """Read each ``<item>`` of the repaired text on its own: strictly, else in recover mode.

    Holds the repaired file in memory (this is the last resort for a broken file).  Marks
    ``recovery`` lost when an item or the channel needed recover mode for more than namespace
    errors, or when the repaired file broke (``error_line``) outside every item."""
    source = str(path)
    with _open(path) as raw:
        text = CleanStream(raw, source, [], repair=True).read().decode("utf-8")
    head, spans = split_items(text)
    m = _RSS_OPEN.search(head)
    rss_open = re.sub(r"[\r\n]", " ", m.group()) if m else "<rss>"
    channel_head = head[m.end() :] if m else head
    channel = rss_open + channel_head + "</channel></rss>"
    try:
        _parse_quietly(channel, source, Site(), [], recover=False)
    except etree.XMLSyntaxError as exc:
        recovery.lost = recovery.lost or not _lossless(exc)
    except NotAnExport:
        pass
    _parse_quietly(channel, source, site, [], recover=True)
    head_lines = head.count("\n") + 1
    covered = error_line is None or error_line <= head_lines
    line, pos = 1, 0
    for index, (start, end) in enumerate(spans, start=1):
        line += text.count("\n", pos, start)
        pos = start
        if error_line is not None and line <= error_line <= line + text.count("\n", start, end):
            covered = True
        wrapped = rss_open + "<channel>" + text[start:end] + "</channel></rss>"
        item_problems: list[Problem] = []
        try:
            docs = _parse_quietly(wrapped, source, site, item_problems, recover=False, line=line, index=index)
        except etree.XMLSyntaxError as exc:
            msg, err_line = syntax_error(exc)
            lossless = _lossless(exc)
            recovery.lost = recovery.lost or not lossless
            problems.append(
                Problem(
                    "warning" if lossless else "error",
                    "xml-item-broken",
                    f"item not well-formed ({msg}); read in recover mode"
                    + ("; only namespace errors, nothing lost" if lossless else ""),
                    source=source,
                    line=line + (err_line or 1) - 1,
                )
            )
            item_problems = []
            docs = _parse_quietly(wrapped, source, site, item_problems, recover=True, line=line, index=index)
        for doc in docs:
            yield from _recovered(doc, seen, item_problems, problems)
    if not covered:
        recovery.lost = True  # what broke the file lies between items: dropped, whatever it was


def _parse_quietly(
    text: str, source: str, site: Site, problems: list[Problem], recover: bool, line: int = 1, index: int = 1
) -> list[Document]:
    """Parse a small well-wrapped piece; in recover mode never raises."""
    stream = io.BytesIO(text.encode("utf-8"))
    try:
        return list(_read(stream, site, problems, recover, source=source, line_offset=line - 1, first_index=index))
    except (etree.XMLSyntaxError, NotAnExport):
        if not recover:
            raise
        return []


def syntax_error(exc: etree.XMLSyntaxError) -> tuple[str, int | None]:
    """The first real error of a failed parse: (message, line).  lxml's own ``msg``/``lineno``
    sometimes name a follow-up error ("no element found", line 0)."""
    for entry in exc.error_log:
        if entry.line > 0 and entry.message:
            return entry.message.strip(), entry.line
    return exc.msg, exc.lineno or None


def _merge(problems: list[Problem], new: list[Problem]) -> None:
    """Add the problems of a re-reading that were not reported by an earlier one."""
    known = {(p.code, p.line, p.message) for p in problems}
    problems.extend(p for p in new if (p.code, p.line, p.message) not in known)


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
