"""The built new site, read as a browser would: a folder served like a static host, or an address.

Both answer ``get(path, query)`` for a site path (decoded, starting with ``/``, on the site's
origin) with an :class:`Answer`: the status, the content type, the body and, for a redirect,
its ``Location``.  A folder behaves like a static file server (GitHub Pages, Netlify, nginx with
``try_files``): ``/a/`` serves ``a/index.html``, ``/a`` a file ``a``, else redirects to ``/a/``
when ``a/`` is a folder, else serves ``a.html``; the query is ignored.  An address is asked
through the live reader's HTTP client (rate limit, retries, loopback refusal unless
``allow_private_hosts``); redirects are not followed by the client but hop by hop here, so a
redirect to the production address is read on the new site instead of leaving it.

A page whose only job is to send the browser elsewhere (the alias pages Hugo writes for
``aliases``, jekyll-redirect-from's pages: ``<meta http-equiv="refresh" content="0; url=...">``)
is recognised by :func:`refresh_target`.
"""

from __future__ import annotations

import mimetypes
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from ..net.client import FetchError, HttpClient

INDEX_FILES = ("index.html", "index.htm")
HTML_TYPES = ("text/html", "application/xhtml+xml")
_SAFE = "/%:@!$&'()*+,;=-._~"


@dataclass
class Answer:
    status: int
    content_type: str = ""
    body: bytes = b""
    location: str = ""
    error: str = ""  # no answer at all (address unreachable): why

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def html(self) -> bool:
        return self.content_type in HTML_TYPES or (not self.content_type and self.body.lstrip()[:1] == b"<")

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class FolderSite:
    """A built site folder (``public/``, ``_site/``...) served as a static host would."""

    def __init__(self, root: Path, base_path: str = "/"):
        self.root = root.resolve()
        self.base_path = base_path if base_path.endswith("/") else base_path + "/"
        self.label = str(root)

    def __str__(self) -> str:
        return self.label

    def file_for(self, path: str) -> Path | None:
        """The file a request for ``path`` serves (None: not found; a folder: a redirect)."""
        if not path.startswith(self.base_path) and path + "/" != self.base_path:
            return None
        rel = path[len(self.base_path) :] if path.startswith(self.base_path) else ""
        parts = [p for p in rel.split("/") if p]
        if any(p in (".", "..") or "\x00" in p for p in parts):
            return None
        target = self.root.joinpath(*parts) if parts else self.root
        try:
            real = target.resolve()
        except (OSError, RuntimeError):
            return None
        if real != self.root and self.root not in real.parents:
            return None  # a symlink out of the site
        if real.is_dir():
            if rel and not rel.endswith("/"):
                return real  # the caller redirects to path + "/"
            return next((real / name for name in INDEX_FILES if (real / name).is_file()), None)
        if real.is_file():
            return real
        if parts and not rel.endswith("/"):
            alt = real.with_name(real.name + ".html")
            if alt.is_file():
                return alt
        return None

    def exists(self, path: str) -> bool:
        found = self.file_for(path)
        return found is not None and found.is_file()

    def get(self, path: str, query: str = "") -> Answer:
        found = self.file_for(path)
        if found is None:
            return Answer(404)
        if found.is_dir():
            return Answer(301, location=path + "/" + ("?" + query if query else ""))
        try:
            body = found.read_bytes()
        except OSError as exc:
            return Answer(403, error=str(exc))
        kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        return Answer(200, kind, body)

    def close(self) -> None:
        pass


class AddressSite:
    """A new site being served at ``address`` (its base URL), asked over HTTP."""

    def __init__(self, address: str, client: HttpClient, base_path: str = "/"):
        parts = urlsplit(address)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.prefix = (parts.path or "/").rstrip("/")  # where the site's base path is served
        self.base_path = base_path if base_path.endswith("/") else base_path + "/"
        self.client = client
        self.label = address
        self._exists: dict[str, bool] = {}

    def __str__(self) -> str:
        return self.label

    def url_for(self, path: str, query: str = "") -> str | None:
        if not path.startswith(self.base_path) and path + "/" != self.base_path:
            return None
        rel = path[len(self.base_path) :] if path.startswith(self.base_path) else ""
        return self.origin + self.prefix + "/" + quote(rel, safe=_SAFE) + ("?" + query if query else "")

    def get(self, path: str, query: str = "") -> Answer:
        url = self.url_for(path, query)
        if url is None:
            return Answer(404)
        try:
            response = self.client.get(url)
        except FetchError as exc:
            return Answer(0, error=exc.reason)
        location = response.headers.get("location", "")
        if location:
            location = self._site_location(url, location)
        return Answer(response.status, response.content_type, response.body, location)

    def _site_location(self, url: str, location: str) -> str:
        """A ``Location`` on this address as a site path (other addresses are kept as they are)."""
        absolute = urljoin(url, location)
        parts = urlsplit(absolute)
        if f"{parts.scheme}://{parts.netloc}" != self.origin or not parts.path.startswith(self.prefix + "/"):
            return absolute
        rel = parts.path[len(self.prefix) + 1 :]
        return self.base_path + unquote(rel) + ("?" + parts.query if parts.query else "")

    def exists(self, path: str) -> bool:
        if path not in self._exists:
            self._exists[path] = self.get(path).ok
        return self._exists[path]

    def close(self) -> None:
        self.client.close()


def refresh_target(answer: Answer) -> str | None:
    """Where an alias page sends the browser (``<meta http-equiv=refresh>`` with a URL), or None
    for an ordinary page."""
    if not answer.ok or not answer.html or len(answer.body) > 64 * 1024:
        return None
    head = answer.body[:8192]
    if b"refresh" not in head.lower():
        return None
    try:
        root = lxml_html.document_fromstring(answer.text())
    except (etree.ParserError, ValueError):
        return None
    for meta in root.iter("meta"):
        if (meta.get("http-equiv") or "").strip().lower() != "refresh":
            continue
        m = re.match(r"\s*\d+(?:\.\d+)?\s*[;,]\s*(?:url\s*=\s*)?['\"]?([^'\"]+)", meta.get("content") or "", re.I)
        if m and m.group(1).strip():
            return m.group(1).strip()
    return None


def open_site(new: str, client_factory=None, base_path: str = "/") -> FolderSite | AddressSite:
    """A folder or an address (``client_factory(address)`` makes the HTTP client)."""
    if new.lower().startswith(("http://", "https://")):
        return AddressSite(new, client_factory(new), base_path)
    return FolderSite(Path(os.path.expanduser(new)), base_path)
