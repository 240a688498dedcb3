"""Privacy (no e-mail, IP or password in any output) and HTML safety (nothing executable)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import migrator
import migrator.pipeline as pipeline
from migrator.plan.index import SiteIndex
from migrator.model import Author, Comment, Document, Site
from migrator.options import Options
from migrator.privacy import private_values, public_author, public_comment
from migrator.render.markdown import render_markdown
from migrator.urls import is_dangerous_url

from conftest import FIXTURES, md_html, run_cli, split_front_matter
from fuzz_targets import assert_inert

HOSTILE = FIXTURES / "hostile"
SECRETS = ("warden.private@example.org", "visitor.secret@example.net", "203.0.113.77", "hunter2-secret")


def _all_output(out: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file())


# -- 4. privacy ---------------------------------------------------------------------------------


def test_private_draft_and_protected_content_is_skipped_by_default(tmp_path: Path) -> None:
    report = migrator.convert([HOSTILE / "privacy.xml"], tmp_path / "out")
    assert [d.title for d in report.documents] == ["Public post"]
    assert sorted(s.reason for s in report.skipped) == ["draft", "password-protected", "private"]
    text = _all_output(tmp_path / "out")
    assert "Protected words" not in text and "Private words" not in text and "Draft words" not in text


@pytest.mark.parametrize(
    "extra",
    [
        [],
        ["--include-private", "--include-drafts"],
        ["--include-private", "--include-drafts", "--include-private-data"],
    ],
)
def test_no_private_data_anywhere_in_the_output(extra: list[str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run_cli("convert", str(HOSTILE / "privacy.xml"), "-o", str(out), "-q", "--redirects", "csv", *extra)
    assert proc.returncode == 0, proc.stderr
    text = _all_output(out)
    assert "Hello readers" in text
    if extra:
        assert "Protected words" in text and "Private words" in text and "Draft words" in text
    for secret in SECRETS:
        assert secret not in text


def _captured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **options) -> tuple[list[Document], list[Site]]:
    docs: list[Document] = []
    sites: list[Site] = []
    real = pipeline.convert_document

    def spy(doc: Document, index: SiteIndex, opts: Options, *run):  # run: the run's refs and profile
        docs.append(doc)
        sites.append(index.site)
        return real(doc, index, opts, *run)

    monkeypatch.setattr(pipeline, "convert_document", spy)
    options.setdefault("comments", "data")  # a run that reads the comments (with "none" it does not)
    migrator.convert([HOSTILE / "privacy.xml"], tmp_path / "out", include_private=True, **options)
    return docs, sites


def test_private_fields_never_reach_transforms_or_writers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    docs, sites = _captured(monkeypatch, tmp_path)
    assert len(docs) == 3 and any(d.comments for d in docs)
    for doc, site in zip(docs, sites):
        assert private_values(doc, site) == set()


def test_a_run_writing_no_comments_reads_none(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    docs, sites = _captured(monkeypatch, tmp_path, comments="none", include_private_data=True)
    assert len(docs) == 3 and not any(d.comments for d in docs)
    found = set().union(*(private_values(d, s) for d, s in zip(docs, sites)))
    assert found and found < set(SECRETS)  # the comments' secrets are not even read


def test_include_private_data_keeps_them_available(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    docs, sites = _captured(monkeypatch, tmp_path, include_private_data=True)
    found = set().union(*(private_values(d, s) for d, s in zip(docs, sites)))
    assert found == set(SECRETS)


def test_public_author_and_comment_helpers() -> None:
    author = Author("w", "Pat", email="w@example.org")
    comment = Comment("1", "V", None, "hi", author_email="v@example.net", author_ip="203.0.113.9")
    assert "email" not in public_author(author) and public_author(author, True)["email"] == "w@example.org"
    data = public_comment(comment)
    assert "author_email" not in data and "author_ip" not in data and data["content"] == "hi"
    assert public_comment(comment, True)["author_ip"] == "203.0.113.9"


# -- 5. HTML ------------------------------------------------------------------------------------


@pytest.mark.parametrize("figure_style", ["markdown", "html", "hugo"])
def test_hostile_html_never_reaches_the_output(figure_style: str, tmp_path: Path) -> None:
    report = migrator.convert([HOSTILE / "xss.xml"], tmp_path / "out", figure_style=figure_style)
    text = (tmp_path / "out" / report.documents[0].path).read_text(encoding="utf-8")
    _, body = split_front_matter(text)
    assert_inert(body)
    low = text.lower()
    for needle in (
        "javascript:",
        "vbscript:",
        "data:text/html",
        "onerror",
        "onclick",
        "onmouseover",
        "ontoggle",
        "srcdoc",
    ):
        assert needle not in low, needle
    assert not re.search(r"(?<!\\)<(script|style|base|meta)", low)  # "\<script>" is escaped text
    html = md_html(body)
    assert "Safe text survives." in html and "merged" in html and "alert(9)" in html  # text is kept as text
    assert {p.code for p in report.problems} >= {"dropped-script", "dropped-style"}


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "\x01javascript:alert(1)",
        "java\nscript:x",
        "vbscript:msgbox(1)",
        "data:text/html;base64,AAAA",
        "data:image/svg+xml,<svg onload=x()>",
        "DATA:text/html,x",
        "livescript:x",
    ],
)
def test_dangerous_urls(url: str) -> None:
    assert is_dangerous_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/javascript:x",
        "/path",
        "#top",
        "mailto:a@example.com",
        "data:image/png;base64,iVBORw0KGgo=",
        "javascript-guide.html",
    ],
)
def test_safe_urls(url: str) -> None:
    assert not is_dangerous_url(url)


def test_raw_html_tables_are_sanitised() -> None:
    html = (
        '<table><tr><td colspan="2" onmouseover="x()" style="color:red">a<script>x()</script></td></tr>'
        '<tr><td><a href=" java\tscript:x()">b</a></td><td><a href="https://example.com/" onclick="x()">c</a></td>'
        "</tr></table>"
    )
    md = render_markdown(html)
    assert "<table>" in md and 'colspan="2"' in md  # kept as raw HTML for fidelity
    assert_inert(md)
    assert "script" not in md and "onclick" not in md and 'href="https://example.com/"' in md


def test_front_matter_urls_are_never_scripts() -> None:
    doc = Document(
        id="1",
        title="t",
        content="<p>x</p>",
        link="javascript:alert(1)",
        status="publish",
        extra={"featured_image": "javascript:alert(2)"},
    )
    rendered = pipeline.convert_document(doc, SiteIndex(site=Site()), Options())
    dumped = yaml.safe_dump(rendered.front_matter)
    assert "javascript" not in dumped and "featured_image" not in rendered.front_matter
