"""The lxml renderer writes, for every document of the fixtures and of the corpus, the Markdown
and the warnings the BeautifulSoup renderer wrote for the same tree (see ``differential.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES

from . import differential

FIXTURE_INPUTS = [
    "sample-export.xml",
    "wxr10.xml",
    "blocks",
    "hostile",
    "bad",
    "split",
    "validate",
    "html",
    "text",
    "live/single.html",
]
STYLES = [("markdown", "link"), ("html", "html"), ("hugo", "link")]


@pytest.fixture(scope="module")
def old_renderer(tmp_path_factory):
    if differential.old_package(tmp_path_factory.mktemp("bs4")) is None:
        pytest.skip(f"git history with {differential.BS4_COMMIT} not available")


def _check(paths: list[Path], styles) -> int:
    compared = 0
    differences = []
    for path in paths:
        for figure_style, embed_style in styles:
            for outcome in differential.compare(path, figure_style, embed_style):
                compared += 1
                if not outcome.same:
                    differences.append(f"{outcome.source} {outcome.doc_id} {figure_style}: {outcome.error}")
    assert differences == []
    return compared


def test_fixtures_render_as_before(old_renderer) -> None:
    assert _check([FIXTURES / name for name in FIXTURE_INPUTS], STYLES) > 150


def test_corpus_renders_as_before(old_renderer, corpus) -> None:
    exports = sorted((corpus / "wxr").rglob("*.xml"))
    pages = sorted({p.parent for p in (corpus / "html").rglob("*.html")})
    themes = sorted(p for p in (corpus / "themes").iterdir() if p.is_dir())
    realwp = Path("/root/.cache/realwp/export.xml")
    inputs = exports + pages + themes + ([realwp] if realwp.is_file() else [])
    assert _check(inputs, STYLES[:1]) > 500
