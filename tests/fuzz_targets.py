"""Fuzz targets over the WXR, HTML and text readers and the HTML->Markdown path.

Each target is a plain function of hypothesis-drawn data; ``tests/test_hardening_fuzz.py``
runs them briefly in ``make test`` and ``tests/fuzz.py`` runs them for minutes (see
docs/security.md).  Inputs are seed fixtures mutated by hypothesis (insertions of XML/HTML
tokens, hostile bytes, deletions, duplications, truncation), so the readers see broken but
realistic files rather than random noise.

Properties: no exception escapes (only the documented NotAnExport for a non-export), every
example finishes in bounded time, and what comes out is text.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bs4 import BeautifulSoup
from hypothesis import strategies as st

from migrator.model import Document, Problem, Site
from migrator.sources.html import read_html
from migrator.sources.text import read_text
from migrator.sources.wxr import NotAnExport, read_wxr

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MAX_SECONDS = 10.0  # per example; a hang is a failure

WXR_SEEDS = sorted([*FIXTURES.glob("*.xml"), *FIXTURES.glob("split/*.xml"), *FIXTURES.glob("validate/*.xml"),
                    *FIXTURES.glob("hostile/*.xml"), *FIXTURES.glob("bad/*.xml")])
HTML_SEEDS = sorted(FIXTURES.glob("html/*.html"))
TEXT_SEEDS = sorted(FIXTURES.glob("text/*.txt"))

TOKENS = [
    b"<", b">", b"&", b"&amp;", b"&nbsp;", b"&#0;", b"&#x110000;", b"&undefined;", b"]]>", b"<![CDATA[",
    b"]]]]><![CDATA[>", b"<item>", b"</item>", b"</channel>", b"</rss>", b"<!--", b"-->", b"<?xml version='1.0'?>",
    b'<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>', b"&b;",
    b'<!DOCTYPE x SYSTEM "http://127.0.0.1:1/x.dtd">', b"\x00", b"\x0b", b"\x1c", b"\xff\xfe", b"\xef\xbb\xbf",
    b"\xc3", b"\xc3\x83\xc2\xa9", b"\xed\xa0\x80", b"\r\n", b"\r", b"\n", b"<wp:post_id>1</wp:post_id>",
    b"<wp:post_type>attachment</wp:post_type>", b"<script>x()</script>", b'<a href="javascript:x()">',
    b"<p>", b"</p>", b"<table><tr><td>", b"[caption]", b"[/caption]", b"[gallery ids=\"1,2\"]",
    b"<!-- wp:paragraph -->", b"<!-- /wp:paragraph -->", b"<!-- wp:image {\"id\":", b"\xe2\x80\x8b",
    b"Posted on", b"Tagged", b"\xf0\x9f\x98\x80", b"../../", b"%2e%2e%2f", b"http://[bad/", b"href=\"http://[::1\"",
]

_mutation = st.one_of(
    st.tuples(st.just("insert"), st.floats(0, 1), st.one_of(st.sampled_from(TOKENS), st.binary(max_size=16))),
    st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 400)),
    st.tuples(st.just("duplicate"), st.floats(0, 1), st.integers(1, 400)),
    st.tuples(st.just("truncate"), st.floats(0, 1), st.just(0)),
)


def mutated(seeds: list[Path]) -> st.SearchStrategy[bytes]:
    """A seed file with up to 8 mutations applied."""
    return st.builds(_apply, st.sampled_from(seeds), st.lists(_mutation, max_size=8))


def _apply(seed: Path, mutations: list) -> bytes:
    data = bytearray(seed.read_bytes())
    for op, where, arg in mutations:
        pos = int(where * len(data))
        if op == "insert":
            data[pos:pos] = arg
        elif op == "delete":
            del data[pos:pos + arg]
        elif op == "duplicate":
            data[pos:pos] = data[pos:pos + arg]
        else:
            del data[pos:]
    return bytes(data)


def _check_docs(docs: list[Document], problems: list[Problem]) -> None:
    for doc in docs:
        assert isinstance(doc.id, str) and doc.id
        assert isinstance(doc.title, str) and isinstance(doc.content, str)
    for p in problems:
        assert p.severity in ("error", "warning", "info") and p.code


def _run(reader, data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("input" + suffix)
        path.write_bytes(data)
        problems: list[Problem] = []
        start = time.monotonic()
        try:
            docs = list(reader(path, Site(), problems))
        except NotAnExport:
            docs = []
        assert time.monotonic() - start < MAX_SECONDS, "reader took too long"
        _check_docs(docs, problems)


def fuzz_wxr(data: bytes) -> None:
    _run(read_wxr, data, ".xml")


def fuzz_html(data: bytes) -> None:
    _run(read_html, data, ".html")


def fuzz_text(data: bytes) -> None:
    _run(read_text, data, ".txt")


HTML_BITS = ["<p>", "</p>", "<b>", "</b>", "<a href='javascript:x()'>", "<a href='https://e.example/'>", "</a>",
             "<script>x()</script>", "<style>p{}</style>", "<img src=x onerror=x()>", "<table><tr><td>", "</td></tr></table>",
             "<ul><li>", "</li></ul>", "<pre><code>", "</code></pre>", "<blockquote>", "</blockquote>", "<br>",
             "[caption id='attachment_1']", "[/caption]", "<!-- wp:paragraph -->", "<!-- /wp:paragraph -->",
             "\n\n", "*", "_", "`", "#", "|", "[", "]", "(", ")", "&lt;script&gt;", "<details><summary>s</summary>",
             "</details>", "<iframe src='javascript:x()'></iframe>", "<svg><script>x()</script></svg>",
             "<a href='http://[bad/'>", "<img src='http://[::1'>", "<a href='http://a:99999/'>", "<img src=' java\tscript:x()'>",
             "<iframe data-src='javascript:x()'></iframe>", "<img srcset='javascript:x() 1x'>", "<base href='javascript:x()//'>",
             "<a href='https://pier.example.com/?p=1'>", "<img src='https://pier.example.com/wp-content/uploads/a.jpg'>"]

html_fragments = st.lists(st.one_of(st.sampled_from(HTML_BITS), st.text(max_size=12)), max_size=30).map("".join)


def fuzz_render(content: str) -> None:
    """Stored content through every transform and the renderer: no crash, nothing executable."""
    from migrator.plan.index import SiteIndex
    from migrator.options import Options
    from migrator.pipeline import convert_document

    doc = Document(id="1", title="t", content=content, content_kind="stored", status="publish")
    start = time.monotonic()
    rendered = convert_document(doc, SiteIndex(site=Site()), Options())
    assert time.monotonic() - start < MAX_SECONDS
    assert_inert(rendered.body)


def assert_inert(markdown: str) -> None:
    """Rendered as a site generator would (raw HTML allowed), nothing executable remains."""
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(markdown)
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all(["script", "style", "base", "meta", "link", "object", "embed", "applet", "form"]), html
    for tag in soup.find_all(True):
        for attr, value in tag.attrs.items():
            assert not attr.lower().startswith("on"), html
            value = " ".join(value) if isinstance(value, list) else str(value)
            squeezed = "".join(ch for ch in value if ch > " ").lower()
            assert not squeezed.startswith(("javascript:", "vbscript:", "data:text/html")), html
