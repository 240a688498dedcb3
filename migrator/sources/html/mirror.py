"""Saved site folders (wget / HTTrack / "Save page as") and crawls: each post once.

A mirror holds far more files than posts: listings (home, archives, their ``/page/N/``), the
query-string variants a block theme's Query Loop multiplies (``?query-3-page=2``), reply links
(``?replytocom=5``), feeds saved as ``index.html``, and the later pages of a paginated post
(``/slug/2/``).  :class:`Assembler` decides, page by page, what each one contributes:

* a page whose canonical link names another page of the set is a variant of it: nothing;
* a page of a paginated post (``body_class()``'s ``paged-N``, or a URL ``<permalink>N/``) joins
  its post, in page order, with WordPress's ``<!--nextpage-->`` marker between the pages;
* a listing contributes only the posts that have no page of their own in the set (marked
  partial when it shows an excerpt).

:func:`read_mirror` looks at each file's head first (canonical link, body classes) and reads
in full only the pages that can contribute, so time and memory follow the number of distinct
pages, not of files.  The live reader's crawl path uses the same :class:`Assembler`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote

from ...model import Document, Problem, Site
from ...urls import urljoin, urlsplit
from ..progress import step
from . import vocabulary as V
from .dom import clean_url
from .document import doc_id
from .page import PageResult, decode, extract_page

#: WordPress's own paths that never hold content: admin, login, API, feeds, assets, embeds.
NOT_CONTENT_PATHS = re.compile(
    r"^/(wp-admin|wp-json|wp-login\.php|wp-content|wp-includes|xmlrpc\.php)(/|$)|"
    r"/feed/?$|/trackback/?$|/embed/?$",
    re.I,
)
#: Query parameters that name a page of their own (plain permalinks), not a variant.
PAGE_QUERY_KEYS = frozenset({"p", "page_id", "attachment_id", "preview_id"})
_CANONICAL = re.compile(rb"""<link\b[^>]*\brel\s*=\s*["']?canonical\b[^>]*>""", re.I)
_HREF = re.compile(rb"""\bhref\s*=\s*["']([^"'>]+)""", re.I)
_BODY_CLASS = re.compile(rb"""<body\b[^>]*\bclass\s*=\s*["']([^"']*)""", re.I)
_PAGED = re.compile(r"^(?:single|page|attachment)-paged-(\d+)$|^paged-(\d+)$")
_POST_OF_BODY = re.compile(r"^(?:postid|page-id)-(\d+)$")
_PART_URL = re.compile(r"^(.*/)(\d{1,3})/?$")
_HOST_DIR = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z0-9-]+(?::\d+)?$|^[a-z0-9.-]+:\d+$", re.I)


def page_key(url: str) -> str:
    """A page's identity within one site: its path (decoded, no trailing slash) and query."""
    parts = urlsplit(clean_url(url))
    path = unquote(parts.path).rstrip("/") or "/"
    return path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Facts:
    """What a page's head says about it: canonical link and body classes."""

    url: str
    canonical: str = ""
    body_classes: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        return page_key(self.url)

    @property
    def canonical_key(self) -> str:
        return page_key(self.canonical) if self.canonical else ""

    @property
    def listing(self) -> bool:
        body = self.body_classes
        if any(V.SINGLE_BODY.token(c) for c in body) or any(_POST_OF_BODY.match(c) for c in body):
            return False
        return any(V.INDEX_BODY.token(c) for c in body)

    @property
    def post_id(self) -> str:
        for c in self.body_classes:
            m = _POST_OF_BODY.match(c)
            if m:
                return m.group(1)
        return ""

    @property
    def part(self) -> int:
        """The page number of a paginated post's page (1 for the first or only page)."""
        for c in self.body_classes:
            m = _PAGED.match(c)
            if m and self.post_id:
                return int(m.group(1) or m.group(2))
        return 1


def head_facts(data: bytes, url: str) -> Facts:
    """Canonical link and body classes, read from the raw bytes without parsing the page."""
    facts = Facts(url)
    m = _CANONICAL.search(data)
    if m:
        href = _HREF.search(m.group(0))
        if href:
            facts.canonical = clean_url(href.group(1).decode("utf-8", "replace").replace("&amp;", "&"))
    m = _BODY_CLASS.search(data)
    if m:
        facts.body_classes = set(m.group(1).decode("utf-8", "replace").split())
    return facts


def is_html(data: bytes) -> bool:
    """True for an HTML page (not a feed, sitemap or JSON saved under an ``.html`` name)."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml"):
        return b"<html" in head
    if re.match(rb"<(?:rss|feed|rdf:rdf|urlset|sitemapindex)\b", head):
        return False
    return head.startswith(b"<")


# --------------------------------------------------------------------------------------------
# Assembly


@dataclass
class _Post:
    doc: Document
    refs: list[str]
    origin: object  # the page file (mirror) or URL (crawl) it came from
    parts: dict[int, tuple[Document, list[str]]] = field(default_factory=dict)


class Assembler:
    """Pages in, each post once out (see the module docstring)."""

    def __init__(self, problems: list[Problem] | None = None) -> None:
        self.problems = problems if problems is not None else []
        self._held: dict[str, list[Problem]] = {}  # problems of documents not yet known to be kept
        self._singles: dict[str, _Post] = {}  # post key -> post
        self._by_link: dict[str, str] = {}  # permalink key -> post key
        self._parts: list[tuple[Facts, Document, list[str], object]] = []
        self._listed: list[tuple[Document, list[str], object]] = []
        self.pages: set[str] = set()  # keys of every page seen

    def add(
        self, facts: Facts, result: PageResult, origin: object, page_problems: tuple[Problem, ...] | list[Problem] = ()
    ) -> None:
        """Take one page's documents (and the problems reading it found: those about a document
        are reported only if the document is kept)."""
        self.pages.add(facts.key)
        for problem in page_problems:
            if problem.id and any(doc.id == problem.id for doc in result.documents):
                self._held.setdefault(problem.id, []).append(problem)
            else:
                self.problems.append(problem)
        if result.kind == "index":
            for doc in result.documents:
                self._listed.append((doc, result.image_refs.get(doc.id, []), origin))
            return
        for doc in result.documents:
            refs = result.image_refs.get(doc.id, [])
            if facts.part > 1 or self._is_part(facts):
                self._parts.append((facts, doc, refs, origin))
                continue
            key = f"id:{facts.post_id}" if facts.post_id else f"url:{page_key(doc.link) if doc.link else doc.id}"
            if key in self._singles:
                continue
            self._singles[key] = _Post(doc, refs, origin)
            if doc.link:
                self._by_link.setdefault(page_key(doc.link), key)
            elif doc.title.strip():
                self._by_link.setdefault("title:" + doc.title.strip().lower(), key)

    def _is_part(self, facts: Facts) -> bool:
        """A page ``<permalink>N/`` whose permalink page is in the set (no body classes to say so)."""
        m = _PART_URL.match(urlsplit(facts.canonical or facts.url).path)
        if not m or facts.post_id or int(m.group(2)) < 2:
            return False
        return page_key(m.group(1)) in self.pages

    def known(self, url: str) -> bool:
        return page_key(url) in self.pages

    def documents(self) -> Iterator[tuple[Document, list[str], object]]:
        """Every post once: singles (with their later pages joined), then posts only listed."""
        for facts, doc, refs, origin in self._parts:
            key = f"id:{facts.post_id}" if facts.post_id else ""
            if not key:
                m = _PART_URL.match(urlsplit(facts.canonical or facts.url).path)
                key = self._by_link.get(page_key(m.group(1)), "") if m else ""
            post = self._singles.get(key)
            if post is None:  # the first page is missing: the part stands for the post
                self._singles[key or f"url:{facts.key}"] = post = _Post(doc, refs, origin)
                continue
            post.parts.setdefault(facts.part if facts.part > 1 else _part_number(facts), (doc, refs))
        for post in self._singles.values():
            if post.parts:
                _join(post)
            self._report(post.doc.id)
            yield post.doc, post.refs, post.origin
        seen: dict[str, int] = {}
        chosen: list[tuple[Document, list[str], object]] = []
        for doc, refs, origin in self._listed:
            key = page_key(doc.link) if doc.link else "title:" + doc.title.strip().lower()
            pid = doc.extra.get("post_id")
            if key in self._by_link or (pid and f"id:{pid}" in self._singles):
                continue
            if key in seen:
                i = seen[key]
                if chosen[i][0].extra.get("partial") and not doc.extra.get("partial"):
                    chosen[i] = (doc, refs, origin)  # a fuller excerpt
                continue
            seen[key] = len(chosen)
            chosen.append((doc, refs, origin))
        for doc, refs, origin in chosen:
            self._report(doc.id)
            yield doc, refs, origin

    def _report(self, doc_id: str) -> None:
        for problem in self._held.pop(doc_id, []):
            self.problems.append(problem)


def _part_number(facts: Facts) -> int:
    m = _PART_URL.match(urlsplit(facts.canonical or facts.url).path)
    return int(m.group(2)) if m else 2


def _join(post: _Post) -> None:
    """The post's pages in order, with WordPress's page-break marker between them."""
    pieces = [post.doc.content]
    for number in sorted(post.parts):
        doc, refs = post.parts[number]
        pieces.append(doc.content)
        post.refs += [r for r in refs if r not in post.refs]
    post.doc.content = "\n<!--nextpage-->\n".join(pieces)
    post.doc.extra.pop("partial", None)


# --------------------------------------------------------------------------------------------
# Mirrors


def is_page_file(path: Path) -> bool:
    name = path.name.lower()
    return path.suffix.lower() in {".html", ".htm"} or ".html?" in name or ".htm?" in name


def mirror_pages(directory: Path) -> list[Path]:
    pages = [p for p in directory.rglob("*") if p.is_file() and is_page_file(p)]
    return sorted(pages, key=lambda p: p.relative_to(directory).as_posix())


def file_url(page: Path, directory: Path) -> str:
    """The URL a mirrored file was saved from, as a root-relative URL (``/2024/07/04/slug/?x=1``).

    ``index.html`` stands for its folder; wget writes a query string into the file name
    (``index.html?p=3``, with ``--adjust-extension`` ``index.html?p=3.html``)."""
    rel = page.relative_to(directory).as_posix()
    first, _, rest = rel.partition("/")
    if rest and _HOST_DIR.match(first) and (directory / first).is_dir():
        rel = rest  # wget's folder per host (``127.0.0.1:8088/``, ``www.example.com/``)
    path, _, query = rel.partition("?")
    if query.lower().endswith((".html", ".htm")) and "." not in query.rsplit("=", 1)[-1][:-5]:
        query = re.sub(r"\.html?$", "", query, flags=re.I)
    if path.lower().endswith(("/index.html", "/index.htm")) or path.lower() in ("index.html", "index.htm"):
        path = path.rsplit("index.", 1)[0]
    return "/" + path + (f"?{query}" if query else "")


def _variant_of(url: str) -> str:
    """The page a query-string variant belongs to ("" when the query names a page of its own)."""
    parts = urlsplit(url)
    if not parts.query:
        return ""
    keys = {k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if keys & PAGE_QUERY_KEYS:
        return ""
    return parts.path


def _local_image(ref: str, page: Path, directory: Path) -> str:
    """Path (relative to the mirror, posix) of the file a page's image reference points at."""
    ref = clean_url(ref)
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
    """Yield each post of a saved site folder once (see the module docstring)."""
    directory = Path(directory)
    files = mirror_pages(directory)
    urls = {page: file_url(page, directory) for page in files}
    keys = {page_key(u) for u in urls.values()}
    assembler = Assembler(problems)
    assembler.pages.update(keys)
    listings: list[tuple[Path, Facts]] = []
    for n, page in enumerate(files):
        step("reading its pages", n, len(files), "files")
        if NOT_CONTENT_PATHS.search(urlsplit(urls[page]).path):
            continue  # WordPress's admin, login, API, feeds
        data = _read(page, problems)
        if data is None:
            continue
        if not is_html(data):
            problems.append(
                Problem("info", "html-not-a-page", "not an HTML page (a feed or data file); skipped", source=str(page))
            )
            continue
        facts = head_facts(data, urls[page])
        assembler.pages.add(facts.key)
        if facts.canonical and facts.canonical_key != facts.key and facts.canonical_key in keys:
            continue  # a variant of a page the mirror holds (the canonical link decides)
        base = _variant_of(facts.url)
        if base and not facts.canonical and page_key(base) in keys:
            continue  # a query-string variant (no canonical link) of a page the mirror holds
        if facts.listing:
            listings.append((page, facts))
            continue
        found: list[Problem] = []
        result = extract_page(decode(data), str(page), site, found)
        if result.kind != "index":
            own_links(result, urls[page], site.link, found)
        assembler.add(facts, result, page, found)
    step("reading its pages", len(files), len(files), "files")
    for n, (page, facts) in enumerate(listings):
        step("reading its listings for posts only listed", n, len(listings), "files")
        data = _read(page, problems)
        if data is None or not _lists_unknown_pages(data, facts, assembler):
            continue
        found: list[Problem] = []
        result = extract_page(decode(data), str(page), site, found)
        assembler.add(facts, result, page, found)
    for doc, refs, page in assembler.documents():
        local: list[str] = []
        for ref in refs:
            path = _local_image(ref, page, directory)
            if path and path not in local:
                local.append(path)
        if local:
            doc.extra["images_local"] = local
        yield doc


def own_links(result: PageResult, url: str, home: str, problems: list[Problem]) -> None:
    """A single page that names no permalink (no canonical link, as on attachment pages) is at
    the URL it was saved (or fetched) from: that is its link, and its id."""
    if not home:
        return
    for doc in result.documents:
        if doc.link:
            continue
        old = doc.id
        doc.link = doc.guid = urljoin(home, url)
        doc.id = doc_id(doc.link, doc.title, doc.date)
        result.image_refs[doc.id] = result.image_refs.pop(old, [])
        for problem in problems:
            if problem.id == old:
                problem.id = doc.id


def _read(page: Path, problems: list[Problem]) -> bytes | None:
    try:
        return page.read_bytes()
    except OSError as exc:
        problems.append(Problem("error", "html-unreadable", f"cannot read file: {exc}", source=str(page)))
        return None


def _lists_unknown_pages(data: bytes, facts: Facts, assembler: Assembler) -> bool:
    """True when the listing links to a page of the site the set does not hold (a post that may
    exist only as an excerpt here)."""
    for m in _HREF.finditer(data):
        href = m.group(1).decode("utf-8", "replace").replace("&amp;", "&").split("#", 1)[0]
        parts = urlsplit(href)
        if parts.scheme not in ("", "http", "https") or not parts.path or "/wp-" in parts.path:
            continue
        if re.search(r"\.(?:css|js|xml|json|png|jpe?g|gif|svg|webp|ico|woff2?|php)$", parts.path, re.I):
            continue
        if parts.query and _variant_of(href):
            continue
        if not assembler.known(parts.path + (f"?{parts.query}" if parts.query else "")):
            return True
    return False
