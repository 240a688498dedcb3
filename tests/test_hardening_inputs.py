"""Hostile inputs that once broke a promise (issue 18): wrong encoding declarations, layout
templates, ids shared by different items, hostile slugs, exit codes of repaired files.

Every export here is written by the test itself."""

from __future__ import annotations

from pathlib import Path

import pytest

import migrator
from migrator.model import Site
from migrator.inspect import inspect_inputs
from migrator.sources.wxr import read_wxr
from migrator.validate import validate

from conftest import run_cli, split_front_matter

HEAD = (
    '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>\n'
    "<title>Pier Notes</title>\n<link>https://pier.example.com</link>\n"
    "<wp:wxr_version>1.2</wp:wxr_version>\n<wp:base_site_url>https://pier.example.com</wp:base_site_url>\n"
)
TAIL = "</channel>\n</rss>\n"


def item(
    post_id: str,
    title: str,
    body: str = "<p>Body text.</p>",
    slug: str = "",
    status: str = "publish",
    post_type: str = "post",
    extra: str = "",
) -> str:
    return (
        f"<item>\n<title>{title}</title>\n<wp:post_id>{post_id}</wp:post_id>\n"
        f"<wp:post_name>{slug}</wp:post_name>\n<wp:post_type>{post_type}</wp:post_type>\n"
        f"<wp:status>{status}</wp:status>\n<wp:post_date>2024-03-01 10:00:00</wp:post_date>\n"
        f"<content:encoded><![CDATA[{body}]]></content:encoded>\n{extra}</item>\n"
    )


def export(path: Path, *items: str, declaration: str = '<?xml version="1.0" encoding="UTF-8"?>\n') -> Path:
    path.write_bytes((declaration + HEAD + "".join(items) + TAIL).encode("utf-8"))
    return path


def _read(path: Path):
    problems: list = []
    return list(read_wxr(path, Site(), problems)), problems


# -- 1. wrong encoding declarations --------------------------------------------------------------


@pytest.mark.parametrize(
    "declared",
    [
        "UTF-16",
        "UTF-32",
        "utf-16le",
        "UTF-32BE",
        "ucs-2",
        "cp037",
        "utf-7",
        "hex",
        "rot13",
        "base64",
        "undefined",
        "idna",
        "no-such-codec",
    ],
)
def test_wrong_encoding_declaration_is_read_by_the_bytes(tmp_path: Path, declared: str) -> None:
    """UTF-8 bytes declared as UTF-16/UTF-32 (or as a codec that is no text encoding at all) are
    read as what the bytes are, and the declaration is reported; convert, validate and inspect
    finish cleanly."""
    path = export(
        tmp_path / "in.xml",
        item("1", "Café au lait", "<p>Crème brûlée.</p>"),
        declaration=f'<?xml version="1.0" encoding="{declared}"?>\n',
    )
    docs, problems = _read(path)
    assert [(d.title, d.content) for d in docs] == [("Café au lait", "<p>Crème brûlée.</p>")]
    codes = {p.code for p in problems}
    assert codes & {"encoding-mismatch", "encoding-unknown"}, problems
    assert any(declared in p.message for p in problems if p.code.startswith("encoding-"))
    assert not [p for p in problems if p.severity == "error"]
    report = migrator.convert([path], tmp_path / "out", jobs=1)
    assert report.exit_code == 0
    assert "Crème brûlée." in next((tmp_path / "out").rglob("*.md")).read_text(encoding="utf-8")
    assert validate([path]).exit_code() == 0
    summary = inspect_inputs([path])
    assert summary["items"] == 1 and not summary["unreadable"]


@pytest.mark.parametrize("declared", ["UTF-16", "UTF-32"])
def test_wrong_encoding_declaration_on_the_command_line(tmp_path: Path, declared: str) -> None:
    path = export(
        tmp_path / "in.xml", item("1", "Café au lait"), declaration=f'<?xml version="1.0" encoding="{declared}"?>\n'
    )
    for args in (
        ["convert", str(path), "-o", str(tmp_path / "out"), "-q"],
        ["validate", str(path)],
        ["inspect", str(path)],
    ):
        result = run_cli(*args)
        assert "Traceback" not in result.stderr and result.returncode == 0, (args, result.stderr, result.stdout)
    assert "encoding-mismatch" in run_cli("validate", str(path)).stdout


def test_utf32_without_bom_is_sniffed(tmp_path: Path) -> None:
    text = '<?xml version="1.0" encoding="UTF-32"?>\n' + HEAD + item("1", "Zoë") + TAIL
    path = tmp_path / "in.xml"
    path.write_bytes(text.encode("utf-32-le"))
    docs, problems = _read(path)
    assert [d.title for d in docs] == ["Zoë"]
    assert not [p for p in problems if p.severity == "error"]


# -- 2. --layout templates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "layout",
    [
        "{nope}.md",
        "{slug",
        "slug}.md",
        "{0}.md",
        "{}.md",
        "{slug.__class__}.md",
        "{slug[0]}.md",
        "{slug!r}.md",
        "{slug:>200}.md",
        "{year:{slug}}.md",
        "{type.__init__.__globals__}.md",
    ],
)
def test_bad_layout_is_a_usage_error(tmp_path: Path, layout: str) -> None:
    path = export(tmp_path / "in.xml", item("1", "Hello", slug="hello"))
    result = run_cli("convert", str(path), "-o", str(tmp_path / "out"), "--layout", layout)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "--layout" in result.stderr
    assert not (tmp_path / "out").exists()
    with pytest.raises(ValueError, match="layout"):
        migrator.convert([path], tmp_path / "out2", layout=layout)


def test_documented_layout_fields_work(tmp_path: Path) -> None:
    path = export(tmp_path / "in.xml", item("7", "Hello", slug="hello"))
    report = migrator.convert(
        [path], tmp_path / "out", layout="{type}/{status}/{year}-{month}-{day}/{id}-{slug}.md", jobs=1
    )
    assert [d.path for d in report.documents] == ["post/publish/2024-03-01/7-hello.md"]
    assert (tmp_path / "out" / "post/publish/2024-03-01/7-hello.md").is_file()


# -- 12. exit codes: recovered is a warning, lost data an error; validate and convert agree --------


def _exit_codes(path: Path, out: Path) -> tuple[int, int, list]:
    report = migrator.convert([path], out, jobs=1)
    findings = validate([path])
    assert {p.code for p in report.problems if p.severity == "error"} == {
        p.code for p in findings.problems if p.severity == "error"
    }, (list(report.problems), findings.problems)
    return report.exit_code, findings.exit_code(), list(report.problems)


def test_fully_recovered_file_is_a_warning(tmp_path: Path) -> None:
    path = export(
        tmp_path / "in.xml",
        item("1", "One"),
        item("2", "Two", "<p>bad \x0b and \x1c</p>", extra="<link>https://pier.example.com/?a=1&b=2</link>\n"),
        item("3", "Three", "<p>nested <![CDATA[ cdata ]]> here</p>"),
        item("4", "Four"),
    )
    convert_code, validate_code, problems = _exit_codes(path, tmp_path / "out")
    assert (convert_code, validate_code) == (0, 0)
    syntax = [p for p in problems if p.code == "xml-syntax"]
    assert syntax and all(p.severity == "warning" for p in syntax)
    assert len(list((tmp_path / "out").rglob("*.md"))) == 4


def test_item_read_in_recover_mode_is_an_error(tmp_path: Path) -> None:
    path = export(
        tmp_path / "in.xml", item("1", "One"), item("2", "Two").replace("</title>", "</titel>"), item("3", "Three")
    )
    convert_code, validate_code, problems = _exit_codes(path, tmp_path / "out")
    assert (convert_code, validate_code) == (1, 1)
    assert "xml-item-broken" in {p.code for p in problems if p.severity == "error"}


@pytest.mark.parametrize("where", ["between-items", "after-channel", "inside-item", "inside-tag"])
def test_cut_file_is_truncated_and_an_error(tmp_path: Path, where: str) -> None:
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + HEAD + item("1", "One") + item("2", "Two") + TAIL
    cut = {
        "between-items": text.index("</channel>"),
        "after-channel": text.index("</rss>"),
        "inside-item": text.index("<title>Two") + 9,
        "inside-tag": text.rindex("</item>") + 4,
    }[where]
    path = tmp_path / "in.xml"
    path.write_text(text[:cut])
    convert_code, validate_code, problems = _exit_codes(path, tmp_path / "out")
    lost = where != "after-channel"  # only </rss> missing: nothing can follow </channel>
    assert (convert_code, validate_code) == ((1, 1) if lost else (0, 0))
    truncated = [p for p in problems if p.code == "xml-truncated"]
    assert truncated and truncated[0].severity == ("error" if lost else "warning")
    titles = sorted(split_front_matter(p.read_text())[0] for p in (tmp_path / "out").rglob("*.md"))
    assert any("title: One" in t for t in titles)


def test_namespace_errors_lose_nothing(corpus: Path, tmp_path: Path) -> None:
    """A namespace URI libxml2 refuses (non-ASCII) costs no text: recovered, a warning."""
    path = corpus / "wxr/wordpress-importer/phpunit/data/namespace-edge-cases.xml"
    convert_code, validate_code, problems = _exit_codes(path, tmp_path / "out")
    assert (convert_code, validate_code) == (0, 0), problems


def test_validate_and_convert_agree_on_every_export(corpus: Path, tmp_path: Path) -> None:
    from conftest import FIXTURES

    paths = sorted(
        [
            *(corpus / "wxr").rglob("*.xml"),
            *FIXTURES.glob("*.xml"),
            *FIXTURES.glob("bad/*"),
            *FIXTURES.glob("hostile/*.xml"),
        ]
    )
    disagree = []
    for n, path in enumerate(paths):
        if path.name == "external-dtd.xml":
            continue
        report = migrator.convert([path], tmp_path / f"o{n}", jobs=1)
        findings = validate([path])
        if report.exit_code != findings.exit_code():
            disagree.append((path.name, report.exit_code, findings.exit_code()))
    assert not disagree


# -- 9. two different items sharing an id are both kept ---------------------------------------------


def test_different_items_sharing_an_id_are_both_kept(tmp_path: Path) -> None:
    path = export(
        tmp_path / "in.xml",
        item("5", "Draft version", status="draft", slug="draft-version"),
        item("5", "Published version", slug="published-version"),
        item("6", "Twin", slug="twin"),
        item("6", "Twin", slug="twin"),
    )
    report = migrator.convert([path], tmp_path / "out", jobs=1)
    assert report.exit_code == 0
    assert [(d.id, d.title) for d in report.documents] == [("5-2", "Published version"), ("6", "Twin")]
    assert [(s.id, s.reason) for s in report.skipped] == [("5", "draft"), ("6", "duplicate-id")]
    renamed = [p for p in report.problems if p.code == "id-renamed"]
    assert [(p.severity, p.id) for p in renamed] == [("warning", "5-2")]
    text = (tmp_path / "out" / report.documents[0].path).read_text()
    assert "Published version" in text


def test_shared_ids_survive_the_repairing_rereads(tmp_path: Path) -> None:
    """The re-readings of a broken file skip what was read before by content, not by id alone."""
    path = export(
        tmp_path / "in.xml",
        item("5", "First"),
        item("5", "Second", "<p>bare & here</p>".replace("<p>", "]]><x>&</x><![CDATA[<p>")),
        item("7", "Third"),
    )
    problems: list = []
    docs = list(migrator.read([path], problems=problems))
    assert "xml-syntax" in {p.code for p in problems}
    assert [(d.id, d.title) for d in docs] == [("5", "First"), ("5-2", "Second"), ("7", "Third")]


def test_pelican_export_loses_no_published_item(corpus: Path, tmp_path: Path) -> None:
    path = corpus / "wxr/pelican/wordpressexport.xml"
    report = migrator.convert([path], tmp_path / "out", jobs=1)
    published = [d for d in migrator.read([path]) if d.status == "publish" and d.type in ("post", "page")]
    written = {d.id for d in report.documents}
    assert published and {d.id for d in published} <= written
    duplicates = [s for s in report.skipped if s.reason == "duplicate-id"]
    assert not duplicates
    assert sum(p.code == "id-renamed" for p in report.problems) == 8
    assert len(report.documents) + len(report.skipped) + len(report.media) == len(published) + sum(
        1 for d in migrator.read([path]) if not (d.status == "publish" and d.type in ("post", "page"))
    )


# -- 11. hostile slugs --------------------------------------------------------------------------------

HOSTILE_SLUGS = {
    "1": "../../../etc/evil",
    "2": "gift\u202egpj.exe",
    "3": "%2e%2e%2fup%2fthere",
    "4": "a\\..\\b",
    "5": "..",
    "6": "\u2066ok\u2069-\u200fname\u061c",
}


@pytest.mark.parametrize("target", ["plain", "jekyll", "eleventy", "mkdocs", "hugo", "pelican", "astro"])
def test_hostile_slugs_are_sanitised_in_front_matter_and_file_names(tmp_path: Path, target: str) -> None:
    path = export(
        tmp_path / "in.xml",
        *(item(i, f"Post {i}", slug=s) for i, s in HOSTILE_SLUGS.items()),
        item("7", "Child", slug="child", extra="<wp:post_parent>1</wp:post_parent>\n"),
    )
    out = tmp_path / "out"
    report = migrator.convert([path], out, target=target, jobs=1)
    assert report.exit_code == 0 and len(report.documents) == 7
    bidi = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c")
    for doc in report.documents:
        rel = Path(doc.path)
        assert ".." not in rel.parts and not set(doc.path) & bidi, doc.path
        assert not set(doc.slug) & bidi and "/" not in doc.slug and ".." not in doc.slug, doc.slug
        text = (out / rel).read_text(encoding="utf-8")
        assert not set(text) & bidi and "../" not in text and "..\\" not in text, text
        if target == "jekyll" and doc.path.startswith("_posts/"):
            assert rel.parent == Path("_posts"), doc.path  # Jekyll finds posts only as _posts/DATE-NAME.md
    slugs = {d.id: d.slug for d in report.documents}
    if target == "plain":
        assert slugs["1"] == "etc-evil" and slugs["2"] == "giftgpj.exe" and slugs["3"] == "up-there"
        assert [p for p in report.problems if p.code == "unsafe-slug" and p.id == "1"]
