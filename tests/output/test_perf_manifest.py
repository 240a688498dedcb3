"""The manifest is written record by record; its bytes are those of one json.dumps."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import migrator
from migrator.model import Problem, Report, SkippedEntry
from migrator.output.manifest import _indented, manifest_dict, write_manifest

from conftest import FIXTURES


def expected(report: Report, files: list[str] | None = None, hashes: dict[str, str] | None = None) -> str:
    return json.dumps(manifest_dict(report, files, hashes=hashes), ensure_ascii=False, indent=2) + "\n"


def test_streamed_manifest_equals_one_dump(tmp_path: Path) -> None:
    report = migrator.convert([FIXTURES / "sample-export.xml"], tmp_path / "out", jobs=1)
    assert report.documents and report.skipped and report.problems
    text = (tmp_path / "out" / "manifest.json").read_text(encoding="utf-8")
    files, hashes = json.loads(text)["files"], json.loads(text)["file_hashes"]
    assert files and list(hashes) == files and text == expected(report, files, hashes)
    empty = tmp_path / "empty"
    empty.mkdir()
    write_manifest(report, empty, [], hashes=[])
    assert (empty / "manifest.json").read_text(encoding="utf-8") == expected(report, [], {})


def test_empty_lists_and_awkward_text(tmp_path: Path) -> None:
    report = Report()
    report.skipped.append(SkippedEntry("7", "post", "draft", 'Quote " and \\ and \n and ✓ 🌊', "draft"))
    report.problems.append(Problem("warning", "x", "line\nbreak\u2028", id="7", line=3))
    write_manifest(report, tmp_path)
    text = (tmp_path / "manifest.json").read_text(encoding="utf-8")
    assert text == expected(report)
    assert json.loads(text)["documents"] == []


def test_unchanged_manifest_is_left_alone(tmp_path: Path) -> None:
    report = Report()
    report.problems.append(Problem("info", "y", "z"))
    write_manifest(report, tmp_path)
    first = (tmp_path / "manifest.json").stat().st_mtime_ns
    write_manifest(report, tmp_path)
    assert (tmp_path / "manifest.json").stat().st_mtime_ns == first
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]  # no temporary file left


SCALARS = st.one_of(st.text(), st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True))
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3), st.dictionaries(st.text(max_size=3), SCALARS, max_size=2))


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), VALUES, max_size=6), VALUES))
def test_record_written_directly_is_json_dumps(record: object) -> None:
    """Each record's text is json.dumps's (indent 2, under the manifest's four spaces), whatever
    it holds: text of any character, numbers, None, lists, mappings, keys that are not text."""
    assert _indented(record) == json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n    ")
