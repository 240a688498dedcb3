"""Pass 1's progress where the items are not counted in advance: a ``.gz`` export (compressed
bytes read of the file's size), a saved site folder (files done of the files it lists), text and
HTML files (bytes of the files), a live site (items of the REST API's ``X-WP-Total``, pages of
its sitemap), each with a label saying what is being done; asserted on what the display shows
and on the readings it was given, never on timing."""

from __future__ import annotations

import gzip
import io
import random
import re
import time
from pathlib import Path

from rich.console import Console

import migrator
from conftest import FIXTURES
from migrator.display import AmountColumn, ConvertDisplay, EtaColumn, progress_bar
from migrator.sources.progress import Reading
from sources.test_live_helpers import FakeWordPress

LIVE = dict(allow_private_hosts=True, rate=1000, http_timeout=0.3, http_retries=1)


class Recorder:
    """A display whose indexing bar is recorded after every reading: (reading, completed,
    total, unit, amount shown, label shown)."""

    def __init__(self) -> None:
        self.display = ConvertDisplay(progress_bar(Console(file=io.StringIO(), force_terminal=True, width=150)))
        self.rows: list[tuple[Reading, float, float | None, str, str, str]] = []
        self.items: list[tuple[int, int | None]] = []

    def reading(self, reading: Reading) -> None:
        self.display.reading(reading)
        task = self.display.bar.tasks[self.display.indexing]  # type: ignore[index]
        shown = str(AmountColumn().render(task))
        self.rows.append((reading, task.completed, task.total, task.fields["unit"], shown, task.fields["rate"]))

    def index(self, done: int, total: int | None) -> None:
        self.items.append((done, total))
        self.display.index(done, total)

    def convert(self, inputs: list, out: Path, **options):
        with self.display.bar:
            return migrator.convert(
                inputs,
                out,
                index_progress=self.index,
                reading_progress=self.reading,
                progress=self.display.convert,
                **options,
            )


def big_export(path: Path, items: int = 200) -> Path:
    """A gzipped export whose compressed size spans several reads of the gzip reader (128 KiB):
    each post holds 3 KB of letters that do not compress away."""
    text = (FIXTURES / "split" / "part-1.xml").read_text(encoding="utf-8")
    head, rest = text.split("\t<item>", 1)
    item = "\t<item>" + rest.split("</item>", 1)[0] + "</item>\n"
    rng = random.Random(7)
    body = []
    for n in range(items):
        words = " ".join("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(7)) for _ in range(380))
        body.append(
            item.replace("<wp:post_id>11<", f"<wp:post_id>{1000 + n}<")
            .replace("sourdough-starter-day-one", f"loaf-{n}")
            .replace("Flour, water, patience.", words)
        )
    path.write_bytes(gzip.compress((head + "".join(body) + "</channel>\n</rss>\n").encode("utf-8"), mtime=0))
    return path


def test_a_gz_export_is_measured_in_compressed_bytes_of_its_size(tmp_path: Path) -> None:
    export = big_export(tmp_path / "export.xml.gz")
    size = export.stat().st_size
    assert size > 2 * 128 * 1024
    rec = Recorder()
    report = rec.convert([export], tmp_path / "out", media="link")
    assert not report.fatal and len(report.documents) == 200
    assert rec.items[0] == (0, None)  # no items are counted in advance in a compressed file
    bytes_rows = [r for r in rec.rows if r[3] == "bytes"]
    assert bytes_rows and all(total == size for _, _, total, _, _, _ in bytes_rows)
    done = [completed for _, completed, _, _, _, _ in bytes_rows]
    assert done == sorted(done) and done[-1] == size
    assert len({d for d in done if 0 < d < size}) >= 2  # it moved while the file was read
    # what the bar shows: compressed bytes of the size, what is being read, the items so far
    middle = next(r for r in bytes_rows if 0 < r[1] < size)
    assert re.fullmatch(r"[\d.]+ kB of [\d.]+ kB", middle[4]), middle[4]
    assert "reading export.xml.gz" in middle[5] and "items read" in middle[5]
    task = rec.display.bar.tasks[rec.display.indexing]  # type: ignore[index]
    assert task.total == task.completed == size  # pass 1 shown done


def test_a_saved_site_folder_is_measured_in_files_of_its_pages(tmp_path: Path) -> None:
    folder = FIXTURES / "html" / "mirror"
    pages = sorted(p for p in folder.rglob("*.html"))
    rec = Recorder()
    report = rec.convert([folder], tmp_path / "out", media="link")
    assert not report.fatal and report.documents
    files = [r for r in rec.rows if r[3] == "files" and "reading its pages" in r[0].what]
    assert [r[1] for r in files] == list(range(len(pages) + 1))  # 0, 1, ... every page, then all
    assert {r[2] for r in files} == {len(pages)}
    assert files[1][4] == f"1/{len(pages)} files"
    assert files[1][5] == "0 items read · mirror: reading its pages"


def test_text_and_html_files_are_measured_in_bytes_of_the_files(tmp_path: Path) -> None:
    inputs = [FIXTURES / "text" / "kubrick_index.txt", FIXTURES / "html" / "twentyten-single.html"]
    sizes = [p.stat().st_size for p in inputs]
    rec = Recorder()
    report = rec.convert(inputs, tmp_path / "out", media="link")
    assert not report.fatal and report.documents
    assert [(r[0].what, r[1], r[2]) for r in rec.rows] == [
        ("reading kubrick_index.txt", 0, sum(sizes)),
        ("reading twentyten-single.html", sizes[0], sum(sizes)),
        ("read", sum(sizes), sum(sizes)),
    ]


def test_a_live_site_is_measured_in_items_of_x_wp_total_with_a_label_for_each_step(tmp_path: Path) -> None:
    rec = Recorder()
    with FakeWordPress() as wp:
        report = rec.convert([wp.base], tmp_path / "out", media="link", **LIVE)
    assert not report.fatal
    labels = [r[0].what.split(": ", 1)[1] for r in rec.rows]
    # every step before the first item has a label: no silent 0/?
    for step in ("reading the home page", "looking for the REST API", "reading authors (REST API)"):
        assert step in labels, labels
    assert any(label.startswith("asking the REST API for its") for label in labels)
    items = [r for r in rec.rows if r[0].unit == "items"]
    assert {r[0].total for r in items} == {135}  # X-WP-Total: 130 posts + 3 pages + 1 recipe + 1 media
    assert items[-1][1] == 135 and items[-1][4] == "135/135"
    # steps without a total keep the bar (and its total) as it was
    after = [r for r in rec.rows if r[0].total is None and r[2] is not None]
    assert after and all(r[2] == 135 for r in after)


def test_a_crawled_site_is_measured_in_pages_of_its_sitemap(tmp_path: Path) -> None:
    rec = Recorder()
    with FakeWordPress(api=False, posts=12) as wp:
        report = rec.convert([wp.base], tmp_path / "out", media="link", **LIVE)
    assert not report.fatal and report.documents
    pages = [r for r in rec.rows if r[0].unit == "pages" and "sitemap" in r[0].what]
    assert pages and pages[0][1] == 0 and pages[-1][1] == pages[-1][2] > 1
    assert any("looking for the site's sitemap" in r[0].what for r in rec.rows)


def test_a_plain_export_keeps_its_item_estimate(tmp_path: Path) -> None:
    """Items counted in advance are the better measure: readings do not replace it."""
    rec = Recorder()
    rec.convert([FIXTURES / "sample-export.xml"], tmp_path / "out", media="link")
    task = rec.display.bar.tasks[rec.display.indexing]  # type: ignore[index]
    assert rec.items[0] == (0, 34) and task.total == 34 and task.fields["unit"] == "items"
    assert "·" not in task.fields["rate"]  # no reader's label over the estimate


def test_the_eta_of_a_measure_is_its_rate_since_it_started() -> None:
    """The ETA of a bar whose measure changed (items, then bytes...) comes from the rate since
    the current measure started, not from samples of the earlier one."""
    display = ConvertDisplay(progress_bar(Console(file=io.StringIO(), force_terminal=True, width=150)))
    display.reading(Reading("reading a.xml.gz", 0, 1000, "bytes"))
    task = display.bar.tasks[display.indexing]  # type: ignore[index]
    assert str(EtaColumn().render(task)) == "ETA …"  # nothing read yet: no rate
    display.bar.update(display.indexing, since=(time.monotonic() - 10, 0), completed=250)
    eta = str(EtaColumn().render(display.bar.tasks[display.indexing]))  # type: ignore[index]
    assert eta in ("ETA 0:00:30", "ETA 0:00:31"), eta  # 250 bytes in 10 s: 750 more in 30 s
    display.reading(Reading("reading its pages", 0, 4, "files"))  # a new measure starts its own clock
    since = display.bar.tasks[display.indexing].fields["since"]  # type: ignore[index]
    assert since[1] == 0 and time.monotonic() - since[0] < 5
