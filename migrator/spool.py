"""``Spool``: an append-only sequence kept on disk, so a run's report does not grow in memory.

Every item is pickled when it is appended.  The newest pickles (at most ``limit`` of them) wait
in memory; then they are written, in one go, to an anonymous temporary file
(:func:`tempfile.TemporaryFile`: it has no name, so nothing is left behind, even after a crash).
What stays in memory per item is one 8-byte offset.

Items are **snapshots**: ``spool[i]`` and iteration give a fresh copy, unpickled from the
stored bytes.  Mutating an item after appending it, or an item read back, does not change the
stored one; to change items, build a new spool from the old one
(``Spool(update(e) for e in old)``, which streams).

Unlike ``list.append``, appending is not atomic: one thread appends (the run's main thread).
A ``Spool`` pickles as a plain list of its items (worker processes send small report pieces
back), and compares equal to any sequence holding equal items in the same order.
"""

from __future__ import annotations

import pickle
import tempfile
import weakref
from array import array
from collections.abc import Iterable, Iterator
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")

#: Default number of pickled items held in memory before they are written to the file.
MEMORY_ITEMS = 256
#: Largest number of bytes read from the file at once while iterating.
READ_BYTES = 1 << 20
#: Items shown by ``repr``.
REPR_ITEMS = 5


class Spool(Generic[T]):
    """An append-only, disk-backed sequence: ``append``, ``extend``, ``len``, iteration in
    order (streaming), ``spool[i]`` (negative too; slices give a list)."""

    def __init__(self, items: Iterable[T] = (), limit: int | None = None) -> None:
        self.limit = max(1, MEMORY_ITEMS if limit is None else limit)
        self._offsets = array("q")  # start of every item's pickle in the (virtual) byte stream
        self._pending: list[bytes] = []  # pickles not yet written; they follow the file's bytes
        self._written = 0  # bytes in the file
        self._size = 0  # bytes of all items (file + pending)
        self._file = None  # created on the first write
        self.extend(items)

    # -------------------------------------------------------------------- writing

    def append(self, item: T) -> None:
        data = pickle.dumps(item, pickle.HIGHEST_PROTOCOL)
        self._offsets.append(self._size)
        self._pending.append(data)
        self._size += len(data)
        if len(self._pending) >= self.limit:
            self._flush()

    def extend(self, items: Iterable[T]) -> None:
        for item in items:
            self.append(item)

    def _flush(self) -> None:
        if not self._pending:
            return
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="migrator-spool-", buffering=0)
            weakref.finalize(self, self._file.close)  # closed with the spool, without a warning
        data = b"".join(self._pending)
        self._file.seek(self._written)
        view = memoryview(data)
        while view:  # a raw file may write less than asked
            view = view[self._file.write(view) :]
        self._written += len(data)
        self._pending = []

    def close(self) -> None:
        """Close the file now (else it closes when the spool is garbage-collected); the spool
        is empty afterwards."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self._offsets, self._pending, self._written, self._size = array("q"), [], 0, 0

    # -------------------------------------------------------------------- reading

    def __len__(self) -> int:
        return len(self._offsets)

    def __bool__(self) -> bool:
        return len(self._offsets) > 0

    def _end(self, i: int) -> int:
        return self._offsets[i + 1] if i + 1 < len(self._offsets) else self._size

    def _pickle(self, i: int) -> bytes:
        """The stored bytes of item ``i`` (0 <= i < len)."""
        first_pending = len(self._offsets) - len(self._pending)
        if i >= first_pending:
            return self._pending[i - first_pending]
        return self._file_bytes(self._offsets[i], self._end(i))

    def _file_bytes(self, start: int, end: int) -> bytes:
        assert self._file is not None
        self._file.seek(start)
        chunks, want = [], end - start
        while want > 0:
            chunk = self._file.read(want)
            if not chunk:
                raise OSError("spool file ended early")
            chunks.append(chunk)
            want -= len(chunk)
        return b"".join(chunks)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        n = len(self._offsets)
        i = index + n if index < 0 else index
        if not 0 <= i < n:
            raise IndexError("spool index out of range")
        return pickle.loads(self._pickle(i))

    def __iter__(self) -> Iterator[T]:
        """Every item in order; reads the file in blocks of at most ``READ_BYTES`` (more only
        for a single larger item), so memory does not grow with the spool."""
        i = 0
        while i < len(self._offsets):
            start = self._offsets[i]
            if start >= self._written:  # not written yet (also items appended while iterating)
                yield pickle.loads(self._pickle(i))
                i += 1
                continue
            j = i + 1  # items i..j-1 are read in one block
            while j < len(self._offsets) and self._offsets[j] < self._written and self._end(j) - start <= READ_BYTES:
                j += 1
            block = memoryview(self._file_bytes(start, self._end(j - 1)))
            for k in range(i, j):
                yield pickle.loads(block[self._offsets[k] - start : self._end(k) - start])
            i = j

    # -------------------------------------------------------------------- comparing, pickling

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (Spool, list, tuple)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        shown = ", ".join(repr(self[i]) for i in range(min(len(self), REPR_ITEMS)))
        more = f", ... ({len(self)} items)" if len(self) > REPR_ITEMS else ""
        return f"Spool([{shown}{more}])"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Spool, (list(self), self.limit))


__all__ = ["MEMORY_ITEMS", "Spool"]
