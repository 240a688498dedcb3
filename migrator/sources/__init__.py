"""Input readers.  Each turns one input into a stream of :class:`~migrator.model.Document`.

``detect`` decides which reader an input needs by looking at its content; ``read_inputs``
chains the readers over several inputs (a split export is one site).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from os import PathLike
from pathlib import Path

from ..model import Document, Problem, Site
from ..options import Options
from ..slugs import clean_slug
from .html import read_html, read_mirror
from .ids import distinct_ids
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
    """Return ``wxr``, ``html``, ``text``, ``mirror`` or ``url`` for ``path``, or raise InputError."""
    if isinstance(path, LiveSite):
        return "url"
    if not path.exists():
        raise InputError(str(path), "no such file or directory")
    if path.is_dir():
        return "mirror"
    try:
        head = _head(path)
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror or exc})") from None
    if not head.strip():
        raise InputError(str(path), "the file is empty")
    if forced:
        return forced
    codec, _, _ = sniff_encoding(head)
    if b"\x00" in head and not codec.startswith("utf-16"):
        raise InputError(str(path), "binary data, not a WordPress export, HTML page or text")
    text = head.decode(codec if codec.startswith("utf-16") else "utf-8", errors="replace")
    text = text.lstrip("\ufeff \t\r\n").lower()
    if text.startswith(("<?xml", "<rss", "<!--", "<!doctype rss")):
        if re.search(r"<(!doctype\s+)?html", text[:2000]) and "<rss" not in text:
            return "html"
        if "<rss" in text or "wordpress.org/export" in text or re.search(r"<!doctype\s+rss\b", text):
            return "wxr"
        raise InputError(str(path), "XML, but not a WordPress export (no <rss> root)")
    if text.startswith("<!doctype html") or text.startswith("<html") or re.match(r"<(head|body|meta)\b", text):
        return "html"
    if path.suffix.lower() in (".xml", ".gz", ".wxr"):
        raise InputError(str(path), "not XML: expected a WordPress export (WXR)")
    if path.suffix.lower() in (".html", ".htm"):
        return "html"
    return "text"


def expand(paths: list[Path | LiveSite]) -> list[Path | LiveSite]:
    """A folder of exports (a split export saved together) stands for its ``.xml``/``.xml.gz``
    files, in name order; any other folder stays a saved site."""
    out: list[Path | LiveSite] = []
    for path in paths:
        if isinstance(path, Path) and path.is_dir() and not any(path.rglob("*.htm*")):
            exports = sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith((".xml", ".xml.gz")))
            if exports:
                out.extend(exports)
                continue
        out.append(path)
    return out


def read_inputs(
    paths: list[Path | LiveSite], site: Site, problems: list[Problem], forced: str | None = None
) -> Iterator[Document]:
    """Yield the documents of every input, in the order given; fill ``site`` as they are read.

    Raises InputError (before yielding anything for that input) when an input is unreadable.
    Different items that share an id get distinct ids (:mod:`migrator.sources.ids`); every
    slug is one safe name (:func:`migrator.slugs.clean_slug`, ``unsafe-slug`` when changed).
    """
    return distinct_ids(_safe_slugs(_read_each(paths, site, problems, forced), problems), problems)


def _safe_slugs(docs: Iterator[Document], problems: list[Problem]) -> Iterator[Document]:
    for doc in docs:
        if doc.slug:
            clean = clean_slug(doc.slug)
            if clean != doc.slug:
                problems.append(Problem("warning", "unsafe-slug", f"slug {doc.slug!r} is not one safe name; "
                                        f"used as {clean!r}" if clean else f"slug {doc.slug!r} is not one safe "
                                        "name; the title makes the file name", id=doc.id, source=doc.source,
                                        line=doc.line))
                doc.slug = clean
        yield doc


def _read_each(
    paths: list[Path | LiveSite], site: Site, problems: list[Problem], forced: str | None = None
) -> Iterator[Document]:
    for path in paths:
        kind = detect(path, forced)
        if kind == "url":
            try:
                yield from path.read(site, problems)
            except SiteUnreachable as exc:
                raise InputError(exc.url, exc.message) from None
        elif kind == "wxr":
            try:
                yield from read_wxr(path, site, problems)
            except NotAnExport as exc:
                raise InputError(str(path), f"not a WordPress export: {exc}") from None
        elif kind == "html":
            yield from read_html(path, site, problems)
        elif kind == "mirror":
            yield from read_mirror(path, site, problems)
        else:
            yield from read_text(path, site, problems)
