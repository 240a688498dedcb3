"""What a browser shows from CSS is in the Markdown: background images (a block's as a block of its
own); preformatted prose and verse keep what the reader saw: line breaks, stanzas, indents and
spaces lined up inside a line."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from conftest import md_html
from migrator.htmltree import parse_html
from migrator.model import Document, Site
from migrator.options import Options
from migrator.pipeline import convert_document
from migrator.plan.index import SiteIndex
from migrator.render.markdown import render_markdown
from migrator.transforms.rendered import _prose


def _shown(html: str) -> str:
    root = parse_html(html)
    _prose(root.find(".//pre"))
    return md_html(render_markdown(root))


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


def _stored(content: str) -> str:
    doc = Document(id="7", type="post", status="publish", title="T", slug="t", content=content, content_kind="stored")
    return convert_document(doc, SiteIndex(site=Site()), Options()).body


_ICON = "<dt class='gallery-icon landscape'><a href='https://s.example/{0}.jpg'><img src='https://s.example/{0}.jpg' alt='{1}' /></a></dt>"
CLASSIC_GALLERY = (
    "<div id='gallery-1' class='gallery galleryid-7 gallery-columns-2 gallery-size-thumbnail'>"
    f"<dl class='gallery-item'>{_ICON.format('quay', 'Quay')}"
    "<dd class='wp-caption-text gallery-caption' id='gallery-1-5'>The quay at <em>dawn</em></dd></dl>"
    f"<dl class='gallery-item'>{_ICON.format('gulls', 'Gulls')}</dl><br style='clear: both' />"
    f"<dl class='gallery-item'>{_ICON.format('nets', 'Nets')}<dd class='wp-caption-text gallery-caption'>Nets</dd></dl>"
    "<br style='clear: both' /></div><p>After.</p>"
)
_FIGURE = "<figure class='gallery-item'><div class='gallery-icon'><a href='https://s.example/{0}.jpg'><img src='https://s.example/{0}.jpg' alt='{1}' /></a></div>{2}</figure>"
HTML5_GALLERY = (
    "<figure class='gallery galleryid-7 gallery-columns-2'>"
    + _FIGURE.format(
        "quay", "Quay", "<figcaption class='wp-caption-text gallery-caption'>The quay at <em>dawn</em></figcaption>"
    )
    + _FIGURE.format("gulls", "Gulls", "")
    + _FIGURE.format("nets", "Nets", "<figcaption class='wp-caption-text gallery-caption'>Nets</figcaption>")
    + "</figure><p>After.</p>"
)


def test_classic_gallery_is_its_figures_not_definitions() -> None:
    """``[gallery]`` on a theme without HTML5 galleries (``<dl class="gallery-item">``) gives what
    the HTML5 markup gives: each image with its caption, no definition list, no line breaks."""
    body = _converted(CLASSIC_GALLERY)
    assert body == _converted(HTML5_GALLERY)
    assert body == (
        "[![Quay](https://s.example/quay.jpg)](https://s.example/quay.jpg)\n\n_The quay at *dawn*_\n\n"
        "[![Gulls](https://s.example/gulls.jpg)](https://s.example/gulls.jpg)\n\n"
        "[![Nets](https://s.example/nets.jpg)](https://s.example/nets.jpg)\n\n*Nets*\n\nAfter.\n"
    )
    hugo = _converted(CLASSIC_GALLERY, figure_style="hugo")
    assert hugo.count("{{< figure ") == 3 and 'caption="The quay at dawn"' in hugo


_ITEM = '<li class="blocks-gallery-item"><figure><img src="https://s.example/{0}.jpg" alt="{1}"/>{2}</figure></li>'
_ITEMS = _ITEM.format("quay", "Quay", '<figcaption class="blocks-gallery-item__caption">The quay</figcaption>')
_ITEMS += _ITEM.format("gulls", "Gulls", "")


@pytest.mark.parametrize(
    "saved",
    [
        f'<figure class="wp-block-gallery columns-2 is-cropped"><ul class="blocks-gallery-grid">{_ITEMS}</ul></figure>',
        f'<ul class="wp-block-gallery columns-2 is-cropped">{_ITEMS}</ul>',  # before WordPress 5.3
    ],
)
def test_older_gallery_block_is_its_figures_not_a_list(saved: str) -> None:
    """An older gallery block's list of items reads as a newer gallery's image blocks, from the
    export (the saved block) and from the live site alike."""
    nested = (
        '<figure class="wp-block-gallery has-nested-images columns-2">'
        '<figure class="wp-block-image"><img src="https://s.example/quay.jpg" alt="Quay"/>'
        '<figcaption class="wp-element-caption">The quay</figcaption></figure>'
        '<figure class="wp-block-image"><img src="https://s.example/gulls.jpg" alt="Gulls"/></figure></figure>'
    )
    expected = "![Quay](https://s.example/quay.jpg)\n\n*The quay*\n\n![Gulls](https://s.example/gulls.jpg)\n"
    assert _converted(nested) == expected
    assert _converted(saved) == expected
    assert _stored(f'<!-- wp:gallery {{"ids":[5,6],"columns":2}} -->\n{saved}\n<!-- /wp:gallery -->') == expected


_PDF = "https://s.example/wp-content/uploads/report.pdf"
PDF_BLOCK = (
    f'<div class="wp-block-file"><object class="wp-block-file__embed" data="{_PDF}" type="application/pdf" '
    'style="width:100%;height:600px" aria-label="Embed of Report 2020."></object>'
    f'<a id="wp-block-file--media-1" href="{_PDF}">Report 2020</a><a href="{_PDF}" '
    'class="wp-block-file__button wp-element-button" download aria-describedby="wp-block-file--media-1">{0}</a></div>'
)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Download", f"[Report 2020]({_PDF})\n"),
        ("Report 2020", f"[Report 2020]({_PDF})\n"),
        ("report.pdf", f"[Report 2020]({_PDF})\n"),
        ("Get the <strong>annual</strong> report", f"[Report 2020]({_PDF}) Get the **annual** report\n"),
    ],
)
def test_file_block_links_its_file_once(label: str, expected: str) -> None:
    """A file block with a PDF preview: one link to the file, with its name (not the preview's
    object, the name and the button: three links); the button's label only when it says more,
    as text.  From the export (the saved block) and the live site alike."""
    block = PDF_BLOCK.format(label)
    assert _converted(block) == expected
    stored = f'<!-- wp:file {{"id":4,"href":"{_PDF}","displayPreview":true}} -->\n{block}\n<!-- /wp:file -->'
    assert _stored(stored) == expected


def test_file_block_without_a_name_keeps_its_one_link() -> None:
    button = f'<div class="wp-block-file"><a href="{_PDF}" class="wp-block-file__button" download>Download</a></div>'
    assert _converted(button) == f"[Download]({_PDF})\n"
    preview = f'<div class="wp-block-file"><object class="wp-block-file__embed" data="{_PDF}"></object></div>'
    assert _converted(preview) == f"[{_PDF}]({_PDF})\n"


def test_deep_markup_is_walked_and_released_in_linear_time() -> None:
    """The rendered-HTML rules and interactive removal on 60,000 nested ``<div>``: asking every
    element's ancestors whether it was still in the tree, then letting lxml free the elements'
    objects outer ones first, took minutes (each is quadratic in the depth); now well under a
    second.  The bound only catches that, not a slow machine."""
    import time

    from migrator.transforms import Context, interactive, rendered

    n = 60_000
    html = '<div class="wp-block-group">' * n + '<pre class="wp-block-verse">a\n  b</pre>' + "</div>" * n
    ctx = Context(doc=Document(id="1", content=html, content_kind="rendered"))
    root = parse_html(html)
    start = time.process_time()
    rendered.readable(root, ctx)
    interactive.remove_interactive(root, ctx)
    assert time.process_time() - start < 10.0
    assert len(root.xpath("//div")) == n
    assert render_markdown(root).split() == ["a", "b"]  # (flattened: deeper than the renderer goes)
