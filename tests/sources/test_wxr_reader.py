"""The WXR reader on small exports written here and on the importer's real edge-case files."""

from __future__ import annotations

import gzip
from datetime import timedelta
from pathlib import Path

import pytest

from migrator.model import Problem, Site
from migrator.sources.wxr import read_wxr
from migrator.sources.wxr_fields import decode_slug
from migrator.sources.dates import parse_wp_date

WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="{ns}excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{ns}">
<channel>
 <title>Tide &amp; Time</title>
 <link>https://tide.example.org</link>
 <wp:wxr_version>1.2</wp:wxr_version>
 <wp:base_site_url>https://tide.example.org</wp:base_site_url>
 <wp:base_blog_url>https://tide.example.org</wp:base_blog_url>
 <wp:author><wp:author_id>2</wp:author_id><wp:author_login><![CDATA[skipper]]></wp:author_login>
  <wp:author_email>skipper@example.org</wp:author_email>
  <wp:author_display_name><![CDATA[Ada Skipper]]></wp:author_display_name></wp:author>
 <wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>boats</wp:category_nicename>
  <wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Boats &amp; Ships]]></wp:cat_name></wp:category>
 <wp:category><wp:term_id>4</wp:term_id><wp:category_nicename>dinghies</wp:category_nicename>
  <wp:category_parent>boats</wp:category_parent><wp:cat_name>Dinghies</wp:cat_name></wp:category>
 <item>
  <title>Knots &#8217;n&#8217; Rope</title>
  <link>https://tide.example.org/2020/07/knots/</link>
  <dc:creator><![CDATA[skipper]]></dc:creator>
  <guid isPermaLink="false">https://tide.example.org/?p=10</guid>
  <content:encoded><![CDATA[First line
second line]]></content:encoded>
  <excerpt:encoded><![CDATA[]]></excerpt:encoded>
  <wp:post_id>10</wp:post_id>
  <wp:post_date>2020-07-01 14:30:00</wp:post_date>
  <wp:post_date_gmt>2020-07-01 12:30:00</wp:post_date_gmt>
  <wp:post_modified>2020-12-01 10:00:00</wp:post_modified>
  <wp:post_modified_gmt>2020-12-01 09:00:00</wp:post_modified_gmt>
  <wp:post_name>caf%c3%a9-knots</wp:post_name>
  <wp:status>publish</wp:status>
  <wp:post_parent>0</wp:post_parent>
  <wp:menu_order>0</wp:menu_order>
  <wp:post_type>post</wp:post_type>
  <wp:post_password></wp:post_password>
  <wp:is_sticky>1</wp:is_sticky>
  <category domain="category" nicename="dinghies"><![CDATA[Dinghies]]></category>
  <category domain="post_tag" nicename="rope"><![CDATA[Rope]]></category>
  <category domain="harbour" nicename="north">North Quay</category>
  <wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value><![CDATA[11]]></wp:meta_value></wp:postmeta>
  <wp:comment><wp:comment_id>5</wp:comment_id><wp:comment_author><![CDATA[Bo]]></wp:comment_author>
   <wp:comment_author_email>bo@example.org</wp:comment_author_email><wp:comment_author_IP>192.0.2.7</wp:comment_author_IP>
   <wp:comment_date>2020-07-02 08:00:00</wp:comment_date><wp:comment_date_gmt>2020-07-02 06:00:00</wp:comment_date_gmt>
   <wp:comment_content><![CDATA[Nice]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved>
   <wp:comment_parent>0</wp:comment_parent></wp:comment>
 </item>
 <item>
  <title>Draft</title><wp:post_id>12</wp:post_id><wp:post_type>post</wp:post_type><wp:status>draft</wp:status>
  <wp:post_date>2021-01-01 00:00:00</wp:post_date><wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt>
 </item>
</channel></rss>
"""


def _read(path: Path) -> tuple[Site, list, list[Problem]]:
    site, problems = Site(), []
    docs = list(read_wxr(path, site, problems))
    return site, docs, problems


@pytest.mark.parametrize(
    "ns",
    [
        "http://wordpress.org/export/1.2/",
        "https://wordpress.org/export/1.2/",
        "http://wordpress.org/export/1.1/",
        "http://wordpress.org/export/1.0/",
    ],
)
def test_reads_every_namespace_spelling(tmp_path: Path, ns: str) -> None:
    path = tmp_path / "e.xml"
    path.write_text(WXR.replace("{ns}", ns), encoding="utf-8")
    site, docs, problems = _read(path)
    assert [d.id for d in docs] == ["10", "12"]
    doc = docs[0]
    assert site.title == "Tide & Time" and site.base_site_url == "https://tide.example.org"
    assert site.authors["skipper"].display_name == "Ada Skipper"
    assert doc.title == "Knots ’n’ Rope"
    assert doc.slug == "café-knots"
    assert doc.author == "Ada Skipper" and doc.author_login == "skipper"
    assert doc.date.isoformat() == "2020-07-01T14:30:00+02:00"
    assert doc.modified.utcoffset() == timedelta(hours=1)
    assert doc.sticky and doc.meta["_thumbnail_id"] == "11"
    assert [(t.taxonomy, t.slug, t.name) for t in doc.terms] == [
        ("category", "dinghies", "Dinghies"),
        ("post_tag", "rope", "Rope"),
        ("harbour", "north", "North Quay"),
    ]
    assert doc.content == "First line\nsecond line"
    assert doc.comments[0].author_email == "bo@example.org" and doc.comments[0].date.utcoffset() == timedelta(hours=2)
    boats = [t for t in site.terms if t.slug == "dinghies"][0]
    assert boats.parent == "boats"
    assert [t.name for t in site.terms if t.slug == "boats"] == ["Boats & Ships"]
    assert docs[1].date.isoformat() == "2021-01-01T00:00:00" and docs[1].status == "draft"
    assert problems == []


def test_reads_gzip(tmp_path: Path) -> None:
    path = tmp_path / "e.xml.gz"
    path.write_bytes(gzip.compress(WXR.replace("{ns}", "http://wordpress.org/export/1.2/").encode()))
    _, docs, _ = _read(path)
    assert len(docs) == 2


def test_truncated_export_keeps_complete_items(tmp_path: Path) -> None:
    text = WXR.replace("{ns}", "http://wordpress.org/export/1.2/")
    cut = text.index("<title>Draft</title>") + 20
    path = tmp_path / "cut.xml"
    path.write_text(text[:cut], encoding="utf-8")
    _, docs, problems = _read(path)
    assert docs[0].id == "10" and docs[0].title == "Knots ’n’ Rope"
    errors = [p for p in problems if p.severity == "error"]
    assert any(p.code == "xml-syntax" and p.line is not None for p in errors)


def test_dates() -> None:
    assert parse_wp_date("0000-00-00 00:00:00", "0000-00-00 00:00:00") is None
    assert parse_wp_date("2015-03-01 10:00:00", "2015-03-01 15:30:00").isoformat() == "2015-03-01T10:00:00-05:30"
    assert parse_wp_date("", "2015-03-01 15:30:00").isoformat() == "2015-03-01T15:30:00+00:00"
    assert decode_slug("%e6%b8%af") == "港"


def test_namespace_attacks_are_matched_by_uri(corpus: Path) -> None:
    site, docs, _ = _read(corpus / "wxr/wordpress-importer/phpunit/data/namespace-edge-cases.xml")
    assert "real_user" in site.authors
    assert "fake_ns_user" not in site.authors and "custom_user" not in site.authors
    mixed = next(d for d in docs if d.title == "Mixed Namespaces")
    assert mixed.id == "1"
    assert mixed.meta == {"normal_key": "normal_value"}
    hijacked = next(d for d in docs if d.title == "Hijacked Namespace")
    assert hijacked.id != "5" and "_malicious" not in hijacked.meta


def test_multiple_cdata_sections_are_concatenated(corpus: Path) -> None:
    _, docs, _ = _read(corpus / "wxr/wordpress-importer/phpunit/data/multiple-cdata.xml")
    raw = (corpus / "wxr/wordpress-importer/phpunit/data/multiple-cdata.xml").read_text()
    import re

    body = re.search(r"<content:encoded>(.*?)</content:encoded>", raw, re.S).group(1)
    parts = re.findall(r"<!\[CDATA\[(.*?)\]\]>", body, re.S)
    assert len(parts) > 1
    assert all(part in docs[0].content for part in parts if part.strip())


def test_author_fields_are_trimmed(corpus: Path) -> None:
    site, _, _ = _read(corpus / "wxr/wordpress-importer/phpunit/data/authors-multiline.xml")
    assert site.authors and all(login == login.strip() and "\n" not in login for login in site.authors)


def test_backslashes_survive(corpus: Path) -> None:
    _, docs, _ = _read(corpus / "wxr/wordpress-importer/phpunit/data/backslashes.xml")
    assert any("C:\\" in d.content for d in docs)
