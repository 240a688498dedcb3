"""wpautop(): WordPress's paragraph filter."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from migrator.transforms.shortcodes import shortcode_unautop
from migrator.transforms.wpautop import html_split, wpautop


def test_blank_lines_make_paragraphs_and_single_newlines_make_br():
    out = wpautop("First line\nsecond line\n\nSecond paragraph")
    assert out == "<p>First line<br />\nsecond line</p>\n<p>Second paragraph</p>\n"


def test_br_false_keeps_single_newlines():
    out = wpautop("one\ntwo\n\nthree", br=False)
    assert out == "<p>one\ntwo</p>\n<p>three</p>\n"


def test_empty_and_whitespace_only_input():
    assert wpautop("") == ""
    assert wpautop(" \n\t\n ") == ""


def test_crlf_and_cr_are_normalised():
    assert wpautop("a\r\n\r\nb\rc") == "<p>a</p>\n<p>b<br />\nc</p>\n"


def test_more_than_two_newlines_collapse():
    assert wpautop("a\n\n\n\n\nb") == "<p>a</p>\n<p>b</p>\n"


def test_double_br_becomes_paragraph_break():
    assert wpautop("a<br><br/>b") == "<p>a</p>\n<p>b</p>\n"
    assert wpautop("x<br>y") == "<p>x<br />y</p>\n"  # a single <br> is only normalised


def test_pre_content_untouched():
    text = 'Before\n\n<pre class="x">line 1\n\nline 3\n  indented\n</pre>\n\nAfter'
    out = wpautop(text)
    assert '<pre class="x">line 1\n\nline 3\n  indented\n</pre>' in out
    assert out.startswith("<p>Before</p>\n")
    assert out.rstrip().endswith("<p>After</p>")
    assert "<p><pre" not in out


def test_several_pre_blocks_come_back_in_order():
    out = wpautop("<pre>one\n\n1</pre>\ntext\n<pre>two\n\n2</pre>")
    assert out.index("<pre>one\n\n1</pre>") < out.index("<pre>two\n\n2</pre>")
    assert "<p>text</p>" in out


def test_block_elements_are_not_wrapped():
    out = wpautop("<div>inside</div>\n\n<h2>Title</h2>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<hr>\ntext")
    assert "<p><div" not in out and "<p><h2" not in out and "<p><ul" not in out
    assert "<h2>Title</h2>" in out
    assert "<li>a</li>" in out and "<p><li" not in out
    assert "<div>inside</div>" in out
    # a paragraph left open before a closing div gets closed inside it
    assert wpautop("<div>\n\ninside</div>") == "<div>\n<p>inside</p></div>\n"
    assert "<p>text</p>" in out


def test_br_removed_next_to_block_tags():
    out = wpautop("<table>\n<tr>\n<td>a</td>\n</tr>\n</table>")
    assert "<br />" not in out


def test_blockquote_paragraph_moves_inside():
    out = wpautop("<blockquote>Quoted\ntext</blockquote>")
    assert out == "<blockquote><p>Quoted<br />\ntext</p></blockquote>\n"


def test_inline_elements_stay_in_paragraph():
    out = wpautop('Some <em>emphasis</em> and <a href="x">a link</a>.\nNext')
    assert out == '<p>Some <em>emphasis</em> and <a href="x">a link</a>.<br />\nNext</p>\n'


def test_newline_inside_a_tag_is_not_a_break():
    out = wpautop('<img\nsrc="a.jpg"\nalt="A" /> text')
    assert '<img\nsrc="a.jpg"\nalt="A" />' in out
    assert out.count("<br />") == 0


def test_html_comments_kept():
    out = wpautop("Intro<!--more-->\n\nRest\n<!--nextpage-->\nPage two")
    assert "<!--more-->" in out and "<!--nextpage-->" in out
    assert out.startswith("<p>Intro<!--more--></p>")


def test_option_elements_collapse():
    out = wpautop("<select>\n<option>1</option>\n\n<option>2</option>\n</select>")
    assert "<option>1</option><option>2</option>" in out
    assert "<br />" not in out


def test_object_param_embed_collapse():
    out = wpautop('<object data="m">\n<param name="a" value="1" />\n<embed src="m" />\n</object>')
    assert '<object data="m"><param name="a" value="1" /><embed src="m" /></object>' in out


def test_source_and_track_collapse_inside_media():
    out = wpautop('<video controls>\n<source src="a.mp4" />\n<track src="a.vtt" />\n</video>')
    assert '<video controls><source src="a.mp4" /><track src="a.vtt" /></video>' in out


def test_figcaption_line_breaks_collapse():
    out = wpautop('<figure><img src="a" />\n\n<figcaption>Cap</figcaption>\n</figure>')
    assert '<img src="a" /><figcaption>Cap</figcaption>' in out
    assert "<p>" not in out.split("<figure>")[1].split("</figure>")[0].replace("<p></p>", "")


def test_script_style_svg_textarea_keep_newlines():
    for tag in ("script", "style", "svg", "textarea"):
        out = wpautop(f"Text\n<{tag}>line1\nline2</{tag}>")
        assert f"<{tag}>line1\nline2</{tag}>" in out, tag


def test_malformed_closing_pre_does_not_crash():
    out = wpautop("text</pre>\n\nmore <pre>never closed\n\nx")
    assert "text" in out and "more" in out and "never closed" in out


# --- properties ------------------------------------------------------------------------------

_FRAGMENTS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<pre>",
        "</pre>",
        "<ul>",
        "<li>",
        "</li>",
        "</ul>",
        "<br>",
        "<br />",
        "<!--more-->",
        "<option>",
        "</option>",
        "<script>",
        "</script>",
        "<blockquote>",
        "</blockquote>",
        "<em>",
        "</em>",
        "<hr>",
        '<img src="a" />',
        "<figure>",
        "<figcaption>",
        "</figcaption>",
        "</figure>",
        "<textarea>",
        "</textarea>",
        "[caption]",
        "[/caption]",
        "\n",
        "\n\n",
        "\r\n",
        " ",
        "\t",
    ]
)
_WORDS = st.text(alphabet="abcXYZ019.,;:!?&'\"[]/= -", min_size=1, max_size=8)
_DOCS = st.lists(st.one_of(_FRAGMENTS, _WORDS), max_size=40).map("".join)


def _text_chars(html: str) -> str:
    """Non-whitespace characters outside tags and comments."""
    parts = html_split(html)
    return re.sub(r"\s+", "", "".join(parts[0::2]))


@settings(max_examples=300, deadline=None)
@given(_DOCS)
def test_wpautop_never_loses_text(doc):
    for br in (True, False):
        out = wpautop(doc, br=br)
        assert _text_chars(out) == _text_chars(doc)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_wpautop_never_raises_on_arbitrary_text(doc):
    out = wpautop(doc)
    assert isinstance(out, str)
    assert shortcode_unautop(out, ["gallery", "caption"]) is not None
