"""Output safety: nothing outside OUT, no symlink followed, foreign files untouched, re-runs
rewrite only what changed and remove only our stale files, interrupted runs complete."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import migrator
from migrator.output import writer
from migrator.output.ownership import JOURNAL
from migrator.output.writer import UnsafePath, atomic_write, resolve_inside

from conftest import FIXTURES, run_cli, split_front_matter

HOSTILE = FIXTURES / "hostile"
SAMPLE = FIXTURES / "sample-export.xml"


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    "layout",
    [
        "{type}s/{slug}.md",
        "../{slug}.md",
        "/tmp/{slug}.md",
        "C:\\evil\\{slug}.md",
        "{slug}/../../../{slug}.md",
        "..\\..\\{slug}.md",
    ],
)
def test_nothing_is_written_outside_out(layout: str, tmp_path: Path) -> None:
    sandbox = tmp_path / "sandbox"
    out = sandbox / "out"
    sandbox.mkdir()
    report = migrator.convert([HOSTILE / "evil-paths.xml"], out, layout=layout)
    assert [p.name for p in sandbox.iterdir()] == ["out"]
    assert len(report.documents) == 6
    for d in report.documents:
        path = (out / d.path).resolve()
        assert out.resolve() in path.parents and path.is_file()
        assert ".." not in d.path.split("/") and not d.path.startswith("/") and ":" not in d.path


def test_resolve_inside_refuses_escapes(tmp_path: Path) -> None:
    for bad in ("../x.md", "/etc/passwd", "C:/x.md", "c:x.md", "a/../../x.md", "a\\..\\..\\x.md", "x\x00.md", ""):
        with pytest.raises(UnsafePath):
            resolve_inside(tmp_path, bad)
    assert resolve_inside(tmp_path, "posts/a.md") == tmp_path.resolve() / "posts" / "a.md"


def test_symlinks_in_the_output_are_not_followed(tmp_path: Path) -> None:
    out, outside = tmp_path / "out", tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.md").write_text("precious\n")
    first = migrator.convert([HOSTILE / "evil-paths.xml"], out)
    target = out / first.documents[0].path
    posts = target.parent
    for f in posts.iterdir():
        f.unlink()
    posts.rmdir()
    posts.symlink_to(outside, target_is_directory=True)  # the whole folder points outside
    report = migrator.convert([HOSTILE / "evil-paths.xml"], out)
    assert {p.name for p in outside.iterdir()} == {"victim.md"}
    assert (outside / "victim.md").read_text() == "precious\n"
    assert any(p.code == "unsafe-path" and "symlink" in p.message for p in report.problems)


def test_symlinked_file_is_not_written_through(tmp_path: Path) -> None:
    out = tmp_path / "out"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    first = migrator.convert([SAMPLE], out)
    path = out / first.documents[0].path
    path.unlink()
    path.symlink_to(victim)
    migrator.convert([SAMPLE], out)
    assert victim.read_text() == "precious\n"
    assert path.is_symlink()


@pytest.mark.parametrize("force", [False, True])
def test_journal_symlinked_out_of_the_output_is_refused(tmp_path: Path, force: bool) -> None:
    out = tmp_path / "out"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    migrator.convert([SAMPLE], out)
    (out / JOURNAL).symlink_to(victim)  # e.g. committed to a repository the output lives in
    proc = run_cli("convert", str(SAMPLE), "-o", str(out), "-q", *(["--force"] if force else []))
    assert proc.returncode == 2 and "symbolic link" in proc.stderr and "Traceback" not in proc.stderr
    assert victim.read_text() == "precious\n"
    assert (out / JOURNAL).is_symlink()


def test_non_empty_directory_without_manifest_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n")
    proc = run_cli("convert", str(SAMPLE), "-o", str(out), "-q")
    assert proc.returncode == 2 and "--force" in proc.stderr and "Traceback" not in proc.stderr
    assert _tree(out) == {"notes.txt": b"mine\n"}


def test_force_never_touches_foreign_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    clean = migrator.convert([SAMPLE], tmp_path / "clean")
    victim_rel = clean.documents[0].path
    out.mkdir()
    (out / "notes.txt").write_text("mine\n")
    (out / victim_rel).parent.mkdir(parents=True)
    (out / victim_rel).write_text("my own file\n")
    proc = run_cli("convert", str(SAMPLE), "-o", str(out), "-q", "--force")
    assert proc.returncode == 1
    assert (out / "notes.txt").read_text() == "mine\n"
    assert (out / victim_rel).read_text() == "my own file\n"
    manifest = json.loads((out / "manifest.json").read_text())
    assert any(p["code"] == "output-conflict" and victim_rel in p["message"] for p in manifest["problems"])
    assert victim_rel not in manifest["files"] and "notes.txt" not in manifest["files"]
    # a later run still leaves both alone and removes nothing of them
    migrator.convert([SAMPLE], out, layout="{type}/{slug}.md")
    assert (out / "notes.txt").read_text() == "mine\n" and (out / victim_rel).read_text() == "my own file\n"


def test_rerun_rewrites_only_changed_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    migrator.convert([SAMPLE], out, redirects=["netlify"])
    old = 1_000_000_000
    for p in out.rglob("*"):
        if p.is_file():
            os.utime(p, (old, old))
    migrator.convert([SAMPLE], out, redirects=["netlify"])
    changed = [str(p) for p in out.rglob("*") if p.is_file() and p.stat().st_mtime != old]
    assert changed == []
    assert not (out / JOURNAL).exists()


def test_rerun_removes_only_our_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = migrator.convert([SAMPLE], out, redirects=["netlify", "csv"])
    old_paths = [d.path for d in first.documents]
    (out / "posts" / "README.txt").write_text("added by the user\n")
    second = migrator.convert([SAMPLE], out, layout="{year}/{slug}.md", redirects=["csv"])
    files = set(_tree(out))
    assert not any(p in files for p in old_paths if p not in {d.path for d in second.documents})
    assert "_redirects" not in files and "redirects.csv" in files
    assert (out / "posts" / "README.txt").read_text() == "added by the user\n"
    assert not (out / "pages").exists()  # emptied folders go too
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["files"]) == files - {"manifest.json", "posts/README.txt"}
    assert any(p["code"] == "stale-removed" for p in manifest["problems"])


def test_tampered_manifest_cannot_delete_outside(tmp_path: Path) -> None:
    out = tmp_path / "out"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    migrator.convert([SAMPLE], out)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["files"] += ["../victim.txt", str(victim), "posts/../../victim.txt"]
    (out / "manifest.json").write_text(json.dumps(manifest))
    migrator.convert([SAMPLE], out)
    assert victim.read_text() == "precious\n"


def test_interrupted_write_leaves_no_half_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.md"
    path.write_text("old\n")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(writer.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(path, b"new content\n")
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_interrupted_run_is_completed_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "out"
    calls = []

    def ctrl_c(done: int, total: int) -> None:
        calls.append(done)
        if done == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        migrator.convert([SAMPLE], out, progress=ctrl_c)
    assert (out / JOURNAL).is_file() and not (out / "manifest.json").exists()
    (out / "posts" / ".migrator-leftover1.tmp").write_bytes(b"half")  # as a kill -9 would leave
    for md in out.rglob("*.md"):
        fm, _ = split_front_matter(md.read_text(encoding="utf-8"))  # every file is whole
    report = migrator.convert([SAMPLE], out)  # no --force needed: the journal says it is ours
    assert not report.fatal
    reference = migrator.convert([SAMPLE], tmp_path / "reference")
    assert _tree(out).keys() == _tree(tmp_path / "reference").keys()
    assert not (out / JOURNAL).exists()
    assert len(report.documents) == len(reference.documents)


def test_failed_item_keeps_its_earlier_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import migrator.pipeline as pipeline

    out = tmp_path / "out"
    first = migrator.convert([SAMPLE], out)
    victim = first.documents[0]
    before = (out / victim.path).read_bytes()
    real = pipeline.convert_document

    def flaky(doc, *args, **kwargs):
        if doc.id == victim.id:
            raise RuntimeError("transient")
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(pipeline, "convert_document", flaky)
    report = migrator.convert([SAMPLE], out)
    assert any(p.code == "conversion-failed" and p.id == victim.id for p in report.problems)
    assert (out / victim.path).read_bytes() == before
