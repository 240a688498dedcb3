"""Preformatted prose and verse keep what the reader saw: line breaks, stanzas, indents and
spaces lined up inside a line."""

from __future__ import annotations

from bs4 import BeautifulSoup

from conftest import md_html
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
