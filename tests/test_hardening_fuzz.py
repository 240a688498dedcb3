"""Property tests on every transform and brief fuzzing of the readers (the long run is
``tests/fuzz.py``, see docs/security.md).  Small example counts keep ``make test`` fast."""

from __future__ import annotations

import io
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import fuzz_targets as ft
from migrator.model import Document, Site, Term
from migrator.options import Options
from migrator.plan.layout import layout_path, safe_relpath
from migrator.output.writer import resolve_inside
from migrator.render.frontmatter import dump_yaml, front_matter
from migrator.render.markdown import render_markdown
from migrator.sources.xmlsafe import CleanStream
from migrator.transforms.blocks import parse_blocks
from migrator.transforms.context import Context
from migrator.plan.site_urls import relative_path
from migrator.transforms.shortcodes import do_shortcodes
from migrator.transforms.wpautop import wpautop

from conftest import md_html

FAST = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))

words = st.from_regex(r"[A-Za-z][a-z0-9]{2,9}", fullmatch=True)
word_lists = st.lists(words, min_size=1, max_size=25)


def _words_of(html: str) -> list[str]:
    return re.findall(r"[A-Za-z][a-z0-9]{2,9}", BeautifulSoup(html, "html.parser").get_text(" "))


# -- transforms ---------------------------------------------------------------------------------


@FAST
@given(
    word_lists,
    st.lists(
        st.sampled_from([" ", "\n", "\n\n", " <b>", "</b> ", "<br>", "\n\n<ul><li>", "</li></ul>\n\n"]),
        min_size=25,
        max_size=25,
    ),
)
def test_wpautop_loses_no_text(ws: list[str], seps: list[str]) -> None:
    text = "".join(w + s for w, s in zip(ws, seps))
    assert _words_of(wpautop(text)) == _words_of(text)


@FAST
@given(
    st.lists(
        st.one_of(words, st.sampled_from(["[", "]", "[/", " ", "=", '"', "[notashortcode]", "[x y=1]"])), max_size=30
    ).map("".join)
)
def test_unknown_shortcodes_and_brackets_stay_verbatim(text: str) -> None:
    assume_no_registered = not re.search(
        r"\[/?(caption|wp_caption|gallery|playlist|audio|video|embed|code|sourcecode|source)\b", text
    )
    if assume_no_registered:
        assert do_shortcodes(text, Context(doc=Document(id="1"))) == text


@FAST
@given(st.text(max_size=200))
def test_parse_blocks_never_raises_and_keeps_freeform_text(text: str) -> None:
    blocks = parse_blocks(text)
    if "<!--" not in text:
        assert "".join(b.inner_html for b in blocks) == text


@FAST
@given(ft.html_fragments)
def test_cleaning_and_rendering_leave_nothing_executable(content: str) -> None:
    ft.fuzz_render(content)


@FAST
@given(word_lists)
def test_rendering_loses_no_text(ws: list[str]) -> None:
    html = "".join(f"<p>{w} <em>{w}</em></p>" if i % 3 == 0 else f"<p>{w}</p>" for i, w in enumerate(ws))
    assert _words_of(md_html(render_markdown(html))) == _words_of(html)


segment = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)


@FAST
@given(st.lists(segment, min_size=1, max_size=4), st.lists(segment, min_size=1, max_size=4))
def test_relative_references_resolve_back(target: list[str], source: list[str]) -> None:
    tgt = safe_relpath("/".join(target) + ".md")
    src = safe_relpath("/".join(source) + ".md")
    rel = unquote(relative_path(tgt, src))
    assert posixpath.normpath(posixpath.join(posixpath.dirname(src), rel)) == tgt


@FAST
@given(
    st.text(max_size=300),
    st.sampled_from(
        [
            "{type}s/{slug}.md",
            "{year}/{month}/{slug}/index.md",
            "{slug}",
            "../{slug}.md",
            "/abs/{slug}.md",
            "C:\\{slug}.md",
        ]
    ),
)
def test_file_names_stay_inside_and_are_portable(slug: str, layout: str) -> None:
    doc = Document(id="7", slug=slug, type="post")
    rel = layout_path(layout, doc, slug)
    parts = rel.split("/")
    assert rel and not rel.startswith("/") and ".." not in parts and "" not in parts
    assert all(len(p.encode()) <= 124 and not re.search(r'[\x00-\x1f<>:"\\|?*]', p) for p in parts)
    resolve_inside(Path("/tmp/migrator-out-never-written"), rel)  # never raises UnsafePath


@FAST
@given(
    st.text(max_size=80),
    st.lists(st.text(min_size=1, max_size=20), max_size=4),
    st.lists(st.text(min_size=1, max_size=20), max_size=4),
)
def test_front_matter_round_trips_title_and_terms(title: str, cats: list[str], tags: list[str]) -> None:
    doc = Document(
        id="1",
        title=title,
        status="publish",
        terms=[Term("category", f"c{i}", c) for i, c in enumerate(cats)]
        + [Term("post_tag", f"t{i}", t) for i, t in enumerate(tags)],
    )
    text = dump_yaml(front_matter(doc, slug="s"))
    data = yaml.safe_load(text.split("---\n", 2)[1])
    assert data.get("title", "") == title
    assert data.get("categories", []) == cats and data.get("tags", []) == tags


@FAST
@given(st.lists(st.sampled_from(ft.TOKENS + [b"x", b"\n", b"text "]), max_size=40).map(b"".join))
def test_clean_stream_keeps_lines(data: bytes) -> None:
    data = data.replace(b"\r", b"")
    for repair in (False, True):
        out = CleanStream(io.BytesIO(b"<rss>" + data), "x", [], repair=repair).read()
        assert out.count(b"\n") == data.count(b"\n")


# -- fuzz targets (briefly; tests/fuzz.py runs them for minutes) --------------------------------


@FUZZ
@given(ft.mutated(ft.WXR_SEEDS))
def test_fuzz_wxr_reader(data: bytes) -> None:
    ft.fuzz_wxr(data)


@FUZZ
@given(ft.mutated(ft.HTML_SEEDS))
def test_fuzz_html_reader(data: bytes) -> None:
    ft.fuzz_html(data)


@FUZZ
@given(ft.mutated(ft.TEXT_SEEDS))
def test_fuzz_text_reader(data: bytes) -> None:
    ft.fuzz_text(data)


@FUZZ
@given(ft.encoded_exports)
def test_fuzz_encodings(case: tuple) -> None:
    ft.fuzz_encoding(case)


@FUZZ
@given(ft.layout_cases)
def test_fuzz_layouts(case: tuple) -> None:
    ft.fuzz_layout(case)


@FUZZ
@given(ft.nestings)
# found by this test on 2026-12-02: a list inside <sup> inside a list item put <sup> alone on its
# line, opening a raw HTML block in which the escaped text ``\<script>`` was a tag again
@example((["<ul><li>", "<sup>"], 3, False, "&lt;script&gt;"))
@example((["<sup>"], 1, True, "<ul><li>&lt;script&gt;x&lt;/script&gt;</li></ul>"))
def test_fuzz_nesting(case: tuple) -> None:
    ft.fuzz_nesting(case)


_HOSTILE = "&lt;script&gt;alert(1)&lt;/script&gt;"
_BLOCKS = [
    f"<ul><li>{_HOSTILE}</li></ul>",
    f"<p>{_HOSTILE}</p>",
    f"<blockquote><p>{_HOSTILE}</p></blockquote>",
    f"<pre>{_HOSTILE}</pre>",
    f"<pre><code>{_HOSTILE}</code></pre>",
    f"<table><tr><td>{_HOSTILE}</td></tr></table>",
    f"<h2>{_HOSTILE}</h2>",
    f"<p>a<br>{_HOSTILE}</p>",
    f"<details><summary>{_HOSTILE}</summary><p>{_HOSTILE}</p></details>",
    f"<dl><dt>{_HOSTILE}</dt><dd>{_HOSTILE}</dd></dl>",
    f"<code>{_HOSTILE}</code>",
]
_WRAPPERS = [
    "{}",
    "<details><summary>s</summary>{}</details>",
    "<sup>{}</sup>",
    "<span>{}</span>",
    "<figure>{}<figcaption>c</figcaption></figure>",
    "<a href='/x'>{}</a>",
    "<strong>{}</strong>",
    "<em>{}</em>",
    "<del>{}</del>",
    "<q>{}</q>",
    "<dl><dt>t</dt><dd>{}</dd></dl>",
    "<code>{}</code>",
    "<kbd>{}</kbd>",
    "<h3>{}</h3>",
]


@pytest.mark.parametrize("outer", ["{}", "<ul><li>{}</li></ul>", "<blockquote>{}</blockquote>"])
def test_every_block_in_every_inline_wrapper_renders_inert(outer: str) -> None:
    """Escaped markup in every block inside every wrapper (rendered HTML, no WordPress filter
    moving blocks out first): nothing executable once a CommonMark renderer reads the Markdown.
    Three ways out were found so (a tag alone on its line opening a raw HTML block, a fence that
    did not start its line, a code span across lines)."""
    for wrapper in _WRAPPERS:
        for block in _BLOCKS:
            ft.assert_inert(render_markdown(outer.format(wrapper.format(block))))


@pytest.mark.parametrize(
    "html",
    [
        "<kbd><p>a<br>&lt;script&gt;alert(1)&lt;/script&gt;</p></kbd>",
        "<ul><li><kbd><pre>&lt;script&gt;alert(1)&lt;/script&gt;</pre></kbd></li></ul>",
        "<samp>a\n&lt;script&gt;alert(1)&lt;/script&gt;</samp>",
    ],
)
def test_keyboard_span_across_lines_stays_code(html: str) -> None:
    """A code span written across lines: a line of it starting with ``<script`` began an HTML
    block, even inside a paragraph. Its line endings are written as the spaces they render as."""
    for style in ("markdown", "html"):
        markdown = render_markdown(html, style)
        ft.assert_inert(markdown)
        assert "<script>alert(1)</script>" in markdown and "\n" not in markdown.strip()


@pytest.mark.parametrize("wrapper", ["<a href='/x'>", "<strong>", "<em>", "<sup>", "<ul><li><a href='/x'>"])
def test_code_block_inside_a_link_or_emphasis_stays_code(wrapper: str) -> None:
    """Rendered HTML (a scraped page: no wpautop moves the block out) with a <pre> inside a link
    or emphasis: its fence did not start a line, so the code was read as Markdown and raw HTML,
    and ``&lt;script&gt;`` was a tag again. It is written as HTML on one line instead."""
    html = f"{wrapper}<pre>&lt;script&gt;alert(1)&lt;/script&gt;\nline 2</pre>"
    for style in ("markdown", "html"):
        markdown = render_markdown(html, style)
        ft.assert_inert(markdown)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&#10;line 2" in markdown


def test_fuzz_seeds_exist() -> None:
    assert len(ft.WXR_SEEDS) > 10 and ft.HTML_SEEDS and ft.TEXT_SEEDS


def test_options_default_is_safe() -> None:
    assert Options().include_private_data is False and Options().include_private is False
    assert Site().authors == {}


def test_security_doc_points_at_real_tests() -> None:
    """Every test named in docs/security.md exists (the promises stay backed)."""
    root = Path(__file__).resolve().parent.parent
    doc = (root / "docs" / "security.md").read_text(encoding="utf-8")
    refs = set(re.findall(r"`(tests/(?:\w+/)*test_\w+\.py)::(\w+)`", doc))
    assert len(refs) >= 30
    for path, name in sorted(refs):
        source = (root / path).read_text(encoding="utf-8")
        assert re.search(rf"^def {name}\(", source, re.M), f"{path}::{name}"
