"""Build the converted fixture export with the real generators (Hugo, Jekyll, MkDocs, Pelican).

Each test converts ``fixtures/sample-export.xml`` with ``--target X --scaffold``, runs the
generator's own build in a temporary directory and inspects the built HTML: every published
document became a page, internal links between documents lead to the right pages, and no
commenter e-mail address or IP reached any file.  A generator that is not installed skips its
tests (CI installs them in ``.ci/run``).
"""

from __future__ import annotations

import html
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from migrator import pipeline

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
        return [url for url in self.pages if any(want == t or t.startswith(want + " ") or t.endswith(" " + want)
                                                   or want in t.split(" - ") for t in self.titles(url))]

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


def build(target: str, tmp_path_factory) -> Built:
    """Convert the fixture for ``target`` and build it (once per test session)."""
    if target in _BUILT:
        return _BUILT[target]
    command = _command(target)
    if command is None:
        pytest.skip(f"{target} is not installed")
    out = tmp_path_factory.mktemp(f"site-{target}")
    report = pipeline.convert([EXPORT], out, target=target, scaffold=True, comments="data")
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
    missing = [d.title for d in published if not site.page_titled(d.title)]
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
        if d.status != "publish":
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
    unapproved = [c for d in pipeline.read([EXPORT], problems=[]) if d.title == "Harbour at dawn"
                  for c in d.comments if c.approved != "1"]
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
