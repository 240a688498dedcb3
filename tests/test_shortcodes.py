"""The shortcode grammar, the registry and the built-in handlers."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrator.model import Document
from migrator.options import Options
from migrator.transforms.context import Attachment, Context
from migrator.transforms.shortcodes import (
    DEFAULT_REGISTRY,
    ShortcodeRegistry,
    autoembed,
    do_shortcodes,
    parse_atts,
    register,
    unknown_shortcodes,
)


def make_ctx(content: str = "", attachments=None, doc_id: str = "10", **options) -> Context:
    return Context(
        doc=Document(id=doc_id, content=content),
        attachments={a.id: a for a in (attachments or [])},
        options=Options(**options),
    )


def recorder() -> tuple[ShortcodeRegistry, list]:
    """A registry whose handlers record their arguments and show them in the output."""
    calls: list = []
    reg = ShortcodeRegistry()

    def make(name):
        def handler(attrs, content, ctx):
            calls.append((name, attrs, content))
            inner = "" if content is None else do_shortcodes(content, ctx)
            return f"<{name}>{inner}</{name}>"

        return handler

    for name in ("x", "y", "x-y", "box"):
        reg.register(name, make(name))
    return reg, calls


# --- attributes ------------------------------------------------------------------------------


def test_parse_atts_quotes_and_positional():
    atts = parse_atts(' a="double quoted" B=\'single\' c=bare "pos one" \'pos two\' three ')
    assert atts == {"a": "double quoted", "b": "single", "c": "bare", 0: "pos one", 1: "pos two", 2: "three"}


def test_parse_atts_escapes_spaces_and_unclosed_html():
    atts = parse_atts(r' title="a\tb" path="C:\\dir" x="<b>ok</b>" y="<a href=x" ')
    assert atts["title"] == "a\tb"
    assert atts["path"] == "C:\\dir"
    assert atts["x"] == "<b>ok</b>"
    assert atts["y"] == ""  # WordPress rejects values with an unclosed element
    assert parse_atts("a=1\u00a0b=2") == {"a": "1", "b": "2"}
    assert parse_atts("   ") == {}


def test_parse_atts_spaces_around_equals():
    assert parse_atts(' ids = "1,2"  columns= 3') == {"ids": "1,2", "columns": "3"}


# --- grammar ---------------------------------------------------------------------------------


def test_self_closing_and_plain_and_enclosing():
    reg, calls = recorder()
    out = do_shortcodes('A [x a="1" /] B [x] C [y]inside[/y] D', make_ctx(), reg)
    assert out == "A <x></x> B <x></x> C <y>inside</y> D"
    assert calls[0] == ("x", {"a": "1"}, None)
    assert calls[1] == ("x", {}, None)
    assert calls[2] == ("y", {}, "inside")


def test_enclosing_across_lines_and_html():
    reg, calls = recorder()
    out = do_shortcodes('[y attr="v"]\n<img src="a.jpg" />\ntext\n[/y]', make_ctx(), reg)
    assert out == '<y>\n<img src="a.jpg" />\ntext\n</y>'


def test_nested_different_shortcodes():
    reg, calls = recorder()
    out = do_shortcodes("[box][y]in[/y] and [x /][/box]", make_ctx(), reg)
    assert out == "<box><y>in</y> and <x></x></box>"


def test_same_name_does_not_nest_like_wordpress():
    reg, calls = recorder()
    out = do_shortcodes("[y]a [y]b[/y] c[/y]", make_ctx(), reg)
    # WordPress's regex closes at the first [/y]; the outer [y] has content "a [y]b".
    assert calls[0][2] == "a [y]b"
    assert out.endswith(" c[/y]")


def test_escaped_shortcodes_become_literal():
    reg, calls = recorder()
    assert do_shortcodes("Use [[x]] or [[y]text[/y]]", make_ctx(), reg) == "Use [x] or [y]text[/y]"
    assert calls == []


def test_name_boundary_and_unregistered_names():
    reg, calls = recorder()
    text = "[xy] [x_z] [x-y] [top] [x]"
    out = do_shortcodes(text, make_ctx(), reg)
    assert out == "[xy] [x_z] <x-y></x-y> [top] <x></x>"


def test_shortcodes_inside_html_attributes_are_left_alone():
    reg, calls = recorder()
    text = '<a title="[x]" href="#">[x]</a> <!--[if IE]><p>old</p><![endif]-->'
    out = do_shortcodes(text, make_ctx(), reg)
    assert out == '<a title="[x]" href="#"><x></x></a> <!--[if IE]><p>old</p><![endif]-->'


def test_stray_brackets_and_unclosed_tags():
    reg, calls = recorder()
    for text in ("[", "]", "[x", "[/x]", "[x]]", "[[x]", "[y]never closed", "[x a=\"unterminated]"):
        out = do_shortcodes(text, make_ctx(), reg)
        assert isinstance(out, str)
    assert do_shortcodes("[y]never closed", make_ctx(), reg) == "<y></y>never closed"


def test_handler_error_is_reported_not_raised():
    reg = ShortcodeRegistry()

    def broken(attrs, content, ctx):
        raise RuntimeError("boom")

    reg.register("bad", broken)
    ctx = make_ctx()
    assert do_shortcodes("a [bad] b", ctx, reg) == "a [bad] b"
    assert [p.code for p in ctx.problems] == ["shortcode-failed"]


# --- registry --------------------------------------------------------------------------------


def test_register_overrides_default_handler_and_can_be_undone():
    original = DEFAULT_REGISTRY.get("gallery")
    try:
        register("gallery", lambda attrs, content, ctx: f"<p>my gallery {attrs.get('ids')}</p>")
        assert do_shortcodes('[gallery ids="1"]', make_ctx()) == "<p>my gallery 1</p>"
    finally:
        register("gallery", original)
    assert DEFAULT_REGISTRY.get("gallery") is original


def test_custom_registry_copy_and_nested_calls_use_it():
    reg = DEFAULT_REGISTRY.copy()
    reg.register("note", lambda attrs, content, ctx: f"<aside>{do_shortcodes(content or '', ctx)}</aside>")
    reg.register("inner", lambda attrs, content, ctx: "<b>in</b>")
    assert do_shortcodes("[note][inner][/note]", make_ctx(), reg) == "<aside><b>in</b></aside>"
    assert "note" not in DEFAULT_REGISTRY
    with pytest.raises(ValueError):
        reg.register("bad name", lambda a, c, x: "")


# --- unknown shortcodes ----------------------------------------------------------------------


def test_unknown_shortcodes_reported_once_per_name_with_count():
    text = (
        '[contact-form-7 id="3"] [foo a="1"]x[/foo] [foo] [bar /] [top] coracles [simple boat]. '
        "<pre>[inpre x=1]</pre> <code>[incode x=1]</code> [[esc x=1]]"
    )
    ctx = make_ctx()
    out = do_shortcodes(text, ctx)
    assert out == text  # unregistered: verbatim
    found = {p.message.split()[0]: p.message for p in ctx.problems if p.code == "unknown-shortcode"}
    assert set(found) == {"[contact-form-7]", "[foo]", "[bar]"}
    assert "x 2" in found["[foo]"]
    assert all(p.severity == "info" for p in ctx.problems)


def test_unknown_counter_ignores_registered_names():
    assert unknown_shortcodes('[gallery ids="1"] [zzz a=1]') == {"zzz": 1}


# --- caption ---------------------------------------------------------------------------------


def test_caption_from_content_with_link():
    text = (
        '[caption id="attachment_7" align="alignleft" width="300"]<a href="big.jpg">'
        '<img src="small.jpg" alt="Alt" /></a> The <em>caption</em>[/caption]'
    )
    out = do_shortcodes(text, make_ctx())
    assert out == (
        '<figure id="attachment_7" class="wp-caption alignleft"><a href="big.jpg"><img src="small.jpg" alt="Alt" />'
        '</a><figcaption class="wp-caption-text">The <em>caption</em></figcaption></figure>'
    )


def test_caption_attribute_and_wp_caption_alias():
    text = '[wp_caption caption="From attribute" width="10"]<img src="a.jpg" />[/wp_caption]'
    out = do_shortcodes(text, make_ctx())
    assert '<img src="a.jpg" />' in out
    assert '<figcaption class="wp-caption-text">From attribute</figcaption>' in out
    assert out.startswith('<figure class="wp-caption">')


def test_caption_without_caption_text_is_just_the_image():
    assert do_shortcodes('[caption width="5"]<img src="a.jpg" />[/caption]', make_ctx()) == '<img src="a.jpg" />'


def test_caption_closes_a_link_left_open():
    out = do_shortcodes('[caption]<a href="x"><img src="a.jpg" alt=""/> Text[/caption]', make_ctx())
    assert '<a href="x"><img src="a.jpg" alt=""/></a><figcaption' in out


def test_caption_content_shortcodes_expanded():
    reg = DEFAULT_REGISTRY.copy()
    reg.register("b", lambda a, c, x: "<b>B</b>")
    out = do_shortcodes('[caption]<img src="a.jpg" /> Cap [b][/caption]', make_ctx(), reg)
    assert "<figcaption class=\"wp-caption-text\">Cap <b>B</b></figcaption>" in out


# --- gallery ---------------------------------------------------------------------------------


def attachments():
    return [
        Attachment("1", "http://s/1.jpg", title="One", caption="First", alt="alt one", parent="10", menu_order=2),
        Attachment("2", "http://s/2.png", title="Two", caption="", alt="", parent="10", menu_order=1),
        Attachment("3", "http://s/3.jpg", title="Three", caption="Third", alt="a3", parent="10", menu_order=3),
        Attachment("4", "http://s/4.pdf", title="Doc", parent="10", mime="application/pdf"),
        Attachment("5", "http://s/5.jpg", title="Other post", parent="99"),
    ]


def gallery_srcs(html: str) -> list[str]:
    return re.findall(r'<img src="([^"]+)"', html)


def test_gallery_ids_keep_their_order_with_captions_and_alt():
    ctx = make_ctx(attachments=attachments())
    out = do_shortcodes('[gallery ids="3,1,2"]', ctx)
    assert gallery_srcs(out) == ["http://s/3.jpg", "http://s/1.jpg", "http://s/2.png"]
    assert out.startswith('<figure class="wp-block-gallery')
    assert out.count('<figure class="wp-block-image">') == 3
    assert '<img src="http://s/1.jpg" alt="alt one" /><figcaption class="wp-element-caption">First</figcaption>' in out
    assert '<img src="http://s/2.png" alt="" /></figure>' in out  # no caption -> no figcaption
    assert ctx.problems == []


def test_gallery_defaults_to_attached_images_in_menu_order():
    out = do_shortcodes("[gallery]", make_ctx(attachments=attachments()))
    assert gallery_srcs(out) == ["http://s/2.png", "http://s/1.jpg", "http://s/3.jpg"]  # pdf skipped


def test_gallery_exclude_order_orderby():
    ctx = make_ctx(attachments=attachments())
    assert gallery_srcs(do_shortcodes('[gallery exclude="2"]', ctx)) == ["http://s/1.jpg", "http://s/3.jpg"]
    out = do_shortcodes('[gallery orderby="ID" order="DESC"]', ctx)
    assert gallery_srcs(out) == ["http://s/3.jpg", "http://s/2.png", "http://s/1.jpg"]
    out = do_shortcodes('[gallery include="1,2,3" orderby="title"]', ctx)
    assert gallery_srcs(out) == ["http://s/1.jpg", "http://s/3.jpg", "http://s/2.png"]
    out = do_shortcodes('[gallery id="99"]', ctx)
    assert gallery_srcs(out) == ["http://s/5.jpg"]


def test_gallery_rand_is_deterministic_and_reported():
    ctx = make_ctx(attachments=attachments())
    first = do_shortcodes('[gallery orderby="rand"]', ctx)
    assert first == do_shortcodes('[gallery orderby="rand"]', ctx)
    assert gallery_srcs(first) == ["http://s/2.png", "http://s/1.jpg", "http://s/3.jpg"]
    assert {p.code for p in ctx.problems} == {"gallery-random-order"}
    assert all(p.severity == "info" for p in ctx.problems)


def test_gallery_missing_ids_reported():
    ctx = make_ctx(attachments=attachments())
    out = do_shortcodes('[gallery ids="1,777,888"]', ctx)
    assert gallery_srcs(out) == ["http://s/1.jpg"]
    problems = [p for p in ctx.problems if p.code == "gallery-missing-attachment"]
    assert len(problems) == 1 and "777" in problems[0].message and "888" in problems[0].message


def test_gallery_with_nothing_to_show():
    ctx = make_ctx()
    assert do_shortcodes("[gallery]", ctx) == ""
    assert [p.code for p in ctx.problems] == ["gallery-empty"]


def test_gallery_escapes_attribute_values():
    att = Attachment("1", 'http://s/a.jpg?x=1&amp;y="2"', alt='say "cheese" & <smile>', parent="10")
    out = do_shortcodes("[gallery]", make_ctx(attachments=[att]))
    assert 'src="http://s/a.jpg?x=1&amp;y=&quot;2&quot;"' in out
    assert 'alt="say &quot;cheese&quot; &amp; &lt;smile&gt;"' in out


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
    assert out == '<figure class="wp-block-audio"><a href="https://example.com/song.mp3">https://example.com/song.mp3</a></figure>\n'
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


# --- audio / video / playlist ----------------------------------------------------------------


def test_audio_positional_src_and_named_sources():
    ctx = make_ctx()
    assert do_shortcodes("[audio https://s/a.mp3]", ctx) == (
        '<figure class="wp-block-audio"><a href="https://s/a.mp3">https://s/a.mp3</a></figure>'
    )
    assert 'href="https://s/b.ogg"' in do_shortcodes('[audio ogg="https://s/b.ogg"]', ctx)
    html = do_shortcodes('[audio mp3="https://s/a.mp3" ogg="https://s/a.ogg" loop="on"]', make_ctx(embed_style="html"))
    assert html == (
        '<figure class="wp-block-audio"><audio controls loop><source src="https://s/a.mp3" />'
        '<source src="https://s/a.ogg" /></audio></figure>'
    )


def test_video_sources_poster_and_fallback_to_attached():
    ctx = make_ctx(embed_style="html")
    out = do_shortcodes('[video mp4="https://s/v.mp4" poster="https://s/p.jpg" width="640"][/video]', ctx)
    assert out == '<figure class="wp-block-video"><video controls src="https://s/v.mp4" poster="https://s/p.jpg"></video></figure>'
    att = Attachment("8", "https://s/attached.webm", parent="10", mime="video/webm")
    out = do_shortcodes("[video]", make_ctx(attachments=[att]))
    assert 'href="https://s/attached.webm"' in out
    ctx = make_ctx()
    assert do_shortcodes("[video]", ctx) == ""
    assert [p.code for p in ctx.problems] == ["video-missing-source"]


def test_playlist_from_ids_and_attached_tracks():
    tracks = [
        Attachment("20", "https://s/t1.mp3", title="Track one", parent="10", mime="audio/mpeg", menu_order=2),
        Attachment("21", "https://s/t2.mp3", title="", parent="10", mime="audio/mpeg", menu_order=1),
        Attachment("22", "https://s/v.mp4", title="Clip", parent="10", mime="video/mp4"),
    ]
    ctx = make_ctx(attachments=tracks)
    out = do_shortcodes('[playlist ids="20,21,404"]', ctx)
    assert out == (
        '<div class="wp-playlist wp-audio-playlist"><ol><li><a href="https://s/t1.mp3">Track one</a></li>'
        '<li><a href="https://s/t2.mp3">t2.mp3</a></li></ol></div>'
    )
    assert [p.code for p in ctx.problems] == ["playlist-missing-attachment"]
    out = do_shortcodes('[playlist type="video"]', ctx)
    assert '<a href="https://s/v.mp4">Clip</a>' in out and "t1.mp3" not in out
    out = do_shortcodes("[playlist]", ctx)
    assert out.index("t2.mp3") < out.index("t1.mp3")  # menu order


# --- code ------------------------------------------------------------------------------------


def test_code_shortcodes_language_and_single_decoding():
    ctx = make_ctx()
    out = do_shortcodes('[code language="php"]\necho &quot;&lt;b&gt;&quot;; // &amp;amp;\n[/code]', ctx)
    assert out == '<pre><code class="language-php">echo &quot;&lt;b&gt;&quot;; // &amp;amp;</code></pre>'
    out = do_shortcodes("[sourcecode lang=\"py\"]x = a < b[/sourcecode]", ctx)
    assert out == '<pre><code class="language-python">x = a &lt; b</code></pre>'
    out = do_shortcodes("[js]var a = [1, 2];[/js]", ctx)
    assert out == '<pre><code class="language-javascript">var a = [1, 2];</code></pre>'
    out = do_shortcodes("[source]plain[/source]", ctx)
    assert out == "<pre><code>plain</code></pre>"


def test_code_content_is_not_expanded():
    out = do_shortcodes('[php]echo "[gallery ids=\\"1\\"]";[/php]', make_ctx(attachments=attachments()))
    assert "[gallery" in out and "wp-block-gallery" not in out


# --- properties ------------------------------------------------------------------------------

_SC_FRAGMENTS = st.sampled_from(
    ["[x]", "[/x]", "[y]", "[/y]", "[x /]", "[[x]]", "[x a=\"1\"]", "[box]", "[/box]", "[x-y]", "[top]",
     "<b>", "</b>", '<a title="[x]">', "</a>", "\n", " ", "[z]", "[[y]]"]
)
_SC_WORDS = st.text(alphabet="abcXYZ0189 .,;'\"=/-", min_size=1, max_size=6)
_SC_DOCS = st.lists(st.one_of(_SC_FRAGMENTS, _SC_WORDS), max_size=30).map("".join)


def _outside_text(s: str) -> str:
    """Letters and digits outside HTML tags and outside ``[...]`` groups."""
    previous = None
    while previous != s:
        previous = s
        s = re.sub(r"<[^<>]*>|\[[^\[\]]*\]", "", s)
    return re.sub(r"[^A-Za-z0-9]", "", s)


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


@settings(max_examples=300, deadline=None)
@given(_SC_DOCS)
def test_do_shortcodes_never_loses_text(doc):
    reg, _ = recorder()
    out = do_shortcodes(doc, make_ctx(), reg)
    assert _is_subsequence(_outside_text(doc), _outside_text(out))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_default_handlers_never_raise(doc):
    ctx = make_ctx(attachments=attachments())
    assert isinstance(do_shortcodes(doc, ctx), str)
    assert isinstance(parse_atts(doc), dict)


def test_autoembed_keeps_content_that_looks_like_its_own_markers() -> None:
    """A comment like the one autoembed hides code behind is content, not a marker."""
    from migrator.model import Document
    from migrator.transforms.context import Context
    from migrator.transforms.shortcodes import autoembed

    text = "<!--wp-ae-5--> and <pre>http://x.example/</pre>\n\nhttps://www.youtube.com/watch?v=abc\n\n<!--wp-ae-0-->"
    out = autoembed(text, Context(doc=Document(id="1")))
    assert out.startswith("<!--wp-ae-5--> and <pre>http://x.example/</pre>") and out.endswith("<!--wp-ae-0-->")
    assert "youtube.com/watch?v=abc" in out and out != text  # the URL on its own line became an embed
