"""``migrator validate``: find problems in exports without converting or writing anything.

Two streaming passes per input, each keeping small state:

1. a raw line scan (bytes, :mod:`migrator.sources.raw_scan`) for things a parser hides: invalid characters, encoding damage,
   the raw ``post_type`` / date fields of each item (the reader fills in defaults);
2. the normal reader (:func:`migrator.sources.read_inputs`), one document at a time, through
   pure per-document checks.

Cross-item checks (duplicates, references to authors, terms, attachments and permalinks) keep
only ids, slugs and pending references, and are settled after every input has been read, so a
split export validates as one site.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from .codes import problem as coded
from .urls import urlsplit  # never raise on malformed URLs
from .model import Document, Problem, Site
from .plan.layout import safe_segment
from .reports import Check, Findings
from .sources import InputError, detect, expand, read_inputs
from .sources.ids import IdsRead
from .sources.raw_scan import RawScan, assign_items, check_raw_items, raw_scan
from .transforms.blocks import BlockHandlers, block_names, default_block_handlers, parse_blocks, walk
from .transforms.shortcodes import ShortcodeRegistry, default_registry, unknown_shortcodes

CHECKS: list[Check] = [
    Check(
        "input",
        ("input-unreadable", "input-ignored", "asset-ignored"),
        "the input can be opened and is an export (a folder: what of it is not read, and why)",
    ),
    Check("xml", ("xml-syntax", "recovered-item", "invalid-char"), "well-formed XML"),
    Check("wxr-version", ("wxr-version-missing", "wxr-version-unknown"), "a known WXR version"),
    Check(
        "items",
        ("missing-id", "missing-type", "duplicate-id", "id-renamed", "no-items"),
        "every item has a unique id and a type",
    ),
    Check("slugs", ("duplicate-slug", "unsafe-slug"), "slugs are unique per type and safe as file names"),
    Check("dates", ("bad-date",), "dates parse"),
    Check(
        "references",
        ("undeclared-author", "undeclared-term", "missing-attachment"),
        "authors, terms and attachments used by items are in the export",
    ),
    Check("links", ("broken-internal-link",), "internal links point at items in the export"),
    Check(
        "content",
        ("unknown-shortcode", "unknown-block", "block-parse", "large-item"),
        "content uses known shortcodes and blocks and is of sane size",
    ),
    Check("site", ("multiple-base-urls", "mixed-scheme"), "one base URL, one scheme"),
    Check("encoding", ("mojibake", "replacement-char"), "no encoding damage"),
    Check(
        "repairs",
        (
            "xml-truncated",
            "xml-item-broken",
            "invalid-char-removed",
            "nested-cdata",
            "stray-cdata-end",
            "bare-ampersand",
            "undefined-entity",
            "doctype-removed",
            "bom",
            "encoding-unknown",
            "encoding-mismatch",
            "encoding-repaired",
            "mojibake-repaired",
            "mojibake-suspected",
        ),
        "the reader needed no repairs (each repair is reported with its line)",
    ),
]

KNOWN_WXR_VERSIONS = ("1.0", "1.1", "1.2")
LARGE_ITEM_BYTES = 1_000_000
#: Item types whose slugs are not output file names.
_NO_SLUG_TYPES = frozenset(
    {
        "revision",
        "nav_menu_item",
        "attachment",
        "customize_changeset",
        "wp_global_styles",
        "oembed_cache",
        "user_request",
        "custom_css",
    }
)
#: Path prefixes of a WordPress site that are not items (archives, admin, feeds, uploads).
_NON_ITEM_PREFIXES = (
    "category",
    "tag",
    "author",
    "feed",
    "comments",
    "page",
    "search",
    "wp-content",
    "wp-admin",
    "wp-includes",
    "wp-json",
    "wp-login.php",
    "xmlrpc.php",
    "wp-content",
)

_HREF = re.compile(r"""\b(?:href|src)\s*=\s*(["'])(.*?)\1""", re.I | re.S)
_QUERY_ID = re.compile(r"(?:^|&)(p|page_id|attachment_id)=(\d+)(?:&|$)")
_GALLERY_IDS = re.compile(r"\[gallery\b[^\]]*?\bids\s*=\s*[\"']?([\d,\s]+)", re.I)


@dataclass
class State:
    """Cross-item state, kept small: ids, slugs and references still to settle."""

    ids: dict[str, tuple[str, int | None]] = field(default_factory=dict)  # id -> (source, line)
    types: dict[str, str] = field(default_factory=dict)  # id -> type
    slugs: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (type, parent, slug) -> id
    permalinks: set[str] = field(default_factory=set)  # normalised paths
    hosts: set[str] = field(default_factory=set)
    authors: set[str] = field(default_factory=set)
    terms: set[tuple[str, str]] = field(default_factory=set)
    author_refs: list[tuple[str, Document]] = field(default_factory=list)
    term_refs: list[tuple[str, str, Problem]] = field(default_factory=list)
    attachment_refs: list[tuple[str, Problem]] = field(default_factory=list)
    link_refs: list[tuple[str, str, Problem]] = field(default_factory=list)  # (kind, key, problem)
    sites: list[tuple[str, Site]] = field(default_factory=list)
    no_author_inputs: set[str] = field(default_factory=set)
    item_lines: dict[str, dict[str, int]] = field(default_factory=dict)  # source -> id -> exact line


@dataclass
class Known:
    """What ``convert`` knows: its shortcode registry and its block handler table."""

    shortcodes: ShortcodeRegistry = field(default_factory=default_registry)
    blocks: BlockHandlers = field(default_factory=default_block_handlers)


def validate(
    inputs: list[str | Path],
    forced: str | None = None,
    *,
    shortcode_registry: ShortcodeRegistry | None = None,
    block_handlers: BlockHandlers | None = None,
) -> Findings:
    """Validate every input (a split export is one site, given as its files or as the folder
    holding them, as ``convert`` reads it); never writes, never raises for bad input.

    A shortcode or block is known when ``convert`` handles it: ``shortcode_registry`` and
    ``block_handlers`` are those given to ``convert`` (``Options``), the built-in ones if not given.
    """
    given = [Path(p) for p in inputs]
    findings = Findings("validate", inputs=[str(p) for p in given], checks=list(CHECKS))
    ignored: list[Problem] = []  # as convert: a folder of exports stands for its export files
    paths = [p for p in expand(list(given), ignored) if isinstance(p, Path)]
    findings.problems.extend(ignored)
    state = State()
    known = Known(
        default_registry() if shortcode_registry is None else shortcode_registry,
        default_block_handlers() if block_handlers is None else block_handlers,
    )
    seen = IdsRead()  # ids are named across the files as convert's one reading of them names them
    for path in paths:
        _validate_one(path, forced, state, findings, known, seen)
    findings.problems.extend(settle(state))
    exact_lines(findings.problems, state.item_lines)
    return findings


def exact_lines(problems: list[Problem], item_lines: dict[str, dict[str, int]]) -> None:
    """Item-level problems get the item's line from the raw scan (the parser's can be wrong past
    line 65535)."""
    for p in problems:
        lines = item_lines.get(p.source or "")
        if lines and p.id in lines and (p.line is None or p.line == 65535 or p.code in _ITEM_LEVEL):
            p.line = lines[p.id]


_ITEM_LEVEL = frozenset(
    {
        "duplicate-id",
        "duplicate-slug",
        "unsafe-slug",
        "undeclared-author",
        "undeclared-term",
        "missing-attachment",
        "broken-internal-link",
        "unknown-shortcode",
        "unknown-block",
        "block-parse",
        "large-item",
        "missing-type",
        "recovered-item",
    }
)


def _validate_one(
    path: Path, forced: str | None, state: State, findings: Findings, known: Known, seen: IdsRead
) -> None:
    source = str(path)
    try:
        kind = detect(path, forced)
    except InputError as exc:
        _unreadable(findings, source, exc.message)
        return
    raw = raw_scan(path) if kind == "wxr" else RawScan()
    findings.problems.extend(raw.problems)
    site = Site()
    problems: list[Problem] = []
    count = 0
    try:
        for doc in read_inputs([path], site, problems, forced, seen):
            count += 1
            problems.extend(check_document(doc, known))
            collect(doc, state, problems)
    except InputError as exc:
        findings.problems.extend(problems)  # what the reader found before giving up (with lines)
        _unreadable(findings, source, exc.message)
        return
    except OSError as exc:
        _unreadable(findings, source, f"cannot be read ({exc})")
        return
    if count == 0 and not (site.wxr_version or site.base_site_url):
        findings.problems.extend(problems)  # as convert: a broken file's xml-syntax gives the line
        _unreadable(findings, source, "no items found: not a WordPress export or empty")
        return
    if count == 0:  # as convert: site data (authors, terms) without items is readable
        problems.append(coded("no-items", "the export holds no items (only site data)", source=source))
    _note_recovery(problems, source, count)
    findings.problems.extend(problems)
    if kind == "wxr":
        findings.problems.extend(check_site(site, source))
        findings.problems.extend(check_raw_items(raw, source))
        assign_items(raw)
        state.item_lines[source] = raw.lines_by_id()
    state.sites.append((source, site))
    state.authors.update(site.authors)
    if kind == "wxr" and not site.authors:
        state.no_author_inputs.add(source)
    state.terms.update((t.taxonomy, t.slug) for t in site.terms)
    for url in site.urls:
        host = _host(url)
        if host:
            state.hosts.add(host)


def _light(doc: Document) -> Document:
    """A copy of the document without its content (kept for end-of-run checks)."""
    return Document(
        id=doc.id,
        type=doc.type,
        status=doc.status,
        slug=doc.slug,
        link=doc.link,
        source=doc.source,
        line=doc.line,
        author_login=doc.author_login,
    )


def _unreadable(findings: Findings, source: str, message: str) -> None:
    findings.unreadable.append(source)
    findings.problems.append(coded("input-unreadable", message, source=source))


def _note_recovery(problems: list[Problem], source: str, count: int) -> None:
    """Say in the ``xml-syntax`` message whether recovery worked (the reader made it an error
    when data may have been lost, a warning when every item was read whole)."""
    for p in problems:
        if p.code == "xml-syntax" and p.source == source:
            p.message = p.message.replace("; recovered what could be read", "")
            p.message = p.message.replace("; repaired: every item was read whole", "")
            p.message += (
                f"; recovery stopped early ({count} item(s) read)"
                if p.severity == "error"
                else f"; recovery succeeded ({count} item(s) read)"
            )


# -- pass 1: raw line scan ----------------------------------------------------------------------


# -- pass 2: per-document checks ------------------------------------------------------------------


def check_document(doc: Document, known: Known | None = None) -> list[Problem]:
    """Checks that need only the document itself."""
    known = known or Known()
    out: list[Problem] = []

    def add(code: str, message: str) -> None:
        out.append(coded(code, message, id=doc.id, source=doc.source, line=doc.line))

    size = len(doc.content.encode("utf-8", "replace"))
    if size > LARGE_ITEM_BYTES:
        add("large-item", f"content is {size:,} bytes (over {LARGE_ITEM_BYTES:,})")
    if doc.slug and doc.type not in _NO_SLUG_TYPES and safe_segment(doc.slug) != doc.slug:
        add(
            "unsafe-slug",
            f"slug {doc.slug!r} is not safe as a file name (would be written as {safe_segment(doc.slug)!r})",
        )
    if doc.content_kind == "stored" and doc.type not in ("attachment", "revision"):
        for name, n in sorted(unknown_shortcodes(doc.content, known.shortcodes).items()):
            add("unknown-shortcode", f"unknown shortcode [{name}] ({n}x): kept verbatim")
        issues: list[str] = []
        names = block_names(parse_blocks(doc.content, issues)) if "<!-- wp:" in doc.content else Counter()
        for issue in issues:
            add("block-parse", issue)
        for name, n in sorted(names.items()):
            if not known.blocks.knows(name):
                add("unknown-block", f"unknown block {name} ({n}x): its inner HTML is kept")
    return out


def collect(doc: Document, state: State, problems: list[Problem]) -> None:
    """Cross-item bookkeeping: duplicates now, references to settle at the end."""

    def problem(code: str, message: str) -> Problem:
        return coded(code, message, id=doc.id, source=doc.source, line=doc.line)

    if doc.id in state.ids:
        first_source, first_line = state.ids[doc.id]
        where = f"{first_source}:{first_line}" if first_line else first_source
        problems.append(problem("duplicate-id", f"item {doc.id} repeats the item at {where} exactly; convert skips it"))
    else:
        state.ids[doc.id] = (doc.source, doc.line)
        state.types[doc.id] = doc.type
    if doc.slug and doc.type not in _NO_SLUG_TYPES and doc.status not in ("trash", "auto-draft", "inherit"):
        parent = doc.parent if doc.type == "page" else ""
        key = (doc.type, parent, doc.slug)
        if key in state.slugs and state.slugs[key] != doc.id:
            problems.append(
                problem("duplicate-slug", f"{doc.type} slug {doc.slug!r} already used by item {state.slugs[key]}")
            )
        else:
            state.slugs.setdefault(key, doc.id)
    if doc.link:
        state.permalinks.add(_norm_path(urlsplit(doc.link).path))
    if doc.author_login:
        state.author_refs.append((doc.author_login, _light(doc)))
    for term in {(t.taxonomy, t.slug): t for t in doc.terms}.values():
        if term.taxonomy == "post_format":
            continue  # WordPress never declares post formats in the channel
        state.term_refs.append(
            (
                term.taxonomy,
                term.slug,
                problem("undeclared-term", f"{term.taxonomy} {term.slug!r} is used but not declared in the channel"),
            )
        )
    for ref in attachment_refs(doc):
        state.attachment_refs.append(
            (ref, problem("missing-attachment", f"attachment {ref} is referenced but not in the export"))
        )
    if doc.content_kind == "stored":
        for url in _HREF_urls(doc.content):
            state.link_refs.append(
                (url, "", problem("broken-internal-link", f"link {url} points at no item in the export"))
            )


def attachment_refs(doc: Document) -> list[str]:
    """Attachment ids the document uses: featured image, gallery ids, image/gallery block ids."""
    refs: list[str] = []
    thumb = doc.meta.get("_thumbnail_id", "").strip()
    if thumb and thumb != "0":
        refs.append(thumb)
    for m in _GALLERY_IDS.finditer(doc.content):
        refs.extend(x.strip() for x in m.group(1).split(",") if x.strip())
    if "<!-- wp:" in doc.content:
        for b in walk(parse_blocks(doc.content)):
            if b.name in ("core/image", "core/gallery", "core/media-text", "core/cover", "core/file"):
                for key in ("id", "mediaId"):
                    if isinstance(b.attrs.get(key), int):
                        refs.append(str(b.attrs[key]))
                if isinstance(b.attrs.get("ids"), list):
                    refs.extend(str(x) for x in b.attrs["ids"] if isinstance(x, (int, str)))
    return list(dict.fromkeys(refs))


def _HREF_urls(content: str) -> list[str]:  # noqa: N802
    return list(dict.fromkeys(m.group(2).strip() for m in _HREF.finditer(content)))


def _host(url: str) -> str:
    host = (urlsplit(url.strip()).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _norm_path(path: str) -> str:
    return unquote(path).rstrip("/").lower() or "/"


def check_site(site: Site, source: str) -> list[Problem]:
    """Channel-level checks of one input: WXR version, base URLs and schemes."""
    out: list[Problem] = []
    version = site.wxr_version.strip()
    if not version:
        out.append(coded("wxr-version-missing", "no wp:wxr_version in the channel", source=source))
    elif version not in KNOWN_WXR_VERSIONS:
        out.append(
            coded(
                "wxr-version-unknown",
                f"WXR version {version!r} is not one of {', '.join(KNOWN_WXR_VERSIONS)}",
                source=source,
            )
        )
    hosts = sorted({_host(u) for u in site.urls if _host(u)})
    if len(hosts) > 1:
        out.append(coded("multiple-base-urls", f"the channel names several hosts: {', '.join(hosts)}", source=source))
    schemes = sorted({urlsplit(u).scheme.lower() for u in site.urls if urlsplit(u).scheme})
    if len(schemes) > 1:
        out.append(
            coded("mixed-scheme", "the channel mixes http and https base URLs: " + ", ".join(site.urls), source=source)
        )
    return out


# -- end of run ---------------------------------------------------------------------------------


def settle(state: State) -> list[Problem]:
    """References that needed the whole site: authors, terms, attachments, internal links."""
    out: list[Problem] = []
    for source in sorted(state.no_author_inputs):
        if not state.authors:
            out.append(
                coded(
                    "undeclared-author",
                    "the export declares no authors (wp:author); items name them only by login",
                    source=source,
                )
            )
    if state.authors:
        for login, doc in state.author_refs:
            if login not in state.authors:
                out.append(
                    coded(
                        "undeclared-author",
                        f"author {login!r} is not declared in the channel",
                        id=doc.id,
                        source=doc.source,
                        line=doc.line,
                    )
                )
    declared_names = {slug for _, slug in state.terms}
    for taxonomy, slug, problem in state.term_refs:
        if (taxonomy, slug) not in state.terms and not (taxonomy == "category" and slug in declared_names):
            out.append(problem)
    attachments = {i for i, t in state.types.items() if t == "attachment"}
    for ref, problem in state.attachment_refs:
        if ref not in attachments:
            out.append(problem)
    out.extend(_settle_links(state))
    return out


def _settle_links(state: State) -> list[Problem]:
    if not state.hosts:
        return []
    out: list[Problem] = []
    for url, _, problem in state.link_refs:
        if not internal_link_ok(url, state):
            out.append(problem)
    return out


def internal_link_ok(url: str, state: State) -> bool:
    """False only for a link to the site itself that names no item of the export."""
    if url.startswith("//"):
        url = "http:" + url
    parts = urlsplit(url)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return True
    if parts.scheme:
        if _host(url) not in state.hosts:
            return True
    elif not url.startswith("/"):
        return True  # relative or fragment-only: not checkable against permalinks
    m = _QUERY_ID.search(parts.query)
    if m:
        return m.group(2) in state.ids
    path = _norm_path(parts.path)
    if path == "/" or path in state.permalinks:
        return True
    first = path.strip("/").split("/")[0]
    if first in _NON_ITEM_PREFIXES or re.fullmatch(r"/\d{4}(/\d{2}(/\d{2})?)?(/page/\d+)?", path):
        return True
    if re.search(r"\.[a-z0-9]{2,4}$", path):
        return True  # a file (image, PDF, ...), not a permalink
    # the permalink of a comment page or a paged post: /slug/2, /slug/comment-page-1
    trimmed = re.sub(r"/(\d+|comment-page-\d+|amp|feed|embed)$", "", path)
    return trimmed in state.permalinks
