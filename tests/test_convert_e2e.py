"""End to end: the CLI and the Python API on the bundled fixtures and on the real corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from lxml import etree

from conftest import FIXTURES, md_html, run_cli, split_front_matter, without_code
import migrator
from migrator.cli import main

SAMPLE = FIXTURES / "sample-export.xml"


def count_items(path: Path) -> int:
    """Items in an export, counted independently of migrator (recovering broken XML)."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.parse(str(path), parser).getroot()
    return 0 if root is None else len(root.findall("./channel/item"))


def private_values(path: Path) -> set[str]:
    """Author and commenter e-mails and IPs found in an export."""
    root = etree.parse(str(path)).getroot()
    names = ("author_email", "comment_author_email", "comment_author_IP")
    values = {
        el.text.strip()
        for el in root.iter()
        if isinstance(el.tag, str) and etree.QName(el).localname in names and el.text and el.text.strip()
    }
    assert values, "the fixture must carry private data to test against"
    return values


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def check_manifest(out: Path, items: int) -> dict:
    manifest = json.loads((out / "manifest.json").read_text())
    total = len(manifest["documents"]) + len(manifest["skipped"]) + len(manifest["media"])
    assert total == items, "every item of the input appears exactly once"
    for doc in manifest["documents"]:
        assert (out / doc["path"]).is_file(), doc["path"]
        assert isinstance(doc["id"], str)
    return manifest


def test_sample_export(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["convert", str(SAMPLE), "-o", str(out), "-q"]) == 0
    manifest = check_manifest(out, count_items(SAMPLE))
    by_id = {d["id"]: d for d in manifest["documents"]}
    skipped = {s["id"]: s["reason"] for s in manifest["skipped"]}
    # statuses: see fixtures/README.md
    for item_id, reason in {
        "106": "draft",
        "107": "pending",
        "110": "future",
        "111": "private",
        "112": "password-protected",
        "113": "trash",
        "114": "auto-draft",
    }.items():
        assert skipped[item_id] == reason
    assert skipped["120"] == "not-content"  # nav_menu_item
    assert by_id["119"]["type"] == "portfolio"  # custom post type kept
    assert by_id["131"]["path"] == "pages/about/moorings.md"
    assert (
        by_id["115"]["path"] == "posts/港の朝.md" and by_id["124"]["slug"] == "café-on-the-quay"
    )  # child page under its parent
    assert by_id["132"]["path"] == "pages/about/moorings/visitor-moorings.md"
    assert by_id["109"]["path"] != by_id["108"]["path"]  # duplicate slug
    assert any(p["code"] == "duplicate-slug" and p["id"] == "109" for p in manifest["problems"])
    assert by_id["115"]["path"].endswith(".md") and "%" not in by_id["115"]["path"]
    assert {m["id"] for m in manifest["media"]} >= {"201", "202"}
    private = private_values(SAMPLE)
    assert not any(secret in (out / "manifest.json").read_text() for secret in private)
    for doc in manifest["documents"]:
        text = (out / doc["path"]).read_text(encoding="utf-8")
        fm, body = split_front_matter(text)
        data = yaml.safe_load(fm)
        assert data["title"] == doc["title"] and data["slug"] and data["wordpress_id"] == doc["id"]
        assert "<!-- wp:" not in without_code(body) and text.endswith("\n") and not text.endswith("\n\n")
        assert all(line == line.rstrip() for line in text.splitlines())
        assert not any(secret in text for secret in private)
    shortcodes = (out / by_id["103"]["path"]).read_text(encoding="utf-8")
    html = BeautifulSoup(md_html(split_front_matter(shortcodes)[1]), "html.parser")
    srcs = [img["src"] for img in html.find_all("img")]
    assert any(s.endswith("knot-cleat.jpg") for s in srcs), "[gallery ids=...] lists its images"
    assert "[gallery" not in without_code(shortcodes).replace("\\[gallery\\]", "")
    assert "[contact-form-7" in html.get_text(), "unknown shortcodes stay, rendered literally"
    hostile = yaml.safe_load(split_front_matter((out / by_id["116"]["path"]).read_text())[0])
    assert hostile["title"] == by_id["116"]["title"] and "&amp;" not in hostile["title"]


def test_every_output_renders(tmp_path: Path) -> None:
    out = tmp_path / "out"
    migrator.convert([SAMPLE], out)
    for md in out.rglob("*.md"):
        html = md_html(split_front_matter(md.read_text())[1])
        assert BeautifulSoup(html, "html.parser").get_text().strip()


def test_two_runs_are_byte_identical(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    migrator.convert([SAMPLE], a)
    migrator.convert([SAMPLE], b)
    assert tree_bytes(a) == tree_bytes(b)


def test_split_export_is_one_site(tmp_path: Path) -> None:
    parts = sorted((FIXTURES / "split").glob("*.xml"))
    report = migrator.convert(parts, tmp_path / "out")
    assert report.exit_code == 0
    assert len(report.documents) + len(report.skipped) + len(report.media) == sum(map(count_items, parts))


def test_drafts_opt_in(tmp_path: Path) -> None:
    report = migrator.convert([SAMPLE], tmp_path / "out", include_drafts=True)
    draft = next(d for d in report.documents if d.id == "106")
    data = yaml.safe_load(split_front_matter((tmp_path / "out" / draft.path).read_text())[0])
    assert data["draft"] is True


@pytest.mark.parametrize(
    "name,content",
    [
        ("missing.xml", None),
        ("empty.xml", b""),
        ("prose.xml", b"Just some words, not XML at all.\n"),
        ("binary.xml", b"\x00\x01\x02garbage"),
        ("other.xml", b"<?xml version='1.0'?><inventory><item/></inventory>"),
    ],
)
def test_unreadable_input_exits_2_with_one_line(tmp_path: Path, name: str, content: bytes | None) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    proc = run_cli("convert", str(path), "-o", str(tmp_path / "o"), cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert name in proc.stderr


def test_broken_item_does_not_stop_the_others(tmp_path: Path) -> None:
    report = migrator.convert([FIXTURES / "bad" / "truncated.xml"], tmp_path / "out")
    assert report.exit_code == 1
    assert report.documents and any(p.code == "xml-syntax" and p.line for p in report.problems)


def test_theme_unit_test_export(corpus: Path, tmp_path: Path) -> None:
    export = corpus / "wxr/theme-test-data/themeunittestdata.wordpress.xml"
    out = tmp_path / "out"
    assert main(["convert", str(export), "-o", str(out), "-q"]) == 0
    manifest = check_manifest(out, count_items(export))
    published = [d for d in manifest["documents"]]
    assert all(d["status"] == "publish" for d in published)
    assert len(published) == len({d["path"] for d in published})
    for doc in published:
        text = (out / doc["path"]).read_text(encoding="utf-8")
        fm, body = split_front_matter(text)
        data = yaml.safe_load(fm)
        assert data["title"] is not None and data["date"] and data["slug"]
        assert "<!-- wp:" not in without_code(text)


def _corpus_exports() -> list[Path]:
    from conftest import CORPUS

    return sorted(p for p in (CORPUS / "wxr").rglob("*.xml")) if CORPUS.is_dir() else []


@pytest.mark.parametrize("export", _corpus_exports(), ids=lambda p: p.name)
def test_every_corpus_export(corpus: Path, export: Path, tmp_path: Path) -> None:
    proc = run_cli("convert", str(export), "-o", str(tmp_path / "o"), "-q")
    assert "Traceback" not in proc.stderr, proc.stderr
    if proc.returncode == 2:
        assert count_items(export) == 0, "only an input without items may be refused"
        return
    assert proc.returncode in (0, 1), proc.stderr
    check_manifest(tmp_path / "o", count_items(export))


def test_folder_of_exports_is_one_site(tmp_path: Path) -> None:
    report = migrator.convert([FIXTURES / "split"], tmp_path / "out")
    parts = sorted((FIXTURES / "split").glob("*.xml"))
    assert report.exit_code == 0
    assert len(report.documents) + len(report.skipped) + len(report.media) == sum(map(count_items, parts))
    assert {d.source for d in report.documents} == {str(p) for p in parts}


def test_export_without_items_is_not_an_error(tmp_path: Path) -> None:
    export = tmp_path / "terms-only.xml"
    export.write_text(
        '<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>T</title>'
        "<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://t.example.org</wp:base_site_url>"
        "<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>a</wp:category_nicename>"
        "<wp:cat_name>A</wp:cat_name></wp:category></channel></rss>",
        encoding="utf-8",
    )
    report = migrator.convert([export], tmp_path / "out")
    assert report.exit_code == 0 and [p.code for p in report.problems] == ["no-items"]
    assert json.loads((tmp_path / "out" / "manifest.json").read_text())["documents"] == []
