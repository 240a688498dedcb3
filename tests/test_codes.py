"""One severity per problem code: the table in migrator.codes, what the code emits, the docs,
and what ``validate`` and ``convert`` report on the same inputs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import migrator
from conftest import FIXTURES, ROOT
from migrator import codes
from migrator.validate import validate

SOURCE = ROOT / "migrator"
#: literal (severity, code) pairs in the source, in the shapes problems are made in
_PAIRS = [
    re.compile(r'(?:Problem|_report|_problem|problem|add)\(\s*"(error|warning|info)",\s*"([a-z0-9-]+)"', re.S),
    re.compile(r'report\(\s*"([a-z0-9-]+)",[^\n]*?,\s*"(error|warning|info)"\)'),
]
_CODE_CONSTANT = re.compile(r'^[A-Z_]+ = "([a-z]+(?:-[a-z0-9]+)+)"$', re.M)


def source_pairs() -> list[tuple[str, str, str]]:
    """(file, severity, code) for every problem made with literal values (verify has its own codes)."""
    out = []
    for path in sorted(SOURCE.rglob("*.py")):
        if "verify" in path.parts or path.name == "codes.py":
            continue
        text = path.read_text()
        for m in _PAIRS[0].finditer(text):
            out.append((path.name, m.group(1), m.group(2)))
        for m in _PAIRS[1].finditer(text):
            out.append((path.name, m.group(2), m.group(1)))
    return out


def test_every_severity_in_the_source_is_the_tables() -> None:
    pairs = source_pairs()
    assert len(pairs) > 80  # the scan finds the problems (a broken pattern would find none)
    wrong = [(f, sev, code) for f, sev, code in pairs if sev not in codes.allowed(code)]
    assert not wrong


def test_unknown_code_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        codes.severity("no-such-code")
    assert codes.severity("dropped-script") == "warning"


def documented() -> dict[str, set[str]]:
    """code -> severities, from docs/problems.md's validate, check and convert tables."""
    text = (ROOT / "docs" / "problems.md").read_text()
    text = text[: text.index("## verify")] + text[text.index("## convert") :]
    out: dict[str, set[str]] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        severities = set(re.findall(r"\b(error|warning|info)\b", cells[1]))
        for code in re.findall(r"`([a-z0-9-]+)`", cells[0]):
            if severities:
                out.setdefault(code, set()).update(severities)
            else:
                out.setdefault(code, set())  # "as above"
    return out


def test_docs_give_every_code_the_tables_severity() -> None:
    docs = documented()
    missing = sorted(set(codes.SEVERITY) - set(docs))
    assert not missing, f"codes not in docs/problems.md: {missing}"
    for code, severities in docs.items():
        if code.startswith("dropped-"):
            continue
        assert code in codes.SEVERITY, f"{code} is documented but not in migrator.codes"
        if severities:
            assert severities == codes.allowed(code), code


def _inputs(corpus: Path | None) -> list[Path]:
    paths = [
        *FIXTURES.glob("*.xml"),
        *FIXTURES.glob("bad/*"),
        *FIXTURES.glob("validate/*.xml"),
        *FIXTURES.glob("hostile/*.xml"),
    ]
    if corpus is not None:
        paths += [
            corpus / "wxr/theme-test-data/themeunittestdata.wordpress.xml",
            corpus / "wxr/wordpress-importer/phpunit/data/crazy-cdata.xml",
        ]
    return sorted(p for p in paths if p.name != "external-dtd.xml")


def test_validate_and_convert_report_one_severity_per_code(tmp_path: Path) -> None:
    """On the same inputs, every problem either command reports has the table's severity, and
    a code both report has the same severity in both (``unknown-shortcode`` was info in convert,
    a warning in validate)."""
    seen: dict[str, set[str]] = {}
    for n, path in enumerate(_inputs(None)):
        report = migrator.convert([path], tmp_path / f"o{n}", jobs=1)
        findings = validate([path])
        for p in [*report.problems, *findings.problems]:
            assert p.severity in codes.allowed(p.code), (path.name, p)
            seen.setdefault(p.code, set()).add(p.severity)
        both = {p.code for p in report.problems} & {p.code for p in findings.problems}
        for code in both:
            sv = {p.severity for p in findings.problems if p.code == code}
            sc = {p.severity for p in report.problems if p.code == code}
            assert sv == sc or code in codes.GRADED, (path.name, code, sv, sc)
    assert seen["unknown-shortcode"] == {"warning"}


# -- validate recovers broken XML the way convert does -------------------------------------------

SAMPLE = FIXTURES / "sample-export.xml"


def _broken(tmp_path: Path) -> dict[str, Path]:
    text = SAMPLE.read_text()
    first = text.index("<item>")
    variants = {
        "cut-in-channel-head": text[: text.index("</title>") + 20],
        "mismatched-tag": text.replace("</title>", "</titl>", 1),
        "unclosed-in-item": text[:first] + "<item><foo>" + text[first + 6 :],
        "garbage-before-item": text[:first] + "<</>>" + text[first:],
        "cut-inside-item": text[: text.index("</item>") - 10],
        "undeclared-prefix": '<?xml version="1.0"?>\n<rss><channel><item><title>x</title>'
        "<wp:post_id>1</wp:post_id></item></channel></rss>",
    }
    out = {}
    for name, body in variants.items():
        out[name] = tmp_path / f"{name}.xml"
        out[name].write_text(body)
    return out


READER_CODES = frozenset(codes.SEVERITY) - {"no-items"}


def test_validate_recovers_broken_xml_as_convert_does(tmp_path: Path) -> None:
    for name, path in _broken(tmp_path).items():
        report = migrator.convert([path], tmp_path / f"out-{name}", jobs=1)
        findings = validate([path])
        assert findings.exit_code() == report.exit_code, name
        if report.exit_code != 2:
            assert not findings.unreadable, (name, findings.problems)
            assert not any("not a WordPress export" in p.message for p in findings.problems), name
        recovered = {(p.code, p.severity, p.line) for p in report.problems if p.code.startswith("xml-")}
        said = {(p.code, p.severity, p.line) for p in findings.problems if p.code.startswith("xml-")}
        assert recovered and recovered == said, (name, recovered, said)
        assert all(line for _, _, line in said), name  # validate gives the line
