"""What every HTTP user of migrator shares: one User-Agent, one retry policy, per-host limits,
one ``requests`` session per user, and redirects followed by hand so that every hop is checked.

The media downloader (:mod:`migrator.output.media`) and the live-site client
(:mod:`migrator.net.client`, used by the REST reader and the crawler) are both a
:class:`Fetcher`; only what they do with an answer differs (stream it to a file, or keep it).
"""

from __future__ import annotations

import contextlib
import email.utils
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TypeVar

import requests
from requests.adapters import HTTPAdapter

from .._version import __version__
from ..urls import urljoin
from .errors import Failure, GaveUp, Transient, UrlRefused
from .safety import check_fetch_url, normalise_host, normalise_host_pattern

T = TypeVar("T")

USER_AGENT = f"migrator/{__version__} (WordPress to Markdown converter)"
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 60.0  # seconds: never wait longer than this on a server's say-so
#: Attempts after the first (``Options.http_retries``: media downloads and live sites alike).
RETRIES = 3


def transient_status(status: int) -> bool:
    """Answers worth asking again: 429 Too Many Requests and every 5xx."""
    return status == 429 or status >= 500


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or HTTP date), capped."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return min(max((when - now).total_seconds(), 0.0), MAX_RETRY_AFTER)


@dataclass(frozen=True)
class RetryPolicy:
    """``retries`` more attempts after the first, waiting ``backoff * 2**n`` seconds before
    attempt ``n + 1`` (or what the server's ``Retry-After`` said), never longer than ``max_wait``."""

    retries: int = RETRIES
    backoff: float = 0.5
    max_wait: float = MAX_RETRY_AFTER

    def wait(self, attempt: int, told: float | None = None) -> float:
        """Seconds to wait after the failed attempt number ``attempt`` (from 0)."""
        return min(told if told is not None else self.backoff * 2**attempt, self.max_wait)

    def call(self, attempt: Callable[[bool], T]) -> T:
        """``attempt(last)`` until it returns: a :class:`Transient` it raises is tried again after
        :meth:`wait`; the last one becomes :class:`GaveUp` ("... (after N attempts)")."""
        retries = max(0, int(self.retries))
        n = 0
        while True:
            try:
                return attempt(n == retries)
            except Transient as exc:
                if n == retries:
                    raise GaveUp(f"{exc.reason} (after {retries + 1} attempts)") from None
                time.sleep(self.wait(n, exc.delay))
                n += 1


class HostLimits:
    """Per host: at most ``per_host`` requests at a time, and request starts at least ``delay``
    seconds apart (raised for one host by :meth:`slow_down`, e.g. a robots.txt Crawl-delay)."""

    def __init__(self, per_host: int = 2, delay: float = 0.0):
        self.per_host = max(1, int(per_host))
        self.delay = delay
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._host_delay: dict[str, float] = {}
        self._next_start: dict[str, float] = {}
        self._lock = threading.Lock()

    def slow_down(self, host: str, seconds: float) -> None:
        with self._lock:
            self._host_delay[host] = max(self._host_delay.get(host, 0.0), float(seconds))

    @contextlib.contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Hold one of the host's slots, starting after the host's turn has come."""
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(self.per_host))
        with slot:
            self._wait_turn(host)
            yield

    def _wait_turn(self, host: str) -> None:
        with self._lock:
            delay = max(self.delay, self._host_delay.get(host, 0.0))
            if not delay:
                return
            now = time.monotonic()
            start = max(now, self._next_start.get(host, 0.0))
            self._next_start[host] = start + delay
        if start > now:
            time.sleep(start - now)


class Fetcher:
    """Checked, polite GETs: allowed hosts and public addresses only (every redirect hop
    checked), the shared retry policy, per-host limits, one session, one User-Agent."""

    def __init__(
        self,
        allowed_hosts: Iterable[str],
        *,
        allow_private_hosts: bool = False,
        timeout: float = 30.0,
        retries: int = RETRIES,
        backoff: float = 0.5,
        max_retry_after: float = MAX_RETRY_AFTER,
        per_host: int = 2,
        rate: float = 0.0,
        jobs: int = 4,
        user_agent: str = USER_AGENT,
        trust_env: bool = False,
    ):
        self.allowed = {h for h in map(normalise_host_pattern, allowed_hosts) if h}
        self.allow_private_hosts = allow_private_hosts
        self.timeout = timeout
        self.retry = RetryPolicy(max(0, int(retries)), backoff, max_retry_after)
        self.limits = HostLimits(per_host, 1.0 / rate if rate and rate > 0 else 0.0)
        self.jobs = max(1, int(jobs))
        self.user_agent = user_agent
        self.trust_env = trust_env  # True: use proxy settings (and .netrc) from the environment
        self.requests_made = 0  # network requests (redirect hops and retries included)
        self.follow_redirects = True  # False: a 3xx answer is returned as it is
        self._lock = threading.Lock()
        self._session: requests.Session | None = None

    @property
    def retries(self) -> int:
        return self.retry.retries

    def allow_host(self, host_or_url: str) -> None:
        host = normalise_host(host_or_url)
        if host:
            self.allowed.add(host)

    def check_url(self, url: str) -> None:
        """Raise UrlRefused unless ``url`` may be fetched (scheme, host, addresses)."""
        check_fetch_url(url, self.allowed, self.allow_private_hosts)

    def follow(self, url: str, answer: Callable[[str, requests.Response], T],
               headers: Mapping[str, str] | None = None) -> T:
        """GET ``url``, following redirects by hand, each hop checked and within its host's
        limits; ``answer(hop_url, response)`` gets the final (non-redirect) response while the
        host's slot is held, and the response is closed after it.  Raises :class:`Failure`
        (:class:`Transient` when another attempt may help)."""
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                self.check_url(current)
            except UrlRefused as exc:
                if exc.retryable:
                    raise Transient(exc.reason) from None
                raise
            with self.limits.slot(normalise_host(current)):
                response = self._get(current, headers)
                try:
                    if response.status_code in REDIRECT_CODES and self.follow_redirects:
                        location = response.headers.get("Location")
                        if not location:
                            raise Failure(f"HTTP {response.status_code} without Location")
                        current = urljoin(current, location)
                        continue
                    return answer(current, response)
                finally:
                    response.close()
        raise Failure(f"too many redirects (more than {MAX_REDIRECTS})")

    def _get(self, url: str, headers: Mapping[str, str] | None) -> requests.Response:
        session = self.session()
        with self._lock:
            self.requests_made += 1
        try:
            return session.get(url, stream=True, allow_redirects=False, timeout=self.timeout,
                               headers={"User-Agent": self.user_agent, **(headers or {})})
        except requests.Timeout as exc:
            raise Transient(f"timed out after {self.timeout:g} s") from exc
        except requests.ConnectionError as exc:
            if "Connection refused" in str(exc):  # nothing listens: retrying will not help
                raise Failure("cannot connect (connection refused)") from exc
            raise Transient(f"cannot connect ({_short(exc)})") from exc
        except requests.RequestException as exc:
            raise Failure(f"request failed: {type(exc).__name__}") from exc

    def session(self) -> requests.Session:
        """The fetcher's one session (opened on first use, until :meth:`close`)."""
        with self._lock:
            if self._session is None:
                session = requests.Session()
                session.trust_env = self.trust_env
                adapter = HTTPAdapter(pool_connections=max(self.jobs, 10), pool_maxsize=max(self.jobs, 2),
                                      max_retries=0)
                session.mount("http://", adapter)
                session.mount("https://", adapter)
                self._session = session
            return self._session

    def close(self) -> None:
        with self._lock:
            session, self._session = self._session, None
        if session is not None:
            session.close()


#: Errors while a response body streams in: the transfer broke off (worth another try).
TRANSFER_ERRORS = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


def _short(exc: Exception) -> str:
    """The innermost reason of a requests connection error, on one line."""
    text = str(exc)
    for marker in ("Connection refused", "Name or service not known", "No route to host",
                   "Connection reset", "timed out", "Temporary failure in name resolution"):
        if marker in text:
            return marker.lower()
    return type(exc).__name__
