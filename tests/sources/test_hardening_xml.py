"""Hostile and broken WXR input: entity attacks, external DTDs, broken exports as WordPress
really produces them.  Fixtures: ``fixtures/hostile/`` (see fixtures/README.md)."""

from __future__ import annotations

import http.server
import resource
import sys
import threading
import time
from pathlib import Path

import pytest

import migrator
from migrator.model import Site
from migrator.sources.wxr import read_wxr
from migrator.sources.xmlsafe import CleanStream, repair_mojibake

from conftest import FIXTURES, run_cli, split_front_matter

HOSTILE = FIXTURES / "hostile"


def _read(path: Path):
    problems: list = []
    docs = list(read_wxr(path, Site(), problems))
    return docs, problems


def _all_output(out: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(out.rglob("*")) if p.is_file())


def _codes(problems) -> set[str]:
    return {p.code for p in problems}


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        _Counter.hits.append(self.path)
        body = b'<!ENTITY leak "FETCHED-FROM-NETWORK">'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    _Counter.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


# -- 1. XML attacks -----------------------------------------------------------------------------


def test_external_file_entity_is_never_resolved(tmp_path: Path) -> None:
    report = migrator.convert([HOSTILE / "xxe-file.xml"], tmp_path / "out")
    secret = Path("/etc/passwd").read_text().splitlines()[0] if Path("/etc/passwd").exists() else "root:"
    text = _all_output(tmp_path / "out")
    assert secret not in text and "root:" not in text
    assert [d.title for d in report.documents] == ["Leak &xxe; here", "Safe first"]
    assert "doctype-removed" in _codes(report.problems)


@pytest.mark.parametrize("name", ["xxe-network.xml", "external-dtd.xml"])
def test_network_entities_and_dtds_are_never_fetched(name: str, server: str, tmp_path: Path) -> None:
    export = tmp_path / name
    export.write_text((HOSTILE / name).read_text().replace("127.0.0.1:1", server))
    assert server in export.read_text()
    report = migrator.convert([export], tmp_path / "out")
    assert _Counter.hits == []
    assert "FETCHED-FROM-NETWORK" not in _all_output(tmp_path / "out")
    assert "Safe first" in [d.title for d in report.documents]


def test_clean_stream_never_passes_a_doctype_on() -> None:
    for name in ("xxe-file.xml", "xxe-network.xml", "external-dtd.xml", "billion-laughs.xml"):
        raw = (HOSTILE / name).read_bytes()
        with open(HOSTILE / name, "rb") as fh:
            data = CleanStream(fh, name, []).read()
        assert b"<!DOCTYPE" in raw and b"<!DOCTYPE" not in data and b"<!ENTITY" not in data
        assert data.count(b"\n") == raw.count(b"\n")  # lines kept: reported lines stay right


def _cpu_seconds_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _bounded_cli(export: Path, out: Path) -> tuple[float, int]:
    """Convert ``export`` in a real subprocess: (the CPU seconds it took, its exit code).  CPU
    time, not the wall clock: a loaded machine stretches the one, not the other; an expansion
    that is not bounded takes minutes of either."""
    start = _cpu_seconds_of_children()
    proc = run_cli("convert", str(export), "-o", str(out), "-q")
    spent = _cpu_seconds_of_children() - start
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 1)
    return spent, proc.returncode


def test_billion_laughs_is_bounded(tmp_path: Path) -> None:
    spent, _ = _bounded_cli(HOSTILE / "billion-laughs.xml", tmp_path / "out")
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert spent < 20 and rss_mb < 500
    text = (tmp_path / "out" / "posts" / "laugh.md").read_text()
    assert "lollol" not in text


def test_quadratic_blowup_is_bounded(tmp_path: Path) -> None:
    src = (HOSTILE / "privacy.xml").read_text()
    subset = '<!DOCTYPE rss [<!ENTITY a "' + "x" * 100_000 + '">]>\n'
    attack = src.replace("<rss ", subset + "<rss ", 1).replace("<![CDATA[<p>Hello readers.</p>]]>", "&a;" * 20_000, 1)
    export = tmp_path / "quadratic.xml"
    export.write_text(attack)
    spent, _ = _bounded_cli(export, tmp_path / "out")
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert spent < 20 and rss_mb < 500
    assert "x" * 1000 not in _all_output(tmp_path / "out")


# -- 2. broken exports --------------------------------------------------------------------------


def test_broken_mix_converts_every_item_and_reports_repairs_with_lines() -> None:
    raw = (HOSTILE / "broken-mix.xml").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    lines = raw.decode("utf-8-sig").split("\r\n")
    docs, problems = _read(HOSTILE / "broken-mix.xml")
    by_id = {d.id: d for d in docs}
    assert sorted(by_id) == ["1", "2", "3", "4", "5", "6"]
    assert by_id["1"].content == "<p>vertical tab and filesep and belldone</p>"
    assert by_id["2"].content == "<p>code: a[b[0]]> c</p>"
    assert by_id["3"].content == "<p>nested <![CDATA[ inner ]]> outer</p>"
    assert by_id["4"].title == "Bare & ampersand \xa0title"
    assert by_id["4"].link == "https://pier.example.com/?p=4&utm_source=feed"
    assert by_id["5"].title == "Minimal item" and by_id["5"].slug == "" and by_id["5"].date is None
    assert by_id["6"].content == "<p>Everything here survives.</p>"

    def line_of(needle: str) -> int:
        return next(i for i, line in enumerate(lines, start=1) if needle in line)

    where = {(p.code, p.line) for p in problems}
    assert ("invalid-char-removed", line_of("vertical")) in where
    assert ("nested-cdata", line_of("nested <![CDATA[")) in where
    assert ("bare-ampersand", line_of("?p=4&utm")) in where
    assert ("undefined-entity", line_of("&nbsp;title")) in where
    assert ("xml-syntax", line_of("vertical")) in where
    assert "bom" in _codes(problems)


@pytest.mark.parametrize(
    "damage",
    [
        ("<title><![CDATA[Members only]]></title>", "<title><![CDATA[Members only]]></titel>"),
        ("<wp:post_id>2</wp:post_id>", "<wp:post_id>2</wp:post_id><<>>"),
        ("<p>Protected words.</p>]]></content:encoded>", "<p>Protected words.</p>]]>"),
    ],
)
def test_one_broken_item_does_not_take_the_others(damage: tuple[str, str], tmp_path: Path) -> None:
    text = (HOSTILE / "privacy.xml").read_text()
    assert damage[0] in text
    export = tmp_path / "broken.xml"
    export.write_text(text.replace(damage[0], damage[1]))
    docs, problems = _read(export)
    by_title = {d.title: d for d in docs}
    assert set(by_title) == {"Public post", "Members only", "Private diary", "Unfinished"}
    assert by_title["Private diary"].content == "<p>Private words.</p>" and by_title["Private diary"].id == "3"
    assert by_title["Unfinished"].content == "<p>Draft words.</p>" and by_title["Unfinished"].id == "4"
    assert "Protected words." in by_title["Members only"].content
    broken = [p for p in problems if p.code == "xml-item-broken"]
    lines = export.read_text().split("\n")
    first = next(i for i, l in enumerate(lines, 1) if "Members only" in l)
    last = next(i for i, l in enumerate(lines, 1) if i > first and "</item>" in l)
    assert len(broken) == 1 and first <= broken[0].line <= last  # the broken item, not another


def test_truncated_export_converts_complete_items_and_reports_the_cut(tmp_path: Path) -> None:
    path = HOSTILE / "truncated-mid-item.xml"
    last_line = path.read_text().count("\n") + 1
    item3 = next(i for i, line in enumerate(path.read_text().splitlines(), 1) if "<title><![CDATA[Third" in line)
    report = migrator.convert([path], tmp_path / "out")
    docs = {d.title: d for d in report.documents}
    assert (tmp_path / "out" / docs["First"].path).read_text().rstrip().endswith("One.")
    assert (tmp_path / "out" / docs["Second"].path).read_text().rstrip().endswith("Two.")
    cut = [p for p in report.problems if p.code == "xml-truncated"]
    assert len(cut) == 1 and cut[0].severity == "error" and cut[0].line == last_line
    assert f"line {item3}" in cut[0].message
    assert report.exit_code == 1


@pytest.mark.parametrize(
    "name, title, content, code",
    [
        ("latin1-declared-utf8.xml", "Crème brûlée", "<p>Déjà vu at the café — naïve façade.</p>", "encoding-mismatch"),
        ("cp1252-bytes.xml", "Café", "<p>“Quoted” – naïve</p>", "encoding-repaired"),
        ("utf16-bom.xml", "Crème brûlée", "<p>Déjà vu at the café — naïve façade.</p>", "bom"),
        ("no-declaration.xml", "Crème brûlée", "<p>Déjà vu at the café — naïve façade.</p>", None),
        ("mojibake.xml", "Café notes", "<p>Déjà vu at the café</p>", "mojibake-repaired"),
    ],
)
def test_encodings(name: str, title: str, content: str, code: str | None) -> None:
    docs, problems = _read(HOSTILE / name)
    assert [(d.title, d.content) for d in docs] == [(title, content)]
    if code:
        assert code in _codes(problems)
    assert not [p for p in problems if p.severity == "error"]


def test_mojibake_repair_is_conservative() -> None:
    assert repair_mojibake("plain café") == ("plain café", None)
    assert repair_mojibake("CafÃ© crÃ¨me") == ("Café crème", True)
    text, repaired = repair_mojibake("Â¿ and Ã© mixed with real ü and Ã")
    assert repaired is not None  # reported either way


def test_huge_single_item(tmp_path: Path) -> None:
    src = (HOSTILE / "privacy.xml").read_text()
    body = "<p>" + "tide & surf <b>waves</b> " * 500_000 + "end-marker</p>"
    export = tmp_path / "huge.xml"
    export.write_text(src.replace("<p>Hello readers.</p>", body, 1))
    assert export.stat().st_size > 10 * 2**20
    start = time.process_time()  # CPU seconds: what a loaded machine does not stretch
    docs, problems = _read(export)
    assert time.process_time() - start < 10
    assert max(len(d.content) for d in docs) == len(body)
    assert not [p for p in problems if p.severity == "error"]


def test_lines_beyond_65535(tmp_path: Path) -> None:
    src = (HOSTILE / "privacy.xml").read_text()
    head, sep, rest = src.partition("<item>")
    export = tmp_path / "long.xml"
    export.write_text(head + "\n" * 70_000 + sep + rest.replace("<p>Protected words.</p>", "<p>bad \x0b</p>"))
    lines = export.read_text().split("\n")
    docs, problems = _read(export)
    first = next(i for i, line in enumerate(lines, 1) if line.startswith("<item>"))
    bad = next(i for i, line in enumerate(lines, 1) if "\x0b" in line)
    assert first > 70_000 and docs[0].line == first
    assert ("xml-syntax", bad) in {(p.code, p.line) for p in problems}


IMPORTER = "wxr/wordpress-importer/phpunit/data"


def test_importer_fixtures_convert_or_fail_cleanly(corpus: Path, tmp_path: Path) -> None:
    for i, export in enumerate(sorted((corpus / "wxr/wordpress-importer").rglob("*.xml"))):
        report = migrator.convert([export], tmp_path / f"o{i}")
        assert report.exit_code in (0, 1, 2), export
        if report.fatal:
            assert "input-unreadable" in [p.code for p in report.problems], export


def test_literally_nested_cdata_reads_like_the_escaped_form(corpus: Path) -> None:
    nested, problems = _read(corpus / IMPORTER / "crazy-cdata.xml")
    escaped, clean = _read(corpus / IMPORTER / "crazy-cdata-escaped.xml")
    assert not clean
    assert [(d.content, d.meta) for d in nested] == [(d.content, d.meta) for d in escaped]
    assert nested[0].content == "Content with nested <![CDATA[ tags ]]> :)"
    assert "nested-cdata" in _codes(problems)


def test_cut_item_in_importer_fixture_is_reported(corpus: Path) -> None:
    docs, problems = _read(corpus / IMPORTER / "malformed-simple.xml")
    assert "xml-truncated" in _codes(problems)
    assert [d.title for d in docs] == ["Broken"]


def test_front_matter_of_repaired_items_is_valid_yaml(tmp_path: Path) -> None:
    import yaml

    report = migrator.convert([HOSTILE / "broken-mix.xml"], tmp_path / "out")
    for d in report.documents:
        fm, _ = split_front_matter((tmp_path / "out" / d.path).read_text(encoding="utf-8"))
        assert yaml.safe_load(fm)["title"] == d.title


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip("resource module")
