"""Input readers.  Each turns one input into a stream of :class:`~migrator.model.Document`.

:data:`READERS` is the one table of input formats: ``detect`` decides which reader an input
needs by asking the table (by content, then by file name); ``read_inputs`` chains the readers
over several inputs (a split export is one site); the CLI's ``--from`` offers :data:`FORMATS`.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

from ..codes import problem as coded
from ..model import Document, Problem, Site
from ..options import Options
from ..slugs import clean_slug
from . import progress
from .html import is_page_file, read_html, read_mirror
from .ids import IdsRead, distinct_ids
from .live import LiveSite, SiteUnreachable, is_url
from .text import read_text
from .wxr import NotAnExport, read_wxr
from .xmlsafe import sniff_encoding


class InputError(Exception):
    """An input cannot be read at all (missing, empty, not an export)."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def _head(path: Path, size: int = 8192) -> bytes:
    if path.suffix == ".gz":
        with gzip.open(path, "rb") as fh:
            return fh.read(size)
    with open(path, "rb") as fh:
        return fh.read(size)


def source_input(value: str | PathLike, options: Options | None = None, progress=None) -> Path | LiveSite:
    """An input as given on the command line: a URL becomes a :class:`LiveSite`, else a Path."""
    if is_url(value):
        return LiveSite(str(value), options, progress, forced=options.source_format if options else None)
    return Path(value)


def detect(path: Path | LiveSite, forced: str | None = None) -> str:
    """Return the name of the reader ``path`` needs (a key of :data:`READERS`), or raise InputError.

    ``forced`` (one of :data:`FORMATS`) overrides what a file's content says."""
    if isinstance(path, LiveSite):
        return _taking("url").name
    if not path.exists():
        raise InputError(str(path), "no such file or directory")
    if path.is_dir():
        return _taking("folder").name
    try:
        head = _head(path)
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror or exc})") from None
    if not head.strip():
        raise InputError(str(path), "the file is empty")
    if forced:
        if forced not in FORMATS:
            raise InputError(str(path), f"unknown input format {forced!r} (choose from {', '.join(FORMATS)})")
        return forced
    codec, _, _ = sniff_encoding(head)
    if b"\x00" in head and not codec.startswith("utf-16"):
        raise InputError(str(path), "binary data, not a WordPress export, HTML page or text")
    text = head.decode(codec if codec.startswith("utf-16") else "utf-8", errors="replace")
    text = text.lstrip("\ufeff \t\r\n").lower()
    files = [r for r in READERS.values() if r.takes == "file"]
    for reader in files:
        if reader.sniff is not None and reader.sniff(text):
            return reader.name
    if _is_xml(text):
        raise InputError(str(path), "XML, but not a WordPress export (no <rss> root)")
    suffix = path.suffix.lower()
    for reader in files:
        if suffix in reader.suffixes:
            if reader.needs_content:
                raise InputError(str(path), reader.needs_content)
            return reader.name
    return next(r.name for r in files if r.sniff is None and not r.suffixes)  # the fallback


def expand(paths: list[Path | LiveSite], problems: list[Problem] | None = None) -> list[Path | LiveSite]:
    """A folder without pages stands for the inputs in it, in name order: a folder of exports
    (a split export saved together) for its ``.xml``, ``.xml.gz`` and ``.wxr`` files, else a
    folder of text copies for its ``.txt`` files.  Every other file in it is reported to
    ``problems`` (``input-ignored``); any other folder stays a saved site."""
    out: list[Path | LiveSite] = []
    for path in paths:
        found = _inputs_in(path) if isinstance(path, Path) and path.is_dir() else None
        if found is None:
            out.append(path)
            continue
        inputs, others, what = found
        out.extend(inputs)
        if problems is not None:
            problems.extend(ignored_file(p, what) for p in others)
    return out


def _inputs_in(folder: Path) -> tuple[list[Path], list[Path], str] | None:
    """(the inputs a folder without pages stands for, its other files, why those are not read),
    or None: a saved site (it holds pages, or none of the inputs :func:`expand` looks for)."""
    if any(folder.rglob("*.htm*")):
        return None
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    for suffixes, what in _FOLDERS_OF_INPUTS:
        inputs = [p for p in files if p.name.lower().endswith(suffixes)]
        if inputs:
            return inputs, [p for p in files if not p.name.lower().endswith(suffixes)], what
    return None


#: What a folder without pages is read for (the first kind of file it holds), and why the rest
#: is not: a README beside split exports is not a text copy.
_FOLDERS_OF_INPUTS = (
    ((".xml", ".xml.gz", ".wxr"), "a folder of exports is read for its .xml, .xml.gz and .wxr files"),
    ((".txt",), "a folder of text copies is read for its .txt files"),
)


#: Files of a saved site that are the pages' assets, not content.
ASSET_SUFFIXES = frozenset(
    {
        ".css",
        ".js",
        ".mjs",
        ".map",
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
        ".eot",
        ".ico",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".svg",
        ".webp",
        ".avif",
        ".bmp",
        ".tif",
        ".tiff",
    }
)


def ignored_file(path: Path, why: str) -> Problem:
    """``input-ignored`` for a file of a folder input that is not read, saying what it is and how
    to read it; ``asset-ignored`` for a page asset (stylesheet, script, font, image)."""
    if path.suffix.lower() in ASSET_SUFFIXES:
        return coded(
            "asset-ignored", f"a page asset (stylesheet, script, font or image), not content; {why}", source=str(path)
        )
    try:
        kind = detect(path)
    except InputError as exc:
        return coded("input-ignored", f"not read: {exc.message}; {why}", source=str(path))
    what = {"wxr": "XML (a WordPress export or a feed)", "html": "an HTML page", "text": "text"}.get(kind, kind)
    return coded(
        "input-ignored",
        f"{what}, not read: {why}; to read it, give it as an input of its own (`migrator convert {path.name} ...`)",
        source=str(path),
    )


def _read_folder(directory: Path, site: Site, problems: list[Problem]) -> Iterator[Document]:
    """A saved site: its pages (:func:`read_mirror`); every other file is reported, with why."""
    for path in sorted(p for p in Path(directory).rglob("*") if p.is_file()):
        rel = path.relative_to(directory).as_posix()
        if is_page_file(path) or "wp-content/uploads/" in f"/{rel}":
            continue  # pages are read; uploads are the site's media (copied where referenced)
        problems.append(ignored_file(path, "a saved site folder is read for its .html pages"))
    yield from read_mirror(directory, site, problems)


def estimate_items(paths: list[Path | LiveSite]) -> int | None:
    """About how many items pass 1 will read (for a progress bar's total and ETA): the ``<item``
    tags of uncompressed exports, counted in the raw bytes; None when an input is of another kind."""
    total = 0
    for path in paths:
        if not isinstance(path, Path) or not path.is_file() or path.suffix == ".gz":
            return None
        try:
            if detect(path) != "wxr":
                return None
            with open(path, "rb") as fh:
                tail = b""
                while chunk := fh.read(1 << 20):
                    data = tail + chunk
                    total += data.count(b"<item>") + data.count(b"<item ") + data.count(b"<item\n")
                    tail = data[-6:]  # a tag cut by the chunk boundary is counted in the next round
                    total -= tail.count(b"<item>") + tail.count(b"<item ") + tail.count(b"<item\n")
        except (OSError, InputError):
            return None
    return total


def read_inputs(
    paths: Sequence[Path | LiveSite],
    site: Site,
    problems: list[Problem],
    forced: str | None = None,
    seen: IdsRead | None = None,
) -> Iterator[Document]:
    """Yield the documents of every input, in the order given; fill ``site`` as they are read.

    Raises InputError (before yielding anything for that input) when an input is unreadable.
    Different items that share an id get distinct ids (:mod:`migrator.sources.ids`; ``seen``
    carries the ids of earlier calls, for inputs of one site read one call each); every slug is
    one safe name (:func:`migrator.slugs.clean_slug`, ``unsafe-slug`` when changed).
    """
    return distinct_ids(safe_slugs(_read_each(paths, site, problems, forced), problems), problems, seen=seen)


def safe_slugs(docs: Iterator[Document], problems: list[Problem]) -> Iterator[Document]:
    """``docs`` with every slug one safe name (``unsafe-slug`` when one is changed)."""
    for doc in docs:
        if doc.slug:
            clean = clean_slug(doc.slug)
            if clean != doc.slug:
                problems.append(
                    Problem(
                        "warning",
                        "unsafe-slug",
                        f"slug {doc.slug!r} is not one safe name; used as {clean!r}"
                        if clean
                        else f"slug {doc.slug!r} is not one safe name; the title makes the file name",
                        id=doc.id,
                        source=doc.source,
                        line=doc.line,
                    )
                )
                doc.slug = clean
        yield doc


def _read_each(
    paths: Sequence[Path | LiveSite], site: Site, problems: list[Problem], forced: str | None = None
) -> Iterator[Document]:
    for n, path in enumerate(paths):
        progress.begin(n)  # pass 1's progress display: input n is read from here on
        yield from READERS[detect(path, forced)].read(path, site, problems)


# ---------------------------------------------------------------------------- the readers


@dataclass(frozen=True)
class Reader:
    """One input format: how an input is recognised, and the function that reads it."""

    name: str
    #: ``read(input, site, problems)`` yields the input's documents and fills ``site``; raises
    #: InputError (before yielding anything) when the input cannot be read at all
    read: Callable[[Any, Site, list[Problem]], Iterator[Document]]
    #: ``file`` (recognised by content; may be forced with ``--from``), ``folder`` (a saved site)
    #: or ``url`` (a live site)
    takes: str = "file"
    #: True when the start of a file (decoded, lower-cased, leading blanks stripped) is this
    #: format; None: the fallback for files no reader recognises
    sniff: Callable[[str], bool] | None = None
    #: file name suffixes meaning this format when no reader recognised the content
    suffixes: tuple[str, ...] = ()
    #: with ``suffixes``: the content must be recognised; the error when it was not
    needs_content: str = ""


def _is_xml(text: str) -> bool:
    return text.startswith(("<?xml", "<rss", "<!--", "<!doctype rss"))


def _is_xhtml(text: str) -> bool:
    """An XML declaration (or comment) in front of an HTML page."""
    return _is_xml(text) and bool(re.search(r"<(!doctype\s+)?html", text[:2000])) and "<rss" not in text


def looks_like_wxr(text: str) -> bool:
    return (
        _is_xml(text)
        and not _is_xhtml(text)
        and ("<rss" in text or "wordpress.org/export" in text or bool(re.search(r"<!doctype\s+rss\b", text)))
    )


def looks_like_html(text: str) -> bool:
    return (
        text.startswith(("<!doctype html", "<html")) or bool(re.match(r"<(head|body|meta)\b", text)) or _is_xhtml(text)
    )


def _read_live(site_input: LiveSite, site: Site, problems: list[Problem]) -> Iterator[Document]:
    try:
        yield from site_input.read(site, problems)
    except SiteUnreachable as exc:
        raise InputError(exc.url, exc.message) from None


def _read_wxr(path: Path, site: Site, problems: list[Problem]) -> Iterator[Document]:
    try:
        yield from read_wxr(path, site, problems)
    except NotAnExport as exc:
        raise InputError(str(path), f"not a WordPress export: {exc}") from None


#: Every input format, by name.  Adding one: its reader module and one row here.
READERS: dict[str, Reader] = {
    r.name: r
    for r in (
        Reader(
            "wxr",
            _read_wxr,
            sniff=looks_like_wxr,
            suffixes=(".xml", ".gz", ".wxr"),
            needs_content="not XML: expected a WordPress export (WXR)",
        ),
        Reader("html", read_html, sniff=looks_like_html, suffixes=(".html", ".htm")),
        Reader("text", read_text),
        Reader("mirror", _read_folder, takes="folder"),
        Reader("url", _read_live, takes="url"),
    )
}
#: The formats ``--from`` may force (files).
FORMATS: tuple[str, ...] = tuple(name for name, r in READERS.items() if r.takes == "file")


def _taking(kind: str) -> Reader:
    return next(r for r in READERS.values() if r.takes == kind)
