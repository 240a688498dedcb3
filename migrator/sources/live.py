"""Live WordPress sites: read a running site through its REST API, or crawl it politely.

``LiveSite(url, options)`` is one URL input.  Its ``read`` yields :class:`Document` records
like the file readers do:

1. The REST API is discovered from the home page (``Link: <...>; rel="https://api.w.org/"``
   header or ``<link rel="https://api.w.org/">``), else ``/wp-json/``, else ``?rest_route=/``.
   Posts, pages and custom post types (``/wp/v2/types``), terms of every public taxonomy
   (``/wp/v2/taxonomies``), users (names only) and media are read with ``per_page=100``,
   following ``X-WP-TotalPages``.  Content is WordPress's rendered HTML
   (``content_kind="rendered"``); attachments carry their original URL, caption and alt text.
2. Without an API: the site's sitemap (robots.txt ``Sitemap:``, ``/wp-sitemap.xml``,
   ``/sitemap_index.xml``, ``/sitemap.xml``) or, failing that, its internal links are crawled
   (robots.txt respected) and every page goes through the HTML reader.

All HTTP goes through one :class:`~migrator.net.client.HttpClient` kept for the life of the
object, so the pipeline's second pass is served from the cache and sees exactly what the
first pass saw (same documents, same order).
"""

from __future__ import annotations

import atexit
import gzip
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html
from requests.utils import parse_header_links

from ..media_urls import is_media_url
from ..model import Author, Document, Problem, Site, Term
from ..net import FetchError, HttpClient, Response, allowed_hosts_for
from ..options import Options
from ..policy import NOT_CONTENT
from .html import _decode, _norm_url, extract_page
from .html.mirror import NOT_CONTENT_PATHS, Assembler, Facts, own_links, page_key
from .dates import parse_wp_date
from .wxr_fields import clean_text, decode_slug

API_REL = "https://api.w.org/"
PER_PAGE = 100
MAX_PAGES = 5000  # crawl limit (pages fetched) per site
SITEMAP_PATHS = ("/wp-sitemap.xml", "/sitemap_index.xml", "/sitemap.xml")
#: Sitemaps listing archives or authors, not posts (WordPress core, Yoast, Rank Math names).
ARCHIVE_SITEMAP = re.compile(r"taxonom|users|author|category|post_tag|tag-sitemap|format", re.I)
#: Paths never crawled: admin, API, feeds, uploads.
SKIP_PATHS = NOT_CONTENT_PATHS
#: Query parameters a crawled link may carry (plain permalinks, pagination).
CRAWL_QUERY_KEYS = frozenset({"p", "page_id", "paged", "cat", "tag", "m", "author", "page"})
#: Taxonomies that never label content.
SKIP_TAXONOMIES = frozenset({"nav_menu", "link_category", "post_format", "wp_theme", "wp_template_part_area",
                             "wp_pattern_category"})

FetchProgress = Callable[[int, "int | None"], None]


class SiteUnreachable(Exception):
    """The site cannot be read at all (raised before any document is yielded)."""

    def __init__(self, url: str, message: str):
        super().__init__(f"{url}: {message}")
        self.url = url
        self.message = message


def is_url(value: object) -> bool:
    """Whether an input is an http(s) URL rather than a file path."""
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://"))


def api_url(root: str, route: str, params: dict[str, str | int] | None = None) -> str:
    """The URL of ``route`` (``wp/v2/posts``) under the API root, pretty or ``?rest_route=``."""
    parts = urlsplit(root)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    extra = {k: str(v) for k, v in (params or {}).items()}
    if "rest_route" in query:
        query["rest_route"] = "/" + route.strip("/")
        query.update(extra)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query, safe="/"), ""))
    base = root if root.endswith("/") else root + "/"
    url = urljoin(base, route.strip("/"))
    return url + ("?" + urlencode(extra) if extra else "")


def api_link(response: Response) -> str:
    """The API root announced by a page: ``Link`` header, else ``<link rel>`` in the HTML."""
    for link in parse_header_links(response.headers.get("link", "")) if response.headers.get("link") else []:
        if link.get("rel", "").strip('"') == API_REL and link.get("url"):
            return urljoin(response.final_url, link["url"].strip())
    if "html" not in response.content_type and not response.body.lstrip()[:1] == b"<":
        return ""
    try:
        root = lxml_html.document_fromstring(_decode(response.body))
    except (etree.ParserError, ValueError):
        return ""
    for href in root.xpath("//link[@rel=$rel]/@href", rel=API_REL):
        if href.strip():
            return urljoin(response.final_url, href.strip())
    return ""


def _html_excerpt_text(fragment: str) -> str:
    text = clean_text(re.sub(r"<[^>]+>", " ", fragment or ""))
    return re.sub(r"\s+", " ", text).strip()


def manual_excerpt(excerpt_html: str, content_html: str) -> str:
    """``excerpt.rendered`` when it is a hand-written excerpt, else "".

    WordPress fills ``excerpt`` from the content when the author wrote none (the first 55
    words, then ``[&hellip;]`` or the theme's "more" link); such excerpts are dropped.
    """
    text = _html_excerpt_text(excerpt_html)
    if not text:
        return ""
    stripped = re.sub(r"\s*(\[(…|&hellip;|\.\.\.)\]|…|Continue reading.*|Read more.*)$", "", text).strip()
    body = _html_excerpt_text(content_html)
    if stripped and body.startswith(stripped):
        return ""
    return excerpt_html.strip()


def caption_html(rendered: str) -> str:
    """``caption.rendered`` without the ``<p>`` WordPress wraps around it."""
    text = (rendered or "").strip()
    m = re.fullmatch(r"<p>(.*)</p>", text, re.S)
    return (m.group(1) if m else text).strip()


def _rendered(item: dict, key: str) -> str:
    value = item.get(key)
    if isinstance(value, dict):
        return str(value.get("rendered") or "")
    return str(value or "")


def _date(item: dict, key: str):
    local = str(item.get(key) or "").replace("T", " ")
    gmt = str(item.get(key + "_gmt") or "").replace("T", " ")
    return parse_wp_date(local, gmt)


@dataclass
class Taxonomy:
    slug: str
    rest_base: str
    namespace: str = "wp/v2"
    terms: dict[int, Term] = field(default_factory=dict)  # by term id


@dataclass
class Collection:
    """One paginated REST list: a post type or media."""

    type: str
    route: str
    first: Response | None = None
    total: int | None = None
    pages: int | None = None


class LiveSite:
    """One URL input.  ``read`` may be called several times; the network is used once."""

    def __init__(self, url: str, options: Options | None = None, progress: FetchProgress | None = None,
                 forced: str | None = None):
        self.url = url.strip()
        if not urlsplit(self.url).path:
            self.url += "/"
        self.options = options or Options()
        self.progress = progress
        self.forced = forced
        self._client: HttpClient | None = None
        self._reads = 0
        self._tmp: str | None = None

    def __str__(self) -> str:
        return self.url

    @property
    def client(self) -> HttpClient:
        if self._client is None:
            cache = self.options.http_cache
            if not cache:
                self._tmp = tempfile.mkdtemp(prefix="migrator-http-")
                atexit.register(shutil.rmtree, self._tmp, True)
                cache = self._tmp
            self._client = HttpClient(
                allowed_hosts_for([self.url], wpcom=False),
                allow_private_hosts=self.options.allow_private_hosts,
                rate=self.options.rate, timeout=self.options.http_timeout, max_time=self.options.http_max_time,
                retries=self.options.http_retries,
                cache_dir=cache,
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    # ------------------------------------------------------------------ entry point

    def read(self, site: Site, problems: list[Problem]) -> Iterator[Document]:
        """Yield every document of the site; raises SiteUnreachable before yielding anything."""
        first = self._reads == 0
        self._reads += 1
        report = self.progress if first else None
        try:
            home = self.client.get(self.url)
        except FetchError as exc:
            raise SiteUnreachable(self.url, f"cannot reach the site: {exc.reason}") from None
        if home.final_url != self.url:
            self.client.allow_host(home.final_url)
        if not site.link:
            site.link = home.final_url
        if home.status >= 400:
            problems.append(Problem("warning", "live-http-error", f"home page answered HTTP {home.status}",
                                    source=self.url))
        root_url, root = ("", None) if self.forced == "html" else self._discover(home)
        if root is not None:
            reader = RestReader(self, root_url, root, site, problems, report)
            if reader.usable():
                yield from reader.documents()
                return
        elif self.forced != "html":
            problems.append(Problem("info", "live-no-api", "no WordPress REST API found; crawling the site instead",
                                    source=self.url))
        yield from Crawler(self, home, site, problems, report).documents()

    def _discover(self, home: Response) -> tuple[str, dict | None]:
        """The API root URL and its index JSON, or ("", None)."""
        candidates = []
        announced = api_link(home)
        if announced:
            candidates.append(announced)
        origin_home = home.final_url if home.final_url.endswith("/") else home.final_url + "/"
        candidates += [urljoin(origin_home, "wp-json/"), urljoin(origin_home, "?rest_route=/")]
        seen: set[str] = set()
        for url in candidates:
            if url in seen:
                continue
            seen.add(url)
            try:
                response = self.client.get(url)
            except FetchError:
                continue
            data = response.json() if response.ok else None
            if isinstance(data, dict) and "wp/v2" in (data.get("namespaces") or []):
                return url, data
        return "", None


class RestReader:
    """Documents from the REST API of one site."""

    def __init__(self, live: LiveSite, root_url: str, root: dict, site: Site, problems: list[Problem],
                 progress: FetchProgress | None):
        self.live = live
        self.client = live.client
        self.root_url = root_url
        self.site = site
        self.problems = problems
        self.progress = progress
        self.done = 0
        self.total: int | None = None
        self._fill_site(root)
        self.types = self._types()
        self.taxonomies: list[Taxonomy] = []
        self.users: dict[int, tuple[str, str]] = {}
        self.collections = [Collection(t, r) for t, r in self.types] + [Collection("attachment", "wp/v2/media")]

    def _fill_site(self, root: dict) -> None:
        site = self.site
        site.title = site.title or clean_text(str(root.get("name") or ""))
        site.description = site.description or clean_text(str(root.get("description") or ""))
        home = str(root.get("home") or "")
        url = str(root.get("url") or "")
        if home:
            site.link = home
            site.base_blog_url = site.base_blog_url or home
            self.client.allow_host(home)
        if url:
            site.base_site_url = site.base_site_url or url
            self.client.allow_host(url)
        site.generator = site.generator or "WordPress REST API"

    def _problem(self, severity: str, code: str, message: str, source: str = "") -> None:
        self.problems.append(Problem(severity, code, message, source=source or self.root_url))

    def _get_json(self, route: str, params: dict | None = None) -> tuple[Response | None, object]:
        url = api_url(self.root_url, route, params)
        try:
            response = self.client.get(url)
        except FetchError as exc:
            return None, exc
        return response, response.json() if response.ok else None

    # ------------------------------------------------------------------ structure

    def _types(self) -> list[tuple[str, str]]:
        """(post type, route) of every content type the API lists: post, page, then the rest."""
        response, data = self._get_json("wp/v2/types")
        if not isinstance(data, dict):
            return [("post", "wp/v2/posts"), ("page", "wp/v2/pages")]
        found: list[tuple[str, str]] = []
        for slug, info in data.items():
            if not isinstance(info, dict) or slug == "attachment" or slug in NOT_CONTENT or slug.startswith("wp_"):
                continue
            base = str(info.get("rest_base") or "").strip("/")
            namespace = str(info.get("rest_namespace") or "wp/v2").strip("/")
            if base:
                found.append((str(info.get("slug") or slug), f"{namespace}/{base}"))
        order = {"post": 0, "page": 1}
        return sorted(found, key=lambda t: (order.get(t[0], 2), t[0]))

    def usable(self) -> bool:
        """Read the first page of every collection; False when even posts are refused."""
        for coll in self.collections:
            response, data = self._get_json(coll.route, {"per_page": PER_PAGE, "page": 1})
            if response is None or not isinstance(data, list):
                why = data.reason if isinstance(data, FetchError) else (
                    f"HTTP {response.status}" if response is not None else "no answer")
                if coll.type == "post":
                    self._problem("warning", "live-api-refused",
                                  f"the REST API refused the post list ({why}); crawling the site instead")
                    return False
                severity = "info" if response is not None and response.status in (401, 403, 404) else "warning"
                self._problem(severity, "live-api-error", f"cannot list {coll.type} items: {why}",
                              api_url(self.root_url, coll.route))
                continue
            coll.first = response
            coll.total = response.header_int("x-wp-total")
            coll.pages = response.header_int("x-wp-totalpages")
        totals = [c.total for c in self.collections if c.first is not None]
        self.total = sum(t for t in totals if t is not None) if all(t is not None for t in totals) else None
        self._report()
        return True

    def _report(self) -> None:
        if self.progress is not None:
            self.progress(self.done, self.total)

    def _load_terms(self) -> None:
        response, data = self._get_json("wp/v2/taxonomies")
        taxonomies: list[Taxonomy] = []
        if isinstance(data, dict):
            for slug, info in data.items():
                if not isinstance(info, dict) or slug in SKIP_TAXONOMIES:
                    continue
                base = str(info.get("rest_base") or "").strip("/")
                if base:
                    taxonomies.append(Taxonomy(str(info.get("slug") or slug), base,
                                               str(info.get("rest_namespace") or "wp/v2").strip("/")))
        else:
            taxonomies = [Taxonomy("category", "categories"), Taxonomy("post_tag", "tags")]
        order = {"category": 0, "post_tag": 1}
        self.taxonomies = sorted(taxonomies, key=lambda t: (order.get(t.slug, 2), t.slug))
        for tax in self.taxonomies:
            items = self._all_items(f"{tax.namespace}/{tax.rest_base}")
            by_id = {item.get("id"): item for item in items if isinstance(item, dict)}
            for item in by_id.values():
                slug = decode_slug(str(item.get("slug") or ""))
                name = clean_text(str(item.get("name") or "")) or slug
                parent = by_id.get(item.get("parent"))
                term = Term(tax.slug, slug, name, decode_slug(str(parent.get("slug") or "")) if parent else "",
                            clean_text(str(item.get("description") or "")))
                if isinstance(item.get("id"), int):
                    tax.terms[item["id"]] = term
                if not any(t.taxonomy == term.taxonomy and t.slug == term.slug for t in self.site.terms):
                    self.site.terms.append(term)

    def _load_users(self) -> None:
        items = self._all_items("wp/v2/users")
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("id"), int):
                continue
            slug = str(item.get("slug") or "")
            name = clean_text(str(item.get("name") or "")) or slug
            self.users[item["id"]] = (name, slug)
            login = slug or str(item["id"])
            self.site.authors.setdefault(login, Author(login=login, display_name=name, id=str(item["id"])))

    def _all_items(self, route: str) -> list:
        """Every item of a small collection (terms, users), all pages."""
        items: list = []
        page = 1
        while page <= MAX_PAGES:
            response, data = self._get_json(route, {"per_page": PER_PAGE, "page": page})
            if not isinstance(data, list):
                if page == 1:
                    why = data.reason if isinstance(data, FetchError) else (
                        f"HTTP {response.status}" if response is not None else "no answer")
                    self._problem("info" if response is not None and response.status in (401, 403) else "warning",
                                  "live-api-error", f"cannot list {route}: {why}", api_url(self.root_url, route))
                break
            items += data
            pages = response.header_int("x-wp-totalpages") if response is not None else None
            if (pages is not None and page >= pages) or (pages is None and len(data) < PER_PAGE) or not data:
                break
            page += 1
        return items

    # ------------------------------------------------------------------ documents

    def documents(self) -> Iterator[Document]:
        self._load_terms()
        self._load_users()
        for coll in self.collections:
            if coll.first is None:
                continue
            for response, data in self._pages(coll):
                source = response.url
                for item in data:
                    if isinstance(item, dict) and item.get("id") is not None:
                        yield self._document(item, coll.type, source)
                self.done += len(data)
                self._report()

    def _pages(self, coll: Collection) -> Iterator[tuple[Response, list]]:
        assert coll.first is not None
        first = coll.first.json()
        yield coll.first, first if isinstance(first, list) else []
        if coll.pages is not None:
            rest = list(range(2, min(coll.pages, MAX_PAGES) + 1))
            batch = max(1, self.client.jobs)
            for i in range(0, len(rest), batch):
                urls = [api_url(self.root_url, coll.route, {"per_page": PER_PAGE, "page": n}) for n in rest[i:i + batch]]
                for url, result in zip(urls, self.client.get_many(urls)):
                    data = result.json() if isinstance(result, Response) and result.ok else None
                    if not isinstance(data, list):
                        why = result.reason if isinstance(result, FetchError) else f"HTTP {result.status}"
                        self._problem("error", "live-fetch-failed",
                                      f"a page of {coll.type} items could not be read ({why}); its items are missing",
                                      url)
                        continue
                    yield result, data
            return
        page, data = 1, first if isinstance(first, list) else []
        while len(data) >= PER_PAGE and page < MAX_PAGES:  # no X-WP-TotalPages: read until a short page
            page += 1
            response, data = self._get_json(coll.route, {"per_page": PER_PAGE, "page": page})
            if response is None or not isinstance(data, list):
                break
            yield response, data

    def _document(self, item: dict, post_type: str, source: str) -> Document:
        post_id = str(item.get("id"))
        author_id = item.get("author")
        name, login = self.users.get(author_id, ("", "")) if isinstance(author_id, int) else ("", "")
        if isinstance(author_id, int) and author_id and not name:
            login = str(author_id)
        content = item.get("content") if isinstance(item.get("content"), dict) else {}
        self_links = (item.get("_links") or {}).get("self") if isinstance(item.get("_links"), dict) else None
        if isinstance(self_links, list) and self_links and isinstance(self_links[0], dict):
            source = str(self_links[0].get("href") or source)
        doc = Document(
            id=post_id,
            type=str(item.get("type") or post_type),
            status=str(item.get("status") or ("inherit" if post_type == "attachment" else "publish")),
            title=clean_text(_rendered(item, "title")),
            slug=decode_slug(str(item.get("slug") or "")),
            content=str(content.get("rendered") or "") if content else "",
            content_kind="rendered",
            date=_date(item, "date"),
            modified=_date(item, "modified"),
            author=name,
            author_login=login,
            terms=self._terms_of(item),
            parent=str(item.get("parent") or item.get("post") or 0),
            menu_order=item.get("menu_order") if isinstance(item.get("menu_order"), int) else 0,
            sticky=bool(item.get("sticky")),
            password="(protected)" if content and content.get("protected") else "",
            link=str(item.get("link") or ""),
            guid=_rendered(item, "guid"),
            source=source,
        )
        doc.extra["wordpress_id"] = True  # a real post id (front matter ``wordpress_id``)
        if post_type == "attachment":
            doc.type = "attachment"
            doc.attachment_url = str(item.get("source_url") or "")
            doc.excerpt = caption_html(_rendered(item, "caption"))
            doc.content = _rendered(item, "description")
            doc.parent = str(item.get("post") or 0)
            doc.meta["_wp_attachment_image_alt"] = str(item.get("alt_text") or "")
            return doc
        doc.excerpt = manual_excerpt(_rendered(item, "excerpt"), doc.content)
        featured = item.get("featured_media")
        if isinstance(featured, int) and featured:
            doc.meta["_thumbnail_id"] = str(featured)
        return doc

    def _terms_of(self, item: dict) -> list[Term]:
        terms: list[Term] = []
        for tax in self.taxonomies:
            ids = item.get(tax.rest_base)
            if not isinstance(ids, list):
                continue
            for term_id in ids:
                term = tax.terms.get(term_id) if isinstance(term_id, int) else None
                if term is not None:
                    terms.append(term)
        return terms


class Crawler:
    """Documents from crawling a site's HTML pages (sitemap first, else internal links)."""

    def __init__(self, live: LiveSite, home: Response, site: Site, problems: list[Problem],
                 progress: FetchProgress | None):
        self.live = live
        self.client = live.client
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
        urls = self._sitemap_urls()
        assembler = Assembler(self.problems)
        if urls:
            urls = self._polite(urls)
            total = len(urls)
            parts: list[str] = []
            for i in range(0, len(urls), self.client.jobs):
                batch = urls[i:i + self.client.jobs]
                for url, result in zip(batch, self.client.get_many(batch)):
                    links = self._page_docs(url, result, assembler)
                    parts += [u for u in later_pages(url, links) if not assembler.known(u) and u not in parts]
                self._report(min(i + len(batch), total), total)
            # the later pages of paginated posts (sitemaps list only the first)
            parts = self._polite([u for u in parts if self._crawlable(u)])
            for i in range(0, len(parts), self.client.jobs):
                batch = parts[i:i + self.client.jobs]
                for url, result in zip(batch, self.client.get_many(batch)):
                    self._page_docs(url, result, assembler)
        else:
            self._crawl_links(assembler)
        for doc, _refs, _url in assembler.documents():
            yield doc

    def _report(self, done: int, total: int | None) -> None:
        if self.progress is not None:
            self.progress(done, total)

    def _polite(self, urls: list[str]) -> list[str]:
        kept = []
        for url in urls:
            if self.allowed(url):
                kept.append(url)
            else:
                self.problems.append(Problem("info", "live-robots-disallowed",
                                             "robots.txt disallows this page; not fetched", source=url))
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
            level, queue = queue[: self.client.jobs], queue[self.client.jobs:]
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
            self.problems.append(Problem("error", "live-fetch-failed", f"page could not be fetched: {result.reason}",
                                         source=url))
            return []
        if not result.ok:
            self.problems.append(Problem("warning", "live-http-error", f"page answered HTTP {result.status}",
                                         source=url))
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
                re.escape(url.split("#", 1)[0]) + r"[?&]page=\d{1,3}", link):
            out.append(link)
    return out


def parse_sitemap(body: bytes) -> tuple[str, list[str]]:
    """(``urlset`` | ``sitemapindex`` | "", the ``<loc>`` URLs) of a sitemap (gzip accepted)."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError):
            return "", []
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, recover=True,
                             remove_comments=True, remove_pis=True, huge_tree=False)
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
