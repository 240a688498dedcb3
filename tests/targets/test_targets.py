"""Target profiles without building: Astro and Eleventy files against their documented front matter,
TOML and Pelican metadata, taxonomies, authors and comments data, the CLI options."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from conftest import FIXTURES, md_html, run_cli, split_front_matter

from migrator import pipeline
from migrator.targets import get_profile, resolve_options
from migrator.options import Options

EXPORT = FIXTURES / "sample-export.xml"


def convert(tmp_path: Path, target: str, **kw) -> tuple[Path, object]:
    """The fixture for ``target``; media stay linked unless asked (the fixture's host is not
    reachable: a target's default, downloading, is tested on its own below)."""
    out = tmp_path / target
    kw.setdefault("media", "link")
    report = pipeline.convert([EXPORT], out, target=target, **kw)
    assert not report.failed, [p for p in report.problems if p.severity == "error"]
    return out, report


def fm_of(path: Path) -> tuple[dict, str]:
    text, body = split_front_matter(path.read_text(encoding="utf-8"))
    return yaml.safe_load(text), body


def _iso(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


# ---------------------------------------------------------------- Astro


def test_astro_content_collection_matches_its_schema(tmp_path):
    out, report = convert(tmp_path, "astro", scaffold=True)
    config = (out / "src/content.config.ts").read_text()
    declared = set(re.findall(r"^\s+(\w+): z\.", config, re.M))
    assert {"title", "description", "pubDate", "updatedDate", "heroImage"} <= declared
    config = (out / "astro.config.mjs").read_text()
    assert "site:" not in config and "harbour.example.com" not in config  # no host given: none guessed
    posts = sorted((out / "src/content/blog").glob("*.md"))
    assert len(posts) == sum(d.type == "post" for d in report.documents)
    for path in posts:
        fm, _ = fm_of(path)
        assert set(fm) <= declared, (path.name, set(fm) - declared)
        assert isinstance(fm["title"], str) and isinstance(fm["description"], str)
        _iso(fm["pubDate"])  # z.coerce.date() accepts it
        if "updatedDate" in fm:
            assert _iso(fm["updatedDate"]) >= _iso(fm["pubDate"])
        assert "heroImage" not in fm or isinstance(fm["heroImage"], str)
        assert "slug" not in fm  # the glob loader would take it as the entry id
    fm, _ = fm_of(out / "src/content/blog/harbour-at-dawn.md")
    assert fm["heroImage"].endswith("/dawn.jpg") and fm["updatedDate"]
    assert (out / "src/content/pages/about.md").is_file()


def test_astro_links_point_at_collection_routes(tmp_path):
    out, _ = convert(tmp_path, "astro")
    _, body = fm_of(out / "src/content/blog/finding-your-way-around.md")
    hrefs = re.findall(r'href="([^"]+)"', md_html(body))
    internal = [unquote(h) for h in hrefs if h.startswith("/")]
    assert "/blog/harbour-at-dawn/" in internal and "/about/moorings/visitor-moorings/" in internal
    for href in internal:
        path = href.split("#")[0].strip("/")
        if path.startswith("blog/"):
            assert (out / "src/content" / (path + ".md")).is_file(), href
        else:
            assert (out / "src/content/pages" / (path + ".md")).is_file(), href


# ---------------------------------------------------------------- Eleventy


def test_eleventy_posts_have_permalink_tags_date(tmp_path):
    out, report = convert(tmp_path, "eleventy", scaffold=True)
    assert (out / ".eleventy.js").read_text().count("markdownTemplateEngine: false") == 1
    permalinks: dict[str, Path] = {}
    for path in sorted(out.rglob("*.md")):
        fm, _ = fm_of(path)
        link = fm["permalink"]
        assert isinstance(link, str) and link.startswith("/") and link.endswith("/"), link
        assert link not in permalinks, f"{path} and {permalinks[link]} share {link}"
        permalinks[link] = path
        if path.parent.name == "posts":
            _iso(fm["date"])
            assert all(isinstance(t, str) for t in fm.get("tags", []))
    assert len(permalinks) == len(report.documents)
    fm, _ = fm_of(out / "posts/harbour-at-dawn.md")
    assert fm["permalink"] == "/2015/03/harbour-at-dawn/"  # the old URL is kept
    assert fm["tags"] == ["fog", "ferries"]
    _, body = fm_of(out / "posts/finding-your-way-around.md")
    for href in re.findall(r'href="(/[^"]*)"', md_html(body)):
        assert unquote(href.split("#")[0]) in permalinks, href


# ---------------------------------------------------------------- Hugo TOML, Pelican metadata


def test_hugo_toml_front_matter_equals_yaml(tmp_path):
    yml, _ = convert(tmp_path / "y", "hugo")
    tml, _ = convert(tmp_path / "t", "hugo", front_matter_format="toml")
    files = sorted(p.relative_to(tml) for p in tml.rglob("*.md"))
    assert len(files) >= 15
    for rel in files:
        text = (tml / rel).read_text(encoding="utf-8")
        assert text.startswith("+++\n")
        head, body = text[4:].split("\n+++\n", 1)
        y_fm, y_body = fm_of(yml / rel)
        t_fm = tomllib.loads(head)
        assert {k: str(v) if k in ("date", "lastmod") else v for k, v in t_fm.items()} == {
            k: str(v) if k in ("date", "lastmod") else v for k, v in y_fm.items()
        }
        assert body == y_body


def test_pelican_metadata_block(tmp_path):
    out, _ = convert(tmp_path, "pelican")
    text = (out / "content/posts/harbour-at-dawn.md").read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    meta = dict(line.split(": ", 1) for line in head.splitlines())
    assert meta["Title"] == "Harbour at dawn"
    assert meta["Category"] == "Boats"  # one category; the others become tags
    assert meta["Tags"].split(", ") == ["Weather & Tides", "fog", "ferries"]
    assert meta["Slug"] == "harbour-at-dawn"
    assert datetime.fromisoformat(meta["Date"]).year == 2015
    # the duplicate slug gets its file's unique name as Slug
    text2 = (out / "content/posts/lighthouse-keeper-2.md").read_text(encoding="utf-8")
    assert "\nSlug: lighthouse-keeper-2\n" in text2
    links = re.findall(r"\]\((\{filename\}[^)]*)\)", (out / "content/posts/finding-your-way-around.md").read_text())
    assert "{filename}/posts/harbour-at-dawn.md" in links
    assert "{filename}/pages/about/moorings/visitor-moorings.md" in links
    for link in links:
        assert (out / "content" / unquote(link[len("{filename}/") :].split("#")[0])).is_file()


def test_pelican_drafts_and_markdown_lists(tmp_path):
    out, _ = convert(tmp_path, "pelican", include_drafts=True)
    drafts = [p for p in out.rglob("*.md") if "\nStatus: draft\n" in p.read_text(encoding="utf-8")]
    assert drafts
    markdown = pytest.importorskip("markdown")
    text = (out / "content/posts/harbour-at-dawn.md").read_text(encoding="utf-8")
    md = markdown.Markdown(extensions=["meta", "extra"])
    html = md.convert(text)
    assert md.Meta["title"] == ["Harbour at dawn"]
    assert "<li>A warm coat</li>" in html and "<ol>" in html


# ---------------------------------------------------------------- data files


def test_taxonomies_authors_and_mapping(tmp_path):
    out, _ = convert(tmp_path, "hugo", scaffold=True, taxonomy_keys={"portfolio_cat": "collections"})
    terms = json.loads((out / "data/taxonomies.json").read_text())
    by_slug = {(t["taxonomy"], t["slug"]): t for t in terms}
    assert by_slug[("category", "dinghies")]["parent"] == "sailing-boats"
    assert by_slug[("category", "sailing-boats")]["parent"] == "boats"
    assert by_slug[("category", "boats")]["description"].startswith("Everything that floats")
    assert by_slug[("category", "boats")]["count"] >= 1
    assert all(set(t) == {"taxonomy", "slug", "name", "parent", "description", "count"} for t in terms)
    chart = out / "content/portfolio/chart-of-the-outer-harbour.md"
    fm, _ = fm_of(chart)
    assert fm["collections"] and "taxonomies" not in fm
    assert by_slug[("portfolio_cat", _slug_of(terms, fm["collections"][0]))]["count"] == 1
    config = tomllib.loads((out / "hugo.toml").read_text())
    assert config["taxonomies"]["collections"] == "collections"
    assert config["title"] == "Harbour Notes" and config["baseURL"] == "/"  # --base-url's default
    assert config["buildFuture"] is True and config["params"]["mainSections"] == ["posts"]
    authors = json.loads((out / "data/authors.json").read_text())
    assert authors["harbourmaster"]["name"] == "Maren Holt"
    assert all(set(a) == {"name", "login", "url"} for a in authors.values())
    assert "@" not in (out / "data/authors.json").read_text()


def _slug_of(terms: list[dict], name: str) -> str:
    return next(t["slug"] for t in terms if t["name"] == name)


def test_jekyll_and_mkdocs_author_conventions(tmp_path):
    jk, _ = convert(tmp_path, "jekyll")
    fm, _ = fm_of(jk / "_posts/2015-03-14-harbour-at-dawn.md")
    authors = json.loads((jk / "_data/authors.json").read_text())
    assert fm["author"] in authors and fm["layout"] == "post" and fm["render_with_liquid"] is False
    mk, _ = convert(tmp_path, "mkdocs")
    fm, _ = fm_of(mk / "docs/blog/posts/harbour-at-dawn.md")
    material = yaml.safe_load((mk / "docs/blog/.authors.yml").read_text())["authors"]
    assert fm["authors"] == ["harbourmaster"] and material["harbourmaster"]["name"] == "Maren Holt"
    assert isinstance(fm["date"]["created"], datetime)  # Material needs real dates


def test_comments_inline_threaded_without_private_data(tmp_path):
    out, _ = convert(tmp_path, "plain", comments="inline")
    text = (out / "posts/harbour-at-dawn.md").read_text(encoding="utf-8")
    html = md_html(split_front_matter(text)[1])
    assert "<h2>Comments</h2>" in html
    tail = html[html.index("<h2>Comments</h2>") :]
    assert "Lovely description of the breakwater" in tail
    assert re.search(r"<blockquote>\s*<p><strong>Maren Holt</strong>", tail)  # the reply, quoted
    docs = {d.id: d for d in pipeline.read([EXPORT], problems=[])}
    for c in docs["101"].comments:
        for private in (c.author_email, c.author_ip):
            assert not private or private not in text
        if c.approved != "1":
            assert c.content.strip()[:30] not in text


def test_comments_data_files_per_target(tmp_path):
    for target, where in (
        ("hugo", "data/comments/101.json"),
        ("jekyll", "_data/comments/101.json"),
        ("pelican", "comments/101.json"),
    ):
        out, _ = convert(tmp_path, target, comments="data")
        thread = json.loads((out / where).read_text())
        assert thread[0]["author"] and thread[0]["replies"][0]["content"]
        assert all(set(c) == {"id", "author", "author_url", "date", "type", "content", "replies"} for c in thread)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_duplicate_item_does_not_count_its_terms_twice(tmp_path, jobs):
    """WordPress's exporter can write an item twice (split exports, re-runs); right after its
    original, the copy is skipped as a duplicate and its terms are not counted again."""
    text = EXPORT.read_text(encoding="utf-8")
    start = text.rindex("<item>", 0, text.index("<wp:post_type><![CDATA[post]]>"))  # the first post
    end = text.index("</item>", start) + len("</item>")
    item = text[start:end]
    assert "<category" in item
    doubled = tmp_path / "doubled.xml"
    doubled.write_text(text[:end] + "\n" + item + text[end:], encoding="utf-8")

    def counts(path: Path, out: Path) -> dict:
        report = pipeline.convert([path], out, target="hugo", scaffold=True, jobs=jobs, media="link")
        assert not report.failed
        return {(t["taxonomy"], t["slug"]): t["count"] for t in json.loads((out / "data/taxonomies.json").read_text())}

    once, twice = counts(EXPORT, tmp_path / "once"), counts(doubled, tmp_path / "twice")
    assert any(once.values()) and twice == once
    manifest = json.loads((tmp_path / "twice" / "manifest.json").read_text())
    assert [s["reason"] for s in manifest["skipped"] if "duplicate" in s["reason"]]


def test_plain_target_writes_no_extra_files(tmp_path):
    out, _ = convert(tmp_path, "plain", scaffold=True)
    assert not (out / "taxonomies.json").exists() and not (out / "comments").exists()
    fm, _ = fm_of(out / "posts/harbour-at-dawn.md")
    assert fm["aliases"] and fm["slug"] == "harbour-at-dawn"


def test_options_and_cli(tmp_path):
    assert resolve_options(Options(target="hugo")).layouts == get_profile("hugo").layouts
    custom = resolve_options(Options(target="hugo", layout="x/{slug}.md"))
    assert custom.layouts == {} and custom.layout == "x/{slug}.md"
    assert resolve_options(Options(target="jekyll", media="bundle")).media == "download"
    with pytest.raises(ValueError):
        resolve_options(Options(target="jekyll", front_matter_format="toml"))
    bad = run_cli("convert", str(EXPORT), "-o", str(tmp_path / "o"), "--target", "jekyll", "--front-matter", "toml")
    assert bad.returncode == 2 and "toml" in bad.stderr
    ok = run_cli(
        "convert",
        str(EXPORT),
        "-o",
        str(tmp_path / "h"),
        "-q",
        "--target",
        "hugo",
        "--scaffold",
        "--media",
        "link",
        "--comments",
        "data",
        "--taxonomy",
        "portfolio_cat=collections",
    )
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "h/hugo.toml").is_file() and (tmp_path / "h/data/comments/101.json").is_file()
    wrong = run_cli("convert", str(EXPORT), "-o", str(tmp_path / "w"), "--taxonomy", "nokey")
    assert wrong.returncode == 2


def test_rerun_keeps_scaffold_and_data_files_as_ours(tmp_path) -> None:
    """Scaffold and data files are recorded as ours: a re-run neither removes them as stale
    nor overwrites a scaffold file the user edited (which is the user's from then on)."""
    import json as _json

    import migrator
    from conftest import FIXTURES

    out = tmp_path / "site"
    first = migrator.convert([FIXTURES / "sample-export.xml"], out, target="hugo", scaffold=True)
    assert first.exit_code == 0
    files = _json.loads((out / "manifest.json").read_text())["files"]
    assert "hugo.toml" in files and any(f.startswith("data/") for f in files)
    (out / "hugo.toml").write_text((out / "hugo.toml").read_text() + "\n# edited by hand\n")
    second = migrator.convert([FIXTURES / "sample-export.xml"], out, target="hugo", scaffold=True)
    assert second.exit_code == 0
    assert not [p for p in second.problems if p.code in ("stale-removed", "output-conflict")]
    assert (out / "hugo.toml").read_text().endswith("# edited by hand\n")
    assert _json.loads((out / "manifest.json").read_text())["files"] == [f for f in files if f != "hugo.toml"]


@pytest.mark.parametrize(
    "target,root", [("mkdocs", "docs/"), ("pelican", "content/"), ("astro", "public/"), ("hugo", ""), ("jekyll", "")]
)
def test_downloaded_media_land_where_the_generator_publishes_them(tmp_path, target, root) -> None:
    """With --media-from (a local uploads copy) the files go inside the folder the generator
    publishes, and every document's reference to them resolves there."""
    import re as _re

    import migrator
    from conftest import FIXTURES

    uploads = tmp_path / "uploads"
    names = [
        "2015/03/dawn.jpg",
        "2016/07/knot-bowline.jpg",
        "2016/07/knot-cleat.jpg",
        "2015/10/slipway-1.jpg",
        "2015/10/slipway-2.jpg",
        "2016/05/tide-tables-2016.pdf",
    ]
    for name in names:
        (uploads / name).parent.mkdir(parents=True, exist_ok=True)
        (uploads / name).write_bytes(b"%PDF-1.4" if name.endswith(".pdf") else b"\xff\xd8\xff\xe0fakejpeg")
    out = tmp_path / target
    report = migrator.convert([FIXTURES / "sample-export.xml"], out, target=target, media_from=str(uploads))
    assert report.exit_code == 0
    copied = [m for m in report.media if m.status == "copied"]
    assert copied and all(m.path.startswith(root + "media/") for m in copied)
    assert all((out / m.path).is_file() for m in copied)
    bowline = next(m for m in copied if m.path.endswith("knot-bowline.jpg"))
    site_path = bowline.path[len(root) :]  # the file's path on the built site
    text = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.md"))
    refs = set(_re.findall(r"\]\(([^)\s]+knot-bowline\.jpg)", text))
    assert refs, "the image is referenced"
    for ref in refs:
        if ref.startswith("{static}/"):
            assert ref == "{static}/" + site_path
        elif ref.startswith("/"):
            assert ref == "/" + site_path
        else:  # relative to the document (mkdocs): resolves to the copied file
            assert any(
                (doc.parent / ref).resolve() == (out / bowline.path).resolve()
                for doc in out.rglob("*.md")
                if ref in doc.read_text(encoding="utf-8")
            )


def test_a_target_downloads_media_unless_told_to_link(tmp_path):
    """With --target, media come along by default (the new site must not break when WordPress is
    switched off); --media link opts out; plain Markdown links by default."""
    effective = pipeline.effective_options
    assert effective(Options(target="hugo"), []).media == "download"
    assert effective(Options(target="jekyll", media="link"), []).media == "link"
    assert effective(Options(), []).media == "link" and effective(Options(target="plain"), []).media == "link"
    assert effective(Options(media_from=str(tmp_path)), []).media == "download"
    uploads = tmp_path / "uploads"
    for rel in set(re.findall(r"wp-content/uploads/(\d{4}/\d\d/[A-Za-z0-9._-]+)", EXPORT.read_text(encoding="utf-8"))):
        (uploads / rel).parent.mkdir(parents=True, exist_ok=True)
        (uploads / rel).write_bytes(b"fixture")
    linked = run_cli("convert", str(EXPORT), "-o", str(tmp_path / "l"), "-q", "--target", "jekyll", "--media", "link")
    assert linked.returncode == 0 and not (tmp_path / "l/media").exists()
    fm, _ = fm_of(tmp_path / "l/_posts/2015-03-14-harbour-at-dawn.md")
    assert fm["featured_image"].startswith("https://harbour.example.com/wp-content/uploads/")
    # the default, brought along from a local copy of the uploads (no HTTP in the test)
    report = pipeline.convert([EXPORT], tmp_path / "d", target="jekyll", media_from=str(uploads))
    fm, _ = fm_of(tmp_path / "d/_posts/2015-03-14-harbour-at-dawn.md")
    assert fm["featured_image"].startswith("/media/") and (tmp_path / "d" / fm["featured_image"][1:]).is_file()
    assert any(m.status == "copied" for m in report.media)


def test_jekyll_time_zone_is_the_posts_usual_offset(tmp_path):
    from datetime import timedelta

    from migrator.targets.scaffold import jekyll_timezone

    out, _ = convert(tmp_path, "jekyll", scaffold=True)
    assert yaml.safe_load((out / "_config.yml").read_text())["timezone"] == "Etc/GMT-2"  # 8 posts +02:00, 5 +01:00
    assert "timezone:" in jekyll_timezone(timedelta(hours=-7)) and "Etc/GMT+7" in jekyll_timezone(timedelta(hours=-7))
    assert "Etc/UTC" in jekyll_timezone(timedelta(0))
    assert jekyll_timezone(timedelta(hours=5, minutes=30)) == jekyll_timezone(None) == ""  # no fixed zone of it


@pytest.mark.parametrize(
    "base, hugo, jekyll",
    [
        ("/", "/", ("", "")),
        ("/blog/", "/blog/", ("", "/blog")),
        ("https://new.example.org/notes/", "https://new.example.org/notes/", ("https://new.example.org", "/notes")),
    ],
)
def test_scaffold_address_is_the_base_url_never_the_old_host(tmp_path, base, hugo, jekyll):
    out, _ = convert(tmp_path, "hugo", scaffold=True, base_url=base)
    assert tomllib.loads((out / "hugo.toml").read_text())["baseURL"] == hugo
    out, _ = convert(tmp_path, "jekyll", scaffold=True, base_url=base)
    config = yaml.safe_load((out / "_config.yml").read_text())
    assert (config["url"], config["baseurl"]) == jekyll and config["future"] is True
    for target, name in (
        ("mkdocs", "mkdocs.yml"),
        ("pelican", "pelicanconf.py"),
        ("astro", "astro.config.mjs"),
        ("eleventy", "_data/site.json"),
    ):
        out, _ = convert(tmp_path, target, scaffold=True, base_url=base)
        assert "harbour.example.com" not in (out / name).read_text(), name


@pytest.mark.parametrize(
    "target, published", [("astro", "public/_redirects"), ("eleventy", "_redirects"), ("plain", "_redirects")]
)
def test_netlify_map_goes_where_the_generator_publishes_it(tmp_path, target, published):
    """The targets not built by the tests: Astro publishes public/ as it is, Eleventy's scaffold
    copies _redirects through; the server maps stay at the root (tests/targets/test_targets_build.py
    builds the others)."""
    out, _ = convert(tmp_path, target, scaffold=True, redirects=["netlify", "nginx"])
    files = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert published in files and "redirects.nginx.conf" in files
    assert [f for f in files if f.endswith("_redirects")] == [published]
    lines = (out / published).read_text(encoding="utf-8").splitlines()
    assert any(line.split()[:2] == ["/", "p=101"] for line in lines), lines  # ?p=101, the first post
    if target == "eleventy":
        assert 'addPassthroughCopy("_redirects")' in (out / ".eleventy.js").read_text(encoding="utf-8")
