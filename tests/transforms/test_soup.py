"""The fast tree builder (``migrator.transforms.tree``) builds exactly BeautifulSoup's tree.

Compared with ``shape``: every node, its class, and every attribute of it (links between nodes
as positions), on real content (fixtures, the corpus), on random markup, and on the markup the
fast builder hands back to BeautifulSoup.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrator.model import Site
from migrator.sources import InputError, read_inputs
from migrator.transforms import tree
from migrator.transforms.wpautop import wpautop

from conftest import FIXTURES


def same_tree(html: str) -> None:
    fast, slow = tree.parse_html(html), tree._bs4_parse(html)
    assert tree.shape(fast) == tree.shape(slow), html[:300]


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
    soup = tree.parse_html("<p class='a b'>x <b>y</b></p><pre>  </pre>")
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
    html = "".join(pieces)
    try:
        slow = tree.shape(tree._bs4_parse(html))
    except Exception as exc:  # noqa: BLE001 - then parse_html must fail the same way
        with pytest.raises(type(exc)):
            tree.parse_html(html)
        return
    assert tree.shape(tree.parse_html(html)) == slow


def test_markup_left_to_beautifulsoup():
    html = "<!DOCTYPE html><p>x</p>"
    with pytest.raises(tree._Unsupported):
        tree._fast_parse(html)
    same_tree(html)


def test_a_beautifulsoup_that_builds_differently_is_used_as_it_is(monkeypatch):
    monkeypatch.setattr(tree, "_fast_ok", None)
    monkeypatch.setattr(tree, "_fast_parse", lambda html: tree._bs4_parse("<p>something else</p>"))
    assert tree.parse_html("<p>x</p>").get_text() == "x"
    assert tree._fast_ok is False


@pytest.mark.parametrize("event", ["start", "data", "end", "comment"])
def test_ctrl_c_during_a_parse_is_never_lost(monkeypatch, event):
    """A KeyboardInterrupt (or SIGTERM's SystemExit) raised in any parser event reaches the
    caller: lxml closes the target on the way out, and that must not replace the exception."""
    html = "<p>one <b>two</b> <!--c--> three</p><ul><li>four<li>five</ul><pre> six </pre>" * 3
    original = getattr(tree._TreeTarget, event)
    calls = {"n": 0}

    def counted(self, *args):
        calls["n"] += 1
        if calls["n"] == calls.get("stop"):
            raise KeyboardInterrupt
        return original(self, *args)

    # lxml reads the target's signature: keep start's two arguments
    wrapper = (lambda self, name, attrib: counted(self, name, attrib)) if event == "start" else counted
    monkeypatch.setattr(tree._TreeTarget, event, wrapper)
    tree.parse_html(html)
    total = calls["n"]
    assert total > 2
    for stop in range(1, total + 1):
        calls.update(n=0, stop=stop)
        with pytest.raises(KeyboardInterrupt):
            tree.parse_html(html)
