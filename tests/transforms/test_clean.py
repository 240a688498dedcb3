"""Cleaning drops executable content and says so."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from migrator.model import Document
from migrator.render.markdown import render_markdown
from migrator.transforms import Context, transform
from migrator.transforms.clean import clean_attrs
from migrator.urls import is_dangerous_url


def test_script_style_and_handlers_are_dropped_with_a_warning() -> None:
    html = (
        '<p onclick="steal()">Hi <a href="javascript:alert(1)">x</a></p><script>alert(1)</script>'
        '<style>p{}</style><img src="/a.png" onerror="x()">'
    )
    ctx = Context(doc=Document(id="1", content=html, content_kind="rendered"))
    md = render_markdown(transform(ctx))
    assert "alert" not in md and "steal" not in md and "p{}" not in md and "onerror" not in md
    assert {p.code for p in ctx.problems} == {"dropped-script", "dropped-style"}
    assert "![](/a.png)" in md and "Hi x" in md


# --- the fast paths of the attribute pass (issue 20, fifth round) -----------------------------

_OLD_SCHEME = re.compile(r"^(?:javascript|vbscript|livescript|mocha|data):", re.I)
_OLD_SAFE_DATA = re.compile(r"^data:image/(?:png|gif|jpe?g|webp|avif|bmp)[;,]", re.I)


def old_is_dangerous_url(value: str) -> bool:
    """is_dangerous_url before its first-character fast path."""
    if ":" not in value:
        return False
    squeezed = re.sub(r"[\x00-\x20\x7f]+", "", value)
    return bool(_OLD_SCHEME.match(squeezed)) and not _OLD_SAFE_DATA.match(squeezed)


_TEXT_ATTRS = {"alt", "title", "aria-label", "aria-description", "summary", "content", "label"}
_BAD_STYLE = re.compile(r"expression\s*\(|javascript:|vbscript:|behavior\s*:|-moz-binding", re.I)


def old_clean_attrs(el) -> None:
    """clean_attrs before its fast paths (each attribute looked at in full)."""
    attrib = el.attrib
    for attr, value in list(attrib.items()):
        name = attr.lower()
        if name.startswith("on") or name in ("formaction", "srcdoc"):
            del attrib[attr]
        elif name == "style" and _BAD_STYLE.search(value):
            del attrib[attr]
        elif name not in _TEXT_ATTRS and (
            old_is_dangerous_url(value)
            or (name.endswith("srcset") and any(old_is_dangerous_url(c) for c in value.split(",")))
        ):
            del attrib[attr]


_IGNORABLE = st.text(alphabet=" \t\n\r\x01\x0c\x1f\x7f", max_size=2)
#: Words a scheme may be spelt as (any case, ignorable characters inside), and near misses:
#: non-ASCII letters that match ASCII ones case-insensitively (long s, Kelvin sign).
_WORDS = ["javascript", "vbscript", "livescript", "mocha", "data", "https", "http", "ftp", "ſcript", "\u212aava", "j"]


@st.composite
def urlish(draw) -> str:
    word = draw(st.sampled_from(_WORDS))
    word = "".join(c.upper() if draw(st.booleans()) else c for c in word)
    cut = draw(st.integers(0, len(word)))
    word = word[:cut] + draw(_IGNORABLE) + word[cut:]
    rest = draw(st.sampled_from(["alert(1)", "image/png;base64,x", "text/html,x", "//host/a.png 2x", ""]))
    return draw(_IGNORABLE) + word + draw(st.sampled_from([":", "", "::"])) + rest


values = st.one_of(urlish(), st.text(max_size=12), st.lists(urlish(), min_size=1, max_size=3).map(", ".join))


@settings(max_examples=400, deadline=None)
@given(values)
def test_dangerous_url_fast_path_agrees_with_the_full_look(value: str) -> None:
    assert is_dangerous_url(value) == old_is_dangerous_url(value)


_NAMES = ["onclick", "ONLOAD", "formaction", "srcDoc", "style", "Style", "alt", "title", "href", "src", "srcset"]
_NAMES += ["data-srcset", "class", "data-x", "poster", "action"]


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(_NAMES), st.one_of(values, st.sampled_from(["color: red; x: expression(1)", "x expression(1)"]))
    )
)
def test_attribute_pass_drops_what_the_full_look_drops(attrs: dict[str, str]) -> None:
    attrs = {k: v for k, v in attrs.items() if not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", v)}  # lxml's refusals
    old, new = etree.Element("p", attrs), etree.Element("p", attrs)
    old_clean_attrs(old)
    clean_attrs(new)
    assert dict(new.attrib) == dict(old.attrib)
    clean_attrs(fresh := etree.Element("p", attrs), fresh.items())
    assert dict(fresh.attrib) == dict(old.attrib)


def test_a_dangerous_srcset_candidate_after_a_safe_one_is_dropped() -> None:
    for value in ("https://a.example/x.png 1x, javascript:alert(1) 2x", "x.png 1x,\n java\tscript:x 2x"):
        el = etree.Element("img", {"srcset": value, "data-srcset": value, "src": "https://a.example/x.png"})
        clean_attrs(el)
        assert dict(el.attrib) == {"src": "https://a.example/x.png"}
