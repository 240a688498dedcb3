"""Ownership of the output directory (issue 18, items 3 and 4): a planted manifest or journal
never makes migrator overwrite or delete a file it did not write; two runs into one directory
never run at once; whatever an interrupted or racing run left converges on the next run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import migrator
from migrator.check import check_output
from migrator.output.ownership import JOURNAL

from conftest import FIXTURES, ROOT, run_cli

SAMPLE = FIXTURES / "sample-export.xml"


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# -- 3. ownership a hand-written manifest cannot claim ------------------------------------------


@pytest.mark.parametrize(
    "planted",
    [
        {"generator": "migrator", "files": ["notes.txt"]},
        {"generator": "migrator 9", "files": ["notes.txt"], "file_hashes": {"notes.txt": "0" * 64}},
        {"generator": "migrator", "documents": [{"path": "notes.txt"}]},
    ],
)
def test_planted_manifest_never_deletes_a_foreign_file(tmp_path: Path, planted: dict) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps(planted))
    (out / "notes.txt").write_text("mine\n")
    proc = run_cli("convert", str(SAMPLE), "-o", str(out), "-q")
    assert proc.returncode == 0, proc.stderr
    assert (out / "notes.txt").read_text() == "mine\n"
    manifest = json.loads((out / "manifest.json").read_text())
    assert "notes.txt" not in manifest["files"]
    assert check_output(out).exit_code() == 0
    migrator.convert([SAMPLE], out)  # and no later run touches it either
    assert (out / "notes.txt").read_text() == "mine\n"


def test_planted_journal_never_deletes_a_foreign_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / JOURNAL).write_text("notes.txt\nnotes.txt\t" + "a" * 64 + "\n")
    (out / "notes.txt").write_text("mine\n")
    report = migrator.convert([SAMPLE], out)
    assert report.exit_code == 0
    assert (out / "notes.txt").read_text() == "mine\n"


def test_planted_manifest_never_overwrites_a_foreign_file(tmp_path: Path) -> None:
    clean = migrator.convert([SAMPLE], tmp_path / "clean")
    victim = clean.documents[0].path
    out = tmp_path / "out"
    (out / victim).parent.mkdir(parents=True)
    (out / victim).write_text("my own text\n")
    (out / "manifest.json").write_text(
        json.dumps({"generator": "migrator", "files": [victim], "file_hashes": {victim: "1" * 64}})
    )
    report = migrator.convert([SAMPLE], out)
    assert (out / victim).read_text() == "my own text\n"
    assert any(p.code == "output-conflict" and victim in p.message for p in report.problems)


def test_a_file_changed_since_is_never_removed_or_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = migrator.convert([SAMPLE], out)
    edited, stale = first.documents[0].path, first.documents[1].path
    (out / edited).write_text("edited by hand\n")
    (out / stale).write_text("also edited\n")
    second = migrator.convert([SAMPLE], out, layout="{type}/{slug}.md")  # every old path is stale now
    assert (out / edited).read_text() == "edited by hand\n" and (out / stale).read_text() == "also edited\n"
    kept = [p for p in second.problems if p.code == "stale-not-removed"]
    assert {edited, stale} <= {p.message.split(":")[0] for p in kept}
    assert second.exit_code == 0
    # files the first run wrote and nobody changed are gone
    assert not [
        d.path
        for d in first.documents[2:]
        if (out / d.path).exists() and d.path not in {x.path for x in second.documents}
    ]


def test_manifest_records_a_hash_for_every_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    # media linked: a failed download (the fixture's host does not exist) is listed without a hash
    migrator.convert([SAMPLE], out, target="hugo", scaffold=True, comments="data", redirects=["netlify"], media="link")
    manifest = json.loads((out / "manifest.json").read_text())
    import hashlib

    assert manifest["files"] == sorted(manifest["file_hashes"])
    for rel, value in manifest["file_hashes"].items():
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == value, rel
    assert set(manifest["files"]) == set(_tree(out)) - {"manifest.json"}


def test_rerun_converges_and_keeps_scaffold_edits(tmp_path: Path) -> None:
    out = tmp_path / "out"
    migrator.convert([SAMPLE], out, target="jekyll", scaffold=True)
    (out / "_config.yml").write_text((out / "_config.yml").read_text() + "# mine\n")
    second = migrator.convert([SAMPLE], out, target="jekyll", scaffold=True)
    third = migrator.convert([SAMPLE], out, target="jekyll", scaffold=True)
    assert second.exit_code == third.exit_code == 0
    assert (out / "_config.yml").read_text().endswith("# mine\n")
    assert check_output(out).exit_code() == 0


# -- 4. one run at a time; interrupted states converge -------------------------------------------

_HOLDER = """
import sys, time
from pathlib import Path
from migrator.output.ownership import OutputLock
lock = OutputLock(Path(sys.argv[1]))
print("locked", flush=True)
sys.stdin.read()  # held until the test closes stdin or kills the holder
"""


def test_second_run_refuses_at_once_while_one_runs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        # the lock is held until the test lets go: a run that waited for it would not end; a bound
        # for "at once" generous enough for a loaded machine (a refusing run takes 1 s alone, 25 s under load)
        start = time.monotonic()
        proc = run_cli("convert", str(SAMPLE), "-o", str(out), "-q")
        assert proc.returncode == 2, (proc.stdout, proc.stderr)
        assert "another migrator run" in proc.stderr and "Traceback" not in proc.stderr
        assert time.monotonic() - start < 120 and holder.poll() is None
        assert not list(out.iterdir())  # nothing written
        holder.send_signal(signal.SIGKILL)  # a run killed outright: the system releases the lock
        holder.wait()
        assert run_cli("convert", str(SAMPLE), "-o", str(out), "-q").returncode == 0
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


def _big_export(path: Path, n: int) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    start = text.index("<item>")
    end = text.index("</item>", start) + len("</item>")
    one = text[start:end]
    items = "".join(
        one.replace("<wp:post_id>", f"<wp:post_id>9{i:04d}", 1).replace(
            "<wp:post_name><![CDATA[", f"<wp:post_name><![CDATA[copy-{i}-", 1
        )
        for i in range(n)
    )
    path.write_text(text[:end] + items + text[end:], encoding="utf-8")
    return path


def test_racing_runs_never_break_the_output(tmp_path: Path) -> None:
    """Two real runs started together: one refuses (exit 2) or they run one after the other;
    either way the output is whole, `check` passes and a third run changes nothing."""
    export = _big_export(tmp_path / "big.xml", 300)
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "migrator", "convert", str(export), "-o", str(out), "-q", "-j", "1"]
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)
    ]
    codes = sorted(p.wait(timeout=600) for p in procs)
    assert codes in ([0, 0], [0, 2]), [p.stderr.read() for p in procs]
    assert check_output(out).exit_code() == 0
    before = _tree(out)
    third = migrator.convert([export], out)
    assert third.exit_code == 0 and not [p for p in third.problems if p.code == "output-conflict"]
    assert _tree(out) == before


def test_output_left_by_racing_runs_converges(tmp_path: Path) -> None:
    """The state the race of issue 18 left (files on disk that the manifest does not list):
    the next run takes the files whose content is exactly what it writes, and converges."""
    out = tmp_path / "out"
    migrator.convert([SAMPLE], out, redirects=["netlify"])
    manifest = json.loads((out / "manifest.json").read_text())
    lost = manifest["files"][::2]
    manifest["files"] = manifest["files"][1::2]
    manifest["file_hashes"] = {k: v for k, v in manifest["file_hashes"].items() if k not in lost}
    (out / "manifest.json").write_text(json.dumps(manifest))
    report = migrator.convert([SAMPLE], out, redirects=["netlify"])
    assert report.exit_code == 0, [p for p in report.problems if p.severity == "error"]
    assert check_output(out).exit_code() == 0
    assert set(json.loads((out / "manifest.json").read_text())["files"]) >= set(lost)


def test_killed_run_converges(tmp_path: Path) -> None:
    """A run killed outright (SIGKILL) at some point: the next run completes the job."""
    export = _big_export(tmp_path / "big.xml", 200)
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    reference = migrator.convert([export], tmp_path / "reference", jobs=1)
    for delay in (0.8, 1.6):
        proc = subprocess.Popen(
            [sys.executable, "-m", "migrator", "convert", str(export), "-o", str(out), "-q", "-j", "1"], env=env
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        report = migrator.convert([export], out, jobs=1)
        assert report.exit_code == reference.exit_code
        assert not [p for p in report.problems if p.code == "output-conflict"]
        assert _tree(out).keys() == _tree(tmp_path / "reference").keys()
        assert check_output(out).exit_code() == 0
