"""Plain dataclasses passed between the pipeline stages.

sources -> transforms -> render -> output all speak these types and nothing else.
Problems are data: every stage appends :class:`Problem` records instead of raising.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Day, datetime
from typing import Literal

from .spool import Spool

Severity = Literal["error", "warning", "info"]

#: Where a document's ``content`` comes from.
#: ``stored``: raw ``post_content`` as WordPress keeps it in the database (needs wpautop,
#: shortcodes, blocks).  ``rendered``: HTML as WordPress served it (scraped pages, REST API):
#: those filters have already run.
ContentKind = Literal["stored", "rendered"]


@dataclass(slots=True)  # many per run: no per-instance __dict__
class Problem:
    """Something worth telling the user about; never an exception escaping."""

    severity: Severity
    code: str
    message: str
    id: str | None = None
    source: str | None = None
    line: int | None = None

    def as_dict(self) -> dict:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "id": self.id,
            "source": self.source,
            "line": self.line,
        }


@dataclass
class Term:
    """A category, tag or custom-taxonomy term."""

    taxonomy: str
    slug: str
    name: str
    parent: str = ""  # parent term slug
    description: str = ""


@dataclass
class Author:
    login: str
    display_name: str
    id: str = ""
    email: str = ""  # private: never written unless explicitly asked for
    first_name: str = ""
    last_name: str = ""


@dataclass
class Comment:
    id: str
    author: str
    date: datetime | None
    content: str
    parent: str = "0"
    approved: str = "1"
    type: str = "comment"  # comment, pingback, trackback
    author_url: str = ""
    author_email: str = ""  # private
    author_ip: str = ""  # private
    user_id: str = "0"


@dataclass
class Site:
    """Channel-level facts of one site (possibly merged from several export files)."""

    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""
    generator: str = ""
    authors: dict[str, Author] = field(default_factory=dict)  # by login
    terms: list[Term] = field(default_factory=list)

    @property
    def urls(self) -> list[str]:
        """Every base URL this site is known under (deduplicated, in order)."""
        seen: list[str] = []
        for url in (self.base_blog_url, self.base_site_url, self.link):
            if url and url not in seen:
                seen.append(url)
        return seen


@dataclass
class Document:
    """One input item: a post, page, attachment, menu item, scraped article, ..."""

    id: str
    type: str = "post"
    status: str = "publish"
    title: str = ""
    slug: str = ""
    content: str = ""
    content_kind: ContentKind = "stored"
    excerpt: str = ""
    #: timezone-aware when the offset is known; a plain ``date`` (no time) when the source shows
    #: only the day (a visible "July 4, 2024"): written as ``2024-07-04``, never as a made-up midnight
    date: datetime | Day | None = None
    modified: datetime | None = None
    author: str = ""  # display name
    author_login: str = ""
    terms: list[Term] = field(default_factory=list)
    parent: str = "0"
    menu_order: int = 0
    sticky: bool = False
    password: str = ""  # private
    link: str = ""
    guid: str = ""
    attachment_url: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)
    source: str = ""  # input file the item came from
    line: int | None = None  # line of the item in that file, when known
    extra: dict = field(default_factory=dict)  # reader-specific metadata (e.g. images: alt residue)

    def terms_of(self, taxonomy: str) -> list[Term]:
        return [t for t in self.terms if t.taxonomy == taxonomy]

    @property
    def categories(self) -> list[str]:
        return [t.name for t in self.terms_of("category")]

    @property
    def tags(self) -> list[str]:
        return [t.name for t in self.terms_of("post_tag")]


@dataclass
class Attachment:
    """The small record kept for every attachment of an export (no content): what galleries,
    playlists, captions and cover blocks need to know about a media item."""

    id: str
    url: str
    title: str = ""
    caption: str = ""  # the attachment's post_excerpt
    alt: str = ""  # _wp_attachment_image_alt
    parent: str = "0"
    menu_order: int = 0
    mime: str = ""


@dataclass
class Rendered:
    """A document turned into Markdown, ready for the output stage."""

    doc: Document
    front_matter: dict
    body: str  # Markdown, ends with exactly one newline
    warnings: list[Problem] = field(default_factory=list)


@dataclass(slots=True)  # many per run: no per-instance __dict__
class DocumentEntry:
    id: str
    type: str
    status: str
    title: str
    slug: str
    date: str | None
    path: str
    source: str
    source_url: str
    warnings: list[str] = field(default_factory=list)
    pages: int = 1  # <!--nextpage--> breaks + 1


@dataclass(slots=True)  # many per run: no per-instance __dict__
class SkippedEntry:
    id: str
    type: str
    status: str
    title: str
    reason: str
    source: str = ""


@dataclass(slots=True)  # many per run: no per-instance __dict__
class MediaEntry:
    id: str
    url: str
    path: str | None = None
    status: str = "linked"  # linked, downloaded, failed, copied
    error: str | None = None
    source: str = ""
    title: str = ""
    parent: str = "0"
    extra: dict = field(default_factory=dict)


@dataclass
class Report:
    """Everything a run did, as data. The manifest is written from this.

    The record lists are :class:`~migrator.spool.Spool` s: append-only, kept on disk, so a
    run's memory does not grow with the export.  They iterate, index and ``len`` like lists;
    items read back are copies (change records by building a new spool, not in place).
    """

    documents: Spool[DocumentEntry] = field(default_factory=Spool)
    skipped: Spool[SkippedEntry] = field(default_factory=Spool)
    media: Spool[MediaEntry] = field(default_factory=Spool)
    media_files: Spool[MediaEntry] = field(default_factory=Spool)  # referenced media that are not items
    problems: Spool[Problem] = field(default_factory=Spool)
    fatal: bool = False  # input could not be read at all

    @property
    def failed(self) -> bool:
        """Whether some problem is an error (reads the problems once; asked once or twice a run)."""
        return any(p.severity == "error" for p in self.problems)

    @property
    def exit_code(self) -> int:
        """0: success (warnings allowed); 1: some items failed; 2: input unreadable."""
        if self.fatal:
            return 2
        return 1 if self.failed else 0
