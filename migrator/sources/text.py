"""Plain-text scrapes: text copied off a rendered WordPress page, theme chrome included."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..model import Document, Problem, Site


def read_text(path: Path, site: Site, problems: list[Problem]) -> Iterator[Document]:
    """Yield one document per post found in the scrape (content_kind="rendered" HTML)."""
    return iter(())
