"""CSS ``url()`` in a style attribute read as a browser reads it (CSS Syntax §4.3.5-§4.3.7)."""

from __future__ import annotations

import pytest

from conftest import md_html
from migrator.model import Document, Site
from migrator.options import Options
from migrator.pipeline import convert_document
from migrator.plan.index import SiteIndex
from migrator.transforms.css import background_url


@pytest.mark.parametrize(
    ("style", "url"),
    [
        (r"background-image:url(http://s.example/bg\28special\29.jpg)", "http://s.example/bg(special).jpg"),
        (r"background-image:url(a\28 b.jpg)", "a(b.jpg"),  # one space after the hex digits ends them
        (r"background-image:url(a\28  b.jpg)", None),  # a second one is whitespace: a bad URL
        (r"background-image:url(\1F600 x.jpg)", "\U0001f600x.jpg"),
        (r"background-image:url(a\0 b.jpg)", "a\ufffdb.jpg"),  # code point zero
        (r"background-image:url(a\D800 b.jpg)", "a\ufffdb.jpg"),  # a surrogate
        (r"background-image:url(a\110000 b.jpg)", "a\ufffdb.jpg"),  # beyond Unicode
        (r"background-image:url(a\)b.jpg)", "a)b.jpg"),  # any other character stands for itself
        ('background-image:url("a)b.jpg")', "a)b.jpg"),  # quoted: ) and spaces are the URL's
        ("background-image: url( 'q\\'s file.jpg' ) ;color:red", "q's file.jpg"),
        ('background-image:url("a\\\nb.jpg")', "ab.jpg"),  # an escaped newline continues a string
        ("background-image:url(a b.jpg)", None),  # a space inside an unquoted URL: no URL
        ("background-image:url(a(b.jpg)", None),
        ("color:red;BACKGROUND-IMAGE:linear-gradient(red,blue), url(x.png)", "x.png"),
        ("background-image:none", None),
        ("background-color:red", None),
        # the shorthand sets the image too (its first url())
        ("background: #fff url(a.jpg) no-repeat center", "a.jpg"),
        ('background: /* comment */ url("b.jpg")', "b.jpg"),
        ("background-color:red; background:url('c.jpg'), url('d.jpg')", "c.jpg"),
        ("background:red", None),
        ("border-image: url(e.png) 30", None),  # another property's url()
        ("background-color:red;mask:url(f.png)", None),
    ],
)
def test_background_url(style: str, url: str | None) -> None:
    assert background_url(style) == url


def _rendered(content: str) -> str:
    doc = Document(id="7", type="post", status="publish", title="T", slug="t", content=content, content_kind="rendered")
    return convert_document(doc, SiteIndex(site=Site()), Options()).body


def test_escaped_background_url_is_the_image_a_browser_shows() -> None:
    body = _rendered(
        r'<div class="wp-block-cover" style="background-image:url(https://s.example/bg\28special\29.jpg)"></div>'
    )
    assert 'src="https://s.example/bg(special).jpg"' in md_html(body)


def test_quoted_background_url_keeps_its_parenthesis() -> None:
    body = _rendered("<div style='background-image:url(\"https://s.example/a)b.jpg\")'></div>")
    assert 'src="https://s.example/a)b.jpg"' in md_html(body)
