"""migrator validate: every problem code on a fixture written for it, formats, exit codes, corpus."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from conftest import FIXTURES, ROOT, export_past_65535, run_cli
from migrator.model import Document
from migrator.reports import escape_data, escape_property, to_github, to_json
from migrator.validate import CHECKS, check_document, validate

V = FIXTURES / "validate"
SCHEMA = json.loads((ROOT / "docs" / "validate.schema.json").read_text())


def item_line(path: Path, title: str) -> int:
    """Line of the ``<item><title>`` that opens the item titled ``title``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(f"<item><title><![CDATA[{title}]]>"):
            return number
    raise AssertionError(title)


def line_with(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


@pytest.fixture(scope="module")
def problems_report():
    return validate([V / "problems.xml"])


ITEM_CASES = [
    ("id-renamed", "warning", "Dup id second"),
    ("duplicate-slug", "warning", "Dup slug second"),
    ("unsafe-slug", "warning", "Unsafe slug"),
    ("missing-type", "warning", "No type"),
    ("missing-id", "warning", "No id"),
    ("undeclared-author", "warning", "Stranger"),
    ("undeclared-term", "warning", "Odd term"),
    ("missing-attachment", "warning", "Lost image"),
    ("broken-internal-link", "warning", "Dead link"),
    ("unknown-shortcode", "warning", "Odd shortcode"),
    ("unknown-block", "warning", "Odd block"),
    ("block-parse", "warning", "Broken block"),
]


@pytest.mark.parametrize("code,severity,title", ITEM_CASES)
def test_item_problem(problems_report, code, severity, title):
    found = [p for p in problems_report.problems if p.code == code]
    assert found, code
    line = item_line(V / "problems.xml", title)
    assert {p.line for p in found} == {line}
    assert {p.severity for p in found} == {severity}
    assert all(p.source == str(V / "problems.xml") for p in found)


@pytest.mark.parametrize(
    "code,severity,needle",
    [
        ("bad-date", "warning", "<wp:post_date><![CDATA[sometime"),
        ("mojibake", "warning", "Caf\u00c3\u00a9"),
        ("replacement-char", "warning", "\ufffd"),
    ],
)
def test_line_level_problem(problems_report, code, severity, needle):
    found = [p for p in problems_report.problems if p.code == code]
    assert found and found[0].severity == severity
    assert found[0].line == line_with(V / "problems.xml", needle)
    assert found[0].id is not None  # assigned to the item holding the line


def test_counts_and_details(problems_report):
    by_code = {p.code: p for p in problems_report.problems}
    assert "(2x)" in by_code["unknown-block"].message and "acme/widget" in by_code["unknown-block"].message
    shortcodes = sorted(p.message for p in problems_report.problems if p.code == "unknown-shortcode")
    assert len(shortcodes) == 2 and "[contact-form]" in shortcodes[0] and "[note]" in shortcodes[1]
    assert not any("escaped" in m for m in shortcodes)
    refs = sorted(p.message for p in problems_report.problems if p.code == "missing-attachment")
    assert ["998" in refs[0], "999" in refs[1]] == [True, True]
    links = [p.message for p in problems_report.problems if p.code == "broken-internal-link"]
    assert any("never-written" in m for m in links) and any("p=4040" in m for m in links)


@pytest.mark.parametrize("code", ["multiple-base-urls", "mixed-scheme"])
def test_site_level(problems_report, code):
    found = [p for p in problems_report.problems if p.code == code]
    assert len(found) == 1 and found[0].severity == "warning" and found[0].line is None


@pytest.mark.parametrize(
    "name,code", [("no-version.xml", "wxr-version-missing"), ("bad-version.xml", "wxr-version-unknown")]
)
def test_wxr_version(name, code):
    report = validate([V / name])
    assert [(p.code, p.severity) for p in report.problems] == [(code, "warning")]
    assert report.exit_code("error") == 0 and report.exit_code("warning") == 1


def test_invalid_char_and_xml_syntax():
    path = V / "invalid-char.xml"
    report = validate([path])
    line = line_with(path, "ring \x07 ring")
    bad = [p for p in report.problems if p.code == "invalid-char"]
    assert [(p.severity, p.line) for p in bad] == [("warning", line)]  # removed by the reader: nothing lost
    syntax = [p for p in report.problems if p.code == "xml-syntax"]
    assert syntax[0].severity == "warning" and syntax[0].line == line  # every item read whole (issue 18)
    assert "recovery succeeded" in syntax[0].message
    assert any(p.code == "recovered-item" for p in report.problems)
    assert report.exit_code() == 0 and report.exit_code("warning") == 1


def test_large_item():
    doc = Document(id="1", content="<p>" + "x" * 1_000_001 + "</p>", source="big.xml", line=7)
    found = [p for p in check_document(doc) if p.code == "large-item"]
    assert [(p.severity, p.line, p.id) for p in found] == [("warning", 7, "1")]
    assert not [p for p in check_document(Document(id="2", content="<p>small</p>")) if p.code == "large-item"]


def test_unreadable_input():
    report = validate([FIXTURES / "bad" / "empty.xml"])
    assert [(p.code, p.severity) for p in report.problems] == [("input-unreadable", "error")]
    assert report.exit_code() == 2


def test_clean_fixture_passes_fail_on_warning():
    result = run_cli("validate", "--fail-on", "warning", str(V / "clean.xml"))
    assert result.returncode == 0, result.stdout
    assert "OK" in result.stdout


def test_every_code_is_documented_and_triggered():
    documented = (ROOT / "docs" / "problems.md").read_text()
    for check in CHECKS:
        for code in check.codes:
            assert f"`{code}`" in documented, code


def test_json_validates_against_schema():
    result = run_cli("validate", "--format", "json", "--fail-on", "warning", str(V / "problems.xml"))
    assert result.returncode == 1
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    assert data["summary"]["by_code"]["id-renamed"] == 1
    assert data["exit_code"] == 1


def test_fail_on_threshold():
    path = str(V / "no-version.xml")
    assert run_cli("validate", path).returncode == 0
    assert run_cli("validate", "--fail-on", "warning", path).returncode == 1
    assert run_cli("validate", path, str(FIXTURES / "bad" / "empty.xml")).returncode == 2


def test_github_format_line_by_line():
    path = V / "invalid-char.xml"
    result = run_cli("validate", "--format", "github", str(path))
    lines = result.stdout.splitlines()
    report = validate([path])
    assert len(lines) == len(report.problems)
    for line in lines:
        assert line.startswith(("::error ", "::warning ", "::notice "))
        props, _, message = line.partition("::")[2].partition("::")
        level, _, props = props.partition(" ")
        fields = dict(kv.split("=", 1) for kv in props.split(","))
        assert fields["file"] == str(path).replace(":", "%3A")
        assert fields["title"] in {c for check in CHECKS for c in check.codes}
        assert "\n" not in message and "\r" not in message
    syntax = next(line for line in lines if "title=xml-syntax" in line)
    assert "::warning " in syntax and f"line={line_with(path, chr(7))}" in syntax and "%0A" in syntax


def test_github_escaping():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("C:\\a,b") == "C%3A\\a%2Cb"
    from migrator.model import Problem
    from migrator.reports import Findings

    out = to_github(
        Findings(
            "validate",
            ["a,b:c.xml"],
            list(CHECKS),
            [Problem("warning", "mojibake", "x%y\nz", source="a,b:c.xml", line=3)],
        )
    )
    assert out == "::warning file=a%2Cb%3Ac.xml,line=3,title=mojibake::x%25y%0Az\n"


def test_junit_one_testcase_per_check():
    result = run_cli(
        "validate",
        "--format",
        "junit",
        str(V / "problems.xml"),
        str(V / "clean.xml"),
        str(V / "duplicate-item.xml"),
        str(FIXTURES / "hostile" / "truncated-mid-item.xml"),
    )
    root = ET.fromstring(result.stdout)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites][:2] == [str(V / "problems.xml"), str(V / "clean.xml")]
    for suite in suites:
        assert [c.get("name") for c in suite.findall("testcase")] == [c.name for c in CHECKS]
    failed = {c.get("name") for c in suites[0].findall("testcase") if c.find("failure") is not None}
    assert failed == set()  # warnings only
    failed = {c.get("name") for c in suites[3].findall("testcase") if c.find("failure") is not None}
    assert failed == {"xml", "repairs"}  # a cut file lost data: errors
    assert not [c for c in suites[1].findall("testcase") if c.find("failure") is not None]
    warn = run_cli("validate", "--format", "junit", "--fail-on", "warning", str(V / "problems.xml"))
    failed = {c.get("name") for c in ET.fromstring(warn.stdout).iter("testcase") if c.find("failure") is not None}
    assert {"slugs", "dates", "references", "links", "content", "site", "encoding"} <= failed


def test_split_export_is_one_site():
    report = validate([FIXTURES / "split" / "part-1.xml", FIXTURES / "split" / "part-2.xml"])
    assert not [p for p in report.problems if p.code in ("undeclared-term", "missing-attachment")]


def split_folder(folder: Path) -> Path:
    """A split export saved as WordPress's exporter splits one: the two parts of
    ``fixtures/split``, a third (compressed) part that overlaps the first (page 13 again, exactly)
    and gives id 12 to a different post, with a post whose featured image (22) and link (page 13)
    are in the other parts; and a note and a screenshot beside them."""
    import gzip
    import re

    folder.mkdir()
    part1 = (FIXTURES / "split" / "part-1.xml").read_text(encoding="utf-8")
    for name in ("part-1.xml", "part-2.xml"):
        (folder / name).write_bytes((FIXTURES / "split" / name).read_bytes())
    head, rest = part1.split("\t<item>", 1)
    items = re.findall(r"\t<item>.*?</item>\n", "\t<item>" + rest, re.S)
    page13 = next(i for i in items if "<wp:post_id>13<" in i)
    other12 = items[1].replace("Rye and caraway", "Rye, second try").replace("rye-and-caraway", "rye-second-try")
    post16 = (
        items[1]
        .replace("<wp:post_id>12<", "<wp:post_id>16<")
        .replace("rye-and-caraway", "seeded-rye")
        .replace("Rye and caraway", "Seeded rye")
        .replace(
            "A dense loaf",
            'See the <a href="http://bakery.example.org/opening-hours/">opening hours</a>. A dense loaf',
        )
        .replace(
            "</wp:is_sticky>",
            "</wp:is_sticky>\n\t\t<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
            "<wp:meta_value><![CDATA[22]]></wp:meta_value></wp:postmeta>",
            1,
        )
    )
    part3 = head + page13 + other12 + post16 + "</channel>\n</rss>\n"
    (folder / "part-3.xml.gz").write_bytes(gzip.compress(part3.encode("utf-8"), mtime=0))
    (folder / "notes.txt").write_text("exported on a Tuesday\n", encoding="utf-8")
    (folder / "screenshot.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(16))
    return folder


def test_folder_of_split_exports_validates_as_convert_reads_it(tmp_path):
    """A folder whose files are WXR exports is the split export, for validate as for convert (it
    was read as a saved HTML site): every part is read, ids are one set across the files, and an
    item repeated or an id reused in another file is reported as convert reports it."""
    import migrator

    folder = split_folder(tmp_path / "export")
    findings = validate([folder])
    report = migrator.convert([folder], tmp_path / "out")
    assert findings.unreadable == [] and not report.fatal
    assert findings.inputs == [str(folder)]

    def ids(problems):
        return sorted((p.code, p.id, Path(p.source).name) for p in problems if p.code in ("duplicate-id", "id-renamed"))

    assert ids(findings.problems) == [("duplicate-id", "13", "part-3.xml.gz"), ("id-renamed", "12-2", "part-3.xml.gz")]
    assert ids(findings.problems) == ids(report.problems)
    # ids across the files: the attachment, the term and the page of another part are found
    codes = {p.code for p in findings.problems}
    assert not codes & {"missing-attachment", "undeclared-term", "broken-internal-link", "no-items"}, codes
    # the note beside the parts is named, as convert names it
    assert [(p.code, Path(p.source).name) for p in findings.problems if p.code == "input-ignored"] == [
        ("input-ignored", "notes.txt")
    ]
    assert [(p.code, p.severity) for p in findings.problems if (p.source or "").endswith("screenshot.png")] == [
        ("asset-ignored", "info")
    ]
    for name in ("notes.txt", "screenshot.png"):
        mine = {p.code for p in findings.problems if Path(p.source or "").name == name}
        assert mine == {p.code for p in report.problems if Path(p.source or "").name == name}
    # and through the command line: one input, exit 0, the junit suite of the folder holds the parts
    run = run_cli("validate", "--format", "junit", str(folder))
    assert run.returncode == 0, run.stdout + run.stderr
    suites = ET.fromstring(run.stdout).findall("testsuite")
    assert [s.get("name") for s in suites] == [str(folder)]
    assert "part-3.xml.gz" in run.stdout and "notes.txt" in run.stdout


def test_sample_export_reports_its_deliberate_problems():
    report = validate([FIXTURES / "sample-export.xml"])
    codes = {p.code for p in report.problems}
    assert "duplicate-slug" in codes and "broken-internal-link" in codes and "unknown-shortcode" in codes
    assert report.exit_code("error") == 0


def test_corpus_exports(corpus):
    exports = sorted((corpus / "wxr").rglob("*.xml"))
    assert exports
    for path in exports:  # in-process: an exception escaping fails the test
        findings = validate([path])
        data = json.loads(to_json(findings))
        jsonschema.validate(data, SCHEMA)
        assert data["exit_code"] in (0, 1, 2), path
        assert (data["exit_code"] == 2) == (data["summary"]["unreadable"] == 1), path
    result = run_cli("validate", "--format", "json", *map(str, exports[:3]))  # and once through the CLI
    assert result.returncode in (0, 1, 2) and "Traceback" not in result.stderr
    jsonschema.validate(json.loads(result.stdout), SCHEMA)


def test_lines_stay_exact_past_65535(tmp_path):
    """libxml2 reports some item lines past 65535 as 65535 (this layout triggers it at one item);
    validate takes item lines from the bytes."""
    path = export_past_65535(tmp_path / "long.xml")
    starts, current = {}, 0
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if line.startswith("<item>"):
            current = number
        if line.startswith("<wp:post_id>"):
            starts[line[len("<wp:post_id>") :].split("<")[0]] = current
    found = [p for p in validate([path]).problems if p.code == "missing-attachment"]
    assert len(found) == 4200
    assert [p.line for p in found] == [starts[p.id] for p in found]
    assert max(p.line for p in found) > 65535


# code -> (fixture, severity, text on the line the problem names; None: the item's first line,
# "": no line).  Every code of every check must be here: the last test keeps it so.
TRIGGERS = {
    "xml-syntax": ("bad/bare-ampersand.xml", "warning", "&utm_source"),
    "recovered-item": ("bad/bare-ampersand.xml", "warning", None),
    "invalid-char": ("validate/invalid-char.xml", "warning", "ring \x07 ring"),
    "input-unreadable": ("bad/empty.xml", "error", ""),
    "wxr-version-missing": ("validate/no-version.xml", "warning", ""),
    "wxr-version-unknown": ("validate/bad-version.xml", "warning", ""),
    "multiple-base-urls": ("validate/problems.xml", "warning", ""),
    "mixed-scheme": ("validate/problems.xml", "warning", ""),
    "xml-truncated": ("hostile/truncated-mid-item.xml", "error", "Three is cut off"),
    "duplicate-id": ("validate/duplicate-item.xml", "warning", None),
    "no-items": ("validate/no-items.xml", "warning", ""),
    "xml-item-broken": ("hostile/truncated-mid-item.xml", "error", "Three is cut off"),
    "invalid-char-removed": ("bad/control-chars.xml", "warning", "A vertical tab here"),
    "nested-cdata": ("hostile/broken-mix.xml", "warning", "nested <![CDATA["),
    "stray-cdata-end": ("validate/stray-cdata-end.xml", "warning", "marker ]]>"),
    "bare-ampersand": ("bad/bare-ampersand.xml", "warning", "&utm_source"),
    "undefined-entity": ("hostile/billion-laughs.xml", "warning", "&lol10;"),
    "doctype-removed": ("hostile/external-dtd.xml", "warning", "<!DOCTYPE"),
    "bom": ("hostile/utf16-bom.xml", "info", ""),
    "encoding-unknown": ("validate/unknown-encoding.xml", "warning", "x-klingon"),
    "encoding-mismatch": ("hostile/latin1-declared-utf8.xml", "warning", "encoding="),
    "encoding-repaired": ("hostile/cp1252-bytes.xml", "warning", "encoding="),
    "mojibake": ("hostile/mojibake.xml", "warning", "\u00c3"),
    "mojibake-repaired": ("hostile/mojibake.xml", "warning", None),
    "mojibake-suspected": ("validate/mojibake-suspected.xml", "warning", None),
    "replacement-char": ("hostile/cp1252-bytes.xml", "warning", "\ufffd"),
}


def _expected_line(path: Path, needle: str | None, problem) -> int | None:
    if needle == "":
        return problem.line  # file- or site-level: no line to check (checked by other tests)
    text = path.read_bytes().decode("utf-8", errors="replace") if path.suffix else ""
    if needle is None:  # the item the problem belongs to starts there
        starts = [n for n, line in enumerate(text.split("\n"), start=1) if "<item" in line]
        return max((n for n in starts if problem.line is None or n <= problem.line), default=None)
    return next((n for n, line in enumerate(text.split("\n"), start=1) if needle in line), None)


@pytest.mark.parametrize("code", sorted(TRIGGERS))
def test_code_is_triggered_by_its_fixture(code):
    name, severity, needle = TRIGGERS[code]
    path = FIXTURES / name
    found = [p for p in validate([path]).problems if p.code == code]
    assert found, f"{code} not reported for {name}"
    assert {p.severity for p in found} == {severity}
    if needle is not None and needle != "":
        assert found[0].line == _expected_line(path, needle, found[0]), (code, found[0].line)
    elif needle is None:
        assert found[0].line is not None and found[0].line == _expected_line(path, None, found[0])


def test_every_validate_code_has_a_trigger():
    covered = set(TRIGGERS) | {code for code, _, _ in ITEM_CASES} | {"bad-date", "large-item"}
    covered |= {"input-ignored", "asset-ignored"}  # test_folder_of_split_exports_validates_as_convert_reads_it
    codes = {code for check in CHECKS for code in check.codes}
    assert codes - covered == set(), "codes without a fixture that triggers them"


# --- what validate knows is what convert handles ---------------------------------------------------


def _every_known_name() -> str:
    """Content using every shortcode of the built-in registry and every block of the table."""
    from migrator.transforms.blocks import default_block_handlers
    from migrator.transforms.shortcodes import default_registry

    shortcodes = "".join(f'[{n} a="1"]x[/{n}]\n' for n in default_registry().names())
    table = default_block_handlers()
    blocks = "".join(f"<!-- wp:{n} /-->\n" for n in table.names())
    blocks += "".join(f"<!-- wp:{p}{'x' if p.endswith('/') else '-x'} /-->\n" for p in table.prefixes())
    return shortcodes + blocks


def test_validate_knows_every_shortcode_and_block_convert_handles(tmp_path):
    from migrator.transforms.blocks import default_block_handlers
    from migrator.transforms.shortcodes import default_registry

    content = _every_known_name()
    assert "[php " in content and "[sourcecode " in content  # the code shortcodes too
    problems = check_document(Document(id="1", content=content))
    assert [p for p in problems if p.code in ("unknown-shortcode", "unknown-block")] == []
    # convert agrees: nothing unknown either
    from migrator.transforms.context import Context
    from migrator.transforms.wordpress import apply_content_filters

    ctx = Context(doc=Document(id="1", content=content))
    apply_content_filters(ctx)
    assert [p for p in ctx.problems if p.code in ("unknown-shortcode", "unknown-block")] == []
    # the test can fail: a name neither knows is reported by both
    odd = '[acme_form id="1"]\n<!-- wp:acme/odd /-->'
    assert {p.code for p in check_document(Document(id="2", content=odd))} == {"unknown-shortcode", "unknown-block"}
    # and a registry or table given to validate is what it knows
    registry, table = default_registry(), default_block_handlers()
    registry.register("acme_form", lambda attrs, content, ctx: "")
    table.register("acme/odd", lambda block, r: "")
    xml = FIXTURES / "validate" / "problems.xml"
    plain = {p.message for p in validate([xml]).problems if p.code in ("unknown-shortcode", "unknown-block")}
    registry.register("note", lambda attrs, content, ctx: "")
    table.register("acme/widget", lambda block, r: "")
    known = validate([xml], shortcode_registry=registry, block_handlers=table).problems
    left = {p.message for p in known if p.code in ("unknown-shortcode", "unknown-block")}
    assert any("[note]" in m for m in plain) and any("acme/widget" in m for m in plain)
    assert not any("[note]" in m or "acme/widget" in m for m in left) and any("[contact-form]" in m for m in left)


def test_blocks_nested_deeper_than_the_recursion_limit_are_checked():
    deep = "<!-- wp:group --><div>" * 3000 + "<!-- wp:acme/odd /-->"
    problems = check_document(Document(id="1", content=deep))
    assert [p.message for p in problems if p.code == "unknown-block"] == [
        "unknown block acme/odd (1x): its inner HTML is kept"
    ]
