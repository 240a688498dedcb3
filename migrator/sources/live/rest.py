"""Documents from a live site's REST API: posts, pages and custom post types (``/wp/v2/types``)
and media, read with ``per_page=100`` following ``X-WP-TotalPages``.  Content is WordPress's
rendered HTML (``content_kind="rendered"``); attachments carry their original URL, caption and
alt text; terms, users and (when the run writes them) approved comments are read first."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ...model import Document, Problem, Severity, Site
from ...net import FetchError, HttpClient, Response
from ...options import Options
from ..dates import parse_wp_date
from ..progress import step
from ..rest_comments import comments_by_post
from ..wxr_fields import clean_text, decode_slug
from .api import MAX_PAGES, PER_PAGE, FetchProgress, RestApi
from .lookups import Taxonomy, content_types, load_taxonomies, load_users, terms_of


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
class Collection:
    """One paginated REST list: a post type or media."""

    type: str
    route: str
    first: Response | None = None
    total: int | None = None
    pages: int | None = None


class RestReader:
    """Documents from the REST API of one site."""

    def __init__(
        self,
        client: HttpClient,
        options: Options,
        root_url: str,
        root: dict,
        site: Site,
        problems: list[Problem],
        progress: FetchProgress | None,
    ):
        self.client = client
        self.options = options
        self.api = RestApi(client, root_url, problems)
        self.site = site
        self.progress = progress
        self.done = 0
        self.total: int | None = None
        self._fill_site(root)
        self.types = content_types(self.api)
        self.taxonomies: list[Taxonomy] = []
        self.users: dict[int, tuple[str, str]] = {}
        self.comments: dict[str, list] = {}  # post id -> approved comments (when the run writes them)
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

    def usable(self) -> bool:
        """Read the first page of every collection; False when even posts are refused."""
        for coll in self.collections:
            step(f"asking the REST API for its {coll.type} items")
            response, data = self.api.get_json(coll.route, {"per_page": PER_PAGE, "page": 1})
            if response is None or not isinstance(data, list):
                why = (
                    data.reason
                    if isinstance(data, FetchError)
                    else (f"HTTP {response.status}" if response is not None else "no answer")
                )
                if coll.type == "post":
                    self.api.problem(
                        "warning",
                        "live-api-refused",
                        f"the REST API refused the post list ({why}); crawling the site instead",
                    )
                    return False
                severity: Severity = (
                    "info" if response is not None and response.status in (401, 403, 404) else "warning"
                )
                self.api.problem(
                    severity, "live-api-error", f"cannot list {coll.type} items: {why}", self.api.url(coll.route)
                )
                continue
            coll.first = response
            coll.total = response.header_int("x-wp-total")
            coll.pages = response.header_int("x-wp-totalpages")
        totals = [c.total for c in self.collections if c.first is not None]
        self.total = sum(t for t in totals if t is not None) if all(t is not None for t in totals) else None
        self._report()
        return True

    def _report(self) -> None:
        step("reading items (REST API)", self.done, self.total, "items")
        if self.progress is not None:
            self.progress(self.done, self.total)

    def documents(self) -> Iterator[Document]:
        step("reading categories and tags (REST API)")
        self.taxonomies = load_taxonomies(self.api, self.site)
        step("reading authors (REST API)")
        self.users = load_users(self.api, self.site)
        if self.options.comments != "none":
            step("reading comments (REST API)")
            self.comments = comments_by_post(self.api.all_items)
        for coll in self.collections:
            if coll.first is None:
                continue
            for response, data in self._pages(coll):
                source = response.url
                for item in data:
                    if isinstance(item, dict) and item.get("id") is not None:
                        yield self._document(item, coll.type, source, coll.route)
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
                urls = [self.api.url(coll.route, {"per_page": PER_PAGE, "page": n}) for n in rest[i : i + batch]]
                for url, result in zip(urls, self.client.get_many(urls)):
                    data = result.json() if isinstance(result, Response) and result.ok else None
                    if not isinstance(result, Response) or not isinstance(data, list):
                        why = result.reason if isinstance(result, FetchError) else f"HTTP {result.status}"
                        self.api.problem(
                            "error",
                            "live-fetch-failed",
                            f"a page of {coll.type} items could not be read ({why}); its items are missing",
                            url,
                        )
                        continue
                    yield result, data
            return
        page, data = 1, first if isinstance(first, list) else []
        while len(data) >= PER_PAGE and page < MAX_PAGES:  # no X-WP-TotalPages: read until a short page
            page += 1
            response, data = self.api.get_json(coll.route, {"per_page": PER_PAGE, "page": page})
            if response is None or not isinstance(data, list):
                break
            yield response, data

    def _document(self, item: dict, post_type: str, source: str, route: str = "") -> Document:
        post_id = str(item.get("id"))
        author_id = item.get("author")
        name, login = self.users.get(author_id, ("", "")) if isinstance(author_id, int) else ("", "")
        if isinstance(author_id, int) and author_id and not name:
            login = str(author_id)
        content = item.get("content") if isinstance(item.get("content"), dict) else {}
        self_links = (item.get("_links") or {}).get("self") if isinstance(item.get("_links"), dict) else None
        if isinstance(self_links, list) and self_links and isinstance(self_links[0], dict):
            source = str(self_links[0].get("href") or source)
        menu_order = item.get("menu_order")
        doc = Document(
            id=post_id,
            type=str(item.get("type") or post_type),
            status=str(item.get("status") or ("inherit" if post_type == "attachment" else "publish")),
            title=self._title(item, route),
            slug=decode_slug(str(item.get("slug") or "")),
            content=str(content.get("rendered") or "") if content else "",
            content_kind="rendered",
            date=_date(item, "date"),
            modified=_date(item, "modified"),
            author=name,
            author_login=login,
            terms=terms_of(item, self.taxonomies),
            parent=str(item.get("parent") or item.get("post") or 0),
            menu_order=menu_order if isinstance(menu_order, int) else 0,
            sticky=bool(item.get("sticky")),
            password="(protected)" if content and content.get("protected") else "",
            link=str(item.get("link") or ""),
            guid=_rendered(item, "guid"),
            source=source,
        )
        doc.extra["wordpress_id"] = True  # a real post id (front matter ``wordpress_id``)
        doc.comments = list(self.comments.get(post_id, []))
        if post_type == "attachment":
            doc.type = "attachment"
            doc.attachment_url = str(item.get("source_url") or "")
            doc.excerpt = caption_html(_rendered(item, "caption"))
            doc.content = _rendered(item, "description")
            doc.parent = str(item.get("post") or 0)
            doc.meta["_wp_attachment_image_alt"] = str(item.get("alt_text") or "")
            return doc
        # WordPress's generated excerpt or the author's: transforms.excerpt tells them apart
        doc.excerpt = _rendered(item, "excerpt").strip()
        doc.extra["rest_excerpt"] = True
        featured = item.get("featured_media")
        if isinstance(featured, int) and featured:
            doc.meta["_thumbnail_id"] = str(featured)
        return doc

    def _title(self, item: dict, route: str) -> str:
        """``title.rendered`` as text; "" when the post has no title and the text is a theme's
        placeholder for one (twentytwentyone's "Untitled"): a title none of whose words is in the
        slug is looked for in the post itself (the API's search reads the stored title, excerpt
        and content), and a title the post does not hold is the theme's, not the post's."""
        title = clean_text(_rendered(item, "title"))
        words = re.findall(r"\w{2,}", title.lower())
        if (
            not words
            or not route
            or set(words) & set(re.findall(r"\w+", decode_slug(str(item.get("slug") or "")).lower()))
        ):
            return title
        _response, found = self.api.get_json(
            route, {"include": item.get("id"), "search": " ".join(words), "_fields": "id"}
        )
        return "" if found == [] else title
