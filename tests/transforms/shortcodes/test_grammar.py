"""The shortcode grammar: attributes, nesting, escapes, HTML boundaries, shortcode_unautop."""

from migrator.transforms.shortcodes import ShortcodeRegistry, do_shortcodes, parse_atts, shortcode_unautop
from migrator.transforms.wpautop import wpautop

from .helpers import make_ctx, recorder


# --- attributes ------------------------------------------------------------------------------


def test_parse_atts_quotes_and_positional():
    atts = parse_atts(" a=\"double quoted\" B='single' c=bare \"pos one\" 'pos two' three ")
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
    for text in ("[", "]", "[x", "[/x]", "[x]]", "[[x]", "[y]never closed", '[x a="unterminated]'):
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


# --- shortcode_unautop -----------------------------------------------------------------------


def test_shortcode_unautop_unwraps_lone_registered_shortcodes():
    html = wpautop('[gallery ids="1,2"]\n\nText [gallery] inline\n\n[caption]<img src="a" /> Cap[/caption]')
    out = shortcode_unautop(html, ["gallery", "caption"])
    assert '\n[gallery ids="1,2"]\n' in "\n" + out
    assert "<p>Text [gallery] inline</p>" in out
    assert '[caption]<img src="a" /> Cap[/caption]' in out
    assert "<p>[caption]" not in out


def test_shortcode_unautop_ignores_unregistered_names():
    html = "<p>[top]</p>\n"
    assert shortcode_unautop(html, ["gallery"]) == html
    assert shortcode_unautop("<p>[galleryx]</p>", ["gallery"]) == "<p>[galleryx]</p>"


def test_shortcode_unautop_self_closing_and_nbsp():
    assert shortcode_unautop('<p>&nbsp;[video src="a.mp4" /] </p>', ["video"]) == '[video src="a.mp4" /]'
