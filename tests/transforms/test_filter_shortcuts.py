"""The filter chain's shortcuts of issue 20's sixth round, each against the plain way it replaces
(WordPress's own pattern, or the split it skips) on generated adversarial HTML: comments,
CDATA-ish text, unclosed tags, block tags in every case, ``<pre>``, shortcodes, escaped ``[[x]]``.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from migrator.transforms import wpautop as W

# What the shortcuts look at, and what may make them wrong.
PIECES = (
    "<", ">", "\n", " ", "a", "-", "]", "[", "/", "!", "<!--", "-->", "<!-->", "<!--->", "--", "<![CDATA[", "]]>",
    "]>", "<p>", "</p>", "<P>", "<p class='x'>", "<div>", "</div>", "<pre>", "</pre>", "<br />", "<br>", "<hr>",
    "<h1>", "</h2>", "<h7>", "<li", "</li>", "<table ", "</table>", "<thead>", "<the", "<a href='x'>", "</a>",
    "<b\n>", "<img\nsrc=x>", "<!-- a\nb -->", "<!--more-->", "<a title='<!--'>", "[caption]", "[[code]]",
    "<!-- wp:paragraph -->", "<blockquote>", "</blockquote>", "<section/", "<dl\t", "</dd >", "</p>\n", "\n</p>",
    "\t", "\r", "\u2028",
)  # fmt: skip
html_texts = st.lists(st.sampled_from(PIECES), max_size=14).map("".join)


def _plain_replace_in_html_tags(text: str, needle: str, replacement: str) -> str:
    """``wp_replace_in_html_tags()`` without the shortcut: every tag of the split looked at."""
    parts = W.html_split(text)
    for i in range(1, len(parts), 2):
        parts[i] = parts[i].replace(needle, replacement)
    return "".join(parts)


@settings(max_examples=1500)
@given(html_texts)
@example("<!-- a > b\n -->")  # a comment holding ">" before its newline
@example("<![CDATA[ > \n ]]>")
@example("<a <b\n>")  # a "<" inside a tag starts nothing
@example("<!--->\n-->")  # "-->" is looked for after "<!--", never overlapping it
@example("<a title='<!--'>\n")  # an opener inside a tag: unsure, never wrong
def test_newline_in_tags_never_misses_one(text: str) -> None:
    in_tags = any("\n" in tag for tag in W.html_split(text)[1::2])
    if in_tags:
        assert W._newline_in_tags(text)
    assert W.replace_in_html_tags(text, "\n", "<!-- nl -->") == _plain_replace_in_html_tags(text, "\n", "<!-- nl -->")


def test_newline_in_tags_says_no_for_text_between_tags() -> None:
    """The shortcut takes: newlines only between tags and comments, as in stored posts."""
    text = "a\n<!--more-->\n<p class='x'>b</p>\n<![CDATA[c]]>\n<a\thref='/'>d</a>\n"
    assert not W._newline_in_tags(text)
    assert W.replace_in_html_tags(text, "\n", "X") is text
    assert W._newline_in_tags("<!-- a\nb -->") and W._newline_in_tags("x <b\n>")


BLOCK_OPEN = re.compile(r"(<" + W.ALLBLOCKS + r"[\s/>])")  # WordPress's patterns
BLOCK_CLOSE = re.compile(r"(</" + W.ALLBLOCKS + r">)")
LAST_P = re.compile(r"\n</p>$")


@settings(max_examples=1500)
@given(html_texts)
@example("<p><p/<div\n</div></h1>")
@example("a\n</p>\n")
@example("\n</p>\n</p>")
def test_block_tag_steps_match_wordpress_patterns(text: str) -> None:
    assert W._BLOCK_OPEN_RE.sub("\n\n<", text) == BLOCK_OPEN.sub(lambda m: "\n\n" + m.group(1), text)
    assert W._after_block_closers(text) == BLOCK_CLOSE.sub(lambda m: m.group(1) + "\n\n", text)
    assert W._last_p(text) == LAST_P.sub("</p>", text)


NEWLINES_TO_BR = re.compile(r"(?<!<br />)\s*\n")  # WordPress's


@settings(max_examples=2000)
@given(
    st.lists(
        st.sampled_from(("\n", "a", "<br />", "<br /><br />", "br />", "<br", " ", "\u2028", "\x1c", "\t")), max_size=12
    ).map("".join)
)
@example("<br /><br />\n")
@example("<br /><br /><br />\na\n<br />\n")
@example("\n")
@example("a\u2028\n")  # whitespace of Unicode's beside the newline: not the shortcut's
def test_newlines_to_br_matches_wordpress_pattern(text: str) -> None:
    assert W._newlines_to_br(text) == NEWLINES_TO_BR.sub("<br />\n", text)


P_AFTER_BLOCK = re.compile(r"(</?" + W.ALLBLOCKS + r"[^>]*>)\s*</p>")  # WordPress's


@settings(max_examples=1500)
@given(html_texts)
@example("<div <p>\n</p>")
@example("<p></p></p>")
@example("</li> </p><div")
def test_p_after_block_matches_wordpress_pattern(text: str) -> None:
    assert W._P_AFTER_BLOCK_RE.sub(W._group1, text) == P_AFTER_BLOCK.sub(W._group1, text)
