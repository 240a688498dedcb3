"""Pass 1 parsed by byte ranges in several processes (migrator/sources/wxr_ranges.py): the index,
problems, site, spans and every fallback exactly as one process reads the same files."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import pickle
import signal
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import migrator.sources.wxr_ranges as wr
from migrator.options import Options
from migrator.plan import index as ix

from conftest import export_past_65535

WP = 'xmlns:wp="http://wordpress.org/export/1.2/"'
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
    f' xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:dc="http://purl.org/dc/elements/1.1/" {WP}>\n'
    "<channel>\n<title>Ranged &amp; co</title>\n"
)
CHANNEL = [
    "<wp:author><wp:author_login>a{n}</wp:author_login><wp:author_display_name>A {n}</wp:author_display_name></wp:author>\n",
    "<wp:category><wp:term_id>{n}</wp:term_id><wp:category_nicename>c{n}</wp:category_nicename><wp:cat_name>C {n}</wp:cat_name></wp:category>\n",
    "<wp:base_site_url>https://late{n}.example</wp:base_site_url>\n<description>d{n}</description>\n",
    "<!-- </item>\n<item> in a comment --><?pi </item> <item> ?>\n",
]


def item(n: int, *, post_id: str | None = None, content: str = "", slug: str | None = None, kind: str = "post") -> str:
    pid = "" if post_id == "" else f"<wp:post_id>{post_id or n}</wp:post_id>"
    return (
        f"<item><title>Post {n} é</title><link>https://ex.example/p{n}/</link><dc:creator>a{n % 7}</dc:creator>\n"
        f"<content:encoded><![CDATA[{content or 'x' * (n % 50)}]]></content:encoded>\n{pid}"
        f"<wp:post_date>2021-02-0{n % 9 + 1} 10:00:00</wp:post_date><wp:post_name>{slug or f'p-{n}'}</wp:post_name>\n"
        f"<wp:status>publish</wp:status><wp:post_type>{kind}</wp:post_type><guid>https://ex.example/?p={n}</guid>\n"
        '<category domain="post_tag" nicename="t"><![CDATA[Tag]]></category>\n'
        "<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value>alt</wp:meta_value></wp:postmeta>\n"
        "</item>\n"
    )


def export(path: Path, items: list[str], every: int = 7, tail: str = "</channel>\n</rss>\n") -> Path:
    parts = [HEAD]
    for n, text in enumerate(items, start=1):
        if n % every == 0:
            parts.append(CHANNEL[n % len(CHANNEL)].format(n=n))
        parts.append(text)
    parts.append(CHANNEL[0].format(n="tail") + tail)
    path.write_text("".join(parts), encoding="utf-8")
    return path


class Spy:
    """What the ranged reading did: workers started, files read again by one process."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.workers = 0
        self.skips: list[int] = []
        worker_init, file_items = wr._Worker.__init__, wr._file_items

        def init(worker, *args, **kwargs):
            self.workers += 1
            worker_init(worker, *args, **kwargs)

        def again(*args, **kwargs):
            if "skip" in kwargs:  # read again by one process after a ranged start
                self.skips.append(kwargs["skip"])
            return file_items(*args, **kwargs)

        monkeypatch.setattr(wr._Worker, "__init__", init)
        monkeypatch.setattr(wr, "_file_items", again)
        monkeypatch.setattr(wr, "MIN_BYTES", 0)


def snapshot(paths: list[Path], jobs: int) -> tuple:
    """Everything pass 1 leaves: entries, attachments, URL and slug keys, spans, the files'
    descriptions, site data, problems (in order)."""
    problems: list = []
    index = ix.build_index(paths, Options(jobs=jobs), problems)
    try:
        spans = index.spans
        return (
            [dataclasses.astuple(e) for e in index.entries],
            index.db.rows("SELECT * FROM attachments ORDER BY pos"),
            index.db.rows("SELECT * FROM texts ORDER BY kind, key"),
            index.db.rows("SELECT * FROM spans ORDER BY pos") if spans else None,
            [dataclasses.astuple(f) for f in spans.files] if spans else None,
            repr(index.site),
            [dataclasses.astuple(p) for p in problems],
        )
    finally:
        index.close()


def assert_alike(paths: list[Path], *jobs: int) -> tuple:
    one = snapshot(paths, 1)
    for n in jobs:
        assert snapshot(paths, n) == one, f"--jobs {n}"
    assert not multiprocessing.active_children()
    return one


def test_channel_data_between_items_and_authors_known_then(tmp_path: Path, monkeypatch) -> None:
    """Authors, terms and site fields between items and after the last one: the same site, and
    each item's span knows the authors met before it (a worker's range starts knowing none)."""
    spy = Spy(monkeypatch)
    path = export(tmp_path / "e.xml", [item(n) for n in range(1, 120)], every=3)
    one = assert_alike([path], 2, 3, 4)
    assert spy.workers == 1 + 2 + 3 and spy.skips == []
    assert len({row[6] for row in one[3]}) > 5  # several different author counts among the spans


def test_lines_past_65535_as_one_process_gives_them(tmp_path: Path, monkeypatch) -> None:
    """Past line 65535 libxml2 gives an item the line its first text ends on, or 65535 when it
    has not read that far yet: a range is parsed so that it gives the same lines."""
    spy = Spy(monkeypatch)
    path = export_past_65535(tmp_path / "long.xml")
    one = assert_alike([path], 4)
    assert 65535 in {row[9] for row in one[0]}
    assert spy.workers == 3 and spy.skips == []


def test_ids_met_again_across_ranges(tmp_path: Path, monkeypatch) -> None:
    """A different item reusing an id (renamed) and the same item twice (skipped), across the
    ranges and across the files of a split export."""
    spy = Spy(monkeypatch)
    items = [item(n, post_id=str(n % 23)) for n in range(1, 90)] + [item(5, post_id="5")] * 2
    a = export(tmp_path / "a.xml", items, every=6)  # authors and site fields, no comment to cut in
    b = export(tmp_path / "b.xml", [item(n) for n in range(1, 40)] + items[:5], every=6)
    one = assert_alike([a, b], 2, 3)
    problems = {p[1] for p in one[6]}
    assert {"id-renamed", "duplicate-id"} <= problems
    assert spy.workers == 2 * (1 + 2) and spy.skips == []


def test_an_item_without_id_in_a_workers_range(tmp_path: Path, monkeypatch) -> None:
    """Its stand-in id is numbered by its place in the file, which a worker does not know: the
    parent reads that range itself."""
    spy = Spy(monkeypatch)
    path = export(tmp_path / "e.xml", [item(n, post_id="" if n in (3, 70) else None) for n in range(1, 90)])
    one = assert_alike([path], 2)
    assert [p[1] for p in one[6]].count("missing-id") == 2
    assert spy.workers == 1 and spy.skips == []


def test_a_cut_inside_cdata_is_read_again_by_one_process(tmp_path: Path, monkeypatch) -> None:
    """Every item's content holds ``</item> <item>``: the first cut falls inside a CDATA section,
    the first range is not well-formed at its end, and the file is read again from there."""
    spy = Spy(monkeypatch)
    trap = "a</item>\n<item>b" * 40
    path = export(tmp_path / "e.xml", [item(n, content=trap) for n in range(1, 60)])
    assert_alike([path], 2, 3)
    assert spy.skips and all(skip > 0 for skip in spy.skips)


def test_a_broken_file_is_read_in_full(tmp_path: Path, monkeypatch) -> None:
    """Not well-formed near its end: read in full, as with one process (no spans)."""
    spy = Spy(monkeypatch)
    items = [item(n) for n in range(1, 80)]
    items[-3] = items[-3].replace("<wp:status>publish", "<wp:status>publish & co")
    path = export(tmp_path / "e.xml", items)
    one = assert_alike([path], 2, 3)
    assert one[3] is None and any(p[1].startswith("xml-") for p in one[6])
    assert spy.workers == 1 + 2


def test_other_namespaces_under_a_second_channel(tmp_path: Path, monkeypatch) -> None:
    """Items under another parent, in other namespaces: not one channel, read by one process."""
    Spy(monkeypatch)
    other = '<channel xmlns:wp="http://wordpress.org/export/1.1/">' + "".join(item(n) for n in range(200, 260))
    path = export(tmp_path / "e.xml", [item(n) for n in range(1, 60)], tail="</channel>\n" + other + "</channel></rss>")
    assert_alike([path], 2, 3)


def test_a_worker_that_dies(tmp_path: Path, monkeypatch) -> None:
    """A worker killed (out of memory, a signal): the parent reads its range itself."""
    spy = Spy(monkeypatch)
    monkeypatch.setattr(wr, "_work", lambda *args: os.kill(os.getpid(), signal.SIGKILL))
    path = export(tmp_path / "e.xml", [item(n) for n in range(1, 90)], every=2)  # no comment to cut in
    assert_alike([path], 2, 3)
    assert spy.workers == 1 + 2 and spy.skips == []


class Frames:
    """What the parent took of the workers' frames: batches, and how many while the worker was
    still at work; how often it waited.  Each frame a worker writes goes through
    ``write(put, out, tell, batch, frame number)`` (in the worker).  ``marks``: a folder where
    the parent leaves a file named for each batch it takes (the number of batches taken)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, write=None, batch: int = 4, marks: Path | None = None):
        self.batches = self.early = self.waits = 0
        batches, wait, put = wr._Worker._batches, wr._Worker._wait, wr._put
        written = [0]

        def taken(worker):
            for records in batches(worker):
                self.batches += 1
                self.early += worker.process.exitcode is None
                if marks is not None:
                    (marks / str(self.batches)).touch()
                yield records

        def waited(worker):
            self.waits += 1
            return wait(worker)

        def frame(out, tell, records):
            written[0] += 1
            (write or (lambda put, *args: put(*args[:3])))(put, out, tell, records, written[0])

        monkeypatch.setattr(wr._Worker, "_batches", taken)
        monkeypatch.setattr(wr._Worker, "_wait", waited)
        monkeypatch.setattr(wr, "_put", frame)
        monkeypatch.setattr(wr, "BATCH", batch)


def test_a_slow_worker_is_read_as_it_writes(tmp_path: Path, monkeypatch) -> None:
    """The parent takes a worker's records while the worker still parses, and sleeps while it
    waits for the next frame (woken once per frame, not polling).  The worker writes each frame
    10 ms after the parent has taken the one two before it (or, should it never, after 2 s)."""
    spy = Spy(monkeypatch)
    marks = tmp_path / "taken"
    marks.mkdir()
    deadline: list[float] = []

    def write(put, out, tell, records, n):
        deadline[:] = deadline or [time.monotonic() + 2]
        while n > 2 and not (marks / str(n - 2)).exists() and time.monotonic() < deadline[0]:
            time.sleep(0.002)
        time.sleep(0.01)  # and takes its time: the parent waits for it
        put(out, tell, records)

    frames = Frames(monkeypatch, write, marks=marks)
    path = export(tmp_path / "e.xml", [item(n) for n in range(1, 150)])
    assert_alike([path], 2)
    assert spy.workers == 1 and spy.skips == []
    assert frames.batches > 20 and frames.early >= frames.batches - 2
    assert frames.waits <= frames.batches + 2


def die_at(frame: int):
    def write(put, out, tell, records, n):
        if n == frame:
            os.kill(os.getpid(), signal.SIGKILL)
        put(out, tell, records)

    return write


def cut_short(put, out, tell, records, n):
    """The third frame: its head, then half its batch, and the worker ends (exit status 0)."""
    if n == 3:
        data = pickle.dumps(records)
        os.write(out, wr._HEAD.pack(len(data)) + data[: len(data) // 2])
        os._exit(0)
    put(out, tell, records)


def garbled(put, out, tell, records, n):
    """The third frame is whole but holds no pickle."""
    if n == 3:
        os.write(out, wr._HEAD.pack(5) + b"12345")
    else:
        put(out, tell, records)


@pytest.mark.parametrize("write", [die_at(3), cut_short, garbled], ids=["killed", "cut-short", "garbled"])
def test_a_worker_that_fails_midway(tmp_path: Path, monkeypatch, write) -> None:
    """A worker whose records were partly taken dies, leaves a frame cut short or one that
    cannot be read: the parent reads the rest of its range itself (not the file again)."""
    spy = Spy(monkeypatch)
    frames = Frames(monkeypatch, write)
    path = export(tmp_path / "e.xml", [item(n) for n in range(1, 90)], every=2)
    assert_alike([path], 2, 3)
    assert spy.workers == 1 + 2 and spy.skips == []
    assert frames.batches >= 2 * 3  # the first two frames of each of the 3 workers were taken


def test_an_item_without_id_after_records_taken(tmp_path: Path, monkeypatch) -> None:
    """The worker stops at an item without an id after the parent took some of its records:
    the parent reads the range itself from there."""
    spy = Spy(monkeypatch)
    frames = Frames(monkeypatch)
    path = export(tmp_path / "e.xml", [item(n, post_id="" if n == 70 else None) for n in range(1, 90)])
    one = assert_alike([path], 2)
    assert [p[1] for p in one[6]].count("missing-id") == 1
    assert spy.workers == 1 and spy.skips == [] and frames.batches >= 5


def test_small_files_are_read_by_one_process(tmp_path: Path, monkeypatch) -> None:
    spy = Spy(monkeypatch)
    monkeypatch.setattr(wr, "MIN_BYTES", 2 << 20)
    path = export(tmp_path / "e.xml", [item(n) for n in range(1, 90)])
    assert_alike([path], 2)
    assert spy.workers == 0


def test_stopping_pass_1_stops_the_workers(tmp_path: Path, monkeypatch) -> None:
    """Ctrl-C (here: raised by the progress callback) while the parent reads its own range: no
    worker is left behind, and the index is removed."""
    Spy(monkeypatch)
    work = wr._work
    monkeypatch.setattr(wr, "_work", lambda *args: time.sleep(60) or work(*args))  # still at work then
    path = export(tmp_path / "e.xml", [item(n) for n in range(1, 300)])

    def progress(n: int) -> None:
        if n == 5:
            assert multiprocessing.active_children()
            raise KeyboardInterrupt

    try:
        ix.build_index([path], Options(jobs=3), [], progress)
    except KeyboardInterrupt:
        assert not multiprocessing.active_children()  # ended before the interrupt is handled
    else:
        pytest.fail("not interrupted")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sizes=st.lists(st.integers(0, 400), min_size=1, max_size=40),
    ids=st.lists(st.integers(1, 12), min_size=40, max_size=40),
    every=st.integers(1, 9),
    jobs=st.integers(2, 4),
)
def test_any_export_reads_alike(tmp_path: Path, monkeypatch, sizes, ids, every, jobs) -> None:
    Spy(monkeypatch)
    items = [item(n, post_id=str(ids[n]), content="y" * size) for n, size in enumerate(sizes)]
    path = export(tmp_path / "h.xml", items, every=every)
    assert_alike([path], jobs)


def test_no_worker_to_be_had(tmp_path: Path, monkeypatch) -> None:
    """Workers cannot be started (a daemonic process may have no children): one process reads
    the file, from its start."""
    spy = Spy(monkeypatch)
    start = multiprocessing.context.ForkProcess.start
    started: list[int] = []

    def second_fails(process):
        if started:
            raise AssertionError("daemonic processes are not allowed to have children")
        started.append(1)
        start(process)

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", second_fails)
    path = export(tmp_path / "e.xml", [item(n) for n in range(1, 90)])
    assert_alike([path], 3)
    assert spy.skips == [0]
