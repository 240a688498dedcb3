"""The Markdown renderer, checked by rendering its output back with markdown-it-py."""

from __future__ import annotations

from bs4 import BeautifulSoup

from conftest import md_html
from migrator.render.markdown import render_markdown


def roundtrip(html: str, **kw) -> tuple[str, BeautifulSoup]:
    md = render_markdown(html, **kw)
    return md, BeautifulSoup(md_html(md), "html.parser")


def test_literal_markdown_characters_stay_literal() -> None:
    src = "<p>Use *stars*, snake_case, _under_, [brackets], a `tick`, &lt;div&gt; and &amp;copy; 2 &lt; 3</p>"
    md, out = roundtrip(src)
    assert out.get_text().strip() == BeautifulSoup(src, "html.parser").get_text()
    assert out.find("em") is None and out.find("code") is None and out.find("a") is None
    assert "snake_case" in md  # intraword underscores need no escape


def test_line_starts_that_would_become_blocks_are_escaped() -> None:
    src = "<p>- not a list<br>2015. not a numbered item<br># not a heading<br>&gt; not a quote</p><p>===</p>"
    md, out = roundtrip(src)
    assert out.find(["ul", "ol", "h1", "blockquote", "h2"]) is None
    assert out.find("p").get_text().split("\n")[:4] == [
        "- not a list",
        "2015. not a numbered item",
        "# not a heading",
        "> not a quote",
    ]
    assert md.count("\\\n") == 3  # hard breaks, no trailing spaces
    assert all(line == line.rstrip() for line in md.splitlines())


def test_nested_lists_three_deep_and_mixed() -> None:
    src = (
        "<ul><li>a<ul><li>b<ol><li>c</li><li>d</li></ol></li></ul></li><li>e</li></ul>"
        "<ol start='9'><li>nine</li><li>ten<ul><li>x</li></ul></li></ol>"
    )
    md, out = roundtrip(src)
    ul = out.find("ul")
    assert [li.find(string=True).strip() for li in ul.find_all("li", recursive=False)] == ["a", "e"]
    inner = ul.find("li").find("ul")
    assert inner.find("li").find("ol").find_all("li")[1].get_text() == "d"
    ol = out.find_all("ol")[-1]
    assert ol.get("start") == "9" and ol.find("ul").find("li").get_text() == "x"
    assert "\n    - b" in md and "\n        1. c" in md  # 4-space nesting for Python-Markdown too


def test_pre_is_verbatim_with_language() -> None:
    code = 'def f():\n\n    return "<x>" & ```'
    src = f'<pre class="wp-block-code language-python"><code>{code.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")}</code></pre>'
    md, out = roundtrip(src)
    block = out.find("code")
    assert block.get_text() == code + "\n"
    assert "language-python" in block["class"]


def test_inline_code_with_backticks() -> None:
    md, out = roundtrip("<p>Run <code>a`b</code> now</p>")
    assert out.find("code").get_text() == "a`b"


def test_links_titles_images_in_links() -> None:
    src = (
        '<p><a href="https://e.org/x_(y)" title=\'Say "hi"\'>link</a> and '
        '<a href="/big.jpg"><img src="/small.jpg" alt="A [b]"></a> and <a href="https://e.org">https://e.org</a></p>'
    )
    md, out = roundtrip(src)
    links = out.find_all("a")
    assert links[0]["href"] == "https://e.org/x_(y)" and links[0]["title"] == 'Say "hi"'
    assert links[1]["href"] == "/big.jpg" and links[1].img["src"] == "/small.jpg" and links[1].img["alt"] == "A [b]"
    assert links[2]["href"] == "https://e.org"


def test_simple_table_and_complex_table() -> None:
    src = (
        "<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td><b>x|y</b></td><td>z</td></tr></tbody></table>"
        "<table><tr><td rowspan='2'>span</td><td>1</td></tr><tr><td>2</td></tr></table>"
    )
    md, out = roundtrip(src)
    tables = out.find_all("table")
    assert len(tables) == 2
    assert [th.get_text() for th in tables[0].find_all("th")] == ["A", "B"]
    assert tables[0].find("td").find("strong").get_text() == "x|y"
    assert tables[1].find("td")["rowspan"] == "2"


def test_figure_styles() -> None:
    src = '<figure class="wp-caption"><a href="/full.jpg"><img src="/a.jpg" alt="Boat"></a><figcaption>A <em>red</em> boat</figcaption></figure>'
    md, out = roundtrip(src)
    assert out.find("a")["href"] == "/full.jpg" and out.find("img")["alt"] == "Boat"
    assert out.find_all("p")[1].get_text() == "A red boat"
    html_md = render_markdown(src, figure_style="html")
    assert html_md.startswith("<figure>") and "<figcaption>" in html_md
    hugo = render_markdown(src, figure_style="hugo")
    assert hugo.strip() == '{{< figure src="/a.jpg" alt="Boat" caption="A red boat" link="/full.jpg" >}}'


def test_more_comment_kept_and_blank_paragraphs_dropped() -> None:
    md, _ = roundtrip("<p>Intro</p><!--more--><p>&nbsp;</p><p>Rest</p>")
    assert md == "Intro\n\n<!--more-->\n\nRest\n"


def test_sup_sub_and_entities() -> None:
    md, out = roundtrip("<p>E=mc<sup>2</sup>, H<sub>2</sub>O, caf&eacute;&nbsp;noir</p>")
    assert out.find("sup").get_text() == "2" and out.find("sub").get_text() == "2"
    assert "café\u00a0noir" in out.get_text()


def test_heading_ending_in_hash() -> None:
    md, out = roundtrip("<h2>Learning C#</h2>")
    assert out.find("h2").get_text() == "Learning C#"


def test_output_is_normalised() -> None:
    md = render_markdown("<p>a</p>\n\n\n<p>b  </p><ul><li>c</li></ul>")
    assert md == "a\n\nb\n\n- c\n"


def test_whitespace_around_inline_elements() -> None:
    md, out = roundtrip("<p>a<strong> bold </strong>b <em>em</em>c<a href='/x'> link </a>d</p>")
    assert out.get_text() == "a bold b emc link d\n"
    assert out.find("strong").get_text() == "bold" and out.find("a").get_text() == "link"


def test_ul_directly_inside_ul() -> None:
    md, out = roundtrip("<ul><li>one</li><ul><li>inner</li></ul><li>two</li></ul>")
    assert "inner" in out.get_text() and "one" in out.get_text() and "two" in out.get_text()
    assert out.find("ul").find("ul") is not None


def test_code_language_from_highlighter_classes() -> None:
    for cls in ["lang:php decode:true", "brush: ruby; gutter: false", "language-js"]:
        md, out = roundtrip(f'<pre class="{cls}">x = 1</pre>')
        assert out.find("code")["class"][0].startswith("language-"), cls
    assert "```php" in render_markdown('<pre class="lang:php decode:true">x</pre>')
    assert "```ruby" in render_markdown('<pre class="brush: ruby; gutter: false">x</pre>')


def test_video_iframe_becomes_link() -> None:
    md, out = roundtrip('<iframe src="https://www.youtube.com/embed/abc" title="Boat video"></iframe>')
    link = out.find("a")
    assert link["href"] == "https://www.youtube.com/embed/abc" and link.get_text() == "Boat video"


def test_definition_list_kept_as_html() -> None:
    md, out = roundtrip("<dl><dt>Bow</dt><dd>The <em>front</em> of a boat</dd></dl>")
    assert out.find("dt").get_text() == "Bow" and out.find("dd").find("em").get_text() == "front"


def test_br_inside_list_items() -> None:
    md, out = roundtrip("<ul><li>line one<br>line two</li></ul>")
    li = out.find("li")
    assert li.find("br") is not None and li.get_text().replace("\n", " ").split() == ["line", "one", "line", "two"]


def test_embed_style_html_keeps_media_elements() -> None:
    src = (
        '<figure><iframe src="https://www.youtube.com/embed/abc" allowfullscreen onload="x()"></iframe></figure>'
        '<audio controls src="/a.mp3"></audio>'
    )
    md, out = roundtrip(src, embed_style="html")
    assert out.find("iframe")["src"] == "https://www.youtube.com/embed/abc"
    assert out.find("iframe").get("onload") is None
    assert out.find("audio")["src"] == "/a.mp3"
    md, out = roundtrip(src)
    assert out.find("iframe") is None and [a["href"] for a in out.find_all("a")] == [
        "https://www.youtube.com/embed/abc",
        "/a.mp3",
    ]


def test_table_cells_need_no_line_start_escapes() -> None:
    md, out = roundtrip(
        "<table><tr><th>h</th><th>h</th><th>h</th><th>h</th><th>h</th><th>h</th></tr>"
        "<tr><td>#</td><td>-</td><td>+</td><td>1.</td><td>|</td><td>*</td></tr></table>"
    )
    assert [td.get_text() for td in out.find_all("td")] == ["#", "-", "+", "1.", "|", "*"]
    assert "| # | - | + | 1. | \\| | \\* |" in md


def test_details_keep_wrapper_with_markdown_inside() -> None:
    md, out = roundtrip(
        "<details open><summary>More <b>info</b></summary><p>Hidden <em>text</em></p><ul><li>a</li></ul></details>"
    )
    details = out.find("details")
    assert details is not None and details.has_attr("open")
    assert details.find("summary").get_text() == "More info"
    assert out.find("em").get_text() == "text" and out.find("li").get_text() == "a"
