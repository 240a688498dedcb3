"""Property (issue 17): for random HTML of paragraphs, nested and adjacent lists (tight and
loose), tables, code and inline markup, markdown-it-py's rendering of migrator's Markdown is the
input HTML, after normalisation (whitespace HTML ignores, attribute order, a code block's final
line end)."""

from __future__ import annotations

import re
from html import escape

from bs4 import BeautifulSoup, NavigableString, Tag
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import md_html
from migrator.render.markdown import render_markdown

_BLOCKS = {"p", "ul", "ol", "li", "blockquote", "pre", "h2", "table", "thead", "tbody", "tr", "td", "th"}
_WS = re.compile(r"[ \t\n\r\f]+")

# words with the characters Markdown reads as syntax, inside and at the edges of words
word = st.text(alphabet="abcxyz019_*`[]<>&!#-+.\\~", min_size=1, max_size=6).filter(lambda w: w.strip())
words = st.lists(word, min_size=1, max_size=5).map(" ".join)


def text() -> st.SearchStrategy[str]:
    return words.map(lambda t: escape(t, quote=False))


def inline() -> st.SearchStrategy[str]:
    leaf = st.one_of(
        text(),
        text().map(lambda t: f"<em>{t}</em>"),
        text().map(lambda t: f"<strong>{t}</strong>"),
        words.map(lambda t: f"<code>{escape(t, quote=False)}</code>"),
        text().map(lambda t: f'<a href="https://example.org/{len(t)}">{t}</a>'),
    )
    return st.lists(leaf, min_size=1, max_size=4).map(" ".join)


def lists(depth: int) -> st.SearchStrategy[str]:
    item = (
        inline()
        if depth == 0
        else st.one_of(inline(), st.tuples(inline(), lists(depth - 1)).map(lambda p: p[0] + p[1]))
    )
    tight = st.lists(item, min_size=1, max_size=3).map(lambda xs: "".join(f"<li>{x}</li>" for x in xs))
    loose = st.lists(inline(), min_size=2, max_size=3).map(lambda xs: "".join(f"<li><p>{x}</p></li>" for x in xs))
    kind = st.sampled_from(["ul", "ol"])
    return st.tuples(kind, st.one_of(tight, loose)).map(lambda p: f"<{p[0]}>{p[1]}</{p[0]}>")


def table() -> st.SearchStrategy[str]:
    def build(width: int, rows: list[list[str]]) -> str:
        head = "".join(f"<th>{c}</th>" for c in rows[0][:width])
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r[:width]) + "</tr>" for r in rows[1:])
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    cell = inline()
    return st.integers(1, 3).flatmap(
        lambda w: st.lists(st.lists(cell, min_size=w, max_size=w), min_size=2, max_size=3).map(
            lambda rows: build(w, rows)
        )
    )


code_text = st.text(alphabet="ab_*`<&\n ", min_size=0, max_size=20)
block = st.one_of(
    inline().map(lambda t: f"<p>{t}</p>"),
    lists(2),
    table(),
    code_text.map(lambda c: f"<pre><code>{escape(c, quote=False)}</code></pre>"),
    inline().map(lambda t: f"<h2>{t}</h2>"),
    inline().map(lambda t: f"<blockquote><p>{t}</p></blockquote>"),
)
document = st.lists(block, min_size=1, max_size=5).map("\n".join)


def canonical(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    out: list[str] = []
    _serialise(soup, out, False)
    # a code block's last line end is not shown (a fenced block always has one)
    return "".join(out).strip().replace("\n</code></pre>", "</code></pre>")


def _serialise(node: Tag, out: list[str], in_pre: bool) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            text = str(child)
            if not in_pre:
                text = _WS.sub(" ", text)
                prev, nxt = child.previous_sibling, child.next_sibling
                if (prev is None and node.name in _BLOCKS) or (isinstance(prev, Tag) and prev.name in _BLOCKS):
                    text = text.lstrip(" ")
                if (nxt is None and node.name in _BLOCKS) or (isinstance(nxt, Tag) and nxt.name in _BLOCKS):
                    text = text.rstrip(" ")
            out.append(escape(text, quote=False))
            continue
        attrs = "".join(f' {k}="{escape(str(v))}"' for k, v in sorted(child.attrs.items()))
        out.append(f"<{child.name}{attrs}>")
        _serialise(child, out, in_pre or child.name == "pre")
        out.append(f"</{child.name}>")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document)
def test_markdown_renders_back_to_the_html(html: str) -> None:
    markdown = render_markdown(html)
    assert canonical(md_html(markdown)) == canonical(html), markdown
