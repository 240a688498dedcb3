"""What a browser shows from CSS is in the Markdown: background images (a block's as a block of its
own); preformatted prose and verse keep what the reader saw: line breaks, stanzas, indents and
spaces lined up inside a line."""

from __future__ import annotations

from bs4 import BeautifulSoup

from conftest import md_html
from migrator.model import Document, Site
from migrator.options import Options
from migrator.pipeline import convert_document
from migrator.plan.index import SiteIndex
from migrator.render.markdown import render_markdown
from migrator.transforms.rendered import _prose


def _shown(html: str) -> str:
    soup = BeautifulSoup(html, "lxml")
    _prose(soup.pre)
    return md_html(render_markdown(str(soup.body)))


def test_spaces_lined_up_inside_a_line_are_kept() -> None:
    shown = _shown("<pre>tide       <em>high</em>\nharbour    low\n\n   second stanza</pre>")
    assert "tide \xa0\xa0\xa0\xa0\xa0\xa0<em>high</em>" in shown
    assert "harbour \xa0\xa0\xa0low" in shown
    assert "<p>\xa0\xa0\xa0second stanza</p>" in shown  # a stanza's first line keeps its indent


def test_verse_written_with_line_break_tags_keeps_stanzas_and_indents() -> None:
    shown = _shown(
        '<pre class="wp-block-verse">Gulls over the quay<br><br>first line<br>  indented <strong>line</strong></pre>'
    )
    assert "<p>Gulls over the quay</p>" in shown
    assert "<p>first line<br />\n\xa0\xa0indented <strong>line</strong></p>" in shown


def _converted(content: str, **options) -> str:
    doc = Document(id="7", type="post", status="publish", title="T", slug="t", content=content, content_kind="rendered")
    return convert_document(doc, SiteIndex(site=Site()), Options(**options)).body


def test_background_image_of_a_block_is_a_block_of_its_own() -> None:
    """A block drawn over its background image: the image, then the text (not glued to it)."""
    body = _converted(
        '<div class="wp-block-cover" style="background-image:url(https://s.example/sea.jpg)">Over the sea</div>'
        '<p>Text <span style="background-image:url(https://s.example/dot.png)">inline</span> here</p>'
    )
    page = BeautifulSoup(md_html(body), "html.parser")
    image, text, inline = page.find_all("p")
    assert image.img["src"] == "https://s.example/sea.jpg" and not image.get_text(strip=True)
    assert text.get_text() == "Over the sea"
    assert inline.get_text() == "Text inline here" and inline.img["src"] == "https://s.example/dot.png"


def test_background_image_figure_follows_the_figure_style() -> None:
    body = _converted(
        '<div class="wp-block-cover" style="background-image:url(https://s.example/sea.jpg)">Over the sea</div>',
        figure_style="html",
    )
    assert body.startswith('<figure><img src="https://s.example/sea.jpg" alt=""></figure>\n\nOver the sea')
