"""The block parser, faithful to WP_Block_Parser."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from migrator.transforms.blocks import block_names, has_blocks, parse_blocks, render_blocks, walk

from .helpers import make_ctx, render


# --------------------------------------------------------------------------- parser


def test_has_blocks() -> None:
    assert has_blocks("<!-- wp:paragraph --><p>x</p><!-- /wp:paragraph -->")
    assert not has_blocks("<p>plain</p><!--more-->")


def test_parse_simple_block_and_freeform() -> None:
    doc = 'Intro\n<!-- wp:paragraph {"align":"center"} -->\n<p>Hi</p>\n<!-- /wp:paragraph -->\nOutro'
    blocks = parse_blocks(doc)
    assert [b.name for b in blocks] == [None, "core/paragraph", None]
    assert blocks[0].inner_html == "Intro\n"
    assert blocks[1].attrs == {"align": "center"}
    assert blocks[1].inner_html == "\n<p>Hi</p>\n"
    assert blocks[2].inner_html == "\nOutro"


def test_parse_namespaces() -> None:
    doc = (
        "<!-- wp:core/paragraph --><p>a</p><!-- /wp:core/paragraph -->"
        '<!-- wp:jetpack/map {"zoom":3} /-->'
        '<!-- wp:core-embed/youtube {"url":"u"} --><figure></figure><!-- /wp:core-embed/youtube -->'
    )
    assert [b.name for b in parse_blocks(doc)] == ["core/paragraph", "jetpack/map", "core-embed/youtube"]


def test_parse_nesting_interleaves_inner_content() -> None:
    doc = (
        '<!-- wp:group --><div class="g"><!-- wp:paragraph --><p>one</p><!-- /wp:paragraph -->'
        "<hr><!-- wp:separator /--></div><!-- /wp:group -->"
    )
    (group,) = parse_blocks(doc)
    assert group.name == "core/group"
    assert [b.name for b in group.inner_blocks] == ["core/paragraph", "core/separator"]
    assert group.inner_content == ['<div class="g">', None, "<hr>", None, "</div>"]
    assert group.inner_html == '<div class="g"><hr></div>'
    assert group.inner_blocks[0].inner_html == "<p>one</p>"


def test_parse_void_block_at_top_level_with_leading_html() -> None:
    blocks = parse_blocks('text <!-- wp:latest-posts {"postsToShow":2} /--> tail')
    assert [(b.name, b.inner_html) for b in blocks] == [
        (None, "text "),
        ("core/latest-posts", ""),
        (None, " tail"),
    ]
    assert blocks[1].attrs == {"postsToShow": 2}


def test_parse_attrs_with_braces_and_nested_objects() -> None:
    doc = '<!-- wp:x/y {"a":{"b":"}"},"c":[1,{"d":{}}]} -->z<!-- /wp:x/y -->'
    (block,) = parse_blocks(doc)
    assert block.attrs == {"a": {"b": "}"}, "c": [1, {"d": {}}]}
    assert block.inner_html == "z"


def test_parse_requires_whitespace_like_wordpress() -> None:
    # No space before "-->" and upper-case names are not delimiters for WordPress either.
    blocks = parse_blocks("<!-- wp:paragraph--><p>a</p><!-- wp:Para -->")
    assert [b.name for b in blocks] == [None]


def test_parse_invalid_json_reported_not_raised() -> None:
    issues: list[str] = []
    (block,) = parse_blocks("<!-- wp:paragraph {not json} --><p>a</p><!-- /wp:paragraph -->", issues)
    assert block.name == "core/paragraph" and block.attrs == {}
    assert block.inner_html == "<p>a</p>"
    assert any("JSON" in i for i in issues)


def test_parse_unclosed_block_takes_rest_of_document() -> None:
    issues: list[str] = []
    blocks = parse_blocks("<p>lead</p><!-- wp:quote --><blockquote><p>never closed</p></blockquote>", issues)
    assert [b.name for b in blocks] == [None, "core/quote"]
    assert blocks[1].inner_html == "<blockquote><p>never closed</p></blockquote>"
    assert issues and "never closed" in issues[0]


def test_parse_several_unclosed_blocks_closed_nested() -> None:
    issues: list[str] = []
    blocks = parse_blocks("<!-- wp:group --><div><!-- wp:paragraph --><p>x</p>", issues)
    # Closed nested at the end of the document (WordPress would repeat "<p>x</p>" in the group).
    (group,) = blocks
    assert group.name == "core/group" and group.inner_content == ["<div>", None]
    assert group.inner_blocks[0].inner_html == "<p>x</p>"
    assert len(issues) == 2
    assert render_blocks("<!-- wp:group --><div><!-- wp:paragraph --><p>x</p>", make_ctx()).count("x") == 1


def test_parse_stray_closer_is_skipped_and_parsing_continues() -> None:
    issues: list[str] = []
    blocks = parse_blocks("<p>a</p><!-- /wp:group --><!-- wp:paragraph --><p>b</p><!-- /wp:paragraph -->", issues)
    assert [b.name for b in blocks] == [None, "core/paragraph"]
    assert blocks[0].inner_html == "<p>a</p>"
    assert issues


def test_parse_mismatched_closer_closes_current_block() -> None:
    issues: list[str] = []
    blocks = parse_blocks("<!-- wp:paragraph --><p>a</p><!-- /wp:heading -->after", issues)
    assert [b.name for b in blocks] == ["core/paragraph", None]
    assert any("closed by core/heading" in i for i in issues)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<!-- wp:paragraph -->",
                "<!-- /wp:paragraph -->",
                '<!-- wp:group {"a":1} -->',
                "<!-- /wp:group -->",
                "<!-- wp:image {bad} /-->",
                "<p>t</p>",
                "{",
                "}",
                " -->",
                '<!-- wp:block {"ref":1} /-->',
                '<!-- wp:gallery {"ids":[1]} -->',
                "<!-- wp:",
                "<!-- wp:cover -->",
                '<!-- wp:embed {"url":1} /-->',
                "<!-- wp:footnotes /-->",
                "<!-- wp:button -->",
                "<!-- /wp:button -->",
                "<!-- wp:code -->",
                "<code>",
                "<!-- wp:media-text -->",
                "<!-- wp:file /-->",
                "<img src=x>",
                "<figcaption>",
            ]
        )
        | st.text(max_size=6),
        max_size=14,
    )
)
def test_never_raises_on_junk(parts: list[str]) -> None:
    doc = "".join(parts)
    out, _ = render(doc, reusable={"1": doc}, meta={"footnotes": '[1, {"id": 2}]'})
    assert isinstance(out, str)
    assert "<!-- wp:" not in out and "<!-- /wp:" not in out


def test_walk_and_block_names_reach_every_block_at_any_depth() -> None:
    doc = "<!-- wp:group --><div><!-- wp:paragraph --><p>a</p><!-- /wp:paragraph --><!-- wp:acme/x /--></div><!-- /wp:group -->x"
    assert [b.name for b in walk(parse_blocks(doc))] == ["core/group", "core/paragraph", "acme/x", None]
    assert block_names(parse_blocks(doc)) == {"core/group": 1, "core/paragraph": 1, "acme/x": 1}
    deep = "<!-- wp:group --><div>" * 3000 + "<p>deep</p>"  # deeper than Python's recursion limit
    assert block_names(parse_blocks(deep)) == {"core/group": 3000}
