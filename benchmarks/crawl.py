"""The crawl path against a real WordPress whose REST API is switched off.

    python benchmarks/crawl.py [--site http://127.0.0.1:8088/] [--out DIR]

A small reverse proxy on another 127.0.0.1 port stands in front of the site: it forwards every
request, rewrites the site's address to its own in headers and bodies, and answers 403 for
``/wp-json/`` and ``?rest_route=`` -- what a site with its REST API disabled (a must-use plugin,
a security plugin) answers.  ``migrator convert`` then has to crawl the HTML.  The script
reports the documents written against the published posts and pages the site holds (counted
through the real REST API behind the proxy): one document each, none for listings, paginated
posts in one piece.  Nothing is installed into the WordPress and nothing in it changes.
"""

from __future__ import annotations

import argparse
import http.client
import http.server
import json
import re
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "content-length",
    "content-encoding",
}


class NoRestProxy:
    """A reverse proxy to ``upstream`` (``host:port``) on a free 127.0.0.1 port, REST API refused."""

    def __init__(self, upstream: str):
        self.upstream = upstream
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                proxy.handle(self)

            do_HEAD = do_GET

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        self.url = f"http://{self.address}/"
        self.requests = 0
        self.refused = 0
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "NoRestProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _rewrite(self, data: bytes) -> bytes:
        for old, new in (
            (self.upstream, self.address),
            (self.upstream.replace(":", "\\u003a"), self.address.replace(":", "\\u003a")),
            ("\\/\\/" + self.upstream, "\\/\\/" + self.address),
        ):
            data = data.replace(old.encode(), new.encode())
        return data

    def handle(self, req: http.server.BaseHTTPRequestHandler) -> None:
        self.requests += 1
        parts = urlsplit(req.path)
        if parts.path.startswith("/wp-json") or re.search(r"(^|&)rest_route=", parts.query):
            self.refused += 1
            body = b'{"code":"rest_disabled","message":"The REST API is switched off on this site."}'
            req.send_response(403)
            req.send_header("Content-Type", "application/json")
            req.send_header("Content-Length", str(len(body)))
            req.end_headers()
            if req.command != "HEAD":
                req.wfile.write(body)
            return
        host, _, port = self.upstream.partition(":")
        conn = http.client.HTTPConnection(host, int(port or 80), timeout=120)
        headers = {k: v for k, v in req.headers.items() if k.lower() not in _HOP and k.lower() != "host"}
        headers["Host"] = self.upstream
        headers["Accept-Encoding"] = "identity"
        try:
            conn.request(req.command, req.path, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        except OSError as exc:
            req.send_error(502, str(exc))
            return
        finally:
            conn.close()
        data = self._rewrite(data)
        req.send_response(resp.status)
        for key, value in resp.getheaders():
            if key.lower() in _HOP:
                continue
            req.send_header(key, value.replace(self.upstream, self.address))
        req.send_header("Content-Length", str(len(data)))
        req.end_headers()
        if req.command != "HEAD":
            req.wfile.write(data)


def site_up(site: str) -> bool:
    parts = urlsplit(site)
    try:
        conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=5)
        conn.request("HEAD", "/")
        ok = conn.getresponse().status < 500
        conn.close()
        return ok
    except OSError:
        return False


def published(site: str) -> dict[str, int]:
    """Published posts and pages, counted by the real REST API (``X-WP-Total``)."""
    parts = urlsplit(site)
    counts = {}
    for kind in ("posts", "pages"):
        conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=60)
        conn.request("GET", f"/wp-json/wp/v2/{kind}?per_page=1&status=publish")
        resp = conn.getresponse()
        resp.read()
        counts[kind] = int(resp.getheader("X-WP-Total") or 0)
        conn.close()
    return counts


def crawl(site: str, out: Path, jobs: int = 4) -> dict:
    """Convert ``site`` through the no-REST proxy; the report as a dict."""
    from migrator import pipeline
    from migrator.options import Options

    upstream = urlsplit(site).netloc
    with NoRestProxy(upstream) as proxy:
        start = time.perf_counter()
        report = pipeline.convert(
            [proxy.url], str(out), Options(allow_private_hosts=True, force=True, quiet=True, jobs=1, media_jobs=jobs)
        )
        seconds = time.perf_counter() - start
        requests, refused = proxy.requests, proxy.refused
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    docs = manifest.get("documents", [])
    links = [d.get("source_url") or "" for d in docs]
    return {
        "seconds": round(seconds, 1),
        "requests": requests,
        "refused": refused,
        "documents": len(docs),
        "untitled": sum(1 for d in docs if not d.get("title")),
        "duplicate_links": len(links) - len(set(links)),
        "posts": sum(1 for d in docs if d.get("type", "post") == "post"),
        "pages": sum(1 for d in docs if d.get("type") == "page"),
        "codes": sorted({p.code for p in report.problems}),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default="http://127.0.0.1:8088/")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    if not site_up(args.site):
        print(f"{args.site} is not running", file=sys.stderr)
        return 2
    want = published(args.site)
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "out"
        result = crawl(args.site, out)
    result["published"] = want
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
