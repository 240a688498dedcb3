"""The renderer's BeautifulSoup tree made from the lxml tree (``migrator.transforms.soup``) is
exactly the tree ``BeautifulSoup(html, "lxml")`` builds from the same markup.

Compared with ``shape``: every node, its class, and every attribute of it (links between nodes
as positions), on real content (fixtures, the corpus) and on random markup.  What the lxml tree
leaves out on purpose (a doctype, characters XML refuses, documents of comments only) is taken
out of the markup BeautifulSoup reads first.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrator.model import Site
from migrator.render.markdown import render_markdown
from migrator.sources import InputError, read_inputs
import re

from migrator import htmltree
from migrator.transforms import soup as tree
from migrator.transforms.wpautop import wpautop

from conftest import FIXTURES


_DOCTYPE = re.compile(r"^\s*<!DOCTYPE[^>]*>\s*", re.I)


def comparable(html: str) -> str | None:
    """``html`` without what the lxml tree leaves out on purpose; None for markup of comments
    and spaces only (the lxml tree gives it an empty body, BeautifulSoup no element)."""
    html = htmltree._NOT_XML.sub(lambda m: " " if m.group() == "\x0c" else "", html)
    html = _DOCTYPE.sub("", html)
    if html.rstrip().endswith("</html>"):
        html = html.rstrip()  # spaces after the document: outside any element
    if not re.sub(r"<!--.*?(?:-->|$)", "", html, flags=re.S).strip():
        return None
    return html


#: HTML 4's boolean attributes: written bare (``<td nowrap>``), libxml2's tree gives them their
#: own name as value (``nowrap="nowrap"``, the same attribute), its parser events an empty one.
BOOLEAN = frozenset(
    "checked compact declare defer disabled ismap multiple nohref noresize noshade nowrap readonly selected".split()
)


def loose(shape: list) -> list:
    """A tree's shape with boolean attributes written as their name read as bare."""
    out = []
    for name, fields in shape:
        fields = [
            (key, (value[0], [(k, t, "" if k in BOOLEAN and v == k else v) for k, t, v in value[1]]))
            if key == "attrs"
            else (key, value)
            for key, value in fields
        ]
        out.append((name, fields))
    return out


def same_tree(html: str) -> None:
    expected = comparable(html)
    if expected is None:
        return
    fast, slow = tree.to_soup(htmltree.parse_html(html)), tree._bs4_parse(expected)
    if slow.body is None or "<!doctype" in expected.lower():
        # markup libxml2 makes no document of (</p> alone), a doctype inside the content (the
        # tree has none, BeautifulSoup a node the renderer skips): the same Markdown
        assert render_markdown(fast) == render_markdown(slow), html[:300]
        return
    # the body: spaces and comments around a whole page's <html> differ, and nothing reads them
    assert loose(tree.shape(fast.body)) == loose(tree.shape(slow.body)), html[:300]


def contents(paths: list[Path], limit: int = 100_000) -> list[str]:
    """Every item's stored content in these exports (and its excerpt), up to ``limit`` texts."""
    texts: list[str] = []
    for path in paths:
        try:
            for doc in read_inputs([path], Site(), [], None):
                texts += [t for t in (doc.content, doc.excerpt) if t]
                if len(texts) >= limit:
                    return texts
        except InputError:
            continue  # the fixtures of unreadable input
    return texts


def test_fast_builder_is_used_with_the_installed_beautifulsoup(monkeypatch):
    assert tree._fast_builder_ok()

    def refuse(html):
        raise AssertionError("fell back to BeautifulSoup")

    monkeypatch.setattr(tree, "_bs4_parse", refuse)
    soup = tree.to_soup(htmltree.parse_html("<p class='a b'>x <b>y</b></p><pre>  </pre>"))
    assert soup.p["class"] == ["a", "b"] and soup.pre.string == "  "


def test_same_tree_on_every_fixture():
    exports = sorted(p for p in FIXTURES.rglob("*.xml"))
    texts = contents(exports)
    texts += [p.read_text("utf-8", "replace") for p in sorted(FIXTURES.rglob("*.htm*"))]
    assert len(texts) > 100
    for html in texts:
        same_tree(html)
        same_tree(wpautop(html))  # what a classic post looks like when it is parsed


def test_same_tree_on_the_corpus(corpus):
    texts = contents(sorted((corpus / "wxr").rglob("*.xml")), limit=3000)
    texts += [p.read_text("utf-8", "replace") for p in sorted((corpus / "html").rglob("*.htm*"))[:200]]
    assert texts
    for html in texts:
        same_tree(html)


PIECES = [
    "<p>",
    "</p>",
    "<pre>",
    "</pre>",
    "<b class='a  b'>",
    "</b>",
    "<textarea>",
    "</textarea>",
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<template>",
    "</template>",
    "<ruby>",
    "<rt>",
    "</rt>",
    "<rp>",
    "<!-- c -->",
    "<!---->",
    "<!--",
    "-->",
    " ",
    "\n",
    "\t",
    "\r",
    "\x0c",
    "  \n ",
    "text",
    "é",
    "&amp;",
    "&nbsp;",
    "&bogus;",
    "&#0;",
    "\x00",
    "<",
    ">",
    "&",
    "<br>",
    "<br/>",
    "<img src=x alt=''>",
    "<table>",
    "<tr>",
    "<td headers='a b'>",
    "</td>",
    "</table>",
    "<li>",
    "<ul>",
    "</ul>",
    "<!DOCTYPE html>",
    "<?php echo 1 ?>",
    "<![CDATA[x]]>",
    "<svg xmlns='http://www.w3.org/2000/svg'><rect/></svg>",
    "<a href='x' rel='nofollow noopener'>",
    "</a>",
    "<html>",
    "<body>",
    "<head>",
    "<meta charset='utf-8'>",
    "<meta http-equiv='Content-Type' content='text/html; charset=latin-1'>",
    "<p xml:lang='en'>",
    "<x:y z:w='1'>",
    "</x:y>",
    "<div>",
    "</div>",
    "</body>",
    "\ufeff",
    "</html>",
    "<input>",
    "<select><option>",
    "<noscript>",
    "<title>",
    "\u2028",
    "😀",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_same_tree_on_random_markup(pieces):
    same_tree("".join(pieces))


def test_a_doctype_is_left_out():
    assert tree.shape(tree.to_soup(htmltree.parse_html("<!DOCTYPE html><p>x</p>"))) == tree.shape(
        tree._bs4_parse("<p>x</p>")
    )


def test_a_beautifulsoup_that_builds_differently_is_used_as_it_is(monkeypatch):
    monkeypatch.setattr(tree, "_fast_ok", None)
    monkeypatch.setattr(tree, "_fast_soup", lambda root: tree._bs4_parse("<p>something else</p>"))
    assert tree.to_soup(htmltree.parse_html("<p>x</p>")).get_text() == "x"
    assert tree._fast_ok is False


@pytest.mark.parametrize("event", ["start", "data", "end", "comment"])
def test_ctrl_c_while_the_tree_is_built_is_never_lost(monkeypatch, event):
    """A KeyboardInterrupt (or SIGTERM's SystemExit) raised while the tree is built reaches the
    caller (no fallback swallows it)."""
    root = htmltree.parse_html("<p>one <b>two</b> <!--c--> three</p><ul><li>four<li>five</ul><pre> six </pre>" * 3)
    original = getattr(tree._TreeTarget, event)
    calls = {"n": 0}

    def counted(self, *args):
        calls["n"] += 1
        if calls["n"] == calls.get("stop"):
            raise KeyboardInterrupt
        return original(self, *args)

    monkeypatch.setattr(tree._TreeTarget, event, counted)
    tree.to_soup(root)
    total = calls["n"]
    assert total > 2
    for stop in range(1, total + 1):
        calls.update(n=0, stop=stop)
        with pytest.raises(KeyboardInterrupt):
            tree.to_soup(root)
