"""The first pass: a compact index of every input item (no content kept).

It decides each item's fate (document, media, skipped), plans output paths (so links can be
resolved before any file is written) and keeps the small records transforms need: attachments
and reusable blocks.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from collections.abc import Callable, Container, Iterator, Mapping
from dataclasses import dataclass
from datetime import date as Day, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..model import Attachment, Document, Problem, Site
from ..options import Options
from ..policy import classify
from ..slugs import slugify
from ..spool import Spool
from ..sources import InputError, detect, read_inputs
from ..sources.wxr_index import FullReadNeeded, Spans, index_items, plain_export
from ..sources.wxr_ranges import file_reader
from ..urls import urlsplit  # never raise on malformed URLs
from .layout import deduplicate, layout_for, layout_path
from .store import Database, KeySet, Rows, TextMap, date_text, text_date


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
    date: datetime | Day | None = None
    path: str | None = None


class EntryTable:
    """Every input item's :class:`Entry`, in input order (a table of the run's database)."""

    _COLUMNS = "id, type, status, title, slug, parent, link, guid, source, line, disposition, reason, date, path"

    def __init__(self, db: Database):
        self.db = db
        self._len = 0

    def append(self, entry: Entry) -> None:
        self.db.run(f"INSERT INTO entries (pos, {self._COLUMNS}) VALUES (?{', ?' * 14})", (self._len, *_row(entry)))
        self._len += 1

    def set_path(self, position: int, path: str) -> None:
        self.db.run("UPDATE entries SET path = ? WHERE pos = ?", (path, position))

    def __len__(self) -> int:
        return self._len

    def __bool__(self) -> bool:
        return self._len > 0

    def __getitem__(self, position: int) -> Entry:
        if position < 0:
            position += self._len
        row = self.db.one(f"SELECT {self._COLUMNS} FROM entries WHERE pos = ?", (position,), remember=False)
        if row is None:
            raise IndexError(position)
        return _entry(row)

    def __iter__(self) -> Iterator[Entry]:
        return iter(
            Rows(self.db, f"SELECT pos, {self._COLUMNS} FROM entries WHERE pos > ? ORDER BY pos LIMIT ?", _entry)
        )

    def count(self, disposition: str) -> int:
        """How many entries have this disposition (one query, no row read)."""
        row = self.db.one("SELECT count(*) FROM entries WHERE disposition = ?", (disposition,), remember=False)
        return row[0] if row is not None else 0

    def has(self, item_id: str) -> bool:
        """Whether some entry has this id (no row read)."""
        return self.db.one("SELECT 1 FROM entries WHERE id = ? LIMIT 1", (item_id,)) is not None

    def first(self, item_id: str) -> Entry | None:
        """The first entry with this id (later duplicates are skipped items)."""
        row = self.db.one(f"SELECT {self._COLUMNS} FROM entries WHERE id = ? ORDER BY pos LIMIT 1", (item_id,))
        return None if row is None else _entry(row)

    def first_named(self, names: TextMap, key: str) -> tuple[str | None, Entry | None]:
        """``names.get(key)`` (an id, or None) and the first entry with that id, in one query."""
        row = self.db.one(_FIRST_NAMED, (names.kind, key))
        if row is None:
            return None, None
        return row[0], (None if row[1] is None else _entry(row[2:]))


_FIRST_NAMED = (
    f"SELECT t.value, e.pos, {', '.join('e.' + c for c in EntryTable._COLUMNS.split(', '))} FROM texts AS t"
    " LEFT JOIN entries AS e ON e.id = t.value WHERE t.kind = ? AND t.key = ? ORDER BY e.pos LIMIT 1"
)


class ById:
    """``index.by_id.get(id)``: the first entry with that id."""

    def __init__(self, entries: EntryTable):
        self.entries = entries

    def get(self, item_id: str, default: Entry | None = None) -> Entry | None:
        found = self.entries.first(item_id)
        return default if found is None else found

    def __contains__(self, item_id: object) -> bool:
        return isinstance(item_id, str) and self.entries.has(item_id)

    def __getitem__(self, item_id: str) -> Entry:
        found = self.get(item_id)
        if found is None:
            raise KeyError(item_id)
        return found


def _row(entry: Entry) -> tuple:
    return (
        entry.id,
        entry.type,
        entry.status,
        entry.title,
        entry.slug,
        entry.parent,
        entry.link,
        entry.guid,
        entry.source,
        entry.line,
        entry.disposition,
        entry.reason,
        date_text(entry.date),
        entry.path,
    )


def _entry(row: tuple) -> Entry:
    return Entry(*row[:12], text_date(row[12]), row[13])  # type: ignore[arg-type,call-arg]


class AttachmentTable(Mapping[str, Attachment]):
    """Attachment id -> :class:`Attachment`, in input order (a table of the run's database)."""

    _COLUMNS = "id, url, title, caption, alt, parent, menu_order, mime"

    def __init__(self, db: Database):
        self.db = db

    def add(self, att: Attachment) -> None:
        """Remember an attachment (the first one with an id wins)."""
        self.db.run(
            f"INSERT OR IGNORE INTO attachments ({self._COLUMNS}) VALUES (?{', ?' * 7})",
            (att.id, att.url, att.title, att.caption, att.alt, att.parent, att.menu_order, att.mime),
        )

    def get(self, att_id: str, default: Any = None) -> Any:  # type: ignore[override]
        row = self.db.one(f"SELECT {self._COLUMNS} FROM attachments WHERE id = ?", (att_id,))
        return default if row is None else Attachment(*row)

    def __getitem__(self, att_id: str) -> Attachment:
        found = self.get(att_id)
        if found is None:
            raise KeyError(att_id)
        return found

    def __contains__(self, att_id: object) -> bool:
        return isinstance(att_id, str) and self.get(att_id) is not None

    def __iter__(self) -> Iterator[str]:
        return (a.id for a in self.values())

    def values(self) -> Iterator[Attachment]:  # type: ignore[override]
        return iter(
            Rows(
                self.db,
                f"SELECT pos, {self._COLUMNS} FROM attachments WHERE pos > ? ORDER BY pos LIMIT ?",
                lambda row: Attachment(*row),
            )
        )

    def __len__(self) -> int:
        return self.db.run("SELECT count(*) FROM attachments").fetchone()[0]

    def children(self, parent_id: str) -> list[Attachment]:
        """Attachments whose parent is ``parent_id``, in input order."""
        rows = self.db.rows(f"SELECT {self._COLUMNS} FROM attachments WHERE parent = ? ORDER BY pos", (parent_id,))
        return [Attachment(*row) for row in rows]


class SiteIndex:
    """Pass 1's result: site data in memory, one small row per item in a temporary database."""

    def __init__(self, site: Site | None = None):
        self.site = site or Site()
        self.db = Database()
        self.entries = EntryTable(self.db)  # in input order
        self.by_id = ById(self.entries)
        self.attachments = AttachmentTable(self.db)
        self.reusable_blocks = TextMap(self.db, "block")  # wp_block id -> content
        # URL -> id lookup tables for the references stage (keys from :func:`path_key`).
        self.url_ids = TextMap(self.db, "url")  # permalink / guid path -> id
        self.slug_ids = TextMap(self.db, "slug")  # decoded slug -> id ("" when ambiguous)
        #: where each item is in its file, when pass 1 read the inputs lean (else None)
        self.spans: Spans | None = None

    def close(self) -> None:
        """Remove the database (the run is over)."""
        if self.spans is not None:
            self.spans.close()
        self.db.close()


def build_index(
    paths: list[Path], options: Options, problems: list[Problem], progress: Callable[[int], None] | None = None
) -> SiteIndex:
    """Read every input once and index it (``progress(items read)`` after each item).  Raises
    sources.InputError for unreadable inputs.

    Plain WXR files are read lean (:mod:`migrator.sources.wxr_index`: the index's fields only,
    and where each item lies in its file); should that not do (a file that is not well-formed,
    a compressed one...), the inputs are read again in full, as the other readers always are."""
    if _all_plain_wxr(paths, options.source_format):
        found: Spool[Problem] = Spool()  # kept apart until the lean reading is known to do
        try:
            index = _build(paths, options, found, True, progress)  # type: ignore[arg-type]  # a Spool appends like a list
            problems.extend(found)
            return index
        except FullReadNeeded:
            pass  # what it found is reported again by the full reading
        finally:
            found.close()
    return _build(paths, options, problems, False, progress)


def _all_plain_wxr(paths: list[Path], forced: str | None) -> bool:
    try:
        return bool(paths) and all(plain_export(p) and detect(p, forced) == "wxr" for p in paths)
    except InputError:
        return False  # the full reading reports it


def _build(
    paths: list[Path],
    options: Options,
    problems: list[Problem],
    lean: bool,
    progress: Callable[[int], None] | None = None,
) -> SiteIndex:
    index = SiteIndex()
    try:
        with index.db.transaction():
            if lean:
                index.spans = Spans(index.db, index.site)
                docs = index_items(paths, index.site, problems, index.spans, file_reader(options.jobs))
            else:
                docs = read_inputs(paths, index.site, problems, options.source_format)
            try:
                for n, doc in enumerate(docs, start=1):
                    add(index, doc, options, problems)
                    if progress:
                        progress(n)
            finally:  # a reading stopped midway ends its worker processes now
                getattr(docs, "close", lambda: None)()
            plan_paths(index, options, problems)
    except BaseException:
        index.close()
        raise
    return index


def add(index: SiteIndex, doc: Document, options: Options, problems: list[Problem]) -> Entry:
    disposition, reason = classify(doc, options)
    if doc.id in index.by_id:
        disposition, reason = "skip", "duplicate-id"
        problems.append(
            Problem(
                "warning",
                "duplicate-id",
                f"item id {doc.id} appears again; the first one is kept",
                id=doc.id,
                source=doc.source,
                line=doc.line,
            )
        )
    entry = Entry(
        doc.id,
        doc.type,
        doc.status,
        doc.title,
        doc.slug,
        doc.parent,
        doc.link,
        doc.guid,
        doc.source,
        doc.line,
        disposition,
        reason,
        doc.date,
    )
    index.entries.append(entry)
    if disposition == "media":  # the first attachment with an id wins
        index.attachments.add(
            Attachment(
                id=doc.id,
                url=doc.attachment_url or doc.guid,
                title=doc.title,
                caption=doc.excerpt,
                alt=doc.meta.get("_wp_attachment_image_alt", ""),
                parent=doc.parent,
                menu_order=doc.menu_order,
                mime=mimetypes.guess_type(doc.attachment_url or doc.guid)[0] or "",
            )
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
    if "//" in path:
        path = _SLASHES.sub("/", path)
    return path.casefold().rstrip("/")


_SLASHES = re.compile(r"/{2,}")


def url_path(url: str) -> str:
    """The path of ``url`` (stripped) as urlsplit gives it (:func:`migrator.urls.urlsplit`: a
    plain absolute URL's parts without parsing, and never an error)."""
    return urlsplit(url.strip()).path


def index_urls(index: SiteIndex, entry: Entry) -> None:
    """Remember the paths of an item's permalink and guid, and its slug (first one wins)."""
    for url in (entry.link, entry.guid):
        key = path_key(url_path(url))
        if key and key != "/index.php":
            index.url_ids.add_first(key, entry.id)
    if entry.slug and entry.type not in ("revision", "nav_menu_item", "attachment"):
        slug = path_key(entry.slug).strip("/")
        if slug:
            index.slug_ids.share(slug, entry.id)  # "" once two items claim the slug


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
    taken = KeySet(index.db, "taken")
    taken.add("manifest.json")
    bundles = False  # some path is a page bundle's (``.../index.md``)
    for position, entry in enumerate(index.entries):
        if entry.disposition != "document":
            continue
        doc_like = Document(id=entry.id, type=entry.type, status=entry.status, date=entry.date)
        path = layout_path(layout_for(options, entry.type, entry.status), doc_like, slug_path(entry, index))
        unique = deduplicate_bundle(path, taken) if path.endswith("/index.md") else deduplicate(path, taken)
        if unique != path:
            problems.append(
                Problem(
                    "warning",
                    "duplicate-slug",
                    f"{path} is taken by another document; written as {unique}",
                    id=entry.id,
                    source=entry.source,
                    line=entry.line,
                )
            )
        taken.add(unique.lower())
        index.entries.set_path(position, unique)
        bundles = bundles or unique.endswith("/index.md")
    if bundles:  # else there is nothing to look for (two readings of every row saved)
        branch_bundles(index)


def deduplicate_bundle(path: str, taken: Container[str]) -> str:
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
    dirs = KeySet(index.db, "bundle")
    for entry in index.entries:
        if entry.path and entry.path.endswith("/index.md"):
            dirs.add(entry.path.lower().rsplit("/", 1)[0])
    for position, entry in enumerate(index.entries):
        if entry.path and entry.path.endswith("/index.md") and dirs.has_below(entry.path.lower().rsplit("/", 1)[0]):
            index.entries.set_path(position, entry.path[: -len("index.md")] + "_index.md")
