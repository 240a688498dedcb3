"""Media shortcodes: [caption], [gallery], [audio], [video], [playlist]."""

from migrator.transforms.context import Attachment
from migrator.transforms.shortcodes import default_registry, do_shortcodes

from .helpers import attachments, gallery_srcs, make_ctx


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
    reg = default_registry()
    reg.register("b", lambda a, c, x: "<b>B</b>")
    out = do_shortcodes('[caption]<img src="a.jpg" /> Cap [b][/caption]', make_ctx(), reg)
    assert '<figcaption class="wp-caption-text">Cap <b>B</b></figcaption>' in out


# --- gallery ---------------------------------------------------------------------------------


def test_gallery_ids_keep_their_order_with_captions_and_alt():
    ctx = make_ctx(attachments=attachments())
    out = do_shortcodes('[gallery ids="3,1,2"]', ctx)
    assert gallery_srcs(out) == ["http://s/3.jpg", "http://s/1.jpg", "http://s/2.png"]
    assert out.startswith('<figure class="wp-block-gallery')
    assert out.count('<figure class="wp-block-image">') == 3
    # linked to the file, as WordPress links them (link="none": not at all)
    assert (
        '<a href="http://s/1.jpg"><img src="http://s/1.jpg" alt="alt one" /></a>'
        '<figcaption class="wp-element-caption">First</figcaption>'
    ) in out
    assert '<img src="http://s/2.png" alt="" /></a></figure>' in out  # no caption -> no figcaption
    assert "<a " not in do_shortcodes('[gallery ids="3,1,2" link="none"]', make_ctx(attachments=attachments()))
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


# --- audio / video / playlist ----------------------------------------------------------------


def test_audio_positional_url_is_no_source_and_named_sources():
    ctx = make_ctx()
    # WordPress's wp_audio_shortcode() reads no positional URL: it shows nothing, and says so
    assert do_shortcodes("[audio https://s/a.mp3]", ctx) == ""
    assert [p.code for p in ctx.problems] == ["audio-missing-source"] and "https://s/a.mp3" in ctx.problems[0].message
    assert 'src="https://s/b.ogg"' in do_shortcodes('[audio ogg="https://s/b.ogg"]', ctx)
    html = do_shortcodes('[audio mp3="https://s/a.mp3" ogg="https://s/a.ogg" loop="on"]', make_ctx(embed_style="html"))
    assert html == (
        '<figure class="wp-block-audio"><audio controls loop><source src="https://s/a.mp3" />'
        '<source src="https://s/a.ogg" /></audio></figure>'
    )


def test_video_sources_poster_and_fallback_to_attached():
    ctx = make_ctx(embed_style="html")
    out = do_shortcodes('[video mp4="https://s/v.mp4" poster="https://s/p.jpg" width="640"][/video]', ctx)
    assert (
        out
        == '<figure class="wp-block-video"><video controls src="https://s/v.mp4" poster="https://s/p.jpg"></video></figure>'
    )
    att = Attachment("8", "https://s/attached.webm", parent="10", mime="video/webm")
    out = do_shortcodes("[video]", make_ctx(attachments=[att]))
    assert 'src="https://s/attached.webm"' in out
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
