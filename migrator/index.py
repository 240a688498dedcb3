"""The first pass: a compact index of every input item (no content kept).

It decides each item's fate (document, media, skipped), plans output paths (so links can be
resolved before any file is written) and keeps the small records transforms need: attachments
and reusable blocks.
"""

from __future__ import annotations

import mimetypes
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

from .urls import urlsplit  # never raise on malformed URLs
from .model import Document, Problem, Site
from .options import Options
from .output.layout import deduplicate, layout_for, layout_path
from .policy import classify
from .sources import read_inputs
from .slugs import slugify
from .transforms.context import Attachment


@dataclass(slots=True)  # one per input item: no per-instance __dict__
class Entry:
    """What the index remembers of one input item."""

    id: str
    type: str
    status: str
    title: str
    slug: str
    parent: str
    link: str
    guid: str
    source: str
    line: int | None
    disposition: str
    reason: str = ""
    date: datetime | None = None
    path: str | None = None


@dataclass
class SiteIndex:
    site: Site = field(default_factory=Site)
    entries: list[Entry] = field(default_factory=list)  # in input order
    by_id: dict[str, Entry] = field(default_factory=dict)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    reusable_blocks: dict[str, str] = field(default_factory=dict)
    # URL -> id lookup tables for the references stage (keys from :func:`path_key`).
    url_ids: dict[str, str] = field(default_factory=dict)  # permalink / guid path -> id
    slug_ids: dict[str, str] = field(default_factory=dict)  # decoded slug -> id ("" when ambiguous)


def build_index(paths: list[Path], options: Options, problems: list[Problem]) -> SiteIndex:
    """Read every input once and index it.  Raises sources.InputError for unreadable inputs."""
    index = SiteIndex()
    for doc in read_inputs(paths, index.site, problems, options.source_format):
        add(index, doc, options, problems)
    plan_paths(index, options, problems)
    return index


def add(index: SiteIndex, doc: Document, options: Options, problems: list[Problem]) -> Entry:
    disposition, reason = classify(doc, options)
    if doc.id in index.by_id:
        disposition, reason = "skip", "duplicate-id"
        problems.append(Problem("warning", "duplicate-id", f"item id {doc.id} appears again; the first one is kept",
                                id=doc.id, source=doc.source, line=doc.line))
    # Few distinct values, one per item: shared strings keep the index small.
    entry = Entry(doc.id, sys.intern(doc.type), sys.intern(doc.status), doc.title, doc.slug, sys.intern(doc.parent),
                  doc.link, doc.guid, doc.source, doc.line, disposition, reason, doc.date)
    index.entries.append(entry)
    index.by_id.setdefault(doc.id, entry)
    if disposition == "media" and doc.id not in index.attachments:
        index.attachments[doc.id] = Attachment(
            id=doc.id,
            url=doc.attachment_url or doc.guid,
            title=doc.title,
            caption=doc.excerpt,
            alt=doc.meta.get("_wp_attachment_image_alt", ""),
            parent=doc.parent,
            menu_order=doc.menu_order,
            mime=mimetypes.guess_type(doc.attachment_url or doc.guid)[0] or "",
        )
    index_urls(index, entry)
    if doc.type == "wp_block" and doc.status != "trash":
        index.reusable_blocks.setdefault(doc.id, doc.content)
    return entry


def path_key(path: str) -> str:
    """A URL path as a lookup key: percent-decoded, NFC, case-folded, no trailing slash.

    ``/2018/01/%E6%B8%AF/``, ``/2018/01/%e6%b8%af`` and ``/2018/01/港`` give the same key.
    """
    path = unicodedata.normalize("NFC", unquote(path, errors="replace"))
    path = re.sub(r"/{2,}", "/", path).casefold()
    return path.rstrip("/")


def index_urls(index: SiteIndex, entry: Entry) -> None:
    """Remember the paths of an item's permalink and guid, and its slug (first one wins)."""
    for url in (entry.link, entry.guid):
        try:
            path = urlsplit(url.strip()).path
        except ValueError:
            continue
        key = path_key(path)
        if key and key != "/index.php":
            index.url_ids.setdefault(key, entry.id)
    if entry.slug and entry.type not in ("revision", "nav_menu_item", "attachment"):
        slug = path_key(entry.slug).strip("/")
        if slug:
            index.slug_ids[slug] = "" if index.slug_ids.get(slug, entry.id) != entry.id else entry.id


def slug_of(entry: Entry) -> str:
    return entry.slug or slugify(entry.title) or entry.id


def slug_path(entry: Entry, index: SiteIndex) -> str:
    """The slug with its ancestors' slugs (``about/team``) for hierarchical content."""
    parts = [slug_of(entry)]
    seen = {entry.id}
    parent = index.by_id.get(entry.parent)
    while parent is not None and parent.type == entry.type and parent.id not in seen:
        parts.append(slug_of(parent))
        seen.add(parent.id)
        parent = index.by_id.get(parent.parent)
    return "/".join(reversed(parts))


def plan_paths(index: SiteIndex, options: Options, problems: list[Problem]) -> None:
    """Give every document a unique output path, in input order (deterministic)."""
    taken: set[str] = {"manifest.json"}
    for entry in index.entries:
        if entry.disposition != "document":
            continue
        doc_like = Document(id=entry.id, type=entry.type, status=entry.status, date=entry.date)
        path = layout_path(layout_for(options, entry.type, entry.status), doc_like, slug_path(entry, index))
        unique = deduplicate_bundle(path, taken) if path.endswith("/index.md") else deduplicate(path, taken)
        if unique != path:
            problems.append(Problem("warning", "duplicate-slug",
                                    f"{path} is taken by another document; written as {unique}",
                                    id=entry.id, source=entry.source, line=entry.line))
        taken.add(unique.lower())
        entry.path = unique
    branch_bundles(index)


def deduplicate_bundle(path: str, taken: set[str]) -> str:
    """``posts/a/index.md`` -> ``posts/a-2/index.md`` ... (page bundles are directories)."""
    if path.lower() not in taken:
        return path
    stem = path[: -len("/index.md")]
    n = 2
    while f"{stem}-{n}/index.md".lower() in taken:
        n += 1
    return f"{stem}-{n}/index.md"


def branch_bundles(index: SiteIndex) -> None:
    """A bundle with other documents below it becomes a branch bundle (``_index.md``, Hugo)."""
    dirs = {e.path.lower().rsplit("/", 1)[0] for e in index.entries if e.path and e.path.endswith("/index.md")}
    for entry in index.entries:
        if not entry.path or not entry.path.endswith("/index.md"):
            continue
        here = entry.path.lower().rsplit("/", 1)[0]
        if any(d.startswith(here + "/") for d in dirs):
            entry.path = entry.path[: -len("index.md")] + "_index.md"
