"""The renderer's fast paths (issue 20) give what the plain way of writing them gives: each
is checked against a plain oracle here, on random strings of the characters that matter.

The renderer as a whole is checked against the renderer of an earlier commit by
``python -m tests.render.differential --against COMMIT`` (documents byte for byte)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from migrator.render.escaping import _escape_underscores, escape_inline
from migrator.render.inline import _edges
from migrator.render.markdown import _join_collapsing_newlines, normalise

# characters the fast paths look at, and some they do not
chars = st.text(alphabet="ab _*`[]<>&#~\\\n\t\r\f\v\u00a0!\x00-=.:1", max_size=24)


def _escape_oracle(text: str) -> str:
    text = _escape_underscores(text.replace("\\", "\\\\"))
    text = re.sub(r"([`*\[\]])", r"\\\1", text)
    text = re.sub(r"<(?=[A-Za-z/!?])", r"\\<", text)
    text = re.sub(r"&(?=#?\w+;)", r"\\&", text)
    return re.sub(r"~(?=~)", r"\\~", text)


@settings(max_examples=400)
@given(chars)
def test_escape_inline_matches_regular_expressions(text: str) -> None:
    assert escape_inline(text) == _escape_oracle(text)


def _join_oracle(strings: list[str]) -> str:
    out: list[str] = []
    trailing = ""
    for text in strings:
        content = text.strip("\n")
        lead = len(text) - len(text.lstrip("\n"))
        leading = text[:lead]
        if trailing and leading:
            leading = "\n" * min(2, max(len(trailing), len(leading)))
            trailing = ""
        out += [trailing, leading, content]
        trailing = text[lead + len(content) :]
    return "".join(out) + trailing


@settings(max_examples=400)
@given(st.lists(st.text(alphabet="a\n ", min_size=1, max_size=7), max_size=6))
def test_join_collapsing_newlines_matches_plain_join(strings: list[str]) -> None:
    assert _join_collapsing_newlines(strings) == _join_oracle(strings)


@settings(max_examples=300)
@given(st.text(alphabet="a \x00*\n", max_size=10))
def test_emphasis_edges_match_regular_expression(text: str) -> None:
    m = re.match(r"([ \x00]*)(.*?)([ \x00]*)\Z", text, re.S)
    assert m is not None and _edges(text) == m.groups()


def _normalise_oracle(text: str) -> str:
    out: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = line.rstrip()
        if not line and out and not out[-1]:
            continue
        out.append(line)
    result = "\n".join(out).strip("\n")
    return result + "\n" if result else ""


@settings(max_examples=400)
@given(st.text(alphabet="ab \t\n\r\u00a0\u2028\x1c`~", max_size=30))
def test_normalise_without_fences_trims_lines_and_joins_blank_lines(text: str) -> None:
    if "```" in text or "~~~" in text:
        return  # fences: the line-by-line way (test_render_markdown)
    assert normalise(text) == _normalise_oracle(text)


# A figure's content, from parts that do and do not leave the one-image shortcut possible.
_FIGURE_PARTS = [
    '<img src="a.png" alt="A">',
    '<a href="https://x.example/"><img src="b.png"></a>',
    "<figcaption>Cap <em>tion</em> *</figcaption>",
    "<figcaption></figcaption>",
    "words",
    "<p>para</p>",
    "<span> </span>",
    '<iframe src="https://maps.example/e"></iframe>',
    "<table><tr><td>a</td></tr></table>",
    "<svg><title>t</title></svg>",
    "<ol reversed><li>x</li></ol>",
    "<figure><img src='c.png'></figure>",
    "<!-- c -->",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_FIGURE_PARTS), max_size=4),
    st.sampled_from(["markdown", "html", "hugo"]),
    st.sampled_from(["", "<h2>{}</h2>", "<td>{}</td>", "<li>{}</li>"]),
)
def test_a_figure_written_as_its_image_alone_is_what_converting_its_content_first_gave(
    parts: list[str], style: str, around: str
) -> None:
    """The renderer skips converting the content of a figure it writes as its one image; with
    the shortcut off (content converted first, as before), Markdown and warnings are the same."""
    from migrator.render import markdown as M

    html = "<figure>" + "".join(parts) + "</figure>"
    html = around.format(html) if around else html
    fast_warnings: list = []
    fast = M.render_markdown("<p>x</p>" + html, style, fast_warnings)
    shortcut = M.one_image_only
    M.one_image_only = lambda fig: False
    try:
        slow_warnings: list = []
        slow = M.render_markdown("<p>x</p>" + html, style, slow_warnings)
    finally:
        M.one_image_only = shortcut
    assert fast == slow
    assert fast_warnings == slow_warnings


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 9), st.integers(0, 3), st.integers(2, 5))
def test_survey_looks_for_deep_markup_in_every_document_that_can_hold_it(
    depth: int, siblings: int, max_depth: int
) -> None:
    """survey skips its search for elements too deep in a document of too few nodes to hold one;
    the flattening is what searching every document gives."""
    from lxml import etree

    from migrator.htmltree import parse_html
    from migrator.render.nodes import _at_depth, _flatten, has_child_tag, survey

    html = "<i></i>" * siblings + "<div>" * depth + "<b>x</b>" + "</div>" * depth
    fast = parse_html(html).find("body")
    found = survey(fast, max_depth)
    slow = parse_html(html).find("body")
    flattened = 0
    for deep in _at_depth(max_depth)(slow):
        if has_child_tag(deep):
            _flatten(deep)
            flattened += 1
    assert found.flattened == flattened
    assert etree.tostring(fast) == etree.tostring(slow)
    assert found.nodes == list(fast.iter())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["body", "head", "div", "p"]), min_size=1, max_size=4), st.integers(0, 3))
def test_the_body_rendered_is_the_first_in_document_order(children: list[str], nested: int) -> None:
    """_first_body takes ``<html>``'s ``<body>`` child at once, unless a ``<body>`` is nested in
    a child before it: the first of ``iter("body")`` either way."""
    from lxml import etree

    from migrator.render.markdown import _first_body

    html = etree.Element("html")
    for i, name in enumerate(children):
        child = etree.SubElement(html, name)
        if i < nested:
            etree.SubElement(etree.SubElement(child, "span"), "body")
    expected = next(html.iter("body"), None)
    assert _first_body(html) is expected
