"""The link and media plan: internal links, images and media files, old URLs.

One :class:`References` object lives for a whole run.  It resolves every URL found in a
document against the pass-1 index (permalinks, guids, ``?p=N``, ``?page_id=N``,
``?attachment_id=N``, attachment pages, slugs) and records which media each document uses, so
the media phase (after all documents are written) can download each file once and fix the
references whose download failed.

Rules:

* Links to documents become relative paths from the linking file to the target file
  (``../pages/about.md``), or with ``link_style="absolute"`` site-absolute URLs that mirror
  the output layout: ``posts/slug.md`` and ``posts/slug/index.md`` -> ``<base_url>posts/slug/``.
  Fragments are kept.
* Archives (category, tag, author, date, feed, search, home, custom taxonomies) stay
  absolute URLs on the old site.  Links to items that are not in the export, or are not
  converted (drafts, private, trash) stay absolute and are reported as
  ``dangling-internal-link``.
* An http(s) address without a host (``https:///about/``, ``https://#``) is read as the
  site-relative URL it can only mean (``/about/``), else kept as text (``link-without-host``).
* Media (``img src``/``srcset``, ``<a href>`` to a media file, ``audio``/``video``/``source``
  ``src``, ``video poster``, featured images) are normalised to the original upload
  (:func:`~migrator.media_urls.original_url`).  ``media="link"`` keeps them
  absolute; ``download`` and ``bundle`` point them at local files.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Iterator
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Protocol, cast
from urllib.parse import parse_qsl


from ..bounded import MISSING, Bounded
from ..htmltree import Element, classes, replace_with_text, unwrap
from ..media_urls import is_media_url as _is_media_url
from ..media_urls import largest_srcset
from ..media_urls import original_url as _original_url
from ..model import Document, Severity
from ..net import allowed_hosts_for, host_allowed
from ..options import Options
from ..urls import PLAIN_ABSOLUTE, hostless_meaning, hostname, urljoin, urlsplit  # never raise on malformed URLs
from .index import Entry, SiteIndex
from .index import path_key as _path_key
from .media_paths import media_path
from .site_urls import decode_path, document_url, file_url, netloc_of, relative_path
from .store import TextMap

# Pure functions of one URL, called several times per link: cached (bounded) per process.
is_media_url = lru_cache(maxsize=4096)(_is_media_url)
original_url = lru_cache(maxsize=4096)(_original_url)

#: First path segments of WordPress archives and endpoints that are never documents.
ARCHIVE_BASES = frozenset(
    "category tag author feed page search comments type wp-admin wp-login.php wp-json "
    "wp-content wp-includes xmlrpc.php".split()
)
_QUERY_IDS = ("p", "page_id", "attachment_id", "preview_id")
path_key = lru_cache(maxsize=4096)(_path_key)


class Context(Protocol):
    """What :meth:`References.rewrite` needs of the transforms' per-document context."""

    doc: Document

    def report(self, code: str, message: str, severity: Severity | None = None) -> None: ...


#: Absolute URLs whose :class:`Target` a run remembers (first in, first out).
CLASSIFIED = 4096


@dataclass
class Target:
    """What a URL points at."""

    kind: str  # document, media, archive, dangling, external, untouched, hostless (cannot work)
    url: str  # absolute URL (or the href unchanged for external/untouched)
    entry: Entry | None = None
    fragment: str = ""


@dataclass
class MediaUse:
    """The references of one media URL: which documents wrote what."""

    url: str
    attachment_id: str | None = None
    written: dict[str, str] = field(default_factory=dict)  # document path -> string written


class References:
    """Resolver and media registry for one run (small records only)."""

    def __init__(self, index: SiteIndex, options: Options):
        self.index = index
        # options not resolved by the pipeline (media ""): plain Markdown's default, linking
        self.options = options if options.media else dataclasses.replace(options, media="link")
        self.base_url = options.base_url or "/"
        site_urls = [u for u in [*index.site.urls, *options.old_urls] if u]
        self.hosts = {k for k in map(netloc_of, site_urls) if k}
        self.primary = (index.site.urls[0] if index.site.urls else "").rstrip("/") + "/"
        self.home_keys = {""} | {path_key(urlsplit(u).path) for u in site_urls}
        self.home_keys |= {k + "/index.php" for k in list(self.home_keys)}
        self.allowed_hosts = allowed_hosts_for(site_urls) | set(options.media_hosts)
        self.taxonomies = {t.taxonomy for t in index.site.terms if t.taxonomy}
        #: media URLs documents used (in first-use order); attachments' URLs are in the index
        self.media: dict[str, MediaUse] = {}
        self._canonical: dict[str, str] = {}  # media key -> canonical URL (not an attachment's)
        #: worker processes record here what each document changes in the two maps above
        #: (``migrator/parallel.py`` undoes and replays it); None: not recording
        self.journal: list[tuple] | None = None
        self._classified: Bounded[str, Target] = Bounded(CLASSIFIED)  # absolute URL -> what it points at
        # Attachments fix the canonical URL of their media (the first one with a key wins).
        self._attachment_keys = TextMap(index.db, "media-key")  # media key -> attachment URL
        self._attachment_urls = TextMap(index.db, "media-url")  # attachment URL -> attachment id
        if index.db.frozen:
            return  # filled by the run's References before pass 2
        with index.db.transaction():
            for att in index.attachments.values():
                url = original_url(att.url)
                key = self.media_key(url)
                if key and self._attachment_keys.setdefault(key, url) == url:
                    self._attachment_urls.setdefault(url, att.id)

    def known_canonical(self, key: str) -> str | None:
        """The canonical URL already fixed for a media key (by an attachment or a use)."""
        return self._attachment_keys.get(key) or self._canonical.get(key)

    def media_uses(self) -> Iterator[tuple[str, MediaUse]]:
        """Every media URL with its use: the attachments' (in input order, used or not), then the
        other URLs documents used, in first-use order."""
        for att in self.index.attachments.values():
            url = original_url(att.url)
            if self._attachment_urls.get(url) == att.id:
                yield url, self.media.get(url) or MediaUse(url, att.id)
        for url, use in self.media.items():
            if not use.attachment_id:
                yield url, use

    def use_of(self, canonical: str) -> MediaUse:
        """The use record of a canonical media URL (made on first use)."""
        use = self.media.get(canonical)
        if use is None:
            use = self.media[canonical] = MediaUse(canonical, self._attachment_urls.get(canonical))
        return use

    # ------------------------------------------------------------------ classification

    def is_own(self, url: str) -> bool:
        return netloc_of(url) in self.hosts

    def media_key(self, url: str) -> str | None:
        """Scheme- and ``www.``-insensitive key of a media URL (own hosts share one key)."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        netloc = netloc_of(url)
        if netloc is None:
            return None
        site = "" if netloc in self.hosts else netloc
        query = f"?{parts.query}" if parts.query else ""
        return site + path_key(parts.path) + query

    def absolute(self, href: str, base: str = "") -> str:
        """``href`` made absolute against ``base`` (the document URL) or the site URL."""
        base = base if base and self.is_own(base) else self.primary
        try:
            return urljoin(base, href.strip())
        except ValueError:
            return href.strip()

    def classify(self, href: str, base: str = "") -> Target:
        """Resolve one ``href`` found in the document whose own URL is ``base``."""
        raw = href.strip()
        if PLAIN_ABSOLUTE.fullmatch(raw):
            url = raw  # what every step below gives a plain absolute http(s) URL, at once
        else:
            if not raw or raw.startswith("#"):
                return Target("untouched", href)
            try:
                scheme = urlsplit(raw).scheme.lower()
            except ValueError:
                return Target("untouched", href)
            if scheme and scheme not in ("http", "https"):
                return Target("untouched", href)
            meaning = hostless_meaning(raw) if scheme else None  # ``https:///about/``: no host
            if meaning == "":
                return Target("hostless", href)
            url = self.absolute(meaning or raw, base)
        found = self._classified.recall(url)
        if found is MISSING:  # what an absolute URL points at is the same all run: asked once per URL
            found = self._classify_absolute(url)
            self._classified.keep(url, found)
        found = cast(Target, found)
        if found.kind in ("untouched", "external"):
            return Target(found.kind, href)
        return Target(found.kind, found.url, found.entry, found.fragment)  # a copy: the caller may change it

    def _classify_absolute(self, url: str) -> Target:
        """:meth:`classify` of an absolute URL (``untouched`` and ``external`` without the href)."""
        href = ""
        try:
            parts = urlsplit(url)
        except ValueError:
            return Target("untouched", href)
        own = self.is_own(url)
        host = hostname(parts)
        media_host = bool(host) and (own or host_allowed(host or "", self.allowed_hosts))
        if media_host and is_media_url(url):
            return Target("media", url)
        if not own:
            return Target("external", href)
        fragment = parts.fragment
        entry = self._lookup(parts)
        if entry is None:
            kind = "archive" if self._is_archive(parts.path) else "dangling"
            return Target(kind, url)
        attachment = self.index.attachments.get(entry.id) if entry.disposition == "media" else None
        if attachment is not None:
            return Target("media", attachment.url, entry)
        if entry.disposition == "document" and entry.path:
            return Target("document", url, entry, fragment)
        return Target("dangling", url, entry)

    def _lookup(self, parts) -> Entry | None:
        key = path_key(parts.path)
        if parts.query and key in self.home_keys:
            query = dict(parse_qsl(parts.query))
            for name in _QUERY_IDS:
                value = query.get(name, "").strip()
                if value.isdigit():
                    return self.index.by_id.get(value)
            for name in ("name", "pagename", "attachment"):
                if query.get(name):
                    return self._by_slug(query[name].rstrip("/").rsplit("/", 1)[-1])
            return None
        if key in self.home_keys:
            return None
        entries, url_ids = self.index.entries, self.index.url_ids
        found, entry = entries.first_named(url_ids, key)
        if found is None and key.startswith("/index.php/"):
            found, entry = entries.first_named(url_ids, key[len("/index.php") :])
        if found is not None:
            return entry
        if self._is_archive(parts.path):
            return None
        return self._by_slug(key.rsplit("/", 1)[-1])

    def _by_slug(self, slug: str) -> Entry | None:
        found, entry = self.index.entries.first_named(self.index.slug_ids, path_key(slug).strip("/"))
        return entry if found else None

    def _is_archive(self, path: str) -> bool:
        segments = [s for s in path_key(path).split("/") if s]
        for home in sorted(self.home_keys, key=len, reverse=True):
            home_segments = [s for s in home.split("/") if s]
            if home_segments and segments[: len(home_segments)] == home_segments:
                segments = segments[len(home_segments) :]
                break
        if not segments:
            return True
        first = segments[0]
        return first in ARCHIVE_BASES or first in self.taxonomies or all(s.isdigit() for s in segments)

    # ------------------------------------------------------------------ rewriting

    def archive_term(self, url: str) -> tuple[str, str] | None:
        """(taxonomy, term name) of a category or tag archive URL of the old site
        (``/category/boats/sailing-boats/``, ``/tag/fog/page/2/``), when the term is known."""
        segments = [s for s in path_key(urlsplit(url).path).split("/") if s]
        for home in sorted(self.home_keys, key=len, reverse=True):
            home_segments = [s for s in home.split("/") if s]
            if home_segments and segments[: len(home_segments)] == home_segments:
                segments = segments[len(home_segments) :]
                break
        if len(segments) >= 2 and segments[-2] == "page" and segments[-1].isdigit():
            segments = segments[:-2]
        taxonomy = {"category": "category", "tag": "post_tag"}.get(segments[0] if segments else "")
        if taxonomy is None or len(segments) < 2:
            return None
        slug = decode_path(segments[-1])
        for term in self.index.site.terms:
            if term.taxonomy == taxonomy and term.slug == slug:
                return taxonomy, term.name
        return None

    def archive_link(self, url: str) -> str | None:
        """Where a category/tag archive link goes on the new site; None: it stays absolute
        (plain Markdown has no taxonomy pages)."""
        return None

    def page_url(self, entry: Entry) -> str:
        """The site-absolute URL of a converted document on the new site."""
        return document_url(entry.path or "", self.base_url)

    def media_file_url(self, path: str) -> str:
        """The site-absolute URL of a media file written at ``path`` (output-relative)."""
        return file_url(path, self.base_url)

    def doc_link(self, entry: Entry, from_path: str, fragment: str = "") -> str:
        """Where a link to ``entry`` points from the file ``from_path``."""
        assert entry.path is not None
        if self.options.link_style == "absolute":
            link = document_url(entry.path, self.base_url)
        else:
            link = relative_path(entry.path, from_path)
        return link + ("#" + fragment if fragment else "")

    def canonical_media(self, url: str) -> str:
        """The one URL a media file is known by (the attachment's, when there is one)."""
        return self._canonical_media(url)[0]

    def _canonical_media(self, url: str) -> tuple[str, bool]:
        """:meth:`canonical_media`, and whether that URL is an attachment's.  (Each value of
        ``_attachment_keys`` is a key of ``_attachment_urls`` and the other way round, so a
        canonical URL not found there is no attachment's: one lookup tells both.)"""
        url = original_url(url)
        key = self.media_key(url)
        if key is None:
            return url, False
        known = self._attachment_keys.get(key)
        if known:
            return known, True
        known = self._canonical.get(key)
        if known is not None:
            return known, False
        if self.journal is not None:
            self.journal.append(("key", key, url))
        self.fix_canonical(key, url)
        return url, False

    def fix_canonical(self, key: str, url: str) -> None:
        """``url`` is the canonical spelling of media ``key`` unless one is known already."""
        if self.known_canonical(key) is None:
            self._canonical[key] = url

    def media_ref(self, url: str, from_path: str) -> str:
        """The string to write for a media URL used by the document at ``from_path``."""
        canonical, attachment = self._canonical_media(url)
        if self.options.media == "link" or not self.downloadable(canonical):
            if self.options.media == "link" and not attachment and self.downloadable(canonical):
                self._record_use(canonical, from_path, canonical)  # for ``used_by`` of media_files
            return canonical
        use = self.media.get(canonical)
        written = use.written.get(from_path) if use is not None else None
        if written is None:
            rel = self.tentative_path(canonical, from_path)
            written = self.local_link(rel, from_path)
            self._record_use(canonical, from_path, written)
        return written

    def _record_use(self, canonical: str, from_path: str, written: str) -> None:
        new = canonical not in self.media
        self.use_of(canonical).written[from_path] = written
        if self.journal is not None:
            self.journal.append(("use", canonical, from_path, written, new))

    def downloadable(self, url: str) -> bool:
        """A media URL on the site's own hosts or an allowed media host."""
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            return False
        return bool(host) and (self.is_own(url) or host_allowed(host, self.allowed_hosts)) and is_media_url(url)

    #: folder the ``media/`` tree goes in (a target may need it inside its content folder)
    media_root: str = ""

    def media_location(self, url: str) -> str:
        """Where a downloaded media file goes: ``<media_root>media/2015/03/x.jpg``."""
        return self.media_root + media_path(url)

    def tentative_path(self, url: str, from_path: str) -> str:
        """Bundle mode: beside the document (if it is a bundle); else ``media/...``."""
        if self.options.media == "bundle" and from_path.endswith(("/index.md", "/_index.md")):
            return posixpath.dirname(from_path) + "/" + media_path(url).rsplit("/", 1)[-1]
        return self.media_location(url)

    def local_link(self, rel: str, from_path: str) -> str:
        if self.options.link_style == "absolute":
            return file_url(rel, self.base_url)
        return relative_path(rel, from_path)

    def rewrite(self, root: Element, ctx: Context, from_path: str) -> None:
        """Rewrite every link and media reference under ``root`` (the document at ``from_path``)."""
        base = ctx.doc.link
        # One walk over the tree; the groups below are rewritten in the same order as before.
        tags = [el for el in root.iterdescendants(*_REWRITTEN)]
        for tag in [t for t in tags if t.tag in ("img", "source")]:
            if tag.tag == "img":
                self._attachment_src(tag)
            srcset = tag.get("srcset")
            if srcset:
                best = largest_srcset(srcset)
                if best and tag.tag == "img":
                    tag.set("src", best)
                if tag.tag == "img" or tag.get("src"):
                    del tag.attrib["srcset"]
                    tag.attrib.pop("sizes", None)
            self._rewrite_attr(tag, "src", ctx, from_path, base, media_only=True)
        for tag in [t for t in tags if t.tag in ("audio", "video", "track", "embed")]:
            self._rewrite_attr(tag, "src", ctx, from_path, base, media_only=True)
        for tag in [t for t in tags if t.tag == "video"]:
            self._rewrite_attr(tag, "poster", ctx, from_path, base, media_only=True)
        for tag in [t for t in tags if t.tag == "object"]:
            self._rewrite_attr(tag, "data", ctx, from_path, base, media_only=True)
        for tag in [t for t in tags if t.tag == "a"]:
            self._rewrite_attr(tag, "href", ctx, from_path, base, media_only=False)

    def _attachment_src(self, img: Element) -> None:
        """An image of attachment N (class ``wp-image-N``) whose file is the attachment's or one of
        its sizes, written with another host (the old domain, a CDN): the attachment's own URL, as
        WordPress gives it (``wp_filter_content_tags`` adds the attachment's ``srcset`` when the
        file names match)."""
        names = classes(img)
        src = img.get("src")
        for name in names:
            if not name.startswith("wp-image-") or not isinstance(src, str):
                continue
            att = self.index.attachments.get(name[len("wp-image-") :])
            if att is None or not att.url:
                return
            ours = original_url(att.url)
            folder, _, file_name = ours.rpartition("/")
            theirs = original_url(src.strip()).rsplit("/", 1)[-1]
            # a size variant (``-768x512``) matches too, wherever the copy lives (an offload or
            # CDN path without ``wp-content/uploads``): its name read in the attachment's folder
            same = theirs == file_name or original_url(f"{folder}/{theirs}").rsplit("/", 1)[-1] == file_name
            # and in the attachment's own upload folder (``2021/04/``), as WordPress requires before it
            # adds the srcset: a file of the same name from another month is another upload
            dirname = folder.split("/uploads/", 1)[1] + "/" if "/uploads/" in folder else ""
            theirs_dir = urlsplit(src.strip()).path.rpartition("/")[0] + "/"
            if same and ours != src and (not dirname or theirs_dir.endswith("/" + dirname)):
                img.set("src", att.url)
            return

    def _rewrite_attr(self, tag: Element, attr: str, ctx: Context, from_path: str, base: str, media_only: bool) -> None:
        value = tag.get(attr)
        if not value:
            return
        target = self.classify(value, base)
        if target.kind == "hostless":
            ctx.report("link-without-host", f"{value}: an address without a host cannot work; kept as text")
            if tag.tag == "a":
                unwrap(tag)
            elif tag.tag == "img":  # as a browser shows a broken image: its alt text
                replace_with_text(tag, str(tag.get("alt") or ""))
            else:
                del tag.attrib[attr]
        elif target.kind == "media":
            tag.set(attr, self.media_ref(target.url, from_path))
        elif media_only or target.kind in ("untouched", "external"):
            if target.kind not in ("untouched", "external"):
                tag.set(attr, target.url)  # a relative URL made absolute: it would break otherwise
        elif target.kind == "document" and target.entry is not None:
            tag.set(attr, self.doc_link(target.entry, from_path, target.fragment))
        elif target.kind == "archive":
            tag.set(attr, self.archive_link(target.url) or target.url)
        else:  # dangling
            tag.set(attr, target.url)
            why = (
                "not in the export"
                if target.entry is None
                else (f"item {target.entry.id} is {target.entry.reason or target.entry.status} and not converted")
            )
            ctx.report("dangling-internal-link", f"{target.url}: {why}; kept as an absolute link")

    # ------------------------------------------------------------------ old URLs

    def home_path(self) -> str:
        base = self.index.site.base_blog_url or self.primary
        try:
            path = urlsplit(base).path
        except ValueError:
            path = ""
        return path.rstrip("/") + "/"

    def old_paths(self, entry: Entry) -> list[str]:
        """Old site-relative URLs of an item: permalink path, guid path, ``?p=N``/``?page_id=N``."""
        found: list[str] = []
        for url in (entry.link, entry.guid):
            if not url or not self.is_own(url) or is_media_url(url):
                continue  # an upload URL is the file itself, not an old page address
            try:
                parts = urlsplit(url.strip())
            except ValueError:
                continue
            path = decode_path(parts.path or "/")
            if path_key(parts.path) in self.home_keys and not parts.query:
                continue
            if parts.query and path_key(parts.path) in self.home_keys:
                query = dict(parse_qsl(parts.query))
                if not any(query.get(n, "").strip() == entry.id for n in _QUERY_IDS):
                    continue
            found.append(path + (f"?{parts.query}" if parts.query else ""))
        if entry.id.isdigit():  # a WordPress post id (scraped documents have made-up ids)
            name = {"page": "page_id", "attachment": "attachment_id"}.get(entry.type, "p")
            found.append(f"{self.home_path()}?{name}={entry.id}")
        unique: list[str] = []
        for path in found:
            if path not in unique:
                unique.append(path)
        return unique


_REWRITTEN = frozenset({"img", "source", "audio", "video", "track", "embed", "object", "a"})


__all__ = ["ARCHIVE_BASES", "MediaUse", "References", "Target"]
