"""Saved site folders (wget / HTTrack / "Save page as"): each post once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from ...model import Document, Problem, Site
from ...urls import urlsplit
from .dom import clean_url as _clean_url
from .dom import norm_url as _norm_url
from .page import decode as _decode
from .page import extract_page


def _mirror_pages(directory: Path) -> list[Path]:
    pages = [p for p in directory.rglob("*") if p.is_file() and p.suffix.lower() in {".html", ".htm"}]
    return sorted(pages, key=lambda p: p.relative_to(directory).as_posix())


def _local_image(ref: str, page: Path, directory: Path) -> str:
    """Path (relative to the mirror, posix) of the file a page's image reference points at."""
    ref = _clean_url(ref)
    if not ref or ref.startswith("data:"):
        return ""
    parts = urlsplit(ref)
    candidates: list[Path] = []
    path = unquote(parts.path)
    if not parts.scheme and not parts.netloc:
        if path.startswith("/"):
            candidates.append(directory / path.lstrip("/"))
        else:
            candidates.append(page.parent / path)
            if parts.query:
                candidates.append(page.parent / f"{path}?{parts.query}")
    else:
        rel = path.lstrip("/")
        for base in (directory / parts.netloc, directory):
            if parts.query:
                candidates.append(base / f"{rel}?{parts.query}")
            candidates.append(base / rel)
    root = directory.resolve()
    for cand in candidates:
        try:
            resolved = cand.resolve()
            if resolved.is_file() and resolved.is_relative_to(root):
                return resolved.relative_to(root).as_posix()
        except (OSError, ValueError):
            continue
    return ""


def read_mirror(directory: Path, site: Site, problems: list[Problem]) -> Iterator[Document]:
    """Yield each post of a saved site folder once.

    A post's single page wins over its excerpts on index pages; index pages contribute only
    posts that have no single page (matched on permalink, else title).
    """
    directory = Path(directory)
    singles: list[tuple[Document, list[str], Path]] = []
    listed: list[tuple[Document, list[str], Path]] = []
    for page in _mirror_pages(directory):
        try:
            text = _decode(page.read_bytes())
        except OSError as exc:
            problems.append(Problem("error", "html-unreadable", f"cannot read file: {exc}", source=str(page)))
            continue
        result = extract_page(text, str(page), site, problems)
        bucket = listed if result.kind == "index" else singles
        for doc in result.documents:
            bucket.append((doc, result.image_refs.get(doc.id, []), page))

    chosen: list[tuple[Document, list[str], Path]] = []
    by_link: dict[str, int] = {}
    by_title: dict[str, int] = {}

    def keys(doc: Document) -> tuple[str, str]:
        return (_norm_url(doc.link) if doc.link else "", doc.title.strip().lower())

    def remember(entry, link: str, title: str) -> None:
        chosen.append(entry)
        if link:
            by_link[link] = len(chosen) - 1
        if title:
            by_title.setdefault(title, len(chosen) - 1)

    for entry in singles:
        link, title = keys(entry[0])
        if link and link in by_link:
            continue
        if not link and title and title in by_title:
            continue
        remember(entry, link, title)
    single_count = len(chosen)
    for entry in listed:
        link, title = keys(entry[0])
        hit = by_link.get(link) if link else None
        if hit is None and title and title in by_title:
            hit = by_title[title]
        if hit is not None:
            if hit >= single_count and chosen[hit][0].extra.get("partial") and not entry[0].extra.get("partial"):
                chosen[hit] = entry  # a fuller excerpt of a post without a single page
            continue
        remember(entry, link, title)

    for doc, refs, page in chosen:
        local: list[str] = []
        for ref in refs:
            found = _local_image(ref, page, directory)
            if found and found not in local:
                local.append(found)
        if local:
            doc.extra["images_local"] = local
        yield doc
