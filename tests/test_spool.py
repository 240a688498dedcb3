"""Spool: report records on disk, read back in order; a run's output does not depend on it."""

from __future__ import annotations

import dataclasses
import os
import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import migrator
from migrator import parallel, spool
from migrator.model import MediaEntry, Problem, Report
from migrator.spool import Spool

from conftest import FIXTURES


def entry(n: int) -> MediaEntry:
    return MediaEntry(str(n), f"https://example.com/{n}.jpg", extra={"n": n, "tags": ["a"] * (n % 3)})


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_spills_past_the_limit_and_reads_back_in_order() -> None:
    items = [entry(n) for n in range(1000)]
    s = Spool(items, limit=10)
    assert s._file is not None and len(s._pending) < 10  # most items are in the file
    assert s._written > 0 and os.fstat(s._file.fileno()).st_size == s._written
    assert len(s) == 1000 and list(s) == items
    assert s[0] == items[0] and s[537] == items[537] and s[999] == items[999]


def test_negative_and_out_of_range_index() -> None:
    s = Spool(range(25), limit=4)
    assert [s[-i] for i in range(1, 26)] == list(range(24, -1, -1))
    assert s[-1] == 24 and s[-25] == 0
    for bad in (25, -26, 1000):
        with pytest.raises(IndexError):
            s[bad]
    assert s[3:7] == [3, 4, 5, 6] and s[::-10] == [24, 14, 4]


def test_empty_spool_is_falsy_and_equal_to_empty_list() -> None:
    s: Spool[int] = Spool()
    assert not s and len(s) == 0 and list(s) == [] and s == []
    s.append(0)
    assert s and s == [0] and s != [1] and s != [0, 0]


def test_items_are_snapshots() -> None:
    s = Spool(limit=100)  # nothing written to the file yet: still a copy
    e = entry(1)
    s.append(e)
    e.status = "downloaded"
    assert s[0].status == "linked"
    s[0].status = "failed"
    assert s[0].status == "linked" and s[-1] == entry(1)


def test_iteration_streams_in_blocks(monkeypatch) -> None:
    """Iteration reads at most READ_BYTES at once (a single larger item excepted)."""
    monkeypatch.setattr(spool, "READ_BYTES", 200)
    big = "x" * 1000
    items = [f"item {n}" if n % 7 else big + str(n) for n in range(300)]
    s = Spool(items, limit=16)
    reads: list[int] = []
    real = s._file_bytes

    def counting(start: int, end: int) -> bytes:
        reads.append(end - start)
        return real(start, end)

    monkeypatch.setattr(s, "_file_bytes", counting)
    assert list(s) == items
    one_big_item = {len(pickle.dumps(x, pickle.HIGHEST_PROTOCOL)) for x in items if len(x) > 200}
    assert len(reads) > 10 and all(n <= 200 or n in one_big_item for n in reads)
    assert max(n for n in reads if n <= 200) > 20  # small items come several to a read


def test_append_while_iterating_sees_new_items() -> None:
    s = Spool(range(5), limit=2)
    seen = []
    for item in s:
        seen.append(item)
        if item < 3:
            s.append(item + 10)
    assert seen == [0, 1, 2, 3, 4, 10, 11, 12]


def test_pickle_round_trip() -> None:
    items = [entry(n) for n in range(50)]
    s = Spool(items, limit=8)
    back = pickle.loads(pickle.dumps(s))
    assert isinstance(back, Spool) and back.limit == 8 and back == items and back == s
    report = Report()
    report.media.extend(items)
    report.problems.append(Problem("error", "x", "y", id="3"))
    again = pickle.loads(pickle.dumps(report))
    assert again.media == items and again.failed and again.exit_code == 1


def test_rebuilding_a_spool_streams_the_old_one() -> None:
    old = Spool((entry(n) for n in range(100)), limit=8)

    def update(e: MediaEntry) -> MediaEntry:
        e.status = "downloaded"
        return e

    new = Spool((update(e) for e in old), old.limit)
    old.close()
    assert [e.id for e in new] == [str(n) for n in range(100)]
    assert all(e.status == "downloaded" for e in new) and not old


def test_repr_is_short() -> None:
    assert repr(Spool([1, "a"])) == "Spool([1, 'a'])"
    text = repr(Spool(range(10_000), limit=50))
    assert text.startswith("Spool([0, 1, 2") and "10000 items" in text and len(text) < 80


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.integers(),
            st.text(),
            st.binary(),
            st.none(),
            st.lists(st.integers(), max_size=3),
            st.dictionaries(st.text(max_size=3), st.floats(allow_nan=False), max_size=3),
        )
    ),
    st.integers(min_value=1, max_value=7),
    st.data(),
)
def test_spool_behaves_like_the_list(items: list, limit: int, data) -> None:
    s = Spool(items, limit=limit)
    assert list(s) == items and len(s) == len(items) and bool(s) == bool(items) and s == items
    if items:
        i = data.draw(st.integers(min_value=-len(items), max_value=len(items) - 1))
        assert s[i] == items[i]
    extra = data.draw(st.lists(st.integers(), max_size=5))
    s.extend(extra)
    assert list(s) == items + extra and pickle.loads(pickle.dumps(s)) == items + extra


# ------------------------------------------------------------------------------- whole runs


@pytest.fixture
def spill(monkeypatch):
    """Every report record goes to the file at once."""
    monkeypatch.setattr(spool, "MEMORY_ITEMS", 1)


def convert_twice(inputs, tmp_path: Path, monkeypatch, **options):
    kept = migrator.convert(inputs, tmp_path / "memory", **options)
    monkeypatch.setattr(spool, "MEMORY_ITEMS", 1)
    spilled = migrator.convert(inputs, tmp_path / "spilled", **options)
    assert spilled.documents._file is not None  # the records really went to disk
    assert tree(tmp_path / "memory") == tree(tmp_path / "spilled")  # manifest included
    assert dataclasses.asdict(kept) == dataclasses.asdict(spilled)
    return spilled


def test_convert_with_spilling_is_byte_identical(tmp_path: Path, monkeypatch) -> None:
    report = convert_twice(
        [FIXTURES / "sample-export.xml"], tmp_path, monkeypatch, jobs=1, redirects=["csv"], comments="data"
    )
    assert report.documents and report.skipped and report.problems
    assert report.documents[-1] == list(report.documents)[-1]


def test_media_phase_updates_spilled_entries(tmp_path: Path, monkeypatch) -> None:
    """Entries updated after the downloads (copied / failed) are in the manifest, in input order."""
    from plan.test_references_helpers import export_for, manifest

    uploads = tmp_path / "uploads" / "2015" / "03"
    uploads.mkdir(parents=True)
    (uploads / "dawn.jpg").write_bytes(b"\xff\xd8\xff\xe0 local copy \xff\xd9")
    export = export_for("https://harbour.example.com", tmp_path)
    report = convert_twice([export], tmp_path, monkeypatch, media="download", media_from=str(tmp_path / "uploads"))
    media = {m.id: m for m in report.media}
    assert media["201"].status == "copied" and media["202"].status == "failed"
    assert [m["id"] for m in manifest(tmp_path / "spilled")["media"]] == [m.id for m in report.media]
    assert any(p.code == "media-download-failed" for p in report.problems)


def test_pooled_run_with_spilling(tmp_path: Path, monkeypatch) -> None:
    """Worker processes send report pieces (pickled spools) back; the result is the same."""
    monkeypatch.setattr(parallel, "MIN_DOCUMENTS", 1)
    monkeypatch.setattr(parallel, "MAX_BATCH", 1)
    if not parallel.available():
        pytest.skip("no fork")
    report = convert_twice([FIXTURES / "sample-export.xml"], tmp_path, monkeypatch, jobs=2)
    assert report.documents
