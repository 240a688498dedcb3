"""Media modes end to end: a real HTTP server on 127.0.0.1 serving the sample export's uploads."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.pipeline import convert
from plan.test_references_helpers import (
    MediaServer,
    export_for,
    is_relative,
    manifest,
    outputs,
    path_of,
    references,
    resolve,
)

MISSING = "/wp-content/uploads/2016/07/knot-cleat.jpg"


def run(export: Path, out: Path, **options):
    return convert([export], out, allow_private_hosts=True, **options)


def local_media(out: Path) -> dict[Path, set[Path]]:
    """Every relative media reference of every output file: target file -> referring files."""
    used: dict[Path, set[Path]] = {}
    for doc in outputs(out):
        for kind, url, _text in references(doc):
            target = resolve(doc, url)
            if is_relative(url) and target.suffix != ".md":
                used.setdefault(target, set()).add(doc)
    return used


def test_download_originals_once_and_rewrite(tmp_path: Path) -> None:
    with MediaServer(missing={MISSING}) as server:
        export = export_for(server.base, tmp_path)
        out = tmp_path / "out"
        report = run(export, out, media="download")
        assert report.exit_code == 0
        # originals only: no size variant was ever requested, each original exactly once
        assert server.counts, "nothing was downloaded"
        for path, count in server.counts.items():
            assert "-300x200" not in path and "-1024x683" not in path, path
            assert count == 1, (path, count)
        assert "/wp-content/uploads/2015/03/dawn.jpg" in server.counts

        # every relative reference resolves to an existing file, media under media/
        used = local_media(out)
        assert used
        for target in used:
            assert target.is_file(), target
            assert target.relative_to(out.resolve()).parts[0] == "media"
        dawn = path_of(out, "101")
        refs = references(dawn)
        images = [url for kind, url, _ in refs if kind == "image"]
        assert images and all(is_relative(u) for u in images)
        assert resolve(dawn, images[0]).read_bytes().startswith(b"\xff\xd8")
        featured = [url for kind, url, _ in refs if kind == "featured"]
        assert featured and resolve(dawn, featured[0]) == resolve(dawn, images[0])

        # the 404 image: failed in the manifest, reference left absolute, document still written
        data = manifest(out)
        media = {m["id"]: m for m in data["media"]}
        assert media["203"]["status"] == "failed" and "404" in media["203"]["error"]
        assert media["203"]["path"] is None
        assert media["201"]["status"] == "downloaded" and (out / media["201"]["path"]).is_file()
        assert media["201"]["extra"]["size"] == (out / media["201"]["path"]).stat().st_size
        knots = path_of(out, "102")
        knot_urls = [url for _k, url, _ in references(knots)]
        assert server.base + MISSING in knot_urls
        assert any(p["code"] == "media-download-failed" and MISSING in p["message"] for p in data["problems"])
        # every input item still appears exactly once
        ids = [d["id"] for d in data["documents"]] + [s["id"] for s in data["skipped"]] + list(media)
        assert len(ids) == len(set(ids)) == 34

        # a second run makes no new GET for complete files (only the failed one is retried)
        before = dict(server.counts)
        report = run(export, out, media="download")
        assert report.exit_code == 0
        new = {p: c - before.get(p, 0) for p, c in server.counts.items() if c != before.get(p, 0)}
        assert new == {MISSING: 1}
        again = {m["id"]: m for m in manifest(out)["media"]}
        assert again["201"]["status"] == "downloaded"
        assert again["201"]["extra"]["size"] == media["201"]["extra"]["size"]


def test_link_mode_makes_no_request(tmp_path: Path) -> None:
    with MediaServer() as server:
        export = export_for(server.base, tmp_path)
        run(export, tmp_path / "out")
        assert server.gets() == 0
    dawn = path_of(tmp_path / "out", "101")
    images = [url for kind, url, _ in references(dawn) if kind in ("image", "featured")]
    assert images and all(u == server.base + "/wp-content/uploads/2015/03/dawn.jpg" for u in images)


def test_bundle_mode_puts_single_use_media_beside_the_document(tmp_path: Path) -> None:
    with MediaServer() as server:
        export = export_for(server.base, tmp_path)
        out = tmp_path / "out"
        report = run(export, out, media="bundle")
        assert report.exit_code == 0
    docs = manifest(out)["documents"]
    assert docs and all(d["path"].endswith(("/index.md", "/_index.md")) for d in docs)
    assert len({Path(d["path"]).parent for d in docs}) == len(docs)  # one bundle per document
    paths = {d["id"]: d["path"] for d in docs}
    assert paths["130"] == "pages/about/_index.md"  # has child pages: a branch bundle
    assert paths["132"] == "pages/about/moorings/visitor-moorings/index.md"
    used = local_media(out)
    assert used
    shared = beside = 0
    for target, users in used.items():
        assert target.is_file(), target
        rel = target.relative_to(out.resolve())
        if len(users) > 1:
            shared += 1
            assert rel.parts[0] == "media", (rel, users)
        else:
            beside += 1
            (user,) = users
            assert target.parent == user.parent, (rel, user)
    assert shared and beside  # slipway images are shared (104 featured + 124 gallery); dawn is not
    dawn = path_of(out, "101")
    assert (dawn.parent / "dawn.jpg").is_file()


@pytest.mark.parametrize("style", ["relative", "absolute"])
def test_media_from_local_copy(tmp_path: Path, style: str) -> None:
    uploads = tmp_path / "uploads" / "2015" / "03"
    uploads.mkdir(parents=True)
    (uploads / "dawn.jpg").write_bytes(b"\xff\xd8\xff\xe0 local copy \xff\xd9")
    out = tmp_path / "out"
    convert(
        [export_for("https://harbour.example.com", tmp_path)],
        out,
        media="download",
        media_from=str(tmp_path / "uploads"),
        link_style=style,
        base_url="/site/",
    )
    media = {m["id"]: m for m in manifest(out)["media"]}
    assert media["201"]["status"] == "copied"
    assert (out / media["201"]["path"]).read_bytes().startswith(b"\xff\xd8\xff\xe0 local copy")
    assert media["202"]["status"] == "failed"  # not in the local copy
    dawn = path_of(out, "101")
    images = [url for kind, url, _ in references(dawn) if kind == "image"]
    expected = "../media/2015/03/dawn.jpg" if style == "relative" else "/site/media/2015/03/dawn.jpg"
    assert images == [expected]


def test_cli_media_progress_task() -> None:
    import io

    from rich.console import Console
    from rich.progress import Progress, TextColumn

    from migrator.output.media import ProgressEvent, media_task

    console = Console(file=io.StringIO(), force_terminal=False)
    with Progress(TextColumn("{task.description} {task.fields[rate]}"), console=console) as bar:
        callback = media_task(bar)  # what the CLI adds to its progress bar
        callback(ProgressEvent("start", amount=2))
        callback(ProgressEvent("bytes", "u", 1500))
        callback(ProgressEvent("file", "u", 1500, "downloaded"))
        callback(ProgressEvent("file", "v", 0, "failed"))
        (task,) = [t for t in bar.tasks if t.description.startswith("media")]
        assert task.total == 2 and task.completed == 2
        assert "1.5 kB" in task.fields["rate"] and "1 failed" in task.description
