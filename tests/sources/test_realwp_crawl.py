"""The crawl path against the real WordPress of ../shared/realwp, its REST API switched off.

benchmarks/crawl.py puts a reverse proxy in front of the site that answers 403 for the REST
API; nothing is installed into the WordPress.  These tests skip when the site is not running.
The whole crawl takes minutes: it runs only with MIGRATOR_REALWP_CRAWL=1 (its numbers are in
docs/extraction.md).
"""

from __future__ import annotations

import http.client
import json
import os
import sys
from pathlib import Path

import pytest

from migrator.model import Problem, Site
from migrator.sources.html import extract_page
from migrator.sources.html.mirror import Assembler, Facts

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import crawl  # noqa: E402 - benchmarks/crawl.py

SITE = "http://127.0.0.1:8088/"


@pytest.fixture(scope="module")
def proxy():
    if not crawl.site_up(SITE):
        pytest.skip("the real WordPress (../shared/realwp) is not running")
    with crawl.NoRestProxy("127.0.0.1:8088") as running:
        yield running


def get(proxy, path: str) -> tuple[int, dict, bytes]:
    host, port = proxy.address.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=120)
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, dict(resp.getheaders()), body


def test_the_proxy_refuses_the_rest_api_and_speaks_for_the_site(proxy):
    for path in ("/wp-json/", "/wp-json/wp/v2/posts", "/?rest_route=/wp/v2/posts"):
        status, _, body = get(proxy, path)
        assert status == 403 and json.loads(body)["code"] == "rest_disabled"
    status, headers, body = get(proxy, "/")
    assert status == 200 and b"127.0.0.1:8088" not in body and proxy.address.encode() in body
    assert "127.0.0.1:8088" not in headers.get("Link", "")


def test_a_paginated_post_crawled_through_the_proxy_is_one_document(proxy):
    assembler = Assembler()
    problems: list[Problem] = []
    base = "/2012/01/08/template-paginated/"
    for path in (base, base + "2/", base + "3/"):
        status, _, body = get(proxy, path)
        assert status == 200
        url = proxy.url.rstrip("/") + path
        page = extract_page(body.decode("utf-8"), url, Site(), problems)
        assembler.add(Facts(url, page.meta.canonical, page.meta.body_classes), page, url)
    ((doc, _, _),) = list(assembler.documents())
    assert doc.title == "Template: Paginated"
    assert [p.strip() for p in doc.content.split("<!--nextpage-->")] == [
        "<p>Post Page 1</p>",
        "<p>Post Page 2</p>",
        "<p>Post Page 3</p>",
    ]


@pytest.mark.skipif(os.environ.get("MIGRATOR_REALWP_CRAWL") != "1", reason="the whole crawl takes minutes")
def test_crawl_without_rest_api_gives_one_document_per_published_post_and_page(tmp_path):
    if not crawl.site_up(SITE):
        pytest.skip("the real WordPress (../shared/realwp) is not running")
    want = crawl.published(SITE)
    result = crawl.crawl(SITE, tmp_path / "out")
    assert result["refused"] >= 1  # the REST API was asked for and refused
    assert result["posts"] == want["posts"] and result["pages"] == want["pages"]
    assert result["documents"] == want["posts"] + want["pages"]
    assert result["untitled"] == 0 and result["duplicate_links"] == 0
