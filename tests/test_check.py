"""migrator check: a tree produced by convert passes; damage to it is found with the right code and line."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from conftest import FIXTURES, ROOT, run_cli
from migrator import convert
from migrator.check import CHECKS, check_output, link_targets, resolve

SCHEMA = json.loads((ROOT / "docs" / "validate.schema.json").read_text())


@pytest.fixture(scope="module")
def clean_tree(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("clean") / "out"
    report = convert([FIXTURES / "validate" / "clean.xml"], out)
    assert report.exit_code == 0
    return out


@pytest.fixture
def tree(clean_tree, tmp_path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(clean_tree, out)
    return out


def first_md(out: Path) -> Path:
    return sorted(out.rglob("*.md"))[0]


def test_converted_tree_is_clean(tree):
    findings = check_output(tree)
    assert findings.problems == []
    assert findings.exit_code("warning") == 0


def test_broken_relative_link_and_image(tree):
    md = first_md(tree)
    md.write_text(
        md.read_text() + "\nSee [the missing page](../nowhere/gone.md).\n\n![lost](img/lost.png)\n"
        "\n[fine](https://example.com/x) [frag](#top)\n"
    )
    lines = md.read_text().splitlines()
    findings = check_output(tree)
    got = {(p.code, p.severity, p.line) for p in findings.problems}
    link_line = next(i for i, l in enumerate(lines, 1) if "nowhere" in l)
    image_line = next(i for i, l in enumerate(lines, 1) if "lost.png" in l)
    assert got == {("broken-link", "error", link_line), ("broken-image", "error", image_line)}
    assert findings.exit_code() == 1


def test_link_to_existing_sibling_resolves(tree):
    a, b = sorted(tree.rglob("*.md"))[:2]
    rel = Path(b).relative_to(a.parent).as_posix()
    a.write_text(a.read_text() + f"\n[sibling]({rel})\n")
    assert check_output(tree).problems == []


def test_broken_front_matter(tree):
    md = first_md(tree)
    text = md.read_text()
    md.write_text(text.replace("title:", "title: [unclosed", 1))
    findings = check_output(tree)
    bad = [p for p in findings.problems if p.code == "front-matter-invalid"]
    assert len(bad) == 1 and bad[0].severity == "error" and bad[0].source == str(md)
    assert bad[0].line is not None and bad[0].line >= 2


def test_missing_required_key(tree):
    md = first_md(tree)
    lines = md.read_text().split("\n")
    md.write_text("\n".join(l for l in lines if not l.startswith("slug:")))
    found = [p for p in check_output(tree).problems if p.code == "front-matter-missing-key"]
    assert [(p.severity, "'slug'" in p.message) for p in found] == [("error", True)]


def test_manifest_disagreements(tree):
    md = first_md(tree)
    md.rename(md.with_name("renamed.md"))
    (tree / "notes.txt").write_text("stray")
    linked = any(md.name in other.read_text() for other in tree.rglob("*.md"))
    codes = {(p.code, p.severity) for p in check_output(tree).problems}
    expected = {("manifest-missing-file", "error"), ("not-in-manifest", "error"), ("stray-file", "warning")}
    if linked:  # internal links to the renamed file now dangle too
        expected.add(("broken-link", "error"))
    assert codes == expected


def test_cli_formats_and_exit_codes(tree, tmp_path):
    md = first_md(tree)
    md.write_text(md.read_text() + "\n[gone](gone.md)\n")
    result = run_cli("check", "--format", "json", str(tree))
    assert result.returncode == 1
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    assert [p["code"] for p in data["problems"]] == ["broken-link"]
    gh = run_cli("check", "--format", "github", str(tree)).stdout.splitlines()
    assert len(gh) == 1 and gh[0].startswith("::error file=") and "title=broken-link" in gh[0]
    junit = ET.fromstring(run_cli("check", "--format", "junit", str(tree)).stdout)
    cases = junit.findall("testsuite/testcase")
    assert [c.get("name") for c in cases] == [c.name for c in CHECKS]
    assert [c.get("name") for c in cases if c.find("failure") is not None] == ["links"]
    assert run_cli("check", str(tmp_path / "absent")).returncode == 2


def test_link_targets_and_resolve():
    md = '[a](x.md) ![i](../m/p.png "t") [b](https://e.com) [c](#f) `[no](code.md)`\n'
    assert [(k, t) for k, t, _ in link_targets(md)] == [
        ("link", "x.md"),
        ("image", "../m/p.png"),
        ("link", "https://e.com"),
        ("link", "#f"),
    ]
    assert resolve("posts/a.md", "../media/p%20q.png") == "media/p q.png"
    assert resolve("posts/a.md", "https://e.com/x") is None
    assert resolve("posts/a.md", "#frag") is None
    assert resolve("posts/a.md", "b.md#frag") == "posts/b.md"


def _edit_manifest(out: Path, rel: str, **changes) -> None:
    path = out / "manifest.json"
    data = json.loads(path.read_text())
    for d in data["documents"]:
        if d["path"] == rel:
            d.update(changes)
    path.write_text(json.dumps(data))


def test_date_required_unless_undated(tree):
    md = first_md(tree)
    rel = md.relative_to(tree).as_posix()
    md.write_text("\n".join(l for l in md.read_text().split("\n") if not l.startswith("date:")))
    found = [(p.code, p.severity) for p in check_output(tree).problems]
    assert found == [("front-matter-missing-key", "error")]
    _edit_manifest(tree, rel, date=None)  # the manifest records the document as undated
    assert check_output(tree).problems == []


def test_untitled_source_is_only_a_warning(tree):
    md = first_md(tree)
    rel = md.relative_to(tree).as_posix()
    md.write_text("\n".join(l for l in md.read_text().split("\n") if not l.startswith("title:")))
    assert [(p.code, p.severity) for p in check_output(tree).problems] == [("front-matter-missing-key", "error")]
    _edit_manifest(tree, rel, title="")
    findings = check_output(tree)
    assert [(p.code, p.severity) for p in findings.problems] == [("front-matter-untitled", "warning")]
    assert findings.exit_code("error") == 0 and findings.exit_code("warning") == 1


def test_files_the_run_wrote_are_not_strays(tmp_path):
    from conftest import FIXTURES

    import migrator

    out = tmp_path / "site"
    report = migrator.convert(
        [FIXTURES / "sample-export.xml"], out, redirects=["netlify", "csv"], target="hugo", scaffold=True
    )
    assert report.exit_code == 0
    codes = {p.code for p in check_output(out).problems}
    assert "stray-file" not in codes and "not-in-manifest" not in codes
    (out / "notes.txt").write_text("mine")
    assert "stray-file" in {p.code for p in check_output(out).problems}


@pytest.mark.parametrize("target", ["hugo", "jekyll", "astro", "eleventy", "mkdocs", "pelican"])
def test_check_reads_each_target_by_its_conventions(tmp_path, target):
    from conftest import FIXTURES

    import migrator

    out = tmp_path / target
    assert migrator.convert([FIXTURES / "sample-export.xml"], out, target=target, scaffold=True).exit_code == 0
    assert check_output(out).problems == []
    doc = out / json.loads((out / "manifest.json").read_text())["documents"][0]["path"]
    text = doc.read_text(encoding="utf-8")
    doc.write_text(
        text.replace("title", "titel", 1) if target != "pelican" else text.replace("Title:", "Titel:", 1),
        encoding="utf-8",
    )
    assert "front-matter-missing-key" in {p.code for p in check_output(out).problems}


def test_check_follows_pelican_filename_links(tmp_path):
    from conftest import FIXTURES

    import migrator

    out = tmp_path / "pelican"
    migrator.convert([FIXTURES / "sample-export.xml"], out, target="pelican")
    roundup = next(out.rglob("finding-your-way-around.md"))
    text = roundup.read_text(encoding="utf-8")
    assert "{filename}/posts/harbour-at-dawn.md" in text
    roundup.write_text(
        text.replace("{filename}/posts/harbour-at-dawn.md", "{filename}/posts/nowhere.md"), encoding="utf-8"
    )
    broken = [p for p in check_output(out).problems if p.code == "broken-link"]
    assert broken and all("nowhere.md" in p.message for p in broken)


def test_check_reads_toml_front_matter(tmp_path):
    pytest.importorskip("tomllib")  # Python 3.11+
    from conftest import FIXTURES

    import migrator

    out = tmp_path / "hugo"
    migrator.convert([FIXTURES / "sample-export.xml"], out, target="hugo", front_matter_format="toml")
    assert check_output(out).problems == []
    doc = next(out.rglob("welcome.md"))
    doc.write_text(doc.read_text(encoding="utf-8").replace('title = "', "title = ", 1), encoding="utf-8")
    assert "front-matter-invalid" in {p.code for p in check_output(out).problems}
