"""The WordPress REST API of a live site: where it is and how it is read.

The API root is discovered from the home page (``Link: <...>; rel="https://api.w.org/"`` header or
``<link rel="https://api.w.org/">``), else ``/wp-json/``, else ``?rest_route=/``; routes become URLs
under that root, pretty or ``?rest_route=``.  :class:`RestApi` reads JSON answers through the
site's one :class:`~migrator.net.client.HttpClient` and every page of a small collection (terms,
users, comments), reporting what it cannot read.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

from ...model import Problem, Severity
from ...net import FetchError, HttpClient, Response
from ..html import _decode

API_REL = "https://api.w.org/"
PER_PAGE = 100
MAX_PAGES = 5000  # crawl limit (pages fetched) per site

FetchProgress = Callable[[int, "int | None"], None]


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
    from requests.utils import parse_header_links  # requests is loaded by the first fetch anyway

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


def discover(client: HttpClient, home: Response) -> tuple[str, dict | None]:
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
            response = client.get(url)
        except FetchError:
            continue
        data = response.json() if response.ok else None
        if isinstance(data, dict) and "wp/v2" in (data.get("namespaces") or []):
            return url, data
    return "", None


class RestApi:
    """The API under one root: JSON answers, whole small collections, problems sourced to the root."""

    def __init__(self, client: HttpClient, root_url: str, problems: list[Problem]):
        self.client = client
        self.root_url = root_url
        self.problems = problems

    def url(self, route: str, params: dict[str, str | int] | None = None) -> str:
        return api_url(self.root_url, route, params)

    def problem(self, severity: Severity, code: str, message: str, source: str = "") -> None:
        self.problems.append(Problem(severity, code, message, source=source or self.root_url))

    def get_json(self, route: str, params: dict | None = None) -> tuple[Response | None, object]:
        """(the answer or None, its JSON or the FetchError); the JSON is None for a refusal."""
        url = self.url(route, params)
        try:
            response = self.client.get(url)
        except FetchError as exc:
            return None, exc
        return response, response.json() if response.ok else None

    def all_items(self, route: str) -> list:
        """Every item of a small collection (terms, users, comments), all pages."""
        items: list = []
        page = 1
        while page <= MAX_PAGES:
            response, data = self.get_json(route, {"per_page": PER_PAGE, "page": page})
            if not isinstance(data, list):
                if page == 1:
                    why = (
                        data.reason
                        if isinstance(data, FetchError)
                        else (f"HTTP {response.status}" if response is not None else "no answer")
                    )
                    self.problem(
                        "info" if response is not None and response.status in (401, 403) else "warning",
                        "live-api-error",
                        f"cannot list {route}: {why}",
                        self.url(route),
                    )
                break
            items += data
            pages = response.header_int("x-wp-totalpages") if response is not None else None
            if (pages is not None and page >= pages) or (pages is None and len(data) < PER_PAGE) or not data:
                break
            page += 1
        return items
