"""Build the converted fixture export with the real generators (Hugo, Jekyll, MkDocs, Pelican).

Each test converts ``fixtures/sample-export.xml`` with ``--target X --scaffold``, runs the
generator's own build in a temporary directory and inspects the built HTML: every published
document became a page, internal links between documents lead to the right pages, and no
commenter e-mail address or IP reached any file.  A generator that is not installed skips its
tests (CI installs them in ``.ci/run``).
"""

from __future__ import annotations

import html
import json
import importlib.util
import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from migrator import pipeline
from migrator.output.redirects import FILES as REDIRECT_FILES

from conftest import FIXTURES

EXPORT = FIXTURES / "sample-export.xml"


def _python_tool(module: str, *needs: str) -> list[str] | None:
    if all(importlib.util.find_spec(m) for m in (module, *needs)):
        return [sys.executable, "-m", module]
    return None


def _command(target: str) -> tuple[list[str], str] | None:
    """The build command and its output folder, or None when the generator is missing."""
    if target == "hugo":
        return (["hugo", "--quiet", "--destination", "public"], "public") if shutil.which("hugo") else None
    if target == "jekyll":
        return (["jekyll", "build", "--quiet"], "_site") if shutil.which("jekyll") else None
    if target == "mkdocs":
        tool = _python_tool("mkdocs", "material")
        return ([*tool, "build", "--quiet"], "site") if tool else None
    if target == "pelican":
        tool = _python_tool("pelican")
        return ([*tool, "content", "-s", "pelicanconf.py", "-o", "output", "--quiet"], "output") if tool else None
    raise AssertionError(target)


class Built:
    """A built site: pages by URL path, with their titles and links."""

    def __init__(self, root: Path, out: Path, report):
        self.root = root
        self.out = out
        self.report = report
        self.pages: dict[str, BeautifulSoup] = {}
        for path in sorted(root.rglob("*.html")):
            rel = path.relative_to(root).as_posix()
            url = "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
            self.pages[url] = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")

    def titles(self, url: str) -> set[str]:
        soup = self.pages[url]
        found = {_norm(t.get_text()) for t in soup.find_all("title")}
        return {t for t in found if t}

    def page_titled(self, title: str) -> list[str]:
        want = _norm(title)
        return [
            url
            for url in self.pages
            if any(
                want == t or t.startswith(want + " ") or t.endswith(" " + want) or want in t.split(" - ")
                for t in self.titles(url)
            )
        ]

    def resolve(self, page_url: str, href: str) -> str | None:
        """The built page URL an internal ``href`` of ``page_url`` leads to (None: external)."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith(("#", "mailto:")) or not parts.path:
            return None
        path = unquote(urljoin(page_url, parts.path))
        return path

    def exists(self, path: str) -> bool:
        target = self.root / path.lstrip("/")
        if path.endswith("/"):
            return (target / "index.html").is_file()
        return target.is_file() or (target / "index.html").is_file()

    def page_of(self, path: str) -> str | None:
        if path in self.pages:
            return path
        if path + "/" in self.pages:
            return path + "/"
        return None


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


_BUILT: dict[str, Built] = {}


def tiny_png() -> bytes:
    """A valid 1x1 PNG (the stand-in of every uploaded file)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\x80\x80\x80"))
        + chunk(b"IEND", b"")
    )


def write_uploads(folder: Path) -> Path:
    """A stand-in ``wp-content/uploads`` holding every file the export names (media come along
    without HTTP, as ``--media-from`` copies them)."""
    for rel in set(re.findall(r"wp-content/uploads/(\d{4}/\d\d/[A-Za-z0-9._-]+)", EXPORT.read_text(encoding="utf-8"))):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(tiny_png())
    return folder


#: Two more posts of the same site for the built-in layouts: one without a title, one that
#: WordPress published with a date after the build (Hugo and Jekyll skip those by default).
EXTRA_ITEM = (
    "<item><title><![CDATA[{title}]]></title><link>https://harbour.example.com/?p={id}</link>"
    "<dc:creator>harbourmaster</dc:creator><wp:post_id>{id}</wp:post_id><wp:post_name>{slug}</wp:post_name>"
    "<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>"
    "<wp:post_date>{date}</wp:post_date><wp:post_date_gmt>{date}</wp:post_date_gmt>"
    "<content:encoded><![CDATA[<p>{body}</p>]]></content:encoded></item>\n"
)
UNTITLED_BODY = "A note without a title, written from the harbour wall"
FUTURE_TITLE = "A letter dated next century"


def write_extra(path: Path) -> Path:
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<channel><title>Harbour Notes</title><link>https://harbour.example.com</link>"
        "<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://harbour.example.com</wp:base_site_url>\n"
        + EXTRA_ITEM.format(title="", id=9001, slug="9001", date="2016-05-02 10:00:00", body=UNTITLED_BODY)
        + EXTRA_ITEM.format(
            title=FUTURE_TITLE,
            id=9002,
            slug="next-century",
            date="2099-06-01 09:00:00",
            body="Written long after the build",
        )
        + "</channel></rss>\n",
        encoding="utf-8",
    )
    return path


#: Targets with a built-in layout (home page, taxonomy pages, pagination: docs/targets.md).
LAYOUTS = ["hugo", "jekyll"]


def build(target: str, tmp_path_factory) -> Built:
    """Convert the fixture for ``target`` and build it (once per test session)."""
    if target in _BUILT:
        return _BUILT[target]
    command = _command(target)
    if command is None:
        pytest.skip(f"{target} is not installed")
    out = tmp_path_factory.mktemp(f"site-{target}")
    uploads = write_uploads(out.parent / f"uploads-{target}")
    inputs = [EXPORT, write_extra(out.parent / f"extra-{target}.xml")] if target in LAYOUTS else [EXPORT]
    report = pipeline.convert(
        inputs,
        out,
        target=target,
        scaffold=True,
        comments="data",
        media_from=str(uploads),
        redirects=list(REDIRECT_FILES),
    )
    assert not report.failed, [p for p in report.problems if p.severity == "error"]
    cmd, folder = command
    try:
        proc = subprocess.run(cmd, cwd=out, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"{target} could not run: {exc}")
    assert proc.returncode == 0, f"{target} build failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    _BUILT[target] = Built(out / folder, out, report)
    return _BUILT[target]


TARGETS = ["hugo", "jekyll", "mkdocs", "pelican"]


@pytest.mark.parametrize("target", TARGETS)
def test_every_published_document_becomes_a_page(target, tmp_path_factory):
    site = build(target, tmp_path_factory)
    published = [d for d in site.report.documents if d.status == "publish"]
    assert len(published) >= 15
    missing = [d.title for d in published if not site.page_titled(d.title or "(untitled)")]
    assert not missing, f"no built page titled {missing}"


# link text in "Finding your way around" -> title of the page it must lead to
EXPECTED_LINKS = {
    "Pretty permalink with trailing slash": "Harbour at dawn",
    "Pretty permalink without trailing slash": "Harbour at dawn",
    "Plain http link": "Knots every deckhand should know",
    "With www.": "Shortcodes in the chart room",
    "Relative link": "Harbour at dawn",
    "Percent-encoded unicode permalink (upper-case hex)": "港の朝 — morning in the harbour",
    "Grandchild page": "Visitor moorings",
    "Link to a comment anchor": "Harbour at dawn",
}


@pytest.mark.parametrize("target", TARGETS)
def test_internal_links_lead_to_the_right_pages(target, tmp_path_factory):
    site = build(target, tmp_path_factory)
    [source] = site.page_titled("Finding your way around")
    anchors = {_norm(a.get_text()): a["href"] for a in site.pages[source].find_all("a", href=True)}
    for text, title in EXPECTED_LINKS.items():
        href = anchors.get(text)
        assert href is not None, f"link {text!r} missing on {source}"
        path = site.resolve(source, href)
        assert path is not None, f"{text!r} still points elsewhere: {href}"
        page = site.page_of(path)
        assert page is not None, f"{text!r} -> {href} -> {path}: no such page"
        assert page in site.page_titled(title), f"{text!r} -> {page}, not the page titled {title!r}"
    # archives and documents that are not in the export stay on the old site
    assert anchors["A post that is not in this export"].startswith("https://harbour.example.com/")


def test_archive_links_go_to_the_generators_taxonomy_pages(tmp_path_factory):
    """Hugo has category and tag pages: links to the old archives lead there."""
    site = build("hugo", tmp_path_factory)
    [source] = site.page_titled("Finding your way around")
    anchors = {_norm(a.get_text()): a["href"] for a in site.pages[source].find_all("a", href=True)}
    for text in ("Category archive", "Tag archive"):
        path = site.resolve(source, anchors[text])
        assert path is not None and site.exists(path), (text, anchors[text])


@pytest.mark.parametrize("target", TARGETS)
def test_no_broken_internal_link_in_any_document(target, tmp_path_factory):
    site = build(target, tmp_path_factory)
    broken = []
    for d in site.report.documents:
        if d.status != "publish" or not d.title:
            continue
        for url in site.page_titled(d.title):
            for a in site.pages[url].select("article a[href], main a[href], .md-content a[href], #content a[href]"):
                path = site.resolve(url, a["href"])
                if path is not None and not site.exists(path):
                    broken.append((url, a["href"]))
    assert not broken, broken


@pytest.mark.parametrize("target", TARGETS)
def test_no_email_or_ip_written(target, tmp_path_factory):
    site = build(target, tmp_path_factory)
    private = set()
    for doc in pipeline.read([EXPORT], problems=[]):
        for c in doc.comments:
            private |= {v for v in (c.author_email, c.author_ip) if v}
    assert len(private) >= 4
    for path in site.out.rglob("*"):
        if path.is_file() and path.suffix in (".md", ".json", ".yml", ".html", ".toml", ".py"):
            text = path.read_text(encoding="utf-8", errors="replace")
            leaked = [p for p in private if p in text]
            assert not leaked, f"{path}: {leaked}"


@pytest.mark.parametrize("target", ["hugo", "jekyll"])
def test_comments_data_rendered_and_threaded(target, tmp_path_factory):
    site = build(target, tmp_path_factory)
    [page] = site.page_titled("Harbour at dawn")
    comments = site.pages[page].select(".comments li")
    assert comments, "no comments rendered from the data files"
    texts = [_norm(li.get_text()) for li in comments]
    assert any("Lovely description of the breakwater" in t for t in texts)
    # the reply is nested inside its parent's list item
    reply = [li for li in comments if li.find_parent("li") is not None]
    assert reply and any("Ines" in _norm(r.get_text()) for r in reply)
    unapproved = [
        c
        for d in pipeline.read([EXPORT], problems=[])
        if d.title == "Harbour at dawn"
        for c in d.comments
        if c.approved != "1"
    ]
    assert unapproved
    body = _norm(site.pages[page].get_text())
    for c in unapproved:
        assert _norm(c.content)[:30] not in body


@pytest.mark.parametrize("target", ["hugo", "jekyll"])
def test_old_urls_still_lead_to_the_documents(target, tmp_path_factory):
    """Hugo writes alias pages, Jekyll keeps the old permalinks: old links keep working."""
    site = build(target, tmp_path_factory)
    for d in site.report.documents:
        if d.status != "publish" or not d.source_url:
            continue
        old = unquote(urlsplit(d.source_url).path)
        if old.strip("/") == "" or urlsplit(d.source_url).query:
            continue
        assert site.exists(old), f"{d.title}: old URL {old} is gone"


# ---------------------------------------------------------------------- the built-in layouts


def _text(tag) -> str:
    return _norm(tag.get_text()) if tag is not None else ""


def _published(site: Built, kind: str) -> list:
    return [d for d in site.report.documents if d.status == "publish" and d.type == kind]


@pytest.mark.parametrize("target", LAYOUTS)
def test_home_lists_posts_newest_first_with_dates_and_excerpts(target, tmp_path_factory):
    site = build(target, tmp_path_factory)
    home = site.pages["/"]
    entries = home.select(".entries .entry")
    posts = _published(site, "post")
    assert len(posts) > 10 and len(entries) == 10  # ten a page
    titles = [_text(e.select_one(".entry-title a")) for e in entries]
    assert all(titles), titles  # no empty bullet: an untitled post is "(untitled)"
    post_titles = {d.title or "(untitled)" for d in posts}
    assert set(titles) <= post_titles, set(titles) - post_titles  # posts only, no pages mixed in
    assert not set(titles) & {d.title for d in _published(site, "page")}
    dates = [e.select_one("time[datetime]")["datetime"] for e in entries]
    assert dates == sorted(dates, reverse=True) and _text(entries[0].select_one("time"))
    summaries = [_text(e.select_one(".entry-summary")) for e in entries]
    assert sum(bool(s) for s in summaries) >= 5, summaries
    # the excerpt, else the first paragraph with text (not every text of the post run together)
    listed = {
        _text(e.select_one(".entry-title")): _text(e.select_one(".entry-summary"))
        for page in ("/", "/page/2/")
        for e in site.pages[page].select(".entries .entry")
    }
    assert listed["Knots every deckhand should know"] == "Four knots you can tie in the dark."
    assert listed["The slipway in pictures"] == "Two photographs from the autumn haul-out."
    nav = [_text(a) for a in home.select(".site-nav a")]
    assert "Home" in nav and {"About the harbour"} & set(nav) or [t for t in nav if t != "Home"], nav
    top_pages = {d.title for d in _published(site, "page")}
    assert set(nav) - {"Home"} <= top_pages, set(nav) - {"Home"} - top_pages


@pytest.mark.parametrize("target", LAYOUTS)
def test_post_page_shows_date_author_terms_and_featured_image(target, tmp_path_factory):
    site = build(target, tmp_path_factory)
    [url] = site.page_titled("Harbour at dawn")
    page = site.pages[url]
    meta = page.select_one("main > .meta")
    assert _text(meta.select_one("time")) == "March 14, 2015", meta
    assert "Maren Holt" in _text(meta)  # the display name, not the login
    categories = {_text(a): a["href"] for a in meta.select(".categories a")}
    tags = {_text(a): a["href"] for a in page.select(".terms a[rel=tag]")}
    assert set(categories) == {"Boats", "Weather & Tides"} and set(tags) == {"fog", "ferries"}
    for name, href in {**categories, **tags}.items():
        target_page = site.page_of(site.resolve(url, href))
        assert target_page is not None, (name, href)
        fragment = urlsplit(href).fragment
        holder = site.pages[target_page].find(id=fragment) if fragment else site.pages[target_page]
        assert holder is not None and "Harbour at dawn" in _text(holder), (name, href)
    # the article holds the title and the text (what migrator verify compares with the old page)
    article = _text(page.select_one("main article"))
    assert article.startswith("Harbour at dawn") and "Maren Holt" not in article and "ferries" not in article
    [featured] = page.select("figure.featured img")
    assert featured["src"].endswith("/dawn.jpg") and site.exists(site.resolve(url, featured["src"]))
    assert page.select(".comments li")


@pytest.mark.parametrize("target", LAYOUTS)
def test_taxonomy_and_pagination_pages(target, tmp_path_factory):
    site = build(target, tmp_path_factory)
    for taxonomy, term in (("categories", "Boats"), ("tags", "fog")):
        listing = site.pages[f"/{taxonomy}/"]
        assert term in {_norm(a.find(string=True) or "") for a in listing.select(".term-list a")}
    boats = site.pages["/categories/boats/"] if target == "hugo" else site.pages["/categories/"].find(id="boats")
    assert "Harbour at dawn" in _text(boats)
    second = site.pages["/page/2/"]
    assert len(second.select(".entries .entry")) == len(_published(site, "post")) - 10
    assert site.resolve("/", site.pages["/"].select_one(".pager a[rel=next]")["href"]) == "/page/2/"
    assert site.resolve("/page/2/", second.select_one(".pager a[rel=prev]")["href"]) == "/"
    assert not second.select(".pager a[rel=next]")


@pytest.mark.parametrize("target", LAYOUTS)
def test_dates_show_as_wordpress_showed_them(target, tmp_path_factory):
    """A post written half an hour after midnight at UTC+2 is dated that day, not the day
    before in UTC (Jekyll: the scaffold's time zone, the posts' usual offset)."""
    site = build(target, tmp_path_factory)
    [url] = site.page_titled("The lighthouse keeper")
    time = site.pages[url].select_one("main > .meta time")
    assert _text(time) == "May 1, 2017" and time["datetime"].startswith("2017-05-01T00:30:00"), time


@pytest.mark.parametrize("target", LAYOUTS)
def test_untitled_and_future_dated_posts_are_built(target, tmp_path_factory):
    site = build(target, tmp_path_factory)
    [future] = site.page_titled(FUTURE_TITLE)  # published in WordPress: built though dated 2099
    assert "June 1, 2099" in _text(site.pages[future].select_one(".meta"))
    untitled = [u for u in site.page_titled("(untitled)") if UNTITLED_BODY in _text(site.pages[u])]
    assert len(untitled) == 1
    assert site.pages[untitled[0]].select_one("h1").get_text(strip=True) == "(untitled)"


@pytest.mark.parametrize("target", LAYOUTS)
def test_every_internal_link_and_image_of_the_built_site_resolves(target, tmp_path_factory):
    site = build(target, tmp_path_factory)
    broken, checked = [], 0
    for url, soup in site.pages.items():
        for tag, attr in (("a", "href"), ("img", "src"), ("link", "href")):
            for node in soup.find_all(tag, **{attr: True}):
                path = site.resolve(url, node[attr])
                if path is None:
                    continue
                checked += 1
                if not site.exists(path):
                    broken.append((url, node[attr]))
                    continue
                fragment = urlsplit(node[attr]).fragment
                inside = node.find_parent(class_="content") is not None  # the source's own anchors
                if (
                    fragment
                    and not inside
                    and site.page_of(path)
                    and not site.pages[site.page_of(path)].find(id=fragment)
                ):
                    broken.append((url, node[attr]))
    assert checked > 200 and not broken, (checked, broken[:20])
    images = [img["src"] for soup in site.pages.values() for img in soup.select(".content img, .entry-thumb img")]
    assert images and all(not urlsplit(src).netloc for src in images), "media must come along by default"


@pytest.mark.parametrize(
    "target, published",
    [
        ("hugo", "static/_redirects"),
        ("jekyll", "_redirects"),
        ("mkdocs", "docs/_redirects"),
        ("pelican", "content/extra/_redirects"),
    ],
)
def test_netlify_map_is_published_and_the_server_maps_are_not(target, published, tmp_path_factory):
    site = build(target, tmp_path_factory)
    files = json.loads((site.out / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert published in files and (site.out / published).is_file()
    assert (site.root / "_redirects").read_bytes() == (site.out / published).read_bytes()
    for fmt, name in REDIRECT_FILES.items():
        if fmt != "netlify":
            assert name in files and not list(site.root.rglob(name)), f"{name} published by {target}"


#: Written into a copy of a built page: where the browser put each paragraph of the content.
PROBE = """<script>
window.addEventListener("load", () => {
  const ps = [...document.querySelectorAll(".content > p")].map(p => {
    const r = p.getBoundingClientRect(), img = p.querySelector("img"), style = getComputedStyle(p);
    const i = img ? img.getBoundingClientRect() : null;
    return {text: p.textContent.trim(), img: img ? img.getAttribute("src") : "", float: style.float,
            clear: style.clear, left: r.left, top: r.top, bottom: r.bottom, imgBottom: i ? i.bottom : null,
            imgWidth: i ? i.width : null};
  });
  const pre = document.createElement("pre"); pre.id = "probe"; pre.textContent = JSON.stringify(ps);
  document.body.append(pre);
});
</script>"""


def _browser() -> str | None:
    return next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)


def _laid_out(site: Built, url: str, browser: str) -> list[dict]:
    """The content's paragraphs of the built page at ``url`` as headless Chromium lays them out
    (1200 px wide), the site served on 127.0.0.1."""
    import functools
    import http.server
    import tempfile
    import threading

    name = "probe-" + re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") + ".html"
    source = (site.root / url.lstrip("/") / "index.html").read_text(encoding="utf-8")
    (site.root / name).write_text(source.replace("</body>", PROBE + "</body>"), encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site.root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with tempfile.TemporaryDirectory() as profile:
            # the page's own address: its relative links resolve as on the built page
            dom = subprocess.run(
                [
                    browser,
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    f"--user-data-dir={profile}",
                    "--window-size=1200,900",
                    "--virtual-time-budget=5000",
                    "--dump-dom",
                    f"http://127.0.0.1:{server.server_address[1]}/{name}",
                ],
                capture_output=True,
                text=True,
                timeout=120,
                check=True,
            ).stdout
    finally:
        server.shutdown()
        (site.root / name).unlink()
    probe = BeautifulSoup(dom, "lxml").find(id="probe")
    assert probe is not None, dom[-2000:]
    return json.loads(probe.get_text())


@pytest.mark.parametrize("target", LAYOUTS)
def test_gallery_images_flow_as_a_grid_with_captions_under_them(target, tmp_path_factory):
    """The built gallery post as Chromium lays it out: the images side by side, the caption under
    its image, the paragraph after the run below the grid; an image alone (in another post)
    stays in the text's flow."""
    browser = _browser()
    if browser is None:
        pytest.skip("no Chromium")
    site = build(target, tmp_path_factory)
    [url] = site.page_titled("The slipway in pictures")
    paragraphs = _laid_out(site, url, browser)
    by_text = {p["text"]: p for p in paragraphs if p["text"]}
    images = [p for p in paragraphs if p["img"]]
    assert [p["img"].rsplit("/", 1)[-1] for p in images] == ["slipway-1.jpg", "slipway-2.jpg"]
    first, second = images
    assert first["float"] == second["float"] == "left" and first["top"] == second["top"]
    assert second["left"] > first["left"] + first["imgWidth"]  # side by side
    caption = by_text["Hauled out"]
    assert abs(caption["left"] - first["left"]) < 1 and caption["top"] >= first["imgBottom"]  # under its image
    after = by_text["Both were taken from the harbour wall."]
    assert after["float"] == "none" and after["top"] >= max(p["bottom"] for p in (first, second, caption))
    assert by_text["Two photographs from the autumn haul-out."]["float"] == "none"
    [single] = site.page_titled("Harbour at dawn")
    alone = [p for p in _laid_out(site, single, browser) if p["img"]]
    assert alone and all(p["float"] == "none" for p in alone)
