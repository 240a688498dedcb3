"""The media downloader against a real HTTP server on 127.0.0.1 (no mocks)."""

from __future__ import annotations

import collections
import hashlib
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from migrator.media_urls import original_url
from migrator.net import (
    USER_AGENT,
    HttpClient,
    UrlRefused,
    address_is_public,
    allowed_hosts_for,
    host_allowed,
    parse_retry_after,
)
from migrator.output.media import Downloader, ProgressEvent, content_type_problem, rich_progress
from migrator.plan.media_paths import media_path

CAP = 10_000  # max_size used in these tests


def png(seed: str, size: int = 600) -> bytes:
    body = hashlib.sha256(seed.encode()).digest() * (size // 32 + 1)
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + body[:size]


def jpeg(seed: str, size: int = 800) -> bytes:
    body = hashlib.sha256(seed.encode()).digest() * (size // 32 + 1)
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + body[:size] + b"\xff\xd9"


HTML = b"<!DOCTYPE html><html><head><title>Not found</title></head><body>oops</body></html>"


class Server:
    """A tiny media host with scripted misbehaviour; counts GETs per path."""

    def __init__(self) -> None:
        self.counts: collections.Counter[str] = collections.Counter()
        self.lock = threading.Lock()
        self.inflight = 0
        self.max_inflight = 0
        self.overlap = threading.Condition(self.lock)  # the slow- files wait for a second one in flight
        self.released = threading.Event()  # set at the end of the test: /too-slow.jpg answers
        self.agents: set[str | None] = set()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                with server.lock:
                    server.counts[path] += 1
                    count = server.counts[path]
                    server.agents.add(self.headers.get("User-Agent"))
                try:
                    server.route(self, path, count)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    # -- responses
    @staticmethod
    def send(h, status: int, body: bytes = b"", ctype: str = "image/png", **headers) -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            h.send_header(name.replace("_", "-"), value)
        h.end_headers()
        h.wfile.write(body)

    def route(self, h, path: str, count: int) -> None:
        send = self.send
        if path.startswith("/wp-content/uploads/slow-"):
            # in flight until another one is (or the six have come), then 0.25 s more: however loaded the
            # machine, two are at once, and more would be were the per-host limit not kept
            with self.lock:
                self.inflight += 1
                self.max_inflight = max(self.max_inflight, self.inflight)
                self.overlap.notify_all()
                self.overlap.wait_for(lambda: self.max_inflight >= 2 or sum(self.counts.values()) >= 6, 60)
            time.sleep(0.25)
            with self.lock:
                self.inflight -= 1
            send(h, 200, png(path))
        elif path.startswith("/wp-content/uploads/"):
            body = jpeg(path) if path.endswith(".jpg") else png(path)
            ctype = "image/jpeg" if path.endswith(".jpg") else "image/png"
            send(
                h,
                200,
                body,
                ctype,
                ETag=f'"{hashlib.md5(body).hexdigest()}"',
                Last_Modified="Wed, 11 Mar 2015 10:00:00 GMT",
            )
        elif path == "/slow.jpg":
            time.sleep(0.4)
            send(h, 200, jpeg(path), "image/jpeg")
        elif path == "/too-slow.jpg":
            self.released.wait(60)  # answers after the client's timeout, however late that fires
            send(h, 200, jpeg(path), "image/jpeg")
        elif path == "/missing.jpg":
            send(h, 404, HTML, "text/html")
        elif path == "/flaky.png":
            if count == 1:
                send(h, 500, b"busy", "text/plain")
            else:
                send(h, 200, png(path))
        elif path == "/limited.png":
            if count == 1:
                send(h, 429, b"slow down", "text/plain", Retry_After="1")
            else:
                send(h, 200, png(path))
        elif path == "/always-500.png":
            send(h, 503, b"down", "text/plain")
        elif path == "/big.jpg":
            send(h, 200, jpeg(path, CAP * 2), "image/jpeg")
        elif path == "/big-chunked.jpg":
            h.send_response(200)
            h.send_header("Content-Type", "image/jpeg")
            h.send_header("Transfer-Encoding", "chunked")
            h.end_headers()
            data = jpeg(path, CAP * 3)
            for i in range(0, len(data), 4000):
                piece = data[i : i + 4000]
                h.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            h.wfile.write(b"0\r\n\r\n")
        elif path == "/empty.jpg":
            send(h, 200, b"", "image/jpeg")
        elif path == "/page.jpg":
            send(h, 200, HTML, "text/html; charset=utf-8")
        elif path == "/disguised.jpg":
            send(h, 200, HTML, "image/jpeg")
        elif path == "/truncated.png":
            h.send_response(200)
            h.send_header("Content-Type", "image/png")
            h.send_header("Content-Length", "5000")
            h.send_header("Connection", "close")
            h.end_headers()
            h.wfile.write(png(path, 1000))
            h.close_connection = True
        elif path == "/redirect-private.jpg":
            send(h, 302, b"", "text/plain", Location="http://10.0.0.1/x.jpg")
        elif path == "/redirect-foreign.jpg":
            send(h, 302, b"", "text/plain", Location="http://not-allowed.example/x.jpg")
        elif path == "/redirect-ftp.jpg":
            send(h, 302, b"", "text/plain", Location="ftp://127.0.0.1/x.jpg")
        elif path == "/moved.png":
            send(h, 301, b"", "text/plain", Location="/wp-content/uploads/2015/03/moved-here.png")
        elif path == "/loop.jpg":
            send(h, 302, b"", "text/plain", Location="/loop.jpg")
        else:
            send(h, 404, b"", "text/plain")


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    srv.thread.start()
    try:
        yield srv
    finally:
        srv.released.set()
        srv.httpd.shutdown()
        srv.httpd.server_close()


def make(server: Server, **kw) -> Downloader:
    options = dict(jobs=8, per_host=4, max_size=CAP, timeout=2, retries=2, backoff=0.01, allow_private_hosts=True)
    options.update(kw)
    return Downloader({"127.0.0.1"}, **options)


def items_for(server: Server, *paths: str) -> list[tuple[str, str]]:
    return [(server.url(p), media_path(server.url(p))) for p in paths]


def test_outcomes_of_a_mixed_batch(server: Server, tmp_path: Path) -> None:
    paths = [
        "/wp-content/uploads/2015/03/harbour.jpg",
        "/slow.jpg",
        "/missing.jpg",
        "/flaky.png",
        "/limited.png",
        "/big.jpg",
        "/big-chunked.jpg",
        "/page.jpg",
        "/disguised.jpg",
        "/redirect-private.jpg",
        "/redirect-foreign.jpg",
        "/redirect-ftp.jpg",
        "/moved.png",
        "/loop.jpg",
        "/always-500.png",
        "/truncated.png",
        "/empty.jpg",
    ]
    items = items_for(server, *paths)
    results = make(server).download_all(items, tmp_path)
    by_path = {p: results[server.url(p)] for p in paths}

    assert list(results) == sorted(results)  # deterministic order
    ok = {
        "/wp-content/uploads/2015/03/harbour.jpg": jpeg("/wp-content/uploads/2015/03/harbour.jpg"),
        "/slow.jpg": jpeg("/slow.jpg"),
        "/flaky.png": png("/flaky.png"),
        "/limited.png": png("/limited.png"),
        "/moved.png": png("/wp-content/uploads/2015/03/moved-here.png"),
    }
    for path, body in ok.items():
        result = by_path[path]
        assert result.status == "downloaded", (path, result.error)
        assert (tmp_path / result.path).read_bytes() == body
        assert result.size == len(body)
    harbour = by_path["/wp-content/uploads/2015/03/harbour.jpg"]
    assert harbour.path == "media/2015/03/harbour.jpg"
    assert harbour.etag and harbour.last_modified == "Wed, 11 Mar 2015 10:00:00 GMT"
    assert harbour.content_type == "image/jpeg"

    failed = {p: by_path[p] for p in paths if p not in ok}
    for path, result in failed.items():
        assert result.status == "failed", path
        assert result.error, path
        assert not (tmp_path / result.path).exists(), path
    assert "404" in failed["/missing.jpg"].error
    assert "too large" in failed["/big.jpg"].error
    assert "too large" in failed["/big-chunked.jpg"].error
    assert "text/html" in failed["/page.jpg"].error
    assert "HTML" in failed["/disguised.jpg"].error
    assert "host not allowed: 10.0.0.1" in failed["/redirect-private.jpg"].error
    assert "host not allowed: not-allowed.example" in failed["/redirect-foreign.jpg"].error
    assert "scheme" in failed["/redirect-ftp.jpg"].error
    assert "redirects" in failed["/loop.jpg"].error
    assert "503" in failed["/always-500.png"].error
    assert "empty" in failed["/empty.jpg"].error

    # Retries: once for 500 / 429, all attempts for persistent 5xx; none for 4xx or caps.
    c = server.counts
    assert c["/flaky.png"] == 2 and c["/limited.png"] == 2
    assert c["/always-500.png"] == 3 and c["/truncated.png"] == 3
    assert c["/missing.jpg"] == 1 and c["/big.jpg"] == 1 and c["/page.jpg"] == 1
    assert c["/loop.jpg"] == 6  # first request + 5 redirects followed
    # No partial or temp files are left anywhere.
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and p.name.endswith(".part")]
    assert leftovers == []


def test_media_and_live_sites_share_one_user_agent_and_retry_policy(server: Server, tmp_path: Path) -> None:
    results = make(server).download_all(items_for(server, "/wp-content/uploads/2015/03/harbour.jpg"), tmp_path)
    assert {r.status for r in results.values()} == {"downloaded"}
    client = HttpClient([server.base], allow_private_hosts=True, rate=1000, retries=2, backoff=0.01)
    assert client.get(server.url("/always-500.png")).status == 503  # a 5xx that outlives the retries
    assert server.counts["/always-500.png"] == 3  # 2 retries, as for a download (``make``)
    assert server.agents == {USER_AGENT}


def test_retry_after_is_honoured(server: Server, tmp_path: Path) -> None:
    start = time.monotonic()
    results = make(server).download_all(items_for(server, "/limited.png"), tmp_path)
    assert results[server.url("/limited.png")].status == "downloaded"
    assert time.monotonic() - start >= 0.95  # waited Retry-After: 1, not the tiny backoff


def test_timeout_is_retried_only_on_a_host_that_answers(server: Server, tmp_path: Path) -> None:
    # A host that has said nothing yet: a timeout costs one --timeout, not one per attempt.
    results = make(server, timeout=0.3, retries=1).download_all(items_for(server, "/too-slow.jpg"), tmp_path)
    result = results[server.url("/too-slow.jpg")]
    assert result.status == "failed" and result.error == "timed out after 0.3 s without an answer"
    assert server.counts["/too-slow.jpg"] == 1
    # A host that has answered another request: this one stalled once, it is worth another try.
    fetcher = make(server, timeout=30, retries=1)  # the first answer comes at once, however loaded the machine
    results = fetcher.download_all(items_for(server, "/wp-content/uploads/2015/03/harbour.jpg"), tmp_path)
    assert {r.status for r in results.values()} == {"downloaded"}
    fetcher.timeout = 0.3
    results = fetcher.download_all(items_for(server, "/too-slow.jpg"), tmp_path / "again")
    result = results[server.url("/too-slow.jpg")]
    assert result.status == "failed" and "(after 2 attempts)" in result.error
    assert server.counts["/too-slow.jpg"] == 3


def test_rerun_with_previous_manifest_makes_no_requests(server: Server, tmp_path: Path) -> None:
    paths = [
        "/wp-content/uploads/2015/03/a.jpg",
        "/wp-content/uploads/2015/03/b.png",
        "/wp-content/uploads/2015/04/c.png",
        "/missing.jpg",
    ]
    items = items_for(server, *paths)
    first = make(server).download_all(items, tmp_path)
    before = dict(server.counts)
    previous = {url: r.as_dict() for url, r in first.items()}

    second = make(server).download_all(items, tmp_path, previous)
    for path in paths[:3]:
        assert second[server.url(path)].status == "skipped-complete"
        assert second[server.url(path)].etag == first[server.url(path)].etag
        assert server.counts[path] == before[path] == 1
    # A failure is tried again.
    assert second[server.url("/missing.jpg")].status == "failed"
    assert server.counts["/missing.jpg"] == 2

    # Records shaped like the manifest's MediaEntry (facts under "extra") work too.
    nested = {
        url: {"url": url, "path": r.path, "status": "downloaded", "extra": {"size": r.size, "etag": r.etag}}
        for url, r in first.items()
    }
    again = make(server).download_all(items[:1], tmp_path, nested)
    assert again[server.url(paths[0])].status == "skipped-complete"
    assert server.counts[paths[0]] == 1

    # A file that no longer matches its record (truncated by hand) is fetched again.
    damaged = tmp_path / first[server.url(paths[1])].path
    damaged.write_bytes(b"\x89PNG")
    third = make(server).download_all(items, tmp_path, previous)
    assert third[server.url(paths[1])].status == "downloaded"
    assert damaged.read_bytes() == png(paths[1])
    assert server.counts[paths[1]] == 2 and server.counts[paths[0]] == 1


def test_each_unique_url_once_and_only_originals(server: Server, tmp_path: Path) -> None:
    up = "/wp-content/uploads/2015/03/"
    variants = [
        server.url(up + name)
        for name in (
            "harbour-300x200.jpg",
            "harbour-1024x683.jpg",
            "harbour-scaled.jpg",
            "harbour.jpg?w=300",
            "harbour-e1426000000-150x150.jpg",
            "harbour.jpg",
        )
    ]
    # Every post that uses the image contributes an item; many duplicates.
    items = [(original_url(u), media_path(original_url(u))) for u in variants * 3]
    results = make(server).download_all(items, tmp_path)
    assert list(results) == [server.url(up + "harbour.jpg")]
    assert results[server.url(up + "harbour.jpg")].path == "media/2015/03/harbour.jpg"
    assert dict(server.counts) == {up + "harbour.jpg": 1}


def test_urls_sharing_an_output_path_share_one_fetch(server: Server, tmp_path: Path) -> None:
    url_a = server.url("/wp-content/uploads/x/one.png")
    url_b = server.url("/wp-content/uploads/x/one.png?ver=2")
    results = make(server).download_all([(url_a, "media/x/one.png"), (url_b, "media/x/one.png")], tmp_path)
    assert {r.status for r in results.values()} == {"downloaded"}
    assert server.counts["/wp-content/uploads/x/one.png"] == 1


def test_per_host_limit(server: Server, tmp_path: Path) -> None:
    paths = [f"/wp-content/uploads/slow-{i}.png" for i in range(6)]
    results = make(server, jobs=6, per_host=2).download_all(items_for(server, *paths), tmp_path)
    assert all(r.status == "downloaded" for r in results.values())
    assert server.max_inflight == 2


def test_loopback_refused_without_allow_private_hosts(server: Server, tmp_path: Path) -> None:
    path = "/wp-content/uploads/2015/03/harbour.jpg"
    downloader = make(server, allow_private_hosts=False)
    results = downloader.download_all(items_for(server, path), tmp_path)
    result = results[server.url(path)]
    assert result.status == "failed" and "non-public address 127.0.0.1" in result.error
    assert server.counts[path] == 0
    # Names resolving to loopback are refused just the same.
    local = f"http://localhost:{server.port}{path}"
    results = Downloader({"localhost"}, retries=0).download_all([(local, "media/h.jpg")], tmp_path)
    assert results[local].status == "failed" and "non-public" in results[local].error
    assert server.counts[path] == 0


def test_check_url_rules() -> None:
    d = Downloader({"10.0.0.1", "example.com", "*.files.wordpress.com"}, retries=0)
    with pytest.raises(UrlRefused, match="non-public address 10.0.0.1"):
        d.check_url("http://10.0.0.1/x.jpg")
    with pytest.raises(UrlRefused, match="scheme"):
        d.check_url("file:///etc/passwd")
    with pytest.raises(UrlRefused, match="host not allowed"):
        d.check_url("https://files.wordpress.com.evil.example/x.jpg")
    with pytest.raises(UrlRefused, match="host not allowed"):
        d.check_url("https://example.com.evil.example/x.jpg")


def test_only_http_urls_and_allowed_hosts(tmp_path: Path) -> None:
    d = Downloader({"example.com"}, retries=0)
    items = [
        ("file:///etc/passwd", "media/passwd"),
        ("https://elsewhere.example/a.jpg", "media/a.jpg"),
        ("https://example.com/x.jpg", "../../escape.jpg"),
    ]
    results = d.download_all(items, tmp_path)
    assert [r.status for r in results.values()] == ["failed"] * 3
    assert not (tmp_path.parent / "escape.jpg").exists()


def test_local_dir_mode_copies_and_reports_missing(tmp_path: Path) -> None:
    uploads = tmp_path / "uploads"
    (uploads / "2015" / "03").mkdir(parents=True)
    (uploads / "2015" / "03" / "harbour.jpg").write_bytes(jpeg("local"))
    out = tmp_path / "out"
    site = "https://unreachable.invalid/wp-content/uploads/2015/03/"
    items = [
        (site + "harbour.jpg", "media/2015/03/harbour.jpg"),
        (site + "gone.jpg", "media/2015/03/gone.jpg"),
        ("https://unreachable.invalid/other/x.jpg", "media/unreachable.invalid/other/x.jpg"),
        ("https://unreachable.invalid/wp-content/uploads/%2e%2e/%2e%2e/secret.jpg", "media/secret.jpg"),
    ]
    (tmp_path / "secret.jpg").write_bytes(b"secret")
    events: list[ProgressEvent] = []
    d = Downloader({"unreachable.invalid"}, local_dir=uploads, progress=events.append)
    results = d.download_all(items, out)
    assert results[site + "harbour.jpg"].status == "copied"
    assert (out / "media/2015/03/harbour.jpg").read_bytes() == jpeg("local")
    assert results[site + "gone.jpg"].status == "failed"
    assert "missing in local copy: 2015/03/gone.jpg" in results[site + "gone.jpg"].error
    assert results["https://unreachable.invalid/other/x.jpg"].status == "failed"
    assert not (out / "media/secret.jpg").exists()
    files = [e for e in events if e.kind == "file"]
    assert events[0] == ProgressEvent("start", amount=4) and len(files) == 4
    assert sum(e.status == "failed" for e in files) == 3


def test_progress_and_rich_display(server: Server, tmp_path: Path) -> None:
    import io

    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=False, width=120)
    with rich_progress(console) as callback:
        make(server, progress=callback).download_all(
            items_for(server, "/wp-content/uploads/p/one.png", "/missing.jpg"), tmp_path
        )
    text = buffer.getvalue()
    assert "2/2" in text and "1 failed" in text


def test_allowed_hosts_helpers() -> None:
    hosts = allowed_hosts_for(["https://www.example.com/", "http://blog.example.org:8080"])
    assert {"www.example.com", "example.com", "blog.example.org", "www.blog.example.org"} <= hosts
    assert host_allowed("demo.files.wordpress.com", hosts)
    assert host_allowed("i0.wp.com", hosts)
    assert not host_allowed("files.wordpress.com", {"*.files.wordpress.com"})
    assert not host_allowed("evilexample.com", hosts)


@pytest.mark.parametrize(
    "address, public",
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.1", False),
        ("172.16.5.4", False),
        ("169.254.169.254", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("100.64.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("::", False),
        ("ff02::1", False),
        ("not-an-ip", False),
    ],
)
def test_address_is_public(address: str, public: bool) -> None:
    assert address_is_public(address) is public


def test_parse_retry_after() -> None:
    now = datetime(2024, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after("3", now) == 3.0
    assert parse_retry_after("86400", now) == 60.0  # capped
    assert parse_retry_after(format_datetime(now + timedelta(seconds=7), usegmt=True), now) == 7.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=7), usegmt=True), now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_content_type_problem() -> None:
    assert content_type_problem("a.jpg", "image/jpeg", jpeg("x")) is None
    assert content_type_problem("a.jpg", "application/octet-stream", jpeg("x")) is None
    assert content_type_problem("a.jpg", "text/html", jpeg("x"))
    assert content_type_problem("a.jpg", "image/jpeg", HTML)
    assert content_type_problem("a.svg", "text/xml", b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None
    assert content_type_problem("a.pdf", "text/plain", b"Not Found")
    assert content_type_problem("notes.txt", "text/plain", b"hello") is None
