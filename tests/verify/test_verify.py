"""``migrator verify`` on sites built in the test from our own fixture (no WordPress, no generator).

``fixtures/sample-export.xml`` is converted (absolute links, media copied from a folder the test
writes, every redirect map), then a small static "generator" below turns the Markdown into
HTML pages (markdown-it, with navigation and footer chrome around ``<main><article>``) and
writes alias pages (meta refresh) for the ``aliases`` of each document, as Hugo does.  Each
test breaks the built site in one way and asserts verify names that fault, with its code, and
nothing else that the clean site did not already show.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
import yaml
from markdown_it import MarkdownIt

from migrator import pipeline
from migrator.cli import main
from migrator.plan.site_urls import document_url
from migrator.verify import VerifyOptions, verify

from conftest import FIXTURES, ROOT, run_cli

EXPORT = FIXTURES / "sample-export.xml"
SCHEMA = json.loads((ROOT / "docs" / "validate.schema.json").read_text(encoding="utf-8"))
MD = MarkdownIt("commonmark").enable("table")
MAPS = ["netlify", "nginx", "apache", "caddy"]


def write_uploads(folder: Path) -> None:
    """A stand-in ``wp-content/uploads`` holding every file the export names."""
    text = EXPORT.read_text(encoding="utf-8")
    for rel in set(re.findall(r"wp-content/uploads/(\d{4}/\d\d/[A-Za-z0-9._-]+)", text)):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(b"\x89PNG fixture " + rel.encode())


def page_html(title: str, body: str) -> str:
    title = html.escape(title)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
        f"<header><nav><a href='/'>Harbour Notes</a> <a href='/pages/about/'>About</a></nav></header>"
        f"<main><article><h1>{title}</h1>\n{body}</article></main>"
        f"<footer><p>Built by the test generator, every page says so</p></footer></body></html>"
    )


def build(out: Path, site: Path) -> None:
    """The test's static site generator: a page per document at its ``document_url``, an alias
    page per old path, the media copied."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    urls = []
    for doc in manifest["documents"]:
        text = (out / doc["path"]).read_text(encoding="utf-8")
        end = text.index("\n---\n", 3)
        front, body = yaml.safe_load(text[4:end]), text[end + 5 :]
        url = unquote(document_url(doc["path"]))
        target = site / url.strip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page_html(str(front.get("title") or ""), MD.render(body)), encoding="utf-8")
        urls.append(url)
        for alias in front.get("aliases") or []:
            if "?" not in alias:  # a static site cannot answer a query
                page = site / unquote(alias).strip("/") / "index.html"
                page.parent.mkdir(parents=True, exist_ok=True)
                page.write_text(
                    f'<!DOCTYPE html><html><head><meta http-equiv="refresh" content="0; url={url}"></head></html>',
                    encoding="utf-8",
                )
    if (out / "media").is_dir():
        shutil.copytree(out / "media", site / "media")
    (site / "index.html").write_text(
        page_html("Harbour Notes", "".join(f"<p><a href='{u}'>{u}</a></p>" for u in urls)), encoding="utf-8"
    )


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """Converted once per module: ``out/`` (convert's output) with ``out/public`` built in it."""
    root = tmp_path_factory.mktemp("verify-site")
    write_uploads(root / "uploads")
    out = root / "out"
    report = pipeline.convert([EXPORT], out, link_style="absolute", media_from=str(root / "uploads"), redirects=MAPS)
    assert not report.failed
    build(out, out / "public")
    return out


@pytest.fixture
def out(pristine: Path, tmp_path: Path) -> Path:
    """A fresh copy of the converted folder and its built site, to break."""
    copy = tmp_path / "out"
    shutil.copytree(pristine, copy)
    return copy


def run(out: Path, **options):
    return verify([str(EXPORT)], str(out / "public"), VerifyOptions(**options))


def rows(findings) -> set[tuple]:
    return {
        (p.code, p.severity, p.id, Path(p.source).name if p.source else "", p.line, p.message)
        for p in findings.problems
    }


def added(out: Path, baseline, **options) -> set[tuple]:
    """Problems the broken site shows that the clean one did not."""
    return rows(run(out, **options)) - rows(baseline)


@pytest.fixture(scope="module")
def baseline(pristine):
    return run(pristine)


def page(out: Path, url: str) -> Path:
    return out / "public" / url.strip("/") / "index.html"


# ---------------------------------------------------------------------------------- the clean site


def test_clean_site_every_published_item_verified(baseline):
    counts = baseline.counts
    # 12 published posts, 3 pages, 1 portfolio, 6 attachments (sample-export.xml, fixtures/README.md)
    assert counts["verified"] == {"attachment": 6, "page": 3, "portfolio": 1, "post": 12}
    assert counts["not_verified"] == {
        "auto-draft": 1,
        "draft": 1,
        "future": 1,
        "not-content": 5,
        "pending": 1,
        "status-private": 1,
        "trash": 1,
        "not converted (password-protected)": 1,
    }
    assert counts["pages"] == 16 and counts["images"] >= 5 and counts["links"] >= 10
    assert len(counts["redirect_maps"]) == 4
    assert not any(
        p.code in ("verify-missing-page", "verify-content-differs", "verify-image-missing") for p in baseline.problems
    )


def test_clean_site_known_conversion_faults_only(baseline):
    """What the clean site shows is what convert got wrong or left on purpose, each explained."""
    unexplained = []
    for p in baseline.problems:
        if p.code == "verify-link-broken" and p.severity == "warning":
            continue  # archive links and a post not in the export: kept by convert, which said so
        unexplained.append(p)
    assert not unexplained, unexplained
    # the Netlify query rules fire (forced) and the Apache rules send their encoded targets (NE)
    assert not [p for p in baseline.problems if p.code == "verify-redirect-broken"]


def test_only_explained_warnings_with_the_sound_maps(pristine):
    findings = run(pristine, redirects=["nginx", "caddy"])
    assert findings.exit_code() == 0
    assert {(p.code, p.severity) for p in findings.problems} == {("verify-link-broken", "warning")}


# ---------------------------------------------------------------------------------- faults, one by one


def test_deleted_page_is_one_missing_page(out, baseline):
    target = page(out, "/posts/harbour-at-dawn/")  # linked from other pages, has attachments
    target.unlink()
    new = added(out, baseline)
    assert [(r[0], r[1], r[2]) for r in new] == [("verify-missing-page", "error", "101")]
    assert "/posts/harbour-at-dawn/" in next(iter(new))[5]
    assert next(iter(new))[3] == "harbour-at-dawn.md"  # points at the Markdown file to look at


@pytest.mark.parametrize("file", ["_redirects", "redirects.nginx.conf", "redirects.apache.conf", "Caddyfile.redirects"])
def test_corrupted_redirect_rule_names_the_file_and_line(out, baseline, file):
    """The rule sending an attachment page to its file now sends it to a file that does not exist."""
    path = out / file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(
        i
        for i, line in enumerate(lines, 1)
        if "knots-every-deckhand-should-know/knot-cleat/" in line
        or "knots\\-every\\-deckhand\\-should\\-know/knot\\-cleat/" in line
    )
    lines[number - 1] = lines[number - 1].replace("/media/2016/07/knot-cleat.jpg", "/media/2016/07/knot-cleet.jpg")
    path.write_text("".join(lines), encoding="utf-8")
    new = added(out, baseline)
    assert {(r[0], r[2], r[3], r[4]) for r in new} == {("verify-redirect-broken", "203", file, number)}
    message = next(iter(new))[5]
    assert "/2016/07/knots-every-deckhand-should-know/knot-cleat/ (permalink)" in message
    assert "knot-cleet.jpg" in message and "HTTP 404" in message


def test_changed_paragraph_is_content_differs_with_scores(out, baseline):
    target = page(out, "/posts/lighthouse-keeper/")
    text = target.read_text(encoding="utf-8")
    first = re.search(r"<p>([^<]{40,})</p>", text)
    assert first, text
    text = text.replace(
        first.group(1),
        "Completely different words were written here by somebody editing "
        "the built site by hand after the conversion ran",
    )
    target.write_text(text, encoding="utf-8")
    new = added(out, baseline)
    assert [(r[0], r[1], r[2]) for r in new] == [("verify-content-differs", "error", "108")]
    message = next(iter(new))[5]
    assert re.search(r"recall \d\.\d\d, precision \d\.\d\d, longest missing passage \d+ words", message)


def test_removed_image_is_image_missing_on_the_page(out, baseline):
    (out / "public" / "media" / "2016" / "07" / "knot-cleat.jpg").unlink()
    showing = {
        doc["id"]
        for doc in json.loads((out / "manifest.json").read_text())["documents"]
        if "/media/2016/07/knot-cleat.jpg" in page(out, unquote(document_url(doc["path"]))).read_text()
    }
    assert showing == {"102", "103"}
    new = added(out, baseline)
    # each page showing it; its attachment's old URLs end at the same missing file: not reported again
    assert sorted((r[0], r[1], r[2]) for r in new) == [("verify-image-missing", "error", i) for i in sorted(showing)]
    assert all("/media/2016/07/knot-cleat.jpg" in r[5] for r in new)


def test_broken_internal_link(out, baseline):
    target = page(out, "/pages/about/")
    text = target.read_text(encoding="utf-8")
    target.write_text(
        text.replace("</article>", "<p><a href='/posts/no-such-post/'>gone</a></p></article>"), encoding="utf-8"
    )
    new = added(out, baseline)
    assert [(r[0], r[1], r[2]) for r in new] == [("verify-link-broken", "error", "130")]
    assert "/posts/no-such-post/" in next(iter(new))[5]


def test_deleted_alias_page_without_maps(out, pristine):
    """Without redirect maps, the generator's alias pages carry the old permalinks."""
    clean = rows(run(pristine, redirects=[]))
    shutil.rmtree(out / "public" / "2015" / "03" / "harbour-at-dawn")
    new = rows(run(out, redirects=[])) - clean
    assert {(r[0], r[2], r[3]) for r in new} == {("verify-redirect-broken", "101", "harbour-at-dawn.md")}
    assert "/2015/03/harbour-at-dawn/ (permalink)" in next(iter(new))[5]


def test_thresholds_are_options(out, baseline):
    """A few words changed: within the defaults, reported with a stricter --max-missing/--min-recall."""
    target = page(out, "/posts/lighthouse-keeper/")
    text = target.read_text(encoding="utf-8")
    first = re.search(r"<p>(\w+ \w+ \w+ \w+)", text)
    target.write_text(text.replace(first.group(1), "quite other words here", 1), encoding="utf-8")
    assert not added(out, baseline)
    strict = added(out, baseline, max_missing=2)
    assert [(r[0], r[2]) for r in strict] == [("verify-content-differs", "108")]
    assert "missing passage <= 2 words" in next(iter(strict))[5]
    assert [(r[0], r[2]) for r in added(out, baseline, min_recall=1.0)] == [("verify-content-differs", "108")]


# ---------------------------------------------------------------------------------- over HTTP


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def served(out):
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(out / "public")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield out, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_served_site_gives_the_same_verdict(served, baseline):
    out, address = served
    shutil.rmtree(page(out, "/posts/welcome/").parent)  # (http.server would list a folder without index.html)
    findings = verify([str(EXPORT)], address, VerifyOptions(converted=str(out), allow_private_hosts=True, rate=200))
    new = rows(findings) - rows(baseline)
    assert {(r[0], r[2]) for r in new} == {("verify-missing-page", "117")}
    assert findings.counts["verified"] == baseline.counts["verified"]


def test_loopback_address_refused_without_allow_private_hosts(served):
    out, address = served
    findings = verify([str(EXPORT)], address, VerifyOptions(converted=str(out)))
    assert findings.exit_code() == 2
    assert "--allow-private-hosts" in findings.problems[0].message


def test_old_site_given_as_its_address(tmp_path):
    """OLD read from a (fake) live WordPress's REST API: rendered content, precision judged; what
    convert could not bring along (a 404 image, a link to the protected post) is a warning."""
    from sources.test_live_helpers import FIRST_POST, PROTECTED, FakeWordPress

    with FakeWordPress(posts=12) as wp:
        out = tmp_path / "out"
        pipeline.convert(
            [wp.base],
            out,
            link_style="absolute",
            media="download",
            redirects=["nginx"],
            allow_private_hosts=True,
            rate=1000,
            http_timeout=5,
            http_retries=1,
        )
        build(out, out / "public")
        findings = verify([wp.base], str(out / "public"), VerifyOptions(allow_private_hosts=True, rate=1000))
        refused = verify([wp.base], str(out / "public"))
    assert findings.counts["verified"] == {"attachment": 1, "page": 3, "post": 11, "recipe": 1}
    assert findings.counts["not_verified"] == {"not converted (password-protected)": 1}
    assert findings.exit_code() == 0
    assert {(p.code, p.severity) for p in findings.problems} == {
        ("verify-image-missing", "warning"),
        ("verify-link-broken", "warning"),
    }
    protected = f"/log-entry-{PROTECTED - FIRST_POST}/"  # the fake site's slugs
    assert any(protected in p.message for p in findings.problems if p.code == "verify-link-broken")
    assert refused.exit_code() == 2 and "--allow-private-hosts" in refused.problems[0].message


def test_an_old_site_read_in_part_is_said(pristine):
    """The readers' errors about OLD (here: an export cut off inside an item) are in the report."""
    findings = verify(
        [str(FIXTURES / "bad" / "truncated.xml")], str(pristine / "public"), VerifyOptions(redirects=["nginx"])
    )
    assert [findings.check_of(p.code) for p in findings.problems if p.code == "xml-truncated"] == ["old-site"]
    assert findings.exit_code() == 1


# ---------------------------------------------------------------------------------- the command


def cli(capsys, *args: str) -> tuple[int, str, str]:
    """``migrator ARGS`` in this process: (exit code, stdout, stderr)."""
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse errors
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_formats_and_exit_codes(pristine, out, capsys):
    result = run_cli("verify", str(EXPORT), str(pristine / "public"), "--format", "json")  # the real command
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    assert data["command"] == "verify" and data["summary"]["counts"]["verified"]["post"] == 12
    assert {c["name"] for c in data["checks"]} >= {"pages", "old-urls", "content", "images", "links"}
    site = str(pristine / "public")
    code, text, _ = cli(capsys, "verify", str(EXPORT), site, "--redirects", "nginx,caddy")
    assert code == 0, text
    assert "verified: 6 attachment, 3 page, 1 portfolio, 12 post" in text
    assert "not verified:" in text and "OK:" in text
    assert cli(capsys, "verify", str(EXPORT), site, "--redirects", "nginx", "--fail-on", "warning")[0] == 1
    nginx = out / "redirects.nginx.conf"  # a broken rule: its target no longer exists
    nginx.write_text(
        nginx.read_text(encoding="utf-8").replace("/posts/harbour-at-dawn/;", "/posts/gone/;"), encoding="utf-8"
    )
    broken = str(out / "public")
    code, text, _ = cli(capsys, "verify", str(EXPORT), broken, "--format", "github")
    assert code == 1
    assert re.search(r"^::error file=.*redirects\.nginx\.conf,line=\d+,title=verify-redirect-broken::", text, re.M)
    code, text, _ = cli(capsys, "verify", str(EXPORT), broken, "--format", "junit")
    assert '<testcase classname="verify.' in text and "verify-redirect-broken" in text


def test_unreadable_inputs_exit_2(pristine, tmp_path, capsys):
    site = str(pristine / "public")
    code, out, _ = cli(capsys, "verify", str(tmp_path / "nope.xml"), site)
    assert code == 2 and "input-unreadable" in out
    assert cli(capsys, "verify", str(EXPORT), str(tmp_path / "no-site"), "--converted", str(pristine))[0] == 2
    code, out, _ = cli(capsys, "verify", str(EXPORT), site, "--converted", str(tmp_path))
    assert code == 2 and "manifest.json" in out
    code, _, err = cli(capsys, "verify", str(EXPORT), site, "--min-recall", "2")
    assert code == 2 and "between 0 and 1" in err
