"""The renderer on lxml trees: what it accepts, its view of text runs, raw HTML as before."""

from __future__ import annotations

import lxml.html
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from migrator.render.html import sanitize_html
from migrator.htmltree import parse_html as parse
from migrator.render.markdown import render_markdown
from migrator.render.nodes import Text, children, get_text, next_sibling, parent_of, prev_sibling

from . import differential


def test_render_takes_strings_documents_bodies_and_plain_trees() -> None:
    html = "<p>One <b>two</b></p><!--more--><ul><li>three</li></ul>"
    expected = "One **two**\n\n<!--more-->\n\n- three\n"
    assert render_markdown(html) == expected
    assert render_markdown(lxml.html.document_fromstring(html)) == expected
    assert render_markdown(lxml.html.document_fromstring(html).find("body")) == expected
    assert render_markdown(etree.fromstring(html, etree.HTMLParser())) == expected  # plain elements
    assert render_markdown(parse(html)) == expected


@pytest.mark.parametrize(
    "markup, text",
    [
        ("<p>a<!--c-->b<b>x</b>y<?pi x?></p>t", "abxyt"),
        ("", ""),
        ("<!--only a comment-->", ""),
        ("<div>" * 2100 + "deep<!--c--> words", "deep words"),  # built from the parser's events
    ],
)
def test_the_tree_is_plain_lxml_elements_and_text_of_is_lxml_htmls(markup: str, text: str) -> None:
    """parse_html's tree (each way it is built) holds plain lxml objects, made in C: no element
    class of ``lxml.html`` (its class lookup is a Python call per object); the text of an
    element is what ``lxml.html``'s ``text_content()`` gave."""
    from migrator.htmltree import text_of

    root = parse(markup)
    kinds = {type(node) for node in root.iter()}
    assert kinds <= {etree._Element, etree._Comment, etree._ProcessingInstruction}, kinds
    assert etree._Element in kinds
    body = root.find("body")
    assert text_of(body) == text
    if len(markup) < 100:
        assert text == lxml.html.document_fromstring("<html><body>" + markup).find("body").text_content()
    assert type(text_of(body)) is str


def test_empty_and_comment_only_documents() -> None:
    assert render_markdown("") == ""
    assert render_markdown("  \n ") == ""
    assert render_markdown("<!DOCTYPE html>") == ""
    assert render_markdown(lxml.html.document_fromstring("<html><body></body></html>")) == ""
    assert render_markdown("<!--more-->") == "<!--more-->\n"
    assert render_markdown("<!--nextpage-->") == "<!--nextpage-->\n"


def test_text_runs_are_nodes_between_elements_and_comments() -> None:
    p = parse("<p>a<b>b</b><!--c-->d</p>").find(".//p")
    nodes = children(p)
    assert [n.value if isinstance(n, Text) else n.tag for n in nodes] == ["a", "b", etree.Comment, "d"]
    first, bold, comment, last = nodes
    assert prev_sibling(first) is None and next_sibling(first) is bold
    assert prev_sibling(bold).value == "a" and next_sibling(bold) is comment
    assert prev_sibling(last) is comment and next_sibling(last) is None
    assert parent_of(first) is p and parent_of(last) is p and parent_of(bold) is p
    assert get_text(p) == "abd"  # no comments


def test_text_of_scripts_styles_and_ruby_annotations_is_not_the_pages() -> None:
    body = parse("<p>a<script>x()</script><ruby>b<rt>bee</rt></ruby><style>p{}</style>c</p>").find(".//p")
    assert get_text(body) == "abc"
    assert get_text(body.find(".//script")) == "x()"


def test_the_tree_is_whole_again_after_a_details_is_rendered() -> None:
    root = parse("<details open>\n<summary>More</summary> after\n<p>text</p></details>")
    md = render_markdown(root)
    assert md == "<details open>\n<summary>More</summary>\n\nafter\n\ntext\n\n</details>\n"
    details = root.find(".//details")
    assert details[0].tag == "summary" and details[0].tail == " after\n"


def test_whitespace_between_elements_of_a_code_span_is_one_space() -> None:
    assert render_markdown("<p><code><span>a</span>\n   <span>b</span></code></p>") == "`a b`\n"


def test_markup_nested_past_lxmls_tree_builder_limit_is_kept() -> None:
    """lxml's own tree builder drops what is nested deeper than 1,024 levels; the parse here
    keeps it (and the renderer flattens it, every word kept)."""
    md = render_markdown("<div>" * 3000 + "<p>deepest words</p>" + "</div>" * 3000)
    assert md == "deepest words\n"


SNIPPETS = [
    '<div class=" a  b\tc " id="x" title=\'say "hi"\' data-x="1">t &amp; &lt;u&gt;</div>',
    """<p title="it's &quot;q&quot;">x</p>""",
    '<iframe src="https://v.example/e" allowfullscreen height="3" width="4"></iframe>',
    '<table><tr><td headers=" h1   h2 " colspan="2">a<br>b<img src="i.png" alt="A"></td></tr></table>',
    '<div><script>alert(1)</script>kept<form><input name="q">in form</form> after</div>',
    '<div><a href="javascript:alert(1)" onclick="x()">link</a><!-- note --></div>',
    '<div><object data="m.swf"><embed src="m.swf">inside embed</object>tail</div>',
    "<svg viewBox='0 0 1 1'><circle r='1'/></svg>",
    "<dl>\n\n<dt>term</dt>\n\n\n<dd>def</dd></dl>",
    "<table>\n    <tr>\n\t<td>a</td>  </tr>\n</table>",
    "<div>\n  <pre>  keep\n\n    this  </pre>\n  <textarea>\n\n  x </textarea>\n</div>",
]


@pytest.mark.parametrize("snippet", SNIPPETS)
def test_raw_html_is_written_as_beautifulsoup_wrote_it(snippet: str, tmp_path) -> None:
    if differential.old_package(tmp_path) is None:
        pytest.skip("git history not available")
    old_sanitize = differential._mod("render.html").sanitize_html
    old = old_sanitize(BeautifulSoup(snippet, "lxml").body.contents[0])
    new = sanitize_html(parse(snippet).find("body")[0])
    assert new == old


def test_two_page_breaks_alone_in_a_paragraph_are_one() -> None:
    """The BeautifulSoup renderer failed here (the paragraph replaced twice)."""
    assert render_markdown("<p><!--more--><!--more--></p><p>x</p>") == "<!--more-->\n\nx\n"
