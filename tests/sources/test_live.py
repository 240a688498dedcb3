"""Live sites end to end: a fake WordPress site on 127.0.0.1 read through the REST API or crawled."""

from __future__ import annotations

import json
import re
import socket
from datetime import datetime
from pathlib import Path

import pytest

from conftest import md_html, run_cli
from migrator.pipeline import convert
from migrator.net import HttpClient, Response
from migrator.sources.live import api_link, api_url, caption_html, parse_sitemap
from migrator.transforms.excerpt import rest_excerpt
from sources.test_live_helpers import (
    COMMENTER_EMAIL,
    EXCERPT_POST,
    FIRST_POST,
    MEDIA_ID,
    PROTECTED,
    UNICODE_POST,
    FakeWordPress,
    paris_offset,
    post_local_date,
    read_output,
)

#: A server on this machine answers within a second however loaded it is; a stalled page (``crawl``)
#: stalls far longer than that.
FAST = dict(allow_private_hosts=True, rate=1000, http_timeout=1.0, http_retries=1)
PAGE2 = "/wp-json/wp/v2/posts?per_page=100&page=2"


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text("utf-8"))


def by_id(out: Path) -> dict[str, dict]:
    return {d["id"]: d for d in manifest(out)["documents"]}


def links_of(body: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', md_html(body))


# --------------------------------------------------------------------------- REST API


@pytest.fixture(scope="module")
def rest_run(tmp_path_factory):
    """One run against the REST site (130 posts, a 429 on page 2) and a second, cached run."""
    tmp = tmp_path_factory.mktemp("rest")
    cache = tmp / "cache"
    with FakeWordPress(throttle=(PAGE2,)) as wp:
        progress: list[tuple[int, int | None]] = []
        report = convert(
            [wp.base], tmp / "out", http_cache=str(cache), fetch_progress=lambda d, t: progress.append((d, t)), **FAST
        )
        first_requests = wp.paths()
        second = convert([wp.base], tmp / "out2", http_cache=str(cache), **FAST)
        yield dict(
            wp=wp,
            report=report,
            second=second,
            out=tmp / "out",
            out2=tmp / "out2",
            progress=progress,
            first=first_requests,
            after=wp.paths(),
        )


def test_rest_counts_and_skips(rest_run) -> None:
    report, out = rest_run["report"], rest_run["out"]
    assert report.exit_code == 0, [p for p in report.problems if p.severity == "error"]
    docs = by_id(out)
    posts = [d for d in docs.values() if d["type"] == "post"]
    assert len(posts) == 129  # 130 posts over two result pages, one password-protected
    assert sorted(d["type"] for d in docs.values() if d["type"] != "post") == ["page", "page", "page", "recipe"]
    skipped = manifest(out)["skipped"]
    assert [(s["id"], s["reason"]) for s in skipped] == [(str(PROTECTED), "password-protected")]
    assert [m["id"] for m in manifest(out)["media"]] == [str(MEDIA_ID)]
    for d in docs.values():
        assert (out / d["path"]).is_file()


def test_rest_titles_dates_terms_authors(rest_run) -> None:
    out = rest_run["out"]
    docs = by_id(out)
    for n in (1, 40, 100, 129):  # January and summer dates: +01:00 and +02:00
        pid = str(FIRST_POST + n)
        fm, _ = read_output(out / docs[pid]["path"])
        assert fm["title"] == f"Log entry {n}: \u201ccalm\u201d & clear"
        local = post_local_date(n)
        assert datetime.fromisoformat(fm["date"]) == datetime.fromisoformat(
            f"{local.isoformat()}+0{paris_offset(local)}:00"
        )
        assert fm["date"].endswith(f"+0{paris_offset(local)}:00")
        assert fm["author"] == ("Jonas Pell" if n % 2 else "Maren Holt")
        assert fm["categories"] == (["Weather & Tides"] if n % 3 == 0 else ["Sailing boats"])
        assert fm.get("tags") == (["C#", "fog"] if n % 4 == 0 else None)
        assert fm["wordpress_id"] == pid
        assert "excerpt" not in fm  # automatic excerpts are not kept
    fm, _ = read_output(out / docs[str(EXCERPT_POST)]["path"])
    assert fm["excerpt"] == "A short summary written by hand."
    fm, _ = read_output(out / docs[str(UNICODE_POST)]["path"])
    assert fm["title"] == "港の朝" and fm["slug"] == "港の朝"
    fm, body = read_output(out / docs["4001"]["path"])
    assert fm["type"] == "recipe" and fm["taxonomies"] == {"course": ["Mains"]}
    assert "<ol>" in md_html(body)


def test_rest_internal_links_media_and_pages(rest_run) -> None:
    out = rest_run["out"]
    docs = by_id(out)
    page = out / docs["3002"]["path"]
    assert docs["3002"]["path"] == "pages/about/moorings.md"  # hierarchy from the parent ids
    for n in (1, 7, 120):  # link to the previous entry (7: to the percent-encoded unicode slug)
        here = out / docs[str(FIRST_POST + n)]["path"]
        _, body = read_output(here)
        hrefs = links_of(body)
        assert len(hrefs) == 1 and not hrefs[0].startswith("http"), hrefs
        from urllib.parse import unquote

        assert (here.parent / unquote(hrefs[0])).resolve() == (out / docs[str(FIRST_POST + n - 1)]["path"]).resolve()
    first = out / docs[str(FIRST_POST)]["path"]
    fm, body = read_output(first)
    html = md_html(body)
    assert "pier.jpg" in html and "-300x200" not in html  # the original, found via the media item
    assert fm["featured_image"].endswith("/wp-content/uploads/2020/01/pier.jpg")
    hrefs = links_of(body)
    assert any((first.parent / h).resolve() == page.resolve() for h in hrefs)


def test_rest_pagination_429_and_progress(rest_run) -> None:
    first, wp = rest_run["first"], rest_run["wp"]
    assert first.count(PAGE2) == 2  # answered 429 once, retried
    times = [t for t, p in wp.requests if p == PAGE2]
    assert times[1] - times[0] >= 0.9  # Retry-After: 1 honoured
    assert "/wp-json/wp/v2/posts?per_page=100&page=3" not in first  # X-WP-TotalPages says 2
    # the second pass of the pipeline was served from the cache: every other URL fetched once
    assert all(first.count(p) == 1 for p in first if p != PAGE2)
    assert "/robots.txt" not in first  # the API is not crawled
    progress = rest_run["progress"]
    assert progress[-1] == (135, 135)  # X-WP-Total: 130 posts + 3 pages + 1 recipe + 1 media
    assert all(t == 135 for _, t in progress)


def test_rest_second_run_with_cache_fetches_nothing(rest_run) -> None:
    assert rest_run["after"] == rest_run["first"]
    assert rest_run["second"].exit_code == 0
    one = {d["id"]: (d["path"], d["title"], d["date"]) for d in manifest(rest_run["out"])["documents"]}
    two = {d["id"]: (d["path"], d["title"], d["date"]) for d in manifest(rest_run["out2"])["documents"]}
    assert one == two
    for d in manifest(rest_run["out"])["documents"][:20]:
        assert (rest_run["out"] / d["path"]).read_bytes() == (rest_run["out2"] / d["path"]).read_bytes()


def test_rest_route_without_pretty_permalinks(tmp_path: Path) -> None:
    with FakeWordPress(posts=4, pretty=False) as wp:
        report = convert([wp.base], tmp_path / "out", **FAST)
        paths = wp.paths()
    assert report.exit_code == 0
    assert "/?rest_route=/wp/v2/posts&per_page=100&page=1" in paths
    docs = by_id(tmp_path / "out")
    assert len([d for d in docs.values() if d["type"] == "post"]) == 4
    here = tmp_path / "out" / docs[str(FIRST_POST + 2)]["path"]
    _, body = read_output(here)
    hrefs = links_of(body)  # ?p=N links rewritten to files
    assert [(here.parent / h).resolve() for h in hrefs] == [
        (tmp_path / "out" / docs[str(FIRST_POST + 1)]["path"]).resolve()
    ]


# --------------------------------------------------------------------------- crawling


def crawl(tmp_path: Path, **site) -> tuple:
    with FakeWordPress(
        api=False, slow_once=("/2021/03/gull-note-3/",), slow_always=("/2021/05/gull-note-5/",), stall=60, **site
    ) as wp:
        report = convert([wp.base], tmp_path / "out", http_cache=str(tmp_path / "cache"), **FAST)
        first = wp.paths()
        again = convert([wp.base], tmp_path / "out2", http_cache=str(tmp_path / "cache"), **FAST)
        refetched = wp.paths()[len(first) :]
        return report, first, again, refetched, wp.html_posts


def test_sitemap_crawl(tmp_path: Path) -> None:
    report, paths, _again, refetched, html_posts = crawl(tmp_path)
    out = tmp_path / "out"
    codes = {(p.code, p.source) for p in report.problems}
    assert any(c == "live-no-api" for c, _ in codes)
    assert paths.index("/robots.txt") < paths.index("/2021/01/gull-note-1/")
    assert "/private/secret-note/" not in paths  # robots.txt disallows it
    assert ("live-robots-disallowed", f"{report_base(report)}private/secret-note/") in codes
    assert "/category/birds/" not in paths and "/author/keeper/" not in paths  # archive sitemaps skipped
    # the page that stalled once was retried; the one that always stalls failed (exit 1)
    assert paths.count("/2021/03/gull-note-3/") == 2
    assert paths.count("/2021/05/gull-note-5/") == 2
    assert report.exit_code == 1
    assert [p.code for p in report.problems if p.severity == "error"] == ["live-fetch-failed"]
    docs = manifest(out)["documents"]
    titles = {d["title"]: d for d in docs}
    expected = {t: (p, date) for p, t, date in html_posts if "gull-note-5" not in p}
    assert set(titles) == set(expected) | {"About Gull Point"}
    for title, (path, date) in expected.items():
        fm, _ = read_output(out / titles[title]["path"])
        assert fm["date"] == date and fm["author"] == "Maren Holt" and fm["categories"] == ["Birds"]
        assert fm["source_url"].endswith(path)
    here = out / titles["Gull note 3 & tide"]["path"]
    _, body = read_output(here)
    assert [(here.parent / h).resolve() for h in links_of(body)] == [
        (out / titles["Gull note 2 & tide"]["path"]).resolve()
    ]
    # a re-run with the cache asks only for what failed (timeouts are not cached)
    assert set(refetched) == {"/2021/05/gull-note-5/"}


def report_base(report) -> str:
    return next(p.source for p in report.problems if p.code == "live-no-api")


def test_link_crawl_without_sitemap(tmp_path: Path) -> None:
    report, paths, *_, html_posts = crawl(tmp_path, sitemap=False)
    assert "/sitemap.xml" in paths and "/wp-admin/" not in paths and "/private/secret-note/" not in paths
    docs = manifest(tmp_path / "out")["documents"]
    titles = {d["title"] for d in docs}
    assert {t for _, t, _ in html_posts} <= titles  # gull note 5 (timed out) kept from the index excerpt
    assert "About Gull Point" in titles
    assert len(docs) == len(titles) == len(html_posts) + 1  # each post once


# --------------------------------------------------------------------------- CLI and failures


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_unreachable_and_private_address(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    result = run_cli("convert", url, "-o", str(tmp_path / "a"), "--allow-private-hosts", "--timeout", "1", "-q")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the site" in lines[0] and url in lines[0]
    with FakeWordPress(posts=2) as wp:
        refused = run_cli("convert", wp.base, "-o", str(tmp_path / "b"), "-q")
        assert wp.paths() == []
    assert refused.returncode == 2 and "non-public address" in refused.stderr


def test_cli_converts_a_live_site(tmp_path: Path) -> None:
    with FakeWordPress(posts=3) as wp:
        result = run_cli(
            "convert",
            wp.base,
            "-o",
            str(tmp_path / "out"),
            "--allow-private-hosts",
            "--rate",
            "50",
            "--cache",
            str(tmp_path / "cache"),
            "-q",
        )
        first = len(wp.paths())
        again = run_cli(
            "convert",
            wp.base,
            "-o",
            str(tmp_path / "out"),
            "--allow-private-hosts",
            "--cache",
            str(tmp_path / "cache"),
            "-q",
        )
        assert len(wp.paths()) == first
    assert result.returncode == 0, result.stderr
    assert again.returncode == 0, again.stderr
    assert len(manifest(tmp_path / "out")["documents"]) == 3 + 3 + 1


# --------------------------------------------------------------------------- helpers


def test_api_discovery_from_header_and_html() -> None:
    header = Response(
        "http://x.example/",
        "http://x.example/",
        200,
        {
            "link": '<http://x.example/wp-json/>; rel="https://api.w.org/", <http://x.example/?p=1>; rel="shortlink"',
            "content-type": "text/html",
        },
        b"<html></html>",
    )
    assert api_link(header) == "http://x.example/wp-json/"
    page = Response(
        "http://x.example/",
        "http://x.example/",
        200,
        {"content-type": "text/html"},
        b'<html><head><link rel="https://api.w.org/" href="/blog/wp-json/"></head><body></body></html>',
    )
    assert api_link(page) == "http://x.example/blog/wp-json/"
    none = Response(
        "http://x.example/",
        "http://x.example/",
        200,
        {"content-type": "text/html"},
        b'<html><head><link rel="stylesheet" href="/s.css"></head></html>',
    )
    assert api_link(none) == ""
    assert (
        api_url("http://x.example/?rest_route=/", "wp/v2/posts", {"page": 2})
        == "http://x.example/?rest_route=/wp/v2/posts&page=2"
    )
    assert api_url("http://x.example/wp-json", "wp/v2/types") == "http://x.example/wp-json/wp/v2/types"


def test_excerpts_captions_and_sitemaps() -> None:
    content = "<p>The tide turned early and the boats went out.</p>"
    assert rest_excerpt("<p>The tide turned early and the [&hellip;]</p>", content) == ""
    assert rest_excerpt("<p>Why the boats left.</p>", content) == "<p>Why the boats left.</p>"
    assert caption_html("<p>The pier at <em>dawn</em></p>\n") == "The pier at <em>dawn</em>"
    kind, locs = parse_sitemap(
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://x.example/a/</loc></url><url><loc>&e;</loc></url></urlset>"
    )
    assert kind == "urlset" and locs == ["https://x.example/a/"]
    import gzip

    kind, locs = parse_sitemap(
        gzip.compress(
            b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            b"<sitemap><loc>https://x.example/s.xml</loc></sitemap></sitemapindex>"
        )
    )
    assert (kind, locs) == ("sitemapindex", ["https://x.example/s.xml"])
    assert parse_sitemap(b"<html><body>no</body></html>") == ("", [])


def test_client_refuses_other_hosts_and_spaces_requests(tmp_path: Path) -> None:
    with FakeWordPress(posts=1) as wp:
        client = HttpClient([wp.base], allow_private_hosts=True, rate=10, cache_dir=tmp_path)
        import time

        start = time.monotonic()
        results = client.get_many([f"{wp.base}robots.txt", f"{wp.base}wp-json/", f"{wp.base}nothing/"])
        assert time.monotonic() - start >= 0.2  # three starts, 0.1 s apart
        assert [r.status for r in results] == [200, 200, 404]
        assert client.get(f"{wp.base}nothing/").from_cache  # 404s are cached too
        from migrator.net import FetchError

        with pytest.raises(FetchError, match="host not allowed"):
            client.get("http://localhost.example/")
        assert wp.count() == 3


def test_rest_comments_with_the_exports_privacy_rules(tmp_path: Path) -> None:
    """Approved comments come from /wp/v2/comments when the run writes comments (never otherwise):
    threaded, with the name, URL, date and text an export gives, never an e-mail, IP or avatar."""
    with FakeWordPress(posts=3) as wp:
        convert([wp.base], tmp_path / "none", **FAST)
        assert wp.count("/wp/v2/comments") == 0
        convert([wp.base], tmp_path / "data", comments="data", **FAST)
        convert([wp.base], tmp_path / "inline", comments="inline", **FAST)
    thread = json.loads((tmp_path / "data" / "comments" / f"{FIRST_POST}.json").read_text(encoding="utf-8"))
    assert [(c["id"], c["author"], c["author_url"]) for c in thread] == [("1", "Ria", "https://gulls.example/")]
    assert thread[0]["date"] == "2020-01-01T10:00:00+01:00" and thread[0]["content"] == "Lovely *pier*."
    assert [(r["id"], r["author"], r["content"]) for r in thread[0]["replies"]] == [
        ("3", "Jonas", "Seen them too – at dawn.")
    ]
    everything = "\n".join(
        p.read_text(encoding="utf-8")
        for out in ("data", "inline")
        for p in sorted((tmp_path / out).rglob("*"))
        if p.is_file()
    )
    for secret in (COMMENTER_EMAIL, "198.51.100.4", "gravatar"):
        assert secret not in everything
    _, body = read_output(tmp_path / "inline" / by_id(tmp_path / "inline")[str(FIRST_POST)]["path"])
    assert body.index("## Comments") < body.index("**Ria**") < body.index("> **Jonas**")
