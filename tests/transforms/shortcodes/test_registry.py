"""The registry: handlers added or replaced without touching migrator, and never losing text."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import migrator
from conftest import FIXTURES
from migrator.transforms.shortcodes import default_registry, do_shortcodes, parse_atts
from migrator.transforms.wordpress import apply_content_filters

from .helpers import attachments, make_ctx, recorder


# --- registry --------------------------------------------------------------------------------


def test_register_overrides_default_handler_and_can_be_undone():
    registry = default_registry()
    original = registry.get("gallery")
    registry.register("gallery", lambda attrs, content, ctx: f"<p>my gallery {attrs.get('ids')}</p>")
    assert do_shortcodes('[gallery ids="1"]', make_ctx(shortcode_registry=registry)) == "<p>my gallery 1</p>"
    assert default_registry().get("gallery") is original  # every run starts from the built-in handlers
    assert do_shortcodes('[gallery ids="1"]', make_ctx()) != "<p>my gallery 1</p>"
    registry.register("gallery", original)
    assert registry.get("gallery") is original


def test_custom_registry_copy_and_nested_calls_use_it():
    reg = default_registry().copy()
    reg.register("note", lambda attrs, content, ctx: f"<aside>{do_shortcodes(content or '', ctx)}</aside>")
    reg.register("inner", lambda attrs, content, ctx: "<b>in</b>")
    assert do_shortcodes("[note][inner][/note]", make_ctx(), reg) == "<aside><b>in</b></aside>"
    assert "note" not in default_registry()
    with pytest.raises(ValueError):
        reg.register("bad name", lambda a, c, x: "")


def test_the_run_registry_reaches_nested_expansions_and_the_whole_chain():
    reg = default_registry()
    reg.register("note", lambda attrs, content, ctx: f"<aside>{do_shortcodes(content or '', ctx)}</aside>")
    reg.register("inner", lambda attrs, content, ctx: "<b>in</b>")
    ctx = make_ctx("[note]\n\n[inner]\n\n[/note]", shortcode_registry=reg)
    out = apply_content_filters(ctx)
    assert out.startswith("<aside>") and "<b>in</b>" in out and "[inner]" not in out
    assert not ctx.problems  # both known: no unknown-shortcode
    # the same text with the built-in registry: both unknown, left verbatim and reported
    ctx = make_ctx('[note]\n\n[inner a="1"]\n\n[/note]')
    assert "[inner" in apply_content_filters(ctx)
    assert sorted(p.message.split()[0] for p in ctx.problems) == ["[inner]", "[note]"]


def test_code_shortcodes_are_marked_at_registration():
    reg = default_registry()
    assert reg.is_code("php") and reg.is_code("code") and not reg.is_code("gallery")
    assert len(reg.code_names()) >= 61 and len(reg.names()) >= 68  # [code], [sourcecode], [source], 58 languages
    reg.register("mycode", lambda attrs, content, ctx: f"<pre><code>{content}</code></pre>", code=True)
    ctx = make_ctx("[mycode]a\n\nb [gallery] c[/mycode]", shortcode_registry=reg)
    out = apply_content_filters(ctx)
    assert out == "<pre><code>a\n\nb [gallery] c</code></pre>\n"  # no <p>, no gallery: the code is protected
    reg.register("php", lambda attrs, content, ctx: "PHP")  # replaced without code=True: no longer code
    assert not reg.is_code("php") and "php" not in reg.code_names()
    reg.unregister("mycode")
    assert "mycode" not in reg and not reg.is_code("mycode")


def test_convert_uses_a_registry_given_through_the_public_api(tmp_path):
    reg = default_registry()
    reg.register("contact-form-7", lambda attrs, content, ctx: f"<p>Form {attrs.get('id')} was here</p>")
    report = migrator.convert([FIXTURES / "sample-export.xml"], tmp_path / "out", shortcode_registry=reg, jobs=1)
    assert not [p for p in report.problems if p.code == "unknown-shortcode" and "contact-form-7" in p.message]
    texts = [f.read_text() for f in (tmp_path / "out").rglob("*.md")]
    assert any("Form " in t and "was here" in t for t in texts)
    assert not any("[contact-form-7" in t for t in texts)
    # the built-in registry does not know it: reported, kept verbatim
    report = migrator.convert([FIXTURES / "sample-export.xml"], tmp_path / "plain", jobs=1)
    assert [p for p in report.problems if p.code == "unknown-shortcode" and "contact-form-7" in p.message]


# --- properties ------------------------------------------------------------------------------

_SC_FRAGMENTS = st.sampled_from(
    [
        "[x]",
        "[/x]",
        "[y]",
        "[/y]",
        "[x /]",
        "[[x]]",
        '[x a="1"]',
        "[box]",
        "[/box]",
        "[x-y]",
        "[top]",
        "<b>",
        "</b>",
        '<a title="[x]">',
        "</a>",
        "\n",
        " ",
        "[z]",
        "[[y]]",
    ]
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
