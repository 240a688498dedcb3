"""Block images written with the site's old host, where the export's attachment item gives the
upload (issue 16): an image of attachment N (``wp-image-N``) whose file is the attachment's (or
one of its sizes) takes the attachment's URL, as WordPress shows it (``wp_filter_content_tags`` adds the
attachment's own ``srcset``).  So ``--media link`` writes the site's upload URL and ``--media
download`` a local file, where the old host's URL would be kept (and never downloaded: it is not
one of the site's hosts).  A file the attachment does not hold, or an image naming no attachment,
keeps its URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.pipeline import convert
from plan.test_references_helpers import manifest, path_of, references, resolve

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "blocks" / "old-host-images.xml"
UPLOADS = "https://pilots.example.com/wp-content/uploads/2021/04/"
#: the images whose files are their attachments' (31: a size variant on the old domain; 32: a
#: CDN copy with a resize parameter; 34: a size variant on an offload host whose paths have no
#: ``wp-content/uploads``)
OURS = ["launch.jpg", "ladder.jpg", "mooring-line.jpg"]
#: 33's file is not its attachment's (the image was replaced); the last image names no attachment
KEPT = [
    "https://oldpilots.example.org/wp-content/uploads/2021/04/buoy-old.jpg",
    "https://oldpilots.example.org/wp-content/uploads/2021/04/launch.jpg",
]


def images(out: Path) -> list[str]:
    """The image URLs of the post's Markdown, as markdown-it-py reads them."""
    return [url for kind, url, _ in references(path_of(out, "10")) if kind == "image"]


def test_link_mode_writes_the_attachments_upload_url(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = convert([FIXTURE], out, media="link")
    assert report.exit_code == 0
    assert images(out) == [UPLOADS + name for name in OURS] + KEPT


@pytest.mark.parametrize("style", ["relative", "absolute"])
def test_download_mode_writes_the_local_copy(tmp_path: Path, style: str) -> None:
    uploads = tmp_path / "uploads" / "2021" / "04"
    uploads.mkdir(parents=True)
    for name in [*OURS, "buoy.jpg"]:
        (uploads / name).write_bytes(b"\xff\xd8 " + name.encode() + b" \xff\xd9")
    out = tmp_path / "out"
    report = convert(
        [FIXTURE], out, media="download", media_from=str(tmp_path / "uploads"), link_style=style, base_url="/site/"
    )
    assert report.exit_code == 0
    found = images(out)
    prefix = "../media/2021/04/" if style == "relative" else "/site/media/2021/04/"
    assert found == [prefix + name for name in OURS] + KEPT
    post = path_of(out, "10")
    for url, name in zip(found, OURS):
        target = resolve(post, url) if style == "relative" else out / url.removeprefix("/site/")
        assert target.read_bytes() == b"\xff\xd8 " + name.encode() + b" \xff\xd9"
    media = {m["id"]: m for m in manifest(out)["media"]}
    for item, name in zip(["31", "32", "34"], OURS):
        assert (media[item]["status"], media[item]["path"]) == ("copied", "media/2021/04/" + name)


def test_a_file_of_the_same_name_from_another_month_is_another_upload(tmp_path: Path) -> None:
    """WordPress gives the attachment's srcset only when the image's path holds the attachment's
    own folder (``2021/04/``): the same file name uploaded in another month keeps its URL."""
    other = "https://oldpilots.example.org/wp-content/uploads/2012/06/launch-1024x683.jpg"
    text = FIXTURE.read_text(encoding="utf-8")
    assert text.count("https://oldpilots.example.org/wp-content/uploads/2021/04/launch-1024x683.jpg") == 1
    export = tmp_path / "export.xml"
    export.write_text(
        text.replace("https://oldpilots.example.org/wp-content/uploads/2021/04/launch-1024x683.jpg", other),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert convert([export], out, media="link").exit_code == 0
    assert images(out) == [other] + [UPLOADS + name for name in OURS[1:]] + KEPT
