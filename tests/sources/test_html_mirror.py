"""Saved site folders: each post once, whatever the number of files (fixtures/html/site-mirror)."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

from lxml import html as lxml_html

from migrator.model import Site
from migrator.sources.html import mirror as mirror_module
from migrator.sources.html import read_mirror
from migrator.sources.html.mirror import file_url, is_html

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "html"
SITE = FIXTURES / "site-mirror"


def text_of(content: str) -> str:
    root = lxml_html.fragment_fromstring(content, create_parent="div")
    return " ".join(" ".join(root.itertext()).split())


def test_one_document_per_post_and_page_none_for_listings_variants_or_later_pages():
    problems = []
    docs = list(read_mirror(SITE, Site(), problems))
    assert [d.title for d in docs] == ["A tall tale", "A short note", "About", "Harbour lights"]
    tale, note, about, lights = docs
    # the paginated post: both pages, in order, with WordPress's page-break marker between them
    assert tale.content.count("<!--nextpage-->") == 1
    assert text_of(tale.content) == (
        "The old pilot swore the whale followed his boat for a whole summer. It surfaced "
        "at dawn beside the bow, every morning, and blew once before it dived. In "
        "September it stopped coming, and the pilot never said a word about it again."
    )
    assert "partial" not in tale.extra and "Pages:" not in text_of(tale.content)
    assert tale.date == datetime(2024, 7, 4, 19, 30, tzinfo=timezone(timedelta(hours=-4)))
    assert "Thanks for the tip" not in text_of(note.content)
    assert about.type == "page"
    # a post only the listings show: from the listing, whole (no more-link), with its permalink
    assert lights.link == "http://cove.example.org/2024/07/06/harbour-lights/" and "partial" not in lights.extra
    assert problems == []  # feed/index.html: WordPress's feed path, never read


def test_files_are_read_in_full_only_for_distinct_pages(tmp_path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    host = site / "cove.example.org"
    calls: list[str] = []
    real = mirror_module.extract_page

    def counting(text, source, *args):
        calls.append(source)
        return real(text, source, *args)

    monkeypatch.setattr(mirror_module, "extract_page", counting)
    first = [d.id for d in read_mirror(site, Site(), [])]
    distinct = len(calls)
    for n in range(3, 60):  # what a block theme's Query Loop and reply links multiply
        shutil.copy(host / "index.html?query-1-page=2", host / f"index.html?query-1-page={n}")
        shutil.copy(
            host / "2024/07/05/short-note/index.html", host / f"2024/07/05/short-note/index.html?replytocom={n}"
        )
        shutil.copy(host / "2024/07/04/index.html", host / f"2024/07/04/index.html?query-2-page={n}.html")
    calls.clear()
    again = [d.id for d in read_mirror(site, Site(), [])]
    assert again == first
    # tall tale (2 pages), short note, about, and the one listing that shows a post the folder
    # has no page for; no variant is read in full
    assert len(calls) == distinct == 5
    assert sorted(Path(c).relative_to(host).as_posix() for c in calls) == [
        "2024/07/04/tall-tale/2/index.html",
        "2024/07/04/tall-tale/index.html",
        "2024/07/05/short-note/index.html",
        "about/index.html",
        "index.html",
    ]


def test_files_that_are_not_pages_are_skipped_with_a_note(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    feed = (site / "cove.example.org" / "feed" / "index.html").read_bytes()
    (site / "cove.example.org" / "news.html").write_bytes(feed)
    problems = []
    docs = list(read_mirror(site, Site(), problems))
    assert len(docs) == 4 and [p.code for p in problems] == ["html-not-a-page"]
    assert not is_html(feed) and is_html(b"<!DOCTYPE html><html></html>")


def test_wget_file_names_map_to_urls(tmp_path):
    (tmp_path / "www.example.org" / "a").mkdir(parents=True)
    for name in ("index.html", "a/index.html", "a/index.html?p=3", "a/index.html?p=3.html", "b.html"):
        (tmp_path / "www.example.org" / name).write_text("<html></html>", encoding="utf-8")
    urls = sorted(file_url(p, tmp_path) for p in (tmp_path / "www.example.org").rglob("*") if p.is_file())
    assert urls == ["/", "/a/", "/a/?p=3", "/a/?p=3", "/b.html"]
