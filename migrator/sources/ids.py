"""Item ids that stay unique: two different items sharing an id are both kept.

WordPress exports sometimes give one id to two different items (a draft and the published
post, an attachment and a post: exports merged by hand, plugins that reuse ids).  Only a true
duplicate, the same item written twice (overlapping parts of a split export), is left for the
index to skip (``duplicate-id``); a different item that reuses an id gets a derived one
(``123-2``, ``123-3``...: a WordPress id is a number, so no other item has it) and an ``id-renamed`` warning.

:func:`distinct_ids` is applied by :func:`migrator.sources.read_inputs`, so every reading of
the same inputs (both passes of ``convert``, ``validate``, ``inspect``) gives the same ids.
Memory stays small: 16 bytes per item (hashes of the id and of the content).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..model import Document, Problem

_SKIP = frozenset({"source", "line"})  # where an item was read is not what it is


def fingerprint(doc: Document) -> int:
    """A 64-bit hash of everything an item holds except where it was read (source, line)."""
    parts: list[str] = []
    for name in _fields(type(doc)):
        value = getattr(doc, name)
        parts += (name, "\x00", value if isinstance(value, str) else repr(value), "\x01")
    data = "".join(parts).encode("utf-8", "surrogatepass")  # hashed at once: the same digest as piecewise
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


@functools.lru_cache(maxsize=8)
def _fields(cls: type) -> tuple[str, ...]:
    return tuple(name for name in cls.__dataclass_fields__ if name not in _SKIP)


def doc_key(doc: Document) -> str:
    """The id and the content of an item, as one key (an item read again has the same key)."""
    return f"{doc.id}\x00{fingerprint(doc):x}"


def id_hash(item_id: str) -> int:
    """An id as 8 bytes (signed), for tables that keep hashes instead of strings."""
    return int.from_bytes(
        hashlib.blake2b(item_id.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big", signed=True
    )


class _IdTable:
    """id hash -> fingerprint of the first item with that id: recent ones in a dict, the rest in
    two sorted arrays (16 bytes an item)."""

    RECENT = 4096

    def __init__(self) -> None:
        self._keys = array("q")
        self._values = array("q")
        self._recent: dict[int, int] = {}

    def get(self, key: int) -> int | None:
        if key in self._recent:
            return self._recent[key]
        at = bisect.bisect_left(self._keys, key)
        if at < len(self._keys) and self._keys[at] == key:
            return self._values[at]
        return None

    def add(self, key: int, value: int) -> None:
        self._recent[key] = value
        if len(self._recent) >= self.RECENT:
            self._merge()

    def _merge(self) -> None:
        self._keys, self._values = merge_sorted([self._keys, self._values], sorted(self._recent.items()))
        self._recent.clear()


def merge_sorted(columns: list[array], rows: Iterable[tuple[int, ...]]) -> list[array]:
    """Parallel arrays sorted by the first (the keys), with ``rows`` (sorted by key) merged in.
    Only the new rows are Python objects: the arrays are copied by slices (all the old rows as
    tuples were 12 MB at 100,000 items, and left the heap scattered for the rest of the run)."""
    keys = columns[0]
    merged = [array(column.typecode) for column in columns]
    start = 0
    for row in rows:
        at = bisect.bisect_left(keys, row[0], start)
        for into, column, value in zip(merged, columns, row):
            into.extend(column[start:at])
            into.append(value)
        start = at
    for into, column in zip(merged, columns):
        into.extend(column[start:])
    return merged


@dataclass
class IdsRead:
    """The ids met so far: given to several readings in turn, they name ids as one reading of all
    the inputs would (``validate`` reads each file of a split export on its own)."""

    first: _IdTable = field(default_factory=_IdTable)
    variants: dict[str, list[int]] = field(default_factory=dict)  # ids met more than once -> fingerprints


def distinct_ids(
    docs: Iterable[Document],
    problems: list[Problem],
    fingerprint_at: Callable[[int], int] | None = None,
    seen: IdsRead | None = None,
) -> Iterator[Document]:
    """``docs`` with every different item under its own id (see the module docstring).

    ``fingerprint_at(n)``: the fingerprint of the ``n``-th item (from 0), asked for only when
    an id is met again; without it every item is fingerprinted as it comes (``docs`` are whole).
    ``seen``: the ids of earlier readings (whole documents only), updated as this one goes."""
    if seen is None:
        seen = IdsRead()
    first, variants = seen.first, seen.variants
    for position, doc in enumerate(docs):
        key = id_hash(doc.id)
        known = first.get(key)
        if known is None:
            first.add(key, fingerprint(doc) if fingerprint_at is None else position)
            yield doc
            continue
        if fingerprint_at is None:
            mine = fingerprint(doc)
        else:
            mine = fingerprint_at(position)
            if doc.id not in variants:
                known = fingerprint_at(known)  # the first item's position, so far
        seen = variants.setdefault(doc.id, [known])
        if mine in seen:
            n = seen.index(mine) + 1
            if n > 1:  # the same as an earlier renamed variant: the same derived id (a duplicate)
                doc.id = f"{doc.id}-{n}"
            yield doc
            continue
        seen.append(mine)
        new_id = f"{doc.id}-{len(seen)}"
        problems.append(
            Problem(
                "warning",
                "id-renamed",
                f"item id {doc.id} is already used by a different item; this one is kept as {new_id}",
                id=new_id,
                source=doc.source,
                line=doc.line,
            )
        )
        doc.id = new_id
        yield doc
