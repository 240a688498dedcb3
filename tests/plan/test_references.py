"""Internal links and media references on the sample export (link mode, relative and absolute)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import yaml

from migrator.plan.index import SiteIndex, build_index, path_key
from migrator.model import Problem
from migrator.options import Options
from migrator.pipeline import convert
from migrator.plan.references import References
from migrator.plan.site_urls import decode_path, document_url, encode_path, relative_path
from plan.test_references_helpers import (
    SAMPLE,
    export_for,
    front_and_body,
    is_relative,
    manifest,
    outputs,
    path_of,
    references,
    resolve,
)

SITE = "https://harbour.example.com"
EXTRA = (
    '<li><a href="https://harbour.example.com/?p=106">A draft</a></li>\n'
    '<li><a href="https://harbour.example.com/?p=112">A protected post</a></li>\n'
    '<li><a href="https://harbour.example.com/2018/04/harbour-board-minutes/">A private post</a></li>\n'
    '<li><a href="http://old-harbour.example.net/2015/10/the-slipway-in-pictures/">Old domain</a></li>\n'
)


@pytest.fixture(scope="module")
def default_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("refs") / "out"
    report = convert([SAMPLE], out)
    assert report.exit_code == 0
    return out


def links_by_text(doc: Path) -> dict[str, str]:
    return {text: url for kind, url, text in references(doc) if kind == "link"}


def test_every_relative_reference_resolves(default_out: Path) -> None:
    checked = 0
    for doc in outputs(default_out):
        for kind, url, _text in references(doc):
            if is_relative(url):
                assert resolve(doc, url).is_file(), (doc, url)
                checked += 1
    assert checked >= 12


def test_post_105_links_every_form(default_out: Path) -> None:
    doc = path_of(default_out, "105")
    links = links_by_text(doc)
    expected = {
        "Pretty permalink with trailing slash": "101",
        "Pretty permalink without trailing slash": "101",
        "Plain http link": "102",
        "With www.": "103",
        "By post id": "104",
        "By page id": "131",
        "By guid": "108",
        "Relative link": "101",
        "Percent-encoded unicode permalink (upper-case hex)": "115",
        "Grandchild page": "132",
        "Link to a comment anchor": "101",
    }
    for text, item_id in expected.items():
        url = links[text]
        assert is_relative(url), (text, url)
        assert resolve(doc, url) == path_of(default_out, item_id).resolve(), text
    assert links["Link to a comment anchor"].endswith(".md#comment-2")
    # archives stay absolute on the old site, external links are untouched
    assert links["Category archive"] == f"{SITE}/category/boats/sailing-boats/"
    assert links["Tag archive"] == f"{SITE}/tag/fog/"
    assert links["Another site with the same path (not internal)"] == "https://example.org/2015/03/harbour-at-dawn/"
    # attachment page by id and the upload URL: the PDF itself (link mode: absolute original)
    pdf = f"{SITE}/wp-content/uploads/2016/05/tide-tables-2016.pdf"
    assert links["By attachment id"] == pdf and links["The tide tables (PDF)"] == pdf
    # a post that is not in the export: absolute, reported with its URL
    missing = f"{SITE}/2012/05/the-old-pier/"
    assert links["A post that is not in this export"] == missing
    problems = [p for p in manifest(default_out)["problems"] if p["code"] == "dangling-internal-link"]
    assert [(p["id"], p["severity"]) for p in problems] == [("105", "warning")]
    assert missing in problems[0]["message"]


def test_images_are_originals_without_srcset(default_out: Path) -> None:
    doc = path_of(default_out, "101")
    text = doc.read_text(encoding="utf-8")
    assert "srcset" not in text and "-300x200" not in text and "-1024x683" not in text
    refs = references(doc)
    dawn = f"{SITE}/wp-content/uploads/2015/03/dawn.jpg"
    assert ("image", dawn, "Fishing boats at first light") in refs
    assert ("featured", dawn, "") in refs
    gallery = references(path_of(default_out, "124"))
    assert {u for k, u, _ in gallery if k == "image"} == {
        f"{SITE}/wp-content/uploads/2015/10/slipway-1.jpg",
        f"{SITE}/wp-content/uploads/2015/10/slipway-2.jpg",
    }


def test_aliases_list_old_paths(default_out: Path) -> None:
    def fm(item_id: str) -> dict:
        return yaml.safe_load(front_and_body(path_of(default_out, item_id).read_text(encoding="utf-8"))[0])

    assert fm("101")["aliases"] == ["/2015/03/harbour-at-dawn/", "/?p=101"]
    assert fm("115")["aliases"] == ["/2018/01/港の朝/", "/?p=115"]
    assert fm("131")["aliases"] == ["/about/moorings/", "/?page_id=131"]
    assert "/?post_type=portfolio&p=119" in fm("119")["aliases"]


def test_redirect_from_key_and_none(tmp_path: Path) -> None:
    convert([SAMPLE], tmp_path / "a", redirect_key="redirect_from")
    data = yaml.safe_load(front_and_body(path_of(tmp_path / "a", "101").read_text(encoding="utf-8"))[0])
    assert data["redirect_from"] == ["/2015/03/harbour-at-dawn/", "/?p=101"] and "aliases" not in data
    convert([SAMPLE], tmp_path / "b", redirect_key="")
    data = yaml.safe_load(front_and_body(path_of(tmp_path / "b", "101").read_text(encoding="utf-8"))[0])
    assert "aliases" not in data and "redirect_from" not in data


def test_drafts_private_and_old_domains(tmp_path: Path) -> None:
    export = export_for(SITE, tmp_path, EXTRA)
    out = tmp_path / "out"
    convert([export], out)
    links = links_by_text(path_of(out, "105"))
    assert links["A draft"] == f"{SITE}/?p=106"
    assert links["A private post"] == f"{SITE}/2018/04/harbour-board-minutes/"
    assert links["Old domain"] == "http://old-harbour.example.net/2015/10/the-slipway-in-pictures/"
    messages = [p["message"] for p in manifest(out)["problems"] if p["code"] == "dangling-internal-link"]
    assert any(f"{SITE}/?p=106" in m and "draft" in m for m in messages)
    # published but protected: the reason it was skipped, not its status (issue 16)
    assert any(f"{SITE}/?p=112" in m and "112 is password-protected and not converted" in m for m in messages)
    assert any("harbour-board-minutes" in m and "private" in m for m in messages)
    assert not any("old-harbour" in m for m in messages)  # not known as the site's: external

    out2 = tmp_path / "out2"
    convert([export], out2, include_drafts=True, include_private=True, old_urls=["http://old-harbour.example.net"])
    doc = path_of(out2, "105")
    links = links_by_text(doc)
    assert resolve(doc, links["A draft"]) == path_of(out2, "106").resolve()
    assert resolve(doc, links["A private post"]) == path_of(out2, "111").resolve()
    assert resolve(doc, links["Old domain"]) == path_of(out2, "104").resolve()


def test_absolute_link_style_follows_the_layout(tmp_path: Path) -> None:
    out = tmp_path / "out"
    convert([SAMPLE], out, link_style="absolute", base_url="/blog/")
    doc = path_of(out, "105")
    links = links_by_text(doc)
    assert links["Pretty permalink with trailing slash"] == "/blog/posts/harbour-at-dawn/"
    assert links["Link to a comment anchor"] == "/blog/posts/harbour-at-dawn/#comment-2"
    assert links["Grandchild page"] == "/blog/pages/about/moorings/visitor-moorings/"
    for doc in outputs(out):
        for kind, url, _ in references(doc):
            if url.startswith("/blog/"):
                stem = unquote(url[len("/blog/") :].split("#", 1)[0].rstrip("/"))
                assert (out / f"{stem}.md").is_file() or (out / stem / "index.md").is_file(), url


def _refs(**options) -> References:
    problems: list[Problem] = []
    opts = Options(**options)
    return References(build_index([SAMPLE], opts, problems), opts)


@pytest.mark.parametrize(
    "url",
    [
        "https://harbour.example.com/2015/03/harbour-at-dawn/",
        "http://www.harbour.example.com/2015/03/harbour-at-dawn",
        "HTTPS://Harbour.Example.com/2015/03/harbour-at-dawn//",
        "https://harbour.example.com/2015/03/harbour-at-dawn/?replytocom=3",
        "//harbour.example.com/2015/03/harbour-at-dawn/",
        "/2015/03/harbour-at-dawn/",
        "https://harbour.example.com/?p=101",
        "https://harbour.example.com/index.php?p=101",
        "https://harbour.example.com/?name=harbour-at-dawn",
        "https://harbour.example.com/index.php/2015/03/harbour-at-dawn/",
        "https://harbour.example.com/harbour-at-dawn/",  # old permalink structure: by slug
    ],
)
def test_classify_forms_of_one_post(url: str) -> None:
    target = _refs().classify(url)
    assert target.kind == "document" and target.entry is not None and target.entry.id == "101", target


def test_classify_other_kinds() -> None:
    refs = _refs()
    assert refs.classify("#top").kind == "untouched"
    assert refs.classify("mailto:a@example.com").kind == "untouched"
    assert refs.classify("https://example.org/x/").kind == "external"
    assert refs.classify(f"{SITE}/").kind == "archive"
    assert refs.classify(f"{SITE}/2015/03/").kind == "archive"
    assert refs.classify(f"{SITE}/author/harbourmaster/").kind == "archive"
    assert refs.classify(f"{SITE}/portfolio_cat/charts/").kind == "archive"
    assert refs.classify(f"{SITE}/2018/01/%e6%b8%af%e3%81%ae%e6%9c%9d").entry.id == "115"
    assert refs.classify(f"{SITE}/2018/01/港の朝/").entry.id == "115"
    media = refs.classify(f"{SITE}/wp-content/uploads/2015/03/dawn-300x200.jpg")
    assert media.kind == "media"
    assert refs.canonical_media(media.url) == f"{SITE}/wp-content/uploads/2015/03/dawn.jpg"
    # the same upload through http and www. is one file (the attachment's URL)
    assert (
        refs.canonical_media("http://www.harbour.example.com/wp-content/uploads/2015/03/dawn.jpg")
        == f"{SITE}/wp-content/uploads/2015/03/dawn.jpg"
    )
    attachment_page = refs.classify(f"{SITE}/2015/03/harbour-at-dawn/dawn/")
    assert attachment_page.kind == "media" and attachment_page.entry.id == "201"
    dangling = refs.classify(f"{SITE}/?p=106")
    assert dangling.kind == "dangling" and dangling.entry.id == "106"


def test_path_helpers() -> None:
    assert path_key("/2018/01/%E6%B8%AF/") == path_key("/2018/01/%e6%b8%af") == path_key("/2018/01/港")
    assert relative_path("pages/about/moorings.md", "posts/a.md") == "../pages/about/moorings.md"
    assert relative_path("posts/b.md", "posts/a.md") == "b.md"
    assert relative_path("media/a b(1).jpg", "posts/x/index.md") == "../../media/a%20b%281%29.jpg"
    assert encode_path("posts/港の朝.md") == "posts/港の朝.md"
    assert document_url("posts/a.md", "/blog") == "/blog/posts/a/"
    assert document_url("posts/a/index.md") == "/posts/a/"
    assert document_url("pages/about/_index.md") == "/pages/about/"
    assert decode_path("/2018/01/%e6%b8%af%2F/") == "/2018/01/港%2F/"
    assert decode_path("/caf%c3%a9/%ff") == "/café/%FF"


def test_empty_index_leaves_everything_alone() -> None:
    refs = References(SiteIndex(), Options())
    assert refs.classify("/2015/03/x/").kind == "external"
    assert refs.classify("https://example.org/a.jpg").kind == "external"


def test_cli_option_parsing() -> None:
    import argparse

    from migrator.cli import build_parser, parse_formats, parse_size

    assert parse_size("50M") == 50 * 2**20 and parse_size("200k") == 200 * 1024 and parse_size("1000") == 1000
    assert parse_size("1GiB") == 2**30
    with pytest.raises(argparse.ArgumentTypeError):
        parse_size("lots")
    assert parse_formats("netlify, csv") == ["netlify", "csv"]
    with pytest.raises(argparse.ArgumentTypeError):
        parse_formats("iis")
    args = build_parser().parse_args(
        [
            "convert",
            "x.xml",
            "-o",
            "out",
            "--old-url",
            "http://a.example",
            "--old-url",
            "http://b.example",
            "--media-host",
            "cdn.example.net",
        ]
    )
    assert args.old_urls == ["http://a.example", "http://b.example"] and args.media_hosts == ["cdn.example.net"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "ü", ".", "..", "", "x y"]), max_size=5),
    st.lists(st.sampled_from(["a", "b", "ü", ".", "..", "", "x y"]), max_size=5),
    st.booleans(),
)
def test_relpath_is_posixpaths_without_getcwd(to: list[str], here: list[str], absolute: bool) -> None:
    import posixpath
    from migrator.plan.site_urls import _relpath

    path, start = "/".join(to) or ".", "/".join(here) or "."
    if absolute:
        path, start = "/" + path, "/" + start
    assert _relpath(path, start) == posixpath.relpath(path, start)


def test_address_without_host_is_read_as_site_relative_or_kept_as_text(tmp_path: Path) -> None:
    """WordPress 6.1's social links write ``https:///about/`` and ``https://#``: an address without
    a host is the site-relative URL it can only mean, else its text with a warning."""
    refs = _refs()
    assert refs.classify("https:///2015/03/harbour-at-dawn/").entry.id == "101"
    assert refs.classify("http:///?p=106").kind == "dangling"
    for url in ("https://#", "https://#x", "https://", "https://?s=boats", "https:////example.org/x/"):
        assert refs.classify(url).kind == "hostless", url
    assert refs.classify("https://example.org/#x").kind == "external"
    extra = (
        '<li><a href="https:///2015/03/harbour-at-dawn/#comment-2">Hostless permalink</a></li>\n'
        '<li><a href="https://#3fgfhgfh">Placeholder <em>link</em></a></li>\n'
        '<li><img src="https://#" alt="No picture"/></li>\n'
    )
    out = tmp_path / "out"
    convert([export_for(SITE, tmp_path, extra)], out)
    doc = path_of(out, "105")
    links = links_by_text(doc)
    assert resolve(doc, links["Hostless permalink"].split("#")[0]) == path_of(out, "101").resolve()
    assert links["Hostless permalink"].endswith("#comment-2")
    body = doc.read_text(encoding="utf-8")
    assert "- Placeholder *link*\n" in body and "3fgfhgfh" not in body
    assert "- No picture\n" in body
    assert "https://#" not in body
    warned = [p["message"] for p in manifest(out)["problems"] if p["code"] == "link-without-host"]
    assert sorted(warned) == [
        "https://#3fgfhgfh: an address without a host cannot work; kept as text",
        "https://#: an address without a host cannot work; kept as text",
    ]
