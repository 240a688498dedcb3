"""Slow and stalled servers, and stopping a run while it waits for one (issue 18, item 5).

Real servers on 127.0.0.1 that misbehave on purpose: one trickles a byte every few
milliseconds (the read timeout never fires), one accepts and never answers.  Every fetch has a
total deadline (``--max-fetch-time``), a server that does not answer costs one ``--timeout``,
and SIGTERM / Ctrl-C end a run promptly (exit 143 / 130) without leaving a temporary file.

Time on a loaded machine: every deadline under test must fire, and no later than ``BOUND``, a
generous bound far below what the failure it guards against would cost (``LIMIT``: a server
keeps misbehaving that long; a Retry-After of 30 s; a --timeout of ``LIMIT``).  What happens in
between is shown by counts (connections, requests, files), never by a tight window.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT
from migrator.net import Cancelled, FetchError, HttpClient
from migrator.output.media import Downloader
from migrator.pipeline import convert
from migrator.plan.media_paths import media_path
from sources.test_live_helpers import FakeWordPress

JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
#: Seconds a StallServer keeps misbehaving on one connection: what a client that is not stopped waits.
LIMIT = 120.0
#: Seconds within which a deadline must have fired, or a stopped run ended, even on a loaded machine.
BOUND = 20.0


class StallServer:
    """A server that misbehaves in one way (``mode``), one thread per connection:

    * ``silent``: reads the request and never answers;
    * ``trickle``: answers 200 with a large ``Content-Length``, then one body byte every ``interval``;
    * ``trickle-headers``: sends its status line and headers one byte every ``interval``, never ending;
    * ``busy``: answers 503 with ``Retry-After: 30``;
    * ``reuse``: answers the first request of a connection at once (keep-alive), then trickles.

    Each connection is given up after ``limit`` seconds, so a test of a broken client fails rather
    than hangs.  ``held`` lists, per stalled answer, the seconds from its request until the client
    hung up."""

    def __init__(self, mode: str, interval: float = 0.05, limit: float = LIMIT) -> None:
        self.mode, self.interval, self.limit = mode, interval, limit
        self.connections = 0
        self.requests = 0
        self.held: list[float] = []
        self.lock = threading.Lock()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.base = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, path: str) -> str:
        return self.base + path

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        end = time.monotonic() + self.limit
        try:
            data = self._request(conn)
            if self.mode == "reuse":
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n%s"
                    % (len(JPEG_HEAD), JPEG_HEAD)
                )
                data = self._request(conn)
            if data is None:
                return
            if self.mode == "busy":
                conn.sendall(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 30\r\nContent-Length: 4\r\n\r\nbusy")
                self.stopped.wait(self.limit)
                return
            asked = time.monotonic()
            if self.mode in ("trickle", "reuse"):
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 1000000\r\n\r\n" + JPEG_HEAD
                )
            stream = (
                b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100000 if self.mode == "trickle-headers" else b"\0" * 100000
            )
            try:
                for byte in stream:
                    if time.monotonic() > end or self.stopped.is_set():
                        return
                    if self.mode != "silent":
                        conn.sendall(bytes([byte]))
                    if select.select([conn], [], [], self.interval)[0] and not conn.recv(1):
                        break  # the client closed the connection
            except OSError:  # the client reset it
                pass
            with self.lock:
                self.held.append(time.monotonic() - asked)
        except OSError:
            pass
        finally:
            conn.close()

    def _request(self, conn: socket.socket) -> bytes | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                return None
            data += chunk
        with self.lock:
            self.requests += 1
        return data

    def close(self) -> None:
        self.stopped.set()
        self.sock.close()

    def __enter__(self) -> "StallServer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def downloader(**kw) -> Downloader:
    options = dict(jobs=4, timeout=5.0, retries=3, backoff=0.01, max_time=0.6, allow_private_hosts=True)
    options.update(kw)
    return Downloader({"127.0.0.1"}, **options)


def client(**kw) -> HttpClient:
    options = dict(timeout=5.0, retries=3, backoff=0.01, max_time=0.6, allow_private_hosts=True, rate=0)
    options.update(kw)
    return HttpClient({"127.0.0.1"}, **options)


def get_fails(http: HttpClient, url: str, reason: str) -> None:
    """``http.get(url)`` fails with ``reason`` within ``BOUND`` seconds."""
    start = time.monotonic()
    with pytest.raises(FetchError, match=reason):
        http.get(url)
    assert time.monotonic() - start < BOUND


def parts(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith((".part", ".tmp"))]


# --------------------------------------------------------------------------- the deadline


@pytest.mark.parametrize("mode", ["trickle", "trickle-headers"])
def test_a_trickling_download_is_cut_off_at_its_deadline(tmp_path: Path, mode: str) -> None:
    with StallServer(mode) as server:
        urls = [server.url(f"/wp-content/uploads/2020/01/slow-{n}.jpg") for n in range(3)]
        start = time.monotonic()
        results = downloader().download_all([(u, media_path(u)) for u in urls], tmp_path)
        elapsed = time.monotonic() - start
        assert server.requests == 3  # the time is spent: not tried again
        wait_for(lambda: len(server.held) == 3)  # each hung up on by the client
    assert elapsed < BOUND, elapsed  # 0.6 s each, not the LIMIT the server would trickle for
    for url in urls:
        assert results[url].status == "failed"
        assert "0.6 s" in results[url].error and "max-fetch-time" in results[url].error, results[url].error
    assert parts(tmp_path) == []
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


@pytest.mark.parametrize("mode", ["trickle", "trickle-headers"])
def test_a_trickling_answer_is_cut_off_for_the_live_client(mode: str) -> None:
    with StallServer(mode) as server:
        http = client()
        get_fails(http, server.url("/wp-json/wp/v2/posts"), "max-fetch-time")
        assert server.requests == 1
        http.close()


def test_a_reused_connection_is_watched_too() -> None:
    with StallServer("reuse") as server:
        http = client(max_time=BOUND)  # the first answer comes at once, however loaded the machine
        assert http.get(server.url("/first")).body == JPEG_HEAD
        http.max_time = 0.6
        get_fails(http, server.url("/second"), "max-fetch-time")  # the same keep-alive connection
        assert server.connections == 1 and server.requests == 2
        http.close()


def test_a_silent_server_costs_one_timeout_not_one_per_retry(tmp_path: Path) -> None:
    with StallServer("silent") as server:
        url = server.url("/wp-content/uploads/2020/01/never.jpg")
        start = time.monotonic()
        results = downloader(timeout=0.4, max_time=30).download_all([(url, media_path(url))], tmp_path)
        elapsed = time.monotonic() - start
        assert server.connections == 1 and server.requests == 1  # was asked again after each timeout
    assert results[url].status == "failed" and "0.4 s" in results[url].error
    assert elapsed < BOUND, elapsed  # (retries + 1) x timeout + backoff was 158 s with the defaults of the time


def test_a_silent_server_costs_the_live_client_one_timeout() -> None:
    with StallServer("silent") as server:
        http = client(timeout=0.4, max_time=30)
        get_fails(http, server.url("/"), "0.4 s without an answer")
        assert server.connections == 1 and server.requests == 1
        http.close()


def test_waits_between_attempts_stay_within_the_deadline(tmp_path: Path) -> None:
    with StallServer("busy") as server:
        url = server.url("/wp-content/uploads/2020/01/busy.jpg")
        start = time.monotonic()
        results = downloader(max_time=1.0).download_all([(url, media_path(url))], tmp_path)
        assert time.monotonic() - start < BOUND  # Retry-After: 30 is not waited out past the deadline
        assert server.requests == 1
    assert results[url].status == "failed" and "HTTP 503" in results[url].error


def test_cancel_ends_every_download_in_flight(tmp_path: Path) -> None:
    with StallServer("trickle") as server:
        urls = [server.url(f"/wp-content/uploads/2020/01/c{n}.jpg") for n in range(6)]
        fetcher = downloader(max_time=60, jobs=3, per_host=3)
        raised: list[BaseException] = []

        def download() -> None:
            try:
                fetcher.download_all([(u, media_path(u)) for u in urls], tmp_path)
            except Cancelled as exc:
                raised.append(exc)

        worker = threading.Thread(target=download)
        worker.start()
        wait_for(lambda: len(parts(tmp_path)) == 3)
        start = time.monotonic()
        fetcher.cancel()  # from another thread, as a program embedding migrator would
        worker.join(BOUND)
        assert not worker.is_alive() and time.monotonic() - start < BOUND  # not max_time (60 s)
        assert server.requests == 3  # the queued files were never asked for
        wait_for(lambda: len(server.held) == 3)  # each hung up on
    assert len(raised) == 1
    assert parts(tmp_path) == []


def test_convert_reports_the_cut_off_download(tmp_path: Path) -> None:
    with StallServer("trickle") as server:
        export = export_with_images(server.base, tmp_path, 1)
        start = time.monotonic()
        report = convert(
            [export], tmp_path / "out", media="download", allow_private_hosts=True, http_max_time=0.5, jobs=1
        )
        assert time.monotonic() - start < BOUND
    failed = [p for p in report.problems if p.code == "media-download-failed"]
    assert len(failed) == 1 and "max-fetch-time" in failed[0].message
    assert parts(tmp_path / "out") == []


# --------------------------------------------------------------------------- stopping a run


def wait_for(condition, seconds: float = 300.0, proc: subprocess.Popen | None = None) -> None:
    """Poll ``condition`` (a process that ends first fails the test; ``seconds`` only catch a hang)."""
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, proc.communicate(timeout=5) if proc is not None else "timed out"
        assert proc is None or proc.poll() is None, proc.communicate()
        time.sleep(0.05)


def export_with_images(base: str, tmp: Path, n: int) -> Path:
    images = "".join(f'<img src="{base}/wp-content/uploads/2020/01/photo-{i}.jpg" />' for i in range(n))
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Stalls</title><link>{base}</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>{base}</wp:base_site_url><wp:base_blog_url>{base}</wp:base_blog_url>
<item><title>Photos</title><link>{base}/photos/</link><dc:creator>admin</dc:creator>
<content:encoded><![CDATA[<p>Photos {images}</p>]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date>2020-01-01 00:00:00</wp:post_date><wp:post_name>photos</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>
"""
    path = tmp / "export.xml"
    path.write_text(text, encoding="utf-8")
    return path


def stop(proc: subprocess.Popen, sig: int) -> tuple[float, bytes]:
    """Send ``sig`` (Ctrl-C reaches the whole group); seconds until the process ended, its stderr."""
    start = time.monotonic()
    os.killpg(proc.pid, sig) if sig == signal.SIGINT else proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=LIMIT)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    return time.monotonic() - start, err


def start_cli(tmp_path: Path, *args: str) -> tuple[subprocess.Popen, Path]:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = dict(os.environ, TMPDIR=str(scratch), PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "migrator", "convert", *args, "-q", "--jobs", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    return proc, scratch


@pytest.mark.parametrize(
    "mode, sig, code, media_jobs",
    [
        ("silent", signal.SIGTERM, 143, "4"),
        ("trickle", signal.SIGTERM, 143, "4"),
        ("trickle", signal.SIGINT, 130, "4"),
        ("trickle", signal.SIGTERM, 143, "1"),
    ],
)
@pytest.mark.usefixtures("ctrl_c_reaches_children")
def test_a_run_stalled_on_media_stops_at_once(tmp_path: Path, mode: str, sig: int, code: int, media_jobs: str) -> None:
    with StallServer(mode) as server:
        export = export_with_images(server.base, tmp_path, 6)
        out = tmp_path / "out"
        proc, scratch = start_cli(
            tmp_path,
            str(export),
            "-o",
            str(out),
            "--media",
            "download",
            "--allow-private-hosts",
            "--media-jobs",
            media_jobs,
            "--timeout",
            str(LIMIT),
        )
        if mode == "trickle":  # the downloads' temporary files are there
            wait_for(lambda: len(parts(out)) == min(int(media_jobs), 2), proc=proc)  # 2 per host
        else:
            wait_for(lambda: server.requests >= 2, proc=proc)
        seconds, err = stop(proc, sig)
    assert proc.returncode == code, err
    assert seconds < BOUND, seconds  # not the LIMIT of a stalled download
    assert b"Traceback" not in err
    assert parts(out) == []
    assert list(scratch.iterdir()) == []  # the index folder is gone


def test_a_live_read_stalled_on_a_page_stops_at_once(tmp_path: Path) -> None:
    pages = ("/wp-json/wp/v2/posts?per_page=100&page=2", "/wp-json/wp/v2/posts?per_page=100&page=3")
    with FakeWordPress(posts=250, slow_always=pages, stall=LIMIT) as wp:
        proc, scratch = start_cli(
            tmp_path,
            wp.base,
            "-o",
            str(tmp_path / "out"),
            "--allow-private-hosts",
            "--rate",
            "1000",
            "--timeout",
            str(LIMIT),
        )
        wait_for(lambda: wp.count("page=2") and wp.count("page=3"), proc=proc)  # both asked at once
        seconds, err = stop(proc, signal.SIGTERM)
    assert proc.returncode == 143, err
    assert seconds < BOUND, seconds  # not the LIMIT of a stalled page
    assert b"Traceback" not in err
    assert list(scratch.iterdir()) == []  # the index and the temporary HTTP cache are gone


def test_cli_max_fetch_time(tmp_path: Path) -> None:
    from conftest import run_cli

    with StallServer("trickle") as server:
        export = export_with_images(server.base, tmp_path, 1)
        refused = run_cli("convert", str(export), "-o", str(tmp_path / "no"), "--max-fetch-time", "0")
        assert (
            refused.returncode == 2
            and "--max-fetch-time" in refused.stderr
            and "must be more than 0 seconds" in refused.stderr
        )
        result = run_cli(
            "convert",
            str(export),
            "-o",
            str(tmp_path / "out"),
            "--media",
            "download",
            "--allow-private-hosts",
            "--max-fetch-time",
            "0.5",
        )
        wait_for(lambda: len(server.held) == 1)
        assert server.held[0] < BOUND, server.held  # hung up on at the deadline, not trickled to for LIMIT s
    assert result.returncode == 0, result.stderr  # a failed download is a warning; the image stays linked
    media = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))["media_files"]
    assert [m["error"] for m in media] == ["took longer than 0.5 s (--max-fetch-time)"]
    assert parts(tmp_path / "out") == []
