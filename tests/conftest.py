"""Shared test fixtures: the third-party corpus beside the repository, and Markdown rendering."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture
def corpus() -> Path:
    """``../shared/corpus`` (real third-party data); the test is skipped when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus not present")
    return CORPUS


def md_html(markdown: str) -> str:
    """Render Markdown the way a CommonMark site generator would (tables enabled)."""
    return MarkdownIt("commonmark").enable("table").render(markdown)


def split_front_matter(text: str) -> tuple[str, str]:
    """Return (yaml, body) of a produced Markdown file."""
    assert text.startswith("---\n"), text[:80]
    end = text.index("\n---\n", 3)
    return text[4:end + 1], text[end + 5:]
