"""A polite HTTP client for reading live sites: cache, rate limit, retries, robots.txt, safety.

* One ``requests.Session`` with a clear User-Agent (``migrator/X.Y``).
* Per host: at most ``per_host`` requests at a time and at least ``1/rate`` seconds between
  request starts (raised by a robots.txt ``Crawl-delay``).
* Retries with exponential backoff for connection errors, timeouts, 429 and 5xx, honouring
  ``Retry-After`` (capped).
* Every URL and every redirect hop is checked like the media downloader does: http(s) only,
  allowed hosts only, no loopback/private/reserved address unless ``allow_private_hosts``.
* An on-disk cache (``cache_dir``) keeps every definitive answer (2xx-4xx except 408/429), so
  a re-run or an interrupted run does not fetch again; failures are remembered in memory for
  the life of the client, so one run sees the same answer every time it asks (deterministic).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import requests
from requests.adapters import HTTPAdapter

from .. import __version__
from ..output.media import (
    MAX_REDIRECTS,
    MAX_RETRY_AFTER,
    REDIRECT_CODES,
    UrlRefused,
    check_fetch_url,
    normalise_host,
    parse_retry_after,
)

USER_AGENT = f"migrator/{__version__} (WordPress to Markdown converter)"
ROBOTS_AGENT = "migrator"
MAX_BODY = 20 * 2**20
#: Response headers worth keeping in the cache (lower-case).
KEPT_HEADERS = ("content-type", "link", "x-wp-total", "x-wp-totalpages", "last-modified", "etag")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
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


class _Retry(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
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
        return Response(url, meta.get("final_url", url), int(meta.get("status", 0)),
                        dict(meta.get("headers", {})), body, from_cache=True)

    def put(self, response: Response) -> bool:
        meta_path, body_path = self._paths(response.url)
        meta = {"url": response.url, "final_url": response.final_url, "status": response.status,
                "headers": response.headers, "size": len(response.body)}
        try:
            meta_path.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(body_path, response.body)
            _atomic_write(meta_path, json.dumps(meta, sort_keys=True).encode("utf-8"))
        except OSError:
            return False  # the caller keeps the answer in memory instead
        return True


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


class HttpClient:
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
        retries: int = 3,
        backoff: float = 0.5,
        max_retry_after: float = MAX_RETRY_AFTER,
        cache_dir: str | os.PathLike | None = None,
        user_agent: str = USER_AGENT,
        follow_redirects: bool = True,
    ):
        self.allowed = {h for h in (normalise_host(x) for x in allowed_hosts) if h}
        self.allow_private_hosts = allow_private_hosts
        self.delay = 1.0 / rate if rate and rate > 0 else 0.0
        self.per_host = max(1, int(per_host))
        self.jobs = max(1, int(jobs))
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.cache = DiskCache(cache_dir) if cache_dir is not None else None
        self.user_agent = user_agent
        self.follow_redirects = follow_redirects  # False: a 3xx answer is returned as it is
        self.requests_made = 0  # network requests (redirect hops and retries included)
        self._memo: dict[str, Response | FetchError] = {}
        self._robots: dict[str, RobotFileParser] = {}
        self._host_delay: dict[str, float] = {}
        self._next_start: dict[str, float] = {}
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()
        self._session: requests.Session | None = None

    # ------------------------------------------------------------------ public

    def allow_host(self, host_or_url: str) -> None:
        host = normalise_host(host_or_url)
        if host:
            self.allowed.add(host)

    def set_crawl_delay(self, host: str, seconds: float) -> None:
        """At least ``seconds`` between requests to ``host`` (robots.txt Crawl-delay)."""
        host = normalise_host(host)
        with self._lock:
            self._host_delay[host] = max(self._host_delay.get(host, 0.0), float(seconds))

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
        """``get`` for each URL (in parallel, within the per-host limits); results in order."""
        def one(url: str) -> Response | FetchError:
            try:
                return self.get(url)
            except FetchError as exc:
                return exc
        if len(urls) <= 1 or self.jobs == 1:
            return [one(u) for u in urls]
        with ThreadPoolExecutor(max_workers=min(self.jobs, len(urls)), thread_name_prefix="live") as pool:
            return list(pool.map(one, urls))

    def robots(self, url: str) -> tuple[RobotFileParser, str]:
        """The robots.txt rules of ``url``'s origin and a note ("" when read normally).

        Following RFC 9309: a 4xx answer allows everything; a server error or no answer
        disallows everything.
        """
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
                    self.set_crawl_delay(parts.netloc, min(float(delay), self.max_retry_after))
            elif response.status >= 500:
                parser.disallow_all = True
                note = f"robots.txt answered HTTP {response.status}; crawling is not allowed"
            else:
                parser.allow_all = True
        with self._lock:
            self._robots.setdefault(origin, parser)
        return parser, note

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    # ------------------------------------------------------------------ network

    def _fetch(self, url: str) -> Response:
        """Network GET with retries; a 429/5xx that outlives the retries is returned as is."""
        last = "no attempt made"
        for attempt in range(self.retries + 1):
            wait = self.backoff * 2**attempt
            try:
                response = self._follow(url)
            except _Retry as exc:
                last = exc.reason
            else:
                if response.status not in RETRY_STATUSES or attempt == self.retries:
                    return response
                last = f"HTTP {response.status}"
                told = parse_retry_after(response.headers.get("retry-after"))
                if told is not None:
                    wait = told
            if attempt < self.retries:
                time.sleep(min(wait, self.max_retry_after))
        raise FetchError(url, f"{last} (after {self.retries + 1} attempts)")

    def _follow(self, url: str) -> Response:
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            self._check_url(current)
            response = self._request(current)
            if response.status in REDIRECT_CODES and self.follow_redirects:
                location = response.headers.get("location", "")
                if not location:
                    raise FetchError(url, f"HTTP {response.status} without Location")
                current = urljoin(current, location)
                continue
            response.url = url
            return response
        raise FetchError(url, f"too many redirects (more than {MAX_REDIRECTS})")

    def _request(self, url: str) -> Response:
        host = normalise_host(url)
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(self.per_host))
        with slot:
            self._wait_turn(host)
            session = self._open_session()
            with self._lock:
                self.requests_made += 1
            try:
                raw = session.get(url, stream=True, allow_redirects=False, timeout=self.timeout,
                                  headers={"User-Agent": self.user_agent})
            except requests.Timeout as exc:
                raise _Retry(f"timed out after {self.timeout:g} s") from exc
            except requests.ConnectionError as exc:
                if "Connection refused" in str(exc):  # nothing listens: retrying will not help
                    raise FetchError(url, "cannot connect (connection refused)") from exc
                raise _Retry(f"cannot connect ({_short(exc)})") from exc
            except requests.RequestException as exc:
                raise FetchError(url, f"request failed: {type(exc).__name__}") from exc
            try:
                body = bytearray()
                for chunk in raw.iter_content(64 * 1024):
                    body += chunk
                    if len(body) > MAX_BODY:
                        raise FetchError(url, f"response larger than {MAX_BODY} bytes")
            except (requests.Timeout, requests.ConnectionError,
                    requests.exceptions.ChunkedEncodingError) as exc:
                raise _Retry(f"transfer failed ({type(exc).__name__})") from exc
            finally:
                raw.close()
        headers = {k.lower(): v for k, v in raw.headers.items() if k.lower() in (*KEPT_HEADERS, "location",
                                                                                "retry-after")}
        return Response(url, url, raw.status_code, headers, bytes(body))

    def _wait_turn(self, host: str) -> None:
        """Space request starts to one host by the configured delay (or Crawl-delay)."""
        with self._lock:
            delay = max(self.delay, self._host_delay.get(host, 0.0))
            now = time.monotonic()
            start = max(now, self._next_start.get(host, 0.0))
            self._next_start[host] = start + delay
        if start > now:
            time.sleep(start - now)

    def _check_url(self, url: str) -> None:
        """Raise FetchError unless ``url`` may be fetched (scheme, host, address)."""
        try:
            check_fetch_url(url, self.allowed, self.allow_private_hosts)
        except UrlRefused as exc:
            hint = " (--allow-private-hosts allows it)" if exc.reason.startswith("refused non-public") else ""
            raise FetchError(url, exc.reason + hint) from None

    def _open_session(self) -> requests.Session:
        with self._lock:
            if self._session is None:
                session = requests.Session()
                session.trust_env = False
                adapter = HTTPAdapter(pool_connections=10, pool_maxsize=max(self.jobs, 2), max_retries=0)
                session.mount("http://", adapter)
                session.mount("https://", adapter)
                self._session = session
            return self._session


def _short(exc: Exception) -> str:
    """The innermost reason of a requests connection error, on one line."""
    text = str(exc)
    for marker in ("Connection refused", "Name or service not known", "No route to host",
                   "Connection reset", "timed out", "Temporary failure in name resolution"):
        if marker in text:
            return marker.lower()
    return type(exc).__name__
