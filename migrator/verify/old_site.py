"""The old side: every published item of what was converted, with each URL it answered at.

OLD is read by the same readers ``convert`` uses (:func:`migrator.sources.read_inputs`): an
export, several, a saved site folder or the address of the live WordPress (REST API, politely).
An item is verified when the old site served it publicly: a published post, page or content
type (a password-protected one too: its address answered), or an attachment of one (or of
none).  Its old URL forms, as WordPress answers them:

* ``permalink``: the item's link (not the home page itself, never a feed);
* ``?p=N`` (posts and other types), ``?page_id=N`` (pages), ``?attachment_id=N``
  (attachments), under the blog's home path, for WordPress ids;
* ``guid``: the guid when it is an address of the site that is not a media file;
* ``file``: an attachment's upload URL (``/wp-content/uploads/...``) on the site's own host.

Addresses count as the site's when their host is one of the site's (``base_site_url``,
``base_blog_url``, the channel link, every ``--old-url``), ignoring ``www.`` and the scheme.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from ..model import Document, Problem, Site
from ..options import Options
from ..policy import classify
from ..sources import expand, read_inputs, source_input
from ..media_urls import is_media_url
from ..plan.site_urls import decode_path, netloc_key
from ..urls import urlsplit
from .content import source_words

QUERY_NAMES = {"page": "page_id", "attachment": "attachment_id"}
ID_PARAMETERS = frozenset({"p", "page_id", "attachment_id"})
_FEED = ("/feed", "/feed/", "/rss", "/rss2", "/atom", "/rdf")


@dataclass(frozen=True)
class OldUrl:
    form: str  # permalink, guid, p, page_id, attachment_id, file
    path: str  # decoded site path
    query: str = ""

    def __str__(self) -> str:
        return self.path + ("?" + self.query if self.query else "")


@dataclass
class OldItem:
    id: str
    type: str
    title: str
    status: str
    urls: list[OldUrl] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # title and content, as words
    rendered: bool = False  # the content is HTML as WordPress served it (not stored post_content)
    parent: str = "0"
    file: str = ""  # an attachment's file URL
    excluded: str = ""  # why it is not verified ("" when it is)
    source: str = ""


class OldSite:
    """Reads OLD once; ``items()`` yields every item; ``site`` fills in as it is read."""

    def __init__(self, inputs: list[str], options: Options, progress: Callable[[int, int | None], None] | None = None):
        self.options = options
        self.inputs = inputs
        self.site = Site()
        self.problems: list[Problem] = []
        self.paths = expand([source_input(p, options, progress) for p in inputs])

    def hosts(self) -> set[str]:
        """The site's own hosts (``www.``-less, with a non-default port)."""
        keys = set()
        for url in [*self.site.urls, *self.options.old_urls]:
            parts = urlsplit(url.strip())
            if parts.hostname:
                keys.add(netloc_key(parts.hostname, parts.port))
        return keys

    def items(self) -> Iterator[OldItem]:
        """Every item, in input order (raises sources.InputError when an input is unreadable)."""
        public = Options(include_private=True)
        for doc in read_inputs(self.paths, self.site, self.problems, self.options.source_format):
            disposition, reason = classify(doc, public)
            item = OldItem(doc.id, doc.type, doc.title, doc.status, parent=doc.parent, source=doc.source)
            if disposition == "media":
                item.file = doc.attachment_url or doc.guid
            elif disposition != "document" or doc.status != "publish":
                item.excluded = reason or f"status-{doc.status}"
                yield item
                continue
            else:
                item.words = source_words(doc)
                item.rendered = doc.content_kind == "rendered"
            item.urls = self.url_forms(doc)
            yield item

    def url_forms(self, doc: Document) -> list[OldUrl]:
        hosts = self.hosts()
        home = self.home_path()
        found: list[OldUrl] = []

        def own(url: str) -> tuple[str, str] | None:
            """The site path and query of one of the site's addresses; None for other hosts, and
            for ``?p=N`` forms naming another id (a guid kept from the site the item came from)."""
            parts = urlsplit(url.strip())
            if not parts.hostname or netloc_key(parts.hostname, parts.port) not in hosts:
                return None
            ids = {v for k, v in parse_qsl(parts.query) if k in ID_PARAMETERS}
            if ids and ids != {doc.id}:
                return None
            return decode_path(parts.path or "/"), parts.query

        link = own(doc.link) if doc.link and not is_media_url(doc.link) else None
        if link and not (link[0].rstrip("/") + "/" == home and not link[1]) and not _is_feed(link[0]):
            found.append(OldUrl("permalink", *link))
        if doc.id.isdigit() and (doc.content_kind == "stored" or doc.extra.get("wordpress_id")):
            name = QUERY_NAMES.get(doc.type, "p")
            found.append(OldUrl(name, home, f"{name}={doc.id}"))
        guid = own(doc.guid) if doc.guid and not is_media_url(doc.guid) else None
        if guid and not (guid[0].rstrip("/") + "/" == home and not guid[1]) and not _is_feed(guid[0]):
            found.append(OldUrl("guid", *guid))
        if doc.type == "attachment":
            upload = own(doc.attachment_url or doc.guid)
            if upload and is_media_url(doc.attachment_url or doc.guid):
                found.append(OldUrl("file", *upload))
        unique: list[OldUrl] = []
        for url in found:
            if all((u.path.rstrip("/"), u.query) != (url.path.rstrip("/"), url.query) for u in unique):
                unique.append(url)
        return unique

    def home_path(self) -> str:
        base = self.site.base_blog_url or self.site.link or self.site.base_site_url
        path = urlsplit(base).path if base else ""
        return path.rstrip("/") + "/"

    def close(self) -> None:
        for path in self.paths:
            close = getattr(path, "close", None)
            if close is not None:
                close()


def _is_feed(path: str) -> bool:
    return path.rstrip("/").lower().endswith(tuple(f.rstrip("/") for f in _FEED))
