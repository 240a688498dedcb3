"""``LiveSite(url, options)``: one URL input.  It reads the home page, reads the site through its
REST API when one is found and usable (:mod:`.rest`), else crawls it (:mod:`.crawl`).

All HTTP goes through one :class:`~migrator.net.client.HttpClient` kept for the life of the
object, so the pipeline's second pass is served from the cache and sees exactly what the
first pass saw (same documents, same order).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from urllib.parse import urlsplit

from ...model import Document, Problem, Site
from ...net import FetchError, HttpClient, allowed_hosts_for
from ...options import Options
from ..progress import step
from .api import FetchProgress, discover
from .crawl import Crawler
from .rest import RestReader


class SiteUnreachable(Exception):
    """The site cannot be read at all (raised before any document is yielded)."""

    def __init__(self, url: str, message: str):
        super().__init__(f"{url}: {message}")
        self.url = url
        self.message = message


def is_url(value: object) -> bool:
    """Whether an input is an http(s) URL rather than a file path."""
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://"))


class LiveSite:
    """One URL input.  ``read`` may be called several times; the network is used once."""

    def __init__(
        self, url: str, options: Options | None = None, progress: FetchProgress | None = None, forced: str | None = None
    ):
        self.url = url.strip()
        if not urlsplit(self.url).path:
            self.url += "/"
        self.options = options or Options()
        self.progress = progress
        self.forced = forced
        self._client: HttpClient | None = None
        self._reads = 0
        self._tmp: str | None = None

    def __str__(self) -> str:
        return self.url

    @property
    def client(self) -> HttpClient:
        if self._client is None:
            cache = self.options.http_cache
            if not cache:
                self._tmp = tempfile.mkdtemp(prefix="migrator-http-")
                atexit.register(shutil.rmtree, self._tmp, True)
                cache = self._tmp
            self._client = HttpClient(
                allowed_hosts_for([self.url], wpcom=False),
                allow_private_hosts=self.options.allow_private_hosts,
                rate=self.options.rate,
                timeout=self.options.http_timeout,
                max_time=self.options.http_max_time,
                retries=self.options.http_retries,
                cache_dir=cache,
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    # ------------------------------------------------------------------ entry point

    def read(self, site: Site, problems: list[Problem]) -> Iterator[Document]:
        """Yield every document of the site; raises SiteUnreachable before yielding anything."""
        first = self._reads == 0
        self._reads += 1
        report = self.progress if first else None
        step("reading the home page")
        try:
            home = self.client.get(self.url)
        except FetchError as exc:
            raise SiteUnreachable(self.url, f"cannot reach the site: {exc.reason}") from None
        if home.final_url != self.url:
            self.client.allow_host(home.final_url)
        if not site.link:
            site.link = home.final_url
        if home.status >= 400:
            problems.append(
                Problem("warning", "live-http-error", f"home page answered HTTP {home.status}", source=self.url)
            )
        if self.forced != "html":
            step("looking for the REST API")
        root_url, root = ("", None) if self.forced == "html" else discover(self.client, home)
        if root is not None:
            reader = RestReader(self.client, self.options, root_url, root, site, problems, report)
            if reader.usable():
                yield from reader.documents()
                return
        elif self.forced != "html":
            problems.append(
                Problem(
                    "info", "live-no-api", "no WordPress REST API found; crawling the site instead", source=self.url
                )
            )
        yield from Crawler(self.client, home, site, problems, report).documents()
