"""The crawl path of a live site without a usable REST API: pages from the site's sitemap (robots.txt
``Sitemap:``, ``/wp-sitemap.xml``, ``/sitemap_index.xml``, ``/sitemap.xml``, indexes followed) or,
failing that, breadth-first over its internal links (robots.txt respected); every page goes
through the HTML reader and the mirror's :class:`Assembler` (each post once)."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from ...media_urls import is_media_url
from ...model import Document, Problem, Site
from ...net import FetchError, HttpClient, Response
from ..html import _decode, _norm_url, extract_page
from ..html.mirror import NOT_CONTENT_PATHS, Assembler, Facts, own_links, page_key
from ..progress import step
from .api import MAX_PAGES, FetchProgress

SITEMAP_PATHS = ("/wp-sitemap.xml", "/sitemap_index.xml", "/sitemap.xml")
#: Sitemaps listing archives or authors, not posts (WordPress core, Yoast, Rank Math names).
ARCHIVE_SITEMAP = re.compile(r"taxonom|users|author|category|post_tag|tag-sitemap|format", re.I)
#: Paths never crawled: admin, API, feeds, uploads.
SKIP_PATHS = NOT_CONTENT_PATHS
#: Query parameters a crawled link may carry (plain permalinks, pagination).
CRAWL_QUERY_KEYS = frozenset({"p", "page_id", "paged", "cat", "tag", "m", "author", "page"})


class Crawler:
    """Documents from crawling a site's HTML pages (sitemap first, else internal links)."""

    def __init__(
        self, client: HttpClient, home: Response, site: Site, problems: list[Problem], progress: FetchProgress | None
    ):
        self.client = client
        self.home = home
        self.site = site
        self.problems = problems
        self.progress = progress
        self.home_key = _site_key(home.final_url)
        self.robots, note = self.client.robots(home.final_url)
        if note:
            problems.append(Problem("warning", "live-robots", note, source=home.final_url))

    def allowed(self, url: str) -> bool:
        return self.robots.can_fetch("migrator", url)

    def documents(self) -> Iterator[Document]:
        step("looking for the site's sitemap")
        urls = self._sitemap_urls()
        assembler = Assembler(self.problems)
        if urls:
            urls = self._polite(urls)
            total = len(urls)
            step("reading the pages of the sitemap", 0, total, "pages")
            parts: list[str] = []
            for i in range(0, len(urls), self.client.jobs):
                batch = urls[i : i + self.client.jobs]
                for url, result in zip(batch, self.client.get_many(batch)):
                    links = self._page_docs(url, result, assembler)
                    parts += [u for u in later_pages(url, links) if not assembler.known(u) and u not in parts]
                self._report(min(i + len(batch), total), total)
            # the later pages of paginated posts (sitemaps list only the first)
            parts = self._polite([u for u in parts if self._crawlable(u)])
            for i in range(0, len(parts), self.client.jobs):
                step("reading the later pages of paginated posts", i, len(parts), "pages")
                batch = parts[i : i + self.client.jobs]
                for url, result in zip(batch, self.client.get_many(batch)):
                    self._page_docs(url, result, assembler)
        else:
            step("crawling the site's links (no sitemap)")
            self._crawl_links(assembler)
        for doc, _refs, _url in assembler.documents():
            yield doc

    def _report(self, done: int, total: int | None) -> None:
        step("reading the pages of the sitemap" if total else "crawling the site's links", done, total, "pages")
        if self.progress is not None:
            self.progress(done, total)

    def _polite(self, urls: list[str]) -> list[str]:
        kept = []
        for url in urls:
            if self.allowed(url):
                kept.append(url)
            else:
                self.problems.append(
                    Problem("info", "live-robots-disallowed", "robots.txt disallows this page; not fetched", source=url)
                )
        return kept

    # ------------------------------------------------------------------ sitemaps

    def _sitemap_urls(self) -> list[str]:
        """Page URLs from the first sitemap that lists any (sitemap indexes followed)."""
        base = self.home.final_url
        candidates = [u for u in self.robots.site_maps() or [] if _site_key(u) == self.home_key]
        candidates += [urljoin(base, p) for p in SITEMAP_PATHS]
        seen: set[str] = set()
        for candidate in candidates:
            if candidate in seen:
                continue
            seen.add(candidate)
            pages = self._read_sitemap(candidate, seen, depth=0)
            if pages:
                unique = list(dict.fromkeys(pages))
                return unique
        return []

    def _read_sitemap(self, url: str, seen: set[str], depth: int) -> list[str]:
        try:
            response = self.client.get(url)
        except FetchError:
            return []
        if not response.ok:
            return []
        kind, locs = parse_sitemap(response.body)
        if kind == "urlset":
            return [u for u in locs if self._crawlable(u)]
        if kind != "sitemapindex" or depth >= 3:
            return []
        pages: list[str] = []
        for loc in locs:
            name = urlsplit(loc).path.rsplit("/", 1)[-1]
            if loc in seen or ARCHIVE_SITEMAP.search(name) or _site_key(loc) != self.home_key:
                continue
            seen.add(loc)
            pages += self._read_sitemap(loc, seen, depth + 1)
        return pages

    # ------------------------------------------------------------------ links

    def _crawlable(self, url: str) -> bool:
        try:
            parts = urlsplit(url)
        except ValueError:
            return False
        if parts.scheme not in ("http", "https") or _site_key(url) != self.home_key:
            return False
        if SKIP_PATHS.search(parts.path) or is_media_url(url):
            return False
        keys = {k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
        return keys <= CRAWL_QUERY_KEYS

    def _crawl_links(self, assembler: Assembler) -> None:
        """Breadth-first over internal links from the home page (robots.txt respected)."""
        start = _strip_fragment(self.home.final_url)
        queue = [start]
        seen = {_norm_url(start)}
        fetched = 0
        while queue and fetched < MAX_PAGES:
            level, queue = queue[: self.client.jobs], queue[self.client.jobs :]
            level = self._polite(level)
            for url, result in zip(level, self.client.get_many(level)):
                fetched += 1
                for link in self._page_docs(url, result, assembler):
                    key = _norm_url(link)
                    if key not in seen and self._crawlable(link):
                        seen.add(key)
                        queue.append(link)
            self._report(fetched, None)

    def _page_docs(self, url: str, result: Response | FetchError, assembler: Assembler) -> list[str]:
        """Read one fetched page into ``assembler``; the links on it."""
        if isinstance(result, FetchError):
            self.problems.append(
                Problem("error", "live-fetch-failed", f"page could not be fetched: {result.reason}", source=url)
            )
            return []
        if not result.ok:
            self.problems.append(
                Problem("warning", "live-http-error", f"page answered HTTP {result.status}", source=url)
            )
            return []
        if result.content_type and "html" not in result.content_type:
            return []
        text = _decode(result.body)
        found: list[Problem] = []
        page = extract_page(text, url, self.site, found)
        if page.kind != "index":
            own_links(page, result.final_url, result.final_url, found)
        for doc in page.documents:
            doc.source = url
        facts = Facts(result.final_url, page.meta.canonical, page.meta.body_classes)
        assembler.add(facts, page, url, found)
        assembler.pages.add(page_key(url))
        return page_links(text, result.final_url)


def later_pages(url: str, links: list[str]) -> list[str]:
    """Links from a page to its own later pages (``<url>2/``, ``?page=2``): a paginated post."""
    base = url.split("#", 1)[0].split("?", 1)[0].rstrip("/") + "/"
    out = []
    for link in links:
        if re.fullmatch(re.escape(base) + r"\d{1,3}/?", link) or re.fullmatch(
            re.escape(url.split("#", 1)[0]) + r"[?&]page=\d{1,3}", link
        ):
            out.append(link)
    return out


def parse_sitemap(body: bytes) -> tuple[str, list[str]]:
    """(``urlset`` | ``sitemapindex`` | "", the ``<loc>`` URLs) of a sitemap (gzip accepted)."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError):
            return "", []
    parser = etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        recover=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
    )
    try:
        root = etree.fromstring(body.strip(), parser)
    except (etree.XMLSyntaxError, ValueError):
        return "", []
    if root is None:
        return "", []
    kind = etree.QName(root).localname.lower()
    if kind not in ("urlset", "sitemapindex"):
        return "", []
    child = "url" if kind == "urlset" else "sitemap"
    locs = []
    for el in root:
        if not isinstance(el.tag, str) or etree.QName(el).localname != child:
            continue
        for sub in el:
            if isinstance(sub.tag, str) and etree.QName(sub).localname == "loc" and (sub.text or "").strip():
                locs.append(sub.text.strip())
    return kind, locs


def page_links(text: str, base: str) -> list[str]:
    """Absolute ``<a href>`` targets of a page, in document order, without fragments."""
    try:
        root = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return []
    out: list[str] = []
    for href in root.xpath("//a/@href"):
        href = href.strip()
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
            continue
        try:
            out.append(_strip_fragment(urljoin(base, href)))
        except ValueError:
            continue
    return list(dict.fromkeys(out))


def _strip_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def _site_key(url: str) -> str:
    """Host without ``www.`` plus port: the unit of "this site" for crawling."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().removeprefix("www.")
        return f"{host}:{parts.port}" if parts.port else host
    except ValueError:
        return ""
