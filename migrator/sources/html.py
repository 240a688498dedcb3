"""Saved HTML pages of WordPress sites: single posts and index/archive pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..model import Document, Problem, Site


def read_html(path: Path, site: Site, problems: list[Problem]) -> Iterator[Document]:
    """Yield one document per post found on the page (content_kind="rendered" HTML)."""
    return iter(())


def read_mirror(directory: Path, site: Site, problems: list[Problem]) -> Iterator[Document]:
    """Yield each post of a saved site or mirror once (placeholder)."""
    return iter(())
