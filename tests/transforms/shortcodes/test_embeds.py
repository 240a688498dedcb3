"""[embed] and auto-embeds."""

import pytest

from migrator.transforms.shortcodes import autoembed, do_shortcodes

from .helpers import make_ctx


# --- embeds ----------------------------------------------------------------------------------


def test_embed_shortcode_known_and_unknown_provider():
    ctx = make_ctx()
    out = do_shortcodes('[embed width="500"]https://vimeo.com/22439234[/embed]', ctx)
    assert 'class="wp-block-embed is-type-video is-provider-vimeo wp-block-embed-vimeo"' in out
    assert '<a href="https://vimeo.com/22439234">https://vimeo.com/22439234</a>' in out
    # WordPress turns an unknown URL into a plain link
    assert do_shortcodes("[embed]https://example.org/page[/embed]", ctx) == (
        '<a href="https://example.org/page">https://example.org/page</a>'
    )


def test_embed_html_style_uses_iframes_for_video_hosts():
    ctx = make_ctx(embed_style="html")
    out = do_shortcodes("[embed]https://youtu.be/dQw4w9WgXcQ[/embed]", ctx)
    assert '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"' in out
    out = autoembed("https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=10\n", ctx)
    assert '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"' in out


@pytest.mark.parametrize(
    "url,provider",
    [
        ("https://www.youtube.com/watch?v=abcdefghijk", "youtube"),
        ("https://youtu.be/abcdefghijk", "youtube"),
        ("https://vimeo.com/123456", "vimeo"),
        ("https://twitter.com/someone/status/123", "twitter"),
        ("https://x.com/someone/status/123", "twitter"),
        ("https://www.instagram.com/p/abc/", "instagram"),
        ("https://soundcloud.com/artist/track", "soundcloud"),
        ("https://open.spotify.com/track/xyz", "spotify"),
        ("https://www.flickr.com/photos/someone/123/", "flickr"),
        ("https://www.tiktok.com/@user/video/1", "tiktok"),
        ("https://wordpress.tv/2020/01/01/talk/", "wordpress-tv"),
    ],
)
def test_autoembed_providers(url, provider):
    out = autoembed(f"Before\n\n{url}\n\nAfter", make_ctx())
    assert f"is-provider-{provider}" in out
    assert f'<a href="{url}">{url}</a>' in out
    assert out.startswith("Before\n\n") and out.endswith("\n\nAfter")


def test_autoembed_leaves_other_urls_inline_urls_and_code_alone():
    ctx = make_ctx()
    cases = [
        "https://example.com/not-a-provider\n",
        "See https://www.youtube.com/watch?v=abcdefghijk inline.\n",
        "<pre>\nhttps://www.youtube.com/watch?v=abcdefghijk\n</pre>",
        "<code>\nhttps://vimeo.com/1\n</code>",
        '<a href="https://vimeo.com/1">\nhttps://vimeo.com/1</a>',
    ]
    for text in cases:
        assert autoembed(text, ctx) == text


def test_autoembed_url_in_own_paragraph_and_media_files():
    ctx = make_ctx()
    out = autoembed("<p>https://vimeo.com/123</p>", ctx)
    assert out.startswith('<p><figure class="wp-block-embed')
    out = autoembed("https://example.com/song.mp3\n", ctx)
    assert (
        out == '<figure class="wp-block-audio"><audio controls src="https://example.com/song.mp3"></audio></figure>\n'
    )
    out = autoembed("https://example.com/clip.mp4", make_ctx(embed_style="html"))
    assert out == '<figure class="wp-block-video"><video controls src="https://example.com/clip.mp4"></video></figure>'


def test_autoembed_inside_block_wrapper_does_not_nest_figures():
    block = (
        '<figure class="wp-block-embed is-provider-youtube"><div class="wp-block-embed__wrapper">\n'
        "https://youtu.be/abcdefghijk\n</div></figure>"
    )
    out = autoembed(block, make_ctx())
    assert out.count("<figure") == 1
    assert '<a href="https://youtu.be/abcdefghijk">' in out


def test_autoembed_keeps_content_that_looks_like_its_own_markers() -> None:
    """A comment like the one autoembed hides code behind is content, not a marker."""
    from migrator.model import Document
    from migrator.transforms.context import Context
    from migrator.transforms.shortcodes import autoembed

    text = "<!--wp-ae-5--> and <pre>http://x.example/</pre>\n\nhttps://www.youtube.com/watch?v=abc\n\n<!--wp-ae-0-->"
    out = autoembed(text, Context(doc=Document(id="1")))
    assert out.startswith("<!--wp-ae-5--> and <pre>http://x.example/</pre>") and out.endswith("<!--wp-ae-0-->")
    assert "youtube.com/watch?v=abc" in out and out != text  # the URL on its own line became an embed
