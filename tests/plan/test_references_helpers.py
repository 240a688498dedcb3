"""Helpers shared by the references tests (not a test module itself: no tests here)."""

from __future__ import annotations

import collections
import hashlib
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "fixtures" / "sample-export.xml"
SITE = re.compile(r"https?://(?:www\.)?harbour\.example\.com")


def tokens_of(markdown: str):
    """Every inline child token of a Markdown text (links and images included)."""
    md = MarkdownIt("commonmark").enable("table")
    for token in md.parse(markdown):
        if token.children:
            yield from token.children


def front_and_body(text: str) -> tuple[str, str]:
    assert text.startswith("---\n")
    end = text.index("\n---\n", 3)
    return text[4 : end + 1], text[end + 5 :]


def references(path: Path) -> list[tuple[str, str, str]]:
    """(kind, url, text) for every link and image of a produced file (front matter too)."""
    import yaml

    fm_text, body = front_and_body(path.read_text(encoding="utf-8"))
    found: list[tuple[str, str, str]] = []
    fm = yaml.safe_load(fm_text) or {}
    if fm.get("featured_image"):
        found.append(("featured", fm["featured_image"], ""))
    current: list[str] | None = None
    href = ""
    for token in tokens_of(body):
        if token.type == "link_open":
            href, current = token.attrGet("href") or "", []
        elif token.type == "link_close":
            found.append(("link", href, "".join(current or [])))
            current = None
        elif token.type == "image":
            found.append(("image", token.attrGet("src") or "", token.content))
            if current is not None:
                current.append(token.content)
        elif current is not None and token.type in ("text", "code_inline"):
            current.append(token.content)
    return found


def is_relative(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith(("#", "/")) and bool(parts.path)


def resolve(doc: Path, url: str) -> Path:
    """The file a relative reference of ``doc`` points at (fragment dropped, decoded)."""
    return (doc.parent / unquote(urlsplit(url).path)).resolve()


def outputs(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.md"))


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def path_of(out: Path, item_id: str) -> Path:
    for doc in manifest(out)["documents"]:
        if doc["id"] == item_id:
            return out / doc["path"]
    raise AssertionError(f"document {item_id} not written")


def image_bytes(seed: str, ext: str) -> tuple[bytes, str]:
    body = hashlib.sha256(seed.encode()).digest() * 20
    if ext == "pdf":
        return b"%PDF-1.4\n" + body + b"\n%%EOF\n", "application/pdf"
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + body + b"\xff\xd9", "image/jpeg"


class MediaServer:
    """Serves every ``/wp-content/uploads/...`` path except ``missing``; counts GETs per path."""

    def __init__(self, missing: set[str] | None = None) -> None:
        self.counts: collections.Counter[str] = collections.Counter()
        self.missing = missing or set()
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                path = unquote(self.path.split("?", 1)[0])
                with server.lock:
                    server.counts[path] += 1
                if path.startswith("/wp-content/uploads/") and path not in server.missing:
                    body, ctype = image_bytes(path, path.rsplit(".", 1)[-1])
                    status = 200
                else:
                    body, ctype, status = b"<!DOCTYPE html><title>Not found</title>", "text/html", 404
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", '"' + hashlib.md5(body).hexdigest() + '"')
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> "MediaServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def gets(self) -> int:
        with self.lock:
            return sum(self.counts.values())


def export_for(base: str, tmp: Path, extra_links: str = "") -> Path:
    """A copy of the sample export whose site URLs point at ``base``."""
    text = SAMPLE.read_text(encoding="utf-8")
    if extra_links:
        marker = "</ul>\nThat is all of them."
        assert marker in text
        text = text.replace(marker, extra_links + marker)
    text = SITE.sub(base, text)
    path = tmp / "export.xml"
    path.write_text(text, encoding="utf-8")
    return path
