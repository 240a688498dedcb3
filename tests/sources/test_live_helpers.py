"""A fake WordPress site on 127.0.0.1 for the live-site tests (REST API, sitemaps, HTML pages).

Shapes follow WordPress's REST responses (fixtures/live/*.json are single-object templates);
the site's content is generated here.  Nothing in this module is a test.
"""

from __future__ import annotations

import copy
import json
import re
import threading
import time
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from urllib.parse import parse_qsl, urlsplit

from conftest import FIXTURES

LIVE = FIXTURES / "live"

USERS = {1: ("Maren Holt", "harbourmaster"), 2: ("Jonas Pell", "tidewatch")}
CATEGORIES = [  # id, name (as WordPress escapes it), slug, parent
    (1, "Uncategorized", "uncategorized", 0),
    (3, "Boats", "boats", 0),
    (4, "Sailing boats", "sailing-boats", 3),
    (6, "Weather &amp; Tides", "weather", 0),
]
TAGS = [(10, "fog", "fog"), (11, "C#", "c-sharp"), (12, "knots", "knots")]
COURSES = [(30, "Mains", "mains")]
FIRST_POST = 1001
MEDIA_ID = 2001
PROTECTED = 1005  # password-protected post
UNICODE_POST = 1007  # slug stored percent-encoded
EXCERPT_POST = 1009  # hand-written excerpt


def _load(name: str) -> dict:
    return json.loads((LIVE / name).read_text("utf-8"))


def paris_offset(day: datetime) -> int:
    """Hours east of UTC, roughly Europe/Paris (+2 April-October, else +1)."""
    return 2 if 4 <= day.month <= 10 else 1


def post_local_date(n: int) -> datetime:
    """Local publication time of the n-th generated post (n from 0)."""
    return datetime(2020, 1, 1, 9, 30) + timedelta(days=3 * n)


def post_title(n: int) -> str:
    return f"Log entry {n}: &#8220;calm&#8221; &amp; clear"


class FakeWordPress:
    """``with FakeWordPress(...) as wp:`` serves a site at ``wp.base`` until the block ends.

    api: REST API on (False: every /wp-json/ route answers 403, like a "disable REST" plugin);
    pretty: pretty permalinks and /wp-json/ (False: ``?p=N`` links, API only at ?rest_route=);
    sitemap: serve /wp-sitemap.xml (False: 404, the crawler follows links);
    throttle: request paths (with query) answered once with 429 + Retry-After: 1;
    slow_once / slow_always: paths that stall ``stall`` seconds (first request / every request),
    or until the server stops.
    """

    def __init__(
        self,
        *,
        posts: int = 130,
        api: bool = True,
        pretty: bool = True,
        sitemap: bool = True,
        throttle: tuple[str, ...] = (),
        slow_once: tuple[str, ...] = (),
        slow_always: tuple[str, ...] = (),
        stall: float = 1.5,
    ):
        self.posts_n = posts
        self.api = api
        self.pretty = pretty
        self.sitemap = sitemap
        self.throttle = set(throttle)
        self.slow_once = set(slow_once)
        self.slow_always = set(slow_always)
        self.stall = stall
        self.stopping = threading.Event()
        self.requests: list[tuple[float, str]] = []
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None
        self.base = ""

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> "FakeWordPress":
        wp = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                wp.handle(self)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self._build()
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        assert self.server is not None
        self.stopping.set()  # stalled answers end now
        self.server.shutdown()
        self.server.server_close()

    def count(self, needle: str = "") -> int:
        with self.lock:
            return sum(1 for _, p in self.requests if needle in p)

    def paths(self) -> list[str]:
        with self.lock:
            return [p for _, p in self.requests]

    # ------------------------------------------------------------------ content

    def link(self, slug: str, local: datetime, post_id: int) -> str:
        if not self.pretty:
            return f"{self.base}?p={post_id}"
        return f"{self.base}{local:%Y}/{local:%m}/{slug}/"

    def _build(self) -> None:
        base = self.base
        post_tpl, media_tpl = _load("post.json"), _load("media.json")
        self.root = json.loads((LIVE / "root.json").read_text("utf-8").replace("$base", base))
        self.types = _load("types.json")
        self.taxonomies = _load("taxonomies.json")
        upload = f"{base}wp-content/uploads/2020/01/pier.jpg"
        posts = []
        for n in range(self.posts_n):
            pid = FIRST_POST + n
            local = post_local_date(n)
            gmt = local - timedelta(hours=paris_offset(local))
            slug = f"log-entry-{n}" if pid != UNICODE_POST else "%e6%b8%af%e3%81%ae%e6%9c%9d"
            item = copy.deepcopy(post_tpl)
            link = self.link(slug, local, pid)
            content = f"<p>Entry {n} of the harbour log.</p>\n"
            if n:
                prev_local = post_local_date(n - 1)
                prev_slug = f"log-entry-{n - 1}" if pid - 1 != UNICODE_POST else "%e6%b8%af%e3%81%ae%e6%9c%9d"
                prev = self.link(prev_slug, prev_local, pid - 1)
                content += f'<p>Read <a href="{prev}">the entry before</a> first.</p>\n'
            if pid == FIRST_POST:
                content += (
                    f'<figure class="wp-block-image size-medium"><img decoding="async" width="300" height="200" '
                    f'src="{base}wp-content/uploads/2020/01/pier-300x200.jpg" alt="Wooden pier" '
                    f'class="wp-image-{MEDIA_ID}" srcset="{base}wp-content/uploads/2020/01/pier-300x200.jpg 300w, '
                    f'{upload} 1200w" sizes="(max-width: 300px) 100vw, 300px" /></figure>\n'
                    f'<p>More on <a href="{base}about/moorings/">visitor moorings</a>.</p>\n'
                )
            item.update(
                {
                    "id": pid,
                    "date": local.isoformat(),
                    "date_gmt": gmt.isoformat(),
                    "modified": local.isoformat(),
                    "modified_gmt": gmt.isoformat(),
                    "guid": {"rendered": f"{base}?p={pid}"},
                    "slug": slug,
                    "link": link,
                    "title": {"rendered": post_title(n) if pid != UNICODE_POST else "港の朝"},
                    "content": {"rendered": content, "protected": False},
                    "excerpt": {"rendered": f"<p>{_plain(content)} [&hellip;]</p>\n", "protected": False},
                    "author": 2 if n % 2 else 1,
                    "categories": [6] if n % 3 == 0 else [4],
                    "tags": [11, 10] if n % 4 == 0 else [],
                    "featured_media": MEDIA_ID if pid == FIRST_POST else 0,
                }
            )
            item["_links"]["self"] = [{"href": f"{base}wp-json/wp/v2/posts/{pid}"}]
            if pid == PROTECTED:
                item["content"] = {"rendered": "", "protected": True}
                item["excerpt"] = {"rendered": "", "protected": True}
            if pid == EXCERPT_POST:
                item["excerpt"]["rendered"] = "<p>A short summary written by hand.</p>\n"
            posts.append(item)
        posts.sort(key=lambda p: p["date"], reverse=True)  # WordPress's default order
        pages = []
        for pid, slug, title, parent, path in [
            (3001, "about", "About the harbour", 0, "about/"),
            (3002, "moorings", "Visitor moorings", 3001, "about/moorings/"),
            (3003, "contact", "Contact &amp; hours", 0, "contact/"),
        ]:
            item = copy.deepcopy(post_tpl)
            for key in ("categories", "tags", "sticky", "format"):
                item.pop(key)
            item.update(
                {
                    "id": pid,
                    "type": "page",
                    "slug": slug,
                    "parent": parent,
                    "menu_order": 0,
                    "link": base + path if self.pretty else f"{base}?page_id={pid}",
                    "guid": {"rendered": f"{base}?page_id={pid}"},
                    "title": {"rendered": title},
                    "date": "2019-06-01T12:00:00",
                    "date_gmt": "2019-06-01T10:00:00",
                    "content": {"rendered": f"<p>{title} page.</p>\n", "protected": False},
                }
            )
            pages.append(item)
        recipe = copy.deepcopy(post_tpl)
        for key in ("categories", "tags", "sticky", "format"):
            recipe.pop(key)
        recipe.update(
            {
                "id": 4001,
                "type": "recipe",
                "slug": "fish-stew",
                "link": f"{base}recipe/fish-stew/",
                "title": {"rendered": "Fish stew"},
                "course": [30],
                "date": "2021-11-20T18:00:00",
                "date_gmt": "2021-11-20T17:00:00",
                "content": {"rendered": "<ol><li>Simmer.</li><li>Serve.</li></ol>\n", "protected": False},
            }
        )
        media = copy.deepcopy(media_tpl)
        media.update(
            {
                "id": MEDIA_ID,
                "slug": "pier",
                "post": FIRST_POST,
                "source_url": upload,
                "link": f"{base}2020/01/log-entry-0/pier/",
                "guid": {"rendered": upload},
                "title": {"rendered": "pier"},
                "alt_text": "Wooden pier",
                "caption": {"rendered": "<p>The pier at <em>dawn</em></p>\n"},
            }
        )
        self.collections = {
            "wp/v2/posts": posts,
            "wp/v2/pages": pages,
            "wp/v2/recipes": [recipe],
            "wp/v2/media": [media],
            "wp/v2/categories": [
                {
                    "id": i,
                    "count": 1,
                    "description": "",
                    "link": f"{base}category/{s}/",
                    "name": n,
                    "slug": s,
                    "taxonomy": "category",
                    "parent": p,
                    "meta": [],
                }
                for i, n, s, p in CATEGORIES
            ],
            "wp/v2/tags": [
                {
                    "id": i,
                    "count": 1,
                    "description": "",
                    "link": f"{base}tag/{s}/",
                    "name": n,
                    "slug": s,
                    "taxonomy": "post_tag",
                    "meta": [],
                }
                for i, n, s in TAGS
            ],
            "wp/v2/course": [
                {
                    "id": i,
                    "count": 1,
                    "description": "",
                    "link": f"{base}course/{s}/",
                    "name": n,
                    "slug": s,
                    "taxonomy": "course",
                    "meta": [],
                }
                for i, n, s in COURSES
            ],
            "wp/v2/comments": _comments(base),
            "wp/v2/users": [
                {
                    "id": i,
                    "name": n,
                    "url": "",
                    "description": "",
                    "link": f"{base}author/{s}/",
                    "slug": s,
                    "avatar_urls": {},
                }
                for i, (n, s) in USERS.items()
            ],
        }
        self.html_pages = self._html_site()

    def _html_site(self) -> dict[str, str]:
        """The crawlable site (API disabled): six dated posts, one page, one private post."""
        tpl = Template((LIVE / "single.html").read_text("utf-8"))
        base = self.base
        pages: dict[str, str] = {}
        self.html_posts: list[tuple[str, str, str]] = []  # path, title, ISO date
        for i in range(1, 7):
            path = f"/2021/0{i}/gull-note-{i}/"
            date = f"2021-0{i}-0{i}T08:15:00+0{1 if i < 4 else 2}:00"
            title = f"Gull note {i} &amp; tide"
            content = f"<p>Gulls on day {i}.</p>"
            if i > 1:
                content += f'<p>Compare <a href="{base}2021/0{i - 1}/gull-note-{i - 1}/">note {i - 1}</a>.</p>'
            pages[path] = tpl.substitute(
                base=base,
                title=title,
                link=base + path[1:],
                date=date,
                human_date=date[:10],
                id=500 + i,
                author="Maren Holt",
                content=content,
                category="birds",
                category_name="Birds",
                body_class="post-template-default single single-post",
                type="post",
            )
            self.html_posts.append((path, title.replace("&amp;", "&"), date))
        pages["/about/"] = tpl.substitute(
            base=base,
            title="About Gull Point",
            link=base + "about/",
            date="2020-05-01T10:00:00+02:00",
            human_date="2020-05-01",
            id=400,
            author="Maren Holt",
            content="<p>A headland.</p>",
            category="none",
            category_name="None",
            body_class="page-template-default page",
            type="page",
        )
        pages["/private/secret-note/"] = tpl.substitute(
            base=base,
            title="Secret",
            link=base + "private/secret-note/",
            date="2021-01-01T00:00:00+01:00",
            human_date="2021-01-01",
            id=499,
            author="Maren Holt",
            content="<p>Hidden.</p>",
            category="birds",
            category_name="Birds",
            body_class="single single-post",
            type="post",
        )
        articles = "".join(
            f'<article id="post-{500 + i}" class="post-{500 + i} post type-post status-publish hentry">'
            f'<h2 class="entry-title"><a href="{base}{p[1:]}" rel="bookmark">{t.replace("&", "&amp;")}</a></h2>'
            f'<div class="entry-meta"><time class="entry-date published" datetime="{d}">{d[:10]}</time></div>'
            f'<div class="entry-summary"><p>Gulls on day {i}.</p></div></article>'
            for i, (p, t, d) in enumerate(self.html_posts, start=1)
        )
        pages["/"] = (
            f"<!DOCTYPE html><html><head><title>Gull Point Log</title>"
            f'<meta property="og:site_name" content="Gull Point Log"></head>'
            f'<body class="home blog"><nav class="main-navigation"><ul><li><a href="{base}about/">About</a></li>'
            f'<li><a href="{base}private/secret-note/">Secret</a></li>'
            f'<li><a href="{base}wp-admin/">Admin</a></li></ul></nav>'
            f'<main id="main" class="site-main">{articles}</main></body></html>'
        )
        return pages

    # ------------------------------------------------------------------ serving

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.requests.append((time.monotonic(), h.path))
            seen = sum(1 for _, p in self.requests if p == h.path)
        if h.path in self.slow_always or (h.path in self.slow_once and seen == 1):
            self.stopping.wait(self.stall)
        if h.path in self.throttle and seen == 1:
            return self.send(h, 429, b"slow down", "text/plain", {"Retry-After": "1"})
        parts = urlsplit(h.path)
        query = dict(parse_qsl(parts.query))
        route = None
        if parts.path.startswith("/wp-json/") and self.pretty:
            route = parts.path[len("/wp-json/") :].strip("/")
        elif parts.path == "/" and "rest_route" in query:
            route = query["rest_route"].strip("/")
        if route is not None:
            if not self.api:
                return self.send_json(
                    h, 403, {"code": "rest_cannot_access", "message": "REST API disabled.", "data": {"status": 403}}
                )
            return self.serve_api(h, route, query)
        if parts.path == "/robots.txt":
            return self.send(h, 200, b"User-agent: *\nDisallow: /private/\nDisallow: /wp-admin/\n", "text/plain")
        if parts.path.startswith("/wp-sitemap") and self.sitemap and not self.api:
            return self.serve_sitemap(h, parts.path)
        if parts.path == "/" and self.api:
            headers = {"Link": f'<{self.base}wp-json/>; rel="https://api.w.org/"'} if self.pretty else {}
            return self.send(
                h,
                200,
                b"<!DOCTYPE html><html><head><title>Pier</title></head><body>Pier</body></html>",
                "text/html; charset=UTF-8",
                headers,
            )
        page = self.html_pages.get(parts.path) if not self.api else None
        if page is not None:
            return self.send(h, 200, page.encode("utf-8"), "text/html; charset=UTF-8")
        return self.send(h, 404, b"<html><body>Not found</body></html>", "text/html")

    def serve_api(self, h: BaseHTTPRequestHandler, route: str, query: dict) -> None:
        if route == "":
            return self.send_json(h, 200, self.root)
        if route == "wp/v2/types":
            return self.send_json(h, 200, self.types)
        if route == "wp/v2/taxonomies":
            return self.send_json(h, 200, self.taxonomies)
        items = self.collections.get(route)
        if items is None:
            return self.send_json(h, 404, {"code": "rest_no_route", "message": "No route.", "data": {"status": 404}})
        per_page = min(int(query.get("per_page", 10)), 100)
        page = int(query.get("page", 1))
        pages = max(1, -(-len(items) // per_page))
        if page > pages:
            return self.send_json(
                h, 400, {"code": "rest_post_invalid_page_number", "message": "Bad page.", "data": {"status": 400}}
            )
        chunk = items[(page - 1) * per_page : page * per_page]
        self.send_json(h, 200, chunk, {"X-WP-Total": str(len(items)), "X-WP-TotalPages": str(pages)})

    def serve_sitemap(self, h: BaseHTTPRequestHandler, path: str) -> None:
        base = self.base.rstrip("/")
        if path == "/wp-sitemap.xml":
            names = ["posts-post-1", "posts-page-1", "taxonomies-category-1", "users-1"]
            body = "".join(f"<sitemap><loc>{base}/wp-sitemap-{n}.xml</loc></sitemap>" for n in names)
            xml = f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>'
        elif path == "/wp-sitemap-posts-post-1.xml":
            locs = [p for p, _, _ in self.html_posts] + ["/private/secret-note/"]
            xml = _urlset(base, locs)
        elif path == "/wp-sitemap-posts-page-1.xml":
            xml = _urlset(base, ["/about/"])
        elif path == "/wp-sitemap-taxonomies-category-1.xml":
            xml = _urlset(base, ["/category/birds/"])
        elif path == "/wp-sitemap-users-1.xml":
            xml = _urlset(base, ["/author/keeper/"])
        else:
            return self.send(h, 404, b"not found", "text/plain")
        self.send(h, 200, xml.encode("utf-8"), "application/xml; charset=UTF-8")

    def send_json(self, h: BaseHTTPRequestHandler, status: int, data, headers: dict | None = None) -> None:
        self.send(h, status, json.dumps(data).encode("utf-8"), "application/json; charset=UTF-8", headers)

    @staticmethod
    def send(h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str, headers: dict | None = None) -> None:
        try:
            h.send_response(status)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                h.send_header(k, v)
            h.end_headers()
            h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout tests)


COMMENTER_EMAIL = "gull.watcher@example.net"  # a leaky plugin's extra field: never in any output


def _comments(base: str) -> list[dict]:
    """Comments as the API shows them to anyone: approved ones of type comment, newest first
    (one carries fields an anonymous visitor should never get, as a leaky plugin might add)."""

    def item(cid: int, post: int, parent: int, name: str, text: str, day: int, **extra) -> dict:
        return {
            "id": cid,
            "post": post,
            "parent": parent,
            "author": 0,
            "author_name": name,
            "author_url": "https://gulls.example/" if cid == 1 else "",
            "date": f"2020-01-0{day}T10:00:00",
            "date_gmt": f"2020-01-0{day}T09:00:00",
            "content": {"rendered": f"<p>{text}</p>\n"},
            "link": f"{base}?p={post}#comment-{cid}",
            "status": "approved",
            "type": "comment",
            "author_avatar_urls": {"24": "https://secure.gravatar.com/avatar/0123456789abcdef?s=24"},
            **extra,
        }

    return [
        item(3, FIRST_POST, 1, "Jonas", "Seen them too &#8211; at dawn.", 3),
        item(2, FIRST_POST + 1, 0, "Ana", "Calm indeed.", 2, author_email=COMMENTER_EMAIL, author_ip="198.51.100.4"),
        item(1, FIRST_POST, 0, "Ria", "Lovely <em>pier</em>.", 1),
    ]


def _plain(html: str) -> str:
    """Text of an HTML fragment, the way WordPress builds automatic excerpts."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _urlset(base: str, paths: list[str]) -> str:
    body = "".join(f"<url><loc>{base}{p}</loc><lastmod>2021-06-01T00:00:00+00:00</lastmod></url>" for p in paths)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'


def read_output(path: Path) -> tuple[dict, str]:
    """(front matter, body) of one produced Markdown file."""
    import yaml

    from conftest import split_front_matter

    fm, body = split_front_matter(path.read_text("utf-8"))
    return yaml.safe_load(fm), body
