"""Media downloader: polite, bounded, resumable, and careful about where it connects.

``Downloader.download_all`` fetches each unique media URL once into ``out_dir`` and returns a
:class:`MediaResult` per URL. Per-file problems become ``status="failed"`` results with an
``error`` text; nothing raises for a bad file, a bad server or a bad URL.

The downloader is a :class:`~migrator.net.fetch.Fetcher`: the same address checks (for the
first request and every redirect hop, :mod:`migrator.net.safety`), retry policy, per-host
limits, total time per file (``max_time``) and User-Agent as the live-site client.  A run
stopped while files are downloading (Ctrl-C, SIGTERM) ends every download at once and leaves
no temporary file behind.
"""

from __future__ import annotations

import contextlib
import dataclasses
import mimetypes
import os
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.filesize import decimal
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..net import (
    CHUNK,
    MAX_FETCH_TIME,
    MAX_RETRY_AFTER,
    RETRIES,
    STOPPED,
    Cancelled,
    Failure,
    Fetcher,
    Transient,
    parse_retry_after,
    transient_status,
)
from ..plan.media_paths import uploads_relative
from .writer import UnsafePath, resolve_inside

if TYPE_CHECKING:
    import requests

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


class MediaError(Failure):
    """A per-file failure; turned into a ``failed`` result, never escapes."""


# --------------------------------------------------------------------------- pure helpers


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


class Downloader(Fetcher):
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
        max_time: float | None = MAX_FETCH_TIME,
        retries: int = RETRIES,
        backoff: float = 0.5,
        max_retry_after: float = MAX_RETRY_AFTER,
        allow_private_hosts: bool = False,
        local_dir: str | os.PathLike | None = None,
        progress: ProgressCallback | None = None,
        trust_env: bool = False,
    ):
        super().__init__(
            [*allowed_hosts, *extra_hosts],
            allow_private_hosts=allow_private_hosts,
            timeout=timeout,
            max_time=max_time,
            retries=retries,
            backoff=backoff,
            max_retry_after=max_retry_after,
            per_host=per_host,
            jobs=jobs,
            trust_env=trust_env,
        )
        self.max_size = max_size
        self.local_dir = Path(local_dir) if local_dir is not None else None
        self.progress = progress
        self._temps: set[Path] = set()  # temporary files being written
        self._temps_lock = threading.Lock()

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
        try:
            # Ctrl-C or SIGTERM: every download ends at once, queued files are dropped (Fetcher.map).
            for group in self.map(
                lambda item: self._fetch_group(item[1], item[0], out, previous), sorted(groups.items()), name="media"
            ):
                for result in group:
                    results[result.url] = result
        except BaseException:
            self._remove_temps()  # what a thread still busy after the grace time was writing
            raise
        finally:
            self.close()  # the session
        return dict(sorted(results.items()))

    # ----------------------------------------------------------------- per file

    def _fetch_group(self, urls: list[str], rel: str, out: Path, previous: dict[str, dict]) -> list[MediaResult]:
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
        try:
            with self._temp_file(target) as tmp:
                with open(source, "rb") as src, open(tmp, "wb") as dst:
                    shutil.copyfileobj(src, dst, CHUNK)
                os.replace(tmp, target)
        except OSError as exc:
            return MediaResult(url, rel, "failed", error=f"copy failed: {exc}")
        self._emit(ProgressEvent("bytes", url, size))
        return MediaResult(url, rel, "copied", size=size, content_type=_expected_type(rel))

    def _download(self, url: str, rel: str, target: Path) -> MediaResult:
        """GETs (redirects followed and checked, retried by the policy, all within ``max_time``),
        streamed to a temp file."""
        try:
            return self.call(
                lambda _last, deadline: self.follow(
                    url,
                    lambda _hop, response: self._save(url, rel, target, response),
                    headers={"Accept-Encoding": "identity"},
                    deadline=deadline,
                )
            )
        except Failure as exc:
            return MediaResult(url, rel, "failed", error=exc.reason)

    def _save(self, url: str, rel: str, target: Path, response: requests.Response) -> MediaResult:
        status = response.status_code
        if transient_status(status):
            raise Transient(f"HTTP {status}", parse_retry_after(response.headers.get("Retry-After")))
        if status != 200:
            raise MediaError(f"HTTP {status}")
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > self.max_size:
            raise MediaError(f"file too large ({length} bytes, limit {self.max_size})")
        content_type = response.headers.get("Content-Type")
        target.parent.mkdir(parents=True, exist_ok=True)
        size = 0
        checked = False
        with self._temp_file(target) as tmp:
            with open(tmp, "wb") as fh:
                for chunk in self.stream(response):
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
                raise Transient(f"truncated body ({size} of {length} bytes)")
            os.replace(tmp, target)
        return MediaResult(
            url,
            rel,
            "downloaded",
            size=size,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            content_type=content_type,
        )

    @contextlib.contextmanager
    def _temp_file(self, target: Path) -> Iterator[Path]:
        """A new empty temp file next to ``target`` (umask permissions), removed unless the block
        moved it into place; none is made once the run is stopping."""
        with self._temps_lock:
            if self.cancelled.is_set():
                raise Cancelled(STOPPED)
            tmp = _new_temp_file(target)
            self._temps.add(tmp)
        try:
            yield tmp
        finally:
            _unlink(tmp)  # gone already when it was moved into place
            with self._temps_lock:
                self._temps.discard(tmp)

    def _remove_temps(self) -> None:
        with self._temps_lock:
            temps, self._temps = self._temps, set()
        for tmp in temps:
            _unlink(tmp)

    def _emit(self, event: ProgressEvent) -> None:
        if self.progress is not None:
            try:
                self.progress(event)
            except Exception:  # noqa: BLE001 - a display problem must not stop downloads
                pass


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
        url,
        rel,
        "skipped-complete",
        size=size,
        etag=record.get("etag"),
        last_modified=record.get("last_modified"),
        content_type=record.get("content_type"),
    )


def _new_temp_file(target: Path) -> Path:
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
    display = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=console,
        transient=transient,
    )
    callback = media_task(display)
    with display:
        yield callback
