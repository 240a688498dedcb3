"""The index on disk (migrator/store.py, migrator/index.py): same answers as in memory, any size."""

from __future__ import annotations

import multiprocessing
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrator.plan import store
from migrator.plan.index import Entry, SiteIndex, build_index
from migrator.options import Options
from migrator.plan.store import Database, KeySet, TextMap
from migrator.transforms.context import Attachment, Context
from migrator.model import Document

from conftest import FIXTURES


def entry(n: int, item_id: str | None = None, **kw) -> Entry:
    values = dict(
        id=item_id or str(n),
        type="post",
        status="publish",
        title=f"Title {n} ✓",
        slug=f"s{n}",
        parent="0",
        link=f"https://example.com/?p={n}",
        guid="",
        source="x.xml",
        line=n + 1,
        disposition="document",
        reason="",
        date=None,
        path=None,
    )
    values.update(kw)
    return Entry(**values)


def test_entries_round_trip_in_input_order_past_many_chunks(monkeypatch) -> None:
    monkeypatch.setattr(store, "CHUNK", 7)
    index = SiteIndex()
    tz = timezone(timedelta(hours=-5, minutes=-30))
    made = [entry(n, date=datetime(2020, 1, 1, 12, n % 60, tzinfo=tz) if n % 2 else None) for n in range(50)]
    with index.db.transaction():
        for e in made:
            index.entries.append(e)
    assert len(index.entries) == 50 and list(index.entries) == made
    assert index.entries[49] == made[49] and index.entries[-1] == made[49]
    assert index.entries[4].date is None and index.entries[5].date == made[5].date
    assert index.entries[5].date.utcoffset() == timedelta(hours=-5, minutes=-30)
    with pytest.raises(IndexError):
        index.entries[50]
    index.close()


def test_paths_set_while_streaming_are_seen_by_later_reads(monkeypatch) -> None:
    monkeypatch.setattr(store, "CHUNK", 4)
    index = SiteIndex()
    for n in range(20):
        index.entries.append(entry(n))
    for position, e in enumerate(index.entries):
        index.entries.set_path(position, f"posts/{e.slug}.md")
    assert [e.path for e in index.entries] == [f"posts/s{n}.md" for n in range(20)]


def test_by_id_is_the_first_entry_with_that_id() -> None:
    index = SiteIndex()
    index.entries.append(entry(1, "7", title="first"))
    index.entries.append(entry(2, "7", title="again", disposition="skip", reason="duplicate-id"))
    assert index.by_id.get("7").title == "first"
    assert "7" in index.by_id and "8" not in index.by_id and index.by_id.get("8") is None
    with pytest.raises(KeyError):
        index.by_id["8"]


def test_attachments_first_id_wins_and_children_in_gallery_order() -> None:
    index = SiteIndex()
    for att in [
        Attachment("3", "https://e.com/c.jpg", parent="10", menu_order=2),
        Attachment("1", "https://e.com/a.jpg", parent="10", menu_order=1),
        Attachment("1", "https://e.com/other.jpg", parent="10"),
        Attachment("2", "https://e.com/b.jpg", parent="11"),
    ]:
        index.attachments.add(att)
    assert len(index.attachments) == 3 and list(index.attachments) == ["3", "1", "2"]
    assert index.attachments["1"].url == "https://e.com/a.jpg" and "9" not in index.attachments
    ctx = Context(doc=Document(id="10"), attachments=index.attachments)
    assert [a.id for a in ctx.attachments_of("10")] == ["1", "3"]  # menu_order first
    plain = Context(doc=Document(id="10"), attachments={a.id: a for a in index.attachments.values()})
    assert [a.id for a in plain.attachments_of("10")] == ["1", "3"]  # a dict gives the same answer


def test_text_map_and_key_set() -> None:
    db = Database()
    urls, slugs = TextMap(db, "url"), TextMap(db, "slug")
    assert urls.setdefault("/a", "1") == "1" and urls.setdefault("/a", "2") == "1"
    slugs["/a"] = "9"  # kinds are separate tables
    assert urls["/a"] == "1" and slugs["/a"] == "9" and urls.get("/b") is None and "/b" not in urls
    slugs["/a"] = ""
    assert "/a" in slugs and slugs["/a"] == ""  # an empty value is still a value
    keys = KeySet(db, "k")
    for key in ["posts/b/index.md", "posts/a", "posts/ab/index.md"]:
        keys.add(key)
    assert keys.has_below("posts/a") is False and keys.has_below("posts") is True
    assert keys.has_below("posts/ab") is True
    db.close()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=12), max_size=30))
def test_key_set_streams_keys_in_python_sort_order(keys: list[str]) -> None:
    db = Database()
    found = KeySet(db, "k")
    for key in keys:
        found.add(key)
    assert list(found) == sorted(set(keys)) and len(found) == len(set(keys))
    db.close()


def test_the_database_file_goes_with_close(tmp_path: Path) -> None:
    db = Database()
    db.conn.execute("SELECT 1")
    folder = Path(db._folder)
    assert (folder / "index.sqlite").is_file()
    db.close()
    assert not folder.exists()


def _child_reads(index: SiteIndex, queue) -> None:
    e = index.by_id.get("2")
    queue.put((e.title if e else None, len(index.attachments)))


def _small_index() -> SiteIndex:
    """Five entries and one attachment."""
    index = SiteIndex()
    with index.db.transaction():
        for n in range(5):
            index.entries.append(entry(n))
        index.attachments.add(Attachment("9", "https://e.com/x.jpg"))
    return index


def _read_in_forked_child(index: SiteIndex) -> tuple:
    """What a forked child reads from the index (entry 2's title, attachment count)."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_child_reads, args=(index, queue))
    child.start()
    found = queue.get(timeout=30)
    child.join(30)
    assert child.exitcode == 0
    return found


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_a_forked_worker_reads_the_index_and_leaves_it_to_the_parent() -> None:
    index = _small_index()
    assert index.by_id.get("1") is not None  # the parent has a connection before the fork
    assert _read_in_forked_child(index) == ("Title 2 ✓", 1)
    assert os.path.isdir(index.db._folder)  # the child did not remove it
    assert index.by_id.get("4").title == "Title 4 ✓"  # the parent's connection still works
    index.close()


def test_index_of_an_export_matches_a_second_read() -> None:
    """Every item is in the index once, in input order, with its planned path on disk."""
    export = FIXTURES / "sample-export.xml"
    problems: list = []
    index = build_index([export], Options(), problems)
    from migrator import read

    docs = list(read([export]))
    assert [e.id for e in index.entries] == [d.id for d in docs]
    for doc, e in zip(docs, index.entries):
        assert (e.title, e.slug, e.type, e.status, e.date) == (doc.title, doc.slug, doc.type, doc.status, doc.date)
        if e.disposition == "document":
            assert e.path and e.path.endswith(".md")
    paths = [e.path.lower() for e in index.entries if e.path]
    assert len(paths) == len(set(paths))  # unique, case-insensitively
    folder = index.db._folder
    index.close()
    assert not os.path.exists(folder)


def test_seen_ids_of_the_wxr_reader() -> None:
    """The reader's record of yielded ids (8 bytes each) answers like a set, also after more adds."""
    from migrator.sources.wxr import SeenIds

    seen = SeenIds()
    ids = [str(n) for n in range(0, 3000, 3)] + ["ünï", "a b", ""]
    for item_id in ids[:500]:
        seen.add(item_id)
    assert all(i in seen for i in ids[:500]) and not any(str(n) in seen for n in range(1, 3000, 3))
    for item_id in ids[500:]:
        seen.add(item_id)
    assert all(i in seen for i in ids) and "x" not in seen


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_a_frozen_index_is_read_without_locks_here_and_in_workers() -> None:
    import sqlite3

    index = _small_index()
    index.db.freeze()
    assert index.by_id.get("2").title == "Title 2 ✓" and "9" in index.attachments
    with pytest.raises(sqlite3.OperationalError):  # complete: nothing writes to it any more
        index.url_ids["/x"] = "1"
    assert _read_in_forked_child(index) == ("Title 2 ✓", 1)
    index.close()


def test_seen_ids_stay_fast_when_looked_up_after_every_add() -> None:
    """The broken-file path asks ``in`` before each ``add``: no re-sort per question."""
    from migrator.sources.wxr import SeenIds

    seen = SeenIds()
    for n in range(3 * SeenIds.RECENT + 5):
        assert str(n) not in seen
        seen.add(str(n))
        assert str(n) in seen and str(n // 2) in seen
    assert len(seen._hashes) == 3 * SeenIds.RECENT and len(seen._recent) == 5


def test_text_with_a_lone_surrogate_is_stored_and_found() -> None:
    """An undecodable file name (``caf\\udce9.html``) reaches the index as a lone surrogate."""
    db = Database()
    keys = KeySet(db, "written")
    for key in ["posts/b.md", "posts/caf\udce9.md", "posts/a.md"]:
        keys.add(key)
    assert "posts/caf\udce9.md" in keys and "posts/caf\u00e9.md" not in keys
    assert sorted(keys) == sorted(["posts/a.md", "posts/b.md", "posts/caf\udce9.md"])
    index = SiteIndex()
    index.entries.append(entry(1, source="caf\udce9.html", title="caf\udce9"))
    index.db.freeze()
    assert index.entries[0].source == "caf\udce9.html" and index.by_id.get("1").title == "caf\udce9"
    index.close()
    with pytest.raises(RuntimeError):
        index.by_id.get("1")  # a closed index answers nothing (no new empty database)
    db.close()


def test_a_killed_run_leaves_a_folder_the_next_run_removes(tmp_path: Path, monkeypatch) -> None:
    """SIGKILL gives no chance to clean up; the folder's lock dies with the process, and the
    next run's sweep removes the folder.  A live run's folder (lock held) is left alone."""
    import signal
    import subprocess
    import sys

    code = (
        "import sys; from migrator.plan.store import TextMap, Database; m = TextMap(Database(), 'k'); "
        "m['a'] = 'b'; print(m.db._folder, flush=True); sys.stdin.read()"
    )
    env = dict(os.environ, TMPDIR=str(tmp_path), PYTHONPATH=str(Path(__file__).resolve().parents[2]))

    def start() -> tuple[subprocess.Popen, Path]:
        proc = subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        return proc, Path(proc.stdout.readline().strip())

    killed, killed_folder = start()
    alive, alive_folder = start()
    try:
        killed.send_signal(signal.SIGKILL)
        killed.wait(30)
        assert killed_folder.is_dir() and alive_folder.is_dir()
        (tmp_path / "migrator-index-by-hand").mkdir()  # no lock file: not ours to judge
        assert store.sweep_stale_folders(str(tmp_path)) == [str(killed_folder)]
        assert not killed_folder.exists() and alive_folder.is_dir()
        assert (tmp_path / "migrator-index-by-hand").is_dir()
    finally:
        alive.stdin.close()
        alive.wait(30)
    assert not alive_folder.exists()  # a run that ends normally removes its own
    monkeypatch.setattr(store, "_swept", False)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    db = Database()
    TextMap(db, "k")["x"] = "y"  # the first database of a process sweeps first
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["migrator-index-by-hand", Path(db._folder).name])
    db.close()


def test_a_file_system_without_flock_still_gets_its_index(tmp_path: Path, monkeypatch) -> None:
    """flock refused (ENOLCK, EOPNOTSUPP): the run goes on without a lock, leaves nothing behind."""
    import errno

    def refuse(fd, operation):
        raise OSError(errno.ENOLCK, "no locks here")

    monkeypatch.setattr(store.fcntl, "flock", refuse)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    monkeypatch.setattr(store, "_swept", True)
    db = Database()
    TextMap(db, "k")["x"] = "y"
    folder = Path(db._folder)
    assert TextMap(db, "k")["x"] == "y"
    assert sorted(p.name for p in folder.iterdir()) == ["index.sqlite"]
    db.close()
    assert not folder.exists()


def test_text_map_items_stream_in_key_order() -> None:
    m = TextMap(Database(), "k")
    for key in ("b", "a", "ä"):
        m[key] = key.upper()
    assert list(m.items()) == [("a", "A"), ("b", "B"), ("ä", "Ä")]
    m["c\ud800"] = "x"  # stored as bytes: items() reads it back as the key it was given
    assert list(m.items()) == [(k, m[k]) for k in m] and ("c\ud800", "x") in list(m.items())
    m.db.close()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(-(2**63), 2**63 - 1), unique=True, max_size=60),
    st.lists(st.tuples(st.integers(-(2**63), 2**63 - 1), st.integers(0, 10**9)), max_size=60),
)
def test_merging_recent_ids_keeps_the_arrays_sorted_and_whole(old: list[int], new: list[tuple[int, int]]) -> None:
    """The id tables' merge (``sources.ids.merge_sorted``) gives what sorting all the rows gave,
    the first column the key, duplicates of a key kept."""
    from array import array

    from migrator.sources.ids import merge_sorted

    rows = sorted((k, k % 7) for k in old)
    columns = [array("q", (k for k, _ in rows)), array("q", (v for _, v in rows))]
    keys, values = merge_sorted(columns, sorted(new))
    expected = sorted(rows + new, key=lambda row: row[0])
    assert list(keys) == [k for k, _ in expected]
    assert sorted(zip(keys, values)) == sorted(expected)


def test_id_table_finds_every_id_across_merges() -> None:
    from migrator.sources.ids import _IdTable

    table = _IdTable()
    table.RECENT = 8
    keys = [(n * 7919) % 1000 - 500 for n in range(300)]
    for position, key in enumerate(dict.fromkeys(keys)):
        assert table.get(key) is None
        table.add(key, position)
    for position, key in enumerate(dict.fromkeys(keys)):
        assert table.get(key) == position
    assert list(table._keys) == sorted(table._keys)
