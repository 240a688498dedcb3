"""What every HTTP user of migrator shares: one User-Agent, one retry policy, per-host limits,
one ``requests`` session per user, redirects followed by hand so that every hop is checked, a
total time per fetch (:mod:`migrator.net.deadline`), and a pool of threads that stops at once.

The media downloader (:mod:`migrator.output.media`) and the live-site client
(:mod:`migrator.net.client`, used by the REST reader and the crawler) are both a
:class:`Fetcher`; only what they do with an answer differs (stream it to a file, or keep it).

Time: ``timeout`` (``--timeout``) is how long a request may wait for the server to say
anything; ``max_time`` (``--max-fetch-time``) is how long the fetch of one URL may take in all,
retries, redirects and the waits between them included, enforced while the body streams in.
A request to a host that has not answered anything yet in this run is not tried again after a
timeout: a server that is not answering at all costs one ``timeout`` per URL, not one per attempt.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, TypeVar

from .._version import __version__
from ..urls import urljoin
from .deadline import MAX_FETCH_TIME, STOPPED, Deadline, Watchdog, check_current, watched_adapter
from .errors import Cancelled, Failure, GaveUp, Transient, UrlRefused
from .safety import check_fetch_url, normalise_host, normalise_host_pattern

if TYPE_CHECKING:
    import requests

T = TypeVar("T")
A = TypeVar("A")

USER_AGENT = f"migrator/{__version__} (WordPress to Markdown converter)"
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 60.0  # seconds: never wait longer than this on a server's say-so
#: Attempts after the first (``Options.http_retries``: media downloads and live sites alike).
RETRIES = 3
#: Seconds the threads of a stopped :meth:`Fetcher.map` get to remove what they were writing.
GRACE = 2.0
CHUNK = 64 * 1024


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
    import email.utils  # only for an HTTP date: not loaded at start

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

    def call(
        self, attempt: Callable[[bool], T], deadline: Deadline | None = None, stop: threading.Event | None = None
    ) -> T:
        """``attempt(last)`` until it returns: a :class:`Transient` it raises is tried again after
        :meth:`wait`; the last one becomes :class:`GaveUp` ("... (after N attempts)"), and so does
        one whose wait would outlast ``deadline``.  ``stop`` set ends a wait at once (:class:`Cancelled`)."""
        retries = max(0, int(self.retries))
        n = 0
        while True:
            try:
                return attempt(n == retries)
            except Transient as exc:
                if n == retries:
                    raise GaveUp(f"{exc.reason} (after {retries + 1} attempts)") from None
                wait = self.wait(n, exc.delay)
                if deadline is not None and wait >= deadline.remaining():
                    raise GaveUp(
                        f"{exc.reason} (after {n + 1} attempt{'s' * bool(n)}; no time left for another "
                        f"within {deadline.seconds:g} s, --max-fetch-time)"
                    ) from None
                if stop is None:
                    time.sleep(wait)
                elif stop.wait(wait):
                    raise Cancelled(STOPPED) from None
                n += 1


class HostLimits:
    """Per host: at most ``per_host`` requests at a time, and request starts at least ``delay``
    seconds apart (raised for one host by :meth:`slow_down`, e.g. a robots.txt Crawl-delay); and
    whether the host has answered anything yet (:meth:`answered`)."""

    def __init__(self, per_host: int = 2, delay: float = 0.0):
        self.per_host = max(1, int(per_host))
        self.delay = delay
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._host_delay: dict[str, float] = {}
        self._next_start: dict[str, float] = {}
        self._answered: set[str] = set()
        self._lock = threading.Lock()

    def heard_from(self, host: str) -> None:
        with self._lock:
            self._answered.add(host)

    def answered(self, host: str) -> bool:
        """Whether ``host`` has sent an answer (any status) to any request so far."""
        with self._lock:
            return host in self._answered

    def slow_down(self, host: str, seconds: float) -> None:
        with self._lock:
            self._host_delay[host] = max(self._host_delay.get(host, 0.0), float(seconds))

    @contextlib.contextmanager
    def slot(self, host: str, stop: threading.Event | None = None) -> Iterator[None]:
        """Hold one of the host's slots, starting after the host's turn has come; ``stop`` set
        ends the wait (:class:`Cancelled`)."""
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(self.per_host))
        while not slot.acquire(timeout=0.25):
            if stop is not None and stop.is_set():
                raise Cancelled(STOPPED)
        try:
            self._wait_turn(host, stop)
            yield
        finally:
            slot.release()

    def _wait_turn(self, host: str, stop: threading.Event | None) -> None:
        with self._lock:
            delay = max(self.delay, self._host_delay.get(host, 0.0))
            if not delay:
                return
            now = time.monotonic()
            start = max(now, self._next_start.get(host, 0.0))
            self._next_start[host] = start + delay
        if start <= now:
            return
        if stop is None:
            time.sleep(start - now)
        elif stop.wait(start - now):
            raise Cancelled(STOPPED)


class Fetcher:
    """Checked, polite GETs: allowed hosts and public addresses only (every redirect hop
    checked), the shared retry policy, per-host limits, one session, one User-Agent; a total
    time per fetch (``max_time``) and :meth:`cancel` to end every request in flight."""

    def __init__(
        self,
        allowed_hosts: Iterable[str],
        *,
        allow_private_hosts: bool = False,
        timeout: float = 30.0,
        max_time: float | None = MAX_FETCH_TIME,
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
        self.max_time = max_time  # seconds for one fetch in all (None: no bound)
        self.retry = RetryPolicy(max(0, int(retries)), backoff, max_retry_after)
        self.limits = HostLimits(per_host, 1.0 / rate if rate and rate > 0 else 0.0)
        self.jobs = max(1, int(jobs))
        self.user_agent = user_agent
        self.trust_env = trust_env  # True: use proxy settings (and .netrc) from the environment
        self.requests_made = 0  # network requests (redirect hops and retries included)
        self.follow_redirects = True  # False: a 3xx answer is returned as it is
        self.watchdog = Watchdog()
        self._lock = threading.Lock()
        self._session: requests.Session | None = None

    @property
    def retries(self) -> int:
        return self.retry.retries

    @property
    def cancelled(self) -> threading.Event:
        return self.watchdog.cancelled

    def cancel(self) -> None:
        """End every request in flight now and refuse new ones (the run is stopping); any thread."""
        self.watchdog.cancel()

    def allow_host(self, host_or_url: str) -> None:
        host = normalise_host(host_or_url)
        if host:
            self.allowed.add(host)

    def check_url(self, url: str) -> None:
        """Raise UrlRefused unless ``url`` may be fetched (scheme, host, addresses)."""
        check_fetch_url(url, self.allowed, self.allow_private_hosts)

    def call(self, attempt: Callable[[bool, Deadline], T]) -> T:
        """``attempt(last, deadline)`` under the retry policy, every attempt within one
        :class:`Deadline` of ``max_time`` (pass it on to :meth:`follow`)."""
        deadline = Deadline(self.max_time)
        return self.retry.call(lambda last: attempt(last, deadline), deadline, self.cancelled)

    def follow(
        self,
        url: str,
        answer: Callable[[str, requests.Response], T],
        headers: Mapping[str, str] | None = None,
        deadline: Deadline | None = None,
    ) -> T:
        """GET ``url``, following redirects by hand, each hop checked and within its host's
        limits; ``answer(hop_url, response)`` gets the final (non-redirect) response while the
        host's slot is held (read its body with :meth:`stream`), and the response is closed after
        it.  Every hop is watched: past ``deadline``, or on :meth:`cancel`, its connection is shut
        down wherever the request is.  Raises :class:`Failure` (:class:`Transient` when another
        attempt may help)."""
        deadline = deadline or Deadline(self.max_time)
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            if self.cancelled.is_set():
                raise Cancelled(STOPPED)
            if deadline.expired():
                raise deadline.failure()
            try:
                self.check_url(current)
            except UrlRefused as exc:
                if exc.retryable:
                    raise Transient(exc.reason) from None
                raise
            host = normalise_host(current)
            with self.limits.slot(host, self.cancelled):
                deadline.start()
                with self.watchdog.watch(deadline) as watch:
                    try:
                        response = self._get(current, headers, deadline)
                        self.limits.heard_from(host)
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
                    except Exception:
                        watch.check()  # the watchdog cut it: say why (out of time, or stopped)
                        raise
        raise Failure(f"too many redirects (more than {MAX_REDIRECTS})")

    def _get(self, url: str, headers: Mapping[str, str] | None, deadline: Deadline) -> requests.Response:
        import requests  # loaded by the first fetch: a run that fetches nothing starts without it

        session = self.session()
        with self._lock:
            self.requests_made += 1
        try:
            return session.get(
                url,
                stream=True,
                allow_redirects=False,
                timeout=deadline.cap(self.timeout),
                headers={"User-Agent": self.user_agent, **(headers or {})},
            )
        except requests.Timeout as exc:
            if deadline.expired():
                raise deadline.failure() from exc
            reason = f"timed out after {self.timeout:g} s without an answer"
            if self.limits.answered(normalise_host(url)):
                raise Transient(reason) from exc  # a host that answers: this once it did not
            raise Failure(reason) from exc  # a host that has not answered anything: asking again costs as much
        except requests.ConnectionError as exc:
            if "Connection refused" in str(exc):  # nothing listens: retrying will not help
                raise Failure("cannot connect (connection refused)") from exc
            raise Transient(f"cannot connect ({_short(exc)})") from exc
        except requests.RequestException as exc:
            raise Failure(f"request failed: {type(exc).__name__}") from exc

    def stream(self, response: requests.Response, chunk_size: int = CHUNK) -> Iterator[bytes]:
        """The body of ``response`` (inside :meth:`follow`'s ``answer``), chunk by chunk.  A transfer
        that breaks off raises :class:`Transient`; one the watchdog cut raises why (also when the
        cut looked like the end of a body without ``Content-Length``)."""
        import requests
        from urllib3.exceptions import ReadTimeoutError

        try:
            for chunk in response.iter_content(chunk_size):
                if chunk:
                    yield chunk
        except transfer_errors() as exc:
            check_current()
            stalled = isinstance(exc, requests.Timeout) or any(isinstance(a, ReadTimeoutError) for a in exc.args)
            what = f"stalled for {self.timeout:g} s" if stalled else f"failed ({type(exc).__name__})"
            raise Transient(f"transfer {what}") from exc
        check_current()

    def map(self, work: Callable[[A], T], items: Iterable[A], name: str = "fetch") -> list[T]:
        """``work(item)`` for every item, up to ``jobs`` at a time; the results in order.

        The work runs in daemon threads the caller only waits for.  When the caller is
        interrupted (Ctrl-C, or the ``SystemExit`` of SIGTERM's handler in the main thread), every
        request in flight is ended at once (:meth:`cancel`), the threads get ``GRACE`` seconds to
        remove what they were writing, and the interruption goes on: nothing waits for a stalled
        server, and no thread keeps the process alive.  Raises :class:`Cancelled` when
        :meth:`cancel` (from another thread) left items undone, and the first exception ``work``
        raised."""
        items = list(items)
        results: list = [None] * len(items)
        done = [False] * len(items)
        errors: list[BaseException] = []
        queue = iter(range(len(items)))
        lock = threading.Lock()

        def worker() -> None:
            while not self.cancelled.is_set() and not errors:
                with lock:
                    i = next(queue, None)
                if i is None:
                    return
                try:
                    results[i] = work(items[i])
                    done[i] = True
                except BaseException as exc:  # noqa: BLE001 - handed to the caller
                    errors.append(exc)

        threads = [
            threading.Thread(target=worker, name=f"{name}-{n}", daemon=True) for n in range(min(self.jobs, len(items)))
        ]
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                while thread.is_alive():
                    thread.join(0.25)  # short waits: a signal's handler runs between them
        except BaseException:
            self.cancel()
            end = time.monotonic() + GRACE
            for thread in threads:
                thread.join(max(0.0, end - time.monotonic()))
            raise
        if errors:
            raise errors[0]
        if not all(done):
            raise Cancelled(STOPPED)
        return results

    def session(self) -> requests.Session:
        """The fetcher's one session (opened on first use, until :meth:`close`)."""
        import requests

        with self._lock:
            if self._session is None:
                session = requests.Session()
                session.trust_env = self.trust_env
                adapter = watched_adapter(
                    pool_connections=max(self.jobs, 10), pool_maxsize=max(self.jobs, 2), max_retries=0
                )
                session.mount("http://", adapter)
                session.mount("https://", adapter)
                self._session = session
            return self._session

    def close(self) -> None:
        with self._lock:
            session, self._session = self._session, None
        if session is not None:
            session.close()


def transfer_errors() -> tuple[type[Exception], ...]:
    """Errors while a response body streams in: the transfer broke off (worth another try)."""
    import requests

    return (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


def _short(exc: Exception) -> str:
    """The innermost reason of a requests connection error, on one line."""
    text = str(exc)
    for marker in (
        "Connection refused",
        "Name or service not known",
        "No route to host",
        "Connection reset",
        "timed out",
        "Temporary failure in name resolution",
    ):
        if marker in text:
            return marker.lower()
    return type(exc).__name__
