"""A polite HTTP client for reading live sites: cache, rate limit, retries, robots.txt, safety.

A :class:`~migrator.net.fetch.Fetcher`, like the media downloader:

* One ``requests.Session`` with a clear User-Agent (``migrator/X.Y``).
* Per host: at most ``per_host`` requests at a time and at least ``1/rate`` seconds between
  request starts (raised by a robots.txt ``Crawl-delay``).
* Retries with exponential backoff for connection errors, timeouts, 429 and 5xx, honouring
  ``Retry-After`` (capped); each URL within ``max_time`` in all, however slowly the server
  trickles (:mod:`migrator.net.deadline`).
* Every URL and every redirect hop is checked (:mod:`migrator.net.safety`): http(s) only,
  allowed hosts only, no loopback/private/reserved address unless ``allow_private_hosts``.
* An on-disk cache (``cache_dir``) keeps every definitive answer (2xx-4xx except 408/429), so
  a re-run or an interrupted run does not fetch again; failures are remembered in memory for
  the life of the client, so one run sees the same answer every time it asks (deterministic).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .deadline import MAX_FETCH_TIME, Deadline
from .errors import Failure, Transient, UrlRefused
from .fetch import MAX_RETRY_AFTER, RETRIES, USER_AGENT, Fetcher, parse_retry_after, transient_status
from .safety import normalise_host

if TYPE_CHECKING:
    from urllib.robotparser import RobotFileParser  # loads urllib.request: imported on first use

    import requests

ROBOTS_AGENT = "migrator"
MAX_BODY = 20 * 2**20
#: Response headers worth keeping in the cache (lower-case).
KEPT_HEADERS = ("content-type", "link", "x-wp-total", "x-wp-totalpages", "last-modified", "etag")
UNCACHED_STATUSES = frozenset({408, 429})


@dataclass
class Response:
    """A final (non-redirect) answer for ``url``, possibly from the cache."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""
    from_cache: bool = False

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        """The body as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.body.decode("utf-8-sig", errors="replace"))
        except ValueError:
            return None

    def header_int(self, name: str) -> int | None:
        value = self.headers.get(name.lower(), "").strip()
        return int(value) if value.isdigit() else None


class FetchError(Exception):
    """No usable answer: refused address, network failure or timeout after every retry."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


def cache_key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


class DiskCache:
    """``<dir>/<2 hex>/<sha256>.json`` (status, headers, final URL) + ``.body``; atomic writes."""

    def __init__(self, directory: str | os.PathLike):
        self.dir = Path(directory)

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = cache_key(url)
        base = self.dir / key[:2] / key
        return base.with_suffix(".json"), base.with_suffix(".body")

    def get(self, url: str) -> Response | None:
        meta_path, body_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text("utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if meta.get("url") != url or len(body) != meta.get("size"):
            return None
        return Response(
            url,
            meta.get("final_url", url),
            int(meta.get("status", 0)),
            dict(meta.get("headers", {})),
            body,
            from_cache=True,
        )

    def put(self, response: Response) -> bool:
        meta_path, body_path = self._paths(response.url)
        meta = {
            "url": response.url,
            "final_url": response.final_url,
            "status": response.status,
            "headers": response.headers,
            "size": len(response.body),
        }
        try:
            meta_path.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(body_path, response.body)
            _atomic_write(meta_path, json.dumps(meta, sort_keys=True).encode("utf-8"))
        except OSError:
            return False  # the caller keeps the answer in memory instead
        return True


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


class HttpClient(Fetcher):
    """GET with politeness and safety; ``get`` returns a :class:`Response` or raises FetchError."""

    def __init__(
        self,
        allowed_hosts: Iterable[str],
        *,
        allow_private_hosts: bool = False,
        rate: float = 1.0,
        per_host: int = 2,
        jobs: int = 4,
        timeout: float = 30.0,
        max_time: float | None = MAX_FETCH_TIME,
        retries: int = RETRIES,
        backoff: float = 0.5,
        max_retry_after: float = MAX_RETRY_AFTER,
        cache_dir: str | os.PathLike | None = None,
        user_agent: str = USER_AGENT,
        follow_redirects: bool = True,
    ):
        super().__init__(
            allowed_hosts,
            allow_private_hosts=allow_private_hosts,
            timeout=timeout,
            max_time=max_time,
            retries=retries,
            backoff=backoff,
            max_retry_after=max_retry_after,
            per_host=per_host,
            rate=rate,
            jobs=jobs,
            user_agent=user_agent,
        )
        self.follow_redirects = follow_redirects
        self.cache = DiskCache(cache_dir) if cache_dir is not None else None
        self._memo: dict[str, Response | FetchError] = {}
        self._robots: dict[str, RobotFileParser] = {}

    # ------------------------------------------------------------------ public

    def set_crawl_delay(self, host: str, seconds: float) -> None:
        """At least ``seconds`` between requests to ``host`` (robots.txt Crawl-delay)."""
        self.limits.slow_down(normalise_host(host), seconds)

    def get(self, url: str) -> Response:
        """The final answer for ``url`` (cache, then network); raises FetchError."""
        with self._lock:
            memo = self._memo.get(url)
        if memo is None and self.cache is not None:
            memo = self.cache.get(url)
        if memo is None:
            try:
                memo = self._fetch(url)
            except FetchError as exc:
                memo = exc
            cacheable = isinstance(memo, Response) and memo.status < 500 and memo.status not in UNCACHED_STATUSES
            if not (cacheable and self.cache is not None and self.cache.put(memo)):
                with self._lock:
                    self._memo[url] = memo  # failures, and everything when there is no disk cache
        if isinstance(memo, FetchError):
            raise memo
        return memo

    def get_many(self, urls: list[str]) -> list[Response | FetchError]:
        """``get`` for each URL (in parallel, within the per-host limits); results in order.  An
        interrupted caller ends every request in flight at once (:meth:`Fetcher.map`)."""

        def one(url: str) -> Response | FetchError:
            try:
                return self.get(url)
            except FetchError as exc:
                return exc

        return self.map(one, urls, name="live")

    def robots(self, url: str) -> tuple[RobotFileParser, str]:
        """The robots.txt rules of ``url``'s origin and a note ("" when read normally).

        Following RFC 9309: a 4xx answer allows everything; a server error or no answer
        disallows everything.
        """
        from urllib.robotparser import RobotFileParser

        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            known = self._robots.get(origin)
        if known is not None:
            return known, ""
        parser = RobotFileParser(origin + "/robots.txt")
        note = ""
        try:
            response = self.get(origin + "/robots.txt")
        except FetchError as exc:
            parser.disallow_all = True
            note = f"robots.txt could not be read ({exc.reason}); crawling is not allowed"
        else:
            if response.ok:
                parser.parse(response.text().splitlines())
                delay = parser.crawl_delay(ROBOTS_AGENT)
                if delay:
                    self.set_crawl_delay(parts.netloc, min(float(delay), self.retry.max_wait))
            elif response.status >= 500:
                parser.disallow_all = True
                note = f"robots.txt answered HTTP {response.status}; crawling is not allowed"
            else:
                parser.allow_all = True
        with self._lock:
            self._robots.setdefault(origin, parser)
        return parser, note

    # ------------------------------------------------------------------ network

    def _fetch(self, url: str) -> Response:
        """Network GET with the retry policy; a 429/5xx that outlives the retries is returned as is."""

        def attempt(last: bool, deadline: Deadline) -> Response:
            response = self.follow(url, self._read, deadline=deadline)
            response.url = url
            if transient_status(response.status) and not last:
                raise Transient(f"HTTP {response.status}", parse_retry_after(response.headers.get("retry-after")))
            return response

        try:
            return self.call(attempt)
        except UrlRefused as exc:
            hint = " (--allow-private-hosts allows it)" if exc.reason.startswith("refused non-public") else ""
            raise FetchError(url, exc.reason + hint) from None
        except Failure as exc:
            raise FetchError(url, exc.reason) from None

    def _read(self, url: str, raw: requests.Response) -> Response:
        """The whole body of a final answer (at most MAX_BODY bytes) and the headers worth keeping."""
        body = bytearray()
        for chunk in self.stream(raw):
            body += chunk
            if len(body) > MAX_BODY:
                raise Failure(f"response larger than {MAX_BODY} bytes")
        headers = {
            k.lower(): v for k, v in raw.headers.items() if k.lower() in (*KEPT_HEADERS, "location", "retry-after")
        }
        return Response(url, url, raw.status_code, headers, bytes(body))
