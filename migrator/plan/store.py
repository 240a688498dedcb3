"""The index's tables, on disk: one temporary SQLite database per run.

Pass 1 records a small row per input item; pass 2 looks rows up one at a time (per link, per
attachment), so memory stays flat however large the export is.  The database lives in a
temporary folder that is removed when the index is closed, collected, or the process exits;
a forked worker process opens its own read-only connection to the same file.  A run killed
outright (SIGKILL, a power cut) cannot remove its folder: each folder holds a lock file locked
for as long as its run lives, and the next run removes the folders whose lock nobody holds.

Nothing here knows WordPress: :mod:`migrator.plan.index` decides what goes in.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
import weakref
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Generic, TypeVar

from ..bounded import MISSING, Bounded

T = TypeVar("T")

#: Rows read per query when streaming a whole table.
CHUNK = 512
#: Answers a frozen database remembers (the least recently used go first).
ANSWERS = 4096
#: SQLite page cache per connection, in KiB (pages past it are read from the file again, which
#: the operating system caches: 8 MB instead of 2 made neither pass faster, only the run larger).
CACHE_KIB = 2048

_SCHEMA = """
CREATE TABLE entries (pos INTEGER PRIMARY KEY, id TEXT, type TEXT, status TEXT, title TEXT,
    slug TEXT, parent TEXT, link TEXT, guid TEXT, source TEXT, line INTEGER, disposition TEXT,
    reason TEXT, date TEXT, path TEXT);
CREATE INDEX entries_id ON entries (id, pos);
CREATE TABLE attachments (pos INTEGER PRIMARY KEY, id TEXT UNIQUE, url TEXT, title TEXT,
    caption TEXT, alt TEXT, parent TEXT, menu_order INTEGER, mime TEXT);
CREATE INDEX attachments_parent ON attachments (parent);
CREATE TABLE texts (kind TEXT, key TEXT, value TEXT, PRIMARY KEY (kind, key)) WITHOUT ROWID;
CREATE TABLE spans (pos INTEGER PRIMARY KEY, file INTEGER, start INTEGER, end INTEGER, line INTEGER,
    ordinal INTEGER, authors INTEGER, raw_id TEXT);
"""


try:
    import fcntl
except ImportError:  # no flock (Windows): no locks, and no sweeping of other runs' folders
    fcntl = None  # type: ignore[assignment]

PREFIX = "migrator-index-"
_LOCK = "lock"
_swept = False


def _remove(folder: str, pid: int, lock: int | None) -> None:
    if os.getpid() == pid:  # never from a forked worker: the parent still uses it
        shutil.rmtree(folder, ignore_errors=True)
    if lock is not None:
        with contextlib.suppress(OSError):
            os.close(lock)


def _make_folder() -> tuple[str, int | None]:
    """A new temporary folder, and the descriptor of its lock file, locked as long as this
    process (or a child forked from it) lives.  The lock file appears already locked."""
    global _swept
    if not _swept:
        _swept = True
        sweep_stale_folders()
    folder = tempfile.mkdtemp(prefix=PREFIX)
    if fcntl is None:
        return folder, None
    staged = os.path.join(folder, _LOCK + ".new")
    try:
        lock = os.open(staged, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return folder, None
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.rename(staged, os.path.join(folder, _LOCK))
    except OSError:  # a file system without flock: run as before, without a lock (nor a sweep of it)
        os.close(lock)
        with contextlib.suppress(OSError):
            os.unlink(staged)
        return folder, None
    return folder, lock


def sweep_stale_folders(root: str | None = None) -> list[str]:
    """Remove the index folders in ``root`` (the temporary folder) of runs that ended without
    cleaning up: those whose lock file nobody holds.  Folders without one are left alone.
    Returns the folders removed."""
    if fcntl is None:
        return []
    root = root or tempfile.gettempdir()
    try:
        names = sorted(n for n in os.listdir(root) if n.startswith(PREFIX))
    except OSError:
        return []
    removed = []
    for name in names:
        folder = os.path.join(root, name)
        try:
            lock = os.open(os.path.join(folder, _LOCK), os.O_RDWR | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(lock)
            continue  # its run is alive
        try:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        finally:
            os.close(lock)
    return removed


class Database:
    """A temporary SQLite file, created on first use; one connection per process."""

    def __init__(self, private: bool = False) -> None:
        """``private``: only ever used by this process (it keeps the file locked, so queries
        need no lock of their own); otherwise forked workers may read it too."""
        self.private = private
        self._folder: str | None = None
        self._lock: int | None = None  # descriptor of the folder's lock file
        self._conn: sqlite3.Connection | None = None
        self._owner = os.getpid()  # the process that made the file (and removes it)
        self.frozen = False
        self._answers: Bounded[tuple, tuple | None] = Bounded(ANSWERS)  # a frozen database's recent answers
        self._blobs = False  # some text was stored as bytes (see run())
        self._closed = False
        _OPEN.add(self)

    @property
    def conn(self) -> sqlite3.Connection:
        if self._closed:
            raise RuntimeError("the run's index was closed")
        if self._conn is None:
            if self._folder is None:
                self._folder, self._lock = _make_folder()
                self._finalizer = weakref.finalize(self, _remove, self._folder, self._owner, self._lock)
                self._connect()
                self._conn.executescript(_SCHEMA)  # type: ignore[union-attr,attr-defined]
            else:  # a forked worker (see _forget_connections) or after freeze()
                self._connect()
        return self._conn  # type: ignore[return-value]

    def _connect(self) -> None:
        assert self._folder is not None
        path = Path(self._folder, "index.sqlite")
        if self.frozen:  # no more writes: no file locks either (each query would take one)
            self._conn = sqlite3.connect(
                path.as_uri() + "?immutable=1", uri=True, isolation_level=None, check_same_thread=False
            )
        else:
            self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode = OFF")  # a scratch database: no rollback journal
        self._conn.execute("PRAGMA synchronous = OFF")
        self._conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")  # a page cache of fixed size, whatever the export
        if self.private:
            self._conn.execute("PRAGMA locking_mode = EXCLUSIVE")

    def run(self, sql: str, args: tuple = ()) -> sqlite3.Cursor:
        """Execute one statement.  A string holding a lone surrogate (an undecodable file name)
        cannot be SQLite text: it is stored, and looked up, as its UTF-8 bytes instead."""
        try:
            return self.conn.execute(sql, args)
        except UnicodeEncodeError:
            self._blobs = True
            return self.conn.execute(sql, tuple(_storable(a) for a in args))

    def rows(self, sql: str, args: tuple = ()) -> list[tuple]:
        """Every row of a query (text stored as bytes read back as text)."""
        found = self.run(sql, args).fetchall()
        return [_readable(row) for row in found] if self._blobs else found

    def one(self, sql: str, args: tuple, remember: bool = True) -> tuple | None:
        """The first row of a query, or None.  Once frozen, the ``ANSWERS`` answers used most
        recently are remembered (pages link to the same posts and images over and over); ``remember=False``
        for a question asked once (an item by its position), whose answer would only push the
        others out."""
        if not self.frozen or not remember:
            return self._first(sql, args)
        key = (sql, args)
        row = self._answers.recall(key)
        if row is MISSING:
            row = self._first(sql, args)
            self._answers.keep(key, row)
        return row  # type: ignore[return-value]

    def _first(self, sql: str, args: tuple) -> tuple | None:
        row = self.run(sql, args).fetchone()
        return _readable(row) if self._blobs and row is not None else row

    def freeze(self) -> None:
        """The database is complete: from now on it is only read, by this process and by
        worker processes forked later, without locking."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self.frozen = True

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Many writes as one transaction (pass 1: far faster than one per row)."""
        self.run("BEGIN")
        try:
            yield
        finally:
            self.run("COMMIT")

    def close(self) -> None:
        """Drop the database now (the index must not be used afterwards)."""
        if self._conn is not None:
            self._conn.close()
        self._conn = None
        if self._folder is not None:
            self._finalizer()  # removes the folder (in the process that made it), unlocks
        self._folder = None
        self._closed = True
        self._answers.clear()


def _storable(value: object) -> object:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "surrogatepass")
    return value


def _readable(row: tuple) -> tuple:
    return tuple(v.decode("utf-8", "surrogatepass") if isinstance(v, bytes) else v for v in row)


#: Every database of this process: a forked child must open its own connections.
_OPEN: weakref.WeakSet[Database] = weakref.WeakSet()


_INHERITED: list[sqlite3.Connection] = []


def _forget_connections() -> None:
    """In a forked child: stop using the parent's connections, without closing them (they are
    kept referenced, so nothing here touches the parent's file handles and locks)."""
    for db in list(_OPEN):
        if db._conn is not None:
            _INHERITED.append(db._conn)
        db._conn = None


if hasattr(os, "register_at_fork"):  # POSIX; elsewhere there is no fork
    os.register_at_fork(after_in_child=_forget_connections)


class Rows(Generic[T]):
    """Streams a table in ``pos`` order, ``CHUNK`` rows per query (safe while rows change)."""

    def __init__(self, db: Database, query: str, make: Callable[[tuple], T], args: tuple = ()):
        self.db, self.query, self.make, self.args = db, query, make, args

    def __iter__(self) -> Iterator[T]:
        last = -1
        while True:
            rows = self.db.rows(self.query, (*self.args, last, CHUNK))
            for row in rows:
                yield self.make(row[1:])
            if len(rows) < CHUNK:
                return
            last = rows[-1][0]


class TextMap(Mapping[str, str]):
    """A str -> str table (one ``kind`` of the ``texts`` table)."""

    def __init__(self, db: Database, kind: str):
        self.db, self.kind = db, kind

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        row = self.db.one("SELECT value FROM texts WHERE kind = ? AND key = ?", (self.kind, key))
        return default if row is None else row[0]

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __setitem__(self, key: str, value: str) -> None:
        self.db.run("INSERT OR REPLACE INTO texts VALUES (?, ?, ?)", (self.kind, key, value))

    def add_first(self, key: str, value: str) -> None:
        """Set ``key`` unless it has a value already (:meth:`setdefault` without the answer)."""
        self.db.run("INSERT OR IGNORE INTO texts VALUES (?, ?, ?)", (self.kind, key, value))

    def share(self, key: str, value: str) -> None:
        """Set ``key`` to ``value`` if it has no value or this one already; else to ``""`` (a
        key two values claim), in one statement."""
        self.db.run(
            "INSERT INTO texts VALUES (?, ?, ?) ON CONFLICT (kind, key) "
            "DO UPDATE SET value = CASE WHEN value = excluded.value THEN value ELSE '' END",
            (self.kind, key, value),
        )

    def setdefault(self, key: str, value: str) -> str:
        self.db.run("INSERT OR IGNORE INTO texts VALUES (?, ?, ?)", (self.kind, key, value))
        return self[key]

    def __iter__(self) -> Iterator[str]:
        for (key,) in self.db.run("SELECT key FROM texts WHERE kind = ? ORDER BY key", (self.kind,)):
            yield key.decode("utf-8", "surrogatepass") if isinstance(key, bytes) else key

    def items(self) -> Iterator[tuple[str, str]]:  # type: ignore[override]
        """(key, value) pairs in key order, streamed by one query (not a lookup per key)."""
        for row in self.db.run("SELECT key, value FROM texts WHERE kind = ? ORDER BY key", (self.kind,)):
            yield _readable(row)  # type: ignore[misc]

    def __len__(self) -> int:
        return self.db.run("SELECT count(*) FROM texts WHERE kind = ?", (self.kind,)).fetchone()[0]


class KeySet:
    """A set of strings (one ``kind`` of the ``texts`` table)."""

    def __init__(self, db: Database, kind: str):
        self.map = TextMap(db, kind)

    def add(self, key: str) -> None:
        self.map.db.run("INSERT OR IGNORE INTO texts VALUES (?, ?, '')", (self.map.kind, key))

    def __contains__(self, key: object) -> bool:
        return key in self.map

    def __iter__(self) -> Iterator[str]:
        """The keys in sorted (code point) order, streamed."""
        return iter(self.map)

    def __len__(self) -> int:
        return len(self.map)

    def has_below(self, folder: str) -> bool:
        """Whether some key starts with ``folder + "/"`` (one range query)."""
        row = self.map.db.run(
            "SELECT 1 FROM texts WHERE kind = ? AND key > ? AND key < ? LIMIT 1",
            (self.map.kind, folder + "/", folder + "0"),
        ).fetchone()
        return row is not None


def date_text(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def text_date(value: str | None) -> datetime | date | None:
    """The inverse of :func:`date_text`: a day-only value (``2024-07-04``) stays a ``date``."""
    if not value:
        return None
    return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
