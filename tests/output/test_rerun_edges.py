"""Runs in one process and re-runs: nothing carried over that should not be."""

from __future__ import annotations

import json
from pathlib import Path

from migrator.pipeline import convert

from conftest import FIXTURES

SAMPLE = FIXTURES / "sample-export.xml"


def files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_relative_output_folder_follows_the_working_directory(tmp_path: Path, monkeypatch) -> None:
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        monkeypatch.chdir(tmp_path / name)
        report = convert([SAMPLE], "out")
        assert not [p for p in report.problems if p.severity == "error"]
    assert files(tmp_path / "one" / "out") == files(tmp_path / "two" / "out")
    assert len(files(tmp_path / "two" / "out")) > 5


def test_a_previous_manifest_naming_an_undecodable_file_is_no_obstacle(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert convert([SAMPLE], out).exit_code == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"].append("posts/caf\udce9.md")  # a name that is not valid UTF-8 on disk
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=True), encoding="utf-8")
    report = convert([SAMPLE], out)
    assert report.exit_code == 0
    assert not (out / ".migrator-journal").exists()  # the run finished: manifest written, journal gone
    assert "posts/caf\udce9.md" not in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]
