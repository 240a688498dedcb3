"""Media downloader: polite, bounded, resumable, and careful about where it connects.

``Downloader.download_all`` fetches each unique media URL once into ``out_dir`` and returns a
:class:`MediaResult` per URL. Per-file problems become ``status="failed"`` results with an
``error`` text; nothing raises for a bad file, a bad server or a bad URL.

Security rules (checked for the first request and again for every redirect hop): only
``http``/``https``; only allowed hosts (exact names or ``*.suffix`` patterns); never a
loopback, private, link-local, multicast, reserved or unspecified address unless
``allow_private_hosts=True``. Known limit: the address check resolves the name before
``requests`` resolves it again, so a DNS server answering differently the second time
(rebinding) is not caught.
"""

from __future__ import annotations

import contextlib
import dataclasses
import email.utils
import ipaddress
import mimetypes
import os
import secrets
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

from migrator.transforms.media_urls import uploads_relative

from ..urls import urljoin, urlsplit  # never raise on malformed URLs
from .writer import UnsafePath, resolve_inside

try:  # pragma: no cover - depends on how the package is installed
    from importlib.metadata import PackageNotFoundError, version

    try:
        __version__ = version("migrator")
    except PackageNotFoundError:
        __version__ = "dev"
except ImportError:  # pragma: no cover
    __version__ = "dev"

#: WordPress.com media hosts; add them to ``allowed_hosts`` for WordPress.com sites.
WPCOM_MEDIA_HOSTS = frozenset(
    {"*.files.wordpress.com", "i0.wp.com", "i1.wp.com", "i2.wp.com", "i3.wp.com"}
)
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 60.0  # seconds: never wait longer than this on a server's say-so
CHUNK = 64 * 1024
COMPLETE_STATUSES = frozenset({"downloaded", "skipped-complete", "copied"})

Status = str  # "downloaded" | "skipped-complete" | "copied" | "failed"


@dataclass
class MediaResult:
    """Outcome of one media URL."""

    url: str
    path: str  # relative to out_dir (forward slashes)
    status: Status
    error: str | None = None
    size: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class ProgressEvent:
    """Reported to the ``progress`` callback (from worker threads).

    kind ``"start"``: ``amount`` = number of unique files; ``"bytes"``: ``amount`` = bytes
    just received or copied; ``"file"``: one file finished, ``status`` set, ``amount`` = size.
    """

    kind: str
    url: str = ""
    amount: int = 0
    status: str = ""


ProgressCallback = Callable[[ProgressEvent], None]


class MediaError(Exception):
    """A per-file failure; turned into a ``failed`` result, never escapes."""


class _Retryable(MediaError):
    def __init__(self, message: str, delay: float | None = None):
        super().__init__(message)
        self.delay = delay


# --------------------------------------------------------------------------- pure helpers


def normalise_host(value: str) -> str:
    """Lower-cased host name of a URL or host string (``*.`` patterns kept)."""
    value = value.strip()
    if "://" in value:
        try:
            value = urlsplit(value).hostname or ""
        except ValueError:
            return ""
    elif "/" in value:
        value = value.split("/", 1)[0]
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".").lower()


def allowed_hosts_for(urls: Iterable[str], *, wpcom: bool = True) -> set[str]:
    """Hosts of ``urls`` plus their ``www.`` twins (and WordPress.com media hosts)."""
    hosts: set[str] = set(WPCOM_MEDIA_HOSTS) if wpcom else set()
    for url in urls:
        host = normalise_host(url)
        if not host:
            continue
        hosts.add(host)
        hosts.add(host[4:] if host.startswith("www.") else "www." + host)
    return hosts


def host_allowed(host: str, allowed: Iterable[str]) -> bool:
    """Whether ``host`` matches an allowed name or ``*.suffix`` pattern."""
    host = host.rstrip(".").lower()
    for pattern in allowed:
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                return True
        elif host == pattern:
            return True
    return False


def address_is_public(address: str) -> bool:
    """False for loopback, private, link-local, multicast, reserved, unspecified addresses."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        for embedded in (ip.ipv4_mapped, ip.sixtofour):
            if embedded is not None and not address_is_public(str(embedded)):
                return False
    return not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


class UrlRefused(Exception):
    """A URL that may not be fetched; ``retryable`` when only the resolver failed for now."""

    def __init__(self, reason: str, retryable: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


def check_fetch_url(url: str, allowed: Iterable[str], allow_private_hosts: bool = False) -> None:
    """Raise UrlRefused unless ``url`` may be fetched: ``http``/``https``, an allowed host, and
    (unless ``allow_private_hosts``) every address it resolves to public.  Shared by the media
    downloader and the live-site client, and applied again at every redirect."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
        port = parts.port
    except ValueError as exc:
        raise UrlRefused(f"invalid URL: {exc}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise UrlRefused(f"refused scheme {parts.scheme or '(none)'!r}")
    if not host:
        raise UrlRefused("no host in the URL")
    if not host_allowed(host, allowed):
        raise UrlRefused(f"host not allowed: {host}")
    if allow_private_hosts:
        return
    try:
        infos = socket.getaddrinfo(host, port or (443 if parts.scheme == "https" else 80),
                                   proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise UrlRefused(f"cannot resolve {host}: {exc}", retryable=exc.errno == socket.EAI_AGAIN) from None
    except (UnicodeError, OSError) as exc:
        raise UrlRefused(f"cannot resolve {host}: {exc}") from None
    addresses = sorted({info[4][0] for info in infos})
    if not addresses:
        raise UrlRefused(f"cannot resolve {host}")
    for address in addresses:
        if not address_is_public(address):
            raise UrlRefused(f"refused non-public address {address} for {host}")


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


def _expected_type(path: str) -> str | None:
    guessed, _ = mimetypes.guess_type("x" + os.path.splitext(path)[1].lower())
    return guessed


def _looks_like_html(head: bytes) -> bool:
    text = head[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
        text.startswith(b"<?xml") and b"<html" in text
    )


def content_type_problem(path: str, content_type: str | None, head: bytes) -> str | None:
    """Why a response is not the media file ``path`` promises (None when it looks right)."""
    expected = _expected_type(path)
    if expected is None or expected.startswith("text/") or expected.endswith("html"):
        return None
    declared = (content_type or "").split(";", 1)[0].strip().lower()
    if declared in ("text/html", "application/xhtml+xml"):
        return f"server sent {declared} for a {expected} file"
    svg_like = expected == "image/svg+xml" and declared in ("text/xml", "text/plain")
    if declared.startswith("text/") and not svg_like:
        return f"server sent {declared} for a {expected} file"
    if _looks_like_html(head):
        return f"server sent an HTML page for a {expected} file"
    return None


# --------------------------------------------------------------------------- downloader


class Downloader:
    """Fetch media files with a bounded pool, per-host limits, retries and safety checks."""

    def __init__(
        self,
        allowed_hosts: Iterable[str],
        *,
        extra_hosts: Iterable[str] = (),
        jobs: int = 8,
        per_host: int = 2,
        max_size: int = 50 * 2**20,
        timeout: float = 30,
        retries: int = 4,
        backoff: float = 0.5,
        max_retry_after: float = MAX_RETRY_AFTER,
        allow_private_hosts: bool = False,
        local_dir: str | os.PathLike | None = None,
        user_agent: str = f"migrator/{__version__}",
        progress: ProgressCallback | None = None,
        trust_env: bool = False,
    ):
        self.allowed = {h for h in map(normalise_host_pattern, [*allowed_hosts, *extra_hosts]) if h}
        self.jobs = max(1, int(jobs))
        self.per_host = max(1, int(per_host))
        self.max_size = max_size
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.allow_private_hosts = allow_private_hosts
        self.local_dir = Path(local_dir) if local_dir is not None else None
        self.user_agent = user_agent
        self.progress = progress
        self.trust_env = trust_env  # True: use proxy settings (and .netrc) from the environment
        self._host_slots: dict[str, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()
        self._session: requests.Session | None = None

    # ----------------------------------------------------------------- public entry point

    def download_all(
        self,
        items: Iterable[tuple[str, str]],
        out_dir: str | os.PathLike,
        previous: dict[str, dict] | None = None,
    ) -> dict[str, MediaResult]:
        """Fetch every unique URL of ``items`` ((url, relative path) pairs) into ``out_dir``.

        ``previous`` maps URLs to the media records of the previous manifest; a file whose
        record says it was complete and whose size on disk matches is skipped without any
        request. Returns results keyed and sorted by URL.
        """
        out = Path(out_dir)
        previous = previous or {}
        paths: dict[str, str] = {}
        for url, rel in items:
            paths.setdefault(url, rel)
        # URLs that map to the same output file share one fetch (first URL that works).
        groups: dict[str, list[str]] = {}
        for url in sorted(paths):
            groups.setdefault(paths[url], []).append(url)
        self._emit(ProgressEvent("start", amount=len(groups)))
        results: dict[str, MediaResult] = {}
        session = self._open_session() if self.local_dir is None else None
        pool = ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="media")
        try:
            futures = [
                pool.submit(self._fetch_group, urls, rel, out, previous)
                for rel, urls in sorted(groups.items())
            ]
            for future in futures:
                for result in future.result():
                    results[result.url] = result
        except BaseException:
            # Ctrl-C: drop queued files instead of finishing the whole batch.
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            pool.shutdown(wait=True)
            if session is not None:
                session.close()
                self._session = None
        return dict(sorted(results.items()))

    # ----------------------------------------------------------------- per file

    def _fetch_group(
        self, urls: list[str], rel: str, out: Path, previous: dict[str, dict]
    ) -> list[MediaResult]:
        result: MediaResult | None = None
        for url in urls:
            try:
                result = self._fetch_one(url, rel, out, previous.get(url))
            except Exception as exc:  # noqa: BLE001 - a per-file failure must never escape
                result = MediaResult(url, rel, "failed", error=f"{type(exc).__name__}: {exc}")
            if result.status != "failed":
                break
        assert result is not None
        self._emit(ProgressEvent("file", result.url, result.size or 0, result.status))
        return [dataclasses.replace(result, url=url) for url in urls]

    def _fetch_one(self, url: str, rel: str, out: Path, record: dict | None) -> MediaResult:
        target = _safe_target(out, rel)
        if target is None:
            return MediaResult(url, rel, "failed", error="unsafe output path")
        skipped = _skip_if_complete(url, rel, target, record)
        if skipped is not None:
            return skipped
        if self.local_dir is not None:
            return self._copy_local(url, rel, target)
        return self._download(url, rel, target)

    def _copy_local(self, url: str, rel: str, target: Path) -> MediaResult:
        source_rel = uploads_relative(url)
        if source_rel is None:
            return MediaResult(url, rel, "failed", error="not an uploads URL: no local copy")
        assert self.local_dir is not None
        root = self.local_dir.resolve()
        source = (root / source_rel).resolve()
        if not source.is_relative_to(root):
            return MediaResult(url, rel, "failed", error="local path escapes the media folder")
        if not source.is_file():
            return MediaResult(url, rel, "failed", error=f"missing in local copy: {source_rel}")
        size = source.stat().st_size
        if size > self.max_size:
            return MediaResult(url, rel, "failed", error=f"file too large ({size} bytes)")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temp_file(target)
        try:
            with open(source, "rb") as src, open(tmp, "wb") as dst:
                shutil.copyfileobj(src, dst, CHUNK)
            os.replace(tmp, target)
        except OSError as exc:
            _unlink(tmp)
            return MediaResult(url, rel, "failed", error=f"copy failed: {exc}")
        self._emit(ProgressEvent("bytes", url, size))
        return MediaResult(url, rel, "copied", size=size,
                           content_type=_expected_type(rel))

    def _download(self, url: str, rel: str, target: Path) -> MediaResult:
        last_error = "no attempt made"
        for attempt in range(self.retries + 1):
            try:
                return self._attempt(url, rel, target)
            except _Retryable as exc:
                last_error = str(exc)
                if attempt == self.retries:
                    break
                delay = exc.delay if exc.delay is not None else self.backoff * 2**attempt
                time.sleep(min(delay, self.max_retry_after))
            except MediaError as exc:
                return MediaResult(url, rel, "failed", error=str(exc))
        return MediaResult(url, rel, "failed",
                           error=f"{last_error} (after {self.retries + 1} attempts)")

    def _attempt(self, url: str, rel: str, target: Path) -> MediaResult:
        """One GET (following redirects by hand), streamed to a temp file."""
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            self._check_url(current)
            host = normalise_host(current)
            with self._host_slot(host):
                response = self._get(current)
                try:
                    if response.status_code in REDIRECT_CODES:
                        location = response.headers.get("Location")
                        if not location:
                            raise MediaError(f"HTTP {response.status_code} without Location")
                        current = urljoin(current, location)
                        continue
                    return self._save(url, rel, target, response)
                finally:
                    response.close()
        raise MediaError(f"too many redirects (more than {MAX_REDIRECTS})")

    def _get(self, url: str) -> requests.Response:
        session = self._session or self._open_session()
        try:
            return session.get(
                url,
                stream=True,
                allow_redirects=False,
                timeout=self.timeout,
                headers={"User-Agent": self.user_agent, "Accept-Encoding": "identity"},
            )
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise _Retryable(f"connection failed: {type(exc).__name__}") from exc
        except requests.RequestException as exc:
            raise MediaError(f"request failed: {type(exc).__name__}: {exc}") from exc

    def _save(self, url: str, rel: str, target: Path, response: requests.Response) -> MediaResult:
        status = response.status_code
        if status == 429 or status >= 500:
            delay = parse_retry_after(response.headers.get("Retry-After"))
            raise _Retryable(f"HTTP {status}", delay)
        if status != 200:
            raise MediaError(f"HTTP {status}")
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > self.max_size:
            raise MediaError(f"file too large ({length} bytes, limit {self.max_size})")
        content_type = response.headers.get("Content-Type")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temp_file(target)
        size = 0
        checked = False
        try:
            with open(tmp, "wb") as fh:
                for chunk in response.iter_content(CHUNK):
                    if not chunk:
                        continue
                    if not checked:
                        problem = content_type_problem(rel, content_type, chunk)
                        if problem:
                            raise MediaError(problem)
                        checked = True
                    size += len(chunk)
                    if size > self.max_size:
                        raise MediaError(f"file too large (over {self.max_size} bytes)")
                    fh.write(chunk)
                    self._emit(ProgressEvent("bytes", url, len(chunk)))
            if size == 0:
                raise MediaError("empty response")
            encoded = response.headers.get("Content-Encoding", "identity").lower() != "identity"
            if length.isdigit() and size != int(length) and not encoded:
                raise _Retryable(f"truncated body ({size} of {length} bytes)")
            os.replace(tmp, target)
        except (requests.ConnectionError, requests.Timeout,
                requests.exceptions.ChunkedEncodingError) as exc:
            _unlink(tmp)
            raise _Retryable(f"transfer failed: {type(exc).__name__}") from exc
        except BaseException:
            _unlink(tmp)
            raise
        return MediaResult(
            url, rel, "downloaded", size=size,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            content_type=content_type,
        )

    # ----------------------------------------------------------------- safety and plumbing

    def _check_url(self, url: str) -> None:
        """Raise MediaError unless ``url`` may be fetched (scheme, host, addresses)."""
        try:
            check_fetch_url(url, self.allowed, self.allow_private_hosts)
        except UrlRefused as exc:
            if exc.retryable:
                raise _Retryable(exc.reason) from None
            raise MediaError(exc.reason) from None

    @contextlib.contextmanager
    def _host_slot(self, host: str) -> Iterator[None]:
        with self._lock:
            slot = self._host_slots.setdefault(host, threading.BoundedSemaphore(self.per_host))
        with slot:
            yield

    def _open_session(self) -> requests.Session:
        with self._lock:
            if self._session is None:
                session = requests.Session()
                session.trust_env = self.trust_env
                adapter = HTTPAdapter(pool_connections=max(self.jobs, 10),
                                      pool_maxsize=self.jobs, max_retries=0)
                session.mount("http://", adapter)
                session.mount("https://", adapter)
                self._session = session
            return self._session

    def _emit(self, event: ProgressEvent) -> None:
        if self.progress is not None:
            try:
                self.progress(event)
            except Exception:  # noqa: BLE001 - a display problem must not stop downloads
                pass


def normalise_host_pattern(value: str) -> str:
    """Like :func:`normalise_host` but keeps a leading ``*.`` wildcard."""
    value = value.strip().lower()
    if value.startswith("*."):
        rest = normalise_host(value[2:])
        return "*." + rest if rest else ""
    return normalise_host(value)


def _safe_target(out: Path, rel: str) -> Path | None:
    """``out / rel`` when ``rel`` is a plain relative path staying inside ``out``."""
    parts = rel.replace("\\", "/").split("/")
    if not rel or rel.startswith("/") or any(p in ("", ".", "..") for p in parts):
        return None
    if any(ord(ch) < 32 for ch in rel) or ":" in parts[0]:
        return None
    try:
        return resolve_inside(out, rel)  # no symlink already in the output is followed
    except UnsafePath:
        return None


def _skip_if_complete(url: str, rel: str, target: Path, record: dict | None) -> MediaResult | None:
    """A ``skipped-complete`` result when the previous run finished this very file."""
    if not record or record.get("status") not in COMPLETE_STATUSES:
        return None
    # Manifest records may keep the download facts at the top level or under "extra".
    extra = record.get("extra") if isinstance(record.get("extra"), dict) else {}
    record = {**extra, **{k: v for k, v in record.items() if v is not None}}
    size = record.get("size")
    if not isinstance(size, int) or isinstance(size, bool):
        return None
    recorded_path = record.get("path")
    if recorded_path and recorded_path != rel:
        return None
    try:
        if not target.is_file() or target.stat().st_size != size:
            return None
    except OSError:
        return None
    return MediaResult(
        url, rel, "skipped-complete", size=size,
        etag=record.get("etag"), last_modified=record.get("last_modified"),
        content_type=record.get("content_type"),
    )


def _temp_file(target: Path) -> Path:
    """Create an empty, uniquely named temp file next to ``target`` (umask permissions)."""
    while True:
        tmp = target.with_name(f".{target.name[:40]}.{secrets.token_hex(6)}.part")
        try:
            with open(tmp, "xb"):
                return tmp
        except FileExistsError:
            continue


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


# --------------------------------------------------------------------------- rich display


def media_task(display, description: str = "media") -> ProgressCallback:
    """A downloader ``progress`` callback showing files, bytes, rate and failures as one task of
    a rich ``Progress`` whose columns show ``{task.description}`` and ``{task.fields[rate]}``
    (the task is added on the first event; downloader threads may call it concurrently)."""
    from rich.filesize import decimal

    lock = threading.Lock()
    started = time.monotonic()
    state: dict = {"task": None, "failed": 0, "bytes": 0}

    def callback(event: ProgressEvent) -> None:
        with lock:
            if state["task"] is None:
                state["task"] = display.add_task(description, total=None, rate="")
            task = state["task"]
            if event.kind == "start":
                display.update(task, total=event.amount)
                return
            if event.kind == "bytes":
                state["bytes"] += event.amount
            elif event.kind == "file":
                state["failed"] += event.status == "failed"
            elapsed = max(time.monotonic() - started, 1e-6)
            failed = state["failed"]
            display.update(
                task,
                advance=1 if event.kind == "file" else 0,
                description=description + (f" [red]({failed} failed)[/red]" if failed else ""),
                rate=f"{decimal(state['bytes'])} {decimal(int(state['bytes'] / elapsed))}/s",
            )

    return callback


@contextlib.contextmanager
def rich_progress(console=None, *, transient: bool = False) -> Iterator[ProgressCallback]:
    """A rich display of its own (files, bytes, rate, failures); yields the ``progress`` callback."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    display = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                       TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), console=console,
                       transient=transient)
    callback = media_task(display)
    with display:
        yield callback
