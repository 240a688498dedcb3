"""The export and the live site give the same, faithful result (issue 16), without WordPress.

Each case pairs what an export stores (block markup, shortcodes, text as typed) with what the
live site's REST API gives for it (``content.rendered``: WordPress's rendering), both written for
these tests, and asserts the Markdown: the same from both, and what WordPress shows.  The real
WordPress behind these shapes is tested in ``tests/wordpress`` (``make test-wordpress``).
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from conftest import md_html
from migrator.model import Document, Site
from migrator.options import Options
from migrator.pipeline import convert_document
from migrator.plan.index import SiteIndex
from migrator.transforms.excerpt import rest_excerpt
from migrator.transforms.texturize import texturize_plain, wptexturize


def convert(content: str, kind: str, **fields):
    doc = Document(
        id="7",
        type="post",
        status="publish",
        title=fields.pop("title", "Harbour"),
        slug="harbour",
        content=content,
        content_kind=kind,
        **fields,
    )
    return convert_document(doc, SiteIndex(site=Site()), Options())


def both(stored: str, rendered: str) -> str:
    """The Markdown of both paths, asserted equal."""
    export, live = convert(stored, "stored"), convert(rendered, "rendered")
    assert export.body == live.body
    return export.body


def shown(markdown: str) -> BeautifulSoup:
    return BeautifulSoup(md_html(markdown), "html.parser")


# -- Both ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["stored", "rendered"])
def test_object_then_unclosed_embed_swallows_nothing(kind: str) -> None:
    """lxml's HTML4 rules let ``<embed>`` hold what follows it: every later paragraph stays."""
    content = '<p>Before.</p><object data="a.swf"></object>\n<embed src="b.swf">\n<p>After.</p><p>Second paragraph.</p>'
    body = convert(content, kind).body
    page = shown(body)
    assert [p.get_text() for p in page.find_all("p")][-2:] == ["After.", "Second paragraph."]
    assert [a["href"] for a in page.find_all("a")] == ["a.swf", "b.swf"]
    assert body.index("Before.") < body.index("a.swf") < body.index("b.swf") < body.index("After.")


def test_verse_stays_text_with_its_line_breaks_formatting_and_links() -> None:
    verse = (
        '<pre class="wp-block-verse">The tide <strong>came</strong> in,\n  and <a href="https://s.example/gulls">'
        "the gulls</a> went out.\n\nA second <em>stanza</em>.</pre>"
    )
    pre = '<pre class="wp-block-preformatted">Keep <b>this</b>\nline</pre>'
    plain = '<pre class="wp-block-preformatted">plain  spaced\n  text</pre>'
    body = both(
        f"<!-- wp:verse -->{verse}<!-- /wp:verse --><!-- wp:preformatted -->{pre}<!-- /wp:preformatted -->"
        f"<!-- wp:preformatted -->{plain}<!-- /wp:preformatted -->",
        f"{verse}\n{pre}\n{plain}",
    )
    page = shown(body)
    assert page.find("pre").get_text() == "plain  spaced\n  text\n"  # plain preformatted text: still code
    stanza = page.find_all("p")[0]
    assert stanza.find("strong").get_text() == "came" and stanza.find("br") is not None
    assert stanza.find("a")["href"] == "https://s.example/gulls"
    assert "\xa0\xa0and" in stanza.get_text()  # its indentation shows
    assert page.find_all("p")[1].find("em").get_text() == "stanza"
    assert page.find_all("p")[2].find("b") is not None or page.find_all("p")[2].find("strong") is not None


def test_title_and_excerpt_one_rule_on_both_paths() -> None:
    """Titles as WordPress shows them (wptexturize); ``excerpt`` only when the author wrote one."""
    typed = '"Fog" -- it\'s Wordpress...'
    export = convert("<p>Fog rolled in over the quay.</p>", "stored", title=typed, excerpt="")
    live = convert(
        "<p>Fog rolled in over the quay.</p>",
        "rendered",
        title=texturize_plain(typed),
        excerpt="<p>Fog rolled in over the quay. [&hellip;]</p>",
        extra={"rest_excerpt": True},
    )
    assert export.front_matter["title"] == live.front_matter["title"] == "“Fog” — it’s WordPress…"
    assert "excerpt" not in export.front_matter and "excerpt" not in live.front_matter
    own = '<p>Why the "fog" matters.</p>'
    export = convert("<p>Fog rolled in.</p>", "stored", excerpt=own)
    live = convert("<p>Fog rolled in.</p>", "rendered", excerpt=wptexturize(own), extra={"rest_excerpt": True})
    assert export.front_matter["excerpt"] == live.front_matter["excerpt"] == "Why the “fog” matters."


def test_generated_rest_excerpts_are_told_from_written_ones() -> None:
    content = "<p>The tide turned early and the boats went out.</p><p>Gulls followed.</p>"
    assert rest_excerpt("<p>The tide turned early and the [&hellip;]</p>", content) == ""
    more = '<p>The tide turned early <a class="more-link" href="https://s.example/t/">Continue reading</a></p>'
    assert rest_excerpt(more, content, "https://s.example/t/") == ""
    assert rest_excerpt("<p>Why the boats left.</p>", content) == "<p>Why the boats left.</p>"


# -- Live site ----------------------------------------------------------------------------------


def test_svg_icons_in_links_leave_the_link_whole() -> None:
    body = convert(
        '<ul class="wp-block-social-links"><li class="wp-social-link"><a href="https://s.example/me">'
        '<svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" focusable="false">'
        '<path d="M12 2z"></path></svg><span class="wp-block-social-link-label screen-reader-text">'
        'Mastodon</span></a></li></ul><p><a href="https://s.example/next"><svg viewBox="0 0 2 2">'
        '<path d="M1 1"/></svg>Next</a></p>',
        "rendered",
    ).body
    page = shown(body)
    assert [(a["href"], a.get_text()) for a in page.find_all("a")] == [
        ("https://s.example/me", "Mastodon"),
        ("https://s.example/next", "Next"),
    ]
    assert "](" not in page.get_text() and "<svg" not in body


def test_comment_form_and_login_leftovers_are_no_content() -> None:
    rendered = convert(
        '<p>Text.</p><div id="respond" class="comment-respond"><h3 class="comment-reply-title">Leave a Reply '
        '<small><a id="cancel-comment-reply-link" href="https://s.example/wp-json/wp/v2/posts/7#respond">'
        'Cancel reply</a></small></h3><form action="https://s.example/wp-comments-post.php" method="post">'
        '<p class="comment-form-author"><label for="author">Name <span class="required">*</span></label>'
        '<input id="author" name="author" type="text"/></p><p><label for="email">Email <span>*</span></label></p>'
        '</form></div><div class="wp-block-loginout"><a href="https://s.example/wp-login.php?redirect_to=x">'
        "Log in</a></div><p>End.</p>",
        "rendered",
    )
    assert rendered.body == "Text.\n\nEnd.\n"
    assert [p.code for p in rendered.warnings] == ["interactive-removed"]


def test_css_background_images_are_images() -> None:
    """Cover and media-text blocks WordPress draws as CSS backgrounds keep their images."""
    body = convert(
        '<div class="wp-block-cover has-background-dim" style="background-image:url(https://s.example/sea.jpg)">'
        '<div class="wp-block-cover__inner-container"><p>Over the sea</p></div></div>'
        '<div class="wp-block-media-text is-image-fill"><figure class="wp-block-media-text__media" '
        'style="background-image:url(https://s.example/pier.jpg)"><img src="https://s.example/pier.jpg" alt="Pier"/>'
        '</figure><div class="wp-block-media-text__content"><p>Beside</p></div></div>'
        '<div role="img" aria-label="Gulls" style="background-image:url(&quot;https://s.example/g.jpg&quot;)"></div>',
        "rendered",
    ).body
    images = [(img["src"], img["alt"]) for img in shown(body).find_all("img")]
    assert images == [
        ("https://s.example/sea.jpg", ""),
        ("https://s.example/pier.jpg", "Pier"),
        ("https://s.example/g.jpg", "Gulls"),
    ]
    assert body.index("sea.jpg") < body.index("Over the sea") < body.index("pier.jpg") < body.index("Beside")


def test_audio_shortcode_cache_buster_is_not_the_file() -> None:
    """``[audio]`` adds ``?_=1`` to its source on the live site; the file is the same as the export's."""
    body = both(
        '[audio src="https://s.example/wp-content/uploads/song.mp3"]',
        '<figure class="wp-block-audio"><audio class="wp-audio-shortcode" id="audio-7-1" preload="none" '
        'controls="controls"><source type="audio/mpeg" src="https://s.example/wp-content/uploads/song.mp3?_=1"/>'
        '<a href="https://s.example/wp-content/uploads/song.mp3">https://s.example/wp-content/uploads/song.mp3'
        "</a></audio></figure>",
    )
    assert [a["href"] for a in shown(body).find_all("a")] == ["https://s.example/wp-content/uploads/song.mp3"]


# -- Export -------------------------------------------------------------------------------------


def test_file_block_links_its_file_once() -> None:
    block = (
        '<div class="wp-block-file"><a id="f1" href="https://s.example/doc.pdf">Report 2020</a>'
        '<a href="https://s.example/doc.pdf" class="wp-block-file__button" download>Download</a></div>'
    )
    body = both(f'<!-- wp:file {{"id":4,"href":"https://s.example/doc.pdf"}} -->{block}<!-- /wp:file -->', block)
    assert [a.get_text() for a in shown(body).find_all("a")] == ["Report 2020"]  # the button says no more


def test_social_links_named_as_wordpress_names_them() -> None:
    body = both(
        '<!-- wp:social-links --><ul class="wp-block-social-links"><!-- wp:social-link '
        '{"url":"https://500px.example/me","service":"fivehundredpx"} /--><!-- wp:social-link '
        '{"url":"me@example.org","service":"mail"} /--><!-- wp:social-link {"url":"example.org/feed",'
        '"service":"feed","label":"My feed"} /--></ul><!-- /wp:social-links -->',
        '<ul class="wp-block-social-links"><li class="wp-social-link"><a href="https://500px.example/me">'
        '<svg aria-hidden="true"><path d="M6z"></path></svg><span class="screen-reader-text">500px</span></a></li>'
        '<li class="wp-social-link"><a href="mailto:me@example.org"><svg aria-hidden="true"><path d="M1z"></path>'
        '</svg><span class="screen-reader-text">Mail</span></a></li><li class="wp-social-link">'
        '<a href="https://example.org/feed"><svg aria-hidden="true"><path d="M1z"></path></svg>'
        '<span class="screen-reader-text">My feed</span></a></li></ul>',
    )
    assert [(a["href"], a.get_text()) for a in shown(body).find_all("a")] == [
        ("https://500px.example/me", "500px"),
        ("mailto:me@example.org", "Mail"),
        ("https://example.org/feed", "My feed"),
    ]


def test_avatars_never_reach_the_output() -> None:
    """A Gravatar URL is a hash of an e-mail address: left out, as the export path has none."""
    result = convert(
        '<ol class="wp-block-latest-comments"><li><img alt="" src="https://secure.gravatar.com/avatar/'
        '0123abcd?s=48" class="avatar avatar-48 photo" height="48" width="48"/><a href="https://s.example/'
        'ria">Ria</a> on <a href="https://s.example/p/">Pier</a></li></ol>',
        "rendered",
    )
    assert "gravatar" not in result.body and "Ria" in result.body
    assert [p.code for p in result.warnings] == ["avatar-removed"]
