"""Content fidelity on the real theme test exports: nothing half-converted, code verbatim."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree
from bs4 import BeautifulSoup

from conftest import md_html, without_code
from migrator.plan.index import build_index
from migrator.model import Site
from migrator.options import Options
from migrator.render.markdown import render_markdown
from migrator.sources import read_inputs
from migrator.pipeline import document_context
from migrator.transforms import transform

EXPORTS = ["wxr/theme-test-data/themeunittestdata.wordpress.xml", "wxr/theme-test-data/64-block-test-data.xml"]
# a shortcode left as text (escaped or not); "[caption](url)" is a Markdown link, not a shortcode
RAW = re.compile(r"\[/?(?:caption|gallery|embed|audio|video)(?=[\s\]\\])(?!\]\()|<!-- wp:")


def documents(export: Path):
    options = Options()
    index = build_index([export], options, [])
    for doc, entry in zip(read_inputs([export], Site(), [], None), index.entries):
        if entry.disposition == "document":
            ctx = document_context(doc, index, options)
            root = transform(ctx)
            source = BeautifulSoup(etree.tostring(root, encoding="unicode", method="html"), "html.parser")
            yield doc, source, render_markdown(root)


@pytest.mark.parametrize("name", EXPORTS)
def test_no_raw_wordpress_syntax_and_code_is_verbatim(corpus: Path, name: str) -> None:
    checked_code = 0
    for doc, source, markdown in documents(corpus / name):
        outside_code = without_code(markdown)
        assert not RAW.search(outside_code), (doc.id, doc.title, RAW.search(outside_code))
        rendered = BeautifulSoup(md_html(markdown), "html.parser")
        for br in source.select("pre br"):
            br.replace_with("\n")
        src_code = sorted(pre.get_text().strip("\n") for pre in source.find_all("pre") if pre.get_text().strip())
        out_code = sorted(pre.get_text().strip("\n") for pre in rendered.find_all("pre"))
        assert src_code == out_code, (doc.id, doc.title)
        checked_code += len(src_code)
        for cap in source.find_all("figcaption"):
            text = " ".join(cap.get_text(" ").split())
            assert text in " ".join(rendered.get_text(" ").split()), (doc.id, text)
    assert checked_code > 0
