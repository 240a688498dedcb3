"""The filter chain's fast paths (issue 20, fourth round) give what the filters gave before.

Outputs pinned from commit d11cee9 (before the fast paths) for inputs written to reach each one
and the texts where it must not skip; the rewritten steps against WordPress's own patterns on
random texts; the whole chain against d11cee9's on the fixtures (``filters_differential``).
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

import pytest

from migrator.model import Document
from migrator.options import Options
from migrator.transforms import Context
from migrator.transforms.blocks import default_block_handlers, render_blocks
from migrator.transforms.shortcodes import autoembed, default_registry
from migrator.transforms.shortcodes.grammar import escape_brackets_in_tags
from migrator.transforms.texturize import _texturize_nodes, wptexturize
from migrator.transforms.wordpress import apply_content_filters
from migrator.transforms.wpautop import _newlines_to_br, html_split, wpautop

from . import filters_differential

ROOT = Path(__file__).resolve().parents[2]
NAMES = default_registry().names()


def ctx_for(content: str) -> Context:
    return Context(doc=Document(id="1", content=content), options=Options(jobs=1))


# (input, what d11cee9 gave)
TEXTURIZE = [
    (  # a text without an element that stops texturize: every node at once
        "<p>\"Quoted\" and 'single' -- it's 9x9...</p><pre>'raw' -- 9x9</pre> 'after'",
        "<p>&#8220;Quoted&#8221; and &#8216;single&#8217; &#8212; it&#8217;s 9&#215;9&#8230;</p>"
        "<pre>'raw' -- 9x9</pre> &#8216;after&#8217;",
    ),
    (  # <code> and [code] stop it, their ends start it again
        "<code>'x'</code> 'y' [code]'z'[/code] 'w'",
        "<code>'x'</code> &#8216;y&#8217; [code]'z'[/code] &#8216;w&#8217;",
    ),
    (  # 9x9 and a bare & never reach across a tag
        "<b>2</b>x3 and 2x3 and a &<i>b</i> & c &amp; d",
        "<b>2</b>x3 and 2&#215;3 and a &#038;<i>b</i> &#038; c &amp; d",
    ),
    (
        "<kbd>don't</kbd><tt>\"tt\"</tt> <!-- 'c' --> <a title=\"it's & more\">it's</a>",
        "<kbd>don't</kbd><tt>\"tt\"</tt> <!-- 'c' --> <a title=\"it's &#038; more\">it&#8217;s</a>",
    ),
]
WPAUTOP = [
    (  # spaces around newlines, a <br /> before them, U+2028, upper-case tags, <li>, <option>
        "a \n b<br />\nc<br /> \n\nd\u2028\ne\n\n\n<P><BLOCKQUOTE>q</BLOCKQUOTE></P>\n<li>x</li>\n"
        "<select><option>1</option>\n</select>",
        "<p>a<br />\n b<br />\nc </p>\n<p>d<br />\ne</p>\n<blockquote><p>q</BLOCKQUOTE></P></p>\n<li>x</li>\n"
        "<p><select><option>1</option></select></p>\n",
    ),
    (  # what <pre> holds is no tag of the text's; <script> keeps its newlines; <br>, <hr>
        "<pre>\n<option>a</option>\n</pre>\nline one\nline two\n\n<div>in div</div>\n<script>a\nb</script>\n"
        "x<br>\ny<hr>z",
        "<pre>\n<option>a</option>\n</pre>\n<p>line one<br />\nline two</p>\n<div>in div</div>\n"
        "<p><script>a\nb</script><br />\nx<br />\ny</p>\n<hr>\n<p>z</p>\n",
    ),
]
YOUTUBE = (
    '<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube">'
    '<div class="wp-block-embed__wrapper"><a href="https://youtu.be/abcdefg">https://youtu.be/abcdefg</a>'
    "</div></figure>"
)
AUTOEMBED = [
    ("x\nhttps://youtu.be/abcdefg\ny", f"x\n{YOUTUBE}\ny"),
    (
        '<p>https://vimeo.com/12345</p> <a href="https://youtu.be/abcdefg">x</a>',
        '<p><figure class="wp-block-embed is-type-video is-provider-vimeo wp-block-embed-vimeo">'
        '<div class="wp-block-embed__wrapper"><a href="https://vimeo.com/12345">https://vimeo.com/12345</a>'
        '</div></figure></p> <a href="https://youtu.be/abcdefg">x</a>',
    ),
    # nothing to embed, yet the marker autoembed uses becomes a newline as in WordPress
    ("a <!-- wp-line-break --> b https://example.com/x\n", "a \n b https://example.com/x\n"),
    ("<pre>\nhttps://youtu.be/abcdefg\n</pre>", "<pre>\nhttps://youtu.be/abcdefg\n</pre>"),
]


@pytest.mark.parametrize(("text", "expected"), TEXTURIZE)
def test_wptexturize_as_before(text: str, expected: str) -> None:
    assert wptexturize(text, NAMES) == expected


@pytest.mark.parametrize(("text", "expected"), WPAUTOP)
def test_wpautop_as_before(text: str, expected: str) -> None:
    assert wpautop(text) == expected


@pytest.mark.parametrize(("text", "expected"), AUTOEMBED)
def test_autoembed_as_before(text: str, expected: str) -> None:
    assert autoembed(text, ctx_for(text)) == expected


def test_autoembed_reads_the_scheme_as_before() -> None:
    """Case-insensitively once the text holds an "http" (``ſ`` is an ``s`` then), after a
    ``>`` too, never inside a link."""
    for text in ("a\nhTTPS://youtu.be/abcdefg\nb http://x", "a\nhttpſ://youtu.be/abcdefg\n"):
        assert "is-provider-youtube" in autoembed(text, ctx_for(text))
    assert "is-provider-youtube" not in autoembed("a\nHTTPS://YOUTU.BE/abcdefg\nb", ctx_for(""))
    assert "is-provider-youtube" in autoembed("<p>https://youtu.be/abcdefg</p>", ctx_for(""))
    assert autoembed('<a href="x">https://youtu.be/abcdefg</a>', ctx_for("")).count("figure") == 0


def test_the_chain_as_before_with_unknown_shortcodes_and_brackets_in_tags() -> None:
    text = (
        '[caption id="a" width="300"]<img src="a.jpg" alt="it\'s"> it\'s a "cap"[/caption] [foo a="b"] '
        '<a title="[gallery]">x</a> <!-- > [gallery] -->'
    )
    ctx = ctx_for(text)
    assert apply_content_filters(ctx) == (
        '<p><figure id="a" class="wp-caption"><img src="a.jpg" alt="it\'s"><figcaption class="wp-caption-text">'
        'it&#8217;s a &#8220;cap&#8221;</figcaption></figure> [foo a="b"] <a title="[gallery]">x</a> '
        "<!-- > [gallery] --></p>\n"
    )
    assert [p.code for p in ctx.problems] == ["unknown-shortcode"]


def test_newlines_to_br_matches_wordpress_pattern() -> None:
    wordpress = re.compile(r"(?<!<br />)\s*\n")
    rng = random.Random(7)
    pieces = [" ", "\n", "\t", "a", "<br />", "br />", "\xa0", "\u2028", "\r", "\x0b", "\x1c"]
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        assert _newlines_to_br(text) == wordpress.sub("<br />\n", text), repr(text)


def test_texturized_nodes_do_not_reach_into_each_other() -> None:
    """Nodes texturized together give what each gives alone."""
    rng = random.Random(8)
    pieces = ["'", '"', "-", "--", "...", "``", "''", " (tm)", "x", "2", "9x9", "&", "&amp;", "a", " ", "\n", "."]
    for _ in range(1500):
        nodes = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) for _ in range(rng.randint(1, 4))]
        assert _texturize_nodes(nodes) == [_texturize_nodes([n])[0] for n in nodes], nodes


def test_brackets_escaped_in_exactly_the_tags_of_the_split() -> None:
    def by_split(text: str) -> str:  # what escape_brackets_in_tags did before its shortcut
        text = text.replace("&#91;", "&#091;").replace("&#93;", "&#093;")
        parts = html_split(text)
        for i in range(1, len(parts), 2):
            parts[i] = parts[i].replace("[", "&#91;").replace("]", "&#93;")
        return "".join(parts)

    rng = random.Random(9)
    pieces = ["<", ">", "[", "]", "<!--", "-->", "-", "<![CDATA[", "]]>", "a", "&#91;", "\n", '"']
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert escape_brackets_in_tags(text) == by_split(text), repr(text)


def test_the_registry_lists_names_registered_after_it_was_asked() -> None:
    registry = default_registry()
    assert "note" not in registry.names()
    registry.register("note", lambda attrs, content, ctx: "", code=True)
    assert registry.names()[-1] == "note" and registry.code_names()[-1] == "note"
    registry.unregister("note")
    assert "note" not in registry.names() and "note" not in registry.code_names()


def test_a_table_from_default_block_handlers_is_yours_to_change() -> None:
    """The built-in table a run uses is kept per process: changing a new one leaves it alone."""
    mine = default_block_handlers()
    mine.register("core/paragraph", lambda block, renderer: "changed")
    text = "<!-- wp:paragraph --><p>kept</p><!-- /wp:paragraph -->"
    assert render_blocks(text, ctx_for(text)) == "<p>kept</p>"


def test_fast_paths_stay_linear() -> None:
    start = time.process_time()
    assert _newlines_to_br(" \n" * 100_000).count("<br />") == 1
    assert wptexturize("<code>" + "<b>'</b>" * 30_000) == "<code>" + "<b>'</b>" * 30_000
    assert escape_brackets_in_tags("<!--" * 50_000) == "<!--" * 50_000
    assert time.process_time() - start < 5


def test_the_chain_equals_d11cee9_on_the_fixtures(tmp_path: Path) -> None:
    """Every filter, the whole chain with each option variant, on every fixture document."""
    if filters_differential.old_package(tmp_path, filters_differential.BASE_COMMIT, filters_differential.OLD) is None:
        pytest.skip(f"git history with {filters_differential.BASE_COMMIT} not available")
    old, new = filters_differential.Package(filters_differential.OLD), filters_differential.Package("migrator")
    tally = filters_differential.Tally()
    filters_differential.compare_export(old, new, ROOT / "fixtures" / "sample-export.xml", tally)
    filters_differential.compare_random(old, new, 60, tally)
    assert tally.inputs > 90 and tally.comparisons > 2500
    assert tally.differences == []
