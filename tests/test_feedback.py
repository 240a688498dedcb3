"""What a person sees while and after converting: a labelled bar per phase with an ETA, never a
silent ``0/?``; a summary naming the warning codes and where the full list is; errors on stderr;
every file of a folder input accounted for."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console

import migrator
from conftest import FIXTURES, run_cli
from migrator.display import ConvertDisplay, EtaColumn, progress_bar

SAMPLE = FIXTURES / "sample-export.xml"


def _display() -> tuple[ConvertDisplay, list[tuple[str, int, int | None]]]:
    console = Console(file=io.StringIO(), force_terminal=True, width=150)
    calls: list[tuple[str, int, int | None]] = []
    bar = progress_bar(console)
    display = ConvertDisplay(bar)
    index, conv = display.index, display.convert

    def on_index(done: int, total: int | None) -> None:
        calls.append(("indexing", done, total))
        index(done, total)

    def on_convert(done: int, total: int) -> None:
        calls.append(("converting", done, total))
        conv(done, total)

    display.index, display.convert = on_index, on_convert  # type: ignore[method-assign]
    return display, calls


def test_every_phase_has_a_label_a_total_and_an_eta(tmp_path: Path) -> None:
    display, calls = _display()
    uploads = tmp_path / "uploads"
    for rel in ("2015/03/dawn.jpg", "2015/10/slipway-1.jpg", "2014/11/foghorn.mp3"):
        (uploads / rel).parent.mkdir(parents=True, exist_ok=True)
        (uploads / rel).write_bytes(b"\xff\xd8\xff\xe0" + bytes(100) if rel.endswith(".jpg") else b"ID3" + bytes(100))
    with display.bar:
        report = migrator.convert(
            [SAMPLE],
            tmp_path / "out",
            progress=display.convert,
            index_progress=display.index,
            media_progress=display.media(),
            jobs=1,
            media_from=str(uploads),
        )
    tasks = {t.description.split(" [")[0]: t for t in display.bar.tasks}
    assert list(tasks) == ["indexing", "converting", "downloading media"]
    # pass 1 starts with its estimate (the export's items), not an unknown total
    first = calls[0]
    assert first[0] == "indexing" and first[1] == 0 and first[2] == 34
    assert tasks["indexing"].total == tasks["indexing"].completed == 34
    # pass 2 starts at 0 of its known total
    converting = [c for c in calls if c[0] == "converting"]
    assert converting[0][1:] == (0, converting[-1][2]) and converting[-1][1] == converting[-1][2]
    assert tasks["converting"].total == len(report.documents) + len(report.skipped) + len(report.media)
    assert tasks["downloading media"].total is not None and tasks["downloading media"].finished
    # the ETA column: a time while a task with a total runs, nothing once it is done
    running = display.bar.add_task("converting", total=10, rate="")
    display.bar.update(running, completed=0)
    assert str(EtaColumn().render(display.bar.tasks[running])).startswith("ETA")
    assert str(EtaColumn().render(tasks["converting"])) == ""


def test_summary_names_the_top_warning_codes_and_where_the_list_is(corpus: Path, tmp_path: Path) -> None:
    export = corpus / "wxr/theme-test-data/themeunittestdata.wordpress.xml"
    run = run_cli("convert", str(export), "-o", str(tmp_path / "out"), "-j", "1")
    assert run.returncode == 0, run.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    warnings: dict[str, int] = {}
    for p in manifest["problems"]:
        if p["severity"] == "warning":
            warnings[p["code"]] = warnings.get(p["code"], 0) + 1
    top = sorted(warnings.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    line = next(line for line in run.stderr.splitlines() if line.startswith("warnings:"))
    assert line == "warnings: " + ", ".join(f"{code} {n}" for code, n in top) + (
        f" and {len(warnings) - 5} more code(s)" if len(warnings) > 5 else ""
    )
    assert top[0] == ("id-renamed", 18)
    assert str(tmp_path / "out" / "manifest.json") in run.stderr and "migrator check" in run.stderr
    assert run.stdout == ""


def test_inspect_of_an_empty_file_says_so_on_stderr_only(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_text("")
    run = run_cli("inspect", str(empty))
    assert run.returncode == 2
    assert run.stdout == ""  # no empty table
    assert run.stderr.strip() == f"migrator inspect: error: {empty}: the file is empty"
    both = run_cli("inspect", str(empty), str(SAMPLE))
    assert both.returncode == 2 and "items" in both.stdout and "unreadable" not in both.stdout
    assert "the file is empty" in both.stderr


def test_validate_and_convert_say_unreadable_inputs_on_stderr(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_text("")
    run = run_cli("validate", str(empty), "--format", "json")
    assert run.returncode == 2
    assert json.loads(run.stdout)["exit_code"] == 2  # the report stays on stdout, parseable
    assert "the file is empty" in run.stderr
    conv = run_cli("convert", str(empty), "-o", str(tmp_path / "out"))
    assert conv.returncode == 2 and conv.stdout == "" and "the file is empty" in conv.stderr


def test_an_empty_path_is_a_usage_error_not_the_current_folder(tmp_path: Path) -> None:
    """``migrator convert "$EXPORT" -o "$OUT"`` with an unset variable: refused, nothing read
    from or written into the folder the command runs in."""
    (tmp_path / "sample.xml").write_bytes(SAMPLE.read_bytes())  # what "" would have read
    runs = [
        run_cli("convert", "", "-o", str(tmp_path / "out"), cwd=tmp_path),
        run_cli("convert", str(SAMPLE), "-o", "", cwd=tmp_path),
        run_cli("convert", str(SAMPLE), "-o", "  ", cwd=tmp_path),
        run_cli("validate", "", cwd=tmp_path),
        run_cli("inspect", str(SAMPLE), "", cwd=tmp_path),
        run_cli("check", "", cwd=tmp_path),
    ]
    for run in runs:
        assert run.returncode == 2, run.stderr
        assert "empty path (an unset variable?)" in run.stderr and run.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sample.xml"]  # nothing written


def test_a_folder_input_reports_every_file_it_does_not_read(tmp_path: Path) -> None:
    """The issue's folder: a .txt, an .html and an RSS .xml; before, one post and not a word
    about the other two."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "post.html").write_bytes((FIXTURES / "html" / "ledger-single.html").read_bytes())
    (folder / "notes.txt").write_text("A title\n\nSome text copied off a page.\n")
    (folder / "feed.xml").write_text(
        '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Feed</title>'
        "<item><title>x</title></item></channel></rss>\n"
    )
    (folder / "theme.css").write_text("body { color: black }\n")
    (folder / "wp-content" / "uploads").mkdir(parents=True)
    (folder / "wp-content" / "uploads" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(64))
    report = migrator.convert([folder], tmp_path / "out", jobs=1)
    assert report.exit_code == 0 and len(report.documents) == 1
    ignored = {Path(p.source).name: p for p in report.problems if p.code in ("input-ignored", "asset-ignored")}
    assert set(ignored) == {"notes.txt", "feed.xml", "theme.css"}  # the upload is media, not ignored
    assert ignored["notes.txt"].severity == "warning" and "text" in ignored["notes.txt"].message
    assert "saved site folder is read for its .html pages" in ignored["feed.xml"].message
    assert "input of its own" in ignored["feed.xml"].message
    assert ignored["theme.css"].code == "asset-ignored" and ignored["theme.css"].severity == "info"
    assert migrator.validate([folder]).problems  # validate reads the folder the same way
    assert {Path(p.source).name for p in migrator.validate([folder]).problems if p.code == "input-ignored"} == {
        "notes.txt",
        "feed.xml",
    }
    run = run_cli("convert", str(folder), "-o", str(tmp_path / "cli"))
    assert run.returncode == 0
    assert f"ignored {folder / 'notes.txt'}:" in run.stderr and f"ignored {folder / 'feed.xml'}:" in run.stderr


def test_a_folder_of_exports_reports_its_other_files(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    for part in ("part-1.xml", "part-2.xml"):
        (folder / part).write_bytes((FIXTURES / "split" / part).read_bytes())
    (folder / "README.txt").write_text("the site's export, in two parts\n")
    report = migrator.convert([folder], tmp_path / "out", jobs=1)
    assert report.exit_code == 0 and report.documents
    ignored = [p for p in report.problems if p.code == "input-ignored"]
    assert [Path(p.source).name for p in ignored] == ["README.txt"]
    assert "a folder of exports is read for its .xml, .xml.gz and .wxr files" in ignored[0].message


def test_a_split_export_saved_as_wxr_files_is_read_from_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    for n, part in enumerate(("part-1.xml", "part-2.xml"), start=1):
        (folder / f"site.wordpress.{n}.WXR").write_bytes((FIXTURES / "split" / part).read_bytes())
    whole = migrator.convert(
        [FIXTURES / "split" / "part-1.xml", FIXTURES / "split" / "part-2.xml"], tmp_path / "a", jobs=1
    )
    report = migrator.convert([folder], tmp_path / "out", jobs=1)
    assert report.exit_code == 0 and not [p for p in report.problems if p.code == "input-ignored"]
    assert [d.path for d in report.documents] == [d.path for d in whole.documents] and whole.documents


def test_a_folder_of_text_copies_is_read_as_its_files_are(tmp_path: Path) -> None:
    """Each ``.txt`` file of a folder without pages or exports is a text copy, read as if given
    on its own (the same documents, in name order); other files are reported."""
    folder = tmp_path / "copies"
    (folder / "older").mkdir(parents=True)
    names = ["single_post.txt", "older/page_single.txt", "magazine_index.txt"]
    for name in names:
        (folder / name).write_bytes((FIXTURES / "text" / Path(name).name).read_bytes())
    (folder / "notes.md").write_text("where these came from\n")
    report = migrator.convert([folder], tmp_path / "out", jobs=1)
    one_by_one = migrator.convert([folder / n for n in sorted(names)], tmp_path / "each", jobs=1)
    assert report.exit_code == 0 and len(report.documents) > len(names)
    assert [(d.path, d.title) for d in report.documents] == [(d.path, d.title) for d in one_by_one.documents]
    ignored = [p for p in report.problems if p.code == "input-ignored"]
    assert [Path(p.source).name for p in ignored] == ["notes.md"]
    assert "a folder of text copies is read for its .txt files" in ignored[0].message
